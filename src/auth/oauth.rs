//! Form posts to the Microsoft identity platform's v2.0 endpoints, and what comes back: a token
//! response or an OAuth error body (`error`, `error_description` with an AADSTS code, ...).

use std::time::Duration;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::envelope::MgError;
use crate::http_client;
use crate::log_queue;

/// A successful token answer. Token texts are zeroized on drop.
pub struct TokenResponse {
    pub access_token: Zeroizing<String>,
    /// Seconds until the access token expires, as the server said.
    pub expires_in: Option<i64>,
    /// Unix seconds of expiry (managed identity endpoints send this instead of `expires_in`).
    pub expires_on: Option<i64>,
    pub refresh_token: Option<Zeroizing<String>>,
}

/// An OAuth error answer, reduced to what is safe to show.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError {
    pub status: u16,
    pub error: String,
    /// The first sentence(s) of `error_description` before the trace/correlation ids.
    pub description: String,
}

impl OAuthError {
    /// The AADSTS code at the start of the description, if any.
    pub fn aadsts(&self) -> Option<&str> {
        let d = self.description.trim_start();
        let end = d.find(':')?;
        let code = &d[..end];
        (code.starts_with("AADSTS") && code.len() > 6).then_some(code)
    }
}

/// Either kind of failure of a token call.
#[derive(Debug)]
pub enum CallError {
    OAuth(OAuthError),
    Other(MgError),
}

impl From<MgError> for CallError {
    fn from(e: MgError) -> Self {
        CallError::Other(e)
    }
}

/// Keeps the human part of an `error_description`: Entra appends "Trace ID: ... Correlation ID:
/// ... Timestamp: ..." on new lines, which only adds noise to a PowerShell error.
pub fn clean_description(text: &str) -> String {
    let mut out = text;
    for marker in ["\r\n", "\n", " Trace ID:"] {
        if let Some(i) = out.find(marker) {
            out = &out[..i];
        }
    }
    out.trim().to_string()
}

/// Parses an error body; `None` when it is not an OAuth error object.
pub fn parse_error(status: u16, body: &str) -> Option<OAuthError> {
    let v: Value = serde_json::from_str(body).ok()?;
    let error = v.get("error")?.as_str()?.to_string();
    let description = v
        .get("error_description")
        .and_then(Value::as_str)
        .map(clean_description)
        .unwrap_or_default();
    Some(OAuthError {
        status,
        error,
        description,
    })
}

fn str_field(map: &Map<String, Value>, name: &str) -> Option<String> {
    match map.get(name)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `expires_on` comes as unix seconds (a number or a string) or, from older managed identity
/// endpoints, as `MM/dd/yyyy HH:mm:ss +00:00`.
pub fn parse_expires_on(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    chrono::DateTime::parse_from_str(t, "%m/%d/%Y %H:%M:%S %:z")
        .ok()
        .map(|d| d.timestamp())
}

/// Reads a token answer body.
pub fn parse_token(body: &str) -> Result<TokenResponse, MgError> {
    let mut value: Value = serde_json::from_str(body).map_err(|_| {
        MgError::Authentication(
            "The sign-in service answered with something that is not a token (not JSON).".into(),
        )
    })?;
    let Value::Object(map) = &mut value else {
        return Err(MgError::Authentication(
            "The sign-in service answered with something that is not a token.".into(),
        ));
    };
    let take = |map: &mut Map<String, Value>, name: &str| match map.remove(name) {
        Some(Value::String(s)) if !s.is_empty() => Some(Zeroizing::new(s)),
        Some(Value::String(mut s)) => {
            zeroize::Zeroize::zeroize(&mut s);
            None
        }
        _ => None,
    };
    let access_token = take(map, "access_token").ok_or_else(|| {
        MgError::Authentication("The sign-in service's answer has no access_token.".into())
    })?;
    let refresh_token = take(map, "refresh_token");
    // Masked by value from now on, wherever a server might repeat them (redact.rs).
    crate::redact::hold(&access_token);
    if let Some(r) = &refresh_token {
        crate::redact::hold(r);
    }
    // The id token is not used; do not keep it around.
    if let Some(Value::String(mut s)) = map.remove("id_token") {
        zeroize::Zeroize::zeroize(&mut s);
    }
    let expires_in = str_field(map, "expires_in").and_then(|s| s.parse::<i64>().ok());
    let expires_on = str_field(map, "expires_on").and_then(|s| parse_expires_on(&s));
    Ok(TokenResponse {
        access_token,
        expires_in,
        expires_on,
        refresh_token,
    })
}

/// Host (and port) of a URL for messages.
pub fn host_of(url: &str) -> String {
    crate::http_client::host_of(url, "the sign-in endpoint")
}

/// Sends a prepared request and returns status and body; transport failures become
/// `authentication` errors naming the host (never the request body).
pub async fn execute(
    builder: reqwest::RequestBuilder,
    url: &str,
    what: &str,
) -> Result<(u16, Zeroizing<String>), MgError> {
    let host = host_of(url);
    let started = std::time::Instant::now();
    let response = builder.send().await.map_err(|e| {
        // The shared wording ends with a hint about Graph that does not apply to sign-in.
        let why = crate::send::describe_transport_error(&e, &host)
            .replace(
                " Check the environment's GraphEndpoint and your network.",
                " Check your network.",
            )
            .replace(" Check the environment's GraphEndpoint.", "");
        log_queue::verbose(format!("{what}: {url} -> failed: {why}"));
        MgError::Authentication(format!("{what} failed: {why}"))
    })?;
    let mut response = response;
    let status = response.status().as_u16();
    let bytes = crate::http_client::read_body(&mut response)
        .await
        .map_err(|e| {
            MgError::Authentication(format!(
                "{what} failed: {}",
                crate::send::describe_transport_error(&e, &host)
            ))
        })?
        .ok_or_else(|| {
            MgError::Authentication(format!(
                "{what} failed: {host} answered {status} with a body larger than {} MiB, the most the module reads.",
                crate::http_client::MAX_BODY_BYTES / (1024 * 1024)
            ))
        })?;
    let bytes = Zeroizing::new(bytes);
    log_queue::verbose(format!(
        "{what}: {url} -> {status} in {} ms",
        started.elapsed().as_millis()
    ));
    Ok((
        status,
        Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned()),
    ))
}

/// A request body that is zeroized when the HTTP client lets go of it.
struct Cleared(Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for Cleared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// POSTs a form to a v2.0 endpoint. The form may hold secrets: it is zeroized after sending.
pub async fn post_form(
    url: &str,
    form: Vec<(&'static str, Zeroizing<String>)>,
    timeout: Duration,
    what: &str,
) -> Result<Zeroizing<String>, CallError> {
    let client = http_client::client_for(url)?;
    // Room for the worst case (every byte percent-encoded), so the text is never moved while it is
    // built: no stray copy of a secret is left behind in freed memory.
    let room = form
        .iter()
        .map(|(n, v)| n.len() + 3 * v.len() + 2)
        .sum::<usize>();
    let body = {
        let mut ser = url::form_urlencoded::Serializer::new(String::with_capacity(room));
        for (name, value) in &form {
            ser.append_pair(name, value);
        }
        Cleared(Zeroizing::new(ser.finish().into_bytes()))
    };
    let names: Vec<&str> = form.iter().map(|(n, _)| *n).collect();
    log_queue::debug(format!(
        "{what}: POST {url} with form fields {} (values not shown)",
        names.join(", ")
    ));
    let builder = client
        .post(url)
        .timeout(timeout)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .header(
            reqwest::header::USER_AGENT,
            http_client::user_agent().as_str(),
        )
        // The client secret, refresh token or code in the form is cleared once the body is released.
        .body(bytes::Bytes::from_owner(body));
    let (status, text) = execute(builder, url, what).await?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    match parse_error(status, &text) {
        Some(e) => {
            log_queue::verbose(format!(
                "{what}: the sign-in service answered {status} {}: {}",
                e.error, e.description
            ));
            Err(CallError::OAuth(e))
        }
        None => Err(CallError::Other(MgError::Authentication(format!(
            "{what} failed: {} answered HTTP {status} without an OAuth error body.",
            host_of(url)
        )))),
    }
}

/// Turns an OAuth error into the message a user sees, with a hint for the common causes.
pub fn explain(what: &str, e: &OAuthError) -> MgError {
    let hint = match (e.error.as_str(), e.aadsts()) {
        (_, Some("AADSTS7000215")) | (_, Some("AADSTS7000222")) => {
            " Check the client secret: it is wrong or has expired."
        }
        (_, Some("AADSTS90002")) => " Check -TenantId: the tenant does not exist.",
        (_, Some("AADSTS700016")) => {
            " Check -ClientId: no such application is registered in that tenant."
        }
        (_, Some("AADSTS700027")) | (_, Some("AADSTS700024")) => {
            " Check that this certificate is registered on the application."
        }
        ("invalid_scope", _) => " Check -Scopes.",
        _ => "",
    };
    let description = if e.description.is_empty() {
        "(no description)".to_string()
    } else {
        e.description.clone()
    };
    MgError::Authentication(format!(
        "{what} failed: {} ({}).{hint}",
        description.trim_end_matches('.'),
        e.error
    ))
}

/// Maps a [`CallError`] to the user-facing error.
pub fn into_error(what: &str, e: CallError) -> MgError {
    match e {
        CallError::OAuth(o) => explain(what, &o),
        CallError::Other(m) => m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_are_reduced_to_their_human_part() {
        let body = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2025-01-01 00:00:00Z","error_codes":[7000215]}"#;
        let e = parse_error(401, body).unwrap();
        assert_eq!(e.error, "invalid_client");
        assert_eq!(
            e.description,
            "AADSTS7000215: Invalid client secret provided."
        );
        assert_eq!(e.aadsts(), Some("AADSTS7000215"));
        let m = explain("Sign-in", &e).to_string();
        assert!(
            m.contains("Invalid client secret") && m.contains("wrong or has expired"),
            "{m}"
        );
        assert!(parse_error(500, "<html>").is_none());
        assert!(parse_error(500, r#"{"x":1}"#).is_none());
    }

    #[test]
    fn token_bodies() {
        let t = parse_token(r#"{"token_type":"Bearer","access_token":"abc","expires_in":3599,"refresh_token":"r","id_token":"i"}"#).unwrap();
        assert_eq!(t.access_token.as_str(), "abc");
        assert_eq!(t.expires_in, Some(3599));
        assert_eq!(t.refresh_token.as_ref().unwrap().as_str(), "r");
        let t =
            parse_token(r#"{"access_token":"abc","expires_in":"3600","expires_on":"1700000000"}"#)
                .unwrap();
        assert_eq!(t.expires_in, Some(3600));
        assert_eq!(t.expires_on, Some(1_700_000_000));
        assert!(t.refresh_token.is_none());
        assert!(parse_token(r#"{"token_type":"Bearer"}"#).is_err());
        assert!(parse_token("nope").is_err());
        assert_eq!(
            parse_expires_on("11/14/2023 22:13:20 +00:00"),
            Some(1_700_000_000)
        );
    }
}
