BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Get-MgEnvironment | Where-Object Type -EQ 'User-defined' | Remove-MgEnvironment
    Stop-GraphEmulator $emulator
}

Describe 'Graph environments' {
    It 'lists the four built-in clouds' {
        $builtIn = Get-MgEnvironment | Where-Object Type -EQ 'Built-in'
        $builtIn.Name | Sort-Object | Should -Be @('China', 'Global', 'USGov', 'USGovDoD')
        (Get-MgEnvironment -Name Global).GraphEndpoint | Should -Be 'https://graph.microsoft.com'
        (Get-MgEnvironment -Name USGovDoD).GraphEndpoint | Should -Be 'https://dod-graph.microsoft.us'
        (Get-MgEnvironment -Name China).AzureADEndpoint | Should -Be 'https://login.chinacloudapi.cn'
    }

    It 'adds, lists and removes a user-defined environment' {
        $added = Add-MgEnvironment -Name Lab -AzureADEndpoint 'https://login.lab.example' -GraphEndpoint 'https://graph.lab.example/'
        $added.GraphEndpoint | Should -Be 'https://graph.lab.example'
        $added.Type | Should -Be 'User-defined'
        (Get-MgEnvironment -Name Lab).Name | Should -Be 'Lab'
        Remove-MgEnvironment -Name Lab
        Get-MgEnvironment -Name Lab -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'allows http:// only on loopback hosts' {
        Add-MgEnvironment -Name Plain -AzureADEndpoint 'http://login.lab.example' -GraphEndpoint 'http://graph.lab.example' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -Match 'https'
        (Add-MgEnvironment -Name Local -AzureADEndpoint 'http://localhost:1' -GraphEndpoint 'http://127.0.0.1:1').Name | Should -Be 'Local'
        Remove-MgEnvironment -Name Local
    }

    It 'will not replace or remove a built-in cloud' {
        Add-MgEnvironment -Name Global -AzureADEndpoint 'https://a.example' -GraphEndpoint 'https://b.example' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        Remove-MgEnvironment -Name Global -ErrorVariable failures2 -ErrorAction SilentlyContinue
        $failures2.Count | Should -Be 1
        (Get-MgEnvironment -Name Global).GraphEndpoint | Should -Be 'https://graph.microsoft.com'
    }
}

Describe 'Connect-MgGraph with an access token' {
    BeforeAll {
        $null = Add-MgEnvironment -Name $emulator.EnvironmentName -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
    }

    It 'connects, reports the context from the token and never the token' {
        $token = New-GraphEmulatorToken $emulator @{ scp = 'UserAuthenticationMethod.ReadWrite.All User.Read'; upn = 'admin@contoso.example' }
        $secure = ConvertTo-SecureString $token -AsPlainText -Force
        $welcome = Connect-MgGraph -AccessToken $secure -Environment $emulator.EnvironmentName 6>&1
        "$welcome" | Should -Match 'Welcome to Microsoft Graph'
        $context = Get-MgContext
        $context.Scopes | Should -Be @('UserAuthenticationMethod.ReadWrite.All', 'User.Read')
        $context.AuthType | Should -Be 'UserProvidedAccessToken'
        $context.Account | Should -Be 'admin@contoso.example'
        $context.Environment | Should -Be $emulator.EnvironmentName
        $context.TenantId | Should -Match '^[0-9a-f-]{36}$'
        ($context | ConvertTo-Json) | Should -Not -Match ([regex]::Escape($token.Split('.')[2]))
    }

    It 'stays quiet with -NoWelcome' {
        $token = New-GraphEmulatorToken $emulator
        $out = Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome 6>&1
        $out | Should -BeNullOrEmpty
    }

    It 'refuses an expired token, saying it cannot be renewed' {
        $token = New-GraphEmulatorToken $emulator @{ scp = 'UserAuthenticationMethod.ReadWrite.All'; expiresInSeconds = -600 }
        { Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome } |
            Should -Throw '*expired*'
    }

    It 'refuses an unknown environment' {
        { Connect-MgGraph -AccessToken (ConvertTo-SecureString 'abc' -AsPlainText -Force) -Environment 'Nowhere' -NoWelcome } |
            Should -Throw "*Nowhere*"
    }

    It 'forgets the connection on Disconnect-MgGraph' {
        $token = New-GraphEmulatorToken $emulator
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome
        (Disconnect-MgGraph).Environment | Should -Be $emulator.EnvironmentName
        Get-MgContext | Should -BeNullOrEmpty
        Disconnect-MgGraph -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
    }
}
