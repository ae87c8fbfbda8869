//! A service account's OAuth 2.0 client credentials: the client ID and secret exchanged at
//! Atlassian's token endpoint for an access token of about an hour, which the MCP server takes
//! as `Authorization: Bearer …`.
//!
//! What the exchange relies on (research/oauth-client-credentials.md, read 2026-12-04):
//! `POST https://auth.atlassian.com/oauth/token` with `grant_type=client_credentials`,
//! `client_id` and `client_secret` (JSON or form; no `audience`, no `scope`: the scopes are
//! chosen when the credential is created), answered with `{access_token, token_type: "Bearer",
//! expires_in: 3600, scope}` and no refresh token (support.atlassian.com "Create an OAuth 2.0
//! credential for service accounts"; folio-sec/terraform-provider-atlassian, measured
//! 2026-09-15). A wrong ID or secret is 401 `{"error":"access_denied"}`; `unauthorized_client`
//! and `invalid_scope` follow the OAuth 2.0 spec (RFC 6749 §5.2) and are not documented by
//! Atlassian.

use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;

use crate::domain::probe::Endpoint;
use crate::domain::secrets::{Secret, redact_echoes};
use crate::plumbing::http_failure::{error_chain, kind_of_transport};
use crate::{Error, ErrorKind, Result};

/// Atlassian's token endpoint for service accounts' client credentials.
pub const DEFAULT_TOKEN_URL: &str = "https://auth.atlassian.com/oauth/token";
/// Replaces the token endpoint, as `--token-url` does (tests, proxies).
pub const TOKEN_URL_ENV: &str = "ROVO_MCP_TOKEN_URL";
/// A token is renewed this long before it expires, so that no request leaves with one about to
/// lapse on the way.
const RENEW_BEFORE: Duration = Duration::from_secs(60);
/// How long one exchange may take, connection included.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest client ID accepted: Atlassian's are 32 characters.
const LONGEST_CLIENT_ID: usize = 128;
/// The most of a reply body an error keeps.
const EXCERPT_BYTES: usize = 256;

/// A service account's OAuth client: its ID and its secret.
pub struct ClientCredentials {
    client_id: String,
    secret: Secret,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// The client ID and secret as pasted, with spaces and line breaks around them taken off.
    ///
    /// # Errors
    /// `invalid_input` naming the field: an empty ID or secret, either with a space or line
    /// break inside, an ID far longer than Atlassian's, or the secret pasted as the ID too.
    pub fn new(client_id: &str, secret: &Secret) -> Result<Self> {
        let client_id = client_id.trim();
        let secret_text = secret.expose().trim();
        if client_id.is_empty() {
            return Err(invalid(
                "the client ID is empty: copy it from the service account's OAuth 2.0 credential in admin.atlassian.com",
            ));
        }
        if secret_text.is_empty() {
            return Err(invalid(
                "the client secret is empty: paste the secret shown when the credential was created",
            ));
        }
        if client_id == secret_text {
            return Err(invalid(
                "the client ID and the client secret are the same text: the secret was pasted into the client ID field too; paste the client ID there",
            ));
        }
        if client_id.chars().any(char::is_whitespace) {
            return Err(invalid(
                "the client ID has a space or line break inside it: paste the client ID alone",
            ));
        }
        if client_id.len() > LONGEST_CLIENT_ID {
            return Err(invalid(format!(
                "the client ID is {} characters long, far longer than Atlassian's (32): was the secret pasted into the client ID field?",
                client_id.len()
            )));
        }
        if secret_text.chars().any(char::is_whitespace) {
            return Err(invalid(
                "the client secret has a space or line break inside it: paste the secret alone",
            ));
        }
        Ok(Self {
            client_id: client_id.to_owned(),
            secret: Secret::new(secret_text),
        })
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

/// An access token and when to renew it.
#[derive(Debug)]
pub struct AccessToken {
    /// `Bearer <token>`.
    authorization: Secret,
    /// Measured on the monotonic clock, which a change of the wall clock does not move.
    renew_at: Instant,
    /// The same moment on the wall clock, which keeps running while the computer sleeps (the
    /// monotonic clock may not): a token is fresh only while both say so.
    renew_at_wall: SystemTime,
    lifetime: Duration,
}

impl AccessToken {
    /// The header value to send, `Bearer <token>`.
    pub fn authorization(&self) -> &Secret {
        &self.authorization
    }

    /// How long the token endpoint said the token lasts.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Whether the token can still be sent: it is not within a minute of expiring by either
    /// clock, so a clock that jumps, or a computer that slept, renews it rather than sends an
    /// expired one.
    pub fn is_fresh(&self) -> bool {
        Instant::now() < self.renew_at && SystemTime::now() < self.renew_at_wall
    }

    /// A token that lasts `lifetime` from now; one shorter than two minutes is renewed halfway.
    fn lasting(authorization: Secret, lifetime: Duration) -> Self {
        let usable = lifetime.saturating_sub(RENEW_BEFORE.min(lifetime / 2));
        Self {
            authorization,
            renew_at: Instant::now() + usable,
            renew_at_wall: SystemTime::now() + usable,
            lifetime,
        }
    }
}

/// The token endpoint to use: `--token-url`, else [`TOKEN_URL_ENV`], else Atlassian's; under
/// the same rule as the MCP endpoint (https, or plain http to this computer only).
///
/// # Errors
/// `invalid_input` when the URL breaks that rule.
pub fn token_endpoint(flag: Option<&str>, environment: Option<&str>) -> Result<Endpoint> {
    let chosen = flag
        .or(environment.filter(|value| !value.trim().is_empty()))
        .unwrap_or(DEFAULT_TOKEN_URL);
    Endpoint::parse(chosen).map_err(|error| {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "the token endpoint {chosen} cannot be used: {}",
                error.message()
            ),
        )
    })
}

/// The token endpoint's answer to a good exchange.
#[derive(Deserialize)]
struct TokenReply {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<serde_json::Value>,
}

/// The token endpoint's answer to a refused one (RFC 6749 §5.2).
#[derive(Deserialize)]
struct RefusalReply {
    error: Option<String>,
}

/// Exchanges `credentials` at `endpoint` for an access token.
///
/// # Errors
/// `oauth_client_rejected` for an unknown client, a wrong secret or a revoked credential;
/// `oauth_grant_refused` when the client may not use client credentials; `oauth_scope_missing`
/// when the credential has no scope the server grants; `token_endpoint_invalid` for a reply that
/// is not a token (a web page, JSON without a token or without its lifetime); `rate_limited`,
/// `server_error`; `network`, `tls` or `timeout` when no reply came. Each message names the
/// endpoint and keeps the HTTP status and the start of the body, never the secret or a token.
pub async fn exchange(endpoint: &Endpoint, credentials: &ClientCredentials) -> Result<AccessToken> {
    exchange_within(endpoint, credentials, EXCHANGE_TIMEOUT).await
}

/// [`exchange`], given up after `timeout` (connection, reply and body together).
///
/// # Errors
/// As [`exchange`]; `timeout` when the whole exchange took longer.
pub async fn exchange_within(
    endpoint: &Endpoint,
    credentials: &ClientCredentials,
    timeout: Duration,
) -> Result<AccessToken> {
    let url = endpoint.url().as_str();
    tokio::time::timeout(timeout, exchange_once(endpoint, credentials, timeout))
        .await
        .unwrap_or_else(|_elapsed| {
            Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "the token endpoint {url} did not answer within {} s",
                    timeout.as_secs_f64()
                ),
            ))
        })
}

async fn exchange_once(
    endpoint: &Endpoint,
    credentials: &ClientCredentials,
    timeout: Duration,
) -> Result<AccessToken> {
    let client = endpoint
        .http_client(
            concat!("rovo-mcp-setup/", env!("CARGO_PKG_VERSION")),
            timeout,
        )
        .map_err(|error| {
            Error::new(
                ErrorKind::Tls,
                format!("the secure connection could not be prepared: {error}"),
            )
        })?;
    let body = serde_json::json!({
        "grant_type": "client_credentials",
        "client_id": credentials.client_id,
        "client_secret": credentials.secret.expose(),
    });
    let url = endpoint.url().as_str();
    let sent = client
        .post(endpoint.url().clone())
        .timeout(timeout)
        .header(reqwest::header::ACCEPT, "application/json")
        .json(&body)
        .send()
        .await;
    let reply = sent.map_err(|error| {
        Error::new(
            kind_of_transport(&error),
            format!(
                "the token endpoint {url} could not be reached: {}",
                error_chain(&error)
            ),
        )
    })?;
    let status = reply.status().as_u16();
    let bytes = reply.bytes().await.map_err(|error| {
        Error::new(
            kind_of_transport(&error),
            format!(
                "the token endpoint {url} stopped answering: {}",
                error_chain(&error)
            ),
        )
    })?;
    let excerpt = || excerpt(&bytes, credentials);
    if !(200..300).contains(&status) {
        let code = serde_json::from_slice::<RefusalReply>(&bytes)
            .ok()
            .and_then(|reply| reply.error);
        return Err(Error::new(
            refusal_kind(status, code.as_deref()),
            format!(
                "the token endpoint {url} refused the client ID and secret (HTTP {status}): {}",
                excerpt()
            ),
        )
        .with_reply(status, excerpt()));
    }
    let not_a_token = |what: &str| {
        Error::new(
            ErrorKind::TokenEndpointInvalid,
            format!(
                "the token endpoint {url} answered HTTP {status} with {what}, not an access token: {}",
                excerpt()
            ),
        )
        .with_reply(status, excerpt())
    };
    let reply: TokenReply =
        serde_json::from_slice(&bytes).map_err(|_| not_a_token("something that is not JSON"))?;
    let token = reply
        .access_token
        .filter(|token| !token.trim().is_empty() && !token.contains(char::is_whitespace))
        .ok_or_else(|| not_a_token("JSON without an `access_token`"))?;
    if reply
        .token_type
        .as_deref()
        .is_some_and(|kind| !kind.eq_ignore_ascii_case("bearer"))
    {
        return Err(not_a_token("a token that is not a bearer token"));
    }
    let lifetime = reply
        .expires_in
        .as_ref()
        .and_then(|value| value.as_u64().or_else(|| value.as_str()?.parse().ok()))
        .filter(|seconds| *seconds > 0)
        .map(Duration::from_secs)
        .ok_or_else(|| not_a_token("a token without `expires_in`, so its end is unknown"))?;
    Ok(AccessToken::lasting(
        Secret::new(format!("Bearer {token}")),
        lifetime,
    ))
}

/// The kind of a refused exchange, from the status and the OAuth error code.
fn refusal_kind(status: u16, code: Option<&str>) -> ErrorKind {
    match (status, code) {
        (_, Some("unauthorized_client" | "unsupported_grant_type")) => ErrorKind::OauthGrantRefused,
        (_, Some("invalid_scope")) => ErrorKind::OauthScopeMissing,
        (401 | 403, _) | (400, Some("invalid_client" | "access_denied")) => {
            ErrorKind::OauthClientRejected
        }
        (429, _) => ErrorKind::RateLimited,
        (500..=599, _) => ErrorKind::ServerError,
        _ => ErrorKind::TokenEndpointInvalid,
    }
}

/// The start of a reply body for a message, with the secret, the client ID (which may be the
/// secret, pasted into the wrong field) and any access token in it taken out.
fn excerpt(bytes: &[u8], credentials: &ClientCredentials) -> String {
    // Scrubbed whole, before it is cut: a token cut in two is no longer found as a JSON value.
    let text = scrub_access_token(&String::from_utf8_lossy(bytes));
    let cut = text
        .char_indices()
        .nth(EXCERPT_BYTES * 4)
        .map_or(text.len(), |(index, _)| index);
    let text = redact_echoes(
        &text[..cut],
        &[credentials.secret.expose(), credentials.client_id.as_str()],
    );
    let text = text.trim();
    if text.is_empty() {
        return "(an empty body)".to_owned();
    }
    if text.len() <= EXCERPT_BYTES {
        return text.to_owned();
    }
    let cut = (0..=EXCERPT_BYTES)
        .rev()
        .find(|index| text.is_char_boundary(*index))
        .unwrap_or(0);
    format!("{}…", &text[..cut])
}

/// What to do about a failed exchange, for a report's hint; `None` for kinds that are not the
/// token endpoint's own.
pub fn hint(kind: ErrorKind) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::OauthClientRejected => {
            "copy the client ID and secret again from the service account's OAuth 2.0 credential in admin.atlassian.com, or create a new credential if it was revoked"
        }
        ErrorKind::OauthGrantRefused => {
            "use the client ID of an OAuth 2.0 credential created under Directory → Service accounts in admin.atlassian.com"
        }
        ErrorKind::OauthScopeMissing => {
            "create the service account's OAuth 2.0 credential with the Rovo MCP scopes (filter the app types to Rovo MCP)"
        }
        ErrorKind::TokenEndpointInvalid => {
            "check the network or proxy between this computer and the token endpoint, and --token-url or ROVO_MCP_TOKEN_URL if set"
        }
        _ => return None,
    })
}

/// `text` with the value of every `"access_token"` in it replaced, a value cut short or not
/// closed included: the reply may be JSON the exchange refused (another `token_type`, no
/// lifetime) or no JSON at all.
fn scrub_access_token(text: &str) -> String {
    const KEY: &str = "\"access_token\"";
    let mut scrubbed = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find(KEY) {
        let after_key = found + KEY.len();
        scrubbed.push_str(&rest[..after_key]);
        let tail = &rest[after_key..];
        let value_start = tail
            .find(|c: char| !(c.is_whitespace() || c == ':'))
            .unwrap_or(tail.len());
        scrubbed.push_str(&tail[..value_start]);
        let value = &tail[value_start..];
        let Some(quoted) = value.strip_prefix('"') else {
            rest = value;
            continue;
        };
        scrubbed.push_str("\"[redacted]\"");
        rest = quoted.find('"').map_or("", |end| &quoted[end + 1..]);
    }
    scrubbed.push_str(rest);
    scrubbed
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// The access token in use and how to get the next one: exchanged when there is none or it is
/// no longer fresh, so that a caller that asks before every request never sends an expired one.
#[derive(Debug)]
pub struct TokenSource {
    endpoint: Endpoint,
    credentials: ClientCredentials,
    current: tokio::sync::Mutex<Option<AccessToken>>,
}

impl TokenSource {
    pub fn new(endpoint: Endpoint, credentials: ClientCredentials) -> Self {
        Self {
            endpoint,
            credentials,
            current: tokio::sync::Mutex::new(None),
        }
    }

    /// `Bearer <token>` for the next request: the token in hand while fresh, else a new one.
    ///
    /// # Errors
    /// As [`exchange`].
    pub async fn authorization(&self) -> Result<Secret> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|token| token.is_fresh()) {
            return Ok(Secret::new(token.authorization().expose()));
        }
        let token = exchange(&self.endpoint, &self.credentials).await?;
        let authorization = Secret::new(token.authorization().expose());
        *current = Some(token);
        Ok(authorization)
    }

    /// Forgets the token in hand, which the server refused: the next request gets a new one.
    pub async fn discard(&self) {
        *self.current.lock().await = None;
    }

    pub fn client_id(&self) -> &str {
        self.credentials.client_id()
    }

    /// The client secret, for what must redact it.
    pub fn client_secret(&self) -> &Secret {
        self.credentials.secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_id_and_secret_are_cleaned_and_odd_pastes_refused() {
        let secret = Secret::new("  ATOAsecret-value_0123456789\n");
        let cleaned = ClientCredentials::new(" \tclient-0123456789abcdef\r\n", &secret)
            .expect("spaces and line breaks around both are taken off");
        assert_eq!(cleaned.client_id(), "client-0123456789abcdef");
        assert_eq!(cleaned.secret().expose(), "ATOAsecret-value_0123456789");
        let long_id = "x".repeat(200);
        for (id, secret, says) in [
            ("", "s3cret-value", "client ID is empty"),
            ("client", "  ", "client secret is empty"),
            (
                "ATOAsecret-value",
                "ATOAsecret-value",
                "pasted into the client ID field",
            ),
            ("client id", "s3cret-value", "space or line break inside"),
            (long_id.as_str(), "s3cret-value", "far longer"),
            (
                "client",
                "s3cret\nvalue",
                "secret has a space or line break",
            ),
        ] {
            let error = ClientCredentials::new(id, &Secret::new(secret)).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{says}");
            assert!(
                error.message().contains(says),
                "{says}: {}",
                error.message()
            );
        }
    }

    #[test]
    fn refusals_map_to_their_own_kinds() {
        for (status, code, kind) in [
            (401, Some("access_denied"), ErrorKind::OauthClientRejected),
            (401, None, ErrorKind::OauthClientRejected),
            (400, Some("invalid_client"), ErrorKind::OauthClientRejected),
            (
                403,
                Some("unauthorized_client"),
                ErrorKind::OauthGrantRefused,
            ),
            (
                400,
                Some("unsupported_grant_type"),
                ErrorKind::OauthGrantRefused,
            ),
            (400, Some("invalid_scope"), ErrorKind::OauthScopeMissing),
            (429, None, ErrorKind::RateLimited),
            (503, None, ErrorKind::ServerError),
            (404, None, ErrorKind::TokenEndpointInvalid),
        ] {
            assert_eq!(refusal_kind(status, code), kind, "{status} {code:?}");
        }
    }

    #[test]
    fn a_token_is_renewed_a_minute_before_it_ends_and_a_short_one_halfway() {
        let hour = AccessToken::lasting(Secret::new("Bearer t"), Duration::from_secs(3600));
        assert!(hour.is_fresh(), "an hour's token is fresh at first");
        let gone = AccessToken::lasting(Secret::new("Bearer t"), Duration::ZERO);
        assert!(!gone.is_fresh(), "a token without time left is never sent");
        let short = AccessToken::lasting(Secret::new("Bearer t"), Duration::from_secs(2));
        assert!(
            short.renew_at <= Instant::now() + Duration::from_secs(1),
            "a two-second token is renewed after one second, not never"
        );
    }

    #[test]
    fn an_excerpt_keeps_the_reply_but_not_the_secret_or_a_token() {
        let credentials =
            ClientCredentials::new("client-id", &Secret::new("ATOA-the-client-secret-42")).unwrap();
        let echoed = excerpt(
            br#"{"error":"access_denied","client_secret":"ATOA-the-client-secret-42"}"#,
            &credentials,
        );
        assert!(
            echoed.contains("access_denied") && !echoed.contains("ATOA-the-client-secret-42"),
            "the refusal stays, the echoed secret goes: {echoed}"
        );
        let token = excerpt(
            br#"{"access_token":"eyJ-a-real-token","token_type":"mac"}"#,
            &credentials,
        );
        assert!(
            !token.contains("eyJ-a-real-token"),
            "a token in a reply we refuse is not repeated: {token}"
        );
        let long = excerpt("é".repeat(400).as_bytes(), &credentials);
        assert!(
            long.ends_with('…') && long.len() <= EXCERPT_BYTES + '…'.len_utf8(),
            "a long body is cut at a character boundary: {long}"
        );
    }

    #[test]
    fn an_access_token_is_taken_out_of_a_long_or_broken_reply_and_a_swapped_secret_too() {
        let credentials = ClientCredentials::new(
            "ATOA-the-real-secret-pasted-as-the-id",
            &Secret::new("short-id-0123456789"),
        )
        .unwrap();
        let padding = "x".repeat(3000);
        for body in [
            format!(
                r#"{{"token_type":"DPoP","padding":"{padding}","access_token":"eyJ-token-value"}}"#
            ),
            format!(r#"{{"access_token" : "eyJ-token-value", "padding":"{padding}"}}"#),
            r#"<html>"access_token":"eyJ-token-value"#.to_owned(),
        ] {
            let excerpt = excerpt(body.as_bytes(), &credentials);
            assert!(
                !excerpt.contains("eyJ-token-value"),
                "no token in a reply that is long, not JSON or not closed: {excerpt}"
            );
        }
        let echoed = excerpt(
            br#"{"error":"access_denied","client":"ATOA-the-real-secret-pasted-as-the-id"}"#,
            &credentials,
        );
        assert!(
            !echoed.contains("ATOA-the-real-secret"),
            "a secret pasted as the ID is not repeated either: {echoed}"
        );
    }
}
