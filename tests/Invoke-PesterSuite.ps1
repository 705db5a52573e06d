# Runs every Pester test against the built module in this (fresh) process. Prints a line per test file, each failing
# test in full (its path, the assertion, what it wrote), and the totals on a line of their own for build.ps1.
# Pester comes from $env:MGRS_PESTER_MODULE (build.ps1 Test sets it), else as build.ps1 finds or installs it.
param(
    # Only these test files (names or paths); all of tests/pester by default.
    [string[]] $Path
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$tools = Join-Path (Split-Path -Parent $PSScriptRoot) 'tools'
. (Join-Path $tools 'TestReport.ps1')

if (-not $env:MGRS_PESTER_MODULE) {
    . (Join-Path $tools 'BuildEnvironment.ps1')
    $env:MGRS_PESTER_MODULE = Initialize-Pester
}
Import-Module $env:MGRS_PESTER_MODULE -ErrorAction Stop

$results = Join-Path $PSScriptRoot 'results'
$null = New-Item -ItemType Directory -Force -Path $results

$config = New-PesterConfiguration
$config.Run.Path = if ($Path) { $Path | ForEach-Object { (Test-Path $_) ? $_ : (Join-Path $PSScriptRoot "pester/$_") } } else { Join-Path $PSScriptRoot 'pester' }
$config.Run.PassThru = $true
$config.Output.Verbosity = 'None'   # this script prints the report
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = Join-Path $results 'pester.xml'

# Streams that tests leave uncaptured (verbose, debug, warnings, errors a test expects) are dropped here: a test asserts
# on what it captures, and a failing test's own output is printed below.
$run = Invoke-Pester -Configuration $config 2>$null 3>$null 4>$null 5>$null 6>$null

foreach ($container in $run.Containers) {
    $tests = @($container.Blocks | ForEach-Object { $_ } | Where-Object { $_ } | ForEach-Object {
            # Tests of nested blocks, depth first.
            $stack = [System.Collections.Generic.Stack[object]]::new(); $stack.Push($_)
            while ($stack.Count) { $block = $stack.Pop(); $block.Tests; foreach ($child in $block.Blocks) { $stack.Push($child) } }
        })
    $failedTests = @($tests | Where-Object Result -EQ 'Failed')
    $detail = [System.Collections.Generic.List[string]]::new()
    foreach ($test in $failedTests) {
        $detail.Add("[-] $($test.ExpandedPath)")
        foreach ($record in $test.ErrorRecord) {
            $detail.Add("    $($record.Exception.Message)")
            # The first frame outside Pester is the test's own line.
            $frame = @("$($record.ScriptStackTrace)" -split "`n" | Where-Object { $_ -and $_ -notmatch 'Pester\.psm1' })
            if ($frame) { $detail.Add("    $($frame[0])") }
        }
        if ($test.StandardOutput) { $detail.Add('    output: ' + (($test.StandardOutput | Out-String).Trim() -replace "`n", "`n            ")) }
    }
    # A block setup (BeforeAll) or the file itself failing leaves its tests unrun: say why.
    $blockFailures = @($container.ErrorRecord) + @($container.Blocks | Where-Object { $_ -and $_.ErrorRecord } | ForEach-Object ErrorRecord)
    foreach ($record in $blockFailures | Where-Object { $_ }) { $detail.Add("[-] setup: $($record.Exception.Message)") }
    $failed = $failedTests.Count + ($container.Result -eq 'Failed' -and -not $failedTests ? 1 : 0)
    Write-TestReportLine -Name ([System.IO.Path]::GetFileName("$($container.Item)")) -Passed @($tests | Where-Object Result -EQ 'Passed').Count `
        -Failed $failed -Seconds $container.Duration.TotalSeconds -Detail ($detail -join "`n")
}

$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
Write-Host "Pester totals: $($run.PassedCount) passed, $failed failed, $($run.SkippedCount) skipped"
exit ([int]($failed -gt 0 -or $run.PassedCount -eq 0))
