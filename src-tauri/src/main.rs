//! The `rovo-mcp-setup` binary: no arguments opens the setup window; a subcommand runs headless.

// A release build on Windows is a GUI program, so no console window flashes up behind the wizard.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use rovo_mcp_core::cli::{self, Cli};

fn main() -> ExitCode {
    let launched = Instant::now();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => ExitCode::from(cli::run(&command)),
        None => rovo_mcp_setup_lib::open_window(cli.tray, launched),
    }
}
