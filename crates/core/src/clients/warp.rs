//! Warp: the file-based servers of `~/.warp/.mcp.json`, Cursor's notation
//! (research/clients.md §2.22).

use std::path::PathBuf;

use super::{Client, ClientEnvironment, EntryShape, MCP_SERVERS, URL_AND_HEADERS};
use crate::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "warp",
    name: "Warp",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["warp", "warp-terminal"],
    shape: EntryShape::Remote {
        placement: MCP_SERVERS,
        fields: URL_AND_HEADERS,
    },
    prompt_inputs: false,
    needs_restart: false,
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".warp", ".mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Warp.app");
    markers.push(environment.home(&[".warp"]));
    markers
}
