# Every exported command has real MAML help (not the syntax PowerShell makes up when there is
# none), and the shipped help file matches what tools/New-MamlHelp.ps1 makes from the content.

BeforeDiscovery {
    # The commands of the table (src/commands/table), then the hand-written ones.
    $table = Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'src/commands/table'
    $script:commandNames = @(
        Get-ChildItem $table -Filter '*.json' | ForEach-Object BaseName
        'Connect-MgGraph'
        'Disconnect-MgGraph'
        'Get-MgContext'
        'Get-MgEnvironment'
        'Add-MgEnvironment'
        'Remove-MgEnvironment'
        'Set-MgRequestContext'
        'Get-MgRequestContext'
        'Get-MgRsInDoubtRequest'
        'Invoke-MgGraphRequest'
    )
}

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    $script:helpFile = Join-Path $root 'module/en-US/Microsoft.Graph.Rs-help.xml'
    $script:commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    # A command without parameters has no 'parameters' node at all in its help object.
    function Get-HelpParameter {
        param($Help)
        if ($Help.PSObject.Properties['parameters'] -and $Help.parameters -and $Help.parameters.PSObject.Properties['parameter']) {
            @($Help.parameters.parameter | Where-Object { $null -ne $_ })
        }
    }

    function Get-ParagraphText {
        param($Node)
        (@($Node | Where-Object { $null -ne $_ } | ForEach-Object { $_.Text }) -join "`n").Trim()
    }
}

Describe 'The help file' {
    It 'exists at module/en-US/Microsoft.Graph.Rs-help.xml' {
        $helpFile | Should -Exist
    }

    It 'is well-formed MAML with one command element per exported command' {
        $document = [System.Xml.XmlDocument]::new()
        { $document.Load($helpFile) } | Should -Not -Throw
        $document.DocumentElement.LocalName | Should -Be 'helpItems'
        $document.DocumentElement.NamespaceURI | Should -Be 'http://msh'
        $document.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
        $names = @($document.GetElementsByTagName('command:name') | ForEach-Object InnerText)
        $exported = @((Get-Module Microsoft.Graph.Rs).ExportedFunctions.Keys)
        $names | Sort-Object | Should -Be ($exported | Sort-Object)
    }

    It 'is what tools/New-MamlHelp.ps1 makes from docs/help (rebuild after editing the content or the parameters)' {
        $fresh = Join-Path $TestDrive 'Microsoft.Graph.Rs-help.xml'
        $null = & (Join-Path $root 'tools/New-MamlHelp.ps1') -Source (Join-Path $root 'docs/help/Microsoft.Graph.Rs.help.psd1') `
            -ModuleFolder (Join-Path $root 'module') -OutputPath $fresh
        Get-Content -Raw $fresh | Should -BeExactly (Get-Content -Raw $helpFile)
    }

    It 'covers every exported command in these tests' {
        (Get-Module Microsoft.Graph.Rs).ExportedFunctions.Keys | Sort-Object | Should -Be ($commandNames | Sort-Object)
    }
}

Describe 'Get-Help <_>' -ForEach $commandNames {
    BeforeAll {
        $name = $_
        $command = Get-Command $name -Module Microsoft.Graph.Rs
        $help = Get-Help $name -Full
    }

    It 'comes from the MAML file' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
        ($help.PSObject.TypeNames -join ' ') | Should -Match 'Microsoft\.Graph\.Rs-help\.xml'
    }

    It 'has a synopsis of its own, not the generated syntax' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -BeLike "$name*"
        $synopsis | Should -Not -Match '\[<CommonParameters>\]'
        $synopsis.Length | Should -BeGreaterThan 20
    }

    It 'has a description' {
        Get-ParagraphText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $expected = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters })
        $documented = @(Get-HelpParameter $help)
        foreach ($parameter in $expected) {
            $entry = $documented | Where-Object { $_.name -eq $parameter }
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameter must be in the help"
            Get-ParagraphText $entry.description | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
        @($documented | ForEach-Object name | Where-Object { $_ -notin $expected }) | Should -BeNullOrEmpty -Because 'the help must not describe parameters the command lacks'
    }

    It 'has at least one example with code' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) { "$($example.code)".Trim() | Should -Not -BeNullOrEmpty }
    }

    It 'documents WhatIf and Confirm when the command supports ShouldProcess' {
        if ($command.Parameters.ContainsKey('WhatIf')) {
            @(Get-HelpParameter $help | ForEach-Object name) | Should -Contain 'WhatIf'
            @(Get-HelpParameter $help | ForEach-Object name) | Should -Contain 'Confirm'
        } else {
            @(Get-HelpParameter $help | ForEach-Object name) | Should -Not -Contain 'WhatIf'
        }
    }

    It 'has one syntax entry per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }
}

Describe 'Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin' {
    BeforeAll {
        $name = 'Update-MgBetaUserAuthenticationQrCodePinMethodPin'
        $help = Get-Help $name -Full
    }

    It 'keeps the reference page''s Example 1' {
        $example = @($help.examples.example | Where-Object { $_.code -match '09599786' })
        $example.Count | Should -Be 1
        $example[0].code | Should -Match '"@odata.type" = "#microsoft.graph.qrPin"'
        $example[0].code | Should -Match ([regex]::Escape("$name -UserId `$userId -BodyParameter `$params"))
    }

    It 'shows piping Import-Csv rows, -WhatIf and a generated PIN among its examples' {
        $code = ($help.examples.example | ForEach-Object code) -join "`n"
        $code | Should -Match 'Import-Csv'
        $code | Should -Match '-WhatIf'
        $code | Should -Match "$name -UserId '[^']+'\s*(\r?\n|$)"
    }

    It 'names the input types' {
        $inputs = @($help.inputTypes.inputType.type.name)
        $inputs | Should -Contain 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'
        $inputs | Should -Contain 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'
        $inputs | Should -Contain 'System.Collections.IDictionary'
    }

    It 'names the output type' {
        @($help.returnValues.returnValue.type.name) | Should -Contain 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'
    }

    It 'states the 8-20 digit rule for -Code' {
        $parameter = Get-Help $name -Parameter Code
        Get-ParagraphText $parameter.description | Should -Match '\b8 (to|-) ?20 digits\b'
    }

    It 'explains BODYPARAMETER, INPUTOBJECT and the differences from the official module in its notes' {
        $notes = Get-ParagraphText $help.alertSet.alert
        $notes | Should -Match 'BODYPARAMETER'
        $notes | Should -Match 'INPUTOBJECT'
        $notes | Should -Match 'SendAsyncStep'
        $notes | Should -Match 'never as -Headers'
    }

    It 'links to the Graph API page and the official cmdlet page' {
        $uris = @($help.relatedLinks.navigationLink.uri)
        $uris | Should -Contain 'https://learn.microsoft.com/graph/api/qrpin-update?view=graph-rest-beta'
        $uris | Should -Contain 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/update-mgbetauserauthenticationqrcodepinmethodpin'
    }

    It 'shows the four parameter sets with their mandatory parameters' {
        $lines = @($help.syntax.syntaxItem | ForEach-Object { ($_.parameter | Where-Object required -EQ 'true' | ForEach-Object name) -join ',' })
        $lines | Should -Be @('UserId', 'UserId,BodyParameter', 'InputObject', 'InputObject,BodyParameter')
    }
}
