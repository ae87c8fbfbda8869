//! What the app knows about: credentials and auth methods, service accounts' OAuth clients and
//! their access tokens, the Rovo MCP server and its probe,
//! the tool catalogue, every client's config, the organisation's policy, secrets and the
//! keychain, the bridge, and when to remind.

pub mod auth_method;
pub mod bridge;
pub mod catalogue;
pub mod clients;
pub mod credentials;
pub mod oauth;
pub mod policy;
pub mod probe;
pub mod reminders;
pub mod secrets;
