# Reads the cmdlet's reference page (PlatyPS markdown) and compares a command's metadata with it.
Set-StrictMode -Version 3.0

# Model types of the official SDK cannot exist without its assemblies; these are the documented
# stand-ins (README "Differences from the official module"). Everything else must match exactly.
$script:StandIns = @{
    'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'       = 'System.Object'
    'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'   = 'System.Object'
    'Microsoft.Graph.Beta.PowerShell.Runtime.SendAsyncStep[]'           = 'System.Management.Automation.ScriptBlock[]'
}

# The spec folder (reference pages, cmdlets.json): $env:MGRS_SPEC_DIR, else ../shared/spec beside the checkout.
function Get-SpecFolder {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $folder = if ($env:MGRS_SPEC_DIR) { $env:MGRS_SPEC_DIR } else { Join-Path $root '../shared/spec' }
    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        throw "The spec folder was not found at '$folder'. Place the shared folder beside the checkout (../shared/spec) or set MGRS_SPEC_DIR to the folder holding the reference pages and cmdlets.json."
    }
    [System.IO.Path]::GetFullPath($folder)
}

function Get-SeedPagePath {
    $page = Join-Path (Get-SpecFolder) 'Update-MgBetaUserAuthenticationQrCodePinMethodPin.md'
    if (-not (Test-Path -LiteralPath $page)) { throw "The seed reference page is missing from the spec folder: '$page'." }
    $page
}

function ConvertFrom-SeedPage {
    param([Parameter(Mandatory)][string] $Path)
    $lines = Get-Content -LiteralPath $Path
    $page = [ordered]@{ Sets = [ordered]@{}; DefaultSet = $null; Parameters = [ordered]@{} }

    $section = $null; $setName = $null; $paramName = $null; $inYaml = $false; $inSyntax = $false
    $syntaxText = ''; $yamlKey = $null; $currentSet = $null
    foreach ($line in $lines) {
        if ($line -match '^## (.+)$') { $section = $Matches[1]; $setName = $null; $paramName = $null; continue }
        if ($section -eq 'SYNTAX') {
            if ($line -match '^### (\w+)( \(Default\))?') {
                $setName = $Matches[1]
                if ($Matches[2]) { $page.DefaultSet = $setName }
                continue
            }
            if ($line -match '^```') {
                if ($inSyntax) {
                    $mandatory = [System.Collections.Generic.List[string]]::new()
                    $optional = [System.Collections.Generic.List[string]]::new()
                    # A bracket pair opens an optional parameter; a bare -Name is mandatory.
                    $parameterText = $syntaxText.Trim() -replace '^\S+', ''   # drop the command name
                    foreach ($m in [regex]::Matches($parameterText, '(\[)?-(\w+)')) {
                        if ($m.Groups[1].Success) { $optional.Add($m.Groups[2].Value) } else { $mandatory.Add($m.Groups[2].Value) }
                    }
                    $page.Sets[$setName] = [ordered]@{ Mandatory = $mandatory; Optional = $optional }
                    $syntaxText = ''
                }
                $inSyntax = -not $inSyntax
                continue
            }
            if ($inSyntax) { $syntaxText += " $line" }
            continue
        }
        if ($section -eq 'PARAMETERS') {
            if ($line -match '^### -(\w+)') {
                $paramName = $Matches[1]
                $page.Parameters[$paramName] = [ordered]@{ Type = $null; Aliases = [System.Collections.Generic.List[string]]::new(); Sets = [ordered]@{} }
                continue
            }
            if ($null -eq $paramName) { continue }
            if ($line -match '^```yaml') { $inYaml = $true; continue }
            if ($line -match '^```') { $inYaml = $false; continue }
            if (-not $inYaml) { continue }
            $p = $page.Parameters[$paramName]
            if ($line -match '^(\w+):\s*(.*)$') {
                $yamlKey = $Matches[1]; $value = $Matches[2].Trim()
                if ($yamlKey -eq 'Type') { $p.Type = $value }
                continue
            }
            if ($yamlKey -eq 'Aliases' -and $line -match '^- (.+)$') { $p.Aliases.Add($Matches[1].Trim()); continue }
            if ($yamlKey -eq 'ParameterSets') {
                if ($line -match '^- Name: (.+)$') { $currentSet = [ordered]@{}; $p.Sets[$Matches[1].Trim()] = $currentSet; continue }
                if ($line -match '^\s+(\w+): (.+)$') { $currentSet[$Matches[1]] = $Matches[2].Trim(); continue }
            }
        }
    }
    $page
}

function Get-CommonParameterName {
    [System.Management.Automation.Internal.CommonParameters].GetProperties().Name
}

# Returns one line per difference between the command and the page; none means they agree.
function Compare-CommandToSeedPage {
    param(
        [Parameter(Mandatory)][System.Management.Automation.CommandInfo] $Command,
        [Parameter(Mandatory)] $Page
    )
    $diff = [System.Collections.Generic.List[string]]::new()
    $common = Get-CommonParameterName
    $allSets = @($Page.Sets.Keys)

    $commandSets = @($Command.ParameterSets.Name)
    foreach ($set in $allSets) { if ($set -notin $commandSets) { $diff.Add("set $set is missing") } }
    foreach ($set in $commandSets) { if ($set -notin $allSets) { $diff.Add("set $set is not on the page") } }
    $default = ($Command.ParameterSets | Where-Object IsDefault).Name
    if ($default -ne $Page.DefaultSet) { $diff.Add("default set is $default, page says $($Page.DefaultSet)") }

    foreach ($name in $Command.Parameters.Keys) {
        if ($name -notin $common -and -not $Page.Parameters.Contains($name)) { $diff.Add("parameter -$name is not on the page") }
    }

    foreach ($entry in $Page.Parameters.GetEnumerator()) {
        $name = $entry.Key; $expected = $entry.Value
        $actual = $Command.Parameters[$name]
        if ($null -eq $actual) { $diff.Add("parameter -$name is missing"); continue }

        $expectedType = if ($script:StandIns.ContainsKey($expected.Type)) { $script:StandIns[$expected.Type] } else { $expected.Type }
        if ($actual.ParameterType.FullName -ne $expectedType) {
            $diff.Add("-$name has type $($actual.ParameterType.FullName), page says $($expected.Type)")
        }
        $aliases = @($actual.Aliases | Sort-Object) -join ','
        $pageAliases = @($expected.Aliases | Sort-Object) -join ','
        if ($aliases -ne $pageAliases) { $diff.Add("-$name has aliases '$aliases', page says '$pageAliases'") }

        $expectedSets = [ordered]@{}
        foreach ($set in $expected.Sets.GetEnumerator()) {
            $key = if ($set.Key -eq '(All)') { '__AllParameterSets' } else { $set.Key }
            $expectedSets[$key] = $set.Value
        }
        foreach ($key in $actual.ParameterSets.Keys) {
            if (-not $expectedSets.Contains($key)) { $diff.Add("-$name is in set $key, page does not say so") }
        }
        foreach ($set in $expectedSets.GetEnumerator()) {
            $meta = $actual.ParameterSets[$set.Key]
            if ($null -eq $meta) { $diff.Add("-$name is not in set $($set.Key)"); continue }
            $flags = @{
                IsRequired                      = $meta.IsMandatory
                ValueFromPipeline               = $meta.ValueFromPipeline
                ValueFromPipelineByPropertyName = $meta.ValueFromPipelineByPropertyName
                ValueFromRemainingArguments     = $meta.ValueFromRemainingArguments
            }
            foreach ($flag in $flags.GetEnumerator()) {
                $want = [bool]::Parse($set.Value[$flag.Key])
                if ($flag.Value -ne $want) { $diff.Add("-$name in $($set.Key): $($flag.Key) is $($flag.Value), page says $want") }
            }
            $position = if ($meta.Position -eq [int]::MinValue) { 'Named' } else { [string]$meta.Position }
            if ($position -ne $set.Value.Position) { $diff.Add("-$name in $($set.Key): position $position, page says $($set.Value.Position)") }
        }
    }

    # The SYNTAX blocks: each set's mandatory and optional parameters.
    foreach ($set in $Page.Sets.GetEnumerator()) {
        $commandSet = $Command.ParameterSets | Where-Object Name -EQ $set.Key
        if (-not $commandSet) { continue }
        $names = @($commandSet.Parameters | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' })
        $mandatory = @($names | Where-Object IsMandatory | ForEach-Object Name | Sort-Object) -join ','
        $optional = @($names | Where-Object { -not $_.IsMandatory } | ForEach-Object Name | Sort-Object) -join ','
        if ($mandatory -ne (@($set.Value.Mandatory | Sort-Object) -join ',')) { $diff.Add("syntax of $($set.Key): mandatory $mandatory") }
        if ($optional -ne (@($set.Value.Optional | Sort-Object) -join ',')) { $diff.Add("syntax of $($set.Key): optional $optional") }
    }
    $diff
}

Export-ModuleMember -Function Get-SpecFolder, Get-SeedPagePath, ConvertFrom-SeedPage, Compare-CommandToSeedPage
