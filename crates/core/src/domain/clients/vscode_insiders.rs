//! VS Code Insiders: the same file and shape as VS Code, in the `Code - Insiders` folder.

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, ClientProfile, EntryShape, SERVERS, TYPED_HTTP, TYPED_STDIO,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "vscode-insiders",
    name: "VS Code Insiders",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["code-insiders"],
    shape: EntryShape::remote(SERVERS, TYPED_HTTP).or_local(TYPED_STDIO),
    prompt_inputs: true,
    needs_restart: false,
    former: &[],
    profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.vscode_user("Code - Insiders", &["mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Visual Studio Code - Insiders.app");
    markers.push(environment.vscode_user("Code - Insiders", &[]));
    markers
}

/// The profiles that keep their own MCP servers (`profiles::vscode_profiles`).
fn profiles(environment: &ClientEnvironment) -> Vec<ClientProfile> {
    super::profiles::vscode_profiles(environment, "Code - Insiders")
}
