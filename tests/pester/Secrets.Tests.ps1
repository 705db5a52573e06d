# Every sign-in flow with -Verbose -Debug under Start-Transcript: no secret, key, password, token,
# refresh token, device or authorization code, or PIN may appear in the transcript, in $Error, or
# in any stream. The emulator lists everything secret it handed out (/_emulator/issued-secrets).

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignIn.psm1') -Force
    $script:emulator = Start-GraphEmulator
    $null = Add-MgEnvironment -Name GraphEmulator -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
    $script:savedEnv = @{}
    foreach ($name in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID',
        'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'MICROSOFT_GRAPH_RS_CONTEXT_DIR', 'MICROSOFT_GRAPH_RS_BROWSER') {
        $savedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $env:MICROSOFT_GRAPH_RS_CONTEXT_DIR = Join-Path $TestDrive 'context'
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    foreach ($name in $savedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnv[$name]) }
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'No secret in any output' {
    It 'keeps every secret of every flow out of the transcript, $Error and all streams' {
        $tenant = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'
        $rw = 'UserAuthenticationMethod.ReadWrite.All'
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = 'adele@contoso.example' })
        $secret = "sec~$([guid]::NewGuid().ToString('n'))"
        $wrongSecret = "bad~$([guid]::NewGuid().ToString('n'))"
        $pfxPassword = "pfx~$([guid]::NewGuid().ToString('n'))"
        $identityHeader = "hdr~$([guid]::NewGuid().ToString('n'))"
        $cert = New-TestCertificate
        $keyText = Get-PrivateKeyText $cert
        $pfx = Join-Path $TestDrive 'secret.pfx'
        Save-TestPfx $cert $pfx $pfxPassword
        $secretApp = [guid]::NewGuid().ToString()
        $certApp = [guid]::NewGuid().ToString()
        $publicApp = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $emulator @{ appId = $secretApp; tenantId = $tenant; secrets = @($secret); roles = @($rw); tokenLifetimeSeconds = 4 }
        $null = Add-LoginApp $emulator @{ appId = $certApp; tenantId = $tenant; certificates = @(Get-PublicPem $cert); roles = @($rw) }
        $null = Add-LoginApp $emulator @{ appId = $publicApp; delegatedPermissions = @($rw) }
        $null = Invoke-LoginControl $emulator 'identities' -Method POST -Body @{ clientId = [guid]::NewGuid().ToString(); systemAssigned = $true; roles = @($rw) }
        $null = Invoke-LoginControl $emulator 'login-settings' -Method PUT -Body @{ deviceCodeInterval = 1; identityHeader = $identityHeader; autoApproveDeviceCodes = $true }
        $ownToken = New-GraphEmulatorToken $emulator @{ scp = $rw }
        $pins = [System.Collections.Generic.List[string]]::new()
        $browser = New-TestBrowser (Join-Path $TestDrive 'browser')
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $Error.Clear()
        $null = Start-Transcript -Path $transcript -Force
        # Every record is kept (as text) and also shown, so the transcript holds every stream too.
        $streams = [System.Collections.Generic.List[string]]::new()
        try {
            & {
                $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
                function Step([scriptblock] $Connect) {
                    & $Connect
                    Get-MgContext | Format-List * | Out-String
                    $code = -join (1..8 | ForEach-Object { Get-Random -Minimum 0 -Maximum 10 })
                    $pins.Add($code)
                    # Verbose and debug output come from the preferences set above.
                    $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'adele@contoso.example' -Code $code
                }
                Step { Connect-MgGraph -ClientSecretCredential ([pscredential]::new($secretApp, (ConvertTo-SecureString $secret -AsPlainText -Force))) -TenantId $tenant -Environment GraphEmulator -Verbose -Debug }
                Start-Sleep -Milliseconds 3300   # the next request renews the 4-second token
                Step { }
                try { Connect-MgGraph -ClientSecretCredential ([pscredential]::new($secretApp, (ConvertTo-SecureString $wrongSecret -AsPlainText -Force))) -TenantId $tenant -Environment GraphEmulator -Verbose -Debug } catch { $_ | Out-String }
                Step { Connect-MgGraph -ClientId $certApp -TenantId $tenant -CertificatePath $pfx -CertificatePassword (ConvertTo-SecureString $pfxPassword -AsPlainText -Force) -Environment GraphEmulator -Verbose -Debug }
                try { Connect-MgGraph -ClientId $certApp -TenantId $tenant -CertificatePath $pfx -CertificatePassword (ConvertTo-SecureString $wrongSecret -AsPlainText -Force) -Environment GraphEmulator -Verbose -Debug } catch { $_ | Out-String }
                Step { Connect-MgGraph -ClientId $certApp -TenantId $tenant -Certificate $cert -SendCertificateChain $true -Environment GraphEmulator -Verbose -Debug }
                $env:AZURE_TENANT_ID = $tenant; $env:AZURE_CLIENT_ID = $secretApp; $env:AZURE_CLIENT_SECRET = $secret
                try { Step { Connect-MgGraph -EnvironmentVariable -Environment GraphEmulator -Verbose -Debug } } finally { $env:AZURE_CLIENT_SECRET = $null }
                $env:AZURE_CLIENT_ID = $certApp; $env:AZURE_CLIENT_CERTIFICATE_PATH = $pfx; $env:AZURE_CLIENT_CERTIFICATE_PASSWORD = $pfxPassword
                try { Step { Connect-MgGraph -EnvironmentVariable -Environment GraphEmulator -Verbose -Debug } } finally { $env:AZURE_CLIENT_CERTIFICATE_PATH = $null; $env:AZURE_CLIENT_CERTIFICATE_PASSWORD = $null; $env:AZURE_TENANT_ID = $null; $env:AZURE_CLIENT_ID = $null }
                $env:IDENTITY_ENDPOINT = "$($emulator.Url)/msi/token"; $env:IDENTITY_HEADER = $identityHeader
                try { Step { Connect-MgGraph -Identity -Environment GraphEmulator -Verbose -Debug } } finally { $env:IDENTITY_ENDPOINT = $null; $env:IDENTITY_HEADER = $null }
                $env:MSI_ENDPOINT = "$($emulator.Url)/msi/token"; $env:MSI_SECRET = $identityHeader
                try { Step { Connect-MgGraph -Identity -Environment GraphEmulator -Verbose -Debug } } finally { $env:MSI_ENDPOINT = $null; $env:MSI_SECRET = $null }
                Step { Connect-MgGraph -AccessToken $ownToken -Environment GraphEmulator -Verbose -Debug }
                Step { Connect-MgGraph -AccessToken (ConvertTo-SecureString $ownToken -AsPlainText -Force) -Environment GraphEmulator -Verbose -Debug }
                $env:MICROSOFT_GRAPH_RS_BROWSER = $browser
                try { Step { Connect-MgGraph -Scopes $rw -ClientId $publicApp -TenantId $tenant -Environment GraphEmulator -Verbose -Debug } } finally { $env:MICROSOFT_GRAPH_RS_BROWSER = $null }
                Step { Connect-MgGraph -UseDeviceCode -Scopes $rw -ClientId $publicApp -TenantId $tenant -Environment GraphEmulator -ContextScope Process -Verbose -Debug }
                # CurrentUser: the saved session signs in silently.
                Step { Connect-MgGraph -UseDeviceCode -Scopes $rw -ClientId $publicApp -TenantId $tenant -Environment GraphEmulator -Verbose -Debug }
                Disconnect-MgGraph -Verbose -Debug | Format-List * | Out-String
            } *>&1 | ForEach-Object { $streams.Add(($_ | Out-String)); $_ } | Out-Default
        } finally {
            $null = Stop-Transcript
        }

        $issued = @(Invoke-LoginControl $emulator 'issued-secrets')
        $secrets = @($secret, $wrongSecret, $pfxPassword, $identityHeader, $keyText, $ownToken) + $issued + $pins
        $haystacks = [ordered]@{
            transcript = Get-Content -Raw $transcript
            streams    = ($streams -join "`n")
            errors     = (@($Error | ForEach-Object { $_ | Out-String; $_.Exception | Format-List * -Force | Out-String; "$($_.TargetObject | ConvertTo-Json -Depth 5 -Compress)" }) -join "`n")
        }
        # Sanity: the run did what it claims (so a silent no-op cannot pass).
        $haystacks.streams | Should -Match 'Welcome to Microsoft Graph'
        $haystacks.streams | Should -Match 'AADSTS7000215'
        $haystacks.streams | Should -Match 'Got a new access token'
        $haystacks.streams | Should -Match 'HTTP REQUEST ='
        $haystacks.streams | Should -Match 'Signed in silently'
        $haystacks.transcript | Should -Match 'Got a new access token'
        $haystacks.transcript | Should -Match 'form fields'
        $issued.Count | Should -BeGreaterThan 10
        $pins.Count | Should -Be 13
        foreach ($place in $haystacks.Keys) {
            foreach ($s in $secrets) {
                if ($haystacks[$place].Contains($s)) {
                    throw "A secret ($($s.Length) characters, starting '$($s.Substring(0, 4))') appears in the $place."
                }
            }
        }
        # A JWT of any kind would start like this.
        $haystacks.Values | ForEach-Object { $_ | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.eyJ' }
    }
}
