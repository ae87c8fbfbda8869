//! Writing the plans of several clients in one go, as `configure`, `remove` and the wizard do:
//! each client is planned and written on its own, one failure is reported and never stops the
//! others (design §5, §7).

use std::path::Path;

use serde::Serialize;

use super::entry::EntrySummary;
use super::{Change, Client, ClientEnvironment, ClientPlan};
use crate::plumbing::fsutil::WriteOutcome;
use crate::{ErrorKind, Result};

/// What writing one client did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientWriteResult {
    pub id: String,
    pub name: String,
    pub config_path: Option<String>,
    /// What changed in the file; `None` when the client failed.
    pub change: Option<Change>,
    /// Where the previous version was saved, when there was one and it changed.
    pub backup: Option<String>,
    /// Whether the person must restart the client to pick the change up.
    pub needs_restart: bool,
    /// Our entry as it was before, when the file held one: an update in place says what it
    /// replaced (an old URL, another mode).
    pub previous_entry: Option<EntrySummary>,
    /// What else the person should know about the file: that other users could open it and,
    /// now holding the credential, it was made readable by the person only.
    pub note: Option<String>,
    pub error: Option<ClientWriteError>,
}

/// Why one client was not written; the message names the path and, for a file that does not
/// parse, the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ClientWriteError {
    pub kind: ErrorKind,
    pub message: String,
}

/// Plans each client with `plan` and applies the plan, in order.
pub fn write_each(
    clients: &[&'static Client],
    environment: &ClientEnvironment,
    backup_folder: &Path,
    plan: impl Fn(&'static Client) -> Result<ClientPlan>,
) -> Vec<ClientWriteResult> {
    clients
        .iter()
        .map(|&client| {
            let mut result = ClientWriteResult {
                id: client.id.to_owned(),
                name: client.name.to_owned(),
                config_path: client
                    .config_path(environment)
                    .map(|path| path.display().to_string()),
                change: None,
                backup: None,
                needs_restart: false,
                previous_entry: None,
                note: None,
                error: None,
            };
            let written = plan(client).and_then(|plan| {
                result.previous_entry = plan.previous_entry().cloned();
                let change = plan.change();
                let note = plan.note();
                plan.apply(backup_folder)
                    .map(|outcome| (change, note, outcome))
            });
            match written {
                Ok((change, note, outcome)) => {
                    result.change = Some(change);
                    result.note = note;
                    result.needs_restart = client.needs_restart && change != Change::Unchanged;
                    result.backup = match outcome {
                        WriteOutcome::Written {
                            backup: Some(backup),
                        }
                        | WriteOutcome::Deleted { backup } => Some(backup.display().to_string()),
                        _ => None,
                    };
                }
                Err(error) => {
                    result.error = Some(ClientWriteError {
                        kind: error.kind(),
                        message: error.message().to_owned(),
                    });
                }
            }
            result
        })
        .collect()
}

/// The exit code for a batch: 0 when every client was written, else 8 (design §7: a config
/// write that failed, whatever the reason — a broken file, a refused mode, a locked keychain —
/// while the others were written and each is reported).
pub fn exit_code(results: &[ClientWriteResult]) -> u8 {
    if results.iter().any(|result| result.error.is_some()) {
        ErrorKind::ConfigWriteFailed.exit_code()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clients::{
        DEFAULT_ENDPOINT, DEFAULT_SERVER_NAME, EntrySettings, Os, SecretMode, find, plan_configure,
    };

    #[test]
    fn each_client_is_written_on_its_own_and_a_failure_is_reported_with_exit_8() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        std::fs::write(
            home.join(".cursor/mcp.json"),
            r#"{ "mcpServers": { "atlassian-rovo-mcp": { "url": "https://mcp.atlassian.com/v1/sse" } } }"#,
        )
        .unwrap();
        std::fs::create_dir_all(home.join(".config/zed")).unwrap();
        std::fs::write(home.join(".config/zed/settings.json"), "{ \"theme\": }").unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        let chosen = ["cursor", "zed", "codex"].map(|id| find(id).unwrap());
        let settings = EntrySettings {
            name: DEFAULT_SERVER_NAME,
            endpoint: DEFAULT_ENDPOINT,
            mode: SecretMode::Inline,
            authorization: "Bearer key",
            bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
            keychain_carrier: crate::domain::clients::KeychainCarrier::Helper,
        };

        let results = write_each(
            &chosen,
            &environment,
            &root.path().join("backups"),
            |client| plan_configure(client, &environment, &settings),
        );

        let changes: Vec<_> = results.iter().map(|result| result.change).collect();
        assert_eq!(changes, [Some(Change::Update), None, Some(Change::Create)]);
        let previous = results[0].previous_entry.as_ref().unwrap();
        assert_eq!(
            previous.url.as_deref(),
            Some("https://mcp.atlassian.com/v1/sse")
        );
        assert!(
            results[0].backup.is_some(),
            "the old Cursor file was backed up"
        );
        let error = results[1].error.as_ref().unwrap();
        assert_eq!(error.kind, ErrorKind::ConfigInvalid);
        assert!(
            error.message.contains("settings.json` line 1"),
            "{}",
            error.message
        );
        assert_eq!(exit_code(&results), 8);
    }
}
