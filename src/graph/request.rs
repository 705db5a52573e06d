//! Request building for any command of the table: the path, the URL, the WhatIf strings and
//! the prepared request that `prepare` hands to the module and `send` gets back.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::body;
use crate::commands::resolve::{self, Paging, Resolved};
use crate::commands::table::{self, Command, RetrySafe};
use crate::envelope::MgError;
use crate::proxy::{self, ProxySettings};
use crate::request_override;
use crate::validate;

/// Everything except the RFC 3986 unreserved characters is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A query value keeps the characters OData uses in `$select`/`$expand` lists readable.
const QUERY_VALUE: &AsciiSet = &SEGMENT.remove(b',').remove(b'$').remove(b'(').remove(b')');

/// Escapes one path segment (UTF-8 bytes, upper-case hex).
pub fn escape_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// The path of the command's set with `{user-id}` filled (escaped) and its query options appended.
pub fn path_for(command: &Command, set: &str, user_id: &str, query: &[(String, String)]) -> String {
    let mut path = command
        .path(set)
        .replace("{user-id}", &escape_segment(user_id));
    for (i, (option, value)) in query.iter().enumerate() {
        path.push(if i == 0 { '?' } else { '&' });
        path.push_str(option);
        path.push('=');
        path.push_str(&utf8_percent_encode(value, QUERY_VALUE).to_string());
    }
    path
}

/// `{GraphEndpoint}/{api}{path}`.
pub fn url_for(graph_endpoint: &str, api: &str, path: &str) -> String {
    format!("{}/{api}{path}", graph_endpoint.trim_end_matches('/'))
}

/// The longest request URL the module sends: past it, proxies and Graph's front doors refuse or drop
/// the request, which would look like a network failure rather than the bad id it is.
pub const MAX_URL_CHARS: usize = 2048;

/// The URL of a prepared request (or the next page of a list), refused as an `InvalidArgument`
/// naming `UserId` when longer than [`MAX_URL_CHARS`].
pub fn checked_url(graph_endpoint: &str, req: &PreparedRequest) -> Result<String, MgError> {
    if let Some(next) = req.paging.as_ref().and_then(|p| p.next_url.as_deref()) {
        // Graph's own next link: only ever followed on the connected Graph endpoint.
        return request_override::same_origin(next, graph_endpoint);
    }
    let url = url_for(graph_endpoint, &req.api, &req.path);
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

/// The WhatIf operation text: the command name and the parameter set.
pub fn operation(command: &Command, set: &str) -> String {
    format!("{}_{set}", command.name)
}

/// The WhatIf target text: the official one, naming the actual user, so each prompt of a bulk
/// `-Confirm` says whose data it is about.
pub fn target(command: &Command, user_id: &str) -> String {
    command.what_if_target.replace("{user-id}", user_id)
}

/// The opaque `request` of a prepared call. It may hold a secret (the PIN), so the module passes
/// it back to `send` unchanged and shows `targetBody` instead. It crosses the boundary as JSON
/// text: PowerShell's ConvertFrom-Json would otherwise turn its date strings into DateTime values
/// and write them back in another format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreparedRequest {
    pub command: String,
    pub method: String,
    pub api: String,
    /// Escaped, with the query options.
    pub path: String,
    pub user_id: String,
    pub parameter_set: String,
    /// `None` for a request without a body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Map<String, Value>>,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// `-Proxy` and `-ProxyCredential` (proxy.rs); absent: the environment's proxy, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxySettings>,
    #[serde(default)]
    pub pass_thru: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
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
        table::command(&req.command)?;
        // A list names no user.
        if !(req.user_id.is_empty() && req.paging.is_some()) {
            validate::user_id(&req.user_id, "UserId")?;
        }
        for (name, value) in &req.headers {
            validate::header_name(name)?;
            validate::header_value(name, value)?;
        }
        if let Some(p) = &req.proxy {
            proxy::recheck(p)?;
        }
        Ok(req)
    }

    /// The command it was prepared for.
    pub fn command(&self) -> Result<&'static Command, MgError> {
        table::command(&self.command)
    }

    /// The body as sent: JSON text, or nothing.
    pub fn body_text(&self) -> Result<String, MgError> {
        match &self.body {
            Some(body) => serde_json::to_string(&Value::Object(body.clone()))
                .map_err(|e| MgError::Internal(e.to_string())),
            None => Ok(String::new()),
        }
    }

    /// Whether sending it twice does no harm, so a lost answer may be sent again.
    pub fn retry_safe(&self) -> Result<bool, MgError> {
        Ok(match &self.command()?.retry_safe {
            RetrySafe::Always => true,
            RetrySafe::Never => false,
            RetrySafe::WhenBodyHas(wire) => body_has(self.body.as_ref(), wire),
        })
    }
}

/// The body names this property with a string value (the PIN reset's `code`).
pub fn body_has(body: Option<&Map<String, Value>>, wire: &str) -> bool {
    matches!(body.and_then(|b| b.get(wire)), Some(Value::String(_)))
}

/// The prepared request of resolved input.
fn build(command: &Command, resolved: &Resolved, proxy: Option<ProxySettings>) -> PreparedRequest {
    PreparedRequest {
        command: command.name.clone(),
        method: command.method.clone(),
        api: command.api.clone(),
        path: path_for(command, resolved.set, &resolved.user_id, &resolved.query),
        user_id: resolved.user_id.clone(),
        parameter_set: resolved.set.into(),
        body: resolved.body.clone(),
        headers: resolved.headers.clone(),
        proxy,
        pass_thru: resolved.pass_thru,
        paging: resolved.paging.clone(),
    }
}

/// The `prepare` operation: resolve, validate, build.
pub fn prepare(input: &Map<String, Value>) -> Result<Value, MgError> {
    let command = table::command_of(input)?;
    let resolved = resolve::resolve(command, input)?;
    let proxy = proxy::from_bound(input.get("bound"))?;
    let request = build(command, &resolved, proxy);
    let mut plan = json!({
        "parameterSet": resolved.set,
        "operation": operation(command, resolved.set),
        "target": target(command, &resolved.user_id),
        "userId": resolved.user_id,
        "targetBody": resolved.body.as_ref().map(|b| Value::Object(body::redacted(b))),
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

    const PIN: &str = "Update-MgBetaUserAuthenticationQrCodePinMethodPin";

    fn pin() -> &'static Command {
        table::command(PIN).unwrap()
    }

    fn input(v: Value) -> Map<String, Value> {
        let mut map = v.as_object().unwrap().clone();
        map.entry("command").or_insert(json!(PIN));
        map
    }

    fn request_for(user_id: &str) -> PreparedRequest {
        let plan = prepare(&input(json!({"bound": {"UserId": user_id}}))).unwrap();
        PreparedRequest::from_value(&plan["request"]).unwrap()
    }

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
            path_for(pin(), "UpdateExpanded", "a b", &[]),
            "/users/a%20b/authentication/qrCodePinMethod/pin"
        );
        let get = table::command("Get-MgBetaUserAuthenticationQrCodePinMethod").unwrap();
        assert_eq!(
            path_for(
                get,
                "Get",
                "u",
                &[
                    ("$select".into(), "id,pin".into()),
                    ("$expand".into(), "a b".into())
                ]
            ),
            "/users/u/authentication/qrCodePinMethod?$select=id,pin&$expand=a%20b"
        );
    }

    #[test]
    fn a_url_over_the_limit_is_refused() {
        let endpoint = "https://graph.microsoft.com";
        let fixed = checked_url(endpoint, &request_for("a")).unwrap().len() - 1;
        let fits = "a".repeat(MAX_URL_CHARS - fixed);
        assert_eq!(
            checked_url(endpoint, &request_for(&fits)).unwrap().len(),
            MAX_URL_CHARS
        );
        // Escaping counts: 'é' is six characters in the URL.
        let long = "é".repeat((MAX_URL_CHARS - fixed) / 6 + 1);
        let e = checked_url(endpoint, &request_for(&long)).unwrap_err();
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
        assert!(checked_url(endpoint, &request_for(&format!("{fits}a"))).is_err());
    }

    #[test]
    fn url_joins_endpoint_and_api() {
        assert_eq!(
            url_for(
                "https://graph.microsoft.com",
                "beta",
                "/users/u%40x.com/authentication/qrCodePinMethod/pin"
            ),
            "https://graph.microsoft.com/beta/users/u%40x.com/authentication/qrCodePinMethod/pin"
        );
        assert_eq!(
            url_for("http://127.0.0.1:8080/", "v1.0", "/users/id"),
            "http://127.0.0.1:8080/v1.0/users/id"
        );
    }

    #[test]
    fn prepare_output_shape() {
        let v = prepare(&input(
            json!({"op": "prepare", "parameterSet": "UpdateExpanded", "bound": {
            "UserId": "user one@contoso.com", "Code": "09599786", "Headers": {"x-a": "b"}}}),
        ))
        .unwrap();
        assert_eq!(v["parameterSet"], "UpdateExpanded");
        assert_eq!(
            v["operation"],
            "Update-MgBetaUserAuthenticationQrCodePinMethodPin_UpdateExpanded"
        );
        assert_eq!(
            v["target"],
            "Call remote 'PATCH /users/user one@contoso.com/authentication/qrCodePinMethod/pin' operation"
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
        assert!(
            back.retry_safe().unwrap(),
            "a PIN reset that names its code"
        );
        assert!(
            !request_for("u").retry_safe().unwrap(),
            "without a code each reset makes a new PIN"
        );
    }

    #[test]
    fn a_remove_has_no_body_and_is_retry_safe() {
        let v = prepare(&input(
            json!({"command": "Remove-MgBetaUserAuthenticationQrCodePinMethodStandardQrCode",
            "bound": {"UserId": "u", "PassThru": true}}),
        ))
        .unwrap();
        assert_eq!(v["targetBody"], Value::Null);
        assert_eq!(
            v["target"],
            "Call remote 'DELETE /users/u/authentication/qrCodePinMethod/standardQRCode' operation"
        );
        let back = PreparedRequest::from_value(&v["request"]).unwrap();
        assert_eq!(
            (back.method.as_str(), back.body.is_none(), back.pass_thru),
            ("DELETE", true, true)
        );
        assert_eq!(back.body_text().unwrap(), "");
        assert!(back.retry_safe().unwrap());
    }

    #[test]
    fn an_unknown_or_missing_command_is_refused() {
        let e = prepare(json!({"bound": {"UserId": "u"}}).as_object().unwrap()).unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
        let e = prepare(&input(
            json!({"command": "Get-Nothing", "bound": {"UserId": "u"}}),
        ))
        .unwrap_err();
        assert!(e.to_string().contains("Get-Nothing"));
    }

    #[test]
    fn proxy_travels_in_the_request_only() {
        let v = prepare(&input(
            json!({"op": "prepare", "parameterSet": "UpdateExpanded", "bound": {
            "UserId": "u", "Code": "09599786",
            "Proxy": {"Uri": "http://127.0.0.1:3128", "UserName": "bob", "Password": "hunter2"}}}),
        ))
        .unwrap();
        let mut shown = v.clone();
        shown.as_object_mut().unwrap().remove("request");
        assert!(!shown.to_string().contains("hunter2"));
        let back = PreparedRequest::from_value(&v["request"]).unwrap();
        let p = back.proxy.as_ref().unwrap();
        assert_eq!(p.uri, "http://127.0.0.1:3128/");
        assert_eq!(p.password.as_deref(), Some("hunter2"));

        let plain = prepare(&input(
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u"}}),
        ))
        .unwrap();
        assert!(!plain["request"].as_str().unwrap().contains("proxy"));
        assert!(PreparedRequest::from_value(&plain["request"])
            .unwrap()
            .proxy
            .is_none());

        let e = prepare(&input(
            json!({"parameterSet": "UpdateExpanded", "bound": {"UserId": "u",
            "Proxy": {"Uri": "socks5://127.0.0.1:1"}}}),
        ))
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
    }

    #[test]
    fn malformed_request_is_refused() {
        let text = |v: Value| Value::String(v.to_string());
        assert!(PreparedRequest::from_value(&text(json!({"method": "PATCH"}))).is_err());
        let mut ok = json!({"command": PIN, "method": "PATCH", "api": "beta", "path": "/p", "userId": "u",
            "parameterSet": "Update", "body": {}, "headers": [["x", "y"]]});
        assert!(PreparedRequest::from_value(&text(ok.clone())).is_ok());
        // An object instead of the JSON text prepare returned is refused.
        assert!(PreparedRequest::from_value(&ok).is_err());
        ok["headers"] = json!([["x", "a\nb"]]);
        assert!(PreparedRequest::from_value(&text(ok.clone())).is_err());
        ok["headers"] = json!([]);
        ok["command"] = json!("Get-Nothing");
        assert!(PreparedRequest::from_value(&text(ok)).is_err());
    }
}
