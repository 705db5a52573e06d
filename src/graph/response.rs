//! Maps an HTTP response to the `send` result: the command's output on success (its model, or
//! -PassThru's `true`), a `graph` error with the official ErrorDetails block otherwise.

use base64::Engine;
use serde_json::{json, Map, Value};

use crate::commands::table::{self, Command, Model, Property, Yield};
use crate::envelope::{headers_json, GraphError, MgError};
use crate::validate;

/// Shown as `ErrorDetails.RecommendedAction`.
pub const RECOMMENDED_ACTION: &str =
    "See service error codes: https://learn.microsoft.com/graph/errors";

/// An HTTP response as the mapper needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResponse {
    pub status: u16,
    /// In response order, one pair per value.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The name .NET's `HttpStatusCode` gives a status (`NotFound`, `TooManyRequests`...), or the
/// number when it has none.
pub fn status_name(status: u16) -> String {
    let name = match status {
        100 => "Continue",
        101 => "SwitchingProtocols",
        102 => "Processing",
        103 => "EarlyHints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "IMUsed",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        305 => "UseProxy",
        306 => "Unused",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "RequestEntityTooLarge",
        414 => "RequestUriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RequestedRangeNotSatisfiable",
        417 => "ExpectationFailed",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        506 => "VariantAlsoNegotiates",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        510 => "NotExtended",
        511 => "NetworkAuthenticationRequired",
        _ => return status.to_string(),
    };
    name.to_string()
}

/// The human reason phrase ("Not Found"), falling back to the .NET name.
pub fn reason_phrase(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(str::to_string)
        .unwrap_or_else(|| status_name(status))
}

/// Content headers live on .NET's `HttpContent`, so the official block does not list them.
const HIDDEN_HEADERS: [&str; 12] = [
    "authorization",
    "allow",
    "content-disposition",
    "content-encoding",
    "content-language",
    "content-length",
    "content-location",
    "content-md5",
    "content-range",
    "content-type",
    "expires",
    "last-modified",
];

/// First value of a header, by case-insensitive name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Longest warning text passed on; the rest is cut.
const MAX_WARNING_CHARS: usize = 1000;

/// The RFC 7234 `Warning` headers of a response as lines for Write-Warning:
/// `warn-code SP warn-agent SP "warn-text" [SP "warn-date"]`, several per header separated by
/// commas. A value that does not follow the grammar is passed on as it is.
pub fn warnings(headers: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (_, value) in headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("warning"))
    {
        match parse_warning_value(value) {
            Some(items) => out.extend(items.into_iter().map(|(code, agent, text)| {
                let from = if agent == "-" {
                    String::new()
                } else {
                    format!(" from {agent}")
                };
                format!("Graph warning {code}{from}: {}", clean_warning(&text))
            })),
            None if !value.trim().is_empty() => {
                out.push(format!("Graph warning: {}", clean_warning(value)))
            }
            None => {}
        }
    }
    out
}

fn clean_warning(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_WARNING_CHARS)
        .collect();
    cleaned.trim().to_string()
}

/// (code, agent, text) of each warning in one header value, or `None` if it is not well formed.
fn parse_warning_value(value: &str) -> Option<Vec<(String, String, String)>> {
    let mut rest = value.trim_start();
    let mut items = Vec::new();
    loop {
        let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if code.len() != 3 {
            return None;
        }
        rest = rest[3..].strip_prefix(' ')?.trim_start();
        let agent_len = rest.find(' ')?;
        let agent = rest[..agent_len].to_string();
        rest = rest[agent_len..].trim_start();
        let (text, after) = quoted(rest)?;
        rest = after.trim_start();
        if rest.starts_with('"') {
            // The optional warn-date.
            rest = quoted(rest)?.1.trim_start();
        }
        items.push((code, agent, text));
        if rest.is_empty() {
            return Some(items);
        }
        rest = rest.strip_prefix(',')?.trim_start();
        if rest.is_empty() {
            return Some(items);
        }
    }
}

/// A quoted-string at the start of `text`: its unescaped content and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let mut chars = text.strip_prefix('"')?.char_indices();
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &text[i + 2..])),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

/// The `Headers:` lines: one per header name (values joined by ", "), name padded to 30.
pub fn header_lines(headers: &[(String, String)]) -> String {
    let mut grouped: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, value) in headers {
        if HIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        match grouped
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some((_, values)) => values.push(value),
            None => grouped.push((name.clone(), vec![value])),
        }
    }
    grouped
        .iter()
        .map(|(name, values)| format!("{:<30}: {}", name, values.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Builds the `graph` error for a non-2xx response.
pub fn graph_error(raw: &RawResponse) -> GraphError {
    let name = status_name(raw.status);
    let parsed: Option<Map<String, Value>> = serde_json::from_str::<Value>(&raw.body)
        .ok()
        .and_then(|v| match v {
            Value::Object(mut m) => match m.remove("error") {
                Some(Value::Object(e)) => Some(e),
                _ => None,
            },
            _ => None,
        });
    let text = |m: &Map<String, Value>, k: &str| -> Option<String> {
        m.get(k).and_then(Value::as_str).map(str::to_string)
    };
    let (code, message, inner) = match &parsed {
        Some(e) => {
            let inner = e
                .get("innerError")
                .or_else(|| e.get("innererror"))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            (
                text(e, "code")
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| name.clone()),
                text(e, "message").unwrap_or_else(|| reason_phrase(raw.status)),
                inner,
            )
        }
        None => {
            let body = raw.body.trim();
            let message = if body.is_empty() {
                reason_phrase(raw.status)
            } else {
                // JSON that is not Graph's error envelope still goes through the redaction helper.
                match serde_json::from_str::<Value>(body) {
                    Ok(v) => crate::redact::redact_value(&v).to_string(),
                    Err(_) => body.to_string(),
                }
            };
            (name.clone(), message, Map::new())
        }
    };
    // A huge or chatty body must not become a huge message.
    let message = cut_error_text(&message);
    let date = text(&inner, "date").unwrap_or_default();
    let request_id = text(&inner, "request-id")
        .or_else(|| header(&raw.headers, "request-id").map(str::to_string))
        .unwrap_or_default();
    let error_details = format!(
        "{message}\n\nStatus: {} ({name})\nErrorCode: {code}\nDate: {date}\n\nHeaders:\n{}",
        raw.status,
        header_lines(&raw.headers)
    );
    GraphError {
        status: raw.status,
        reason: name,
        exception_message: format!("[{code}] : {message}"),
        code,
        message,
        date,
        request_id,
        error_details,
        recommended_action: RECOMMENDED_ACTION.into(),
        headers: raw.headers.clone(),
    }
}

/// The most characters of an answer's text an error message carries.
pub const MAX_ERROR_TEXT_CHARS: usize = 4096;

/// Text from an answer body as an error may show it: at most [`MAX_ERROR_TEXT_CHARS`] characters,
/// with a note saying how much was left out.
pub fn cut_error_text(text: &str) -> String {
    match text.char_indices().nth(MAX_ERROR_TEXT_CHARS) {
        None => text.to_string(),
        Some((end, _)) => format!(
            "{} [cut: the first {MAX_ERROR_TEXT_CHARS} of {} characters are shown]",
            &text[..end],
            text.chars().count()
        ),
    }
}

/// The `UnexpectedGraphResponse` error: Graph said yes, but the command cannot say what the PIN is now.
fn unexpected(command: &Command, raw: &RawResponse, user_id: &str, why: &str) -> MgError {
    MgError::InvalidResult {
        error_id: "UnexpectedGraphResponse".into(),
        message: format!(
            "Graph answered {} {} for user '{user_id}', but {why}.{}",
            raw.status,
            status_name(raw.status),
            lost_answer_note(command)
        ),
        status: raw.status,
        request_id: header(&raw.headers, "request-id")
            .unwrap_or_default()
            .to_string(),
    }
}

/// What a user should know when a change may have been made but its answer is unusable: the
/// table's note for the command, or nothing for a read.
pub fn lost_answer_note(command: &Command) -> String {
    match &command.lost_answer_note {
        Some(note) => format!(" {note}"),
        None if command.is_read() => String::new(),
        None => {
            " The change may or may not have been made; check before running the command again."
                .into()
        }
    }
}

/// One property value as the output shows it, or why it is not of the property's type. Values
/// are never quoted in the reason (a PIN or an image may be among them).
fn property_value(property: &Property, value: &Value) -> Result<Value, String> {
    let wrong = |wanted: &str| {
        format!(
            "its '{}' is {}, not {wanted}",
            property.wire,
            validate::json_type_name(value)
        )
    };
    if value.is_null() {
        return Ok(Value::Null);
    }
    match property.type_name.as_str() {
        "pin" => match value {
            Value::String(c) if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(value.clone())
            }
            Value::String(_) => Err(format!(
                "its '{}' is not a PIN (a string of digits)",
                property.wire
            )),
            _ => Err(wrong("a string")),
        },
        "string" => value
            .is_string()
            .then(|| value.clone())
            .ok_or_else(|| wrong("a string")),
        "boolean" => value
            .is_boolean()
            .then(|| value.clone())
            .ok_or_else(|| wrong("a boolean")),
        "int" => value
            .is_i64()
            .then(|| value.clone())
            .ok_or_else(|| wrong("a whole number")),
        "strings" => match value {
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(value.clone()),
            _ => Err(wrong("a list of strings")),
        },
        "datetime" => match value {
            Value::String(s) => validate::parse_date_time(s)
                .map(|d| Value::String(validate::format_utc(&d)))
                .ok_or_else(|| format!("its '{}' is not a date-time", property.wire)),
            _ => Err(wrong("a date-time string")),
        },
        "bytes" => match value {
            Value::String(s) if base64::engine::general_purpose::STANDARD.decode(s).is_ok() => {
                Ok(value.clone())
            }
            _ => Err(wrong("base64 text")),
        },
        nested => match value {
            Value::Object(map) => {
                let model = table::model(nested).map_err(|e| e.to_string())?;
                model_output(model, map, None)
            }
            _ => Err(wrong("an object")),
        },
    }
}

/// The output object of a model (docs/protocol.md): every property under its PowerShell name,
/// null when absent; keys the model does not know in `AdditionalProperties`; `UserId` for the
/// top-level object, so it pipes into the other commands of the family.
pub fn model_output(
    model: &Model,
    body_map: &Map<String, Value>,
    user_id: Option<&str>,
) -> Result<Value, String> {
    let mut known: Vec<Option<&Value>> = vec![None; model.properties.len()];
    let mut additional = Map::new();
    for (k, v) in body_map {
        match model
            .properties
            .iter()
            .position(|p| p.wire.eq_ignore_ascii_case(k))
        {
            Some(i) if known[i].is_none() => known[i] = Some(v),
            _ => {
                additional.insert(k.clone(), v.clone());
            }
        }
    }
    let mut out = Map::new();
    if let Some(user_id) = user_id.filter(|_| model.with_user_id) {
        out.insert("UserId".into(), Value::String(user_id.into()));
    }
    for (p, v) in model.properties.iter().zip(known) {
        out.insert(
            p.name.clone(),
            property_value(p, v.unwrap_or(&Value::Null))?,
        );
    }
    out.insert("AdditionalProperties".into(), Value::Object(additional));
    Ok(Value::Object(out))
}

/// The output of a 2xx answer for a command whose answer is a model, or why it has none.
fn success_output(
    command: &Command,
    model: &Model,
    raw: &RawResponse,
    user_id: &str,
) -> Result<Value, String> {
    let body = raw.body.trim();
    if raw.status == 204 || body.is_empty() {
        return Err(format!(
            "its answer has no body, so there is no {} to show",
            command.output_model.as_deref().unwrap_or("object")
        ));
    }
    let map = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            return Err(format!(
                "its body is {}, not a {} object",
                validate::json_type_name(&other),
                command.output_model.as_deref().unwrap_or("JSON")
            ))
        }
        Err(_) => {
            return Err(format!(
                "its body is not valid JSON ({} bytes)",
                raw.body.len()
            ))
        }
    };
    for wire in &command.output_requires {
        if map.get(wire).map_or(true, Value::is_null) {
            return Err(format!("its body has no '{wire}'"));
        }
    }
    model_output(model, &map, Some(user_id))
}

/// One page of a list: its items as output objects of the command's model, Graph's count (with
/// `$count=true`) and the address of the next page.
pub struct Page {
    pub items: Vec<Value>,
    pub count: Option<Value>,
    pub next_link: Option<String>,
}

/// Maps the answer to a list request: a `graph` error, a page, or `UnexpectedGraphResponse` for a
/// 2xx that is not a collection of the model.
pub fn map_page(command: &Command, raw: &RawResponse) -> Result<Page, MgError> {
    if !(200..300).contains(&raw.status) {
        return Err(MgError::Graph(Box::new(graph_error(raw))));
    }
    let name = command.output_model.as_deref().unwrap_or("");
    let model = table::model(name)?;
    let unusable = |why: String| unexpected(command, raw, "(list)", &why);
    let map = match serde_json::from_str::<Value>(raw.body.trim()) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            return Err(unusable(format!(
                "its body is {}, not a collection",
                validate::json_type_name(&other)
            )))
        }
        Err(_) => {
            return Err(unusable(format!(
                "its body is not valid JSON ({} bytes)",
                raw.body.len()
            )))
        }
    };
    let Some(Value::Array(values)) = map.get("value") else {
        return Err(unusable("its body has no 'value' list".into()));
    };
    let mut items = Vec::with_capacity(values.len());
    for item in values {
        match item {
            Value::Object(m) => items.push(model_output(model, m, None).map_err(unusable)?),
            other => {
                return Err(unusable(format!(
                    "an item of its 'value' is {}, not a {name} object",
                    validate::json_type_name(other)
                )))
            }
        }
    }
    Ok(Page {
        items,
        count: map.get("@odata.count").cloned(),
        next_link: map
            .get("@odata.nextLink")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// Maps a final response to the `send` result value, a `graph` error, or an
/// `UnexpectedGraphResponse` error for a 2xx the command cannot use.
pub fn map_response(
    command: &Command,
    raw: &RawResponse,
    user_id: &str,
    pass_thru: bool,
) -> Result<Value, MgError> {
    if !(200..300).contains(&raw.status) {
        return Err(MgError::Graph(Box::new(graph_error(raw))));
    }
    let yields =
        command
            .output
            .get(&raw.status)
            .copied()
            .unwrap_or(if command.output_model.is_some() {
                Yield::Model
            } else {
                Yield::PassThru
            });
    let (model_name, output) = match (yields, &command.output_model) {
        (Yield::Model, Some(name)) => {
            let model = table::model(name)?;
            let output = success_output(command, model, raw, user_id)
                .map_err(|why| unexpected(command, raw, user_id, &why))?;
            (Value::String(name.clone()), output)
        }
        _ => (
            Value::Null,
            if pass_thru {
                Value::Bool(true)
            } else {
                Value::Null
            },
        ),
    };
    Ok(json!({
        "status": raw.status,
        "reason": status_name(raw.status),
        "headers": headers_json(&raw.headers),
        "model": model_name,
        "output": output,
    }))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    /// A header list from literal pairs (also used by http_log's tests).
    pub(crate) fn pin() -> &'static Command {
        table::command("Update-MgBetaUserAuthenticationQrCodePinMethodPin").unwrap()
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn other_models_and_pass_thru() {
        let get = table::command("Get-MgBetaUserAuthenticationQrCodePinMethod").unwrap();
        let v = map_response(
            get,
            &raw(
                200,
                r#"{"id":"m1","createdDateTime":"2026-01-02T03:04:05Z","isUsable":true,
                "pin":{"code":null,"forceChangePinNextSignIn":false},
                "standardQRCode":{"id":"s1","expireDateTime":"2026-12-01T00:00:00Z","image":null},
                "temporaryQRCode":null}"#,
            ),
            "u",
            false,
        )
        .unwrap();
        assert_eq!(v["model"], "qrCodePinAuthenticationMethod");
        let out = &v["output"];
        assert_eq!(out["UserId"], "u");
        assert_eq!(out["CreatedDateTime"], "2026-01-02T03:04:05.0000000Z");
        assert_eq!(out["Pin"]["Code"], Value::Null);
        assert!(
            out["Pin"].get("UserId").is_none(),
            "nested objects name no user"
        );
        assert_eq!(
            out["StandardQrCode"]["ExpireDateTime"],
            "2026-12-01T00:00:00.0000000Z"
        );
        assert_eq!(out["TemporaryQrCode"], Value::Null);
        assert_eq!(out["AdditionalProperties"], json!({"isUsable": true}));

        let update =
            table::command("Update-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode").unwrap();
        let v = map_response(
            update,
            &raw(201, r#"{"id":"s2","image":{"binaryValue":"AQL/","version":3,"errorCorrectionLevel":"m"}}"#),
            "u",
            false,
        )
        .unwrap();
        assert_eq!(v["output"]["Image"]["BinaryValue"], "AQL/");
        assert_eq!(v["output"]["Image"]["Version"], 3);
        let e = map_response(
            update,
            &raw(201, r#"{"image":{"rawContent":"%%"}}"#),
            "u",
            false,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("'rawContent' is a string, not base64 text"),
            "{e}"
        );
        assert!(
            e.to_string().contains("may or may not have been created"),
            "{e}"
        );

        let remove = table::command("Remove-MgBetaUserAuthenticationQrCodePinMethod").unwrap();
        let v = map_response(remove, &raw(204, ""), "u", true).unwrap();
        assert_eq!(
            (v["model"].clone(), v["output"].clone()),
            (Value::Null, Value::Bool(true))
        );
        let v = map_response(remove, &raw(204, ""), "u", false).unwrap();
        assert_eq!(v["output"], Value::Null);
        let e = map_response(
            remove,
            &raw(404, r#"{"error":{"code":"NotFound","message":"m"}}"#),
            "u",
            true,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "graph");
    }

    pub(crate) fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn warning_headers_become_lines() {
        let lines = warnings(&h(&[
            (
                "Warning",
                r#"299 - "This API is deprecated; use v1.0." "Wed, 21 Oct 2015 07:28:00 GMT""#,
            ),
            ("request-id", "r1"),
            (
                "warning",
                r#"110 proxy.contoso.com:8080 "Response is \"stale\"", 199 - "second""#,
            ),
            ("Warning", "not the grammar\r\nat all"),
            ("Warning", "  "),
        ]));
        assert_eq!(
            lines,
            vec![
                "Graph warning 299: This API is deprecated; use v1.0.".to_string(),
                r#"Graph warning 110 from proxy.contoso.com:8080: Response is "stale""#.to_string(),
                "Graph warning 199: second".to_string(),
                "Graph warning: not the grammar  at all".to_string(),
            ]
        );
        assert!(warnings(&h(&[("request-id", "r1")])).is_empty());
        let long = format!("299 - \"{}\"", "a".repeat(5000));
        assert_eq!(
            warnings(&h(&[("Warning", &long)]))[0].len(),
            "Graph warning 299: ".len() + MAX_WARNING_CHARS
        );
    }

    #[test]
    fn success_body_maps_to_the_qr_pin_object() {
        let raw = RawResponse {
            status: 201,
            headers: h(&[("request-id", "r1"), ("content-type", "application/json")]),
            body: r##"{"@odata.context":"https://graph/$metadata#x","@odata.type":"#microsoft.graph.qrPin",
                "code":"09599786","forceChangePinNextSignIn":true,
                "createdDateTime":"2025-03-04T22:45:37.2605385Z","updatedDateTime":"2025-03-04T23:45:37+01:00"}"##
                .into(),
        };
        let v = map_response(pin(), &raw, "u@x", false).unwrap();
        assert_eq!(
            v,
            json!({"status": 201, "reason": "Created",
                "headers": [["request-id", "r1"], ["content-type", "application/json"]],
                "model": "qrPin",
                "output": {"UserId": "u@x", "Id": null, "Code": "09599786",
                    "CreatedDateTime": "2025-03-04T22:45:37.2605385Z",
                    "UpdatedDateTime": "2025-03-04T22:45:37.0000000Z",
                    "ForceChangePinNextSignIn": true,
                    "AdditionalProperties": {"@odata.context": "https://graph/$metadata#x",
                        "@odata.type": "#microsoft.graph.qrPin"}}})
        );
    }

    #[test]
    fn a_success_without_a_well_formed_qr_pin_is_an_unexpected_response() {
        for (status, body, why) in [
            (204, "", "has no body"),
            (200, "", "has no body"),
            (201, "   ", "has no body"),
            (201, "[]", "body is an array, not a qrPin object"),
            (201, r#""12345678""#, "body is a string, not a qrPin object"),
            (201, "null", "body is null, not a qrPin object"),
            (201, "{\"code\":", "body is not valid JSON (8 bytes)"),
            (201, "{}", "body has no 'code'"),
            (201, r#"{"code":null}"#, "body has no 'code'"),
            (
                201,
                r#"{"code":12345678}"#,
                "'code' is a number, not a string",
            ),
            (201, r#"{"code":""}"#, "'code' is not a PIN"),
            (201, r#"{"code":"1234 678"}"#, "'code' is not a PIN"),
            (
                201,
                r#"{"code":"12345678","id":5}"#,
                "'id' is a number, not a string",
            ),
            (
                201,
                r#"{"code":"12345678","forceChangePinNextSignIn":"yes"}"#,
                "'forceChangePinNextSignIn' is a string, not a boolean",
            ),
            (
                201,
                r#"{"code":"12345678","createdDateTime":7}"#,
                "'createdDateTime' is a number, not a date-time string",
            ),
            (
                201,
                r#"{"code":"12345678","updatedDateTime":"soon"}"#,
                "'updatedDateTime' is not a date-time",
            ),
        ] {
            let e = map_response(
                pin(),
                &RawResponse {
                    status,
                    headers: h(&[("request-id", "r7")]),
                    body: body.into(),
                },
                "u@x",
                false,
            )
            .unwrap_err();
            let MgError::InvalidResult {
                error_id,
                message,
                status: s,
                request_id,
            } = &e
            else {
                panic!("{body}: {e:?}")
            };
            assert_eq!(
                (error_id.as_str(), *s, request_id.as_str()),
                ("UnexpectedGraphResponse", status, "r7")
            );
            assert!(message.contains(why), "{body}: {message}");
            assert!(
                message.starts_with(&format!("Graph answered {status} "))
                    && message.contains("user 'u@x'")
                    && message.contains("may or may not have changed"),
                "{message}"
            );
            assert!(
                !message.contains("12345678"),
                "a value is quoted: {message}"
            );
            assert_eq!(e.kind(), "invalid_result");
        }
        // Nulls and absent optional properties are fine.
        let v = map_response(
            pin(),
            &RawResponse {
                status: 200,
                headers: vec![],
                body: r#"{"code":"01234567","id":null,"forceChangePinNextSignIn":null}"#.into(),
            },
            "u",
            false,
        )
        .unwrap();
        assert_eq!(v["output"]["Code"], "01234567");
        assert_eq!(v["output"]["ForceChangePinNextSignIn"], Value::Null);
    }

    #[test]
    fn error_texts_are_cut_with_a_note() {
        assert_eq!(cut_error_text("short"), "short");
        let exact = "é".repeat(MAX_ERROR_TEXT_CHARS);
        assert_eq!(cut_error_text(&exact), exact);
        let g = graph_error(&RawResponse {
            status: 400,
            headers: vec![],
            body: "x".repeat(1_000_000),
        });
        assert_eq!(
            g.message,
            format!(
                "{} [cut: the first 4096 of 1000000 characters are shown]",
                "x".repeat(4096)
            )
        );
        assert!(g.exception_message.len() < 4200);
        assert!(g.error_details.len() < 4400);
        let body = format!(
            r#"{{"error":{{"code":"badRequest","message":"{}"}}}}"#,
            "é".repeat(5000)
        );
        let g = graph_error(&RawResponse {
            status: 400,
            headers: vec![],
            body,
        });
        assert!(g
            .message
            .ends_with("[cut: the first 4096 of 5000 characters are shown]"));
    }

    #[test]
    fn graph_error_body_is_mapped() {
        let raw = RawResponse {
            status: 404,
            headers: h(&[
                ("cache-control", "no-cache"),
                ("content-type", "application/json"),
                ("request-id", "8b1b-req"),
                ("client-request-id", "c-1"),
                ("x-ms-ags-diagnostic", r#"{"ServerInfo":{"DataCenter":"West US"}}"#),
                ("date", "Tue, 04 Mar 2025 22:45:37 GMT"),
                ("content-length", "250"),
            ]),
            body: r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'u' does not exist or one of its queried reference-property objects are not present.","innerError":{"date":"2025-03-04T22:45:37","request-id":"8b1b-req","client-request-id":"c-1"}}}"#.into(),
        };
        let MgError::Graph(g) = map_response(pin(), &raw, "u", false).unwrap_err() else {
            panic!()
        };
        assert_eq!(g.status, 404);
        assert_eq!(g.reason, "NotFound");
        assert_eq!(g.code, "Request_ResourceNotFound");
        assert_eq!(g.date, "2025-03-04T22:45:37");
        assert_eq!(g.request_id, "8b1b-req");
        assert_eq!(
            g.exception_message,
            "[Request_ResourceNotFound] : Resource 'u' does not exist or one of its queried reference-property objects are not present."
        );
        let expected = "Resource 'u' does not exist or one of its queried reference-property objects are not present.\n\
\n\
Status: 404 (NotFound)\n\
ErrorCode: Request_ResourceNotFound\n\
Date: 2025-03-04T22:45:37\n\
\n\
Headers:\n\
cache-control                 : no-cache\n\
request-id                    : 8b1b-req\n\
client-request-id             : c-1\n\
x-ms-ags-diagnostic           : {\"ServerInfo\":{\"DataCenter\":\"West US\"}}\n\
date                          : Tue, 04 Mar 2025 22:45:37 GMT";
        assert_eq!(g.error_details, expected);
        assert_eq!(g.recommended_action, RECOMMENDED_ACTION);
        assert_eq!(g.headers.len(), 7);
    }

    #[test]
    fn non_json_and_empty_error_bodies() {
        let g = graph_error(&RawResponse {
            status: 502,
            headers: vec![],
            body: "<html>Bad gateway</html>".into(),
        });
        assert_eq!(g.code, "BadGateway");
        assert_eq!(g.message, "<html>Bad gateway</html>");
        assert_eq!(
            g.exception_message,
            "[BadGateway] : <html>Bad gateway</html>"
        );
        assert_eq!(g.date, "");
        assert!(
            g.error_details.ends_with("Date: \n\nHeaders:\n"),
            "{:?}",
            g.error_details
        );

        let g = graph_error(&RawResponse {
            status: 503,
            headers: h(&[("retry-after", "2")]),
            body: String::new(),
        });
        assert_eq!(g.code, "ServiceUnavailable");
        assert_eq!(g.message, "Service Unavailable");
        assert!(g
            .error_details
            .ends_with("retry-after                   : 2"));

        let g = graph_error(&RawResponse {
            status: 429,
            headers: vec![],
            body: r#"{"other":1}"#.into(),
        });
        assert_eq!(g.code, "TooManyRequests");
        assert_eq!(g.message, r#"{"other":1}"#);

        // A JSON body that is not Graph's envelope may echo what was sent: secrets are redacted.
        let g = graph_error(&RawResponse {
            status: 400,
            headers: vec![],
            body: r#"{"code":"09599786","access_token":"eyJ"}"#.into(),
        });
        assert_eq!(g.code, "BadRequest");
        assert_eq!(
            g.exception_message,
            r#"[BadRequest] : {"code":"<redacted>","access_token":"<redacted>"}"#
        );
        assert!(!g.error_details.contains("09599786"));
    }

    #[test]
    fn header_lines_group_pad_and_keep_every_character() {
        let lines = header_lines(&h(&[
            ("a", "1"),
            ("Authorization", "Bearer secret"),
            ("set-cookie", "x=1"),
            ("set-cookie", "y=2"),
            ("a-very-long-header-name-over-thirty-chars", "v"),
            ("Content-Encoding", "gzip"),
            ("last", "xyz"),
        ]));
        assert_eq!(
            lines,
            format!(
                "{}: 1\n{}: x=1, y=2\na-very-long-header-name-over-thirty-chars: v\n{}: xyz",
                format_args!("{:<30}", "a"),
                format_args!("{:<30}", "set-cookie"),
                format_args!("{:<30}", "last"),
            )
        );
        assert!(!lines.contains("secret"));
    }

    #[test]
    fn status_names() {
        for (code, name) in [
            (400, "BadRequest"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "NotFound"),
            (429, "TooManyRequests"),
            (500, "InternalServerError"),
            (503, "ServiceUnavailable"),
            (504, "GatewayTimeout"),
            (201, "Created"),
            (299, "299"),
        ] {
            assert_eq!(status_name(code), name);
        }
        assert_eq!(reason_phrase(404), "Not Found");
    }
}
