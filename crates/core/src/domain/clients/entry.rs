//! The shape of our server's entry in each client's config, as data: which container it goes
//! in, which fields in which order, and how the `Authorization` header value is carried. One
//! builder turns a shape plus the settings into the entry, so clients differ only in their data.

use serde::{Deserialize, Serialize};

use super::environment::Os;
use crate::plumbing::edit::{EntryEdit, EntryLocation, EntryValue, PruneDepth};

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

/// One field of an entry, in the order it is written.
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
    /// A local server's program under this key (`command`, Goose's `cmd`).
    Command(&'static str),
    /// A local server's arguments under this key (`args`).
    Arguments(&'static str),
    /// Program and arguments as one list under this key (opencode's and Kilo's `command`).
    CommandLine(&'static str),
    /// The environment a local server starts with (`env`, Goose's `envs`, opencode's
    /// `environment`): only the `mcp-remote` bridge gets one, holding the header value.
    Environment(&'static str),
}

/// How a client is given our server: where the entry goes, and the fields of each kind of entry
/// the client can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryShape {
    pub(super) placement: Placement,
    /// A native Streamable HTTP entry; `None` for a client whose file takes local (stdio)
    /// servers only, which then runs a bridge.
    pub(super) remote: Option<&'static [Field]>,
    /// A local (stdio) server entry; `None` for a client that cannot start one.
    pub(super) local: Option<&'static [Field]>,
    /// The key of the remote entry's header helper, a command the client runs to get its
    /// headers (Claude Code's `headersHelper`), which replaces the header map in `keychain`
    /// mode.
    pub(super) headers_helper: Option<&'static str>,
    /// For a client that reads one file per server (Continue's block files): the lines such a
    /// file starts with. We create it with them, and delete it once our entry is gone and no
    /// other server is left in it.
    pub(super) own_file_header: Option<&'static str>,
}

impl EntryShape {
    /// A client with native Streamable HTTP only.
    pub(super) const fn remote(placement: Placement, fields: &'static [Field]) -> Self {
        Self {
            placement,
            remote: Some(fields),
            local: None,
            headers_helper: None,
            own_file_header: None,
        }
    }

    /// A client whose file takes local (stdio) servers only (design §5: Claude Desktop).
    pub(super) const fn local_only(placement: Placement, fields: &'static [Field]) -> Self {
        Self {
            placement,
            remote: None,
            local: Some(fields),
            headers_helper: None,
            own_file_header: None,
        }
    }

    /// This shape, where the client can also start a local server with these fields.
    pub(super) const fn or_local(self, fields: &'static [Field]) -> Self {
        Self {
            local: Some(fields),
            ..self
        }
    }

    /// This shape, where the client runs a header helper named by `key`.
    pub(super) const fn with_headers_helper(self, key: &'static str) -> Self {
        Self {
            headers_helper: Some(key),
            ..self
        }
    }

    /// This shape, in a file of its own that starts with `header`.
    pub(super) const fn in_own_file(self, header: &'static str) -> Self {
        Self {
            own_file_header: Some(header),
            ..self
        }
    }

    pub(super) fn placement(self) -> Placement {
        self.placement
    }

    /// The secret modes this shape supports, preferred first: a native entry's own modes, then
    /// `keychain` wherever the client can run our bridge or header helper; a stdio-only client
    /// prefers the keychain, as its `inline` entry needs Node.js.
    pub(super) fn modes(self, prompt_inputs: bool) -> &'static [SecretMode] {
        let keychain = self.local.is_some() || self.headers_helper.is_some();
        match (self.remote.is_some(), prompt_inputs, keychain) {
            (false, ..) => &[SecretMode::Keychain, SecretMode::Inline],
            (true, true, true) => &[SecretMode::Prompt, SecretMode::Inline, SecretMode::Keychain],
            (true, true, false) => &[SecretMode::Prompt, SecretMode::Inline],
            (true, false, true) => &[SecretMode::Inline, SecretMode::Keychain],
            (true, false, false) => &[SecretMode::Inline],
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

/// `{"command": …, "args": […], "env": {…}}`: the local server notation of Claude Desktop,
/// which most clients copy. Checked 2026-12-04 in each client's source or docs: Gemini CLI
/// (`packages/core/src/config/config.ts`, `MCPServerConfig`, where `type` takes only `sse` or
/// `http`, so none is written), Zed (`ContextServerSettingsContent`, untagged and flat), Codex
/// (`codex-rs/config/src/mcp_types.rs`, transport from `command` or `url`), LM Studio (Cursor's
/// notation), Junie; Cursor, Windsurf, Kiro, Amazon Q, Warp, Trae, Qwen Code and Antigravity
/// from their vendors' guides.
pub(super) const COMMAND_AND_ARGS: &[Field] = &[
    Field::Command("command"),
    Field::Arguments("args"),
    Field::Environment("env"),
];

/// `{"type": "stdio", "command": …, "args": […], "env": {…}}`: the same with its type named,
/// as VS Code (microsoft/vscode-docs `docs/copilot/reference/mcp-configuration.md`, where `type`
/// is required), Claude Code, Roo Code (`src/services/mcp/McpHub.ts`), Crush
/// (`internal/config/config.go`, `MCPConfig`) and Copilot for JetBrains and Xcode write it,
/// checked 2026-12-04.
pub(super) const TYPED_STDIO: &[Field] = &[
    Field::Constant("type", Constant::Text("stdio")),
    Field::Command("command"),
    Field::Arguments("args"),
    Field::Environment("env"),
];

/// `{"type": "local", "command": [program, args…], "environment": {…}, "enabled": true}`:
/// opencode's local server notation, which its fork Kilo Code keeps (anomalyco/opencode
/// `packages/opencode/src/mcp/index.ts`, `connectLocal`, read 2026-12-04).
pub(super) const LOCAL_COMMAND_LINE: &[Field] = &[
    Field::Constant("type", Constant::Text("local")),
    Field::CommandLine("command"),
    Field::Environment("environment"),
    Field::Constant("enabled", Constant::Flag(true)),
];

/// The servers map most clients use.
pub(super) const MCP_SERVERS: Placement = Placement::Member(&["mcpServers"]);

/// VS Code's servers map (`mcpServers` there is a common, silent mistake).
pub(super) const SERVERS: Placement = Placement::Member(&["servers"]);

/// The environment variable `mcp-remote` expands in its `--header` argument.
const BRIDGE_VARIABLE: &str = "AUTH_HEADER";

/// Which of our programs carries the secret from the keychain in `keychain` mode.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    specta::Type,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum KeychainCarrier {
    /// The client's own header helper where it has one (Claude Code), else the bridge.
    #[default]
    Helper,
    /// Always the stdio bridge: for a client whose helper does not work as it should, such as
    /// a Claude Code that starts an OAuth sign-in beside the helper's header.
    Bridge,
}

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
    /// How a `keychain` entry gets the secret.
    pub keychain_carrier: KeychainCarrier,
}

impl std::fmt::Debug for EntrySettings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntrySettings")
            .field("name", &self.name)
            .field("endpoint", &self.endpoint)
            .field("mode", &self.mode)
            .field("authorization", &"<redacted>")
            .field("bridge_command", &self.bridge_command)
            .field("keychain_carrier", &self.keychain_carrier)
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

/// How the entry carries the `Authorization` header value.
enum HeaderCarrier {
    /// In the header map, as this text: the value itself or a VS Code input reference.
    Value(String),
    /// A command the client runs to get the headers, under this key.
    Helper { key: &'static str, command: String },
}

/// The entry for these settings: native where the client has it, else (or for the keychain,
/// where the client has no header helper) a local server that bridges to the endpoint.
fn entry_value(shape: EntryShape, os: Os, settings: &EntrySettings<'_>) -> EntryValue {
    let local = |fields: &[Field]| match settings.mode {
        SecretMode::Keychain => local_entry(
            fields,
            settings,
            &LocalProgram::our_bridge(settings.bridge_command, settings.endpoint),
        ),
        SecretMode::Inline | SecretMode::Prompt => local_entry(
            fields,
            settings,
            &LocalProgram::mcp_remote(os, settings.endpoint, settings.authorization),
        ),
    };
    match (settings.mode, shape.remote, shape.local) {
        (SecretMode::Keychain, Some(fields), _)
            if settings.keychain_carrier == KeychainCarrier::Helper
                && shape.headers_helper.is_some() =>
        {
            let key = shape.headers_helper.unwrap_or_default();
            let command = headers_helper_command(os, settings.bridge_command, settings.endpoint);
            remote_entry(fields, settings, &HeaderCarrier::Helper { key, command })
        }
        (SecretMode::Keychain, _, Some(fields)) | (_, None, Some(fields)) => local(fields),
        (SecretMode::Prompt, Some(fields), _) => remote_entry(
            fields,
            settings,
            &HeaderCarrier::Value(format!("${{input:{}}}", input_id(settings.name))),
        ),
        (_, Some(fields), _) => remote_entry(
            fields,
            settings,
            &HeaderCarrier::Value(settings.authorization.to_owned()),
        ),
        (_, None, None) => unreachable!("every client takes a remote or a local entry"),
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
    let mut edits = vec![EntryEdit {
        location: location(shape.placement(), settings.name),
        value: Some(entry_value(shape, os, settings)),
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

fn remote_entry(
    fields: &[Field],
    settings: &EntrySettings<'_>,
    carrier: &HeaderCarrier,
) -> EntryValue {
    EntryValue::Map(
        fields
            .iter()
            .filter_map(|field| match (*field, carrier) {
                (Field::Constant(key, constant), _) => {
                    Some((key.to_owned(), constant_value(constant)))
                }
                (Field::Url(key), _) => {
                    Some((key.to_owned(), EntryValue::string(settings.endpoint)))
                }
                (Field::Headers(key), HeaderCarrier::Value(value)) => {
                    Some((key.to_owned(), headers(value)))
                }
                (Field::NestedHeaders(key), HeaderCarrier::Value(value)) => Some((
                    key.to_owned(),
                    EntryValue::map([("headers", headers(value))]),
                )),
                (
                    Field::Headers(_) | Field::NestedHeaders(_),
                    HeaderCarrier::Helper { key, command },
                ) => Some(((*key).to_owned(), EntryValue::string(command))),
                (Field::Name(key), _) => Some((key.to_owned(), EntryValue::string(settings.name))),
                (
                    Field::Command(_)
                    | Field::Arguments(_)
                    | Field::CommandLine(_)
                    | Field::Environment(_),
                    _,
                ) => None,
            })
            .collect(),
    )
}

/// The program a local entry starts, with its arguments and the environment it needs.
struct LocalProgram {
    command: String,
    arguments: Vec<String>,
    /// The variables the program needs; empty for our own bridge, which needs none.
    environment: Vec<(&'static str, String)>,
}

impl LocalProgram {
    /// `rovo-mcp-setup bridge --endpoint URL`: our own stdio bridge, which takes the credential
    /// from the keychain, so the file holds no secret and the client needs no Node.js.
    fn our_bridge(bridge_command: &str, endpoint: &str) -> Self {
        Self {
            command: bridge_command.to_owned(),
            arguments: ["bridge", "--endpoint", endpoint]
                .map(str::to_owned)
                .to_vec(),
            environment: Vec::new(),
        }
    }

    /// `npx -y mcp-remote URL --header Authorization:${AUTH_HEADER}` with the value in the
    /// environment, no space after the colon because some clients split arguments on spaces
    /// (research/clients.md §2.0). On Windows `npx` is a `.cmd` shim that clients cannot start
    /// directly, hence `cmd /c`.
    fn mcp_remote(os: Os, endpoint: &str, header_value: &str) -> Self {
        let header_argument = format!("Authorization:${{{BRIDGE_VARIABLE}}}");
        let npx_arguments = ["-y", "mcp-remote", endpoint, "--header", &header_argument];
        let (command, arguments): (&str, Vec<&str>) = match os {
            Os::Windows => (
                "cmd",
                ["/c", "npx"].into_iter().chain(npx_arguments).collect(),
            ),
            Os::Linux | Os::MacOs => ("npx", npx_arguments.to_vec()),
        };
        Self {
            command: command.to_owned(),
            arguments: arguments.into_iter().map(str::to_owned).collect(),
            environment: vec![(BRIDGE_VARIABLE, header_value.to_owned())],
        }
    }
}

fn local_entry(
    fields: &[Field],
    settings: &EntrySettings<'_>,
    program: &LocalProgram,
) -> EntryValue {
    let strings =
        |items: &[String]| EntryValue::List(items.iter().map(EntryValue::string).collect());
    EntryValue::Map(
        fields
            .iter()
            .filter_map(|field| match *field {
                Field::Constant(key, constant) => Some((key.to_owned(), constant_value(constant))),
                Field::Name(key) => Some((key.to_owned(), EntryValue::string(settings.name))),
                Field::Command(key) => Some((key.to_owned(), EntryValue::string(&program.command))),
                Field::Arguments(key) => Some((key.to_owned(), strings(&program.arguments))),
                Field::CommandLine(key) => {
                    let mut line = vec![program.command.clone()];
                    line.extend(program.arguments.iter().cloned());
                    Some((key.to_owned(), strings(&line)))
                }
                Field::Environment(key) => (!program.environment.is_empty()).then(|| {
                    (
                        key.to_owned(),
                        EntryValue::Map(
                            program
                                .environment
                                .iter()
                                .map(|(name, value)| {
                                    ((*name).to_owned(), EntryValue::string(value))
                                })
                                .collect(),
                        ),
                    )
                }),
                Field::Url(_) | Field::Headers(_) | Field::NestedHeaders(_) => None,
            })
            .collect(),
    )
}

/// `'/path/rovo-mcp-setup' headers --endpoint 'URL'`: the header helper command line, which the
/// client runs through the system shell, so every word is quoted for it (a path with spaces, a
/// URL with `?`).
fn headers_helper_command(os: Os, bridge_command: &str, endpoint: &str) -> String {
    let quote = |word: &str| match os {
        Os::Windows => format!("\"{}\"", word.replace('"', "\"\"")),
        Os::Linux | Os::MacOs => format!("'{}'", word.replace('\'', r"'\''")),
    };
    format!(
        "{} headers --endpoint {}",
        quote(bridge_command),
        quote(endpoint)
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

/// Whether `text` names our own binary, whatever folder it was installed in: a command, the
/// first item of a command line, or the start of a header helper's command line.
fn names_our_binary(text: &str) -> bool {
    let program = text
        .trim_start_matches(['\'', '"'])
        .split(['\'', '"'])
        .next()
        .unwrap_or(text);
    let file_name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let file_name = file_name.split(' ').next().unwrap_or(file_name);
    let file_name = file_name.to_ascii_lowercase();
    let file_name = file_name.strip_suffix(".exe").unwrap_or(&file_name);
    file_name == crate::cli::APP_BINARY || file_name == crate::cli::CLI_BINARY
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
    /// Our program the entry runs (the bridge or the header helper), as written in the file.
    pub program: Option<String>,
}

/// Summarises an entry as read from a config file.
pub(super) fn summarise(entry: &serde_json::Value) -> EntrySummary {
    let mut strings = Vec::new();
    collect_strings(entry, &mut strings);
    let url = strings
        .iter()
        .find(|text| text.starts_with("https://") || text.starts_with("http://"))
        .map(|text| (*text).to_owned());
    // Our bridge (`command` + `bridge`, or one command line) or our header helper.
    let runs_our_program = strings.iter().any(|text| {
        names_our_binary(text) && (text.contains(" headers ") || strings.contains(&"bridge"))
    });
    let mode = if runs_our_program {
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
    let program = strings
        .iter()
        .find(|text| names_our_binary(text))
        .map(|text| program_path(text).to_owned());
    EntrySummary { url, mode, program }
}

/// The program of a string that names ours: a `command` value is the path itself; a command
/// line (the header helper's) starts with the path, quoted when we wrote it.
fn program_path(text: &str) -> &str {
    for quote in ['\'', '"'] {
        if let Some(rest) = text.strip_prefix(quote) {
            return rest.split(quote).next().unwrap_or(rest);
        }
    }
    [" headers ", " bridge"]
        .iter()
        .find_map(|subcommand| text.split_once(subcommand))
        .map_or(text, |(program, _)| program)
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
        endpoint: "https://mcp.atlassian.com/v2/mcp",
        mode: SecretMode::Inline,
        authorization: "Basic ZTp0",
        bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
        keychain_carrier: KeychainCarrier::Helper,
    };

    const STDIO_ONLY: EntryShape = EntryShape::local_only(MCP_SERVERS, COMMAND_AND_ARGS);

    #[test]
    fn the_program_of_an_entry_is_read_from_a_command_or_a_quoted_command_line() {
        for (text, program) in [
            (
                "/opt/Rovo MCP/rovo-mcp-setup-cli",
                "/opt/Rovo MCP/rovo-mcp-setup-cli",
            ),
            (
                "'/opt/Rovo MCP/rovo-mcp-setup' headers --endpoint 'https://a/v2/mcp'",
                "/opt/Rovo MCP/rovo-mcp-setup",
            ),
            (
                r#""C:\Program Files\Rovo MCP Setup\rovo-mcp-setup-cli.exe" headers --endpoint "https://a""#,
                r"C:\Program Files\Rovo MCP Setup\rovo-mcp-setup-cli.exe",
            ),
            (
                "/usr/bin/rovo-mcp-setup-cli bridge --endpoint https://a",
                "/usr/bin/rovo-mcp-setup-cli",
            ),
        ] {
            assert_eq!(program_path(text), program, "the program of {text:?}");
        }
    }

    #[test]
    fn the_mcp_remote_bridge_puts_the_value_in_env_and_no_space_in_the_argument() {
        let entry = entry_value(STDIO_ONLY, Os::Linux, &SETTINGS);
        assert_eq!(
            entry.to_json(),
            serde_json::json!({
                "command": "npx",
                "args": ["-y", "mcp-remote", "https://mcp.atlassian.com/v2/mcp", "--header", "Authorization:${AUTH_HEADER}"],
                "env": { "AUTH_HEADER": "Basic ZTp0" }
            })
        );
        let windows = entry_value(STDIO_ONLY, Os::Windows, &SETTINGS).to_json();
        assert_eq!(windows["command"], "cmd", "npx is a .cmd shim on Windows");
        assert_eq!(windows["args"][0], "/c");
        assert_eq!(windows["args"][1], "npx");
    }

    #[test]
    fn a_keychain_entry_runs_our_bridge_and_holds_no_secret_in_every_local_notation() {
        let keychain = EntrySettings {
            mode: SecretMode::Keychain,
            ..SETTINGS
        };
        let bridge = ["bridge", "--endpoint", "https://mcp.atlassian.com/v2/mcp"];
        let cursor = EntryShape::remote(MCP_SERVERS, URL_AND_HEADERS).or_local(COMMAND_AND_ARGS);
        assert_eq!(
            entry_value(cursor, Os::Linux, &keychain).to_json(),
            serde_json::json!({ "command": "/opt/rovo-mcp-setup/rovo-mcp-setup", "args": bridge }),
            "no `env`: our bridge needs no variable"
        );
        let opencode =
            EntryShape::remote(MCP_SERVERS, URL_AND_HEADERS).or_local(LOCAL_COMMAND_LINE);
        assert_eq!(
            entry_value(opencode, Os::Linux, &keychain).to_json(),
            serde_json::json!({
                "type": "local",
                "command": ["/opt/rovo-mcp-setup/rovo-mcp-setup", "bridge", "--endpoint", "https://mcp.atlassian.com/v2/mcp"],
                "enabled": true
            }),
            "program and arguments in one list"
        );
        for shape in [cursor, opencode] {
            let summary = summarise(&entry_value(shape, Os::Linux, &keychain).to_json());
            assert_eq!(
                summary.mode,
                Some(SecretMode::Keychain),
                "read back as ours"
            );
        }
    }

    #[test]
    fn a_header_helper_replaces_the_header_map_and_the_bridge_is_the_fallback() {
        let claude_code = EntryShape::remote(MCP_SERVERS, TYPED_HTTP)
            .or_local(TYPED_STDIO)
            .with_headers_helper("headersHelper");
        let keychain = EntrySettings {
            mode: SecretMode::Keychain,
            endpoint: "https://mcp.atlassian.com/v2/mcp?tools=all",
            bridge_command: "/opt/Rovo MCP/rovo-mcp-setup",
            ..SETTINGS
        };
        let helper = entry_value(claude_code, Os::Linux, &keychain).to_json();
        assert_eq!(
            helper,
            serde_json::json!({
                "type": "http",
                "url": "https://mcp.atlassian.com/v2/mcp?tools=all",
                "headersHelper": "'/opt/Rovo MCP/rovo-mcp-setup' headers --endpoint 'https://mcp.atlassian.com/v2/mcp?tools=all'"
            }),
            "the shell gets the path with its space and the URL with its `?` as one word each"
        );
        assert_eq!(summarise(&helper).mode, Some(SecretMode::Keychain));
        let windows = entry_value(claude_code, Os::Windows, &keychain).to_json();
        assert!(
            windows["headersHelper"]
                .as_str()
                .unwrap()
                .starts_with("\"/opt/Rovo MCP/rovo-mcp-setup\" headers"),
            "cmd.exe takes double quotes: {windows}"
        );
        let bridged = entry_value(
            claude_code,
            Os::Linux,
            &EntrySettings {
                keychain_carrier: KeychainCarrier::Bridge,
                ..keychain
            },
        )
        .to_json();
        assert_eq!(bridged["type"], "stdio", "the fallback is a local server");
        assert_eq!(bridged["args"][0], "bridge");
    }

    #[test]
    fn modes_follow_what_the_client_can_take() {
        let remote = EntryShape::remote(MCP_SERVERS, URL_AND_HEADERS);
        assert_eq!(remote.modes(false), [SecretMode::Inline]);
        assert_eq!(
            remote.or_local(COMMAND_AND_ARGS).modes(true),
            [SecretMode::Prompt, SecretMode::Inline, SecretMode::Keychain]
        );
        assert_eq!(
            STDIO_ONLY.modes(false),
            [SecretMode::Keychain, SecretMode::Inline],
            "a stdio-only client prefers the keychain: inline needs Node.js"
        );
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
