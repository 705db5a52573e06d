# Loads the Rust library and the module's .NET types: MicrosoftGraphRs.Native (the library's exports as P/Invoke
# methods), the argument attributes and the enums of the parameter blocks, which build.ps1 Build writes into
# runtimes/Microsoft.Graph.Rs.Interop.dll (tools/New-InteropAssembly.ps1), and the compiled command runtime in
# runtimes/Microsoft.Graph.Rs.Runtime.dll (tools/New-RuntimeAssembly.ps1). Both are loaded once per process and shared
# by every runspace (ForEach-Object -Parallel, Start-ThreadJob) and every import.

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

# One of the module's assemblies in runtimes/, built by build.ps1 Build.
function Import-MgRsAssembly {
    param([string] $ModuleRoot, [string] $Name)
    $path = [System.IO.Path]::Combine($ModuleRoot, 'runtimes', "$Name.dll")
    if (-not [System.IO.File]::Exists($path)) {
        throw "Microsoft.Graph.Rs cannot find its assembly at '$path'. Build it with './build.ps1 Build', or reinstall the module."
    }
    [System.Reflection.Assembly]::LoadFrom($path)
}

# Import-time check: load the library (a broken or foreign file fails here with the OS loader's
# message) and read its ABI version from the exported data symbol. No call stubs are built yet.
# Checks the library's ABI version, loads the interop assembly and points its P/Invoke methods at this library;
# returns the type whose static methods call the library ($script:MgRsNative).
function Import-MgRsNative {
    param([Parameter(Mandatory)][string] $ModuleRoot, [Parameter(Mandatory)][string] $LibraryPath)
    if (-not [System.IO.File]::Exists($LibraryPath)) {
        throw "Microsoft.Graph.Rs cannot find its native library at '$LibraryPath'. Build it with './build.ps1 Build', or reinstall the module for this platform ($(Get-MgRsRuntimeIdentifier))."
    }
    $handle = [System.Runtime.InteropServices.NativeLibrary]::Load($LibraryPath)
    $abi = [System.Runtime.InteropServices.Marshal]::ReadInt32([System.Runtime.InteropServices.NativeLibrary]::GetExport($handle, 'MGRS_ABI_VERSION'))
    if ($abi -ne $script:MgRsAbiVersion) {
        throw "Microsoft.Graph.Rs found a native library with ABI version $abi at '$LibraryPath', but this module needs version $($script:MgRsAbiVersion). Rebuild or reinstall the module so both parts match."
    }
    $slot = 'Microsoft.Graph.Rs.Interop'
    $native = [System.AppDomain]::CurrentDomain.GetData($slot)
    if (-not $native) {
        $native = (Import-MgRsAssembly $ModuleRoot 'Microsoft.Graph.Rs.Interop').GetType('MicrosoftGraphRs.Native', $true)
        [System.AppDomain]::CurrentDomain.SetData($slot, $native)
    }
    # The compiled command runtime (tools/New-RuntimeAssembly.ps1), which calls the library through $native; a slot of
    # its own, so a session that loaded an interop assembly without it still gets it.
    $slot = 'Microsoft.Graph.Rs.Runtime'
    if (-not [System.AppDomain]::CurrentDomain.GetData($slot)) {
        $null = Import-MgRsAssembly $ModuleRoot 'Microsoft.Graph.Rs.Runtime'
        [System.AppDomain]::CurrentDomain.SetData($slot, $true)
    }
    # .NET resolves the library name of an assembly's P/Invoke methods once per process: the first copy of the module
    # imported in a process decides which library they call.
    if ($native::Bind($handle) -ne $handle) {
        throw "Another copy of Microsoft.Graph.Rs, with a native library of its own, is already loaded in this process: a process can use one. Start a new PowerShell session to use the copy whose library is at '$LibraryPath'."
    }
    $native
}
