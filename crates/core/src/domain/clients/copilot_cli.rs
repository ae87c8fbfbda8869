//! GitHub Copilot CLI: `~/.copilot/mcp-config.json`, relocated by `COPILOT_HOME`;
//! `tools: ["*"]` enables every tool (research/clients.md §2.18). Versions since 1.0 ignore
//! `XDG_CONFIG_HOME` (github/copilot-cli#1954), so it does not move the file here either.
//! A local server is `{"type": "local", "command", "args", "env", "tools"}`; Copilot CLI passes
//! it `PATH` only (github/docs `add-mcp-servers.md`, read 2026-12-04).

use std::path::{Path, PathBuf};

use super::{Client, ClientEnvironment, Constant, EntryShape, Field, MCP_SERVERS, no_profiles};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "copilot-cli",
    name: "GitHub Copilot CLI",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["copilot"],
    shape: EntryShape::remote(
        MCP_SERVERS,
        &[
            Field::Constant("type", Constant::Text("http")),
            Field::Url("url"),
            Field::Headers("headers"),
            Field::Constant("tools", Constant::TextList(&["*"])),
        ],
    )
    .or_local(&[
        Field::Constant("type", Constant::Text("local")),
        Field::Command("command"),
        Field::Arguments("args"),
        Field::Environment("env"),
        Field::Constant("tools", Constant::TextList(&["*"])),
    ]),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.variable("COPILOT_HOME") {
        Some(folder) => vec![environment.join(Path::new(folder), &["mcp-config.json"])],
        None => vec![environment.home(&[".copilot", "mcp-config.json"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    config_files(environment)
        .iter()
        .filter_map(|file| file.parent().map(Path::to_path_buf))
        .collect()
}
