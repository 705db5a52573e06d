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
    new_guid, now_ticks, random_digits, Pin, Profile, QrCode, Shared, User, PIN_LENGTH_RANGE,
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
    // Directory properties served by `GET /users`. Absent = the default derived from the UPN (state.rs);
    // `null` = no value.
    #[serde(default, deserialize_with = "given")]
    display_name: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    given_name: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    surname: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    mail: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    mail_nickname: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    account_enabled: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    department: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    job_title: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    user_type: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    mobile_phone: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    office_location: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    preferred_language: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    business_phones: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    created_date_time: Option<Value>,
    /// Any other Graph user property by its exact name (`{"city": "Paris"}`), served as given.
    #[serde(default)]
    properties: Option<serde_json::Map<String, Value>>,
}

/// Tells a field given as `null` (`Some(Null)`) from one left out (`None`, through `default`).
fn given<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl SeedUser {
    /// The user's directory properties: the UPN's defaults with the seeded values laid over them.
    fn profile(&self) -> Result<Profile, String> {
        let mut p = Profile::from_upn(&self.user_principal_name);
        let text =
            |name: &str, v: &Option<Value>, slot: &mut Option<String>| -> Result<(), String> {
                match v {
                    None => Ok(()),
                    Some(Value::Null) => {
                        *slot = None;
                        Ok(())
                    }
                    Some(Value::String(s)) => {
                        *slot = Some(s.clone());
                        Ok(())
                    }
                    Some(_) => Err(format!("{name} must be a string or null")),
                }
            };
        text("displayName", &self.display_name, &mut p.display_name)?;
        text("givenName", &self.given_name, &mut p.given_name)?;
        text("surname", &self.surname, &mut p.surname)?;
        text("mail", &self.mail, &mut p.mail)?;
        text("mailNickname", &self.mail_nickname, &mut p.mail_nickname)?;
        text("department", &self.department, &mut p.department)?;
        text("jobTitle", &self.job_title, &mut p.job_title)?;
        text("userType", &self.user_type, &mut p.user_type)?;
        text("mobilePhone", &self.mobile_phone, &mut p.mobile_phone)?;
        text(
            "officeLocation",
            &self.office_location,
            &mut p.office_location,
        )?;
        text(
            "preferredLanguage",
            &self.preferred_language,
            &mut p.preferred_language,
        )?;
        match &self.account_enabled {
            None => {}
            Some(Value::Null) => p.account_enabled = None,
            Some(Value::Bool(b)) => p.account_enabled = Some(*b),
            Some(_) => return Err("accountEnabled must be a boolean or null".into()),
        }
        match &self.business_phones {
            None => {}
            Some(Value::Null) => p.business_phones.clear(),
            Some(Value::Array(items)) => {
                p.business_phones = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or("businessPhones must be an array of strings")?;
            }
            Some(_) => return Err("businessPhones must be an array of strings".into()),
        }
        match &self.created_date_time {
            None => {}
            Some(Value::String(t)) => {
                p.created = DateTime::parse_from_rfc3339(t)
                    .map_err(|_| "createdDateTime must be an RFC 3339 time")?
                    .with_timezone(&Utc)
                    .trunc_subsecs(7)
            }
            Some(_) => return Err("createdDateTime must be an RFC 3339 time".into()),
        }
        if let Some(extra) = &self.properties {
            if let Some(name) = extra
                .keys()
                .find(|k| k.starts_with('@') || crate::users::is_modelled_property(k))
            {
                return Err(format!(
                    "properties: '{name}' is an annotation or a modelled property; give modelled ones as top-level fields"
                ));
            }
            p.extra = extra.clone();
        }
        Ok(p)
    }
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
    let mut profiles = Vec::with_capacity(seeds.len());
    for s in &seeds {
        match s.profile() {
            Ok(p) => profiles.push(p),
            Err(msg) => {
                return control_error(
                    StatusCode::BAD_REQUEST,
                    format!("user '{}': {msg}", s.user_principal_name),
                )
            }
        }
    }
    let mut store = app.store.lock();
    let pin_length = store.pin_length;
    let mut users = Vec::with_capacity(seeds.len());
    let created: Vec<Value> = seeds
        .into_iter()
        .zip(profiles)
        .map(|(s, profile)| {
            let mut user = User::new(
                s.id.unwrap_or_else(new_guid),
                s.user_principal_name,
                s.has_qr_code_method,
            );
            user.profile = profile;
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
            users.push(user);
            view
        })
        .collect();
    store.upsert_users(users);
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
