//! The `rovo-mcp-setup` binary: no arguments opens the setup window; a subcommand runs headless.

// A release build on Windows is a GUI program, so no console window flashes up behind the wizard.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

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
    rovo_mcp_core::logging::init(cli.verbose);
    match cli.command {
        Some(command) => {
            parent_console::attach();
            ExitCode::from(cli::run(&command))
        }
        None if cli.demo => rovo_mcp_setup_lib::open_window(Launch::Demo, launched),
        None if cli.tray => rovo_mcp_setup_lib::open_window(Launch::TrayOnly, launched),
        None => rovo_mcp_setup_lib::open_window(Launch::Window, launched),
    }
}
