# Turns what PowerShell bound into the values the native library validates (docs/abi.md): the dictionaries and body
# objects that the compiled runtime (module/Runtime/Compiled) hands here.

# A body value as the library reads it: dates as UTC strings, bytes as base64 (as on the wire), nested objects as maps.
function ConvertTo-MgRsWireValue {
    param($Value, [int] $Depth = 0)
    if ($Value -is [System.Management.Automation.PSObject]) { $Value = $Value.PSObject.BaseObject }
    if ($null -eq $Value -or $Value -is [string]) { return $Value }
    if ($Value -is [datetime] -or $Value -is [System.DateTimeOffset]) { return [MicrosoftGraphRs.WireValues]::DateTime($Value) }
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
