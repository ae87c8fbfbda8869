//! Windsurf: `~/.codeium/windsurf/mcp_config.json` on every OS; remote servers use
//! `serverUrl` (research/clients.md §2.5). Its MCP panel needs a refresh after a change.

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, SERVER_URL_AND_HEADERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "windsurf",
    name: "Windsurf",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["windsurf"],
    shape: EntryShape::remote(MCP_SERVERS, SERVER_URL_AND_HEADERS).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".codeium", "windsurf", "mcp_config.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Windsurf.app");
    markers.push(environment.home(&[".codeium", "windsurf"]));
    markers
}
