//! The invariants of the MCP reply parser (design §4): whatever status, content type and bytes
//! a server sends, the parser never panics, and a failure is one of the reply kinds with the
//! status kept, a message, a hint, and at most 256 bytes of the body.

use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::domain::probe::failure::BODY_EXCERPT_BYTES;
use rovo_mcp_core::domain::probe::parse_http_reply;

/// The kinds an HTTP reply (rather than no reply at all) can be classified as.
pub const REPLY_KINDS: [ErrorKind; 8] = [
    ErrorKind::Unauthorized,
    ErrorKind::ForbiddenIp,
    ErrorKind::ForbiddenLegacyToken,
    ErrorKind::Forbidden,
    ErrorKind::RateLimited,
    ErrorKind::ServerError,
    ErrorKind::NotMcp,
    ErrorKind::ProtocolError,
];

/// The fuzz target's input: two bytes of status (100 + value % 500), one choosing the content
/// type, one of request id, then the body.
pub fn check_reply(data: &[u8]) {
    let [status_high, status_low, content_type, id, body @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_be_bytes([*status_high, *status_low]) % 500;
    let content_type = match content_type % 5 {
        0 => "application/json",
        1 => "text/event-stream",
        2 => "text/html; charset=utf-8",
        3 => "",
        _ => "Application/JSON; charset=utf-8",
    };
    check_http_reply(status, content_type, u64::from(*id), body);
}

/// Parses a reply to `tools/list` request `id`: never a panic; a failure is one of
/// [`REPLY_KINDS`], keeps the status, says what happened and what to do, and shows 1 to 256
/// bytes of the body or none.
pub fn check_http_reply(status: u16, content_type: &str, id: u64, body: &[u8]) {
    let Err(failure) = parse_http_reply(
        "mcp.example.com",
        "tools/list",
        id,
        status,
        content_type,
        body,
    ) else {
        return;
    };
    assert!(
        REPLY_KINDS.contains(&failure.kind),
        "a reply is classified as one of design §4's reply kinds, not {:?}",
        failure.kind
    );
    assert_eq!(failure.http_status, Some(status), "the status is kept");
    if let Some(excerpt) = &failure.body_excerpt {
        assert!(
            excerpt.len() <= BODY_EXCERPT_BYTES,
            "the excerpt is at most {BODY_EXCERPT_BYTES} bytes, not {}",
            excerpt.len()
        );
        assert!(
            !excerpt.is_empty(),
            "an empty body has no excerpt rather than an empty one"
        );
    }
    assert!(
        !failure.message.is_empty() && !failure.hint.is_empty(),
        "a failure says what happened and what to do"
    );
}
