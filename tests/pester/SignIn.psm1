# Helpers for the sign-in tests: the login side of the emulator, throwaway certificates, child
# PowerShell processes (a real host, its own HOME) and a stand-in browser.
Set-StrictMode -Version 3.0

$script:RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)

function Invoke-LoginControl {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)][string] $Path, [string] $Method = 'GET', $Body)
    $call = @{ Uri = "$($Emulator.Url)/_emulator/$Path"; Method = $Method }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $call.Body = ConvertTo-Json -InputObject $Body -Depth 10 -Compress
        $call.ContentType = 'application/json'
    }
    $result = Invoke-RestMethod @call
    $result
}

function Add-LoginApp {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)][hashtable] $App)
    Invoke-LoginControl $Emulator 'apps' -Method POST -Body @($App)
}

function Get-LoginRequest {
    param([Parameter(Mandatory)] $Emulator)
    @(Invoke-LoginControl $Emulator 'login-requests')
}

# A self-signed RSA 2048 certificate with its private key.
function New-TestCertificate {
    param([string] $Subject = "mgrs-test-$([guid]::NewGuid().ToString('n').Substring(0, 8))", [int] $ValidDays = 30)
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Subject", $rsa,
        [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $start = [DateTimeOffset]::UtcNow.AddMinutes(-5)
    $request.CreateSelfSigned($start, $start.AddDays($ValidDays))
}

function Get-PublicPem {
    param([Parameter(Mandatory)] $Certificate)
    "-----BEGIN CERTIFICATE-----`n" + [Convert]::ToBase64String($Certificate.RawData, 'InsertLineBreaks') + "`n-----END CERTIFICATE-----`n"
}

# The private key as base64 PKCS#8 (what a leak would look like).
function Get-PrivateKeyText {
    param([Parameter(Mandatory)] $Certificate)
    $rsa = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    [Convert]::ToBase64String($rsa.ExportPkcs8PrivateKey())
}

function Save-TestPfx {
    param([Parameter(Mandatory)] $Certificate, [Parameter(Mandatory)][string] $Path, [string] $Password)
    [System.IO.File]::WriteAllBytes($Path, $Certificate.Export('Pfx', $Password))
}

function Save-TestPem {
    param([Parameter(Mandatory)] $Certificate, [Parameter(Mandatory)][string] $Path)
    $key = Get-PrivateKeyText $Certificate
    $lines = ($key -split '(.{64})' | Where-Object { $_ }) -join "`n"
    Set-Content -LiteralPath $Path -Value ((Get-PublicPem $Certificate) + "-----BEGIN PRIVATE KEY-----`n$lines`n-----END PRIVATE KEY-----") -NoNewline
}

# A loopback port with nothing listening on it.
function Get-ClosedLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $port
}

# A stand-in browser: an executable that fetches the sign-in address (the emulator's auto-consent
# page redirects to the module's loopback listener). Use it as MICROSOFT_GRAPH_RS_BROWSER.
function New-TestBrowser {
    param([Parameter(Mandatory)][string] $Folder)
    $null = New-Item -ItemType Directory -Force -Path $Folder
    $ps1 = Join-Path $Folder 'browse.ps1'
    Set-Content -LiteralPath $ps1 -Value 'param([string] $Url) $null = Invoke-WebRequest -Uri $Url -MaximumRedirection 5'
    $sh = Join-Path $Folder 'browse.sh'
    $pwsh = Join-Path $PSHOME 'pwsh'
    Set-Content -LiteralPath $sh -Value "#!/bin/sh`nexec '$pwsh' -NoProfile -NonInteractive -File '$ps1' `"`$1`"`n" -NoNewline
    & chmod +x $sh
    $sh
}

# Starts `pwsh -NoProfile -Command <script>` with extra environment variables; stdout and stderr
# are collected. The module and the emulator environment are set up first ($env:EMULATOR_URL).
function Start-ChildPwsh {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Environment = @{}, [Parameter(Mandatory)] $Emulator)
    $prelude = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $script:RepoRoot 'Microsoft.Graph.Rs.psd1')'
`$null = Add-MgEnvironment -Name GraphEmulator -AzureADEndpoint `$env:EMULATOR_URL -GraphEndpoint `$env:EMULATOR_URL

"@
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', ($prelude + $Script)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.Environment['EMULATOR_URL'] = $Emulator.Url
    $psi.Environment['MICROSOFT_GRAPH_RS_BROWSER'] = 'none'
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string] $Environment[$k] }
    $process = [System.Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $process; Lines = [System.Collections.Generic.List[string]]::new(); StdErr = $process.StandardError.ReadToEndAsync() }
}

# Reads the child's stdout until a line matches (or it ends); returns the line or $null.
function Wait-ChildLine {
    param([Parameter(Mandatory)] $Child, [Parameter(Mandatory)][string] $Pattern, [int] $TimeoutSeconds = 60)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        $read = $Child.Process.StandardOutput.ReadLineAsync()
        while (-not $read.Wait(100)) { if ([datetime]::UtcNow -gt $deadline) { return $null } }
        if ($null -eq $read.Result) { return $null }
        $Child.Lines.Add($read.Result)
        if ($read.Result -match $Pattern) { return $read.Result }
    }
    $null
}

# Waits for the child to end; returns all its stdout text (and stderr).
function Wait-Child {
    param([Parameter(Mandatory)] $Child, [int] $TimeoutSeconds = 90)
    $rest = $Child.Process.StandardOutput.ReadToEndAsync()
    if (-not $Child.Process.WaitForExit($TimeoutSeconds * 1000)) {
        try { $Child.Process.Kill($true) } catch { }
        throw "The child PowerShell did not finish within $TimeoutSeconds s. Output so far: $($Child.Lines -join "`n")"
    }
    $null = $rest.Wait(5000)
    [pscustomobject]@{
        ExitCode = $Child.Process.ExitCode
        Output   = (($Child.Lines -join "`n") + "`n" + $rest.Result)
        Error    = $Child.StdErr.Result
    }
}

# Waits for a pending device code in the emulator and returns it.
function Wait-DeviceCode {
    param([Parameter(Mandatory)] $Emulator, [int] $TimeoutSeconds = 60)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        $pending = @(Invoke-LoginControl $Emulator 'devicecodes' | Where-Object status -EQ 'pending')
        if ($pending.Count -gt 0) { return $pending[-1] }
        Start-Sleep -Milliseconds 200
    }
    throw 'No device code was requested in time.'
}

Export-ModuleMember -Function *
