# -Headers ownership, -Break, and Warning headers in Graph's answers.
BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
    Import-Module $manifest -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:cmdletClass = 'Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_'

    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $script:users = @(Add-GraphEmulatorUser $emulator @(
                @{ userPrincipalName = 'adele.vance@contoso.example' }
                @{ userPrincipalName = 'alex.wilber@contoso.example' }
            ))
    }
    function Get-PinRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' }) }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe '-Headers and the headers the module owns' {
    BeforeAll { Reset-Tenant }
    BeforeEach { Clear-GraphEmulatorRequest $emulator }

    It 'refuses <Name> before anything is sent' -ForEach @(
        @{ Name = 'Authorization'; Value = 'Bearer not-the-token' }
        @{ Name = 'authorization'; Value = 'Basic eDp5' }
        @{ Name = 'Content-Type'; Value = 'text/plain' }
        @{ Name = 'content-type'; Value = 'application/json' }
        @{ Name = 'Content-Length'; Value = '3' }
        @{ Name = 'Host'; Value = 'graph.microsoft.com' }
        @{ Name = 'Proxy-Authorization'; Value = 'Basic eDp5' }
        @{ Name = 'Transfer-Encoding'; Value = 'chunked' }
        @{ Name = 'Connection'; Value = 'close' }
    ) {
        $all = @(& { $ErrorActionPreference = 'Continue'
                Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -Headers @{ 'x-fine' = '1'; $Name = $Value } } 2>&1)
        $all.Count | Should -Be 1 -Because 'one error and no output'
        $failure = $all[0]
        $failure | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $failure.FullyQualifiedErrorId | Should -Be "InvalidHeader,$($cmdletClass)UpdateExpanded"
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -Match "'$Name' cannot be set here because"
        $failure.Exception.Message | Should -Not -Match '12345678'
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'refuses an owned header for every piped item, and sends none of them' {
        $errors = $null
        $out = $users | ForEach-Object { @{ UserId = $_.id } } |
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -Headers @{ 'Content-Type' = 'text/plain' } -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 2
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'sends the other headers, replacing the module''s own of the same name' {
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' `
            -Headers @{ 'User-Agent' = 'my-script/1.0'; 'client-request-id' = 'c0ffee00-0000-4000-8000-000000000001'; 'x-many' = @('a', 'b'); 'Accept-Language' = 'fr-FR' }
        $pin.Code | Should -Be '12345678'
        $sent = (Get-PinRequest)[0].headers
        $sent.'user-agent' | Should -Be 'my-script/1.0'
        $sent.'client-request-id' | Should -Be 'c0ffee00-0000-4000-8000-000000000001'
        $sent.'x-many' | Should -Be 'a, b'
        $sent.'accept-language' | Should -Be 'fr-FR'
        $sent.'content-type' | Should -Match '^application/json'
        $sent.authorization | Should -Match '^Bearer'
    }
}

Describe 'Warning headers in Graph''s answer' {
    BeforeEach { Reset-Tenant }

    It 'writes each warning of the answer as a PowerShell warning, and still returns the PIN' {
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{
            kind = 'warning'; user = $users[0].id; text = '299 - "qrCodePinMethod is in preview; behaviour may change." "Tue, 04 Mar 2025 22:45:37 GMT", 199 graph.example "second note"'
        }
        $warnings = $null
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '31415926' -WarningVariable warnings -WarningAction SilentlyContinue
        $pin.Code | Should -Be '31415926'
        @($warnings).Count | Should -Be 2
        "$($warnings[0])" | Should -Be 'Graph warning 299: qrCodePinMethod is in preview; behaviour may change.'
        "$($warnings[1])" | Should -Be 'Graph warning 199 from graph.example: second note'
    }

    It 'writes the warning of the item it came with, in a pipeline' {
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'warning'; user = $users[1].id; text = '299 - "for alex"' }
        $warnings = $null
        $pins = @($users | ForEach-Object { @{ UserId = $_.id } } |
                Update-MgBetaUserAuthenticationQrCodePinMethodPin -WarningVariable warnings -WarningAction SilentlyContinue)
        $pins.Count | Should -Be 2
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be 'Graph warning 299: for alex'
    }

    It 'writes warnings that come with an error answer too' {
        $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body @{ kind = 'warning'; text = '299 - "look here"' }
        $warnings = $null; $errors = $null
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code '31415926' `
            -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        "$($warnings[0])" | Should -Be 'Graph warning 299: look here'
    }

    It 'writes no warning when the answer has none' {
        $warnings = $null
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '31415926' -WarningVariable warnings
        @($warnings).Count | Should -Be 0
    }
}

Describe '-Break' {
    BeforeAll { Reset-Tenant }

    It 'shows the process id, waits, stops promptly on Ctrl+C (Stop) and sends nothing' {
        Clear-GraphEmulatorRequest $emulator
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $UserId)
                    Import-Module $Manifest
                    Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $UserId -Code '27182818' -Break
                }).AddArgument($manifest).AddArgument($users[0].id)
            $async = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while ($ps.Streams.Information.Count -eq 0 -and -not $async.IsCompleted -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            # Counts only: enumerating a stream of a running PowerShell blocks until it ends.
            $ps.Streams.Error.Count | Should -Be 0
            $ps.Streams.Information.Count | Should -Be 1
            "$($ps.Streams.Information[0].MessageData)" | Should -Match "process $PID\b"
            "$($ps.Streams.Information[0].MessageData)" | Should -Match 'Ctrl\+C'

            # Still waiting a while later, with nothing sent.
            Start-Sleep -Milliseconds 700
            $async.IsCompleted | Should -BeFalse
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            Get-PinRequest | Should -BeNullOrEmpty

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()
            $watch.ElapsedMilliseconds | Should -BeLessThan 2000
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            $ps.Dispose()
        }
        Get-PinRequest | Should -BeNullOrEmpty
        (Invoke-GraphEmulatorControl $emulator "users/$($users[0].id)").appliedUpdates | Should -Be 0
    }
}
