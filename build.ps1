#!/usr/bin/env pwsh

<#
.SYNOPSIS
Builds, checks, tests, demonstrates, packages and benchmarks Microsoft.Graph.Rs.

.DESCRIPTION
The tasks, in the order a change goes through them:

Generate Write the command functions (module/Commands) and the runtime's table data (module/Runtime/*.g.ps1) from
         the command table in src/commands (tools/New-CommandFunctions.ps1). The files are committed.
Build    Check that the generated files match the table (else: run Generate), cargo build --release (library, Graph
         emulator, test proxy); stage the library under runtimes/<rid>/native; write the module's .NET types into
         runtimes/Microsoft.Graph.Rs.Interop.dll (tools/New-InteropAssembly.ps1) and the compiled command runtime
         into runtimes/Microsoft.Graph.Rs.Runtime.dll (tools/New-RuntimeAssembly.ps1); write the MAML help from
         docs/help.
Lint     cargo fmt --check, cargo clippy -D warnings, and the native binding check (every export declared once in
         src/ffi and bound once in tools/New-InteropAssembly.ps1).
Test     Build, Package, Lint, then every cargo test and every Pester test in a fresh pwsh -NoProfile. Prints a line per
         test file and ends with "N passed, N failed"; exits non-zero when anything failed or did not run.
Demo     Build, start the Graph emulator, connect to it, run the reference page's Example 1 and a pipeline.
Package  Build and stage an installable module folder under out/Microsoft.Graph.Rs/<version>/.
Bench    Build and print the benchmark figures, each beside Invoke-RestMethod, the official Graph SDK stack (a peer
         cmdlet the bench builds from NuGet) and .NET HttpClient (tests/bench/Invoke-Benchmarks.ps1; its -Figure runs
         only some, -Quick a round or two of each).
Clean    Remove everything the other tasks made in the checkout (target/, runtimes/, out/, module/en-US/, tests/results/).

Each task sets up what it needs on a fresh machine: with crates.io unreachable, a vendored crate set beside the checkout
(../shared/rust/vendor, or $env:MGRS_VENDOR_DIR) through a git-ignored .cargo/config.toml; for Test, Pester 5.5 or later
(any that Get-Module -ListAvailable finds, else installed once into ~/.cache/Microsoft.Graph.Rs/build, or
$env:MGRS_BUILD_CACHE). Run with no task, it prints this table and builds.

.PARAMETER Task
The task to run (see the description). Without one, the task table is printed and Build runs.

.EXAMPLE
pwsh ./build.ps1 Test

Builds everything, checks formatting and lints, runs every test and prints the summary line.

.EXAMPLE
pwsh ./build.ps1 Generate

After editing src/commands: writes the command functions and runtime data, then Build accepts them.

.EXAMPLE
Get-Help ./build.ps1 -Full

Shows this help.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Generate', 'Build', 'Lint', 'Test', 'Demo', 'Package', 'Bench', 'Clean')]
    [string] $Task
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$ModuleName = 'Microsoft.Graph.Rs'
. (Join-Path $Root 'tools/BuildEnvironment.ps1')
. (Join-Path $Root 'tools/TestReport.ps1')

function Get-RuntimeIdentifier {
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    "$os-$arch"
}

function Get-LibraryFileName {
    if ($IsWindows) { 'microsoft_graph_rs.dll' } elseif ($IsMacOS) { 'libmicrosoft_graph_rs.dylib' } else { 'libmicrosoft_graph_rs.so' }
}

function Get-Pwsh { Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh') }

# Runs a native command with its output kept back: shown only when it fails, so a passing run stays short.
function Invoke-Quietly {
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    $output = & $FilePath @ArgumentList 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -ne 0) {
        $output | Write-Host
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

# The command functions are generated from the table and committed: Generate writes them, Build only checks them, so
# a table edit without its generated files fails here rather than shipping commands that disagree with the engine.
function Invoke-Generate {
    & (Join-Path $Root 'tools/New-CommandFunctions.ps1') -Source (Join-Path $Root 'src/commands') -Destination (Join-Path $Root 'module')
    Write-Host '== Generate: module/Commands and module/Runtime/*.g.ps1 written from src/commands'
}

function Assert-Generated {
    $problems = @(& (Join-Path $Root 'tools/New-CommandFunctions.ps1') -Source (Join-Path $Root 'src/commands') -Destination (Join-Path $Root 'module') -Check)
    if ($problems) {
        throw "The generated command files do not match the command table (src/commands); run './build.ps1 Generate' and commit the result:`n  $($problems -join "`n  ")"
    }
}

function Invoke-Build {
    Assert-Generated
    Assert-Cargo
    Initialize-CargoSource $Root
    $started = [System.Diagnostics.Stopwatch]::StartNew()
    Write-Host '== Build: cargo build --release --workspace (the first build takes a few minutes)' -ForegroundColor Cyan
    Push-Location $Root
    try { Invoke-Quietly cargo @('build', '--release', '--workspace') } finally { Pop-Location }

    $native = Join-Path $Root "runtimes/$(Get-RuntimeIdentifier)/native"
    $null = New-Item -ItemType Directory -Force -Path $native
    # Replace by rename, never in place: a pwsh that has the library loaded keeps its own copy
    # instead of crashing when the pages under it change.
    $target = Join-Path $native (Get-LibraryFileName)
    $staging = "$target.$PID.tmp"
    Copy-Item -Force (Join-Path $Root "target/release/$(Get-LibraryFileName)") $staging
    Move-Item -Force $staging $target

    # The module's .NET types (P/Invoke, argument attributes, enums), emitted here once rather than at every import.
    $interop = Join-Path $Root 'runtimes/Microsoft.Graph.Rs.Interop.dll'
    $staging = "$interop.$PID.tmp"
    Invoke-Quietly (Get-Pwsh) @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/New-InteropAssembly.ps1'), '-OutputPath', $staging)
    Move-Item -Force $staging $interop
    # The compiled part of the command runtime (module/Runtime/Compiled), built by PowerShell's own C# compiler.
    Invoke-Quietly (Get-Pwsh) @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/New-RuntimeAssembly.ps1'),
        '-OutputPath', (Join-Path $Root 'runtimes/Microsoft.Graph.Rs.Runtime.dll'))

    # MAML is generated from docs/help and the functions' own metadata, so it cannot drift from the code.
    $null = & (Join-Path $Root 'tools/New-MamlHelp.ps1') -Source (Join-Path $Root 'docs/help/Microsoft.Graph.Rs.help.psd1') `
        -ModuleFolder (Join-Path $Root 'module') -OutputPath (Join-Path $Root 'module/en-US/Microsoft.Graph.Rs-help.xml')
    Write-Host ("   built in {0:N0} s" -f $started.Elapsed.TotalSeconds)
}

# Returns one result per check: Name, Passed, Detail (what failed).
function Invoke-LintChecks {
    Assert-Cargo
    Initialize-CargoSource $Root
    Push-Location $Root
    try {
        foreach ($check in @(
                @{ Name = 'cargo fmt --check'; Args = @('fmt', '--all', '--check') }
                @{ Name = 'cargo clippy -D warnings'; Args = @('clippy', '--release', '--workspace', '--all-targets', '--', '-D', 'warnings') })) {
            $started = [System.Diagnostics.Stopwatch]::StartNew()
            $output = & cargo @($check.Args) 2>&1 | ForEach-Object { "$_" }
            [pscustomobject]@{ Name = $check.Name; Passed = ($LASTEXITCODE -eq 0); Seconds = $started.Elapsed.TotalSeconds
                Detail = ($LASTEXITCODE -eq 0) ? '' : ($output -join "`n") }
        }
        $started = [System.Diagnostics.Stopwatch]::StartNew()
        $problems = @(& (Join-Path $Root 'tools/Test-NativeBindings.ps1') -Root $Root -LibraryPath (Join-Path $Root "target/release/$(Get-LibraryFileName)"))
        [pscustomobject]@{ Name = 'native bindings'; Passed = ($problems.Count -eq 0); Seconds = $started.Elapsed.TotalSeconds
            Detail = $problems -join "`n" }
    } finally { Pop-Location }
}

function Invoke-Lint {
    $results = @(Invoke-LintChecks)
    $results | ForEach-Object { Write-TestReportLine -Name "lint: $($_.Name)" -Passed ([int]$_.Passed) -Failed ([int]!$_.Passed) -Seconds $_.Seconds -Detail $_.Detail }
    if ($results.Passed -contains $false) { exit 1 }
}

function Invoke-Test {
    $pester = Initialize-Pester   # first: a missing test tool fails in seconds, not after the build
    Invoke-Package
    $report = New-TestReport

    Write-Host '== Lint' -ForegroundColor Cyan
    foreach ($check in Invoke-LintChecks) {
        Add-TestReportSuite $report -Name "lint: $($check.Name)" -Passed ([int]$check.Passed) -Failed ([int]!$check.Passed) `
            -Seconds $check.Seconds -Detail $check.Detail
    }

    Write-Host '== cargo test' -ForegroundColor Cyan
    Push-Location $Root
    try { Invoke-CargoTestSuite $report } finally { Pop-Location }

    Write-Host '== Pester (a fresh pwsh -NoProfile)' -ForegroundColor Cyan
    $env:MGRS_PESTER_MODULE = $pester
    $results = Join-Path $Root 'tests/results'
    $null = New-Item -ItemType Directory -Force $results
    Invoke-PesterSuite $report -Pwsh (Get-Pwsh) -Script (Join-Path $Root 'tests/Invoke-PesterSuite.ps1') -ConsoleLog (Join-Path $results 'pester-console.log')

    if (-not (Write-TestReportSummary $report)) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & (Get-Pwsh) -NoProfile -NonInteractive -File (Join-Path $Root 'tests/demo.ps1')
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
    # module/ holds only what runs: the wiring, its parts' folders and the help built into en-US.
    Copy-Item (Join-Path $Root 'module/*') (Join-Path $stage 'module') -Recurse -Force
    # The C# sources are built into runtimes/ (Build), not read at run time.
    Remove-Item -Recurse -Force (Join-Path $stage 'module/Runtime/Compiled')
    $rid = Get-RuntimeIdentifier
    $native = Join-Path $stage "runtimes/$rid/native"
    $null = New-Item -ItemType Directory -Force -Path $native
    Copy-Item (Join-Path $Root "runtimes/$rid/native/$(Get-LibraryFileName)") $native
    Copy-Item (Join-Path $Root 'runtimes/Microsoft.Graph.Rs.Interop.dll') (Join-Path $stage 'runtimes')
    Copy-Item (Join-Path $Root 'runtimes/Microsoft.Graph.Rs.Runtime.dll') (Join-Path $stage 'runtimes')
    $null = Test-ModuleManifest (Join-Path $stage "$ModuleName.psd1") -ErrorAction Stop
    Write-Host "== Package: staged $stage (install: copy out/$ModuleName into a folder on `$env:PSModulePath)"
}

function Invoke-Bench {
    Invoke-Build
    & (Get-Pwsh) -NoProfile -NonInteractive -File (Join-Path $Root 'tests/bench/Invoke-Benchmarks.ps1')
    if ($LASTEXITCODE -ne 0) { throw "The benchmark failed with exit code $LASTEXITCODE." }
}

function Invoke-Clean {
    foreach ($made in 'target', 'runtimes', 'out', 'module/en-US', 'tests/results') {
        $path = Join-Path $Root $made
        if (Test-Path $path) { Remove-Item -Recurse -Force $path; Write-Host "removed $made/" }
    }
}

if (-not $Task) {
    # The description's first paragraphs are the task table; print them, then do the everyday task.
    $text = (Get-Help $PSCommandPath).Description.Text
    Write-Host ($text.Substring(0, $text.IndexOf("`n`nEach task"))) "`n"
    $Task = 'Build'
}
switch ($Task) {
    'Generate' { Invoke-Generate }
    'Build' { Invoke-Build }
    'Lint' { Invoke-Lint }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
    'Bench' { Invoke-Bench }
    'Clean' { Invoke-Clean }
}
