//! What the in-process emulator tests share: a router seeded with users, tokens, and requests driven with tower's
//! `oneshot` (no sockets).
#![allow(dead_code)] // each test binary uses its own part

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use graph_emulator::{app, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

pub const ADMIN_SCOPE: &str = "UserAuthenticationMethod.ReadWrite.All";
pub const ALICE: &str = "11111111-2222-3333-4444-555555555555";

pub struct Harness {
    pub app: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Harness {
    /// A fresh emulator seeded with `users` (the body of `POST /_emulator/users`).
    pub async fn seeded(users: Value) -> Self {
        let h = Harness {
            app: app(AppState::new(8)),
        };
        let seeded = h.send("POST", "/_emulator/users", None, Some(users)).await;
        assert_eq!(seeded.status, StatusCode::CREATED);
        h
    }

    pub async fn token(&self, spec: Value) -> String {
        let r = self
            .send("POST", "/_emulator/tokens", None, Some(spec))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        r.body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn admin(&self) -> String {
        self.token(json!({ "scp": ADMIN_SCOPE })).await
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.send_raw(method, path, token, body.map(|b| b.to_string()), &[])
            .await
    }

    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        Reply {
            status,
            headers,
            body,
        }
    }
}
