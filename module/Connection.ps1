$script:MgRsContextTypeName = 'Microsoft.Graph.PowerShell.Authentication.AuthContext'

function ConvertTo-MgRsContext {
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Context)
    $object = [pscustomobject]@{
        ClientId              = $Context.ClientId
        TenantId              = $Context.TenantId
        Scopes                = [string[]]@($Context.Scopes)
        AuthType              = $Context.AuthType
        TokenCredentialType   = $Context.TokenCredentialType
        CertificateThumbprint = $Context.CertificateThumbprint
        Account               = $Context.Account
        AppName               = $Context.AppName
        ContextScope          = $Context.ContextScope
        Environment           = $Context.Environment
        ClientTimeout         = if ($Context.ClientTimeout) { [timespan]::Parse($Context.ClientTimeout, [cultureinfo]::InvariantCulture) } else { $null }
    }
    $object.PSObject.TypeNames.Insert(0, $script:MgRsContextTypeName)
    $object
}

function Connect-MgGraph {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [CmdletBinding(DefaultParameterSetName = 'AccessTokenParameterSet')]
    param(
        [Parameter(ParameterSetName = 'AccessTokenParameterSet', Mandatory, Position = 0)]
        [securestring] $AccessToken,

        [Alias('EnvironmentName', 'NationalCloud')]
        [ValidateNotNullOrEmpty()]
        [string] $Environment = 'Global',

        [switch] $NoWelcome
    )
    $plain = [System.Net.NetworkCredential]::new('', $AccessToken).Password
    try {
        $result = Invoke-MgRsOperation ([ordered]@{ op = 'connect.access_token'; AccessToken = $plain; Environment = $Environment })
    } finally {
        $plain = $null
    }
    if (-not $result.ok) {
        $category = if ($result.error.kind -eq 'expired_token') { 'AuthenticationError' } else { 'InvalidArgument' }
        $PSCmdlet.ThrowTerminatingError((New-MgRsErrorRecord -ErrorId 'ConnectFailed' -Category $category `
            -ExceptionType 'System.Security.Authentication.AuthenticationException' -Message $result.error.message))
    }
    if (-not $NoWelcome) {
        # Written to the host (information stream), so it shows even when the result is assigned.
        Write-Host ("Welcome to Microsoft Graph! Connected to the $($result.value.Environment) environment with your own access token. " +
            'Use -NoWelcome to skip this line.')
    }
}

function Get-MgContext {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.AuthContext')]
    [CmdletBinding()]
    param()
    $result = Invoke-MgRsOperation @{ op = 'context' }
    if ($result.ok -and $null -ne $result.value) { ConvertTo-MgRsContext $result.value }
}

function Disconnect-MgGraph {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.AuthContext')]
    [Alias('Disconnect-Graph')]
    [CmdletBinding()]
    param()
    $result = Invoke-MgRsOperation @{ op = 'disconnect' }
    if ($null -eq $result.value) {
        $PSCmdlet.WriteError((New-MgRsErrorRecord -ErrorId 'NotConnected' -Category InvalidOperation `
            -ExceptionType 'System.InvalidOperationException' -Message 'There is no Microsoft Graph connection to close.'))
        return
    }
    ConvertTo-MgRsContext $result.value
}
