//! The command the window calls once its first frame is painted, for the launch-to-first-paint
//! benchmark (`ROVO_MCP_REPORT_FIRST_PAINT`).

use std::time::Instant;

use rovo_mcp_core::plumbing::first_paint::{self, AfterFirstPaint};
use tauri::{AppHandle, State};

/// When `main` started, the origin of the first-paint time.
#[derive(Debug, Clone, Copy)]
pub struct LaunchTime(pub Instant);

/// Reports the first paint when `ROVO_MCP_REPORT_FIRST_PAINT` asks for it, and quits when its
/// value is `exit`; otherwise does nothing.
#[tauri::command]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn report_first_paint(app: AppHandle, launched: State<'_, LaunchTime>) {
    if first_paint::report_first_paint(launched.0) == AfterFirstPaint::Exit {
        app.exit(0);
    }
}
