//! Opening a window: the tray starts the app beside it with the window's arguments, and the
//! app (or the one already open, which its single-instance guard hands them to) shows it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

use rovo_mcp_core::cli::{APP_BINARY, sibling_binary};
use rovo_mcp_core::use_cases::tray::Window;

use crate::NAME;

/// Whether the tray turned GTK's OpenGL off for itself (`GDK_GL=disable`): the app's window is
/// then started without it, since the webview needs it.
pub static GL_TURNED_OFF: AtomicBool = AtomicBool::new(false);

/// The app beside `tray`, or the one sentence that says it is not there.
pub fn beside(tray: &Path) -> Result<PathBuf, String> {
    sibling_binary(tray, APP_BINARY)
        .filter(|app| app.is_file())
        .ok_or_else(|| {
            format!(
                "{NAME}: the window needs the app `{APP_BINARY}` beside this program, and it \
                 is not there; reinstall Rovo MCP Setup"
            )
        })
}

/// Starts the app to show `window`; says in one sentence on stderr why not when it cannot.
pub fn open(window: Window) {
    let started = std::env::current_exe()
        .map_err(|error| format!("{NAME}: this program's own path is unknown: {error}"))
        .and_then(|tray| beside(&tray))
        .and_then(|app| {
            let mut command = Command::new(&app);
            if GL_TURNED_OFF.load(Ordering::Relaxed) {
                command.env_remove("GDK_GL");
            }
            command
                .args(window.arguments())
                .stdin(Stdio::null())
                .spawn()
                .map_err(|error| format!("{NAME}: could not start `{}`: {error}", app.display()))
        });
    match started {
        // Waited for on a thread of its own, so the ended window leaves no zombie behind.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(sentence) => eprintln!("{sentence}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_is_found_beside_the_tray_or_named_in_one_sentence() {
        let folder = tempfile::tempdir().unwrap();
        let tray = folder.path().join("rovo-mcp-setup-tray");
        let missing = beside(&tray).expect_err("no app there yet");
        assert!(
            missing.contains("`rovo-mcp-setup`") && missing.contains("reinstall"),
            "it names the missing app and what to do: {missing}"
        );
        assert_eq!(missing.lines().count(), 1, "one sentence: {missing}");

        let app = folder
            .path()
            .join(format!("{APP_BINARY}{}", std::env::consts::EXE_SUFFIX));
        std::fs::write(&app, "").unwrap();
        assert_eq!(
            beside(&tray),
            Ok(app),
            "once installed beside it, the app is what a window item starts"
        );
    }
}
