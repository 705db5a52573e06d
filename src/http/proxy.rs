//! The explicit proxy of a request: `-Proxy`, `-ProxyCredential` and `-ProxyUseDefaultCredentials`.
//! Checked by `proxy.check` (the cmdlet's begin block) and again by `prepare`, carried inside the
//! prepared request, and turned into an HTTP client by http_client.rs. Messages never repeat the
//! password, nor a proxy address that carries one.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::envelope::MgError;

/// A checked proxy: `uri` is `scheme://host:port/` without user info; the credentials, when given,
/// are sent as Basic `Proxy-Authorization`.
#[derive(Clone, PartialEq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(rename_all = "camelCase")]
pub struct ProxySettings {
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl std::fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxySettings")
            .field("uri", &self.uri)
            .field("user_name", &self.user_name)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

fn invalid(error_id: &str, parameter: &str, message: impl Into<String>) -> MgError {
    MgError::invalid(error_id, parameter, message)
}

/// The refusal of `-ProxyUseDefaultCredentials`.
fn default_credentials_refused() -> MgError {
    let platform = if cfg!(windows) {
        "Microsoft.Graph.Rs does not implement NTLM or Negotiate"
    } else {
        "there is no Windows logon session to take them from on this platform, and Microsoft.Graph.Rs does not implement NTLM or Negotiate"
    };
    invalid(
        "ProxyDefaultCredentialsNotSupported",
        "ProxyUseDefaultCredentials",
        format!(
            "-ProxyUseDefaultCredentials cannot be honoured: signing in to a proxy as the current user needs integrated Windows authentication, and {platform}. Nothing was sent. Give the proxy account with -ProxyCredential (sent as Basic authentication), or use a proxy that does not ask for credentials."
        ),
    )
}

/// Checks a `-Proxy` address and returns it as `scheme://host[:port]/`.
pub fn normalise_uri(text: &str) -> Result<String, MgError> {
    let bad = |message: String| invalid("InvalidProxy", "Proxy", message);
    let example = "such as http://proxy.contoso.com:8080";
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(bad(format!(
            "-Proxy is empty. Give the proxy's address, {example}."
        )));
    }
    // The text is not repeated: it may carry a password.
    let url = url::Url::parse(trimmed).map_err(|_| {
        bad(format!(
            "-Proxy is not an absolute address with a scheme and a host. Give one {example}."
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "-Proxy carries a user name or password in the address. Give the address without them and pass the account with -ProxyCredential, so it stays out of the command line and the logs.".into(),
        ));
    }
    let scheme = url.scheme().to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad(format!(
            "-Proxy: the scheme '{scheme}' is not supported. Give an http:// or https:// proxy address, {example}."
        )));
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(bad(format!(
            "-Proxy has no host name. Give the proxy's address, {example}."
        )));
    };
    if url.query().is_some() || url.fragment().is_some() || !matches!(url.path(), "" | "/") {
        return Err(bad(format!(
            "-Proxy must be only the proxy's scheme, host and port, with no path or query, {example}."
        )));
    }
    Ok(match url.port() {
        Some(port) => format!("{scheme}://{host}:{port}/"),
        None => format!("{scheme}://{host}/"),
    })
}

fn user_name_rules(user: &str) -> Result<(), MgError> {
    if user.is_empty() {
        return Err(invalid(
            "InvalidProxyCredential",
            "ProxyCredential",
            "-ProxyCredential has an empty user name.",
        ));
    }
    // Basic authentication joins user and password with the first colon.
    if user.contains(':') || user.chars().any(char::is_control) {
        return Err(invalid(
            "InvalidProxyCredential",
            "ProxyCredential",
            "-ProxyCredential: the user name cannot contain a colon or control characters (Basic authentication to the proxy could not carry it).",
        ));
    }
    Ok(())
}

/// The rules shared by `proxy.check` and `prepare`: what is given, not the secret itself.
fn check_combination(
    uri: Option<&str>,
    has_credential: bool,
    default_credentials: bool,
) -> Result<Option<String>, MgError> {
    if default_credentials {
        return Err(default_credentials_refused());
    }
    match uri {
        Some(text) => normalise_uri(text).map(Some),
        None if has_credential => Err(invalid(
            "ProxyCredentialWithoutProxy",
            "ProxyCredential",
            "-ProxyCredential needs -Proxy: credentials go only to a proxy named with -Proxy (a proxy from HTTPS_PROXY or HTTP_PROXY takes them in its address). Nothing was sent. Add -Proxy with the proxy's address.",
        )),
        None => Ok(None),
    }
}

fn get<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn text<'a>(
    map: &'a Map<String, Value>,
    name: &str,
    parameter: &str,
) -> Result<Option<&'a str>, MgError> {
    match get(map, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(
            "InvalidProxy",
            parameter,
            format!("{parameter}: the module sent a malformed value ({name} must be text)."),
        )),
    }
}

fn flag(map: &Map<String, Value>, name: &str) -> bool {
    get(map, name).and_then(Value::as_bool).unwrap_or(false)
}

/// `proxy.check` `{Proxy?, UserName?, HasCredential?, UseDefaultCredentials?}`: the begin block's
/// check, without the password. Returns `{"Proxy": <normalised address or null>}`.
pub fn check(input: &Map<String, Value>) -> Result<Value, MgError> {
    let uri = text(input, "Proxy", "Proxy")?;
    if let Some(user) = text(input, "UserName", "ProxyCredential")? {
        user_name_rules(user)?;
    }
    let normalised = check_combination(
        uri,
        flag(input, "HasCredential") || get(input, "UserName").is_some(),
        flag(input, "UseDefaultCredentials"),
    )?;
    Ok(serde_json::json!({ "Proxy": normalised }))
}

/// The proxy of a `prepare` request: `bound.Proxy` =
/// `{Uri?, UserName?, Password?, UseDefaultCredentials?}` (absent or null: no explicit proxy).
pub fn from_bound(bound: Option<&Value>) -> Result<Option<ProxySettings>, MgError> {
    let Some(Value::Object(bound)) = bound else {
        return Ok(None);
    };
    let proxy = match get(bound, "Proxy") {
        None => return Ok(None),
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(invalid(
                "InvalidProxy",
                "Proxy",
                "Proxy: the module sent a malformed value (an object is expected).",
            ))
        }
    };
    let user = text(proxy, "UserName", "ProxyCredential")?;
    let password = text(proxy, "Password", "ProxyCredential")?;
    if let Some(p) = password {
        crate::redact::hold(p);
    }
    if let Some(user) = user {
        user_name_rules(user)?;
    } else if password.is_some() {
        return Err(invalid(
            "InvalidProxyCredential",
            "ProxyCredential",
            "-ProxyCredential has an empty user name.",
        ));
    }
    let uri = check_combination(
        text(proxy, "Uri", "Proxy")?,
        user.is_some(),
        flag(proxy, "UseDefaultCredentials"),
    )?;
    Ok(uri.map(|uri| ProxySettings {
        uri,
        user_name: user.map(str::to_string),
        password: user.map(|_| password.unwrap_or_default().to_string()),
    }))
}

/// Re-checks settings handed back inside a prepared request.
pub fn recheck(settings: &ProxySettings) -> Result<(), MgError> {
    if normalise_uri(&settings.uri)? != settings.uri {
        return Err(invalid(
            "InvalidRequest",
            "request",
            "The prepared request's proxy was changed; pass back the 'request' that prepare returned, unchanged.",
        ));
    }
    if let Some(user) = &settings.user_name {
        user_name_rules(user)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id_of(e: MgError) -> (String, String) {
        match e {
            MgError::InvalidArgument {
                error_id,
                parameter_name,
                ..
            } => (error_id, parameter_name),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn addresses() {
        assert_eq!(
            normalise_uri("http://127.0.0.1:3128").unwrap(),
            "http://127.0.0.1:3128/"
        );
        assert_eq!(
            normalise_uri(" HTTPS://Proxy.Contoso.com/ ").unwrap(),
            "https://proxy.contoso.com/"
        );
        assert_eq!(
            normalise_uri("http://[::1]:8080/").unwrap(),
            "http://[::1]:8080/"
        );
        for bad in [
            "",
            "proxy:8080",
            "127.0.0.1:3128",
            "socks5://127.0.0.1:1080",
            "ftp://p",
            "http://p:8080/path",
            "http://p:8080/?q=1",
            "file:///proxy.pac",
        ] {
            assert_eq!(
                id_of(normalise_uri(bad).unwrap_err()).0,
                "InvalidProxy",
                "{bad}"
            );
        }
        let e = normalise_uri("http://bob:hunter2@p:8080")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("-ProxyCredential") && !e.contains("hunter2"),
            "{e}"
        );
    }

    #[test]
    fn combinations() {
        let ok = check(
            json!({"Proxy": "http://127.0.0.1:3128", "UserName": "bob"})
                .as_object()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(ok["Proxy"], "http://127.0.0.1:3128/");
        assert_eq!(
            check(json!({}).as_object().unwrap()).unwrap()["Proxy"],
            Value::Null
        );

        let e = check(json!({"HasCredential": true}).as_object().unwrap()).unwrap_err();
        assert!(e.to_string().contains("needs -Proxy"));
        assert_eq!(
            id_of(e),
            (
                "ProxyCredentialWithoutProxy".into(),
                "ProxyCredential".into()
            )
        );

        let e = check(
            json!({"Proxy": "http://p:1", "UseDefaultCredentials": true})
                .as_object()
                .unwrap(),
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("-ProxyCredential") && msg.contains("NTLM"),
            "{msg}"
        );
        assert_eq!(id_of(e).0, "ProxyDefaultCredentialsNotSupported");

        let e = check(
            json!({"Proxy": "http://p:1", "UserName": "a:b"})
                .as_object()
                .unwrap(),
        )
        .unwrap_err();
        assert_eq!(id_of(e).0, "InvalidProxyCredential");
    }

    #[test]
    fn bound_settings_and_redaction() {
        let bound = json!({"UserId": "u", "Proxy": {"Uri": "http://127.0.0.1:3128", "UserName": "bob", "Password": "hunter2"}});
        let s = from_bound(Some(&bound)).unwrap().unwrap();
        assert_eq!(s.uri, "http://127.0.0.1:3128/");
        assert_eq!(s.user_name.as_deref(), Some("bob"));
        assert_eq!(s.password.as_deref(), Some("hunter2"));
        assert!(!format!("{s:?}").contains("hunter2"));
        recheck(&s).unwrap();

        let none = from_bound(Some(&json!({"UserId": "u"}))).unwrap();
        assert!(none.is_none());
        let anonymous = from_bound(Some(&json!({"Proxy": {"Uri": "http://p:1"}})))
            .unwrap()
            .unwrap();
        assert!(anonymous.user_name.is_none() && anonymous.password.is_none());

        let e = from_bound(Some(
            &json!({"Proxy": {"UserName": "bob", "Password": "hunter2"}}),
        ))
        .unwrap_err();
        assert!(!e.to_string().contains("hunter2"));
        assert_eq!(id_of(e).0, "ProxyCredentialWithoutProxy");
        let e = from_bound(Some(
            &json!({"Proxy": {"Uri": "http://p:1", "UseDefaultCredentials": true}}),
        ))
        .unwrap_err();
        assert_eq!(id_of(e).0, "ProxyDefaultCredentialsNotSupported");

        let mut changed = s.clone();
        changed.uri = "http://elsewhere:1".into();
        assert!(recheck(&changed).is_err());
    }
}
