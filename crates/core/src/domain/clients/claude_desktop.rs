//! Claude Desktop: its file takes stdio servers only, so it gets the `mcp-remote` bridge
//! (research/clients.md §2.1). The Windows Store (MSIX) build keeps its file in a package folder.

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, Os, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

const FILE: &str = "claude_desktop_config.json";
pub(super) const CLIENT: Client = Client {
    id: "claude-desktop",
    name: "Claude Desktop",
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
    match environment.os() {
        Os::Windows => vec![
            environment.app_config(&["Claude", FILE]),
            environment.local_app_data(&[
                "Packages",
                "Claude_pzs8sxrjxfjjc",
                "LocalCache",
                "Roaming",
                "Claude",
                FILE,
            ]),
        ],
        Os::MacOs | Os::Linux => vec![environment.app_config(&["Claude", FILE])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Claude.app");
    markers.push(environment.app_config(&["Claude"]));
    markers
}
