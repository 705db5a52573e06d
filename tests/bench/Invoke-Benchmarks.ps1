# build.ps1 Bench: each figure beside its baseline, measured in the same run, with the command behind it.
# -Figure picks some of them (e.g. -Figure 3 while working on the bulk run); all four by default.
param([int[]] $Figure = @(1, 2, 3, 4))
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'

function Measure-Median {
    param([Parameter(Mandatory)][scriptblock] $Action, [int] $Runs = 10)
    $times = foreach ($i in 1..$Runs) { (Measure-Command $Action).TotalMilliseconds }
    $sorted = @($times | Sort-Object)
    if ($Runs % 2) { $sorted[[int][math]::Floor($Runs / 2)] } else { ($sorted[$Runs / 2 - 1] + $sorted[$Runs / 2]) / 2 }
}

if ($Figure -contains 1) {
Write-Host '== 1. Import cost (median of 10 fresh processes)'
$bare = "& '$pwsh' -NoProfile -NonInteractive -Command 'exit'"
$import = "& '$pwsh' -NoProfile -NonInteractive -Command 'Import-Module ''$manifest''; exit'"
# The fixed price of any Import-Module (the module machinery's first use), for reference.
$empty = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-bench-empty-$PID"
$null = New-Item -ItemType Directory -Force $empty
Set-Content (Join-Path $empty 'Empty.psm1') ''
New-ModuleManifest (Join-Path $empty 'Empty.psd1') -RootModule 'Empty.psm1' -FunctionsToExport @() -CmdletsToExport @() -VariablesToExport @() -AliasesToExport @()
$emptyManifest = Join-Path $empty 'Empty.psd1'
$emptyCmd = "& '$pwsh' -NoProfile -NonInteractive -Command 'Import-Module ''$emptyManifest''; exit'"

$null = & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'"   # warm the file cache
$bareMs = Measure-Median { & $pwsh -NoProfile -NonInteractive -Command 'exit' }
$emptyMs = Measure-Median { & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$emptyManifest'; exit" }
$importMs = Measure-Median { & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'; exit" }
Remove-Item -Recurse -Force $empty
'{0,-32} {1,9:N1} ms   {2}' -f 'pwsh start alone', $bareMs, $bare | Write-Host
'{0,-32} {1,9:N1} ms   {2}' -f 'pwsh start + an empty module', $emptyMs, $emptyCmd | Write-Host
'{0,-32} {1,9:N1} ms   {2}' -f 'pwsh start + Microsoft.Graph.Rs', $importMs, $import | Write-Host
'{0,-32} {1,9:N1} ms   (ratio {2:N2} against pwsh start alone)' -f 'import cost', ($importMs - $bareMs), ($importMs / $bareMs) | Write-Host
'{0,-32} {1,9:N1} ms   (beyond what an empty module costs)' -f 'of which this module', ($importMs - $emptyMs) | Write-Host

Write-Host ''
Write-Host '== Release library'
$library = Get-ChildItem (Join-Path $root 'runtimes') -Recurse -File | Select-Object -First 1
'{0,-28} {1,9:N0} KiB  {2}' -f $library.Name, ($library.Length / 1KB), $library.FullName | Write-Host
}

# ---- Figures 2-4 run against the Graph emulator (tests/emulator), started here. ----
Import-Module $manifest
Import-Module (Join-Path $root 'tests/GraphEmulator.psm1')
$emulator = Start-GraphEmulator
try {
    function Set-Behaviour([hashtable] $Settings) { $null = Invoke-GraphEmulatorControl $emulator 'behaviour' -Method PUT -Body $Settings }
    function Add-BenchUser([int] $Count) {
        Reset-GraphEmulator $emulator
        for ($i = 1; $i -le $Count; $i += 1000) {
            $null = Add-GraphEmulatorUser $emulator @($i..[math]::Min($i + 999, $Count) | ForEach-Object { @{ userPrincipalName = "user$_@contoso.example" } })
        }
    }
    # Every run gets a tenant of its own, so nothing the scheduler learned carries over.
    function Connect-BenchTenant {
        $claims = @{ scp = 'UserAuthenticationMethod.ReadWrite.All'; tid = [guid]::NewGuid().ToString() }
        Connect-GraphEmulator $emulator -Claims $claims
        New-GraphEmulatorToken $emulator $claims
    }

    if ($Figure -contains 2) {
    Write-Host ''
    Write-Host '== 2. Sequential calls (500 each, same PATCH, same emulator, no added latency)'
    Add-BenchUser 1
    $token = Connect-BenchTenant
    $uri = "$($emulator.Url)/beta/users/user1%40contoso.example/authentication/qrCodePinMethod/pin"
    $headers = @{ Authorization = "Bearer $token" }
    $cmdletCall = "Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678'"
    $irmCall = "Invoke-RestMethod -Method Patch -Uri '$uri' -Headers @{ Authorization = 'Bearer <token>' } -ContentType 'application/json' -Body '{`"code`":`"12345678`"}'"
    $runCmdlet = { for ($i = 0; $i -lt 500; $i++) { $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678' } }
    $runIrm = { for ($i = 0; $i -lt 500; $i++) { $null = Invoke-RestMethod -Method Patch -Uri $uri -Headers $headers -ContentType 'application/json' -Body '{"code":"12345678"}' } }
    # Two readings. "Fresh": 20 warm-up calls each, as a script that runs once sees it. "Warm": after 1,500
    # more calls each, once .NET's tiered JIT has recompiled the hot code: Invoke-RestMethod gets about twice
    # as fast over its first thousand calls, so the fresh reading alone would flatter the cmdlet.
    # Many short alternated rounds, each side's best kept: on a shared virtual machine a burst of noise from
    # elsewhere lasts longer than a round, and with a handful of rounds one side could miss every quiet spell.
    foreach ($reading in @(@{ Name = 'fresh'; WarmUp = 20; Rounds = 5 }, @{ Name = 'warm'; WarmUp = 1500; Rounds = 15 })) {
        for ($i = 0; $i -lt $reading.WarmUp; $i++) {
            $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678'
            $null = Invoke-RestMethod -Method Patch -Uri $uri -Headers $headers -ContentType 'application/json' -Body '{"code":"12345678"}'
        }
        # Alternate the two and keep each one's best round.
        $cmdletMs = [double]::MaxValue; $irmMs = [double]::MaxValue
        foreach ($round in 1..$reading.Rounds) {
            $cmdletMs = [math]::Min($cmdletMs, (Measure-Command $runCmdlet).TotalMilliseconds)
            $irmMs = [math]::Min($irmMs, (Measure-Command $runIrm).TotalMilliseconds)
        }
        Write-Host ("-- {0}: after {1:N0} warm-up calls each, best of {2} rounds each, alternated" -f $reading.Name, $reading.WarmUp, $reading.Rounds)
        '{0,-32} {1,9:N1} ms   ({2:N2} ms per call)   {3}' -f '500 x the cmdlet', $cmdletMs, ($cmdletMs / 500), $cmdletCall | Write-Host
        '{0,-32} {1,9:N1} ms   ({2:N2} ms per call)   {3}' -f '500 x Invoke-RestMethod', $irmMs, ($irmMs / 500), $irmCall | Write-Host
        '{0,-32} {1,9:N2}      (target <= 1.0)' -f "ratio cmdlet / Invoke-RestMethod ($($reading.Name))", ($cmdletMs / $irmMs) | Write-Host
    }
    }

    if ($Figure -contains 3) {
    Write-Host ''
    Write-Host '== 3. Bulk: 2,000 users piped, 50 ms latency, write quota 100 per second (sliding 1 s window)'
    $users = 2000; $ceiling = 100.0
    $records = @(1..$users | ForEach-Object { [pscustomobject]@{ UserId = "user$_@contoso.example"; Code = '{0:D8}' -f (20000000 + $_) } })
    $bulk = {
        param([int] $MaxConcurrency)
        Add-BenchUser $users
        $null = Connect-BenchTenant
        Set-Behaviour @{ latencyMs = 50; throttle = @{ limit = [int]$ceiling; windowSeconds = 1 } }
        Set-MgRequestContext -MaxConcurrency $MaxConcurrency | Out-Null
        $failures = 0; $outputs = 0
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $records | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorVariable +failed -ErrorAction SilentlyContinue -ProgressAction SilentlyContinue |
            ForEach-Object { $outputs++ }
        $seconds = $clock.Elapsed.TotalSeconds
        $stats = Invoke-GraphEmulatorControl $emulator 'stats'
        $applied = @(Invoke-GraphEmulatorControl $emulator 'users')
        [pscustomobject]@{
            Seconds   = $seconds
            Rate      = $users / $seconds
            Requests  = [int]$stats.requests
            Throttled = [int]$stats.throttled
            Failures  = @($failed).Count
            Outputs   = $outputs
            Lost      = @($applied | Where-Object { $_.appliedUpdates -eq 0 }).Count
            Twice     = @($applied | Where-Object { $_.appliedUpdates -gt 1 }).Count
        }
    }
    $failed = @()
    $concurrent = & $bulk 8
    $failed = @()
    $oneByOne = & $bulk 1
    Set-MgRequestContext -MaxConcurrency 8 | Out-Null
    $bulkCall = '$records | Update-MgBetaUserAuthenticationQrCodePinMethodPin   # records: UserId, Code; Set-MgRequestContext -MaxConcurrency 8 (the default), then 1'
    foreach ($run in @(@('concurrent (MaxConcurrency 8)', $concurrent), @('one at a time (MaxConcurrency 1)', $oneByOne))) {
        $r = $run[1]
        '{0,-34} {1,7:N1} s  {2,6:N1}/s = {3:N3} of the ceiling   429s {4}/{5} = {6:P2}   failures {7}   outputs {8}   lost {9}   applied twice {10}' -f `
            $run[0], $r.Seconds, $r.Rate, ($r.Rate / $ceiling), $r.Throttled, $r.Requests, ($r.Throttled / [math]::Max($r.Requests, 1)),
            $r.Failures, $r.Outputs, $r.Lost, $r.Twice | Write-Host
    }
    '{0,-34} {1,7:N2}x faster than one at a time   (target: >= 0.95 of the ceiling, <= 1% 429s)   {2}' -f 'speed-up', ($concurrent.Rate / $oneByOne.Rate), $bulkCall | Write-Host
    }

    if ($Figure -contains 4) {
    Write-Host ''
    Write-Host '== 4. Memory: 10,000 piped items (no latency, no quota), each run in a fresh pwsh; after a full GC: RSS, the GC''s committed memory, the live managed heap'
    Add-BenchUser 10000
    $token = Connect-BenchTenant
    Set-Behaviour @{ latencyMs = 0 }
    $memoryScript = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-bench-memory-$PID.ps1"
    Set-Content $memoryScript @'
param([string] $Mode, [string] $Manifest, [string] $Url, [string] $Token, [int] $Items)
# After a full collection: RSS; the memory the .NET GC keeps committed (its working room: it grows with
# allocation rate and is reused, not leaked); the live managed heap (a managed leak grows this). What RSS
# holds beyond the GC's committed memory is native: the runtime, its allocator, and this module's library.
function Get-Memory {
    [System.GC]::Collect(); [System.GC]::WaitForPendingFinalizers(); [System.GC]::Collect()
    $process = [System.Diagnostics.Process]::GetCurrentProcess(); $process.Refresh()
    '{0:N1};{1:N1};{2:N1}' -f ($process.WorkingSet64 / 1MB), ([System.GC]::GetGCMemoryInfo().TotalCommittedBytes / 1MB), ([System.GC]::GetTotalMemory($true) / 1MB)
}
$records = { 1..$Items | ForEach-Object { [pscustomobject]@{ UserId = "user$_@contoso.example"; Code = '12345678' } } }
$count = 0
switch ($Mode) {
    'records' {
        # No HTTP at all: the same records through the same two pipeline stages, each turned into a new object.
        $before = Get-Memory
        & $records | ForEach-Object { [pscustomobject]@{ UserId = $_.UserId; Code = $_.Code; Id = [guid]::NewGuid().ToString() } } | ForEach-Object { $count++ }
    }
    'irm' {
        # The same PATCHes with the built-in Invoke-RestMethod, streamed the same way.
        $headers = @{ Authorization = "Bearer $Token" }
        $null = Invoke-RestMethod -Method Patch -Uri "$Url/beta/users/user1%40contoso.example/authentication/qrCodePinMethod/pin" -Headers $headers -ContentType 'application/json' -Body '{"code":"12345678"}'
        $before = Get-Memory
        & $records | ForEach-Object {
            Invoke-RestMethod -Method Patch -Uri "$Url/beta/users/$([uri]::EscapeDataString($_.UserId))/authentication/qrCodePinMethod/pin" -Headers $headers -ContentType 'application/json' -Body (@{ code = $_.Code } | ConvertTo-Json -Compress)
        } | ForEach-Object { $count++ }
    }
    'module' {
        Import-Module $Manifest
        $null = Add-MgEnvironment -Name BenchEmulator -AzureADEndpoint $Url -GraphEndpoint $Url
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -Environment BenchEmulator -NoWelcome
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678'
        $before = Get-Memory
        & $records | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ProgressAction SilentlyContinue | ForEach-Object { $count++ }
    }
}
"$before;$(Get-Memory);$count"
'@
    $runs = [ordered]@{
        'bare pwsh, records only (no HTTP)'            = @('-Mode', 'records')
        'bare pwsh + Invoke-RestMethod (baseline)'     = @('-Mode', 'irm')
        'pwsh + Microsoft.Graph.Rs (after import+call)' = @('-Mode', 'module', '-Manifest', $manifest)
    }
    $results = [ordered]@{}
    foreach ($run in $runs.GetEnumerator()) {
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $memoryScript) + $run.Value + @('-Url', $emulator.Url, '-Token', $token, '-Items', 10000)
        $results[$run.Key] = @((& $pwsh @arguments) -split ';' | ForEach-Object { [double]$_ })
    }
    Remove-Item $memoryScript
    $calls = @{
        'bare pwsh, records only (no HTTP)'            = 'the same records | ForEach-Object { [pscustomobject]@{ ... } } | ForEach-Object { $count++ }'
        'bare pwsh + Invoke-RestMethod (baseline)'     = 'the same records | ForEach-Object { Invoke-RestMethod -Method Patch ... } | ForEach-Object { $count++ }'
        'pwsh + Microsoft.Graph.Rs (after import+call)' = '1..10000 | ForEach-Object { [pscustomobject]@{ UserId = ...; Code = ... } } | Update-MgBetaUserAuthenticationQrCodePinMethodPin | ForEach-Object { $count++ }'
    }
    $row = '{0,-46} RSS {1,6:N1} -> {2,6:N1} MB ({3,6:+0.0;-0.0})   GC committed {4,5:N1} -> {5,5:N1} MB ({6,6:+0.0;-0.0})   rest of RSS {7,6:+0.0;-0.0} MB   live heap {8,4:N1} -> {9,4:N1} MB   {10} items   {11}'
    foreach ($name in $results.Keys) {
        $r = $results[$name]
        $row -f $name, $r[0], $r[3], ($r[3] - $r[0]), $r[1], $r[4], ($r[4] - $r[1]), (($r[3] - $r[0]) - ($r[4] - $r[1])), $r[2], $r[5], $r[6], $calls[$name] | Write-Host
    }
    $m = $results['pwsh + Microsoft.Graph.Rs (after import+call)']; $b = $results['bare pwsh + Invoke-RestMethod (baseline)']
    '{0,-46} {1:N1} MB more RSS than bare pwsh at the start, {2:N1} MB more growth while streaming (target: a few tens of MB; the GC''s committed memory is its own working room, grown the same by the records-only run)' -f 'module against baseline', ($m[0] - $b[0]), (($m[3] - $m[0]) - ($b[3] - $b[0])) | Write-Host
    }
} finally {
    Stop-GraphEmulator $emulator
}
