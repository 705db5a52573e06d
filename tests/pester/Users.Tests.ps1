# Get-MgUser and Get-MgBetaUser against the emulator (issue 13): the official paging rules, query options, typed
# output, streaming across pages, and the pipe that scripts write: users (or CSV rows) into the PIN reset.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator -Claims @{ scp = 'User.Read.All UserAuthenticationMethod.ReadWrite.All' }
    $script:users = @(Add-GraphEmulatorUser $emulator @(1..250 | ForEach-Object {
                @{ userPrincipalName = ('user{0:d3}@contoso.example' -f $_); department = $(if ($_ % 5) { 'Sales' } else { 'Retail' }) }
            }))
    function Get-UserRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '/*/users*' -and $_.path -notlike '*authentication*' }) }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'Paging as the official list commands' {
    BeforeEach { Clear-GraphEmulatorRequest $emulator }

    It 'writes one page without -All or -Top, with no $top sent' {
        $page = @(Get-MgUser)
        $page.Count | Should -Be 100
        $sent = Get-UserRequest
        $sent.Count | Should -Be 1
        $sent[0].path | Should -Be '/v1.0/users'
        $sent[0].query | Should -BeNullOrEmpty
    }

    It '-All follows every page, each user once, in the -PageSize asked for' {
        $all = @(Get-MgUser -All -PageSize 60)
        $all.Count | Should -Be 250
        @($all.Id | Sort-Object -Unique).Count | Should -Be 250
        $sent = Get-UserRequest
        $sent.Count | Should -Be 5
        $sent[0].query | Should -Match '\$top=60'
    }

    It '-Top is a total across pages; the last page asks for the rest' {
        $some = @(Get-MgUser -Top 130 -PageSize 50)
        $some.Count | Should -Be 130
        $sent = Get-UserRequest
        $sent.Count | Should -Be 3
        $sent[2].query | Should -Match '(\$|%24)top=30'
        @(Get-MgUser -Top 5 -All).Count | Should -Be 5
    }

    It 'writes the first user before it asks for the second page' {
        $seen = $null
        Get-MgUser -All -PageSize 50 | Select-Object -First 1 | ForEach-Object { $seen = @(Get-UserRequest).Count }
        $seen | Should -Be 1
    }

    It 'refuses a page size outside 1-999 before sending' {
        { Get-MgUser -PageSize 1000 -ErrorAction Stop } | Should -Throw '*PageSize must be between 1 and 999*'
        Get-UserRequest | Should -BeNullOrEmpty
    }
}

Describe 'Query options and output' {
    It 'sends -Filter, -ConsistencyLevel and -CountVariable as Graph wants and sets the count globally' {
        Clear-GraphEmulatorRequest $emulator
        $retail = @(Get-MgBetaUser -Filter "department eq 'Retail'" -ConsistencyLevel eventual -CountVariable retailCount -All)
        $retail.Count | Should -Be 50
        $global:retailCount | Should -Be 50
        $sent = (Get-UserRequest)[0]
        $sent.path | Should -Be '/beta/users'
        $sent.query | Should -Match '\$count=true'
        $sent.headers.consistencylevel | Should -Be 'eventual'
        $retail[0].PSObject.TypeNames[0] | Should -Be 'Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphUser'
    }

    It '-Search is quoted and needs ConsistencyLevel, as Graph says' {
        @(Get-MgUser -Search 'userPrincipalName:user01' -ConsistencyLevel eventual).Count | Should -BeGreaterThan 0
        { Get-MgUser -Search 'userPrincipalName:user01' -ErrorAction Stop } | Should -Throw
    }

    It 'reads one user with typed properties and -Property as $select' {
        Clear-GraphEmulatorRequest $emulator
        $user = Get-MgUser -UserId $users[6].userPrincipalName -Property id, displayName, accountEnabled
        $user.Id | Should -Be $users[6].id
        $user.PSObject.TypeNames[0] | Should -Be 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser'
        $user.PSObject.TypeNames | Should -Contain 'Microsoft.Graph.PowerShell.Models.IMicrosoftGraphUser'
        $user.AccountEnabled | Should -BeOfType [bool]
        $user.PSObject.Properties['UserId'] | Should -BeNullOrEmpty
        (Get-UserRequest)[0].query | Should -Match '\$select=id,displayName,accountEnabled'
    }

    It 'answers a missing user with the official 404' {
        Get-MgUser -UserId nobody@contoso.example -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -Be 'Request_ResourceNotFound,Microsoft.Graph.PowerShell.Cmdlets.GetMgUser_Get'
    }
}

Describe 'The pipe that scripts write' {
    It 'resets the PIN of each user Get-MgUser writes' {
        $reset = @(Get-MgUser -Filter "startsWith(userPrincipalName,'user00')" -All | Update-MgBetaUserAuthenticationQrCodePinMethodPin)
        $reset.Count | Should -Be 9
        $reset[0].UserId | Should -Be $users[0].userPrincipalName   # a user object names its user by UPN, then Id
        $reset | ForEach-Object { $_.Code | Should -Match '^\d{8,20}$' }
    }

    It 'takes CSV rows with UserPrincipalName or Id columns; a blank Code cell means no code' {
        $rows = @(
            [pscustomobject]@{ UserPrincipalName = $users[1].userPrincipalName; Code = '' }
            [pscustomobject]@{ Id = $users[2].id; Code = '' }
        )
        $reset = @($rows | Update-MgBetaUserAuthenticationQrCodePinMethodPin)
        $reset.UserId | Should -Be @($users[1].userPrincipalName, $users[2].id)
    }

    It 'names the user in the message of each per-record error the module writes' {
        $rows = @([pscustomobject]@{ UserPrincipalName = $users[3].userPrincipalName; Code = '12' })
        $rows | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].Exception.Message | Should -BeLike "*$($users[3].userPrincipalName)*"
    }
}
