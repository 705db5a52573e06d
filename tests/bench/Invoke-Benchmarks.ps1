# build.ps1 Bench: each figure beside its baseline, measured in the same run, with the command behind it.
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
