//! Reads the result of a real tool call strictly. The Rovo MCP server refuses a credential at
//! call time, inside an otherwise good reply: with API-token sign-in turned off or outside the
//! IP allowlist the handshake and the tool list succeed and the call's text is
//! `{"error":true,"message":"You don't have permission to connect via API token. …"}`, with or
//! without `isError` (research/atlassian-mcp.md, corrections of 2026-12-03; reported on
//! atlassian/atlassian-mcp-server issues and support.atlassian.com "Control Atlassian Rovo MCP
//! server settings", read 2026-12-03). A refusal is never taken for the account.

use serde_json::Value;

/// Lower-cased fragments of the server's refusals (research §2.3 and corrections, 2026-12-03).
const API_TOKEN_OFF_TEXT: &str = "permission to connect via api token";
const IP_ALLOWLIST_TEXT: &str = "permission to connect from this ip";
const LEGACY_TOKEN_TEXT: &str = "modern api token";
const SCOPE_TEXT: &str = "insufficient scopes for";
/// A refusal text longer than this is cut when shown.
const MESSAGE_LIMIT: usize = 300;

/// What one tool call told about the credential.
#[derive(Debug, Clone, PartialEq)]
pub enum CallReading {
    /// The call answered with this JSON (structured content, else its text parsed as JSON,
    /// else the text as a string).
    Answered(Value),
    /// The server refused the call for this credential.
    Refused(Refusal),
    /// The call answered with something that says nothing about the credential.
    Unreadable(String),
    /// The server does not offer the tool to this credential.
    NotOffered,
}

/// A refusal at call time, with the server's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: RefusalReason,
    /// The server's message, cut to a few hundred characters.
    pub message: String,
}

/// Why the server refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusalReason {
    /// An organisation admin turned API-token sign-in off.
    ApiTokenSignInOff,
    /// The call came from outside the organisation's IP allowlist.
    IpNotAllowed,
    /// The tools need a modern (scoped) API token: a classic token.
    LegacyToken,
    /// The token lacks a scope the tool needs; the scopes the server named.
    InsufficientScope { scopes: Vec<String> },
    /// Any other refusal the server marked as an error.
    Other,
}

/// Reads the `result` of a `tools/call`.
pub fn read_call(result: &Value) -> CallReading {
    if !result.is_object() {
        return CallReading::Unreadable("the call's result is not an object".to_owned());
    }
    let is_error = result.get("isError").and_then(Value::as_bool) == Some(true);
    let texts: Vec<&str> = result
        .get("content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|block| block.get("text").and_then(Value::as_str))
        .collect();
    let structured = result.get("structuredContent");
    let parsed: Vec<Value> = texts
        .iter()
        .filter_map(|text| serde_json::from_str::<Value>(text).ok())
        .collect();
    for candidate in structured.into_iter().chain(&parsed) {
        if let Some(refusal) = refusal_object(candidate) {
            return CallReading::Refused(refusal);
        }
    }
    for text in &texts {
        if let Some(reason) = known_refusal(text) {
            return CallReading::Refused(Refusal {
                reason,
                message: cut(text),
            });
        }
    }
    if is_error {
        let message = texts.first().map_or_else(
            || "the call reported an error without a message".to_owned(),
            |text| cut(text),
        );
        return CallReading::Unreadable(format!("the call reported an error: {message}"));
    }
    if let Some(structured) = structured {
        return CallReading::Answered(structured.clone());
    }
    match (parsed.into_iter().next(), texts.first()) {
        (Some(value), _) => CallReading::Answered(value),
        (None, Some(text)) => CallReading::Answered(Value::String((*text).to_owned())),
        (None, None) => CallReading::Unreadable("the call's result has no content".to_owned()),
    }
}

/// The JSON-RPC error of a call the server does not offer: an unknown tool.
pub fn is_not_offered(json_rpc_code: Option<i64>) -> bool {
    matches!(json_rpc_code, Some(-32601 | -32602))
}

/// A JSON object that says it is an error: `{"error": true, "message": …}`, or an `error`
/// that is itself a message or an object with one.
fn refusal_object(value: &Value) -> Option<Refusal> {
    let object = value.as_object()?;
    let error = object.get("error")?;
    let message = match error {
        Value::Bool(true) => object.get("message").and_then(Value::as_str),
        Value::String(text) => Some(text.as_str()),
        Value::Object(inner) => inner.get("message").and_then(Value::as_str),
        _ => return None,
    }
    .unwrap_or("the server refused the call without saying why");
    Some(Refusal {
        reason: known_refusal(message).unwrap_or(RefusalReason::Other),
        message: cut(message),
    })
}

/// The refusal a text names, in the server's known words.
pub fn known_refusal(text: &str) -> Option<RefusalReason> {
    let lowered = text.to_lowercase();
    if lowered.contains(API_TOKEN_OFF_TEXT) {
        Some(RefusalReason::ApiTokenSignInOff)
    } else if lowered.contains(IP_ALLOWLIST_TEXT) {
        Some(RefusalReason::IpNotAllowed)
    } else if lowered.contains(LEGACY_TOKEN_TEXT) {
        Some(RefusalReason::LegacyToken)
    } else if lowered.contains(SCOPE_TEXT) {
        Some(RefusalReason::InsufficientScope {
            scopes: required_scopes(text),
        })
    } else {
        None
    }
}

/// The scopes in `… Required: [read:confluence:agent-interface, …]`.
fn required_scopes(text: &str) -> Vec<String> {
    let Some(open) = text.rfind('[') else {
        return Vec::new();
    };
    let rest = &text[open + 1..];
    let close = rest.find(']').unwrap_or(rest.len());
    rest[..close]
        .split(',')
        .map(|scope| scope.trim().trim_matches(['"', '\'']).to_owned())
        .filter(|scope| {
            !scope.is_empty()
                && scope
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        })
        .collect()
}

fn cut(text: &str) -> String {
    let text = text.trim();
    if text.len() <= MESSAGE_LIMIT {
        return text.to_owned();
    }
    let mut end = MESSAGE_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The account in `atlassianUserInfo`'s answer: an object naming someone. Anything else is
/// unreadable, never an account.
pub fn account_of(reading: &CallReading) -> Result<Value, String> {
    match reading {
        CallReading::Answered(value) => {
            let names_someone = value.as_object().is_some_and(|object| {
                ["account_id", "accountId", "email", "name", "displayName"]
                    .iter()
                    .any(|key| object.get(*key).is_some_and(Value::is_string))
            });
            if names_someone {
                Ok(value.clone())
            } else {
                Err("atlassianUserInfo answered with something that is not an account".to_owned())
            }
        }
        CallReading::Unreadable(why) => Err(why.clone()),
        CallReading::Refused(refusal) => Err(refusal.message.clone()),
        CallReading::NotOffered => Err("atlassianUserInfo is not offered".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn text_result(text: &str, is_error: Option<bool>) -> Value {
        let mut result = json!({"content": [{"type": "text", "text": text}]});
        if let Some(is_error) = is_error {
            result["isError"] = json!(is_error);
        }
        result
    }

    #[test]
    fn the_api_token_refusal_is_a_refusal_with_or_without_is_error() {
        let refusal = r#"{"error":true,"message":"You don't have permission to connect via API token. Please ask your organization admin for access."}"#;
        for is_error in [None, Some(false), Some(true)] {
            let CallReading::Refused(found) = read_call(&text_result(refusal, is_error)) else {
                panic!("a refusal object is never an answer (isError {is_error:?})");
            };
            assert_eq!(found.reason, RefusalReason::ApiTokenSignInOff);
            assert!(
                found.message.starts_with("You don't have permission"),
                "the server's words are kept: {}",
                found.message
            );
        }
    }

    #[test]
    fn ip_legacy_and_scope_refusals_are_told_apart() {
        let ip = read_call(&text_result(
            r#"{"error":true,"message":"You don't have permission to connect from this IP address. Please ask your admin for access."}"#,
            None,
        ));
        assert!(matches!(
            ip,
            CallReading::Refused(Refusal {
                reason: RefusalReason::IpNotAllowed,
                ..
            })
        ));
        let legacy = read_call(&text_result(
            "Teamwork Graph tools require a modern API token (API token with scopes).",
            Some(true),
        ));
        assert!(matches!(
            legacy,
            CallReading::Refused(Refusal {
                reason: RefusalReason::LegacyToken,
                ..
            })
        ));
        let scope = read_call(&text_result(
            r#"Insufficient scopes for "getConfluenceContent". Required: [read:confluence:agent-interface]"#,
            Some(true),
        ));
        assert_eq!(
            scope,
            CallReading::Refused(Refusal {
                reason: RefusalReason::InsufficientScope {
                    scopes: vec!["read:confluence:agent-interface".to_owned()]
                },
                message: r#"Insufficient scopes for "getConfluenceContent". Required: [read:confluence:agent-interface]"#.to_owned(),
            }),
            "the missing scope is named"
        );
    }

    #[test]
    fn an_account_is_an_object_naming_someone_and_nothing_else() {
        let answered = read_call(
            &json!({"structuredContent": {"account_id": "a1", "email": "x@example.com"}, "content": []}),
        );
        assert!(
            account_of(&answered).is_ok(),
            "structured content naming an account"
        );
        for (result, why) in [
            (
                text_result("not json at all", None),
                "text that is not JSON",
            ),
            (text_result("[1, 2, 3]", None), "JSON of the wrong shape"),
            (
                text_result(r#"{"unexpected": 1}"#, None),
                "an object naming nobody",
            ),
            (json!({"content": []}), "no content"),
            (text_result("backend down", Some(true)), "an error result"),
            (json!("a string result"), "a result that is not an object"),
        ] {
            assert!(
                account_of(&read_call(&result)).is_err(),
                "{why} is not an account"
            );
        }
    }

    #[test]
    fn an_error_object_of_unknown_words_is_still_a_refusal() {
        let reading = read_call(&text_result(r#"{"error": {"message": "nope"}}"#, None));
        assert!(
            matches!(
                reading,
                CallReading::Refused(Refusal {
                    reason: RefusalReason::Other,
                    ..
                })
            ),
            "an error object is a refusal, whatever it says: {reading:?}"
        );
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let long = format!(r#"{{"error":true,"message":"{}"}}"#, "é".repeat(400));
        let CallReading::Refused(refusal) = read_call(&text_result(&long, None)) else {
            panic!("an error object is a refusal");
        };
        assert!(refusal.message.len() <= MESSAGE_LIMIT + '…'.len_utf8());
    }
}
