//! A real MCP Streamable HTTP server (rmcp on axum) on a loopback port that answers like the
//! Atlassian Rovo endpoint: it accepts the credentials a test grants, lists the tools each one
//! unlocks, and refuses everything else the way the real server does (research/atlassian-mcp.md
//! §2.3).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::transport::StreamableHttpServerConfig;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::tower::StreamableHttpService;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The path the real endpoint serves MCP on.
pub const MCP_PATH: &str = "/v1/mcp";

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
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl TestMcpServer {
    /// Starts a server on a free loopback port that accepts exactly the `Authorization` header
    /// values in `grants`, each with what it unlocks.
    pub async fn start(grants: impl IntoIterator<Item = (String, Grant)>) -> anyhow::Result<Self> {
        let grants: Arc<HashMap<String, Grant>> = Arc::new(grants.into_iter().collect());
        let handler_grants = Arc::clone(&grants);
        let mcp: StreamableHttpService<FakeRovo, LocalSessionManager> = StreamableHttpService::new(
            move || {
                Ok(FakeRovo {
                    grants: Arc::clone(&handler_grants),
                })
            },
            Arc::new(LocalSessionManager::default()),
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
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                eprintln!("test MCP server stopped with an error: {error}");
            }
        });
        Ok(Self {
            url,
            stop: Some(stop),
            task,
        })
    }

    /// The endpoint URL, `http://127.0.0.1:<port>/v1/mcp`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestMcpServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
    }
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
}

impl FakeRovo {
    fn grant_of(&self, context: &RequestContext<RoleServer>) -> Option<Grant> {
        let parts = context.extensions.get::<axum::http::request::Parts>()?;
        let authorization = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        self.grants.get(authorization).copied()
    }
}

impl ServerHandler for FakeRovo {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("atlassian-rovo-mcp-stand-in", "1.0.0"))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let grant = self
            .grant_of(&context)
            .ok_or_else(|| ErrorData::invalid_request("no granted credential", None))?;
        Ok(ListToolsResult::with_all_items(
            grant.tools().into_iter().map(to_mcp_tool).collect(),
        ))
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
        let text = format!("{} answered by the stand-in server", request.name);
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
