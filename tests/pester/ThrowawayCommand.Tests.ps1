# Adding a command is adding its table entry: in a temporary copy of the repository, a throwaway command (a v1.0 GET
# of a user's standard QR code, under a name of its own) is added to src/commands/table, then, as
# docs/adding-a-command.md says, build.ps1 Generate runs and the name goes into the manifest's FunctionsToExport; the
# library is built there, and the copy's module, imported in a fresh pwsh, calls the command against the emulator.
# Only the table entry, generated files and that manifest line may differ from the checkout: no generic code.
# The copy takes this checkout's target/ (so cargo rebuilds little) and its .cargo/config.toml.

BeforeAll {
    $script:root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $root 'tests/GraphEmulator.psm1') -Force
    $script:pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $script:name = 'Get-MgUserAuthenticationQrCodePinMethodStandardQrCodeRs'
    $script:copy = Join-Path $TestDrive 'repo'
    $script:steps = [ordered]@{}

    # Runs a program in a folder; its output lines, and a failure naming the command when it exits non-zero.
    function Invoke-Tool([string] $Folder, [string] $File, [string[]] $Arguments) {
        Push-Location $Folder
        try {
            $output = @(& $File @Arguments 2>&1 | ForEach-Object { "$_" })
            if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' exited with $LASTEXITCODE in ${Folder}:`n$($output -join "`n")" }
            $output
        } finally { Pop-Location }
    }
    function Invoke-Git([string[]] $Arguments) {
        Invoke-Tool $copy 'git' (@('-c', 'core.autocrlf=false', '-c', 'user.name=throwaway', '-c', 'user.email=throwaway@example.invalid', '-c', 'commit.gpgsign=false') + $Arguments)
    }

    # 1. The copy: the files git knows (tracked and not ignored), as they are in this checkout, committed in a
    #    repository of its own so that git status shows what the steps below change.
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $files = @(Invoke-Tool $root 'git' @('ls-files', '--cached', '--others', '--exclude-standard') | Sort-Object -Unique)
    foreach ($file in $files) {
        $source = Join-Path $root $file
        if (-not (Test-Path -LiteralPath $source -PathType Leaf)) { continue }   # deleted in the working tree
        $destination = Join-Path $copy $file
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $destination)
        Copy-Item -LiteralPath $source -Destination $destination
    }
    $null = Invoke-Git @('init', '--quiet')
    $null = Invoke-Git @('add', '--all')
    $null = Invoke-Git @('commit', '--quiet', '--no-verify', '-m', 'copy')
    # target/ keeps the build incremental (timestamps kept, so the vendored crates stay fresh); .cargo/config.toml
    # points cargo at the same crate source as this checkout.
    if ($IsWindows) {
        Copy-Item -Recurse -Path (Join-Path $root 'target') -Destination (Join-Path $copy 'target')
    } else {
        $null = Invoke-Tool $root 'cp' @('-a', (Join-Path $root 'target'), (Join-Path $copy 'target'))
    }
    $cargoConfig = Join-Path $root '.cargo/config.toml'
    if (Test-Path $cargoConfig) {
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $copy '.cargo')
        Copy-Item $cargoConfig (Join-Path $copy '.cargo/config.toml')
    }
    $steps['copy'] = $watch.Elapsed.TotalSeconds

    # 2. The table entry: a new name, the v1.0 API, a path and output model of its own; the rest as any Get- of a part.
    $entry = Get-Content -Raw (Join-Path $copy 'src/commands/table/Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode.json') | ConvertFrom-Json -AsHashtable
    $entry.name = $name
    $entry.api = 'v1.0'
    $entry.path = '/users/{user-id}/authentication/qrCodePinMethod/standardQRCode'
    $entry.whatIfTarget = "Call remote 'GET /users/{user-id}/authentication/qrCodePinMethod/standardQRCode' operation"
    $entry.outputType = 'Microsoft.Graph.PowerShell.Models.IMicrosoftGraphQrCode'
    $script:entryFile = "src/commands/table/$name.json"
    [System.IO.File]::WriteAllText((Join-Path $copy $entryFile), ($entry | ConvertTo-Json -Depth 10) + "`n")

    # 3. As docs/adding-a-command.md says: Generate, then the name in the manifest's FunctionsToExport.
    $watch.Restart()
    $null = Invoke-Tool $copy $pwsh @('-NoProfile', '-File', (Join-Path $copy 'build.ps1'), 'Generate')
    $steps['generate'] = $watch.Elapsed.TotalSeconds
    $manifest = Join-Path $copy 'Microsoft.Graph.Rs.psd1'
    $text = [System.IO.File]::ReadAllText($manifest)
    $listed = [regex]::Match($text, '(FunctionsToExport\s*=\s*@\(\r?\n)(\s*)')
    $listed.Success | Should -BeTrue -Because 'the manifest lists its functions one a line'
    $text = $text.Insert($listed.Index + $listed.Length, "'$name'$([Environment]::NewLine)$($listed.Groups[2].Value)")
    [System.IO.File]::WriteAllText($manifest, $text)

    # 4. The library build, in the copy.
    $watch.Restart()
    $cargoTargetDir = $env:CARGO_TARGET_DIR
    $env:CARGO_TARGET_DIR = $null
    try {
        $null = Invoke-Tool $copy 'cargo' @('build', '--release', '--quiet', '-p', 'microsoft-graph-rs')
    } finally { $env:CARGO_TARGET_DIR = $cargoTargetDir }
    $steps['cargo build'] = $watch.Elapsed.TotalSeconds
    # Staged where the manifest's loader looks, as build.ps1 Build does.
    $rid = (& { $os = $IsWindows ? 'win' : ($IsMacOS ? 'osx' : 'linux')
            $arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
            "$os-$arch" })
    $library = if ($IsWindows) { 'microsoft_graph_rs.dll' } elseif ($IsMacOS) { 'libmicrosoft_graph_rs.dylib' } else { 'libmicrosoft_graph_rs.so' }
    $native = Join-Path $copy "runtimes/$rid/native"
    $null = New-Item -ItemType Directory -Force -Path $native
    Copy-Item (Join-Path $copy "target/release/$library") (Join-Path $native $library)
    $null = Invoke-Tool $copy $pwsh @('-NoProfile', '-File', (Join-Path $copy 'tools/New-InteropAssembly.ps1'), '-OutputPath',
        (Join-Path $copy 'runtimes/Microsoft.Graph.Rs.Interop.dll'))
    $null = Invoke-Tool $copy $pwsh @('-NoProfile', '-File', (Join-Path $copy 'tools/New-RuntimeAssembly.ps1'), '-OutputPath',
        (Join-Path $copy 'runtimes/Microsoft.Graph.Rs.Runtime.dll'))

    $script:status = @(Invoke-Git @('status', '--porcelain', '--untracked-files=all'))
    $script:emulator = Start-GraphEmulator
}

AfterAll {
    if (Get-Variable emulator -Scope Script -ErrorAction SilentlyContinue) { Stop-GraphEmulator $emulator }
    Write-Host ("ThrowawayCommand steps: " + (($steps.GetEnumerator() | ForEach-Object { '{0} {1:N0} s' -f $_.Key, $_.Value }) -join ', '))
    if (Get-Variable status -Scope Script -ErrorAction SilentlyContinue) { Write-Host "ThrowawayCommand changes: $($status -join '; ')" }
}

Describe 'A throwaway command added to the table' {
    It 'changes only the table entry, generated files and the manifest''s list of functions' {
        $paths = @($status | ForEach-Object { $_.Substring(3) })
        $paths | Should -Contain $entryFile
        $paths | Should -Contain "module/Commands/$name.ps1"
        $manifestDiff = @(Invoke-Git @('diff', '--unified=0', '--', 'Microsoft.Graph.Rs.psd1') | Where-Object { $_ -match '^[-+](?![-+]{2})' })
        $manifestDiff | Should -Be @("+        '$name'")
        $generatedPaths = @($paths | Where-Object { $_ -ne $entryFile -and $_ -ne 'Microsoft.Graph.Rs.psd1' })
        foreach ($path in $generatedPaths) {
            $path | Should -Match '^module/(Commands/[^/]+\.ps1|Runtime/[^/]+\.g\.ps1)$' -Because "only generated files may change ($($status -join '; '))"
            (Get-Content -Raw (Join-Path $copy $path)) | Should -Match 'Generated by tools/New-CommandFunctions\.ps1' -Because "$path must be generated"
        }
        # No hand-written file (Rust, module runtime, build, tools, manifest) differs.
        $paths | Where-Object { $_ -match '\.rs$|^build|^tools/|^docs/|^tests/|\.psm1$' } | Should -BeNullOrEmpty
        # Generated files that existed gain the new command and lose nothing.
        $changed = @($generatedPaths | Where-Object { (Invoke-Git @('ls-files', '--', $_)) })
        foreach ($path in $changed) {
            $removed = @(Invoke-Git @('diff', '--unified=0', '--', $path) | Where-Object { $_ -match '^-(?!--)' })
            $removed | Should -BeNullOrEmpty -Because "$path only gains the new command"
        }
    }

    It 'generates a function like its model''s, under its own name' {
        $new = Get-Content -Raw (Join-Path $copy "module/Commands/$name.ps1")
        $model = Get-Content -Raw (Join-Path $copy 'module/Commands/Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode.ps1')
        $new | Should -Match ([regex]::Escape("function $name"))
        $new | Should -Match ([regex]::Escape("'Microsoft.Graph.PowerShell.Models.IMicrosoftGraphQrCode'"))
        ($new -replace [regex]::Escape($name), 'NAME' -replace 'Microsoft\.Graph\.PowerShell\.Models', 'MODELS') |
            Should -BeExactly ($model -replace 'Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode', 'NAME' -replace 'Microsoft\.Graph\.Beta\.PowerShell\.Models', 'MODELS')
    }

    It 'works end to end from the copy''s module in a fresh pwsh' {
        $users = @(Add-GraphEmulatorUser $emulator @(
                @{ userPrincipalName = 'adele.vance@contoso.example'; standardQRCode = @{} }
                @{ userPrincipalName = 'no.method@contoso.example'; hasQrCodeMethod = $false }
            ))
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$copy/Microsoft.Graph.Rs.psd1', '$root/tests/GraphEmulator.psm1'
Connect-GraphEmulator ([pscustomobject]@{ Url = '$($emulator.Url)'; EnvironmentName = 'GraphEmulator' })
`$command = Get-Command '$name'
`$one = $name -UserId '$($users[0].id)'
`$piped = @(@{ UserId = 'adele.vance@contoso.example' } | $name)
`$failure = `$null
try { $name -UserId '$($users[1].id)' } catch { `$failure = `$_ }
[pscustomobject]@{
    ModuleBase = `$command.Module.ModuleBase
    TypeName   = `$one.PSObject.TypeNames[0]
    UserId     = `$one.UserId
    Id         = `$one.Id
    ExpireType = `$one.ExpireDateTime.GetType().FullName
    PipedUser  = `$piped[0].UserId
    ErrorId    = `$failure.FullyQualifiedErrorId
    Details    = `$failure.ErrorDetails.Message
} | ConvertTo-Json -Compress
"@
        $lines = @(& $pwsh -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" })
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $result = $lines[-1] | ConvertFrom-Json
        [System.IO.Path]::GetFullPath($result.ModuleBase) | Should -Be ([System.IO.Path]::GetFullPath($copy))
        $result.TypeName | Should -Be 'Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphQrCode'
        $result.UserId | Should -Be $users[0].id
        $result.Id | Should -Be (Invoke-GraphEmulatorControl $emulator "users/$($users[0].id)").standardQRCode.id
        $result.ExpireType | Should -Be 'System.DateTime'
        $result.PipedUser | Should -Be 'adele.vance@contoso.example'
        $result.ErrorId | Should -Be 'Request_ResourceNotFound,Microsoft.Graph.PowerShell.Cmdlets.GetMgUserAuthenticationQrCodePinMethodStandardQrCodeRs_Get'
        $result.Details | Should -Match 'Status: 404 \(NotFound\)'

        $sent = @(Get-GraphEmulatorRequest $emulator)
        $sent.method | Should -Be @('GET', 'GET', 'GET')
        $sent.path | Should -Be @(
            "/v1.0/users/$($users[0].id)/authentication/qrCodePinMethod/standardQRCode"
            '/v1.0/users/adele.vance%40contoso.example/authentication/qrCodePinMethod/standardQRCode'
            "/v1.0/users/$($users[1].id)/authentication/qrCodePinMethod/standardQRCode")
    }

    It 'leaves the checkout''s own module without the command' {
        $lines = @(& $pwsh -NoProfile -NonInteractive -Command "Import-Module '$root/Microsoft.Graph.Rs.psd1'; [bool](Get-Command '$name' -ErrorAction SilentlyContinue)")
        $lines[-1] | Should -Be 'False'
    }
}
