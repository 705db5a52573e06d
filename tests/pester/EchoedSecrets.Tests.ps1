# Issue 11, item 8: a hostile Graph stand-in repeats the bearer token, the client secret, the proxy
# password and the PIN in its error body, in a header and in a Warning header. None of them may appear
# in any text the module shows: -Debug blocks, verbose lines, warnings, the error message, ErrorDetails
# and the error's target. The sign-in side is the emulator; the Graph side is a small HttpListener here.
# The access token it echoes is the connection's; the client secret is held from an earlier sign-in.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignIn.psm1') -Force
    $script:emulator = Start-GraphEmulator
    $script:tenant = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'
    $script:secret = "sec~$([guid]::NewGuid().ToString('n'))"
    $script:proxyPassword = "pw~$([guid]::NewGuid().ToString('n'))"
    $script:pin = '86429731'
    $app = [guid]::NewGuid().ToString()
    $null = Add-LoginApp $emulator @{ appId = $app; tenantId = $tenant; secrets = @($secret); roles = @('UserAuthenticationMethod.ReadWrite.All') }
    $script:credential = [pscredential]::new($app, (ConvertTo-SecureString $secret -AsPlainText -Force))
    $script:proxy = Start-TestProxy -UserName 'proxy-user' -Password $proxyPassword

    # The hostile server: answers every request 400, echoing what it got and the secrets it was told.
    $port = Get-ClosedLoopbackPort
    $script:hostileUrl = "http://127.0.0.1:$port"
    $script:seenTokens = [System.Collections.Concurrent.ConcurrentBag[string]]::new()
    $script:listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("$hostileUrl/")
    $listener.Start()
    $script:server = [powershell]::Create()
    $null = $server.AddScript({
            param($listener, $seen, [string[]] $echo)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $auth = [string]$context.Request.Headers['Authorization']
                $seen.Add($auth.Replace('Bearer ', ''))
                $body = [System.IO.StreamReader]::new($context.Request.InputStream).ReadToEnd()
                $said = "You sent $auth with $body; I also know $($echo -join ' and ')"
                $json = @{ error = @{ code = 'BadRequest'; message = $said } } | ConvertTo-Json -Compress
                $response = $context.Response
                $response.StatusCode = 400
                $response.Headers.Add('x-echo', $auth)
                $response.Headers.Add('Warning', "299 - `"$auth`"")
                $response.ContentType = 'application/json'
                $bytes = [System.Text.Encoding]::UTF8.GetBytes($json)
                $response.OutputStream.Write($bytes, 0, $bytes.Length)
                $response.Close()
            }
        }).AddArgument($listener).AddArgument($seenTokens).AddArgument(@($secret, $proxyPassword, $pin))
    $script:serving = $server.BeginInvoke()
    $null = Add-MgEnvironment -Name Hostile -AzureADEndpoint $emulator.Url -GraphEndpoint $hostileUrl
    $null = Add-MgEnvironment -Name Emulator -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name Hostile -ErrorAction SilentlyContinue
    Remove-MgEnvironment -Name Emulator -ErrorAction SilentlyContinue
    $listener.Stop()
    $listener.Close()
    $server.Dispose()
    Stop-TestProxy $proxy
    Stop-GraphEmulator $emulator
}

Describe 'Secrets a server sends back are masked' {
    It 'shows no token, client secret, proxy password or PIN in any stream, message, ErrorDetails or target' {
        # The client secret is held from a sign-in at the emulator; the token then goes to the hostile server.
        Connect-MgGraph -TenantId $tenant -ClientSecretCredential $credential -Environment Emulator -NoWelcome
        $token = New-GraphEmulatorToken $emulator @{ scp = 'UserAuthenticationMethod.ReadWrite.All' }
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment Hostile -NoWelcome
        $proxyCredential = [pscredential]::new('proxy-user', (ConvertTo-SecureString $proxyPassword -AsPlainText -Force))
        $records = . {
            $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'adele@contoso.example' -Code $pin `
                -Proxy $proxy.Url -ProxyCredential $proxyCredential -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue `
                -WarningVariable warned 5>&1 4>&1
        }
        $DebugPreference = 'SilentlyContinue'; $VerbosePreference = 'SilentlyContinue'
        $failed.Count | Should -Be 1
        $seenTokens.Count | Should -Be 1
        @($seenTokens)[0] | Should -Be $token
        $texts = @(
            $records | ForEach-Object { "$_" }
            $warned | ForEach-Object { "$_" }
            $failed[0].Exception.Message
            $failed[0].ErrorDetails.Message
            $failed[0].TargetObject | ConvertTo-Json -Depth 8
            $failed[0].Exception.Data.Values | ForEach-Object { "$_" }
        ) -join "`n"
        # The server's words did arrive, masked.
        $texts | Should -Match 'You sent Bearer <redacted>'
        $texts | Should -Match 'x-echo'
        @($warned).Count | Should -BeGreaterThan 0
        foreach ($value in $token, $secret, $proxyPassword, $pin) {
            $texts.Contains($value) | Should -BeFalse -Because "'$value' must never be shown"
        }
    }
}
