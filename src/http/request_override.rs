//! `-HttpPipelinePrepend` / `-HttpPipelineAppend`: the request as script steps see it (`view`, added
//! to `prepare` when asked) and the request the steps hand back (`override`, on `send`), checked
//! before anything goes out. The steps themselves run in PowerShell, on the pipeline thread.
//!
//! Rules for an override: the URI must stay on the connected environment's Graph endpoint (same
//! scheme, host and port: the token only ever goes there), the body must be JSON text or empty,
//! header names and values must be valid, and the headers the module owns stay refused. A changed
//! method is allowed.

use reqwest::Method;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use crate::commands::table::RetrySafe;
use crate::envelope::{headers_json, MgError};
use crate::http_client;
use crate::request::{self, PreparedRequest};
use crate::response::{self, RawResponse};
use crate::session::Store;
use crate::validate;

/// What `send` puts on the wire (before Authorization and per-attempt headers).
#[derive(Debug)]
pub struct Outgoing {
    pub method: Method,
    pub url: String,
    pub body: Zeroizing<Vec<u8>>,
    /// The whole header list a step left, module headers included; `None` without steps: the
    /// module adds its own and the `-Headers` of the prepared request.
    pub headers: Option<Vec<(String, String)>>,
    /// Whether sending it twice does no harm, so a lost answer may be retried.
    pub idempotent: bool,
}

impl Outgoing {
    /// Steps were given: the caller wants the final answer back for the response steps.
    pub fn steps_given(&self) -> bool {
        self.headers.is_some()
    }
}

/// The error every refused override gets: the steps cannot be told apart once they have all run.
fn refused(detail: impl std::fmt::Display) -> MgError {
    MgError::invalid(
        "InvalidHttpPipelineRequest",
        "HttpPipelineStep",
        format!("The request left by the -HttpPipelinePrepend/-HttpPipelineAppend steps cannot be sent, so nothing was sent: {detail}"),
    )
}

/// The Graph endpoint of the current connection, without renewing a token.
pub fn connected_endpoint(store: &Store) -> Result<String, MgError> {
    store
        .credentials(chrono::Utc::now())
        .map(|c| c.graph_endpoint)
}

/// The request as the first step sees it: method, absolute URI, the `-Headers` given, the body
/// text, and the headers the module adds after the prepend steps (`moduleHeaders`). Never
/// Authorization, Content-Type or Content-Length: those are added when the request is sent.
pub fn view(req: &PreparedRequest, graph_endpoint: &str) -> Result<Value, MgError> {
    let body = req.body_text()?;
    Ok(json!({
        "method": req.method,
        "uri": request::checked_url(graph_endpoint, req)?,
        "headers": headers_json(&req.headers),
        "body": body,
        "moduleHeaders": [
            ["User-Agent", http_client::user_agent()],
            ["Accept", "application/json"],
            ["client-request-id", uuid::Uuid::new_v4().to_string()],
        ],
    }))
}

/// The answer as response steps see it: status, reason phrase, headers and the raw body.
pub fn response_json(raw: &RawResponse) -> Value {
    json!({
        "status": raw.status,
        "reason": response::reason_phrase(raw.status),
        "headers": headers_json(&raw.headers),
        "body": raw.body,
    })
}

/// The request `send` makes: the prepared one, or the `override` the steps left.
pub fn outgoing(
    req: &PreparedRequest,
    over: Option<&Value>,
    graph_endpoint: &str,
) -> Result<Outgoing, MgError> {
    match over {
        None | Some(Value::Null) => Ok(Outgoing {
            method: method(&req.method)?,
            url: request::checked_url(graph_endpoint, req)?,
            body: Zeroizing::new(req.body_text()?.into_bytes()),
            headers: None,
            // The table says when a lost answer may be sent again (the PIN reset: only with its code).
            idempotent: req.retry_safe()?,
        }),
        Some(Value::Object(map)) => checked(req, map, graph_endpoint),
        Some(_) => Err(refused("the override is not an object.")),
    }
}

fn text<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, MgError> {
    match map.get(name) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) if name == "body" => Ok(""),
        _ => Err(refused(format!("its {name} is missing or not text."))),
    }
}

/// Checks an override: method, URI, headers and body.
fn checked(
    req: &PreparedRequest,
    map: &Map<String, Value>,
    graph_endpoint: &str,
) -> Result<Outgoing, MgError> {
    let method = method(text(map, "method")?)?;
    let url = uri(text(map, "uri")?, graph_endpoint)?;

    let mut headers = Vec::new();
    match map.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(pairs)) => {
            for pair in pairs {
                let (name, value) = match pair.as_array().map(Vec::as_slice) {
                    Some([Value::String(n), Value::String(v)]) => (n, v),
                    _ => return Err(refused("a header is not a [name, value] pair of text.")),
                };
                header(name, value)?;
                headers.push((name.clone(), value.clone()));
            }
        }
        Some(_) => return Err(refused("its headers are not a list.")),
    }

    let body = text(map, "body")?;
    let parsed = if body.trim().is_empty() {
        None
    } else {
        Some(serde_json::from_str::<Value>(body).map_err(|e| {
            // Position only: the body holds the PIN.
            refused(format!(
                "the Body is not valid JSON (line {}, column {}). Set it to JSON text, for example with ConvertTo-Json, or to an empty string.",
                e.line(),
                e.column()
            ))
        })?)
    };
    // RFC 9110 idempotent methods may be sent again; the command's own method as the table says
    // for the body the steps left (the PIN reset: a PATCH that names its code); others never.
    let command = req.command()?;
    let idempotent = match method.as_str() {
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE" => true,
        m if m != command.method => false,
        _ => match &command.retry_safe {
            RetrySafe::Always => true,
            RetrySafe::Never => false,
            RetrySafe::WhenBodyHas(wire) => match &parsed {
                Some(Value::Object(m)) => request::body_has(Some(m), wire),
                _ => false,
            },
        },
    };
    Ok(Outgoing {
        method,
        url,
        body: Zeroizing::new(body.as_bytes().to_vec()),
        headers: Some(headers),
        idempotent,
    })
}

/// A method name: the standard ones in any case (sent upper-case), others as HTTP tokens.
fn method(name: &str) -> Result<Method, MgError> {
    const STANDARD: [&str; 8] = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
    ];
    if let Some(standard) = STANDARD.iter().find(|m| m.eq_ignore_ascii_case(name)) {
        return Ok(Method::from_bytes(standard.as_bytes()).expect("standard method"));
    }
    if name.eq_ignore_ascii_case("CONNECT") {
        return Err(refused(
            "the Method CONNECT opens a tunnel and cannot be used for a Graph request.",
        ));
    }
    Method::from_bytes(name.as_bytes()).map_err(|_| {
        refused(format!(
            "'{}' is not a valid HTTP method.",
            name.chars().take(32).collect::<String>().escape_debug()
        ))
    })
}

/// The URI must be absolute and stay on the Graph endpoint of the connection.
/// Graph's next link of a list page, checked as an override's URI is: the token goes only to the
/// connected Graph endpoint.
pub fn same_origin(text: &str, graph_endpoint: &str) -> Result<String, MgError> {
    uri(text, graph_endpoint).map_err(|_| {
        MgError::invalid(
            "InvalidNextLink",
            "All",
            "Graph's @odata.nextLink does not point to the connected environment's Graph endpoint, so it was not followed (the access token is only ever sent there).",
        )
    })
}

fn uri(text: &str, graph_endpoint: &str) -> Result<String, MgError> {
    let graph = url::Url::parse(graph_endpoint).map_err(|e| MgError::Internal(e.to_string()))?;
    let parsed = url::Url::parse(text.trim()).map_err(|_| {
        refused("the Uri is not an absolute http:// or https:// address. Assign a System.Uri or an absolute address string.")
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refused(
            "the Uri holds a user name or password; credentials come from Connect-MgGraph.",
        ));
    }
    if parsed.origin() != graph.origin() {
        return Err(refused(format!(
            "the Uri points to {}, but the access token is only ever sent to the connected environment's Graph endpoint {}.",
            origin_text(&parsed),
            origin_text(&graph)
        )));
    }
    let mut url = parsed;
    url.set_fragment(None);
    Ok(url.to_string())
}

fn origin_text(url: &url::Url) -> String {
    format!(
        "{}://{}",
        url.scheme(),
        http_client::host_of(url.as_str(), "(no host)")
    )
}

/// Header rules of `-Headers` (validate.rs), worded for steps.
fn header(name: &str, value: &str) -> Result<(), MgError> {
    let reword = |e: MgError| {
        let message = e.to_string();
        refused(message.strip_prefix("Headers: ").unwrap_or(&message))
    };
    validate::header_name(name).map_err(reword)?;
    validate::header_value(name, value).map_err(reword)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAPH: &str = "https://graph.microsoft.com";

    fn prepared() -> PreparedRequest {
        let v = request::prepare(
            json!({"command": "Update-MgBetaUserAuthenticationQrCodePinMethodPin",
                "parameterSet": "UpdateExpanded", "bound": {"UserId": "a b@contoso.com",
                "Code": "09599786", "Headers": {"x-a": "1"}}})
            .as_object()
            .unwrap(),
        )
        .unwrap();
        PreparedRequest::from_value(&v["request"]).unwrap()
    }

    fn over(patch: Value) -> Value {
        let mut v = json!({
            "method": "PATCH",
            "uri": "https://graph.microsoft.com/beta/users/a%20b%40contoso.com/authentication/qrCodePinMethod/pin",
            "headers": [["x-a", "1"], ["User-Agent", "ua"]],
            "body": "{\"code\":\"12345678\"}",
        });
        for (k, val) in patch.as_object().unwrap() {
            v[k] = val.clone();
        }
        v
    }

    fn error_id(e: MgError) -> (String, String) {
        match e {
            MgError::InvalidArgument {
                error_id, message, ..
            } => (error_id, message),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn without_override_the_prepared_request_goes_out() {
        let out = outgoing(&prepared(), None, GRAPH).unwrap();
        assert_eq!(out.method, Method::PATCH);
        assert_eq!(
            out.url,
            "https://graph.microsoft.com/beta/users/a%20b%40contoso.com/authentication/qrCodePinMethod/pin"
        );
        assert_eq!(&out.body[..], br#"{"code":"09599786"}"#);
        assert!(out.headers.is_none() && !out.steps_given());
        assert!(out.idempotent);
        let out = outgoing(&prepared(), Some(&Value::Null), GRAPH).unwrap();
        assert!(!out.steps_given());
    }

    #[test]
    fn view_has_the_absolute_uri_and_the_module_headers() {
        let v = view(&prepared(), "http://127.0.0.1:5/").unwrap();
        assert_eq!(v["method"], "PATCH");
        assert_eq!(
            v["uri"],
            "http://127.0.0.1:5/beta/users/a%20b%40contoso.com/authentication/qrCodePinMethod/pin"
        );
        assert_eq!(v["headers"], json!([["x-a", "1"]]));
        assert_eq!(v["body"], r#"{"code":"09599786"}"#);
        let names: Vec<&str> = v["moduleHeaders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[0].as_str().unwrap())
            .collect();
        assert_eq!(names, ["User-Agent", "Accept", "client-request-id"]);
        assert!(!v.to_string().to_ascii_lowercase().contains("authorization"));
    }

    #[test]
    fn a_valid_override_is_taken_as_the_steps_left_it() {
        let o = over(json!({"method": "put", "body": "", "headers": [["X-Step", "yes"]]}));
        let out = outgoing(&prepared(), Some(&o), GRAPH).unwrap();
        assert_eq!(out.method, Method::PUT);
        assert!(out.body.is_empty());
        assert_eq!(
            out.headers.as_deref(),
            Some(&[("X-Step".to_string(), "yes".to_string())][..])
        );
        assert!(out.steps_given() && out.idempotent);

        let out = outgoing(&prepared(), Some(&over(json!({}))), GRAPH).unwrap();
        assert_eq!(&out.body[..], br#"{"code":"12345678"}"#);
        assert!(out.idempotent);
        let out = outgoing(&prepared(), Some(&over(json!({"body": "{}"}))), GRAPH).unwrap();
        assert!(!out.idempotent, "a PATCH without a code makes a new PIN");
        let out = outgoing(&prepared(), Some(&over(json!({"method": "POST"}))), GRAPH).unwrap();
        assert!(!out.idempotent);
        // The default port is the same origin; a fragment is never sent.
        let out = outgoing(
            &prepared(),
            Some(&over(
                json!({"uri": "HTTPS://Graph.Microsoft.com:443/v1.0/users/x/authentication/qrCodePinMethod/pin?a=1#frag"}),
            )),
            GRAPH,
        )
        .unwrap();
        assert_eq!(
            out.url,
            "https://graph.microsoft.com/v1.0/users/x/authentication/qrCodePinMethod/pin?a=1"
        );
    }

    #[test]
    fn the_token_never_leaves_the_graph_endpoint() {
        for bad in [
            "https://evil.example.com/beta/users/x",
            "http://graph.microsoft.com/beta/users/x",
            "https://graph.microsoft.com:8443/beta/users/x",
            "https://graph.microsoft.com.evil.example/beta",
            "https://user:pw@graph.microsoft.com/beta/users/x",
            "/beta/users/x",
            "not a uri",
            "file:///etc/passwd",
        ] {
            let e = outgoing(&prepared(), Some(&over(json!({ "uri": bad }))), GRAPH).unwrap_err();
            let (id, message) = error_id(e);
            assert_eq!(id, "InvalidHttpPipelineRequest", "{bad}");
            assert!(message.contains("nothing was sent"), "{message}");
            assert!(!message.contains("pw"), "{message}");
        }
        let e = outgoing(
            &prepared(),
            Some(&over(json!({"uri": "https://evil.example.com/x"}))),
            GRAPH,
        )
        .unwrap_err();
        assert!(e.to_string().contains("https://evil.example.com"));
        assert!(e.to_string().contains("https://graph.microsoft.com"));
    }

    #[test]
    fn bad_bodies_headers_and_methods_are_refused_without_echoing_the_pin() {
        let body = outgoing(
            &prepared(),
            Some(&over(json!({"body": "{\"code\":\"87654321\""}))),
            GRAPH,
        )
        .unwrap_err()
        .to_string();
        assert!(
            body.contains("not valid JSON") && !body.contains("87654321"),
            "{body}"
        );

        for (name, value) in [
            ("Authorization", "Bearer x"),
            ("authorization", "x"),
            ("Content-Length", "5"),
            ("Host", "evil.example.com"),
            ("Proxy-Authorization", "x"),
            ("bad name", "x"),
            ("x-ok", "a\r\nInjected: yes"),
        ] {
            let e = outgoing(
                &prepared(),
                Some(&over(json!({"headers": [[name, value]]}))),
                GRAPH,
            )
            .unwrap_err();
            let (id, message) = error_id(e);
            assert_eq!(id, "InvalidHttpPipelineRequest", "{name}");
            assert!(!message.contains("Headers:"), "{message}");
        }
        for bad in [
            json!({"headers": [["x", 1]]}),
            json!({"headers": "x: y"}),
            json!({"method": "GET /x"}),
            json!({"method": "connect"}),
            json!({"method": 5}),
            json!({"uri": null}),
        ] {
            assert!(
                outgoing(&prepared(), Some(&over(bad.clone())), GRAPH).is_err(),
                "{bad}"
            );
        }
        assert!(outgoing(&prepared(), Some(&json!("text")), GRAPH).is_err());
        let out = outgoing(&prepared(), Some(&over(json!({"method": "MERGE"}))), GRAPH).unwrap();
        assert_eq!(out.method.as_str(), "MERGE");
    }

    #[test]
    fn response_for_steps() {
        let raw = RawResponse {
            status: 404,
            headers: vec![("request-id".into(), "r1".into())],
            body: "{}".into(),
        };
        assert_eq!(
            response_json(&raw),
            json!({"status": 404, "reason": "Not Found", "headers": [["request-id", "r1"]], "body": "{}"})
        );
    }

    #[test]
    fn the_endpoint_comes_from_the_connection() {
        let store = Store::new();
        assert_eq!(
            connected_endpoint(&store).unwrap_err(),
            MgError::NotConnected
        );
        let registry = crate::environments::Registry::new();
        registry
            .add("Local", "http://127.0.0.1:7/", "http://127.0.0.1:7/")
            .unwrap();
        store
            .connect_access_token(&registry, "token", Some("Local"), chrono::Utc::now())
            .unwrap();
        assert_eq!(connected_endpoint(&store).unwrap(), "http://127.0.0.1:7");
    }
}
