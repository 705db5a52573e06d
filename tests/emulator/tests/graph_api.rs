//! In-process tests: drive the router with tower's `oneshot`, no sockets involved.

use axum::http::StatusCode;
use serde_json::json;

mod common;

use common::{Harness, Reply, ADMIN_SCOPE, ALICE};

/// Fresh state with one user who has a QR code method and one who does not.
async fn harness() -> Harness {
    Harness::seeded(json!([
        {"id": ALICE, "userPrincipalName": "alice@contoso.com"},
        {"userPrincipalName": "bob@contoso.com", "hasQrCodeMethod": false}
    ]))
    .await
}

fn pin_path(user: &str) -> String {
    format!("/beta/users/{user}/authentication/qrCodePinMethod/pin")
}

fn assert_error(r: &Reply, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "body: {}", r.body);
    assert_eq!(r.body["error"]["code"], code, "body: {}", r.body);
    let inner = &r.body["error"]["innerError"];
    assert_eq!(
        inner["request-id"],
        r.headers["request-id"].to_str().unwrap()
    );
    assert_eq!(
        inner["date"].as_str().unwrap().len(),
        "2025-03-04T22:45:37".len()
    );
}

#[tokio::test]
async fn patch_echoes_supplied_code_with_201() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some(json!({"code": "09599786"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["@odata.type"], "#microsoft.graph.qrPin");
    assert_eq!(r.body["code"], "09599786");
    assert_eq!(r.body["forceChangePinNextSignIn"], true);
    let created = r.body["createdDateTime"].as_str().unwrap();
    assert_eq!(created.len(), "2025-03-04T22:45:37.2605385Z".len());
    assert!(created.ends_with('Z'));

    // A second reset keeps the creation time, moves the update time and counts both updates.
    let r2 = h
        .send(
            "PATCH",
            &pin_path("ALICE%40contoso.com"),
            Some(&t),
            Some(
                json!({"@odata.type": "#microsoft.graph.qrPin", "forceChangePinNextSignIn": false}),
            ),
        )
        .await;
    assert_eq!(r2.status, StatusCode::CREATED);
    assert_eq!(r2.body["createdDateTime"], created);
    assert_eq!(r2.body["forceChangePinNextSignIn"], false);
    let state = h
        .send("GET", &format!("/_emulator/users/{ALICE}"), None, None)
        .await;
    assert_eq!(state.body["appliedUpdates"], 2);
    assert_eq!(state.body["pin"]["code"], r2.body["code"]);
}

#[tokio::test]
async fn generated_pin_follows_policy_length() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&t), Some(json!({})))
        .await;
    let code = r.body["code"].as_str().unwrap();
    assert_eq!(code.len(), 8);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let p = h
        .send(
            "PUT",
            "/_emulator/policy",
            None,
            Some(json!({"pinLength": 12})),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&t), Some(json!({})))
        .await;
    assert_eq!(r.body["code"].as_str().unwrap().len(), 12);

    let bad = h
        .send(
            "PUT",
            "/_emulator/policy",
            None,
            Some(json!({"pinLength": 21})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn invalid_bodies_are_400() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some(json!({"code": "1234"})),
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "invalidRequest");
    assert!(r.body["error"]["message"].as_str().unwrap().contains('8'));
    let r = h
        .send(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some(json!({"code": "1234567a"})),
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "invalidRequest");

    let r = h
        .send(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some(json!({"colour": "red"})),
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    assert_eq!(
        r.body["error"]["message"],
        "Invalid property 'colour' for type microsoft.graph.qrPin."
    );
    let r = h
        .send(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some(json!({"code": 12345678})),
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    let r = h
        .send_raw(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some("{not json".into()),
            &[],
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&t), Some(json!(["x"])))
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    let r = h
        .send(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some(json!({"@odata.type": "#microsoft.graph.user"})),
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
}

#[tokio::test]
async fn unknown_user_or_missing_method_is_404() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send(
            "PATCH",
            &pin_path("nobody@contoso.com"),
            Some(&t),
            Some(json!({})),
        )
        .await;
    assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
    assert_eq!(
        r.body["error"]["message"],
        "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present."
    );
    let r = h
        .send(
            "PATCH",
            &pin_path("bob@contoso.com"),
            Some(&t),
            Some(json!({})),
        )
        .await;
    assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
}

#[tokio::test]
async fn token_failures_are_401_with_challenge() {
    let h = harness().await;
    let r = h
        .send("PATCH", &pin_path(ALICE), None, Some(json!({})))
        .await;
    assert_error(&r, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken");
    assert_eq!(r.body["error"]["message"], "Access token is empty.");
    assert!(r.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer "));

    let expired = h
        .token(json!({"scp": ADMIN_SCOPE, "expiresInSeconds": -60}))
        .await;
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&expired), Some(json!({})))
        .await;
    assert_error(&r, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken");
    assert_eq!(
        r.body["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );

    let r = h
        .send("PATCH", &pin_path(ALICE), Some("a.b.c"), Some(json!({})))
        .await;
    assert_eq!(
        r.body["error"]["message"],
        "Access token validation failure."
    );

    let aud = h
        .token(json!({"scp": ADMIN_SCOPE, "aud": "api://elsewhere"}))
        .await;
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&aud), Some(json!({})))
        .await;
    assert_eq!(
        r.body["error"]["message"],
        "Access token validation failure. Invalid audience."
    );
}

#[tokio::test]
async fn permissions_are_enforced() {
    let h = harness().await;
    let weak = h.token(json!({"scp": "User.Read"})).await;
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&weak), Some(json!({})))
        .await;
    assert_error(&r, StatusCode::FORBIDDEN, "Authorization_RequestDenied");

    // Self-service scope works on /me and on one's own id, not on someone else.
    let me = h
        .token(json!({"scp": "UserAuthMethod-QR.ReadWrite", "upn": "alice@contoso.com"}))
        .await;
    let r = h
        .send(
            "PATCH",
            "/v1.0/me/authentication/qrCodePinMethod/pin",
            Some(&me),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&me), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = h
        .send(
            "PATCH",
            &pin_path("bob@contoso.com"),
            Some(&me),
            Some(json!({})),
        )
        .await;
    assert_error(&r, StatusCode::FORBIDDEN, "Authorization_RequestDenied");

    let app = h
        .token(json!({"roles": ["UserAuthMethod-QR.ReadWrite.All"]}))
        .await;
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&app), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = h
        .send(
            "PATCH",
            "/beta/me/authentication/qrCodePinMethod/pin",
            Some(&app),
            Some(json!({})),
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
}

#[tokio::test]
async fn graph_headers_and_client_request_id() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send_raw(
            "PATCH",
            &pin_path(ALICE),
            Some(&t),
            Some("{}".into()),
            &[("client-request-id", "my-correlation")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    for name in [
        "request-id",
        "date",
        "cache-control",
        "strict-transport-security",
        "x-ms-ags-diagnostic",
        "x-ms-resource-unit",
    ] {
        assert!(r.headers.contains_key(name), "missing {name}");
    }
    assert_eq!(r.headers["client-request-id"], "my-correlation");
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json;odata.metadata=minimal"));

    let r = h.send("PATCH", &pin_path(ALICE), None, None).await;
    assert_eq!(r.headers["client-request-id"], r.headers["request-id"]);
}

#[tokio::test]
async fn routing_errors() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send(
            "GET",
            &format!("/beta/users/{ALICE}/authentication/fooMethod"),
            Some(&t),
            None,
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    assert_eq!(
        r.body["error"]["message"],
        "Resource not found for the segment 'fooMethod'."
    );
    // The pin answers GET and PATCH since the whole QR code PIN family is served (qr_family.rs).
    let r = h.send("POST", &pin_path(ALICE), Some(&t), None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers["allow"], "GET, PATCH");
    assert!(r.body["error"]["code"].is_string());
}

#[tokio::test]
async fn method_get_put_delete() {
    let h = harness().await;
    let t = h.admin().await;
    let path = "/beta/users/bob@contoso.com/authentication/qrCodePinMethod";
    let r = h.send("GET", path, Some(&t), None).await;
    assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");

    let r = h
        .send(
            "PUT",
            path,
            Some(&t),
            Some(json!({"pin": {"code": "12345678"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["pin"]["code"], "12345678");

    let r = h.send("GET", path, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["pin"]["code"].is_null());
    assert!(r.body["id"].is_string());

    let r = h.send("DELETE", path, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(!r.headers.contains_key("content-type"));
    let r = h
        .send(
            "PATCH",
            &pin_path("bob@contoso.com"),
            Some(&t),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn request_log_redacts_tokens_and_skips_control_calls() {
    let h = harness().await;
    let t = h.admin().await;
    h.send_raw(
        "PATCH",
        &format!("{}?x=1", pin_path("alice%40contoso.com")),
        Some(&t),
        Some(r#"{"code":"11112222"}"#.into()),
        &[],
    )
    .await;
    let log = h.send("GET", "/_emulator/requests", None, None).await.body;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 1);
    let e = &log[0];
    assert_eq!(e["seq"], 1);
    assert_eq!(e["method"], "PATCH");
    assert_eq!(e["path"], pin_path("alice%40contoso.com"));
    assert_eq!(e["query"], "x=1");
    assert_eq!(e["headers"]["authorization"], "Bearer <redacted>");
    assert_eq!(e["body"], r#"{"code":"11112222"}"#);
    assert_eq!(e["status"], 201);
    assert!(!log[0].to_string().contains(&t));

    let r = h.send("DELETE", "/_emulator/requests", None, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let log = h.send("GET", "/_emulator/requests", None, None).await.body;
    assert_eq!(log, json!([]));

    let r = h.send("POST", "/_emulator/reset", None, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = h
        .send("GET", &format!("/_emulator/users/{ALICE}"), None, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The signing key survives a reset, so existing tokens still authenticate (and now find no user).
    let r = h
        .send("PATCH", &pin_path(ALICE), Some(&t), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
