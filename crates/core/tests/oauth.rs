//! A service account's OAuth client against the stand-in token endpoint and MCP server: the
//! exchange and the probe with the token it gives, every refusal of the token endpoint as its
//! own kind with the status and no secret, a token endpoint that hangs, and a token renewed
//! before it expires and after the server stops taking it.

use std::time::Duration;

use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::prepare_credential;
use rovo_mcp_core::domain::oauth::{self, ClientCredentials, TokenSource};
use rovo_mcp_core::domain::probe::{self, Endpoint, ProbeOptions, Verdict};
use rovo_mcp_core::domain::secrets::Secret;
use rovo_stand_in::{ACCESS_TOKEN_PREFIX, Grant, StandInServer, TokenAnswer};
use rovo_test_support::leak_scan;

const CLIENT_ID: &str = "stand-in-client-0123456789abcdef";
const CLIENT_SECRET: &str = leak_scan::OAUTH_CLIENT_SECRET;

fn credentials(client_id: &str) -> ClientCredentials {
    ClientCredentials::new(client_id, &Secret::new(CLIENT_SECRET)).expect("a well-formed client")
}

async fn server(answer: TokenAnswer) -> StandInServer {
    StandInServer::builder()
        .oauth_client(CLIENT_ID, CLIENT_SECRET, answer)
        .start()
        .await
        .expect("the stand-in starts")
}

fn hour() -> TokenAnswer {
    TokenAnswer::Issue {
        grant: Grant::FullScope,
        lifetime: Duration::from_secs(3600),
    }
}

async fn verdict_with(server: &StandInServer, authorization: &Secret) -> Verdict {
    let token = authorization
        .expose()
        .strip_prefix("Bearer ")
        .expect("a bearer header");
    let credential = prepare_credential(AuthMethod::Service, None, &Secret::new(token))
        .expect("an access token is a well-formed bearer credential");
    let endpoint = Endpoint::parse(server.url()).unwrap();
    let (report, _close) = probe::probe(
        &endpoint,
        &credential,
        &ProbeOptions::default(),
        &mut |_| {},
    )
    .await;
    report.verdict
}

#[tokio::test]
async fn the_exchanged_token_signs_in_and_lists_every_tool() {
    let server = server(hour()).await;
    let endpoint = oauth::token_endpoint(Some(server.token_url()), None).unwrap();
    let token = oauth::exchange(&endpoint, &credentials(CLIENT_ID))
        .await
        .expect("the token endpoint issues a token");
    assert!(
        token.authorization().expose().starts_with("Bearer ")
            && token.authorization().expose().contains(ACCESS_TOKEN_PREFIX),
        "the header carries the issued token"
    );
    assert_eq!(token.lifetime(), Duration::from_secs(3600));
    assert_eq!(
        verdict_with(&server, token.authorization()).await,
        Verdict::Ok,
        "the MCP server takes the token as any bearer credential"
    );
}

#[tokio::test]
async fn each_refusal_of_the_token_endpoint_is_its_own_kind_with_no_secret() {
    for (answer, client_id, kind, status) in [
        (
            hour(),
            "someone-else",
            ErrorKind::OauthClientRejected,
            "HTTP 401",
        ),
        (
            TokenAnswer::GrantNotAllowed,
            CLIENT_ID,
            ErrorKind::OauthGrantRefused,
            "HTTP 403",
        ),
        (
            TokenAnswer::MissingScopes,
            CLIENT_ID,
            ErrorKind::OauthScopeMissing,
            "HTTP 400",
        ),
        (
            TokenAnswer::HtmlPage,
            CLIENT_ID,
            ErrorKind::TokenEndpointInvalid,
            "HTTP 200",
        ),
        (
            TokenAnswer::NoLifetime,
            CLIENT_ID,
            ErrorKind::TokenEndpointInvalid,
            "without `expires_in`",
        ),
        (
            TokenAnswer::Unavailable,
            CLIENT_ID,
            ErrorKind::ServerError,
            "HTTP 503",
        ),
    ] {
        let server = server(answer.clone()).await;
        let endpoint = oauth::token_endpoint(Some(server.token_url()), None).unwrap();
        let error = oauth::exchange(&endpoint, &credentials(client_id))
            .await
            .expect_err("refused");
        assert_eq!(error.kind(), kind, "{answer:?}: {}", error.message());
        let reply = error.reply().expect("the reply travels with the error");
        assert!(
            error.message().contains(&format!("HTTP {}", reply.status))
                || status.starts_with("without"),
            "{answer:?}: the reply's own status is the one the message names: {}",
            error.message()
        );
        assert!(
            error.message().contains(status) && error.message().contains(server.token_url()),
            "the message names the endpoint and what it answered: {}",
            error.message()
        );
        assert!(
            !error.message().contains(CLIENT_SECRET)
                && !error.message().contains(ACCESS_TOKEN_PREFIX),
            "no secret and no token in the message: {}",
            error.message()
        );
    }
}

#[tokio::test]
async fn a_token_endpoint_that_hangs_is_a_timeout_and_one_that_is_closed_a_network_failure() {
    let server = server(TokenAnswer::Hang).await;
    let endpoint = oauth::token_endpoint(Some(server.token_url()), None).unwrap();
    let error = oauth::exchange_within(
        &endpoint,
        &credentials(CLIENT_ID),
        Duration::from_millis(300),
    )
    .await
    .expect_err("no answer");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{}", error.message());

    let closed = oauth::token_endpoint(Some("http://127.0.0.1:9/oauth/token"), None).unwrap();
    let error = oauth::exchange(&closed, &credentials(CLIENT_ID))
        .await
        .expect_err("nothing listens");
    assert_eq!(error.kind(), ErrorKind::Network, "{}", error.message());
}

#[test]
fn the_token_endpoint_follows_the_endpoint_rule() {
    for refused in [
        "http://auth.example.com/oauth/token",
        "https://user:pass@auth.example.com/oauth/token",
        "not a url",
    ] {
        let error = oauth::token_endpoint(Some(refused), None).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{refused}");
    }
    let chosen = oauth::token_endpoint(None, Some("http://127.0.0.1:8080/oauth/token")).unwrap();
    assert_eq!(
        chosen.url().as_str(),
        "http://127.0.0.1:8080/oauth/token",
        "the variable"
    );
    let default = oauth::token_endpoint(None, Some("  ")).unwrap();
    assert_eq!(
        default.url().as_str(),
        oauth::DEFAULT_TOKEN_URL,
        "an empty variable is unset"
    );
}

#[tokio::test]
async fn a_token_is_kept_while_fresh_and_renewed_when_the_server_stops_taking_it() {
    let server = server(TokenAnswer::Issue {
        grant: Grant::FullScope,
        lifetime: Duration::from_secs(2),
    })
    .await;
    let source = TokenSource::new(
        oauth::token_endpoint(Some(server.token_url()), None).unwrap(),
        credentials(CLIENT_ID),
    );
    let first = source.authorization().await.unwrap();
    let again = source.authorization().await.unwrap();
    assert_eq!(first.expose(), again.expose(), "a fresh token is reused");
    assert_eq!(server.access_tokens_issued(), 1);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let renewed = source.authorization().await.unwrap();
    assert_ne!(
        renewed.expose(),
        first.expose(),
        "a two-second token is renewed halfway, before it can expire on the way"
    );

    server.expire_access_tokens();
    assert_eq!(
        verdict_with(&server, &renewed).await,
        Verdict::Failed(ErrorKind::Unauthorized),
        "the server refuses an expired token"
    );
    source.discard().await;
    let fresh = source.authorization().await.unwrap();
    assert_eq!(
        verdict_with(&server, &fresh).await,
        Verdict::Ok,
        "after the refusal a new token signs in again"
    );
    assert_eq!(server.access_tokens_issued(), 3);
}

/// What the wizard's check is given for `client_id` and `secret`, on the token endpoint of
/// `server` as the window's `ROVO_MCP_TOKEN_URL`.
async fn wizard_check(
    server: &StandInServer,
    home: &std::path::Path,
    client_id: &str,
    secret: &str,
) -> rovo_mcp_core::Result<(
    probe::ProbeReport,
    Option<rovo_mcp_core::use_cases::wizard::CheckedCredential>,
)> {
    wizard_check_in(
        server,
        home,
        (client_id, secret),
        probe::endpoint::EndpointChoice::Recommended,
        Some(server.token_url()),
    )
    .await
}

/// The wizard's check of `client` (ID and secret) against `endpoint`, with `token_url` as the
/// window's `ROVO_MCP_TOKEN_URL`.
async fn wizard_check_in(
    server: &StandInServer,
    home: &std::path::Path,
    (client_id, secret): (&str, &str),
    endpoint: probe::endpoint::EndpointChoice,
    token_url: Option<&str>,
) -> rovo_mcp_core::Result<(
    probe::ProbeReport,
    Option<rovo_mcp_core::use_cases::wizard::CheckedCredential>,
)> {
    use rovo_mcp_core::domain::clients::{ClientEnvironment, Os};
    use rovo_mcp_core::use_cases::wizard::{self, EnteredCredential, WindowVariables};

    let environment = ClientEnvironment::new(Os::Linux, home, []).with_machine_policy(Vec::new());
    let (report, _close, checked) = wizard::check_entered(
        EnteredCredential {
            method: AuthMethod::ServiceOauth,
            email: None,
            client_id: Some(client_id),
            secret: &Secret::new(secret),
            token_url: None,
        },
        endpoint,
        WindowVariables {
            endpoint: Some(server.url()),
            token_url,
        },
        &environment,
        &mut |_| {},
    )
    .await?;
    Ok((report, checked))
}

#[tokio::test]
async fn the_wizard_check_exchanges_the_pasted_client_then_probes_and_keeps_it_for_the_keychain() {
    let server = server(hour()).await;
    let home = tempfile::tempdir().unwrap();

    let (report, checked) = wizard_check(
        &server,
        home.path(),
        &format!("  {CLIENT_ID}\n"),
        &format!("{CLIENT_SECRET}\r\n"),
    )
    .await
    .expect("spaces and line breaks around the ID and secret are cleaned off");
    assert_eq!(report.verdict, Verdict::Ok, "{report:?}");
    assert!(
        !report.tools.is_empty(),
        "the tool list is the access token's, as for the other methods"
    );
    assert_eq!(
        report.auth,
        Some(AuthMethod::ServiceOauth),
        "the report names the method"
    );
    let checked = checked.expect("a passing check keeps the client for the write step");
    assert_eq!(checked.verdict(), Verdict::Ok);
    assert!(
        !format!("{checked:?}").contains(CLIENT_SECRET),
        "the kept client never shows its secret"
    );
    assert_eq!(server.access_tokens_issued(), 1, "one exchange per check");
}

#[tokio::test]
async fn the_wizard_check_shows_a_refused_client_as_its_verdict_and_keeps_nothing() {
    let server = server(hour()).await;
    let home = tempfile::tempdir().unwrap();

    let (report, checked) = wizard_check(&server, home.path(), CLIENT_ID, "a-wrong-secret")
        .await
        .expect("a refusal of the token endpoint is the check's verdict, not a refused input");
    assert_eq!(
        report.verdict,
        Verdict::Failed(ErrorKind::OauthClientRejected),
        "{report:?}"
    );
    let failure = report.error.as_ref().expect("the failure is explained");
    assert_eq!(
        (
            failure.http_status,
            failure
                .body_excerpt
                .as_deref()
                .is_some_and(|body| body.contains("access_denied"))
        ),
        (Some(401), true),
        "the status and the start of the body are kept apart, as for the MCP server's: {failure:?}"
    );
    assert!(
        !failure.message.contains("a-wrong-secret") && !failure.hint.is_empty(),
        "the message has no secret and a next step: {failure:?}"
    );
    assert!(
        checked.is_none(),
        "nothing is kept for the write step: a refused client cannot be set up"
    );

    let pasted_twice = wizard_check(&server, home.path(), CLIENT_SECRET, CLIENT_SECRET)
        .await
        .expect_err("the secret pasted into the ID field is refused before anything is sent");
    assert_eq!(pasted_twice.kind(), ErrorKind::InvalidInput);
    assert!(
        !pasted_twice.message().contains(CLIENT_SECRET),
        "the refusal never repeats the secret: {}",
        pasted_twice.message()
    );
    assert_eq!(
        server.access_tokens_issued(),
        0,
        "no token was issued for either"
    );
}

#[tokio::test]
async fn a_new_secret_for_the_client_on_record_goes_to_the_token_endpoint_it_was_set_up_with() {
    use rovo_mcp_core::domain::clients::{ClientEnvironment, Os, SecretMode};
    use rovo_mcp_core::domain::probe::endpoint::EndpointChoice;
    use rovo_mcp_core::domain::secrets::InMemorySecretStore;
    use rovo_mcp_core::use_cases::wizard::{self, ClientChoice};

    let server = server(hour()).await;
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".cursor")).unwrap();
    let (_report, checked) = wizard_check(&server, home.path(), CLIENT_ID, CLIENT_SECRET)
        .await
        .unwrap();
    let environment =
        ClientEnvironment::new(Os::Linux, home.path(), []).with_machine_policy(Vec::new());
    wizard::write_clients(
        &checked.expect("the client passes"),
        &[ClientChoice {
            id: "cursor".to_owned(),
            mode: Some(SecretMode::Keychain),
        }],
        false,
        &[],
        None,
        &environment,
        &InMemorySecretStore::default(),
    )
    .expect("the client is set up");

    // A variable naming a closed port: were it used, the check would fail with `network`.
    let (report, _checked) = wizard_check_in(
        &server,
        home.path(),
        (CLIENT_ID, CLIENT_SECRET),
        EndpointChoice::OnRecord,
        Some("http://127.0.0.1:9/oauth/token"),
    )
    .await
    .expect("the rotate window's check of a new secret");
    assert_eq!(
        report.verdict,
        Verdict::Ok,
        "the token endpoint on record is used, as the bridge uses it, over ROVO_MCP_TOKEN_URL: {report:?}"
    );
}

#[tokio::test]
async fn an_oauth_client_is_refused_before_anything_is_sent_when_the_policy_keeps_secrets_in_files()
{
    use rovo_mcp_core::domain::clients::{ClientEnvironment, Os};
    use rovo_mcp_core::domain::probe::endpoint::EndpointChoice;
    use rovo_mcp_core::use_cases::wizard::{self, EnteredCredential, WindowVariables};

    let server = server(hour()).await;
    let home = tempfile::tempdir().unwrap();
    let policy = home.path().join("policy.json");
    std::fs::write(&policy, r#"{ "secretMode": "inline" }"#).unwrap();
    let environment = ClientEnvironment::new(
        Os::Linux,
        home.path(),
        [(
            rovo_mcp_core::domain::policy::POLICY_ENV,
            policy.to_str().unwrap(),
        )],
    );
    let refused = wizard::check_entered(
        EnteredCredential {
            method: AuthMethod::ServiceOauth,
            email: None,
            client_id: Some(CLIENT_ID),
            secret: &Secret::new(CLIENT_SECRET),
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
    .expect_err("an hour-long token cannot be kept where the policy says");
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    assert!(
        refused.message().contains("keychain") && refused.message().contains("inline"),
        "the refusal says why and names the policy's mode: {}",
        refused.message()
    );
    assert_eq!(server.access_tokens_issued(), 0, "nothing was exchanged");
}
