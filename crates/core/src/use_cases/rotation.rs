//! The tray's "Rotate token…" window as plain functions the desktop shell calls one per command:
//! what is set up now (whose credential, which clients), and, once the new secret passed the
//! check, the rotation itself: keychain, every client entry, the state file.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{ClientEnvironment, SecretMode};
use crate::domain::policy::load_policy;
use crate::domain::secrets::SecretStore;
use crate::plumbing::state::StateFile;
use crate::use_cases::setup::{self, RotateOutcome};
use crate::use_cases::status;
use crate::use_cases::wizard::{CheckedCredential, parse_expiry};
use crate::{Error, ErrorKind, Result};

/// The setup a rotation replaces the credential of.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RotationTarget {
    pub auth: AuthMethod,
    pub email: Option<String>,
    /// The client ID of a service account's OAuth client; the new secret is for it unless
    /// another client ID is entered.
    pub client_id: Option<String>,
    /// The endpoint the credential on record was checked against.
    pub endpoint: String,
    /// The move to v2, when that endpoint is a v1 one.
    pub endpoint_move: Option<status::EndpointMove>,
    /// `YYYY-MM-DD`, when the person gave one.
    pub expires_on: Option<String>,
    /// Days until the expiry date; negative once it has passed.
    pub days_left: Option<i32>,
    /// The clients whose config holds our entry now.
    pub clients: Vec<RotationClient>,
}

/// A client that holds our entry, and how it gets the secret.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RotationClient {
    pub id: String,
    pub name: String,
    pub mode: Option<SecretMode>,
}

/// What is set up as of `today`, read from the state file and the clients' files.
///
/// # Errors
/// `state_unreadable` when the state file cannot be read; `invalid_input` when nothing was set
/// up with this app yet (there is nothing to rotate: run the setup first).
pub fn rotation_target(
    environment: &ClientEnvironment,
    today: NaiveDate,
) -> Result<RotationTarget> {
    let policy = load_policy(environment)?;
    let state = StateFile::for_environment(environment);
    // An unreadable file is its own error, not "nothing set up".
    let recorded = state.load()?;
    let status = status::status_of(environment, recorded, None, &policy, today);
    let (Some(auth), Some(endpoint)) = (status.auth, status.endpoint) else {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "nothing is set up yet, so there is no token to rotate: open the setup and connect \
             your clients first",
        ));
    };
    Ok(RotationTarget {
        auth,
        email: status.email,
        client_id: status.client_id,
        endpoint_move: status.endpoint_move,
        endpoint,
        expires_on: status.expires_on.map(|date| date.to_string()),
        days_left: status
            .days_left
            .map(|days| i32::try_from(days).unwrap_or(i32::MAX)),
        clients: status
            .clients
            .into_iter()
            .map(|client| RotationClient {
                id: client.id,
                name: client.name,
                mode: client.mode,
            })
            .collect(),
    })
}

/// Replaces the credential everywhere with `checked`, which must have passed its check:
/// the keychain item, every entry that carries the header inline, and the state file.
/// `expires_on` is the new token's expiry as `YYYY-MM-DD`.
///
/// # Errors
/// `invalid_input` for a malformed date or a credential whose check was not `ok` (nothing is
/// changed then); the policy's and the state file's errors. A client that fails is reported in
/// the outcome.
pub fn rotate_checked(
    checked: &CheckedCredential,
    expires_on: Option<&str>,
    environment: &ClientEnvironment,
    keychain: &dyn SecretStore,
) -> Result<RotateOutcome> {
    let expires_on = parse_expiry(expires_on)?;
    let policy = load_policy(environment)?;
    setup::rotate(
        policy.entry_name(),
        checked.credential(),
        checked.endpoint(),
        checked.verdict(),
        expires_on,
        environment,
        keychain,
        &StateFile::for_environment(environment),
    )
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use rovo_stand_in::{Grant, StandInServer};
    use rovo_test_support::leak_scan::{self, ROTATED_TOKEN, SCOPED_TOKEN};

    use super::*;
    use crate::domain::clients::{self, Os};
    use crate::domain::credentials::prepare_credential;
    use crate::domain::probe::endpoint::EndpointChoice;
    use crate::domain::secrets::{InMemorySecretStore, Secret};
    use crate::use_cases::wizard::{self, ClientChoice, EnteredCredential, WindowVariables};

    const EMAIL: &str = "rotating@example.com";
    const OLD_TOKEN: &str = "ATATT3xOldToken0123456789";
    const NEW_TOKEN: &str = "ATATT3xNewToken9876543210";

    fn basic(token: &str) -> String {
        prepare_credential(AuthMethod::Personal, Some(EMAIL), &Secret::new(token))
            .unwrap()
            .authorization()
            .expose()
            .to_owned()
    }

    async fn checked(
        server: &StandInServer,
        token: &str,
        environment: &ClientEnvironment,
    ) -> CheckedCredential {
        let (_report, _close, checked) = wizard::check_entered(
            EnteredCredential {
                method: AuthMethod::Personal,
                email: Some(EMAIL),
                client_id: None,
                secret: &Secret::new(token),
                token_url: None,
            },
            EndpointChoice::Recommended,
            WindowVariables {
                endpoint: Some(server.url()),
                token_url: None,
            },
            environment,
            &mut |_| {},
        )
        .await
        .unwrap();
        checked.expect("a personal token always leaves a checked credential")
    }

    fn encoded(token: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{token}"))
    }

    #[tokio::test]
    async fn a_checked_new_token_replaces_the_old_one_in_the_keychain_and_every_inline_client() {
        let server = StandInServer::builder()
            .grant(basic(OLD_TOKEN), Grant::FullScope)
            .grant(basic(NEW_TOKEN), Grant::FullScope)
            .start()
            .await
            .unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(".cursor")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, root.path(), []);
        let keychain = InMemorySecretStore::default();
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(
            rotation_target(&environment, today).unwrap_err().kind(),
            ErrorKind::InvalidInput,
            "before any setup there is nothing to rotate"
        );

        let cursor = ClientChoice {
            id: "cursor".to_owned(),
            mode: Some(SecretMode::Inline),
        };
        let old = checked(&server, OLD_TOKEN, &environment).await;
        wizard::write_clients(
            &old,
            std::slice::from_ref(&cursor),
            false,
            &[],
            Some("2026-12-01"),
            &environment,
            &keychain,
        )
        .unwrap();
        let target = rotation_target(&environment, today).unwrap();
        assert_eq!(
            (target.auth, target.email.as_deref(), target.days_left),
            (AuthMethod::Personal, Some(EMAIL), Some(4)),
            "the target is the credential on record"
        );
        assert_eq!(
            target.endpoint,
            server.url(),
            "the check runs where the old one did"
        );
        assert!(
            target.clients.iter().any(|client| client.id == "cursor"),
            "Cursor holds our entry: {target:?}"
        );

        let new = checked(&server, NEW_TOKEN, &environment).await;
        let outcome = rotate_checked(&new, Some("2027-11-27"), &environment, &keychain).unwrap();
        assert_eq!(
            outcome.exit_code(),
            0,
            "every client was rewritten: {outcome:?}"
        );
        let file = std::fs::read_to_string(root.path().join(".cursor/mcp.json")).unwrap();
        assert!(
            file.contains(&encoded(NEW_TOKEN)) && !file.contains(&encoded(OLD_TOKEN)),
            "Cursor's entry carries the new credential only: {file}"
        );
        let account =
            crate::domain::credentials::keychain_account(AuthMethod::Personal, Some(EMAIL));
        assert_eq!(
            keychain
                .read(&account)
                .unwrap()
                .map(|secret| secret.expose().to_owned()),
            Some(NEW_TOKEN.to_owned()),
            "the keychain holds the new token"
        );
        assert_eq!(
            rotation_target(&environment, today)
                .unwrap()
                .expires_on
                .as_deref(),
            Some("2027-11-27"),
            "the new expiry is on record for the reminders"
        );
    }

    /// The leak scan's findings of `secret` (one of its test secrets, by name) in every file
    /// under `root`: configs, backups, the state file.
    fn files_holding(root: &std::path::Path, secret: &str) -> Vec<std::path::PathBuf> {
        leak_scan::every_file_under(root)
            .into_iter()
            .filter(|path| {
                leak_scan::leaks_in(path, &std::fs::read(path).unwrap())
                    .iter()
                    .any(|leak| leak.secret == secret)
            })
            .collect()
    }

    #[tokio::test]
    async fn no_backup_outlives_the_token_a_rotation_replaced_and_removal_still_restores() {
        let server = StandInServer::builder()
            .grant(basic(SCOPED_TOKEN), Grant::FullScope)
            .grant(basic(ROTATED_TOKEN), Grant::FullScope)
            .start()
            .await
            .unwrap();
        let root = tempfile::tempdir().unwrap();
        let cursor_file = root.path().join(".cursor/mcp.json");
        std::fs::create_dir_all(cursor_file.parent().unwrap()).unwrap();
        let persons_own =
            "{\n  // mine\n  \"mcpServers\": {\n    \"other\": {\"url\": \"https://x\"}\n  }\n}\n";
        std::fs::write(&cursor_file, persons_own).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, root.path(), []);
        let keychain = InMemorySecretStore::default();
        let cursor = ClientChoice {
            id: "cursor".to_owned(),
            mode: Some(SecretMode::Inline),
        };
        let old = checked(&server, SCOPED_TOKEN, &environment).await;
        for all_tools in [false, true] {
            // The second setup changes the URL, so its backup holds the token.
            let write = wizard::write_clients(
                &old,
                std::slice::from_ref(&cursor),
                all_tools,
                &[],
                None,
                &environment,
                &keychain,
            );
            assert_eq!(write.unwrap().0.setup.exit_code(), 0, "Cursor is set up");
        }
        assert!(
            !files_holding(root.path(), "SCOPED_TOKEN").is_empty(),
            "before the rotation the old token is in Cursor's file and its backup"
        );

        let new = checked(&server, ROTATED_TOKEN, &environment).await;
        let outcome = rotate_checked(&new, None, &environment, &keychain).unwrap();

        assert_eq!(outcome.exit_code(), 0, "Cursor rotated: {outcome:?}");
        assert_eq!(
            files_holding(root.path(), "SCOPED_TOKEN"),
            Vec::<std::path::PathBuf>::new(),
            "no config, backup or state file holds the replaced token in any encoding"
        );
        assert_eq!(
            outcome.clients[0].backup, None,
            "the rotation's own backup held the old token, so it is gone and not named"
        );
        let backups = clients::backup_folder(&environment).join("cursor");
        assert!(
            std::fs::read_dir(&backups)
                .unwrap()
                .any(
                    |backup| std::fs::read_to_string(backup.unwrap().path()).unwrap()
                        == persons_own
                ),
            "the backup from before our entry holds no secret and stays"
        );

        let cursor_client = clients::find("cursor").unwrap();
        clients::plan_remove(
            cursor_client,
            &environment,
            clients::DEFAULT_SERVER_NAME,
            &clients::backup_folder(&environment),
            clients::FileOrigin::Found,
        )
        .unwrap()
        .apply(&clients::backup_folder(&environment))
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&cursor_file).unwrap(),
            persons_own,
            "removing our entry gives Cursor's file back byte for byte after the rotation"
        );
    }

    /// A temporary home where Cursor holds [`OLD_TOKEN`] inline, set up by the wizard against
    /// `server`, with the keychain it used.
    async fn cursor_inline_with_the_old_token(
        server: &StandInServer,
    ) -> (tempfile::TempDir, ClientEnvironment, InMemorySecretStore) {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(".cursor")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, root.path(), []);
        let keychain = InMemorySecretStore::default();
        let old = checked(server, OLD_TOKEN, &environment).await;
        let cursor = ClientChoice {
            id: "cursor".to_owned(),
            mode: Some(SecretMode::Inline),
        };
        wizard::write_clients(&old, &[cursor], false, &[], None, &environment, &keychain).unwrap();
        (root, environment, keychain)
    }

    #[tokio::test]
    async fn a_new_token_that_fails_its_check_changes_nothing() {
        let server = StandInServer::builder()
            .grant(basic(OLD_TOKEN), Grant::FullScope)
            .start()
            .await
            .unwrap();
        let (root, environment, keychain) = cursor_inline_with_the_old_token(&server).await;
        let before = std::fs::read(root.path().join(".cursor/mcp.json")).unwrap();

        let refused = checked(&server, NEW_TOKEN, &environment).await;
        let error = rotate_checked(&refused, None, &environment, &keychain).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert_eq!(
            std::fs::read(root.path().join(".cursor/mcp.json")).unwrap(),
            before,
            "Cursor's file is untouched by a token the server refused"
        );
    }

    #[tokio::test]
    async fn an_oauth_clients_token_never_goes_into_a_file_that_held_a_token_inline() {
        use rovo_stand_in::TokenAnswer;

        const CLIENT_ID: &str = "stand-in-client-0123456789abcdef";
        let server = StandInServer::builder()
            .grant(basic(OLD_TOKEN), Grant::FullScope)
            .oauth_client(
                CLIENT_ID,
                leak_scan::OAUTH_CLIENT_SECRET,
                TokenAnswer::Issue {
                    grant: Grant::FullScope,
                    lifetime: std::time::Duration::from_secs(3600),
                },
            )
            .start()
            .await
            .unwrap();
        let (root, environment, keychain) = cursor_inline_with_the_old_token(&server).await;
        let before = std::fs::read(root.path().join(".cursor/mcp.json")).unwrap();

        let (_report, _close, oauth) = wizard::check_entered(
            EnteredCredential {
                method: AuthMethod::ServiceOauth,
                email: None,
                client_id: Some(CLIENT_ID),
                secret: &Secret::new(leak_scan::OAUTH_CLIENT_SECRET),
                token_url: None,
            },
            EndpointChoice::Recommended,
            WindowVariables {
                endpoint: Some(server.url()),
                token_url: Some(server.token_url()),
            },
            &environment,
            &mut |_| {},
        )
        .await
        .unwrap();
        let outcome = rotate_checked(
            &oauth.expect("the client passes"),
            None,
            &environment,
            &keychain,
        )
        .unwrap();
        let cursor = outcome
            .clients
            .iter()
            .find(|client| client.id == "cursor")
            .expect("Cursor's inline entry is named in the outcome");
        assert!(
            cursor
                .error
                .as_ref()
                .is_some_and(|error| error.message.contains("keychain")),
            "Cursor is told to move to a keychain entry: {cursor:?}"
        );
        assert_eq!(
            std::fs::read(root.path().join(".cursor/mcp.json")).unwrap(),
            before,
            "no access token is written into Cursor's file"
        );
    }
}
