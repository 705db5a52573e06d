//! The C boundary. Only `u32`, `i32`, `u64` and pointers cross; strings are UTF-8 JSON.
//! Every export runs inside a panic boundary. Nothing below this module sees a raw pointer,
//! and nothing in this module sees HTTP.

use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use zeroize::Zeroizing;

use crate::envelope::{self, MgError};
use crate::jobs::panic_message;

pub mod exports;

/// The ABI version the module checks at import.
pub const ABI_VERSION: u32 = 3;

/// Routes panic messages to the running job's log instead of the host's console (the library is
/// loaded into pwsh, whose console is not ours to write to).
fn install_panic_hook() {
    #[cfg(not(test))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            std::panic::set_hook(Box::new(|info| {
                crate::log_queue::debug(format!("Native library panic: {info}"));
            }));
        });
    }
}

/// Copies the caller's bytes. The copy is zeroized when dropped (it may hold a token or PIN).
///
/// # Safety
/// `ptr` must point to at least `len` readable bytes when `len > 0`.
pub(crate) unsafe fn read_input(ptr: *const u8, len: i32) -> Result<Zeroizing<String>, MgError> {
    if len < 0 {
        return Err(MgError::invalid(
            "InvalidRequest",
            "input",
            "The input length is negative.",
        ));
    }
    if len == 0 {
        return Ok(Zeroizing::new(String::new()));
    }
    if ptr.is_null() {
        return Err(MgError::invalid(
            "InvalidRequest",
            "input",
            "The input pointer is NULL.",
        ));
    }
    // SAFETY: the caller guarantees `len` readable bytes at `ptr`; they are copied at once.
    let bytes = Zeroizing::new(unsafe { std::slice::from_raw_parts(ptr, len as usize) }.to_vec());
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_string())),
        Err(e) => Err(MgError::invalid(
            "InvalidRequest",
            "input",
            format!("The input is not valid UTF-8 (byte {}).", e.valid_up_to()),
        )),
    }
}

/// Hands a string to the caller, who returns it through `mgrs_string_free`.
pub(crate) fn into_c(text: String) -> *mut c_char {
    let cstring = CString::new(text).unwrap_or_else(|e| {
        // JSON never holds a raw NUL; keep the boundary total anyway.
        let mut bytes = e.into_vec();
        bytes.retain(|b| *b != 0);
        CString::new(bytes).unwrap_or_default()
    });
    cstring.into_raw()
}

/// Runs `f` inside the panic boundary; a panic becomes an `internal` envelope.
pub(crate) fn guard_string(f: impl FnOnce() -> String) -> *mut c_char {
    install_panic_hook();
    let text = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        envelope::err(&MgError::Internal(format!(
            "The native library failed unexpectedly: {}",
            panic_message(payload.as_ref())
        )))
    });
    into_c(text)
}

/// Like [`guard_string`] for exports that may return NULL.
pub(crate) fn guard_optional(f: impl FnOnce() -> Option<String>) -> *mut c_char {
    install_panic_hook();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Some(text)) => into_c(text),
        Ok(None) => std::ptr::null_mut(),
        Err(payload) => into_c(envelope::err(&MgError::Internal(format!(
            "The native library failed unexpectedly: {}",
            panic_message(payload.as_ref())
        )))),
    }
}

/// Runs `f` inside the panic boundary; a panic returns `failure`.
pub(crate) fn guard_number<T>(failure: T, f: impl FnOnce() -> T) -> T {
    install_panic_hook();
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(failure)
}
