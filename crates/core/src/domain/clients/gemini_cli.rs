//! Gemini CLI: user settings `~/.gemini/settings.json` (`$GEMINI_CLI_HOME/.gemini` when set);
//! `url` with an explicit `type` because its docs still read a bare `url` as SSE
//! (research/clients.md §2.6).

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, Constant, EntryShape, Field, LocationVariable,
    MCP_SERVERS, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "gemini-cli",
    name: "Gemini CLI",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["gemini"],
    shape: EntryShape::remote(
        MCP_SERVERS,
        &[
            Field::Url("url"),
            Field::Constant("type", Constant::Text("http")),
            Field::Headers("headers"),
        ],
    )
    .or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[LocationVariable::Folder("GEMINI_CLI_HOME")],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.join(&gemini_home(environment), &[".gemini", "settings.json"])]
}

/// `GEMINI_CLI_HOME` replaces the home folder: the settings are in its `.gemini` folder
/// (google-gemini/gemini-cli `packages/core/src/utils/paths.ts`, `homedir()`, at 5411f11 of
/// 2026-08-21, read 2026-12-04).
fn gemini_home(environment: &ClientEnvironment) -> PathBuf {
    environment
        .variable("GEMINI_CLI_HOME")
        .map_or_else(|| environment.home(&[]), PathBuf::from)
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.join(&gemini_home(environment), &[".gemini"])]
}
