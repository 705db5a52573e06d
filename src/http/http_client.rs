//! The shared HTTP client: rustls on the ring provider with the platform's certificate store,
//! a 300 s timeout, and no redirects (a redirect must never carry the Authorization header to
//! another host). Proxies: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY by default, and a
//! client per explicit `-Proxy` configuration (proxy.rs).

use std::time::Duration;

use once_cell::sync::{Lazy, OnceCell};
use parking_lot::RwLock;

use crate::envelope::MgError;
use crate::proxy::ProxySettings;

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

/// How long the sign-in requests may take to connect.
const SIGN_IN_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

fn build(use_proxy: bool) -> Result<reqwest::Client, MgError> {
    build_with(
        if use_proxy {
            Via::Environment
        } else {
            Via::Direct
        },
        SIGN_IN_CONNECT_TIMEOUT,
    )
}

/// The connect timeout of a Graph request with `ClientTimeout` `timeout`: all of it but a sliver, so a
/// connection still being made when time runs out fails as a failure to connect (nothing was sent)
/// rather than as a request that may have reached Graph.
pub fn connect_timeout(timeout: Duration) -> Duration {
    timeout.saturating_sub((timeout / 10).min(Duration::from_secs(1)))
}

enum Via<'a> {
    Environment,
    Direct,
    Explicit(&'a ProxySettings),
}

fn build_with(via: Via<'_>, connect: Duration) -> Result<reqwest::Client, MgError> {
    // Another copy of rustls in the process may have installed a provider already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(connect)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true);
    match via {
        Via::Environment => {}
        Via::Direct => builder = builder.no_proxy(),
        Via::Explicit(settings) => {
            // Every target goes through it, loopback included: the user named it.
            let mut proxy = reqwest::Proxy::all(settings.uri.as_str()).map_err(|_| {
                MgError::invalid(
                    "InvalidProxy",
                    "Proxy",
                    "-Proxy is not an address the HTTP client can use.",
                )
            })?;
            if let Some(user) = &settings.user_name {
                proxy = proxy.basic_auth(user, settings.password.as_deref().unwrap_or_default());
            }
            builder = builder.proxy(proxy);
        }
    }
    builder
        .build()
        .map_err(|e| MgError::Internal(format!("Could not create the HTTP client: {e}")))
}

/// The shared client for remote hosts, built on first use.
pub fn client() -> Result<&'static reqwest::Client, MgError> {
    CLIENT.get_or_try_init(|| build(true))
}

/// The shared client suited to `url`. A loopback target skips an environment proxy on another
/// machine, which could never reach this machine's loopback; one on loopback is used (NO_PROXY
/// still applies), so a local debugging proxy sees local traffic too.
pub fn client_for(url: &str) -> Result<&'static reqwest::Client, MgError> {
    if skips_environment_proxy(url) {
        LOOPBACK_CLIENT.get_or_try_init(|| build(false))
    } else {
        client()
    }
}

/// Whether `url` is a loopback target that an environment proxy off this machine could not reach.
fn skips_environment_proxy(url: &str) -> bool {
    let parsed = url::Url::parse(url).ok();
    let loopback = parsed
        .as_ref()
        .and_then(|u| u.host().map(|h| crate::environments::is_loopback_host(&h)))
        .unwrap_or(false);
    let https = parsed.as_ref().is_some_and(|u| u.scheme() == "https");
    let (http_local, https_local) = *ENV_PROXY_ON_LOOPBACK;
    loopback && !(if https { https_local } else { http_local })
}

/// Whether the environment's proxy for http and for https targets is on loopback, read once, as
/// the HTTP client reads the variables once (same names and order; none for a CGI script).
static ENV_PROXY_ON_LOOPBACK: Lazy<(bool, bool)> =
    Lazy::new(|| env_proxy_on_loopback(|name| std::env::var(name).ok()));

fn env_proxy_on_loopback(var: impl Fn(&str) -> Option<String>) -> (bool, bool) {
    if var("REQUEST_METHOD").is_some() {
        return (false, false);
    }
    let first = |names: [&str; 2]| names.iter().find_map(|n| var(n));
    let on_loopback = |value: Option<String>| {
        value.is_some_and(|v| {
            let v = v.trim();
            let text = if v.contains("://") {
                v.to_string()
            } else {
                format!("http://{v}")
            };
            url::Url::parse(&text)
                .ok()
                .and_then(|u| u.host().map(|h| crate::environments::is_loopback_host(&h)))
                .unwrap_or(false)
        })
    };
    let all = first(["ALL_PROXY", "all_proxy"]);
    let http = first(["HTTP_PROXY", "http_proxy"]).filter(|v| !v.trim().is_empty());
    let https = first(["HTTPS_PROXY", "https_proxy"]).filter(|v| !v.trim().is_empty());
    (
        on_loopback(http.or_else(|| all.clone())),
        on_loopback(https.or(all)),
    )
}

/// Clients by key, newest last.
type ClientCache<K> = parking_lot::Mutex<Vec<(K, reqwest::Client)>>;

/// Clients for explicit proxies, with their connect timeout. The key is an HMAC (per-process random
/// key) of the address and credentials, so no plain password is kept outside the client's own header.
static PROXY_CLIENTS: Lazy<ClientCache<(ring::hmac::Tag, Duration)>> = Lazy::new(Default::default);
/// Graph clients without an explicit proxy, per (direct, connect timeout).
static GRAPH_CLIENTS: Lazy<ClientCache<(bool, Duration)>> = Lazy::new(Default::default);
static PROXY_KEY: Lazy<ring::hmac::Key> = Lazy::new(|| {
    ring::hmac::Key::generate(ring::hmac::HMAC_SHA256, &ring::rand::SystemRandom::new())
        .expect("the system random generator works")
});
/// Enough for a few proxies in one session; the oldest client goes first.
const PROXY_CLIENT_LIMIT: usize = 8;

fn proxy_key(settings: &ProxySettings) -> ring::hmac::Tag {
    let mut ctx = ring::hmac::Context::with_key(&PROXY_KEY);
    for part in [
        Some(settings.uri.as_str()),
        settings.user_name.as_deref(),
        settings.password.as_deref(),
    ] {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        let bytes = part.map(str::as_bytes);
        ctx.update(&(bytes.map_or(u64::MAX, |b| b.len() as u64)).to_le_bytes());
        ctx.update(bytes.unwrap_or_default());
    }
    ctx.sign()
}

/// The client for a Graph request with `ClientTimeout` `timeout`, which bounds connecting too
/// ([`connect_timeout`]): its explicit proxy's, else the environment's or a direct one as
/// [`client_for`] chooses. Built once per configuration and timeout.
pub fn client_with(
    url: &str,
    proxy: Option<&ProxySettings>,
    timeout: Duration,
) -> Result<reqwest::Client, MgError> {
    let connect = connect_timeout(timeout);
    let Some(settings) = proxy else {
        let direct = skips_environment_proxy(url);
        let via = if direct {
            Via::Direct
        } else {
            Via::Environment
        };
        return cached(
            &GRAPH_CLIENTS,
            (direct, connect),
            |k, key| k == key,
            || build_with(via, connect),
        );
    };
    refuse_cleartext_to_remote_proxy(url, settings)?;
    let key = (proxy_key(settings), connect);
    cached(
        &PROXY_CLIENTS,
        key,
        |k, key| k.0.as_ref() == key.0.as_ref() && k.1 == key.1,
        || build_with(Via::Explicit(settings), connect),
    )
}

/// The client of `key` in `clients` (moved to the newest place), else a new one, dropping the oldest
/// past [`PROXY_CLIENT_LIMIT`].
fn cached<K>(
    clients: &ClientCache<K>,
    key: K,
    same: impl Fn(&K, &K) -> bool,
    build: impl FnOnce() -> Result<reqwest::Client, MgError>,
) -> Result<reqwest::Client, MgError> {
    let mut clients = clients.lock();
    if let Some(i) = clients.iter().position(|(k, _)| same(k, &key)) {
        let entry = clients.remove(i);
        let client = entry.1.clone();
        clients.push(entry);
        return Ok(client);
    }
    let client = build()?;
    if clients.len() >= PROXY_CLIENT_LIMIT {
        clients.remove(0);
    }
    clients.push((key, client.clone()));
    Ok(client)
}

/// A plain `http://` Graph endpoint (allowed only on loopback) is never reached through a proxy
/// on another machine: the bearer token and the PIN would cross the network unencrypted. An
/// environment proxy is never used for such an endpoint unless it is on loopback ([`client_for`]).
fn refuse_cleartext_to_remote_proxy(url: &str, settings: &ProxySettings) -> Result<(), MgError> {
    let on_loopback = |text: &str| {
        url::Url::parse(text)
            .ok()
            .and_then(|u| u.host().map(|h| crate::environments::is_loopback_host(&h)))
            .unwrap_or(false)
    };
    let plain = url::Url::parse(url).map_or(true, |u| u.scheme() != "https");
    if !plain || on_loopback(&settings.uri) {
        return Ok(());
    }
    Err(MgError::invalid(
        "InsecureProxy",
        "Proxy",
        format!(
            "-Proxy {}: the Graph endpoint {} is plain http:// (allowed only on this machine), so the request, its access token and PIN included, would reach that proxy on another machine unencrypted. Nothing was sent. Use a proxy on this machine (loopback), an https:// Graph endpoint, or leave out -Proxy.",
            settings.uri,
            host_of(url, "of the connection")
        ),
    ))
}

/// A proxy's 407 in words: what was given and what to do. Never the password.
pub fn proxy_auth_message(host: &str, proxy: Option<&ProxySettings>) -> String {
    match proxy {
        Some(ProxySettings {
            uri,
            user_name: Some(user),
            ..
        }) => format!(
            "The proxy {uri} refused the request to {host} (407 Proxy Authentication Required): it did not accept the account '{user}' given with -ProxyCredential. Check the user name and password."
        ),
        Some(ProxySettings { uri, .. }) => format!(
            "The proxy {uri} refused the request to {host} (407 Proxy Authentication Required): it asks for credentials. Pass the proxy account with -ProxyCredential."
        ),
        None => format!(
            "The proxy from the HTTPS_PROXY/HTTP_PROXY environment variables refused the request to {host} (407 Proxy Authentication Required): it asks for credentials. Put them in the variable's address (http://user:password@host:port), or name the proxy with -Proxy and pass -ProxyCredential."
        ),
    }
}

/// A proxy's answer that is not Graph's: 407 from the proxy itself.
pub fn proxy_refusal(status: u16, host: &str, proxy: Option<&ProxySettings>) -> Option<MgError> {
    (status == 407).then(|| MgError::Transport(proxy_auth_message(host, proxy)))
}

/// A transport failure that happened at the proxy, in words; `None` when it is not about a proxy.
pub fn proxy_failure(
    e: &reqwest::Error,
    host: &str,
    proxy: Option<&ProxySettings>,
) -> Option<String> {
    let mut chain = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        source = s.source();
    }
    if chain.contains("proxy authorization required") {
        return Some(proxy_auth_message(host, proxy));
    }
    let uri = proxy.map(|p| p.uri.as_str());
    if chain.contains("tunnel error") {
        return Some(format!(
            "The proxy {} would not open a tunnel (CONNECT) to {host}: {}",
            uri.unwrap_or("from the HTTPS_PROXY environment variable"),
            chain.trim()
        ));
    }
    match uri {
        Some(uri) if e.is_connect() => Some(format!(
            "Could not reach {host} through the proxy {uri}: {}",
            chain.trim()
        )),
        _ => None,
    }
}

/// The most an answer body may hold, success or error, from Graph or the sign-in service: beyond it
/// the answer is refused unread.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Reads an answer's body, at most [`MAX_BODY_BYTES`]: `None` for a larger one, as soon as its
/// length is known or once that much has arrived, so memory stays bounded whatever the server sends.
pub async fn read_body(
    response: &mut reqwest::Response,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let announced = response.content_length();
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    while let Some(chunk) = response.chunk().await? {
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

/// Host (and port) of a URL, for messages; `fallback` when the URL cannot be read.
pub fn host_of(url: &str, fallback: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| fallback.to_string())
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
    fn a_plain_http_endpoint_is_never_reached_through_a_remote_proxy() {
        const T: Duration = Duration::from_secs(300);
        let proxy = |uri: &str| ProxySettings {
            uri: uri.into(),
            user_name: Some("u".into()),
            password: Some("p".into()),
        };
        let e = client_with(
            "http://127.0.0.1:9/beta/x",
            Some(&proxy("http://proxy.contoso.com:8080/")),
            T,
        )
        .unwrap_err();
        let MgError::InvalidArgument {
            error_id,
            parameter_name,
            message,
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(
            (error_id.as_str(), parameter_name.as_str()),
            ("InsecureProxy", "Proxy")
        );
        assert!(
            message.contains("proxy.contoso.com") && message.contains("Nothing was sent"),
            "{message}"
        );
        assert!(!message.contains(":p"), "{message}");
        let e = client_with(
            "http://localhost:9/x",
            Some(&proxy("https://10.0.0.1:3128/")),
            T,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
        // A proxy on loopback, or an https endpoint, is fine.
        assert!(client_with(
            "http://127.0.0.1:9/x",
            Some(&proxy("http://127.0.0.1:3128/")),
            T,
        )
        .is_ok());
        assert!(client_with(
            "http://[::1]:9/x",
            Some(&proxy("http://localhost:3128/")),
            T,
        )
        .is_ok());
        assert!(client_with(
            "https://graph.microsoft.com/x",
            Some(&proxy("http://proxy.contoso.com:8080/")),
            T,
        )
        .is_ok());
    }

    #[test]
    fn environment_proxy_on_loopback() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(env_proxy_on_loopback(env(&[])), (false, false));
        assert_eq!(
            env_proxy_on_loopback(env(&[("HTTPS_PROXY", "http://127.0.0.1:3128")])),
            (false, true)
        );
        assert_eq!(
            env_proxy_on_loopback(env(&[("http_proxy", "localhost:3128")])),
            (true, false)
        );
        assert_eq!(
            env_proxy_on_loopback(env(&[
                ("ALL_PROXY", "http://[::1]:1"),
                ("HTTP_PROXY", "http://proxy.contoso.com:8080")
            ])),
            (false, true)
        );
        assert_eq!(
            env_proxy_on_loopback(env(&[
                ("HTTPS_PROXY", "http://127.0.0.1:1"),
                ("REQUEST_METHOD", "GET")
            ])),
            (false, false)
        );
    }

    #[test]
    fn explicit_proxy_clients_are_cached_per_configuration() {
        let settings = |user: Option<&str>, password: Option<&str>| ProxySettings {
            uri: "http://127.0.0.1:3128/".into(),
            user_name: user.map(Into::into),
            password: password.map(Into::into),
        };
        let url = "http://127.0.0.1:9/beta";
        let t = TIMEOUT;
        let a = proxy_key(&settings(Some("bob"), Some("one")));
        assert_eq!(
            a.as_ref(),
            proxy_key(&settings(Some("bob"), Some("one"))).as_ref()
        );
        assert_ne!(
            a.as_ref(),
            proxy_key(&settings(Some("bob"), Some("two"))).as_ref()
        );
        assert_ne!(a.as_ref(), proxy_key(&settings(None, None)).as_ref());
        assert_ne!(
            proxy_key(&settings(Some("bo"), Some("bone"))).as_ref(),
            a.as_ref()
        );
        assert!(client_with(url, Some(&settings(Some("bob"), Some("one"))), t).is_ok());
        assert!(client_with(url, None, t).is_ok());
        for i in 0..(PROXY_CLIENT_LIMIT + 3) {
            let p = format!("p{i}");
            client_with(url, Some(&settings(Some("bob"), Some(&p))), t).unwrap();
            client_with(url, None, Duration::from_secs(i as u64 + 1)).unwrap();
        }
        assert!(PROXY_CLIENTS.lock().len() <= PROXY_CLIENT_LIMIT);
        assert!(GRAPH_CLIENTS.lock().len() <= PROXY_CLIENT_LIMIT);
    }

    #[test]
    fn connecting_may_take_nearly_all_of_client_timeout() {
        assert_eq!(
            connect_timeout(Duration::from_secs(300)),
            Duration::from_secs(299)
        );
        assert_eq!(
            connect_timeout(Duration::from_secs(60)),
            Duration::from_secs(59)
        );
        assert_eq!(
            connect_timeout(Duration::from_secs(1)),
            Duration::from_millis(900)
        );
    }

    #[test]
    fn proxy_messages_never_hold_the_password() {
        let s = ProxySettings {
            uri: "http://127.0.0.1:3128/".into(),
            user_name: Some("bob".into()),
            password: Some("hunter2".into()),
        };
        let m = proxy_auth_message("graph.microsoft.com", Some(&s));
        assert!(
            m.contains("407") && m.contains("'bob'") && !m.contains("hunter2"),
            "{m}"
        );
        assert!(proxy_auth_message("h", None).contains("HTTPS_PROXY"));
        assert_eq!(proxy_refusal(407, "h", None).unwrap().kind(), "transport");
        assert!(proxy_refusal(403, "h", None).is_none());
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
