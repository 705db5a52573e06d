# Answers Graph should never give, through the real command: a 2xx without a well-formed qrPin, bodies over the
# size limit, and error texts too long to show whole. Every input still gets exactly one output or one error.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:user = 'adele@contoso.example'

    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $null = Add-GraphEmulatorUser $emulator @(1..3 | ForEach-Object { @{ userPrincipalName = "user$_@contoso.example" } }) 
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = $user })
    }
    function Add-Fault([hashtable] $Fault) { $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body $Fault }
    function Get-Applied([string] $User) { (Invoke-GraphEmulatorControl $emulator "users/$User").appliedUpdates }
    # Linux only: the process's peak resident set since the last reset (writing 5 to clear_refs resets it).
    function Reset-PeakMemory { [System.IO.File]::WriteAllText('/proc/self/clear_refs', '5') }
    function Get-PeakMemory {
        $line = [System.IO.File]::ReadAllLines('/proc/self/status') | Where-Object { $_ -like 'VmHWM:*' }
        [long]($line -replace '\D', '') * 1KB
    }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'A 2xx answer without a well-formed qrPin' {
    BeforeEach { Reset-Tenant }

    It 'is an UnexpectedGraphResponse error naming the user for <Case>' -ForEach @(
        @{ Case = '201 []'; Fault = @{ body = '[]' } }
        @{ Case = '201 "text"'; Fault = @{ body = '"text"' } }
        @{ Case = '201 null'; Fault = @{ body = 'null' } }
        @{ Case = '204'; Fault = @{ status = 204 } }
        @{ Case = 'an empty 201'; Fault = @{ } }
        @{ Case = 'a numeric code'; Fault = @{ body = '{"code":12345678}' } }
        @{ Case = 'a code of the wrong type with -Code'; Fault = @{ body = '{"code":["12345678"]}' }; Code = '12345678' }
        @{ Case = 'a boolean of the wrong type'; Fault = @{ body = '{"code":"12345678","forceChangePinNextSignIn":"no"}' } }
        @{ Case = 'a body that is not JSON'; Fault = @{ body = '{"code":' } }
    ) {
        $Fault.kind = 'oddSuccess'
        Add-Fault $Fault
        $arguments = @{ UserId = $user }
        if ((Test-Path variable:Code) -and $Code) { $arguments.Code = $Code }
        $out = @(Update-MgBetaUserAuthenticationQrCodePinMethodPin @arguments -ErrorVariable failures -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue)
        $out.Count | Should -Be 0
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnexpectedGraphResponse,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $failures[0].Exception.Message | Should -BeLike "*user '$user'*"
        $failures[0].Exception.Message | Should -Match 'PIN may or may not have changed, and if it did, the new code is unknown'
        $failures[0].Exception.Message | Should -Not -Match '12345678'
        $warnings.Count | Should -Be 0
        Get-Applied $user | Should -Be 1
    }

    It 'takes its place in a piped run, in input order, under ErrorAction Continue' {
        Add-Fault @{ kind = 'oddSuccess'; user = 'user2@contoso.example'; body = '{"code":12345678}' }
        $records = 1..3 | ForEach-Object { [pscustomobject]@{ UserId = "user$_@contoso.example"; Code = "1234567$_" } }
        $all = @($records | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorAction Continue 2>&1)
        $all.Count | Should -Be 3
        $all[0].Code | Should -Be '12345671'
        $all[1] | Should -BeOfType System.Management.Automation.ErrorRecord
        $all[1].FullyQualifiedErrorId | Should -BeLike 'UnexpectedGraphResponse,*'
        $all[1].Exception.Message | Should -BeLike "*user 'user2@contoso.example'*"
        $all[2].Code | Should -Be '12345673'
    }
}

Describe 'Answer size' {
    BeforeEach { Reset-Tenant }

    It 'refuses a <Size> MiB <Status> body with ResponseTooLarge, reading no more than the limit' -ForEach @(
        @{ Status = 201; Size = 400; Applied = 1 }
        @{ Status = 400; Size = 100; Applied = 0 }
    ) {
        Add-Fault @{ kind = 'hugeBody'; status = $Status; bytes = $Size * 1MB }
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '12345678' -ErrorVariable warmup -ErrorAction SilentlyContinue | Out-Null
        Add-Fault @{ kind = 'hugeBody'; status = $Status; bytes = $Size * 1MB }
        $linux = $IsLinux
        if ($linux) { Reset-PeakMemory; $before = (Get-Process -Id $PID).WorkingSet64 }
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $out = @(Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '12345678' -ErrorVariable failures -ErrorAction SilentlyContinue)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        if ($linux) { (Get-PeakMemory) - $before | Should -BeLessThan 48MB }
        $out.Count | Should -Be 0
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ResponseTooLarge,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $failures[0].Exception.Message | Should -Match "user '$([regex]::Escape($user))' with a body larger than 16 MiB"
        $failures[0].Exception.Data['StatusCode'] | Should -Be $Status
        $failures[0].Exception.Message.Length | Should -BeLessThan 1000
        Get-Applied $user | Should -Be (2 * $Applied)
    }

    It 'cuts the text of a long error body at 4,096 characters with a note' {
        # A 100,000-byte Graph error whose message is filler ('x'), short of the envelope around it.
        Add-Fault @{ kind = 'hugeBody'; status = 400; bytes = 100000 }
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '12345678' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -Match ('^\[InternalServerError\] : x{4096} \[cut: the first 4096 of 99\d{3} characters are shown\]$')
        $failures[0].ErrorDetails.Message.Length | Should -BeLessThan 6000
    }
}
