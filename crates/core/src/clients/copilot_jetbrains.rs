//! GitHub Copilot for JetBrains IDEs: `github-copilot/intellij/mcp.json` in the per-user data
//! folder, VS Code's `servers` notation (research/clients.md §2.19).

use std::path::{Path, PathBuf};

use super::{Client, ClientEnvironment, EntryShape, Os, SERVERS, TYPED_HTTP};
use crate::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "copilot-jetbrains",
    name: "GitHub Copilot for JetBrains",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &[],
    shape: EntryShape::Remote {
        placement: SERVERS,
        fields: TYPED_HTTP,
    },
    prompt_inputs: false,
    needs_restart: true,
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => {
            vec![environment.local_app_data(&["github-copilot", "intellij", "mcp.json"])]
        }
        Os::MacOs => vec![environment.app_config(&["github-copilot", "intellij", "mcp.json"])],
        Os::Linux => vec![environment.xdg_data(&["github-copilot", "intellij", "mcp.json"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    config_files(environment)
        .iter()
        .filter_map(|file| file.parent().map(Path::to_path_buf))
        .collect()
}
