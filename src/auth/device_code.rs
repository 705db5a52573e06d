//! Device code sign-in: ask for a code, show it to the user (through the log queue, which the
//! module writes to the host from the pipeline thread), then poll the token endpoint.

use std::time::Duration;

use serde_json::Value;
use zeroize::Zeroizing;

use super::oauth::{self, CallError, OAuthError, TokenResponse};
use super::Authority;
use crate::envelope::MgError;
use crate::log_queue;

/// What to do after a poll answered with an OAuth error.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Keep polling, after this interval.
    Wait(Duration),
    Fail(String),
}

/// The polling rules of RFC 8628 as the Microsoft identity platform applies them.
pub fn after_error(e: &OAuthError, interval: Duration) -> Next {
    match e.error.as_str() {
        "authorization_pending" => Next::Wait(interval),
        // The server asks us to poll less often: add five seconds, as the RFC says.
        "slow_down" => Next::Wait(interval + Duration::from_secs(5)),
        "authorization_declined" | "access_denied" => Next::Fail(
            "The sign-in was declined: the user refused the device code request. Run Connect-MgGraph again to retry."
                .into(),
        ),
        "expired_token" | "code_expired" => Next::Fail(
            "The device code expired before anyone signed in with it. Run Connect-MgGraph -UseDeviceCode again and enter the new code in time."
                .into(),
        ),
        "bad_verification_code" => Next::Fail(
            "The sign-in service no longer recognises the device code. Run Connect-MgGraph -UseDeviceCode again.".into(),
        ),
        _ => Next::Fail(oauth::explain("Device code sign-in", e).to_string()),
    }
}

struct DeviceCode {
    device_code: Zeroizing<String>,
    interval: Duration,
    expires_in: Duration,
}

/// Runs the whole flow and returns the token answer (with its refresh token).
pub async fn sign_in(
    authority: &Authority,
    client_id: &str,
    scope: &str,
    timeout: Duration,
) -> Result<TokenResponse, MgError> {
    let what = "Device code sign-in";
    let url = authority.endpoint("devicecode");
    let body = oauth::post_form(
        &url,
        vec![
            ("client_id", Zeroizing::new(client_id.to_string())),
            ("scope", Zeroizing::new(scope.to_string())),
        ],
        timeout,
        what,
    )
    .await
    .map_err(|e| oauth::into_error(what, e))?;
    let v: Value = serde_json::from_str(&body).map_err(|_| {
        MgError::Authentication(format!("{what}: the device code answer is not JSON."))
    })?;
    let text = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_string);
    let secs = |name: &str, default: u64| {
        v.get(name)
            .and_then(|n| n.as_u64().or_else(|| n.as_str()?.parse().ok()))
            .unwrap_or(default)
    };
    let (Some(device_code), Some(user_code)) = (text("device_code"), text("user_code")) else {
        return Err(MgError::Authentication(format!(
            "{what}: the answer has no device_code or user_code."
        )));
    };
    let verification = text("verification_uri")
        .or_else(|| text("verification_url"))
        .unwrap_or_else(|| "https://microsoft.com/devicelogin".into());
    let code = DeviceCode {
        device_code: Zeroizing::new(device_code),
        interval: Duration::from_secs(secs("interval", 5).clamp(1, 60)),
        expires_in: Duration::from_secs(secs("expires_in", 900)),
    };
    // The user code is meant to be read by the user; it is not a credential on its own.
    log_queue::information(text("message").unwrap_or_else(|| {
        format!("To sign in, open {verification} in a browser and enter the code {user_code}.")
    }));

    let token_url = authority.endpoint("token");
    let deadline = tokio::time::Instant::now() + code.expires_in;
    let mut interval = code.interval;
    loop {
        tokio::time::sleep(interval).await;
        if tokio::time::Instant::now() >= deadline + Duration::from_secs(5) {
            return Err(MgError::Authentication(
                "The device code expired before anyone signed in with it. Run Connect-MgGraph -UseDeviceCode again and enter the new code in time.".into(),
            ));
        }
        let form = vec![
            (
                "grant_type",
                Zeroizing::new("urn:ietf:params:oauth:grant-type:device_code".to_string()),
            ),
            ("client_id", Zeroizing::new(client_id.to_string())),
            ("device_code", code.device_code.clone()),
        ];
        match oauth::post_form(&token_url, form, timeout, what).await {
            Ok(body) => return oauth::parse_token(&body),
            Err(CallError::OAuth(e)) => match after_error(&e, interval) {
                Next::Wait(next) => interval = next,
                Next::Fail(message) => return Err(MgError::Authentication(message)),
            },
            Err(CallError::Other(e)) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str) -> OAuthError {
        OAuthError {
            status: 400,
            error: code.into(),
            description: "AADSTS70016: pending".into(),
        }
    }

    #[test]
    fn polling_rules() {
        let five = Duration::from_secs(5);
        assert_eq!(
            after_error(&err("authorization_pending"), five),
            Next::Wait(five)
        );
        assert_eq!(
            after_error(&err("slow_down"), five),
            Next::Wait(Duration::from_secs(10))
        );
        for (code, needle) in [
            ("authorization_declined", "declined"),
            ("expired_token", "expired"),
            ("bad_verification_code", "no longer recognises"),
            ("invalid_client", "invalid_client"),
        ] {
            match after_error(&err(code), five) {
                Next::Fail(m) => assert!(m.contains(needle), "{code}: {m}"),
                other => panic!("{code}: {other:?}"),
            }
        }
    }
}
