# Microsoft.Graph.Rs: PowerShell front end of a Rust core. This file only wires the pieces;
# the logic lives in the native library (docs/abi.md).
Set-StrictMode -Version 3.0

# Native: the door into the library. Runtime: what every command of the table shares, with the table's generated data.
# Authentication: the connection commands. Commands: one generated function per command of the table.
# Authentication/Coexistence looks for the official Invoke-MgGraphRequest before Authentication/InvokeRequest defines
# this module's own. Each file is read and run here rather than dot-sourced by its path: a function defined from a
# file looks for its .ExternalHelp file beside that file, and the help is built once, into en-US beside this one.
$script:MgRsModuleFolder = $PSScriptRoot
# No cmdlet here that is not loaded already: autoloading its module would cost more than the rest of the import.
$script:MgRsCommandNames = [string[]]@(foreach ($file in [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($PSScriptRoot, 'Commands'), '*.ps1')) {
        [System.IO.Path]::GetFileNameWithoutExtension($file)
    })
[System.Array]::Sort($script:MgRsCommandNames, [System.StringComparer]::Ordinal)
foreach ($part in @('Native/NativeLoader', 'Native/NativeCalls', 'Runtime/Models.g', 'Runtime/Commands.g',
        'Runtime/ErrorRecords', 'Runtime/ModelConversion', 'Runtime/Pipeline', 'Runtime/RuntimeParameters', 'Runtime/Command',
        'Authentication/Environments', 'Authentication/SignIn', 'Authentication/Connection', 'Authentication/RequestContext',
        'Authentication/InDoubt', 'Authentication/Coexistence', 'Authentication/InvokeRequest') + @($script:MgRsCommandNames | ForEach-Object { "Commands/$_" })) {
    . ([scriptblock]::Create([System.IO.File]::ReadAllText([System.IO.Path]::Combine($PSScriptRoot, "$part.ps1"))))
}

# The manifest sits one folder up, beside runtimes/.
$script:MgRsModuleRoot = [System.IO.Path]::GetDirectoryName($PSScriptRoot)
$script:MgRsLibraryPath = Get-MgRsNativeLibraryPath -ModuleRoot $script:MgRsModuleRoot
$script:MgRsNative = Import-MgRsNative -ModuleRoot $script:MgRsModuleRoot -LibraryPath $script:MgRsLibraryPath
$script:MgRsRuntime = New-MgRsCommandRuntime   # the generated commands' compiled entry points (Runtime/Command.ps1)
Initialize-MgRsModuleWatch        # beside the official module (Authentication/Coexistence.ps1)
Test-MgRsOfficialModuleAtImport

Export-ModuleMember -Function @(
    $script:MgRsCommandNames
    'Connect-MgGraph', 'Disconnect-MgGraph', 'Get-MgContext'
    'Get-MgEnvironment', 'Add-MgEnvironment', 'Remove-MgEnvironment'
    'Set-MgRequestContext', 'Get-MgRequestContext', 'Get-MgRsInDoubtRequest', 'Invoke-MgGraphRequest'
) -Alias 'Disconnect-Graph', 'Invoke-GraphRequest'
