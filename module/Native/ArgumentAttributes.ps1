# Two argument transformations that keep the official parameter types while refusing or accepting what the official
# cmdlets' own binders would. A transformation runs before PowerShell converts the value to the parameter's type.
# No C# compiler is loaded: the types are emitted into one dynamic assembly once per process (about the cost of the
# first Reflection.Emit use) and found by name from the parameter blocks; runspaces share them.
#
# [MicrosoftGraphRs.KeepType()] on -Code ([string], as in the official cmdlet): PowerShell would turn -Code 012345678
#   (a number) into '12345678' and the leading zero would be lost without a word. A value that is not a string is
#   replaced by U+FDD0 (a noncharacter) followed by its .NET type name, which the library refuses with an
#   InvalidArgument error naming Code (src/validate.rs).
# [MicrosoftGraphRs.SecureStringArgument()] on Connect-MgGraph -AccessToken ([securestring], as in the official
#   cmdlet): a plain string is also accepted (this module's extension) and becomes a SecureString; anything else is
#   refused with a message that says what is accepted.
# [MicrosoftGraphRs.ContextScope] (an enum: Process, CurrentUser) types Connect-MgGraph -ContextScope. The official
#   enum, Microsoft.Graph.PowerShell.Authentication.ContextScope, lives in the official assembly; a type of that name
#   here would collide with it when both modules are loaded, so this one has a name of its own, the same members in
#   the same order, and costs nothing measurable beside the two attributes. Strings bind case-insensitively and the
#   names tab-complete, as with any enum parameter.
# [MicrosoftGraphRs.GraphRequestMethod] and [MicrosoftGraphRs.OutputType] type Invoke-MgGraphRequest -Method and
#   -OutputType the same way (the official Microsoft.Graph.PowerShell.Authentication.Models enums).

function Register-MgRsArgumentAttributes {
    $slot = 'Microsoft.Graph.Rs.ArgumentAttributes'
    if ([System.AppDomain]::CurrentDomain.GetData($slot)) { return }
    $name = 'MicrosoftGraphRsAttributes'
    $module = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly(
        [System.Reflection.AssemblyName]::new($name), [System.Reflection.Emit.AssemblyBuilderAccess]::Run).DefineDynamicModule($name)
    $op = [System.Reflection.Emit.OpCodes]
    # Each Transform starts with: object value = inputData is PSObject p ? p.BaseObject : inputData;
    $newTransform = {
        param([string] $TypeName)
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
    $keep = & $newTransform 'MicrosoftGraphRs.KeepTypeAttribute'
    $il = $keep.IL; $value = $keep.Value; $asIs = $il.DefineLabel()
    $il.Emit($op::Ldloc, $value); $il.Emit($op::Brfalse, $asIs)
    $il.Emit($op::Ldloc, $value); $il.Emit($op::Isinst, [string]); $il.Emit($op::Brtrue, $asIs)
    $il.Emit($op::Ldstr, [string][char]0xFDD0)
    $il.Emit($op::Ldloc, $value); $il.Emit($op::Callvirt, [object].GetMethod('GetType'))
    $il.Emit($op::Callvirt, [type].GetMethod('get_FullName'))
    $il.Emit($op::Call, [string].GetMethod('Concat', [type[]]@([string], [string]))); $il.Emit($op::Ret)
    $il.MarkLabel($asIs)
    $il.Emit($op::Ldarg_2); $il.Emit($op::Ret)

    # SecureStringArgument: null or a SecureString as it is; a string as new NetworkCredential("", s).SecurePassword;
    # anything else: throw new ArgumentTransformationMetadataException("... not " + value.GetType().FullName + ".").
    $secure = & $newTransform 'MicrosoftGraphRs.SecureStringArgumentAttribute'
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

    $scope = $module.DefineEnum('MicrosoftGraphRs.ContextScope', 'Public', [int])
    $null = $scope.DefineLiteral('Process', 0); $null = $scope.DefineLiteral('CurrentUser', 1)
    $null = $scope.CreateType()
    # Invoke-MgGraphRequest -Method and -OutputType: the official enums' members and values, under names of their own.
    $method = $module.DefineEnum('MicrosoftGraphRs.GraphRequestMethod', 'Public', [int])
    $value = 0
    foreach ($member in 'GET', 'POST', 'PUT', 'PATCH', 'DELETE') { $null = $method.DefineLiteral($member, $value++) }
    $null = $method.CreateType()
    $output = $module.DefineEnum('MicrosoftGraphRs.OutputType', 'Public', [int])
    $value = 0
    foreach ($member in 'HashTable', 'PSObject', 'HttpResponseMessage', 'Json') { $null = $output.DefineLiteral($member, $value++) }
    $null = $output.CreateType()
    $null = $keep.Type.CreateType()
    [System.AppDomain]::CurrentDomain.SetData($slot, $secure.Type.CreateType())
}
Register-MgRsArgumentAttributes
