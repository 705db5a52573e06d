# -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials and the HTTPS_PROXY/HTTP_PROXY/NO_PROXY variables,
# through the loopback test proxy (tests/emulator/src/bin/test-proxy.rs). HTTPS and environment-variable
# cases run in a child pwsh: the HTTP client reads the certificate store and the variables once per process.
BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
    Import-Module $manifest -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:open = Start-TestProxy
    $script:guarded = Start-TestProxy -UserName 'proxy-user' -Password 'Pr0xy-Pa55-word'
    $script:proxyPassword = 'Pr0xy-Pa55-word'
    $script:cmdletClass = 'Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_'

    function New-ProxyCredential([string] $User, [string] $Password) {
        [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
    }
    function Reset-Tenant([Parameter(Mandatory)] $Emulator) {
        Reset-GraphEmulator $Emulator
        @(Add-GraphEmulatorUser $Emulator @(
                @{ userPrincipalName = 'adele.vance@contoso.example' }
                @{ userPrincipalName = 'alex.wilber@contoso.example' }
            ))
    }
    function Get-PinRequest([Parameter(Mandatory)] $Emulator) {
        @(Get-GraphEmulatorRequest $Emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' })
    }
    # Log entries of a proxy that appeared after the first $Skip entries.
    function Get-NewProxyEntry($Proxy, [int] $Skip) { , @(Get-TestProxyLog $Proxy | Select-Object -Skip $Skip) }

    # Runs $Script in a fresh pwsh with the module imported and $Environment added to its variables. The
    # script gets $Manifest and the -Arguments hashtable as $A, and its last output is returned from JSON.
    function Invoke-ChildPwsh {
        param([Parameter(Mandatory)][string] $Script, [hashtable] $Environment = @{}, [hashtable] $Arguments = @{})
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')))
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-proxy-child-$PID-$([guid]::NewGuid().ToString('n')).ps1"
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $file) { $psi.ArgumentList.Add($a) }
        foreach ($name in $Environment.Keys) { $psi.Environment[$name] = $Environment[$name] }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $payload = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $Arguments -Compress)))
        $text = @"
`$ErrorActionPreference = 'Stop'
`$A = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('$payload')) | ConvertFrom-Json
Import-Module '$manifest'
`$result = & { $Script }
ConvertTo-Json -InputObject `$result -Compress -Depth 5
"@
        Set-Content -LiteralPath $file -Value $text -Encoding utf8
        try {
            $process = [System.Diagnostics.Process]::Start($psi)
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit(120000)) { $process.Kill(); throw 'The child pwsh did not finish within 120 s.' }
        } finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
        $lines = @($stdout.Result -split "`r?`n" | Where-Object { $_ })
        if ($process.ExitCode -ne 0 -or -not $lines) { throw "The child pwsh failed ($($process.ExitCode)): $($stdout.Result) $($stderr.Result)" }
        $lines[-1] | ConvertFrom-Json
    }

    # The part every child script starts with: connect to the emulator at $A.Url with the token $A.Token.
    $script:connectInChild = @'
$null = Add-MgEnvironment -Name Emu -AzureADEndpoint $A.Url -GraphEndpoint $A.Url
Connect-MgGraph -AccessToken (ConvertTo-SecureString $A.Token -AsPlainText -Force) -Environment Emu -NoWelcome
'@
    # One call with the given extra parameters; reports the PIN or the error.
    $script:callInChild = @'
$call = @{ UserId = $A.UserId; Code = $A.Code }
if ($A.Proxy) { $call.Proxy = $A.Proxy }
if ($A.ProxyUser) { $call.ProxyCredential = [pscredential]::new($A.ProxyUser, (ConvertTo-SecureString $A.ProxyPassword -AsPlainText -Force)) }
try {
    $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin @call
    @{ Code = $pin.Code; Error = $null }
} catch {
    @{ Code = $null; Error = $_.Exception.Message; ErrorId = $_.FullyQualifiedErrorId; Category = "$($_.CategoryInfo.Category)" }
}
'@
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-TestProxy $open
    Stop-TestProxy $guarded
    Stop-GraphEmulator $emulator
}

Describe '-Proxy with an http:// Graph endpoint (absolute-form requests)' {
    BeforeEach { $script:users = Reset-Tenant $emulator }

    It 'sends the request through the proxy, even to a loopback endpoint' {
        $before = @(Get-TestProxyLog $open).Count
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '24681357' -Proxy $open.Url
        $pin.Code | Should -BeExactly '24681357'
        $passed = Get-NewProxyEntry $open $before
        $passed.Count | Should -Be 1
        $passed[0].method | Should -Be 'PATCH'
        $passed[0].target | Should -Be "$($emulator.Url)/beta/users/$($users[0].id)/authentication/qrCodePinMethod/pin"
        $passed[0].credentialsOffered | Should -BeFalse
        (Get-PinRequest $emulator).Count | Should -Be 1
    }

    It 'takes piped items through the proxy, each one' {
        $before = @(Get-TestProxyLog $open).Count
        $pins = @($users | ForEach-Object { @{ UserId = $_.id } } | Update-MgBetaUserAuthenticationQrCodePinMethodPin -Proxy $open.Url)
        $pins.Count | Should -Be 2
        (Get-NewProxyEntry $open $before).Count | Should -Be 2
    }

    It 'sends -ProxyCredential as Basic credentials the proxy accepts' {
        $before = @(Get-TestProxyLog $guarded).Count
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[1].userPrincipalName -Code '13572468' `
            -Proxy $guarded.Url -ProxyCredential (New-ProxyCredential 'proxy-user' $proxyPassword)
        $pin.Code | Should -BeExactly '13572468'
        $passed = Get-NewProxyEntry $guarded $before
        $passed.Count | Should -Be 1
        $passed[0].authorized | Should -BeTrue
        # The proxy keeps its Proxy-Authorization header to itself.
        (Get-PinRequest $emulator)[0].headers.PSObject.Properties.Name | Should -Not -Contain 'proxy-authorization'
    }

    It 'reports a wrong proxy password as a 407 error without the password, and sends nothing to Graph' {
        $errors = $null
        $out = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '11223344' -Proxy $guarded.Url `
            -ProxyCredential (New-ProxyCredential 'proxy-user' 'Wr0ng-Pa55') -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $message = $errors[0].Exception.Message
        $message | Should -Match '407 Proxy Authentication Required'
        $message | Should -Match ([regex]::Escape($guarded.Url))
        $message | Should -Match "'proxy-user'"
        $message | Should -Not -Match 'Wr0ng-Pa55|Pr0xy-Pa55-word|11223344'
        $errors[0].CategoryInfo.Category | Should -Be 'NotSpecified'
        Get-PinRequest $emulator | Should -BeNullOrEmpty
        # The session is still usable afterwards.
        (Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '11223344').Code | Should -Be '11223344'
    }

    It 'reports a proxy that wants credentials when none were given' {
        $errors = $null
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Proxy $guarded.Url -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match '407.*asks for credentials.*-ProxyCredential'
        Get-PinRequest $emulator | Should -BeNullOrEmpty
    }

    It 'names the proxy when it cannot be reached' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $errors = $null
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '11223344' -Proxy "http://127.0.0.1:$port" `
            -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match "through the proxy http://127\.0\.0\.1:$port/"
        Get-PinRequest $emulator | Should -BeNullOrEmpty
    }
}

Describe 'Proxy parameters refused before anything is sent' {
    BeforeAll { $script:users = Reset-Tenant $emulator }
    BeforeEach { Clear-GraphEmulatorRequest $emulator; $script:seen = @(Get-TestProxyLog $open).Count }
    AfterEach {
        Get-PinRequest $emulator | Should -BeNullOrEmpty
        (Get-NewProxyEntry $open $seen).Count | Should -Be 0
    }

    It 'stops on -ProxyCredential without -Proxy' {
        $caught = $null
        try {
            @{ UserId = $users[0].id } | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ProxyCredential (New-ProxyCredential 'proxy-user' $proxyPassword)
        } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike "ProxyCredentialWithoutProxy,$($cmdletClass)*"
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Match '-ProxyCredential needs -Proxy'
        $caught.Exception.Message | Should -Not -Match 'Pr0xy-Pa55-word'
    }

    It 'stops on -ProxyUseDefaultCredentials, naming the reason and -ProxyCredential' {
        $caught = $null
        try { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Proxy $open.Url -ProxyUseDefaultCredentials } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "ProxyDefaultCredentialsNotSupported,$($cmdletClass)UpdateExpanded"
        $caught.CategoryInfo.Category | Should -Be 'NotImplemented'
        $caught.Exception | Should -BeOfType [System.NotSupportedException]
        $caught.Exception.Message | Should -Match 'NTLM or Negotiate'
        $caught.Exception.Message | Should -Match '-ProxyCredential'
    }

    It 'refuses a proxy on another machine for the plain http:// endpoint, sending nothing' {
        # Not a routable address: with the bug, the token would have been offered to it in clear.
        $out = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -Proxy 'http://192.0.2.10:3128' `
            -ProxyCredential (New-ProxyCredential 'proxy-user' $proxyPassword) -ErrorVariable failed -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "InsecureProxy,$($cmdletClass)UpdateExpanded"
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].Exception.Message | Should -Match 'unencrypted'
        $failed[0].Exception.Message | Should -Match 'Nothing was sent'
        $failed[0].Exception.Message | Should -Not -Match 'Pr0xy-Pa55-word'
    }

    It 'refuses the proxy address <Case>' -ForEach @(
        @{ Case = 'with a socks5 scheme'; Address = 'socks5://127.0.0.1:1080'; Pattern = "scheme 'socks5'" }
        @{ Case = 'without a scheme'; Address = '127.0.0.1:3128'; Pattern = 'absolute address' }
        @{ Case = 'with a path'; Address = 'http://127.0.0.1:3128/proxy'; Pattern = 'no path' }
        @{ Case = 'with a password inside'; Address = 'http://proxy-user:Pr0xy-Pa55-word@127.0.0.1:3128'; Pattern = '-ProxyCredential' }
    ) {
        $caught = $null
        try { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Proxy $Address } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "InvalidProxy,$($cmdletClass)UpdateExpanded"
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Match $Pattern
        $caught.Exception.Message | Should -Not -Match 'Pr0xy-Pa55-word'
    }
}

Describe '-Proxy with an https:// Graph endpoint (CONNECT), in a child pwsh' {
    BeforeAll {
        $script:pem = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-emulator-$PID.pem"
        $script:tls = Start-GraphEmulator -ArgumentList '--tls-cert-out', $pem
        $script:tlsUsers = Reset-Tenant $tls
        $script:tlsToken = New-GraphEmulatorToken $tls
    }
    AfterAll {
        Stop-GraphEmulator $tls
        Remove-Item $pem -ErrorAction SilentlyContinue
    }
    BeforeEach { Clear-GraphEmulatorRequest $tls }

    It 'opens a tunnel with the proxy credentials and resets the PIN' {
        $tls.Url | Should -Match '^https://127\.0\.0\.1:\d+$'
        $before = @(Get-TestProxyLog $guarded).Count
        $result = Invoke-ChildPwsh -Script ($connectInChild + "`n" + $callInChild) -Environment @{ SSL_CERT_FILE = $pem } -Arguments @{
            Url = $tls.Url; Token = $tlsToken; UserId = $tlsUsers[0].id; Code = '97531864'
            Proxy = $guarded.Url; ProxyUser = 'proxy-user'; ProxyPassword = $proxyPassword
        }
        $result.Error | Should -BeNullOrEmpty
        $result.Code | Should -BeExactly '97531864'
        $passed = Get-NewProxyEntry $guarded $before
        $passed.Count | Should -BeGreaterOrEqual 1
        $passed[0].method | Should -Be 'CONNECT'
        $passed[0].target | Should -Be ($tls.Url -replace '^https://', '')
        $passed[0].authorized | Should -BeTrue
        (Get-PinRequest $tls).Count | Should -Be 1
    }

    It 'reports a refused tunnel (407) clearly, without the password' {
        $result = Invoke-ChildPwsh -Script ($connectInChild + "`n" + $callInChild) -Environment @{ SSL_CERT_FILE = $pem } -Arguments @{
            Url = $tls.Url; Token = $tlsToken; UserId = $tlsUsers[0].id; Code = '97531864'
            Proxy = $guarded.Url; ProxyUser = 'proxy-user'; ProxyPassword = 'Wr0ng-Pa55'
        }
        $result.Code | Should -BeNullOrEmpty
        $result.Error | Should -Match '407 Proxy Authentication Required'
        $result.Error | Should -Match "'proxy-user'"
        $result.Error | Should -Not -Match 'Wr0ng-Pa55|97531864'
        $result.Category | Should -Be 'NotSpecified'
        Get-PinRequest $tls | Should -BeNullOrEmpty
    }

    It 'uses HTTPS_PROXY from the environment' {
        $before = @(Get-TestProxyLog $open).Count
        $result = Invoke-ChildPwsh -Script ($connectInChild + "`n" + $callInChild) -Environment @{ SSL_CERT_FILE = $pem; HTTPS_PROXY = $open.Url } -Arguments @{
            Url = $tls.Url; Token = $tlsToken; UserId = $tlsUsers[1].id; Code = '86420975'
        }
        $result.Error | Should -BeNullOrEmpty
        $result.Code | Should -BeExactly '86420975'
        $passed = Get-NewProxyEntry $open $before
        $passed.Count | Should -BeGreaterOrEqual 1
        $passed[0].method | Should -Be 'CONNECT'
        $passed[0].target | Should -Be ($tls.Url -replace '^https://', '')
    }
}

Describe 'HTTP_PROXY and NO_PROXY from the environment, in a child pwsh' {
    BeforeAll {
        $script:users = Reset-Tenant $emulator
        $script:token = New-GraphEmulatorToken $emulator
    }

    It 'sends through HTTP_PROXY' {
        $before = @(Get-TestProxyLog $open).Count
        $result = Invoke-ChildPwsh -Script ($connectInChild + "`n" + $callInChild) -Environment @{ HTTP_PROXY = $open.Url } -Arguments @{
            Url = $emulator.Url; Token = $token; UserId = $users[0].id; Code = '55667788'
        }
        $result.Error | Should -BeNullOrEmpty
        $result.Code | Should -BeExactly '55667788'
        $passed = Get-NewProxyEntry $open $before
        $passed.Count | Should -Be 1
        $passed[0].method | Should -Be 'PATCH'
        $passed[0].target | Should -BeLike "$($emulator.Url)/beta/users/*"
    }

    It 'goes direct to a host listed in NO_PROXY' {
        $before = @(Get-TestProxyLog $open).Count
        Clear-GraphEmulatorRequest $emulator
        $result = Invoke-ChildPwsh -Script ($connectInChild + "`n" + $callInChild) -Environment @{ HTTP_PROXY = $open.Url; NO_PROXY = '127.0.0.1' } -Arguments @{
            Url = $emulator.Url; Token = $token; UserId = $users[1].id; Code = '99887766'
        }
        $result.Error | Should -BeNullOrEmpty
        $result.Code | Should -BeExactly '99887766'
        (Get-NewProxyEntry $open $before).Count | Should -Be 0
        (Get-PinRequest $emulator).Count | Should -Be 1
    }

    It 'prefers -Proxy to the environment' {
        $beforeOpen = @(Get-TestProxyLog $open).Count
        $beforeGuarded = @(Get-TestProxyLog $guarded).Count
        $result = Invoke-ChildPwsh -Script ($connectInChild + "`n" + $callInChild) -Environment @{ HTTP_PROXY = $open.Url } -Arguments @{
            Url = $emulator.Url; Token = $token; UserId = $users[0].id; Code = '44556677'
            Proxy = $guarded.Url; ProxyUser = 'proxy-user'; ProxyPassword = $proxyPassword
        }
        $result.Code | Should -BeExactly '44556677'
        (Get-NewProxyEntry $open $beforeOpen).Count | Should -Be 0
        (Get-NewProxyEntry $guarded $beforeGuarded).Count | Should -Be 1
    }
}
