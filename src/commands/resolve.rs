//! Parameter-set resolution for any command of the table: the effective set, the user, the
//! body, the query options, the headers, and -PassThru, from what PowerShell bound
//! (docs/protocol.md, `prepare`). A bad input becomes an `InvalidArgument` and nothing is sent.

use serde_json::{Map, Value};

use super::table::{self, Command, Role};
use crate::body;
use crate::envelope::MgError;
use crate::params::{self, Model};
use crate::validate;

/// The outcome of resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub set: &'static str,
    pub user_id: String,
    /// `None` for a command without a body (Get, Remove).
    pub body: Option<Map<String, Value>>,
    pub headers: Vec<(String, String)>,
    /// OData query options, in table order: (`$select`, `a,b`).
    pub query: Vec<(String, String)>,
    pub pass_thru: bool,
    /// For a set whose answer is a page of a list.
    pub paging: Option<Paging>,
}

/// How many items of a list to fetch, and how (the official list cmdlets' rules).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paging {
    /// `-Top`: the total limit across pages.
    pub top: Option<u32>,
    pub page_size: u32,
    /// `-All` (without `-Top`): every page.
    pub all: bool,
    /// Items written so far, by earlier pages.
    #[serde(default)]
    pub fetched: u32,
    /// The next page's address (`@odata.nextLink`), for a continuation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
}

impl Paging {
    /// How many more items are wanted (`None`: no limit).
    pub fn remaining(&self) -> Option<u32> {
        self.top.map(|t| t.saturating_sub(self.fetched))
    }
}

/// A positive whole number parameter (`-Top`, `-PageSize`).
fn count(value: &Value, parameter: &str, max: Option<u32>) -> Result<u32, MgError> {
    let n = value.as_i64().unwrap_or(-1);
    let limit = i64::from(max.unwrap_or(i32::MAX as u32));
    if (1..=limit).contains(&n) {
        return Ok(n as u32);
    }
    Err(MgError::invalid(
        "InvalidPaging",
        parameter,
        match max {
            Some(max) => format!("{parameter} must be between 1 and {max}."),
            None => format!("{parameter} must be a whole number of at least 1."),
        },
    ))
}

/// A set takes the user from an identity object.
pub fn via_identity(set: &str) -> bool {
    set.contains("ViaIdentity")
}

/// A set builds the body from expanded parameters (or has no body at all).
fn expanded(command: &Command, set: &str) -> bool {
    command.body.is_none() || set.ends_with("Expanded")
}

/// The set of the command with these two traits that takes every parameter bound (a list set
/// and a single-item set share both traits).
fn set_with(
    command: &'static Command,
    bound: &Map<String, Value>,
    identity: bool,
    expand: bool,
) -> &'static str {
    let candidates = || {
        command
            .parameter_sets
            .iter()
            .filter(move |s| via_identity(s) == identity && expanded(command, s) == expand)
    };
    let takes_all = |set: &str| {
        bound
            .keys()
            .all(|k| command.parameter(k).map_or(true, |p| p.in_set(set)))
    };
    candidates()
        .find(|s| takes_all(s))
        .or_else(|| candidates().next())
        .map(String::as_str)
        .unwrap_or(command.default_parameter_set.as_str())
}

fn set_error(message: String) -> MgError {
    MgError::invalid("InvalidParameterSet", "ParameterSetName", message)
}

/// "A, B, C or D".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Bound parameters by canonical name; `null` means "not bound". Names the command does not
/// send (runtime parameters, or none of its own) are dropped.
fn read_bound(command: &Command, value: Option<&Value>) -> Result<Map<String, Value>, MgError> {
    let mut out = Map::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                if v.is_null() {
                    continue;
                }
                if let Some(p) = command.parameter(k) {
                    if !matches!(p.role, Role::Runtime | Role::Proxy) {
                        out.insert(p.name.clone(), v.clone());
                    }
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
    match (
        piped,
        params::parse_model(other, parameter, "InvalidParameterSet"),
    ) {
        (Model::Object(a), Ok(Model::Object(b) | Model::Own(b))) => *a == b,
        _ => false,
    }
}

/// The name of the command's parameter with this role, if it has one.
fn named(command: &Command, role: impl Fn(&Role) -> bool) -> Option<&str> {
    command
        .parameters
        .iter()
        .find(|p| role(&p.role))
        .map(|p| p.name.as_str())
}

/// An `-Property a,b` value: strings, each checked, joined with commas.
fn query_value(value: &Value, parameter: &str) -> Result<String, MgError> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        let text = validate::string(item, parameter)?;
        let text = text.trim();
        if text.is_empty() || text.chars().any(|c| c.is_control() || c == '&' || c == '#') {
            return Err(MgError::invalid(
                "InvalidQueryOption",
                parameter,
                format!("{parameter}: each value must be a property name, such as id or createdDateTime."),
            ));
        }
        names.push(text.to_string());
    }
    Ok(names.join(","))
}

/// Resolves the effective parameter set, identity, body, query and headers of a `prepare` request.
pub fn resolve(command: &'static Command, input: &Map<String, Value>) -> Result<Resolved, MgError> {
    let mut bound = read_bound(command, input.get("bound"))?;
    let headers_from_pipeline = flag(input, "headersFromPipeline");
    let input_is_body = flag(input, "inputIsBody");
    let identity_parameter =
        named(command, |r| matches!(r, Role::Identity(_))).unwrap_or("InputObject");
    let body_parameter = named(command, |r| matches!(r, Role::BodyObject));
    let user_parameter = named(command, |r| matches!(r, Role::Path(_))).unwrap_or("UserId");

    let requested = match input.get("parameterSet") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(
            command
                .parameter_sets
                .iter()
                .find(|n| n.eq_ignore_ascii_case(s.trim()))
                .map(String::as_str)
                .ok_or_else(|| {
                    set_error(format!(
                        "'{s}' is not a parameter set of this cmdlet. Use {}.",
                        or_list(&command.parameter_sets)
                    ))
                })?,
        ),
        _ => None,
    };
    let expanded_bound: Vec<&str> = command
        .parameters
        .iter()
        .filter(|p| p.expands_body() && bound.contains_key(&p.name))
        .map(|p| p.name.as_str())
        .collect();
    let has_body_object = body_parameter.is_some_and(|b| bound.contains_key(b));
    let mut set = requested.unwrap_or_else(|| {
        set_with(
            command,
            &bound,
            bound.contains_key(identity_parameter),
            !has_body_object,
        )
    });

    // A dictionary piped into -Headers is never headers: with a body it is the body.
    let mut headers = Vec::new();
    let mut piped_body: Option<Model> = None;
    if let Some(h) = bound.remove("Headers") {
        if headers_from_pipeline {
            let piped = params::parse_model(&h, "Headers", "InvalidParameterSet")?;
            let is_other_parameter =
                same_object(&piped, bound.get(identity_parameter), identity_parameter)
                    || body_parameter.is_some_and(|b| same_object(&piped, bound.get(b), b));
            if is_other_parameter {
                // The piped identity or body, bound to -Headers as well: not headers.
            } else if command.body.is_none() {
                // Nothing else takes a piped dictionary: it is headers, as the binder says.
                headers = params::parse_headers(&h)?;
            } else {
                if has_body_object {
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
                set = set_with(
                    command,
                    &bound,
                    via_identity(set) || bound.contains_key(identity_parameter),
                    false,
                );
            }
        } else {
            headers = params::parse_headers(&h)?;
        }
    }

    // One piped object is both the identity and the body.
    let mut shared: Option<Value> = None;
    if input_is_body && command.body.is_some() {
        shared = bound
            .get(identity_parameter)
            .or_else(|| body_parameter.and_then(|b| bound.get(b)))
            .cloned();
        if shared.is_none() {
            return Err(set_error(
                "inputIsBody is set but neither -InputObject nor -BodyParameter is bound.".into(),
            ));
        }
        set = set_with(command, &bound, true, false);
    }

    // Membership checks.
    if via_identity(set) {
        if bound.contains_key(user_parameter) {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                user_parameter,
                format!("Parameter set '{set}' takes the user from -{identity_parameter}; do not also pass -{user_parameter}."),
            ));
        }
        if shared.is_none() && !bound.contains_key(identity_parameter) {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                identity_parameter,
                format!(
                    "Parameter set '{set}' needs -{identity_parameter} (an object with a UserId)."
                ),
            ));
        }
    } else {
        if bound.contains_key(identity_parameter) {
            return Err(MgError::invalid(
                "InvalidParameterSet",
                identity_parameter,
                format!("Parameter set '{set}' takes the user from -{user_parameter}; do not also pass -{identity_parameter}."),
            ));
        }
        let needs_user = command.path(set).contains("{user-id}");
        if needs_user && !bound.contains_key(user_parameter) {
            return Err(MgError::invalid(
                "InvalidUserId",
                user_parameter,
                format!("Parameter set '{set}' needs -{user_parameter} (the user's object id or user principal name)."),
            ));
        }
    }
    if let (Some(body_spec), Some(body_parameter)) = (&command.body, body_parameter) {
        if expanded(command, set) {
            if bound.contains_key(body_parameter) {
                let hint: Vec<String> = command
                    .parameters
                    .iter()
                    .filter(|p| matches!(p.role, Role::Body(_)))
                    .take(2)
                    .map(|p| format!("-{}", p.name))
                    .collect();
                return Err(MgError::invalid(
                    "InvalidParameterSet",
                    body_parameter,
                    format!("Parameter set '{set}' builds the body from {} and the other expanded parameters; -{body_parameter} cannot be combined with them.", hint.join(", ")),
                ));
            }
        } else {
            if let Some(first) = expanded_bound.first() {
                return Err(MgError::invalid(
                    "InvalidParameterSet",
                    first,
                    format!(
                        "Parameter set '{set}' takes the body from -{body_parameter}; -{first} cannot be combined with it. Put the value in the body instead."
                    ),
                ));
            }
            if shared.is_none() && piped_body.is_none() && !bound.contains_key(body_parameter) {
                return Err(MgError::invalid(
                    "InvalidParameterSet",
                    body_parameter,
                    format!(
                        "Parameter set '{set}' needs -{body_parameter} (a {} hashtable such as {}).",
                        body_spec.model, body_spec.example
                    ),
                ));
            }
        }
    }

    // Any other parameter of another set (the binder's rule, checked here too for callers that
    // are not the generated functions).
    if let Some(p) = command
        .parameters
        .iter()
        .find(|p| bound.contains_key(&p.name) && !p.in_set(set))
    {
        return Err(MgError::invalid(
            "InvalidParameterSet",
            &p.name,
            format!("-{} is not a parameter of set '{set}'.", p.name),
        ));
    }

    // Identity: a shared piped record is the identity and the body, read once for both.
    // Otherwise the via-identity sets read -InputObject.
    let identity = shared
        .as_ref()
        .or_else(|| via_identity(set).then(|| &bound[identity_parameter]));
    let identity_map = match identity {
        Some(identity) => {
            let model = params::parse_model(identity, identity_parameter, "InvalidInputObject")?;
            Some(params::model_map(
                &model,
                identity_parameter,
                "InvalidInputObject",
                params::IDENTITY_ACCEPTS,
            )?)
        }
        None => None,
    };
    let user_id = if let Some((map, _)) = &identity_map {
        params::identity_user_id(map)?
    } else if !bound.contains_key(user_parameter) {
        // A list set names no user.
        String::new()
    } else {
        let id = match &bound[user_parameter] {
            Value::String(s) => s.clone(),
            other => {
                return Err(MgError::invalid(
                    "InvalidUserId",
                    user_parameter,
                    format!(
                        "{user_parameter} must be a string, not {}.",
                        validate::json_type_name(other)
                    ),
                ))
            }
        };
        validate::user_id(&id, user_parameter)?;
        id
    };

    // Body.
    let body = match (&command.body, body_parameter) {
        (None, _) | (_, None) => None,
        (Some(spec), Some(body_parameter)) => {
            let model = table::model(&spec.model)?;
            Some(if expanded(command, set) {
                body::from_expanded(command, model, &bound)?
            } else if let (Some(_), Some((map, own))) = (&shared, &identity_map) {
                if *own {
                    body::from_model(model, map, identity_parameter)?
                } else {
                    // A record's identity columns (UserPrincipalName, Id: a user object, a CSV row)
                    // name the user, not the body.
                    let mut record = map.clone();
                    record.retain(|k, _| {
                        !params::IDENTITY_KEYS
                            .iter()
                            .any(|i| i.eq_ignore_ascii_case(k))
                    });
                    body::from_object(model, &record, identity_parameter, true)?
                }
            } else {
                let piped = match piped_body {
                    Some(m) => m,
                    None => params::parse_model(
                        &bound[body_parameter],
                        body_parameter,
                        "InvalidBodyParameter",
                    )?,
                };
                let accepts = format!(
                    "a hashtable, a PSCustomObject, JSON text of a {} object, or this cmdlet's output",
                    spec.model
                );
                let (map, own) =
                    params::model_map(&piped, body_parameter, "InvalidBodyParameter", &accepts)?;
                if own {
                    body::from_model(model, &map, body_parameter)?
                } else {
                    body::from_object(model, &map, body_parameter, false)?
                }
            })
        }
    };

    // Query options and header parameters.
    let mut query = Vec::new();
    let mut pass_thru = false;
    let collection = command.collection_in(set);
    let (mut top, mut page_size, mut all, mut counted) = (None, None, false, false);
    for p in &command.parameters {
        let Some(value) = bound.get(&p.name) else {
            continue;
        };
        match &p.role {
            // Graph wants a $search value in double quotes; the official cmdlets add them.
            Role::Query(option) if option == "$search" => {
                let text = validate::string(value, &p.name)?;
                let quoted = if text.starts_with('"') {
                    text
                } else {
                    format!("\"{text}\"")
                };
                query.push((option.clone(), quoted));
            }
            Role::Query(option) if option == "$filter" => {
                let text = validate::string(value, &p.name)?;
                if text.chars().any(char::is_control) {
                    return Err(MgError::invalid(
                        "InvalidQueryOption",
                        &p.name,
                        format!("{}: the filter holds a control character.", p.name),
                    ));
                }
                query.push((option.clone(), text));
            }
            Role::Query(option) => query.push((option.clone(), query_value(value, &p.name)?)),
            Role::Top => top = Some(count(value, &p.name, None)?),
            Role::PageSize => {
                page_size = Some(count(value, &p.name, collection.map(|c| c.max_page_size))?)
            }
            Role::All => all = validate::boolean(value, &p.name)?,
            Role::CountVariable => counted = true,
            Role::Header(name) => {
                let text = validate::string(value, &p.name)?;
                validate::header_value(name, &text)?;
                headers.push((name.clone(), text));
            }
            Role::PassThru => pass_thru = validate::boolean(value, &p.name)?,
            _ => {}
        }
    }

    // A list: $top is the page size (lowered to -Top when smaller), sent whenever paging was asked
    // for; $count when a count variable was given.
    let paging = collection.map(|c| {
        let size = page_size
            .unwrap_or(c.default_page_size)
            .min(top.unwrap_or(u32::MAX));
        Paging {
            top,
            page_size: size,
            all: all && top.is_none(),
            fetched: 0,
            next_url: None,
        }
    });
    if let Some(paging) = &paging {
        if top.is_some() || page_size.is_some() || all {
            query.push(("$top".into(), paging.page_size.to_string()));
        }
        if counted {
            query.push(("$count".into(), "true".into()));
        }
    }

    Ok(Resolved {
        set,
        user_id,
        body,
        headers,
        query,
        pass_thru,
        paging,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PIN: &str = "Update-MgBetaUserAuthenticationQrCodePinMethodPin";

    fn resolve_json(v: Value) -> Result<Resolved, MgError> {
        resolve(table::command(PIN).unwrap(), v.as_object().unwrap())
    }

    fn resolve_for(command: &str, v: Value) -> Result<Resolved, MgError> {
        resolve(table::command(command).unwrap(), v.as_object().unwrap())
    }

    fn error_id(e: MgError) -> String {
        match e {
            MgError::InvalidArgument { error_id, .. } => error_id,
            other => panic!("{other:?}"),
        }
    }

    fn body(r: &Resolved) -> Value {
        Value::Object(r.body.clone().unwrap())
    }

    #[test]
    fn update_expanded_basic() {
        let r = resolve_json(json!({"op": "prepare", "parameterSet": "UpdateExpanded",
            "bound": {"UserId": "u@contoso.com", "Code": "09599786", "ForceChangePinNextSignIn": true,
                      "Headers": {"x-test": "1", "ConsistencyLevel": ["eventual"], "skip": null}}}))
        .unwrap();
        assert_eq!(r.set, "UpdateExpanded");
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
            assert_eq!(r.set, "Update");
            assert_eq!(r.user_id, "u");
            assert_eq!(
                r.body.as_ref().unwrap().get("code"),
                Some(&json!("09599786"))
            );
            assert_eq!(
                r.body.as_ref().unwrap().get("@odata.type"),
                Some(&json!("#microsoft.graph.qrPin"))
            );
            assert!(!r.body.as_ref().unwrap().contains_key("UserId"));
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
        assert_eq!(r.set, "Update");
        assert!(r.headers.is_empty());
        assert_eq!(
            body(&r),
            json!({"code": "12345678", "@odata.type": "#microsoft.graph.qrPin"})
        );

        let r = resolve_json(json!({"parameterSet": "UpdateViaIdentityExpanded", "headersFromPipeline": true,
            "bound": {"InputObject": {"kind": "object", "value": {"UserId": "u"}}, "Headers": {"code": "12345678"}}}))
        .unwrap();
        assert_eq!(r.set, "UpdateViaIdentity");
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
        assert_eq!(r.set, "UpdateViaIdentityExpanded");
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
        assert_eq!(r.set, "UpdateViaIdentity");
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
        assert_eq!(r.set, "UpdateExpanded");
        let r = resolve_json(json!({"parameterSet": "updateviaidentity", "bound": {
            "InputObject": {"kind": "object", "value": {"UserId": "u"}},
            "BodyParameter": {"kind": "object", "value": {"code": "12345678"}}}}))
        .unwrap();
        assert_eq!(r.set, "UpdateViaIdentity");
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

    #[test]
    fn a_get_takes_its_query_options_and_no_body() {
        let get = "Get-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode";
        let r = resolve_for(
            get,
            json!({"parameterSet": "Get", "bound": {"UserId": "u", "Property": ["id", " expireDateTime"],
                "ExpandProperty": "image"}}),
        )
        .unwrap();
        assert_eq!((r.set, r.body.is_none()), ("Get", true));
        assert_eq!(
            r.query,
            vec![
                ("$expand".to_string(), "image".to_string()),
                ("$select".to_string(), "id,expireDateTime".to_string())
            ]
        );
        let r = resolve_for(
            get,
            json!({"bound": {"InputObject": {"kind": "object", "value": {"UserId": "u2"}}}}),
        )
        .unwrap();
        assert_eq!((r.set, r.user_id.as_str()), ("GetViaIdentity", "u2"));
        let e =
            resolve_for(get, json!({"bound": {"UserId": "u", "Property": ["a&b"]}})).unwrap_err();
        assert_eq!(error_id(e), "InvalidQueryOption");
        // A dictionary piped beside -UserId is headers for a command without a body.
        let r = resolve_for(
            get,
            json!({"headersFromPipeline": true, "bound": {"UserId": "u", "Headers": {"x-a": "1"}}}),
        )
        .unwrap();
        assert_eq!(r.headers, vec![("x-a".to_string(), "1".to_string())]);
    }

    #[test]
    fn a_remove_takes_if_match_and_pass_thru() {
        let remove = "Remove-MgBetaUserAuthenticationQrCodePinMethod";
        let r = resolve_for(
            remove,
            json!({"bound": {"UserId": "u", "IfMatch": "W/\"1\"", "PassThru": true}}),
        )
        .unwrap();
        assert_eq!(r.set, "Delete");
        assert!(r.pass_thru);
        assert_eq!(
            r.headers,
            vec![("If-Match".to_string(), "W/\"1\"".to_string())]
        );
        let e = resolve_for(
            remove,
            json!({"parameterSet": "Update", "bound": {"UserId": "u"}}),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("Use Delete or DeleteViaIdentity"),
            "{e}"
        );
    }

    #[test]
    fn a_list_sends_paging_and_query_options_and_names_no_user() {
        let r = resolve_for(
            "Get-MgUser",
            json!({"bound": {"Filter": "startsWith(displayName,'a')", "Search": "displayName:conf",
                "Top": 250, "ConsistencyLevel": "eventual", "CountVariable": "n", "Sort": ["displayName"]}}),
        )
        .unwrap();
        assert_eq!((r.set, r.user_id.as_str()), ("List", ""));
        assert_eq!(
            r.query,
            vec![
                (
                    "$filter".to_string(),
                    "startsWith(displayName,'a')".to_string()
                ),
                ("$search".into(), "\"displayName:conf\"".into()),
                ("$orderby".into(), "displayName".into()),
                ("$top".into(), "100".into()),
                ("$count".into(), "true".into()),
            ]
        );
        assert_eq!(
            r.headers,
            vec![("ConsistencyLevel".to_string(), "eventual".to_string())]
        );
        let p = r.paging.unwrap();
        assert_eq!(
            (p.top, p.page_size, p.all, p.remaining()),
            (Some(250), 100, false, Some(250))
        );

        // -Top below the page size is the page size; -All without -Top follows every page.
        let p = resolve_for("Get-MgUser", json!({"bound": {"Top": 5, "All": true}}))
            .unwrap()
            .paging
            .unwrap();
        assert_eq!((p.page_size, p.all), (5, false));
        let r = resolve_for(
            "Get-MgBetaUser",
            json!({"bound": {"All": true, "PageSize": 999}}),
        )
        .unwrap();
        assert_eq!(r.query, vec![("$top".to_string(), "999".to_string())]);
        assert!(r.paging.unwrap().all);
        // No paging parameter: one page, no $top.
        let r = resolve_for("Get-MgUser", json!({"bound": {}})).unwrap();
        assert!(r.query.is_empty() && !r.paging.unwrap().all);
        for bad in [
            json!({"PageSize": 1000}),
            json!({"PageSize": 0}),
            json!({"Top": 0}),
        ] {
            let e = resolve_for("Get-MgUser", json!({"bound": bad})).unwrap_err();
            assert_eq!(error_id(e), "InvalidPaging");
        }
        // A single user: no paging.
        let r = resolve_for(
            "Get-MgUser",
            json!({"bound": {"UserId": "adele@contoso.example"}}),
        )
        .unwrap();
        assert_eq!((r.set, r.paging.is_none()), ("Get", true));
        let e = resolve_for(
            "Get-MgUser",
            json!({"parameterSet": "Get", "bound": {"UserId": "u", "Top": 1}}),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("-Top is not a parameter of set 'Get'"),
            "{e}"
        );
    }

    #[test]
    fn a_user_object_or_csv_row_names_the_user() {
        for (row, user) in [
            (
                json!({"UserPrincipalName": "adele@contoso.example", "Id": "1111"}),
                "adele@contoso.example",
            ),
            (json!({"Id": "1111", "DisplayName": "Adele"}), "1111"),
            (json!({"UserId": "", "UserPrincipalName": "u@x"}), "u@x"),
        ] {
            let r = resolve_json(json!({"inputIsBody": true, "bound": {
                "InputObject": {"kind": "object", "value": row}, "BodyParameter": {"kind": "object", "value": row}}}))
            .unwrap();
            assert_eq!(r.user_id, user);
            assert_eq!(body(&r), json!({}), "the identity column is not body");
        }
        // A blank Code cell means no code (Graph makes one), as a missing column does.
        let row = json!({"UserPrincipalName": "u@x", "Code": ""});
        let r = resolve_json(json!({"inputIsBody": true, "bound": {
            "InputObject": {"kind": "object", "value": row}, "BodyParameter": {"kind": "object", "value": row}}}))
        .unwrap();
        assert_eq!(body(&r), json!({}));
        let e = resolve_json(json!({"bound": {"UserId": "u", "Code": ""}})).unwrap_err();
        assert_eq!(
            error_id(e),
            "InvalidCode",
            "a -Code given empty on the command line is refused"
        );
    }
}
