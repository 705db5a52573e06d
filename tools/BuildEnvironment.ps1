# Set-up that build.ps1's tasks need on a fresh machine: cargo, its crate source, and Pester. Dot-sourced by build.ps1;
# every function is safe to call again and does nothing once its part is in place. Each failure says what is missing
# and how to get it.

$script:PesterVersion = [version]'5.7.1'    # installed when no Pester >= 5.5 is available
$script:PesterMinimum = [version]'5.5.0'

# Where build.ps1 keeps what it installs for itself (README "Quick start").
function Get-BuildCacheFolder {
    $base = if ($env:MGRS_BUILD_CACHE) { $env:MGRS_BUILD_CACHE }
    elseif ($IsWindows) { Join-Path $env:LOCALAPPDATA 'Microsoft.Graph.Rs/build' }
    elseif ($env:XDG_CACHE_HOME) { Join-Path $env:XDG_CACHE_HOME 'Microsoft.Graph.Rs/build' }
    else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.cache/Microsoft.Graph.Rs/build' }
    [System.IO.Path]::GetFullPath($base)
}

function Assert-Cargo {
    if (Get-Command cargo -CommandType Application -ErrorAction Ignore) { return }
    # rustup installs into ~/.cargo/bin, which a fresh shell may not have on PATH yet.
    $rustupBin = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.cargo/bin'
    if (Test-Path (Join-Path $rustupBin ($IsWindows ? 'cargo.exe' : 'cargo'))) {
        $env:PATH = $rustupBin + [System.IO.Path]::PathSeparator + $env:PATH
        return
    }
    throw 'cargo was not found. Install Rust (stable) from https://rustup.rs, open a new shell, and run this task again.'
}

# A TCP connection within a short time says the host is reachable; name resolution failing says it at once.
function Test-HostReachable([string] $HostName, [int] $Port = 443, [int] $TimeoutMs = 3000) {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { $client.ConnectAsync($HostName, $Port).Wait($TimeoutMs) } catch { $false } finally { $client.Dispose() }
}

# With crates.io reachable the manifest builds as it is. Without it, a vendored crate set (MGRS_VENDOR_DIR, else
# ../shared/rust/vendor beside the checkout) is wired in through the git-ignored .cargo/config.toml.
function Initialize-CargoSource([string] $Root) {
    $config = Join-Path $Root '.cargo/config.toml'
    $marker = '# Written by build.ps1: crates come from a vendored set (tools/BuildEnvironment.ps1).'
    $ours = (Test-Path $config) -and ((Get-Content -TotalCount 1 $config) -eq $marker)
    if ((Test-Path $config) -and -not $ours) { return }   # the user's own configuration wins

    $vendor = @($env:MGRS_VENDOR_DIR, (Join-Path $Root '../shared/rust/vendor')) |
        Where-Object { $_ -and (Test-Path -PathType Container $_) } | Select-Object -First 1
    if (-not $vendor -or (Test-HostReachable 'index.crates.io')) {
        if ($ours) { Remove-Item $config }   # online again: back to an ordinary build
        return
    }
    $directory = [System.IO.Path]::GetFullPath($vendor).Replace('\', '/')
    $null = New-Item -ItemType Directory -Force (Split-Path $config)
    Set-Content -LiteralPath $config -Value @(
        $marker
        '[source.crates-io]'
        'replace-with = "vendored-sources"'
        '[source.vendored-sources]'
        "directory = `"$directory`""
        '[net]'
        'offline = true'
    )
}

# The Pester module to run the suite with: any Pester >= 5.5 PowerShell can find, else the one build.ps1 installed in
# its cache, else a fresh install there (PowerShell Gallery when reachable, else the NuGet package through dotnet).
function Initialize-Pester {
    $available = Get-Module -ListAvailable Pester | Where-Object Version -GE $script:PesterMinimum |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($available) { return $available.Path }

    $cache = Join-Path (Get-BuildCacheFolder) 'modules'
    $manifest = Join-Path $cache "Pester/$($script:PesterVersion)/Pester.psd1"
    if (Test-Path $manifest) { return $manifest }

    Write-Host "Installing Pester $($script:PesterVersion) into $cache (once)"
    $null = New-Item -ItemType Directory -Force $cache
    if ((Get-Command Save-PSResource -ErrorAction Ignore) -and (Test-HostReachable 'www.powershellgallery.com')) {
        Save-PSResource -Name Pester -Version $script:PesterVersion.ToString() -Path $cache -TrustRepository -Quiet -ErrorAction Continue
        if (Test-Path $manifest) { return $manifest }
    }
    if (Get-Command dotnet -CommandType Application -ErrorAction Ignore) {
        Save-PesterFromNuGet -Destination (Split-Path $manifest)
        if (Test-Path $manifest) { return $manifest }
    }
    throw "Pester $($script:PesterMinimum) or later is needed to run the tests and could not be installed (neither the PowerShell Gallery nor NuGet through dotnet answered). Install it with 'Install-Module Pester -MinimumVersion $($script:PesterMinimum)', or set MGRS_BUILD_CACHE to a folder holding modules/Pester/$($script:PesterVersion)/Pester.psd1."
}

# The NuGet package carries the module under tools/; a throwaway project downloads it into a private package folder.
function Save-PesterFromNuGet([string] $Destination) {
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "mgrs-pester-$PID"
    $null = New-Item -ItemType Directory -Force $work
    try {
        $tfm = 'net' + ((& dotnet --version) -split '\.')[0] + '.0'   # the SDK's own framework needs no targeting pack
        Set-Content -LiteralPath (Join-Path $work 'pester-download.csproj') -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>$tfm</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$($script:PesterVersion)]" /></ItemGroup>
</Project>
"@
        $packages = Join-Path $work 'packages'
        $log = & dotnet restore (Join-Path $work 'pester-download.csproj') --packages $packages 2>&1
        if ($LASTEXITCODE -ne 0) { Write-Warning "dotnet restore of Pester failed:`n$($log -join "`n")"; return }
        $tools = Join-Path $packages "pester/$($script:PesterVersion)/tools"
        $null = New-Item -ItemType Directory -Force $Destination
        Copy-Item -Recurse -Force (Join-Path $tools '*') $Destination
    } finally {
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }
}
