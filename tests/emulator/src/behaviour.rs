//! How the emulated Graph behaves under load: latency (fixed plus jitter), the write quota (throttle.rs),
//! injected faults (faults.rs) and counters, with their control routes under `/_emulator`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use parking_lot::Mutex;
use percent_encoding::percent_decode_str;
use rand::Rng;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::{ErrorBody, FaultKind, FaultSpec, Faults};
use crate::graph_errors::GraphError;
use crate::state::Shared;
use crate::throttle::{self, Quota, Verdict, Windows};

/// How long a `hang` fault waits when it names no `delayMs`.
pub const DEFAULT_HANG: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Settings {
    pub latency: Duration,
    pub jitter: Duration,
    pub quota: Option<Quota>,
}

impl Settings {
    fn to_json(self) -> Value {
        json!({
            "latencyMs": self.latency.as_millis() as u64,
            "jitterMs": self.jitter.as_millis() as u64,
            "throttle": self.quota.map(|q| json!({
                "limit": q.limit,
                "windowSeconds": q.window.as_secs_f64(),
            })),
        })
    }
}

/// Per-emulator behaviour state; lives in `AppState`.
#[derive(Default)]
pub struct Behaviour {
    settings: Mutex<Settings>,
    windows: Mutex<Windows>,
    faults: Mutex<Faults>,
    requests: AtomicU64,
    throttled: AtomicU64,
    faults_hit: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
}

impl Behaviour {
    /// Back to no latency, no quota, no faults, zero counters.
    pub fn reset(&self) {
        *self.settings.lock() = Settings::default();
        self.windows.lock().clear();
        self.faults.lock().clear();
        self.reset_counters();
    }

    fn reset_counters(&self) {
        for c in [
            &self.requests,
            &self.throttled,
            &self.faults_hit,
            &self.max_in_flight,
        ] {
            c.store(0, Ordering::SeqCst);
        }
        self.max_in_flight
            .store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// Counts a request as in flight until dropped, which also happens when hyper drops the handler because the
/// client went away.
pub struct InFlight<'a>(&'a Behaviour);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What the behaviour layer decided before the real handler runs.
pub struct Admission<'a> {
    /// An answer that replaces the handler (429, or an injected status).
    pub early: Option<GraphError>,
    /// Drop the connection before anything is applied.
    pub reset_before: bool,
    /// A fault that changes the answer after the handler ran.
    pub after: Option<FaultKind>,
    /// A `Warning` header to add to the answer (a `warning` fault).
    pub warning: Option<String>,
    /// A `status` fault's body when it is not Graph's envelope.
    pub error_body: Option<ErrorBody>,
    /// An `answer` fault: its status and body replace the answer.
    pub answer: Option<FaultSpec>,
    /// Quota use to report in `x-ms-throttle-limit-percentage` (only above 0.8).
    pub used: Option<f64>,
    _in_flight: InFlight<'a>,
}

impl Admission<'_> {
    pub fn resets_after(&self) -> bool {
        self.after == Some(FaultKind::ResetAfterApply)
    }
}

/// The `users/{id}` segment of a Graph path, decoded.
fn target_user(path: &str) -> Option<String> {
    let mut segments = path.trim_start_matches('/').split('/');
    segments.next()?;
    if !segments.next()?.eq_ignore_ascii_case("users") {
        return None;
    }
    Some(
        percent_decode_str(segments.next()?)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn sleep_for(d: Duration) -> impl std::future::Future<Output = ()> {
    tokio::time::sleep(d)
}

/// Latency first (the network), then the quota, then faults.
pub async fn admit<'a>(app: &'a Shared, parts: &Parts) -> Admission<'a> {
    let b = &app.behaviour;
    b.requests.fetch_add(1, Ordering::SeqCst);
    let now_in_flight = b.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    b.max_in_flight.fetch_max(now_in_flight, Ordering::SeqCst);
    let guard = InFlight(b);

    let settings = *b.settings.lock();
    let mut delay = settings.latency;
    if !settings.jitter.is_zero() {
        let extra = rand::rng().random_range(0..=settings.jitter.as_millis() as u64);
        delay += Duration::from_millis(extra);
    }
    if !delay.is_zero() {
        sleep_for(delay).await;
    }

    let mut admission = Admission {
        early: None,
        reset_before: false,
        after: None,
        warning: None,
        error_body: None,
        answer: None,
        used: None,
        _in_flight: guard,
    };

    let is_write = matches!(
        parts.method,
        Method::PATCH | Method::PUT | Method::DELETE | Method::POST
    );
    if let (true, Some(quota)) = (is_write, settings.quota) {
        let authorization = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if let Some(key) = throttle::quota_key(authorization) {
            let verdict = b.windows.lock().admit(quota, &key, Instant::now());
            match verdict {
                Verdict::Admitted { used } => admission.used = Some(used),
                Verdict::Throttled {
                    retry_after_secs,
                    used,
                } => {
                    b.throttled.fetch_add(1, Ordering::SeqCst);
                    let mut e = GraphError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "TooManyRequests",
                        format!(
                            "The application has used up its write quota for this tenant. Retry after {retry_after_secs} seconds."
                        ),
                    );
                    e.headers.push((
                        axum::http::header::RETRY_AFTER,
                        retry_after_secs.to_string(),
                    ));
                    e.headers.push((
                        HeaderName::from_static("x-ms-throttle-scope"),
                        format!("Tenant_Application/Write/{}/{}", key.0, key.1),
                    ));
                    e.headers.push((
                        HeaderName::from_static("x-ms-throttle-information"),
                        "WriteLimitExceeded".to_owned(),
                    ));
                    e.headers.push((
                        HeaderName::from_static("x-ms-throttle-limit-percentage"),
                        throttle::percentage_header(used),
                    ));
                    admission.early = Some(e);
                    return admission;
                }
            }
        }
    }

    let user = target_user(parts.uri.path());
    let fault = {
        let mut faults = b.faults.lock();
        if faults.list().is_empty() {
            None
        } else {
            let store = app.store.lock();
            let target = user.as_deref().and_then(|u| store.find_user(u));
            faults.take(|wanted| match (store.find_user(wanted), target) {
                (Some(a), Some(b)) => a == b,
                _ => user
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(wanted)),
            })
        }
    };
    let Some(fault) = fault else {
        return admission;
    };
    b.faults_hit.fetch_add(1, Ordering::SeqCst);
    match fault.kind {
        FaultKind::Status => {
            let status = StatusCode::from_u16(fault.status.unwrap_or(500))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let code = match status.as_u16() {
                429 => "TooManyRequests",
                500 => "InternalServerError",
                502 => "BadGateway",
                503 => "ServiceUnavailable",
                504 => "GatewayTimeout",
                _ => "UnknownError",
            };
            let mut e =
                GraphError::new(status, code, "The emulator was told to fail this request.");
            if let Some(ra) = fault.retry_after_text() {
                e.headers.push((axum::http::header::RETRY_AFTER, ra));
            }
            admission.early = Some(e);
            admission.error_body = fault.error_body.filter(|b| *b != ErrorBody::Graph);
        }
        FaultKind::ResetBeforeApply => admission.reset_before = true,
        FaultKind::Hang => {
            sleep_for(fault.delay_ms.map_or(DEFAULT_HANG, Duration::from_millis)).await
        }
        FaultKind::Delay => sleep_for(Duration::from_millis(fault.delay_ms.unwrap_or(0))).await,
        FaultKind::Warning => admission.warning = Some(fault.warning_text()),
        FaultKind::Answer => {
            let status =
                StatusCode::from_u16(fault.status.unwrap_or(201)).unwrap_or(StatusCode::CREATED);
            if !status.is_success() {
                admission.early = Some(GraphError::new(
                    status,
                    "UnknownError",
                    "The emulator was told to answer this way.",
                ));
            }
            admission.answer = Some(fault);
        }
        kind => admission.after = Some(kind),
    }
    admission
}

/// The body of an `answer` fault with `bodyBytes`: JSON-looking filler made on the fly, so a huge body
/// costs the emulator no memory.
struct Filler {
    left: u64,
}

impl futures_core::Stream for Filler {
    type Item = Result<axum::body::Bytes, std::convert::Infallible>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        const CHUNK: &[u8] = &[b'7'; 64 * 1024];
        let n = self.left.min(CHUNK.len() as u64) as usize;
        self.left -= n as u64;
        std::task::Poll::Ready((n > 0).then(|| Ok(axum::body::Bytes::from_static(&CHUNK[..n]))))
    }
}

/// The payload of the unwind that drops a connection. `resume_unwind` skips the panic hook, so nothing is
/// printed; the task serving the connection ends and its socket closes without an answer.
struct ConnectionDropped;

pub fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new(ConnectionDropped))
}

/// Applies after-the-fact faults and the quota header to the finished response.
pub fn deliver(admission: Admission<'_>, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Some(used) = admission.used.filter(|u| *u >= throttle::REPORT_FROM) {
        if let Ok(v) = HeaderValue::from_str(&throttle::percentage_header(used)) {
            parts
                .headers
                .insert(HeaderName::from_static("x-ms-throttle-limit-percentage"), v);
        }
    }
    if let Some(v) = admission
        .warning
        .as_deref()
        .and_then(|w| HeaderValue::from_str(w).ok())
    {
        parts.headers.append(axum::http::header::WARNING, v);
    }
    if let Some(answer) = admission.answer {
        parts.status =
            StatusCode::from_u16(answer.status.unwrap_or(201)).unwrap_or(StatusCode::CREATED);
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        let body = match (answer.body, answer.body_bytes) {
            (_, Some(size)) => Body::from_stream(Filler { left: size }),
            (Some(text), None) => Body::from(text),
            (None, None) => Body::empty(),
        };
        return Response::from_parts(parts, body);
    }
    let ok = parts.status.is_success();
    // A gateway's answer instead of Graph's envelope: the standard headers stay, the body changes.
    if let Some(kind) = admission.error_body.filter(|_| !ok) {
        parts.headers.remove(axum::http::header::CONTENT_TYPE);
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        let body = match kind {
            ErrorBody::Html => {
                parts.headers.insert(
                    axum::http::header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html"),
                );
                let reason = parts.status.canonical_reason().unwrap_or("Error");
                Body::from(ErrorBody::html_page(parts.status.as_u16(), reason))
            }
            _ => Body::empty(),
        };
        return Response::from_parts(parts, body);
    }
    let body = match admission.after {
        Some(FaultKind::ResetAfterApply) => drop_connection(),
        Some(FaultKind::MalformedJson) if ok => {
            Body::from(r##"{"@odata.type":"#microsoft.graph.qrPin","code":"##)
        }
        Some(FaultKind::EmptyBody) if ok => Body::empty(),
        _ => body,
    };
    Response::from_parts(parts, body)
}

// ---- control routes ----

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/behaviour", get(get_settings).put(put_settings))
        .route(
            "/faults",
            post(add_faults).get(list_faults).delete(clear_faults),
        )
        .route("/stats", get(stats).delete(clear_stats))
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": message.into() })),
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SettingsBody {
    #[serde(default)]
    latency_ms: u64,
    #[serde(default)]
    jitter_ms: u64,
    #[serde(default)]
    throttle: Option<ThrottleBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ThrottleBody {
    limit: u32,
    window_seconds: f64,
}

async fn get_settings(State(app): State<Shared>) -> Json<Value> {
    Json(app.behaviour.settings.lock().to_json())
}

async fn put_settings(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    let parsed: SettingsBody = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return bad_request(format!("invalid body: {e}")),
    };
    let quota = match parsed.throttle {
        None => None,
        Some(t) if t.limit == 0 => return bad_request("throttle.limit must be at least 1"),
        Some(t) if !(t.window_seconds > 0.0 && t.window_seconds <= 3600.0) => {
            return bad_request("throttle.windowSeconds must be above 0 and at most 3600")
        }
        Some(t) => Some(Quota {
            limit: t.limit,
            window: Duration::from_secs_f64(t.window_seconds),
        }),
    };
    let settings = Settings {
        latency: Duration::from_millis(parsed.latency_ms),
        jitter: Duration::from_millis(parsed.jitter_ms),
        quota,
    };
    *app.behaviour.settings.lock() = settings;
    app.behaviour.windows.lock().clear();
    Json(settings.to_json()).into_response()
}

/// Accepts one rule or an array of rules.
async fn add_faults(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    let specs: Vec<FaultSpec> = match serde_json::from_slice::<Value>(&body) {
        Ok(v @ Value::Object(_)) => match serde_json::from_value(v) {
            Ok(one) => vec![one],
            Err(e) => return bad_request(format!("invalid fault: {e}")),
        },
        Ok(v) => match serde_json::from_value(v) {
            Ok(many) => many,
            Err(e) => return bad_request(format!("invalid faults: {e}")),
        },
        Err(e) => return bad_request(format!("invalid body: {e}")),
    };
    for s in &specs {
        if let Err(msg) = s.check() {
            return bad_request(msg);
        }
    }
    let mut faults = app.behaviour.faults.lock();
    for s in specs {
        faults.add(s);
    }
    (
        StatusCode::CREATED,
        Json(serde_json::to_value(faults.list()).unwrap_or_default()),
    )
        .into_response()
}

async fn list_faults(State(app): State<Shared>) -> Json<Value> {
    Json(serde_json::to_value(app.behaviour.faults.lock().list()).unwrap_or_default())
}

async fn clear_faults(State(app): State<Shared>) -> StatusCode {
    app.behaviour.faults.lock().clear();
    StatusCode::NO_CONTENT
}

async fn stats(State(app): State<Shared>) -> Json<Value> {
    let b = &app.behaviour;
    let quota = b.settings.lock().quota;
    let windows: Vec<Value> = match quota {
        Some(q) => b
            .windows
            .lock()
            .usage(q, Instant::now())
            .into_iter()
            .map(|(a, t, n)| json!({"appId": a, "tenantId": t, "writes": n, "limit": q.limit}))
            .collect(),
        None => Vec::new(),
    };
    let applied: u64 = app
        .store
        .lock()
        .users
        .iter()
        .map(|u| u.applied_updates)
        .sum();
    Json(json!({
        "requests": b.requests.load(Ordering::SeqCst),
        "throttled": b.throttled.load(Ordering::SeqCst),
        "faults": b.faults_hit.load(Ordering::SeqCst),
        "inFlight": b.in_flight.load(Ordering::SeqCst),
        "maxInFlight": b.max_in_flight.load(Ordering::SeqCst),
        "appliedUpdates": applied,
        "windows": windows,
    }))
}

async fn clear_stats(State(app): State<Shared>) -> StatusCode {
    app.behaviour.reset_counters();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_user_is_decoded() {
        assert_eq!(
            target_user("/beta/users/a%40b.com/authentication/qrCodePinMethod/pin").as_deref(),
            Some("a@b.com")
        );
        assert_eq!(target_user("/beta/me/authentication"), None);
        assert_eq!(target_user("/beta"), None);
    }
}
