//! Amp (Sourcegraph's coding agent): `~/.config/amp/settings.json` (or `settings.jsonc`) on
//! every OS, moved by `AMP_SETTINGS_FILE`; servers under the literal top-level key
//! `amp.mcpServers`, Cursor's notation. Sources, secondary only (the shipped CLI is not readable
//! as text): developersdigest.tech's Amp configuration reference and the anchorbrowser docs
//! (tested with the CLI of 2026-12-02), read 2026-12-04; schema
//! `https://ampcode.com/cli-settings.schema.json`.

use std::path::PathBuf;

use super::{
    COMMAND_AND_ARGS, Client, ClientEnvironment, EntryShape, LocationVariable, Placement,
    URL_AND_HEADERS, no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "amp",
    name: "Amp",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["amp"],
    shape: EntryShape::remote(Placement::Member(&["amp.mcpServers"]), URL_AND_HEADERS)
        .or_local(COMMAND_AND_ARGS),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[LocationVariable::File("AMP_SETTINGS_FILE")],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    if let Some(file) = environment.variable("AMP_SETTINGS_FILE") {
        return vec![PathBuf::from(file)];
    }
    vec![
        environment.home(&[".config", "amp", "settings.json"]),
        environment.home(&[".config", "amp", "settings.jsonc"]),
    ]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".config", "amp"])]
}
