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
    [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]
    param(
        # Positions as the official command declares them (1-based, TenantId 4 in the user set).
        [Parameter(ParameterSetName = 'UserParameterSet', Position = 1)]
        [string[]] $Scopes,

        [Parameter(ParameterSetName = 'UserParameterSet')]
        [Parameter(ParameterSetName = 'AppCertificateParameterSet', Mandatory, Position = 1)]
        [Parameter(ParameterSetName = 'IdentityParameterSet')]
        [Alias('AppId', 'ApplicationId')]
        [string] $ClientId,

        [Parameter(ParameterSetName = 'AppCertificateParameterSet', Position = 2)]
        [Alias('CertificateSubject', 'CertificateName')]
        [string] $CertificateSubjectName,

        [Parameter(ParameterSetName = 'AppCertificateParameterSet', Position = 3)]
        [string] $CertificateThumbprint,

        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [bool] $SendCertificateChain,

        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        # Beyond the official module: a PFX/PKCS#12 or PEM file holding the certificate and its key.
        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [string] $CertificatePath,

        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [securestring] $CertificatePassword,

        [Parameter(ParameterSetName = 'AppSecretCredentialParameterSet')]
        [Alias('SecretCredential', 'Credential')]
        [pscredential] $ClientSecretCredential,

        # A SecureString as in the official module, or (beyond it) a plain string (tools/New-InteropAssembly.ps1).
        [Parameter(ParameterSetName = 'AccessTokenParameterSet', Mandatory, Position = 1)]
        [MicrosoftGraphRs.SecureStringArgument()]
        [securestring] $AccessToken,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 4)]
        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [Parameter(ParameterSetName = 'AppSecretCredentialParameterSet')]
        [Alias('Audience', 'Tenant')]
        [string] $TenantId,

        [Parameter(ParameterSetName = 'UserParameterSet')]
        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [Parameter(ParameterSetName = 'IdentityParameterSet')]
        [Parameter(ParameterSetName = 'AppSecretCredentialParameterSet')]
        [Parameter(ParameterSetName = 'EnvironmentVariableParameterSet')]
        # An enum of this module's own (tools/New-InteropAssembly.ps1): the official one is in the official assembly.
        [MicrosoftGraphRs.ContextScope] $ContextScope,

        [Alias('EnvironmentName', 'NationalCloud')]
        [ValidateNotNullOrEmpty()]
        [string] $Environment = 'Global',

        [Parameter(ParameterSetName = 'UserParameterSet')]
        [Alias('UseDeviceAuthentication', 'DeviceCode', 'DeviceAuth', 'Device')]
        [switch] $UseDeviceCode,

        [double] $ClientTimeout,

        [Parameter(ParameterSetName = 'IdentityParameterSet', Position = 1)]
        [Alias('ManagedIdentity', 'ManagedServiceIdentity', 'MSI')]
        [switch] $Identity,

        [Parameter(ParameterSetName = 'EnvironmentVariableParameterSet')]
        [switch] $EnvironmentVariable,

        [switch] $NoWelcome,

        [switch] $Break
    )
    Test-MgRsCoexistence $PSCmdlet   # the official module beside this one (Coexistence.ps1)
    $set = $PSCmdlet.ParameterSetName
    $fail = {
        param([string] $Message, [string] $Category = 'InvalidArgument', [string] $ErrorId = 'ConnectFailed')
        $type = if ($Category -eq 'InvalidArgument') { 'System.ArgumentException' } else { 'System.Security.Authentication.AuthenticationException' }
        $PSCmdlet.ThrowTerminatingError((New-MgRsErrorRecord -ErrorId $ErrorId -Category $Category -ExceptionType $type -Message $Message))
    }
    if ($Break) {
        $PSCmdlet.ThrowTerminatingError((New-MgRsErrorRecord -ErrorId 'ParameterNotSupported' -Category NotImplemented `
                    -ExceptionType 'System.NotSupportedException' -Message '-Break is not supported by Microsoft.Graph.Rs (there is no .NET code to debug), so nothing was done. Run the command without -Break.'))
    }

    if ($set -eq 'AccessTokenParameterSet') {
        $request = [ordered]@{ op = 'connect.access_token'; Environment = $Environment }
        if ($PSBoundParameters.ContainsKey('ClientTimeout')) { $request.ClientTimeout = $ClientTimeout }
        # The token (a plain string became a SecureString at binding) crosses as UTF-8 bytes spliced into the
        # request (SignIn.ps1), never as a string.
        $secrets = @{ AccessTokenUtf8 = ConvertFrom-MgRsSecureString $AccessToken }
        try {
            $result = Invoke-MgRsOperation -Bytes (New-MgRsSecretRequestBytes -Request $request -Secrets $secrets)
        } finally {
            foreach ($bytes in $secrets.Values) { [System.Array]::Clear($bytes, 0, $bytes.Length) }
        }
        if (-not $result.ok) {
            & $fail $result.error.message ($(if ($result.error.kind -eq 'expired_token') { 'AuthenticationError' } else { 'InvalidArgument' }))
        }
        if (-not $NoWelcome) {
            # Written to the host (information stream), so it shows even when the result is assigned.
            Write-Host ("Welcome to Microsoft Graph! Connected to the $($result.value.Environment) environment with your own access token. " +
                'Use -NoWelcome to skip this line.')
        }
        return
    }

    # ContextScope: the official defaults are CurrentUser for user sign-in, Process otherwise.
    $scope = if ($PSBoundParameters.ContainsKey('ContextScope')) { [string]$ContextScope } elseif ($set -eq 'UserParameterSet') { 'CurrentUser' } else { 'Process' }
    $contextDir = Get-MgRsContextDirectory
    if ($scope -eq 'CurrentUser' -and -not $contextDir) {
        if ($PSBoundParameters.ContainsKey('ContextScope')) {
            & $fail 'ContextScope CurrentUser is not available on this operating system: Microsoft.Graph.Rs cannot yet restrict the saved session file to your account. Use -ContextScope Process, or set MICROSOFT_GRAPH_RS_CONTEXT_DIR to a folder only you can read.'
        }
        Write-Verbose 'The session is kept for this process only (ContextScope Process): a saved session cannot be protected on this operating system.'
        $scope = 'Process'
    }
    if ($scope -eq 'CurrentUser' -and $set -ne 'UserParameterSet') {
        Write-Warning 'ContextScope CurrentUser: app-only and managed identity sign-ins save nothing to disk (their credential is needed to sign in again anyway), so this connection lasts for this process only.'
    }

    $request = [ordered]@{ op = 'connect'; Environment = $Environment; ContextScope = $scope; ContextDir = $contextDir }
    if ($PSBoundParameters.ContainsKey('ClientTimeout')) { $request.ClientTimeout = $ClientTimeout }
    $secrets = [ordered]@{}
    $welcome = ''
    try {
        try {
            switch ($set) {
                'UserParameterSet' {
                    $request.flow = if ($UseDeviceCode) { 'DeviceCode' } else { 'InteractiveBrowser' }
                    $request.Scopes = @($Scopes | Where-Object { $_ })
                    if ($ClientId) { $request.ClientId = $ClientId }
                    if ($TenantId) { $request.TenantId = $TenantId }
                    # Headless and test hook: MICROSOFT_GRAPH_RS_BROWSER=none prints the sign-in address without
                    # starting a browser; any other value is a program started with the address instead.
                    if ($env:MICROSOFT_GRAPH_RS_BROWSER) { $request.Browser = $env:MICROSOFT_GRAPH_RS_BROWSER }
                    $welcome = 'delegated access'
                }
                'AppSecretCredentialParameterSet' {
                    $request.flow = 'ClientSecret'
                    $request.ClientId = $ClientSecretCredential.UserName
                    if ($TenantId) { $request.TenantId = $TenantId }
                    if (-not $ClientSecretCredential.UserName) { throw [System.ArgumentException]::new('ClientSecretCredential: the user name must be the application (client) id.') }
                    if ($ClientSecretCredential.Password.Length -eq 0) { throw [System.ArgumentException]::new('ClientSecretCredential: the password (the client secret) is empty.') }
                    $secrets.ClientSecret = ConvertFrom-MgRsSecureString $ClientSecretCredential.Password
                    $welcome = 'app-only access'
                }
                'AppCertificateParameterSet' {
                    $request.flow = 'ClientCertificate'
                    $request.ClientId = $ClientId
                    if ($TenantId) { $request.TenantId = $TenantId }
                    if ($PSBoundParameters.ContainsKey('SendCertificateChain')) { $request.SendCertificateChain = $SendCertificateChain }
                    $cert = Resolve-MgRsCertificate -Bound $PSBoundParameters -Cmdlet $PSCmdlet
                    Add-MgRsCertificateToRequest -Certificate $cert -Request $request -Secrets $secrets
                    $welcome = 'app-only access'
                }
                'IdentityParameterSet' {
                    $request.flow = 'ManagedIdentity'
                    if ($ClientId) { $request.ClientId = $ClientId }
                    # Read here: PowerShell's environment is not always the native one.
                    $request.IdentityEndpoint = $env:IDENTITY_ENDPOINT
                    $request.MsiEndpoint = $env:MSI_ENDPOINT
                    if ($env:IDENTITY_HEADER) { $secrets.IdentityHeader = [System.Text.Encoding]::UTF8.GetBytes($env:IDENTITY_HEADER) }
                    if ($env:MSI_SECRET) { $secrets.MsiSecret = [System.Text.Encoding]::UTF8.GetBytes($env:MSI_SECRET) }
                    $welcome = 'managed identity'
                }
                'EnvironmentVariableParameterSet' {
                    $missing = @('AZURE_TENANT_ID', 'AZURE_CLIENT_ID') | Where-Object { -not [Environment]::GetEnvironmentVariable($_) }
                    if ($missing) { throw [System.ArgumentException]::new("EnvironmentVariable: $($missing -join ' and ') must be set.") }
                    $request.TenantId = $env:AZURE_TENANT_ID
                    $request.ClientId = $env:AZURE_CLIENT_ID
                    $request.tokenCredentialType = 'EnvironmentVariable'
                    if ($env:AZURE_CLIENT_SECRET) {
                        $request.flow = 'ClientSecret'
                        $secrets.ClientSecret = [System.Text.Encoding]::UTF8.GetBytes($env:AZURE_CLIENT_SECRET)
                    } elseif ($env:AZURE_CLIENT_CERTIFICATE_PATH) {
                        $request.flow = 'ClientCertificate'
                        $password = if ($env:AZURE_CLIENT_CERTIFICATE_PASSWORD) { ConvertTo-SecureString $env:AZURE_CLIENT_CERTIFICATE_PASSWORD -AsPlainText -Force }
                        $cert = Read-MgRsCertificateFile -Path $env:AZURE_CLIENT_CERTIFICATE_PATH -Password $password -ParameterName 'AZURE_CLIENT_CERTIFICATE_PATH'
                        Add-MgRsCertificateToRequest -Certificate $cert -Request $request -Secrets $secrets
                    } elseif ($env:AZURE_USERNAME) {
                        throw [System.ArgumentException]::new('EnvironmentVariable: sign-in with AZURE_USERNAME and AZURE_PASSWORD is not supported by Microsoft.Graph.Rs. Set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH instead.')
                    } else {
                        throw [System.ArgumentException]::new('EnvironmentVariable: set AZURE_CLIENT_SECRET, or AZURE_CLIENT_CERTIFICATE_PATH (with AZURE_CLIENT_CERTIFICATE_PASSWORD when the file has one).')
                    }
                    $welcome = 'app-only access'
                }
            }
        } catch [System.ArgumentException] {
            & $fail $_.Exception.Message
        }
        $result = Invoke-MgRsJob -Cmdlet $PSCmdlet -Bytes (New-MgRsSecretRequestBytes -Request $request -Secrets $secrets)
    } finally {
        foreach ($bytes in $secrets.Values) { if ($bytes) { [System.Array]::Clear($bytes, 0, $bytes.Length) } }
    }
    if (-not $result.ok) {
        $category = switch ($result.error.kind) {
            'invalid_argument' { 'InvalidArgument' }
            'cancelled' { 'OperationStopped' }
            default { 'AuthenticationError' }
        }
        & $fail $result.error.message $category
    }
    if (-not $NoWelcome) {
        Write-Host ("Welcome to Microsoft Graph! Connected to the $($result.value.Environment) environment via $welcome using client " +
            "$($result.value.ClientId). Use -NoWelcome to skip this line.")
    }
}

function Get-MgContext {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.IAuthContext')]
    [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]   # the official set name, though it has no parameters
    param()
    Test-MgRsCoexistence $PSCmdlet
    $result = Invoke-MgRsOperation @{ op = 'context' }
    if ($result.ok -and $null -ne $result.value) { ConvertTo-MgRsContext $result.value }
}

function Disconnect-MgGraph {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.PowerShell.Authentication.IAuthContext')]
    [Alias('Disconnect-Graph')]
    [CmdletBinding()]
    param()
    Test-MgRsCoexistence $PSCmdlet
    # The saved session (ContextScope CurrentUser) goes too, even when this process has no connection.
    $forgot = $false
    $contextDir = Get-MgRsContextDirectory
    if ($contextDir) {
        $forget = Invoke-MgRsOperation ([ordered]@{ op = 'context.forget'; ContextDir = $contextDir })
        if (-not $forget.ok) { $PSCmdlet.WriteError((New-MgRsErrorRecord -ErrorId 'ForgetFailed' -Category WriteError -Message $forget.error.message)) }
        $forgot = $forget.ok -and $forget.value
    }
    $result = Invoke-MgRsOperation @{ op = 'disconnect' }
    if ($null -eq $result.value -and $forgot) {
        Write-Verbose 'Deleted the saved session; there was no connection in this process.'
        return
    }
    if ($null -eq $result.value) {
        $PSCmdlet.WriteError((New-MgRsErrorRecord -ErrorId 'NotConnected' -Category InvalidOperation `
            -ExceptionType 'System.InvalidOperationException' -Message 'There is no Microsoft Graph connection to close.'))
        return
    }
    ConvertTo-MgRsContext $result.value
}
