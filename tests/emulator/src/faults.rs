//! Injected faults: rules posted through the control API, each aimed at one user or at whatever comes next,
//! and spent one request at a time.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// Answer with `status` (500, 503, 504, 429...) and an optional `Retry-After`; nothing is applied.
    Status,
    /// Drop the connection before the update is applied: no status line ever reaches the client.
    ResetBeforeApply,
    /// Apply the update, then drop the connection instead of answering.
    ResetAfterApply,
    /// Wait `delayMs` (default 60 s) before handling: longer than any sensible client timeout.
    Hang,
    /// Wait `delayMs` before handling, then carry on normally (to shuffle completion order).
    Delay,
    /// Apply the update, then answer 201 with a body that is not valid JSON.
    MalformedJson,
    /// Apply the update, then answer 201 with an empty body.
    EmptyBody,
    /// Answer normally, with a `Warning` header whose value is `text` (RFC 7234 form).
    Warning,
    /// Answer `status` (default 201) with `body` verbatim, or with `bodyBytes` bytes of filler streamed
    /// without a Content-Length. A 2xx status applies the update first; any other does not.
    Answer,
}

impl FaultKind {
    /// Faults that happen before the request is handled.
    pub fn is_before(self) -> bool {
        matches!(
            self,
            FaultKind::Status | FaultKind::ResetBeforeApply | FaultKind::Hang | FaultKind::Delay
        )
    }
}

/// The body a `status` fault answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorBody {
    /// Graph's error envelope (the default).
    #[default]
    Graph,
    /// A small HTML page, as a gateway or proxy in front of Graph sends.
    Html,
    /// No body at all.
    Empty,
}

impl ErrorBody {
    /// The HTML page of an `html` error body.
    pub fn html_page(status: u16, reason: &str) -> String {
        format!("<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1><p>The emulator's gateway was told to fail this request.</p></body></html>")
    }
}

/// A rule as posted: `{"kind","user"?,"count"?,"status"?,"retryAfter"?,"delayMs"?,"text"?,"errorBody"?}`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    pub kind: FaultKind,
    /// Object id or UPN of the target user; absent means any Graph request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// How many matching requests it hits (default 1).
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Sent verbatim as `Retry-After`: seconds, or an HTTP date given as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// The `Warning` header value of a `warning` fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The body of a `status` fault: `graph` (default), `html` or `empty`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_body: Option<ErrorBody>,
    /// The body of an `answer` fault, sent as it is (absent: no body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The size of an `answer` fault's filler body, instead of `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_bytes: Option<u64>,
}

fn one() -> u32 {
    1
}

impl FaultSpec {
    pub fn check(&self) -> Result<(), String> {
        if self.count == 0 {
            return Err("count must be at least 1".into());
        }
        match self.kind {
            FaultKind::Status => match self.status {
                Some(s) if (400..=599).contains(&s) => {}
                _ => return Err("a status fault needs a status between 400 and 599".into()),
            },
            FaultKind::Answer => match self.status {
                Some(s) if !(200..=599).contains(&s) => {
                    return Err("an answer fault's status must be between 200 and 599".into())
                }
                _ if self.body.is_some() && self.body_bytes.is_some() => {
                    return Err("an answer fault takes body or bodyBytes, not both".into())
                }
                _ => {}
            },
            _ if self.status.is_some() => {
                return Err("status is only meaningful for kind \"status\"".into())
            }
            _ => {}
        }
        if (self.body.is_some() || self.body_bytes.is_some()) && self.kind != FaultKind::Answer {
            return Err("body and bodyBytes are only meaningful for kind \"answer\"".into());
        }
        if self.error_body.is_some() && self.kind != FaultKind::Status {
            return Err("errorBody is only meaningful for kind \"status\"".into());
        }
        match (&self.text, self.kind) {
            (Some(t), FaultKind::Warning) if t.chars().any(char::is_control) => {
                return Err("text cannot contain control characters".into())
            }
            (Some(_), FaultKind::Warning) | (None, _) => {}
            (Some(_), _) => return Err("text is only meaningful for kind \"warning\"".into()),
        }
        if let Some(v) = &self.retry_after {
            if !(v.is_string() || v.is_u64()) {
                return Err("retryAfter must be whole seconds or an HTTP date string".into());
            }
        }
        Ok(())
    }

    /// The `Warning` header a `warning` fault adds.
    pub fn warning_text(&self) -> String {
        self.text
            .clone()
            .unwrap_or_else(|| r#"299 - "The emulator was told to add this warning.""#.to_string())
    }

    pub fn retry_after_text(&self) -> Option<String> {
        match &self.retry_after {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
            None => None,
        }
    }
}

/// Posted rules, oldest first.
#[derive(Default)]
pub struct Faults {
    rules: Vec<FaultSpec>,
}

impl Faults {
    pub fn add(&mut self, spec: FaultSpec) {
        self.rules.push(spec);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn list(&self) -> &[FaultSpec] {
        &self.rules
    }

    /// Spends one use of the oldest rule that matches. `same_user` says whether a rule's `user` names the
    /// request's target.
    pub fn take(&mut self, same_user: impl Fn(&str) -> bool) -> Option<FaultSpec> {
        let i = self
            .rules
            .iter()
            .position(|r| r.user.as_deref().is_none_or(&same_user))?;
        let rule = self.rules[i].clone();
        self.rules[i].count -= 1;
        if self.rules[i].count == 0 {
            self.rules.remove(i);
        }
        Some(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: serde_json::Value) -> FaultSpec {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn warning_rules() {
        let w = spec(json!({"kind": "warning", "text": "299 - \"Deprecated\""}));
        assert!(w.check().is_ok());
        assert_eq!(w.warning_text(), "299 - \"Deprecated\"");
        assert!(spec(json!({"kind": "warning"}))
            .warning_text()
            .starts_with("299 - "));
        assert!(spec(json!({"kind": "warning", "text": "a\r\nb"}))
            .check()
            .is_err());
        assert!(spec(json!({"kind": "delay", "text": "x"})).check().is_err());
        assert!(!FaultKind::Warning.is_before());
    }

    #[test]
    fn error_bodies() {
        let s = spec(json!({"kind": "status", "status": 503, "errorBody": "empty"}));
        assert!(s.check().is_ok());
        assert_eq!(s.error_body, Some(ErrorBody::Empty));
        assert!(
            spec(json!({"kind": "status", "status": 500, "errorBody": "html"}))
                .check()
                .is_ok()
        );
        assert!(spec(json!({"kind": "delay", "errorBody": "html"}))
            .check()
            .is_err());
        assert!(serde_json::from_value::<FaultSpec>(
            json!({"kind": "status", "status": 500, "errorBody": "xml"})
        )
        .is_err());
        assert!(ErrorBody::html_page(502, "Bad Gateway")
            .starts_with("<html><head><title>502 Bad Gateway</title>"));
    }

    #[test]
    fn answer_rules() {
        assert!(spec(json!({"kind": "answer", "body": "[]"}))
            .check()
            .is_ok());
        assert!(spec(json!({"kind": "answer", "status": 204}))
            .check()
            .is_ok());
        assert!(
            spec(json!({"kind": "answer", "status": 400, "bodyBytes": 100}))
                .check()
                .is_ok()
        );
        assert!(spec(json!({"kind": "answer", "status": 199}))
            .check()
            .is_err());
        assert!(spec(json!({"kind": "answer", "body": "", "bodyBytes": 1}))
            .check()
            .is_err());
        assert!(spec(json!({"kind": "delay", "body": "x"})).check().is_err());
    }

    #[test]
    fn rules_are_checked() {
        assert!(spec(json!({"kind": "status", "status": 503}))
            .check()
            .is_ok());
        assert!(spec(json!({"kind": "status"})).check().is_err());
        assert!(spec(json!({"kind": "hang", "status": 500}))
            .check()
            .is_err());
        assert!(spec(json!({"kind": "emptyBody", "count": 0}))
            .check()
            .is_err());
        assert!(
            spec(json!({"kind": "status", "status": 503, "retryAfter": 1.5}))
                .check()
                .is_err()
        );
        assert!(serde_json::from_value::<FaultSpec>(json!({"kind": "explode"})).is_err());
    }

    #[test]
    fn per_user_and_next_n_rules_are_spent_in_order() {
        let mut f = Faults::default();
        f.add(spec(
            json!({"kind": "resetBeforeApply", "user": "alice", "count": 2}),
        ));
        f.add(spec(json!({"kind": "emptyBody"})));
        // bob is not alice: the untargeted rule hits him.
        assert_eq!(
            f.take(|u| u == "bob").map(|r| r.kind),
            Some(FaultKind::EmptyBody)
        );
        assert_eq!(f.take(|u| u == "bob").map(|r| r.kind), None);
        assert_eq!(
            f.take(|u| u == "alice").map(|r| r.kind),
            Some(FaultKind::ResetBeforeApply)
        );
        assert_eq!(f.list()[0].count, 1);
        assert!(f.take(|u| u == "alice").is_some());
        assert!(f.take(|u| u == "alice").is_none());
        assert!(f.list().is_empty());
    }
}
