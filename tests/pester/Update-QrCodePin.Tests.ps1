BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:cmdletClass = 'Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_'

    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $script:users = @(Add-GraphEmulatorUser $emulator @(
                @{ userPrincipalName = 'adele.vance@contoso.example' }
                @{ userPrincipalName = 'alex.wilber@contoso.example' }
                @{ userPrincipalName = 'diego siciliani#1@contoso.example' }
                @{ userPrincipalName = 'no.method@contoso.example'; hasQrCodeMethod = $false }
            ))
    }
    function Get-PinRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' }) }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name GraphEmulator -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'Example 1 of the reference page' {
    BeforeAll { Reset-Tenant }

    It 'resets the PIN to the supplied code and returns a qrPin' {
        $userId = $users[0].id
        $params = @{
            "@odata.type" = "#microsoft.graph.qrPin"
            code          = "09599786"
        }
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $userId -BodyParameter $params

        $pin.Code | Should -BeExactly '09599786'
        $pin.ForceChangePinNextSignIn | Should -BeOfType [bool]
        $pin.ForceChangePinNextSignIn | Should -BeTrue
        $pin.CreatedDateTime | Should -BeOfType [datetime]
        $pin.UpdatedDateTime | Should -BeOfType [datetime]
        $pin.UpdatedDateTime.Kind | Should -Be 'Utc'
        $pin.AdditionalProperties['@odata.type'] | Should -Be '#microsoft.graph.qrPin'
        $pin.UserId | Should -Be $userId
        $pin.PSObject.TypeNames[0] | Should -Be 'Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrPin'
        $pin.PSObject.TypeNames | Should -Contain 'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'

        $sent = Get-PinRequest
        $sent.Count | Should -Be 1
        $sent[0].method | Should -Be 'PATCH'
        $sent[0].path | Should -Be "/beta/users/$userId/authentication/qrCodePinMethod/pin"
        $sent[0].headers.'content-type' | Should -Match '^application/json'
        $sent[0].headers.authorization | Should -Match '^Bearer'
        $body = $sent[0].body | ConvertFrom-Json -AsHashtable
        $body.code | Should -BeExactly '09599786'
        $body['@odata.type'] | Should -Be '#microsoft.graph.qrPin'
        $body.Keys.Count | Should -Be 2
        (Invoke-GraphEmulatorControl $emulator "users/$userId").appliedUpdates | Should -Be 1
    }
}

Describe 'The four parameter sets' {
    BeforeEach { Reset-Tenant }

    It 'UpdateExpanded sends only the parameters given, dates as UTC with 7 digits' {
        $created = [datetime]::new(2025, 3, 4, 22, 45, 37, [System.DateTimeKind]::Utc).AddTicks(2605385)
        $updated = [System.DateTimeOffset]::new(2025, 3, 5, 8, 0, 0, [timespan]::FromHours(2)).LocalDateTime
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[1].userPrincipalName -Code '12345678' `
            -ForceChangePinNextSignIn:$false -CreatedDateTime $created -UpdatedDateTime $updated -AdditionalProperties @{ '@odata.type' = '#microsoft.graph.qrPin'; ignored = $null }
        $pin.Code | Should -Be '12345678'
        $pin.ForceChangePinNextSignIn | Should -BeFalse
        $body = (Get-PinRequest)[0].body | ConvertFrom-Json -AsHashtable -DateKind String
        $body.code | Should -Be '12345678'
        $body.forceChangePinNextSignIn | Should -BeFalse
        $body.createdDateTime | Should -Be '2025-03-04T22:45:37.2605385Z'
        $body.updatedDateTime | Should -Be '2025-03-05T06:00:00.0000000Z'
        $body['@odata.type'] | Should -Be '#microsoft.graph.qrPin'
        $body.ContainsKey('ignored') | Should -BeFalse
        $body.ContainsKey('id') | Should -BeFalse
    }

    It 'UpdateExpanded with no body values lets Graph generate a PIN of the policy length' {
        $null = Invoke-GraphEmulatorControl $emulator 'policy' -Method PUT -Body @{ pinLength = 12 }
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id
        $pin.Code | Should -Match '^\d{12}$'
        (Get-PinRequest)[0].body | Should -Be '{}'
    }

    It 'UpdateViaIdentityExpanded reads UserId from a hashtable, whatever its case' {
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ userid = $users[0].id } -Code '87654321'
        $pin.Code | Should -Be '87654321'
        (Get-PinRequest)[0].path | Should -BeLike "*/users/$($users[0].id)/*"
    }

    It 'UpdateViaIdentity takes JSON text for the identity and a PSObject for the body' {
        $identity = "{`"UserId`":`"$($users[1].id)`"}"
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject $identity -BodyParameter ([pscustomobject]@{ Code = '11223344' })
        $pin.Code | Should -Be '11223344'
    }

    It 'UpdateViaIdentity sends the body given, when the identity is another custom object' {
        # Every [pscustomobject] wraps the same placeholder object: two of them are still two objects.
        $identity = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[1].id -Code '24682468'
        $pin = $identity | Update-MgBetaUserAuthenticationQrCodePinMethodPin -BodyParameter ([pscustomobject]@{ Code = '13571357' })
        $pin.Code | Should -Be '13571357'
        ((Get-PinRequest)[1].body | ConvertFrom-Json).code | Should -Be '13571357'
    }

    It 'Update takes JSON text for the body' {
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -BodyParameter '{"code":"55667788","forceChangePinNextSignIn":false}'
        $pin.Code | Should -Be '55667788'
        $pin.ForceChangePinNextSignIn | Should -BeFalse
    }

    It 'takes its own output object as the identity' {
        $first = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id
        $second = $first | Update-MgBetaUserAuthenticationQrCodePinMethodPin -Code '99887766'
        $second.UserId | Should -Be $users[0].id
        $second.Code | Should -Be '99887766'
    }

    It 'takes its own output object as the body, without sending UserId' {
        $first = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '13572468'
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[1].id -BodyParameter $first
        $body = (Get-PinRequest)[1].body | ConvertFrom-Json -AsHashtable
        $body.code | Should -Be '13572468'
        $body.Keys | Should -Not -Contain 'UserId'
    }

    It 'escapes the user id in the URL' {
        $upn = $users[2].userPrincipalName
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $upn
        $pin.Code | Should -Match '^\d{8}$'
        (Get-PinRequest)[0].path | Should -Be '/beta/users/diego%20siciliani%231%40contoso.example/authentication/qrCodePinMethod/pin'
    }

    It 'sends -Headers and fills -ResponseHeadersVariable' {
        Remove-Variable -Name mgrsHeaders -Scope Global -ErrorAction SilentlyContinue
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Headers @{ 'x-test-run' = 'surface' } -RHV mgrsHeaders
        (Get-PinRequest)[0].headers.'x-test-run' | Should -Be 'surface'
        $global:mgrsHeaders['REQUEST-ID'] | Should -Not -BeNullOrEmpty
        $global:mgrsHeaders['x-ms-resource-unit'] | Should -Be '1'
    }
}

Describe 'Pipeline input' {
    BeforeEach { Reset-Tenant }

    It 'takes hashtables into -InputObject, one request and one output each, in order' {
        $pins = @{ UserId = $users[0].id }, @{ UserId = $users[1].id } | Update-MgBetaUserAuthenticationQrCodePinMethodPin
        $pins.Count | Should -Be 2
        $pins[0].UserId | Should -Be $users[0].id
        $pins[1].UserId | Should -Be $users[1].id
        (Get-PinRequest).Count | Should -Be 2
    }

    It 'takes Import-Csv rows with a UserId column, and their Code column' {
        $csv = Join-Path $TestDrive 'staff.csv'
        @(
            [pscustomobject]@{ UserId = $users[0].userPrincipalName; Code = '10203040'; Department = 'Sales' }
            [pscustomobject]@{ UserId = $users[1].userPrincipalName; Code = '50607080'; Department = 'Sales' }
        ) | Export-Csv -Path $csv -NoTypeInformation
        $pins = Import-Csv $csv | Update-MgBetaUserAuthenticationQrCodePinMethodPin
        $pins.Code | Should -Be @('10203040', '50607080')
        $bodies = Get-PinRequest | ForEach-Object { $_.body | ConvertFrom-Json -AsHashtable }
        $bodies[0].Keys | Should -Be @('code')
    }

    It 'takes bodies into -BodyParameter for one user' {
        $pins = @{ code = '11111111' }, [pscustomobject]@{ code = '22222222' } |
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id
        $pins.Code | Should -Be @('11111111', '22222222')
        (Get-PinRequest).Count | Should -Be 2
    }

    It 'does not take a piped dictionary for the headers of the items after it' {
        # The binder gives a piped hashtable to -InputObject and -Headers, and leaves it in $PSBoundParameters for the
        # next item, which binds only -InputObject: that item must not send the first one's keys as headers.
        $pins = @(@{ UserId = $users[0].id; Department = 'Sales' }, [pscustomobject]@{ UserId = $users[1].id } |
                Update-MgBetaUserAuthenticationQrCodePinMethodPin)
        $pins.UserId | Should -Be @($users[0].id, $users[1].id)
        $requests = Get-PinRequest
        $requests.Count | Should -Be 2
        foreach ($request in $requests) { @($request.headers.PSObject.Properties.Name) | Should -Not -Contain 'department' }
    }

    It 'goes on after a failed item' {
        $pins = @{ UserId = 'nobody@contoso.example' }, @{ UserId = $users[0].id } |
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorVariable failures -ErrorAction SilentlyContinue
        @($pins).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "Request_ResourceNotFound,$($cmdletClass)UpdateViaIdentity"
    }
}

Describe 'WhatIf and Confirm' {
    BeforeEach { Reset-Tenant }

    It '-WhatIf sends nothing' {
        $out = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -WhatIf
        $out | Should -BeNullOrEmpty
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It '$WhatIfPreference sends nothing' {
        $WhatIfPreference = $true
        $null = @{ UserId = $users[0].id } | Update-MgBetaUserAuthenticationQrCodePinMethodPin
        $WhatIfPreference = $false
        Get-PinRequest | Should -BeNullOrEmpty
    }

    It 'prints the official WhatIf text for <Set>' -ForEach @(
        @{ Set = 'UpdateExpanded'; Arguments = "-UserId 'u1'" }
        @{ Set = 'Update'; Arguments = "-UserId 'u1' -BodyParameter @{ code = '12345678' }" }
        @{ Set = 'UpdateViaIdentityExpanded'; Arguments = "-InputObject @{ UserId = 'u1' }" }
        @{ Set = 'UpdateViaIdentity'; Arguments = "-InputObject @{ UserId = 'u1' } -BodyParameter @{ code = '12345678' }" }
    ) {
        $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $text = & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$root/Microsoft.Graph.Rs.psd1'; Update-MgBetaUserAuthenticationQrCodePinMethodPin $Arguments -WhatIf"
        # The official text, with the user named (so a bulk -Confirm says whose PIN it asks about).
        $text | Should -Be "What if: Performing the operation `"Update-MgBetaUserAuthenticationQrCodePinMethodPin_$Set`" on target `"Call remote 'PATCH /users/u1/authentication/qrCodePinMethod/pin' operation`"."
    }

    It '-Confirm:$false sends' {
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Confirm:$false
        $pin.Code | Should -Match '^\d{8}$'
        (Get-PinRequest).Count | Should -Be 1
    }
}

Describe 'Graph errors in the official shape' {
    BeforeEach { Reset-Tenant }

    It 'reports an unknown user as Request_ResourceNotFound' {
        $out = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody@contoso.example' -Code '12345678' -Headers @{ 'x-trace' = 'a' } -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $e = $failures[0]
        $e.Exception.Message | Should -BeLike "``[Request_ResourceNotFound``] : Resource 'nobody@contoso.example' does not exist*"
        $e.FullyQualifiedErrorId | Should -Be "Request_ResourceNotFound,$($cmdletClass)UpdateExpanded"
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e.TargetObject.UserId | Should -Be 'nobody@contoso.example'
        $e.TargetObject.Headers['x-trace'] | Should -Be 'a'
        $e.TargetObject.body.code | Should -Not -Be '12345678'
        $e.ErrorDetails.RecommendedAction | Should -Be 'See service error codes: https://learn.microsoft.com/graph/errors'

        $lines = $e.ErrorDetails.Message -split "`n"
        $lines[0] | Should -BeLike "Resource 'nobody@contoso.example' does not exist*present."
        $lines[1] | Should -Be ''
        $lines[2] | Should -Be 'Status: 404 (NotFound)'
        $lines[3] | Should -Be 'ErrorCode: Request_ResourceNotFound'
        $lines[4] | Should -Match '^Date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$'
        $lines[5] | Should -Be ''
        $lines[6] | Should -Be 'Headers:'
        $headerLines = $lines[7..($lines.Count - 1)] | Where-Object { $_ }
        $headerLines | ForEach-Object { $_ | Should -Match '^\S.{29}: ' }
        ($headerLines -match '^request-id\s+: [0-9a-f-]{36}$').Count | Should -Be 1
        ($headerLines -match '^x-ms-ags-diagnostic\s+: \{.*\}\}$').Count | Should -Be 1
        $headerLines -match '(?i)^authorization' | Should -BeNullOrEmpty
    }

    It 'reports a user without a QR code method as not found' {
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[3].id -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Request_ResourceNotFound,*'
    }

    It 'reports a code that breaks the tenant policy as a Graph 400' {
        $null = Invoke-GraphEmulatorControl $emulator 'policy' -Method PUT -Body @{ pinLength = 10 }
        Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '12345678' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].ErrorDetails.Message | Should -Match 'Status: 400 \(BadRequest\)'
        $failures[0].Exception.Message | Should -Not -Match '12345678'
        $failures[0].ErrorDetails.Message | Should -Not -Match '12345678'
    }

    It 'can be caught with -ErrorAction Stop' {
        $caught = $null
        try {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'nobody' -ErrorAction Stop
        } catch {
            $caught = $_
        }
        $caught.FullyQualifiedErrorId | Should -Be "Request_ResourceNotFound,$($cmdletClass)UpdateExpanded"
    }

    It 'reports a missing permission as 403 Authorization_RequestDenied' {
        Connect-GraphEmulator $emulator @{ scp = 'User.Read' }
        try {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -ErrorVariable failures -ErrorAction SilentlyContinue
        } finally {
            Connect-GraphEmulator $emulator
        }
        $failures[0].FullyQualifiedErrorId | Should -Be "Authorization_RequestDenied,$($cmdletClass)UpdateExpanded"
        $failures[0].ErrorDetails.Message | Should -Match 'Status: 403 \(Forbidden\)'
    }

    It 'reports a token Graph rejects as 401 InvalidAuthenticationToken' {
        Connect-GraphEmulator $emulator @{ scp = 'UserAuthenticationMethod.ReadWrite.All'; aud = 'api://someone-else' }
        try {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -ErrorVariable failures -ErrorAction SilentlyContinue
        } finally {
            Connect-GraphEmulator $emulator
        }
        $failures[0].FullyQualifiedErrorId | Should -Be "InvalidAuthenticationToken,$($cmdletClass)UpdateExpanded"
        $failures[0].ErrorDetails.Message | Should -Match 'Status: 401 \(Unauthorized\)'
    }

    It 'reports an unreachable endpoint as a NotSpecified transport error' {
        $null = Add-MgEnvironment -Name Unreachable -AzureADEndpoint 'http://127.0.0.1:9' -GraphEndpoint 'http://127.0.0.1:9'
        Connect-MgGraph -AccessToken (ConvertTo-SecureString 'opaque-token' -AsPlainText -Force) -Environment Unreachable -NoWelcome
        try {
            Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -ErrorVariable failures -ErrorAction SilentlyContinue
        } finally {
            Connect-GraphEmulator $emulator
            Remove-MgEnvironment -Name Unreachable
        }
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'NotSpecified'
        $failures[0].Exception.Message | Should -Not -Match 'opaque-token'
    }
}

Describe 'Bad input is refused before anything is sent' {
    BeforeAll { Reset-Tenant }
    BeforeEach { Clear-GraphEmulatorRequest $emulator }
    AfterEach { Get-PinRequest | Should -BeNullOrEmpty }

    It 'refuses <Case>' -ForEach @(
        @{ Case = 'a whitespace UserId'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId '   ' }; ErrorId = 'InvalidUserId' }
        @{ Case = 'a UserId with a control character'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId "adele`nvance" }; ErrorId = 'InvalidUserId' }
        @{ Case = 'a 7-digit code'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -Code '1234567' }; ErrorId = 'InvalidCode' }
        @{ Case = 'a 21-digit code'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -Code ('1' * 21) }; ErrorId = 'InvalidCode' }
        @{ Case = 'a code with letters'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -Code '1234567a' }; ErrorId = 'InvalidCode' }
        @{ Case = 'a code of non-ASCII digits'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -Code ([string][char]0x0661 * 8) }; ErrorId = 'InvalidCode' }
        @{ Case = 'a numeric code in the body'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -BodyParameter @{ code = 12345678 } }; ErrorId = 'InvalidCode' }
        @{ Case = 'a non-boolean ForceChangePinNextSignIn'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -BodyParameter @{ forceChangePinNextSignIn = 'maybe' } }; ErrorId = 'InvalidBodyParameter' }
        @{ Case = 'a body that is a number'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -BodyParameter 42 }; ErrorId = 'InvalidBodyParameter' }
        @{ Case = 'a body that is broken JSON'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -BodyParameter '{"code":' }; ErrorId = 'InvalidBodyParameter' }
        @{ Case = 'an identity that is a number'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject 42 }; ErrorId = 'InvalidInputObject' }
        @{ Case = 'a date that is not a date'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -BodyParameter @{ createdDateTime = 'yesterday' } }; ErrorId = 'InvalidDateTime' }
        @{ Case = 'AdditionalProperties repeating -Code'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -Code '12345678' -AdditionalProperties @{ code = '87654321' } }; ErrorId = 'ConflictingBodyValues' }
        @{ Case = 'a header value with a line break'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -Headers @{ 'x-a' = "b`r`nx-c: d" } }; ErrorId = 'InvalidHeader' }
        @{ Case = 'a header the module owns'; Call = { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'u1' -Headers @{ Authorization = 'Bearer x' } }; ErrorId = 'InvalidHeader' }
    ) {
        $all = @(& { $ErrorActionPreference = 'Continue'; & $Call } 2>&1)
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $all.Count | Should -Be 1 -Because 'one error and no output'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,$($cmdletClass)*"
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -Not -BeNullOrEmpty
        $failures[0].Exception.Message | Should -Not -Match '12345678|87654321'
    }

    It 'lets PowerShell refuse an empty UserId' {
        { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId '' } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,Update-MgBetaUserAuthenticationQrCodePinMethodPin'
    }

    It 'stops with the official error when InputObject has no UserId' {
        $caught = $null
        try { Update-MgBetaUserAuthenticationQrCodePinMethodPin -InputObject @{ GroupId = 'g1' } -Code '12345678' } catch { $caught = $_ }
        $caught.Exception.Message | Should -Be 'InputObject has null value for InputObject.UserId'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.FullyQualifiedErrorId | Should -Be "$($cmdletClass)UpdateViaIdentityExpanded"
    }
}

Describe 'Without a connection' {
    It 'says to run Connect-MgGraph and sends nothing' {
        Reset-Tenant
        Disconnect-MgGraph | Out-Null
        try {
            { Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id } | Should -Throw '*Connect-MgGraph*'
        } finally {
            Connect-GraphEmulator $emulator
        }
        Get-PinRequest | Should -BeNullOrEmpty
    }
}

Describe 'Default view' {
    It 'shows the user, the PIN, the change flag and the update time as a table' {
        Reset-Tenant
        $pin = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $users[0].id -Code '24681357'
        $table = ($pin | Out-String -Width 250).Trim() -split "`r?`n"
        $table[0] -split '\s+' | Should -Be @('UserId', 'Code', 'ForceChangePinNextSignIn', 'UpdatedDateTime')
        $table[2] | Should -Match '24681357'
        ($pin | Format-List * | Out-String) | Should -Match 'AdditionalProperties'
    }
}

Describe 'Diagnostics in a non-interactive session' {
    It 'runs with -Debug alone under -NonInteractive without trying to prompt' {
        $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $script = "Import-Module '$root/Microsoft.Graph.Rs.psd1', '$root/tests/GraphEmulator.psm1'; " +
            "`$e = Start-GraphEmulator; `$null = Add-GraphEmulatorUser `$e @(@{ userPrincipalName = 'a@contoso.example' }); Connect-GraphEmulator `$e; " +
            "try { (Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'a@contoso.example' -Code '13243546' -Debug -ErrorAction Stop).Code } finally { Stop-GraphEmulator `$e }"
        $lines = & $pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0
        ($lines | Out-String) | Should -Not -Match 'NonInteractive mode'
        $lines[-1] | Should -Be '13243546'
    }
}
