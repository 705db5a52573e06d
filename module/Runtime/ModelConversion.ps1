# Turns what PowerShell bound into the values the native library validates (docs/abi.md), and builds the templates
# that the models' readers (Models.g.ps1, generated from models.json) copy for every output object.

# The templates of a model (Models.g.ps1), built the first time its reader runs rather than at import (issue 14:
# import time), then kept. Every output object is a copy of one: type names and default view ride on each object,
# since a format file or type data would rebuild PowerShell's format or type tables at import (85-160 ms), and
# PSObject.Copy of a template keeps them for a third of the cost of inserting them into each new object (measured 26
# against 74 microseconds). Index 0 is the template of the model nested in another (no UserId), 1 the top one.
$script:MgRsModelTemplates = @{}
function Get-MgRsModelTemplates {
    param([string] $Name)
    $model = $script:MgRsModels[$Name]
    $templates = [object[]]::new(2)
    foreach ($top in $false, $true) {
        $template = [System.Management.Automation.PSObject]::new()
        foreach ($property in @($model.Properties) + 'AdditionalProperties' + @(if ($top -and $model.WithUserId) { 'UserId' })) {
            $template.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new($property, $null))
        }
        $view = [string[]]@(foreach ($column in $model.View) { if ($null -ne $template.PSObject.Properties[$column]) { $column } })
        $template.PSObject.TypeNames.Insert(0, $model.InterfaceName)
        $template.PSObject.TypeNames.Insert(0, $model.TypeName)
        $template.PSObject.Members.Add([System.Management.Automation.PSMemberSet]::new('PSStandardMembers', [System.Management.Automation.PSMemberInfo[]]@(
                    [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', $view))))
        $templates[[int]$top] = $template
    }
    $script:MgRsModelTemplates[$Name] = $templates
    $templates
}

# DateTime kinds are only known here: an Unspecified time is local, as .NET's ToUniversalTime has it.
function ConvertTo-MgRsWireDateTime {
    param([Parameter(Mandatory)] $Value)
    if ($Value -is [System.DateTimeOffset]) { $Value = $Value.UtcDateTime }
    $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}

# A body value as the library reads it: dates as UTC strings, bytes as base64 (as on the wire), nested objects as maps.
function ConvertTo-MgRsWireValue {
    param($Value, [int] $Depth = 0)
    if ($Value -is [System.Management.Automation.PSObject]) { $Value = $Value.PSObject.BaseObject }
    if ($null -eq $Value -or $Value -is [string]) { return $Value }
    if ($Value -is [datetime] -or $Value -is [System.DateTimeOffset]) { return ConvertTo-MgRsWireDateTime $Value }
    if ($Value -is [System.Security.SecureString]) {
        throw [System.ArgumentException]::new('A SecureString cannot be sent as a body value; pass the value as a plain string.')
    }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    if ($Value -is [byte[]]) { return [System.Convert]::ToBase64String($Value) }
    # Deeper values are left to ConvertTo-Json.
    if ($Depth -lt 16 -and ($Value -is [System.Collections.IDictionary] -or $Value -is [System.Management.Automation.PSCustomObject])) {
        return ConvertTo-MgRsWireMap $Value ($Depth + 1)
    }
    $Value
}

function ConvertTo-MgRsWireMap {
    param($Value, [int] $Depth = 0)
    $map = [ordered]@{}
    if ($Value -is [System.Collections.IDictionary]) {
        foreach ($key in $Value.Keys) { $map[[string]$key] = ConvertTo-MgRsWireValue $Value[$key] $Depth }
    } else {
        foreach ($property in $Value.PSObject.Properties) {
            if ($property.MemberType -in 'NoteProperty', 'Property') {
                $map[$property.Name] = ConvertTo-MgRsWireValue $property.Value $Depth
            }
        }
    }
    $map
}

# An [object] parameter's value, tagged: JSON text, this module's output of a model, another object, or anything
# else (which the library refuses).
$script:MgRsModelInterfaces = $null
function ConvertTo-MgRsModel {
    param($Value)
    if ($null -eq $Value) { return $null }
    # Not "$base = if (...) { $Value }": an if statement's output is enumerated, so @() would become $null.
    $base = $Value
    if ($base -is [System.Management.Automation.PSObject]) { $base = $base.PSObject.BaseObject }
    if ($base -is [string]) { return @{ kind = 'json'; text = $base } }
    # This module's output of a model is known by its type names. The contract also names the model ("model": its
    # name); the engine does not take that key yet (is_tagged).
    if ($null -eq $script:MgRsModelInterfaces) {
        $script:MgRsModelInterfaces = @{}
        foreach ($name in $script:MgRsModels.Keys) { $script:MgRsModelInterfaces[$script:MgRsModels[$name].InterfaceName] = $name }
    }
    foreach ($typeName in $Value.PSObject.TypeNames) {
        if ($script:MgRsModelInterfaces.ContainsKey($typeName)) { return @{ kind = 'model'; value = ConvertTo-MgRsWireMap $Value } }
    }
    if ($base -is [System.Collections.IDictionary] -or $base -is [System.Management.Automation.PSCustomObject]) {
        return @{ kind = 'object'; value = ConvertTo-MgRsWireMap $Value }
    }
    @{ kind = 'other'; typeName = $base.GetType().FullName }
}

# A date the library wrote that System.Text.Json's GetDateTime did not take.
function ConvertFrom-MgRsDateTime {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime() }
    [datetime]::Parse($Value, [System.Globalization.CultureInfo]::InvariantCulture,
        [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal')
}
