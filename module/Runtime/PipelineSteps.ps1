# -HttpPipelinePrepend / -HttpPipelineAppend: script blocks that stand in for the official runtime's
# SendAsyncStep delegates. Loaded by Initialize-MgRsSharedParameters (Command.ps1) only when a step is given, so an import and
# a call without steps pay nothing for it. Functions and variables are declared script:, so dot-sourcing this
# file from a function of the module (Import-MgRsPipelineSteps) defines them in the module's scope.
#
# Every step runs here, on the pipeline thread, never on a Rust thread: `& $step $Request $null` before
# the request is sent, `& $step $Request $Response` once Graph has answered. Request order: prepend steps
# (the request as the cmdlet built it, with -Headers), then the module adds its own headers, then append
# steps. Response order: the reverse, as in a chain of delegating handlers. The library checks what the
# steps leave (request_override.rs) before anything goes out. Steps run once per item, not per retry.

$script:MgRsStepRequestType = 'Microsoft.Graph.Rs.HttpPipelineRequest'
$script:MgRsStepResponseType = 'Microsoft.Graph.Rs.HttpPipelineResponse'

function script:New-MgRsPipelineSteps {
    param([scriptblock[]] $Prepend, [scriptblock[]] $Append)
    # $null entries (an unset variable in the array) are not steps.
    @{
        HttpPipelinePrepend = [scriptblock[]]@($Prepend | Where-Object { $null -ne $_ })
        HttpPipelineAppend  = [scriptblock[]]@($Append | Where-Object { $null -ne $_ })
    }
}

function script:New-MgRsStepHeaders {
    [System.Collections.Generic.Dictionary[string, string]]::new([System.StringComparer]::OrdinalIgnoreCase)
}

# Adds [name, value] pairs; a repeated name gets its values joined with ", ", as HTTP allows.
function script:Add-MgRsStepHeaderPairs {
    param($Headers, $Pairs)
    foreach ($pair in $Pairs) {
        $name = [string]$pair[0]
        $Headers[$name] = if ($Headers.ContainsKey($name)) { $Headers[$name] + ', ' + [string]$pair[1] } else { [string]$pair[1] }
    }
}

# Runs one step; returns $null, or the ErrorRecord it threw. Its output is not the command's output.
function script:Invoke-MgRsStep {
    param($Cmdlet, [scriptblock] $Step, $Request, $Response)
    try {
        $null = & $Step $Request $Response
        $null
    } catch {
        $thrown = $_
        # A compiled cmdlet that catches a delegate's exception reports only its own error; a script that catches
        # one leaves it in the caller's -ErrorVariable as well. Take it out there, so the list holds one error per
        # failure ($Error keeps it, as it keeps every caught error).
        $name = $Cmdlet.MyInvocation.BoundParameters['ErrorVariable']
        if ($name) {
            $list = $Cmdlet.SessionState.PSVariable.GetValue(([string]$name).TrimStart('+'))
            if ($list -is [System.Collections.IList]) {
                for ($i = $list.Count - 1; $i -ge 0; $i--) {
                    if ($list[$i] -is [System.Management.Automation.ErrorRecord] -and [object]::ReferenceEquals($list[$i].Exception, $thrown.Exception)) { $list.RemoveAt($i) }
                }
            }
        }
        $thrown
    }
}

function script:New-MgRsStepErrorRecord {
    param($Pipeline, $Thrown, [string] $Parameter, [int] $Index, [int] $Count, [string] $Phase, [string] $Status, $Target, [string] $ParameterSet)
    $which = "Step $($Index + 1) of $Count given to -$Parameter"
    $message = if ($Phase -eq 'Request') {
        "$which failed before the request was sent, so nothing was sent for this item: $($Thrown.Exception.Message)"
    } else {
        "$which failed after Graph answered ($Status); the item's result was written before this error: $($Thrown.Exception.Message)"
    }
    $exception = [System.InvalidOperationException]::new($message, $Thrown.Exception)
    $exception.Data['Step'] = "$Parameter[$Index]"
    $exception.Data['Phase'] = $Phase
    $record = [System.Management.Automation.ErrorRecord]::new($exception, 'HttpPipelineStepFailed', 'InvalidOperation', $Target)
    if ($ParameterSet) {
        if ($script:MgRsFqidField) { $script:MgRsFqidField.SetValue($record, "HttpPipelineStepFailed,$($Pipeline.Info.ErrorClass)_$ParameterSet") }
        $record.CategoryInfo.Activity = "$($Pipeline.Name)_$ParameterSet"
    }
    $record
}

# The request half for one item: builds $Request from the prepared view, runs the steps around the
# module's headers, and submits the request as they left it. A step that throws puts its error in line
# instead, and nothing is sent.
function script:Add-MgRsStepItem {
    param($Pipeline, $Plan, $Target, [string] $ParameterSet)
    $steps = $Pipeline['Steps']
    $view = $Plan.view
    # Errors of a step show the body with its secrets redacted, as Graph errors do; never the piped record itself.
    $Target = [pscustomobject]@{ UserId = $Plan.userId; Headers = $Pipeline.Headers; body = $Plan.targetBody }
    $headers = New-MgRsStepHeaders
    Add-MgRsStepHeaderPairs $headers $view.headers
    $request = [pscustomobject]@{
        Method  = [string]$view.method
        Uri     = [System.Uri]::new([string]$view.uri)
        Headers = $headers
        Body    = [string]$view.body
    }
    $request.PSObject.TypeNames.Insert(0, $script:MgRsStepRequestType)

    foreach ($phase in 'HttpPipelinePrepend', 'HttpPipelineAppend') {
        if ($phase -eq 'HttpPipelineAppend') {
            # The module's headers, unless the request already has one of that name (-Headers or a step).
            foreach ($pair in $view.moduleHeaders) {
                if (-not $request.Headers.ContainsKey($pair[0])) { $request.Headers[[string]$pair[0]] = [string]$pair[1] }
            }
        }
        $list = $steps[$phase]
        for ($i = 0; $i -lt $list.Count; $i++) {
            $thrown = Invoke-MgRsStep $Pipeline.Cmdlet $list[$i] $request $null
            if ($thrown) {
                Add-MgRsPipelineError $Pipeline (New-MgRsStepErrorRecord $Pipeline $thrown $phase $i $list.Count 'Request' '' $Target $ParameterSet)
                $null = Invoke-MgRsOperation @{ op = 'prepared.release'; request = $Plan.request }
                return
            }
        }
    }

    $pairs = [System.Collections.Generic.List[object]]::new()
    if ($request.Headers -is [System.Collections.IDictionary]) {
        foreach ($entry in $request.Headers.GetEnumerator()) {
            foreach ($value in @($entry.Value)) {
                if ($null -ne $value) { $pairs.Add([string[]]@([string]$entry.Key, [string]$value)) }
            }
        }
    } elseif ($null -ne $request.Headers) {
        $pairs = 'not a dictionary'   # the library refuses it with a clear error
    }
    $uri = $request.Uri
    $body = $request.Body
    $override = [ordered]@{
        method  = [string]$request.Method
        uri     = if ($uri -is [System.Uri] -and $uri.IsAbsoluteUri) { $uri.AbsoluteUri } elseif ($uri -is [System.Uri]) { $uri.OriginalString } else { [string]$uri }
        headers = $pairs
        # JSON text is sent as it is; an object or hashtable a step put there is converted.
        body    = if ($null -eq $body) { '' } elseif ($body -is [string]) { $body } else { [MicrosoftGraphRs.Json]::ToText($body, 32) }
    }
    $text = '{"op":"send","command":"' + $Pipeline.Name + '","log":"' + $Pipeline.LogLevel + '","request":' +
        [System.Text.Json.JsonSerializer]::Serialize([string]$Plan.request, [string]) +
        ',"override":' + [MicrosoftGraphRs.Json]::ToText($override, 8) + '}'
    Add-MgRsPipelineItem $Pipeline -Text $text -Target $Target -ParameterSet $ParameterSet
    $last = $null
    foreach ($entry in $Pipeline.Queue) { $last = $entry }
    $last['Steps'] = $request
}

# The response half for one item, when its turn comes: the response steps (append steps first, each list
# in reverse), then the item's output or error as without steps, then the error of a step that threw.
# No answer from Graph (a transport failure, a refused override, Ctrl+C) means no response steps.
function script:Write-MgRsStepResult {
    param($Pipeline, $Item, [string] $Text)
    $cmdlet = $Pipeline.Cmdlet
    # The item's log lines first, so they come before anything the steps write.
    $result = [MicrosoftGraphRs.Json]::FromText($Text)
    if ($result['log']) { Write-MgRsCommandLog $Pipeline $result.log }
    $answer = if ($result.ok) { $result.value['response'] } else { $result.error['response'] }
    $failure = $null
    if ($answer) {
        $headers = New-MgRsStepHeaders
        Add-MgRsStepHeaderPairs $headers $answer.headers
        $response = [pscustomobject]@{
            StatusCode   = [int]$answer.status
            ReasonPhrase = [string]$answer.reason
            Headers      = [System.Collections.ObjectModel.ReadOnlyDictionary[string, string]]::new($headers)
            Body         = [string]$answer.body
        }
        $response.PSObject.TypeNames.Insert(0, $script:MgRsStepResponseType)
        $steps = $Pipeline['Steps']
        :steps foreach ($phase in 'HttpPipelineAppend', 'HttpPipelinePrepend') {
            $list = $steps[$phase]
            for ($i = $list.Count - 1; $i -ge 0; $i--) {
                $thrown = Invoke-MgRsStep $cmdlet $list[$i] $Item['Steps'] $response
                if ($thrown) {
                    # Like an exception in a delegating handler: the steps outside it do not see the answer.
                    $failure = New-MgRsStepErrorRecord $Pipeline $thrown $phase $i $list.Count 'Response' "$($response.StatusCode) $($response.ReasonPhrase)" $Item.Target $Item.ParameterSet
                    break steps
                }
            }
        }
    }
    Write-MgRsPipelineResult $Pipeline $Item -Text $Text -Result $result
    if ($failure) { Write-MgRsItemError $Pipeline $failure }
}

$script:MgRsStepsLoaded = $true
