//! Taking our entry out of client configs, so each file is what it would be had we never added
//! it (design §5, §7): only a file the state file records as created by our setup may be
//! deleted, any other keeps its (empty) container, and one client failing does not stop the
//! others. Forgetting also deletes the keychain item, the setup on record and every backup
//! holding the credential. `rovo-mcp-setup remove` is its front end.

use std::path::Path;

use serde::Serialize;

use crate::Error;
use crate::domain::clients::{self, Client, ClientEnvironment, ClientWriteResult, FileOrigin};
use crate::domain::secrets::SecretStore;
use crate::plumbing::backups;
use crate::plumbing::fsutil::Purged;
use crate::plumbing::state::StateFile;

/// What to remove, and where.
pub struct RemoveRequest<'a> {
    /// Client ids, `all` or `detected`; empty: every client that holds our entry.
    pub clients: &'a [String],
    /// Also forget the credential: the keychain item, the setup on record, the backups.
    pub forget: bool,
    /// Our entry's name, as the policy says.
    pub entry_name: &'a str,
    pub environment: &'a ClientEnvironment,
    pub backup_folder: &'a Path,
    pub state: &'a StateFile,
    pub keychain: &'a dyn SecretStore,
}

/// Shows what is asked, not the keychain.
impl std::fmt::Debug for RemoveRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoveRequest")
            .field("clients", &self.clients)
            .field("forget", &self.forget)
            .field("entry_name", &self.entry_name)
            .finish_non_exhaustive()
    }
}

/// What a removal did.
#[derive(Debug)]
pub struct RemoveOutcome {
    /// Each chosen client's result.
    pub clients: Vec<ClientWriteResult>,
    /// When forgetting: what became of the credential.
    pub forgotten: Option<Forgotten>,
    /// Why the state file could not record the removal, when it could not.
    pub state_error: Option<String>,
}

/// What became of the credential when forgetting it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forgotten {
    /// The keychain account that was deleted; `None` when nothing was on record.
    pub keychain_account: Option<String>,
    /// Why forgetting failed, when it did.
    pub error: Option<String>,
}

/// Removes our entry from the chosen clients and records it; with `forget`, also forgets the
/// credential.
///
/// # Errors
/// `invalid_input` for a client list naming an unknown client; nothing is changed then.
pub fn remove(request: &RemoveRequest<'_>) -> Result<RemoveOutcome, Error> {
    let environment = request.environment;
    let chosen = chosen_clients(request.clients, environment, request.entry_name)?;
    // A state file that cannot be read records nothing: every file is then the person's.
    let on_record = request.state.load().unwrap_or_default();
    let mut results = clients::write_each(&chosen, environment, request.backup_folder, |client| {
        let created = client
            .config_path(environment)
            .is_some_and(|path| on_record.created_file(client.id, &path));
        let origin = if created {
            FileOrigin::CreatedBySetup
        } else {
            FileOrigin::Found
        };
        clients::plan_remove(
            client,
            environment,
            request.entry_name,
            request.backup_folder,
            origin,
        )
    });
    let removed: Vec<&str> = results
        .iter()
        .filter(|result| result.error.is_none())
        .map(|result| result.id.as_str())
        .collect();
    let recorded = request.state.update(|state| {
        for id in &removed {
            state.forget_client(id);
        }
    });
    let forgotten = request.forget.then(|| {
        let (forgotten, purged) = forget(
            request.state,
            request.keychain,
            request.backup_folder,
            &results,
        );
        backups::account_for(&mut results, &purged);
        forgotten
    });
    Ok(RemoveOutcome {
        clients: results,
        forgotten,
        state_error: recorded.err().map(|error| error.message().to_owned()),
    })
}

/// Deletes the keychain item on record and the record itself, then every backup that holds
/// the forgotten credential: the ones of files that held it inline, `removed`'s included.
fn forget(
    state: &StateFile,
    keychain: &dyn SecretStore,
    backup_folder: &Path,
    removed: &[ClientWriteResult],
) -> (Forgotten, Purged) {
    let on_record = match state.load() {
        Ok(on_record) => on_record,
        Err(error) => {
            let forgotten = Forgotten {
                keychain_account: None,
                error: Some(error.message().to_owned()),
            };
            return (forgotten, Purged::default());
        }
    };
    let Some(credential) = on_record.credential else {
        let forgotten = Forgotten {
            keychain_account: None,
            error: None,
        };
        return (forgotten, Purged::default());
    };
    // Read before the item is deleted: afterwards nothing tells which backups hold it.
    let forgotten_authorization = backups::authorization_on_record(&credential, keychain);
    let account = credential.keychain_account;
    let outcome = keychain.delete(&account).and_then(|()| {
        state.update(|state| {
            state.credential = None;
            state.last_check = None;
            state.reminders_sent.clear();
        })
    });
    let purged = if outcome.is_ok() {
        backups::purge(
            backup_folder,
            forgotten_authorization.as_ref(),
            None,
            removed,
        )
    } else {
        Purged::default()
    };
    let forgotten = Forgotten {
        keychain_account: Some(account),
        error: outcome.err().map(|e| e.message().to_owned()),
    };
    (forgotten, purged)
}

/// The listed clients, or by default every client that holds our entry.
fn chosen_clients(
    list: &[String],
    environment: &ClientEnvironment,
    entry_name: &str,
) -> Result<Vec<&'static Client>, Error> {
    if list.is_empty() {
        return Ok(clients::ALL
            .into_iter()
            .filter(|client| {
                clients::status(client, environment, entry_name)
                    .entry
                    .is_some()
            })
            .collect());
    }
    clients::select(list, environment)
}
