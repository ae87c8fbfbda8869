//! The one error type of the core, with the stable kinds that the UI and scripts branch on.

use serde::{Deserialize, Serialize};

/// What went wrong, as a closed set the UI switches on and the command line maps to exit codes
/// (design §4). A variant is added only together with the screen or exit code that handles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Something the person typed or passed cannot be used as it is.
    InvalidInput,
    /// The OS keychain is locked, missing, or refused access.
    KeychainUnavailable,
    // The message of both config kinds names the path (and line); the file is left untouched.
    /// A client's config file does not parse, or has the wrong shape or a duplicate key.
    ConfigInvalid,
    /// A client's config file could not be read, backed up, written or read back.
    ConfigWriteFailed,
    /// Our own state file is corrupt or from a newer release; it is kept as it is.
    StateUnreadable,
    /// A fault of this program; the message says what it was doing.
    Internal,
    /// The server refused the credential (HTTP 401): wrong email or token, revoked or expired.
    Unauthorized,
    /// HTTP 403 with Atlassian's IP-allowlist message: this network is not allowed in.
    ForbiddenIp,
    /// HTTP 403 "requires a modern API token": a classic token without scopes.
    ForbiddenLegacyToken,
    /// Any other HTTP 403, for example an admin who turned API-token sign-in off.
    Forbidden,
    /// The server could not be reached: name lookup, connection, or proxy.
    Network,
    /// The TLS handshake failed, usually a certificate this computer does not trust.
    Tls,
    /// A step or the whole check took longer than its deadline.
    Timeout,
    /// HTTP 429 again after waiting once as the server asked.
    RateLimited,
    /// HTTP 5xx: the server failed.
    ServerError,
    /// The endpoint answered, but not as an MCP server (an HTML page, a redirect, another API).
    NotMcp,
    /// The server speaks MCP but broke the protocol: malformed JSON-RPC, an error result,
    /// an unsupported protocol version.
    ProtocolError,
    /// The token endpoint refused a service account's OAuth client: an unknown client ID, a
    /// wrong secret, or a revoked credential (Atlassian tells these apart for no one).
    OauthClientRejected,
    /// The token endpoint does not let this client use the client-credentials grant: it is not
    /// a service account's OAuth 2.0 credential.
    OauthGrantRefused,
    /// The token endpoint refused for scopes: the credential has none the server grants.
    OauthScopeMissing,
    /// The token endpoint answered, but not with an access token: a web page, JSON without a
    /// token, or a token without its lifetime.
    TokenEndpointInvalid,
}

impl ErrorKind {
    /// The process exit code for this kind (design §4 and §7).
    pub fn exit_code(self) -> u8 {
        match self {
            Self::KeychainUnavailable | Self::StateUnreadable | Self::Internal => 1,
            Self::InvalidInput => 2,
            Self::Unauthorized | Self::OauthClientRejected => 3,
            Self::ForbiddenIp
            | Self::ForbiddenLegacyToken
            | Self::Forbidden
            | Self::OauthGrantRefused => 4,
            Self::OauthScopeMissing => 5,
            Self::Network | Self::Tls | Self::Timeout => 6,
            Self::RateLimited
            | Self::ServerError
            | Self::NotMcp
            | Self::ProtocolError
            | Self::TokenEndpointInvalid => 7,
            // Design §7: a client that could not be written is exit 8, whatever the reason.
            Self::ConfigInvalid | Self::ConfigWriteFailed => 8,
        }
    }
}

/// An error with a kind and a message that names what was involved and what to do next.
///
/// Messages never contain a secret: callers build them from names, paths and URLs only.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    /// The HTTP reply the error comes from, when a server gave one.
    reply: Option<HttpReply>,
}

/// The status and the start of the body of an HTTP reply that an error comes from, the body
/// already cleaned of anything secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub excerpt: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            reply: None,
        }
    }

    /// This error, with the HTTP reply it comes from.
    #[must_use]
    pub fn with_reply(mut self, status: u16, excerpt: impl Into<String>) -> Self {
        self.reply = Some(HttpReply {
            status,
            excerpt: excerpt.into(),
        });
        self
    }

    /// The HTTP reply the error comes from, when a server gave one.
    pub fn reply(&self) -> Option<&HttpReply> {
        self.reply.as_ref()
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
