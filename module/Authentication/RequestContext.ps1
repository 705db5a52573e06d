# Set-MgRequestContext / Get-MgRequestContext: retry, timeout and concurrency settings. The values live in the
# native library (src/request_context.rs), so every runspace of the process shares them.

$script:MgRsRequestContextTypeName = 'Microsoft.Graph.PowerShell.Authentication.RequestContext'

function ConvertTo-MgRsRequestContext {
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Context)
    $object = [pscustomobject]@{
        ClientTimeout    = [timespan]::FromSeconds($Context.ClientTimeout)
        RetryDelay       = [int]$Context.RetryDelay
        MaxRetry         = [int]$Context.MaxRetry
        RetriesTimeLimit = [timespan]::FromSeconds($Context.RetriesTimeLimit)
        MaxConcurrency   = [int]$Context.MaxConcurrency
    }
    $object.PSObject.TypeNames.Insert(0, $script:MgRsRequestContextTypeName)
    $object
}

function Set-MgRequestContext {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.Core.Interfaces.IRequestContext')]
    [CmdletBinding(SupportsShouldProcess, PositionalBinding = $false)]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [int] $RetryDelay,

        [Parameter(ValueFromPipelineByPropertyName)]
        [int] $MaxRetry,

        [Parameter(ValueFromPipelineByPropertyName)]
        [int] $RetriesTimeLimit,

        [Parameter(ValueFromPipelineByPropertyName)]
        [int] $ClientTimeout,

        # This module's own setting: how many requests one pipeline keeps in flight.
        [Parameter(ValueFromPipelineByPropertyName)]
        [int] $MaxConcurrency
    )
    begin { Test-MgRsCoexistence $PSCmdlet }
    process {
        $request = [ordered]@{ op = 'request_context.set' }
        foreach ($name in 'RetryDelay', 'MaxRetry', 'RetriesTimeLimit', 'ClientTimeout', 'MaxConcurrency') {
            if ($PSBoundParameters.ContainsKey($name)) { $request[$name] = $PSBoundParameters[$name] }
        }
        $changes = @($request.Keys | Where-Object { $_ -ne 'op' } | ForEach-Object { "$_ = $($request[$_])" }) -join ', '
        if (-not $changes) { $changes = 'no change' }
        if (-not $PSCmdlet.ShouldProcess('the request context of this process', "Set $changes")) { return }
        $result = Invoke-MgRsOperation $request
        if (-not $result.ok) {
            $PSCmdlet.ThrowTerminatingError((New-MgRsErrorRecord -Message $result.error.message -ErrorId $result.error.errorId `
                        -Category InvalidArgument -ExceptionType 'System.ArgumentException' -TargetObject $result.error.parameterName))
        }
        ConvertTo-MgRsRequestContext $result.value
    }
}

function Get-MgRequestContext {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.Core.Interfaces.IRequestContext')]
    # The official command takes -WhatIf and -Confirm too; reading changes nothing, but -WhatIf is still honoured.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    param()
    Test-MgRsCoexistence $PSCmdlet
    if (-not $PSCmdlet.ShouldProcess('the request context of this process', 'Read')) { return }
    ConvertTo-MgRsRequestContext (Invoke-MgRsOperation @{ op = 'request_context.get' }).value
}
