# Runs every Pester test against the built module in this (fresh) process and prints the totals
# on a line of their own for build.ps1 and CI.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$pester = if ($env:MGRS_PESTER_MODULE) { $env:MGRS_PESTER_MODULE } else {
    Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/pester/5.7.1/tools/Pester.psd1'
}
Import-Module $pester -MinimumVersion 5.7.1 -ErrorAction Stop

$results = Join-Path $PSScriptRoot 'results'
$null = New-Item -ItemType Directory -Force -Path $results

$config = New-PesterConfiguration
$config.Run.Path = Join-Path $PSScriptRoot 'pester'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = Join-Path $results 'pester.xml'

$run = Invoke-Pester -Configuration $config
$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
Write-Host "Pester totals: $($run.PassedCount) passed, $failed failed, $($run.SkippedCount) skipped"
exit ([int]($failed -gt 0 -or $run.PassedCount -eq 0))
