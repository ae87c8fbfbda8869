//! The desktop shell: opens the wizard window and wires the typed commands to the core.
//! Everything the app does lives in `rovo_mcp_core`; this crate only adapts it to Tauri.

mod commands;
mod display;
mod ipc_error;
mod shell;
mod wizard_context;

use std::process::ExitCode;
use std::time::Instant;

use rovo_mcp_core::use_cases::demo::DemoWorld;
use shell::RunWindows as _;
use wizard_context::WizardContext;

pub use ipc_error::IpcError;

/// How the app was asked to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launch {
    /// The setup window.
    Window,
    /// The "Rotate token…" window (what the tray's menu item opens).
    Rotate,
    /// The wizard against the built-in stand-in server and a sandbox home.
    Demo,
}

/// The commands the UI may call, with the types they exchange: the single source of the
/// generated TypeScript bindings (`ui/src/lib/bindings.ts`) and of the IPC handler.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::wizard::app_mode,
            commands::wizard::auth_methods,
            commands::wizard::choose_auth_method,
            commands::wizard::current_policy,
            commands::check::check_credential,
            commands::check::cancel_check,
            commands::clients::list_clients,
            commands::clients::preview_clients,
            commands::clients::write_clients,
            commands::clients::undo_write,
            commands::rotate::rotation_target,
            commands::rotate::rotate_credential,
            commands::rotate::open_rotate_window,
            commands::desktop::open_credential_page,
            commands::desktop::start_at_login,
            commands::desktop::set_start_at_login,
            commands::startup::report_first_paint,
        ])
        .typ::<IpcError>()
        .disable_serde_phases()
}

/// Opens the window `launch` asks for and runs until the last window is closed. `launched` is
/// when `main` started.
pub fn open_window(launch: Launch, launched: Instant) -> ExitCode {
    if let Err(problem) = display::check_display() {
        eprintln!("rovo-mcp-setup: {problem}");
        return ExitCode::FAILURE;
    }
    let context = if launch == Launch::Demo {
        // The stand-in server runs on Tauri's runtime, which outlives the window.
        match tauri::async_runtime::block_on(DemoWorld::start()) {
            Ok(demo) => WizardContext::for_demo(demo),
            Err(error) => {
                eprintln!("rovo-mcp-setup: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        WizardContext::for_current_user()
    };
    let builder = specta_builder();
    let result = tauri::Builder::default()
        // Only its Rust API is used (a fixed page per method); the web view has no permission.
        .plugin(tauri_plugin_opener::init())
        .manage(context)
        .manage(commands::check::CheckState::default())
        .manage(commands::clients::SetupState::default())
        .manage(commands::startup::LaunchTime(launched))
        .invoke_handler(builder.invoke_handler())
        .run_windows(tauri::generate_context!(), launch);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rovo-mcp-setup: the window could not be opened: {error}");
            ExitCode::FAILURE
        }
    }
}
