//! `rovo-mcp-setup-cli`: the command line, the keychain bridge and the header helper in a small
//! executable that links neither the webview nor its toolkit, so the processes AI clients start and keep
//! running all day cost a few megabytes. Every installer puts it beside the app, whose
//! `rovo-mcp-setup SUBCOMMAND` runs the same code.
//!
//! With no subcommand (the window, `--tray`, `--demo`) it starts the app beside it with the same
//! arguments.

use std::path::Path;
use std::process::ExitCode;

use clap::Parser as _;
use rovo_mcp_core::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    rovo_mcp_core::logging::init(cli.verbose);
    match &cli.command {
        Some(command) => ExitCode::from(cli::run(command)),
        None => open_app(),
    }
}

/// Runs the app beside this executable with this process's arguments, in place of this process
/// where the system allows it; one sentence and exit 1 when the app is not there.
fn open_app() -> ExitCode {
    let app = std::env::current_exe()
        .ok()
        .and_then(|exe| cli::sibling_binary(&exe, cli::APP_BINARY));
    let Some(app) = app.filter(|app| app.is_file()) else {
        eprintln!(
            "rovo-mcp-setup-cli: the window needs the app `{}` beside this program, and it is \
             not there; reinstall Rovo MCP Setup, or run a subcommand (see --help)",
            cli::APP_BINARY
        );
        return ExitCode::FAILURE;
    };
    run_in_place(&app)
}

#[cfg(unix)]
fn run_in_place(app: &Path) -> ExitCode {
    use std::os::unix::process::CommandExt as _;
    let error = std::process::Command::new(app)
        .args(std::env::args_os().skip(1))
        .exec();
    eprintln!(
        "rovo-mcp-setup-cli: could not start `{}`: {error}",
        app.display()
    );
    ExitCode::FAILURE
}

#[cfg(not(unix))]
fn run_in_place(app: &Path) -> ExitCode {
    match std::process::Command::new(app)
        .args(std::env::args_os().skip(1))
        .status()
    {
        Ok(status) => status
            .code()
            .and_then(|code| u8::try_from(code).ok())
            .map_or(ExitCode::FAILURE, ExitCode::from),
        Err(error) => {
            eprintln!(
                "rovo-mcp-setup-cli: could not start `{}`: {error}",
                app.display()
            );
            ExitCode::FAILURE
        }
    }
}
