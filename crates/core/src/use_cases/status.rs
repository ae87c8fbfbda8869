//! Where the setup stands (design §7 `status`, and the tray's status line): the credential on
//! record, its expiry, the last check, every client that holds our entry right now, and the
//! one health state with its line that management tools collect.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::ErrorKind;
use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{self, ClientEnvironment, SecretMode};
use crate::domain::policy::Policy;
use crate::domain::probe::Verdict;
use crate::plumbing::state::{AppState, CheckRecord, StateFile};
use crate::use_cases::care::Schedule;

/// The status of the whole setup.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupStatus {
    /// Whether a credential was set up with this app.
    pub configured: bool,
    pub auth: Option<AuthMethod>,
    pub email: Option<String>,
    /// The client ID of a service account's OAuth client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub endpoint: Option<String>,
    /// The v2 endpoint to move to, when the setup on record uses a v1 endpoint.
    pub endpoint_move: Option<EndpointMove>,
    pub expires_on: Option<NaiveDate>,
    /// Days until the expiry date; negative once it has passed.
    pub days_left: Option<i64>,
    pub last_check: Option<CheckRecord>,
    /// Every client whose config holds our entry now, read from the files themselves.
    pub clients: Vec<ClientHolding>,
    /// Why the state file could not be read, when it could not (it is left as it is).
    pub state_error: Option<String>,
    /// Clients configured with this app whose entry is gone or runs a program that is not
    /// there.
    pub broken_clients: Vec<BrokenClient>,
    /// The one state a management tool reads, the most urgent that applies.
    pub health: Health,
    /// One line on where the setup stands, naming what to do when something is wrong.
    pub summary: String,
}

/// How the setup stands, for management tools (docs/it-deployment.md §7), most urgent last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    Healthy,
    /// Expires within the reminder window.
    Expiring,
    /// A client on record lost its entry, or an entry runs a program that is not there.
    ClientBroken,
    /// Expired, or the last check was refused (rejected, forbidden or limited).
    Failing,
    /// No credential on record.
    NotSetUp,
}

impl Health {
    /// `status`'s exit code: past the check verdicts' codes (0–8), so a script tells them apart.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Healthy => 0,
            Self::Expiring => 10,
            Self::Failing => 11,
            Self::NotSetUp => 12,
            Self::ClientBroken => 13,
        }
    }

    /// The word the one-line summary starts with.
    pub fn word(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Expiring => "expiring",
            Self::Failing => "failing",
            Self::NotSetUp => "not-set-up",
            Self::ClientBroken => "client-broken",
        }
    }
}

/// A client configured with this app that no longer works as configured.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrokenClient {
    pub id: String,
    pub name: String,
    pub config_path: Option<String>,
    /// What is wrong, in one sentence that names the file or the program.
    pub problem: String,
}

/// A setup on a v1 endpoint, and the v2 endpoint that replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EndpointMove {
    pub from: String,
    pub to: String,
}

/// The paths of v1, still served, and of v2, which Atlassian recommends for every client
/// (atlassian/atlassian-mcp-server README, read 2026-12-03).
const V1_PATHS: [&str; 3] = ["/v1/mcp", "/v1/mcp/authv2", "/v1/sse"];
const V2_PATH: &str = "/v2/mcp";

/// The move from `endpoint` to v2 on the same server, when `endpoint` is a v1 endpoint; its
/// query is kept.
pub fn endpoint_move(endpoint: &str) -> Option<EndpointMove> {
    let mut url = reqwest::Url::parse(endpoint).ok()?;
    if !V1_PATHS.contains(&url.path().trim_end_matches('/')) {
        return None;
    }
    url.set_path(V2_PATH);
    Some(EndpointMove {
        from: endpoint.to_owned(),
        to: url.to_string(),
    })
}

/// A client whose config holds our entry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientHolding {
    pub id: String,
    pub name: String,
    pub config_path: Option<String>,
    pub mode: Option<SecretMode>,
    pub url: Option<String>,
    /// Set when the entry is in a file the client no longer reads (it moved its config):
    /// `configure` moves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub former_path: Option<String>,
    /// Our program the entry runs, when it is no longer where the entry says (the app was
    /// moved or uninstalled): `configure` rewrites the entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_program: Option<String>,
}

/// The status as of `today`, from the state file and the clients' own files; a state file
/// that cannot be read is reported in the status, as if nothing were on record.
pub fn setup_status(
    environment: &ClientEnvironment,
    state: &StateFile,
    policy: &Policy,
    today: NaiveDate,
) -> SetupStatus {
    match state.load() {
        Ok(recorded) => status_of(environment, recorded, None, policy, today),
        Err(error) => status_of(
            environment,
            AppState::default(),
            Some(error.message().to_owned()),
            policy,
            today,
        ),
    }
}

/// The status as of `today`, from what the state file holds (`recorded`, read by the caller)
/// and the clients' own files; `policy` names our entry and sets the reminder window.
pub fn status_of(
    environment: &ClientEnvironment,
    recorded: AppState,
    state_error: Option<String>,
    policy: &Policy,
    today: NaiveDate,
) -> SetupStatus {
    let clients: Vec<ClientHolding> = clients::ALL
        .into_iter()
        .filter_map(|client| {
            let status = clients::status(client, environment, policy.entry_name());
            let entry = status.entry?;
            let missing_program = entry
                .program
                .filter(|program| Path::new(program).is_absolute() && !Path::new(program).exists());
            Some(ClientHolding {
                id: status.id,
                name: status.name,
                config_path: status.config_path,
                mode: entry.mode,
                url: entry.url,
                former_path: status.former_path,
                missing_program,
            })
        })
        .collect();
    let broken_clients = broken_clients(&recorded, &clients);
    let credential = recorded.credential.as_ref();
    let expires_on = credential.and_then(|credential| credential.expires_on);
    let mut status = SetupStatus {
        configured: credential.is_some(),
        auth: credential.map(|credential| credential.auth),
        email: credential.and_then(|credential| credential.email.clone()),
        client_id: credential
            .and_then(|credential| credential.oauth.as_ref())
            .map(|client| client.client_id.clone()),
        endpoint: credential.map(|credential| credential.endpoint.clone()),
        endpoint_move: credential.and_then(|credential| endpoint_move(&credential.endpoint)),
        expires_on,
        days_left: expires_on.map(|date| (date - today).num_days()),
        last_check: recorded.last_check,
        clients,
        state_error,
        broken_clients,
        health: Health::Healthy,
        summary: String::new(),
    };
    let window = Schedule::of(policy)
        .reminder_days
        .first()
        .copied()
        .unwrap_or_default();
    (status.health, status.summary) = health(&status, i64::from(window));
    status
}

/// The clients on record that lost their entry, and the entries whose program is gone.
fn broken_clients(recorded: &AppState, holding: &[ClientHolding]) -> Vec<BrokenClient> {
    let gone = recorded
        .clients
        .iter()
        .filter(|configured| !holding.iter().any(|client| client.id == configured.id))
        .map(|configured| {
            let name = clients::ALL
                .into_iter()
                .find(|client| client.id == configured.id)
                .map_or_else(|| configured.id.clone(), |client| client.name.to_owned());
            let path = configured.config_path.display().to_string();
            BrokenClient {
                id: configured.id.clone(),
                problem: format!("{name} no longer holds the entry in {path}"),
                name,
                config_path: Some(path),
            }
        });
    let moved = holding.iter().filter_map(|client| {
        let program = client.missing_program.as_deref()?;
        Some(BrokenClient {
            id: client.id.clone(),
            name: client.name.clone(),
            config_path: client.config_path.clone(),
            problem: format!(
                "{}'s entry runs {program}, which is not there any more",
                client.name
            ),
        })
    });
    gone.chain(moved).collect()
}

/// The most urgent state that applies, and its line; `window` is the reminder window in days.
fn health(status: &SetupStatus, window: i64) -> (Health, String) {
    let rotate = "rotate it with rovo-mcp-setup rotate";
    if !status.configured {
        return (
            Health::NotSetUp,
            "no credential on record for this person: set it up with the app or \
             rovo-mcp-setup configure"
                .to_owned(),
        );
    }
    let credential = credential_words(status);
    if let (Some(days), Some(date)) = (status.days_left, status.expires_on)
        && days < 0
    {
        return (
            Health::Failing,
            format!("{credential} expired on {date}: {rotate}"),
        );
    }
    if let Some(check) = &status.last_check
        && refused(check.verdict)
    {
        let why = check
            .message
            .as_deref()
            .unwrap_or("signed in, but no product tool is usable");
        return (
            Health::Failing,
            format!(
                "the last check ({}) was refused: {why}",
                check.at.date_naive()
            ),
        );
    }
    if !status.broken_clients.is_empty() {
        let problems: Vec<&str> = status
            .broken_clients
            .iter()
            .map(|client| client.problem.as_str())
            .collect();
        return (
            Health::ClientBroken,
            format!(
                "{}: run rovo-mcp-setup configure again",
                problems.join("; ")
            ),
        );
    }
    if let (Some(days), Some(date)) = (status.days_left, status.expires_on)
        && days <= window
    {
        let when = match days {
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            days => format!("in {days} days"),
        };
        return (
            Health::Expiring,
            format!("{credential} expires {when} ({date}): {rotate}"),
        );
    }
    let expiry = match (status.expires_on, status.days_left) {
        (Some(date), Some(days)) => format!("expires {date} ({days} days)"),
        _ => "no expiry date on record".to_owned(),
    };
    let check = match &status.last_check {
        None => "not checked yet".to_owned(),
        Some(check) if check.verdict == Verdict::Ok => {
            format!("last checked ok {}", check.at.date_naive())
        }
        Some(check) => format!(
            "the last check ({}) could not finish: {}",
            check.at.date_naive(),
            check
                .message
                .as_deref()
                .unwrap_or("the server could not be reached")
        ),
    };
    let clients = match status.clients.len() {
        1 => "1 client".to_owned(),
        count => format!("{count} clients"),
    };
    (
        Health::Healthy,
        format!("{credential}, {expiry}, {check}, {clients}"),
    )
}

/// The credential on record, as a person names it.
fn credential_words(status: &SetupStatus) -> String {
    match (status.auth, status.email.as_deref()) {
        (Some(AuthMethod::Personal), Some(email)) => format!("the personal API token of {email}"),
        (Some(AuthMethod::Personal), None) => "the personal API token".to_owned(),
        (Some(AuthMethod::ServiceOauth), _) => format!(
            "the service account's OAuth client {}",
            status.client_id.as_deref().unwrap_or("?")
        ),
        _ => "the service-account API key".to_owned(),
    }
}

/// Whether a check's verdict says the credential itself is refused (not a network or server
/// fault, which the next check may not meet).
fn refused(verdict: Verdict) -> bool {
    matches!(
        verdict,
        Verdict::Limited
            | Verdict::Failed(
                ErrorKind::Unauthorized
                    | ErrorKind::Forbidden
                    | ErrorKind::ForbiddenIp
                    | ErrorKind::ForbiddenLegacyToken
                    | ErrorKind::OauthClientRejected
                    | ErrorKind::OauthGrantRefused
                    | ErrorKind::OauthScopeMissing
            )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_v1_endpoint_moves_to_v2_on_the_same_server_and_v2_stays() {
        for v1 in [
            "https://mcp.atlassian.com/v1/mcp",
            "https://mcp.atlassian.com/v1/mcp/authv2",
            "https://mcp.atlassian.com/v1/sse",
            "https://mcp.atlassian.com/v1/mcp/",
        ] {
            assert_eq!(
                endpoint_move(v1).map(|moved| moved.to),
                Some("https://mcp.atlassian.com/v2/mcp".to_owned()),
                "{v1} moves to v2"
            );
        }
        assert_eq!(
            endpoint_move("http://127.0.0.1:8080/v1/mcp?tenant=a").map(|moved| moved.to),
            Some("http://127.0.0.1:8080/v2/mcp?tenant=a".to_owned()),
            "the server and the query are kept"
        );
        assert_eq!(
            endpoint_move("https://mcp.atlassian.com/v2/mcp"),
            None,
            "v2 is where to be"
        );
        assert_eq!(
            endpoint_move("https://gateway.example.com/rovo"),
            None,
            "a gateway is not ours to move"
        );
        assert_eq!(endpoint_move("not a url"), None);
    }
}
