//! The stand-in server speaks real MCP: an rmcp client signs in, lists tools and calls one,
//! and an unknown credential is refused with 401 as Atlassian does.

use std::collections::HashMap;

use rmcp::ServiceExt;
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, Implementation, ProtocolVersion,
};
use rmcp::service::{ClientInitializeError, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rovo_stand_in::{
    Grant, META_TOOLS, PLATFORM_TOOLS, PRODUCT_TOOLS, StandInServer, TEAMWORK_GRAPH_TOOLS,
};

const GOOD: &str = "Basic bWVAZXhhbXBsZS5jb206Z29vZA==";
const CLASSIC: &str = "Basic bWVAZXhhbXBsZS5jb206Y2xhc3NpYw==";

/// reqwest's TLS is built without a default crypto provider in this workspace (the core's
/// probe chooses ring), so a test that makes its own client installs it first.
fn install_crypto_provider() {
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
}

async fn connect(
    url: &str,
    authorization: &str,
) -> Result<RunningService<rmcp::RoleClient, ClientConfig>, ClientInitializeError> {
    install_crypto_provider();
    let headers = HashMap::from([(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(authorization).unwrap(),
    )]);
    let config =
        StreamableHttpClientTransportConfig::with_uri(url.to_owned()).custom_headers(headers);
    ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new("test", "0"),
    )
    .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
    .serve(StreamableHttpClientTransport::from_config(config))
    .await
}

async fn tool_names(client: &RunningService<rmcp::RoleClient, ClientConfig>) -> Vec<String> {
    let tools = client.list_all_tools().await.expect("tools/list answers");
    tools
        .into_iter()
        .map(|tool| tool.name.to_string())
        .collect()
}

#[tokio::test]
async fn a_granted_credential_lists_its_tools_and_calls_one() {
    let server = StandInServer::start([(GOOD.to_owned(), Grant::FullScope)])
        .await
        .unwrap();
    let client = connect(server.url(), GOOD)
        .await
        .expect("a granted credential initializes");

    let names = tool_names(&client).await;
    let primary = PLATFORM_TOOLS
        .iter()
        .chain(&PRODUCT_TOOLS)
        .chain(&TEAMWORK_GRAPH_TOOLS)
        .filter(|tool| tool.primary)
        .count();
    assert_eq!(
        names.len(),
        primary + META_TOOLS.len(),
        "v2 lists the primary tools and the meta-tools: {names:?}"
    );
    let flat = connect(&format!("{}?tools=all", server.url()), GOOD)
        .await
        .expect("the flat list's session initializes");
    let every = tool_names(&flat).await;
    assert_eq!(
        every.len(),
        PLATFORM_TOOLS.len() + PRODUCT_TOOLS.len() + TEAMWORK_GRAPH_TOOLS.len(),
        "?tools=all lists every tool and no meta-tool: {every:?}"
    );
    assert!(
        every.iter().any(|name| name == "listJiraProjects"),
        "v2 names on v2: {every:?}"
    );
    let v1 = connect(server.v1_url(), GOOD)
        .await
        .expect("v1 initializes");
    assert!(
        tool_names(&v1)
            .await
            .iter()
            .any(|name| name == "getVisibleJiraProjects"),
        "v1 names on v1"
    );
    flat.cancel().await.unwrap();
    v1.cancel().await.unwrap();

    let result = client
        .call_tool(CallToolRequestParams::new("atlassianUserInfo"))
        .await
        .expect("a listed tool can be called");
    assert_ne!(result.is_error, Some(true), "the call succeeds: {result:?}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_token_whose_scopes_match_no_tool_sees_only_platform_tools() {
    let server = StandInServer::start([(CLASSIC.to_owned(), Grant::PlatformOnly)])
        .await
        .unwrap();
    let client = connect(server.url(), CLASSIC)
        .await
        .expect("a classic token still initializes");
    assert_eq!(
        tool_names(&client).await,
        [
            "atlassianUserInfo",
            "getAccessibleAtlassianResources",
            "discover",
            "executeRead",
            "executeWrite",
            "executeDestructive"
        ],
        "a token whose scopes match no tool sees only the platform tools and the meta-tools"
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn an_unknown_credential_gets_401_with_a_plain_text_body() {
    let server = StandInServer::start([(GOOD.to_owned(), Grant::FullScope)])
        .await
        .unwrap();
    install_crypto_provider();
    let refused = reqwest::Client::new()
        .post(server.url())
        .header("authorization", "Basic d3Jvbmc=")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        401,
        "unknown credentials are refused before MCP starts"
    );
    assert!(
        refused.headers().contains_key("www-authenticate"),
        "Atlassian sends a challenge"
    );
    assert_eq!(
        refused.text().await.unwrap(),
        "Unauthorized",
        "the body is not JSON-RPC"
    );
}
