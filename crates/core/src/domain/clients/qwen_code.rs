//! Qwen Code: `~/.qwen/settings.json`, Gemini CLI's older `httpUrl` notation for Streamable
//! HTTP (research/clients.md §2.25).

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, Field, MCP_SERVERS, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "qwen-code",
    name: "Qwen Code",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["qwen"],
    shape: EntryShape::remote(
        MCP_SERVERS,
        &[Field::Url("httpUrl"), Field::Headers("headers")],
    )
    .or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".qwen", "settings.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".qwen"])]
}
