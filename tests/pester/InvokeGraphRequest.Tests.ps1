# Invoke-MgGraphRequest against the Graph emulator: URI forms and refusals (nothing sent), bodies, output types,
# files in and out, the status and header variables (on failure too), errors, -All paging as a stream, retries, and
# -Debug without the token. The emulator's /{ver}/_echo route answers with the request's own body and Content-Type.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    $null = Add-MgEnvironment -Name $emulator.EnvironmentName -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
    $script:token = New-GraphEmulatorToken $emulator @{ scp = 'User.Read.All UserAuthenticationMethod.ReadWrite.All' }
    Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome
    $script:class = 'Microsoft.Graph.PowerShell.Authentication.Cmdlets.InvokeMgGraphRequest'
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-invoke-$PID"
    $null = New-Item -ItemType Directory -Force -Path $work

    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $script:users = @(Add-GraphEmulatorUser $emulator @(1..5 | ForEach-Object { @{ userPrincipalName = "user$_@contoso.example" } }))
        Clear-GraphEmulatorRequest $emulator
    }
    function Get-Sent { @(Get-GraphEmulatorRequest $emulator) }
    # The error a script block stops with.
    function Get-Stop([scriptblock] $Script) {
        try { & $Script; $null } catch { $_ }
    }
    Reset-Tenant
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name $emulator.EnvironmentName -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}

Describe 'The surface' {
    It 'is exported with its alias' {
        (Get-Command Invoke-MgGraphRequest -Module Microsoft.Graph.Rs).Name | Should -Be 'Invoke-MgGraphRequest'
        (Get-Alias Invoke-GraphRequest).Definition | Should -Be 'Invoke-MgGraphRequest'
    }
}

Describe 'URIs' {
    BeforeEach { Clear-GraphEmulatorRequest $emulator }

    It 'resolves <Uri> on the connected Graph endpoint' -ForEach @(
        @{ Uri = 'v1.0/users'; Path = '/v1.0/users' }
        @{ Uri = '/v1.0/users'; Path = '/v1.0/users' }
        @{ Uri = 'beta/users'; Path = '/beta/users' }
        @{ Uri = '/beta/users'; Path = '/beta/users' }
    ) {
        $result = Invoke-MgGraphRequest -Uri $Uri
        $result.value.Count | Should -Be 5
        $sent = Get-Sent
        $sent.Count | Should -Be 1
        $sent[0].method | Should -Be 'GET'
        $sent[0].path | Should -Be $Path
        $sent[0].headers.authorization | Should -Match '^Bearer'
    }

    It 'takes an absolute URI on the Graph endpoint, positionally after the method' {
        $result = Invoke-MgGraphRequest GET "$($emulator.Url)/v1.0/users?`$top=2"
        $result.value.Count | Should -Be 2
        (Get-Sent)[0].query | Should -Be '$top=2'
    }

    It 'refuses a relative URI without a version, and sends nothing: <Uri>' -ForEach @(
        @{ Uri = 'users' }, @{ Uri = '/users' }, @{ Uri = 'me/messages' }, @{ Uri = 'v2.0/users' }
    ) {
        $e = Get-Stop { Invoke-MgGraphRequest -Uri $Uri }
        $e.FullyQualifiedErrorId | Should -Be "UriWithoutVersion,$class"
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'names no Graph API version'
        $e.Exception.Message | Should -Match 'v1.0/'
        @(Get-Sent).Count | Should -Be 0
    }

    It 'refuses another host, scheme or port, and sends nothing (the token goes nowhere else): <Uri>' -ForEach @(
        @{ Uri = 'https://graph.microsoft.com/v1.0/users' }
        @{ Uri = 'http://localhost:1/v1.0/users' }
        @{ Uri = 'https://127.0.0.1/v1.0/users' }
    ) {
        $e = Get-Stop { Invoke-MgGraphRequest -Method DELETE -Uri $Uri }
        $e.FullyQualifiedErrorId | Should -Be "InvokeGraphRequestInvalidHost,$class"
        $e.Exception.Message | Should -Match 'nothing was sent'
        $e.Exception.Message | Should -Not -Match ([regex]::Escape($token))
        @(Get-Sent).Count | Should -Be 0
    }

    It 'refuses a next link to another host under -All' {
        # A page whose next link leaves the endpoint: only the first request is sent.
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'oddSuccess'; status = 200; body = '{"value":[{"id":"1"}],"@odata.nextLink":"https://evil.example/v1.0/users?$skiptoken=x"}' }
        $items = [System.Collections.Generic.List[object]]::new()
        $e = Get-Stop { Invoke-MgGraphRequest GET v1.0/users -All | ForEach-Object { $items.Add($_) } }
        $items.Count | Should -Be 1
        $e.FullyQualifiedErrorId | Should -Be "InvokeGraphRequestInvalidHost,$class"
        @(Get-Sent).Count | Should -Be 1
    }
}

Describe 'Output types' {
    It 'HashTable by default: one dictionary' {
        $result = Invoke-MgGraphRequest GET v1.0/users
        $result | Should -BeOfType [System.Collections.IDictionary]
        $result['@odata.context'] | Should -Not -BeNullOrEmpty
        $result.value[0] | Should -BeOfType [System.Collections.IDictionary]
    }

    It 'PSObject: objects' {
        $result = Invoke-MgGraphRequest GET "v1.0/users/$($users[0].id)" -OutputType PSObject
        $result | Should -BeOfType [System.Management.Automation.PSCustomObject]
        $result.userPrincipalName | Should -Be 'user1@contoso.example'
    }

    It 'Json: the body as text' {
        $result = Invoke-MgGraphRequest GET "v1.0/users/$($users[0].id)" -OutputType Json
        $result | Should -BeOfType [string]
        ($result | ConvertFrom-Json).id | Should -Be $users[0].id
    }

    It 'HttpResponseMessage: a real response message' {
        $result = Invoke-MgGraphRequest GET "v1.0/users/$($users[0].id)" -OutputType HttpResponseMessage
        $result | Should -BeOfType [System.Net.Http.HttpResponseMessage]
        $result.StatusCode | Should -Be 'OK'
        $result.IsSuccessStatusCode | Should -BeTrue
        $result.Headers.GetValues('request-id') | Should -Not -BeNullOrEmpty
        $result.Content.Headers.ContentType.MediaType | Should -Be 'application/json'
        ($result.Content.ReadAsStringAsync().Result | ConvertFrom-Json).id | Should -Be $users[0].id
        $result.RequestMessage.RequestUri.AbsolutePath | Should -Be "/v1.0/users/$($users[0].id)"
        $result.RequestMessage.Headers.Contains('Authorization') | Should -BeFalse
    }

    It 'writes text that is not JSON as a string' {
        Invoke-MgGraphRequest -Method POST v1.0/_echo -Body 'plain words' -ContentType 'text/plain' | Should -BeExactly 'plain words'
    }

    It 'writes nothing for an empty body' {
        @(Invoke-MgGraphRequest -Method PUT v1.0/_echo).Count | Should -Be 0
    }
}

Describe 'Bodies and headers' {
    BeforeEach { Clear-GraphEmulatorRequest $emulator }

    It 'sends a dictionary as JSON with Content-Type application/json' {
        $result = Invoke-MgGraphRequest -Method POST v1.0/_echo -Body @{ name = 'Ünïcode'; n = 5; list = @(1, 2) }
        $result.name | Should -Be 'Ünïcode'
        $result.list | Should -Be @(1, 2)
        $sent = (Get-Sent)[0]
        $sent.headers.'content-type' | Should -Be 'application/json'
        ($sent.body | ConvertFrom-Json).n | Should -Be 5
    }

    It 'turns a GET dictionary into the query string' {
        $result = Invoke-MgGraphRequest GET v1.0/users -Body @{ '$filter' = "startswith(userPrincipalName,'user2')" }
        $result.value.Count | Should -Be 1
        $sent = (Get-Sent)[0]
        $sent.query | Should -Be '$filter=startswith%28userPrincipalName%2C%27user2%27%29'
        $sent.body | Should -BeNullOrEmpty
    }

    It 'encodes a string with the charset of -ContentType' {
        $answer = Invoke-MgGraphRequest -Method POST v1.0/_echo -Body 'héllo' -ContentType 'text/plain; charset=iso-8859-1' -OutputType HttpResponseMessage
        $answer.Content.ReadAsByteArrayAsync().Result | Should -Be ([byte[]](104, 233, 108, 108, 111))
    }

    It 'sends bytes, a stream and a file as they are' {
        $bytes = [byte[]](0, 1, 2, 254, 255)
        $echo = { param($Body) (Invoke-MgGraphRequest -Method PUT v1.0/_echo -Body $Body -ContentType 'application/octet-stream' -OutputType HttpResponseMessage).Content.ReadAsByteArrayAsync().Result }
        & $echo $bytes | Should -Be $bytes
        & $echo ([System.IO.MemoryStream]::new($bytes)) | Should -Be $bytes
        $file = Join-Path $work 'in.bin'
        [System.IO.File]::WriteAllBytes($file, $bytes)
        $answer = Invoke-MgGraphRequest -Method POST v1.0/_echo -InputFilePath $file -ContentType 'application/octet-stream' -OutputType HttpResponseMessage
        $answer.Content.ReadAsByteArrayAsync().Result | Should -Be $bytes
    }

    It 'takes piped bodies, one request each' {
        $results = @(@{ a = 1 }, @{ a = 2 } | Invoke-MgGraphRequest -Method POST v1.0/_echo)
        $results.a | Should -Be @(1, 2)
        @(Get-Sent).Count | Should -Be 2
    }

    It 'sends a plain hashtable of headers and -UserAgent' {
        $null = Invoke-MgGraphRequest GET v1.0/users -Headers @{ ConsistencyLevel = 'eventual'; 'X-Skipped' = $null } -UserAgent 'my-script/1.0'
        $sent = (Get-Sent)[0]
        $sent.headers.consistencylevel | Should -Be 'eventual'
        $sent.headers.PSObject.Properties['x-skipped'] | Should -BeNullOrEmpty
        $sent.headers.'user-agent' | Should -Be 'my-script/1.0'
    }

    It 'refuses the module''s own headers and malformed values, and sends nothing' {
        (Get-Stop { Invoke-MgGraphRequest GET v1.0/users -Headers @{ Authorization = 'Bearer stolen' } }).FullyQualifiedErrorId | Should -Be "InvalidHeader,$class"
        (Get-Stop { Invoke-MgGraphRequest GET v1.0/users -Headers @{ 'X-Note' = 'café' } }).FullyQualifiedErrorId | Should -Be "InvalidHeader,$class"
        (Get-Stop { Invoke-MgGraphRequest -Method POST v1.0/_echo -Body 'x' -ContentType 'not a type' }).FullyQualifiedErrorId | Should -Be "InvokeGraphContentTypeException,$class"
        @(Get-Sent).Count | Should -Be 0
        # -SkipHeaderValidation lets such values go as they are.
        $null = Invoke-MgGraphRequest GET v1.0/users -Headers @{ 'X-Note' = 'café' } -SkipHeaderValidation
        @(Get-Sent).Count | Should -Be 1
    }
}

Describe 'Files' {
    It '-OutputFilePath saves the bytes and writes nothing; -PassThru writes them too' {
        $file = Join-Path $work 'out.bin'
        $bytes = [byte[]](9, 8, 7)
        @(Invoke-MgGraphRequest -Method PUT v1.0/_echo -Body $bytes -OutputFilePath $file).Count | Should -Be 0
        [System.IO.File]::ReadAllBytes($file) | Should -Be $bytes
        Remove-Item $file
        $answer = Invoke-MgGraphRequest -Method PUT v1.0/_echo -Body '{"x":1}' -ContentType 'application/json' -OutputFilePath $file -PassThru
        $answer.x | Should -Be 1
        Get-Content -Raw $file | Should -Be '{"x":1}'
    }

    It '-InferOutputFileName takes the Content-Disposition name, never its folder: <Query>' -ForEach @(
        @{ Query = 'filename=report.csv'; Name = 'report.csv' }
        @{ Query = 'filename=../../escape.txt'; Name = 'escape.txt' }
        @{ Query = 'filenameStar=r%C3%A9sum%C3%A9.txt'; Name = 'résumé.txt' }
    ) {
        Push-Location $work
        try {
            @(Invoke-MgGraphRequest -Method PUT "v1.0/_echo?$Query" -Body 'a,b' -InferOutputFileName).Count | Should -Be 0
            Get-Content -Raw (Join-Path $work $Name) | Should -Be 'a,b'
            Test-Path (Join-Path (Split-Path $work) 'escape.txt') | Should -BeFalse
        } finally { Pop-Location }
    }

    It '-InferOutputFileName without Content-Disposition warns that nothing was saved' {
        Push-Location $work
        try {
            $before = @(Get-ChildItem $work).Count
            $null = Invoke-MgGraphRequest -Method PUT v1.0/_echo -Body 'a' -InferOutputFileName -WarningVariable warned -WarningAction SilentlyContinue
            $warned | Should -Match 'nothing was saved'
            @(Get-ChildItem $work).Count | Should -Be $before
        } finally { Pop-Location }
    }
}

Describe 'Errors and variables' {
    It 'stops with the official error and the raw Graph error in ErrorDetails; the variables are set on failure' {
        $status = 'stale'; $headers = 'stale'
        # Not through Get-Stop: the variables are set in the caller's scope, as the official does.
        $e = $null
        try { Invoke-MgGraphRequest GET v1.0/users/nobody@contoso.example -StatusCodeVariable status -ResponseHeadersVariable headers } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be "InvokeGraphHttpResponseException,$class"
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e.Exception.Message | Should -Be 'Response status code does not indicate success: NotFound (Not Found).'
        $e.Exception.StatusCode | Should -Be 'NotFound'
        $e.Exception.Data['ErrorCode'] | Should -Be 'Request_ResourceNotFound'
        ($e.ErrorDetails.Message | ConvertFrom-Json).error.code | Should -Be 'Request_ResourceNotFound'
        $e.TargetObject | Should -BeOfType [System.Net.Http.HttpRequestMessage]
        $status | Should -Be 404
        $headers['request-id'] | Should -Not -BeNullOrEmpty
        $e.Exception.Data['RequestId'] | Should -Be $headers['request-id'][0]
    }

    It 'is terminating whatever the ErrorAction' {
        $after = $false
        try { Invoke-MgGraphRequest GET v1.0/users/nobody -ErrorAction SilentlyContinue; $after = $true } catch { $null = $_ }
        $after | Should -BeFalse
    }

    It '-SkipHttpErrorCheck writes the error answer' {
        $result = Invoke-MgGraphRequest GET v1.0/users/nobody -SkipHttpErrorCheck -StatusCodeVariable status
        $status | Should -Be 404
        $result.error.code | Should -Be 'Request_ResourceNotFound'
    }

    It 'sets the variables on success' {
        $null = Invoke-MgGraphRequest GET v1.0/users -StatusCodeVariable status -ResponseHeadersVariable headers
        $status | Should -Be 200
        $headers['Content-Type'][0] | Should -Match 'application/json'
    }

    It 'sets the variables to null when no answer came' {
        $status = 'stale'
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'resetBeforeApply' }
        $e = $null
        try { Invoke-MgGraphRequest -Method PATCH v1.0/_echo -Body @{} -StatusCodeVariable status } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be "InvokeGraphHttpResponseException,$class"
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        $status | Should -BeNullOrEmpty
    }

    It 'retries 429 after Retry-After' {
        Clear-GraphEmulatorRequest $emulator
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'status'; status = 429; retryAfter = 1 }
        $verbose = Invoke-MgGraphRequest GET v1.0/users -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @(Get-Sent).Count | Should -Be 2
        (Get-Sent)[1].headers.'retry-attempt' | Should -Be '1'
        "$verbose" | Should -Match '429'
    }

    It 'a POST whose answer was lost is not sent again' {
        Clear-GraphEmulatorRequest $emulator
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'resetAfterApply' }
        $e = Get-Stop { Invoke-MgGraphRequest -Method POST v1.0/_echo -Body @{ a = 1 } }
        $e.Exception.Message | Should -Match 'not safe to send twice'
        @(Get-Sent).Count | Should -Be 1
    }
}

Describe 'Official validation errors (nothing sent)' {
    BeforeEach { Clear-GraphEmulatorRequest $emulator }
    AfterEach { @(Get-Sent).Count | Should -Be 0 }

    It '<Case>' -ForEach @(
        @{ Case = 'POST without a body'; Id = 'InvokeGraphRequestBodyMissingWhenMethodIsSpecified'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest -Method POST v1.0/_echo } }
        @{ Case = 'PATCH without a body'; Id = 'InvokeGraphRequestBodyMissingWhenMethodIsSpecified'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest -Method PATCH v1.0/_echo } }
        @{ Case = '-PassThru without -OutputFilePath'; Id = 'InvokeGraphRequestOutFileMissingException'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest GET v1.0/users -PassThru } }
        @{ Case = '-Body with -InputFilePath'; Id = 'InvokeGraphRequestBodyConflictException'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest -Method POST v1.0/_echo -Body 'x' -InputFilePath $PSCommandPath } }
        @{ Case = '-InferOutputFileName with -OutputFilePath'; Id = 'InvokeGraphRequestBodyConflictException'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest GET v1.0/users -InferOutputFileName -OutputFilePath x.json } }
        @{ Case = '-InputFilePath naming a folder'; Id = 'InvokeGraphRequestInputFileNotFilePathException'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest -Method POST v1.0/_echo -InputFilePath $PSScriptRoot } }
        @{ Case = '-InputFilePath naming no file'; Id = 'PathNotFound'; Category = 'ObjectNotFound'; Script = { Invoke-MgGraphRequest -Method POST v1.0/_echo -InputFilePath (Join-Path $PSScriptRoot 'no-such-file') } }
        @{ Case = '-GraphRequestSession with -SessionVariable'; Id = 'InvokeGraphRequestSessionConflictException'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest GET v1.0/users -GraphRequestSession ([pscustomobject]@{}) -SessionVariable s } }
        @{ Case = '-SessionVariable (not implemented)'; Id = 'ParameterNotSupported'; Category = 'NotImplemented'; Script = { Invoke-MgGraphRequest GET v1.0/users -SessionVariable s } }
        @{ Case = '-GraphRequestSession (not implemented)'; Id = 'ParameterNotSupported'; Category = 'NotImplemented'; Script = { Invoke-MgGraphRequest GET v1.0/users -GraphRequestSession ([pscustomobject]@{}) } }
        @{ Case = '-All with POST'; Id = 'InvalidAllParameter'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest -Method POST v1.0/_echo -Body 'x' -All } }
        @{ Case = '-All with -OutputType Json'; Id = 'InvalidAllParameter'; Category = 'InvalidArgument'; Script = { Invoke-MgGraphRequest GET v1.0/users -All -OutputType Json } }
    ) {
        $e = Get-Stop $Script
        $e | Should -Not -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -Be "$Id,$class"
        $e.CategoryInfo.Category | Should -Be $Category
    }

    It 'names what is not implemented' {
        (Get-Stop { Invoke-MgGraphRequest GET v1.0/users -SessionVariable s }).Exception.Message | Should -Match 'SessionVariable is not supported'
        (Get-Stop { Invoke-MgGraphRequest GET v1.0/users -SessionVariable s }).Exception | Should -BeOfType [System.NotSupportedException]
    }
}

Describe '-All' {
    BeforeEach { Clear-GraphEmulatorRequest $emulator }

    It 'follows @odata.nextLink and writes every item: <OutputType>' -ForEach @(@{ OutputType = 'HashTable' }, @{ OutputType = 'PSObject' }) {
        $items = @(Invoke-MgGraphRequest GET v1.0/users -Body @{ '$top' = 2 } -All -OutputType $OutputType)
        $items.Count | Should -Be 5
        $items.userPrincipalName | Should -Be @(1..5 | ForEach-Object { "user$_@contoso.example" })
        @(Get-Sent).Count | Should -Be 3
    }

    It 'streams: the first item is written before the next page is asked for' {
        $seen = [System.Collections.Generic.List[int]]::new()
        Invoke-MgGraphRequest GET 'v1.0/users?$top=2' -All | ForEach-Object { $seen.Add(@(Get-Sent).Count) }
        $seen[0] | Should -Be 1
        $seen[2] | Should -Be 2
        Clear-GraphEmulatorRequest $emulator
        $first = Invoke-MgGraphRequest GET 'v1.0/users?$top=2' -All | Select-Object -First 1
        $first.userPrincipalName | Should -Be 'user1@contoso.example'
        @(Get-Sent).Count | Should -Be 1
    }

    It 'without -All, one page and its next link' {
        $page = Invoke-MgGraphRequest GET 'v1.0/users?$top=2'
        $page.value.Count | Should -Be 2
        $page['@odata.nextLink'] | Should -Not -BeNullOrEmpty
        @(Get-Sent).Count | Should -Be 1
    }
}

Describe 'Diagnostics' {
    It '-Debug shows the request and response, never the token' {
        $lines = Invoke-MgGraphRequest -Method POST v1.0/_echo -Body @{ a = 1 } -Debug 5>&1 |
            Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message
        $text = $lines -join "`n"
        $text | Should -Match 'HTTP REQUEST'
        $text | Should -Match 'HTTP RESPONSE'
        $text | Should -Match ([regex]::Escape("$($emulator.Url)/v1.0/_echo"))
        $text | Should -Not -Match ([regex]::Escape($token))
        $text | Should -Not -Match ([regex]::Escape($token.Split('.')[2]))
    }

    It 'masks the token when a server repeats it' {
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'echo'; status = 400 }
        $e = Get-Stop { Invoke-MgGraphRequest GET v1.0/users -Debug 5>$null }
        $e.FullyQualifiedErrorId | Should -Be "InvokeGraphHttpResponseException,$class"
        "$($e.ErrorDetails.Message)" | Should -Not -Match ([regex]::Escape($token.Split('.')[2]))
    }

    It 'refuses when not connected' {
        $saved = Get-MgContext
        Disconnect-MgGraph | Out-Null
        try {
            $e = Get-Stop { Invoke-MgGraphRequest GET v1.0/users }
            $e.FullyQualifiedErrorId | Should -Be "NotConnected,$class"
            $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        } finally {
            Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome
        }
        $saved | Should -Not -BeNullOrEmpty
    }
}
