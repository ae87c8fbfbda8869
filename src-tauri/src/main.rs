//! The `rovo-mcp-setup` binary: no arguments opens the setup window; a subcommand runs headless;
//! `--tray` hands over to the tray beside it, which runs without the webview.

// A release build on Windows is a GUI program, so no console window flashes up behind the wizard
// (and a debug build with `windowed`, which the Windows tests run).
#![cfg_attr(
    any(not(debug_assertions), feature = "windowed"),
    windows_subsystem = "windows"
)]

mod parent_console;

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use rovo_mcp_core::cli::{self, Cli};
use rovo_mcp_setup_lib::Launch;

fn main() -> ExitCode {
    let launched = Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // `--help`, `--version` and usage errors are text for the console too.
            parent_console::attach();
            error.exit()
        }
    };
    rovo_mcp_core::plumbing::logging::init(cli.verbose);
    match cli.command {
        Some(command) => {
            parent_console::attach();
            ExitCode::from(cli::run(&command))
        }
        None if cli.demo => rovo_mcp_setup_lib::open_window(Launch::Demo, launched),
        None if cli.tray => open_tray(),
        None if cli.rotate => rovo_mcp_setup_lib::open_window(Launch::Rotate, launched),
        None => rovo_mcp_setup_lib::open_window(Launch::Window, launched),
    }
}

/// Runs the tray beside this executable in place of this process (what start at login runs),
/// so no webview library stays loaded; one sentence and exit 1 when it is not there.
fn open_tray() -> ExitCode {
    let tray = std::env::current_exe()
        .ok()
        .and_then(|exe| cli::sibling_binary(&exe, cli::TRAY_BINARY))
        .filter(|tray| tray.is_file());
    let Some(tray) = tray else {
        eprintln!(
            "rovo-mcp-setup: the tray needs `{}` beside this program, and it is not there; \
             reinstall Rovo MCP Setup",
            cli::TRAY_BINARY
        );
        return ExitCode::FAILURE;
    };
    cli::hand_over("rovo-mcp-setup", &tray)
}
