//! Builds the qrPin request body from expanded parameters, a body object, or this module's own
//! output object (docs/abi.md, "Body").

use serde_json::{Map, Value};

use crate::envelope::MgError;
use crate::validate;

/// qrPin properties: wire name and the cmdlet parameter that carries it.
pub const KNOWN: [(&str, &str); 5] = [
    ("id", "Id"),
    ("code", "Code"),
    ("createdDateTime", "CreatedDateTime"),
    ("forceChangePinNextSignIn", "ForceChangePinNextSignIn"),
    ("updatedDateTime", "UpdatedDateTime"),
];

/// The wire name of a qrPin property, matched case-insensitively.
pub fn known_wire_name(key: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(wire, _)| wire.eq_ignore_ascii_case(key))
        .map(|(wire, _)| *wire)
}

/// Validates and normalises the value of a qrPin property.
pub fn normalise_known(wire: &str, value: &Value, parameter: &str) -> Result<Value, MgError> {
    Ok(match wire {
        "code" => Value::String(validate::code(value, parameter)?),
        "forceChangePinNextSignIn" => Value::Bool(validate::boolean(value, parameter)?),
        "createdDateTime" | "updatedDateTime" => {
            Value::String(validate::date_time(value, parameter)?)
        }
        _ => Value::String(validate::string(value, parameter)?),
    })
}

/// Accumulates body entries, refusing the same key twice (case-insensitively).
#[derive(Default)]
struct Builder {
    body: Map<String, Value>,
    origins: Vec<(String, String)>,
}

impl Builder {
    /// Adds `key` (mapped to its wire name when it is a qrPin property). `origin` says where the
    /// value came from, for conflict messages; `parameter` names the parameter in errors.
    fn put(
        &mut self,
        key: &str,
        value: &Value,
        origin: String,
        parameter: &str,
    ) -> Result<(), MgError> {
        // A UserId names the user (it is in the URL); a qrPin has no such property, so it is never sent.
        if value.is_null() || key.eq_ignore_ascii_case("UserId") {
            return Ok(());
        }
        let (wire, value) = match known_wire_name(key) {
            Some(wire) => (wire.to_string(), normalise_known(wire, value, parameter)?),
            None => (key.to_string(), value.clone()),
        };
        if let Some((_, first)) = self
            .origins
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&wire))
        {
            return Err(MgError::invalid(
                "ConflictingBodyValues",
                parameter,
                format!(
                    "The body property '{wire}' is given twice: by {first} and by {origin}. Give each property once."
                ),
            ));
        }
        self.origins.push((wire.clone(), origin));
        self.body.insert(wire, value);
        Ok(())
    }

    fn merge_additional(
        &mut self,
        additional: &Value,
        origin_prefix: &str,
        parameter: &str,
    ) -> Result<(), MgError> {
        match additional {
            Value::Null => Ok(()),
            Value::Object(map) => {
                for (k, v) in map {
                    self.put(k, v, format!("{origin_prefix} key '{k}'"), parameter)?;
                }
                Ok(())
            }
            other => Err(MgError::invalid(
                "InvalidBodyParameter",
                parameter,
                format!(
                    "{parameter} must be a hashtable of extra body properties, not {}.",
                    validate::json_type_name(other)
                ),
            )),
        }
    }
}

fn get_ci<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// Body of the expanded sets: `-Id -Code -CreatedDateTime -ForceChangePinNextSignIn
/// -UpdatedDateTime` then `-AdditionalProperties` entries. `bound` holds the bound parameters.
pub fn from_expanded(bound: &Map<String, Value>) -> Result<Map<String, Value>, MgError> {
    let mut b = Builder::default();
    for (wire, parameter) in KNOWN {
        if let Some(v) = get_ci(bound, parameter) {
            b.put(wire, v, format!("-{parameter}"), parameter)?;
        }
    }
    if let Some(additional) = get_ci(bound, "AdditionalProperties") {
        b.merge_additional(additional, "-AdditionalProperties", "AdditionalProperties")?;
    }
    Ok(b.body)
}

/// Body from a hashtable, PSObject or parsed JSON text. qrPin properties map to their wire
/// names, other keys pass through, an `AdditionalProperties` member is merged in.
///
/// With `only_qrpin` (one piped object that is both identity and body) only the qrPin
/// properties and `@odata.type` are taken; the rest is identity data.
pub fn from_object(
    map: &Map<String, Value>,
    parameter: &str,
    only_qrpin: bool,
) -> Result<Map<String, Value>, MgError> {
    let mut b = Builder::default();
    for (k, v) in map {
        if k.eq_ignore_ascii_case("AdditionalProperties") && (v.is_object() || v.is_null()) {
            if !only_qrpin {
                b.merge_additional(v, &format!("{parameter}.AdditionalProperties"), parameter)?;
            }
        } else if known_wire_name(k).is_some()
            || !only_qrpin
            || k.eq_ignore_ascii_case("@odata.type")
        {
            b.put(k, v, format!("{parameter} key '{k}'"), parameter)?;
        }
    }
    Ok(b.body)
}

/// Body from this module's own output object: its qrPin properties plus its
/// `AdditionalProperties` entries; `UserId` (and anything else) is not body.
pub fn from_model(
    map: &Map<String, Value>,
    parameter: &str,
) -> Result<Map<String, Value>, MgError> {
    let mut b = Builder::default();
    for (wire, property) in KNOWN {
        if let Some(v) = get_ci(map, property) {
            b.put(wire, v, format!("{parameter}.{property}"), parameter)?;
        }
    }
    if let Some(additional) = get_ci(map, "AdditionalProperties") {
        b.merge_additional(
            additional,
            &format!("{parameter}.AdditionalProperties"),
            parameter,
        )?;
    }
    Ok(b.body)
}

/// The body with the PIN and any other secret field replaced by `<redacted>` (for WhatIf, errors
/// and logs), through the one redaction helper.
pub fn redacted(body: &Map<String, Value>) -> Map<String, Value> {
    crate::redact::redact_map(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn error_id(e: MgError) -> String {
        match e {
            MgError::InvalidArgument { error_id, .. } => error_id,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn expanded_parameters_become_camel_case() {
        let b = from_expanded(&obj(json!({
            "Code": "09599786", "ForceChangePinNextSignIn": false, "Id": "pin-1",
            "CreatedDateTime": "2025-03-04T23:45:37.2605385+01:00",
            "UpdatedDateTime": "2025-03-04T22:45:37Z"
        })))
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"id": "pin-1", "code": "09599786",
                "createdDateTime": "2025-03-04T22:45:37.2605385Z",
                "forceChangePinNextSignIn": false,
                "updatedDateTime": "2025-03-04T22:45:37.0000000Z"})
        );
        assert!(from_expanded(&Map::new()).unwrap().is_empty());
    }

    #[test]
    fn additional_properties_merge_and_conflict() {
        let b = from_expanded(&obj(json!({
            "Code": "12345678",
            "AdditionalProperties": {"@odata.type": "#microsoft.graph.qrPin", "dropped": null, "extra": {"a": 1}}
        })))
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"code": "12345678", "@odata.type": "#microsoft.graph.qrPin", "extra": {"a": 1}})
        );
        let e = from_expanded(&obj(json!({
            "Code": "12345678", "AdditionalProperties": {"CODE": "87654321"}
        })))
        .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("-Code") && msg.contains("'CODE'"), "{msg}");
        assert!(!msg.contains("12345678") && !msg.contains("87654321"));
        assert_eq!(error_id(e), "ConflictingBodyValues");
        // A known key in AdditionalProperties alone is validated and renamed.
        let b = from_expanded(&obj(
            json!({"AdditionalProperties": {"ForceChangePINNextSignIn": true}}),
        ))
        .unwrap();
        assert_eq!(Value::Object(b), json!({"forceChangePinNextSignIn": true}));
        let e =
            from_expanded(&obj(json!({"AdditionalProperties": {"code": 1234567890}}))).unwrap_err();
        assert_eq!(error_id(e), "InvalidCode");
        let e = from_expanded(&obj(json!({"AdditionalProperties": "x"}))).unwrap_err();
        assert_eq!(error_id(e), "InvalidBodyParameter");
    }

    #[test]
    fn object_keys_are_case_insensitive_and_nulls_dropped() {
        let b = from_object(
            &obj(
                json!({"@odata.type": "#microsoft.graph.qrPin", "CODE": "0959978600",
                "forcechangepinnextsignin": true, "Id": null, "custom": "x",
                "createddatetime": "2025-03-04T17:45:37-05:00"}),
            ),
            "BodyParameter",
            false,
        )
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"@odata.type": "#microsoft.graph.qrPin", "code": "0959978600",
                "forceChangePinNextSignIn": true, "custom": "x",
                "createdDateTime": "2025-03-04T22:45:37.0000000Z"})
        );
        let e = from_object(
            &obj(json!({"code": "12345678", "Code": "12345678"})),
            "BodyParameter",
            false,
        )
        .unwrap_err();
        assert_eq!(error_id(e), "ConflictingBodyValues");
        let e = from_object(&obj(json!({"code": 12345678})), "BodyParameter", false).unwrap_err();
        assert_eq!(error_id(e), "InvalidCode");
    }

    #[test]
    fn object_additional_properties_member_is_merged() {
        let b = from_object(
            &obj(json!({"Code": "12345678", "AdditionalProperties": {"@odata.type": "#t"}})),
            "BodyParameter",
            false,
        )
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"code": "12345678", "@odata.type": "#t"})
        );
    }

    #[test]
    fn input_is_body_keeps_only_qrpin_properties() {
        let b = from_object(
            &obj(json!({"UserId": "u1", "Code": "12345678", "@odata.type": "#microsoft.graph.qrPin",
                "GroupId": "g", "AdditionalProperties": {"x": 1}, "UpdatedDateTime": "2025-03-04T22:45:37Z"})),
            "InputObject",
            true,
        )
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"code": "12345678", "@odata.type": "#microsoft.graph.qrPin",
                "updatedDateTime": "2025-03-04T22:45:37.0000000Z"})
        );
    }

    #[test]
    fn model_kind_ignores_user_id() {
        let b = from_model(
            &obj(json!({"Code": "12345678", "CreatedDateTime": "2025-03-04T22:45:37.2605385Z",
                "ForceChangePinNextSignIn": true, "Id": null, "UpdatedDateTime": null,
                "AdditionalProperties": {"@odata.type": "#microsoft.graph.qrPin"}, "UserId": "someone"})),
            "BodyParameter",
        )
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"code": "12345678", "createdDateTime": "2025-03-04T22:45:37.2605385Z",
                "forceChangePinNextSignIn": true, "@odata.type": "#microsoft.graph.qrPin"})
        );
    }

    #[test]
    fn a_user_id_key_is_never_body() {
        let bound = obj(json!({"UserId": "u2", "Code": "12345678",
            "AdditionalProperties": {"userid": "u3", "@odata.type": "#t"}}));
        assert_eq!(
            Value::Object(from_expanded(&bound).unwrap()),
            json!({"code": "12345678", "@odata.type": "#t"})
        );
        let body = obj(
            json!({"USERID": "u2", "code": "12345678", "AdditionalProperties": {"UserId": "u3"}}),
        );
        assert_eq!(
            Value::Object(from_object(&body, "BodyParameter", false).unwrap()),
            json!({"code": "12345678"})
        );
    }

    #[test]
    fn redaction() {
        let r = redacted(&obj(json!({"code": "12345678", "id": "x"})));
        assert_eq!(Value::Object(r), json!({"code": "<redacted>", "id": "x"}));
        assert!(redacted(&Map::new()).is_empty());
    }
}
