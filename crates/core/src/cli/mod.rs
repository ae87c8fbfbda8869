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

/// The lean command-line executable beside the app (`crates/cli`), without the webview or its toolkit: what
/// `keychain` entries run, as AI clients keep their bridge running all day.
pub const CLI_BINARY: &str = "rovo-mcp-setup-cli";

/// The executable named `name` (without the system's suffix) in the folder of `executable`.
pub fn sibling_binary(executable: &Path, name: &str) -> Option<PathBuf> {
    Some(
        executable
            .parent()?
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX)),
    )
}

use clap::{Parser, Subcommand};

/// Connect AI clients to the Atlassian Rovo MCP server with an API token.
///
/// With no subcommand the setup window opens; subcommands run headless for scripts and IT.
#[derive(Debug, Parser)]
#[command(
    name = "rovo-mcp-setup",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Start in the tray only, without a window (what start at login runs).
    #[arg(long, conflicts_with = "demo")]
    pub tray: bool,
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
}
