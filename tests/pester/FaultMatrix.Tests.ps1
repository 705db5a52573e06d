# The fault matrix of issue 11: every fault kind x (-ErrorAction Continue, -ErrorAction Stop, stopped mid-run), each
# case piping records into Update-MgBetaUserAuthenticationQrCodePinMethodPin with a fault on some users, and checked
# against the emulator's per-user count of applied updates: every input is one output, one error, one user named in
# doubt, or (for a stopped run) never sent; in input order; no applied update unreported; no PIN or token in any error
# or warning. Then bad input, which must be refused with nothing sent. The counts go to tests/results/fault-matrix.txt.

BeforeDiscovery {
    $huge = 17MB   # just past the documented 16 MiB answer limit
    # Expect: what each faulted user gets when the run is not cut short: 'output', '*' (an error), or the error id
    # (FullyQualifiedErrorId prefix, category InvalidResult) the shared contracts give it.
    $kinds = @(
        @{ Kind = '429'; Expect = '*'; Fault = @{ kind = 'status'; status = 429; retryAfter = 0 } }
        @{ Kind = '503'; Expect = '*'; Fault = @{ kind = 'status'; status = 503; retryAfter = 0 } }
        @{ Kind = '504'; Expect = '*'; Fault = @{ kind = 'status'; status = 504 } }
        @{ Kind = '500'; Expect = '*'; Fault = @{ kind = 'status'; status = 500 } }
        @{ Kind = 'reset before applying'; Expect = '*'; Fault = @{ kind = 'resetBeforeApply' } }
        @{ Kind = 'reset after applying'; Expect = '*'; Fault = @{ kind = 'resetAfterApply' } }
        @{ Kind = 'hang before applying'; Expect = '*'; Fault = @{ kind = 'hang'; delayMs = 2500 } }
        @{ Kind = 'hang after applying'; Expect = '*'; Fault = @{ kind = 'hangAfterApply'; delayMs = 2500 } }
        @{ Kind = 'late answer after applying'; Expect = 'output'; Fault = @{ kind = 'delayAfterApply'; delayMs = 400 } }
        @{ Kind = 'malformed JSON 201'; Expect = '*'; Fault = @{ kind = 'malformedJson' } }
        @{ Kind = 'empty 201'; Expect = 'UnexpectedGraphResponse'; Fault = @{ kind = 'emptyBody' } }
        @{ Kind = '201 []'; Expect = 'UnexpectedGraphResponse'; Fault = @{ kind = 'oddSuccess'; body = '[]' } }
        @{ Kind = '201 "text"'; Expect = 'UnexpectedGraphResponse'; Fault = @{ kind = 'oddSuccess'; body = '"text"' } }
        @{ Kind = '201 null'; Expect = 'UnexpectedGraphResponse'; Fault = @{ kind = 'oddSuccess'; body = 'null' } }
        @{ Kind = '204'; Expect = 'UnexpectedGraphResponse'; Fault = @{ kind = 'oddSuccess'; status = 204 } }
        @{ Kind = '201 numeric code'; Expect = 'UnexpectedGraphResponse'; Fault = @{ kind = 'oddSuccess'; body = '{"code":12345678}' } }
        @{ Kind = 'huge 201 body'; Expect = 'ResponseTooLarge'; Fault = @{ kind = 'hugeBody'; bytes = $huge } }
        @{ Kind = 'huge 500 body'; Expect = 'ResponseTooLarge'; Fault = @{ kind = 'hugeBody'; status = 500; bytes = $huge; declareLength = $true } }
        @{ Kind = 'error echoing the request'; Expect = '*'; Fault = @{ kind = 'echo' } }
    )
    $cases = foreach ($k in $kinds) {
        foreach ($mode in 'Continue', 'Stop', 'Ctrl+C') { @{ Kind = $k.Kind; Expect = $k.Expect; Fault = $k.Fault; Mode = $mode } }
    }

    $user = 'fm1@contoso.example'
    $badInputs = @(
        @{ Name = 'an empty UserId'; Call = @{ UserId = ''; Code = '12345678' } }
        @{ Name = 'a whitespace UserId'; Call = @{ UserId = " `t "; Code = '12345678' } }
        @{ Name = 'a UserId with a control character'; Call = @{ UserId = "fm1`a@contoso.example"; Code = '12345678' } }
        @{ Name = 'a UserId with a line break'; Call = @{ UserId = "fm1`n@contoso.example"; Code = '12345678' } }
        @{ Name = 'a UserId of invisible characters only'; Call = @{ UserId = [string]::new([char]0x200B, 3); Code = '12345678' } }
        @{ Name = 'a UserId with a lone surrogate'; Call = @{ UserId = "fm1$([char]0xD800)@contoso.example"; Code = '12345678' } }
        @{ Name = 'a UserId too long for a URL'; Call = @{ UserId = ('a' * 3000) + '@contoso.example'; Code = '12345678' } }
        @{ Name = 'a numeric Code'; Call = @{ UserId = $user; Code = 12345678 } }
        @{ Name = 'a numeric Code with a leading zero'; Call = @{ UserId = $user; Code = 012345678 } }
        @{ Name = 'a short Code'; Call = @{ UserId = $user; Code = '1234567' } }
        @{ Name = 'a long Code'; Call = @{ UserId = $user; Code = '1' * 21 } }
        @{ Name = 'a Code with a letter'; Call = @{ UserId = $user; Code = '1234a678' } }
        @{ Name = 'a Code with a lone surrogate'; Call = @{ UserId = $user; Code = "1234567$([char]0xDC00)" } }
        @{ Name = 'an empty BodyParameter array'; Call = @{ UserId = $user; BodyParameter = @() } }
    ) + @(foreach ($h in 'Connection', 'Keep-Alive', 'TE', 'Trailer', 'Upgrade', 'Proxy-Connection', 'Expect') {
            @{ Name = "a hop-by-hop header $h"; Call = @{ UserId = $user; Code = '12345678'; Headers = @{ $h = 'x' } } }
        })
}

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
    Import-Module $manifest -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    $null = Add-MgEnvironment -Name $emulator.EnvironmentName -AzureADEndpoint $emulator.Url -GraphEndpoint $emulator.Url
    # Minted here rather than in Connect-GraphEmulator: the echo fault sends it back, and no error may show it.
    $script:token = New-GraphEmulatorToken $emulator
    Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment $emulator.EnvironmentName -NoWelcome
    $script:saved = Get-MgRequestContext
    # Small waits so the matrix stays short: no retry delay, one retry, a 1 s timeout for the hangs. Four in flight
    # for eight inputs, so -ErrorAction Stop meets items not yet sent.
    Set-MgRequestContext -RetryDelay 0 -MaxRetry 1 -RetriesTimeLimit 0 -MaxConcurrency 4 -ClientTimeout 1 | Out-Null
    $script:results = Join-Path $root 'tests/results/fault-matrix.txt'
    $script:tally = [ordered]@{
        Cases = 0; Inputs = 0; Accounted = 0; NotSent = 0; AppliedUnreported = 0; Leaks = 0
        BadTried = 0; BadRefused = 0
    }
    $script:lines = [System.Collections.Generic.List[string]]::new()

    $script:userCount = 8
    $script:faulted = 3, 6       # the users the fault under test aims at
    $script:late = 8             # in a stopped run, the user whose answer is still out when the stop comes

    function Get-Stats { Invoke-GraphEmulatorControl $emulator 'stats' }
    function Wait-Until([scriptblock] $Condition, [double] $Seconds) {
        $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
    }
    function Get-UserName([int] $N) { "fm$N@contoso.example" }

    # A fresh tenant, the fault on the faulted users (enough uses to outlast the retries), and one record per user
    # with a random PIN.
    function Initialize-Case([hashtable] $Fault, [string] $Mode) {
        Reset-GraphEmulator $emulator
        $null = Add-GraphEmulatorUser $emulator @(1..$userCount | ForEach-Object { @{ userPrincipalName = Get-UserName $_ } })
        $rules = @(foreach ($n in $faulted) { $rule = $Fault.Clone(); $rule.user = Get-UserName $n; $rule.count = 5; $rule })
        if ($Mode -eq 'Ctrl+C') { $rules += @{ kind = 'delayAfterApply'; delayMs = 3000; user = Get-UserName $late } }
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body $rules
        foreach ($n in 1..$userCount) {
            [pscustomobject]@{ UserId = Get-UserName $n; Code = '{0:D8}' -f (Get-Random -Minimum 0 -Maximum 100000000) }
        }
    }

    # The user an output or error record is about.
    function Get-RecordUser($Record) {
        $target = if ($Record -is [System.Management.Automation.ErrorRecord]) { $Record.TargetObject } else { $Record }
        if ($target -is [string]) { return $target }
        if ($null -ne $target -and $target.PSObject.Properties['UserId']) { return [string]$target.UserId }
        $null
    }

    # Every text a person could be shown about an error or warning: message, details, target, exception chain and
    # data. Outputs are skipped: they carry the new PIN by design.
    function Get-ShownText($Item) {
        if ($Item -is [string]) { return $Item }
        if ($Item -is [System.Management.Automation.WarningRecord]) { return $Item.Message }
        if ($Item -isnot [System.Management.Automation.ErrorRecord]) { return '' }
        $texts = @($Item.ToString(), $Item.FullyQualifiedErrorId, $Item.CategoryInfo.ToString())
        if ($Item.ErrorDetails) { $texts += $Item.ErrorDetails.Message, $Item.ErrorDetails.RecommendedAction }
        if ($null -ne $Item.TargetObject) { $texts += ConvertTo-Json -InputObject $Item.TargetObject -Compress -Depth 5 -WarningAction SilentlyContinue }
        for ($e = $Item.Exception; $e; $e = $e.InnerException) {
            $texts += $e.Message
            foreach ($k in $e.Data.Keys) { $texts += "$k=$($e.Data[$k])" }
        }
        $texts -join "`n"
    }

    # Checks one finished case against the emulator and returns the verdict (also tallied and written to the results).
    function Measure-Case {
        param($Name, $Records, $Written, $Terminating, $NotSentReported, [string[]] $InDoubt, [object[]] $Shown, [switch] $Stopped, [string] $Expect)
        # Requests still held by the emulator (a hang the client did not drop) may yet apply: wait them out.
        Wait-Until { (Get-Stats).inFlight -eq 0 } 3.5
        $users = @($Records.UserId)
        $requested = @{}
        foreach ($r in @(Get-GraphEmulatorRequest $emulator)) {
            if ($r.path -match '/users/([^/]+)/authentication/qrCodePinMethod/pin$') { $requested[[uri]::UnescapeDataString($Matches[1])] = $true }
        }
        $seen = @{}; foreach ($u in $users) { $seen[$u] = 0 }
        $reported = @{}
        $order = @(); $foreign = 0
        foreach ($item in @($Written)) {
            $u = Get-RecordUser $item
            if ($null -eq $u -or -not $seen.ContainsKey($u)) { $foreign++; continue }
            $seen[$u]++; $reported[$u] = $true; $order += [array]::IndexOf($users, $u)
        }
        if ($Terminating) {
            $u = Get-RecordUser $Terminating
            if ($null -ne $u -and $seen.ContainsKey($u)) { $seen[$u]++; $reported[$u] = $true } else { $foreign++ }
        }
        foreach ($u in @($InDoubt | Select-Object -Unique)) {
            if ($seen.ContainsKey($u)) { $seen[$u]++; $reported[$u] = $true } else { $foreign++ }
        }
        # Never sent: a stopped run's tail. Under -ErrorAction Stop it is the inputs the command withdrew (the error
        # says how many) plus those it never read from the pipeline (which it cannot count): every input after the
        # last one reported or requested. After Ctrl+C, the emulator's log says which were never requested.
        $notSent = @(if ($null -ne $NotSentReported) {
                $tail = [System.Collections.Generic.List[string]]::new()
                for ($i = $users.Count - 1; $i -ge 0; $i--) {
                    if ($requested[$users[$i]] -or $reported[$users[$i]]) { break }
                    $tail.Insert(0, $users[$i])
                }
                $tail
            } elseif ($Stopped) { $users | Where-Object { -not $requested[$_] } })
        $notSentShort = $null -ne $NotSentReported -and $notSent.Count -lt $NotSentReported
        foreach ($u in $notSent) { $seen[$u]++ }
        $sentAnyway = @($notSent | Where-Object { $requested[$_] })
        $applied = @{}; foreach ($u in @(Invoke-GraphEmulatorControl $emulator 'users')) { $applied[$u.userPrincipalName] = $u.appliedUpdates }
        $unreported = @($users | Where-Object { $applied[$_] -gt 0 -and -not $reported[$_] })
        $secrets = @($Records.Code) + $token
        $leaks = @(foreach ($text in @($Shown | ForEach-Object { Get-ShownText $_ })) { foreach ($s in $secrets) { if ($text.Contains($s)) { $s } } })
        # What the faulted users got, where the run reported them (a stopped run may leave them in doubt).
        $mismatch = @(foreach ($n in $faulted) {
                $u = Get-UserName $n
                $got = @(@($Written) + @($Terminating) | Where-Object { $null -ne $_ -and (Get-RecordUser $_) -eq $u })
                if ($got.Count -eq 0) { if (-not $Stopped -and -not $Terminating) { $u }; continue }
                $isError = $got[0] -is [System.Management.Automation.ErrorRecord]
                $ok = switch ($Expect) {
                    'output' { -not $isError }
                    '*' { $isError }
                    default { $isError -and $got[0].FullyQualifiedErrorId -like "$Expect,*" -and "$($got[0].CategoryInfo.Category)" -eq 'InvalidResult' }
                }
                if (-not $ok) { $u }
            })
        $outOfOrder = @(for ($i = 1; $i -lt $order.Count; $i++) { if ($order[$i] -le $order[$i - 1]) { $i } }).Count
        $verdict = [pscustomobject]@{
            Inputs            = $users.Count
            Outputs           = @($Written | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }).Count
            Errors            = @($Written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count + [int][bool]$Terminating
            InDoubt           = @($InDoubt | Select-Object -Unique).Count
            NotSent           = $notSent.Count
            Unaccounted       = @($users | Where-Object { $seen[$_] -eq 0 })
            Twice             = @($users | Where-Object { $seen[$_] -gt 1 })
            Foreign           = $foreign
            OutOfOrder        = $outOfOrder
            SentAnyway        = $sentAnyway
            AppliedUnreported = $unreported
            Leaks             = $leaks.Count
            Mismatch          = $mismatch
            NotSentShort      = $notSentShort
        }
        $tally.Cases++
        $tally.Inputs += $verdict.Inputs
        $tally.Accounted += $verdict.Outputs + $verdict.Errors + $verdict.InDoubt
        $tally.NotSent += $verdict.NotSent
        $tally.AppliedUnreported += $unreported.Count
        $tally.Leaks += $leaks.Count
        $lines.Add(('{0,-48} in {1} out {2} err {3} doubt {4} notsent {5} | unaccounted {6} twice {7} order {8} applied-unreported {9} leaks {10} not-as-expected {11}' -f
                $Name, $verdict.Inputs, $verdict.Outputs, $verdict.Errors, $verdict.InDoubt, $verdict.NotSent,
                ($verdict.Unaccounted -join ','), ($verdict.Twice -join ','), $outOfOrder, ($unreported -join ','), $leaks.Count, ($mismatch -join ',')))
        $verdict
    }

    function Assert-Verdict($Verdict) {
        $Verdict.Unaccounted | Should -BeNullOrEmpty -Because 'every input gets an output, an error, a name in doubt, or was never sent'
        $Verdict.Twice | Should -BeNullOrEmpty -Because 'no input is reported twice'
        $Verdict.Foreign | Should -Be 0 -Because 'every record names one of the inputs'
        $Verdict.OutOfOrder | Should -Be 0 -Because 'outputs and errors come in input order'
        $Verdict.SentAnyway | Should -BeNullOrEmpty -Because 'inputs counted as not sent never reached Graph'
        $Verdict.AppliedUnreported | Should -BeNullOrEmpty -Because 'a PIN changed on the server is never unreported'
        $Verdict.Leaks | Should -Be 0 -Because 'no PIN or token appears in an error or warning'
        $Verdict.Mismatch | Should -BeNullOrEmpty -Because "a faulted user gets $Expect"
        $Verdict.NotSentShort | Should -BeFalse -Because 'the inputs the error says were not sent are a tail that never reached Graph'
    }
}

AfterAll {
    $t = $script:tally
    $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $results)
    @(
        "Fault matrix ($([datetime]::UtcNow.ToString('u')))"
        "cases: $($t.Cases)"
        "inputs: $($t.Inputs)"
        "outputs + errors + named-in-doubt: $($t.Accounted)"
        "not sent (stopped runs): $($t.NotSent)"
        "applied-but-unreported: $($t.AppliedUnreported)"
        "secrets shown: $($t.Leaks)"
        "bad input tried / refused with nothing sent: $($t.BadTried) / $($t.BadRefused)"
        ''
    ) + $lines | Set-Content -Path $results
    $s = $script:saved
    Set-MgRequestContext -RetryDelay $s.RetryDelay -MaxRetry $s.MaxRetry -RetriesTimeLimit $s.RetriesTimeLimit.TotalSeconds `
        -MaxConcurrency $s.MaxConcurrency -ClientTimeout $s.ClientTimeout.TotalSeconds | Out-Null
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'Fault matrix' {
    It '<Kind> under <Mode>' -ForEach $cases {
        $records = @(Initialize-Case $Fault $Mode)
        $name = "$Kind / $Mode"
        switch ($Mode) {
            'Continue' {
                $written = @($records | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorAction Continue `
                        -WarningVariable warned -WarningAction SilentlyContinue 2>&1)
                $verdict = Measure-Case $name $records $written -Expect $Expect -Shown (@($written) + @($warned))
            }
            'Stop' {
                $written = [System.Collections.Generic.List[object]]::new()
                $caught = $null
                try {
                    $records | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorAction Stop `
                        -WarningVariable warned -WarningAction SilentlyContinue 2>&1 | ForEach-Object { $written.Add($_) }
                } catch { $caught = $_ }
                $notSent = if ($caught) { [int]$caught.Exception.Data['NotSent'] }
                $verdict = Measure-Case $name $records $written $caught $notSent -Expect $Expect -Shown (@($written) + @($caught) + @($warned))
                if ($caught) {
                    $caught.Exception.Data.Contains('NotSent') | Should -BeTrue -Because 'the terminating error says how many inputs were not sent'
                    $caught.Exception.Message | Should -Match "$notSent input\(s\) were not sent\.$"
                }
            }
            'Ctrl+C' {
                $ps = [powershell]::Create()
                try {
                    $null = $ps.AddScript({
                            param($manifest, $records)
                            Import-Module $manifest
                            # Errors merged into the output keep their place in line.
                            $records | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorAction Continue 2>&1
                        }).AddArgument($manifest).AddArgument($records)
                    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                    $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
                    # Stop once every user was sent and the late user's update is applied but not yet answered.
                    Wait-Until { (Invoke-GraphEmulatorControl $emulator "users/$(Get-UserName $late)").appliedUpdates -ge 1 } 10
                    Start-Sleep -Milliseconds 150
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    $ps.Stop()
                    $stopMs = $clock.ElapsedMilliseconds
                    $async.IsCompleted | Should -BeTrue
                    $written = @($output) + @($ps.Streams.Error)   # the merge leaves Streams.Error for anything else
                    $warned = @($ps.Streams.Warning | ForEach-Object Message)
                    # The users in doubt, as the runspace keeps them after the stop.
                    $ps.Commands.Clear()
                    $ps.Streams.ClearStreams()
                    $doubt = @(try { $ps.AddCommand('Get-MgRsInDoubtRequest').Invoke() } catch { })
                    $inDoubt = @($doubt | ForEach-Object { [string]$_.UserId })
                    $verdict = Measure-Case "$name (stop $stopMs ms)" $records $written -InDoubt $inDoubt -Stopped -Expect $Expect -Shown (@($written) + @($warned) + @($doubt | ConvertTo-Json -Compress))
                    # The warning goes through the host, which a hostless runspace drops; when it does land in the
                    # warning stream, it names every user in doubt.
                    $announced = @($warned | Where-Object { $_ -match '^Stopped with (\d+) request\(s\) in doubt:' })
                    $announced.Count | Should -BeLessOrEqual 1
                    foreach ($line in $announced) { foreach ($u in $inDoubt) { $line | Should -Match ([regex]::Escape($u)) } }
                } finally { $ps.Dispose() }
            }
        }
        Assert-Verdict $verdict
    }
}

Describe 'Bad input is refused with nothing sent' {
    BeforeAll {
        Reset-GraphEmulator $emulator
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = 'fm1@contoso.example' })
    }

    It 'refuses <Name>' -ForEach $badInputs {
        Clear-GraphEmulatorRequest $emulator
        $tally.BadTried++
        $out = @()
        # Parameter binding may refuse first (an empty string for a mandatory parameter): a terminating error.
        try {
            $out = @(Update-MgBetaUserAuthenticationQrCodePinMethodPin @Call -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $failed = @($failed)
        } catch { $failed = @($_) }
        $sent = @(Get-GraphEmulatorRequest $emulator).Count
        $refused = $failed.Count -eq 1 -and "$($failed[0].CategoryInfo.Category)" -in 'InvalidArgument', 'InvalidData'
        if ($out.Count -eq 0 -and $refused -and $sent -eq 0) { $tally.BadRefused++ }
        $sent | Should -Be 0 -Because 'nothing reaches Graph'
        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        "$($failed[0].CategoryInfo.Category)" | Should -BeIn 'InvalidArgument', 'InvalidData' -Because "the error is about the input: $($failed[0])"
    }
}
