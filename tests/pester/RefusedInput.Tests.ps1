# Input that must be refused before anything is sent, through the real command: a -Code that is not a string, an
# empty -BodyParameter, user ids that cannot name a user or do not fit in a URL, hop-by-hop headers, and a
# -ResponseHeadersVariable that cannot be set. Also: a UserId key inside a body is never sent.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:user = 'adele@contoso.example'
    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = $user })
    }
    function Get-PinRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' }) }
    # Runs the command and returns its error records; nothing may come out as output.
    function Get-Refusal([hashtable] $Arguments) {
        try {
            $out = @(Update-MgBetaUserAuthenticationQrCodePinMethodPin @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue)
        } catch {
            return , @($_)
        }
        $out.Count | Should -Be 0
        , @($failures)
    }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'A -Code that is not a string' {
    BeforeEach { Reset-Tenant }

    It 'is refused with InvalidArgument naming Code when given as <Case>' -ForEach @(
        @{ Case = 'a number literal'; Arguments = { @{ UserId = $user; Code = 012345678 } } ; Type = 'System.Int32' }
        @{ Case = 'a splatted [int]'; Arguments = { @{ UserId = $user; Code = [int]12345678 } }; Type = 'System.Int32' }
        @{ Case = 'a [long]'; Arguments = { @{ UserId = $user; Code = [long]1234567890 } }; Type = 'System.Int64' }
        @{ Case = 'a [decimal]'; Arguments = { @{ UserId = $user; Code = 12345678d } }; Type = 'System.Decimal' }
        @{ Case = 'an array'; Arguments = { @{ UserId = $user; Code = @('12345678') } }; Type = 'System.Object[]' }
    ) {
        $failures = Get-Refusal (& $Arguments)
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCode,*'
        $failures[0].Exception.Message | Should -Match "^Code: .*not a $([regex]::Escape($Type)) "
        $failures[0].Exception.Message | Should -Not -Match '12345678'
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'is refused in a piped record too' {
        $failures = @()
        $null = [pscustomobject]@{ UserId = $user; Code = 12345678 } | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCode,*'
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'still takes a string, also one wrapped in a PSObject' {
        (Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '01234567').Code | Should -Be '01234567'
        $wrapped = Write-Output '07654321'
        (Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code ([psobject]$wrapped)).Code | Should -Be '07654321'
    }

    It 'keeps the parameter typed [string] as the official cmdlet' {
        (Get-Command Update-MgBetaUserAuthenticationQrCodePinMethodPin).Parameters.Code.ParameterType | Should -Be ([string])
    }
}

Describe 'Other input refused before anything is sent' {
    BeforeEach { Reset-Tenant }

    It 'refuses -BodyParameter @() with InvalidArgument naming BodyParameter' {
        $failures = Get-Refusal @{ UserId = $user; BodyParameter = @() }
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -BeLike '*BodyParameter*'
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'refuses a UserId <Case>' -ForEach @(
        @{ Case = 'too long for a URL'; Id = ('a' * 2000) + '@contoso.example'; Match = 'UserId is too long*2048*' }
        @{ Case = 'with a lone surrogate'; Id = "ad$([char]0xD800)ele@contoso.example"; Match = 'UserId contains U+FFFD*surrogate*' }
        @{ Case = 'of invisible characters only'; Id = "$([char]0x200B)$([char]0xFEFF)$([char]0x2060)"; Match = 'UserId consists only of invisible characters*' }
    ) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $failures = Get-Refusal @{ UserId = $Id; Code = '12345678' }
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidUserId,*'
        $failures[0].Exception.Message | Should -BeLike $Match
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'refuses the hop-by-hop header <Name> in -Headers' -ForEach @(
        @{ Name = 'Connection' }, @{ Name = 'Keep-Alive' }, @{ Name = 'TE' }, @{ Name = 'Trailer' }
        @{ Name = 'Upgrade' }, @{ Name = 'Proxy-Connection' }, @{ Name = 'Expect' }
    ) {
        $failures = Get-Refusal @{ UserId = $user; Code = '12345678'; Headers = @{ $Name = 'x' } }
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidHeader,*'
        $failures[0].Exception.Message | Should -BeLike "*'$Name'*"
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'refuses a -ResponseHeadersVariable that cannot be set (<Case>), keeping the variable as it was' -ForEach @(
        @{ Case = 'read-only'; Name = 'mgrsReadOnly'; Make = { Set-Variable -Name mgrsReadOnly -Value 'kept' -Option ReadOnly -Scope Global -Force } }
        @{ Case = 'constant'; Name = 'PID'; Make = { } }
        @{ Case = 'typed [int]'; Name = 'mgrsTyped'; Make = { Remove-Variable mgrsTyped -Scope Global -Force -ErrorAction Ignore; [int]$global:mgrsTyped = 7 } }
        @{ Case = 'a wildcard name'; Name = 'mgrs*'; Make = { } }
    ) {
        & $Make
        $before = (Get-Variable -Name $Name -Scope Global -ErrorAction Ignore).Value
        $failures = Get-Refusal @{ UserId = $user; Code = '12345678'; ResponseHeadersVariable = $Name }
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResponseHeadersVariable,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-PinRequest | Should -BeNullOrEmpty
        if ($null -ne $before -and -not $Name.Contains([char]0x2A)) { (Get-Variable -Name $Name -Scope Global).Value | Should -Be $before }
    }

    It 'fills a settable -ResponseHeadersVariable, and leaves a fresh name unset when the item fails' {
        Remove-Variable mgrsFresh, mgrsHeaders -Scope Global -ErrorAction Ignore
        $global:mgrsHeaders = 'old'
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '12345678' -RHV mgrsHeaders
        $global:mgrsHeaders['request-id'] | Should -Not -BeNullOrEmpty
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code '12345678' -RHV mgrsFresh -ErrorAction SilentlyContinue
        Get-Variable mgrsFresh -Scope Global -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}

Describe 'A UserId key inside a body' {
    BeforeEach { Reset-Tenant }

    It 'is not sent (<Case>)' -ForEach @(
        @{ Case = '-BodyParameter'; Arguments = { @{ UserId = $user; BodyParameter = @{ code = '12345678'; UserId = 'someone@else.example' } } } }
        @{ Case = '-AdditionalProperties'; Arguments = { @{ UserId = $user; Code = '12345678'; AdditionalProperties = @{ userId = 'someone@else.example' } } } }
    ) {
        $arguments = & $Arguments
        (Update-MgBetaUserAuthenticationQrCodePinMethodPin @arguments).Code | Should -Be '12345678'
        $sent = Get-PinRequest
        $sent.Count | Should -Be 1
        $sent[0].body | Should -Not -Match '(?i)userid|someone'
    }
}
