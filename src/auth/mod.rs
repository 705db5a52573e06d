//! Sign-in and token life. `connect` runs one of the sign-in flows as a job and installs a
//! renewable session; [`bearer`] is what `send` calls for the current token, renewing it ahead of
//! expiry (or after Graph answered 401) on the runtime's threads. Everything renewal needs (a
//! client secret, a private key, a refresh token) is held here in zeroizing memory and never
//! goes back to PowerShell.

pub mod assertion;
pub mod auth_code;
pub mod client_credentials;
pub mod device_code;
pub mod managed_identity;
pub mod oauth;
pub mod persistence;
pub mod token_cache;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::envelope::MgError;
use crate::environments::{Environment, REGISTRY};
use crate::log_queue;
use crate::session::{self, Context, Credentials, Store};
use assertion::CertificateKey;
use oauth::{CallError, TokenResponse};
use token_cache::CachedToken;

/// The public client the official module signs users in with (Microsoft Graph Command Line Tools).
pub const DEFAULT_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
/// Default `ClientTimeout`: 300 s, as the official module.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Where to sign in: the environment's AzureADEndpoint and a tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct Authority {
    pub aad: String,
    pub tenant: String,
}

impl Authority {
    /// `{aad}/{tenant}/oauth2/v2.0/{name}`.
    pub fn endpoint(&self, name: &str) -> String {
        let tenant: String = url::form_urlencoded::byte_serialize(self.tenant.as_bytes()).collect();
        format!(
            "{}/{tenant}/oauth2/v2.0/{name}",
            self.aad.trim_end_matches('/')
        )
    }
}

/// The ways to sign in; the names are the context's `TokenCredentialType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    ClientSecret,
    ClientCertificate,
    ManagedIdentity,
    DeviceCode,
    InteractiveBrowser,
}

impl Flow {
    fn parse(s: &str) -> Option<Flow> {
        Some(match s {
            "ClientSecret" => Flow::ClientSecret,
            "ClientCertificate" => Flow::ClientCertificate,
            "ManagedIdentity" => Flow::ManagedIdentity,
            "DeviceCode" => Flow::DeviceCode,
            "InteractiveBrowser" => Flow::InteractiveBrowser,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Flow::ClientSecret => "ClientSecret",
            Flow::ClientCertificate => "ClientCertificate",
            Flow::ManagedIdentity => "ManagedIdentity",
            Flow::DeviceCode => "DeviceCode",
            Flow::InteractiveBrowser => "InteractiveBrowser",
        }
    }

    fn delegated(self) -> bool {
        matches!(self, Flow::DeviceCode | Flow::InteractiveBrowser)
    }
}

/// What renewal needs.
enum Grant {
    ClientSecret(Zeroizing<String>),
    Certificate(CertificateKey),
    ManagedIdentity(managed_identity::Endpoint),
    Refresh(Zeroizing<String>),
    /// A delegated sign-in that returned no refresh token: cannot be renewed.
    Nothing,
}

struct State {
    grant: Grant,
    cached: Option<CachedToken>,
    /// CurrentUser: the saved session to keep in step when the refresh token rotates.
    saved: Option<(PathBuf, persistence::Record)>,
}

/// A connection's token source.
pub struct Renewer {
    authority: Authority,
    client_id: Option<String>,
    /// `scope` of token requests (`{graph}/.default` for app-only, the user's scopes otherwise).
    scope: String,
    /// `resource` of managed identity requests: the Graph endpoint.
    resource: String,
    timeout: Duration,
    state: tokio::sync::Mutex<State>,
}

impl Renewer {
    async fn acquire(&self, state: &mut State) -> Result<TokenResponse, MgError> {
        let client_id = self.client_id.as_deref().unwrap_or_default();
        match &state.grant {
            Grant::ClientSecret(secret) => {
                client_credentials::with_secret(&self.authority, client_id, secret, &self.scope, self.timeout).await
            }
            Grant::Certificate(cert) => {
                client_credentials::with_certificate(&self.authority, client_id, cert, &self.scope, self.timeout).await
            }
            Grant::ManagedIdentity(endpoint) => {
                managed_identity::acquire(endpoint, &self.resource, self.client_id.as_deref(), self.timeout).await
            }
            Grant::Refresh(refresh_token) => {
                let resp = client_credentials::refresh(&self.authority, client_id, refresh_token, &self.scope, self.timeout)
                    .await
                    .map_err(|e| match e {
                        CallError::OAuth(o) => MgError::Authentication(format!(
                            "The session could not be renewed: {} ({}). Run Connect-MgGraph again to sign in.",
                            o.description.trim_end_matches('.'),
                            o.error
                        )),
                        CallError::Other(m) => m,
                    })?;
                if let Some(new) = &resp.refresh_token {
                    state.grant = Grant::Refresh(new.clone());
                    if let Some((dir, record)) = &mut state.saved {
                        record.refresh_token = new.to_string();
                        record.saved_at = Utc::now().to_rfc3339();
                        if let Err(e) = persistence::save(dir, record) {
                            log_queue::warning(e.to_string());
                        }
                    }
                }
                Ok(resp)
            }
            Grant::Nothing => Err(MgError::Authentication(
                "The access token expired and this sign-in gave no refresh token to renew it with. Run Connect-MgGraph again.".into(),
            )),
        }
    }

    /// The current token, renewed first when it is close to expiry or when Graph refused
    /// `rejected` (unless another request has renewed it meanwhile).
    pub async fn token(&self, rejected: Option<&str>) -> Result<Zeroizing<String>, MgError> {
        let mut state = self.state.lock().await;
        let now = Utc::now();
        if let Some(c) = &state.cached {
            let refused = rejected.is_some_and(|r| r == c.token.as_str());
            if !refused && !c.needs_renewal(now) {
                return Ok(c.token.clone());
            }
            log_queue::verbose(if refused {
                "Microsoft Graph refused the access token (401): getting a new one and sending again.".to_string()
            } else {
                format!(
                    "The access token expires at {}: renewing it.",
                    c.expires_at.format("%H:%M:%S UTC")
                )
            });
        }
        let resp = self.acquire(&mut state).await?;
        let cached = CachedToken::from_response(&resp, Utc::now());
        log_queue::verbose(format!(
            "Got a new access token, valid until {}.",
            cached.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
        ));
        let token = cached.token.clone();
        state.cached = Some(cached);
        Ok(token)
    }
}

/// What `send` starts with: a snapshot of the current connection with its token, renewed first
/// when close to expiry.
pub async fn bearer(store: &Store) -> Result<Credentials, MgError> {
    let mut creds = store.credentials(Utc::now())?;
    if let Some(renewer) = creds.renewer.clone() {
        creds.token = renewer.token(None).await?;
    }
    Ok(creds)
}

/// After Graph answered 401 to `creds.token`: that same connection's token, renewed, as long as
/// the connection is still the current one (before and after renewing); a replaced or closed
/// connection ends the request instead.
pub async fn renew(store: &Store, creds: &Credentials) -> Result<Credentials, MgError> {
    store.still_current(creds)?;
    let Some(renewer) = &creds.renewer else {
        return Err(MgError::Internal(
            "A user-provided access token cannot be renewed.".into(),
        ));
    };
    let token = renewer.token(Some(creds.token.as_str())).await?;
    store.still_current(creds)?;
    Ok(Credentials {
        token,
        ..creds.clone()
    })
}

// ---- connect ----------------------------------------------------------------------------

fn field<'a>(input: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    input
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn secret_bytes(
    input: &Map<String, Value>,
    name: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>, MgError> {
    match field(input, name) {
        None => Ok(None),
        Some(b64) => STANDARD
            .decode(b64)
            .map(|v| Some(Zeroizing::new(v)))
            .map_err(|_| MgError::Internal(format!("{name} was not passed as base64."))),
    }
}

pub(crate) fn secret_text(
    input: &Map<String, Value>,
    name: &str,
) -> Result<Option<Zeroizing<String>>, MgError> {
    Ok(match secret_bytes(input, name)? {
        None => None,
        Some(bytes) => {
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                MgError::invalid("InvalidSecret", name, format!("{name} is not valid text."))
            })?;
            // A client secret or identity header is masked by value wherever it shows up.
            crate::redact::hold(text);
            Some(Zeroizing::new(text.to_string()))
        }
    })
}

/// `hh:mm:ss[.fffffff]` (with `d.` for a day or more), as .NET's TimeSpan prints.
pub fn timespan_text(d: Duration) -> String {
    let total = d.as_secs();
    let (days, h, m, s) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );
    let ticks = d.subsec_nanos() / 100;
    let mut out = if days > 0 {
        format!("{days}.{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    };
    if ticks > 0 {
        out.push_str(&format!(".{ticks:07}"));
    }
    out
}

/// Reads `ClientTimeout` (seconds). Absent means 300 s.
pub fn parse_timeout(input: &Map<String, Value>) -> Result<Duration, MgError> {
    match input.get("ClientTimeout") {
        None | Some(Value::Null) => Ok(DEFAULT_TIMEOUT),
        Some(v) => {
            let secs = v.as_f64().unwrap_or(f64::NAN);
            if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 {
                Ok(Duration::from_secs_f64(secs))
            } else {
                Err(MgError::invalid(
                    "InvalidClientTimeout",
                    "ClientTimeout",
                    "ClientTimeout must be a number of seconds greater than 0 and at most 86400.",
                ))
            }
        }
    }
}

fn scopes_of(input: &Map<String, Value>) -> Vec<String> {
    // As the official module: entries may themselves hold comma-separated scopes.
    match input.get("Scopes") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|s| s.split([',', ' ']))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The context from the token's claims and the flow; the caller fills in thumbprint, scope,
/// environment and timeout.
fn build_context(
    token: &str,
    flow: Flow,
    credential_type: &str,
    client_id: Option<&str>,
    tenant: Option<&str>,
) -> Context {
    let claims = session::decode_claims(token).unwrap_or_default();
    let auth_type = match flow {
        Flow::DeviceCode | Flow::InteractiveBrowser => "Delegated",
        Flow::ManagedIdentity => "ManagedIdentity",
        _ => "AppOnly",
    };
    Context {
        client_id: client_id
            .map(str::to_string)
            .or_else(|| session::claim_str(&claims, &["appid", "azp"])),
        tenant_id: session::claim_str(&claims, &["tid"]).or(tenant.map(str::to_string)),
        scopes: session::scopes(&claims),
        auth_type: auth_type.into(),
        token_credential_type: credential_type.into(),
        certificate_thumbprint: None,
        account: session::claim_str(&claims, &["upn", "unique_name", "preferred_username"]),
        app_name: session::claim_str(&claims, &["app_displayname"]),
        context_scope: String::new(),
        environment: String::new(),
        client_timeout: String::new(),
    }
}

/// Runs `connect` against the process-wide connection.
pub async fn connect(input: &Map<String, Value>) -> Result<Value, MgError> {
    connect_with(&session::STORE, input).await
}

/// The `connect` job: sign in with the requested flow; on success replace the connection.
/// A failure leaves the previous connection as it was.
pub async fn connect_with(store: &Store, input: &Map<String, Value>) -> Result<Value, MgError> {
    let flow = field(input, "flow")
        .and_then(Flow::parse)
        .ok_or_else(|| MgError::invalid("InvalidFlow", "flow", "connect needs a known 'flow'."))?;
    let credential_type = field(input, "tokenCredentialType")
        .unwrap_or(flow.name())
        .to_string();
    let env_name = field(input, "Environment").unwrap_or("Global");
    let environment = REGISTRY.find(env_name).ok_or_else(|| {
        MgError::invalid(
            "InvalidEnvironment",
            "Environment",
            format!("Environment: there is no environment named '{env_name}'. Run Get-MgEnvironment to list them, or add one with Add-MgEnvironment."),
        )
    })?;
    let timeout = parse_timeout(input)?;
    let context_scope = match field(input, "ContextScope").unwrap_or("Process") {
        s if s.eq_ignore_ascii_case("CurrentUser") => "CurrentUser",
        _ => "Process",
    };
    let context_dir = field(input, "ContextDir").map(PathBuf::from);
    let client_id = field(input, "ClientId").map(str::to_string);
    let tenant = field(input, "TenantId").map(str::to_string);
    let graph = environment.graph_endpoint.clone();
    let app_scope = format!("{graph}/.default");

    let require = |value: &Option<String>, name: &str, why: &str| {
        value.clone().ok_or_else(|| {
            MgError::invalid(
                &format!("Missing{name}"),
                name,
                format!("{name} is required {why}."),
            )
        })
    };

    let (grant, first, scope, authority, client_id, thumbprint, saved_type) = match flow {
        Flow::ClientSecret | Flow::ClientCertificate => {
            let why = "for app-only sign-in";
            let tenant = require(&tenant, "TenantId", why)?;
            let client = require(&client_id, "ClientId", why)?;
            let authority = Authority {
                aad: environment.azure_ad_endpoint.clone(),
                tenant,
            };
            let (grant, thumbprint) = if flow == Flow::ClientSecret {
                let secret = secret_text(input, "ClientSecret")?.ok_or_else(|| {
                    MgError::invalid(
                        "MissingClientSecret",
                        "ClientSecretCredential",
                        "The client secret is empty.",
                    )
                })?;
                (Grant::ClientSecret(secret), None)
            } else {
                let der = secret_bytes(input, "Certificate")?.ok_or_else(|| {
                    MgError::invalid(
                        "MissingCertificate",
                        "Certificate",
                        "No certificate was given.",
                    )
                })?;
                let key = secret_bytes(input, "PrivateKey")?.ok_or_else(|| {
                    MgError::invalid(
                        "MissingCertificateKey",
                        "Certificate",
                        "The certificate has no private key.",
                    )
                })?;
                let send_chain = input
                    .get("SendCertificateChain")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let ck = CertificateKey::new(der.to_vec(), key, send_chain)?;
                let thumb = ck.thumbprint.clone();
                (Grant::Certificate(ck), Some(thumb))
            };
            (
                grant,
                None,
                app_scope,
                authority,
                Some(client),
                thumbprint,
                None,
            )
        }
        Flow::ManagedIdentity => {
            let discovery = managed_identity::Discovery {
                identity_endpoint: field(input, "IdentityEndpoint").map(str::to_string),
                identity_header: secret_text(input, "IdentityHeader")?,
                msi_endpoint: field(input, "MsiEndpoint").map(str::to_string),
                msi_secret: secret_text(input, "MsiSecret")?,
            };
            let endpoint = managed_identity::discover(&discovery);
            log_queue::verbose(format!(
                "Managed identity: using the endpoint from {} ({}).",
                endpoint.describe(),
                endpoint.url()
            ));
            let authority = Authority {
                aad: environment.azure_ad_endpoint.clone(),
                tenant: "organizations".into(),
            };
            (
                Grant::ManagedIdentity(endpoint),
                None,
                app_scope,
                authority,
                client_id,
                None,
                None,
            )
        }
        Flow::DeviceCode | Flow::InteractiveBrowser => {
            let client = client_id
                .clone()
                .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_string());
            let requested = scopes_of(input);
            let mut scope_list = if requested.is_empty() {
                vec![app_scope.clone()]
            } else {
                requested.clone()
            };
            for extra in ["openid", "profile", "offline_access"] {
                if !scope_list.iter().any(|s| s.eq_ignore_ascii_case(extra)) {
                    scope_list.push(extra.to_string());
                }
            }
            let scope = scope_list.join(" ");
            let mut authority = Authority {
                aad: environment.azure_ad_endpoint.clone(),
                tenant: tenant.clone().unwrap_or_else(|| "common".into()),
            };
            let mut silent: Option<(TokenResponse, String)> = None;
            if context_scope == "CurrentUser" {
                if let Some(dir) = &context_dir {
                    silent = try_saved_session(
                        dir,
                        &environment,
                        &client,
                        tenant.as_deref(),
                        &requested,
                        &scope,
                        timeout,
                    )
                    .await?;
                }
            }
            let (resp, saved_type) = match silent {
                Some((resp, saved_type)) => (resp, Some(saved_type)),
                None if flow == Flow::DeviceCode => (
                    device_code::sign_in(&authority, &client, &scope, timeout).await?,
                    None,
                ),
                None => {
                    let browser = match field(input, "Browser") {
                        None => auth_code::Browser::System,
                        Some(b) if b.eq_ignore_ascii_case("none") => auth_code::Browser::None,
                        Some(program) => auth_code::Browser::Program(program.to_string()),
                    };
                    (
                        auth_code::sign_in(&authority, &client, &scope, &browser, timeout).await?,
                        None,
                    )
                }
            };
            // Renew against the tenant the user belongs to rather than "common".
            if let Some(tid) = session::decode_claims(&resp.access_token)
                .and_then(|c| session::claim_str(&c, &["tid"]))
            {
                if tenant.is_none() {
                    authority.tenant = tid;
                }
            }
            let grant = match &resp.refresh_token {
                Some(r) => Grant::Refresh(r.clone()),
                None => Grant::Nothing,
            };
            (
                grant,
                Some(resp),
                scope,
                authority,
                Some(client),
                None,
                saved_type,
            )
        }
    };

    let renewer = Renewer {
        authority: authority.clone(),
        client_id: client_id.clone(),
        scope,
        resource: graph.clone(),
        timeout,
        state: tokio::sync::Mutex::new(State {
            grant,
            cached: None,
            saved: None,
        }),
    };
    let first = match first {
        Some(resp) => resp,
        None => {
            let mut state = renewer.state.lock().await;
            renewer.acquire(&mut state).await?
        }
    };
    let cached = CachedToken::from_response(&first, Utc::now());
    let credential_type = saved_type.unwrap_or(credential_type);
    let mut effective_scope = context_scope;
    if context_scope == "CurrentUser" && !flow.delegated() {
        // Nothing of an app-only sign-in is written to disk (see persistence.rs).
        effective_scope = "Process";
    }
    let context = Context {
        certificate_thumbprint: thumbprint,
        context_scope: effective_scope.into(),
        environment: environment.name.clone(),
        client_timeout: timespan_text(timeout),
        ..build_context(
            &cached.token,
            flow,
            &credential_type,
            client_id.as_deref(),
            Some(authority.tenant.as_str()),
        )
    };

    {
        let mut state = renewer.state.lock().await;
        if effective_scope == "CurrentUser" {
            match (&context_dir, &state.grant) {
                (Some(dir), Grant::Refresh(refresh)) => {
                    let record = persistence::Record {
                        version: 1,
                        saved_at: Utc::now().to_rfc3339(),
                        environment_name: environment.name.clone(),
                        azure_ad_endpoint: environment.azure_ad_endpoint.clone(),
                        graph_endpoint: environment.graph_endpoint.clone(),
                        tenant_id: authority.tenant.clone(),
                        client_id: client_id.clone().unwrap_or_default(),
                        account: context.account.clone(),
                        scopes: context.scopes.clone(),
                        token_credential_type: credential_type.clone(),
                        refresh_token: refresh.to_string(),
                    };
                    persistence::save(dir, &record)?;
                    log_queue::verbose(format!(
                        "Saved the session for later PowerShell sessions in '{}' (readable only by you).",
                        persistence::file_in(dir).display()
                    ));
                    state.saved = Some((dir.clone(), record));
                }
                (None, _) => log_queue::warning("ContextScope CurrentUser: no folder to save the session in; it lasts for this process only."),
                _ => log_queue::warning("The sign-in returned no refresh token, so nothing was saved for later sessions."),
            }
        }
        state.cached = Some(cached);
    }
    store.connect_renewable(environment, context.clone(), Arc::new(renewer), timeout);
    Ok(context.to_json())
}

/// CurrentUser: renews the saved session silently when it matches the request. `Ok(None)` means
/// "sign in interactively".
async fn try_saved_session(
    dir: &std::path::Path,
    environment: &Environment,
    client_id: &str,
    tenant: Option<&str>,
    requested: &[String],
    scope: &str,
    timeout: Duration,
) -> Result<Option<(TokenResponse, String)>, MgError> {
    let record = match persistence::load(dir) {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(None),
        Err(e) => {
            log_queue::warning(e.to_string());
            return Ok(None);
        }
    };
    let tenant_matches = match tenant {
        None => true,
        Some(t) => {
            t.eq_ignore_ascii_case(&record.tenant_id)
                || ["common", "organizations"]
                    .iter()
                    .any(|g| t.eq_ignore_ascii_case(g))
        }
    };
    let scopes_covered = requested.iter().all(|s| {
        record
            .scopes
            .iter()
            .any(|have| have.eq_ignore_ascii_case(s))
    });
    if !(record
        .environment_name
        .eq_ignore_ascii_case(&environment.name)
        && record.azure_ad_endpoint == environment.azure_ad_endpoint
        && record.graph_endpoint == environment.graph_endpoint
        && record.client_id.eq_ignore_ascii_case(client_id)
        && tenant_matches
        && scopes_covered)
    {
        log_queue::verbose("The saved session is for another environment, application, tenant or set of scopes: signing in again.");
        return Ok(None);
    }
    let authority = Authority {
        aad: environment.azure_ad_endpoint.clone(),
        tenant: record.tenant_id.clone(),
    };
    let refresh = Zeroizing::new(record.refresh_token.clone());
    match client_credentials::refresh(&authority, client_id, &refresh, scope, timeout).await {
        Ok(resp) => {
            log_queue::verbose(
                "Signed in silently with the saved session (ContextScope CurrentUser).",
            );
            Ok(Some((resp, record.token_credential_type.clone())))
        }
        Err(CallError::OAuth(e)) => {
            log_queue::verbose(format!(
                "The saved session could not be renewed ({}): signing in again.",
                e.error
            ));
            let _ = persistence::delete(dir);
            Ok(None)
        }
        Err(CallError::Other(e)) => Err(e),
    }
}

/// A client-secret connection for tests of `send`: it holds `token` (valid for an hour) and signs
/// in again at `aad` (tenant `t`, client `c`, secret `s`) when asked to renew.
#[cfg(test)]
pub fn test_renewer(aad: &str, token: &str) -> Arc<Renewer> {
    let now = Utc::now();
    Arc::new(Renewer {
        authority: Authority {
            aad: aad.into(),
            tenant: "t".into(),
        },
        client_id: Some("c".into()),
        scope: "https://graph.microsoft.com/.default".into(),
        resource: String::new(),
        timeout: DEFAULT_TIMEOUT,
        state: tokio::sync::Mutex::new(State {
            grant: Grant::ClientSecret(Zeroizing::new("s".into())),
            cached: Some(CachedToken {
                token: Zeroizing::new(token.into()),
                issued_at: now,
                expires_at: now + chrono::Duration::hours(1),
            }),
            saved: None,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_and_timespans() {
        let a = Authority {
            aad: "https://login.microsoftonline.com/".into(),
            tenant: "contoso.onmicrosoft.com".into(),
        };
        assert_eq!(
            a.endpoint("token"),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        let odd = Authority {
            aad: "http://127.0.0.1:1".into(),
            tenant: "a/b?c".into(),
        };
        assert_eq!(
            odd.endpoint("devicecode"),
            "http://127.0.0.1:1/a%2Fb%3Fc/oauth2/v2.0/devicecode"
        );
        assert_eq!(timespan_text(Duration::from_secs(300)), "00:05:00");
        assert_eq!(
            timespan_text(Duration::from_secs_f64(30.5)),
            "00:00:30.5000000"
        );
        assert_eq!(timespan_text(Duration::from_secs(90_061)), "1.01:01:01");
    }

    #[test]
    fn timeouts_and_scopes() {
        let m = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            parse_timeout(&m(serde_json::json!({}))).unwrap(),
            DEFAULT_TIMEOUT
        );
        assert_eq!(
            parse_timeout(&m(serde_json::json!({"ClientTimeout": 12.5}))).unwrap(),
            Duration::from_millis(12_500)
        );
        for bad in [
            serde_json::json!(0),
            serde_json::json!(-1),
            serde_json::json!("x"),
            serde_json::json!(1e9),
        ] {
            assert!(parse_timeout(&m(serde_json::json!({"ClientTimeout": bad}))).is_err());
        }
        assert_eq!(
            scopes_of(&m(
                serde_json::json!({"Scopes": ["User.Read, Mail.Read", " ", "X"]})
            )),
            ["User.Read", "Mail.Read", "X"]
        );
    }
}
