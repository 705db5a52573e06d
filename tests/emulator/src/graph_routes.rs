//! The emulated Graph surface:
//! `/{beta|v1.0}/(users/{id}|me)/authentication/qrCodePinMethod[/pin|/standardQRCode|/temporaryQRCode]`, and the
//! user routes of users.rs (`/users`, `/users/{id}`, `/me`).
//!
//! Everything outside `/_emulator` lands here. Routing is done by hand rather than with axum's router so that
//! unknown segments, wrong methods and percent-encoded ids produce Graph-shaped errors, and so that every request
//! (including ones axum would reject early) is logged with its final status.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use crate::auth::{self, Caller};
use crate::behaviour;
use crate::graph_errors::{finish, GraphError, GraphReply, RequestIds};
use crate::qr_parts::{self, Part};
use crate::state::{graph_timestamp, new_guid, now_ticks, random_digits, LogEntry, Pin, Shared};

const MAX_BODY: usize = 1 << 20;

pub async fn graph_entry(State(app): State<Shared>, req: Request) -> Response {
    let received_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY).await;
    let ids = RequestIds::from_headers(&parts.headers);
    let entry_body = body
        .as_ref()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    // Logged when answered; logged with status 0 if the handler is dropped first (the client gave up on a hang).
    let mut logged = PendingLog::new(&app, &parts, entry_body, received_at);
    // Latency, the write quota and injected faults (behaviour.rs) come before the real work.
    let mut admission = behaviour::admit(&app, &parts).await;
    admission.take_echo(&parts, body.as_deref().unwrap_or_default());

    let outcome = match (admission.early.take(), &body) {
        (Some(early), _) => Err(early),
        (None, _) if admission.reset_before => {
            logged.finish(0);
            behaviour::drop_connection()
        }
        (None, Ok(bytes)) => handle(&app, &parts, bytes),
        (None, Err(_)) => Err(GraphError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request_BadRequest",
            "The request body could not be read or is larger than 1 MiB.",
        )),
    };
    let (reply, extra) = match outcome {
        Ok(reply) => (reply, Vec::new()),
        Err(err) => err.into_reply(&ids),
    };

    // A connection dropped after the update was applied never delivers its status: logged as 0.
    let status = if admission.resets_after() {
        0
    } else {
        reply.status.as_u16()
    };
    logged.finish(status);
    admission.hold().await;
    behaviour::deliver(admission, finish(&ids, reply, extra))
}

/// A request's log entry, written once: by `finish` with the answer's status, or with status 0 when dropped
/// unanswered.
struct PendingLog {
    app: Shared,
    generation: u64,
    entry: Option<LogEntry>,
}

impl PendingLog {
    fn new(app: &Shared, parts: &Parts, body: String, received_at: String) -> Self {
        let mut headers = Map::new();
        for (name, value) in &parts.headers {
            let key = name.as_str().to_ascii_lowercase();
            // Tokens must never leak through the log, even though they are emulator-signed.
            let text = if key == "authorization" {
                "Bearer <redacted>".to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            match headers.get_mut(&key) {
                Some(Value::String(existing)) => {
                    existing.push_str(", ");
                    existing.push_str(&text);
                }
                _ => {
                    headers.insert(key, Value::String(text));
                }
            }
        }
        let entry = LogEntry {
            seq: 0,
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers,
            body,
            status: 0,
            received_at,
        };
        PendingLog {
            app: app.clone(),
            generation: app.store.lock().generation,
            entry: Some(entry),
        }
    }

    fn finish(&mut self, status: u16) {
        if let Some(mut entry) = self.entry.take() {
            let mut store = self.app.store.lock();
            if store.generation != self.generation {
                return;
            }
            entry.seq = store.next_seq;
            entry.status = status;
            store.next_seq += 1;
            store.log.push(entry);
        }
    }
}

impl Drop for PendingLog {
    fn drop(&mut self) {
        self.finish(0);
    }
}

/// `/{beta|v1.0}/_echo`, any method: 200 with the request's body bytes and Content-Type (default
/// `application/octet-stream`); `?filename=<name>` adds `Content-Disposition: attachment; filename="<name>"`,
/// `?filenameStar=<name>` the RFC 5987 form `filename*=UTF-8''<name>`.
fn echo(parts: &Parts, body: &Bytes) -> Option<GraphReply> {
    let path = parts.uri.path();
    if !matches!(path, "/beta/_echo" | "/v1.0/_echo") {
        return None;
    }
    let mut disposition = None;
    for pair in parts.uri.query().unwrap_or_default().split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
        match key {
            "filename" => disposition = Some(format!("attachment; filename=\"{value}\"")),
            "filenameStar" => {
                let encoded: String = percent_encoding::utf8_percent_encode(
                    &value,
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string();
                disposition = Some(format!("attachment; filename*=UTF-8''{encoded}"))
            }
            _ => {}
        }
    }
    let content_type = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_else(|| "application/octet-stream".into());
    Some(GraphReply::raw(
        StatusCode::OK,
        crate::graph_errors::RawBody {
            bytes: body.to_vec(),
            content_type,
            disposition,
        },
    ))
}

/// Which user a request targets.
enum Target {
    Me,
    User(String),
}

/// Which resource under the user's authentication methods.
#[derive(PartialEq)]
enum Resource {
    Method,
    Part(Part),
}

fn handle(app: &Shared, parts: &Parts, body: &Bytes) -> Result<GraphReply, GraphError> {
    let authorization = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let caller = auth::validate(&app.signing_key, authorization.as_deref())
        .map_err(|f| GraphError::unauthorized(f.message()))?;
    // A revocation event (login control API) makes Graph refuse older tokens, as CAE does.
    if app.login.is_revoked(caller.issued_at) {
        return Err(GraphError::unauthorized(
            auth::AuthFailure::Invalid.message(),
        ));
    }

    // Not Graph's: a route that repeats the request, for clients of any URI (Invoke-MgGraphRequest).
    if let Some(reply) = echo(parts, body) {
        return Ok(reply);
    }
    // The directory's users (users.rs); everything else is the QR code PIN family.
    if let Some(answer) = crate::users::handle(app, parts, &caller) {
        return answer;
    }
    let (target, resource) = route(parts.uri.path())?;
    let allowed = match resource {
        // Graph documents no deletion of the PIN alone (a method without one is unusable): see the README.
        Resource::Part(Part::Pin) => "GET, PATCH",
        Resource::Part(_) => "GET, PATCH, DELETE",
        Resource::Method => "GET, PUT, DELETE",
    };
    if !allowed.split(", ").any(|m| m == parts.method.as_str()) {
        return Err(GraphError::method_not_allowed(allowed));
    }

    let (key, is_self) = match target {
        Target::Me => match (&caller.scopes, &caller.oid) {
            (Some(_), Some(oid)) => (oid.clone(), true),
            _ => {
                return Err(GraphError::bad_request(
                    "/me request is only valid with delegated authentication flow.",
                ))
            }
        },
        Target::User(id) => {
            let is_self = is_caller(app, &caller, &id);
            (id, is_self)
        }
    };
    if !auth::permitted(&caller, is_self, parts.method != Method::GET) {
        return Err(GraphError::forbidden());
    }

    let query = parts.uri.query();
    match (resource, &parts.method) {
        (Resource::Part(Part::Pin), &Method::PATCH) => patch_pin(app, &key, body),
        (Resource::Part(part), &Method::PATCH) => qr_parts::patch_qr(app, &key, part, body),
        (Resource::Part(part), &Method::GET) => qr_parts::get_part(app, &key, part, query),
        // DELETE may carry If-Match; the emulator keeps no ETags and ignores it.
        (Resource::Part(part), _) => qr_parts::delete_part(app, &key, part),
        (Resource::Method, &Method::GET) => get_method(app, &key, query),
        (Resource::Method, &Method::PUT) => put_method(app, &key, body),
        (Resource::Method, _) => delete_method(app, &key),
    }
}

/// Self-service scopes apply only when the path names the signed-in user (by id or UPN).
pub(crate) fn is_caller(app: &Shared, caller: &Caller, id: &str) -> bool {
    let (Some(_), Some(oid)) = (&caller.scopes, &caller.oid) else {
        return false;
    };
    if oid.eq_ignore_ascii_case(id) {
        return true;
    }
    let store = app.store.lock();
    store
        .find_user(id)
        .is_some_and(|i| store.users[i].id.eq_ignore_ascii_case(oid))
}

fn route(raw_path: &str) -> Result<(Target, Resource), GraphError> {
    let mut segments: Vec<String> = raw_path
        .trim_start_matches('/')
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    if segments.len() > 1 && segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    let not_found =
        |seg: &str| GraphError::bad_request(format!("Resource not found for the segment '{seg}'."));

    let version = &segments[0];
    if version != "beta" && version != "v1.0" {
        return Err(GraphError::bad_request(format!(
            "Invalid version: {version}"
        )));
    }
    let rest = &segments[1..];
    let (target, tail) = match rest.first().map(|s| s.to_ascii_lowercase()) {
        Some(s) if s == "me" => (Target::Me, &rest[1..]),
        Some(s) if s == "users" && rest.len() >= 2 => (Target::User(rest[1].clone()), &rest[2..]),
        Some(_) => return Err(not_found(&rest[0])),
        None => return Err(not_found(version)),
    };

    const EXPECTED: [&str; 2] = ["authentication", "qrCodePinMethod"];
    let mut part = None;
    for (i, seg) in tail.iter().enumerate() {
        if i < EXPECTED.len() && seg.eq_ignore_ascii_case(EXPECTED[i]) {
            continue;
        }
        part = [Part::Pin, Part::Standard, Part::Temporary]
            .into_iter()
            .find(|p| seg.eq_ignore_ascii_case(p.segment()));
        if i != EXPECTED.len() || part.is_none() {
            return Err(not_found(seg));
        }
    }
    match (tail.len(), part) {
        (2, _) => Ok((target, Resource::Method)),
        (3, Some(part)) => Ok((target, Resource::Part(part))),
        // The path stops before a modelled resource (e.g. `/users/{id}`): name its last segment.
        _ => Err(not_found(segments.last().map(String::as_str).unwrap_or(""))),
    }
}

/// Settable parts of a qrPin body after validation.
#[derive(Default)]
struct PinInput {
    code: Option<String>,
    force_change: Option<bool>,
}

pub(crate) fn parse_body(body: &Bytes) -> Result<Map<String, Value>, GraphError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(GraphError::bad_request(
            "The request body must be a JSON object; it was empty or could not be parsed.",
        )),
    }
}

pub(crate) fn type_error(property: &str, expected: &str) -> GraphError {
    GraphError::bad_request(format!(
        "The value given for property '{property}' cannot be read as the expected type '{expected}'."
    ))
}

pub(crate) fn check_odata_type(value: &Value, expected: &str) -> Result<(), GraphError> {
    let given = value
        .as_str()
        .ok_or_else(|| type_error("@odata.type", "Edm.String"))?;
    if given.trim_start_matches('#').eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(GraphError::bad_request(format!(
            "The type '{given}' given in '@odata.type' does not match the expected type '{expected}'."
        )))
    }
}

/// Validates a qrPin object. `null` counts as "not given" for the nullable properties.
fn parse_qr_pin(map: &Map<String, Value>) -> Result<PinInput, GraphError> {
    let mut input = PinInput::default();
    for (name, value) in map {
        match name.as_str() {
            "@odata.type" => check_odata_type(value, "microsoft.graph.qrPin")?,
            "code" => match value {
                Value::String(s) => input.code = Some(s.clone()),
                Value::Null => {}
                _ => return Err(type_error(name, "Edm.String")),
            },
            "forceChangePinNextSignIn" => match value {
                Value::Bool(b) => input.force_change = Some(*b),
                Value::Null => {}
                _ => return Err(type_error(name, "Edm.Boolean")),
            },
            // Read-only: Graph ignores them on write, but they must still be well typed.
            "id" | "createdDateTime" | "updatedDateTime" => {
                if !matches!(value, Value::String(_) | Value::Null) {
                    return Err(type_error(name, "Edm.String"));
                }
            }
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Invalid property '{name}' for type microsoft.graph.qrPin."
                )))
            }
        }
    }
    Ok(input)
}

/// Supplied codes must match the tenant's PIN length exactly; absent codes are generated.
fn resolve_code(code: Option<String>, pin_length: u32) -> Result<String, GraphError> {
    match code {
        None => Ok(random_digits(pin_length)),
        Some(c) if c.len() == pin_length as usize && c.bytes().all(|b| b.is_ascii_digit()) => Ok(c),
        Some(_) => Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            format!(
                "The PIN code must consist of exactly {pin_length} digits (0-9), as set by the tenant's QR code PIN policy."
            ),
        )),
    }
}

pub(crate) fn pin_json(pin: &Pin, with_code: bool) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.qrPin",
        "code": if with_code { Value::String(pin.code.clone()) } else { Value::Null },
        "forceChangePinNextSignIn": pin.force_change,
        "createdDateTime": graph_timestamp(pin.created),
        "updatedDateTime": graph_timestamp(pin.updated),
    })
}

fn patch_pin(app: &Shared, key: &str, body: &Bytes) -> Result<GraphReply, GraphError> {
    let input = parse_qr_pin(&parse_body(body)?)?;
    let mut store = app.store.lock();
    let pin_length = store.pin_length;
    let idx = store
        .find_user(key)
        .filter(|&i| store.users[i].has_qr_method)
        .ok_or_else(|| GraphError::not_found(key))?;
    let code = resolve_code(input.code, pin_length)?;

    let now = now_ticks();
    let user = &mut store.users[idx];
    let pin = Pin {
        code,
        created: user.pin.as_ref().map_or(now, |p| p.created),
        updated: now,
        // Graph's documented reset response forces a change at next sign-in unless told otherwise.
        force_change: input.force_change.unwrap_or(true),
    };
    let body = pin_json(&pin, true);
    user.pin = Some(pin);
    user.applied_updates += 1;
    Ok(GraphReply::json(StatusCode::CREATED, body))
}

/// The method as Graph returns it: bare, parts inlined, PIN code and QR images only when just created.
fn method_json(user: &crate::state::User, with_code: bool, standard_image: Option<Value>) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.qrCodePinAuthenticationMethod",
        "id": user.method_id,
        "standardQRCode": user.standard_qr_code.as_ref().map(|c| qr_parts::qr_json(c, standard_image)),
        "temporaryQRCode": user.temporary_qr_code.as_ref().map(|c| qr_parts::qr_json(c, None)),
        "pin": user.pin.as_ref().map(|p| pin_json(p, with_code)),
    })
}

const METHOD_NAVIGATIONS: [&str; 3] = ["pin", "standardQRCode", "temporaryQRCode"];

fn get_method(app: &Shared, key: &str, raw_query: Option<&str>) -> Result<GraphReply, GraphError> {
    let query = qr_parts::parse_query(raw_query)?;
    let store = app.store.lock();
    let user = store
        .find_user(key)
        .map(|i| &store.users[i])
        .filter(|u| u.has_qr_method)
        .ok_or_else(|| GraphError::not_found(key))?;
    let body = qr_parts::apply_query(
        &query,
        method_json(user, false, None),
        "qrCodePinAuthenticationMethod",
        &METHOD_NAVIGATIONS,
    )?;
    Ok(GraphReply::json(StatusCode::OK, body))
}

fn put_method(app: &Shared, key: &str, body: &Bytes) -> Result<GraphReply, GraphError> {
    let map = parse_body(body)?;
    let mut pin_input = PinInput::default();
    let mut standard = qr_parts::QrInput::default();
    for (name, value) in &map {
        match name.as_str() {
            "@odata.type" => {
                check_odata_type(value, "microsoft.graph.qrCodePinAuthenticationMethod")?
            }
            "id" => {}
            "standardQRCode" => match value {
                Value::Object(q) => standard = qr_parts::parse_qr_code(q)?,
                Value::Null => {}
                _ => return Err(type_error(name, "microsoft.graph.qrCode")),
            },
            "temporaryQRCode" => match value {
                Value::Object(_) => {
                    return Err(GraphError::new(
                        StatusCode::BAD_REQUEST,
                        "invalidRequest",
                        "A temporaryQRCode cannot be set when the method is created; PATCH temporaryQRCode once the method exists.",
                    ))
                }
                Value::Null => {}
                _ => return Err(type_error(name, "microsoft.graph.qrCode")),
            },
            "pin" => match value {
                Value::Object(p) => pin_input = parse_qr_pin(p)?,
                Value::Null => {}
                _ => return Err(type_error(name, "microsoft.graph.qrPin")),
            },
            _ => {
                return Err(GraphError::bad_request(format!(
                "Invalid property '{name}' for type microsoft.graph.qrCodePinAuthenticationMethod."
            )))
            }
        }
    }

    let mut store = app.store.lock();
    let pin_length = store.pin_length;
    let idx = store
        .find_user(key)
        .ok_or_else(|| GraphError::not_found(key))?;
    // One method per user: re-creating it needs a DELETE first.
    if store.users[idx].has_qr_method {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "conflict",
            "The user already has a QR code PIN authentication method; delete it before creating a new one.",
        ));
    }
    let code = resolve_code(pin_input.code, pin_length)?;
    let standard = qr_parts::new_standard(&standard)?;
    let now = now_ticks();
    let user = &mut store.users[idx];
    let image = qr_parts::new_image(&user.id, &standard);
    user.method_id = new_guid();
    user.has_qr_method = true;
    user.standard_qr_code = Some(standard);
    user.temporary_qr_code = None;
    user.pin = Some(Pin {
        code,
        created: now,
        updated: now,
        force_change: pin_input.force_change.unwrap_or(true),
    });
    Ok(GraphReply::json(
        StatusCode::CREATED,
        method_json(user, true, Some(image)),
    ))
}

fn delete_method(app: &Shared, key: &str) -> Result<GraphReply, GraphError> {
    let mut store = app.store.lock();
    let idx = store
        .find_user(key)
        .filter(|&i| store.users[i].has_qr_method)
        .ok_or_else(|| GraphError::not_found(key))?;
    let user = &mut store.users[idx];
    user.has_qr_method = false;
    user.pin = None;
    user.standard_qr_code = None;
    user.temporary_qr_code = None;
    Ok(GraphReply::empty(StatusCode::NO_CONTENT))
}
