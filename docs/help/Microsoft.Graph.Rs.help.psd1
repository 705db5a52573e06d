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
            'Run Connect-MgGraph first. The connection needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, resetting another user''s PIN also requires the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Nothing is sent until the input has been checked. The user id must not be blank or contain control characters, a PIN must be a string of 8 to 20 ASCII digits, and each body property may be given only once. Bad input and error responses from Graph produce non-terminating errors, so a pipeline moves on to the next item; an identity record without a UserId is the exception and stops the command, as in the official module. Answers 429, 503 and 504 are retried up to three times, after the delay that Retry-After asks for or else after 3, 6 and 12 seconds; Set-MgRequestContext changes these numbers. A Retry-After holds every request to the same tenant, and the command slows down as Graph reports that the tenant''s write quota is filling up. Piped items are sent side by side (up to Set-MgRequestContext -MaxConcurrency, 8 by default) while outputs and errors keep the input order; a run longer than a second shows progress, and Ctrl+C cancels every request still waiting or in flight and names, in one warning, the users whose requests were already sent (Get-MgRsInDoubtRequest returns them). When an error stops the command (-ErrorAction Stop), requests not yet sent are dropped, every request already sent is awaited and its output or error written in order, and the stopping error ends with how many inputs were not sent. A PATCH with a PIN is sent again after a lost connection or a timeout, because it sets the same PIN again; one without a PIN is not, because it would make another PIN. Error records keep the FullyQualifiedErrorId, category and ErrorDetails layout of the official cmdlet, so scripts that inspect them keep working. Without a connection, or with an expired token, the command stops with a terminating error.'
            'PINs are treated as secrets. Verbose, debug, warning and error output never contain a PIN; it appears only in the Code property of the returned object.'
        )

        Parameters   = @{
            AdditionalProperties       = 'Extra properties for the request body, as a hashtable of names and values. They are added to the properties given by the other body parameters. Entries whose value is $null are skipped. A key that repeats a property already set by another parameter, such as code together with -Code, is refused.'
            BodyParameter              = @(
                'The complete request body, a qrPin. The official cmdlet types this parameter as IMicrosoftGraphQrPin; here it takes a hashtable, a PSCustomObject, JSON text of an object, or an object written by this command. Keys that name qrPin properties are matched without regard to case; any other key, for example "@odata.type", is sent as it is.'
                'The body can come from the pipeline: with -UserId, every piped body resets the PIN of that one user. The properties it can hold are listed under BODYPARAMETER in the NOTES section.'
            )
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits until a .NET debugger is attached to that process; then the command goes on as usual. Press Ctrl+C to give up waiting: the command stops and nothing is sent. Bad -Proxy values are reported before the wait starts.'
            Code                       = @(
                'The new PIN, as a string of 8 to 20 digits (0-9). The tenant''s QR code authentication method policy decides the exact length, which is 8 unless the policy says otherwise. Always quote it: PowerShell reads an unquoted 01234567 as a number and drops the leading zero, so a -Code that is not a string (a number, an array...) is refused with an InvalidCode error before anything is sent, as is a number given as code in a body.'
                'A PIN set by an administrator is temporary until the user changes it at their first sign-in; after that it is permanent. Only an administrator can reset it, never the user. Leave -Code out to have Microsoft Entra generate the PIN.'
            )
            Confirm                    = 'Asks you to confirm before the request is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            CreatedDateTime            = 'The creation time to put in the PIN object. The value is converted to UTC and sent as yyyy-MM-ddTHH:mm:ss.fffffffZ; a DateTime whose kind is unspecified is read as local time.'
            ForceChangePinNextSignIn   = 'Whether the user has to change the PIN at the next sign-in. -ForceChangePinNextSignIn sends true and -ForceChangePinNextSignIn:$false sends false. When the switch is left out nothing is sent, and Graph treats the temporary PIN as one that must be changed.'
            Headers                    = @(
                'Additional HTTP headers for the request, as a dictionary of header names and values; an array value sends the header once for each element. Names must be valid HTTP header names and values must not hold line breaks. A header you give replaces the module''s own header of that name, such as client-request-id or User-Agent. The headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization (the token comes from Connect-MgGraph), Content-Type (the body is always JSON), Content-Length and Host, Proxy-Authorization (use -ProxyCredential), Transfer-Encoding, and the hop-by-hop headers Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection and Expect.'
                'This parameter accepts pipeline input, as in the official module, but a dictionary that arrives through the pipeline is always used as the identity or body record and never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that see, and may change, each request after the module has added its own headers, and then see Graph''s answer. In the official module this parameter takes SendAsyncStep delegates of its .NET runtime; that type cannot exist in this module, which loads no SDK assembly, so script blocks take their place. Each step is called twice per item, on the PowerShell pipeline thread: as & $step $Request $null before the request is sent, and as & $step $Request $Response once Graph has answered.'
                '$Request has Method (a string; any method may be set, and GET, PUT, DELETE and the other standard names are sent upper-case), Uri (a System.Uri with the absolute address on the connected environment''s Graph endpoint; assign a System.Uri or an address string), Headers (a case-insensitive dictionary of header names and string values) and Body (the JSON text; assign JSON text, an empty string, or an object that is then converted with ConvertTo-Json). Append steps see the module''s User-Agent, Accept and client-request-id headers; Authorization, Content-Type, Content-Length and Retry-Attempt are added only when the request goes out and are never in Headers. $Response has StatusCode, ReasonPhrase, Headers (read-only, case-insensitive) and Body (the raw text, which holds the new PIN); changing it has no effect.'
                'Order: the -HttpPipelinePrepend steps run first, then the module adds its headers (except any the request already has), then these steps in the order given; answers go back through the same steps in reverse, these first. Before anything is sent, the library checks what the steps left: the address must stay on the connected Graph endpoint (same scheme, host and port, because the token only goes there), the body must be JSON or empty, header names and values must be valid, and the headers the module owns (Authorization, Content-Type, Content-Length, Host, Proxy-Authorization and the connection headers) are refused. Otherwise the item fails with an InvalidHttpPipelineRequest error and nothing is sent.'
                'Steps run once per item, not once per retry, and not at all under -WhatIf or for an item that is declined at a -Confirm prompt. Without an answer from Graph (a lost connection, a timeout, Ctrl+C) the response calls are not made. Whatever a step writes to the output is discarded; use Write-Host, Write-Verbose or a variable to report. A step that throws gives the item an HttpPipelineStepFailed error naming the step and whether it failed before sending (then nothing is sent) or after the answer (then the item''s output or error comes first, and the steps outside it do not see the answer); the step''s exception is the error''s InnerException, and other items go on under the default ErrorAction. With piped input, the request calls run just before each item is submitted and the response calls when its result comes out, so both stay in input order.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that see, and may change, each request before the module adds its own headers, and see Graph''s answer last. They take the place of the official runtime''s SendAsyncStep delegates, a .NET type that cannot exist in this module. Each step is called as & $step $Request $null before the request is sent and as & $step $Request $Response after the answer, on the PowerShell pipeline thread.'
                'A prepend step sees the request as the command built it: the method, the absolute address, the body and the -Headers you gave, but not yet User-Agent, Accept or client-request-id, and never Authorization. A header it sets keeps its value: the module adds only the headers the request does not already have. The request and response objects, the checks made before sending, and the handling of a step that throws are described under -HttpPipelineAppend.'
            )
            Id                         = 'A value for the id property of the qrPin. Graph assigns this identifier and treats it as read-only, so it is normally left out.'
            InputObject                = @(
                'The user, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here it is a hashtable, a PSCustomObject (such as an Import-Csv row), JSON text of an object, or an object written by this command. Only its UserId key or property is used, whatever its case, and it must hold the user''s object id or user principal name. When UserId is missing or $null, the command stops with the error "InputObject has null value for InputObject.UserId".'
                'Records are usually piped, one request per record. When a piped record is used as both the identity and the body, its Code, ForceChangePinNextSignIn, CreatedDateTime, UpdatedDateTime, Id and "@odata.type" values make up the body and its other columns are not sent. See INPUTOBJECT in the NOTES section.'
            )
            Proxy                      = @(
                'The proxy server to send the request through, as an http:// or https:// address with the proxy''s host and port, such as http://proxy.contoso.com:8080. An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token or the PIN in clear text; an http:// endpoint (only allowed on loopback) is sent to the proxy in absolute form. The proxy is used for every request of the command, even one to a loopback address. Unlike the official module, which accepts this parameter without using it, this command honours it.'
                'Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables (upper or lower case) apply; they are read once, when the module makes its first request in the process. A loopback Graph endpoint skips an environment proxy on another machine, which could not reach it, but uses one on loopback. Other schemes (socks5:// for example), a path, or a user name and password inside the address are refused with an InvalidProxy error before anything is sent.'
            )
            ProxyCredential            = 'The account for the proxy given with -Proxy, sent as Basic authentication (Proxy-Authorization). It needs -Proxy; without it the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy from the environment variables (put those in the variable''s address instead). When the proxy refuses the account (407 Proxy Authentication Required), the request fails with an error that names the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, authenticates to the proxy as the signed-in Windows user. That needs integrated Windows authentication (NTLM or Negotiate), which this module does not implement, and on Linux and macOS there is no Windows logon session to take the account from. The command therefore stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing; give the proxy account with -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable that receives the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary that maps every header name to its values (string[]). The alias is RHV. A name that cannot be set (a read-only or constant variable, one whose type or validation refuses the dictionary, or a name with wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
            UpdatedDateTime            = 'The last-change time to put in the PIN object. The value is converted to UTC and sent as yyyy-MM-ddTHH:mm:ss.fffffffZ; a DateTime whose kind is unspecified is read as local time.'
            UserId                     = 'The user whose PIN is reset, as an object id or a user principal name. The value must not be empty, blank, made only of invisible characters, "." or "..", and must not contain control characters or a lone surrogate; it is escaped before it goes into the request URL, which may be at most 2,048 characters long.'
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
            @{
                Title   = 'Add a header to every request and log each answer with pipeline steps'
                Code    = @'
$tagRequest = {
    param($Request, $Response)
    if (-not $Response) { $Request.Headers['x-ms-correlation'] = 'pin-rollout-2025' }
}
$logAnswer = {
    param($Request, $Response)
    if ($Response) { Write-Host "$($Request.Method) $($Request.Uri.AbsolutePath) -> $($Response.StatusCode) $($Response.Headers['request-id'])" }
}
Import-Csv -Path .\frontline-staff.csv |
    Update-MgBetaUserAuthenticationQrCodePinMethodPin -HttpPipelinePrepend $tagRequest -HttpPipelineAppend $logAnswer
'@
                Remarks = @(
                    'The prepend step adds a header to each request before the module adds User-Agent and client-request-id. The append step does nothing on the way out; when Graph has answered it writes one line per user with the status and Graph''s request-id. Both run on the pipeline thread, once per row, in the order of the file.'
                )
            }
            @{
                Title   = 'Go through a proxy that asks for an account'
                Code    = @'
$proxyAccount = Get-Credential -Message 'Proxy account'
Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $userId -Proxy 'http://proxy.contoso.com:8080' -ProxyCredential $proxyAccount
'@
                Remarks = @(
                    'The request to Graph goes through a CONNECT tunnel opened by the proxy, with the account sent to the proxy as Basic authentication. A wrong account fails with a 407 error that names the proxy and the user name. Without -Proxy, a proxy set in HTTPS_PROXY is used.'
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
            'DIAGNOSTICS AND ERRORS'
            '-Verbose writes one line per HTTP attempt: method and URL, the status code and its name (or why no answer came), how long the attempt took, the request-id of the answer, the attempt number out of the most allowed (MaxRetry + 1) and, when another attempt follows, the wait before it. For example: PATCH https://graph.microsoft.com/beta/users/adele%40contoso.com/authentication/qrCodePinMethod/pin -> 429 TooManyRequests in 41 ms (request-id 5a3c..., attempt 1 of 4); retrying in 2.0 s'
            '-Debug adds what the official module writes: a [CmdletBeginProcessing] line naming the parameter set; [Authentication] lines with the connection''s AuthType, TokenCredentialType, ContextScope, AppName and scopes; for each attempt an HTTP REQUEST block (method, absolute URI, the headers actually sent, the body) and an HTTP RESPONSE block (status name such as Created, headers, body), in the layout of the official HttpMessageLogFormatter; and a [CmdletEndProcessing] line. Authorization is never shown. In bodies, PIN codes, tokens, client secrets, assertions and passwords read <redacted>; a body that is not a JSON object or array is shown only by its size, because it cannot be checked for secrets.'
            'Graph errors are non-terminating: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_<parameter set>", the category is InvalidOperation and the message is "[<code>] : <message>". ErrorDetails.Message holds the message, a blank line, the status (Status: 404 (NotFound)), ErrorCode, Date, a blank line and the response headers, one per line with the name padded to 30 characters, never Authorization. When the error answer has no Graph error body (an HTML page from a gateway, or nothing), the status name, such as InternalServerError or ServiceUnavailable, is the code.'
            'A request that gets no answer (connection refused or reset, nothing within ClientTimeout) fails with category NotSpecified and ErrorId HttpRequestFailed. When 429, 503 or 504 answers outlast MaxRetry, the error is NotSpecified, its message starts with "Too many retries performed", it keeps Graph''s code and ErrorDetails, and its exception''s Data holds StatusCode, ErrorCode, RetryAfter and Retries.'
            'A success answer without a well-formed PIN object (no body, a body that is not a JSON object, a code that is not a string of digits, a property of the wrong type) is a non-terminating error with ErrorId UnexpectedGraphResponse and category InvalidResult naming the user: the PIN may have changed and the new code is unknown, so run the command again for that user. Answers larger than 16 MiB are not read: the item fails with ErrorId ResponseTooLarge (InvalidResult). Text from an error answer is cut at 4,096 characters, with a note.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            'Model parameters are typed [object]. -InputObject and -BodyParameter are declared as System.Object because IIdentitySignInsIdentity and IMicrosoftGraphQrPin are .NET types of the official module. They take a hashtable, a PSCustomObject, JSON text or an object written by this command; numbers, arrays and other values are refused with an InvalidArgument error.'
            '-HttpPipelineAppend and -HttpPipelinePrepend take script blocks, because the official SendAsyncStep delegate type cannot exist in this module. Each is called with the request before sending and with the request and the response after the answer; see the parameters for the objects and the order.'
            '-Proxy and -ProxyCredential are honoured (the official module accepts them but does not use them); -ProxyUseDefaultCredentials is refused with a clear error. Warning headers in Graph''s answers are written as PowerShell warnings.'
            'A dictionary that arrives through the pipeline is used as the identity or body record, never as -Headers. Give request headers on the command line.'
            'PINs never appear in verbose, debug, warning or error output; error target objects show the body with the code replaced by <redacted>. The only place a PIN appears is the Code property of the output object.'
            'Whatever a server sends back, the secrets the session holds (access and refresh tokens, client secrets, proxy passwords, and the PINs of requests under way; values of six characters or more) read <redacted> in every message, ErrorDetails block, warning, verbose and debug line.'
            'A request keeps the connection it started with for all its retries. If that connection is replaced by another Connect-MgGraph (in any runspace) or closed by Disconnect-MgGraph before a retry or a token renewal, the item ends with a ConnectionChanged error and is not sent again.'
            'With a plain http:// Graph endpoint (allowed only on loopback), a -Proxy that is not on loopback is refused with an InsecureProxy error and nothing is sent.'
            'The output object has an extra UserId property, so piped results can be matched to their users.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Update qrPin (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrpin-update?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Update-MgBetaUserAuthenticationQrCodePinMethodPin (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/update-mgbetauserauthenticationqrcodepinmethodpin' }
            @{ Text = 'Connect-MgGraph'; Uri = '' }
        )
    }

    'Get-MgBetaUserAuthenticationQrCodePinMethod' = @{
        Synopsis     = 'Gets a user''s QR code PIN authentication method, with its PIN and QR codes.'

        Description  = @(
            'Get-MgBetaUserAuthenticationQrCodePinMethod reads the QR code PIN authentication method of a user in Microsoft Entra ID. For each user it sends GET /users/{id}/authentication/qrCodePinMethod to the Microsoft Graph beta endpoint and writes the method that Graph returns, with its PIN, standard QR code and temporary QR code as nested objects.'
            'A read never reveals secrets: Graph leaves the PIN code and the QR code images empty, because it returns them only when they are created. When the user has no QR code PIN method, Graph answers 404 and the command writes a non-terminating Request_ResourceNotFound error in the official shape.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Get and GetViaIdentity), parameters and aliases.'
            'Run Connect-MgGraph first. Reading needs UserAuthMethod-QR.Read.All or UserAuthenticationMethod.Read.All (or a ReadWrite permission of either); with a delegated token, reading another user''s method also needs a role such as Global Reader or Authentication Administrator. The QR code method exists in the global Azure cloud only.'
            'Piped records are read side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. Reads never spend the tenant''s write quota. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets, after the wait Graph asks for; a read is also sent again after a lost connection or a timeout, because reading changes nothing.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.GetMgBetaUserAuthenticationQrCodePinMethod_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose QR code PIN method is read, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose QR code PIN method is read, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            ExpandProperty             = 'Related entities to return, sent as the $expand query option; several names are joined with commas. The method''s related entities are pin, standardQRCode and temporaryQRCode. The alias is Expand.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            Property                   = 'The properties to return, sent as the $select query option; several names are joined with commas. Graph names them in camel case, such as id or createdDateTime. Properties left out are empty on the output object. The alias is Select.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
        }

        Examples     = @(
            @{
                Title   = 'Read one user''s QR code sign-in method'
                Code    = 'Get-MgBetaUserAuthenticationQrCodePinMethod -UserId adele@contoso.example'
                Remarks = @('Writes the method with its Pin, StandardQrCode and TemporaryQrCode. The PIN code and the QR code images are empty, as Graph never returns them on a read. A user without the method gets a 404 error.')
            }
            @{
                Title   = 'List the standard QR code expiry of the users in a CSV file'
                Code    = @'
Import-Csv users.csv |
    Get-MgBetaUserAuthenticationQrCodePinMethod -ErrorAction SilentlyContinue -ErrorVariable missing |
    Select-Object UserId, @{ Name = 'StandardExpires'; Expression = { $_.StandardQrCode.ExpireDateTime } }
'@
                Remarks = @('users.csv has a UserId column. Each row names one user; the UserId property of each output matches it to its row. Users without the method do not stop the run: their 404 errors are collected in $missing.')
            }
            @{
                Title   = 'Return only the id and the standard QR code'
                Code    = 'Get-MgBetaUserAuthenticationQrCodePinMethod -UserId adele@contoso.example -Property id -ExpandProperty standardQRCode'
                Remarks = @('Sends $select=id and $expand=standardQRCode, so the answer holds only the method''s id and its standard code.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCodePinAuthenticationMethod'; Description = 'One object per user, with the type names Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrCodePinAuthenticationMethod and IMicrosoftGraphQrCodePinAuthenticationMethod. Its properties are Id, CreatedDateTime ([datetime], UTC), Pin (a qrPin object whose Code is empty on a read), StandardQrCode and TemporaryQrCode (qrCode objects, or $null when the user has no such code; their Image is empty on a read), AdditionalProperties (other properties of the reply, such as @odata.type) and UserId, the user the request was for, which the official type does not have.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'Output objects carry an extra UserId property, the user the request was for, so they can be piped into the other commands of the family.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Get qrCodePinAuthenticationMethod (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrcodepinauthenticationmethod-get?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Get-MgBetaUserAuthenticationQrCodePinMethod (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/get-mgbetauserauthenticationqrcodepinmethod' }
        )
    }

    'Get-MgBetaUserAuthenticationQrCodePinMethodPin' = @{
        Synopsis     = 'Gets the PIN object of a user''s QR code sign-in method, without the PIN itself.'

        Description  = @(
            'Get-MgBetaUserAuthenticationQrCodePinMethodPin reads the qrPin of a user''s QR code PIN authentication method: GET /users/{id}/authentication/qrCodePinMethod/pin on the Microsoft Graph beta endpoint. It tells whether the user still has to change an administrator''s PIN (ForceChangePinNextSignIn) and when the PIN was created and last changed.'
            'The Code property is always empty: Graph returns a PIN only in the answer that sets or resets it (Update-MgBetaUserAuthenticationQrCodePinMethodPin). The REST reference does not document this read on its own; the same data comes inlined in Get-MgBetaUserAuthenticationQrCodePinMethod. Graph answers 404 when the user has no QR code PIN method or no PIN, and the command writes a non-terminating error in the official shape.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Get and GetViaIdentity), parameters and aliases.'
            'Run Connect-MgGraph first. Reading needs UserAuthMethod-QR.Read.All or UserAuthenticationMethod.Read.All (or a ReadWrite permission of either); with a delegated token, reading another user''s method also needs a role such as Global Reader or Authentication Administrator. The QR code method exists in the global Azure cloud only.'
            'Piped records are read side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. Reads never spend the tenant''s write quota. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets, after the wait Graph asks for; a read is also sent again after a lost connection or a timeout, because reading changes nothing.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.GetMgBetaUserAuthenticationQrCodePinMethodPin_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose PIN object is read, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose PIN object is read, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            ExpandProperty             = 'Related entities to return, sent as the $expand query option; several names are joined with commas. A qrPin has no related entities, so Graph refuses any name here; the parameter exists because the official cmdlet has it. The alias is Expand.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            Property                   = 'The properties to return, sent as the $select query option; several names are joined with commas, such as forceChangePinNextSignIn or updatedDateTime. Properties left out are empty on the output object. The alias is Select.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
        }

        Examples     = @(
            @{
                Title   = 'See whether a user still has a temporary PIN'
                Code    = 'Get-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example | Select-Object UserId, ForceChangePinNextSignIn, UpdatedDateTime'
                Remarks = @('ForceChangePinNextSignIn is True until the user replaces the PIN an administrator set. Code is empty, as on every read.')
            }
            @{
                Title   = 'Find the users of a CSV file who have not changed their PIN yet'
                Code    = 'Import-Csv users.csv | Get-MgBetaUserAuthenticationQrCodePinMethodPin | Where-Object ForceChangePinNextSignIn | Select-Object UserId'
                Remarks = @('Each row of users.csv (a UserId column) is one read; the reads run side by side and the results keep the order of the file.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'; Description = 'One qrPin object per user, with the type names Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrPin and IMicrosoftGraphQrPin. Its properties are Code (empty on a read), CreatedDateTime and UpdatedDateTime ([datetime], UTC), ForceChangePinNextSignIn, Id, AdditionalProperties and UserId, the user the request was for, which the official type does not have.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'Output objects carry an extra UserId property, the user the request was for, so they can be piped into the other commands of the family.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: qrPin resource type (beta)'; Uri = 'https://learn.microsoft.com/graph/api/resources/qrpin?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Get-MgBetaUserAuthenticationQrCodePinMethodPin (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/get-mgbetauserauthenticationqrcodepinmethodpin' }
        )
    }

    'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode' = @{
        Synopsis     = 'Gets the standard QR code of a user''s QR code sign-in method.'

        Description  = @(
            'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode reads a user''s standard QR code: GET /users/{id}/authentication/qrCodePinMethod/standardQRCode on the Microsoft Graph beta endpoint. The standard code is the long-lived one, printed or handed to the user; it lasts at most 395 days, and a user has at most one active at a time.'
            'The answer gives the code''s id, when it was created, when it starts and expires, and when it was last used. The image is always empty: Graph does not keep the private key embedded in the picture, so the image exists only in the answer that created the code. When the user has no method or no standard code, Graph answers 404 and the command writes a non-terminating error in the official shape.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Get and GetViaIdentity), parameters and aliases.'
            'Run Connect-MgGraph first. Reading needs UserAuthMethod-QR.Read.All or UserAuthenticationMethod.Read.All (or a ReadWrite permission of either); with a delegated token, reading another user''s method also needs a role such as Global Reader or Authentication Administrator. The QR code method exists in the global Azure cloud only.'
            'Piped records are read side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. Reads never spend the tenant''s write quota. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets, after the wait Graph asks for; a read is also sent again after a lost connection or a timeout, because reading changes nothing.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.GetMgBetaUserAuthenticationQrCodePinMethodStandardQrCode_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose standard QR code is read, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose standard QR code is read, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            ExpandProperty             = 'Related entities to return, sent as the $expand query option. A qrCode has no related entities and the beta reference says this call supports no query options, so Graph refuses it; the parameter exists because the official cmdlet has it. The alias is Expand.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            Property                   = 'The properties to return, sent as the $select query option; several names are joined with commas, such as id or expireDateTime. The beta reference says this call supports no query options, so Graph may ignore or refuse it. The alias is Select.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
        }

        Examples     = @(
            @{
                Title   = 'Read a user''s standard QR code'
                Code    = 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId adele@contoso.example'
                Remarks = @('Shows UserId, Id, StartDateTime and ExpireDateTime; Format-List * shows the rest. Image is $null.')
            }
            @{
                Title   = 'List the standard codes that expire within 30 days'
                Code    = @'
Import-Csv users.csv |
    Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode |
    Where-Object ExpireDateTime -lt ([datetime]::UtcNow.AddDays(30)) |
    Select-Object UserId, ExpireDateTime
'@
                Remarks = @('The dates are UTC, so they are compared with UtcNow. Extend the codes you find with Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -ExpireDateTime.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCode'; Description = 'One qrCode object per user, with the type names Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrCode and IMicrosoftGraphQrCode. Its properties are Id, CreatedDateTime, StartDateTime, ExpireDateTime and LastUsedDateTime (as [datetime], UTC), Image, which is always $null on a read, AdditionalProperties (other properties of the reply, such as @odata.type) and UserId, the user the request was for, which the official type does not have.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'Output objects carry an extra UserId property, the user the request was for, so they can be piped into the other commands of the family.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Get qrCode (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrcode-get?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/get-mgbetauserauthenticationqrcodepinmethodstandardqrcode' }
        )
    }

    'Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode' = @{
        Synopsis     = 'Gets the temporary QR code of a user''s QR code sign-in method.'

        Description  = @(
            'Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode reads a user''s temporary QR code: GET /users/{id}/authentication/qrCodePinMethod/temporaryQRCode on the Microsoft Graph beta endpoint. A temporary code is issued when the user cannot reach the standard one, lasts at most 12 hours, and only one can be active.'
            'The answer gives the code''s id, when it was created, when it starts and expires, and when it was last used. The image is always empty, since Graph returns it only in the answer that created the code. When the user has no method or no temporary code, Graph answers 404 and the command writes a non-terminating error in the official shape.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Get and GetViaIdentity), parameters and aliases.'
            'Run Connect-MgGraph first. Reading needs UserAuthMethod-QR.Read.All or UserAuthenticationMethod.Read.All (or a ReadWrite permission of either); with a delegated token, reading another user''s method also needs a role such as Global Reader or Authentication Administrator. The QR code method exists in the global Azure cloud only.'
            'Piped records are read side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. Reads never spend the tenant''s write quota. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets, after the wait Graph asks for; a read is also sent again after a lost connection or a timeout, because reading changes nothing.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.GetMgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose temporary QR code is read, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose temporary QR code is read, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            ExpandProperty             = 'Related entities to return, sent as the $expand query option. A qrCode has no related entities, so Graph refuses any name here; the parameter exists because the official cmdlet has it. The alias is Expand.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            Property                   = 'The properties to return, sent as the $select query option; several names are joined with commas, such as id or expireDateTime. Properties left out are empty on the output object. The alias is Select.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
        }

        Examples     = @(
            @{
                Title   = 'Read a user''s temporary QR code'
                Code    = 'Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId adele@contoso.example'
                Remarks = @('Writes the code with its start and expiry (UTC). A user without a temporary code gets a 404 error.')
            }
            @{
                Title   = 'Check whether a temporary code is still valid'
                Code    = @'
$temporary = Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId adele@contoso.example -ErrorAction SilentlyContinue
if ($temporary -and $temporary.ExpireDateTime -gt [datetime]::UtcNow) { 'Valid until {0:u}' -f $temporary.ExpireDateTime }
'@
                Remarks = @('An expired code can still be returned, so the expiry is compared with the current UTC time. -ErrorAction SilentlyContinue hides the 404 of a user who has none.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCode'; Description = 'One qrCode object per user, with the type names Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrCode and IMicrosoftGraphQrCode. Its properties are Id, CreatedDateTime, StartDateTime, ExpireDateTime and LastUsedDateTime (as [datetime], UTC), Image, which is always $null on a read, AdditionalProperties (other properties of the reply, such as @odata.type) and UserId, the user the request was for, which the official type does not have.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'Output objects carry an extra UserId property, the user the request was for, so they can be piped into the other commands of the family.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Get qrCode (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrcode-get?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/get-mgbetauserauthenticationqrcodepinmethodtemporaryqrcode' }
        )
    }

    'Remove-MgBetaUserAuthenticationQrCodePinMethod' = @{
        Synopsis     = 'Deletes a user''s QR code PIN authentication method, with its PIN and QR codes.'

        Description  = @(
            'Remove-MgBetaUserAuthenticationQrCodePinMethod deletes the QR code PIN authentication method of a user: DELETE /users/{id}/authentication/qrCodePinMethod on the Microsoft Graph beta endpoint. The deletion is permanent. The PIN, the standard code and any temporary code go with it, so the user can no longer sign in with any of their QR codes.'
            'Graph answers 204 No Content; the command then writes nothing, or $true with -PassThru. A user without the method gets a non-terminating 404 error in the official shape. This family has no command that creates a method again.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Delete and DeleteViaIdentity), parameters, aliases and ConfirmImpact (Medium).'
            'Run Connect-MgGraph first. The connection needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, acting on another user also needs the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Piped records are sent side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. A delete counts against the tenant''s write quota, and the command slows down as Graph reports that quota filling up. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets; a delete is also sent again after a lost connection or a timeout, and if the first one had already reached Graph, the repeat may be answered 404. After Ctrl+C, Get-MgRsInDoubtRequest lists the users whose delete was sent but not answered.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.RemoveMgBetaUserAuthenticationQrCodePinMethod_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose QR code PIN method is deleted, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose QR code PIN method is deleted, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            Confirm                    = 'Asks for confirmation before each delete is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry. Steps are not run under -WhatIf, nor for an item declined at a -Confirm prompt.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            IfMatch                    = 'An entity tag, sent as the If-Match request header. The command passes it on unchanged; Graph does not document ETags for this resource, so whether it is checked is up to Graph.'
            PassThru                   = 'Writes $true for each item that Graph deleted (204 No Content). Without this switch the command writes nothing on success.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
            WhatIf                     = 'Shows the delete that would be sent for each item, and sends nothing. The input is still checked first, so mistakes show up. The message follows the official cmdlet''s wording: the command and parameter set, and the Graph operation.'
        }

        Examples     = @(
            @{
                Title   = 'Take QR code sign-in away from one user'
                Code    = 'Remove-MgBetaUserAuthenticationQrCodePinMethod -UserId adele@contoso.example'
                Remarks = @('Nothing is written on success. Under the default $ConfirmPreference (High) the command does not ask first; add -Confirm to be asked.')
            }
            @{
                Title   = 'Preview the removal for everyone who left'
                Code    = 'Import-Csv leavers.csv | Remove-MgBetaUserAuthenticationQrCodePinMethod -WhatIf'
                Remarks = @('leavers.csv has a UserId column. One "What if" line is written per row and nothing is sent. Run it again without -WhatIf to delete.')
            }
            @{
                Title   = 'Count the methods that were deleted'
                Code    = @'
$deleted = Import-Csv leavers.csv | Remove-MgBetaUserAuthenticationQrCodePinMethod -PassThru -ErrorVariable failures
"$(@($deleted).Count) deleted, $($failures.Count) failed"
'@
                Remarks = @('-PassThru writes $true for each 204. Rows that fail, such as users without the method, leave an error in $failures and the run goes on.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'System.Boolean'; Description = '$true for each deleted item when -PassThru is given; otherwise nothing.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'The objects written by the other commands of this module carry an extra UserId property, the user they belong to, so they can be piped into this command.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Delete qrCodePinAuthenticationMethod (beta)'; Uri = 'https://learn.microsoft.com/graph/api/authentication-delete-qrcodepinmethod?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Remove-MgBetaUserAuthenticationQrCodePinMethod (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/remove-mgbetauserauthenticationqrcodepinmethod' }
            @{ Text = 'Get-MgBetaUserAuthenticationQrCodePinMethod'; Uri = '' }
        )
    }

    'Remove-MgBetaUserAuthenticationQrCodePinMethodPin' = @{
        Synopsis     = 'Sends a request to delete the PIN of a user''s QR code sign-in method, which Graph does not document.'

        Description  = @(
            'Remove-MgBetaUserAuthenticationQrCodePinMethodPin sends DELETE /users/{id}/authentication/qrCodePinMethod/pin to the Microsoft Graph beta endpoint. The official cmdlet exists because it is generated from the API description, but the REST reference documents no way to delete the PIN alone; a method without its PIN is unusable, and deleting the whole method is the documented way to end QR code sign-in.'
            'The command sends the request and reports what Graph answers. If Graph refuses it, the command writes a non-terminating error in the official shape; the Graph emulator that ships with this module answers 405 Method Not Allowed. On 204 No Content it writes nothing, or $true with -PassThru.'
            'To give the user a new PIN, use Update-MgBetaUserAuthenticationQrCodePinMethodPin; to end QR code sign-in, use Remove-MgBetaUserAuthenticationQrCodePinMethod.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Delete and DeleteViaIdentity), parameters, aliases and ConfirmImpact (Medium).'
            'Run Connect-MgGraph first. The connection needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, acting on another user also needs the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Piped records are sent side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. A delete counts against the tenant''s write quota, and the command slows down as Graph reports that quota filling up. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets; a delete is also sent again after a lost connection or a timeout, and if the first one had already reached Graph, the repeat may be answered 404. After Ctrl+C, Get-MgRsInDoubtRequest lists the users whose delete was sent but not answered.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.RemoveMgBetaUserAuthenticationQrCodePinMethodPin_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose PIN is deleted, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose PIN is deleted, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            Confirm                    = 'Asks for confirmation before each delete is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry. Steps are not run under -WhatIf, nor for an item declined at a -Confirm prompt.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            IfMatch                    = 'An entity tag, sent as the If-Match request header. The command passes it on unchanged; Graph does not document ETags for this resource, so whether it is checked is up to Graph.'
            PassThru                   = 'Writes $true for each item that Graph deleted (204 No Content). Without this switch the command writes nothing on success.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
            WhatIf                     = 'Shows the delete that would be sent for each item, and sends nothing. The input is still checked first, so mistakes show up. The message follows the official cmdlet''s wording: the command and parameter set, and the Graph operation.'
        }

        Examples     = @(
            @{
                Title   = 'See which request would be sent'
                Code    = 'Remove-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -WhatIf'
                Remarks = @('Checks the input and writes one "What if" line naming the DELETE operation; nothing is sent.')
            }
            @{
                Title   = 'Try the delete and read Graph''s answer'
                Code    = @'
try {
    Remove-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -PassThru -ErrorAction Stop
} catch {
    $_.FullyQualifiedErrorId
}
'@
                Remarks = @('Writes True if Graph deleted the PIN. If Graph refuses the call, the catch block shows the error id, such as Request_BadRequest,Microsoft.Graph.Beta.PowerShell.Cmdlets.RemoveMgBetaUserAuthenticationQrCodePinMethodPin_Delete from the emulator.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'System.Boolean'; Description = '$true for each deleted item when -PassThru is given; otherwise nothing.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'The objects written by the other commands of this module carry an extra UserId property, the user they belong to, so they can be piped into this command.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: qrPin resource type (beta)'; Uri = 'https://learn.microsoft.com/graph/api/resources/qrpin?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Remove-MgBetaUserAuthenticationQrCodePinMethodPin (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/remove-mgbetauserauthenticationqrcodepinmethodpin' }
            @{ Text = 'Update-MgBetaUserAuthenticationQrCodePinMethodPin'; Uri = '' }
            @{ Text = 'Remove-MgBetaUserAuthenticationQrCodePinMethod'; Uri = '' }
        )
    }

    'Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode' = @{
        Synopsis     = 'Deletes the standard QR code of a user''s QR code sign-in method.'

        Description  = @(
            'Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode deletes a user''s standard QR code: DELETE /users/{id}/authentication/qrCodePinMethod/standardQRCode on the Microsoft Graph beta endpoint. Use it when a printed code is lost or should stop working; the user can no longer sign in with it. The method and the PIN stay.'
            'Graph answers 204 No Content; the command then writes nothing, or $true with -PassThru. A user without a method or a standard code gets a non-terminating 404 error in the official shape. A user can have only one standard code, so to replace one, delete it and create the next with Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Delete and DeleteViaIdentity), parameters, aliases and ConfirmImpact (Medium).'
            'Run Connect-MgGraph first. The connection needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, acting on another user also needs the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Piped records are sent side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. A delete counts against the tenant''s write quota, and the command slows down as Graph reports that quota filling up. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets; a delete is also sent again after a lost connection or a timeout, and if the first one had already reached Graph, the repeat may be answered 404. After Ctrl+C, Get-MgRsInDoubtRequest lists the users whose delete was sent but not answered.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.RemoveMgBetaUserAuthenticationQrCodePinMethodStandardQrCode_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose standard QR code is deleted, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose standard QR code is deleted, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            Confirm                    = 'Asks for confirmation before each delete is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry. Steps are not run under -WhatIf, nor for an item declined at a -Confirm prompt.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            IfMatch                    = 'An entity tag, sent as the If-Match request header. The command passes it on unchanged; Graph does not document ETags for this resource, so whether it is checked is up to Graph.'
            PassThru                   = 'Writes $true for each item that Graph deleted (204 No Content). Without this switch the command writes nothing on success.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
            WhatIf                     = 'Shows the delete that would be sent for each item, and sends nothing. The input is still checked first, so mistakes show up. The message follows the official cmdlet''s wording: the command and parameter set, and the Graph operation.'
        }

        Examples     = @(
            @{
                Title   = 'Preview deleting the standard codes of a list of users'
                Code    = 'Import-Csv users.csv | Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -WhatIf'
                Remarks = @('users.csv has a UserId column. One "What if" line is written per row and nothing is sent.')
            }
            @{
                Title   = 'Replace a lost standard code'
                Code    = @'
Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId adele@contoso.example
$code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId adele@contoso.example -ExpireDateTime (Get-Date).AddDays(180)
$code.Image.ErrorCorrectionLevel
'@
                Remarks = @('Once the old code is gone, the PATCH creates a new one (201 Created), and only that answer carries the image, in $code.Image.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'System.Boolean'; Description = '$true for each deleted item when -PassThru is given; otherwise nothing.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'The objects written by the other commands of this module carry an extra UserId property, the user they belong to, so they can be piped into this command.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Delete qrCode (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrcode-delete?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/remove-mgbetauserauthenticationqrcodepinmethodstandardqrcode' }
            @{ Text = 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Uri = '' }
            @{ Text = 'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Uri = '' }
        )
    }

    'Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode' = @{
        Synopsis     = 'Deletes the temporary QR code of a user''s QR code sign-in method.'

        Description  = @(
            'Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode deletes a user''s temporary QR code: DELETE /users/{id}/authentication/qrCodePinMethod/temporaryQRCode on the Microsoft Graph beta endpoint. The user can no longer sign in with it; the method, the PIN and the standard code stay.'
            'Graph answers 204 No Content; the command then writes nothing, or $true with -PassThru. A user without a method or a temporary code gets a non-terminating 404 error in the official shape. Only one temporary code can be active and its expiry cannot be changed, so deleting it is how to end it early or to issue a different one.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same parameter sets (Delete and DeleteViaIdentity), parameters, aliases and ConfirmImpact (Medium).'
            'Run Connect-MgGraph first. The connection needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, acting on another user also needs the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Piped records are sent side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. A delete counts against the tenant''s write quota, and the command slows down as Graph reports that quota filling up. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets; a delete is also sent again after a lost connection or a timeout, and if the first one had already reached Graph, the repeat may be answered 404. After Ctrl+C, Get-MgRsInDoubtRequest lists the users whose delete was sent but not answered.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.RemoveMgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose temporary QR code is deleted, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
            )
            UserId                     = 'The user whose temporary QR code is deleted, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            Confirm                    = 'Asks for confirmation before each delete is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry. Steps are not run under -WhatIf, nor for an item declined at a -Confirm prompt.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            IfMatch                    = 'An entity tag, sent as the If-Match request header. The command passes it on unchanged; Graph does not document ETags for this resource, so whether it is checked is up to Graph.'
            PassThru                   = 'Writes $true for each item that Graph deleted (204 No Content). Without this switch the command writes nothing on success.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
            WhatIf                     = 'Shows the delete that would be sent for each item, and sends nothing. The input is still checked first, so mistakes show up. The message follows the official cmdlet''s wording: the command and parameter set, and the Graph operation.'
        }

        Examples     = @(
            @{
                Title   = 'End a temporary code early'
                Code    = 'Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId adele@contoso.example -PassThru'
                Remarks = @('Writes True once Graph has deleted the code.')
            }
            @{
                Title   = 'Delete the code that a read returned'
                Code    = @'
Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId adele@contoso.example |
    Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -Confirm
'@
                Remarks = @('The object Get writes carries the UserId it belongs to, so it can be piped as the identity record. -Confirm asks before the delete is sent.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'System.Boolean'; Description = '$true for each deleted item when -PassThru is given; otherwise nothing.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -InputObject as a hash table, a PSCustomObject or JSON text with the key below; keys are matched without regard to case.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. It takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'The objects written by the other commands of this module carry an extra UserId property, the user they belong to, so they can be piped into this command.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Delete qrCode (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrcode-delete?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/remove-mgbetauserauthenticationqrcodepinmethodtemporaryqrcode' }
            @{ Text = 'Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Uri = '' }
            @{ Text = 'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Uri = '' }
        )
    }

    'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode' = @{
        Synopsis     = 'Creates a user''s standard QR code, or changes the dates of the active one.'

        Description  = @(
            'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode sends PATCH /users/{id}/authentication/qrCodePinMethod/standardQRCode to the Microsoft Graph beta endpoint and writes the qrCode that Graph returns. When the user has no active standard code, Graph creates one and answers 201 Created with the code''s image; when an active code exists, Graph updates it and answers 200 OK without an image. Graph keeps no copy of the image, so the object written by the creating call is the only chance to get it.'
            'Only StartDateTime and ExpireDateTime can be changed. A standard code lasts at most 395 days from its start, and a new code without an expiry lasts 365 days. The user needs a QR code PIN method already; this family has no command that creates one.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same four parameter sets (UpdateExpanded, Update, UpdateViaIdentityExpanded and UpdateViaIdentity), parameters, aliases and ConfirmImpact (Medium).'
            'Dates are sent in UTC; a [datetime] whose kind is unspecified counts as local time. The module does not check the time limits itself: Graph checks them and answers 400 when one is broken, and the command writes that answer as a non-terminating error.'
            'Run Connect-MgGraph first. The connection needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, acting on another user also needs the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Piped records are sent side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. Each request counts against the tenant''s write quota. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets. After a lost connection or a timeout the PATCH is not sent again: the first one may have created a code, and its image comes only in that lost answer. The error says so; check with the matching Get command and run the command again for that user. After Ctrl+C, Get-MgRsInDoubtRequest lists the users whose request was sent but not answered.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodStandardQrCode_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
            'The image is treated as a secret. Verbose, debug, warning and error output never show its bytes; it appears only in the Image property of the output object.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose standard QR code is created or changed, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
                'When a piped record comes with no -UserId and no other body parameter, it serves as both the identity and the body: its qrCode properties (StartDateTime, ExpireDateTime and the others listed under BODYPARAMETER in the NOTES) form the body and its other columns are not sent. An object written by a Get command of this family carries Id, CreatedDateTime and LastUsedDateTime, which Graph does not let a request change.'
            )
            UserId                     = 'The user whose standard QR code is created or changed, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            AdditionalProperties       = 'Extra properties for the request body, as a hashtable of names and values, added to those the other body parameters set. Entries whose value is $null are skipped; a key that repeats a property set by another parameter is refused before anything is sent.'
            BodyParameter              = @(
                'The whole request body, a qrCode. The official type is IMicrosoftGraphQrCode; here it is a hashtable, a PSCustomObject or JSON text. Keys that name qrCode properties are matched without regard to case, and values of type [datetime] are sent in UTC; any other key, such as "@odata.type", is sent as it is.'
                'With -UserId, the body can come from the pipeline. Its keys are listed under BODYPARAMETER in the NOTES section.'
            )
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            Confirm                    = 'Asks for confirmation before each request is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            CreatedDateTime            = 'When the code was created. Graph sets this itself. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            ExpireDateTime             = 'When the code stops being valid, converted to UTC. Graph allows at most 395 days after the code''s start; without it, a new code expires 365 days after its start. This is the usual value to change on an existing code.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity or body record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry. Steps are not run under -WhatIf, nor for an item declined at a -Confirm prompt. When Graph creates a code, $Response.Body holds its image; the module''s own output never prints it.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            Id                         = 'The identifier of the code. Graph assigns it and treats it as read-only. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            Image                      = 'The image details of the code, as a hashtable or PSCustomObject with BinaryValue, ErrorCorrectionLevel, RawContent and Version (the official type is IMicrosoftGraphQrCodeImageDetails). Graph draws the image itself when it creates a code. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            LastUsedDateTime           = 'When the code was last used to sign in. Graph sets this itself. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
            StartDateTime              = 'When the code starts to be valid, converted to UTC. The expiry must stay within 395 days of it.'
            WhatIf                     = 'Shows the PATCH request that would be sent for each item, and sends nothing. The input is still checked first, so mistakes show up. The message follows the official cmdlet''s wording: the command and parameter set, and the Graph operation.'
        }

        Examples     = @(
            @{
                Title   = 'Extend a user''s standard code by 90 days from today'
                Code    = 'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $u -ExpireDateTime (Get-Date).AddDays(90)'
                Remarks = @('$u holds an object id or user principal name. If the user has an active standard code, Graph updates it and the output''s Image is $null; if not, Graph creates one and the output carries its image.')
            }
            @{
                Title   = 'Create a code and save its image'
                Code    = @'
$code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId adele@contoso.example -StartDateTime (Get-Date) -ExpireDateTime (Get-Date).AddDays(365)
if ($code.Image) { Set-Content -Path .\adele-qr.bin -Value $code.Image.BinaryValue -AsByteStream }
'@
                Remarks = @('The image comes only in the answer that created the code, so keep it at once and store it as carefully as a password. For a user who already had an active code, Image is $null and nothing is saved.')
            }
            @{
                Title   = 'Send the body as a hashtable, and preview a bulk change'
                Code    = @'
$body = @{ "@odata.type" = "#microsoft.graph.qrCode"; expireDateTime = (Get-Date).AddDays(30) }
Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId adele@contoso.example -BodyParameter $body
Import-Csv users.csv | Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -ExpireDateTime (Get-Date).AddDays(90) -WhatIf
'@
                Remarks = @('The first call sends the hashtable as the body, with the date in UTC. The second reads users.csv (a UserId column) and writes one "What if" line per row without sending anything.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCode'; Description = 'A qrCode body for -BodyParameter: a hashtable, a PSCustomObject or JSON text. Together with -UserId, each piped body is one request for that user.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record or the request body, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCode'; Description = 'One qrCode object per successful request, with the type names Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrCode and IMicrosoftGraphQrCode: Id, CreatedDateTime, StartDateTime, ExpireDateTime and LastUsedDateTime ([datetime], UTC), Image, AdditionalProperties and UserId, the user the request was for, which the official type does not have. Image is filled only when the request created the code (201 Created): BinaryValue and RawContent as byte[], ErrorCorrectionLevel and Version. When an existing code was updated (200 OK), Image is $null.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -BodyParameter, -Image and -InputObject as hash tables, PSCustomObjects or JSON text with the keys below; keys are matched without regard to case.'
            'BODYPARAMETER <IMicrosoftGraphQrCode>: the qrCode to send.'
            '  [StartDateTime <DateTime?>]: when the code starts to be valid.'
            '  [ExpireDateTime <DateTime?>]: when the code stops being valid. At most 395 days after the start.'
            '  [CreatedDateTime <DateTime?>], [LastUsedDateTime <DateTime?>], [Id <String>]: set by Graph.'
            '  [Image <IMicrosoftGraphQrCodeImageDetails>]: made by Graph; see IMAGE.'
            '  [(Any) <Object>]: any other key, for example "@odata.type" = "#microsoft.graph.qrCode", is sent unchanged.'
            'IMAGE <IMicrosoftGraphQrCodeImageDetails>: the picture of the code.'
            '  [BinaryValue <Byte[]>]: the image.'
            '  [ErrorCorrectionLevel <String>]: l, m, q or h: how much of the code may be damaged and still be read.'
            '  [RawContent <Byte[]>]: the raw content encoded in the code.'
            '  [Version <Int32?>]: the QR code version, which sets its size.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject, -BodyParameter and -Image are typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. They take a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'Output objects carry an extra UserId property, the user the request was for, so they can be piped into the other commands of the family.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Update qrCode (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrcode-update?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/update-mgbetauserauthenticationqrcodepinmethodstandardqrcode' }
            @{ Text = 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Uri = '' }
            @{ Text = 'Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Uri = '' }
        )
    }

    'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode' = @{
        Synopsis     = 'Creates a temporary QR code for a user, or moves the start of the active one.'

        Description  = @(
            'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode sends PATCH /users/{id}/authentication/qrCodePinMethod/temporaryQRCode to the Microsoft Graph beta endpoint and writes the qrCode that Graph returns. A temporary code is meant for a user who cannot reach their standard code, for example one who left it at home. When no temporary code is active, Graph creates one and answers 201 Created with its image; when one is active, Graph updates it and answers 200 OK without an image.'
            'A temporary code lives 1 to 12 hours from its start, and only one can be active. Its expiry cannot be changed once it exists: to issue a code with another lifetime, delete the active one with Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode first. The user needs a QR code PIN method already.'
            'The command is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Identity.SignIns, with the same four parameter sets (UpdateExpanded, Update, UpdateViaIdentityExpanded and UpdateViaIdentity), parameters, aliases and ConfirmImpact (Medium).'
            'Dates are sent in UTC; a [datetime] whose kind is unspecified counts as local time. The module does not check the time limits itself: Graph checks them and answers 400 when one is broken, and the command writes that answer as a non-terminating error.'
            'Run Connect-MgGraph first. The connection needs UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-QR.ReadWrite.All; with a delegated token, acting on another user also needs the Authentication Administrator or Privileged Authentication Administrator role. The QR code method exists in the global Azure cloud only.'
            'Piped records are sent side by side, up to Set-MgRequestContext -MaxConcurrency at a time, and outputs and errors keep the input order. Each request counts against the tenant''s write quota. Answers 429, 503 and 504 are retried as Set-MgRequestContext sets. After a lost connection or a timeout the PATCH is not sent again: the first one may have created a code, and its image comes only in that lost answer. The error says so; check with the matching Get command and run the command again for that user. After Ctrl+C, Get-MgRsInDoubtRequest lists the users whose request was sent but not answered.'
            'Bad input is refused before anything is sent. Errors from Graph are non-terminating, so a pipeline goes on with the next item, and keep the layout of the official cmdlet: ErrorId is Graph''s error code, FullyQualifiedErrorId is "<code>,Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode_<parameter set>", and ErrorDetails holds the message, the status and the response headers. Without a connection, or with an expired token that cannot be renewed, the command stops with a terminating error.'
            'The image is treated as a secret. Verbose, debug, warning and error output never show its bytes; it appears only in the Image property of the output object.'
        )

        Parameters   = @{
            InputObject                = @(
                'The user whose temporary QR code is created or changed, given as an identity record instead of -UserId. The official type is IIdentitySignInsIdentity; here the parameter takes a hashtable or PSCustomObject with a UserId key or property (an Import-Csv row, for example), JSON text of such an object, or an object written by any command of this family, since those carry the UserId they belong to. Only UserId is read, in any letter case, and it holds an object id or a user principal name.'
                'Records are usually piped, and each one becomes one request. A record whose UserId is missing or $null stops the command with the error "InputObject has null value for InputObject.UserId", as in the official module.'
                'When a piped record comes with no -UserId and no other body parameter, it serves as both the identity and the body: its qrCode properties (StartDateTime, ExpireDateTime and the others listed under BODYPARAMETER in the NOTES) form the body and its other columns are not sent. An object written by a Get command of this family carries Id, CreatedDateTime and LastUsedDateTime, which Graph does not let a request change.'
            )
            UserId                     = 'The user whose temporary QR code is created or changed, as an object id or a user principal name. An empty or blank value, or one that holds control characters, is refused before anything is sent; the value is escaped before it goes into the request URL.'
            AdditionalProperties       = 'Extra properties for the request body, as a hashtable of names and values, added to those the other body parameters set. Entries whose value is $null are skipped; a key that repeats a property set by another parameter is refused before anything is sent.'
            BodyParameter              = @(
                'The whole request body, a qrCode. The official type is IMicrosoftGraphQrCode; here it is a hashtable, a PSCustomObject or JSON text. Keys that name qrCode properties are matched without regard to case, and values of type [datetime] are sent in UTC; any other key, such as "@odata.type", is sent as it is.'
                'With -UserId, the body can come from the pipeline. Its keys are listed under BODYPARAMETER in the NOTES section.'
            )
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on. Ctrl+C gives up the wait, and then nothing is sent.'
            Confirm                    = 'Asks for confirmation before each request is sent. The command''s ConfirmImpact is Medium, so without this switch it asks only when $ConfirmPreference is Medium or Low.'
            CreatedDateTime            = 'When the code was created. Graph sets this itself. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            ExpireDateTime             = 'When the code stops being valid, converted to UTC: 1 to 12 hours after its start. It can be chosen only when the code is created; for an active code Graph refuses a different expiry.'
            Headers                    = @(
                'Extra HTTP headers for the request, as a dictionary of names and values; an array value sends the header once per element. A header given here replaces the module''s own header of that name, such as client-request-id or User-Agent. Headers the module owns are refused with an InvalidHeader error before anything is sent: Authorization, Content-Type, Content-Length, Host, Proxy-Authorization, Transfer-Encoding and the hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Expect).'
                'As in the official module the parameter takes pipeline input, but a dictionary that comes through the pipeline is always read as the identity or body record, never as headers. Give headers on the command line.'
            )
            HttpPipelineAppend         = @(
                'Script blocks that may inspect or change each request after the module has added User-Agent, Accept and client-request-id, and that see Graph''s answer first. They stand in for the official runtime''s SendAsyncStep delegates. Each step is called on the pipeline thread as & $step $Request $null just before sending and as & $step $Request $Response when Graph has answered; what a step writes to the output is discarded.'
                '$Request has Method, Uri (absolute), Headers and Body (JSON text), all of which a step may change; $Response has StatusCode, ReasonPhrase, Headers and Body, and changing it has no effect. Authorization is never visible. Before sending, the module checks what the steps left: the address must stay on the connected Graph endpoint and the body must be JSON or empty, or the item fails with InvalidHttpPipelineRequest and nothing is sent. A step that throws gives the item an HttpPipelineStepFailed error. Steps run once per item, not once per retry. Steps are not run under -WhatIf, nor for an item declined at a -Confirm prompt. When Graph creates a code, $Response.Body holds its image; the module''s own output never prints it.'
            )
            HttpPipelinePrepend        = @(
                'Script blocks that may inspect or change each request before the module adds its own headers, and that see Graph''s answer last. The official module takes SendAsyncStep delegates here, a type of its .NET runtime that cannot exist in this module, so script blocks take their place.'
                'Each step is called on the pipeline thread, once per item: & $step $Request $null before sending and & $step $Request $Response after the answer. A header a prepend step sets is kept, because the module adds only headers the request does not have yet. The objects, the checks made before sending and the order of steps are described under -HttpPipelineAppend, and in full in Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            )
            Id                         = 'The identifier of the code. Graph assigns it and treats it as read-only. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            Image                      = 'The image details of the code, as a hashtable or PSCustomObject with BinaryValue, ErrorCorrectionLevel, RawContent and Version (the official type is IMicrosoftGraphQrCodeImageDetails). Graph draws the image itself when it creates a code. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            LastUsedDateTime           = 'When the code was last used to sign in. Graph sets this itself. Graph documents only StartDateTime and ExpireDateTime as changeable, so it may refuse a request that sets this; the parameter exists because the official cmdlet has it.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port, such as http://proxy.contoso.com:8080, without a path or a user name and password (those are refused with InvalidProxy before anything is sent). An https:// Graph endpoint is reached through a CONNECT tunnel, so the proxy never sees the token in clear text. The official module accepts this parameter but does not use it; this module does. Without -Proxy, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent to it as Basic authentication. Without -Proxy the command stops with a ProxyCredentialWithoutProxy error, because credentials are never sent to a proxy taken from the environment. When the proxy refuses the account (407), the request fails with an error naming the proxy and the user name, never the password.'
            ProxyUseDefaultCredentials = 'In the official module, signs in to the proxy as the current Windows user. That needs NTLM or Negotiate, which this module does not implement, so the command stops with a NotImplemented error (ProxyDefaultCredentialsNotSupported) and sends nothing. Use -ProxyCredential instead.'
            ResponseHeadersVariable    = 'The name of a variable for the response headers. After each successful request the command sets a global variable of this name to a case-insensitive dictionary from header name to values (string[]). The alias is RHV. A name that cannot be set (read-only, constant, typed or validated against a dictionary, or holding wildcard characters) stops the command with an InvalidResponseHeadersVariable error before anything is sent.'
            StartDateTime              = 'When the code starts to be valid, converted to UTC. The expiry must stay 1 to 12 hours after it.'
            WhatIf                     = 'Shows the PATCH request that would be sent for each item, and sends nothing. The input is still checked first, so mistakes show up. The message follows the official cmdlet''s wording: the command and parameter set, and the Graph operation.'
        }

        Examples     = @(
            @{
                Title   = 'Give a user a temporary code for the rest of the shift'
                Code    = @'
$temporary = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId adele@contoso.example -ExpireDateTime (Get-Date).AddHours(8)
if ($temporary.Image) { Set-Content -Path .\adele-temporary-qr.bin -Value $temporary.Image.BinaryValue -AsByteStream }
'@
                Remarks = @('Works when the user has no active temporary code: Graph creates one (201 Created) and the output carries its image, saved here. With a code already active, Graph refuses the new expiry.')
            }
            @{
                Title   = 'Replace an active temporary code'
                Code    = @'
Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId adele@contoso.example -ErrorAction SilentlyContinue
$temporary = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId adele@contoso.example -ExpireDateTime (Get-Date).AddHours(10)
'@
                Remarks = @('Deletes the active code (the 404 of a user who has none is ignored), then creates a new one that lasts 10 hours.')
            }
            @{
                Title   = 'Preview temporary codes for a list of users'
                Code    = 'Import-Csv users.csv | Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -ExpireDateTime (Get-Date).AddHours(4) -WhatIf'
                Remarks = @('users.csv has a UserId column. One "What if" line is written per row and nothing is sent.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'; Description = 'An identity record for -InputObject. This module accepts any record with a UserId: a hashtable, a PSCustomObject such as an Import-Csv row, JSON text, or an object written by a command of this family.' }
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCode'; Description = 'A qrCode body for -BodyParameter: a hashtable, a PSCustomObject or JSON text. Together with -UserId, each piped body is one request for that user.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A piped dictionary, such as a hashtable. Although -Headers accepts pipeline input, a piped dictionary is read as the identity record or the request body, never as headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCode'; Description = 'One qrCode object per successful request, with the type names Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrCode and IMicrosoftGraphQrCode: Id, CreatedDateTime, StartDateTime, ExpireDateTime and LastUsedDateTime ([datetime], UTC), Image, AdditionalProperties and UserId, the user the request was for, which the official type does not have. Image is filled only when the request created the code (201 Created): BinaryValue and RawContent as byte[], ErrorCorrectionLevel and Version. When an existing code was updated (200 OK), Image is $null.' }
        )

        Notes        = @(
            'COMPLEX PARAMETER PROPERTIES'
            'Build -BodyParameter, -Image and -InputObject as hash tables, PSCustomObjects or JSON text with the keys below; keys are matched without regard to case.'
            'BODYPARAMETER <IMicrosoftGraphQrCode>: the qrCode to send.'
            '  [StartDateTime <DateTime?>]: when the code starts to be valid.'
            '  [ExpireDateTime <DateTime?>]: when the code stops being valid. 1 to 12 hours after the start; fixed once the code exists.'
            '  [CreatedDateTime <DateTime?>], [LastUsedDateTime <DateTime?>], [Id <String>]: set by Graph.'
            '  [Image <IMicrosoftGraphQrCodeImageDetails>]: made by Graph; see IMAGE.'
            '  [(Any) <Object>]: any other key, for example "@odata.type" = "#microsoft.graph.qrCode", is sent unchanged.'
            'IMAGE <IMicrosoftGraphQrCodeImageDetails>: the picture of the code.'
            '  [BinaryValue <Byte[]>]: the image.'
            '  [ErrorCorrectionLevel <String>]: l, m, q or h: how much of the code may be damaged and still be read.'
            '  [RawContent <Byte[]>]: the raw content encoded in the code.'
            '  [Version <Int32?>]: the QR code version, which sets its size.'
            'INPUTOBJECT <IIdentitySignInsIdentity>: the record that names the user.'
            '  [UserId <String>]: the object id or user principal name of the user. Required by this command.'
            '  The official identity type has many other keys (GroupId, OrganizationId and so on) that other cmdlets use; this command ignores them.'
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject, -BodyParameter and -Image are typed [object], because the official model interfaces are .NET types of the Graph SDK, which this module does not load. They take a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            '-Proxy and -ProxyCredential are honoured; -ProxyUseDefaultCredentials is refused with a clear error.'
            'A dictionary that arrives through the pipeline is never used as -Headers.'
            'Piped items run side by side (Set-MgRequestContext -MaxConcurrency, 8 by default; 1 sends them one at a time as the official module does).'
            'Output objects carry an extra UserId property, the user the request was for, so they can be piped into the other commands of the family.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: Update qrCode (beta)'; Uri = 'https://learn.microsoft.com/graph/api/qrcode-update?view=graph-rest-beta' }
            @{ Text = 'Official cmdlet: Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode (Microsoft.Graph.Beta.Identity.SignIns)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.identity.signins/update-mgbetauserauthenticationqrcodepinmethodtemporaryqrcode' }
            @{ Text = 'Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Uri = '' }
            @{ Text = 'Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Uri = '' }
        )
    }

    'Get-MgUser' = @{
        Synopsis     = 'Lists the users of the tenant, or reads one user.'

        Description  = @(
            'Get-MgUser reads users from the Microsoft Graph v1.0 endpoint: GET /users (the List set, the default) or GET /users/{id or userPrincipalName} (Get and GetViaIdentity). It is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Users, with the same parameter sets, parameters and aliases, so the lookup that comes before a PIN reset runs on this module alone.'
            'A list answers one page at a time. Without -All or -Top only the first page comes back (100 users, or -PageSize). -Top is a total across pages; -All follows every page. Pages are read one after the other and each page''s users are written before the next page is asked for, so a pipeline starts working on the first users while the rest are still being read. Reads use their own throttling lane and never spend the tenant''s write quota.'
            'The output objects pipe into the QR code PIN family: a user object names its user by Id (and UserPrincipalName), which the family''s -InputObject reads when there is no UserId.'
            'Run Connect-MgGraph first. Listing users needs User.ReadBasic.All, User.Read.All or Directory.Read.All (or a ReadWrite permission). Advanced queries ($search, some $filter forms, $count) need -ConsistencyLevel eventual, as Graph requires; without it Graph answers 400 and the command writes that error.'
        )

        Parameters   = @{
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on.'
            All                        = 'Follows @odata.nextLink until every matching user has been written. Ignored when -Top is given, as in the official cmdlet (-Top is then the limit).'
            ConsistencyLevel           = 'Sent as the ConsistencyLevel header. Use eventual for $search, for $count and for the $filter forms Graph calls advanced queries (endsWith, ne, not, and others).'
            CountVariable              = 'The name of a variable for the number of matching users that Graph reports (@odata.count); asks Graph for it with $count=true. The variable is global unless the name gives a scope, as in the official cmdlet. Needs -ConsistencyLevel eventual. The alias is CV.'
            ExpandProperty             = 'Related entities to return with each user, sent as $expand. The alias is Expand.'
            Filter                     = 'An OData filter, sent as $filter, such as "startsWith(displayName,''a'')" or "accountEnabled eq true".'
            Headers                    = 'Extra HTTP headers for the request, as a dictionary of names and values. Headers the module owns (Authorization, Content-Type, Host and the hop-by-hop headers) are refused before anything is sent.'
            HttpPipelineAppend         = 'Script blocks that may inspect or change each request after the module has added its headers, and that see the answer first; they stand in for the official SendAsyncStep delegates. See Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            HttpPipelinePrepend        = 'Script blocks that may inspect or change each request before the module adds its headers, and that see the answer last. See Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelinePrepend.'
            InputObject                = 'The user to read, as an identity record instead of -UserId: a hashtable or PSCustomObject with UserId (or UserPrincipalName, or Id), JSON text of such an object, or an object written by this module.'
            PageSize                   = 'How many users each page holds, 1 to 999 (Graph''s default is 100). Sent as $top.'
            Property                   = 'The properties to return, sent as $select; several names are joined with commas. Properties not selected stay $null. The alias is Select.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port. Without it, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent as Basic authentication; never sent to a proxy taken from the environment.'
            ProxyUseDefaultCredentials = 'Not implemented (NTLM/Negotiate proxy sign-in): the command stops with a NotImplemented error and sends nothing. Use -ProxyCredential.'
            ResponseHeadersVariable    = 'The name of a global variable set to the response headers of each successful request, as a case-insensitive dictionary of string[]. The alias is RHV.'
            Search                     = 'A $search expression such as "displayName:conf". Double quotes are added when the value does not start with one, as Graph requires. Needs -ConsistencyLevel eventual.'
            Sort                       = 'The properties to sort by, sent as $orderby, such as displayName or "userPrincipalName desc". The alias is OrderBy.'
            Top                        = 'The most users to return in all, across pages; the last page asks only for what is still wanted. The alias is Limit.'
            UserId                     = 'The user to read, as an object id or a user principal name.'
        }

        Examples     = @(
            @{
                Title   = 'Reset the PIN of every user of a department'
                Code    = @'
Get-MgUser -Filter "department eq 'Retail'" -ConsistencyLevel eventual -All |
    Update-MgBetaUserAuthenticationQrCodePinMethodPin
'@
                Remarks = @('Each user object binds as the identity of the reset. The first resets start while later pages are still being read.')
            }
            @{
                Title   = 'Count the users whose display name starts with A'
                Code    = 'Get-MgUser -Filter "startsWith(displayName,''A'')" -ConsistencyLevel eventual -CountVariable total -Top 1; $total'
                Remarks = @('$total holds the number Graph reports for the whole filter, not only the one user written.')
            }
            @{
                Title   = 'Read one user with chosen properties'
                Code    = 'Get-MgUser -UserId adele@contoso.example -Property id, displayName, department'
                Remarks = @('Properties not selected are $null.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.PowerShell.Models.IUsersIdentity'; Description = 'An identity record for -InputObject: any record with UserId, UserPrincipalName or Id.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A dictionary piped into -Headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.PowerShell.Models.IMicrosoftGraphUser'; Description = 'One user object per user, with the official type names (Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser and IMicrosoftGraphUser). Common properties are typed (Id, DisplayName, UserPrincipalName, Mail, GivenName, Surname, AccountEnabled, Department, JobTitle, UserType, CreatedDateTime as [datetime] UTC, BusinessPhones and others); the rest of the answer is in AdditionalProperties.' }
        )

        Notes        = @(
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object]: it takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            'Properties the official model types but this module does not are in AdditionalProperties, under their Graph names.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: List users'; Uri = 'https://learn.microsoft.com/graph/api/user-list' }
            @{ Text = 'Official cmdlet: Get-MgUser (Microsoft.Graph.Users)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.users/get-mguser' }
        )
    }

    'Get-MgBetaUser' = @{
        Synopsis     = 'Lists the users of the tenant, or reads one user.'

        Description  = @(
            'Get-MgBetaUser reads users from the Microsoft Graph beta endpoint: GET /users (the List set, the default) or GET /users/{id or userPrincipalName} (Get and GetViaIdentity). It is a drop-in replacement for the cmdlet of the same name in Microsoft.Graph.Beta.Users, with the same parameter sets, parameters and aliases, so the lookup that comes before a PIN reset runs on this module alone.'
            'A list answers one page at a time. Without -All or -Top only the first page comes back (100 users, or -PageSize). -Top is a total across pages; -All follows every page. Pages are read one after the other and each page''s users are written before the next page is asked for, so a pipeline starts working on the first users while the rest are still being read. Reads use their own throttling lane and never spend the tenant''s write quota.'
            'The output objects pipe into the QR code PIN family: a user object names its user by Id (and UserPrincipalName), which the family''s -InputObject reads when there is no UserId.'
            'Run Connect-MgGraph first. Listing users needs User.ReadBasic.All, User.Read.All or Directory.Read.All (or a ReadWrite permission). Advanced queries ($search, some $filter forms, $count) need -ConsistencyLevel eventual, as Graph requires; without it Graph answers 400 and the command writes that error.'
        )

        Parameters   = @{
            Break                      = 'Before anything is sent, writes the id of the PowerShell process to the host and waits for a .NET debugger to attach; then the command goes on.'
            All                        = 'Follows @odata.nextLink until every matching user has been written. Ignored when -Top is given, as in the official cmdlet (-Top is then the limit).'
            ConsistencyLevel           = 'Sent as the ConsistencyLevel header. Use eventual for $search, for $count and for the $filter forms Graph calls advanced queries (endsWith, ne, not, and others).'
            CountVariable              = 'The name of a variable for the number of matching users that Graph reports (@odata.count); asks Graph for it with $count=true. The variable is global unless the name gives a scope, as in the official cmdlet. Needs -ConsistencyLevel eventual. The alias is CV.'
            ExpandProperty             = 'Related entities to return with each user, sent as $expand. The alias is Expand.'
            Filter                     = 'An OData filter, sent as $filter, such as "startsWith(displayName,''a'')" or "accountEnabled eq true".'
            Headers                    = 'Extra HTTP headers for the request, as a dictionary of names and values. Headers the module owns (Authorization, Content-Type, Host and the hop-by-hop headers) are refused before anything is sent.'
            HttpPipelineAppend         = 'Script blocks that may inspect or change each request after the module has added its headers, and that see the answer first; they stand in for the official SendAsyncStep delegates. See Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelineAppend.'
            HttpPipelinePrepend        = 'Script blocks that may inspect or change each request before the module adds its headers, and that see the answer last. See Get-Help Update-MgBetaUserAuthenticationQrCodePinMethodPin -Parameter HttpPipelinePrepend.'
            InputObject                = 'The user to read, as an identity record instead of -UserId: a hashtable or PSCustomObject with UserId (or UserPrincipalName, or Id), JSON text of such an object, or an object written by this module.'
            PageSize                   = 'How many users each page holds, 1 to 999 (Graph''s default is 100). Sent as $top.'
            Property                   = 'The properties to return, sent as $select; several names are joined with commas. Properties not selected stay $null. The alias is Select.'
            Proxy                      = 'The proxy to send requests through: an http:// or https:// address with host and port. Without it, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY environment variables apply.'
            ProxyCredential            = 'The account for the proxy named by -Proxy, sent as Basic authentication; never sent to a proxy taken from the environment.'
            ProxyUseDefaultCredentials = 'Not implemented (NTLM/Negotiate proxy sign-in): the command stops with a NotImplemented error and sends nothing. Use -ProxyCredential.'
            ResponseHeadersVariable    = 'The name of a global variable set to the response headers of each successful request, as a case-insensitive dictionary of string[]. The alias is RHV.'
            Search                     = 'A $search expression such as "displayName:conf". Double quotes are added when the value does not start with one, as Graph requires. Needs -ConsistencyLevel eventual.'
            Sort                       = 'The properties to sort by, sent as $orderby, such as displayName or "userPrincipalName desc". The alias is OrderBy.'
            Top                        = 'The most users to return in all, across pages; the last page asks only for what is still wanted. The alias is Limit.'
            UserId                     = 'The user to read, as an object id or a user principal name.'
        }

        Examples     = @(
            @{
                Title   = 'Reset the PIN of every user of a department'
                Code    = @'
Get-MgBetaUser -Filter "department eq 'Retail'" -ConsistencyLevel eventual -All |
    Update-MgBetaUserAuthenticationQrCodePinMethodPin
'@
                Remarks = @('Each user object binds as the identity of the reset. The first resets start while later pages are still being read.')
            }
            @{
                Title   = 'Count the users whose display name starts with A'
                Code    = 'Get-MgBetaUser -Filter "startsWith(displayName,''A'')" -ConsistencyLevel eventual -CountVariable total -Top 1; $total'
                Remarks = @('$total holds the number Graph reports for the whole filter, not only the one user written.')
            }
            @{
                Title   = 'Read one user with chosen properties'
                Code    = 'Get-MgBetaUser -UserId adele@contoso.example -Property id, displayName, department'
                Remarks = @('Properties not selected are $null.')
            }
        )

        Inputs       = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IUsersIdentity'; Description = 'An identity record for -InputObject: any record with UserId, UserPrincipalName or Id.' }
            @{ Type = 'System.Collections.IDictionary'; Description = 'A dictionary piped into -Headers.' }
        )
        Outputs      = @(
            @{ Type = 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphUser'; Description = 'One user object per user, with the official type names (Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphUser and IMicrosoftGraphUser). Common properties are typed (Id, DisplayName, UserPrincipalName, Mail, GivenName, Surname, AccountEnabled, Department, JobTitle, UserType, CreatedDateTime as [datetime] UTC, BusinessPhones and others); the rest of the answer is in AdditionalProperties.' }
        )

        Notes        = @(
            'DIFFERENCES FROM THE OFFICIAL MODULE'
            '-InputObject is typed [object]: it takes a hashtable, a PSCustomObject, JSON text or an object written by this module.'
            '-HttpPipelinePrepend and -HttpPipelineAppend take script blocks instead of SendAsyncStep delegates.'
            'Properties the official model types but this module does not are in AdditionalProperties, under their Graph names.'
        )

        RelatedLinks = @(
            @{ Text = 'Graph API: List users'; Uri = 'https://learn.microsoft.com/graph/api/user-list' }
            @{ Text = 'Official cmdlet: Get-MgBetaUser (Microsoft.Graph.Beta.Users)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.beta.users/get-mgbetauser' }
        )
    }

    'Connect-MgGraph'                                   = @{
        Synopsis     = 'Signs in to Microsoft Graph with any of the official sign-in flows, or takes an access token you supply.'

        Description  = @(
            'Connect-MgGraph establishes the connection that the module''s Graph commands use. It has the parameter sets of the official command: interactive user sign-in in the system browser (the default), device code sign-in (-UseDeviceCode), app-only sign-in with a certificate or a client secret, managed identity (-Identity), the AZURE_* environment variables (-EnvironmentVariable), and an access token you got elsewhere (-AccessToken).'
            'Tokens are requested from the Microsoft identity platform (v2.0 endpoints) of the chosen environment and kept by the native library only. They are renewed before they expire, and once more when Microsoft Graph rejects one (401): a refresh token renews a user sign-in, and the certificate, secret or managed identity renews an app-only one. Get-MgContext shows the connection, never a token or secret. A token you supply yourself cannot be renewed: when it expires, commands stop and ask you to connect again.'
            'Interactive sign-in opens your browser on the sign-in page and waits for the redirect on a loopback address (http://localhost with a free port), using the authorization code flow with PKCE. When no browser can be started, the address is printed so you can open it yourself. Device code sign-in prints a code and an address; both are written to the host, so they appear even when you assign the command''s result to a variable.'
            'For certificate sign-in the certificate is found by thumbprint or subject name in the CurrentUser and LocalMachine personal stores, passed as an X509Certificate2 object, or, beyond the official command, read from a PFX/PKCS#12 or PEM file with -CertificatePath. The module signs a client assertion (RS256, with the certificate''s x5t) in process; the private key is never written out or printed.'
            'With -ContextScope CurrentUser (the default for user sign-in) the refresh token and the connection details are saved in a file only you can read (mode 0600 in a 0700 folder: MICROSOFT_GRAPH_RS_CONTEXT_DIR, else $XDG_CONFIG_HOME/Microsoft.Graph.Rs or ~/.config/Microsoft.Graph.Rs), so a later Connect-MgGraph with the same application, tenant and environment signs in without asking. App-only and managed identity sign-ins save nothing. Where the file cannot be restricted to you (Windows), CurrentUser is refused when asked for and user sign-ins stay in the process.'
            'A failed sign-in is a terminating error that names the cause (for example a wrong client secret, an unknown tenant, or a declined or expired device code) and leaves any previous connection in place. After connecting, a one-line welcome message is written to the host unless you add -NoWelcome.'
        )

        Parameters   = @{
            Scopes                 = 'The delegated permissions to ask for in a user sign-in, for example UserAuthenticationMethod.ReadWrite.All. An entry may hold several scopes separated by commas. Without scopes, the permissions already granted to the application are requested (the .default scope).'
            ClientId               = 'The application (client) id. For a user sign-in it is optional and defaults to the Microsoft Graph Command Line Tools application; for certificate sign-in it is required; with -Identity it names a user-assigned managed identity. The aliases are AppId and ApplicationId.'
            CertificateSubjectName = 'The subject of a certificate in the CurrentUser or LocalMachine personal store, for example CN=contoso-app or just contoso-app. When several match, a currently valid one with a private key is preferred, then the one that expires last. The aliases are CertificateSubject and CertificateName.'
            CertificateThumbprint  = 'The SHA-1 thumbprint (40 hexadecimal characters) of a certificate in the CurrentUser or LocalMachine personal store. Spaces and colons are ignored.'
            SendCertificateChain   = 'When $true, the certificate itself is sent in the client assertion (the x5c header) as subject name and issuer authentication requires.'
            Certificate            = 'A certificate object with its private key, for example from Get-PfxCertificate or Get-Item Cert:\CurrentUser\My\<thumbprint>. The key must be an exportable RSA key of 2048 bits or more.'
            CertificatePath        = 'Beyond the official command: the path of a PFX/PKCS#12 file, or of a PEM file holding the certificate and its private key. Use -CertificatePassword when the file is protected.'
            CertificatePassword    = 'The password of the file given with -CertificatePath, as a SecureString.'
            ClientSecretCredential = 'A PSCredential whose user name is the application (client) id and whose password is a client secret of that application. Use it with -TenantId. The aliases are SecretCredential and Credential.'
            AccessToken            = 'An access token for Microsoft Graph that you got yourself, as a SecureString or, beyond the official command, as a plain string. It is used as is and cannot be renewed; an expired token is refused.'
            TenantId               = 'The tenant to sign in to: its id or a domain name such as contoso.onmicrosoft.com. Required for app-only sign-in. For a user sign-in it defaults to common (the user''s own tenant); organizations is accepted too. The aliases are Audience and Tenant.'
            ContextScope           = 'Process keeps the connection in this PowerShell process only. CurrentUser also saves a user sign-in for later sessions of your account (see the description); it is the default for user sign-in. App-only and managed identity sign-ins are never saved.'
            Environment            = 'The cloud to connect to: Global (the default), USGov, USGovDoD, China, or a name added with Add-MgEnvironment. Sign-in goes to its AzureADEndpoint and requests to its GraphEndpoint. The name is matched without regard to case. The aliases are EnvironmentName and NationalCloud.'
            UseDeviceCode          = 'Signs in with a device code instead of the browser: the command prints an address and a code to enter there from any device, and waits until the sign-in completes, is declined or the code expires. Press Ctrl+C to stop waiting. The aliases are UseDeviceAuthentication, DeviceCode, DeviceAuth and Device.'
            ClientTimeout          = 'The time limit, in seconds, of each HTTP request to the sign-in service and to Microsoft Graph, connecting included for Graph requests. The default is 300 seconds. Get-MgContext shows it as a TimeSpan.'
            Identity               = 'Signs in with the managed identity of the Azure resource the command runs on: IDENTITY_ENDPOINT with IDENTITY_HEADER when set, else MSI_ENDPOINT (with MSI_SECRET), else the instance metadata endpoint. Add -ClientId for a user-assigned identity. The aliases are ManagedIdentity, ManagedServiceIdentity and MSI.'
            EnvironmentVariable    = 'Signs in with the AZURE_TENANT_ID and AZURE_CLIENT_ID environment variables and either AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (a PFX or PEM file, with AZURE_CLIENT_CERTIFICATE_PASSWORD when it has one).'
            NoWelcome              = 'Leaves out the welcome message that is otherwise written after a successful connection.'
            Break                  = 'Present for compatibility with the official command, which waits for a .NET debugger. This module has nothing to attach to, so the parameter stops the command with an error.'
        }

        Examples     = @(
            @{
                Title   = 'Sign in as a user in the browser'
                Code    = 'Connect-MgGraph -Scopes UserAuthenticationMethod.ReadWrite.All'
                Remarks = @('Opens the sign-in page in your browser. The session is saved for your account (ContextScope CurrentUser), so the next Connect-MgGraph with the same scopes does not ask again.')
            }
            @{
                Title   = 'Sign in with a device code'
                Code    = '$context = Connect-MgGraph -Scopes UserAuthenticationMethod.ReadWrite.All -UseDeviceCode -TenantId contoso.onmicrosoft.com'
                Remarks = @('The address and code are printed even though the result is assigned. Enter the code on any device; the command returns once the sign-in is complete.')
            }
            @{
                Title   = 'Sign in as an application with a certificate'
                Code    = @'
Connect-MgGraph -ClientId $appId -TenantId $tenantId -CertificateThumbprint 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678'
Connect-MgGraph -ClientId $appId -TenantId $tenantId -CertificatePath ./app.pfx -CertificatePassword (Read-Host -AsSecureString)
'@
                Remarks = @('The first line finds the certificate in the CurrentUser or LocalMachine store; the second reads a PFX file.')
            }
            @{
                Title   = 'Sign in as an application with a client secret'
                Code    = @'
$credential = Get-Credential -UserName $appId -Message 'Client secret'
Connect-MgGraph -TenantId $tenantId -ClientSecretCredential $credential -NoWelcome
'@
                Remarks = @('The user name of the credential is the application id, its password the client secret.')
            }
            @{
                Title   = 'Sign in with a managed identity or with environment variables'
                Code    = @'
Connect-MgGraph -Identity                       # system-assigned
Connect-MgGraph -Identity -ClientId $identityId # user-assigned
Connect-MgGraph -EnvironmentVariable            # AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET
'@
                Remarks = @('Typical for automation: no secret appears in the script.')
            }
            @{
                Title   = 'Use a token you already have'
                Code    = @'
$token = az account get-access-token --resource-type ms-graph --query accessToken --output tsv
Connect-MgGraph -AccessToken $token -Environment Global
'@
                Remarks = @('A plain string is accepted as well as a SecureString. The token is not renewed: connect again when it expires.')
            }
        )

        Inputs       = @(@{ Type = 'None'; Description = 'This command does not take pipeline input.' })
        Outputs      = @(@{ Type = 'None'; Description = 'This command writes no objects. The welcome message, the device code and the sign-in address go to the host.' })

        Notes        = @(
            'Differences from the official command: -AccessToken also takes a plain string; -CertificatePath and -CertificatePassword read a certificate file; certificates are looked up in the LocalMachine store too; the device code is printed to the host even when the result is assigned; -Break is refused. Interactive sign-in needs a browser on the same computer, since the redirect comes to a loopback address.'
            'Set MICROSOFT_GRAPH_RS_BROWSER=none to have interactive sign-in print the address instead of starting a browser (headless machines), or to the path of a program to start with the address instead of the system browser (tests use this).'
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
            'Disconnect-MgGraph ends the connection made by Connect-MgGraph. The native library erases the access token and whatever renews it (refresh token, client secret, private key) from memory, and deletes the session saved by -ContextScope CurrentUser, even when this process itself has no connection. Graph commands fail until you connect again.'
            'The command writes the context of the connection it closed. When there is neither a connection nor a saved session, it writes a non-terminating NotConnected error instead. Disconnect-Graph is an alias of this command.'
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
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.IAuthContext'; Description = 'The context of the connection that was closed, with the same properties as the output of Get-MgContext.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Disconnect-MgGraph (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/disconnect-mggraph' }
            @{ Text = 'Connect-MgGraph'; Uri = '' }
        )
    }

    'Get-MgContext'                                     = @{
        Synopsis     = 'Gets the details of the current Microsoft Graph connection.'

        Description  = @(
            'Get-MgContext describes the connection made by Connect-MgGraph with the properties ClientId, TenantId, Scopes, AuthType, TokenCredentialType, CertificateThumbprint, Account, AppName, ContextScope, Environment and ClientTimeout. The values come from the claims of the access token when it is a JWT: Scopes lists its delegated scopes, or its app roles for an app-only token.'
            'AuthType is Delegated, AppOnly, ManagedIdentity or UserProvidedAccessToken; TokenCredentialType names the sign-in (InteractiveBrowser, DeviceCode, ClientCertificate, ClientSecret, ManagedIdentity, EnvironmentVariable or UserProvidedAccessToken); CertificateThumbprint is set for certificate sign-in; ClientTimeout is the -ClientTimeout of Connect-MgGraph (five minutes by default). Tokens, secrets and keys are never part of the output. When there is no connection, the command writes nothing.'
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
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.IAuthContext'; Description = 'The details of the current connection; nothing when there is none.' })

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
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.Models.GraphEnvironment'; Description = 'The environment that was removed, as Get-MgEnvironment showed it.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Remove-MgEnvironment (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/remove-mgenvironment' }
            @{ Text = 'Add-MgEnvironment'; Uri = '' }
            @{ Text = 'Get-MgEnvironment'; Uri = '' }
        )
    }

    'Set-MgRequestContext'                              = @{
        Synopsis     = 'Sets how requests to Microsoft Graph are retried, timed out and run side by side.'

        Description  = @(
            'Set-MgRequestContext changes the request settings of the current PowerShell process and writes the resulting settings. Every runspace of the process shares them, including ForEach-Object -Parallel and Start-ThreadJob. Parameters left out keep their values; a value out of range stops the command with an InvalidArgument error that names the parameter, and then nothing is changed.'
            'Answers 429 (Too Many Requests), 503 (Service Unavailable) and 504 (Gateway Timeout) are retried up to MaxRetry times. Each retry waits as long as the Retry-After header of the answer asks (seconds or an HTTP date), or else RetryDelay seconds doubled on every retry (3, 6 and 12 seconds by default), and carries a Retry-Attempt header with its number. A Retry-After holds every request of the process to the same tenant, not only the one that got it. When retries run out, the error says "Too many retries performed" and keeps the status, the Graph error code and the Retry-After of the last answer.'
            'MaxConcurrency is not part of the official command: it is the number of requests one pipeline of Update-MgBetaUserAuthenticationQrCodePinMethodPin keeps in flight. Results still come out in input order.'
        )

        Parameters   = @{
            ClientTimeout    = 'How many seconds one HTTP request may take before it fails with a timeout, from 1 to 86400. The default is 300 (five minutes). This is the same setting as the -ClientTimeout of Connect-MgGraph: the last one set applies to the connection.'
            MaxConcurrency   = 'How many requests one pipeline of Update-MgBetaUserAuthenticationQrCodePinMethodPin keeps in flight at a time, from 1 to 64. The default is 8. With 1, items are sent one after another as by the official module. Outputs and errors come out in input order whatever the value. This parameter is an addition of Microsoft.Graph.Rs.'
            MaxRetry         = 'How many times a request answered 429, 503 or 504 is sent again, from 0 to 10. The default is 3. With 0, such an answer becomes an error at once.'
            RetriesTimeLimit = 'The most time in seconds that retrying one request may take, from 0 to 86400. A retry whose wait would go past it is not made and the last answer becomes the error. The default, 0, sets no limit.'
            RetryDelay       = 'The wait in seconds before the first retry when the answer has no Retry-After header, from 0 to 180; it doubles on every further retry. The default is 3 (3, 6 and 12 seconds).'
            WhatIf           = 'Shows the settings that would change, and changes nothing.'
            Confirm          = 'Asks for confirmation before the settings change.'
        }

        Examples     = @(
            @{
                Title   = 'Give up sooner on a throttled or failing request'
                Code    = 'Set-MgRequestContext -MaxRetry 1 -RetryDelay 1'
                Remarks = @('Retries an answer 429, 503 or 504 once, after a second unless Graph asks for another wait.')
            }
            @{
                Title   = 'Reset a department''s PINs with more requests in flight'
                Code    = @'
Set-MgRequestContext -MaxConcurrency 16
Import-Csv staff.csv | Update-MgBetaUserAuthenticationQrCodePinMethodPin | Export-Csv pins.csv
'@
                Remarks = @('Keeps up to 16 requests in flight. The results keep the order of staff.csv, each with the UserId it belongs to.')
            }
        )

        Inputs       = @(@{ Type = 'System.Int32'; Description = 'Objects with RetryDelay, MaxRetry, RetriesTimeLimit, ClientTimeout or MaxConcurrency properties, such as the output of Get-MgRequestContext.' })
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.Core.Interfaces.IRequestContext'; Description = 'The settings after the change: ClientTimeout and RetriesTimeLimit as TimeSpan values, RetryDelay, MaxRetry and MaxConcurrency as numbers.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Set-MgRequestContext (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/set-mgrequestcontext' }
            @{ Text = 'Get-MgRequestContext'; Uri = '' }
        )
    }

    'Get-MgRequestContext'                              = @{
        Synopsis     = 'Gets the retry, timeout and concurrency settings for requests to Microsoft Graph.'

        Description  = @(
            'Get-MgRequestContext writes the request settings of the current PowerShell process: ClientTimeout, RetryDelay, MaxRetry, RetriesTimeLimit and, as an addition of this module, MaxConcurrency. Change them with Set-MgRequestContext. While connected, ClientTimeout is the timeout of the connection.'
        )

        Parameters   = @{
            WhatIf  = 'Says that the settings would be read, and writes nothing. The official command takes this parameter too; reading changes nothing.'
            Confirm = 'Asks you to confirm before the settings are read. The command''s ConfirmImpact is Low.'
        }

        Examples     = @(
            @{
                Title   = 'Show the settings'
                Code    = 'Get-MgRequestContext'
                Remarks = @('Shows ClientTimeout 00:05:00, RetryDelay 3, MaxRetry 3, RetriesTimeLimit 00:00:00 and MaxConcurrency 8 unless they were changed.')
            }
        )

        Inputs       = @(@{ Type = 'None'; Description = 'This command does not take pipeline input.' })
        Outputs      = @(@{ Type = 'Microsoft.Graph.PowerShell.Authentication.Core.Interfaces.IRequestContext'; Description = 'The current settings.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Get-MgRequestContext (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/get-mgrequestcontext' }
            @{ Text = 'Set-MgRequestContext'; Uri = '' }
        )
    }

    'Get-MgRsInDoubtRequest'                            = @{
        Synopsis     = 'Lists the requests of the last stopped run whose outcome is unknown, so those users can be checked.'

        Description  = @(
            'When Update-MgBetaUserAuthenticationQrCodePinMethodPin is stopped before it is done (Ctrl+C, PowerShell.Stop(), or a later command in the pipeline that wants no more objects), some requests may already have gone to Microsoft Graph without their answers being read: those PINs may have changed, and the new codes are unknown. The stopped command names these users in one warning written to the host, starting "Stopped with N request(s) in doubt:".'
            'Get-MgRsInDoubtRequest returns the same requests for a script to act on: one object per request, with UserId, Command, Method, Uri and SentAt (UTC). It describes the most recent stopped run in the current runspace and returns nothing when no run was stopped, or none of its requests was in doubt. A request that Graph answered with an error status is not in doubt. No PIN is ever part of it.'
            'Requests not yet sent when the run stopped are not listed: they were never sent.'
        )

        Parameters   = @{}

        Examples     = @(
            @{
                Title   = 'Set a known PIN again for the users left in doubt'
                Code    = 'Get-MgRsInDoubtRequest | ForEach-Object { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $_.UserId -Code (New-MyPin) }'
                Remarks = @('After a stopped bulk run, sends each user in doubt a new PIN you know. New-MyPin stands for your own way of choosing a PIN.')
            }
        )

        Inputs       = @(@{ Type = 'None'; Description = 'This command does not take pipeline input.' })
        Outputs      = @(@{ Type = 'Microsoft.Graph.Rs.InDoubtRequest'; Description = 'One object per request in doubt: UserId, Command, Method, Uri and SentAt.' })

        RelatedLinks = @(
            @{ Text = 'Update-MgBetaUserAuthenticationQrCodePinMethodPin'; Uri = '' }
        )
    }

    'Invoke-MgGraphRequest'                             = @{
        Synopsis     = 'Sends any request to Microsoft Graph with the current connection and returns the answer.'

        Description  = @(
            'Invoke-MgGraphRequest sends one HTTP request (GET, POST, PUT, PATCH or DELETE) to the Graph endpoint of the environment you connected to with Connect-MgGraph, with that connection''s access token. It reaches any Graph API, including those this module has no command for. Its alias is Invoke-GraphRequest.'
            'The Uri is relative or absolute. A relative Uri must start with the API version: v1.0/users, /v1.0/users, beta/users and /beta/users go to the connected Graph endpoint. A relative Uri without a version (users, /me) is refused with an InvalidArgument error (UriWithoutVersion) and nothing is sent; the official command would guess. An absolute Uri must have the scheme, host and port of the connected Graph endpoint; any other (another host, another cloud, http instead of https) is refused with the error InvokeGraphRequestInvalidHost and nothing is sent, because the access token goes nowhere else.'
            'The request goes through the same engine as every command of this module: it keeps the connection it started with, answers 429, 503 and 504 are retried after Retry-After within the settings of Set-MgRequestContext, a signed-in connection renews its token once after a 401, and GET requests are throttled apart from writes. -Verbose writes a line per attempt, and -Debug the request and response as sent and received, with the access token and every other secret the module holds masked.'
            'An answer with a status outside 200-299 stops the command with the error InvokeGraphHttpResponseException (category InvalidOperation), whose message is "Response status code does not indicate success: <status> (<reason>)." and whose ErrorDetails hold the raw body Graph sent (the {"error":{...}} JSON). Give -SkipHttpErrorCheck to get the answer as output instead. The status and the headers are written to -StatusCodeVariable and -ResponseHeadersVariable on failure too; when no answer came at all, those variables are set to null.'
            'Beyond the official command: -All follows @odata.nextLink and writes the items of each page (the value list) as they arrive, so the first item is in the pipeline before the next page is asked for; Select-Object -First stops the paging. -Body also turns a PSCustomObject or a list into JSON, where the official command would send its text form. -SessionVariable and -GraphRequestSession are not implemented and stop the command with a NotImplemented error.'
        )

        Parameters   = @{
            Method                  = 'The HTTP method: GET (the default), POST, PUT, PATCH or DELETE. POST and PATCH need -Body or -InputFilePath.'
            Uri                     = 'The request''s URI: relative with the API version first (v1.0/users, /beta/users?$top=5), or absolute on the connected environment''s Graph endpoint. Any other URI is refused before anything is sent.'
            Body                    = @(
                'The request body. A dictionary (such as a hashtable) becomes JSON, except for GET, where its entries become the query string. A byte array or a stream is sent as it is. A PSCustomObject or a list becomes JSON. Anything else is sent as its text, encoded with the charset of -ContentType (UTF-8 by default).'
                'Takes pipeline input: each piped object is a request of its own.'
            )
            Headers                 = 'Headers to add to the request, such as @{ ConsistencyLevel = ''eventual'' }. Any dictionary works; entries with a null value are left out. A Content-Type entry is the body''s content type when -ContentType is not given. Authorization, Host, Content-Length and the hop-by-hop headers are the module''s own and are refused.'
            OutputFilePath          = 'Saves the answer''s body, byte for byte, to this file (relative to the current location) instead of writing it to the pipeline. Add -PassThru to have both.'
            InferOutputFileName     = 'Saves the answer''s body to a file in the current location named by the answer''s Content-Disposition header (filename* first). Only the bare file name is used, never a folder the server names. Without such a header a warning says nothing was saved. Cannot be combined with -OutputFilePath.'
            InputFilePath           = 'Sends the content of this file as the body. The path must resolve to exactly one file of the file system. Cannot be combined with -Body.'
            PassThru                = 'With -OutputFilePath, also writes the answer to the pipeline.'
            SkipHeaderValidation    = 'Sends header, -ContentType and -UserAgent values as they are, without checking that they are well-formed (visible ASCII values, a type/subtype content type). Names must still be valid and values must still be free of line breaks, which could not be sent.'
            ContentType             = 'The Content-Type of the body, such as ''text/plain; charset=iso-8859-1''. Its charset picks the encoding of a text body. POST, PUT and PATCH default to application/json.'
            SessionVariable         = 'Not implemented by Microsoft.Graph.Rs: the command stops with a NotImplemented error and sends nothing. Give -Headers and -UserAgent on each call instead.'
            ResponseHeadersVariable = 'The name of a variable that receives the answer''s headers, as a dictionary from header name (case-insensitive) to its values. Set on error answers too, and to null when no answer came.'
            StatusCodeVariable      = 'The name of a variable that receives the answer''s status code as a number. Set on error answers too, and to null when no answer came.'
            SkipHttpErrorCheck      = 'Writes an answer whose status is outside 200-299 as output instead of stopping with an error.'
            GraphRequestSession     = 'Not implemented by Microsoft.Graph.Rs: the command stops with a NotImplemented error and sends nothing.'
            UserAgent               = 'The User-Agent header of the request, instead of the module''s own.'
            OutputType              = 'What the answer becomes: HashTable (the default: the JSON body as one hashtable), PSObject (the JSON body as objects; a list is written item by item), Json (the body as text) or HttpResponseMessage (a System.Net.Http.HttpResponseMessage with the status, headers and body). A body that is not JSON is written as text.'
            Break                   = 'Not supported by Microsoft.Graph.Rs (there is no .NET code to debug): the command stops with a NotImplemented error and sends nothing.'
            All                     = 'An addition of Microsoft.Graph.Rs: follows @odata.nextLink from page to page and writes each item of each page''s value list, as the pages arrive. Only for GET with -OutputType HashTable or PSObject. Each next link must point to the connected Graph endpoint, like any URI.'
        }

        Examples     = @(
            @{
                Title   = 'Read the signed-in user'
                Code    = 'Invoke-MgGraphRequest -Method GET v1.0/me'
                Remarks = @('Writes the user as a hashtable.')
            }
            @{
                Title   = 'List every user, page after page'
                Code    = 'Invoke-MgGraphRequest v1.0/users -Body @{ ''$select'' = ''id,userPrincipalName''; ''$top'' = 100 } -All -OutputType PSObject'
                Remarks = @('The -Body dictionary of a GET becomes the query string. -All follows the next links and writes each user as it arrives.')
            }
            @{
                Title   = 'Reset a PIN and look at the answer when Graph refuses'
                Code    = @'
$body = @{ code = '09599786' }
try {
    Invoke-MgGraphRequest -Method PATCH beta/users/adele@contoso.com/authentication/qrCodePinMethod/pin -Body $body -StatusCodeVariable status
} catch {
    "Graph answered $status"; $_.ErrorDetails.Message
}
'@
                Remarks = @('On an error answer the status is still in $status, and ErrorDetails hold the JSON error Graph sent.')
            }
            @{
                Title   = 'Download a file under the name the server gives'
                Code    = 'Invoke-MgGraphRequest v1.0/me/drive/items/{item-id}/content -InferOutputFileName'
                Remarks = @('Saves the body to the current folder under the Content-Disposition file name.')
            }
        )

        Inputs       = @(@{ Type = 'System.Object'; Description = 'A request body; each piped object is sent as a request of its own.' })
        Outputs      = @(@{ Type = 'System.Object'; Description = 'A hashtable, objects, JSON text or an HttpResponseMessage, as -OutputType says; nothing when the answer is saved to a file without -PassThru.' })

        RelatedLinks = @(
            @{ Text = 'Official cmdlet: Invoke-MgGraphRequest (Microsoft.Graph.Authentication)'; Uri = 'https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/invoke-mggraphrequest' }
            @{ Text = 'Connect-MgGraph'; Uri = '' }
            @{ Text = 'Set-MgRequestContext'; Uri = '' }
        )
    }
}
