//! The process-wide connection: the access token (kept only here, zeroized on drop), the
//! environment it belongs to, and the context derived from the token's claims.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use once_cell::sync::Lazy;
use parking_lot::RwLock;
use serde::Serialize;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::auth::Renewer;
use crate::envelope::MgError;
use crate::environments::{Environment, Registry};

/// What `Get-MgContext` shows. Never the token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    #[serde(rename = "ClientId")]
    pub client_id: Option<String>,
    #[serde(rename = "TenantId")]
    pub tenant_id: Option<String>,
    #[serde(rename = "Scopes")]
    pub scopes: Vec<String>,
    #[serde(rename = "AuthType")]
    pub auth_type: String,
    #[serde(rename = "TokenCredentialType")]
    pub token_credential_type: String,
    #[serde(rename = "CertificateThumbprint")]
    pub certificate_thumbprint: Option<String>,
    #[serde(rename = "Account")]
    pub account: Option<String>,
    #[serde(rename = "AppName")]
    pub app_name: Option<String>,
    #[serde(rename = "ContextScope")]
    pub context_scope: String,
    #[serde(rename = "Environment")]
    pub environment: String,
    #[serde(rename = "ClientTimeout")]
    pub client_timeout: String,
}

impl Context {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Numbers each connection made in this process, so a request can tell whether the connection it
/// started with is still the current one.
static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

/// A live connection.
pub struct Session {
    /// Never reused: a later Connect-MgGraph, even to the same environment, is another connection.
    id: u64,
    token: Zeroizing<String>,
    pub environment: Environment,
    pub context: Context,
    pub expires_at: Option<DateTime<Utc>>,
    /// Signed-in connections renew their own tokens; a user-provided token has none.
    pub renewer: Option<Arc<Renewer>>,
    /// `ClientTimeout`: the limit for each HTTP request.
    pub timeout: Duration,
}

/// One connection as a request sees it for its whole life, retries and renewal included: where
/// it goes and the credential that goes there. A request never moves to another connection.
#[derive(Clone)]
pub struct Credentials {
    /// The access token; empty in a snapshot of a signed-in connection until `auth::bearer` fills it.
    pub token: Zeroizing<String>,
    pub graph_endpoint: String,
    pub tenant_id: String,
    pub expires_at: Option<DateTime<Utc>>,
    /// A signed-in connection's token source: a 401 from Graph may be answered by renewing once.
    pub renewer: Option<Arc<Renewer>>,
    /// Which connection this is (see [`Store::still_current`]).
    pub connection: u64,
    pub timeout: Duration,
}

impl Credentials {
    pub fn renewable(&self) -> bool {
        self.renewer.is_some()
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("token", &"<redacted>")
            .field("graph_endpoint", &self.graph_endpoint)
            .field("expires_at", &self.expires_at)
            .field("connection", &self.connection)
            .finish()
    }
}

/// Decodes a JWT's payload without verifying anything: only to fill the context.
pub fn decode_claims(token: &str) -> Option<Map<String, Value>> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || parts[0].is_empty() || parts[1].is_empty() {
        return None;
    }
    let payload = parts[1];
    let bytes = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(payload)
            .or_else(|_| URL_SAFE.decode(payload))
            .ok()?,
    );
    match serde_json::from_slice::<Value>(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

pub(crate) fn claim_str(claims: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match claims.get(*n) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    })
}

fn claim_exp(claims: &Map<String, Value>) -> Option<DateTime<Utc>> {
    let secs = match claims.get("exp")? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?,
        Value::String(s) => s.trim().parse::<i64>().ok()?,
        _ => return None,
    };
    Utc.timestamp_opt(secs, 0).single()
}

pub(crate) fn scopes(claims: &Map<String, Value>) -> Vec<String> {
    if let Some(Value::String(scp)) = claims.get("scp") {
        return scp.split_whitespace().map(str::to_string).collect();
    }
    match claims.get("roles") {
        Some(Value::Array(roles)) => roles
            .iter()
            .filter_map(|r| r.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(r)) => r.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Cleans the token text: trims, drops a `Bearer ` prefix, and refuses empty or unsendable tokens.
fn clean_token(raw: &str) -> Result<Zeroizing<String>, MgError> {
    let mut t = raw.trim();
    if t.len() > 7 && t[..7].eq_ignore_ascii_case("bearer ") {
        t = t[7..].trim_start();
    }
    if t.is_empty() {
        return Err(MgError::invalid(
            "InvalidAccessToken",
            "AccessToken",
            "AccessToken is empty. Pass the access token as a SecureString.",
        ));
    }
    if !t.chars().all(|c| c.is_ascii_graphic()) {
        return Err(MgError::invalid(
            "InvalidAccessToken",
            "AccessToken",
            "AccessToken contains spaces, line breaks or non-ASCII characters, so it cannot be an access token.",
        ));
    }
    Ok(Zeroizing::new(t.to_string()))
}

/// Holds at most one connection.
#[derive(Default)]
pub struct Store {
    current: RwLock<Option<Session>>,
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// `connect.access_token`: keeps the token and returns the derived context.
    pub fn connect_access_token(
        &self,
        registry: &Registry,
        raw_token: &str,
        environment: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Context, MgError> {
        let env_name = environment
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or("Global");
        let environment = registry.find(env_name).ok_or_else(|| {
            MgError::invalid(
                "InvalidEnvironment",
                "Environment",
                format!("Environment: there is no environment named '{env_name}'. Run Get-MgEnvironment to list them, or add one with Add-MgEnvironment."),
            )
        })?;
        let token = clean_token(raw_token)?;
        crate::redact::hold(&token);
        let claims = decode_claims(&token).unwrap_or_default();
        let expires_at = claim_exp(&claims);
        if let Some(exp) = expires_at {
            if exp <= now {
                return Err(expired(exp));
            }
        }
        let context = Context {
            client_id: claim_str(&claims, &["appid", "azp"]),
            tenant_id: claim_str(&claims, &["tid"]),
            scopes: scopes(&claims),
            auth_type: "UserProvidedAccessToken".into(),
            token_credential_type: "UserProvidedAccessToken".into(),
            certificate_thumbprint: None,
            account: claim_str(&claims, &["upn", "unique_name", "preferred_username"]),
            app_name: claim_str(&claims, &["app_displayname"]),
            context_scope: "Process".into(),
            environment: environment.name.clone(),
            client_timeout: "00:05:00".into(),
        };
        *self.current.write() = Some(Session {
            id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
            token,
            environment,
            context: context.clone(),
            expires_at,
            renewer: None,
            timeout: crate::auth::DEFAULT_TIMEOUT,
        });
        Ok(context)
    }

    /// Installs a signed-in connection whose tokens come from `renewer`.
    pub fn connect_renewable(
        &self,
        environment: Environment,
        context: Context,
        renewer: Arc<Renewer>,
        timeout: Duration,
    ) {
        *self.current.write() = Some(Session {
            id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
            token: Zeroizing::new(String::new()),
            environment,
            context,
            expires_at: None,
            renewer: Some(renewer),
            timeout,
        });
    }

    /// `-ClientTimeout` for the current connection.
    pub fn set_client_timeout(&self, timeout: Duration) {
        if let Some(s) = self.current.write().as_mut() {
            s.timeout = timeout;
            s.context.client_timeout = crate::auth::timespan_text(timeout);
        }
    }

    pub fn context(&self) -> Option<Context> {
        self.current.read().as_ref().map(|s| s.context.clone())
    }

    /// Drops the connection (the token is zeroized) and returns its context.
    pub fn disconnect(&self) -> Option<Context> {
        self.current.write().take().map(|s| s.context)
    }

    /// A snapshot of the current connection for a request, or `not_connected` / `expired_token`.
    /// A signed-in connection's token is not in it: `auth::bearer` gets it from the renewer.
    pub fn credentials(&self, now: DateTime<Utc>) -> Result<Credentials, MgError> {
        let guard = self.current.read();
        let session = guard.as_ref().ok_or(MgError::NotConnected)?;
        if let Some(exp) = session.expires_at {
            if exp <= now {
                return Err(expired(exp));
            }
        }
        Ok(Credentials {
            token: session.token.clone(),
            graph_endpoint: session.environment.graph_endpoint.clone(),
            tenant_id: session.context.tenant_id.clone().unwrap_or_default(),
            expires_at: session.expires_at,
            renewer: session.renewer.clone(),
            connection: session.id,
            timeout: session.timeout,
        })
    }

    /// `Ok` while the connection `creds` was taken from is still the current one; else the error
    /// that ends a request rather than send it again with the connection it no longer has.
    pub fn still_current(&self, creds: &Credentials) -> Result<(), MgError> {
        let what = match self.current.read().as_ref() {
            Some(s) if s.id == creds.connection => return Ok(()),
            Some(_) => "was replaced by another Connect-MgGraph",
            None => "was closed by Disconnect-MgGraph",
        };
        Err(MgError::ConnectionChanged(format!(
            "The connection this request started with {what} (in this or another runspace) while the request was under way, so it was not sent again: a request never moves to another connection or takes its token. Run the command again for this user."
        )))
    }
}

fn expired(exp: DateTime<Utc>) -> MgError {
    MgError::ExpiredToken(format!(
        "The access token expired at {}. A user-provided access token cannot be renewed: get a new token and run Connect-MgGraph -AccessToken again.",
        exp.format("%Y-%m-%d %H:%M:%S UTC")
    ))
}

/// The process-wide connection.
pub static STORE: Lazy<Store> = Lazy::new(Store::new);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwt(claims: Value) -> String {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let p = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("{h}.{p}.sig")
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 12, 0, 0).unwrap()
    }

    #[test]
    fn jwt_claims_fill_the_context() {
        let store = Store::new();
        let reg = Registry::new();
        let token = jwt(json!({
            "appid": "app-1", "tid": "tenant-1", "scp": "User.Read  UserAuthenticationMethod.ReadWrite.All",
            "upn": "admin@contoso.com", "app_displayname": "My App",
            "exp": now().timestamp() + 3600
        }));
        let ctx = store
            .connect_access_token(&reg, &token, Some("usgov"), now())
            .unwrap();
        assert_eq!(ctx.client_id.as_deref(), Some("app-1"));
        assert_eq!(ctx.tenant_id.as_deref(), Some("tenant-1"));
        assert_eq!(
            ctx.scopes,
            ["User.Read", "UserAuthenticationMethod.ReadWrite.All"]
        );
        assert_eq!(ctx.account.as_deref(), Some("admin@contoso.com"));
        assert_eq!(ctx.app_name.as_deref(), Some("My App"));
        assert_eq!(ctx.environment, "USGov");
        let v = ctx.to_json();
        assert_eq!(v["AuthType"], "UserProvidedAccessToken");
        assert_eq!(v["TokenCredentialType"], "UserProvidedAccessToken");
        assert_eq!(v["ContextScope"], "Process");
        assert_eq!(v["ClientTimeout"], "00:05:00");
        assert!(v["CertificateThumbprint"].is_null());
        assert!(!v.to_string().contains(&token));
        let creds = store.credentials(now()).unwrap();
        assert_eq!(creds.graph_endpoint, "https://graph.microsoft.us");
        assert_eq!(creds.token.as_str(), token);
    }

    #[test]
    fn app_only_tokens_use_roles_and_azp() {
        let store = Store::new();
        let token = jwt(json!({"azp": "a", "roles": ["R1", "R2"], "preferred_username": "p@x"}));
        let ctx = store
            .connect_access_token(&Registry::new(), &token, None, now())
            .unwrap();
        assert_eq!(ctx.client_id.as_deref(), Some("a"));
        assert_eq!(ctx.scopes, ["R1", "R2"]);
        assert_eq!(ctx.account.as_deref(), Some("p@x"));
        assert_eq!(ctx.environment, "Global");
    }

    #[test]
    fn expired_token_is_refused() {
        let store = Store::new();
        let token = jwt(json!({"exp": now().timestamp() - 1}));
        let e = store
            .connect_access_token(&Registry::new(), &token, None, now())
            .unwrap_err();
        assert_eq!(e.kind(), "expired_token");
        let msg = e.to_string();
        assert!(
            msg.contains("expired") && msg.contains("cannot be renewed"),
            "{msg}"
        );
        assert!(store.context().is_none());
    }

    #[test]
    fn token_that_expires_later_fails_at_send_time() {
        let store = Store::new();
        let token = jwt(json!({"exp": now().timestamp() + 10}));
        store
            .connect_access_token(&Registry::new(), &token, None, now())
            .unwrap();
        assert!(store.credentials(now()).is_ok());
        let later = now() + chrono::Duration::seconds(11);
        assert_eq!(
            store.credentials(later).unwrap_err().kind(),
            "expired_token"
        );
    }

    #[test]
    fn opaque_and_bad_tokens() {
        let store = Store::new();
        let reg = Registry::new();
        let ctx = store
            .connect_access_token(&reg, "Bearer opaque-token", None, now())
            .unwrap();
        assert!(ctx.client_id.is_none() && ctx.scopes.is_empty());
        assert_eq!(
            store.credentials(now()).unwrap().token.as_str(),
            "opaque-token"
        );
        for bad in ["", "   ", "abc def", "abc\r\nX: y"] {
            let e = store
                .connect_access_token(&reg, bad, None, now())
                .unwrap_err();
            assert_eq!(e.kind(), "invalid_argument", "{bad:?}");
            if !bad.trim().is_empty() {
                assert!(!e.to_string().contains(bad));
            }
        }
        let e = store
            .connect_access_token(&reg, "t", Some("Nowhere"), now())
            .unwrap_err();
        assert!(e.to_string().contains("Nowhere"));
    }

    #[test]
    fn disconnect_returns_the_context_once() {
        let store = Store::new();
        assert!(store.disconnect().is_none());
        assert_eq!(store.credentials(now()).unwrap_err(), MgError::NotConnected);
        store
            .connect_access_token(&Registry::new(), "tok", None, now())
            .unwrap();
        assert!(store.disconnect().is_some());
        assert!(store.disconnect().is_none());
        assert!(store.context().is_none());
    }

    #[test]
    fn claims_decoding_edge_cases() {
        assert!(decode_claims("a.b").is_none());
        assert!(decode_claims("a.!!!.c").is_none());
        let padded = format!("x.{}.y", URL_SAFE.encode(br#"{"tid":"t"}"#));
        assert_eq!(decode_claims(&padded).unwrap()["tid"], "t");
        // An unsigned JWT has an empty third part.
        let unsigned = format!("x.{}.", URL_SAFE_NO_PAD.encode(br#"{"tid":"t"}"#));
        assert!(decode_claims(&unsigned).is_some());
    }
}
