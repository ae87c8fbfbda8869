//! JSON-RPC over MCP Streamable HTTP, done by hand on `reqwest` so every failure keeps its exact
//! HTTP status and body: one POST per message, a reply as JSON or as an event stream, a
//! deadline on every step, one wait-and-retry on 429, and the session ended with `DELETE`.
//!
//! The `Authorization` header goes only to the endpoint's own origin: redirects to anywhere
//! else are not followed, and TLS verification is never switched off.

use std::time::Duration;

use futures_util::{FutureExt as _, StreamExt as _};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode, Url};
use serde_json::{Value, json};
use sse_stream::{Sse, SseStream};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::endpoint::Endpoint;
use super::failure::{self, ProbeFailure};
use crate::ErrorKind;
use crate::domain::secrets::Secret;

/// The largest reply the probe reads; a tool list of the whole catalogue is about 100 KiB.
pub const MAX_REPLY_BYTES: usize = 4 * 1024 * 1024;
/// How long the probe waits for a `Retry-After` without a value.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
const SESSION_HEADER: &str = "mcp-session-id";
const PROTOCOL_HEADER: &str = "mcp-protocol-version";
/// The request headers of the stateless protocol (2026-07-28) that repeat the body's method
/// and, for `tools/call`, the tool's name.
const METHOD_HEADER: &str = "mcp-method";
const NAME_HEADER: &str = "mcp-name";

/// A connection to one endpoint with one credential, and the deadlines that bound it.
#[derive(Debug)]
pub struct Transport {
    client: Client,
    url: Url,
    host: String,
    authorization: HeaderValue,
    session_id: Option<HeaderValue>,
    protocol_version: Option<HeaderValue>,
    /// The `_meta` every request carries in the stateless protocol; `None` with `initialize`.
    stateless_meta: Option<Value>,
    step_timeout: Duration,
    deadline: Instant,
}

/// The result of a JSON-RPC request, and the session id the reply assigned, if any.
#[derive(Debug)]
pub struct Reply {
    pub result: Value,
    pub session_id: Option<HeaderValue>,
}

/// One try of a request: done (either way), or refused with 429 and perhaps a wait.
enum Attempt {
    Done(Result<Reply, ProbeFailure>),
    RateLimited {
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
}

impl Transport {
    /// A transport to `endpoint` that sends `authorization`, each step bounded by
    /// `step_timeout` and everything by `deadline`.
    pub fn new(
        endpoint: &Endpoint,
        authorization: &Secret,
        step_timeout: Duration,
        deadline: Instant,
    ) -> Result<Self, ProbeFailure> {
        let mut authorization = HeaderValue::from_str(authorization.expose()).map_err(|_| {
            ProbeFailure::new(
                ErrorKind::InvalidInput,
                "the credential has characters that cannot be sent in an HTTP header",
                "copy the token again from the token page",
            )
        })?;
        authorization.set_sensitive(true);
        Ok(Self {
            client: http_client(endpoint, step_timeout)?,
            url: endpoint.url().clone(),
            host: endpoint.host().to_owned(),
            authorization,
            session_id: None,
            protocol_version: None,
            stateless_meta: None,
            step_timeout,
            deadline,
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// Sends the session id and protocol version the server chose with every later message.
    pub fn join_session(&mut self, session_id: Option<HeaderValue>, protocol_version: &str) {
        self.session_id = session_id;
        self.protocol_version = HeaderValue::from_str(protocol_version).ok();
    }

    /// Speaks the stateless protocol `version` (2026-07-28 and later) from now on: no session,
    /// and every request carries the protocol version, client info and capabilities itself.
    pub fn use_stateless_protocol(&mut self, version: &str, client_info: &Value) {
        self.session_id = None;
        self.protocol_version = HeaderValue::from_str(version).ok();
        self.stateless_meta = Some(json!({
            "io.modelcontextprotocol/protocolVersion": version,
            "io.modelcontextprotocol/clientInfo": client_info,
            "io.modelcontextprotocol/clientCapabilities": {},
        }));
    }

    /// Sends a JSON-RPC request and returns its result; waits once and retries after a 429.
    pub async fn request(
        &self,
        id: u64,
        method: &str,
        mut params: Value,
        step: &str,
    ) -> Result<Reply, ProbeFailure> {
        if let (Some(meta), Some(params)) = (&self.stateless_meta, params.as_object_mut()) {
            params.insert("_meta".to_owned(), meta.clone());
        }
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let mut waited = false;
        loop {
            let attempt = self
                .within_deadline(step, self.attempt(id, &message, step))
                .await?;
            match attempt {
                Attempt::Done(result) => return result,
                Attempt::RateLimited { retry_after, body } => {
                    let wait = retry_after.unwrap_or(DEFAULT_RETRY_AFTER);
                    if waited || Instant::now() + wait >= self.deadline {
                        let mut failure = failure::from_http_status(429, &body, &self.host);
                        if let Some(retry_after) = retry_after {
                            failure.hint = format!(
                                "the server asked to wait {} s; wait that long and check again",
                                retry_after.as_secs()
                            );
                        }
                        return Err(failure);
                    }
                    waited = true;
                    tracing::debug!(
                        step,
                        wait_s = wait.as_secs_f32(),
                        "rate limited; waiting once before retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Sends a JSON-RPC notification; the server answers 202 with no body.
    pub async fn notify(&self, method: &str, step: &str) -> Result<(), ProbeFailure> {
        let message = json!({"jsonrpc": "2.0", "method": method});
        self.within_deadline(step, async {
            let response = self.send(&message, step).await?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            let body = read_prefix(response).await;
            Err(failure::from_http_status(
                status.as_u16(),
                &body,
                &self.host,
            ))
        })
        .await
    }

    /// Ends the session with `DELETE` in the background, so nobody waits for it; the handle
    /// lets a short-lived process give it a moment before exiting.
    pub fn close_session(&self) -> Option<JoinHandle<()>> {
        let session_id = self.session_id.clone()?;
        let mut request = self
            .client
            .delete(self.url.clone())
            .headers(self.headers())
            .header(SESSION_HEADER, session_id)
            .timeout(self.step_timeout);
        if let Some(version) = &self.protocol_version {
            request = request.header(PROTOCOL_HEADER, version.clone());
        }
        // The server may answer 405 (sessions cannot be ended) or not at all: either is fine.
        let url = self.url.clone();
        Some(tokio::spawn(async move {
            let ended = request.send().await;
            tracing::debug!(%url, status = ?ended.map(|reply| reply.status().as_u16()).ok(), "session ended");
        }))
    }

    async fn within_deadline<T>(
        &self,
        step: &str,
        work: impl Future<Output = Result<T, ProbeFailure>>,
    ) -> Result<T, ProbeFailure> {
        let budget = self
            .deadline
            .saturating_duration_since(Instant::now())
            .min(self.step_timeout);
        tokio::time::timeout(budget, work)
            .await
            .unwrap_or_else(|_| Err(failure::timed_out(&self.host, step)))
    }

    async fn attempt(&self, id: u64, message: &Value, step: &str) -> Result<Attempt, ProbeFailure> {
        let sent = Instant::now();
        let response = self.send(message, step).await?;
        let status = response.status();
        tracing::debug!(
            url = %self.url,
            step,
            status = status.as_u16(),
            http_version = ?response.version(),
            elapsed_ms = sent.elapsed().as_millis(),
            "reply received"
        );
        if status == StatusCode::TOO_MANY_REQUESTS {
            let retry_after = parse_retry_after(response.headers());
            let body = read_prefix(response).await;
            return Ok(Attempt::RateLimited { retry_after, body });
        }
        let session_id = response.headers().get(SESSION_HEADER).cloned();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = match ReplyShape::of(status.as_u16(), &content_type) {
            ReplyShape::Json => self.read_all(response, step).await?,
            ReplyShape::EventStream => {
                let result = self.read_event_stream(response, id, step).await;
                return Ok(Attempt::Done(
                    result.map(|result| Reply { result, session_id }),
                ));
            }
            ReplyShape::Accepted => Vec::new(),
            ReplyShape::Refused | ReplyShape::NotMcp => read_prefix(response).await,
        };
        let result = parse_http_reply(&self.host, step, id, status.as_u16(), &content_type, &body);
        Ok(Attempt::Done(
            result.map(|result| Reply { result, session_id }),
        ))
    }

    async fn send(&self, message: &Value, step: &str) -> Result<Response, ProbeFailure> {
        let mut request = self
            .client
            .post(self.url.clone())
            .headers(self.headers())
            .header(header::ACCEPT, "application/json, text/event-stream")
            .header(header::CONTENT_TYPE, "application/json")
            .body(message.to_string());
        if let Some(session_id) = &self.session_id {
            request = request.header(SESSION_HEADER, session_id.clone());
        }
        if let Some(version) = &self.protocol_version {
            request = request.header(PROTOCOL_HEADER, version.clone());
        }
        if self.stateless_meta.is_some() {
            let method = message["method"].as_str().unwrap_or_default();
            request = request.header(METHOD_HEADER, method);
            if method == "tools/call"
                && let Some(name) = message["params"]["name"].as_str()
            {
                request = request.header(NAME_HEADER, name);
            }
        }
        request
            .send()
            .await
            .map_err(|error| failure::from_transport_error(&error, &self.host, step))
    }

    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, self.authorization.clone());
        headers
    }

    /// The whole body, refusing one larger than [`MAX_REPLY_BYTES`].
    async fn read_all(&self, mut response: Response, step: &str) -> Result<Vec<u8>, ProbeFailure> {
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| failure::from_transport_error(&error, &self.host, step))?
        {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_REPLY_BYTES {
                return Err(too_large(&self.host, step).with_reply(status, &body));
            }
        }
        Ok(body)
    }

    /// Reads server-sent events until the reply to request `id`; other messages (progress,
    /// log notifications, priming events with no data) are skipped. The events are framed by
    /// `sse-stream` (the crate rmcp uses), which takes LF, CRLF and bare CR line ends alike.
    async fn read_event_stream(
        &self,
        response: Response,
        id: u64,
        step: &str,
    ) -> Result<Value, ProbeFailure> {
        let status = response.status().as_u16();
        // On the heap: the parser's state would make every future that awaits a probe large.
        let events = Box::pin(SseStream::from_bytes_stream(capped_chunks(response)));
        reply_among_events(events, id, status, &self.host, step).await
    }
}

/// Reads `events` until the reply to request `id` and returns its result; other messages
/// (progress, log notifications, priming events with no data) are skipped.
async fn reply_among_events(
    mut events: impl futures_util::Stream<Item = Result<Sse, sse_stream::Error>> + Unpin,
    id: u64,
    status: u16,
    host: &str,
    step: &str,
) -> Result<Value, ProbeFailure> {
    let mut last_data = String::new();
    while let Some(event) = events.next().await {
        let event = event.map_err(|error| {
            stream_failure(error, host, step).with_reply(status, last_data.as_bytes())
        })?;
        let Some(data) = event.data.filter(|data| !data.is_empty()) else {
            continue;
        };
        if let Some(result) = reply_in_event(&data, id, host, step)
            .map_err(|failure| failure.with_reply(status, data.as_bytes()))?
        {
            return Ok(result);
        }
        last_data = data;
    }
    Err(stream_ended(host, step).with_reply(status, last_data.as_bytes()))
}

/// What went wrong reading an event stream, as the probe reports it.
fn stream_failure(error: sse_stream::Error, host: &str, step: &str) -> ProbeFailure {
    match error {
        sse_stream::Error::Body(inner) => match inner.downcast::<ChunkError>() {
            Ok(chunk) => match *chunk {
                ChunkError::TooLarge => too_large(host, step),
                ChunkError::Transport(error) => failure::from_transport_error(&error, host, step),
            },
            Err(other) => {
                protocol_error(&format!("the event stream from {host} broke off: {other}"))
            }
        },
        other => protocol_error(&format!(
            "the event stream from {host} is not well formed: {other}"
        )),
    }
}

/// Why the body of an event stream stopped before its end.
#[derive(Debug)]
enum ChunkError {
    /// More than [`MAX_REPLY_BYTES`] arrived.
    TooLarge,
    Transport(reqwest::Error),
}

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge => write!(f, "more than {MAX_REPLY_BYTES} bytes"),
            Self::Transport(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ChunkError {}

/// The response body as a stream of chunks that ends in an error once more than
/// [`MAX_REPLY_BYTES`] arrived, so an endless stream cannot fill memory.
fn capped_chunks(
    response: Response,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, ChunkError>> {
    futures_util::stream::unfold(Some((response, 0usize)), |state| async move {
        let (mut response, read) = state?;
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let read = read + chunk.len();
                if read > MAX_REPLY_BYTES {
                    Some((Err(ChunkError::TooLarge), None))
                } else {
                    Some((Ok(chunk), Some((response, read))))
                }
            }
            Ok(None) => None,
            Err(error) => Some((Err(ChunkError::Transport(error)), None)),
        }
    })
}

/// The endpoint's HTTP client ([`Endpoint::http_client`]), its failure as the probe reports it.
fn http_client(endpoint: &Endpoint, connect_timeout: Duration) -> Result<Client, ProbeFailure> {
    endpoint
        .http_client(
            concat!("rovo-mcp-setup/", env!("CARGO_PKG_VERSION")),
            connect_timeout,
        )
        .map_err(|error| {
            ProbeFailure::new(
                ErrorKind::Tls,
                format!("the secure connection could not be prepared: {error}"),
                "this computer's certificate store could not be read; check that the system's trusted certificates are installed",
            )
        })
}

/// How a reply is read, from its status and `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReplyShape {
    /// Not a success: the status and the start of the body say why.
    Refused,
    /// 202: the server took a request as if it were a notification.
    Accepted,
    Json,
    EventStream,
    /// A success that is not an MCP reply, such as a web page.
    NotMcp,
}

impl ReplyShape {
    fn of(status: u16, content_type: &str) -> Self {
        let content_type = content_type.trim_start().to_ascii_lowercase();
        if !(200..300).contains(&status) {
            Self::Refused
        } else if status == 202 {
            Self::Accepted
        } else if content_type.starts_with("application/json") {
            Self::Json
        } else if content_type.starts_with("text/event-stream") {
            Self::EventStream
        } else {
            Self::NotMcp
        }
    }
}

/// What one HTTP reply to JSON-RPC request `id` says, from its status, `Content-Type` and
/// whole body: the request's result, or a failure of design §4 with its kind, the status and
/// at most [`BODY_EXCERPT_BYTES`](super::failure::BODY_EXCERPT_BYTES) of the body. The probe
/// reads every reply through these same steps as it streams in; this is them over a body
/// already in hand, so they can be checked against any bytes at all.
pub fn parse_http_reply(
    host: &str,
    step: &str,
    id: u64,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> Result<Value, ProbeFailure> {
    match ReplyShape::of(status, content_type) {
        ReplyShape::Refused => Err(refusal(host, status, body, step)),
        ReplyShape::Accepted => Err(ProbeFailure::new(
            ErrorKind::ProtocolError,
            format!("{host} accepted {step} but sent no reply (202)"),
            "the server does not answer requests as MCP requires; check the endpoint URL",
        )
        .with_reply(status, &[])),
        ReplyShape::Json => {
            parse_reply(id, body, step).map_err(|failure| failure.with_reply(status, body))
        }
        ReplyShape::EventStream => {
            let whole: Result<bytes::Bytes, ChunkError> = Ok(bytes::Bytes::copy_from_slice(body));
            let events = SseStream::from_bytes_stream(futures_util::stream::iter([whole]));
            reply_among_events(events, id, status, host, step)
                .now_or_never()
                .expect("a body in hand is read without waiting")
        }
        ReplyShape::NotMcp => {
            Err(not_mcp_content(host, &content_type.to_ascii_lowercase()).with_reply(status, body))
        }
    }
}

/// The failure for a non-success status; a 4xx carrying a JSON-RPC error is the server
/// refusing the message itself, not the credential.
fn refusal(host: &str, status: u16, body: &[u8], step: &str) -> ProbeFailure {
    let client_error = (400..500).contains(&status);
    let plain_refusal = matches!(status, 401 | 403 | 429) || !client_error;
    if !plain_refusal && let Some((code, error)) = json_rpc_error(body) {
        let mut failure =
            protocol_error(&format!("{host} refused {step}: {error}")).with_reply(status, body);
        failure.json_rpc_code = code;
        return failure;
    }
    failure::from_http_status(status, body, host)
}

/// The result of the reply to request `id` when the event's `data` is that reply; `None` for
/// any other message (progress, log notifications).
fn reply_in_event(
    data: &str,
    id: u64,
    host: &str,
    step: &str,
) -> Result<Option<Value>, ProbeFailure> {
    let message: Value = serde_json::from_str(data)
        .map_err(|error| protocol_error(&format!("an event from {host} is not JSON: {error}")))?;
    if message.get("id") == Some(&json!(id))
        && (message.get("result").is_some() || message.get("error").is_some())
    {
        return parse_reply(id, data.as_bytes(), step).map(Some);
    }
    Ok(None)
}

fn stream_ended(host: &str, step: &str) -> ProbeFailure {
    protocol_error(&format!(
        "the event stream from {host} ended without the reply to {step}"
    ))
}

/// The JSON-RPC result of a reply to request `id`, or the failure it carries.
fn parse_reply(id: u64, body: &[u8], step: &str) -> Result<Value, ProbeFailure> {
    let message: Value = serde_json::from_slice(body).map_err(|error| {
        protocol_error(&format!("the reply to {step} is not valid JSON: {error}"))
    })?;
    if let Some(error) = message.get("error") {
        let (code, text) = describe_json_rpc_error(error);
        let mut failure =
            protocol_error(&format!("the server answered {step} with an error: {text}"));
        failure.json_rpc_code = code;
        return Err(failure);
    }
    if message.get("id") != Some(&json!(id)) {
        return Err(protocol_error(&format!(
            "the reply to {step} is not a JSON-RPC response to it"
        )));
    }
    message
        .get("result")
        .cloned()
        .ok_or_else(|| protocol_error(&format!("the reply to {step} has no result")))
}

/// The code and description of the JSON-RPC error in `body`, if it holds one.
fn json_rpc_error(body: &[u8]) -> Option<(Option<i64>, String)> {
    let message: Value = serde_json::from_slice(body).ok()?;
    message.get("error").map(describe_json_rpc_error)
}

/// The error's code, and its message with the code, for a failure message.
fn describe_json_rpc_error(error: &Value) -> (Option<i64>, String) {
    let code = error.get("code").and_then(Value::as_i64);
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("no message");
    let text = match code {
        Some(code) => format!("{message} (JSON-RPC {code})"),
        None => message.to_owned(),
    };
    (code, text)
}

fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// The start of a body, enough for an excerpt and to recognise a known refusal.
async fn read_prefix(mut response: Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < 4096 {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body
}

fn protocol_error(message: &str) -> ProbeFailure {
    ProbeFailure::new(
        ErrorKind::ProtocolError,
        message,
        "the server does not speak MCP as this app expects; check the endpoint URL, and report it if it is Atlassian's",
    )
}

fn too_large(host: &str, step: &str) -> ProbeFailure {
    protocol_error(&format!(
        "the reply from {host} to {step} is larger than {} MiB, far more than any MCP reply",
        MAX_REPLY_BYTES / (1024 * 1024)
    ))
}

fn not_mcp_content(host: &str, content_type: &str) -> ProbeFailure {
    let what = if content_type.starts_with("text/html") {
        "a web page".to_owned()
    } else if content_type.is_empty() {
        "a reply without a content type".to_owned()
    } else {
        format!("`{content_type}`")
    };
    ProbeFailure::new(
        ErrorKind::NotMcp,
        format!("{host} answered with {what}, not an MCP reply"),
        "check the endpoint URL; a web page often means a captive portal, a proxy login page, or the wrong address",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events `sse-stream` makes of `bytes`, cut into chunks of `chunk` bytes.
    async fn events(bytes: &'static [u8], chunk: usize) -> Vec<Option<String>> {
        let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = bytes
            .chunks(chunk)
            .map(|part| Ok(bytes::Bytes::from_static(part)))
            .collect();
        SseStream::from_bytes_stream(futures_util::stream::iter(chunks))
            .map(|event| event.expect("well formed").data)
            .collect()
            .await
    }

    #[tokio::test]
    async fn events_are_framed_alike_with_lf_crlf_and_bare_cr_line_ends() {
        for text in [
            &b"id: 0\ndata:\n\ndata: {\"a\":\ndata:1}\n\n"[..],
            b"id: 0\r\ndata:\r\n\r\ndata: {\"a\":\r\ndata:1}\r\n\r\n",
            b"id: 0\rdata:\r\rdata: {\"a\":\rdata:1}\r\r",
        ] {
            for chunk in [1, 3, text.len()] {
                assert_eq!(
                    events(text, chunk).await,
                    [Some(String::new()), Some("{\"a\":\n1}".to_owned())],
                    "a priming event, then multi-line data joined with a newline, whatever the \
                     line ends and however the bytes arrive: {:?} in chunks of {chunk}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    #[test]
    fn a_notification_is_skipped_and_the_reply_is_read() {
        let progress = r#"{"jsonrpc":"2.0","method":"notifications/progress","params":{}}"#;
        assert_eq!(
            reply_in_event(progress, 1, "h", "x").unwrap(),
            None,
            "not the reply"
        );
        let reply = r#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#;
        assert_eq!(
            reply_in_event(reply, 1, "h", "x").unwrap(),
            Some(json!({"tools": []}))
        );
        assert_eq!(
            reply_in_event("not json", 1, "h", "x").unwrap_err().kind,
            ErrorKind::ProtocolError
        );
    }

    #[test]
    fn a_reply_with_an_error_or_the_wrong_id_is_a_protocol_error() {
        let error = parse_reply(
            1,
            br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Unsupported protocol version"}}"#,
            "initialize",
        )
        .unwrap_err();
        assert_eq!(error.kind, ErrorKind::ProtocolError);
        assert!(
            error
                .message
                .contains("Unsupported protocol version (JSON-RPC -32602)"),
            "the server's own words are kept: {}",
            error.message
        );
        let error = parse_reply(1, br#"{"jsonrpc":"2.0","id":2,"result":{}}"#, "x").unwrap_err();
        assert_eq!(
            error.kind,
            ErrorKind::ProtocolError,
            "a reply to another request"
        );
        let error = parse_reply(1, b"\xff\xfe", "x").unwrap_err();
        assert_eq!(error.kind, ErrorKind::ProtocolError, "invalid UTF-8");
    }
}
