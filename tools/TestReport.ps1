# The Test task's report: one line per test file or binary while the suites run, the failures in full, and the closing
# "N passed, N failed" line that CI reads. A suite that did not run at all is a failure, and then no passes are claimed.
# Dot-sourced by build.ps1.

function New-TestReport { , [System.Collections.Generic.List[object]]::new() }   # the comma keeps the empty list from unrolling to $null

function Write-TestReportLine {
    param([string] $Name, [int] $Passed, [int] $Failed, [double] $Seconds, [string] $Detail)
    $status = if ($Failed -gt 0) { 'FAIL' } else { 'ok  ' }
    Write-Host ('  {0} {1,-52} {2,5} passed {3,3} failed {4,7:N1} s' -f $status, $Name, $Passed, $Failed, $Seconds)
    if ($Failed -gt 0 -and $Detail) { $Detail -split "`n" | ForEach-Object { Write-Host "       | $_" } }
}

# -NotRun: the suite could not run (it failed to build or to start); $Detail says why.
function Add-TestReportSuite {
    param($Report, [string] $Name, [int] $Passed, [int] $Failed, [double] $Seconds, [string] $Detail, [switch] $NotRun)
    if ($NotRun) {
        Write-Host "  FAIL $Name did not run"
        if ($Detail) { $Detail -split "`n" | ForEach-Object { Write-Host "       | $_" } }
    } else {
        Write-TestReportLine -Name $Name -Passed $Passed -Failed $Failed -Seconds $Seconds -Detail $Detail
    }
    $Report.Add([pscustomobject]@{ Name = $Name; Passed = $Passed; Failed = $Failed; NotRun = [bool]$NotRun })
}

# Prints the closing line; returns whether everything ran and passed.
function Write-TestReportSummary($Report) {
    $notRun = @($Report | Where-Object NotRun)
    $passed = ($Report | Measure-Object Passed -Sum).Sum
    $failed = ($Report | Measure-Object Failed -Sum).Sum + $notRun.Count
    Write-Host ''
    if ($notRun) {
        Write-Host "Not run: $($notRun.Name -join ', '). The $passed tests that did run are not counted as passed."
        $passed = 0
    }
    Write-Host "$passed passed, $failed failed"
    $failed -eq 0
}

# cargo test --workspace: a line per test binary from cargo's "Running" and "test result" lines; a failing binary's
# "failures:" section is shown. A build failure (no result line) means the suite did not run. Cargo writes "Running"
# to stderr and the binaries write their results to stdout, so the two interleave in any order once merged; each
# stream keeps its own order, though, so the n-th "Running" line names the n-th result.
function Invoke-CargoTestSuite($Report) {
    $started = [System.Diagnostics.Stopwatch]::StartNew()
    $output = @(& cargo test --release --workspace 2>&1 | ForEach-Object { "$_" })
    $exit = $LASTEXITCODE
    $names = [System.Collections.Generic.Queue[string]]::new()
    $stdout = [System.Collections.Generic.List[string]]::new()   # the current binary's lines, for its failures
    $counted = 0
    foreach ($line in $output) {
        if ($line -match '^\s+Running (?:unittests )?(\S+) \((?:.*[\\/])?([A-Za-z0-9_\-]+?)(?:-[0-9a-f]{16})?(?:\.exe)?\)') {
            $names.Enqueue("cargo: $($Matches[2]) $($Matches[1])"); continue
        }
        if ($line -match '^\s+Doc-tests (\S+)') { $names.Enqueue("cargo: $($Matches[1]) doc-tests"); continue }
        $stdout.Add($line)
        if ($line -match '^test result: \w+\. (\d+) passed; (\d+) failed;.* finished in ([\d.]+)s') {
            $name = if ($names.Count) { $names.Dequeue() } else { 'cargo: a test binary' }
            $failed = [int]$Matches[2]
            $detail = if ($failed -gt 0) {
                $from = [Math]::Max(0, $stdout.IndexOf('failures:'))
                ($stdout | Select-Object -Skip $from) -join "`n"
            }
            if ([int]$Matches[1] + $failed -gt 0) {
                Add-TestReportSuite $Report -Name $name -Passed ([int]$Matches[1]) -Failed $failed -Seconds ([double]$Matches[3]) -Detail $detail
            }
            $counted++; $stdout.Clear()
        }
    }
    if ($counted -eq 0 -or ($exit -ne 0 -and -not ($Report | Where-Object { $_.Name -like 'cargo:*' -and $_.Failed }))) {
        $tail = ($output | Select-Object -Last 40) -join "`n"
        Add-TestReportSuite $Report -Name 'cargo test' -NotRun -Detail "cargo test exited with $exit after $([int]$started.Elapsed.TotalSeconds) s:`n$tail"
    }
}

# The Pester suite runs in a fresh pwsh that prints its own per-file lines and a machine-read totals line. What else
# reaches its console (a What-if line, a host message: text that no stream redirection catches) is kept in a log
# file instead of the report; the last of it is shown when the suite did not run.
function Invoke-PesterSuite($Report, [string] $Pwsh, [string] $Script, [string] $ConsoleLog) {
    $started = [System.Diagnostics.Stopwatch]::StartNew()
    $totals = $null; $last = [System.Collections.Generic.Queue[string]]::new()
    $log = [System.IO.StreamWriter]::new($ConsoleLog)
    $env:NO_COLOR = '1'   # plain text in the report, whatever the terminal
    try {
        & $Pwsh -NoProfile -NonInteractive -File $Script 2>&1 | ForEach-Object {
            $line = "$_"
            if ($line -match '^Pester totals: (\d+) passed, (\d+) failed') { $totals = $Matches }
            elseif ($line -match '^  (ok  |FAIL) |^       \| ') { Write-Host $line }
            else {
                $log.WriteLine($line)
                $last.Enqueue($line); if ($last.Count -gt 40) { $null = $last.Dequeue() }
            }
        }
    } finally { $log.Dispose() }
    $exit = $LASTEXITCODE
    if (-not $totals) {
        Add-TestReportSuite $Report -Name 'Pester' -NotRun -Detail "the suite exited with $exit after $([int]$started.Elapsed.TotalSeconds) s and reported no totals:`n$($last -join "`n")"
        return
    }
    $failed = [int]$totals[2]
    if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 }   # it failed in a way Pester did not count
    if ($failed) { Write-Host "       | (what the tests wrote to the console: $ConsoleLog)" }
    $Report.Add([pscustomobject]@{ Name = 'Pester'; Passed = [int]$totals[1]; Failed = $failed; NotRun = $false })
}
