//! A small forwarding proxy on loopback for the module's proxy tests: CONNECT tunnels (HTTPS)
//! and absolute-form HTTP requests, optional Basic credentials, and a log of what passed
//! through (`GET /_proxy/log`). It only ever connects to loopback targets.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use base64::Engine;
use clap::Parser;
use parking_lot::Mutex;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Forwards HTTP and CONNECT requests to loopback targets, for tests.
#[derive(Parser, Debug)]
#[command(name = "test-proxy", version)]
struct Cli {
    /// TCP port on 127.0.0.1; 0 lets the operating system choose.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Require these Basic credentials (Proxy-Authorization), answering 407 otherwise.
    #[arg(long, requires = "password")]
    user: Option<String>,
    #[arg(long, requires = "user")]
    password: Option<String>,
    /// Exit once stdin reaches end-of-file, so the proxy dies with the harness that started it.
    #[arg(long)]
    exit_on_stdin_close: bool,
}

struct Proxy {
    expected_auth: Option<String>,
    log: Mutex<Vec<serde_json::Value>>,
}

const MAX_HEAD: usize = 64 * 1024;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let listener = match TcpListener::bind(("127.0.0.1", cli.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("test-proxy: cannot listen on 127.0.0.1:{}: {e}", cli.port);
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("bound socket has an address");
    let expected_auth = cli.user.as_ref().map(|user| {
        let pair = format!("{user}:{}", cli.password.as_deref().unwrap_or_default());
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    });
    let proxy = Arc::new(Proxy {
        expected_auth,
        log: Mutex::new(Vec::new()),
    });

    if cli.exit_on_stdin_close {
        std::thread::spawn(|| {
            let mut sink = [0u8; 1024];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            std::process::exit(0);
        });
    }
    let mut out = std::io::stdout();
    let _ = writeln!(out, "TEST_PROXY_URL=http://{addr}");
    let _ = out.flush();

    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let proxy = proxy.clone();
        tokio::spawn(async move {
            let _ = handle(stream, proxy).await;
        });
    }
}

/// Reads up to the end of the request head; returns the head and any bytes read past it.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Ok(Some((String::from_utf8_lossy(&buf).into_owned(), rest)));
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: &str,
    extra: &str,
    body: &str,
) -> std::io::Result<()> {
    let text = format!(
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).await
}

/// The target's address, if it is a loopback one (this proxy never leaves the machine).
async fn loopback_target(host_port: &str) -> Option<SocketAddr> {
    let addrs = tokio::net::lookup_host(host_port).await.ok()?;
    addrs
        .into_iter()
        .find(|a| matches!(a.ip(), IpAddr::V4(v4) if v4.is_loopback()) || a.ip().is_loopback())
}

async fn handle(mut client: TcpStream, proxy: Arc<Proxy>) -> std::io::Result<()> {
    let Some((head, rest)) = read_head(&mut client).await? else {
        return Ok(());
    };
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let mut parts = request_line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
    );
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();

    if method == "GET" && target == "/_proxy/log" {
        let body = serde_json::Value::Array(proxy.log.lock().clone()).to_string();
        return respond(
            &mut client,
            "200 OK",
            "Content-Type: application/json\r\n",
            &body,
        )
        .await;
    }

    let given_auth = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("proxy-authorization"))
        .map(|(_, v)| v.clone());
    let authorized = match &proxy.expected_auth {
        Some(expected) => given_auth.as_deref() == Some(expected.as_str()),
        None => true,
    };
    proxy.log.lock().push(json!({
        "method": method,
        "target": target,
        "authorized": authorized,
        "credentialsOffered": given_auth.is_some(),
    }));
    if !authorized {
        return respond(
            &mut client,
            "407 Proxy Authentication Required",
            "Proxy-Authenticate: Basic realm=\"test-proxy\"\r\n",
            "",
        )
        .await;
    }

    if method.eq_ignore_ascii_case("CONNECT") {
        let Some(addr) = loopback_target(&target).await else {
            return respond(&mut client, "403 Forbidden", "", "loopback targets only").await;
        };
        let mut upstream = match TcpStream::connect(addr).await {
            Ok(s) => s,
            Err(_) => return respond(&mut client, "502 Bad Gateway", "", "").await,
        };
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
        upstream.write_all(&rest).await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }

    // Absolute-form HTTP: forward one request, without the proxy's own headers, and close
    // afterwards so the next request comes through here (and into the log) again.
    let Some(authority) = target
        .strip_prefix("http://")
        .map(|t| t.split('/').next().unwrap_or_default().to_string())
    else {
        return respond(
            &mut client,
            "400 Bad Request",
            "",
            "absolute-form http:// targets only",
        )
        .await;
    };
    let host_port = if authority.contains(':') {
        authority.clone()
    } else {
        format!("{authority}:80")
    };
    let Some(addr) = loopback_target(&host_port).await else {
        return respond(&mut client, "403 Forbidden", "", "loopback targets only").await;
    };
    let mut upstream = match TcpStream::connect(addr).await {
        Ok(s) => s,
        Err(_) => return respond(&mut client, "502 Bad Gateway", "", "").await,
    };
    let mut forwarded = format!("{request_line}\r\n");
    for (name, value) in &headers {
        let lower = name.to_ascii_lowercase();
        if lower == "proxy-authorization" || lower == "proxy-connection" || lower == "connection" {
            continue;
        }
        forwarded.push_str(&format!("{name}: {value}\r\n"));
    }
    forwarded.push_str("Connection: close\r\n\r\n");
    upstream.write_all(forwarded.as_bytes()).await?;
    upstream.write_all(&rest).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}
