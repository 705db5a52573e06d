# Every sign-in flow of Connect-MgGraph against the emulator's login endpoints, the failures users
# meet, token renewal, and -ContextScope CurrentUser. Every endpoint used is on loopback: managed
# identity tests always point IDENTITY_ENDPOINT / MSI_ENDPOINT at the emulator or a closed
# loopback port, never at the instance metadata address.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignIn.psm1') -Force
    $script:emulator = Start-GraphEmulator
    $null = Add-MgEnvironment -Name GraphEmulator -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
    $script:tenant = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'
    $script:rw = 'UserAuthenticationMethod.ReadWrite.All'
    $script:savedEnv = @{}
    foreach ($name in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID',
        'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_USERNAME',
        'MICROSOFT_GRAPH_RS_CONTEXT_DIR', 'MICROSOFT_GRAPH_RS_BROWSER') {
        $savedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    # Never the real user's folder.
    $env:MICROSOFT_GRAPH_RS_CONTEXT_DIR = Join-Path $TestDrive 'context'
    $script:browser = New-TestBrowser (Join-Path $TestDrive 'browser')

    function Initialize-Tenant {
        Reset-GraphEmulator $emulator
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = 'adele@contoso.example' }, @{ userPrincipalName = 'admin@contoso.example' })
        $null = Invoke-LoginControl $emulator 'tenants' -Method POST -Body @{ id = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'; domain = 'fabrikam.example' }
        $script:secret = "sec~$([guid]::NewGuid().ToString('n'))"
        $script:secretApp = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $emulator @{ appId = $secretApp; displayName = 'PIN reset robot'; tenantId = $tenant; secrets = @($secret); roles = @($rw) }
        $script:weakApp = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $emulator @{ appId = $weakApp; displayName = 'Reader'; tenantId = $tenant; secrets = @($secret); roles = @('User.Read.All') }
        $script:cert = New-TestCertificate
        $script:certApp = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $emulator @{ appId = $certApp; displayName = 'Cert robot'; tenantId = $tenant; certificates = @(Get-PublicPem $cert); roles = @($rw) }
        $script:publicApp = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $emulator @{ appId = $publicApp; displayName = 'Helpdesk console'; delegatedPermissions = @($rw) }
        $null = Invoke-LoginControl $emulator 'login-settings' -Method PUT -Body @{ deviceCodeInterval = 1; identityHeader = 'id-header-value'; signInUser = 'admin@contoso.example'; consent = $true }
    }
    function New-Credential([string] $User, [string] $Password) {
        [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
    }
    function Reset-Pin {
        [CmdletBinding()]
        param([string] $Code = '12345678')
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'adele@contoso.example' -Code $Code
    }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    foreach ($name in $savedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnv[$name]) }
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'Connect-MgGraph surface' {
    It 'has the official parameter sets, with UserParameterSet as the default' {
        $command = Get-Command Connect-MgGraph -Module Microsoft.Graph.Rs
        $command.DefaultParameterSet | Should -Be 'UserParameterSet'
        $command.ParameterSets.Name | Sort-Object | Should -Be @('AccessTokenParameterSet', 'AppCertificateParameterSet', 'AppSecretCredentialParameterSet',
            'EnvironmentVariableParameterSet', 'IdentityParameterSet', 'UserParameterSet')
    }

    It 'has the official aliases: <Name>' -ForEach @(
        @{ Name = 'ClientId'; Aliases = @('AppId', 'ApplicationId') }
        @{ Name = 'CertificateSubjectName'; Aliases = @('CertificateSubject', 'CertificateName') }
        @{ Name = 'ClientSecretCredential'; Aliases = @('SecretCredential', 'Credential') }
        @{ Name = 'TenantId'; Aliases = @('Audience', 'Tenant') }
        @{ Name = 'Environment'; Aliases = @('EnvironmentName', 'NationalCloud') }
        @{ Name = 'UseDeviceCode'; Aliases = @('UseDeviceAuthentication', 'DeviceCode', 'DeviceAuth', 'Device') }
        @{ Name = 'Identity'; Aliases = @('ManagedIdentity', 'ManagedServiceIdentity', 'MSI') }
    ) {
        (Get-Command Connect-MgGraph).Parameters[$Name].Aliases | Sort-Object | Should -Be ($Aliases | Sort-Object)
    }

    It 'refuses -Break with a clear error' {
        { Connect-MgGraph -Identity -Break } | Should -Throw '*-Break is not supported*'
    }

    It 'types -ContextScope with an enum of its own: Process and CurrentUser, in the official order' {
        $type = (Get-Command Connect-MgGraph -Module Microsoft.Graph.Rs).Parameters.ContextScope.ParameterType
        $type.FullName | Should -BeExactly 'MicrosoftGraphRs.ContextScope'
        $type.IsEnum | Should -BeTrue
        [enum]::GetNames($type) | Should -Be @('Process', 'CurrentUser')
        [int[]][enum]::GetValues($type) | Should -Be @(0, 1)
    }

    It 'completes -ContextScope <Line>' -ForEach @(
        @{ Line = 'Connect-MgGraph -ContextScope '; Expected = @('CurrentUser', 'Process') }
        @{ Line = 'Connect-MgGraph -ContextScope p'; Expected = @('Process') }
        @{ Line = 'Connect-MgGraph -ClientId x -ContextScope c'; Expected = @('CurrentUser') }
    ) {
        $completion = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        @($completion.CompletionMatches.CompletionText) | Should -Be $Expected
    }

    It 'binds a string in any case (<_>), and refuses a name it does not know, naming both' -ForEach @('process', 'CURRENTUSER', 'Process') {
        # -Break is refused after binding: reaching it means the value bound.
        { Connect-MgGraph -Identity -ContextScope $_ -Break } | Should -Throw '*-Break is not supported*'
        $failure = { Connect-MgGraph -Identity -ContextScope Machine -Break } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError*'
        $failure.Exception.Message | Should -Match 'Process, CurrentUser'
    }
}

Describe 'Client secret' {
    BeforeAll { Initialize-Tenant }

    It 'connects, reports the context from the token and resets a PIN' {
        $out = Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId $tenant -Environment GraphEmulator 6>&1
        "$out" | Should -Match "^Welcome to Microsoft Graph! .*app-only access using client $secretApp"
        $context = Get-MgContext
        $context.ClientId | Should -Be $secretApp
        $context.TenantId | Should -Be $tenant
        $context.Scopes | Should -Be @($rw)
        $context.AuthType | Should -Be 'AppOnly'
        $context.TokenCredentialType | Should -Be 'ClientSecret'
        $context.AppName | Should -Be 'PIN reset robot'
        $context.ContextScope | Should -Be 'Process'
        $context.Environment | Should -Be 'GraphEmulator'
        $context.ClientTimeout | Should -Be ([timespan]::FromMinutes(5))
        ($context | ConvertTo-Json) | Should -Not -Match ([regex]::Escape($secret))
        (Reset-Pin).Code | Should -Be '12345678'
    }

    It 'takes -ContextScope as a string in any case and hands the library its canonical name' {
        Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId $tenant -Environment GraphEmulator -ContextScope 'process' -NoWelcome
        (Get-MgContext).ContextScope | Should -BeExactly 'Process'
    }

    It 'accepts the tenant by domain name, and -ClientTimeout' {
        Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId contoso.example -Environment GraphEmulator -ClientTimeout 42.5 -NoWelcome
        (Get-MgContext).ClientTimeout | Should -Be ([timespan]::FromSeconds(42.5))
    }

    It 'names a wrong secret as the cause, without the secret, and keeps the previous connection' {
        Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId $tenant -Environment GraphEmulator -NoWelcome
        $wrong = "wrong~$([guid]::NewGuid().ToString('n'))"
        $failure = { Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $wrong) -TenantId $tenant -Environment GraphEmulator -NoWelcome } |
            Should -Throw -PassThru
        $failure.Exception.Message | Should -Match 'AADSTS7000215'
        $failure.Exception.Message | Should -Match 'client secret'
        $failure.Exception.Message | Should -Not -Match ([regex]::Escape($wrong))
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        (Get-MgContext).ClientId | Should -Be $secretApp
        (Reset-Pin '22223333').Code | Should -Be '22223333'
    }

    It 'names an unknown tenant as the cause' {
        { Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId nowhere.example -Environment GraphEmulator -NoWelcome } |
            Should -Throw "*Tenant 'nowhere.example' not found*"
    }

    It 'names an unknown application as the cause' {
        $other = [guid]::NewGuid().ToString()
        { Connect-MgGraph -ClientSecretCredential (New-Credential $other $secret) -TenantId $tenant -Environment GraphEmulator -NoWelcome } |
            Should -Throw "*AADSTS700016*$other*"
    }

    It 'needs -TenantId for app-only sign-in' {
        { Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -Environment GraphEmulator -NoWelcome } |
            Should -Throw '*TenantId is required*'
    }

    It 'reports a missing permission as the 403 Graph answers' {
        Connect-MgGraph -ClientSecretCredential (New-Credential $weakApp $secret) -TenantId $tenant -Environment GraphEmulator -NoWelcome
        (Get-MgContext).Scopes | Should -Be @('User.Read.All')
        Reset-Pin -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Authorization_RequestDenied,*'
        $failures[0].Exception.Message | Should -Match 'Insufficient privileges'
    }
}

Describe 'Certificate' {
    BeforeAll { Initialize-Tenant }

    It 'signs in with -Certificate and reports the thumbprint' {
        Connect-MgGraph -ClientId $certApp -TenantId $tenant -Certificate $cert -Environment GraphEmulator -NoWelcome
        $context = Get-MgContext
        $context.AuthType | Should -Be 'AppOnly'
        $context.TokenCredentialType | Should -Be 'ClientCertificate'
        $context.CertificateThumbprint | Should -Be $cert.Thumbprint
        (Reset-Pin).Code | Should -Be '12345678'
        $request = @(Get-LoginRequest $emulator | Where-Object clientId -EQ $certApp)[-1]
        $request.grantType | Should -Be 'client_credentials'
        $request.status | Should -Be 200
    }

    It 'signs in with -SendCertificateChain' {
        Connect-MgGraph -ClientId $certApp -TenantId $tenant -Certificate $cert -SendCertificateChain $true -Environment GraphEmulator -NoWelcome
        (Get-MgContext).CertificateThumbprint | Should -Be $cert.Thumbprint
    }

    It 'reads a PFX file with its password' {
        $pfx = Join-Path $TestDrive 'app.pfx'
        Save-TestPfx $cert $pfx 'pfx-pass-1'
        Connect-MgGraph -ClientId $certApp -TenantId $tenant -CertificatePath $pfx -CertificatePassword (ConvertTo-SecureString 'pfx-pass-1' -AsPlainText -Force) -Environment GraphEmulator -NoWelcome
        (Get-MgContext).CertificateThumbprint | Should -Be $cert.Thumbprint
        (Reset-Pin).Code | Should -Be '12345678'
    }

    It 'reads a PEM file holding the certificate and its key' {
        $pem = Join-Path $TestDrive 'app.pem'
        Save-TestPem $cert $pem
        Connect-MgGraph -ClientId $certApp -TenantId $tenant -CertificatePath $pem -Environment GraphEmulator -NoWelcome
        (Get-MgContext).CertificateThumbprint | Should -Be $cert.Thumbprint
    }

    It 'names a wrong PFX password as the cause, without the password' {
        $pfx = Join-Path $TestDrive 'app2.pfx'
        Save-TestPfx $cert $pfx 'right-pass'
        $failure = { Connect-MgGraph -ClientId $certApp -TenantId $tenant -CertificatePath $pfx -CertificatePassword (ConvertTo-SecureString 'wrong-pass' -AsPlainText -Force) -Environment GraphEmulator -NoWelcome } |
            Should -Throw -PassThru
        $failure.Exception.Message | Should -Match 'could not be read'
        $failure.Exception.Message | Should -Not -Match 'wrong-pass|right-pass'
    }

    It 'refuses a certificate the application does not know' {
        $other = New-TestCertificate
        { Connect-MgGraph -ClientId $certApp -TenantId $tenant -Certificate $other -Environment GraphEmulator -NoWelcome } |
            Should -Throw '*AADSTS700027*not registered*'
    }

    It 'refuses a certificate without its private key' {
        $public = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cert.RawData)
        { Connect-MgGraph -ClientId $certApp -TenantId $tenant -Certificate $public -Environment GraphEmulator -NoWelcome } |
            Should -Throw '*has no private key*'
    }

    It 'refuses a malformed thumbprint and a missing file' {
        { Connect-MgGraph -ClientId $certApp -TenantId $tenant -CertificateThumbprint 'abc' -Environment GraphEmulator -NoWelcome } |
            Should -Throw '*40 hexadecimal*'
        { Connect-MgGraph -ClientId $certApp -TenantId $tenant -CertificatePath (Join-Path $TestDrive 'none.pfx') -Environment GraphEmulator -NoWelcome } |
            Should -Throw '*there is no file*'
    }

    It 'finds the certificate in the CurrentUser store by thumbprint and by subject name (own HOME)' {
        $home2 = Join-Path $TestDrive 'store-home'
        $null = New-Item -ItemType Directory -Force $home2
        $pfx = Join-Path $TestDrive 'store.pfx'
        Save-TestPfx $cert $pfx 'store-pass'
        $child = Start-ChildPwsh -Emulator $emulator -Environment @{ HOME = $home2 } -Script @"
`$c = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$pfx', 'store-pass', 'Exportable,PersistKeySet')
`$store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser'); `$store.Open('ReadWrite'); `$store.Add(`$c); `$store.Close()
try {
    Connect-MgGraph -ClientId '$certApp' -TenantId '$tenant' -CertificateThumbprint '$($cert.Thumbprint.ToLowerInvariant())' -Environment GraphEmulator -NoWelcome
    'BYTHUMB=' + (Get-MgContext).CertificateThumbprint
    Connect-MgGraph -ClientId '$certApp' -TenantId '$tenant' -CertificateSubjectName '$($cert.Subject)' -Environment GraphEmulator -NoWelcome
    'BYSUBJECT=' + (Get-MgContext).CertificateThumbprint
} finally {
    `$store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser'); `$store.Open('ReadWrite'); `$store.Remove(`$c); `$store.Close()
}
"@
        $result = Wait-Child $child
        $result.Error | Should -BeNullOrEmpty
        $result.Output | Should -Match "BYTHUMB=$($cert.Thumbprint)"
        $result.Output | Should -Match "BYSUBJECT=$($cert.Thumbprint)"
    }
}

Describe 'Environment variables' {
    BeforeAll { Initialize-Tenant }
    AfterEach {
        foreach ($n in 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_USERNAME') {
            [Environment]::SetEnvironmentVariable($n, $null)
        }
    }

    It 'signs in with AZURE_CLIENT_SECRET' {
        $env:AZURE_TENANT_ID = $tenant; $env:AZURE_CLIENT_ID = $secretApp; $env:AZURE_CLIENT_SECRET = $secret
        Connect-MgGraph -EnvironmentVariable -Environment GraphEmulator -NoWelcome
        $context = Get-MgContext
        $context.TokenCredentialType | Should -Be 'EnvironmentVariable'
        $context.AuthType | Should -Be 'AppOnly'
        $context.ClientId | Should -Be $secretApp
        (Reset-Pin).Code | Should -Be '12345678'
    }

    It 'signs in with AZURE_CLIENT_CERTIFICATE_PATH and its password' {
        $pfx = Join-Path $TestDrive 'env.pfx'
        Save-TestPfx $cert $pfx 'env-pass'
        $env:AZURE_TENANT_ID = $tenant; $env:AZURE_CLIENT_ID = $certApp
        $env:AZURE_CLIENT_CERTIFICATE_PATH = $pfx; $env:AZURE_CLIENT_CERTIFICATE_PASSWORD = 'env-pass'
        Connect-MgGraph -EnvironmentVariable -Environment GraphEmulator -NoWelcome
        (Get-MgContext).CertificateThumbprint | Should -Be $cert.Thumbprint
        (Get-MgContext).TokenCredentialType | Should -Be 'EnvironmentVariable'
    }

    It 'names what is missing' {
        { Connect-MgGraph -EnvironmentVariable -Environment GraphEmulator -NoWelcome } | Should -Throw '*AZURE_TENANT_ID and AZURE_CLIENT_ID must be set*'
        $env:AZURE_TENANT_ID = $tenant; $env:AZURE_CLIENT_ID = $secretApp
        { Connect-MgGraph -EnvironmentVariable -Environment GraphEmulator -NoWelcome } | Should -Throw '*AZURE_CLIENT_SECRET, or AZURE_CLIENT_CERTIFICATE_PATH*'
        $env:AZURE_USERNAME = 'someone@contoso.example'
        { Connect-MgGraph -EnvironmentVariable -Environment GraphEmulator -NoWelcome } | Should -Throw '*AZURE_USERNAME*not supported*'
    }
}

Describe 'Managed identity' {
    BeforeAll {
        Initialize-Tenant
        $script:systemId = [guid]::NewGuid().ToString()
        $script:userId = [guid]::NewGuid().ToString()
        $null = Invoke-LoginControl $emulator 'identities' -Method POST -Body @(
            @{ clientId = $systemId; systemAssigned = $true; roles = @($rw) }
            @{ clientId = $userId; roles = @('UserAuthMethod-QR.ReadWrite.All') }
        )
    }
    AfterEach {
        foreach ($n in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET') { [Environment]::SetEnvironmentVariable($n, $null) }
    }

    It 'uses IDENTITY_ENDPOINT with IDENTITY_HEADER for the system-assigned identity' {
        $env:IDENTITY_ENDPOINT = "$($emulator.Url)/msi/token"; $env:IDENTITY_HEADER = 'id-header-value'
        Connect-MgGraph -Identity -Environment GraphEmulator -NoWelcome
        $context = Get-MgContext
        $context.AuthType | Should -Be 'ManagedIdentity'
        $context.TokenCredentialType | Should -Be 'ManagedIdentity'
        $context.ClientId | Should -Be $systemId
        (Reset-Pin).Code | Should -Be '12345678'
    }

    It 'asks for a user-assigned identity with -ClientId' {
        $env:IDENTITY_ENDPOINT = "$($emulator.Url)/msi/token"; $env:IDENTITY_HEADER = 'id-header-value'
        Connect-MgGraph -Identity -ClientId $userId -Environment GraphEmulator -NoWelcome
        (Get-MgContext).ClientId | Should -Be $userId
        (Get-MgContext).Scopes | Should -Be @('UserAuthMethod-QR.ReadWrite.All')
    }

    It 'falls back to MSI_ENDPOINT with MSI_SECRET' {
        $env:MSI_ENDPOINT = "$($emulator.Url)/msi/token"; $env:MSI_SECRET = 'id-header-value'
        Connect-MgGraph -Identity -Environment GraphEmulator -NoWelcome
        (Get-MgContext).ClientId | Should -Be $systemId
    }

    It 'names an endpoint that is down' {
        $port = Get-ClosedLoopbackPort
        $env:IDENTITY_ENDPOINT = "http://127.0.0.1:$port/msi/token"; $env:IDENTITY_HEADER = 'id-header-value'
        $failure = { Connect-MgGraph -Identity -Environment GraphEmulator -NoWelcome } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Match 'IDENTITY_ENDPOINT'
        $failure.Exception.Message | Should -Match "127\.0\.0\.1:$port was refused"
        $failure.Exception.Message | Should -Not -Match 'id-header-value'
    }

    It 'names a wrong identity header and an unknown identity' {
        $env:IDENTITY_ENDPOINT = "$($emulator.Url)/msi/token"; $env:IDENTITY_HEADER = 'not-the-header'
        $failure = { Connect-MgGraph -Identity -Environment GraphEmulator -NoWelcome } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Match 'identity header'
        $failure.Exception.Message | Should -Not -Match 'not-the-header'
        $env:IDENTITY_HEADER = 'id-header-value'
        $other = [guid]::NewGuid().ToString()
        { Connect-MgGraph -Identity -ClientId $other -Environment GraphEmulator -NoWelcome } | Should -Throw "*user-assigned identity*$other*"
    }
}

Describe 'Your own access token' {
    BeforeAll { Initialize-Tenant }

    It 'accepts a plain string as well as a SecureString' {
        $token = New-GraphEmulatorToken $emulator @{ scp = $rw; upn = 'admin@contoso.example' }
        Connect-MgGraph -AccessToken $token -Environment GraphEmulator -NoWelcome
        (Get-MgContext).AuthType | Should -Be 'UserProvidedAccessToken'
        (Reset-Pin).Code | Should -Be '12345678'
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment GraphEmulator -NoWelcome
        (Get-MgContext).Account | Should -Be 'admin@contoso.example'
    }

    It 'refuses an expired token, saying it cannot be renewed' {
        $token = New-GraphEmulatorToken $emulator @{ scp = $rw; expiresInSeconds = -60 }
        { Connect-MgGraph -AccessToken $token -Environment GraphEmulator -NoWelcome } | Should -Throw '*expired*cannot be renewed*'
    }

    It 'refuses other types' {
        { Connect-MgGraph -AccessToken 42 -Environment GraphEmulator -NoWelcome } | Should -Throw '*SecureString or a string*'
    }

    It 'does not renew after a 401: the error comes through once' {
        $token = New-GraphEmulatorToken $emulator @{ scp = $rw }
        Connect-MgGraph -AccessToken $token -Environment GraphEmulator -NoWelcome
        Clear-GraphEmulatorRequest $emulator
        $null = Invoke-LoginControl $emulator 'tokens/revoke' -Method POST
        Reset-Pin -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAuthenticationToken,*'
        @(Get-GraphEmulatorRequest $emulator).Count | Should -Be 1
    }
}

Describe 'Token life' {
    BeforeEach { Initialize-Tenant }

    It 'renews a short-lived app token before it expires' {
        $app = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $emulator @{ appId = $app; tenantId = $tenant; secrets = @($secret); roles = @($rw); tokenLifetimeSeconds = 4 }
        Connect-MgGraph -ClientSecretCredential (New-Credential $app $secret) -TenantId $tenant -Environment GraphEmulator -NoWelcome
        (Reset-Pin).Code | Should -Be '12345678'
        (Invoke-LoginControl $emulator "apps/$app").tokensIssued | Should -Be 1
        Start-Sleep -Milliseconds 3300   # past three quarters of the lifetime
        Clear-GraphEmulatorRequest $emulator
        (Reset-Pin '87654321').Code | Should -Be '87654321'
        (Invoke-LoginControl $emulator "apps/$app").tokensIssued | Should -Be 2
        # Renewed ahead: Graph never saw an expired token.
        @(Get-GraphEmulatorRequest $emulator).status | Should -Be @(201)
    }

    It 'renews once after a 401 and sends again' {
        Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId $tenant -Environment GraphEmulator -NoWelcome
        $null = Invoke-LoginControl $emulator 'tokens/revoke' -Method POST
        Start-Sleep -Milliseconds 1100   # revocation covers tokens of the current second
        Clear-GraphEmulatorRequest $emulator
        (Reset-Pin '13572468').Code | Should -Be '13572468'
        @(Get-GraphEmulatorRequest $emulator).status | Should -Be @(401, 201)
        (Invoke-LoginControl $emulator "apps/$secretApp").tokensIssued | Should -Be 2
        (Invoke-GraphEmulatorControl $emulator 'users/adele@contoso.example').appliedUpdates | Should -Be 1
    }

    It 'renews a user sign-in with its refresh token' {
        $app = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $emulator @{ appId = $app; delegatedPermissions = @($rw); tokenLifetimeSeconds = 4 }
        $env:MICROSOFT_GRAPH_RS_BROWSER = $browser
        try {
            Connect-MgGraph -Scopes $rw -ClientId $app -TenantId $tenant -Environment GraphEmulator -ContextScope Process -NoWelcome
        } finally { $env:MICROSOFT_GRAPH_RS_BROWSER = $null }
        Start-Sleep -Milliseconds 3300
        (Reset-Pin).Code | Should -Be '12345678'
        @(Get-LoginRequest $emulator | Where-Object { $_.clientId -eq $app -and $_.endpoint -eq 'token' }).grantType | Should -Be @('authorization_code', 'refresh_token')
    }
}

Describe 'Interactive sign-in (authorization code with PKCE)' {
    BeforeAll { Initialize-Tenant }
    AfterEach { $env:MICROSOFT_GRAPH_RS_BROWSER = $null }

    It 'signs in through the browser and the loopback redirect' {
        $env:MICROSOFT_GRAPH_RS_BROWSER = $browser
        $out = Connect-MgGraph -Scopes $rw -ClientId $publicApp -Environment GraphEmulator -ContextScope Process 6>&1
        "$out" | Should -Match '/oauth2/v2.0/authorize\?client_id='
        "$out" | Should -Match 'delegated access'
        $context = Get-MgContext
        $context.AuthType | Should -Be 'Delegated'
        $context.TokenCredentialType | Should -Be 'InteractiveBrowser'
        $context.Account | Should -Be 'admin@contoso.example'
        $context.Scopes | Should -Be @($rw)
        $context.TenantId | Should -Be $tenant
        (Reset-Pin).Code | Should -Be '12345678'
        $authorize = @(Get-LoginRequest $emulator | Where-Object endpoint -EQ 'authorize')[-1]
        $authorize.status | Should -Be 302
    }

    It 'prints the address when no browser can be opened, and completes when it is visited' {
        $child = Start-ChildPwsh -Emulator $emulator -Script @"
`$ctx = Connect-MgGraph -Scopes '$rw' -ClientId '$publicApp' -Environment GraphEmulator -ContextScope Process
'ACCOUNT=' + (Get-MgContext).Account
"@
        $line = Wait-ChildLine $child 'https?://\S+/oauth2/v2\.0/authorize\?\S+'
        $line | Should -Not -BeNullOrEmpty
        $url = [regex]::Match($line, 'https?://\S+/oauth2/v2\.0/authorize\?\S+').Value
        $null = Invoke-WebRequest -Uri $url -MaximumRedirection 5
        $result = Wait-Child $child
        $result.Output | Should -Match 'ACCOUNT=admin@contoso.example'
    }

    It 'names a declined consent as the cause' {
        $null = Invoke-LoginControl $emulator 'login-settings' -Method PUT -Body @{ consent = $false }
        $env:MICROSOFT_GRAPH_RS_BROWSER = $browser
        try {
            { Connect-MgGraph -Scopes $rw -ClientId $publicApp -Environment GraphEmulator -ContextScope Process -NoWelcome } | Should -Throw '*declined*access_denied*'
        } finally { $null = Invoke-LoginControl $emulator 'login-settings' -Method PUT -Body @{ consent = $true } }
    }

    It 'gets a 403 from Graph when the scopes do not allow the PIN reset' {
        $env:MICROSOFT_GRAPH_RS_BROWSER = $browser
        Connect-MgGraph -Scopes User.Read -ClientId $publicApp -Environment GraphEmulator -ContextScope Process -NoWelcome
        (Get-MgContext).Scopes | Should -Be @('User.Read')
        Reset-Pin -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Authorization_RequestDenied,*'
    }
}

Describe 'Device code' {
    BeforeAll { Initialize-Tenant }

    It 'prints the code and address to the host even when the result is assigned' {
        $child = Start-ChildPwsh -Emulator $emulator -Script @"
`$result = Connect-MgGraph -UseDeviceCode -Scopes '$rw' -TenantId contoso.example -Environment GraphEmulator -ContextScope Process
'ACCOUNT=' + (Get-MgContext).Account + ';TYPE=' + (Get-MgContext).TokenCredentialType
`$pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '24681357'
'PIN=' + `$pin.Code
"@
        $code = Wait-DeviceCode $emulator
        $null = Invoke-LoginControl $emulator "devicecodes/$($code.userCode)/approve" -Method POST -Body @{ userPrincipalName = 'adele@contoso.example' }
        $result = Wait-Child $child
        $result.Output | Should -Match ([regex]::Escape($code.userCode))
        $result.Output | Should -Match '/_emulator/devicelogin'
        $result.Output | Should -Match 'ACCOUNT=adele@contoso.example;TYPE=DeviceCode'
        $result.Output | Should -Match 'PIN=24681357'
    }

    It 'names a declined sign-in as the cause' {
        $child = Start-ChildPwsh -Emulator $emulator -Script @"
try { Connect-MgGraph -UseDeviceCode -Scopes '$rw' -Environment GraphEmulator -ContextScope Process -NoWelcome } catch { 'ERROR=' + `$_.Exception.Message }
"@
        $code = Wait-DeviceCode $emulator
        $null = Invoke-LoginControl $emulator "devicecodes/$($code.userCode)/decline" -Method POST
        (Wait-Child $child).Output | Should -Match 'ERROR=The sign-in was declined'
    }

    It 'names an expired code as the cause' {
        $child = Start-ChildPwsh -Emulator $emulator -Script @"
try { Connect-MgGraph -UseDeviceCode -Scopes '$rw' -Environment GraphEmulator -ContextScope Process -NoWelcome } catch { 'ERROR=' + `$_.Exception.Message }
"@
        $code = Wait-DeviceCode $emulator
        $null = Invoke-LoginControl $emulator "devicecodes/$($code.userCode)/expire" -Method POST
        (Wait-Child $child).Output | Should -Match 'ERROR=The device code expired'
    }
}

Describe 'ContextScope CurrentUser' {
    BeforeAll {
        Initialize-Tenant
        $script:contextDir = Join-Path $TestDrive 'saved'
        $script:connectScript = @"
Connect-MgGraph -UseDeviceCode -Scopes '$rw' -ClientId '$publicApp' -TenantId '$tenant' -Environment GraphEmulator -NoWelcome
'CONTEXT=' + (Get-MgContext).ContextScope + ';' + (Get-MgContext).Account
"@
    }

    It 'saves the session in a file only the user can read, without access tokens' {
        $child = Start-ChildPwsh -Emulator $emulator -Environment @{ MICROSOFT_GRAPH_RS_CONTEXT_DIR = $contextDir } -Script $connectScript
        $code = Wait-DeviceCode $emulator
        $null = Invoke-LoginControl $emulator "devicecodes/$($code.userCode)/approve" -Method POST
        (Wait-Child $child).Output | Should -Match 'CONTEXT=CurrentUser;admin@contoso.example'
        $file = Join-Path $contextDir 'context.json'
        $file | Should -Exist
        (Get-Item $file).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        (Get-Item $contextDir).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        $text = Get-Content -Raw $file
        $text | Should -Not -Match 'eyJ'   # no JWT (access token) on disk
        ($text | ConvertFrom-Json).refreshToken | Should -Not -BeNullOrEmpty
    }

    It 'signs in silently in a new session, then Disconnect-MgGraph deletes the file' {
        $before = @(Get-LoginRequest $emulator | Where-Object endpoint -EQ 'devicecode').Count
        $child = Start-ChildPwsh -Emulator $emulator -Environment @{ MICROSOFT_GRAPH_RS_CONTEXT_DIR = $contextDir } -Script ($connectScript + @"

`$pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '11112222'
'PIN=' + `$pin.Code
`$null = Disconnect-MgGraph
'GONE=' + (-not (Test-Path (Join-Path `$env:MICROSOFT_GRAPH_RS_CONTEXT_DIR 'context.json')))
"@)
        $result = Wait-Child $child
        $result.Output | Should -Match 'CONTEXT=CurrentUser;admin@contoso.example'
        $result.Output | Should -Match 'PIN=11112222'
        $result.Output | Should -Match 'GONE=True'
        @(Get-LoginRequest $emulator | Where-Object endpoint -EQ 'devicecode').Count | Should -Be $before
        @(Get-LoginRequest $emulator)[-1].grantType | Should -Be 'refresh_token'
    }

    It 'keeps app-only sign-ins off disk and says so' {
        Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId $tenant -Environment GraphEmulator -ContextScope CurrentUser -NoWelcome -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'save nothing to disk'
        (Get-MgContext).ContextScope | Should -Be 'Process'
        Join-Path $env:MICROSOFT_GRAPH_RS_CONTEXT_DIR 'context.json' | Should -Not -Exist
    }
}

Describe 'Disconnect-MgGraph' {
    BeforeAll { Initialize-Tenant }

    It 'forgets a signed-in connection' {
        Connect-MgGraph -ClientSecretCredential (New-Credential $secretApp $secret) -TenantId $tenant -Environment GraphEmulator -NoWelcome
        (Disconnect-MgGraph).AuthType | Should -Be 'AppOnly'
        Get-MgContext | Should -BeNullOrEmpty
        { Reset-Pin } | Should -Throw '*Not connected*'
    }
}
