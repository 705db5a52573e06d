//! The tagged `<model>` values the module sends for object parameters, identity objects and
//! `-Headers` (docs/protocol.md, `prepare`). Set resolution is commands/resolve.rs.

use serde_json::{Map, Value};

use crate::envelope::MgError;
use crate::validate;

/// A value the module tagged: hashtable/PSObject, this module's output, JSON text, or other.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    Object(Map<String, Value>),
    Own(Map<String, Value>),
    Json(String),
    Other(String),
}

pub fn is_tagged(map: &Map<String, Value>) -> bool {
    matches!(
        map.get("kind").and_then(Value::as_str),
        Some("object" | "model" | "json" | "other")
    ) && map
        .keys()
        .all(|k| matches!(k.as_str(), "kind" | "value" | "text" | "typeName"))
}

/// Reads a `<model>`. Untagged values are accepted leniently: an object is a plain
/// object, a string is JSON text.
pub fn parse_model(value: &Value, parameter: &str, error_id: &str) -> Result<Model, MgError> {
    let contract = |what: &str| {
        MgError::invalid(
            error_id,
            parameter,
            format!("{parameter}: the module sent a malformed value ({what})."),
        )
    };
    match value {
        Value::Object(map) if is_tagged(map) => match map["kind"].as_str() {
            Some("object") => match map.get("value") {
                Some(Value::Object(m)) => Ok(Model::Object(m.clone())),
                _ => Err(contract("kind 'object' needs an object 'value'")),
            },
            Some("model") => match map.get("value") {
                Some(Value::Object(m)) => Ok(Model::Own(m.clone())),
                _ => Err(contract("kind 'model' needs an object 'value'")),
            },
            Some("json") => match map.get("text") {
                Some(Value::String(t)) => Ok(Model::Json(t.clone())),
                _ => Err(contract("kind 'json' needs a string 'text'")),
            },
            _ => Ok(Model::Other(
                map.get("typeName")
                    .and_then(Value::as_str)
                    .unwrap_or("an unknown type")
                    .to_string(),
            )),
        },
        Value::Object(map) => Ok(Model::Object(map.clone())),
        Value::String(text) => Ok(Model::Json(text.clone())),
        Value::Number(_) => Ok(Model::Other("System.Int32".into())),
        Value::Bool(_) => Ok(Model::Other("System.Boolean".into())),
        Value::Array(_) => Ok(Model::Other("System.Object[]".into())),
        Value::Null => Err(contract("null")),
    }
}

/// The object behind a model: its map, and whether it is this module's own output.
pub fn model_map(
    model: &Model,
    parameter: &str,
    error_id: &str,
    accepted: &str,
) -> Result<(Map<String, Value>, bool), MgError> {
    match model {
        Model::Object(m) => Ok((m.clone(), false)),
        Model::Own(m) => Ok((m.clone(), true)),
        Model::Json(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => Ok((m, false)),
            Ok(other) => Err(MgError::invalid(
                error_id,
                parameter,
                format!(
                    "{parameter}: the JSON text is {}, but a JSON object is required. {parameter} accepts {accepted}.",
                    validate::json_type_name(&other)
                ),
            )),
            Err(e) => Err(MgError::invalid(
                error_id,
                parameter,
                format!(
                    "{parameter}: the string is not valid JSON (line {}, column {}). {parameter} accepts {accepted}.",
                    e.line(),
                    e.column()
                ),
            )),
        },
        Model::Other(type_name) => Err(MgError::invalid(
            error_id,
            parameter,
            format!("{parameter} cannot take a value of type [{type_name}]. {parameter} accepts {accepted}."),
        )),
    }
}

pub const IDENTITY_ACCEPTS: &str = "a hashtable or PSCustomObject with a UserId, UserPrincipalName or Id property (a user object or a CSV row), JSON text of such an object, or this module's output";

/// The `UserId` of an identity object (key matched case-insensitively).
pub fn identity_user_id(map: &Map<String, Value>) -> Result<String, MgError> {
    identity(map).map(|(id, _)| id)
}

/// [`identity_user_id`] and the key it was read from (a piped record's identity column is not body).
pub fn identity(map: &Map<String, Value>) -> Result<(String, String), MgError> {
    // The official key, then what a user object (Get-MgUser) or a CSV export carries instead:
    // a blank cell counts as absent, so the next column is used.
    let mut blank = None;
    for key in IDENTITY_KEYS {
        let value = map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v);
        let id = match value {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) if s.trim().is_empty() => {
                blank.get_or_insert(s.clone());
                continue;
            }
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => {
                return Err(MgError::invalid(
                    "InvalidInputObject",
                    "InputObject",
                    format!(
                        "InputObject.{key} must be a string, not {}.",
                        validate::json_type_name(other)
                    ),
                ))
            }
        };
        validate::user_id(&id, "InputObject")?;
        let key = map
            .keys()
            .find(|k| k.eq_ignore_ascii_case(key))
            .cloned()
            .unwrap_or_default();
        return Ok((id, key));
    }
    match blank {
        // Refused as the blank value it is.
        Some(id) => validate::user_id(&id, "InputObject").map(|_| (id, String::new())),
        None => Err(MgError::MissingUserId),
    }
}

/// Where an identity object names its user, in order.
pub const IDENTITY_KEYS: [&str; 3] = ["UserId", "UserPrincipalName", "Id"];

/// `-Headers` entries as (name, value) pairs: strings, numbers and booleans; arrays give one
/// header per element; `null` entries are skipped.
pub fn parse_headers(value: &Value) -> Result<Vec<(String, String)>, MgError> {
    let map = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Object(m) if is_tagged(m) => match parse_model(value, "Headers", "InvalidHeader")? {
            Model::Object(m) => m,
            _ => {
                return Err(MgError::invalid(
                    "InvalidHeader",
                    "Headers",
                    "Headers must be a dictionary of header names and values.",
                ))
            }
        },
        Value::Object(m) => m.clone(),
        _ => {
            return Err(MgError::invalid(
                "InvalidHeader",
                "Headers",
                "Headers must be a dictionary of header names and values.",
            ))
        }
    };
    let mut out = Vec::new();
    for (name, v) in &map {
        validate::header_name(name)?;
        let values: Vec<&Value> = match v {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in values {
            let text = match item {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                other => {
                    return Err(MgError::invalid(
                        "InvalidHeader",
                        "Headers",
                        format!(
                            "Headers: the value of '{name}' must be text, not {}.",
                            validate::json_type_name(other)
                        ),
                    ))
                }
            };
            validate::header_value(name, &text)?;
            out.push((name.clone(), text));
        }
    }
    Ok(out)
}

/// The object inside a tagged `object`/`model` value, or the map itself when it is untagged.
pub fn untagged(map: &Map<String, Value>) -> Map<String, Value> {
    if is_tagged(map) {
        if let Some(Value::Object(inner)) = map.get("value") {
            return inner.clone();
        }
    }
    map.clone()
}
