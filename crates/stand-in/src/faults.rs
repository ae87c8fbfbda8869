//! The faults a test can inject for one credential: the replies of the real server's failure
//! modes and of the networks in front of it (research/atlassian-mcp.md §2.3).

/// How the server (or something in front of it) misbehaves for one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misbehaviour {
    /// A fixed reply to every request: status, content type and body.
    Reply {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// 429 with `Retry-After: retry_after_seconds` for the first `times` requests, then the
    /// credential's grant applies.
    RateLimited {
        retry_after_seconds: u64,
        times: usize,
    },
    /// 200 with event-stream headers, then nothing, ever.
    HangAfterHeaders,
    /// 200 with an event stream that sends keep-alive comments forever and never the reply.
    EndlessEventStream,
    /// A JSON-RPC error object instead of a result, with the request's own id.
    JsonRpcError,
    /// `307 Temporary Redirect` to `location`, which keeps the POST and its body.
    Redirect { location: String },
    /// `status` with a plain-text body that repeats the request's `Authorization` value as
    /// `echo` writes it, as a gateway's error page that lists the request headers does.
    EchoAuthorization { status: u16, echo: HeaderEcho },
}

/// How [`Misbehaviour::EchoAuthorization`] writes the header it repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderEcho {
    AsSent,
    /// Every byte but letters, digits and `-._~` as `%XX`.
    PercentEncoded,
    /// The whole value in base64 without `=` padding.
    Base64Unpadded,
    /// The token alone (after `Basic`'s `email:`, or after `Bearer `) in base64.
    TokenBase64,
    LowerCased,
    UpperCased,
    /// Inside a JSON string, `/` as `\/` and `+`, `=` as `\u002B`, `\u003D` (as .NET writes them).
    JsonEscaped,
}

impl HeaderEcho {
    pub const ALL: [Self; 7] = [
        Self::AsSent,
        Self::PercentEncoded,
        Self::Base64Unpadded,
        Self::TokenBase64,
        Self::LowerCased,
        Self::UpperCased,
        Self::JsonEscaped,
    ];

    /// `authorization` written this way.
    pub fn write(self, authorization: &str) -> String {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
        match self {
            Self::AsSent => authorization.to_owned(),
            Self::PercentEncoded => authorization
                .bytes()
                .map(|byte| {
                    if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                        char::from(byte).to_string()
                    } else {
                        format!("%{byte:02X}")
                    }
                })
                .collect(),
            Self::Base64Unpadded => STANDARD_NO_PAD.encode(authorization),
            Self::TokenBase64 => {
                let (scheme, credential) = authorization.split_once(' ').unwrap_or_default();
                let token = if scheme.eq_ignore_ascii_case("basic") {
                    let pair = STANDARD.decode(credential).unwrap_or_default();
                    let pair = String::from_utf8_lossy(&pair).into_owned();
                    pair.split_once(':').unwrap_or_default().1.to_owned()
                } else {
                    credential.to_owned()
                };
                STANDARD.encode(token)
            }
            Self::LowerCased => authorization.to_lowercase(),
            Self::UpperCased => authorization.to_uppercase(),
            Self::JsonEscaped => format!(
                "{{\"authorization\":\"{}\"}}",
                authorization
                    .replace('/', "\\/")
                    .replace('+', "\\u002B")
                    .replace('=', "\\u003D")
            ),
        }
    }
}

impl Misbehaviour {
    /// Atlassian's 403 for a classic token without scopes.
    pub fn legacy_token() -> Self {
        Self::text(
            403,
            "This endpoint requires a modern API token (API token with scopes). Legacy API tokens without scopes are not supported.",
        )
    }

    /// Atlassian's refusal of a network outside the organisation's IP allowlist.
    pub fn ip_blocked() -> Self {
        Self::text(
            403,
            "You don't have permission to connect from this IP address. Please ask your admin for access.",
        )
    }

    /// A 403 with no known text, as when an admin turned API-token sign-in off.
    pub fn forbidden() -> Self {
        Self::text(403, "Forbidden")
    }

    /// A gateway failure page.
    pub fn server_error() -> Self {
        Self::Reply {
            status: 502,
            content_type: "text/html",
            body: b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
        }
    }

    /// A 200 web page, as a captive portal or proxy login page answers.
    pub fn html_page() -> Self {
        Self::Reply {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: b"<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>Welcome</body></html>".to_vec(),
        }
    }

    /// A 200 JSON reply of `bytes` bytes.
    pub fn huge_reply(bytes: usize) -> Self {
        let mut body = br#"{"jsonrpc":"2.0","id":1,"result":{"padding":""#.to_vec();
        body.resize(bytes, b'x');
        body.extend_from_slice(br#""}}"#);
        Self::Reply {
            status: 200,
            content_type: "application/json",
            body,
        }
    }

    /// A 200 JSON reply whose bytes are not UTF-8.
    pub fn invalid_utf8() -> Self {
        Self::Reply {
            status: 200,
            content_type: "application/json",
            body: b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"\xff\xfe\xfd\"}".to_vec(),
        }
    }

    fn text(status: u16, body: &str) -> Self {
        Self::Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
        }
    }
}
