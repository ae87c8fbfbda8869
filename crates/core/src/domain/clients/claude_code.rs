//! Claude Code: user-scope servers live at the top of `~/.claude.json`, which
//! `CLAUDE_CONFIG_DIR` relocates (research/clients.md §2.2). Claude Code rewrites this file itself
//! all the time, which is why writes check for changes right before the rename.

use std::path::{Path, PathBuf};

use super::{
    Client, ClientEnvironment, EntryShape, MCP_SERVERS, TYPED_HTTP, TYPED_STDIO, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "claude-code",
    name: "Claude Code",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["claude"],
    shape: EntryShape::remote(MCP_SERVERS, TYPED_HTTP)
        .or_local(TYPED_STDIO)
        .with_headers_helper("headersHelper"),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.variable("CLAUDE_CONFIG_DIR") {
        Some(folder) => vec![environment.join(Path::new(folder), &[".claude.json"])],
        None => vec![environment.home(&[".claude.json"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".claude"])]
}
