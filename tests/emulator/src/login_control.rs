//! Control API for the login endpoints, merged under `/_emulator`: tenants, app registrations
//! (secrets, certificates, app roles), managed identities, login settings, device code approval,
//! revocation, and the login request log. Unauthenticated, test-only.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::DEFAULT_TENANT_ID;
use crate::login_state::{parse_certificate, App, DeviceStatus, Identity, Tenant};
use crate::state::{new_guid, Shared};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/tenants", post(add_tenants).get(list_tenants))
        .route("/apps", post(add_apps).get(list_apps))
        .route("/apps/{id}", get(get_app))
        .route("/identities", post(add_identities).get(list_identities))
        .route("/login-settings", put(put_settings).get(get_settings))
        .route("/devicecodes", get(list_device_codes))
        .route("/devicecodes/{code}/{action}", post(device_code_action))
        .route("/devicelogin", get(device_login_page))
        .route("/tokens/revoke", post(revoke))
        .route("/login-requests", get(list_log).delete(clear_log))
        .route("/issued-secrets", get(issued_secrets))
}

/// Test-only: everything secret the login endpoints handed out, for leak checks.
async fn issued_secrets(State(app): State<Shared>) -> Json<Value> {
    Json(json!(app.login.inner.lock().issued))
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// One object or an array of them. The error is the ready response (a test tool: size does not matter).
#[allow(clippy::result_large_err)]
fn many<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Vec<T>, Response> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| error(StatusCode::BAD_REQUEST, format!("invalid body: {e}")))?;
    let v = if v.is_array() {
        v
    } else {
        Value::Array(vec![v])
    };
    serde_json::from_value(v)
        .map_err(|e| error(StatusCode::BAD_REQUEST, format!("invalid body: {e}")))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedTenant {
    id: Option<String>,
    domain: Option<String>,
}

async fn add_tenants(State(app): State<Shared>, body: Bytes) -> Response {
    let seeds: Vec<SeedTenant> = match many(&body) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut login = app.login.inner.lock();
    let mut out = Vec::new();
    for s in seeds {
        let t = Tenant {
            id: s.id.unwrap_or_else(new_guid),
            domain: s.domain,
        };
        login.tenants.retain(|x| !x.id.eq_ignore_ascii_case(&t.id));
        out.push(json!({"id": t.id, "domain": t.domain}));
        login.tenants.push(t);
    }
    (StatusCode::CREATED, Json(Value::Array(out))).into_response()
}

async fn list_tenants(State(app): State<Shared>) -> Json<Value> {
    let login = app.login.inner.lock();
    Json(
        login
            .tenants
            .iter()
            .map(|t| json!({"id": t.id, "domain": t.domain}))
            .collect(),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedApp {
    app_id: Option<String>,
    display_name: Option<String>,
    tenant_id: Option<String>,
    #[serde(default)]
    secrets: Vec<String>,
    /// PEM or base64 DER of the public certificate.
    #[serde(default)]
    certificates: Vec<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    delegated_permissions: Vec<String>,
    token_lifetime_seconds: Option<i64>,
}

async fn add_apps(State(app): State<Shared>, body: Bytes) -> Response {
    let seeds: Vec<SeedApp> = match many(&body) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut built = Vec::new();
    for s in seeds {
        let id = s.app_id.unwrap_or_else(new_guid);
        let mut a = App::new(&id, s.display_name.as_deref().unwrap_or("Emulator app"));
        a.tenant_id = s.tenant_id;
        a.secrets = s.secrets;
        a.roles = s.roles;
        a.delegated_permissions = s.delegated_permissions;
        if let Some(l) = s.token_lifetime_seconds {
            a.token_lifetime_seconds = l;
        }
        for c in &s.certificates {
            match parse_certificate(c) {
                Ok(cert) => a.certificates.push(cert),
                Err(e) => return error(StatusCode::BAD_REQUEST, format!("app {id}: {e}")),
            }
        }
        built.push(a);
    }
    let mut login = app.login.inner.lock();
    let mut out = Vec::new();
    for a in built {
        login
            .apps
            .retain(|x| !x.app_id.eq_ignore_ascii_case(&a.app_id));
        out.push(a.view());
        login.apps.push(a);
    }
    (StatusCode::CREATED, Json(Value::Array(out))).into_response()
}

async fn list_apps(State(app): State<Shared>) -> Json<Value> {
    Json(app.login.inner.lock().apps.iter().map(App::view).collect())
}

async fn get_app(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    let login = app.login.inner.lock();
    match login
        .apps
        .iter()
        .find(|a| a.app_id.eq_ignore_ascii_case(&id))
    {
        Some(a) => Json(a.view()).into_response(),
        None => match login
            .identities
            .iter()
            .find(|i| i.client_id.eq_ignore_ascii_case(&id))
        {
            Some(i) => Json(identity_view(i)).into_response(),
            None => error(StatusCode::NOT_FOUND, format!("no app '{id}'")),
        },
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedIdentity {
    client_id: Option<String>,
    #[serde(default)]
    system_assigned: bool,
    tenant_id: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
}

fn identity_view(i: &Identity) -> Value {
    json!({"clientId": i.client_id, "systemAssigned": i.system_assigned, "tenantId": i.tenant_id,
        "roles": i.roles, "tokensIssued": i.tokens_issued})
}

async fn add_identities(State(app): State<Shared>, body: Bytes) -> Response {
    let seeds: Vec<SeedIdentity> = match many(&body) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut login = app.login.inner.lock();
    let mut out = Vec::new();
    for s in seeds {
        let i = Identity {
            client_id: s.client_id.unwrap_or_else(new_guid),
            system_assigned: s.system_assigned,
            tenant_id: s.tenant_id.unwrap_or_else(|| DEFAULT_TENANT_ID.into()),
            roles: s.roles,
            tokens_issued: 0,
        };
        login
            .identities
            .retain(|x| !x.client_id.eq_ignore_ascii_case(&i.client_id));
        if i.system_assigned {
            for other in login.identities.iter_mut() {
                other.system_assigned = false;
            }
        }
        out.push(identity_view(&i));
        login.identities.push(i);
    }
    (StatusCode::CREATED, Json(Value::Array(out))).into_response()
}

async fn list_identities(State(app): State<Shared>) -> Json<Value> {
    Json(
        app.login
            .inner
            .lock()
            .identities
            .iter()
            .map(identity_view)
            .collect(),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SettingsInput {
    device_code_interval: Option<u64>,
    device_code_expires_in: Option<i64>,
    identity_header: Option<String>,
    sign_in_user: Option<String>,
    consent: Option<bool>,
    auto_approve_device_codes: Option<bool>,
}

fn settings_view(app: &Shared) -> Value {
    let login = app.login.inner.lock();
    let s = &login.settings;
    json!({"deviceCodeInterval": s.device_code_interval, "deviceCodeExpiresIn": s.device_code_expires_in,
        "identityHeader": s.identity_header, "signInUser": s.sign_in_user, "consent": s.consent,
        "autoApproveDeviceCodes": s.auto_approve_device_codes})
}

async fn put_settings(State(app): State<Shared>, body: Bytes) -> Response {
    let input: SettingsInput = match serde_json::from_slice(&body) {
        Ok(i) => i,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("invalid body: {e}")),
    };
    {
        let mut login = app.login.inner.lock();
        let s = &mut login.settings;
        if let Some(v) = input.device_code_interval {
            s.device_code_interval = v.max(1);
        }
        if let Some(v) = input.device_code_expires_in {
            s.device_code_expires_in = v;
        }
        if let Some(v) = input.identity_header {
            s.identity_header = v;
        }
        if let Some(v) = input.sign_in_user {
            s.sign_in_user = v;
        }
        if let Some(v) = input.consent {
            s.consent = v;
        }
        if let Some(v) = input.auto_approve_device_codes {
            s.auto_approve_device_codes = v;
        }
    }
    Json(settings_view(&app)).into_response()
}

async fn get_settings(State(app): State<Shared>) -> Json<Value> {
    Json(settings_view(&app))
}

async fn list_device_codes(State(app): State<Shared>) -> Json<Value> {
    let login = app.login.inner.lock();
    Json(
        login
            .device_codes
            .iter()
            .map(|d| {
                json!({"userCode": d.user_code, "clientId": d.client_id, "tenantId": d.tenant_id,
                "scopes": d.scopes, "status": d.status, "user": d.user})
            })
            .collect(),
    )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Approval {
    user_principal_name: Option<String>,
}

/// `approve` (optionally as `{"userPrincipalName": ...}`), `decline` or `expire` a device code.
async fn device_code_action(
    State(app): State<Shared>,
    Path((code, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let approval: Approval = if body.iter().all(u8::is_ascii_whitespace) {
        Approval::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(a) => a,
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("invalid body: {e}")),
        }
    };
    let mut login = app.login.inner.lock();
    let default_user = login.settings.sign_in_user.clone();
    let Some(dc) = login
        .device_codes
        .iter_mut()
        .find(|d| d.user_code.eq_ignore_ascii_case(code.trim()))
    else {
        return error(StatusCode::NOT_FOUND, format!("no device code '{code}'"));
    };
    match action.as_str() {
        "approve" => {
            dc.status = DeviceStatus::Approved;
            dc.user = Some(approval.user_principal_name.unwrap_or(default_user));
        }
        "decline" => dc.status = DeviceStatus::Declined,
        "expire" => dc.status = DeviceStatus::Expired,
        other => {
            return error(
                StatusCode::NOT_FOUND,
                format!("unknown action '{other}' (approve, decline, expire)"),
            )
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn device_login_page() -> Response {
    (
        StatusCode::OK,
        "Graph emulator: approve device codes with POST /_emulator/devicecodes/{userCode}/approve.",
    )
        .into_response()
}

/// Makes Graph refuse every token issued before now (401), as a revocation event does.
async fn revoke(State(app): State<Shared>) -> StatusCode {
    // Tokens carry whole seconds: count the current second as revoked too.
    app.login.inner.lock().revoked_before = chrono::Utc::now().timestamp() + 1;
    StatusCode::NO_CONTENT
}

async fn list_log(State(app): State<Shared>) -> Json<Value> {
    Json(serde_json::to_value(&app.login.inner.lock().log).unwrap_or(Value::Null))
}

async fn clear_log(State(app): State<Shared>) -> StatusCode {
    app.login.inner.lock().log.clear();
    StatusCode::NO_CONTENT
}
