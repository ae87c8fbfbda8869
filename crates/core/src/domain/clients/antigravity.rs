//! Google Antigravity (IDE): `~/.gemini/antigravity/mcp_config.json` on every OS; remote
//! servers use `serverUrl` (research/clients.md §2.7).

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, SERVER_URL_AND_HEADERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "antigravity",
    name: "Google Antigravity",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["antigravity"],
    shape: EntryShape::remote(MCP_SERVERS, SERVER_URL_AND_HEADERS).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".gemini", "antigravity", "mcp_config.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Antigravity.app");
    markers.push(environment.home(&[".gemini", "antigravity"]));
    markers
}
