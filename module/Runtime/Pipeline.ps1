# The concurrent, ordered pipeline behind every command of the table: each item is submitted to the native library
# without waiting, up to MaxConcurrency items are in flight, and results come out strictly in input order as soon as
# their turn comes. Waiting is done in short native waits between Start-Sleep calls, so Ctrl+C is seen within
# milliseconds; the command's clean block cancels what is left. $Pipeline is the command's state (Command.ps1).

$script:MgRsProgressId = 0x4D47
$script:MgRsJsonString = [System.Text.Json.JsonValueKind]::String
$script:MgRsJsonObject = [System.Text.Json.JsonValueKind]::Object
$script:MgRsJsonNumber = [System.Text.Json.JsonValueKind]::Number

# How many items may be in flight (Set-MgRequestContext -MaxConcurrency), read when a command's second item arrives.
function Get-MgRsMaxConcurrency { [int](Invoke-MgRsOperation @{ op = 'request_context.get' }).value.MaxConcurrency }

# Submits one request without waiting for it: -Text is a whole prepare_send request, -Request the opaque
# request from prepare. -Target and -ParameterSet are for the error record of an input error.
function Add-MgRsPipelineItem {
    param($Pipeline, [string] $Text, [string] $Request, $Target, [string] $ParameterSet)
    if (-not $script:MgRsInitialized) { Initialize-MgRsNative }
    if ($Pipeline.Queue.Count -ge 1 -and $Pipeline.Max -eq 0) { $Pipeline.Max = Get-MgRsMaxConcurrency }
    if (-not $Text) {
        # The request is opaque JSON text from prepare: wrap it without another trip through ConvertTo-Json.
        $Text = '{"op":"send","command":"' + $Pipeline.Name + '","log":"' + $Pipeline.LogLevel + '","request":' +
            [System.Text.Json.JsonSerializer]::Serialize($Request, [string]) + '}'
    }
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
    try {
        $handle = $script:MgRsNative::mgrs_submit($bytes, $bytes.Length)
    } finally {
        # The request may hold a secret.
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
# items: the line is drained up to the failure, and then Stop-MgRsPipelineWithError finishes it.
function Receive-MgRsPipeline {
    param($Pipeline, [switch] $Drain)
    # Everything the line writes goes through here: the caller's preferences, in effect for what is called below.
    $WhatIfPreference = $Pipeline.WhatIf; $ConfirmPreference = $Pipeline.Confirm; $ErrorActionPreference = $Pipeline.ErrorAction
    $WarningPreference = $Pipeline.Warning; $VerbosePreference = $Pipeline.Verbose; $DebugPreference = $Pipeline.Debug
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
            Write-MgRsItemError $Pipeline $item.Record
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
        if ($item.Handle -ne 0) { Set-MgRsPipelineHead $Pipeline $item; continue }
        if ($Pipeline.Done -ge 8 -and (Get-MgRsPipelineMilliseconds $Pipeline) -ge $Pipeline.ProgressAt) { Write-MgRsPipelineProgress $Pipeline }
    }
}

# One item's output or error: -Text is the envelope, -Result the same already read (with its log lines written).
function Write-MgRsPipelineResult {
    param($Pipeline, $Item, [string] $Text, $Result)
    $cmdlet = $Pipeline.Cmdlet
    $Pipeline.Done++
    # The common case, a plain success, is read and written by the compiled runtime (CommandRuntime.WriteSuccess).
    if (-not $Result -and $script:MgRsRuntime.WriteSuccess($Pipeline, $Item, $Text)) { return }
    $result = $Result
    if (-not $result) {
        $result = [MicrosoftGraphRs.Json]::FromText($Text)
        # The job's own log lines, before its output or error.
        if ($result['log']) { Write-MgRsCommandLog $Pipeline $result.log }
    }
    if (-not $result.ok) {
        $nativeError = $result.error
        if ($nativeError['retriesExhausted'] -and $nativeError['status'] -eq 429) { $Pipeline.Throttled += $nativeError['retries'] + 1 }
        $record = ConvertTo-MgRsErrorRecord $Pipeline $nativeError $Item.Target
        if (-not $Pipeline.Stopping -and $nativeError['record'] -and $nativeError.record.stopsCommand) {
            Stop-MgRsPipelineWithError $Pipeline $record -Always
        }
        Write-MgRsItemError $Pipeline $record
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
    if ($value.output -is [System.Collections.IDictionary] -or $value.Contains('items')) {
        # The object is built from the text by the model's reader, the one way every output object is made.
        $document = [System.Text.Json.JsonDocument]::Parse($Text)
        try {
            $value = $document.RootElement.GetProperty('value')
            $output = $value.GetProperty('output')
            if ($output.ValueKind -eq $script:MgRsJsonObject) {
                $cmdlet.WriteObject($script:MgRsRuntime.Models.Read($value.GetProperty('model').GetString(), $output, $true))
            } else {
                $null = Write-MgRsPage $Pipeline $Item $value
            }
        } finally {
            $document.Dispose()
        }
    } elseif ($value.output -eq $true) {
        $cmdlet.WriteObject($true)
    }
}

# A page of a list: the success value has no output but items (of the model, without UserId), Graph's count, and the
# handle of the next page's request when more are wanted (-All, or -Top not reached). Writes the items and sets the
# -CountVariable, then sends the next page's request at once: $Item.Handle becomes that job, so the list keeps its
# place in line (the callers put it back at the head). $true when a next page was asked for. Pages go no other way.
function Write-MgRsPage {
    param($Pipeline, $Item, $Value)
    # Only a command with a list set answers with pages (the table's "collection"); a Remove without -PassThru is null too.
    if (-not $Pipeline.Info.Collection) { return $false }
    $items = $Value.GetProperty('items')
    $model = $Value.GetProperty('model').GetString()
    $reader = $script:MgRsRuntime.Models
    $cmdlet = $Pipeline.Cmdlet
    foreach ($element in $items.EnumerateArray()) { $cmdlet.WriteObject($reader.Read($model, $element, $false)) }
    $count = $Value.GetProperty('count')
    if ($Pipeline.CountVariable -and $count.ValueKind -eq $script:MgRsJsonNumber) {
        # As the official list commands (exported as functions, they cannot reach the caller's scope): the global scope,
        # unless the name gives a scope of its own.
        $name = $Pipeline.CountVariable
        if (-not $name.Contains(':')) { $name = "global:$name" }
        $cmdlet.SessionState.PSVariable.Set($name, $count.GetInt64())
    }
    $next = $Value.GetProperty('next')
    if ($next.ValueKind -ne $script:MgRsJsonString) { return $false }
    $text = '{"op":"send","command":"' + $Pipeline.Name + '","log":"' + $Pipeline.LogLevel + '","request":' +
        [System.Text.Json.JsonSerializer]::Serialize($next.GetString(), [string]) + '}'
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($text)
    $handle = $script:MgRsNative::mgrs_submit($bytes, $bytes.Length)
    if ($handle -eq 0) { throw 'Microsoft.Graph.Rs could not hand the request to its native library.' }
    $Item.Handle = $handle
    $true
}

# Puts $Item back at the head of the line (the next page of a list it was reading).
function Set-MgRsPipelineHead {
    param($Pipeline, $Item)
    $rest = $Pipeline.Queue.ToArray()
    $Pipeline.Queue.Clear()
    $Pipeline.Queue.Enqueue($Item)
    foreach ($entry in $rest) { $Pipeline.Queue.Enqueue($entry) }
}

# An item's log lines (they never hold a secret). Warnings go through the command's own runtime, which also fills
# its -WarningVariable (a Write-Warning run from the runtime's script blocks would not); verbose and debug lines go
# through Write-Verbose and Write-Debug, which follow the preferences in effect (Receive-MgRsPipeline sets them).
# Under -Debug without -WarningAction the command runtime would ask about each warning, so Write-Warning is used then.
function Write-MgRsCommandLog {
    param($Pipeline, $Lines)
    foreach ($line in $Lines) {
        switch ($line.level) {
            'verbose' { Write-Verbose $line.message }
            'debug' { Write-Debug $line.message }
            'warning' { if ($Pipeline.WarnThroughCommand) { $Pipeline.Cmdlet.WriteWarning($line.message) } else { Write-Warning $line.message } }
            'information' { Write-Host $line.message }
        }
    }
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
    Write-Progress -Id $script:MgRsProgressId -Activity $Pipeline.Name -Status $status
    $Pipeline.ProgressShown = $true
}

# An item's error. While a stopping error waits for the items already sent, their errors are written
# as non-terminating records even under ErrorAction Stop (as the command's own, not this function's).
function Write-MgRsItemError {
    param($Pipeline, $Record)
    if (-not $Pipeline.Stopping) {
        if ($ErrorActionPreference -eq 'Stop') { Stop-MgRsPipelineWithError $Pipeline $Record }
        $Pipeline.Cmdlet.WriteError($Record)
        return
    }
    # The command runtime's own write with ErrorAction Continue for this record (its public WriteError would stop):
    # Write-Error cannot do it here, as the runtime's entry points run as script blocks (Command.ps1), whose cmdlets'
    # errors would not reach the command's error stream or -ErrorVariable.
    $cmdlet = $Pipeline.Cmdlet
    if ($null -eq $script:MgRsWriteErrorSkipCheck) {
        # Looked up here, not at import: the lookup costs milliseconds and this path is rare. $false: not found.
        $script:MgRsWriteErrorSkipCheck = $false
        foreach ($method in [psobject].Assembly.GetType('System.Management.Automation.MshCommandRuntime').GetMethods([System.Reflection.BindingFlags]'Instance, NonPublic')) {
            $parameters = $method.GetParameters()
            if ($method.Name -eq '_WriteErrorSkipAllowCheck' -and $parameters.Count -ge 2 -and $parameters[1].ParameterType -eq [System.Nullable[System.Management.Automation.ActionPreference]]) {
                $script:MgRsWriteErrorSkipCheck = $method
            }
        }
        $script:MgRsSetInvocationInfo = [System.Management.Automation.ErrorRecord].GetMethod('SetInvocationInfo', [System.Reflection.BindingFlags]'Instance, NonPublic')
    }
    if ($script:MgRsWriteErrorSkipCheck) {
        if ($script:MgRsSetInvocationInfo) { $null = $script:MgRsSetInvocationInfo.Invoke($Record, [object[]]@($cmdlet.MyInvocation)) }
        $arguments = [object[]]@(foreach ($parameter in $script:MgRsWriteErrorSkipCheck.GetParameters()) {
                if ($parameter.Position -eq 0) { $Record } elseif ($parameter.Position -eq 1) { [System.Management.Automation.ActionPreference]::Continue } else { $parameter.DefaultValue }
            })
        $null = $script:MgRsWriteErrorSkipCheck.Invoke($cmdlet.CommandRuntime, $arguments)
        return
    }
    $MyInvocation = $cmdlet.MyInvocation
    Write-Error -ErrorRecord $Record -CategoryActivity $Record.CategoryInfo.Activity -ErrorAction Continue
}

# The command runtime's write of an error with a given ErrorAction, and the record's invocation info (both internal,
# found on first use; when a future PowerShell renames them, Write-Error is used instead).
$script:MgRsWriteErrorSkipCheck = $null
$script:MgRsSetInvocationInfo = $null

# Ends the command with -Record, an error that stops it (ErrorAction Stop, or an error that always does). Items
# whose request has not gone on the wire are withdrawn and never sent; every item already sent is awaited (each
# within the request timeout) and its output or error written in input order; then the error is thrown, its
# message saying how many inputs were not sent under ErrorAction Stop (always in Exception.Data['NotSent']).
function Stop-MgRsPipelineWithError {
    # -Always: an error that stops the command whatever the ErrorAction (it keeps its official message).
    param($Pipeline, $Record, [switch] $Always)
    $Pipeline.Stopping = $true
    $notSent = 0
    $kept = @(foreach ($item in $Pipeline.Queue) {
            if ($item.Handle -ne 0 -and $script:MgRsNative::mgrs_withdraw($item.Handle) -eq 1) { $item.Handle = [uint64]0; $notSent++ }
            else { $item }
        })
    $Pipeline.Queue.Clear()
    foreach ($item in $kept) { $Pipeline.Queue.Enqueue($item) }
    Receive-MgRsPipeline $Pipeline -Drain
    # An error that stops the command whatever the ErrorAction keeps its official message; the count is in Data.
    $note = if (-not $Always) { "$notSent input(s) were not sent." }
    $Pipeline.Cmdlet.ThrowTerminatingError((Add-MgRsErrorNote $Record $note 'NotSent' $notSent))
}

# Cancels and forgets every request still in line (Ctrl+C, a stopping error, or nothing left to do). Requests
# that were sent and whose outcome nobody will now read are named: one warning through the host (a stopped
# pipeline cannot write to its streams) and Get-MgRsInDoubtRequest.
function Stop-MgRsPipeline {
    param($Pipeline, [switch] $Stopped)
    $doubts = [System.Collections.Generic.List[object]]::new()
    if ($script:MgRsNative) {
        foreach ($item in $Pipeline.Queue) {
            if ($item.Handle -eq 0) { continue }
            $text = ConvertFrom-MgRsNativeString ($script:MgRsNative::mgrs_abandon($item.Handle))
            $item.Handle = [uint64]0
            if ($text) {
                $doubt = ConvertFrom-Json -InputObject $text
                if ($null -ne $doubt.UserId) {
                    $doubts.Add([pscustomobject]@{
                            PSTypeName = 'Microsoft.Graph.Rs.InDoubtRequest'
                            UserId     = $doubt.UserId
                            Command    = $Pipeline.Name
                            Method     = $doubt.Method
                            Uri        = $doubt.Uri
                            SentAt     = [System.DateTimeOffset]::Parse($doubt.SentAt, [cultureinfo]::InvariantCulture).UtcDateTime
                        })
                }
            }
        }
    }
    $Pipeline.Queue.Clear()
    if ($Stopped) {
        $script:MgRsInDoubt = $doubts.ToArray()
        if ($doubts.Count) {
            $text = "Stopped with $($doubts.Count) request(s) in doubt: $(@($doubts.UserId) -join ', '). They were sent but their answers were not read, so they may have taken effect; Get-MgRsInDoubtRequest lists them."
            try { $Host.UI.WriteWarningLine($text) } catch { }
        }
    }
    if ($Pipeline.ProgressShown) {
        $Pipeline.ProgressShown = $false
        try { Write-Progress -Id $script:MgRsProgressId -Activity $Pipeline.Name -Completed } catch { }
    }
}
