//! Result envelopes (`{"ok":true,"value":..}` / `{"ok":false,"error":{..}}`) and the error type
//! every operation returns.

use serde_json::{json, Map, Value};

/// Everything that can go wrong, one variant per error `kind` in docs/abi.md.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MgError {
    /// Bad input. `error_id` becomes the ErrorRecord's id, `parameter_name` names the culprit.
    #[error("{message}")]
    InvalidArgument {
        error_id: String,
        parameter_name: String,
        message: String,
    },
    /// The official terminating error for an identity object without `UserId`.
    #[error("InputObject has null value for InputObject.UserId")]
    MissingUserId,
    #[error("Not connected to Microsoft Graph. Run Connect-MgGraph first.")]
    NotConnected,
    #[error("{0}")]
    ExpiredToken(String),
    /// Sign-in or token renewal failed (the identity platform refused, or could not be reached).
    #[error("{0}")]
    Authentication(String),
    /// An HTTP error response from Graph.
    #[error("{}", .0.message)]
    Graph(Box<GraphError>),
    /// Graph still answered 429, 503 or 504 after `retries` retries (kind `graph`, with
    /// `retriesExhausted`).
    #[error("{}", retries_message(*.retries, &.error.exception_message))]
    RetriesExhausted {
        error: Box<GraphError>,
        retries: u32,
    },
    /// The connection a request started with was replaced or closed before it could be sent
    /// again (after a 401 or a retryable answer): it is not re-sent with another connection.
    #[error("{0}")]
    ConnectionChanged(String),
    /// No usable HTTP response (DNS, refused connection, timeout, TLS...).
    #[error("{0}")]
    Transport(String),
    /// Graph answered, but not with something the command can use: a 2xx without a well-formed
    /// qrPin (`UnexpectedGraphResponse`) or an answer over the size limit (`ResponseTooLarge`).
    #[error("{message}")]
    InvalidResult {
        error_id: String,
        message: String,
        status: u16,
        request_id: String,
    },
    #[error("{0}")]
    Cancelled(String),
    #[error("There is no native job with handle {0}: it was released or never existed.")]
    UnknownHandle(u64),
    #[error("{0}")]
    Internal(String),
}

/// The fields of a `graph` error (docs/abi.md, "Error `graph`").
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    pub status: u16,
    pub reason: String,
    pub code: String,
    pub message: String,
    pub date: String,
    pub request_id: String,
    pub exception_message: String,
    pub error_details: String,
    pub recommended_action: String,
    pub headers: Vec<(String, String)>,
}

impl MgError {
    /// Shorthand for an `invalid_argument` error.
    pub fn invalid(error_id: &str, parameter_name: &str, message: impl Into<String>) -> Self {
        MgError::InvalidArgument {
            error_id: error_id.to_string(),
            parameter_name: parameter_name.to_string(),
            message: message.into(),
        }
    }

    /// Every text of the error through `redact::mask`: for a job to call while the PIN of its
    /// request is still held (the envelope is written after the request let go of it).
    pub fn mask(&mut self) {
        let m = |s: &mut String| *s = crate::redact::mask_owned(std::mem::take(s));
        match self {
            MgError::InvalidArgument { message, .. } | MgError::InvalidResult { message, .. } => {
                m(message)
            }
            MgError::Graph(g) | MgError::RetriesExhausted { error: g, .. } => {
                for text in [
                    &mut g.reason,
                    &mut g.code,
                    &mut g.message,
                    &mut g.date,
                    &mut g.request_id,
                    &mut g.exception_message,
                    &mut g.error_details,
                    &mut g.recommended_action,
                ] {
                    m(text);
                }
                for (_, value) in g.headers.iter_mut() {
                    m(value);
                }
            }
            MgError::ExpiredToken(t)
            | MgError::Authentication(t)
            | MgError::ConnectionChanged(t)
            | MgError::Transport(t)
            | MgError::Cancelled(t)
            | MgError::Internal(t) => m(t),
            MgError::MissingUserId | MgError::NotConnected | MgError::UnknownHandle(_) => {}
        }
    }

    /// The `kind` string of docs/abi.md.
    pub fn kind(&self) -> &'static str {
        match self {
            MgError::InvalidArgument { .. } => "invalid_argument",
            MgError::MissingUserId => "missing_user_id",
            MgError::NotConnected => "not_connected",
            MgError::ExpiredToken(_) => "expired_token",
            MgError::Authentication(_) => "authentication",
            MgError::Graph(_) | MgError::RetriesExhausted { .. } => "graph",
            MgError::ConnectionChanged(_) => "connection_changed",
            MgError::Transport(_) => "transport",
            MgError::InvalidResult { .. } => "invalid_result",
            MgError::Cancelled(_) => "cancelled",
            MgError::UnknownHandle(_) => "unknown_handle",
            MgError::Internal(_) => "internal",
        }
    }

    /// The `error` object of a failure envelope.
    pub fn to_json(&self) -> Value {
        let mut error = Map::new();
        error.insert("kind".into(), json!(self.kind()));
        error.insert("message".into(), json!(self.to_string()));
        match self {
            MgError::InvalidArgument {
                error_id,
                parameter_name,
                ..
            } => {
                error.insert("errorId".into(), json!(error_id));
                error.insert("parameterName".into(), json!(parameter_name));
            }
            MgError::MissingUserId => {
                error.insert("parameterName".into(), json!("InputObject"));
            }
            MgError::InvalidResult {
                error_id,
                status,
                request_id,
                ..
            } => {
                error.insert("errorId".into(), json!(error_id));
                error.insert("status".into(), json!(status));
                error.insert("requestId".into(), json!(request_id));
            }
            MgError::UnknownHandle(handle) => {
                error.insert("handle".into(), json!(handle));
            }
            MgError::RetriesExhausted { error: g, retries } => {
                graph_fields(&mut error, g);
                let message = retries_message(*retries, &g.exception_message);
                error.insert("exceptionMessage".into(), json!(message));
                error.insert("retriesExhausted".into(), json!(true));
                error.insert("retries".into(), json!(retries));
            }
            MgError::Graph(g) => graph_fields(&mut error, g),
            _ => {}
        }
        // Messages, ErrorDetails and headers may repeat what a server sent back.
        let mut error = Value::Object(error);
        crate::redact::mask_value(&mut error);
        error
    }
}

/// The official wording when retries run out, followed by Graph's own `[code] : message`.
fn retries_message(retries: u32, graph: &str) -> String {
    format!("Too many retries performed. More than {retries} retries encountered while sending the request. {graph}")
}

fn graph_fields(error: &mut Map<String, Value>, g: &GraphError) {
    error.insert("status".into(), json!(g.status));
    error.insert("reason".into(), json!(g.reason));
    error.insert("code".into(), json!(g.code));
    error.insert("date".into(), json!(g.date));
    error.insert("requestId".into(), json!(g.request_id));
    error.insert("exceptionMessage".into(), json!(g.exception_message));
    error.insert("errorDetails".into(), json!(g.error_details));
    error.insert("recommendedAction".into(), json!(g.recommended_action));
    error.insert("headers".into(), headers_json(&g.headers));
    let retry_after = g
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("retry-after"))
        .map(|(_, v)| v.clone());
    error.insert("retryAfter".into(), json!(retry_after));
}

/// Headers as the `[[name, value], ...]` array used by every envelope.
pub fn headers_json(headers: &[(String, String)]) -> Value {
    Value::Array(
        headers
            .iter()
            .map(|(n, v)| Value::Array(vec![json!(n), json!(v)]))
            .collect(),
    )
}

/// `{"ok":true,"value":value}` as text.
pub fn ok(value: Value) -> String {
    json!({"ok": true, "value": value}).to_string()
}

/// `{"ok":false,"error":{...}}` as text.
pub fn err(error: &MgError) -> String {
    json!({"ok": false, "error": error.to_json()}).to_string()
}

/// Either envelope from a result.
pub fn from_result(result: Result<Value, MgError>) -> String {
    match result {
        Ok(value) => ok(value),
        Err(e) => err(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn ok_envelope() {
        assert_eq!(parse(&ok(json!(5))), json!({"ok": true, "value": 5}));
        assert_eq!(parse(&ok(Value::Null)), json!({"ok": true, "value": null}));
    }

    #[test]
    fn invalid_argument_envelope_carries_id_and_parameter() {
        let e = MgError::invalid("InvalidCode", "Code", "Code must be digits.");
        let v = parse(&err(&e));
        assert_eq!(
            v,
            json!({"ok": false, "error": {"kind": "invalid_argument", "message": "Code must be digits.",
                "errorId": "InvalidCode", "parameterName": "Code"}})
        );
    }

    #[test]
    fn fixed_messages() {
        assert_eq!(
            MgError::NotConnected.to_string(),
            "Not connected to Microsoft Graph. Run Connect-MgGraph first."
        );
        assert_eq!(
            MgError::MissingUserId.to_string(),
            "InputObject has null value for InputObject.UserId"
        );
        assert_eq!(
            MgError::UnknownHandle(3).to_json()["kind"],
            "unknown_handle"
        );
    }

    #[test]
    fn graph_envelope_fields() {
        let g = GraphError {
            status: 404,
            reason: "NotFound".into(),
            code: "Request_ResourceNotFound".into(),
            message: "nope".into(),
            date: "2025-01-01T00:00:00".into(),
            request_id: "r".into(),
            exception_message: "[Request_ResourceNotFound] : nope".into(),
            error_details: "d".into(),
            recommended_action: "a".into(),
            headers: vec![("request-id".into(), "r".into())],
        };
        let v = MgError::Graph(Box::new(g)).to_json();
        assert_eq!(v["kind"], "graph");
        assert_eq!(v["message"], "nope");
        assert_eq!(v["status"], 404);
        assert_eq!(v["headers"], json!([["request-id", "r"]]));
        assert_eq!(v["exceptionMessage"], "[Request_ResourceNotFound] : nope");
    }
}
