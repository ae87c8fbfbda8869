//! Google Antigravity CLI (`agy`), which replaced Gemini CLI's personal tier on 2026-06-18:
//! `~/.gemini/config/mcp_config.json` on every OS, `mcpServers` with the IDE's `serverUrl`
//! notation, strict JSON (a comment stops `agy` from starting). Sources, secondary only (no
//! Google source was found): the MESCIUS migration guide, jgravelle/jcodemunch-mcp v1.108.89
//! release notes (2026-06-30) and stbenjam/skillsaw `docs/rules/antigravity-mcp-valid.md`
//! (measured against agy 1.1.25), read 2026-12-04.

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, SERVER_URL_AND_HEADERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "antigravity-cli",
    name: "Antigravity CLI",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["agy"],
    shape: EntryShape::remote(MCP_SERVERS, SERVER_URL_AND_HEADERS).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".gemini", "config", "mcp_config.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".gemini", "config"])]
}
