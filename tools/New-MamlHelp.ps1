#!/usr/bin/env pwsh
<#
.SYNOPSIS
Writes the module's MAML help file from the help content in docs/help and the functions' own metadata.

.DESCRIPTION
The content (synopsis, description, parameter descriptions, examples, inputs, outputs, notes and
links) comes from a PowerShell data file. Everything that the code already states (parameter sets,
types, mandatory flags, positions, pipeline input, aliases and default values) is read from the
functions themselves: the module folder's *.ps1 files are dot-sourced into a private dynamic module,
so nothing leaks into the caller's session and the native library is not needed.

The command fails when the content and the code disagree: a documented function without content,
a parameter without a description, content for a command or parameter that does not exist, or a
command without a synopsis, a description or an example. Help therefore cannot drift from the code.

.EXAMPLE
./tools/New-MamlHelp.ps1 -Source docs/help/Microsoft.Graph.Rs.help.psd1 -ModuleFolder module -OutputPath module/en-US/Microsoft.Graph.Rs-help.xml
#>
[CmdletBinding()]
param(
    # The help content: a .psd1 whose keys are command names.
    [Parameter(Mandatory)]
    [string] $Source,

    # The folder holding the module's *.ps1 files, in it and its subfolders (the repository's module/ folder).
    [Parameter(Mandatory)]
    [string] $ModuleFolder,

    # Where to write the MAML file. Its file name is the one the functions' .ExternalHelp lines name.
    [Parameter(Mandatory)]
    [string] $OutputPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$SourcePath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Source)
$ModulePath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ModuleFolder)
$OutputFile = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
$HelpFileName = [System.IO.Path]::GetFileName($OutputFile)

$CommandKeys = 'Synopsis', 'Description', 'Parameters', 'Examples', 'Inputs', 'Outputs', 'Notes', 'RelatedLinks'
# Common parameters are documented by about_CommonParameters; WhatIf and Confirm belong to the command.
$SkippedParameters = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
foreach ($name in @([System.Management.Automation.Cmdlet]::CommonParameters) + 'UseTransaction') { $null = $SkippedParameters.Add($name) }

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

#region Reading the functions

function Get-ModuleCommandMetadata {
    # Dot-sources every *.ps1 of the module folder inside a dynamic module that exports nothing,
    # then describes each function from inside that module's scope.
    param([Parameter(Mandatory)][string] $Folder)

    # The module's parts live in subfolders (Native, Runtime, Authentication, Commands).
    $files = @(Get-ChildItem -LiteralPath $Folder -Filter '*.ps1' -File -Recurse | Sort-Object FullName)
    if ($files.Count -eq 0) { throw "New-MamlHelp: '$Folder' holds no *.ps1 files." }

    $names = [System.Collections.Generic.List[string]]::new()
    foreach ($file in $files) {
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
        if ($errors) { throw "New-MamlHelp: '$($file.FullName)' does not parse: $($errors[0].Message)" }
        # Top-level functions only: $false keeps the search out of nested script blocks.
        foreach ($function in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)) {
            $names.Add($function.Name)
        }
    }

    # The parameter blocks name the module's .NET types (tools/New-InteropAssembly.ps1), which Build writes first.
    if (-not ('MicrosoftGraphRs.KeepTypeAttribute' -as [type])) {
        $null = [System.Reflection.Assembly]::LoadFrom((Join-Path (Split-Path -Parent $Folder) 'runtimes/Microsoft.Graph.Rs.Interop.dll'))
    }
    $sandbox = New-Module -Name 'Microsoft.Graph.Rs.HelpSource' -ScriptBlock {
        param([string[]] $Paths)
        foreach ($path in $Paths) { . $path }
        Export-ModuleMember -Function @() -Variable @() -Alias @()
    } -ArgumentList (, [string[]]$files.FullName)

    & $sandbox {
        param([string[]] $Names)
        foreach ($name in $Names) {
            $ExecutionContext.InvokeCommand.GetCommand($name, [System.Management.Automation.CommandTypes]::Function)
        }
    } $names.ToArray()
}

function Get-ParameterSetOrder {
    # Parameter sets in the order the param block first names them, the default set first.
    param([Parameter(Mandatory)][System.Management.Automation.FunctionInfo] $Command)
    $declared = [System.Collections.Generic.List[string]]::new()
    $paramBlock = $Command.ScriptBlock.Ast.Body.ParamBlock
    if ($paramBlock) {
        foreach ($parameter in $paramBlock.Parameters) {
            foreach ($attribute in $parameter.Attributes) {
                if ($attribute -isnot [System.Management.Automation.Language.AttributeAst]) { continue }
                foreach ($argument in $attribute.NamedArguments) {
                    if ($argument.ArgumentName -eq 'ParameterSetName' -and $argument.Argument -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
                        if (-not $declared.Contains($argument.Argument.Value)) { $declared.Add($argument.Argument.Value) }
                    }
                }
            }
        }
    }
    $sets = @($Command.ParameterSets)
    $ordered = @($sets | Where-Object IsDefault) + @($sets | Where-Object { -not $_.IsDefault } | Sort-Object {
            $index = $declared.IndexOf($_.Name); if ($index -lt 0) { [int]::MaxValue } else { $index }
        })
    # A function whose only set is the implicit one has IsDefault false on it.
    if ($ordered.Count -eq 0) { $ordered = $sets }
    $ordered | Select-Object -Unique
}

function Get-ParameterDefaultValue {
    param([Parameter(Mandatory)][System.Management.Automation.FunctionInfo] $Command, [Parameter(Mandatory)][string] $Name)
    $paramBlock = $Command.ScriptBlock.Ast.Body.ParamBlock
    if (-not $paramBlock) { return $null }
    $parameter = $paramBlock.Parameters | Where-Object { $_.Name.VariablePath.UserPath -eq $Name } | Select-Object -First 1
    if (-not $parameter -or -not $parameter.DefaultValue) { return $null }
    if ($parameter.DefaultValue -is [System.Management.Automation.Language.StringConstantExpressionAst]) { return $parameter.DefaultValue.Value }
    $parameter.DefaultValue.Extent.Text
}

function Get-TypeDisplayName {
    # The short name Get-Help shows in <...>: String, Hashtable, ScriptBlock[], Nullable[DateTime]...
    param([Parameter(Mandatory)][type] $Type)
    if ($Type.IsArray) { return "$(Get-TypeDisplayName $Type.GetElementType())[]" }
    if ($Type.IsGenericType) {
        $name = $Type.Name.Substring(0, $Type.Name.IndexOf('`'))
        return "$name[$((@($Type.GetGenericArguments() | ForEach-Object { Get-TypeDisplayName $_ })) -join ', ')]"
    }
    $Type.Name
}

function Get-PipelineInputText {
    param([bool] $ByValue, [bool] $ByPropertyName)
    $kinds = @(if ($ByValue) { 'ByValue' }; if ($ByPropertyName) { 'ByPropertyName' })
    if ($kinds.Count -eq 0) { 'False' } else { "True ($($kinds -join ', '))" }
}

function Get-PositionText {
    param([int] $Position)
    if ($Position -eq [int]::MinValue) { 'named' } else { [string]$Position }
}

#endregion

#region Reading the content

function Get-Paragraphs {
    # A content value is a string or an array of strings, each one a paragraph.
    param($Value)
    # Leading spaces are kept: NOTES indents property lists with them.
    @(foreach ($item in @($Value)) { if ($null -ne $item -and "$item".Trim()) { "$item".TrimEnd() } })
}

function Get-TypedEntries {
    # Inputs/Outputs: an array of @{ Type; Description } (ordered), or a hashtable type -> description.
    param($Value, [string] $Where)
    if ($null -eq $Value) { return @() }
    if ($Value -is [System.Collections.IDictionary] -and -not $Value.Contains('Type')) {
        return @(foreach ($key in ($Value.Keys | Sort-Object)) { [pscustomobject]@{ Type = [string]$key; Description = @(Get-Paragraphs $Value[$key]) } })
    }
    @(foreach ($entry in @($Value)) {
            if ($entry -isnot [System.Collections.IDictionary] -or -not $entry.Contains('Type') -or -not "$($entry.Type)".Trim()) {
                throw "New-MamlHelp: $Where needs entries of the form @{ Type = '...'; Description = '...' }."
            }
            [pscustomobject]@{ Type = "$($entry.Type)".Trim(); Description = @(Get-Paragraphs $(if ($entry.Contains('Description')) { $entry.Description })) }
        })
}

function Test-HelpContent {
    # Every way the content can disagree with the code, collected so one run reports them all.
    param([Parameter(Mandatory)] $Commands, [Parameter(Mandatory)][System.Collections.IDictionary] $Content)
    $problems = [System.Collections.Generic.List[string]]::new()
    $byName = @{}
    foreach ($command in $Commands) { $byName[$command.Name] = $command }

    foreach ($name in $Content.Keys) {
        if (-not $byName.ContainsKey($name)) { $problems.Add("'$name' has help content but no documented function of that name exists in the module.") }
    }
    foreach ($command in $Commands) {
        $name = $command.Name
        if (-not $Content.Contains($name) -or $Content[$name] -isnot [System.Collections.IDictionary]) {
            $problems.Add("${name}: no help content.")
            continue
        }
        $entry = $Content[$name]
        foreach ($key in $entry.Keys) {
            if ($key -notin $CommandKeys) { $problems.Add("${name}: unknown content key '$key' (expected one of $($CommandKeys -join ', ')).") }
        }
        if (-not (Get-Paragraphs $(if ($entry.Contains('Synopsis')) { $entry.Synopsis }))) { $problems.Add("${name}: no Synopsis.") }
        if (-not (Get-Paragraphs $(if ($entry.Contains('Description')) { $entry.Description }))) { $problems.Add("${name}: no Description.") }
        $examples = @(if ($entry.Contains('Examples')) { $entry.Examples })
        if ($examples.Count -eq 0) { $problems.Add("${name}: no Examples.") }
        foreach ($example in $examples) {
            if ($example -isnot [System.Collections.IDictionary] -or -not $example.Contains('Code') -or -not "$($example.Code)".Trim()) {
                $problems.Add("${name}: every example needs a Code entry.")
            }
        }
        $descriptions = if ($entry.Contains('Parameters') -and $entry.Parameters -is [System.Collections.IDictionary]) { $entry.Parameters } else { @{} }
        $actual = @($command.Parameters.Keys | Where-Object { -not $SkippedParameters.Contains($_) })
        foreach ($parameter in $actual) {
            $described = $descriptions.Keys | Where-Object { $_ -eq $parameter } | Select-Object -First 1
            if (-not $described -or -not (Get-Paragraphs $descriptions[$described])) {
                $problems.Add("${name}: parameter -$parameter has no description.")
            }
        }
        foreach ($parameter in $descriptions.Keys) {
            if ($parameter -notin $actual) { $problems.Add("${name}: a description is given for -$parameter, which the function does not have.") }
        }
    }
    if ($problems.Count) {
        throw ("New-MamlHelp: the help content in '$SourcePath' does not match the code:`n  " + ($problems -join "`n  "))
    }
}

#endregion

#region Writing MAML

function Write-Paragraphs {
    param([System.Xml.XmlWriter] $Writer, [string] $Element, [string[]] $Paragraphs)
    $Writer.WriteStartElement('maml', $Element, $ns.maml)
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, $paragraph) }
    $Writer.WriteEndElement()
}

function Write-DevType {
    param([System.Xml.XmlWriter] $Writer, [string] $TypeName)
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, $TypeName)
    $Writer.WriteElementString('maml', 'uri', $ns.maml, '')
    $Writer.WriteEndElement()
}

function Write-Parameter {
    # One <command:parameter>, in a syntax item (one set's view) or in the parameters list (all sets).
    param(
        [System.Xml.XmlWriter] $Writer,
        [string] $Name,
        [type] $Type,
        [string] $Required,
        [string] $Position,
        [string] $PipelineInput,
        [string[]] $Aliases,
        [string[]] $Description,
        [string] $DefaultValue,
        [switch] $InSyntax
    )
    $isSwitch = $Type -eq [System.Management.Automation.SwitchParameter]
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', $Required)
    $Writer.WriteAttributeString('variableLength', $(if ($Type.IsArray) { 'true' } else { 'false' }))
    $Writer.WriteAttributeString('globbing', 'false')
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if ($Aliases) { $Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Name)
    Write-Paragraphs $Writer 'description' $Description
    # A switch shows no value in the syntax; in the parameter list it reads -Name [<SwitchParameter>].
    if (-not ($isSwitch -and $InSyntax)) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $Writer.WriteAttributeString('variableLength', $(if ($Type.IsArray) { 'true' } else { 'false' }))
        $Writer.WriteString((Get-TypeDisplayName $Type))
        $Writer.WriteEndElement()
    }
    Write-DevType $Writer $Type.FullName
    $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $DefaultValue)
    $Writer.WriteEndElement()
}

function Write-Command {
    param([System.Xml.XmlWriter] $Writer, [System.Management.Automation.FunctionInfo] $Command, [System.Collections.IDictionary] $Entry)

    $name = $Command.Name
    $verb, $noun = $name -split '-', 2
    # Parameter name -> paragraphs, looked up without regard to case.
    $described = [System.Collections.Generic.Dictionary[string, string[]]]::new([System.StringComparer]::OrdinalIgnoreCase)
    if ($Entry.Contains('Parameters') -and $Entry.Parameters) {
        foreach ($key in $Entry.Parameters.Keys) { $described[$key] = [string[]]@(Get-Paragraphs $Entry.Parameters[$key]) }
    }
    $sets = @(Get-ParameterSetOrder $Command)
    $declared = [System.Collections.Generic.List[string]]::new([string[]]@($Command.Parameters.Keys))

    $Writer.WriteStartElement('command', 'command', $ns.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $Writer.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $ns[$prefix])
    }

    $Writer.WriteStartElement('command', 'details', $ns.command)
    $Writer.WriteElementString('command', 'name', $ns.command, $name)
    $Writer.WriteElementString('command', 'verb', $ns.command, $verb)
    $Writer.WriteElementString('command', 'noun', $ns.command, $noun)
    Write-Paragraphs $Writer 'description' (Get-Paragraphs $Entry.Synopsis)
    $Writer.WriteEndElement()

    Write-Paragraphs $Writer 'description' (Get-Paragraphs $Entry.Description)

    # Syntax: one item per parameter set; positional parameters by position, then mandatory, then optional.
    $Writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $sets) {
        $members = $set.Parameters.Where({ -not $SkippedParameters.Contains($_.Name) })
        $positional = @($members.Where({ $_.Position -ge 0 }) | Sort-Object Position)
        $named = @($members.Where({ $_.Position -lt 0 }) | Sort-Object { -not $_.IsMandatory }, { $declared.IndexOf($_.Name) })
        $Writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $name)
        foreach ($parameter in $positional + $named) {
            Write-Parameter -Writer $Writer -InSyntax -Name $parameter.Name -Type $parameter.ParameterType `
                -Required $parameter.IsMandatory.ToString().ToLowerInvariant() -Position (Get-PositionText $parameter.Position) `
                -PipelineInput (Get-PipelineInputText $parameter.ValueFromPipeline $parameter.ValueFromPipelineByPropertyName) `
                -Aliases $parameter.Aliases -Description $described[$parameter.Name] -DefaultValue 'None'
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Parameters: each once, alphabetically, with what holds across the sets it belongs to.
    $Writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($parameterName in ($declared.Where({ -not $SkippedParameters.Contains($_) }) | Sort-Object)) {
        # The parameter as each of its sets sees it.
        $views = @(foreach ($set in $sets) { foreach ($info in $set.Parameters) { if ($info.Name -eq $parameterName) { @{ Set = $set.Name; Info = $info } } } })
        $mandatoryIn = @(foreach ($view in $views) { if ($view.Info.IsMandatory) { $view.Set } })
        $required = if ($mandatoryIn.Count -eq 0) { 'false' } elseif ($mandatoryIn.Count -eq $views.Count) { 'true' } else { "true ($($mandatoryIn -join ', ')), false (other sets)" }
        $positions = @(foreach ($view in $views) { if ($view.Info.Position -ge 0) { $view.Info.Position } })
        $position = if ($positions.Count) { [string]$positions[0] } else { 'named' }
        $byValue = [bool]@($views.Where({ $_.Info.ValueFromPipeline })).Count
        $byProperty = [bool]@($views.Where({ $_.Info.ValueFromPipelineByPropertyName })).Count
        $metadata = $Command.Parameters[$parameterName]
        $default = Get-ParameterDefaultValue -Command $Command -Name $parameterName
        if ($null -eq $default) { $default = if ($metadata.SwitchParameter) { 'False' } else { 'None' } }
        Write-Parameter -Writer $Writer -Name $parameterName -Type $metadata.ParameterType -Required $required -Position $position `
            -PipelineInput (Get-PipelineInputText $byValue $byProperty) -Aliases $metadata.Aliases `
            -Description $described[$parameterName] -DefaultValue $default
    }
    $Writer.WriteEndElement()

    foreach ($kind in @(@{ Key = 'Inputs'; List = 'inputTypes'; Item = 'inputType' }, @{ Key = 'Outputs'; List = 'returnValues'; Item = 'returnValue' })) {
        $entries = @(Get-TypedEntries $(if ($Entry.Contains($kind.Key)) { $Entry[$kind.Key] }) "$name $($kind.Key)")
        if ($entries.Count -eq 0) { $entries = @([pscustomobject]@{ Type = 'None'; Description = @() }) }
        $Writer.WriteStartElement('command', $kind.List, $ns.command)
        foreach ($item in $entries) {
            $Writer.WriteStartElement('command', $kind.Item, $ns.command)
            Write-DevType $Writer $item.Type
            Write-Paragraphs $Writer 'description' $item.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $notes = @(Get-Paragraphs $(if ($Entry.Contains('Notes')) { $Entry.Notes }))
    if ($notes.Count) {
        $Writer.WriteStartElement('maml', 'alertSet', $ns.maml)
        Write-Paragraphs $Writer 'alert' $notes
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $ns.command)
    $number = 0
    foreach ($example in @($Entry.Examples)) {
        $number++
        $title = if ($example.Contains('Title') -and "$($example.Title)".Trim()) { "Example ${number}: $("$($example.Title)".Trim())" } else { "Example $number" }
        $Writer.WriteStartElement('command', 'example', $ns.command)
        $Writer.WriteElementString('maml', 'title', $ns.maml, "--------- $title ---------")
        $Writer.WriteElementString('dev', 'code', $ns.dev, ("$($example.Code)" -replace '\r\n?', "`n").Trim("`n"))
        $Writer.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($paragraph in (Get-Paragraphs $(if ($example.Contains('Remarks')) { $example.Remarks }))) {
            $Writer.WriteElementString('maml', 'para', $ns.maml, $paragraph)
        }
        # An empty paragraph leaves a blank line before the next example's title.
        $Writer.WriteElementString('maml', 'para', $ns.maml, '')
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @(if ($Entry.Contains('RelatedLinks')) { $Entry.RelatedLinks })) {
        if ($null -eq $link) { continue }
        $text, $uri = if ($link -is [System.Collections.IDictionary]) { "$($link['Text'])", "$($link['Uri'])" } else { '', "$link" }
        $Writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $ns.maml, $(if ($text) { $text } else { $uri }))
        $Writer.WriteElementString('maml', 'uri', $ns.maml, $uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

#endregion

$started = [System.Diagnostics.Stopwatch]::StartNew()

if (-not (Test-Path -LiteralPath $SourcePath -PathType Leaf)) { throw "New-MamlHelp: the help content file '$SourcePath' does not exist." }
if (-not (Test-Path -LiteralPath $ModulePath -PathType Container)) { throw "New-MamlHelp: the module folder '$ModulePath' does not exist." }
$content = Import-PowerShellDataFile -LiteralPath $SourcePath

$functions = @(Get-ModuleCommandMetadata -Folder $ModulePath)
# Documented: every function with an .ExternalHelp line; the manifest's exports must all have one.
$documented = [System.Collections.Generic.List[System.Management.Automation.FunctionInfo]]::new()
$otherFile = [System.Collections.Generic.List[string]]::new()
foreach ($function in $functions) {
    if ($function.Definition -match '(?m)^\s*#\s*\.EXTERNALHELP\s+(\S+)') {
        $documented.Add($function)
        if ([System.IO.Path]::GetFileName($Matches[1]) -ne $HelpFileName) { $otherFile.Add("$($function.Name) ($($Matches[1]))") }
    }
}
if ($otherFile.Count) {
    Write-Warning "New-MamlHelp: the help is written to '$HelpFileName', but these functions' .ExternalHelp lines name another file: $($otherFile -join ', ')."
}
$exportProblems = [System.Collections.Generic.List[string]]::new()
foreach ($manifestFile in @(Get-ChildItem -LiteralPath (Split-Path -Parent $ModulePath) -Filter '*.psd1' -File)) {
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestFile.FullName
    if (-not $manifest.Contains('RootModule') -or -not $manifest.Contains('FunctionsToExport')) { continue }
    foreach ($exported in @($manifest.FunctionsToExport)) {
        $function = $functions | Where-Object Name -EQ $exported | Select-Object -First 1
        if (-not $function) { $exportProblems.Add("$($manifestFile.Name) exports $exported, but no module file defines it.") }
        elseif ($function -notin $documented) { $exportProblems.Add("$exported is exported but has no '# .ExternalHelp <file>' line, so Get-Help would not find its help.") }
    }
}
if ($exportProblems.Count) { throw ("New-MamlHelp: `n  " + ($exportProblems -join "`n  ")) }
if ($documented.Count -eq 0) { throw "New-MamlHelp: no function in '$ModulePath' has an .ExternalHelp line." }

Test-HelpContent -Commands $documented -Content $content

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.NewLineChars = "`n"
$settings.NewLineHandling = [System.Xml.NewLineHandling]::Replace
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$settings.CheckCharacters = $true

$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $OutputFile)
# Written to a temporary file first so a failure never leaves a half-written help file behind.
$temporary = "$OutputFile.tmp"
$writer = [System.Xml.XmlWriter]::Create($temporary, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteComment(" Generated by tools/New-MamlHelp.ps1 from $([System.IO.Path]::GetFileName($SourcePath)). Do not edit: change the .psd1 and rebuild. ")
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($function in ($documented | Sort-Object { ($_.Name -split '-', 2)[-1] }, Name)) {
        Write-Command -Writer $writer -Command $function -Entry $content[$function.Name]
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
} finally {
    $writer.Dispose()
}
# Read it back: the file must be well-formed before it replaces the previous one.
$check = [System.Xml.XmlDocument]::new()
$check.Load($temporary)
Move-Item -LiteralPath $temporary -Destination $OutputFile -Force

Write-Verbose ("New-MamlHelp: wrote {0} commands to {1} in {2:N0} ms." -f $documented.Count, $OutputFile, $started.Elapsed.TotalMilliseconds)
Get-Item -LiteralPath $OutputFile
