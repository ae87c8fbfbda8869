//! The bridge's stdin and stdout as an MCP transport that answers a message too large to read
//! instead of dropping it without a word, which left the AI client waiting forever.
//!
//! rmcp reads one message per line and drops a line longer than its limit. Here a task reads
//! stdin first, passes every line within [`MAX_MESSAGE_BYTES`] on to rmcp unchanged, and for a
//! longer one sends back a JSON-RPC error naming the limit, with the request's id when the
//! start of the line holds it (clients write `id` before `params`); the session goes on.

use std::future::Future;

use rmcp::RoleServer;
use rmcp::model::{ErrorCode, ErrorData, JsonRpcError, JsonRpcMessage, RequestId};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use rmcp::transport::async_rw::{AsyncRwTransport, DEFAULT_MAX_LINE_LENGTH};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::ErrorKind;

/// The largest message the bridge reads, newline included: rmcp's own line limit, so that
/// every line passed on is one rmcp reads.
const MAX_MESSAGE_BYTES: usize = DEFAULT_MAX_LINE_LENGTH;
/// How much of an oversized line is kept to find the request's id in.
const HEAD_BYTES: usize = 64 * 1024;
/// The pipe between the reading task and rmcp.
const PIPE_BYTES: usize = 64 * 1024;

/// stdin and stdout, with oversized messages answered (see the module doc).
pub(super) struct BoundedStdio<O: AsyncWrite + Send + Unpin + 'static> {
    lines: AsyncRwTransport<RoleServer, DuplexStream, O>,
    /// The id (when it could be read) of each oversized request, as the reader meets them.
    oversized: mpsc::UnboundedReceiver<Option<RequestId>>,
    reader: JoinHandle<()>,
}

impl<O: AsyncWrite + Send + Unpin + 'static> BoundedStdio<O> {
    pub fn new<I: AsyncRead + Send + Unpin + 'static>(input: I, output: O) -> Self {
        let (to_rmcp, from_reader) = tokio::io::duplex(PIPE_BYTES);
        let (oversized_sender, oversized) = mpsc::unbounded_channel();
        Self {
            lines: AsyncRwTransport::new(from_reader, output),
            oversized,
            reader: tokio::spawn(pass_lines(input, to_rmcp, oversized_sender)),
        }
    }
}

impl<O: AsyncWrite + Send + Unpin + 'static> Drop for BoundedStdio<O> {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl<O: AsyncWrite + Send + Unpin + 'static> Transport<RoleServer> for BoundedStdio<O> {
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        self.lines.send(item)
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        loop {
            tokio::select! {
                // An oversized request met before the end of input is answered before it.
                biased;
                Some(id) = self.oversized.recv() => {
                    // Spawned, so that a cancelled `receive` cannot lose the answer.
                    drop(tokio::spawn(self.lines.send(too_large(id))));
                }
                message = self.lines.receive() => return message,
            }
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.lines.close().await
    }
}

/// The answer to a request larger than [`MAX_MESSAGE_BYTES`].
fn too_large(id: Option<RequestId>) -> TxJsonRpcMessage<RoleServer> {
    let message = format!(
        "the request is larger than {} MiB, the most the Rovo MCP bridge reads in one message, \
         so it was not sent to the server; send less at once (a smaller file or fewer items)",
        MAX_MESSAGE_BYTES / (1024 * 1024)
    );
    JsonRpcMessage::Error(JsonRpcError::new(
        id,
        ErrorData::new(
            ErrorCode::INVALID_REQUEST,
            message,
            Some(json!({ "kind": ErrorKind::InvalidInput, "limitBytes": MAX_MESSAGE_BYTES })),
        ),
    ))
}

/// Copies `input` to `rmcp` line by line, never holding more than [`MAX_MESSAGE_BYTES`]; a
/// longer line is skipped to its end and its id (or `None`) sent on `oversized`.
async fn pass_lines(
    input: impl AsyncRead + Unpin,
    mut rmcp: DuplexStream,
    oversized: mpsc::UnboundedSender<Option<RequestId>>,
) {
    let mut input = BufReader::with_capacity(PIPE_BYTES, input);
    let mut line: Vec<u8> = Vec::new();
    // The start of the oversized line being skipped, if one is.
    let mut skipping: Option<Vec<u8>> = None;
    loop {
        let (taken, ended) = match input.fill_buf().await {
            Ok([]) | Err(_) => break,
            Ok(available) => {
                let newline = available.iter().position(|byte| *byte == b'\n');
                let taken = newline.map_or(available.len(), |at| at + 1);
                let chunk = &available[..taken];
                if let Some(head) = &mut skipping {
                    keep_head(head, chunk);
                } else if line.len() + taken > MAX_MESSAGE_BYTES {
                    line.truncate(HEAD_BYTES);
                    keep_head(&mut line, chunk);
                    skipping = Some(std::mem::take(&mut line));
                } else {
                    line.extend_from_slice(chunk);
                }
                (taken, newline.is_some())
            }
        };
        input.consume(taken);
        if !ended {
            continue;
        }
        if let Some(head) = skipping.take() {
            eprintln!(
                "rovo-mcp-setup bridge: a message larger than {MAX_MESSAGE_BYTES} bytes was \
                 refused without being read"
            );
            if oversized.send(request_id(&head)).is_err() {
                break;
            }
        } else {
            if rmcp.write_all(&line).await.is_err() {
                break;
            }
            line.clear();
        }
    }
    // An unterminated last line goes on as it is; rmcp decides what to do with it.
    if skipping.is_none() && !line.is_empty() {
        let _passed = rmcp.write_all(&line).await;
    }
    let _closed = rmcp.shutdown().await;
}

fn keep_head(head: &mut Vec<u8>, chunk: &[u8]) {
    let room = HEAD_BYTES.saturating_sub(head.len());
    head.extend_from_slice(&chunk[..room.min(chunk.len())]);
}

/// The `id` of the JSON-RPC object that `head` starts, when it comes before the head ends.
fn request_id(head: &[u8]) -> Option<RequestId> {
    let mut at = skip_space(head, 0);
    if head.get(at) != Some(&b'{') {
        return None;
    }
    at += 1;
    loop {
        at = skip_space(head, at);
        let key_end = value_end(head, at).filter(|_| head.get(at) == Some(&b'"'))?;
        let key = &head[at..key_end];
        at = skip_space(head, key_end);
        if head.get(at) != Some(&b':') {
            return None;
        }
        at = skip_space(head, at + 1);
        let end = value_end(head, at)?;
        if key == b"\"id\"" {
            return serde_json::from_slice(&head[at..end]).ok();
        }
        at = skip_space(head, end);
        if head.get(at) != Some(&b',') {
            return None;
        }
        at += 1;
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Where the JSON value starting at `at` ends, if it ends within `bytes`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in bytes.get(at..)?.iter().enumerate() {
        let here = at + offset;
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    in_string = false;
                    if depth == 0 {
                        return Some(here + 1);
                    }
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return Some(here + 1);
                }
            }
            b',' | b'}' | b']' if depth == 0 => return Some(here).filter(|&end| end > at),
            byte if depth == 0 && byte.is_ascii_whitespace() => return Some(here),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_found_when_it_comes_before_the_head_ends() {
        for (head, id) in [
            (
                &br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"a":"#[..],
                Some(RequestId::Number(7)),
            ),
            (
                br#"{ "jsonrpc" : "2.0" , "method":"x", "params":{"id":1,"s":"}\"{"}, "id" : "abc" , "#,
                Some(RequestId::String("abc".into())),
            ),
            (br#"{"jsonrpc":"2.0","method":"x","params":{"id":3,"#, None),
            (br#"{"jsonrpc":"2.0","id":12"#, None),
            (b"[1,2,3]", None),
            (b"not json at all", None),
        ] {
            assert_eq!(
                request_id(head),
                id,
                "{}: only a top-level id that ends inside the head counts",
                String::from_utf8_lossy(head)
            );
        }
    }
}
