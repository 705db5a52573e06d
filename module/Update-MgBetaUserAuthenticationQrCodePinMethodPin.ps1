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

        # A dictionary bound to -Headers from the pipeline is an input record, not headers (docs/abi.md).
        $headersFromCommandLine = $PSBoundParameters.ContainsKey('Headers')

        foreach ($unsupported in 'Break', 'HttpPipelineAppend', 'HttpPipelinePrepend', 'Proxy', 'ProxyCredential', 'ProxyUseDefaultCredentials') {
            if ($PSBoundParameters.ContainsKey($unsupported)) {
                $PSCmdlet.ThrowTerminatingError((New-MgRsErrorRecord -ErrorId 'ParameterNotSupported' `
                    -Category NotImplemented -ExceptionType 'System.NotSupportedException' -ParameterSet $PSCmdlet.ParameterSetName `
                    -Message "-$unsupported is not supported by this version of Microsoft.Graph.Rs, so nothing was sent. Run the command without -$unsupported."))
            }
        }
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
        foreach ($name in $PSBoundParameters.Keys) {
            $value = $PSBoundParameters[$name]
            switch ($name) {
                { $_ -in 'UserId', 'Code', 'Id' } { $bound[$name] = $value }
                { $_ -in 'CreatedDateTime', 'UpdatedDateTime' } { $bound[$name] = ConvertTo-MgRsWireDateTime $value }
                'ForceChangePinNextSignIn' { $bound[$name] = $value.IsPresent }
                'AdditionalProperties' { $bound[$name] = ConvertTo-MgRsWireMap $value }
                { $_ -in 'InputObject', 'BodyParameter' } { $bound[$name] = ConvertTo-MgRsModel $value }
                'Headers' { if ($null -ne $value -and -not $headersAreOtherInput) { $bound[$name] = ConvertTo-MgRsWireMap $value } }
            }
        }

        $prepared = Invoke-MgRsOperation ([ordered]@{
                op                  = 'prepare'
                parameterSet        = $set
                headersFromPipeline = $headersFromPipeline -and -not $headersAreOtherInput
                inputIsBody         = $inputIsBody
                bound               = $bound
            })
        if (-not $prepared.ok) {
            $target = if ($PSBoundParameters.ContainsKey('InputObject')) { $InputObject } else { $UserId }
            $record = ConvertTo-MgRsErrorRecord -NativeError $prepared.error -ParameterSet $set -TargetObject $target
            if ($prepared.error.kind -eq 'missing_user_id') { $PSCmdlet.ThrowTerminatingError($record) }
            $PSCmdlet.WriteError($record)
            return
        }
        $plan = $prepared.value
        if (-not $PSCmdlet.ShouldProcess($plan.target, $plan.operation)) { return }

        $result = Invoke-MgRsJob ([ordered]@{ op = 'send'; request = $plan.request })
        Write-MgRsLog -Cmdlet $PSCmdlet

        if (-not $result.ok) {
            $target = [pscustomobject]@{ UserId = $plan.userId; Headers = $(if ($headersFromCommandLine) { $Headers }); body = $plan.targetBody }
            $record = ConvertTo-MgRsErrorRecord -NativeError $result.error -ParameterSet $plan.parameterSet -TargetObject $target
            if ($result.error.kind -in 'not_connected', 'expired_token') { $PSCmdlet.ThrowTerminatingError($record) }
            $PSCmdlet.WriteError($record)
            return
        }

        if ($ResponseHeadersVariable) {
            $headerMap = [System.Collections.Generic.Dictionary[string, string[]]]::new([System.StringComparer]::OrdinalIgnoreCase)
            foreach ($pair in $result.value.headers) {
                $headerMap[$pair[0]] = if ($headerMap.ContainsKey($pair[0])) { $headerMap[$pair[0]] + $pair[1] } else { [string[]]@($pair[1]) }
            }
            Set-Variable -Name $ResponseHeadersVariable -Value $headerMap -Scope Global
        }
        if ($null -ne $result.value.output) { ConvertTo-MgRsQrPin $result.value.output }
    }
}
