//! The wizard in the real webview: the built app under Xvfb, driven through tauri-driver.

use std::time::Duration;

use rovo_e2e::AppSession;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::prepare_credential;
use rovo_mcp_core::domain::oauth::TOKEN_URL_ENV;
use rovo_mcp_core::domain::probe::ENDPOINT_ENV;
use rovo_mcp_core::domain::secrets::Secret;
use rovo_mcp_core::plumbing::edit::{ConfigFormat, EntryLocation};
use rovo_stand_in::{
    ACCESS_TOKEN_PREFIX, ACCOUNT_EMAIL, CallRefusal, Grant, Misbehaviour, SECOND_SITE_CLOUD_ID,
    SITE_CLOUD_ID, StandInServer, TokenAnswer,
};
use rovo_test_support::leak_scan;

#[tokio::test]
async fn choosing_a_method_shows_what_rust_answered_and_leads_to_its_credentials() {
    let app = AppSession::start()
        .await
        .expect("the app starts under tauri-driver");

    let title = app.client.title().await.unwrap();
    assert_eq!(
        title, "Rovo MCP Setup",
        "the window title is the product name"
    );
    app.screenshot("method-step").await.unwrap();

    // A person clicks the card; its label covers the whole card, radio included.
    app.click("label[for=method-service]").await.unwrap();
    let answer = app.wait_for_text("#method-answer", "Bearer").await.unwrap();
    assert!(
        answer.contains("admin.atlassian.com"),
        "the answer from Rust says where a service key is created: {answer:?}"
    );

    app.click("label[for=method-personal]").await.unwrap();
    let answer = app
        .wait_for_text("#method-answer", "Basic base64(email:token)")
        .await
        .unwrap();
    assert!(
        answer.contains("id.atlassian.com/manage-profile/security/api-tokens"),
        "choosing again replaces the answer with the personal token's: {answer:?}"
    );
    app.screenshot("method-chosen").await.unwrap();

    app.click("#next").await.unwrap();
    let step = app.wait_for_text("#step-title", "").await.unwrap();
    let fields = app
        .client
        .find_all(fantoccini::Locator::Css("input[id^='credential-']"))
        .await
        .unwrap();
    assert_eq!(
        fields.len(),
        2,
        "step 2 ({step:?}) asks a personal token for email and token"
    );
    app.screenshot("credentials-step").await.unwrap();

    app.click("#back").await.unwrap();
    app.wait_for_text("#method-answer", "Basic").await.unwrap();
    let still_chosen = app
        .client
        .find(fantoccini::Locator::Css("#method-personal"))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(
        still_chosen.as_deref(),
        Some("true"),
        "going back keeps the choice"
    );

    app.close().await.unwrap();
}

/// A scoped personal token the stand-in server grants everything.
const SCOPED_TOKEN: &str = leak_scan::SCOPED_TOKEN;
/// A classic token (no `ATATT3`): the stand-in signs it in with platform tools only.
const CLASSIC_TOKEN: &str = leak_scan::CLASSIC_TOKEN;
/// A token the stand-in server refuses.
const REFUSED_TOKEN: &str = leak_scan::REFUSED_TOKEN;
const EMAIL: &str = "me@example.com";

/// The `Authorization` value the app will send, built by the core as the app builds it.
fn header(method: AuthMethod, email: Option<&str>, token: &str) -> String {
    prepare_credential(method, email, &Secret::new(token))
        .expect("a valid test credential")
        .authorization()
        .expose()
        .to_owned()
}

/// The app, started against `server` through `ROVO_MCP_ENDPOINT`.
async fn app_against(server: &StandInServer) -> AppSession {
    AppSession::start_with_env(&[(ENDPOINT_ENV, server.url())])
        .await
        .expect("the app starts under tauri-driver")
}

/// Picks `method` on step 1 and goes on to the credentials.
async fn choose(app: &AppSession, method: &str) {
    app.click(&format!("label[for=method-{method}]"))
        .await
        .unwrap();
    app.wait_for_text("#method-answer", "").await.unwrap();
    app.click("#next").await.unwrap();
    app.wait_for_text("#step-title", "credentials")
        .await
        .unwrap();
}

/// Waits for the check's outcome `outcome` (`ok`, `limited`, `failed`, …) and returns its text.
async fn outcome(app: &AppSession, outcome: &str) -> String {
    app.wait_for_text(&format!("#check-outcome[data-outcome={outcome}]"), "")
        .await
        .unwrap_or_else(|error| panic!("the check ends with {outcome}: {error}"))
}

#[tokio::test]
async fn a_personal_token_is_checked_failures_explained_and_its_tools_shown() {
    let scoped = header(AuthMethod::Personal, Some(EMAIL), SCOPED_TOKEN);
    let classic = header(AuthMethod::Personal, Some(EMAIL), CLASSIC_TOKEN);
    let server = StandInServer::builder()
        .grant(scoped, Grant::TwoSites)
        .grant(classic, Grant::ClassicToken)
        .start()
        .await
        .unwrap();
    let app = app_against(&server).await;
    choose(&app, "personal").await;

    // A wrong token: the unauthorized screen, with its cause, next action and copyable details.
    app.type_into("#credential-email", EMAIL).await.unwrap();
    app.type_into("#credential-apiToken", REFUSED_TOKEN)
        .await
        .unwrap();
    app.click("#next").await.unwrap();
    let failure = outcome(&app, "failed").await;
    assert!(
        failure.contains("did not accept the email and token") && failure.contains("401"),
        "the failure says what happened and shows the status: {failure:?}"
    );
    assert!(
        !failure.contains(REFUSED_TOKEN),
        "the failure screen never shows the token: {failure:?}"
    );
    app.click("#copy-details").await.unwrap();
    let copied = app
        .client
        .execute(
            "const box = document.querySelector('#check-details'); return box ? box.value : 'copied';",
            vec![],
        )
        .await
        .unwrap();
    let copied = copied.as_str().unwrap_or_default().to_owned();
    assert!(
        !copied.contains(REFUSED_TOKEN),
        "the copied details have no token: {copied:?}"
    );
    app.screenshot("check-unauthorized").await.unwrap();

    // A classic token: signed in, but limited, with a way back.
    app.click("#back").await.unwrap();
    app.type_into("#credential-apiToken", CLASSIC_TOKEN)
        .await
        .unwrap();
    app.wait_for_text("#credential-cleaning", "does not look like a scoped token")
        .await
        .unwrap();
    app.screenshot("credentials-not-scoped").await.unwrap();
    app.click("#next").await.unwrap();
    let limited = outcome(&app, "limited").await;
    assert!(
        limited.contains("classic token"),
        "the limited verdict explains the likely reason: {limited:?}"
    );
    app.screenshot("check-limited").await.unwrap();

    // The scoped token pasted with spaces around it: cleaned, checked, its tools listed.
    app.click("#check-outcome button").await.unwrap();
    app.wait_for_text("#step-title", "credentials")
        .await
        .unwrap();
    app.paste_into("#credential-apiToken", &format!("  {SCOPED_TOKEN}\n"))
        .await
        .unwrap();
    app.wait_for_text("#credential-cleaning", "Spaces and line breaks")
        .await
        .unwrap();
    app.screenshot("credentials-cleaned").await.unwrap();
    app.click("#next").await.unwrap();
    let ok = outcome(&app, "ok").await;
    assert!(
        ok.contains(ACCOUNT_EMAIL),
        "the check names the signed-in account: {ok:?}"
    );
    app.screenshot("check-ok").await.unwrap();

    app.click("#next").await.unwrap();
    the_tools_step_shows_every_tool_and_both_sites(&app).await;

    app.close().await.unwrap();
}

#[tokio::test]
async fn a_service_key_check_shows_progress_can_be_cancelled_and_runs_once_on_a_double_click() {
    let key = leak_scan::SERVICE_KEY;
    let server = StandInServer::builder()
        .grant(header(AuthMethod::Service, None, key), Grant::FullScope)
        .latency(Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let app = app_against(&server).await;
    choose(&app, "service").await;
    app.type_into("#credential-serviceKey", &format!("Bearer {key}"))
        .await
        .unwrap();
    app.wait_for_text("#credential-cleaning", "Bearer")
        .await
        .unwrap();

    // Slow server: the progress shows, and Cancel stops the check.
    app.click("#next").await.unwrap();
    app.wait_for_text("#check-status", "Connecting")
        .await
        .unwrap();
    app.screenshot("check-progress").await.unwrap();
    app.click("#check-cancel").await.unwrap();
    outcome(&app, "cancelled").await;

    // A double click on Check starts one check.
    app.click("#back").await.unwrap();
    app.wait_for_text("#step-title", "credentials")
        .await
        .unwrap();
    let before = initializes(&server);
    app.client
        .execute(
            "const next = document.querySelector('#next'); next.click(); next.click();",
            vec![],
        )
        .await
        .unwrap();
    app.wait_for_text("#check-status", "page 1").await.unwrap();
    outcome(&app, "ok").await;
    assert_eq!(
        initializes(&server) - before,
        2,
        "a double click on Check runs one check: one initialize for each of its two lists (plain and ?tools=all)"
    );

    app.click("#next").await.unwrap();
    app.wait_for_text("#tools-summary", "tools").await.unwrap();
    app.close().await.unwrap();
}

/// How many `initialize` requests the server has received.
fn initializes(server: &StandInServer) -> usize {
    server
        .log()
        .requests()
        .iter()
        .filter(|request| request.rpc_method.as_deref() == Some("initialize"))
        .count()
}

#[tokio::test]
async fn a_megabyte_pasted_into_the_token_field_is_refused_without_a_hang() {
    let server = StandInServer::builder().start().await.unwrap();
    let app = app_against(&server).await;
    choose(&app, "service").await;
    let huge = format!("ATATT3{}", "x".repeat(1024 * 1024));
    let started = std::time::Instant::now();
    app.paste_into("#credential-serviceKey", &huge)
        .await
        .unwrap();
    app.wait_for_text("#credential-cleaning", "far longer")
        .await
        .unwrap();
    app.click("#next").await.unwrap();
    let refused = outcome(&app, "refused").await;
    assert!(
        refused.contains("paste the token alone"),
        "the core's refusal is shown: {refused:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a megabyte is refused quickly: {:?}",
        started.elapsed()
    );
    assert!(
        server.log().requests().is_empty(),
        "nothing is sent for a refused input"
    );
    app.screenshot("check-refused").await.unwrap();
    app.close().await.unwrap();
}

/// Step 4 for a token that reaches two sites on v2: the sites, how a client sees the tools,
/// the products, and the search.
async fn the_tools_step_shows_every_tool_and_both_sites(app: &AppSession) {
    let tools = app.wait_for_text("#tools-summary", "tools").await.unwrap();
    let sites = app.text("table.sites").await.unwrap();
    assert!(
        sites.contains(SITE_CLOUD_ID) && sites.contains(SECOND_SITE_CLOUD_ID),
        "the tools step shows each site's cloud ID ({tools}): {sites:?}"
    );
    let many = app.text("#tools-many-sites").await.unwrap();
    assert!(
        many.contains("2 sites") && many.contains("not bound to one site"),
        "a token for several sites is said so plainly: {many:?}"
    );
    let exposure = app.text("#tools-exposure").await.unwrap();
    assert!(
        exposure.contains("17 of these") && exposure.contains("discover"),
        "the step says which tools a client sees directly: {exposure:?}"
    );
    let jira_tools = app.text("section[data-product=jira]").await.unwrap();
    assert!(
        jira_tools.contains("through discover"),
        "a tool reached through discover is marked: {jira_tools:?}"
    );
    for product in ["loom", "goals", "teams", "teamwork_graph"] {
        assert!(
            app.text(&format!("section[data-product={product}]"))
                .await
                .is_ok(),
            "{product} has its own section"
        );
    }
    let jira = app.text("section[data-product=jira]").await.unwrap();
    assert!(
        jira.contains("Read") && jira.contains("Write"),
        "Jira tools carry read and write badges: {jira:?}"
    );
    app.screenshot("tools").await.unwrap();
    app.type_into("#tools-search", "confluence").await.unwrap();
    let shown = app
        .client
        .find_all(fantoccini::Locator::Css("section[data-product]"))
        .await
        .unwrap()
        .len();
    assert_eq!(shown, 1, "searching for confluence leaves one product");
    app.screenshot("tools-search").await.unwrap();
}

#[tokio::test]
async fn refusals_at_call_time_and_each_limited_cause_have_their_own_screen() {
    // One person per case: the email makes each header distinct.
    let cases = [
        (
            "api-off@example.com",
            Grant::CallsRefused(CallRefusal::ApiTokenSignInOff),
            "failed",
            "forbidden",
        ),
        (
            "ip@example.com",
            Grant::CallsRefused(CallRefusal::IpAllowlist),
            "failed",
            "forbidden_ip",
        ),
        (
            "wrong-app@example.com",
            Grant::WrongApp,
            "limited",
            "wrong_app",
        ),
        (
            "scope@example.com",
            Grant::CallsRefused(CallRefusal::Scope),
            "limited",
            "insufficient_scope",
        ),
        (
            "no-tool@example.com",
            Grant::PlatformOnly,
            "limited",
            "scopes_match_no_tool",
        ),
    ];
    let server = cases
        .iter()
        .fold(StandInServer::builder(), |builder, (email, grant, _, _)| {
            builder.grant(
                header(AuthMethod::Personal, Some(email), SCOPED_TOKEN),
                *grant,
            )
        })
        .start()
        .await
        .unwrap();
    let app = app_against(&server).await;
    choose(&app, "personal").await;
    app.type_into("#credential-apiToken", SCOPED_TOKEN)
        .await
        .unwrap();
    for (email, _, shown, name) in cases {
        app.type_into("#credential-email", email).await.unwrap();
        app.click("#next").await.unwrap();
        let screen = outcome(&app, shown).await;
        let attribute = if shown == "failed" {
            "data-kind"
        } else {
            "data-cause"
        };
        let selector = if shown == "failed" {
            "#check-outcome"
        } else {
            "#check-outcome .alert-summary"
        };
        let marked = app
            .client
            .find(fantoccini::Locator::Css(selector))
            .await
            .unwrap()
            .attr(attribute)
            .await
            .unwrap();
        assert_eq!(
            marked.as_deref(),
            Some(name),
            "{email}: its own screen: {screen:?}"
        );
        assert!(
            !screen.contains("You don't have permission to connect via API token")
                || name == "forbidden",
            "{email}: a refusal is shown only where it is the verdict: {screen:?}"
        );
        if name == "forbidden" {
            assert!(
                screen.contains("Rovo MCP server → Authentication"),
                "the forbidden screen names the admin setting: {screen:?}"
            );
        }
        app.screenshot(&format!("check-{shown}-{name}"))
            .await
            .unwrap();
        app.click("#back").await.unwrap();
        app.wait_for_text("#step-title", "credentials")
            .await
            .unwrap();
    }
    app.close().await.unwrap();
}

#[tokio::test]
async fn each_failure_kind_has_its_own_screen() {
    let cases = [
        ("forbidden_legacy_token", Misbehaviour::legacy_token()),
        ("forbidden_ip", Misbehaviour::ip_blocked()),
        ("forbidden", Misbehaviour::forbidden()),
        ("server_error", Misbehaviour::server_error()),
        ("not_mcp", Misbehaviour::html_page()),
        ("protocol_error", Misbehaviour::JsonRpcError),
        (
            "rate_limited",
            Misbehaviour::RateLimited {
                retry_after_seconds: 0,
                times: 5,
            },
        ),
        ("timeout", Misbehaviour::HangAfterHeaders),
    ];
    let key_of = |kind: &str| format!("{}-{kind}", leak_scan::SERVICE_KEY);
    let server = cases
        .iter()
        .fold(StandInServer::builder(), |builder, (kind, misbehaviour)| {
            let authorization = header(AuthMethod::Service, None, &key_of(kind));
            builder
                .grant(authorization.clone(), Grant::FullScope)
                .misbehave(authorization, misbehaviour.clone())
        })
        .start()
        .await
        .unwrap();
    let app = app_against(&server).await;
    choose(&app, "service").await;

    let mut screens = Vec::new();
    for (kind, _) in &cases {
        app.type_into("#credential-serviceKey", &key_of(kind))
            .await
            .unwrap();
        app.click("#next").await.unwrap();
        let failure = outcome(&app, "failed").await;
        let shown = app
            .client
            .find(fantoccini::Locator::Css("#check-outcome"))
            .await
            .unwrap()
            .attr("data-kind")
            .await
            .unwrap();
        assert_eq!(
            shown.as_deref(),
            Some(*kind),
            "the screen of {kind}: {failure:?}"
        );
        assert!(
            !failure.contains(&key_of(kind)),
            "the {kind} screen never shows the key: {failure:?}"
        );
        screens.push(failure);
        app.screenshot(&format!("check-{kind}")).await.unwrap();
        app.click("#back").await.unwrap();
        app.wait_for_text("#step-title", "credentials")
            .await
            .unwrap();
    }
    let distinct: std::collections::HashSet<&str> = screens
        .iter()
        .map(|screen| screen.lines().next().unwrap_or_default())
        .collect();
    assert_eq!(
        distinct.len(),
        cases.len(),
        "each kind has its own headline: {screens:#?}"
    );
    app.close().await.unwrap();
}

#[tokio::test]
async fn an_unreachable_server_gets_the_network_screen() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}/v1/mcp");
    let app = AppSession::start_with_env(&[(ENDPOINT_ENV, &endpoint)])
        .await
        .expect("the app starts under tauri-driver");
    choose(&app, "service").await;
    app.type_into("#credential-serviceKey", leak_scan::SERVICE_KEY)
        .await
        .unwrap();
    app.click("#next").await.unwrap();
    let failure = outcome(&app, "failed").await;
    let kind = app
        .client
        .find(fantoccini::Locator::Css("#check-outcome"))
        .await
        .unwrap()
        .attr("data-kind")
        .await
        .unwrap();
    assert_eq!(kind.as_deref(), Some("network"), "{failure:?}");
    app.screenshot("check-network").await.unwrap();
    app.close().await.unwrap();
}

/// What a person's home looks like for the clients steps: Cursor with a config of its own,
/// Codex installed but not configured, and Zed with a settings file that does not parse.
struct TempHome {
    _root: tempfile::TempDir,
    home: std::path::PathBuf,
}

const CURSOR_BEFORE: &str = "{\n  // my servers\n  \"mcpServers\": {\n    \"other\": { \"url\": \"https://example.com/mcp\" }\n  }\n}\n";
const ZED_BROKEN: &str = "{ \"theme\": }\n";

impl TempHome {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join(".cursor")).unwrap();
        std::fs::write(home.join(".cursor/mcp.json"), CURSOR_BEFORE).unwrap();
        std::fs::create_dir_all(home.join(".codex")).unwrap();
        std::fs::create_dir_all(home.join(".config/zed")).unwrap();
        std::fs::write(home.join(".config/zed/settings.json"), ZED_BROKEN).unwrap();
        Self { _root: root, home }
    }

    fn path(&self, relative: &str) -> std::path::PathBuf {
        self.home.join(relative)
    }

    fn read(&self, relative: &str) -> Option<String> {
        std::fs::read_to_string(self.path(relative)).ok()
    }
}

/// Where the app on a temporary home logs, at trace level.
const APP_LOG: &str = "rovo-mcp-setup.log";

/// The app on a temporary home, logging at trace level into [`APP_LOG`], with `more`
/// variables.
async fn app_on_home(server: &StandInServer, home: &TempHome, more: &[(&str, &str)]) -> AppSession {
    let home_dir = home.home.display().to_string();
    let config = home.path(".config").display().to_string();
    let data = home.path(".local/share").display().to_string();
    let codex_home = home.path(".codex").display().to_string();
    let log = home.path(APP_LOG).display().to_string();
    let mut variables = vec![
        (ENDPOINT_ENV, server.url()),
        ("HOME", &home_dir),
        ("XDG_CONFIG_HOME", &config),
        ("XDG_DATA_HOME", &data),
        ("CODEX_HOME", &codex_home),
        // The most verbose logging, into a file the leak scan reads.
        ("ROVO_MCP_LOG", "trace"),
        ("ROVO_MCP_LOG_FILE", &log),
    ];
    variables.extend_from_slice(more);
    AppSession::start_with_env(&variables)
        .await
        .expect("the app starts under tauri-driver")
}

/// The app on a temporary home, signed in with the scoped token and moved on to step 5.
async fn to_the_clients_step(server: &StandInServer, home: &TempHome) -> AppSession {
    let app = app_on_home(server, home, &[]).await;
    choose(&app, "personal").await;
    app.type_into("#credential-email", EMAIL).await.unwrap();
    app.type_into("#credential-apiToken", SCOPED_TOKEN)
        .await
        .unwrap();
    app.click("#next").await.unwrap();
    outcome(&app, "ok").await;
    app.click("#next").await.unwrap();
    app.wait_for_text("#tools-summary", "tools").await.unwrap();
    app.click("#next").await.unwrap();
    app
}

/// The first start-at-login entry in `folder`, waiting for the app to write it.
async fn autostart_entry(folder: &std::path::Path) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(folder).map_or(true, |mut entries| entries.next().is_none())
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::read_dir(folder)
        .ok()
        .and_then(|mut entries| entries.next())
        .and_then(Result::ok)
        .and_then(|entry| std::fs::read_to_string(entry.path()).ok())
        .unwrap_or_default()
}

/// Step 7: the summary names what was configured, and "keep me reminded" turned start at
/// login on.
async fn the_summary_names_the_clients_and_keeps_reminding(app: &AppSession, home: &TempHome) {
    app.click("#next").await.unwrap();
    app.wait_for_text("#step-title", "All set").await.unwrap();
    let summary = app.text(".summary").await.unwrap();
    assert!(
        summary.contains("Cursor") && summary.contains("OpenAI Codex"),
        "the summary names what was configured: {summary:?}"
    );
    // "Keep me reminded" is on by default: the tray starts at login, with `--tray`.
    app.wait_for_text("#keep-reminded-hint", "tray")
        .await
        .unwrap();
    let entry = autostart_entry(&home.path(".config/autostart")).await;
    assert!(
        entry.contains("--tray"),
        "the last step turned start at login on, in the tray: {entry:?}"
    );
    app.screenshot("done-step").await.unwrap();
}

/// After the whole flow at trace level, neither the log nor our state file holds the secret.
fn no_secret_in_the_log_or_state(home: &TempHome) {
    let log = home.read(APP_LOG).unwrap_or_default();
    assert!(
        log.contains("atlassian-rovo-mcp") || log.contains(".cursor"),
        "the log is written, at trace level: {log}"
    );
    let state = home
        .read(".config/com.rovomcpsetup.desktop/state.json")
        .unwrap_or_default();
    for secret in leak_scan::secret_forms(SCOPED_TOKEN) {
        assert!(
            !log.contains(&secret) && !state.contains(&secret),
            "neither the log nor the state file holds the secret in any form"
        );
    }
}

/// Undo from step 6 puts every file back, and the keychain item and the credential on record.
async fn undo_puts_every_file_and_the_credential_back(app: &AppSession, home: &TempHome) {
    app.click("#back").await.unwrap();
    app.click("#undo").await.unwrap();
    let undone = app.wait_for_text(".undone", "Cursor").await.unwrap();
    assert_eq!(
        home.read(".cursor/mcp.json").as_deref(),
        Some(CURSOR_BEFORE),
        "Cursor's file is back byte for byte ({undone})"
    );
    assert!(
        !home.path(".codex/config.toml").exists(),
        "the Codex file we created is gone ({undone})"
    );
    assert!(
        undone.contains("keychain and the app's record of the token are back"),
        "the keychain item and the credential on record are put back too: {undone}"
    );
    let state: serde_json::Value = serde_json::from_str(
        &home
            .read(".config/com.rovomcpsetup.desktop/state.json")
            .expect("the state file is there"),
    )
    .unwrap();
    assert!(
        state["credential"].is_null() && state["lastCheck"].is_null(),
        "the first setup undone leaves no credential or check on record: {state}"
    );
}

#[tokio::test]
async fn clients_are_previewed_written_and_undone_on_a_temporary_home() {
    let scoped = header(AuthMethod::Personal, Some(EMAIL), SCOPED_TOKEN);
    let server = StandInServer::builder()
        .grant(scoped, Grant::FullScope)
        .start()
        .await
        .unwrap();
    let home = TempHome::new();
    let app = to_the_clients_step(&server, &home).await;

    // Step 5: Cursor and Codex are detected and ticked; Zed's broken file is shown, not tickable.
    app.wait_for_text("[data-client=cursor]", "Cursor")
        .await
        .unwrap();
    let zed = app
        .wait_for_text("[data-client=zed]", "line 1")
        .await
        .unwrap();
    assert!(
        zed.contains("cannot be read"),
        "Zed's unreadable file is explained: {zed:?}"
    );
    let ticked = app
        .client
        .execute(
            "const keep = ['cursor', 'codex'];
             for (const box of document.querySelectorAll('.client input[type=checkbox]:checked')) {
               if (!keep.includes(box.closest('[data-client]').dataset.client)) { box.click(); }
             }
             return ['cursor', 'codex', 'zed'].map((id) => {
               const box = document.querySelector(`#client-${id}`);
               return `${id}:${box.checked}:${box.disabled}`;
             }).join(' ');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        ticked.as_str(),
        Some("cursor:true:false codex:true:false zed:false:true"),
        "detected clients are ticked; the broken one cannot be"
    );

    app.screenshot("clients-list").await.unwrap();

    app.click("#preview").await.unwrap();
    let preview = app.wait_for_text(".preview", "+++").await.unwrap();
    assert!(
        preview.contains(".cursor/mcp.json")
            && preview.contains("config.toml")
            && preview.contains("atlassian-rovo-mcp"),
        "the preview shows each file's diff: {preview:?}"
    );
    assert!(
        !preview.contains(SCOPED_TOKEN) && preview.contains("••••••••"),
        "the preview masks the secret: {preview:?}"
    );
    app.screenshot("clients-step").await.unwrap();

    // Step 6: written, one result per client.
    app.click("#next").await.unwrap();
    let results = app.wait_for_text(".results", "OpenAI Codex").await.unwrap();
    assert!(
        results.contains("Updated") && results.contains("Created"),
        "Cursor's file was updated and Codex's created: {results:?}"
    );
    let cursor = home.read(".cursor/mcp.json").unwrap();
    assert!(
        cursor.contains("// my servers") && cursor.contains("atlassian-rovo-mcp"),
        "Cursor keeps its comment and gets our entry: {cursor}"
    );
    let codex = home.read(".codex/config.toml").unwrap();
    assert!(
        codex.contains("[mcp_servers.atlassian-rovo-mcp]"),
        "Codex gets our entry: {codex}"
    );
    assert_eq!(
        home.read(".config/zed/settings.json").as_deref(),
        Some(ZED_BROKEN),
        "the broken file is left untouched"
    );
    app.screenshot("write-step").await.unwrap();

    the_summary_names_the_clients_and_keeps_reminding(&app, &home).await;

    undo_puts_every_file_and_the_credential_back(&app, &home).await;
    app.screenshot("write-undone").await.unwrap();

    no_secret_in_the_log_or_state(&home);

    app.close().await.unwrap();
}

/// The stand-in server granting the scoped token everything.
async fn full_scope_server() -> StandInServer {
    StandInServer::builder()
        .grant(
            header(AuthMethod::Personal, Some(EMAIL), SCOPED_TOKEN),
            Grant::FullScope,
        )
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_file_changed_after_the_preview_is_planned_again_and_said_so() {
    let server = full_scope_server().await;
    let home = TempHome::new();
    let app = to_the_clients_step(&server, &home).await;
    app.wait_for_text("[data-client=cursor]", "Cursor")
        .await
        .unwrap();
    app.click("#preview").await.unwrap();
    app.wait_for_text(".preview", "+++").await.unwrap();

    // Meanwhile the person adds a server in Cursor itself.
    let changed = CURSOR_BEFORE.replace(
        "\"other\": { \"url\": \"https://example.com/mcp\" }",
        "\"other\": { \"url\": \"https://example.com/mcp\" },\n    \"added-meanwhile\": { \"url\": \"https://example.org/mcp\" }",
    );
    std::fs::write(home.path(".cursor/mcp.json"), &changed).unwrap();

    app.click("#next").await.unwrap();
    let results = app.wait_for_text(".results", "Cursor").await.unwrap();
    assert!(
        results.contains("changed after the preview"),
        "the write says Cursor's change was planned again: {results:?}"
    );
    let cursor = home.read(".cursor/mcp.json").unwrap();
    assert!(
        cursor.contains("added-meanwhile") && cursor.contains("atlassian-rovo-mcp"),
        "the server added meanwhile is kept and ours is added: {cursor}"
    );
    app.close().await.unwrap();
}

#[tokio::test]
async fn closing_the_window_during_the_write_loses_no_file() {
    let server = full_scope_server().await;
    let home = TempHome::new();
    let app = to_the_clients_step(&server, &home).await;
    app.wait_for_text("[data-client=cursor]", "Cursor")
        .await
        .unwrap();
    app.click("#next").await.unwrap();
    app.client
        .close_window()
        .await
        .expect("the window closes while the write runs");

    // The write finishes (or never started): each file is whole, old or new.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cursor = home.read(".cursor/mcp.json").unwrap();
    assert!(
        cursor == CURSOR_BEFORE
            || (cursor.contains("// my servers") && cursor.contains("atlassian-rovo-mcp")),
        "Cursor's file is its old bytes or the complete new version: {cursor}"
    );
    let codex = home.read(".codex/config.toml").unwrap_or_default();
    assert!(
        codex.is_empty() || codex.contains("[mcp_servers.atlassian-rovo-mcp]"),
        "Codex's file is absent or complete: {codex}"
    );
    let leftovers: Vec<_> = [".cursor", ".codex"]
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(home.path(folder))
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|extension| extension == "tmp")
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file is left beside the configs: {leftovers:?}"
    );
    assert_eq!(
        home.read(".config/zed/settings.json").as_deref(),
        Some(ZED_BROKEN),
        "the broken file is left untouched"
    );
}

/// A service account's OAuth client ID, as Atlassian's look (32 characters).
const OAUTH_CLIENT_ID: &str = "9fXk2bq7LmN4pR8sT1vW3yZ5aC6dE0gH";

/// Unticks every client but `keep` in step 5.
async fn tick_only(app: &AppSession, keep: &[&str]) {
    app.client
        .execute(
            "const keep = arguments[0];
             for (const box of document.querySelectorAll('.client input[type=checkbox]:checked')) {
               if (!keep.includes(box.closest('[data-client]').dataset.client)) { box.click(); }
             }",
            vec![serde_json::json!(keep)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_service_accounts_oauth_client_is_exchanged_checked_and_set_up_in_the_keychain_only() {
    let secret = leak_scan::OAUTH_CLIENT_SECRET;
    let server = StandInServer::builder()
        .oauth_client(
            OAUTH_CLIENT_ID,
            secret,
            TokenAnswer::Issue {
                grant: Grant::FullScope,
                lifetime: Duration::from_secs(3600),
            },
        )
        .start()
        .await
        .unwrap();
    let home = TempHome::new();
    let app = app_on_home(&server, &home, &[(TOKEN_URL_ENV, server.token_url())]).await;

    app.click("label[for=method-service-oauth]").await.unwrap();
    let answer = app
        .wait_for_text("#method-answer", "access token")
        .await
        .unwrap();
    assert!(
        answer.contains("client ID") && answer.contains("admin.atlassian.com"),
        "the answer names the client ID and secret and where they are created: {answer:?}"
    );
    app.screenshot("method-oauth").await.unwrap();
    app.click("#next").await.unwrap();
    app.wait_for_text("#step-title", "credentials")
        .await
        .unwrap();

    the_oauth_check_shows_the_refusal_then_passes(&app, &server).await;
    app.click("#next").await.unwrap();
    app.wait_for_text("#tools-summary", "tools").await.unwrap();
    app.click("#next").await.unwrap();
    every_client_gets_a_keychain_entry(&app).await;
    the_client_is_on_record_and_its_entry_mints_tokens(&app, &home, &server).await;

    for file in [
        APP_LOG,
        ".cursor/mcp.json",
        ".codex/config.toml",
        ".config/com.rovomcpsetup.desktop/state.json",
    ] {
        let text = home.read(file).unwrap_or_default();
        assert!(
            !text.contains(secret) && !text.contains(ACCESS_TOKEN_PREFIX),
            "{file} holds neither the client secret nor an access token"
        );
    }
    app.close().await.unwrap();
}

/// Step 2 and 3 for an OAuth client: the ID pasted with spaces around it and a wrong secret,
/// refused by the token endpoint; then the right secret, exchanged and probed.
async fn the_oauth_check_shows_the_refusal_then_passes(app: &AppSession, server: &StandInServer) {
    let secret = leak_scan::OAUTH_CLIENT_SECRET;
    app.paste_into("#credential-clientId", &format!("  {OAUTH_CLIENT_ID}  "))
        .await
        .unwrap();
    app.type_into("#credential-clientSecret", "not-the-client-secret")
        .await
        .unwrap();
    app.wait_for_text("#credential-cleaning", "Spaces and line breaks")
        .await
        .unwrap();
    app.screenshot("credentials-oauth").await.unwrap();
    app.click("#next").await.unwrap();
    let refused = outcome(app, "failed").await;
    assert!(
        refused.contains("client ID and secret") && refused.contains("401"),
        "the refusal is the token endpoint's, with its status: {refused:?}"
    );
    assert!(
        !refused.contains("not-the-client-secret"),
        "the refusal never shows the secret: {refused:?}"
    );
    app.screenshot("check-oauth-rejected").await.unwrap();

    // The right secret: exchanged for an access token, which the probe sends.
    app.click("#back").await.unwrap();
    app.type_into("#credential-clientSecret", secret)
        .await
        .unwrap();
    app.click("#next").await.unwrap();
    let ok = outcome(app, "ok").await;
    assert!(
        ok.contains(ACCOUNT_EMAIL),
        "the check with the access token names the account as the other methods do: {ok:?}"
    );
    assert!(
        server.access_tokens_issued() >= 1,
        "the check exchanged the client for an access token"
    );
}

/// Step 5 and 6 for an OAuth client: every client gets a keychain entry, none offers another
/// mode; Cursor's and Codex's are written.
async fn every_client_gets_a_keychain_entry(app: &AppSession) {
    let hint = app
        .wait_for_text(".oauth-keychain", "keychain")
        .await
        .unwrap();
    assert!(
        hint.contains("an hour"),
        "the step says why the keychain is the only place: {hint:?}"
    );
    let modes = app
        .client
        .find_all(fantoccini::Locator::Css(".client select"))
        .await
        .unwrap();
    assert!(modes.is_empty(), "no client offers another mode");
    tick_only(app, &["cursor", "codex"]).await;
    app.screenshot("clients-oauth").await.unwrap();
    app.click("#next").await.unwrap();
    let results = app.wait_for_text(".results", "OpenAI Codex").await.unwrap();
    assert!(
        results.contains("Updated") && results.contains("Created"),
        "Cursor's file was updated and Codex's created: {results:?}"
    );
    app.screenshot("write-oauth").await.unwrap();
}

/// The client is on record, cleaned, with its token endpoint; Cursor's entry, started as Cursor
/// starts it, mints a token from the keychain's secret and serves the tools.
async fn the_client_is_on_record_and_its_entry_mints_tokens(
    app: &AppSession,
    home: &TempHome,
    server: &StandInServer,
) {
    // Read with the core's own JSONC reader: Cursor's file keeps the person's comment.
    let entry = ConfigFormat::Json
        .read(
            home.read(".cursor/mcp.json").unwrap().as_bytes(),
            &EntryLocation::member(&["mcpServers"], "atlassian-rovo-mcp"),
        )
        .expect("Cursor's file reads")
        .expect("Cursor holds our entry");
    assert_eq!(
        entry["args"][0], "bridge",
        "Cursor starts our bridge, which mints the tokens: {entry}"
    );
    let state: serde_json::Value = serde_json::from_str(
        &home
            .read(".config/com.rovomcpsetup.desktop/state.json")
            .expect("the state file is there"),
    )
    .unwrap();
    assert_eq!(
        (
            &state["credential"]["auth"],
            &state["credential"]["oauth"]["clientId"],
            &state["credential"]["oauth"]["tokenUrl"],
        ),
        (
            &serde_json::json!("service-oauth"),
            &serde_json::json!(OAUTH_CLIENT_ID),
            &serde_json::json!(server.token_url()),
        ),
        "the client (cleaned) and its token endpoint are on record for the bridge: {state}"
    );

    let issued = server.access_tokens_issued();
    let args: Vec<&str> = entry["args"]
        .as_array()
        .expect("the entry's arguments")
        .iter()
        .map(|arg| arg.as_str().unwrap())
        .collect();
    let command = std::path::Path::new(entry["command"].as_str().expect("a command"));
    let tools = app
        .tools_through_bridge(command, &args, &home.home)
        .await
        .expect("Cursor's entry serves the tools");
    assert!(
        tools > 0 && server.access_tokens_issued() > issued,
        "the bridge exchanged the keychain's secret and serves the tools ({tools})"
    );
}
