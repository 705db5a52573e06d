# Every command of the module that the spec's cmdlets.json describes has the official surface: sets, default set, every
# parameter's type, aliases, positions, mandatory and pipeline flags, declared outputs. Documented extensions aside
# (CommandSpec.psm1). The seed page's own, stricter test is Surface.Tests.ps1.

BeforeDiscovery {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CommandSpec.psm1') -Force
    $script:described = @(Get-CommandSpecName | Where-Object { Get-Command $_ -Module Microsoft.Graph.Rs -ErrorAction Ignore } |
            ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CommandSpec.psm1') -Force
}

Describe 'Official surfaces from cmdlets.json' {
    It 'covers the Authentication commands and the PIN reset' {
        $names = @(Get-CommandSpecName | Where-Object { Get-Command $_ -Module Microsoft.Graph.Rs -ErrorAction Ignore })
        foreach ($name in 'Connect-MgGraph', 'Disconnect-MgGraph', 'Get-MgContext', 'Get-MgEnvironment', 'Add-MgEnvironment',
            'Remove-MgEnvironment', 'Set-MgRequestContext', 'Get-MgRequestContext', 'Update-MgBetaUserAuthenticationQrCodePinMethodPin') {
            $names | Should -Contain $name
        }
    }

    It '<Name> matches its page' -ForEach $described {
        $differences = @(Compare-CommandToSpec (Get-Command $Name -Module Microsoft.Graph.Rs) (Get-CommandSpec $Name))
        $differences | Should -BeNullOrEmpty -Because ($differences -join '; ')
    }

    It 'still has each difference listed as pending (remove it from CommandSpec.psm1 once fixed): <_>' -ForEach @(Get-PendingDifference) {
        $name = ($_ -split ':')[0]
        @(Compare-CommandToSpec (Get-Command $name -Module Microsoft.Graph.Rs) (Get-CommandSpec $name) -IncludePending) | Should -Contain $_
    }

    It 'notices drift: <Change>' -ForEach @(
        @{ Change = 'an alias removed'; Name = 'Add-MgEnvironment'; Edit = { param($s) ($s.parameters | Where-Object name -EQ 'GraphEndpoint').aliases = @() } }
        @{ Change = 'a position moved'; Name = 'Connect-MgGraph'; Edit = { param($s) (($s.parameters | Where-Object name -EQ 'Scopes').sets)[0].position = 2 } }
        @{ Change = 'a flag flipped'; Name = 'Set-MgRequestContext'; Edit = { param($s) (($s.parameters | Where-Object name -EQ 'MaxRetry').sets)[0].valueFromPipelineByPropertyName = $false } }
        @{ Change = 'a type changed'; Name = 'Set-MgRequestContext'; Edit = { param($s) ($s.parameters | Where-Object name -EQ 'RetryDelay').type = 'System.Int64' } }
        @{ Change = 'the default set'; Name = 'Get-MgContext'; Edit = { param($s) $s.defaultParameterSet = 'AppParameterSet'; $s.parameterSets = @('AppParameterSet') } }
        @{ Change = 'a parameter the module lacks'; Name = 'Get-MgEnvironment'; Edit = { param($s) $s.parameters += @{ name = 'Tenant'; type = 'System.String'; aliases = @(); sets = @() } } }
        @{ Change = 'a parameter the page lacks'; Name = 'Remove-MgEnvironment'; Edit = { param($s) $s.parameters = @($s.parameters | Where-Object name -NE 'Name') } }
        @{ Change = 'an output type'; Name = 'Disconnect-MgGraph'; Edit = { param($s) $s.outputs = @('Microsoft.Graph.PowerShell.Authentication.Other') } }
    ) {
        $spec = Get-CommandSpec $Name
        & $Edit $spec
        Compare-CommandToSpec (Get-Command $Name -Module Microsoft.Graph.Rs) $spec | Should -Not -BeNullOrEmpty
    }
}
