function Update-MgBetaUserAuthenticationQrCodePinMethodPin {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin')]
    [CmdletBinding(DefaultParameterSetName = 'UpdateExpanded', SupportsShouldProcess, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    param(
        [Parameter(ParameterSetName = 'UpdateExpanded', Mandatory)]
        [Parameter(ParameterSetName = 'Update', Mandatory)]
        [string] $UserId,

        # Stands in for IIdentitySignInsIdentity: a hashtable, a PSObject, JSON text or this module's output.
        [Parameter(ParameterSetName = 'UpdateViaIdentityExpanded', Mandatory, ValueFromPipeline)]
        [Parameter(ParameterSetName = 'UpdateViaIdentity', Mandatory, ValueFromPipeline)]
        [object] $InputObject,

        # Stands in for IMicrosoftGraphQrPin: a hashtable, a PSObject, JSON text or this module's output.
        [Parameter(ParameterSetName = 'Update', Mandatory, ValueFromPipeline)]
        [Parameter(ParameterSetName = 'UpdateViaIdentity', Mandatory, ValueFromPipeline)]
        [object] $BodyParameter,

        [Parameter(ParameterSetName = 'UpdateExpanded')]
        [Parameter(ParameterSetName = 'UpdateViaIdentityExpanded')]
        [System.Collections.Hashtable] $AdditionalProperties,

        [Parameter(ParameterSetName = 'UpdateExpanded')]
        [Parameter(ParameterSetName = 'UpdateViaIdentityExpanded')]
        [MicrosoftGraphRs.KeepType()]   # a number would lose its leading zeros (ArgumentAttributes.ps1)
        [string] $Code,

        [Parameter(ParameterSetName = 'UpdateExpanded')]
        [Parameter(ParameterSetName = 'UpdateViaIdentityExpanded')]
        [datetime] $CreatedDateTime,

        [Parameter(ParameterSetName = 'UpdateExpanded')]
        [Parameter(ParameterSetName = 'UpdateViaIdentityExpanded')]
        [switch] $ForceChangePinNextSignIn,

        [Parameter(ParameterSetName = 'UpdateExpanded')]
        [Parameter(ParameterSetName = 'UpdateViaIdentityExpanded')]
        [string] $Id,

        [Parameter(ParameterSetName = 'UpdateExpanded')]
        [Parameter(ParameterSetName = 'UpdateViaIdentityExpanded')]
        [datetime] $UpdatedDateTime,

        [Alias('RHV')]
        [string] $ResponseHeadersVariable,

        [switch] $Break,

        [Parameter(ValueFromPipeline)]
        [System.Collections.IDictionary] $Headers,

        # Stands in for SendAsyncStep[], a delegate type of the official runtime that cannot exist here.
        [scriptblock[]] $HttpPipelineAppend,

        [scriptblock[]] $HttpPipelinePrepend,

        [uri] $Proxy,

        [pscredential] $ProxyCredential,

        [switch] $ProxyUseDefaultCredentials
    )

    begin {
        # A compiled cmdlet follows its caller's preference variables; a module function would see
        # the module's. Take the caller's unless the matching common parameter was given.
        $caller = $PSCmdlet.SessionState.PSVariable
        if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = $caller.GetValue('WhatIfPreference') }
        if (-not $PSBoundParameters.ContainsKey('Confirm')) { $ConfirmPreference = $caller.GetValue('ConfirmPreference') }
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $caller.GetValue('ErrorActionPreference') }
        if (-not $PSBoundParameters.ContainsKey('WarningAction')) { $WarningPreference = $caller.GetValue('WarningPreference') }
        if (-not $PSBoundParameters.ContainsKey('Verbose')) { $VerbosePreference = $caller.GetValue('VerbosePreference') }
        if (-not $PSBoundParameters.ContainsKey('Debug')) { $DebugPreference = $caller.GetValue('DebugPreference') }
        # The official modules beside this one (Coexistence.ps1): the usual answer is tested here, on the path of every call.
        if (($seen = $ExecutionContext.InvokeCommand.InvokeScript($PSCmdlet.SessionState, $script:MgRsCoexistenceProbe, $null)).Count -ne 1 -or
            $seen[0].ModuleName -cne 'Microsoft.Graph.Rs') { Test-MgRsCoexistence $PSCmdlet $seen }

        # A dictionary bound to -Headers from the pipeline is an input record, not headers (docs/abi.md).
        $headersFromCommandLine = $PSBoundParameters.ContainsKey('Headers')
        # The library formats only the log lines that will be shown.
        $quiet = 'SilentlyContinue', 'Ignore'
        $logLevel = if ($DebugPreference -notin $quiet) { 'debug' } elseif ($VerbosePreference -notin $quiet) { 'verbose' } else { 'warning' }
        if ($logLevel -eq 'debug') {
            # The official module's opening debug lines. The connection is read only when they are shown.
            Write-Debug "[CmdletBeginProcessing]: - Update-MgBetaUserAuthenticationQrCodePinMethodPin begin processing with parameterSet '$($PSCmdlet.ParameterSetName)'."
            $context = (Invoke-MgRsOperation @{ op = 'context' }).value
            if ($null -ne $context) {
                Write-Debug "[Authentication]: - AuthType: '$($context.AuthType)', TokenCredentialType: '$($context.TokenCredentialType)', ContextScope: '$($context.ContextScope)', AppName: '$($context.AppName)'."
                Write-Debug "[Authentication]: - Scopes: [$(@($context.Scopes) -join ', ')]."
            }
        }
        # Only -WhatIf and -Confirm can stop an item between checking and sending (ConfirmImpact is Medium).
        $askFirst = $WhatIfPreference -or ($PSBoundParameters.ContainsKey('Confirm') -and $PSBoundParameters['Confirm']) -or
            ($ConfirmPreference -ne 'None' -and $ConfirmPreference -le [System.Management.Automation.ConfirmImpact]::Medium)
        # The line of items in flight (Pipeline.ps1), built here rather than by a helper: on the path of every call.
        $pipeline = @{
            Cmdlet                  = $PSCmdlet
            Queue                   = [System.Collections.Generic.Queue[hashtable]]::new()
            Max                     = 0   # MaxConcurrency, read from the request context when a second item arrives
            ResponseHeadersVariable = $ResponseHeadersVariable
            Headers                 = $(if ($headersFromCommandLine) { $Headers })
            Started                 = [System.Diagnostics.Stopwatch]::GetTimestamp()
            Done                    = 0
            Throttled               = 0
            ProgressAt              = 1000
            ProgressShown           = $false
            Stopping                = $false   # a stopping error is waiting for the items already sent
        }

        # Script steps (PipelineSteps.ps1, loaded only when given): every item goes through prepare, the steps, then send.
        $withSteps = [bool]($HttpPipelinePrepend -or $HttpPipelineAppend)
        if ($withSteps) {
            if (-not $script:MgRsStepsLoaded) { Import-MgRsPipelineSteps }
            $pipeline.Steps = New-MgRsPipelineSteps $HttpPipelinePrepend $HttpPipelineAppend
            if (-not $script:MgRsInitialized) { Initialize-MgRsNative }   # the User-Agent the steps see
        }
        # Checked once by the library; each request then carries it (RuntimeParameters.ps1).
        $proxySettings = if ($PSBoundParameters.ContainsKey('Proxy') -or $PSBoundParameters.ContainsKey('ProxyCredential') -or $ProxyUseDefaultCredentials) {
            Resolve-MgRsProxy $PSCmdlet -Proxy $Proxy -Credential $ProxyCredential -UseDefaultCredentials $ProxyUseDefaultCredentials.IsPresent
        }
        # A name that cannot be set fails now, not after a PIN change (RuntimeParameters.ps1).
        if ($ResponseHeadersVariable) { Assert-MgRsResponseHeadersVariable $PSCmdlet $ResponseHeadersVariable }
        if ($Break) { Wait-MgRsDebugger }
    }

    process {
        $set = $PSCmdlet.ParameterSetName
        $headersFromPipeline = $PSBoundParameters.ContainsKey('Headers') -and -not $headersFromCommandLine
        # The binder hands one piped dictionary to every pipeline parameter that takes it.
        $headersAreOtherInput = $headersFromPipeline -and
            ([object]::ReferenceEquals($Headers, $InputObject) -or [object]::ReferenceEquals($Headers, $BodyParameter))
        $inputIsBody = $PSBoundParameters.ContainsKey('InputObject') -and $PSBoundParameters.ContainsKey('BodyParameter') -and
            [object]::ReferenceEquals($InputObject, $BodyParameter)
        $bound = [ordered]@{}
        # Only plain strings and booleans bound: the request's JSON is written below by System.Text.Json in one call
        # (ConvertTo-Json cost a third of a call; a PSObject-wrapped value would not serialize as its value).
        $flat = -not $proxySettings
        foreach ($name in $PSBoundParameters.Keys) {
            $value = $PSBoundParameters[$name]
            # Plain string labels: script-block conditions would cost a call each, per parameter, per item.
            switch ($name) {
                'UserId' { $bound[$name] = [string]$value }
                'Code' { $bound[$name] = [string]$value }
                'Id' { $bound[$name] = [string]$value }
                'CreatedDateTime' { $bound[$name] = [string](ConvertTo-MgRsWireDateTime $value) }
                'UpdatedDateTime' { $bound[$name] = [string](ConvertTo-MgRsWireDateTime $value) }
                'ForceChangePinNextSignIn' { $bound[$name] = $value.IsPresent }
                'AdditionalProperties' { $bound[$name] = ConvertTo-MgRsWireMap $value; $flat = $false }
                'InputObject' { $bound[$name] = ConvertTo-MgRsModel $value; $flat = $false }
                'BodyParameter' { $bound[$name] = ConvertTo-MgRsModel $value; $flat = $false }
                'Headers' { if ($null -ne $value -and -not $headersAreOtherInput) { $bound[$name] = ConvertTo-MgRsWireMap $value; $flat = $false } }
            }
        }
        if ($proxySettings) { $bound['Proxy'] = $proxySettings }

        $request = [ordered]@{
            op                  = 'prepare_send'
            log                 = $logLevel
            parameterSet        = $set
            headersFromPipeline = $headersFromPipeline -and -not $headersAreOtherInput
            inputIsBody         = $inputIsBody
            bound               = $bound
        }
        $target = if ($PSBoundParameters.ContainsKey('InputObject')) { $InputObject } else { $UserId }
        if ($askFirst -or $withSteps) {
            # -WhatIf or -Confirm: check the input, ask, and only then send. Steps also need the request as it will be sent.
            $request.op = 'prepare'
            if ($withSteps -and -not $WhatIfPreference) { $request.view = $true }
            $prepared = Invoke-MgRsOperation $request
            if (-not $prepared.ok) {
                $record = ConvertTo-MgRsErrorRecord -NativeError $prepared.error -ParameterSet $set -TargetObject $target
                if ($prepared.error.kind -in 'missing_user_id', 'not_connected', 'expired_token') {
                    # Earlier items still come out first, in order.
                    Stop-MgRsPipelineWithError $pipeline $record -Always
                }
                # Takes its place in line, after the items still in flight.
                Add-MgRsPipelineError $pipeline $record
                Receive-MgRsPipeline $pipeline
                return
            }
            $plan = $prepared.value
            if (-not $PSCmdlet.ShouldProcess($plan.target, $plan.operation)) {
                # Not sent: the library forgets the request it kept for this item (PIN, proxy password).
                $null = Invoke-MgRsOperation @{ op = 'prepared.release'; request = $plan.request }
                return
            }
            if ($withSteps) { Add-MgRsStepItem $pipeline $plan $target $set $logLevel }
            else { Add-MgRsPipelineItem $pipeline -Request $plan.request -Target $target -ParameterSet $set -LogLevel $logLevel }
        } else {
            # Nothing to ask: ShouldProcess only writes its -Verbose line, so it is skipped when that is not shown.
            # Checking and sending is one native call; input errors come back as the item's result, in line.
            if ($logLevel -ne 'warning') { $null = $PSCmdlet.ShouldProcess($script:MgRsWhatIfTarget, "Update-MgBetaUserAuthenticationQrCodePinMethodPin_$set") }
            if (-not $script:MgRsInitialized) { Initialize-MgRsNative }
            if ($pipeline.Max -eq 0 -and $pipeline.Queue.Count -ge 1) {
                $pipeline.Max = [int](Invoke-MgRsOperation @{ op = 'request_context.get' }).value.MaxConcurrency
            }
            if ($flat -and -not $request.headersFromPipeline) {
                # Log level and set name are fixed words.
                $json = '{"op":"prepare_send","log":"' + $logLevel + '","parameterSet":"' + $set +
                    '","headersFromPipeline":false,"inputIsBody":false,"bound":' + [System.Text.Json.JsonSerializer]::Serialize($bound, $script:MgRsBoundType) + '}'
            } else {
                $json = ConvertTo-Json -InputObject $request -Compress -Depth 32
            }
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($json)
            try {
                $handle = $script:MgRsNative::mgrs_submit($bytes, $bytes.Length)
            } finally {
                [System.Array]::Clear($bytes, 0, $bytes.Length)   # it holds the PIN
            }
            if ($handle -eq 0) { throw 'Microsoft.Graph.Rs could not hand the request to its native library.' }
            $pipeline.Queue.Enqueue(@{ Handle = $handle; Target = $target; ParameterSet = $set; Record = $null })
        }
        # Submitted without waiting; results come out in input order as their turn comes.
        $queue = $pipeline.Queue
        if (($pipeline.Max -gt 0 -and $queue.Count -ge $pipeline.Max) -or $ErrorActionPreference -eq 'Stop' -or
            $script:MgRsNative::mgrs_wait($queue.Peek().Handle, 0) -ne 0) {
            Receive-MgRsPipeline $pipeline
        }
    }

    end {
        $queue = $pipeline.Queue
        if ($queue.Count -eq 1 -and $queue.Peek().Handle -ne 0 -and -not $withSteps) {
            # One item (a plain call): wait, read and forget it in one native call. Only an answer slower than
            # that first wait goes through the pipeline's wait loop, where Ctrl+C gets in.
            $item = $queue.Peek()
            $pointer = $script:MgRsNative::mgrs_take($item.Handle, 20)
            if ($pointer -ne [System.IntPtr]::Zero) {
                $null = $queue.Dequeue()
                $item.Handle = [uint64]0
                try { $text = [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($pointer) } finally { $script:MgRsNative::mgrs_string_free($pointer) }
                # An envelope with the job's log lines starts '{"log":' and goes to Write-MgRsPipelineResult.
                if (-not $ResponseHeadersVariable -and $text.StartsWith('{"ok":true', [System.StringComparison]::Ordinal)) {
                    # A success, read here rather than by Write-MgRsPipelineResult: each PowerShell function call on this
                    # path cost 10-15 µs, a sixth of the cmdlet's own share of a call. Keep in step with
                    # ConvertFrom-MgRsQrPinElement (Pipeline.ps1), which builds the same object for piped items.
                    $document = [System.Text.Json.JsonDocument]::Parse($text)
                    try {
                        $output = $document.RootElement.GetProperty('value').GetProperty('output')
                        if ($output.ValueKind -eq $script:MgRsJsonObject) {
                            $additional = [System.Collections.Hashtable]::new([System.StringComparer]::OrdinalIgnoreCase)
                            foreach ($property in $output.GetProperty('AdditionalProperties').EnumerateObject()) {
                                $element = $property.Value
                                $additional[$property.Name] = if ($element.ValueKind -eq $script:MgRsJsonString) { $element.GetString() } else {
                                    ConvertFrom-Json -InputObject $element.GetRawText() -AsHashtable -NoEnumerate
                                }
                            }
                            $string = $script:MgRsJsonString
                            $pinCode = $output.GetProperty('Code'); $pinId = $output.GetProperty('Id')
                            $createdAt = $output.GetProperty('CreatedDateTime'); $updatedAt = $output.GetProperty('UpdatedDateTime')
                            $force = $output.GetProperty('ForceChangePinNextSignIn').ValueKind
                            $object = $script:MgRsQrPinTemplate.PSObject.Copy()
                            $object.Code = if ($pinCode.ValueKind -eq $string) { $pinCode.GetString() }
                            $object.CreatedDateTime = if ($createdAt.ValueKind -eq $string) { try { $createdAt.GetDateTime() } catch { ConvertFrom-MgRsDateTime $createdAt.GetString() } }
                            $object.ForceChangePinNextSignIn = if ($force -eq $script:MgRsJsonTrue) { $true } elseif ($force -eq $script:MgRsJsonFalse) { $false }
                            $object.Id = if ($pinId.ValueKind -eq $string) { $pinId.GetString() }
                            $object.UpdatedDateTime = if ($updatedAt.ValueKind -eq $string) { try { $updatedAt.GetDateTime() } catch { ConvertFrom-MgRsDateTime $updatedAt.GetString() } }
                            $object.AdditionalProperties = $additional
                            $object.UserId = $output.GetProperty('UserId').GetString()
                            $PSCmdlet.WriteObject($object)
                        }
                    } finally {
                        $document.Dispose()
                    }
                } else {
                    Write-MgRsPipelineResult $pipeline $item $text
                }
                if ($logLevel -eq 'debug') { Write-Debug '[CmdletEndProcessing]: - Update-MgBetaUserAuthenticationQrCodePinMethodPin end processing.' }
                return
            }
        }
        Receive-MgRsPipeline $pipeline -Drain
        if ($logLevel -eq 'debug') { Write-Debug '[CmdletEndProcessing]: - Update-MgBetaUserAuthenticationQrCodePinMethodPin end processing.' }
    }

    clean {
        # Runs after end, after an error that stops the command, and after Ctrl+C: nothing stays in flight.
        # Items still in line mean the run was stopped (Ctrl+C, or a later command that takes no more): the
        # requests among them that were sent are named as in doubt.
        if ($pipeline -and ($pipeline.Queue.Count -or $pipeline.ProgressShown)) { Stop-MgRsPipeline $pipeline -Stopped:($pipeline.Queue.Count -gt 0) }
    }
}

# PipelineSteps.ps1 is loaded the first time a step is given. The dot-source lives in a function of its own: one
# inside the cmdlet would make PowerShell compile the whole cmdlet without its fast local variables, and every
# call would pay for that.
$script:MgRsBoundType = [System.Collections.Specialized.OrderedDictionary]

function Import-MgRsPipelineSteps { . ([System.IO.Path]::Combine($PSScriptRoot, 'PipelineSteps.ps1')) }
$script:MgRsStepsLoaded = $false
