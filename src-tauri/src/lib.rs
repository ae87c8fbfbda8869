//! The desktop shell: opens the wizard window and wires the typed commands to the core.
//! Everything the app does lives in `rovo_mcp_core`; this crate only adapts it to Tauri.

mod commands;
mod display;
mod ipc_error;
pub mod tray;

use std::process::ExitCode;
use std::time::Instant;

use tray::RunWithTray as _;

pub use ipc_error::IpcError;

/// The commands the UI may call, with the types they exchange: the single source of the
/// generated TypeScript bindings (`ui/src/lib/bindings.ts`) and of the IPC handler.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::wizard::auth_methods,
            commands::wizard::choose_auth_method,
            commands::check::check_credential,
            commands::check::cancel_check,
            commands::clients::list_clients,
            commands::clients::preview_clients,
            commands::clients::write_clients,
            commands::clients::undo_write,
            commands::startup::report_first_paint,
        ])
        .typ::<IpcError>()
        .disable_serde_phases()
}

/// Opens the setup window (only the tray icon with `tray_only`, where there is a tray) and runs
/// until it is closed, or until Quit when there is a tray. `launched` is when `main` started.
pub fn open_window(tray_only: bool, launched: Instant) -> ExitCode {
    if let Err(problem) = display::check_display() {
        eprintln!("rovo-mcp-setup: {problem}");
        return ExitCode::FAILURE;
    }
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .manage(commands::check::CheckState::default())
        .manage(commands::clients::SetupState::default())
        .manage(commands::startup::LaunchTime(launched))
        .invoke_handler(builder.invoke_handler())
        .run_with_tray(tauri::generate_context!(), tray_only);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rovo-mcp-setup: the window could not be opened: {error}");
            ExitCode::FAILURE
        }
    }
}
