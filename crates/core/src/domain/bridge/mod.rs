//! The keychain bridge (`rovo-mcp-setup bridge`): a stdio MCP server that proxies everything
//! to the remote Streamable HTTP MCP server, so that stdio-only clients (Claude Desktop first)
//! need neither Node.js nor a token in a file. It replaces `mcp-remote` (research/clients.md
//! §2.0).
//!
//! Requests, results, errors, pagination cursors and notifications pass through in both
//! directions; JSON-RPC errors of the remote server reach the client unchanged. What the
//! bridge adds is what a person needs when the link itself fails: a JSON-RPC error whose
//! message says what happened and what to do next, never the credential. Only protocol goes
//! to stdout; the bridge's own lines go to stderr, which clients keep as the server's log.
//!
//! # When it connects
//!
//! The session with the remote server opens when the client's `initialize` arrives, not
//! eagerly at start. The remote `initialize` must carry the client's own protocol version,
//! capabilities and identity, which are known only then; a stdio client sends `initialize`
//! as soon as it has started the process, so waiting costs nothing; and the `initialize`
//! answer is the one place every client shows when a server fails, so a rejected token or an
//! unreachable server becomes an `initialize` error with the next step in its message. A
//! session that ends later (server restarted, session expired and not renewable in place) is
//! opened again by the next request; rmcp already renews an expired session (HTTP 404) once.

mod failure;
mod forward;
mod remote;
mod stdio;

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};

use rmcp::model::{
    ClientNotification, ClientRequest, ErrorData, Implementation, InitializeResult,
    ProtocolVersion, ServerCapabilities, ServerConfig, ServerResult,
};
use rmcp::service::{NotificationContext, RequestContext, ServerInitializeError, ServiceExt};
use rmcp::{RoleServer, Service};
use tokio::io::{AsyncRead, AsyncWrite};

use self::failure::{LinkFailure, RequestFailure};
use self::forward::forward_request;
use self::remote::{RemoteLink, forward_client_notification};
use self::stdio::BoundedStdio;
use crate::domain::oauth::TokenSource;
use crate::domain::probe::Endpoint;
use crate::domain::secrets::Secret;
use crate::{Error, ErrorKind, Result};

/// Where the bridge connects and with what.
#[derive(Debug)]
pub struct BridgeConfig {
    /// The remote MCP endpoint, checked by the endpoint rule.
    pub endpoint: Endpoint,
    pub credential: BridgeCredential,
}

/// What the bridge sends as `Authorization`.
#[derive(Debug)]
pub enum BridgeCredential {
    /// The whole header value, scheme included (`Basic …` or `Bearer …`).
    Header(Secret),
    /// Access tokens minted from a service account's OAuth client, each replaced before it
    /// stops being fresh and once when the server refuses it, without the AI client noticing.
    OauthClient(Box<TokenSource>),
}

/// Serves MCP on `input`/`output` (the process's stdin and stdout) and proxies it to the
/// remote server of `config`, until `input` closes.
///
/// Returns `Ok` when the client closed the stream. When the remote server refused the
/// `initialize` (rejected credential, unreachable server, a token endpoint that refused the
/// OAuth client), the client has already received that as a JSON-RPC error and the same
/// failure is returned, its kind giving the exit code.
/// Unparsable lines on `input` are skipped; a request the bridge cannot read is answered
/// with an "Invalid request" error, and one larger than the bridge reads (16 MiB) with an
/// error naming that limit.
pub async fn run_bridge<I, O>(config: BridgeConfig, input: I, output: O) -> Result<()>
where
    I: AsyncRead + Send + Unpin + 'static,
    O: AsyncWrite + Send + Unpin + 'static,
{
    let link = match config.credential {
        BridgeCredential::Header(authorization) => RemoteLink::new(&config.endpoint, authorization),
        BridgeCredential::OauthClient(tokens) => RemoteLink::minted(&config.endpoint, *tokens),
    };
    serve(link, input, output).await
}

/// Serves MCP on `input`/`output` for a bridge that has no credential to use (the keychain
/// is locked, nothing is stored): the client's `initialize` is answered with `reason` as a
/// JSON-RPC error, so the client shows what to do instead of a bare "server disconnected".
///
/// Returns `reason` once the client has been told, or `Ok` if `input` closed before.
pub async fn run_unavailable_bridge<I, O>(reason: Error, input: I, output: O) -> Result<()>
where
    I: AsyncRead + Send + Unpin + 'static,
    O: AsyncWrite + Send + Unpin + 'static,
{
    let failure = LinkFailure::new(reason.kind(), reason.message());
    serve(RemoteLink::unavailable(failure), input, output).await
}

async fn serve<I, O>(link: RemoteLink, input: I, output: O) -> Result<()>
where
    I: AsyncRead + Send + Unpin + 'static,
    O: AsyncWrite + Send + Unpin + 'static,
{
    let link = Arc::new(link);
    let initialize_failure = Arc::new(Mutex::new(None));
    let bridge = ClientFacing {
        link: Arc::clone(&link),
        remote_answer: Mutex::new(None),
        initialize_failure: Arc::clone(&initialize_failure),
    };
    // Boxed: rmcp's handshake future is large, and every caller's future would hold it.
    let not_started = match Box::pin(bridge.serve(BoundedStdio::new(input, output))).await {
        Ok(running) => {
            let ended = running.waiting().await;
            link.close().await;
            return ended.map(|_reason| ()).map_err(|error| {
                Error::new(
                    ErrorKind::Internal,
                    format!("the bridge stopped unexpectedly: {error}"),
                )
            });
        }
        Err(error) => error,
    };
    let error = match not_started {
        // The client went away before it initialized: nothing to report.
        ServerInitializeError::ConnectionClosed(_) | ServerInitializeError::Cancelled => {
            return Ok(());
        }
        // The link's own failure keeps its kind (a rejected token exits as unauthorized).
        ServerInitializeError::InitializeFailed(error) => initialize_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .map_or_else(
                || Error::new(ErrorKind::ProtocolError, error.message.into_owned()),
                LinkFailure::into_error,
            ),
        other => {
            let error = Error::new(
                ErrorKind::ProtocolError,
                format!("the AI client did not start the MCP session with `initialize`: {other}"),
            );
            eprintln!("rovo-mcp-setup bridge: {}", link.redact(error.message()));
            error
        }
    };
    Err(Error::new(error.kind(), link.redact(error.message())))
}

/// The MCP server that the AI client sees: it answers `initialize` with the remote server's
/// answer and forwards every later request to the remote session.
#[derive(Debug)]
struct ClientFacing {
    link: Arc<RemoteLink>,
    /// The remote server's `initialize` answer, once there is one.
    remote_answer: Mutex<Option<InitializeResult>>,
    /// Why the remote `initialize` failed, with its kind for the exit code.
    initialize_failure: Arc<Mutex<Option<LinkFailure>>>,
}

impl ClientFacing {
    fn remote_answer(&self) -> Option<InitializeResult> {
        self.remote_answer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// `failure` as the client's JSON-RPC error, logged to stderr when it is the link's own.
fn report(failure: RequestFailure) -> ErrorData {
    match failure {
        RequestFailure::Passthrough(error) => error,
        RequestFailure::Link(failure) => {
            eprintln!("rovo-mcp-setup bridge: {}", failure.message);
            failure.to_error_data()
        }
    }
}

impl ClientFacing {
    /// Sends `request` through the remote session, opening or renewing it first as needed.
    async fn forward(
        &self,
        request: ClientRequest,
        context: &RequestContext<RoleServer>,
    ) -> std::result::Result<ServerResult, RequestFailure> {
        let remote = self.link.peer(&context.peer).await?;
        forward_request(
            &remote,
            request,
            context.meta.clone(),
            context.ct.cancelled(),
            &self.link.to_remote_progress,
        )
        .await
        .map_err(|error| failure::request_failure(self.link.endpoint(), &error))
    }
}

impl Service<RoleServer> for ClientFacing {
    async fn handle_request(
        &self,
        request: ClientRequest,
        context: RequestContext<RoleServer>,
    ) -> Result<ServerResult, ErrorData> {
        if let ClientRequest::InitializeRequest(initialize) = request {
            return match self.link.initialize(initialize.params, context.peer).await {
                Ok(answer) => {
                    *self
                        .remote_answer
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(answer.clone());
                    Ok(ServerResult::InitializeResult(answer))
                }
                Err(failure) => {
                    if let RequestFailure::Link(link_failure) = &failure {
                        *self
                            .initialize_failure
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner) = Some(link_failure.clone());
                    }
                    Err(report(failure))
                }
            };
        }
        let mut attempt = self.forward(request.clone(), &context).await;
        if let Err(RequestFailure::Link(failure)) = &attempt
            && failure.kind == ErrorKind::Unauthorized
            && self.link.renews_tokens()
        {
            // The server stopped taking the access token before its time (revoked, or a clock
            // ahead of ours): one new token, one more try.
            self.link.discard_token().await;
            attempt = self.forward(request, &context).await;
        }
        let mut result = attempt.map_err(|failure| report(self.link.redact_failure(failure)))?;
        // The client speaks an `initialize`-era revision: results carry no `resultType`.
        result.strip_result_type_for_legacy_peer();
        Ok(result)
    }

    async fn handle_notification(
        &self,
        notification: ClientNotification,
        context: NotificationContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        forward_client_notification(&self.link, notification, context).await;
        Ok(())
    }

    fn get_info(&self) -> ServerConfig {
        self.remote_answer().unwrap_or_else(|| {
            ServerConfig::new(ServerCapabilities::default()).with_server_info(Implementation::new(
                "rovo-mcp-setup-bridge",
                env!("CARGO_PKG_VERSION"),
            ))
        })
    }

    /// Before `initialize`: every revision that has the handshake, so a client on a later
    /// revision falls back to it. After: only the version the remote server agreed to, so
    /// rmcp cannot promise the client a version the remote session does not speak.
    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        match self.remote_answer() {
            Some(answer) => Cow::Owned(vec![answer.protocol_version]),
            None => Cow::Borrowed(ProtocolVersion::known_up_to(
                &ProtocolVersion::LATEST_WITH_INITIALIZE,
            )),
        }
    }
}
