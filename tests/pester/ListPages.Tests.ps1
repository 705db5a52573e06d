# The runtime's side of list commands (a table entry with "collection" sets): each page's items come out as objects of
# the model, the next page is asked for only when more are wanted, -CountVariable is set globally (or in the scope its name gives), and a
# listed object pipes back into the command. Against the emulator, through Get-MgUser and Get-MgBetaUser.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator @{ scp = 'User.Read.All' }
    $null = Add-GraphEmulatorUser $emulator @(1..7 | ForEach-Object { @{ userPrincipalName = "user$_@contoso.example"; department = $(if ($_ % 2) { 'Sales' } else { 'IT' }) } })
    function Get-ListRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.method -eq 'GET' -and $_.path -match '/users$' }) }
    # -Property keeps the answers to properties every model type reads today.
    $script:select = 'id', 'displayName', 'userPrincipalName'
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name $emulator.EnvironmentName -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'Pages of a list' {
    BeforeEach { Clear-GraphEmulatorRequest $emulator }

    It '-All reads every page, in order, as objects of the model' {
        $users = @(Get-MgUser -All -PageSize 3 -Property $select)
        $users.UserPrincipalName | Should -Be @(1..7 | ForEach-Object { "user$_@contoso.example" })
        $users[0].PSObject.TypeNames[0] | Should -Be 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser'
        $users[0].PSObject.TypeNames | Should -Contain 'Microsoft.Graph.PowerShell.Models.IMicrosoftGraphUser'
        $users[0].PSObject.Properties.Name | Should -Not -Contain 'UserId'
        (Get-ListRequest).Count | Should -Be 3
    }

    It 'without -All reads one page' {
        @(Get-MgUser -PageSize 3 -Property $select).Count | Should -Be 3
        (Get-ListRequest).Count | Should -Be 1
    }

    It '-Top stops in the page that reaches it' {
        @(Get-MgBetaUser -Top 5 -PageSize 2 -Property $select).Count | Should -Be 5
        (Get-ListRequest).Count | Should -Be 3
    }

    It 'sets -CountVariable in the global scope unless the name gives one, as the official list commands' {
        $global:salesCount = $null
        $sales = @(Get-MgUser -Filter "department eq 'Sales'" -ConsistencyLevel eventual -CountVariable salesCount -Property $select)
        $sales.Count | Should -Be 4
        $global:salesCount | Should -Be 4
        Remove-Variable -Name salesCount -Scope Global
    }

    It 'gives a listed object back to the command as its identity' {
        $again = @(Get-MgUser -Top 2 -Property $select | Get-MgUser -Property $select)
        $again.UserPrincipalName | Should -Be @('user1@contoso.example', 'user2@contoso.example')
    }

    It 'stops asking for pages when the pipeline stops taking items' {
        @(Get-MgUser -All -PageSize 2 -Property $select | Select-Object -First 3).Count | Should -Be 3
        (Get-ListRequest).Count | Should -BeLessOrEqual 2
    }
}
