//! The bridge end to end: a real rmcp client speaks MCP over an in-process pipe (what stdin and
//! stdout are for a stdio client) to `run_bridge`, which proxies to the stand-in Streamable
//! HTTP server. Covers the listing (over pages) and calling of tools, resources and prompts,
//! a request from the server to the client, notifications and progress, cancellation, an
//! expired session, a rejected credential, an unreachable server, a server that dies mid-call,
//! a bridge with no credential, garbage on stdin, and a service account's OAuth client whose
//! access tokens are renewed while the client stays connected.

use std::time::Duration;

use rmcp::model::{
    CallToolRequest, CallToolRequestParams, ClientCapabilities, ClientConfig, ClientRequest,
    ErrorData, GetPromptRequestParams, Implementation, ProtocolVersion, ReadResourceRequestParams,
    ResourceContents,
};
use rmcp::service::{
    ClientInitializeError, NotificationContext, PeerRequestOptions, RequestContext, RunningService,
    ServiceError,
};
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use rovo_mcp_core::domain::bridge::{
    BridgeConfig, BridgeCredential, run_bridge, run_unavailable_bridge,
};
use rovo_mcp_core::domain::oauth::{self, ClientCredentials, TokenSource};
use rovo_mcp_core::domain::probe::Endpoint;
use rovo_mcp_core::domain::secrets::Secret;
use rovo_mcp_core::{Error, ErrorKind};
use rovo_stand_in::{
    Grant, STAND_IN_PROMPT, STAND_IN_RESOURCE_URI, StandInServer, Surface, TokenAnswer,
};
use rovo_test_support::leak_scan;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// The header of a service account key the stand-in server grants.
fn good() -> String {
    trace_logging();
    format!("Bearer {}", leak_scan::SERVICE_KEY)
}

/// The header of a token the stand-in server refuses.
fn revoked() -> String {
    format!("Bearer {}", leak_scan::REVOKED_TOKEN)
}

/// The bridge logs at trace level into the suite's captures, for the final leak scan.
fn trace_logging() {
    rovo_mcp_core::plumbing::logging::init_with(
        Some("trace"),
        Some(leak_scan::in_process_log_file()),
        false,
    );
}
/// Long enough for any step on a loaded machine, short enough to call a wait a hang.
const PATIENCE: Duration = Duration::from_secs(30);

type Client = RunningService<RoleClient, ClientConfig>;
type Bridge = JoinHandle<rovo_mcp_core::Result<()>>;

fn client_config() -> ClientConfig {
    ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new("bridge-test-client", "1.0.0"),
    )
    .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
}

/// Starts the bridge to `endpoint` with `authorization` on one end of a pipe; returns the
/// other end, which plays the AI client's side of stdin and stdout.
fn start_bridge(endpoint: &str, authorization: &str) -> (DuplexStream, Bridge) {
    let (client_end, bridge_end) = tokio::io::duplex(1 << 16);
    let (input, output) = tokio::io::split(bridge_end);
    let config = BridgeConfig {
        endpoint: Endpoint::parse(endpoint).expect("the stand-in's URL passes the endpoint rule"),
        credential: BridgeCredential::Header(Secret::new(authorization)),
    };
    let bridge = tokio::spawn(run_bridge(config, input, output));
    (client_end, bridge)
}

async fn connect(client_end: DuplexStream) -> Result<Client, ClientInitializeError> {
    let (read, write) = tokio::io::split(client_end);
    timeout(PATIENCE, client_config().serve((read, write)))
        .await
        .expect("initialize through the bridge answers, one way or the other")
}

async fn bridge_outcome(bridge: Bridge) -> rovo_mcp_core::Result<()> {
    timeout(PATIENCE, bridge)
        .await
        .expect("the bridge ends once its client is gone")
        .expect("the bridge task does not panic")
}

fn initialize_error(error: &ClientInitializeError) -> &ErrorData {
    match error {
        ClientInitializeError::JsonRpcError(error) => error,
        other => panic!("initialize should fail with a JSON-RPC error, got {other:?}"),
    }
}

fn initialize_error_message(error: &ClientInitializeError) -> String {
    initialize_error(error).message.to_string()
}

fn call_error_message(error: &ServiceError) -> String {
    match error {
        ServiceError::McpError(error) => error.message.to_string(),
        other => panic!("the call should fail with a JSON-RPC error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_tool_is_listed_and_a_tool_call_returns_its_result() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let client = connect(client_end)
        .await
        .expect("a granted credential initializes through the bridge");

    let server_info = client.peer_info().expect("the bridge answered initialize");
    assert_eq!(
        server_info
            .server_info
            .as_ref()
            .map(|info| info.name.as_str()),
        Some("atlassian-rovo-mcp-stand-in"),
        "the client sees the remote server's identity, not the bridge's"
    );
    assert!(
        server_info.capabilities.tools.is_some(),
        "the remote server's capabilities are presented: {:?}",
        server_info.capabilities
    );

    let listed: Vec<String> = client
        .list_all_tools()
        .await
        .expect("tools/list is forwarded")
        .into_iter()
        .map(|tool| tool.name.to_string())
        .collect();
    let expected: Vec<&str> = Grant::FullScope
        .tools_on(Surface::V2Primary)
        .into_iter()
        .map(|tool| tool.name)
        .collect();
    assert_eq!(
        listed, expected,
        "every tool of the remote server is listed, in order"
    );

    let result = client
        .call_tool(CallToolRequestParams::new("getVisibleJiraProjects"))
        .await
        .expect("tools/call is forwarded");
    let text = result
        .content
        .first()
        .and_then(|content| content.as_text())
        .map(|text| text.text.clone());
    assert_eq!(
        text.as_deref(),
        Some("getVisibleJiraProjects answered by the stand-in server"),
        "the tool's result comes back unchanged"
    );

    client.cancel().await.unwrap();
    assert!(
        bridge_outcome(bridge).await.is_ok(),
        "closing stdin ends the bridge without an error (exit 0)"
    );
}

#[tokio::test]
async fn resources_and_prompts_pass_through_when_the_server_offers_them() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    server.offer_resources_and_prompts();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let client = connect(client_end).await.expect("initializes");

    let capabilities = &client.peer_info().expect("initialized").capabilities;
    assert!(
        capabilities.resources.is_some() && capabilities.prompts.is_some(),
        "the client is told what the remote server offers: {capabilities:?}"
    );
    let resources = client
        .list_all_resources()
        .await
        .expect("resources/list is forwarded");
    assert_eq!(
        resources
            .iter()
            .map(|resource| resource.uri.as_str())
            .collect::<Vec<_>>(),
        [STAND_IN_RESOURCE_URI],
        "the server's resources are listed"
    );
    let read = client
        .read_resource(ReadResourceRequestParams::new(STAND_IN_RESOURCE_URI))
        .await
        .expect("resources/read is forwarded");
    assert!(
        matches!(
            read.contents.first(),
            Some(ResourceContents::TextResourceContents { text, .. })
                if text == "read from the stand-in server"
        ),
        "the resource's contents come back unchanged: {read:?}"
    );

    let prompts = client
        .list_all_prompts()
        .await
        .expect("prompts/list is forwarded");
    assert_eq!(
        prompts
            .iter()
            .map(|prompt| prompt.name.as_str())
            .collect::<Vec<_>>(),
        [STAND_IN_PROMPT],
        "the server's prompts are listed"
    );
    let prompt = client
        .get_prompt(GetPromptRequestParams::new(STAND_IN_PROMPT))
        .await
        .expect("prompts/get is forwarded");
    assert_eq!(
        prompt.messages.len(),
        1,
        "the prompt's messages come back: {prompt:?}"
    );

    client.cancel().await.unwrap();
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

#[tokio::test]
async fn a_remote_json_rpc_error_reaches_the_client_unchanged() {
    let server = StandInServer::start([(good(), Grant::PlatformOnly)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let client = connect(client_end).await.expect("initializes");

    let error = client
        .call_tool(CallToolRequestParams::new("createJiraIssue"))
        .await
        .expect_err("a tool outside the grant is refused by the server");
    let ServiceError::McpError(error) = error else {
        panic!("the server's refusal arrives as a JSON-RPC error: {error:?}");
    };
    assert_eq!(
        error.code,
        rmcp::model::ErrorCode::METHOD_NOT_FOUND,
        "the remote server's error code passes through unchanged"
    );

    client.cancel().await.unwrap();
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

#[tokio::test]
async fn a_rejected_credential_fails_initialize_with_the_next_step_and_no_secret() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &revoked());
    let error = connect(client_end)
        .await
        .expect_err("the server refuses the credential with 401");

    assert_eq!(
        initialize_error(&error).data,
        Some(json!({"kind": "unauthorized", "httpStatus": 401})),
        "tools that read the error data get the kind and the status"
    );
    let message = initialize_error_message(&error);
    assert!(
        message.contains("rejected (HTTP 401)"),
        "the client is told the token was rejected: {message}"
    );
    assert!(
        message.contains("rovo-mcp-setup rotate"),
        "the client is told what to do next: {message}"
    );
    let credential = leak_scan::REVOKED_TOKEN;
    assert!(
        !message.contains(credential),
        "the credential never appears in the error: {message}"
    );

    let outcome = bridge_outcome(bridge).await;
    let failure = outcome.expect_err("a refused initialize ends the bridge with the failure");
    assert_eq!(
        failure.kind(),
        ErrorKind::Unauthorized,
        "the exit code says unauthorized: {failure:?}"
    );
    assert!(
        !failure.message().contains(credential),
        "nor in the bridge's own error: {failure:?}"
    );
}

#[tokio::test]
async fn an_unreachable_server_fails_initialize_saying_so() {
    // A port that was just free and has no listener: the connection is refused at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/v1/mcp", listener.local_addr().unwrap());
    drop(listener);

    let (client_end, bridge) = start_bridge(&endpoint, &good());
    let error = connect(client_end)
        .await
        .expect_err("nothing listens at the endpoint");
    let message = initialize_error_message(&error);
    assert!(
        message.contains("could not reach") && message.contains(&endpoint),
        "the client is told which server could not be reached: {message}"
    );
    assert_eq!(
        bridge_outcome(bridge).await.map_err(|error| error.kind()),
        Err(ErrorKind::Network),
        "the exit code says network"
    );
}

#[tokio::test]
async fn a_server_killed_mid_call_fails_the_pending_call_instead_of_hanging() {
    let mut server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let client = connect(client_end).await.expect("initializes");

    server.hold_tool_calls();
    let pending = {
        let peer = client.peer().clone();
        tokio::spawn(async move {
            peer.call_tool(CallToolRequestParams::new("atlassianUserInfo"))
                .await
        })
    };
    timeout(PATIENCE, server.tool_call_held())
        .await
        .expect("the call reaches the server through the bridge");
    server.kill().await;

    let answer = timeout(PATIENCE, pending)
        .await
        .expect("the pending call ends when the server dies; it must not hang")
        .unwrap();
    let message = call_error_message(&answer.expect_err("a dead server gives no result"));
    assert!(
        message.contains("Atlassian Rovo MCP server"),
        "the error names the server that went away: {message}"
    );

    let next = timeout(PATIENCE, client.list_all_tools())
        .await
        .expect("a request after the server died is answered, not left hanging");
    let message = call_error_message(&next.expect_err("the server is gone"));
    assert!(
        message.contains("try again"),
        "the error says what to do next: {message}"
    );

    client.cancel().await.unwrap();
    assert!(
        bridge_outcome(bridge).await.is_ok(),
        "the bridge outlives its server and ends cleanly when stdin closes"
    );
}

#[tokio::test]
async fn a_bridge_without_a_credential_tells_the_client_why() {
    let (client_end, bridge_end) = tokio::io::duplex(1 << 16);
    let (input, output) = tokio::io::split(bridge_end);
    let reason = Error::new(
        ErrorKind::KeychainUnavailable,
        "the keychain is locked or refused access; unlock it and restart the AI client",
    );
    let bridge = tokio::spawn(run_unavailable_bridge(reason, input, output));

    let error = connect(client_end)
        .await
        .expect_err("there is nothing to proxy to");
    assert_eq!(
        initialize_error_message(&error),
        "the keychain is locked or refused access; unlock it and restart the AI client",
        "the client shows the reason exactly"
    );
    assert_eq!(
        bridge_outcome(bridge).await.map_err(|error| error.kind()),
        Err(ErrorKind::KeychainUnavailable),
        "the exit code keeps the reason's kind"
    );
}

/// Writes one line to the bridge's stdin.
async fn send_line(stdin: &mut (impl AsyncWriteExt + Unpin), line: &[u8]) {
    stdin.write_all(line).await.unwrap();
    stdin.write_all(b"\n").await.unwrap();
    stdin.flush().await.unwrap();
}

/// Reads the next message the bridge writes to stdout.
async fn next_message(stdout: &mut (impl AsyncBufReadExt + Unpin)) -> Value {
    let mut line = String::new();
    let read = timeout(PATIENCE, stdout.read_line(&mut line))
        .await
        .expect("the bridge answers")
        .unwrap();
    assert!(read > 0, "the bridge's stdout stays open while it serves");
    serde_json::from_str(&line).expect("every line on stdout is one JSON-RPC message")
}

/// Reads the bridge's stdout up to the response to request `id`, skipping notifications.
async fn response_to(stdout: &mut (impl AsyncBufReadExt + Unpin), id: u64) -> Value {
    loop {
        let message = next_message(stdout).await;
        if message["id"] == json!(id) {
            return message;
        }
    }
}

/// Sends `initialize` (id 1) and `notifications/initialized` as a client writes them, and
/// returns the answer to `initialize`.
async fn initialize_by_hand(
    stdin: &mut (impl AsyncWriteExt + Unpin),
    stdout: &mut (impl AsyncBufReadExt + Unpin),
) -> Value {
    initialize_by_hand_with_version(stdin, stdout, "2025-11-25").await
}

async fn initialize_by_hand_with_version(
    stdin: &mut (impl AsyncWriteExt + Unpin),
    stdout: &mut (impl AsyncBufReadExt + Unpin),
    protocol_version: &str,
) -> Value {
    let initialize = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": protocol_version,
            "capabilities": {},
            "clientInfo": {"name": "raw-test-client", "version": "1.0.0"},
        },
    });
    send_line(stdin, initialize.to_string().as_bytes()).await;
    let answer = response_to(stdout, 1).await;
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    send_line(stdin, initialized.to_string().as_bytes()).await;
    answer
}

#[tokio::test]
async fn the_client_gets_the_protocol_version_the_remote_server_agreed_to() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    for (asked, agreed) in [
        ("2025-03-26", "2025-03-26"),
        ("2025-06-18", "2025-06-18"),
        // A revision without `initialize`: the remote session is opened on the newest one
        // that has it, and the client is told so.
        ("2026-07-28", "2025-11-25"),
    ] {
        let (client_end, bridge) = start_bridge(server.url(), &good());
        let (stdout, mut stdin) = tokio::io::split(client_end);
        let mut stdout = BufReader::new(stdout);
        let answer = initialize_by_hand_with_version(&mut stdin, &mut stdout, asked).await;
        assert_eq!(
            answer["result"]["protocolVersion"],
            json!(agreed),
            "a client asking for {asked} is answered with the version of the remote session"
        );
        drop(stdin);
        drop(stdout);
        assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
    }
}

#[tokio::test]
async fn garbage_on_stdin_is_skipped_and_the_session_goes_on() {
    let server = StandInServer::start([(good(), Grant::PlatformOnly)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let (stdout, mut stdin) = tokio::io::split(client_end);
    let mut stdout = BufReader::new(stdout);

    send_line(&mut stdin, b"this is not JSON").await;
    send_line(&mut stdin, &[0xff, 0xfe, 0x00, 0x9f]).await;
    send_line(&mut stdin, b"{\"jsonrpc\":\"2.0\",\"id\":").await;
    let answer = initialize_by_hand(&mut stdin, &mut stdout).await;
    assert_eq!(
        answer["result"]["serverInfo"]["name"],
        json!("atlassian-rovo-mcp-stand-in"),
        "initialize succeeds after the garbage: {answer}"
    );

    send_line(&mut stdin, b"}}}} still not JSON {{{{").await;
    send_line(&mut stdin, b"[1, 2, 3]").await;
    send_line(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
            .to_string()
            .as_bytes(),
    )
    .await;
    let answer = response_to(&mut stdout, 2).await;
    let names: Vec<&str> = answer["result"]["tools"]
        .as_array()
        .expect("tools/list answers with tools after more garbage")
        .iter()
        .filter_map(|tool| tool["name"].as_str())
        .collect();
    let expected: Vec<&str> = Grant::PlatformOnly
        .tools_on(Surface::V2Primary)
        .into_iter()
        .map(|tool| tool.name)
        .collect();
    assert_eq!(names, expected, "the session still works: {answer}");

    drop(stdin);
    drop(stdout);
    assert!(
        bridge_outcome(bridge).await.is_ok(),
        "closing stdin after garbage still ends the bridge cleanly"
    );
}

/// An MCP client that reports each `notifications/tools/list_changed` it receives.
#[derive(Debug, Clone)]
struct ListChangeWatcher {
    heard: mpsc::UnboundedSender<()>,
}

impl ClientHandler for ListChangeWatcher {
    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        let _ = self.heard.send(());
    }

    fn get_info(&self) -> ClientConfig {
        client_config()
    }
}

async fn connect_watching(
    client_end: DuplexStream,
) -> (
    RunningService<RoleClient, ListChangeWatcher>,
    mpsc::UnboundedReceiver<()>,
) {
    let (heard, list_changes) = mpsc::unbounded_channel();
    let (read, write) = tokio::io::split(client_end);
    let client = timeout(PATIENCE, ListChangeWatcher { heard }.serve((read, write)))
        .await
        .expect("initialize answers")
        .expect("a granted credential initializes through the bridge");
    (client, list_changes)
}

fn call(name: &'static str) -> ClientRequest {
    ClientRequest::CallToolRequest(CallToolRequest::new(CallToolRequestParams::new(name)))
}

#[tokio::test]
async fn tools_listed_over_pages_pass_every_cursor_through() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    server.page_tools(3);
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let client = connect(client_end).await.expect("initializes");

    let first = client
        .list_tools(None)
        .await
        .expect("the first page is forwarded");
    assert_eq!(first.tools.len(), 3, "the server's page size is kept");
    assert!(
        first.next_cursor.is_some(),
        "the cursor to the next page reaches the client"
    );
    let every: Vec<String> = client
        .list_all_tools()
        .await
        .expect("every page is forwarded")
        .into_iter()
        .map(|tool| tool.name.to_string())
        .collect();
    let expected: Vec<&str> = Grant::FullScope
        .tools_on(Surface::V2Primary)
        .into_iter()
        .map(|tool| tool.name)
        .collect();
    assert_eq!(
        every, expected,
        "following the cursors lists every tool once"
    );

    client.cancel().await.unwrap();
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

#[tokio::test]
async fn progress_comes_back_under_the_clients_own_token() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let (stdout, mut stdin) = tokio::io::split(client_end);
    let mut stdout = BufReader::new(stdout);
    initialize_by_hand(&mut stdin, &mut stdout).await;

    // A token no rmcp counter would produce, so a token the bridge forgot to map back shows.
    let call = json!({
        "jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "atlassianUserInfo", "_meta": {"progressToken": "client-token-7"}},
    });
    send_line(&mut stdin, call.to_string().as_bytes()).await;
    let mut progress_tokens = Vec::new();
    let answer = loop {
        let message = next_message(&mut stdout).await;
        if message["method"] == json!("notifications/progress") {
            progress_tokens.push(message["params"]["progressToken"].clone());
        } else if message["id"] == json!(7) {
            break message;
        }
    };
    assert!(
        answer["result"]["content"].is_array(),
        "the call is answered with its result: {answer}"
    );
    assert_eq!(
        progress_tokens,
        [json!("client-token-7")],
        "the server's progress reaches the client under the token the client chose"
    );

    drop(stdin);
    drop(stdout);
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

#[tokio::test]
async fn a_tool_list_change_reaches_the_client() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let (client, mut list_changes) = connect_watching(client_end).await;

    // The remote session registers and opens its event stream just after `initialize`, so
    // the server announces until the client has heard it once.
    timeout(PATIENCE, async {
        loop {
            server.notify_tool_list_changed().await.unwrap();
            if let Ok(Some(())) = timeout(Duration::from_millis(200), list_changes.recv()).await {
                return;
            }
        }
    })
    .await
    .expect("a list change sent by the server reaches the client");

    client.cancel().await.unwrap();
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

#[tokio::test]
async fn a_cancelled_call_is_cancelled_on_the_server() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    server.hold_tool_calls();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let client = connect(client_end).await.expect("initializes");

    let handle = client
        .send_cancellable_request(call("atlassianUserInfo"), PeerRequestOptions::no_options())
        .await
        .unwrap();
    timeout(PATIENCE, server.tool_call_held())
        .await
        .expect("the call reaches the server");
    handle
        .cancel(Some("the person pressed stop".to_owned()))
        .await
        .unwrap();
    timeout(PATIENCE, server.tool_call_cancelled())
        .await
        .expect("the client's cancellation reaches the server under the forwarded id");

    client.cancel().await.unwrap();
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

#[tokio::test]
async fn an_expired_session_is_renewed_without_the_client_noticing() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let client = connect(client_end).await.expect("initializes");
    let before = client.list_all_tools().await.expect("tools are listed");

    let expired = server.expire_sessions().await.unwrap();
    assert_eq!(
        expired, 1,
        "the bridge's one session is the one that expires"
    );
    let after = timeout(PATIENCE, client.list_all_tools())
        .await
        .expect("the request after expiry is answered")
        .expect("the bridge renews the session and the request succeeds");
    assert_eq!(
        after.len(),
        before.len(),
        "the renewed session lists the same tools"
    );

    client.cancel().await.unwrap();
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

/// An MCP client with two roots, which it tells a server that asks.
#[derive(Debug, Clone)]
struct ClientWithRoots;

#[expect(
    deprecated,
    reason = "SEP-2577 deprecates roots; clients still send them"
)]
impl ClientHandler for ClientWithRoots {
    async fn list_roots(
        &self,
        _context: RequestContext<RoleClient>,
    ) -> Result<rmcp::model::ListRootsResult, ErrorData> {
        Ok(rmcp::model::ListRootsResult::new(vec![
            rmcp::model::Root::new("file:///home/someone/project-one"),
            rmcp::model::Root::new("file:///home/someone/project-two"),
        ]))
    }

    fn get_info(&self) -> ClientConfig {
        ClientConfig::new(
            ClientCapabilities::builder().enable_roots().build(),
            Implementation::new("bridge-test-client-with-roots", "1.0.0"),
        )
        .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
    }
}

#[tokio::test]
async fn a_request_from_the_server_reaches_the_client_and_its_answer_goes_back() {
    let server = StandInServer::start([(good(), Grant::FullScope)])
        .await
        .unwrap();
    server.ask_client_for_roots();
    let (client_end, bridge) = start_bridge(server.url(), &good());
    let (read, write) = tokio::io::split(client_end);
    let client = timeout(PATIENCE, ClientWithRoots.serve((read, write)))
        .await
        .expect("initialize answers")
        .expect("initializes, telling the server it has roots");

    let result = timeout(
        PATIENCE,
        client.call_tool(CallToolRequestParams::new("atlassianUserInfo")),
    )
    .await
    .expect("the server's roots/list is answered through the bridge, not left hanging")
    .expect("the call succeeds");
    let text = result
        .content
        .first()
        .and_then(|content| content.as_text())
        .map(|text| text.text.clone());
    assert_eq!(
        text.as_deref(),
        Some("atlassianUserInfo answered by the stand-in server with 2 roots of the client"),
        "the server asked the client through the bridge and got its two roots"
    );

    client.cancel().await.unwrap();
    assert!(bridge_outcome(bridge).await.is_ok(), "stdin closed: exit 0");
}

const CLIENT_ID: &str = "stand-in-client-0123456789abcdef";

/// A bridge for a service account's OAuth client on one end of a pipe, its tokens from the
/// stand-in's token endpoint.
fn start_oauth_bridge(server: &StandInServer, secret: &str) -> (DuplexStream, Bridge) {
    trace_logging();
    let (client_end, bridge_end) = tokio::io::duplex(1 << 16);
    let (input, output) = tokio::io::split(bridge_end);
    let endpoint = Endpoint::parse(server.url()).unwrap();
    let tokens = TokenSource::new(
        oauth::token_endpoint(Some(server.token_url()), None).unwrap(),
        ClientCredentials::new(CLIENT_ID, &Secret::new(secret)).unwrap(),
    );
    let config = BridgeConfig {
        endpoint,
        credential: BridgeCredential::OauthClient(Box::new(tokens)),
    };
    let bridge = tokio::spawn(run_bridge(config, input, output));
    (client_end, bridge)
}

/// The client stays connected while the access token is renewed twice: once before it stops
/// being fresh (a two-second token, renewed halfway) and once after the server stopped taking
/// it early; every request succeeds and the client sees no error and no second `initialize`.
#[tokio::test]
async fn an_oauth_bridge_renews_its_token_without_the_client_noticing() {
    let server = StandInServer::builder()
        .oauth_client(
            CLIENT_ID,
            leak_scan::OAUTH_CLIENT_SECRET,
            TokenAnswer::Issue {
                grant: Grant::FullScope,
                lifetime: Duration::from_secs(2),
            },
        )
        .start()
        .await
        .unwrap();
    let (client_end, bridge) = start_oauth_bridge(&server, leak_scan::OAUTH_CLIENT_SECRET);
    let client = connect(client_end)
        .await
        .expect("initialize through the bridge");
    let first = client
        .list_all_tools()
        .await
        .expect("the tools with the first token");
    assert!(first.len() > 10, "every tool: {}", first.len());
    assert_eq!(server.access_tokens_issued(), 1);

    tokio::time::sleep(Duration::from_millis(1200)).await;
    let second = client
        .list_all_tools()
        .await
        .expect("the tools after a renewal");
    assert_eq!(
        second.len(),
        first.len(),
        "the same tools with the new token"
    );
    assert_eq!(
        server.access_tokens_issued(),
        2,
        "the token was renewed before it could expire on the way"
    );

    server.expire_access_tokens();
    let third = client
        .list_all_tools()
        .await
        .expect("a token the server refuses is replaced and the request sent again");
    assert_eq!(third.len(), first.len());
    assert_eq!(server.access_tokens_issued(), 3);

    client.cancel().await.unwrap();
    bridge_outcome(bridge)
        .await
        .expect("the bridge ends cleanly");
}

/// A token endpoint that refuses the client fails the client's `initialize` with what to do,
/// the kind kept for the exit code, and no secret in the message.
#[tokio::test]
async fn an_oauth_bridge_whose_client_is_refused_tells_the_client_why() {
    let server = StandInServer::builder()
        .oauth_client(
            CLIENT_ID,
            leak_scan::OAUTH_CLIENT_SECRET,
            TokenAnswer::Issue {
                grant: Grant::FullScope,
                lifetime: Duration::from_secs(3600),
            },
        )
        .start()
        .await
        .unwrap();
    let (client_end, bridge) = start_oauth_bridge(&server, "ATOA-a-wrong-client-secret-0123");
    let error = connect(client_end).await.expect_err("no token, no session");
    let message = initialize_error_message(&error);
    assert!(
        message.contains("token endpoint") && message.contains("HTTP 401"),
        "the client shows the token endpoint's refusal: {message}"
    );
    assert!(
        !message.contains("ATOA-a-wrong-client-secret-0123"),
        "no secret in the message: {message}"
    );
    assert_eq!(
        bridge_outcome(bridge).await.map_err(|error| error.kind()),
        Err(ErrorKind::OauthClientRejected),
        "the exit code keeps the token endpoint's kind"
    );
}
