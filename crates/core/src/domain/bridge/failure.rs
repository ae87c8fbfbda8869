//! Why the remote server could not be used, told in plain words with the next step, for the AI
//! client (as a JSON-RPC error) and for the bridge's exit status. Errors the remote server
//! itself returns are not failures of the link: they reach the client unchanged.
//!
//! Nothing here ever holds the credential: messages are built from fixed text, the endpoint
//! and HTTP statuses, and the bridge redacts every message before it leaves
//! (`RemoteLink::redact`).

use std::error::Error as StdError;

use rmcp::ErrorData;
use rmcp::model::ErrorCode;
use rmcp::service::{ClientInitializeError, ServiceError};
use rmcp::transport::streamable_http_client::{
    AuthRequiredError, InsufficientScopeError, StreamableHttpError,
};
use serde_json::json;

use crate::plumbing::http_failure::{kind_of_status, kind_of_transport};
use crate::{Error, ErrorKind};

/// The rmcp transport error of the reqwest-backed Streamable HTTP client.
type HttpTransportError = StreamableHttpError<reqwest::Error>;

/// A failure of the link to the remote server, ready to be shown to a person.
#[derive(Debug, Clone)]
pub(super) struct LinkFailure {
    pub kind: ErrorKind,
    pub message: String,
    pub http_status: Option<u16>,
}

impl LinkFailure {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            http_status: None,
        }
    }

    fn with_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// The JSON-RPC error the AI client receives. The code is the generic internal error,
    /// since no client branches on finer codes; `data` keeps the kind and status for tools.
    pub fn to_error_data(&self) -> ErrorData {
        let mut data = json!({ "kind": self.kind });
        if let Some(status) = self.http_status {
            data["httpStatus"] = json!(status);
        }
        ErrorData::new(ErrorCode::INTERNAL_ERROR, self.message.clone(), Some(data))
    }

    pub fn into_error(self) -> Error {
        Error::new(self.kind, self.message)
    }
}

/// What a failed request to the remote server means for the client.
#[derive(Debug)]
pub(super) enum RequestFailure {
    /// Not the link's failure: the remote server's own JSON-RPC error, passed on exactly as it
    /// came, or the answer to a request the client cancelled, which nobody reads.
    Passthrough(ErrorData),
    /// The link failed before an answer came.
    Link(LinkFailure),
}

/// Classifies the failure of a request forwarded to the server at `endpoint`.
pub(super) fn request_failure(endpoint: &str, error: &ServiceError) -> RequestFailure {
    match error {
        ServiceError::McpError(error) => RequestFailure::Passthrough(error.clone()),
        ServiceError::TransportSend(error) => {
            RequestFailure::Link(transport_failure(endpoint, error.error.as_ref()))
        }
        ServiceError::TransportClosed => RequestFailure::Link(connection_lost(endpoint)),
        ServiceError::Timeout { .. } => RequestFailure::Link(timed_out(endpoint)),
        ServiceError::Cancelled { reason } => RequestFailure::Passthrough(ErrorData::new(
            ErrorCode::INTERNAL_ERROR,
            reason.clone().unwrap_or_else(|| "cancelled".to_owned()),
            None,
        )),
        other => RequestFailure::Link(LinkFailure::new(
            ErrorKind::ProtocolError,
            format!("the request to the Atlassian Rovo MCP server at {endpoint} failed: {other}"),
        )),
    }
}

/// Classifies the failure of the `initialize` handshake with the server at `endpoint`.
pub(super) fn initialize_failure(endpoint: &str, error: &ClientInitializeError) -> RequestFailure {
    match error {
        ClientInitializeError::JsonRpcError(error) => RequestFailure::Passthrough(error.clone()),
        ClientInitializeError::TransportError { error, .. } => {
            RequestFailure::Link(transport_failure(endpoint, error.error.as_ref()))
        }
        ClientInitializeError::ConnectionClosed(_) => {
            RequestFailure::Link(connection_lost(endpoint))
        }
        other => RequestFailure::Link(LinkFailure::new(
            ErrorKind::ProtocolError,
            format!(
                "the Atlassian Rovo MCP server at {endpoint} did not complete the MCP handshake: \
                 {other}; check that the endpoint is an MCP server with `rovo-mcp-setup validate`"
            ),
        )),
    }
}

/// Walks the transport error's sources for the first one that says what happened.
fn transport_failure(
    endpoint: &str,
    error: &(dyn StdError + Send + Sync + 'static),
) -> LinkFailure {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(error) = current {
        if let Some(failure) = classify_one(endpoint, error) {
            return failure;
        }
        current = error.source();
    }
    LinkFailure::new(
        ErrorKind::ProtocolError,
        format!(
            "the Atlassian Rovo MCP server at {endpoint} could not be used: {}",
            innermost_message(error)
        ),
    )
}

fn classify_one(endpoint: &str, error: &(dyn StdError + 'static)) -> Option<LinkFailure> {
    if error.downcast_ref::<AuthRequiredError>().is_some() {
        return Some(status_failure(endpoint, 401));
    }
    if error.downcast_ref::<InsufficientScopeError>().is_some() {
        return Some(status_failure(endpoint, 403));
    }
    if let Some(error) = error.downcast_ref::<reqwest::Error>() {
        return Some(http_client_failure(endpoint, error));
    }
    let error = error.downcast_ref::<HttpTransportError>()?;
    match error {
        HttpTransportError::AuthRequired(_) => Some(status_failure(endpoint, 401)),
        HttpTransportError::InsufficientScope(_) => Some(status_failure(endpoint, 403)),
        HttpTransportError::HttpStatus(status) => Some(status_failure(endpoint, status.status)),
        // rmcp reports a 401 or 403 without a challenge as text that starts with the status,
        // and may go on with the body, which tells the refusals of a 403 apart.
        HttpTransportError::UnexpectedServerResponse(text) => {
            let rest = text.strip_prefix("HTTP ")?;
            let status = rest.get(..3).and_then(|code| code.parse::<u16>().ok())?;
            Some(status_failure_with_body(
                endpoint,
                status,
                rest.get(3..).unwrap_or_default().as_bytes(),
            ))
        }
        HttpTransportError::Client(error) => Some(http_client_failure(endpoint, error)),
        HttpTransportError::SessionExpired
        | HttpTransportError::SessionRecoveryTimeout
        | HttpTransportError::ReinitializationFailed(_) => Some(LinkFailure::new(
            ErrorKind::ServerError,
            format!(
                "the session with the Atlassian Rovo MCP server at {endpoint} expired and could \
                 not be renewed; try again, and restart the AI client if it keeps happening"
            ),
        )),
        HttpTransportError::UnexpectedEndOfStream | HttpTransportError::Io(_) => {
            Some(connection_lost(endpoint))
        }
        _ => None,
    }
}

fn status_failure(endpoint: &str, status: u16) -> LinkFailure {
    status_failure_with_body(endpoint, status, &[])
}

/// The link failure for an HTTP status and the start of its body, of the kind
/// `http_failure` gives it (the probe's too).
fn status_failure_with_body(endpoint: &str, status: u16, body: &[u8]) -> LinkFailure {
    let kind = kind_of_status(status, body);
    let message = match kind {
        ErrorKind::Unauthorized => "the Atlassian API token was rejected (HTTP 401): it is wrong, \
             revoked or expired; rotate it with `rovo-mcp-setup rotate` or open Rovo MCP Setup"
            .to_owned(),
        ErrorKind::ForbiddenIp => "the Atlassian Rovo MCP server does not accept connections \
             from this network's IP address (HTTP 403); ask your Atlassian organisation admin to \
             add it to the IP allowlist, or connect through the company VPN"
            .to_owned(),
        ErrorKind::ForbiddenLegacyToken => "the Atlassian Rovo MCP server no longer accepts this \
             classic API token without scopes (HTTP 403); create a token with scopes (app: Rovo \
             MCP) and rotate to it with `rovo-mcp-setup rotate`"
            .to_owned(),
        ErrorKind::Forbidden => "the Atlassian Rovo MCP server refused access (HTTP 403): the \
             token lacks a scope, or your site admin blocks API-token sign-in or this network; \
             open Rovo MCP Setup to check the connection"
            .to_owned(),
        ErrorKind::RateLimited => format!(
            "the Atlassian Rovo MCP server at {endpoint} is limiting requests (HTTP 429); wait a \
             minute and try again"
        ),
        ErrorKind::ServerError => format!(
            "the Atlassian Rovo MCP server at {endpoint} failed (HTTP {status}); try again later, \
             and check https://status.atlassian.com if it keeps happening"
        ),
        _ => format!(
            "the endpoint {endpoint} answered HTTP {status}, not as an MCP server; check the \
             endpoint with `rovo-mcp-setup validate`"
        ),
    };
    LinkFailure::new(kind, message).with_status(status)
}

fn http_client_failure(endpoint: &str, error: &reqwest::Error) -> LinkFailure {
    match kind_of_transport(error) {
        ErrorKind::Timeout => timed_out(endpoint),
        kind @ ErrorKind::Tls => LinkFailure::new(
            kind,
            format!(
                "the secure connection to the Atlassian Rovo MCP server at {endpoint} failed ({}); \
                 if your company inspects HTTPS traffic, install its root certificate in this \
                 computer's trusted certificates",
                innermost_message(error)
            ),
        ),
        kind if error.is_connect() => LinkFailure::new(
            kind,
            format!(
                "could not reach the Atlassian Rovo MCP server at {endpoint} ({}); check the \
                 network connection or proxy, then try again",
                innermost_message(error)
            ),
        ),
        _ => connection_lost(endpoint),
    }
}

fn connection_lost(endpoint: &str) -> LinkFailure {
    LinkFailure::new(
        ErrorKind::Network,
        format!(
            "the connection to the Atlassian Rovo MCP server at {endpoint} closed before it \
             answered; try again, and check the network connection if it keeps happening"
        ),
    )
}

fn timed_out(endpoint: &str) -> LinkFailure {
    LinkFailure::new(
        ErrorKind::Timeout,
        format!(
            "the Atlassian Rovo MCP server at {endpoint} did not answer in time; check the \
             network connection or proxy, then try again"
        ),
    )
}

/// The deepest cause's text ("Connection refused (os error 111)"): the outer layers only
/// repeat the URL and the transport's name.
fn innermost_message(error: &(dyn StdError + 'static)) -> String {
    let mut innermost = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    innermost.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_the_same_kind_for_the_bridge_as_for_the_probe() {
        let endpoint = "https://mcp.atlassian.com/v2/mcp";
        for (text, kind) in [
            (
                "HTTP 403 Forbidden: You don't have permission to connect from this IP address.",
                ErrorKind::ForbiddenIp,
            ),
            ("HTTP 403 Forbidden", ErrorKind::Forbidden),
            ("HTTP 401 Unauthorized", ErrorKind::Unauthorized),
        ] {
            let error = HttpTransportError::UnexpectedServerResponse(text.into());
            let failure = transport_failure(endpoint, &error);
            assert_eq!(failure.kind, kind, "{text}");
            assert_eq!(
                failure.kind,
                crate::domain::probe::failure::from_http_status(
                    failure.http_status.unwrap(),
                    text.get(8..).unwrap_or_default().as_bytes(),
                    "mcp.atlassian.com"
                )
                .kind,
                "the probe says the same of the same reply: {text}"
            );
        }
    }
}
