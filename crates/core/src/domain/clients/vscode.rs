//! VS Code with GitHub Copilot: `mcp.json` in the user folder, servers under `servers`,
//! and `inputs` so VS Code can ask for the secret and keep it (research/clients.md §2.4).

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, ClientProfile, EntryShape, SERVERS, TYPED_HTTP, TYPED_STDIO,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "vscode",
    name: "VS Code",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["code"],
    shape: EntryShape::remote(SERVERS, TYPED_HTTP).or_local(TYPED_STDIO),
    prompt_inputs: true,
    needs_restart: false,
    former: &[],
    profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.vscode_user("Code", &["mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Visual Studio Code.app");
    markers.push(environment.vscode_user("Code", &[]));
    markers
}

/// The profiles that keep their own MCP servers (`profiles::vscode_profiles`).
fn profiles(environment: &ClientEnvironment) -> Vec<ClientProfile> {
    super::profiles::vscode_profiles(environment, "Code")
}
