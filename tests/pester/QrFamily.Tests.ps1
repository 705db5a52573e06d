# The ten QR code PIN family commands beside the PIN reset (Get-/Remove- of the method and of its Pin, StandardQrCode
# and TemporaryQrCode; Update- of StandardQrCode and TemporaryQrCode), through the exact cmdlets, against the Graph
# emulator: every parameter set, pipeline input in order, -WhatIf, Graph errors in the official shape, bad input
# refused with nothing sent, typed output, the qrCode rules as Graph checks them, and no PIN or QR image in -Debug.
# The surface (parameters, aliases, sets) is CommandSurface.Tests.ps1's; this file is about behaviour.

BeforeAll {
    $script:root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'Microsoft.Graph.Rs.psd1') -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:emulator = Start-GraphEmulator
    Connect-GraphEmulator $emulator
    $script:models = 'Microsoft.Graph.Beta.PowerShell.Models'
    $script:defaults = @{ RetryDelay = 3; MaxRetry = 3; RetriesTimeLimit = 0; MaxConcurrency = 8; ClientTimeout = 300 }

    # adele and alex have every part; megan has a method with no part; nomethod has none.
    function Reset-Tenant {
        Reset-GraphEmulator $emulator
        $all = @{ hasPin = $true; standardQRCode = @{}; temporaryQRCode = @{} }
        $created = @(Add-GraphEmulatorUser $emulator @(
                @{ userPrincipalName = 'adele.vance@contoso.example' } + $all
                @{ userPrincipalName = 'alex.wilber@contoso.example' } + $all
                @{ userPrincipalName = 'megan.bowen@contoso.example' }
                @{ userPrincipalName = 'no.method@contoso.example'; hasQrCodeMethod = $false }
            ))
        $script:adele = $created[0].id
        $script:alex = $created[1].id
        $script:megan = $created[2].id
        $script:nomethod = $created[3].id
        Set-MgRequestContext @defaults -RetryDelay 0 | Out-Null
    }
    function Get-FamilyRequest { @(Get-GraphEmulatorRequest $emulator | Where-Object { $_.path -like '*/authentication/qrCodePinMethod*' }) }
    function Get-UserState([string] $Id) { Invoke-GraphEmulatorControl $emulator "users/$Id" }
    function Add-Fault([hashtable] $Fault) { $null = Invoke-GraphEmulatorControl $emulator 'faults' -Method POST -Body $Fault }
    function Get-Class([string] $Command) { 'Microsoft.Graph.Beta.PowerShell.Cmdlets.' + ($Command -replace '-', '') }
    function Get-Path([string] $UserId, [string] $Segment) { "/beta/users/$UserId/authentication/qrCodePinMethod$Segment" }
    # Piped items are sent concurrently (the ordered queue keeps only the output in input order), so the wire order of
    # a piped run is not asserted: the requests are compared as a sorted list.
    function Get-SortedPath { @(Get-FamilyRequest | ForEach-Object path | Sort-Object) }
    # The query string of a logged request as a hashtable of decoded names and values.
    function Get-Query($Request) {
        $query = @{}
        if ($Request.query) {
            foreach ($pair in $Request.query -split '&') {
                $name, $value = $pair -split '=', 2
                $query[[uri]::UnescapeDataString($name)] = [uri]::UnescapeDataString($value)
            }
        }
        $query
    }
    # Runs a command with ErrorAction Continue; returns its output and its error records apart.
    # (Its parameter has a name no test uses: the block runs in this scope and would see a $Command of its own.)
    function Invoke-Split([scriptblock] $SplitBlock) {
        $ErrorActionPreference = 'Continue'
        $all = @(& $SplitBlock 2>&1 3>$null)
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
    }
    # Output, debug and verbose messages of a run.
    function Invoke-Captured([scriptblock] $CapturedBlock) {
        $all = @(& $CapturedBlock 4>&1 5>&1)
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] })
            Debug  = @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        }
    }
    # The official ErrorDetails block of a Graph error: message, status, code, date, headers.
    function Split-Details([string] $Text) {
        $m = [regex]::Match($Text, '^(?<message>[\s\S]*)\n\nStatus: (?<status>.*)\nErrorCode: (?<code>.*)\nDate: (?<date>.*)\n\nHeaders:\n(?<headers>[\s\S]*)$')
        $m.Success | Should -BeTrue -Because $Text
        [pscustomobject]@{
            Message = $m.Groups['message'].Value; Status = $m.Groups['status'].Value; Code = $m.Groups['code'].Value
            Headers = @($m.Groups['headers'].Value -split "`n")
        }
    }
    # One Graph error of a run, checked against the official shape for that status and code.
    function Assert-GraphError($Record, [string] $Command, [string] $Set, [int] $Status, [string] $Reason, [string] $Code, [string] $UserId) {
        $Record.FullyQualifiedErrorId | Should -BeExactly "$Code,$(Get-Class $Command)_$Set"
        $Record.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $Record.CategoryInfo.Activity | Should -Be "$($Command)_$Set"
        $Record.Exception.Message | Should -BeLike "``[$Code``] : *"
        $Record.ErrorDetails.RecommendedAction | Should -BeExactly 'See service error codes: https://learn.microsoft.com/graph/errors'
        $d = Split-Details $Record.ErrorDetails.Message
        $d.Status | Should -BeExactly "$Status ($Reason)"
        $d.Code | Should -BeExactly $Code
        ($d.Headers -match '^request-id\s+: [0-9a-f-]{36}$').Count | Should -Be 1
        $Record.ErrorDetails.Message | Should -Not -Match '(?i)authorization|bearer'
        $Record.Exception.Data['StatusCode'] | Should -Be $Status
        $Record.Exception.Data['ErrorCode'] | Should -Be $Code
        if ($UserId) { $Record.TargetObject.UserId | Should -Be $UserId }
    }
    # The same pwsh binary for child processes (WhatIf text, prompting).
    $script:pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    # A child pwsh that imports the module and connects to this emulator, then runs $Script; returns its lines.
    function Invoke-Child([string] $Script) {
        $prologue = "`$ErrorActionPreference = 'Continue'; Import-Module '$root/Microsoft.Graph.Rs.psd1', '$root/tests/GraphEmulator.psm1'; " +
            "Connect-GraphEmulator ([pscustomobject]@{ Url = '$($emulator.Url)'; EnvironmentName = 'GraphEmulator' }); "
        @(& $pwsh -NoProfile -NonInteractive -Command ($prologue + $Script) 2>&1 | ForEach-Object { "$_" })
    }
}

AfterAll {
    Set-MgRequestContext @defaults | Out-Null
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name $emulator.EnvironmentName -ErrorAction SilentlyContinue
    Stop-GraphEmulator $emulator
}

Describe 'Get-<Part>: each parameter set, pipeline input and typed output' -ForEach @(
    @{ Part = 'MgBetaUserAuthenticationQrCodePinMethod'; Segment = ''; Model = 'QrCodePinAuthenticationMethod'; Props = 'id', 'pin' }
    @{ Part = 'MgBetaUserAuthenticationQrCodePinMethodPin'; Segment = '/pin'; Model = 'QrPin'; Props = 'code', 'createdDateTime' }
    @{ Part = 'MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Segment = '/standardQRCode'; Model = 'QrCode'; Props = 'id', 'expireDateTime' }
    @{ Part = 'MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Segment = '/temporaryQRCode'; Model = 'QrCode'; Props = 'id', 'expireDateTime' }
) {
    BeforeAll {
        $script:command = "Get-$Part"
        $script:typeName = "$models.MicrosoftGraph$Model"
    }
    BeforeEach { Reset-Tenant }

    It 'Get: one GET of the user''s <Segment> with -UserId, typed output naming the user' {
        $out = @(& $command -UserId $adele)
        $out.Count | Should -Be 1
        $out[0].PSObject.TypeNames[0] | Should -Be $typeName
        $out[0].PSObject.TypeNames | Should -Contain "$models.IMicrosoftGraph$Model"
        $out[0].UserId | Should -Be $adele
        $sent = Get-FamilyRequest
        $sent.Count | Should -Be 1
        $sent[0].method | Should -Be 'GET'
        $sent[0].path | Should -Be (Get-Path $adele $Segment)
        $sent[0].query | Should -BeNullOrEmpty
        $sent[0].headers.authorization | Should -Match '^Bearer'
        $sent[0].body | Should -BeNullOrEmpty
    }

    It 'Get: escapes a user principal name in the URL' {
        $out = & $command -UserId 'adele.vance@contoso.example'
        $out.UserId | Should -Be 'adele.vance@contoso.example'
        (Get-FamilyRequest)[0].path | Should -Be (Get-Path 'adele.vance%40contoso.example' $Segment)
    }

    It 'GetViaIdentity: -InputObject from a hashtable, a PSObject and JSON text' {
        $a = & $command -InputObject @{ UserId = $adele }
        $b = & $command -InputObject ([pscustomobject]@{ UserId = $alex; Department = 'Sales' })
        $c = & $command -InputObject "{`"UserId`":`"$adele`"}"
        $a.UserId, $b.UserId, $c.UserId | Should -Be @($adele, $alex, $adele)
        (Get-FamilyRequest).path | Should -Be @((Get-Path $adele $Segment), (Get-Path $alex $Segment), (Get-Path $adele $Segment))
    }

    It 'GetViaIdentity: several users piped, one GET and one output each, in input order' {
        $out = @(@{ UserId = $alex }, [pscustomobject]@{ UserId = $adele }, @{ UserId = $alex } | & $command)
        $out.Count | Should -Be 3
        $out.UserId | Should -Be @($alex, $adele, $alex)
        Get-SortedPath | Should -Be @((Get-Path $alex $Segment), (Get-Path $adele $Segment), (Get-Path $alex $Segment) | Sort-Object)
    }

    It 'takes its own output as the identity' {
        $first = & $command -UserId $alex
        $again = $first | & $command
        $again.UserId | Should -Be $alex
        (Get-FamilyRequest)[1].path | Should -Be (Get-Path $alex $Segment)
    }

    It 'reports a user without a QR code method as 404 in the official shape (<Segment>, set Get)' {
        $run = Invoke-Split { & $command -UserId $nomethod -Headers @{ 'x-trace' = 'family' } }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] $command 'Get' 404 'NotFound' 'Request_ResourceNotFound' $nomethod
        $run.Errors[0].TargetObject.Headers['x-trace'] | Should -Be 'family'
        (Get-FamilyRequest).Count | Should -Be 1
    }

    It 'reports the 404 with the GetViaIdentity class for an identity, and goes on with the next item' {
        $run = Invoke-Split { @{ UserId = $nomethod }, @{ UserId = $adele } | & $command }
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] $command 'GetViaIdentity' 404 'NotFound' 'Request_ResourceNotFound' $nomethod
        $run.Output.Count | Should -Be 1
        $run.Output[0].UserId | Should -Be $adele
    }

    It 'stops with -ErrorAction Stop' {
        $caught = $null
        try { & $command -UserId 'nobody@contoso.example' -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "Request_ResourceNotFound,$(Get-Class $command)_Get"
    }

    It 'sends -Property as $select (alias -Select too) and -Headers as headers' {
        $null = & $command -UserId $adele -Property $Props[0] -Headers @{ 'x-test-run' = 'family' }
        $null = & $command -UserId $adele -Select $Props[0], " $($Props[1])"
        $sent = Get-FamilyRequest
        (Get-Query $sent[0])['$select'] | Should -BeExactly $Props[0]
        $sent[0].headers.'x-test-run' | Should -Be 'family'
        (Get-Query $sent[1])['$select'] | Should -BeExactly ($Props -join ',')
        $sent.status | Should -Be @(200, 200)
    }

    It 'fills -ResponseHeadersVariable' {
        Remove-Variable -Name familyHeaders -Scope Global -ErrorAction SilentlyContinue
        $null = & $command -UserId $adele -ResponseHeadersVariable familyHeaders
        $global:familyHeaders['request-id'] | Should -Not -BeNullOrEmpty
    }
}

Describe 'Pipeline order when answers come back out of order' {
    BeforeEach { Reset-Tenant }

    It '<Command> writes one result per piped user in input order under a random answer delay' -ForEach @(
        @{ Command = 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Extra = @{} }
        @{ Command = 'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Extra = @{} }
        @{ Command = 'Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Extra = @{ PassThru = $true } }
    ) {
        $null = Invoke-GraphEmulatorControl $emulator 'behaviour' -Method PUT -Body @{ latencyMs = 0; jitterMs = 150 }
        $order = if ($Command -like 'Remove-*') { @($adele, $alex) } else { @($adele, $alex, $adele, $alex, $alex, $adele) }
        $out = @($order | ForEach-Object { @{ UserId = $_ } } | & $Command @Extra)
        $out.Count | Should -Be $order.Count
        if ($Command -like 'Remove-*') { $out | Should -Be @($true, $true) } else { $out.UserId | Should -Be $order }
        (Get-FamilyRequest).Count | Should -Be $order.Count
    }
}

Describe 'Get: the values of each model' {
    BeforeEach { Reset-Tenant }

    It 'Get-MgBetaUserAuthenticationQrCodePinMethod inlines typed parts, with the PIN code and images null' {
        $state = Get-UserState $adele
        $m = Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $adele
        $m.AdditionalProperties['@odata.type'] | Should -Be '#microsoft.graph.qrCodePinAuthenticationMethod'
        $m.Pin.PSObject.TypeNames[0] | Should -Be "$models.MicrosoftGraphQrPin"
        $m.Pin.Code | Should -BeNullOrEmpty
        $m.Pin.ForceChangePinNextSignIn | Should -BeOfType [bool]
        $m.Pin.ForceChangePinNextSignIn | Should -BeTrue
        $m.Pin.CreatedDateTime | Should -BeOfType [datetime]
        $m.StandardQrCode.PSObject.TypeNames[0] | Should -Be "$models.MicrosoftGraphQrCode"
        $m.StandardQrCode.Id | Should -Be $state.standardQRCode.id
        $m.StandardQrCode.ExpireDateTime | Should -BeOfType [datetime]
        $m.StandardQrCode.ExpireDateTime.ToUniversalTime() | Should -Be ([datetime]$state.standardQRCode.expireDateTime).ToUniversalTime()
        $m.StandardQrCode.Image | Should -BeNullOrEmpty
        $m.TemporaryQrCode.PSObject.TypeNames[0] | Should -Be "$models.MicrosoftGraphQrCode"
        $m.TemporaryQrCode.Id | Should -Be $state.temporaryQRCode.id
        ($m.TemporaryQrCode.ExpireDateTime - $m.TemporaryQrCode.StartDateTime) | Should -Be ([timespan]::FromHours(12))
    }

    It 'Get-MgBetaUserAuthenticationQrCodePinMethod of a method without parts has null parts' {
        $m = Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $megan
        $m.UserId | Should -Be $megan
        $m.Pin | Should -BeNullOrEmpty
        $m.StandardQrCode | Should -BeNullOrEmpty
        $m.TemporaryQrCode | Should -BeNullOrEmpty
    }

    It 'Get-MgBetaUserAuthenticationQrCodePinMethod sends -ExpandProperty as $expand (alias -Expand) beside $select' {
        $m = Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $adele -Property id -ExpandProperty pin
        $query = Get-Query (Get-FamilyRequest)[0]
        $query['$select'] | Should -BeExactly 'id'
        $query['$expand'] | Should -BeExactly 'pin'
        $query.Count | Should -Be 2
        $m.Pin | Should -Not -BeNullOrEmpty
        $m.StandardQrCode | Should -BeNullOrEmpty -Because '$select left it out and $expand did not name it'
        $null = Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $adele -Expand 'standardQRCode', 'temporaryQRCode'
        (Get-Query (Get-FamilyRequest)[1])['$expand'] | Should -BeExactly 'standardQRCode,temporaryQRCode'
    }

    It 'Get-MgBetaUserAuthenticationQrCodePinMethodPin: qrPin with a null code and [datetime] times' {
        $pin = Get-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $adele
        $pin.Code | Should -BeNullOrEmpty
        $pin.ForceChangePinNextSignIn | Should -BeTrue
        $pin.CreatedDateTime | Should -BeOfType [datetime]
        $pin.UpdatedDateTime | Should -BeOfType [datetime]
        $pin.AdditionalProperties['@odata.type'] | Should -Be '#microsoft.graph.qrPin'
    }

    It 'Get-<Command>: qrCode with [datetime] times, never used, no image' -ForEach @(
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Key = 'standardQRCode' }
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Key = 'temporaryQRCode' }
    ) {
        $state = (Get-UserState $adele).$Key
        $code = & "Get-$Command" -UserId $adele
        $code.Id | Should -Be $state.id
        foreach ($name in 'CreatedDateTime', 'StartDateTime', 'ExpireDateTime', 'LastUsedDateTime') {
            $code.$name | Should -BeOfType [datetime]
        }
        $code.StartDateTime.ToUniversalTime() | Should -Be ([datetime]$state.startDateTime).ToUniversalTime()
        $code.LastUsedDateTime.ToUniversalTime() | Should -Be ([datetime]::new(1, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc))
        $code.Image | Should -BeNullOrEmpty
        $code.AdditionalProperties['@odata.type'] | Should -Be '#microsoft.graph.qrCode'
    }

    It 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -Property keeps only what Graph returned' {
        $code = Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele -Property id, expireDateTime
        (Get-Query (Get-FamilyRequest)[0])['$select'] | Should -BeExactly 'id,expireDateTime'
        $code.Id | Should -Not -BeNullOrEmpty
        $code.ExpireDateTime | Should -BeOfType [datetime]
        $code.StartDateTime | Should -BeNullOrEmpty
    }

    It 'reports a part the user lacks as 404 naming the part (<Command>)' -ForEach @(
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodPin'; Part = 'pin' }
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Part = 'standardQRCode' }
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Part = 'temporaryQRCode' }
    ) {
        $run = Invoke-Split { & "Get-$Command" -UserId $megan }
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] "Get-$Command" 'Get' 404 'NotFound' 'Request_ResourceNotFound' $megan
        $run.Errors[0].Exception.Message | Should -Match $Part
    }

    It 'passes on Graph''s 400 for an $expand on a part' {
        $run = Invoke-Split { Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele -ExpandProperty image }
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode' 'Get' 400 'BadRequest' 'BadRequest' $adele
        (Get-FamilyRequest).Count | Should -Be 1
    }

    It 'shows the default view of each model' {
        $code = Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele
        (($code | Out-String -Width 250).Trim() -split "`r?`n")[0] -split '\s+' | Should -Be @('UserId', 'Id', 'StartDateTime', 'ExpireDateTime')
        $method = Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $adele
        (($method | Out-String -Width 250).Trim() -split "`r?`n")[0] -split '\s+' | Should -Be @('UserId', 'Id', 'CreatedDateTime')
        $pin = Get-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $adele
        (($pin | Out-String -Width 250).Trim() -split "`r?`n")[0] -split '\s+' | Should -Be @('UserId', 'Code', 'ForceChangePinNextSignIn', 'UpdatedDateTime')
    }
}

Describe 'Remove-<Part>: each parameter set, -PassThru, -IfMatch, pipeline input' -ForEach @(
    @{ Part = 'MgBetaUserAuthenticationQrCodePinMethod'; Segment = ''; Gone = { param($s) $s.hasQrCodeMethod -eq $false } }
    @{ Part = 'MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Segment = '/standardQRCode'; Gone = { param($s) $null -eq $s.standardQRCode } }
    @{ Part = 'MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Segment = '/temporaryQRCode'; Gone = { param($s) $null -eq $s.temporaryQRCode } }
) {
    BeforeAll { $script:command = "Remove-$Part" }
    BeforeEach { Reset-Tenant }

    It 'Delete: one DELETE, nothing written, the part gone' {
        $out = & $command -UserId $adele
        $out | Should -BeNullOrEmpty
        $sent = Get-FamilyRequest
        $sent.Count | Should -Be 1
        $sent[0].method | Should -Be 'DELETE'
        $sent[0].path | Should -Be (Get-Path $adele $Segment)
        $sent[0].headers.PSObject.Properties.Name | Should -Not -Contain 'if-match'
        & $Gone (Get-UserState $adele) | Should -BeTrue
        & $Gone (Get-UserState $alex) | Should -BeFalse
    }

    It '-PassThru writes $true' {
        $out = @(& $command -UserId $adele -PassThru)
        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType [bool]
        $out[0] | Should -BeTrue
    }

    It '-IfMatch is sent as If-Match' {
        $null = & $command -UserId $adele -IfMatch 'W/"etag-1"'
        (Get-FamilyRequest)[0].headers.'if-match' | Should -BeExactly 'W/"etag-1"'
    }

    It 'DeleteViaIdentity: -InputObject from a hashtable' {
        $out = & $command -InputObject @{ UserId = $alex } -PassThru
        $out | Should -BeTrue
        (Get-FamilyRequest)[0].path | Should -Be (Get-Path $alex $Segment)
        & $Gone (Get-UserState $alex) | Should -BeTrue
    }

    It 'DeleteViaIdentity: several users piped, one DELETE each, in input order' {
        $out = @(@{ UserId = $alex }, [pscustomobject]@{ UserId = $adele } | & $command -PassThru)
        $out | Should -Be @($true, $true)
        Get-SortedPath | Should -Be @((Get-Path $alex $Segment), (Get-Path $adele $Segment) | Sort-Object)
        & $Gone (Get-UserState $alex) | Should -BeTrue
        & $Gone (Get-UserState $adele) | Should -BeTrue
    }

    It 'takes the matching Get- output from the pipeline' {
        $out = @(@{ UserId = $alex }, @{ UserId = $adele } | & "Get-$Part" | & $command -PassThru)
        $out | Should -Be @($true, $true)
        $deletes = @(Get-FamilyRequest | Where-Object method -EQ 'DELETE')
        @($deletes.path | Sort-Object) | Should -Be @((Get-Path $alex $Segment), (Get-Path $adele $Segment) | Sort-Object)
    }

    It '-WhatIf sends nothing and keeps the part' {
        $out = & $command -UserId $adele -WhatIf
        $out | Should -BeNullOrEmpty
        $null = @{ UserId = $alex } | & $command -WhatIf -PassThru
        Get-FamilyRequest | Should -BeNullOrEmpty
        & $Gone (Get-UserState $adele) | Should -BeFalse
    }

    It '-Confirm:$false sends' {
        & $command -UserId $adele -Confirm:$false -PassThru | Should -BeTrue
        (Get-FamilyRequest).Count | Should -Be 1
    }

    It 'reports a user without a QR code method as 404 in the official shape (Delete and DeleteViaIdentity)' {
        $run = Invoke-Split { & $command -UserId $nomethod -PassThru }
        $run.Output | Should -BeNullOrEmpty
        Assert-GraphError $run.Errors[0] $command 'Delete' 404 'NotFound' 'Request_ResourceNotFound' $nomethod
        $run = Invoke-Split { @{ UserId = $nomethod }, @{ UserId = $adele } | & $command -PassThru }
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] $command 'DeleteViaIdentity' 404 'NotFound' 'Request_ResourceNotFound' $nomethod
        $run.Output | Should -Be @($true)
    }
}

Describe 'Remove: what the emulator refuses' {
    BeforeEach { Reset-Tenant }

    It 'Remove-MgBetaUserAuthenticationQrCodePinMethodPin: the DELETE is sent and Graph''s 405 comes back in the official shape' {
        $run = Invoke-Split { Remove-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $adele -PassThru }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] 'Remove-MgBetaUserAuthenticationQrCodePinMethodPin' 'Delete' 405 'MethodNotAllowed' 'Request_BadRequest' $adele
        $sent = Get-FamilyRequest
        $sent.Count | Should -Be 1
        $sent[0].method | Should -Be 'DELETE'
        $sent[0].path | Should -Be (Get-Path $adele '/pin')
        (Get-UserState $adele).pin | Should -Not -BeNullOrEmpty
    }

    It 'Remove-<Command>: a code the user lacks is 404 naming it' -ForEach @(
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Part = 'standardQRCode' }
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Part = 'temporaryQRCode' }
    ) {
        $run = Invoke-Split { & "Remove-$Command" -UserId $megan }
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] "Remove-$Command" 'Delete' 404 'NotFound' 'Request_ResourceNotFound' $megan
        $run.Errors[0].Exception.Message | Should -Match $Part
    }

    It 'Remove-MgBetaUserAuthenticationQrCodePinMethod removes every part: the Get- commands then say 404' {
        Remove-MgBetaUserAuthenticationQrCodePinMethod -UserId $adele
        $run = Invoke-Split {
            Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $adele
            Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele
        }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.FullyQualifiedErrorId | Should -Be @(
            "Request_ResourceNotFound,$(Get-Class 'Get-MgBetaUserAuthenticationQrCodePinMethod')_Get"
            "Request_ResourceNotFound,$(Get-Class 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode')_Get")
    }
}

Describe 'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode' {
    BeforeAll {
        $script:command = 'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'
        $script:now = [datetime]::new(([datetime]::UtcNow.Ticks - [datetime]::UtcNow.Ticks % [timespan]::TicksPerSecond), [System.DateTimeKind]::Utc)
    }
    BeforeEach { Reset-Tenant }

    It 'UpdateExpanded creates a code (201) with its image: typed, [datetime] times, byte[] image' {
        $start = $now.AddMinutes(5)
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $megan -StartDateTime $start -ExpireDateTime $start.AddDays(30)
        $code.PSObject.TypeNames[0] | Should -Be "$models.MicrosoftGraphQrCode"
        $code.PSObject.TypeNames | Should -Contain "$models.IMicrosoftGraphQrCode"
        $code.UserId | Should -Be $megan
        $code.Id | Should -Be (Get-UserState $megan).standardQRCode.id
        $code.StartDateTime | Should -BeOfType [datetime]
        $code.StartDateTime.ToUniversalTime() | Should -Be $start
        $code.ExpireDateTime.ToUniversalTime() | Should -Be $start.AddDays(30)
        $code.CreatedDateTime | Should -BeOfType [datetime]
        $code.Image.PSObject.TypeNames[0] | Should -Be "$models.MicrosoftGraphQrCodeImageDetails"
        ($code.Image.BinaryValue -is [byte[]]) | Should -BeTrue
        $code.Image.BinaryValue[0..3] | Should -Be @(0x89, 0x50, 0x4E, 0x47) -Because 'a PNG signature leads the image'
        ($code.Image.RawContent -is [byte[]]) | Should -BeTrue
        [System.Text.Encoding]::UTF8.GetString($code.Image.RawContent) | Should -BeLike "qrpin:$($megan):$($code.Id):*"
        $code.Image.Version | Should -Be 6
        $code.Image.Version | Should -BeOfType [int]
        $code.Image.ErrorCorrectionLevel | Should -Be 'm'

        $sent = Get-FamilyRequest
        $sent.Count | Should -Be 1
        $sent[0].method | Should -Be 'PATCH'
        $sent[0].path | Should -Be (Get-Path $megan '/standardQRCode')
        $sent[0].status | Should -Be 201
        $sent[0].headers.'content-type' | Should -Match '^application/json'
        $body = $sent[0].body | ConvertFrom-Json -AsHashtable -DateKind String
        $body.Keys | Sort-Object | Should -Be @('expireDateTime', 'startDateTime')
        $body.startDateTime | Should -Be $start.ToString('yyyy-MM-ddTHH:mm:ss.fffffffZ')
    }

    It 'UpdateExpanded with no values lets Graph create a code for 365 days' {
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $megan
        ($code.ExpireDateTime - $code.StartDateTime) | Should -Be ([timespan]::FromDays(365))
        $code.Image | Should -Not -BeNullOrEmpty
        (Get-FamilyRequest)[0].body | Should -Be '{}'
    }

    It 'UpdateExpanded updates the active code (200): same id, Image null' {
        $before = (Get-UserState $adele).standardQRCode
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele -StartDateTime $now -ExpireDateTime $now.AddDays(100)
        $code.Id | Should -Be $before.id
        $code.Image | Should -BeNullOrEmpty
        $code.ExpireDateTime.ToUniversalTime() | Should -Be $now.AddDays(100)
        (Get-FamilyRequest)[0].status | Should -Be 200
        ([datetime](Get-UserState $adele).standardQRCode.expireDateTime).ToUniversalTime() | Should -Be $now.AddDays(100)
    }

    It 'Update takes -BodyParameter (a hashtable, or JSON text)' {
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele -BodyParameter @{
            '@odata.type' = '#microsoft.graph.qrCode'; startDateTime = $now; expireDateTime = $now.AddDays(200) }
        $code.ExpireDateTime.ToUniversalTime() | Should -Be $now.AddDays(200)
        $body = (Get-FamilyRequest)[0].body | ConvertFrom-Json -AsHashtable -DateKind String
        $body['@odata.type'] | Should -Be '#microsoft.graph.qrCode'
        $body.expireDateTime | Should -Be $now.AddDays(200).ToString('yyyy-MM-ddTHH:mm:ss.fffffffZ')
        $json = "{`"expireDateTime`":`"$($now.AddDays(50).ToString('o'))`"}"
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $alex -BodyParameter $json
        $code.UserId | Should -Be $alex
        $code.ExpireDateTime.ToUniversalTime() | Should -Be $now.AddDays(50)
    }

    It 'UpdateViaIdentityExpanded and UpdateViaIdentity read the user from -InputObject' {
        $a = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -InputObject @{ UserId = $adele } -ExpireDateTime $now.AddDays(90)
        $b = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -InputObject @{ UserId = $alex } -BodyParameter @{ expireDateTime = $now.AddDays(91) }
        $a.UserId, $b.UserId | Should -Be @($adele, $alex)
        (Get-FamilyRequest).path | Should -Be @((Get-Path $adele '/standardQRCode'), (Get-Path $alex '/standardQRCode'))
        $b.ExpireDateTime.ToUniversalTime() | Should -Be $now.AddDays(91)
    }

    It 'takes several users from the pipeline in order, and rows that carry their own ExpireDateTime' {
        $out = @(@{ UserId = $alex }, @{ UserId = $megan }, @{ UserId = $adele } | Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -ExpireDateTime $now.AddDays(60))
        $out.UserId | Should -Be @($alex, $megan, $adele)
        @($out | Where-Object Image).Count | Should -Be 1 -Because 'only megan had no code: hers was created (201, with its image)'
        $out[1].Image | Should -Not -BeNullOrEmpty
        @(Get-FamilyRequest | ForEach-Object status | Sort-Object) | Should -Be @(200, 200, 201)

        $csv = Join-Path $TestDrive 'codes.csv'
        @(
            [pscustomobject]@{ UserId = $adele; ExpireDateTime = $now.AddDays(10).ToString('o'); Department = 'Sales' }
            [pscustomobject]@{ UserId = $alex; ExpireDateTime = $now.AddDays(20).ToString('o'); Department = 'Sales' }
        ) | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv | Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode)
        $rows.UserId | Should -Be @($adele, $alex)
        $rows[1].ExpireDateTime.ToUniversalTime() | Should -Be $now.AddDays(20)
        $body = (Get-FamilyRequest)[-1].body | ConvertFrom-Json -AsHashtable
        $body.Keys | Should -Be @('expireDateTime') -Because 'UserId and Department are not qrCode properties'
    }

    It 'takes the Get- output from the pipeline as the identity' {
        $code = Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $alex |
            Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -ExpireDateTime $now.AddDays(33)
        $code.UserId | Should -Be $alex
        $code.ExpireDateTime.ToUniversalTime() | Should -Be $now.AddDays(33)
    }

    It 'accepts an expiry 395 days after the start' {
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $megan -StartDateTime $now -ExpireDateTime $now.AddDays(395)
        ($code.ExpireDateTime - $code.StartDateTime) | Should -Be ([timespan]::FromDays(395))
    }

    It 'leaves the 395-day limit to Graph: the request is sent and Graph''s 400 comes back' {
        $run = Invoke-Split { Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $megan -StartDateTime $now -ExpireDateTime $now.AddDays(395).AddMinutes(1) }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        Assert-GraphError $run.Errors[0] $command 'UpdateExpanded' 400 'BadRequest' 'invalidRequest' $megan
        $run.Errors[0].Exception.Message | Should -Match '395 days'
        (Get-FamilyRequest).status | Should -Be @(400)
        (Get-UserState $megan).standardQRCode | Should -BeNullOrEmpty
    }

    It 'leaves the expiry-after-start rule to Graph on an update' {
        $run = Invoke-Split { Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele -StartDateTime $now -ExpireDateTime $now.AddDays(-1) }
        Assert-GraphError $run.Errors[0] $command 'UpdateExpanded' 400 'BadRequest' 'invalidRequest' $adele
        (Get-FamilyRequest).Count | Should -Be 1
    }

    It 'reports a user without a QR code method as 404 (UpdateExpanded, UpdateViaIdentity)' {
        $run = Invoke-Split { Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $nomethod -ExpireDateTime $now.AddDays(1) }
        Assert-GraphError $run.Errors[0] $command 'UpdateExpanded' 404 'NotFound' 'Request_ResourceNotFound' $nomethod
        $run.Errors[0].TargetObject.body.expireDateTime | Should -Not -BeNullOrEmpty
        $run = Invoke-Split { Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -InputObject @{ UserId = $nomethod } -BodyParameter @{ expireDateTime = $now.AddDays(1) } }
        Assert-GraphError $run.Errors[0] $command 'UpdateViaIdentity' 404 'NotFound' 'Request_ResourceNotFound' $nomethod
    }

    It '-WhatIf sends nothing and changes nothing; -Confirm:$false sends' {
        $before = (Get-UserState $adele).standardQRCode
        $out = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $adele -ExpireDateTime $now.AddDays(3) -WhatIf
        $out | Should -BeNullOrEmpty
        $null = @{ UserId = $megan } | Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -WhatIf
        Get-FamilyRequest | Should -BeNullOrEmpty
        (Get-UserState $adele).standardQRCode.expireDateTime | Should -Be $before.expireDateTime
        (Get-UserState $megan).standardQRCode | Should -BeNullOrEmpty
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId $megan -Confirm:$false
        $code.Image | Should -Not -BeNullOrEmpty
    }
}

Describe 'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode' {
    BeforeAll {
        $script:command = 'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'
        $script:now = [datetime]::new(([datetime]::UtcNow.Ticks - [datetime]::UtcNow.Ticks % [timespan]::TicksPerSecond), [System.DateTimeKind]::Utc)
    }
    BeforeEach { Reset-Tenant }

    It 'creates a code (201) with its image; without times it lives 12 hours' {
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan
        $code.PSObject.TypeNames[0] | Should -Be "$models.MicrosoftGraphQrCode"
        ($code.ExpireDateTime - $code.StartDateTime) | Should -Be ([timespan]::FromHours(12))
        ($code.Image.BinaryValue -is [byte[]]) | Should -BeTrue
        (Get-FamilyRequest)[0].status | Should -Be 201
        (Get-FamilyRequest)[0].path | Should -Be (Get-Path $megan '/temporaryQRCode')
        (Get-UserState $megan).temporaryQRCode.id | Should -Be $code.Id
    }

    It 'takes 1 to 12 hours: <Hours> h is accepted' -ForEach @(@{ Hours = 1 }, @{ Hours = 12 }) {
        $code = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -StartDateTime $now -ExpireDateTime $now.AddHours($Hours)
        ($code.ExpireDateTime - $code.StartDateTime) | Should -Be ([timespan]::FromHours($Hours))
    }

    It 'leaves the 1-12 h rule to Graph: <Minutes> minutes is sent and refused by Graph' -ForEach @(@{ Minutes = 59 }, @{ Minutes = 721 }) {
        $run = Invoke-Split { Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -StartDateTime $now -ExpireDateTime $now.AddMinutes($Minutes) }
        $run.Output | Should -BeNullOrEmpty
        Assert-GraphError $run.Errors[0] $command 'UpdateExpanded' 400 'BadRequest' 'invalidRequest' $megan
        $run.Errors[0].Exception.Message | Should -Match '1 and 12 hours'
        (Get-FamilyRequest).status | Should -Be @(400)
        (Get-UserState $megan).temporaryQRCode | Should -BeNullOrEmpty
    }

    It 'keeps only one active code: a second PATCH updates it (200, same id, Image null)' {
        $first = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -StartDateTime $now -ExpireDateTime $now.AddHours(6)
        $second = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -StartDateTime $now.AddHours(1)
        $second.Id | Should -Be $first.Id
        $second.Image | Should -BeNullOrEmpty
        $second.StartDateTime.ToUniversalTime() | Should -Be $now.AddHours(1)
        $second.ExpireDateTime.ToUniversalTime() | Should -Be $now.AddHours(6)
        (Get-FamilyRequest).status | Should -Be @(201, 200)
    }

    It 'lets Graph refuse a change of expiry, and accept the same expiry again' {
        $first = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -StartDateTime $now -ExpireDateTime $now.AddHours(6)
        $run = Invoke-Split { Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -ExpireDateTime $now.AddHours(7) }
        Assert-GraphError $run.Errors[0] $command 'UpdateExpanded' 400 'BadRequest' 'invalidRequest' $megan
        $run.Errors[0].Exception.Message | Should -Match 'cannot be changed'
        $same = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -BodyParameter @{ expireDateTime = $now.AddHours(6) }
        $same.Id | Should -Be $first.Id
        (Get-FamilyRequest).status | Should -Be @(201, 400, 200)
    }

    It 'UpdateViaIdentityExpanded and UpdateViaIdentity; several users piped in order' {
        $a = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -InputObject @{ UserId = $megan } -StartDateTime $now
        $b = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -InputObject ([pscustomobject]@{ UserId = $adele }) -BodyParameter @{ startDateTime = $now.AddHours(1) }
        $a.UserId, $b.UserId | Should -Be @($megan, $adele)
        $out = @(@{ UserId = $alex }, @{ UserId = $adele } | Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode)
        $out.UserId | Should -Be @($alex, $adele)
        Get-SortedPath | Should -Be @((Get-Path $megan '/temporaryQRCode'), (Get-Path $adele '/temporaryQRCode'),
            (Get-Path $alex '/temporaryQRCode'), (Get-Path $adele '/temporaryQRCode') | Sort-Object)
    }

    It 'reports a user without a QR code method as 404' {
        $run = Invoke-Split { @{ UserId = $nomethod } | Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "Request_ResourceNotFound,$(Get-Class $command)_UpdateViaIdentity*"
        $run.Errors[0].ErrorDetails.Message | Should -Match 'Status: 404 \(NotFound\)'
    }

    It '-WhatIf sends nothing' {
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId $megan -WhatIf
        Get-FamilyRequest | Should -BeNullOrEmpty
        (Get-UserState $megan).temporaryQRCode | Should -BeNullOrEmpty
    }
}

Describe 'Bad input is refused before anything is sent' {
    BeforeAll { Reset-Tenant }
    BeforeEach { Clear-GraphEmulatorRequest $emulator }
    AfterEach { Get-FamilyRequest | Should -BeNullOrEmpty }

    It '<Command> refuses <Case>' -ForEach @(
        foreach ($verb in 'Get', 'Remove') {
            foreach ($part in '', 'Pin', 'StandardQrCode', 'TemporaryQrCode') {
                $name = "$verb-MgBetaUserAuthenticationQrCodePinMethod$part"
                @{ Command = $name; Case = 'a whitespace UserId'; Arguments = @{ UserId = '   ' }; ErrorId = 'InvalidUserId' }
                @{ Command = $name; Case = 'a UserId with a line break'; Arguments = @{ UserId = "adele`nvance" }; ErrorId = 'InvalidUserId' }
                @{ Command = $name; Case = 'an identity that is a number'; Arguments = @{ InputObject = 42 }; ErrorId = 'InvalidInputObject' }
                @{ Command = $name; Case = 'a header with a line break'; Arguments = @{ UserId = 'u1'; Headers = @{ 'x-a' = "b`r`nx-c: d" } }; ErrorId = 'InvalidHeader' }
                if ($verb -eq 'Get') {
                    @{ Command = $name; Case = 'a property name with &'; Arguments = @{ UserId = 'u1'; Property = 'id&$top=1' }; ErrorId = 'InvalidQueryOption' }
                    @{ Command = $name; Case = 'an empty expand name'; Arguments = @{ UserId = 'u1'; ExpandProperty = ' ' }; ErrorId = 'InvalidQueryOption' }
                } else {
                    @{ Command = $name; Case = 'an If-Match with a line break'; Arguments = @{ UserId = 'u1'; IfMatch = "W/`"1`"`r`nx-c: d" }; ErrorId = 'InvalidHeader' }
                }
            }
        }
        foreach ($part in 'StandardQrCode', 'TemporaryQrCode') {
            $name = "Update-MgBetaUserAuthenticationQrCodePinMethod$part"
            @{ Command = $name; Case = 'a whitespace UserId'; Arguments = @{ UserId = '   ' }; ErrorId = 'InvalidUserId' }
            @{ Command = $name; Case = 'a date that is not a date'; Arguments = @{ UserId = 'u1'; BodyParameter = @{ expireDateTime = 'tomorrow' } }; ErrorId = 'InvalidDateTime' }
            @{ Command = $name; Case = 'a body that is a number'; Arguments = @{ UserId = 'u1'; BodyParameter = 42 }; ErrorId = 'InvalidBodyParameter' }
            @{ Command = $name; Case = 'a body that is broken JSON'; Arguments = @{ UserId = 'u1'; BodyParameter = '{"expireDateTime":' }; ErrorId = 'InvalidBodyParameter' }
            @{ Command = $name; Case = 'an image that is not base64'; Arguments = @{ UserId = 'u1'; Image = @{ BinaryValue = 'not base64!' } }; ErrorId = 'InvalidBodyParameter' }
            @{ Command = $name; Case = 'an image version that is not a number'; Arguments = @{ UserId = 'u1'; Image = @{ Version = 'six' } }; ErrorId = 'InvalidBodyParameter' }
            @{ Command = $name; Case = 'an identity that is a number'; Arguments = @{ InputObject = 42; ExpireDateTime = [datetime]'2030-01-01' }; ErrorId = 'InvalidInputObject' }
            @{ Command = $name; Case = 'AdditionalProperties repeating -ExpireDateTime'; Arguments = @{ UserId = 'u1'; ExpireDateTime = [datetime]'2030-01-01'; AdditionalProperties = @{ expireDateTime = '2030-02-01T00:00:00Z' } }; ErrorId = 'ConflictingBodyValues' }
        }
    ) {
        $run = Invoke-Split { & $Command @Arguments }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $set = if ($Arguments.ContainsKey('InputObject')) { '*ViaIdentity*' } else { '*' }
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,$(Get-Class $Command)_$set"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Errors[0].Exception.Message | Should -Not -BeNullOrEmpty
    }

    It '<Command> stops with the official error when InputObject has no UserId' -ForEach @(
        @{ Command = 'Get-MgBetaUserAuthenticationQrCodePinMethod'; Set = 'GetViaIdentity'; Arguments = @{} }
        @{ Command = 'Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'; Set = 'GetViaIdentity'; Arguments = @{} }
        @{ Command = 'Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Set = 'DeleteViaIdentity'; Arguments = @{} }
        @{ Command = 'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'; Set = 'UpdateViaIdentityExpanded'; Arguments = @{ ExpireDateTime = [datetime]'2030-01-01' } }
    ) {
        $caught = $null
        try { & $Command -InputObject @{ GroupId = 'g1' } @Arguments -ErrorAction SilentlyContinue } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty -Because 'the official error stops the command whatever the ErrorAction'
        $caught.Exception.Message | Should -Be 'InputObject has null value for InputObject.UserId'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.FullyQualifiedErrorId | Should -Be "$(Get-Class $Command)_$Set"
    }

    It 'lets PowerShell refuse an empty UserId' {
        { Get-MgBetaUserAuthenticationQrCodePinMethodPin -UserId '' } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,Get-MgBetaUserAuthenticationQrCodePinMethodPin'
    }
}

Describe 'WhatIf text and ConfirmImpact' {
    BeforeAll {
        Reset-Tenant
        $script:cases = @(
            foreach ($part in @(@{ Name = ''; Segment = '' }, @{ Name = 'Pin'; Segment = '/pin' }, @{ Name = 'StandardQrCode'; Segment = '/standardQRCode' }, @{ Name = 'TemporaryQrCode'; Segment = '/temporaryQRCode' })) {
                $name = "Remove-MgBetaUserAuthenticationQrCodePinMethod$($part.Name)"
                @{ Command = $name; Set = 'Delete'; Arguments = "-UserId '$adele'"; Target = "DELETE /users/$adele/authentication/qrCodePinMethod$($part.Segment)" }
                @{ Command = $name; Set = 'DeleteViaIdentity'; Arguments = "-InputObject @{ UserId = 'megan.bowen@contoso.example' }"; Target = "DELETE /users/megan.bowen@contoso.example/authentication/qrCodePinMethod$($part.Segment)" }
            }
            foreach ($part in @(@{ Name = 'StandardQrCode'; Segment = '/standardQRCode' }, @{ Name = 'TemporaryQrCode'; Segment = '/temporaryQRCode' })) {
                $name = "Update-MgBetaUserAuthenticationQrCodePinMethod$($part.Name)"
                $target = "PATCH /users/$alex/authentication/qrCodePinMethod$($part.Segment)"
                @{ Command = $name; Set = 'UpdateExpanded'; Arguments = "-UserId '$alex'"; Target = $target }
                @{ Command = $name; Set = 'Update'; Arguments = "-UserId '$alex' -BodyParameter @{ startDateTime = [datetime]::UtcNow }"; Target = $target }
                @{ Command = $name; Set = 'UpdateViaIdentityExpanded'; Arguments = "-InputObject @{ UserId = '$alex' }"; Target = $target }
                @{ Command = $name; Set = 'UpdateViaIdentity'; Arguments = "-InputObject @{ UserId = '$alex' } -BodyParameter @{ startDateTime = [datetime]::UtcNow }"; Target = $target }
            })
        # One child pwsh prints every WhatIf line (PowerShell writes them to the host, which redirection cannot catch
        # in this process), each after a marker line.
        $script:whatIf = @{}
        $lines = Invoke-Child (($cases | ForEach-Object { "'##$($_.Command)_$($_.Set)'; $($_.Command) $($_.Arguments) -WhatIf; " }) -join '')
        $key = $null
        foreach ($line in $lines) {
            if ($line.StartsWith('##')) { $key = $line.Substring(2); $whatIf[$key] = @() } elseif ($key) { $whatIf[$key] += $line }
        }
    }

    It 'nothing was sent by the WhatIf runs' {
        Get-FamilyRequest | Should -BeNullOrEmpty
    }

    It 'the WhatIf text names the user (<Command>_<Set>)' -ForEach @(
        foreach ($p in '', 'Pin', 'StandardQrCode', 'TemporaryQrCode') {
            @{ Command = "Remove-MgBetaUserAuthenticationQrCodePinMethod$p"; Set = 'Delete' }
            @{ Command = "Remove-MgBetaUserAuthenticationQrCodePinMethod$p"; Set = 'DeleteViaIdentity' }
        }
        foreach ($p in 'StandardQrCode', 'TemporaryQrCode') {
            foreach ($s in 'UpdateExpanded', 'Update', 'UpdateViaIdentityExpanded', 'UpdateViaIdentity') {
                @{ Command = "Update-MgBetaUserAuthenticationQrCodePinMethod$p"; Set = $s }
            }
        }
    ) {
        $case = $cases | Where-Object { $_.Command -eq $Command -and $_.Set -eq $Set }
        $whatIf["$($Command)_$Set"] | Should -Be @("What if: Performing the operation `"$($Command)_$Set`" on target `"Call remote '$($case.Target)' operation`".")
    }

    It '<Command> declares ConfirmImpact Medium with ShouldProcess' -ForEach @(
        foreach ($p in '', 'Pin', 'StandardQrCode', 'TemporaryQrCode') { @{ Command = "Remove-MgBetaUserAuthenticationQrCodePinMethod$p" } }
        @{ Command = 'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode' }
        @{ Command = 'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode' }
    ) {
        $binding = (Get-Command $Command).ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $binding.SupportsShouldProcess | Should -BeTrue
        $binding.ConfirmImpact | Should -Be 'Medium'
        (Get-Command $Command).Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'the Get- commands have no -WhatIf' {
        foreach ($p in '', 'Pin', 'StandardQrCode', 'TemporaryQrCode') {
            (Get-Command "Get-MgBetaUserAuthenticationQrCodePinMethod$p").Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }

    It 'asks before sending once $ConfirmPreference is Medium (a non-interactive host cannot ask, so nothing is sent), not at High' {
        Reset-Tenant
        $lines = Invoke-Child ("`$ConfirmPreference = 'Medium'; " +
            "try { Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId '$adele' -PassThru } catch { 'caught: ' + `$_.Exception.Message }; " +
            "try { Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -UserId '$megan' | ForEach-Object Id } catch { 'caught: ' + `$_.Exception.Message }")
        ($lines -join "`n") | Should -Match 'NonInteractive'
        Get-FamilyRequest | Should -BeNullOrEmpty
        $lines = Invoke-Child ("`$ConfirmPreference = 'High'; Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode -UserId '$adele' -PassThru")
        $lines | Should -Be @('True')
        (Get-FamilyRequest).method | Should -Be @('DELETE')
    }
}

Describe '-Debug never shows the PIN code or the QR image' {
    BeforeEach { Reset-Tenant }

    It 'Update-<Command> that creates a code: the image is in the output, not in the debug blocks' -ForEach @(
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodStandardQrCode' }
        @{ Command = 'MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode' }
    ) {
        $run = Invoke-Captured { & "Update-$Command" -UserId $megan -Debug }
        $code = $run.Output[0]
        $binary = [Convert]::ToBase64String($code.Image.BinaryValue)
        $raw = [Convert]::ToBase64String($code.Image.RawContent)
        $binary.Length | Should -BeGreaterThan 20
        $text = $run.Debug -join "`n"
        $text | Should -Match 'HTTP RESPONSE' -Because 'the response block is there to check'
        $text | Should -Match '"binaryValue": "<redacted>"'
        $text.Contains($binary) | Should -BeFalse
        $text.Contains($raw) | Should -BeFalse
        $text.Contains([System.Text.Encoding]::UTF8.GetString($code.Image.RawContent)) | Should -BeFalse
    }

    It 'Get-MgBetaUserAuthenticationQrCodePinMethodPin: a code Graph returns is in the output, not in the debug blocks' {
        Add-Fault @{ kind = 'oddSuccess'; status = 200; body = '{"@odata.type":"#microsoft.graph.qrPin","code":"31415926","forceChangePinNextSignIn":true}' }
        $run = Invoke-Captured { Get-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $adele -Debug }
        $run.Output[0].Code | Should -BeExactly '31415926'
        $text = $run.Debug -join "`n"
        $text | Should -Match 'HTTP RESPONSE'
        $text | Should -Not -Match '31415926'
    }

    It 'Get-MgBetaUserAuthenticationQrCodePinMethod: a nested PIN code and image are in the output, not in the debug blocks' {
        $image = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('qrpin:secret-image-payload'))
        $body = @{ '@odata.type' = '#microsoft.graph.qrCodePinAuthenticationMethod'; id = 'm1'
            pin = @{ code = '27182818'; forceChangePinNextSignIn = $false }
            standardQRCode = @{ id = 'q1'; image = @{ binaryValue = $image; rawContent = $image; version = 6 } } } | ConvertTo-Json -Depth 5 -Compress
        Add-Fault @{ kind = 'oddSuccess'; status = 200; body = $body }
        $run = Invoke-Captured { Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $adele -Debug }
        $run.Output[0].Pin.Code | Should -BeExactly '27182818'
        [Convert]::ToBase64String($run.Output[0].StandardQrCode.Image.BinaryValue) | Should -BeExactly $image
        $text = $run.Debug -join "`n"
        $text | Should -Match 'HTTP RESPONSE'
        $text | Should -Not -Match '27182818'
        $text.Contains($image) | Should -BeFalse
    }

    It 'Remove- and Get- write the official begin and end lines with their set' {
        $run = Invoke-Captured { Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode -InputObject @{ UserId = $adele } -Debug }
        $run.Debug[0] | Should -BeExactly "[CmdletBeginProcessing]: - Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode begin processing with parameterSet 'DeleteViaIdentity'."
        $run.Debug[-1] | Should -BeExactly '[CmdletEndProcessing]: - Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode end processing.'
        $run = Invoke-Captured { Get-MgBetaUserAuthenticationQrCodePinMethod -UserId $alex -Debug }
        $run.Debug[0] | Should -BeExactly "[CmdletBeginProcessing]: - Get-MgBetaUserAuthenticationQrCodePinMethod begin processing with parameterSet 'Get'."
    }
}
