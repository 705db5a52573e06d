# -Code is a [string] as in the official cmdlet, so PowerShell would turn -Code 012345678 (a number) into
# '12345678' while binding, and the leading zero would be lost without a word. This attribute runs before that
# conversion: a value that is not a string is replaced by U+FDD0 (a noncharacter) followed by its .NET type name,
# which the library refuses with an InvalidArgument error naming Code (src/validate.rs). No C# compiler is
# loaded: the type is emitted once per process and found by name from the parameter block.

function Register-MgRsCodeArgumentAttribute {
    $slot = 'Microsoft.Graph.Rs.KeepTypeAttribute'
    if ([System.AppDomain]::CurrentDomain.GetData($slot)) { return }
    $name = 'MicrosoftGraphRsAttributes'
    $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly(
        [System.Reflection.AssemblyName]::new($name), [System.Reflection.Emit.AssemblyBuilderAccess]::Run)
    $type = $assembly.DefineDynamicModule($name).DefineType('MicrosoftGraphRs.KeepTypeAttribute', 'Public, Sealed, Class',
        [System.Management.Automation.ArgumentTransformationAttribute])
    $null = $type.DefineDefaultConstructor('Public')
    $il = $type.DefineMethod('Transform', 'Public, Virtual, HideBySig', [object],
        [type[]]@([System.Management.Automation.EngineIntrinsics], [object])).GetILGenerator()
    # object value = inputData is PSObject p ? p.BaseObject : inputData;
    # return value == null || value is string ? inputData : "\uFDD0" + value.GetType().FullName;
    $op = [System.Reflection.Emit.OpCodes]
    $value = $il.DeclareLocal([object])
    $unwrapped = $il.DefineLabel(); $keep = $il.DefineLabel()
    $il.Emit($op::Ldarg_2); $il.Emit($op::Stloc, $value)
    $il.Emit($op::Ldarg_2); $il.Emit($op::Isinst, [psobject]); $il.Emit($op::Brfalse, $unwrapped)
    $il.Emit($op::Ldarg_2); $il.Emit($op::Castclass, [psobject])
    $il.Emit($op::Callvirt, [psobject].GetMethod('get_BaseObject')); $il.Emit($op::Stloc, $value)
    $il.MarkLabel($unwrapped)
    $il.Emit($op::Ldloc, $value); $il.Emit($op::Brfalse, $keep)
    $il.Emit($op::Ldloc, $value); $il.Emit($op::Isinst, [string]); $il.Emit($op::Brtrue, $keep)
    $il.Emit($op::Ldstr, [string][char]0xFDD0)
    $il.Emit($op::Ldloc, $value); $il.Emit($op::Callvirt, [object].GetMethod('GetType'))
    $il.Emit($op::Callvirt, [type].GetMethod('get_FullName'))
    $il.Emit($op::Call, [string].GetMethod('Concat', [type[]]@([string], [string]))); $il.Emit($op::Ret)
    $il.MarkLabel($keep)
    $il.Emit($op::Ldarg_2); $il.Emit($op::Ret)
    [System.AppDomain]::CurrentDomain.SetData($slot, $type.CreateType())
}
Register-MgRsCodeArgumentAttribute
