//! The `send` operation: PATCH the prepared request to Graph with the connection's token,
//! retrying throttling answers, and map the final response.

use std::error::Error as _;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::Value;

use crate::commands::resolve::Paging;
use crate::commands::table::Command;
use crate::envelope::MgError;
use crate::http_client;
use crate::http_log::{self, Attempt, Next, Outcome};
use crate::log_queue;
use crate::request::PreparedRequest;
use crate::request_context;
use crate::request_override;
use crate::response::{self, RawResponse};
use crate::scheduler::{self, Tally};
use crate::session::{self, Store};

/// Longest single wait we accept from a Retry-After header.
pub const MAX_DELAY: Duration = Duration::from_secs(180);

fn retryable(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// The wait a `Retry-After` header asks for (seconds or an HTTP date), capped at [`MAX_DELAY`].
pub fn retry_after(headers: &[(String, String)]) -> Option<Duration> {
    response::header(headers, "retry-after").and_then(|v| {
        let v = v.trim();
        if let Ok(secs) = v.parse::<f64>() {
            return (secs.is_finite() && secs >= 0.0)
                .then(|| Duration::from_secs_f64(secs).min(MAX_DELAY));
        }
        chrono::DateTime::parse_from_rfc2822(v).ok().map(|at| {
            (at.with_timezone(&Utc) - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(MAX_DELAY)
        })
    })
}

/// How long to wait before retry number `attempt` (1-based): the Retry-After, else `base` doubled on
/// each retry (3, 6, 12 s by default).
pub fn retry_delay(headers: &[(String, String)], attempt: u32, base: Duration) -> Duration {
    retry_after(headers)
        .unwrap_or_else(|| backoff(base, attempt))
        .min(MAX_DELAY)
}

fn backoff(base: Duration, attempt: u32) -> Duration {
    (base * 2u32.saturating_pow(attempt.saturating_sub(1).min(16))).min(MAX_DELAY)
}

/// A transport failure in words, without the token (reqwest errors never carry headers).
pub fn describe_transport_error(e: &reqwest::Error, host: &str) -> String {
    let mut chain = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        source = s.source();
    }
    let io_kind = {
        let mut found = None;
        let mut source = e.source();
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                found = Some(io.kind());
                break;
            }
            source = s.source();
        }
        found
    };
    if e.is_timeout() {
        return format!(
            "The request to {host} timed out after {} seconds without an answer.",
            http_client::TIMEOUT.as_secs()
        );
    }
    if chain.contains("dns error")
        || chain.contains("failed to lookup")
        || chain.contains("name or service not known")
        || chain.contains("no such host")
    {
        return format!("The host name {host} could not be resolved (DNS lookup failed). Check the environment's GraphEndpoint and your network.");
    }
    if io_kind == Some(std::io::ErrorKind::ConnectionRefused)
        || chain.contains("connection refused")
    {
        return format!("The connection to {host} was refused: nothing is listening there. Check the environment's GraphEndpoint.");
    }
    if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        return format!(
            "The secure connection to {host} failed (TLS): {}",
            chain.trim()
        );
    }
    if e.is_connect() {
        return format!("Could not connect to {host}: {}", chain.trim());
    }
    format!(
        "The request to {host} failed before Graph answered: {}",
        if chain.is_empty() {
            e.to_string()
        } else {
            chain.trim().to_string()
        }
    )
}

fn host_of(url: &str) -> String {
    http_client::host_of(url, "the Graph endpoint")
}

/// Which log lines the caller will show (the `log` field: `warning`, `verbose` or `debug`; all when
/// absent). Lines nobody will read are not even formatted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Log {
    verbose: bool,
    debug: bool,
}

impl Log {
    pub fn from_input(input: &serde_json::Map<String, Value>) -> Self {
        match input.get("log").and_then(Value::as_str) {
            Some("debug") | None => Log {
                verbose: true,
                debug: true,
            },
            Some("verbose") => Log {
                verbose: true,
                debug: false,
            },
            Some(_) => Log {
                verbose: false,
                debug: false,
            },
        }
    }

    fn verbose(self, line: impl FnOnce() -> String) {
        if self.verbose {
            log_queue::verbose(line());
        }
    }
}

/// Runs `send` against the process-wide connection; a request changed by script steps (an
/// `override`) also hands back Graph's final answer for the response steps.
pub async fn send_observing(
    input: &serde_json::Map<String, Value>,
    answer: &mut Option<RawResponse>,
) -> Result<Value, MgError> {
    send_observed(&session::STORE, input, answer).await
}

/// Runs `send` against a given connection store (the tests' own).
#[cfg(test)]
pub async fn send_with(
    store: &Store,
    input: &serde_json::Map<String, Value>,
) -> Result<Value, MgError> {
    send_observed(store, input, &mut None).await
}

async fn send_observed(
    store: &Store,
    input: &serde_json::Map<String, Value>,
    answer: &mut Option<RawResponse>,
) -> Result<Value, MgError> {
    let req_value = input.get("request").ok_or_else(|| {
        MgError::invalid(
            "InvalidRequest",
            "request",
            "send needs the 'request' that prepare returned.",
        )
    })?;
    let req = PreparedRequest::from_value(req_value)?;
    // Issue 11: while the request is under way, its secrets (the PIN) are masked in every text the
    // module shows, whatever a server repeats; the result's texts are masked before they are let go.
    let _held: Vec<_> = body_secrets(&req)
        .iter()
        .map(|s| crate::redact::in_flight(s))
        .collect();
    match attempts(store, input, answer, &req).await {
        Ok(mut value) => {
            // For -ResponseHeadersVariable; the output's secrets (the PIN) are shown on purpose.
            if let Some(headers) = value.get_mut("headers") {
                crate::redact::mask_value(headers);
            }
            Ok(value)
        }
        Err(mut e) => {
            e.mask();
            Err(e)
        }
    }
}

async fn attempts(
    store: &Store,
    input: &serde_json::Map<String, Value>,
    answer: &mut Option<RawResponse>,
    req: &PreparedRequest,
) -> Result<Value, MgError> {
    let log = Log::from_input(input);
    // Issue 3: the connection's current token, renewed first when close to expiry. Issue 11: this
    // snapshot of the connection (endpoint, token, renewer) serves every attempt of the request.
    let mut creds = crate::auth::bearer(store).await?;
    // Method, URL, headers and body: the prepared request's, or those -HttpPipelinePrepend/-Append
    // steps left (the override is checked there; nothing is sent when it is refused).
    let outgoing = request_override::outgoing(req, input.get("override"), &creds.graph_endpoint)?;
    let from_steps = outgoing.steps_given();
    let header_list = outgoing.headers.as_deref().unwrap_or(&req.headers);
    let client_request_id = match outgoing.headers.as_deref() {
        Some(headers) => response::header(headers, "client-request-id")
            .unwrap_or("(none)")
            .to_string(),
        None => uuid::Uuid::new_v4().to_string(),
    };
    let command = req.command()?;
    let secrets = body_secrets(req);
    let lost_answer_note = response::lost_answer_note(command);
    let too_large_error =
        |status: u16, request_id: String| too_large(command, status, request_id, &req.user_id);
    let wire = Wire {
        method: outgoing.method,
        client: &http_client::client_with(&outgoing.url, req.proxy.as_ref(), creds.timeout)?,
        url: outgoing.url,
        body: &outgoing.body,
        content_type: (!outgoing.body.is_empty()).then(|| "application/json".to_string()),
        module_headers: !from_steps,
        accept: Some("application/json"),
        user_agent: http_client::user_agent(),
        client_request_id,
        user_headers: header_values(header_list, "Headers")?,
        shown_names: header_list,
        access: if command.is_read() {
            scheduler::Access::Read
        } else {
            scheduler::Access::Write
        },
        // The table says when an attempt that may have reached Graph may be sent again (the PIN
        // reset: only with its code, since without one every request makes a new PIN).
        idempotent: outgoing.idempotent,
        proxy: req.proxy.as_ref(),
        user_id: &req.user_id,
        secrets: &secrets,
        lost_answer_note: &lost_answer_note,
        too_large: &too_large_error,
    };
    let done = exchange_retrying(store, &mut creds, &wire, log).await?;
    let raw = RawResponse {
        status: done.status,
        headers: done.headers,
        body: String::from_utf8(done.body)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    };
    if from_steps {
        *answer = Some(raw.clone());
    }
    if done.exhausted {
        return Err(MgError::RetriesExhausted {
            error: Box::new(response::graph_error(&raw)),
            retries: done.retries,
        });
    }
    // For progress: how often this item was throttled and retried.
    let mut value = finish(req, &raw)?;
    value["throttled"] = Value::from(done.throttled);
    value["retries"] = Value::from(done.retries);
    Ok(value)
}

/// Header pairs as reqwest takes them; `parameter` names where they came from in an error.
pub fn header_values(
    list: &[(String, String)],
    parameter: &str,
) -> Result<Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>, MgError> {
    let mut out = Vec::with_capacity(list.len());
    for (name, value) in list {
        let n = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            MgError::invalid(
                "InvalidHeader",
                parameter,
                format!("{parameter}: '{name}' is not a valid header name."),
            )
        })?;
        let v = reqwest::header::HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
            MgError::invalid(
                "InvalidHeader",
                parameter,
                format!("{parameter}: the value of '{name}' is not a valid header value."),
            )
        })?;
        out.push((n, v));
    }
    Ok(out)
}

/// One request as every attempt sends it: what goes on the wire and what the attempt loop
/// needs to know about it (lane, whether a lost answer may be sent again, what to say).
pub struct Wire<'a> {
    pub method: reqwest::Method,
    pub client: &'a reqwest::Client,
    pub url: String,
    pub body: &'a [u8],
    /// Sent as `Content-Type` when given.
    pub content_type: Option<String>,
    /// Add `User-Agent`, `client-request-id` and `Accept` (when given); without them (script
    /// steps made the header list) only `user_headers` go out.
    pub module_headers: bool,
    pub accept: Option<&'a str>,
    pub user_agent: String,
    pub client_request_id: String,
    /// Headers of the caller: they replace the module's of the same name.
    pub user_headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    /// The caller's spelling of header names, for the -Debug block.
    pub shown_names: &'a [(String, String)],
    /// The throttling lane: reads and writes are metered apart.
    pub access: scheduler::Access,
    /// Whether an attempt that may have reached Graph may be sent again.
    pub idempotent: bool,
    pub proxy: Option<&'a crate::proxy::ProxySettings>,
    /// Who the request is for (in-doubt records); empty when it names no user.
    pub user_id: &'a str,
    /// Values scrubbed from error answers (a PIN Graph repeats).
    pub secrets: &'a [String],
    /// Appended to a transport failure after a request that may have reached Graph.
    pub lost_answer_note: &'a str,
    /// The error of an answer over [`http_client::MAX_BODY_BYTES`]: status and request id.
    pub too_large: &'a (dyn Fn(u16, String) -> MgError + Sync),
}

/// The final answer of a request after its retries: Graph's status, headers and raw body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// 429s met and retries taken.
    pub throttled: u32,
    pub retries: u32,
    /// Retries ran out on 429, 503 or 504: this answer is the last of them.
    pub exhausted: bool,
}

/// Sends `wire` with the connection `creds` until there is an answer to keep: each attempt in
/// its lane's turn, marked on the wire first, logged (verbose line, -Debug blocks, secrets
/// masked); 429/503/504 retried after Retry-After or the back-off within the request context;
/// a 401 renews a signed-in connection once; a transport failure is retried only when the
/// request may have reached Graph and `idempotent` allows it. Every attempt after the first goes
/// only while `creds` is still the current connection.
pub async fn exchange_retrying(
    store: &Store,
    creds: &mut session::Credentials,
    wire: &Wire<'_>,
    log: Log,
) -> Result<Answer, MgError> {
    let method = &wire.method;
    let url = &wire.url;
    let host = host_of(url);
    // The settings a request starts with hold for all its attempts.
    let ctx = request_context::get();
    let lane = scheduler::lane(&creds.graph_endpoint, &creds.tenant_id, wire.access);
    let idempotent = wire.idempotent;
    let base_delay = Duration::from_secs(u64::from(ctx.retry_delay));
    let time_limit = (ctx.retries_time_limit > 0)
        .then(|| Duration::from_secs(u64::from(ctx.retries_time_limit)));
    let first_attempt = Instant::now();
    let within_limit =
        |delay: Duration| time_limit.map_or(true, |limit| first_attempt.elapsed() + delay <= limit);

    let mut attempt: u32 = 0;
    let mut throttled: u32 = 0;
    let mut renewed = false;
    loop {
        let seq = lane.ready().await;
        if attempt > 0 || renewed {
            // Sending again is only for the connection the request started with.
            store.still_current(creds)?;
        }
        let request = build_attempt(wire, creds, attempt)?;
        // -Debug shows what goes on the wire, read back from the built request.
        let sent_headers = log.debug.then(|| shown_headers(&request, wire.shown_names));
        let (number, of) = (attempt + 1, ctx.max_retry + 1);
        let line =
            |elapsed, request_id| attempt_of(method.as_str(), url, elapsed, request_id, number, of);

        // A request withdrawn before its first attempt (a stopped command) is never sent.
        if !crate::jobs::on_the_wire(wire.user_id, method.as_str(), url.as_str()) {
            return Err(MgError::Cancelled(crate::jobs::CANCELLED_MESSAGE.into()));
        }
        let started = Instant::now();
        scheduler::COUNTERS.sent.fetch_add(1, Ordering::SeqCst);
        let exchanged = {
            let _on_the_wire = Tally::new(&scheduler::COUNTERS.in_flight);
            exchange(wire.client, request).await
        };
        let (status, headers, body) = match exchanged {
            Ok(answer) => answer,
            Err(Failure::TooLarge { status, request_id }) => {
                log.verbose(|| {
                    http_log::attempt_line(
                        &line(started.elapsed(), Some(request_id.as_str())),
                        &Outcome::Answered(status),
                        &Next::Done,
                    )
                });
                return Err((wire.too_large)(status, request_id));
            }
            Err(Failure::Transport(e, reached)) => {
                let message = if e.is_timeout() && !reached {
                    format!(
                        "Could not connect to {host} within {} seconds (ClientTimeout); nothing was sent.",
                        creds.timeout.as_secs()
                    )
                } else if e.is_timeout() {
                    format!(
                        "The request to {host} timed out after {} seconds without an answer (ClientTimeout).",
                        creds.timeout.as_secs()
                    )
                } else {
                    http_client::proxy_failure(&e, &host, wire.proxy)
                        .unwrap_or_else(|| describe_transport_error(&e, &host))
                };
                let elapsed = started.elapsed();
                let delay = backoff(base_delay, attempt + 1);
                // Nothing reached Graph: that is for the user to fix (endpoint, network), not to retry.
                // With the PIN given, sending it again sets the same PIN, so it is safe.
                let again = reached && idempotent && attempt < ctx.max_retry && within_limit(delay);
                if let Some(sent) = &sent_headers {
                    log_queue::debug(http_log::request_block(
                        method.as_str(),
                        url,
                        sent,
                        &String::from_utf8_lossy(wire.body),
                    ));
                }
                log.verbose(|| {
                    let next = if again {
                        Next::Retry(delay)
                    } else {
                        Next::Done
                    };
                    http_log::attempt_line(&line(elapsed, None), &Outcome::Failed(&message), &next)
                });
                if again {
                    attempt += 1;
                    scheduler::COUNTERS.retries.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(delay).await;
                    continue;
                }
                let note = if reached && !idempotent {
                    format!(
                        " The request may have reached Graph and is not safe to send twice, so it was not sent again.{}",
                        wire.lost_answer_note
                    )
                } else if reached && attempt > 0 {
                    " It was sent again after earlier failures, without success.".into()
                } else {
                    String::new()
                };
                return Err(MgError::Transport(format!("{message}{note}")));
            }
        };
        let elapsed = started.elapsed();
        // Graph's message may repeat the PIN it refused: neither the debug block nor an error carries it.
        let body = if (200..300).contains(&status) || wire.secrets.is_empty() {
            body
        } else {
            let text = String::from_utf8_lossy(&body).into_owned();
            wire.secrets
                .iter()
                .fold(text, |text: String, secret| {
                    crate::redact::scrub(&text, secret)
                })
                .into_bytes()
        };
        if let Some(sent) = &sent_headers {
            log_queue::debug(http_log::request_block(
                method.as_str(),
                url,
                sent,
                &String::from_utf8_lossy(wire.body),
            ));
            log_queue::debug(http_log::response_block(
                status,
                &headers,
                &String::from_utf8_lossy(&body),
            ));
        }
        let request_id = response::header(&headers, "request-id");
        // Graph never answers 407: the proxy refused, so nothing reached Graph.
        if let Some(refused) = http_client::proxy_refusal(status, &host, wire.proxy) {
            log.verbose(|| {
                http_log::attempt_line(
                    &line(elapsed, request_id),
                    &Outcome::Answered(status),
                    &Next::Done,
                )
            });
            return Err(refused);
        }

        let signal = scheduler::signal_of(status, &headers);
        if status == 429 {
            throttled += 1;
            scheduler::COUNTERS.throttled.fetch_add(1, Ordering::SeqCst);
        }
        lane.observe(seq, signal);
        if retryable(status) {
            // One Retry-After holds every request to this tenant, not only this one.
            if let Some(wait) = retry_after(&headers) {
                lane.pause(wait);
            }
        }

        // The one verbose line of this attempt says what comes next, so it is written once that is known.
        let verbose = |next: Next| {
            log.verbose(|| {
                http_log::attempt_line(
                    &line(elapsed, request_id),
                    &Outcome::Answered(status),
                    &next,
                )
            })
        };

        // Issue 3: a 401 renews a signed-in connection's token once and sends again.
        if status == 401 && creds.renewable() && !renewed {
            if let Err(changed) = store.still_current(creds) {
                verbose(Next::Done);
                return Err(changed);
            }
            verbose(Next::Renew);
            renewed = true;
            *creds = crate::auth::renew(store, creds).await?;
            continue;
        }
        if retryable(status) && attempt < ctx.max_retry {
            let delay = retry_delay(&headers, attempt + 1, base_delay);
            if within_limit(delay) {
                verbose(Next::Retry(delay));
                attempt += 1;
                scheduler::COUNTERS.retries.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                continue;
            }
            log_queue::warning(format!(
                "Graph answered {status} {}; waiting {:.1} s more would pass RetriesTimeLimit ({} s), so no more retries.",
                response::status_name(status),
                delay.as_secs_f64(),
                ctx.retries_time_limit
            ));
        }
        verbose(Next::Done);
        // RFC 7234 Warning headers of the final answer become PowerShell warnings.
        for warning in response::warnings(&headers) {
            log_queue::warning(warning);
        }
        let exhausted = retryable(status) && attempt > 0 && attempt == ctx.max_retry;
        if exhausted {
            log_queue::warning(format!(
                "Graph still answered {status} {} after {attempt} retries; giving up.",
                response::status_name(status)
            ));
        }
        return Ok(Answer {
            status,
            headers,
            body,
            throttled,
            retries: attempt,
            exhausted,
        });
    }
}

/// The string values of the body's secret properties (models.json), at any depth.
fn body_secrets(req: &PreparedRequest) -> Vec<String> {
    fn walk(value: &Value, secret: &[&str], out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) if secret.iter().any(|n| n.eq_ignore_ascii_case(k)) => {
                            out.push(s.clone())
                        }
                        other => walk(other, secret, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, secret, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(body) = &req.body {
        walk(
            &Value::Object(body.clone()),
            &crate::commands::table::secret_wire_names(),
            &mut out,
        );
    }
    out
}

/// The attempt a verbose line describes: `number` of `of`, counted as `Retry-Attempt` counts (+1).
fn attempt_of<'a>(
    method: &'a str,
    url: &'a str,
    elapsed: Duration,
    request_id: Option<&'a str>,
    number: u32,
    of: u32,
) -> Attempt<'a> {
    Attempt {
        method,
        url,
        elapsed,
        request_id,
        number,
        of,
    }
}

/// The headers of a built attempt as -Debug shows them: user headers under the name the user
/// gave, the module's own in their usual spelling. The Authorization header is dropped by the
/// formatter (http_log.rs) as well; it is left out here so it is never even copied.
fn shown_headers(request: &reqwest::Request, user: &[(String, String)]) -> Vec<(String, String)> {
    request
        .headers()
        .iter()
        .filter(|(n, _)| *n != reqwest::header::AUTHORIZATION)
        .map(|(n, v)| {
            let name = user
                .iter()
                .find(|(u, _)| u.eq_ignore_ascii_case(n.as_str()))
                .map(|(u, _)| u.clone())
                .unwrap_or_else(|| match n.as_str() {
                    "content-type" => "Content-Type".into(),
                    "accept" => "Accept".into(),
                    "user-agent" => "User-Agent".into(),
                    "retry-attempt" => "Retry-Attempt".into(),
                    other => other.to_string(),
                });
            (name, String::from_utf8_lossy(v.as_bytes()).into_owned())
        })
        .collect()
}

/// Builds one attempt. The only place the Authorization header is attached. Without
/// `module_headers` (script steps made the header list) only the headers of `user_headers` go out.
fn build_attempt(
    wire: &Wire<'_>,
    creds: &session::Credentials,
    attempt: u32,
) -> Result<reqwest::Request, MgError> {
    let mut builder = wire
        .client
        .request(wire.method.clone(), &wire.url)
        .bearer_auth(creds.token.as_str())
        .timeout(creds.timeout);
    if let Some(content_type) = &wire.content_type {
        builder = builder.header(reqwest::header::CONTENT_TYPE, content_type.as_str());
    }
    if wire.module_headers {
        if let Some(accept) = wire.accept {
            builder = builder.header(reqwest::header::ACCEPT, accept);
        }
        builder = builder
            .header(reqwest::header::USER_AGENT, wire.user_agent.as_str())
            .header("client-request-id", wire.client_request_id.as_str());
    }
    if attempt > 0 {
        builder = builder.header("Retry-Attempt", attempt.to_string());
    }
    let mut request = builder
        .body(wire.body.to_vec())
        .build()
        .map_err(|e| MgError::Internal(format!("Could not build the request: {e}")))?;
    // User headers replace ours of the same name (the reserved ones were refused earlier).
    for (name, _) in &wire.user_headers {
        request.headers_mut().remove(name);
    }
    for (name, value) in &wire.user_headers {
        request.headers_mut().append(name.clone(), value.clone());
    }
    Ok(request)
}

/// Why an exchange gave no answer the command can map.
enum Failure {
    /// No usable answer; also says whether the request may have reached the server (anything but a
    /// failure to connect).
    Transport(reqwest::Error, bool),
    /// The answer's body is over [`http_client::MAX_BODY_BYTES`]: refused without reading the rest.
    TooLarge { status: u16, request_id: String },
}

/// Sends one attempt and reads the answer, at most [`http_client::MAX_BODY_BYTES`] of body.
async fn exchange(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> Result<(u16, Vec<(String, String)>, Vec<u8>), Failure> {
    let mut response = client.execute(request).await.map_err(|e| {
        let reached = !e.is_connect();
        Failure::Transport(e, reached)
    })?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let Some(bytes) = http_client::read_body(&mut response)
        .await
        .map_err(|e| Failure::Transport(e, true))?
    else {
        return Err(Failure::TooLarge {
            status,
            request_id: response::header(&headers, "request-id")
                .unwrap_or_default()
                .to_string(),
        });
    };
    Ok((status, headers, bytes))
}

/// The `ResponseTooLarge` error of an answer over the limit.
fn too_large(command: &Command, status: u16, request_id: String, user_id: &str) -> MgError {
    let outcome = if (200..300).contains(&status) {
        response::lost_answer_note(command)
    } else {
        String::new()
    };
    MgError::InvalidResult {
        error_id: "ResponseTooLarge".into(),
        message: format!(
            "Graph answered {status} {} for user '{user_id}' with a body larger than {} MiB, the most the module reads, so the answer was not read.{outcome}",
            response::status_name(status),
            http_client::MAX_BODY_BYTES / (1024 * 1024)
        ),
        status,
        request_id,
    }
}

/// Maps the final answer (response.rs): a 2xx without the command's well-formed output is an
/// error too, because the caller must not take silence for success.
fn finish(req: &PreparedRequest, raw: &RawResponse) -> Result<Value, MgError> {
    let command = req.command()?;
    match &req.paging {
        None => response::map_response(command, raw, &req.user_id, req.pass_thru),
        Some(paging) => page_result(command, req, paging, raw),
    }
}

/// A page of a list: its items (cut at `-Top`), Graph's count, and the handle of the next page's
/// request when more are wanted (`-All`, or `-Top` not reached). The module writes the items, then
/// sends the next request: the first item comes out before the second page is asked for.
fn page_result(
    command: &Command,
    req: &PreparedRequest,
    paging: &Paging,
    raw: &RawResponse,
) -> Result<Value, MgError> {
    let page = response::map_page(command, raw)?;
    let mut items = page.items;
    if let Some(remaining) = paging.remaining() {
        items.truncate(remaining as usize);
    }
    let fetched = paging.fetched + items.len() as u32;
    let wanted = paging.top.map_or(paging.all, |top| fetched < top);
    let next = match page.next_link {
        Some(link) if wanted && !items.is_empty() => {
            let mut next_paging = paging.clone();
            next_paging.fetched = fetched;
            // The last page asks only for what is still wanted, as the official list cmdlets do.
            let size = next_paging
                .remaining()
                .map_or(paging.page_size, |r| r.min(paging.page_size));
            next_paging.next_url = Some(with_top(&link, paging.top.map(|_| size)));
            let next_request = PreparedRequest {
                paging: Some(next_paging),
                ..req.clone()
            };
            let text = serde_json::to_string(&next_request)
                .map_err(|e| MgError::Internal(e.to_string()))?;
            Value::String(crate::prepared::keep(text))
        }
        _ => Value::Null,
    };
    Ok(serde_json::json!({
        "status": raw.status,
        "reason": response::status_name(raw.status),
        "headers": crate::envelope::headers_json(&raw.headers),
        "model": command.output_model,
        "output": Value::Null,
        "items": items,
        "count": page.count,
        "next": next,
    }))
}

/// A next link with its `$top` set to `top` (unchanged when `None`).
fn with_top(link: &str, top: Option<u32>) -> String {
    let (Some(top), Ok(mut url)) = (top, url::Url::parse(link)) else {
        return link.to_string();
    };
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "$top")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .chain(std::iter::once(("$top".to_string(), top.to_string())))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

#[cfg(test)]
pub(crate) mod tests {

    fn list_request(bound: Value) -> PreparedRequest {
        let v = request::prepare(
            json!({"command": "Get-MgUser", "bound": bound})
                .as_object()
                .unwrap(),
        )
        .unwrap();
        PreparedRequest::from_value(&v["request"]).unwrap()
    }

    fn page(items: usize, next: Option<&str>) -> RawResponse {
        let values: Vec<Value> = (0..items)
            .map(|i| json!({"id": format!("id{i}"), "displayName": format!("User {i}")}))
            .collect();
        let mut body = json!({"value": values, "@odata.count": 42});
        if let Some(next) = next {
            body["@odata.nextLink"] = json!(next);
        }
        RawResponse {
            status: 200,
            headers: vec![],
            body: body.to_string(),
        }
    }

    #[test]
    fn a_list_page_gives_its_items_and_the_next_request_when_more_are_wanted() {
        let next = "http://127.0.0.1:9/v1.0/users?$top=100&$skiptoken=abc";
        // Without -All or -Top: one page, however many there are.
        let v = finish(&list_request(json!({})), &page(3, Some(next))).unwrap();
        assert_eq!(
            (v["items"].as_array().unwrap().len(), v["next"].clone()),
            (3, Value::Null)
        );
        assert_eq!(v["items"][1]["DisplayName"], "User 1");
        assert_eq!(
            (v["model"].clone(), v["count"].clone()),
            (json!("user"), json!(42))
        );

        // -All: the next page's request is kept behind a handle.
        let v = finish(&list_request(json!({"All": true})), &page(3, Some(next))).unwrap();
        let handle = v["next"].as_str().unwrap().to_string();
        let mut input = serde_json::Map::new();
        input.insert("request".into(), json!(handle));
        crate::prepared::reveal(&mut input).unwrap();
        let second = PreparedRequest::from_value(&input["request"]).unwrap();
        let paging = second.paging.as_ref().unwrap();
        assert_eq!(
            (paging.fetched, paging.next_url.as_deref()),
            (3, Some(next))
        );
        assert_eq!(
            request::checked_url("http://127.0.0.1:9", &second).unwrap(),
            next
        );
        assert!(
            request::checked_url("https://graph.microsoft.com", &second).is_err(),
            "a next link to another host is not followed"
        );
        // The last page asks for what is left, and items past -Top are cut.
        let v = finish(
            &list_request(json!({"Top": 5, "PageSize": 3})),
            &page(3, Some(next)),
        )
        .unwrap();
        let mut input = serde_json::Map::new();
        input.insert("request".into(), v["next"].clone());
        crate::prepared::reveal(&mut input).unwrap();
        let second = PreparedRequest::from_value(&input["request"]).unwrap();
        let url = second.paging.as_ref().unwrap().next_url.clone().unwrap();
        assert!(url.contains("%24top=2") || url.contains("$top=2"), "{url}");
        let v = finish(&second, &page(3, Some(next))).unwrap();
        assert_eq!(
            (v["items"].as_array().unwrap().len(), v["next"].clone()),
            (2, Value::Null)
        );
        // Not a collection: an unexpected answer.
        let e = finish(
            &list_request(json!({})),
            &RawResponse {
                status: 200,
                headers: vec![],
                body: "{}".into(),
            },
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_result");
    }
    use super::*;
    use crate::environments::Registry;
    use crate::request;
    use serde_json::json;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[test]
    fn retry_delays() {
        let h = |v: &str| vec![("Retry-After".to_string(), v.to_string())];
        let base = Duration::from_secs(3);
        assert_eq!(retry_delay(&[], 1, base), Duration::from_secs(3));
        assert_eq!(retry_delay(&[], 2, base), Duration::from_secs(6));
        assert_eq!(retry_delay(&[], 3, base), Duration::from_secs(12));
        assert_eq!(retry_delay(&[], 10, base), MAX_DELAY);
        assert_eq!(retry_delay(&[], 2, Duration::ZERO), Duration::ZERO);
        assert_eq!(retry_delay(&h("2"), 1, base), Duration::from_secs(2));
        assert_eq!(
            retry_delay(&h("2.128"), 1, base),
            Duration::from_secs_f64(2.128)
        );
        assert_eq!(retry_delay(&h("100000"), 1, base), MAX_DELAY);
        assert_eq!(
            retry_delay(&h("Tue, 04 Mar 2003 22:45:37 GMT"), 1, base),
            Duration::ZERO
        );
        let soon = (Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let d = retry_delay(&h(&soon), 1, base);
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(retry_delay(&h("garbage"), 2, base), Duration::from_secs(6));
    }

    /// A one-route HTTP/1.1 server: answers each connection with the next canned response and
    /// reports the request it read.
    pub(crate) async fn serve(
        responses: Vec<String>,
    ) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
        serve_then(responses, |_| {}).await
    }

    /// [`serve`] that calls `before_answer` with the request's number (0-based) once it is read and
    /// before it is answered.
    async fn serve_then(
        responses: Vec<String>,
        before_answer: impl Fn(usize) + Send + 'static,
    ) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            for (number, resp) in responses.into_iter().enumerate() {
                let (mut sock, _) = listener.accept().await.unwrap();
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = sock.read(&mut chunk).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                tx.send(String::from_utf8_lossy(&buf).to_string()).unwrap();
                before_answer(number);
                // A client that refuses an answer hangs up before reading it all.
                sock.write_all(resp.as_bytes()).await.ok();
                sock.shutdown().await.ok();
            }
        });
        (format!("http://{addr}"), rx)
    }

    pub(crate) fn http(status: &str, headers: &[(&str, &str)], body: &str) -> String {
        let mut s = format!(
            "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (n, v) in headers {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        s.push_str("\r\n");
        s.push_str(body);
        s
    }

    fn prepared(user: &str, code: &str) -> serde_json::Map<String, Value> {
        let v = request::prepare(
            json!({"command": "Update-MgBetaUserAuthenticationQrCodePinMethodPin", "parameterSet": "UpdateExpanded", "bound": {"UserId": user, "Code": code,
                "Headers": {"x-custom": "yes"}}})
            .as_object()
            .unwrap(),
        )
        .unwrap();
        json!({"op": "send", "request": v["request"]})
            .as_object()
            .unwrap()
            .clone()
    }

    fn connected(endpoint: &str) -> Store {
        let registry = Registry::new();
        registry.add("Local", endpoint, endpoint).unwrap();
        let store = Store::new();
        store
            .connect_access_token(&registry, "secret-token-value", Some("Local"), Utc::now())
            .unwrap();
        store
    }

    #[test]
    fn end_to_end_success_and_graph_error() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let ok_body = r##"{"@odata.type":"#microsoft.graph.qrPin","code":"09599786","forceChangePinNextSignIn":true,"createdDateTime":"2025-03-04T22:45:37.2605385Z","updatedDateTime":"2025-03-04T22:45:37.2605385Z"}"##;
            let err_body = r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'nobody' does not exist.","innerError":{"date":"2025-03-04T22:45:37","request-id":"rid-2"}}}"#;
            let (endpoint, mut seen) = serve(vec![
                http("201 Created", &[("request-id", "rid-1"), ("content-type", "application/json")], ok_body),
                http("404 Not Found", &[("request-id", "rid-2"), ("content-type", "application/json")], err_body),
            ])
            .await;
            let store = connected(&endpoint);

            let v = send_with(&store, &prepared("a b@contoso.com", "09599786")).await.unwrap();
            let req = seen.recv().await.unwrap();
            let lower = req.to_ascii_lowercase();
            assert!(req.starts_with("PATCH /beta/users/a%20b%40contoso.com/authentication/qrCodePinMethod/pin HTTP/1.1"), "{req}");
            assert!(lower.contains("authorization: bearer secret-token-value"));
            assert!(lower.contains("content-type: application/json"));
            assert!(lower.contains("accept: application/json"));
            assert!(lower.contains("client-request-id: "));
            assert!(lower.contains("x-custom: yes"));
            assert!(lower.contains("user-agent: microsoft.graph.rs/"));
            assert!(req.ends_with(r#"{"code":"09599786"}"#), "{req}");
            assert_eq!(v["status"], 201);
            assert_eq!(v["reason"], "Created");
            assert_eq!(v["output"]["UserId"], "a b@contoso.com");
            assert_eq!(v["output"]["Code"], "09599786");
            assert_eq!(v["output"]["AdditionalProperties"]["@odata.type"], "#microsoft.graph.qrPin");

            let e = send_with(&store, &prepared("nobody", "12345678")).await.unwrap_err();
            let MgError::Graph(g) = e else { panic!("{e:?}") };
            assert_eq!(g.status, 404);
            assert_eq!(g.code, "Request_ResourceNotFound");
            assert_eq!(g.request_id, "rid-2");
            assert!(g.error_details.contains("Status: 404 (NotFound)"));
            assert!(g.error_details.contains(&format!("{:<30}: rid-2", "request-id")));
            assert!(!g.error_details.contains("secret-token-value"));
        });
    }

    #[test]
    fn an_error_that_repeats_the_pin_does_not_carry_it() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let body =
                r#"{"error":{"code":"invalidRequest","message":"PIN 12345678 is too weak."}}"#;
            let (endpoint, _seen) = serve(vec![
                http("400 Bad Request", &[("request-id", "r")], body),
                http("502 Bad Gateway", &[], "upstream refused 12345678"),
            ])
            .await;
            let store = connected(&endpoint);
            let MgError::Graph(g) = send_with(&store, &prepared("u", "12345678"))
                .await
                .unwrap_err()
            else {
                panic!()
            };
            assert_eq!(
                g.exception_message,
                "[invalidRequest] : PIN <redacted> is too weak."
            );
            assert!(!g.error_details.contains("12345678"));
            let MgError::Graph(g) = send_with(&store, &prepared("u", "12345678"))
                .await
                .unwrap_err()
            else {
                panic!()
            };
            assert_eq!(
                g.exception_message,
                "[BadGateway] : upstream refused <redacted>"
            );
        });
    }

    #[test]
    fn a_server_that_echoes_the_token_and_pin_cannot_make_the_module_print_them() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let body = r#"{"error":{"code":"BadRequest","message":"You sent Bearer secret-token-value with {\"code\":\"12345678\"}"}}"#;
            let (endpoint, _seen) = serve(vec![http(
                "400 Bad Request",
                &[("x-echo", "Bearer secret-token-value"), ("Warning", "299 - \"secret-token-value\"")],
                body,
            )])
            .await;
            let store = connected(&endpoint);
            let e = send_with(&store, &prepared("u", "12345678")).await.unwrap_err();
            let shown = crate::envelope::err(&e);
            assert!(!shown.contains("secret-token-value"), "{shown}");
            assert!(!shown.contains("12345678"), "{shown}");
            assert!(shown.contains("Bearer <redacted>"), "{shown}");
        });
    }

    #[test]
    fn throttling_is_retried() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let (endpoint, mut seen) = serve(vec![
                http("429 Too Many Requests", &[("Retry-After", "0")], ""),
                http("201 Created", &[], r#"{"code":"12345678"}"#),
            ])
            .await;
            let store = connected(&endpoint);
            let v = send_with(&store, &prepared("u", "12345678")).await.unwrap();
            assert_eq!(v["status"], 201);
            assert_eq!(v["output"]["Code"], "12345678");
            let _first = seen.recv().await.unwrap();
            let second = seen.recv().await.unwrap();
            assert!(second.to_ascii_lowercase().contains("retry-attempt: 1"));
        });
    }

    #[test]
    fn an_answer_over_the_size_limit_is_refused() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let big = "x".repeat(http_client::MAX_BODY_BYTES + 1);
            // Announced by Content-Length, then streamed without one (read until the limit).
            let unannounced = format!(
                "HTTP/1.1 400 Bad Request\r\nconnection: close\r\nrequest-id: r2\r\n\r\n{big}"
            );
            let (endpoint, _seen) = serve(vec![
                http("201 Created", &[("request-id", "r1")], &big),
                unannounced,
                http(
                    "201 Created",
                    &[],
                    &format!(
                        r#"{{"code":"12345678","pad":"{}"}}"#,
                        "y".repeat(http_client::MAX_BODY_BYTES - 40)
                    ),
                ),
            ])
            .await;
            let store = connected(&endpoint);
            for (status, request_id, pin_note) in [(201, "r1", true), (400, "r2", false)] {
                let e = send_with(&store, &prepared("u", "12345678"))
                    .await
                    .unwrap_err();
                let MgError::InvalidResult {
                    error_id,
                    message,
                    status: s,
                    request_id: r,
                } = &e
                else {
                    panic!("{e:?}")
                };
                assert_eq!(
                    (error_id.as_str(), *s, r.as_str()),
                    ("ResponseTooLarge", status, request_id)
                );
                assert!(
                    message.contains("larger than 16 MiB") && message.contains("user 'u'"),
                    "{message}"
                );
                assert_eq!(
                    message.contains("new code is unknown"),
                    pin_note,
                    "{message}"
                );
            }
            // Just under the limit is read.
            let v = send_with(&store, &prepared("u", "12345678")).await.unwrap();
            assert_eq!(v["output"]["Code"], "12345678");
        });
    }

    #[test]
    fn a_connection_never_made_is_not_said_to_have_reached_graph() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            // A full accept queue: the kernel drops further SYNs, so connecting hangs.
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
            let listener = socket.listen(1).unwrap();
            let addr = listener.local_addr().unwrap();
            let mut held = Vec::new();
            while let Ok(Ok(s)) =
                tokio::time::timeout(Duration::from_millis(300), tokio::net::TcpStream::connect(addr)).await
            {
                held.push(s);
            }
            let store = connected(&format!("http://{addr}"));
            store.set_client_timeout(Duration::from_secs(1));
            // Without -Code a request that may have reached Graph is never sent again, and says so.
            let v = request::prepare(
                json!({"command": "Update-MgBetaUserAuthenticationQrCodePinMethodPin", "parameterSet": "UpdateExpanded", "bound": {"UserId": "u"}}).as_object().unwrap(),
            )
            .unwrap();
            let input = json!({"op": "send", "request": v["request"]});
            let e = send_with(&store, input.as_object().unwrap()).await.unwrap_err();
            let message = e.to_string();
            assert!(
                message.starts_with(&format!("Could not connect to {addr} within 1 seconds (ClientTimeout); nothing was sent.")),
                "{message}"
            );
            assert!(!message.contains("may have reached"), "{message}");
            drop(held);
        });
    }

    #[test]
    fn refused_connection_is_a_transport_error_without_the_token() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let endpoint = format!("http://{}", listener.local_addr().unwrap());
            drop(listener);
            let store = connected(&endpoint);
            let e = send_with(&store, &prepared("u", "12345678"))
                .await
                .unwrap_err();
            assert_eq!(e.kind(), "transport");
            let msg = e.to_string();
            assert!(msg.contains("refused"), "{msg}");
            assert!(!msg.contains("secret-token-value"));
        });
    }

    #[test]
    fn a_step_override_replaces_method_headers_and_body_and_returns_the_answer() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let (endpoint, mut seen) = serve(vec![http(
                "201 Created",
                &[("request-id", "rid-9")],
                r#"{"code":"11223344"}"#,
            )])
            .await;
            let store = connected(&endpoint);
            let mut input = prepared("u", "12345678");
            input.insert(
                "override".into(),
                json!({"method": "patch", "uri": format!("{endpoint}/beta/users/u/authentication/qrCodePinMethod/pin?step=1"),
                    "headers": [["X-Step", "1"]], "body": r#"{"code":"11223344"}"#}),
            );
            let mut answer = None;
            let v = send_observed(&store, &input, &mut answer).await.unwrap();
            let req = seen.recv().await.unwrap();
            let lower = req.to_ascii_lowercase();
            assert!(req.starts_with("PATCH /beta/users/u/authentication/qrCodePinMethod/pin?step=1 HTTP/1.1"), "{req}");
            assert!(lower.contains("x-step: 1") && lower.contains("authorization: bearer "));
            // The steps made the header list: the module adds none of its own, nor the -Headers.
            assert!(!lower.contains("user-agent:") && !lower.contains("x-custom"), "{req}");
            assert!(req.ends_with(r#"{"code":"11223344"}"#), "{req}");
            assert_eq!(v["output"]["Code"], "11223344");
            let answer = answer.unwrap();
            assert_eq!((answer.status, answer.body.as_str()), (201, r#"{"code":"11223344"}"#));

            // Another host: refused before anything is sent.
            input.insert("override".into(), json!({"method": "PATCH", "uri": "http://127.0.0.2:1/x", "headers": [], "body": ""}));
            let mut answer = None;
            let e = send_observed(&store, &input, &mut answer).await.unwrap_err();
            assert_eq!(e.kind(), "invalid_argument");
            assert!(answer.is_none());
        });
    }

    /// A store that lives as long as the servers that replace its connection.
    fn leaked(store: Store) -> &'static Store {
        Box::leak(Box::new(store))
    }

    /// A signed-in connection to `endpoint` holding the token `token-a`, renewed at `aad`.
    fn signed_in(store: &Store, endpoint: &str, aad: &str) {
        let registry = Registry::new();
        let environment = registry.add("Local", aad, endpoint).unwrap();
        let context = store
            .connect_access_token(&registry, "placeholder", Some("Local"), Utc::now())
            .unwrap();
        store.connect_renewable(
            environment,
            context,
            crate::auth::test_renewer(aad, "token-a"),
            Duration::from_secs(30),
        );
    }

    #[test]
    fn a_401_renews_the_token_of_the_connection_the_request_started_with() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let (graph, mut seen) = serve(vec![
                http("401 Unauthorized", &[], ""),
                http("201 Created", &[], r#"{"code":"12345678"}"#),
            ])
            .await;
            let (aad, mut signins) = serve(vec![http(
                "200 OK",
                &[("content-type", "application/json")],
                r#"{"token_type":"Bearer","expires_in":3600,"access_token":"token-b"}"#,
            )])
            .await;
            let store = Store::new();
            signed_in(&store, &graph, &aad);
            let v = send_with(&store, &prepared("u", "12345678")).await.unwrap();
            assert_eq!(v["status"], 201);
            assert!(seen.recv().await.unwrap().contains("Bearer token-a"));
            let signin = tokio::time::timeout(Duration::from_secs(5), signins.recv()).await;
            assert!(signin
                .expect("a sign-in")
                .unwrap()
                .contains("client_secret=s"));
            assert!(seen.recv().await.unwrap().contains("Bearer token-b"));
        });
    }

    #[test]
    fn a_401_after_the_connection_was_replaced_ends_the_request_unsent() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let (other, mut other_seen) = serve(vec![http("201 Created", &[], "{}")]).await;
            let store = leaked(Store::new());
            let elsewhere = other.clone();
            // While the first request is on the wire, another runspace connects elsewhere.
            let (graph, mut seen) = serve_then(
                vec![
                    http("401 Unauthorized", &[], ""),
                    http("201 Created", &[], "{}"),
                ],
                move |n| {
                    if n == 0 {
                        let registry = Registry::new();
                        registry.add("Other", &elsewhere, &elsewhere).unwrap();
                        store
                            .connect_access_token(
                                &registry,
                                "token-other",
                                Some("Other"),
                                Utc::now(),
                            )
                            .unwrap();
                    }
                },
            )
            .await;
            signed_in(store, &graph, "http://127.0.0.1:1");
            let e = send_with(store, &prepared("u", "12345678"))
                .await
                .unwrap_err();
            assert_eq!(e.kind(), "connection_changed", "{e:?}");
            assert!(
                e.to_string()
                    .contains("replaced by another Connect-MgGraph"),
                "{e}"
            );
            assert!(seen.recv().await.unwrap().contains("Bearer token-a"));
            // Neither server sees another request: not the old host with the new token, nor the new host.
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(seen.try_recv().is_err());
            assert!(other_seen.try_recv().is_err());
        });
    }

    #[test]
    fn a_retry_after_disconnect_is_not_sent() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let store = leaked(Store::new());
            let (graph, mut seen) = serve_then(
                vec![
                    http("503 Service Unavailable", &[("Retry-After", "0")], ""),
                    http("201 Created", &[], "{}"),
                ],
                move |n| {
                    if n == 0 {
                        store.disconnect();
                    }
                },
            )
            .await;
            let registry = Registry::new();
            registry.add("Local", &graph, &graph).unwrap();
            store
                .connect_access_token(&registry, "token-a", Some("Local"), Utc::now())
                .unwrap();
            let e = send_with(store, &prepared("u", "12345678"))
                .await
                .unwrap_err();
            assert_eq!(e.kind(), "connection_changed", "{e:?}");
            assert!(
                e.to_string().contains("closed by Disconnect-MgGraph"),
                "{e}"
            );
            let _first = seen.recv().await.unwrap();
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(seen.try_recv().is_err());
        });
    }

    #[test]
    fn not_connected() {
        let rt = crate::runtime::get().unwrap();
        let e = rt
            .block_on(send_with(&Store::new(), &prepared("u", "12345678")))
            .unwrap_err();
        assert_eq!(e, MgError::NotConnected);
        assert_eq!(
            e.to_string(),
            "Not connected to Microsoft Graph. Run Connect-MgGraph first."
        );
    }
}
