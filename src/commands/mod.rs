//! The per-command part of the engine: the command table (`table/`, one JSON file per command,
//! read by Rust and by the PowerShell generator alike), set resolution for any entry, and the
//! error policy each command's errors carry to PowerShell.

pub(crate) mod policy;
pub(crate) mod resolve;
pub(crate) mod table;
