//! One scheduler for the whole process. Requests are grouped in lanes by (Graph endpoint, tenant id), the
//! scope of Graph's write quota. A lane has
//! - a pause gate: a `Retry-After` on any answer holds every request of the lane until it has passed;
//! - a quota gate: once Graph reports `x-ms-throttle-limit-percentage` (sent above 0.8 of a quota), each answer
//!   says how much of the quota is in use. The gate estimates the quota's size from the first report (our
//!   writes so far / share), and lets a request start only while the latest report, minus the requests sent
//!   since, leaves room. Answers clock the next requests in as the quota's window frees up, so a bulk run
//!   follows the quota instead of bouncing off it. When no room is left, one probe goes out now and then to
//!   learn whether the window has moved on.
//!
//! Every wait here is an `await` inside a job; cancelling the job drops the future, so waits end at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use serde_json::{json, Value};
use tokio::sync::Notify;

/// Room kept free in the quota, as a share of its size (at least one request).
pub const MARGIN: f64 = 0.03;
/// Interval between probes while the quota looks used up (twice as long when it is exactly full).
pub const PROBE: f64 = 0.1;
/// A 429 means the size estimate was too large: shrink it by this factor.
pub const SHRINK: f64 = 0.9;
/// Graph sends no share below this; an answer without one counts as this much in use.
pub const REPORTED_FROM: f64 = 0.8;
/// Seconds without a report of quota use after which the gate forgets what it learned.
pub const FORGET_AFTER: f64 = 60.0;

/// What one answer says about the quota.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Signal {
    /// No `x-ms-throttle-limit-percentage`: less than 0.8 of the quota in use.
    Clear,
    /// The reported share of the quota in use.
    Used(f64),
    /// A 429.
    Throttled,
}

/// The quota gate, on a clock of seconds so it can be simulated.
#[derive(Debug, Clone, Default)]
pub struct QuotaGate {
    /// Estimated quota size; `None` until Graph reports a share.
    size: Option<f64>,
    /// Latest share reported, from the answer to the most recently sent request that has one.
    share: Option<f64>,
    /// Sequence number of that request.
    share_seq: Option<u64>,
    /// Requests started so far (the next sequence number).
    issued: u64,
    /// Requests admitted by Graph so far.
    admitted: u64,
    last_send: f64,
    /// When Graph last reported the quota's use (or answered 429).
    last_report: f64,
}

impl QuotaGate {
    pub fn new() -> Self {
        QuotaGate {
            last_send: f64::NEG_INFINITY,
            ..Default::default()
        }
    }

    pub fn size(&self) -> Option<f64> {
        self.size
    }

    /// Requests that may start now without (by the latest report) exceeding the quota.
    pub fn room(&self) -> f64 {
        match (self.size, self.share) {
            (Some(size), Some(share)) => {
                let since = self.issued - self.share_seq.map_or(0, |s| s + 1);
                size * (1.0 - share) - since as f64 - (MARGIN * size).max(1.0)
            }
            _ => f64::INFINITY,
        }
    }

    fn full(&self) -> bool {
        match (self.size, self.share) {
            (Some(size), Some(share)) => share >= 1.0 - 1.5 / size,
            _ => false,
        }
    }

    /// When the next probe may go, if there is no room.
    pub fn next_probe(&self) -> f64 {
        self.last_send + PROBE * if self.full() { 2.0 } else { 1.0 }
    }

    /// Starts a request if there is room (or a probe is due); returns its sequence number.
    pub fn try_start(&mut self, now: f64) -> Option<u64> {
        if self.size.is_some() && now - self.last_report > FORGET_AFTER {
            // Quiet for a minute: the quota's window has long moved on.
            self.size = None;
            self.share = None;
        }
        if self.room() < 1.0 - 1e-9 && now < self.next_probe() - 1e-9 {
            return None;
        }
        let seq = self.issued;
        self.issued += 1;
        self.last_send = now;
        Some(seq)
    }

    /// Takes in the answer to request `seq`.
    pub fn observe_at(&mut self, now: f64, seq: u64, signal: Signal) {
        if signal != Signal::Clear {
            self.last_report = now;
        }
        self.observe(seq, signal);
    }

    pub fn observe(&mut self, seq: u64, signal: Signal) {
        let newer = self.share_seq.map_or(true, |s| seq > s);
        let share = match signal {
            Signal::Throttled => {
                self.size = self.size.map(|n| (n * SHRINK).max(1.0));
                1.0
            }
            Signal::Clear => {
                self.admitted += 1;
                REPORTED_FROM
            }
            Signal::Used(share) => {
                self.admitted += 1;
                if self.size.is_none() && share > 0.0 {
                    self.size = Some((self.admitted as f64 / share).max(1.0));
                }
                share
            }
        };
        if newer && (self.size.is_some() || signal != Signal::Clear) {
            self.share = Some(share);
            self.share_seq = Some(seq);
        }
    }
}

/// Process-wide counters, for progress and tests.
#[derive(Default)]
pub struct Counters {
    pub waiting: AtomicU64,
    pub in_flight: AtomicU64,
    pub sent: AtomicU64,
    pub throttled: AtomicU64,
    pub retries: AtomicU64,
}

pub static COUNTERS: Lazy<Counters> = Lazy::new(Counters::default);

/// Decrements a counter when dropped (also when the job is cancelled mid-wait).
pub struct Tally(&'static AtomicU64);

impl Tally {
    pub fn new(counter: &'static AtomicU64) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Tally(counter)
    }
}

impl Drop for Tally {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub fn stats_json() -> Value {
    let c = &*COUNTERS;
    json!({
        "waiting": c.waiting.load(Ordering::SeqCst),
        "inFlight": c.in_flight.load(Ordering::SeqCst),
        "sent": c.sent.load(Ordering::SeqCst),
        "throttled": c.throttled.load(Ordering::SeqCst),
        "retries": c.retries.load(Ordering::SeqCst),
        "jobs": crate::jobs::JOBS.len(),
    })
}

struct LaneState {
    paused_until: Option<Instant>,
    gate: QuotaGate,
}

/// The requests to one tenant at one Graph endpoint.
pub struct Lane {
    epoch: Instant,
    state: Mutex<LaneState>,
    answered: Notify,
}

impl Lane {
    fn new() -> Self {
        Lane {
            epoch: Instant::now(),
            state: Mutex::new(LaneState {
                paused_until: None,
                gate: QuotaGate::new(),
            }),
            answered: Notify::new(),
        }
    }

    fn secs(&self, at: Instant) -> f64 {
        at.saturating_duration_since(self.epoch).as_secs_f64()
    }

    /// Waits for the pause gate and room in the quota; returns the request's sequence number for `observe`.
    pub async fn ready(&self) -> u64 {
        let _waiting = Tally::new(&COUNTERS.waiting);
        loop {
            // Registered before the check so an answer in between still wakes us.
            let answered = self.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let now = Instant::now();
            let wake = {
                let mut s = self.state.lock();
                match s.paused_until.filter(|&u| u > now) {
                    Some(until) => until,
                    None => match s.gate.try_start(self.secs(now)) {
                        Some(seq) => return seq,
                        None => self.epoch + Duration::from_secs_f64(s.gate.next_probe().max(0.0)),
                    },
                }
            };
            tokio::select! {
                _ = &mut answered => {}
                _ = tokio::time::sleep_until(tokio::time::Instant::from_std(wake)) => {}
            }
        }
    }

    /// Pauses the whole lane for `delay` from now (a longer pause already set stays).
    pub fn pause(&self, delay: Duration) {
        let until = Instant::now() + delay;
        let mut s = self.state.lock();
        if s.paused_until.map_or(true, |u| u < until) {
            s.paused_until = Some(until);
        }
    }

    /// Feeds the answer to request `seq` to the quota gate and wakes waiting requests.
    pub fn observe(&self, seq: u64, signal: Signal) {
        let now = self.secs(Instant::now());
        self.state.lock().gate.observe_at(now, seq, signal);
        self.answered.notify_waiters();
    }

    /// The estimated quota size, for log lines.
    pub fn quota_size(&self) -> Option<f64> {
        self.state.lock().gate.size()
    }
}

type Lanes = HashMap<(String, String), Arc<Lane>>;

static LANES: Lazy<Mutex<Lanes>> = Lazy::new(|| Mutex::new(HashMap::new()));

/// The lane of a tenant at an endpoint (created on first use).
pub fn lane(endpoint: &str, tenant: &str) -> Arc<Lane> {
    LANES
        .lock()
        .entry((endpoint.to_ascii_lowercase(), tenant.to_ascii_lowercase()))
        .or_insert_with(|| Arc::new(Lane::new()))
        .clone()
}

/// The signal in an answer's status and headers.
pub fn signal_of(status: u16, headers: &[(String, String)]) -> Signal {
    if status == 429 {
        return Signal::Throttled;
    }
    match crate::response::header(headers, "x-ms-throttle-limit-percentage")
        .and_then(|v| v.trim().trim_end_matches('%').parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
    {
        // Some services write a percentage (85) rather than a fraction (0.85).
        Some(v) if v > 5.0 => Signal::Used(v / 100.0),
        Some(v) => Signal::Used(v),
        None => Signal::Clear,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering as CmpOrdering;
    use std::collections::{BinaryHeap, VecDeque};

    #[test]
    fn signals_are_read_from_answers() {
        let h = |v: &str| vec![("X-MS-Throttle-Limit-Percentage".to_string(), v.to_string())];
        assert_eq!(signal_of(201, &[]), Signal::Clear);
        assert_eq!(signal_of(429, &h("1.2")), Signal::Throttled);
        assert_eq!(signal_of(201, &h("0.85")), Signal::Used(0.85));
        assert_eq!(signal_of(201, &h("85")), Signal::Used(0.85));
        assert_eq!(signal_of(201, &h("junk")), Signal::Clear);
    }

    #[test]
    fn unlimited_until_graph_reports_use_then_gated_by_room() {
        let mut g = QuotaGate::new();
        for i in 0..80 {
            assert_eq!(g.try_start(i as f64 * 0.01), Some(i));
        }
        for i in 0..79 {
            g.observe(i, Signal::Clear);
        }
        assert_eq!(g.size(), None);
        g.observe(79, Signal::Used(0.8));
        assert_eq!(g.size(), Some(100.0));
        // 20 left, minus the margin of 3: 17 may start now.
        for _ in 0..17 {
            assert!(g.try_start(0.81).is_some());
        }
        assert_eq!(g.try_start(0.81), None);
        // A probe is allowed after a while, a newer report frees room at once.
        assert!(g.try_start(0.81 + PROBE).is_some());
        g.observe(97, Signal::Used(0.9));
        assert!(g.room() >= 1.0);
        // An older answer arriving late does not override a newer one.
        g.observe(90, Signal::Used(0.99));
        assert!(g.room() >= 1.0);
        // After a quiet minute the estimate is forgotten.
        assert!(g.try_start(FORGET_AFTER + 1.0).is_some());
        assert_eq!(g.size(), None);
    }

    #[test]
    fn a_429_shrinks_the_estimate_and_blocks() {
        let mut g = QuotaGate::new();
        for i in 0..10 {
            g.try_start(0.0);
            g.observe(i, Signal::Used(0.1 * (i + 1) as f64));
        }
        assert!((g.size().unwrap() - 10.0).abs() < 1e-9);
        let seq = g.try_start(1.0).unwrap();
        g.observe(seq, Signal::Throttled);
        assert!((g.size().unwrap() - 9.0).abs() < 1e-9);
        assert!(g.room() < 1.0);
        // Full: probes come half as often.
        assert!((g.next_probe() - (1.0 + 2.0 * PROBE)).abs() < 1e-9);
    }

    /// A deterministic model of a bulk run: `workers` requests in flight at most, a sliding-window quota of
    /// `limit` writes per `window` seconds on the server, `latency` seconds round trip plus up to `jitter`,
    /// Retry-After in whole seconds. Returns (items per second, share of requests answered 429).
    fn simulate(
        items: usize,
        workers: usize,
        limit: usize,
        window: f64,
        latency: f64,
        jitter: f64,
    ) -> (f64, f64) {
        // (time, worker, event): 0 wants to start, 1 reaches the server, 2 gets its answer, 3+ probe timer.
        #[derive(PartialEq)]
        struct Ev(f64, usize, u64);
        impl Eq for Ev {}
        impl PartialOrd for Ev {
            fn partial_cmp(&self, o: &Self) -> Option<CmpOrdering> {
                Some(self.cmp(o))
            }
        }
        impl Ord for Ev {
            fn cmp(&self, o: &Self) -> CmpOrdering {
                o.0.partial_cmp(&self.0).unwrap().then(o.1.cmp(&self.1))
            }
        }
        let mut seed: u64 = 42;
        let mut rand = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut gate = QuotaGate::new();
        let mut paused_until = 0.0f64;
        let mut server: VecDeque<f64> = VecDeque::new();
        let mut verdict = vec![(false, 0.0f64, 0.0f64); workers];
        let mut seqs = vec![0u64; workers];
        let mut timer = vec![0u64; workers];
        let mut waiting = vec![false; workers];
        let mut has_item = vec![false; workers];
        let mut heap = BinaryHeap::new();
        let (mut started, mut done, mut requests, mut throttled) = (0, 0, 0, 0);
        let mut end = 0.0;
        for w in 0..workers {
            heap.push(Ev(0.0, w, 0));
        }
        while let Some(Ev(t, w, kind)) = heap.pop() {
            match kind {
                0 => {
                    if !has_item[w] {
                        if started == items {
                            continue;
                        }
                        started += 1;
                        has_item[w] = true;
                    }
                    if t < paused_until {
                        heap.push(Ev(paused_until, w, 0));
                        continue;
                    }
                    match gate.try_start(t) {
                        Some(seq) => {
                            seqs[w] = seq;
                            requests += 1;
                            heap.push(Ev(t + (latency + rand() * jitter) / 2.0, w, 1));
                        }
                        None => {
                            waiting[w] = true;
                            timer[w] += 1;
                            heap.push(Ev(gate.next_probe(), w, 2 + timer[w]));
                        }
                    }
                }
                1 => {
                    while server.front().is_some_and(|&s| t - s >= window) {
                        server.pop_front();
                    }
                    verdict[w] = if server.len() >= limit {
                        (true, 0.0, (server[0] + window - t).ceil().max(1.0))
                    } else {
                        server.push_back(t);
                        (false, server.len() as f64 / limit as f64, 0.0)
                    };
                    heap.push(Ev(t + (latency + rand() * jitter) / 2.0, w, 2));
                }
                2 => {
                    let (was_throttled, used, retry_after) = verdict[w];
                    if was_throttled {
                        throttled += 1;
                        gate.observe_at(t, seqs[w], Signal::Throttled);
                        paused_until = paused_until.max(t + retry_after);
                    } else {
                        let signal = if used >= REPORTED_FROM {
                            Signal::Used(used)
                        } else {
                            Signal::Clear
                        };
                        gate.observe_at(t, seqs[w], signal);
                        has_item[w] = false;
                        done += 1;
                        end = t;
                    }
                    heap.push(Ev(t, w, 0));
                    for (other, wait) in waiting.iter_mut().enumerate() {
                        if std::mem::take(wait) {
                            heap.push(Ev(t, other, 0));
                        }
                    }
                }
                probe => {
                    if waiting[w] && probe == 2 + timer[w] {
                        waiting[w] = false;
                        heap.push(Ev(t, w, 0));
                    }
                }
            }
        }
        assert_eq!(done, items);
        (items as f64 / end, throttled as f64 / requests as f64)
    }

    #[test]
    fn bulk_runs_follow_the_quota_without_a_429_storm() {
        // The benchmark's shape: 100 writes per second in a 1 s window, 50 ms latency. Every 429 costs a
        // whole-second pause here, so the gate keeps them rare rather than reaching the last percent.
        for (workers, jitter) in [(8, 0.0), (8, 0.02), (16, 0.02), (32, 0.05)] {
            let (rate, share) = simulate(2000, workers, 100, 1.0, 0.05, jitter);
            assert!(
                rate >= 75.0,
                "workers {workers} jitter {jitter}: {rate:.1}/s"
            );
            assert!(
                share <= 0.01,
                "workers {workers} jitter {jitter}: {:.2}% 429",
                share * 100.0
            );
        }
        // Graph's own shape scaled down: 300 writes per 15 s (20 per second), 3,000 users.
        let (rate, share) = simulate(3000, 8, 300, 15.0, 0.1, 0.05);
        assert!(rate >= 19.0, "{rate:.1}/s");
        assert!(share <= 0.01, "{:.2}% 429", share * 100.0);
    }
}
