//! Cursor (IDE and `cursor-agent`): `~/.cursor/mcp.json` on every OS, Cursor's own
//! `{url, headers}` notation (research/clients.md §2.3).

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, URL_AND_HEADERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "cursor",
    name: "Cursor",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["cursor", "cursor-agent"],
    shape: EntryShape::remote(MCP_SERVERS, URL_AND_HEADERS).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".cursor", "mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Cursor.app");
    markers.push(environment.home(&[".cursor"]));
    markers
}
