//! The bridge's side facing the remote server: one Streamable HTTP MCP session that sends the
//! credential as the `Authorization` header, opened with the AI client's own `initialize`
//! parameters, and opened again when it has ended. A service account's OAuth client sends
//! access tokens minted from it: before a token stops being fresh, the next request opens a
//! new session with a new one, and a token the server refuses is replaced once, so the AI
//! client never notices a renewal.
//!
//! The credential goes into that header and nowhere else; every text that leaves this module
//! passes through `RemoteLink::redact` first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::Client;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use rmcp::model::{
    ClientConfig, ClientNotification, ClientResult, ErrorData, GetMeta, Implementation,
    InitializeResult, ProtocolVersion, ServerNotification, ServerRequest,
};
use rmcp::service::{NotificationContext, Peer, RequestContext, RunningService, serve_client};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::common::client_side_sse::ExponentialBackoff;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, RoleServer, Service};

use super::failure::{self, LinkFailure, RequestFailure};
use super::forward::{ProgressTokens, forward_request};
use crate::ErrorKind;
use crate::domain::credentials::redact_authorization;
use crate::domain::oauth::TokenSource;
use crate::domain::probe::Endpoint;
use crate::domain::secrets::Secret;

/// How long opening a TCP connection (and TLS) to the endpoint may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// How many times a dropped event stream is reopened, and the first wait (it doubles, and is
/// at least the server's own SSE `retry` interval). Without a bound, rmcp retries forever and a
/// request pending on a dead server never ends.
const STREAM_REOPEN_ATTEMPTS: usize = 3;
const STREAM_REOPEN_FIRST_WAIT: Duration = Duration::from_millis(250);

/// The running session with the remote server.
type RemoteSession = RunningService<RoleClient, RemoteFacing>;

/// Everything needed to open a session with the remote server, and the session once open.
#[derive(Debug)]
pub(super) struct RemoteLink {
    endpoint: String,
    /// Every header value sent (and the OAuth client's secret), kept only to be redacted from
    /// any text that leaves the bridge.
    sent: Mutex<Vec<Secret>>,
    /// The HTTP client and the header to send, or why there can be none.
    connector: Result<Connector, LinkFailure>,
    /// The AI client's `initialize` parameters, reused to open the session again.
    client_parameters: Mutex<Option<ClientConfig>>,
    session: tokio::sync::Mutex<Option<OpenSession>>,
    /// Progress tokens of the AI client's requests forwarded to the remote server.
    pub to_remote_progress: Arc<ProgressTokens>,
    /// Progress tokens of the remote server's requests forwarded to the AI client.
    pub to_client_progress: Arc<ProgressTokens>,
}

#[derive(Debug)]
struct Connector {
    http: Client,
    header: HeaderSource,
}

/// Where the `Authorization` header comes from.
#[derive(Debug)]
enum HeaderSource {
    /// One value for good: a personal token or a service key.
    Fixed(HeaderValue),
    /// Access tokens minted from a service account's OAuth client, each while it is fresh.
    Minted(Arc<TokenSource>),
}

/// A session and the header it was opened with.
#[derive(Debug)]
struct OpenSession {
    running: RemoteSession,
    header: HeaderValue,
}

impl RemoteLink {
    /// A link to `endpoint` that sends `authorization`. A link that cannot work (the header
    /// value is not sendable) is still made: it fails at `initialize` so the AI client shows
    /// why.
    pub fn new(endpoint: &Endpoint, authorization: Secret) -> Self {
        let connector = Connector::new(endpoint, &authorization);
        Self::with_connector(endpoint.to_string(), vec![authorization], connector)
    }

    /// A link to `endpoint` that sends access tokens from `tokens`, renewed as they age.
    pub fn minted(endpoint: &Endpoint, tokens: TokenSource) -> Self {
        let client_secret = Secret::new(tokens.client_secret().expose());
        let connector = http_client(endpoint).map(|http| Connector {
            http,
            header: HeaderSource::Minted(Arc::new(tokens)),
        });
        Self::with_connector(endpoint.to_string(), vec![client_secret], connector)
    }

    /// A link that refuses every request with `failure`: the credential could not be read.
    pub fn unavailable(failure: LinkFailure) -> Self {
        Self::with_connector(String::new(), Vec::new(), Err(failure))
    }

    fn with_connector(
        endpoint: String,
        sent: Vec<Secret>,
        connector: Result<Connector, LinkFailure>,
    ) -> Self {
        Self {
            endpoint,
            sent: Mutex::new(sent),
            connector,
            client_parameters: Mutex::new(None),
            session: tokio::sync::Mutex::new(None),
            to_remote_progress: Arc::default(),
            to_client_progress: Arc::default(),
        }
    }

    /// Opens the session with the AI client's `initialize` parameters and returns the remote
    /// server's answer, to be given to the AI client as its own.
    pub async fn initialize(
        &self,
        parameters: ClientConfig,
        client: Peer<RoleServer>,
    ) -> Result<InitializeResult, RequestFailure> {
        *self
            .client_parameters
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(parameters.clone());
        let mut session = self.session.lock().await;
        if let Some(previous) = session.take() {
            // A second `initialize` starts over, as it would against the server directly.
            close_session(previous.running).await;
        }
        let header = self.header().await?;
        let opened = self.open(parameters, client, header.clone()).await?;
        let answer = server_answer(&opened);
        *session = Some(OpenSession {
            running: opened,
            header,
        });
        Ok(answer)
    }

    /// The peer of the open session, opening a new one if the last one has ended (the server
    /// restarted, or an expired session could not be renewed in place).
    pub async fn peer(
        &self,
        client: &Peer<RoleServer>,
    ) -> Result<Peer<RoleClient>, RequestFailure> {
        let header = self.header().await?;
        let mut session = self.session.lock().await;
        if let Some(open) = session.as_ref()
            && !open.running.peer().is_transport_closed()
            && open.header == header
        {
            return Ok(open.running.peer().clone());
        }
        let renewed = session.is_some();
        if let Some(previous) = session.take() {
            close_session(previous.running).await;
        }
        let parameters = self
            .client_parameters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .unwrap_or_else(bridge_parameters);
        let opened = self
            .open(parameters, client.clone(), header.clone())
            .await?;
        if renewed {
            eprintln!(
                "rovo-mcp-setup bridge: opened a new session with {}",
                self.endpoint
            );
        }
        let peer = opened.peer().clone();
        *session = Some(OpenSession {
            running: opened,
            header,
        });
        Ok(peer)
    }

    /// Whether the link mints its tokens, so that one the server refuses can be replaced.
    pub fn renews_tokens(&self) -> bool {
        matches!(
            self.connector,
            Ok(Connector {
                header: HeaderSource::Minted(_),
                ..
            })
        )
    }

    /// Forgets the token the server refused (expired early, or revoked and replaced): the next
    /// request opens a session with a new one.
    pub async fn discard_token(&self) {
        if let Ok(Connector {
            header: HeaderSource::Minted(tokens),
            ..
        }) = &self.connector
        {
            tokens.discard().await;
        }
    }

    /// The header value to send now: the fixed one, or a fresh access token.
    async fn header(&self) -> Result<HeaderValue, RequestFailure> {
        let connector = self
            .connector
            .as_ref()
            .map_err(|failure| RequestFailure::Link(failure.clone()))?;
        let tokens = match &connector.header {
            HeaderSource::Fixed(value) => return Ok(value.clone()),
            HeaderSource::Minted(tokens) => tokens,
        };
        let authorization = tokens.authorization().await.map_err(|error| {
            RequestFailure::Link(LinkFailure::new(
                error.kind(),
                format!(
                    "a new access token for the service account's OAuth client could not be had: {}",
                    error.message()
                ),
            ))
        })?;
        let value = sensitive_header(&authorization).map_err(RequestFailure::Link)?;
        let mut sent = self.sent.lock().unwrap_or_else(PoisonError::into_inner);
        if !sent
            .iter()
            .any(|known| known.expose() == authorization.expose())
        {
            sent.push(authorization);
        }
        Ok(value)
    }

    /// The peer of the open session, if there is one; notifications never open a session.
    pub async fn open_peer(&self) -> Option<Peer<RoleClient>> {
        let session = self.session.lock().await;
        session
            .as_ref()
            .map(|open| open.running.peer().clone())
            .filter(|peer| !peer.is_transport_closed())
    }

    /// Ends the session (rmcp sends `DELETE` with the session id).
    pub async fn close(&self) {
        if let Some(open) = self.session.lock().await.take() {
            close_session(open.running).await;
        }
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// `text` with every echo of the credential replaced, in every form the probe redacts
    /// too: a server that echoes what it was sent must not make the bridge print it.
    pub fn redact(&self, text: &str) -> String {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .fold(text.to_owned(), |text, secret| {
                redact_authorization(secret.expose(), &text)
            })
    }

    /// `failure` as the AI client and the log should see it.
    pub fn redact_failure(&self, failure: RequestFailure) -> RequestFailure {
        match failure {
            RequestFailure::Passthrough(mut error) => {
                error.message = self.redact(&error.message).into();
                RequestFailure::Passthrough(error)
            }
            RequestFailure::Link(mut failure) => {
                failure.message = self.redact(&failure.message);
                RequestFailure::Link(failure)
            }
        }
    }

    async fn open(
        &self,
        mut parameters: ClientConfig,
        client: Peer<RoleServer>,
        header: HeaderValue,
    ) -> Result<RemoteSession, RequestFailure> {
        let connector = self
            .connector
            .as_ref()
            .map_err(|failure| RequestFailure::Link(failure.clone()))?;
        // Atlassian's server speaks the `initialize` era (research §5.5); a client that asks
        // for a later revision is offered the newest one that still has the handshake.
        if !parameters.protocol_version.has_initialize() {
            parameters.protocol_version = ProtocolVersion::LATEST_WITH_INITIALIZE;
        }
        let mut config = StreamableHttpClientTransportConfig::with_uri(self.endpoint.clone())
            .custom_headers(HashMap::from([(AUTHORIZATION, header)]));
        config.retry_config = Arc::new(stream_reopen_policy());
        let transport = StreamableHttpClientTransport::with_client(connector.http.clone(), config);
        let facing = RemoteFacing {
            client,
            parameters,
            to_client_progress: Arc::clone(&self.to_client_progress),
            to_remote_progress: Arc::clone(&self.to_remote_progress),
        };
        serve_client(facing, transport).await.map_err(|error| {
            self.redact_failure(failure::initialize_failure(&self.endpoint, &error))
        })
    }
}

impl Connector {
    fn new(endpoint: &Endpoint, authorization: &Secret) -> Result<Self, LinkFailure> {
        Ok(Self {
            header: HeaderSource::Fixed(sensitive_header(authorization)?),
            http: http_client(endpoint)?,
        })
    }
}

/// `authorization` as a header value that hyper and reqwest keep out of their debug output.
fn sensitive_header(authorization: &Secret) -> Result<HeaderValue, LinkFailure> {
    let mut value = HeaderValue::from_str(authorization.expose()).map_err(|_| {
        LinkFailure::new(
            ErrorKind::InvalidInput,
            "the stored credential has characters that cannot be sent in an HTTP header; \
             store it again with `rovo-mcp-setup rotate` or open Rovo MCP Setup",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The endpoint's HTTP client ([`Endpoint::http_client`]), which never gives up waiting for an
/// answer on its own: a tool call may take minutes, and the AI client decides when to cancel.
fn http_client(endpoint: &Endpoint) -> Result<Client, LinkFailure> {
    endpoint
        .http_client(
            concat!("rovo-mcp-setup-bridge/", env!("CARGO_PKG_VERSION")),
            CONNECT_TIMEOUT,
        )
        .map_err(|error| {
            LinkFailure::new(
                ErrorKind::Tls,
                format!(
                    "the secure connection could not be prepared ({error}); check that this \
                     computer's trusted certificates are installed"
                ),
            )
        })
}

fn stream_reopen_policy() -> ExponentialBackoff {
    let mut policy = ExponentialBackoff::default();
    policy.max_times = Some(STREAM_REOPEN_ATTEMPTS);
    policy.base_duration = STREAM_REOPEN_FIRST_WAIT;
    policy
}

/// Who the bridge says it is when it must open a session before the AI client initialized.
fn bridge_parameters() -> ClientConfig {
    ClientConfig::new(
        rmcp::model::ClientCapabilities::default(),
        Implementation::new("rovo-mcp-setup-bridge", env!("CARGO_PKG_VERSION")),
    )
    .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
}

/// The remote server's `initialize` answer, as the AI client will see it.
fn server_answer(session: &RemoteSession) -> InitializeResult {
    let Some(info) = session.peer().peer_info() else {
        // rmcp stores the answer before `serve_client` returns; a missing one is still served.
        return InitializeResult::new(rmcp::model::ServerCapabilities::default())
            .with_server_info(unnamed_server())
            .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE);
    };
    let mut answer = InitializeResult::new(info.capabilities.clone())
        .with_server_info(info.server_info.clone().unwrap_or_else(unnamed_server))
        .with_protocol_version(info.protocol_version.clone());
    answer.instructions.clone_from(&info.instructions);
    answer.meta.clone_from(&info.meta);
    answer
}

fn unnamed_server() -> Implementation {
    Implementation::new("atlassian-rovo-mcp", "unknown")
}

async fn close_session(session: RemoteSession) {
    if let Err(error) = session.cancel().await {
        eprintln!("rovo-mcp-setup bridge: the remote session did not end cleanly: {error}");
    }
}

/// The MCP client that the remote server sees: it answers with the AI client's identity and
/// capabilities, and hands the server's own requests and notifications to the AI client.
#[derive(Debug)]
pub(super) struct RemoteFacing {
    client: Peer<RoleServer>,
    parameters: ClientConfig,
    to_client_progress: Arc<ProgressTokens>,
    to_remote_progress: Arc<ProgressTokens>,
}

impl Service<RoleClient> for RemoteFacing {
    async fn handle_request(
        &self,
        request: ServerRequest,
        context: RequestContext<RoleClient>,
    ) -> Result<ClientResult, ErrorData> {
        forward_request(
            &self.client,
            request,
            context.meta,
            context.ct.cancelled(),
            &self.to_client_progress,
        )
        .await
        .map_err(|error| match error {
            rmcp::service::ServiceError::McpError(error) => error,
            other => ErrorData::internal_error(
                format!("the AI client did not answer the server's request: {other}"),
                None,
            ),
        })
    }

    async fn handle_notification(
        &self,
        mut notification: ServerNotification,
        context: NotificationContext<RoleClient>,
    ) -> Result<(), ErrorData> {
        match &mut notification {
            // rmcp already turned it into the cancellation of the request it names.
            ServerNotification::CancelledNotification(_) => return Ok(()),
            ServerNotification::ProgressNotification(progress) => {
                let Some(original) = self
                    .to_remote_progress
                    .original(&progress.params.progress_token)
                else {
                    // Progress for a request whose sender asked for none.
                    return Ok(());
                };
                progress.params.progress_token = original;
            }
            _ => {}
        }
        *notification.get_meta_mut() = context.meta;
        self.client
            .send_notification(notification)
            .await
            .map_err(|error| ErrorData::internal_error(error.to_string(), None))
    }

    fn get_info(&self) -> ClientConfig {
        self.parameters.clone()
    }
}

/// Forwards a notification from the AI client to the open remote session, if any.
pub(super) async fn forward_client_notification(
    link: &RemoteLink,
    mut notification: ClientNotification,
    context: NotificationContext<RoleServer>,
) {
    match &mut notification {
        // rmcp already turned it into the cancellation of the request it names, and the
        // session's own rmcp client sent `initialized` when it opened.
        ClientNotification::CancelledNotification(_)
        | ClientNotification::InitializedNotification(_) => return,
        ClientNotification::ProgressNotification(progress) => {
            let Some(original) = link
                .to_client_progress
                .original(&progress.params.progress_token)
            else {
                return;
            };
            progress.params.progress_token = original;
        }
        _ => {}
    }
    *notification.get_meta_mut() = context.meta;
    let Some(remote) = link.open_peer().await else {
        return;
    };
    if let Err(error) = remote.send_notification(notification).await {
        eprintln!(
            "rovo-mcp-setup bridge: a notification to {} was lost: {}",
            link.endpoint(),
            link.redact(&error.to_string())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_basic_credential_is_redacted() {
        // base64("me@example.com:s3cret-token-value")
        let link = RemoteLink::new(
            &Endpoint::parse("https://mcp.example/v1/mcp").unwrap(),
            Secret::new("Basic bWVAZXhhbXBsZS5jb206czNjcmV0LXRva2VuLXZhbHVl"),
        );
        let echoed = "got Basic bWVAZXhhbXBsZS5jb206czNjcmV0LXRva2VuLXZhbHVl, \
                      i.e. bWVAZXhhbXBsZS5jb206czNjcmV0LXRva2VuLXZhbHVl, \
                      i.e. me@example.com:s3cret-token-value, token s3cret-token-value";
        let redacted = link.redact(echoed);
        for secret in [
            "bWVAZXhhbXBsZS5jb206czNjcmV0LXRva2VuLXZhbHVl",
            "s3cret-token-value",
        ] {
            assert!(
                !redacted.contains(secret),
                "no form of the credential survives: {redacted}"
            );
        }
        assert!(
            redacted.starts_with("got <redacted>"),
            "the text around it stays readable: {redacted}"
        );
    }

    #[test]
    fn a_bearer_key_is_redacted_and_short_words_are_not() {
        let link = RemoteLink::new(
            &Endpoint::parse("https://mcp.example/v1/mcp").unwrap(),
            Secret::new("Bearer ATSTTkey-0123456789"),
        );
        assert_eq!(
            link.redact("the key ATSTTkey-0123456789 was refused by Bearer auth"),
            "the key <redacted> was refused by Bearer auth",
            "the key goes, the scheme word stays"
        );
    }
}
