//! Zed: servers are `context_servers` in the editor's whole `settings.json` (JSONC), so only
//! that member may change (research/clients.md §2.8). `~/.config/zed` on macOS and Linux
//! (`$XDG_CONFIG_HOME` on Linux), `%APPDATA%\Zed` on Windows. Zed reloads settings itself.

use std::path::{Path, PathBuf};

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, Os, Placement, URL_AND_HEADERS,
};
use crate::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "zed",
    name: "Zed",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["zed", "zeditor"],
    shape: EntryShape::remote(Placement::Member(&["context_servers"]), URL_AND_HEADERS)
        .or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => vec![environment.app_config(&["Zed", "settings.json"])],
        Os::Linux => vec![environment.xdg_config(&["zed", "settings.json"])],
        Os::MacOs => vec![environment.home(&[".config", "zed", "settings.json"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Zed.app");
    markers.extend(
        config_files(environment)
            .iter()
            .filter_map(|file| file.parent().map(Path::to_path_buf)),
    );
    markers
}
