//! The one place that decides what is secret in a JSON body: every log line, WhatIf text, error
//! target and debug block that shows a body goes through here.

use serde_json::{Map, Value};

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

fn is_secret(name: &str, in_error: bool) -> bool {
    SECRET_FIELDS
        .iter()
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
}
