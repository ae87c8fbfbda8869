//! The shape of our server's entry in each client's config, as data: which container it goes
//! in, which fields in which order, and how the `Authorization` header value is carried. One
//! builder turns a shape plus the settings into the entry, so clients differ only in their data.

use serde::{Deserialize, Serialize};

use super::environment::Os;
use crate::edit::{EntryEdit, EntryLocation, EntryValue, PruneDepth};

/// How the secret reaches the client (design §5).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    specta::Type,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SecretMode {
    /// The header value is written in the client's file (0600).
    Inline,
    /// VS Code asks once (`inputs` with `password: true`) and keeps it in its secret storage.
    Prompt,
    /// The secret stays in the OS keychain: the client runs `rovo-mcp-setup bridge`, which
    /// reads it at start. Rotation then needs no file change.
    Keychain,
}

impl SecretMode {
    /// The mode's name, as `--mode` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Inline => "inline",
            Self::Prompt => "prompt",
            Self::Keychain => "keychain",
        }
    }
}

/// Where the entry sits in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A member named after the server in the map at this path.
    Member(&'static [&'static str]),
    /// An item of the list at this path whose `name` field is the server name (Continue).
    NamedListItem(&'static [&'static str]),
}

/// A constant field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constant {
    Text(&'static str),
    Flag(bool),
    Number(i64),
    TextList(&'static [&'static str]),
}

/// One field of a remote entry, in the order it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A field with a fixed value, such as `"type": "http"`.
    Constant(&'static str, Constant),
    /// The server URL under this key (`url`, `serverUrl`, `uri`, `httpUrl`).
    Url(&'static str),
    /// The header map under this key (`headers`, Codex's `http_headers`).
    Headers(&'static str),
    /// The header map one level down, under `key.headers` (Continue's `requestOptions`).
    NestedHeaders(&'static str),
    /// The server name under this key (Goose and Continue repeat it inside the entry).
    Name(&'static str),
}

/// How a client is given our server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryShape {
    /// A native Streamable HTTP entry with these fields.
    Remote {
        placement: Placement,
        fields: &'static [Field],
    },
    /// A stdio-only client: the `mcp-remote` bridge, with the header value in `env` and
    /// `Authorization:${AUTH_HEADER}` in the arguments, no space after the colon, because some
    /// clients split arguments on spaces (research/clients.md §2.0).
    StdioBridge { placement: Placement },
}

impl EntryShape {
    pub(super) fn placement(self) -> Placement {
        match self {
            Self::Remote { placement, .. } | Self::StdioBridge { placement } => placement,
        }
    }
}

/// `{"url": …, "headers": {…}}`: Cursor's notation, which several clients copy.
pub(super) const URL_AND_HEADERS: &[Field] = &[Field::Url("url"), Field::Headers("headers")];

/// `{"type": "http", "url": …, "headers": {…}}`: Claude Code's and VS Code's notation.
pub(super) const TYPED_HTTP: &[Field] = &[
    Field::Constant("type", Constant::Text("http")),
    Field::Url("url"),
    Field::Headers("headers"),
];

/// `{"serverUrl": …, "headers": {…}}`: Windsurf's and Antigravity's notation.
pub(super) const SERVER_URL_AND_HEADERS: &[Field] =
    &[Field::Url("serverUrl"), Field::Headers("headers")];

/// `{"type": "streamable-http", "url": …, "headers": {…}}`: Roo Code's notation.
pub(super) const STREAMABLE_HTTP: &[Field] = &[
    Field::Constant("type", Constant::Text("streamable-http")),
    Field::Url("url"),
    Field::Headers("headers"),
];

/// The servers map most clients use.
pub(super) const MCP_SERVERS: Placement = Placement::Member(&["mcpServers"]);

/// VS Code's servers map (`mcpServers` there is a common, silent mistake).
pub(super) const SERVERS: Placement = Placement::Member(&["servers"]);

/// The environment variable `mcp-remote` expands in its `--header` argument.
const BRIDGE_VARIABLE: &str = "AUTH_HEADER";

/// What goes into an entry besides its shape.
#[derive(Clone, Copy)]
pub struct EntrySettings<'a> {
    /// The entry's name in the client (design §5: `atlassian-rovo-mcp` by default).
    pub name: &'a str,
    /// The MCP endpoint URL.
    pub endpoint: &'a str,
    pub mode: SecretMode,
    /// The whole `Authorization` header value (`Basic …` or `Bearer …`).
    pub authorization: &'a str,
    /// The absolute path of the `rovo-mcp-setup` binary that `keychain` entries run.
    pub bridge_command: &'a str,
}

impl std::fmt::Debug for EntrySettings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntrySettings")
            .field("name", &self.name)
            .field("endpoint", &self.endpoint)
            .field("mode", &self.mode)
            .field("authorization", &"<redacted>")
            .field("bridge_command", &self.bridge_command)
            .finish()
    }
}

/// The id of the VS Code input that holds the header value of the entry `name`.
pub(super) fn input_id(name: &str) -> String {
    format!("{name}-authorization")
}

/// The locations an entry named `name` of this shape may occupy; `prompt_inputs` adds VS
/// Code's `inputs` item.
pub(super) fn locations(shape: EntryShape, name: &str, prompt_inputs: bool) -> Vec<EntryLocation> {
    let mut locations = vec![location(shape.placement(), name)];
    if prompt_inputs {
        locations.push(EntryLocation::list_item(&["inputs"], "id", &input_id(name)));
    }
    locations
}

pub(super) fn location(placement: Placement, name: &str) -> EntryLocation {
    match placement {
        Placement::Member(container) => EntryLocation::member(container, name),
        Placement::NamedListItem(container) => EntryLocation::list_item(container, "name", name),
    }
}

/// The edits that put our entry in place (and, for VS Code, add or drop the `inputs` item to
/// match the mode).
pub(super) fn configure_edits(
    shape: EntryShape,
    prompt_inputs: bool,
    os: Os,
    settings: &EntrySettings<'_>,
) -> Vec<EntryEdit> {
    let header_value = match settings.mode {
        SecretMode::Inline => settings.authorization.to_owned(),
        SecretMode::Prompt => format!("${{input:{}}}", input_id(settings.name)),
        // No header is written in keychain mode: the bridge adds it from the keychain.
        SecretMode::Keychain => String::new(),
    };
    let entry = match shape {
        EntryShape::Remote { fields, .. } => remote_entry(fields, settings, &header_value),
        EntryShape::StdioBridge { .. } if settings.mode == SecretMode::Keychain => {
            keychain_bridge_entry(settings)
        }
        EntryShape::StdioBridge { .. } => bridge_entry(os, settings.endpoint, &header_value),
    };
    let mut edits = vec![EntryEdit {
        location: location(shape.placement(), settings.name),
        value: Some(entry),
        prune: PruneDepth::NONE,
    }];
    if prompt_inputs {
        let input = (settings.mode == SecretMode::Prompt).then(|| {
            EntryValue::map([
                ("type", EntryValue::string("promptString")),
                ("id", EntryValue::string(input_id(settings.name))),
                (
                    "description",
                    EntryValue::string(
                        "Atlassian Rovo MCP Authorization header (Basic … or Bearer …)",
                    ),
                ),
                ("password", EntryValue::Bool(true)),
            ])
        });
        edits.push(EntryEdit {
            location: EntryLocation::list_item(&["inputs"], "id", &input_id(settings.name)),
            value: input,
            // Switching to inline leaves an `inputs` list the person may have had before.
            prune: PruneDepth::NONE,
        });
    }
    edits
}

fn headers(value: &str) -> EntryValue {
    EntryValue::map([("Authorization", EntryValue::string(value))])
}

fn remote_entry(fields: &[Field], settings: &EntrySettings<'_>, header_value: &str) -> EntryValue {
    EntryValue::Map(
        fields
            .iter()
            .map(|field| match *field {
                Field::Constant(key, constant) => (key.to_owned(), constant_value(constant)),
                Field::Url(key) => (key.to_owned(), EntryValue::string(settings.endpoint)),
                Field::Headers(key) => (key.to_owned(), headers(header_value)),
                Field::NestedHeaders(key) => (
                    key.to_owned(),
                    EntryValue::map([("headers", headers(header_value))]),
                ),
                Field::Name(key) => (key.to_owned(), EntryValue::string(settings.name)),
            })
            .collect(),
    )
}

fn constant_value(constant: Constant) -> EntryValue {
    match constant {
        Constant::Text(text) => EntryValue::string(text),
        Constant::Flag(flag) => EntryValue::Bool(flag),
        Constant::Number(number) => EntryValue::Integer(number),
        Constant::TextList(items) => {
            EntryValue::List(items.iter().map(|&item| EntryValue::string(item)).collect())
        }
    }
}

/// `npx -y mcp-remote URL --header Authorization:${AUTH_HEADER}` with the value in `env`. On
/// Windows `npx` is a `.cmd` shim that clients cannot start directly, hence `cmd /c`.
fn bridge_entry(os: Os, endpoint: &str, header_value: &str) -> EntryValue {
    let header_argument = format!("Authorization:${{{BRIDGE_VARIABLE}}}");
    let npx_arguments = ["-y", "mcp-remote", endpoint, "--header", &header_argument];
    let (command, arguments): (&str, Vec<&str>) = match os {
        Os::Windows => (
            "cmd",
            ["/c", "npx"].into_iter().chain(npx_arguments).collect(),
        ),
        Os::Linux | Os::MacOs => ("npx", npx_arguments.to_vec()),
    };
    EntryValue::map([
        ("command", EntryValue::string(command)),
        (
            "args",
            EntryValue::List(arguments.into_iter().map(EntryValue::string).collect()),
        ),
        (
            "env",
            EntryValue::map([(BRIDGE_VARIABLE, EntryValue::string(header_value))]),
        ),
    ])
}

/// `rovo-mcp-setup bridge --endpoint URL`: our own stdio bridge, which takes the credential from
/// the keychain, so the file holds no secret and the client needs no Node.js.
fn keychain_bridge_entry(settings: &EntrySettings<'_>) -> EntryValue {
    EntryValue::map([
        ("command", EntryValue::string(settings.bridge_command)),
        (
            "args",
            EntryValue::List(
                ["bridge", "--endpoint", settings.endpoint]
                    .into_iter()
                    .map(EntryValue::string)
                    .collect(),
            ),
        ),
    ])
}

/// Whether `command` is our own binary, whatever folder it was installed in.
fn is_our_binary(command: &str) -> bool {
    let file_name = command.rsplit(['/', '\\']).next().unwrap_or(command);
    file_name == "rovo-mcp-setup" || file_name.eq_ignore_ascii_case("rovo-mcp-setup.exe")
}

/// What an existing entry of ours says about itself, read back from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EntrySummary {
    /// The server URL the entry points at, when one could be found.
    pub url: Option<String>,
    /// How the entry carries the secret; `None` when it is neither of our modes (for example an
    /// environment variable the person wrote by hand).
    pub mode: Option<SecretMode>,
}

/// Summarises an entry as read from a config file.
pub(super) fn summarise(entry: &serde_json::Value) -> EntrySummary {
    let mut strings = Vec::new();
    collect_strings(entry, &mut strings);
    let url = strings
        .iter()
        .find(|text| text.starts_with("https://") || text.starts_with("http://"))
        .map(|text| (*text).to_owned());
    let runs_our_bridge = entry
        .get("command")
        .and_then(serde_json::Value::as_str)
        .is_some_and(is_our_binary)
        && strings.contains(&"bridge");
    let mode = if runs_our_bridge {
        Some(SecretMode::Keychain)
    } else if strings.iter().any(|text| text.starts_with("${input:")) {
        Some(SecretMode::Prompt)
    } else if strings
        .iter()
        .any(|text| text.starts_with("Basic ") || text.starts_with("Bearer "))
    {
        Some(SecretMode::Inline)
    } else {
        None
    };
    EntrySummary { url, mode }
}

fn collect_strings<'a>(value: &'a serde_json::Value, into: &mut Vec<&'a str>) {
    match value {
        serde_json::Value::String(text) => into.push(text),
        serde_json::Value::Array(items) => {
            for item in items {
                collect_strings(item, into);
            }
        }
        serde_json::Value::Object(fields) => {
            for field in fields.values() {
                collect_strings(field, into);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: EntrySettings<'static> = EntrySettings {
        name: "atlassian-rovo-mcp",
        endpoint: "https://mcp.atlassian.com/v1/mcp",
        mode: SecretMode::Inline,
        authorization: "Basic ZTp0",
        bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
    };

    #[test]
    fn the_bridge_puts_the_value_in_env_and_no_space_in_the_argument() {
        let entry = bridge_entry(Os::Linux, SETTINGS.endpoint, SETTINGS.authorization);
        assert_eq!(
            entry.to_json(),
            serde_json::json!({
                "command": "npx",
                "args": ["-y", "mcp-remote", "https://mcp.atlassian.com/v1/mcp", "--header", "Authorization:${AUTH_HEADER}"],
                "env": { "AUTH_HEADER": "Basic ZTp0" }
            })
        );
        let windows = bridge_entry(Os::Windows, SETTINGS.endpoint, SETTINGS.authorization);
        let windows = windows.to_json();
        assert_eq!(windows["command"], "cmd", "npx is a .cmd shim on Windows");
        assert_eq!(windows["args"][0], "/c");
        assert_eq!(windows["args"][1], "npx");
    }

    #[test]
    fn summaries_tell_the_mode_and_url() {
        let inline = summarise(
            &serde_json::json!({"url": "https://a", "headers": {"Authorization": "Bearer k"}}),
        );
        assert_eq!(inline.mode, Some(SecretMode::Inline));
        assert_eq!(inline.url.as_deref(), Some("https://a"));
        let prompt = summarise(&serde_json::json!({"headers": {"Authorization": "${input:x}"}}));
        assert_eq!(prompt.mode, Some(SecretMode::Prompt));
        let by_hand = summarise(&serde_json::json!({"headers": {"Authorization": "${env:X}"}}));
        assert_eq!(by_hand.mode, None);
    }

    #[test]
    fn debug_output_hides_the_header_value() {
        let shown = format!("{SETTINGS:?}");
        assert!(!shown.contains("ZTp0"), "{shown}");
    }
}
