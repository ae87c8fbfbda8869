//! The one mapping from an HTTP reply that is not a success, or a request that got no reply, to
//! the error kind of design §4. The probe and the bridge both use it, so the same refusal is the
//! same kind wherever it shows; each puts it in words for its own audience.

use std::error::Error as _;

use crate::ErrorKind;

/// The text of Atlassian's IP-allowlist refusal (research §2.3).
const IP_ALLOWLIST_TEXT: &str = "permission to connect from this ip address";
/// The text of Atlassian's refusal of a classic token (research §2.3).
const LEGACY_TOKEN_TEXT: &str = "requires a modern api token";

/// The kind of an HTTP status, from the status and the start of the body, which tells the
/// refusals of a 403 apart.
pub fn kind_of_status(status: u16, body: &[u8]) -> ErrorKind {
    let lowered = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_lowercase();
    match status {
        401 => ErrorKind::Unauthorized,
        403 if lowered.contains(IP_ALLOWLIST_TEXT) => ErrorKind::ForbiddenIp,
        403 if lowered.contains(LEGACY_TOKEN_TEXT) => ErrorKind::ForbiddenLegacyToken,
        403 => ErrorKind::Forbidden,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::ServerError,
        _ => ErrorKind::NotMcp,
    }
}

/// The kind of a request that got no reply: it ran out of time, the secure connection failed,
/// or the network did.
pub fn kind_of_transport(error: &reqwest::Error) -> ErrorKind {
    if error.is_timeout() {
        ErrorKind::Timeout
    } else if is_tls_error(error) {
        ErrorKind::Tls
    } else {
        ErrorKind::Network
    }
}

/// Whether anything in the error's chain is a TLS failure.
fn is_tls_error(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(current) = source {
        if current.is::<rustls::Error>() {
            return true;
        }
        if current
            .downcast_ref::<std::io::Error>()
            .is_some_and(io_error_wraps_tls)
        {
            return true;
        }
        source = current.source();
    }
    let text = error_chain(error).to_lowercase();
    text.contains("certificate") || text.contains("tls handshake")
}

/// Whether an I/O error wraps a TLS error, perhaps inside further I/O errors:
/// `io::Error::source` skips the error it wraps, so the chain has to be opened by hand.
fn io_error_wraps_tls(error: &std::io::Error) -> bool {
    match error.get_ref() {
        Some(inner) if inner.is::<rustls::Error>() => true,
        Some(inner) => inner
            .downcast_ref::<std::io::Error>()
            .is_some_and(io_error_wraps_tls),
        None => false,
    }
}

/// The messages of an error and its sources, joined, for the last part of a message.
pub fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(current) = source {
        let text = current.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = current.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_the_kinds_of_design_section_4() {
        let cases: [(u16, &str, ErrorKind); 8] = [
            (401, "Unauthorized", ErrorKind::Unauthorized),
            (
                403,
                "You don't have permission to connect from this IP address. Please ask your admin for access.",
                ErrorKind::ForbiddenIp,
            ),
            (
                403,
                "This endpoint requires a modern API token (API token with scopes). Legacy API tokens without scopes are not supported.",
                ErrorKind::ForbiddenLegacyToken,
            ),
            (403, "Forbidden", ErrorKind::Forbidden),
            (429, "", ErrorKind::RateLimited),
            (503, "<html>down</html>", ErrorKind::ServerError),
            (404, "Not Found", ErrorKind::NotMcp),
            (302, "", ErrorKind::NotMcp),
        ];
        for (status, body, kind) in cases {
            assert_eq!(
                kind_of_status(status, body.as_bytes()),
                kind,
                "{status} {body}"
            );
        }
    }
}
