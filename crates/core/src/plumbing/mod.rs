//! How the app touches the machine, with no knowledge of MCP: atomic, backed-up file writes and
//! the backups' purge, lossless config edits, the state file, logging, start at login, the
//! shared mapping of HTTP failures to error kinds, and the first-paint measurement.

pub mod backups;
pub mod edit;
pub mod first_paint;
pub mod fsutil;
pub mod http_failure;
pub mod logging;
pub mod start_at_login;
pub mod state;
