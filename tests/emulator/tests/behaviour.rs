//! The load behaviour of the emulator, in process: write quota and its headers, injected faults, counters.

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use graph_emulator::{app, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = req
        .body(
            body.map(|b| Body::from(b.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
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
        Some(
            json!([{"userPrincipalName": "a@contoso.com"}, {"userPrincipalName": "b@contoso.com"}]),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = call(
        &app,
        "POST",
        "/_emulator/tokens",
        None,
        Some(json!({"scp": "UserAuthenticationMethod.ReadWrite.All", "tid": "t-1", "appid": "app-1"})),
    )
    .await;
    let token = serde_json::from_str::<Value>(&r.body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    (app, token)
}

const PIN: &str = "/beta/users/a@contoso.com/authentication/qrCodePinMethod/pin";

fn header<'a>(r: &'a Reply, name: &str) -> Option<&'a str> {
    r.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn the_write_quota_reports_its_use_then_answers_429_with_graphs_headers() {
    let (app, token) = setup().await;
    let r = call(
        &app,
        "PUT",
        "/_emulator/behaviour",
        None,
        Some(json!({"throttle": {"limit": 4, "windowSeconds": 30}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let mut shares = Vec::new();
    for _ in 0..4 {
        let r = call(&app, "PATCH", PIN, Some(&token), Some(json!({}))).await;
        assert_eq!(r.status, StatusCode::CREATED);
        shares.push(header(&r, "x-ms-throttle-limit-percentage").map(str::to_owned));
    }
    // Graph reports the share only once more than 0.8 of the quota is in use.
    assert_eq!(shares, [None, None, None, Some("1.000".to_owned())]);
    let r = call(&app, "PATCH", PIN, Some(&token), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = header(&r, "retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(
        header(&r, "x-ms-throttle-scope"),
        Some("Tenant_Application/Write/app-1/t-1")
    );
    assert_eq!(
        header(&r, "x-ms-throttle-information"),
        Some("WriteLimitExceeded")
    );
    assert_eq!(header(&r, "x-ms-throttle-limit-percentage"), Some("1.250"));
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["error"]["code"], "TooManyRequests");
    // Reads are not writes; the refused write changed nothing.
    let r = call(
        &app,
        "GET",
        "/beta/users/a@contoso.com/authentication/qrCodePinMethod",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let stats: Value =
        serde_json::from_str(&call(&app, "GET", "/_emulator/stats", None, None).await.body)
            .unwrap();
    assert_eq!(stats["throttled"], 1);
    assert_eq!(stats["appliedUpdates"], 4);
    assert_eq!(stats["windows"][0]["writes"], 4);
    // A reset forgets the quota.
    call(&app, "POST", "/_emulator/reset", None, None).await;
    let settings: Value = serde_json::from_str(
        &call(&app, "GET", "/_emulator/behaviour", None, None)
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        settings,
        json!({"latencyMs": 0, "jitterMs": 0, "throttle": null})
    );
}

#[tokio::test]
async fn faults_hit_the_targeted_user_and_are_spent() {
    let (app, token) = setup().await;
    let r = call(
        &app,
        "POST",
        "/_emulator/faults",
        None,
        Some(json!([
            {"kind": "status", "status": 503, "retryAfter": 2, "user": "a@contoso.com", "count": 2},
            {"kind": "emptyBody", "user": "b@contoso.com"},
            {"kind": "malformedJson"}
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let b = "/beta/users/b@contoso.com/authentication/qrCodePinMethod/pin";
    let r = call(&app, "PATCH", b, Some(&token), Some(json!({}))).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::CREATED, ""));
    for _ in 0..2 {
        let r = call(&app, "PATCH", PIN, Some(&token), Some(json!({}))).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(header(&r, "retry-after"), Some("2"));
    }
    // The next request for anyone meets the untargeted rule.
    let r = call(&app, "PATCH", PIN, Some(&token), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(
        serde_json::from_str::<Value>(&r.body).is_err(),
        "{}",
        r.body
    );
    let r = call(&app, "PATCH", PIN, Some(&token), Some(json!({}))).await;
    assert!(serde_json::from_str::<Value>(&r.body).unwrap()["code"].is_string());
    let pending: Value = serde_json::from_str(
        &call(&app, "GET", "/_emulator/faults", None, None)
            .await
            .body,
    )
    .unwrap();
    assert_eq!(pending, json!([]));
    let user: Value = serde_json::from_str(
        &call(&app, "GET", "/_emulator/users/a@contoso.com", None, None)
            .await
            .body,
    )
    .unwrap();
    assert_eq!(user["appliedUpdates"], 2);
    let bad = call(
        &app,
        "POST",
        "/_emulator/faults",
        None,
        Some(json!({"kind": "status"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
