//! Graph-shaped responses: the standard header set every Graph reply carries, and the error envelope.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use serde_json::{json, Value};

pub const GRAPH_JSON: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const DIAGNOSTIC: &str = r#"{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"EMULATOR"}}"#;
/// What Graph sends with a 401, pointing clients at the authority and Graph's app id.
const WWW_AUTHENTICATE: &str = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000""#;

/// Per-request correlation ids, echoed in headers and in error bodies.
#[derive(Clone, Debug)]
pub struct RequestIds {
    pub request_id: String,
    pub client_request_id: String,
}

impl RequestIds {
    /// Graph echoes the caller's `client-request-id`, or reuses its own request id when none was sent.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let request_id = crate::state::new_guid();
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| request_id.clone());
        RequestIds {
            request_id,
            client_request_id,
        }
    }
}

/// A successful (or otherwise non-error) Graph reply before headers are attached.
pub struct GraphReply {
    pub status: StatusCode,
    pub body: Option<Value>,
    /// A body that is not JSON (the echo route): its bytes, content type and Content-Disposition.
    pub raw: Option<RawBody>,
}

/// The bytes of a non-JSON answer.
pub struct RawBody {
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub disposition: Option<String>,
}

impl GraphReply {
    pub fn json(status: StatusCode, body: Value) -> Self {
        GraphReply {
            status,
            body: Some(body),
            raw: None,
        }
    }
    pub fn empty(status: StatusCode) -> Self {
        GraphReply {
            status,
            body: None,
            raw: None,
        }
    }
    pub fn raw(status: StatusCode, raw: RawBody) -> Self {
        GraphReply {
            status,
            body: None,
            raw: Some(raw),
        }
    }
}

#[derive(Debug)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub headers: Vec<(HeaderName, String)>,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        GraphError {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    pub fn unauthorized(message: &str) -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        );
        e.headers.push((
            axum::http::header::WWW_AUTHENTICATE,
            WWW_AUTHENTICATE.to_owned(),
        ));
        e
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    pub fn not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    }

    pub fn method_not_allowed(allow: &str) -> Self {
        let mut e = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "The HTTP method is not supported on this resource.",
        );
        e.headers
            .push((axum::http::header::ALLOW, allow.to_owned()));
        e
    }

    pub fn into_reply(self, ids: &RequestIds) -> (GraphReply, Vec<(HeaderName, String)>) {
        let body = json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "innerError": {
                    "date": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                    "request-id": ids.request_id,
                    "client-request-id": ids.client_request_id,
                }
            }
        });
        (GraphReply::json(self.status, body), self.headers)
    }
}

/// Builds the HTTP response with Graph's standard headers.
pub fn finish(
    ids: &RequestIds,
    reply: GraphReply,
    extra: Vec<(HeaderName, String)>,
) -> Response<Body> {
    let mut builder = Response::builder().status(reply.status);
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let fixed = [
        ("request-id", ids.request_id.as_str()),
        ("client-request-id", ids.client_request_id.as_str()),
        ("date", date.as_str()),
        ("cache-control", "no-cache"),
        ("strict-transport-security", "max-age=31536000"),
        ("x-ms-ags-diagnostic", DIAGNOSTIC),
        ("x-ms-resource-unit", "1"),
    ];
    for (name, value) in fixed {
        builder = builder.header(name, value);
    }
    for (name, value) in extra {
        // A client-supplied id could hold bytes a header cannot; drop rather than fail the reply.
        if let Ok(v) = HeaderValue::from_str(&value) {
            builder = builder.header(name, v);
        }
    }
    let body = match (reply.body, reply.raw) {
        (Some(v), _) => {
            builder = builder.header("content-type", GRAPH_JSON);
            Body::from(v.to_string())
        }
        (None, Some(raw)) => {
            if let Ok(v) = HeaderValue::from_str(&raw.content_type) {
                builder = builder.header("content-type", v);
            }
            if let Some(v) = raw.disposition.and_then(|d| HeaderValue::from_str(&d).ok()) {
                builder = builder.header("content-disposition", v);
            }
            Body::from(raw.bytes)
        }
        (None, None) => Body::empty(),
    };
    builder.body(body).unwrap_or_else(|_| {
        // Only reachable if the echoed client-request-id is not a valid header value.
        Response::builder()
            .status(StatusCode::BAD_REQUEST)
            .body(Body::empty())
            .expect("static response")
    })
}
