//! Roo Code (VS Code extension): `mcp_settings.json` in VS Code's `globalStorage`; an entry
//! with `url` must name its `type` (research/clients.md §2.11).

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, EntryShape, MCP_SERVERS, STREAMABLE_HTTP, TYPED_STDIO, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "roo-code",
    name: "Roo Code",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &[],
    shape: EntryShape::remote(MCP_SERVERS, STREAMABLE_HTTP).or_local(TYPED_STDIO),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.vscode_user(
        "Code",
        &[
            "globalStorage",
            "rooveterinaryinc.roo-cline",
            "settings",
            "mcp_settings.json",
        ],
    )]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.vscode_user("Code", &["globalStorage", "rooveterinaryinc.roo-cline"])]
}
