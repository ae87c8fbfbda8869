//! The real clients judge the entries we write (issue 4): each CLI, installed from npm by `make
//! setup-test` into `tests/client-judges`, runs on a temporary home where the core wrote our
//! entry next to one the user already had, and must list both; Claude Code, Gemini CLI,
//! opencode, Amp and Kilo Code also connect to a test server on loopback and report ours healthy.
//!
//! In `keychain` mode (issue 15) the real binary's `configure` stores the secret in a private
//! Secret Service and writes the entry; the client then starts our bridge, or runs our header
//! helper (Claude Code's `headersHelper`), which reads the keychain, and must connect: the test
//! server refuses any other header, and the client's file holds none.
//!
//! Nothing leaves the machine: every CLI gets a cleared environment with its update checks,
//! telemetry and model downloads turned off, works in an empty folder of its temporary home,
//! and is killed after `CLI_DEADLINE`. No CLI needs a login for these commands (Amp's `mcp doctor`
//! takes a placeholder key, which goes nowhere).

use std::cell::OnceCell;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indoc::indoc;
use rovo_e2e::{app_binary, repository_root};
use rovo_mcp_core::domain::clients::{
    self, ClientEnvironment, DEFAULT_SERVER_NAME, EntrySettings, Os, SecretMode, backup_folder,
    plan_configure,
};
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::secret_service::SecretServiceSession;
use serde_json::Value;

/// The header value the test server grants, written inline as a user with a token would.
const AUTHORIZATION: &str = "Basic anVkZ2VAZXhhbXBsZS5jb206QVRBVFQzeGp1ZGdl";

/// The account and token `AUTHORIZATION` encodes, as `configure` takes them in keychain mode.
const EMAIL: &str = "judge@example.com";
const TOKEN: &str = "ATATT3xjudge";

/// How long one CLI run may take before it is killed and the test fails with what it printed.
const CLI_DEADLINE: Duration = Duration::from_secs(60);

/// The server the user configured before us in every seeded config: a local stdio server whose
/// command is not installed here, so a client that health-checks it fails fast and offline.
const THEIR_SERVER: &str = "notes";

/// Variables that keep each CLI offline and quiet apart from the MCP server it is pointed at,
/// as named in the CLIs' own sources.
const QUIET: [(&str, &str); 24] = [
    // Claude Code: no auto-update, telemetry, error reports or other non-essential traffic.
    ("DISABLE_AUTOUPDATER", "1"),
    ("DISABLE_TELEMETRY", "1"),
    ("DISABLE_ERROR_REPORTING", "1"),
    ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
    // Gemini CLI: no telemetry; trust the working folder, since servers, user-level ones too,
    // are suppressed in an untrusted folder.
    ("GEMINI_TELEMETRY_ENABLED", "false"),
    ("GEMINI_CLI_TRUST_WORKSPACE", "true"),
    // opencode: no self-update, models.dev fetch, language-server downloads or default plugins
    // (which npm-install themselves), and no reading of Claude Code's files.
    ("OPENCODE_DISABLE_AUTOUPDATE", "1"),
    ("OPENCODE_DISABLE_MODELS_FETCH", "1"),
    ("OPENCODE_DISABLE_LSP_DOWNLOAD", "1"),
    ("OPENCODE_DISABLE_DEFAULT_PLUGINS", "1"),
    ("OPENCODE_DISABLE_CLAUDE_CODE", "1"),
    // GitHub Copilot CLI: no self-update.
    ("COPILOT_AUTO_UPDATE", "false"),
    // Augment's auggie: no self-update (its bundled `augment.mjs`).
    ("AUGMENT_DISABLE_AUTO_UPDATE", "1"),
    // Amp: its service (`amp --help`) on loopback's closed discard port, so the lookups of the
    // account's servers in `mcp list` and `mcp doctor` fail at once instead of reaching
    // ampcode.com.
    ("AMP_URL", "http://127.0.0.1:9"),
    // Kilo Code (an opencode fork, the variables in its binary): no PostHog telemetry (any level
    // but `all` is off), self-update, models.dev fetch, language-server downloads or default
    // plugins, and no reading of Claude Code's files.
    ("KILO_TELEMETRY_LEVEL", "off"),
    ("KILO_DISABLE_AUTOUPDATE", "1"),
    ("KILO_DISABLE_MODELS_FETCH", "1"),
    ("KILO_DISABLE_LSP_DOWNLOAD", "1"),
    ("KILO_DISABLE_DEFAULT_PLUGINS", "1"),
    ("KILO_DISABLE_CLAUDE_CODE", "1"),
    // Everyone: no update notices, no colours, no prompts.
    ("NO_UPDATE_NOTIFIER", "1"),
    ("NO_COLOR", "1"),
    ("TERM", "dumb"),
    ("LANG", "C.UTF-8"),
];

/// A temporary home for one CLI: the XDG folders and the clients' own override variables all
/// point inside it, so the CLI and the core agree on where configs live and nothing of the real
/// user's is read.
struct JudgeHome {
    _root: tempfile::TempDir,
    home: PathBuf,
    /// An empty working folder, so no project-level config (`.mcp.json`, `opencode.json`) from
    /// the repository is picked up.
    project: PathBuf,
    variables: Vec<(&'static str, String)>,
    /// The config file the core wrote, shown in every failure message.
    config: OnceCell<PathBuf>,
    /// The private Secret Service of a keychain-mode test, whose bus the CLI and the programs
    /// it starts (our bridge and header helper) get.
    keychain: Option<SecretServiceSession>,
}

impl JudgeHome {
    /// A fresh home; `overrides` are extra variables naming folders relative to it.
    fn new(overrides: &[(&'static str, &str)]) -> anyhow::Result<Self> {
        let root = tempfile::tempdir()?;
        let home = root.path().join("home");
        let project = home.join("project");
        fs::create_dir_all(&project)?;
        let mut variables = vec![];
        for (name, relative) in [
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_STATE_HOME", ".local/state"),
            ("XDG_CACHE_HOME", ".cache"),
        ]
        .iter()
        .chain(overrides)
        {
            let folder = home.join(relative);
            fs::create_dir_all(&folder)?;
            variables.push((*name, folder.to_string_lossy().into_owned()));
        }
        Ok(Self {
            _root: root,
            home,
            project,
            variables,
            config: OnceCell::new(),
            keychain: None,
        })
    }

    /// A fresh home with its own Secret Service, for keychain mode.
    fn with_keychain(overrides: &[(&'static str, &str)]) -> anyhow::Result<Self> {
        let mut home = Self::new(overrides)?;
        home.keychain = Some(SecretServiceSession::start()?);
        Ok(home)
    }

    /// The session bus of this home's Secret Service, when it has one.
    fn bus(&self) -> Vec<(&'static str, String)> {
        self.keychain
            .iter()
            .map(|session| ("DBUS_SESSION_BUS_ADDRESS", session.bus_address().to_owned()))
            .collect()
    }

    /// Seeds the client's config with `existing`, then runs the real binary's `configure` in
    /// keychain mode, as a person or a script would: the secret goes to this home's Secret
    /// Service and the entry runs our bridge or header helper (`carrier`).
    fn configure_keychain(
        &self,
        client_id: &str,
        existing: &str,
        endpoint: &str,
        carrier: &str,
    ) -> anyhow::Result<()> {
        let client = clients::find(client_id).context("the client is in the registry")?;
        let path = client
            .config_path(&self.environment())
            .context("the client exists on Linux")?;
        fs::create_dir_all(path.parent().context("the config has a folder")?)?;
        fs::write(&path, existing)?;
        let output = Command::new(app_binary()?)
            .args([
                "configure",
                "--clients",
                client_id,
                "--mode",
                "keychain",
                "--keychain-via",
                carrier,
                "--auth",
                "personal",
                "--email",
                EMAIL,
                "--token-env",
                "JUDGE_TOKEN",
                "--endpoint",
                endpoint,
                "--yes",
            ])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .envs(self.variables.iter().map(|(name, value)| (name, value)))
            .envs(self.bus())
            .env("JUDGE_TOKEN", TOKEN)
            .stdin(Stdio::null())
            .output()
            .context("running rovo-mcp-setup configure")?;
        let _first = self.config.set(path.clone());
        let written = fs::read_to_string(&path).unwrap_or_default();
        if !output.status.success() {
            bail!(
                "configure failed ({})\n--- stderr:\n{}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr),
                self.config_text()
            );
        }
        if written.contains(TOKEN) || written.contains(AUTHORIZATION) {
            bail!("the client's file holds the secret in keychain mode\n{written}");
        }
        Ok(())
    }

    fn environment(&self) -> ClientEnvironment {
        ClientEnvironment::new(
            Os::Linux,
            &self.home,
            self.variables
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        )
    }

    /// Seeds the client's config with `existing`, then writes our entry with the core exactly
    /// as the app does: plan, then apply.
    fn configure(&self, client_id: &str, existing: &str, endpoint: &str) -> anyhow::Result<()> {
        let client = clients::find(client_id).context("the client is in the registry")?;
        let environment = self.environment();
        let path = client
            .config_path(&environment)
            .context("the client exists on Linux")?;
        fs::create_dir_all(path.parent().context("the config has a folder")?)?;
        fs::write(&path, existing)?;
        let settings = EntrySettings {
            name: DEFAULT_SERVER_NAME,
            endpoint,
            mode: SecretMode::Inline,
            authorization: AUTHORIZATION,
            bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
            keychain_carrier: clients::KeychainCarrier::Helper,
        };
        plan_configure(client, &environment, &settings)?.apply(&backup_folder(&environment))?;
        let _first = self.config.set(path);
        Ok(())
    }

    /// Runs one of the installed CLIs in this home with nothing of ours in its environment but
    /// `PATH` (for `node`), and kills it with its children after `CLI_DEADLINE`.
    fn run(&self, cli: &str, arguments: &[&str]) -> anyhow::Result<Run> {
        self.run_with(cli, arguments, &[])
    }

    /// `run` with `extra` variables for this one command.
    fn run_with(
        &self,
        cli: &str,
        arguments: &[&str],
        extra: &[(&str, &str)],
    ) -> anyhow::Result<Run> {
        use std::os::unix::process::CommandExt as _;

        let installed = repository_root().join("tests/client-judges/node_modules");
        let program = match cli {
            // Installed as their platform packages, which link no `.bin` (see package.json).
            "opencode" => installed.join("opencode-linux-x64/bin/opencode"),
            "amp" => installed.join("@ampcode/cli-linux-x64/amp"),
            "kilo" => installed.join("@kilocode/cli-linux-x64/bin/kilo"),
            _ => installed.join(".bin").join(cli),
        };
        if !program.exists() {
            bail!(
                "{} is missing: install the client CLIs with `make setup-test`",
                program.display()
            );
        }
        let command_line = format!("{cli} {}", arguments.join(" "));
        let mut child = Command::new(&program)
            .args(arguments)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .envs(self.variables.iter().map(|(name, value)| (name, value)))
            .envs(self.bus())
            .envs(QUIET)
            .envs(extra.iter().copied())
            .current_dir(&self.project)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting `{command_line}`"))?;
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let started = Instant::now();
        let status = wait_until(&mut child, started + CLI_DEADLINE)?;
        // The loaders (codex.js, copilot's npm-loader.js) run the native binary as a child, and
        // health checks start servers: end the whole group so the pipes close.
        kill_group(&mut child);
        let run = Run {
            command_line,
            status,
            elapsed: started.elapsed(),
            stdout: without_ansi(&stdout.join().unwrap_or_default()),
            stderr: without_ansi(&stderr.join().unwrap_or_default()),
            config: self.config_text(),
        };
        if run.status.is_none() {
            bail!(
                "`{}` did not finish in {CLI_DEADLINE:?}\n{run}",
                run.command_line
            );
        }
        Ok(run)
    }

    /// Writes a file the client itself would have left in this home.
    fn seed(&self, relative: &str, contents: &str) -> anyhow::Result<()> {
        let path = self.home.join(relative);
        fs::create_dir_all(path.parent().context("a file in the home has a folder")?)?;
        fs::write(path, contents)?;
        Ok(())
    }

    /// The config file's name in the home and its contents as the CLI found them.
    fn config_text(&self) -> String {
        self.config.get().map_or_else(String::new, |path| {
            let name = path.strip_prefix(&self.home).unwrap_or(path);
            let contents =
                fs::read_to_string(path).unwrap_or_else(|error| format!("(unreadable: {error})"));
            format!("--- ~/{}:\n{contents}", name.display())
        })
    }
}

/// One finished CLI run, printed whole in every failure message.
struct Run {
    command_line: String,
    /// `None` when it was killed at the deadline.
    status: Option<ExitStatus>,
    elapsed: Duration,
    stdout: String,
    stderr: String,
    /// The config file we wrote, as it was after the run.
    config: String,
}

impl Run {
    /// Fails with the whole run unless it exited successfully.
    fn succeeded(self) -> Self {
        assert!(
            self.status.is_some_and(|status| status.success()),
            "the CLI accepts the config we wrote and exits successfully\n{self}"
        );
        self
    }

    /// Stdout parsed as JSON, failing with the whole run otherwise.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("`--json` prints JSON ({error})\n{self}"))
    }

    /// The output line (stdout or stderr: Gemini CLI prints its list on stderr) that starts
    /// with `prefix` after any list decoration; failing with `why` and the whole run otherwise.
    fn line_starting(&self, prefix: &str, why: &str) -> &str {
        self.stdout
            .lines()
            .chain(self.stderr.lines())
            .find(|line| {
                line.trim_start_matches(|c: char| !c.is_alphanumeric())
                    .starts_with(prefix)
            })
            .unwrap_or_else(|| panic!("{why}: no line starts with `{prefix}`\n{self}"))
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.map_or_else(
            || "killed at the deadline".to_owned(),
            |status| status.to_string(),
        );
        write!(
            f,
            "--- `{}` ({status}, {:.1?})\n--- stdout:\n{}\n--- stderr:\n{}\n{}",
            self.command_line, self.elapsed, self.stdout, self.stderr, self.config
        )
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _partial = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The exit status, or `None` once `deadline` passed.
fn wait_until(child: &mut Child, deadline: Instant) -> anyhow::Result<Option<ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Kills the child's process group (it leads its own) and reaps the child.
fn kill_group(child: &mut Child) {
    let _ended = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _reaped = child.wait();
}

/// The text without terminal colour codes, which opencode prints even to a pipe.
fn without_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// opencode installs its plugin SDK from npm into each config folder at start, unless the
/// folder has `node_modules` and a lock naming it, as it does once opencode has run there.
/// Seeds that state, so the run stays offline.
fn seed_opencode_plugin_lock(home: &JudgeHome) {
    fs::create_dir_all(home.home.join(".config/opencode/node_modules")).unwrap();
    home.seed(
        ".config/opencode/package.json",
        indoc! {r#"
            {
              "dependencies": {
                "@opencode-ai/plugin": "1.18.33"
              }
            }
        "#},
    )
    .unwrap();
    home.seed(
        ".config/opencode/package-lock.json",
        indoc! {r#"
            {
              "lockfileVersion": 3,
              "packages": {
                "": {
                  "dependencies": {
                    "@opencode-ai/plugin": "1.18.33"
                  }
                }
              }
            }
        "#},
    )
    .unwrap();
}

async fn test_server() -> StandInServer {
    StandInServer::start([(AUTHORIZATION.to_owned(), Grant::FullScope)])
        .await
        .expect("the test MCP server starts on loopback")
}

/// Claude Code at its default `~/.claude.json`, then with `CLAUDE_CONFIG_DIR` moving it.
async fn claude_code_judges(overrides: &[(&'static str, &str)]) {
    let server = test_server().await;
    let home = JudgeHome::new(overrides).unwrap();
    home.configure(
        "claude-code",
        indoc! {r#"
            {
              "numStartups": 42,
              "theme": "dark",
              "mcpServers": {
                "notes": {
                  "type": "stdio",
                  "command": "notes-mcp-server",
                  "args": ["--stdio"],
                  "env": {}
                }
              }
            }
        "#},
        server.url(),
    )
    .unwrap();

    let list = home.run("claude", &["mcp", "list"]).unwrap().succeeded();
    let ours = list.line_starting(
        &format!("{DEFAULT_SERVER_NAME}:"),
        "Claude Code lists our entry",
    );
    // The test server refuses any other header, so connected also means our header was sent.
    assert!(
        ours.contains(&format!("{} (HTTP)", server.url())) && ours.contains("✔ Connected"),
        "Claude Code lists our entry as HTTP at the test server and connects to it: {ours:?}\n{list}"
    );
    list.line_starting(
        &format!("{THEIR_SERVER}:"),
        "Claude Code still lists the server the user had, so the file is intact",
    );

    let get = home
        .run("claude", &["mcp", "get", DEFAULT_SERVER_NAME])
        .unwrap()
        .succeeded();
    for expected in [
        "Scope: User config".to_owned(),
        "✔ Connected".to_owned(),
        "Type: http".to_owned(),
        format!("URL: {}", server.url()),
        format!("Authorization: {AUTHORIZATION}"),
    ] {
        assert!(
            get.stdout.contains(&expected),
            "Claude Code reads our entry as a user-scope HTTP server with our header and \
             reports it healthy (`{expected}`)\n{get}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn claude_code_lists_our_entry_and_connects() {
    claude_code_judges(&[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn claude_code_finds_our_entry_under_claude_config_dir() {
    claude_code_judges(&[("CLAUDE_CONFIG_DIR", ".config/claude")]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn codex_lists_our_entry_with_its_header() {
    let server = test_server().await;
    let home = JudgeHome::new(&[("CODEX_HOME", ".codex")]).unwrap();
    home.configure(
        "codex",
        indoc! {r#"
            # Codex settings
            model = "gpt-5-codex"
            approval_policy = "on-request"

            [mcp_servers.notes] # by hand
            command = "notes-mcp-server"
            args = ["--stdio"]

            [profiles.fast]
            model = "o4-mini"
        "#},
        server.url(),
    )
    .unwrap();

    let list = home
        .run("codex", &["mcp", "list", "--json"])
        .unwrap()
        .succeeded();
    let names: Vec<_> = list
        .json()
        .as_array()
        .map(|servers| {
            servers
                .iter()
                .filter_map(|server| server["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        names.iter().any(|name| name == DEFAULT_SERVER_NAME)
            && names.iter().any(|name| name == THEIR_SERVER),
        "Codex lists our entry and the user's own ({names:?})\n{list}"
    );

    let get = home
        .run("codex", &["mcp", "get", "--json", DEFAULT_SERVER_NAME])
        .unwrap()
        .succeeded();
    let ours = get.json();
    assert_eq!(
        ours["enabled"], true,
        "Codex reads our entry as enabled\n{get}"
    );
    assert_eq!(
        ours["transport"]["type"], "streamable_http",
        "Codex reads our entry as a Streamable HTTP server\n{get}"
    );
    assert_eq!(
        ours["transport"]["url"],
        server.url(),
        "Codex reads the test server's URL\n{get}"
    );
    assert_eq!(
        ours["transport"]["http_headers"]["Authorization"], AUTHORIZATION,
        "Codex reads our header from `http_headers` (it ignores `headers`)\n{get}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn gemini_cli_lists_our_entry_and_connects() {
    let server = test_server().await;
    let home = JudgeHome::new(&[]).unwrap();
    home.configure(
        "gemini-cli",
        indoc! {r#"
            {
              // theme and servers
              "ui": { "theme": "GitHub" },
              "mcpServers": {
                "notes": { "command": "notes-mcp-server", "args": ["--stdio"] }
              }
            }
        "#},
        server.url(),
    )
    .unwrap();

    let list = home.run("gemini", &["mcp", "list"]).unwrap().succeeded();
    let ours = list.line_starting(
        &format!("{DEFAULT_SERVER_NAME}:"),
        "Gemini CLI lists our entry",
    );
    // The test server refuses any other header, so connected also means our header was sent.
    assert!(
        ours.contains(&format!("{} (http)", server.url())) && ours.contains("- Connected"),
        "Gemini CLI lists our entry as HTTP at the test server and connects to it: {ours:?}\n{list}"
    );
    list.line_starting(
        &format!("{THEIR_SERVER}:"),
        "Gemini CLI still lists the server the user had, so the file is intact",
    );
}

/// opencode and its fork Kilo Code: both list our entry as connected, with the test server's
/// URL, beside the server the user had.
async fn opencode_family_judges(cli: &str, client_id: &str, name: &str, existing: &str) {
    let server = test_server().await;
    let home = JudgeHome::new(&[]).unwrap();
    if client_id == "opencode" {
        seed_opencode_plugin_lock(&home);
    }
    home.configure(client_id, existing, server.url()).unwrap();

    let list = home.run(cli, &["mcp", "list"]).unwrap().succeeded();
    let ours = list.line_starting(DEFAULT_SERVER_NAME, &format!("{name} lists our entry"));
    // The test server refuses any other header, so connected also means our header was sent.
    assert!(
        ours.contains(&format!("✓ {DEFAULT_SERVER_NAME} connected")),
        "{name} connects to our entry: {ours:?}\n{list}"
    );
    assert!(
        list.stdout.contains(server.url()),
        "{name} shows the test server's URL\n{list}"
    );
    list.line_starting(
        THEIR_SERVER,
        &format!("{name} still lists the server the user had, so the file is intact"),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn opencode_lists_our_entry_and_connects() {
    opencode_family_judges(
        "opencode",
        "opencode",
        "opencode",
        indoc! {r#"
            {
              "$schema": "https://opencode.ai/config.json",
              // my servers
              "mcp": {
                "notes": { "type": "local", "command": ["notes-mcp-server", "--stdio"] }
              }
            }
        "#},
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn copilot_cli_lists_our_entry_with_its_header() {
    let server = test_server().await;
    let home = JudgeHome::new(&[("COPILOT_HOME", ".copilot")]).unwrap();
    home.configure(
        "copilot-cli",
        indoc! {r#"
            {
              "mcpServers": {
                "notes": {
                  "type": "local",
                  "command": "notes-mcp-server",
                  "args": ["--stdio"],
                  "tools": ["*"]
                }
              }
            }
        "#},
        server.url(),
    )
    .unwrap();

    let list = home
        .run("copilot", &["mcp", "list", "--json"])
        .unwrap()
        .succeeded();
    let servers = &list.json()["mcpServers"];
    for name in [DEFAULT_SERVER_NAME, THEIR_SERVER] {
        assert_eq!(
            servers[name]["source"], "user",
            "Copilot CLI lists `{name}` from the user's config\n{list}"
        );
    }

    let get = home
        .run(
            "copilot",
            &[
                "mcp",
                "get",
                "--json",
                "--show-secrets",
                DEFAULT_SERVER_NAME,
            ],
        )
        .unwrap()
        .succeeded();
    let ours = &get.json()[DEFAULT_SERVER_NAME];
    assert_eq!(
        ours["type"], "http",
        "Copilot CLI reads our entry as HTTP\n{get}"
    );
    assert_eq!(
        ours["url"],
        server.url(),
        "Copilot CLI reads the test server's URL\n{get}"
    );
    assert_eq!(
        ours["headers"]["Authorization"], AUTHORIZATION,
        "Copilot CLI reads our header\n{get}"
    );
    assert_eq!(
        ours["enabled"], true,
        "Copilot CLI has our entry enabled\n{get}"
    );
    assert_eq!(
        ours["tools"],
        serde_json::json!(["*"]),
        "Copilot CLI offers every tool of our entry\n{get}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn auggie_lists_our_entry() {
    let server = test_server().await;
    let home = JudgeHome::new(&[]).unwrap();
    home.configure(
        "augment",
        indoc! {r#"
            {
              // my settings
              "model": "sonnet4",
              "mcpServers": {
                "notes": { "command": "notes-mcp-server", "args": ["--stdio"] }
              }
            }
        "#},
        server.url(),
    )
    .unwrap();

    // auggie's `mcp list` neither connects nor shows headers; `tools list`, which starts the
    // servers, exits before they answer and looks up github.com.
    let list = home
        .run("auggie", &["mcp", "list", "--json"])
        .unwrap()
        .succeeded();
    let servers = list.json()["servers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let named = |name: &str| {
        servers
            .iter()
            .find(|server| server["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("auggie lists `{name}`\n{list}"))
    };
    let ours = named(DEFAULT_SERVER_NAME);
    assert_eq!(
        ours["transport"], "http",
        "auggie reads our entry as HTTP\n{list}"
    );
    assert_eq!(
        ours["url"],
        server.url(),
        "auggie reads the test server's URL\n{list}"
    );
    assert_eq!(
        (&ours["enabled"], &ours["source"]),
        (&Value::Bool(true), &Value::from("user")),
        "auggie has our entry enabled, from the user's settings\n{list}"
    );
    assert_eq!(
        named(THEIR_SERVER)["transport"],
        "stdio",
        "auggie still lists the server the user had, so the file is intact\n{list}"
    );
}

/// Amp's `mcp doctor` starts no server without an API key; this placeholder goes nowhere but
/// `AMP_URL`, which is closed (see `QUIET`).
const AMP_PLACEHOLDER_KEY: (&str, &str) = ("AMP_API_KEY", "sgamp_placeholder");

#[tokio::test(flavor = "multi_thread")]
async fn amp_lists_our_entry_and_connects() {
    let server = test_server().await;
    let home = JudgeHome::new(&[]).unwrap();
    home.configure(
        "amp",
        indoc! {r#"
            {
              // my settings
              "amp.notifications.enabled": false,
              "amp.mcpServers": {
                "notes": { "command": "notes-mcp-server", "args": ["--stdio"] }
              }
            }
        "#},
        server.url(),
    )
    .unwrap();

    let list = home
        .run("amp", &["mcp", "list", "--json"])
        .unwrap()
        .succeeded();
    let servers = list.json().as_array().cloned().unwrap_or_default();
    let named = |name: &str| {
        servers
            .iter()
            .find(|server| server["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("Amp lists `{name}`\n{list}"))
    };
    let ours = named(DEFAULT_SERVER_NAME);
    assert_eq!(
        (&ours["type"], &ours["source"]),
        (&Value::from("url"), &Value::from("global")),
        "Amp reads our entry as a URL server from the user's settings\n{list}"
    );
    assert_eq!(
        ours["spec"]["url"],
        server.url(),
        "Amp reads the test server's URL\n{list}"
    );
    assert_eq!(
        ours["spec"]["headers"]["Authorization"], AUTHORIZATION,
        "Amp reads our header\n{list}"
    );
    assert_eq!(
        named(THEIR_SERVER)["type"],
        "command",
        "Amp still lists the server the user had, so the file is intact\n{list}"
    );

    let doctor = home
        .run_with("amp", &["mcp", "doctor"], &[AMP_PLACEHOLDER_KEY])
        .unwrap()
        .succeeded();
    // The test server refuses any other header, so connected also means our header was sent.
    doctor.line_starting(
        &format!("{DEFAULT_SERVER_NAME} (user settings): connected"),
        "Amp connects to our entry",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kilo_code_lists_our_entry_and_connects() {
    opencode_family_judges(
        "kilo",
        "kilo-code",
        "Kilo Code",
        indoc! {r#"
            {
              // my servers
              "mcp": {
                "notes": { "type": "local", "command": ["notes-mcp-server", "--stdio"] }
              }
            }
        "#},
    )
    .await;
}

/// Claude Code in keychain mode, through its header helper (`helper`) or our bridge (`bridge`):
/// it connects to the test server, which refuses any header but the keychain's.
async fn claude_code_judges_keychain(carrier: &str, transport: &str) {
    let server = test_server().await;
    let home = JudgeHome::with_keychain(&[]).unwrap();
    home.configure_keychain(
        "claude-code",
        indoc! {r#"
            {
              "numStartups": 42,
              "mcpServers": {
                "notes": { "type": "stdio", "command": "notes-mcp-server", "args": [] }
              }
            }
        "#},
        server.url(),
        carrier,
    )
    .unwrap();

    let list = home.run("claude", &["mcp", "list"]).unwrap().succeeded();
    let ours = list.line_starting(
        &format!("{DEFAULT_SERVER_NAME}:"),
        "Claude Code lists our entry",
    );
    assert!(
        ours.contains("✔ Connected"),
        "Claude Code connects through the {carrier} with the keychain's header: {ours:?}\n{list}"
    );
    let get = home
        .run("claude", &["mcp", "get", DEFAULT_SERVER_NAME])
        .unwrap()
        .succeeded();
    assert!(
        get.stdout.contains(&format!("Type: {transport}")) && get.stdout.contains("✔ Connected"),
        "Claude Code reads our entry as {transport} and reports it healthy\n{get}"
    );
    assert!(
        !get.stdout.contains(TOKEN) && !get.stdout.contains(AUTHORIZATION),
        "the entry it shows holds no secret\n{get}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn claude_code_connects_with_our_header_helper() {
    claude_code_judges_keychain("helper", "http").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn claude_code_connects_through_our_bridge() {
    claude_code_judges_keychain("bridge", "stdio").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn gemini_cli_connects_through_our_bridge() {
    let server = test_server().await;
    let home = JudgeHome::with_keychain(&[]).unwrap();
    home.configure_keychain(
        "gemini-cli",
        indoc! {r#"
            {
              "ui": { "theme": "GitHub" }
            }
        "#},
        server.url(),
        "bridge",
    )
    .unwrap();

    let list = home.run("gemini", &["mcp", "list"]).unwrap().succeeded();
    let ours = list.line_starting(
        &format!("{DEFAULT_SERVER_NAME}:"),
        "Gemini CLI lists our entry",
    );
    assert!(
        ours.contains("(stdio)") && ours.contains("- Connected"),
        "Gemini CLI starts our bridge and connects with the keychain's header: {ours:?}\n{list}"
    );
}

/// opencode and its fork Kilo Code in keychain mode: each starts our bridge and connects with
/// the keychain's header.
async fn opencode_family_bridge_judges(cli: &str, client_id: &str, name: &str, existing: &str) {
    let server = test_server().await;
    let home = JudgeHome::with_keychain(&[]).unwrap();
    if client_id == "opencode" {
        seed_opencode_plugin_lock(&home);
    }
    home.configure_keychain(client_id, existing, server.url(), "bridge")
        .unwrap();

    let list = home.run(cli, &["mcp", "list"]).unwrap().succeeded();
    let ours = list.line_starting(DEFAULT_SERVER_NAME, &format!("{name} lists our entry"));
    assert!(
        ours.contains(&format!("✓ {DEFAULT_SERVER_NAME} connected")),
        "{name} starts our bridge and connects with the keychain's header: {ours:?}\n{list}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn opencode_connects_through_our_bridge() {
    opencode_family_bridge_judges(
        "opencode",
        "opencode",
        "opencode",
        indoc! {r#"
            {
              "$schema": "https://opencode.ai/config.json"
            }
        "#},
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn amp_connects_through_our_bridge() {
    let server = test_server().await;
    let home = JudgeHome::with_keychain(&[]).unwrap();
    home.configure_keychain(
        "amp",
        indoc! {r#"
            {
              "amp.notifications.enabled": false
            }
        "#},
        server.url(),
        "bridge",
    )
    .unwrap();

    let doctor = home
        .run_with("amp", &["mcp", "doctor"], &[AMP_PLACEHOLDER_KEY])
        .unwrap()
        .succeeded();
    doctor.line_starting(
        &format!("{DEFAULT_SERVER_NAME} (user settings): connected"),
        "Amp starts our bridge and connects with the keychain's header",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kilo_code_connects_through_our_bridge() {
    opencode_family_bridge_judges(
        "kilo",
        "kilo-code",
        "Kilo Code",
        indoc! {r#"
            {
              "$schema": "https://app.kilo.ai/config.json"
            }
        "#},
    )
    .await;
}
