//! `rovo-mcp-setup remove [--clients LIST] [--json]`: takes our entry out of client configs so
//! each file is what it would be had we never added it (design §5, §7). Only a file the state
//! file records as created by our setup may be deleted; any other keeps its (empty) container.
//! One client failing does not stop the others; any failure makes the exit code 8. `--forget`
//! also deletes the keychain item, the setup on record and every backup holding the credential.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::output::{Output, no_home};
use crate::domain::clients::{self, Change, ClientEnvironment, ClientWriteResult};
use crate::domain::policy::load_policy;
use crate::domain::secrets::{OsKeychain, SecretStore};
use crate::plumbing::state::StateFile;
use crate::use_cases::remove::{Forgotten, RemoveOutcome, RemoveRequest, remove};

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// Comma-separated client ids (see `clients`), or `all` or `detected`; default: every client
    /// that holds our entry.
    #[arg(long, value_delimiter = ',')]
    pub clients: Vec<String>,
    /// Also delete the credential from the keychain, forget the setup and delete every backup
    /// that holds the credential.
    #[arg(long)]
    pub forget: bool,
    /// Print one JSON document on stdout instead of text on stderr.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RemoveReport {
    clients: Vec<ClientWriteResult>,
    /// With `--forget`: whether the keychain item and the setup on record are gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    forgotten: Option<Forgotten>,
}

/// Runs `remove` in this process's environment and returns the exit code.
pub fn main(args: &RemoveArgs) -> u8 {
    match ClientEnvironment::current() {
        Some(environment) => {
            let backup_folder = clients::backup_folder(&environment);
            let state = StateFile::for_environment(&environment);
            run(
                args,
                &environment,
                &backup_folder,
                &state,
                &OsKeychain::new(),
            )
            .print()
        }
        None => no_home(args.json).print(),
    }
}

/// Removes our entry (named as the policy says) from the chosen clients as seen from
/// `environment`; with `--forget`, also the keychain item and the setup on record.
pub fn run(
    args: &RemoveArgs,
    environment: &ClientEnvironment,
    backup_folder: &Path,
    state: &StateFile,
    keychain: &dyn SecretStore,
) -> Output {
    let policy = match load_policy(environment) {
        Ok(policy) => policy,
        Err(error) => return Output::error(&error, args.json),
    };
    let request = RemoveRequest {
        clients: &args.clients,
        forget: args.forget,
        entry_name: policy.entry_name(),
        environment,
        backup_folder,
        state,
        keychain,
    };
    let RemoveOutcome {
        clients: results,
        forgotten,
        state_error,
    } = match remove(&request) {
        Ok(outcome) => outcome,
        Err(error) => return Output::error(&error, args.json).with_warnings(&policy.warnings),
    };
    let mut exit_code = clients::exit_code(&results);
    if forgotten
        .as_ref()
        .is_some_and(|forgotten| forgotten.error.is_some())
        || state_error.is_some()
    {
        exit_code = exit_code.max(1);
    }
    let output = if args.json {
        Output::json(&RemoveReport {
            clients: results.clone(),
            forgotten: forgotten.clone(),
        })
    } else {
        let mut text = summary(&results);
        if let Some(error) = &state_error {
            let _ = writeln!(text, "warning: the app's state was not updated: {error}");
        }
        match &forgotten {
            Some(Forgotten {
                error: Some(error), ..
            }) => {
                let _ = writeln!(text, "the credential could not be forgotten: {error}");
            }
            Some(Forgotten {
                keychain_account: Some(account),
                ..
            }) => {
                let _ = writeln!(
                    text,
                    "deleted the keychain item `{account}` and forgot the setup"
                );
            }
            Some(Forgotten {
                keychain_account: None,
                ..
            }) => {
                let _ = writeln!(text, "no credential was on record to forget");
            }
            None => {}
        }
        Output::human(text)
    };
    output
        .with_exit_code(exit_code)
        .with_warnings(&policy.warnings)
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
                write!(
                    text,
                    "{name}: deleted `{path}`, which our setup created and which held only our entry"
                )
            }
            (Some(Change::Unchanged), _) if result.note.is_some() => {
                write!(
                    text,
                    "{name}: {}",
                    result.note.as_deref().unwrap_or_default()
                )
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
        if let (Some(note), Some(Change::Update | Change::Create | Change::Delete)) =
            (&result.note, result.change)
        {
            let _ = write!(text, "; {note}");
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
    use indoc::indoc;

    use super::*;
    use crate::domain::auth_method::AuthMethod;
    use crate::domain::clients::Os;
    use crate::domain::clients::SecretMode;
    use crate::domain::secrets::{InMemorySecretStore, Secret};
    use crate::plumbing::state::{ConfiguredClient, CredentialRecord, UnknownKeys};

    struct Sandbox {
        _root: tempfile::TempDir,
        home: std::path::PathBuf,
        backups: std::path::PathBuf,
        environment: ClientEnvironment,
        keychain: InMemorySecretStore,
    }

    impl Sandbox {
        fn state(&self) -> StateFile {
            StateFile::at(self.home.join("state.json"), &self.backups)
        }

        fn run(&self, args: &RemoveArgs) -> Output {
            run(
                args,
                &self.environment,
                &self.backups,
                &self.state(),
                &self.keychain,
            )
        }
    }

    fn sandbox() -> Sandbox {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let backups = root.path().join("backups");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        std::fs::write(
            home.join(".cursor/mcp.json"),
            indoc! {r#"
                {
                  "mcpServers": {
                    "atlassian-rovo-mcp": { "url": "https://mcp.atlassian.com/v1/mcp" }
                  }
                }
            "#},
        )
        .unwrap();
        std::fs::create_dir_all(home.join(".codex")).unwrap();
        std::fs::write(
            home.join(".codex/config.toml"),
            indoc! {r#"
                model = "o4"

                [mcp_servers.atlassian-rovo-mcp]
                url = "https://mcp.atlassian.com/v1/mcp"
            "#},
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
            keychain: InMemorySecretStore::default(),
        }
    }

    #[test]
    fn by_default_every_client_holding_our_entry_is_cleaned() {
        let sandbox = sandbox();
        let args = RemoveArgs {
            clients: Vec::new(),
            forget: false,
            json: true,
        };

        let output = sandbox.run(&args);

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
        assert_eq!(
            results,
            [("cursor", "update"), ("codex", "update")],
            "no setup on record created Cursor's file, so it stays"
        );
        assert_eq!(
            std::fs::read_to_string(sandbox.home.join(".cursor/mcp.json")).unwrap(),
            indoc! {r#"
                {
                  "mcpServers": {}
                }
            "#},
            "the person's own file keeps its empty container"
        );
        assert_eq!(
            std::fs::read_to_string(sandbox.home.join(".codex/config.toml")).unwrap(),
            "model = \"o4\"\n"
        );
    }

    #[test]
    fn a_file_our_setup_created_is_deleted_when_our_entry_was_all_it_held() {
        let sandbox = sandbox();
        let cursor = sandbox.home.join(".cursor/mcp.json");
        sandbox
            .state()
            .update(|state| {
                state.record_client(ConfiguredClient {
                    id: "cursor".to_owned(),
                    config_path: cursor.clone(),
                    mode: SecretMode::Inline,
                    configured_at: "2027-01-01T08:00:00Z".parse().unwrap(),
                    created_file: true,
                    unknown: UnknownKeys::new(),
                });
            })
            .unwrap();
        let args = RemoveArgs {
            clients: vec!["cursor".to_owned()],
            forget: false,
            json: false,
        };

        let output = sandbox.run(&args);

        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        assert!(!cursor.exists(), "the file our setup created is gone");
        assert!(
            output.stderr.contains("which our setup created"),
            "the person is told why it went: {}",
            output.stderr
        );
    }

    #[test]
    fn a_broken_file_without_our_entry_is_no_failure() {
        let sandbox = sandbox();
        let args = RemoveArgs {
            clients: vec!["gemini-cli".to_owned(), "cursor".to_owned()],
            forget: false,
            json: false,
        };
        let before = std::fs::read(sandbox.home.join(".gemini/settings.json")).unwrap();

        let output = sandbox.run(&args);

        assert_eq!(
            output.exit_code, 0,
            "a file that does not parse and never names our entry holds nothing to remove: {}",
            output.stderr
        );
        assert!(
            output.stderr.contains("Gemini CLI: no entry of ours (`")
                && output.stderr.contains("does not parse"),
            "the person is told why it was left alone: {}",
            output.stderr
        );
        assert_eq!(
            std::fs::read(sandbox.home.join(".gemini/settings.json")).unwrap(),
            before,
            "not a byte of it changes"
        );
        assert!(
            output.stderr.contains("Cursor: removed our entry"),
            "the other client is served: {}",
            output.stderr
        );
    }

    #[test]
    fn a_broken_client_that_names_our_entry_fails_alone_with_exit_8() {
        let sandbox = sandbox();
        std::fs::write(
            sandbox.home.join(".gemini/settings.json"),
            "{ \"mcpServers\": { \"atlassian-rovo-mcp\": { oops",
        )
        .unwrap();
        let args = RemoveArgs {
            clients: vec!["gemini-cli".to_owned(), "cursor".to_owned()],
            forget: false,
            json: false,
        };

        let output = sandbox.run(&args);

        assert_eq!(output.exit_code, 8);
        assert!(output.stdout.is_empty(), "human text goes to stderr");
        assert!(
            output.stderr.contains("Gemini CLI: failed: `")
                && output.stderr.contains("settings.json` line 1"),
            "{}",
            output.stderr
        );
        assert!(
            output.stderr.contains("Cursor: removed our entry"),
            "the other client is still served: {}",
            output.stderr
        );
    }

    #[test]
    fn an_unknown_client_id_is_invalid_input() {
        let sandbox = sandbox();
        let args = RemoveArgs {
            clients: vec!["notepad".to_owned()],
            forget: false,
            json: true,
        };

        let output = sandbox.run(&args);

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

    #[test]
    fn forget_deletes_every_backup_holding_the_forgotten_token_and_keeps_the_others() {
        use base64::Engine as _;
        use rovo_test_support::leak_scan::{self, SCOPED_TOKEN};
        let sandbox = sandbox();
        let account = crate::domain::credentials::keychain_account(
            AuthMethod::Personal,
            Some("me@example.com"),
        );
        sandbox
            .keychain
            .store(&account, &Secret::new(SCOPED_TOKEN))
            .unwrap();
        sandbox
            .state()
            .update(|state| {
                state.record_credential(CredentialRecord {
                    auth: AuthMethod::Personal,
                    email: Some("me@example.com".to_owned()),
                    endpoint: "https://mcp.atlassian.com/v2/mcp".to_owned(),
                    keychain_account: account.clone(),
                    expires_on: None,
                    stored_at: chrono::Utc::now(),
                    oauth: None,
                    unknown: UnknownKeys::new(),
                });
            })
            .unwrap();
        let pair = base64::engine::general_purpose::STANDARD
            .encode(format!("me@example.com:{SCOPED_TOKEN}"));
        let backups = sandbox.backups.join("codex");
        std::fs::create_dir_all(&backups).unwrap();
        let holding = backups.join("config.toml.000000000002.000000000.bak");
        std::fs::write(
            &holding,
            format!("headers = {{ Authorization = \"Basic {pair}\" }}\n"),
        )
        .unwrap();
        let without = backups.join("config.toml.000000000001.000000000.bak");
        std::fs::write(&without, "model = \"o4\"\n").unwrap();
        let args = RemoveArgs {
            clients: vec!["cursor".to_owned()],
            forget: true,
            json: true,
        };

        let output = sandbox.run(&args);

        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        assert!(
            !holding.exists(),
            "a backup of another client holding the forgotten token goes too"
        );
        assert!(without.exists(), "a backup without it stays");
        for path in leak_scan::every_file_under(sandbox.home.parent().unwrap()) {
            let leaks = leak_scan::leaks_in(&path, &std::fs::read(&path).unwrap());
            assert!(
                leaks.is_empty(),
                "no file keeps the forgotten token: {leaks:?}"
            );
        }
    }

    #[test]
    fn forget_deletes_the_keychain_item_and_the_setup_on_record() {
        let sandbox = sandbox();
        sandbox
            .keychain
            .store("me@example.com", &Secret::new("ATATT3-token"))
            .unwrap();
        sandbox
            .state()
            .update(|state| {
                state.record_credential(CredentialRecord {
                    auth: AuthMethod::Personal,
                    email: Some("me@example.com".to_owned()),
                    endpoint: "https://mcp.atlassian.com/v1/mcp".to_owned(),
                    keychain_account: "me@example.com".to_owned(),
                    expires_on: None,
                    stored_at: "2027-01-01T08:00:00Z".parse().unwrap(),
                    oauth: None,
                    unknown: UnknownKeys::new(),
                });
            })
            .unwrap();
        let args = RemoveArgs {
            clients: vec!["cursor".to_owned()],
            forget: true,
            json: true,
        };

        let output = sandbox.run(&args);

        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let report: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
        assert_eq!(
            report["forgotten"]["keychainAccount"], "me@example.com",
            "{report}"
        );
        assert!(
            sandbox.keychain.read("me@example.com").unwrap().is_none(),
            "the keychain item is gone"
        );
        assert!(
            sandbox.state().load().unwrap().credential.is_none(),
            "the record is gone"
        );
    }
}
