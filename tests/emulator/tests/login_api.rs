//! The login endpoints in-process: OAuth bodies, client credentials, device code, authorization
//! code with PKCE, refresh tokens, managed identity and revocation.

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use graph_emulator::{app, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

const TENANT: &str = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
const APP: &str = "aaaaaaaa-1111-2222-3333-444444444444";
const RW: &str = "UserAuthenticationMethod.ReadWrite.All";

struct Reply {
    status: StatusCode,
    location: Option<String>,
    body: Value,
}

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    form: Option<&[(&str, &str)]>,
    json_body: Option<Value>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1:9");
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    let body = if let Some(f) = form {
        b = b.header("content-type", "application/x-www-form-urlencoded");
        Body::from(serde_urlencoded::to_string(f).unwrap())
    } else if let Some(j) = json_body {
        b = b.header("content-type", "application/json");
        Body::from(j.to_string())
    } else {
        Body::empty()
    };
    let resp = app.clone().oneshot(b.body(body).unwrap()).await.unwrap();
    let status = resp.status();
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    Reply {
        status,
        location,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

async fn seeded() -> Router {
    let app = app(AppState::new(8));
    let r = call(&app, "POST", "/_emulator/apps", None,
        Some(json!([{"appId": APP, "displayName": "Robot", "tenantId": TENANT, "secrets": ["s3cret"], "roles": [RW], "delegatedPermissions": [RW]}])), &[]).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(
        !r.body.to_string().contains("s3cret"),
        "the control API never echoes secrets"
    );
    app
}

fn claims(token: &str) -> Value {
    serde_json::from_slice(&B64.decode(token.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

#[tokio::test]
async fn client_secret_issues_app_tokens_graph_accepts() {
    let app = seeded().await;
    let token_path = format!("/{TENANT}/oauth2/v2.0/token");
    let ok = call(
        &app,
        "POST",
        &token_path,
        Some(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", "s3cret"),
            ("scope", "http://127.0.0.1:9/.default"),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let token = ok.body["access_token"].as_str().unwrap();
    let c = claims(token);
    assert_eq!(c["aud"], "https://graph.microsoft.com");
    assert_eq!(c["tid"], TENANT);
    assert_eq!(c["appid"], APP);
    assert_eq!(c["roles"], json!([RW]));
    assert_eq!(c["app_displayname"], "Robot");
    assert!(c.get("scp").is_none());
    assert_eq!(ok.body["expires_in"], 3600);

    // Graph accepts it; after a revocation it does not.
    let _ = call(
        &app,
        "POST",
        "/_emulator/users",
        None,
        Some(json!({"userPrincipalName": "a@b.c"})),
        &[],
    )
    .await;
    let bearer = format!("Bearer {token}");
    let pin_path = "/beta/users/a%40b.c/authentication/qrCodePinMethod/pin";
    let g = call(
        &app,
        "PATCH",
        pin_path,
        None,
        Some(json!({"code": "12345678"})),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(g.status, StatusCode::CREATED);
    let r = call(&app, "POST", "/_emulator/tokens/revoke", None, None, &[]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let g = call(
        &app,
        "PATCH",
        pin_path,
        None,
        Some(json!({"code": "12345678"})),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(g.status, StatusCode::UNAUTHORIZED);

    let wrong = call(
        &app,
        "POST",
        &token_path,
        Some(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", "nope"),
            ("scope", "https://graph.microsoft.com/.default"),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body["error"], "invalid_client");
    assert_eq!(wrong.body["error_codes"], json!([7000215]));
    let d = wrong.body["error_description"].as_str().unwrap();
    assert!(
        d.starts_with("AADSTS7000215: ")
            && d.contains("\r\nTrace ID: ")
            && d.contains("Correlation ID: "),
        "{d}"
    );
    for f in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
        assert!(wrong.body.get(f).is_some(), "{f}");
    }
    assert!(!wrong.body.to_string().contains("nope"));

    let tenant = call(
        &app,
        "POST",
        "/nowhere.example/oauth2/v2.0/token",
        Some(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", "s3cret"),
            ("scope", "https://graph.microsoft.com/.default"),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(tenant.status, StatusCode::BAD_REQUEST);
    assert_eq!(tenant.body["error_codes"], json!([90002]));

    let unknown = call(
        &app,
        "POST",
        &token_path,
        Some(&[
            ("grant_type", "client_credentials"),
            ("client_id", "x"),
            ("client_secret", "s3cret"),
            ("scope", "https://graph.microsoft.com/.default"),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(unknown.body["error"], "unauthorized_client");
    let missing = call(
        &app,
        "POST",
        &token_path,
        Some(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("scope", "https://graph.microsoft.com/.default"),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(missing.body["error_codes"], json!([7000218]));
    let grant = call(
        &app,
        "POST",
        &token_path,
        Some(&[("grant_type", "password"), ("client_id", APP)]),
        None,
        &[],
    )
    .await;
    assert_eq!(grant.body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn device_code_pending_then_approved_then_refreshed() {
    let app = seeded().await;
    let dc = call(
        &app,
        "POST",
        "/common/oauth2/v2.0/devicecode",
        Some(&[
            ("client_id", APP),
            (
                "scope",
                "UserAuthenticationMethod.ReadWrite.All offline_access",
            ),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(dc.status, StatusCode::OK);
    let device_code = dc.body["device_code"].as_str().unwrap().to_string();
    let user_code = dc.body["user_code"].as_str().unwrap().to_string();
    assert!(dc.body["message"].as_str().unwrap().contains(&user_code));
    let poll = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("client_id", APP),
        ("device_code", device_code.as_str()),
    ];
    let p = call(
        &app,
        "POST",
        "/common/oauth2/v2.0/token",
        Some(&poll),
        None,
        &[],
    )
    .await;
    assert_eq!(p.body["error"], "authorization_pending");
    assert_eq!(p.body["error_codes"], json!([70016]));
    let a = call(
        &app,
        "POST",
        &format!("/_emulator/devicecodes/{user_code}/approve"),
        None,
        Some(json!({"userPrincipalName": "adele@contoso.example"})),
        &[],
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let t = call(
        &app,
        "POST",
        "/common/oauth2/v2.0/token",
        Some(&poll),
        None,
        &[],
    )
    .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    let c = claims(t.body["access_token"].as_str().unwrap());
    assert_eq!(c["scp"], RW);
    assert_eq!(c["upn"], "adele@contoso.example");
    let refresh = t.body["refresh_token"].as_str().unwrap().to_string();
    // One-time: the code is gone.
    let again = call(
        &app,
        "POST",
        "/common/oauth2/v2.0/token",
        Some(&poll),
        None,
        &[],
    )
    .await;
    assert_eq!(again.body["error"], "bad_verification_code");
    let r = call(
        &app,
        "POST",
        &format!("/{TENANT}/oauth2/v2.0/token"),
        Some(&[
            ("grant_type", "refresh_token"),
            ("client_id", APP),
            ("refresh_token", refresh.as_str()),
            (
                "scope",
                "UserAuthenticationMethod.ReadWrite.All offline_access",
            ),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(r.body["refresh_token"].as_str().unwrap(), refresh);
    let wider = call(
        &app,
        "POST",
        &format!("/{TENANT}/oauth2/v2.0/token"),
        Some(&[
            ("grant_type", "refresh_token"),
            ("client_id", APP),
            ("refresh_token", refresh.as_str()),
            ("scope", "Mail.Read"),
        ]),
        None,
        &[],
    )
    .await;
    assert_eq!(wider.body["error"], "invalid_grant");

    for (action, error) in [
        ("decline", "authorization_declined"),
        ("expire", "expired_token"),
    ] {
        let dc = call(
            &app,
            "POST",
            "/common/oauth2/v2.0/devicecode",
            Some(&[("client_id", APP), ("scope", RW)]),
            None,
            &[],
        )
        .await;
        let code = dc.body["device_code"].as_str().unwrap().to_string();
        let uc = dc.body["user_code"].as_str().unwrap().to_string();
        call(
            &app,
            "POST",
            &format!("/_emulator/devicecodes/{uc}/{action}"),
            None,
            None,
            &[],
        )
        .await;
        let p = call(
            &app,
            "POST",
            "/common/oauth2/v2.0/token",
            Some(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", APP),
                ("device_code", code.as_str()),
            ]),
            None,
            &[],
        )
        .await;
        assert_eq!(p.body["error"], error);
    }
}

#[tokio::test]
async fn authorization_code_needs_the_right_verifier() {
    let app = seeded().await;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let q = serde_urlencoded::to_string([
        ("client_id", APP),
        ("response_type", "code"),
        ("redirect_uri", "http://localhost:5555/"),
        (
            "scope",
            "UserAuthenticationMethod.ReadWrite.All offline_access",
        ),
        ("state", "st"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ])
    .unwrap();
    let a = call(
        &app,
        "GET",
        &format!("/organizations/oauth2/v2.0/authorize?{q}"),
        None,
        None,
        &[],
    )
    .await;
    assert_eq!(a.status, StatusCode::FOUND);
    let location = a.location.unwrap();
    assert!(
        location.starts_with("http://localhost:5555/?code="),
        "{location}"
    );
    assert!(location.ends_with("&state=st"));
    let code = url_param(&location, "code");
    let exchange = |v: &'static str| {
        [
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("code", "CODE"),
            ("redirect_uri", "http://localhost:5555/"),
            ("code_verifier", v),
        ]
    };
    let mut bad = exchange("wrong-verifier-wrong-verifier-wrong-verifier");
    bad[2].1 = &code;
    let r = call(
        &app,
        "POST",
        "/common/oauth2/v2.0/token",
        Some(&bad),
        None,
        &[],
    )
    .await;
    assert_eq!(r.body["error_codes"], json!([501481]));

    let a = call(
        &app,
        "GET",
        &format!("/common/oauth2/v2.0/authorize?{q}"),
        None,
        None,
        &[],
    )
    .await;
    let code = url_param(&a.location.unwrap(), "code");
    let mut good = exchange(verifier);
    good[2].1 = &code;
    let r = call(
        &app,
        "POST",
        "/common/oauth2/v2.0/token",
        Some(&good),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["refresh_token"].is_string());
    let reuse = call(
        &app,
        "POST",
        "/common/oauth2/v2.0/token",
        Some(&good),
        None,
        &[],
    )
    .await;
    assert_eq!(reuse.body["error"], "invalid_grant");

    // Declined consent and a non-loopback redirect.
    call(
        &app,
        "PUT",
        "/_emulator/login-settings",
        None,
        Some(json!({"consent": false})),
        &[],
    )
    .await;
    let a = call(
        &app,
        "GET",
        &format!("/common/oauth2/v2.0/authorize?{q}"),
        None,
        None,
        &[],
    )
    .await;
    assert!(a.location.unwrap().contains("error=access_denied"));
    let evil = q.replace("localhost%3A5555", "evil.example");
    let a = call(
        &app,
        "GET",
        &format!("/common/oauth2/v2.0/authorize?{evil}"),
        None,
        None,
        &[],
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

fn url_param(url: &str, name: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == name)
        .unwrap()
        .1
}

#[tokio::test]
async fn managed_identity_endpoint() {
    let app = seeded().await;
    call(
        &app,
        "POST",
        "/_emulator/identities",
        None,
        Some(json!([{"clientId": "mi-1", "systemAssigned": true, "roles": [RW]}])),
        &[],
    )
    .await;
    call(
        &app,
        "PUT",
        "/_emulator/login-settings",
        None,
        Some(json!({"identityHeader": "h"})),
        &[],
    )
    .await;
    let ok = call(
        &app,
        "GET",
        "/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com",
        None,
        None,
        &[("x-identity-header", "h")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["client_id"], "mi-1");
    assert!(ok.body["expires_on"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .is_ok());
    assert_eq!(
        claims(ok.body["access_token"].as_str().unwrap())["roles"],
        json!([RW])
    );
    let secret = call(
        &app,
        "GET",
        "/msi/token?api-version=2017-09-01&resource=https://graph.microsoft.com&clientid=mi-1",
        None,
        None,
        &[("secret", "h")],
    )
    .await;
    assert_eq!(secret.status, StatusCode::OK);
    let imds = call(&app, "GET", "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://graph.microsoft.com", None, None, &[("metadata", "true")]).await;
    assert_eq!(imds.status, StatusCode::OK);
    let no_header = call(
        &app,
        "GET",
        "/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com",
        None,
        None,
        &[],
    )
    .await;
    assert_eq!(no_header.status, StatusCode::UNAUTHORIZED);
    let unknown = call(
        &app,
        "GET",
        "/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com&client_id=zzz",
        None,
        None,
        &[("x-identity-header", "h")],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let log = call(&app, "GET", "/_emulator/login-requests", None, None, &[]).await;
    assert_eq!(log.body.as_array().unwrap().len(), 5);
}
