//! The probe against the stand-in Atlassian server: every verdict and error kind of design §4,
//! the protocol variations (SSE and JSON replies, pagination, negotiating down), the network
//! rules (deadlines, one retry on 429, no credential across origins), and that no report ever
//! carries the secret. Only loopback is used.

use std::time::Duration;

use rmcp::model::ProtocolVersion;
use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::catalogue::Product;
use rovo_mcp_core::domain::clients::{ClientEnvironment, Os};
use rovo_mcp_core::domain::credentials::{Credential, prepare_credential};
use rovo_mcp_core::domain::probe::endpoint::EndpointChoice;
use rovo_mcp_core::domain::probe::report::{LimitationCause, MissingReason};
use rovo_mcp_core::domain::probe::{Endpoint, ProbeOptions, ProbeReport, Verdict, probe};
use rovo_mcp_core::domain::secrets::Secret;
use rovo_mcp_core::use_cases::wizard::{EnteredCredential, WindowVariables, check_entered};
use rovo_stand_in::{
    ACCOUNT_EMAIL, CallRefusal, Grant, META_TOOLS, Misbehaviour, OddAccount, SECOND_SITE_CLOUD_ID,
    SITE_CLOUD_ID, StandInServer, StandInServerBuilder, Surface,
};
use rovo_test_support::leak_scan;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;

/// Every probe in these tests logs at trace level into the suite's captures, for the final
/// leak scan; each test starts from one of the two credentials below.
fn trace_logging() {
    rovo_mcp_core::plumbing::logging::init_with(
        Some("trace"),
        Some(leak_scan::in_process_log_file()),
        false,
    );
}

fn personal() -> Credential {
    trace_logging();
    prepare_credential(AuthMethod::Personal, Some(EMAIL), &Secret::new(TOKEN)).unwrap()
}

fn service() -> Credential {
    trace_logging();
    prepare_credential(AuthMethod::Service, None, &Secret::new(TOKEN)).unwrap()
}

fn header(credential: &Credential) -> String {
    credential.authorization().expose().to_owned()
}

fn quick() -> ProbeOptions {
    ProbeOptions {
        step_timeout: Duration::from_millis(400),
        total_timeout: Duration::from_millis(800),
    }
}

async fn run(server_url: &str, credential: &Credential, options: ProbeOptions) -> ProbeReport {
    let endpoint = Endpoint::parse(server_url).unwrap();
    let (report, session_close) = probe(&endpoint, credential, &options, &mut |_| {}).await;
    session_close.finish(Duration::from_secs(1)).await;
    assert_no_secret(&report);
    report
}

/// Starts `builder` with the personal credential misbehaving as given and runs the probe.
async fn misbehaving(misbehaviour: Misbehaviour, options: ProbeOptions) -> ProbeReport {
    let credential = personal();
    let server = StandInServer::builder()
        .misbehave(header(&credential), misbehaviour)
        .start()
        .await
        .unwrap();
    run(server.url(), &credential, options).await
}

#[track_caller]
fn assert_no_secret(report: &ProbeReport) {
    let json = serde_json::to_string(report).unwrap();
    let encoded = header(&personal())["Basic ".len()..].to_owned();
    assert!(
        !json.contains(TOKEN) && !json.contains(&encoded),
        "a report never carries the token or its header: {json}"
    );
}

#[track_caller]
fn assert_failure(report: &ProbeReport, kind: ErrorKind, status: Option<u16>) {
    assert_eq!(
        report.verdict,
        Verdict::Failed(kind),
        "the verdict is the error kind: {report:#?}"
    );
    let error = report.error.as_ref().expect("a failure carries its error");
    assert_eq!(error.kind, kind, "the error has the verdict's kind");
    assert_eq!(
        error.http_status, status,
        "the HTTP status is reported when there was one"
    );
    assert!(
        !error.message.is_empty() && !error.hint.is_empty(),
        "every failure has a message and a hint: {error:#?}"
    );
}

async fn granted(
    builder: StandInServerBuilder,
    credential: &Credential,
    grant: Grant,
) -> StandInServer {
    builder
        .grant(header(credential), grant)
        .start()
        .await
        .unwrap()
}

/// How many tools [`Grant::FullScope`] unlocks, and how many v2 shows in its plain list.
fn full_scope_counts() -> (usize, usize) {
    (
        Grant::FullScope.tools_on(Surface::V2All).len(),
        Grant::FullScope
            .tools_on(Surface::V2Primary)
            .iter()
            .filter(|tool| !META_TOOLS.iter().any(|meta| meta.name == tool.name))
            .count(),
    )
}

#[tokio::test]
async fn a_fully_scoped_token_on_v2_is_ok_with_every_tool_account_and_sites_in_two_exchanges() {
    let credential = personal();
    // A little latency keeps the notification's 202 from finishing before tools/list arrives,
    // so the server's own count of waves is exact.
    let server = granted(
        StandInServer::builder().latency(Duration::from_millis(30)),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;

    assert_eq!(
        report.verdict,
        Verdict::Ok,
        "product tools are listed and the account call answered: {report:#?}"
    );
    let (total, primary) = full_scope_counts();
    assert_eq!(
        report.tools.len(),
        total,
        "every tool the credential unlocks is counted (the ?tools=all list), not only the primary ones"
    );
    let exposure = report
        .exposure
        .as_ref()
        .expect("v2 shows how tools are exposed");
    assert_eq!(
        (
            exposure.primary as usize,
            exposure.total as usize,
            exposure.flat
        ),
        (primary, total, false),
        "a client of the plain v2 endpoint sees the primary tools directly"
    );
    assert!(
        exposure.all_tools_endpoint.ends_with("/v2/mcp?tools=all"),
        "the flat list's URL is named: {}",
        exposure.all_tools_endpoint
    );
    assert_eq!(
        report.meta_tools,
        [
            "discover",
            "executeRead",
            "executeWrite",
            "executeDestructive"
        ],
        "the meta-tools are reported apart"
    );
    assert!(
        !report
            .tools
            .iter()
            .any(|tool| tool.name.starts_with("execute") || tool.name == "discover"),
        "a meta-tool is never a product tool"
    );
    assert!(
        report
            .tools
            .iter()
            .any(|tool| tool.name == "listJiraProjects" && !tool.primary),
        "a tool reached through discover is listed, marked as not primary"
    );
    assert_eq!(report.protocol_version.as_deref(), Some("2025-11-25"));
    assert_eq!(
        report.server.as_ref().map(|server| server.name.as_str()),
        Some("atlassian-rovo-mcp-stand-in")
    );
    assert_eq!(
        report.timings.sequential_exchanges, 2,
        "initialize on both lists, then everything else at once: the floor"
    );
    assert_eq!(
        server.log().sequential_exchanges(&http::Method::DELETE),
        2,
        "the server saw two sequential exchanges too"
    );
    assert_eq!(
        server
            .log()
            .requests()
            .iter()
            .filter(|request| request.http_method == http::Method::DELETE)
            .count(),
        2,
        "both sessions are ended with DELETE"
    );
}

#[tokio::test]
async fn a_fully_scoped_token_has_every_product_and_no_group_missing_under_a_new_name() {
    let credential = personal();
    let server = granted(StandInServer::builder(), &credential, Grant::FullScope).await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok, "{report:#?}");
    let create = report
        .tools
        .iter()
        .find(|tool| tool.name == "createJiraIssue")
        .unwrap();
    assert!(!create.read_only, "a write tool is marked as writing");
    assert_eq!(create.product, Product::Jira);
    let jira = report
        .products
        .iter()
        .find(|product| product.product == Product::Jira)
        .expect("Jira is one of the products");
    assert_eq!(
        (jira.read, jira.write),
        (10, 7),
        "Jira's tools split by read/write"
    );
    for product in [
        Product::Loom,
        Product::Goals,
        Product::Projects,
        Product::Teams,
        Product::Focus,
        Product::Talent,
        Product::TeamworkGraph,
    ] {
        assert!(
            report
                .products
                .iter()
                .any(|summary| summary.product == product),
            "{product:?} is a product of its own, not Other: {:?}",
            report.products
        );
    }
    assert!(
        !report
            .products
            .iter()
            .any(|summary| summary.product == Product::Other),
        "every tool of today's server has its product"
    );
    assert_eq!(
        report
            .account
            .as_ref()
            .and_then(|account| account["email"].as_str()),
        Some(ACCOUNT_EMAIL),
        "the owner comes from atlassianUserInfo"
    );
    assert_eq!(
        report.sites.len(),
        1,
        "the sites come from getAccessibleAtlassianResources"
    );
    assert_eq!(report.sites[0].cloud_id, SITE_CLOUD_ID);
    let missing: Vec<&str> = report
        .missing_groups
        .iter()
        .map(|group| group.group.as_str())
        .collect();
    for granted in [
        "read_confluence",
        "write_confluence",
        "search_confluence",
        "read_jira",
        "write_jira",
        "read_loom",
    ] {
        assert!(
            !missing.contains(&granted),
            "{granted} is granted under its new names: {missing:?}"
        );
    }
    let reason = |id: &str| {
        report
            .missing_groups
            .iter()
            .find(|group| group.group == id)
            .map(|group| group.reason)
    };
    assert_eq!(reason("read_compass"), Some(MissingReason::OauthOnly));
    assert_eq!(reason("delete_jira"), Some(MissingReason::OffByDefault));
}

#[tokio::test]
async fn v1_lists_every_tool_flat_under_its_old_names_and_is_ok() {
    let credential = personal();
    let server = granted(StandInServer::builder(), &credential, Grant::FullScope).await;
    let report = run(server.v1_url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok, "{report:#?}");
    assert!(
        report
            .tools
            .iter()
            .any(|tool| tool.name == "getConfluencePage"),
        "v1 still speaks the old names"
    );
    assert!(report.meta_tools.is_empty(), "v1 has no meta-tools");
    let exposure = report.exposure.expect("exposure is reported");
    assert_eq!(
        exposure.primary, exposure.total,
        "v1 ignores ?tools=all: a client sees every tool directly"
    );
    assert!(
        !report
            .missing_groups
            .iter()
            .any(|group| group.group == "read_confluence"),
        "old names count for their group"
    );
}

#[tokio::test]
async fn an_endpoint_with_its_own_query_keeps_it_and_one_with_tools_all_is_flat() {
    let credential = personal();
    let server = granted(StandInServer::builder(), &credential, Grant::FullScope).await;
    let with_query = format!("{}?tenant=a", server.url());
    let report = run(&with_query, &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok, "{report:#?}");
    assert!(
        report
            .exposure
            .as_ref()
            .is_some_and(|exposure| exposure.all_tools_endpoint.ends_with("?tenant=a&tools=all")),
        "the endpoint's own query is kept: {:?}",
        report.exposure
    );
    let flat = format!("{}?tools=all", server.url());
    let report = run(&flat, &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok, "{report:#?}");
    let exposure = report.exposure.expect("exposure is reported");
    assert!(
        exposure.flat,
        "an endpoint that asks for every tool is flat"
    );
    assert_eq!(
        exposure.primary, exposure.total,
        "and its client sees every tool"
    );
}

#[tokio::test]
async fn a_token_whose_scopes_match_no_tool_is_limited() {
    let credential = personal();
    let server = granted(StandInServer::builder(), &credential, Grant::PlatformOnly).await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Limited, "signed in is not enough");
    assert_eq!(report.verdict.exit_code(), 5);
    let limitation = report.limitation.expect("limited says why");
    assert_eq!(limitation.cause, LimitationCause::ScopesMatchNoTool);
    assert!(report.error.is_none(), "limited is a verdict, not an error");
}

#[tokio::test]
async fn a_classic_token_and_a_token_for_the_wrong_app_are_limited_and_told_apart() {
    let credential = personal();
    let classic = granted(StandInServer::builder(), &credential, Grant::ClassicToken).await;
    let report = run(classic.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Limited, "{report:#?}");
    let limitation = report.limitation.expect("limited says why");
    assert_eq!(
        limitation.cause,
        LimitationCause::ClassicToken,
        "the server's words say classic"
    );
    assert!(
        limitation.message.contains("modern API token"),
        "the server's words are shown: {}",
        limitation.message
    );
    assert!(report.account.is_none(), "a refusal is never the account");

    let wrong_app = granted(StandInServer::builder(), &credential, Grant::WrongApp).await;
    let report = run(wrong_app.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Limited, "{report:#?}");
    let limitation = report.limitation.expect("limited says why");
    assert_eq!(limitation.cause, LimitationCause::WrongApp);
    assert!(
        limitation.hint.contains("Rovo MCP V2"),
        "the hint names the app to choose: {}",
        limitation.hint
    );
}

#[tokio::test]
async fn api_token_sign_in_turned_off_is_forbidden_whatever_form_the_refusal_takes() {
    for refusal in [
        CallRefusal::ApiTokenSignInOff,
        CallRefusal::ApiTokenSignInOffMarkedError,
        CallRefusal::Http403,
    ] {
        let credential = personal();
        let server = granted(
            StandInServer::builder(),
            &credential,
            Grant::CallsRefused(refusal),
        )
        .await;
        let report = run(server.url(), &credential, ProbeOptions::default()).await;
        assert_eq!(
            report.verdict,
            Verdict::Failed(ErrorKind::Forbidden),
            "{refusal:?}: a listed catalogue is not a working credential: {report:#?}"
        );
        assert_eq!(report.verdict.exit_code(), 4);
        let error = report.error.as_ref().expect("forbidden carries its error");
        assert!(
            error.hint.contains("Rovo MCP server → Authentication"),
            "{refusal:?}: the hint names the admin setting: {}",
            error.hint
        );
        assert!(
            report.account.is_none(),
            "{refusal:?}: the refusal is never shown as the account"
        );
        assert!(
            report.tools.is_empty(),
            "{refusal:?}: nothing is offered as usable"
        );
    }
}

#[tokio::test]
async fn an_ip_refusal_at_call_time_is_forbidden_ip() {
    let credential = personal();
    let server = granted(
        StandInServer::builder(),
        &credential,
        Grant::CallsRefused(CallRefusal::IpAllowlist),
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_failure(&report, ErrorKind::ForbiddenIp, None);
    assert!(report.account.is_none());
}

#[tokio::test]
async fn a_scope_refusal_names_the_missing_scope() {
    let credential = personal();
    let server = granted(
        StandInServer::builder(),
        &credential,
        Grant::CallsRefused(CallRefusal::Scope),
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(
        report.verdict,
        Verdict::Limited,
        "a refused call is never ok: {report:#?}"
    );
    let limitation = report.limitation.expect("limited says why");
    assert_eq!(limitation.cause, LimitationCause::InsufficientScope);
    assert!(
        limitation.message.contains("read:me:agent-interface")
            && limitation.hint.contains("read:me:agent-interface"),
        "the missing scope is named: {limitation:?}"
    );
}

#[tokio::test]
async fn an_account_answer_that_is_not_an_account_is_never_shown_as_one() {
    for odd in [OddAccount::NotJson, OddAccount::WrongShape] {
        let credential = personal();
        let server = granted(
            StandInServer::builder(),
            &credential,
            Grant::OddAccount(odd),
        )
        .await;
        let report = run(server.url(), &credential, ProbeOptions::default()).await;
        assert_eq!(
            report.verdict,
            Verdict::Ok,
            "{odd:?}: the sites call answered for the credential: {report:#?}"
        );
        assert!(report.account.is_none(), "{odd:?}: no account is made up");
        assert_eq!(report.sites.len(), 1);
    }
}

#[tokio::test]
async fn a_token_reaching_two_sites_reports_both() {
    let credential = personal();
    let server = granted(StandInServer::builder(), &credential, Grant::TwoSites).await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok);
    let ids: Vec<&str> = report
        .sites
        .iter()
        .map(|site| site.cloud_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [SITE_CLOUD_ID, SECOND_SITE_CLOUD_ID],
        "each site with its cloud id"
    );
}

#[tokio::test]
async fn thousands_of_tools_are_counted_and_a_list_that_never_ends_is_a_protocol_error() {
    let credential = personal();
    let server = granted(
        StandInServer::builder().extra_tools(3000).page_size(500),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.error);
    assert_eq!(
        report.tools.len(),
        full_scope_counts().0 + 3000,
        "every tool is counted"
    );

    let server = granted(
        StandInServer::builder().endless_tool_pages(),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_failure(&report, ErrorKind::ProtocolError, None);
    assert!(
        report.error.unwrap().message.contains("never ends"),
        "the message says what is wrong"
    );
}

#[tokio::test]
async fn a_personal_token_sent_as_bearer_sees_only_teamwork_graph_and_is_limited() {
    let credential = service();
    let server = granted(
        StandInServer::builder(),
        &credential,
        Grant::TeamworkGraphOnly,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(
        report.verdict,
        Verdict::Limited,
        "Teamwork Graph alone is limited"
    );
    assert!(
        report
            .limitation
            .as_ref()
            .is_some_and(|limitation| limitation.message.contains("Bearer")),
        "the advice names the Bearer mistake: {:?}",
        report.limitation
    );
    assert!(
        report.account.is_none() && report.sites.is_empty(),
        "without the platform tools there is no account to read"
    );
    assert_eq!(
        report.timings.sequential_exchanges, 2,
        "no account calls to make"
    );
}

#[tokio::test]
async fn an_unknown_credential_is_unauthorized_with_the_body_excerpt() {
    let server = granted(StandInServer::builder(), &service(), Grant::FullScope).await;
    let report = run(server.url(), &personal(), ProbeOptions::default()).await;
    assert_failure(&report, ErrorKind::Unauthorized, Some(401));
    assert_eq!(
        report.error.unwrap().body_excerpt.as_deref(),
        Some("Unauthorized"),
        "the non-JSON body is shown as it came"
    );
    assert_eq!(report.verdict.exit_code(), 3);
}

#[tokio::test]
async fn the_three_403s_are_told_apart() {
    for (misbehaviour, kind) in [
        (
            Misbehaviour::legacy_token(),
            ErrorKind::ForbiddenLegacyToken,
        ),
        (Misbehaviour::ip_blocked(), ErrorKind::ForbiddenIp),
        (Misbehaviour::forbidden(), ErrorKind::Forbidden),
    ] {
        let report = misbehaving(misbehaviour, quick()).await;
        assert_failure(&report, kind, Some(403));
        assert_eq!(report.verdict.exit_code(), 4);
    }
}

#[tokio::test]
async fn one_429_is_waited_out_and_retried() {
    let credential = personal();
    let server = StandInServer::builder()
        .misbehave(
            header(&credential),
            Misbehaviour::RateLimited {
                retry_after_seconds: 1,
                times: 1,
            },
        )
        .grant(header(&credential), Grant::FullScope)
        .start()
        .await
        .unwrap();
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(
        report.verdict,
        Verdict::Ok,
        "one Retry-After is honoured: {report:#?}"
    );
    assert!(
        report.timings.total_ms >= 1000,
        "the probe waited the second the server asked for"
    );
}

#[tokio::test]
async fn a_429_after_the_retry_is_rate_limited() {
    let report = misbehaving(
        Misbehaviour::RateLimited {
            retry_after_seconds: 0,
            times: usize::MAX,
        },
        ProbeOptions::default(),
    )
    .await;
    assert_failure(&report, ErrorKind::RateLimited, Some(429));
    assert_eq!(report.verdict.exit_code(), 7);
}

#[tokio::test]
async fn a_429_asking_for_longer_than_the_deadline_fails_at_once() {
    let report = misbehaving(
        Misbehaviour::RateLimited {
            retry_after_seconds: 60,
            times: usize::MAX,
        },
        quick(),
    )
    .await;
    assert_failure(&report, ErrorKind::RateLimited, Some(429));
    assert!(
        report.error.unwrap().hint.contains("60 s"),
        "the hint passes on the server's wait"
    );
}

#[tokio::test]
async fn a_5xx_is_a_server_error_and_an_html_page_is_not_mcp() {
    let report = misbehaving(Misbehaviour::server_error(), quick()).await;
    assert_failure(&report, ErrorKind::ServerError, Some(502));
    let report = misbehaving(Misbehaviour::html_page(), quick()).await;
    assert_failure(&report, ErrorKind::NotMcp, Some(200));
    assert!(
        report
            .error
            .unwrap()
            .body_excerpt
            .unwrap()
            .starts_with("<!DOCTYPE html>"),
        "the page's start is shown"
    );
}

#[tokio::test]
async fn malformed_replies_are_protocol_errors() {
    for misbehaviour in [
        Misbehaviour::huge_reply(10 * 1024 * 1024),
        Misbehaviour::invalid_utf8(),
        Misbehaviour::JsonRpcError,
    ] {
        let report = misbehaving(misbehaviour.clone(), ProbeOptions::default()).await;
        assert_failure(&report, ErrorKind::ProtocolError, Some(200));
        let excerpt = report.error.unwrap().body_excerpt.unwrap_or_default();
        assert!(
            excerpt.len() <= 256,
            "the excerpt is capped at 256 bytes, got {}",
            excerpt.len()
        );
    }
}

#[tokio::test]
async fn hanging_endless_and_slow_servers_hit_the_deadline() {
    for misbehaviour in [
        Misbehaviour::HangAfterHeaders,
        Misbehaviour::EndlessEventStream,
    ] {
        let report = misbehaving(misbehaviour, quick()).await;
        assert_failure(&report, ErrorKind::Timeout, None);
        assert!(
            report.timings.total_ms < 2000,
            "the deadline stops the wait: {} ms",
            report.timings.total_ms
        );
    }
    let credential = personal();
    let server = StandInServer::builder()
        .grant(header(&credential), Grant::FullScope)
        .latency(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    let report = run(server.url(), &credential, quick()).await;
    assert_failure(&report, ErrorKind::Timeout, None);
    assert_eq!(report.verdict.exit_code(), 6);
}

#[tokio::test]
async fn every_page_of_the_tool_list_is_read() {
    let credential = personal();
    let server = granted(
        StandInServer::builder().page_size(20),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(
        report.tools.len(),
        full_scope_counts().0,
        "the pages of 20 are joined"
    );
    assert_eq!(
        report.timings.sequential_exchanges, 4,
        "each further page of the longer list costs one exchange; the shorter one is paged beside it"
    );
}

#[tokio::test]
async fn json_replies_without_a_session_work_too() {
    let credential = personal();
    let server = granted(
        StandInServer::builder().json_replies(),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(
        report.verdict,
        Verdict::Ok,
        "application/json replies are read: {report:#?}"
    );
    assert_eq!(report.sites.len(), 1, "tool calls work without a session");
}

#[tokio::test]
async fn an_older_server_is_met_at_its_protocol_version() {
    let credential = personal();
    for version in [ProtocolVersion::V_2025_06_18, ProtocolVersion::V_2025_03_26] {
        let server = granted(
            StandInServer::builder().newest_protocol(version.clone()),
            &credential,
            Grant::FullScope,
        )
        .await;
        let report = run(server.url(), &credential, ProbeOptions::default()).await;
        assert_eq!(report.verdict, Verdict::Ok, "{version}: {report:#?}");
        assert_eq!(
            report.protocol_version.as_deref(),
            Some(version.as_str()),
            "the probe accepts the version the server negotiates down to"
        );
    }
}

#[tokio::test]
async fn a_server_without_initialize_is_spoken_to_in_the_stateless_protocol() {
    let credential = personal();
    let server = granted(
        StandInServer::builder().stateless_only(),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(
        report.verdict,
        Verdict::Ok,
        "the 2026-07-28 server is understood: {report:#?}"
    );
    assert_eq!(report.protocol_version.as_deref(), Some("2026-07-28"));
    assert_eq!(
        report.server.as_ref().map(|server| server.name.as_str()),
        Some("atlassian-rovo-mcp-stand-in"),
        "the server's identity comes from server/discover"
    );
    assert_eq!(report.sites.len(), 1, "tool calls carry their own _meta");
    assert_eq!(
        report.timings.sequential_exchanges, 2,
        "the refused initialize, then server/discover beside the first pages and the account calls"
    );
}

#[tokio::test]
async fn a_server_speaking_only_an_ancient_protocol_is_a_protocol_error() {
    let credential = personal();
    let server = granted(
        StandInServer::builder().newest_protocol(ProtocolVersion::V_2024_11_05),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, quick()).await;
    assert_failure(&report, ErrorKind::ProtocolError, None);
    assert!(
        report.error.unwrap().message.contains("2024-11-05"),
        "the message names the version"
    );
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_with_the_credential() {
    let credential = personal();
    let elsewhere = granted(StandInServer::builder(), &credential, Grant::FullScope).await;
    let report = misbehaving(
        Misbehaviour::Redirect {
            location: elsewhere.url().to_owned(),
        },
        quick(),
    )
    .await;
    assert_failure(&report, ErrorKind::NotMcp, Some(307));
    assert!(
        elsewhere.log().requests().is_empty(),
        "the other origin never received the Authorization header"
    );
}

#[tokio::test]
async fn a_server_echoing_the_credential_has_it_redacted() {
    let credential = personal();
    let echo = format!("bad credential: {} / {TOKEN}", header(&credential));
    let report = misbehaving(
        Misbehaviour::Reply {
            status: 401,
            content_type: "text/plain",
            body: echo.into_bytes(),
        },
        quick(),
    )
    .await;
    assert_failure(&report, ErrorKind::Unauthorized, Some(401));
    assert!(
        report
            .error
            .unwrap()
            .body_excerpt
            .unwrap()
            .contains("<redacted>"),
        "the echoed secret is replaced"
    );
}

#[tokio::test]
async fn nothing_listening_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1/mcp", listener.local_addr().unwrap());
    drop(listener);
    let report = run(&url, &personal(), quick()).await;
    assert_failure(&report, ErrorKind::Network, None);
    assert_eq!(report.verdict.exit_code(), 6);
}

#[tokio::test]
async fn a_peer_that_does_not_speak_tls_is_a_tls_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/v1/mcp", listener.local_addr().unwrap());
    let plain_http = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut socket, _) = listener.accept().unwrap();
        let mut hello = [0u8; 512];
        let _ = socket.read(&mut hello);
        let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
    });
    let report = run(&url, &personal(), quick()).await;
    plain_http.join().unwrap();
    assert_failure(&report, ErrorKind::Tls, None);
}

#[tokio::test]
async fn the_wizard_check_cleans_the_input_and_refuses_what_cannot_be_sent() {
    let server = granted(StandInServer::builder(), &service(), Grant::FullScope).await;
    let mut stages = Vec::new();
    let home = tempfile::tempdir().unwrap();
    let environment =
        ClientEnvironment::new(Os::Linux, home.path(), []).with_machine_policy(Vec::new());
    let pasted = Secret::new(format!("  Bearer {TOKEN}\n"));
    let window = WindowVariables {
        endpoint: Some(server.url()),
        token_url: None,
    };
    let (report, _close, _checked) = check_entered(
        EnteredCredential {
            method: AuthMethod::Service,
            email: None,
            client_id: None,
            secret: &pasted,
            token_url: None,
        },
        EndpointChoice::Recommended,
        window,
        &environment,
        &mut |stage| stages.push(stage),
    )
    .await
    .expect("a pasted Bearer value is cleaned and checked");
    assert_eq!(report.verdict, Verdict::Ok, "{report:?}");
    assert_eq!(
        stages.first(),
        Some(&rovo_mcp_core::domain::probe::ProbeProgress::Connecting),
        "progress starts with connecting: {stages:?}"
    );

    let refused = check_entered(
        EnteredCredential {
            method: AuthMethod::Personal,
            email: Some("not an email"),
            client_id: None,
            secret: &Secret::new(TOKEN),
            token_url: None,
        },
        EndpointChoice::Recommended,
        window,
        &environment,
        &mut |_| {},
    )
    .await
    .expect_err("a bad email is refused before anything is sent");
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    assert!(
        !refused.message().contains(TOKEN),
        "the refusal never repeats the token"
    );
}
