//! Request building: the path, the URL, the WhatIf strings and the prepared request that
//! `prepare` hands to the module and `send` gets back.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::body;
use crate::envelope::MgError;
use crate::params;
use crate::proxy::{self, ProxySettings};
use crate::request_override;
use crate::validate;

/// The cmdlet's name, used in the WhatIf operation text.
pub const CMDLET: &str = "Update-MgBetaUserAuthenticationQrCodePinMethodPin";

/// The path template as the official cmdlet shows it.
pub const PATH_TEMPLATE: &str = "/users/{user-id}/authentication/qrCodePinMethod/pin";

/// Everything except the RFC 3986 unreserved characters is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Escapes one path segment (UTF-8 bytes, upper-case hex).
pub fn escape_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// `/users/{escaped}/authentication/qrCodePinMethod/pin`.
pub fn path_for(user_id: &str) -> String {
    format!(
        "/users/{}/authentication/qrCodePinMethod/pin",
        escape_segment(user_id)
    )
}

/// `{GraphEndpoint}/beta{path}`.
pub fn url_for(graph_endpoint: &str, user_id: &str) -> String {
    format!(
        "{}/beta{}",
        graph_endpoint.trim_end_matches('/'),
        path_for(user_id)
    )
}

/// The longest request URL the module sends: past it, proxies and Graph's front doors refuse or drop
/// the request, which would look like a network failure rather than the bad id it is.
pub const MAX_URL_CHARS: usize = 2048;

/// [`url_for`], refused as an `InvalidArgument` naming `UserId` when longer than [`MAX_URL_CHARS`].
pub fn checked_url_for(graph_endpoint: &str, user_id: &str) -> Result<String, MgError> {
    let url = url_for(graph_endpoint, user_id);
    if url.len() > MAX_URL_CHARS {
        return Err(MgError::invalid(
            "InvalidUserId",
            "UserId",
            format!(
                "UserId is too long: escaped into the request URL it makes {} characters, and the most the module sends is {MAX_URL_CHARS}. Pass the user's object id or user principal name.",
                url.len()
            ),
        ));
    }
    Ok(url)
}

/// The WhatIf operation text: the cmdlet name and the parameter set.
pub fn operation(set: params::ParameterSet) -> String {
    format!("{CMDLET}_{}", set.name())
}

/// The WhatIf target text (the literal `{user-id}` is intended).
pub fn target() -> String {
    format!("Call remote 'PATCH {PATH_TEMPLATE}' operation")
}

/// The opaque `request` of a prepared call. It holds the PIN, so the module passes it back
/// to `send` unchanged and shows `targetBody` instead. It crosses the boundary as JSON text:
/// PowerShell's ConvertFrom-Json would otherwise turn its date strings into DateTime values
/// and write them back in another format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreparedRequest {
    pub method: String,
    pub path: String,
    pub user_id: String,
    pub parameter_set: String,
    pub body: Map<String, Value>,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// `-Proxy` and `-ProxyCredential` (proxy.rs); absent: the environment's proxy, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxySettings>,
}

impl PreparedRequest {
    /// Reads and re-checks a request handed back by the module.
    pub fn from_value(value: &Value) -> Result<Self, MgError> {
        let text = value.as_str().unwrap_or_default();
        let req: PreparedRequest = serde_json::from_str(text).map_err(|e| {
            MgError::invalid(
                "InvalidRequest",
                "request",
                format!("The prepared request is malformed ({e}); pass back the 'request' that prepare returned, unchanged."),
            )
        })?;
        validate::user_id(&req.user_id, "UserId")?;
        for (name, value) in &req.headers {
            validate::header_name(name)?;
            validate::header_value(name, value)?;
        }
        if let Some(p) = &req.proxy {
            proxy::recheck(p)?;
        }
        Ok(req)
    }
}

/// The `prepare` operation: resolve, validate, build.
pub fn prepare(input: &Map<String, Value>) -> Result<Value, MgError> {
    let resolved = params::resolve(input)?;
    let proxy = proxy::from_bound(input.get("bound"))?;
    let request = PreparedRequest {
        method: "PATCH".into(),
        path: path_for(&resolved.user_id),
        user_id: resolved.user_id.clone(),
        parameter_set: resolved.set.name().into(),
        body: resolved.body.clone(),
        headers: resolved.headers.clone(),
        proxy,
    };
    let mut plan = json!({
        "parameterSet": resolved.set.name(),
        "operation": operation(resolved.set),
        "target": target(),
        "userId": resolved.user_id,
        "targetBody": Value::Object(body::redacted(&resolved.body)),
        "request": serde_json::to_string(&request).map_err(|e| MgError::Internal(e.to_string()))?,
    });
    // -HttpPipelinePrepend/-Append steps see the request as it will be sent (request_override.rs).
    if input.get("view").and_then(Value::as_bool) == Some(true) {
        let endpoint = request_override::connected_endpoint(&crate::session::STORE)?;
        plan["view"] = request_override::view(&request, &endpoint)?;
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_escaping() {
        assert_eq!(escape_segment("a b"), "a%20b");
        assert_eq!(escape_segment("a/b"), "a%2Fb");
        assert_eq!(escape_segment("user@contoso.com"), "user%40contoso.com");
        assert_eq!(escape_segment("é"), "%C3%A9");
        assert_eq!(escape_segment("日本"), "%E6%97%A5%E6%9C%AC");
        assert_eq!(escape_segment("a#b?c"), "a%23b%3Fc");
        assert_eq!(escape_segment("a%b+c"), "a%25b%2Bc");
        assert_eq!(escape_segment("Az09-._~"), "Az09-._~");
        assert_eq!(
            path_for("a b"),
            "/users/a%20b/authentication/qrCodePinMethod/pin"
        );
    }

    #[test]
    fn a_url_over_the_limit_is_refused() {
        let endpoint = "https://graph.microsoft.com";
        let fixed = url_for(endpoint, "").len();
        let fits = "a".repeat(MAX_URL_CHARS - fixed);
        assert_eq!(
            checked_url_for(endpoint, &fits).unwrap().len(),
            MAX_URL_CHARS
        );
        // Escaping counts: 'é' is six characters in the URL.
        let e =
            checked_url_for(endpoint, &"é".repeat((MAX_URL_CHARS - fixed) / 6 + 1)).unwrap_err();
        let MgError::InvalidArgument {
            error_id,
            parameter_name,
            message,
        } = e
        else {
            panic!()
        };
        assert_eq!(
            (error_id.as_str(), parameter_name.as_str()),
            ("InvalidUserId", "UserId")
        );
        assert!(message.starts_with("UserId is too long"), "{message}");
        assert!(checked_url_for(endpoint, &format!("{fits}a")).is_err());
    }

    #[test]
    fn url_joins_endpoint_and_beta() {
        assert_eq!(
            url_for("https://graph.microsoft.com", "u@x.com"),
            "https://graph.microsoft.com/beta/users/u%40x.com/authentication/qrCodePinMethod/pin"
        );
        assert_eq!(
            url_for("http://127.0.0.1:8080/", "id"),
            "http://127.0.0.1:8080/beta/users/id/authentication/qrCodePinMethod/pin"
        );
    }

    #[test]
    fn prepare_output_shape() {
        let input = json!({"op": "prepare", "parameterSet": "UpdateExpanded", "bound": {
            "UserId": "user one@contoso.com", "Code": "09599786", "Headers": {"x-a": "b"}}});
        let v = prepare(input.as_object().unwrap()).unwrap();
        assert_eq!(v["parameterSet"], "UpdateExpanded");
        assert_eq!(
            v["operation"],
            "Update-MgBetaUserAuthenticationQrCodePinMethodPin_UpdateExpanded"
        );
        assert_eq!(
            v["target"],
            "Call remote 'PATCH /users/{user-id}/authentication/qrCodePinMethod/pin' operation"
        );
        assert_eq!(v["userId"], "user one@contoso.com");
        assert_eq!(v["targetBody"], json!({"code": "<redacted>"}));
        let request: Value = serde_json::from_str(v["request"].as_str().unwrap()).unwrap();
        assert_eq!(request["body"], json!({"code": "09599786"}));
        assert_eq!(
            request["path"],
            "/users/user%20one%40contoso.com/authentication/qrCodePinMethod/pin"
        );
        let back = PreparedRequest::from_value(&v["request"]).unwrap();
        assert_eq!(back.headers, vec![("x-a".to_string(), "b".to_string())]);
        assert_eq!(back.user_id, "user one@contoso.com");
    }

    #[test]
    fn proxy_travels_in_the_request_only() {
        let input = json!({"op": "prepare", "parameterSet": "UpdateExpanded", "bound": {
            "UserId": "u", "Code": "09599786",
            "Proxy": {"Uri": "http://127.0.0.1:3128", "UserName": "bob", "Password": "hunter2"}}});
        let v = prepare(input.as_object().unwrap()).unwrap();
        let mut shown = v.clone();
        shown.as_object_mut().unwrap().remove("request");
        assert!(!shown.to_string().contains("hunter2"));
        let back = PreparedRequest::from_value(&v["request"]).unwrap();
        let p = back.proxy.as_ref().unwrap();
        assert_eq!(p.uri, "http://127.0.0.1:3128/");
        assert_eq!(p.password.as_deref(), Some("hunter2"));

        let plain = prepare(
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u"}})
                .as_object()
                .unwrap(),
        )
        .unwrap();
        assert!(!plain["request"].as_str().unwrap().contains("proxy"));
        assert!(PreparedRequest::from_value(&plain["request"])
            .unwrap()
            .proxy
            .is_none());

        let e = prepare(
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u",
            "Proxy": {"Uri": "socks5://127.0.0.1:1"}}})
            .as_object()
            .unwrap(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
    }

    #[test]
    fn malformed_request_is_refused() {
        let text = |v: Value| Value::String(v.to_string());
        assert!(PreparedRequest::from_value(&text(json!({"method": "PATCH"}))).is_err());
        let mut ok = json!({"method": "PATCH", "path": "/p", "userId": "u", "parameterSet": "Update",
            "body": {}, "headers": [["x", "y"]]});
        assert!(PreparedRequest::from_value(&text(ok.clone())).is_ok());
        // An object instead of the JSON text prepare returned is refused.
        assert!(PreparedRequest::from_value(&ok).is_err());
        ok["headers"] = json!([["x", "a\nb"]]);
        assert!(PreparedRequest::from_value(&text(ok)).is_err());
    }
}
