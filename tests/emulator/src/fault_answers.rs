//! The answers of the faults that shape what a client reads back: odd 2xx bodies (`oddSuccess`), huge bodies
//! streamed without being built (`hugeBody`), errors that repeat the request (`echo`), and the wait of the
//! faults that apply first and answer late or never (`delayAfterApply`, `hangAfterApply`).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

use crate::faults::{EchoPart, FaultKind, FaultSpec};
use crate::graph_errors::{GraphError, GRAPH_JSON};

/// Default size of a `hugeBody` answer: beyond the 16 MiB a client is expected to accept.
pub const DEFAULT_HUGE_BYTES: u64 = 32 << 20;
/// Largest `hugeBody` the emulator streams (it never holds more than one chunk).
pub const MAX_HUGE_BYTES: u64 = 4 << 30;
const CHUNK: usize = 64 << 10;
static FILLER: [u8; CHUNK] = [b'x'; CHUNK];

/// The checks of the kinds this file answers for (called from `FaultSpec::check`).
pub fn check(spec: &FaultSpec) -> Result<(), String> {
    let range = match spec.kind {
        FaultKind::OddSuccess => 200..=299,
        FaultKind::HugeBody => 200..=599,
        _ => 400..=599,
    };
    if let Some(s) = spec.status.filter(|s| !range.contains(s)) {
        return Err(format!(
            "status {s} is outside {}-{} for this kind",
            range.start(),
            range.end()
        ));
    }
    if let Some(b) = spec.bytes {
        if !(1024..=MAX_HUGE_BYTES).contains(&b) {
            return Err(format!("bytes must be between 1024 and {MAX_HUGE_BYTES}"));
        }
    }
    Ok(())
}

/// The status a fault answers with when it sets its own.
pub fn status(spec: &FaultSpec) -> StatusCode {
    let default = match spec.kind {
        FaultKind::Echo => 400,
        _ => 201,
    };
    StatusCode::from_u16(spec.status.unwrap_or(default)).unwrap_or(StatusCode::CREATED)
}

/// Whether the fault lets the real handler apply the update before it shapes the answer.
pub fn applies(spec: &FaultSpec) -> bool {
    match spec.kind {
        FaultKind::Echo => false,
        FaultKind::HugeBody => status(spec).is_success(),
        _ => true,
    }
}

/// The wait after the update is applied and before the answer (or the dropped connection).
pub async fn hold(spec: &FaultSpec) {
    let wait = match spec.kind {
        FaultKind::HangAfterApply => spec
            .delay_ms
            .map_or(crate::behaviour::DEFAULT_HANG, Duration::from_millis),
        FaultKind::DelayAfterApply => Duration::from_millis(spec.delay_ms.unwrap_or(0)),
        _ => return,
    };
    tokio::time::sleep(wait).await;
}

/// An error answer whose message repeats the request's headers (the token included, verbatim) and/or body, as
/// a careless gateway or server would; with headers, `x-emulator-echo-authorization` repeats the token too.
pub fn echo_error(spec: &FaultSpec, parts: &Parts, body: &[u8]) -> GraphError {
    let part = spec.echo.unwrap_or(EchoPart::All);
    let mut text = String::from("The emulator echoes the request.");
    if part != EchoPart::Body {
        text.push_str(" Headers:");
        for (name, value) in &parts.headers {
            text.push_str(&format!(
                " {}: {};",
                name,
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
    }
    if part != EchoPart::Headers {
        text.push_str(" Body: ");
        text.push_str(&String::from_utf8_lossy(body));
    }
    let mut e = GraphError::new(status(spec), "BadRequest", text);
    if part != EchoPart::Body {
        if let Some(v) = parts.headers.get(header::AUTHORIZATION) {
            e.headers.push((
                HeaderName::from_static("x-emulator-echo-authorization"),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            ));
        }
    }
    e
}

/// The early error a non-2xx `hugeBody` answers with; `shape` later swaps its body for the huge one.
pub fn huge_error(spec: &FaultSpec) -> GraphError {
    GraphError::new(
        status(spec),
        "InternalServerError",
        "The emulator was told to answer with a huge body.",
    )
}

/// Replaces the answer of an `oddSuccess` or `hugeBody` fault; other kinds pass through, and so does the
/// handler's own error when a fault meant to follow an applied update found nothing applied (401, 404...).
pub fn shape(spec: &FaultSpec, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    if applies(spec) && !parts.status.is_success() {
        return Response::from_parts(parts, body);
    }
    let body = match spec.kind {
        FaultKind::OddSuccess => {
            parts.status = status(spec);
            parts.headers.remove(header::CONTENT_LENGTH);
            match &spec.body {
                Some(text) => {
                    parts
                        .headers
                        .insert(header::CONTENT_TYPE, HeaderValue::from_static(GRAPH_JSON));
                    Body::from(text.clone())
                }
                None => {
                    parts.headers.remove(header::CONTENT_TYPE);
                    Body::empty()
                }
            }
        }
        FaultKind::HugeBody => {
            let size = spec.bytes.unwrap_or(DEFAULT_HUGE_BYTES);
            parts.headers.remove(header::CONTENT_LENGTH);
            if spec.declare_length == Some(true) {
                parts
                    .headers
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(size));
            }
            parts
                .headers
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(GRAPH_JSON));
            huge_body(parts.status.is_success(), size)
        }
        _ => body,
    };
    Response::from_parts(parts, body)
}

/// A JSON document of exactly `size` bytes (a qrPin with a long padding property, or Graph's error envelope
/// with a long message), produced chunk by chunk as the client reads.
pub fn huge_body(success: bool, size: u64) -> Body {
    let (head, tail): (&'static [u8], &'static [u8]) = if success {
        (
            br##"{"@odata.type":"#microsoft.graph.qrPin","padding":""##,
            br#""}"#,
        )
    } else {
        (
            br#"{"error":{"code":"InternalServerError","message":""#,
            br#""}}"#,
        )
    };
    let filler = size.saturating_sub((head.len() + tail.len()) as u64);
    let chunks = (filler as usize).div_ceil(CHUNK);
    let middle = (0..chunks).map(move |i| {
        let left = filler as usize - i * CHUNK;
        Bytes::from_static(&FILLER[..left.min(CHUNK)])
    });
    let all = std::iter::once(Bytes::from_static(head))
        .chain(middle)
        .chain(std::iter::once(Bytes::from_static(tail)))
        .map(Ok::<_, Infallible>);
    Body::from_stream(futures_util::stream::iter(all))
}
