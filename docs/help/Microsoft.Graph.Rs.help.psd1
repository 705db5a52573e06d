# Help content of Microsoft.Graph.Rs. tools/New-MamlHelp.ps1 merges it with the functions' own
# metadata (parameter sets, types, mandatory flags, positions, pipeline input, aliases) and writes
# module/en-US/Microsoft.Graph.Rs-help.xml. Every parameter of every documented function needs a
# description here, or the build fails.
#
# Per command: Synopsis (string), Description (paragraphs), Parameters (name -> paragraphs),
# Examples (@{ Title; Code; Remarks }), Inputs and Outputs (@{ Type; Description }), Notes
# (paragraphs), RelatedLinks (@{ Text; Uri }). A paragraph list is a string or an array of strings.
@{
    'Update-MgBetaUserAuthenticationQrCodePinMethodPin' = @{
        Synopsis     = 'Resets the PIN of a user''s QR code sign-in method and returns the new, temporary PIN.'

        Description  = @(
            'Update-MgBetaUserAuthenticationQrCodePinMethodPin gives a user a new PIN for the QR code authentication method in Microsoft Entra ID. For each user it sends one PATCH request to /users/{id}/authentication/qrCodePinMethod/pin on the Microsoft Graph beta endpoint and writes the qrPin object that Graph returns.'
            'You can pick the PIN yourself with -Code (or a code entry in the body), or send no PIN and let Microsoft Entra create one whose length follows the tenant''s QR code authentication method policy. Either way the PIN is temporary until the user changes it at their next sign-in. Users cannot reset the PIN themselves; only an administrator can.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns. It has the same four parameter sets (UpdateExpanded, Update, UpdateViaIdentityExpanded and UpdateViaIdentity), the same parameter names and aliases, the same -WhatIf text and error records of the same shape. Input checking, request building, HTTP and error mapping are done by the native Rust library that ships with the module.'
            'Run Connect-MgGraph -AccessToken first. The token needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, resetting another user''s PIN also requires the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Nothing is sent until the input has been checked. The user id must not be blank or contain control characters, a PIN must be a string of 8 to 20 ASCII digits, and each body property may be given only once. Bad input and error responses from Graph produce non-terminating errors, so a pipeline moves on to the next item; an identity record without a UserId is the exception and stops the command, as in the official module. Answers 429, 503 and 504 are retried up to three times, after the delay that Retry-After asks for or else after 3, 6 and 12 seconds. Error records keep the FullyQualifiedErrorId, category and ErrorDetails layout of the official cmdlet, so scripts that inspect them keep working. Without a connection, or with an expired token, the command stops with a terminating error.'
            'PINs are treated as secrets. Verbose, debug, warning and error output never contain a PIN; it appears only in the Code property of the returned object.'
        )

        Parameters   = @{
            AdditionalProperties       = 'Extra properties for the request body, as a hashtable of names and values. They are added to the properties given by the other body parameters. Entries whose value is $null are skipped. A key that repeats a property already set by another parameter, such as code together with -Code, is refused.'
            BodyParameter              = @(
                'The complete request body, a qrPin. The official cmdlet types this parameter as IMicrosoftGraphQrPin; here it takes a hashtable, a PSCustomObject, JSON text of an object, or an object written by this command. Keys that name qrPin properties are matched without regard to case; any other key, for example "@odata.type", is sent as it is.'
                'The body can come from the pipeline: with -UserId, every piped body resets the PIN of that one user. The properties it can hold are listed under BODYPARAMETER in the NOTES section.'
            )
            Break                      = 'In the official module, waits until a .NET debugger is attached. This version of Microsoft.Graph.Rs does not support it: the command stops with a NotSupported error that names -Break, and nothing is sent.'
            Code                       = @(
                'The new PIN, as a string of 8 to 20 digits (0-9). The tenant''s QR code authentication method policy decides the exact length, which is 8 unless the policy says otherwise. Always quote it: PowerShell reads an unquoted 01234567 as a number and drops the leading zero, and a number given as code in a body is refused.'
                'A PIN set by an administrator is temporary until the user changes it at their first sign-in; after that it is permanent. Only an administrator can reset it, never the user. Leave -Code out to have Microsoft Entra generate the PIN.'
            )
            Confirm                    = 'Asks you to confirm before the request is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            CreatedDateTime            = 'The creation time to put in the PIN object. The value is converted to UTC and sent as yyyy-MM-ddTHH:mm:ss.fffffffZ; a DateTime whose kind is unspecified is read as local time.'
            ForceChangePinNextSignIn   = 'Whether the user has to change the PIN at the next sign-in. -ForceChangePinNextSignIn sends true and -ForceChangePinNextSignIn:$false sends false. When the switch is left out nothing is sent, and Graph treats the temporary PIN as one that must be changed.'
            Headers                    = @(
                'Additional HTTP headers for the request, as a dictionary of header names and values; an array value sends the header once for each element. Names must be valid HTTP header names and values must not hold line breaks. A header you give replaces the module''s own header of that name, such as client-request-id. Authorization, Host, Content-Length, Transfer-Encoding, Connection and Upgrade are reserved and refused, because the module or its HTTP client sets them.'
                'This parameter accepts pipeline input, as in the official module, but a dictionary that arrives through the pipeline is always used as the identity or body record and never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = 'In the official module, extra steps placed after the module''s own steps in its HTTP pipeline. The official type, SendAsyncStep[], is a delegate of the official runtime that cannot exist in this module, so the parameter is declared as an array of script blocks. This version does not support it: the command stops with a NotSupported error that names the parameter, and nothing is sent.'
            HttpPipelinePrepend        = 'In the official module, extra steps placed before the module''s own steps in its HTTP pipeline. The official type, SendAsyncStep[], is a delegate of the official runtime that cannot exist in this module, so the parameter is declared as an array of script blocks. This version does not support it: the command stops with a NotSupported error that names the parameter, and nothing is sent.'
            Id                         = 'A value for the id property of the qrPin. Graph assigns this identifier and treats it as read-only, so it is normally left out.'
            InputObject                = @(
                'The user, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here it is a hashtable, a PSCustomObject (such as an Import-Csv row), JSON text of an object, or an object written by this command. Only its UserId key or property is used, whatever its case, and it must hold the user''s object id or user principal name. When UserId is missing or $null, the command stops with the error "InputObject has null value for InputObject.UserId".'
                'Records are usually piped, one request per record. When a piped record is used as both the identity and the body, its Code, ForceChangePinNextSignIn, CreatedDateTime, UpdatedDateTime, Id and "@odata.type" values make up the body and its other columns are not sent. See INPUTOBJECT in the NOTES section.'
            )
            Proxy                      = 'The address of a proxy server for the request. This version does not support it: the command stops with a NotSupported error that names -Proxy, and nothing is sent.'
            ProxyCredential            = 'The credentials for the proxy server. This version does not support it: the command stops with a NotSupported error that names -ProxyCredential, and nothing is sent.'
            ProxyUseDefaultCredentials = 'Authenticates to the proxy server as the current user. This version does not support it: the command stops with a NotSupported error that names -ProxyUseDefaultCredentials, and nothing is sent.'
            ResponseHeadersVariable    = 'The name of a variable that receives the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary that maps every header name to its values (string[]). The alias is RHV.'
            UpdatedDateTime            = 'The last-change time to put in the PIN object. The value is converted to UTC and sent as yyyy-MM-ddTHH:mm:ss.fffffffZ; a DateTime whose kind is unspecified is read as local time.'
            UserId                     = 'The user whose PIN is reset, as an object id or a user principal name. The value must not be empty, blank, "." or "..", and must not contain control characters; it is escaped before it goes into the request URL.'
            WhatIf                     = 'Reports the request that would be sent, and sends nothing. The input is still checked first, so mistakes show up. The message names the parameter set and the Graph operation in the same words as the official cmdlet.'
        }

        Examples     = @(
            @{
                Title   = 'Reset a user''s PIN to a chosen code'
                Code    = @'
$params = @{
	"@odata.type" = "#microsoft.graph.qrPin"
	code = "09599786"
}

Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $userId -BodyParameter $params
'@
                Remarks = @(
                    'The body is a hashtable with the PIN 09599786 for the user whose id is in $userId. The "@odata.type" entry travels unchanged. Graph replies 201 Created, and the command writes the new qrPin: Code holds the PIN and ForceChangePinNextSignIn is True.'
                )
            }
            @{
                Title   = 'Let Microsoft Entra generate the PIN'
                Code    = @'
$pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'adele.vance@contoso.com'
$pin | Format-List UserId, Code, ForceChangePinNextSignIn, UpdatedDateTime
'@
                Remarks = @(
                    'No PIN and no other body value is given, so the body is empty and Microsoft Entra generates a PIN of the length the tenant policy sets. Pass the code in $pin.Code to the user over a channel you trust.'
                )
            }
            @{
                Title   = 'Reset the PINs of the users listed in a CSV file'
                Code    = @'
Import-Csv -Path .\frontline-staff.csv |
    Update-MgBetaUserAuthenticationQrCodePinMethodPin |
    Select-Object UserId, Code, ForceChangePinNextSignIn
'@
                Remarks = @(
                    'The file has a UserId column that holds object ids or user principal names. Each row is piped and used as both the identity and the body: UserId chooses the user, a Code column (if the file has one) supplies the new PIN, and without it Microsoft Entra generates one. Other columns, such as Department, are not sent.'
                    'A row that fails, for example an unknown user, produces a non-terminating error and the following rows are still processed. Add -ErrorVariable to collect the failures.'
                )
            }
            @{
                Title   = 'See what would be sent with -WhatIf'
                Code    = @'
Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'adele.vance@contoso.com' -Code '31415926' -WhatIf
'@
                Remarks = @(
                    'Nothing is sent. The command checks the input, then prints: What if: Performing the operation "Update-MgBetaUserAuthenticationQrCodePinMethodPin_UpdateExpanded" on target "Call remote ''PATCH /users/{user-id}/authentication/qrCodePinMethod/pin'' operation".'
                )
            }
            @{
                Title   = 'Send a client request id and read the response headers'
                Code    = @'
$requestId = [guid]::NewGuid().ToString()
$pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $userId -Headers @{ 'client-request-id' = $requestId } -ResponseHeadersVariable replyHeaders
$replyHeaders['request-id']
'@
                Remarks = @(
                    'Your client-request-id replaces the one the module would generate, so you can find the request in your own logs or quote it to Microsoft support. After the call, the global variable $replyHeaders maps each response header name to its values.'
                )
            }
        )

        Inputs       = @(
            @{
                Type        = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'
                Description = 'An identity record for -InputObject. In this module any object with a UserId key or property is accepted: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by this command.'
            }
            @{
                Type        = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'
                Description = 'A qrPin body for -BodyParameter: a hashtable, a PSCustomObject, JSON text, or an object written by this command. Together with -UserId, each piped body resets that user''s PIN.'
            }
            @{
                Type        = 'System.Collections.IDictionary'
                Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is taken as the identity record or the request body, never as request headers.'
            }
        )

        Outputs      = @(
            @{
                Type        = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'
                Description = 'One object per successful request, with the type names Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrPin and IMicrosoftGraphQrPin. Its properties are Code (the new PIN), CreatedDateTime and UpdatedDateTime (UTC), ForceChangePinNextSignIn, Id, AdditionalProperties (any other property in the reply, such as @odata.type) and UserId, the user the request was for, which the official type does not have. A reply without a body writes nothing.'
            }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build the values of -BodyParameter and -InputObject as hash tables (or PSCustomObjects or JSON text) with the keys below. Keys are matched without regard to case. For more about hash tables, run Get-Help about_Hash_Tables.'
            'BODYPARAMETER <IMicrosoftGraphQrPin>: the qrPin to send.'
            '  [Code <String>]: the new PIN, 8 to 20 digits as the tenant''s QR code policy requires. It stays temporary until the user changes it at the first sign-in, then becomes permanent; only an administrator can reset it. It must be a string: a number loses its leading zeros and is refused.'
            '  [CreatedDateTime <DateTime?>]: the time the PIN was created.'
            '  [ForceChangePinNextSignIn <Boolean?>]: whether the user must change the PIN at the next sign-in; a temporary PIN behaves as true.'
            '  [Id <String>]: the identifier of the entity, assigned by Graph and read-only.'
            '  [UpdatedDateTime <DateTime?>]: the time the PIN was last changed.'
            '  [(Any) <Object>]: any other key, for example "@odata.type", is sent unchanged. An AdditionalProperties key that holds a hashtable is merged into the body.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. This command requires it; without it the command stops with "InputObject has null value for InputObject.UserId".'
            '  The official identity type has many more keys (GroupId, OrganizationId and others) that other cmdlets of Microsoft.Graph.Beta.Identity.SignIns use. This command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            'Model parameters are typed [object]. -InputObject and -BodyParameter are declared as System.Object because IIdentitySignInsIdentity and IMicrosoftGraphQrPin are .NET types of the official module. They take a hashtable, a PSCustomObject, JSON text or an object written by this command; numbers, arrays and other values are refused with an InvalidArgument error.'
            '-HttpPipelineAppend and -HttpPipelinePrepend take script blocks, because the official SendAsyncStep delegate type cannot exist in this module. In this version they are refused, like -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials and -Break: the command stops with a NotSupported error that names the parameter, before anything is sent.'
            'A dictionary that arrives through the pipeline is used as the identity or body record, never as -Headers. Give request headers on the command line.'
            'PINs never appear in verbose, debug, warning or error output; error target objects show the body with the code replaced by <redacted>. The only place a PIN appears is the Code property of the output object.'
            'The output object has an extra UserId property, so piped results can be matched to their users.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Update qrPin (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrpin-update?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Update-MgBetaUserAuthenticationQrCodePinMethodPin (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/update-mgbetauserauthenticationqrcodepinmethodpin' }
            @{ Text = 'Connect-MgGraph'; Uri = '' }
        )
    }

    'Connect-MgGraph'                                   = @{
        Synopsis     = 'Connects the module to Microsoft Graph with an access token that you supply.'

        Description  = @(
            'Connect-MgGraph hands an access token to Microsoft.Graph.Rs, which then uses it for every Graph request. This version supports the official cmdlet''s access-token sign-in only: get the token yourself (for example with the Azure CLI, Get-AzAccessToken or MSAL) and pass it as a SecureString. Interactive, device code, certificate, client secret, managed identity and environment-variable sign-in are not available in this version.'
            'The token is kept by the native library alone. The module does not hold on to the plain text after the call, and Get-MgContext never shows it. When the token is a JWT, the connection details (client id, tenant id, scopes or app roles, account and app name) are read from its claims; an opaque token is accepted too, with those details left empty. A leading "Bearer " is removed.'
            'A token that is empty, contains spaces, line breaks or non-ASCII characters, or has already expired is refused with a terminating error, and so is an unknown environment name. A token you supply cannot be renewed: once it expires, Graph commands stop with an error that asks you to connect again with a new token.'
            'There is one connection per process (context scope Process); connecting again replaces it. Requests go to the Graph endpoint of the environment chosen with -Environment. After connecting, a one-line welcome message is written to the information stream unless you add -NoWelcome.'
        )

        Parameters   = @{
            AccessToken = 'The bearer token for Microsoft Graph, as a SecureString. Request it for the Graph endpoint of the environment you connect to and with the permissions your commands need, for example UserAuthenticationMethod.ReadWrite.All.'
            Environment = 'The cloud to connect to: Global (the default), USGov, USGovDoD, China, or a name added with Add-MgEnvironment. The name is matched without regard to case. The aliases are EnvironmentName and NationalCloud.'
            NoWelcome   = 'Leaves out the welcome message that is otherwise written after a successful connection.'
        }

        Examples     = @(
            @{
                Title   = 'Connect with a token from the Azure CLI'
                Code    = @'
$token = az account get-access-token --resource-type ms-graph --query accessToken --output tsv
Connect-MgGraph -AccessToken ($token | ConvertTo-SecureString -AsPlainText -Force)
'@
                Remarks = @('The Azure CLI returns a token for Microsoft Graph, which is converted to a SecureString and handed to the module. A welcome line confirms the connection.')
            }
            @{
                Title   = 'Connect to a national cloud without the welcome message'
                Code    = @'
Connect-MgGraph -AccessToken $secureToken -Environment USGov -NoWelcome
Get-MgContext | Format-List Account, TenantId, Scopes, Environment
'@
                Remarks = @('Requests now go to the Graph endpoint of the USGov cloud. Get-MgContext shows what the token says about the connection.')
            }
        )

        Inputs       = @(@{ Type = 'None'; Description = 'This command does not take pipeline input.' })
        Outputs      = @(@{ Type = 'None'; Description = 'This command writes no objects. The welcome message goes to the information stream.' })

        Notes        = @(
            'The official cmdlet has many parameter sets for the different ways of signing in. This version implements the access-token one; use Get-MgContext to check the connection.'
        )

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Connect-MgGraph (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/connect-mggraph' }
            @{ Text = 'Get-MgContext'; Uri = '' }
            @{ Text = 'Disconnect-MgGraph'; Uri = '' }
            @{ Text = 'Get-MgEnvironment'; Uri = '' }
        )
    }

    'Disconnect-MgGraph'                                = @{
        Synopsis     = 'Closes the current Microsoft Graph connection and discards its access token.'

        Description  = @(
            'Disconnect-MgGraph ends the connection made by Connect-MgGraph. The native library erases the access token from memory, and Graph commands fail until you connect again.'
            'The command writes the context of the connection it closed. When there is no connection, it writes a non-terminating NotConnected error instead. Disconnect-Graph is an alias of this command.'
        )

        Parameters   = @{}

        Examples     = @(
            @{
                Title   = 'Disconnect at the end of a script'
                Code    = 'Disconnect-MgGraph | Out-Null'
                Remarks = @('The token is discarded; Out-Null hides the context of the closed connection.')
            }
            @{
                Title   = 'Disconnect whether or not a connection exists'
                Code    = 'Disconnect-Graph -ErrorAction SilentlyContinue'
                Remarks = @('Uses the alias, and suppresses the error written when there is nothing to close.')
            }
        )

        Inputs       = @(@{ Type = 'None'; Description = 'This command does not take pipeline input.' })
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.AuthContext'; Description = 'The context of the connection that was closed, with the same properties as the output of Get-MgContext.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Disconnect-MgGraph (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/disconnect-mggraph' }
            @{ Text = 'Connect-MgGraph'; Uri = '' }
        )
    }

    'Get-MgContext'                                     = @{
        Synopsis     = 'Gets the details of the current Microsoft Graph connection.'

        Description  = @(
            'Get-MgContext describes the connection made by Connect-MgGraph with the properties ClientId, TenantId, Scopes, AuthType, TokenCredentialType, CertificateThumbprint, Account, AppName, ContextScope, Environment and ClientTimeout. The values come from the claims of the access token when it is a JWT: Scopes lists its delegated scopes, or its app roles for an app-only token.'
            'AuthType and TokenCredentialType are UserProvidedAccessToken, ContextScope is Process and ClientTimeout is five minutes. The access token itself is never part of the output. When there is no connection, the command writes nothing.'
        )

        Parameters   = @{}

        Examples     = @(
            @{
                Title   = 'Show the current connection'
                Code    = 'Get-MgContext'
                Remarks = @('Writes the connection details, or nothing when no connection exists.')
            }
            @{
                Title   = 'Check for a permission before resetting PINs'
                Code    = @'
$context = Get-MgContext
if (-not $context) { throw 'Run Connect-MgGraph first.' }
if ($context.Scopes -notcontains 'UserAuthenticationMethod.ReadWrite.All') {
    Write-Warning "The token of $($context.Account) may not be allowed to reset QR code PINs."
}
'@
                Remarks = @('Stops when there is no connection and warns when the token lacks the usual permission.')
            }
        )

        Inputs       = @(@{ Type = 'None'; Description = 'This command does not take pipeline input.' })
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.AuthContext'; Description = 'The details of the current connection; nothing when there is none.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Get-MgContext (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/get-mgcontext' }
            @{ Text = 'Connect-MgGraph'; Uri = '' }
        )
    }

    'Get-MgEnvironment'                                 = @{
        Synopsis     = 'Lists the Microsoft Graph cloud environments that Connect-MgGraph can use.'

        Description  = @(
            'Get-MgEnvironment writes the four built-in environments, Global, USGov, USGovDoD and China, followed by the environments added with Add-MgEnvironment. Each object gives the name, the Microsoft Entra sign-in endpoint (AzureADEndpoint), the Graph endpoint (GraphEndpoint) and the Type, which is Built-in or User-defined.'
            'With -Name, only the environment of that name is written; names are compared without regard to case. When no environment has the name, a non-terminating ObjectNotFound error is written.'
        )

        Parameters   = @{
            Name = 'The name of the environment to get. Leave it out to list them all. The value can come from the Name property of piped objects.'
        }

        Examples     = @(
            @{
                Title   = 'List every environment'
                Code    = 'Get-MgEnvironment'
                Remarks = @('Shows the built-in clouds and any you added, with their endpoints.')
            }
            @{
                Title   = 'Get the Graph endpoint of one cloud'
                Code    = '(Get-MgEnvironment -Name USGovDoD).GraphEndpoint'
                Remarks = @('Returns https://dod-graph.microsoft.us.')
            }
        )

        Inputs       = @(@{ Type = 'System.String'; Description = 'An environment name, taken from the Name property of a piped object.' })
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.Models.GraphEnvironment'; Description = 'One object per environment, with the properties Name, AzureADEndpoint, GraphEndpoint and Type.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Get-MgEnvironment (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/get-mgenvironment' }
            @{ Text = 'Add-MgEnvironment'; Uri = '' }
            @{ Text = 'Remove-MgEnvironment'; Uri = '' }
            @{ Text = 'Connect-MgGraph'; Uri = '' }
        )
    }

    'Add-MgEnvironment'                                 = @{
        Synopsis     = 'Adds a user-defined Microsoft Graph environment, or replaces one that has the same name.'

        Description  = @(
            'Add-MgEnvironment defines a cloud environment that Connect-MgGraph -Environment can then use, and writes it. Adding a name that already belongs to a user-defined environment replaces that environment; names are compared without regard to case. The names of the built-in environments (Global, USGov, USGovDoD and China) cannot be used.'
            'Both endpoints must be absolute https:// URLs without a user name, password, query string or fragment; a trailing slash is removed. Plain http:// is accepted only for loopback hosts (localhost, 127.0.0.0/8 and [::1]), which suits a local Graph emulator. A value that breaks these rules produces a non-terminating InvalidArgument error.'
            'Environments you add last for the life of the PowerShell process; they are not saved to disk.'
        )

        Parameters   = @{
            Name            = 'The name of the new environment, which you later pass to Connect-MgGraph -Environment. It cannot be empty or the name of a built-in environment. The value can come from the Name property of piped objects.'
            AzureADEndpoint = 'The Microsoft Entra sign-in endpoint of the environment, such as https://login.microsoftonline.com. The value can come from the AzureADEndpoint property of piped objects.'
            GraphEndpoint   = 'The Microsoft Graph endpoint of the environment, such as https://graph.microsoft.com. Requests of a connection to this environment are sent there. The value can come from the GraphEndpoint property of piped objects.'
            WhatIf          = 'Reports the environment that would be added, and adds nothing.'
            Confirm         = 'Asks you to confirm before the environment is added. The command''s ConfirmImpact is Low.'
        }

        Examples     = @(
            @{
                Title   = 'Add a private cloud and connect to it'
                Code    = @'
Add-MgEnvironment -Name Contoso -AzureADEndpoint 'https://login.contoso.example' -GraphEndpoint 'https://graph.contoso.example'
Connect-MgGraph -AccessToken $secureToken -Environment Contoso
'@
                Remarks = @('After the environment is added, Graph requests of the connection go to https://graph.contoso.example.')
            }
            @{
                Title   = 'Point the module at a Graph emulator on this computer'
                Code    = 'Add-MgEnvironment -Name Local -AzureADEndpoint ''http://localhost:5000'' -GraphEndpoint ''http://127.0.0.1:5000'''
                Remarks = @('Plain http:// is allowed here because both hosts are loopback addresses.')
            }
        )

        Inputs       = @(@{ Type = 'System.String'; Description = 'Name, AzureADEndpoint and GraphEndpoint can come from the properties of piped objects, such as Import-Csv rows.' })
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.Models.GraphEnvironment'; Description = 'The environment as stored, with its endpoints normalized and Type set to User-defined.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Add-MgEnvironment (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/add-mgenvironment' }
            @{ Text = 'Get-MgEnvironment'; Uri = '' }
            @{ Text = 'Remove-MgEnvironment'; Uri = '' }
        )
    }

    'Remove-MgEnvironment'                              = @{
        Synopsis     = 'Removes a user-defined Microsoft Graph environment.'

        Description  = @(
            'Remove-MgEnvironment deletes an environment that was added with Add-MgEnvironment. Names are compared without regard to case. The built-in environments cannot be removed; trying to, or naming an environment that does not exist, produces a non-terminating InvalidArgument error.'
            'A connection already made to the removed environment keeps its endpoints until you disconnect.'
        )

        Parameters   = @{
            Name    = 'The name of the user-defined environment to remove. The value can come from the Name property of piped objects, such as the output of Get-MgEnvironment.'
            WhatIf  = 'Reports the environment that would be removed, and removes nothing.'
            Confirm = 'Asks you to confirm before the environment is removed. The command''s ConfirmImpact is Medium.'
        }

        Examples     = @(
            @{
                Title   = 'Remove one environment'
                Code    = 'Remove-MgEnvironment -Name Contoso'
                Remarks = @('Contoso no longer appears in Get-MgEnvironment and cannot be used to connect.')
            }
            @{
                Title   = 'Remove every environment you added'
                Code    = 'Get-MgEnvironment | Where-Object Type -eq ''User-defined'' | Remove-MgEnvironment'
                Remarks = @('The Name property of each piped environment selects what to remove; the built-in environments are filtered out first.')
            }
        )

        Inputs       = @(@{ Type = 'System.String'; Description = 'An environment name, taken from the Name property of a piped object.' })
        Outputs      = @(@{ Type = 'None'; Description = 'This command writes no objects.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Remove-MgEnvironment (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/remove-mgenvironment' }
            @{ Text = 'Add-MgEnvironment'; Uri = '' }
            @{ Text = 'Get-MgEnvironment'; Uri = '' }
        )
    }
}
