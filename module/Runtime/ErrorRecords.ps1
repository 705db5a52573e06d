# Builds ErrorRecords in the shape scripts written for the official module match on.

# An advanced function's errors get ",<function name>" appended to FullyQualifiedErrorId. The
# official ids end in the generated cmdlet class instead, so the id is pinned through the field
# that the getter reads first. If a future PowerShell renames it, ids keep the function suffix.
$script:MgRsFqidField = [System.Management.Automation.ErrorRecord].GetField(
    '_serializedFullyQualifiedErrorId', [System.Reflection.BindingFlags]'Instance, NonPublic')

$script:MgRsCmdletTypePrefix = 'Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_'

function New-MgRsErrorRecord {
    param(
        [Parameter(Mandatory)][string] $Message,
        [AllowEmptyString()][string] $ErrorId = '',
        [System.Management.Automation.ErrorCategory] $Category = 'NotSpecified',
        [object] $TargetObject,
        [string] $ParameterSet,
        [string] $ExceptionType = 'System.Exception',
        [string] $DetailsMessage,
        [string] $RecommendedAction
    )
    $exception = New-Object -TypeName $ExceptionType -ArgumentList $Message
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $TargetObject)
    if ($DetailsMessage) {
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($DetailsMessage)
        if ($RecommendedAction) { $record.ErrorDetails.RecommendedAction = $RecommendedAction }
    }
    if ($ParameterSet) {
        $qualified = if ($ErrorId) { "$ErrorId,$script:MgRsCmdletTypePrefix$ParameterSet" } else { "$script:MgRsCmdletTypePrefix$ParameterSet" }
        if ($script:MgRsFqidField) { $script:MgRsFqidField.SetValue($record, $qualified) }
        $record.CategoryInfo.Activity = "Update-MgBetaUserAuthenticationQrCodePinMethodPin_$ParameterSet"
    }
    $record
}

# An error's target object is kept in $Error and shown by Format-List, so a PIN inside what the caller passed
# (a piped record, a body, JSON text) is masked in a copy; the caller's object is left as it is.
function Protect-MgRsErrorTarget {
    param($Target, [int] $Depth = 0)
    if ($null -eq $Target -or $Target -is [System.ValueType] -or $Depth -gt 8) { return $Target }
    if ($Target -is [System.Management.Automation.PSObject] -and $Target.PSObject.BaseObject -isnot [System.Management.Automation.PSCustomObject]) {
        $Target = $Target.PSObject.BaseObject
    }
    if ($Target -is [string]) {
        return [regex]::Replace($Target, '("code"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+)', '$1"<redacted>"', 'IgnoreCase')
    }
    if ($Target -is [System.Collections.IDictionary]) {
        $copy = [ordered]@{}
        foreach ($key in $Target.Keys) {
            $copy[$key] = if ("$key" -eq 'code' -and $null -ne $Target[$key]) { '<redacted>' } else { Protect-MgRsErrorTarget $Target[$key] ($Depth + 1) }
        }
        return $copy
    }
    if ($Target -is [System.Management.Automation.PSCustomObject]) {
        $copy = [ordered]@{}
        foreach ($property in $Target.PSObject.Properties) {
            $copy[$property.Name] = if ($property.Name -eq 'code' -and $null -ne $property.Value) { '<redacted>' } else { Protect-MgRsErrorTarget $property.Value ($Depth + 1) }
        }
        return [pscustomobject]$copy
    }
    if ($Target -is [System.Collections.IList]) { return , @(foreach ($item in $Target) { Protect-MgRsErrorTarget $item ($Depth + 1) }) }
    $Target
}

# Maps a native error envelope to an ErrorRecord for the cmdlet.
function ConvertTo-MgRsErrorRecord {
    param(
        [Parameter(Mandatory)][System.Collections.IDictionary] $NativeError,
        [string] $ParameterSet,
        [object] $TargetObject
    )
    $TargetObject = Protect-MgRsErrorTarget $TargetObject
    switch ($NativeError.kind) {
        'graph' {
            # Retries that ran out are NotSpecified in the official module, whose message starts "Too many retries performed".
            $exhausted = [bool]$NativeError['retriesExhausted']
            $record = New-MgRsErrorRecord -Message $NativeError.exceptionMessage -ErrorId $NativeError.code `
                -Category $(if ($exhausted) { 'NotSpecified' } else { 'InvalidOperation' }) `
                -ExceptionType $(if ($exhausted) { 'System.AggregateException' } else { 'System.Exception' }) `
                -TargetObject $TargetObject -ParameterSet $ParameterSet `
                -DetailsMessage $NativeError.errorDetails -RecommendedAction $NativeError.recommendedAction
            # The HTTP facts, for scripts that handle throttling themselves.
            $data = $record.Exception.Data
            $data['StatusCode'] = [int]$NativeError.status
            $data['ErrorCode'] = $NativeError.code
            $data['RequestId'] = $NativeError.requestId
            if ($NativeError['retryAfter']) { $data['RetryAfter'] = $NativeError['retryAfter'] }
            if ($exhausted) { $data['Retries'] = [int]$NativeError['retries'] }
            $record
        }
        'invalid_argument' {
            New-MgRsErrorRecord -Message $NativeError.message -ErrorId $NativeError.errorId `
                -Category InvalidArgument -TargetObject $TargetObject -ParameterSet $ParameterSet `
                -ExceptionType 'System.ArgumentException'
        }
        'missing_user_id' {
            New-MgRsErrorRecord -Message $NativeError.message -Category InvalidArgument `
                -TargetObject $TargetObject -ParameterSet $ParameterSet
        }
        'authentication' {
            # The connection's token could not be renewed (issue 3): the message names the cause.
            New-MgRsErrorRecord -Message $NativeError.message -ErrorId 'AuthenticationFailed' `
                -Category AuthenticationError -ParameterSet $ParameterSet `
                -ExceptionType 'System.Security.Authentication.AuthenticationException'
        }
        { $_ -in 'not_connected', 'expired_token' } {
            New-MgRsErrorRecord -Message $NativeError.message -ErrorId 'NotConnected' `
                -Category AuthenticationError -ParameterSet $ParameterSet `
                -ExceptionType 'System.Security.Authentication.AuthenticationException'
        }
        'connection_changed' {
            # The connection the request started with was replaced or closed before it could be sent again.
            New-MgRsErrorRecord -Message $NativeError.message -ErrorId 'ConnectionChanged' `
                -Category AuthenticationError -TargetObject $TargetObject -ParameterSet $ParameterSet `
                -ExceptionType 'System.InvalidOperationException'
        }
        'invalid_result' {
            # Graph answered, but not with something usable (UnexpectedGraphResponse, ResponseTooLarge).
            $record = New-MgRsErrorRecord -Message $NativeError.message -ErrorId $NativeError.errorId `
                -Category InvalidResult -TargetObject $TargetObject -ParameterSet $ParameterSet `
                -ExceptionType 'System.InvalidOperationException'
            $record.Exception.Data['StatusCode'] = [int]$NativeError.status
            $record.Exception.Data['RequestId'] = $NativeError.requestId
            $record
        }
        'cancelled' {
            New-MgRsErrorRecord -Message $NativeError.message -ErrorId 'OperationStopped' `
                -Category OperationStopped -TargetObject $TargetObject -ParameterSet $ParameterSet `
                -ExceptionType 'System.OperationCanceledException'
        }
        default {
            # Transport failures and anything unexpected: the official module reports these as NotSpecified.
            New-MgRsErrorRecord -Message $NativeError.message -ErrorId 'HttpRequestFailed' `
                -Category NotSpecified -TargetObject $TargetObject -ParameterSet $ParameterSet `
                -ExceptionType 'System.Net.Http.HttpRequestException'
        }
    }
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
