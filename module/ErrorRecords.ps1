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

# Maps a native error envelope to an ErrorRecord for the cmdlet.
function ConvertTo-MgRsErrorRecord {
    param(
        [Parameter(Mandatory)][System.Collections.IDictionary] $NativeError,
        [string] $ParameterSet,
        [object] $TargetObject
    )
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
