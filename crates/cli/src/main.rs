//! `rovo-mcp-setup-cli`: the command line, the keychain bridge and the header helper in a small
//! executable that links neither the webview nor its toolkit, so the processes AI clients start
//! and keep running all day cost a few megabytes. Every installer puts it beside the app, whose
//! `rovo-mcp-setup SUBCOMMAND` runs the same code.
//!
//! With no subcommand it hands over, with the same arguments, to the tray beside it for
//! `--tray` and to the app for the window (`--demo`, `--rotate`, nothing).

use std::process::ExitCode;

use clap::Parser as _;
use rovo_mcp_core::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    rovo_mcp_core::plumbing::logging::init(cli.verbose);
    match &cli.command {
        Some(command) => ExitCode::from(cli::run(command)),
        None if cli.tray => open_beside(cli::TRAY_BINARY, "the tray"),
        None => open_beside(cli::APP_BINARY, "the window"),
    }
}

/// Runs `name` beside this executable with this process's arguments, in place of this process
/// where the system allows it; one sentence and exit 1 when it is not there.
fn open_beside(name: &str, what: &str) -> ExitCode {
    let program = std::env::current_exe()
        .ok()
        .and_then(|exe| cli::sibling_binary(&exe, name));
    let Some(program) = program.filter(|program| program.is_file()) else {
        eprintln!(
            "rovo-mcp-setup-cli: {what} needs `{name}` beside this program, and it is not \
             there; reinstall Rovo MCP Setup, or run a subcommand (see --help)"
        );
        return ExitCode::FAILURE;
    };
    cli::hand_over("rovo-mcp-setup-cli", &program)
}
