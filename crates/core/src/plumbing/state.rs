//! The app's own state file (design §6): which credential is set up and until when, what the
//! last check found, which clients hold our entry in which mode, and which reminders were sent.
//! It never holds a secret. It is versioned; a file that is corrupt or written by a newer
//! release is kept and reported, never overwritten. Keys this release does not know, at the
//! top or inside a record, are kept as they were when it rewrites the file: a newer release of
//! the same version may have added them, and a downgrade must not lose its data.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{ClientEnvironment, SecretMode};
use crate::domain::probe::Verdict;
use crate::domain::reminders::ExpiryEvent;
use crate::plumbing::fsutil::{BackupPlace, ConfigFile, WriteOutcome, replace_config};
use crate::{Error, ErrorKind, Result};

/// Keys of a JSON object this release does not know, kept to be written back as they were.
pub type UnknownKeys = serde_json::Map<String, serde_json::Value>;

/// The version this release writes; a file with a higher one is left alone.
pub const STATE_VERSION: u32 = 1;

/// Everything the app remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppState {
    /// The credential in the keychain, when one was set up.
    pub credential: Option<CredentialRecord>,
    /// The outcome of the last check, foreground or background.
    pub last_check: Option<CheckRecord>,
    /// The last verdict that said something about the credential (not "couldn't check"): a
    /// change from it is announced once, however many checks could not reach the server between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verdict: Option<Verdict>,
    /// Clients that hold our entry, one record per client id.
    pub clients: Vec<ConfiguredClient>,
    /// Reminders already shown for the current credential.
    pub reminders_sent: Vec<ExpiryEvent>,
    #[serde(flatten)]
    pub unknown: UnknownKeys,
}

/// The credential that was set up: everything but the secret, which is in the keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialRecord {
    pub auth: AuthMethod,
    /// The account's email for a personal token.
    pub email: Option<String>,
    pub endpoint: String,
    /// The keychain account the secret is stored under (service `rovo-mcp-setup`).
    pub keychain_account: String,
    /// The expiry date the person chose when creating the token, for reminders.
    pub expires_on: Option<NaiveDate>,
    pub stored_at: DateTime<Utc>,
    /// A service account's OAuth client: its ID (the secret is in the keychain) and the token
    /// endpoint it was set up with, when not Atlassian's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OauthClientRecord>,
    #[serde(flatten)]
    pub unknown: UnknownKeys,
}

/// The OAuth client of a setup on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OauthClientRecord {
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckRecord {
    pub at: DateTime<Utc>,
    pub verdict: Verdict,
    /// The failure's one-line message, when the check failed.
    pub message: Option<String>,
    #[serde(flatten)]
    pub unknown: UnknownKeys,
}

/// A client that holds our entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfiguredClient {
    pub id: String,
    pub config_path: PathBuf,
    pub mode: SecretMode,
    pub configured_at: DateTime<Utc>,
    /// Whether our setup created `config_path` (it did not exist before our first write): only
    /// then may `remove` delete it. Absent in files of older releases, which means no.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub created_file: bool,
    #[serde(flatten)]
    pub unknown: UnknownKeys,
}

impl AppState {
    /// Records that `client` now holds our entry, replacing an older record of it. What the
    /// older record knew about the same file stays: that our setup created it, and the keys of
    /// a newer release.
    pub fn record_client(&mut self, mut client: ConfiguredClient) {
        if let Some(older) = self.clients.iter().find(|known| known.id == client.id) {
            if older.config_path == client.config_path {
                client.created_file |= older.created_file;
            }
            for (key, value) in &older.unknown {
                client
                    .unknown
                    .entry(key.clone())
                    .or_insert_with(|| value.clone());
            }
        }
        self.clients.retain(|known| known.id != client.id);
        self.clients.push(client);
        self.clients.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// Whether the record of `client_id` says our setup created the file at `config_path`.
    pub fn created_file(&self, client_id: &str, config_path: &Path) -> bool {
        self.clients.iter().any(|known| {
            known.id == client_id && known.created_file && known.config_path == config_path
        })
    }

    /// Records that `client_id` no longer holds our entry.
    pub fn forget_client(&mut self, client_id: &str) {
        self.clients.retain(|known| known.id != client_id);
    }

    /// Records a new credential; reminders start over for it.
    pub fn record_credential(&mut self, credential: CredentialRecord) {
        self.credential = Some(credential);
        self.reminders_sent.clear();
        self.last_verdict = None;
    }
}

/// The state file on disk.
#[derive(Debug, Clone)]
pub struct StateFile {
    path: PathBuf,
    backups: PathBuf,
}

/// The file's envelope: the version first, so a newer release's file is recognised before its
/// contents are interpreted.
#[derive(Serialize, Deserialize)]
struct Versioned<T> {
    version: u32,
    #[serde(flatten)]
    state: T,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

impl StateFile {
    /// The state file in the app's config folder for this environment.
    pub fn for_environment(environment: &ClientEnvironment) -> Self {
        Self {
            path: environment.app_config(&[crate::APP_IDENTIFIER, "state.json"]),
            backups: crate::domain::clients::backup_folder(environment),
        }
    }

    /// A state file at `path`, for tests.
    pub fn at(path: impl Into<PathBuf>, backups: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            backups: backups.into(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The state; an empty one when the file does not exist yet.
    pub fn load(&self) -> Result<AppState> {
        let file = ConfigFile::read(&self.path)?;
        match file.bytes() {
            None => Ok(AppState::default()),
            Some(bytes) => self.parse(bytes),
        }
    }

    /// Writes `state` atomically. Refuses when the file on disk is corrupt or from a newer
    /// release, so that it is never overwritten silently.
    pub fn save(&self, state: &AppState) -> Result<()> {
        let file = ConfigFile::read(&self.path)?;
        if let Some(bytes) = file.bytes() {
            self.parse(bytes)?;
        }
        let mut text = serde_json::to_string_pretty(&Versioned {
            version: STATE_VERSION,
            state,
        })
        .map_err(|error| {
            Error::new(
                ErrorKind::Internal,
                format!("could not encode the state: {error}"),
            )
        })?;
        text.push('\n');
        let place = BackupPlace {
            folder: &self.backups,
            label: "state",
        };
        match replace_config(&file, Some(text.as_bytes()), place)? {
            WriteOutcome::ChangedSinceRead => Err(Error::new(
                ErrorKind::StateUnreadable,
                format!(
                    "`{}` changed while it was being saved (another copy of the app?); try again",
                    self.path.display()
                ),
            )),
            WriteOutcome::Unchanged
            | WriteOutcome::Written { .. }
            | WriteOutcome::Deleted { .. } => Ok(()),
        }
    }

    /// Loads, changes and saves the state in one step.
    pub fn update(&self, change: impl FnOnce(&mut AppState)) -> Result<AppState> {
        let mut state = self.load()?;
        change(&mut state);
        self.save(&state)?;
        Ok(state)
    }

    fn parse(&self, bytes: &[u8]) -> Result<AppState> {
        let unreadable = |detail: String| {
            Error::new(
                ErrorKind::StateUnreadable,
                format!(
                    "the state file `{}` cannot be read ({detail}); it was left as it is: move it \
                     away to start over, or run the release that wrote it",
                    self.path.display()
                ),
            )
        };
        let version: VersionOnly = serde_json::from_slice(bytes)
            .map_err(|error| unreadable(format!("line {}: {error}", error.line())))?;
        if version.version > STATE_VERSION {
            return Err(unreadable(format!(
                "it was written by a newer release, version {} of the file where this release \
                 knows {STATE_VERSION}",
                version.version
            )));
        }
        let versioned: Versioned<AppState> = serde_json::from_slice(bytes)
            .map_err(|error| unreadable(format!("line {}: {error}", error.line())))?;
        Ok(versioned.state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sandbox() -> (tempfile::TempDir, StateFile) {
        let root = tempfile::tempdir().unwrap();
        let file = StateFile::at(
            root.path().join("config/state.json"),
            root.path().join("backups"),
        );
        (root, file)
    }

    fn a_client(id: &str) -> ConfiguredClient {
        ConfiguredClient {
            id: id.to_owned(),
            config_path: PathBuf::from(format!("/home/me/.{id}/mcp.json")),
            mode: SecretMode::Inline,
            configured_at: "2027-01-01T08:00:00Z".parse().unwrap(),
            created_file: false,
            unknown: UnknownKeys::new(),
        }
    }

    #[test]
    fn a_missing_file_is_an_empty_state_and_a_saved_one_reads_back() {
        let (_root, file) = sandbox();
        assert_eq!(
            file.load().unwrap(),
            AppState::default(),
            "no file yet: nothing set up"
        );

        let saved = file
            .update(|state| {
                state.record_client(a_client("cursor"));
                state.record_client(a_client("codex"));
                state.record_client(a_client("cursor"));
            })
            .unwrap();
        let ids: Vec<_> = saved
            .clients
            .iter()
            .map(|client| client.id.as_str())
            .collect();
        assert_eq!(ids, ["codex", "cursor"], "one record per client, sorted");
        assert_eq!(file.load().unwrap(), saved, "what was saved reads back");
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(
            text.starts_with("{\n  \"version\": 1,"),
            "the version comes first: {text}"
        );
    }

    #[test]
    fn a_corrupt_file_is_reported_with_its_line_and_never_overwritten() {
        let (_root, file) = sandbox();
        std::fs::create_dir_all(file.path().parent().unwrap()).unwrap();
        let corrupt = "{\n  \"version\": 1,\n  \"clients\": [oops]\n}\n";
        std::fs::write(file.path(), corrupt).unwrap();

        let error = file.load().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::StateUnreadable);
        assert!(
            error.message().contains("line 3"),
            "the line is named: {error}"
        );
        assert!(
            error.message().contains("state.json"),
            "the file is named: {error}"
        );

        let refused = file.save(&AppState::default()).unwrap_err();
        assert_eq!(
            refused.kind(),
            ErrorKind::StateUnreadable,
            "saving over it is refused"
        );
        assert_eq!(
            std::fs::read_to_string(file.path()).unwrap(),
            corrupt,
            "the file is kept"
        );
    }

    #[test]
    fn a_file_from_a_newer_release_is_kept_and_reported() {
        let (_root, file) = sandbox();
        std::fs::create_dir_all(file.path().parent().unwrap()).unwrap();
        let newer = "{ \"version\": 7, \"somethingNew\": true }\n";
        std::fs::write(file.path(), newer).unwrap();

        let error = file.load().unwrap_err();
        assert!(
            error.message().contains("newer release"),
            "it says why: {error}"
        );
        assert!(
            file.update(|_| {}).is_err(),
            "an update does not overwrite it either"
        );
        assert_eq!(
            std::fs::read_to_string(file.path()).unwrap(),
            newer,
            "the file is kept"
        );
    }

    #[test]
    fn a_new_credential_starts_its_reminders_over() {
        let mut state = AppState {
            reminders_sent: vec![ExpiryEvent::ExpiresWithin(14)],
            ..AppState::default()
        };
        state.record_credential(CredentialRecord {
            auth: AuthMethod::Service,
            email: None,
            endpoint: "https://mcp.atlassian.com/v1/mcp".to_owned(),
            keychain_account: "service-account".to_owned(),
            expires_on: None,
            stored_at: "2027-01-01T08:00:00Z".parse().unwrap(),
            oauth: None,
            unknown: UnknownKeys::new(),
        });
        assert!(
            state.reminders_sent.is_empty(),
            "reminders of the old token do not carry over"
        );
    }
    #[test]
    fn keys_this_release_does_not_know_are_kept_at_the_top_and_in_records() {
        let (_root, file) = sandbox();
        file.update(|state| {
            state.record_client(a_client("cursor"));
            state.record_credential(CredentialRecord {
                auth: AuthMethod::Service,
                email: None,
                endpoint: "https://mcp.atlassian.com/v1/mcp".to_owned(),
                keychain_account: "service-account".to_owned(),
                expires_on: None,
                stored_at: "2027-01-01T08:00:00Z".parse().unwrap(),
                oauth: None,
                unknown: UnknownKeys::new(),
            });
            state.last_check = Some(CheckRecord {
                at: "2027-01-01T08:00:00Z".parse().unwrap(),
                verdict: Verdict::Ok,
                message: None,
                unknown: UnknownKeys::new(),
            });
        })
        .unwrap();
        let mut newer: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
        newer["trayPosition"] = serde_json::json!({ "x": 10, "y": 20 });
        newer["credential"]["passkeyId"] = serde_json::json!("pk-1");
        newer["lastCheck"]["latencyMs"] = serde_json::json!(412);
        newer["clients"][0]["pinned"] = serde_json::json!(true);
        std::fs::write(file.path(), newer.to_string()).unwrap();

        file.update(|state| {
            state.record_client(a_client("codex"));
            state.record_client(a_client("cursor"));
        })
        .unwrap();

        let saved: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
        assert_eq!(
            saved["trayPosition"],
            serde_json::json!({ "x": 10, "y": 20 }),
            "a top-level key of a newer release survives: {saved}"
        );
        assert_eq!(saved["credential"]["passkeyId"], "pk-1", "{saved}");
        assert_eq!(saved["lastCheck"]["latencyMs"], 412, "{saved}");
        let cursor = saved["clients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|client| client["id"] == "cursor")
            .unwrap();
        assert_eq!(
            cursor["pinned"], true,
            "recording a client again keeps what the older record knew: {saved}"
        );
        assert_eq!(saved["version"], 1, "the version is not an unknown key");
        assert_eq!(
            saved
                .as_object()
                .unwrap()
                .keys()
                .filter(|key| *key == "version")
                .count(),
            1
        );
    }

    #[test]
    fn a_file_our_setup_created_stays_on_record_when_recorded_again() {
        let mut state = AppState::default();
        let path = PathBuf::from("/home/me/.cursor/mcp.json");
        state.record_client(ConfiguredClient {
            created_file: true,
            ..a_client("cursor")
        });
        state.record_client(a_client("cursor"));
        assert!(
            state.created_file("cursor", &path),
            "a second configure does not make our file the person's"
        );
        assert!(!state.created_file("cursor", Path::new("/elsewhere/mcp.json")));
        assert!(!state.created_file("codex", &path));
    }
}
