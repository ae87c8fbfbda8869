//! Warp: the file-based servers of `~/.warp/.mcp.json`, Cursor's notation
//! (research/clients.md §2.22).

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, URL_AND_HEADERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "warp",
    name: "Warp",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["warp", "warp-terminal"],
    shape: EntryShape::remote(MCP_SERVERS, URL_AND_HEADERS).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".warp", ".mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Warp.app");
    markers.push(environment.home(&[".warp"]));
    markers
}
