# One fresh-process run of the benchmark (figures 2-4): import, connect and one PATCH with one contender, timed from
# inside the process, then the RSS. Prints "import;connect;total;rss" (ms, ms, ms, MiB) on one line.
# The phases a contender lacks (Invoke-RestMethod imports nothing) are 0; 'bare' and 'empty' send nothing.
param([string] $Mode, [string] $ModulePath, [string] $Url, [string] $Token)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$uri = "$Url/beta/users/user1%40contoso.example/authentication/qrCodePinMethod/pin"
$body = '{"code":"12345678"}'
$imported = 0.0; $connected = 0.0
switch ($Mode) {
    'bare' { }
    'empty' { Import-Module $ModulePath; $imported = $clock.Elapsed.TotalMilliseconds }
    'module' {
        Import-Module $ModulePath
        $imported = $clock.Elapsed.TotalMilliseconds
        $null = Add-MgEnvironment -Name BenchEmulator -AzureADEndpoint $Url -GraphEndpoint $Url
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -Environment BenchEmulator -NoWelcome
        $connected = $clock.Elapsed.TotalMilliseconds
        $null = Update-MgBetaUserAuthenticationQrCodePinMethodPin -UserId 'user1@contoso.example' -Code '12345678'
    }
    'irm' {
        $headers = @{ Authorization = "Bearer $Token" }
        $null = Invoke-RestMethod -Method Patch -Uri $uri -Headers $headers -ContentType 'application/json' -Body $body
    }
    'peer' {
        Import-Module $ModulePath
        $imported = $clock.Elapsed.TotalMilliseconds
        Connect-SdkPeer -GraphEndpoint $Url -AccessToken $Token
        $connected = $clock.Elapsed.TotalMilliseconds
        $null = Update-SdkPeerQrPin -UserId 'user1@contoso.example' -Code '12345678'
    }
    'httpclient' {
        $client = [System.Net.Http.HttpClient]::new()
        $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Token)
        $connected = $clock.Elapsed.TotalMilliseconds
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Patch, $uri)
        $request.Content = [System.Net.Http.StringContent]::new($body, [System.Text.Encoding]::UTF8, 'application/json')
        $response = $client.Send($request)
        $null = $response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().GetAwaiter().GetResult()
        $response.Dispose()
    }
    default { throw "Unknown mode '$Mode'." }
}
$total = $clock.Elapsed.TotalMilliseconds
# After a full collection, so garbage that one contender happens to leave does not count as its footprint.
[System.GC]::Collect(); [System.GC]::WaitForPendingFinalizers(); [System.GC]::Collect()
$process = [System.Diagnostics.Process]::GetCurrentProcess(); $process.Refresh()
[string]::Format([cultureinfo]::InvariantCulture, '{0:F2};{1:F2};{2:F2};{3:F2}', $imported, $connected, $total, ($process.WorkingSet64 / 1MB))
