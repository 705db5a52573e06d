//! Token requests to `/{tenant}/oauth2/v2.0/token` that need no user: client credentials (with a
//! secret or a signed assertion) and refresh-token renewal of a delegated session.

use std::time::Duration;

use chrono::Utc;
use zeroize::Zeroizing;

use super::assertion::CertificateKey;
use super::oauth::{self, CallError, TokenResponse};
use super::Authority;
use crate::envelope::MgError;

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn z(s: &str) -> Zeroizing<String> {
    Zeroizing::new(s.to_string())
}

/// Client credentials with a client secret.
pub async fn with_secret(
    authority: &Authority,
    client_id: &str,
    secret: &Zeroizing<String>,
    scope: &str,
    timeout: Duration,
) -> Result<TokenResponse, MgError> {
    let what = "Client secret sign-in";
    let form = vec![
        ("grant_type", z("client_credentials")),
        ("client_id", z(client_id)),
        ("client_secret", secret.clone()),
        ("scope", z(scope)),
    ];
    let body = oauth::post_form(&authority.endpoint("token"), form, timeout, what)
        .await
        .map_err(|e| oauth::into_error(what, e))?;
    oauth::parse_token(&body)
}

/// Client credentials with a certificate: a fresh signed assertion per request.
pub async fn with_certificate(
    authority: &Authority,
    client_id: &str,
    certificate: &CertificateKey,
    scope: &str,
    timeout: Duration,
) -> Result<TokenResponse, MgError> {
    let what = "Certificate sign-in";
    let url = authority.endpoint("token");
    let assertion = certificate.assertion(client_id, &url, Utc::now())?;
    let form = vec![
        ("grant_type", z("client_credentials")),
        ("client_id", z(client_id)),
        ("client_assertion_type", z(ASSERTION_TYPE)),
        ("client_assertion", assertion),
        ("scope", z(scope)),
    ];
    let body = oauth::post_form(&url, form, timeout, what)
        .await
        .map_err(|e| oauth::into_error(what, e))?;
    oauth::parse_token(&body)
}

/// Renews a delegated session with its refresh token.
pub async fn refresh(
    authority: &Authority,
    client_id: &str,
    refresh_token: &Zeroizing<String>,
    scope: &str,
    timeout: Duration,
) -> Result<TokenResponse, CallError> {
    let form = vec![
        ("grant_type", z("refresh_token")),
        ("client_id", z(client_id)),
        ("refresh_token", refresh_token.clone()),
        ("scope", z(scope)),
    ];
    let body =
        oauth::post_form(&authority.endpoint("token"), form, timeout, "Token renewal").await?;
    Ok(oauth::parse_token(&body)?)
}
