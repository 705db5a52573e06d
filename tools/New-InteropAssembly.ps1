<#
.SYNOPSIS
Writes Microsoft.Graph.Rs.Interop.dll: the .NET types the module needs, emitted once at build time (build.ps1 Build).

.DESCRIPTION
PowerShell has no compiler at hand for these few types, and emitting them with Reflection.Emit at every import cost
about 70 ms (the attributes and enums) and, at the first call, 50 ms more (the P/Invoke type): mostly the first use of
Reflection.Emit and of PowerShell's method binder, once per process. .NET 9 and later can save an emitted assembly
(PersistedAssemblyBuilder), so the same IL is written here once and the module only loads the file (about 1 ms).

The assembly holds:
- MicrosoftGraphRs.Native: the library's exports as P/Invoke methods, under the library name 'microsoft_graph_rs';
  Bind(handle) points that name at the library the module loaded from its own folder (NativeLibrary's resolver for
  this assembly), so the file holds no path of any machine.
- [MicrosoftGraphRs.KeepType()] on -Code ([string], as in the official cmdlets): PowerShell would turn -Code 012345678
  (a number) into '12345678' and the leading zero would be lost without a word. A value that is not a string becomes
  U+FDD0 (a noncharacter) followed by its .NET type name, which the library refuses with an InvalidArgument error
  naming the parameter.
- [MicrosoftGraphRs.SecureStringArgument()] on Connect-MgGraph -AccessToken ([securestring], as in the official
  cmdlet): a plain string is also accepted (this module's extension) and becomes a SecureString; anything else is
  refused with a message that says what is accepted.
- The enums MicrosoftGraphRs.ContextScope (Connect-MgGraph -ContextScope), GraphRequestMethod and OutputType
  (Invoke-MgGraphRequest -Method, -OutputType): the official enums' members and values, under names of their own, so
  they do not collide with the official types when both modules are loaded. Strings bind case-insensitively and the
  names tab-complete, as with any enum parameter.

A transformation attribute runs before PowerShell converts the value to the parameter's type.

.PARAMETER OutputPath
Where to write the assembly.
#>
param([Parameter(Mandatory)][string] $OutputPath)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The library's exports (src/ffi): return type, then parameter types. tools/Test-NativeBindings.ps1 checks this table
# against the Rust declarations, one binding per export.
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

$manifest = Import-PowerShellDataFile (Join-Path (Split-Path -Parent $PSScriptRoot) 'Microsoft.Graph.Rs.psd1')
$name = [System.Reflection.AssemblyName]::new('Microsoft.Graph.Rs.Interop')
$name.Version = [version]$manifest.ModuleVersion
$assembly = [System.Reflection.Emit.PersistedAssemblyBuilder]::new($name, [object].Assembly)
$module = $assembly.DefineDynamicModule('Microsoft.Graph.Rs.Interop')
$op = [System.Reflection.Emit.OpCodes]
$nonPublicStatic = [System.Reflection.BindingFlags]'Public, NonPublic, Static'

# ---- MicrosoftGraphRs.Native ----
$native = $module.DefineType('MicrosoftGraphRs.Native', 'Public, Abstract, Sealed, Class')
foreach ($export in $exports.GetEnumerator()) {
    $method = $native.DefinePInvokeMethod(
        $export.Key, 'microsoft_graph_rs',
        [System.Reflection.MethodAttributes]'Public, Static, PinvokeImpl, HideBySig',
        [System.Reflection.CallingConventions]::Standard,
        $export.Value[0], [type[]]$export.Value[1],
        [System.Runtime.InteropServices.CallingConvention]::Cdecl,
        [System.Runtime.InteropServices.CharSet]::Ansi)
    $method.SetImplementationFlags([System.Reflection.MethodImplAttributes]::PreserveSig)
}
# static IntPtr library; static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => library;
$library = $native.DefineField('library', [System.IntPtr], 'Private, Static')
$resolve = $native.DefineMethod('Resolve', 'Private, Static, HideBySig', [System.IntPtr],
    [type[]]@([string], [System.Reflection.Assembly], [System.Nullable[System.Runtime.InteropServices.DllImportSearchPath]]))
$il = $resolve.GetILGenerator()
$il.Emit($op::Ldsfld, $library); $il.Emit($op::Ret)
# public static IntPtr Bind(IntPtr handle): the first call sets the resolver (once per process, as .NET allows);
# returns the library in use, which the module compares with its own.
$bind = $native.DefineMethod('Bind', 'Public, Static, HideBySig', [System.IntPtr], [type[]]@([System.IntPtr]))
$il = $bind.GetILGenerator()
$bound = $il.DefineLabel()
$il.Emit($op::Ldsfld, $library); $il.Emit($op::Ldsfld, [System.IntPtr].GetField('Zero'))
$il.Emit($op::Call, [System.IntPtr].GetMethod('op_Inequality', [type[]]@([System.IntPtr], [System.IntPtr]))); $il.Emit($op::Brtrue, $bound)
$il.Emit($op::Ldarg_0); $il.Emit($op::Stsfld, $library)
$il.Emit($op::Ldtoken, $native); $il.Emit($op::Call, [type].GetMethod('GetTypeFromHandle'))
$il.Emit($op::Callvirt, [type].GetMethod('get_Assembly'))
$il.Emit($op::Ldnull); $il.Emit($op::Ldftn, $resolve)
$il.Emit($op::Newobj, [System.Runtime.InteropServices.DllImportResolver].GetConstructor([type[]]@([object], [System.IntPtr])))
$il.Emit($op::Call, [System.Runtime.InteropServices.NativeLibrary].GetMethod('SetDllImportResolver', $nonPublicStatic))
$il.MarkLabel($bound)
$il.Emit($op::Ldsfld, $library); $il.Emit($op::Ret)
# public static ICollection ModuleTable(EngineIntrinsics engine): the session's table of loaded modules, read by the
# module only for its count (module/Authentication/Coexistence.ps1); null where this PowerShell keeps it elsewhere.
# PowerShell has no public way to tell that modules were imported; the table is internal, so it is reached by
# reflection, here in compiled code (through PowerShell's method binder the same lookups cost 15-20 ms at import).
$moduleTable = $native.DefineMethod('ModuleTable', 'Public, Static, HideBySig', [System.Collections.ICollection],
    [type[]]@([System.Management.Automation.EngineIntrinsics]))
$il = $moduleTable.GetILGenerator()
$found = $il.DeclareLocal([object]); $result = $il.DeclareLocal([System.Collections.ICollection])
$instance = [int][System.Reflection.BindingFlags]'NonPublic, Instance'
$getProperty = [type].GetMethod('GetProperty', [type[]]@([string], [System.Reflection.BindingFlags]))
$null = $il.BeginExceptionBlock()
$il.Emit($op::Ldtoken, [System.Management.Automation.EngineIntrinsics]); $il.Emit($op::Call, [type].GetMethod('GetTypeFromHandle'))
$il.Emit($op::Ldstr, '_context'); $il.Emit($op::Ldc_I4, $instance)
$il.Emit($op::Callvirt, [type].GetMethod('GetField', [type[]]@([string], [System.Reflection.BindingFlags])))
$il.Emit($op::Ldarg_0); $il.Emit($op::Callvirt, [System.Reflection.FieldInfo].GetMethod('GetValue', [type[]]@([object]))); $il.Emit($op::Stloc, $found)
foreach ($property in 'Modules', 'ModuleTable') {
    $il.Emit($op::Ldloc, $found); $il.Emit($op::Callvirt, [object].GetMethod('GetType'))
    $il.Emit($op::Ldstr, $property); $il.Emit($op::Ldc_I4, $instance); $il.Emit($op::Callvirt, $getProperty)
    $il.Emit($op::Ldloc, $found); $il.Emit($op::Callvirt, [System.Reflection.PropertyInfo].GetMethod('GetValue', [type[]]@([object]))); $il.Emit($op::Stloc, $found)
}
$il.Emit($op::Ldloc, $found); $il.Emit($op::Isinst, [System.Collections.ICollection]); $il.Emit($op::Stloc, $result)
$il.BeginCatchBlock([System.Exception])
$il.Emit($op::Pop)
$il.EndExceptionBlock()
$il.Emit($op::Ldloc, $result); $il.Emit($op::Ret)
$null = $native.CreateType()

# ---- The two argument transformations ----
# Each Transform starts with: object value = inputData is PSObject p ? p.BaseObject : inputData;
function New-Transform([string] $TypeName) {
    $type = $module.DefineType($TypeName, 'Public, Sealed, Class', [System.Management.Automation.ArgumentTransformationAttribute])
    $null = $type.DefineDefaultConstructor('Public')
    $il = $type.DefineMethod('Transform', 'Public, Virtual, HideBySig', [object],
        [type[]]@([System.Management.Automation.EngineIntrinsics], [object])).GetILGenerator()
    $value = $il.DeclareLocal([object])
    $unwrapped = $il.DefineLabel()
    $il.Emit($op::Ldarg_2); $il.Emit($op::Stloc, $value)
    $il.Emit($op::Ldarg_2); $il.Emit($op::Isinst, [psobject]); $il.Emit($op::Brfalse, $unwrapped)
    $il.Emit($op::Ldarg_2); $il.Emit($op::Castclass, [psobject])
    $il.Emit($op::Callvirt, [psobject].GetMethod('get_BaseObject')); $il.Emit($op::Stloc, $value)
    $il.MarkLabel($unwrapped)
    @{ Type = $type; IL = $il; Value = $value }
}

# KeepType: return value == null || value is string ? inputData : "\uFDD0" + value.GetType().FullName;
$keep = New-Transform 'MicrosoftGraphRs.KeepTypeAttribute'
$il = $keep.IL; $value = $keep.Value; $asIs = $il.DefineLabel()
$il.Emit($op::Ldloc, $value); $il.Emit($op::Brfalse, $asIs)
$il.Emit($op::Ldloc, $value); $il.Emit($op::Isinst, [string]); $il.Emit($op::Brtrue, $asIs)
$il.Emit($op::Ldstr, [string][char]0xFDD0)
$il.Emit($op::Ldloc, $value); $il.Emit($op::Callvirt, [object].GetMethod('GetType'))
$il.Emit($op::Callvirt, [type].GetMethod('get_FullName'))
$il.Emit($op::Call, [string].GetMethod('Concat', [type[]]@([string], [string]))); $il.Emit($op::Ret)
$il.MarkLabel($asIs)
$il.Emit($op::Ldarg_2); $il.Emit($op::Ret)
$null = $keep.Type.CreateType()

# SecureStringArgument: null or a SecureString as it is; a string as new NetworkCredential("", s).SecurePassword;
# anything else: throw new ArgumentTransformationMetadataException("... not " + value.GetType().FullName + ".").
$secure = New-Transform 'MicrosoftGraphRs.SecureStringArgumentAttribute'
$il = $secure.IL; $value = $secure.Value; $asIs = $il.DefineLabel(); $notString = $il.DefineLabel()
$il.Emit($op::Ldloc, $value); $il.Emit($op::Brfalse, $asIs)
$il.Emit($op::Ldloc, $value); $il.Emit($op::Isinst, [securestring]); $il.Emit($op::Brtrue, $asIs)
$il.Emit($op::Ldloc, $value); $il.Emit($op::Isinst, [string]); $il.Emit($op::Brfalse, $notString)
$il.Emit($op::Ldsfld, [string].GetField('Empty'))
$il.Emit($op::Ldloc, $value); $il.Emit($op::Castclass, [string])
$il.Emit($op::Newobj, [System.Net.NetworkCredential].GetConstructor([type[]]@([string], [string])))
$il.Emit($op::Callvirt, [System.Net.NetworkCredential].GetMethod('get_SecurePassword')); $il.Emit($op::Ret)
$il.MarkLabel($notString)
$il.Emit($op::Ldstr, 'AccessToken must be a SecureString or a string, not ')
$il.Emit($op::Ldloc, $value); $il.Emit($op::Callvirt, [object].GetMethod('GetType'))
$il.Emit($op::Callvirt, [type].GetMethod('get_FullName'))
$il.Emit($op::Ldstr, '.')
$il.Emit($op::Call, [string].GetMethod('Concat', [type[]]@([string], [string], [string])))
$il.Emit($op::Newobj, [System.Management.Automation.ArgumentTransformationMetadataException].GetConstructor([type[]]@([string])))
$il.Emit($op::Throw)
$il.MarkLabel($asIs)
$il.Emit($op::Ldarg_2); $il.Emit($op::Ret)
$null = $secure.Type.CreateType()

# ---- The enums ----
$enums = [ordered]@{
    'MicrosoftGraphRs.ContextScope'       = @('Process', 'CurrentUser')
    'MicrosoftGraphRs.GraphRequestMethod' = @('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
    'MicrosoftGraphRs.OutputType'         = @('HashTable', 'PSObject', 'HttpResponseMessage', 'Json')
}
foreach ($enum in $enums.GetEnumerator()) {
    $builder = $module.DefineEnum($enum.Key, 'Public', [int])
    $number = 0
    foreach ($member in $enum.Value) { $null = $builder.DefineLiteral($member, $number++) }
    $null = $builder.CreateType()
}

$folder = Split-Path -Parent $OutputPath
if ($folder) { $null = New-Item -ItemType Directory -Force -Path $folder }
$assembly.Save($OutputPath)
