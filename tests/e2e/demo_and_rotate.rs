//! The demo and the "Rotate token…" window in the real webview: `--demo` walks the whole wizard
//! against the built-in stand-in server without touching the person's home, and the rotate
//! window checks a new token and puts it into every client.

use std::path::Path;

use base64::Engine as _;
use rovo_e2e::AppSession;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::clients::{ClientEnvironment, Os, SecretMode};
use rovo_mcp_core::domain::credentials::prepare_credential;
use rovo_mcp_core::domain::probe::endpoint::EndpointChoice;
use rovo_mcp_core::domain::secrets::{InMemorySecretStore, Secret};
use rovo_mcp_core::use_cases::wizard::{self, ClientChoice};
use rovo_stand_in::{Grant, StandInServer, TokenAnswer};
use rovo_test_support::leak_scan;

const EMAIL: &str = "me@example.com";

/// Every file under `folder`, relative to it: what a home holds.
fn files_under(folder: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(folder).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// The environment that keeps the app's own files (and those of `WebKit`) in `home`.
fn home_environment(home: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("HOME", home.display().to_string()),
        (
            "XDG_CONFIG_HOME",
            home.join(".config").display().to_string(),
        ),
        (
            "XDG_DATA_HOME",
            home.join(".local/share").display().to_string(),
        ),
        ("XDG_CACHE_HOME", home.join(".cache").display().to_string()),
    ]
}

fn as_pairs<'a>(environment: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    environment
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

/// Signs in on the demo with `email` and a personal `token` that passes, and goes on to the
/// tools step.
async fn sign_in_to_the_tools_step(app: &AppSession, email: &str, token: &str) {
    app.click("label[for=method-personal]").await.unwrap();
    app.wait_for_text("#method-answer", "Basic").await.unwrap();
    app.click("#next").await.unwrap();
    app.type_into("#credential-email", email).await.unwrap();
    app.type_into("#credential-apiToken", token).await.unwrap();
    app.click("#next").await.unwrap();
    app.wait_for_text("#check-outcome[data-outcome=ok]", "")
        .await
        .unwrap();
    app.click("#next").await.unwrap();
}

/// Signs in on the demo with a scoped personal token and goes on to step 5.
async fn sign_in_to_the_clients_step(app: &AppSession) {
    sign_in_to_the_tools_step(app, "someone@example.com", leak_scan::SCOPED_TOKEN).await;
    let tools = app.wait_for_text("#tools-summary", "tools").await.unwrap();
    assert!(
        tools.contains("products"),
        "the demo lists the tools of several products: {tools:?}"
    );
    app.click("#next").await.unwrap();
}

#[tokio::test]
async fn the_demo_walks_the_whole_wizard_in_a_sandbox_and_leaves_the_home_alone() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    std::fs::create_dir_all(home.join(".cursor")).unwrap();
    let cursor_before = "{ \"mcpServers\": {} }\n";
    std::fs::write(home.join(".cursor/mcp.json"), cursor_before).unwrap();
    let environment = home_environment(&home);
    let app = AppSession::start_with(&["--demo"], &as_pairs(&environment))
        .await
        .expect("the demo starts under tauri-driver");
    let home_before: Vec<String> = files_under(&home)
        .into_iter()
        .filter(|file| !file.starts_with(".cache") && !file.starts_with(".local"))
        .collect();

    let banner = app.wait_for_text("#demo-banner", "Demo").await.unwrap();
    let Some((_, sandbox)) = banner.split_once("Sandbox: ") else {
        panic!("the banner names the sandbox: {banner:?}");
    };
    let sandbox = sandbox.trim().to_owned();
    assert!(
        !Path::new(&sandbox).starts_with(&home),
        "the sandbox is not inside the person's home: {sandbox}"
    );
    app.screenshot("demo-method").await.unwrap();

    sign_in_to_the_clients_step(&app).await;

    let cursor = app
        .wait_for_text("[data-client=cursor]", "Cursor")
        .await
        .unwrap();
    assert!(
        cursor.contains(&sandbox),
        "the clients step shows the sandbox's files, not the home's: {cursor:?}"
    );
    app.wait_for_text("[data-client=zed]", "cannot be read")
        .await
        .unwrap();
    app.screenshot("demo-clients").await.unwrap();
    app.click("#next").await.unwrap();
    app.wait_for_text(".results", "Cursor").await.unwrap();
    let sandbox_cursor = std::fs::read_to_string(Path::new(&sandbox).join(".cursor/mcp.json"))
        .expect("the sandbox's Cursor file is there");
    assert!(
        sandbox_cursor.contains("atlassian-rovo-mcp")
            && sandbox_cursor.contains("My own servers stay"),
        "the sandbox's Cursor file got our entry and kept its comment: {sandbox_cursor}"
    );
    app.click("#next").await.unwrap();
    app.wait_for_text("#step-title", "All set").await.unwrap();
    app.wait_for_text("#keep-reminded-hint", "demo")
        .await
        .unwrap();
    let reminded_disabled = app
        .client
        .execute(
            "return document.querySelector('#keep-reminded').disabled;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        reminded_disabled.as_bool(),
        Some(true),
        "the demo never starts at login"
    );
    app.screenshot("demo-done").await.unwrap();
    app.close().await.unwrap();

    assert_eq!(
        std::fs::read_to_string(home.join(".cursor/mcp.json")).unwrap(),
        cursor_before,
        "the person's own Cursor file is untouched"
    );
    let home_after: Vec<String> = files_under(&home)
        .into_iter()
        .filter(|file| !file.starts_with(".cache") && !file.starts_with(".local"))
        .collect();
    assert_eq!(
        home_after, home_before,
        "the demo wrote nothing into the home (no state, no backups, no autostart entry)"
    );

    // WebKitWebDriver ends the app without an exit event, as a crash would: the next demo
    // deletes the sandbox it left behind. On a loaded machine the process may take a moment to
    // go, and its lock with it; the next demo starts once it has.
    wait_for_the_lock_to_be_free(&Path::new(&sandbox).join(".demo.lock")).await;
    let next = AppSession::start_with(&["--demo"], &as_pairs(&environment))
        .await
        .expect("a second demo starts");
    next.wait_for_text("#demo-banner", "Demo").await.unwrap();
    assert!(
        !Path::new(&sandbox).exists(),
        "the killed demo's sandbox was removed by the next one"
    );
    next.close().await.unwrap();
}

/// Waits up to ten seconds until no process holds the lock at `path`.
async fn wait_for_the_lock_to_be_free(path: &Path) {
    for _ in 0..100 {
        let free = std::fs::File::open(path).is_ok_and(|lock| lock.try_lock().is_ok());
        if free {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the killed demo still holds {} after ten seconds",
        path.display()
    );
}

fn encoded(token: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{token}"))
}

/// A setup of `entered` on `home` (endpoint and token endpoint on `server`), as the wizard
/// makes it, with Cursor in `mode`.
async fn set_up_cursor(
    server: &StandInServer,
    entered: wizard::EnteredCredential<'_>,
    mode: SecretMode,
    home: &Path,
) {
    std::fs::create_dir_all(home.join(".cursor")).unwrap();
    let setup_environment = ClientEnvironment::new(
        Os::Linux,
        home,
        [
            ("XDG_CONFIG_HOME", home.join(".config").to_str().unwrap()),
            ("XDG_DATA_HOME", home.join(".local/share").to_str().unwrap()),
        ],
    );
    let (_report, _close, checked) = wizard::check_entered(
        entered,
        EndpointChoice::Recommended,
        wizard::WindowVariables {
            endpoint: Some(server.url()),
            token_url: Some(server.token_url()),
        },
        &setup_environment,
        &mut |_| {},
    )
    .await
    .unwrap();
    wizard::write_clients(
        &checked.expect("the credential passes"),
        &[ClientChoice {
            id: "cursor".to_owned(),
            mode: Some(mode),
        }],
        false,
        &[],
        Some("2026-12-01"),
        &setup_environment,
        &InMemorySecretStore::default(),
    )
    .unwrap();
}

/// A setup made with `token` on `home`, with Cursor holding it inline, as the wizard makes it.
async fn set_up_cursor_with(server: &StandInServer, token: &str, home: &Path) {
    let entered = wizard::EnteredCredential {
        method: AuthMethod::Personal,
        email: Some(EMAIL),
        client_id: None,
        secret: &Secret::new(token),
        token_url: None,
    };
    set_up_cursor(server, entered, SecretMode::Inline, home).await;
}

#[tokio::test]
async fn the_rotate_window_checks_a_new_token_and_puts_it_into_every_client() {
    let old_token = leak_scan::SCOPED_TOKEN;
    let new_token = leak_scan::ROTATED_TOKEN;
    let authorization = |token: &str| {
        prepare_credential(AuthMethod::Personal, Some(EMAIL), &Secret::new(token))
            .unwrap()
            .authorization()
            .expose()
            .to_owned()
    };
    let server = StandInServer::builder()
        .grant(authorization(old_token), Grant::FullScope)
        .grant(authorization(new_token), Grant::FullScope)
        .start()
        .await
        .unwrap();
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    set_up_cursor_with(&server, old_token, &home).await;
    let cursor_file = home.join(".cursor/mcp.json");
    assert!(
        std::fs::read_to_string(&cursor_file)
            .unwrap()
            .contains(&encoded(old_token)),
        "the setup holds the old token"
    );

    let environment = home_environment(&home);
    let app = AppSession::start_with_env(&as_pairs(&environment))
        .await
        .expect("the app starts under tauri-driver");
    let on_record = app.wait_for_text("#setup-on-record", EMAIL).await.unwrap();
    assert!(
        on_record.contains("Cursor"),
        "the first step says what is set up: {on_record:?}"
    );
    app.click("#open-rotate").await.unwrap();
    app.switch_to_window_showing("#rotate-token").await.unwrap();
    app.wait_for_text("[data-client=cursor]", "settings file")
        .await
        .unwrap();

    app.type_into("#rotate-token", "not-the-right-token")
        .await
        .unwrap();
    app.click("#check").await.unwrap();
    app.wait_for_text("[data-verdict=unauthorized]", "")
        .await
        .unwrap();
    assert!(
        app.client
            .find(fantoccini::Locator::Css("#apply"))
            .await
            .is_err(),
        "a refused token cannot be applied"
    );

    app.type_into("#rotate-token", new_token).await.unwrap();
    app.click("#check").await.unwrap();
    app.wait_for_text("[data-verdict=ok]", "works")
        .await
        .unwrap();
    app.screenshot("rotate-checked").await.unwrap();
    let violations = app.serious_accessibility_violations().await;
    assert!(
        violations.is_empty(),
        "the rotate window passes the audit: {violations:#?}"
    );
    assert!(
        std::fs::read_to_string(&cursor_file)
            .unwrap()
            .contains(&encoded(old_token)),
        "nothing changes before Apply"
    );
    app.click("#apply").await.unwrap();
    app.wait_for_text("#rotate-finished", "new token")
        .await
        .unwrap();
    let results = app.text(".results").await.unwrap();
    assert!(
        results.contains("Cursor") && results.contains("Updated"),
        "the result names Cursor as updated: {results:?}"
    );
    app.screenshot("rotate-applied").await.unwrap();

    let cursor = std::fs::read_to_string(&cursor_file).unwrap();
    assert!(
        cursor.contains(&encoded(new_token)) && !cursor.contains(&encoded(old_token)),
        "Cursor's entry now carries the new token only: {cursor}"
    );
    app.close().await.unwrap();
}

/// A service account's OAuth client, as Atlassian's look.
const OAUTH_CLIENT_ID: &str = "9fXk2bq7LmN4pR8sT1vW3yZ5aC6dE0gH";
/// The client secret before the rotation; the one after is the leak scan's.
const OLD_CLIENT_SECRET: &str = "ATOA3xFfGF0-old-oauth-client-secret_0123456789";

/// Whether the old client secret was revoked, as an admin does once the new one is in place.
static OLD_SECRET_REVOKED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The stand-in token endpoint's answer: [`OAUTH_CLIENT_ID`] with its new secret, or its old
/// one until revoked, gets an hour-long token; anything else is refused.
fn old_or_new_secret(client_id: &str, secret: &str) -> Option<TokenAnswer> {
    let old_valid = secret == OLD_CLIENT_SECRET
        && !OLD_SECRET_REVOKED.load(std::sync::atomic::Ordering::SeqCst);
    (client_id == OAUTH_CLIENT_ID && (old_valid || secret == leak_scan::OAUTH_CLIENT_SECRET))
        .then_some(TokenAnswer::Issue {
            grant: Grant::FullScope,
            lifetime: std::time::Duration::from_secs(3600),
        })
}

/// A setup of [`OAUTH_CLIENT_ID`] with its old secret on `home`, as the wizard makes it, with
/// Cursor reading it from the keychain.
async fn set_up_the_oauth_client(server: &StandInServer, home: &Path) {
    let entered = wizard::EnteredCredential {
        method: AuthMethod::ServiceOauth,
        email: None,
        client_id: Some(OAUTH_CLIENT_ID),
        secret: &Secret::new(OLD_CLIENT_SECRET),
        token_url: None,
    };
    set_up_cursor(server, entered, SecretMode::Keychain, home).await;
    // Written from this test process, the entry names it as the bridge; the app names the
    // command-line binary beside it, as here.
    let cursor_file = home.join(".cursor/mcp.json");
    let mut cursor: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cursor_file).unwrap()).unwrap();
    cursor["mcpServers"]["atlassian-rovo-mcp"]["command"] =
        rovo_e2e::cli_binary().unwrap().display().to_string().into();
    std::fs::write(&cursor_file, cursor.to_string()).unwrap();
}

#[tokio::test]
async fn the_rotate_window_gives_the_oauth_client_on_record_a_new_secret() {
    let server = StandInServer::builder()
        .oauth_client_rule(old_or_new_secret)
        .start()
        .await
        .unwrap();
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    set_up_the_oauth_client(&server, &home).await;

    // No ROVO_MCP_TOKEN_URL: the new secret goes where the client on record was set up.
    let environment = home_environment(&home);
    let app = AppSession::start_with_env(&as_pairs(&environment))
        .await
        .expect("the app starts under tauri-driver");
    app.wait_for_text("#setup-on-record", OAUTH_CLIENT_ID)
        .await
        .unwrap();
    app.click("#open-rotate").await.unwrap();
    app.switch_to_window_showing("#rotate-token").await.unwrap();
    let client_id = app
        .client
        .find(fantoccini::Locator::Css("#rotate-client-id"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        client_id.as_deref(),
        Some(OAUTH_CLIENT_ID),
        "the client on record stands in the client ID field"
    );

    app.type_into("#rotate-token", "not-the-client-secret")
        .await
        .unwrap();
    app.click("#check").await.unwrap();
    app.wait_for_text("[data-verdict=oauth_client_rejected]", "")
        .await
        .unwrap();
    app.type_into("#rotate-token", leak_scan::OAUTH_CLIENT_SECRET)
        .await
        .unwrap();
    app.click("#check").await.unwrap();
    app.wait_for_text("[data-verdict=ok]", "works")
        .await
        .unwrap();
    app.screenshot("rotate-oauth-checked").await.unwrap();
    app.click("#apply").await.unwrap();
    app.wait_for_text("#rotate-finished", "").await.unwrap();
    let results = app.text(".results").await.unwrap();
    assert!(
        results.contains("Cursor") && results.contains("keychain"),
        "Cursor reads the new secret from the keychain: {results:?}"
    );

    OLD_SECRET_REVOKED.store(true, std::sync::atomic::Ordering::SeqCst);
    let issued = server.access_tokens_issued();
    let cli = rovo_e2e::cli_binary().unwrap();
    let tools = app
        .tools_through_bridge(&cli, &["bridge"], &home)
        .await
        .expect("the bridge serves with the new secret");
    assert!(
        tools > 0 && server.access_tokens_issued() > issued,
        "with the old secret revoked, the bridge exchanged the keychain's new one ({tools} tools)"
    );
    let state =
        std::fs::read_to_string(home.join(".config/com.rovomcpsetup.desktop/state.json")).unwrap();
    assert!(
        state.contains(server.token_url()) && !state.contains(OLD_CLIENT_SECRET),
        "the client stays on record at its token endpoint, with no secret: {state}"
    );
    app.close().await.unwrap();
}

#[tokio::test]
async fn an_email_with_unicode_reaches_the_server_as_typed() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().display().to_string();
    let app = AppSession::start_with(&["--demo"], &[("HOME", home.as_str())])
        .await
        .expect("the demo starts under tauri-driver");
    let email = "zoë.müller@bücher.example";
    sign_in_to_the_tools_step(&app, email, leak_scan::SCOPED_TOKEN).await;
    // The demo server answers `atlassianUserInfo` with the email it decoded from the header.
    let account = app.wait_for_text(".account", "@").await.unwrap();
    assert!(
        account.contains(email),
        "the email went out as UTF-8, letter for letter: {account:?}"
    );
    app.close().await.unwrap();
}
