# The PowerShell half of the command table: the shipped command functions and runtime data are what
# tools/New-CommandFunctions.ps1 makes of src/commands, each command is its param block and one runtime call per block,
# and the manifest and the module export exactly the table's commands and the hand-written ones.

BeforeAll {
    $script:root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:generator = Join-Path $root 'tools/New-CommandFunctions.ps1'
    $script:tableNames = @(Get-ChildItem (Join-Path $root 'src/commands/table') -Filter '*.json' | ForEach-Object BaseName | Sort-Object)

    # A scratch copy of the table, for the mutation cases.
    function New-TableCopy {
        $copy = Join-Path $TestDrive "table-$([guid]::NewGuid().ToString('N'))"
        Copy-Item -Recurse (Join-Path $root 'src/commands') $copy
        $copy
    }
    function Edit-Json([string] $Path, [scriptblock] $Edit) {
        $json = Get-Content -Raw $Path | ConvertFrom-Json -AsHashtable
        & $Edit $json
        Set-Content -Path $Path -Value (ConvertTo-Json -InputObject $json -Depth 20)
    }
    # The generated files of a module folder, relative path -> text.
    function Get-GeneratedFiles([string] $Folder) {
        $files = [ordered]@{}
        foreach ($file in @(Get-ChildItem (Join-Path $Folder 'Commands') -Filter '*.ps1') + @(Get-ChildItem (Join-Path $Folder 'Runtime') -Filter '*.g.ps1')) {
            $files["$($file.Directory.Name)/$($file.Name)"] = [System.IO.File]::ReadAllText($file.FullName)
        }
        $files
    }
}

Describe 'Generated command functions' {
    It 'are what a fresh generation from src/commands writes (run ./build.ps1 Generate after editing the table)' {
        $fresh = Join-Path $TestDrive 'fresh'
        & $generator -Source (Join-Path $root 'src/commands') -Destination $fresh
        $expected = Get-GeneratedFiles $fresh
        $shipped = Get-GeneratedFiles (Join-Path $root 'module')
        @($shipped.Keys) | Should -Be @($expected.Keys)
        foreach ($name in $expected.Keys) { $shipped[$name] | Should -BeExactly $expected[$name] -Because "$name must be generated" }
        $expected.Keys | Should -Contain 'Runtime/Models.g.ps1'
        $expected.Keys | Should -Contain 'Runtime/Commands.g.ps1'
        @($expected.Keys | Where-Object { $_ -like 'Commands/*' }).Count | Should -Be $tableNames.Count
    }

    It 'pass the check build.ps1 Build runs' {
        @(& $generator -Source (Join-Path $root 'src/commands') -Destination (Join-Path $root 'module') -Check) | Should -BeNullOrEmpty
    }

    It 'no longer match once the table changes: <Change>' -ForEach @(
        @{ Change = 'a parameter made optional'; File = 'table/Get-MgBetaUserAuthenticationQrCodePinMethodPin.json'; Expect = 'Commands/Get-MgBetaUserAuthenticationQrCodePinMethodPin.ps1 differs from the table'
            Edit = { param($j) ($j.parameters | Where-Object name -EQ 'UserId').mandatory = $false } }
        @{ Change = 'an alias added'; File = 'table/Remove-MgBetaUserAuthenticationQrCodePinMethod.json'; Expect = 'Commands/Remove-MgBetaUserAuthenticationQrCodePinMethod.ps1 differs from the table'
            Edit = { param($j) ($j.parameters | Where-Object name -EQ 'IfMatch').aliases = @('ETag') } }
        @{ Change = 'the impact dropped'; File = 'table/Update-MgBetaUserAuthenticationQrCodePinMethodPin.json'; Expect = 'Runtime/Commands.g.ps1 differs from the table'
            Edit = { param($j) $j.confirmImpact = $null } }
        @{ Change = 'a model property'; File = 'models.json'; Expect = 'Runtime/Models.g.ps1 differs from the table'
            Edit = { param($j) $j.qrPin.properties += @{ name = 'Label'; wire = 'label'; type = 'string' } } }
        @{ Change = 'a secret'; File = 'models.json'; Expect = 'Runtime/Models.g.ps1 differs from the table'
            Edit = { param($j) ($j.qrCode.properties | Where-Object name -EQ 'Id').secret = $true } }
    ) {
        $copy = New-TableCopy
        Edit-Json (Join-Path $copy $File) $Edit
        $problems = @(& $generator -Source $copy -Destination (Join-Path $root 'module') -Check)
        $problems | Should -Contain $Expect
    }

    It 'no longer match once a command leaves the table or joins it' {
        $copy = New-TableCopy
        Move-Item (Join-Path $copy 'table/Get-MgBetaUserAuthenticationQrCodePinMethodPin.json') (Join-Path $copy 'table/Get-MgBetaUserAuthenticationQrCodePinMethodPinCopy.json')
        Edit-Json (Join-Path $copy 'table/Get-MgBetaUserAuthenticationQrCodePinMethodPinCopy.json') { param($j) $j.name = 'Get-MgBetaUserAuthenticationQrCodePinMethodPinCopy' }
        $problems = @(& $generator -Source $copy -Destination (Join-Path $root 'module') -Check)
        $problems | Should -Contain 'Commands/Get-MgBetaUserAuthenticationQrCodePinMethodPin.ps1 has no table entry'
        $problems | Should -Contain 'Commands/Get-MgBetaUserAuthenticationQrCodePinMethodPinCopy.ps1 is missing'
    }

    It 'refuses a table entry it cannot write: <Case>' -ForEach @(
        @{ Case = 'an unknown type'; Expect = '*unknown type*'; Edit = { param($j) $j.parameters[0].type = 'guid' } }
        @{ Case = 'an unknown set'; Expect = '*unknown set*'; Edit = { param($j) $j.parameters[0].sets = @('Nowhere') } }
        @{ Case = 'an unknown model'; Expect = '*unknown model*'; Edit = { param($j) $j.outputModel = 'nothing' } }
    ) {
        $copy = New-TableCopy
        Edit-Json (Join-Path $copy 'table/Get-MgBetaUserAuthenticationQrCodePinMethod.json') $Edit
        { & $generator -Source $copy -Destination (Join-Path $TestDrive 'refused') } | Should -Throw $Expect
    }

    It '<_> is its param block and one runtime call per block' -ForEach @(Get-ChildItem (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'module/Commands') -Filter '*.ps1' | ForEach-Object BaseName) {
        $path = Join-Path $root "module/Commands/$_.ps1"
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $functions = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))
        $functions.Count | Should -Be 1
        $functions[0].Name | Should -Be $_
        $body = $functions[0].Body
        $body.DynamicParamBlock | Should -BeNullOrEmpty
        # Begin and process call the compiled runtime, end and clean its script blocks (module/Runtime/Command.ps1 says why).
        $expected = @{
            BeginBlock = 'MgRsRuntime', 'Start'; ProcessBlock = 'MgRsRuntime', 'Item'
            EndBlock = 'MgRsComplete', 'InvokeReturnAsIs'; CleanBlock = 'MgRsStop', 'InvokeReturnAsIs'
        }
        foreach ($block in $expected.Keys) {
            $statements = @($body.$block.Statements)
            $statements.Count | Should -Be 1 -Because "the $block holds one call"
            @($statements[0].FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) | Should -BeNullOrEmpty
            $calls = @($statements[0].FindAll({ param($n) $n -is [System.Management.Automation.Language.InvokeMemberExpressionAst] }, $true))
            $calls.Count | Should -Be 1
            $calls[0].Member.Value | Should -Be $expected[$block][1]
            $calls[0].Expression.VariablePath.UserPath | Should -Be "script:$($expected[$block][0])"
        }
        $body.Extent.Text | Should -Match '(?m)^\s*# \.ExternalHelp Microsoft\.Graph\.Rs-help\.xml$'
    }
}

Describe 'Exported commands' {
    BeforeAll {
        # The hand-written commands: the documented functions outside module/Commands.
        $script:handWritten = @(foreach ($file in Get-ChildItem (Join-Path $root 'module') -Filter '*.ps1' -Recurse | Where-Object { $_.Directory.Name -ne 'Commands' }) {
                $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$null, [ref]$null)
                foreach ($function in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)) {
                    if ($function.Extent.Text -match '(?m)^\s*# \.ExternalHelp ') { $function.Name }
                }
            })
        $script:manifest = Import-PowerShellDataFile (Join-Path $root 'Microsoft.Graph.Rs.psd1')
    }

    It 'finds the hand-written commands' {
        $handWritten | Should -Contain 'Connect-MgGraph'
        $handWritten | Should -Contain 'Get-MgRsInDoubtRequest'
        $handWritten | Should -Not -Contain 'Update-MgBetaUserAuthenticationQrCodePinMethodPin'
    }

    It 'the manifest lists exactly the table''s commands and the hand-written ones' {
        @($manifest.FunctionsToExport | Sort-Object) | Should -Be @(@($tableNames) + @($handWritten) | Sort-Object)
    }

    It 'the module exports what the manifest lists' {
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $exported = @(& $pwsh -NoProfile -NonInteractive -Command "Import-Module '$root/Microsoft.Graph.Rs.psd1'; (Get-Module Microsoft.Graph.Rs).ExportedFunctions.Keys")
        $LASTEXITCODE | Should -Be 0
        @($exported | Sort-Object) | Should -Be @($manifest.FunctionsToExport | Sort-Object)
    }
}
