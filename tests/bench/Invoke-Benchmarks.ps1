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
$null = & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'"   # warm the file cache
$bareMs = Measure-Median { & $pwsh -NoProfile -NonInteractive -Command 'exit' }
$importMs = Measure-Median { & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'; exit" }
'{0,-28} {1,9:N1} ms   {2}' -f 'pwsh start alone', $bareMs, $bare | Write-Host
'{0,-28} {1,9:N1} ms   {2}' -f 'pwsh start + Import-Module', $importMs, $import | Write-Host
'{0,-28} {1,9:N1} ms   (ratio {2:N2})' -f 'import cost', ($importMs - $bareMs), ($importMs / $bareMs) | Write-Host

Write-Host ''
Write-Host '== Release library'
$library = Get-ChildItem (Join-Path $root 'runtimes') -Recurse -File | Select-Object -First 1
'{0,-28} {1,9:N0} KiB  {2}' -f $library.Name, ($library.Length / 1KB), $library.FullName | Write-Host
