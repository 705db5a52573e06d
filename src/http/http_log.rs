//! The text of the cmdlet's diagnostics: the one `-Verbose` line per HTTP attempt, and the `-Debug`
//! request and response blocks in the layout of the official module's HttpMessageLogFormatter.
//! Callers format only what will be shown (send.rs); nothing here sees a token, and bodies pass
//! through the redaction helper (redact.rs).

use std::time::Duration;

use serde_json::Value;

use crate::redact;
use crate::response;

/// Headers never shown, whatever their case.
const NEVER_SHOWN: [&str; 2] = ["authorization", "proxy-authorization"];

/// The `Headers:` lines: one per name, in first-seen order, `{name,-30}: {values joined by ","}`
/// as HttpMessageLogFormatter writes them, but without its cut of the last character.
pub fn header_lines(headers: &[(String, String)]) -> String {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, value) in headers {
        if NEVER_SHOWN.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        match grouped
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some((_, values)) => values.push(value),
            None => grouped.push((name, vec![value])),
        }
    }
    grouped
        .iter()
        .map(|(name, values)| format!("{:<30}: {}", name, values.join(",")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A body as the debug block shows it: a JSON object or array pretty-printed with every secret
/// redacted; nothing for an empty body; for anything else only its size, since text we cannot
/// parse cannot be redacted.
pub fn body_text(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(v @ (Value::Object(_) | Value::Array(_))) => {
            serde_json::to_string_pretty(&redact::redact_value(&v))
                .unwrap_or_else(|_| format!("({} bytes, not shown)", text.len()))
        }
        _ => format!(
            "({} bytes of text that is not a JSON object, not shown: it cannot be checked for secrets)",
            text.len()
        ),
    }
}

/// The `-Debug` block of a request as sent: method, absolute URI, headers (without
/// `Authorization`) and the redacted body.
pub fn request_block(method: &str, url: &str, headers: &[(String, String)], body: &str) -> String {
    format!(
        "============================ HTTP REQUEST ============================\n\n\
HTTP Method:\n{method}\n\n\
Absolute Uri:\n{url}\n\n\
Headers:\n{}\n\n\
Body:\n{}\n\n",
        header_lines(headers),
        body_text(body)
    )
}

/// The `-Debug` block of a response: the status as .NET names it (`Created`), headers and the
/// redacted body.
pub fn response_block(status: u16, headers: &[(String, String)], body: &str) -> String {
    format!(
        "============================ HTTP RESPONSE ============================\n\n\
Status Code:\n{}\n\n\
Headers:\n{}\n\n\
Body:\n{}\n\n",
        response::status_name(status),
        header_lines(headers),
        body_text(body)
    )
}

/// How an attempt ended.
pub enum Outcome<'a> {
    /// Graph (or something in between) answered with this status.
    Answered(u16),
    /// No answer: the transport failure in words.
    Failed(&'a str),
}

/// What follows an attempt.
pub enum Next {
    /// Nothing: this attempt's outcome is the item's result.
    Done,
    /// Another attempt after this wait.
    Retry(Duration),
    /// Another attempt at once, with a renewed token (after a 401).
    Renew,
}

/// The attempt being logged: `number` of `of` (1-based, as the `Retry-Attempt` header counts).
pub struct Attempt<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub elapsed: Duration,
    pub request_id: Option<&'a str>,
    pub number: u32,
    pub of: u32,
}

/// The one `-Verbose` line of an HTTP attempt, e.g.
/// `PATCH https://graph.microsoft.com/beta/users/u/authentication/qrCodePinMethod/pin -> 429 TooManyRequests in 41 ms (request-id r, attempt 2 of 4); retrying in 2.0 s`.
pub fn attempt_line(a: &Attempt<'_>, outcome: &Outcome<'_>, next: &Next) -> String {
    let what = match outcome {
        Outcome::Answered(status) => format!("{status} {}", response::status_name(*status)),
        Outcome::Failed(why) => format!("failed: {}", why.trim().trim_end_matches('.')),
    };
    let then = match next {
        Next::Done => String::new(),
        Next::Retry(wait) => format!("; retrying in {:.1} s", wait.as_secs_f64()),
        Next::Renew => "; renewing the token and sending again".to_string(),
    };
    format!(
        "{} {} -> {what} in {} ms (request-id {}, attempt {} of {}){then}",
        a.method,
        a.url,
        a.elapsed.as_millis(),
        a.request_id.unwrap_or("none"),
        a.number,
        a.of
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::tests::h;
    use pretty_assertions::assert_eq;

    #[test]
    fn request_block_has_the_official_layout_without_authorization_or_pin() {
        let block = request_block(
            "PATCH",
            "https://graph.microsoft.com/beta/users/a%40b/authentication/qrCodePinMethod/pin",
            &h(&[
                ("Content-Type", "application/json"),
                ("authorization", "Bearer secret-token"),
                ("User-Agent", "Microsoft.Graph.Rs/0.1"),
                ("client-request-id", "c-1"),
                ("x-Custom", "1"),
                ("X-custom", "2"),
            ]),
            r#"{"code":"09599786","forceChangePinNextSignIn":true}"#,
        );
        let expected = "============================ HTTP REQUEST ============================\n\
\n\
HTTP Method:\n\
PATCH\n\
\n\
Absolute Uri:\n\
https://graph.microsoft.com/beta/users/a%40b/authentication/qrCodePinMethod/pin\n\
\n\
Headers:\n\
Content-Type                  : application/json\n\
User-Agent                    : Microsoft.Graph.Rs/0.1\n\
client-request-id             : c-1\n\
x-Custom                      : 1,2\n\
\n\
Body:\n\
{\n  \"code\": \"<redacted>\",\n  \"forceChangePinNextSignIn\": true\n}\n\
\n";
        assert_eq!(block, expected);
        assert!(!block.contains("secret-token"));
        assert!(!block.contains("09599786"));
    }

    #[test]
    fn response_block_names_the_status_and_keeps_the_last_character() {
        let block = response_block(
            201,
            &h(&[("request-id", "r-1"), ("x-ms-resource-unit", "1")]),
            r##"{"@odata.type":"#microsoft.graph.qrPin","code":"09599786"}"##,
        );
        assert_eq!(
            block,
            "============================ HTTP RESPONSE ============================\n\n\
Status Code:\nCreated\n\n\
Headers:\nrequest-id                    : r-1\nx-ms-resource-unit            : 1\n\n\
Body:\n{\n  \"@odata.type\": \"#microsoft.graph.qrPin\",\n  \"code\": \"<redacted>\"\n}\n\n"
        );
        let empty = response_block(204, &[], "");
        assert_eq!(
            empty,
            "============================ HTTP RESPONSE ============================\n\n\
Status Code:\nNoContent\n\nHeaders:\n\n\nBody:\n\n\n"
        );
    }

    #[test]
    fn bodies_that_cannot_be_redacted_are_not_shown() {
        assert_eq!(body_text("   "), "");
        let html = "<html>12345678</html>";
        let shown = body_text(html);
        assert!(shown.starts_with("(21 bytes of text"), "{shown}");
        assert!(!shown.contains("12345678"));
        assert!(!body_text(r#"{"code":"1234"#).contains("1234"));
        assert!(!body_text(r#""12345678""#).contains("12345678"));
        assert_eq!(
            body_text(r#"[{"access_token":"t"}]"#),
            "[\n  {\n    \"access_token\": \"<redacted>\"\n  }\n]"
        );
    }

    #[test]
    fn attempt_lines() {
        let a = Attempt {
            method: "PATCH",
            url: "https://graph.microsoft.com/beta/users/u/authentication/qrCodePinMethod/pin",
            elapsed: Duration::from_millis(41),
            request_id: Some("r-9"),
            number: 2,
            of: 4,
        };
        assert_eq!(
            attempt_line(&a, &Outcome::Answered(429), &Next::Retry(Duration::from_secs(2))),
            "PATCH https://graph.microsoft.com/beta/users/u/authentication/qrCodePinMethod/pin -> 429 TooManyRequests in 41 ms (request-id r-9, attempt 2 of 4); retrying in 2.0 s"
        );
        assert_eq!(
            attempt_line(&a, &Outcome::Answered(201), &Next::Done),
            "PATCH https://graph.microsoft.com/beta/users/u/authentication/qrCodePinMethod/pin -> 201 Created in 41 ms (request-id r-9, attempt 2 of 4)"
        );
        assert!(attempt_line(&a, &Outcome::Answered(401), &Next::Renew)
            .ends_with("(request-id r-9, attempt 2 of 4); renewing the token and sending again"));
        let failed = Attempt {
            request_id: None,
            number: 1,
            ..a
        };
        assert_eq!(
            attempt_line(
                &failed,
                &Outcome::Failed("The connection to 127.0.0.1:9 was refused."),
                &Next::Done
            ),
            "PATCH https://graph.microsoft.com/beta/users/u/authentication/qrCodePinMethod/pin -> failed: The connection to 127.0.0.1:9 was refused in 41 ms (request-id none, attempt 1 of 4)"
        );
    }
}
