//! Every MCP client we can configure: where its config lives on each OS, how to tell it is
//! installed, its file format, and the shape of our server's entry (design §5,
//! research/clients.md). One small file per client holds only its data; the behaviour is shared.
//!
//! Nothing here writes: `plan` turns a client and settings into the exact change, and applying
//! a plan is the only step that touches a file.

mod entry;
mod environment;
mod mask;
mod plan;
mod profiles;
mod write;

mod amazon_q;
mod amp;
mod antigravity;
mod antigravity_cli;
mod augment;
mod claude_code;
mod claude_desktop;
mod cline;
mod codex;
mod continue_dev;
mod copilot_cli;
mod copilot_jetbrains;
mod copilot_xcode;
mod crush;
mod cursor;
mod factory_droid;
mod gemini_cli;
mod goose;
mod junie;
mod kilo_code;
mod kiro;
mod lm_studio;
mod opencode;
mod qwen_code;
mod roo_code;
mod trae;
mod visual_studio;
mod vscode;
mod vscode_insiders;
mod warp;
mod windsurf;
mod zed;

use std::path::{Path, PathBuf};

use entry::{
    COMMAND_AND_ARGS, Constant, EntryShape, Field, LOCAL_COMMAND_LINE, MCP_SERVERS, Placement,
    SERVER_URL_AND_HEADERS, SERVERS, STREAMABLE_HTTP, TYPED_HTTP, TYPED_STDIO, URL_AND_HEADERS,
};
pub use entry::{EntrySettings, EntrySummary, KeychainCarrier, SecretMode};
pub use environment::{ClientEnvironment, Os};
pub use plan::{Change, ClientPlan, ClientStatus, FileOrigin, plan_configure, plan_remove, status};
pub use profiles::ClientProfile;
pub use write::{ClientWriteError, ClientWriteResult, exit_code, write_each};

use crate::plumbing::edit::ConfigFormat;

/// The name of our entry in every client unless a policy says otherwise (design §5).
pub const DEFAULT_SERVER_NAME: &str = "atlassian-rovo-mcp";

/// The Rovo MCP endpoint unless `--endpoint` or `ROVO_MCP_ENDPOINT` says otherwise.
pub use crate::domain::probe::DEFAULT_ENDPOINT;

/// Where backups of the config files we change are kept: our own data folder, never next to
/// the config (research/aesthetics.md §4).
pub fn backup_folder(environment: &ClientEnvironment) -> PathBuf {
    environment.app_data(&[crate::APP_IDENTIFIER, "backups"])
}

/// One MCP client, as data.
#[derive(Debug)]
pub struct Client {
    /// The id `--clients` takes and `clients --json` prints.
    pub id: &'static str,
    /// The product's name as people know it.
    pub name: &'static str,
    pub format: ConfigFormat,
    /// Candidate config files, preferred first; empty when the client does not exist on the OS.
    config_files: fn(&ClientEnvironment) -> Vec<PathBuf>,
    /// Folders and app bundles whose presence means the client is installed.
    install_markers: fn(&ClientEnvironment) -> Vec<PathBuf>,
    /// Commands on `PATH` whose presence means the client is installed.
    commands: &'static [&'static str],
    shape: EntryShape,
    /// Whether the client reads VS Code's `inputs`, which makes `prompt` mode possible.
    prompt_inputs: bool,
    /// Whether the client only reads its config at start, so it must be restarted.
    pub needs_restart: bool,
    /// Where the client read its config before it moved: an entry of ours found there is shown
    /// by `status`, moved by `configure` and taken out by `remove`. Each is a client of its own
    /// (its file, format and shape then), with an id of its own for its backups.
    former: &'static [&'static Client],
    /// The client's profiles with a config file of their own (VS Code's), which get the same
    /// entry as the default file.
    profiles: fn(&ClientEnvironment) -> Vec<ClientProfile>,
    /// The variables that move the client's config. A set one must name a place that exists:
    /// configure refuses rather than create folders where a mistyped variable points.
    location_variables: &'static [LocationVariable],
}

/// A variable that moves a client's config, by what it names.
#[derive(Debug, Clone, Copy)]
enum LocationVariable {
    /// A folder the config lives in or under.
    Folder(&'static str),
    /// The config file itself, whose folder must exist.
    File(&'static str),
}

/// For the clients without profiles.
fn no_profiles(_: &ClientEnvironment) -> Vec<ClientProfile> {
    Vec::new()
}

/// Every client, in the order of design §5.
pub const ALL: [&Client; 32] = [
    &claude_desktop::CLIENT,
    &claude_code::CLIENT,
    &cursor::CLIENT,
    &vscode::CLIENT,
    &vscode_insiders::CLIENT,
    &windsurf::CLIENT,
    &gemini_cli::CLIENT,
    &antigravity::CLIENT,
    &antigravity_cli::CLIENT,
    &zed::CLIENT,
    &codex::CLIENT,
    &cline::CLIENT,
    &roo_code::CLIENT,
    &kilo_code::CLIENT,
    &opencode::CLIENT,
    &lm_studio::CLIENT,
    &goose::CLIENT,
    &continue_dev::CLIENT,
    &kiro::CLIENT,
    &copilot_cli::CLIENT,
    &copilot_jetbrains::CLIENT,
    &copilot_xcode::CLIENT,
    &amazon_q::CLIENT,
    &warp::CLIENT,
    &trae::CLIENT,
    &factory_droid::CLIENT,
    &crush::CLIENT,
    &qwen_code::CLIENT,
    &visual_studio::CLIENT,
    &junie::CLIENT,
    &amp::CLIENT,
    &augment::CLIENT,
];

/// The client with this id.
pub fn find(id: &str) -> Option<&'static Client> {
    ALL.into_iter().find(|client| client.id == id)
}

/// The clients a `--clients` list names (design §5): ids, `detected` (every client whose app,
/// config or command is present) and `all` (every client that exists on this OS), in registry
/// order without repeats. An unknown id is invalid input naming the valid ones.
pub fn select(
    list: &[String],
    environment: &ClientEnvironment,
) -> crate::Result<Vec<&'static Client>> {
    let mut chosen = Vec::new();
    for word in list.iter().map(|word| word.trim()) {
        let matching: Vec<&'static Client> = match word {
            "all" => ALL
                .into_iter()
                .filter(|client| client.config_path(environment).is_some())
                .collect(),
            "detected" => ALL
                .into_iter()
                .filter(|client| {
                    client.config_path(environment).is_some() && client.is_installed(environment)
                })
                .collect(),
            id => vec![find(id).ok_or_else(|| {
                let known: Vec<_> = ALL.iter().map(|client| client.id).collect();
                crate::Error::new(
                    crate::ErrorKind::InvalidInput,
                    format!(
                        "`{id}` is not a client id; use `all`, `detected` or one of: {}",
                        known.join(", ")
                    ),
                )
            })?],
        };
        chosen.extend(matching);
    }
    chosen.sort_by_key(|client| ALL.iter().position(|known| known.id == client.id));
    chosen.dedup_by_key(|client| client.id);
    Ok(chosen)
}

impl Client {
    /// The config file to use: the first candidate that exists, else the first whose folder
    /// exists, else the first. `None` when the client does not exist on this OS.
    pub fn config_path(&self, environment: &ClientEnvironment) -> Option<PathBuf> {
        let candidates = (self.config_files)(environment);
        candidates
            .iter()
            .find(|file| file.exists())
            .or_else(|| {
                candidates
                    .iter()
                    .find(|file| file.parent().is_some_and(Path::is_dir))
            })
            .or_else(|| candidates.first())
            .cloned()
    }

    /// Why the config cannot be written where the environment puts it: a variable that moves it
    /// names a folder that does not exist.
    pub fn location_problem(&self, environment: &ClientEnvironment) -> Option<String> {
        self.location_variables.iter().find_map(|variable| {
            let (name, folder) = match *variable {
                LocationVariable::Folder(name) => {
                    (name, PathBuf::from(environment.variable(name)?))
                }
                LocationVariable::File(name) => (
                    name,
                    Path::new(environment.variable(name)?)
                        .parent()?
                        .to_path_buf(),
                ),
            };
            (!folder.is_dir()).then(|| {
                format!(
                    "`{name}` puts {}'s config in `{}`, which does not exist; correct the \
                     variable or create the folder",
                    self.name,
                    folder.display()
                )
            })
        })
    }

    /// Whether the client's app, config folder, config file or command is present.
    pub fn is_installed(&self, environment: &ClientEnvironment) -> bool {
        (self.install_markers)(environment)
            .iter()
            .chain(&(self.config_files)(environment))
            .any(|path| !path.as_os_str().is_empty() && path.exists())
            || self
                .commands
                .iter()
                .any(|command| environment.has_command(command))
    }

    /// The secret modes this client supports, preferred first.
    pub fn modes(&self) -> &'static [SecretMode] {
        self.shape.modes(self.prompt_inputs)
    }

    /// The path of the map or list our entry goes in, such as `["mcpServers"]`.
    pub fn entry_container(&self) -> &'static [&'static str] {
        match self.shape.placement() {
            Placement::Member(container) | Placement::NamedListItem(container) => container,
        }
    }

    /// What gives the client the secret in `keychain` mode by default: its header helper where
    /// it has one, else our bridge; `None` when it can take neither.
    pub fn keychain_via(&self) -> Option<KeychainCarrier> {
        if self.shape.headers_helper.is_some() {
            Some(KeychainCarrier::Helper)
        } else {
            self.shape.local.map(|_| KeychainCarrier::Bridge)
        }
    }

    /// Whether the client's `inline` entry is the `mcp-remote` bridge (which needs Node.js),
    /// because its file takes stdio servers only.
    pub fn uses_stdio_bridge(&self) -> bool {
        self.shape.remote.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(os: Os) -> ClientEnvironment {
        match os {
            Os::Linux => ClientEnvironment::new(os, "/home/me", []),
            Os::MacOs => ClientEnvironment::new(os, "/Users/me", []),
            Os::Windows => ClientEnvironment::new(
                os,
                r"C:\Users\me",
                [
                    ("APPDATA", r"C:\Users\me\AppData\Roaming"),
                    ("LOCALAPPDATA", r"C:\Users\me\AppData\Local"),
                ],
            ),
        }
    }

    /// The config path of every client on every OS, in an empty home (so the first candidate
    /// wins). This table is the reviewable summary of research/clients.md's paths.
    #[test]
    #[expect(
        clippy::too_many_lines,
        reason = "one row per client: the whole table in one place is the point"
    )]
    fn every_client_has_its_documented_path_on_every_os() {
        let expected: [(&str, &str, &str, &str); 32] = [
            (
                "claude-desktop",
                "/home/me/.config/Claude/claude_desktop_config.json",
                "/Users/me/Library/Application Support/Claude/claude_desktop_config.json",
                r"C:\Users\me\AppData\Roaming\Claude\claude_desktop_config.json",
            ),
            (
                "claude-code",
                "/home/me/.claude.json",
                "/Users/me/.claude.json",
                r"C:\Users\me\.claude.json",
            ),
            (
                "cursor",
                "/home/me/.cursor/mcp.json",
                "/Users/me/.cursor/mcp.json",
                r"C:\Users\me\.cursor\mcp.json",
            ),
            (
                "vscode",
                "/home/me/.config/Code/User/mcp.json",
                "/Users/me/Library/Application Support/Code/User/mcp.json",
                r"C:\Users\me\AppData\Roaming\Code\User\mcp.json",
            ),
            (
                "vscode-insiders",
                "/home/me/.config/Code - Insiders/User/mcp.json",
                "/Users/me/Library/Application Support/Code - Insiders/User/mcp.json",
                r"C:\Users\me\AppData\Roaming\Code - Insiders\User\mcp.json",
            ),
            (
                "windsurf",
                "/home/me/.codeium/windsurf/mcp_config.json",
                "/Users/me/.codeium/windsurf/mcp_config.json",
                r"C:\Users\me\.codeium\windsurf\mcp_config.json",
            ),
            (
                "gemini-cli",
                "/home/me/.gemini/settings.json",
                "/Users/me/.gemini/settings.json",
                r"C:\Users\me\.gemini\settings.json",
            ),
            (
                "antigravity",
                "/home/me/.gemini/antigravity/mcp_config.json",
                "/Users/me/.gemini/antigravity/mcp_config.json",
                r"C:\Users\me\.gemini\antigravity\mcp_config.json",
            ),
            (
                "antigravity-cli",
                "/home/me/.gemini/config/mcp_config.json",
                "/Users/me/.gemini/config/mcp_config.json",
                r"C:\Users\me\.gemini\config\mcp_config.json",
            ),
            (
                "zed",
                "/home/me/.config/zed/settings.json",
                "/Users/me/.config/zed/settings.json",
                r"C:\Users\me\AppData\Roaming\Zed\settings.json",
            ),
            (
                "codex",
                "/home/me/.codex/config.toml",
                "/Users/me/.codex/config.toml",
                r"C:\Users\me\.codex\config.toml",
            ),
            (
                "cline",
                "/home/me/.cline/data/settings/cline_mcp_settings.json",
                "/Users/me/.cline/data/settings/cline_mcp_settings.json",
                r"C:\Users\me\.cline\data\settings\cline_mcp_settings.json",
            ),
            (
                "roo-code",
                "/home/me/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json",
                "/Users/me/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json",
                r"C:\Users\me\AppData\Roaming\Code\User\globalStorage\rooveterinaryinc.roo-cline\settings\mcp_settings.json",
            ),
            (
                "kilo-code",
                "/home/me/.config/kilo/kilo.jsonc",
                "/Users/me/.config/kilo/kilo.jsonc",
                r"C:\Users\me\.config\kilo\kilo.jsonc",
            ),
            (
                "opencode",
                "/home/me/.config/opencode/opencode.json",
                "/Users/me/.config/opencode/opencode.json",
                r"C:\Users\me\.config\opencode\opencode.json",
            ),
            (
                "lm-studio",
                "/home/me/.lmstudio/mcp.json",
                "/Users/me/.lmstudio/mcp.json",
                r"C:\Users\me\.lmstudio\mcp.json",
            ),
            (
                "goose",
                "/home/me/.config/goose/config.yaml",
                "/Users/me/.config/goose/config.yaml",
                r"C:\Users\me\AppData\Roaming\Block\goose\config\config.yaml",
            ),
            (
                "continue",
                "/home/me/.continue/mcpServers/atlassian-rovo-mcp.yaml",
                "/Users/me/.continue/mcpServers/atlassian-rovo-mcp.yaml",
                r"C:\Users\me\.continue\mcpServers\atlassian-rovo-mcp.yaml",
            ),
            (
                "kiro",
                "/home/me/.kiro/settings/mcp.json",
                "/Users/me/.kiro/settings/mcp.json",
                r"C:\Users\me\.kiro\settings\mcp.json",
            ),
            (
                "copilot-cli",
                "/home/me/.copilot/mcp-config.json",
                "/Users/me/.copilot/mcp-config.json",
                r"C:\Users\me\.copilot\mcp-config.json",
            ),
            (
                "copilot-jetbrains",
                "/home/me/.config/github-copilot/intellij/mcp.json",
                "/Users/me/.config/github-copilot/intellij/mcp.json",
                r"C:\Users\me\AppData\Local\github-copilot\intellij\mcp.json",
            ),
            (
                "copilot-xcode",
                "",
                "/Users/me/.config/github-copilot/xcode/mcp.json",
                "",
            ),
            (
                "amazon-q",
                "/home/me/.aws/amazonq/mcp.json",
                "/Users/me/.aws/amazonq/mcp.json",
                r"C:\Users\me\.aws\amazonq\mcp.json",
            ),
            (
                "warp",
                "/home/me/.warp/.mcp.json",
                "/Users/me/.warp/.mcp.json",
                r"C:\Users\me\.warp\.mcp.json",
            ),
            (
                "trae",
                "/home/me/.config/Trae/User/mcp.json",
                "/Users/me/Library/Application Support/Trae/User/mcp.json",
                r"C:\Users\me\AppData\Roaming\Trae\User\mcp.json",
            ),
            (
                "factory-droid",
                "/home/me/.factory/mcp.json",
                "/Users/me/.factory/mcp.json",
                r"C:\Users\me\.factory\mcp.json",
            ),
            (
                "crush",
                "/home/me/.config/crush/crush.json",
                "/Users/me/.config/crush/crush.json",
                r"C:\Users\me\.config\crush\crush.json",
            ),
            (
                "qwen-code",
                "/home/me/.qwen/settings.json",
                "/Users/me/.qwen/settings.json",
                r"C:\Users\me\.qwen\settings.json",
            ),
            ("visual-studio", "", "", r"C:\Users\me\.mcp.json"),
            (
                "junie",
                "/home/me/.junie/mcp/mcp.json",
                "/Users/me/.junie/mcp/mcp.json",
                r"C:\Users\me\.junie\mcp\mcp.json",
            ),
            (
                "amp",
                "/home/me/.config/amp/settings.json",
                "/Users/me/.config/amp/settings.json",
                r"C:\Users\me\.config\amp\settings.json",
            ),
            (
                "augment",
                "/home/me/.augment/settings.json",
                "/Users/me/.augment/settings.json",
                r"C:\Users\me\.augment\settings.json",
            ),
        ];
        let ids: Vec<_> = expected.iter().map(|(id, ..)| *id).collect();
        let registry: Vec<_> = ALL.iter().map(|client| client.id).collect();
        assert_eq!(
            ids, registry,
            "the table covers every client, in registry order"
        );
        for (id, linux, macos, windows) in expected {
            let client = find(id).unwrap();
            for (os, path) in [
                (Os::Linux, linux),
                (Os::MacOs, macos),
                (Os::Windows, windows),
            ] {
                let found = client.config_path(&environment(os));
                let expected = (!path.is_empty()).then(|| PathBuf::from(path));
                assert_eq!(found, expected, "{id} on {os:?}");
            }
        }
    }

    #[test]
    fn overrides_move_the_clients_that_honour_them() {
        let environment = ClientEnvironment::new(
            Os::Linux,
            "/home/me",
            [
                ("XDG_CONFIG_HOME", "/cfg"),
                ("XDG_DATA_HOME", "/data"),
                ("CLAUDE_CONFIG_DIR", "/claude"),
                ("CODEX_HOME", "/codex"),
                ("COPILOT_HOME", "/copilot"),
                ("GEMINI_CLI_HOME", "/gemini"),
                ("CONTINUE_GLOBAL_DIR", "/continue"),
                ("CRUSH_GLOBAL_CONFIG", "/crush"),
                ("CLINE_DATA_DIR", "/cline-data"),
                ("AMP_SETTINGS_FILE", "/amp/settings.json"),
            ],
        );
        for (id, path) in [
            ("claude-code", "/claude/.claude.json"),
            ("codex", "/codex/config.toml"),
            ("zed", "/cfg/zed/settings.json"),
            ("opencode", "/cfg/opencode/opencode.json"),
            ("goose", "/cfg/goose/config.yaml"),
            ("copilot-cli", "/copilot/mcp-config.json"),
            ("gemini-cli", "/gemini/.gemini/settings.json"),
            ("continue", "/continue/mcpServers/atlassian-rovo-mcp.yaml"),
            ("crush", "/crush/crush.json"),
            ("cline", "/cline-data/settings/cline_mcp_settings.json"),
            ("amp", "/amp/settings.json"),
            ("vscode", "/cfg/Code/User/mcp.json"),
            ("cursor", "/home/me/.cursor/mcp.json"),
        ] {
            assert_eq!(
                find(id).unwrap().config_path(&environment),
                Some(PathBuf::from(path)),
                "{id}"
            );
        }
    }

    #[test]
    fn cline_takes_its_settings_file_then_its_data_folder_then_its_folder() {
        let cline = find("cline").unwrap();
        let path = |variables: &[(&str, &str)]| {
            cline.config_path(&ClientEnvironment::new(
                Os::Linux,
                "/home/me",
                variables.iter().copied(),
            ))
        };
        assert_eq!(
            path(&[
                ("CLINE_MCP_SETTINGS_PATH", "/etc/cline.json"),
                ("CLINE_DATA_DIR", "/data"),
                ("CLINE_DIR", "/cline"),
            ]),
            Some(PathBuf::from("/etc/cline.json")),
            "the file itself wins"
        );
        assert_eq!(
            path(&[("CLINE_DATA_DIR", "/data"), ("CLINE_DIR", "/cline")]),
            Some(PathBuf::from("/data/settings/cline_mcp_settings.json")),
            "then the data folder"
        );
        assert_eq!(
            path(&[("CLINE_DIR", "/cline")]),
            Some(PathBuf::from(
                "/cline/data/settings/cline_mcp_settings.json"
            )),
            "then the `.cline` folder"
        );
    }

    #[test]
    fn zed_from_flathub_is_written_in_its_sandbox_when_only_that_exists() {
        let home = tempfile::tempdir().unwrap();
        let sandbox = home.path().join(".var/app/dev.zed.Zed/config/zed");
        std::fs::create_dir_all(&sandbox).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let zed = find("zed").unwrap();
        assert_eq!(
            zed.config_path(&environment),
            Some(sandbox.join("settings.json")),
            "only the Flatpak's folder exists"
        );
        assert!(zed.is_installed(&environment));
        std::fs::create_dir_all(home.path().join(".config/zed")).unwrap();
        assert_eq!(
            zed.config_path(&environment),
            Some(home.path().join(".config/zed/settings.json")),
            "a native install's folder comes first"
        );
    }

    #[test]
    fn an_existing_alternative_file_is_preferred() {
        let home = tempfile::tempdir().unwrap();
        let folder = home.path().join(".config/kilo");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("kilo.json"), "{}").unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        assert_eq!(
            find("kilo-code").unwrap().config_path(&environment),
            Some(folder.join("kilo.json"))
        );
    }

    #[test]
    fn selections_take_ids_detected_and_all_in_registry_order() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".codex")).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let words = |list: &[&str]| list.iter().map(|&word| word.to_owned()).collect::<Vec<_>>();
        let ids = |chosen: Vec<&Client>| chosen.iter().map(|client| client.id).collect::<Vec<_>>();

        let listed = select(&words(&["zed", "cursor", " zed "]), &environment).unwrap();
        assert_eq!(ids(listed), ["cursor", "zed"]);
        let detected = select(&words(&["detected"]), &environment).unwrap();
        assert_eq!(ids(detected), ["codex"]);
        let all = select(&words(&["all"]), &environment).unwrap();
        assert_eq!(
            all.len(),
            30,
            "every client but Visual Studio and Copilot for Xcode exists on Linux"
        );
        let error = select(&words(&["notepad"]), &environment).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert!(error.message().contains("`notepad` is not a client id"));
    }

    #[test]
    fn ids_are_unique_and_only_vscode_family_offers_prompt() {
        let mut ids: Vec<_> = ALL.iter().map(|client| client.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        let prompt: Vec<_> = ALL
            .iter()
            .filter(|client| client.modes().contains(&SecretMode::Prompt))
            .map(|client| client.id)
            .collect();
        assert_eq!(prompt, ["vscode", "vscode-insiders"]);
    }

    #[test]
    fn installation_is_seen_through_a_folder_or_a_command() {
        let home = tempfile::tempdir().unwrap();
        let bin = home.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(home.path().join(".cursor")).unwrap();
        let executable = format!("codex{}", std::env::consts::EXE_SUFFIX);
        std::fs::write(bin.join(executable), "").unwrap();
        let path = bin.to_string_lossy().into_owned();
        // The real OS: `PATH` syntax and executable names are the host's.
        let environment =
            ClientEnvironment::new(Os::current(), home.path(), [("PATH", path.as_str())]);
        let installed: Vec<_> = ALL
            .iter()
            .filter(|client| client.is_installed(&environment))
            .map(|client| client.id)
            .collect();
        assert_eq!(installed, ["cursor", "codex"]);
    }
}
