BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SeedPage.psm1') -Force
    $script:page = ConvertFrom-SeedPage (Get-SeedPagePath)
    $script:command = Get-Command Update-MgBetaUserAuthenticationQrCodePinMethodPin -Module Microsoft.Graph.Rs
}

Describe 'Update-MgBetaUserAuthenticationQrCodePinMethodPin matches its reference page' {
    It 'reads the page it checks against' {
        $page.Sets.Keys | Should -Be @('UpdateExpanded', 'Update', 'UpdateViaIdentityExpanded', 'UpdateViaIdentity')
        $page.DefaultSet | Should -Be 'UpdateExpanded'
        $page.Parameters.Keys.Count | Should -Be 19
    }

    It 'has every parameter, type, alias, set, flag and position of the page' {
        Compare-CommandToSeedPage $command $page | Should -BeNullOrEmpty
    }

    It 'notices drift: <Change>' -ForEach @(
        @{ Change = 'a flag flipped'; Edit = { param($p) $p.Parameters.UserId.Sets.Update.IsRequired = 'false' } }
        @{ Change = 'an alias removed'; Edit = { param($p) $p.Parameters.ResponseHeadersVariable.Aliases.Clear() } }
        @{ Change = 'a type changed'; Edit = { param($p) $p.Parameters.Code.Type = 'System.Int32' } }
        @{ Change = 'a set dropped'; Edit = { param($p) $p.Parameters.Code.Sets.Remove('UpdateExpanded') } }
        @{ Change = 'a pipeline flag flipped'; Edit = { param($p) $p.Parameters.Headers.Sets['(All)'].ValueFromPipeline = 'false' } }
        @{ Change = 'a position set'; Edit = { param($p) $p.Parameters.Id.Sets.UpdateExpanded.Position = '0' } }
        @{ Change = 'the default set'; Edit = { param($p) $p.DefaultSet = 'Update' } }
        @{ Change = 'a parameter missing from the page'; Edit = { param($p) $p.Parameters.Remove('Break') } }
    ) {
        $copy = ConvertFrom-SeedPage (Get-SeedPagePath)
        & $Edit $copy
        Compare-CommandToSeedPage $command $copy | Should -Not -BeNullOrEmpty
    }

    It 'supports ShouldProcess with ConfirmImpact Medium' {
        $binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $binding.SupportsShouldProcess | Should -BeTrue
        $binding.ConfirmImpact | Should -Be 'Medium'
        $command.Parameters.WhatIf.Aliases | Should -Contain 'wi'
        $command.Parameters.Confirm.Aliases | Should -Contain 'cf'
    }

    It 'declares the official output type' {
        $command.OutputType.Name | Should -Contain 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'
    }
}

Describe 'Module manifest and import' {
    It 'exports explicit lists, no wildcards' {
        $manifest = Import-PowerShellDataFile (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'Microsoft.Graph.Rs.psd1')
        foreach ($key in 'FunctionsToExport', 'CmdletsToExport', 'VariablesToExport', 'AliasesToExport') {
            @($manifest[$key]) -join ',' | Should -Not -Match '\*'
        }
        $manifest.PowerShellVersion | Should -Be '7.5'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'imports in a fresh process without compiling C#' {
        $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $script = "Import-Module '$root/Microsoft.Graph.Rs.psd1'; [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name"
        # With a cache folder of its own: pwsh preloads the assemblies its last start-ups used (the start-up profile in
        # its cache), which after a build that compiled C# include the compiler.
        $cache = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-startup-$PID"
        $saved = $env:XDG_CACHE_HOME, $env:LOCALAPPDATA
        try {
            $env:XDG_CACHE_HOME = $env:LOCALAPPDATA = $cache
            $assemblies = & $pwsh -NoProfile -NonInteractive -Command $script
        } finally {
            $env:XDG_CACHE_HOME, $env:LOCALAPPDATA = $saved
            Remove-Item -Recurse -Force -LiteralPath $cache -ErrorAction SilentlyContinue
        }
        $LASTEXITCODE | Should -Be 0
        $assemblies | Should -Not -Contain 'Microsoft.CodeAnalysis.CSharp'
        $assemblies | Should -Not -Contain 'Microsoft.CodeAnalysis'
        $assemblies | Should -Not -Contain 'Microsoft.Graph.Authentication'
    }

    It 'has no Add-Type in the module files' {
        $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
        Get-ChildItem (Join-Path $root 'module') -Filter *.ps*1 -Recurse | Select-String -Pattern 'Add-Type' | Should -BeNullOrEmpty
    }
}

Describe 'The packaged module' {
    It 'imports by name from out/ once that folder is on PSModulePath' {
        $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
        $out = Join-Path $root 'out'
        $manifest = Get-ChildItem (Join-Path $out 'Microsoft.Graph.Rs') -Recurse -Filter 'Microsoft.Graph.Rs.psd1' | Select-Object -First 1
        $manifest | Should -Not -BeNullOrEmpty -Because 'build.ps1 Test stages the package first'
        Test-ModuleManifest $manifest.FullName | Should -Not -BeNullOrEmpty
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $script = "`$env:PSModulePath = '$out' + [IO.Path]::PathSeparator + `$env:PSModulePath; Import-Module Microsoft.Graph.Rs; " +
            "(Get-Module Microsoft.Graph.Rs).ModuleBase; (Get-Command Update-MgBetaUserAuthenticationQrCodePinMethodPin).Source; " +
            "(Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin).Synopsis"
        $lines = & $pwsh -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $lines[0] | Should -Be $manifest.DirectoryName
        $lines[1] | Should -Be 'Microsoft.Graph.Rs'
        $lines[2] | Should -Not -BeLike '*Update-MgBetaUserAuthenticationQrCodePinMethodPin*[<CommonParameters>]*'
        $lines[2] | Should -Not -BeNullOrEmpty
    }
}
