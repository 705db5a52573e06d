//! CLI entry point: validate the bind address, listen, announce the URL on stdout, serve.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr};

use clap::Parser;
use graph_emulator::{app, AppState};

/// Emulates Microsoft Graph's QR code PIN endpoints over plain HTTP on a loopback address.
#[derive(Parser, Debug)]
#[command(name = "graph-emulator", version)]
struct Cli {
    /// Address to bind; must be a loopback address (127.0.0.0/8, ::1 or "localhost").
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// TCP port; 0 lets the operating system choose a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Tenant PIN length (8-20) at start-up and after `POST /_emulator/reset`.
    #[arg(long, default_value_t = graph_emulator::state::DEFAULT_PIN_LENGTH,
          value_parser = clap::value_parser!(u32).range(8..=20))]
    pin_length: u32,
    /// Exit once stdin reaches end-of-file, so a test harness that dies takes the emulator with it.
    #[arg(long)]
    exit_on_stdin_close: bool,
    /// Serve HTTPS with a fresh self-signed certificate for the loopback names, written to this
    /// file as PEM (for the client to trust); the announced URL is then https://.
    #[arg(long, value_name = "PEM_PATH")]
    tls_cert_out: Option<std::path::PathBuf>,
}

fn loopback_ip(host: &str) -> Result<IpAddr, String> {
    let trimmed = host.trim_start_matches('[').trim_end_matches(']');
    let ip = if trimmed.eq_ignore_ascii_case("localhost") {
        IpAddr::from([127, 0, 0, 1])
    } else {
        trimmed
            .parse::<IpAddr>()
            .map_err(|_| format!("--host '{host}' is not an IP address or 'localhost'"))?
    };
    if ip.is_loopback() {
        Ok(ip)
    } else {
        Err(format!(
            "--host '{host}' is not a loopback address; the emulator only listens on loopback"
        ))
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let ip = match loopback_ip(&cli.host) {
        Ok(ip) => ip,
        Err(msg) => {
            eprintln!("graph-emulator: {msg}");
            std::process::exit(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(ip, cli.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("graph-emulator: cannot listen on {ip}:{}: {e}", cli.port);
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("bound socket has an address");

    let state = AppState::new(cli.pin_length);

    if cli.exit_on_stdin_close {
        // A plain thread: blocking reads on stdin would tie up a runtime worker.
        std::thread::spawn(|| {
            let mut sink = [0u8; 1024];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            std::process::exit(0);
        });
    }

    let tls = match &cli.tls_cert_out {
        None => None,
        Some(path) => match graph_emulator::tls::self_signed() {
            Ok((pem, config)) => {
                if let Err(e) = std::fs::write(path, pem) {
                    eprintln!("graph-emulator: cannot write {}: {e}", path.display());
                    std::process::exit(1);
                }
                Some(config)
            }
            Err(e) => {
                eprintln!("graph-emulator: cannot make a TLS certificate: {e}");
                std::process::exit(1);
            }
        },
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    state
        .https
        .store(tls.is_some(), std::sync::atomic::Ordering::Relaxed);

    // The harness reads this single line to learn where to connect; flush so it is not stuck in a buffer.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "GRAPH_EMULATOR_URL={scheme}://{addr}");
    let _ = out.flush();

    if let Some(config) = tls {
        graph_emulator::tls::serve(listener, app(state), config).await;
        return;
    }
    if let Err(e) = axum::serve(listener, app(state)).await {
        eprintln!("graph-emulator: server error: {e}");
        std::process::exit(1);
    }
}
