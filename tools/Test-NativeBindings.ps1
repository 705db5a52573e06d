<#
.SYNOPSIS
Checks the native boundary from both sides: every export declared once in src/ffi, bound once in tools/New-InteropAssembly.ps1 (the
interop assembly's P/Invoke methods) with matching types, named in docs/abi.md, and present in the built library.

.DESCRIPTION
Writes one string per problem found and nothing when the two sides agree (build.ps1 Lint runs it).
Rust declarations are read from the `#[no_mangle]` items under src/ffi; the P/Invoke bindings from the `$exports` table
of the P/Invoke type and the data symbols the loader reads with GetExport.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $Root,
    # The built library; when it does not exist the presence check is skipped with a note.
    [string] $LibraryPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# Rust parameter and return types as the P/Invoke table spells them.
$dotnetOf = @{ 'u32' = 'u32'; 'i32' = 'i32'; 'u64' = 'u64'; '*const u8' = 'u8s'; '*mut c_char' = 'ptr'; '' = 'void' }

$declared = [System.Collections.Generic.List[object]]::new()
foreach ($file in Get-ChildItem (Join-Path $Root 'src/ffi') -Filter *.rs -Recurse) {
    $text = [System.IO.File]::ReadAllText($file.FullName)
    $pattern = '#\[no_mangle\]\s*pub\s+(?:unsafe\s+)?(?:extern\s+"C"\s+fn\s+(?<fn>\w+)\s*\((?<params>[^)]*)\)\s*(?:->\s*(?<ret>[^{]+?))?\s*\{|static\s+(?<static>\w+)\s*:)'
    foreach ($match in [regex]::Matches($text, $pattern)) {
        if ($match.Groups['static'].Success) {
            $declared.Add([pscustomobject]@{ Name = $match.Groups['static'].Value; Kind = 'static'; Signature = $null; File = $file.Name })
            continue
        }
        $params = @($match.Groups['params'].Value -split ',' | Where-Object { $_.Trim() } | ForEach-Object { ($_ -split ':', 2)[1].Trim() })
        $types = @($params | ForEach-Object { $dotnetOf[$_] ?? "?$_" })
        $ret = $dotnetOf[$match.Groups['ret'].Value.Trim()] ?? "?$($match.Groups['ret'].Value.Trim())"
        $declared.Add([pscustomobject]@{ Name = $match.Groups['fn'].Value; Kind = 'function'; Signature = "$ret($($types -join ','))"; File = $file.Name })
    }
}

$loaderPath = Join-Path $Root 'module/Native/NativeLoader.ps1'
$loader = [System.IO.File]::ReadAllText($loaderPath)
$bound = [System.Collections.Generic.List[object]]::new()
$bindingsFile = 'tools/New-InteropAssembly.ps1'   # the P/Invoke methods, built into the interop assembly
$bindings = [System.IO.File]::ReadAllText((Join-Path $Root $bindingsFile))
$table = [regex]::Match($bindings, '\$exports\s*=\s*\[ordered\]@\{(?<body>.*?)\n\s*\}', 'Singleline')
if (-not $table.Success) { "$($bindingsFile): no `$exports table found"; return }
foreach ($line in $table.Groups['body'].Value -split "`n" | Where-Object { $_.Trim() }) {
    if ($line -notmatch '^\s*(?<name>\w+)\s*=\s*@\(\s*(?<ret>\[void\]|\$\w+)\s*,\s*@\((?<params>[^)]*)\)\s*\)') { "$($bindingsFile): cannot read binding line '$($line.Trim())'"; continue }
    $ret = $Matches['ret'] -eq '[void]' ? 'void' : $Matches['ret'].TrimStart('$')
    $types = @($Matches['params'] -split ',' | Where-Object { $_.Trim() } | ForEach-Object { $_.Trim().TrimStart('$') })
    $bound.Add([pscustomobject]@{ Name = $Matches['name']; Signature = "$ret($($types -join ','))" })
}
$readSymbols = @([regex]::Matches($loader, "GetExport\([^,]+,\s*'(\w+)'\)") | ForEach-Object { $_.Groups[1].Value })
$abiDoc = [System.IO.File]::ReadAllText((Join-Path $Root 'docs/abi.md'))

foreach ($group in $declared | Group-Object Name -CaseSensitive | Where-Object Count -GT 1) { "$($group.Name) is declared $($group.Count) times in src/ffi" }
foreach ($group in $bound | Group-Object Name -CaseSensitive | Where-Object Count -GT 1) { "$($group.Name) is bound $($group.Count) times in $bindingsFile" }
foreach ($export in $declared) {
    if ($abiDoc -notmatch "\b$([regex]::Escape($export.Name))\b") { "$($export.Name) ($($export.File)) is not described in docs/abi.md" }
    if ($export.Kind -eq 'static') {
        if ($export.Name -cnotin $readSymbols) { "$($export.Name) is exported but module/Native/NativeLoader.ps1 never reads it" }
        continue
    }
    $binding = $bound | Where-Object Name -CEQ $export.Name | Select-Object -First 1
    if (-not $binding) { "$($export.Name) is exported by src/ffi/$($export.File) but not bound in $bindingsFile"; continue }
    if ($binding.Signature -ne $export.Signature) { "$($export.Name): Rust declares $($export.Signature), $bindingsFile binds $($binding.Signature)" }
}
foreach ($binding in $bound | Where-Object { $_.Name -cnotin $declared.Name }) { "$($binding.Name) is bound in $bindingsFile but src/ffi does not export it" }
foreach ($symbol in $readSymbols | Where-Object { $_ -cnotin $declared.Name }) { "module/Native/NativeLoader.ps1 reads $symbol, which src/ffi does not export" }

# The versions both sides name must agree.
$rustAbi = [regex]::Match(([System.IO.File]::ReadAllText((Join-Path $Root 'src/ffi/mod.rs'))), 'const ABI_VERSION: u32 = (\d+)').Groups[1].Value
$loaderAbi = [regex]::Match($loader, '\$script:MgRsAbiVersion = \[uint32\](\d+)').Groups[1].Value
if (-not $rustAbi -or $rustAbi -ne $loaderAbi) { "ABI version: src/ffi says '$rustAbi', module/Native/NativeLoader.ps1 says '$loaderAbi'" }

if ($LibraryPath -and (Test-Path $LibraryPath)) {
    $handle = [System.Runtime.InteropServices.NativeLibrary]::Load($LibraryPath)
    foreach ($export in $declared) {
        $address = [IntPtr]::Zero
        if (-not [System.Runtime.InteropServices.NativeLibrary]::TryGetExport($handle, $export.Name, [ref]$address)) {
            "$($export.Name) is declared in src/ffi but the built library does not export it"
        }
    }
} elseif ($LibraryPath) {
    Write-Warning "Test-NativeBindings: $LibraryPath does not exist yet; the built library was not checked."
}
