//! A real MCP Streamable HTTP server (rmcp on axum) on a loopback port that answers like the
//! Atlassian Rovo endpoint as it is today (research/atlassian-mcp.md, corrections of
//! 2026-12-03): `/v2/mcp` lists the primary tools with the meta-tools, `/v2/mcp?tools=all` the
//! flat, paginated list of every tool, `/v1/mcp` every tool under the v1 names (ignoring
//! `?tools=all`). It accepts the credentials a test grants, lists the tools each one unlocks,
//! refuses at call time inside a tool result (API-token sign-in off, IP allowlist, classic
//! token, scopes) or with a 403, and refuses or misbehaves the way the real server and the
//! networks in front of it do (§2.3): 401 with a plain-text body, the legacy-token and
//! IP-allowlist 403s, 429 with `Retry-After`, 5xx, an HTML page, a reply that hangs, an event
//! stream that never ends, a huge or non-UTF-8 reply, a JSON-RPC error, slow replies.
//!
//! Every request is logged with its start and end, so a test can count sequential round trips.
//! It only ever listens on 127.0.0.1.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams,
    GetPromptResponse, GetPromptResult, Implementation, JsonObject, ListPromptsResult,
    ListResourcesResult, ListToolsResult, PaginatedRequestParams, ProgressNotificationParam,
    Prompt, PromptMessage, ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, Resource, ResourceContents, Role, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::{NotificationContext, Peer, RequestContext};
use rmcp::transport::StreamableHttpServerConfig;
use rmcp::transport::streamable_http_server::session::SessionManager;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::tower::StreamableHttpService;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

/// The path the real endpoint recommends for every client (v2).
pub const MCP_PATH: &str = "/v2/mcp";
/// The v1 path, still served: a flat list of every tool under the v1 names, and `?tools=all`
/// ignored.
pub const V1_MCP_PATH: &str = "/v1/mcp";

/// The one resource the server offers after [`TestMcpServer::offer_resources_and_prompts`].
pub const STAND_IN_RESOURCE_URI: &str = "atlassian://stand-in/readme";
/// The one prompt the server offers after [`TestMcpServer::offer_resources_and_prompts`].
pub const STAND_IN_PROMPT: &str = "summarize-issue";

/// The account `atlassianUserInfo` returns.
pub const ACCOUNT_EMAIL: &str = "stand-in@example.com";
/// The one site `getAccessibleAtlassianResources` returns.
pub const SITE_CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
pub const SITE_URL: &str = "https://stand-in.atlassian.net";
/// The second site of [`Grant::TwoSites`].
pub const SECOND_SITE_CLOUD_ID: &str = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
pub const SECOND_SITE_URL: &str = "https://stand-in-eu.atlassian.net";

/// The server's words when an admin turned API-token sign-in off: the text of a tool result,
/// without `isError` (research/atlassian-mcp.md, corrections of 2026-12-03).
pub const API_TOKEN_OFF_REFUSAL: &str = r#"{"error":true,"message":"You don't have permission to connect via API token. Please ask your organization admin for access."}"#;
/// The same refusal for a network outside the organisation's IP allowlist.
pub const IP_REFUSAL: &str = r#"{"error":true,"message":"You don't have permission to connect from this IP address. Please ask your admin for access."}"#;
/// The classic token's refusal at call time, as it has been seen worded.
pub const CLASSIC_TOKEN_REFUSAL: &str =
    "Teamwork Graph tools require a modern API token (API token with scopes).";
/// A scope refusal at call time.
pub const SCOPE_REFUSAL: &str =
    r#"Insufficient scopes for "atlassianUserInfo". Required: [read:me:agent-interface]"#;

/// Which list a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/v1/mcp`, with or without `?tools=all`: every tool, v1 names.
    V1,
    /// `/v2/mcp`: the primary tools and the meta-tools.
    V2Primary,
    /// `/v2/mcp?tools=all`: every tool, flat.
    V2All,
}

/// What a granted credential can see and how its tool calls are answered, matching the cases
/// the real server produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// A scoped token with every Rovo MCP scope: product tools plus the platform tools.
    FullScope,
    /// A token whose scopes match no tool: signed in, but only the two platform tools.
    PlatformOnly,
    /// A personal token sent as `Bearer`: signed in, but only the Teamwork Graph tools.
    TeamworkGraphOnly,
    /// A token made for the other token app: platform and Teamwork Graph tools.
    WrongApp,
    /// A classic token: platform and Teamwork Graph tools listed, every call refused with the
    /// "modern API token" words.
    ClassicToken,
    /// Everything listed, every call refused inside the result.
    CallsRefused(CallRefusal),
    /// Everything listed; the token reaches two sites.
    TwoSites,
    /// Everything listed; `atlassianUserInfo` answers with something that is not an account.
    OddAccount(OddAccount),
}

/// How tool calls are refused at call time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallRefusal {
    /// API-token sign-in turned off: the refusal object without `isError`.
    ApiTokenSignInOff,
    /// The same with `isError: true`.
    ApiTokenSignInOffMarkedError,
    /// Outside the IP allowlist, inside the result.
    IpAllowlist,
    /// HTTP 403 to `tools/call`, its body the API-token refusal.
    Http403,
    /// The platform tools refused for a missing scope.
    Scope,
}

/// What an odd `atlassianUserInfo` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OddAccount {
    /// Text that is not JSON.
    NotJson,
    /// JSON of the wrong shape.
    WrongShape,
}

/// One tool of the stand-in catalogue: name (v2), title, whether it only reads, whether v2
/// lists it in the plain list, and its name on v1 (`None`: not on v1).
#[derive(Debug, Clone, Copy)]
pub struct CatalogueTool {
    pub name: &'static str,
    pub title: &'static str,
    pub read_only: bool,
    pub primary: bool,
    pub v1_name: Option<&'static str>,
}

const fn tool(
    name: &'static str,
    title: &'static str,
    read_only: bool,
    primary: bool,
    v1_name: Option<&'static str>,
) -> CatalogueTool {
    CatalogueTool {
        name,
        title,
        read_only,
        primary,
        v1_name,
    }
}

/// The platform tools every signed-in credential sees.
pub const PLATFORM_TOOLS: [CatalogueTool; 2] = [
    tool(
        "atlassianUserInfo",
        "Atlassian user info",
        true,
        true,
        Some("atlassianUserInfo"),
    ),
    tool(
        "getAccessibleAtlassianResources",
        "Accessible Atlassian resources",
        true,
        true,
        Some("getAccessibleAtlassianResources"),
    ),
];

/// The Teamwork Graph tools: v2 names, their v1 names, and v2's new write tool.
pub const TEAMWORK_GRAPH_TOOLS: [CatalogueTool; 3] = [
    tool(
        "getGraphContext",
        "Teamwork Graph context",
        true,
        true,
        Some("getTeamworkGraphContext"),
    ),
    tool(
        "getGraphObject",
        "Teamwork Graph object",
        true,
        true,
        Some("getTeamworkGraphObject"),
    ),
    tool(
        "addGraphContext",
        "Add Teamwork Graph context",
        false,
        true,
        None,
    ),
];

/// v2's meta-tools, listed with the primary tools on the plain v2 endpoint only.
pub const META_TOOLS: [CatalogueTool; 4] = [
    tool("discover", "Discover tools", true, true, None),
    tool("executeRead", "Run a read tool", true, true, None),
    tool("executeWrite", "Run a write tool", false, true, None),
    tool(
        "executeDestructive",
        "Run a destructive tool",
        false,
        true,
        None,
    ),
];

/// The product tools of today's server: the primary ones as a user observed them on v2
/// (research/atlassian-mcp.md, corrections of 2026-12-03), the rest of the documented
/// catalogue, and one tool each of the products whose tool names are not documented yet (names
/// of the stand-in's own, which the catalogue sorts by name).
pub const PRODUCT_TOOLS: [CatalogueTool; 38] = [
    tool(
        "getJiraIssue",
        "Get Jira issue",
        true,
        true,
        Some("getJiraIssue"),
    ),
    tool(
        "searchJiraIssuesUsingJql",
        "Search Jira issues with JQL",
        true,
        true,
        Some("searchJiraIssuesUsingJql"),
    ),
    tool(
        "createJiraIssue",
        "Create Jira issue",
        false,
        true,
        Some("createJiraIssue"),
    ),
    tool(
        "editJiraIssue",
        "Edit Jira issue",
        false,
        true,
        Some("editJiraIssue"),
    ),
    tool(
        "transitionJiraIssue",
        "Transition Jira issue",
        false,
        true,
        Some("transitionJiraIssue"),
    ),
    tool(
        "addOrEditJiraIssueComment",
        "Comment on a Jira issue",
        false,
        true,
        Some("addCommentToJiraIssue"),
    ),
    tool(
        "listJiraProjects",
        "Jira projects",
        true,
        false,
        Some("getVisibleJiraProjects"),
    ),
    tool(
        "listJiraProjectIssueTypesMetadata",
        "Issue types of a project",
        true,
        false,
        Some("getJiraProjectIssueTypesMetadata"),
    ),
    tool(
        "getJiraIssueTypeMetaWithFields",
        "Issue type fields",
        true,
        false,
        Some("getJiraIssueTypeMetaWithFields"),
    ),
    tool(
        "listJiraIssueTransitions",
        "Transitions of an issue",
        true,
        false,
        Some("getTransitionsForJiraIssue"),
    ),
    tool(
        "lookupJiraAccountId",
        "Look up a Jira account",
        true,
        false,
        Some("lookupJiraAccountId"),
    ),
    tool(
        "getJiraIssueRemoteIssueLinks",
        "Remote links of an issue",
        true,
        false,
        Some("getJiraIssueRemoteIssueLinks"),
    ),
    tool(
        "getIssueLinkTypes",
        "Issue link types",
        true,
        false,
        Some("getIssueLinkTypes"),
    ),
    tool(
        "listJiraIssueComments",
        "Comments of an issue",
        true,
        false,
        None,
    ),
    tool(
        "addWorklogToJiraIssue",
        "Log work",
        false,
        false,
        Some("addWorklogToJiraIssue"),
    ),
    tool(
        "createJiraIssueLink",
        "Link two issues",
        false,
        false,
        Some("createIssueLink"),
    ),
    tool(
        "uploadAttachmentToJiraIssue",
        "Attach a file",
        false,
        false,
        None,
    ),
    tool(
        "getConfluenceContent",
        "Get Confluence content",
        true,
        true,
        Some("getConfluencePage"),
    ),
    tool(
        "createConfluenceContent",
        "Create Confluence content",
        false,
        true,
        Some("createConfluencePage"),
    ),
    tool(
        "updateConfluenceContent",
        "Update Confluence content",
        false,
        true,
        Some("updateConfluencePage"),
    ),
    tool(
        "searchConfluence",
        "Search Confluence",
        true,
        true,
        Some("searchConfluenceUsingCql"),
    ),
    tool(
        "getConfluenceSpaces",
        "Confluence spaces",
        true,
        false,
        Some("getConfluenceSpaces"),
    ),
    tool(
        "getPagesInConfluenceSpace",
        "Pages of a space",
        true,
        false,
        Some("getPagesInConfluenceSpace"),
    ),
    tool(
        "getConfluencePageFooterComments",
        "Footer comments",
        true,
        false,
        Some("getConfluencePageFooterComments"),
    ),
    tool(
        "createConfluenceFooterComment",
        "Add a footer comment",
        false,
        false,
        Some("createConfluenceFooterComment"),
    ),
    tool(
        "listConfluenceContentVersions",
        "Versions of a page",
        true,
        false,
        None,
    ),
    tool(
        "archiveConfluenceContent",
        "Archive a page",
        false,
        false,
        None,
    ),
    tool(
        "getJsmOpsAlerts",
        "JSM alerts",
        true,
        false,
        Some("getJsmOpsAlerts"),
    ),
    tool(
        "updateJsmOpsAlert",
        "Update a JSM alert",
        false,
        false,
        Some("updateJsmOpsAlert"),
    ),
    tool(
        "bitbucketRepository",
        "Bitbucket repository",
        true,
        false,
        Some("bitbucketRepository"),
    ),
    tool(
        "bitbucketPullRequest",
        "Bitbucket pull request",
        true,
        false,
        Some("bitbucketPullRequest"),
    ),
    tool("getLoomVideo", "Get Loom video", true, true, None),
    tool("getGoal", "Get a goal", true, false, None),
    tool(
        "getAtlassianProjectUpdate",
        "Project update",
        true,
        false,
        None,
    ),
    tool("getTeamMembers", "Members of a team", true, false, None),
    tool("getFocusArea", "Focus area", true, false, None),
    tool("getTalentPosition", "Talent position", true, false, None),
    tool("search", "Search Rovo", true, true, Some("search")),
];

impl Grant {
    /// Every tool this grant unlocks, under its v2 name, platform tools first as the real
    /// server does.
    fn unlocked(self) -> Vec<CatalogueTool> {
        match self {
            Self::PlatformOnly => PLATFORM_TOOLS.to_vec(),
            Self::TeamworkGraphOnly => TEAMWORK_GRAPH_TOOLS.to_vec(),
            Self::WrongApp | Self::ClassicToken => PLATFORM_TOOLS
                .into_iter()
                .chain(TEAMWORK_GRAPH_TOOLS)
                .collect(),
            Self::FullScope | Self::CallsRefused(_) | Self::TwoSites | Self::OddAccount(_) => {
                PLATFORM_TOOLS
                    .into_iter()
                    .chain(PRODUCT_TOOLS)
                    .chain(TEAMWORK_GRAPH_TOOLS)
                    .collect()
            }
        }
    }

    /// The tools this grant lists on `surface`, each under the name it has there.
    pub fn tools_on(self, surface: Surface) -> Vec<CatalogueTool> {
        let unlocked = self.unlocked();
        match surface {
            Surface::V2All => unlocked,
            Surface::V2Primary => unlocked
                .into_iter()
                .filter(|tool| tool.primary)
                .chain(META_TOOLS)
                .collect(),
            Surface::V1 => unlocked
                .into_iter()
                .filter_map(|tool| {
                    Some(CatalogueTool {
                        name: tool.v1_name?,
                        ..tool
                    })
                })
                .collect(),
        }
    }

    /// Whether `name` is a tool of this grant under either of its names.
    fn unlocks(self, name: &str) -> bool {
        self.unlocked()
            .iter()
            .chain(META_TOOLS.iter())
            .any(|tool| tool.name == name || tool.v1_name == Some(name))
    }
}

/// How the server (or something in front of it) misbehaves for one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misbehaviour {
    /// A fixed reply to every request: status, content type and body.
    Reply {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// 429 with `Retry-After: retry_after_seconds` for the first `times` requests, then the
    /// credential's grant applies.
    RateLimited {
        retry_after_seconds: u64,
        times: usize,
    },
    /// 200 with event-stream headers, then nothing, ever.
    HangAfterHeaders,
    /// 200 with an event stream that sends keep-alive comments forever and never the reply.
    EndlessEventStream,
    /// A JSON-RPC error object instead of a result, with the request's own id.
    JsonRpcError,
    /// `307 Temporary Redirect` to `location`, which keeps the POST and its body.
    Redirect { location: String },
    /// `status` with a plain-text body that repeats the request's `Authorization` value as
    /// `echo` writes it, as a gateway's error page that lists the request headers does.
    EchoAuthorization { status: u16, echo: HeaderEcho },
}

/// How [`Misbehaviour::EchoAuthorization`] writes the header it repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderEcho {
    AsSent,
    /// Every byte but letters, digits and `-._~` as `%XX`.
    PercentEncoded,
    /// The whole value in base64 without `=` padding.
    Base64Unpadded,
    /// The token alone (after `Basic`'s `email:`, or after `Bearer `) in base64.
    TokenBase64,
    LowerCased,
    UpperCased,
    /// Inside a JSON string, `/` as `\/` and `+`, `=` as `\u002B`, `\u003D` (as .NET writes them).
    JsonEscaped,
}

impl HeaderEcho {
    pub const ALL: [Self; 7] = [
        Self::AsSent,
        Self::PercentEncoded,
        Self::Base64Unpadded,
        Self::TokenBase64,
        Self::LowerCased,
        Self::UpperCased,
        Self::JsonEscaped,
    ];

    /// `authorization` written this way.
    pub fn write(self, authorization: &str) -> String {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
        match self {
            Self::AsSent => authorization.to_owned(),
            Self::PercentEncoded => authorization
                .bytes()
                .map(|byte| {
                    if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                        char::from(byte).to_string()
                    } else {
                        format!("%{byte:02X}")
                    }
                })
                .collect(),
            Self::Base64Unpadded => STANDARD_NO_PAD.encode(authorization),
            Self::TokenBase64 => {
                let (scheme, credential) = authorization.split_once(' ').unwrap_or_default();
                let token = if scheme.eq_ignore_ascii_case("basic") {
                    let pair = STANDARD.decode(credential).unwrap_or_default();
                    let pair = String::from_utf8_lossy(&pair).into_owned();
                    pair.split_once(':').unwrap_or_default().1.to_owned()
                } else {
                    credential.to_owned()
                };
                STANDARD.encode(token)
            }
            Self::LowerCased => authorization.to_lowercase(),
            Self::UpperCased => authorization.to_uppercase(),
            Self::JsonEscaped => format!(
                "{{\"authorization\":\"{}\"}}",
                authorization
                    .replace('/', "\\/")
                    .replace('+', "\\u002B")
                    .replace('=', "\\u003D")
            ),
        }
    }
}

impl Misbehaviour {
    /// Atlassian's 403 for a classic token without scopes.
    pub fn legacy_token() -> Self {
        Self::text(
            403,
            "This endpoint requires a modern API token (API token with scopes). Legacy API tokens without scopes are not supported.",
        )
    }

    /// Atlassian's refusal of a network outside the organisation's IP allowlist.
    pub fn ip_blocked() -> Self {
        Self::text(
            403,
            "You don't have permission to connect from this IP address. Please ask your admin for access.",
        )
    }

    /// A 403 with no known text, as when an admin turned API-token sign-in off.
    pub fn forbidden() -> Self {
        Self::text(403, "Forbidden")
    }

    /// A gateway failure page.
    pub fn server_error() -> Self {
        Self::Reply {
            status: 502,
            content_type: "text/html",
            body: b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
        }
    }

    /// A 200 web page, as a captive portal or proxy login page answers.
    pub fn html_page() -> Self {
        Self::Reply {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: b"<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>Welcome</body></html>".to_vec(),
        }
    }

    /// A 200 JSON reply of `bytes` bytes.
    pub fn huge_reply(bytes: usize) -> Self {
        let mut body = br#"{"jsonrpc":"2.0","id":1,"result":{"padding":""#.to_vec();
        body.resize(bytes, b'x');
        body.extend_from_slice(br#""}}"#);
        Self::Reply {
            status: 200,
            content_type: "application/json",
            body,
        }
    }

    /// A 200 JSON reply whose bytes are not UTF-8.
    pub fn invalid_utf8() -> Self {
        Self::Reply {
            status: 200,
            content_type: "application/json",
            body: b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"\xff\xfe\xfd\"}".to_vec(),
        }
    }

    fn text(status: u16, body: &str) -> Self {
        Self::Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
        }
    }
}

/// One request the server received: when, which HTTP method and which JSON-RPC method.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub http_method: Method,
    pub rpc_method: Option<String>,
    pub started: Instant,
    pub finished: Instant,
}

/// Everything the server received, in arrival order.
#[derive(Debug, Default)]
pub struct RequestLog {
    requests: Mutex<Vec<LoggedRequest>>,
}

impl RequestLog {
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// How many exchanges had to wait for the one before: requests are grouped into waves,
    /// and a wave starts when a request starts after every earlier request has been answered.
    /// Requests with `exclude` as their HTTP method (the session's `DELETE`) are left out.
    pub fn sequential_exchanges(&self, exclude: &Method) -> usize {
        let mut requests: Vec<LoggedRequest> = self
            .requests()
            .into_iter()
            .filter(|request| request.http_method != *exclude)
            .collect();
        requests.sort_by_key(|request| request.started);
        let mut waves = 0;
        let mut wave_end: Option<Instant> = None;
        for request in requests {
            if wave_end.is_none_or(|end| request.started >= end) {
                waves += 1;
                wave_end = Some(request.finished);
            } else if let Some(end) = wave_end.as_mut() {
                *end = (*end).max(request.finished);
            }
        }
        waves
    }

    fn push(&self, request: LoggedRequest) {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(request);
    }
}

/// How to build a stand-in server; [`TestMcpServer::builder`] starts one.
#[derive(Debug, Clone)]
pub struct TestMcpServerBuilder {
    grants: HashMap<String, Grant>,
    misbehaviours: HashMap<String, Misbehaviour>,
    page_size: Option<usize>,
    json_replies: bool,
    latency: Duration,
    newest_protocol: ProtocolVersion,
    stateless_only: bool,
    extra_tools: usize,
    endless_tool_pages: bool,
}

impl Default for TestMcpServerBuilder {
    fn default() -> Self {
        Self {
            grants: HashMap::new(),
            misbehaviours: HashMap::new(),
            page_size: None,
            json_replies: false,
            latency: Duration::ZERO,
            newest_protocol: ProtocolVersion::LATEST_WITH_INITIALIZE,
            stateless_only: false,
            extra_tools: 0,
            endless_tool_pages: false,
        }
    }
}

impl TestMcpServerBuilder {
    /// Accepts the exact `Authorization` value `authorization` with what `grant` unlocks.
    #[must_use]
    pub fn grant(mut self, authorization: impl Into<String>, grant: Grant) -> Self {
        self.grants.insert(authorization.into(), grant);
        self
    }

    /// Makes requests with `authorization` misbehave; a `RateLimited` credential also needs a
    /// grant for what comes after.
    #[must_use]
    pub fn misbehave(
        mut self,
        authorization: impl Into<String>,
        misbehaviour: Misbehaviour,
    ) -> Self {
        self.misbehaviours
            .insert(authorization.into(), misbehaviour);
        self
    }

    /// Adds `count` made-up Jira tools to every flat list, as a catalogue of thousands would.
    #[must_use]
    pub fn extra_tools(mut self, count: usize) -> Self {
        self.extra_tools = count;
        self
    }

    /// Gives every page of a flat list (`?tools=all`, v1) a new `nextCursor`, forever.
    #[must_use]
    pub fn endless_tool_pages(mut self) -> Self {
        self.endless_tool_pages = true;
        self
    }

    /// Splits `tools/list` into pages of `size` tools with a `nextCursor`.
    #[must_use]
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = Some(size.max(1));
        self
    }

    /// Answers with `application/json` instead of an event stream (stateless, no session).
    #[must_use]
    pub fn json_replies(mut self) -> Self {
        self.json_replies = true;
        self
    }

    /// Holds every request this long before answering.
    #[must_use]
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// The newest protocol the server speaks: a client asking for a newer one is answered
    /// with this one, so the client must negotiate down.
    #[must_use]
    pub fn newest_protocol(mut self, version: ProtocolVersion) -> Self {
        self.newest_protocol = version;
        self
    }

    /// Speaks only the stateless protocol (2026-07-28): `initialize` is refused with
    /// "unsupported protocol version", as the endpoint will once it moves on.
    #[must_use]
    pub fn stateless_only(mut self) -> Self {
        self.newest_protocol = ProtocolVersion::V_2026_07_28;
        self.stateless_only = true;
        self
    }

    /// Starts the server on a free loopback port.
    pub async fn start(self) -> anyhow::Result<TestMcpServer> {
        let grants = Arc::new(self.grants);
        let controls = Arc::new(Controls::default());
        controls
            .tools_page_size
            .store(self.page_size.unwrap_or(0), Ordering::SeqCst);
        let sessions = Arc::new(LocalSessionManager::default());
        let mut config = StreamableHttpServerConfig::default();
        if self.json_replies {
            config = config
                .with_legacy_session_mode(false)
                .with_json_response(true);
        }
        let surface = FakeRovo {
            grants: Arc::clone(&grants),
            controls: Arc::clone(&controls),
            newest_protocol: self.newest_protocol,
            stateless_only: self.stateless_only,
            v1: false,
            extra_tools: self.extra_tools,
            endless_tool_pages: self.endless_tool_pages,
        };
        let service = |v1: bool| {
            let handler = FakeRovo {
                v1,
                ..surface.clone()
            };
            let service: StreamableHttpService<FakeRovo, LocalSessionManager> =
                StreamableHttpService::new(
                    move || Ok(handler.clone()),
                    Arc::clone(&sessions),
                    config.clone(),
                );
            service
        };
        let (v2, v1) = (service(false), service(true));
        let log = Arc::new(RequestLog::default());
        let gate = Arc::new(Gate {
            grants,
            controls: Arc::clone(&controls),
            misbehaviours: self.misbehaviours,
            rate_limited: AtomicUsize::new(0),
            latency: self.latency,
        });
        let app = axum::Router::new()
            .nest_service(MCP_PATH, v2)
            .nest_service(V1_MCP_PATH, v1)
            .layer(middleware::from_fn_with_state(gate, gatekeeper))
            .layer(middleware::from_fn_with_state(Arc::clone(&log), record));

        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}{MCP_PATH}", listener.local_addr()?);
        let v1_url = format!("http://{}{V1_MCP_PATH}", listener.local_addr()?);
        let task = tokio::spawn(serve_connections(listener, app));
        Ok(TestMcpServer {
            url,
            v1_url,
            log,
            task,
            controls,
            sessions,
        })
    }
}

/// A running stand-in server; it stops when dropped.
#[derive(Debug)]
pub struct TestMcpServer {
    url: String,
    v1_url: String,
    log: Arc<RequestLog>,
    /// Accepts connections and owns every open one: aborting it drops them all.
    task: JoinHandle<()>,
    controls: Arc<Controls>,
    sessions: Arc<LocalSessionManager>,
}

impl TestMcpServer {
    /// Starts a server on a free loopback port that accepts exactly the `Authorization` header
    /// values in `grants`, each with what it unlocks.
    pub async fn start(grants: impl IntoIterator<Item = (String, Grant)>) -> anyhow::Result<Self> {
        grants
            .into_iter()
            .fold(Self::builder(), |builder, (authorization, grant)| {
                builder.grant(authorization, grant)
            })
            .start()
            .await
    }

    /// A server to configure before starting.
    pub fn builder() -> TestMcpServerBuilder {
        TestMcpServerBuilder::default()
    }

    /// The endpoint URL, `http://127.0.0.1:<port>/v2/mcp`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The v1 endpoint URL, `http://127.0.0.1:<port>/v1/mcp`.
    pub fn v1_url(&self) -> &str {
        &self.v1_url
    }

    /// Every request received so far.
    pub fn log(&self) -> &RequestLog {
        &self.log
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

    /// From now on, `authorization` is refused with 401, as a token revoked on the server is.
    pub fn revoke(&self, authorization: impl Into<String>) {
        self.controls
            .revoked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(authorization.into());
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
        // Without it, Nagle's algorithm holds the event after the headers until the client's
        // delayed ACK (about 40 ms), which no real server adds and every timing would include.
        if let Err(error) = stream.set_nodelay(true) {
            eprintln!("test MCP server could not set TCP_NODELAY: {error}");
        }
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
    /// Granted `Authorization` values refused from now on, as a revoked token is.
    revoked: Mutex<Vec<String>>,
}

/// Logs each request with its JSON-RPC method and how long it took, up to the end of the
/// response headers (a streamed body may go on after).
async fn record(
    State(log): State<Arc<RequestLog>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let started = Instant::now();
    let http_method = request.method().clone();
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1024 * 1024)
        .await
        .unwrap_or_default();
    let rpc_method = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|message| Some(message.get("method")?.as_str()?.to_owned()));
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    log.push(LoggedRequest {
        http_method,
        rpc_method,
        started,
        finished: Instant::now(),
    });
    response
}

/// What stands between the network and the MCP handler: the credential check, misbehaviours
/// and latency.
#[derive(Debug)]
struct Gate {
    grants: Arc<HashMap<String, Grant>>,
    controls: Arc<Controls>,
    misbehaviours: HashMap<String, Misbehaviour>,
    rate_limited: AtomicUsize,
    latency: Duration,
}

/// Refuses a request whose `Authorization` is not granted the way Atlassian does (401 with a
/// plain-text body and a challenge without `resource_metadata`), or misbehaves as configured.
async fn gatekeeper(
    State(gate): State<Arc<Gate>>,
    headers: HeaderMap,
    request: Request<Body>,
    next: Next,
) -> Response {
    if !gate.latency.is_zero() {
        tokio::time::sleep(gate.latency).await;
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    match gate.misbehaviours.get(authorization) {
        Some(Misbehaviour::Reply {
            status,
            content_type,
            body,
        }) => {
            return Response::builder()
                .status(*status)
                .header(header::CONTENT_TYPE, *content_type)
                .body(Body::from(body.clone()))
                .expect("a fixed reply is a valid response");
        }
        Some(Misbehaviour::RateLimited {
            retry_after_seconds,
            times,
        }) if gate.rate_limited.fetch_add(1, Ordering::SeqCst) < *times => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after_seconds.to_string())],
                "Too Many Requests",
            )
                .into_response();
        }
        Some(Misbehaviour::HangAfterHeaders) => {
            return event_stream(Body::from_stream(futures_util::stream::pending::<
                Result<&'static str, Infallible>,
            >()));
        }
        Some(Misbehaviour::EndlessEventStream) => {
            let keep_alives = futures_util::stream::unfold(0u32, |sent| async move {
                // Bounded so a forgotten client cannot keep it going: one minute at most.
                if sent >= 1200 {
                    return None;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                Some((Ok::<_, Infallible>(": keep-alive\n\n"), sent + 1))
            });
            return event_stream(Body::from_stream(keep_alives));
        }
        Some(Misbehaviour::JsonRpcError) => return json_rpc_error(request).await,
        Some(Misbehaviour::Redirect { location }) => {
            return (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, location.clone())],
            )
                .into_response();
        }
        Some(Misbehaviour::EchoAuthorization { status, echo }) => {
            return echo_authorization(*status, *echo, authorization);
        }
        Some(Misbehaviour::RateLimited { .. }) | None => {}
    }
    let revoked = gate
        .controls
        .revoked
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .any(|value| value == authorization);
    if gate.grants.get(authorization) == Some(&Grant::CallsRefused(CallRefusal::Http403)) {
        return refuse_tool_calls_with_403(request, next).await;
    }
    if gate.grants.contains_key(authorization) && !revoked {
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

/// A gateway's refusal that lists the request's `Authorization` value, written as `echo` says.
fn echo_authorization(status: u16, echo: HeaderEcho, authorization: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(format!(
            "Refused by the gateway. Request headers: authorization: {}",
            echo.write(authorization)
        )))
        .expect("an echo is a valid response")
}

/// A JSON-RPC error object instead of a result, with the request's own id.
async fn json_rpc_error(request: Request<Body>) -> Response {
    let (_, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1024 * 1024)
        .await
        .unwrap_or_default();
    let id = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|message| message.get("id").cloned())
        .unwrap_or(Value::Null);
    let error = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": -32603, "message": "Internal error: backend unavailable"},
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        error.to_string(),
    )
        .into_response()
}

/// Answers `tools/call` with a 403 whose body is the API-token refusal, as one report says the
/// server does with API-token sign-in off; every other request goes on.
async fn refuse_tool_calls_with_403(request: Request<Body>, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1024 * 1024)
        .await
        .unwrap_or_default();
    let is_call = serde_json::from_slice::<Value>(&bytes)
        .is_ok_and(|message| message.get("method").and_then(Value::as_str) == Some("tools/call"));
    if is_call {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            API_TOKEN_OFF_REFUSAL,
        )
            .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn event_stream(body: Body) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(body)
        .expect("an event-stream response is valid")
}

/// The MCP handler: lists the tools of the caller's grant and answers calls to them.
#[derive(Debug, Clone)]
struct FakeRovo {
    grants: Arc<HashMap<String, Grant>>,
    controls: Arc<Controls>,
    newest_protocol: ProtocolVersion,
    stateless_only: bool,
    /// Serves `/v1/mcp`, which ignores `?tools=all`.
    v1: bool,
    extra_tools: usize,
    endless_tool_pages: bool,
}

/// The versions of a server that no longer has `initialize`.
const STATELESS_PROTOCOLS: &[ProtocolVersion] = &[ProtocolVersion::V_2026_07_28];

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

    fn surface_of(&self, context: &RequestContext<RoleServer>) -> Surface {
        if self.v1 {
            return Surface::V1;
        }
        let all = context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.uri.query())
            .is_some_and(|query| query.split('&').any(|pair| pair == "tools=all"));
        if all {
            Surface::V2All
        } else {
            Surface::V2Primary
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
            .with_protocol_version(self.newest_protocol.clone())
    }

    fn supported_protocol_versions(&self) -> std::borrow::Cow<'static, [ProtocolVersion]> {
        std::borrow::Cow::Borrowed(if self.stateless_only {
            STATELESS_PROTOCOLS
        } else {
            ProtocolVersion::known_up_to(&self.newest_protocol)
        })
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
        let surface = self.surface_of(&context);
        let mut tools: Vec<Tool> = grant
            .tools_on(surface)
            .into_iter()
            .map(to_mcp_tool)
            .collect();
        if surface != Surface::V2Primary {
            tools.extend((0..self.extra_tools).map(|index| {
                to_mcp_tool(CatalogueTool {
                    name: Box::leak(format!("getJiraExtraTool{index}").into_boxed_str()),
                    title: "An extra tool",
                    read_only: true,
                    primary: false,
                    v1_name: None,
                })
            }));
        }
        let page_size = match self.controls.tools_page_size.load(Ordering::SeqCst) {
            0 => tools.len(),
            size => size,
        };
        let cursor = request.and_then(|request| request.cursor);
        if self.endless_tool_pages && surface != Surface::V2Primary {
            // Each page points to one more, whose number never repeats.
            let next = cursor
                .as_deref()
                .and_then(|cursor| cursor.strip_prefix("page-"))
                .and_then(|number| number.parse::<u64>().ok())
                .map_or(1, |number| number + 1);
            let mut page = ListToolsResult::with_all_items(tools.into_iter().take(1).collect());
            page.next_cursor = Some(format!("page-{next}"));
            return Ok(page);
        }
        // The cursor is the index of the page's first tool.
        let start = match cursor {
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
        if !grant.unlocks(&request.name) {
            return Err(ErrorData::method_not_found::<
                rmcp::model::CallToolRequestMethod,
            >());
        }
        if let Some(refused) = refusal_of(grant, &request.name) {
            return Ok(refused.into());
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
        if let (Grant::OddAccount(odd), "atlassianUserInfo") = (grant, request.name.as_ref()) {
            let text = match odd {
                OddAccount::NotJson => "Hello from the account service",
                OddAccount::WrongShape => "[1, 2, 3]",
            };
            return Ok(CallToolResult::success(vec![ContentBlock::text(text)]).into());
        }
        let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
        result.structured_content = platform_tool_output(&request.name, grant);
        Ok(result.into())
    }
}

/// How `grant` refuses a call of `tool` inside its result, if it does.
fn refusal_of(grant: Grant, tool: &str) -> Option<CallToolResult> {
    let text = |text: &str| vec![ContentBlock::text(text)];
    match grant {
        Grant::ClassicToken => Some(CallToolResult::error(text(CLASSIC_TOKEN_REFUSAL))),
        Grant::CallsRefused(CallRefusal::ApiTokenSignInOff) => {
            Some(CallToolResult::success(text(API_TOKEN_OFF_REFUSAL)))
        }
        Grant::CallsRefused(CallRefusal::ApiTokenSignInOffMarkedError) => {
            Some(CallToolResult::error(text(API_TOKEN_OFF_REFUSAL)))
        }
        Grant::CallsRefused(CallRefusal::IpAllowlist) => {
            Some(CallToolResult::success(text(IP_REFUSAL)))
        }
        Grant::CallsRefused(CallRefusal::Scope)
            if PLATFORM_TOOLS.iter().any(|platform| platform.name == tool) =>
        {
            Some(CallToolResult::error(text(SCOPE_REFUSAL)))
        }
        _ => None,
    }
}

/// What the platform tools return, in the shape of Atlassian's own: the account, and the
/// sites with their cloud ids (the REST `accessible-resources` shape).
fn platform_tool_output(tool: &str, grant: Grant) -> Option<Value> {
    match tool {
        "getAccessibleAtlassianResources" if grant == Grant::TwoSites => Some(json!([
            {
                "id": SITE_CLOUD_ID,
                "url": SITE_URL,
                "name": "stand-in",
                "scopes": ["read:jira-work", "write:jira-work"],
            },
            {
                "id": SECOND_SITE_CLOUD_ID,
                "url": SECOND_SITE_URL,
                "name": "stand-in-eu",
                "scopes": ["read:jira-work"],
            },
        ])),
        "atlassianUserInfo" => Some(json!({
            "account_id": "5b10a2844c20165700ede21g",
            "email": ACCOUNT_EMAIL,
            "name": "Stand-in Person",
        })),
        "getAccessibleAtlassianResources" => Some(json!([{
            "id": SITE_CLOUD_ID,
            "url": SITE_URL,
            "name": "stand-in",
            "scopes": ["read:jira-work", "write:jira-work"],
        }])),
        _ => None,
    }
}

fn to_mcp_tool(tool: CatalogueTool) -> Tool {
    let schema: JsonObject = serde_json::from_value(json!({
        "type": "object",
        "properties": {},
    }))
    .expect("a literal JSON object is a schema object");
    Tool::new(tool.name, tool.title, Arc::new(schema))
        .with_title(tool.title)
        .annotate(ToolAnnotations::new().read_only(tool.read_only))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(
        http_method: Method,
        started_ms: u64,
        finished_ms: u64,
        origin: Instant,
    ) -> LoggedRequest {
        LoggedRequest {
            http_method,
            rpc_method: None,
            started: origin + Duration::from_millis(started_ms),
            finished: origin + Duration::from_millis(finished_ms),
        }
    }

    #[test]
    fn overlapping_requests_are_one_exchange_and_delete_is_left_out() {
        let origin = Instant::now();
        let log = RequestLog::default();
        for logged in [
            request(Method::POST, 0, 10, origin),
            request(Method::POST, 10, 20, origin),
            request(Method::POST, 11, 18, origin),
            request(Method::POST, 20, 30, origin),
            request(Method::POST, 21, 35, origin),
            request(Method::DELETE, 36, 40, origin),
        ] {
            log.push(logged);
        }
        assert_eq!(
            log.sequential_exchanges(&Method::DELETE),
            3,
            "requests that start before the wave is answered belong to it"
        );
        assert_eq!(
            log.sequential_exchanges(&Method::OPTIONS),
            4,
            "a DELETE after everything is a wave of its own when counted"
        );
    }
}
