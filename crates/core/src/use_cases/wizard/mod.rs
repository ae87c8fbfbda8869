//! The wizard's steps 5–7 as plain functions the desktop shell calls one per command: list the
//! clients, preview and write the chosen ones with the credential the check step kept, and undo
//! that write (`undo`, which keeps the versions from before it).
//!
//! The credential is held in a [`CheckedCredential`], which is neither `Serialize` nor shown by
//! `Debug`: nothing returned from here carries the secret (diffs are masked by the planner).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{
    self, Client, ClientEnvironment, ClientStatus, KeychainCarrier, SecretMode,
};
use crate::domain::credentials::{self, Credential};
use crate::domain::oauth::{self, ClientCredentials};
use crate::domain::policy::{LockedChoices, Policy, load_policy};
use crate::domain::probe::endpoint::{EndpointChoice, EndpointSources};
use crate::domain::probe::{
    self, Endpoint, ProbeFailure, ProbeProgress, ProbeReport, SessionClose, Verdict,
};
use crate::domain::secrets::{Secret, SecretStore};
use crate::plumbing::backups;
use crate::plumbing::state::StateFile;
use crate::use_cases::check::{self, CheckRequest, Checked};
use crate::use_cases::setup::{self, PlannedChange, SetupOutcome, SetupRequest};
use crate::{Error, ErrorKind, Result};

mod undo;

pub use undo::{CredentialUndo, UndoOutcome, WriteUndo, undo};
use undo::{KeychainBefore, WrittenClient};

/// A credential that went through the check, with the endpoint it was checked against and the
/// verdict: what the write step uses, so the token never has to travel back from the UI.
pub struct CheckedCredential {
    credential: Credential,
    endpoint: Endpoint,
    /// The token endpoint an OAuth client was exchanged at, when it is not Atlassian's: the
    /// setup records it for the bridge.
    token_url: Option<String>,
    verdict: Verdict,
}

/// Never shows the credential.
impl fmt::Debug for CheckedCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckedCredential")
            .field("method", &self.credential.method())
            .field("endpoint", &self.endpoint.url().as_str())
            .field("verdict", &self.verdict)
            .finish_non_exhaustive()
    }
}

impl CheckedCredential {
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    pub(crate) fn credential(&self) -> &Credential {
        &self.credential
    }

    pub(crate) fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

/// What the person entered in the credentials step, or what is on record for them.
#[derive(Debug, Clone, Copy)]
pub struct EnteredCredential<'a> {
    pub method: AuthMethod,
    /// The account's email, for a personal token.
    pub email: Option<&'a str>,
    /// The client ID, for a service account's OAuth client.
    pub client_id: Option<&'a str>,
    /// The token, key or client secret, as pasted.
    pub secret: &'a Secret,
    /// The token endpoint the client was set up with, which stands where `--token-url` would;
    /// `None` for what was just entered.
    pub token_url: Option<&'a str>,
}

/// The variables the window reads where a command line would read the process's: the demo's
/// stand-in server sets both.
#[derive(Debug, Clone, Copy, Default)]
pub struct WindowVariables<'a> {
    /// `ROVO_MCP_ENDPOINT`.
    pub endpoint: Option<&'a str>,
    /// `ROVO_MCP_TOKEN_URL`.
    pub token_url: Option<&'a str>,
}

/// Checks what a person entered, as the wizard's check step does, under the policy of
/// `environment`: the endpoint is the policy's, else `variables.endpoint` (`ROVO_MCP_ENDPOINT`
/// as the window sees it), else, when `endpoint` asks for it, the one on record, else
/// Atlassian's, and it must pass the endpoint rule; the credential is cleaned by
/// [`prepare_credential`](credentials::prepare_credential) (a service account's OAuth client
/// is exchanged for an access token first, at the token endpoint of the setup on record when
/// the check is against it, as the bridge does, else at `variables.token_url` or Atlassian's),
/// then probed,
/// and a tool the policy requires that
/// is missing makes the verdict `limited`. Also hands back the prepared credential, for the
/// write step to use once the verdict is `ok`; there is none when the token endpoint refused
/// the OAuth client, whose refusal is the report's verdict. Dropping the future cancels the
/// check.
///
/// # Errors
/// `invalid_input` when the endpoint or the credential cannot be used as entered, or the
/// policy does not allow the method or the endpoint; nothing is sent then. Every other failure
/// is the report's verdict.
pub async fn check_entered(
    entered: EnteredCredential<'_>,
    endpoint: EndpointChoice,
    variables: WindowVariables<'_>,
    environment: &ClientEnvironment,
    progress: &mut (dyn FnMut(ProbeProgress) + Send),
) -> Result<(ProbeReport, SessionClose, Option<CheckedCredential>)> {
    let policy = load_policy(environment)?;
    let record = match endpoint {
        EndpointChoice::Recommended => None,
        EndpointChoice::OnRecord | EndpointChoice::V2OfRecord => {
            StateFile::for_environment(environment).load()?.credential
        }
    };
    let recorded = record.as_ref().map(|record| record.endpoint.clone());
    let (moved, on_record) = match endpoint {
        EndpointChoice::Recommended => (None, None),
        EndpointChoice::OnRecord => (None, recorded),
        EndpointChoice::V2OfRecord => (
            recorded
                .as_deref()
                .and_then(crate::use_cases::status::endpoint_move)
                .map(|moved| moved.to),
            None,
        ),
    };
    // A new secret for the client on record goes to the token endpoint it was set up with.
    let recorded_token_url = record
        .as_ref()
        .and_then(|record| record.oauth.as_ref())
        .and_then(|client| client.token_url.as_deref());
    let request = CheckRequest {
        policy: &policy,
        method: entered.method,
        endpoint: EndpointSources {
            // The move names its endpoint as a flag would: over the environment, under a lock.
            flag: moved.as_deref(),
            environment: variables.endpoint,
            on_record: on_record.as_deref(),
        },
        all_tools: false,
        options: probe::ProbeOptions::default(),
    };
    let prepared = if entered.method == AuthMethod::ServiceOauth {
        policy
            .secret_mode(Some(SecretMode::Keychain))
            .map_err(|locked| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "a service account's OAuth client can only be kept in the keychain, and {}: use a service-account API key instead",
                        locked.message()
                    ),
                )
            })?;
        // The setup on record names its token endpoint, as the bridge that will use the new
        // secret reads it: no variable stands over it then.
        let token_endpoint = match (entered.token_url, &record) {
            (Some(url), _) => oauth::token_endpoint(Some(url), None)?,
            (None, Some(_)) => oauth::token_endpoint(recorded_token_url, None)?,
            (None, None) => oauth::token_endpoint(None, variables.token_url)?,
        };
        let prepared = check::prepare_oauth(&request, &token_endpoint, || {
            ClientCredentials::new(entered.client_id.unwrap_or_default(), entered.secret)
        })
        .await;
        match prepared {
            Ok(prepared) => (prepared, Some(token_endpoint)),
            Err(error) if error.kind() == ErrorKind::InvalidInput => return Err(error),
            Err(refused) => {
                let hint = exchange_hint(refused.kind());
                let mut report = ProbeReport::failed(ProbeFailure::from_error(&refused, hint));
                report.auth = Some(AuthMethod::ServiceOauth);
                return Ok((report, SessionClose::default(), None));
            }
        }
    } else {
        let prepared = check::prepare(&request, || {
            credentials::prepare_credential(entered.method, entered.email, entered.secret)
        })?;
        (prepared, None)
    };
    let (prepared, token_endpoint) = prepared;
    let Checked {
        report,
        session_close: close,
        endpoint,
        credential,
    } = prepared.run(progress).await;
    let checked = CheckedCredential {
        credential,
        endpoint,
        // Recorded only when it is not Atlassian's, as `configure --token-url` records it.
        token_url: token_endpoint
            .map(|token_endpoint| token_endpoint.url().to_string())
            .filter(|url| url != oauth::DEFAULT_TOKEN_URL),
        verdict: report.verdict,
    };
    Ok((report, close, Some(checked)))
}

/// What to do about an exchange the token endpoint refused or never answered.
fn exchange_hint(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::RateLimited | ErrorKind::ServerError => {
            "the token endpoint is busy or failing; check again in a few minutes"
        }
        kind => oauth::hint(kind).unwrap_or(
            "check the network, proxy and firewall between this computer and the token endpoint, then check again",
        ),
    }
}

/// The credential on record with its secret read from the keychain, to check again: the move
/// of a setup to v2 goes through the same check, preview and write as a setup without the
/// person pasting the token again.
///
/// # Errors
/// `invalid_input` when nothing is set up; `keychain_unavailable` when the keychain cannot be
/// read or holds no secret for the record (paste the token instead); `state_unreadable` for a
/// state file that cannot be read.
pub fn credential_on_record(
    environment: &ClientEnvironment,
    keychain: &dyn SecretStore,
) -> Result<RecordedCredential> {
    let record = StateFile::for_environment(environment)
        .load()?
        .credential
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                "nothing is set up yet, so there is no credential on record to check: enter one",
            )
        })?;
    let secret = keychain.read(&record.keychain_account)?.ok_or_else(|| {
        Error::new(
            ErrorKind::KeychainUnavailable,
            format!(
                "the keychain holds no secret for `{}`: go back and paste the token",
                record.keychain_account
            ),
        )
    })?;
    let (client_id, token_url) = record
        .oauth
        .map(|client| (client.client_id, client.token_url))
        .unzip();
    Ok(RecordedCredential {
        method: record.auth,
        email: record.email,
        client_id,
        token_url: token_url.flatten(),
        secret,
    })
}

/// The credential on record: its method, email or OAuth client, and the secret from the
/// keychain.
#[derive(Debug)]
pub struct RecordedCredential {
    pub method: AuthMethod,
    pub email: Option<String>,
    pub client_id: Option<String>,
    /// The token endpoint the OAuth client was set up with, when not Atlassian's.
    pub token_url: Option<String>,
    pub secret: Secret,
}

impl RecordedCredential {
    /// What to check: this credential as if it had been entered.
    pub fn as_entered(&self) -> EnteredCredential<'_> {
        EnteredCredential {
            method: self.method,
            email: self.email.as_deref(),
            client_id: self.client_id.as_deref(),
            secret: &self.secret,
            token_url: self.token_url.as_deref(),
        }
    }
}

/// One client the person ticked, with the secret mode they chose (`None`: its preferred one).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientChoice {
    pub id: String,
    pub mode: Option<SecretMode>,
}

/// What a wizard write did: the setup's outcome, and the clients whose file changed on disk
/// after the preview, so that what was written differs from what was shown.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WizardWriteOutcome {
    pub setup: SetupOutcome,
    /// Ids of the clients whose change was planned again from the file's new contents.
    pub replanned: Vec<String>,
}

/// The choices the organisation's policy locks, for the wizard to show them locked.
pub fn locked_choices(environment: &ClientEnvironment) -> Result<LockedChoices> {
    Ok(load_policy(environment)?.locked_choices())
}

/// Every supported client on this OS with its state, our entry (named as the policy says) and
/// the secret modes it offers; installed ones first, each group in registry order. Clients the
/// policy keeps us out of are left out.
pub fn clients_overview(environment: &ClientEnvironment) -> Result<Vec<ClientStatus>> {
    let policy = load_policy(environment)?;
    let mut overview: Vec<ClientStatus> = clients::ALL
        .into_iter()
        .filter(|client| {
            client.config_path(environment).is_some() && !policy.never_touch(client.id)
        })
        .map(|client| clients::status(client, environment, policy.entry_name()))
        .collect();
    overview.sort_by_key(|status| !status.installed);
    Ok(overview)
}

/// The change each chosen client would get, diffs masked; nothing is written. With
/// `all_tools` the clients get the flat list of every tool (`?tools=all`).
pub fn preview_clients(
    checked: &CheckedCredential,
    choices: &[ClientChoice],
    all_tools: bool,
    environment: &ClientEnvironment,
) -> Result<Vec<PlannedChange>> {
    preview_with(
        checked,
        choices,
        all_tools,
        &crate::cli::bridge_command(),
        environment,
    )
}

fn preview_with(
    checked: &CheckedCredential,
    choices: &[ClientChoice],
    all_tools: bool,
    bridge_command: &str,
    environment: &ClientEnvironment,
) -> Result<Vec<PlannedChange>> {
    let policy = load_policy(environment)?;
    let (chosen, modes) = resolve(choices, &policy)?;
    let endpoint = entry_endpoint(checked, all_tools);
    let request = request(
        checked,
        &endpoint,
        &chosen,
        &modes,
        None,
        &policy,
        bridge_command,
    );
    Ok(setup::preview(&request, environment))
}

/// The endpoint the clients get: the one checked, or its flat list of every tool.
fn entry_endpoint(checked: &CheckedCredential, all_tools: bool) -> Endpoint {
    if all_tools {
        probe::all_tools_endpoint(&checked.endpoint)
    } else {
        checked.endpoint.clone()
    }
}

/// Stores the secret and writes every chosen client (design §2 step 6). `previewed` is what the
/// preview showed: a client whose diff is now different is named in `replanned`. `expires_on`
/// is the token's expiry as `YYYY-MM-DD`, for reminders. When the write replaced another
/// credential, the backups holding that one are deleted; Undo keeps what it needs in memory.
///
/// # Errors
/// `invalid_input` for an unknown client, one the policy protects, a malformed date, or a
/// credential whose check was not `ok`; a client that fails is reported in the outcome.
pub fn write_clients(
    checked: &CheckedCredential,
    choices: &[ClientChoice],
    all_tools: bool,
    previewed: &[PlannedChange],
    expires_on: Option<&str>,
    environment: &ClientEnvironment,
    keychain: &dyn SecretStore,
) -> Result<(WizardWriteOutcome, WriteUndo)> {
    let expires_on = parse_expiry(expires_on)?;
    write_with(
        checked,
        Selection {
            clients: choices,
            all_tools,
        },
        previewed,
        expires_on,
        &crate::cli::bridge_command(),
        environment,
        keychain,
    )
}

/// The expiry date the UI sends (`YYYY-MM-DD`, surrounding spaces allowed).
pub(crate) fn parse_expiry(date: Option<&str>) -> Result<Option<NaiveDate>> {
    date.map(|date| {
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("`{date}` is not a date; use YYYY-MM-DD"),
            )
        })
    })
    .transpose()
}

/// The clients chosen, and whether they get every tool directly.
#[derive(Debug, Clone, Copy)]
struct Selection<'a> {
    clients: &'a [ClientChoice],
    all_tools: bool,
}

fn write_with(
    checked: &CheckedCredential,
    selection: Selection<'_>,
    previewed: &[PlannedChange],
    expires_on: Option<NaiveDate>,
    bridge_command: &str,
    environment: &ClientEnvironment,
    keychain: &dyn SecretStore,
) -> Result<(WizardWriteOutcome, WriteUndo)> {
    let policy = load_policy(environment)?;
    let (chosen, modes) = resolve(selection.clients, &policy)?;
    let endpoint = entry_endpoint(checked, selection.all_tools);
    let request = request(
        checked,
        &endpoint,
        &chosen,
        &modes,
        expires_on,
        &policy,
        bridge_command,
    );
    let replanned = setup::preview(&request, environment)
        .into_iter()
        .filter(|now| {
            previewed
                .iter()
                .find(|before| before.id == now.id)
                .is_some_and(|before| before.diff != now.diff || before.change != now.change)
        })
        .map(|now| now.id)
        .collect();
    let state = StateFile::for_environment(environment);
    let account = checked.credential.keychain_account();
    let keychain_before = match keychain.read(&account) {
        Ok(Some(secret)) => KeychainBefore::Held { account, secret },
        Ok(None) => KeychainBefore::Empty { account },
        Err(_) => KeychainBefore::Unknown,
    };
    let state_before = state.load().unwrap_or_default();
    let mut setup = setup::set_up(&request, checked.verdict, environment, keychain, &state)?;
    let keychain_before = if setup.keychain.stored {
        keychain_before
    } else {
        KeychainBefore::Untouched
    };
    let replaced = match &keychain_before {
        KeychainBefore::Empty { .. } => true,
        KeychainBefore::Held { secret, .. } => {
            secret.expose() != checked.credential.token().expose()
        }
        KeychainBefore::Untouched | KeychainBefore::Unknown => false,
    };
    let written: Vec<WrittenClient> = setup.clients.iter().map(WrittenClient::read).collect();
    // The credential the write replaced is superseded now; Undo restores from `written`.
    let superseded = match &keychain_before {
        KeychainBefore::Held { secret, .. } => credentials::prepare_credential(
            request.credential.method(),
            request.credential.email(),
            secret,
        )
        .ok()
        .map(|before| Secret::new(before.authorization().expose())),
        _ => None,
    };
    let purged = backups::purge(
        &clients::backup_folder(environment),
        superseded.as_ref(),
        Some(checked.credential.authorization()),
        &setup.clients,
    );
    backups::account_for(&mut setup.clients, &purged);
    let undo = WriteUndo {
        clients: written,
        keychain: keychain_before,
        credential: state_before.credential,
        last_check: state_before.last_check,
        superseded_by_undo: replaced
            .then(|| Secret::new(checked.credential.authorization().expose())),
    };
    Ok((WizardWriteOutcome { setup, replanned }, undo))
}

/// The chosen clients, and the secret mode chosen per client id.
type Resolved = (Vec<&'static Client>, Vec<(String, SecretMode)>);

/// The clients of `choices`, checked against the registry and the policy, and their modes.
fn resolve(choices: &[ClientChoice], policy: &Policy) -> Result<Resolved> {
    let mut chosen = Vec::new();
    let mut modes = Vec::new();
    for choice in choices {
        let client = clients::find(&choice.id).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("`{}` is not a client id", choice.id),
            )
        })?;
        if policy.never_touch(client.id) {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("your organisation's policy keeps {} unchanged", client.name),
            ));
        }
        chosen.push(client);
        if let Some(mode) = policy.secret_mode(choice.mode)? {
            modes.push((client.id.to_owned(), mode));
        }
    }
    Ok((chosen, modes))
}

fn request<'a>(
    checked: &'a CheckedCredential,
    endpoint: &'a Endpoint,
    chosen: &'a [&'static Client],
    modes: &'a [(String, SecretMode)],
    expires_on: Option<NaiveDate>,
    policy: &'a Policy,
    bridge_command: &'a str,
) -> SetupRequest<'a> {
    SetupRequest {
        credential: &checked.credential,
        endpoint,
        clients: chosen,
        mode: None,
        client_modes: modes,
        expires_on,
        server_name: policy.entry_name(),
        bridge_command,
        keychain_carrier: KeychainCarrier::Helper,
        token_url: checked.token_url.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clients::{Change, Os};
    use crate::domain::secrets::InMemorySecretStore;
    use crate::plumbing::state::CredentialRecord;

    fn checked() -> CheckedCredential {
        let credential =
            credentials::prepare_credential(AuthMethod::Service, None, &Secret::new("s3cr3t-key"))
                .unwrap();
        CheckedCredential {
            credential,
            endpoint: Endpoint::default(),
            token_url: None,
            verdict: Verdict::Ok,
        }
    }

    fn choice(id: &str) -> ClientChoice {
        ClientChoice {
            id: id.to_owned(),
            mode: None,
        }
    }

    #[test]
    fn write_then_undo_restores_every_file_and_skips_the_broken_one() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        let cursor_before = "{\n  // mine\n  \"mcpServers\": {}\n}\n";
        std::fs::write(home.join(".cursor/mcp.json"), cursor_before).unwrap();
        std::fs::create_dir_all(home.join(".config/zed")).unwrap();
        std::fs::write(home.join(".config/zed/settings.json"), "{ \"theme\": }").unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        let checked = checked();
        let choices = [choice("cursor"), choice("zed"), choice("gemini-cli")];

        let overview = clients_overview(&environment).unwrap();
        let zed = overview.iter().find(|client| client.id == "zed").unwrap();
        assert!(zed.problem.is_some(), "the broken file is reported");

        let previewed =
            preview_with(&checked, &choices, false, "/opt/bridge", &environment).unwrap();
        assert!(
            previewed
                .iter()
                .all(|plan| !plan.diff.as_deref().unwrap_or("").contains("s3cr3t")),
            "previews never show the secret"
        );
        let keychain = InMemorySecretStore::default();
        let (written, write) = write_with(
            &checked,
            Selection {
                clients: &choices,
                all_tools: false,
            },
            &previewed,
            None,
            "/opt/bridge",
            &environment,
            &keychain,
        )
        .unwrap();
        assert!(
            written.replanned.is_empty(),
            "nothing changed since the preview"
        );
        let changes: Vec<_> = written
            .setup
            .clients
            .iter()
            .map(|result| result.change)
            .collect();
        assert_eq!(changes, [Some(Change::Update), None, Some(Change::Create)]);

        let undone = undo(&write, &environment, &keychain);
        let changes: Vec<_> = undone.clients.iter().map(|result| result.change).collect();
        assert_eq!(changes, [Some(Change::Update), Some(Change::Delete)]);
        assert_eq!(
            std::fs::read_to_string(home.join(".cursor/mcp.json")).unwrap(),
            cursor_before,
            "Cursor's file is back byte for byte"
        );
        assert!(
            !home.join(".gemini/settings.json").exists(),
            "the file we created is gone"
        );
        assert_eq!(
            std::fs::read_to_string(home.join(".config/zed/settings.json")).unwrap(),
            "{ \"theme\": }",
            "the broken file was never touched"
        );
    }

    /// Previews and writes Cursor alone with [`checked`], as the wizard does.
    fn write_cursor(
        environment: &ClientEnvironment,
        keychain: &dyn SecretStore,
    ) -> (WizardWriteOutcome, WriteUndo) {
        let checked = checked();
        let choices = [choice("cursor")];
        let previewed =
            preview_with(&checked, &choices, false, "/opt/bridge", environment).unwrap();
        write_with(
            &checked,
            Selection {
                clients: &choices,
                all_tools: false,
            },
            &previewed,
            None,
            "/opt/bridge",
            environment,
            keychain,
        )
        .unwrap()
    }

    /// The account the service key of [`checked`] is kept under.
    fn service_account() -> String {
        credentials::keychain_account(AuthMethod::Service, None)
    }

    #[test]
    fn undo_puts_back_the_keychain_item_and_the_credential_on_record() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        let keychain = InMemorySecretStore::default();
        keychain
            .store(&service_account(), &Secret::new("the-key-from-before"))
            .unwrap();
        let state = StateFile::for_environment(&environment);
        state
            .update(|state| {
                state.record_credential(CredentialRecord {
                    auth: AuthMethod::Service,
                    email: None,
                    endpoint: "https://mcp.example.com/v1/mcp".to_owned(),
                    keychain_account: service_account(),
                    expires_on: None,
                    stored_at: chrono::Utc::now(),
                    oauth: None,
                    unknown: crate::plumbing::state::UnknownKeys::new(),
                });
            })
            .unwrap();
        let before = state.load().unwrap();
        let (_, write) = write_cursor(&environment, &keychain);
        assert_eq!(
            keychain.read(&service_account()).unwrap().unwrap().expose(),
            "s3cr3t-key",
            "the write stored the new key"
        );
        let undone = undo(&write, &environment, &keychain);

        assert_eq!(undone.credential, CredentialUndo::Restored);
        assert_eq!(
            keychain.read(&service_account()).unwrap().unwrap().expose(),
            "the-key-from-before",
            "the keychain holds the key from before the write again"
        );
        let after = state.load().unwrap();
        assert_eq!(
            (after.credential, after.last_check),
            (before.credential, before.last_check),
            "the state file's credential and last check are as before the write"
        );
        assert!(
            !home.join(".cursor/mcp.json").exists(),
            "the file the write created is gone"
        );
    }

    /// A personal token as the check step keeps it, passed.
    fn checked_personal(token: &str) -> CheckedCredential {
        CheckedCredential {
            credential: credentials::prepare_credential(
                AuthMethod::Personal,
                Some("me@example.com"),
                &Secret::new(token),
            )
            .unwrap(),
            endpoint: Endpoint::default(),
            token_url: None,
            verdict: Verdict::Ok,
        }
    }

    #[test]
    fn undo_of_a_rotation_leaves_no_backup_holding_the_token_it_took_back() {
        use rovo_test_support::leak_scan::{self, ROTATED_TOKEN, SCOPED_TOKEN};
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(".cursor")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, root.path(), []);
        let keychain = InMemorySecretStore::default();
        let inline_cursor = [ClientChoice {
            id: "cursor".to_owned(),
            mode: Some(SecretMode::Inline),
        }];
        let write = |token: &str| {
            write_with(
                &checked_personal(token),
                Selection {
                    clients: &inline_cursor,
                    all_tools: false,
                },
                &[],
                None,
                "/opt/bridge",
                &environment,
                &keychain,
            )
            .unwrap()
        };
        let files_holding = |secret: &str| -> Vec<std::path::PathBuf> {
            leak_scan::every_file_under(root.path())
                .into_iter()
                .filter(|path| {
                    leak_scan::leaks_in(path, &std::fs::read(path).unwrap())
                        .iter()
                        .any(|leak| leak.secret == secret)
                })
                .collect()
        };
        write(SCOPED_TOKEN);
        let cursor_file = root.path().join(".cursor/mcp.json");
        let set_up = std::fs::read(&cursor_file).unwrap();
        let (rotated, rotation) = write(ROTATED_TOKEN);
        assert_eq!(
            files_holding("SCOPED_TOKEN"),
            Vec::<std::path::PathBuf>::new(),
            "the write replaced the token, so no backup keeps the old one"
        );
        assert_eq!(
            rotated.setup.clients[0].backup, None,
            "the write's own backup held the old token, so it is gone and not named"
        );

        let undone = undo(&rotation, &environment, &keychain);

        assert_eq!(undone.credential, CredentialUndo::Restored, "{undone:?}");
        assert_eq!(
            std::fs::read(&cursor_file).unwrap(),
            set_up,
            "Cursor's file holds the token from before the rotation again"
        );
        assert_eq!(
            files_holding("ROTATED_TOKEN"),
            Vec::<std::path::PathBuf>::new(),
            "the token Undo took back is superseded, so no backup keeps it"
        );
        assert_eq!(
            undone.clients[0].backup, None,
            "Undo's own backup held that token, so it is gone and not named"
        );
        assert_eq!(
            files_holding("SCOPED_TOKEN"),
            [cursor_file],
            "the token in use again is in Cursor's file, restored from memory, and nowhere else"
        );
    }

    #[test]
    fn undo_of_a_first_setup_deletes_the_keychain_item_it_added() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        let keychain = InMemorySecretStore::default();
        let (_, write) = write_cursor(&environment, &keychain);

        let undone = undo(&write, &environment, &keychain);

        assert_eq!(undone.credential, CredentialUndo::Restored);
        assert!(
            keychain.read(&service_account()).unwrap().is_none(),
            "the item the write added is deleted"
        );
        let after = StateFile::for_environment(&environment).load().unwrap();
        assert!(
            after.credential.is_none() && after.last_check.is_none() && after.clients.is_empty(),
            "nothing is on record, as before the write: {after:?}"
        );
    }

    #[test]
    fn a_client_that_cannot_be_put_back_keeps_the_new_credential_everywhere() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        std::fs::write(home.join(".cursor/mcp.json"), "{}\n").unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        let keychain = InMemorySecretStore::default();
        let (_, write) = write_cursor(&environment, &keychain);
        let cursor_file = home.join(".cursor/mcp.json");
        let mut locked = std::fs::metadata(&cursor_file).unwrap().permissions();
        locked.set_readonly(true);
        std::fs::set_permissions(&cursor_file, locked).unwrap();

        let undone = undo(&write, &environment, &keychain);

        assert!(
            undone.clients[0].error.is_some(),
            "Cursor cannot be put back once someone made its file read-only"
        );
        assert!(
            matches!(&undone.credential, CredentialUndo::Kept { reason } if reason.contains("Cursor")),
            "the credential stays, and the reason names the client: {:?}",
            undone.credential
        );
        assert_eq!(
            keychain.read(&service_account()).unwrap().unwrap().expose(),
            "s3cr3t-key",
            "Cursor still uses the new key, so the keychain keeps it"
        );
    }

    /// A keychain that cannot be read but can be written: what it held before is unknown.
    struct WriteOnlyKeychain(InMemorySecretStore);

    impl SecretStore for WriteOnlyKeychain {
        fn read(&self, _account: &str) -> Result<Option<Secret>> {
            Err(Error::new(
                ErrorKind::KeychainUnavailable,
                "the keychain is locked",
            ))
        }

        fn store(&self, account: &str, secret: &Secret) -> Result<()> {
            self.0.store(account, secret)
        }

        fn delete(&self, account: &str) -> Result<()> {
            self.0.delete(account)
        }
    }

    #[test]
    fn undo_keeps_a_keychain_item_whose_predecessor_could_not_be_read() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        let keychain = WriteOnlyKeychain(InMemorySecretStore::default());
        let (_, write) = write_cursor(&environment, &keychain);

        let undone = undo(&write, &environment, &keychain);

        assert!(
            matches!(&undone.credential, CredentialUndo::Kept { reason } if reason.contains("unknown")),
            "an item that replaced an unknown one is not deleted, and Undo says why: {:?}",
            undone.credential
        );
        assert!(
            keychain.0.read(&service_account()).unwrap().is_some(),
            "the new credential stays in the keychain"
        );
    }

    #[test]
    fn a_file_changed_after_the_preview_is_named_as_replanned() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        let checked = checked();
        let choices = [choice("cursor")];
        let previewed =
            preview_with(&checked, &choices, false, "/opt/bridge", &environment).unwrap();
        std::fs::write(home.join(".cursor/mcp.json"), "{ \"other\": 1 }\n").unwrap();

        let (written, _) = write_with(
            &checked,
            Selection {
                clients: &choices,
                all_tools: false,
            },
            &previewed,
            None,
            "/opt/bridge",
            &environment,
            &InMemorySecretStore::default(),
        )
        .unwrap();
        assert_eq!(written.replanned, ["cursor"]);
        assert_eq!(written.setup.clients[0].change, Some(Change::Update));
    }

    #[test]
    fn the_policy_locked_choices_come_from_the_policy_in_force() {
        let root = tempfile::tempdir().unwrap();
        let policy_path = root.path().join("policy.json");
        std::fs::write(
            &policy_path,
            r#"{ "organization": { "name": "Example Corp", "helpLink": "https://intranet.example.com/ai" },
                 "allowedAuth": ["service"], "secretMode": "inline",
                 "clients": { "configure": ["cursor"] }, "endpoint": "https://mcp.example.com/v1/mcp",
                 "startAtLogin": false }"#,
        )
        .unwrap();
        let policy_path = policy_path.to_string_lossy().into_owned();
        let environment = ClientEnvironment::new(
            Os::Linux,
            root.path(),
            [("ROVO_MCP_POLICY", policy_path.as_str())],
        );

        let locked = locked_choices(&environment).expect("the policy parses");

        assert_eq!(
            locked,
            LockedChoices {
                organization: Some("Example Corp".to_owned()),
                help_link: Some("https://intranet.example.com/ai".to_owned()),
                auth_kinds: Some(vec![AuthMethod::Service]),
                secret_mode: Some(SecretMode::Inline),
                clients: Some(vec!["cursor".to_owned()]),
                endpoint: Some("https://mcp.example.com/v1/mcp".to_owned()),
                start_at_login: Some(false),
            },
            "every locked choice, with who locks it and where to get help"
        );
        let without =
            ClientEnvironment::new(Os::Linux, root.path(), []).with_machine_policy(Vec::new());
        assert!(
            !locked_choices(&without).unwrap().any(),
            "no policy locks nothing"
        );
    }

    #[test]
    fn a_locked_secret_mode_is_used_and_another_one_refused() {
        let policy = Policy {
            settings: crate::domain::policy::PolicyFile {
                organization: Some(crate::domain::policy::Organization {
                    name: "Example Corp".to_owned(),
                    help_link: None,
                }),
                secret_mode: Some(SecretMode::Keychain),
                ..crate::domain::policy::PolicyFile::default()
            },
            ..Policy::default()
        };

        let (_, modes) = resolve(&[choice("cursor")], &policy).expect("no mode asked is fine");
        assert_eq!(
            modes,
            [("cursor".to_owned(), SecretMode::Keychain)],
            "the policy's mode is used when the person chose none"
        );
        let inline = ClientChoice {
            id: "cursor".to_owned(),
            mode: Some(SecretMode::Inline),
        };
        let error = resolve(&[inline], &policy).expect_err("another mode is refused");
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(
            error.message().contains("Example Corp's policy"),
            "the organisation is named: {error}"
        );
    }

    #[tokio::test]
    async fn the_check_obeys_the_policy_of_the_environment() {
        use rovo_stand_in::Grant;

        let service_key = Secret::new("s3cr3t-key");
        let server = server_granting(&service_key, Grant::PlatformOnly).await;
        let root = tempfile::tempdir().unwrap();
        let policy = root.path().join("policy.json");
        std::fs::write(
            &policy,
            format!(
                r#"{{ "allowedAuth": ["service"], "endpoint": "{}", "requiredTools": ["getJiraIssue"] }}"#,
                server.url()
            ),
        )
        .unwrap();
        let environment = ClientEnvironment::new(
            Os::Linux,
            root.path(),
            [(crate::domain::policy::POLICY_ENV, policy.to_str().unwrap())],
        );

        let personal = check_entered(
            entered(
                AuthMethod::Personal,
                Some("me@example.com"),
                &Secret::new("ATATT3xToken"),
            ),
            EndpointChoice::Recommended,
            window(None),
            &environment,
            &mut |_| {},
        )
        .await
        .expect_err("the policy allows service keys only");
        assert_eq!(personal.kind(), ErrorKind::InvalidInput, "{personal}");
        assert!(personal.message().contains("policy"), "{personal}");

        let elsewhere = check_entered(
            entered(AuthMethod::Service, None, &service_key),
            EndpointChoice::Recommended,
            window(Some("https://elsewhere.example.com/v1/mcp")),
            &environment,
            &mut |_| {},
        )
        .await
        .expect_err("the policy locks the endpoint");
        assert_eq!(elsewhere.kind(), ErrorKind::InvalidInput, "{elsewhere}");

        let (report, _close, checked) = check_entered(
            entered(AuthMethod::Service, None, &service_key),
            EndpointChoice::Recommended,
            window(None),
            &environment,
            &mut |_| {},
        )
        .await
        .expect("the policy's own endpoint is used when none is asked for");
        assert_eq!(
            (
                report.verdict,
                checked.expect("a service key is kept").verdict()
            ),
            (Verdict::Limited, Verdict::Limited),
            "a required tool that is missing makes the check limited: {report:?}"
        );
    }

    #[tokio::test]
    async fn the_endpoint_on_record_is_checked_when_the_window_asks_for_it() {
        use rovo_stand_in::Grant;

        let service_key = Secret::new("s3cr3t-key");
        let server = server_granting(&service_key, Grant::FullScope).await;
        let root = tempfile::tempdir().unwrap();
        let policy = root.path().join("policy.json");
        std::fs::write(&policy, "{}").unwrap();
        let environment = ClientEnvironment::new(
            Os::Linux,
            root.path(),
            [(crate::domain::policy::POLICY_ENV, policy.to_str().unwrap())],
        );
        record_service_setup(&environment, server.url());

        let (report, _close, checked) = check_entered(
            entered(AuthMethod::Service, None, &service_key),
            EndpointChoice::OnRecord,
            window(None),
            &environment,
            &mut |_| {},
        )
        .await
        .expect("the endpoint on record passes the rule");
        assert_eq!(
            (
                report.endpoint.as_deref(),
                checked
                    .expect("a service key is kept")
                    .endpoint()
                    .to_string()
            ),
            (Some(server.url()), server.url().to_owned()),
            "the rotate window checks against the endpoint on record, which it never names"
        );
        assert_eq!(report.verdict, Verdict::Ok, "{report:?}");
    }

    #[tokio::test]
    async fn a_setup_on_v1_moves_to_v2_with_the_secret_from_the_keychain() {
        use rovo_stand_in::Grant;

        let service_key = Secret::new("s3cr3t-key");
        let server = server_granting(&service_key, Grant::FullScope).await;
        let root = tempfile::tempdir().unwrap();
        let environment =
            ClientEnvironment::new(Os::Linux, root.path(), []).with_machine_policy(Vec::new());
        let keychain = InMemorySecretStore::default();
        let nothing = credential_on_record(&environment, &keychain).expect_err("nothing on record");
        assert_eq!(
            nothing.kind(),
            ErrorKind::InvalidInput,
            "{}",
            nothing.message()
        );
        record_service_setup(&environment, server.v1_url());
        let empty =
            credential_on_record(&environment, &keychain).expect_err("no secret in the keychain");
        assert_eq!(
            empty.kind(),
            ErrorKind::KeychainUnavailable,
            "an empty keychain says to paste the token: {}",
            empty.message()
        );
        keychain.store("service", &service_key).unwrap();

        let recorded = credential_on_record(&environment, &keychain).expect("on record");
        let (report, _close, checked) = check_entered(
            recorded.as_entered(),
            EndpointChoice::V2OfRecord,
            // ROVO_MCP_ENDPOINT naming v1 does not keep the move on v1.
            window(Some(server.v1_url())),
            &environment,
            &mut |_| {},
        )
        .await
        .expect("the record and its secret are checked");
        assert_eq!(report.verdict, Verdict::Ok, "{report:?}");
        assert_eq!(
            checked
                .expect("a service key is kept")
                .endpoint()
                .to_string(),
            server.url(),
            "the move checks against v2 on the server on record"
        );
    }

    /// What a person entered for a personal token or a service key.
    fn entered<'a>(
        method: AuthMethod,
        email: Option<&'a str>,
        secret: &'a Secret,
    ) -> EnteredCredential<'a> {
        EnteredCredential {
            method,
            email,
            client_id: None,
            secret,
            token_url: None,
        }
    }

    /// The window's `ROVO_MCP_ENDPOINT`, and no token endpoint.
    fn window(endpoint: Option<&str>) -> WindowVariables<'_> {
        WindowVariables {
            endpoint,
            token_url: None,
        }
    }

    /// A stand-in server that grants `service_key`, sent as Bearer, what `grant` unlocks.
    async fn server_granting(
        service_key: &Secret,
        grant: rovo_stand_in::Grant,
    ) -> rovo_stand_in::StandInServer {
        let header = credentials::prepare_credential(AuthMethod::Service, None, service_key)
            .unwrap()
            .authorization()
            .expose()
            .to_owned();
        rovo_stand_in::StandInServer::start([(header, grant)])
            .await
            .unwrap()
    }

    /// A service-key setup on record against `endpoint`, its secret under the account `service`.
    fn record_service_setup(environment: &ClientEnvironment, endpoint: &str) {
        StateFile::for_environment(environment)
            .update(|state| {
                state.credential = Some(CredentialRecord {
                    auth: AuthMethod::Service,
                    email: None,
                    endpoint: endpoint.to_owned(),
                    keychain_account: "service".to_owned(),
                    expires_on: None,
                    stored_at: chrono::DateTime::UNIX_EPOCH,
                    oauth: None,
                    unknown: crate::plumbing::state::UnknownKeys::new(),
                });
            })
            .unwrap();
    }
}
