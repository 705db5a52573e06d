<#
.SYNOPSIS
Writes Microsoft.Graph.Rs.Runtime.dll: the compiled part of the command runtime (module/Runtime/Compiled/*.cs), built
once at build time (build.ps1 Build) with the C# compiler (Roslyn) that PowerShell carries for Add-Type.

.DESCRIPTION
The entry points of the generated commands (begin and process) and the models' reader run on every call; as script
blocks their invocations cost as much as the rest of a warm call's PowerShell time (issue 12). Compiled here, the
module only loads the file. Roslyn is called directly rather than through Add-Type, which names the assembly at
random: the build is deterministic and the assembly is Microsoft.Graph.Rs.Runtime at the module's version. The sources
name no machine path; the library is reached through MicrosoftGraphRs.Native (the interop assembly,
tools/New-InteropAssembly.ps1), handed over at import.

.PARAMETER OutputPath
Where to write the assembly. It is written beside it, then moved into place: a pwsh that has the old file loaded keeps
its copy.
#>
param([Parameter(Mandatory)][string] $OutputPath)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$root = Split-Path -Parent $PSScriptRoot
$sources = @(Get-ChildItem -LiteralPath (Join-Path $root 'module/Runtime/Compiled') -Filter '*.cs' -File | Sort-Object Name)
if (-not $sources) { throw 'New-RuntimeAssembly: no C# sources in module/Runtime/Compiled.' }
$version = (Import-PowerShellDataFile (Join-Path $root 'Microsoft.Graph.Rs.psd1')).ModuleVersion

Add-Type -AssemblyName Microsoft.CodeAnalysis, Microsoft.CodeAnalysis.CSharp
$parseOptions = [Microsoft.CodeAnalysis.CSharp.CSharpParseOptions]::new([Microsoft.CodeAnalysis.CSharp.LanguageVersion]::Latest)
$trees = [System.Collections.Generic.List[Microsoft.CodeAnalysis.SyntaxTree]]::new()
foreach ($source in $sources) {
    # Named by file name only: a tree's path may end up in the assembly, a machine's path must not.
    $trees.Add([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText([System.IO.File]::ReadAllText($source.FullName), $parseOptions, $source.Name))
}
$trees.Add([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText("[assembly: System.Reflection.AssemblyVersion(""$version"")]", $parseOptions, 'AssemblyInfo.cs'))

# .NET's reference set ($PSHOME/ref), PowerShell itself, and ConvertFrom-Json's reader (JsonObject, for
# AdditionalProperties as the official modules give them).
$references = [System.Collections.Generic.List[Microsoft.CodeAnalysis.MetadataReference]]::new()
foreach ($path in @([System.IO.Directory]::GetFiles([System.IO.Path]::Combine($PSHOME, 'ref'), '*.dll')
        [psobject].Assembly.Location
        [Microsoft.PowerShell.Commands.JsonObject].Assembly.Location)) {
    $references.Add([Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($path))
}
$options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary).
    WithOptimizationLevel([Microsoft.CodeAnalysis.OptimizationLevel]::Release).WithDeterministic($true)
$compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('Microsoft.Graph.Rs.Runtime', $trees, $references, $options)

$staging = "$([System.IO.Path]::GetFullPath($OutputPath)).$PID.tmp"
$stream = [System.IO.File]::Create($staging)
try { $result = $compilation.Emit($stream) } finally { $stream.Dispose() }
$problems = @($result.Diagnostics | Where-Object { $_.Severity -in 'Error', 'Warning' } | ForEach-Object ToString)
if (-not $result.Success -or $problems) {
    Remove-Item -LiteralPath $staging -Force
    throw "New-RuntimeAssembly: module/Runtime/Compiled does not compile cleanly:`n$($problems -join "`n")"
}
Move-Item -Force -LiteralPath $staging -Destination $OutputPath
