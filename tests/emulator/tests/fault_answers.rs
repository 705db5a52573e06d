//! The faults that shape the answer (odd 2xx, huge bodies, echoes, late answers), in process; and the one that
//! applies then never answers, against the real binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::{Body, HttpBody};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use graph_emulator::{app, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

const PIN: &str = "/beta/users/a@contoso.com/authentication/qrCodePinMethod/pin";

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn send(app: &Router, method: &str, path: &str, token: Option<&str>, body: &str) -> Response {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    app.clone()
        .oneshot(req.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap()
}

type Response = axum::response::Response;

async fn call(app: &Router, method: &str, path: &str, token: Option<&str>, body: &str) -> Reply {
    let resp = send(app, method, path, token, body).await;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn setup() -> (Router, String) {
    let app = app(AppState::new(8));
    let r = call(
        &app,
        "POST",
        "/_emulator/users",
        None,
        r#"[{"userPrincipalName":"a@contoso.com"}]"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = call(
        &app,
        "POST",
        "/_emulator/tokens",
        None,
        r#"{"scp":"UserAuthenticationMethod.ReadWrite.All"}"#,
    )
    .await;
    let token = serde_json::from_str::<Value>(&r.body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    (app, token)
}

async fn fault(app: &Router, rule: Value) -> StatusCode {
    call(app, "POST", "/_emulator/faults", None, &rule.to_string())
        .await
        .status
}

async fn applied(app: &Router) -> u64 {
    let r = call(app, "GET", "/_emulator/users/a@contoso.com", None, "").await;
    serde_json::from_str::<Value>(&r.body).unwrap()["appliedUpdates"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn odd_success_applies_then_answers_the_given_status_and_body_verbatim() {
    let (app, token) = setup().await;
    let cases: [(Value, StatusCode, &str); 6] = [
        (json!("[]"), StatusCode::CREATED, "[]"),
        (json!("\"text\""), StatusCode::CREATED, "\"text\""),
        (json!("null"), StatusCode::CREATED, "null"),
        (
            json!("{\"code\":12345678}"),
            StatusCode::CREATED,
            "{\"code\":12345678}",
        ),
        (Value::Null, StatusCode::CREATED, ""),
        (Value::Null, StatusCode::NO_CONTENT, ""),
    ];
    for (i, (body, status, expected)) in cases.into_iter().enumerate() {
        let mut rule = json!({"kind": "oddSuccess", "status": status.as_u16()});
        if !body.is_null() {
            rule["body"] = body;
        }
        assert_eq!(fault(&app, rule).await, StatusCode::CREATED);
        let r = call(&app, "PATCH", PIN, Some(&token), r#"{"code":"01234567"}"#).await;
        assert_eq!((r.status, r.body.as_str()), (status, expected));
        // A body carries Graph's JSON content type; no body, none.
        assert_eq!(r.headers.contains_key("content-type"), !expected.is_empty());
        assert!(r.headers.contains_key("request-id"));
        assert_eq!(applied(&app).await, i as u64 + 1);
    }
    for bad in [
        json!({"kind": "oddSuccess", "status": 400}),
        json!({"kind": "status", "status": 500, "body": "x"}),
    ] {
        assert_eq!(fault(&app, bad).await, StatusCode::BAD_REQUEST);
    }
}

/// Reads a streamed body frame by frame, keeping only its size, its ends and the largest frame.
async fn measure(resp: Response) -> (u64, String, String, usize) {
    let mut body = resp.into_body();
    let (mut total, mut largest) = (0u64, 0usize);
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(data) = frame.unwrap().into_data() else {
            continue;
        };
        total += data.len() as u64;
        largest = largest.max(data.len());
        if head.len() < 64 {
            head.extend_from_slice(&data[..data.len().min(64)]);
        }
        tail.extend_from_slice(&data);
        let keep = tail.len().saturating_sub(16);
        tail.drain(..keep);
    }
    (
        total,
        String::from_utf8_lossy(&head).into_owned(),
        String::from_utf8_lossy(&tail).into_owned(),
        largest,
    )
}

#[tokio::test]
async fn huge_bodies_are_streamed_at_the_asked_size() {
    let (app, token) = setup().await;
    let size: u64 = 20 << 20;
    // A 2xx huge body applies the update; chunked unless told to declare its length.
    assert_eq!(
        fault(&app, json!({"kind": "hugeBody", "bytes": size})).await,
        StatusCode::CREATED
    );
    let resp = send(&app, "PATCH", PIN, Some(&token), "{}").await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert!(!resp.headers().contains_key("content-length"));
    assert_eq!(resp.body().size_hint().exact(), None);
    let (total, head, tail, largest) = measure(resp).await;
    assert_eq!(total, size);
    assert!(
        head.starts_with(r##"{"@odata.type":"#microsoft.graph.qrPin","padding":"xxx"##),
        "{head}"
    );
    assert!(tail.ends_with(r#"xxx"}"#), "{tail}");
    assert!(largest <= 64 << 10, "one frame of {largest} bytes");
    assert_eq!(applied(&app).await, 1);

    // An error status applies nothing and sends Graph's envelope with a huge message.
    fault(
        &app,
        json!({"kind": "hugeBody", "status": 500, "bytes": 2 << 20, "declareLength": true}),
    )
    .await;
    let resp = send(&app, "PATCH", PIN, Some(&token), "{}").await;
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        resp.headers()["content-length"].to_str().unwrap(),
        (2u64 << 20).to_string()
    );
    let (total, head, tail, _) = measure(resp).await;
    assert_eq!(total, 2 << 20);
    assert!(head.starts_with(r#"{"error":{"code":"InternalServerError","message":"xx"#));
    assert!(tail.ends_with(r#"xx"}}"#));
    assert_eq!(applied(&app).await, 1);

    assert_eq!(
        fault(&app, json!({"kind": "hugeBody", "bytes": 10})).await,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn echo_repeats_the_token_and_the_body_in_an_error_and_applies_nothing() {
    let (app, token) = setup().await;
    let pin_body = r#"{"code":"76543210"}"#;
    fault(&app, json!({"kind": "echo", "echo": "headers"})).await;
    let r = call(&app, "PATCH", PIN, Some(&token), pin_body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let message = serde_json::from_str::<Value>(&r.body).unwrap()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains(&format!("authorization: Bearer {token}")),
        "{message}"
    );
    assert!(!message.contains("76543210"));
    assert_eq!(
        r.headers["x-emulator-echo-authorization"].to_str().unwrap(),
        format!("Bearer {token}")
    );

    fault(&app, json!({"kind": "echo", "echo": "body", "status": 502})).await;
    let r = call(&app, "PATCH", PIN, Some(&token), pin_body).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert!(r.body.contains("76543210") && !r.body.contains(&token));
    assert!(!r.headers.contains_key("x-emulator-echo-authorization"));

    fault(&app, json!({"kind": "echo"})).await;
    let r = call(&app, "PATCH", PIN, Some(&token), pin_body).await;
    assert!(r.body.contains("76543210") && r.body.contains(&token));
    assert_eq!(applied(&app).await, 0);
    // The request log still redacts the token.
    let log = call(&app, "GET", "/_emulator/requests", None, "").await;
    assert!(!log.body.contains(&token));
}

#[tokio::test]
async fn delay_after_apply_applies_at_once_and_answers_late() {
    let (app, token) = setup().await;
    fault(&app, json!({"kind": "delayAfterApply", "delayMs": 400})).await;
    let started = Instant::now();
    let pending = tokio::spawn({
        let (app, token) = (app.clone(), token.clone());
        async move { call(&app, "PATCH", PIN, Some(&token), "{}").await }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(applied(&app).await, 1, "applied before the answer");
    assert!(!pending.is_finished());
    let r = pending.await.unwrap();
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert!(serde_json::from_str::<Value>(&r.body).unwrap()["code"].is_string());
}

/// Against the binary: the update is applied, then the connection closes with no answer at all.
#[test]
fn hang_after_apply_applies_then_drops_the_connection_unanswered() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graph-emulator"))
        .arg("--exit-on-stdin-close")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let authority = line
        .trim()
        .strip_prefix("GRAPH_EMULATOR_URL=http://")
        .unwrap()
        .to_owned();
    let http = |method: &str, path: &str, headers: &str, body: &str| -> String {
        let mut s = TcpStream::connect(&authority).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    http(
        "POST",
        "/_emulator/users",
        "",
        r#"{"userPrincipalName":"a@contoso.com"}"#,
    );
    let token = http(
        "POST",
        "/_emulator/tokens",
        "",
        r#"{"scp":"UserAuthenticationMethod.ReadWrite.All"}"#,
    );
    let token: Value = serde_json::from_str(token.split_once("\r\n\r\n").unwrap().1).unwrap();
    let auth = format!(
        "Authorization: Bearer {}\r\n",
        token["access_token"].as_str().unwrap()
    );
    http(
        "POST",
        "/_emulator/faults",
        "",
        r#"{"kind":"hangAfterApply","delayMs":300}"#,
    );
    let started = Instant::now();
    let answer = http("PATCH", PIN, &auth, "{}");
    assert_eq!(answer, "", "no status line at all");
    assert!(started.elapsed() >= Duration::from_millis(300));
    let user = http("GET", "/_emulator/users/a@contoso.com", "", "");
    assert!(user.contains(r#""appliedUpdates":1"#), "{user}");
    let log = http("GET", "/_emulator/requests", "", "");
    assert!(log.contains(r#""status":0"#), "{log}");
    drop(child.stdin.take());
    child.wait().unwrap();
}

#[tokio::test]
async fn a_request_the_client_gives_up_on_is_logged_with_status_0() {
    let (app, token) = setup().await;
    fault(&app, json!({"kind": "hang", "delayMs": 5000})).await;
    let pending = tokio::spawn({
        let (app, token) = (app.clone(), token.clone());
        async move { call(&app, "PATCH", PIN, Some(&token), "{}").await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Aborting the task drops the handler, as hyper does when the connection closes.
    pending.abort();
    let _ = pending.await;
    let log: Value = serde_json::from_str(
        &call(&app, "GET", "/_emulator/requests", None, "")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["status"], 0);
    assert_eq!(log[0]["method"], "PATCH");
    assert_eq!(applied(&app).await, 0);

    // One that outlives a reset stays out of the next log.
    fault(&app, json!({"kind": "hang", "delayMs": 5000})).await;
    let pending = tokio::spawn({
        let (app, token) = (app.clone(), token.clone());
        async move { call(&app, "PATCH", PIN, Some(&token), "{}").await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    call(&app, "POST", "/_emulator/reset", None, "").await;
    pending.abort();
    let _ = pending.await;
    let log = call(&app, "GET", "/_emulator/requests", None, "").await;
    assert_eq!(log.body, "[]");
}
