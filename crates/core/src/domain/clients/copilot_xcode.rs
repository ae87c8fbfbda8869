//! GitHub Copilot for Xcode (macOS only): `~/.config/github-copilot/xcode/mcp.json`, built from
//! the home folder without XDG variables, servers under `servers`, the header under
//! `requestInit.headers`; strict JSON. Source: github/CopilotForXcode
//! `Core/Sources/HostApp/ToolsSettings/MCPConfigConstants.swift` and
//! `MCPRegistryInstallation.swift` at 0320f12 (2026-02-05), read 2026-12-04.

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, Constant, EntryShape, Field, Os, SERVERS, TYPED_STDIO, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "copilot-xcode",
    name: "GitHub Copilot for Xcode",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &[],
    shape: EntryShape::remote(
        SERVERS,
        &[
            Field::Constant("type", Constant::Text("http")),
            Field::Url("url"),
            Field::NestedHeaders("requestInit"),
        ],
    )
    .or_local(TYPED_STDIO),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::MacOs => vec![environment.home(&[".config", "github-copilot", "xcode", "mcp.json"])],
        Os::Linux | Os::Windows => Vec::new(),
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("GitHub Copilot for Xcode.app");
    markers.extend(
        config_files(environment)
            .iter()
            .filter_map(|file| file.parent().map(std::path::Path::to_path_buf)),
    );
    markers
}
