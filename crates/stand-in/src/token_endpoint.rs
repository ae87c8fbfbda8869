//! The stand-in for Atlassian's OAuth 2.0 token endpoint (`POST /oauth/token` beside the MCP
//! paths): a service account's client ID and secret, exchanged with the client-credentials
//! grant, for a short-lived access token that the stand-in MCP server accepts as `Bearer` until
//! it expires. It answers as the real one does (research/oauth-client-credentials.md, read
//! 2026-12-04): JSON or form bodies, `{access_token, token_type: "Bearer", expires_in, scope}`,
//! and a wrong ID or secret refused with 401 `{"error":"access_denied"}`; and it refuses or
//! misbehaves in the other ways a test asks for.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::catalogue::Grant;

/// The path of the token endpoint, as on `auth.atlassian.com`.
pub const TOKEN_PATH: &str = "/oauth/token";
/// What every access token the stand-in issues starts with, so the leak scan finds any of them
/// in what the tests kept.
pub const ACCESS_TOKEN_PREFIX: &str = "stand-in-access-token-";

/// How the token endpoint answers one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenAnswer {
    /// A token for `grant`, valid for `lifetime`.
    Issue { grant: Grant, lifetime: Duration },
    /// 403 `unauthorized_client`: the client may not use this grant.
    GrantNotAllowed,
    /// 400 `invalid_scope`: the credential has none of the scopes asked for.
    MissingScopes,
    /// 200 with a web page, as a proxy's sign-in page answers.
    HtmlPage,
    /// 200 with a token and no `expires_in`.
    NoLifetime,
    /// Never answers.
    Hang,
    /// 503 from a gateway in front of it.
    Unavailable,
}

/// One registered client: its secret and how it is answered.
#[derive(Debug, Clone)]
pub(crate) struct OauthClient {
    pub(crate) secret: String,
    pub(crate) answer: TokenAnswer,
}

/// The clients the token endpoint knows: those registered one by one, then any other that a
/// rule answers (the demo's: any well-formed client ID and secret).
#[derive(Debug, Clone, Default)]
pub(crate) struct OauthClients {
    pub(crate) registered: HashMap<String, OauthClient>,
    pub(crate) rule: Option<fn(&str, &str) -> Option<TokenAnswer>>,
}

impl OauthClients {
    /// How `client_id` with `secret` is answered; `None` refuses it as unknown.
    fn answer_for(&self, client_id: &str, secret: &str) -> Option<TokenAnswer> {
        match self.registered.get(client_id) {
            Some(client) => (client.secret == secret).then(|| client.answer.clone()),
            None => self.rule.and_then(|rule| rule(client_id, secret)),
        }
    }
}

/// What the token endpoint issued, for the MCP side to accept until each token expires.
#[derive(Debug, Default)]
pub(crate) struct IssuedTokens {
    tokens: Mutex<HashMap<String, (Grant, Instant)>>,
    count: AtomicU64,
}

impl IssuedTokens {
    /// The grant of a `Bearer` value the endpoint issued and that has not expired.
    pub(crate) fn grant(&self, authorization: &str) -> Option<Grant> {
        let token = authorization.strip_prefix("Bearer ")?;
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        let (grant, expires) = tokens.get(token)?;
        (Instant::now() < *expires).then_some(*grant)
    }

    fn issue(&self, grant: Grant, lifetime: Duration) -> String {
        let number = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        let token = format!("{ACCESS_TOKEN_PREFIX}{number:08}");
        self.tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(token.clone(), (grant, Instant::now() + lifetime));
        token
    }

    /// How many tokens were issued so far.
    pub(crate) fn issued(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }

    /// Every token issued so far, expired now, as a clock past their lifetime would have it.
    pub(crate) fn expire_all(&self) {
        let now = Instant::now();
        for (_, expires) in self
            .tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values_mut()
        {
            *expires = now;
        }
    }
}

/// A reply of the token endpoint: status, content type and body; `None` is no reply at all.
pub(crate) type TokenReply = Option<(u16, &'static str, String)>;

/// Answers one token request with `body` (JSON or form-encoded).
pub(crate) fn answer(clients: &OauthClients, issued: &IssuedTokens, body: &[u8]) -> TokenReply {
    let fields = request_fields(body);
    let field = |name: &str| fields.get(name).map(String::as_str);
    if field("grant_type") != Some("client_credentials") {
        return Some(oauth_error(
            400,
            "unsupported_grant_type",
            "Unsupported grant type",
        ));
    }
    let answer = field("client_id")
        .zip(field("client_secret"))
        .and_then(|(id, secret)| clients.answer_for(id, secret));
    let Some(answer) = answer else {
        return Some(oauth_error(401, "access_denied", "Unauthorized"));
    };
    match answer {
        TokenAnswer::Issue { grant, lifetime } => {
            let token = issued.issue(grant, lifetime);
            Some((
                200,
                "application/json",
                json!({
                    "access_token": token,
                    "token_type": "Bearer",
                    "expires_in": lifetime.as_secs(),
                    "scope": "read:jira-work write:jira-work search:rovo:mcp",
                })
                .to_string(),
            ))
        }
        TokenAnswer::NoLifetime => {
            let token = issued.issue(Grant::FullScope, Duration::from_secs(3600));
            Some((
                200,
                "application/json",
                json!({ "access_token": token, "token_type": "Bearer" }).to_string(),
            ))
        }
        TokenAnswer::GrantNotAllowed => Some(oauth_error(
            403,
            "unauthorized_client",
            "Grant type 'client_credentials' not allowed for the client.",
        )),
        TokenAnswer::MissingScopes => Some(oauth_error(
            400,
            "invalid_scope",
            "The credential has none of the requested scopes",
        )),
        TokenAnswer::HtmlPage => Some((
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Sign in to the network</title></head></html>"
                .to_owned(),
        )),
        TokenAnswer::Unavailable => Some((
            503,
            "text/html",
            "<html><body><h1>503 Service Unavailable</h1></body></html>".to_owned(),
        )),
        TokenAnswer::Hang => None,
    }
}

fn oauth_error(status: u16, error: &str, description: &str) -> (u16, &'static str, String) {
    (
        status,
        "application/json",
        json!({ "error": error, "error_description": description }).to_string(),
    )
}

/// The fields of a JSON object body, or of a form-encoded one.
fn request_fields(body: &[u8]) -> HashMap<String, String> {
    if let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) {
        return object
            .into_iter()
            .filter_map(|(name, value)| Some((name, value.as_str()?.to_owned())))
            .collect();
    }
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (percent_decoded(name), percent_decoded(value)))
        .collect()
}

/// `+` as a space and `%XX` as its byte, as forms encode them.
fn percent_decoded(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        match first {
            b'+' => bytes.push(b' '),
            b'%' if tail.len() >= 2 => {
                let hex = std::str::from_utf8(&tail[..2]).ok();
                if let Some(byte) = hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                    bytes.push(byte);
                    rest = &tail[2..];
                    continue;
                }
                bytes.push(first);
            }
            _ => bytes.push(first),
        }
        rest = tail;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
