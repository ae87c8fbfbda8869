//! GitHub Copilot for JetBrains IDEs: `github-copilot/intellij/mcp.json` under `~/.config` on
//! macOS and Linux and under `%LOCALAPPDATA%` on Windows, VS Code's `servers` notation. It drops
//! a remote entry's top-level `headers` without a word (microsoft/copilot-intellij-feedback#1579
//! and #1462, open on 2026-12-03), so the header never reaches the server: it gets a local
//! server, our bridge or `mcp-remote`. Earlier releases read the per-user data folder
//! (`~/.local/share`, `~/Library/Application Support`): an entry of ours there is moved.
//! Source: research/clients.md, corrections of 2026-12-03.

use std::path::{Path, PathBuf};

use super::{Client, ClientEnvironment, EntryShape, Os, SERVERS, TYPED_STDIO, no_profiles};
use crate::plumbing::edit::ConfigFormat;

const SHAPE: EntryShape = EntryShape::local_only(SERVERS, TYPED_STDIO);

pub(super) const CLIENT: Client = Client {
    id: "copilot-jetbrains",
    name: "GitHub Copilot for JetBrains",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &[],
    shape: SHAPE,
    prompt_inputs: false,
    needs_restart: true,
    former: &[&DATA_FOLDER],
    profiles: no_profiles,
    location_variables: &[],
};

/// The per-user data folder that macOS and Linux releases read before.
const DATA_FOLDER: Client = Client {
    id: "copilot-jetbrains-data-folder",
    name: "GitHub Copilot for JetBrains",
    format: ConfigFormat::Json,
    config_files: data_folder,
    install_markers: data_folder,
    commands: &[],
    shape: SHAPE,
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => {
            vec![environment.local_app_data(&["github-copilot", "intellij", "mcp.json"])]
        }
        Os::MacOs | Os::Linux => {
            vec![environment.home(&[".config", "github-copilot", "intellij", "mcp.json"])]
        }
    }
}

fn data_folder(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => Vec::new(),
        Os::MacOs => vec![environment.app_config(&["github-copilot", "intellij", "mcp.json"])],
        Os::Linux => vec![environment.xdg_data(&["github-copilot", "intellij", "mcp.json"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    config_files(environment)
        .iter()
        .chain(&data_folder(environment))
        .filter_map(|file| file.parent().map(Path::to_path_buf))
        .collect()
}
