//! Test-only stand-ins for the world outside the app, started and stopped by the tests that use
//! them: a private Secret Service, a desktop-notification server on that private bus, and a
//! private X display; and the test secrets with the suite-wide scan for them. The stand-in MCP
//! server is a crate of its own (`rovo-stand-in`), as the demo serves it too. Nothing here
//! reaches another host.

pub mod leak_scan;
pub mod notifications;
pub mod secret_service;
pub mod virtual_display;
