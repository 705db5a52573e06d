# The command-wide runtime parameters every command of the table shares (src/commands/shared-parameters.json) that
# act once, in its begin block: -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials, -Break and the check of
# -ResponseHeadersVariable. $Command is the command's state (Command.ps1).

# Has the library check the proxy parameters (src/proxy.rs) before any item, without the password, and
# stops the command on a mistake. Returns what every request then carries as bound.Proxy, or $null when
# no -Proxy was given (the HTTPS_PROXY/HTTP_PROXY/NO_PROXY variables apply then).
function Resolve-MgRsProxy {
    param(
        [Parameter(Mandatory)] $Command,
        [uri] $Proxy,
        [pscredential] $Credential,
        [bool] $UseDefaultCredentials
    )
    $check = Invoke-MgRsOperation ([ordered]@{
            op                    = 'proxy.check'
            Proxy                 = $(if ($Proxy) { $Proxy.OriginalString })
            UserName              = $(if ($Credential) { $Credential.UserName })
            HasCredential         = $null -ne $Credential
            UseDefaultCredentials = $UseDefaultCredentials
        })
    if (-not $check.ok) {
        $nativeError = $check.error
        $notImplemented = $nativeError['errorId'] -eq 'ProxyDefaultCredentialsNotSupported'
        $Command.Cmdlet.ThrowTerminatingError((New-MgRsErrorRecord -Message $nativeError.message -ErrorId $nativeError['errorId'] `
                    -Category $(if ($notImplemented) { 'NotImplemented' } else { 'InvalidArgument' }) `
                    -ExceptionType $(if ($notImplemented) { 'System.NotSupportedException' } else { 'System.ArgumentException' }) `
                    -Command $Command -ParameterSet $Command.Cmdlet.ParameterSetName))
    }
    if (-not $Proxy) { return $null }
    $settings = [ordered]@{ Uri = $Proxy.OriginalString }
    if ($Credential) {
        # Crosses the boundary inside the request bytes, which are cleared after each call (docs/abi.md).
        $settings.UserName = $Credential.UserName
        $settings.Password = $Credential.GetNetworkCredential().Password
    }
    $settings
}

# -Break: shows the process id and waits until a .NET debugger is attached, then goes on. The wait is
# a Start-Sleep loop, so Ctrl+C (or a stopped pipeline) ends it at once and nothing is sent.
function Wait-MgRsDebugger {
    $id = [System.Environment]::ProcessId
    if ([System.Diagnostics.Debugger]::IsAttached) { return }
    Write-Host "Waiting for a debugger to attach to process $id. Attach one (for example Visual Studio Code's .NET 'Attach to Process') to go on, or press Ctrl+C to stop."
    while (-not [System.Diagnostics.Debugger]::IsAttached) {
        Start-Sleep -Milliseconds 100
    }
    Write-Host "Debugger attached to process $id; going on."
}

# -ResponseHeadersVariable: the global variable is set after an answer, when a name that cannot be set would lose the
# output of a change already made. So the name is tried here, before anything is sent, with the same Set-Variable
# call and a value of the same type, and the variable is put back as it was. Wildcard names are refused untried:
# Set-Variable would set every variable they match.
function Assert-MgRsResponseHeadersVariable {
    param([Parameter(Mandatory)] $Command, [Parameter(Mandatory)][string] $Name)
    $why = if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Name)) {
        'the name holds wildcard characters (* ? [ ]).'
    } else {
        $old = Get-Variable -Name $Name -Scope Global -ErrorAction Ignore
        try {
            $sample = [System.Collections.Generic.Dictionary[string, string[]]]::new([System.StringComparer]::OrdinalIgnoreCase)
            Set-Variable -Name $Name -Value $sample -Scope Global -ErrorAction Stop
            if ($old) { Set-Variable -Name $Name -Value $old.Value -Scope Global } else { Remove-Variable -Name $Name -Scope Global }
        } catch {
            $_.Exception.Message
        }
    }
    if ($why) {
        $Command.Cmdlet.ThrowTerminatingError((New-MgRsErrorRecord -Message "ResponseHeadersVariable: the global variable '$Name' cannot receive the response headers, so nothing was sent: $why" `
                    -ErrorId 'InvalidResponseHeadersVariable' -Category InvalidArgument -ExceptionType 'System.ArgumentException' `
                    -TargetObject $Name -Command $Command -ParameterSet $Command.Cmdlet.ParameterSetName))
    }
}
