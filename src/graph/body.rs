//! Builds a request body from expanded parameters, a body object, or this module's own output
//! object, for the body model a command names in the table (docs/abi.md, "Body").

use base64::Engine;
use serde_json::{Map, Value};

use crate::commands::table::{self, Command, Model, Property, Role};
use crate::envelope::MgError;
use crate::validate;

/// Validates and normalises the value of a model property.
pub fn normalise_known(
    property: &Property,
    value: &Value,
    parameter: &str,
) -> Result<Value, MgError> {
    Ok(match property.type_name.as_str() {
        "pin" => Value::String(validate::code(value, parameter)?),
        "boolean" => Value::Bool(validate::boolean(value, parameter)?),
        "datetime" => Value::String(validate::date_time(value, parameter)?),
        "string" => Value::String(validate::string(value, parameter)?),
        "int" => match value {
            Value::Number(n) if n.is_i64() => value.clone(),
            other => return Err(not_a(parameter, &property.name, "a whole number", other)),
        },
        "bytes" => Value::String(bytes(value, parameter, &property.name)?),
        "strings" => match value {
            Value::Array(items) if items.iter().all(Value::is_string) => value.clone(),
            Value::String(_) => Value::Array(vec![value.clone()]),
            other => return Err(not_a(parameter, &property.name, "a list of strings", other)),
        },
        nested => {
            let model = table::model(nested)?;
            let map = match value {
                Value::Object(m) => crate::params::untagged(m),
                other => {
                    return Err(not_a(
                        parameter,
                        &property.name,
                        "a hashtable or object",
                        other,
                    ))
                }
            };
            Value::Object(from_object(model, &map, parameter, false)?)
        }
    })
}

fn not_a(parameter: &str, property: &str, wanted: &str, value: &Value) -> MgError {
    MgError::invalid(
        "InvalidBodyParameter",
        parameter,
        format!(
            "{parameter}: {property} must be {wanted}, not {}.",
            validate::json_type_name(value)
        ),
    )
}

/// Binary data: base64 text, or the byte values of a byte[] (numbers 0-255), sent as base64.
fn bytes(value: &Value, parameter: &str, property: &str) -> Result<String, MgError> {
    let engine = base64::engine::general_purpose::STANDARD;
    match value {
        Value::String(text) => match engine.decode(text.trim()) {
            Ok(_) => Ok(text.trim().to_string()),
            Err(_) => Err(MgError::invalid(
                "InvalidBodyParameter",
                parameter,
                format!(
                    "{parameter}: {property} is text but not base64; pass a byte[] or base64 text."
                ),
            )),
        },
        Value::Array(items) => {
            let mut raw = Vec::with_capacity(items.len());
            for item in items {
                match item.as_u64() {
                    Some(b) if b <= 255 => raw.push(b as u8),
                    _ => return Err(not_a(parameter, property, "a byte[] (numbers 0-255)", item)),
                }
            }
            Ok(engine.encode(raw))
        }
        other => Err(not_a(parameter, property, "a byte[] or base64 text", other)),
    }
}

/// Accumulates body entries, refusing the same key twice (case-insensitively).
struct Builder<'m> {
    model: &'m Model,
    body: Map<String, Value>,
    origins: Vec<(String, String)>,
    /// A piped record (a CSV row): an empty cell means the property was not given.
    blank_is_absent: bool,
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model) -> Self {
        Builder {
            model,
            body: Map::new(),
            origins: Vec::new(),
            blank_is_absent: false,
        }
    }

    /// Adds `key` (mapped to its wire name when it is a model property). `origin` says where the
    /// value came from, for conflict messages; `parameter` names the parameter in errors.
    fn put(
        &mut self,
        key: &str,
        value: &Value,
        origin: String,
        parameter: &str,
    ) -> Result<(), MgError> {
        // A UserId names the user (it is in the URL); no body model has such a property, so it is never sent.
        if value.is_null() || key.eq_ignore_ascii_case("UserId") {
            return Ok(());
        }
        if self.blank_is_absent && value.as_str().is_some_and(|s| s.trim().is_empty()) {
            return Ok(());
        }
        let (wire, value) = match self.model.property(key) {
            Some(p) => (p.wire.clone(), normalise_known(p, value, parameter)?),
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

/// Body of the expanded sets: the command's body parameters in table order, then
/// `-AdditionalProperties` entries. `bound` holds the bound parameters.
pub fn from_expanded(
    command: &Command,
    model: &Model,
    bound: &Map<String, Value>,
) -> Result<Map<String, Value>, MgError> {
    let mut b = Builder::new(model);
    for p in &command.parameters {
        if let (Role::Body(wire), Some(v)) = (&p.role, get_ci(bound, &p.name)) {
            // A model-typed parameter (-Image) comes tagged like -BodyParameter.
            let v = match v {
                Value::Object(m) => Value::Object(crate::params::untagged(m)),
                other => other.clone(),
            };
            b.put(wire, &v, format!("-{}", p.name), &p.name)?;
        }
    }
    for p in &command.parameters {
        if let (Role::BodyAdditional, Some(additional)) = (&p.role, get_ci(bound, &p.name)) {
            b.merge_additional(additional, &format!("-{}", p.name), &p.name)?;
        }
    }
    Ok(b.body)
}

/// Body from a hashtable, PSObject or parsed JSON text. Model properties map to their wire
/// names, other keys pass through, an `AdditionalProperties` member is merged in.
///
/// With `only_model` (one piped object that is both identity and body) only the model's
/// properties and `@odata.type` are taken; the rest is identity data.
pub fn from_object(
    model: &Model,
    map: &Map<String, Value>,
    parameter: &str,
    only_model: bool,
) -> Result<Map<String, Value>, MgError> {
    let mut b = Builder::new(model);
    b.blank_is_absent = only_model;
    for (k, v) in map {
        if k.eq_ignore_ascii_case("AdditionalProperties") && (v.is_object() || v.is_null()) {
            if !only_model {
                b.merge_additional(v, &format!("{parameter}.AdditionalProperties"), parameter)?;
            }
        } else if model.property(k).is_some()
            || !only_model
            || k.eq_ignore_ascii_case("@odata.type")
        {
            b.put(k, v, format!("{parameter} key '{k}'"), parameter)?;
        }
    }
    Ok(b.body)
}

/// Body from this module's own output object: its model properties plus its
/// `AdditionalProperties` entries; `UserId` (and anything else) is not body.
pub fn from_model(
    model: &Model,
    map: &Map<String, Value>,
    parameter: &str,
) -> Result<Map<String, Value>, MgError> {
    let mut b = Builder::new(model);
    for p in &model.properties {
        if let Some(v) = get_ci(map, &p.name) {
            b.put(&p.wire, v, format!("{parameter}.{}", p.name), parameter)?;
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

    const PIN: &str = "Update-MgBetaUserAuthenticationQrCodePinMethodPin";

    fn qr_pin() -> &'static Model {
        table::model("qrPin").unwrap()
    }

    fn from_expanded(bound: &Map<String, Value>) -> Result<Map<String, Value>, MgError> {
        super::from_expanded(table::command(PIN).unwrap(), qr_pin(), bound)
    }

    fn from_object(
        map: &Map<String, Value>,
        parameter: &str,
        only: bool,
    ) -> Result<Map<String, Value>, MgError> {
        super::from_object(qr_pin(), map, parameter, only)
    }

    fn from_model(
        map: &Map<String, Value>,
        parameter: &str,
    ) -> Result<Map<String, Value>, MgError> {
        super::from_model(qr_pin(), map, parameter)
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

    #[test]
    fn a_qr_code_body_takes_dates_and_a_nested_image() {
        let command =
            table::command("Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode").unwrap();
        let model = table::model("qrCode").unwrap();
        let b = super::from_expanded(
            command,
            model,
            &obj(json!({"ExpireDateTime": "2026-12-19T12:00:00Z",
                "Image": {"kind": "object", "value": {"BinaryValue": [1, 2, 255], "Version": 3}}})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"expireDateTime": "2026-12-19T12:00:00.0000000Z",
                "image": {"binaryValue": "AQL/", "version": 3}})
        );
        let e = super::from_expanded(
            command,
            model,
            &obj(json!({"Image": {"kind": "object", "value": {"BinaryValue": "not base64!"}}})),
        )
        .unwrap_err();
        assert_eq!(error_id(e), "InvalidBodyParameter");
    }
}
