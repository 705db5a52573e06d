//! What the login emulator knows: tenants, registered apps (secrets, certificates, app roles),
//! managed identities, pending device codes, issued authorization codes and refresh tokens, and a
//! log of login requests. Lives beside the Graph store in `AppState::login`.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use parking_lot::Mutex;
use serde::Serialize;
use serde_json::{json, Value};

use crate::auth::{DEFAULT_CLIENT_APP_ID, DEFAULT_TENANT_ID};

/// The public client the official module signs users in with; registered by default.
pub const GRAPH_CLI_APP_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
pub const DEFAULT_DOMAIN: &str = "contoso.example";
pub const DEFAULT_SIGN_IN_USER: &str = "admin@contoso.example";
pub const DEFAULT_IDENTITY_HEADER: &str = "emulator-identity-header";

#[derive(Clone, Debug)]
pub struct Tenant {
    pub id: String,
    pub domain: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Certificate {
    pub der: Vec<u8>,
    /// SHA-1 of the DER (what `x5t` carries).
    pub sha1: Vec<u8>,
    /// RSAPublicKey DER, as ring verifies with.
    pub rsa_public_key: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct App {
    pub app_id: String,
    pub display_name: String,
    /// `None`: usable from any tenant (multi-tenant).
    pub tenant_id: Option<String>,
    pub secrets: Vec<String>,
    pub certificates: Vec<Certificate>,
    /// Application permissions (`roles` of app-only tokens).
    pub roles: Vec<String>,
    /// What `.default` means for delegated sign-in.
    pub delegated_permissions: Vec<String>,
    pub token_lifetime_seconds: i64,
    pub tokens_issued: u64,
}

impl App {
    pub fn new(app_id: &str, display_name: &str) -> App {
        App {
            app_id: app_id.into(),
            display_name: display_name.into(),
            tenant_id: None,
            secrets: Vec::new(),
            certificates: Vec::new(),
            roles: Vec::new(),
            delegated_permissions: Vec::new(),
            token_lifetime_seconds: 3600,
            tokens_issued: 0,
        }
    }

    /// The control API's view: never the secrets themselves.
    pub fn view(&self) -> Value {
        json!({
            "appId": self.app_id,
            "displayName": self.display_name,
            "tenantId": self.tenant_id,
            "secretCount": self.secrets.len(),
            "certificateThumbprints": self.certificates.iter()
                .map(|c| c.sha1.iter().map(|b| format!("{b:02X}")).collect::<String>())
                .collect::<Vec<_>>(),
            "roles": self.roles,
            "delegatedPermissions": self.delegated_permissions,
            "tokenLifetimeSeconds": self.token_lifetime_seconds,
            "tokensIssued": self.tokens_issued,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub client_id: String,
    pub system_assigned: bool,
    pub tenant_id: String,
    pub roles: Vec<String>,
    pub tokens_issued: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceStatus {
    Pending,
    Approved,
    Declined,
    Expired,
}

#[derive(Clone, Debug)]
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub client_id: String,
    pub tenant_id: String,
    pub scopes: Vec<String>,
    pub status: DeviceStatus,
    pub user: Option<String>,
    pub expires_at: i64,
}

#[derive(Clone, Debug)]
pub struct AuthCode {
    pub client_id: String,
    pub tenant_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub scopes: Vec<String>,
    pub user: String,
    pub expires_at: i64,
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub client_id: String,
    pub tenant_id: String,
    pub scopes: Vec<String>,
    pub user: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginLogEntry {
    pub seq: u64,
    pub endpoint: String,
    pub tenant: String,
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub status: u16,
    pub error: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub device_code_interval: u64,
    pub device_code_expires_in: i64,
    pub identity_header: String,
    pub sign_in_user: String,
    /// `false` makes /authorize redirect with `access_denied` (the user declined).
    pub consent: bool,
    /// Device codes start out approved by `sign_in_user` (for tests that cannot approve from outside).
    pub auto_approve_device_codes: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            device_code_interval: 5,
            device_code_expires_in: 900,
            identity_header: DEFAULT_IDENTITY_HEADER.into(),
            sign_in_user: DEFAULT_SIGN_IN_USER.into(),
            consent: true,
            auto_approve_device_codes: false,
        }
    }
}

#[derive(Debug)]
pub struct Login {
    pub tenants: Vec<Tenant>,
    pub apps: Vec<App>,
    pub identities: Vec<Identity>,
    pub device_codes: Vec<DeviceCode>,
    pub auth_codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, Grant>,
    /// Object ids of users signed in who were not seeded through `/_emulator/users`.
    pub user_ids: HashMap<String, String>,
    pub settings: Settings,
    /// Graph refuses tokens issued before this unix second (`POST /_emulator/tokens/revoke`).
    pub revoked_before: i64,
    pub log: Vec<LogEntryInput>,
    pub next_seq: u64,
    /// Every token, refresh token, device code and authorization code handed out, so tests can
    /// check that none of them leaks into output (`GET /_emulator/issued-secrets`).
    pub issued: Vec<String>,
}

/// Alias kept short for the log vector.
pub type LogEntryInput = LoginLogEntry;

impl Default for Login {
    fn default() -> Self {
        let mut cli = App::new(GRAPH_CLI_APP_ID, "Microsoft Graph Command Line Tools");
        cli.delegated_permissions = vec!["User.Read".into()];
        let mut default_app = App::new(DEFAULT_CLIENT_APP_ID, "Emulator default app");
        default_app.delegated_permissions = vec!["User.Read".into()];
        Login {
            tenants: vec![Tenant {
                id: DEFAULT_TENANT_ID.into(),
                domain: Some(DEFAULT_DOMAIN.into()),
            }],
            apps: vec![cli, default_app],
            identities: Vec::new(),
            device_codes: Vec::new(),
            auth_codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            user_ids: HashMap::new(),
            settings: Settings::default(),
            revoked_before: 0,
            log: Vec::new(),
            next_seq: 1,
            issued: Vec::new(),
        }
    }
}

impl Login {
    /// A tenant by id or domain, case-insensitively.
    pub fn tenant(&self, key: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| {
            t.id.eq_ignore_ascii_case(key)
                || t.domain
                    .as_deref()
                    .is_some_and(|d| d.eq_ignore_ascii_case(key))
        })
    }

    pub fn app_mut(&mut self, app_id: &str, tenant_id: &str) -> Option<&mut App> {
        self.apps.iter_mut().find(|a| {
            a.app_id.eq_ignore_ascii_case(app_id)
                && a.tenant_id
                    .as_deref()
                    .is_none_or(|t| t.eq_ignore_ascii_case(tenant_id))
        })
    }

    pub fn log(&mut self, mut entry: LoginLogEntry) {
        entry.seq = self.next_seq;
        self.next_seq += 1;
        self.log.push(entry);
    }
}

/// Shared login state.
#[derive(Default)]
pub struct LoginState {
    pub inner: Mutex<Login>,
}

impl LoginState {
    pub fn reset(&self) {
        *self.inner.lock() = Login::default();
    }

    /// True when Graph must refuse a token issued at `iat` (a revocation event).
    pub fn is_revoked(&self, iat: Option<i64>) -> bool {
        let before = self.inner.lock().revoked_before;
        before > 0 && iat.is_none_or(|i| i < before)
    }
}

// ---- certificates ------------------------------------------------------------------------

/// One DER TLV: (tag, content, rest). Long-form lengths up to 4 bytes.
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The RSAPublicKey inside an X.509 certificate's subjectPublicKeyInfo.
pub fn rsa_public_key(cert_der: &[u8]) -> Option<Vec<u8>> {
    let (0x30, cert, _) = tlv(cert_der)? else {
        return None;
    };
    let (0x30, tbs, _) = tlv(cert)? else {
        return None;
    };
    let mut rest = tbs;
    let (tag, _, r) = tlv(rest)?;
    if tag == 0xa0 {
        rest = r; // explicit version
    }
    // serial, signature algorithm, issuer, validity, subject
    for _ in 0..5 {
        rest = tlv(rest)?.2;
    }
    let (0x30, spki, _) = tlv(rest)? else {
        return None;
    };
    let (0x30, _alg, after_alg) = tlv(spki)? else {
        return None;
    };
    let (0x03, bits, _) = tlv(after_alg)? else {
        return None;
    };
    let (&unused, key) = bits.split_first()?;
    (unused == 0).then(|| key.to_vec())
}

/// Accepts a PEM certificate or base64 DER.
pub fn parse_certificate(text: &str) -> Result<Certificate, String> {
    let body: String = if text.contains("-----BEGIN") {
        text.lines()
            .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
            .skip(1)
            .take_while(|l| !l.starts_with("-----END"))
            .collect()
    } else {
        text.split_whitespace().collect()
    };
    let der = STANDARD
        .decode(body.trim())
        .map_err(|_| "certificate is neither PEM nor base64 DER".to_string())?;
    let rsa_public_key =
        rsa_public_key(&der).ok_or("certificate has no RSA public key the emulator can read")?;
    let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &der)
        .as_ref()
        .to_vec();
    Ok(Certificate {
        der,
        sha1,
        rsa_public_key,
    })
}
