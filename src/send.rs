//! The `send` operation: PATCH the prepared request to Graph with the connection's token,
//! retrying throttling answers, and map the final response.

use std::error::Error as _;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::Value;

use crate::body;
use crate::envelope::MgError;
use crate::http_client;
use crate::log_queue;
use crate::request::{self, PreparedRequest};
use crate::response::{self, RawResponse};
use crate::session::{self, Store};

/// Retries after 429, 503 and 504, as the official module does by default.
pub const MAX_RETRIES: u32 = 3;
/// Delay when the answer has no usable Retry-After: 3 s, 6 s, 12 s.
pub const BASE_DELAY: Duration = Duration::from_secs(3);
/// Longest single wait we accept from a Retry-After header.
pub const MAX_DELAY: Duration = Duration::from_secs(180);

fn retryable(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// How long to wait before retry number `attempt` (1-based).
pub fn retry_delay(headers: &[(String, String)], attempt: u32) -> Duration {
    let from_header = response::header(headers, "retry-after").and_then(|v| {
        let v = v.trim();
        if let Ok(secs) = v.parse::<f64>() {
            return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
        }
        chrono::DateTime::parse_from_rfc2822(v).ok().map(|at| {
            (at.with_timezone(&Utc) - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
        })
    });
    from_header
        .unwrap_or_else(|| BASE_DELAY * 2u32.saturating_pow(attempt.saturating_sub(1)))
        .min(MAX_DELAY)
}

/// A transport failure in words, without the token (reqwest errors never carry headers).
pub fn describe_transport_error(e: &reqwest::Error, host: &str) -> String {
    let mut chain = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        source = s.source();
    }
    let io_kind = {
        let mut found = None;
        let mut source = e.source();
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                found = Some(io.kind());
                break;
            }
            source = s.source();
        }
        found
    };
    if e.is_timeout() {
        return format!(
            "The request to {host} timed out after {} seconds without an answer.",
            http_client::TIMEOUT.as_secs()
        );
    }
    if chain.contains("dns error")
        || chain.contains("failed to lookup")
        || chain.contains("name or service not known")
        || chain.contains("no such host")
    {
        return format!("The host name {host} could not be resolved (DNS lookup failed). Check the environment's GraphEndpoint and your network.");
    }
    if io_kind == Some(std::io::ErrorKind::ConnectionRefused)
        || chain.contains("connection refused")
    {
        return format!("The connection to {host} was refused: nothing is listening there. Check the environment's GraphEndpoint.");
    }
    if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        return format!(
            "The secure connection to {host} failed (TLS): {}",
            chain.trim()
        );
    }
    if e.is_connect() {
        return format!("Could not connect to {host}: {}", chain.trim());
    }
    format!(
        "The request to {host} failed before Graph answered: {}",
        if chain.is_empty() {
            e.to_string()
        } else {
            chain.trim().to_string()
        }
    )
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| "the Graph endpoint".into())
}

/// A JSON body for the debug stream, with the PIN redacted.
fn redacted_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Value::Object(body::redacted(&m)).to_string(),
        Ok(other) => other.to_string(),
        Err(_) if text.is_empty() => "(empty)".into(),
        Err(_) => format!("({} bytes of non-JSON text)", text.len()),
    }
}

/// Runs `send` against the process-wide connection.
pub async fn send(input: &serde_json::Map<String, Value>) -> Result<Value, MgError> {
    send_with(&session::STORE, input).await
}

/// Runs `send` against a given connection store.
pub async fn send_with(
    store: &Store,
    input: &serde_json::Map<String, Value>,
) -> Result<Value, MgError> {
    let req_value = input.get("request").ok_or_else(|| {
        MgError::invalid(
            "InvalidRequest",
            "request",
            "send needs the 'request' that prepare returned.",
        )
    })?;
    let req = PreparedRequest::from_value(req_value)?;
    let creds = store.credentials(Utc::now())?;
    let url = request::url_for(&creds.graph_endpoint, &req.user_id);
    let host = host_of(&url);
    let client = http_client::client_for(&url)?;
    let body_text = serde_json::to_string(&Value::Object(req.body.clone()))
        .map_err(|e| MgError::Internal(e.to_string()))?;
    let body_bytes = zeroize::Zeroizing::new(body_text.into_bytes());
    let client_request_id = uuid::Uuid::new_v4().to_string();
    let user_agent = http_client::user_agent();

    log_queue::debug(format!(
        "HTTP request: PATCH {url}\nclient-request-id: {client_request_id}\nuser headers: {}\nbody: {}",
        if req.headers.is_empty() {
            "(none)".to_string()
        } else {
            req.headers
                .iter()
                .map(|(n, v)| format!("{n}: {v}"))
                .collect::<Vec<_>>()
                .join("; ")
        },
        Value::Object(body::redacted(&req.body))
    ));

    let mut user_headers = Vec::with_capacity(req.headers.len());
    for (name, value) in &req.headers {
        let n = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            MgError::invalid(
                "InvalidHeader",
                "Headers",
                format!("Headers: '{name}' is not a valid header name."),
            )
        })?;
        let v = reqwest::header::HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
            MgError::invalid(
                "InvalidHeader",
                "Headers",
                format!("Headers: the value of '{name}' is not a valid header value."),
            )
        })?;
        user_headers.push((n, v));
    }

    let mut attempt: u32 = 0;
    loop {
        let mut builder = client
            .patch(&url)
            .bearer_auth(creds.token.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, user_agent.as_str())
            .header("client-request-id", client_request_id.as_str());
        if attempt > 0 {
            builder = builder.header("Retry-Attempt", attempt.to_string());
        }
        let mut request = builder
            .body(body_bytes.to_vec())
            .build()
            .map_err(|e| MgError::Internal(format!("Could not build the request: {e}")))?;
        // User headers replace ours of the same name (the reserved ones were refused earlier).
        for (name, _) in &user_headers {
            request.headers_mut().remove(name);
        }
        for (name, value) in &user_headers {
            request.headers_mut().append(name.clone(), value.clone());
        }

        let started = Instant::now();
        let response = match client.execute(request).await {
            Ok(r) => r,
            Err(e) => {
                let message = describe_transport_error(&e, &host);
                log_queue::verbose(format!(
                    "PATCH {url} -> failed after {} ms: {message}",
                    started.elapsed().as_millis()
                ));
                return Err(MgError::Transport(message));
            }
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let text = match response.bytes().await {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                let message = describe_transport_error(&e, &host);
                log_queue::verbose(format!(
                    "PATCH {url} -> {status} {} but the body could not be read: {message}",
                    response::status_name(status)
                ));
                return Err(MgError::Transport(message));
            }
        };
        let request_id = response::header(&headers, "request-id").unwrap_or("none");
        log_queue::verbose(format!(
            "PATCH {url} -> {status} {} in {} ms (request-id {request_id})",
            response::status_name(status),
            started.elapsed().as_millis()
        ));
        log_queue::debug(format!(
            "HTTP response: {status} {}\n{}\nbody: {}",
            response::status_name(status),
            headers
                .iter()
                .map(|(n, v)| format!("{n}: {v}"))
                .collect::<Vec<_>>()
                .join("\n"),
            redacted_text(&text)
        ));

        if retryable(status) && attempt < MAX_RETRIES {
            attempt += 1;
            let delay = retry_delay(&headers, attempt);
            log_queue::verbose(format!(
                "Graph answered {status} {}; retry {attempt} of {MAX_RETRIES} in {:.1} s.",
                response::status_name(status),
                delay.as_secs_f64()
            ));
            tokio::time::sleep(delay).await;
            continue;
        }
        if retryable(status) {
            log_queue::warning(format!(
                "Graph still answered {status} {} after {MAX_RETRIES} retries; giving up.",
                response::status_name(status)
            ));
        }
        let raw = RawResponse {
            status,
            headers,
            body: text,
        };
        return response::map_response(&raw, &req.user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environments::Registry;
    use serde_json::json;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[test]
    fn retry_delays() {
        let h = |v: &str| vec![("Retry-After".to_string(), v.to_string())];
        assert_eq!(retry_delay(&[], 1), Duration::from_secs(3));
        assert_eq!(retry_delay(&[], 2), Duration::from_secs(6));
        assert_eq!(retry_delay(&[], 3), Duration::from_secs(12));
        assert_eq!(retry_delay(&h("2"), 1), Duration::from_secs(2));
        assert_eq!(retry_delay(&h("2.128"), 1), Duration::from_secs_f64(2.128));
        assert_eq!(retry_delay(&h("100000"), 1), MAX_DELAY);
        assert_eq!(
            retry_delay(&h("Tue, 04 Mar 2003 22:45:37 GMT"), 1),
            Duration::ZERO
        );
        assert_eq!(retry_delay(&h("garbage"), 2), Duration::from_secs(6));
    }

    /// A one-route HTTP/1.1 server: answers each connection with the next canned response and
    /// reports the request it read.
    async fn serve(
        responses: Vec<String>,
    ) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            for resp in responses {
                let (mut sock, _) = listener.accept().await.unwrap();
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = sock.read(&mut chunk).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                tx.send(String::from_utf8_lossy(&buf).to_string()).unwrap();
                sock.write_all(resp.as_bytes()).await.unwrap();
                sock.shutdown().await.ok();
            }
        });
        (format!("http://{addr}"), rx)
    }

    fn http(status: &str, headers: &[(&str, &str)], body: &str) -> String {
        let mut s = format!(
            "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (n, v) in headers {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        s.push_str("\r\n");
        s.push_str(body);
        s
    }

    fn prepared(user: &str, code: &str) -> serde_json::Map<String, Value> {
        let v = request::prepare(
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": user, "Code": code,
                "Headers": {"x-custom": "yes"}}})
            .as_object()
            .unwrap(),
        )
        .unwrap();
        json!({"op": "send", "request": v["request"]})
            .as_object()
            .unwrap()
            .clone()
    }

    fn connected(endpoint: &str) -> Store {
        let registry = Registry::new();
        registry.add("Local", endpoint, endpoint).unwrap();
        let store = Store::new();
        store
            .connect_access_token(&registry, "secret-token-value", Some("Local"), Utc::now())
            .unwrap();
        store
    }

    #[test]
    fn end_to_end_success_and_graph_error() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let ok_body = r##"{"@odata.type":"#microsoft.graph.qrPin","code":"09599786","forceChangePinNextSignIn":true,"createdDateTime":"2025-03-04T22:45:37.2605385Z","updatedDateTime":"2025-03-04T22:45:37.2605385Z"}"##;
            let err_body = r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'nobody' does not exist.","innerError":{"date":"2025-03-04T22:45:37","request-id":"rid-2"}}}"#;
            let (endpoint, mut seen) = serve(vec![
                http("201 Created", &[("request-id", "rid-1"), ("content-type", "application/json")], ok_body),
                http("404 Not Found", &[("request-id", "rid-2"), ("content-type", "application/json")], err_body),
            ])
            .await;
            let store = connected(&endpoint);

            let v = send_with(&store, &prepared("a b@contoso.com", "09599786")).await.unwrap();
            let req = seen.recv().await.unwrap();
            let lower = req.to_ascii_lowercase();
            assert!(req.starts_with("PATCH /beta/users/a%20b%40contoso.com/authentication/qrCodePinMethod/pin HTTP/1.1"), "{req}");
            assert!(lower.contains("authorization: bearer secret-token-value"));
            assert!(lower.contains("content-type: application/json"));
            assert!(lower.contains("accept: application/json"));
            assert!(lower.contains("client-request-id: "));
            assert!(lower.contains("x-custom: yes"));
            assert!(lower.contains("user-agent: microsoft.graph.rs/"));
            assert!(req.ends_with(r#"{"code":"09599786"}"#), "{req}");
            assert_eq!(v["status"], 201);
            assert_eq!(v["reason"], "Created");
            assert_eq!(v["output"]["UserId"], "a b@contoso.com");
            assert_eq!(v["output"]["Code"], "09599786");
            assert_eq!(v["output"]["AdditionalProperties"]["@odata.type"], "#microsoft.graph.qrPin");

            let e = send_with(&store, &prepared("nobody", "12345678")).await.unwrap_err();
            let MgError::Graph(g) = e else { panic!("{e:?}") };
            assert_eq!(g.status, 404);
            assert_eq!(g.code, "Request_ResourceNotFound");
            assert_eq!(g.request_id, "rid-2");
            assert!(g.error_details.contains("Status: 404 (NotFound)"));
            assert!(g.error_details.contains(&format!("{:<30}: rid-2", "request-id")));
            assert!(!g.error_details.contains("secret-token-value"));
        });
    }

    #[test]
    fn throttling_is_retried() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let (endpoint, mut seen) = serve(vec![
                http("429 Too Many Requests", &[("Retry-After", "0")], ""),
                http("204 No Content", &[], ""),
            ])
            .await;
            let store = connected(&endpoint);
            let v = send_with(&store, &prepared("u", "12345678")).await.unwrap();
            assert_eq!(v["status"], 204);
            assert_eq!(v["output"], Value::Null);
            let _first = seen.recv().await.unwrap();
            let second = seen.recv().await.unwrap();
            assert!(second.to_ascii_lowercase().contains("retry-attempt: 1"));
        });
    }

    #[test]
    fn refused_connection_is_a_transport_error_without_the_token() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let endpoint = format!("http://{}", listener.local_addr().unwrap());
            drop(listener);
            let store = connected(&endpoint);
            let e = send_with(&store, &prepared("u", "12345678"))
                .await
                .unwrap_err();
            assert_eq!(e.kind(), "transport");
            let msg = e.to_string();
            assert!(msg.contains("refused"), "{msg}");
            assert!(!msg.contains("secret-token-value"));
        });
    }

    #[test]
    fn not_connected() {
        let rt = crate::runtime::get().unwrap();
        let e = rt
            .block_on(send_with(&Store::new(), &prepared("u", "12345678")))
            .unwrap_err();
        assert_eq!(e, MgError::NotConnected);
        assert_eq!(
            e.to_string(),
            "Not connected to Microsoft Graph. Run Connect-MgGraph first."
        );
    }
}
