# Reads the official command surfaces from the spec's cmdlets.json and compares a command of this module with one.
# A difference is a string naming the parameter and what differs; none means the surfaces agree.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'SeedPage.psm1')   # Get-SpecFolder

# Model, delegate and enum types of the official SDK cannot exist without its assemblies (and an enum of the official
# name would collide with the official module loaded beside this one); these are the documented stand-ins (README
# "Differences from the official module"). A type not listed here must match by name.
$script:StandIns = @{
    'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrPin'               = 'System.Object'
    'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCode'              = 'System.Object'
    'Microsoft.Graph.Beta.PowerShell.Models.IMicrosoftGraphQrCodeImageDetails'  = 'System.Object'
    'Microsoft.Graph.Beta.PowerShell.Models.IIdentitySignInsIdentity'           = 'System.Object'
    'Microsoft.Graph.Beta.PowerShell.Models.IUsersIdentity'                     = 'System.Object'
    'Microsoft.Graph.PowerShell.Models.IUsersIdentity'                          = 'System.Object'
    'Microsoft.Graph.Beta.PowerShell.Runtime.SendAsyncStep[]'                   = 'System.Management.Automation.ScriptBlock[]'
    'Microsoft.Graph.PowerShell.Runtime.SendAsyncStep[]'                        = 'System.Management.Automation.ScriptBlock[]'
    # Built into the interop assembly (tools/New-InteropAssembly.ps1): the same members, Process and CurrentUser, in the same order.
    'Microsoft.Graph.PowerShell.Authentication.ContextScope'                    = 'MicrosoftGraphRs.ContextScope'
    # Invoke-MgGraphRequest's enums, emitted the same way: the official members and values.
    'Microsoft.Graph.PowerShell.Authentication.Models.GraphRequestMethod'       = 'MicrosoftGraphRs.GraphRequestMethod'
    'Microsoft.Graph.PowerShell.Authentication.Models.OutputType'               = 'MicrosoftGraphRs.OutputType'
    # Request sessions are not implemented: the parameter exists so that passing it stops with NotImplemented.
    'Microsoft.Graph.PowerShell.Authentication.Helpers.GraphRequestSession'     = 'System.Object'
}

# Parameters this module adds to an official command, each documented in the README ("Differences from the official
# module"); anything else the command has beyond its page is drift.
$script:Extensions = @{
    'Connect-MgGraph'      = @('CertificatePath', 'CertificatePassword')
    'Set-MgRequestContext' = @('MaxConcurrency')
    'Invoke-MgGraphRequest' = @('All')
}

# Differences not closed yet, each with its reason (none at present: the Authentication commands conform). They are left
# out of the comparison; CommandSurface.Tests.ps1 fails once one of them no longer occurs, so the list cannot go stale.
$script:Pending = @{
}

$script:Cache = $null
function Get-CommandSpec {
    param([Parameter(Mandatory)][string] $Name)
    if (-not $script:Cache) {
        $script:Cache = @{}
        $json = Get-Content -Raw -LiteralPath (Join-Path (Get-SpecFolder) 'cmdlets.json') | ConvertFrom-Json -AsHashtable
        foreach ($cmdlet in $json.cmdlets) { $script:Cache[$cmdlet.name] = $cmdlet }
    }
    $spec = $script:Cache[$Name]
    if (-not $spec) { throw "cmdlets.json describes no command named '$Name'." }
    # A deep copy, so a test may change it without touching the cache.
    $spec | ConvertTo-Json -Depth 20 | ConvertFrom-Json -AsHashtable
}

function Get-CommandSpecName {
    $null = Get-CommandSpec 'Connect-MgGraph'   # fills the cache
    @($script:Cache.Keys | Sort-Object)
}

function Get-PendingDifference { @($script:Pending.Keys) }

function Get-ExtensionParameter([string] $Name) { @($script:Extensions[$Name]) | Where-Object { $_ } }

function Format-SpecPosition($Position) { if ($Position -is [string]) { 'Named' } else { [string]$Position } }

function Compare-CommandToSpec {
    param(
        [Parameter(Mandatory)][System.Management.Automation.CommandInfo] $Command,
        [Parameter(Mandatory)][hashtable] $Spec,
        # Report the pending differences too.
        [switch] $IncludePending
    )
    Compare-CommandToSpecCore $Command $Spec | Where-Object { $IncludePending -or -not $script:Pending.ContainsKey($_) }
}

function Compare-CommandToSpecCore($Command, $Spec) {
    $name = $Command.Name
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + 'UseTransaction'
    $actualSets = @($Command.ParameterSets.Name | Sort-Object)
    $expectedSets = @($Spec.parameterSets | Sort-Object)
    if (($actualSets -join ',') -cne ($expectedSets -join ',')) { "${name}: sets are '$($actualSets -join ',')', the page has '$($expectedSets -join ',')'" }
    $default = if ($Command.DefaultParameterSet) { $Command.DefaultParameterSet } else { '__AllParameterSets' }
    if ($default -cne $Spec.defaultParameterSet) { "${name}: default set is '$default', the page has '$($Spec.defaultParameterSet)'" }

    # Every output type the page names is declared (the object's own type names are the behaviour tests' concern).
    $declared = @($Command.OutputType | ForEach-Object { $_.Name })
    foreach ($output in @($Spec.outputs)) {
        if ($output -ne 'System.Object' -and $output -notin $declared) { "${name}: declares outputs '$($declared -join ',')', the page has '$output'" }
    }

    $extensions = Get-ExtensionParameter $name
    $documented = @($Spec.parameters | ForEach-Object { $_.name })
    foreach ($parameter in $Command.Parameters.Values | Where-Object { $_.Name -notin $common }) {
        if ($parameter.Name -cnotin $documented -and $parameter.Name -notin $extensions) { "${name}: -$($parameter.Name) is not on the page" }
    }
    foreach ($expected in @($Spec.parameters)) {
        $parameter = $Command.Parameters[$expected.name]
        if (-not $parameter -or $parameter.Name -cne $expected.name) { "${name}: -$($expected.name) is missing"; continue }
        $type = $script:StandIns[$expected.type] ?? $expected.type
        if ($parameter.ParameterType.FullName -ne $type) { "${name}: -$($expected.name) is $($parameter.ParameterType.FullName), the page has $($expected.type)" }
        $aliases = @($parameter.Aliases | Sort-Object) -join ','
        $expectedAliases = @($expected.aliases | Sort-Object) -join ','
        if ($aliases -ne $expectedAliases) { "${name}: -$($expected.name) aliases are '$aliases', the page has '$expectedAliases'" }
        $actualIn = @($parameter.ParameterSets.Keys | ForEach-Object { if ($_ -eq '__AllParameterSets') { $actualSets } else { $_ } } | Sort-Object -Unique)
        $expectedIn = @($expected.sets.name | ForEach-Object { if ($_ -eq '__AllParameterSets') { $expectedSets } else { $_ } } | Sort-Object -Unique)
        if (($actualIn -join ',') -cne ($expectedIn -join ',')) { "${name}: -$($expected.name) is in '$($actualIn -join ',')', the page has '$($expectedIn -join ',')'" }
        foreach ($set in $expected.sets) {
            $metadata = $parameter.ParameterSets[$set.name] ?? $parameter.ParameterSets['__AllParameterSets']
            if (-not $metadata) { continue }   # reported above
            $position = if ($metadata.Position -eq [int]::MinValue) { 'Named' } else { [string]$metadata.Position }
            $flags = [ordered]@{
                'position'                  = @($position, (Format-SpecPosition $set.position))
                'mandatory'                 = @($metadata.IsMandatory, $set.mandatory)
                'pipeline by value'         = @($metadata.ValueFromPipeline, $set.valueFromPipeline)
                'pipeline by property name' = @($metadata.ValueFromPipelineByPropertyName, $set.valueFromPipelineByPropertyName)
            }
            foreach ($flag in $flags.GetEnumerator()) {
                if ("$($flag.Value[0])" -ne "$($flag.Value[1])") { "${name}: -$($expected.name) in $($set.name): $($flag.Key) is '$($flag.Value[0])', the page has '$($flag.Value[1])'" }
            }
        }
    }
}

Export-ModuleMember -Function Get-CommandSpec, Get-CommandSpecName, Get-ExtensionParameter, Get-PendingDifference, Compare-CommandToSpec
