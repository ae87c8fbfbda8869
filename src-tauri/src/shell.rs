//! How the app runs its windows: one instance (a second launch opens its window in the running
//! app), the setup and "Rotate token…" windows, and start at login. The tray is a process of
//! its own (`rovo-mcp-setup-tray`), with no webview: the app builds none, and ends when its
//! last window closes.

use std::process::{Command, Stdio};
use std::time::Duration;

use rovo_mcp_core::cli::{self, TRAY_BINARY};
use rovo_mcp_core::domain::clients::ClientEnvironment;
use rovo_mcp_core::domain::policy;
use rovo_mcp_core::plumbing::start_at_login::{self, LoginItem as _, OsLoginItem};
use tauri::{App, AppHandle, Manager, RunEvent, Wry};

use crate::Launch;
use crate::wizard_context::WizardContext;

const WINDOW_LABEL: &str = "main";
const ROTATE_WINDOW_LABEL: &str = "rotate";
/// The flag that opens the "Rotate token…" window (what the tray's menu item runs).
const ROTATE_FLAG: &str = "--rotate";

/// Runs the app's windows.
pub trait RunWindows {
    /// Adds the plugins (one instance first, so a second launch hands over before anything
    /// else starts), opens the window `launch` asks for, and runs until the last one closes.
    /// The demo gets none of it: only its window, which must not hand over to (or be found
    /// by) a real instance, nor start at login.
    fn run_windows(self, context: tauri::Context<Wry>, launch: Launch) -> tauri::Result<()>;
}

impl RunWindows for tauri::Builder<Wry> {
    fn run_windows(self, context: tauri::Context<Wry>, launch: Launch) -> tauri::Result<()> {
        let builder = if launch == Launch::Demo {
            self
        } else {
            plugins(self)
        };
        let app = builder
            .setup(move |app| {
                match launch {
                    Launch::Demo => open_demo(app.handle()),
                    Launch::Window => {
                        setup(app);
                        open_setup(app.handle());
                    }
                    Launch::Rotate => {
                        setup(app);
                        open_rotate(app.handle());
                    }
                }
                Ok(())
            })
            .build(context)?;
        app.run(on_run_event);
        Ok(())
    }
}

fn plugins(builder: tauri::Builder<Wry>) -> tauri::Builder<Wry> {
    builder.plugin(tauri_plugin_single_instance::init(
        |app, arguments, _cwd| {
            if arguments.iter().any(|argument| argument == ROTATE_FLAG) {
                open_rotate(app);
            } else {
                open_setup(app);
            }
        },
    ))
}

/// Makes this app's start-at-login entry reachable, and keeps the policy's `startAtLogin: true`
/// at every start, so an entry removed outside the app comes back.
fn setup(app: &App) {
    match OsLoginItem::for_this_app() {
        Ok(item) => {
            app.manage(StartAtLoginEntry(item));
        }
        Err(error) => eprintln!("rovo-mcp-setup: {error}"),
    }
    let policy = ClientEnvironment::current()
        .and_then(|environment| policy::load_policy(&environment).ok())
        .and_then(|policy| policy.settings.start_at_login);
    if policy == Some(true)
        && let Some(error) = start_at_login::apply_policy_here(Some(true)).error
    {
        eprintln!("rovo-mcp-setup: {error}");
    }
}

/// How long quitting waits for a write in progress: writes take milliseconds, but one may wait
/// for the keychain to be unlocked, and quitting must not hang on that for ever.
const WRITE_PATIENCE_AT_EXIT: Duration = Duration::from_secs(10);

/// When the app exits, lets a write in progress finish (a window closed mid-write must not cut
/// it off) and ends the demo (its server and sandbox).
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands the run callback its events by value"
)]
fn on_run_event(app: &AppHandle, event: RunEvent) {
    if let RunEvent::Exit = event
        && let Some(context) = app.try_state::<WizardContext>()
    {
        context.wait_for_writes(WRITE_PATIENCE_AT_EXIT);
        context.end_demo();
    }
}

/// This app's start-at-login entry, managed as app state everywhere but in the demo.
#[derive(Debug)]
pub struct StartAtLoginEntry(OsLoginItem);

/// Whether the tray starts at login now; `false` when the entry cannot be read.
pub fn start_at_login_enabled(app: &AppHandle) -> bool {
    app.try_state::<StartAtLoginEntry>()
        .is_some_and(|entry| entry.0.is_enabled().unwrap_or(false))
}

/// Turns start at login on or off (the last step's "keep me reminded"). Turned on, it also
/// starts the tray now, so the reminders begin without waiting for the next login (a tray
/// already running lets the new one end at once).
pub fn set_start_at_login(app: &AppHandle, enabled: bool) -> Result<(), String> {
    let Some(entry) = app.try_state::<StartAtLoginEntry>() else {
        return Err("start at login is unavailable here".to_owned());
    };
    if enabled {
        entry.0.enable().map_err(|error| error.to_string())?;
        start_tray();
        Ok(())
    } else {
        entry.0.disable().map_err(|error| error.to_string())
    }
}

/// Starts the tray beside the app, on its own: it outlives the window.
fn start_tray() {
    let tray = std::env::current_exe()
        .ok()
        .and_then(|exe| cli::sibling_binary(&exe, TRAY_BINARY))
        .filter(|tray| tray.is_file());
    let Some(tray) = tray else {
        eprintln!(
            "rovo-mcp-setup: the tray `{TRAY_BINARY}` is not beside this program, so it starts \
             at the next login; reinstall Rovo MCP Setup if it does not"
        );
        return;
    };
    // No pipe of the app's is handed on, so nothing that reads the app's output waits for
    // the tray; it is waited for on a thread, so it leaves no zombie if it ends first.
    let started = Command::new(&tray)
        .arg("--tray")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match started {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(error) => eprintln!(
            "rovo-mcp-setup: could not start `{}`: {error}",
            tray.display()
        ),
    }
}

/// Opens the demo's window, titled so that it is never mistaken for a real setup.
fn open_demo(app: &AppHandle) {
    open_setup(app);
    if let Some(window) = app.get_webview_window(WINDOW_LABEL) {
        let _ = window.set_title("Rovo MCP Setup (demo)");
    }
}

/// Shows the setup window, focusing it when it is open and creating it when it is not.
pub fn open_setup(app: &AppHandle) {
    open_window(app, WINDOW_LABEL);
}

/// Shows the "Rotate token…" window, focusing it when it is open and creating it when it is not.
pub fn open_rotate(app: &AppHandle) {
    open_window(app, ROTATE_WINDOW_LABEL);
}

/// Shows the window `label` of `tauri.conf.json`, creating it when it is not open.
fn open_window(app: &AppHandle, label: &str) {
    if let Some(window) = app.get_webview_window(label) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == label)
    else {
        return;
    };
    if let Err(error) = tauri::WebviewWindowBuilder::from_config(app, config)
        .and_then(tauri::WebviewWindowBuilder::build)
    {
        eprintln!("rovo-mcp-setup: the window could not be opened: {error}");
    }
}
