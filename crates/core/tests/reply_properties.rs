//! Property tests of the MCP reply parser (design §4): whatever status, content type and bytes
//! a server sends, the parser never panics, a failure is one of the reply kinds of design §4
//! with the status kept and a body excerpt of at most 256 bytes, and a well-formed reply is
//! read the same whether it comes as JSON or inside an event stream among other events. The
//! invariants the fuzz target checks too come from `rovo_mcp_invariants::replies`.

use proptest::prelude::*;
use proptest::sample::select;
use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::domain::probe::parse_http_reply;
use rovo_mcp_invariants::replies::check_http_reply;
use serde_json::{Value, json};

const HOST: &str = "mcp.example.com";

fn content_type() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "application/json",
            "application/json; charset=utf-8",
            "text/event-stream",
            "Text/Event-Stream",
            "text/html",
            "",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

/// Bytes a server might send: random, random text, or JSON-RPC and event-stream fragments
/// joined in any order, in bodies longer than the excerpt.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop_oneof![
        select(vec![
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"no\"}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}",
            "data: ",
            "data:",
            "id: 7\n",
            "event: message\n",
            ": keep-alive\n",
            "\n\n",
            "\r\n\r\n",
            "\n",
            "<html>",
            "é",
            "You don't have permission to connect from this IP address",
            "requires a modern API token",
        ])
        .prop_map(|text| text.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600),
        any::<String>().prop_map(String::into_bytes),
        proptest::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat()),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        select(vec![
            200, 202, 204, 301, 307, 400, 401, 403, 404, 429, 500, 503
        ]),
        100u16..600,
    ]
}

/// A JSON-RPC result: any small JSON value.
fn result_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Events a server may send before its reply: notifications, priming events, comments.
fn other_event() -> impl Strategy<Value = String> {
    select(vec![
        "id: 0\ndata:",
        ": keep-alive",
        "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}",
        "data: {\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_reply_is_a_result_or_a_defined_failure(
        status in status(),
        content_type in content_type(),
        body in body(),
        id in 0u64..4,
    ) {
        check_http_reply(status, &content_type, id, &body);
    }

    #[test]
    fn a_reply_reads_the_same_as_json_or_in_an_event_stream(
        result in result_value(),
        id in any::<u32>(),
        before in proptest::collection::vec(other_event(), 0..4),
        crlf in any::<bool>(),
    ) {
        let id = u64::from(id);
        let reply = json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string();
        let from_json = parse_http_reply(HOST, "tools/list", id, 200, "application/json", reply.as_bytes());
        prop_assert_eq!(from_json.as_ref().ok(), Some(&result), "a JSON reply gives its result");

        let separator = if crlf { "\r\n\r\n" } else { "\n\n" };
        let mut stream = String::new();
        for event in &before {
            stream.push_str(event);
            stream.push_str(separator);
        }
        stream.push_str("event: message\ndata: ");
        stream.push_str(&reply);
        stream.push_str(separator);
        let from_stream = parse_http_reply(HOST, "tools/list", id, 200, "text/event-stream", stream.as_bytes());
        prop_assert_eq!(from_stream.ok(), Some(result), "the reply is found among other events");
    }

    #[test]
    fn the_status_decides_the_kind_of_a_refusal(
        body in body(),
        content_type in content_type(),
    ) {
        for (status, kind) in [
            (401, ErrorKind::Unauthorized),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::ServerError),
            (503, ErrorKind::ServerError),
        ] {
            let failure = parse_http_reply(HOST, "initialize", 1, status, &content_type, &body)
                .expect_err("a refusal is never a result");
            prop_assert_eq!(failure.kind, kind, "HTTP {} is {:?} whatever the body", status, kind);
        }
    }
}
