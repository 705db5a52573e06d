# Issue 11, item 1: a request keeps the connection it started with. Two emulators stand for two
# environments; while a request to the first waits for its (scripted) 401, another runspace connects
# to the second. The request must end with ConnectionChanged and the first server must never see the
# second connection's token: with the bug, the renewed request carried it to the first host.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
    Import-Module $manifest -Force
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignIn.psm1') -Force
    $script:first = Start-GraphEmulator
    $script:second = Start-GraphEmulator
    $null = Add-MgEnvironment -Name SnapshotFirst -AzureADEndpoint $first.Url -GraphEndpoint $first.Url
    $null = Add-MgEnvironment -Name SnapshotSecond -AzureADEndpoint $second.Url -GraphEndpoint $second.Url
    $script:tenant = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'
    $script:rw = 'UserAuthenticationMethod.ReadWrite.All'
    $script:user = 'adele@contoso.example'
    function Get-PinRequest($Emulator) { @(Get-GraphEmulatorRequest $Emulator | Where-Object { $_.path -like '*/qrCodePinMethod/pin' }) }
}

AfterAll {
    Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    Remove-MgEnvironment -Name SnapshotFirst -ErrorAction SilentlyContinue
    Remove-MgEnvironment -Name SnapshotSecond -ErrorAction SilentlyContinue
    Stop-GraphEmulator $first
    Stop-GraphEmulator $second
}

Describe 'A request keeps the connection it started with' {
    BeforeEach {
        foreach ($emulator in $first, $second) {
            Reset-GraphEmulator $emulator
            $null = Add-GraphEmulatorUser $emulator @(@{ userPrincipalName = $user })
        }
        $secret = "sec~$([guid]::NewGuid().ToString('n'))"
        $app = [guid]::NewGuid().ToString()
        $null = Add-LoginApp $first @{ appId = $app; tenantId = $tenant; secrets = @($secret); roles = @($rw) }
        $credential = [pscredential]::new($app, (ConvertTo-SecureString $secret -AsPlainText -Force))
        # A renewable connection, so that a 401 is answered by renewing the token.
        Connect-MgGraph -TenantId $tenant -ClientSecretCredential $credential -Environment SnapshotFirst -NoWelcome
        $script:secondToken = New-GraphEmulatorToken $second @{ scp = $rw }
    }

    It 'ends with ConnectionChanged when another runspace connects elsewhere before the 401 renewal' {
        $null = Invoke-GraphEmulatorControl $first 'behaviour' -Method PUT -Body @{ latencyMs = 1500 }
        $null = Invoke-GraphEmulatorControl $first 'faults' -Method POST -Body @{ kind = 'status'; status = 401; count = 1 }
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript({
                    param($manifest, $token)
                    Import-Module $manifest
                    Start-Sleep -Milliseconds 500
                    Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment SnapshotSecond -NoWelcome
                }).AddArgument($manifest).AddArgument($secondToken)
            $running = $other.BeginInvoke()
            $out = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '12345678' -ErrorVariable failed -ErrorAction SilentlyContinue
            $null = $other.EndInvoke($running)
            $other.Streams.Error | Should -BeNullOrEmpty
        } finally { $other.Dispose() }

        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionChanged,*'
        $failed[0].Exception.Message | Should -Match 'replaced by another Connect-MgGraph'
        $failed[0].TargetObject.UserId | Should -Be $user
        # The first server saw only the request that got the 401; the second saw nothing of it.
        $seen = Get-PinRequest $first
        $seen.Count | Should -Be 1
        $seen[0].status | Should -Be 401
        Get-PinRequest $second | Should -BeNullOrEmpty
        (Get-MgContext).Environment | Should -Be 'SnapshotSecond'
    }

    It 'still renews and sends again on the same connection when nothing changed' {
        $null = Invoke-GraphEmulatorControl $first 'faults' -Method POST -Body @{ kind = 'status'; status = 401; count = 1 }
        $out = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId $user -Code '12345678' -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -BeNullOrEmpty
        $out.Code | Should -Be '12345678'
        @(Get-PinRequest $first | ForEach-Object status) | Should -Be @(401, 201)
    }
}
