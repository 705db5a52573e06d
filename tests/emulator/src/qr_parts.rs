//! The parts of a QR code PIN method: `pin`, `standardQRCode` and `temporaryQRCode` (GET, PATCH, DELETE), the
//! qrCode rules Graph documents, and the `$select` / `$expand` handling shared with the method's GET.

use axum::body::Bytes;
use axum::http::StatusCode;
use base64::Engine;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde_json::{json, Map, Value};

use crate::graph_errors::{GraphError, GraphReply};
use crate::graph_routes::{check_odata_type, parse_body, pin_json, type_error};
use crate::state::{graph_timestamp, now_ticks, QrCode, Shared, User};

/// A standard code may expire at most this long after its start; without an expiry it gets the default.
pub const STANDARD_MAX: Duration = Duration::days(395);
pub const STANDARD_DEFAULT: Duration = Duration::days(365);
/// A temporary code lives between these bounds; without an expiry it gets the maximum.
pub const TEMPORARY_MIN: Duration = Duration::hours(1);
pub const TEMPORARY_MAX: Duration = Duration::hours(12);

/// What Graph answers for a QR code that was never used.
const NEVER_USED: &str = "0001-01-01T00:00:00Z";

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Part {
    Pin,
    Standard,
    Temporary,
}

impl Part {
    pub fn segment(self) -> &'static str {
        match self {
            Part::Pin => "pin",
            Part::Standard => "standardQRCode",
            Part::Temporary => "temporaryQRCode",
        }
    }

    fn slot(self, user: &mut User) -> &mut Option<QrCode> {
        match self {
            Part::Temporary => &mut user.temporary_qr_code,
            _ => &mut user.standard_qr_code,
        }
    }
}

/// The qrCode as Graph returns it; `image` only when the code has just been created.
pub fn qr_json(code: &QrCode, image: Option<Value>) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.qrCode",
        "id": code.id,
        "createdDateTime": graph_timestamp(code.created),
        "startDateTime": graph_timestamp(code.start),
        "expireDateTime": graph_timestamp(code.expire),
        "lastUsedDateTime": NEVER_USED,
        "image": image.unwrap_or(Value::Null),
    })
}

/// A qrCodeImageDetails for a new code. The bytes are opaque (not a renderable picture): `rawContent` is the
/// payload a scanner would read, `binaryValue` a PNG signature followed by that payload.
pub fn new_image(user_id: &str, code: &QrCode) -> Value {
    let secret: String = crate::state::new_guid().replace('-', "");
    let raw = format!("qrpin:{user_id}:{}:{secret}", code.id).into_bytes();
    let mut binary = b"\x89PNG\r\n\x1a\n".to_vec();
    binary.extend_from_slice(&raw);
    let b64 = base64::engine::general_purpose::STANDARD;
    json!({
        "@odata.type": "#microsoft.graph.qrCodeImageDetails",
        "binaryValue": b64.encode(&binary),
        "errorCorrectionLevel": "m",
        "rawContent": b64.encode(&raw),
        "version": 6,
    })
}

/// The settable times of a qrCode body.
#[derive(Default)]
pub struct QrInput {
    pub start: Option<DateTime<Utc>>,
    pub expire: Option<DateTime<Utc>>,
}

fn parse_time(name: &str, value: &Value) -> Result<Option<DateTime<Utc>>, GraphError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.with_timezone(&Utc).trunc_subsecs(7)))
            .map_err(|_| {
                GraphError::bad_request(format!(
                    "The value '{s}' given for property '{name}' is not a valid Edm.DateTimeOffset."
                ))
            }),
        _ => Err(type_error(name, "Edm.DateTimeOffset")),
    }
}

/// Validates a qrCode object: only `startDateTime` and `expireDateTime` may carry values.
pub fn parse_qr_code(map: &Map<String, Value>) -> Result<QrInput, GraphError> {
    let mut input = QrInput::default();
    for (name, value) in map {
        match name.as_str() {
            "@odata.type" => check_odata_type(value, "microsoft.graph.qrCode")?,
            "startDateTime" => input.start = parse_time(name, value)?,
            "expireDateTime" => input.expire = parse_time(name, value)?,
            "id" | "createdDateTime" | "lastUsedDateTime" | "image" => {
                if !value.is_null() {
                    return Err(rule(format!(
                        "Only startDateTime and expireDateTime can be updated on a qrCode; '{name}' is read-only."
                    )));
                }
            }
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Invalid property '{name}' for type microsoft.graph.qrCode."
                )))
            }
        }
    }
    Ok(input)
}

/// A broken documented rule: 400 with the same code as the PIN length rule.
fn rule(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "invalidRequest", message)
}

pub fn check_standard(start: DateTime<Utc>, expire: DateTime<Utc>) -> Result<(), GraphError> {
    if expire <= start {
        return Err(rule(
            "The expireDateTime of a standard QR code must be later than its startDateTime.",
        ));
    }
    if expire - start > STANDARD_MAX {
        return Err(rule(
            "A standard QR code can expire at most 395 days after its startDateTime.",
        ));
    }
    Ok(())
}

fn check_temporary(start: DateTime<Utc>, expire: DateTime<Utc>) -> Result<(), GraphError> {
    let life = expire - start;
    if life < TEMPORARY_MIN || life > TEMPORARY_MAX {
        return Err(rule(
            "A temporary QR code must live between 1 and 12 hours (from startDateTime to expireDateTime).",
        ));
    }
    Ok(())
}

/// A new standard code from a request's times: start defaults to now, expiry to 365 days after the start.
pub fn new_standard(input: &QrInput) -> Result<QrCode, GraphError> {
    let start = input.start.unwrap_or_else(now_ticks);
    let expire = input.expire.unwrap_or(start + STANDARD_DEFAULT);
    check_standard(start, expire)?;
    Ok(QrCode::new(start, expire))
}

/// `$select` and `$expand` of a GET, as property names.
#[derive(Default)]
pub struct Query {
    select: Option<Vec<String>>,
    expand: Option<Vec<String>>,
}

pub fn parse_query(raw: Option<&str>) -> Result<Query, GraphError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|_| GraphError::bad_request("The query string could not be parsed."))?;
    let mut query = Query::default();
    for (key, value) in pairs {
        let list = || {
            value
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        match key.to_ascii_lowercase().as_str() {
            "$select" | "select" => query.select = Some(list()),
            "$expand" | "expand" => query.expand = Some(list()),
            // Other options ($filter, $top, ...) are ignored, as before.
            _ => {}
        }
    }
    Ok(query)
}

/// Applies the query to an object of type `type_name` whose navigation properties are `navigations`.
/// Navigation properties are always inlined, so `$expand` only has to name real ones.
pub fn apply_query(
    query: &Query,
    body: Value,
    type_name: &str,
    navigations: &[&str],
) -> Result<Value, GraphError> {
    let Value::Object(map) = body else {
        return Ok(body);
    };
    let unknown = |p: &str| {
        GraphError::bad_request(format!(
            "Could not find a property named '{p}' on type 'microsoft.graph.{type_name}'."
        ))
    };
    if let Some(expand) = &query.expand {
        if navigations.is_empty() {
            return Err(GraphError::bad_request(format!(
                "The query specified in the URI is not valid. $expand is not supported on type 'microsoft.graph.{type_name}'."
            )));
        }
        for e in expand {
            if e != "*" && !navigations.iter().any(|n| n.eq_ignore_ascii_case(e)) {
                return Err(unknown(e));
            }
        }
    }
    let Some(select) = &query.select else {
        return Ok(Value::Object(map));
    };
    let mut keep: Vec<String> = Vec::new();
    for s in select {
        if s == "*" {
            return Ok(Value::Object(map));
        }
        match map
            .keys()
            .find(|k| *k != "@odata.type" && k.eq_ignore_ascii_case(s))
        {
            Some(k) => keep.push(k.clone()),
            None => return Err(unknown(s)),
        }
    }
    // Expanded navigation properties come back even when `$select` leaves them out.
    for e in query.expand.iter().flatten() {
        for n in navigations {
            if e == "*" || n.eq_ignore_ascii_case(e) {
                keep.push((*n).to_owned());
            }
        }
    }
    Ok(Value::Object(
        map.into_iter()
            .filter(|(k, _)| k == "@odata.type" || keep.contains(k))
            .collect(),
    ))
}

/// The user holding a QR code PIN method, or 404 naming the key.
fn method_owner<'a>(
    users: &'a mut [User],
    idx: Option<usize>,
    key: &str,
) -> Result<&'a mut User, GraphError> {
    idx.map(|i| &mut users[i])
        .filter(|u| u.has_qr_method)
        .ok_or_else(|| GraphError::not_found(key))
}

pub fn get_part(
    app: &Shared,
    key: &str,
    part: Part,
    raw_query: Option<&str>,
) -> Result<GraphReply, GraphError> {
    let query = parse_query(raw_query)?;
    let mut store = app.store.lock();
    let idx = store.find_user(key);
    let user = method_owner(&mut store.users, idx, key)?;
    let absent = || GraphError::not_found(part.segment());
    let (body, type_name) = match part {
        Part::Pin => (
            pin_json(user.pin.as_ref().ok_or_else(absent)?, false),
            "qrPin",
        ),
        _ => (
            qr_json(part.slot(user).as_ref().ok_or_else(absent)?, None),
            "qrCode",
        ),
    };
    let body = apply_query(&query, body, type_name, &[])?;
    Ok(GraphReply::json(StatusCode::OK, body))
}

/// DELETE of a QR code. The router refuses DELETE on the pin (405), so the `Pin` arm is only a safe fallback.
pub fn delete_part(app: &Shared, key: &str, part: Part) -> Result<GraphReply, GraphError> {
    let mut store = app.store.lock();
    let idx = store.find_user(key);
    let user = method_owner(&mut store.users, idx, key)?;
    let gone = match part {
        Part::Pin => user.pin.take().is_some(),
        _ => part.slot(user).take().is_some(),
    };
    if gone {
        Ok(GraphReply::empty(StatusCode::NO_CONTENT))
    } else {
        Err(GraphError::not_found(part.segment()))
    }
}

/// PATCH of `standardQRCode` / `temporaryQRCode`: creates the code (201, with image) when none is active, otherwise
/// updates the active one (200, image null).
pub fn patch_qr(
    app: &Shared,
    key: &str,
    part: Part,
    body: &Bytes,
) -> Result<GraphReply, GraphError> {
    let input = parse_qr_code(&parse_body(body)?)?;
    let mut store = app.store.lock();
    let idx = store.find_user(key);
    let user = method_owner(&mut store.users, idx, key)?;
    let user_id = user.id.clone();
    let now = now_ticks();
    let slot = part.slot(user);
    match slot.as_mut().filter(|c| c.is_active(now)) {
        Some(code) => {
            let start = input.start.unwrap_or(code.start);
            let expire = match (part, input.expire) {
                (Part::Temporary, Some(e)) if e != code.expire => {
                    return Err(rule(
                        "The expireDateTime of a temporary QR code cannot be changed; delete the code and create a new one.",
                    ))
                }
                (_, e) => e.unwrap_or(code.expire),
            };
            if part == Part::Temporary {
                check_temporary(start, expire)?;
            } else {
                check_standard(start, expire)?;
            }
            code.start = start;
            code.expire = expire;
            Ok(GraphReply::json(StatusCode::OK, qr_json(code, None)))
        }
        None => {
            let code = if part == Part::Temporary {
                let start = input.start.unwrap_or(now);
                let expire = input.expire.unwrap_or(start + TEMPORARY_MAX);
                check_temporary(start, expire)?;
                QrCode::new(start, expire)
            } else {
                new_standard(&input)?
            };
            let image = new_image(&user_id, &code);
            let body = qr_json(&code, Some(image));
            *slot = Some(code);
            Ok(GraphReply::json(StatusCode::CREATED, body))
        }
    }
}
