//! `-ContextScope CurrentUser`: the delegated session saved in a file only the user can read, so
//! a later `Connect-MgGraph` (in any PowerShell session of that user) signs in silently.
//!
//! Saved: the environment (name and endpoints), tenant, client id, account, scopes, how the
//! user signed in, and the refresh token. Never saved: access tokens, client secrets, private
//! keys, certificates. App-only sign-ins save nothing (their credential is needed again anyway).
//!
//! On Unix the folder is created 0700 and the file 0600, written to a temporary file and renamed;
//! a file that others could read, or that belongs to someone else, is not used. Elsewhere the
//! module cannot yet restrict the file, so CurrentUser is refused.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::envelope::MgError;

pub const FILE_NAME: &str = "context.json";

/// The saved session.
#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub version: u32,
    pub saved_at: String,
    pub environment_name: String,
    pub azure_ad_endpoint: String,
    pub graph_endpoint: String,
    pub tenant_id: String,
    pub client_id: String,
    pub account: Option<String>,
    pub scopes: Vec<String>,
    pub token_credential_type: String,
    pub refresh_token: String,
}

impl Drop for Record {
    fn drop(&mut self) {
        self.refresh_token.zeroize();
    }
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("environment_name", &self.environment_name)
            .field("client_id", &self.client_id)
            .field("refresh_token", &"<redacted>")
            .finish()
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> MgError {
    MgError::Authentication(format!(
        "ContextScope CurrentUser: could not {what} '{}': {e}.",
        path.display()
    ))
}

pub fn file_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

#[cfg(unix)]
fn check_private(path: &Path, want_dir: bool) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if meta.file_type().is_symlink() {
        return Err("it is a symbolic link".into());
    }
    if want_dir != meta.is_dir() {
        return Err(if want_dir {
            "it is not a folder"
        } else {
            "it is not a file"
        }
        .into());
    }
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err("it belongs to another user".into());
    }
    if meta.mode() & 0o077 != 0 {
        return Err(format!(
            "other users can access it (mode {:o})",
            meta.mode() & 0o777
        ));
    }
    Ok(())
}

/// Writes the record (0600, atomically).
#[cfg(unix)]
pub fn save(dir: &Path, record: &Record) -> Result<(), MgError> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| io_error("create the folder", dir, e))?;
    }
    check_private(dir, true).map_err(|why| {
        MgError::Authentication(format!(
            "ContextScope CurrentUser: the folder '{}' is not private ({why}). Make it yours with mode 0700, or choose another folder with MICROSOFT_GRAPH_RS_CONTEXT_DIR.",
            dir.display()
        ))
    })?;
    let text = Zeroizing::new(
        serde_json::to_string_pretty(record).map_err(|e| MgError::Internal(e.to_string()))?,
    );
    let tmp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| io_error("write", &tmp, e))?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|_| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|_| std::fs::rename(&tmp, file_in(dir))) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error("write", &file_in(dir), e));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn save(_dir: &Path, _record: &Record) -> Result<(), MgError> {
    // The file cannot be restricted to its owner here yet (README, ContextScope CurrentUser).
    Err(MgError::Authentication(
        "ContextScope CurrentUser is not available: on this operating system Microsoft.Graph.Rs cannot yet restrict the saved session file to your account.".into(),
    ))
}

/// Reads the record. `Ok(None)` when there is none; an error when it exists but is not private
/// or not readable (it is then not used).
pub fn load(dir: &Path) -> Result<Option<Record>, MgError> {
    let path = file_in(dir);
    if !path.exists() {
        return Ok(None);
    }
    #[cfg(unix)]
    check_private(&path, false).map_err(|why| {
        MgError::Authentication(format!(
            "The saved session '{}' was not used because {why}. Delete it (Disconnect-MgGraph does) and sign in again.",
            path.display()
        ))
    })?;
    #[cfg(not(unix))]
    return Ok(None);
    #[cfg(unix)]
    {
        let mut bytes =
            Zeroizing::new(std::fs::read(&path).map_err(|e| io_error("read", &path, e))?);
        let record = serde_json::from_slice::<Record>(&bytes).ok();
        bytes.zeroize();
        Ok(record.filter(|r| r.version == 1 && !r.refresh_token.is_empty()))
    }
}

/// Deletes the saved session. True when there was one.
pub fn delete(dir: &Path) -> Result<bool, MgError> {
    let path = file_in(dir);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_error("delete", &path, e)),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn record() -> Record {
        Record {
            version: 1,
            saved_at: "2025-03-04T12:00:00Z".into(),
            environment_name: "Global".into(),
            azure_ad_endpoint: "https://login.microsoftonline.com".into(),
            graph_endpoint: "https://graph.microsoft.com".into(),
            tenant_id: "t".into(),
            client_id: "c".into(),
            account: Some("a@b".into()),
            scopes: vec!["User.Read".into()],
            token_credential_type: "DeviceCode".into(),
            refresh_token: "refresh-secret".into(),
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("mgrs-persist-{name}-{}", uuid::Uuid::new_v4()));
        d.join("nested")
    }

    #[test]
    fn save_load_delete_with_private_modes() {
        let dir = temp_dir("ok");
        assert!(load(&dir).unwrap().is_none());
        save(&dir, &record()).unwrap();
        let mode = std::fs::metadata(file_in(&dir))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        let dmode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(dmode, 0o700);
        let back = load(&dir).unwrap().unwrap();
        assert_eq!(back.refresh_token, "refresh-secret");
        assert!(!format!("{back:?}").contains("refresh-secret"));
        // Saving again replaces the file.
        save(&dir, &record()).unwrap();
        assert!(delete(&dir).unwrap());
        assert!(!delete(&dir).unwrap());
        assert!(load(&dir).unwrap().is_none());
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn readable_by_others_is_refused() {
        let dir = temp_dir("open");
        save(&dir, &record()).unwrap();
        std::fs::set_permissions(file_in(&dir), std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load(&dir).unwrap_err().to_string();
        assert!(e.contains("other users can access it"), "{e}");
        assert!(!e.contains("refresh-secret"));
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let e = save(&dir, &record()).unwrap_err().to_string();
        assert!(e.contains("not private"), "{e}");
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }
}
