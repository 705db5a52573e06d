//! The access token a connection currently holds, and when to renew it.

use chrono::{DateTime, Duration, Utc};
use zeroize::Zeroizing;

use super::oauth::TokenResponse;

/// Lifetime assumed when the server states none (Entra's default is about an hour).
pub const DEFAULT_LIFETIME_SECS: i64 = 3600;
/// Renew at most this long before expiry...
pub const MAX_MARGIN_SECS: i64 = 300;

/// A token and its expiry.
pub struct CachedToken {
    pub token: Zeroizing<String>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl CachedToken {
    /// From a token answer: `expires_on` (absolute) wins over `expires_in`, then the JWT's `exp`.
    pub fn from_response(resp: &TokenResponse, now: DateTime<Utc>) -> CachedToken {
        let claims_exp = crate::session::decode_claims(&resp.access_token)
            .and_then(|c| c.get("exp").and_then(serde_json::Value::as_i64));
        let expires_at = resp
            .expires_on
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .or_else(|| resp.expires_in.map(|s| now + Duration::seconds(s)))
            .or_else(|| claims_exp.and_then(|s| DateTime::from_timestamp(s, 0)))
            .unwrap_or(now + Duration::seconds(DEFAULT_LIFETIME_SECS));
        CachedToken {
            token: resp.access_token.clone(),
            issued_at: now,
            expires_at,
        }
    }

    /// How long before expiry renewal starts: five minutes, or a quarter of the lifetime for
    /// short-lived tokens, so a short token is not renewed on every request.
    pub fn margin(&self) -> Duration {
        let lifetime = (self.expires_at - self.issued_at).num_seconds().max(0);
        Duration::seconds((lifetime / 4).min(MAX_MARGIN_SECS))
    }

    /// True once the token is inside its renewal margin (or expired).
    pub fn needs_renewal(&self, now: DateTime<Utc>) -> bool {
        now + self.margin() >= self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn resp(expires_in: Option<i64>, expires_on: Option<i64>) -> TokenResponse {
        TokenResponse {
            access_token: Zeroizing::new("opaque".into()),
            expires_in,
            expires_on,
            refresh_token: None,
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 12, 0, 0).unwrap()
    }

    #[test]
    fn hour_long_tokens_renew_five_minutes_early() {
        let t = CachedToken::from_response(&resp(Some(3600), None), now());
        assert_eq!(t.expires_at, now() + Duration::seconds(3600));
        assert_eq!(t.margin(), Duration::seconds(300));
        assert!(!t.needs_renewal(now() + Duration::seconds(3299)));
        assert!(t.needs_renewal(now() + Duration::seconds(3300)));
        assert!(t.needs_renewal(now() + Duration::seconds(4000)));
    }

    #[test]
    fn short_tokens_renew_at_three_quarters() {
        let t = CachedToken::from_response(&resp(Some(8), None), now());
        assert_eq!(t.margin(), Duration::seconds(2));
        assert!(!t.needs_renewal(now() + Duration::seconds(5)));
        assert!(t.needs_renewal(now() + Duration::seconds(6)));
    }

    #[test]
    fn absolute_expiry_wins_and_defaults_apply() {
        let at = now().timestamp() + 100;
        let t = CachedToken::from_response(&resp(Some(3600), Some(at)), now());
        assert_eq!(t.expires_at.timestamp(), at);
        let t = CachedToken::from_response(&resp(None, None), now());
        assert_eq!(
            t.expires_at,
            now() + Duration::seconds(DEFAULT_LIFETIME_SECS)
        );
        // Already expired on arrival: renew at once.
        let t = CachedToken::from_response(&resp(Some(-5), None), now());
        assert!(t.needs_renewal(now()));
    }
}
