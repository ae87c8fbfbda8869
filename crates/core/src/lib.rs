//! The core of Rovo MCP Setup: every capability of the app and the command line, with no
//! dependency on Tauri or any UI, so that it is tested without a window or WebKitGTK.
//!
//! The desktop shell (`src-tauri`) and the command line are thin callers of this crate.

pub mod auth_method;
pub mod backups;
pub mod bridge;
pub mod care;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod clients;
pub mod credentials;
pub mod demo;
pub mod edit;
pub mod error;
pub mod first_paint;
pub mod fsutil;
pub mod http_failure;
pub mod logging;
pub mod policy;
pub mod probe;
pub mod reminders;
pub mod rotation;
pub mod secrets;
pub mod setup;
pub mod start_at_login;
pub mod state;
pub mod status;
pub mod tray;
pub mod wizard;

pub use error::{Error, ErrorKind, Result};

/// The app's identifier, which names its config and data folders (the same as
/// `tauri.conf.json`'s `identifier`, so the window and the command line share them).
pub const APP_IDENTIFIER: &str = "com.rovomcpsetup.desktop";
