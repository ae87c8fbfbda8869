//! Trae: `mcp.json` in its VS Code-style user folder, Cursor's notation
//! (research/clients.md §2.23; the Linux folder is unverified).

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, URL_AND_HEADERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "trae",
    name: "Trae",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["trae"],
    shape: EntryShape::remote(MCP_SERVERS, URL_AND_HEADERS).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.app_config(&["Trae", "User", "mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Trae.app");
    markers.push(environment.app_config(&["Trae"]));
    markers
}
