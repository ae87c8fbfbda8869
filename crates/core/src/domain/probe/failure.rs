//! Why a probe failed, in words a person can act on: the error kind of design §4, the HTTP
//! status, the first 256 bytes of the body (never a header), a message and a hint.

use serde::Serialize;

use crate::ErrorKind;
use crate::plumbing::http_failure::{error_chain, kind_of_status, kind_of_transport};

/// How much of a reply body a failure shows.
pub const BODY_EXCERPT_BYTES: usize = 256;

/// A failed probe: what kind, the HTTP status if a reply came, the start of its body, one line
/// saying what happened and one line saying what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProbeFailure {
    pub kind: ErrorKind,
    pub http_status: Option<u16>,
    pub message: String,
    pub hint: String,
    pub body_excerpt: Option<String>,
    /// The JSON-RPC error code, when the server answered with a JSON-RPC error; it decides
    /// whether the probe tries another protocol era, and is not part of the report.
    #[serde(skip)]
    pub json_rpc_code: Option<i64>,
}

impl ProbeFailure {
    pub fn new(kind: ErrorKind, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            kind,
            http_status: None,
            message: message.into(),
            hint: hint.into(),
            body_excerpt: None,
            json_rpc_code: None,
        }
    }

    /// The failure `error` stands for, with `hint`, and the HTTP reply it came from, if any.
    pub fn from_error(error: &crate::Error, hint: impl Into<String>) -> Self {
        let mut failure = Self::new(error.kind(), error.message(), hint);
        if let Some(reply) = error.reply() {
            failure.http_status = Some(reply.status);
            failure.body_excerpt = Some(reply.excerpt.clone());
        }
        failure
    }

    /// The same failure with the HTTP status and body of the reply that caused it.
    #[must_use]
    pub fn with_reply(mut self, status: u16, body: &[u8]) -> Self {
        self.http_status = Some(status);
        self.body_excerpt = excerpt(body);
        self
    }
}

/// The first [`BODY_EXCERPT_BYTES`] of `body` as text, cut at a character boundary; `None`
/// for an empty body.
pub fn excerpt(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let mut end = body.len().min(BODY_EXCERPT_BYTES);
    // A multi-byte character cut in half at the end is dropped rather than shown as garbage.
    if end < body.len()
        && let Err(error) = std::str::from_utf8(&body[..end])
        && error.error_len().is_none()
    {
        end = error.valid_up_to();
    }
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    // Each invalid byte shows as U+FFFD, three bytes long, so a binary body can come out
    // longer than it went in: cut it back to the limit at a character boundary.
    let mut limit = text.len().min(BODY_EXCERPT_BYTES);
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    text.truncate(limit);
    Some(text)
}

/// The failure for an HTTP reply that is not a success, from its status and body (design §4;
/// the kind from `http_failure`, shared with the bridge).
pub fn from_http_status(status: u16, body: &[u8], host: &str) -> ProbeFailure {
    let failure = match kind_of_status(status, body) {
        kind @ ErrorKind::Unauthorized => ProbeFailure::new(
            kind,
            format!("{host} refused the credential (401 Unauthorized)"),
            "check the email and token: the token may be mistyped, revoked or expired; for a personal token the email must be the account's",
        ),
        kind @ ErrorKind::ForbiddenIp => ProbeFailure::new(
            kind,
            format!("{host} does not accept connections from this network's IP address"),
            "ask your Atlassian organisation admin to add this network to the IP allowlist, or connect through the company VPN",
        ),
        kind @ ErrorKind::ForbiddenLegacyToken => ProbeFailure::new(
            kind,
            "this is a classic API token without scopes, which the Rovo MCP server no longer accepts",
            "create a new token with \"Create API token with scopes\" (app: Rovo MCP) and use that",
        ),
        kind @ ErrorKind::Forbidden => ProbeFailure::new(
            kind,
            format!("{host} signed the credential in but refused access (403 Forbidden)"),
            "an organisation admin may have turned off API-token sign-in for the Rovo MCP server (Atlassian Administration → Rovo → Rovo MCP server → Authentication)",
        ),
        kind @ ErrorKind::RateLimited => ProbeFailure::new(
            kind,
            format!(
                "{host} is rate limiting this account (429 Too Many Requests), even after waiting once"
            ),
            "wait a minute and check again; other MCP clients using the same token count too",
        ),
        kind @ ErrorKind::ServerError => ProbeFailure::new(
            kind,
            format!("{host} failed with HTTP {status}"),
            "this is on the server's side: try again in a few minutes, and check status.atlassian.com",
        ),
        kind if (300..400).contains(&status) => ProbeFailure::new(
            kind,
            format!(
                "{host} answered with a redirect (HTTP {status}), which the app does not follow with a credential"
            ),
            "check the endpoint URL; if the redirect is expected, use its target as the endpoint",
        ),
        kind => ProbeFailure::new(
            kind,
            format!("{host} answered HTTP {status}, not an MCP reply"),
            "check the endpoint URL: the Rovo MCP server for API tokens is https://mcp.atlassian.com/v2/mcp",
        ),
    };
    failure.with_reply(status, body)
}

/// The failure for an HTTP request that got no reply: timeout, TLS, or network (the kind from
/// `http_failure`, shared with the bridge).
pub fn from_transport_error(error: &reqwest::Error, host: &str, step: &str) -> ProbeFailure {
    let detail = error_chain(error);
    match kind_of_transport(error) {
        ErrorKind::Timeout => timed_out(host, step),
        kind @ ErrorKind::Tls => ProbeFailure::new(
            kind,
            format!("the secure connection to {host} failed: {detail}"),
            "if your company inspects HTTPS traffic, make sure its root certificate is installed in this computer's trusted certificates; the app never turns certificate checks off",
        ),
        kind => ProbeFailure::new(
            kind,
            format!("could not reach {host} ({step}): {detail}"),
            "check the internet connection, the endpoint's host name, and the proxy settings (system proxy or HTTPS_PROXY/NO_PROXY)",
        ),
    }
}

/// The failure for a step or the whole probe running out of time.
pub fn timed_out(host: &str, step: &str) -> ProbeFailure {
    ProbeFailure::new(
        ErrorKind::Timeout,
        format!("{host} did not finish {step} in time"),
        "the server or the network is slow or stuck: try again, and check the proxy settings if it keeps happening",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_is_at_most_256_bytes_and_whole_characters() {
        let body = "é".repeat(200);
        let excerpt = excerpt(body.as_bytes()).unwrap();
        assert!(
            excerpt.len() <= BODY_EXCERPT_BYTES,
            "never more than 256 bytes"
        );
        assert!(
            excerpt.chars().all(|c| c == 'é'),
            "a character cut in half is dropped, not shown as garbage"
        );
        assert_eq!(super::excerpt(b""), None, "an empty body has no excerpt");
    }

    #[test]
    fn a_refusal_keeps_its_status_and_body_and_takes_the_shared_kind() {
        let body = "You don't have permission to connect from this IP address.";
        let failure = from_http_status(403, body.as_bytes(), "mcp.example.com");
        assert_eq!(
            failure.kind,
            kind_of_status(403, body.as_bytes()),
            "the kind the bridge gives the same reply"
        );
        assert_eq!(failure.http_status, Some(403), "the status is kept");
        assert_eq!(
            failure.body_excerpt.as_deref(),
            Some(body),
            "and the body's start"
        );
    }
}
