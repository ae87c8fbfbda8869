//! Where the setup stands (design §7 `status`, and the tray's status line): the credential on
//! record, its expiry, the last check, and every client that holds our entry right now.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{self, ClientEnvironment, SecretMode};
use crate::plumbing::state::{AppState, CheckRecord, StateFile};

/// The status of the whole setup.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupStatus {
    /// Whether a credential was set up with this app.
    pub configured: bool,
    pub auth: Option<AuthMethod>,
    pub email: Option<String>,
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
}

/// The status as of `today`, from the state file and the clients' own files; a state file
/// that cannot be read is reported in the status, as if nothing were on record.
pub fn setup_status(
    environment: &ClientEnvironment,
    state: &StateFile,
    server_name: &str,
    today: NaiveDate,
) -> SetupStatus {
    match state.load() {
        Ok(recorded) => status_of(environment, recorded, None, server_name, today),
        Err(error) => status_of(
            environment,
            AppState::default(),
            Some(error.message().to_owned()),
            server_name,
            today,
        ),
    }
}

/// The status as of `today`, from what the state file holds (`recorded`, read by the caller)
/// and the clients' own files.
pub fn status_of(
    environment: &ClientEnvironment,
    recorded: AppState,
    state_error: Option<String>,
    server_name: &str,
    today: NaiveDate,
) -> SetupStatus {
    let clients = clients::ALL
        .into_iter()
        .filter_map(|client| {
            let status = clients::status(client, environment, server_name);
            let entry = status.entry?;
            Some(ClientHolding {
                id: status.id,
                name: status.name,
                config_path: status.config_path,
                mode: entry.mode,
                url: entry.url,
                former_path: status.former_path,
            })
        })
        .collect();
    let credential = recorded.credential.as_ref();
    let expires_on = credential.and_then(|credential| credential.expires_on);
    SetupStatus {
        configured: credential.is_some(),
        auth: credential.map(|credential| credential.auth),
        email: credential.and_then(|credential| credential.email.clone()),
        endpoint: credential.map(|credential| credential.endpoint.clone()),
        endpoint_move: credential.and_then(|credential| endpoint_move(&credential.endpoint)),
        expires_on,
        days_left: expires_on.map(|date| (date - today).num_days()),
        last_check: recorded.last_check,
        clients,
        state_error,
    }
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
