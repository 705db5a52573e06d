//! The `extern "C"` functions of docs/abi.md.
//!
//! Ownership: every `*mut c_char` returned here belongs to the library and must be handed
//! back exactly once to [`mgrs_string_free`]. Input buffers stay the caller's; they are
//! copied before the call returns.

use std::ffi::{c_char, CString};

use super::{guard_number, guard_optional, guard_string, read_input, ABI_VERSION};
use crate::envelope;
use crate::jobs::JOBS;
use crate::ops;

/// The ABI version (`3`).
#[no_mangle]
pub extern "C" fn mgrs_abi_version() -> u32 {
    ABI_VERSION
}

/// The ABI version as data, so the module can check it at import by reading four bytes
/// (NativeLibrary.GetExport + Marshal.ReadInt32) before it builds any call stubs.
#[no_mangle]
pub static MGRS_ABI_VERSION: u32 = ABI_VERSION;

/// Runs a synchronous operation. Never returns NULL.
///
/// # Safety
/// `input` must point to `len` readable bytes (or be NULL with `len == 0`).
#[no_mangle]
pub unsafe extern "C" fn mgrs_invoke(input: *const u8, len: i32) -> *mut c_char {
    guard_string(|| {
        // SAFETY: forwarded caller guarantee.
        match unsafe { read_input(input, len) } {
            Ok(text) => ops::invoke(&text),
            Err(e) => envelope::err(&e),
        }
    })
}

/// Starts an asynchronous operation; returns its handle, or 0 if the input could not be copied.
///
/// # Safety
/// `input` must point to `len` readable bytes (or be NULL with `len == 0`).
#[no_mangle]
pub unsafe extern "C" fn mgrs_submit(input: *const u8, len: i32) -> u64 {
    guard_number(0, || {
        if len < 0 || (len > 0 && input.is_null()) {
            return 0;
        }
        // SAFETY: forwarded caller guarantee.
        let text = unsafe { read_input(input, len) }.map(|t| t.to_string());
        ops::submit(text)
    })
}

/// NULL while the job runs; its result envelope once done (a fresh copy each call), or an
/// `unknown_handle` envelope. Never blocks.
#[no_mangle]
pub extern "C" fn mgrs_poll(handle: u64) -> *mut c_char {
    guard_optional(|| match JOBS.poll(handle) {
        Ok(result) => result,
        Err(e) => Some(envelope::err(&e)),
    })
}

/// Blocks at most `timeout_ms`: `1` done, `2` done with an error, `0` still running, `-1` unknown handle.
#[no_mangle]
pub extern "C" fn mgrs_wait(handle: u64, timeout_ms: u32) -> i32 {
    guard_number(-1, || JOBS.wait(handle, timeout_ms))
}

/// Blocks at most `timeout_ms` like `mgrs_wait`; once the job is done, returns its result envelope and
/// forgets the job (as `mgrs_release`). NULL while it still runs; an `unknown_handle` envelope for a
/// handle it does not know.
#[no_mangle]
pub extern "C" fn mgrs_take(handle: u64, timeout_ms: u32) -> *mut c_char {
    guard_optional(|| match JOBS.take(handle, timeout_ms) {
        Ok(result) => result,
        Err(e) => Some(envelope::err(&e)),
    })
}

/// Asks a running job to stop. `0` ok, `-1` unknown handle.
#[no_mangle]
pub extern "C" fn mgrs_cancel(handle: u64) -> i32 {
    guard_number(-1, || JOBS.cancel(handle))
}

/// Cancels if still running and forgets the job. `0` ok, `-1` unknown handle.
#[no_mangle]
pub extern "C" fn mgrs_release(handle: u64) -> i32 {
    guard_number(-1, || JOBS.release(handle))
}

/// Cancels and forgets the job only if its request has not gone on the wire yet. `1` withdrawn,
/// `0` already sent or done (left running), `-1` unknown handle.
#[no_mangle]
pub extern "C" fn mgrs_withdraw(handle: u64) -> i32 {
    guard_number(-1, || JOBS.withdraw(handle))
}

/// Cancels and forgets the job like `mgrs_release`. NULL when nothing is in doubt, else
/// `{"UserId","Method","Uri","SentAt"}` of a request that was sent and whose outcome is unread;
/// an `unknown_handle` envelope for a handle it does not know.
#[no_mangle]
pub extern "C" fn mgrs_abandon(handle: u64) -> *mut c_char {
    guard_optional(|| match JOBS.abandon(handle) {
        Ok(doubt) => doubt,
        Err(e) => Some(envelope::err(&e)),
    })
}

/// The job's log lines queued since the last drain: NULL when none (or an unknown handle), else a
/// JSON array of `{"level","message"}`. Lines not drained come with the job's result.
#[no_mangle]
pub extern "C" fn mgrs_log_drain(handle: u64) -> *mut c_char {
    guard_optional(|| JOBS.get(handle).and_then(|job| job.drain_log()))
}

/// Releases a string returned by the library. NULL is ignored.
///
/// # Safety
/// `s` must be NULL or a pointer returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn mgrs_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: `s` came from `CString::into_raw` in this library (caller guarantee).
        drop(unsafe { CString::from_raw(s) });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::ffi::CStr;

    fn take(ptr: *mut c_char) -> Option<Value> {
        if ptr.is_null() {
            return None;
        }
        let text = unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_string();
        unsafe { mgrs_string_free(ptr) };
        Some(serde_json::from_str(&text).unwrap())
    }

    fn invoke(v: &Value) -> Value {
        let bytes = v.to_string().into_bytes();
        take(unsafe { mgrs_invoke(bytes.as_ptr(), bytes.len() as i32) }).unwrap()
    }

    #[test]
    fn abi_version_is_three() {
        assert_eq!(mgrs_abi_version(), 3);
        assert_eq!(MGRS_ABI_VERSION, 3);
    }

    #[test]
    fn invoke_round_trip() {
        let v = invoke(&json!({"op": "no.such.op"}));
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["kind"], "invalid_argument");
        let v = invoke(&json!({"op": "environment.list"}));
        assert_eq!(v["ok"], true);
        assert!(v["value"].as_array().unwrap().len() >= 4);
    }

    #[test]
    fn bad_buffers_do_not_crash() {
        let v = take(unsafe { mgrs_invoke(std::ptr::null(), 0) }).unwrap();
        assert_eq!(v["ok"], false);
        let v = take(unsafe { mgrs_invoke(std::ptr::null(), 5) }).unwrap();
        assert_eq!(v["ok"], false);
        let bad = [0xffu8, 0xfe];
        let v = take(unsafe { mgrs_invoke(bad.as_ptr(), 2) }).unwrap();
        assert!(v["error"]["message"].as_str().unwrap().contains("UTF-8"));
        assert_eq!(unsafe { mgrs_submit(std::ptr::null(), 3) }, 0);
        assert_eq!(unsafe { mgrs_submit(bad.as_ptr(), -1) }, 0);
        unsafe { mgrs_string_free(std::ptr::null_mut()) };
    }

    #[test]
    fn a_panic_becomes_an_internal_envelope() {
        let v = invoke(&json!({"op": "__panic"}));
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["kind"], "internal");
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("test-only panic"));
    }

    #[test]
    fn jobs_through_the_boundary() {
        // Input errors show up as the job's result.
        let bytes = b"{not json";
        let h = unsafe { mgrs_submit(bytes.as_ptr(), bytes.len() as i32) };
        assert!(h >= 1);
        assert_eq!(mgrs_wait(h, 1000), 2);
        let v = take(mgrs_poll(h)).unwrap();
        assert_eq!(v["error"]["kind"], "invalid_argument");
        // A fresh copy each call.
        assert_eq!(take(mgrs_poll(h)).unwrap(), v);
        assert_eq!(mgrs_release(h), 0);
        assert_eq!(mgrs_release(h), -1);
        assert_eq!(mgrs_wait(h, 0), -1);
        assert_eq!(mgrs_cancel(h), -1);
        let v = take(mgrs_poll(h)).unwrap();
        assert_eq!(v["error"]["kind"], "unknown_handle");
        let v = take(mgrs_take(h, 0)).unwrap();
        assert_eq!(v["error"]["kind"], "unknown_handle");

        // mgrs_take: the result once, and the job is gone.
        let h3 = unsafe { mgrs_submit(bytes.as_ptr(), bytes.len() as i32) };
        let v = take(mgrs_take(h3, 1000)).unwrap();
        assert_eq!(v["error"]["kind"], "invalid_argument");
        assert_eq!(mgrs_release(h3), -1);

        // A panic inside a job.
        let bytes = json!({"op": "__panic"}).to_string().into_bytes();
        let h2 = unsafe { mgrs_submit(bytes.as_ptr(), bytes.len() as i32) };
        assert!(h2 > h);
        assert_eq!(mgrs_wait(h2, 5000), 2);
        assert_eq!(take(mgrs_poll(h2)).unwrap()["error"]["kind"], "internal");
        assert_eq!(mgrs_release(h2), 0);

        assert_eq!(mgrs_wait(u64::MAX, 0), -1);
    }

    #[test]
    fn withdraw_abandon_and_log_drain_through_the_boundary() {
        assert_eq!(mgrs_withdraw(u64::MAX), -1);
        assert_eq!(
            take(mgrs_abandon(u64::MAX)).unwrap()["error"]["kind"],
            "unknown_handle"
        );
        assert!(mgrs_log_drain(u64::MAX).is_null());
        // An input error never went on the wire: nothing in doubt, and it is too late to withdraw.
        let bytes = b"{not json";
        let h = unsafe { mgrs_submit(bytes.as_ptr(), bytes.len() as i32) };
        assert_eq!(mgrs_wait(h, 1000), 2);
        assert!(mgrs_log_drain(h).is_null());
        assert_eq!(mgrs_withdraw(h), 0);
        assert!(mgrs_abandon(h).is_null());
        assert_eq!(mgrs_release(h), -1);
    }

    #[test]
    fn send_without_connection_or_request() {
        let bytes = json!({"op": "send"}).to_string().into_bytes();
        let h = unsafe { mgrs_submit(bytes.as_ptr(), bytes.len() as i32) };
        assert_eq!(mgrs_wait(h, 5000), 2);
        let v = take(mgrs_poll(h)).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(mgrs_release(h), 0);
    }
}
