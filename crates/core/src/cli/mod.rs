//! The command-line contract of design §7: argument parsing and the headless subcommands.
//!
//! No arguments opens the window (the shell decides that); every subcommand runs without one.

mod bridge;
mod clients;
mod configure;
mod credential_args;
mod headers;
mod output;
mod remove;
mod rotate;
mod status;
mod validate;

pub(crate) use configure::bridge_command;

use std::path::{Path, PathBuf};

/// The app's executable, which opens the window and also runs every subcommand.
pub const APP_BINARY: &str = "rovo-mcp-setup";

/// The lean command-line executable beside the app (`crates/cli`), without the webview or its
/// toolkit: what `keychain` entries run, as AI clients keep their bridge running all day.
pub const CLI_BINARY: &str = "rovo-mcp-setup-cli";

/// The tray executable beside the app (`crates/tray`), without the webview: what `--tray` hands
/// over to, so the process that runs all day from login holds no webview library.
pub const TRAY_BINARY: &str = "rovo-mcp-setup-tray";

/// The executable named `name` (without the system's suffix) in the folder of `executable`.
pub fn sibling_binary(executable: &Path, name: &str) -> Option<PathBuf> {
    Some(
        executable
            .parent()?
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX)),
    )
}

use clap::{Parser, Subcommand};

/// Runs `program` with this process's arguments in its place where the system allows it (Unix
/// `exec`: the caller's memory is given back at once), else as a child whose exit code becomes
/// this process's. `caller` names this program in the one sentence said when it cannot start.
pub fn hand_over(caller: &str, program: &Path) -> std::process::ExitCode {
    let mut command = std::process::Command::new(program);
    command.args(std::env::args_os().skip(1));
    #[cfg(unix)]
    let error = {
        use std::os::unix::process::CommandExt as _;
        command.exec()
    };
    #[cfg(not(unix))]
    let error = match command.status() {
        Ok(status) => {
            return status
                .code()
                .and_then(|code| u8::try_from(code).ok())
                .map_or(
                    std::process::ExitCode::FAILURE,
                    std::process::ExitCode::from,
                );
        }
        Err(error) => error,
    };
    eprintln!("{caller}: could not start `{}`: {error}", program.display());
    std::process::ExitCode::FAILURE
}

/// Connect AI clients to the Atlassian Rovo MCP server with an API token.
///
/// With no subcommand the setup window opens; subcommands run headless for scripts and IT.
#[derive(Debug, Parser)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "command-line flags, one field each as clap parses them"
)]
#[command(
    name = "rovo-mcp-setup",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Start in the tray only, without a window (what start at login runs).
    #[arg(long, conflicts_with = "demo")]
    pub tray: bool,
    /// Open the "Rotate token…" window instead of the setup (what the tray's menu runs).
    #[arg(long, conflicts_with_all = ["demo", "tray"])]
    pub rotate: bool,
    /// Log what the app does to stderr, never a secret and never on stdout (`ROVO_MCP_LOG`
    /// sets the detail; `ROVO_MCP_LOG_FILE` adds a log file).
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Try the wizard against a built-in stand-in server in a sandbox home: no account needed,
    /// and none of your files or secrets are touched.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless subcommands. Each arrives with its capability (design §7).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a credential against the Rovo MCP server and list the tools it unlocks.
    Validate(validate::ValidateArgs),
    /// List every supported client: installed or not, its config file, and our entry in it.
    Clients(clients::ClientsArgs),
    /// Check a credential, keep it in the keychain and write it into the chosen clients.
    Configure(configure::ConfigureArgs),
    /// Check a new secret, then put it in the keychain and every configured client.
    Rotate(rotate::RotateArgs),
    /// Show the credential on record, its expiry, the last check and the configured clients.
    Status(status::StatusArgs),
    /// Take our entry out of client configs, leaving each file as it was before we added it.
    Remove(remove::RemoveArgs),
    /// Serve MCP on stdin/stdout for stdio-only clients, with the credential from the keychain.
    Bridge(bridge::BridgeArgs),
    /// Print the `Authorization` header as JSON, with the credential from the keychain: the
    /// header helper of a client that runs one (Claude Code's `headersHelper`).
    Headers(bridge::BridgeArgs),
}

/// Runs a headless subcommand and returns the process exit code.
pub fn run(command: &Command) -> u8 {
    // The arguments never hold a secret (design §7): it comes from the environment, stdin or
    // the keychain.
    tracing::debug!(?command, "command started");
    match command {
        Command::Clients(args) => clients::main(args),
        Command::Remove(args) => remove::main(args),
        Command::Bridge(args) => bridge::main(args),
        Command::Headers(args) => headers::main(args),
        Command::Validate(args) => validate::main(args),
        Command::Configure(args) => configure::main(args),
        Command::Rotate(args) => rotate::main(args),
        Command::Status(args) => status::main(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Cli;

    #[test]
    fn tray_is_a_flag_of_its_own() {
        let tray = Cli::try_parse_from(["rovo-mcp-setup", "--tray"]).expect("`--tray` parses");
        assert!(tray.tray && tray.command.is_none(), "{tray:?}");
        let window = Cli::try_parse_from(["rovo-mcp-setup"]).expect("no arguments parse");
        assert!(!window.tray, "no flag opens the window");
        assert!(
            Cli::try_parse_from(["rovo-mcp-setup", "--tray", "status"]).is_err(),
            "`--tray` with a subcommand is refused rather than half obeyed"
        );
        let demo = Cli::try_parse_from(["rovo-mcp-setup", "--demo"]).expect("`--demo` parses");
        assert!(
            demo.demo && !demo.tray && demo.command.is_none(),
            "{demo:?}"
        );
        assert!(
            Cli::try_parse_from(["rovo-mcp-setup", "--demo", "--tray"]).is_err(),
            "the demo has no tray: asking for both is refused"
        );
        assert!(
            Cli::try_parse_from(["rovo-mcp-setup", "--demo", "configure"]).is_err(),
            "the demo is the window only; a headless subcommand never runs in it"
        );
    }

    #[test]
    fn rotate_opens_its_window_and_asks_for_nothing_else() {
        let rotate =
            Cli::try_parse_from(["rovo-mcp-setup", "--rotate"]).expect("`--rotate` parses");
        assert!(
            rotate.rotate && !rotate.tray && rotate.command.is_none(),
            "the tray's Rotate token… opens the window with `--rotate`: {rotate:?}"
        );
        for other in ["--tray", "--demo", "status"] {
            assert!(
                Cli::try_parse_from(["rovo-mcp-setup", "--rotate", other]).is_err(),
                "`--rotate` with `{other}` is refused rather than half obeyed"
            );
        }
    }
}
