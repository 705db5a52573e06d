# The one runtime behind every command of the table. A generated command (module/Commands, written by
# tools/New-CommandFunctions.ps1) is its param block and one call per block into the four functions here:
# Start-MgRsCommand (begin), Invoke-MgRsCommandItem (process), Complete-MgRsCommand (end), Stop-MgRsCommand (clean),
# each run through its script block ($script:MgRsStart and so on, at the end of this file).
# What differs between commands comes from the generated table (Commands.g.ps1, Models.g.ps1); the library decides
# the rest (validation, the request, ShouldProcess texts, error records' content).
#
# Preference variables. A compiled cmdlet follows its caller's; a module function would see the module's. The
# caller's are taken once, in Start-MgRsCommand, and kept in the command's state. Scoping is dynamic within the
# module, so a function that sets them as its own locals has them in effect for everything it calls (ShouldProcess,
# WriteError, Write-Verbose, a step's script block), and they are gone when it returns. Setting them costs about 5
# microseconds, so it is done only where something may be written or asked: the prepare path below, the slow path of
# Complete-MgRsCommand, and Receive-MgRsPipeline (Pipeline.ps1), through which every other output goes.
#
# Cost (issue 14): a PowerShell function call costs about 7 microseconds of CPU more than running the function's
# script block with InvokeReturnAsIs, a sizeable share of a warm call's PowerShell time. The entry points and the
# models' readers are run that way, and the single-call path makes no other call. A script block run so wraps an
# exception it throws (not an error record it throws with ThrowTerminatingError) in a MethodInvocationException: each
# entry point catches what it throws and ends the command with that error record, as a function would.

function Start-MgRsCommand {
    param([string] $Name, $Cmdlet, $Bound)
    try {
        $caller = $Cmdlet.SessionState.PSVariable
        if (-not $Bound.ContainsKey('WhatIf')) { $WhatIfPreference = $caller.GetValue('WhatIfPreference') }
        if (-not $Bound.ContainsKey('Confirm')) { $ConfirmPreference = $caller.GetValue('ConfirmPreference') }
        if (-not $Bound.ContainsKey('ErrorAction')) { $ErrorActionPreference = $caller.GetValue('ErrorActionPreference') }
        if (-not $Bound.ContainsKey('WarningAction')) { $WarningPreference = $caller.GetValue('WarningPreference') }
        if (-not $Bound.ContainsKey('Verbose')) { $VerbosePreference = $caller.GetValue('VerbosePreference') }
        if (-not $Bound.ContainsKey('Debug')) { $DebugPreference = $caller.GetValue('DebugPreference') }
        # The official modules beside this one (Authentication/Coexistence.ps1): looked for only when the session's modules
        # changed since the last look. Test-MgRsCoexistence starts with the same test; it is made here too to spare the call.
        if ($null -eq $script:MgRsModuleTable -or $script:MgRsModuleTable.Count -ne $script:MgRsModulesSeen) { Test-MgRsCoexistence $Cmdlet }

        $info = $script:MgRsCommands[$Name]
        # A dictionary bound to -Headers from the pipeline is an input record, not headers (docs/abi.md).
        $headersFromCommandLine = [bool]$info['Headers'] -and $Bound.ContainsKey($info['Headers'])
        # The library formats only the log lines that will be shown.
        $quiet = 'SilentlyContinue', 'Ignore'
        $logLevel = if ($DebugPreference -notin $quiet) { 'debug' } elseif ($VerbosePreference -notin $quiet) { 'verbose' } else { 'warning' }
        if ($logLevel -eq 'debug') { Write-MgRsBeginLines $Name $Cmdlet }
        # Only -WhatIf and -Confirm can stop an item between checking and sending, and only in a command with an impact.
        $impact = $info['ConfirmImpact']
        $askFirst = $null -ne $impact -and ($WhatIfPreference -or ($Bound.ContainsKey('Confirm') -and $Bound['Confirm']) -or
            ($ConfirmPreference -ne 'None' -and $ConfirmPreference -le $impact))
        # The runtime and proxy parameters are looked up only when one of them was given (most calls give none).
        $shared = $false
        foreach ($key in $Bound.Keys) { if ($info['Shared'].ContainsKey($key)) { $shared = $true; break } }
        # The command's state, and the line of its items in flight (Pipeline.ps1).
        $state = @{
            Name                    = $Name
            Info                    = $info
            Cmdlet                  = $Cmdlet
            Queue                   = [System.Collections.Generic.Queue[hashtable]]::new()
            Max                     = 0   # MaxConcurrency, read from the request context when a second item arrives
            ResponseHeadersVariable = $null
            HeadersFromCommandLine  = $headersFromCommandLine
            Headers                 = $(if ($headersFromCommandLine) { $Bound[$info['Headers']] })
            Started                 = [System.Diagnostics.Stopwatch]::GetTimestamp()
            Done                    = 0
            Throttled               = 0
            ProgressAt              = 1000
            ProgressShown           = $false
            ExpectingInput          = $Cmdlet.MyInvocation.ExpectingInput
            # The variable a list's count goes to (-CountVariable).
            CountVariable           = $(if ($info['CountVariable'] -and $Bound.ContainsKey($info['CountVariable'])) { [string]$Bound[$info['CountVariable']] })
            WarnThroughCommand      = -not ($Bound.ContainsKey('Debug') -and $Bound['Debug'] -and -not $Bound.ContainsKey('WarningAction'))
            Stopping                = $false   # a stopping error is waiting for the items already sent
            Finished                = $false   # nothing left for end and clean: a single call read in process
            LogLevel                = $logLevel
            AskFirst                = $askFirst
            # Script steps (PipelineSteps.ps1, loaded only when given): every item goes through prepare, the steps, then send.
            WithSteps               = $false
            Steps                   = $null
            Proxy                   = $null
            WhatIf                  = $WhatIfPreference
            Confirm                 = $ConfirmPreference
            ErrorAction             = $ErrorActionPreference
            Warning                 = $WarningPreference
            Verbose                 = $VerbosePreference
            Debug                   = $DebugPreference
        }
        if ($shared) { Initialize-MgRsSharedParameters $state $Bound }
        $state
    } catch { $Cmdlet.ThrowTerminatingError($_) }
}

# The official module's opening debug lines (Start-MgRsCommand, under -Debug). The connection is read only then.
function Write-MgRsBeginLines {
    param([string] $Name, $Cmdlet)
    Write-Debug "[CmdletBeginProcessing]: - $Name begin processing with parameterSet '$($Cmdlet.ParameterSetName)'."
    $context = (Invoke-MgRsOperation @{ op = 'context' }).value
    if ($null -ne $context) {
        Write-Debug "[Authentication]: - AuthType: '$($context.AuthType)', TokenCredentialType: '$($context.TokenCredentialType)', ContextScope: '$($context.ContextScope)', AppName: '$($context.AppName)'."
        Write-Debug "[Authentication]: - Scopes: [$(@($context.Scopes) -join ', ')]."
    }
}

# The runtime and proxy parameters of src/commands/shared-parameters.json that act once, when one was given
# (Start-MgRsCommand): -ResponseHeadersVariable, the steps, the proxy, -Break.
function Initialize-MgRsSharedParameters {
    param($State, $Bound)
    $State.ResponseHeadersVariable = $Bound['ResponseHeadersVariable']
    $prepend = $Bound['HttpPipelinePrepend']
    $append = $Bound['HttpPipelineAppend']
    if ($prepend -or $append) {
        $State.WithSteps = $true
        if (-not $script:MgRsStepsLoaded) { Import-MgRsPipelineSteps }
        $State.Steps = New-MgRsPipelineSteps $prepend $append
        if (-not $script:MgRsInitialized) { Initialize-MgRsNative }   # the User-Agent the steps see
    }
    # Checked once by the library; each request then carries it (RuntimeParameters.ps1).
    if ($Bound.ContainsKey('Proxy') -or $Bound.ContainsKey('ProxyCredential') -or $Bound['ProxyUseDefaultCredentials']) {
        $State.Proxy = Resolve-MgRsProxy $State -Proxy $Bound['Proxy'] -Credential $Bound['ProxyCredential'] -UseDefaultCredentials ([bool]$Bound['ProxyUseDefaultCredentials'])
    }
    # A name that cannot be set fails now, not after the request was sent (RuntimeParameters.ps1).
    if ($State.ResponseHeadersVariable) { Assert-MgRsResponseHeadersVariable $State $State.ResponseHeadersVariable }
    if ($Bound['Break']) { Wait-MgRsDebugger }
}

# One input item: what was bound becomes the request's values, converted by declared type without judging them
# (the library checks them), and the item is submitted without waiting; results come out in input order.
function Invoke-MgRsCommandItem {
    param($MgRsState, $MgRsBound)
    # $PSBoundParameters keeps a pipeline parameter bound by an earlier item (the binder resets only the variable):
    # such a name is left out. The command's own variable, seen through the module's dynamic scoping, holds this
    # item's value; this runs first, with names no command parameter has, so no local here hides the command's.
    $MgRsStale = $null
    if ($MgRsState['ExpectingInput']) { foreach ($MgRsName in $MgRsState['Info'].Piped) {
        if ($MgRsBound.ContainsKey($MgRsName) -and
            -not [object]::ReferenceEquals($MgRsBound[$MgRsName], $ExecutionContext.SessionState.PSVariable.GetValue($MgRsName))) {
            if (-not $MgRsStale) { $MgRsStale = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase) }
            $null = $MgRsStale.Add($MgRsName)
        }
    } }
    $State = $MgRsState
    $Bound = $MgRsBound
    if ($MgRsStale) {
        $Bound = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($name in $MgRsBound.Keys) { if (-not $MgRsStale.Contains($name)) { $Bound[$name] = $MgRsBound[$name] } }
    }
    try {
        $info = $State['Info']
        $set = $State['Cmdlet'].ParameterSetName
        $identityName = $info['Identity']
        $bodyName = $info['Body']
        $headersName = $info['Headers']
        $identityBound = [bool]$identityName -and $Bound.ContainsKey($identityName)
        $bodyBound = [bool]$bodyName -and $Bound.ContainsKey($bodyName)
        # The binder hands one piped dictionary to every pipeline parameter that takes it; the library tells what it is.
        $headersFromPipeline = [bool]$headersName -and $Bound.ContainsKey($headersName) -and -not $State['HeadersFromCommandLine']
        $inputIsBody = $identityBound -and $bodyBound -and [object]::ReferenceEquals($Bound[$identityName], $Bound[$bodyName])

        $values = [ordered]@{}
        # Only plain strings and booleans bound: the request's JSON is written below by System.Text.Json in one call
        # (ConvertTo-Json cost a third of a call; a PSObject-wrapped value would not serialize as its value).
        $flat = -not $State['Proxy']
        $types = $info['Values']
        foreach ($name in $Bound.Keys) {
            # Plain string labels: script-block conditions would cost a call each, per parameter, per item. Common,
            # runtime and proxy parameters have no type here and are not sent.
            switch ($types[$name]) {
                'string' { $values[$name] = [string]$Bound[$name] }
                'string[]' { $values[$name] = [string[]]$Bound[$name] }
                'int' { $values[$name] = [int]$Bound[$name] }
                'switch' { $values[$name] = $Bound[$name].IsPresent }
                'datetime' { $values[$name] = [string](ConvertTo-MgRsWireDateTime $Bound[$name]) }
                'hashtable' { $values[$name] = ConvertTo-MgRsWireMap $Bound[$name]; $flat = $false }
                'object' { $values[$name] = ConvertTo-MgRsModel $Bound[$name]; $flat = $false }
                'System.Collections.IDictionary' {
                    $value = $Bound[$name]
                    if ($null -ne $value) { $values[$name] = ConvertTo-MgRsWireMap $value; $flat = $false }
                }
            }
        }
        if ($State['Proxy']) { $values['Proxy'] = $State['Proxy'] }
        # The input item, for the error of an item the library could not resolve.
        $target = $null
        if ($identityBound) { $target = $Bound[$identityName] } elseif ($info['Path']) { $target = $Bound[$info['Path']] }

        # -WhatIf or -Confirm: check the input, ask, and only then send. Steps also need the request as it will be sent,
        # and ShouldProcess writes its -Verbose line with the library's target (the user named), so that goes this way too.
        if ($State['AskFirst'] -or $State['WithSteps'] -or ($null -ne $info['ConfirmImpact'] -and $State['LogLevel'] -ne 'warning')) {
            if (-not (Add-MgRsCheckedItem $State $values $set $headersFromPipeline $inputIsBody $target)) { return }
        } else {
            # Checking and sending is one native call; input errors come back as the item's result, in line.
            if (-not $script:MgRsInitialized) { Initialize-MgRsNative }
            if ($State['Max'] -eq 0 -and $State['Queue'].Count -ge 1) {
                $State['Max'] = [int](Invoke-MgRsOperation @{ op = 'request_context.get' }).value.MaxConcurrency
            }
            if ($flat) {
                # Command, log level and set name are fixed words.
                $json = '{"op":"prepare_send","command":"' + $State['Name'] + '","log":"' + $State['LogLevel'] + '","parameterSet":"' + $set +
                    '","headersFromPipeline":false,"inputIsBody":false,"bound":' + [System.Text.Json.JsonSerializer]::Serialize($values, $script:MgRsBoundType) + '}'
            } else {
                $json = ConvertTo-Json -Compress -Depth 32 -InputObject ([ordered]@{
                        op = 'prepare_send'; command = $State['Name']; log = $State['LogLevel']; parameterSet = $set
                        headersFromPipeline = $headersFromPipeline; inputIsBody = $inputIsBody; bound = $values
                    })
            }
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($json)
            try {
                $handle = $script:MgRsNative::mgrs_submit($bytes, $bytes.Length)
            } finally {
                [System.Array]::Clear($bytes, 0, $bytes.Length)   # it may hold a secret
            }
            if ($handle -eq 0) { throw 'Microsoft.Graph.Rs could not hand the request to its native library.' }
            $State['Queue'].Enqueue(@{ Handle = $handle; Target = $target; ParameterSet = $set; Record = $null })
        }
        # Submitted without waiting; results come out in input order as their turn comes.
        $queue = $State['Queue']
        if ($State['ExpectingInput']) {
            if (($State['Max'] -gt 0 -and $queue.Count -ge $State['Max']) -or $State['ErrorAction'] -eq 'Stop' -or
                $script:MgRsNative::mgrs_wait($queue.Peek().Handle, 0) -ne 0) {
                Receive-MgRsPipeline $State
            }
            return
        }
        # A single call (no pipeline input) reads its one item here, on a short path: wait, read and forget it in one native
        # call. An answer slower than that first wait is left to Complete-MgRsCommand's wait loop, where Ctrl+C gets in.
        if ($queue.Count -ne 1 -or $State['WithSteps']) { return }
        $item = $queue.Peek()
        $pointer = $script:MgRsNative::mgrs_take($item.Handle, 20)
        if ($pointer -eq [System.IntPtr]::Zero) { return }
        $null = $queue.Dequeue()
        $item.Handle = [uint64]0
        try { $text = [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($pointer) } finally { $script:MgRsNative::mgrs_string_free($pointer) }
        # An envelope with the job's log lines starts '{"log":' and goes to Write-MgRsPipelineResult.
        if (-not $State['ResponseHeadersVariable'] -and $text.StartsWith('{"ok":true', [System.StringComparison]::Ordinal)) {
            # A success, read here rather than by Write-MgRsPipelineResult: a call fewer on the path of every call.
            # Keep in step with Write-MgRsPipelineResult (Pipeline.ps1), which does the same for piped items.
            $document = [System.Text.Json.JsonDocument]::Parse($text)
            try {
                $value = $document.RootElement.GetProperty('value')
                $output = $value.GetProperty('output')
                $kind = $output.ValueKind
                if ($kind -eq $script:MgRsJsonObject) {
                    $State['Cmdlet'].WriteObject($script:MgRsModelReaders[$value.GetProperty('model').GetString()].InvokeReturnAsIs($output, $true))
                } elseif ($kind -eq $script:MgRsJsonTrue) {
                    $State['Cmdlet'].WriteObject($true)
                } elseif ($kind -eq $script:MgRsJsonNull) {
                    # A list's page (Write-MgRsPage, Pipeline.ps1); with a next page the item goes back in line.
                    $null = Write-MgRsPage $State $item $value
                }
            } finally {
                $document.Dispose()
            }
        } else {
            $WhatIfPreference = $State['WhatIf']; $ConfirmPreference = $State['Confirm']; $ErrorActionPreference = $State['ErrorAction']
            $WarningPreference = $State['Warning']; $VerbosePreference = $State['Verbose']; $DebugPreference = $State['Debug']
            Write-MgRsPipelineResult $State $item $text
        }
        if ($item.Handle -ne 0) { $queue.Enqueue($item) }
        # Under -Debug, end still writes its closing line.
        elseif ($State['LogLevel'] -ne 'debug') { $State['Finished'] = $true }
    } catch { $State['Cmdlet'].ThrowTerminatingError($_) }
}

# An item checked before it is sent (Invoke-MgRsCommandItem): prepare, ShouldProcess with the library's operation and
# target, then the send (through the steps when given). $true when the item was put in line to be sent. A function of
# its own, so the common path does not compile it (a fresh process's first call pays for every line it compiles).
function Add-MgRsCheckedItem {
    param($State, $Values, [string] $Set, [bool] $HeadersFromPipeline, [bool] $InputIsBody, $Target)
    $WhatIfPreference = $State.WhatIf; $ConfirmPreference = $State.Confirm; $ErrorActionPreference = $State.ErrorAction
    $WarningPreference = $State.Warning; $VerbosePreference = $State.Verbose; $DebugPreference = $State.Debug
    $request = [ordered]@{
        op                  = 'prepare'
        command             = $State.Name
        parameterSet        = $Set
        headersFromPipeline = $HeadersFromPipeline
        inputIsBody         = $InputIsBody
        bound               = $Values
    }
    if ($State.WithSteps -and -not $WhatIfPreference) { $request.view = $true }
    $prepared = Invoke-MgRsOperation $request
    if (-not $prepared.ok) {
        $record = ConvertTo-MgRsErrorRecord $State $prepared.error $Target
        # Earlier items still come out first, in order.
        if ($prepared.error['record'] -and $prepared.error.record.stopsCommand) { Stop-MgRsPipelineWithError $State $record -Always }
        # Takes its place in line, after the items still in flight.
        Add-MgRsPipelineError $State $record
        Receive-MgRsPipeline $State
        return $false
    }
    $plan = $prepared.value
    if ($null -ne $State.Info.ConfirmImpact -and -not $State.Cmdlet.ShouldProcess($plan.target, $plan.operation)) {
        # Not sent: the library forgets the request it kept for this item (secrets, proxy password).
        $null = Invoke-MgRsOperation @{ op = 'prepared.release'; request = $plan.request }
        return $false
    }
    if ($State.WithSteps) { Add-MgRsStepItem $State $plan $Target $Set }
    else { Add-MgRsPipelineItem $State -Request $plan.request -Target $Target -ParameterSet $Set }
    $true
}

# The end of a command: the items still in line are waited for and written in order (a single call was read in
# Invoke-MgRsCommandItem unless its answer was slow). Not called when the single call left nothing (Finished).
function Complete-MgRsCommand {
    param($State)
    try {
        Receive-MgRsPipeline $State -Drain
        if ($State.LogLevel -eq 'debug') { $DebugPreference = $State.Debug; Write-Debug "[CmdletEndProcessing]: - $($State.Name) end processing." }
    } catch { $State.Cmdlet.ThrowTerminatingError($_) }
}

# Runs after end, after an error that stops the command, and after Ctrl+C: nothing stays in flight. Items still in
# line mean the run was stopped (Ctrl+C, or a later command that takes no more): the requests among them that were
# sent are named as in doubt. $State is $null when begin failed before the command started.
function Stop-MgRsCommand {
    param($State)
    if ($State -and ($State.Queue.Count -or $State.ProgressShown)) { Stop-MgRsPipeline $State -Stopped:($State.Queue.Count -gt 0) }
}

# Request values that are only strings, string arrays and booleans are written by System.Text.Json as this type.
$script:MgRsBoundType = [System.Collections.Specialized.OrderedDictionary]

# PipelineSteps.ps1 is loaded the first time a step is given. The dot-source lives in a function of its own: one
# inside an entry point would make PowerShell compile it without its fast local variables, and every call would pay.
function Import-MgRsPipelineSteps { . ([System.IO.Path]::Combine($script:MgRsModuleFolder, 'Runtime', 'PipelineSteps.ps1')) }
$script:MgRsStepsLoaded = $false

# What the generated commands call.
$script:MgRsStart = ${function:Start-MgRsCommand}
$script:MgRsItem = ${function:Invoke-MgRsCommandItem}
$script:MgRsComplete = ${function:Complete-MgRsCommand}
$script:MgRsStop = ${function:Stop-MgRsCommand}
