//! The stand-in server itself: how to build one, start it on a loopback port, and change or
//! watch it while it runs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use rmcp::RoleServer;
use rmcp::model::ProtocolVersion;
use rmcp::service::{Peer, ServiceError};
use rmcp::transport::StreamableHttpServerConfig;
use rmcp::transport::streamable_http_server::session::SessionManager;
use rmcp::transport::streamable_http_server::session::local::{
    LocalSessionManager, LocalSessionManagerError,
};
use rmcp::transport::streamable_http_server::tower::StreamableHttpService;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::catalogue::Grant;
use crate::faults::Misbehaviour;
use crate::front::{Front, serve_connections};
use crate::handler::StandInRovo;
use crate::log::RequestLog;
use crate::token_endpoint::{IssuedTokens, OauthClient, OauthClients, TOKEN_PATH, TokenAnswer};

/// The path the real endpoint recommends for every client (v2).
pub const MCP_PATH: &str = "/v2/mcp";
/// The v1 path, still served: a flat list of every tool under the v1 names, and `?tools=all`
/// ignored.
pub const V1_MCP_PATH: &str = "/v1/mcp";

/// The one resource the server offers after [`StandInServer::offer_resources_and_prompts`].
pub const STAND_IN_RESOURCE_URI: &str = "atlassian://stand-in/readme";
/// The one prompt the server offers after [`StandInServer::offer_resources_and_prompts`].
pub const STAND_IN_PROMPT: &str = "summarize-issue";

/// The account `atlassianUserInfo` returns.
pub const ACCOUNT_EMAIL: &str = "stand-in@example.com";
/// The one site `getAccessibleAtlassianResources` returns.
pub const SITE_CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
pub const SITE_URL: &str = "https://stand-in.atlassian.net";

/// Who `atlassianUserInfo` says the caller is and which site `getAccessibleAtlassianResources`
/// names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub person: &'static str,
    /// The account's email; see `email_from_basic`.
    pub email: &'static str,
    /// Answers with the email of a `Basic` credential, as the real server does, instead of
    /// `email`, which then stays the answer to a service key.
    pub email_from_basic: bool,
    pub site_name: &'static str,
    pub site_url: &'static str,
    pub cloud_id: &'static str,
}

impl Identity {
    /// The tests' account and site, whatever the credential says.
    pub const STAND_IN: Self = Self {
        person: "Stand-in Person",
        email: ACCOUNT_EMAIL,
        email_from_basic: false,
        site_name: "stand-in",
        site_url: SITE_URL,
        cloud_id: SITE_CLOUD_ID,
    };

    /// The email `atlassianUserInfo` answers to a request with `authorization`.
    pub(crate) fn email_of(&self, authorization: &str) -> String {
        self.email_from_basic
            .then(|| basic_email(authorization))
            .flatten()
            .unwrap_or_else(|| self.email.to_owned())
    }
}

/// The email of a `Basic base64(email:token)` value.
fn basic_email(authorization: &str) -> Option<String> {
    let encoded = authorization.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let (email, _token) = String::from_utf8(decoded)
        .ok()?
        .split_once(':')
        .map(|(email, token)| (email.to_owned(), token.to_owned()))?;
    Some(email)
}

/// Which `Authorization` values the server accepts, and with what: exact values a test
/// granted, the access tokens its token endpoint issued until they expire, then a rule for any
/// other value (the demo's: any well-formed credential).
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials {
    exact: HashMap<String, Grant>,
    issued: Arc<IssuedTokens>,
    rule: Option<fn(&str) -> Option<Grant>>,
}

impl Credentials {
    pub(crate) fn grant(&self, authorization: &str) -> Option<Grant> {
        self.exact
            .get(authorization)
            .copied()
            .or_else(|| self.issued.grant(authorization))
            .or_else(|| self.rule.and_then(|rule| rule(authorization)))
    }
}

/// How to build a stand-in server; [`StandInServer::builder`] starts one.
#[derive(Debug, Clone)]
pub struct StandInServerBuilder {
    credentials: Credentials,
    identity: Identity,
    oauth_clients: OauthClients,
    misbehaviours: HashMap<String, Misbehaviour>,
    page_size: Option<usize>,
    json_replies: bool,
    latency: Duration,
    newest_protocol: ProtocolVersion,
    stateless_only: bool,
    extra_tools: usize,
    endless_tool_pages: bool,
}

impl Default for StandInServerBuilder {
    fn default() -> Self {
        Self {
            credentials: Credentials::default(),
            identity: Identity::STAND_IN,
            oauth_clients: OauthClients::default(),
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

impl StandInServerBuilder {
    /// Accepts the exact `Authorization` value `authorization` with what `grant` unlocks.
    #[must_use]
    pub fn grant(mut self, authorization: impl Into<String>, grant: Grant) -> Self {
        self.credentials.exact.insert(authorization.into(), grant);
        self
    }

    /// Accepts any other `Authorization` value for which `rule` names a grant.
    #[must_use]
    pub fn grant_by_rule(mut self, rule: fn(&str) -> Option<Grant>) -> Self {
        self.credentials.rule = Some(rule);
        self
    }

    /// Registers a service account's OAuth client at the token endpoint: `client_id` with
    /// `secret`, answered as `answer` says; any other ID or secret is refused with 401.
    #[must_use]
    pub fn oauth_client(
        mut self,
        client_id: impl Into<String>,
        secret: impl Into<String>,
        answer: TokenAnswer,
    ) -> Self {
        self.oauth_clients.registered.insert(
            client_id.into(),
            OauthClient {
                secret: secret.into(),
                answer,
            },
        );
        self
    }

    /// Answers any client that is not registered and for which `rule` (given the client ID
    /// and secret) names an answer; the others are refused with 401.
    #[must_use]
    pub fn oauth_client_rule(mut self, rule: fn(&str, &str) -> Option<TokenAnswer>) -> Self {
        self.oauth_clients.rule = Some(rule);
        self
    }

    /// Answers `atlassianUserInfo` and `getAccessibleAtlassianResources` as `identity`.
    #[must_use]
    pub fn identity(mut self, identity: Identity) -> Self {
        self.identity = identity;
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
    ///
    /// # Errors
    /// When no loopback port can be bound.
    pub async fn start(self) -> std::io::Result<StandInServer> {
        let issued = Arc::clone(&self.credentials.issued);
        let credentials = Arc::new(self.credentials);
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
        let surface = StandInRovo {
            credentials: Arc::clone(&credentials),
            identity: self.identity,
            controls: Arc::clone(&controls),
            newest_protocol: self.newest_protocol,
            stateless_only: self.stateless_only,
            v1: false,
            extra_tools: self.extra_tools,
            endless_tool_pages: self.endless_tool_pages,
        };
        let service = |v1: bool| {
            let handler = StandInRovo {
                v1,
                ..surface.clone()
            };
            StreamableHttpService::new(
                move || Ok(handler.clone()),
                Arc::clone(&sessions),
                config.clone(),
            )
        };
        let log = Arc::new(RequestLog::default());
        let front = Arc::new(Front {
            v2: service(false),
            v1: service(true),
            credentials,
            controls: Arc::clone(&controls),
            oauth_clients: self.oauth_clients,
            issued: Arc::clone(&issued),
            misbehaviours: self.misbehaviours,
            rate_limited: AtomicUsize::new(0),
            latency: self.latency,
            log: Arc::clone(&log),
        });
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let task = tokio::spawn(serve_connections(listener, front));
        Ok(StandInServer {
            url: format!("http://{address}{MCP_PATH}"),
            v1_url: format!("http://{address}{V1_MCP_PATH}"),
            token_url: format!("http://{address}{TOKEN_PATH}"),
            issued,
            log,
            task,
            controls,
            sessions,
        })
    }
}

/// A running stand-in server; it stops when dropped.
#[derive(Debug)]
pub struct StandInServer {
    url: String,
    v1_url: String,
    token_url: String,
    issued: Arc<IssuedTokens>,
    log: Arc<RequestLog>,
    /// Accepts connections and owns every open one: aborting it drops them all.
    task: JoinHandle<()>,
    controls: Arc<Controls>,
    sessions: Arc<LocalSessionManager>,
}

impl StandInServer {
    /// Starts a server on a free loopback port that accepts exactly the `Authorization` header
    /// values in `grants`, each with what it unlocks.
    ///
    /// # Errors
    /// When no loopback port can be bound.
    pub async fn start(grants: impl IntoIterator<Item = (String, Grant)>) -> std::io::Result<Self> {
        grants
            .into_iter()
            .fold(Self::builder(), |builder, (authorization, grant)| {
                builder.grant(authorization, grant)
            })
            .start()
            .await
    }

    /// A server to configure before starting.
    pub fn builder() -> StandInServerBuilder {
        StandInServerBuilder::default()
    }

    /// The endpoint URL, `http://127.0.0.1:<port>/v2/mcp`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The v1 endpoint URL, `http://127.0.0.1:<port>/v1/mcp`.
    pub fn v1_url(&self) -> &str {
        &self.v1_url
    }

    /// The token endpoint's URL, `http://127.0.0.1:<port>/oauth/token`.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// How many access tokens the token endpoint has issued.
    pub fn access_tokens_issued(&self) -> u64 {
        self.issued.issued()
    }

    /// Expires every access token issued so far, as their hour running out would: the MCP
    /// paths refuse them with 401 from now on, mid-session too.
    pub fn expire_access_tokens(&self) {
        self.issued.expire_all();
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
    ///
    /// # Errors
    /// When a session's peer cannot be sent to.
    pub async fn notify_tool_list_changed(&self) -> Result<(), ServiceError> {
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
    ///
    /// # Errors
    /// When a session cannot be closed.
    pub async fn expire_sessions(&self) -> Result<usize, LocalSessionManagerError> {
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

impl Drop for StandInServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a test can change or watch in a running server.
#[derive(Debug, Default)]
pub(crate) struct Controls {
    pub(crate) hold_tool_calls: AtomicBool,
    pub(crate) tool_call_held: Notify,
    pub(crate) tool_call_cancelled: Notify,
    /// Zero lists every tool in one page.
    pub(crate) tools_page_size: AtomicUsize,
    pub(crate) offer_resources_and_prompts: AtomicBool,
    pub(crate) ask_client_for_roots: AtomicBool,
    /// The initialized sessions, for notifications the server sends on its own.
    pub(crate) peers: Mutex<Vec<Peer<RoleServer>>>,
    /// Granted `Authorization` values refused from now on, as a revoked token is.
    pub(crate) revoked: Mutex<Vec<String>>,
}
