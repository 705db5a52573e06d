# Starts and drives the Graph emulator (tests/emulator) for the tests, the demo and the benchmark.
Set-StrictMode -Version 3.0

$script:RepoRoot = Split-Path -Parent $PSScriptRoot

function Get-GraphEmulatorPath {
    $name = if ($IsWindows) { 'graph-emulator.exe' } else { 'graph-emulator' }
    $path = Join-Path $script:RepoRoot "target/release/$name"
    if (-not (Test-Path $path)) { throw "The Graph emulator is not built at '$path'. Run './build.ps1 Build' first." }
    $path
}

function Start-GraphEmulator {
    [CmdletBinding()]
    param([string[]] $ArgumentList = @())
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-GraphEmulatorPath))
    foreach ($argument in @('--exit-on-stdin-close') + $ArgumentList) { $psi.ArgumentList.Add($argument) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true   # the emulator exits when this process goes away
    $psi.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($psi)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait(15000) -or $read.Result -notmatch '^GRAPH_EMULATOR_URL=(\S+)$') {
        try { $process.Kill() } catch { }
        throw "The Graph emulator did not report its address (got '$($read.Result)')."
    }
    [pscustomobject]@{
        Process         = $process
        Url             = $Matches[1]
        EnvironmentName = 'GraphEmulator'
    }
}

function Stop-GraphEmulator {
    param([Parameter(Mandatory)] $Emulator)
    try { $Emulator.Process.StandardInput.Close() } catch { }
    if (-not $Emulator.Process.WaitForExit(3000)) { try { $Emulator.Process.Kill() } catch { } }
}

function Invoke-GraphEmulatorControl {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][string] $Path,
        [string] $Method = 'GET',
        $Body
    )
    $call = @{ Uri = "$($Emulator.Url)/_emulator/$Path"; Method = $Method; NoProxy = $true }
    # An emulator started with --tls-cert-out has a self-signed certificate (loopback only).
    if ($Emulator.Url.StartsWith('https:')) { $call.SkipCertificateCheck = $true }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $call.Body = ConvertTo-Json -InputObject $Body -Depth 10 -Compress
        $call.ContentType = 'application/json'
    }
    # Invoke-RestMethod writes a JSON array as one object; assigning and emitting unrolls it.
    $result = Invoke-RestMethod @call
    $result
}

function Reset-GraphEmulator {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-GraphEmulatorControl $Emulator 'reset' -Method POST
}

function Add-GraphEmulatorUser {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][object[]] $User
    )
    Invoke-GraphEmulatorControl $Emulator 'users' -Method POST -Body @($User)
}

function Get-GraphEmulatorRequest {
    param([Parameter(Mandatory)] $Emulator)
    @(Invoke-GraphEmulatorControl $Emulator 'requests')
}

function Clear-GraphEmulatorRequest {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-GraphEmulatorControl $Emulator 'requests' -Method DELETE
}

function New-GraphEmulatorToken {
    param(
        [Parameter(Mandatory)] $Emulator,
        [hashtable] $Claims = @{ scp = 'UserAuthenticationMethod.ReadWrite.All' }
    )
    (Invoke-GraphEmulatorControl $Emulator 'tokens' -Method POST -Body $Claims).access_token
}

# Registers the emulator as a Graph environment and connects the module to it.
function Connect-GraphEmulator {
    param(
        [Parameter(Mandatory)] $Emulator,
        [hashtable] $Claims = @{ scp = 'UserAuthenticationMethod.ReadWrite.All' }
    )
    $null = Add-MgEnvironment -Name $Emulator.EnvironmentName -AzureADEndpoint $Emulator.Url -GraphEndpoint $Emulator.Url
    $token = New-GraphEmulatorToken $Emulator $Claims
    Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $Emulator.EnvironmentName -NoWelcome
}

# The loopback forwarding proxy (tests/emulator/src/bin/test-proxy.rs) for the proxy tests.
function Start-TestProxy {
    [CmdletBinding()]
    param([string] $UserName, [string] $Password)
    $name = if ($IsWindows) { 'test-proxy.exe' } else { 'test-proxy' }
    $path = Join-Path $script:RepoRoot "target/release/$name"
    if (-not (Test-Path $path)) { throw "The test proxy is not built at '$path'. Run './build.ps1 Build' first." }
    $psi = [System.Diagnostics.ProcessStartInfo]::new($path)
    $arguments = @('--exit-on-stdin-close')
    if ($UserName) { $arguments += '--user', $UserName, '--password', $Password }
    foreach ($argument in $arguments) { $psi.ArgumentList.Add($argument) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true   # the proxy exits when this process goes away
    $psi.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($psi)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait(15000) -or $read.Result -notmatch '^TEST_PROXY_URL=(\S+)$') {
        try { $process.Kill() } catch { }
        throw "The test proxy did not report its address (got '$($read.Result)')."
    }
    [pscustomobject]@{ Process = $process; Url = $Matches[1] }
}

function Stop-TestProxy {
    param([Parameter(Mandatory)] $Proxy)
    try { $Proxy.Process.StandardInput.Close() } catch { }
    if (-not $Proxy.Process.WaitForExit(3000)) { try { $Proxy.Process.Kill() } catch { } }
}

# What passed through the proxy: method, target, authorized, credentialsOffered.
function Get-TestProxyLog {
    param([Parameter(Mandatory)] $Proxy)
    $entries = Invoke-RestMethod -Uri "$($Proxy.Url)/_proxy/log" -NoProxy
    @($entries)
}

Export-ModuleMember -Function *-GraphEmulator*, *-TestProxy*
