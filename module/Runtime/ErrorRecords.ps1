# Builds ErrorRecords in the shape scripts written for the official module match on.

# An advanced function's errors get ",<function name>" appended to FullyQualifiedErrorId. The
# official ids end in the generated cmdlet class instead, so the id is pinned through the field
# that the getter reads first. If a future PowerShell renames it, ids keep the function suffix.
$script:MgRsFqidField = [System.Management.Automation.ErrorRecord].GetField(
    '_serializedFullyQualifiedErrorId', [System.Reflection.BindingFlags]'Instance, NonPublic')

# An error PowerShell itself reports. With -Command (a command's state) and -ParameterSet, the id and activity are
# those of the command's official cmdlet class and set, as the library gives them for its own errors.
function New-MgRsErrorRecord {
    param(
        [Parameter(Mandatory)][string] $Message,
        [AllowEmptyString()][string] $ErrorId = '',
        [System.Management.Automation.ErrorCategory] $Category = 'NotSpecified',
        [object] $TargetObject,
        $Command,
        [string] $ParameterSet,
        [string] $ExceptionType = 'System.Exception'
    )
    $exception = New-Object -TypeName $ExceptionType -ArgumentList $Message
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $TargetObject)
    if ($Command -and $ParameterSet) {
        $class = "$($Command.Info.ErrorClass)_$ParameterSet"
        if ($script:MgRsFqidField) { $script:MgRsFqidField.SetValue($record, $(if ($ErrorId) { "$ErrorId,$class" } else { $class })) }
        $record.CategoryInfo.Activity = "$($Command.Name)_$ParameterSet"
    }
    $record
}

# An error's target object is kept in $Error and shown by Format-List, so a secret inside what the caller passed
# (a piped record, a body, JSON text) is masked in a copy; the caller's object is left as it is. The secret names
# come from models.json (Models.g.ps1).
$script:MgRsSecretSet = $null
function Protect-MgRsErrorTarget {
    param($Target, [int] $Depth = 0)
    if ($null -eq $script:MgRsSecretSet) {
        # Built on first use, not at import: the secret names as a set and as a pattern for JSON text.
        $script:MgRsSecretSet = [System.Collections.Generic.HashSet[string]]::new([string[]]$script:MgRsSecretNames, [System.StringComparer]::OrdinalIgnoreCase)
        $script:MgRsSecretPattern = [regex]::new('("(?:' + (@(foreach ($secret in $script:MgRsSecretNames) { [regex]::Escape($secret) }) -join '|') +
            ')"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+)', 'IgnoreCase')
    }
    if ($null -eq $Target -or $Target -is [System.ValueType] -or $Depth -gt 8) { return $Target }
    if ($Target -is [System.Management.Automation.PSObject] -and $Target.PSObject.BaseObject -isnot [System.Management.Automation.PSCustomObject]) {
        $Target = $Target.PSObject.BaseObject
    }
    if ($Target -is [string]) { return $script:MgRsSecretPattern.Replace($Target, '$1"<redacted>"') }
    if ($Target -is [System.Collections.IDictionary]) {
        $copy = [ordered]@{}
        foreach ($key in $Target.Keys) {
            $copy[$key] = if ($script:MgRsSecretSet.Contains("$key") -and $null -ne $Target[$key]) { '<redacted>' } else { Protect-MgRsErrorTarget $Target[$key] ($Depth + 1) }
        }
        return $copy
    }
    if ($Target -is [System.Management.Automation.PSCustomObject]) {
        $copy = [ordered]@{}
        foreach ($property in $Target.PSObject.Properties) {
            $copy[$property.Name] = if ($script:MgRsSecretSet.Contains($property.Name) -and $null -ne $property.Value) { '<redacted>' } else { Protect-MgRsErrorTarget $property.Value ($Depth + 1) }
        }
        return [pscustomobject]$copy
    }
    if ($Target -is [System.Collections.IList]) { return , @(foreach ($item in $Target) { Protect-MgRsErrorTarget $item ($Depth + 1) }) }
    $Target
}

# The ErrorRecord of a native error. The library decided everything in its `record` (message, id, category,
# exception type, FullyQualifiedErrorId, activity, data, details, whether there is a target); this only builds it.
# Once the library resolved the request, the target names the user, the -Headers given on the command line and the
# body with its secrets redacted; before that it is $Item, the input item, masked here.
function ConvertTo-MgRsErrorRecord {
    param($Command, [System.Collections.IDictionary] $NativeError, $Item)
    $policy = $NativeError['record']
    if (-not $policy) {
        # Every error of a command operation carries one (docs/protocol.md); this is only for a library that breaks that.
        $policy = @{ message = "$($NativeError['message'])"; errorId = "$($NativeError['kind'])"; category = 'NotSpecified'
            exceptionType = 'System.Exception'; fqid = "$($NativeError['kind'])"; activity = ''; stopsCommand = $false }
    }
    $sent = $policy['target']
    if (-not $sent) { $sent = $NativeError['target'] }
    $target = if ($sent) { [pscustomobject]@{ UserId = $sent.userId; Headers = $Command.Headers; body = $sent.targetBody } }
    elseif ($policy['hasTarget'] -ne $false) { Protect-MgRsErrorTarget $Item }
    $exception = New-Object -TypeName $policy.exceptionType -ArgumentList $policy.message
    $record = [System.Management.Automation.ErrorRecord]::new($exception, [string]$policy.errorId, [System.Management.Automation.ErrorCategory]$policy.category, $target)
    if ($policy['details']) {
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($policy.details)
        if ($policy['recommendedAction']) { $record.ErrorDetails.RecommendedAction = $policy.recommendedAction }
    }
    if ($script:MgRsFqidField) { $script:MgRsFqidField.SetValue($record, [string]$policy.fqid) }
    $record.CategoryInfo.Activity = $policy.activity
    $data = $policy['data']
    if ($data) {
        foreach ($key in $data.Keys) {
            # JSON numbers arrive as Int64; counts and statuses are Int32, as they were.
            $value = $data[$key]
            if ($value -is [long] -and $value -le [int]::MaxValue -and $value -ge [int]::MinValue) { $value = [int]$value }
            $exception.Data[$key] = $value
        }
    }
    $record
}

# A copy of an error record whose exception message ends with -Note (when given) and whose Exception.Data has -Key = -Value
# (a stopping error that also says how many inputs were not sent). Id, category, target and details are kept.
function Add-MgRsErrorNote {
    param($Record, [string] $Note, [string] $Key, $Value)
    $old = $Record.Exception
    $message = if ($Note) { "$($old.Message.TrimEnd()) $Note" } else { $old.Message }
    $exception = try { New-Object -TypeName $old.GetType().FullName -ArgumentList $message } catch { [System.Exception]::new($message, $old) }
    foreach ($entry in $old.Data.GetEnumerator()) { $exception.Data[$entry.Key] = $entry.Value }
    $exception.Data[$Key] = $Value
    $copy = [System.Management.Automation.ErrorRecord]::new($exception, $Record.FullyQualifiedErrorId, $Record.CategoryInfo.Category, $Record.TargetObject)
    if ($script:MgRsFqidField) { $script:MgRsFqidField.SetValue($copy, $Record.FullyQualifiedErrorId) }
    $copy.CategoryInfo.Activity = $Record.CategoryInfo.Activity
    $copy.ErrorDetails = $Record.ErrorDetails
    $copy
}
