//! The request context of `Set-MgRequestContext` / `Get-MgRequestContext`: retry and timeout settings for
//! every request of the process, plus `MaxConcurrency`, this module's bound on requests in flight per
//! pipeline. Held here so every runspace of the process sees the same values.

use once_cell::sync::Lazy;
use parking_lot::RwLock;
use serde_json::{json, Map, Value};

use crate::envelope::MgError;

/// Limits of the official cmdlet, plus our own for the settings it leaves open.
pub const MAX_RETRY_LIMIT: u64 = 10;
pub const MAX_RETRY_DELAY: u64 = 180;
pub const MAX_SECONDS: u64 = 86_400;
pub const MAX_CONCURRENCY_LIMIT: u64 = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestContext {
    /// Retries after 429, 503 and 504 (0-10).
    pub max_retry: u32,
    /// Base delay in seconds when an answer has no Retry-After: doubled on each retry (0-180).
    pub retry_delay: u32,
    /// Longest total time in seconds spent retrying one request; 0 means no limit.
    pub retries_time_limit: u32,
    /// Timeout of one HTTP attempt, in seconds.
    pub client_timeout: u32,
    /// Requests one pipeline keeps in flight.
    pub max_concurrency: u32,
}

impl Default for RequestContext {
    fn default() -> Self {
        RequestContext {
            max_retry: 3,
            retry_delay: 3,
            retries_time_limit: 0,
            client_timeout: 300,
            max_concurrency: 8,
        }
    }
}

impl RequestContext {
    pub fn to_json(self) -> Value {
        json!({
            "ClientTimeout": self.client_timeout,
            "RetryDelay": self.retry_delay,
            "MaxRetry": self.max_retry,
            "RetriesTimeLimit": self.retries_time_limit,
            "MaxConcurrency": self.max_concurrency,
        })
    }

    /// A copy with the fields present in `input` changed; every field is checked before any is taken.
    pub fn with(self, input: &Map<String, Value>) -> Result<Self, MgError> {
        let mut next = self;
        let fields: [(&str, u64, u64, &mut u32, &str); 5] = [
            (
                "MaxRetry",
                0,
                MAX_RETRY_LIMIT,
                &mut next.max_retry,
                "retries",
            ),
            (
                "RetryDelay",
                0,
                MAX_RETRY_DELAY,
                &mut next.retry_delay,
                "seconds",
            ),
            (
                "RetriesTimeLimit",
                0,
                MAX_SECONDS,
                &mut next.retries_time_limit,
                "seconds (0 means no limit)",
            ),
            (
                "ClientTimeout",
                1,
                MAX_SECONDS,
                &mut next.client_timeout,
                "seconds",
            ),
            (
                "MaxConcurrency",
                1,
                MAX_CONCURRENCY_LIMIT,
                &mut next.max_concurrency,
                "requests in flight",
            ),
        ];
        for (name, min, max, slot, unit) in fields {
            let Some(value) = input
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
            else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let n = value.as_i64().ok_or_else(|| {
                MgError::invalid(
                    "InvalidRequestContext",
                    name,
                    format!("{name} must be a whole number of {unit}, from {min} to {max}."),
                )
            })?;
            if n < min as i64 || n > max as i64 {
                return Err(MgError::invalid(
                    "InvalidRequestContext",
                    name,
                    format!("{name} must be from {min} to {max} {unit}; {n} is out of range. Nothing was changed."),
                ));
            }
            *slot = n as u32;
        }
        Ok(next)
    }
}

static CONTEXT: Lazy<RwLock<RequestContext>> = Lazy::new(|| RwLock::new(RequestContext::default()));

/// The current settings (a copy: a request keeps the values it started with).
pub fn get() -> RequestContext {
    *CONTEXT.read()
}

/// `request_context.set`: changes the given fields, all or none.
pub fn set(input: &Map<String, Value>) -> Result<RequestContext, MgError> {
    let mut guard = CONTEXT.write();
    let next = guard.with(input)?;
    *guard = next;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn defaults_are_the_official_ones() {
        let c = RequestContext::default();
        assert_eq!(
            c.to_json(),
            json!({"ClientTimeout": 300, "RetryDelay": 3, "MaxRetry": 3, "RetriesTimeLimit": 0, "MaxConcurrency": 8})
        );
    }

    #[test]
    fn fields_change_only_when_all_are_valid() {
        let c = RequestContext::default();
        let d = c
            .with(&map(
                json!({"maxretry": 10, "RetryDelay": 0, "ClientTimeout": 5, "MaxConcurrency": 16}),
            ))
            .unwrap();
        assert_eq!(
            (
                d.max_retry,
                d.retry_delay,
                d.client_timeout,
                d.max_concurrency,
                d.retries_time_limit
            ),
            (10, 0, 5, 16, 0)
        );
        for (bad, name) in [
            (json!({"MaxRetry": 11}), "MaxRetry"),
            (json!({"MaxRetry": -1}), "MaxRetry"),
            (json!({"RetryDelay": 181}), "RetryDelay"),
            (json!({"ClientTimeout": 0}), "ClientTimeout"),
            (json!({"MaxConcurrency": 0}), "MaxConcurrency"),
            (json!({"MaxConcurrency": 65}), "MaxConcurrency"),
            (json!({"RetriesTimeLimit": 1.5}), "RetriesTimeLimit"),
            (json!({"MaxRetry": 2, "RetryDelay": "x"}), "RetryDelay"),
        ] {
            let e = c.with(&map(bad.clone())).unwrap_err();
            let v = e.to_json();
            assert_eq!(v["parameterName"], name, "{bad}");
            assert!(v["message"].as_str().unwrap().contains(name));
        }
        // null means "leave as it is".
        assert_eq!(c.with(&map(json!({"MaxRetry": null}))).unwrap(), c);
    }
}
