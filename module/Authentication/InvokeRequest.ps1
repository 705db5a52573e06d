# Invoke-MgGraphRequest (alias Invoke-GraphRequest): any request on the connected Graph endpoint. PowerShell binds
# the official surface, turns -Body/-InputFilePath into bytes and the answer into the output type; the library
# (graph.request, src/http/graph_request.rs) resolves and checks the URI and sends through the same attempt loop as
# every command (connection snapshot, lanes, retries, 401 renewal, logs with secrets masked).

$script:MgRsInvokeClass = 'Microsoft.Graph.PowerShell.Authentication.Cmdlets.InvokeMgGraphRequest'

# An error record with the official cmdlet's FullyQualifiedErrorId (`<id>,<class>`).
function New-MgRsInvokeError {
    param(
        [Parameter(Mandatory)][string] $Message,
        [Parameter(Mandatory)][string] $ErrorId,
        [System.Management.Automation.ErrorCategory] $Category = 'InvalidArgument',
        [string] $ExceptionType = 'System.Management.Automation.ValidationMetadataException',
        $TargetObject,
        [System.Exception] $Exception
    )
    if (-not $Exception) { $Exception = New-Object -TypeName $ExceptionType -ArgumentList $Message }
    $record = [System.Management.Automation.ErrorRecord]::new($Exception, $ErrorId, $Category, $TargetObject)
    if ($script:MgRsFqidField) { $script:MgRsFqidField.SetValue($record, "$ErrorId,$($script:MgRsInvokeClass)") }
    $record.CategoryInfo.Activity = 'Invoke-MgGraphRequest'
    $record
}

# The encoding a charset names (Content-Type), or $null.
function Get-MgRsCharsetEncoding {
    param([string] $ContentType)
    if ($ContentType -match '(?i)charset\s*=\s*"?([^";\s]+)') {
        return [System.Text.Encoding]::GetEncoding($Matches[1])
    }
    $null
}

# The response headers as -ResponseHeadersVariable and HttpResponseMessage take them: name -> values.
function ConvertTo-MgRsHeaderDictionary {
    param($Pairs)
    $headers = [System.Collections.Generic.Dictionary[string, string[]]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($pair in $Pairs) {
        $name = [string]$pair[0]
        $headers[$name] = if ($headers.ContainsKey($name)) { [string[]]($headers[$name] + [string]$pair[1]) } else { [string[]]@([string]$pair[1]) }
    }
    , $headers
}

# A file name from Content-Disposition (filename* first), reduced to a bare name: a server never picks the folder.
function Get-MgRsInferredFileName {
    param([string] $Disposition)
    if (-not $Disposition) { return $null }
    try { $parsed = [System.Net.Http.Headers.ContentDispositionHeaderValue]::Parse($Disposition) } catch { return $null }
    $name = if ($parsed.FileNameStar) { $parsed.FileNameStar } else { $parsed.FileName }
    if (-not $name) { return $null }
    $name = $name.Trim().Trim('"').Replace('\', '/')
    $name = ($name -split '/')[-1]
    foreach ($bad in [System.IO.Path]::GetInvalidFileNameChars()) { $name = $name.Replace([string]$bad, '_') }
    if ($name -in '', '.', '..') { return $null }
    $name
}

function Invoke-MgGraphRequest {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [Alias('Invoke-GraphRequest')]
    [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]
    param(
        # The official GraphRequestMethod enum's members, in an enum of this module (tools/New-InteropAssembly.ps1).
        [Parameter(ParameterSetName = 'UserParameterSet', Position = 1)]
        [MicrosoftGraphRs.GraphRequestMethod] $Method = 'GET',

        [Parameter(ParameterSetName = 'UserParameterSet', Mandatory, Position = 2)]
        [uri] $Uri,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 3, ValueFromPipeline)]
        [object] $Body,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 4)]
        [System.Collections.IDictionary] $Headers,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 5)]
        [string] $OutputFilePath,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 6)]
        [switch] $InferOutputFileName,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 7)]
        [string] $InputFilePath,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 8)]
        [switch] $PassThru,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 10)]
        [switch] $SkipHeaderValidation,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 11)]
        [string] $ContentType,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 13)]
        [Alias('SV')]
        [string] $SessionVariable,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 14)]
        [Alias('RHV')]
        [string] $ResponseHeadersVariable,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 15)]
        [string] $StatusCodeVariable,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 16)]
        [switch] $SkipHttpErrorCheck,

        # Stand-in for the official GraphRequestSession type, which is not implemented (refused when given).
        [Parameter(ParameterSetName = 'UserParameterSet', Position = 17)]
        [object] $GraphRequestSession,

        [Parameter(ParameterSetName = 'UserParameterSet', Position = 18)]
        [string] $UserAgent,

        # The official OutputType enum's members, in an enum of this module.
        [Parameter(ParameterSetName = 'UserParameterSet', Position = 19)]
        [MicrosoftGraphRs.OutputType] $OutputType = 'HashTable',

        [Parameter(ParameterSetName = 'UserParameterSet')]
        [switch] $Break,

        # This module's own: follow @odata.nextLink and write each page's items as they arrive.
        [Parameter(ParameterSetName = 'UserParameterSet')]
        [switch] $All
    )
    begin {
        Test-MgRsCoexistence $PSCmdlet   # beside the official module, which has a command of the same name
        $methodName = $Method.ToString()
        $outputName = $OutputType.ToString()
        # A compiled cmdlet follows its caller's preferences; a module function would see the module's.
        $caller = $PSCmdlet.SessionState.PSVariable
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $caller.GetValue('ErrorActionPreference') }
        if (-not $PSBoundParameters.ContainsKey('WarningAction')) { $WarningPreference = $caller.GetValue('WarningPreference') }
        if (-not $PSBoundParameters.ContainsKey('Verbose')) { $VerbosePreference = $caller.GetValue('VerbosePreference') }
        if (-not $PSBoundParameters.ContainsKey('Debug')) { $DebugPreference = $caller.GetValue('DebugPreference') }
        $quiet = 'SilentlyContinue', 'Ignore'
        $logLevel = if ($DebugPreference -notin $quiet) { 'debug' } elseif ($VerbosePreference -notin $quiet) { 'verbose' } else { 'warning' }
        $stop = { param($Record) $PSCmdlet.ThrowTerminatingError($Record) }

        # The official checks, in the official order, then what this module does not implement.
        if ($PSBoundParameters.ContainsKey('GraphRequestSession') -and $PSBoundParameters.ContainsKey('SessionVariable')) {
            & $stop (New-MgRsInvokeError -ErrorId 'InvokeGraphRequestSessionConflictException' -Message 'The cmdlet cannot run because the following conflicting parameters are specified: GraphRequestSession and SessionVariable. Specify either GraphRequestSession or SessionVariable, then retry.')
        }
        foreach ($name in 'SessionVariable', 'GraphRequestSession') {
            if ($PSBoundParameters.ContainsKey($name)) {
                & $stop (New-MgRsInvokeError -ErrorId 'ParameterNotSupported' -Category NotImplemented -ExceptionType 'System.NotSupportedException' `
                        -Message "-$name is not supported by Microsoft.Graph.Rs: request sessions (a GraphRequestSession that carries headers, a user agent and a token from one call to the next) are not implemented, so nothing was sent. Give -Headers and -UserAgent on each call instead.")
            }
        }
        if ($Break) {
            & $stop (New-MgRsInvokeError -ErrorId 'ParameterNotSupported' -Category NotImplemented -ExceptionType 'System.NotSupportedException' `
                    -Message '-Break is not supported by Microsoft.Graph.Rs (there is no .NET code to debug), so nothing was sent. Run the command without -Break.')
        }
        if ($PassThru -and -not $OutputFilePath) {
            & $stop (New-MgRsInvokeError -ErrorId 'InvokeGraphRequestOutFileMissingException' -Message 'PassThru specified without OutputFilePath.  If PassThru is specified OutputFilePath must be specified as well.')
        }
        if ($InferOutputFileName -and $OutputFilePath) {
            & $stop (New-MgRsInvokeError -ErrorId 'InvokeGraphRequestBodyConflictException' -Message 'The cmdlet cannot run because the following conflicting parameters are specified: InferOutputFileName and OutputFilePath Specify either InferOutputFileName or OutputFilePath, then retry.')
        }
        if ($All) {
            $why = if ($methodName -ne 'GET') { "-All follows Graph's @odata.nextLink, which only GET requests have; it cannot be used with -Method $methodName." }
            elseif ($outputName -notin 'HashTable', 'PSObject') { "-All writes each item of each page, so it needs -OutputType HashTable or PSObject, not $outputName." }
            elseif ($OutputFilePath -or $InferOutputFileName) { '-All writes the items to the pipeline; it cannot be combined with -OutputFilePath or -InferOutputFileName.' }
            if ($why) { & $stop (New-MgRsInvokeError -ErrorId 'InvalidAllParameter' -Message $why) }
        }
        $inputPath = $null
        if ($PSBoundParameters.ContainsKey('InputFilePath')) {
            try {
                $provider = $null
                $paths = $PSCmdlet.GetResolvedProviderPathFromPSPath($InputFilePath, [ref]$provider)
                $problem = if ($provider.Name -ne 'FileSystem') { @('InvokeGraphRequestFileNotFilesystemPathException', "Path '$InputFilePath' is not a file system path. Please specify the path to a file in the file system.") }
                elseif ($paths.Count -gt 1) { @('InvokeGraphRequestInputFileMultiplePathsResolvedException', "Path '$InputFilePath' can be resolved to multiple paths.") }
                elseif ($paths.Count -eq 0) { @('InvokeGraphRequestInputFileNoPathResolvedException', "Path '$InputFilePath' cannot be resolved to a file.") }
                elseif ([System.IO.Directory]::Exists($paths[0])) { @('InvokeGraphRequestInputFileNotFilePathException', "Path '$InputFilePath' resolves to a directory. Specify a path including a file name, and then retry the command.") }
                if ($problem) { & $stop (New-MgRsInvokeError -ErrorId $problem[0] -Message $problem[1] -TargetObject $InputFilePath) }
                $inputPath = $paths[0]
            } catch [System.Management.Automation.ItemNotFoundException], [System.Management.Automation.ProviderNotFoundException],
                [System.Management.Automation.DriveNotFoundException] {
                $found = $_.Exception.ErrorRecord
                & $stop (New-MgRsInvokeError -Exception $_.Exception -Message $_.Exception.Message -ErrorId $found.FullyQualifiedErrorId.Split(',')[0] `
                        -Category $found.CategoryInfo.Category -TargetObject $InputFilePath)
            }
        }
        $outputPath = if ($OutputFilePath) { $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputFilePath) }
        $toPipeline = (-not $OutputFilePath -and -not $InferOutputFileName) -or $PassThru

        # Headers: null values are left out, as the official does; a Content-Type given there is the body's.
        $headerPairs = [System.Collections.Generic.List[object]]::new()
        $headerContentType = $null
        if ($Headers) {
            foreach ($key in $Headers.Keys) {
                $value = $Headers[$key]
                if ($null -eq $value) { continue }
                if ("$key" -eq 'Content-Type') { $headerContentType = [string]$value; continue }
                $headerPairs.Add(@([string]$key, [string]$value))
            }
        }
        $effectiveContentType = if ($PSBoundParameters.ContainsKey('ContentType')) { $ContentType } else { $headerContentType }
        if (-not $effectiveContentType -and $methodName -in 'POST', 'PUT', 'PATCH') { $effectiveContentType = 'application/json' }
        $encoding = [System.Text.UTF8Encoding]::new($false)
        if ($effectiveContentType) {
            try {
                $named = Get-MgRsCharsetEncoding $effectiveContentType
                if ($named) { $encoding = $named }
            } catch {
                if (-not $SkipHeaderValidation) {
                    & $stop (New-MgRsInvokeError -ErrorId 'InvokeGraphContentTypeException' -TargetObject $effectiveContentType -Message 'The cmdlet cannot run because the -ContentType parameter is not a valid Content-Type header. Specify a valid Content-Type for -ContentType, then retry. To suppress header validation, supply the -SkipHeaderValidation parameter.')
                }
            }
        }
    }
    process {
        # Assigned in statements: an if expression would enumerate a byte[] into object[].
        $bodyValue = $Body
        if ($Body -is [System.Management.Automation.PSObject]) { $bodyValue = $Body.PSObject.BaseObject }
        if ($null -ne $bodyValue -and $inputPath) {
            & $stop (New-MgRsInvokeError -ErrorId 'InvokeGraphRequestBodyConflictException' -Message 'The cmdlet cannot run because the following conflicting parameters are specified: Body and InputFilePath Specify either Body or InputFilePath, then retry.')
        }
        if ($methodName -in 'PATCH', 'POST' -and $null -eq $bodyValue -and -not $inputPath) {
            & $stop (New-MgRsInvokeError -ErrorId 'InvokeGraphRequestBodyMissingWhenMethodIsSpecified' -Message "Body is required when Method is $methodName")
        }

        # The body as bytes: a GET's dictionary is the query string instead.
        $request = [ordered]@{ op = 'graph.request'; method = $methodName; uri = $Uri.OriginalString; log = $logLevel }
        $bytes = $null
        if ($inputPath) {
            $bytes = [System.IO.File]::ReadAllBytes($inputPath)
        } elseif ($null -ne $bodyValue) {
            if ($bodyValue -is [System.Collections.IDictionary] -and $methodName -eq 'GET') {
                $request.query = @(foreach ($key in $bodyValue.Keys) { , @([string]$key, [string]$bodyValue[$key]) })
            } elseif ($bodyValue -is [byte[]]) {
                $bytes = $bodyValue
            } elseif ($bodyValue -is [System.IO.Stream]) {
                $buffer = [System.IO.MemoryStream]::new()
                $bodyValue.CopyTo($buffer)
                $bytes = $buffer.ToArray()
            } elseif ($bodyValue -is [string]) {
                $bytes = $encoding.GetBytes($bodyValue)
            } elseif ($bodyValue -is [System.Collections.IDictionary] -or $bodyValue -is [System.Management.Automation.PSCustomObject] -or
                ($bodyValue -is [System.Collections.IList] -and $bodyValue -isnot [string])) {
                # Beyond the official: an object or a list (not only a dictionary) becomes JSON rather than its ToString() text.
                $bytes = $encoding.GetBytes((ConvertTo-Json -InputObject $bodyValue -Depth 64 -Compress))
            } else {
                $bytes = $encoding.GetBytes([string][System.Management.Automation.LanguagePrimitives]::ConvertTo($bodyValue, [string], [cultureinfo]::InvariantCulture))
            }
        }
        if ($null -ne $bytes) { $request.body = [System.Convert]::ToBase64String($bytes) }
        if ($headerPairs.Count) { $request.headers = $headerPairs.ToArray() }
        if ($effectiveContentType) { $request.contentType = $effectiveContentType }
        if ($PSBoundParameters.ContainsKey('UserAgent')) { $request.userAgent = $UserAgent }
        if ($SkipHeaderValidation) { $request.skipHeaderValidation = $true }

        while ($true) {
            $result = Invoke-MgRsJob -Request $request -Cmdlet $PSCmdlet
            if (-not $result.ok) {
                # No answer (or one refused unread): the variables say so rather than keep an earlier call's values.
                if ($StatusCodeVariable) { $caller.Set($StatusCodeVariable, $null) }
                if ($ResponseHeadersVariable) { $caller.Set($ResponseHeadersVariable, $null) }
                $e = $result.error
                $shape = switch ($e.kind) {
                    'invalid_argument' { @($e.errorId, 'InvalidArgument', 'System.ArgumentException') }
                    'not_connected' { @('NotConnected', 'AuthenticationError', 'System.Security.Authentication.AuthenticationException') }
                    'expired_token' { @('NotConnected', 'AuthenticationError', 'System.Security.Authentication.AuthenticationException') }
                    'authentication' { @('AuthenticationFailed', 'AuthenticationError', 'System.Security.Authentication.AuthenticationException') }
                    'transport' { @('InvokeGraphHttpResponseException', 'ConnectionError', 'System.Net.Http.HttpRequestException') }
                    'connection_changed' { @('ConnectionChanged', 'InvalidOperation', 'System.InvalidOperationException') }
                    'invalid_result' { @($e.errorId, 'InvalidResult', 'System.InvalidOperationException') }
                    'cancelled' { @('Cancelled', 'OperationStopped', 'System.OperationCanceledException') }
                    default { @("$($e.kind)", 'NotSpecified', 'System.Exception') }
                }
                & $stop (New-MgRsInvokeError -Message $e.message -ErrorId $shape[0] -Category $shape[1] -ExceptionType $shape[2] -TargetObject $Uri)
            }
            $answer = $result.value
            $headerMap = ConvertTo-MgRsHeaderDictionary $answer.headers
            if ($StatusCodeVariable) { $caller.Set($StatusCodeVariable, [int]$answer.status) }
            if ($ResponseHeadersVariable) { $caller.Set($ResponseHeadersVariable, $headerMap) }
            $content = [System.Convert]::FromBase64String($answer.body)
            $responseType = if ($headerMap.ContainsKey('Content-Type')) { $headerMap['Content-Type'][0] } else { '' }
            $status = [int]$answer.status

            if (($status -lt 200 -or $status -ge 300) -and -not $SkipHttpErrorCheck) {
                $message = "Response status code does not indicate success: $($answer.statusName) ($($answer.reason))."
                if ($answer.retriesExhausted) { $message += " Too many retries performed. More than $($answer.retries) retries encountered while sending the request." }
                $exception = [System.Net.Http.HttpRequestException]::new($message, $null, [System.Net.HttpStatusCode]$status)
                $text = [System.Text.Encoding]::UTF8.GetString($content)
                $exception.Data['StatusCode'] = $status
                try {
                    $graphError = (ConvertFrom-Json -InputObject $text -AsHashtable -ErrorAction Stop).error
                    if ($graphError.code) { $exception.Data['ErrorCode'] = [string]$graphError.code }
                } catch { $null = $_ }
                if ($headerMap.ContainsKey('request-id')) { $exception.Data['RequestId'] = $headerMap['request-id'][0] }
                $target = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($answer.method), [uri]$answer.uri)
                $record = New-MgRsInvokeError -Message $message -ErrorId 'InvokeGraphHttpResponseException' -Category InvalidOperation -Exception $exception -TargetObject $target
                if ($text) { $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($text) }
                & $stop $record
            }

            if ($outputName -eq 'HttpResponseMessage') {
                $responseMessage = [System.Net.Http.HttpResponseMessage]::new([System.Net.HttpStatusCode]$status)
                $responseMessage.ReasonPhrase = $answer.reason
                $responseMessage.Content = [System.Net.Http.ByteArrayContent]::new($content)
                $responseMessage.RequestMessage = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($answer.method), [uri]$answer.uri)
                foreach ($pair in $answer.headers) {
                    if (-not $responseMessage.Headers.TryAddWithoutValidation([string]$pair[0], [string]$pair[1])) {
                        $null = $responseMessage.Content.Headers.TryAddWithoutValidation([string]$pair[0], [string]$pair[1])
                    }
                }
            }
            if ($outputPath) {
                [System.IO.File]::WriteAllBytes($outputPath, $content)
            } elseif ($InferOutputFileName) {
                $disposition = if ($headerMap.ContainsKey('Content-Disposition')) { $headerMap['Content-Disposition'][0] }
                $fileName = Get-MgRsInferredFileName $disposition
                if ($fileName) {
                    $full = [System.IO.Path]::Combine($PSCmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath, $fileName)
                    Write-Verbose "Inferred File Name $fileName Saving to $full"
                    [System.IO.File]::WriteAllBytes($full, $content)
                } else {
                    Write-Warning 'Could not infer a file name: the response has no usable Content-Disposition file name, so nothing was saved. Give -OutputFilePath instead.'
                }
            }
            if (-not $toPipeline) { return }
            if ($outputName -eq 'HttpResponseMessage') { $PSCmdlet.WriteObject($responseMessage); return }

            $charset = $null
            try { $charset = Get-MgRsCharsetEncoding $responseType } catch { $null = $_ }
            if (-not $charset) { $charset = [System.Text.Encoding]::UTF8 }
            $text = $charset.GetString($content)
            if ($outputName -eq 'Json') { if ($content.Length) { $PSCmdlet.WriteObject($text) }; return }
            if (-not $content.Length) { return }
            $parsed = $null
            $isJson = $true
            try {
                if ($outputName -eq 'HashTable') { $parsed = ConvertFrom-Json -InputObject $text -AsHashtable -NoEnumerate -ErrorAction Stop }
                else { $parsed = ConvertFrom-Json -InputObject $text -NoEnumerate -ErrorAction Stop }
            } catch {
                $isJson = $false
            }
            if (-not $isJson) { $PSCmdlet.WriteObject($text); return }
            if (-not $All) {
                # HashTable: one object, as the official writes it; PSObject: enumerated.
                $PSCmdlet.WriteObject($parsed, $outputName -eq 'PSObject')
                return
            }
            # -All: this page's items now, then the next page.
            $items = $null
            $next = $null
            if ($parsed -is [System.Collections.IDictionary]) {
                $items = $parsed['value']; $next = $parsed['@odata.nextLink']
            } elseif ($parsed -is [System.Management.Automation.PSCustomObject]) {
                $properties = $parsed.PSObject.Properties
                if ($properties['value']) { $items = $properties['value'].Value }
                if ($properties['@odata.nextLink']) { $next = $properties['@odata.nextLink'].Value }
            }
            if ($null -eq $items -or $items -isnot [System.Collections.IList]) {
                $PSCmdlet.WriteObject($parsed, $outputName -eq 'PSObject')
                return
            }
            foreach ($item in $items) { $PSCmdlet.WriteObject($item) }
            if (-not $next) { return }
            Write-Verbose "Following @odata.nextLink: $next"
            $request.uri = [string]$next
            $request.Remove('query')
        }
    }
}
