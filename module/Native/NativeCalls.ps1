# The module's only door into the native library: JSON envelopes in and out, handles for
# anything that touches the network. See docs/abi.md.

function ConvertFrom-MgRsNativeString {
    param([System.IntPtr] $Pointer)
    if ($Pointer -eq [System.IntPtr]::Zero) { return $null }
    try {
        [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($Pointer)
    } finally {
        $script:MgRsNative::mgrs_string_free($Pointer)
    }
}

function ConvertTo-MgRsUtf8 {
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Request)
    [System.Text.Encoding]::UTF8.GetBytes([MicrosoftGraphRs.Json]::ToText($Request, 32))
}

# Runs a synchronous operation and returns the parsed envelope (ok/value or ok/error). -Bytes is a
# request the caller built itself with a secret spliced in (New-MgRsSecretRequestBytes); it is cleared.
function Invoke-MgRsOperation {
    param([System.Collections.IDictionary] $Request, [byte[]] $Bytes)
    $bytes = if ($Bytes) { $Bytes } else { ConvertTo-MgRsUtf8 $Request }
    try {
        $text = ConvertFrom-MgRsNativeString ($script:MgRsNative::mgrs_invoke($bytes, $bytes.Length))
    } finally {
        # The request may carry a token or a PIN: do not leave the bytes behind.
        [System.Array]::Clear($bytes, 0, $bytes.Length)
    }
    [MicrosoftGraphRs.Json]::FromText($text)
}

# The version of the JSON operations this module speaks (docs/protocol.md); the ABI (the exports) is checked at import.
$script:MgRsProtocolVersion = 1

# Tells the library who is calling (for the User-Agent) once, on first use rather than at
# import, where the JSON cmdlets' first-call cost would land, and refuses a library of another protocol.
function Initialize-MgRsNative {
    if ($script:MgRsInitialized) { return }
    $init = Invoke-MgRsOperation ([ordered]@{
            op        = 'init'
            psVersion = $PSVersionTable.PSVersion.ToString()
            culture   = [System.Globalization.CultureInfo]::CurrentCulture.Name
            os        = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
        })
    $protocol = if ($init.ok) { $init.value['protocol'] }
    if ($protocol -ne $script:MgRsProtocolVersion) {
        throw "Microsoft.Graph.Rs found a native library that speaks protocol version $(if ($null -eq $protocol) { '(none)' } else { $protocol }) at '$($script:MgRsLibraryPath)', but this module needs version $($script:MgRsProtocolVersion). Rebuild or reinstall the module so both parts match."
    }
    $script:MgRsInitialized = $true
}
$script:MgRsInitialized = $false

# Starts an asynchronous operation and waits for it without blocking Ctrl+C: a short native
# wait catches fast answers, then an interruptible sleep loop polls. Stopping the pipeline
# lands in finally, which cancels and forgets the job. -Bytes is a request the caller built
# itself (sign-in requests splice secrets in as bytes); it is cleared once handed over. With
# -Cmdlet, queued log lines are written while waiting (a device code must show before the end).
function Invoke-MgRsJob {
    param(
        [System.Collections.IDictionary] $Request,
        [byte[]] $Bytes,
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    try {
        Initialize-MgRsNative
        if (-not $Bytes) { $Bytes = ConvertTo-MgRsUtf8 $Request }
        $handle = $script:MgRsNative::mgrs_submit($Bytes, $Bytes.Length)
    } finally {
        if ($Bytes) { [System.Array]::Clear($Bytes, 0, $Bytes.Length) }
    }
    if ($handle -eq 0) { throw 'Microsoft.Graph.Rs could not hand the request to its native library.' }
    try {
        $state = $script:MgRsNative::mgrs_wait($handle, 50)
        while ($state -eq 0) {
            if ($Cmdlet) { Write-MgRsLog -Handle $handle }
            Start-Sleep -Milliseconds 10
            $state = $script:MgRsNative::mgrs_wait($handle, 0)
        }
        if ($state -lt 0) { throw "Microsoft.Graph.Rs lost track of native job $handle." }
        $result = [MicrosoftGraphRs.Json]::FromText((ConvertFrom-MgRsNativeString ($script:MgRsNative::mgrs_take($handle, 0))))
        # The job's remaining log lines belong to this command alone.
        if ($Cmdlet -and $result['log']) { Write-MgRsLogLines $result.log }
        $result
    } finally {
        # Stopped before the answer: cancel and forget the job (after a take it is already gone).
        $null = $script:MgRsNative::mgrs_release($handle)
    }
}

# Log lines are kept by each native job and written here, by the command that owns the job, on its
# pipeline thread (a Rust thread must never call into PowerShell, and another runspace's command must
# never see them). Text meant for the user (a device code, a sign-in address) goes to the host, so it
# shows even when the command's result is assigned. The Write-* cmdlets follow the calling command's
# preference variables; $PSCmdlet.WriteVerbose would follow its runtime, which under -Debug alone asks
# (Inquire) and fails when non-interactive.
function Write-MgRsLogLines {
    param($Lines)
    foreach ($line in $Lines) {
        switch ($line.level) {
            'verbose' { Write-Verbose $line.message }
            'debug' { Write-Debug $line.message }
            'warning' { Write-Warning $line.message }
            'information' { Write-Host $line.message }
        }
    }
}

# The lines a running job has queued so far (a device code must show before the sign-in ends).
function Write-MgRsLog {
    param([Parameter(Mandatory)][uint64] $Handle)
    $text = ConvertFrom-MgRsNativeString ($script:MgRsNative::mgrs_log_drain($Handle))
    if ($text) { Write-MgRsLogLines ([MicrosoftGraphRs.Json]::FromText($text)) }
}
