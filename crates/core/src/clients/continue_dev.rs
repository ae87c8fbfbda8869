//! Continue (VS Code/JetBrains extension, `cn` CLI): `~/.continue/config.yaml`, where
//! `mcpServers` is a list of named items and headers sit under `requestOptions`
//! (research/clients.md §2.16).

use std::path::PathBuf;

use super::{Client, ClientEnvironment, Constant, EntryShape, Field, Placement};
use crate::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "continue",
    name: "Continue",
    format: ConfigFormat::Yaml,
    config_files,
    install_markers,
    commands: &["cn"],
    shape: EntryShape::Remote {
        placement: Placement::NamedListItem(&["mcpServers"]),
        fields: &[
            Field::Name("name"),
            Field::Constant("type", Constant::Text("streamable-http")),
            Field::Url("url"),
            Field::NestedHeaders("requestOptions"),
        ],
    },
    prompt_inputs: false,
    needs_restart: false,
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".continue", "config.yaml"])]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.home(&[".continue"])]
}
