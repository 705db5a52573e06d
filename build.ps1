#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds, tests, demonstrates, packages and benchmarks Microsoft.Graph.Rs.

.DESCRIPTION
Build    cargo build --release (library and Graph emulator) and stage the library under runtimes/<rid>/native.
Test     Build, then every cargo test and every Pester test (in a fresh pwsh -NoProfile); ends with "N passed, N failed".
Demo     Build, start the Graph emulator, connect to it and run the reference page's Example 1 and a pipeline.
Package  Build and stage an installable module folder under out/Microsoft.Graph.Rs/<version>/.
Bench    Build and print the benchmark figures (tests/bench/Invoke-Benchmarks.ps1, whose -Figure runs only some).
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench')]
    [string] $Task = 'Build'
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$ModuleName = 'Microsoft.Graph.Rs'

function Invoke-Native {
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-RuntimeIdentifier {
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    "$os-$arch"
}

function Get-LibraryFileName {
    if ($IsWindows) { 'microsoft_graph_rs.dll' } elseif ($IsMacOS) { 'libmicrosoft_graph_rs.dylib' } else { 'libmicrosoft_graph_rs.so' }
}

function Invoke-Build {
    Push-Location $Root
    try {
        Invoke-Native cargo @('build', '--release', '--workspace')
    } finally { Pop-Location }
    $native = Join-Path $Root "runtimes/$(Get-RuntimeIdentifier)/native"
    $null = New-Item -ItemType Directory -Force -Path $native
    # Replace by rename, never in place: a pwsh that has the library loaded keeps its own copy
    # instead of crashing when the pages under it change.
    $target = Join-Path $native (Get-LibraryFileName)
    $staging = "$target.$PID.tmp"
    Copy-Item -Force (Join-Path $Root "target/release/$(Get-LibraryFileName)") $staging
    Move-Item -Force $staging $target

    # MAML is generated from docs/help and the functions' own metadata, so it cannot drift from the code.
    $null = & (Join-Path $Root 'tools/New-MamlHelp.ps1') -Source (Join-Path $Root 'docs/help/Microsoft.Graph.Rs.help.psd1') `
        -ModuleFolder (Join-Path $Root 'module') -OutputPath (Join-Path $Root 'module/en-US/Microsoft.Graph.Rs-help.xml')
}

function Invoke-Test {
    Invoke-Package   # builds too; the Pester suite checks the staged folder imports by name
    $passed = 0; $failed = 0
    Push-Location $Root
    try {
        Write-Host '== cargo test' -ForegroundColor Cyan
        $cargoOutput = & cargo test --release --workspace 2>&1 | ForEach-Object { $line = "$_"; Write-Host $line; $line }
        $cargoExit = $LASTEXITCODE
        foreach ($line in $cargoOutput) {
            if ($line -match 'test result: \w+\. (\d+) passed; (\d+) failed') {
                $passed += [int]$Matches[1]; $failed += [int]$Matches[2]
            }
        }
        if ($cargoExit -ne 0 -and $failed -eq 0) { $failed++ }   # a build failure counts as a failure

        Write-Host '== Pester (fresh pwsh -NoProfile)' -ForegroundColor Cyan
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $pesterOutput = & $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Invoke-PesterSuite.ps1') 2>&1 |
            ForEach-Object { $line = "$_"; Write-Host $line; $line }
        $pesterExit = $LASTEXITCODE
        $counted = $false
        foreach ($line in $pesterOutput) {
            if ($line -match '^Pester totals: (\d+) passed, (\d+) failed') {
                $passed += [int]$Matches[1]; $failed += [int]$Matches[2]; $counted = $true
            }
        }
        if (-not $counted -or ($pesterExit -ne 0 -and $failed -eq 0)) { $failed++ }
    } finally { Pop-Location }
    Write-Host ''
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    & $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/demo.ps1')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
}

function Invoke-Package {
    Invoke-Build
    $manifest = Import-PowerShellDataFile (Join-Path $Root "$ModuleName.psd1")
    $stage = Join-Path $Root "out/$ModuleName/$($manifest.ModuleVersion)"
    if (Test-Path $stage) { Remove-Item -Recurse -Force $stage }
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $stage 'module/en-US')
    Copy-Item (Join-Path $Root "$ModuleName.psd1") $stage
    # An explicit list: only what the module needs at run time ships.
    foreach ($file in Get-ChildItem (Join-Path $Root 'module') -File) { Copy-Item $file.FullName (Join-Path $stage 'module') }
    Copy-Item (Join-Path $Root 'module/en-US/*') (Join-Path $stage 'module/en-US')
    $rid = Get-RuntimeIdentifier
    $native = Join-Path $stage "runtimes/$rid/native"
    $null = New-Item -ItemType Directory -Force -Path $native
    Copy-Item (Join-Path $Root "runtimes/$rid/native/$(Get-LibraryFileName)") $native
    $null = Test-ModuleManifest (Join-Path $stage "$ModuleName.psd1") -ErrorAction Stop
    Write-Host "Staged $stage"
    Write-Host "Install: copy '$(Join-Path $Root "out/$ModuleName")' into a folder on `$env:PSModulePath, then Import-Module $ModuleName."
}

function Invoke-Bench {
    Invoke-Build
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    & $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/bench/Invoke-Benchmarks.ps1')
    if ($LASTEXITCODE -ne 0) { throw "The benchmark failed with exit code $LASTEXITCODE." }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
    'Bench' { Invoke-Bench }
}
