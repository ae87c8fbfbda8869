//! The one error type that crosses IPC: `{kind, message}`, where the UI branches on `kind`.

use rovo_mcp_core::{Error, ErrorKind};
use serde::Serialize;

/// What a failed command returns to the UI. The message names what was involved and what to
/// do next, and never carries a secret (core errors are built without them).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        Self {
            kind: error.kind(),
            message: error.message().to_owned(),
        }
    }
}
