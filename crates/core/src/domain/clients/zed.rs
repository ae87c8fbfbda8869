//! Zed: servers are `context_servers` in the editor's whole `settings.json` (JSONC), so only
//! that member may change (research/clients.md §2.8). `~/.config/zed` on macOS and Linux
//! (`$XDG_CONFIG_HOME` on Linux, the Flatpak sandbox's folder for Zed from Flathub),
//! `%APPDATA%\Zed` on Windows. Zed reloads settings itself.

use std::path::{Path, PathBuf};

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, Os, Placement, URL_AND_HEADERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

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
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => vec![environment.app_config(&["Zed", "settings.json"])],
        Os::Linux => vec![
            environment.xdg_config(&["zed", "settings.json"]),
            flatpak_config(environment),
        ],
        Os::MacOs => vec![environment.home(&[".config", "zed", "settings.json"])],
    }
}

/// Zed from Flathub reads its settings in its sandbox's config folder, which it passes on as
/// `FLATPAK_XDG_CONFIG_HOME` when it leaves the sandbox (zed-industries/zed
/// `crates/paths/src/paths.rs` and `crates/cli/src/main.rs`, flathub/dev.zed.Zed `zed.sh`,
/// read 2026-12-04). Chosen when only its folder exists.
fn flatpak_config(environment: &ClientEnvironment) -> PathBuf {
    environment.home(&[
        ".var",
        "app",
        "dev.zed.Zed",
        "config",
        "zed",
        "settings.json",
    ])
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Zed.app");
    markers.extend(
        config_files(environment)
            .iter()
            .filter_map(|file| file.parent().map(Path::to_path_buf)),
    );
    if environment.os() == Os::Linux {
        markers.push(environment.home(&[".var", "app", "dev.zed.Zed"]));
        markers.push(environment.xdg_data(&["flatpak", "app", "dev.zed.Zed"]));
    }
    markers
}
