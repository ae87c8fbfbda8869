//! JetBrains Junie: `~/.junie/mcp/mcp.json`; Junie runs stdio servers only, so it gets the
//! `mcp-remote` bridge (research/clients.md §2.21).

use std::path::PathBuf;

use super::{COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, no_profiles};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "junie",
    name: "JetBrains Junie",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &[],
    shape: EntryShape::local_only(MCP_SERVERS, COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".junie", "mcp", "mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".junie"])]
}
