# Compares two builds of the module (two module roots, each built with ./build.ps1 Build) on the bench's figures of the
# PIN reset cmdlet, in one run, contenders alternated with the order rotated each round (as Invoke-Benchmarks.ps1 does):
#   import   Import-Module's in-process ms in a fresh pwsh -NoProfile over an empty module's import in the same round
#            (the bench's figure 3, through its own FirstUse.ps1);
#   warm     ms per call of the same PATCH, warm, against the emulator (the bench's figure 1);
#   bulk     records piped at 50 ms latency under a write quota of 100 a second: share of that ceiling (figure 5).
# Both builds share one Graph emulator (the -After root's). The two modules have the same name, so for the warm and
# bulk figures each one lives in a pwsh of its own (an out-of-process runspace that stays up for the whole run) and
# times itself inside that process; the parent only hands out the turns.
# Prints min / median / max per contender and the paired ratio after/before: per round, then the median.
#   git worktree add ../before bb52873; (cd ../before; pwsh ./build.ps1 Build)
#   pwsh -NoProfile tests/bench/Compare-Builds.ps1 -Before ../before -After .
param(
    [Parameter(Mandatory)][string] $Before,
    [Parameter(Mandatory)][string] $After,
    [int] $FreshRounds = 12, [int] $WarmUp = 1500, [int] $Calls = 200, [int] $WarmRounds = 20,
    [int] $BulkUsers = 2000, [int] $BulkRounds = 4,
    [ValidateSet('import', 'warm', 'bulk')][string[]] $Figure = @('import', 'warm', 'bulk')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$invariant = [cultureinfo]::InvariantCulture
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$manifests = [ordered]@{}
foreach ($side in @(@('before', $Before), @('after', $After))) {
    $path = Join-Path (Resolve-Path $side[1]).Path 'Microsoft.Graph.Rs.psd1'
    if (-not (Test-Path $path)) { throw "No module manifest at '$path'." }
    $manifests[$side[0]] = $path
}
$commits = @{}
foreach ($name in $manifests.Keys) { $commits[$name] = (git -C (Split-Path $manifests[$name]) log -1 --format='%h %s' 2>$null) ?? '?' }

# ---- The bench's statistics and alternation ----
. (Join-Path $PSScriptRoot 'BenchStatistics.ps1')

$rows = [System.Collections.Generic.List[object]]::new()
function Add-Row([string] $Figure, [string] $Unit, [double[]] $BeforeValues, [double[]] $AfterValues, [double] $Ratio, [int] $Rounds, [string] $Load) {
    $rows.Add([pscustomobject]@{ Figure = $Figure; Unit = $Unit; Before = $BeforeValues; After = $AfterValues; Ratio = $Ratio; Rounds = $Rounds; Load = $Load })
    Write-Host ('{0,-44} before {1} | after {2} {3}   after/before {4:N3} (paired, {5} rounds; {6})' -f $Figure, (Format-Spread $BeforeValues 'N3'), (Format-Spread $AfterValues 'N3'), $Unit, $Ratio, $Rounds, $Load)
}

Write-Host "== Before: $($manifests.before)  [$($commits.before)]"
Write-Host "== After:  $($manifests.after)  [$($commits.after)]"
Write-Host ("== {0} logical cores, {1} at the start" -f [Environment]::ProcessorCount, (Get-Load))

Import-Module (Join-Path (Split-Path $manifests.after) 'tests/GraphEmulator.psm1')
$emulator = Start-GraphEmulator
$children = @{}
try {
    function Add-BenchUser([int] $Count) {
        Reset-GraphEmulator $emulator
        for ($i = 1; $i -le $Count; $i += 1000) {
            $null = Add-GraphEmulatorUser $emulator @($i..[math]::Min($i + 999, $Count) | ForEach-Object { @{ userPrincipalName = "user$_@contoso.example" } })
        }
    }
    function New-BenchToken { New-GraphEmulatorToken $emulator @{ scp = 'UserAuthenticationMethod.ReadWrite.All'; tid = [guid]::NewGuid().ToString() } }

    # ---- import: fresh processes through the bench's own FirstUse.ps1 ----
    if ($Figure -contains 'import') {
        Add-BenchUser 1
        $token = New-BenchToken
        $empty = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-compare-empty-$PID"
        $null = New-Item -ItemType Directory -Force $empty
        Set-Content (Join-Path $empty 'Empty.psm1') ''
        New-ModuleManifest (Join-Path $empty 'Empty.psd1') -RootModule 'Empty.psm1' -FunctionsToExport @() -CmdletsToExport @() -VariablesToExport @() -AliasesToExport @()
        $paths = @{ empty = (Join-Path $empty 'Empty.psd1'); before = $manifests.before; after = $manifests.after }
        $pwsh = Get-Command pwsh -CommandType Application | Select-Object -First 1 -ExpandProperty Source
        $firstUse = Join-Path $PSScriptRoot 'FirstUse.ps1'
        $runOne = {
            param($name)
            $mode = ($name -eq 'empty') ? 'empty' : 'module'
            $output = & $pwsh -NoProfile -NonInteractive -File $firstUse -Mode $mode -ModulePath $paths[$name] -Url $emulator.Url -Token $token 2>&1
            if ($LASTEXITCODE -ne 0) { $output | Write-Host; throw "The fresh process for '$name' failed with exit code $LASTEXITCODE." }
            $v = @("$(@($output)[-1])" -split ';' | ForEach-Object { [double]::Parse($_, $invariant) })
            [pscustomobject]@{ Import = $v[0]; Total = $v[2] }
        }
        try {
            $null = Invoke-Alternated @('empty', 'before', 'after') 1 $runOne   # warms the file cache; not counted
            $fresh = Invoke-Alternated @('empty', 'before', 'after') $FreshRounds $runOne
        } finally { Remove-Item -Recurse -Force $empty }
        $col = { param($name, $property) [double[]]@($fresh[$name] | ForEach-Object { $_.$property }) }
        $emptyImport = & $col 'empty' 'Import'
        $over = @{}
        foreach ($name in 'before', 'after') { $over[$name] = [double[]]@(for ($i = 0; $i -lt $FreshRounds; $i++) { (& $col $name 'Import')[$i] - $emptyImport[$i] }) }
        Write-Host ''
        Write-Host ("== import: fresh pwsh -NoProfile ($pwsh), FirstUse.ps1; empty module's import {0} ms" -f (Format-Spread $emptyImport))
        Add-Row 'Import over an empty module (ms)' 'ms' $over.before $over.after (Get-PairedRatio $over.after $over.before) $FreshRounds (Get-Load)
        Add-Row 'Fresh process: import+connect+1 call (ms)' 'ms' (& $col 'before' 'Total') (& $col 'after' 'Total') (Get-PairedRatio (& $col 'after' 'Total') (& $col 'before' 'Total')) $FreshRounds (Get-Load)
    }

    # ---- warm and bulk: one long-lived pwsh per build ----
    if ($Figure | Where-Object { $_ -in 'warm', 'bulk' }) {
        function Invoke-Child([string] $Name, [string] $Script, [object[]] $Arguments = @()) {
            $ps = [powershell]::Create(); $ps.Runspace = $children[$Name]
            try {
                $null = $ps.AddScript($Script)
                foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
                $out = $ps.Invoke()
                if ($ps.Streams.Error.Count) { throw "The '$Name' process: $($ps.Streams.Error[0])" }
                $out
            } finally { $ps.Dispose() }
        }
        foreach ($name in 'before', 'after') {
            $children[$name] = [runspacefactory]::CreateOutOfProcessRunspace($null)
            $children[$name].Open()
            $null = Invoke-Child $name @'
param($Manifest, $Url)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest -Global
$null = Add-MgEnvironment -Name BenchEmulator -AzureADEndpoint $Url -GraphEndpoint $Url
function global:Connect-Bench([string] $Token) { Connect-MgGraph -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -Environment BenchEmulator -NoWelcome }
function global:Invoke-WarmLoop([int] $n) { for ($i = 0; $i -lt $n; $i++) { $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678' } }
'@ @($manifests[$name], $emulator.Url)
        }
    }

    if ($Figure -contains 'warm') {
        Add-BenchUser 1
        foreach ($name in 'before', 'after') { $null = Invoke-Child $name 'param($t) Connect-Bench $t' @(New-BenchToken) }
        $null = Invoke-Alternated @('before', 'after') 1 { param($name) Invoke-Child $name 'param($n) Invoke-WarmLoop $n' @($WarmUp) }
        $warm = Invoke-Alternated @('before', 'after') $WarmRounds {
            param($name) [double](@(Invoke-Child $name 'param($n) (Measure-Command { Invoke-WarmLoop $n }).TotalMilliseconds / $n' @($Calls))[0])
        }
        Write-Host ''
        Write-Host ("== warm: {0} calls per contender per round after {1} warm-up calls, no added latency; each build in its own pwsh" -f $Calls, $WarmUp)
        Add-Row 'Warm sequential per call (ms)' 'ms' ([double[]]$warm.before) ([double[]]$warm.after) (Get-PairedRatio ([double[]]$warm.after) ([double[]]$warm.before)) $WarmRounds (Get-Load)
    }

    if ($Figure -contains 'bulk') {
        $ceiling = 100.0
        $bulk = Invoke-Alternated @('before', 'after') $BulkRounds {
            param($name)
            Add-BenchUser $BulkUsers
            $null = Invoke-GraphEmulatorControl $emulator 'behaviour' -Method PUT -Body @{ latencyMs = 50; throttle = @{ limit = [int]$ceiling; windowSeconds = 1 } }
            $r = @(Invoke-Child $name @'
param($Token, $Count)
Connect-Bench $Token
Set-MgRequestContext -MaxConcurrency 8 | Out-Null
$records = @(1..$Count | ForEach-Object { [pscustomobject]@{ UserId = "user$_@contoso.example"; Code = '{0:D8}' -f (20000000 + $_) } })
$failed = @(); $outputs = 0
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$records | Update-MgBetaUserAuthenticationQrCodePinMethodPin -ErrorVariable failed -ErrorAction SilentlyContinue -ProgressAction SilentlyContinue | ForEach-Object { $outputs++ }
[pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Failures = @($failed).Count; Outputs = $outputs }
'@ @((New-BenchToken), $BulkUsers))[0]
            $stats = Invoke-GraphEmulatorControl $emulator 'stats'
            [pscustomobject]@{ Share = $BulkUsers / $r.Seconds / $ceiling; Throttled = [int]$stats.throttled; Failures = $r.Failures; Outputs = $r.Outputs }
        }
        Write-Host ''
        Write-Host ("== bulk: {0:N0} users piped, MaxConcurrency 8, 50 ms latency, write quota {1} a second (sliding 1 s window)" -f $BulkUsers, $ceiling)
        foreach ($name in 'before', 'after') {
            Write-Host ('   {0,-7} 429s per run: {1}; failures: {2}; outputs: {3}' -f $name, (($bulk[$name] | ForEach-Object Throttled) -join ','),
                (($bulk[$name] | ForEach-Object Failures) -join ','), (($bulk[$name] | ForEach-Object Outputs) -join ','))
        }
        $share = @{}; foreach ($name in 'before', 'after') { $share[$name] = [double[]]@($bulk[$name] | ForEach-Object Share) }
        Add-Row 'Bulk share of the write ceiling' '' $share.before $share.after (Get-PairedRatio $share.after $share.before) $BulkRounds (Get-Load)
    }
} finally {
    foreach ($runspace in $children.Values) { try { $runspace.Dispose() } catch { } }
    Stop-GraphEmulator $emulator
}

Write-Host ''
Write-Host '| Figure | Before min / median / max | After min / median / max | After/before (paired median) | Rounds | Load at the end of the figure |'
Write-Host '|---|---|---|---|---|---|'
foreach ($row in $rows) {
    $spread = { param($v) ((Format-Spread $v 'N3') -split '\s+' | Where-Object { $_ }) -join ' / ' }
    Write-Host ('| {0} | {1} | {2} | {3:N3} | {4} | {5} |' -f $row.Figure, (& $spread $row.Before), (& $spread $row.After), $row.Ratio, $row.Rounds, $row.Load)
}
Write-Host ("   ran {0:N0} s; at the end, {1}; lower is better except the bulk share" -f $clock.Elapsed.TotalSeconds, (Get-Load))
