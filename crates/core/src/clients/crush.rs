//! Crush (Charm): `crush.json` in the XDG config folder (`%LOCALAPPDATA%\crush` on Windows),
//! servers under `mcp` with `type: http` (research/clients.md §2.25).

use std::path::{Path, PathBuf};

use super::{Client, ClientEnvironment, EntryShape, Os, Placement, TYPED_HTTP};
use crate::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "crush",
    name: "Crush",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["crush"],
    shape: EntryShape::Remote {
        placement: Placement::Member(&["mcp"]),
        fields: TYPED_HTTP,
    },
    prompt_inputs: false,
    needs_restart: false,
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => vec![environment.local_app_data(&["crush", "crush.json"])],
        Os::MacOs | Os::Linux => vec![environment.xdg_config(&["crush", "crush.json"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    config_files(environment)
        .iter()
        .filter_map(|file| file.parent().map(Path::to_path_buf))
        .collect()
}
