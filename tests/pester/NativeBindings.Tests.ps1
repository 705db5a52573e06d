# The binding check that build.ps1 Lint runs: clean on the repository, and it catches each kind of drift between the
# library's exports, the P/Invoke table of the interop assembly (tools/New-InteropAssembly.ps1), the loader and docs/abi.md when one side is changed in a scratch copy.

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:check = Join-Path $root 'tools/Test-NativeBindings.ps1'
    $script:copy = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-bindings-$PID"
    function Reset-Copy {
        Remove-Item -Recurse -Force $copy -ErrorAction Ignore
        foreach ($part in 'src/ffi', 'module/Native', 'tools', 'docs') { $null = New-Item -ItemType Directory -Force (Join-Path $copy $part) }
        Copy-Item (Join-Path $root 'src/ffi/*.rs') (Join-Path $copy 'src/ffi')
        Copy-Item (Join-Path $root 'module/Native/NativeLoader.ps1') (Join-Path $copy 'module/Native')
        Copy-Item (Join-Path $root 'tools/New-InteropAssembly.ps1') (Join-Path $copy 'tools')
        Copy-Item (Join-Path $root 'docs/abi.md') (Join-Path $copy 'docs')
    }
    function Edit-Copy([string] $File, [string] $Pattern, [string] $Replacement) {
        $path = Join-Path $copy $File
        $text = [System.IO.File]::ReadAllText($path)
        $changed = [regex]::Replace($text, $Pattern, $Replacement)
        if ($changed -eq $text) { throw "The mutation '$Pattern' did not apply to $File." }
        [System.IO.File]::WriteAllText($path, $changed)
    }
}

AfterAll { Remove-Item -Recurse -Force $copy -ErrorAction Ignore }

Describe 'Native binding check' {
    BeforeEach { Reset-Copy }

    It 'finds nothing wrong in the repository' {
        @(& $check -Root $copy) | Should -BeNullOrEmpty
    }

    It 'reports an export the interop assembly does not bind' {
        Edit-Copy 'tools/New-InteropAssembly.ps1' '\n\s*mgrs_cancel\s*=.*' ''
        @(& $check -Root $copy) | Should -Contain 'mgrs_cancel is exported by src/ffi/exports.rs but not bound in tools/New-InteropAssembly.ps1'
    }

    It 'reports a binding twice and a binding of nothing' {
        Edit-Copy 'tools/New-InteropAssembly.ps1' '(\n\s*)(mgrs_poll\s*=[^\n]*)' '$1$2$1$2$1mgrs_gone = @($i32, @())'
        $problems = @(& $check -Root $copy)
        $problems | Should -Contain 'mgrs_poll is bound 2 times in tools/New-InteropAssembly.ps1'
        $problems | Should -Contain 'mgrs_gone is bound in tools/New-InteropAssembly.ps1 but src/ffi does not export it'
    }

    It 'reports a parameter type that differs between the two sides' {
        Edit-Copy 'src/ffi/exports.rs' 'fn mgrs_wait\(handle: u64, timeout_ms: u32\)' 'fn mgrs_wait(handle: u64, timeout_ms: i32)'
        @(& $check -Root $copy) | Should -Contain 'mgrs_wait: Rust declares i32(u64,i32), tools/New-InteropAssembly.ps1 binds i32(u64,u32)'
    }

    It 'reports an ABI version the two sides disagree on, and an export docs/abi.md does not describe' {
        Edit-Copy 'module/Native/NativeLoader.ps1' 'MgRsAbiVersion = \[uint32\]\d+' 'MgRsAbiVersion = [uint32]99'
        Edit-Copy 'docs/abi.md' '\bmgrs_release\b' 'the release export'
        $problems = @(& $check -Root $copy)
        $problems | Where-Object { $_ -like 'ABI version:*' } | Should -Not -BeNullOrEmpty
        $problems | Should -Contain 'mgrs_release (exports.rs) is not described in docs/abi.md'
    }
}
