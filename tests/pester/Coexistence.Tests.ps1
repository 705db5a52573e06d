# Beside the official Microsoft.Graph.Authentication (module/Authentication/Coexistence.ps1, README "Running beside the official
# modules"). The official module cannot be installed here, so two stand-ins of that name play it, each in a fresh
# pwsh: a script module exporting Connect-MgGraph, Get-MgContext and Invoke-MgGraphRequest as functions (as the
# official Graph command modules export theirs: the last import takes the names), and a binary module exporting them
# as cmdlets, as the official Authentication module does (a function comes before a cmdlet of the same name).

BeforeAll {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:manifest = Join-Path $root 'Microsoft.Graph.Rs.psd1'
    $script:pwsh = Join-Path $PSHOME 'pwsh'

    $script:functions = Join-Path $TestDrive 'functions/Microsoft.Graph.Authentication'
    $null = New-Item -ItemType Directory -Force $functions
    Set-Content -LiteralPath (Join-Path $functions 'Microsoft.Graph.Authentication.psm1') -Value @'
function Connect-MgGraph { [CmdletBinding()] param([string[]] $Scopes, [string] $ContextScope, [switch] $NoWelcome) 'OFFICIAL Connect-MgGraph' }
function Get-MgContext { [CmdletBinding()] param() 'OFFICIAL Get-MgContext' }
function Invoke-MgGraphRequest { [CmdletBinding()] param([string] $Uri) 'OFFICIAL Invoke-MgGraphRequest' }
'@
    Set-Content -LiteralPath (Join-Path $functions 'Microsoft.Graph.Authentication.psd1') -Value @'
@{ RootModule = 'Microsoft.Graph.Authentication.psm1'; ModuleVersion = '2.25.0'; GUID = '883916f2-9184-46ee-b1f8-b6a2fb784cee'
   FunctionsToExport = @('Connect-MgGraph', 'Get-MgContext', 'Invoke-MgGraphRequest'); CmdletsToExport = @(); AliasesToExport = @() }
'@

    # The binary stand-in is compiled in a child process, so this one loads nothing of it.
    $script:cmdlets = Join-Path $TestDrive 'cmdlets/Microsoft.Graph.Authentication'
    $null = New-Item -ItemType Directory -Force $cmdlets
    $source = @'
using System.Management.Automation;
namespace StandIn {
    [Cmdlet(VerbsCommunications.Connect, "MgGraph")] public class ConnectMgGraph : PSCmdlet { protected override void EndProcessing() { WriteObject("OFFICIAL Connect-MgGraph"); } }
    [Cmdlet(VerbsCommon.Get, "MgContext")] public class GetMgContext : PSCmdlet { protected override void EndProcessing() { WriteObject("OFFICIAL Get-MgContext"); } }
    [Cmdlet(VerbsLifecycle.Invoke, "MgGraphRequest")] public class InvokeMgGraphRequest : PSCmdlet { protected override void EndProcessing() { WriteObject("OFFICIAL Invoke-MgGraphRequest"); } }
}
'@
    $dll = Join-Path $cmdlets 'Microsoft.Graph.Authentication.dll'
    & $pwsh -NoProfile -NonInteractive -Command "Add-Type -TypeDefinition @'`n$source`n'@ -OutputAssembly '$dll' -OutputType Library"
    if (-not (Test-Path $dll)) { throw 'The binary stand-in did not compile.' }
    Set-Content -LiteralPath (Join-Path $cmdlets 'Microsoft.Graph.Authentication.psd1') -Value @'
@{ RootModule = 'Microsoft.Graph.Authentication.dll'; ModuleVersion = '2.25.0'; GUID = '883916f2-9184-46ee-b1f8-b6a2fb784cee'
   CmdletsToExport = @('Connect-MgGraph', 'Get-MgContext', 'Invoke-MgGraphRequest'); FunctionsToExport = @(); AliasesToExport = @() }
'@

    # Runs a script in a fresh pwsh; every line it writes comes back, warnings as "WARNING: <text>" in their place.
    # In the script: $Rs (this module's manifest), $Official (the stand-in's folder), New-Token (an unsigned JWT).
    function Invoke-Fresh {
        param([Parameter(Mandatory)][string] $Official, [Parameter(Mandatory)][string] $Script)
        $prelude = @"
`$ErrorActionPreference = 'Stop'
`$Rs = '$manifest'; `$Official = '$Official'
function New-Token {
    `$part = { param([string] `$s) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(`$s)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    `$claims = '{"tid":"contoso","appid":"app","scp":"User.Read","exp":' + [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds() + '}'
    (& `$part '{"alg":"none","typ":"JWT"}') + '.' + (& `$part `$claims) + '.sig'
}
"@
        $wrapped = $prelude + "& {`n$Script`n} 3>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.WarningRecord]) { 'WARNING: ' + `$_.Message } else { [string]`$_ } }"
        $output = & $pwsh -NoProfile -NonInteractive -Command $wrapped 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The fresh pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
        @($output | ForEach-Object { [string]$_ })
    }
    function Get-Warnings([string[]] $Lines) { @($Lines | Where-Object { $_ -like 'WARNING: *' }) }
}

Describe 'Alone' {
    It 'says nothing at import or at a call' {
        $lines = Invoke-Fresh -Official $functions -Script @'
Import-Module $Rs
Connect-MgGraph -AccessToken (New-Token) -NoWelcome
'CONTEXT ' + (Get-MgContext).AuthType
Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '12345678' -WhatIf
$null = Disconnect-MgGraph
'@
        Get-Warnings $lines | Should -BeNullOrEmpty
        $lines | Should -Contain 'CONTEXT UserProvidedAccessToken'
    }

    # The probe runs only when the count of loaded modules changed: on this PowerShell the count must be reachable,
    # or every call would pay for the probe without any test failing.
    It 'reaches the session''s module table, and sees a module imported since' {
        $lines = Invoke-Fresh -Official $functions -Script @'
Import-Module $Rs
$rs = Get-Module Microsoft.Graph.Rs
'TABLE ' + (& $rs { $null -ne $script:MgRsModuleTable })
$null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '12345678' -WhatIf
$seen = & $rs { $script:MgRsModulesSeen }
New-Module -Name ScratchModule -ScriptBlock { } | Import-Module
'GROWN ' + ((& $rs { $script:MgRsModuleTable.Count }) -gt $seen)
'@
        $lines | Should -Contain 'TABLE True'
        $lines | Should -Contain 'GROWN True'
    }
}

Describe 'The official module imported first (<Kind>)' -ForEach @(
    @{ Kind = 'functions'; Folder = 'functions' }
    @{ Kind = 'cmdlets, as the official module'; Folder = 'cmdlets' }
) {
    BeforeAll {
        $script:lines = Invoke-Fresh -Official (Get-Variable -Name $Folder -ValueOnly) -Script @'
Import-Module $Official
Import-Module $Rs
'RESOLVES ' + (Get-Command Connect-MgGraph).Source
Connect-MgGraph -AccessToken (New-Token) -NoWelcome
'CONTEXT ' + (Get-MgContext).AuthType
Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '12345678' -WhatIf
'QUALIFIED ' + (Microsoft.Graph.Authentication\Connect-MgGraph)
'QUALIFIED ' + (Microsoft.Graph.Authentication\Invoke-MgGraphRequest)
'CONTEXT ' + (Microsoft.Graph.Rs\Get-MgContext).AuthType
'@
    }

    It 'warns once, at import, saying which Connect-MgGraph runs and how to reach both' {
        $warnings = @(Get-Warnings $lines)
        $warnings.Count | Should -Be 1 -Because ($lines -join "`n")
        $lines[0] | Should -BeLike 'WARNING: *'   # before anything else the script wrote
        $warnings[0] | Should -BeLike '*official Microsoft.Graph.Authentication module (2.25.0) is already loaded*'
        $warnings[0] | Should -BeLike '*Connect-MgGraph, Get-MgContext, Disconnect-MgGraph and the other names the two modules share run Microsoft.Graph.Rs*'
        $warnings[0] | Should -BeLike '*Microsoft.Graph.Rs\Connect-MgGraph, Microsoft.Graph.Authentication\Connect-MgGraph*'
        $warnings[0] | Should -BeLike "*README, 'Running beside the official modules'*"
    }

    It "leaves the shared names with this module and both modules' commands reachable by module-qualified names" {
        $lines | Should -Contain 'RESOLVES Microsoft.Graph.Rs'
        @($lines | Where-Object { $_ -eq 'CONTEXT UserProvidedAccessToken' }).Count | Should -Be 2
        $lines | Should -Contain 'QUALIFIED OFFICIAL Connect-MgGraph'
        $lines | Should -Contain 'QUALIFIED OFFICIAL Invoke-MgGraphRequest'
    }
}

Describe 'The official module imported after this one, as functions that take the names' {
    BeforeAll {
        $script:lines = Invoke-Fresh -Official $functions -Script @'
Import-Module $Rs
Import-Module $Official
'IMPORTED'
'RESOLVES ' + (Get-Command Connect-MgGraph).Source
'UNQUALIFIED ' + (Connect-MgGraph)
'FIRST CALL'
Microsoft.Graph.Rs\Connect-MgGraph -AccessToken (New-Token) -NoWelcome
'CONTEXT ' + (Microsoft.Graph.Rs\Get-MgContext).AuthType
Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '12345678' -WhatIf
'REIMPORT'
Import-Module $Rs -Force
'RESOLVES ' + (Get-Command Connect-MgGraph).Source
'CONTEXT ' + (Get-MgContext).AuthType
'@
        $script:firstCall = [array]::IndexOf($lines, 'FIRST CALL')
        $script:reimport = [array]::IndexOf($lines, 'REIMPORT')
    }

    It 'says nothing at import, when nothing is taken yet' {
        [array]::IndexOf($lines, 'IMPORTED') | Should -Be 0 -Because ($lines -join "`n")
    }

    It 'names the commands taken at the next call of one of its commands, once' {
        $lines[$firstCall + 1] | Should -BeLike 'WARNING: *' -Because ($lines -join "`n")
        $warning = $lines[$firstCall + 1]
        $warning | Should -BeLike '*Connect-MgGraph, Get-MgContext and Invoke-MgGraphRequest now run Microsoft.Graph.Authentication 2.25.0, not Microsoft.Graph.Rs*'
        $warning | Should -BeLike '*module-qualified names (Microsoft.Graph.Rs\Connect-MgGraph)*'
        $warning | Should -BeLike '*Import-Module Microsoft.Graph.Rs -Force*'
        @(Get-Warnings $lines[($firstCall + 2)..($reimport - 1)]) | Should -BeNullOrEmpty
    }

    It 'still works through module-qualified names, while the unqualified ones run the official commands' {
        $lines | Should -Contain 'RESOLVES Microsoft.Graph.Authentication'
        $lines | Should -Contain 'UNQUALIFIED OFFICIAL Connect-MgGraph'
        $lines[$firstCall..$reimport] | Should -Contain 'CONTEXT UserProvidedAccessToken'
    }

    It 'takes the names back when imported again, and says the official module is loaded' {
        $after = $lines[($reimport + 1)..($lines.Count - 1)]
        $after[0] | Should -BeLike '*official Microsoft.Graph.Authentication module (2.25.0) is already loaded*'
        $after | Should -Contain 'RESOLVES Microsoft.Graph.Rs'
        @(Get-Warnings $after).Count | Should -Be 1
    }
}

Describe 'The official module imported after this one, as cmdlets (the official Authentication module)' {
    It 'keeps the names, and says at the next call that the official module is loaded beside it, once' {
        $lines = Invoke-Fresh -Official $cmdlets -Script @'
Import-Module $Rs
Import-Module $Official
'IMPORTED'
'RESOLVES ' + (Get-Command Connect-MgGraph).Source
Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '12345678' -WhatIf
Connect-MgGraph -AccessToken (New-Token) -NoWelcome
'CONTEXT ' + (Get-MgContext).AuthType
'QUALIFIED ' + (Microsoft.Graph.Authentication\Get-MgContext)
'@
        $lines[0] | Should -Be 'IMPORTED' -Because ($lines -join "`n")
        $lines | Should -Contain 'RESOLVES Microsoft.Graph.Rs'
        $warnings = @(Get-Warnings $lines)
        $warnings.Count | Should -Be 1
        [array]::IndexOf($lines, $warnings[0]) | Should -BeLessThan ([array]::IndexOf($lines, ($lines -like 'What if:*')[0]))
        $warnings[0] | Should -BeLike '*official Microsoft.Graph.Authentication module (2.25.0) is loaded in this session beside Microsoft.Graph.Rs*'
        $warnings[0] | Should -BeLike '*official commands such as Invoke-MgGraphRequest or Get-MgUser use only the connection made by Microsoft.Graph.Authentication\Connect-MgGraph*'
        $lines | Should -Contain 'CONTEXT UserProvidedAccessToken'
        $lines | Should -Contain 'QUALIFIED OFFICIAL Get-MgContext'
    }
}

Describe 'An official command module imported after this one takes the PIN command' {
    It 'names it at the next call of one of its commands, once' {
        $signIns = Join-Path $TestDrive 'signins/Microsoft.Graph.Beta.Identity.SignIns'
        $null = New-Item -ItemType Directory -Force $signIns
        Set-Content -LiteralPath (Join-Path $signIns 'Microsoft.Graph.Beta.Identity.SignIns.psm1') -Value @'
function Update-MgBetaUserAuthenticationQrCodePinMethodPin { [CmdletBinding()] param([string] $UserId, [string] $Code) 'OFFICIAL Update' }
'@
        $lines = Invoke-Fresh -Official $cmdlets -Script @"
Import-Module `$Rs
Import-Module `$Official
Import-Module '$signIns/Microsoft.Graph.Beta.Identity.SignIns.psm1'
'UNQUALIFIED ' + (Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '12345678')
Connect-MgGraph -AccessToken (New-Token) -NoWelcome
'CONTEXT ' + (Get-MgContext).AuthType
Microsoft.Graph.Rs\Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId adele@contoso.example -Code '12345678' -WhatIf
"@
        $warnings = @(Get-Warnings $lines)
        $warnings.Count | Should -Be 1 -Because ($lines -join "`n")
        $warnings[0] | Should -BeLike '*in this session Update-MgBetaUserAuthenticationQrCodePinMethodPin now runs Microsoft.Graph.Beta.Identity.SignIns, not Microsoft.Graph.Rs*'
        $lines | Should -Contain 'UNQUALIFIED OFFICIAL Update'
        $lines | Should -Contain 'CONTEXT UserProvidedAccessToken'
        @($lines -like 'What if:*').Count | Should -Be 1
    }
}

Describe 'Quieting the warnings' {
    It 'can be silenced: a redirection at import, -WarningAction at a call' {
        $lines = Invoke-Fresh -Official $functions -Script @'
Import-Module $Official
Import-Module $Rs 3>$null
Import-Module $Official -Force
Microsoft.Graph.Rs\Get-MgContext -WarningAction SilentlyContinue
'DONE'
'@
        $lines | Should -Be @('DONE')
    }
}
