//! The one place that decides what is secret: by field name in a JSON body (every log line, WhatIf
//! text, error target and debug block that shows a body goes through here), and by value in any
//! text the module shows (every log line and error), for the secrets the process holds: access and
//! refresh tokens, client secrets, proxy passwords and the PINs of requests in flight. A server
//! that echoes one back (in a body, a header or a message) cannot make the module print it.

use std::borrow::Cow;
use std::collections::VecDeque;

use once_cell::sync::Lazy;
use parking_lot::RwLock;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

/// What replaces a secret value.
pub const REDACTED: &str = "<redacted>";

/// Field names whose values are never shown, compared without regard to case: the PIN (`code`, also
/// an OAuth authorization code) and the token and credential fields of the sign-in protocols.
pub const SECRET_FIELDS: [&str; 8] = [
    "code",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "client_assertion",
    "assertion",
    "password",
];

/// Keys whose value is an OData error object (or a list of them), where `code` is Graph's error
/// code (`TooManyRequests`), not a PIN.
const ERROR_OBJECTS: [&str; 4] = ["error", "innerError", "details", "innererror"];

/// The model properties the command table marks secret (the PIN, the QR image's bytes).
static MODEL_SECRETS: Lazy<Vec<&'static str>> =
    Lazy::new(crate::commands::table::secret_wire_names);

fn is_secret(name: &str, in_error: bool) -> bool {
    SECRET_FIELDS
        .iter()
        .chain(MODEL_SECRETS.iter())
        .any(|s| s.eq_ignore_ascii_case(name) && !(in_error && *s == "code"))
}

/// A copy of `value` with every secret field, at any depth, replaced by [`REDACTED`]. A `null`
/// stays `null`: it says that nothing was sent, which is worth seeing.
pub fn redact_value(value: &Value) -> Value {
    redact_in(value, false)
}

/// [`redact_value`] for an object.
pub fn redact_map(map: &Map<String, Value>) -> Map<String, Value> {
    redact_object(map, false)
}

fn redact_in(value: &Value, in_error: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(redact_object(map, in_error)),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact_in(v, in_error)).collect()),
        other => other.clone(),
    }
}

fn redact_object(map: &Map<String, Value>, in_error: bool) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| {
            let shown = if is_secret(k, in_error) && !v.is_null() {
                Value::String(REDACTED.into())
            } else {
                let error_object = ERROR_OBJECTS.iter().any(|e| e.eq_ignore_ascii_case(k));
                redact_in(v, error_object)
            };
            (k.clone(), shown)
        })
        .collect()
}

/// `text` with every occurrence of `secret` replaced by [`REDACTED`]: for text we cannot parse,
/// such as an error message that repeats the PIN it refused.
pub fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() || !text.contains(secret) {
        return text.to_string();
    }
    text.replace(secret, REDACTED)
}

/// Shorter values are not masked by value: masking a two-letter password would garble every text.
pub const MIN_SECRET_LEN: usize = 6;
/// How many lasting secrets (tokens, refresh tokens, client secrets, proxy passwords) are kept;
/// the oldest go first, long after they stopped being used.
const LASTING: usize = 64;

#[derive(Default)]
struct Held {
    lasting: VecDeque<Zeroizing<String>>,
    /// PINs of requests on their way, each with how many requests carry it.
    in_flight: Vec<(Zeroizing<String>, usize)>,
}

static HELD: Lazy<RwLock<Held>> = Lazy::new(Default::default);

/// The forms a secret may come back in: as given, JSON-escaped, form-encoded.
fn forms(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_string()];
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"');
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    for other in [json.to_string(), form] {
        if !out.contains(&other) {
            out.push(other);
        }
    }
    out
}

/// Remembers a secret the process holds (a token, a refresh token, a client secret, a proxy
/// password), so that [`mask`] hides it wherever it shows up.
pub fn hold(secret: &str) {
    if secret.len() < MIN_SECRET_LEN {
        return;
    }
    let mut held = HELD.write();
    for form in forms(secret) {
        if held.lasting.iter().any(|s| s.as_str() == form) {
            continue;
        }
        if held.lasting.len() >= LASTING {
            held.lasting.pop_front();
        }
        held.lasting.push_back(Zeroizing::new(form));
    }
}

/// A PIN hidden from every text while its request is under way (until the guard drops).
pub struct InFlight(Option<String>);

pub fn in_flight(pin: &str) -> InFlight {
    if pin.len() < MIN_SECRET_LEN {
        return InFlight(None);
    }
    let mut held = HELD.write();
    match held.in_flight.iter_mut().find(|(p, _)| p.as_str() == pin) {
        Some((_, count)) => *count += 1,
        None => held.in_flight.push((Zeroizing::new(pin.to_string()), 1)),
    }
    InFlight(Some(pin.to_string()))
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let Some(mut pin) = self.0.take() else { return };
        let mut held = HELD.write();
        if let Some(i) = held.in_flight.iter().position(|(p, _)| *p.as_str() == pin) {
            held.in_flight[i].1 -= 1;
            if held.in_flight[i].1 == 0 {
                held.in_flight.swap_remove(i);
            }
        }
        zeroize::Zeroize::zeroize(&mut pin);
    }
}

/// `text` with every secret the process holds replaced by [`REDACTED`].
pub fn mask(text: &str) -> Cow<'_, str> {
    let held = HELD.read();
    let mut out = Cow::Borrowed(text);
    let secrets = held
        .lasting
        .iter()
        .chain(held.in_flight.iter().map(|(p, _)| p));
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
        }
    }
    out
}

/// [`mask`] for an owned string: no copy when nothing is secret.
pub fn mask_owned(text: String) -> String {
    match mask(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(masked) => masked,
    }
}

/// Every string (keys kept) of a JSON value through [`mask`].
pub fn mask_value(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let Cow::Owned(masked) = mask(s) {
                *s = masked;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_value),
        Value::Object(map) => map.values_mut().for_each(mask_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_fields_are_redacted_at_any_depth_whatever_their_case() {
        let v = json!({
            "code": "09599786",
            "Code": 12345678,
            "forceChangePinNextSignIn": true,
            "nested": {"ACCESS_TOKEN": "eyJ", "refresh_token": "r", "keep": "k"},
            "list": [{"client_secret": "s"}, {"password": "p", "id_token": "i"}, "plain"],
            "client_assertion": "a", "assertion": "b",
            "empty": null, "code2": "not a secret name"
        });
        assert_eq!(
            redact_value(&v),
            json!({
                "code": "<redacted>",
                "Code": "<redacted>",
                "forceChangePinNextSignIn": true,
                "nested": {"ACCESS_TOKEN": "<redacted>", "refresh_token": "<redacted>", "keep": "k"},
                "list": [{"client_secret": "<redacted>"}, {"password": "<redacted>", "id_token": "<redacted>"}, "plain"],
                "client_assertion": "<redacted>", "assertion": "<redacted>",
                "empty": null, "code2": "not a secret name"
            })
        );
    }

    #[test]
    fn graph_error_codes_are_not_secrets_but_tokens_in_errors_are() {
        let v = json!({"error": {"code": "TooManyRequests", "message": "m",
            "innerError": {"code": "inner", "access_token": "t"},
            "details": [{"code": "d"}]}});
        assert_eq!(
            redact_value(&v),
            json!({"error": {"code": "TooManyRequests", "message": "m",
                "innerError": {"code": "inner", "access_token": "<redacted>"},
                "details": [{"code": "d"}]}})
        );
        // Below an error object, a qrPin-like object is secret again.
        let v = json!({"error": {"target": {"code": "12345678"}}});
        assert_eq!(
            redact_value(&v),
            json!({"error": {"target": {"code": "<redacted>"}}})
        );
    }

    #[test]
    fn null_secrets_stay_null_and_order_is_kept() {
        let v = json!({"z": 1, "code": null, "a": 2});
        let r = redact_value(&v);
        assert_eq!(r, json!({"z": 1, "code": null, "a": 2}));
        assert_eq!(r.to_string(), r#"{"z":1,"code":null,"a":2}"#);
    }

    #[test]
    fn scrub_replaces_every_occurrence() {
        assert_eq!(
            scrub("PIN 12345678 refused; 12345678 again", "12345678"),
            "PIN <redacted> refused; <redacted> again"
        );
        assert_eq!(scrub("nothing here", "12345678"), "nothing here");
        assert_eq!(scrub("abc", ""), "abc");
    }

    #[test]
    fn held_secrets_are_masked_by_value_in_every_form() {
        hold("tok.en-value~1");
        hold("short");
        let text = r#"Bearer tok.en-value~1 / tok.en-value%7E1 / short"#;
        assert_eq!(mask(text), "Bearer <redacted> / <redacted> / short");
        assert!(matches!(mask("nothing"), Cow::Borrowed(_)));
        let mut v = serde_json::json!({"m": ["x tok.en-value~1"], "n": 5});
        mask_value(&mut v);
        assert_eq!(v, serde_json::json!({"m": ["x <redacted>"], "n": 5}));
    }

    #[test]
    fn a_pin_is_masked_while_a_request_carries_it() {
        let a = in_flight("86429731");
        let b = in_flight("86429731");
        assert_eq!(mask("PIN 86429731"), "PIN <redacted>");
        drop(a);
        assert_eq!(mask("PIN 86429731"), "PIN <redacted>");
        drop(b);
        assert_eq!(mask("PIN 86429731"), "PIN 86429731");
    }
}
