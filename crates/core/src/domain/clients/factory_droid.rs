//! Factory Droid: `~/.factory/mcp.json` with `type: http` (research/clients.md §2.25).

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, EntryShape, MCP_SERVERS, TYPED_HTTP, TYPED_STDIO, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "factory-droid",
    name: "Factory Droid",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["droid"],
    shape: EntryShape::remote(MCP_SERVERS, TYPED_HTTP).or_local(TYPED_STDIO),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".factory", "mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".factory"])]
}
