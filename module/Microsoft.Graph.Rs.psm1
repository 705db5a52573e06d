# Microsoft.Graph.Rs: PowerShell front end of a Rust core. This file only wires the pieces;
# the logic lives in the native library (docs/abi.md).
Set-StrictMode -Version 3.0

foreach ($part in 'NativeLoader', 'NativeCalls', 'ErrorRecords', 'ModelConversion', 'Environments', 'Connection',
    'Update-MgBetaUserAuthenticationQrCodePinMethodPin') {
    . ([System.IO.Path]::Combine($PSScriptRoot, "$part.ps1"))
}

# The manifest sits one folder up, beside runtimes/.
$script:MgRsModuleRoot = Split-Path -Parent $PSScriptRoot
$script:MgRsNative = New-MgRsNativeType -LibraryPath (Get-MgRsNativeLibraryPath -ModuleRoot $script:MgRsModuleRoot)

$null = Invoke-MgRsOperation ([ordered]@{
        op        = 'init'
        psVersion = $PSVersionTable.PSVersion.ToString()
        culture   = [System.Globalization.CultureInfo]::CurrentCulture.Name
        os        = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
    })

Export-ModuleMember -Function @(
    'Update-MgBetaUserAuthenticationQrCodePinMethodPin'
    'Connect-MgGraph', 'Disconnect-MgGraph', 'Get-MgContext'
    'Get-MgEnvironment', 'Add-MgEnvironment', 'Remove-MgEnvironment'
) -Alias 'Disconnect-Graph'
