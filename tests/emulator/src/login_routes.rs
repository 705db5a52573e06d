//! The Microsoft identity platform's v2.0 endpoints, under the same base URL as Graph (use it as
//! the environment's AzureADEndpoint):
//!
//! * `POST /{tenant}/oauth2/v2.0/token`: client_credentials (secret or RS256 client assertion),
//!   device_code, authorization_code (PKCE S256), refresh_token
//! * `POST /{tenant}/oauth2/v2.0/devicecode`
//! * `GET  /{tenant}/oauth2/v2.0/authorize`: test-only auto-consent, redirects at once
//! * `GET  /msi/token` (App Service / MSI_ENDPOINT style) and `GET /metadata/identity/oauth2/token`
//!   (instance metadata style): managed identity tokens
//!
//! Errors use the platform's OAuth body: `error`, `error_description` (AADSTS code, text, trace
//! and correlation ids, timestamp), `error_codes`, `timestamp`, `trace_id`, `correlation_id`,
//! `error_uri`. Tokens are the HS256 JWTs the Graph routes accept.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rand::Rng;
use serde_json::{json, Value};

use crate::auth::{self, TokenRequest, GRAPH_APP_ID, GRAPH_AUDIENCE};
use crate::login_state::{AuthCode, DeviceCode, DeviceStatus, Grant, Login, LoginLogEntry};
use crate::state::{new_guid, Shared};

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(devicecode))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize))
        .route("/msi/token", get(managed_identity))
        .route("/metadata/identity/oauth2/token", get(managed_identity))
}

/// An OAuth error as the platform sends it.
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub code: u32,
    pub text: String,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, code: u32, text: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            code,
            text: text.into(),
        }
    }

    fn bad(error: &'static str, code: u32, text: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, code, text)
    }

    fn client(code: u32, text: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", code, text)
    }

    pub fn body(&self) -> Value {
        let trace = new_guid();
        let correlation = new_guid();
        let timestamp = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
        json!({
            "error": self.error,
            "error_description": format!(
                "AADSTS{}: {}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}",
                self.code, self.text
            ),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        })
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut r = (self.status, Json(self.body())).into_response();
        r.headers_mut()
            .insert("cache-control", "no-store, no-cache".parse().unwrap());
        r
    }
}

fn form(body: &Bytes) -> HashMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

fn random_text(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill(&mut buf[..]);
    B64.encode(buf)
}

/// The tenant id for a path segment. `common`/`organizations` only for user sign-in.
fn resolve_tenant(login: &Login, key: &str, delegated: bool) -> Result<String, OAuthError> {
    let general = ["common", "organizations", "consumers"]
        .iter()
        .any(|g| key.eq_ignore_ascii_case(g));
    if general {
        if delegated {
            return Ok(crate::auth::DEFAULT_TENANT_ID.to_string());
        }
        return Err(OAuthError::bad(
            "invalid_request",
            900023,
            format!(
                "Use a tenant-specific endpoint for app-only sign-in; '{key}' names no tenant."
            ),
        ));
    }
    login.tenant(key).map(|t| t.id.clone()).ok_or_else(|| {
        OAuthError::bad(
            "invalid_request",
            90002,
            format!("Tenant '{key}' not found. Check the tenant id and that you are signing in to the right cloud."),
        )
    })
}

fn unknown_app(client_id: &str, tenant: &str) -> OAuthError {
    OAuthError::bad(
        "unauthorized_client",
        700016,
        format!("Application with identifier '{client_id}' was not found in the directory '{tenant}'. The app may not be registered in this tenant."),
    )
}

/// Maps requested scopes to Graph permission names. Returns None for a non-Graph resource.
fn graph_scopes(scopes: &str, base: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for s in scopes.split_whitespace() {
        if OIDC_SCOPES.iter().any(|o| s.eq_ignore_ascii_case(o)) {
            continue;
        }
        let name = match s.rsplit_once('/') {
            Some((resource, name)) => {
                let r = resource.trim_end_matches('/');
                let graph = r.eq_ignore_ascii_case(GRAPH_AUDIENCE)
                    || r.eq_ignore_ascii_case(GRAPH_APP_ID)
                    || r.eq_ignore_ascii_case(base);
                if !graph {
                    return None;
                }
                name
            }
            None => s,
        };
        out.push(name.to_string());
    }
    Some(out)
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

struct Issued {
    body: Value,
}

/// Mints an app-only token for `app_id`.
fn app_token(app: &Shared, login: &mut Login, tenant: &str, app_id: &str) -> Issued {
    let a = login.app_mut(app_id, tenant).expect("app checked before");
    a.tokens_issued += 1;
    let req = TokenRequest {
        roles: (!a.roles.is_empty()).then(|| a.roles.clone()),
        expires_in_seconds: Some(a.token_lifetime_seconds),
        tid: Some(tenant.to_string()),
        appid: Some(a.app_id.clone()),
        app_display_name: Some(a.display_name.clone()),
        ..Default::default()
    };
    let lifetime = a.token_lifetime_seconds;
    let (token, _) = auth::mint(&app.signing_key, &req, &new_guid());
    login.issued.push(token.clone());
    Issued {
        body: json!({"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token}),
    }
}

fn user_oid(app: &Shared, login: &mut Login, upn: &str) -> String {
    {
        let store = app.store.lock();
        if let Some(i) = store.find_user(upn) {
            return store.users[i].id.clone();
        }
    }
    login
        .user_ids
        .entry(upn.to_ascii_lowercase())
        .or_insert_with(new_guid)
        .clone()
}

/// Mints a delegated token (+ a refresh token when `offline_access` was asked for).
fn user_token(app: &Shared, login: &mut Login, grant: &Grant, offline: bool) -> Issued {
    let oid = user_oid(app, login, &grant.user);
    let a = login
        .app_mut(&grant.client_id, &grant.tenant_id)
        .expect("app checked before");
    a.tokens_issued += 1;
    let scopes = grant.scopes.join(" ");
    let req = TokenRequest {
        scp: Some(scopes.clone()),
        expires_in_seconds: Some(a.token_lifetime_seconds),
        tid: Some(grant.tenant_id.clone()),
        appid: Some(a.app_id.clone()),
        app_display_name: Some(a.display_name.clone()),
        upn: Some(grant.user.clone()),
        oid: Some(oid.clone()),
        ..Default::default()
    };
    let lifetime = a.token_lifetime_seconds;
    let (token, _) = auth::mint(&app.signing_key, &req, &oid);
    login.issued.push(token.clone());
    let mut body = json!({"token_type": "Bearer", "scope": scopes, "expires_in": lifetime,
        "ext_expires_in": lifetime, "access_token": token});
    if offline {
        let refresh = random_text(48);
        login.refresh_tokens.insert(refresh.clone(), grant.clone());
        login.issued.push(refresh.clone());
        body["refresh_token"] = json!(refresh);
    }
    Issued { body }
}

/// Delegated scopes for a grant: `.default` means the app's delegated permissions.
fn delegated_scopes(
    login: &mut Login,
    client_id: &str,
    tenant: &str,
    requested: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    for s in requested {
        if s == ".default" {
            if let Some(a) = login.app_mut(client_id, tenant) {
                out.extend(a.delegated_permissions.iter().cloned());
            }
        } else {
            out.push(s.clone());
        }
    }
    if out.is_empty() {
        out.push("User.Read".into());
    }
    out.dedup();
    out
}

fn wants_offline(scope: &str) -> bool {
    scope
        .split_whitespace()
        .any(|s| s.eq_ignore_ascii_case("offline_access"))
}

async fn token(
    State(app): State<Shared>,
    Path(tenant_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = form(&body);
    let grant_type = f.get("grant_type").cloned();
    let client_id = f.get("client_id").cloned();
    let mut login = app.login.inner.lock();
    let result = token_inner(&app, &mut login, &tenant_key, &headers, &f);
    let (status, error) = match &result {
        Ok(_) => (200, None),
        Err(e) => (e.status.as_u16(), Some(e.error.to_string())),
    };
    login.log(LoginLogEntry {
        seq: 0,
        endpoint: "token".into(),
        tenant: tenant_key,
        grant_type,
        client_id,
        status,
        error,
    });
    match result {
        Ok(issued) => {
            let mut r = Json(issued.body).into_response();
            r.headers_mut()
                .insert("cache-control", "no-store, no-cache".parse().unwrap());
            r
        }
        Err(e) => e.into_response(),
    }
}

fn token_inner(
    app: &Shared,
    login: &mut Login,
    tenant_key: &str,
    headers: &HeaderMap,
    f: &HashMap<String, String>,
) -> Result<Issued, OAuthError> {
    let grant_type = f.get("grant_type").map(String::as_str).unwrap_or("");
    let client_id = f.get("client_id").cloned().ok_or_else(|| {
        OAuthError::bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        )
    })?;
    let base = base_url(headers);
    let delegated = grant_type != "client_credentials";
    let tenant = resolve_tenant(login, tenant_key, delegated)?;
    if login.app_mut(&client_id, &tenant).is_none() {
        return Err(unknown_app(&client_id, &tenant));
    }
    match grant_type {
        "client_credentials" => {
            let scope = f.get("scope").map(String::as_str).unwrap_or("");
            let resource_ok = scope.split_whitespace().count() == 1
                && scope.ends_with("/.default")
                && graph_scopes(scope, &base).is_some();
            if !resource_ok {
                return Err(OAuthError::bad(
                    "invalid_scope",
                    1002012,
                    format!("The provided value for scope '{scope}' is not valid. Client credential flows must use a scope of the form '<Graph URL>/.default'."),
                ));
            }
            check_client(
                login,
                &tenant,
                &client_id,
                f,
                &format!("{base}/{tenant_key}/oauth2/v2.0/token"),
            )?;
            Ok(app_token(app, login, &tenant, &client_id))
        }
        "urn:ietf:params:oauth:grant-type:device_code" => {
            let code = f.get("device_code").cloned().unwrap_or_default();
            let now = chrono::Utc::now().timestamp();
            let Some(i) = login
                .device_codes
                .iter()
                .position(|d| d.device_code == code)
            else {
                return Err(OAuthError::bad(
                    "bad_verification_code",
                    70000,
                    "The device code is not valid or was already used.",
                ));
            };
            let dc = &mut login.device_codes[i];
            if dc.client_id != client_id {
                return Err(OAuthError::bad(
                    "invalid_grant",
                    70000,
                    "The device code was issued to another application.",
                ));
            }
            if dc.status == DeviceStatus::Pending && now >= dc.expires_at {
                dc.status = DeviceStatus::Expired;
            }
            match dc.status {
                DeviceStatus::Pending => Err(OAuthError::bad(
                    "authorization_pending",
                    70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                )),
                DeviceStatus::Declined => Err(OAuthError::bad(
                    "authorization_declined",
                    65004,
                    "The user declined to consent to access the app.",
                )),
                DeviceStatus::Expired => Err(OAuthError::bad(
                    "expired_token",
                    70019,
                    "The verification code expired before the user signed in.",
                )),
                DeviceStatus::Approved => {
                    let dc = login.device_codes.remove(i);
                    let grant = Grant {
                        client_id: dc.client_id.clone(),
                        tenant_id: dc.tenant_id.clone(),
                        scopes: dc.scopes.clone(),
                        user: dc
                            .user
                            .clone()
                            .unwrap_or_else(|| login.settings.sign_in_user.clone()),
                    };
                    let wants = f.get("scope").map(|s| wants_offline(s)).unwrap_or(true);
                    Ok(user_token(app, login, &grant, wants))
                }
            }
        }
        "authorization_code" => {
            let code = f.get("code").cloned().unwrap_or_default();
            let Some(ac) = login.auth_codes.remove(&code) else {
                return Err(OAuthError::bad("invalid_grant", 70008, "The provided authorization code has expired, was already redeemed or is not valid."));
            };
            if ac.client_id != client_id || ac.expires_at < chrono::Utc::now().timestamp() {
                return Err(OAuthError::bad("invalid_grant", 70008, "The provided authorization code has expired or was issued to another application."));
            }
            if f.get("redirect_uri") != Some(&ac.redirect_uri) {
                return Err(OAuthError::bad("invalid_grant", 500112, "The reply address does not match the one used to obtain the authorization code."));
            }
            let verifier = f.get("code_verifier").cloned().unwrap_or_default();
            let computed = B64.encode(ring::digest::digest(
                &ring::digest::SHA256,
                verifier.as_bytes(),
            ));
            if verifier.is_empty() || computed != ac.challenge {
                return Err(OAuthError::bad("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."));
            }
            let grant = Grant {
                client_id: ac.client_id,
                tenant_id: ac.tenant_id,
                scopes: ac.scopes,
                user: ac.user,
            };
            let wants = f.get("scope").map(|s| wants_offline(s)).unwrap_or(true);
            Ok(user_token(app, login, &grant, wants))
        }
        "refresh_token" => {
            let token = f.get("refresh_token").cloned().unwrap_or_default();
            let Some(mut grant) = login.refresh_tokens.get(&token).cloned() else {
                return Err(OAuthError::bad(
                    "invalid_grant",
                    700082,
                    "The refresh token has expired or was revoked. The user must sign in again.",
                ));
            };
            if grant.client_id != client_id {
                return Err(OAuthError::bad(
                    "invalid_grant",
                    70000,
                    "The refresh token was issued to another application.",
                ));
            }
            // A narrower scope may be asked for; anything not granted before is not given silently.
            if let Some(requested) = f.get("scope").and_then(|s| graph_scopes(s, &base)) {
                let requested = delegated_scopes(login, &client_id, &grant.tenant_id, &requested);
                if requested
                    .iter()
                    .any(|r| !grant.scopes.iter().any(|g| g.eq_ignore_ascii_case(r)))
                {
                    return Err(OAuthError::bad("invalid_grant", 65001, "The user has not consented to all requested scopes. Send an interactive authorization request."));
                }
                grant.scopes = requested;
            }
            Ok(user_token(app, login, &grant, true))
        }
        "" => Err(OAuthError::bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        )),
        other => Err(OAuthError::bad(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    }
}

/// Authenticates a confidential client: a secret, or a client assertion signed by a registered
/// certificate.
fn check_client(
    login: &mut Login,
    tenant: &str,
    client_id: &str,
    f: &HashMap<String, String>,
    token_url: &str,
) -> Result<(), OAuthError> {
    let app = login
        .app_mut(client_id, tenant)
        .expect("app checked before");
    if let Some(secret) = f.get("client_secret") {
        // Compare digests, so the time taken says nothing about how much of the secret matched.
        let digest = |t: &str| {
            ring::digest::digest(&ring::digest::SHA256, t.as_bytes())
                .as_ref()
                .to_vec()
        };
        let wanted = digest(secret);
        let ok = app.secrets.iter().any(|s| digest(s) == wanted);
        return if ok {
            Ok(())
        } else {
            Err(OAuthError::client(
                7000215,
                format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
            ))
        };
    }
    let Some(assertion) = f.get("client_assertion") else {
        return Err(OAuthError::client(
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ));
    };
    if f.get("client_assertion_type").map(String::as_str) != Some(ASSERTION_TYPE) {
        return Err(OAuthError::client(
            50027,
            "The client_assertion_type is missing or not supported.",
        ));
    }
    let malformed = || OAuthError::client(50027, "JWT token is invalid or malformed.");
    let parts: Vec<&str> = assertion.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        return Err(malformed());
    };
    let decode = |seg: &str| -> Result<Value, OAuthError> {
        let bytes = B64.decode(seg).map_err(|_| malformed())?;
        serde_json::from_slice(&bytes).map_err(|_| malformed())
    };
    let header = decode(h)?;
    let claims = decode(p)?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(OAuthError::client(
            5002738,
            "The client assertion must be signed with RS256.",
        ));
    }
    let x5t = header
        .get("x5t")
        .and_then(Value::as_str)
        .and_then(|t| B64.decode(t).ok())
        .ok_or_else(|| {
            OAuthError::client(
                700027,
                "The client assertion has no valid 'x5t' header naming the certificate.",
            )
        })?;
    let Some(cert) = app.certificates.iter().find(|c| c.sha1 == x5t) else {
        return Err(OAuthError::client(
            700027,
            format!("The certificate with the thumbprint in the assertion's 'x5t' is not registered on application '{client_id}'."),
        ));
    };
    let signature = B64.decode(s).map_err(|_| malformed())?;
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        &cert.rsa_public_key,
    )
    .verify(format!("{h}.{p}").as_bytes(), &signature)
    .map_err(|_| OAuthError::client(700027, "Client assertion failed signature validation."))?;
    let claim = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or("");
    if claim("aud") != token_url {
        return Err(OAuthError::client(
            700021,
            format!(
                "The client assertion's audience '{}' is not this token endpoint '{token_url}'.",
                claim("aud")
            ),
        ));
    }
    if claim("iss") != client_id || claim("sub") != client_id {
        return Err(OAuthError::client(
            700021,
            "The client assertion's 'iss' and 'sub' must both be the client id.",
        ));
    }
    let now = chrono::Utc::now().timestamp();
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    let nbf = claims.get("nbf").and_then(Value::as_i64).unwrap_or(now);
    if exp <= now || nbf > now + 300 {
        return Err(OAuthError::client(
            700024,
            "Client assertion is not within its valid time range.",
        ));
    }
    Ok(())
}

fn user_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..9)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

async fn devicecode(
    State(app): State<Shared>,
    Path(tenant_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = form(&body);
    let base = base_url(&headers);
    let client_id = f.get("client_id").cloned();
    let mut login = app.login.inner.lock();
    let result = (|| {
        let client_id = client_id.clone().ok_or_else(|| {
            OAuthError::bad(
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_id'.",
            )
        })?;
        let tenant = resolve_tenant(&login, &tenant_key, true)?;
        if login.app_mut(&client_id, &tenant).is_none() {
            return Err(unknown_app(&client_id, &tenant));
        }
        let scope = f.get("scope").cloned().unwrap_or_default();
        let requested = graph_scopes(&scope, &base).ok_or_else(|| {
            OAuthError::bad(
                "invalid_scope",
                70011,
                format!("The provided value for scope '{scope}' is not valid."),
            )
        })?;
        let scopes = delegated_scopes(&mut login, &client_id, &tenant, &requested);
        let auto = login.settings.auto_approve_device_codes;
        let code = DeviceCode {
            device_code: random_text(48),
            user_code: user_code(),
            client_id,
            tenant_id: tenant,
            scopes,
            status: if auto {
                DeviceStatus::Approved
            } else {
                DeviceStatus::Pending
            },
            user: auto.then(|| login.settings.sign_in_user.clone()),
            expires_at: chrono::Utc::now().timestamp() + login.settings.device_code_expires_in,
        };
        let uri = format!("{base}/_emulator/devicelogin");
        let out = json!({
            "user_code": code.user_code,
            "device_code": code.device_code,
            "verification_uri": uri,
            "expires_in": login.settings.device_code_expires_in,
            "interval": login.settings.device_code_interval,
            "message": format!("Open {uri} in a browser and enter the code {} to sign in.", code.user_code),
        });
        login.issued.push(code.device_code.clone());
        login.device_codes.push(code);
        Ok(out)
    })();
    let (status, error) = match &result {
        Ok(_) => (200, None),
        Err(e) => (e.status.as_u16(), Some(e.error.to_string())),
    };
    login.log(LoginLogEntry {
        seq: 0,
        endpoint: "devicecode".into(),
        tenant: tenant_key,
        grant_type: None,
        client_id,
        status,
        error,
    });
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn is_loopback_redirect(uri: &str) -> bool {
    [
        "http://localhost:",
        "http://127.0.0.1:",
        "http://localhost/",
        "http://127.0.0.1/",
        "http://[::1]:",
    ]
    .iter()
    .any(|p| uri.starts_with(p))
}

/// Test-only auto-consent: checks the request and redirects straight back with a code (or with
/// `access_denied` when the login settings say the user declines).
#[allow(clippy::result_large_err)] // the error is the ready response page
async fn authorize(
    State(app): State<Shared>,
    Path(tenant_key): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let base = base_url(&headers);
    let client_id = q.get("client_id").cloned();
    let mut login = app.login.inner.lock();
    let page = |status: StatusCode, text: String| (status, text).into_response();
    let redirect_uri = q.get("redirect_uri").cloned().unwrap_or_default();
    let state = q.get("state").cloned().unwrap_or_default();
    let outcome: Result<String, Response> = (|| {
        let client = client_id.clone().ok_or_else(|| {
            page(
                StatusCode::BAD_REQUEST,
                "AADSTS900144: The request must contain 'client_id'.".into(),
            )
        })?;
        let tenant = resolve_tenant(&login, &tenant_key, true)
            .map_err(|e| page(e.status, format!("AADSTS{}: {}", e.code, e.text)))?;
        if login.app_mut(&client, &tenant).is_none() {
            let e = unknown_app(&client, &tenant);
            return Err(page(e.status, format!("AADSTS{}: {}", e.code, e.text)));
        }
        if !is_loopback_redirect(&redirect_uri) {
            return Err(page(StatusCode::BAD_REQUEST, format!("AADSTS50011: The redirect URI '{redirect_uri}' does not match the redirect URIs configured for the application (the emulator accepts loopback http addresses).")));
        }
        let mut location = url_with_query(&redirect_uri, &[]);
        let fail = |error: &str, code: u32, text: &str| {
            url_with_query(
                &redirect_uri,
                &[
                    ("error", error),
                    ("error_description", &format!("AADSTS{code}: {text}")),
                    ("state", &state),
                ],
            )
        };
        if q.get("response_type").map(String::as_str) != Some("code") {
            return Ok(fail(
                "unsupported_response_type",
                700054,
                "response_type must be 'code'.",
            ));
        }
        let challenge = q.get("code_challenge").cloned().unwrap_or_default();
        if challenge.is_empty()
            || q.get("code_challenge_method").map(String::as_str) != Some("S256")
        {
            return Ok(fail(
                "invalid_request",
                9002325,
                "Proof Key for Code Exchange (S256) is required.",
            ));
        }
        if !login.settings.consent {
            return Ok(fail(
                "access_denied",
                65004,
                "The user declined to consent to access the app.",
            ));
        }
        let scope = q.get("scope").cloned().unwrap_or_default();
        let Some(requested) = graph_scopes(&scope, &base) else {
            return Ok(fail(
                "invalid_scope",
                70011,
                "The provided value for scope is not valid.",
            ));
        };
        let scopes = delegated_scopes(&mut login, &client, &tenant, &requested);
        let code = random_text(32);
        login.issued.push(code.clone());
        let user = q
            .get("login_hint")
            .cloned()
            .unwrap_or_else(|| login.settings.sign_in_user.clone());
        login.auth_codes.insert(
            code.clone(),
            AuthCode {
                client_id: client,
                tenant_id: tenant,
                redirect_uri: redirect_uri.clone(),
                challenge,
                scopes,
                user,
                expires_at: chrono::Utc::now().timestamp() + 600,
            },
        );
        location = url_with_query(&location, &[("code", &code), ("state", &state)]);
        Ok(location)
    })();
    let status = match &outcome {
        Ok(_) => 302,
        Err(r) => r.status().as_u16(),
    };
    login.log(LoginLogEntry {
        seq: 0,
        endpoint: "authorize".into(),
        tenant: tenant_key,
        grant_type: None,
        client_id,
        status,
        error: None,
    });
    match outcome {
        Ok(location) => (StatusCode::FOUND, [("location", location)]).into_response(),
        Err(r) => r,
    }
}

fn url_with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return base.to_string();
    }
    let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
    if base.contains('?') {
        format!("{base}&{q}")
    } else {
        format!("{base}?{q}")
    }
}

/// Managed identity tokens. The secret header must match the login settings' identity header
/// (`X-IDENTITY-HEADER` for 2019-08-01, `secret` for 2017-09-01); the metadata path wants
/// `Metadata: true`.
async fn managed_identity(
    State(app): State<Shared>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let base = base_url(&headers);
    let mut login = app.login.inner.lock();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let expected = login.settings.identity_header.clone();
    let imds = uri.path().starts_with("/metadata/");
    let authorised = if imds {
        header("metadata").as_deref() == Some("true")
    } else {
        header("x-identity-header")
            .or_else(|| header("secret"))
            .as_deref()
            == Some(expected.as_str())
    };
    let client_id = q.get("client_id").or_else(|| q.get("clientid")).cloned();
    let fail = |status: StatusCode, error: &str, text: String| {
        (
            status,
            Json(json!({"error": error, "error_description": text})),
        )
            .into_response()
    };
    let result = if !authorised {
        Err(fail(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "The request did not carry the identity header this endpoint expects.".into(),
        ))
    } else if !q.contains_key("api-version") {
        Err(fail(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The api-version parameter is required.".into(),
        ))
    } else if !q.get("resource").is_some_and(|r| {
        graph_scopes(&format!("{}/.default", r.trim_end_matches('/')), &base).is_some()
    }) {
        Err(fail(
            StatusCode::BAD_REQUEST,
            "invalid_resource",
            "The resource is not Microsoft Graph.".into(),
        ))
    } else {
        let identity = match &client_id {
            Some(c) => login
                .identities
                .iter_mut()
                .find(|i| i.client_id.eq_ignore_ascii_case(c)),
            None => login.identities.iter_mut().find(|i| i.system_assigned),
        };
        match identity {
            None => Err(fail(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                match &client_id {
                    Some(c) => format!("No user-assigned identity with client id '{c}' is assigned to this resource."),
                    None => "No system-assigned identity is enabled on this resource.".into(),
                },
            )),
            Some(identity) => {
                identity.tokens_issued += 1;
                let req = TokenRequest {
                    roles: (!identity.roles.is_empty()).then(|| identity.roles.clone()),
                    tid: Some(identity.tenant_id.clone()),
                    appid: Some(identity.client_id.clone()),
                    ..Default::default()
                };
                let identity_client = identity.client_id.clone();
                let (token, exp) = auth::mint(&app.signing_key, &req, &new_guid());
                login.issued.push(token.clone());
                Ok(Json(json!({
                    "access_token": token,
                    "expires_on": exp.to_string(),
                    "resource": q.get("resource"),
                    "token_type": "Bearer",
                    "client_id": identity_client,
                }))
                .into_response())
            }
        }
    };
    let status = match &result {
        Ok(r) | Err(r) => r.status().as_u16(),
    };
    login.log(LoginLogEntry {
        seq: 0,
        endpoint: "managedIdentity".into(),
        tenant: String::new(),
        grant_type: None,
        client_id,
        status,
        error: None,
    });
    match result {
        Ok(r) | Err(r) => r,
    }
}
