//! `rovo-mcp-setup remove [--clients LIST] [--json]`: takes our entry out of client configs so
//! each file is what it would be had we never added it (design §5, §7). One client failing does
//! not stop the others; any failure makes the exit code 8.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::output::{Output, no_home};
use crate::Error;
use crate::clients::{
    self, Change, Client, ClientEnvironment, ClientWriteResult, DEFAULT_SERVER_NAME,
};

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// Comma-separated client ids (see `clients`), or `all` or `detected`; default: every client
    /// that holds our entry.
    #[arg(long, value_delimiter = ',')]
    pub clients: Vec<String>,
    /// Print one JSON document on stdout instead of text on stderr.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct RemoveReport {
    clients: Vec<ClientWriteResult>,
}

/// Runs `remove` in this process's environment and returns the exit code.
pub fn main(args: &RemoveArgs) -> u8 {
    match ClientEnvironment::current() {
        Some(environment) => {
            let backup_folder = clients::backup_folder(&environment);
            run(args, &environment, &backup_folder).print()
        }
        None => no_home(args.json).print(),
    }
}

/// Removes our entry from the chosen clients as seen from `environment`.
pub fn run(args: &RemoveArgs, environment: &ClientEnvironment, backup_folder: &Path) -> Output {
    let chosen = match chosen_clients(&args.clients, environment) {
        Ok(chosen) => chosen,
        Err(error) => return Output::error(&error, args.json),
    };
    let results = clients::write_each(&chosen, environment, backup_folder, |client| {
        clients::plan_remove(client, environment, DEFAULT_SERVER_NAME, backup_folder)
    });
    let output = if args.json {
        Output::json(&RemoveReport {
            clients: results.clone(),
        })
    } else {
        Output::human(summary(&results))
    };
    output.with_exit_code(clients::exit_code(&results))
}

/// The listed clients, or by default every client that holds our entry.
fn chosen_clients(
    list: &[String],
    environment: &ClientEnvironment,
) -> Result<Vec<&'static Client>, Error> {
    if list.is_empty() {
        return Ok(clients::ALL
            .into_iter()
            .filter(|client| {
                clients::status(client, environment, DEFAULT_SERVER_NAME)
                    .entry
                    .is_some()
            })
            .collect());
    }
    clients::select(list, environment)
}

fn summary(results: &[ClientWriteResult]) -> String {
    if results.is_empty() {
        return "No client holds our entry; nothing to remove.\n".to_owned();
    }
    let mut text = String::new();
    for result in results {
        let path = result.config_path.as_deref().unwrap_or("(no config file)");
        let name = &result.name;
        let _ = match (&result.change, &result.error) {
            (_, Some(error)) => write!(text, "{name}: failed: {}", error.message),
            (Some(Change::Delete), _) => {
                write!(text, "{name}: deleted `{path}`, which held only our entry")
            }
            (Some(Change::Unchanged) | None, _) => {
                write!(text, "{name}: no entry of ours in `{path}`")
            }
            (Some(Change::Update | Change::Create), _) => {
                write!(text, "{name}: removed our entry from `{path}`")
            }
        };
        if let Some(backup) = &result.backup {
            let _ = write!(text, " (previous version saved to `{backup}`)");
        }
        if result.needs_restart {
            let _ = write!(text, "; restart {name} to pick this up");
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::Os;

    struct Sandbox {
        _root: tempfile::TempDir,
        home: std::path::PathBuf,
        backups: std::path::PathBuf,
        environment: ClientEnvironment,
    }

    fn sandbox() -> Sandbox {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let backups = root.path().join("backups");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        std::fs::write(
            home.join(".cursor/mcp.json"),
            "{\n  \"mcpServers\": {\n    \"atlassian-rovo-mcp\": { \"url\": \"https://mcp.atlassian.com/v1/mcp\" }\n  }\n}\n",
        )
        .unwrap();
        std::fs::create_dir_all(home.join(".codex")).unwrap();
        std::fs::write(
            home.join(".codex/config.toml"),
            "model = \"o4\"\n\n[mcp_servers.atlassian-rovo-mcp]\nurl = \"https://mcp.atlassian.com/v1/mcp\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(home.join(".gemini")).unwrap();
        std::fs::write(home.join(".gemini/settings.json"), "{ oops").unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        Sandbox {
            _root: root,
            home,
            backups,
            environment,
        }
    }

    #[test]
    fn by_default_every_client_holding_our_entry_is_cleaned() {
        let sandbox = sandbox();
        let args = RemoveArgs {
            clients: Vec::new(),
            json: true,
        };

        let output = run(&args, &sandbox.environment, &sandbox.backups);

        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let report: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
        let results: Vec<_> = report["clients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|client| {
                (
                    client["id"].as_str().unwrap(),
                    client["change"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(results, [("cursor", "delete"), ("codex", "update")]);
        assert!(!sandbox.home.join(".cursor/mcp.json").exists());
        assert_eq!(
            std::fs::read_to_string(sandbox.home.join(".codex/config.toml")).unwrap(),
            "model = \"o4\"\n"
        );
    }

    #[test]
    fn a_broken_client_fails_alone_with_exit_8() {
        let sandbox = sandbox();
        let args = RemoveArgs {
            clients: vec!["gemini-cli".to_owned(), "cursor".to_owned()],
            json: false,
        };

        let output = run(&args, &sandbox.environment, &sandbox.backups);

        assert_eq!(output.exit_code, 8);
        assert!(output.stdout.is_empty(), "human text goes to stderr");
        assert!(
            output.stderr.contains("Gemini CLI: failed: `")
                && output.stderr.contains("settings.json` line 1"),
            "{}",
            output.stderr
        );
        assert!(
            output.stderr.contains("Cursor: deleted"),
            "the other client is still served: {}",
            output.stderr
        );
    }

    #[test]
    fn an_unknown_client_id_is_invalid_input() {
        let sandbox = sandbox();
        let args = RemoveArgs {
            clients: vec!["notepad".to_owned()],
            json: true,
        };

        let output = run(&args, &sandbox.environment, &sandbox.backups);

        assert_eq!(output.exit_code, 2);
        let report: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
        assert_eq!(
            report["error"]["kind"], "invalid_input",
            "scripts parse every outcome"
        );
        assert!(
            output.stderr.contains("`notepad` is not a client id"),
            "{}",
            output.stderr
        );
    }
}
