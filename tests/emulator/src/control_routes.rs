//! Unauthenticated test-control API under `/_emulator`: seed users, set policy, mint tokens, read the request log.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{self, TokenRequest};
use chrono::{DateTime, SubsecRound, Utc};

use crate::state::{
    new_guid, now_ticks, random_digits, Pin, QrCode, Shared, User, PIN_LENGTH_RANGE,
};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/reset", post(reset))
        .route("/users", post(add_users).get(list_users))
        .route("/users/{id}", get(get_user))
        .route("/policy", get(get_policy).put(put_policy))
        .route("/tokens", post(mint_token))
        .route("/requests", get(list_requests).delete(clear_requests))
        // Keep typos under the control prefix from falling through to the Graph handler and its log.
        .merge(crate::behaviour::router())
        .merge(crate::login_control::router())
        .fallback(|| async { control_error(StatusCode::NOT_FOUND, "no such control endpoint") })
}

fn control_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// Parses a JSON body ourselves so malformed input gets a JSON error instead of axum's plain-text rejection.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid body: {e}"))
}

async fn reset(State(app): State<Shared>) -> StatusCode {
    app.store.lock().reset(app.default_pin_length);
    app.behaviour.reset();
    app.login.reset();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedUser {
    id: Option<String>,
    user_principal_name: String,
    #[serde(default = "yes")]
    has_qr_code_method: bool,
    /// Seeds a PIN (random code of the policy's length, `forceChangePinNextSignIn: true`).
    #[serde(default)]
    has_pin: bool,
    /// Seeds a standard QR code; both times optional (start now, expiry 365 days after start). Graph's rules are
    /// not checked here, so tests can seed expired or odd codes.
    #[serde(rename = "standardQRCode", default)]
    standard_qr_code: Option<SeedQrCode>,
    /// Seeds a temporary QR code; both times optional (start now, expiry 12 hours after start).
    #[serde(rename = "temporaryQRCode", default)]
    temporary_qr_code: Option<SeedQrCode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedQrCode {
    start_date_time: Option<DateTime<Utc>>,
    expire_date_time: Option<DateTime<Utc>>,
}

impl SeedQrCode {
    fn build(self, default_life: chrono::Duration) -> QrCode {
        let start = self
            .start_date_time
            .map(|t| t.trunc_subsecs(7))
            .unwrap_or_else(now_ticks);
        let expire = self
            .expire_date_time
            .map(|t| t.trunc_subsecs(7))
            .unwrap_or(start + default_life);
        QrCode::new(start, expire)
    }
}

fn yes() -> bool {
    true
}

/// Accepts an array of users, or a single user object for convenience.
async fn add_users(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    let seeds: Vec<SeedUser> = match parse::<Value>(&body) {
        Ok(v @ Value::Object(_)) => match serde_json::from_value(v) {
            Ok(one) => vec![one],
            Err(e) => return control_error(StatusCode::BAD_REQUEST, format!("invalid user: {e}")),
        },
        Ok(v) => match serde_json::from_value(v) {
            Ok(many) => many,
            Err(e) => return control_error(StatusCode::BAD_REQUEST, format!("invalid users: {e}")),
        },
        Err(msg) => return control_error(StatusCode::BAD_REQUEST, msg),
    };
    if let Some(s) = seeds.iter().find(|s| {
        !s.has_qr_code_method
            && (s.has_pin || s.standard_qr_code.is_some() || s.temporary_qr_code.is_some())
    }) {
        return control_error(
            StatusCode::BAD_REQUEST,
            format!(
                "user '{}': hasPin, standardQRCode and temporaryQRCode need hasQrCodeMethod",
                s.user_principal_name
            ),
        );
    }
    let mut store = app.store.lock();
    let pin_length = store.pin_length;
    let created: Vec<Value> = seeds
        .into_iter()
        .map(|s| {
            let mut user = User::new(
                s.id.unwrap_or_else(new_guid),
                s.user_principal_name,
                s.has_qr_code_method,
            );
            if s.has_pin {
                let now = now_ticks();
                user.pin = Some(Pin {
                    code: random_digits(pin_length),
                    created: now,
                    updated: now,
                    force_change: true,
                });
            }
            user.standard_qr_code = s
                .standard_qr_code
                .map(|q| q.build(chrono::Duration::days(365)));
            user.temporary_qr_code = s
                .temporary_qr_code
                .map(|q| q.build(chrono::Duration::hours(12)));
            let view = user.control_view();
            store.upsert_user(user);
            view
        })
        .collect();
    (StatusCode::CREATED, Json(Value::Array(created))).into_response()
}

async fn list_users(State(app): State<Shared>) -> Json<Value> {
    let store = app.store.lock();
    Json(store.users.iter().map(User::control_view).collect())
}

async fn get_user(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    let store = app.store.lock();
    match store.find_user(&id) {
        Some(i) => Json(store.users[i].control_view()).into_response(),
        None => control_error(StatusCode::NOT_FOUND, format!("no user '{id}'")),
    }
}

async fn get_policy(State(app): State<Shared>) -> Json<Value> {
    Json(json!({ "pinLength": app.store.lock().pin_length }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Policy {
    pin_length: u32,
}

async fn put_policy(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    let policy: Policy = match parse(&body) {
        Ok(p) => p,
        Err(msg) => return control_error(StatusCode::BAD_REQUEST, msg),
    };
    if !PIN_LENGTH_RANGE.contains(&policy.pin_length) {
        return control_error(
            StatusCode::BAD_REQUEST,
            format!(
                "pinLength must be between {} and {}",
                PIN_LENGTH_RANGE.start(),
                PIN_LENGTH_RANGE.end()
            ),
        );
    }
    app.store.lock().pin_length = policy.pin_length;
    Json(json!({ "pinLength": policy.pin_length })).into_response()
}

async fn mint_token(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    // An empty body means "all defaults".
    let req: TokenRequest = if body.iter().all(u8::is_ascii_whitespace) {
        TokenRequest::default()
    } else {
        match parse(&body) {
            Ok(r) => r,
            Err(msg) => return control_error(StatusCode::BAD_REQUEST, msg),
        }
    };
    // Without an explicit oid, a upn naming a seeded user makes the token "be" that user, so /me works.
    let oid = req.oid.clone().unwrap_or_else(|| {
        let store = app.store.lock();
        req.upn
            .as_deref()
            .and_then(|upn| store.find_user(upn).map(|i| store.users[i].id.clone()))
            .unwrap_or_else(new_guid)
    });
    let (token, exp) = auth::mint(&app.signing_key, &req, &oid);
    Json(json!({ "access_token": token, "expires_on": exp })).into_response()
}

async fn list_requests(State(app): State<Shared>) -> Json<Value> {
    let store = app.store.lock();
    Json(serde_json::to_value(&store.log).unwrap_or_default())
}

async fn clear_requests(State(app): State<Shared>) -> StatusCode {
    app.store.lock().log.clear();
    StatusCode::NO_CONTENT
}
