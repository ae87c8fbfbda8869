//! Every client, end to end on a temporary home seeded with realistic config files: plan, apply,
//! compare with a golden file, remove, and get the original bytes back. Plus the bad inputs of
//! issue 4, each refused per client with its path and line and the file left untouched.
//!
//! Golden files are insta snapshots in `tests/golden/`; `INSTA_UPDATE=always cargo test -p
//! rovo-mcp-core --test clients` (or `cargo insta review`) rewrites them, and the diff is then
//! reviewed like code.

use std::fs;
use std::path::{Path, PathBuf};

use indoc::indoc;
use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::domain::clients::{
    self, ALL, Change, Client, ClientEnvironment, DEFAULT_ENDPOINT, DEFAULT_SERVER_NAME,
    EntrySettings, FileOrigin, KeychainCarrier, Os, SecretMode, plan_configure, plan_remove,
};
use rovo_mcp_core::plumbing::edit::ConfigFormat;
use rovo_mcp_core::plumbing::fsutil::WriteOutcome;

const AUTHORIZATION: &str = "Basic dGVzdEBleGFtcGxlLmNvbTpBVEFUVDN4ZmFrZQ==";

fn settings(mode: SecretMode) -> EntrySettings<'static> {
    EntrySettings {
        name: DEFAULT_SERVER_NAME,
        endpoint: DEFAULT_ENDPOINT,
        mode,
        authorization: AUTHORIZATION,
        bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
        keychain_carrier: KeychainCarrier::Helper,
    }
}

struct Home {
    root: tempfile::TempDir,
    environment: ClientEnvironment,
}

impl Home {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        fs::create_dir(&home).unwrap();
        let environment = ClientEnvironment::new(Os::Linux, &home, []);
        Self { root, environment }
    }

    fn path_of(&self, client: &Client) -> PathBuf {
        client.config_path(&self.environment).unwrap()
    }

    fn seed(&self, client: &Client, contents: &[u8]) -> PathBuf {
        let path = self.path_of(client);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    fn backups(&self) -> &Path {
        self.root.path()
    }
}

/// A config each client's users plausibly have: another server, other settings, and comments
/// where the client's format allows them.
#[expect(
    clippy::too_many_lines,
    reason = "each client's file written out as the person has it reads best in one place"
)]
fn realistic_config(client: &Client) -> &'static str {
    match client.id {
        "vscode" | "vscode-insiders" => {
            "{\n\t// Added by hand\n\t\"servers\": {\n\t\t\"github\": {\n\t\t\t\"type\": \"http\",\n\t\t\t\"url\": \"https://api.githubcopilot.com/mcp/\",\n\t\t},\n\t},\n\t\"inputs\": [],\n}\n"
        }
        "zed" => {
            indoc! {r#"
            // Zed settings
            {
              "theme": "One Dark",
              "ui_font_size": 16,
              "context_servers": {
                "postgres": {
                  "command": "npx",
                  "args": ["-y", "mcp-postgres"], // local db
                },
              },
            }
            "#}
        }
        "kilo-code" | "opencode" => {
            indoc! {r#"
            {
              "$schema": "https://opencode.ai/config.json",
              // my servers
              "mcp": {
                "local": { "type": "local", "command": ["bun", "x", "my-mcp"] }
              }
            }
            "#}
        }
        "crush" => {
            indoc! {r#"
            {
              "$schema": "https://charm.land/crush.json",
              "mcp": {
                "filesystem": { "type": "stdio", "command": "mcp-fs" }
              }
            }
            "#}
        }
        "gemini-cli" | "qwen-code" => {
            indoc! {r#"
            {
              // theme and servers
              "theme": "GitHub",
              "mcpServers": {
                "github": { "httpUrl": "https://api.githubcopilot.com/mcp/" }
              }
            }
            "#}
        }
        "claude-code" => {
            indoc! {r#"
            {
              "numStartups": 42,
              "projects": {
                "/home/me/projects/app": { "mcpServers": {} }
              },
              "mcpServers": {
                "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" }
              }
            }
            "#}
        }
        "amp" => {
            indoc! {r#"
            {
              "amp.notifications.enabled": false,
              "amp.mcpServers": {
                "playwright": { "command": "npx", "args": ["-y", "@playwright/mcp@latest"] }
              }
            }
            "#}
        }
        "visual-studio" | "copilot-jetbrains" | "copilot-xcode" => {
            indoc! {r#"
            {
              "servers": {
                "github": { "url": "https://api.githubcopilot.com/mcp/" }
              }
            }
            "#}
        }
        "codex" => {
            indoc! {r#"
            # Codex settings
            model = "gpt-5-codex"
            approval_policy = "on-request"

            [mcp_servers.github] # by hand
            command = "npx"
            args = ["-y", "mcp-github"]

            [profiles.fast]
            model = "o4-mini"
            "#}
        }
        "goose" => {
            indoc! {r"
            GOOSE_PROVIDER: openai
            GOOSE_MODEL: gpt-4o
            extensions:
              developer:
                bundled: true
                enabled: true
                name: developer
                timeout: 300
                type: builtin
            # keep this comment
            "}
        }
        "continue" => {
            // Our block file, where someone added a second server by hand.
            indoc! {r"
            name: Atlassian Rovo MCP
            version: 1.0.0
            schema: v1
            mcpServers:
              - name: sqlite
                command: npx
                args:
                  - -y
                  - mcp-sqlite
            "}
        }
        _ => {
            indoc! {r#"
            {
              "mcpServers": {
                "github": {
                  "command": "npx",
                  "args": ["-y", "@modelcontextprotocol/server-github"]
                }
              }
            }
            "#}
        }
    }
}

/// Compares `actual` with the golden file `tests/golden/<name>.snap`, an insta snapshot:
/// `cargo insta review` (or `INSTA_UPDATE=always`) shows and accepts a change, which is then
/// reviewed like code.
#[track_caller]
fn check_golden(name: &str, actual: &str) {
    insta::with_settings!({
        snapshot_path => "golden",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, actual);
    });
}

fn golden_name(client: &Client, suffix: &str) -> String {
    let extension = match client.format {
        ConfigFormat::Json => "json",
        ConfigFormat::Toml => "toml",
        ConfigFormat::Yaml => "yaml",
    };
    format!("{}.{suffix}.{extension}", client.id)
}

/// Clients that exist on Linux, where these tests run; Visual Studio is checked on Windows
/// paths below.
fn linux_clients(home: &Home) -> Vec<&'static Client> {
    ALL.into_iter()
        .filter(|client| client.config_path(&home.environment).is_some())
        .collect()
}

#[test]
fn every_client_gets_its_entry_in_a_realistic_file_and_remove_restores_it() {
    let home = Home::new();
    for client in linux_clients(&home) {
        let before = realistic_config(client);
        let path = home.seed(client, before.as_bytes());

        let plan = plan_configure(client, &home.environment, &settings(SecretMode::Inline))
            .unwrap_or_else(|error| panic!("{}: {error}", client.id));
        assert_eq!(plan.change(), Change::Update, "{}", client.id);
        let diff = plan.diff();
        assert!(
            diff.contains(&format!("+++ {}", path.display())),
            "{}: {diff}",
            client.id
        );
        assert!(
            !diff.contains("ATATT3xfake"),
            "{}: the diff masks the secret",
            client.id
        );
        plan.apply(home.backups()).unwrap();
        let after = fs::read_to_string(&path).unwrap();
        check_golden(&golden_name(client, "configured"), &after);

        let again =
            plan_configure(client, &home.environment, &settings(SecretMode::Inline)).unwrap();
        assert_eq!(
            again.change(),
            Change::Unchanged,
            "{}: a second run changes nothing",
            client.id
        );

        let status = clients::status(client, &home.environment, DEFAULT_SERVER_NAME);
        let entry = status
            .entry
            .unwrap_or_else(|| panic!("{}: entry read back", client.id));
        assert_eq!(entry.mode, Some(SecretMode::Inline), "{}", client.id);
        assert_eq!(
            entry.url.as_deref(),
            Some(DEFAULT_ENDPOINT),
            "{}",
            client.id
        );

        let removal = plan_remove(
            client,
            &home.environment,
            DEFAULT_SERVER_NAME,
            home.backups(),
            FileOrigin::Found,
        )
        .unwrap();
        assert_eq!(removal.change(), Change::Update, "{}", client.id);
        removal.apply(home.backups()).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            before,
            "{}: remove gives back every byte",
            client.id
        );
    }
}

/// `keychain` mode in every client that can start a local server or run a header helper: the
/// file gets our bridge (or Claude Code's helper) and never the secret, the entry reads back as
/// ours, and remove gives back every byte.
#[test]
fn every_client_takes_a_keychain_entry_that_holds_no_secret() {
    let home = Home::new();
    let keychain = settings(SecretMode::Keychain);
    let bridged = EntrySettings {
        keychain_carrier: KeychainCarrier::Bridge,
        ..keychain
    };
    for client in linux_clients(&home) {
        assert!(
            client.modes().contains(&SecretMode::Keychain),
            "{}: every client on Linux can keep the secret out of its file",
            client.id
        );
        for (settings, suffix) in [(keychain, "keychain"), (bridged, "keychain-bridge")] {
            if suffix == "keychain-bridge" && client.id != "claude-code" {
                continue;
            }
            let before = realistic_config(client);
            let path = home.seed(client, before.as_bytes());
            plan_configure(client, &home.environment, &settings)
                .unwrap_or_else(|error| panic!("{}: {error}", client.id))
                .apply(home.backups())
                .unwrap();
            let after = fs::read_to_string(&path).unwrap();
            check_golden(&golden_name(client, suffix), &after);
            assert!(
                !after.contains("ATATT3xfake") && !after.contains(AUTHORIZATION),
                "{}: the file holds no secret in keychain mode\n{after}",
                client.id
            );
            let entry = clients::status(client, &home.environment, DEFAULT_SERVER_NAME)
                .entry
                .unwrap_or_else(|| panic!("{}: entry read back", client.id));
            assert_eq!(
                entry.mode,
                Some(SecretMode::Keychain),
                "{}: read back as our keychain entry",
                client.id
            );
            plan_remove(
                client,
                &home.environment,
                DEFAULT_SERVER_NAME,
                home.backups(),
                FileOrigin::Found,
            )
            .unwrap()
            .apply(home.backups())
            .unwrap();
            assert_eq!(
                fs::read_to_string(&path).unwrap(),
                before,
                "{}: remove gives back every byte",
                client.id
            );
        }
    }
}

/// Copilot for Xcode exists on macOS only; its file is checked there, on a macOS-shaped home.
#[test]
fn copilot_for_xcode_gets_its_entry_on_macos() {
    let root = tempfile::tempdir().unwrap();
    let environment = ClientEnvironment::new(Os::MacOs, root.path(), []);
    let xcode = clients::find("copilot-xcode").unwrap();
    let path = xcode.config_path(&environment).unwrap();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let before = realistic_config(xcode);
    fs::write(&path, before).unwrap();
    for (mode, suffix) in [
        (SecretMode::Inline, "configured"),
        (SecretMode::Keychain, "keychain"),
    ] {
        plan_configure(xcode, &environment, &settings(mode))
            .unwrap()
            .apply(root.path())
            .unwrap();
        check_golden(
            &golden_name(xcode, suffix),
            &fs::read_to_string(&path).unwrap(),
        );
    }
    plan_remove(
        xcode,
        &environment,
        DEFAULT_SERVER_NAME,
        root.path(),
        FileOrigin::Found,
    )
    .unwrap()
    .apply(root.path())
    .unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        before,
        "remove gives back every byte"
    );
}

/// VS Code's profiles with their own MCP servers get the same entry as the default profile: a
/// profile folder without `mcp.json` gets one, a profile's own servers stay, a profile sharing the
/// default's servers is left alone, and remove gives every file back.
#[test]
fn vscode_profiles_get_the_same_entry_and_lose_it_with_the_default() {
    let home = Home::new();
    let user = home.environment.home(&[".config", "Code", "User"]);
    let work = user.join("profiles/-6f1a2b");
    let empty = user.join("profiles/3c4d5e");
    let shared = user.join("profiles/7a8b9c");
    for folder in [&work, &empty, &shared, &user.join("globalStorage")] {
        fs::create_dir_all(folder).unwrap();
    }
    fs::write(
        user.join("globalStorage/storage.json"),
        r#"{"userDataProfiles":[{"name":"Work","location":"-6f1a2b"},{"name":"Empty","location":"3c4d5e"},{"name":"Shared","location":"7a8b9c","useDefaultFlags":{"mcp":true}}]}"#,
    )
    .unwrap();
    let work_before = "{\n  \"servers\": {\n    \"github\": { \"type\": \"http\", \"url\": \"https://api.githubcopilot.com/mcp/\" }\n  }\n}\n";
    fs::write(work.join("mcp.json"), work_before).unwrap();
    let vscode = clients::find("vscode").unwrap();

    let plan = plan_configure(vscode, &home.environment, &settings(SecretMode::Inline)).unwrap();
    let note = plan.note().unwrap_or_default();
    assert!(
        note.contains("“Work”") && note.contains("“Empty”") && !note.contains("Shared"),
        "the person is told which profiles change: {note}"
    );
    plan.apply(home.backups()).unwrap();

    for file in [
        user.join("mcp.json"),
        work.join("mcp.json"),
        empty.join("mcp.json"),
    ] {
        let written = fs::read_to_string(&file).unwrap();
        assert!(
            written.contains("atlassian-rovo-mcp") && written.contains(AUTHORIZATION),
            "`{}` gets our entry",
            file.display()
        );
    }
    assert!(
        fs::read_to_string(work.join("mcp.json"))
            .unwrap()
            .contains("github"),
        "the profile's own server stays"
    );
    assert!(
        !shared.join("mcp.json").exists(),
        "a profile that shares the default's servers reads the default's file"
    );

    plan_remove(
        vscode,
        &home.environment,
        DEFAULT_SERVER_NAME,
        home.backups(),
        FileOrigin::Found,
    )
    .unwrap()
    .apply(home.backups())
    .unwrap();
    assert_eq!(
        fs::read_to_string(work.join("mcp.json")).unwrap(),
        work_before,
        "remove gives the profile's file back byte for byte"
    );
    assert!(
        !fs::read_to_string(empty.join("mcp.json"))
            .unwrap()
            .contains("atlassian-rovo-mcp"),
        "and takes our entry out of the file it created in the empty profile"
    );
}

/// A keychain entry that runs the app itself (before the lean executable shipped) reads as ours,
/// and configuring again points it at the lean executable.
#[test]
fn configure_moves_a_bridge_entry_from_the_app_to_the_lean_executable() {
    let home = Home::new();
    let claude_desktop = clients::find("claude-desktop").unwrap();
    let path = home.seed(
        claude_desktop,
        b"{\n  \"mcpServers\": {\n    \"atlassian-rovo-mcp\": {\n      \"command\": \"/usr/bin/rovo-mcp-setup\",\n      \"args\": [\"bridge\", \"--endpoint\", \"https://mcp.atlassian.com/v2/mcp\"]\n    }\n  }\n}\n",
    );
    let entry = clients::status(claude_desktop, &home.environment, DEFAULT_SERVER_NAME).entry;
    assert_eq!(
        entry.and_then(|entry| entry.mode),
        Some(SecretMode::Keychain),
        "an entry running the app's own bridge is ours"
    );
    let lean = EntrySettings {
        bridge_command: "/usr/bin/rovo-mcp-setup-cli",
        ..settings(SecretMode::Keychain)
    };
    let plan = plan_configure(claude_desktop, &home.environment, &lean).unwrap();
    assert_eq!(plan.change(), Change::Update, "the entry is moved");
    plan.apply(home.backups()).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        written["mcpServers"]["atlassian-rovo-mcp"]["command"], "/usr/bin/rovo-mcp-setup-cli",
        "it runs the lean executable now"
    );
}

/// A client that moved its config: our entry at the old place is shown by `status`, moved by
/// `configure` (the old file keeps everything else) and taken out by `remove`.
#[test]
fn an_entry_at_a_clients_former_location_is_found_moved_and_removed() {
    let home = Home::new();
    let old_cline = home.environment.home(&[
        ".config",
        "Code",
        "User",
        "globalStorage",
        "saoudrizwan.claude-dev",
        "settings",
    ]);
    fs::create_dir_all(&old_cline).unwrap();
    let old_file = old_cline.join("cline_mcp_settings.json");
    let theirs = "{\n  \"mcpServers\": {\n    \"github\": { \"command\": \"npx\", \"args\": [\"-y\", \"mcp-github\"] }\n  }\n}\n";
    fs::write(&old_file, theirs).unwrap();
    let cline = clients::find("cline").unwrap();
    // Our entry as an earlier release wrote it, into the file Cline 3 read.
    let old_config = theirs.replace(
        "}\n  }\n}",
        "},\n    \"atlassian-rovo-mcp\": { \"type\": \"streamableHttp\", \"url\": \"https://mcp.atlassian.com/v1/mcp\", \"headers\": { \"Authorization\": \"Basic b2xk\" } }\n  }\n}",
    );
    fs::write(&old_file, &old_config).unwrap();

    let status = clients::status(cline, &home.environment, DEFAULT_SERVER_NAME);
    assert_eq!(
        status.former_path.as_deref(),
        Some(old_file.to_str().unwrap()),
        "status finds our entry where Cline no longer reads"
    );
    assert_eq!(
        status.entry.and_then(|entry| entry.url).as_deref(),
        Some("https://mcp.atlassian.com/v1/mcp")
    );

    let plan = plan_configure(cline, &home.environment, &settings(SecretMode::Inline)).unwrap();
    assert_eq!(plan.change(), Change::Create, "the new file is created");
    assert!(
        plan.diff().contains(old_file.to_str().unwrap()),
        "the preview shows the old file losing our entry:\n{}",
        plan.diff()
    );
    assert!(
        plan.note()
            .is_some_and(|note| note.contains("moved here from")),
        "{:?}",
        plan.note()
    );
    plan.apply(home.backups()).unwrap();
    assert_eq!(
        fs::read_to_string(&old_file).unwrap(),
        indoc! {r#"
            {
              "mcpServers": {
                "github": { "command": "npx", "args": ["-y", "mcp-github"] }
              }
            }
        "#},
        "the old file keeps the person's server and loses ours, with its old secret"
    );
    let new_file = home.path_of(cline);
    assert!(
        fs::read_to_string(&new_file)
            .unwrap()
            .contains(AUTHORIZATION),
        "the entry is where Cline 4 reads"
    );
    let status = clients::status(cline, &home.environment, DEFAULT_SERVER_NAME);
    assert_eq!(status.former_path, None, "nothing is left at the old place");

    fs::write(&old_file, &old_config).unwrap();
    plan_remove(
        cline,
        &home.environment,
        DEFAULT_SERVER_NAME,
        home.backups(),
        FileOrigin::CreatedBySetup,
    )
    .unwrap()
    .apply(home.backups())
    .unwrap();
    assert!(!new_file.exists(), "the file our setup created goes");
    assert!(
        !fs::read_to_string(&old_file)
            .unwrap()
            .contains("atlassian-rovo-mcp"),
        "and remove takes our entry out of the old file too"
    );
}

/// Continue's `config.yaml` held our entry before block files: configure moves it into the
/// block file and leaves the rest of `config.yaml` as it was; a block file that gained a second
/// server keeps it when ours is removed.
#[test]
fn continue_moves_from_config_yaml_to_a_block_file_of_its_own() {
    let home = Home::new();
    let continue_dev = clients::find("continue").unwrap();
    let config_yaml = home.environment.home(&[".continue", "config.yaml"]);
    fs::create_dir_all(config_yaml.parent().unwrap()).unwrap();
    let theirs = "name: Local Assistant\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: Llama\n    provider: ollama\n    model: llama3\nmcpServers:\n  - name: sqlite\n    command: npx\n";
    fs::write(
        &config_yaml,
        format!("{theirs}  - name: atlassian-rovo-mcp\n    type: streamable-http\n    url: https://mcp.atlassian.com/v1/mcp\n"),
    )
    .unwrap();

    plan_configure(
        continue_dev,
        &home.environment,
        &settings(SecretMode::Keychain),
    )
    .unwrap()
    .apply(home.backups())
    .unwrap();

    assert_eq!(
        fs::read_to_string(&config_yaml).unwrap(),
        theirs,
        "config.yaml keeps everything but our entry"
    );
    let block = home.path_of(continue_dev);
    let written = fs::read_to_string(&block).unwrap();
    assert!(
        written.starts_with("name: Atlassian Rovo MCP\nversion: 1.0.0\nschema: v1\nmcpServers:\n"),
        "the block file has the header Continue's schema requires:\n{written}"
    );

    let with_theirs = format!("{written}  - name: notes\n    command: notes-mcp\n");
    fs::write(&block, &with_theirs).unwrap();
    plan_remove(
        continue_dev,
        &home.environment,
        DEFAULT_SERVER_NAME,
        home.backups(),
        FileOrigin::CreatedBySetup,
    )
    .unwrap()
    .apply(home.backups())
    .unwrap();
    assert_eq!(
        fs::read_to_string(&block).unwrap(),
        indoc! {r"
            name: Atlassian Rovo MCP
            version: 1.0.0
            schema: v1
            mcpServers:
              - name: notes
                command: notes-mcp
        "},
        "a block file with a second server keeps it and its header; only our item goes"
    );
}

#[test]
fn a_file_we_create_is_deleted_again_by_remove() {
    let home = Home::new();
    for client in linux_clients(&home) {
        let path = home.path_of(client);
        let plan =
            plan_configure(client, &home.environment, &settings(SecretMode::Inline)).unwrap();
        assert_eq!(plan.change(), Change::Create, "{}", client.id);
        plan.apply(home.backups()).unwrap();
        let created = fs::read_to_string(&path).unwrap();
        check_golden(&golden_name(client, "created"), &created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode, 0o600,
                "{}: a new file holding a secret is private",
                client.id
            );
        }

        let removal = plan_remove(
            client,
            &home.environment,
            DEFAULT_SERVER_NAME,
            home.backups(),
            FileOrigin::CreatedBySetup,
        )
        .unwrap();
        assert_eq!(removal.change(), Change::Delete, "{}", client.id);
        let outcome = removal.apply(home.backups()).unwrap();
        assert!(
            matches!(outcome, WriteOutcome::Deleted { .. }),
            "{}",
            client.id
        );
        assert!(!path.exists(), "{}: the file we created is gone", client.id);
    }
}

#[test]
fn removing_from_a_client_without_our_entry_changes_nothing() {
    let home = Home::new();
    for client in linux_clients(&home) {
        let missing = plan_remove(
            client,
            &home.environment,
            DEFAULT_SERVER_NAME,
            home.backups(),
            FileOrigin::Found,
        )
        .unwrap();
        assert_eq!(
            missing.change(),
            Change::Unchanged,
            "{}: no file, nothing to do",
            client.id
        );
        home.seed(client, realistic_config(client).as_bytes());
        let seeded = plan_remove(
            client,
            &home.environment,
            DEFAULT_SERVER_NAME,
            home.backups(),
            FileOrigin::Found,
        )
        .unwrap();
        assert_eq!(seeded.change(), Change::Unchanged, "{}", client.id);
        assert_eq!(seeded.diff(), "");
    }
}

#[test]
fn vscode_prompt_mode_adds_an_input_and_switching_back_drops_it() {
    let home = Home::new();
    let client = clients::find("vscode").unwrap();
    let path = home.seed(client, realistic_config(client).as_bytes());

    plan_configure(client, &home.environment, &settings(SecretMode::Prompt))
        .unwrap()
        .apply(home.backups())
        .unwrap();
    let prompted = fs::read_to_string(&path).unwrap();
    check_golden("vscode.prompt.json", &prompted);
    assert!(
        !prompted.contains("ATATT3xfake"),
        "prompt mode writes no secret"
    );
    let status = clients::status(client, &home.environment, DEFAULT_SERVER_NAME);
    assert_eq!(status.entry.unwrap().mode, Some(SecretMode::Prompt));

    let inline = plan_configure(client, &home.environment, &settings(SecretMode::Inline)).unwrap();
    assert!(
        inline
            .diff()
            .contains("-\t\t\t\"id\": \"atlassian-rovo-mcp-authorization\""),
        "{}",
        inline.diff()
    );
    inline.apply(home.backups()).unwrap();
    let removal = plan_remove(
        client,
        &home.environment,
        DEFAULT_SERVER_NAME,
        home.backups(),
        FileOrigin::Found,
    )
    .unwrap();
    removal.apply(home.backups()).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), realistic_config(client));
}

#[test]
fn an_existing_entry_with_another_url_is_updated_in_place_and_shown() {
    let home = Home::new();
    let client = clients::find("cursor").unwrap();
    let before = "{\n  \"mcpServers\": {\n    // ours, from last year\n    \"atlassian-rovo-mcp\": { \"url\": \"https://mcp.atlassian.com/v1/sse\", \"headers\": { \"Authorization\": \"Bearer oldkey\" } },\n    \"github\": { \"command\": \"npx\" }\n  }\n}\n";
    let path = home.seed(client, before.as_bytes());

    let plan = plan_configure(client, &home.environment, &settings(SecretMode::Inline)).unwrap();

    assert_eq!(plan.change(), Change::Update);
    let previous = plan.previous_entry().expect("the old entry is reported");
    assert_eq!(
        previous.url.as_deref(),
        Some("https://mcp.atlassian.com/v1/sse")
    );
    assert_eq!(previous.mode, Some(SecretMode::Inline));
    let diff = plan.diff();
    assert!(
        diff.contains(
            "-    \"atlassian-rovo-mcp\": { \"url\": \"https://mcp.atlassian.com/v1/sse\""
        ),
        "{diff}"
    );
    assert!(
        diff.contains("+      \"url\": \"https://mcp.atlassian.com/v2/mcp\","),
        "{diff}"
    );
    assert!(
        !diff.contains("oldkey"),
        "the old secret is masked too: {diff}"
    );
    plan.apply(home.backups()).unwrap();
    let after = fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("// ours, from last year\n    \"atlassian-rovo-mcp\": {"),
        "{after}"
    );
    assert!(
        after.find("atlassian-rovo-mcp") < after.find("github"),
        "the entry keeps its place"
    );
}

#[test]
fn a_client_rewriting_its_file_between_plan_and_write_keeps_its_change() {
    let home = Home::new();
    let client = clients::find("claude-code").unwrap();
    let path = home.seed(client, realistic_config(client).as_bytes());
    let plan = plan_configure(client, &home.environment, &settings(SecretMode::Inline)).unwrap();

    // Claude Code counts its startups in this very file.
    let rewritten = realistic_config(client).replace("\"numStartups\": 42", "\"numStartups\": 43");
    fs::write(&path, &rewritten).unwrap();
    plan.apply(home.backups()).unwrap();

    let after = fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("\"numStartups\": 43"),
        "their change survives: {after}"
    );
    assert!(
        after.contains("\"atlassian-rovo-mcp\""),
        "and our entry is there: {after}"
    );
}

/// Text each format refuses, the line it should be reported on, and what the message says.
fn bad_inputs(format: ConfigFormat) -> Vec<(&'static str, &'static [u8], usize, &'static str)> {
    match format {
        ConfigFormat::Json => vec![
            (
                "invalid",
                b"{\n  \"a\": 1\n  \"b\": 2\n}\n",
                2,
                "not valid JSON",
            ),
            ("root array", b"[\n]\n", 1, "the top level is a list"),
            (
                "non-UTF-8",
                b"{\n\n  \"a\": \"\xff\xfe\"\n}\n",
                3,
                "not valid UTF-8",
            ),
        ],
        ConfigFormat::Toml => vec![
            (
                "invalid",
                b"model = \"x\"\n[mcp_servers\n",
                2,
                "not valid TOML",
            ),
            (
                "wrong shape",
                b"\nmcp_servers = \"none\"\n",
                2,
                "is a string, expected a table",
            ),
            ("duplicate", b"[a]\nx = 1\n[a]\n", 3, "not valid TOML"),
            ("non-UTF-8", b"a = 1\nb = \"\xff\"\n", 2, "not valid UTF-8"),
        ],
        ConfigFormat::Yaml => vec![
            ("invalid", b"a: 1\nb: [1, 2\n", 2, "not valid YAML"),
            ("root list", b"- a\n- b\n", 1, "the top level is not a map"),
            ("non-UTF-8", b"a: 1\nb: \xff\n", 2, "not valid UTF-8"),
        ],
    }
}

/// The client's container holding the wrong kind of value, and a duplicate of it.
fn wrong_shapes(client: &Client) -> Vec<(String, usize, &'static str)> {
    let location = client.entry_container()[0];
    match client.format {
        ConfigFormat::Json => vec![
            (
                format!("{{\n  \"{location}\": []\n}}\n"),
                2,
                "is a list, expected",
            ),
            (
                format!("{{\n  \"{location}\": \"x\"\n}}\n"),
                2,
                "is a string, expected",
            ),
            (
                format!("{{\n  \"{location}\": {{}},\n  \"{location}\": {{}}\n}}\n"),
                3,
                "appears more than once",
            ),
        ],
        ConfigFormat::Toml => vec![(format!("{location} = [1]\n"), 1, "is a list")],
        ConfigFormat::Yaml => vec![
            (format!("{location}: text\n"), 1, "is a single value"),
            (format!("{location}:\n\n{location}:\n"), 3, "more than once"),
        ],
    }
}

#[test]
fn bad_files_are_refused_per_client_with_path_and_line_and_left_untouched() {
    let home = Home::new();
    for client in linux_clients(&home) {
        let mut cases: Vec<(String, Vec<u8>, usize, &str)> = bad_inputs(client.format)
            .into_iter()
            .map(|(what, bytes, line, message)| (what.to_owned(), bytes.to_vec(), line, message))
            .collect();
        cases.extend(
            wrong_shapes(client)
                .into_iter()
                .map(|(text, line, message)| (text.clone(), text.into_bytes(), line, message)),
        );
        for (what, bytes, line, message) in cases {
            let path = home.seed(client, &bytes);
            let error = plan_configure(client, &home.environment, &settings(client.modes()[0]))
                .expect_err(&format!("{} accepts {what:?}", client.id));
            assert_eq!(
                error.kind(),
                ErrorKind::ConfigInvalid,
                "{}: {what:?}",
                client.id
            );
            let expected = format!("`{}` line {line}: ", path.display());
            assert!(
                error.message().starts_with(&expected) && error.message().contains(message),
                "{}: {what:?}: {error}",
                client.id
            );
            assert_eq!(fs::read(&path).unwrap(), bytes, "{}: untouched", client.id);
        }
    }
}

#[test]
fn an_empty_file_is_filled_like_a_missing_one() {
    let home = Home::new();
    for client in linux_clients(&home) {
        let path = home.seed(client, b"");
        let plan = plan_configure(client, &home.environment, &settings(client.modes()[0])).unwrap();
        assert_eq!(plan.change(), Change::Update, "{}", client.id);
        plan.apply(home.backups()).unwrap();
        let filled = fs::read_to_string(&path).unwrap();
        assert!(
            filled.contains(DEFAULT_SERVER_NAME),
            "{}: {filled}",
            client.id
        );
    }
}

#[test]
fn a_five_megabyte_config_is_edited_without_losing_a_byte() {
    let home = Home::new();
    let client = clients::find("claude-code").unwrap();
    let history = "x".repeat(5 * 1024 * 1024);
    let before = format!("{{\n  \"history\": \"{history}\",\n  \"mcpServers\": {{}}\n}}\n");
    let path = home.seed(client, before.as_bytes());
    let started = std::time::Instant::now();

    let plan = plan_configure(client, &home.environment, &settings(SecretMode::Inline)).unwrap();
    plan.apply(home.backups()).unwrap();
    plan_remove(
        client,
        &home.environment,
        DEFAULT_SERVER_NAME,
        home.backups(),
        FileOrigin::Found,
    )
    .unwrap()
    .apply(home.backups())
    .unwrap();

    assert_eq!(fs::read_to_string(&path).unwrap().len(), before.len());
    assert!(
        started.elapsed().as_secs() < 20,
        "a big file is handled in reasonable time, took {:?}",
        started.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn unwritable_and_broken_locations_are_reported_per_client_by_path() {
    use std::os::unix::fs::PermissionsExt as _;
    let home = Home::new();
    let cursor = clients::find("cursor").unwrap();
    let codex = clients::find("codex").unwrap();
    let zed = clients::find("zed").unwrap();
    let windsurf = clients::find("windsurf").unwrap();

    // Cursor's folder is a file.
    fs::write(home.environment.home(&[".cursor"]), "oops").unwrap();
    let error =
        plan_configure(cursor, &home.environment, &settings(SecretMode::Inline)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConfigWriteFailed);
    assert!(
        error.message().contains(".cursor") && error.message().contains("is a file"),
        "{error}"
    );

    // Codex's config is a dangling symlink.
    let codex_path = home.path_of(codex);
    fs::create_dir_all(codex_path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../dotfiles/codex.toml", &codex_path).unwrap();
    let error =
        plan_configure(codex, &home.environment, &settings(SecretMode::Inline)).unwrap_err();
    assert!(error.message().contains("does not exist"), "{error}");

    // Zed's settings are read-only.
    let zed_path = home.seed(zed, realistic_config(zed).as_bytes());
    fs::set_permissions(&zed_path, fs::Permissions::from_mode(0o444)).unwrap();
    let plan = plan_configure(zed, &home.environment, &settings(SecretMode::Inline)).unwrap();
    let error = plan.apply(home.backups()).unwrap_err();
    assert!(error.message().contains("read-only"), "{error}");
    assert_eq!(
        fs::read_to_string(&zed_path).unwrap(),
        realistic_config(zed)
    );

    // Windsurf's folder is read-only.
    let windsurf_path = home.seed(windsurf, realistic_config(windsurf).as_bytes());
    let folder = windsurf_path.parent().unwrap();
    fs::set_permissions(folder, fs::Permissions::from_mode(0o555)).unwrap();
    let plan = plan_configure(windsurf, &home.environment, &settings(SecretMode::Inline)).unwrap();
    let error = plan.apply(home.backups()).unwrap_err();
    fs::set_permissions(folder, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(error.message().contains("read-only"), "{error}");
    assert_eq!(
        fs::read_to_string(&windsurf_path).unwrap(),
        realistic_config(windsurf)
    );
}

#[cfg(unix)]
#[test]
fn symlinked_configs_are_written_through_and_the_link_kept() {
    let home = Home::new();
    let client = clients::find("gemini-cli").unwrap();
    let dotfiles = home.environment.home(&["dotfiles"]);
    fs::create_dir_all(&dotfiles).unwrap();
    let target = dotfiles.join("gemini.json");
    fs::write(&target, realistic_config(client)).unwrap();
    let link = home.path_of(client);
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();

    plan_configure(client, &home.environment, &settings(SecretMode::Inline))
        .unwrap()
        .apply(home.backups())
        .unwrap();

    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .contains(DEFAULT_SERVER_NAME)
    );
}

#[test]
fn crlf_and_bom_files_keep_them() {
    let home = Home::new();
    let client = clients::find("claude-desktop").unwrap();
    let before = format!("\u{feff}{}", realistic_config(client).replace('\n', "\r\n"));
    let path = home.seed(client, before.as_bytes());

    plan_configure(client, &home.environment, &settings(SecretMode::Inline))
        .unwrap()
        .apply(home.backups())
        .unwrap();
    let after = fs::read_to_string(&path).unwrap();
    assert!(after.starts_with('\u{feff}'));
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    plan_remove(
        client,
        &home.environment,
        DEFAULT_SERVER_NAME,
        home.backups(),
        FileOrigin::Found,
    )
    .unwrap()
    .apply(home.backups())
    .unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn stdio_only_clients_get_the_bridge_with_cmd_on_windows() {
    let home = tempfile::tempdir().unwrap();
    let windows = ClientEnvironment::new(
        Os::Windows,
        home.path(),
        [("APPDATA", home.path().to_str().unwrap())],
    );
    let client = clients::find("claude-desktop").unwrap();
    assert!(client.uses_stdio_bridge());
    let plan = plan_configure(client, &windows, &settings(SecretMode::Inline)).unwrap();
    let diff = plan.diff();
    assert!(diff.contains("\"command\": \"cmd\""), "{diff}");
    assert!(diff.contains("\"Authorization:${AUTH_HEADER}\""), "{diff}");
}

/// The bad inputs of issue 15, all in one home: a config that is a folder, a symlink loop, a
/// read-only file, a Continue block file with a second server, a Cline path from a variable that
/// points nowhere, and a VS Code profile folder without `mcp.json`. Each client gets a clear
/// result of its own, every other client is written, and no byte outside our entry changes.
#[cfg(unix)]
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one seeded home with every bad input, checked client by client, reads best whole"
)]
fn every_bad_input_gets_its_own_result_and_the_others_are_written() {
    use std::os::unix::fs::{PermissionsExt as _, symlink};

    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let cline_settings = root.path().join("nowhere/cline_mcp_settings.json");
    let environment = ClientEnvironment::new(
        Os::Linux,
        &home,
        [("CLINE_MCP_SETTINGS_PATH", cline_settings.to_str().unwrap())],
    );
    let path = |id: &str| {
        clients::find(id)
            .unwrap()
            .config_path(&environment)
            .unwrap()
    };
    // Cursor's config is a folder.
    fs::create_dir_all(path("cursor")).unwrap();
    // Windsurf's is a link to a link to itself.
    let windsurf = path("windsurf");
    fs::create_dir_all(windsurf.parent().unwrap()).unwrap();
    symlink(windsurf.with_extension("other"), &windsurf).unwrap();
    symlink(&windsurf, windsurf.with_extension("other")).unwrap();
    // Kiro's is read-only.
    let kiro = path("kiro");
    fs::create_dir_all(kiro.parent().unwrap()).unwrap();
    fs::write(&kiro, "{}\n").unwrap();
    fs::set_permissions(&kiro, fs::Permissions::from_mode(0o444)).unwrap();
    // Continue's block file gained a second server.
    let block = path("continue");
    fs::create_dir_all(block.parent().unwrap()).unwrap();
    let block_before = "name: Atlassian Rovo MCP\nversion: 1.0.0\nschema: v1\nmcpServers:\n  - name: notes\n    command: notes-mcp\n";
    fs::write(&block, block_before).unwrap();
    // A VS Code profile whose folder has no `mcp.json` yet.
    let user = home.join(".config/Code/User");
    fs::create_dir_all(user.join("profiles/-6f1a2b")).unwrap();
    fs::create_dir_all(user.join("globalStorage")).unwrap();
    fs::write(
        user.join("globalStorage/storage.json"),
        r#"{"userDataProfiles":[{"name":"Work","location":"-6f1a2b"}]}"#,
    )
    .unwrap();
    let chosen = [
        "cursor", "windsurf", "kiro", "continue", "cline", "vscode", "codex",
    ]
    .map(|id| clients::find(id).unwrap());
    let settings = settings(SecretMode::Inline);

    let results = clients::write_each(
        &chosen,
        &environment,
        &root.path().join("backups"),
        |client| plan_configure(client, &environment, &settings),
    );

    let outcome = |id: &str| {
        let result = results.iter().find(|result| result.id == id).unwrap();
        (
            result.change,
            result.error.as_ref().map(|error| error.message.clone()),
        )
    };
    for (id, expected) in [
        ("cursor", "is a folder, not a regular file"),
        ("windsurf", "link"),
        ("kiro", "is read-only"),
        ("cline", "`CLINE_MCP_SETTINGS_PATH` puts Cline's config in"),
    ] {
        let (change, error) = outcome(id);
        let error = error.unwrap_or_else(|| panic!("{id} is refused, not written"));
        assert!(
            change.is_none() && error.contains(expected),
            "{id}: a clear reason of its own, `{expected}`: {error}"
        );
    }
    assert!(
        outcome("windsurf")
            .1
            .unwrap()
            .contains(windsurf.to_str().unwrap()),
        "the reason names the file"
    );
    assert!(
        !root.path().join("nowhere").exists(),
        "no folder is made where a mistyped variable points"
    );
    assert_eq!(
        fs::read_to_string(&kiro).unwrap(),
        "{}\n",
        "the read-only file is untouched"
    );
    let written = fs::read_to_string(&block).unwrap();
    assert_eq!(
        written
            .strip_prefix(block_before)
            .map(|rest| rest.starts_with("  - name: atlassian-rovo-mcp\n")),
        Some(true),
        "the block file keeps its second server byte for byte and gains ours after it:\n{written}"
    );
    assert_eq!(outcome("vscode").0, Some(Change::Create));
    assert!(
        fs::read_to_string(user.join("profiles/-6f1a2b/mcp.json"))
            .unwrap()
            .contains("atlassian-rovo-mcp"),
        "the profile without `mcp.json` gets one"
    );
    assert_eq!(
        outcome("codex").0,
        Some(Change::Create),
        "a client after all the refused ones is still written"
    );
    assert_eq!(
        clients::exit_code(&results),
        8,
        "and the run says some failed"
    );
}
