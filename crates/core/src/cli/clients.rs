//! `rovo-mcp-setup clients [--json]`: every supported client, whether it is installed, where its
//! config lives, and whether our entry is there and in which mode (design §7).
//!
//! Reads only; never writes a file.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::output::{Output, no_home};
use crate::domain::clients::{self, ClientEnvironment, ClientStatus};
use crate::domain::policy::load_policy;

#[derive(Debug, clap::Args)]
pub struct ClientsArgs {
    /// Print one JSON document on stdout instead of a table on stderr.
    #[arg(long)]
    pub json: bool,
}

/// The `--json` document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientsReport {
    clients: Vec<ClientStatus>,
}

/// Runs `clients` in this process's environment and returns the exit code.
pub fn main(args: &ClientsArgs) -> u8 {
    match ClientEnvironment::current() {
        Some(environment) => run(args, &environment).print(),
        None => no_home(args.json).print(),
    }
}

/// Lists every client as seen from `environment`, looking for our entry under the name the
/// policy gives it.
pub fn run(args: &ClientsArgs, environment: &ClientEnvironment) -> Output {
    let policy = match load_policy(environment) {
        Ok(policy) => policy,
        Err(error) => return Output::error(&error, args.json),
    };
    let statuses: Vec<ClientStatus> = clients::ALL
        .iter()
        .map(|client| clients::status(client, environment, policy.entry_name()))
        .collect();
    let output = if args.json {
        let report = ClientsReport { clients: statuses };
        Output::json(&report)
    } else {
        Output::human(table(&statuses, environment))
    };
    output.with_warnings(&policy.warnings)
}

fn table(statuses: &[ClientStatus], environment: &ClientEnvironment) -> String {
    let home = environment.home(&[]);
    let rows: Vec<[String; 4]> = statuses
        .iter()
        .map(|status| {
            [
                status.id.clone(),
                if status.installed { "yes" } else { "no" }.to_owned(),
                entry_text(status),
                status.config_path.as_deref().map_or_else(
                    || "(not on this system)".to_owned(),
                    |path| shorten_home(path, &home),
                ),
            ]
        })
        .collect();
    let header = ["client", "installed", "our entry", "config file"];
    let widths: Vec<usize> = (0..3)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .chain([header[column].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
        for (column, cell) in row.iter().enumerate() {
            match widths.get(column) {
                Some(&width) => {
                    let _ = write!(text, "{cell:<width$}  ");
                }
                None => text.push_str(cell),
            }
        }
        text.push('\n');
    }
    let problems: Vec<_> = statuses
        .iter()
        .filter_map(|status| {
            status
                .problem
                .as_ref()
                .map(|problem| format!("{}: {problem}\n", status.id))
        })
        .collect();
    if !problems.is_empty() {
        text.push('\n');
        text.extend(problems);
    }
    text
}

fn entry_text(status: &ClientStatus) -> String {
    if status.problem.is_some() {
        return "unreadable".to_owned();
    }
    let text = match &status.entry {
        None => return "-".to_owned(),
        Some(entry) => entry.mode.map_or_else(
            || "present (other)".to_owned(),
            |mode| mode.name().to_owned(),
        ),
    };
    if status.former_path.is_some() {
        format!("{text}, old file")
    } else {
        text
    }
}

/// `~/…` for paths under the home folder: the table stays narrow and readable.
fn shorten_home(path: &str, home: &Path) -> String {
    let home = home.to_string_lossy();
    match path.strip_prefix(home.as_ref()) {
        Some(rest) if rest.starts_with(['/', '\\']) => format!("~{rest}"),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clients::Os;

    fn sandbox() -> (tempfile::TempDir, ClientEnvironment) {
        let home = tempfile::tempdir().unwrap();
        let cursor = home.path().join(".cursor");
        std::fs::create_dir_all(&cursor).unwrap();
        std::fs::write(
            cursor.join("mcp.json"),
            r#"{ "mcpServers": { "atlassian-rovo-mcp": { "url": "https://mcp.atlassian.com/v1/mcp", "headers": { "Authorization": "Basic c2VjcmV0" } } } }"#,
        )
        .unwrap();
        let zed = home.path().join(".config/zed");
        std::fs::create_dir_all(&zed).unwrap();
        std::fs::write(zed.join("settings.json"), "{\n  \"theme\": \n}").unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        (home, environment)
    }

    #[test]
    fn json_lists_every_client_with_its_entry_and_nothing_on_stderr() {
        let (_home, environment) = sandbox();
        let output = run(&ClientsArgs { json: true }, &environment);
        assert!(
            output.stderr.is_empty(),
            "--json keeps stderr for errors only"
        );
        let report: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
        let clients = report["clients"].as_array().unwrap();
        assert_eq!(clients.len(), clients::ALL.len(), "every client is listed");
        let cursor = clients
            .iter()
            .find(|client| client["id"] == "cursor")
            .unwrap();
        assert_eq!(cursor["installed"], true);
        assert_eq!(cursor["entry"]["mode"], "inline");
        assert_eq!(cursor["entry"]["url"], "https://mcp.atlassian.com/v1/mcp");
        assert!(
            !output.stdout.contains("c2VjcmV0"),
            "the listing never repeats a secret"
        );
        let zed = clients.iter().find(|client| client["id"] == "zed").unwrap();
        let problem = zed["problem"].as_str().unwrap();
        assert!(problem.contains("settings.json` line 3"), "{problem}");
        let visual_studio = clients
            .iter()
            .find(|client| client["id"] == "visual-studio")
            .unwrap();
        assert_eq!(visual_studio["configPath"], serde_json::Value::Null);
        let claude_desktop = clients
            .iter()
            .find(|client| client["id"] == "claude-desktop")
            .unwrap();
        assert_eq!(
            claude_desktop["stdioBridge"], true,
            "it needs Node.js for mcp-remote"
        );
    }

    #[test]
    fn the_table_goes_to_stderr_with_problems_below() {
        let (_home, environment) = sandbox();
        let output = run(&ClientsArgs { json: false }, &environment);
        assert!(output.stdout.is_empty(), "human text goes to stderr");
        let cursor_row = output
            .stderr
            .lines()
            .find(|line| line.starts_with("cursor "))
            .unwrap();
        assert!(cursor_row.contains("yes"), "{cursor_row}");
        assert!(cursor_row.contains("inline"), "{cursor_row}");
        assert!(cursor_row.contains("~/.cursor/mcp.json"), "{cursor_row}");
        assert!(
            output.stderr.contains("zed: `"),
            "the unreadable Zed settings are explained: {}",
            output.stderr
        );
    }
}
