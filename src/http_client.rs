//! The shared HTTP client: rustls on the ring provider with the platform's certificate store,
//! a 300 s timeout, and no redirects (a redirect must never carry the Authorization header to
//! another host).

use std::time::Duration;

use once_cell::sync::{Lazy, OnceCell};
use parking_lot::RwLock;

use crate::envelope::MgError;

/// `ClientTimeout` of the context: 00:05:00.
pub const TIMEOUT: Duration = Duration::from_secs(300);

/// For remote hosts: honours the HTTP(S)_PROXY / NO_PROXY environment variables.
static CLIENT: OnceCell<reqwest::Client> = OnceCell::new();
/// For loopback hosts: never through a proxy (as .NET bypasses proxies for loopback).
static LOOPBACK_CLIENT: OnceCell<reqwest::Client> = OnceCell::new();

static USER_AGENT: Lazy<RwLock<String>> =
    Lazy::new(|| RwLock::new(format!("Microsoft.Graph.Rs/{}", env!("CARGO_PKG_VERSION"))));

/// Replaces control characters so a value is safe inside a header.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// `Microsoft.Graph.Rs/<ver> (<os>; <culture>) PowerShell/<psVersion>`.
pub fn set_user_agent(ps_version: &str, culture: &str, os: &str) -> String {
    let ua = format!(
        "Microsoft.Graph.Rs/{} ({}; {}) PowerShell/{}",
        env!("CARGO_PKG_VERSION"),
        clean(os),
        clean(culture),
        clean(ps_version)
    );
    *USER_AGENT.write() = ua.clone();
    ua
}

pub fn user_agent() -> String {
    USER_AGENT.read().clone()
}

fn build(use_proxy: bool) -> Result<reqwest::Client, MgError> {
    // Another copy of rustls in the process may have installed a provider already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true);
    if !use_proxy {
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|e| MgError::Internal(format!("Could not create the HTTP client: {e}")))
}

/// The shared client for remote hosts, built on first use.
pub fn client() -> Result<&'static reqwest::Client, MgError> {
    CLIENT.get_or_try_init(|| build(true))
}

/// The shared client suited to `url`: loopback targets bypass any proxy.
pub fn client_for(url: &str) -> Result<&'static reqwest::Client, MgError> {
    let loopback = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host().map(|h| crate::environments::is_loopback_host(&h)))
        .unwrap_or(false);
    if loopback {
        LOOPBACK_CLIENT.get_or_try_init(|| build(false))
    } else {
        client()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_builds_with_ring() {
        assert!(client().is_ok());
        let remote = client_for("https://graph.microsoft.com/beta").unwrap();
        let local = client_for("http://127.0.0.1:5/beta").unwrap();
        assert!(!std::ptr::eq(remote, local));
        assert!(std::ptr::eq(
            local,
            client_for("http://localhost:9").unwrap()
        ));
    }

    #[test]
    fn user_agent_is_sanitised() {
        let ua = set_user_agent("7.4.6", "en-US", "Linux\r\nX: y");
        assert!(ua.starts_with("Microsoft.Graph.Rs/"));
        assert!(
            ua.ends_with("(Linux  X: y; en-US) PowerShell/7.4.6"),
            "{ua}"
        );
        assert!(!ua.contains('\n'));
    }
}
