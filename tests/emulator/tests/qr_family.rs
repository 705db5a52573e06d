//! The QR code PIN method family (issue 12, item 6), in process: GET/PUT/DELETE of the method, GET/PATCH/DELETE of
//! pin, standardQRCode and temporaryQRCode, the documented qrCode rules, query options, seeding and the write quota.

use axum::http::StatusCode;
use base64::Engine;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde_json::{json, Value};

mod common;

use common::{Harness, Reply, ADMIN_SCOPE, ALICE};

/// Fresh state: alice has the whole method (PIN, standard and temporary code), carol the method without any part,
/// bob no method.
async fn harness() -> Harness {
    Harness::seeded(json!([
        {"id": ALICE, "userPrincipalName": "alice@contoso.com", "hasPin": true,
         "standardQRCode": {}, "temporaryQRCode": {}},
        {"userPrincipalName": "bob@contoso.com", "hasQrCodeMethod": false},
        {"userPrincipalName": "carol@contoso.com"}
    ]))
    .await
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

fn method_path(user: &str) -> String {
    format!("/beta/users/{user}/authentication/qrCodePinMethod")
}

fn part_path(user: &str, part: &str) -> String {
    format!("{}/{part}", method_path(user))
}

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn assert_rule(r: &Reply, fragment: &str) {
    assert_error(r, StatusCode::BAD_REQUEST, "invalidRequest");
    let message = r.body["error"]["message"].as_str().unwrap();
    assert!(message.contains(fragment), "{message}");
}

fn assert_image(image: &Value) {
    let b64 = base64::engine::general_purpose::STANDARD;
    assert!(!b64
        .decode(image["binaryValue"].as_str().unwrap())
        .unwrap()
        .is_empty());
    assert!(!b64
        .decode(image["rawContent"].as_str().unwrap())
        .unwrap()
        .is_empty());
    assert_eq!(image["errorCorrectionLevel"], "m");
    assert!(image["version"].is_i64());
}

#[tokio::test]
async fn get_method_is_bare_with_null_code_and_images_and_404_without_method() {
    let h = harness().await;
    let t = h.admin().await;
    for path in [
        method_path(ALICE),
        "/v1.0/users/alice@contoso.com/authentication/qrCodePinMethod".to_owned(),
    ] {
        let r = h.send("GET", &path, Some(&t), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.get("value").is_none());
        assert_eq!(
            r.body["@odata.type"],
            "#microsoft.graph.qrCodePinAuthenticationMethod"
        );
        assert!(r.body["id"].is_string());
        assert!(r.body["pin"].is_object());
        assert!(r.body["pin"]["code"].is_null());
        for part in ["standardQRCode", "temporaryQRCode"] {
            assert_eq!(r.body[part]["@odata.type"], "#microsoft.graph.qrCode");
            assert!(r.body[part]["image"].is_null());
            assert!(r.body[part]["id"].is_string());
        }
    }
    let r = h
        .send("GET", &method_path("bob@contoso.com"), Some(&t), None)
        .await;
    assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
    // /me names the token's user.
    let me = h
        .token(json!({"scp": "UserAuthMethod-QR.Read", "upn": "alice@contoso.com"}))
        .await;
    let r = h
        .send(
            "GET",
            "/beta/me/authentication/qrCodePinMethod",
            Some(&me),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["standardQRCode"].is_object());
}

#[tokio::test]
async fn select_and_expand_on_gets() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send(
            "GET",
            &format!("{}?$select=id,pin", method_path(ALICE)),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["@odata.type", "id", "pin"]);
    // Percent-encoded `$`, and an expanded navigation comes back beside the selection.
    let r = h
        .send(
            "GET",
            &format!(
                "{}?%24select=id&%24expand=standardQRCode",
                method_path(ALICE)
            ),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["standardQRCode"].is_object());
    assert!(r.body.get("pin").is_none());
    let r = h
        .send(
            "GET",
            &format!("{}?$expand=*", method_path(ALICE)),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["temporaryQRCode"].is_object());

    for query in ["$select=nope", "$expand=nope"] {
        let r = h
            .send(
                "GET",
                &format!("{}?{query}", method_path(ALICE)),
                Some(&t),
                None,
            )
            .await;
        assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'nope'"));
    }
    // Parts take $select; they have no navigation property to expand.
    let r = h
        .send(
            "GET",
            &format!(
                "{}?$select=expireDateTime",
                part_path(ALICE, "standardQRCode")
            ),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["@odata.type", "expireDateTime"]);
    let r = h
        .send(
            "GET",
            &format!("{}?$expand=image", part_path(ALICE, "temporaryQRCode")),
            Some(&t),
            None,
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
}

#[tokio::test]
async fn get_parts_and_404_when_absent() {
    let h = harness().await;
    let t = h.admin().await;
    let r = h
        .send("GET", &part_path(ALICE, "pin"), Some(&t), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["@odata.type"], "#microsoft.graph.qrPin");
    assert!(r.body["code"].is_null());
    assert_eq!(r.body["forceChangePinNextSignIn"], true);
    for part in ["standardQRCode", "temporaryQRCode"] {
        let r = h.send("GET", &part_path(ALICE, part), Some(&t), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["@odata.type"], "#microsoft.graph.qrCode");
        assert!(r.body["image"].is_null());
        assert_eq!(r.body["lastUsedDateTime"], "0001-01-01T00:00:00Z");
        let life = time(&r.body["expireDateTime"]) - time(&r.body["startDateTime"]);
        let seeded = if part == "standardQRCode" {
            Duration::days(365)
        } else {
            Duration::hours(12)
        };
        assert_eq!(life, seeded);
    }
    for part in ["pin", "standardQRCode", "temporaryQRCode"] {
        // Carol has the method but not the part; bob has no method at all.
        for user in ["carol@contoso.com", "bob@contoso.com"] {
            let r = h.send("GET", &part_path(user, part), Some(&t), None).await;
            assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
        }
    }
}

#[tokio::test]
async fn delete_method_removes_every_part() {
    let h = harness().await;
    let t = h.admin().await;
    // If-Match is accepted (and ignored).
    let r = h
        .send_raw(
            "DELETE",
            &method_path(ALICE),
            Some(&t),
            None,
            &[("if-match", "W/\"x\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.body.is_null());
    let r = h.send("GET", &method_path(ALICE), Some(&t), None).await;
    assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
    for part in ["pin", "standardQRCode", "temporaryQRCode"] {
        let r = h.send("GET", &part_path(ALICE, part), Some(&t), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{part}");
    }
    let state = h
        .send("GET", &format!("/_emulator/users/{ALICE}"), None, None)
        .await;
    assert_eq!(state.body["hasQrCodeMethod"], false);
    assert!(state.body["pin"].is_null());
    assert!(state.body["standardQRCode"].is_null());
    assert!(state.body["temporaryQRCode"].is_null());
    let r = h.send("DELETE", &method_path(ALICE), Some(&t), None).await;
    assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
}

#[tokio::test]
async fn delete_each_part() {
    let h = harness().await;
    let t = h.admin().await;
    for part in ["standardQRCode", "temporaryQRCode"] {
        let r = h
            .send_raw(
                "DELETE",
                &part_path(ALICE, part),
                Some(&t),
                None,
                &[("if-match", "*")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{part}: {}", r.body);
        let r = h.send("GET", &part_path(ALICE, part), Some(&t), None).await;
        assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
        let r = h
            .send("DELETE", &part_path(ALICE, part), Some(&t), None)
            .await;
        assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
        let r = h
            .send(
                "DELETE",
                &part_path("bob@contoso.com", part),
                Some(&t),
                None,
            )
            .await;
        assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
    }
    // The method itself stays, now without codes. The PIN cannot be deleted on its own (405, it stays).
    let r = h.send("GET", &method_path(ALICE), Some(&t), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["pin"].is_object());
    assert!(r.body["standardQRCode"].is_null());
    assert!(r.body["temporaryQRCode"].is_null());
    let r = h
        .send("DELETE", &part_path(ALICE, "pin"), Some(&t), None)
        .await;
    assert_error(&r, StatusCode::METHOD_NOT_ALLOWED, "Request_BadRequest");
    assert_eq!(r.headers["allow"], "GET, PATCH");
    let r = h
        .send("GET", &part_path(ALICE, "pin"), Some(&t), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn patch_standard_code_creates_then_updates_within_395_days() {
    let h = harness().await;
    let t = h.admin().await;
    let path = part_path("carol@contoso.com", "standardQRCode");
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"@odata.type": "#microsoft.graph.qrCode"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_image(&r.body["image"]);
    let id = r.body["id"].clone();
    let start = time(&r.body["startDateTime"]);
    assert_eq!(time(&r.body["expireDateTime"]) - start, Duration::days(365));

    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"expireDateTime": iso(start + Duration::days(395))})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["image"].is_null());
    assert_eq!(r.body["id"], id);
    assert_eq!(time(&r.body["expireDateTime"]), start + Duration::days(395));

    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"expireDateTime": iso(start + Duration::days(396))})),
        )
        .await;
    assert_rule(&r, "395 days");
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"expireDateTime": iso(start - Duration::days(1))})),
        )
        .await;
    assert_rule(&r, "later than its startDateTime");
    // Only the two times are updatable.
    for (name, value) in [
        ("image", json!({"version": 1})),
        ("id", json!("x")),
        ("createdDateTime", json!("2025-01-01T00:00:00Z")),
        ("lastUsedDateTime", json!("2025-01-01T00:00:00Z")),
    ] {
        let r = h
            .send("PATCH", &path, Some(&t), Some(json!({ name: value })))
            .await;
        assert_rule(&r, "Only startDateTime and expireDateTime");
        assert!(r.body["error"]["message"].as_str().unwrap().contains(name));
    }
    let r = h
        .send("PATCH", &path, Some(&t), Some(json!({"colour": "red"})))
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"expireDateTime": "soon"})),
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    let r = h.send("GET", &path, Some(&t), None).await;
    assert_eq!(time(&r.body["expireDateTime"]), start + Duration::days(395));

    // A create is held to the same bound; without a method there is nothing to create it in.
    h.send("DELETE", &path, Some(&t), None).await;
    let s = Utc::now() + Duration::days(1);
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"startDateTime": iso(s), "expireDateTime": iso(s + Duration::days(400))})),
        )
        .await;
    assert_rule(&r, "395 days");
    let r = h
        .send(
            "PATCH",
            &part_path("bob@contoso.com", "standardQRCode"),
            Some(&t),
            Some(json!({})),
        )
        .await;
    assert_error(&r, StatusCode::NOT_FOUND, "Request_ResourceNotFound");
}

#[tokio::test]
async fn an_expired_code_is_replaced_by_a_new_one() {
    let h = harness().await;
    let t = h.admin().await;
    let past = Utc::now() - Duration::days(2);
    let seeded = h
        .send(
            "POST",
            "/_emulator/users",
            None,
            Some(json!({"userPrincipalName": "dave@contoso.com",
                "standardQRCode": {"startDateTime": iso(past - Duration::days(30)), "expireDateTime": iso(past)},
                "temporaryQRCode": {"startDateTime": iso(past - Duration::hours(2)), "expireDateTime": iso(past)}})),
        )
        .await;
    assert_eq!(seeded.status, StatusCode::CREATED, "{}", seeded.body);
    for part in ["standardQRCode", "temporaryQRCode"] {
        let path = part_path("dave@contoso.com", part);
        let old = h.send("GET", &path, Some(&t), None).await;
        assert_eq!(old.status, StatusCode::OK);
        let r = h.send("PATCH", &path, Some(&t), Some(json!({}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{part}: {}", r.body);
        assert_ne!(r.body["id"], old.body["id"]);
        assert_image(&r.body["image"]);
    }
}

#[tokio::test]
async fn temporary_code_lives_1_to_12_hours_one_active_fixed_expiry() {
    let h = harness().await;
    let t = h.admin().await;
    let path = part_path("carol@contoso.com", "temporaryQRCode");
    let s = (Utc::now() + Duration::minutes(5)).trunc_subsecs(0);
    for life in [Duration::hours(13), Duration::minutes(30)] {
        let r = h
            .send(
                "PATCH",
                &path,
                Some(&t),
                Some(json!({"startDateTime": iso(s), "expireDateTime": iso(s + life)})),
            )
            .await;
        assert_rule(&r, "between 1 and 12 hours");
    }
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"startDateTime": iso(s), "expireDateTime": iso(s + Duration::hours(2))})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_image(&r.body["image"]);
    let id = r.body["id"].clone();
    let expire = time(&r.body["expireDateTime"]);
    assert_eq!(expire, s + Duration::hours(2));

    // Only one is active: another PATCH updates it rather than creating a second.
    let r = h.send("PATCH", &path, Some(&t), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], id);
    assert!(r.body["image"].is_null());
    // Its expiry cannot change; naming the same expiry is fine.
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"expireDateTime": iso(expire + Duration::hours(1))})),
        )
        .await;
    assert_rule(&r, "cannot be changed");
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"startDateTime": iso(expire - Duration::hours(3)), "expireDateTime": iso(expire)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(time(&r.body["startDateTime"]), expire - Duration::hours(3));
    // A new start still has to leave 1-12 hours before the fixed expiry.
    let r = h
        .send(
            "PATCH",
            &path,
            Some(&t),
            Some(json!({"startDateTime": iso(expire - Duration::minutes(10))})),
        )
        .await;
    assert_rule(&r, "between 1 and 12 hours");

    // Without times a new temporary code lives the maximum 12 hours.
    h.send("DELETE", &path, Some(&t), None).await;
    let r = h.send("PATCH", &path, Some(&t), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        time(&r.body["expireDateTime"]) - time(&r.body["startDateTime"]),
        Duration::hours(12)
    );
}

#[tokio::test]
async fn put_creates_the_method_once() {
    let h = harness().await;
    let t = h.admin().await;
    let path = method_path("bob@contoso.com");
    let s = Utc::now();
    let r = h
        .send(
            "PUT",
            &path,
            Some(&t),
            Some(json!({"@odata.type": "#microsoft.graph.qrCodePinAuthenticationMethod",
                "standardQRCode": {"startDateTime": iso(s), "expireDateTime": iso(s + Duration::days(500))},
                "pin": {"code": "12345678"}})),
        )
        .await;
    assert_rule(&r, "395 days");
    let r = h
        .send(
            "PUT",
            &path,
            Some(&t),
            Some(json!({"temporaryQRCode": {}, "pin": {"code": "12345678"}})),
        )
        .await;
    assert_rule(&r, "temporaryQRCode");
    let r = h.send("GET", &path, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = h
        .send(
            "PUT",
            &path,
            Some(&t),
            Some(json!({"@odata.type": "#microsoft.graph.qrCodePinAuthenticationMethod",
                "standardQRCode": {"startDateTime": iso(s), "expireDateTime": iso(s + Duration::days(30))},
                "pin": {"code": "12345678"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["pin"]["code"], "12345678");
    assert!(r.body["temporaryQRCode"].is_null());
    assert_image(&r.body["standardQRCode"]["image"]);
    assert_eq!(
        time(&r.body["standardQRCode"]["expireDateTime"]),
        time(&r.body["standardQRCode"]["startDateTime"]) + Duration::days(30)
    );
    let r = h.send("GET", &path, Some(&t), None).await;
    assert!(r.body["standardQRCode"]["image"].is_null());

    // One method per user: a second PUT is refused and changes nothing.
    let r = h
        .send(
            "PUT",
            &path,
            Some(&t),
            Some(json!({"pin": {"code": "87654321"}})),
        )
        .await;
    assert_error(&r, StatusCode::CONFLICT, "conflict");
    let state = h
        .send("GET", "/_emulator/users/bob@contoso.com", None, None)
        .await;
    assert_eq!(state.body["pin"]["code"], "12345678");
    let r = h
        .send("PUT", &method_path(ALICE), Some(&t), Some(json!({})))
        .await;
    assert_error(&r, StatusCode::CONFLICT, "conflict");

    // Without a standardQRCode the method gets one with the default 365 days.
    h.send("DELETE", &path, Some(&t), None).await;
    let r = h.send("PUT", &path, Some(&t), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        time(&r.body["standardQRCode"]["expireDateTime"])
            - time(&r.body["standardQRCode"]["startDateTime"]),
        Duration::days(365)
    );
}

#[tokio::test]
async fn seeding_each_part_through_the_control_api() {
    let h = harness().await;
    let r = h
        .send("GET", &format!("/_emulator/users/{ALICE}"), None, None)
        .await;
    assert_eq!(r.body["pin"]["code"].as_str().unwrap().len(), 8);
    assert!(r.body["standardQRCode"]["expireDateTime"].is_string());
    assert!(r.body["temporaryQRCode"]["id"].is_string());
    let r = h
        .send("GET", "/_emulator/users/carol@contoso.com", None, None)
        .await;
    assert_eq!(r.body["hasQrCodeMethod"], true);
    assert!(r.body["pin"].is_null());
    assert!(r.body["standardQRCode"].is_null());
    let r = h
        .send(
            "POST",
            "/_emulator/users",
            None,
            Some(json!({"userPrincipalName": "eve@contoso.com", "hasQrCodeMethod": false, "hasPin": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = h
        .send(
            "POST",
            "/_emulator/users",
            None,
            Some(json!({"userPrincipalName": "eve@contoso.com", "standardQRCode": {"colour": 1}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn routing_and_permissions_of_the_parts() {
    let h = harness().await;
    let t = h.admin().await;
    for (part, allow) in [
        ("standardQRCode", "GET, PATCH, DELETE"),
        ("temporaryQRCode", "GET, PATCH, DELETE"),
        ("pin", "GET, PATCH"),
    ] {
        let r = h
            .send("PUT", &part_path(ALICE, part), Some(&t), Some(json!({})))
            .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(r.headers["allow"], allow);
    }
    // Segment names match case-insensitively; nothing is modelled below a part.
    let r = h
        .send("GET", &part_path(ALICE, "StandardQrCode"), Some(&t), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(
            "GET",
            &format!("{}/image", part_path(ALICE, "standardQRCode")),
            Some(&t),
            None,
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");
    let r = h
        .send(
            "GET",
            &format!("/beta/users/{ALICE}/authentication/standardQRCode"),
            Some(&t),
            None,
        )
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "BadRequest");

    // Read scopes read every part but write none.
    let reader = h.token(json!({"scp": "UserAuthMethod-QR.Read.All"})).await;
    for part in ["standardQRCode", "temporaryQRCode", "pin"] {
        let r = h
            .send("GET", &part_path(ALICE, part), Some(&reader), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{part}");
        if part != "pin" {
            let r = h
                .send("DELETE", &part_path(ALICE, part), Some(&reader), None)
                .await;
            assert_error(&r, StatusCode::FORBIDDEN, "Authorization_RequestDenied");
        }
        let r = h
            .send(
                "PATCH",
                &part_path(ALICE, part),
                Some(&reader),
                Some(json!({})),
            )
            .await;
        assert_error(&r, StatusCode::FORBIDDEN, "Authorization_RequestDenied");
    }
    let r = h
        .send(
            "PUT",
            &method_path("bob@contoso.com"),
            Some(&reader),
            Some(json!({})),
        )
        .await;
    assert_error(&r, StatusCode::FORBIDDEN, "Authorization_RequestDenied");
}

#[tokio::test]
async fn writes_spend_the_quota_and_reads_do_not() {
    let h = harness().await;
    let t = h
        .token(json!({"scp": ADMIN_SCOPE, "tid": "t-1", "appid": "app-1"}))
        .await;
    let r = h
        .send(
            "PUT",
            "/_emulator/behaviour",
            None,
            Some(json!({"throttle": {"limit": 3, "windowSeconds": 60}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for _ in 0..5 {
        for path in [
            method_path(ALICE),
            part_path(ALICE, "pin"),
            part_path(ALICE, "standardQRCode"),
            part_path(ALICE, "temporaryQRCode"),
        ] {
            let r = h.send("GET", &path, Some(&t), None).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
        }
    }
    let r = h
        .send(
            "PATCH",
            &part_path(ALICE, "standardQRCode"),
            Some(&t),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(
            "DELETE",
            &part_path(ALICE, "temporaryQRCode"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = h
        .send(
            "PUT",
            &method_path("bob@contoso.com"),
            Some(&t),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = h.send("DELETE", &method_path(ALICE), Some(&t), None).await;
    assert_error(&r, StatusCode::TOO_MANY_REQUESTS, "TooManyRequests");
    let stats = h.send("GET", "/_emulator/stats", None, None).await;
    assert_eq!(stats.body["windows"][0]["writes"], 3);
}
