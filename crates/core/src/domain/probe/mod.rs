//! The probe (design §4): checks a credential against the MCP endpoint and tells what it can
//! do. On v2 a plain `tools/list` shows only the primary tools and the meta-tools; `?tools=all`
//! lists every tool (atlassian/atlassian-mcp-server README, "How the server exposes tools",
//! read 2026-12-03). So the probe opens two sessions side by side, one on the endpoint as chosen
//! and one on its `?tools=all` form, and needs two sequential exchanges, the floor: `initialize`
//! on both, then at once the initialized notifications, the first page of both lists,
//! `atlassianUserInfo` and `getAccessibleAtlassianResources`. Further pages of a long list add
//! one exchange each. The sessions' `DELETE`s run after, off the wall time.
//! A server that refuses every protocol with `initialize` is spoken to in the stateless
//! protocol (2026-07-28): `server/discover` beside the first page, each request carrying its
//! own `_meta`.
//!
//! The verdict rests on the tool list and a real call together: a refusal inside a tool
//! result (API-token sign-in off, an IP allowlist) is a refusal, never the account, and
//! meta-tools never make a credential `ok`. No output carries the secret.

pub mod call_reading;
pub mod endpoint;
pub mod failure;
pub mod report;
mod transport;
mod verdict;

use std::time::Duration;

use rmcp::model::{InitializeResult, ListToolsResult, ProtocolVersion, Tool};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub use endpoint::{DEFAULT_ENDPOINT, ENDPOINT_ENV, Endpoint};
pub use failure::ProbeFailure;
pub use report::{ProbeReport, ToolExposure, Verdict};
use transport::Transport;
pub use transport::parse_http_reply;

use crate::ErrorKind;
use crate::domain::catalogue::Catalogue;
use crate::domain::credentials::Credential;
use call_reading::CallReading;

/// The protocol versions with `initialize` that the probe speaks, newest first.
pub const SUPPORTED_PROTOCOL_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];
/// The stateless protocol (no `initialize`, no session) the probe falls back to when a server
/// refuses every version with `initialize`.
pub const STATELESS_PROTOCOL_VERSION: &str = "2026-07-28";
/// The JSON-RPC code of a refused protocol version (2026-07-28 numbering).
const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
/// A tool list longer than this many pages is treated as a server bug.
const MAX_TOOL_PAGES: u32 = 50;
/// A tool list longer than this is treated as a server bug (the whole catalogue is about 100).
const MAX_TOOLS: usize = 5000;
/// The query that asks v2 for the flat list of every tool.
const ALL_TOOLS_QUERY: (&str, &str) = ("tools", "all");
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
pub struct SessionClose(Vec<JoinHandle<()>>);

impl SessionClose {
    /// Gives the `DELETE`s up to `within` to finish; for a process about to exit.
    pub async fn finish(self, within: Duration) {
        let closes = async {
            for close in self.0 {
                let _ended = close.await;
            }
        };
        let _finished = tokio::time::timeout(within, closes).await;
    }
}

/// Checks `credential` against `endpoint` and reports the verdict, the tools and the account.
/// Never fails: a failure is the report's verdict and `error`. The sessions are still being
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
    let transport = |endpoint: &Endpoint| {
        Transport::new(
            endpoint,
            credential.authorization(),
            options.step_timeout,
            deadline,
        )
    };
    let all_tools = all_tools_endpoint(endpoint);
    let transports = transport(&all_tools).and_then(|all| {
        let plain = (all_tools != *endpoint)
            .then(|| transport(endpoint))
            .transpose()?;
        Ok((all, plain))
    });
    let (mut report, closes) = match transports {
        Ok((mut all, mut plain)) => {
            let result = exchange(
                &mut all,
                plain.as_mut(),
                credential,
                &mut exchanges,
                progress,
            )
            .await;
            let closes = std::iter::once(&all)
                .chain(plain.as_ref())
                .filter_map(Transport::close_session)
                .collect();
            let report = match result {
                Ok(mut report) => {
                    report.exposure = Some(exposure(&report.tools, &all_tools, plain.is_none()));
                    report
                }
                Err(failure) => ProbeReport::failed(redacted(failure, credential)),
            };
            (report, closes)
        }
        Err(failure) => (
            ProbeReport::failed(redacted(failure, credential)),
            Vec::new(),
        ),
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
        meta_tools = report.meta_tools.len(),
        total_ms = report.timings.total_ms,
        exchanges,
        "probe finished"
    );
    (report, SessionClose(closes))
}

/// `endpoint` asking for the flat list of every tool: its own query kept, `tools=all` set.
pub fn all_tools_endpoint(endpoint: &Endpoint) -> Endpoint {
    let (key, value) = ALL_TOOLS_QUERY;
    let mut url = endpoint.url().clone();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != key)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(key, value);
    Endpoint::parse(url.as_str()).unwrap_or_else(|_| endpoint.clone())
}

fn exposure(tools: &[report::ToolSummary], all_tools: &Endpoint, flat: bool) -> ToolExposure {
    let count = |tools: usize| u32::try_from(tools).unwrap_or(u32::MAX);
    ToolExposure {
        all_tools_endpoint: all_tools.to_string(),
        primary: count(tools.iter().filter(|tool| tool.primary).count()),
        total: count(tools.len()),
        flat,
    }
}

/// A session that `initialize` opened, or the stateless protocol the server asked for.
enum Opened {
    Session(Box<InitializeResult>),
    Stateless,
}

/// `initialize` on `transport`, or the switch to the stateless protocol when the server
/// refuses every version with `initialize`.
async fn open(transport: &mut Transport) -> Result<Opened, ProbeFailure> {
    match initialize(transport).await {
        Ok(initialized) => Ok(Opened::Session(Box::new(initialized))),
        Err(failure) if failure.json_rpc_code == Some(UNSUPPORTED_PROTOCOL_VERSION) => {
            transport.use_stateless_protocol(STATELESS_PROTOCOL_VERSION, &client_info());
            Ok(Opened::Stateless)
        }
        Err(failure) => Err(failure),
    }
}

/// What goes out beside the first page on an opened connection: the initialized notification,
/// or the stateless `server/discover`; the server's identity, when this connection learns it.
async fn companion(
    transport: &Transport,
    opened: &Opened,
) -> Result<Option<report::ServerIdentity>, ProbeFailure> {
    match opened {
        Opened::Session(_) => {
            transport
                .notify("notifications/initialized", "the initialized notification")
                .await?;
            Ok(None)
        }
        Opened::Stateless => discover(transport).await.map(Some),
    }
}

async fn exchange(
    all: &mut Transport,
    plain: Option<&mut Transport>,
    credential: &Credential,
    exchanges: &mut u32,
    progress: &mut (dyn FnMut(ProbeProgress) + Send),
) -> Result<ProbeReport, ProbeFailure> {
    progress(ProbeProgress::Connecting);
    *exchanges += 1;
    let (all_opened, plain_opened) = match plain {
        Some(plain) => {
            let (all_opened, plain_opened) = tokio::join!(open(all), open(plain));
            (all_opened?, Some((&*plain, plain_opened?)))
        }
        None => (open(all).await?, None),
    };
    let all = &*all;
    if matches!(all_opened, Opened::Session(_)) {
        progress(ProbeProgress::SignedIn);
    }
    progress(ProbeProgress::ListingTools { page: 1 });
    *exchanges += 1;
    let plain_first = async {
        match &plain_opened {
            Some((transport, opened)) => {
                let (companion, page) = tokio::join!(
                    companion(transport, opened),
                    list_tools_page(transport, 2, None)
                );
                companion?;
                page.map(Some)
            }
            None => Ok(None),
        }
    };
    let (all_companion, all_page, plain_page, account, resources) = tokio::join!(
        companion(all, &all_opened),
        list_tools_page(all, 2, None),
        plain_first,
        call(all, 100, USER_INFO_TOOL),
        call(all, 101, RESOURCES_TOOL),
    );
    let discovered = all_companion?;
    let (all_tools, plain_tools) = rest_of_lists(
        all,
        all_page?,
        plain_opened.as_ref().map(|(transport, _)| *transport),
        plain_page?,
        exchanges,
        progress,
    )
    .await?;
    let (account, resources) = (account?, resources?);
    progress(ProbeProgress::ReadingAccount);
    let server = match (&all_opened, discovered) {
        (Opened::Session(initialized), _) => report::ServerIdentity {
            name: initialized.server_info.name.clone(),
            version: initialized.server_info.version.clone(),
        },
        (Opened::Stateless, discovered) => discovered.unwrap_or(report::ServerIdentity {
            name: String::new(),
            version: String::new(),
        }),
    };
    let version = match &all_opened {
        Opened::Session(initialized) => initialized.protocol_version.to_string(),
        Opened::Stateless => STATELESS_PROTOCOL_VERSION.to_owned(),
    };

    report_of(
        server,
        version,
        &all_tools,
        plain_tools.as_deref(),
        &account,
        &resources,
        credential,
    )
}

/// The report from what the exchange brought back: the flat list, the plain one (`None` when
/// the endpoint is flat) and the readings of the two calls.
fn report_of(
    server: report::ServerIdentity,
    version: String,
    all_tools: &[Tool],
    plain_tools: Option<&[Tool]>,
    account: &CallReading,
    resources: &CallReading,
    credential: &Credential,
) -> Result<ProbeReport, ProbeFailure> {
    let catalogue = Catalogue::known();
    let primary: Option<Vec<String>> =
        plain_tools.map(|tools| tools.iter().map(|tool| tool.name.to_string()).collect());
    let summaries = report::summarise_tools(all_tools, primary.as_deref(), catalogue);
    let mut meta_tools = report::meta_tools_of(all_tools, catalogue);
    if let Some(primary) = &primary {
        for name in primary {
            if catalogue.is_meta_tool(name) && !meta_tools.contains(name) {
                meta_tools.push(name.clone());
            }
        }
    }
    let sites = match resources {
        CallReading::Answered(output) => report::sites_of(output),
        _ => Vec::new(),
    };
    let judged = verdict::judge(&summaries, account, resources, &sites, credential.method())?;
    Ok(ProbeReport {
        verdict: judged.verdict,
        auth: None,
        endpoint: None,
        server: Some(server),
        protocol_version: Some(version),
        products: report::summarise_products(&summaries),
        missing_groups: report::missing_groups(&summaries, catalogue, credential.method()),
        limitation: judged.limitation,
        account: judged.account,
        sites,
        tools: summaries,
        exposure: None,
        meta_tools,
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

/// The rest of both lists after their first pages, the two paged side by side.
async fn rest_of_lists(
    all: &Transport,
    all_first: ListToolsResult,
    plain: Option<&Transport>,
    plain_first: Option<ListToolsResult>,
    exchanges: &mut u32,
    progress: &mut (dyn FnMut(ProbeProgress) + Send),
) -> Result<(Vec<Tool>, Option<Vec<Tool>>), ProbeFailure> {
    let mut all_list = ToolPages::new(all_first);
    let mut plain_list = plain
        .zip(plain_first)
        .map(|(transport, first)| (transport, ToolPages::new(first)));
    for page_number in 2..=MAX_TOOL_PAGES + 1 {
        let all_cursor = all_list.next_cursor(all)?;
        let plain_cursor = match &mut plain_list {
            Some((transport, list)) => list.next_cursor(transport)?,
            None => None,
        };
        if all_cursor.is_none() && plain_cursor.is_none() {
            return Ok((all_list.tools, plain_list.map(|(_, list)| list.tools)));
        }
        if page_number > MAX_TOOL_PAGES {
            break;
        }
        progress(ProbeProgress::ListingTools { page: page_number });
        *exchanges += 1;
        let id = 1 + 2 * u64::from(page_number);
        let next_all = async {
            match all_cursor {
                Some(cursor) => list_tools_page(all, id, Some(cursor)).await.map(Some),
                None => Ok(None),
            }
        };
        let next_plain = async {
            match (&plain_list, plain_cursor) {
                (Some((transport, _)), Some(cursor)) => {
                    list_tools_page(transport, id + 1, Some(cursor))
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        };
        let (next_all, next_plain) = tokio::join!(next_all, next_plain);
        if let Some(page) = next_all? {
            all_list.add(page);
        }
        if let (Some((_, list)), Some(page)) = (&mut plain_list, next_plain?) {
            list.add(page);
        }
    }
    Err(ProbeFailure::new(
        ErrorKind::ProtocolError,
        format!(
            "the tool list of {} never ends (more than {MAX_TOOL_PAGES} pages)",
            all.host()
        ),
        "the server's pagination is broken; report it",
    ))
}

/// One tool list being paged: what it holds so far and the cursors it has followed.
struct ToolPages {
    tools: Vec<Tool>,
    cursor: Option<String>,
    seen_cursors: Vec<String>,
}

impl ToolPages {
    fn new(first: ListToolsResult) -> Self {
        let mut pages = Self {
            tools: Vec::new(),
            cursor: None,
            seen_cursors: Vec::new(),
        };
        pages.add(first);
        pages
    }

    fn add(&mut self, mut page: ListToolsResult) {
        self.tools.append(&mut page.tools);
        self.cursor = page.next_cursor.filter(|cursor| !cursor.is_empty());
    }

    /// The cursor of the next page, if there is one; an error for a list that repeats a
    /// cursor or grows past any real catalogue.
    fn next_cursor(&mut self, transport: &Transport) -> Result<Option<String>, ProbeFailure> {
        let Some(cursor) = self.cursor.take() else {
            return Ok(None);
        };
        if self.seen_cursors.contains(&cursor) || self.tools.len() > MAX_TOOLS {
            return Err(ProbeFailure::new(
                ErrorKind::ProtocolError,
                format!(
                    "the tool list of {} never ends (a cursor repeats, or it lists more than {MAX_TOOLS} tools)",
                    transport.host()
                ),
                "the server's pagination is broken; report it",
            ));
        }
        self.seen_cursors.push(cursor.clone());
        Ok(Some(cursor))
    }
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

/// Calls a read-only tool with no arguments and reads its result strictly. A tool the server
/// does not offer, or an answer the probe cannot read, is a reading; a failed exchange other
/// than a JSON-RPC error is an error, and an HTTP refusal at call time (403) is one too.
async fn call(transport: &Transport, id: u64, tool: &str) -> Result<CallReading, ProbeFailure> {
    match transport
        .request(
            id,
            "tools/call",
            json!({"name": tool, "arguments": {}}),
            tool,
        )
        .await
    {
        Ok(reply) => Ok(call_reading::read_call(&reply.result)),
        Err(failure) if call_reading::is_not_offered(failure.json_rpc_code) => {
            Ok(CallReading::NotOffered)
        }
        Err(failure) if failure.kind == ErrorKind::ProtocolError => {
            Ok(CallReading::Unreadable(failure.message))
        }
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
