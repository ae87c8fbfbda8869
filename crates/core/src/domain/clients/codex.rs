//! OpenAI Codex (CLI, IDE extension, app): `$CODEX_HOME/config.toml`, default
//! `~/.codex/config.toml`; remote headers go in `http_headers`, since Codex ignores `headers`
//! (research/clients.md §2.9).

use std::path::{Path, PathBuf};

use super::{Client, ClientEnvironment, Constant, EntryShape, Field, Placement, no_profiles};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "codex",
    name: "OpenAI Codex",
    format: ConfigFormat::Toml,
    config_files,
    install_markers,
    commands: &["codex"],
    shape: EntryShape::remote(
        Placement::Member(&["mcp_servers"]),
        &[Field::Url("url"), Field::Headers("http_headers")],
    )
    .or_local(&[
        Field::Command("command"),
        Field::Arguments("args"),
        Field::Environment("env"),
        // Codex starts a local server with a short list of variables (`DEFAULT_ENV_VARS` in
        // openai/codex codex-rs/rmcp-client/src/utils.rs, read 2026-12-04): the bridge needs
        // the session bus to reach the Secret Service on Linux.
        Field::Constant(
            "env_vars",
            Constant::TextList(&["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"]),
        ),
    ]),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.variable("CODEX_HOME") {
        Some(folder) => vec![environment.join(Path::new(folder), &["config.toml"])],
        None => vec![environment.home(&[".codex", "config.toml"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    config_files(environment)
        .iter()
        .filter_map(|file| file.parent().map(Path::to_path_buf))
        .collect()
}
