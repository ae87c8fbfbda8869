//! `rovo-mcp-setup validate` through the real binary against the stand-in Atlassian server:
//! every verdict and error kind of design §4 with its exit code, the JSON contract of design §7
//! on stdout, human text on stderr, and the secret in neither. Only loopback is used. Every run
//! logs at trace level, and what it printed and logged is kept for the suite's final leak scan.

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;
use rovo_stand_in::{
    CallRefusal, Grant, Misbehaviour, OddAccount, SECOND_SITE_CLOUD_ID, StandInServer,
    StandInServerBuilder, Surface,
};
use rovo_test_support::leak_scan::{self, secret_forms};
use serde_json::Value;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const CLASSIC_TOKEN: &str = leak_scan::CLASSIC_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";

/// What the binary did: exit code, the parsed stdout, and stderr.
struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

/// `Basic base64(email:token)`, as the server expects it; built independently of the app.
fn basic(email: &str, token: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}:{token}"))
    )
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Runs `validate --json` with `args`, the token in `$ROVO_TEST_TOKEN`, or on stdin when
/// `stdin` is given.
fn validate(args: &[&str], token: &str, stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
    command
        .arg("validate")
        .arg("--json")
        .args(args)
        .env_remove("ROVO_MCP_ENDPOINT")
        // The most verbose log, on stderr and into a captured file: the leak check below
        // covers every line on stderr, the suite's final scan the file.
        .envs(leak_scan::trace_logging())
        .env(TOKEN_VARIABLE, token)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("stdin takes the token");
    drop(input);
    let output = child.wait_with_output().expect("the binary finishes");
    leak_scan::keep_output(&output);
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("stdout is one JSON document ({error}): {stdout}"));
    let run = Run {
        code: output.status.code().expect("the binary exits normally"),
        json,
        stdout,
        stderr,
    };
    if token.len() >= 8 {
        for secret in secret_forms(token) {
            assert!(
                !run.stdout.contains(&secret) && !run.stderr.contains(&secret),
                "the secret never appears in any output:\n{}\n{}",
                run.stdout,
                run.stderr
            );
        }
    }
    run
}

fn personal_args(url: &str) -> Vec<&str> {
    vec![
        "--auth",
        "personal",
        "--email",
        EMAIL,
        "--token-env",
        TOKEN_VARIABLE,
        "--endpoint",
        url,
    ]
}

/// A server that grants the personal credential and is otherwise as `builder` says.
async fn personal_server(builder: StandInServerBuilder, grant: Grant) -> StandInServer {
    builder
        .grant(basic(EMAIL, TOKEN), grant)
        .start()
        .await
        .unwrap()
}

async fn misbehaving(misbehaviour: Misbehaviour) -> StandInServer {
    StandInServer::builder()
        .misbehave(basic(EMAIL, TOKEN), misbehaviour)
        .start()
        .await
        .unwrap()
}

#[track_caller]
fn assert_verdict(run: &Run, verdict: &str, code: i32) {
    assert_eq!(
        run.json["verdict"], verdict,
        "verdict; stderr: {}",
        run.stderr
    );
    assert_eq!(run.code, code, "the exit code of design §4 for {verdict}");
}

#[track_caller]
fn assert_failure(run: &Run, kind: &str, code: i32, status: Option<u16>) {
    assert_verdict(run, kind, code);
    let error = &run.json["error"];
    assert_eq!(error["kind"], kind, "the error repeats the kind");
    assert_eq!(
        error["httpStatus"].as_u64(),
        status.map(u64::from),
        "the HTTP status, when a reply came"
    );
    for field in ["message", "hint"] {
        assert!(
            error[field].as_str().is_some_and(|text| !text.is_empty()),
            "every failure has a {field}: {error}"
        );
    }
    assert!(
        run.stderr.contains("error: ") && run.stderr.contains("hint: "),
        "a person reads the failure on stderr: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scoped_token_is_ok_and_the_json_has_the_contract_fields() {
    let server = personal_server(StandInServer::builder(), Grant::FullScope).await;
    let run = validate(&personal_args(server.url()), TOKEN, None);
    assert_verdict(&run, "ok", 0);
    for field in [
        "verdict",
        "auth",
        "endpoint",
        "server",
        "protocolVersion",
        "tools",
        "missingGroups",
        "account",
        "sites",
        "error",
        "timings",
    ] {
        assert!(
            run.json.get(field).is_some(),
            "design §7 promises `{field}`: {}",
            run.stdout
        );
    }
    assert_eq!(run.json["auth"], "personal");
    assert_eq!(run.json["endpoint"], server.url());
    assert!(run.json["error"].is_null(), "no error when ok");
    let tool = &run.json["tools"][0];
    for field in ["name", "title", "description", "product", "readOnly"] {
        assert!(tool.get(field).is_some(), "each tool has `{field}`: {tool}");
    }
    assert!(
        run.json["sites"][0]["cloudId"].is_string(),
        "sites carry their cloudId"
    );
    assert!(
        run.json["timings"]["totalMs"].is_u64(),
        "the total time is reported"
    );
    let total = Grant::FullScope.tools_on(Surface::V2All).len();
    assert!(
        run.stderr.contains(&format!("ok: {total} tools")),
        "stderr has the human summary, counting every tool the credential unlocks: {}",
        run.stderr
    );
    assert_eq!(
        run.json["metaTools"],
        serde_json::json!([
            "discover",
            "executeRead",
            "executeWrite",
            "executeDestructive"
        ]),
        "the meta-tools are reported apart"
    );
    assert_eq!(
        run.json["exposure"]["total"], total,
        "every tool is counted"
    );
    assert!(
        run.stderr.contains("sees 17 of them directly"),
        "a person reads how a client sees the tools: {}",
        run.stderr
    );
}

/// Runs `validate` for the personal credential against a server that grants it `grant`.
async fn validate_granted(grant: Grant) -> Run {
    let server = personal_server(StandInServer::builder(), grant).await;
    validate(&personal_args(server.url()), TOKEN, None)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_at_call_time_is_never_ok() {
    for grant in [
        Grant::CallsRefused(CallRefusal::ApiTokenSignInOff),
        Grant::CallsRefused(CallRefusal::ApiTokenSignInOffMarkedError),
        Grant::CallsRefused(CallRefusal::Http403),
    ] {
        let run = validate_granted(grant).await;
        assert_verdict(&run, "forbidden", 4);
        assert!(
            run.json["account"].is_null(),
            "{grant:?}: the refusal object is never shown as the account: {}",
            run.stdout
        );
        assert!(
            run.json["error"]["hint"].as_str().is_some_and(|hint| hint
                .contains("Atlassian Administration → Rovo → Rovo MCP server → Authentication")),
            "{grant:?}: the hint names the admin path: {}",
            run.stdout
        );
    }
    let run = validate_granted(Grant::CallsRefused(CallRefusal::IpAllowlist)).await;
    assert_failure(&run, "forbidden_ip", 4, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_limited_credential_says_its_own_cause() {
    for (grant, cause) in [
        (Grant::ClassicToken, "classic_token"),
        (Grant::WrongApp, "wrong_app"),
        (Grant::PlatformOnly, "scopes_match_no_tool"),
        (
            Grant::CallsRefused(CallRefusal::Scope),
            "insufficient_scope",
        ),
    ] {
        let run = validate_granted(grant).await;
        assert_verdict(&run, "limited", 5);
        assert_eq!(
            run.json["limitation"]["cause"], cause,
            "{grant:?} is told apart by what the server returned: {}",
            run.stdout
        );
    }
    let run = validate_granted(Grant::CallsRefused(CallRefusal::Scope)).await;
    assert!(
        run.stderr.contains("read:me:agent-interface"),
        "the missing scope is named to a person: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn v1_still_works_and_several_sites_are_said_plainly() {
    let server = personal_server(StandInServer::builder(), Grant::TwoSites).await;
    let run = validate(&personal_args(server.v1_url()), TOKEN, None);
    assert_verdict(&run, "ok", 0);
    assert_eq!(
        run.json["endpoint"],
        server.v1_url(),
        "the endpoint as given"
    );
    assert!(
        run.stderr.contains("reaches 2 sites") && run.stderr.contains(SECOND_SITE_CLOUD_ID),
        "a token for several sites is said so, with each cloudId: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn odd_answers_and_endless_lists_get_a_clear_verdict() {
    let run = validate_granted(Grant::OddAccount(OddAccount::NotJson)).await;
    assert_verdict(&run, "ok", 0);
    assert!(
        run.json["account"].is_null(),
        "text that is not an account is not shown as one"
    );

    let server = StandInServer::builder()
        .grant(basic(EMAIL, TOKEN), Grant::FullScope)
        .endless_tool_pages()
        .start()
        .await
        .unwrap();
    let run = validate(&personal_args(server.url()), TOKEN, None);
    assert_failure(&run, "protocol_error", 7, None);

    let server = personal_server(StandInServer::builder(), Grant::FullScope).await;
    let with_query = format!("{}?tools=all", server.url());
    let run = validate(&personal_args(&with_query), TOKEN, None);
    assert_verdict(&run, "ok", 0);
    assert_eq!(
        run.json["exposure"]["flat"], true,
        "an endpoint with ?tools=all is flat"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_can_come_from_stdin_and_the_endpoint_from_the_environment() {
    let server = personal_server(StandInServer::builder(), Grant::FullScope).await;
    let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
    let output = command
        .args(["validate", "--json", "--email", EMAIL, "--token-stdin"])
        .env("ROVO_MCP_ENDPOINT", server.url())
        .envs(leak_scan::trace_logging())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            let mut input = child.stdin.take().expect("stdin is piped");
            input.write_all(format!("{TOKEN}\n").as_bytes())?;
            drop(input);
            child.wait_with_output()
        })
        .expect("the binary runs");
    leak_scan::keep_output(&output);
    let json: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(
        json["verdict"], "ok",
        "a piped token with its newline works: {json}"
    );
    assert_eq!(
        json["endpoint"],
        server.url(),
        "ROVO_MCP_ENDPOINT is honoured"
    );
    assert_eq!(output.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_classic_token_is_limited() {
    let server = StandInServer::builder()
        .grant(basic(EMAIL, CLASSIC_TOKEN), Grant::ClassicToken)
        .start()
        .await
        .unwrap();
    let run = validate(&personal_args(server.url()), CLASSIC_TOKEN, None);
    assert_verdict(&run, "limited", 5);
    assert_eq!(
        run.json["warnings"][0]["code"], "not_scoped_token",
        "the classic token was warned about, not blocked"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_personal_token_sent_as_bearer_is_limited() {
    let server = StandInServer::builder()
        .grant(bearer(TOKEN), Grant::TeamworkGraphOnly)
        .start()
        .await
        .unwrap();
    let args = [
        "--auth",
        "service",
        "--token-env",
        TOKEN_VARIABLE,
        "--endpoint",
        server.url(),
    ];
    let run = validate(&args, TOKEN, None);
    assert_verdict(&run, "limited", 5);
    assert_eq!(run.json["auth"], "service");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_invalid_input_before_any_request() {
    let server = personal_server(StandInServer::builder(), Grant::FullScope).await;
    let url = server.url().to_owned();
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec![
                "--email",
                "me.example.com",
                "--token-env",
                TOKEN_VARIABLE,
                "--endpoint",
                &url,
            ],
            TOKEN,
        ),
        (
            vec![
                "--email",
                EMAIL,
                "--token-env",
                TOKEN_VARIABLE,
                "--endpoint",
                &url,
            ],
            "  \n",
        ),
        (
            vec![
                "--email",
                EMAIL,
                "--token-env",
                TOKEN_VARIABLE,
                "--endpoint",
                "http://mcp.atlassian.com/v1/mcp",
            ],
            TOKEN,
        ),
        (
            vec![
                "--email",
                EMAIL,
                "--token-env",
                TOKEN_VARIABLE,
                "--endpoint",
                "not a url",
            ],
            TOKEN,
        ),
    ];
    for (args, token) in cases {
        let run = validate(&args, token, None);
        assert_failure(&run, "invalid_input", 2, None);
    }
    assert!(
        server.log().requests().is_empty(),
        "bad input never reaches the server"
    );
}

#[test]
fn a_secret_is_never_accepted_as_an_argument_value() {
    let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
        .args(["validate", "--token", TOKEN])
        .envs(leak_scan::trace_logging())
        .output()
        .expect("the binary runs");
    leak_scan::keep_output(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "there is no --token flag: a usage error"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains(TOKEN),
        "the refused value is not echoed: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_credential_is_unauthorized() {
    let server = personal_server(StandInServer::builder(), Grant::FullScope).await;
    let run = validate(&personal_args(server.url()), leak_scan::REFUSED_TOKEN, None);
    assert_failure(&run, "unauthorized", 3, Some(401));
    assert_eq!(
        run.json["error"]["bodyExcerpt"], "Unauthorized",
        "the body's start is shown"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_403s_are_forbidden_ip_legacy_token_and_forbidden() {
    for (misbehaviour, kind) in [
        (Misbehaviour::ip_blocked(), "forbidden_ip"),
        (Misbehaviour::legacy_token(), "forbidden_legacy_token"),
        (Misbehaviour::forbidden(), "forbidden"),
    ] {
        let server = misbehaving(misbehaviour).await;
        let run = validate(&personal_args(server.url()), TOKEN, None);
        assert_failure(&run, kind, 4, Some(403));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn network_tls_and_timeout_exit_6() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}/v1/mcp", closed.local_addr().unwrap());
    drop(closed);
    let run = validate(&personal_args(&closed_url), TOKEN, None);
    assert_failure(&run, "network", 6, None);

    let plain = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let tls_url = format!("https://{}/v1/mcp", plain.local_addr().unwrap());
    let plain_http = std::thread::spawn(move || {
        use std::io::Read;
        let (mut socket, _) = plain.accept().unwrap();
        let mut hello = [0u8; 512];
        let _ = socket.read(&mut hello);
        let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
    });
    let run = validate(&personal_args(&tls_url), TOKEN, None);
    plain_http.join().unwrap();
    assert_failure(&run, "tls", 6, None);

    for misbehaviour in [
        Misbehaviour::HangAfterHeaders,
        Misbehaviour::EndlessEventStream,
    ] {
        let server = misbehaving(misbehaviour).await;
        let mut args = personal_args(server.url());
        args.extend(["--timeout", "0.6"]);
        let run = validate(&args, TOKEN, None);
        assert_failure(&run, "timeout", 6, None);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_side_failures_exit_7() {
    let cases = [
        (
            Misbehaviour::RateLimited {
                retry_after_seconds: 0,
                times: usize::MAX,
            },
            "rate_limited",
            Some(429),
        ),
        (Misbehaviour::server_error(), "server_error", Some(502)),
        (Misbehaviour::html_page(), "not_mcp", Some(200)),
        (Misbehaviour::JsonRpcError, "protocol_error", Some(200)),
        (Misbehaviour::invalid_utf8(), "protocol_error", Some(200)),
        (
            Misbehaviour::huge_reply(10 * 1024 * 1024),
            "protocol_error",
            Some(200),
        ),
    ];
    for (misbehaviour, kind, status) in cases {
        let server = misbehaving(misbehaviour).await;
        let run = validate(&personal_args(server.url()), TOKEN, None);
        assert_failure(&run, kind, 7, status);
        let excerpt = run.json["error"]["bodyExcerpt"]
            .as_str()
            .unwrap_or_default();
        assert!(excerpt.len() <= 256, "the excerpt is at most 256 bytes");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_proxy_environment_is_never_used_for_loopback() {
    let server = personal_server(StandInServer::builder(), Grant::FullScope).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_proxy = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let run_with = |no_proxy: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
            .args(["validate", "--json"])
            .args(personal_args(server.url()))
            .env(TOKEN_VARIABLE, TOKEN)
            .env("HTTP_PROXY", &dead_proxy)
            .env("http_proxy", &dead_proxy)
            .env("NO_PROXY", no_proxy)
            .env("no_proxy", no_proxy)
            .envs(leak_scan::trace_logging())
            .output()
            .expect("the binary runs");
        leak_scan::keep_output(&output);
        serde_json::from_slice::<Value>(&output.stdout).expect("stdout is JSON")
    };
    for no_proxy in ["", "localhost", "127.0.0.1"] {
        assert_eq!(
            run_with(no_proxy)["verdict"],
            "ok",
            "NO_PROXY={no_proxy:?}: the check goes straight to the server on this computer, \
             never through the proxy that is not there (issue 19, finding 2)"
        );
    }
}

const CLIENT_ID: &str = "stand-in-client-0123456789abcdef";
const CLIENT_SECRET: &str = leak_scan::OAUTH_CLIENT_SECRET;

/// The stand-in with a token endpoint that knows four clients: a good one, one not allowed the
/// grant, one without Rovo MCP scopes, and one behind a captive portal.
fn oauth_server(runtime: &tokio::runtime::Runtime) -> StandInServer {
    use rovo_stand_in::TokenAnswer;
    runtime
        .block_on(
            StandInServer::builder()
                .oauth_client(
                    CLIENT_ID,
                    CLIENT_SECRET,
                    TokenAnswer::Issue {
                        grant: Grant::FullScope,
                        lifetime: std::time::Duration::from_secs(3600),
                    },
                )
                .oauth_client(
                    "not-a-service-account",
                    CLIENT_SECRET,
                    TokenAnswer::GrantNotAllowed,
                )
                .oauth_client("no-rovo-scopes", CLIENT_SECRET, TokenAnswer::MissingScopes)
                .oauth_client("behind-a-portal", CLIENT_SECRET, TokenAnswer::HtmlPage)
                .start(),
        )
        .unwrap()
}

/// `validate --auth service-oauth` of `client_id` with `secret` against `server`'s endpoints,
/// checked for the client secret and every access token in its output.
fn validate_oauth(server: &StandInServer, client_id: &str, secret: &str) -> Run {
    let run = validate(
        &[
            "--endpoint",
            server.url(),
            "--auth",
            "service-oauth",
            "--client-id",
            client_id,
            "--token-url",
            server.token_url(),
            "--token-env",
            TOKEN_VARIABLE,
        ],
        secret,
        None,
    );
    for leaked in [CLIENT_SECRET, rovo_stand_in::ACCESS_TOKEN_PREFIX] {
        assert!(
            !run.stdout.contains(leaked) && !run.stderr.contains(leaked),
            "no client secret and no access token in any output:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

/// `validate --auth service-oauth`: the client ID and secret, pasted with spaces around them,
/// exchanged at the token endpoint (`--token-url`) for an access token that is probed like any
/// credential, with the same verdict and tools.
#[test]
fn a_service_accounts_oauth_client_is_exchanged_then_checked() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = oauth_server(&runtime);
    let ok = validate_oauth(
        &server,
        &format!("  {CLIENT_ID}\n"),
        &format!("\n{CLIENT_SECRET}  "),
    );
    assert_eq!(
        (
            ok.code,
            ok.json["verdict"].as_str(),
            ok.json["auth"].as_str()
        ),
        (0, Some("ok"), Some("service-oauth")),
        "the exchanged token signs in, spaces pasted around both cleaned: {}",
        ok.stderr
    );
    assert!(
        ok.json["tools"]
            .as_array()
            .is_some_and(|tools| tools.len() > 10),
        "the same tools as any full credential: {}",
        ok.stdout
    );
    assert_eq!(
        server.access_tokens_issued(),
        1,
        "one exchange for one check"
    );
}

/// Every refusal of the token endpoint is its own kind and exit code with a hint; a secret
/// pasted as the ID, a missing ID and a token endpoint over plain http to another host are
/// invalid input, refused before the secret is sent anywhere.
#[test]
fn each_refusal_of_an_oauth_client_has_its_kind_exit_code_and_hint() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = oauth_server(&runtime);
    for (client_id, secret, kind, code) in [
        (
            CLIENT_ID,
            "ATOA-a-wrong-secret-0123456789",
            "oauth_client_rejected",
            3,
        ),
        (
            "not-a-service-account",
            CLIENT_SECRET,
            "oauth_grant_refused",
            4,
        ),
        ("no-rovo-scopes", CLIENT_SECRET, "oauth_scope_missing", 5),
        (
            "behind-a-portal",
            CLIENT_SECRET,
            "token_endpoint_invalid",
            7,
        ),
        (CLIENT_SECRET, CLIENT_SECRET, "invalid_input", 2),
    ] {
        let run = validate_oauth(&server, client_id, secret);
        assert_eq!(
            (run.code, run.json["error"]["kind"].as_str()),
            (code, Some(kind)),
            "{kind}: {}",
            run.stderr
        );
        assert!(
            run.json["error"]["hint"]
                .as_str()
                .is_some_and(|hint| !hint.contains("fault of the app")),
            "each refusal says what to do: {}",
            run.json["error"]
        );
    }
    let without_id = validate(
        &[
            "--endpoint",
            server.url(),
            "--auth",
            "service-oauth",
            "--token-env",
            TOKEN_VARIABLE,
        ],
        CLIENT_SECRET,
        None,
    );
    assert_eq!(
        (without_id.code, without_id.json["error"]["kind"].as_str()),
        (2, Some("invalid_input")),
        "--client-id is needed: {}",
        without_id.stderr
    );
    let plain_http = validate(
        &[
            "--endpoint",
            server.url(),
            "--auth",
            "service-oauth",
            "--client-id",
            CLIENT_ID,
            "--token-url",
            "http://auth.example.com/oauth/token",
            "--token-env",
            TOKEN_VARIABLE,
        ],
        CLIENT_SECRET,
        None,
    );
    assert_eq!(
        plain_http.code, 2,
        "a token endpoint over plain http to another host is refused: {}",
        plain_http.stderr
    );
    assert_eq!(
        server.access_tokens_issued(),
        0,
        "no refused client got a token"
    );
}
