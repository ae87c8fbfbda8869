//! `--demo` (design §7): a stand-in Rovo MCP server on a loopback port and a sandbox home with a
//! few AI clients in it, so anyone can walk the whole wizard without an account and without
//! touching their own files.
//!
//! The stand-in answers like the real endpoint of today for the paths a person meets: `/v2/mcp`
//! lists the primary tools and the meta-tools, `/v2/mcp?tools=all` every tool, `/v1/mcp` every
//! tool under its v1 name. A scoped token (`ATATT3…`) or a service key sees every product tool
//! an admin has not left off; a token that does not look scoped is the classic kind, which
//! signs in, lists the platform and Teamwork Graph tools and is refused at call time for not
//! being a modern token (`limited`); a missing or malformed `Authorization` header is a 401.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use http_body_util::{BodyExt as _, Full, combinators::BoxBody};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ContentBlock, Implementation, JsonObject,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::transport::StreamableHttpServerConfig;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::tower::StreamableHttpService;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use crate::domain::catalogue::{Access, Catalogue, GroupAuth, Product};
use crate::domain::clients::{ClientEnvironment, Os};
use crate::{Error, ErrorKind, Result};

/// The paths the stand-in serves MCP on, like the real endpoint's.
const MCP_PATH: &str = "/v2/mcp";
const V1_MCP_PATH: &str = "/v1/mcp";
/// The tools v2 lists in its plain list, as a user observed them (research/atlassian-mcp.md,
/// corrections of 2026-12-03); the meta-tools come with them.
const PRIMARY_TOOLS: [&str; 17] = [
    "atlassianUserInfo",
    "getAccessibleAtlassianResources",
    "getConfluenceContent",
    "createConfluenceContent",
    "updateConfluenceContent",
    "searchConfluence",
    "getJiraIssue",
    "searchJiraIssuesUsingJql",
    "createJiraIssue",
    "editJiraIssue",
    "transitionJiraIssue",
    "addOrEditJiraIssueComment",
    "getLoomVideo",
    "getGraphContext",
    "getGraphObject",
    "addGraphContext",
    "search",
];
/// Tools of the demo's own for the permission groups whose tool names Atlassian has not
/// documented, so that every product shows in the demo; the catalogue sorts them by name.
const SAMPLE_TOOLS: [(&str, &str); 12] = [
    ("write_bitbucket", "createBitbucketPullRequest"),
    ("write_loom", "createLoomComment"),
    ("read_goals", "getGoal"),
    ("write_goals", "createGoalUpdate"),
    ("read_projects", "getAtlassianProject"),
    ("write_projects", "createAtlassianProjectUpdate"),
    ("read_teams", "getTeam"),
    ("write_teams", "addTeamMember"),
    ("read_focus", "getFocusArea"),
    ("write_focus", "updateFocusArea"),
    ("read_talent", "getTalentPosition"),
    ("write_talent", "updateTalentPosition"),
];
/// The email domains whose scoped tokens the demo refuses at call time, as the real server
/// does when an admin turned API-token sign-in off or the network is outside the allowlist.
const API_TOKENS_OFF_DOMAIN: &str = "@api-tokens-off.example";
const IP_BLOCKED_DOMAIN: &str = "@ip-blocked.example";
const API_TOKENS_OFF_REFUSAL: &str = r#"{"error":true,"message":"You don't have permission to connect via API token. Please ask your organization admin for access."}"#;
const IP_REFUSAL: &str = r#"{"error":true,"message":"You don't have permission to connect from this IP address. Please ask your admin for access."}"#;
/// What the classic token's calls are refused with, in the words it has been seen with.
const CLASSIC_TOKEN_REFUSAL: &str =
    "Teamwork Graph tools require a modern API token (API token with scopes).";
/// The site every demo credential reaches.
const DEMO_SITE_URL: &str = "https://your-company.atlassian.net";
const DEMO_CLOUD_ID: &str = "0d3c1f5e-7a2b-4c9d-8e6f-1a2b3c4d5e6f";
/// What the 401 says, in the real server's words.
const UNAUTHORIZED_BODY: &str =
    r#"{"error":"invalid_token","error_description":"Missing or invalid Authorization header"}"#;

/// What `--demo` runs against: the stand-in server and the sandbox home. Both go away when it
/// is dropped.
#[derive(Debug)]
pub struct DemoWorld {
    home: TempDir,
    /// Locked for as long as this demo runs: a sandbox whose lock is free belongs to a demo
    /// that was killed, and the next demo deletes it.
    _lock: std::fs::File,
    url: String,
    server: JoinHandle<()>,
}

/// What every sandbox folder's name starts with, in the temporary folder.
const SANDBOX_PREFIX: &str = "rovo-mcp-demo-";
const LOCK_FILE: &str = ".demo.lock";

impl DemoWorld {
    /// Creates the sandbox home with its clients and starts the stand-in server on a free
    /// loopback port. Call it inside a Tokio runtime that outlives the demo.
    ///
    /// # Errors
    /// `internal` when the sandbox cannot be created or no loopback port is free.
    pub async fn start() -> Result<Self> {
        remove_abandoned_sandboxes(&std::env::temp_dir());
        let home = tempfile::Builder::new()
            .prefix(SANDBOX_PREFIX)
            .tempdir()
            .map_err(|error| {
                demo_failed(format!("the sandbox folder could not be made: {error}"))
            })?;
        let lock = lock_sandbox(home.path())
            .map_err(|error| demo_failed(format!("the sandbox could not be locked: {error}")))?;
        seed_sandbox(home.path())
            .map_err(|error| demo_failed(format!("the sandbox could not be filled: {error}")))?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|error| demo_failed(format!("no loopback port is free: {error}")))?;
        let address = listener.local_addr().map_err(demo_failed)?;
        let server = tokio::spawn(serve(listener));
        Ok(Self {
            home,
            _lock: lock,
            url: format!("http://{address}{MCP_PATH}"),
            server,
        })
    }

    /// The stand-in server's MCP endpoint.
    pub fn endpoint(&self) -> &str {
        &self.url
    }

    /// The sandbox home folder.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The environment of the sandbox: this OS, the sandbox home, and none of this user's
    /// variables, so every client path and our own state and backups land inside the sandbox.
    /// It reads no policy: an organisation's policy (a locked endpoint, say) would stop the
    /// demo from reaching its own stand-in server, and the sandbox is all the demo touches.
    pub fn environment(&self) -> ClientEnvironment {
        ClientEnvironment::new(Os::current(), self.home.path(), []).with_machine_policy(Vec::new())
    }
}

impl Drop for DemoWorld {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn lock_sandbox(home: &Path) -> std::io::Result<std::fs::File> {
    let lock = std::fs::File::create(home.join(LOCK_FILE))?;
    lock.try_lock().map_err(std::io::Error::other)?;
    Ok(lock)
}

/// Deletes the sandboxes of demos that ended without cleaning up (killed, or ended by a
/// WebDriver session): those whose lock no running demo holds. Best effort: a sandbox that
/// cannot be checked or deleted is left for the system's temporary-file cleaning.
fn remove_abandoned_sandboxes(temporary: &Path) {
    let Ok(entries) = std::fs::read_dir(temporary) else {
        return;
    };
    for entry in entries.flatten() {
        let is_sandbox = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(SANDBOX_PREFIX));
        if !is_sandbox || !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        let abandoned = std::fs::File::open(entry.path().join(LOCK_FILE))
            .is_ok_and(|lock| lock.try_lock().is_ok());
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn demo_failed(message: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("the demo could not start: {message}"),
    )
}

/// A sandbox with what a developer's home often holds: Cursor with a server of its own and a
/// comment, VS Code and Claude Desktop installed with no MCP servers yet, and a Zed settings
/// file that does not parse, to show that such a file is reported and left alone.
fn seed_sandbox(home: &Path) -> std::io::Result<()> {
    let files: [(PathBuf, &str); 3] = [
        (
            home.join(".cursor/mcp.json"),
            "{\n  // My own servers stay as they are.\n  \"mcpServers\": {\n    \"filesystem\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"~/projects\"],\n    },\n  },\n}\n",
        ),
        (
            home.join(".codex/config.toml"),
            "# Codex settings\nmodel = \"gpt-5-codex\"\n",
        ),
        (
            zed_settings(home),
            "{\n  \"theme\": \"One Dark\",\n  \"buffer_font_size\": 15\n  \"vim_mode\": true\n}\n",
        ),
    ];
    for (path, contents) in files {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(path, contents)?;
    }
    for folder in [vscode_user(home), claude_desktop(home)] {
        std::fs::create_dir_all(folder)?;
    }
    Ok(())
}

fn zed_settings(home: &Path) -> PathBuf {
    match Os::current() {
        Os::Windows => home.join("AppData/Roaming/Zed/settings.json"),
        _ => home.join(".config/zed/settings.json"),
    }
}

fn vscode_user(home: &Path) -> PathBuf {
    match Os::current() {
        Os::MacOs => home.join("Library/Application Support/Code/User"),
        Os::Windows => home.join("AppData/Roaming/Code/User"),
        Os::Linux => home.join(".config/Code/User"),
    }
}

fn claude_desktop(home: &Path) -> PathBuf {
    match Os::current() {
        Os::MacOs => home.join("Library/Application Support/Claude"),
        Os::Windows => home.join("AppData/Roaming/Claude"),
        Os::Linux => home.join(".config/Claude"),
    }
}

/// Who a request's `Authorization` header says it is, as the demo reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DemoCaller {
    /// A scoped personal token or a service key: every product tool.
    Scoped { email: Option<String> },
    /// A personal token that does not look scoped: the platform and Teamwork Graph tools, its
    /// calls refused for not being a modern token.
    Classic { email: String },
    /// A scoped token of an organisation that refuses it at call time with `refusal`.
    Refused {
        email: String,
        refusal: &'static str,
    },
}

impl DemoCaller {
    fn from_authorization(value: &str) -> Option<Self> {
        if let Some(key) = value.strip_prefix("Bearer ") {
            return (!key.trim().is_empty()).then_some(Self::Scoped { email: None });
        }
        let encoded = value.strip_prefix("Basic ")?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (email, token) = decoded.split_once(':')?;
        if email.is_empty() || token.is_empty() {
            return None;
        }
        let email = email.to_owned();
        let refusal = if email.ends_with(API_TOKENS_OFF_DOMAIN) {
            Some(API_TOKENS_OFF_REFUSAL)
        } else if email.ends_with(IP_BLOCKED_DOMAIN) {
            Some(IP_REFUSAL)
        } else {
            None
        };
        Some(match (token.starts_with("ATATT"), refusal) {
            (true, Some(refusal)) => Self::Refused { email, refusal },
            (true, None) => Self::Scoped { email: Some(email) },
            (false, _) => Self::Classic { email },
        })
    }

    fn email(&self) -> Option<&str> {
        match self {
            Self::Scoped { email } => email.as_deref(),
            Self::Classic { email } | Self::Refused { email, .. } => Some(email),
        }
    }

    /// The catalogue's tools this caller sees on `surface` (OAuth-only groups never show to a
    /// token, and groups an admin must turn on are off).
    fn tools(&self, surface: DemoSurface) -> Vec<Tool> {
        let catalogue = Catalogue::known();
        let unlocked = catalogue
            .groups
            .iter()
            .filter(|group| group.auth != GroupAuth::OauthOnly && !group.off_by_default)
            .filter(|group| {
                !matches!(self, Self::Classic { .. }) || group.product.is_sign_in_only()
            })
            .flat_map(|group| {
                let sample = SAMPLE_TOOLS
                    .iter()
                    .filter(move |(id, _)| *id == group.id && group.tools.is_empty())
                    .map(|(_, name)| *name);
                group
                    .tools
                    .iter()
                    .map(String::as_str)
                    .chain(sample)
                    .map(move |name| (name, group))
            });
        let named: Vec<(&str, _)> = match surface {
            DemoSurface::V1 => unlocked
                .filter(|(name, _)| !catalogue.renamed.values().any(|new| new == name))
                .collect(),
            DemoSurface::V2All => unlocked
                .filter(|(name, _)| !catalogue.is_v1_name(name))
                .collect(),
            DemoSurface::V2Primary => unlocked
                .filter(|(name, _)| PRIMARY_TOOLS.contains(name))
                .collect(),
        };
        let meta = (surface == DemoSurface::V2Primary)
            .then_some(&catalogue.meta_tools)
            .into_iter()
            .flatten()
            .map(|name| demo_tool(name, Product::Other, Access::Read));
        named
            .into_iter()
            .map(|(name, group)| demo_tool(name, group.product, group.access))
            .chain(meta)
            .collect()
    }
}

/// Which list a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DemoSurface {
    V1,
    V2Primary,
    V2All,
}

fn demo_tool(name: &str, product: Product, access: Access) -> Tool {
    let schema: JsonObject = serde_json::from_value(json!({ "type": "object", "properties": {} }))
        .expect("a literal JSON object is a schema object");
    let description = format!(
        "{} tool of the demo server: it answers with sample data.",
        product.display_name()
    );
    Tool::new(name.to_owned(), description, Arc::new(schema))
        .annotate(ToolAnnotations::new().read_only(access.only_reads()))
}

/// The MCP side of the stand-in, for one path.
#[derive(Debug, Clone)]
struct DemoRovo {
    v1: bool,
}

impl DemoRovo {
    fn surface_of(&self, context: &RequestContext<RoleServer>) -> DemoSurface {
        if self.v1 {
            return DemoSurface::V1;
        }
        let all = context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.uri.query())
            .is_some_and(|query| query.split('&').any(|pair| pair == "tools=all"));
        if all {
            DemoSurface::V2All
        } else {
            DemoSurface::V2Primary
        }
    }
}

fn caller_of(context: &RequestContext<RoleServer>) -> Option<DemoCaller> {
    let parts = context.extensions.get::<http::request::Parts>()?;
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    DemoCaller::from_authorization(value)
}

impl ServerHandler for DemoRovo {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("atlassian-rovo-mcp-demo", "1.0.0"))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListToolsResult, ErrorData> {
        let caller =
            caller_of(&context).ok_or_else(|| ErrorData::invalid_request("no credential", None))?;
        Ok(ListToolsResult::with_all_items(
            caller.tools(self.surface_of(&context)),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> std::result::Result<rmcp::model::CallToolResponse, ErrorData> {
        let caller =
            caller_of(&context).ok_or_else(|| ErrorData::invalid_request("no credential", None))?;
        let offered = [DemoSurface::V1, DemoSurface::V2Primary, DemoSurface::V2All]
            .into_iter()
            .any(|surface| {
                caller
                    .tools(surface)
                    .iter()
                    .any(|tool| tool.name == request.name)
            });
        if !offered {
            return Err(ErrorData::method_not_found::<
                rmcp::model::CallToolRequestMethod,
            >());
        }
        match caller {
            DemoCaller::Classic { .. } => {
                return Ok(
                    CallToolResult::error(vec![ContentBlock::text(CLASSIC_TOKEN_REFUSAL)]).into(),
                );
            }
            DemoCaller::Refused { refusal, .. } => {
                // Inside an otherwise good result, without `isError`, as the real server does.
                return Ok(CallToolResult::success(vec![ContentBlock::text(refusal)]).into());
            }
            DemoCaller::Scoped { .. } => {}
        }
        let output = match request.name.as_ref() {
            "atlassianUserInfo" => json!({
                "account_id": "5b10a2844c20165700ede21g",
                "email": caller.email().unwrap_or("service-account@your-company.example"),
                "name": "Demo Person",
            }),
            "getAccessibleAtlassianResources" => json!([{
                "id": DEMO_CLOUD_ID,
                "url": DEMO_SITE_URL,
                "name": "your-company",
                "scopes": ["read:jira-work", "write:jira-work", "read:confluence-content.all"],
            }]),
            _ => Value::String(format!("{} answered with sample data", request.name)),
        };
        let mut result = CallToolResult::success(vec![ContentBlock::text(output.to_string())]);
        result.structured_content = Some(output);
        Ok(result.into())
    }
}

type DemoBody = BoxBody<Bytes, Infallible>;

/// Answers each connection: a request without a usable `Authorization` header gets the 401 the
/// real server sends; every other request goes to the MCP service.
async fn serve(listener: TcpListener) {
    let sessions = Arc::new(LocalSessionManager::default());
    let service = |v1: bool| -> DemoService {
        StreamableHttpService::new(
            move || Ok(DemoRovo { v1 }),
            Arc::clone(&sessions),
            StreamableHttpServerConfig::default(),
        )
    };
    let (v2, v1) = (service(false), service(true));
    let mut connections = JoinSet::new();
    while let Ok((stream, _peer)) = listener.accept().await {
        let (v2, v1) = (v2.clone(), v1.clone());
        let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
            let (v2, v1) = (v2.clone(), v1.clone());
            async move { Ok::<_, Infallible>(answer(&v2, &v1, request).await) }
        });
        connections.spawn(async move {
            // A client that goes away mid-request is an ordinary end here.
            let _ended = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        while connections.try_join_next().is_some() {}
    }
}

type DemoService = StreamableHttpService<DemoRovo, LocalSessionManager>;

async fn answer(
    v2: &DemoService,
    v1: &DemoService,
    request: Request<hyper::body::Incoming>,
) -> Response<DemoBody> {
    let mcp = match request.uri().path() {
        MCP_PATH => v2,
        V1_MCP_PATH => v1,
        _ => return plain(StatusCode::NOT_FOUND, "not found"),
    };
    let signed_in = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(DemoCaller::from_authorization)
        .is_some();
    if !signed_in {
        return plain(StatusCode::UNAUTHORIZED, UNAUTHORIZED_BODY);
    }
    mcp.handle(request).await
}

fn plain(status: StatusCode, body: &'static str) -> Response<DemoBody> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())).boxed());
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::auth_method::AuthMethod;
    use crate::domain::credentials::prepare_credential;
    use crate::domain::probe::{self, Endpoint, ProbeOptions, Verdict};
    use crate::domain::secrets::Secret;

    async fn check(
        world: &DemoWorld,
        method: AuthMethod,
        email: Option<&str>,
        token: &str,
    ) -> Verdict {
        report(world.endpoint(), method, email, token).await.verdict
    }

    async fn report(
        endpoint: &str,
        method: AuthMethod,
        email: Option<&str>,
        token: &str,
    ) -> probe::ProbeReport {
        let endpoint = Endpoint::parse(endpoint).expect("a loopback URL");
        let credential = prepare_credential(method, email, &Secret::new(token))
            .expect("a well-formed credential");
        let (report, _close) = probe::probe(
            &endpoint,
            &credential,
            &ProbeOptions::default(),
            &mut |_| {},
        )
        .await;
        report
    }

    #[tokio::test]
    async fn the_demo_shows_every_product_on_v2_and_v1_and_refuses_at_call_time() {
        let world = DemoWorld::start().await.expect("the demo starts");
        let v2 = report(
            world.endpoint(),
            AuthMethod::Personal,
            Some("me@example.com"),
            "ATATT3xDemo",
        )
        .await;
        assert_eq!(v2.verdict, Verdict::Ok, "{v2:#?}");
        for product in [
            Product::Jira,
            Product::Confluence,
            Product::Bitbucket,
            Product::Loom,
            Product::Goals,
            Product::Projects,
            Product::Teams,
            Product::Focus,
            Product::Talent,
            Product::TeamworkGraph,
        ] {
            assert!(
                v2.products.iter().any(|summary| summary.product == product),
                "the demo shows {product:?}"
            );
        }
        assert!(
            !v2.meta_tools.is_empty(),
            "v2's plain list has the meta-tools"
        );
        assert!(
            v2.exposure
                .as_ref()
                .is_some_and(|exposure| exposure.primary < exposure.total),
            "a client of v2 sees some tools directly: {:?}",
            v2.exposure
        );
        let v1_endpoint = world.endpoint().replace("/v2/mcp", "/v1/mcp");
        let v1 = report(
            &v1_endpoint,
            AuthMethod::Personal,
            Some("me@example.com"),
            "ATATT3xDemo",
        )
        .await;
        assert_eq!(v1.verdict, Verdict::Ok, "v1 is served too");
        assert!(v1.meta_tools.is_empty(), "v1 has no meta-tools");
        for (email, verdict) in [
            (
                "me@api-tokens-off.example",
                Verdict::Failed(ErrorKind::Forbidden),
            ),
            (
                "me@ip-blocked.example",
                Verdict::Failed(ErrorKind::ForbiddenIp),
            ),
        ] {
            assert_eq!(
                check(&world, AuthMethod::Personal, Some(email), "ATATT3xDemo").await,
                verdict,
                "{email} is refused at call time"
            );
        }
    }

    #[tokio::test]
    async fn the_demo_server_answers_each_kind_of_credential_like_the_real_one() {
        let world = DemoWorld::start().await.expect("the demo starts");
        assert_eq!(
            check(
                &world,
                AuthMethod::Personal,
                Some("me@example.com"),
                "ATATT3xDemoToken"
            )
            .await,
            Verdict::Ok,
            "a scoped personal token sees the product tools"
        );
        assert_eq!(
            check(&world, AuthMethod::Service, None, "any-service-key").await,
            Verdict::Ok,
            "a service key sees the product tools"
        );
        assert_eq!(
            check(
                &world,
                AuthMethod::Personal,
                Some("me@example.com"),
                "classic-token"
            )
            .await,
            Verdict::Limited,
            "a token that does not look scoped is a classic one: refused for not being modern"
        );
    }

    #[tokio::test]
    async fn the_sandbox_holds_clients_and_nothing_outside_it_is_used() {
        let world = DemoWorld::start().await.expect("the demo starts");
        let environment = world.environment();
        let cursor = environment.home(&[".cursor", "mcp.json"]);
        assert!(
            cursor.starts_with(world.home()) && cursor.exists(),
            "Cursor's file is in the sandbox: {}",
            cursor.display()
        );
        let policy =
            crate::domain::policy::load_policy(&environment).expect("the demo has no policy");
        assert!(
            policy.sources.is_empty(),
            "the machine's policy does not reach the demo: {:?}",
            policy.sources
        );
        let state = crate::plumbing::state::StateFile::for_environment(&environment);
        assert!(
            state.path().starts_with(world.home()),
            "our own state stays in the sandbox too: {}",
            state.path().display()
        );
        let home = world.home().to_path_buf();
        drop(world);
        assert!(!home.exists(), "the sandbox goes away with the demo");
    }

    #[test]
    fn a_sandbox_left_by_a_killed_demo_is_removed_and_a_running_one_is_kept() {
        let temporary = tempfile::tempdir().unwrap();
        let abandoned = temporary.path().join(format!("{SANDBOX_PREFIX}killed"));
        std::fs::create_dir_all(abandoned.join(".cursor")).unwrap();
        drop(lock_sandbox(&abandoned).unwrap());
        let running = temporary.path().join(format!("{SANDBOX_PREFIX}running"));
        std::fs::create_dir_all(&running).unwrap();
        let _held = lock_sandbox(&running).unwrap();
        let unrelated = temporary.path().join("someone-else");
        std::fs::create_dir_all(&unrelated).unwrap();

        remove_abandoned_sandboxes(temporary.path());
        assert!(!abandoned.exists(), "the killed demo's sandbox is deleted");
        assert!(running.exists(), "a running demo keeps its sandbox");
        assert!(unrelated.exists(), "other folders are never touched");
    }
}
