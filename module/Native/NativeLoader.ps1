# Binds the Rust library's C exports without compiling C#: a P/Invoke type is emitted with
# System.Reflection.Emit once per process and library path, then reused by every runspace
# (ForEach-Object -Parallel, Start-ThreadJob) through an AppDomain slot.

$script:MgRsAbiVersion = [uint32]3

# No cmdlets on the import path: the first use of one autoloads its module, which costs more
# than everything else here together.
function Get-MgRsRuntimeIdentifier {
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    "$os-$arch"
}

function Get-MgRsNativeLibraryPath {
    param([Parameter(Mandatory)][string] $ModuleRoot)
    $file = if ($IsWindows) { 'microsoft_graph_rs.dll' } elseif ($IsMacOS) { 'libmicrosoft_graph_rs.dylib' } else { 'libmicrosoft_graph_rs.so' }
    [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($ModuleRoot, 'runtimes', (Get-MgRsRuntimeIdentifier), 'native', $file))
}

# Import-time check: load the library (a broken or foreign file fails here with the OS loader's
# message) and read its ABI version from the exported data symbol. No call stubs are built yet.
function Test-MgRsNativeLibrary {
    param([Parameter(Mandatory)][string] $LibraryPath)
    if (-not [System.IO.File]::Exists($LibraryPath)) {
        throw "Microsoft.Graph.Rs cannot find its native library at '$LibraryPath'. Build it with './build.ps1 Build', or reinstall the module for this platform ($(Get-MgRsRuntimeIdentifier))."
    }
    $handle = [System.Runtime.InteropServices.NativeLibrary]::Load($LibraryPath)
    $abi = [System.Runtime.InteropServices.Marshal]::ReadInt32([System.Runtime.InteropServices.NativeLibrary]::GetExport($handle, 'MGRS_ABI_VERSION'))
    if ($abi -ne $script:MgRsAbiVersion) {
        throw "Microsoft.Graph.Rs found a native library with ABI version $abi at '$LibraryPath', but this module needs version $($script:MgRsAbiVersion). Rebuild or reinstall the module so both parts match."
    }
}

# Builds the P/Invoke stubs on first use (about 50 ms, so not at import), once per process and
# library path; runspaces share them through an AppDomain slot.
function New-MgRsNativeType {
    param([Parameter(Mandatory)][string] $LibraryPath)

    $slot = "Microsoft.Graph.Rs.Native.Abi$($script:MgRsAbiVersion)|$LibraryPath"
    $cached = [System.AppDomain]::CurrentDomain.GetData($slot)
    if ($cached) { return $cached }

    $name = 'MicrosoftGraphRsNative' + [System.Guid]::NewGuid().ToString('N')
    $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly(
        [System.Reflection.AssemblyName]::new($name), [System.Reflection.Emit.AssemblyBuilderAccess]::Run)
    $module = $assembly.DefineDynamicModule($name)
    $type = $module.DefineType('MicrosoftGraphRs.Native', 'Public, Abstract, Sealed, Class')

    $u8s = [byte[]]; $i32 = [int]; $u32 = [uint32]; $u64 = [uint64]; $ptr = [System.IntPtr]
    $exports = [ordered]@{
        mgrs_abi_version = @($u32, @())
        mgrs_invoke      = @($ptr, @($u8s, $i32))
        mgrs_submit      = @($u64, @($u8s, $i32))
        mgrs_poll        = @($ptr, @($u64))
        mgrs_wait        = @($i32, @($u64, $u32))
        mgrs_take        = @($ptr, @($u64, $u32))
        mgrs_cancel      = @($i32, @($u64))
        mgrs_release     = @($i32, @($u64))
        mgrs_withdraw    = @($i32, @($u64))
        mgrs_abandon     = @($ptr, @($u64))
        mgrs_log_drain   = @($ptr, @($u64))
        mgrs_string_free = @([void], @($ptr))
    }
    foreach ($export in $exports.GetEnumerator()) {
        $method = $type.DefinePInvokeMethod(
            $export.Key, $LibraryPath,
            [System.Reflection.MethodAttributes]'Public, Static, PinvokeImpl, HideBySig',
            [System.Reflection.CallingConventions]::Standard,
            $export.Value[0], [type[]]$export.Value[1],
            [System.Runtime.InteropServices.CallingConvention]::Cdecl,
            [System.Runtime.InteropServices.CharSet]::Ansi)
        $method.SetImplementationFlags([System.Reflection.MethodImplAttributes]::PreserveSig)
    }
    $native = $type.CreateType()
    [System.AppDomain]::CurrentDomain.SetData($slot, $native)
    $native
}
