$script:MgRsEnvironmentTypeName = 'Microsoft.Graph.PowerShell.Authentication.Models.GraphEnvironment'

function ConvertTo-MgRsEnvironment {
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Environment)
    $object = [pscustomobject]@{
        Name            = $Environment.Name
        AzureADEndpoint = $Environment.AzureADEndpoint
        GraphEndpoint   = $Environment.GraphEndpoint
        Type            = $Environment.Type
    }
    $object.PSObject.TypeNames.Insert(0, $script:MgRsEnvironmentTypeName)
    $object
}

function Get-MgEnvironment {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.Models.GraphEnvironment')]
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [string] $Name
    )
    begin { Test-MgRsCoexistence $PSCmdlet }
    process {
        $result = Invoke-MgRsOperation @{ op = 'environment.list' }
        $found = $false
        foreach ($environment in $result.value) {
            if (-not $Name -or $environment.Name -eq $Name) {
                $found = $true
                ConvertTo-MgRsEnvironment $environment
            }
        }
        if ($Name -and -not $found) {
            $PSCmdlet.WriteError((New-MgRsErrorRecord -ErrorId 'EnvironmentNotFound' -Category ObjectNotFound -TargetObject $Name `
                -ExceptionType 'System.Management.Automation.ItemNotFoundException' `
                -Message "There is no Microsoft Graph environment named '$Name'. Run Get-MgEnvironment to list them, or Add-MgEnvironment to define it."))
        }
    }
}

function Add-MgEnvironment {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.Models.GraphEnvironment')]
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('AzureADUrl')]
        [ValidateNotNullOrEmpty()]
        [string] $AzureADEndpoint,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('GraphUrl')]
        [ValidateNotNullOrEmpty()]
        [string] $GraphEndpoint
    )
    begin { Test-MgRsCoexistence $PSCmdlet }
    process {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Add Microsoft Graph environment')) { return }
        $result = Invoke-MgRsOperation ([ordered]@{ op = 'environment.add'; Name = $Name; AzureADEndpoint = $AzureADEndpoint; GraphEndpoint = $GraphEndpoint })
        if (-not $result.ok) {
            $PSCmdlet.WriteError((New-MgRsErrorRecord -ErrorId 'InvalidEnvironment' -Category InvalidArgument -TargetObject $Name `
                -ExceptionType 'System.ArgumentException' -Message $result.error.message))
            return
        }
        ConvertTo-MgRsEnvironment $result.value
    }
}

function Remove-MgEnvironment {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.Models.GraphEnvironment')]
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Name
    )
    begin { Test-MgRsCoexistence $PSCmdlet }
    process {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Remove Microsoft Graph environment')) { return }
        $result = Invoke-MgRsOperation @{ op = 'environment.remove'; Name = $Name }
        if ($result.ok) { ConvertTo-MgRsEnvironment $result.value }   # the removed environment, as the official command writes
        else {
            $PSCmdlet.WriteError((New-MgRsErrorRecord -ErrorId 'InvalidEnvironment' -Category InvalidArgument -TargetObject $Name `
                -ExceptionType 'System.ArgumentException' -Message $result.error.message))
        }
    }
}
