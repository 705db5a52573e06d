//! Bounded queues of log lines, one per job (src/jobs.rs): the job's work pushes, and the
//! command that owns the job writes them with Write-Verbose/Write-Debug/Write-Warning/Write-Host,
//! from the job's result or `mgrs_log_drain(handle)`. Lines never hold a PIN, a token or a
//! secret: callers redact before pushing.

use std::collections::VecDeque;

use parking_lot::Mutex;
use serde_json::{json, Value};

/// How many lines a job keeps before the oldest are dropped.
pub const CAPACITY: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Verbose,
    Debug,
    Warning,
    /// Text for the user's screen (device code prompt, sign-in URL): written with Write-Host.
    Information,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Verbose => "verbose",
            Level::Debug => "debug",
            Level::Warning => "warning",
            Level::Information => "information",
        }
    }
}

#[derive(Default)]
struct Inner {
    lines: VecDeque<(Level, String)>,
    dropped: u64,
}

pub struct LogQueue {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl LogQueue {
    pub fn new(capacity: usize) -> Self {
        LogQueue {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn push(&self, level: Level, message: impl Into<String>) {
        // Issue 11: a line may quote what a server sent back, which may repeat a secret.
        let message = crate::redact::mask_owned(message.into());
        let mut inner = self.inner.lock();
        if inner.lines.len() >= self.capacity {
            inner.lines.pop_front();
            inner.dropped += 1;
        }
        inner.lines.push_back((level, message));
    }

    /// Everything queued as a JSON array, or `None` when empty.
    pub fn drain(&self) -> Option<String> {
        let mut inner = self.inner.lock();
        if inner.lines.is_empty() && inner.dropped == 0 {
            return None;
        }
        let mut out: Vec<Value> = Vec::with_capacity(inner.lines.len() + 1);
        if inner.dropped > 0 {
            out.push(json!({"level": "warning",
                "message": format!("{} older native log lines were dropped because nobody read them.", inner.dropped)}));
            inner.dropped = 0;
        }
        out.extend(
            inner
                .lines
                .drain(..)
                .map(|(l, m)| json!({"level": l.as_str(), "message": m})),
        );
        Some(Value::Array(out).to_string())
    }
}

/// The lines below go to the running job's log (dropped outside a job).
pub fn verbose(message: impl Into<String>) {
    crate::jobs::log_line(Level::Verbose, || message.into());
}

pub fn debug(message: impl Into<String>) {
    crate::jobs::log_line(Level::Debug, || message.into());
}

pub fn warning(message: impl Into<String>) {
    crate::jobs::log_line(Level::Warning, || message.into());
}

pub fn information(message: impl Into<String>) {
    crate::jobs::log_line(Level::Information, || message.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drain_returns_lines_in_order_then_none() {
        let q = LogQueue::new(10);
        assert!(q.drain().is_none());
        q.push(Level::Verbose, "one");
        q.push(Level::Warning, "two \"quoted\"");
        let v: Value = serde_json::from_str(&q.drain().unwrap()).unwrap();
        assert_eq!(
            v,
            json!([{"level": "verbose", "message": "one"}, {"level": "warning", "message": "two \"quoted\""}])
        );
        assert!(q.drain().is_none());
    }

    #[test]
    fn queue_is_bounded() {
        let q = LogQueue::new(3);
        for i in 0..5 {
            q.push(Level::Debug, format!("{i}"));
        }
        let v: Value = serde_json::from_str(&q.drain().unwrap()).unwrap();
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), 4);
        assert_eq!(arr[0]["level"], "warning");
        assert!(arr[0]["message"].as_str().unwrap().starts_with("2 "));
        assert_eq!(arr[1]["message"], "2");
        assert_eq!(arr[3]["message"], "4");
    }
}
