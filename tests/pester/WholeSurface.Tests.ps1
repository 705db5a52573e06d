# The whole cmdlet surface in one session under Start-Transcript, with -Verbose -Debug, pipeline steps
# and an authenticating proxy: all four parameter sets, a piped bulk run, each kind of error, -WhatIf.
# No PIN, token or proxy password may appear in the transcript, $Error, or the verbose, debug, warning
# or information streams, while every PIN must be in the Code of its output object.
BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    $script:proxyPassword = "px~$([guid]::NewGuid().ToString('n'))"
    $script:proxy = Start-TestProxy -UserName 'proxy-user' -Password $proxyPassword
    $script:savedContext = Get-MgRequestContext
}

AfterAll {
    $null = Set-MgRequestContext -MaxRetry $savedContext.MaxRetry -RetryDelay $savedContext.RetryDelay
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Stop-TestProxy $proxy
    Stop-GraphEmulator $emulator
}

Describe 'The whole surface under a transcript' {
    It 'keeps every PIN, token and secret out of the transcript, $Error and the streams, and every PIN in its output' {
        $users = @(Add-GraphEmulatorUser $emulator @(1..9 | ForEach-Object { @{ userPrincipalName = "user$_@contoso.example" } }))
        $upn = @($users.userPrincipalName)
        $token = New-GraphEmulatorToken $emulator
        $null = Add-MgEnvironment -Name $emulator.EnvironmentName -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome
        $null = Set-MgRequestContext -MaxRetry 1 -RetryDelay 0

        $pin = { -join (1..8 | ForEach-Object { Get-Random -Minimum 0 -Maximum 10 }) }
        $sent = [System.Collections.Generic.List[string]]::new()
        function New-Pin { $p = & $pin; $sent.Add($p); $p }
        $outputs = [System.Collections.Generic.List[object]]::new()
        $stepLog = [System.Collections.Generic.List[string]]::new()
        # A prepend step that tags each request and an append step that notes what it saw: steps are user
        # code and may see the PIN; the module's own output must not print it.
        $tag = { param($Request, $Response) if (-not $Response) { $Request.Headers['x-surface-test'] = 'tagged' } }
        $note = { param($Request, $Response) if ($Response) { $stepLog.Add("$($Request.Method) $($Response.StatusCode)") } }
        $common = @{
            Verbose             = $true
            Debug               = $true
            Proxy               = $proxy.Url
            ProxyCredential     = [pscredential]::new('proxy-user', (ConvertTo-SecureString $proxyPassword -AsPlainText -Force))
            HttpPipelinePrepend = $tag
            HttpPipelineAppend  = $note
        }
        $transcript = Join-Path $TestDrive 'surface-transcript.txt'
        $streams = [System.Collections.Generic.List[string]]::new()
        $Error.Clear()
        $null = Start-Transcript -Path $transcript -Force
        try {
            & {
                # Errors are collected, not thrown: the suite runner sets ErrorActionPreference to Stop.
                $InformationPreference = 'Continue'; $ErrorActionPreference = 'Continue'
                # The four parameter sets, each a success.
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[0] -Code (New-Pin) -ForceChangePinNextSignIn @common))
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[1] -BodyParameter @{ code = (New-Pin); forceChangePinNextSignIn = $false } @common))
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ UserId = $upn[2] } -Code (New-Pin) @common))
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ UserId = $upn[3] } -BodyParameter @{ code = (New-Pin) } @common))
                # No code given: Graph makes the PIN, which must still reach only the output.
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[4] @common))
                # A piped bulk run, as from Import-Csv.
                $rows = 5..7 | ForEach-Object { [pscustomobject]@{ UserId = $upn[$_]; Code = (New-Pin) } }
                $outputs.AddRange(@($rows | Update-MgBetaUserAuthenticationQrCodePinMethodPin @common))
                # -WhatIf: asked, nothing sent.
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[8] -Code (New-Pin) -WhatIf @common))

                # Each kind of error, each with a PIN in the request.
                # Graph error body: the user does not exist.
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code (New-Pin) @common))
                # A gateway's HTML page, an empty error body, retries run out, a dropped connection.
                foreach ($fault in @(
                        @{ kind = 'status'; status = 502; errorBody = 'html' }
                        @{ kind = 'status'; status = 500; errorBody = 'empty' }
                        @{ kind = 'status'; status = 503; retryAfter = 0; count = 2 }
                        @{ kind = 'resetBeforeApply'; count = 2 })) {
                    $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body $fault
                    $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[0] -Code (New-Pin) @common))
                }
                # The same under -ErrorAction Stop, caught as scripts do.
                $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'status'; status = 429; retryAfter = 0; count = 2 }
                try {
                    $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[0] -Code (New-Pin) -ErrorAction Stop @common))
                } catch { $_ | Format-List * -Force | Out-String }
                # Bad input: refused before sending.
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[0] -Code (New-Pin) -Headers @{ Authorization = "Bearer $token" } @common))
                try {
                    Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ Code = (New-Pin) } @common
                } catch { $_ | Out-String }
                # A step pointing the request elsewhere is refused.
                $away = { param($Request, $Response) if (-not $Response) { $Request.Uri = 'http://127.0.0.1:9/beta/users/x/authentication/qrCodePinMethod/pin' } }
                $outputs.AddRange(@(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn[0] -Code (New-Pin) -Verbose -Debug -HttpPipelinePrepend $away))
            } *>&1 | ForEach-Object { $streams.Add(($_ | Out-String)); $_ } | Out-Default
        } finally {
            $null = Stop-Transcript
        }

        $outputs = @($outputs | Where-Object { $_ })
        $returned = @($outputs | ForEach-Object Code)
        $applied = @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' })
        $secrets = @($token, $proxyPassword) + $sent + $returned
        $haystacks = [ordered]@{
            transcript = Get-Content -Raw $transcript
            streams    = ($streams -join "`n")
            errors     = (@($Error | ForEach-Object {
                        $_ | Out-String
                        $_ | Format-List * -Force | Out-String
                        $_.Exception | Format-List * -Force | Out-String
                        if ($_.ErrorDetails) { $_.ErrorDetails.Message }
                        "$($_.TargetObject | ConvertTo-Json -Depth 5 -Compress)"
                    }) -join "`n")
        }

        # The run did what it claims, so a silent no-op cannot pass.
        $outputs.Count | Should -Be 8
        $returned.Count | Should -Be 8
        foreach ($i in 0, 1, 2, 3, 5, 6, 7) { $outputs[$i].UserId | Should -BeIn $upn }
        $returned[0..3] | Should -Be $sent[0..3]
        $returned[4] | Should -Match '^\d{8}$'
        $stepLog | Should -Contain 'PATCH 201'
        @(Get-TestProxyLog $proxy).Count | Should -BeGreaterThan 8
        $haystacks.streams | Should -Match '=+ HTTP REQUEST =+'
        $haystacks.streams | Should -Match '=+ HTTP RESPONSE =+'
        $haystacks.streams | Should -Match '\[CmdletBeginProcessing\]'
        $haystacks.streams | Should -Match 'PATCH .*/qrCodePinMethod/pin -> 201'
        $haystacks.transcript | Should -Match 'What if: '
        $haystacks.transcript | Should -Match 'HTTP RESPONSE'
        $haystacks.errors | Should -Match 'Request_ResourceNotFound'
        $haystacks.errors | Should -Match 'BadGateway'
        $haystacks.errors | Should -Match 'InternalServerError'
        $haystacks.errors | Should -Match 'ServiceUnavailable'
        $haystacks.errors | Should -Match 'TooManyRequests'
        $haystacks.errors | Should -Match 'InvalidHeader'
        @($Error | Where-Object { $_.CategoryInfo.Category -eq 'NotSpecified' }).Count | Should -BeGreaterThan 0

        foreach ($place in $haystacks.Keys) {
            foreach ($s in $secrets) {
                if ($haystacks[$place].Contains($s)) {
                    throw "A secret ($($s.Length) characters, starting '$($s.Substring(0, 2))') appears in the $place."
                }
            }
            $haystacks[$place] | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.eyJ'
            $haystacks[$place] | Should -Not -Match 'Bearer\s+\S'
        }
    }
}
