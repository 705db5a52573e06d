//! Interactive sign-in: authorization code with PKCE (S256) through the system browser and a
//! loopback redirect (`http://localhost:<port>/`) served by a one-shot listener on 127.0.0.1.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zeroize::Zeroizing;

use super::oauth::{self, TokenResponse};
use super::Authority;
use crate::envelope::MgError;
use crate::log_queue;

/// How long to wait for the browser to come back.
pub const WAIT: Duration = Duration::from_secs(300);

/// A PKCE verifier and its S256 challenge.
pub struct Pkce {
    pub verifier: Zeroizing<String>,
    pub challenge: String,
}

fn random_text(bytes: usize) -> Result<String, MgError> {
    let mut buf = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| MgError::Internal("The system random generator failed.".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// The challenge for a verifier: base64url(SHA-256(verifier)).
pub fn challenge_for(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ))
}

impl Pkce {
    /// 32 random bytes give a 43-character verifier, the shortest RFC 7636 allows.
    pub fn new() -> Result<Pkce, MgError> {
        let verifier = Zeroizing::new(random_text(32)?);
        let challenge = challenge_for(&verifier);
        Ok(Pkce {
            verifier,
            challenge,
        })
    }
}

/// The authorize URL the browser opens.
pub fn authorize_url(
    authority: &Authority,
    client_id: &str,
    redirect_uri: &str,
    scope: &str,
    state: &str,
    challenge: &str,
) -> String {
    let mut url = authority.endpoint("authorize");
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("response_mode", "query")
        .append_pair("scope", scope)
        .append_pair("state", state)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("prompt", "select_account")
        .finish();
    url.push('?');
    url.push_str(&query);
    url
}

/// How to show the sign-in page.
#[derive(Debug, Clone, PartialEq)]
pub enum Browser {
    /// The system browser (xdg-open, open, or the Windows URL handler).
    System,
    /// Print the address only.
    None,
    /// A program started with the address as its only argument.
    Program(String),
}

/// Tries to open the sign-in page. `false` when nothing could be started.
fn open_browser(url: &str, browser: &Browser) -> bool {
    let mut cmd = if let Browser::Program(program) = browser {
        let mut c = std::process::Command::new(program);
        c.arg(url);
        c
    } else if cfg!(target_os = "windows") {
        // rundll32 takes the URL as one argument, unlike `cmd /c start`, which would split it at '&'.
        let mut c = std::process::Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler").arg(url);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match cmd.spawn() {
        Ok(mut child) => {
            // Reap the launcher without blocking anyone.
            std::thread::spawn(move || {
                let _ = child.wait();
            });
            true
        }
        Err(_) => false,
    }
}

/// What the redirect carried.
#[derive(Debug, PartialEq)]
pub enum Redirect {
    Code(Zeroizing<String>),
    Error(String, String),
    /// Not for us (favicon, wrong state, ...).
    Ignore,
}

/// Reads the query of `GET /?code=...&state=... HTTP/1.1`.
pub fn parse_redirect(request_line: &str, expected_state: &str) -> Redirect {
    let mut parts = request_line.split_whitespace();
    let (Some("GET"), Some(target)) = (parts.next(), parts.next()) else {
        return Redirect::Ignore;
    };
    let Some((path, query)) = target.split_once('?') else {
        return Redirect::Ignore;
    };
    if path != "/" {
        return Redirect::Ignore;
    }
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = String::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "code" => code = Some(Zeroizing::new(v.into_owned())),
            "state" => state = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            "error_description" => description = oauth::clean_description(&v),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected_state) {
        return Redirect::Ignore;
    }
    match (code, error) {
        (_, Some(e)) => Redirect::Error(e, description),
        (Some(c), None) => Redirect::Code(c),
        _ => Redirect::Ignore,
    }
}

async fn answer(mut sock: TcpStream, status: &str, text: &str) {
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Microsoft.Graph.Rs</title></head><body><p>{text}</p></body></html>"
    );
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{body}",
        body.len()
    );
    let _ = sock.write_all(reply.as_bytes()).await;
    let _ = sock.shutdown().await;
}

/// Reads one request head (at most 16 KiB) and returns its first line.
async fn read_request_line(sock: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), sock.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.len() > 16 * 1024 {
            break;
        }
    }
    let text = String::from_utf8_lossy(&buf);
    text.lines().next().map(str::to_string)
}

async fn accept_any(v4: &TcpListener, v6: Option<&TcpListener>) -> std::io::Result<TcpStream> {
    match v6 {
        Some(v6) => tokio::select! {
            r = v4.accept() => r.map(|(s, _)| s),
            r = v6.accept() => r.map(|(s, _)| s),
        },
        None => v4.accept().await.map(|(s, _)| s),
    }
}

/// Runs the flow. `open` false means: do not start a browser, only print the URL.
pub async fn sign_in(
    authority: &Authority,
    client_id: &str,
    scope: &str,
    browser: &Browser,
    timeout: Duration,
) -> Result<TokenResponse, MgError> {
    let what = "Interactive sign-in";
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
        MgError::Authentication(format!(
            "{what}: could not listen on a loopback port for the browser's redirect: {e}."
        ))
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| MgError::Internal(e.to_string()))?
        .port();
    // Browsers may resolve localhost to ::1 first; listen there too when IPv6 is available.
    let v6 = TcpListener::bind(("::1", port)).await.ok();
    let redirect_uri = format!("http://localhost:{port}/");
    let pkce = Pkce::new()?;
    let state = random_text(16)?;
    let url = authorize_url(
        authority,
        client_id,
        &redirect_uri,
        scope,
        &state,
        &pkce.challenge,
    );

    let opened = *browser != Browser::None && open_browser(&url, browser);
    if opened {
        log_queue::information(format!(
            "A browser window opens for you to sign in. If it does not, open this address yourself: {url}"
        ));
    } else {
        log_queue::information(format!(
            "No browser could be opened. To sign in, open this address in a browser on this computer: {url}"
        ));
    }

    let code = tokio::time::timeout(WAIT, async {
        loop {
            let mut sock = accept_any(&listener, v6.as_ref()).await.map_err(|e| {
                MgError::Authentication(format!("{what}: the loopback listener failed: {e}."))
            })?;
            let Some(line) = read_request_line(&mut sock).await else {
                continue;
            };
            match parse_redirect(&line, &state) {
                Redirect::Code(code) => {
                    answer(
                        sock,
                        "200 OK",
                        "Sign-in complete. You can close this window and return to PowerShell.",
                    )
                    .await;
                    return Ok(code);
                }
                Redirect::Error(error, description) => {
                    answer(
                        sock,
                        "200 OK",
                        "Sign-in failed. Return to PowerShell for details.",
                    )
                    .await;
                    let e = oauth::OAuthError {
                        status: 400,
                        error,
                        description,
                    };
                    return Err(oauth::explain(what, &e));
                }
                Redirect::Ignore => answer(sock, "404 Not Found", "Not found.").await,
            }
        }
    })
    .await
    .map_err(|_| {
        MgError::Authentication(format!(
            "{what}: nobody completed the sign-in in the browser within {} minutes.",
            WAIT.as_secs() / 60
        ))
    })??;

    let form = vec![
        (
            "grant_type",
            Zeroizing::new("authorization_code".to_string()),
        ),
        ("client_id", Zeroizing::new(client_id.to_string())),
        ("code", code),
        ("redirect_uri", Zeroizing::new(redirect_uri)),
        ("code_verifier", pkce.verifier.clone()),
        ("scope", Zeroizing::new(scope.to_string())),
    ];
    let body = oauth::post_form(&authority.endpoint("token"), form, timeout, what)
        .await
        .map_err(|e| oauth::into_error(what, e))?;
    oauth::parse_token(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_example() {
        // Appendix B of RFC 7636.
        assert_eq!(
            challenge_for("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let p = Pkce::new().unwrap();
        assert_eq!(p.verifier.len(), 43);
        assert_eq!(p.challenge, challenge_for(&p.verifier));
        assert_ne!(Pkce::new().unwrap().verifier, p.verifier);
    }

    #[test]
    fn authorize_url_carries_pkce_and_state() {
        let a = Authority {
            aad: "http://127.0.0.1:5".into(),
            tenant: "contoso.example".into(),
        };
        let url = authorize_url(
            &a,
            "cid",
            "http://localhost:9/",
            "User.Read offline_access",
            "st",
            "ch",
        );
        assert!(url.starts_with("http://127.0.0.1:5/contoso.example/oauth2/v2.0/authorize?client_id=cid&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A9%2F"), "{url}");
        assert!(url.contains("&state=st&code_challenge=ch&code_challenge_method=S256"));
        assert!(url.contains("scope=User.Read+offline_access"));
    }

    #[test]
    fn redirects() {
        assert_eq!(
            parse_redirect("GET /?code=abc&state=s1 HTTP/1.1", "s1"),
            Redirect::Code(Zeroizing::new("abc".into()))
        );
        assert_eq!(
            parse_redirect("GET /?code=abc&state=other HTTP/1.1", "s1"),
            Redirect::Ignore
        );
        assert_eq!(
            parse_redirect("GET /favicon.ico HTTP/1.1", "s1"),
            Redirect::Ignore
        );
        assert_eq!(
            parse_redirect(
                "GET /?error=access_denied&error_description=AADSTS65004%3A+declined%0D%0ATrace+ID%3A+x&state=s1 HTTP/1.1",
                "s1"
            ),
            Redirect::Error("access_denied".into(), "AADSTS65004: declined".into())
        );
        assert_eq!(
            parse_redirect("POST /?code=a&state=s1 HTTP/1.1", "s1"),
            Redirect::Ignore
        );
    }
}
