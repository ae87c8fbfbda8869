//! The core of Rovo MCP Setup: every capability of the app and the command line, with no
//! dependency on Tauri or any UI, so that it is tested without a window or WebKitGTK.
//!
//! The desktop shell (`src-tauri`), the command line (`cli`, in the app and in
//! `rovo-mcp-setup-cli`) and the tray (`rovo-mcp-setup-tray`) are thin callers of this crate,
//! which is in three places: `use_cases` (what a person or a script does, each once), `domain`
//! (what the app knows about) and `plumbing` (how it touches the machine).

pub mod cli;
pub mod domain;
pub mod error;
pub mod plumbing;
pub mod use_cases;

pub use error::{Error, ErrorKind, Result};

/// The app's identifier, which names its config and data folders (the same as
/// `tauri.conf.json`'s `identifier`, so the window and the command line share them).
pub const APP_IDENTIFIER: &str = "com.rovomcpsetup.desktop";
