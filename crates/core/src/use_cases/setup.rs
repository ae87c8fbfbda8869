//! Setting up after a successful check (design §2 steps 5–6, `configure`): keep the secret in
//! the keychain, write our entry into each chosen client on its own, and remember what was done
//! in the state file. One client that fails does not stop the others.

use chrono::{NaiveDate, Utc};
use serde::Serialize;

use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{
    self, Change, Client, ClientEnvironment, ClientPlan, ClientWriteResult, EntrySettings,
    KeychainCarrier, SecretMode, plan_configure,
};
use crate::domain::credentials::Credential;
use crate::domain::probe::{Endpoint, Verdict};
use crate::domain::secrets::SecretStore;
use crate::plumbing::backups;
use crate::plumbing::state::{
    CheckRecord, ConfiguredClient, CredentialRecord, OauthClientRecord, StateFile, UnknownKeys,
};
use crate::{Error, ErrorKind, Result};

/// What to set up.
#[derive(Debug, Clone, Copy)]
pub struct SetupRequest<'a> {
    pub credential: &'a Credential,
    pub endpoint: &'a Endpoint,
    pub clients: &'a [&'static Client],
    /// The secret mode for every client; `None` lets each client use its preferred one.
    pub mode: Option<SecretMode>,
    /// Per-client choices by id (the wizard's), which win over `mode`.
    pub client_modes: &'a [(String, SecretMode)],
    /// The expiry date the person chose for the token, for reminders.
    pub expires_on: Option<NaiveDate>,
    /// The entry's name in every client.
    pub server_name: &'a str,
    /// The absolute path of this program, which `keychain` entries run as their bridge.
    pub bridge_command: &'a str,
    /// How `keychain` entries get the secret where a client has a header helper.
    pub keychain_carrier: KeychainCarrier,
    /// The token endpoint of a service account's OAuth client, when not Atlassian's.
    pub token_url: Option<&'a str>,
}

/// One client's planned change, for `--dry-run` and the wizard's preview.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlannedChange {
    pub id: String,
    pub name: String,
    pub config_path: Option<String>,
    pub mode: Option<SecretMode>,
    pub change: Option<Change>,
    /// The unified diff of the file, with the secret masked.
    pub diff: Option<String>,
    pub error: Option<clients::ClientWriteError>,
}

/// Whether the credential reached the keychain.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeychainOutcome {
    /// The keychain account it is stored under (service `rovo-mcp-setup`).
    pub account: String,
    pub stored: bool,
    pub error: Option<String>,
}

/// Everything a setup did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SetupOutcome {
    pub keychain: KeychainOutcome,
    pub clients: Vec<ClientWriteResult>,
    /// Set when the state file could not record the setup (the clients are written anyway).
    pub state_error: Option<String>,
}

impl SetupOutcome {
    /// The exit code: 8 when a client could not be written (design §7), else 0.
    pub fn exit_code(&self) -> u8 {
        clients::exit_code(&self.clients)
    }
}

/// Stores the credential's secret under its keychain account; a failure is reported, not fatal.
fn store_in_keychain(keychain: &dyn SecretStore, credential: &Credential) -> KeychainOutcome {
    let account = credential.keychain_account();
    match keychain.store(&account, credential.token()) {
        Ok(()) => KeychainOutcome {
            account,
            stored: true,
            error: None,
        },
        Err(error) => KeychainOutcome {
            account,
            stored: false,
            error: Some(error.message().to_owned()),
        },
    }
}

/// Why a client cannot hold a service account's OAuth client in any mode but `keychain`.
pub fn oauth_needs_keychain(client: &Client) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!(
            "{} was not changed: a service account's OAuth client gives access tokens that last an \
             hour, so no file can hold one; only a keychain entry (our bridge or header helper, \
             which renew the token) can use it: choose --mode keychain",
            client.name
        ),
    )
}

/// Deletes the keychain item of the credential on record when the new one went under another
/// account (a new OAuth client, a new email): it would otherwise stay in the keychain for good.
fn forget_replaced_item(
    keychain: &dyn SecretStore,
    replaced: Option<&CredentialRecord>,
    stored: &KeychainOutcome,
) {
    let Some(replaced) = replaced
        .map(|record| &record.keychain_account)
        .filter(|replaced| stored.stored && **replaced != stored.account)
    else {
        return;
    };
    if let Err(error) = keychain.delete(replaced) {
        tracing::warn!(account = %replaced, error = %error.message(), "the replaced keychain item stays");
    }
}

/// The mode `client` gets: its own choice, else the requested one, else its preferred one.
fn mode_for(client: &Client, request: &SetupRequest<'_>) -> SecretMode {
    request
        .client_modes
        .iter()
        .find(|(id, _)| id == client.id)
        .map(|&(_, mode)| mode)
        .or(request.mode)
        .unwrap_or(client.modes()[0])
}

fn plan_one(
    client: &'static Client,
    request: &SetupRequest<'_>,
    environment: &ClientEnvironment,
) -> Result<ClientPlan> {
    let settings = EntrySettings {
        name: request.server_name,
        endpoint: request.endpoint.url().as_str(),
        mode: mode_for(client, request),
        authorization: request.credential.authorization().expose(),
        bridge_command: request.bridge_command,
        keychain_carrier: request.keychain_carrier,
    };
    plan_configure(client, environment, &settings)
}

/// The change each client would get, without writing anything.
pub fn preview(request: &SetupRequest<'_>, environment: &ClientEnvironment) -> Vec<PlannedChange> {
    request
        .clients
        .iter()
        .map(|&client| {
            let mut planned = PlannedChange {
                id: client.id.to_owned(),
                name: client.name.to_owned(),
                config_path: client
                    .config_path(environment)
                    .map(|path| path.display().to_string()),
                mode: Some(mode_for(client, request)),
                change: None,
                diff: None,
                error: None,
            };
            match plan_one(client, request, environment) {
                Ok(plan) => {
                    planned.change = Some(plan.change());
                    planned.diff = Some(plan.diff());
                }
                Err(error) => {
                    planned.error = Some(clients::ClientWriteError {
                        kind: error.kind(),
                        message: error.message().to_owned(),
                    });
                }
            }
            planned
        })
        .collect()
}

/// Stores the secret, writes every client and records the setup. The credential must have
/// been checked: `verdict` is the probe's, and only `ok` is set up.
pub fn set_up(
    request: &SetupRequest<'_>,
    verdict: Verdict,
    environment: &ClientEnvironment,
    keychain: &dyn SecretStore,
    state: &StateFile,
) -> Result<SetupOutcome> {
    if verdict != Verdict::Ok {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "the credential did not pass the check, so no client was changed; fix it and check again",
        ));
    }
    let credential = request.credential;
    let keychain_outcome = store_in_keychain(keychain, credential);
    let account = keychain_outcome.account.clone();

    let keychain_stored = keychain_outcome.stored;
    let results = clients::write_each(
        request.clients,
        environment,
        &clients::backup_folder(environment),
        |client| {
            if credential.method() == AuthMethod::ServiceOauth
                && mode_for(client, request) != SecretMode::Keychain
            {
                return Err(oauth_needs_keychain(client));
            }
            if mode_for(client, request) == SecretMode::Keychain && !keychain_stored {
                return Err(Error::new(
                    ErrorKind::KeychainUnavailable,
                    format!(
                        "{} was not changed: its entry reads the credential from the keychain, \
                         which could not store it; unlock the keychain, or use --mode inline",
                        client.name
                    ),
                ));
            }
            plan_one(client, request, environment)
        },
    );

    let now = Utc::now();
    let recorded = state.update(|state| {
        state.record_credential(CredentialRecord {
            auth: credential.method(),
            email: credential.email().map(str::to_owned),
            endpoint: request.endpoint.url().to_string(),
            keychain_account: account,
            expires_on: request.expires_on,
            stored_at: now,
            oauth: credential.client_id().map(|client_id| OauthClientRecord {
                client_id: client_id.to_owned(),
                token_url: request.token_url.map(str::to_owned),
            }),
            unknown: UnknownKeys::new(),
        });
        state.last_check = Some(CheckRecord {
            at: now,
            verdict,
            message: None,
            unknown: UnknownKeys::new(),
        });
        for (&client, result) in request.clients.iter().zip(&results) {
            if result.error.is_some() {
                continue;
            }
            if let Some(path) = client.config_path(environment) {
                state.record_client(ConfiguredClient {
                    id: client.id.to_owned(),
                    config_path: path,
                    mode: mode_for(client, request),
                    configured_at: now,
                    created_file: result.change == Some(Change::Create),
                    unknown: UnknownKeys::new(),
                });
            }
        }
    });
    Ok(SetupOutcome {
        keychain: keychain_outcome,
        clients: results,
        state_error: recorded.err().map(|error| error.message().to_owned()),
    })
}

/// A client whose entry asks the person for the secret (VS Code `inputs`): rotation cannot
/// reach it, so the person is told what to do.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ManualStep {
    pub id: String,
    pub name: String,
    pub instructions: String,
}

/// Everything a rotation did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RotateOutcome {
    pub keychain: KeychainOutcome,
    /// The clients whose entry carries the header inline, rewritten with the new one.
    pub clients: Vec<ClientWriteResult>,
    /// The clients that ask for the secret themselves.
    pub manual_steps: Vec<ManualStep>,
    /// The clients that read the secret from the keychain: nothing to change in their files.
    pub keychain_clients: Vec<String>,
    pub state_error: Option<String>,
}

impl RotateOutcome {
    /// 8 when a client could not be rewritten, else 0 (design §7).
    pub fn exit_code(&self) -> u8 {
        clients::exit_code(&self.clients)
    }
}

/// The clients that hold our entry, by how a rotation reaches them.
struct ClientsByCarrier {
    /// Their entry carries the header: it is rewritten.
    inline: Vec<&'static Client>,
    /// They asked for the secret themselves: the person gives it again.
    manual_steps: Vec<ManualStep>,
    /// They read the keychain: nothing to change in their files.
    keychain_clients: Vec<String>,
}

/// Every client holding our entry (named `server_name`), by how a rotation reaches it; one on
/// record as inline (`recorded_inline`) counts as inline even when its file no longer reads.
fn clients_by_carrier(
    environment: &ClientEnvironment,
    server_name: &str,
    recorded_inline: impl Fn(&str) -> bool,
) -> ClientsByCarrier {
    let mut inline = Vec::new();
    let mut manual_steps = Vec::new();
    let mut keychain_clients = Vec::new();
    for client in clients::ALL {
        let status = clients::status(client, environment, server_name);
        match status.entry.and_then(|entry| entry.mode) {
            Some(SecretMode::Inline) => inline.push(client),
            None if recorded_inline(client.id) => inline.push(client),
            Some(SecretMode::Keychain) => keychain_clients.push(client.name.to_owned()),
            Some(SecretMode::Prompt) => manual_steps.push(ManualStep {
                id: client.id.to_owned(),
                name: client.name.to_owned(),
                instructions: format!(
                    "{} keeps the credential it asked you for: in its list of MCP servers, \
                     restart `{}`; if it does not ask again, clear its stored input values, then \
                     paste the new Authorization value when it asks",
                    client.name, server_name
                ),
            }),
            None => {}
        }
    }
    ClientsByCarrier {
        inline,
        manual_steps,
        keychain_clients,
    }
}

/// Replaces the credential everywhere it is used: the keychain item, every client entry that
/// carries the header inline, and the record in the state file; then deletes every backup
/// that holds the old credential. The new credential must have passed the check (`verdict`
/// is `ok`); otherwise nothing anywhere is changed.
#[expect(
    clippy::too_many_arguments,
    reason = "each is one independent input of a rotation"
)]
pub fn rotate(
    server_name: &str,
    credential: &Credential,
    endpoint: &Endpoint,
    verdict: Verdict,
    expires_on: Option<NaiveDate>,
    environment: &ClientEnvironment,
    keychain: &dyn SecretStore,
    state: &StateFile,
) -> Result<RotateOutcome> {
    if verdict != Verdict::Ok {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "the new credential did not pass the check, so nothing was changed anywhere",
        ));
    }
    // Clients on record as inline stay in the list even when their file no longer reads, so
    // that a broken file is reported rather than skipped.
    let on_record = state.load()?;
    let recorded_inline = |id: &str| {
        on_record
            .clients
            .iter()
            .any(|client| client.id == id && client.mode == SecretMode::Inline)
    };
    let ClientsByCarrier {
        inline,
        manual_steps,
        keychain_clients,
    } = clients_by_carrier(environment, server_name, recorded_inline);
    let request = SetupRequest {
        credential,
        endpoint,
        clients: &inline,
        mode: Some(SecretMode::Inline),
        client_modes: &[],
        expires_on,
        server_name,
        // Rotation rewrites inline entries only, which never run the bridge.
        bridge_command: "",
        keychain_carrier: KeychainCarrier::Helper,
        token_url: None,
    };
    // Read before the item is replaced: once the new secret is in place, every backup
    // holding this one goes.
    let superseded = on_record
        .credential
        .as_ref()
        .and_then(|record| backups::authorization_on_record(record, keychain));
    let keychain_outcome = store_in_keychain(keychain, credential);
    let account = keychain_outcome.account.clone();
    forget_replaced_item(keychain, on_record.credential.as_ref(), &keychain_outcome);
    let backup_folder = clients::backup_folder(environment);
    let mut results = clients::write_each(&inline, environment, &backup_folder, |client| {
        // An OAuth client's access token lasts an hour: it never goes into a file, even one
        // that held an earlier credential inline.
        if credential.method() == AuthMethod::ServiceOauth {
            return Err(oauth_needs_keychain(client));
        }
        plan_one(client, &request, environment)
    });
    let purged = backups::purge(
        &backup_folder,
        superseded.as_ref(),
        Some(credential.authorization()),
        &results,
    );
    backups::account_for(&mut results, &purged);
    let now = Utc::now();
    let recorded = state.update(|state| {
        state.record_credential(CredentialRecord {
            auth: credential.method(),
            email: credential.email().map(str::to_owned),
            endpoint: endpoint.url().to_string(),
            keychain_account: account,
            expires_on,
            stored_at: now,
            oauth: credential.client_id().map(|client_id| OauthClientRecord {
                client_id: client_id.to_owned(),
                // The new secret is for the same client, at the same token endpoint.
                token_url: on_record
                    .credential
                    .as_ref()
                    .and_then(|record| record.oauth.as_ref())
                    .and_then(|client| client.token_url.clone()),
            }),
            unknown: UnknownKeys::new(),
        });
        state.last_check = Some(CheckRecord {
            at: now,
            verdict,
            message: None,
            unknown: UnknownKeys::new(),
        });
    });
    Ok(RotateOutcome {
        keychain: keychain_outcome,
        clients: results,
        manual_steps,
        keychain_clients,
        state_error: recorded.err().map(|error| error.message().to_owned()),
    })
}
