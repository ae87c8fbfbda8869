//! Test-only stand-ins for the world outside the app, started and stopped by the tests that use
//! them: an MCP server that behaves like Atlassian's endpoint, and a private Secret Service.
//! Nothing here reaches another host.

pub mod mcp_server;
pub mod secret_service;
