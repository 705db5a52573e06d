//! One lazily started multi-thread tokio runtime for all network work.

use once_cell::sync::OnceCell;
use tokio::runtime::Runtime;

use crate::envelope::MgError;

static RUNTIME: OnceCell<Runtime> = OnceCell::new();

/// The shared runtime, started on first use.
pub fn get() -> Result<&'static Runtime, MgError> {
    RUNTIME.get_or_try_init(|| {
        // One worker: the work is waiting on sockets, and on a small machine a second worker mostly
        // competed with the PowerShell thread for a core (a sequential call took about 15 µs more).
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("mgrs-worker")
            .enable_all()
            .build()
            .map_err(|e| MgError::Internal(format!("Could not start the native I/O runtime: {e}")))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn runtime_runs_tasks_and_is_shared() {
        let rt = super::get().unwrap();
        assert_eq!(rt.block_on(async { 40 + 2 }), 42);
        assert!(std::ptr::eq(rt, super::get().unwrap()));
    }
}
