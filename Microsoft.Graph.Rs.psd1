@{
    RootModule           = 'module/Microsoft.Graph.Rs.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d3c1e-5b8a-4f5e-9a57-2b7f0c9d4e31'
    Author               = 'Microsoft.Graph.Rs contributors'
    CompanyName          = 'Microsoft.Graph.Rs'
    Copyright            = '(c) Microsoft.Graph.Rs contributors. MIT License.'
    Description          = 'The QR code PIN commands of Microsoft Graph (Get-, Update- and Remove-MgBetaUserAuthenticationQrCodePinMethod and its Pin, StandardQrCode and TemporaryQrCode) and Connect-MgGraph as a drop-in for the Microsoft Graph PowerShell SDK, backed by a native Rust library: fast import, no managed dependencies.'
    PowerShellVersion    = '7.5'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @(
        'Get-MgBetaUser'
        'Get-MgBetaUserAuthenticationQrCodePinMethod'
        'Get-MgBetaUserAuthenticationQrCodePinMethodPin'
        'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'
        'Get-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'
        'Remove-MgBetaUserAuthenticationQrCodePinMethod'
        'Remove-MgBetaUserAuthenticationQrCodePinMethodPin'
        'Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'
        'Remove-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'
        'Update-MgBetaUserAuthenticationQrCodePinMethodPin'
        'Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode'
        'Update-MgBetaUserAuthenticationQrCodePinMethodTemporaryQrCode'
        'Get-MgUser'
        'Connect-MgGraph'
        'Disconnect-MgGraph'
        'Get-MgContext'
        'Get-MgEnvironment'
        'Add-MgEnvironment'
        'Remove-MgEnvironment'
        'Set-MgRequestContext'
        'Get-MgRequestContext'
        'Get-MgRsInDoubtRequest'
        'Invoke-MgGraphRequest'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Disconnect-Graph', 'Invoke-GraphRequest')
    PrivateData          = @{
        PSData = @{
            Tags         = @('MicrosoftGraph', 'Graph', 'Authentication', 'QRCode', 'PIN', 'Rust', 'PSEdition_Core', 'Linux')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See CHANGELOG.md. 0.1.0: Update-MgBetaUserAuthenticationQrCodePinMethodPin and the Connect-MgGraph commands on a native Rust core.'
        }
    }
}
