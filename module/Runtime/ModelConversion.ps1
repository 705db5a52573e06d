# Turns what PowerShell bound into the tagged values the native library validates (docs/abi.md),
# and the library's qrPin back into the object the official cmdlet outputs.

$script:MgRsQrPinTypeName = 'Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrPin'
$script:MgRsQrPinInterfaceName = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'

# The default view (four columns, so Format-Table is the default) rides on each object: a
# format file or type data would rebuild PowerShell's format or type tables at import (85-160 ms).
$script:MgRsQrPinView = [System.Management.Automation.PSMemberSet]::new('PSStandardMembers', [System.Management.Automation.PSMemberInfo[]]@(
        [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet',
            [string[]]@('UserId', 'Code', 'ForceChangePinNextSignIn', 'UpdatedDateTime'))))

# Every output object is a copy of this one: PSObject.Copy keeps the type names and the view, and costs a third
# of inserting them into each new object (measured 26 against 74 microseconds).
$script:MgRsQrPinTemplate = [pscustomobject]@{
    Code = $null; CreatedDateTime = $null; ForceChangePinNextSignIn = $null; Id = $null; UpdatedDateTime = $null
    AdditionalProperties = $null; UserId = $null
}
$script:MgRsQrPinTemplate.PSObject.TypeNames.Insert(0, $script:MgRsQrPinInterfaceName)
$script:MgRsQrPinTemplate.PSObject.TypeNames.Insert(0, $script:MgRsQrPinTypeName)
$script:MgRsQrPinTemplate.PSObject.Members.Add($script:MgRsQrPinView)

# DateTime kinds are only known here: an Unspecified time is local, as .NET's ToUniversalTime has it.
function ConvertTo-MgRsWireDateTime {
    param([Parameter(Mandatory)] $Value)
    if ($Value -is [System.DateTimeOffset]) { $Value = $Value.UtcDateTime }
    $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}

function ConvertTo-MgRsWireValue {
    param($Value)
    if ($Value -is [System.Management.Automation.PSObject]) { $Value = $Value.PSObject.BaseObject }
    if ($Value -is [datetime] -or $Value -is [System.DateTimeOffset]) { return ConvertTo-MgRsWireDateTime $Value }
    if ($Value -is [System.Security.SecureString]) {
        throw [System.ArgumentException]::new('A SecureString cannot be sent as a body value; pass the PIN as a plain string to -Code or in the body.')
    }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    $Value
}

# One level deep: the qrPin's own properties and additional properties. Deeper values are left to ConvertTo-Json.
function ConvertTo-MgRsWireMap {
    param($Value)
    $map = [ordered]@{}
    if ($Value -is [System.Collections.IDictionary]) {
        foreach ($key in $Value.Keys) { $map[[string]$key] = ConvertTo-MgRsWireValue $Value[$key] }
    } else {
        foreach ($property in $Value.PSObject.Properties) {
            if ($property.MemberType -in 'NoteProperty', 'Property') {
                $map[$property.Name] = ConvertTo-MgRsWireValue $property.Value
            }
        }
    }
    $map
}

function ConvertTo-MgRsModel {
    param($Value)
    if ($null -eq $Value) { return $null }
    # Not "$base = if (...) { $Value }": an if statement's output is enumerated, so @() would become $null.
    $base = $Value
    if ($base -is [System.Management.Automation.PSObject]) { $base = $base.PSObject.BaseObject }
    if ($base -is [string]) { return @{ kind = 'json'; text = $base } }
    if ($Value.PSObject.TypeNames -contains $script:MgRsQrPinInterfaceName) {
        return @{ kind = 'model'; value = ConvertTo-MgRsWireMap $Value }
    }
    if ($base -is [System.Collections.IDictionary] -or $base -is [System.Management.Automation.PSCustomObject]) {
        return @{ kind = 'object'; value = ConvertTo-MgRsWireMap $Value }
    }
    @{ kind = 'other'; typeName = $base.GetType().FullName }
}

function ConvertFrom-MgRsDateTime {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime() }
    [datetime]::Parse($Value, [System.Globalization.CultureInfo]::InvariantCulture,
        [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal')
}

function ConvertTo-MgRsQrPin {
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Pin)
    $additional = [System.Collections.Hashtable]::new([System.StringComparer]::OrdinalIgnoreCase)
    if ($Pin.AdditionalProperties) {
        foreach ($key in $Pin.AdditionalProperties.Keys) { $additional[$key] = $Pin.AdditionalProperties[$key] }
    }
    $object = $script:MgRsQrPinTemplate.PSObject.Copy()
    $object.Code = $Pin.Code
    $object.CreatedDateTime = ConvertFrom-MgRsDateTime $Pin.CreatedDateTime
    $object.ForceChangePinNextSignIn = if ($null -ne $Pin.ForceChangePinNextSignIn) { [bool]$Pin.ForceChangePinNextSignIn } else { $null }
    $object.Id = $Pin.Id
    $object.UpdatedDateTime = ConvertFrom-MgRsDateTime $Pin.UpdatedDateTime
    $object.AdditionalProperties = $additional
    $object.UserId = $Pin.UserId
    $object
}
