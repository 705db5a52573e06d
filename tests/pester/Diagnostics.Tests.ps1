# -Verbose and -Debug of Update-MgBetaUserAuthenticationQrCodePinMethodPin against the emulator: one verbose line
# per HTTP attempt, the official debug layout (HttpMessageLogFormatter and the CmdletBeginProcessing lines), and
# no PIN or token in either stream while the PIN is in the output's Code.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    $script:token = New-GraphEmulatorToken $emulator @{ scp = 'UserAuthenticationMethod.ReadWrite.All' }
    $null = Add-MgEnvironment -Name $emulator.EnvironmentName -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
    Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome
    $script:defaults = @{ RetryDelay = 3; MaxRetry = 3; RetriesTimeLimit = 0; MaxConcurrency = 8; ClientTimeout = 300 }
    $script:user = 'adele.vance@contoso.example'
    $script:url = "$($emulator.Url)/beta/users/adele.vance%40contoso.example/authentication/qrCodePinMethod/pin"
    $script:guid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = $user })
        Set-MgRequestContext @defaults -RetryDelay 0 | Out-Null
    }
    function Add-Fault([hashtable] $Fault) { $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body $Fault }
    function Get-PinRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' }) }
    # Runs the cmdlet and sorts what came out: output objects, verbose messages, debug messages.
    function Invoke-Captured([scriptblock] $Command) {
        $all = @(& $Command 4>&1 5>&1)
        [pscustomobject]@{
            Output  = @($all | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] })
            Verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            Debug   = @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        }
    }
    # Arrays even for one line, so [0] is the first line rather than its first character.
    function Get-AttemptLine($Captured) { , @($Captured.Verbose | Where-Object { $_.StartsWith('PATCH ') }) }
    function Get-Block($Captured, [string] $Kind) { , @($Captured.Debug | Where-Object { $_.StartsWith("============================ HTTP $Kind") }) }
    function Format-HeaderLine([string] $Name, [string] $Value) { '{0,-30}: {1}' -f $Name, $Value }
}

AfterAll {
    Set-MgRequestContext @defaults | Out-Null
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name $emulator.EnvironmentName -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe '-Verbose: one line per HTTP attempt' {
    BeforeEach { Reset-Tenant }

    It 'says method, URL, status, duration, request-id and attempt for a plain call' {
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Verbose }
        $run.Output[0].Code | Should -BeExactly '09599786'
        $lines = Get-AttemptLine $run
        $lines.Count | Should -Be 1
        $lines[0] | Should -Match ("^PATCH $([regex]::Escape($url)) -> 201 Created in \d+ ms \(request-id $guid, attempt 1 of 4\)$")
        # The other verbose line is PowerShell's own ShouldProcess line, as for the official cmdlet.
        $run.Verbose.Count | Should -Be 2
    }

    It 'writes one line per attempt, each with the wait before the next, when Graph throttles' {
        Add-Fault @{ kind = 'status'; status = 429; retryAfter = 1 }
        Add-Fault @{ kind = 'status'; status = 503; retryAfter = 0 }
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Verbose }
        $lines = Get-AttemptLine $run
        $lines.Count | Should -Be 3
        $lines[0] | Should -Match "-> 429 TooManyRequests in \d+ ms \(request-id $guid, attempt 1 of 4\); retrying in 1\.0 s$"
        $lines[1] | Should -Match "-> 503 ServiceUnavailable in \d+ ms \(request-id $guid, attempt 2 of 4\); retrying in 0\.0 s$"
        $lines[2] | Should -Match "-> 201 Created in \d+ ms \(request-id $guid, attempt 3 of 4\)$"
        (Get-PinRequest).Count | Should -Be 3
    }

    It 'counts attempts against MaxRetry' {
        Set-MgRequestContext -MaxRetry 1 | Out-Null
        Add-Fault @{ kind = 'status'; status = 503; retryAfter = 0; count = 2 }
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Verbose -ErrorAction SilentlyContinue -WarningAction SilentlyContinue }
        $lines = Get-AttemptLine $run
        $lines.Count | Should -Be 2
        $lines[0] | Should -Match 'attempt 1 of 2\); retrying in 0\.0 s$'
        $lines[1] | Should -Match '-> 503 ServiceUnavailable in \d+ ms \(request-id \S+, attempt 2 of 2\)$'
    }

    It 'names a transport failure instead of a status, with no request-id' {
        Add-Fault @{ kind = 'resetBeforeApply' }
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Verbose }
        $lines = Get-AttemptLine $run
        $lines.Count | Should -Be 2
        $lines[0] | Should -Match ("^PATCH $([regex]::Escape($url)) -> failed: .+ in \d+ ms \(request-id none, attempt 1 of 4\); retrying in 0\.0 s$")
        $lines[1] | Should -Match '-> 201 Created in \d+ ms \(request-id \S+, attempt 2 of 4\)$'
    }

    It 'ends a failed call with its status and nothing after it' {
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code '09599786' -Verbose -ErrorAction SilentlyContinue }
        $lines = Get-AttemptLine $run
        $lines.Count | Should -Be 1
        $lines[0] | Should -Match "/beta/users/nobody%40contoso.example/authentication/qrCodePinMethod/pin -> 404 NotFound in \d+ ms \(request-id $guid, attempt 1 of 4\)$"
    }

    It 'writes one line per item in a pipeline' {
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = 'alex@contoso.example' })
        $run = Invoke-Captured { @(@{ UserId = $user; Code = '11112222' }, @{ UserId = 'alex@contoso.example'; Code = '33334444' }) | Update-MgBetaUserAuthenticationQrCodePinMethodPin -Verbose }
        $lines = Get-AttemptLine $run
        $lines.Count | Should -Be 2
        @($lines | Where-Object { $_ -match 'adele\.vance%40' }).Count | Should -Be 1
        @($lines | Where-Object { $_ -match 'alex%40' }).Count | Should -Be 1
    }

    It 'writes nothing without -Verbose' {
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' }
        $run.Verbose.Count | Should -Be 0
        $run.Debug.Count | Should -Be 0
        $run.Output[0].Code | Should -BeExactly '09599786'
    }
}

Describe '-Debug: the official layout' {
    BeforeEach { Reset-Tenant }

    It 'opens with the CmdletBeginProcessing and Authentication lines and closes with CmdletEndProcessing' {
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Debug }
        $run.Debug[0] | Should -BeExactly "[CmdletBeginProcessing]: - Update-MgBetaUserAuthenticationQrCodePinMethodPin begin processing with parameterSet 'UpdateExpanded'."
        $run.Debug[1] | Should -BeExactly "[Authentication]: - AuthType: 'UserProvidedAccessToken', TokenCredentialType: 'UserProvidedAccessToken', ContextScope: 'Process', AppName: ''."
        $run.Debug[2] | Should -BeExactly '[Authentication]: - Scopes: [UserAuthenticationMethod.ReadWrite.All].'
        $run.Debug[-1] | Should -BeExactly '[CmdletEndProcessing]: - Update-MgBetaUserAuthenticationQrCodePinMethodPin end processing.'
        $run.Debug.Count | Should -Be 6
    }

    It 'names the parameter set in the begin line: <Set>' -ForEach @(
        @{ Set = 'UpdateViaIdentityExpanded'; Command = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ UserId = $user } -Code '09599786' -Debug } }
        @{ Set = 'Update'; Command = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -BodyParameter @{ code = '09599786' } -Debug } }
    ) {
        $run = Invoke-Captured $Command
        $run.Debug[0] | Should -BeExactly "[CmdletBeginProcessing]: - Update-MgBetaUserAuthenticationQrCodePinMethodPin begin processing with parameterSet '$Set'."
    }

    It 'shows the request as sent, without Authorization and with the PIN redacted' {
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Headers @{ 'X-Diag-Case' = 'layout' } -Debug }
        $sent = (Get-PinRequest)[0]
        $requests = Get-Block $run 'REQUEST'
        $requests.Count | Should -Be 1
        $expected = "============================ HTTP REQUEST ============================`n`n" +
            "HTTP Method:`nPATCH`n`n" +
            "Absolute Uri:`n$url`n`n" +
            "Headers:`n" + ((
                (Format-HeaderLine 'Content-Type' 'application/json'),
                (Format-HeaderLine 'Accept' 'application/json'),
                (Format-HeaderLine 'User-Agent' $sent.headers.'user-agent'),
                (Format-HeaderLine 'client-request-id' $sent.headers.'client-request-id'),
                (Format-HeaderLine 'X-Diag-Case' 'layout')) -join "`n") + "`n`n" +
            "Body:`n{`n  `"code`": `"<redacted>`"`n}`n`n"
        $requests[0] | Should -BeExactly $expected
    }

    It 'shows the response with its status name, every header it came with and the PIN redacted' {
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Debug -Verbose }
        $responses = Get-Block $run 'RESPONSE'
        $responses.Count | Should -Be 1
        $block = $responses[0]
        $layout = [regex]::Match($block, '^============================ HTTP RESPONSE ============================\n\nStatus Code:\nCreated\n\nHeaders:\n(?<headers>(?:.{30}: .*\n)+)\nBody:\n(?<body>\{\n[\s\S]*\n\})\n\n$')
        $layout.Success | Should -BeTrue -Because $block
        $headers = $layout.Groups['headers'].Value
        $body = $layout.Groups['body'].Value | ConvertFrom-Json
        $body.code | Should -BeExactly '<redacted>'
        $body.forceChangePinNextSignIn | Should -BeTrue
        $body.'@odata.type' | Should -Be '#microsoft.graph.qrPin'
        # The request-id in the block is the one the verbose line names.
        $requestId = [regex]::Match((Get-AttemptLine $run)[0], "request-id ($guid)").Groups[1].Value
        $requestId | Should -Not -BeNullOrEmpty
        $headers | Should -Match ("(?m)^$([regex]::Escape((Format-HeaderLine 'request-id' $requestId)))$")
        $headers | Should -Match '(?m)^x-ms-resource-unit {12}: 1$'
        $run.Output[0].Code | Should -BeExactly '09599786'
    }

    It 'shows each attempt, a retry with its Retry-Attempt header' {
        Add-Fault @{ kind = 'status'; status = 429; retryAfter = 0 }
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Debug }
        $requests = Get-Block $run 'REQUEST'
        $responses = Get-Block $run 'RESPONSE'
        $requests.Count | Should -Be 2
        $responses.Count | Should -Be 2
        $requests[0] | Should -Not -Match 'Retry-Attempt'
        $requests[1] | Should -Match ("(?m)^$([regex]::Escape((Format-HeaderLine 'Retry-Attempt' '1')))$")
        $responses[0] | Should -Match 'Status Code:\nTooManyRequests\n'
        # Graph's error code is not a secret: it stays readable.
        $responses[0] | Should -Match '"code": "TooManyRequests"'
        $responses[1] | Should -Match 'Status Code:\nCreated\n'
    }

    It 'shows only the size of a body it cannot check for secrets' {
        Add-Fault @{ kind = 'malformedJson' }
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Debug -ErrorAction SilentlyContinue }
        $response = (Get-Block $run 'RESPONSE')[0]
        $response | Should -Match 'Body:\n\(\d+ bytes of text that is not a JSON object, not shown: it cannot be checked for secrets\)\n\n$'
        $response | Should -Not -Match '09599786'
    }

    It 'shows an empty body as nothing' {
        Add-Fault @{ kind = 'status'; status = 500; errorBody = 'empty' }
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Debug -ErrorAction SilentlyContinue }
        (Get-Block $run 'RESPONSE')[0] | Should -Match 'Status Code:\nInternalServerError\n[\s\S]*\nBody:\n\n\n$'
    }

    It 'shows a request that got no answer, and no response block for it' {
        Add-Fault @{ kind = 'resetBeforeApply' }
        $run = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '09599786' -Debug }
        (Get-Block $run 'REQUEST').Count | Should -Be 2
        (Get-Block $run 'RESPONSE').Count | Should -Be 1
    }

    It 'writes the begin lines once for a pipeline, and a block pair per item' {
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = 'alex@contoso.example' })
        $run = Invoke-Captured { @(@{ UserId = $user; Code = '11112222' }, @{ UserId = 'alex@contoso.example'; Code = '33334444' }) | Update-MgBetaUserAuthenticationQrCodePinMethodPin -Debug }
        @($run.Debug | Where-Object { $_ -like '`[CmdletBeginProcessing`]*' }).Count | Should -Be 1
        @($run.Debug | Where-Object { $_ -like '`[CmdletEndProcessing`]*' }).Count | Should -Be 1
        (Get-Block $run 'REQUEST').Count | Should -Be 2
        (Get-Block $run 'RESPONSE').Count | Should -Be 2
        $run.Output.Code | Should -Be @('11112222', '33334444')
    }
}

Describe 'No PIN and no token in the diagnostic streams' {
    BeforeEach { Reset-Tenant }

    It 'keeps the PIN in the output''s Code and out of every verbose and debug record' {
        $pins = @('48151623', '42424242', '31415926')
        Add-Fault @{ kind = 'status'; status = 503; retryAfter = 0 }
        $run = Invoke-Captured {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code $pins[0] -Verbose -Debug
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -BodyParameter @{ code = $pins[1]; forceChangePinNextSignIn = $false } -Verbose -Debug
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code $pins[2] -Verbose -Debug -ErrorAction SilentlyContinue
        }
        $generated = Invoke-Captured { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Verbose -Debug }
        $run.Output.Code | Should -Be $pins[0..1]
        $generated.Output[0].Code | Should -Match '^\d{8}$'
        $text = (@($run.Verbose) + @($run.Debug) + @($generated.Verbose) + @($generated.Debug)) -join "`n"
        # A sanity check that the streams were really captured.
        $text | Should -Match 'HTTP REQUEST'
        $text | Should -Match '-> 201 Created'
        foreach ($secret in @($pins) + @($generated.Output[0].Code) + @($token)) {
            $text.Contains($secret) | Should -BeFalse -Because 'no PIN or token may appear in verbose or debug text'
        }
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}'
        $text | Should -Not -Match '(?im)^authorization\s*:'
    }
}

Describe 'Log lines of parallel runspaces' {
    BeforeEach { Reset-Tenant }

    It 'gives every item of ForEach-Object -Parallel its own verbose lines and Graph warnings, and no one else''s' {
        $users = @(1..40 | ForEach-Object { "par$_@contoso.example" })
        $null = Add-GraphEmulatorUser $emulator @($users | ForEach-Object { @{ userPrincipalName = $_ } })
        foreach ($u in $users) { Add-Fault @{ kind = 'warning'; user = $u; text = "299 - `"for $u`"" } }
        $null = Invoke-GraphEmulatorControl $emulator 'behaviour' -Method PUT -Body @{ latencyMs = 5; jitterMs = 30 }
        $manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
        $runs = @($users | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:manifest
                $all = @(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $_ -Verbose -WarningVariable warned -WarningAction SilentlyContinue 4>&1)
                [pscustomobject]@{
                    User     = $_
                    Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
                    Attempts = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message.StartsWith('PATCH ') } | ForEach-Object Message)
                    Warnings = @($warned | ForEach-Object Message)
                }
            })
        $runs.Count | Should -Be 40
        foreach ($run in $runs) {
            $escaped = [uri]::EscapeDataString($run.User)
            $run.Output.UserId | Should -Be $run.User
            $run.Attempts.Count | Should -Be 1 -Because "$($run.User) made one attempt"
            $run.Attempts[0] | Should -BeLike "PATCH */users/$escaped/authentication/*"
            $run.Warnings.Count | Should -Be 1 -Because "$($run.User) got one Graph warning"
            $run.Warnings[0] | Should -BeLike "*for $($run.User)*"
        }
    }
}
