//! A real MCP Streamable HTTP server (rmcp on axum) on a loopback port that answers like the
//! Atlassian Rovo endpoint: it accepts the credentials a test grants, lists the tools each one
//! unlocks, and refuses everything else the way the real server does (research/atlassian-mcp.md
//! §2.3).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams,
    GetPromptResponse, GetPromptResult, Implementation, JsonObject, ListPromptsResult,
    ListResourcesResult, ListToolsResult, PaginatedRequestParams, ProgressNotificationParam,
    Prompt, PromptMessage, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult,
    Resource, ResourceContents, Role, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::{NotificationContext, Peer, RequestContext};
use rmcp::transport::StreamableHttpServerConfig;
use rmcp::transport::streamable_http_server::session::SessionManager;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::tower::StreamableHttpService;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

/// The path the real endpoint serves MCP on.
pub const MCP_PATH: &str = "/v1/mcp";

/// The one resource the server offers after [`TestMcpServer::offer_resources_and_prompts`].
pub const STAND_IN_RESOURCE_URI: &str = "atlassian://stand-in/readme";
/// The one prompt the server offers after [`TestMcpServer::offer_resources_and_prompts`].
pub const STAND_IN_PROMPT: &str = "summarize-issue";

/// What a granted credential can see, matching the cases the real server produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// A scoped token with every Rovo MCP scope: product tools plus the platform tools.
    FullScope,
    /// A classic (unscoped) token: signed in, but only the two platform tools.
    PlatformOnly,
}

/// One tool of the stand-in catalogue: name, title, and whether it only reads.
#[derive(Debug, Clone, Copy)]
pub struct CatalogueTool {
    pub name: &'static str,
    pub title: &'static str,
    pub read_only: bool,
}

/// The platform tools every signed-in credential sees.
pub const PLATFORM_TOOLS: [CatalogueTool; 2] = [
    CatalogueTool {
        name: "atlassianUserInfo",
        title: "Atlassian user info",
        read_only: true,
    },
    CatalogueTool {
        name: "getAccessibleAtlassianResources",
        title: "Accessible Atlassian resources",
        read_only: true,
    },
];

/// A representative slice of the product tools of the official catalogue (Aug 2026).
pub const PRODUCT_TOOLS: [CatalogueTool; 6] = [
    CatalogueTool {
        name: "getVisibleJiraProjects",
        title: "Visible Jira projects",
        read_only: true,
    },
    CatalogueTool {
        name: "searchJiraIssuesUsingJql",
        title: "Search Jira issues with JQL",
        read_only: true,
    },
    CatalogueTool {
        name: "createJiraIssue",
        title: "Create Jira issue",
        read_only: false,
    },
    CatalogueTool {
        name: "getConfluencePage",
        title: "Get Confluence page",
        read_only: true,
    },
    CatalogueTool {
        name: "createConfluencePage",
        title: "Create Confluence page",
        read_only: false,
    },
    CatalogueTool {
        name: "search",
        title: "Search Rovo",
        read_only: true,
    },
];

impl Grant {
    /// The tools this grant lists, platform tools first as the real server does.
    pub fn tools(self) -> Vec<CatalogueTool> {
        match self {
            Self::FullScope => PLATFORM_TOOLS.into_iter().chain(PRODUCT_TOOLS).collect(),
            Self::PlatformOnly => PLATFORM_TOOLS.to_vec(),
        }
    }
}

/// A running stand-in server; it stops when dropped.
#[derive(Debug)]
pub struct TestMcpServer {
    url: String,
    /// Accepts connections and owns every open one: aborting it drops them all.
    task: JoinHandle<()>,
    controls: Arc<Controls>,
    sessions: Arc<LocalSessionManager>,
}

impl TestMcpServer {
    /// Starts a server on a free loopback port that accepts exactly the `Authorization` header
    /// values in `grants`, each with what it unlocks.
    pub async fn start(grants: impl IntoIterator<Item = (String, Grant)>) -> anyhow::Result<Self> {
        let grants: Arc<HashMap<String, Grant>> = Arc::new(grants.into_iter().collect());
        let controls = Arc::new(Controls::default());
        let sessions = Arc::new(LocalSessionManager::default());
        let handler_grants = Arc::clone(&grants);
        let handler_controls = Arc::clone(&controls);
        let mcp: StreamableHttpService<FakeRovo, LocalSessionManager> = StreamableHttpService::new(
            move || {
                Ok(FakeRovo {
                    grants: Arc::clone(&handler_grants),
                    controls: Arc::clone(&handler_controls),
                })
            },
            Arc::clone(&sessions),
            StreamableHttpServerConfig::default(),
        );
        let app =
            axum::Router::new()
                .nest_service(MCP_PATH, mcp)
                .layer(middleware::from_fn_with_state(
                    grants,
                    require_granted_credential,
                ));

        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}{MCP_PATH}", listener.local_addr()?);
        let task = tokio::spawn(serve_connections(listener, app));
        Ok(Self {
            url,
            task,
            controls,
            sessions,
        })
    }

    /// The endpoint URL, `http://127.0.0.1:<port>/v1/mcp`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// From now on, tool calls arrive but are never answered, as on a server that hangs or
    /// dies mid-call. Pair with [`Self::tool_call_held`], [`Self::tool_call_cancelled`] and
    /// [`Self::kill`].
    pub fn hold_tool_calls(&self) {
        self.controls.hold_tool_calls.store(true, Ordering::SeqCst);
    }

    /// Waits until a tool call has arrived and is being held.
    pub async fn tool_call_held(&self) {
        self.controls.tool_call_held.notified().await;
    }

    /// Waits until the client has cancelled a held tool call (`notifications/cancelled`).
    pub async fn tool_call_cancelled(&self) {
        self.controls.tool_call_cancelled.notified().await;
    }

    /// From now on, `tools/list` answers `page_size` tools at a time, with a `nextCursor` to
    /// the rest, as a server with a long catalogue does.
    pub fn page_tools(&self, page_size: usize) {
        self.controls
            .tools_page_size
            .store(page_size, Ordering::SeqCst);
    }

    /// From now on, new sessions are offered one resource ([`STAND_IN_RESOURCE_URI`]) and one
    /// prompt ([`STAND_IN_PROMPT`]) besides the tools. Atlassian's server offers only tools;
    /// this is for clients and proxies that must carry whatever a server offers.
    pub fn offer_resources_and_prompts(&self) {
        self.controls
            .offer_resources_and_prompts
            .store(true, Ordering::SeqCst);
    }

    /// From now on, a tool call first asks the client for its roots (`roots/list`, a request
    /// from server to client) and its result says how many there were.
    pub fn ask_client_for_roots(&self) {
        self.controls
            .ask_client_for_roots
            .store(true, Ordering::SeqCst);
    }

    /// Sends `notifications/tools/list_changed` to every initialized session.
    pub async fn notify_tool_list_changed(&self) -> anyhow::Result<()> {
        let peers = self
            .controls
            .peers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        for peer in peers {
            peer.notify_tool_list_changed().await?;
        }
        Ok(())
    }

    /// Forgets every session, as a server does when sessions time out or it restarts with a
    /// fresh memory: the next request of an old session gets 404. Returns how many there were.
    pub async fn expire_sessions(&self) -> anyhow::Result<usize> {
        let ids: Vec<_> = self
            .sessions
            .sessions
            .read()
            .await
            .keys()
            .cloned()
            .collect();
        for id in &ids {
            self.sessions.close_session(id).await?;
        }
        Ok(ids.len())
    }

    /// Stops the server at once, as a crash or a dropped network would: the port stops
    /// accepting and every open connection, event streams included, is cut without a reply.
    pub async fn kill(&mut self) {
        self.task.abort();
        // Returns once the task, its listener and its connections have been dropped.
        let _aborted = (&mut self.task).await;
    }
}

impl Drop for TestMcpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves each accepted connection in a task of its own set, so that dropping this future
/// drops every connection with it.
async fn serve_connections(listener: TcpListener, app: axum::Router) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                eprintln!("test MCP server stopped accepting: {error}");
                return;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        connections.spawn(async move {
            // A client that goes away mid-request is an ordinary end here.
            let _ended = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        // Reaps finished connections so the set does not grow with every request.
        while connections.try_join_next().is_some() {}
    }
}

/// What a test can change or watch in a running server.
#[derive(Debug, Default)]
struct Controls {
    hold_tool_calls: AtomicBool,
    tool_call_held: Notify,
    tool_call_cancelled: Notify,
    /// Zero lists every tool in one page.
    tools_page_size: AtomicUsize,
    offer_resources_and_prompts: AtomicBool,
    ask_client_for_roots: AtomicBool,
    /// The initialized sessions, for notifications the server sends on its own.
    peers: Mutex<Vec<Peer<RoleServer>>>,
}

/// Refuses a request whose `Authorization` is not granted the way Atlassian does: 401 with a
/// plain-text body and a `WWW-Authenticate` challenge without `resource_metadata`.
async fn require_granted_credential(
    State(grants): State<Arc<HashMap<String, Grant>>>,
    headers: HeaderMap,
    request: Request<Body>,
    next: Next,
) -> Response {
    let granted = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| grants.contains_key(value));
    if granted {
        next.run(request).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(
                header::WWW_AUTHENTICATE,
                "Bearer realm=\"mcp.atlassian.com\"",
            )],
            "Unauthorized",
        )
            .into_response()
    }
}

/// The MCP handler: lists the tools of the caller's grant and answers calls to them.
#[derive(Debug, Clone)]
struct FakeRovo {
    grants: Arc<HashMap<String, Grant>>,
    controls: Arc<Controls>,
}

impl FakeRovo {
    fn offers_resources_and_prompts(&self) -> bool {
        self.controls
            .offer_resources_and_prompts
            .load(Ordering::SeqCst)
    }

    fn require_resources_and_prompts(&self) -> Result<(), ErrorData> {
        if self.offers_resources_and_prompts() {
            Ok(())
        } else {
            Err(ErrorData::method_not_found::<
                rmcp::model::ListResourcesRequestMethod,
            >())
        }
    }

    fn grant_of(&self, context: &RequestContext<RoleServer>) -> Option<Grant> {
        let parts = context.extensions.get::<axum::http::request::Parts>()?;
        let authorization = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        self.grants.get(authorization).copied()
    }
}

impl ServerHandler for FakeRovo {
    fn get_info(&self) -> ServerConfig {
        let capabilities = if self.offers_resources_and_prompts() {
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_prompts()
                .build()
        } else {
            ServerCapabilities::builder().enable_tools().build()
        };
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("atlassian-rovo-mcp-stand-in", "1.0.0"))
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        self.require_resources_and_prompts()?;
        Ok(ListResourcesResult::with_all_items(vec![Resource::new(
            STAND_IN_RESOURCE_URI,
            "readme",
        )]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        self.require_resources_and_prompts()?;
        if request.uri != STAND_IN_RESOURCE_URI {
            return Err(ErrorData::resource_not_found("no such resource", None));
        }
        Ok(ReadResourceResult::new(vec![ResourceContents::text(
            "read from the stand-in server",
            STAND_IN_RESOURCE_URI,
        )])
        .into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        self.require_resources_and_prompts()?;
        Ok(ListPromptsResult::with_all_items(vec![Prompt::new(
            STAND_IN_PROMPT,
            Some("Summarize a Jira issue"),
            None,
        )]))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        self.require_resources_and_prompts()?;
        if request.name != STAND_IN_PROMPT {
            return Err(ErrorData::invalid_params("no such prompt", None));
        }
        Ok(GetPromptResult::new(vec![PromptMessage::new_text(
            Role::User,
            "prompt from the stand-in server",
        )])
        .into())
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        self.controls
            .peers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(context.peer);
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let grant = self
            .grant_of(&context)
            .ok_or_else(|| ErrorData::invalid_request("no granted credential", None))?;
        let tools: Vec<Tool> = grant.tools().into_iter().map(to_mcp_tool).collect();
        let page_size = match self.controls.tools_page_size.load(Ordering::SeqCst) {
            0 => tools.len(),
            size => size,
        };
        // The cursor is the index of the page's first tool.
        let start = match request.and_then(|request| request.cursor) {
            Some(cursor) => cursor
                .parse::<usize>()
                .ok()
                .filter(|start| *start < tools.len())
                .ok_or_else(|| ErrorData::invalid_params("unknown cursor", None))?,
            None => 0,
        };
        let end = (start + page_size).min(tools.len());
        let mut page = ListToolsResult::with_all_items(tools[start..end].to_vec());
        page.next_cursor = (end < tools.len()).then(|| end.to_string());
        Ok(page)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let grant = self
            .grant_of(&context)
            .ok_or_else(|| ErrorData::invalid_request("no granted credential", None))?;
        if !grant.tools().iter().any(|tool| tool.name == request.name) {
            return Err(ErrorData::method_not_found::<
                rmcp::model::CallToolRequestMethod,
            >());
        }
        if self.controls.hold_tool_calls.load(Ordering::SeqCst) {
            // `notify_one` keeps the signal for a waiter that has not started waiting yet.
            self.controls.tool_call_held.notify_one();
            context.ct.cancelled().await;
            self.controls.tool_call_cancelled.notify_one();
            return Err(ErrorData::internal_error("cancelled by the client", None));
        }
        // A caller that asked for progress gets one step of it, as long calls do.
        if let Some(token) = context.meta.get_progress_token() {
            let progress = ProgressNotificationParam::new(token, 1.0)
                .with_total(1.0)
                .with_message("answered");
            context
                .peer
                .notify_progress(progress)
                .await
                .map_err(|error| ErrorData::internal_error(error.to_string(), None))?;
        }
        let mut text = format!("{} answered by the stand-in server", request.name);
        if self.controls.ask_client_for_roots.load(Ordering::SeqCst) {
            #[expect(
                deprecated,
                reason = "SEP-2577 deprecates roots; clients still send them"
            )]
            let root_count = context
                .peer
                .list_roots()
                .await
                .map(|roots| roots.roots.len())
                .map_err(|error| {
                    ErrorData::internal_error(format!("roots/list failed: {error}"), None)
                })?;
            text = format!("{text} with {root_count} roots of the client");
        }
        Ok(CallToolResult::success(vec![ContentBlock::text(text)]).into())
    }
}

fn to_mcp_tool(tool: CatalogueTool) -> Tool {
    let schema: JsonObject = serde_json::from_value(serde_json::json!({
        "type": "object",
        "properties": {},
    }))
    .expect("a literal JSON object is a schema object");
    Tool::new(tool.name, tool.title, Arc::new(schema))
        .with_title(tool.title)
        .annotate(ToolAnnotations::new().read_only(tool.read_only))
}
