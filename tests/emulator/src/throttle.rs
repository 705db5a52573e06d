//! The identity-and-access write quota: per app and tenant, a sliding window of at most `limit` writes in
//! `window`. Graph sends `x-ms-throttle-limit-percentage` once a caller has used more than 0.8 of a limit, and
//! answers 429 with `Retry-After`, `x-ms-throttle-scope` and `x-ms-throttle-information` beyond it.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// The share of the limit above which `x-ms-throttle-limit-percentage` is sent.
pub const REPORT_FROM: f64 = 0.8;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quota {
    pub limit: u32,
    pub window: Duration,
}

/// What the window says about one write.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Admitted; `used` is the share of the limit in use including this write (0.0-1.0).
    Admitted { used: f64 },
    /// Refused; wait `retry_after_secs` (whole seconds, at least 1). `used` is above 1.0.
    Throttled { retry_after_secs: u64, used: f64 },
}

/// Sliding windows, one per (app id, tenant id).
#[derive(Default)]
pub struct Windows {
    windows: HashMap<(String, String), VecDeque<Instant>>,
}

impl Windows {
    pub fn clear(&mut self) {
        self.windows.clear();
    }

    /// Counts a write at `now` unless the window is full. Refused writes are not counted.
    pub fn admit(&mut self, quota: Quota, key: &(String, String), now: Instant) -> Verdict {
        let entries = self.windows.entry(key.clone()).or_default();
        while entries
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= quota.window)
        {
            entries.pop_front();
        }
        let limit = quota.limit.max(1) as usize;
        if entries.len() >= limit {
            let oldest = *entries.front().expect("a full window has entries");
            let wait = (oldest + quota.window).saturating_duration_since(now);
            // Graph sends whole seconds; round up so a client that obeys never comes back too early.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Verdict::Throttled {
                retry_after_secs: secs.max(1),
                used: (entries.len() + 1) as f64 / limit as f64,
            };
        }
        entries.push_back(now);
        Verdict::Admitted {
            used: entries.len() as f64 / limit as f64,
        }
    }

    /// `[(app, tenant, writes in the window)]` for the stats endpoint.
    pub fn usage(&mut self, quota: Quota, now: Instant) -> Vec<(String, String, usize)> {
        self.windows
            .iter_mut()
            .map(|((app, tenant), entries)| {
                while entries
                    .front()
                    .is_some_and(|&t| now.saturating_duration_since(t) >= quota.window)
                {
                    entries.pop_front();
                }
                (app.clone(), tenant.clone(), entries.len())
            })
            .collect()
    }
}

/// The (app id, tenant id) a bearer token belongs to, read from its claims without checking the signature
/// (the Graph handler does that). `None` when there is no readable token: such requests end in 401 anyway.
pub fn quota_key(authorization: Option<&str>) -> Option<(String, String)> {
    let token = authorization?.trim().split_once(' ')?.1.trim();
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let app = match text("appid") {
        a if a.is_empty() => text("azp"),
        a => a,
    };
    Some((app, text("tid")))
}

/// The value of `x-ms-throttle-limit-percentage`: a fraction of the limit, as Graph writes it.
pub fn percentage_header(used: f64) -> String {
    format!("{used:.3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> (String, String) {
        ("app".into(), "tenant".into())
    }

    #[test]
    fn admits_up_to_the_limit_then_throttles_until_the_oldest_write_leaves() {
        let quota = Quota {
            limit: 4,
            window: Duration::from_millis(1500),
        };
        let mut w = Windows::default();
        let t0 = Instant::now();
        for i in 0..4 {
            let v = w.admit(quota, &key(), t0 + Duration::from_millis(i * 10));
            assert_eq!(
                v,
                Verdict::Admitted {
                    used: (i + 1) as f64 / 4.0
                }
            );
        }
        let v = w.admit(quota, &key(), t0 + Duration::from_millis(100));
        assert_eq!(
            v,
            Verdict::Throttled {
                retry_after_secs: 2,
                used: 1.25
            }
        );
        // Another tenant has its own window.
        assert!(matches!(
            w.admit(quota, &("app".into(), "other".into()), t0),
            Verdict::Admitted { .. }
        ));
        // Once the first write is 1.5 s old there is room for one more.
        let later = t0 + Duration::from_millis(1500);
        assert_eq!(
            w.admit(quota, &key(), later),
            Verdict::Admitted { used: 1.0 }
        );
        assert!(matches!(
            w.admit(quota, &key(), later),
            Verdict::Throttled {
                retry_after_secs: 1,
                ..
            }
        ));
    }

    #[test]
    fn key_comes_from_the_token_claims() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"appid":"a1","tid":"t1"}"#);
        let auth = format!("Bearer x.{payload}.y");
        assert_eq!(quota_key(Some(&auth)), Some(("a1".into(), "t1".into())));
        let payload = URL_SAFE_NO_PAD.encode(br#"{"azp":"a2"}"#);
        let auth = format!("Bearer x.{payload}.y");
        assert_eq!(quota_key(Some(&auth)), Some(("a2".into(), String::new())));
        assert_eq!(quota_key(None), None);
        assert_eq!(quota_key(Some("Bearer nonsense")), None);
        assert_eq!(percentage_header(0.8124), "0.812");
    }
}
