//! `graph.request`: the operation behind `Invoke-MgGraphRequest`. Any method the cmdlet offers to
//! any URI on the connected Graph endpoint, with the connection's token, through the same attempt
//! loop as the commands (send.rs: lanes, retries and Retry-After, 401 renewal, per-job logs with
//! secrets masked). The answer comes back raw (status, headers, body bytes as base64) for the
//! module to turn into the requested output type or error.
//!
//! URIs: `v1.0/users`, `/v1.0/users`, `beta/users`, `/beta/users` resolve against the
//! connection's Graph endpoint; a relative URI naming no version is refused (the official cmdlet
//! would guess v1.0 or send it without one); an absolute URI must have the Graph endpoint's scheme,
//! host and port, since the token goes nowhere else. Nothing is sent when the URI is refused.

use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use crate::envelope::{headers_json, MgError};
use crate::http_client;
use crate::response;
use crate::scheduler::Access;
use crate::send::{self, Wire};
use crate::session::{self, Store};
use crate::validate;

/// The API versions a relative URI may start with.
pub const VERSIONS: [&str; 2] = ["v1.0", "beta"];

/// Characters a query key or value keeps as they are (RFC 3986 unreserved, and `$` for OData's
/// system query options).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$');

fn invalid_uri(message: String) -> MgError {
    MgError::invalid("InvalidUri", "Uri", message)
}

/// The Graph endpoint as an origin for messages: `https://graph.microsoft.com`.
fn origin_text(url: &url::Url) -> String {
    match url.port() {
        Some(port) => format!(
            "{}://{}:{port}",
            url.scheme(),
            url.host_str().unwrap_or_default()
        ),
        None => format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default()),
    }
}

/// The absolute URL a `-Uri` names on the connected Graph endpoint, or why it is refused.
pub fn resolve_uri(text: &str, graph_endpoint: &str) -> Result<String, MgError> {
    let graph = url::Url::parse(graph_endpoint)
        .map_err(|e| MgError::Internal(format!("The connection's Graph endpoint: {e}")))?;
    let given = text.trim();
    if given.is_empty() {
        return Err(invalid_uri(
            "Uri: empty string not allowed. Give a URI such as 'v1.0/users'.".into(),
        ));
    }
    let mut url = match url::Url::parse(given) {
        Ok(absolute) => {
            if !absolute.username().is_empty() || absolute.password().is_some() {
                return Err(invalid_uri(
                    "Uri: the URI holds a user name or password; the credential comes from Connect-MgGraph. Nothing was sent.".into(),
                ));
            }
            if absolute.origin() != graph.origin() {
                let named = if absolute.has_host() {
                    origin_text(&absolute)
                } else {
                    format!("a {}: URI", absolute.scheme())
                };
                return Err(MgError::invalid(
                    "InvokeGraphRequestInvalidHost",
                    "Uri",
                    format!(
                        "Invalid Host {named}: the access token is only ever sent to the connected environment's Graph endpoint {}, so nothing was sent. Use a relative URI such as 'v1.0/users', or connect to the environment whose Graph endpoint this is (Add-MgEnvironment, Connect-MgGraph -Environment).",
                        origin_text(&graph)
                    ),
                ));
            }
            absolute
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => relative(given, &graph)?,
        Err(e) => {
            return Err(invalid_uri(format!(
                "Uri: '{}' is not a valid URI ({e}). Nothing was sent.",
                given.escape_debug()
            )))
        }
    };
    url.set_fragment(None);
    Ok(url.to_string())
}

/// `v1.0/users` or `/beta/users` on the Graph endpoint. The version must come first: Graph has no
/// default version, and guessing one would read or change something else than asked.
fn relative(given: &str, graph: &url::Url) -> Result<url::Url, MgError> {
    let path = given.strip_prefix('/').unwrap_or(given);
    let version = path.split(['/', '?', '#']).next().unwrap_or_default();
    let Some(version) = VERSIONS
        .iter()
        .find(|v| v.eq_ignore_ascii_case(version))
        .filter(|_| !path.starts_with(['/', '\\']))
    else {
        return Err(MgError::invalid(
            "UriWithoutVersion",
            "Uri",
            format!(
                "Uri: the relative URI '{}' names no Graph API version, so nothing was sent. Start it with v1.0/ or beta/ (for example 'v1.0/{}'), or give the absolute URI on the connected Graph endpoint {}.",
                given.escape_debug(),
                path.trim_start_matches(['/', '\\']).escape_debug(),
                origin_text(graph)
            ),
        ));
    };
    let mut base = graph.clone();
    if !base.path().ends_with('/') {
        let with_slash = format!("{}/", base.path());
        base.set_path(&with_slash);
    }
    let joined = base.join(path).map_err(|e| {
        invalid_uri(format!(
            "Uri: '{}' is not a valid relative URI ({e}). Nothing was sent.",
            given.escape_debug()
        ))
    })?;
    // `..` segments are resolved by the join: the result must still be under the version asked for.
    let under = format!("{}{version}", base.path());
    let rest = joined.path().get(under.len()..).unwrap_or("x");
    if joined.origin() != graph.origin()
        || !joined.path()[..under.len().min(joined.path().len())].eq_ignore_ascii_case(&under)
        || !(rest.is_empty() || rest.starts_with('/'))
    {
        return Err(invalid_uri(format!(
            "Uri: '{}' leaves the {version} API of the Graph endpoint, so nothing was sent.",
            given.escape_debug()
        )));
    }
    Ok(joined)
}

/// Appends `pairs` (a GET's -Body dictionary) to the URL's query.
pub fn with_query(url: &str, pairs: &[(String, String)]) -> Result<String, MgError> {
    if pairs.is_empty() {
        return Ok(url.to_string());
    }
    let mut parsed = url::Url::parse(url).map_err(|e| MgError::Internal(e.to_string()))?;
    let added = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, QUERY),
                utf8_percent_encode(v, QUERY)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let query = match parsed.query() {
        Some(q) if !q.is_empty() => format!("{q}&{added}"),
        _ => added,
    };
    parsed.set_query(Some(&query));
    Ok(parsed.to_string())
}

fn text_field<'a>(input: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, MgError> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(MgError::invalid(
            "InvalidRequest",
            name,
            format!("graph.request: '{name}' must be text."),
        )),
    }
}

fn pairs(input: &Map<String, Value>, name: &str) -> Result<Vec<(String, String)>, MgError> {
    let bad = || {
        MgError::invalid(
            "InvalidRequest",
            name,
            format!("graph.request: '{name}' must be a list of [name, value] text pairs."),
        )
    };
    match input.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|pair| match pair.as_array().map(Vec::as_slice) {
                Some([Value::String(n), Value::String(v)]) => Ok((n.clone(), v.clone())),
                _ => Err(bad()),
            })
            .collect(),
        Some(_) => Err(bad()),
    }
}

/// A header value .NET's typed headers would take: visible ASCII, spaces and tabs.
fn plain_value(name: &str, value: &str, parameter: &str) -> Result<(), MgError> {
    if value.chars().all(|c| c == '\t' || (' '..='~').contains(&c)) {
        Ok(())
    } else {
        Err(MgError::invalid(
            "InvalidHeader",
            parameter,
            format!("{parameter}: the value of '{name}' has characters outside visible ASCII. Give -SkipHeaderValidation to send it as it is."),
        ))
    }
}

/// A Content-Type as `type/subtype[; parameter=value]...`.
fn media_type(value: &str) -> bool {
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    let token = |s: &str| !s.is_empty() && s.chars().all(validate::is_tchar);
    let essence_ok = matches!(essence.split_once('/'), Some((t, s)) if token(t) && token(s));
    essence_ok
        && parts.all(|p| {
            let p = p.trim();
            p.is_empty() || matches!(p.split_once('='), Some((k, _)) if token(k.trim()))
        })
}

/// The request's method: the five the cmdlet offers.
fn method(name: &str) -> Result<reqwest::Method, MgError> {
    match name.to_ascii_uppercase().as_str() {
        "GET" => Ok(reqwest::Method::GET),
        "POST" => Ok(reqwest::Method::POST),
        "PUT" => Ok(reqwest::Method::PUT),
        "PATCH" => Ok(reqwest::Method::PATCH),
        "DELETE" => Ok(reqwest::Method::DELETE),
        _ => Err(MgError::invalid(
            "InvalidMethod",
            "Method",
            format!(
                "Method: '{}' is not one of GET, POST, PUT, PATCH, DELETE.",
                name.escape_debug()
            ),
        )),
    }
}

/// The string values of a JSON body's secret properties (models.json), to mask while in flight.
fn body_secrets(body: &[u8]) -> Vec<String> {
    fn walk(value: &Value, secret: &[&str], out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s)
                            if !s.is_empty()
                                && secret.iter().any(|n| n.eq_ignore_ascii_case(k)) =>
                        {
                            out.push(s.clone())
                        }
                        other => walk(other, secret, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, secret, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        walk(
            &value,
            &crate::commands::table::secret_wire_names(),
            &mut out,
        );
    }
    out
}

/// Runs `graph.request` against the process-wide connection.
pub async fn run(input: &Map<String, Value>) -> Result<Value, MgError> {
    run_with(&session::STORE, input).await
}

/// Runs `graph.request` against a given connection store (the tests' own).
pub async fn run_with(store: &Store, input: &Map<String, Value>) -> Result<Value, MgError> {
    let method = method(text_field(input, "method")?.unwrap_or("GET"))?;
    let uri =
        text_field(input, "uri")?.ok_or_else(|| invalid_uri("Uri: must specify Uri.".into()))?;
    let skip_validation = input
        .get("skipHeaderValidation")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let headers = pairs(input, "headers")?;
    for (name, value) in &headers {
        validate::header_name(name)?;
        validate::header_value(name, value)?;
        if !skip_validation {
            plain_value(name, value, "Headers")?;
        }
    }
    let content_type = text_field(input, "contentType")?.map(str::to_string);
    if let Some(ct) = &content_type {
        validate::header_value("Content-Type", ct).map_err(|_| content_type_error())?;
        if !skip_validation && !media_type(ct) {
            return Err(content_type_error());
        }
    }
    let user_agent = text_field(input, "userAgent")?.map(str::to_string);
    if let Some(agent) = &user_agent {
        validate::header_value("User-Agent", agent).map_err(|_| {
            MgError::invalid(
                "InvalidHeader",
                "UserAgent",
                "UserAgent: the value contains a line break or another control character.",
            )
        })?;
        if !skip_validation {
            plain_value("User-Agent", agent, "UserAgent")?;
        }
    }
    let body = Zeroizing::new(match text_field(input, "body")? {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|_| {
                MgError::invalid(
                    "InvalidRequest",
                    "Body",
                    "graph.request: 'body' must be base64.",
                )
            })?,
        None => Vec::new(),
    });
    let query = pairs(input, "query")?;
    let secrets = body_secrets(&body);
    let _held: Vec<_> = secrets
        .iter()
        .map(|s| crate::redact::in_flight(s))
        .collect();

    let mut creds = crate::auth::bearer(store).await?;
    // Refused URIs never reach the wire: resolved against the connection the request keeps.
    let url = with_query(&resolve_uri(uri, &creds.graph_endpoint)?, &query)?;
    let client = http_client::client_with(&url, None, creds.timeout)?;
    let user_headers = send::header_values(&headers, "Headers")?;
    let is_get = method == reqwest::Method::GET;
    let too_large = move |status: u16, request_id: String| {
        MgError::InvalidResult {
        error_id: "ResponseTooLarge".into(),
        message: format!(
            "Graph answered {status} {} with a body larger than {} MiB, the most the module reads, so the answer was not read.{}",
            response::status_name(status),
            http_client::MAX_BODY_BYTES / (1024 * 1024),
            if (200..300).contains(&status) && !is_get {
                " The request succeeded, so what it changed is done."
            } else {
                ""
            }
        ),
        status,
        request_id,
    }
    };
    // GET, PUT and DELETE do the same when sent twice; POST and PATCH may not.
    let idempotent = matches!(
        method,
        reqwest::Method::GET | reqwest::Method::PUT | reqwest::Method::DELETE
    );
    let wire = Wire {
        client: &client,
        url,
        body: &body,
        content_type,
        module_headers: true,
        accept: None,
        user_agent: user_agent.unwrap_or_else(http_client::user_agent),
        client_request_id: uuid::Uuid::new_v4().to_string(),
        user_headers,
        shown_names: &headers,
        access: if is_get { Access::Read } else { Access::Write },
        idempotent,
        proxy: None,
        user_id: "",
        secrets: &secrets,
        lost_answer_note: if idempotent {
            ""
        } else {
            " Check in Graph whether it took effect before sending it again."
        },
        too_large: &too_large,
        method,
    };
    let result =
        send::exchange_retrying(store, &mut creds, &wire, send::Log::from_input(input)).await;
    let mut answer = match result {
        Ok(answer) => answer,
        Err(mut e) => {
            e.mask();
            return Err(e);
        }
    };
    // The body's own secrets (a PIN the request set) may come back in a success answer, as the
    // commands show them; error answers were scrubbed of them by the attempt loop.
    drop(_held);
    let mut headers = headers_json(&answer.headers);
    crate::redact::mask_value(&mut headers);
    // A server that repeats the request (an error page, a careless gateway) must not hand the token
    // back to the script: a text body has every secret the process keeps masked.
    if let Ok(text) = std::str::from_utf8(&answer.body) {
        if let std::borrow::Cow::Owned(masked) = crate::redact::mask(text) {
            answer.body = masked.into_bytes();
        }
    }
    Ok(json!({
        "status": answer.status,
        "reason": response::reason_phrase(answer.status),
        "statusName": response::status_name(answer.status),
        "headers": headers,
        "body": base64::engine::general_purpose::STANDARD.encode(&answer.body),
        "uri": wire.url,
        "method": wire.method.as_str(),
        "throttled": answer.throttled,
        "retries": answer.retries,
        "retriesExhausted": answer.exhausted,
    }))
}

fn content_type_error() -> MgError {
    MgError::invalid(
        "InvokeGraphContentTypeException",
        "ContentType",
        "The cmdlet cannot run because the -ContentType parameter is not a valid Content-Type header. Specify a valid Content-Type for -ContentType, then retry. To suppress header validation, supply the -SkipHeaderValidation parameter.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAPH: &str = "https://graph.microsoft.com";

    fn error_id(e: MgError) -> String {
        match e {
            MgError::InvalidArgument { error_id, .. } => error_id,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn relative_uris_resolve_on_the_graph_endpoint() {
        for (given, expected) in [
            ("v1.0/users", "https://graph.microsoft.com/v1.0/users"),
            ("/v1.0/users", "https://graph.microsoft.com/v1.0/users"),
            ("beta/users", "https://graph.microsoft.com/beta/users"),
            ("/beta/users", "https://graph.microsoft.com/beta/users"),
            ("beta", "https://graph.microsoft.com/beta"),
            (
                "v1.0/users?$top=5&$select=id",
                "https://graph.microsoft.com/v1.0/users?$top=5&$select=id",
            ),
            (
                "v1.0/users/a@contoso.com#frag",
                "https://graph.microsoft.com/v1.0/users/a@contoso.com",
            ),
            ("V1.0/me", "https://graph.microsoft.com/V1.0/me"),
        ] {
            assert_eq!(resolve_uri(given, GRAPH).unwrap(), expected, "{given}");
        }
        // A loopback emulator with a port, and an endpoint with a trailing slash.
        assert_eq!(
            resolve_uri("/beta/users", "http://127.0.0.1:8123").unwrap(),
            "http://127.0.0.1:8123/beta/users"
        );
        assert_eq!(
            resolve_uri("v1.0/users", "https://graph.microsoft.us/").unwrap(),
            "https://graph.microsoft.us/v1.0/users"
        );
    }

    #[test]
    fn a_relative_uri_without_a_version_is_refused() {
        for given in [
            "users",
            "/users",
            "me/messages",
            "v2.0/users",
            "v1.0users",
            "//evil.example/v1.0/users",
            "/\\evil.example/v1.0",
            "v1.0/../users",
            "beta/../../v1.0x",
            "",
            "   ",
        ] {
            let e = resolve_uri(given, GRAPH).unwrap_err();
            let id = error_id(e.clone());
            assert!(
                id == "UriWithoutVersion" || id == "InvalidUri",
                "{given}: {id}"
            );
            assert_eq!(e.to_json()["parameterName"], "Uri", "{given}");
        }
        let e = resolve_uri("users", GRAPH).unwrap_err();
        assert!(e.to_string().contains("v1.0/users"), "{e}");
        // `..` that stays under the version is fine.
        assert_eq!(
            resolve_uri("v1.0/users/../me", GRAPH).unwrap(),
            "https://graph.microsoft.com/v1.0/me"
        );
    }

    #[test]
    fn absolute_uris_only_on_the_graph_endpoint() {
        assert_eq!(
            resolve_uri("https://graph.microsoft.com/v1.0/users?$top=1", GRAPH).unwrap(),
            "https://graph.microsoft.com/v1.0/users?$top=1"
        );
        assert_eq!(
            resolve_uri("https://GRAPH.microsoft.com:443/beta/me", GRAPH).unwrap(),
            "https://graph.microsoft.com/beta/me"
        );
        for given in [
            "https://evil.example/v1.0/users",
            "http://graph.microsoft.com/v1.0/users",
            "https://graph.microsoft.com:8443/v1.0/users",
            "https://graph.microsoft.com.evil.example/v1.0/users",
            "https://graph.microsoft.us/v1.0/users",
            "file:///etc/passwd",
            "ftp://graph.microsoft.com/v1.0",
        ] {
            let e = resolve_uri(given, GRAPH).unwrap_err();
            assert_eq!(
                error_id(e.clone()),
                "InvokeGraphRequestInvalidHost",
                "{given}"
            );
            assert!(e.to_string().contains("nothing was sent"), "{e}");
        }
        let e = resolve_uri("https://user:pw@graph.microsoft.com/v1.0/me", GRAPH).unwrap_err();
        assert_eq!(error_id(e.clone()), "InvalidUri");
        assert!(!e.to_string().contains("pw"));
    }

    #[test]
    fn query_pairs_are_escaped_and_appended() {
        let url = with_query(
            "https://graph.microsoft.com/v1.0/users?$top=5",
            &[
                ("$filter".into(), "startswith(displayName,'A B')".into()),
                ("x&y".into(), "1=2".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            url,
            "https://graph.microsoft.com/v1.0/users?$top=5&$filter=startswith%28displayName%2C%27A%20B%27%29&x%26y=1%3D2"
        );
        assert_eq!(
            with_query("https://graph.microsoft.com/v1.0/me", &[]).unwrap(),
            "https://graph.microsoft.com/v1.0/me"
        );
    }

    #[test]
    fn content_types_and_methods() {
        assert!(media_type("application/json"));
        assert!(media_type("application/json; charset=utf-8"));
        assert!(media_type("text/plain;charset=iso-8859-1"));
        assert!(!media_type("json"));
        assert!(!media_type("application/"));
        assert!(!media_type("a b/c"));
        assert!(method("patch").is_ok());
        assert_eq!(error_id(method("TRACE").unwrap_err()), "InvalidMethod");
    }

    // The one-route test server and canned answers of send.rs's tests (an empty answer closes the
    // connection unanswered).
    use crate::send::tests::{http, serve};

    fn connected(endpoint: &str) -> Store {
        let registry = crate::environments::Registry::new();
        registry.add("Local", endpoint, endpoint).unwrap();
        let store = Store::new();
        store
            .connect_access_token(
                &registry,
                "graph-request-test-token",
                Some("Local"),
                chrono::Utc::now(),
            )
            .unwrap();
        store
    }

    fn lanes_of(endpoint: &str) -> Vec<String> {
        let stats = crate::scheduler::stats_json();
        let mut access: Vec<String> = stats["lanes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["endpoint"] == endpoint)
            .map(|l| l["access"].as_str().unwrap().to_string())
            .collect();
        access.sort();
        access
    }

    #[test]
    fn sends_the_bytes_and_returns_the_raw_answer_in_the_right_lane() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let (endpoint, mut seen) = serve(vec![
                http("201 Created", &[("content-type", "application/octet-stream"), ("request-id", "r1")], "\u{1}bin"),
                http("429 Too Many Requests", &[("retry-after", "0")], ""),
                http("200 OK", &[("content-type", "application/json")], r#"{"value":[]}"#),
            ])
            .await;
            let store = connected(&endpoint);
            let body = base64::engine::general_purpose::STANDARD.encode([0u8, 159, 146, 150]);
            let v = run_with(&store, json!({"method": "POST", "uri": "/beta/things", "body": body,
                "contentType": "application/octet-stream", "headers": [["ConsistencyLevel", "eventual"]],
                "userAgent": "agent/1"}).as_object().unwrap())
            .await
            .unwrap();
            let req = seen.recv().await.unwrap();
            let lower = req.to_ascii_lowercase();
            assert!(req.starts_with("POST /beta/things HTTP/1.1"), "{req}");
            assert!(lower.contains("content-type: application/octet-stream"), "{req}");
            assert!(lower.contains("consistencylevel: eventual"), "{req}");
            assert!(lower.contains("user-agent: agent/1"), "{req}");
            assert!(lower.contains("authorization: bearer graph-request-test-token"), "{req}");
            assert!(!lower.contains("accept: application/json"), "{req}");
            assert_eq!(v["status"], 201);
            assert_eq!(v["reason"], "Created");
            assert_eq!(v["statusName"], "Created");
            assert_eq!(v["uri"], format!("{endpoint}/beta/things"));
            let answer = base64::engine::general_purpose::STANDARD.decode(v["body"].as_str().unwrap()).unwrap();
            assert_eq!(answer, b"\x01bin");
            assert_eq!(lanes_of(&endpoint), vec!["write"]);

            // A GET with a query, throttled once: sent again, in the read lane.
            let v = run_with(&store, json!({"uri": "v1.0/users?$top=1", "query": [["$filter", "a b"]]})
                .as_object().unwrap())
            .await
            .unwrap();
            let first = seen.recv().await.unwrap();
            assert!(first.starts_with("GET /v1.0/users?$top=1&$filter=a%20b HTTP/1.1"), "{first}");
            assert!(!first.to_ascii_lowercase().contains("content-type"), "{first}");
            let again = seen.recv().await.unwrap();
            assert!(again.to_ascii_lowercase().contains("retry-attempt: 1"), "{again}");
            assert_eq!((v["status"].clone(), v["retries"].clone(), v["throttled"].clone()), (json!(200), json!(1), json!(1)));
            assert_eq!(lanes_of(&endpoint), vec!["read", "write"]);
        });
    }

    #[test]
    fn a_post_whose_answer_was_lost_is_not_sent_again_and_nothing_goes_elsewhere() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let (endpoint, mut seen) = serve(vec![String::new()]).await;
            let store = connected(&endpoint);
            let e = run_with(
                &store,
                json!({"method": "POST", "uri": "v1.0/things", "body": ""})
                    .as_object()
                    .unwrap(),
            )
            .await
            .unwrap_err();
            assert_eq!(e.kind(), "transport");
            assert!(e.to_string().contains("not safe to send twice"), "{e}");
            assert!(seen.recv().await.is_some());
            // Refused URIs never reach the server (it would take no second connection).
            for uri in ["users", "https://graph.microsoft.com/v1.0/users"] {
                let e = run_with(&store, json!({"uri": uri}).as_object().unwrap())
                    .await
                    .unwrap_err();
                assert_eq!(e.kind(), "invalid_argument", "{uri}");
            }
            assert!(seen.try_recv().is_err());
        });
    }

    #[test]
    fn bad_input_is_refused_before_anything_is_sent() {
        let run = |v: Value| {
            let store = Store::new();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(run_with(&store, v.as_object().unwrap()))
        };
        // Checked before the connection is even asked for.
        let e =
            run(json!({"uri": "v1.0/me", "headers": [["Authorization", "Bearer x"]]})).unwrap_err();
        assert_eq!(error_id(e), "InvalidHeader");
        let e = run(json!({"uri": "v1.0/me", "headers": [["X-A", "é"]]})).unwrap_err();
        assert_eq!(error_id(e), "InvalidHeader");
        let e = run(json!({"uri": "v1.0/me", "contentType": "nonsense"})).unwrap_err();
        assert_eq!(error_id(e), "InvokeGraphContentTypeException");
        let e = run(json!({"uri": "v1.0/me", "method": "HEAD"})).unwrap_err();
        assert_eq!(error_id(e), "InvalidMethod");
        // Valid with -SkipHeaderValidation; then the missing connection stops it.
        let e = run(
            json!({"uri": "v1.0/me", "headers": [["X-A", "é"]], "contentType": "nonsense",
            "skipHeaderValidation": true}),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "not_connected");
    }
}
