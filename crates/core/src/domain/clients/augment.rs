//! Augment (the Auggie CLI and the IDE extensions): `~/.augment/settings.json`, read as JSONC,
//! servers under `mcpServers`, `{type: "http", url, headers}` or a local command. Source: the
//! published `@augmentcode/auggie` 0.36.0 package (`augment.mjs`), read 2026-12-04, and
//! Augment's changelog for CLI 0.5.4.

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, MCP_SERVERS, TYPED_HTTP, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "augment",
    name: "Augment (Auggie)",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["auggie"],
    shape: EntryShape::remote(MCP_SERVERS, TYPED_HTTP).or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".augment", "settings.json"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".augment"])]
}
