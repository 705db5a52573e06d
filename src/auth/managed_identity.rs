//! Managed identity: which endpoint to ask, following the usual discovery order, and the request.
//!
//! 1. `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` (App Service, Functions, Container Apps; API 2019-08-01)
//! 2. `MSI_ENDPOINT` (+ `MSI_SECRET`) (older App Service, Cloud Shell; API 2017-09-01)
//! 3. the instance metadata service (virtual machines; API 2018-02-01)
//!
//! The variables are read by the module on the pipeline thread (PowerShell's own environment can
//! differ from the native one) and handed over with the request.

use std::time::Duration;

use zeroize::Zeroizing;

use super::oauth::{self, TokenResponse};
use crate::envelope::MgError;
use crate::http_client;

pub const IMDS_ENDPOINT: &str = "http://169.254.169.254/metadata/identity/oauth2/token";

/// What the module found in the environment.
#[derive(Default)]
pub struct Discovery {
    pub identity_endpoint: Option<String>,
    pub identity_header: Option<Zeroizing<String>>,
    pub msi_endpoint: Option<String>,
    pub msi_secret: Option<Zeroizing<String>>,
}

/// The chosen endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint {
    AppService {
        url: String,
        header: HeaderSecret,
    },
    Msi {
        url: String,
        secret: Option<HeaderSecret>,
    },
    Imds {
        url: String,
    },
}

/// A header value that must not be printed.
#[derive(Clone, PartialEq)]
pub struct HeaderSecret(pub Zeroizing<String>);

impl std::fmt::Debug for HeaderSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Picks the endpoint in the documented order.
pub fn discover(d: &Discovery) -> Endpoint {
    let header = d
        .identity_header
        .as_ref()
        .filter(|h| !h.trim().is_empty())
        .cloned();
    if let (Some(url), Some(header)) = (non_empty(&d.identity_endpoint), header) {
        return Endpoint::AppService {
            url,
            header: HeaderSecret(header),
        };
    }
    if let Some(url) = non_empty(&d.msi_endpoint) {
        let secret = d
            .msi_secret
            .as_ref()
            .filter(|s| !s.trim().is_empty())
            .cloned()
            .map(HeaderSecret);
        return Endpoint::Msi { url, secret };
    }
    Endpoint::Imds {
        url: IMDS_ENDPOINT.to_string(),
    }
}

impl Endpoint {
    pub fn describe(&self) -> &'static str {
        match self {
            Endpoint::AppService { .. } => "IDENTITY_ENDPOINT",
            Endpoint::Msi { .. } => "MSI_ENDPOINT",
            Endpoint::Imds { .. } => "the instance metadata service",
        }
    }

    pub fn url(&self) -> &str {
        match self {
            Endpoint::AppService { url, .. }
            | Endpoint::Msi { url, .. }
            | Endpoint::Imds { url } => url,
        }
    }

    /// The request URL: api-version, resource and, for a user-assigned identity, its client id.
    pub fn request_url(&self, resource: &str, client_id: Option<&str>) -> Result<String, MgError> {
        let (api, id_name) = match self {
            Endpoint::AppService { .. } => ("2019-08-01", "client_id"),
            Endpoint::Msi { .. } => ("2017-09-01", "clientid"),
            Endpoint::Imds { .. } => ("2018-02-01", "client_id"),
        };
        let mut url = url::Url::parse(self.url()).map_err(|e| {
            MgError::Authentication(format!(
                "The managed identity endpoint from {} ('{}') is not a URL: {e}.",
                self.describe(),
                self.url()
            ))
        })?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("api-version", api);
            q.append_pair("resource", resource);
            if let Some(id) = client_id {
                q.append_pair(id_name, id);
            }
        }
        Ok(url.to_string())
    }
}

/// Asks the endpoint for a token for `resource`.
pub async fn acquire(
    endpoint: &Endpoint,
    resource: &str,
    client_id: Option<&str>,
    timeout: Duration,
) -> Result<TokenResponse, MgError> {
    let url = endpoint.request_url(resource, client_id)?;
    let client = http_client::client_for(&url)?;
    let mut builder = client
        .get(&url)
        .timeout(timeout)
        .header(reqwest::header::ACCEPT, "application/json")
        .header(
            reqwest::header::USER_AGENT,
            http_client::user_agent().as_str(),
        );
    builder = match endpoint {
        Endpoint::AppService { header, .. } => {
            builder.header("X-IDENTITY-HEADER", header.0.as_str())
        }
        Endpoint::Msi {
            secret: Some(s), ..
        } => builder.header("secret", s.0.as_str()),
        Endpoint::Msi { secret: None, .. } => builder,
        Endpoint::Imds { .. } => builder.header("Metadata", "true"),
    };
    let what = format!("Managed identity sign-in through {}", endpoint.describe());
    let (status, body) = oauth::execute(builder, &url, &what).await?;
    if (200..300).contains(&status) {
        return oauth::parse_token(&body);
    }
    let detail = oauth::parse_error(status, &body)
        .map(|e| {
            if e.description.is_empty() {
                e.error
            } else {
                format!("{} ({})", e.description.trim_end_matches('.'), e.error)
            }
        })
        .unwrap_or_else(|| format!("HTTP {status}"));
    let who = client_id
        .map(|c| format!("the user-assigned identity {c}"))
        .unwrap_or_else(|| "the system-assigned identity".into());
    Err(MgError::Authentication(format!(
        "{what} failed for {who}: {detail}."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }
    fn z(v: &str) -> Option<Zeroizing<String>> {
        Some(Zeroizing::new(v.to_string()))
    }

    #[test]
    fn discovery_order() {
        let all = Discovery {
            identity_endpoint: s("http://127.0.0.1:1/msi/token"),
            identity_header: z("h"),
            msi_endpoint: s("http://127.0.0.1:2/msi"),
            msi_secret: z("m"),
        };
        assert!(
            matches!(discover(&all), Endpoint::AppService { ref url, .. } if url.ends_with(":1/msi/token"))
        );
        // IDENTITY_ENDPOINT without its header is not usable: fall through to MSI_ENDPOINT.
        let no_header = Discovery {
            identity_header: None,
            ..all
        };
        assert!(matches!(
            discover(&no_header),
            Endpoint::Msi {
                secret: Some(_),
                ..
            }
        ));
        let msi_only = Discovery {
            msi_endpoint: s("http://127.0.0.1:2/msi"),
            ..Default::default()
        };
        assert!(matches!(
            discover(&msi_only),
            Endpoint::Msi { secret: None, .. }
        ));
        let blank = Discovery {
            identity_endpoint: s("  "),
            identity_header: z("h"),
            msi_endpoint: s(""),
            msi_secret: None,
        };
        assert_eq!(
            discover(&blank),
            Endpoint::Imds {
                url: IMDS_ENDPOINT.into()
            }
        );
        assert!(!format!(
            "{:?}",
            discover(&Discovery {
                identity_endpoint: s("http://x"),
                identity_header: z("top-secret"),
                ..Default::default()
            })
        )
        .contains("top-secret"));
    }

    #[test]
    fn request_urls() {
        let app = Endpoint::AppService {
            url: "http://127.0.0.1:9/msi/token".into(),
            header: HeaderSecret(Zeroizing::new("h".into())),
        };
        assert_eq!(
            app.request_url("https://graph.microsoft.com", Some("abc")).unwrap(),
            "http://127.0.0.1:9/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fgraph.microsoft.com&client_id=abc"
        );
        let msi = Endpoint::Msi {
            url: "http://127.0.0.1:9/msi".into(),
            secret: None,
        };
        assert!(msi
            .request_url("r", Some("abc"))
            .unwrap()
            .ends_with("api-version=2017-09-01&resource=r&clientid=abc"));
        let imds = Endpoint::Imds {
            url: IMDS_ENDPOINT.into(),
        };
        assert!(imds.request_url("r", None).unwrap().starts_with(
            "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"
        ));
        let bad = Endpoint::Msi {
            url: "not a url".into(),
            secret: None,
        };
        assert!(bad.request_url("r", None).is_err());
    }
}
