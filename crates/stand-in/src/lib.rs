//! A stand-in for Atlassian's Rovo MCP server: a real MCP Streamable HTTP server (rmcp, served
//! with hyper) on a loopback port that answers like the endpoint as it is today
//! (research/atlassian-mcp.md, corrections of 2026-12-03). `--demo` runs it for anyone to walk
//! the wizard without an account; the tests run it with the faults they inject.
//!
//! `/v2/mcp` lists the primary tools with the meta-tools, `/v2/mcp?tools=all` the flat,
//! paginated list of every tool, `/v1/mcp` every tool under the v1 names (ignoring
//! `?tools=all`). It accepts the credentials it is given (exact values, or a rule), lists the
//! tools each one unlocks, refuses at call time inside a tool result (API-token sign-in off, IP
//! allowlist, classic token, scopes) or with a 403, and refuses or misbehaves the way the real
//! server and the networks in front of it do (§2.3): 401 with a plain-text body, the
//! legacy-token and IP-allowlist 403s, 429 with `Retry-After`, 5xx, an HTML page, a reply that
//! hangs, an event stream that never ends, a huge or non-UTF-8 reply, a JSON-RPC error, slow
//! replies. Beside them, `/oauth/token` stands in for Atlassian's OAuth token endpoint: a service
//! account's client ID and secret for short-lived access tokens the MCP paths accept until they
//! expire. Every request is logged with its start and end. It only ever listens on 127.0.0.1.

mod catalogue;
mod faults;
mod front;
mod handler;
mod log;
mod server;
mod token_endpoint;

pub use catalogue::{
    API_TOKEN_OFF_REFUSAL, CLASSIC_TOKEN_REFUSAL, CallRefusal, CatalogueTool, Grant, IP_REFUSAL,
    META_TOOLS, OddAccount, PLATFORM_TOOLS, PRODUCT_TOOLS, SCOPE_REFUSAL, SECOND_SITE_CLOUD_ID,
    SECOND_SITE_URL, Surface, TEAMWORK_GRAPH_TOOLS,
};
pub use faults::{HeaderEcho, Misbehaviour};
pub use log::{LoggedRequest, RequestLog};
pub use server::{
    ACCOUNT_EMAIL, Identity, MCP_PATH, SITE_CLOUD_ID, SITE_URL, STAND_IN_PROMPT,
    STAND_IN_RESOURCE_URI, StandInServer, StandInServerBuilder, V1_MCP_PATH,
};
pub use token_endpoint::{ACCESS_TOKEN_PREFIX, TOKEN_PATH, TokenAnswer};
