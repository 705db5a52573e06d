//! One scheduler for the whole process. Requests are grouped in lanes by (Graph endpoint, tenant id), the
//! scope of Graph's write quota. A lane has
//! - a pause gate: a `Retry-After` on any answer holds every request of the lane until it has passed;
//! - a quota gate: once Graph reports `x-ms-throttle-limit-percentage` (sent above 0.8 of a quota), the gate
//!   knows the quota's size (our writes so far / share) and how full it is. Graph counts writes in a sliding
//!   window whose length it does not say, so the gate works it out from its own send log: an answer that
//!   reports `n` writes in use (or none, meaning at most 0.8 of the size) proves that our `n+1`-th newest write
//!   before it had left the window, which bounds the window's length from above. Knowing the length, the gate
//!   replays the log: a request may start when, counting what is still in the window at that instant, the
//!   quota has room (less a small margin), and it sleeps exactly until the next of our writes leaves the
//!   window. Until the length is known, the rest of the room is spent slowly (geometric spacing), so that
//!   writes are still going out when the window first moves on; that first expiry reveals the length without
//!   a 429 to learn it from.
//!
//! Every wait here is an `await` inside a job; cancelling the job drops the future, so waits end at once.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use serde_json::{json, Value};
use tokio::sync::Notify;

/// Room kept free in the quota, as a share of its size (at least one request).
pub const MARGIN: f64 = 0.01;
/// Interval between probes while the quota looks used up and the gate cannot tell when it frees up (twice
/// as long when it is exactly full).
pub const PROBE: f64 = 0.1;
/// A 429 means the gate's picture was off: shrink the size estimate by this factor.
pub const SHRINK: f64 = 0.97;
/// Graph sends no share below this; an answer without one counts as this much in use.
pub const REPORTED_FROM: f64 = 0.8;
/// Seconds without a report of quota use after which the gate forgets what it learned.
pub const FORGET_AFTER: f64 = 60.0;
/// While the window's length is unknown, the room left at the first report is spread so that it lasts until
/// the run has gone on this many times as long as it took to get there.
pub const STRETCH: f64 = 8.0;
/// The least room the spacing is worked out for: a burst that spent nearly all of the quota before the first
/// report would otherwise space the rest so steeply (eight times the run so far at each start) that the run
/// stalls for seconds and the window is learned late.
pub const MIN_ROOM: f64 = 3.0;
/// Share of a window's paced slots that may be caught up after they were missed. Small: the pipeline hands
/// items over in clumps, and a larger catch-up (a quarter) let clumps through as bursts that met a 429 in
/// about a third of the benchmark's bulk runs (each 429 holds the whole tenant for a second).
pub const CATCH_UP: f64 = 0.05;
/// A window bound is kept only when the write it reaches back to is at most this share of the bound newer than
/// the next older one (see `learn`).
pub const STEADY: f64 = 0.25;
/// How many recent answers the latency spread is taken from.
const RECENT: usize = 64;
/// How many recent bounds the window's length is taken from: enough to span a pause after a 429, whose
/// answers (the window emptied meanwhile) bound it only loosely.
const BOUNDS: usize = 1024;
/// Most sends kept in the log.
const MAX_LOG: usize = 50_000;

/// What one answer says about the quota.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Signal {
    /// No `x-ms-throttle-limit-percentage`: at most 0.8 of the quota in use.
    Clear,
    /// The reported share of the quota in use.
    Used(f64),
    /// A 429.
    Throttled,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fate {
    /// No answer yet (or never: cancelled, transport failure). Counted as a write, to be safe.
    Pending,
    Admitted,
    /// A 429: Graph did not count it.
    Refused,
}

#[derive(Clone, Copy, Debug)]
struct Sent {
    seq: u64,
    at: f64,
    fate: Fate,
}

/// The quota gate, on a clock of seconds so it can be simulated.
#[derive(Debug, Clone, Default)]
pub struct QuotaGate {
    /// Estimated quota size; `None` until Graph reports a share. Reported shares are read against it.
    size: Option<f64>,
    /// Share of the size the gate aims at: lowered a little after each 429 episode.
    trim: f64,
    /// Upper bounds on the window's length from recent answers; their minimum is the estimate.
    bounds: VecDeque<f64>,
    /// Recent round trips (start to answer), for the spread of arrival times.
    rtts: VecDeque<f64>,
    /// Our recent sends, in sequence order.
    log: VecDeque<Sent>,
    /// Writes in the window that are not ours, by the latest report.
    external: f64,
    /// Latest share reported, from the answer to the most recently sent request that has one.
    share: Option<f64>,
    share_seq: Option<u64>,
    /// Our writes sent just before that one, which may have reached Graph after it (not in the share).
    share_unsure: f64,
    /// Estimates of the size, one per report, while the window's length is unknown.
    sizes: Vec<f64>,
    /// Growth factor of the spacing while the window's length is unknown.
    stretch: Option<f64>,
    /// Requests sent before this sequence number no longer shrink the size estimate on a 429.
    shrunk_before: Option<u64>,
    /// Requests started so far (the next sequence number).
    issued: u64,
    last_send: f64,
    /// The next paced slot, once the window's length is known.
    pace_at: f64,
    /// When Graph last reported the quota's use (or answered 429).
    last_report: f64,
}

impl QuotaGate {
    pub fn new() -> Self {
        QuotaGate {
            last_send: f64::NEG_INFINITY,
            trim: 1.0,
            ..Default::default()
        }
    }

    /// The estimated quota size, as far as the gate uses it.
    pub fn size(&self) -> Option<f64> {
        self.size.map(|s| s * self.trim)
    }

    /// The spread of recent round trips: how far apart in time two requests sent together may reach Graph.
    pub fn spread(&self) -> f64 {
        let (lo, hi) = self
            .rtts
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), &r| {
                (lo.min(r), hi.max(r))
            });
        if lo.is_finite() {
            hi - lo
        } else {
            0.0
        }
    }

    /// The window length used for pacing: the tightest recent bound, plus the spread of arrival times (a
    /// write sent a window after an older one may still reach Graph before that one leaves).
    pub fn window(&self) -> Option<f64> {
        let bound = self.bounds.iter().copied().fold(f64::INFINITY, f64::min);
        bound
            .is_finite()
            .then(|| bound + self.spread().min(0.1 * bound))
    }

    /// Writes the gate lets into one window.
    fn cap(&self, size: f64) -> f64 {
        (size * self.trim - Self::margin(size) - self.external).max(1.0)
    }

    fn margin(size: f64) -> f64 {
        (MARGIN * size).max(1.0)
    }

    /// Requests that may start now by the latest report alone (used while the window's length is unknown).
    pub fn room(&self) -> f64 {
        match (self.size, self.share) {
            (Some(size), Some(share)) => {
                let since = self.issued - self.share_seq.map_or(0, |s| s + 1);
                size * (self.trim - share) - since as f64 - self.share_unsure - Self::margin(size)
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

    /// Our writes (answered or not, but not refused) started after `since`.
    fn writes_after(&self, since: f64) -> usize {
        self.log
            .iter()
            .rev()
            .take_while(|s| s.at > since)
            .filter(|s| s.fate != Fate::Refused)
            .count()
    }

    /// When a request may start, at the earliest (`now` or earlier when it may start at once).
    pub fn next_start(&self, now: f64) -> f64 {
        let Some(size) = self.size else {
            return now;
        };
        let probe = self.last_send + PROBE * if self.full() { 2.0 } else { 1.0 };
        if let Some(window) = self.window() {
            // Evenly spaced, one window's worth of room per window: spread-out writes leave the window one
            // by one while others go out, so the answers keep measuring it (a clump would hide it).
            let cap = self.cap(size);
            let paced = self.pace_at;
            // And never more than the room in the window at that moment.
            let used = self.writes_after(now - window) as f64;
            if used + 1.0 <= cap + 1e-9 {
                return paced.max(now);
            }
            let excess = (used + 1.0 - cap).ceil() as usize;
            let in_window = self
                .log
                .iter()
                .filter(|s| s.at > now - window && s.fate != Fate::Refused)
                .nth(excess - 1);
            return match in_window {
                Some(oldest) => (oldest.at + window).max(paced),
                // Blocked by writes that are not ours: only a probe can tell when they leave.
                None => probe,
            };
        }
        // Spend the room slowly: each start waits a growing share of the time since the first send. Once it
        // is spent, probes keep that spacing too (a probe into a full window costs a Retry-After for all).
        let first = self.log.front().map_or(now, |s| s.at);
        let stretched = match self.stretch {
            Some(growth) if self.last_send > first => {
                self.last_send + (growth - 1.0) * (self.last_send - first)
            }
            _ => now,
        };
        if self.room() >= 1.0 - 1e-9 {
            stretched
        } else {
            stretched.max(probe)
        }
    }

    /// Starts a request if the quota allows it now; returns its sequence number.
    pub fn try_start(&mut self, now: f64) -> Option<u64> {
        if self.size.is_some() && now - self.last_report > FORGET_AFTER {
            // Quiet for a minute: the quota's window has long moved on.
            *self = QuotaGate {
                issued: self.issued,
                last_send: self.last_send,
                ..QuotaGate::new()
            };
        }
        if self.size.is_none() && now - self.last_send > FORGET_AFTER {
            // Writes this old have left any window Graph uses.
            self.log.clear();
        }
        if self.next_start(now) > now + 1e-9 {
            return None;
        }
        let seq = self.issued;
        self.issued += 1;
        self.last_send = now;
        if let (Some(size), Some(window)) = (self.size, self.window()) {
            // Slots on a fixed grid, so a timer that fires late does not push every later start back. Missed
            // slots may be caught up, up to CATCH_UP of the window's worth, so late items do not arrive as a burst.
            let cap = self.cap(size);
            let interval = window / cap;
            self.pace_at = self.pace_at.max(now - CATCH_UP * cap * interval) + interval;
        }
        self.log.push_back(Sent {
            seq,
            at: now,
            fate: Fate::Pending,
        });
        self.prune(now);
        Some(seq)
    }

    fn prune(&mut self, now: f64) {
        // Bounds look back one quota's worth of writes; replay looks back one window.
        let keep = self.size.map_or(usize::MAX, |s| 2 * s.ceil() as usize + 16);
        let horizon = self.window().map(|w| now - 2.0 * w);
        while self.log.len() > MAX_LOG
            || (self.log.len() > keep && horizon.is_some_and(|h| self.log[0].at < h))
        {
            self.log.pop_front();
        }
    }

    /// Our writes sent less than the spread before the one at `i`: they may have reached Graph after it.
    fn unsure_before(&self, i: usize) -> usize {
        let at = self.log[i].at;
        let spread = self.spread();
        self.log
            .range(..i)
            .rev()
            .take_while(|s| s.at > at - spread)
            .filter(|s| s.fate != Fate::Refused)
            .count()
    }

    fn position(&self, seq: u64) -> Option<usize> {
        self.log.binary_search_by_key(&seq, |s| s.seq).ok()
    }

    /// Takes in the answer to request `seq`, received at `now`.
    pub fn observe_at(&mut self, now: f64, seq: u64, signal: Signal) {
        if signal != Signal::Clear {
            self.last_report = now;
        }
        let index = self.position(seq);
        if let Some(i) = index {
            let sent = &mut self.log[i];
            sent.fate = if signal == Signal::Throttled {
                Fate::Refused
            } else {
                Fate::Admitted
            };
            self.rtts.push_back(now - sent.at);
            if self.rtts.len() > RECENT {
                self.rtts.pop_front();
            }
        }
        let newer = self.share_seq.map_or(true, |s| seq > s);
        let share = match signal {
            Signal::Throttled => {
                // Requests sent before the last shrink knew no better: one shrink per episode.
                if self.shrunk_before.map_or(true, |s| seq >= s) {
                    self.trim *= SHRINK;
                    self.shrunk_before = Some(self.issued);
                }
                1.0
            }
            Signal::Clear => REPORTED_FROM,
            Signal::Used(share) => {
                if let (Some(i), true) = (index, share > 0.0 && self.bounds.is_empty()) {
                    // Until a write is seen to leave the window, all of ours are in it: the quota's size is
                    // our writes up to this one over the share. Answers overtake each other, so take the
                    // median of these estimates.
                    let ours = self
                        .log
                        .range(..=i)
                        .filter(|s| s.fate != Fate::Refused)
                        .count();
                    self.sizes.push(ours as f64 / share);
                    let mut sorted = self.sizes.clone();
                    sorted.sort_by(f64::total_cmp);
                    self.size = Some(sorted[sorted.len() / 2].max(1.0));
                }
                share
            }
        };
        if newer && (self.size.is_some() || signal != Signal::Clear) {
            self.share = Some(share);
            self.share_seq = Some(seq);
            self.share_unsure = index.map_or(0.0, |i| self.unsure_before(i) as f64);
        }
        if self.stretch.is_none() && self.size.is_some() {
            self.stretch = Some(STRETCH.powf(1.0 / self.room().max(MIN_ROOM)));
        }
        if let (Some(size), Some(i)) = (self.size, index) {
            self.learn(i, size, signal);
        }
    }

    /// What the answer to the send at `i` tells about the window: a count of writes in use means our
    /// next older write had left it (a bound on its length), and anything beyond our own writes is someone
    /// else's.
    fn learn(&mut self, i: usize, size: f64, signal: Signal) {
        let count = match signal {
            Signal::Throttled => return,
            Signal::Clear => (REPORTED_FROM * size + 1e-9).floor(),
            Signal::Used(share) => (share * size).round(),
        } as usize;
        let at = self.log[i].at;
        // Writes sent just before this one may have reached Graph after it: only those sent more than the
        // spread earlier are sure to have been counted if still in the window. At most `count - 1` of them
        // are (this one is counted too), so the `count`-th newest had left.
        let spread = self.spread();
        let mut ours = 0;
        let mut bound = None;
        for sent in self.log.range(..i).rev() {
            if sent.fate == Fate::Refused || sent.at > at - spread {
                continue;
            }
            ours += 1;
            if ours == count.max(1) {
                bound = Some((at - sent.at + spread, sent.at));
            } else if let Some((found, found_at)) = bound {
                // The next older write: were the count one off (answers and writes reach Graph in another
                // order than they were sent, and the size is an estimate), the bound would reach back to it.
                // A bound is kept only when that would change it little, as between paced writes; one taken
                // across a burst or a pause could be far too tight, and the window is the tightest bound.
                if found_at - sent.at > STEADY * found {
                    bound = None;
                }
                break;
            }
        }
        // Without a next older write there is nothing to check the bound against.
        let bound = if ours > count.max(1) {
            bound.map(|(found, _)| found)
        } else {
            None
        };
        if let Some(bound) = bound.filter(|b| *b > 0.0) {
            self.bounds.push_back(bound);
            if self.bounds.len() > BOUNDS {
                self.bounds.pop_front();
            }
        }
        self.external = match (signal, self.window()) {
            (Signal::Used(_), Some(window)) => {
                let ours = self
                    .log
                    .range(..=i)
                    .rev()
                    .take_while(|s| s.at > at - window)
                    .filter(|s| s.fate != Fate::Refused)
                    .count();
                count.saturating_sub(ours) as f64
            }
            _ => 0.0,
        };
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
        "lanes": LANES.lock().iter().map(|((endpoint, tenant, access), lane)| {
            let s = lane.state.lock();
            json!({
                "endpoint": endpoint,
                "tenant": tenant,
                "access": if *access == Access::Read { "read" } else { "write" },
                "quotaSize": s.gate.size(),
                "windowSeconds": s.gate.window(),
                "spreadSeconds": s.gate.spread(),
            })
        }).collect::<Vec<_>>(),
    })
}

struct LaneState {
    paused_until: Option<Instant>,
    gate: QuotaGate,
    /// Tickets of the requests waiting, served in order so none waits behind later ones.
    waiting: BTreeSet<u64>,
    next_ticket: u64,
}

/// The requests to one tenant at one Graph endpoint.
pub struct Lane {
    epoch: Instant,
    state: Mutex<LaneState>,
    /// Woken on every answer and every start, when the head of the line may change.
    changed: Notify,
}

/// A place in the lane's line; leaving it (started, or cancelled mid-wait) lets the next one go.
struct Turn<'a> {
    lane: &'a Lane,
    ticket: u64,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.lane.state.lock().waiting.remove(&self.ticket);
        self.lane.changed.notify_waiters();
    }
}

impl Lane {
    fn new() -> Self {
        Lane {
            epoch: Instant::now(),
            state: Mutex::new(LaneState {
                paused_until: None,
                gate: QuotaGate::new(),
                waiting: BTreeSet::new(),
                next_ticket: 0,
            }),
            changed: Notify::new(),
        }
    }

    fn secs(&self, at: Instant) -> f64 {
        at.saturating_duration_since(self.epoch).as_secs_f64()
    }

    /// Waits for the pause gate, its turn and room in the quota; returns the request's sequence number for
    /// `observe`.
    pub async fn ready(&self) -> u64 {
        let _waiting = Tally::new(&COUNTERS.waiting);
        let ticket = {
            let mut s = self.state.lock();
            let ticket = s.next_ticket;
            s.next_ticket += 1;
            s.waiting.insert(ticket);
            ticket
        };
        let _turn = Turn { lane: self, ticket };
        loop {
            // Registered before the check so a change in between still wakes us.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let now = Instant::now();
            let wake = {
                let mut s = self.state.lock();
                match s.paused_until.filter(|&u| u > now) {
                    Some(until) => Some(until),
                    // Not first in line: the one ahead wakes us when it starts.
                    None if s.waiting.first() != Some(&ticket) => None,
                    None => {
                        let t = self.secs(now);
                        match s.gate.try_start(t) {
                            Some(seq) => return seq,
                            None => Some(
                                self.epoch + Duration::from_secs_f64(s.gate.next_start(t).max(0.0)),
                            ),
                        }
                    }
                }
            };
            match wake {
                Some(wake) => {
                    tokio::select! {
                        _ = &mut changed => {}
                        _ = tokio::time::sleep_until(tokio::time::Instant::from_std(wake)) => {}
                    }
                }
                None => changed.await,
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
        self.changed.notify_waiters();
    }
}

/// Graph meters reads and writes apart, so each has its own lane: a GET never spends the write quota
/// and a write's 429 does not hold reads back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Read,
    Write,
}

type Lanes = HashMap<(String, String, Access), Arc<Lane>>;

static LANES: Lazy<Mutex<Lanes>> = Lazy::new(|| Mutex::new(HashMap::new()));

/// The read or write lane of a tenant at an endpoint (created on first use).
pub fn lane(endpoint: &str, tenant: &str, access: Access) -> Arc<Lane> {
    LANES
        .lock()
        .entry((
            endpoint.to_ascii_lowercase(),
            tenant.to_ascii_lowercase(),
            access,
        ))
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
    fn unlimited_until_graph_reports_use_then_the_rest_is_spread_out() {
        let mut g = QuotaGate::new();
        for i in 0..80 {
            assert_eq!(g.try_start(i as f64 * 0.01), Some(i));
        }
        for i in 0..79 {
            g.observe_at(i as f64 * 0.01 + 0.05, i, Signal::Clear);
        }
        assert_eq!(g.size(), None);
        g.observe_at(0.84, 79, Signal::Used(0.8));
        assert_eq!(g.size(), Some(100.0));
        assert_eq!(g.window(), None);
        // 20 left less a margin of 1: spread so that they last until 8 times the 0.79 s it took to get here.
        let growth = STRETCH.powf(1.0 / 19.0);
        let next = 0.79 * growth;
        assert!((g.next_start(0.85) - next).abs() < 1e-9);
        assert_eq!(g.try_start(0.85), None);
        assert_eq!(g.try_start(next), Some(80));
        assert!((g.next_start(next) - next * growth).abs() < 1e-9);
        // An older answer arriving late does not override a newer one.
        g.observe_at(next + 0.05, 80, Signal::Used(0.81));
        g.observe_at(next + 0.05, 70, Signal::Used(0.99));
        assert!(g.room() >= 17.0);
        // After a quiet minute the estimate is forgotten.
        assert!(g.try_start(FORGET_AFTER + 2.0).is_some());
        assert_eq!(g.size(), None);
    }

    #[test]
    fn a_burst_that_spent_most_of_the_quota_first_is_spaced_as_for_min_room() {
        // 17 writes 1 ms apart before the first report: 0.85 of a quota of 20 in use, 2 writes of room (less
        // the margin). Spaced for that room, each start would wait 1.83 times the run so far.
        let mut g = QuotaGate::new();
        for i in 0..17 {
            assert_eq!(g.try_start(i as f64 * 0.001), Some(i));
        }
        g.observe_at(0.03, 16, Signal::Used(0.85));
        assert!((g.size().unwrap() - 20.0).abs() < 1e-9);
        assert!((g.room() - 2.0).abs() < 1e-9);
        let growth = STRETCH.powf(1.0 / MIN_ROOM);
        assert!((g.next_start(0.03) - (0.016 + (growth - 1.0) * 0.016)).abs() < 1e-9);
    }

    #[test]
    fn a_bound_with_no_older_write_to_check_it_against_is_not_kept() {
        // A burst of 18 writes 1 ms apart. The third report puts 17 in use (0.8 of an estimated 21.25), which
        // reaches back to the very first write: were the count one off (answers overtake each other in a
        // burst), nothing older would say how far back the window reaches, and 18 ms would be taken for it.
        let mut g = QuotaGate::new();
        for i in 0..18 {
            assert_eq!(g.try_start(i as f64 * 0.001), Some(i));
        }
        g.observe_at(0.03, 15, Signal::Used(0.8));
        g.observe_at(0.031, 16, Signal::Used(0.8));
        g.observe_at(0.032, 17, Signal::Used(0.8));
        assert!((g.size().unwrap() - 21.25).abs() < 1e-9);
        assert_eq!(g.window(), None);
    }

    #[test]
    fn the_window_is_learned_from_an_expiry_then_replayed() {
        // 100 writes per 1 s; at most 8 in flight, each answered 50 ms after it starts.
        let mut g = QuotaGate::new();
        let mut arrivals: VecDeque<f64> = VecDeque::new();
        let mut answer = |g: &mut QuotaGate, seq: u64, at: f64| {
            let arrival = at + 0.025;
            while arrivals.front().is_some_and(|&a| arrival - a >= 1.0) {
                arrivals.pop_front();
            }
            assert!(arrivals.len() < 100, "429 at {at:.3}");
            arrivals.push_back(arrival);
            let used = arrivals.len() as f64 / 100.0;
            let signal = if used > REPORTED_FROM {
                Signal::Used(used)
            } else {
                Signal::Clear
            };
            g.observe_at(at + 0.05, seq, signal);
        };
        let mut t = 0.0;
        let mut pending: VecDeque<(u64, f64)> = VecDeque::new();
        let mut started = 0;
        while t < 3.0 {
            while pending
                .front()
                .is_some_and(|&(_, at)| at + 0.05 <= t + 1e-9)
            {
                let (seq, at) = pending.pop_front().unwrap();
                answer(&mut g, seq, at);
            }
            if pending.len() < 8 {
                if let Some(seq) = g.try_start(t) {
                    pending.push_back((seq, t));
                    started += 1;
                }
            }
            t += 0.0001;
        }
        let window = g.window().expect("learned");
        assert!((1.0..1.02).contains(&window), "{window}");
        // About 99 per second once the window is known: the margin of one is all that is given up.
        assert!(started >= 270, "{started}");
        // The window holds 98 or 99 of our writes (paced on a grid at 99 per window); the next one goes when
        // its slot comes, well within the window.
        assert!((98..=99).contains(&g.writes_after(t - window)));
        let next = g.next_start(t);
        assert!(next > t && next < t + 0.5, "{next} at {t}");
    }

    #[test]
    fn a_429_shrinks_the_estimate_and_blocks() {
        let mut g = QuotaGate::new();
        for i in 0..10 {
            g.try_start(0.0);
            g.observe_at(0.0, i, Signal::Used(0.1 * (i + 1) as f64));
        }
        assert!((g.size().unwrap() - 10.0).abs() < 1e-9);
        let seq = g.try_start(1.0).unwrap();
        g.observe_at(1.0, seq, Signal::Throttled);
        assert!((g.size().unwrap() - 10.0 * SHRINK).abs() < 1e-9);
        assert!(g.room() < 1.0);
        // Full and nothing known about the window: probes come no more often than every 2 * PROBE.
        assert!(g.next_start(1.0) >= 1.0 + 2.0 * PROBE - 1e-9);
    }

    #[test]
    fn the_line_is_served_in_order_and_a_cancelled_waiter_leaves_it() {
        let rt = crate::runtime::get().unwrap();
        rt.block_on(async {
            let lane = Arc::new(Lane::new());
            lane.pause(Duration::from_millis(300));
            let mut tasks = Vec::new();
            for _ in 0..5 {
                let lane = lane.clone();
                tasks.push(tokio::spawn(async move { lane.ready().await }));
                // Tickets are taken on the first poll: give each task time to take its own.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            tasks.remove(0).abort();
            let mut seqs = Vec::new();
            for task in tasks {
                seqs.push(task.await.unwrap());
            }
            assert_eq!(seqs, vec![0, 1, 2, 3]);
        });
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
                            heap.push(Ev(gate.next_start(t), w, 2 + timer[w]));
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
        // The benchmark's shape: 100 writes per second in a 1 s window, 50 ms latency, 8 in flight. Every 429
        // costs a whole-second pause, so the gate has to learn the window without one.
        let (rate, share) = simulate(2000, 8, 100, 1.0, 0.05, 0.0);
        assert!(rate >= 96.0, "{rate:.1}/s");
        assert_eq!(share, 0.0);
        // Jitter makes the gate keep a time margin; more in flight makes the first report come late.
        for (workers, jitter, floor) in [
            (8, 0.02, 90.0),
            (16, 0.02, 75.0),
            (32, 0.05, 75.0),
            (4, 0.0, 75.0),
        ] {
            let (rate, share) = simulate(2000, workers, 100, 1.0, 0.05, jitter);
            assert!(
                rate >= floor,
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
