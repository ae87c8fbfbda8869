//! The probe against the stand-in Atlassian server: every verdict and error kind of design §4,
//! the protocol variations (SSE and JSON replies, pagination, negotiating down), the network
//! rules (deadlines, one retry on 429, no credential across origins), and that no report ever
//! carries the secret. Only loopback is used.

use std::time::Duration;

use rmcp::model::ProtocolVersion;
use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::auth_method::AuthMethod;
use rovo_mcp_core::catalogue::Product;
use rovo_mcp_core::clients::{ClientEnvironment, Os};
use rovo_mcp_core::credentials::{Credential, prepare_credential};
use rovo_mcp_core::probe::report::MissingReason;
use rovo_mcp_core::probe::{Endpoint, ProbeOptions, ProbeReport, Verdict, probe};
use rovo_mcp_core::secrets::Secret;
use rovo_mcp_core::wizard::check_entered;
use rovo_test_support::leak_scan;
use rovo_test_support::mcp_server::{
    ACCOUNT_EMAIL, Grant, Misbehaviour, SITE_CLOUD_ID, TestMcpServer, TestMcpServerBuilder,
};

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;

/// Every probe in these tests logs at trace level into the suite's captures, for the final
/// leak scan; each test starts from one of the two credentials below.
fn trace_logging() {
    rovo_mcp_core::logging::init_with(Some("trace"), Some(leak_scan::in_process_log_file()), false);
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
    let server = TestMcpServer::builder()
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
    builder: TestMcpServerBuilder,
    credential: &Credential,
    grant: Grant,
) -> TestMcpServer {
    builder
        .grant(header(credential), grant)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_fully_scoped_token_is_ok_with_tools_account_and_sites_in_three_exchanges() {
    let credential = personal();
    // A little latency keeps the notification's 202 from finishing before tools/list arrives,
    // so the server's own count of waves is exact.
    let server = granted(
        TestMcpServer::builder().latency(Duration::from_millis(30)),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;

    assert_eq!(
        report.verdict,
        Verdict::Ok,
        "product tools are listed: {report:#?}"
    );
    assert_eq!(report.tools.len(), 8, "every granted tool is listed");
    assert_eq!(report.protocol_version.as_deref(), Some("2025-11-25"));
    assert_eq!(
        report.server.as_ref().map(|server| server.name.as_str()),
        Some("atlassian-rovo-mcp-stand-in")
    );
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
        (2, 1),
        "Jira's tools split by read/write"
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
    let compass = report
        .missing_groups
        .iter()
        .find(|group| group.group == "read_compass")
        .expect("Compass is missing for any token");
    assert_eq!(compass.reason, MissingReason::OauthOnly);
    assert!(
        !report
            .missing_groups
            .iter()
            .any(|group| group.group == "write_jira"),
        "a listed group is not missing"
    );
    assert_eq!(
        report.timings.sequential_exchanges, 3,
        "initialize, then tools/list beside the notification, then both account calls together"
    );
    assert_eq!(
        server.log().sequential_exchanges(&http::Method::DELETE),
        3,
        "the server saw three sequential exchanges too"
    );
    assert!(
        server
            .log()
            .requests()
            .iter()
            .any(|request| request.http_method == http::Method::DELETE),
        "the session is ended with DELETE"
    );
}

#[tokio::test]
async fn a_classic_token_that_sees_only_platform_tools_is_limited() {
    let credential = personal();
    let server = granted(TestMcpServer::builder(), &credential, Grant::PlatformOnly).await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Limited, "signed in is not enough");
    assert_eq!(report.verdict.exit_code(), 5);
    let limitation = report.limitation.expect("limited says why");
    assert!(
        limitation.message.contains("classic token"),
        "names the likely cause: {}",
        limitation.message
    );
    assert!(report.error.is_none(), "limited is a verdict, not an error");
}

#[tokio::test]
async fn a_personal_token_sent_as_bearer_sees_only_teamwork_graph_and_is_limited() {
    let credential = service();
    let server = granted(
        TestMcpServer::builder(),
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
    let server = granted(TestMcpServer::builder(), &service(), Grant::FullScope).await;
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
    let server = TestMcpServer::builder()
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
    let server = TestMcpServer::builder()
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
        TestMcpServer::builder().page_size(3),
        &credential,
        Grant::FullScope,
    )
    .await;
    let report = run(server.url(), &credential, ProbeOptions::default()).await;
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(
        report.tools.len(),
        8,
        "three pages of 3, 3 and 2 tools are joined"
    );
    assert_eq!(
        report.timings.sequential_exchanges, 5,
        "each further page costs one exchange"
    );
}

#[tokio::test]
async fn json_replies_without_a_session_work_too() {
    let credential = personal();
    let server = granted(
        TestMcpServer::builder().json_replies(),
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
            TestMcpServer::builder().newest_protocol(version.clone()),
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
        TestMcpServer::builder().stateless_only(),
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
        report.timings.sequential_exchanges, 3,
        "the refused initialize, server/discover beside the first page, then the account calls"
    );
}

#[tokio::test]
async fn a_server_speaking_only_an_ancient_protocol_is_a_protocol_error() {
    let credential = personal();
    let server = granted(
        TestMcpServer::builder().newest_protocol(ProtocolVersion::V_2024_11_05),
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
    let elsewhere = granted(TestMcpServer::builder(), &credential, Grant::FullScope).await;
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
    let server = granted(TestMcpServer::builder(), &service(), Grant::FullScope).await;
    let mut stages = Vec::new();
    let home = tempfile::tempdir().unwrap();
    let environment =
        ClientEnvironment::new(Os::Linux, home.path(), []).with_machine_policy(Vec::new());
    let (report, _close, _checked) = check_entered(
        AuthMethod::Service,
        None,
        &Secret::new(format!("  Bearer {TOKEN}\n")),
        Some(server.url()),
        &environment,
        &mut |stage| stages.push(stage),
    )
    .await
    .expect("a pasted Bearer value is cleaned and checked");
    assert_eq!(report.verdict, Verdict::Ok, "{report:?}");
    assert_eq!(
        stages.first(),
        Some(&rovo_mcp_core::probe::ProbeProgress::Connecting),
        "progress starts with connecting: {stages:?}"
    );

    let refused = check_entered(
        AuthMethod::Personal,
        Some("not an email"),
        &Secret::new(TOKEN),
        Some(server.url()),
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
