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

fn is_secret(name: &str) -> bool {
    SECRET_FIELDS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// A copy of `value` with every secret field, at any depth, replaced by [`REDACTED`]. A `null`
/// stays `null`: it says that nothing was sent, which is worth seeing.
pub fn redact_value(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(redact_map(map)),
        Value::Array(items) => Value::Array(items.iter().map(redact_value).collect()),
        other => other.clone(),
    }
}

/// [`redact_value`] for an object.
pub fn redact_map(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| {
            let shown = if is_secret(k) && !v.is_null() {
                Value::String(REDACTED.into())
            } else {
                redact_value(v)
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
