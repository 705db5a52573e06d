//! HS256 access tokens: minting for the control API, validation and permission checks for Graph routes.
//!
//! Real Graph tokens are RS256 and signed by Entra; the emulator signs with a per-run HMAC key instead so that
//! tests need no key material while forged or stale tokens are still rejected.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
pub const DEFAULT_TENANT_ID: &str = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
pub const DEFAULT_CLIENT_APP_ID: &str = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

/// Body of `POST /_emulator/tokens`; every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenRequest {
    pub scp: Option<String>,
    pub roles: Option<Vec<String>>,
    pub expires_in_seconds: Option<i64>,
    pub oid: Option<String>,
    pub tid: Option<String>,
    pub appid: Option<String>,
    pub aud: Option<String>,
    pub upn: Option<String>,
    /// `app_displayname` claim (the login endpoints set it from the app registration).
    pub app_display_name: Option<String>,
}

/// Signs a token; `oid` must already be resolved by the caller. Returns the JWT and its `exp`.
pub fn mint(key: &[u8], req: &TokenRequest, oid: &str) -> (String, i64) {
    let now = chrono::Utc::now().timestamp();
    let exp = now + req.expires_in_seconds.unwrap_or(3600);
    let tid = req.tid.as_deref().unwrap_or(DEFAULT_TENANT_ID);
    let mut claims = Map::new();
    claims.insert(
        "aud".into(),
        json!(req.aud.as_deref().unwrap_or(GRAPH_AUDIENCE)),
    );
    claims.insert(
        "iss".into(),
        json!(format!("https://sts.windows.net/{tid}/")),
    );
    claims.insert("iat".into(), json!(now));
    claims.insert("nbf".into(), json!(now.min(exp)));
    claims.insert("exp".into(), json!(exp));
    claims.insert(
        "appid".into(),
        json!(req.appid.as_deref().unwrap_or(DEFAULT_CLIENT_APP_ID)),
    );
    claims.insert("oid".into(), json!(oid));
    claims.insert("tid".into(), json!(tid));
    if let Some(scp) = &req.scp {
        claims.insert("scp".into(), json!(scp));
    }
    if let Some(roles) = &req.roles {
        claims.insert("roles".into(), json!(roles));
    }
    if let Some(upn) = &req.upn {
        claims.insert("upn".into(), json!(upn));
    }
    if let Some(name) = &req.app_display_name {
        claims.insert("app_displayname".into(), json!(name));
    }
    claims.insert("ver".into(), json!("1.0"));

    let header = B64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = B64.encode(Value::Object(claims).to_string());
    let signing_input = format!("{header}.{payload}");
    let sig = B64.encode(sign(key, signing_input.as_bytes()));
    (format!("{signing_input}.{sig}"), exp)
}

fn sign(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The claims the routes care about once a token has passed validation.
#[derive(Debug, Clone)]
pub struct Caller {
    pub oid: Option<String>,
    /// Delegated tokens carry `scp`; app-only tokens carry `roles` and no `scp`.
    pub scopes: Option<Vec<String>>,
    pub roles: Vec<String>,
    /// `iat`, for revocation (`POST /_emulator/tokens/revoke`).
    pub issued_at: Option<i64>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AuthFailure {
    Empty,
    Invalid,
    Expired,
    WrongAudience,
}

impl AuthFailure {
    pub fn message(&self) -> &'static str {
        match self {
            AuthFailure::Empty => "Access token is empty.",
            AuthFailure::Invalid => "Access token validation failure.",
            AuthFailure::Expired => "Lifetime validation failed, the token is expired.",
            AuthFailure::WrongAudience => "Access token validation failure. Invalid audience.",
        }
    }
}

/// Checks the `Authorization` header value: scheme, signature, then lifetime, then audience.
pub fn validate(key: &[u8], authorization: Option<&str>) -> Result<Caller, AuthFailure> {
    let raw = authorization.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Err(AuthFailure::Empty);
    }
    let token = match raw.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        None if raw.eq_ignore_ascii_case("bearer") => "",
        _ => return Err(AuthFailure::Invalid),
    };
    if token.is_empty() {
        return Err(AuthFailure::Empty);
    }

    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        return Err(AuthFailure::Invalid);
    };
    let header: Value = decode_json(h)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(AuthFailure::Invalid);
    }
    let sig = B64.decode(s).map_err(|_| AuthFailure::Invalid)?;
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(format!("{h}.{p}").as_bytes());
    mac.verify_slice(&sig).map_err(|_| AuthFailure::Invalid)?;

    let claims: Value = decode_json(p)?;
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(AuthFailure::Invalid)?;
    if exp <= chrono::Utc::now().timestamp() {
        return Err(AuthFailure::Expired);
    }
    match claims.get("aud").and_then(Value::as_str) {
        Some(a)
            if a.eq_ignore_ascii_case(GRAPH_AUDIENCE) || a.eq_ignore_ascii_case(GRAPH_APP_ID) => {}
        _ => return Err(AuthFailure::WrongAudience),
    }

    let str_claim = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    Ok(Caller {
        oid: str_claim("oid"),
        scopes: str_claim("scp").map(|s| s.split_whitespace().map(str::to_owned).collect()),
        roles: claims
            .get("roles")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        issued_at: claims.get("iat").and_then(Value::as_i64),
    })
}

fn decode_json(segment: &str) -> Result<Value, AuthFailure> {
    let bytes = B64.decode(segment).map_err(|_| AuthFailure::Invalid)?;
    serde_json::from_slice(&bytes).map_err(|_| AuthFailure::Invalid)
}

/// Whether the caller may touch the target user's QR code PIN method.
/// `is_self` widens delegated access to the self-service scopes; `write` is false for GET.
pub fn permitted(caller: &Caller, is_self: bool, write: bool) -> bool {
    let (any_user, self_only): (&[&str], &[&str]) = if write {
        (
            &[
                "UserAuthenticationMethod.ReadWrite.All",
                "UserAuthMethod-QR.ReadWrite.All",
            ],
            &[
                "UserAuthenticationMethod.ReadWrite",
                "UserAuthMethod-QR.ReadWrite",
            ],
        )
    } else {
        (
            &[
                "UserAuthenticationMethod.ReadWrite.All",
                "UserAuthMethod-QR.ReadWrite.All",
                "UserAuthenticationMethod.Read.All",
                "UserAuthMethod-QR.Read.All",
            ],
            &[
                "UserAuthenticationMethod.ReadWrite",
                "UserAuthMethod-QR.ReadWrite",
                "UserAuthenticationMethod.Read",
                "UserAuthMethod-QR.Read",
            ],
        )
    };
    let has = |granted: &[String], wanted: &[&str]| {
        granted
            .iter()
            .any(|g| wanted.iter().any(|w| g.eq_ignore_ascii_case(w)))
    };
    match &caller.scopes {
        Some(scp) => has(scp, any_user) || (is_self && has(scp, self_only)),
        None => has(&caller.roles, any_user),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn token(req: TokenRequest) -> String {
        format!("Bearer {}", mint(KEY, &req, "oid-1").0)
    }

    #[test]
    fn round_trip_and_failures() {
        let t = token(TokenRequest {
            scp: Some("User.Read UserAuthMethod-QR.ReadWrite".into()),
            ..Default::default()
        });
        let c = validate(KEY, Some(&t)).unwrap();
        assert_eq!(c.oid.as_deref(), Some("oid-1"));
        assert!(permitted(&c, true, true));
        assert!(!permitted(&c, false, true));

        assert_eq!(validate(KEY, None).unwrap_err(), AuthFailure::Empty);
        assert_eq!(
            validate(KEY, Some("Bearer ")).unwrap_err(),
            AuthFailure::Empty
        );
        assert_eq!(
            validate(b"other-key", Some(&t)).unwrap_err(),
            AuthFailure::Invalid
        );
        let expired = token(TokenRequest {
            expires_in_seconds: Some(-10),
            ..Default::default()
        });
        assert_eq!(
            validate(KEY, Some(&expired)).unwrap_err(),
            AuthFailure::Expired
        );
        let aud = token(TokenRequest {
            aud: Some("api://other".into()),
            ..Default::default()
        });
        assert_eq!(
            validate(KEY, Some(&aud)).unwrap_err(),
            AuthFailure::WrongAudience
        );
    }

    #[test]
    fn app_roles() {
        let t = token(TokenRequest {
            roles: Some(vec!["UserAuthMethod-QR.ReadWrite.All".into()]),
            ..Default::default()
        });
        let c = validate(KEY, Some(&t)).unwrap();
        assert!(permitted(&c, false, true));
        let t = token(TokenRequest {
            roles: Some(vec!["User.Read.All".into()]),
            ..Default::default()
        });
        assert!(!permitted(&validate(KEY, Some(&t)).unwrap(), false, true));
    }
}
