# The error of every failure path of Update-MgBetaUserAuthenticationQrCodePinMethodPin, against the emulator:
# ErrorId, FullyQualifiedErrorId, category, exception message and the ErrorDetails block (to its last character),
# for Graph error bodies, non-JSON and empty error bodies, transport failures and retries that ran out.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:defaults = @{ RetryDelay = 3; MaxRetry = 3; RetriesTimeLimit = 0; MaxConcurrency = 8; ClientTimeout = 300 }
    $script:cmdletClass = 'Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_'
    $script:user = 'adele.vance@contoso.example'
    $script:pin = '27182818'
    # The last header Graph's standard set puts in the block (Content-Type and Content-Length are content
    # headers, which the official block leaves out): the block must end with it, every character kept.
    $script:lastLine = '{0,-30}: {1}' -f 'x-ms-resource-unit', '1'

    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = $user })
        Set-MgRequestContext @defaults -RetryDelay 0 | Out-Null
    }
    function Add-Fault([hashtable] $Fault) { $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body $Fault }
    function Get-PinRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' }) }
    # Runs the cmdlet once and returns its one error record (non-terminating errors come through stream 2).
    function Get-ErrorOf([scriptblock] $Command) {
        # The suite runner sets ErrorActionPreference Stop, which the cmdlet follows as the official one does.
        $ErrorActionPreference = 'Continue'
        $records = @(& $Command 2>&1 3>$null | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $records.Count | Should -Be 1
        $records[0]
    }
    function Invoke-Reset { Get-ErrorOf { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code $pin } }
    # The official ErrorDetails block, split: message, status line, code, date, header lines.
    function Split-Details([string] $Text) {
        $m = [regex]::Match($Text, '^(?<message>[\s\S]*)\n\nStatus: (?<status>.*)\nErrorCode: (?<code>.*)\nDate: (?<date>.*)\n\nHeaders:\n(?<headers>[\s\S]*)$')
        $m.Success | Should -BeTrue -Because $Text
        [pscustomobject]@{
            Message = $m.Groups['message'].Value; Status = $m.Groups['status'].Value; Code = $m.Groups['code'].Value
            Date = $m.Groups['date'].Value; Headers = @($m.Groups['headers'].Value -split "`n")
        }
    }
}

AfterAll {
    Set-MgRequestContext @defaults | Out-Null
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name $emulator.EnvironmentName -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'A Graph error body' {
    BeforeEach { Reset-Tenant }

    It 'gives Graph''s code and message, InvalidOperation, and the official ErrorDetails block' {
        $e = Get-ErrorOf {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code $pin }
        $message = "Resource 'nobody@contoso.example' does not exist or one of its queried reference-property objects are not present."
        $e.Exception.Message | Should -BeExactly "[Request_ResourceNotFound] : $message"
        $e.FullyQualifiedErrorId | Should -BeExactly "Request_ResourceNotFound,$($cmdletClass)UpdateExpanded"
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e.CategoryInfo.Activity | Should -Be 'Update-MgBetaUserAuthenticationQrCodePinMethodPin_UpdateExpanded'
        $e.ErrorDetails.RecommendedAction | Should -BeExactly 'See service error codes: https://learn.microsoft.com/graph/errors'
        $d = Split-Details $e.ErrorDetails.Message
        $d.Message | Should -BeExactly $message
        $d.Status | Should -BeExactly '404 (NotFound)'
        $d.Code | Should -BeExactly 'Request_ResourceNotFound'
        $d.Date | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$'
        foreach ($line in $d.Headers) { $line | Should -Match '^[^ ].{29}: \S' }
        ($d.Headers | ForEach-Object { $_.Substring(0, 30).TrimEnd() }) | Should -Be @('request-id', 'client-request-id', 'date',
            'cache-control', 'strict-transport-security', 'x-ms-ags-diagnostic', 'x-ms-resource-unit')
        $e.ErrorDetails.Message | Should -Not -Match '(?i)authorization|bearer'
        $e.ErrorDetails.Message.EndsWith("`n$lastLine") | Should -BeTrue -Because 'the last character is kept'
        $e.Exception.Data['StatusCode'] | Should -Be 404
        $e.Exception.Data['ErrorCode'] | Should -Be 'Request_ResourceNotFound'
        $e.Exception.Data['RequestId'] | Should -Match '^[0-9a-f-]{36}$'
        $e.TargetObject.UserId | Should -Be 'nobody@contoso.example'
        $e.TargetObject.body.code | Should -Be '<redacted>'
    }

    It 'names the parameter set the call used: <Set>' -ForEach @(
        @{ Set = 'UpdateViaIdentityExpanded'; Command = {
                Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ UserId = 'nobody@contoso.example' } -Code $pin } }
        @{ Set = 'Update'; Command = {
                Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -BodyParameter @{ code = $pin } } }
        @{ Set = 'UpdateViaIdentity'; Command = {
                Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject '{"UserId":"nobody@contoso.example"}' -BodyParameter @{ code = $pin } } }
    ) {
        $e = Get-ErrorOf $Command
        $e.FullyQualifiedErrorId | Should -BeExactly "Request_ResourceNotFound,$cmdletClass$Set"
    }
}

Describe 'An error body that is not Graph''s: the status name is the code' {
    BeforeEach { Reset-Tenant }

    It 'an HTML page from a gateway (<Status>) becomes [<Code>] : followed by the page' -ForEach @(
        @{ Status = 500; Code = 'InternalServerError'; Reason = 'Internal Server Error' }
        @{ Status = 502; Code = 'BadGateway'; Reason = 'Bad Gateway' }
    ) {
        Add-Fault @{ kind = 'status'; status = $Status; errorBody = 'html' }
        $e = Invoke-Reset
        $page = "<html><head><title>$Status $Reason</title></head><body><h1>$Status $Reason</h1><p>The emulator's gateway was told to fail this request.</p></body></html>"
        $e.Exception.Message | Should -BeExactly "[$Code] : $page"
        $e.FullyQualifiedErrorId | Should -BeExactly "$Code,$($cmdletClass)UpdateExpanded"
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e.ErrorDetails.Message | Should -BeExactly ("$page`n`nStatus: $Status ($Code)`nErrorCode: $Code`nDate: `n`nHeaders:`n" +
            ((Split-Details $e.ErrorDetails.Message).Headers -join "`n"))
        $e.ErrorDetails.Message.EndsWith("`n$lastLine") | Should -BeTrue
        (Get-PinRequest).Count | Should -Be 1
    }

    It 'an empty body (<Status>) becomes [<Code>] : <Reason>' -ForEach @(
        @{ Status = 500; Code = 'InternalServerError'; Reason = 'Internal Server Error' }
        @{ Status = 503; Code = 'ServiceUnavailable'; Reason = 'Service Unavailable' }
    ) {
        Set-MgRequestContext -MaxRetry 0 | Out-Null
        Add-Fault @{ kind = 'status'; status = $Status; errorBody = 'empty' }
        $e = Invoke-Reset
        $e.Exception.Message | Should -BeExactly "[$Code] : $Reason"
        $e.FullyQualifiedErrorId | Should -BeExactly "$Code,$($cmdletClass)UpdateExpanded"
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $d = Split-Details $e.ErrorDetails.Message
        $d.Message | Should -BeExactly $Reason
        $d.Status | Should -BeExactly "$Status ($Code)"
        $d.Code | Should -BeExactly $Code
        $d.Date | Should -BeExactly ''
        $e.ErrorDetails.Message.EndsWith("`n$lastLine") | Should -BeTrue
        $e.Exception.Data['StatusCode'] | Should -Be $Status
    }
}

Describe 'Transport failures are NotSpecified' {
    BeforeEach { Reset-Tenant }

    It 'a connection reset after a PATCH without a code (not sent again)' {
        Add-Fault @{ kind = 'resetAfterApply' }
        $e = Get-ErrorOf {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user }
        $e.CategoryInfo.Category | Should -Be 'NotSpecified'
        $e.FullyQualifiedErrorId | Should -BeExactly "HttpRequestFailed,$($cmdletClass)UpdateExpanded"
        $e.Exception | Should -BeOfType ([System.Net.Http.HttpRequestException])
        $e.Exception.Message | Should -Match 'may or may not have changed'
        $e.ErrorDetails | Should -BeNullOrEmpty
        (Get-PinRequest).Count | Should -Be 1
    }

    It 'connection resets that outlast the retries, with a code' {
        Set-MgRequestContext -MaxRetry 1 | Out-Null
        Add-Fault @{ kind = 'resetBeforeApply'; count = 2 }
        $e = Invoke-Reset
        $e.CategoryInfo.Category | Should -Be 'NotSpecified'
        $e.FullyQualifiedErrorId | Should -BeExactly "HttpRequestFailed,$($cmdletClass)UpdateExpanded"
        $e.Exception.Message | Should -Match 'sent again after earlier failures'
        (Get-PinRequest).Count | Should -Be 2
    }

    It 'a refused connection' {
        $null = Add-MgEnvironment -Name Refusing -AzureADEndpoint 'http://127.0.0.1:9' -GraphEndpoint 'http://127.0.0.1:9'
        Connect-MgGraph -AccessToken (ConvertTo-SecureString 'opaque-token' -AsPlainText -Force) -Environment Refusing -NoWelcome
        try {
            $e = Invoke-Reset
        } finally {
            Connect-GraphEmulator $emulator
            Remove-MgEnvironment -Name Refusing
        }
        $e.CategoryInfo.Category | Should -Be 'NotSpecified'
        $e.FullyQualifiedErrorId | Should -BeExactly "HttpRequestFailed,$($cmdletClass)UpdateExpanded"
        $e.Exception.Message | Should -Match 'refused'
        $e.Exception.Message | Should -Not -Match 'opaque-token'
    }

    It 'no answer within ClientTimeout' {
        Set-MgRequestContext -ClientTimeout 1 -MaxRetry 0 | Out-Null
        Add-Fault @{ kind = 'hang'; delayMs = 10000 }
        $e = Invoke-Reset
        $e.CategoryInfo.Category | Should -Be 'NotSpecified'
        $e.FullyQualifiedErrorId | Should -BeExactly "HttpRequestFailed,$($cmdletClass)UpdateExpanded"
        $e.Exception.Message | Should -Match 'timed out after 1 seconds without an answer \(ClientTimeout\)'
    }
}

Describe 'Retries that ran out' {
    BeforeEach { Reset-Tenant }

    It 'carry Graph''s <Status>, its code and its Retry-After' -ForEach @(
        @{ Status = 429; Code = 'TooManyRequests'; Body = 'graph'; Message = 'The emulator was told to fail this request.' }
        @{ Status = 503; Code = 'ServiceUnavailable'; Body = 'empty'; Message = 'Service Unavailable' }
    ) {
        Add-Fault @{ kind = 'status'; status = $Status; retryAfter = 0; count = 4; errorBody = $Body }
        $e = Invoke-Reset
        $e.CategoryInfo.Category | Should -Be 'NotSpecified'
        $e.FullyQualifiedErrorId | Should -BeExactly "$Code,$($cmdletClass)UpdateExpanded"
        $e.Exception.Message | Should -BeExactly "Too many retries performed. More than 3 retries encountered while sending the request. [$Code] : $Message"
        $e.Exception.Data['StatusCode'] | Should -Be $Status
        $e.Exception.Data['ErrorCode'] | Should -Be $Code
        $e.Exception.Data['RetryAfter'] | Should -Be '0'
        $e.Exception.Data['Retries'] | Should -Be 3
        $d = Split-Details $e.ErrorDetails.Message
        $d.Status | Should -BeExactly "$Status ($Code)"
        $d.Code | Should -BeExactly $Code
        # Retry-After comes after Graph's standard headers, so it closes the block, every character kept.
        $e.ErrorDetails.Message.EndsWith("`n" + ('{0,-30}: {1}' -f 'retry-after', '0')) | Should -BeTrue
        (Get-PinRequest).Count | Should -Be 4
    }
}

Describe 'No PIN in any error' {
    BeforeEach { Reset-Tenant }

    It 'keeps the PIN out of the message, ErrorDetails, target object and formatted record of every kind' {
        $Error.Clear()
        Add-Fault @{ kind = 'status'; status = 500; errorBody = 'html' }
        $null = Invoke-Reset
        Add-Fault @{ kind = 'status'; status = 429; retryAfter = 0; count = 4 }
        $null = Invoke-Reset
        Set-MgRequestContext -MaxRetry 0 | Out-Null
        Add-Fault @{ kind = 'resetBeforeApply' }
        $null = Invoke-Reset
        $null = Get-ErrorOf {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -BodyParameter @{ code = $pin } }
        $Error.Count | Should -BeGreaterOrEqual 4
        $text = @($Error | ForEach-Object {
                $_ | Out-String
                $_ | Format-List * -Force | Out-String
                $_.Exception | Format-List * -Force | Out-String
                "$($_.TargetObject | ConvertTo-Json -Depth 5 -Compress)"
            }) -join "`n"
        $text | Should -Match 'Too many retries performed'
        $text.Contains($pin) | Should -BeFalse
        # The PIN still went to Graph: it is where it belongs.
        (Get-PinRequest)[-1].body | Should -Match $pin
    }
}

Describe 'No PIN in the target of an input error' {
    It 'masks the code of a piped record, a body and JSON text that the module refused before sending' {
        $pin = '86420135'
        $Error.Clear()
        try { [pscustomobject]@{ Code = $pin } | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorAction Stop } catch { }
        try { Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ code = $pin } -ErrorAction Stop } catch { }
        try { Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject "{`"code`":`"$pin`"}" -ErrorAction Stop } catch { }
        $Error.Count | Should -BeGreaterOrEqual 3
        foreach ($record in $Error) {
            $record.FullyQualifiedErrorId | Should -Match 'UpdateMgBetaUserAuthenticationQrCodePinMethodPin_UpdateViaIdentity'
            "$($record.TargetObject | ConvertTo-Json -Depth 5 -Compress)" | Should -Match '<redacted>'
            ($record | Format-List * -Force | Out-String).Contains($pin) | Should -BeFalse
        }
    }
}
