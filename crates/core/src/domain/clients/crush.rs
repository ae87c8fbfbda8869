//! Crush (Charm): the user config `crush/crush.json` in the XDG config folder on every OS
//! (`$XDG_CONFIG_HOME` or `~/.config`, Windows included), moved by `CRUSH_GLOBAL_CONFIG`;
//! servers under `mcp` with `type: http`. `%LOCALAPPDATA%\crush\crush.json` is Crush's own
//! machine-owned state ("should not be edited by hand"), where entries were written before: an
//! entry of ours there is moved. Source: charmbracelet/crush `internal/home/home.go` and
//! `internal/config/load.go`, read 2026-12-03 (research/clients.md, corrections).

use std::path::{Path, PathBuf};

use super::{
    Client, ClientEnvironment, EntryShape, LocationVariable, Os, Placement, TYPED_HTTP,
    TYPED_STDIO, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

const SHAPE: EntryShape =
    EntryShape::remote(Placement::Member(&["mcp"]), TYPED_HTTP).or_local(TYPED_STDIO);

pub(super) const CLIENT: Client = Client {
    id: "crush",
    name: "Crush",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["crush"],
    shape: SHAPE,
    prompt_inputs: false,
    needs_restart: false,
    former: &[&WINDOWS_STATE],
    profiles: no_profiles,
    location_variables: &[LocationVariable::Folder("CRUSH_GLOBAL_CONFIG")],
};

/// `%LOCALAPPDATA%\crush\crush.json`, Crush's state on Windows.
const WINDOWS_STATE: Client = Client {
    id: "crush-windows-state",
    name: "Crush",
    format: ConfigFormat::Json,
    config_files: windows_state,
    install_markers: windows_state,
    commands: &[],
    shape: SHAPE,
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.variable("CRUSH_GLOBAL_CONFIG") {
        Some(folder) => vec![environment.join(Path::new(folder), &["crush.json"])],
        None => vec![environment.xdg_config(&["crush", "crush.json"])],
    }
}

fn windows_state(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => vec![environment.local_app_data(&["crush", "crush.json"])],
        Os::MacOs | Os::Linux => Vec::new(),
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    config_files(environment)
        .iter()
        .filter_map(|file| file.parent().map(Path::to_path_buf))
        .collect()
}
