//! Parameter-set resolution and the tagged `<model>` values the module sends (docs/abi.md,
//! `prepare`). Produces the effective set, the user id, the body and the extra headers.

use serde_json::{Map, Value};

use crate::body;
use crate::envelope::MgError;
use crate::validate;

/// The cmdlet's four parameter sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterSet {
    UpdateExpanded,
    Update,
    UpdateViaIdentityExpanded,
    UpdateViaIdentity,
}

impl ParameterSet {
    pub const ALL: [ParameterSet; 4] = [
        ParameterSet::UpdateExpanded,
        ParameterSet::Update,
        ParameterSet::UpdateViaIdentityExpanded,
        ParameterSet::UpdateViaIdentity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ParameterSet::UpdateExpanded => "UpdateExpanded",
            ParameterSet::Update => "Update",
            ParameterSet::UpdateViaIdentityExpanded => "UpdateViaIdentityExpanded",
            ParameterSet::UpdateViaIdentity => "UpdateViaIdentity",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name.trim()))
    }

    pub fn via_identity(self) -> bool {
        matches!(
            self,
            ParameterSet::UpdateViaIdentity | ParameterSet::UpdateViaIdentityExpanded
        )
    }

    pub fn expanded(self) -> bool {
        matches!(
            self,
            ParameterSet::UpdateExpanded | ParameterSet::UpdateViaIdentityExpanded
        )
    }

    fn with(via_identity: bool, expanded: bool) -> Self {
        match (via_identity, expanded) {
            (false, true) => ParameterSet::UpdateExpanded,
            (false, false) => ParameterSet::Update,
            (true, true) => ParameterSet::UpdateViaIdentityExpanded,
            (true, false) => ParameterSet::UpdateViaIdentity,
        }
    }
}

/// A value the module tagged: hashtable/PSObject, this module's output, JSON text, or other.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    Object(Map<String, Value>),
    Own(Map<String, Value>),
    Json(String),
    Other(String),
}

/// Parameters that take part in set resolution, with their canonical names.
const BOUND_NAMES: [&str; 10] = [
    "UserId",
    "Code",
    "Id",
    "ForceChangePinNextSignIn",
    "CreatedDateTime",
    "UpdatedDateTime",
    "AdditionalProperties",
    "BodyParameter",
    "InputObject",
    "Headers",
];

/// The expanded body parameters.
const EXPANDED: [&str; 6] = [
    "Code",
    "Id",
    "ForceChangePinNextSignIn",
    "CreatedDateTime",
    "UpdatedDateTime",
    "AdditionalProperties",
];

fn is_tagged(map: &Map<String, Value>) -> bool {
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
fn model_map(
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

const IDENTITY_ACCEPTS: &str = "a hashtable or PSCustomObject with a UserId property, JSON text of such an object, or this cmdlet's output";
const BODY_ACCEPTS: &str =
    "a hashtable, a PSCustomObject, JSON text of a qrPin object, or this cmdlet's output";

/// The `UserId` of an identity object (key matched case-insensitively).
pub fn identity_user_id(map: &Map<String, Value>) -> Result<String, MgError> {
    let value = map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("UserId"))
        .map(|(_, v)| v);
    let id = match value {
        None | Some(Value::Null) => return Err(MgError::MissingUserId),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            return Err(MgError::invalid(
                "InvalidInputObject",
                "InputObject",
                format!(
                    "InputObject.UserId must be a string, not {}.",
                    validate::json_type_name(other)
                ),
            ))
        }
    };
    validate::user_id(&id, "InputObject")?;
    Ok(id)
}

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

/// The outcome of resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub set: ParameterSet,
    pub user_id: String,
    pub body: Map<String, Value>,
    pub headers: Vec<(String, String)>,
}

fn set_error(message: String) -> MgError {
    MgError::invalid("InvalidParameterSet", "ParameterSetName", message)
}

/// Bound parameters by canonical name; `null` means "not bound".
fn read_bound(value: Option<&Value>) -> Result<Map<String, Value>, MgError> {
    let mut out = Map::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                if v.is_null() {
                    continue;
                }
                if let Some(name) = BOUND_NAMES.iter().find(|n| n.eq_ignore_ascii_case(k)) {
                    out.insert(name.to_string(), v.clone());
                }
            }
        }
        Some(_) => {
            return Err(set_error(
                "The module sent malformed input: 'bound' must be an object.".into(),
            ))
        }
    }
    Ok(out)
}

fn flag(input: &Map<String, Value>, name: &str) -> bool {
    input.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// Does the piped dictionary equal one of the models (i.e. it is that same piped object)?
fn same_object(piped: &Model, other: Option<&Value>, parameter: &str) -> bool {
    let Some(other) = other else { return false };
    match (piped, parse_model(other, parameter, "InvalidParameterSet")) {
        (Model::Object(a), Ok(Model::Object(b) | Model::Own(b))) => *a == b,
        _ => false,
    }
}

/// Resolves the effective parameter set, identity, body and headers of a `prepare` request.
pub fn resolve(input: &Map<String, Value>) -> Result<Resolved, MgError> {
    let mut bound = read_bound(input.get("bound"))?;
    let headers_from_pipeline = flag(input, "headersFromPipeline");
    let input_is_body = flag(input, "inputIsBody");

    let requested = match input.get("parameterSet") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            Some(ParameterSet::parse(s).ok_or_else(|| {
                set_error(format!(
                    "'{s}' is not a parameter set of this cmdlet. Use UpdateExpanded, Update, UpdateViaIdentityExpanded or UpdateViaIdentity."
                ))
            })?)
        }
        _ => None,
    };
    let expanded_bound: Vec<&str> = EXPANDED
        .iter()
        .copied()
        .filter(|n| bound.contains_key(*n))
        .collect();
    let mut set = requested.unwrap_or_else(|| {
        ParameterSet::with(
            bound.contains_key("InputObject"),
            !bound.contains_key("BodyParameter"),
        )
    });

    // A dictionary piped into -Headers is never headers.
    let mut headers = Vec::new();
    let mut piped_body: Option<Model> = None;
    if let Some(h) = bound.remove("Headers") {
        if headers_from_pipeline {
            let piped = parse_model(&h, "Headers", "InvalidParameterSet")?;
            let is_other_parameter = same_object(&piped, bound.get("InputObject"), "InputObject")
                || same_object(&piped, bound.get("BodyParameter"), "BodyParameter");
            if !is_other_parameter {
                if bound.contains_key("BodyParameter") {
                    return Err(set_error(
                        "A dictionary came through the pipeline while -BodyParameter is also given, so it is neither the body nor headers. Pipe the body, or pass request headers with -Headers.".into(),
                    ));
                }
                if !expanded_bound.is_empty() {
                    return Err(MgError::invalid(
                        "InvalidParameterSet",
                        expanded_bound[0],
                        format!(
                            "The dictionary piped to this command is used as the request body, so it cannot be combined with {}. Put those values in the piped dictionary, or pass -{} without piping a body.",
                            expanded_bound.iter().map(|n| format!("-{n}")).collect::<Vec<_>>().join(", "),
                            expanded_bound[0],
                        ),
                    ));
                }
                piped_body = Some(piped);
                set = ParameterSet::with(
                    set.via_identity() || bound.contains_key("InputObject"),
                    false,
                );
            }
        } else {
            headers = parse_headers(&h)?;
        }
    }

    // One piped object is both the identity and the body.
    let mut shared: Option<Value> = None;
    if input_is_body {
        shared = bound
            .get("InputObject")
            .or_else(|| bound.get("BodyParameter"))
            .cloned();
        if shared.is_none() {
            return Err(set_error(
                "inputIsBody is set but neither -InputObject nor -BodyParameter is bound.".into(),
            ));
        }
        set = ParameterSet::UpdateViaIdentity;
    }

    // Membership checks.
    let set_name = set.name();
    if set.via_identity() {
        if bound.contains_key("UserId") {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                "UserId",
                format!("Parameter set '{set_name}' takes the user from -InputObject; do not also pass -UserId."),
            ));
        }
        if shared.is_none() && !bound.contains_key("InputObject") {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                "InputObject",
                format!("Parameter set '{set_name}' needs -InputObject (an object with a UserId)."),
            ));
        }
    } else {
        if bound.contains_key("InputObject") {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                "InputObject",
                format!("Parameter set '{set_name}' takes the user from -UserId; do not also pass -InputObject."),
            ));
        }
        if !bound.contains_key("UserId") {
            return Err(MgError::invalid(
                "InvalidUserId",
                "UserId",
                format!("Parameter set '{set_name}' needs -UserId (the user's object id or user principal name)."),
            ));
        }
    }
    if set.expanded() {
        if bound.contains_key("BodyParameter") {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                "BodyParameter",
                format!("Parameter set '{set_name}' builds the body from -Code, -Id and the other expanded parameters; -BodyParameter cannot be combined with them."),
            ));
        }
    } else {
        if let Some(first) = expanded_bound.first() {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                first,
                format!(
                    "Parameter set '{set_name}' takes the body from -BodyParameter; -{first} cannot be combined with it. Put the value in the body instead."
                ),
            ));
        }
        if shared.is_none() && piped_body.is_none() && !bound.contains_key("BodyParameter") {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                "BodyParameter",
                format!("Parameter set '{set_name}' needs -BodyParameter (a qrPin hashtable such as @{{ code = '01234567' }})."),
            ));
        }
    }

    // Identity.
    // A shared piped record is the identity and the body: read it once, use it for both.
    // Otherwise the via-identity sets read -InputObject.
    let identity = shared
        .as_ref()
        .or_else(|| set.via_identity().then(|| &bound["InputObject"]));
    let identity_map = match identity {
        Some(identity) => {
            let model = parse_model(identity, "InputObject", "InvalidInputObject")?;
            Some(model_map(
                &model,
                "InputObject",
                "InvalidInputObject",
                IDENTITY_ACCEPTS,
            )?)
        }
        None => None,
    };
    let user_id = if let Some((map, _)) = &identity_map {
        identity_user_id(map)?
    } else {
        let id = match &bound["UserId"] {
            Value::String(s) => s.clone(),
            other => {
                return Err(MgError::invalid(
                    "InvalidUserId",
                    "UserId",
                    format!(
                        "UserId must be a string, not {}.",
                        validate::json_type_name(other)
                    ),
                ))
            }
        };
        validate::user_id(&id, "UserId")?;
        id
    };

    // Body.
    let body = if set.expanded() {
        body::from_expanded(&bound)?
    } else if let (Some(_), Some((map, own))) = (&shared, &identity_map) {
        if *own {
            body::from_model(map, "InputObject")?
        } else {
            body::from_object(map, "InputObject", true)?
        }
    } else {
        let model = match piped_body {
            Some(m) => m,
            None => parse_model(
                &bound["BodyParameter"],
                "BodyParameter",
                "InvalidBodyParameter",
            )?,
        };
        let (map, own) = model_map(
            &model,
            "BodyParameter",
            "InvalidBodyParameter",
            BODY_ACCEPTS,
        )?;
        if own {
            body::from_model(&map, "BodyParameter")?
        } else {
            body::from_object(&map, "BodyParameter", false)?
        }
    };

    Ok(Resolved {
        set,
        user_id,
        body,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolve_json(v: Value) -> Result<Resolved, MgError> {
        resolve(v.as_object().unwrap())
    }

    fn error_id(e: MgError) -> String {
        match e {
            MgError::InvalidArgument { error_id, .. } => error_id,
            other => panic!("{other:?}"),
        }
    }

    fn body(r: &Resolved) -> Value {
        Value::Object(r.body.clone())
    }

    #[test]
    fn update_expanded_basic() {
        let r = resolve_json(json!({"op": "prepare", "parameterSet": "UpdateExpanded",
            "bound": {"UserId": "u@contoso.com", "Code": "09599786", "ForceChangePinNextSignIn": true,
                      "Headers": {"x-test": "1", "ConsistencyLevel": ["eventual"], "skip": null}}}))
        .unwrap();
        assert_eq!(r.set, ParameterSet::UpdateExpanded);
        assert_eq!(r.user_id, "u@contoso.com");
        assert_eq!(
            body(&r),
            json!({"code": "09599786", "forceChangePinNextSignIn": true})
        );
        assert_eq!(
            r.headers,
            vec![
                ("x-test".to_string(), "1".to_string()),
                ("ConsistencyLevel".into(), "eventual".into())
            ]
        );
    }

    #[test]
    fn update_with_each_body_kind() {
        let kinds = [
            json!({"kind": "object", "value": {"@odata.type": "#microsoft.graph.qrPin", "code": "09599786"}}),
            json!({"kind": "json", "text": "{\"@odata.type\":\"#microsoft.graph.qrPin\",\"Code\":\"09599786\"}"}),
            json!({"kind": "model", "value": {"Code": "09599786", "UserId": "other",
                "AdditionalProperties": {"@odata.type": "#microsoft.graph.qrPin"}}}),
        ];
        for k in kinds {
            let r = resolve_json(
                json!({"parameterSet": "Update", "bound": {"UserId": "u", "BodyParameter": k}}),
            )
            .unwrap();
            assert_eq!(r.set, ParameterSet::Update);
            assert_eq!(r.user_id, "u");
            assert_eq!(r.body.get("code"), Some(&json!("09599786")));
            assert_eq!(
                r.body.get("@odata.type"),
                Some(&json!("#microsoft.graph.qrPin"))
            );
            assert!(!r.body.contains_key("UserId"));
        }
    }

    #[test]
    fn other_kind_and_bad_json_are_refused_with_the_type_named() {
        let e = resolve_json(json!({"parameterSet": "Update", "bound": {"UserId": "u",
            "BodyParameter": {"kind": "other", "typeName": "System.Int32"}}}))
        .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("System.Int32") && msg.contains("hashtable"),
            "{msg}"
        );
        assert_eq!(error_id(e), "InvalidBodyParameter");

        let e = resolve_json(
            json!({"parameterSet": "UpdateViaIdentityExpanded", "bound": {
            "InputObject": {"kind": "other", "typeName": "System.IO.FileInfo"}}}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("System.IO.FileInfo"));
        assert_eq!(error_id(e), "InvalidInputObject");

        let e = resolve_json(json!({"parameterSet": "Update", "bound": {"UserId": "u",
            "BodyParameter": {"kind": "json", "text": "{not json"}}}))
        .unwrap_err();
        assert_eq!(error_id(e), "InvalidBodyParameter");
        let e = resolve_json(json!({"parameterSet": "Update", "bound": {"UserId": "u",
            "BodyParameter": {"kind": "json", "text": "[1,2]"}}}))
        .unwrap_err();
        assert!(e.to_string().contains("an array"));
    }

    #[test]
    fn via_identity_reads_user_id_case_insensitively() {
        for input in [
            json!({"kind": "object", "value": {"userid": "u1", "GroupId": "g"}}),
            json!({"kind": "json", "text": "{\"USERID\":\"u1\"}"}),
            json!({"kind": "model", "value": {"UserId": "u1", "Code": "12345678"}}),
        ] {
            let r = resolve_json(json!({"parameterSet": "UpdateViaIdentityExpanded",
                "bound": {"InputObject": input, "Code": "87654321"}}))
            .unwrap();
            assert_eq!(r.user_id, "u1");
            assert_eq!(body(&r), json!({"code": "87654321"}));
        }
    }

    #[test]
    fn missing_user_id_is_the_official_error() {
        for input in [
            json!({"kind": "object", "value": {"GroupId": "g"}}),
            json!({"kind": "object", "value": {"UserId": null}}),
            json!({"kind": "json", "text": "{}"}),
        ] {
            let e = resolve_json(json!({"parameterSet": "UpdateViaIdentity",
                "bound": {"InputObject": input, "BodyParameter": {"kind": "object", "value": {}}}}))
            .unwrap_err();
            assert_eq!(e, MgError::MissingUserId);
            assert_eq!(
                e.to_string(),
                "InputObject has null value for InputObject.UserId"
            );
        }
        let e = resolve_json(json!({"parameterSet": "UpdateViaIdentityExpanded",
            "bound": {"InputObject": {"kind": "object", "value": {"UserId": "  "}}}}))
        .unwrap_err();
        assert_eq!(error_id(e), "InvalidUserId");
    }

    #[test]
    fn user_id_validation() {
        for bad in ["", "   ", "a\u{1}b", "line\nbreak"] {
            let e =
                resolve_json(json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": bad}}))
                    .unwrap_err();
            assert_eq!(error_id(e), "InvalidUserId", "{bad:?}");
        }
        let e = resolve_json(json!({"parameterSet": "UpdateExpanded", "bound": {}})).unwrap_err();
        assert_eq!(error_id(e), "InvalidUserId");
    }

    #[test]
    fn headers_from_pipeline_alone_becomes_the_body() {
        let r = resolve_json(json!({"parameterSet": "UpdateExpanded", "headersFromPipeline": true,
            "bound": {"UserId": "u", "Headers": {"code": "12345678", "@odata.type": "#microsoft.graph.qrPin"}}}))
        .unwrap();
        assert_eq!(r.set, ParameterSet::Update);
        assert!(r.headers.is_empty());
        assert_eq!(
            body(&r),
            json!({"code": "12345678", "@odata.type": "#microsoft.graph.qrPin"})
        );

        let r = resolve_json(json!({"parameterSet": "UpdateViaIdentityExpanded", "headersFromPipeline": true,
            "bound": {"InputObject": {"kind": "object", "value": {"UserId": "u"}}, "Headers": {"code": "12345678"}}}))
        .unwrap();
        assert_eq!(r.set, ParameterSet::UpdateViaIdentity);
        assert_eq!(body(&r), json!({"code": "12345678"}));
    }

    #[test]
    fn headers_from_pipeline_with_expanded_parameters_is_an_error() {
        let e = resolve_json(
            json!({"parameterSet": "UpdateExpanded", "headersFromPipeline": true,
            "bound": {"UserId": "u", "Code": "12345678", "Headers": {"x": "1"}}}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("-Code"));
        assert_eq!(error_id(e), "InvalidParameterSet");
    }

    #[test]
    fn headers_from_pipeline_that_is_the_input_object_is_ignored() {
        let piped = json!({"UserId": "u", "code": "12345678"});
        let r = resolve_json(
            json!({"parameterSet": "UpdateViaIdentityExpanded", "headersFromPipeline": true,
            "bound": {"InputObject": {"kind": "object", "value": piped}, "Headers": piped,
                      "ForceChangePinNextSignIn": false}}),
        )
        .unwrap();
        assert_eq!(r.set, ParameterSet::UpdateViaIdentityExpanded);
        assert!(r.headers.is_empty());
        assert_eq!(body(&r), json!({"forceChangePinNextSignIn": false}));
    }

    #[test]
    fn input_is_body() {
        let piped = json!({"UserId": "u9", "Code": "12345678", "GroupId": "g", "@odata.type": "#microsoft.graph.qrPin"});
        let r = resolve_json(json!({"parameterSet": "UpdateViaIdentity", "headersFromPipeline": true, "inputIsBody": true,
            "bound": {"InputObject": {"kind": "object", "value": piped}, "BodyParameter": {"kind": "object", "value": piped},
                      "Headers": piped}}))
        .unwrap();
        assert_eq!(r.set, ParameterSet::UpdateViaIdentity);
        assert_eq!(r.user_id, "u9");
        assert!(r.headers.is_empty());
        assert_eq!(
            body(&r),
            json!({"code": "12345678", "@odata.type": "#microsoft.graph.qrPin"})
        );

        // This module's own output piped back in.
        let own = json!({"kind": "model", "value": {"UserId": "u9", "Code": "12345678", "Id": null,
            "AdditionalProperties": {"@odata.type": "#microsoft.graph.qrPin"}}});
        let r = resolve_json(
            json!({"parameterSet": "UpdateViaIdentity", "inputIsBody": true,
            "bound": {"InputObject": own, "BodyParameter": own}}),
        )
        .unwrap();
        assert_eq!(r.user_id, "u9");
        assert_eq!(
            body(&r),
            json!({"code": "12345678", "@odata.type": "#microsoft.graph.qrPin"})
        );
    }

    #[test]
    fn set_membership_is_enforced() {
        let cases = [
            json!({"parameterSet": "Update", "bound": {"UserId": "u", "Code": "12345678",
                "BodyParameter": {"kind": "object", "value": {}}}}),
            json!({"parameterSet": "Update", "bound": {"UserId": "u"}}),
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u",
                "BodyParameter": {"kind": "object", "value": {}}}}),
            json!({"parameterSet": "UpdateViaIdentityExpanded", "bound": {"UserId": "u"}}),
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u",
                "InputObject": {"kind": "object", "value": {"UserId": "u"}}}}),
            json!({"parameterSet": "Nope", "bound": {"UserId": "u"}}),
        ];
        for c in cases {
            let e = resolve_json(c.clone()).unwrap_err();
            assert_eq!(e.kind(), "invalid_argument", "{c}");
        }
    }

    #[test]
    fn set_is_inferred_and_names_are_case_insensitive() {
        let r = resolve_json(json!({"bound": {"userid": "u", "code": "12345678"}})).unwrap();
        assert_eq!(r.set, ParameterSet::UpdateExpanded);
        let r = resolve_json(json!({"parameterSet": "updateviaidentity", "bound": {
            "InputObject": {"kind": "object", "value": {"UserId": "u"}},
            "BodyParameter": {"kind": "object", "value": {"code": "12345678"}}}}))
        .unwrap();
        assert_eq!(r.set, ParameterSet::UpdateViaIdentity);
    }

    #[test]
    fn bad_headers_are_refused() {
        for h in [
            json!({"bad name": "1"}),
            json!({"x": "a\r\nb"}),
            json!({"x": {"a": 1}}),
            json!("text"),
        ] {
            let e = resolve_json(
                json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u", "Headers": h}}),
            )
            .unwrap_err();
            assert_eq!(error_id(e), "InvalidHeader");
        }
    }

    #[test]
    fn numbers_for_code_are_refused() {
        let e = resolve_json(
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u", "Code": 12345678}}),
        )
        .unwrap_err();
        assert_eq!(error_id(e), "InvalidCode");
        let e = resolve_json(json!({"parameterSet": "Update", "bound": {"UserId": "u",
            "BodyParameter": {"kind": "object", "value": {"code": 1234567890}}}}))
        .unwrap_err();
        assert_eq!(error_id(e), "InvalidCode");
    }
}
