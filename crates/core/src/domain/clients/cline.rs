//! Cline 4.x (VS Code and JetBrains extensions, Cline CLI): one shared settings file,
//! `~/.cline/data/settings/cline_mcp_settings.json` on every OS, moved by
//! `CLINE_MCP_SETTINGS_PATH` (the file), `CLINE_DATA_DIR` (the `data` folder) or `CLINE_DIR` (the
//! `.cline` folder). A `url` without `type` would be taken as SSE, so `streamableHttp` is
//! explicit. The VS Code `globalStorage` file of Cline 3 is migrated once and then ignored: an
//! entry of ours there is moved. Source: cline/cline `sdk/packages/shared/src/storage/paths.ts`
//! (`resolveMcpSettingsPath`), `src/services/mcp/schemas.ts`, read 2026-12-03
//! (research/clients.md, corrections).

use std::path::{Path, PathBuf};

use super::{
    Client, ClientEnvironment, Constant, EntryShape, Field, LocationVariable, MCP_SERVERS,
    no_profiles,
};
use crate::plumbing::edit::ConfigFormat;

const SHAPE: EntryShape = EntryShape::remote(
    MCP_SERVERS,
    &[
        Field::Constant("type", Constant::Text("streamableHttp")),
        Field::Url("url"),
        Field::Headers("headers"),
        Field::Constant("disabled", Constant::Flag(false)),
    ],
)
.or_local(&[
    Field::Constant("type", Constant::Text("stdio")),
    Field::Command("command"),
    Field::Arguments("args"),
    Field::Environment("env"),
    Field::Constant("disabled", Constant::Flag(false)),
]);

const SETTINGS_FILE: &str = "cline_mcp_settings.json";

pub(super) const CLIENT: Client = Client {
    id: "cline",
    name: "Cline",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["cline"],
    shape: SHAPE,
    prompt_inputs: false,
    needs_restart: false,
    former: &[&VSCODE_STORAGE],
    profiles: no_profiles,
    location_variables: &[
        LocationVariable::File("CLINE_MCP_SETTINGS_PATH"),
        LocationVariable::Folder("CLINE_DATA_DIR"),
        LocationVariable::Folder("CLINE_DIR"),
    ],
};

/// Cline 3's file in VS Code's `globalStorage`.
const VSCODE_STORAGE: Client = Client {
    id: "cline-vscode-storage",
    name: "Cline",
    format: ConfigFormat::Json,
    config_files: vscode_storage,
    install_markers: vscode_storage,
    commands: &[],
    shape: SHAPE,
    prompt_inputs: false,
    needs_restart: false,
    former: &[],
    profiles: no_profiles,
    location_variables: &[],
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    if let Some(file) = environment.variable("CLINE_MCP_SETTINGS_PATH") {
        return vec![PathBuf::from(file)];
    }
    let data = match (
        environment.variable("CLINE_DATA_DIR"),
        environment.variable("CLINE_DIR"),
    ) {
        (Some(data), _) => PathBuf::from(data),
        (None, Some(cline)) => environment.join(Path::new(cline), &["data"]),
        (None, None) => environment.home(&[".cline", "data"]),
    };
    vec![environment.join(&data, &["settings", SETTINGS_FILE])]
}

fn vscode_storage(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.vscode_user(
        "Code",
        &[
            "globalStorage",
            "saoudrizwan.claude-dev",
            "settings",
            SETTINGS_FILE,
        ],
    )]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![
        environment.home(&[".cline"]),
        environment.vscode_user("Code", &["globalStorage", "saoudrizwan.claude-dev"]),
    ]
}
