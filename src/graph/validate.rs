//! Input rules: user ids, PIN codes, booleans, date-times and request headers.
//!
//! Messages name the parameter and the rule and never repeat a PIN.

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use serde_json::Value;

use crate::envelope::MgError;

/// Shortest and longest PIN Graph accepts.
pub const CODE_MIN_LEN: usize = 8;
pub const CODE_MAX_LEN: usize = 20;

/// A short, safe description of a JSON value's type for messages (never the value itself).
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `UserId`: non-empty, not only whitespace, no control characters, and not a `.`/`..` path
/// segment (those would be collapsed by URL normalisation and address another resource).
pub fn user_id(value: &str, parameter: &str) -> Result<(), MgError> {
    let subject = if parameter == "UserId" {
        "UserId".to_string()
    } else {
        format!("{parameter}.UserId")
    };
    let fail = |rule: &str| {
        Err(MgError::invalid(
            "InvalidUserId",
            parameter,
            format!("{subject} {rule}"),
        ))
    };
    if value.is_empty() {
        return fail("cannot be empty. Pass the user's object id or user principal name.");
    }
    if value.chars().all(char::is_whitespace) {
        return fail(
            "cannot consist only of whitespace. Pass the user's object id or user principal name.",
        );
    }
    if value.chars().any(char::is_control) {
        return fail("cannot contain control characters (such as tab, CR or LF).");
    }
    if value.contains('\u{FFFD}') {
        return fail("contains U+FFFD, the replacement character: the text had half of a UTF-16 surrogate pair, or bytes that were not valid text, and would name another user.");
    }
    if value.chars().all(|c| c.is_whitespace() || invisible(c)) {
        return fail("consists only of invisible characters (such as zero-width spaces). Pass the user's object id or user principal name.");
    }
    if value == "." || value == ".." {
        return fail("cannot be '.' or '..'.");
    }
    Ok(())
}

/// Characters that show as nothing: Unicode's default-ignorable code points (zero-width spaces and
/// joiners, bidirectional marks, variation selectors, fillers, tags...).
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// Starts a `-Code` argument that was not a string when PowerShell bound it; its .NET type name
/// follows (module/ArgumentAttributes.ps1). U+FDD0 is a noncharacter, never part of a PIN.
pub const NOT_A_STRING_MARK: char = '\u{FDD0}';

/// .NET types whose values PowerShell writes as digits, losing leading zeros.
const DOTNET_NUMBERS: [&str; 12] = [
    "System.Byte",
    "System.SByte",
    "System.Int16",
    "System.UInt16",
    "System.Int32",
    "System.UInt32",
    "System.Int64",
    "System.UInt64",
    "System.Single",
    "System.Double",
    "System.Decimal",
    "System.Numerics.BigInteger",
];

/// `Code`: a string of 8-20 ASCII digits. Numbers are refused because they lose leading zeros.
pub fn code(value: &Value, parameter: &str) -> Result<String, MgError> {
    let text = match value {
        Value::String(s) if s.starts_with(NOT_A_STRING_MARK) => {
            let type_name = &s[NOT_A_STRING_MARK.len_utf8()..];
            let why = if DOTNET_NUMBERS.contains(&type_name) {
                "a number loses its leading zeros"
            } else {
                "PowerShell would send its text form"
            };
            return Err(MgError::invalid(
                "InvalidCode",
                parameter,
                format!(
                    "{parameter}: the PIN code must be a string of {CODE_MIN_LEN} to {CODE_MAX_LEN} digits, not a {} ({why}). Quote it, for example -{parameter} '01234567'.",
                    type_name.chars().filter(|c| !c.is_control()).take(200).collect::<String>()
                ),
            ));
        }
        Value::String(s) => s,
        Value::Number(_) => {
            return Err(MgError::invalid(
                "InvalidCode",
                parameter,
                format!(
                    "{parameter}: the PIN code must be a string of {CODE_MIN_LEN} to {CODE_MAX_LEN} digits, not a number \
                     (a number loses leading zeros). Quote it, for example code = '01234567'."
                ),
            ))
        }
        other => {
            return Err(MgError::invalid(
                "InvalidCode",
                parameter,
                format!(
                    "{parameter}: the PIN code must be a string of {CODE_MIN_LEN} to {CODE_MAX_LEN} digits, not {}.",
                    json_type_name(other)
                ),
            ))
        }
    };
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(MgError::invalid(
            "InvalidCode",
            parameter,
            format!(
                "{parameter}: the PIN code may contain only the ASCII digits 0-9; the value given contains another character."
            ),
        ));
    }
    let len = text.len();
    if !(CODE_MIN_LEN..=CODE_MAX_LEN).contains(&len) {
        return Err(MgError::invalid(
            "InvalidCode",
            parameter,
            format!(
                "{parameter}: the PIN code must be {CODE_MIN_LEN} to {CODE_MAX_LEN} digits long; the value given is {}.",
                if len < CODE_MIN_LEN { "too short" } else { "too long" }
            ),
        ));
    }
    Ok(text.clone())
}

/// `ForceChangePinNextSignIn`: a JSON boolean.
pub fn boolean(value: &Value, parameter: &str) -> Result<bool, MgError> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(MgError::invalid(
            "InvalidBodyParameter",
            parameter,
            format!(
                "{parameter} must be a boolean ($true or $false), not {}.",
                json_type_name(other)
            ),
        )),
    }
}

/// A plain string property such as `Id`.
pub fn string(value: &Value, parameter: &str) -> Result<String, MgError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(MgError::invalid(
            "InvalidBodyParameter",
            parameter,
            format!(
                "{parameter} must be a string, not {}.",
                json_type_name(other)
            ),
        )),
    }
}

/// Formats a UTC instant the way Graph and .NET's `o` format do: `yyyy-MM-ddTHH:mm:ss.fffffffZ`.
pub fn format_utc(dt: &DateTime<Utc>) -> String {
    // 100 ns ticks; a leap second (nanos >= 1e9) is clamped to the last tick of the second.
    let ticks = (dt.nanosecond() / 100).min(9_999_999);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        ticks
    )
}

/// Parses a date-time text to UTC. RFC 3339 (any offset, any number of fractional digits) is
/// the rule; a date-time without an offset, or a bare date, is read as local time, which is
/// what .NET's `ToUniversalTime` does with an unspecified `DateTime`.
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|dt| dt.with_timezone(&Utc))
}

/// A date-time parameter: an RFC 3339 string, normalised to UTC with 7 fractional digits.
pub fn date_time(value: &Value, parameter: &str) -> Result<String, MgError> {
    let text = match value {
        Value::String(s) => s,
        other => {
            return Err(MgError::invalid(
                "InvalidDateTime",
                parameter,
                format!(
                    "{parameter} must be a date-time (a [datetime] or an RFC 3339 string such as 2025-03-04T22:45:37Z), not {}.",
                    json_type_name(other)
                ),
            ))
        }
    };
    let dt = parse_date_time(text).ok_or_else(|| {
        MgError::invalid(
            "InvalidDateTime",
            parameter,
            format!(
                "{parameter}: '{}' is not a valid date-time. Use a [datetime] or an RFC 3339 string such as 2025-03-04T22:45:37Z.",
                text.chars().take(64).collect::<String>()
            ),
        )
    })?;
    if !(1..=9999).contains(&dt.year()) {
        return Err(MgError::invalid(
            "InvalidDateTime",
            parameter,
            format!("{parameter}: the date-time is outside the years 0001-9999."),
        ));
    }
    Ok(format_utc(&dt))
}

/// HTTP token characters (RFC 9110 `tchar`).
pub fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Headers the library owns or that would break the request's framing.
const FORBIDDEN_HEADERS: [&str; 13] = [
    "authorization",
    "content-type",
    "host",
    "content-length",
    "proxy-authorization",
    "transfer-encoding",
    "connection",
    "upgrade",
    // Hop-by-hop: they describe one connection, which the HTTP client owns.
    "keep-alive",
    "te",
    "trailer",
    "proxy-connection",
    "expect",
];

/// A `-Headers` name: a non-empty HTTP token that the library does not reserve.
pub fn header_name(name: &str) -> Result<(), MgError> {
    if name.is_empty() || !name.chars().all(is_tchar) {
        return Err(MgError::invalid(
            "InvalidHeader",
            "Headers",
            format!(
                "Headers: '{}' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only, no spaces or colons).",
                name.escape_debug()
            ),
        ));
    }
    let lower = name.to_ascii_lowercase();
    if FORBIDDEN_HEADERS.contains(&lower.as_str()) {
        let why = match lower.as_str() {
            "authorization" => "the access token comes from Connect-MgGraph",
            "content-type" => "the body is always JSON and the module says so itself",
            "proxy-authorization" => "proxy credentials come from -ProxyCredential",
            "connection" | "upgrade" | "keep-alive" | "te" | "trailer" | "proxy-connection"
            | "expect" => {
                "it is a hop-by-hop header, which the HTTP client manages for its connection"
            }
            _ => "the HTTP client sets it",
        };
        return Err(MgError::invalid(
            "InvalidHeader",
            "Headers",
            format!("Headers: the header '{name}' cannot be set here because {why}."),
        ));
    }
    Ok(())
}

/// A `-Headers` value: no CR, LF or other control characters except tab.
pub fn header_value(name: &str, value: &str) -> Result<(), MgError> {
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(MgError::invalid(
            "InvalidHeader",
            "Headers",
            format!("Headers: the value of '{name}' contains a line break or another control character."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id_of(e: MgError) -> String {
        match e {
            MgError::InvalidArgument { error_id, .. } => error_id,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn user_id_rules() {
        assert!(user_id("a@contoso.com", "UserId").is_ok());
        assert!(user_id("x y/z#?", "UserId").is_ok());
        assert!(user_id("ü", "UserId").is_ok());
        assert!(user_id("a\u{200B}b", "UserId").is_ok());
        for bad in [
            "",
            " ",
            "\t \n",
            "a\u{0}b",
            "a\nb",
            "a\u{7f}",
            ".",
            "..",
            "\u{200B}",
            "\u{200B}\u{FEFF} \u{2060}\u{00AD}",
            "\u{E0041}",
            "a\u{FFFD}b",
        ] {
            assert_eq!(
                id_of(user_id(bad, "UserId").unwrap_err()),
                "InvalidUserId",
                "{bad:?}"
            );
        }
        let msg = user_id("", "UserId").unwrap_err().to_string();
        assert!(msg.starts_with("UserId cannot be empty"), "{msg}");
        let msg = user_id(" ", "InputObject").unwrap_err().to_string();
        assert!(msg.starts_with("InputObject.UserId cannot"), "{msg}");
    }

    #[test]
    fn code_lengths() {
        assert!(code(&json!("1234567"), "Code").is_err());
        assert_eq!(code(&json!("01234567"), "Code").unwrap(), "01234567");
        assert!(code(&json!("12345678901234567890"), "Code").is_ok());
        assert!(code(&json!("123456789012345678901"), "Code").is_err());
        assert!(code(&json!(""), "Code").is_err());
    }

    #[test]
    fn code_characters_and_types() {
        for bad in [
            "1234567a",
            "1234 5678",
            "١٢٣٤٥٦٧٨",
            "12345678\n",
            "+12345678",
            "１２３４５６７８",
        ] {
            let e = code(&json!(bad), "Code").unwrap_err();
            let msg = e.to_string();
            assert!(!msg.contains(bad), "message leaks the PIN: {msg}");
            assert_eq!(id_of(e), "InvalidCode");
        }
        // What PowerShell bound from a value that was not a string (module/ArgumentAttributes.ps1).
        for (type_name, why) in [
            ("System.Int32", "loses its leading zeros"),
            ("System.Decimal", "loses its leading zeros"),
            ("System.Object[]", "would send its text form"),
        ] {
            let e = code(&json!(format!("\u{FDD0}{type_name}")), "Code").unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("not a {type_name} (")) && msg.contains(why),
                "{msg}"
            );
            assert_eq!(id_of(e), "InvalidCode");
        }
        let e = code(&json!(12345678), "Code").unwrap_err().to_string();
        assert!(e.contains("not a number") && !e.contains("12345678"), "{e}");
        assert!(code(&json!(true), "Code").is_err());
        assert!(code(&Value::Null, "Code").is_err());
    }

    #[test]
    fn code_messages_never_echo_the_pin() {
        let e = code(&json!("0959978"), "Code").unwrap_err().to_string();
        assert!(!e.contains("0959978") && e.contains("too short"), "{e}");
        let e = code(&json!("095997860959978609599"), "Code")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("0959978") && e.contains("too long"), "{e}");
    }

    #[test]
    fn date_times_normalise_to_utc_with_seven_digits() {
        let f = |s: &str| date_time(&json!(s), "CreatedDateTime");
        assert_eq!(
            f("2025-03-04T22:45:37.2605385Z").unwrap(),
            "2025-03-04T22:45:37.2605385Z"
        );
        assert_eq!(
            f("2025-03-04T22:45:37Z").unwrap(),
            "2025-03-04T22:45:37.0000000Z"
        );
        assert_eq!(
            f("2025-03-05T01:45:37.5+03:00").unwrap(),
            "2025-03-04T22:45:37.5000000Z"
        );
        assert_eq!(
            f("2025-03-04T20:00:00-05:30").unwrap(),
            "2025-03-05T01:30:00.0000000Z"
        );
        assert_eq!(
            f("2025-03-04t22:45:37.123456789z").unwrap(),
            "2025-03-04T22:45:37.1234567Z"
        );
        assert_eq!(id_of(f("yesterday").unwrap_err()), "InvalidDateTime");
        assert_eq!(
            id_of(f("2025-13-01T00:00:00Z").unwrap_err()),
            "InvalidDateTime"
        );
        assert_eq!(
            id_of(date_time(&json!(5), "UpdatedDateTime").unwrap_err()),
            "InvalidDateTime"
        );
        // Without an offset the text is local time; it still comes out as UTC.
        let local = f("2025-03-04T22:45:37").unwrap();
        assert!(local.ends_with('Z') && local.len() == 28, "{local}");
    }

    #[test]
    fn booleans_and_strings() {
        assert!(boolean(&json!(true), "ForceChangePinNextSignIn").unwrap());
        assert!(!boolean(&json!(false), "ForceChangePinNextSignIn").unwrap());
        assert!(boolean(&json!("true"), "ForceChangePinNextSignIn").is_err());
        assert!(string(&json!(1), "Id").is_err());
    }

    #[test]
    fn header_rules() {
        assert!(header_name("x-ms-custom").is_ok());
        assert!(header_name("ConsistencyLevel").is_ok());
        for bad in ["", "a b", "a:b", "é", "a\r\nb"] {
            assert_eq!(
                id_of(header_name(bad).unwrap_err()),
                "InvalidHeader",
                "{bad:?}"
            );
        }
        for owned in [
            "Authorization",
            "content-length",
            "Content-Type",
            "HOST",
            "Proxy-Authorization",
            "Transfer-Encoding",
            "Connection",
            "Upgrade",
            "Keep-Alive",
            "TE",
            "trailer",
            "Proxy-Connection",
            "Expect",
        ] {
            let e = header_name(owned).unwrap_err();
            assert!(e.to_string().contains(owned), "{e}");
            assert_eq!(id_of(e), "InvalidHeader");
        }
        assert!(header_name("Content-Language").is_ok());
        assert!(header_name("Expect")
            .unwrap_err()
            .to_string()
            .contains("hop-by-hop"));
        assert!(header_name("Tea").is_ok());
        assert!(header_value("x", "a\tb").is_ok());
        assert!(header_value("x", "a\r\nInjected: 1").is_err());
        assert!(header_value("x", "a\nb").is_err());
    }

    #[test]
    fn utc_formatting() {
        let dt = Utc.with_ymd_and_hms(2001, 2, 3, 4, 5, 6).unwrap();
        assert_eq!(format_utc(&dt), "2001-02-03T04:05:06.0000000Z");
    }
}
