//! Continue (VS Code/JetBrains extension, `cn` CLI): one block file of ours,
//! `~/.continue/mcpServers/atlassian-rovo-mcp.yaml`, with the block header Continue requires
//! (`name`, `version`, `schema: v1`) and a one-item `mcpServers` list; headers sit under
//! `requestOptions`. A `config.yaml` we create would fail Continue's schema (`name` and `version`
//! are required) and hide an existing `config.json`, so `config.yaml` is the former location:
//! an entry of ours there is moved. Source: continuedev/continue
//! `packages/config-yaml/src/schemas/index.ts` (`blockSchema`) and `core/util/paths.ts`
//! (`getPrimaryConfigFilePath`), read 2026-12-03 (research/clients.md, corrections).

use std::path::PathBuf;

use super::{
    Client, ClientEnvironment, Constant, EntryShape, Field, LocationVariable, Placement,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

/// The list our item goes in, in the block file and in `config.yaml` alike.
const SERVERS_LIST: Placement = Placement::NamedListItem(&["mcpServers"]);

const REMOTE: &[Field] = &[
    Field::Name("name"),
    Field::Constant("type", Constant::Text("streamable-http")),
    Field::Url("url"),
    Field::NestedHeaders("requestOptions"),
];

pub(super) const CLIENT: Client = Client {
    id: "continue",
    name: "Continue",
    format: ConfigFormat::Yaml,
    config_files,
    install_markers,
    commands: &["cn"],
    shape: EntryShape::remote(SERVERS_LIST, REMOTE)
        .or_local(&[
            Field::Name("name"),
            Field::Constant("type", Constant::Text("stdio")),
            Field::Command("command"),
            Field::Arguments("args"),
            Field::Environment("env"),
        ])
        .in_own_file("name: Atlassian Rovo MCP\nversion: 1.0.0\nschema: v1\n"),
    prompt_inputs: false,
    needs_restart: false,
    former: &[&CONFIG_YAML],
    profiles: no_profiles,
    location_variables: &[LocationVariable::Folder("CONTINUE_GLOBAL_DIR")],
};

/// `~/.continue/config.yaml`, where entries were written before block files.
const CONFIG_YAML: Client = Client {
    id: "continue-config-yaml",
    name: "Continue",
    format: ConfigFormat::Yaml,
    config_files: config_yaml,
    install_markers,
    commands: &[],
    shape: EntryShape::remote(SERVERS_LIST, REMOTE),
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.join(
        &global_folder(environment),
        &["mcpServers", "atlassian-rovo-mcp.yaml"],
    )]
}

fn config_yaml(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.join(&global_folder(environment), &["config.yaml"])]
}

/// `~/.continue`, or `CONTINUE_GLOBAL_DIR` (continuedev/continue `core/util/paths.ts`): Continue
/// reads every `.yaml` file in its `mcpServers` folder, whatever its name
/// (`core/config/loadLocalAssistants.ts`, read 2026-12-04).
fn global_folder(environment: &ClientEnvironment) -> PathBuf {
    environment
        .variable("CONTINUE_GLOBAL_DIR")
        .map_or_else(|| environment.home(&[".continue"]), PathBuf::from)
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![global_folder(environment)]
}
