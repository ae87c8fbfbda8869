//! Cline (VS Code extension): its settings file in VS Code's `globalStorage`; a `url` without
//! `type` would be taken as SSE, so `streamableHttp` is explicit (research/clients.md §2.10).

use std::path::PathBuf;

use super::{Client, ClientEnvironment, Constant, EntryShape, Field, MCP_SERVERS};
use crate::edit::ConfigFormat;

pub(super) const CLIENT: Client = Client {
    id: "cline",
    name: "Cline",
    format: ConfigFormat::Json,
    config_files,
    install_markers,
    commands: &["cline"],
    shape: EntryShape::Remote {
        placement: MCP_SERVERS,
        fields: &[
            Field::Constant("type", Constant::Text("streamableHttp")),
            Field::Url("url"),
            Field::Headers("headers"),
            Field::Constant("disabled", Constant::Flag(false)),
        ],
    },
    prompt_inputs: false,
    needs_restart: false,
};

fn config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.vscode_user(
        "Code",
        &[
            "globalStorage",
            "saoudrizwan.claude-dev",
            "settings",
            "cline_mcp_settings.json",
        ],
    )]
}

fn install_markers(environment: &ClientEnvironment) -> Vec<PathBuf> {
    vec![environment.vscode_user("Code", &["globalStorage", "saoudrizwan.claude-dev"])]
}
