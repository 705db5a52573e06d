# Helpers of Connect-MgGraph: certificates, secrets as bytes, the sign-in job and the saved-session
# folder. Secrets are handed to the native library once, as bytes spliced into the request, and
# the arrays are cleared right after: no managed string of a secret or key is made here.

# Where -ContextScope CurrentUser keeps the session: $env:MICROSOFT_GRAPH_RS_CONTEXT_DIR, else
# $XDG_CONFIG_HOME/Microsoft.Graph.Rs, else ~/.config/Microsoft.Graph.Rs. $null where the file
# cannot be restricted to the user (the native library refuses CurrentUser there).
function Get-MgRsContextDirectory {
    if ($env:MICROSOFT_GRAPH_RS_CONTEXT_DIR) { return $env:MICROSOFT_GRAPH_RS_CONTEXT_DIR }
    if ($IsWindows) { return $null }
    $base = if ($env:XDG_CONFIG_HOME) { $env:XDG_CONFIG_HOME } else { [System.IO.Path]::Combine([Environment]::GetFolderPath('UserProfile'), '.config') }
    [System.IO.Path]::Combine($base, 'Microsoft.Graph.Rs')
}

# UTF-8 bytes of a SecureString, through unmanaged memory that is zeroed and freed.
function ConvertFrom-MgRsSecureString {
    param([Parameter(Mandatory)][securestring] $Secure)
    $pointer = [System.Runtime.InteropServices.Marshal]::SecureStringToGlobalAllocUnicode($Secure)
    $chars = [char[]]::new($Secure.Length)
    try {
        [System.Runtime.InteropServices.Marshal]::Copy($pointer, $chars, 0, $Secure.Length)
        , [System.Text.Encoding]::UTF8.GetBytes($chars)
    } finally {
        [System.Array]::Clear($chars, 0, $chars.Length)
        [System.Runtime.InteropServices.Marshal]::ZeroFreeGlobalAllocUnicode($pointer)
    }
}

# The request as UTF-8 JSON with each secret appended as a base64 field, built from byte and char
# arrays only. The caller clears the secret arrays; this clears its own.
function New-MgRsSecretRequestBytes {
    param(
        [Parameter(Mandatory)][System.Collections.IDictionary] $Request,
        [System.Collections.IDictionary] $Secrets = @{}
    )
    $json = [MicrosoftGraphRs.Json]::ToText($Request, 8)
    $parts = [System.Collections.Generic.List[byte[]]]::new()
    $parts.Add([System.Text.Encoding]::UTF8.GetBytes($json.Substring(0, $json.Length - 1)))
    foreach ($name in $Secrets.Keys) {
        $raw = [byte[]] $Secrets[$name]
        $chars = [char[]]::new(4 * [math]::Ceiling($raw.Length / 3) + 4)
        $count = [System.Convert]::ToBase64CharArray($raw, 0, $raw.Length, $chars, 0)
        $parts.Add([System.Text.Encoding]::UTF8.GetBytes(",`"$name`":`""))
        $parts.Add([System.Text.Encoding]::ASCII.GetBytes($chars, 0, $count))
        [System.Array]::Clear($chars, 0, $chars.Length)
        $parts.Add([byte[]] @(34))
    }
    $parts.Add([byte[]] @(125))
    $total = 0
    foreach ($p in $parts) { $total += $p.Length }
    $bytes = [byte[]]::new($total)
    $offset = 0
    foreach ($p in $parts) {
        [System.Buffer]::BlockCopy($p, 0, $bytes, $offset, $p.Length)
        $offset += $p.Length
        [System.Array]::Clear($p, 0, $p.Length)
    }
    , $bytes
}

# PKCS#8 bytes of a certificate's RSA private key.
function Get-MgRsCertificateKey {
    param([Parameter(Mandatory)][System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)
    if (-not $Certificate.HasPrivateKey) {
        throw [System.ArgumentException]::new("The certificate $($Certificate.Thumbprint) ($($Certificate.Subject)) has no private key, so it cannot sign in. Use the certificate with its key (a PFX file, a PEM file with the key, or a store entry with a private key).")
    }
    $rsa = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    if ($null -eq $rsa) {
        throw [System.ArgumentException]::new("The certificate $($Certificate.Thumbprint) does not have an RSA key. Sign-in with a certificate needs an RSA key (2048 bits or more).")
    }
    try {
        , $rsa.ExportPkcs8PrivateKey()
    } catch {
        throw [System.ArgumentException]::new("The private key of certificate $($Certificate.Thumbprint) cannot be exported, so the module cannot sign with it. Import the certificate with an exportable key, or pass a PFX or PEM file with -CertificatePath.")
    } finally {
        $rsa.Dispose()
    }
}

function Test-MgRsCertificateUsable {
    param([System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)
    $now = [datetime]::Now
    $Certificate.HasPrivateKey -and $Certificate.NotBefore -le $now -and $Certificate.NotAfter -ge $now
}

# Looks in CurrentUser\My and LocalMachine\My (stores that cannot be opened here are skipped).
function Find-MgRsStoreCertificate {
    param([string] $Thumbprint, [string] $SubjectName)
    $found = [System.Collections.Generic.List[System.Security.Cryptography.X509Certificates.X509Certificate2]]::new()
    foreach ($location in 'CurrentUser', 'LocalMachine') {
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', $location)
        try {
            $store.Open('ReadOnly, OpenExistingOnly')
        } catch {
            Write-Verbose "The $location\My certificate store cannot be opened here: $($_.Exception.Message)"
            $store.Dispose()
            continue
        }
        try {
            foreach ($cert in $store.Certificates) {
                $match = if ($Thumbprint) {
                    $cert.Thumbprint -eq $Thumbprint
                } else {
                    $cert.Subject -eq $SubjectName -or $cert.Subject -eq "CN=$SubjectName" -or $cert.GetNameInfo('SimpleName', $false) -eq $SubjectName
                }
                if ($match) { $found.Add($cert) }
            }
        } finally {
            $store.Dispose()
        }
    }
    # Prefer a usable certificate, then the one that lasts longest.
    $found | Sort-Object -Property @{ Expression = { Test-MgRsCertificateUsable $_ }; Descending = $true }, @{ Expression = 'NotAfter'; Descending = $true } |
        Select-Object -First 1
}

# A certificate file: PFX/PKCS#12 (with -CertificatePassword when it has one), or PEM holding the
# certificate and its private key (encrypted keys need the password).
function Read-MgRsCertificateFile {
    param(
        [Parameter(Mandatory)][string] $Path,
        [securestring] $Password,
        [string] $ParameterName = 'CertificatePath'
    )
    if (-not [System.IO.File]::Exists($Path)) {
        throw [System.ArgumentException]::new("${ParameterName}: there is no file '$Path'.")
    }
    $head = [System.IO.File]::ReadAllText($Path).TrimStart()
    $isPem = $head.StartsWith('-----BEGIN')
    $head = $null
    try {
        if ($isPem) {
            if ($Password) {
                $chars = [char[]]::new($Password.Length)
                $pointer = [System.Runtime.InteropServices.Marshal]::SecureStringToGlobalAllocUnicode($Password)
                try {
                    [System.Runtime.InteropServices.Marshal]::Copy($pointer, $chars, 0, $Password.Length)
                    [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromEncryptedPemFile($Path, $chars, $Path)
                } finally {
                    [System.Array]::Clear($chars, 0, $chars.Length)
                    [System.Runtime.InteropServices.Marshal]::ZeroFreeGlobalAllocUnicode($pointer)
                }
            } else {
                [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($Path)
            }
        } else {
            $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable
            if (-not $IsMacOS) { $flags = $flags -bor [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet }
            $secure = if ($Password) { $Password } else { [securestring]::new() }
            [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Path, $secure, $flags)
        }
    } catch {
        $why = if ($_.Exception.InnerException) { $_.Exception.InnerException.Message } else { $_.Exception.Message }
        throw [System.ArgumentException]::new("${ParameterName}: the certificate in '$Path' could not be read: $why Check the file and its password.")
    }
}

# Resolves the certificate of the AppCertificate parameter set (or the environment variables).
function Resolve-MgRsCertificate {
    param([System.Collections.IDictionary] $Bound, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $given = @(@('Certificate', 'CertificatePath', 'CertificateThumbprint', 'CertificateSubjectName') | Where-Object { $Bound.ContainsKey($_) })
    if ($given.Count -eq 0) {
        throw [System.ArgumentException]::new('Name the certificate with -CertificateThumbprint, -CertificateSubjectName, -Certificate or -CertificatePath.')
    }
    if ($given.Count -gt 1) {
        throw [System.ArgumentException]::new("Use only one of -$($given -join ', -'): they each name a certificate.")
    }
    if ($Bound.ContainsKey('CertificatePassword') -and -not $Bound.ContainsKey('CertificatePath')) {
        throw [System.ArgumentException]::new('-CertificatePassword is used only with -CertificatePath.')
    }
    switch ($given[0]) {
        'Certificate' {
            if ($null -eq $Bound.Certificate) { throw [System.ArgumentException]::new('-Certificate is null.') }
            return $Bound.Certificate
        }
        'CertificatePath' {
            $full = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Bound.CertificatePath)
            return Read-MgRsCertificateFile -Path $full -Password $Bound['CertificatePassword']
        }
        'CertificateThumbprint' {
            $thumb = ($Bound.CertificateThumbprint -replace '[\s:]', '').ToUpperInvariant()
            if ($thumb -notmatch '^[0-9A-F]{40}$') {
                throw [System.ArgumentException]::new("CertificateThumbprint: '$($Bound.CertificateThumbprint)' is not a thumbprint: one is 40 hexadecimal characters (the SHA-1 of the certificate).")
            }
            $cert = Find-MgRsStoreCertificate -Thumbprint $thumb
            if (-not $cert) { throw [System.ArgumentException]::new("CertificateThumbprint: no certificate with thumbprint $thumb is in the CurrentUser\My or LocalMachine\My store.") }
            return $cert
        }
        'CertificateSubjectName' {
            $cert = Find-MgRsStoreCertificate -SubjectName $Bound.CertificateSubjectName
            if (-not $cert) { throw [System.ArgumentException]::new("CertificateSubjectName: no certificate with subject '$($Bound.CertificateSubjectName)' is in the CurrentUser\My or LocalMachine\My store.") }
            return $cert
        }
    }
}

# Checks a certificate and adds it (DER) and its key (PKCS#8, as a secret) to a sign-in request.
function Add-MgRsCertificateToRequest {
    param(
        [Parameter(Mandatory)][System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
        [Parameter(Mandatory)][System.Collections.IDictionary] $Request,
        [Parameter(Mandatory)][System.Collections.IDictionary] $Secrets
    )
    $now = [datetime]::Now
    if ($Certificate.NotAfter -lt $now) {
        throw [System.ArgumentException]::new("The certificate $($Certificate.Thumbprint) expired on $($Certificate.NotAfter.ToString('u')). Use a current certificate.")
    }
    if ($Certificate.NotBefore -gt $now) {
        throw [System.ArgumentException]::new("The certificate $($Certificate.Thumbprint) is not valid before $($Certificate.NotBefore.ToString('u')).")
    }
    $Secrets['PrivateKey'] = Get-MgRsCertificateKey -Certificate $Certificate
    $Request['Certificate'] = [System.Convert]::ToBase64String($Certificate.RawData)
    Write-Verbose "Signing in with certificate $($Certificate.Thumbprint) ($($Certificate.Subject))."
}
