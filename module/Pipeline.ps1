# The concurrent, ordered pipeline behind Update-MgBetaUserAuthenticationQrCodePinMethodPin: each item is
# submitted to the native library without waiting, up to MaxConcurrency items are in flight, and results come
# out strictly in input order as soon as their turn comes. Waiting is done in short native waits between
# Start-Sleep calls, so Ctrl+C is seen within milliseconds; the command's clean block cancels what is left.

$script:MgRsProgressId = 0x4D47
$script:MgRsJsonString = [System.Text.Json.JsonValueKind]::String
$script:MgRsJsonObject = [System.Text.Json.JsonValueKind]::Object
$script:MgRsJsonTrue = [System.Text.Json.JsonValueKind]::True
$script:MgRsJsonFalse = [System.Text.Json.JsonValueKind]::False
$script:MgRsWhatIfTarget = "Call remote 'PATCH /users/{user-id}/authentication/qrCodePinMethod/pin' operation"

# Submits one request without waiting for it: -Text is a whole prepare_send request, -Request the opaque
# request from prepare. -Target and -ParameterSet are for the error record of an input error.
function Add-MgRsPipelineItem {
    param($Pipeline, [string] $Text, [string] $Request, $Target, [string] $ParameterSet, [string] $LogLevel = 'debug')
    if (-not $script:MgRsInitialized) { Initialize-MgRsNative }
    if ($Pipeline.Queue.Count -ge 1 -and $Pipeline.Max -eq 0) {
        $Pipeline.Max = [int](Invoke-MgRsOperation @{ op = 'request_context.get' }).value.MaxConcurrency
    }
    if (-not $Text) {
        # The request is opaque JSON text from prepare: wrap it without another trip through ConvertTo-Json.
        $Text = '{"op":"send","log":"' + $LogLevel + '","request":' + [System.Text.Json.JsonSerializer]::Serialize($Request, [string]) + '}'
    }
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
    try {
        $handle = $script:MgRsNative::mgrs_submit($bytes, $bytes.Length)
    } finally {
        # The request holds the PIN.
        [System.Array]::Clear($bytes, 0, $bytes.Length)
    }
    if ($handle -eq 0) { throw 'Microsoft.Graph.Rs could not hand the request to its native library.' }
    $Pipeline.Queue.Enqueue(@{ Handle = $handle; Target = $Target; ParameterSet = $ParameterSet; Record = $null })
}

# An input error takes its place in line, so errors and outputs keep the input order.
function Add-MgRsPipelineError {
    param($Pipeline, $Record)
    $Pipeline.Queue.Enqueue(@{ Handle = [uint64]0; Target = $null; ParameterSet = $null; Record = $Record })
}

# Writes every finished item at the head of the line. Blocks only while MaxConcurrency items are in flight,
# or with -Drain (end of input). Under ErrorAction Stop, a failure anywhere in the line stops taking new
# items: the line is drained up to the failure, whose error then stops the command.
function Receive-MgRsPipeline {
    param($Pipeline, [switch] $Drain)
    $queue = $Pipeline.Queue
    $native = $script:MgRsNative
    $drainAll = $Drain.IsPresent
    if (-not $drainAll -and $queue.Count -gt 1 -and $ErrorActionPreference -eq 'Stop') {
        foreach ($waiting in $queue) {
            if ($waiting.Handle -ne 0 -and $native::mgrs_wait($waiting.Handle, 0) -eq 2) { $drainAll = $true; break }
        }
    }
    while ($queue.Count -gt 0) {
        $item = $queue.Peek()
        if ($item.Handle -eq 0) {
            $null = $queue.Dequeue()
            $Pipeline.Done++
            $Pipeline.Cmdlet.WriteError($item.Record)
            continue
        }
        $state = $native::mgrs_wait($item.Handle, 0)
        if ($state -eq 0) {
            if (-not $drainAll -and ($Pipeline.Max -eq 0 -or $queue.Count -lt $Pipeline.Max)) { break }
            $state = $native::mgrs_wait($item.Handle, 20)
            while ($state -eq 0) {
                Start-Sleep -Milliseconds 5   # where Ctrl+C gets in
                if ((Get-MgRsPipelineMilliseconds $Pipeline) -ge $Pipeline.ProgressAt) { Write-MgRsPipelineProgress $Pipeline }
                $state = $native::mgrs_wait($item.Handle, 20)
            }
        }
        if ($state -lt 0) { throw "Microsoft.Graph.Rs lost track of native job $($item.Handle)." }
        $null = $queue.Dequeue()
        # Done: its result, and the job forgotten, in one call.
        $text = ConvertFrom-MgRsNativeString ($native::mgrs_take($item.Handle, 0))
        $item.Handle = [uint64]0
        if ($item['Steps']) { Write-MgRsStepResult $Pipeline $item $text } else { Write-MgRsPipelineResult $Pipeline $item $text }
        if ($Pipeline.Done -ge 8 -and (Get-MgRsPipelineMilliseconds $Pipeline) -ge $Pipeline.ProgressAt) { Write-MgRsPipelineProgress $Pipeline }
    }
}

function Write-MgRsPipelineResult {
    param($Pipeline, $Item, [string] $Text)
    $cmdlet = $Pipeline.Cmdlet
    $native = $script:MgRsNative
    $Pipeline.Done++
    $log = $native::mgrs_log_drain()
    if ($log -ne [System.IntPtr]::Zero) { Write-MgRsLogText $cmdlet (ConvertFrom-MgRsNativeString $log) }
    if ($Text.StartsWith('{"ok":true', [System.StringComparison]::Ordinal) -and -not $Pipeline.ResponseHeadersVariable) {
        # The common case, read with System.Text.Json: ConvertFrom-Json would cost more than the rest of the item.
        $document = [System.Text.Json.JsonDocument]::Parse($Text)
        try {
            $value = $document.RootElement.GetProperty('value')
            $Pipeline.Throttled += $value.GetProperty('throttled').GetInt32()
            $output = $value.GetProperty('output')
            if ($output.ValueKind -eq [System.Text.Json.JsonValueKind]::Object) {
                $cmdlet.WriteObject((ConvertFrom-MgRsQrPinElement $output))
            }
        } finally {
            $document.Dispose()
        }
        return
    }
    $result = ConvertFrom-Json -InputObject $Text -AsHashtable
    if (-not $result.ok) {
        $nativeError = $result.error
        if ($nativeError['retriesExhausted'] -and $nativeError['status'] -eq 429) { $Pipeline.Throttled += $nativeError['retries'] + 1 }
        $sent = $nativeError['target']
        if ($sent) {
            $target = [pscustomobject]@{ UserId = $sent.userId; Headers = $Pipeline.Headers; body = $sent.targetBody }
            $set = $sent.parameterSet
        } else {
            $target = $Item.Target
            $set = $Item.ParameterSet
        }
        $record = ConvertTo-MgRsErrorRecord -NativeError $nativeError -ParameterSet $set -TargetObject $target
        if ($nativeError.kind -in 'missing_user_id', 'not_connected', 'expired_token', 'authentication') { $cmdlet.ThrowTerminatingError($record) }
        $cmdlet.WriteError($record)
        return
    }
    $value = $result.value
    if ($value['throttled']) { $Pipeline.Throttled += $value['throttled'] }
    if ($Pipeline.ResponseHeadersVariable) {
        $headerMap = [System.Collections.Generic.Dictionary[string, string[]]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($pair in $value.headers) {
            $headerMap[$pair[0]] = if ($headerMap.ContainsKey($pair[0])) { $headerMap[$pair[0]] + $pair[1] } else { [string[]]@($pair[1]) }
        }
        Set-Variable -Name $Pipeline.ResponseHeadersVariable -Value $headerMap -Scope Global
    }
    if ($null -ne $value.output) { $cmdlet.WriteObject((ConvertTo-MgRsQrPin $value.output)) }
}

# The qrPin of a success envelope (a JsonElement) as the output object. Keep in step with ConvertTo-MgRsQrPin
# (ModelConversion.ps1), which builds the same object from a hashtable.
function ConvertFrom-MgRsQrPinElement {
    param($Output)
    $additional = [System.Collections.Hashtable]::new([System.StringComparer]::OrdinalIgnoreCase)
    $extra = $Output.GetProperty('AdditionalProperties')
    if ($extra.ValueKind -eq $script:MgRsJsonObject) {
        foreach ($property in $extra.EnumerateObject()) {
            $element = $property.Value
            $additional[$property.Name] = if ($element.ValueKind -eq $script:MgRsJsonString) { $element.GetString() } else {
                ConvertFrom-Json -InputObject $element.GetRawText() -AsHashtable -NoEnumerate
            }
        }
    }
    # Cached enum values and if/else, not switch or [ref]: on the path of every call, each PowerShell
    # operation counts (this function was the costliest part of a call's PowerShell side).
    $string = $script:MgRsJsonString
    $code = $Output.GetProperty('Code'); $id = $Output.GetProperty('Id')
    $created = $Output.GetProperty('CreatedDateTime'); $updated = $Output.GetProperty('UpdatedDateTime')
    $force = $Output.GetProperty('ForceChangePinNextSignIn').ValueKind
    # The library writes UTC times ending in Z, which GetDateTime reads as DateTimeKind.Utc.
    $object = $script:MgRsQrPinTemplate.PSObject.Copy()
    $object.Code = if ($code.ValueKind -eq $string) { $code.GetString() }
    $object.CreatedDateTime = if ($created.ValueKind -eq $string) { try { $created.GetDateTime() } catch { ConvertFrom-MgRsDateTime $created.GetString() } }
    $object.ForceChangePinNextSignIn = if ($force -eq $script:MgRsJsonTrue) { $true } elseif ($force -eq $script:MgRsJsonFalse) { $false }
    $object.Id = if ($id.ValueKind -eq $string) { $id.GetString() }
    $object.UpdatedDateTime = if ($updated.ValueKind -eq $string) { try { $updated.GetDateTime() } catch { ConvertFrom-MgRsDateTime $updated.GetString() } }
    $object.AdditionalProperties = $additional
    $object.UserId = $Output.GetProperty('UserId').GetString()
    $object
}

function Get-MgRsPipelineMilliseconds {
    param($Pipeline)
    ([System.Diagnostics.Stopwatch]::GetTimestamp() - $Pipeline.Started) * 1000 / [System.Diagnostics.Stopwatch]::Frequency
}

# Shown once the command has run for a second: items done, rate, 429s, items in flight.
function Write-MgRsPipelineProgress {
    param($Pipeline)
    $ms = Get-MgRsPipelineMilliseconds $Pipeline
    $Pipeline.ProgressAt = $ms + 250
    $status = '{0} done, {1:N1} per second, {2} throttled (429), {3} in flight' -f $Pipeline.Done,
        ($Pipeline.Done * 1000.0 / [math]::Max($ms, 1)), $Pipeline.Throttled, $Pipeline.Queue.Count
    Write-Progress -Id $script:MgRsProgressId -Activity 'Update-MgBetaUserAuthenticationQrCodePinMethodPin' -Status $status
    $Pipeline.ProgressShown = $true
}

# Cancels and forgets every request still in line (Ctrl+C, a stopping error, or nothing left to do).
function Stop-MgRsPipeline {
    param($Pipeline)
    if ($script:MgRsNative) {
        foreach ($item in $Pipeline.Queue) {
            if ($item.Handle -ne 0) { $null = $script:MgRsNative::mgrs_release($item.Handle); $item.Handle = [uint64]0 }
        }
    }
    $Pipeline.Queue.Clear()
    if ($Pipeline.ProgressShown) {
        $Pipeline.ProgressShown = $false
        try { Write-Progress -Id $script:MgRsProgressId -Activity 'Update-MgBetaUserAuthenticationQrCodePinMethodPin' -Completed } catch { }
    }
}
