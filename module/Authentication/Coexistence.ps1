# Living beside the official Microsoft Graph modules (README "Running beside the official modules").
#
# This module and the official Microsoft.Graph.Authentication export the same names (Connect-MgGraph, Get-MgContext,
# Disconnect-MgGraph, the environment and request context commands), and each keeps its own connection. Which one an
# unqualified name runs depends on command type and import order: the official Authentication commands are cmdlets and
# a function (these are functions) comes before a cmdlet of the same name, whatever the order; between functions (the
# official Graph command modules, or a script stand-in) the last import wins. Nothing of this may pass in silence:
#
# - At import, when Microsoft.Graph.Authentication is already loaded (its Invoke-MgGraphRequest is found), one warning
#   says that this module's commands now answer to the shared names and how to reach each module's commands.
# - A call of one of this module's commands, when the session's modules changed since the last look (a count, below),
#   asks in the caller's own session state what Connect-MgGraph resolves to and whether a Connect-MgGraph cmdlet is
#   loaded (two command-table lookups that never search the PATH or load a module). While that answer is the one last
#   seen, nothing more is done. When it changes (the
#   official module was imported since, or its functions took this module's names), the situation is worked out once
#   (Get-Module, every exported name resolved as the caller sees it) and a warning is written once for it.
#
# The probe runs in the caller's session state without a scope of its own, so it is one expression: it sets no
# variable and reads nothing that strict mode could refuse.

$script:MgRsOfficialModuleName = 'Microsoft.Graph.Authentication'
# Command types as numbers (Alias 1, Function 2, Cmdlet 8): a name list such as 'Alias, Function, Cmdlet' costs a few
# milliseconds of first-use parsing, which would land on the import or the first call.
$script:MgRsCoexistenceProbe = [scriptblock]::Create(
    '$ExecutionContext.InvokeCommand.GetCommands(''Connect-MgGraph'', 11, $false); $ExecutionContext.InvokeCommand.GetCommands(''Connect-MgGraph'', 8, $false)')
$script:MgRsCoexistenceResolve = [scriptblock]::Create('$ExecutionContext.InvokeCommand.GetCommands($args[0], 11, $false)')
# What the probe answers when this module stands alone, and the situation last warned about.
$script:MgRsCoexistenceSeen = 'Microsoft.Graph.Rs'
$script:MgRsCoexistenceWarned = ''

# The session's table of loaded modules, read only for its count, which changes when a module is imported or removed.
# PowerShell has no public way to tell that the modules changed, and the probe costs about 12 microseconds (run in
# the caller's session state), a twentieth of a warm call; reading the count costs about 1. The table is internal:
# the interop assembly reaches it (MicrosoftGraphRs.Native::ModuleTable) once, at import, after the native load
# (Initialize-MgRsModuleWatch); where that fails (another PowerShell), every call makes the probe.
# A module removed and another imported between two calls leaves the count as it was: that change is seen at the next
# import or removal, and a function defined outside any module is not looked for (the official commands come in modules).
$script:MgRsModuleTable = $null
function Initialize-MgRsModuleWatch { $script:MgRsModuleTable = $script:MgRsNative::ModuleTable($ExecutionContext) }
$script:MgRsModulesSeen = -1   # the table's count at the last probe

# Called first by each command of this module with its $PSCmdlet: the probe is made when the session's modules changed
# since the last one (CommandRuntime.Start makes the same test, before calling here).
function Test-MgRsCoexistence {
    param($Cmdlet)
    if ($null -ne $script:MgRsModuleTable) {
        if ($script:MgRsModuleTable.Count -eq $script:MgRsModulesSeen) { return }
        $script:MgRsModulesSeen = $script:MgRsModuleTable.Count
    }
    $answer = $ExecutionContext.InvokeCommand.InvokeScript($Cmdlet.SessionState, $script:MgRsCoexistenceProbe, $null)
    $seen = @(foreach ($command in $answer) { $command.ModuleName }) -join ' '
    if ($seen -cne $script:MgRsCoexistenceSeen) { Write-MgRsCoexistenceWarning $Cmdlet $seen }
}

# Works out the situation the caller is in and warns once for it.
function Write-MgRsCoexistenceWarning {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Seen)
    $script:MgRsCoexistenceSeen = $Seen
    $official = @(Get-Module -Name $script:MgRsOfficialModuleName)
    # This module's names that the caller's unqualified calls no longer reach, by the module that has them now.
    $taken = [ordered]@{}
    $thisModule = $ExecutionContext.SessionState.Module
    foreach ($name in @($thisModule.ExportedCommands.Keys | Sort-Object)) {
        $found = @($ExecutionContext.InvokeCommand.InvokeScript($Cmdlet.SessionState, $script:MgRsCoexistenceResolve, @($name)))
        $command = if ($found.Count) { [System.Management.Automation.CommandInfo] $found[0] } else { $null }
        if ($command -is [System.Management.Automation.AliasInfo]) { $command = $command.ResolvedCommand }
        if ($null -eq $command -or $command.Module -eq $thisModule) { continue }
        $owner = if ($command.ModuleName) { $command.ModuleName } else { "a $($command.CommandType.ToString().ToLowerInvariant()) defined in this session" }
        if (-not $taken.Contains($owner)) { $taken[$owner] = [System.Collections.Generic.List[string]]::new() }
        $taken[$owner].Add($name)
    }
    $situation = if ($taken.Count) { 'taken ' + (@($taken.Keys | ForEach-Object { "$_=$($taken[$_] -join ',')" }) -join ';') }
                 elseif ($official.Count) { 'beside' } else { '' }
    if ($situation -ceq $script:MgRsCoexistenceWarned) { return }
    $script:MgRsCoexistenceWarned = $situation
    if (-not $situation) { return }
    if ($taken.Count) {
        $parts = foreach ($owner in $taken.Keys) {
            $label = if ($owner -eq $script:MgRsOfficialModuleName -and $official.Count) { "$owner $($official[0].Version)" } else { $owner }
            $names = $taken[$owner]
            $list = if ($names.Count -eq 1) { $names[0] } else { ($names[0..($names.Count - 2)] -join ', ') + ' and ' + $names[-1] }
            "$list now $(if ($names.Count -eq 1) { 'runs' } else { 'run' }) $label"
        }
        Write-Warning ("Microsoft.Graph.Rs: in this session $($parts -join '; '), not Microsoft.Graph.Rs. Those commands neither " +
            'use nor change the connection of Microsoft.Graph.Rs, which its commands use. Call them by their module-qualified ' +
            'names (Microsoft.Graph.Rs\Connect-MgGraph), import Microsoft.Graph.Rs again to take the names back ' +
            "(Import-Module Microsoft.Graph.Rs -Force), or use a separate session for each module. See the README, 'Running " +
            "beside the official modules'.")
    } else {
        Write-Warning (Get-MgRsBesideOfficialMessage $official[0] 'is loaded in this session beside Microsoft.Graph.Rs')
    }
}

function Get-MgRsBesideOfficialMessage {
    param([psmoduleinfo] $Official, [string] $Where)
    "Microsoft.Graph.Rs: the official $($Official.Name) module ($($Official.Version)) $Where. Connect-MgGraph, " +
    'Get-MgContext, Disconnect-MgGraph and the other names the two modules share run Microsoft.Graph.Rs, whose connection ' +
    'is its own: official commands such as Invoke-MgGraphRequest or Get-MgUser use only the connection made by ' +
    "$($Official.Name)\Connect-MgGraph. Call each module's commands by their module-qualified names " +
    "(Microsoft.Graph.Rs\Connect-MgGraph, $($Official.Name)\Connect-MgGraph), or use a separate session for each module. " +
    "See the README, 'Running beside the official modules'."
}

# At import: one command-table lookup (functions and cmdlets) of Invoke-MgGraphRequest, a name the official module
# exports. This module has a function of that name too, which would hide the official one from a lookup made inside
# the module, so the lookup is made here, while this file is read: the psm1 reads it before
# Authentication/InvokeRequest.ps1. About 3 ms on a loaded 2-core machine; a first Get-Module call here measured
# several times that.
$script:MgRsOfficialAtImport = @($ExecutionContext.InvokeCommand.GetCommands('Invoke-MgGraphRequest', 10, $false))
function Test-MgRsOfficialModuleAtImport {
    foreach ($command in $script:MgRsOfficialAtImport) {
        if ($command.ModuleName -ne $script:MgRsOfficialModuleName) { return }
        $script:MgRsCoexistenceWarned = 'beside'
        Write-Warning (Get-MgRsBesideOfficialMessage $command.Module 'is already loaded in this session')
        return
    }
}
