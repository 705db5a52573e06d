//! Prepared requests kept in the library (issue 11). The `prepare` operation hands the module a
//! handle instead of the request text, which holds the PIN and any proxy password, so that text
//! never becomes a .NET string; `send` takes it back once by handle. A request that is never sent
//! (-WhatIf, a declined -Confirm, a step that threw) is released by the module, or else dropped
//! once [`LIMIT`] newer ones are waiting. Everything dropped is zeroized.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::envelope::MgError;

/// What a handle starts with, so a handle is never taken for request text.
pub const PREFIX: &str = "mgrs-prepared:";
/// Prepared requests waiting to be sent, across all runspaces. A pipeline sends each one right
/// after preparing it, so only requests that were never sent are ever dropped.
pub const LIMIT: usize = 4096;

/// Request texts by handle number, oldest first.
type Waiting = VecDeque<(u64, Zeroizing<String>)>;

static WAITING: Lazy<Mutex<Waiting>> = Lazy::new(Default::default);
static NEXT: AtomicU64 = AtomicU64::new(1);

/// Keeps the request text of a `prepare` result and puts a handle in its place.
pub fn hide(mut plan: Value) -> Value {
    let Some(Value::String(text)) = plan.get_mut("request") else {
        return plan;
    };
    plan["request"] = Value::String(keep(std::mem::take(text)));
    plan
}

/// Keeps a request's text and returns its handle (the next page of a list, for one `send`).
pub fn keep(text: String) -> String {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let text = Zeroizing::new(text);
    {
        let mut waiting = WAITING.lock();
        if waiting.len() >= LIMIT {
            waiting.pop_front();
        }
        waiting.push_back((id, text));
    }
    format!("{PREFIX}{id}")
}

fn id_of(handle: &str) -> Option<u64> {
    handle.strip_prefix(PREFIX)?.parse().ok()
}

fn remove(id: u64) -> Option<Zeroizing<String>> {
    let mut waiting = WAITING.lock();
    let i = waiting.iter().position(|(k, _)| *k == id)?;
    waiting.remove(i).map(|(_, text)| text)
}

/// Puts the request text back in place of a handle in a `send` input (text is left as it is).
pub fn reveal(input: &mut serde_json::Map<String, Value>) -> Result<(), MgError> {
    let Some(Value::String(handle)) = input.get("request") else {
        return Ok(());
    };
    let Some(id) = id_of(handle) else {
        return Ok(());
    };
    let mut text = remove(id).ok_or_else(|| {
        MgError::invalid(
            "InvalidRequest",
            "request",
            "The prepared request was already sent, released, or dropped after too many others were prepared without being sent. Nothing was sent: prepare it again.",
        )
    })?;
    input.insert("request".into(), Value::String(std::mem::take(&mut *text)));
    Ok(())
}

/// `prepared.release` `{request}`: forgets a prepared request that will not be sent.
pub fn release(input: &serde_json::Map<String, Value>) -> Value {
    let released = input
        .get("request")
        .and_then(Value::as_str)
        .and_then(id_of)
        .and_then(remove)
        .is_some();
    Value::Bool(released)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_handle_crosses_instead_of_the_text_and_is_taken_back_once() {
        let plan = hide(json!({"userId": "u", "request": "{\"body\":{\"code\":\"12345678\"}}"}));
        let handle = plan["request"].as_str().unwrap().to_string();
        assert!(handle.starts_with(PREFIX) && !plan.to_string().contains("12345678"));
        let mut input = json!({"op": "send", "request": handle})
            .as_object()
            .unwrap()
            .clone();
        reveal(&mut input).unwrap();
        assert_eq!(input["request"], "{\"body\":{\"code\":\"12345678\"}}");
        let mut again = json!({"request": handle}).as_object().unwrap().clone();
        assert_eq!(reveal(&mut again).unwrap_err().kind(), "invalid_argument");
        // Text is passed through; a released handle is gone.
        let mut text = json!({"request": "{}"}).as_object().unwrap().clone();
        reveal(&mut text).unwrap();
        assert_eq!(text["request"], "{}");
        let plan = hide(json!({"request": "{}"}));
        let release_input = plan.as_object().unwrap().clone();
        assert_eq!(release(&release_input), Value::Bool(true));
        assert_eq!(release(&release_input), Value::Bool(false));
    }
}
