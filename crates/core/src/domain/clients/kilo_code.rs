//! Kilo Code (7.x extension and `kilo` CLI): `~/.config/kilo/kilo.jsonc` (or `kilo.json`),
//! servers under `mcp` with `type: remote` (research/clients.md §2.12).
//! A local server is in the notation of opencode, which Kilo forks (`LOCAL_COMMAND_LINE`;
//! Kilo-Org/kilocode `packages/kilo-docs/pages/automate/mcp/using-in-kilo-code.md`, read
//! 2026-12-04).

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, Constant, EntryShape, Field, LOCAL_COMMAND_LINE, Placement,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "kilo-code",
    name: "Kilo Code",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["kilo"],
    shape: EntryShape::remote(
        Placement::Member(&["mcp"]),
        &[
            Field::Constant("type", Constant::Text("remote")),
            Field::Url("url"),
            Field::Headers("headers"),
            Field::Constant("enabled", Constant::Flag(true)),
        ],
    )
    .or_local(LOCAL_COMMAND_LINE),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![
        environment.xdg_config(&["kilo", "kilo.jsonc"]),
        environment.xdg_config(&["kilo", "kilo.json"]),
    ]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.xdg_config(&["kilo"])]
}
