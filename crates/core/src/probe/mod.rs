//! The probe (design §4): checks a credential against the MCP endpoint and tells what it can
//! do. `initialize` (2025-11-25, accepting what the server negotiates down to), then
//! `notifications/initialized` alongside the first `tools/list` page, the remaining pages,
//! then `atlassianUserInfo` and `getAccessibleAtlassianResources` side by side when listed:
//! three sequential exchanges for a one-page tool list. The session's `DELETE` runs after.
//! A server that refuses every protocol with `initialize` is spoken to in the stateless
//! protocol (2026-07-28): `server/discover` beside the first page, each request carrying its
//! own `_meta`.
//!
//! The verdict comes from the tool list, never from a 200 alone. No output carries the secret.

pub mod endpoint;
pub mod failure;
pub mod report;
mod transport;

use std::time::Duration;

use rmcp::model::{InitializeResult, ListToolsResult, ProtocolVersion, Tool};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub use endpoint::{DEFAULT_ENDPOINT, ENDPOINT_ENV, Endpoint};
pub use failure::ProbeFailure;
pub use report::{ProbeReport, Verdict};
use transport::Transport;
pub use transport::parse_http_reply;

use crate::ErrorKind;
use crate::catalogue::Catalogue;
use crate::credentials::Credential;

/// The protocol versions with `initialize` that the probe speaks, newest first.
pub const SUPPORTED_PROTOCOL_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];
/// The stateless protocol (no `initialize`, no session) the probe falls back to when a server
/// refuses every version with `initialize`.
pub const STATELESS_PROTOCOL_VERSION: &str = "2026-07-28";
/// The JSON-RPC code of a refused protocol version (2026-07-28 numbering).
const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
/// A tool list longer than this many pages is treated as a server bug.
const MAX_TOOL_PAGES: u32 = 50;
const USER_INFO_TOOL: &str = "atlassianUserInfo";
const RESOURCES_TOOL: &str = "getAccessibleAtlassianResources";

/// The deadlines of one probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeOptions {
    /// The longest any one exchange may take.
    pub step_timeout: Duration,
    /// The longest the whole probe may take, retries and waits included.
    pub total_timeout: Duration,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        Self {
            step_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
        }
    }
}

/// Where the probe is, for a live progress line; sent to the wizard as
/// `{"stage": "listingTools", "page": 2}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(tag = "stage", rename_all = "camelCase")]
pub enum ProbeProgress {
    Connecting,
    SignedIn,
    ListingTools { page: u32 },
    ReadingAccount,
}

/// The background `DELETE` that ends a probe's session, off the critical path: the report is
/// ready before it finishes.
#[derive(Debug, Default)]
pub struct SessionClose(Option<JoinHandle<()>>);

impl SessionClose {
    /// Gives the `DELETE` up to `within` to finish; for a process about to exit.
    pub async fn finish(self, within: Duration) {
        if let Some(close) = self.0 {
            let _finished = tokio::time::timeout(within, close).await;
        }
    }
}

/// Checks `credential` against `endpoint` and reports the verdict, the tools and the account.
/// Never fails: a failure is the report's verdict and `error`. The session is still being
/// ended in the background when this returns.
pub async fn probe(
    endpoint: &Endpoint,
    credential: &Credential,
    options: &ProbeOptions,
    progress: &mut (dyn FnMut(ProbeProgress) + Send),
) -> (ProbeReport, SessionClose) {
    let started = Instant::now();
    tracing::info!(endpoint = %endpoint, auth = ?credential.method(), "probe started");
    let mut exchanges = 0;
    let deadline = started + options.total_timeout;
    let (mut report, session_close) = match Transport::new(
        endpoint,
        credential.authorization(),
        options.step_timeout,
        deadline,
    ) {
        Ok(mut transport) => {
            let result = exchange(&mut transport, credential, &mut exchanges, progress).await;
            let close = transport.close_session();
            let report = match result {
                Ok(report) => report,
                Err(failure) => ProbeReport::failed(redacted(failure, credential)),
            };
            (report, close)
        }
        Err(failure) => (ProbeReport::failed(redacted(failure, credential)), None),
    };
    report.auth = Some(credential.method());
    report.endpoint = Some(endpoint.to_string());
    report.warnings = credential
        .warnings()
        .iter()
        .copied()
        .map(Into::into)
        .collect();
    report.timings.total_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report.timings.sequential_exchanges = exchanges;
    tracing::info!(
        verdict = ?report.verdict,
        error = ?report.error.as_ref().map(|failure| failure.kind),
        http_status = ?report.error.as_ref().and_then(|failure| failure.http_status),
        tools = report.tools.len(),
        total_ms = report.timings.total_ms,
        exchanges,
        "probe finished"
    );
    (report, SessionClose(session_close))
}

async fn exchange(
    transport: &mut Transport,
    credential: &Credential,
    exchanges: &mut u32,
    progress: &mut (dyn FnMut(ProbeProgress) + Send),
) -> Result<ProbeReport, ProbeFailure> {
    progress(ProbeProgress::Connecting);
    *exchanges += 1;
    let (server, version, tools) = match initialize(transport).await {
        Ok(initialized) => {
            let version = initialized.protocol_version.to_string();
            let server = report::ServerIdentity {
                name: initialized.server_info.name,
                version: initialized.server_info.version,
            };
            progress(ProbeProgress::SignedIn);
            // The notification needs no answer, so it goes out beside the first page.
            let initialized_notification =
                transport.notify("notifications/initialized", "the initialized notification");
            let ((), tools) =
                list_all_tools(transport, initialized_notification, exchanges, progress).await?;
            (server, version, tools)
        }
        Err(failure) if failure.json_rpc_code == Some(UNSUPPORTED_PROTOCOL_VERSION) => {
            transport.use_stateless_protocol(STATELESS_PROTOCOL_VERSION, &client_info());
            let transport = &*transport;
            let (server, tools) =
                list_all_tools(transport, discover(transport), exchanges, progress).await?;
            progress(ProbeProgress::SignedIn);
            (server, STATELESS_PROTOCOL_VERSION.to_owned(), tools)
        }
        Err(failure) => return Err(failure),
    };
    let transport = &*transport;

    let catalogue = Catalogue::known();
    let summaries = report::summarise_tools(&tools, catalogue);
    let listed = |name: &str| summaries.iter().any(|tool| tool.name == name);
    let (account, sites) = if listed(USER_INFO_TOOL) || listed(RESOURCES_TOOL) {
        progress(ProbeProgress::ReadingAccount);
        *exchanges += 1;
        let (account, resources) = tokio::join!(
            call_if(transport, 100, USER_INFO_TOOL, listed(USER_INFO_TOOL)),
            call_if(transport, 101, RESOURCES_TOOL, listed(RESOURCES_TOOL)),
        );
        let sites = resources?
            .as_ref()
            .map(report::sites_of)
            .unwrap_or_default();
        (account?, sites)
    } else {
        (None, Vec::new())
    };

    let verdict = report::verdict_of(&summaries);
    Ok(ProbeReport {
        verdict,
        auth: None,
        endpoint: None,
        server: Some(server),
        protocol_version: Some(version),
        products: report::summarise_products(&summaries),
        missing_groups: report::missing_groups(&summaries, catalogue),
        limitation: (verdict == Verdict::Limited)
            .then(|| report::limitation(&summaries, credential.method())),
        account,
        sites,
        tools: summaries,
        error: None,
        warnings: Vec::new(),
        timings: report::Timings::default(),
    })
}

fn client_info() -> Value {
    json!({"name": "rovo-mcp-setup", "version": env!("CARGO_PKG_VERSION")})
}

/// `initialize` with the newest protocol that has it; accepts any version the server
/// negotiates down to that the probe speaks, and joins the session the server opens.
async fn initialize(transport: &mut Transport) -> Result<InitializeResult, ProbeFailure> {
    let reply = transport
        .request(
            1,
            "initialize",
            json!({
                "protocolVersion": ProtocolVersion::LATEST_WITH_INITIALIZE,
                "capabilities": {},
                "clientInfo": client_info(),
            }),
            "initialize",
        )
        .await?;
    let server: InitializeResult = serde_json::from_value(reply.result).map_err(|error| {
        ProbeFailure::new(
            ErrorKind::ProtocolError,
            format!("the reply to initialize is not an MCP InitializeResult: {error}"),
            "the endpoint is not an MCP server this app understands; check the endpoint URL",
        )
    })?;
    let version = server.protocol_version.to_string();
    if !SUPPORTED_PROTOCOL_VERSIONS.contains(&version.as_str()) {
        return Err(ProbeFailure::new(
            ErrorKind::ProtocolError,
            format!(
                "the server speaks MCP {version}, which this app does not (it speaks {})",
                SUPPORTED_PROTOCOL_VERSIONS.join(", ")
            ),
            "update Rovo MCP Setup",
        ));
    }
    transport.join_session(reply.session_id, &version);
    Ok(server)
}

/// `server/discover` of the stateless protocol: the server's name and version.
async fn discover(transport: &Transport) -> Result<report::ServerIdentity, ProbeFailure> {
    let reply = transport
        .request(1, "server/discover", json!({}), "server/discover")
        .await?;
    let supported = reply.result["supportedVersions"]
        .as_array()
        .is_some_and(|versions| {
            versions
                .iter()
                .any(|version| version == STATELESS_PROTOCOL_VERSION)
        });
    if !supported {
        return Err(ProbeFailure::new(
            ErrorKind::ProtocolError,
            format!(
                "the server refused initialize and does not list MCP {STATELESS_PROTOCOL_VERSION} either"
            ),
            "update Rovo MCP Setup",
        ));
    }
    let info = &reply.result["_meta"]["io.modelcontextprotocol/serverInfo"];
    let text = |key: &str| info[key].as_str().unwrap_or_default().to_owned();
    Ok(report::ServerIdentity {
        name: text("name"),
        version: text("version"),
    })
}

/// Every page of `tools/list`. `companion` (the initialized notification, or the stateless
/// `server/discover`) goes out beside the first page, since neither waits for the other.
async fn list_all_tools<T>(
    transport: &Transport,
    companion: impl Future<Output = Result<T, ProbeFailure>>,
    exchanges: &mut u32,
    progress: &mut (dyn FnMut(ProbeProgress) + Send),
) -> Result<(T, Vec<Tool>), ProbeFailure> {
    progress(ProbeProgress::ListingTools { page: 1 });
    *exchanges += 1;
    let (companion, first_page) = tokio::join!(companion, list_tools_page(transport, 2, None));
    let companion = companion?;
    let mut page = first_page?;
    let mut tools: Vec<Tool> = Vec::new();
    let mut seen_cursors: Vec<String> = Vec::new();
    for page_number in 2..=MAX_TOOL_PAGES + 1 {
        tools.append(&mut page.tools);
        let Some(cursor) = page.next_cursor.filter(|cursor| !cursor.is_empty()) else {
            return Ok((companion, tools));
        };
        if page_number > MAX_TOOL_PAGES || seen_cursors.contains(&cursor) {
            break;
        }
        seen_cursors.push(cursor.clone());
        progress(ProbeProgress::ListingTools { page: page_number });
        *exchanges += 1;
        page = list_tools_page(transport, 1 + u64::from(page_number), Some(cursor)).await?;
    }
    Err(ProbeFailure::new(
        ErrorKind::ProtocolError,
        format!(
            "the tool list of {} never ends (a cursor repeats or there are more than {MAX_TOOL_PAGES} pages)",
            transport.host()
        ),
        "the server's pagination is broken; report it",
    ))
}

async fn list_tools_page(
    transport: &Transport,
    id: u64,
    cursor: Option<String>,
) -> Result<ListToolsResult, ProbeFailure> {
    let params = cursor.map_or_else(|| json!({}), |cursor| json!({ "cursor": cursor }));
    let reply = transport
        .request(id, "tools/list", params, "tools/list")
        .await?;
    serde_json::from_value(reply.result).map_err(|error| {
        ProbeFailure::new(
            ErrorKind::ProtocolError,
            format!("the reply to tools/list is not a tool list: {error}"),
            "the server does not speak MCP as this app expects; report it",
        )
    })
}

/// Calls a read-only tool with no arguments; a tool error or unreadable output is `None`, a
/// failed exchange is an error.
async fn call_if(
    transport: &Transport,
    id: u64,
    tool: &str,
    listed: bool,
) -> Result<Option<Value>, ProbeFailure> {
    if !listed {
        return Ok(None);
    }
    match transport
        .request(
            id,
            "tools/call",
            json!({"name": tool, "arguments": {}}),
            tool,
        )
        .await
    {
        Ok(reply) => Ok(report::tool_output(&reply.result)),
        Err(failure) if failure.kind == ErrorKind::ProtocolError => Ok(None),
        Err(failure) => Err(failure),
    }
}

/// The failure with anything the server echoed of the credential removed.
fn redacted(mut failure: ProbeFailure, credential: &Credential) -> ProbeFailure {
    failure.message = credential.redact(&failure.message);
    failure.body_excerpt = failure
        .body_excerpt
        .map(|excerpt| credential.redact(&excerpt));
    failure
}
