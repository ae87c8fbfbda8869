//! The HTTP side of the stand-in, in front of the MCP handler: logs each request, refuses a
//! credential it does not accept the way Atlassian does (401 with a plain-text body and a
//! challenge without `resource_metadata`), injects the faults a test configured, and hands
//! everything else to the MCP service of its path.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt as _;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::tower::StreamableHttpService;
use serde_json::{Value, json};
use std::collections::HashMap;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::catalogue::{API_TOKEN_OFF_REFUSAL, CallRefusal, Grant};
use crate::faults::{HeaderEcho, Misbehaviour};
use crate::handler::StandInRovo;
use crate::log::{LoggedRequest, RequestLog};
use crate::server::{Controls, Credentials, MCP_PATH, V1_MCP_PATH};
use crate::token_endpoint::{self, IssuedTokens, OauthClients, TOKEN_PATH};

type StandInBody = BoxBody<Bytes, Infallible>;
type McpService = StreamableHttpService<StandInRovo, LocalSessionManager>;

/// The largest request body the stand-in reads; MCP requests are a few kilobytes.
const REQUEST_LIMIT: usize = 1024 * 1024;

/// Everything between the network and the MCP handlers.
pub(crate) struct Front {
    pub(crate) v2: McpService,
    pub(crate) v1: McpService,
    pub(crate) credentials: Arc<Credentials>,
    pub(crate) controls: Arc<Controls>,
    pub(crate) oauth_clients: OauthClients,
    pub(crate) issued: Arc<IssuedTokens>,
    pub(crate) misbehaviours: HashMap<String, Misbehaviour>,
    /// How many requests a `RateLimited` credential has made.
    pub(crate) rate_limited: AtomicUsize,
    pub(crate) latency: Duration,
    pub(crate) log: Arc<RequestLog>,
}

/// Serves each accepted connection in a task of its own set, so that dropping this future
/// drops every connection with it.
pub(crate) async fn serve_connections(listener: TcpListener, front: Arc<Front>) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                eprintln!("the stand-in MCP server stopped accepting: {error}");
                return;
            }
        };
        // Without it, Nagle's algorithm holds the event after the headers until the client's
        // delayed ACK (about 40 ms), which no real server adds and every timing would include.
        if let Err(error) = stream.set_nodelay(true) {
            eprintln!("the stand-in MCP server could not set TCP_NODELAY: {error}");
        }
        let front = Arc::clone(&front);
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let front = Arc::clone(&front);
            async move { Ok::<_, Infallible>(front.answer(request).await) }
        });
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

impl Front {
    /// Answers one request and logs it with its JSON-RPC method and how long it took, up to
    /// the end of the response headers (a streamed body may go on after).
    async fn answer(&self, request: Request<Incoming>) -> Response<StandInBody> {
        let started = Instant::now();
        let (parts, body) = request.into_parts();
        let http_method = parts.method.clone();
        let body = Limited::new(body, REQUEST_LIMIT)
            .collect()
            .await
            .map(http_body_util::Collected::to_bytes)
            .unwrap_or_default();
        let message = serde_json::from_slice::<Value>(&body).ok();
        let rpc_method = message
            .as_ref()
            .and_then(|message| Some(message.get("method")?.as_str()?.to_owned()));
        let response = if parts.uri.path() == TOKEN_PATH {
            self.token(&body).await
        } else {
            self.gate(Request::from_parts(parts, body), message.as_ref())
                .await
        };
        self.log.push(LoggedRequest {
            http_method,
            rpc_method,
            started,
            finished: Instant::now(),
        });
        response
    }

    /// The token endpoint's answer to `body`; a client told to hang never gets one.
    async fn token(&self, body: &Bytes) -> Response<StandInBody> {
        match token_endpoint::answer(&self.oauth_clients, &self.issued, body) {
            Some((status, content_type, body)) => reply(
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                content_type,
                body,
            ),
            None => std::future::pending().await,
        }
    }

    /// The credential check, the faults and the latency, then the MCP service of the path.
    async fn gate(
        &self,
        request: Request<Bytes>,
        message: Option<&Value>,
    ) -> Response<StandInBody> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let authorization = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if let Some(response) = self.misbehave(&authorization, message) {
            return response;
        }
        let revoked = self
            .controls
            .revoked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&authorization);
        let grant = self.credentials.grant(&authorization).filter(|_| !revoked);
        let Some(grant) = grant else {
            return unauthorized();
        };
        let is_call = message
            .and_then(|message| message.get("method"))
            .and_then(Value::as_str)
            == Some("tools/call");
        if grant == Grant::CallsRefused(CallRefusal::Http403) && is_call {
            // One report says the server refuses calls this way with API-token sign-in off.
            return reply(
                StatusCode::FORBIDDEN,
                "application/json",
                API_TOKEN_OFF_REFUSAL,
            );
        }
        let mcp = match request.uri().path() {
            MCP_PATH => &self.v2,
            V1_MCP_PATH => &self.v1,
            _ => return reply(StatusCode::NOT_FOUND, "text/plain", "Not Found"),
        };
        let (parts, body) = request.into_parts();
        mcp.handle(Request::from_parts(parts, Full::new(body)))
            .await
    }

    /// The reply of the fault configured for `authorization`, if one answers this request.
    fn misbehave(
        &self,
        authorization: &str,
        message: Option<&Value>,
    ) -> Option<Response<StandInBody>> {
        Some(match self.misbehaviours.get(authorization)? {
            Misbehaviour::Reply {
                status,
                content_type,
                body,
            } => reply(
                StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                content_type,
                body.clone(),
            ),
            Misbehaviour::RateLimited {
                retry_after_seconds,
                times,
            } => {
                if self.rate_limited.fetch_add(1, Ordering::SeqCst) >= *times {
                    return None;
                }
                let mut response = reply(
                    StatusCode::TOO_MANY_REQUESTS,
                    "text/plain",
                    "Too Many Requests",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_seconds));
                response
            }
            Misbehaviour::HangAfterHeaders => event_stream(BodyExt::boxed(StreamBody::new(
                futures_util::stream::pending::<Result<Frame<Bytes>, Infallible>>(),
            ))),
            Misbehaviour::EndlessEventStream => {
                let keep_alives = futures_util::stream::unfold(0u32, |sent| async move {
                    // Bounded so a forgotten client cannot keep it going: one minute at most.
                    if sent >= 1200 {
                        return None;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Some((Bytes::from_static(b": keep-alive\n\n"), sent + 1))
                });
                event_stream(BodyExt::boxed(StreamBody::new(
                    keep_alives.map(|bytes| Ok(Frame::data(bytes))),
                )))
            }
            Misbehaviour::JsonRpcError => json_rpc_error(message),
            Misbehaviour::Redirect { location } => {
                let mut response = reply(StatusCode::TEMPORARY_REDIRECT, "text/plain", "");
                if let Ok(location) = HeaderValue::from_str(location) {
                    response.headers_mut().insert(header::LOCATION, location);
                }
                response
            }
            Misbehaviour::EchoAuthorization { status, echo } => {
                echo_authorization(*status, *echo, authorization)
            }
        })
    }
}

fn reply(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<StandInBody> {
    let mut response = Response::new(Full::new(body.into()).boxed());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Atlassian's refusal of a missing, unknown or revoked credential: a plain-text body and a
/// challenge without `resource_metadata` (research/atlassian-mcp.md §2.3).
fn unauthorized() -> Response<StandInBody> {
    let mut response = reply(StatusCode::UNAUTHORIZED, "text/plain", "Unauthorized");
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"mcp.atlassian.com\""),
    );
    response
}

/// A gateway's refusal that lists the request's `Authorization` value, written as `echo` says.
fn echo_authorization(status: u16, echo: HeaderEcho, authorization: &str) -> Response<StandInBody> {
    reply(
        StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN),
        "text/plain; charset=utf-8",
        format!(
            "Refused by the gateway. Request headers: authorization: {}",
            echo.write(authorization)
        ),
    )
}

/// A JSON-RPC error object instead of a result, with the request's own id.
fn json_rpc_error(message: Option<&Value>) -> Response<StandInBody> {
    let id = message
        .and_then(|message| message.get("id").cloned())
        .unwrap_or(Value::Null);
    let error = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": -32603, "message": "Internal error: backend unavailable"},
    });
    reply(StatusCode::OK, "application/json", error.to_string())
}

fn event_stream(body: StandInBody) -> Response<StandInBody> {
    let mut response = Response::new(body);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    response
}
