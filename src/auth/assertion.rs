//! Client assertions for certificate sign-in: a JWT signed with RS256 whose header names the
//! certificate by `x5t` (base64url of its SHA-1 thumbprint), as the Microsoft identity platform
//! requires. The private key arrives once as PKCS#8 DER and is kept only in zeroizing memory.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde_json::json;
use zeroize::Zeroizing;

use crate::envelope::MgError;

/// How long an assertion is valid: the platform accepts up to 10 minutes.
pub const LIFETIME_SECS: i64 = 600;

/// A certificate and its private key.
pub struct CertificateKey {
    pub certificate_der: Vec<u8>,
    pkcs8: Zeroizing<Vec<u8>>,
    /// Upper-case hex SHA-1 of the certificate, as Windows shows it.
    pub thumbprint: String,
    /// Send the certificate itself (`x5c`) too, for subject name + issuer authentication.
    pub send_chain: bool,
}

impl std::fmt::Debug for CertificateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateKey")
            .field("thumbprint", &self.thumbprint)
            .field("key", &"<redacted>")
            .finish()
    }
}

pub fn sha1_thumbprint(der: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der)
        .as_ref()
        .to_vec()
}

impl CertificateKey {
    /// Checks that the key is an RSA key ring can sign with (2048 bits or more).
    pub fn new(
        certificate_der: Vec<u8>,
        pkcs8: Zeroizing<Vec<u8>>,
        send_chain: bool,
    ) -> Result<Self, MgError> {
        if certificate_der.is_empty() {
            return Err(MgError::invalid(
                "InvalidCertificate",
                "Certificate",
                "The certificate is empty.",
            ));
        }
        RsaKeyPair::from_pkcs8(&pkcs8).map_err(|e| {
            MgError::invalid(
                "InvalidCertificateKey",
                "Certificate",
                format!("The certificate's private key cannot sign a client assertion ({e}). Use an RSA key of 2048 bits or more."),
            )
        })?;
        let thumbprint = sha1_thumbprint(&certificate_der)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        Ok(CertificateKey {
            certificate_der,
            pkcs8,
            thumbprint,
            send_chain,
        })
    }

    /// Builds and signs an assertion for `audience` (the token endpoint URL).
    pub fn assertion(
        &self,
        client_id: &str,
        audience: &str,
        now: DateTime<Utc>,
    ) -> Result<Zeroizing<String>, MgError> {
        let x5t = URL_SAFE_NO_PAD.encode(sha1_thumbprint(&self.certificate_der));
        let mut header = json!({"alg": "RS256", "typ": "JWT", "x5t": x5t});
        if self.send_chain {
            header["x5c"] = json!([STANDARD.encode(&self.certificate_der)]);
        }
        let iat = now.timestamp();
        let claims = json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": iat,
            "iat": iat,
            "exp": iat + LIFETIME_SECS,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let key = RsaKeyPair::from_pkcs8(&self.pkcs8)
            .map_err(|e| MgError::Internal(format!("The private key could not be used: {e}")))?;
        let mut signature = vec![0u8; key.public().modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signing_input.as_bytes(),
            &mut signature,
        )
        .map_err(|_| MgError::Internal("Signing the client assertion failed.".into()))?;
        Ok(Zeroizing::new(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;
    use ring::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
    use rsa::pkcs8::EncodePrivateKey;
    use serde_json::Value;

    /// A throwaway 2048-bit RSA key as PKCS#8 DER.
    pub(crate) fn test_key() -> Zeroizing<Vec<u8>> {
        let mut rng = rsa::rand_core::OsRng;
        let key = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
        Zeroizing::new(key.to_pkcs8_der().unwrap().as_bytes().to_vec())
    }

    fn decode(part: &str) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn assertion_is_an_rs256_jwt_with_x5t_that_verifies() {
        let pkcs8 = test_key();
        let public = RsaKeyPair::from_pkcs8(&pkcs8)
            .unwrap()
            .public()
            .as_ref()
            .to_vec();
        let cert = b"not really a certificate, but hashed all the same".to_vec();
        let ck = CertificateKey::new(cert.clone(), pkcs8, false).unwrap();
        assert_eq!(ck.thumbprint.len(), 40);
        assert!(!format!("{ck:?}").contains("pkcs8"));
        let now = Utc.with_ymd_and_hms(2025, 3, 4, 12, 0, 0).unwrap();
        let jwt = ck
            .assertion("client-1", "https://login.example/t/oauth2/v2.0/token", now)
            .unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = decode(parts[0]);
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(
            header["x5t"],
            URL_SAFE_NO_PAD.encode(sha1_thumbprint(&cert))
        );
        assert!(header.get("x5c").is_none());
        let claims = decode(parts[1]);
        assert_eq!(claims["aud"], "https://login.example/t/oauth2/v2.0/token");
        assert_eq!(claims["iss"], "client-1");
        assert_eq!(claims["sub"], "client-1");
        assert_eq!(claims["nbf"], now.timestamp());
        assert_eq!(claims["exp"], now.timestamp() + LIFETIME_SECS);
        assert_eq!(claims["jti"].as_str().unwrap().len(), 36);
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &public)
            .verify(signed.as_bytes(), &signature)
            .expect("signature verifies with the public key");
        // Each assertion is unique.
        let again = ck.assertion("client-1", "aud", now).unwrap();
        assert_ne!(
            decode(again.split('.').nth(1).unwrap())["jti"],
            claims["jti"]
        );
    }

    #[test]
    fn chain_is_sent_on_request_and_bad_keys_are_refused() {
        let ck = CertificateKey::new(vec![1, 2, 3], test_key(), true).unwrap();
        let jwt = ck.assertion("c", "a", Utc::now()).unwrap();
        let header = decode(jwt.split('.').next().unwrap());
        assert_eq!(header["x5c"][0], STANDARD.encode([1u8, 2, 3]));
        let e = CertificateKey::new(vec![1], Zeroizing::new(vec![0x30, 0x03, 1, 2, 3]), false)
            .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
        assert!(CertificateKey::new(vec![], test_key(), false).is_err());
    }
}
