//! End-to-end tests of the real binary: CLI, the announced URL line, stdin-close shutdown, and links that name it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graph-emulator"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("GRAPH_EMULATOR_URL=")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, url)
}

/// Minimal HTTP/1.1 client: one request per connection, returns status line and body.
fn http(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let authority = url.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(authority).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp[9..12].parse().unwrap();
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serves_patch_and_exits_when_stdin_closes() {
    let (mut child, url) = spawn(&["--port", "0", "--pin-length", "10", "--exit-on-stdin-close"]);
    assert!(url.starts_with("http://127.0.0.1:"));

    let (status, _) = http(
        &url,
        "POST",
        "/_emulator/users",
        &[("Content-Type", "application/json")],
        r#"[{"userPrincipalName":"carol@contoso.com"}]"#,
    );
    assert_eq!(status, 201);
    let (_, tok) = http(
        &url,
        "POST",
        "/_emulator/tokens",
        &[],
        r#"{"roles":["UserAuthenticationMethod.ReadWrite.All"]}"#,
    );
    let tok: serde_json::Value = serde_json::from_str(&tok).unwrap();
    let auth = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let (status, body) = http(
        &url,
        "PATCH",
        "/beta/users/carol%40contoso.com/authentication/qrCodePinMethod/pin",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        "{}",
    );
    assert_eq!(status, 201, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"].as_str().unwrap().len(), 10);

    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        assert!(
            Instant::now() < deadline,
            "emulator did not exit after stdin closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn refuses_non_loopback_host() {
    let out = Command::new(env!("CARGO_BIN_EXE_graph-emulator"))
        .args(["--host", "0.0.0.0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
    assert!(out.stdout.is_empty());
}

#[test]
fn next_links_name_the_announced_url() {
    let (mut child, url) = spawn(&["--port", "0", "--exit-on-stdin-close"]);
    let (status, _) = http(
        &url,
        "POST",
        "/_emulator/users",
        &[("Content-Type", "application/json")],
        r#"[{"userPrincipalName":"a@contoso.com"},{"userPrincipalName":"b@contoso.com"},{"userPrincipalName":"c@contoso.com"}]"#,
    );
    assert_eq!(status, 201);
    let (_, tok) = http(
        &url,
        "POST",
        "/_emulator/tokens",
        &[],
        r#"{"roles":["User.Read.All"]}"#,
    );
    let tok: serde_json::Value = serde_json::from_str(&tok).unwrap();
    let auth = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let mut path = "/v1.0/users?$top=2&$select=userPrincipalName".to_owned();
    let mut seen = Vec::new();
    loop {
        let (status, body) = http(&url, "GET", &path, &[("Authorization", &auth)], "");
        assert_eq!(status, 200, "{body}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(body["@odata.context"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{url}/v1.0/$metadata#users")));
        for u in body["value"].as_array().unwrap() {
            seen.push(u["userPrincipalName"].as_str().unwrap().to_owned());
        }
        match body["@odata.nextLink"].as_str() {
            Some(link) => {
                path = link
                    .strip_prefix(url.as_str())
                    .unwrap_or_else(|| panic!("{link} is not under {url}"))
                    .to_owned();
                assert!(
                    path.starts_with("/v1.0/users?$top=2&$select=userPrincipalName&$skiptoken=")
                );
            }
            None => break,
        }
    }
    assert_eq!(seen, ["a@contoso.com", "b@contoso.com", "c@contoso.com"]);
    drop(child.stdin.take());
    let _ = child.wait();
}
