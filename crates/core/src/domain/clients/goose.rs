//! Goose (CLI and Desktop): `config.yaml` with an `extensions` map; remote servers are
//! `streamable_http` with a `uri` (research/clients.md §2.15).
//! A local server is `{type: stdio, cmd, args, envs, …}` with a `description` the loader
//! requires (aaif-goose/goose `documentation/docs/guides/config-files.md`, read 2026-12-04).

use std::path::{Path, PathBuf};

use super::{Client, ClientEnvironment, Constant, EntryShape, Field, Os, Placement, no_profiles};
use crate::plumbing::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "goose",
    name: "Goose",
    format: ConfigFormat::Yaml,
    config_files,
    install_markers,
    commands: &["goose"],
    shape: EntryShape::remote(
        Placement::Member(&["extensions"]),
        &[
            Field::Constant("enabled", Constant::Flag(true)),
            Field::Constant("type", Constant::Text("streamable_http")),
            Field::Name("name"),
            Field::Constant("description", Constant::Text("Atlassian Rovo MCP server")),
            Field::Url("uri"),
            Field::Headers("headers"),
            Field::Constant("timeout", Constant::Number(300)),
        ],
    )
    .or_local(&[
        Field::Constant("enabled", Constant::Flag(true)),
        Field::Constant("type", Constant::Text("stdio")),
        Field::Name("name"),
        Field::Constant("description", Constant::Text("Atlassian Rovo MCP server")),
        Field::Command("cmd"),
        Field::Arguments("args"),
        Field::Environment("envs"),
        Field::Constant("timeout", Constant::Number(300)),
    ]),
    prompt_inputs: false,
    needs_restart: true,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    match environment.os() {
        Os::Windows => vec![environment.app_config(&["Block", "goose", "config", "config.yaml"])],
        Os::MacOs | Os::Linux => vec![environment.xdg_config(&["goose", "config.yaml"])],
    }
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    let mut markers = environment.app_bundles("Goose.app");
    markers.extend(
        config_files(environment)
            .iter()
            .filter_map(|file| file.parent().map(Path::to_path_buf)),
    );
    markers
}
