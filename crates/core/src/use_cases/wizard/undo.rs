//! Undo of a wizard write: what a write replaced (each client's file before it, the keychain
//! item, the credential on record and the last check), kept in Rust and never sent to the
//! window, and putting all of it back.

use std::fmt;
use std::path::Path;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::domain::clients::{
    self, Change, ClientEnvironment, ClientWriteError, ClientWriteResult,
};
use crate::domain::secrets::{Secret, SecretStore};
use crate::plumbing::backups;
use crate::plumbing::fsutil::{self, BackupPlace, ConfigFile, WriteOutcome};
use crate::plumbing::state::{CheckRecord, CredentialRecord, StateFile};
use crate::{Error, ErrorKind, Result};

/// What Undo puts back: each client file's previous bytes, the keychain item and the state
/// file's credential and last check as they were before the write. Made by [`write_clients`]
/// and kept in Rust (it can hold the secret that was in the keychain and the files before);
/// never sent to the window.
#[derive(Debug, Default)]
pub struct WriteUndo {
    pub(super) clients: Vec<WrittenClient>,
    pub(super) keychain: KeychainBefore,
    pub(super) credential: Option<CredentialRecord>,
    pub(super) last_check: Option<CheckRecord>,
    /// The `Authorization` value the write put in place of another credential or of none:
    /// once Undo puts the keychain back, nothing uses it, so the backups holding it go.
    pub(super) superseded_by_undo: Option<Secret>,
}

/// One client of a write, with what its file held before.
pub(super) struct WrittenClient {
    result: ClientWriteResult,
    /// The file's bytes before the write, read from its backup right after it, since a backup
    /// holding the credential the write replaced is deleted then; the sentence saying why
    /// when the backup could not be read; `None` when the write made no backup.
    previous: Option<std::result::Result<Zeroizing<Vec<u8>>, String>>,
}

/// Never shows the file's bytes: they may hold a secret.
impl fmt::Debug for WrittenClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrittenClient")
            .field("result", &self.result)
            .finish_non_exhaustive()
    }
}

impl WrittenClient {
    /// `result`, with its file's previous bytes read from the backup it names.
    pub(super) fn read(result: &ClientWriteResult) -> Self {
        let previous = result.backup.as_deref().map(|backup| {
            fsutil::read_regular_file(Path::new(backup), fsutil::CONFIG_FILE_LIMIT)
                .map(Zeroizing::new)
                .map_err(|error| {
                    format!(
                        "could not read the backup `{backup}`: {error}; `{}` was left as it is",
                        result.config_path.as_deref().unwrap_or_default()
                    )
                })
        });
        Self {
            result: result.clone(),
            previous,
        }
    }
}

/// The keychain item the write replaced.
#[derive(Debug, Default)]
pub(super) enum KeychainBefore {
    /// The write stored nothing: leave the keychain be.
    #[default]
    Untouched,
    /// The write stored the credential, but what was there before could not be read: it
    /// cannot be put back, so the new item stays.
    Unknown,
    /// The account had no item: delete the one the write stored.
    Empty { account: String },
    /// The account held this secret: put it back.
    Held { account: String, secret: Secret },
}

/// What Undo did: each client, and the credential the write stored.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UndoOutcome {
    pub clients: Vec<ClientWriteResult>,
    pub credential: CredentialUndo,
}

/// What became of the credential the write stored in the keychain and the state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum CredentialUndo {
    /// The keychain item and the app's record of the credential are back as they were.
    Restored,
    /// Left as the write made them, for `reason`: a client that could not be put back still
    /// uses the new credential, or what the keychain held before is unknown.
    Kept { reason: String },
    /// Putting the keychain item back failed; `message` says why and what to do.
    Failed { message: String },
}

/// Puts every client of a write back as it was: a file we changed gets its backup back, a file
/// we created is deleted, an unchanged or failed one is left alone. Each restore is itself an
/// atomic, backed-up write; the state file forgets the restored clients. When every client is
/// back, so are the keychain item and the state file's credential and last check, and the
/// backups holding the new credential, which nothing uses any more, are deleted; while one
/// client still holds the new credential, they keep it too.
pub fn undo(
    write: &WriteUndo,
    environment: &ClientEnvironment,
    keychain: &dyn SecretStore,
) -> UndoOutcome {
    let backup_folder = clients::backup_folder(environment);
    let mut clients: Vec<ClientWriteResult> = write
        .clients
        .iter()
        .filter(|written| written.result.error.is_none())
        .map(|written| {
            let result = &written.result;
            let mut undone = ClientWriteResult {
                id: result.id.clone(),
                name: result.name.clone(),
                config_path: result.config_path.clone(),
                change: None,
                backup: None,
                needs_restart: false,
                previous_entry: None,
                note: None,
                error: None,
            };
            match restore(result, written.previous.as_ref(), &backup_folder) {
                Ok((change, backup)) => {
                    undone.change = Some(change);
                    undone.backup = backup;
                    undone.needs_restart = result.needs_restart && change != Change::Unchanged;
                }
                Err(error) => {
                    undone.error = Some(ClientWriteError {
                        kind: error.kind(),
                        message: error.message().to_owned(),
                    });
                }
            }
            undone
        })
        .collect();
    let still_written: Vec<&str> = clients
        .iter()
        .filter(|result| result.error.is_some())
        .map(|result| result.name.as_str())
        .collect();
    let credential = if still_written.is_empty() {
        restore_keychain(&write.keychain, keychain)
    } else {
        CredentialUndo::Kept {
            reason: format!(
                "{} could not be put back and still uses the new credential, so the keychain \
                 and the app keep it",
                still_written.join(", ")
            ),
        }
    };
    let state = StateFile::for_environment(environment);
    // The files are what matters; a state file that cannot record this only loses a reminder.
    let _recorded = state.update(|state| {
        for result in clients.iter().filter(|result| result.error.is_none()) {
            state.forget_client(&result.id);
        }
        if credential == CredentialUndo::Restored {
            state.credential.clone_from(&write.credential);
            state.last_check.clone_from(&write.last_check);
        }
    });
    if credential == CredentialUndo::Restored
        && let Some(superseded) = &write.superseded_by_undo
    {
        let purged = backups::purge(&backup_folder, Some(superseded), None, &[]);
        backups::account_for(&mut clients, &purged);
    }
    UndoOutcome {
        clients,
        credential,
    }
}

/// Puts the keychain item the write replaced back, or deletes the one it added.
fn restore_keychain(before: &KeychainBefore, keychain: &dyn SecretStore) -> CredentialUndo {
    let restored = match before {
        KeychainBefore::Unknown => {
            return CredentialUndo::Kept {
                reason: "the keychain could not be read before the write, so what it held then \
                         is unknown and the new credential stays"
                    .to_owned(),
            };
        }
        KeychainBefore::Untouched => Ok(()),
        KeychainBefore::Empty { account } => keychain.delete(account),
        KeychainBefore::Held { account, secret } => keychain.store(account, secret),
    };
    match restored {
        Ok(()) => CredentialUndo::Restored,
        Err(error) => CredentialUndo::Failed {
            message: format!(
                "the keychain item could not be put back ({}); the keychain still holds the new \
                 credential",
                error.message()
            ),
        },
    }
}

/// Restores one client's file to `previous`, its bytes before the write; returns what that did
/// and where its current version was saved.
fn restore(
    result: &ClientWriteResult,
    previous: Option<&std::result::Result<Zeroizing<Vec<u8>>, String>>,
    backup_folder: &Path,
) -> Result<(Change, Option<String>)> {
    let Some(path) = result.config_path.as_deref() else {
        return Ok((Change::Unchanged, None));
    };
    let previous = match (result.change, previous) {
        (Some(Change::Create), _) => None,
        (Some(Change::Update | Change::Delete), Some(Ok(bytes))) => Some(bytes.as_slice()),
        (Some(Change::Update | Change::Delete), Some(Err(message))) => {
            return Err(Error::new(ErrorKind::ConfigWriteFailed, message.clone()));
        }
        _ => return Ok((Change::Unchanged, None)),
    };
    let file = ConfigFile::read(Path::new(path))?;
    let place = BackupPlace {
        folder: backup_folder,
        label: &result.id,
    };
    let outcome = fsutil::replace_config(&file, previous, place)?;
    Ok(match outcome {
        WriteOutcome::Unchanged => (Change::Unchanged, None),
        WriteOutcome::Written { backup } => (
            if file.bytes().is_some() {
                Change::Update
            } else {
                Change::Create
            },
            backup.map(|backup| backup.display().to_string()),
        ),
        WriteOutcome::Deleted { backup } => (Change::Delete, Some(backup.display().to_string())),
        WriteOutcome::ChangedSinceRead => {
            return Err(Error::new(
                ErrorKind::ConfigWriteFailed,
                format!("`{path}` changed while we restored it; it was left as it is"),
            ));
        }
    })
}
