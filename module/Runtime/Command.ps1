# The one runtime behind every command of the table. A generated command (module/Commands, written by
# tools/New-CommandFunctions.ps1) is its param block and one call per block into the runtime: begin and process call
# the compiled entry points (MicrosoftGraphRs.CommandRuntime, module/Runtime/Compiled), end and clean the script blocks
# of Complete-MgRsCommand and Stop-MgRsCommand below. The compiled part calls back into the functions of this file and
# Pipeline.ps1 for what is rare or writes through PowerShell's streams.
# What differs between commands comes from the generated table (Commands.g.ps1, Models.g.ps1); the library decides
# the rest (validation, the request, ShouldProcess texts, error records' content).
#
# Preference variables. A compiled cmdlet follows its caller's; a module function would see the module's. The
# caller's are taken once, when the command starts, and kept in the command's state. Scoping is dynamic within the
# module, so a function that sets them as its own locals has them in effect for everything it calls (ShouldProcess,
# WriteError, Write-Verbose, a step's script block), and they are gone when it returns. Setting them costs about 5
# microseconds, so it is done only where something may be written or asked: the functions below that the compiled
# part calls, and Receive-MgRsPipeline (Pipeline.ps1), through which every other output goes.
#
# Cost (issues 12 and 14): running a script block costs several microseconds before its first statement, and a
# function call about 7 more; the single-call path runs none. A script block run from compiled code (or with
# InvokeReturnAsIs) that throws an exception rather than an error record has it wrapped: each entry point catches what
# it throws and ends the command with that error record, as a function would.

# The compiled entry points of this import, made once the interop assembly is loaded (Microsoft.Graph.Rs.psm1).
function New-MgRsCommandRuntime {
    [MicrosoftGraphRs.CommandRuntime]::new($ExecutionContext.SessionState, $script:MgRsNative, $script:MgRsCommands, $script:MgRsModels, @{
            InitializeCommand = ${function:Initialize-MgRsCommand}
            CheckedItem       = ${function:Add-MgRsCheckedItem}
            WireMap           = ${function:ConvertTo-MgRsWireMap}
            ModelValue        = ${function:ConvertTo-MgRsModel}
            InitializeNative  = ${function:Initialize-MgRsNative}
            MaxConcurrency    = ${function:Get-MgRsMaxConcurrency}
            PrepareSendText   = ${function:Format-MgRsPrepareSend}
            Receive           = ${function:Receive-MgRsPipeline}
            WriteResult       = ${function:Write-MgRsSingleResult}
            WritePage         = ${function:Write-MgRsPage}
        })
}

# What a command's start does beyond its state, under the caller's preferences: the look for the official modules
# beside this one (Authentication/Coexistence.ps1) when the session's modules changed, the opening debug lines, and
# the runtime and proxy parameters when one was given.
function Initialize-MgRsCommand {
    param($State, $Bound, [bool] $Probe, [bool] $Shared)
    $WhatIfPreference = $State.WhatIf; $ConfirmPreference = $State.Confirm; $ErrorActionPreference = $State.ErrorAction
    $WarningPreference = $State.Warning; $VerbosePreference = $State.Verbose; $DebugPreference = $State.Debug
    if ($Probe) { Test-MgRsCoexistence $State.Cmdlet }
    if ($State.LogLevel -eq 'debug') { Write-MgRsBeginLines $State.Name $State.Cmdlet }
    if ($Shared) { Initialize-MgRsSharedParameters $State $Bound }
}

# The official module's opening debug lines (Initialize-MgRsCommand, under -Debug). The connection is read only then.
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
# (Initialize-MgRsCommand): -ResponseHeadersVariable, the steps, the proxy, -Break.
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

# The prepare_send request of an item with a value that is not a plain string, number or boolean (a body object, a
# dictionary, a proxy): written as ConvertTo-Json would. The compiled part writes the others itself (docs/protocol.md).
function Format-MgRsPrepareSend {
    param($State, $Values, [string] $Set, [bool] $HeadersFromPipeline, [bool] $InputIsBody)
    [MicrosoftGraphRs.Json]::ToText([ordered]@{
            op = 'prepare_send'; command = $State.Name; log = $State.LogLevel; parameterSet = $Set
            headersFromPipeline = $HeadersFromPipeline; inputIsBody = $InputIsBody; bound = $Values
        }, 32)
}

# A single call's answer that is not a plain success (an error, log lines, -ResponseHeadersVariable), written under
# the caller's preferences.
function Write-MgRsSingleResult {
    param($State, $Item, [string] $Text)
    $WhatIfPreference = $State.WhatIf; $ConfirmPreference = $State.Confirm; $ErrorActionPreference = $State.ErrorAction
    $WarningPreference = $State.Warning; $VerbosePreference = $State.Verbose; $DebugPreference = $State.Debug
    Write-MgRsPipelineResult $State $Item $Text
}

# An item checked before it is sent (CommandRuntime.Item): prepare, ShouldProcess with the library's operation and
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
# process unless its answer was slow). Not called when the single call left nothing (Finished).
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

# PipelineSteps.ps1 is loaded the first time a step is given. The dot-source lives in a function of its own: one
# inside an entry point would make PowerShell compile it without its fast local variables, and every call would pay.
function Import-MgRsPipelineSteps { . ([System.IO.Path]::Combine($script:MgRsModuleFolder, 'Runtime', 'PipelineSteps.ps1')) }
$script:MgRsStepsLoaded = $false

# What the generated commands' end and clean call.
$script:MgRsComplete = ${function:Complete-MgRsCommand}
$script:MgRsStop = ${function:Stop-MgRsCommand}
$script:MgRsRuntime = $null   # New-MgRsCommandRuntime, at import
