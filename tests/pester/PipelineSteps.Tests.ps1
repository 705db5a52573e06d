# -HttpPipelinePrepend / -HttpPipelineAppend: script steps around each request, through the exact cmdlet,
# against the emulator. What the emulator received is the proof of what was sent.
BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:cmdletClass = 'Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_'

    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $script:users = @(Add-GraphEmulatorUser $emulator @(1..5 | ForEach-Object { @{ userPrincipalName = "user$_@contoso.example" } }))
    }
    function Get-PinRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' }) }
    function Get-EmulatorUser($Id) { Invoke-GraphEmulatorControl $emulator "users/$Id" }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'Steps change the request' {
    BeforeEach { Reset-Tenant }

    It 'sends a header a prepend step adds' {
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -HttpPipelinePrepend {
            param($Request) $Request.Headers['X-Ms-Step'] = 'from-prepend'
        }
        $pin.Code | Should -BeExactly '12345678'
        $sent = Get-PinRequest
        $sent.Count | Should -Be 1
        $sent[0].headers.'x-ms-step' | Should -BeExactly 'from-prepend'
        $sent[0].headers.authorization | Should -Match '^Bearer '
    }

    It 'sends the body a step wrote, and Graph applies the changed PIN' {
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -HttpPipelineAppend {
            param($Request, $Response)
            if ($Response) { return }
            $body = $Request.Body | ConvertFrom-Json -AsHashtable
            $body.code = '87654321'
            $Request.Body = $body | ConvertTo-Json -Compress
        }
        $pin.Code | Should -BeExactly '87654321'
        (Get-PinRequest)[0].body | Should -BeExactly '{"code":"87654321"}'
        (Get-EmulatorUser $users[0].id).pin.code | Should -BeExactly '87654321'
    }

    It 'sends a changed method, and the response steps see Graph''s answer to it' {
        $script:status = $null
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -ErrorVariable failures -ErrorAction SilentlyContinue -HttpPipelinePrepend {
            param($Request, $Response)
            if ($Response) { $script:status = $Response.StatusCode } else { $Request.Method = 'delete' }
        }
        (Get-PinRequest)[0].method | Should -Be 'DELETE'
        $script:status | Should -Be 405
        $failures[-1].FullyQualifiedErrorId | Should -BeLike "Request_BadRequest,$cmdletClass*"
        (Get-EmulatorUser $users[0].id).appliedUpdates | Should -Be 0
    }
}

Describe 'What each step sees, and in which order' {
    BeforeAll {
        Reset-Tenant
        $script:log = [System.Collections.Generic.List[object]]::new()
        $record = {
            param($Name)
            # A step made from this template records what it saw, under its name.
            $sink = $script:log
            {
                param($Request, $Response)
                $sink.Add([pscustomobject]@{
                        Step      = $Name
                        Phase     = if ($Response) { 'Response' } else { 'Request' }
                        Method    = $Request.Method
                        Uri       = $Request.Uri
                        Headers   = @($Request.Headers.Keys)
                        UserAgent = $Request.Headers.ContainsKey('user-agent')
                        Status    = if ($Response) { $Response.StatusCode }
                        Reason    = if ($Response) { $Response.ReasonPhrase }
                        RequestId = if ($Response) { $Response.Headers['REQUEST-ID'] }
                        Body      = if ($Response) { $Response.Body }
                    })
            }.GetNewClosure()
        }
        $prepend = (& $record 'p1'), (& $record 'p2')
        $append = (& $record 'a1'), (& $record 'a2')
        $script:pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[1].id -Code '24681357' `
            -Headers @{ 'x-from-headers' = 'yes' } -HttpPipelinePrepend $prepend -HttpPipelineAppend $append
    }

    It 'calls prepend steps, then append steps, then the response steps in reverse' {
        ($log | ForEach-Object { "$($_.Step):$($_.Phase)" }) | Should -Be @(
            'p1:Request', 'p2:Request', 'a1:Request', 'a2:Request', 'a2:Response', 'a1:Response', 'p2:Response', 'p1:Response')
        $pin.Code | Should -BeExactly '24681357'
    }

    It 'shows prepend steps the request without the module''s headers, append steps with them, and never Authorization' {
        $first = $log[0]
        $first.Method | Should -Be 'PATCH'
        $first.Uri | Should -BeOfType [System.Uri]
        $first.Uri.AbsoluteUri | Should -Be "$($emulator.Url)/beta/users/$($users[1].id)/authentication/qrCodePinMethod/pin"
        $first.Headers | Should -Be @('x-from-headers')
        $first.UserAgent | Should -BeFalse
        $log[2].UserAgent | Should -BeTrue
        $log[2].Headers | Should -Contain 'Accept'
        $log[2].Headers | Should -Contain 'client-request-id'
        foreach ($entry in $log) { $entry.Headers | Should -Not -Contain 'Authorization' }
        # What the append steps saw is what went out.
        $sent = (Get-PinRequest)[0]
        $sent.headers.'user-agent' | Should -Match '^Microsoft\.Graph\.Rs/.+PowerShell/'
        $sent.headers.'x-from-headers' | Should -Be 'yes'
    }

    It 'shows response steps the status, headers (case-insensitive) and body' {
        $answer = $log | Where-Object Phase -EQ 'Response' | Select-Object -First 1
        $answer.Status | Should -Be 201
        $answer.Reason | Should -Be 'Created'
        $answer.RequestId | Should -Match '^[0-9a-f-]{36}$'
        ($answer.Body | ConvertFrom-Json).code | Should -BeExactly '24681357'
    }

    It 'shows response steps a Graph error, and the error record still follows' {
        $script:seen = $null
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -ErrorVariable failures -ErrorAction SilentlyContinue `
            -HttpPipelineAppend { param($Request, $Response) if ($Response) { $script:seen = $Response } }
        $seen.StatusCode | Should -Be 404
        ($seen.Body | ConvertFrom-Json).error.code | Should -Be 'Request_ResourceNotFound'
        { $seen.Headers['x-new'] = '1' } | Should -Throw
        $failures[-1].FullyQualifiedErrorId | Should -BeLike "Request_ResourceNotFound,$cmdletClass*"
    }
}

Describe 'Requests the library refuses' {
    BeforeEach { Reset-Tenant }

    It 'sends nothing when a step points the Uri at another host' {
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -ErrorVariable failures -ErrorAction SilentlyContinue `
            -HttpPipelinePrepend { param($Request) $Request.Uri = [uri]'http://127.0.0.2:9/beta/users/x/authentication/qrCodePinMethod/pin' }
        $failures[-1].FullyQualifiedErrorId | Should -Be "InvalidHttpPipelineRequest,$($cmdletClass)UpdateExpanded"
        $failures[-1].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[-1].Exception.Message | Should -Match 'nothing was sent'
        $failures[-1].Exception.Message | Should -Match '127\.0\.0\.2'
        Get-GraphEmulatorRequest $emulator | Should -BeNullOrEmpty
    }

    It 'refuses <Name> set by a step, and sends nothing' -ForEach @(
        @{ Name = 'an Authorization header'; Step = { param($Request) $Request.Headers['Authorization'] = 'Bearer stolen' } }
        @{ Name = 'a Host header'; Step = { param($Request) $Request.Headers['Host'] = 'evil.example.com' } }
        @{ Name = 'a body that is not JSON'; Step = { param($Request) $Request.Body = 'code=12345678' } }
    ) {
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -ErrorVariable failures -ErrorAction SilentlyContinue -HttpPipelineAppend $Step
        $failures[-1].FullyQualifiedErrorId | Should -BeLike 'InvalidHttpPipelineRequest,*'
        $failures[-1].Exception.Message | Should -Not -Match '12345678'
        Get-GraphEmulatorRequest $emulator | Should -BeNullOrEmpty
    }
}

Describe 'A step that throws' {
    BeforeEach { Reset-Tenant }

    It 'before sending: an error naming the step, nothing sent, and the next item goes on' {
        $script:calls = 0
        $step = {
            param($Request, $Response)
            if (-not $Response) {
                $script:calls++
                if ($script:calls -eq 1) { throw 'the vault is locked' }
            }
        }
        $out = @($users[0..1] | ForEach-Object { [pscustomobject]@{ UserId = $_.id } } |
                Update-MgBetaUserAuthenticationQrCodePinMethodPin -HttpPipelineAppend { }, $step -ErrorVariable failures -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].UserId | Should -Be $users[1].id
        # One error for one failure: the step's own exception is inside it, not beside it.
        $failures.Count | Should -Be 1
        $failure = $failures[0]
        $failure.FullyQualifiedErrorId | Should -Be "HttpPipelineStepFailed,$($cmdletClass)UpdateViaIdentity"
        $failure.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failure.Exception.Message | Should -Match '^Step 2 of 2 given to -HttpPipelineAppend failed before the request was sent, so nothing was sent'
        $failure.Exception.Message | Should -Match 'the vault is locked'
        $failure.Exception.InnerException.Message | Should -Be 'the vault is locked'
        $failure.Exception.Data['Step'] | Should -Be 'HttpPipelineAppend[1]'
        $failure.Exception.Data['Phase'] | Should -Be 'Request'
        $sent = Get-PinRequest
        $sent.Count | Should -Be 1
        $sent[0].path | Should -Match $users[1].id
    }

    It 'after the answer: the output comes first, then the error' {
        $stream = @(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '11223344' -ErrorAction Continue `
                -HttpPipelinePrepend { param($Request, $Response) if ($Response) { throw "cannot log status $($Response.StatusCode)" } } 2>&1)
        $stream.Count | Should -Be 2
        $stream[0].Code | Should -BeExactly '11223344'
        $stream[1] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $stream[1].FullyQualifiedErrorId | Should -BeLike 'HttpPipelineStepFailed,*'
        $stream[1].Exception.Message | Should -Match 'failed after Graph answered \(201 Created\)'
        $stream[1].Exception.Data['Phase'] | Should -Be 'Response'
        (Get-EmulatorUser $users[0].id).appliedUpdates | Should -Be 1
    }

    It 'stops the command under -ErrorAction Stop, after the output' {
        $out = [System.Collections.Generic.List[object]]::new()
        { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '11223344' -ErrorAction Stop `
                -HttpPipelineAppend { param($Request, $Response) if ($Response) { throw 'late' } } | ForEach-Object { $out.Add($_) } } |
            Should -Throw -ErrorId 'HttpPipelineStepFailed*'
        $out.Count | Should -Be 1
    }
}

Describe 'Steps with many items, -WhatIf and diagnostics' {
    BeforeEach { Reset-Tenant }

    It 'calls the steps for each piped item and keeps the input order' {
        $script:requests = [System.Collections.Generic.List[string]]::new()
        $script:responses = [System.Collections.Generic.List[int]]::new()
        $out = @($users | ForEach-Object { @{ UserId = $_.id } } | Update-MgBetaUserAuthenticationQrCodePinMethodPin -HttpPipelineAppend {
                param($Request, $Response)
                if ($Response) { $script:responses.Add($Response.StatusCode) } else { $script:requests.Add($Request.Uri.AbsolutePath) }
            })
        $out.UserId | Should -Be $users.id
        $requests.Count | Should -Be 5
        for ($i = 0; $i -lt 5; $i++) { $requests[$i] | Should -Match $users[$i].id }
        $responses | Should -Be @(201, 201, 201, 201, 201)
        (Get-PinRequest).Count | Should -Be 5
    }

    It 'does not write what a step outputs' {
        $out = @(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -HttpPipelinePrepend { 'noise'; 42 })
        $out.Count | Should -Be 1
        $out[0].PSObject.TypeNames[0] | Should -Be 'Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrPin'
    }

    It 'calls no step under -WhatIf' {
        $script:called = 0
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -WhatIf -HttpPipelinePrepend { $script:called++ } -HttpPipelineAppend { $script:called++ }
        $called | Should -Be 0
        Get-GraphEmulatorRequest $emulator | Should -BeNullOrEmpty
    }

    It 'keeps the PIN a step set out of the verbose and debug streams' {
        $streams = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -Verbose -Debug `
            -HttpPipelinePrepend { param($Request, $Response) if (-not $Response) { $Request.Body = '{"code":"97531864"}' } } 4>&1 5>&1
        $pin = $streams | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] }
        $pin.Code | Should -BeExactly '97531864'
        $lines = ($streams | Where-Object { $_ -is [System.Management.Automation.InformationalRecord] } | ForEach-Object Message) -join "`n"
        $lines | Should -Not -BeNullOrEmpty
        $lines | Should -Not -Match '97531864|12345678'
    }

    It 'keeps PINs and the token out of the transcript, the streams and $Error when steps run and fail' {
        $token = New-GraphEmulatorToken $emulator
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome
        $transcript = Join-Path $TestDrive 'steps-transcript.txt'
        $Error.Clear()
        $null = Start-Transcript -Path $transcript -Force
        try {
            $out = & {
                $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
                $users[0..1] | ForEach-Object { [pscustomobject]@{ UserId = $_.id; Code = '31415926' } } |
                    Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorAction SilentlyContinue -HttpPipelinePrepend {
                        param($Request, $Response)
                        if (-not $Response) { $Request.Body = '{"code":"27182818"}' }
                    } -HttpPipelineAppend { param($Request, $Response) if ($Response) { throw 'step failed late' } }
                Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code '16180339' -ErrorAction SilentlyContinue `
                    -HttpPipelineAppend { param($Request, $Response) $null = $Response }
            } *>&1 | ForEach-Object { $_ | Out-Host; $_ }
        } finally {
            $null = Stop-Transcript
        }
        @($out | Where-Object { $_.PSObject.TypeNames -contains 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin' }).Code | Should -Be @('27182818', '27182818')
        $text = Get-Content -Raw $transcript
        $text | Should -Match 'step failed late'
        $others = ($out | Where-Object { $_.PSObject.TypeNames -notcontains 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin' } | Out-String) +
            ($Error | Out-String) + ($Error | ForEach-Object { $_.TargetObject | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue } | Out-String)
        foreach ($secret in '31415926', '16180339', $token) {
            $others | Should -Not -Match ([regex]::Escape($secret))
            # The transcript shows the output objects, so only the changed PIN may appear there.
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
        $others | Should -Not -Match '27182818'
    }
}
