//! opencode: `~/.config/opencode/opencode.json` (or `.jsonc`) on every OS, servers under `mcp`
//! with `type: remote`; `oauth: false` stops it starting an OAuth flow over our header
//! (research/clients.md §2.13).
//! A local server is in opencode's own notation (`LOCAL_COMMAND_LINE`).

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, Constant, EntryShape, Field, LOCAL_COMMAND_LINE, Placement,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "opencode",
    name: "opencode",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["opencode"],
    shape: EntryShape::remote(
        Placement::Member(&["mcp"]),
        &[
            Field::Constant("type", Constant::Text("remote")),
            Field::Url("url"),
            Field::Headers("headers"),
            Field::Constant("oauth", Constant::Flag(false)),
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
        environment.xdg_config(&["opencode", "opencode.json"]),
        environment.xdg_config(&["opencode", "opencode.jsonc"]),
    ]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.xdg_config(&["opencode"])]
}
