//! The error policy of a command's errors: everything PowerShell needs to build the ErrorRecord
//! (`record` in the error envelope, docs/protocol.md), decided here once so the module only
//! builds it: id, category, exception type, FullyQualifiedErrorId, activity, whether it stops
//! the command, and the facts for `Exception.Data`.

use serde_json::{json, Map, Value};

use super::table::Command;

/// (error id, category, exception type, stops the command whatever the ErrorAction, has a target).
fn shape<'a>(
    kind: &str,
    error: &'a Map<String, Value>,
) -> (&'a str, &'static str, &'static str, bool, bool) {
    let text = |name: &str| error.get(name).and_then(Value::as_str).unwrap_or("");
    match kind {
        // Retries that ran out are NotSpecified in the official module, whose message starts
        // "Too many retries performed".
        "graph" if error.get("retriesExhausted") == Some(&Value::Bool(true)) => (
            text("code"),
            "NotSpecified",
            "System.AggregateException",
            false,
            true,
        ),
        "graph" => (
            text("code"),
            "InvalidOperation",
            "System.Exception",
            false,
            true,
        ),
        "invalid_argument" => (
            text("errorId"),
            "InvalidArgument",
            "System.ArgumentException",
            false,
            true,
        ),
        // The official terminating error for an identity without a UserId.
        "missing_user_id" => ("", "InvalidArgument", "System.Exception", true, true),
        // The connection's token could not be renewed: the message names the cause.
        "authentication" => (
            "AuthenticationFailed",
            "AuthenticationError",
            "System.Security.Authentication.AuthenticationException",
            true,
            false,
        ),
        "not_connected" | "expired_token" => (
            "NotConnected",
            "AuthenticationError",
            "System.Security.Authentication.AuthenticationException",
            true,
            false,
        ),
        "connection_changed" => (
            "ConnectionChanged",
            "AuthenticationError",
            "System.InvalidOperationException",
            false,
            true,
        ),
        "invalid_result" => (
            text("errorId"),
            "InvalidResult",
            "System.InvalidOperationException",
            false,
            true,
        ),
        "cancelled" => (
            "OperationStopped",
            "OperationStopped",
            "System.OperationCanceledException",
            false,
            true,
        ),
        // Transport failures and anything unexpected: the official module reports these as NotSpecified.
        _ => (
            "HttpRequestFailed",
            "NotSpecified",
            "System.Net.Http.HttpRequestException",
            false,
            true,
        ),
    }
}

/// Adds `record` to an error envelope's `error` object, for `command` in parameter set `set`.
/// `user`: the user the input was about, named in the module's own messages when they do not
/// already name them, so each error of a bulk run says whose it is.
pub fn attach(error: &mut Value, command: Option<&Command>, set: Option<&str>, user: Option<&str>) {
    let Some(map) = error.as_object() else { return };
    let kind = map
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("internal");
    let (error_id, category, exception_type, stops, has_target) = shape(kind, map);
    let message = match kind {
        "graph" => map.get("exceptionMessage"),
        _ => map.get("message"),
    }
    .cloned()
    .unwrap_or(Value::Null);
    // Graph's own errors keep the official "[code] : message" text that scripts match on (a 404
    // already names the user); the module's own messages name the user when they do not.
    let user = user.filter(|u| !u.trim().is_empty() && kind != "graph");
    let message = match (message, user) {
        (Value::String(text), Some(user)) if !text.contains(user) => {
            Value::String(format!("{} (user '{user}')", text.trim_end()))
        }
        (message, _) => message,
    };
    let set = set
        .filter(|s| !s.is_empty())
        .or(command.map(|c| c.default_parameter_set.as_str()));
    let (fqid, activity) = match (command, set) {
        (Some(c), Some(set)) => {
            let class = format!("{}_{set}", c.cmdlet_class());
            let fqid = if error_id.is_empty() {
                class
            } else {
                format!("{error_id},{class}")
            };
            (fqid, format!("{}_{set}", c.name))
        }
        _ => (error_id.to_string(), String::new()),
    };
    let mut data = Map::new();
    match kind {
        "graph" => {
            data.insert(
                "StatusCode".into(),
                map.get("status").cloned().unwrap_or(Value::Null),
            );
            data.insert("ErrorCode".into(), json!(error_id));
            data.insert(
                "RequestId".into(),
                map.get("requestId").cloned().unwrap_or(Value::Null),
            );
            if let Some(after) = map.get("retryAfter").filter(|v| !v.is_null()) {
                data.insert("RetryAfter".into(), after.clone());
            }
            if let Some(retries) = map
                .get("retries")
                .filter(|_| map.get("retriesExhausted") == Some(&Value::Bool(true)))
            {
                data.insert("Retries".into(), retries.clone());
            }
        }
        "invalid_result" => {
            data.insert(
                "StatusCode".into(),
                map.get("status").cloned().unwrap_or(Value::Null),
            );
            data.insert(
                "RequestId".into(),
                map.get("requestId").cloned().unwrap_or(Value::Null),
            );
        }
        _ => {}
    }
    let mut record = json!({
        "message": message,
        "errorId": error_id,
        "category": category,
        "exceptionType": exception_type,
        "fqid": fqid,
        "activity": activity,
        "stopsCommand": stops,
        "hasTarget": has_target,
        "data": data,
    });
    if kind == "graph" {
        record["details"] = map.get("errorDetails").cloned().unwrap_or(Value::Null);
        record["recommendedAction"] = map.get("recommendedAction").cloned().unwrap_or(Value::Null);
    }
    error["record"] = record;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::table;
    use crate::envelope::MgError;

    fn pin() -> &'static Command {
        table::command("Update-MgBetaUserAuthenticationQrCodePinMethodPin").unwrap()
    }

    #[test]
    fn an_input_error_is_an_argument_error_of_its_set() {
        let mut e = MgError::invalid("InvalidUserId", "UserId", "bad").to_json();
        attach(&mut e, Some(pin()), Some("UpdateExpanded"), None);
        let r = &e["record"];
        assert_eq!(r["category"], "InvalidArgument");
        assert_eq!(r["exceptionType"], "System.ArgumentException");
        assert_eq!(
            r["fqid"],
            "InvalidUserId,Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_UpdateExpanded"
        );
        assert_eq!(
            r["activity"],
            "Update-MgBetaUserAuthenticationQrCodePinMethodPin_UpdateExpanded"
        );
        assert_eq!(
            (r["stopsCommand"].clone(), r["message"].clone()),
            (json!(false), json!("bad"))
        );
    }

    #[test]
    fn what_stops_a_command_and_the_default_set() {
        let mut e = MgError::MissingUserId.to_json();
        attach(&mut e, Some(pin()), None, None);
        assert_eq!(e["record"]["stopsCommand"], true);
        assert_eq!(
            e["record"]["fqid"],
            "Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin_UpdateExpanded"
        );
        let mut e = MgError::NotConnected.to_json();
        attach(&mut e, Some(pin()), Some("Update"), None);
        assert_eq!(
            (
                e["record"]["stopsCommand"].clone(),
                e["record"]["hasTarget"].clone()
            ),
            (json!(true), json!(false))
        );
        let mut e = MgError::Transport("down".into()).to_json();
        attach(&mut e, None, None, None);
        assert_eq!(e["record"]["category"], "NotSpecified");
        assert_eq!(e["record"]["fqid"], "HttpRequestFailed");
        let mut e = MgError::invalid("InvalidCode", "Code", "Code: too short.").to_json();
        attach(&mut e, Some(pin()), None, Some("adele@contoso.example"));
        assert_eq!(
            e["record"]["message"],
            "Code: too short. (user 'adele@contoso.example')"
        );
        let mut e = MgError::invalid("X", "UserId", "User 'adele' is odd.").to_json();
        attach(&mut e, Some(pin()), None, Some("adele"));
        assert_eq!(e["record"]["message"], "User 'adele' is odd.");
    }
}
