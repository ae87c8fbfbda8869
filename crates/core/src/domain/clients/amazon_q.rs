//! Amazon Q Developer (CLI and IDE): the global `~/.aws/amazonq/mcp.json`. It rejects
//! comments, which is fine: we add none and keep the file's own (research/clients.md §2.20).

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, TYPED_HTTP, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "amazon-q",
    name: "Amazon Q Developer",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["q", "qchat"],
    shape: EntryShape::remote(MCP_SERVERS, TYPED_HTTP).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".aws", "amazonq", "mcp.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".aws", "amazonq"])]
}
