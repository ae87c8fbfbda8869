//! Visual Studio 2022 17.14+ (Windows only): `%USERPROFILE%\.mcp.json` with `servers`
//! (research/clients.md §2.25).

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, EntryShape, Os, SERVERS, TYPED_HTTP, TYPED_STDIO, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "visual-studio",
    name: "Visual Studio",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &[],
    shape: EntryShape::remote(SERVERS, TYPED_HTTP).or_local(TYPED_STDIO),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => vec![environment.home(&[".mcp.json"])],
        Os::MacOs | Os::Linux => Vec::new(),
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => vec![environment.local_app_data(&["Microsoft", "VisualStudio"])],
        Os::MacOs | Os::Linux => Vec::new(),
    }
}
