//! Asynchronous jobs addressed by `u64` handles (starting at 1, never reused). A job runs on
//! the shared runtime; `wait` blocks on a condition variable, `poll` never blocks, `cancel`
//! and `release` stop it through a cancellation token. A job keeps its own log lines and knows
//! whether its request went on the wire, so a stopped command can name what is in doubt.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::{Condvar, Mutex};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::envelope::{self, MgError};
use crate::log_queue::{Level, LogQueue};
use crate::runtime;

tokio::task_local! {
    /// The job whose work is running: where its log lines go and where sending is recorded.
    static CURRENT: Arc<Job>;
}

/// Wire states of a job's request.
const NOT_SENT: u8 = 0;
const SENT: u8 = 1;
const WITHDRAWN: u8 = 2;

/// What a job's request was when it first went on the wire (for `Get-MgRsInDoubtRequest`).
struct Sent {
    user_id: String,
    method: String,
    uri: String,
    at: chrono::DateTime<chrono::Utc>,
}

/// The message of a cancelled job.
pub const CANCELLED_MESSAGE: &str = "The operation was cancelled before Microsoft Graph answered.";

/// How long after its start a waiter spins on a job before sleeping. Loopback or same-datacenter
/// answers come back within this window, and on a small virtual machine putting the waiting
/// thread to sleep and waking it again cost more than the request itself (measured: a PATCH to
/// the emulator took 135-155 µs with a sleeping waiter, 84-106 µs with a spinning one). A job
/// older than this is waited for without spinning, so a bulk run's waits cost no CPU.
pub const SPIN_WINDOW: Duration = Duration::from_micros(400);

/// One job: its result envelope once done.
pub struct Job {
    result: Mutex<Option<String>>,
    done: Condvar,
    /// Set with the result: lets a spinning waiter look without taking the lock.
    finished: AtomicBool,
    /// Set with an error result.
    failed: AtomicBool,
    started: Instant,
    cancel: CancellationToken,
    /// Log lines of this job's work only: the command that owns the job writes them.
    log: LogQueue,
    wire: AtomicU8,
    sent: Mutex<Option<Sent>>,
}

impl Job {
    fn new() -> Self {
        Job {
            result: Mutex::new(None),
            done: Condvar::new(),
            finished: AtomicBool::new(false),
            failed: AtomicBool::new(false),
            started: Instant::now(),
            cancel: CancellationToken::new(),
            log: LogQueue::new(crate::log_queue::CAPACITY),
            wire: AtomicU8::new(NOT_SENT),
            sent: Mutex::new(None),
        }
    }

    /// Stores the result (the first one wins) and wakes waiters. Log lines nobody drained while
    /// the job ran come first in the envelope, as `"log":[...]`.
    pub fn complete(&self, envelope: String) {
        let mut result = self.result.lock();
        if result.is_none() {
            self.failed
                .store(envelope.starts_with(r#"{"ok":false"#), Ordering::Release);
            *result = Some(match self.log.drain() {
                Some(lines) if envelope.starts_with('{') => {
                    format!("{{\"log\":{lines},{}", &envelope[1..])
                }
                _ => envelope,
            });
        }
        self.finished.store(true, Ordering::Release);
        self.done.notify_all();
    }

    /// Done with an error envelope (lets a pipeline spot a failure without reading the result).
    pub fn failed(&self) -> bool {
        self.finished.load(Ordering::Acquire) && self.failed.load(Ordering::Acquire)
    }

    /// The log lines queued since the last drain (JSON array), for a command that shows them while
    /// the job still runs (a device code prompt).
    pub fn drain_log(&self) -> Option<String> {
        self.log.drain()
    }

    /// Records that the request goes on the wire now; false when the job was withdrawn first
    /// (then nothing may be sent).
    fn mark_sent(&self, user_id: &str, method: &str, uri: &str) -> bool {
        // Held across the change, so whoever sees SENT also sees what was sent.
        let mut sent = self.sent.lock();
        match self
            .wire
            .compare_exchange(NOT_SENT, SENT, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => {
                *sent = Some(Sent {
                    user_id: user_id.to_string(),
                    method: method.to_string(),
                    uri: uri.to_string(),
                    at: chrono::Utc::now(),
                });
                true
            }
            Err(state) => state == SENT,
        }
    }

    /// The request that was sent and whose outcome nobody will read, as
    /// `{UserId, Method, Uri, SentAt}`; `None` when nothing was sent, or Graph answered with an
    /// error (nothing was applied).
    fn in_doubt(&self) -> Option<Value> {
        let sent = self.sent.lock();
        let sent = sent.as_ref()?;
        if let Some(result) = self.result.lock().as_deref() {
            let v: Value = serde_json::from_str(result).unwrap_or(Value::Null);
            if v["ok"] == false && v["error"]["kind"] == "graph" {
                return None;
            }
        }
        Some(
            json!({"UserId": sent.user_id, "Method": sent.method, "Uri": sent.uri,
            "SentAt": sent.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)}),
        )
    }

    pub fn result(&self) -> Option<String> {
        self.result.lock().clone()
    }

    /// Blocks up to `timeout`; true when done. Spins first while the job is young (see [`SPIN_WINDOW`]).
    pub fn wait(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        if !timeout.is_zero() {
            let spin_until = (self.started + SPIN_WINDOW).min(deadline);
            let mut turns = 0u32;
            while !self.finished.load(Ordering::Acquire) && Instant::now() < spin_until {
                turns = turns.wrapping_add(1);
                // Now and then give the core to a runnable thread (the I/O worker, a local server).
                if turns % 16 == 0 {
                    std::thread::yield_now();
                } else {
                    std::hint::spin_loop();
                }
            }
        }
        let mut result = self.result.lock();
        while result.is_none() {
            if self.done.wait_until(&mut result, deadline).timed_out() {
                break;
            }
        }
        result.is_some()
    }

    pub fn cancel_token(&self) -> CancellationToken {
        self.cancel.clone()
    }
}

/// Adds a log line to the running job's log. Outside a job (a synchronous operation) no command
/// owns the line, so it is dropped.
pub fn log_line(level: Level, message: impl FnOnce() -> String) {
    let _ = CURRENT.try_with(|job| job.log.push(level, message()));
}

/// Called just before a request goes on the wire (each attempt). False when the running job was
/// withdrawn before its first attempt: the caller must not send. Outside a job it is always true.
pub fn on_the_wire(user_id: &str, method: &str, uri: &str) -> bool {
    CURRENT
        .try_with(|job| job.mark_sent(user_id, method, uri))
        .unwrap_or(true)
}

/// The handle table.
pub struct JobTable {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Arc<Job>>>,
    /// Jobs released since free memory was last handed back to the system.
    released: AtomicU64,
}

/// After this many released jobs, once none is left, the allocator's free memory goes back to the system.
pub const TRIM_AFTER: u64 = 1000;

/// Hands the C allocator's free pages back to the system. The runtime's worker threads allocate from arenas
/// of their own, which glibc keeps at their high-water mark after a bulk run (about 20 MB after 10,000
/// items); trimming when the process falls idle returns that without a cost per request.
fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is thread-safe and takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

impl Default for JobTable {
    fn default() -> Self {
        Self::new()
    }
}

impl JobTable {
    pub fn new() -> Self {
        JobTable {
            next: AtomicU64::new(1),
            jobs: Mutex::new(HashMap::new()),
            released: AtomicU64::new(0),
        }
    }

    /// A new, running job and its handle.
    pub fn create(&self) -> (u64, Arc<Job>) {
        let handle = self.next.fetch_add(1, Ordering::Relaxed);
        let job = Arc::new(Job::new());
        self.jobs.lock().insert(handle, job.clone());
        (handle, job)
    }

    /// Jobs not yet released.
    pub fn len(&self) -> usize {
        self.jobs.lock().len()
    }

    pub fn get(&self, handle: u64) -> Option<Arc<Job>> {
        self.jobs.lock().get(&handle).cloned()
    }

    /// `Ok(None)` while running, `Ok(Some(envelope))` once done, `Err` for an unknown handle.
    pub fn poll(&self, handle: u64) -> Result<Option<String>, MgError> {
        self.get(handle)
            .map(|j| j.result())
            .ok_or(MgError::UnknownHandle(handle))
    }

    /// `1` done, `2` done with an error envelope, `0` still running, `-1` unknown handle.
    pub fn wait(&self, handle: u64, timeout_ms: u32) -> i32 {
        match self.get(handle) {
            None => -1,
            Some(job) if !job.wait(Duration::from_millis(u64::from(timeout_ms))) => 0,
            Some(job) if job.failed() => 2,
            Some(_) => 1,
        }
    }

    /// Waits up to `timeout_ms`; once done, hands back the result and forgets the job (wait, poll
    /// and release in one crossing, for the per-call path). `Ok(None)` while still running.
    pub fn take(&self, handle: u64, timeout_ms: u32) -> Result<Option<String>, MgError> {
        let job = self.get(handle).ok_or(MgError::UnknownHandle(handle))?;
        if !job.wait(Duration::from_millis(u64::from(timeout_ms))) {
            return Ok(None);
        }
        let result = job.result.lock().take();
        self.release(handle);
        Ok(result)
    }

    /// Asks a job to stop. `0` ok, `-1` unknown handle.
    pub fn cancel(&self, handle: u64) -> i32 {
        match self.get(handle) {
            None => -1,
            Some(job) => {
                job.cancel.cancel();
                0
            }
        }
    }

    /// Cancels and forgets a job whose request has not gone on the wire yet. `1` withdrawn (never
    /// sent, forgotten), `0` already sent or done (left alone), `-1` unknown handle.
    pub fn withdraw(&self, handle: u64) -> i32 {
        let Some(job) = self.get(handle) else {
            return -1;
        };
        if job.finished.load(Ordering::Acquire)
            || job
                .wire
                .compare_exchange(NOT_SENT, WITHDRAWN, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
        {
            return 0;
        }
        self.release(handle);
        1
    }

    /// Cancels and forgets a job like [`JobTable::release`]; returns the request in doubt (sent,
    /// outcome unread) as JSON text, or `None`. `Err` for an unknown handle.
    pub fn abandon(&self, handle: u64) -> Result<Option<String>, MgError> {
        let job = self.get(handle).ok_or(MgError::UnknownHandle(handle))?;
        // Withdrawn first, so a request not yet sent never goes out after this.
        let _ = job
            .wire
            .compare_exchange(NOT_SENT, WITHDRAWN, Ordering::AcqRel, Ordering::Acquire);
        self.release(handle);
        Ok(job.in_doubt().map(|v| v.to_string()))
    }

    /// Cancels and forgets a job. `0` ok, `-1` unknown handle.
    pub fn release(&self, handle: u64) -> i32 {
        let (removed, idle) = {
            let mut jobs = self.jobs.lock();
            let removed = jobs.remove(&handle);
            (removed, jobs.is_empty())
        };
        match removed {
            None => -1,
            Some(job) => {
                job.cancel.cancel();
                if idle && self.released.fetch_add(1, Ordering::Relaxed) + 1 >= TRIM_AFTER {
                    self.released.store(0, Ordering::Relaxed);
                    return_free_memory();
                }
                0
            }
        }
    }

    /// Starts `work` on the shared runtime as a new job. Cancellation aborts the work and
    /// makes the result a `cancelled` error; a panic in the work becomes an `internal` error.
    pub fn spawn<F>(&self, work: F) -> u64
    where
        F: Future<Output = String> + Send + 'static,
    {
        let (handle, job) = self.create();
        let rt = match runtime::get() {
            Ok(rt) => rt,
            Err(e) => {
                job.complete(envelope::err(&e));
                return handle;
            }
        };
        let token = job.cancel_token();
        rt.spawn(async move {
            let inner = tokio::spawn(CURRENT.scope(job.clone(), work));
            let abort = inner.abort_handle();
            let result = tokio::select! {
                biased;
                _ = token.cancelled() => {
                    abort.abort();
                    envelope::err(&MgError::Cancelled(CANCELLED_MESSAGE.into()))
                }
                joined = inner => match joined {
                    Ok(text) => text,
                    Err(e) if e.is_panic() => envelope::err(&MgError::Internal(format!(
                        "The native library failed unexpectedly: {}",
                        panic_message(e.into_panic().as_ref())
                    ))),
                    Err(_) => envelope::err(&MgError::Cancelled(CANCELLED_MESSAGE.into())),
                },
            };
            job.complete(result);
        });
        handle
    }

    /// A job that is already done (for input that could not even start).
    pub fn finished(&self, envelope: String) -> u64 {
        let (handle, job) = self.create();
        job.complete(envelope);
        handle
    }
}

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// The process-wide table.
pub static JOBS: Lazy<JobTable> = Lazy::new(JobTable::new);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn kind(envelope: &str) -> String {
        let v: Value = serde_json::from_str(envelope).unwrap();
        v["error"]["kind"].as_str().unwrap_or("").to_string()
    }

    #[test]
    fn handles_start_at_one_and_are_never_reused() {
        let t = JobTable::new();
        let a = t.finished(envelope::ok(Value::Null));
        let b = t.finished(envelope::ok(Value::Null));
        assert_eq!((a, b), (1, 2));
        assert_eq!(t.release(a), 0);
        assert_eq!(t.finished(envelope::ok(Value::Null)), 3);
    }

    #[test]
    fn free_memory_is_returned_once_enough_jobs_were_released_and_none_is_left() {
        let t = JobTable::new();
        let keep = t.finished(envelope::ok(Value::Null));
        for _ in 0..TRIM_AFTER {
            let h = t.finished(envelope::ok(Value::Null));
            assert_eq!(t.release(h), 0);
        }
        // One job still held: nothing is trimmed while the table is busy, so the count is not reset.
        assert_eq!(t.released.load(Ordering::Relaxed), 0);
        assert_eq!(t.release(keep), 0);
        assert_eq!(t.released.load(Ordering::Relaxed), 1);
        for _ in 1..TRIM_AFTER {
            let h = t.finished(envelope::ok(Value::Null));
            assert_eq!(t.release(h), 0);
        }
        // The thousandth release into an empty table trimmed and started counting again.
        assert_eq!(t.released.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn unknown_handles_and_double_release() {
        let t = JobTable::new();
        assert_eq!(t.wait(99, 0), -1);
        assert_eq!(t.cancel(99), -1);
        assert_eq!(t.release(99), -1);
        assert!(matches!(t.poll(99), Err(MgError::UnknownHandle(99))));
        let h = t.finished(envelope::ok(Value::Null));
        assert_eq!(t.wait(h, 0), 1);
        assert_eq!(t.release(h), 0);
        assert_eq!(t.release(h), -1);
        assert_eq!(t.wait(h, 0), -1);
    }

    #[test]
    fn spawned_work_completes_and_wait_blocks_until_then() {
        let t = JobTable::new();
        let h = t.spawn(async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            envelope::ok(Value::from(7))
        });
        assert_eq!(t.poll(h).unwrap(), None);
        assert_eq!(t.wait(h, 0), 0);
        assert_eq!(t.wait(h, 5_000), 1);
        let v: Value = serde_json::from_str(&t.poll(h).unwrap().unwrap()).unwrap();
        assert_eq!(v["value"], 7);
        // Cancelling a finished job changes nothing.
        assert_eq!(t.cancel(h), 0);
        assert_eq!(t.poll(h).unwrap().unwrap(), envelope::ok(Value::from(7)));
    }

    #[test]
    fn take_hands_back_the_result_once_and_forgets_the_job() {
        let t = JobTable::new();
        let h = t.spawn(async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            envelope::ok(Value::from(7))
        });
        assert_eq!(t.take(h, 0).unwrap(), None);
        assert_eq!(t.len(), 1);
        let text = t.take(h, 5_000).unwrap().unwrap();
        assert_eq!(text, envelope::ok(Value::from(7)));
        assert!(t.len() == 0);
        assert!(matches!(t.take(h, 0), Err(MgError::UnknownHandle(_))));
    }

    #[test]
    fn a_young_job_is_spun_for_and_an_old_one_slept_for() {
        let t = JobTable::new();
        let h = t.spawn(async {
            tokio::time::sleep(Duration::from_millis(30)).await;
            envelope::ok(Value::Null)
        });
        // Past the spin window the waiter sleeps on the condition variable: it still wakes on completion.
        std::thread::sleep(SPIN_WINDOW * 2);
        let start = Instant::now();
        assert_eq!(t.wait(h, 5_000), 1);
        assert!(start.elapsed() < Duration::from_secs(2));
        // A job done within the window is seen by the spinning waiter without any sleep.
        let quick = t.spawn(async { envelope::ok(Value::Null) });
        assert_eq!(t.wait(quick, 5_000), 1);
    }

    #[test]
    fn wait_times_out_without_spinning_forever() {
        let t = JobTable::new();
        let h = t.spawn(async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            envelope::ok(Value::Null)
        });
        let start = Instant::now();
        assert_eq!(t.wait(h, 100), 0);
        assert!(start.elapsed() >= Duration::from_millis(90));
        assert_eq!(t.release(h), 0);
    }

    #[test]
    fn cancel_makes_the_result_cancelled() {
        let t = JobTable::new();
        let h = t.spawn(async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            envelope::ok(Value::Null)
        });
        assert_eq!(t.cancel(h), 0);
        assert_eq!(t.wait(h, 5_000), 2);
        assert_eq!(kind(&t.poll(h).unwrap().unwrap()), "cancelled");
    }

    #[test]
    fn log_lines_stay_with_the_job_that_wrote_them() {
        let t = JobTable::new();
        let make = |n: u32| {
            t.spawn(async move {
                for i in 0..50 {
                    crate::log_queue::verbose(format!("job {n} line {i}"));
                    tokio::task::yield_now().await;
                }
                envelope::ok(Value::from(n))
            })
        };
        let (a, b) = (make(1), make(2));
        for (h, n) in [(a, 1), (b, 2)] {
            let v: Value = serde_json::from_str(&t.take(h, 5_000).unwrap().unwrap()).unwrap();
            assert_eq!(v["value"], n);
            let lines = v["log"].as_array().unwrap();
            assert_eq!(lines.len(), 50);
            assert!(lines.iter().all(|l| l["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("job {n} "))));
        }
        // Lines drained while the job runs are not repeated with its result; outside a job nothing is kept.
        crate::log_queue::warning("nobody's");
        let h = t.spawn(async {
            crate::log_queue::information("prompt");
            tokio::time::sleep(Duration::from_millis(100)).await;
            envelope::ok(Value::Null)
        });
        std::thread::sleep(Duration::from_millis(50));
        let drained: Value = serde_json::from_str(&t.get(h).unwrap().drain_log().unwrap()).unwrap();
        assert_eq!(drained[0]["message"], "prompt");
        let text = t.take(h, 5_000).unwrap().unwrap();
        assert_eq!(text, envelope::ok(Value::Null));
    }

    #[test]
    fn a_withdrawn_job_never_goes_on_the_wire_and_an_abandoned_one_names_its_request() {
        let t = JobTable::new();
        let slow = || async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if !on_the_wire("later", "PATCH", "http://x/later") {
                return envelope::err(&MgError::Cancelled(CANCELLED_MESSAGE.into()));
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
            envelope::ok(Value::Null)
        };
        let waiting = t.spawn(slow());
        assert_eq!(t.withdraw(waiting), 1);
        assert_eq!(t.withdraw(waiting), -1);

        let sent = t.spawn(async {
            assert!(on_the_wire("u1", "PATCH", "http://x/u1"));
            tokio::time::sleep(Duration::from_secs(30)).await;
            envelope::ok(Value::Null)
        });
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(t.withdraw(sent), 0);
        let doubt: Value = serde_json::from_str(&t.abandon(sent).unwrap().unwrap()).unwrap();
        assert_eq!(doubt["UserId"], "u1");
        assert_eq!(doubt["Method"], "PATCH");
        assert_eq!(doubt["Uri"], "http://x/u1");
        assert!(doubt["SentAt"].as_str().unwrap().ends_with('Z'));
        assert!(t.abandon(sent).is_err());

        // Not sent, or answered with a Graph error: nothing in doubt.
        let idle = t.spawn(slow());
        assert_eq!(t.abandon(idle).unwrap(), None);
        let refused = t.spawn(async {
            assert!(on_the_wire("u2", "PATCH", "http://x/u2"));
            r#"{"ok":false,"error":{"kind":"graph","status":400}}"#.to_string()
        });
        assert_eq!(t.wait(refused, 5_000), 2);
        assert_eq!(t.abandon(refused).unwrap(), None);
        // Answered with success but never read: applied and unreported, so in doubt.
        let applied = t.spawn(async {
            assert!(on_the_wire("u3", "PATCH", "http://x/u3"));
            envelope::ok(Value::Null)
        });
        assert_eq!(t.wait(applied, 5_000), 1);
        assert!(t.abandon(applied).unwrap().unwrap().contains("u3"));
    }

    #[test]
    fn panics_become_internal_errors() {
        let t = JobTable::new();
        let h = t.spawn(async {
            if Instant::now().elapsed() < Duration::from_secs(3600) {
                panic!("boom in a job");
            }
            String::new()
        });
        assert_eq!(t.wait(h, 5_000), 2);
        let env = t.poll(h).unwrap().unwrap();
        assert_eq!(kind(&env), "internal");
        assert!(env.contains("boom in a job"));
    }
}
