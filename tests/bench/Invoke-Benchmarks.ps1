# build.ps1 Bench: every figure of the performance table (issue 14) with all the contenders of its row, measured in
# one run: this module, Invoke-RestMethod, the official-stack peer (SdkPeer/, a compiled cmdlet over the Microsoft
# Graph .NET SDK, built here from NuGet) and .NET HttpClient called from PowerShell (the floor inside pwsh).
# Contenders alternate, the order rotated each round, so a burst of load from elsewhere on a shared machine falls on
# all of them alike; each figure gives min / median / max, the paired ratio (or difference) to its baseline taken
# round by round and then its median, and the number of runs.
# -Figure picks rows: 1 warm per call, 2 fresh process (import + connect + 1 call), 3 import over an empty module,
# 4 RSS after first use, 5 bulk, 6 memory over piped calls (2-4 come from the same fresh processes).
# -Quick runs a round or two of each, to try the bench out: its figures are not for quoting.
param([ValidateRange(1, 6)][int[]] $Figure = @(1, 2, 3, 4, 5, 6), [switch] $Quick)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
$manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
$invariant = [cultureinfo]::InvariantCulture
$benchClock = [System.Diagnostics.Stopwatch]::StartNew()
# The full run stays within about 10 minutes on 2 cores. Round counts are multiples of the contenders (4 warm, 6 in
# fresh processes), so the rotation puts every contender in every position equally often.
$settings = if ($Quick) {
    @{ WarmUp = 20; Calls = 20; WarmRounds = 4; FreshRounds = 1; BulkUsers = 200; BulkRuns = 1; MemoryItems = 500 }
} else {
    @{ WarmUp = 1500; Calls = 200; WarmRounds = 16; FreshRounds = 6; BulkUsers = 2000; BulkRuns = 5; MemoryItems = 10000 }
}
$names = [ordered]@{
    module = 'Microsoft.Graph.Rs'; irm = 'Invoke-RestMethod'; peer = 'SDK peer'; httpclient = '.NET HttpClient'
    bare = 'bare pwsh'; empty = 'an empty module'; records = 'records only, no HTTP'
}

# ---- Statistics and alternation (shared with Compare-Builds.ps1) ----
. (Join-Path $PSScriptRoot 'BenchStatistics.ps1')

# The summary table at the end: one row per figure, a cell per contender.
$summary = [System.Collections.Generic.List[object]]::new()
function Add-SummaryRow([string] $Figure, [hashtable] $Cells, [string] $Goal) {
    $summary.Add([pscustomobject]@{ Figure = $Figure; Cells = $Cells; Goal = $Goal })
}

# ---- The hosts a fresh process runs under ----
# What a user types: the first pwsh on PATH (a native launcher, a dotnet tool shim, a package's symlink...); and the
# runtime host directly, dotnet with this PowerShell's pwsh.dll, which takes the launcher's own cost out.
$launcher = Get-Command pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source
if (-not $launcher) { $launcher = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh') }
$dotnet = if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { [Environment]::ProcessPath }
          else { Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source }
$hosts = [ordered]@{ 'launcher' = @{ File = $launcher; Prefix = @(); Label = "pwsh on PATH: $launcher" } }
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$hostNote = ''
if ($dotnet -and (Test-Path $pwshDll)) {
    $null = & $dotnet $pwshDll -NoProfile -NonInteractive -Command 'exit 0' 2>&1
    if ($LASTEXITCODE -eq 0) { $hosts['runtime host'] = @{ File = $dotnet; Prefix = @($pwshDll); Label = "runtime host: $dotnet $pwshDll" } }
    else { $hostNote = "dotnet could not run $pwshDll (a self-contained PowerShell?): the runtime host is left out" }
} else { $hostNote = 'no dotnet or no pwsh.dll beside this PowerShell: the runtime host is left out' }
$pwsh = $launcher   # the other child processes (figure 6) run as a user would start them

# ---- The official-stack peer, restored and built from NuGet into target/ (git-ignored) ----
function Build-SdkPeer {
    if (-not $dotnet) { throw 'The SDK peer needs the .NET SDK (dotnet) to build.' }
    $output = Join-Path $root 'target/bench/sdk-peer'
    $log = & $dotnet publish (Join-Path $PSScriptRoot 'SdkPeer/SdkPeer.csproj') -c Release --artifacts-path $output -nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) { $log | Write-Host; throw "Building the SDK peer failed with exit code $LASTEXITCODE." }
    Join-Path $output 'publish/SdkPeer/release/SdkPeer.dll'
}
Write-Host "== Building the SDK peer (tests/bench/SdkPeer) from NuGet"
$peer = Build-SdkPeer
$peerVersions = ([xml](Get-Content -Raw (Join-Path $PSScriptRoot 'SdkPeer/SdkPeer.csproj'))).Project.ItemGroup.PackageReference |
    Where-Object { $_.Include -notlike 'Microsoft.Kiota.Serialization.*' } | ForEach-Object { "$($_.Include) $($_.Version)" }
Write-Host "   $($peerVersions -join ', ')"
Write-Host "== Hosts: $($hosts.Values.Label -join '; ')$($hostNote ? "; $hostNote" : '')"
Write-Host ("== Run: {0}" -f ($Quick ? 'QUICK (-Quick: a round or two each, not figures to quote)' : 'full'))
Write-Host ("== Machine: {0} logical cores, {1}" -f [Environment]::ProcessorCount, (Get-Load))

# ---- Everything below runs against the Graph emulator (tests/emulator), started here. ----
Import-Module $manifest
Import-Module $peer
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
    $uri = "$($emulator.Url)/beta/users/user1%40contoso.example/authentication/qrCodePinMethod/pin"
    $body = '{"code":"12345678"}'
    $calls = [ordered]@{
        module     = "Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678'"
        irm        = "Invoke-RestMethod -Method Patch -Uri '<emulator>/beta/users/user1%40contoso.example/authentication/qrCodePinMethod/pin' -Headers @{ Authorization = 'Bearer <token>' } -ContentType 'application/json' -Body '$body'"
        peer       = "Update-SdkPeerQrPin -UserId 'user1@contoso.example' -Code '12345678'   # tests/bench/SdkPeer: RequestAdapter.SendAsync of a PATCH to <emulator>/v1.0/... (GraphServiceClient, default middleware)"
        httpclient = '$client.Send([System.Net.Http.HttpRequestMessage] PATCH <emulator>/beta/... with a StringContent body), the body read, the response disposed; one HttpClient, the token in its default headers'
    }

    if ($Figure -contains 1) {
        Write-Host ''
        Write-Host ("== 1. Warm per call: the same PATCH, {0} calls per contender per round, {1} rounds alternated (order rotated), after {2:N0} warm-up calls each; no added latency" -f $settings.Calls, $settings.WarmRounds, $settings.WarmUp)
        Add-BenchUser 1
        $token = Connect-BenchTenant
        Connect-SdkPeer -GraphEndpoint $emulator.Url -AccessToken $token
        $headers = @{ Authorization = "Bearer $token" }
        $client = [System.Net.Http.HttpClient]::new()
        $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $token)
        $patch = [System.Net.Http.HttpMethod]::Patch; $utf8 = [System.Text.Encoding]::UTF8
        $loops = @{
            module     = { param($n) for ($i = 0; $i -lt $n; $i++) { $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678' } }
            irm        = { param($n) for ($i = 0; $i -lt $n; $i++) { $null = Invoke-RestMethod -Method Patch -Uri $uri -Headers $headers -ContentType 'application/json' -Body $body } }
            peer       = { param($n) for ($i = 0; $i -lt $n; $i++) { $null = Update-SdkPeerQrPin -UserId 'user1@contoso.example' -Code '12345678' } }
            httpclient = { param($n) for ($i = 0; $i -lt $n; $i++) {
                    $request = [System.Net.Http.HttpRequestMessage]::new($patch, $uri)
                    $request.Content = [System.Net.Http.StringContent]::new($body, $utf8, 'application/json')
                    $response = $client.Send($request)
                    if (-not $response.IsSuccessStatusCode) { throw "HttpClient: $([int]$response.StatusCode)" }
                    $null = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
                    $response.Dispose()
                } }
        }
        # Warm-up: .NET's tiered JIT recompiles the hot code over the first thousand calls or so (Invoke-RestMethod
        # gets about twice as fast), so a reading before that would flatter whichever side warms up least.
        $null = Invoke-Alternated @('module', 'irm', 'peer', 'httpclient') 1 { param($name) & $loops[$name] $settings.WarmUp }
        $warm = Invoke-Alternated @('module', 'irm', 'peer', 'httpclient') $settings.WarmRounds {
            param($name) (Measure-Command { & $loops[$name] $settings.Calls }).TotalMilliseconds / $settings.Calls
        }
        $client.Dispose()
        Write-Host ('{0,-20} {1,26}   {2,-38} {3}' -f 'contender', 'ms per call: min / median / max', 'ratio to Invoke-RestMethod (paired)', 'call')
        $cells = @{}
        foreach ($name in $warm.Keys) {
            $ratio = Get-PairedRatio $warm[$name] $warm['irm']
            $cells[$name] = '{0:N2} ({1:N3} ms)' -f $ratio, (Get-Median $warm[$name])
            # The goal is set against the peer: say where the module stands to it too.
            if ($name -eq 'module') { $cells[$name] = '{0:N2} ({1:N3} ms; {2:N2} x peer)' -f $ratio, (Get-Median $warm[$name]), (Get-PairedRatio $warm[$name] $warm['peer']) }
            '{0,-20} {1}      {2,6:N2}   (to the SDK peer {3,5:N2})             {4}' -f $names[$name], (Format-Spread $warm[$name] 'N3'), $ratio,
                (Get-PairedRatio $warm[$name] $warm['peer']), $calls[$name] | Write-Host
        }
        Write-Host ("   {0} rounds of {1} calls per contender; ratios are the median of the {0} per-round ratios" -f $settings.WarmRounds, $settings.Calls)
        Add-SummaryRow 'Warm per call, ratio to IRM (median ms)' $cells 'module <= 0.9 x peer'
    }

    if ($Figure | Where-Object { $_ -in 2, 3, 4 }) {
        Write-Host ''
        Write-Host ("== 2-4. Fresh processes: each one imports, connects and sends one PATCH with one contender, timed inside the process, then reads its RSS after a full GC; {0} round(s) per host, alternated (order rotated)" -f $settings.FreshRounds)
        Add-BenchUser 1
        $token = Connect-BenchTenant
        $empty = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-bench-empty-$PID"
        $null = New-Item -ItemType Directory -Force $empty
        Set-Content (Join-Path $empty 'Empty.psm1') ''
        New-ModuleManifest (Join-Path $empty 'Empty.psd1') -RootModule 'Empty.psm1' -FunctionsToExport @() -CmdletsToExport @() -VariablesToExport @() -AliasesToExport @()
        $modulePaths = @{ module = $manifest; peer = $peer; empty = (Join-Path $empty 'Empty.psd1') }
        $firstUse = Join-Path $PSScriptRoot 'FirstUse.ps1'
        $fresh = [ordered]@{}
        # Figure 3 alone needs no Invoke-RestMethod or HttpClient process.
        $modes = ($Figure | Where-Object { $_ -in 2, 4 }) ? @('bare', 'empty', 'module', 'irm', 'peer', 'httpclient') : @('bare', 'empty', 'module', 'peer')
        try {
            foreach ($hostName in $hosts.Keys) {
                $h = $hosts[$hostName]
                $runOne = {
                    param($mode)
                    $arguments = $h.Prefix + @('-NoProfile', '-NonInteractive', '-File', $firstUse, '-Mode', $mode,
                        '-ModulePath', ($modulePaths[$mode] ?? ''), '-Url', $emulator.Url, '-Token', $token)
                    $output = $null
                    $wall = (Measure-Command { $output = & $h.File @arguments 2>&1 }).TotalMilliseconds
                    if ($LASTEXITCODE -ne 0) { $output | Write-Host; throw "The fresh process for '$mode' failed with exit code $LASTEXITCODE." }
                    $v = @("$(@($output)[-1])" -split ';' | ForEach-Object { [double]::Parse($_, $invariant) })
                    [pscustomobject]@{ Wall = $wall; Import = $v[0]; Connect = $v[1]; Total = $v[2]; Rss = $v[3] }
                }
                if ($hostName -eq 'launcher') { $null = Invoke-Alternated $modes 1 $runOne }   # warm the file cache; not counted
                $fresh[$hostName] = Invoke-Alternated $modes $settings.FreshRounds $runOne
            }
        } finally { Remove-Item -Recurse -Force $empty }
        $commandCount = @((Get-Module Microsoft.Graph.Rs).ExportedCommands.Keys).Count
        $col = { param($results, $name, $property) [double[]]@($results[$name] | ForEach-Object { $_.$property }) }

        if ($Figure -contains 2) {
            Write-Host ''
            Write-Host '== 2. Fresh process: import + connect + 1 call, in-process ms (from the script''s first line to the call''s return), and the whole process as its parent sees it'
            foreach ($hostName in $fresh.Keys) {
                $r = $fresh[$hostName]
                Write-Host "-- $($hosts[$hostName].Label)   ($($settings.FreshRounds) run(s) each)"
                Write-Host ('{0,-20} {1,26}   {2,-10} {3,-10} {4,26}' -f 'contender', 'in-process ms: min / median / max', 'ratio IRM', 'ratio peer', 'process wall ms: min / median / max')
                foreach ($name in 'module', 'irm', 'peer', 'httpclient', 'bare') {
                    $total = & $col $r $name 'Total'; $wall = & $col $r $name 'Wall'
                    $ratios = ($name -eq 'bare') ? @('', '') : @(('{0:N2}' -f (Get-PairedRatio $total (& $col $r 'irm' 'Total'))), ('{0:N2}' -f (Get-PairedRatio $total (& $col $r 'peer' 'Total'))))
                    '{0,-20} {1}       {2,6}     {3,6}     {4}' -f $names[$name], (Format-Spread $total), $ratios[0], $ratios[1], (Format-Spread $wall) | Write-Host
                }
                $cells = @{}
                foreach ($name in 'module', 'irm', 'peer', 'httpclient') { $cells[$name] = '{0:N0}' -f (Get-Median (& $col $r $name 'Total')) }
                $moduleTotal = & $col $r 'module' 'Total'
                $cells['module'] += ' ({0:N2} x peer, {1:N2} x IRM)' -f (Get-PairedRatio $moduleTotal (& $col $r 'peer' 'Total')), (Get-PairedRatio $moduleTotal (& $col $r 'irm' 'Total'))
                Add-SummaryRow "Fresh process: import + connect + 1 call, in-process ms ($hostName)" $cells '<= peer, <= 1.2 x IRM'
            }
            Write-Host '   bare pwsh: the script alone (no import, no call); Invoke-RestMethod and HttpClient import nothing; the SDK peer imports its binary module'
        }

        if ($Figure -contains 3) {
            Write-Host ''
            Write-Host "== 3. Import: Import-Module's in-process ms, over an empty module's import in the same round (paired); the module exports $commandCount commands"
            foreach ($hostName in $fresh.Keys) {
                $r = $fresh[$hostName]
                Write-Host "-- $($hosts[$hostName].Label)   ($($settings.FreshRounds) run(s) each)"
                $emptyImport = & $col $r 'empty' 'Import'
                foreach ($name in 'empty', 'module', 'peer') {
                    $import = & $col $r $name 'Import'
                    '{0,-20} {1} ms   over the empty module {2,7:+0.0;-0.0} ms   {3}' -f $names[$name], (Format-Spread $import), (Get-PairedDifference $import $emptyImport),
                        "Import-Module '$(Split-Path -Leaf $modulePaths[$name] 2>$null)'" | Write-Host
                }
                # PowerShell's own floor, as the parent sees whole processes: pwsh that only runs the script, and what an
                # empty module's import adds to that.
                '{0,-20} {1} ms   process wall ms of bare pwsh; an empty module''s process over it, paired {2:+0.0;-0.0} ms' -f 'pwsh''s own floor', (Format-Spread (& $col $r 'bare' 'Wall')),
                    (Get-PairedDifference (& $col $r 'empty' 'Wall') (& $col $r 'bare' 'Wall')) | Write-Host
                Add-SummaryRow "Import over an empty module's import ($hostName)" @{
                    module = '{0:+0;-0} ms ({1} commands)' -f (Get-PairedDifference (& $col $r 'module' 'Import') $emptyImport), $commandCount
                    peer   = '{0:+0;-0} ms' -f (Get-PairedDifference (& $col $r 'peer' 'Import') $emptyImport)
                } '<= +30 ms with every command of the table'
            }
            $library = Get-ChildItem (Join-Path $root 'runtimes') -Recurse -File -Filter '*microsoft_graph_rs*' | Select-Object -First 1
            '{0,-20} {1,9:N0} KiB   the release library ({2})' -f 'native library', ($library.Length / 1KB), $library.Name | Write-Host
        }

        if ($Figure -contains 4) {
            Write-Host ''
            Write-Host '== 4. RSS after import + connect + 1 call (after a full GC), over bare pwsh in the same round (paired)'
            foreach ($hostName in $fresh.Keys) {
                $r = $fresh[$hostName]
                Write-Host "-- $($hosts[$hostName].Label)   ($($settings.FreshRounds) run(s) each)"
                $bareRss = & $col $r 'bare' 'Rss'
                $cells = @{}
                foreach ($name in 'module', 'irm', 'peer', 'httpclient', 'bare') {
                    $rss = & $col $r $name 'Rss'
                    $over = Get-PairedDifference $rss $bareRss
                    if ($name -ne 'bare') { $cells[$name] = '{0:N1} MiB' -f $over }
                    '{0,-20} {1} MiB RSS   over bare pwsh {2,6:+0.0;-0.0} MiB' -f $names[$name], (Format-Spread $rss), $over | Write-Host
                }
                Add-SummaryRow "RSS after import + connect + 1 call, over bare pwsh ($hostName)" $cells '<= 15 MiB'
            }
        }
    }

    if ($Figure -contains 5) {
        Write-Host ''
        $users = $settings.BulkUsers; $ceiling = 100.0
        Write-Host ("== 5. Bulk: {0:N0} users piped, 50 ms latency, write quota 100 per second (sliding 1 s window); {1} concurrent run(s), then 1 one at a time (at most 500 users)" -f $users, $settings.BulkRuns)
        $records = @(1..$users | ForEach-Object { [pscustomobject]@{ UserId = "user$_@contoso.example"; Code = '{0:D8}' -f (20000000 + $_) } })
        $bulk = {
            param([int] $MaxConcurrency, [int] $Count)
            Add-BenchUser $Count
            $null = Connect-BenchTenant
            Set-Behaviour @{ latencyMs = 50; throttle = @{ limit = [int]$ceiling; windowSeconds = 1 } }
            Set-MgRequestContext -MaxConcurrency $MaxConcurrency | Out-Null
            $failed = @()
            $outputs = 0
            $batch = $records[0..($Count - 1)]   # sliced before the clock starts: no extra pipeline stage is timed
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $batch | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorVariable failed -ErrorAction SilentlyContinue -ProgressAction SilentlyContinue |
                ForEach-Object { $outputs++ }
            $seconds = $clock.Elapsed.TotalSeconds
            $stats = Invoke-GraphEmulatorControl $emulator 'stats'
            $applied = @(Invoke-GraphEmulatorControl $emulator 'users')
            [pscustomobject]@{
                Users = $Count; Seconds = $seconds; Rate = $Count / $seconds; Requests = [int]$stats.requests; Throttled = [int]$stats.throttled
                Failures = @($failed).Count; Outputs = $outputs
                Lost = @($applied | Where-Object { $_.appliedUpdates -eq 0 }).Count; Twice = @($applied | Where-Object { $_.appliedUpdates -gt 1 }).Count
            }
        }
        $runs = [System.Collections.Generic.List[object]]::new()
        for ($run = 1; $run -le $settings.BulkRuns; $run++) { $runs.Add([pscustomobject]@{ Name = "concurrent, run $run (MaxConcurrency 8)"; Result = (& $bulk 8 $users) }) }
        # One at a time is bound by the latency (about 18 a second whatever the count): 500 users tell its rate as well
        # as 2,000 and save over a minute.
        $oneByOneUsers = [math]::Min($users, 500)
        $oneByOne = & $bulk 1 $oneByOneUsers
        $runs.Add([pscustomobject]@{ Name = "one at a time, $oneByOneUsers users (MaxConcurrency 1)"; Result = $oneByOne })
        Set-MgRequestContext -MaxConcurrency 8 | Out-Null
        foreach ($run in $runs) {
            $r = $run.Result
            '{0,-44} {1,7:N1} s  {2,6:N1}/s = {3:N3} of the ceiling   429s {4}/{5} = {6:P2}   failures {7}   outputs {8}   lost {9}   applied twice {10}' -f `
                $run.Name, $r.Seconds, $r.Rate, ($r.Rate / $ceiling), $r.Throttled, $r.Requests, ($r.Throttled / [math]::Max($r.Requests, 1)),
                $r.Failures, $r.Outputs, $r.Lost, $r.Twice | Write-Host
        }
        $concurrent = @($runs | Select-Object -First $settings.BulkRuns | ForEach-Object { $_.Result })
        $share = Get-Median @($concurrent | ForEach-Object { $_.Rate / $ceiling })
        $clean = @($concurrent | Where-Object { $_.Throttled -eq 0 }).Count
        '{0,-44} {1:N3} of the ceiling (median of {2} run(s)); {3} of {2} run(s) without a 429; {4:N2}x faster than one at a time   (target: >= 0.97 and zero 429s in every run)' -f `
            'concurrent', $share, $concurrent.Count, $clean, ((Get-Median @($concurrent | ForEach-Object { $_.Rate })) / $oneByOne.Rate) | Write-Host
        Write-Host '   call: $records | Update-MgBetaUserAuthenticationQrCodePinMethodPin   # records: UserId, Code; Set-MgRequestContext -MaxConcurrency 8 (the default), then 1'
        Write-Host '   only the module: Invoke-RestMethod, the SDK peer and HttpClient as called here send one request at a time'
        Add-SummaryRow "Bulk, $($users.ToString('N0', $invariant)) users, share of the write ceiling" @{
            module = '{0:N3} (median of {1}), 429s in {2} of {1}' -f $share, $concurrent.Count, ($concurrent.Count - $clean)
        } '>= 0.97 and zero 429s in 5 of 5 runs, also under load'
    }

    if ($Figure -contains 6) {
        Write-Host ''
        $items = $settings.MemoryItems
        Write-Host ("== 6. Memory: {0:N0} piped items (no latency, no quota), each contender once in a fresh pwsh (the launcher); after a full GC: RSS, the GC's committed memory, the live managed heap" -f $items)
        Add-BenchUser $items
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
    [string]::Format([cultureinfo]::InvariantCulture, '{0:F1};{1:F1};{2:F1}', ($process.WorkingSet64 / 1MB),
        ([System.GC]::GetGCMemoryInfo().TotalCommittedBytes / 1MB), ([System.GC]::GetTotalMemory($true) / 1MB))
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
    'peer' {
        Import-Module $Manifest
        Connect-SdkPeer -GraphEndpoint $Url -AccessToken $Token
        $null = Update-SdkPeerQrPin -UserId 'user1@contoso.example' -Code '12345678'
        $before = Get-Memory
        & $records | Update-SdkPeerQrPin | ForEach-Object { $count++ }
    }
}
"$before;$(Get-Memory);$count"
'@
        $memory = [ordered]@{
            records = @{ Manifest = ''; Call = 'the same records | ForEach-Object { [pscustomobject]@{ ... } } | ForEach-Object { $count++ }' }
            irm     = @{ Manifest = ''; Call = 'the same records | ForEach-Object { Invoke-RestMethod -Method Patch ... } | ForEach-Object { $count++ }' }
            module  = @{ Manifest = $manifest; Call = '1..N | ForEach-Object { [pscustomobject]@{ UserId = ...; Code = ... } } | Update-MgBetaUserAuthenticationQrCodePinMethodPin | ForEach-Object { $count++ }' }
            peer    = @{ Manifest = $peer; Call = 'the same records | Update-SdkPeerQrPin | ForEach-Object { $count++ }' }
        }
        $results = [ordered]@{}
        try {
            # Alternation matters less here (memory, one run each); the order still varies so no one always goes first.
            $results = Invoke-Alternated @($memory.Keys) 1 {
                param($name)
                $arguments = @('-NoProfile', '-NonInteractive', '-File', $memoryScript, '-Mode', $name, '-Manifest', $memory[$name].Manifest,
                    '-Url', $emulator.Url, '-Token', $token, '-Items', $items)
                $output = & $pwsh @arguments 2>&1
                if ($LASTEXITCODE -ne 0) { $output | Write-Host; throw "The memory run '$name' failed with exit code $LASTEXITCODE." }
                , @("$(@($output)[-1])" -split ';' | ForEach-Object { [double]::Parse($_, $invariant) })
            }
        } finally { Remove-Item $memoryScript }
        $row = '{0,-22} RSS {1,6:N1} -> {2,6:N1} MiB ({3,6:+0.0;-0.0})   GC committed {4,5:N1} -> {5,5:N1} MiB ({6,6:+0.0;-0.0})   rest of RSS {7,6:+0.0;-0.0} MiB   live heap {8,4:N1} -> {9,4:N1} MiB   {10} items   {11}'
        $cells = @{}
        foreach ($name in $results.Keys) {
            $r = $results[$name][0]
            if ($name -ne 'records') { $cells[$name] = '{0:N1} MiB' -f ($r[3] - $r[0]) }
            $row -f $names[$name], $r[0], $r[3], ($r[3] - $r[0]), $r[1], $r[4], ($r[4] - $r[1]), (($r[3] - $r[0]) - ($r[4] - $r[1])), $r[2], $r[5], $r[6], $memory[$name].Call | Write-Host
        }
        Write-Host '   1 run each; the GC''s committed memory is its own working room, grown as much by the records-only run'
        Add-SummaryRow "RSS growth over $($items.ToString('N0', $invariant)) piped calls" $cells 'keep <= today'
    }
} finally {
    Stop-GraphEmulator $emulator
}

# ---- The table: each figure with every contender of its row ----
Write-Host ''
Write-Host ("== Summary ({0}; medians; peer: {1})" -f ($Quick ? 'QUICK run, not for quoting' : 'full run'), ($peerVersions -join ', '))
Write-Host '| Figure (median) | Module | Invoke-RestMethod | SDK peer | .NET HttpClient | Goal |'
Write-Host '|---|---|---|---|---|---|'
foreach ($line in $summary) {
    $cell = { param($name) $line.Cells.ContainsKey($name) ? $line.Cells[$name] : '' }
    Write-Host ('| {0} | {1} | {2} | {3} | {4} | {5} |' -f $line.Figure, (& $cell 'module'), (& $cell 'irm'), (& $cell 'peer'), (& $cell 'httpclient'), $line.Goal)
}
Write-Host ("   the bench ran {0:N0} s ({1}); at the end, {2}" -f $benchClock.Elapsed.TotalSeconds, ($Quick ? '-Quick' : 'full'), (Get-Load))
