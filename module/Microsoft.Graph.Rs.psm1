# Microsoft.Graph.Rs: PowerShell front end of a Rust core. This file only wires the pieces;
# the logic lives in the native library (docs/abi.md).
Set-StrictMode -Version 3.0

foreach ($part in 'ArgumentAttributes', 'NativeLoader', 'NativeCalls', 'ErrorRecords', 'ModelConversion', 'Environments', 'SignIn', 'Connection',
    'RequestContext', 'InDoubt', 'Pipeline', 'RuntimeParameters', 'Update-MgBetaUserAuthenticationQrCodePinMethodPin', 'Coexistence') {
    . ([System.IO.Path]::Combine($PSScriptRoot, "$part.ps1"))
}

# The manifest sits one folder up, beside runtimes/.
$script:MgRsModuleRoot = [System.IO.Path]::GetDirectoryName($PSScriptRoot)
$script:MgRsLibraryPath = Get-MgRsNativeLibraryPath -ModuleRoot $script:MgRsModuleRoot
Test-MgRsNativeLibrary -LibraryPath $script:MgRsLibraryPath
$script:MgRsNative = $null   # call stubs are built on first use (NativeCalls.ps1)
Test-MgRsOfficialModuleAtImport   # beside the official module (Coexistence.ps1)

Export-ModuleMember -Function @(
    'Update-MgBetaUserAuthenticationQrCodePinMethodPin'
    'Connect-MgGraph', 'Disconnect-MgGraph', 'Get-MgContext'
    'Get-MgEnvironment', 'Add-MgEnvironment', 'Remove-MgEnvironment'
    'Set-MgRequestContext', 'Get-MgRequestContext', 'Get-MgRsInDoubtRequest'
) -Alias 'Disconnect-Graph'
