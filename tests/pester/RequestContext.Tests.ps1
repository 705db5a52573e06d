# Set-MgRequestContext / Get-MgRequestContext: defaults, ranges, WhatIf, and one value for every runspace.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
    Import-Module $manifest -Force
    $script:defaults = @{ RetryDelay = 3; MaxRetry = 3; RetriesTimeLimit = 0; MaxConcurrency = 8 }
}

AfterAll {
    Set-MgRequestContext @defaults | Out-Null
}

Describe 'Get-MgRequestContext' {
    It 'shows the official defaults and MaxConcurrency' {
        Set-MgRequestContext @defaults | Out-Null
        $context = Get-MgRequestContext
        $context.MaxRetry | Should -Be 3
        $context.RetryDelay | Should -Be 3
        $context.RetriesTimeLimit | Should -Be ([timespan]::Zero)
        $context.ClientTimeout | Should -BeOfType [timespan]
        $context.MaxConcurrency | Should -Be 8
        $context.PSObject.TypeNames[0] | Should -Be 'Microsoft.Graph.PowerShell.Authentication.RequestContext'
    }
}

Describe 'Set-MgRequestContext' {
    AfterEach { Set-MgRequestContext @defaults | Out-Null }

    It 'changes the given settings, keeps the others and writes the result' {
        $result = Set-MgRequestContext -MaxRetry 10 -RetryDelay 0 -MaxConcurrency 16
        $result.MaxRetry | Should -Be 10
        $result.RetryDelay | Should -Be 0
        $result.MaxConcurrency | Should -Be 16
        $result.RetriesTimeLimit | Should -Be ([timespan]::Zero)
        (Get-MgRequestContext).MaxConcurrency | Should -Be 16
        Set-MgRequestContext -RetriesTimeLimit 30 | Out-Null
        (Get-MgRequestContext).RetriesTimeLimit | Should -Be ([timespan]::FromSeconds(30))
        (Get-MgRequestContext).MaxRetry | Should -Be 10
    }

    It 'takes the settings from the pipeline by property name' {
        [pscustomobject]@{ MaxRetry = 1; RetryDelay = 2 } | Set-MgRequestContext | Out-Null
        $context = Get-MgRequestContext
        $context.MaxRetry | Should -Be 1
        $context.RetryDelay | Should -Be 2
    }

    It 'refuses <Name> = <Value> with an error that names it, and changes nothing' -ForEach @(
        @{ Name = 'MaxRetry'; Value = 11 }
        @{ Name = 'MaxRetry'; Value = -1 }
        @{ Name = 'RetryDelay'; Value = 181 }
        @{ Name = 'RetriesTimeLimit'; Value = -5 }
        @{ Name = 'ClientTimeout'; Value = 0 }
        @{ Name = 'MaxConcurrency'; Value = 0 }
        @{ Name = 'MaxConcurrency'; Value = 65 }
    ) {
        $before = Get-MgRequestContext
        # A valid change next to the bad one must not be taken either.
        $params = @{ $Name = $Value }
        if ($Name -ne 'MaxRetry') { $params.MaxRetry = 5 }
        $caught = $null
        try { Set-MgRequestContext @params -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Message | Should -Match $Name
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.FullyQualifiedErrorId | Should -Match '^InvalidRequestContext'
        (Get-MgRequestContext).MaxRetry | Should -Be $before.MaxRetry
    }

    It '-WhatIf changes nothing' {
        Set-MgRequestContext -MaxRetry 7 -WhatIf | Out-Null
        (Get-MgRequestContext).MaxRetry | Should -Be 3
    }

    It 'is one setting for the whole process: a thread job sees it' {
        Set-MgRequestContext -MaxConcurrency 5 | Out-Null
        $job = Start-ThreadJob -ScriptBlock {
            Import-Module $using:manifest
            (Get-MgRequestContext).MaxConcurrency
        }
        # Not Receive-Job -AutoRemoveJob: it races with a thread job's completion (seen failing in CI).
        $seen = $job | Wait-Job | Receive-Job
        $job | Remove-Job -Force
        $seen | Should -Be 5
    }
}
