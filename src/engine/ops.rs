//! Operation dispatch: JSON in, envelope out. Synchronous operations run on the caller's
//! thread (`mgrs_invoke`); `send` runs as a job (`mgrs_submit`).

use serde_json::{json, Map, Value};
use zeroize::Zeroize;

use crate::envelope::{self, MgError};
use crate::environments::REGISTRY;
use crate::ffi::ABI_VERSION;
use crate::http_client;
use crate::jobs::JOBS;
use crate::request;
use crate::request_context;
use crate::send;
use crate::session::STORE;

const SYNC_OPS: &str = "init, environment.list, environment.add, environment.remove, connect.access_token, context, disconnect, context.forget, prepare, prepared.release, proxy.check, request_context.get, request_context.set, scheduler.stats";

/// A string field, matched case-insensitively; `null` counts as missing.
fn field<'a>(input: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, MgError> {
    match input
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
    {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(MgError::invalid(
            "InvalidArgument",
            name,
            format!("{name} must be a string."),
        )),
    }
}

fn required<'a>(input: &'a Map<String, Value>, name: &str) -> Result<&'a str, MgError> {
    field(input, name)?
        .ok_or_else(|| MgError::invalid("InvalidArgument", name, format!("{name} is required.")))
}

/// Parses an operation request: a JSON object with a string `op`.
fn parse(input: &str) -> Result<(String, Map<String, Value>), MgError> {
    let value: Value = serde_json::from_str(input).map_err(|e| {
        MgError::invalid(
            "InvalidRequest",
            "op",
            format!(
                "The request is not valid JSON (line {}, column {}).",
                e.line(),
                e.column()
            ),
        )
    })?;
    let Value::Object(map) = value else {
        return Err(MgError::invalid(
            "InvalidRequest",
            "op",
            "The request must be a JSON object with an 'op' field.",
        ));
    };
    let op = match map.get("op") {
        Some(Value::String(op)) => op.clone(),
        _ => {
            return Err(MgError::invalid(
                "InvalidRequest",
                "op",
                "The request has no 'op' string.",
            ))
        }
    };
    Ok((op, map))
}

/// Overwrites every string in a parsed request (tokens and PINs) before it is freed.
fn scrub(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(scrub),
        Value::Object(map) => map.values_mut().for_each(scrub),
        _ => {}
    }
}

/// The request context; while connected, ClientTimeout is the connection's.
fn request_context_json() -> Value {
    let mut v = request_context::get().to_json();
    if let Ok(creds) = STORE.credentials(chrono::Utc::now()) {
        v["ClientTimeout"] = json!(creds.timeout.as_secs());
    }
    v
}

/// Runs one synchronous operation.
/// The version of the JSON operations (docs/protocol.md); the module's loader refuses another.
pub const PROTOCOL_VERSION: u32 = 1;

pub fn dispatch(op: &str, input: &Map<String, Value>) -> Result<Value, MgError> {
    match op {
        "init" => {
            let ua = http_client::set_user_agent(
                field(input, "psVersion")?.unwrap_or("unknown"),
                field(input, "culture")?.unwrap_or("unknown"),
                field(input, "os")?.unwrap_or("unknown"),
            );
            Ok(
                json!({"abiVersion": ABI_VERSION, "protocol": PROTOCOL_VERSION,
                    "version": env!("CARGO_PKG_VERSION"), "userAgent": ua}),
            )
        }
        "environment.list" => Ok(Value::Array(
            REGISTRY.list().iter().map(|e| e.to_json()).collect(),
        )),
        "environment.add" => REGISTRY
            .add(
                required(input, "Name")?,
                required(input, "AzureADEndpoint")?,
                required(input, "GraphEndpoint")?,
            )
            .map(|e| e.to_json()),
        "environment.remove" => REGISTRY
            .remove(required(input, "Name")?)
            .map(|e| e.to_json()),
        "connect.access_token" => {
            // A SecureString comes as base64 of its UTF-8 bytes (no managed string of it was made).
            let from_bytes = crate::auth::secret_text(input, "AccessTokenUtf8")?;
            let token = match &from_bytes {
                Some(token) => token.as_str(),
                None => field(input, "AccessToken")?.unwrap_or(""),
            };
            let timeout = crate::auth::parse_timeout(input)?;
            STORE.connect_access_token(
                &REGISTRY,
                token,
                field(input, "Environment")?,
                chrono::Utc::now(),
            )?;
            STORE.set_client_timeout(timeout);
            Ok(STORE.context().map(|c| c.to_json()).unwrap_or(Value::Null))
        }
        // Deletes the CurrentUser session file: `{ContextDir}` -> true when there was one.
        "context.forget" => match field(input, "ContextDir")? {
            Some(dir) => {
                crate::auth::persistence::delete(std::path::Path::new(dir)).map(Value::Bool)
            }
            None => Ok(Value::Bool(false)),
        },
        "request_context.get" => Ok(request_context_json()),
        "request_context.set" => {
            let timeout = request_context::set(input)?.client_timeout;
            // ClientTimeout is also the connection's (Connect-MgGraph -ClientTimeout): keep one value.
            if input
                .keys()
                .any(|k| k.eq_ignore_ascii_case("ClientTimeout"))
            {
                STORE.set_client_timeout(std::time::Duration::from_secs(u64::from(timeout)));
            }
            Ok(request_context_json())
        }
        "scheduler.stats" => Ok(crate::scheduler::stats_json()),
        "context" => Ok(STORE.context().map(|c| c.to_json()).unwrap_or(Value::Null)),
        "disconnect" => Ok(STORE
            .disconnect()
            .map(|c| c.to_json())
            .unwrap_or(Value::Null)),
        // Issue 11: the request text (PIN, proxy password) stays here; the module gets a handle.
        "prepare" => request::prepare(input).map(crate::prepared::hide),
        "prepared.release" => Ok(crate::prepared::release(input)),
        "proxy.check" => crate::proxy::check(input),
        "send" => Err(MgError::invalid(
            "InvalidRequest",
            "op",
            "'send' is asynchronous: start it with mgrs_submit.",
        )),
        #[cfg(test)]
        "__panic" => panic!("test-only panic inside the boundary"),
        other => Err(MgError::invalid(
            "UnknownOperation",
            "op",
            format!("Unknown operation '{other}'. Synchronous operations: {SYNC_OPS}."),
        )),
    }
}

/// `mgrs_invoke`: request text in, envelope text out.
pub fn invoke(input: &str) -> String {
    match parse(input) {
        Err(e) => envelope::err(&e),
        Ok((op, map)) => {
            let result = dispatch(&op, &map);
            let text = match (&result, op.as_str()) {
                (Err(e), "prepare") => command_error(e, &map, None),
                _ => envelope::from_result(result),
            };
            scrub(&mut Value::Object(map));
            text
        }
    }
}

/// The user an input names, as far as it can be read (for the error of an input that failed).
fn input_user(input: &Map<String, Value>) -> Option<String> {
    let bound = input.get("bound")?.as_object()?;
    let find = |name: &str| {
        bound
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    if let Some(Value::String(user)) = find("UserId") {
        return Some(user.clone());
    }
    let model = crate::params::parse_model(find("InputObject")?, "InputObject", "").ok()?;
    let (map, _) = crate::params::model_map(&model, "InputObject", "", "").ok()?;
    crate::params::identity_user_id(&map).ok()
}

/// The error envelope of a command operation, with the error policy of the command it names
/// (commands/policy.rs). `set`: the parameter set resolved, else the one the input asked for.
fn command_error(e: &MgError, input: &Map<String, Value>, set: Option<&str>) -> String {
    let mut error = e.to_json();
    let command = crate::commands::table::command_of(input).ok();
    let asked = input.get("parameterSet").and_then(Value::as_str);
    let user = input_user(input);
    crate::commands::policy::attach(&mut error, command, set.or(asked), user.as_deref());
    json!({"ok": false, "error": error}).to_string()
}

/// The `send` job. Its error envelope also names the request (`target`: user id, parameter set, body
/// with the PIN redacted), so the module can build the error record without keeping the plan.
async fn send_job(mut map: Map<String, Value>) -> String {
    // A request changed by -HttpPipeline* steps also returns Graph's answer for the response steps.
    let mut answer = None;
    let mut result = send::send_observing(&map, &mut answer).await;
    let answer = answer.map(|raw| crate::request_override::response_json(&raw));
    if let (Ok(value), Some(answer)) = (&mut result, &answer) {
        value["response"] = answer.clone();
    }
    let request = match &result {
        Err(_) => map
            .get("request")
            .and_then(|r| request::PreparedRequest::from_value(r).ok()),
        Ok(_) => None,
    };
    scrub(&mut Value::Object(std::mem::take(&mut map)));
    match result {
        Err(e) => {
            let mut error = e.to_json();
            let command = request.as_ref().and_then(|r| r.command().ok());
            crate::commands::policy::attach(
                &mut error,
                command,
                request.as_ref().map(|r| r.parameter_set.as_str()),
                request.as_ref().map(|r| r.user_id.as_str()),
            );
            if let Some(r) = &request {
                error["target"] = json!({"userId": r.user_id, "parameterSet": r.parameter_set,
                    "targetBody": r.body.as_ref().map(|b| Value::Object(crate::body::redacted(b)))});
            }
            if let Some(answer) = answer {
                error["response"] = answer;
            }
            json!({"ok": false, "error": error}).to_string()
        }
        ok => envelope::from_result(ok),
    }
}

/// `mgrs_submit`: starts an asynchronous operation and returns its handle. Input errors
/// become the job's result.
pub fn submit(input: Result<String, MgError>) -> u64 {
    let parsed = input.and_then(|text| parse(&text));
    match parsed {
        Err(e) => JOBS.finished(envelope::err(&e)),
        Ok((op, map)) => match op.as_str() {
            "send" => {
                let mut map = map;
                match crate::prepared::reveal(&mut map) {
                    Ok(()) => JOBS.spawn(send_job(map)),
                    Err(e) => JOBS.finished(command_error(&e, &map, None)),
                }
            }
            // prepare and send in one call, for a pipeline that has nothing to ask between the two
            // (no -WhatIf, no -Confirm): input errors become the job's result.
            "prepare_send" => {
                let prepared = request::prepare(&map);
                let level = map.get("log").cloned();
                let failed = prepared.as_ref().err().map(|e| command_error(e, &map, None));
                scrub(&mut Value::Object(map));
                match prepared {
                    Ok(mut plan) => {
                        let mut send_input = Map::new();
                        send_input.insert("request".into(), plan["request"].take());
                        if let Some(level) = level {
                            send_input.insert("log".into(), level);
                        }
                        JOBS.spawn(send_job(send_input))
                    }
                    Err(_) => JOBS.finished(failed.unwrap_or_default()),
                }
            }
            // Invoke-MgGraphRequest: any request on the Graph endpoint, answered raw (src/http/graph_request.rs).
            "graph.request" => JOBS.spawn(async move {
                let result = crate::http::graph_request::run(&map).await;
                scrub(&mut Value::Object(map));
                envelope::from_result(result)
            }),
            // Issue 3: sign-in flows (they may wait for a user), see src/auth.
            "connect" => JOBS.spawn(async move {
                let result = crate::auth::connect(&map).await;
                scrub(&mut Value::Object(map));
                envelope::from_result(result)
            }),
            #[cfg(test)]
            "__panic" => JOBS.spawn(async move {
                if !map.is_empty() {
                    panic!("test-only panic inside a job");
                }
                String::new()
            }),
            other => JOBS.finished(envelope::err(&MgError::invalid(
                "UnknownOperation",
                "op",
                format!("Unknown asynchronous operation '{other}'. Asynchronous operations: send, prepare_send, graph.request, connect."),
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(v: Value) -> Value {
        serde_json::from_str(&invoke(&v.to_string())).unwrap()
    }

    #[test]
    fn bad_requests_are_error_envelopes() {
        for text in ["", "not json", "[]", "{}", r#"{"op":5}"#] {
            let v: Value = serde_json::from_str(&invoke(text)).unwrap();
            assert_eq!(v["ok"], false, "{text}");
            assert_eq!(v["error"]["kind"], "invalid_argument");
        }
        let v = call(json!({"op": "frobnicate"}));
        assert_eq!(v["error"]["errorId"], "UnknownOperation");
        let v = call(json!({"op": "send"}));
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("mgrs_submit"));
    }

    #[test]
    fn environment_ops() {
        let v = call(json!({"op": "environment.list"}));
        assert_eq!(v["value"][0]["Name"], "Global");
        let v = call(json!({"op": "environment.add", "Name": "OpsTestEnv",
            "AzureADEndpoint": "http://localhost:1/", "GraphEndpoint": "http://localhost:2/"}));
        assert_eq!(v["value"]["GraphEndpoint"], "http://localhost:2");
        let v = call(json!({"op": "environment.remove", "Name": "opstestenv"}));
        assert_eq!(v["value"]["Name"], "OpsTestEnv");
        let v = call(json!({"op": "environment.remove", "Name": "Global"}));
        assert_eq!(v["error"]["errorId"], "BuiltInEnvironment");
        let v = call(json!({"op": "environment.add", "Name": "X"}));
        assert_eq!(v["error"]["parameterName"], "AzureADEndpoint");
    }

    #[test]
    fn init_and_prepare() {
        let v =
            call(json!({"op": "init", "psVersion": "7.4.6", "culture": "en-US", "os": "Linux"}));
        assert_eq!(v["value"]["abiVersion"], 3);
        let v = call(
            json!({"op": "prepare", "command": "Update-MgBetaUserAuthenticationQrCodePinMethodPin", "parameterSet": "UpdateExpanded",
            "bound": {"UserId": "u", "Code": "12345678"}}),
        );
        assert_eq!(v["ok"], true);
        assert_eq!(v["value"]["targetBody"]["code"], "<redacted>");
        // The request itself stays in the library: the module gets a handle, never the PIN.
        let handle = v["value"]["request"].as_str().unwrap();
        assert!(handle.starts_with(crate::prepared::PREFIX), "{handle}");
        assert!(!v.to_string().contains("12345678"));
        let released = call(json!({"op": "prepared.release", "request": handle}));
        assert_eq!(released["value"], true);
        let v = call(
            json!({"op": "prepare", "command": "Update-MgBetaUserAuthenticationQrCodePinMethodPin", "parameterSet": "UpdateExpanded",
            "bound": {"UserId": "u", "Code": "1234"}}),
        );
        assert_eq!(v["error"]["errorId"], "InvalidCode");
        assert_eq!(v["error"]["parameterName"], "Code");
        assert!(!v.to_string().contains("1234\""));
    }

    #[test]
    fn scrub_clears_strings() {
        let mut v = json!({"a": "secret", "b": ["x"], "c": {"d": "y"}});
        scrub(&mut v);
        assert_eq!(v, json!({"a": "", "b": [""], "c": {"d": ""}}));
    }
}
