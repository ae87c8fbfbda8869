//! `rovo-mcp-setup configure` through the real binary on a temporary home, against the
//! stand-in Atlassian server and a private Secret Service: the check gates every write, each
//! client is written on its own, `--dry-run` writes nothing, and the secret is kept in the
//! keychain and recorded nowhere else.
//!
//! Every run logs at the most verbose level (`ROVO_MCP_LOG=trace`) to stderr and to a log file
//! beside the home, so the leak scans cover every log line the app can write; what the runs
//! printed and left is kept for the suite's final scan (`rovo_test_support::leak_scan`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use rovo_stand_in::{Grant, StandInServer, StandInServerBuilder, Surface, TokenAnswer};
use rovo_test_support::leak_scan::{self, every_file_under, secret_forms};
use rovo_test_support::secret_service::SecretServiceSession;
use serde_json::Value;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const CLASSIC_TOKEN: &str = leak_scan::CLASSIC_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";

fn basic(token: &str) -> String {
    let pair = format!("{EMAIL}:{token}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// A temporary home with a Cursor and a Codex folder, a private keyring, and the stand-in server.
struct Sandbox {
    root: tempfile::TempDir,
    secret_service: SecretServiceSession,
    server: StandInServer,
    /// Runs the server as long as the sandbox lives, and the tests' own async clients.
    runtime: tokio::runtime::Runtime,
}

struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

/// The app's log and state file outlive the sandbox in the suite's captures.
impl Drop for Sandbox {
    fn drop(&mut self) {
        leak_scan::keep_app_files(self.root.path());
    }
}

impl Sandbox {
    fn new() -> Self {
        Self::with_server(StandInServer::builder())
    }

    /// A sandbox whose server also has `builder`'s settings (a token endpoint's clients).
    fn with_server(builder: StandInServerBuilder) -> Self {
        let root = tempfile::tempdir().unwrap();
        for folder in ["home/.cursor", "home/.codex"] {
            fs::create_dir_all(root.path().join(folder)).unwrap();
        }
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime
            .block_on(
                builder
                    .grant(basic(TOKEN), Grant::FullScope)
                    .grant(basic(CLASSIC_TOKEN), Grant::PlatformOnly)
                    .start(),
            )
            .unwrap();
        let secret_service = SecretServiceSession::start().expect("the private Secret Service");
        Self {
            root,
            secret_service,
            server,
            runtime,
        }
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// The log file every run of this sandbox appends to, outside the home.
    fn log_path(&self) -> PathBuf {
        self.root.path().join("rovo-mcp-setup.log")
    }

    fn policy_path(&self) -> PathBuf {
        self.root.path().join("policy.json")
    }

    fn set_policy(&self, text: &str) {
        fs::write(self.policy_path(), text).unwrap();
    }

    fn run(&self, subcommand: &str, args: &[&str], token: &str) -> Run {
        self.run_with(subcommand, args, token, &[])
    }

    /// A run with `extra` environment variables on top of the sandbox's own.
    fn run_with(
        &self,
        subcommand: &str,
        args: &[&str],
        token: &str,
        extra: &[(&str, &Path)],
    ) -> Run {
        let home = self.home();
        let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
            .arg(subcommand)
            .args(args)
            .arg("--json")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                self.secret_service.bus_address(),
            )
            .env("ROVO_MCP_ENDPOINT", self.server.url())
            // A policy file only when a test writes one: a missing one is an error.
            .envs(
                self.policy_path()
                    .exists()
                    .then(|| ("ROVO_MCP_POLICY", self.policy_path())),
            )
            .env("ROVO_MCP_LOG", "trace")
            .env("ROVO_MCP_LOG_FILE", self.log_path())
            .env(TOKEN_VARIABLE, token)
            .envs(extra.iter().copied())
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        leak_scan::keep_output(&output);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        let json = serde_json::from_str(&stdout).unwrap_or_else(|error| {
            panic!("stdout is one JSON document ({error}): {stdout}\n{stderr}")
        });
        for secret in [token, TOKEN, CLASSIC_TOKEN]
            .iter()
            .filter(|token| token.len() > 8)
            .flat_map(|token| secret_forms(token))
        {
            let secret = secret.as_str();
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "the secret never appears in any output:\n{stdout}\n{stderr}"
            );
        }
        Run {
            code: output.status.code().expect("a normal exit"),
            json,
            stdout,
            stderr,
        }
    }

    /// `status --summary`: its exit code and the one line it prints on stdout.
    fn health_line(&self) -> (i32, String) {
        let home = self.home();
        let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
            .args(["status", "--summary"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .envs(
                self.policy_path()
                    .exists()
                    .then(|| ("ROVO_MCP_POLICY", self.policy_path())),
            )
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        leak_scan::keep_output(&output);
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            stdout.lines().count(),
            1,
            "the summary is exactly one line on stdout: {stdout:?}"
        );
        (
            output.status.code().expect("a normal exit"),
            stdout.trim_end().to_owned(),
        )
    }

    fn configure(&self, args: &[&str], token: &str) -> Run {
        self.configure_with(args, token, &[])
    }

    fn configure_with(&self, args: &[&str], token: &str, extra: &[(&str, &Path)]) -> Run {
        let mut all = vec![
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            TOKEN_VARIABLE,
        ];
        all.extend_from_slice(args);
        self.run_with("configure", &all, token, extra)
    }

    /// Where the start-at-login entry goes on Linux: `$XDG_CONFIG_HOME/autostart`, which the
    /// sandbox sets to the home's `.config`.
    fn autostart_entry(&self) -> PathBuf {
        self.home().join(".config/autostart/Rovo MCP Setup.desktop")
    }

    fn read(&self, relative: &str) -> Option<String> {
        fs::read_to_string(self.home().join(relative)).ok()
    }

    fn state(&self) -> Option<Value> {
        let text = self.read(".config/com.rovomcpsetup.desktop/state.json")?;
        Some(serde_json::from_str(&text).expect("the state file is JSON"))
    }
}

#[test]
fn a_good_token_is_kept_in_the_keychain_and_written_into_each_client() {
    let sandbox = Sandbox::new();
    let run = sandbox.configure(
        &[
            "--clients",
            "cursor,codex",
            "--yes",
            "--expires",
            "2027-06-30",
        ],
        TOKEN,
    );
    assert_eq!(
        run.code, 0,
        "a good token configures every client: {}",
        run.stderr
    );
    assert_eq!(run.json["verdict"], "ok");
    assert_eq!(
        run.json["keychain"]["stored"], true,
        "the token is in the keychain: {}",
        run.stdout
    );

    let cursor = sandbox
        .read(".cursor/mcp.json")
        .expect("Cursor's config was created");
    assert!(
        cursor.contains(sandbox.server.url()),
        "Cursor points at the endpoint: {cursor}"
    );
    let codex = sandbox
        .read(".codex/config.toml")
        .expect("Codex's config was created");
    assert!(
        codex.contains("[mcp_servers.atlassian-rovo-mcp]"),
        "Codex has our table: {codex}"
    );

    let state = sandbox.state().expect("the setup is recorded");
    assert_eq!(state["version"], 1);
    assert_eq!(state["credential"]["email"], EMAIL);
    assert_eq!(
        state["credential"]["expiresOn"], "2027-06-30",
        "the expiry is kept for reminders"
    );
    let ids: Vec<&str> = state["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["codex", "cursor"], "both clients are recorded");
    let state_text = sandbox
        .read(".config/com.rovomcpsetup.desktop/state.json")
        .unwrap();
    assert!(
        !state_text.contains(TOKEN),
        "the state file never holds the token"
    );

    let from_keychain = sandbox.run("validate", &["--auth", "personal", "--email", EMAIL], "");
    assert_eq!(
        from_keychain.code, 0,
        "the stored token validates from the keychain: {}",
        from_keychain.stderr
    );
}

/// Installers and scripts add start at login only when asked: by the policy's `startAtLogin`.
/// `true` turns it on once, with the same entry the window's "Start at login" manages; no key
/// writes nothing; `false` never turns it on and leaves the person's own entry alone.
#[test]
fn start_at_login_is_turned_on_only_when_the_policy_asks() {
    let sandbox = Sandbox::new();
    let autostart = sandbox.home().join(".config/autostart");

    let unasked = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(unasked.code, 0, "the setup works: {}", unasked.stderr);
    assert!(
        !autostart.exists(),
        "without the policy key configure writes no autostart entry"
    );
    assert_eq!(
        unasked.json["startAtLogin"],
        serde_json::json!({"enabled": false, "by": "user", "policy": null, "changed": false, "error": null}),
        "the report says it is off and the person's to choose"
    );

    sandbox.set_policy(r#"{ "startAtLogin": true }"#);
    let asked = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(asked.code, 0, "the setup works: {}", asked.stderr);
    assert_eq!(
        asked.json["startAtLogin"],
        serde_json::json!({"enabled": true, "by": "policy", "policy": true, "changed": true, "error": null}),
        "the policy turned it on: {}",
        asked.stdout
    );
    let entry = fs::read_to_string(sandbox.autostart_entry())
        .expect("the entry is where the tray menu and the window put it too");
    let binary = fs::canonicalize(env!("CARGO_BIN_EXE_rovo-mcp-setup")).unwrap();
    assert!(
        entry
            .lines()
            .any(|line| line == format!("Exec={} --tray", binary.display())),
        "it starts this binary in the tray only: {entry}"
    );
    assert!(
        entry.contains("Name=Rovo MCP Setup"),
        "named as the plugin names it: {entry}"
    );

    let again = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(
        again.json["startAtLogin"]["changed"], false,
        "a re-run finds it on and changes nothing: {}",
        again.stdout
    );

    fs::remove_file(sandbox.autostart_entry()).unwrap();
    let appimage = sandbox.root.path().join("Rovo_MCP_Setup-x86_64.AppImage");
    let from_appimage = sandbox.configure_with(
        &["--clients", "cursor", "--yes"],
        TOKEN,
        &[("APPIMAGE", &appimage)],
    );
    assert_eq!(from_appimage.code, 0, "{}", from_appimage.stderr);
    let entry = fs::read_to_string(sandbox.autostart_entry()).unwrap();
    assert!(
        entry.contains(&format!("Exec={} --tray", appimage.display())),
        "in an AppImage the entry starts the AppImage, whose mount is gone after logout: {entry}"
    );

    sandbox.set_policy(r#"{ "startAtLogin": false }"#);
    let never = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(never.code, 0, "{}", never.stderr);
    assert!(
        sandbox.autostart_entry().exists(),
        "false never removes the entry someone made"
    );
    assert_eq!(
        never.json["startAtLogin"],
        serde_json::json!({"enabled": true, "by": "user", "policy": false, "changed": false, "error": null}),
        "and reports it: {}",
        never.stdout
    );
    fs::remove_file(sandbox.autostart_entry()).unwrap();
    let never_again = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert!(
        !sandbox.autostart_entry().exists(),
        "false never turns it on: {}",
        never_again.stdout
    );
    assert_eq!(
        never_again.json["startAtLogin"]["by"], "policy",
        "off as the policy asks"
    );
}

#[test]
fn a_rejected_token_writes_nothing_and_exits_3() {
    let sandbox = Sandbox::new();
    let run = sandbox.configure(
        &["--clients", "cursor,codex", "--yes"],
        leak_scan::REFUSED_TOKEN,
    );
    assert_eq!(run.code, 3, "unauthorized is exit 3: {}", run.stderr);
    assert_eq!(run.json["verdict"], "unauthorized");
    assert!(
        run.stderr.contains("no client was changed"),
        "it says nothing was written: {}",
        run.stderr
    );
    assert!(
        every_file_under(&sandbox.home()).is_empty(),
        "not one file was written"
    );
}

#[test]
fn a_classic_token_is_limited_writes_nothing_and_exits_5() {
    let sandbox = Sandbox::new();
    let run = sandbox.configure(&["--clients", "cursor", "--yes"], CLASSIC_TOKEN);
    assert_eq!(run.code, 5, "limited is exit 5: {}", run.stderr);
    assert_eq!(run.json["verdict"], "limited");
    assert!(
        every_file_under(&sandbox.home()).is_empty(),
        "a limited token is not written anywhere"
    );
}

#[test]
fn dry_run_shows_each_diff_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let run = sandbox.configure(&["--clients", "cursor,codex", "--dry-run"], TOKEN);
    assert_eq!(run.code, 0, "a dry run succeeds: {}", run.stderr);
    assert_eq!(run.json["dryRun"], true);
    let plans = run.json["plans"].as_array().expect("one plan per client");
    assert_eq!(plans.len(), 2);
    for plan in plans {
        let diff = plan["diff"].as_str().expect("each plan has a diff");
        assert!(
            diff.contains("atlassian-rovo-mcp"),
            "the diff shows our entry: {diff}"
        );
    }
    assert!(
        every_file_under(&sandbox.home()).is_empty(),
        "a dry run writes nothing"
    );
}

#[test]
fn one_unparseable_client_is_reported_and_the_others_are_written_exit_8() {
    let sandbox = Sandbox::new();
    let zed = sandbox.home().join(".config/zed/settings.json");
    fs::create_dir_all(zed.parent().unwrap()).unwrap();
    let broken = "{ \"theme\": \"One Dark\", \n  \"ui_font_size\": \n}\n";
    fs::write(&zed, broken).unwrap();

    let run = sandbox.configure(&["--clients", "cursor,zed", "--yes"], TOKEN);
    assert_eq!(
        run.code, 8,
        "a client that could not be written is exit 8: {}",
        run.stderr
    );
    let results = run.json["clients"].as_array().unwrap();
    let zed_result = results.iter().find(|r| r["id"] == "zed").unwrap();
    let message = zed_result["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("settings.json"),
        "the error names the file: {message}"
    );
    assert!(message.contains("line"), "and the line: {message}");
    assert_eq!(
        fs::read_to_string(&zed).unwrap(),
        broken,
        "the broken file is untouched"
    );
    assert!(
        sandbox.read(".cursor/mcp.json").is_some(),
        "Cursor was still written"
    );
}

#[test]
fn without_yes_and_without_a_terminal_it_asks_for_yes_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let run = sandbox.configure(&["--clients", "cursor"], TOKEN);
    assert_eq!(
        run.code, 2,
        "a missing confirmation is a usage error: {}",
        run.stderr
    );
    assert!(
        run.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--yes"),
        "it names the flag"
    );
    assert!(
        every_file_under(&sandbox.home()).is_empty(),
        "nothing was written"
    );
}

#[test]
fn an_unknown_client_id_is_refused_before_the_check() {
    let sandbox = Sandbox::new();
    let run = sandbox.configure(&["--clients", "cursor,notepad", "--yes"], TOKEN);
    assert_eq!(
        run.code, 2,
        "an unknown id is invalid input: {}",
        run.stderr
    );
    let message = run.json["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("`notepad` is not a client id"),
        "it names the word: {message}"
    );
    assert!(
        every_file_under(&sandbox.home()).is_empty(),
        "nothing was written"
    );
}

#[test]
fn status_shows_the_credential_its_expiry_and_each_client_with_its_mode() {
    let sandbox = Sandbox::new();
    let configured = sandbox.configure(
        &["--clients", "cursor", "--yes", "--expires", "2099-01-01"],
        TOKEN,
    );
    assert_eq!(configured.code, 0, "{}", configured.stderr);

    let status = sandbox.run("status", &[], "");
    assert_eq!(status.code, 0, "status succeeds: {}", status.stderr);
    assert_eq!(status.json["configured"], true);
    assert_eq!(status.json["auth"], "personal");
    assert_eq!(status.json["email"], EMAIL);
    assert_eq!(status.json["expiresOn"], "2099-01-01");
    assert!(
        status.json["daysLeft"].as_i64().unwrap() > 0,
        "days left are counted"
    );
    assert_eq!(
        status.json["lastCheck"]["verdict"], "ok",
        "the last check is on record"
    );
    let clients = status.json["clients"].as_array().unwrap();
    assert_eq!(clients.len(), 1, "only Cursor holds our entry: {clients:?}");
    assert_eq!(clients[0]["id"], "cursor");
    assert_eq!(clients[0]["mode"], "inline");
}

/// `status --summary` is what a management tool collects: one line that starts with the state
/// and an exit code per state, from nothing set up, through healthy and expiring, to a refused
/// last check.
#[test]
fn the_fleet_health_is_one_line_and_an_exit_code_for_each_state() {
    let sandbox = Sandbox::new();
    let (code, line) = sandbox.health_line();
    assert_eq!(
        (code, line.split(':').next()),
        (12, Some("not-set-up")),
        "nothing on record yet: {line}"
    );

    let configured = sandbox.configure(
        &["--clients", "cursor", "--yes", "--expires", "2099-01-01"],
        TOKEN,
    );
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let (code, line) = sandbox.health_line();
    assert_eq!(code, 0, "a checked, far-off token is healthy: {line}");
    assert!(
        line.starts_with("healthy: the personal API token of me@example.com, expires 2099-01-01")
            && line.contains(", last checked ok ")
            && line.ends_with(", 1 client"),
        "the line names the credential, its expiry, the check and the clients: {line}"
    );

    let soon = (chrono::Local::now().date_naive() + chrono::Days::new(5)).to_string();
    sandbox.set_policy(r#"{ "reminderDays": 7 }"#);
    let configured =
        sandbox.configure(&["--clients", "cursor", "--yes", "--expires", &soon], TOKEN);
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let (code, line) = sandbox.health_line();
    assert_eq!(
        (code, line.as_str()),
        (
            10,
            format!(
                "expiring: the personal API token of me@example.com expires in 5 days ({soon}): \
                 rotate it with rovo-mcp-setup rotate"
            )
            .as_str()
        ),
        "within the policy's 7-day window it is expiring"
    );
    fs::remove_file(sandbox.policy_path()).unwrap();

    // What the tray's daily check leaves when the server refuses the token.
    let state_path = sandbox
        .home()
        .join(".config/com.rovomcpsetup.desktop/state.json");
    let mut state: Value = serde_json::from_str(&fs::read_to_string(&state_path).unwrap()).unwrap();
    state["lastCheck"]["verdict"] = Value::from("unauthorized");
    state["lastCheck"]["message"] = Value::from("the server refused the credential (401)");
    fs::write(&state_path, state.to_string()).unwrap();
    let (code, line) = sandbox.health_line();
    assert_eq!(code, 11, "a refused credential is failing: {line}");
    assert!(
        line.starts_with("failing: the last check (")
            && line.ends_with(") was refused: the server refused the credential (401)"),
        "the line says what the check met: {line}"
    );
}

/// A client that lost its entry, or whose entry runs a program that moved, is `client-broken`
/// (13), each named in the line and kept in `--json`.
#[test]
fn a_client_that_lost_its_entry_or_its_program_is_named_in_the_health_line() {
    let sandbox = Sandbox::new();
    let configured = sandbox.configure(
        &["--clients", "cursor", "--yes", "--expires", "2099-01-01"],
        TOKEN,
    );
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let cursor = sandbox.home().join(".cursor/mcp.json");
    let written = fs::read_to_string(&cursor).unwrap();
    fs::write(&cursor, "{}\n").unwrap();
    let (code, line) = sandbox.health_line();
    assert_eq!(
        code, 13,
        "a configured client without its entry is broken: {line}"
    );
    assert_eq!(
        line,
        format!(
            "client-broken: Cursor no longer holds the entry in {}: run rovo-mcp-setup configure again",
            cursor.display()
        ),
        "the line names the client and its file"
    );
    fs::write(&cursor, written).unwrap();

    let configured = sandbox.configure(
        &[
            "--clients",
            "cursor",
            "--mode",
            "keychain",
            "--yes",
            "--expires",
            "2099-01-01",
        ],
        TOKEN,
    );
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let keychain_entry = fs::read_to_string(&cursor).unwrap();
    let program =
        serde_json::from_str::<Value>(&keychain_entry).unwrap()["mcpServers"]["atlassian-rovo-mcp"]
            ["command"]
            .as_str()
            .expect("the bridge's command")
            .to_owned();
    let moved = "/opt/uninstalled/rovo-mcp-setup-cli";
    fs::write(&cursor, keychain_entry.replace(&program, moved)).unwrap();
    let (code, line) = sandbox.health_line();
    assert_eq!(code, 13, "an entry whose program is gone is broken: {line}");
    assert!(
        line.contains(&format!(
            "Cursor's entry runs {moved}, which is not there any more"
        )),
        "the line names the missing program: {line}"
    );
    let status = sandbox.run("status", &[], "");
    assert_eq!(
        (
            status.code,
            &status.json["health"],
            &status.json["clients"][0]["missingProgram"]
        ),
        (13, &Value::from("client-broken"), &Value::from(moved)),
        "--json keeps the detail"
    );
}

/// Cline 4 reads `~/.cline/data/settings`; our entry in Cline 3's file in VS Code's storage is
/// found by `status`, moved by `configure` and taken out by `remove`, the person's own server in
/// that file kept.
#[test]
fn an_entry_where_cline_read_before_is_found_moved_and_removed() {
    let sandbox = Sandbox::new();
    let old_file =
        ".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json";
    let theirs = "{\n  \"mcpServers\": {\n    \"notes\": { \"command\": \"notes-mcp\" }\n  }\n}\n";
    let with_ours = "{\n  \"mcpServers\": {\n    \"notes\": { \"command\": \"notes-mcp\" },\n    \"atlassian-rovo-mcp\": { \"type\": \"streamableHttp\", \"url\": \"https://mcp.atlassian.com/v1/mcp\", \"headers\": { \"Authorization\": \"Basic b2xk\" } }\n  }\n}\n";
    let old_path = sandbox.home().join(old_file);
    fs::create_dir_all(old_path.parent().unwrap()).unwrap();
    fs::write(&old_path, with_ours).unwrap();

    let status = sandbox.run("status", &[], "");
    let cline = status.json["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|client| client["id"] == "cline")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        cline["formerPath"],
        old_path.to_str().unwrap(),
        "status names the file Cline no longer reads: {}",
        status.stdout
    );

    let configured = sandbox.configure(&["--clients", "cline", "--yes"], TOKEN);
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    assert_eq!(
        sandbox.read(old_file).unwrap(),
        theirs,
        "the old file keeps the person's server and loses ours"
    );
    assert!(
        sandbox
            .read(".cline/data/settings/cline_mcp_settings.json")
            .unwrap()
            .contains("atlassian-rovo-mcp"),
        "the entry is where Cline 4 reads"
    );

    fs::write(&old_path, with_ours).unwrap();
    let removed = sandbox.run("remove", &[], "");
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert_eq!(
        sandbox.read(old_file).unwrap(),
        theirs,
        "remove takes our entry out of the old file too"
    );
}

/// A policy's `secretMode: keychain` holds for every client: each one on Linux gets an entry
/// with no secret in it.
#[test]
fn a_keychain_policy_writes_every_client_without_a_secret_in_any_file() {
    let sandbox = Sandbox::new();
    sandbox.set_policy(r#"{ "secretMode": "keychain" }"#);

    let configured = sandbox.configure(&["--clients", "all", "--yes"], TOKEN);

    assert_eq!(
        configured.code, 0,
        "every client takes keychain mode: {}",
        configured.stderr
    );
    let written = configured.json["clients"].as_array().unwrap();
    assert!(
        written.len() >= 30,
        "every client on Linux is written: {}",
        written.len()
    );
    for file in every_file_under(&sandbox.home()) {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for secret in secret_forms(TOKEN) {
            assert!(
                !text.contains(&secret),
                "`{}` holds no form of the secret",
                file.display()
            );
        }
    }
}

const NEW_TOKEN: &str = leak_scan::ROTATED_TOKEN;

fn sandbox_with_rotation() -> Sandbox {
    let root = tempfile::tempdir().unwrap();
    for folder in ["home/.cursor", "home/.codex", "home/.config/zed"] {
        fs::create_dir_all(root.path().join(folder)).unwrap();
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(StandInServer::start([
            (basic(TOKEN), Grant::FullScope),
            (basic(NEW_TOKEN), Grant::FullScope),
        ]))
        .unwrap();
    let secret_service = SecretServiceSession::start().expect("the private Secret Service");
    Sandbox {
        root,
        secret_service,
        server,
        runtime,
    }
}

#[test]
fn rotate_puts_the_new_token_in_the_keychain_and_every_inline_entry() {
    let sandbox = sandbox_with_rotation();
    let configured = sandbox.configure(&["--clients", "cursor,codex", "--yes"], TOKEN);
    assert_eq!(configured.code, 0, "{}", configured.stderr);

    let rotated = sandbox.run("rotate", &["--token-env", TOKEN_VARIABLE], NEW_TOKEN);
    assert_eq!(
        rotated.code, 0,
        "a good new token rotates: {}",
        rotated.stderr
    );
    let rewritten: Vec<&str> = rotated.json["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rewritten,
        ["cursor", "codex"],
        "every inline entry is rewritten"
    );
    let cursor = sandbox.read(".cursor/mcp.json").unwrap();
    assert!(
        cursor.contains(&basic(NEW_TOKEN)),
        "Cursor carries the new header"
    );
    assert!(!cursor.contains(&basic(TOKEN)), "and not the old one");
    let codex = sandbox.read(".codex/config.toml").unwrap();
    assert!(
        codex.contains(&basic(NEW_TOKEN)),
        "Codex carries the new header"
    );

    let from_keychain = sandbox.run("validate", &["--auth", "personal", "--email", EMAIL], "");
    assert_eq!(
        from_keychain.code, 0,
        "the keychain holds the new token: {}",
        from_keychain.stderr
    );
}

#[test]
fn a_rejected_new_token_changes_nothing_anywhere() {
    let sandbox = sandbox_with_rotation();
    let configured = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let cursor_before = sandbox.read(".cursor/mcp.json").unwrap();
    let state_before = sandbox.state().unwrap();

    let rotated = sandbox.run(
        "rotate",
        &["--token-env", TOKEN_VARIABLE],
        leak_scan::REVOKED_TOKEN,
    );
    assert_eq!(
        rotated.code, 3,
        "the new token is refused: {}",
        rotated.stderr
    );
    assert!(
        rotated.stderr.contains("nothing was changed"),
        "it says so: {}",
        rotated.stderr
    );
    assert_eq!(
        sandbox.read(".cursor/mcp.json").unwrap(),
        cursor_before,
        "Cursor is untouched"
    );
    assert_eq!(
        sandbox.state().unwrap(),
        state_before,
        "the state is untouched"
    );
    let from_keychain = sandbox.run("validate", &["--auth", "personal", "--email", EMAIL], "");
    assert_eq!(
        from_keychain.code, 0,
        "the keychain still holds the old token"
    );
}

#[test]
fn rotate_with_one_unparseable_client_rotates_the_others_and_exits_8() {
    let sandbox = sandbox_with_rotation();
    let configured = sandbox.configure(&["--clients", "cursor,zed", "--yes"], TOKEN);
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let zed = sandbox.home().join(".config/zed/settings.json");
    let broken = "{ \"context_servers\": { oops } }\n";
    fs::write(&zed, broken).unwrap();

    let rotated = sandbox.run("rotate", &["--token-env", TOKEN_VARIABLE], NEW_TOKEN);
    assert_eq!(
        rotated.code, 8,
        "a client that could not be rewritten is exit 8: {}",
        rotated.stderr
    );
    let results = rotated.json["clients"].as_array().unwrap();
    let zed_result = results
        .iter()
        .find(|r| r["id"] == "zed")
        .expect("zed is reported, not skipped");
    assert!(
        zed_result["error"]["message"]
            .as_str()
            .unwrap()
            .contains("settings.json")
    );
    assert_eq!(
        fs::read_to_string(&zed).unwrap(),
        broken,
        "the broken file is untouched"
    );
    assert!(
        sandbox
            .read(".cursor/mcp.json")
            .unwrap()
            .contains(&basic(NEW_TOKEN)),
        "Cursor rotated"
    );
}

/// Claude Desktop in keychain mode: its file holds no secret, only our own binary with
/// `bridge`, and that entry, started the way Claude Desktop starts it, serves the tools through
/// to the server with the credential from the keychain.
#[test]
fn keychain_mode_writes_no_secret_and_the_entry_serves_the_tools() {
    use rmcp::ServiceExt;
    use rmcp::model::CallToolRequestParams;
    use rmcp::transport::TokioChildProcess;

    let sandbox = Sandbox::new();
    fs::create_dir_all(sandbox.home().join(".config/Claude")).unwrap();
    let run = sandbox.configure(&["--clients", "claude-desktop", "--yes"], TOKEN);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let text = sandbox
        .read(".config/Claude/claude_desktop_config.json")
        .unwrap();
    assert!(
        !text.contains(&basic(TOKEN)["Basic ".len()..]),
        "no secret in the file: {text}"
    );
    assert!(
        !text.contains("mcp-remote"),
        "no Node.js bridge in keychain mode: {text}"
    );
    let config: Value = serde_json::from_str(&text).unwrap();
    let entry = &config["mcpServers"]["atlassian-rovo-mcp"];
    let command = entry["command"].as_str().expect("a stdio command");
    assert!(
        Path::new(command).is_absolute(),
        "the entry runs our binary by its full path: {command}"
    );
    let args: Vec<&str> = entry["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(args[0], "bridge", "the entry runs the bridge: {args:?}");

    let status = sandbox.run("status", &[], "");
    assert_eq!(
        status.json["clients"][0]["mode"], "keychain",
        "status reads the mode back"
    );

    let home = sandbox.home();
    let mut child = tokio::process::Command::new(command);
    child
        .args(&args)
        .env_clear()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            sandbox.secret_service.bus_address(),
        )
        .envs(leak_scan::trace_logging());
    sandbox.runtime.block_on(async {
        let (transport, _stderr) = TokioChildProcess::builder(child)
            .stderr(Stdio::null())
            .spawn()
            .expect("the entry's command starts");
        let client = ().serve(transport).await.expect("the bridge initializes over stdio");
        let tools = client
            .list_all_tools()
            .await
            .expect("tools/list through the bridge");
        assert_eq!(
            tools.len(),
            Grant::FullScope.tools_on(Surface::V2Primary).len(),
            "every tool the endpoint lists for the full-scope grant comes through"
        );
        let result = client
            .call_tool(CallToolRequestParams::new("getVisibleJiraProjects"))
            .await
            .expect("a tool call goes through");
        assert_ne!(result.is_error, Some(true), "and succeeds: {result:?}");
        client.cancel().await.unwrap();
    });
}

/// No Secret Service on the bus: the client that would read the keychain is refused with a
/// sentence that says what to do, the inline client is still written, and nothing panics.
#[test]
fn without_a_keychain_keychain_clients_are_refused_and_inline_ones_still_written() {
    let sandbox = Sandbox::new();
    fs::create_dir_all(sandbox.home().join(".config/Claude")).unwrap();
    let home = sandbox.home();
    let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
        .args([
            "configure",
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            TOKEN_VARIABLE,
        ])
        .args(["--clients", "claude-desktop,cursor", "--yes", "--json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("ROVO_MCP_ENDPOINT", sandbox.server.url())
        .env(TOKEN_VARIABLE, TOKEN)
        .envs(leak_scan::trace_logging())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    leak_scan::keep_output(&output);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_ne!(output.status.code(), Some(101), "no panic");
    assert_eq!(
        output.status.code(),
        Some(8),
        "a client not written is exit 8: {stdout}"
    );
    assert_eq!(report["keychain"]["stored"], false);
    let keychain_error = report["keychain"]["error"].as_str().unwrap();
    assert!(
        keychain_error.contains("keychain"),
        "the keychain problem is named: {keychain_error}"
    );
    let results = report["clients"].as_array().unwrap();
    let claude = results
        .iter()
        .find(|r| r["id"] == "claude-desktop")
        .unwrap();
    assert_eq!(claude["error"]["kind"], "keychain_unavailable", "{claude}");
    assert!(
        claude["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--mode inline"),
        "it says what to do instead: {claude}"
    );
    assert!(
        !home
            .join(".config/Claude/claude_desktop_config.json")
            .exists(),
        "Claude Desktop's file is not written without a keychain"
    );
    assert!(
        sandbox.read(".cursor/mcp.json").is_some(),
        "Cursor (inline) is still written"
    );
}

/// The organisation's policy locks choices: a conflicting flag is refused naming the policy, a
/// required tool that is missing makes the check `limited`, and a broken policy stops
/// everything with the file named.
#[test]
fn a_policy_locks_the_endpoint_auth_and_clients_and_requires_tools() {
    let sandbox = Sandbox::new();
    let url = sandbox.server.url().to_owned();
    sandbox.set_policy(&format!(
        r#"{{ "organization": {{ "name": "Example Corp", "helpLink": "https://intranet.example.com/ai" }},
            "endpoint": "{url}", "allowedAuth": ["personal"],
            "clients": {{ "configure": ["cursor"], "never": ["codex"] }} }}"#
    ));

    let other = sandbox.configure(
        &["--endpoint", "https://other.example.com/mcp", "--yes"],
        TOKEN,
    );
    assert_eq!(
        other.code, 2,
        "a conflicting --endpoint is invalid input: {}",
        other.stderr
    );
    let message = other.json["validation"]["error"]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("Example Corp's policy"),
        "the policy is named: {message}"
    );
    assert!(message.contains("policy.json"), "and its file: {message}");

    let service = sandbox.run(
        "validate",
        &["--auth", "service", "--token-env", TOKEN_VARIABLE],
        TOKEN,
    );
    assert_eq!(
        service.code, 2,
        "a service key is not allowed: {}",
        service.stderr
    );

    let never = sandbox.configure(&["--clients", "codex", "--yes"], TOKEN);
    assert_eq!(
        never.code, 2,
        "a client the policy keeps us out of is refused: {}",
        never.stderr
    );
    assert!(
        sandbox.read(".codex/config.toml").is_none(),
        "Codex is untouched"
    );

    let by_policy = sandbox.configure(&["--yes"], TOKEN);
    assert_eq!(
        by_policy.code, 0,
        "without --clients the policy's list is used: {}",
        by_policy.stderr
    );
    assert!(
        sandbox.read(".cursor/mcp.json").is_some(),
        "Cursor, the policy's client, is written"
    );

    // A tool required under its v1 name is met by its v2 name; Compass never is for a token.
    sandbox.set_policy(r#"{ "requiredTools": ["getVisibleJiraProjects", "getCompassComponent"] }"#);
    let limited = sandbox.run(
        "validate",
        &["--email", EMAIL, "--token-env", TOKEN_VARIABLE],
        TOKEN,
    );
    assert_eq!(
        limited.code, 5,
        "a missing required tool is limited: {}",
        limited.stderr
    );
    let why = limited.json["limitation"]["message"].as_str().unwrap();
    assert!(
        why.contains("getCompassComponent"),
        "the missing tool is named: {why}"
    );
    assert!(
        !why.contains("getVisibleJiraProjects"),
        "a present one is not: {why}"
    );

    sandbox.set_policy("{ \"endpoint\": ");
    let broken = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(
        broken.code, 2,
        "a policy that is not JSON stops everything: {}",
        broken.stderr
    );
    assert!(
        broken.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("policy.json")
    );
}

/// A policy's entry name is ours everywhere: `configure` writes it, `clients` finds it, and
/// `remove` takes it out again, leaving each file byte for byte as it was before.
#[test]
fn a_policy_entry_name_is_configured_listed_and_removed_byte_for_byte() {
    let sandbox = Sandbox::new();
    sandbox.set_policy(r#"{ "entryName": "acme-atlassian" }"#);
    let cursor_before = "{\n  \"mcpServers\": {\n    \"github\":   { \"url\": \"https://api.githubcopilot.com/mcp/\" }\n  }\n}\n";
    let codex_before =
        "model = \"o4\"   # the team's model\n\n[mcp_servers.other]\ncommand = \"other\"\n";
    fs::write(sandbox.home().join(".cursor/mcp.json"), cursor_before).unwrap();
    fs::write(sandbox.home().join(".codex/config.toml"), codex_before).unwrap();

    let configured = sandbox.configure(&["--clients", "cursor,codex", "--yes"], TOKEN);
    assert_eq!(
        configured.code, 0,
        "configure writes both clients: {}",
        configured.stderr
    );
    for file in [".cursor/mcp.json", ".codex/config.toml"] {
        let text = sandbox.read(file).expect("the config is still there");
        assert!(
            text.contains("acme-atlassian") && !text.contains("atlassian-rovo-mcp"),
            "{file} holds the entry under the policy's name only: {text}"
        );
    }

    let listed = sandbox.run("clients", &[], "");
    assert_eq!(listed.code, 0, "clients lists: {}", listed.stderr);
    for id in ["cursor", "codex"] {
        let client = listed.json["clients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|client| client["id"] == id)
            .unwrap();
        assert!(
            client["entry"].is_object(),
            "`clients --json` finds {id}'s entry under the policy's name: {client}"
        );
    }

    let removed = sandbox.run("remove", &[], "");
    assert_eq!(
        removed.code, 0,
        "remove takes the entry out: {}",
        removed.stderr
    );
    let mut ids: Vec<&str> = removed.json["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|client| client["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["codex", "cursor"],
        "by default remove finds every client holding the policy's entry"
    );
    assert_eq!(
        sandbox.read(".cursor/mcp.json").as_deref(),
        Some(cursor_before),
        "Cursor's file is byte for byte what it was before configure"
    );
    assert_eq!(
        sandbox.read(".codex/config.toml").as_deref(),
        Some(codex_before),
        "Codex's file is byte for byte what it was before configure"
    );
}

/// Lock the private keyring's login collection, as a screen lock or a reboot would.
fn lock_keyring(bus_address: &str) {
    let locked = Command::new("dbus-send")
        .arg(format!("--bus={bus_address}"))
        .args([
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .expect("dbus-send runs");
    assert!(
        locked.status.success(),
        "the keyring locks: {}",
        String::from_utf8_lossy(&locked.stderr)
    );
}

/// A keychain locked after setup: `validate` from the keychain and `rotate` say so in a sentence
/// with the way out, nothing hangs or panics, and no file changes.
#[test]
fn a_locked_keychain_is_a_clear_error_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let configured = sandbox.configure(&["--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let cursor_before = sandbox.read(".cursor/mcp.json").unwrap();
    lock_keyring(sandbox.secret_service.bus_address());

    let validate = sandbox.run("validate", &["--email", EMAIL], "");
    assert_eq!(
        validate.code, 1,
        "a locked keychain is exit 1: {}",
        validate.stderr
    );
    assert_eq!(validate.json["verdict"], "keychain_unavailable");
    let message = validate.json["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("locked"),
        "it says the keychain is locked: {message}"
    );
    assert!(message.contains("unlock"), "and what to do: {message}");

    let rotated = sandbox.run("rotate", &["--token-env", TOKEN_VARIABLE], TOKEN);
    assert_ne!(rotated.code, 101, "no panic: {}", rotated.stderr);
    assert_eq!(
        sandbox.read(".cursor/mcp.json").unwrap(),
        cursor_before,
        "Cursor is untouched"
    );
}

/// The leak scan: after every subcommand ran in keychain mode with the most verbose logging,
/// neither the token nor its base64 forms are in any output or any file the app wrote — log,
/// state, backups, client configs.
#[test]
fn no_secret_in_any_output_or_file_the_app_wrote_in_keychain_mode() {
    let sandbox = Sandbox::new();
    fs::create_dir_all(sandbox.home().join(".config/Claude")).unwrap();
    let runs = [
        sandbox.run(
            "validate",
            &["--email", EMAIL, "--token-env", TOKEN_VARIABLE],
            TOKEN,
        ),
        sandbox.configure(&["--clients", "claude-desktop", "--dry-run"], TOKEN),
        sandbox.configure(&["--clients", "claude-desktop", "--yes"], TOKEN),
        sandbox.run("status", &[], ""),
        sandbox.run("clients", &[], ""),
        sandbox.run("rotate", &["--token-env", TOKEN_VARIABLE], TOKEN),
        sandbox.run("remove", &["--forget"], ""),
    ];
    let secrets = secret_forms(TOKEN);
    for run in &runs {
        for secret in &secrets {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "output leaks"
            );
        }
    }
    let log = fs::read_to_string(sandbox.log_path()).expect("every run logged to the file");
    for line in [
        "probe finished",
        "config file written",
        "keychain",
        "reply received",
    ] {
        assert!(
            log.contains(line),
            "the log is as verbose as it gets, so the scan means something: no `{line}` in\n{log}"
        );
    }
    assert!(
        runs.iter()
            .all(|run| run.stderr.contains("TRACE") || run.stderr.contains("DEBUG")),
        "every run logged to stderr as well"
    );
    let files = every_file_under(sandbox.root.path());
    assert!(
        files.iter().any(|path| path.ends_with("state.json")),
        "the scan covers the state file"
    );
    assert!(
        files.iter().any(|path| *path == sandbox.log_path()),
        "the scan covers the log file"
    );
    for path in files {
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "`{}` holds the secret",
                path.display()
            );
        }
    }
}

#[test]
fn a_setup_on_v1_is_shown_as_such_and_moves_to_v2_in_one_command() {
    let sandbox = Sandbox::new();
    let v1 = sandbox.server.v1_url().to_owned();
    let v2 = sandbox.server.url().to_owned();
    let setup = sandbox.configure(&["--endpoint", &v1, "--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(setup.code, 0, "v1 is still served: {}", setup.stderr);

    let status = sandbox.run("status", &[], TOKEN);
    assert_eq!(
        status.json["endpointMove"],
        serde_json::json!({ "from": v1, "to": v2 }),
        "a setup on v1 is shown with its move to v2: {}",
        status.stdout
    );

    let moved = sandbox.configure(&["--endpoint", &v2, "--clients", "cursor", "--yes"], TOKEN);
    assert_eq!(moved.code, 0, "the move is a setup: {}", moved.stderr);
    let cursor: Value =
        serde_json::from_str(&sandbox.read(".cursor/mcp.json").expect("Cursor's file")).unwrap();
    assert_eq!(
        cursor["mcpServers"]["atlassian-rovo-mcp"]["url"], v2,
        "the client's entry now points at v2"
    );
    let status = sandbox.run("status", &[], TOKEN);
    assert_eq!(status.json["endpoint"], v2, "the setup on record is on v2");
    assert!(
        status.json["endpointMove"].is_null(),
        "nothing is left to move: {}",
        status.stdout
    );
}

/// Starts the bridge as `entry` (a stdio entry of ours) says, in the sandbox's home and keychain,
/// and returns how many tools it lists.
fn tools_through_entry(sandbox: &Sandbox, entry: &Value) -> usize {
    use rmcp::ServiceExt;
    use rmcp::transport::TokioChildProcess;

    let home = sandbox.home();
    let mut child = tokio::process::Command::new(entry["command"].as_str().expect("a command"));
    child
        .args(
            entry["args"]
                .as_array()
                .expect("its arguments")
                .iter()
                .map(|arg| arg.as_str().unwrap()),
        )
        .env_clear()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            sandbox.secret_service.bus_address(),
        )
        .envs(leak_scan::trace_logging());
    sandbox.runtime.block_on(async {
        let (transport, _stderr) = TokioChildProcess::builder(child)
            .stderr(Stdio::null())
            .spawn()
            .expect("the entry's command starts");
        let client = ().serve(transport).await.expect("the bridge initializes");
        let tools = client
            .list_all_tools()
            .await
            .expect("tools through the bridge");
        client.cancel().await.unwrap();
        tools.len()
    })
}

/// An hour-long token for the full grant, as Atlassian's token endpoint gives.
fn hour_long() -> TokenAnswer {
    TokenAnswer::Issue {
        grant: Grant::FullScope,
        lifetime: std::time::Duration::from_secs(3600),
    }
}

const CLIENT_ID: &str = "stand-in-client-0123456789abcdef";

/// A sandbox whose token endpoint issues hour-long tokens to [`CLIENT_ID`].
fn sandbox_with_oauth_client() -> Sandbox {
    Sandbox::with_server(StandInServer::builder().oauth_client(
        CLIENT_ID,
        leak_scan::OAUTH_CLIENT_SECRET,
        hour_long(),
    ))
}

/// `configure --auth service-oauth`: the client secret goes to the keychain and nowhere else,
/// the client ID and token endpoint to the state file; Claude Desktop gets our bridge, which
/// mints a token from the keychain's secret and serves every tool; Claude Code gets the header
/// helper, which prints a fresh bearer token; `status` names the client and calls it healthy.
#[test]
fn an_oauth_client_is_set_up_in_keychain_mode_and_its_entries_mint_tokens() {
    let sandbox = sandbox_with_oauth_client();
    fs::create_dir_all(sandbox.home().join(".config/Claude")).unwrap();
    let token_url = sandbox.server.token_url().to_owned();
    let oauth = [
        "--auth",
        "service-oauth",
        "--client-id",
        CLIENT_ID,
        "--token-url",
        token_url.as_str(),
        "--token-env",
        TOKEN_VARIABLE,
    ];
    let run = sandbox.run(
        "configure",
        &[
            &oauth[..],
            &["--clients", "claude-desktop,claude-code", "--yes"],
        ]
        .concat(),
        leak_scan::OAUTH_CLIENT_SECRET,
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let state = sandbox.state().expect("the setup is recorded");
    assert_eq!(
        (
            state["credential"]["auth"].as_str(),
            state["credential"]["oauth"]["clientId"].as_str(),
            state["credential"]["oauth"]["tokenUrl"].as_str(),
            state["credential"]["keychainAccount"].as_str(),
        ),
        (
            Some("service-oauth"),
            Some(CLIENT_ID),
            Some(token_url.as_str()),
            Some(format!("service-oauth:{CLIENT_ID}").as_str()),
        ),
        "the client ID and token endpoint are on record, the secret under its own account"
    );
    for file in every_file_under(&sandbox.home()) {
        let text = fs::read_to_string(&file).unwrap_or_default();
        assert!(
            !text.contains(leak_scan::OAUTH_CLIENT_SECRET)
                && !text.contains(rovo_stand_in::ACCESS_TOKEN_PREFIX),
            "no client secret and no access token in {}",
            file.display()
        );
    }

    let config: Value = serde_json::from_str(
        &sandbox
            .read(".config/Claude/claude_desktop_config.json")
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        tools_through_entry(&sandbox, &config["mcpServers"]["atlassian-rovo-mcp"]),
        Grant::FullScope.tools_on(Surface::V2Primary).len(),
        "the bridge minted a token from the keychain's secret and serves every tool"
    );
    let home = sandbox.home();

    // The helper prints the token by design: its output is checked here, never kept.
    let helper = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
        .args(["headers", "--endpoint", sandbox.server.url()])
        .env_clear()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            sandbox.secret_service.bus_address(),
        )
        .stdin(Stdio::null())
        .output()
        .expect("the helper runs");
    let printed: Value = serde_json::from_slice(&helper.stdout).unwrap_or_default();
    assert!(
        printed["Authorization"]
            .as_str()
            .is_some_and(|header| header
                .starts_with(&format!("Bearer {}", rovo_stand_in::ACCESS_TOKEN_PREFIX))),
        "the header helper prints a fresh access token: {}",
        String::from_utf8_lossy(&helper.stderr)
    );
    assert_eq!(
        sandbox.server.access_tokens_issued(),
        3,
        "one token each for the check, the bridge and the helper"
    );

    let (code, line) = sandbox.health_line();
    assert!(
        code == 0 && line.contains(&format!("the service account's OAuth client {CLIENT_ID}")),
        "status names the client and calls it healthy: {line}"
    );
}

/// A service account's OAuth client cannot go into a file: its access tokens last an hour.
/// `--mode inline` and `--mode prompt` are refused in one sentence that says why and what to
/// use, and nothing is written.
#[test]
fn an_oauth_client_is_refused_in_inline_and_prompt_mode_and_nothing_is_written() {
    let sandbox = sandbox_with_oauth_client();
    for mode in ["inline", "prompt"] {
        let run = sandbox.run(
            "configure",
            &[
                "--auth",
                "service-oauth",
                "--client-id",
                CLIENT_ID,
                "--token-url",
                sandbox.server.token_url(),
                "--token-env",
                TOKEN_VARIABLE,
                "--clients",
                "cursor",
                "--mode",
                mode,
                "--yes",
            ],
            leak_scan::OAUTH_CLIENT_SECRET,
        );
        assert_eq!(
            (run.code, run.json["error"]["kind"].as_str()),
            (2, Some("invalid_input")),
            "{mode}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("last an hour") && run.stderr.contains("--mode keychain"),
            "{mode}: it says why and what to use: {}",
            run.stderr
        );
    }
    assert!(
        sandbox.read(".cursor/mcp.json").is_none() && sandbox.state().is_none(),
        "nothing is written and nothing recorded"
    );
}

/// `rotate --auth service-oauth` to a new credential (a new client ID and secret): it replaces
/// the one on record, whose secret leaves the keychain, and the bridge of the entry already
/// written uses it.
#[test]
fn an_oauth_client_is_rotated_to_a_new_credential() {
    const NEW_CLIENT_ID: &str = "stand-in-client-fedcba9876543210";
    let sandbox = Sandbox::with_server(
        StandInServer::builder()
            .oauth_client(CLIENT_ID, leak_scan::OAUTH_CLIENT_SECRET, hour_long())
            .oauth_client(NEW_CLIENT_ID, leak_scan::ROTATED_TOKEN, hour_long()),
    );
    fs::create_dir_all(sandbox.home().join(".config/Claude")).unwrap();
    let token_url = sandbox.server.token_url().to_owned();
    let configured = sandbox.run(
        "configure",
        &[
            "--auth",
            "service-oauth",
            "--client-id",
            CLIENT_ID,
            "--token-url",
            &token_url,
            "--token-env",
            TOKEN_VARIABLE,
            "--clients",
            "claude-desktop",
            "--yes",
        ],
        leak_scan::OAUTH_CLIENT_SECRET,
    );
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let written = sandbox
        .read(".config/Claude/claude_desktop_config.json")
        .unwrap();

    let rotated = sandbox.run(
        "rotate",
        &[
            "--auth",
            "service-oauth",
            "--client-id",
            NEW_CLIENT_ID,
            "--token-env",
            TOKEN_VARIABLE,
        ],
        leak_scan::ROTATED_TOKEN,
    );
    assert_eq!(rotated.code, 0, "{}\n{}", rotated.stdout, rotated.stderr);
    let state = sandbox.state().unwrap();
    assert_eq!(
        (
            state["credential"]["oauth"]["clientId"].as_str(),
            state["credential"]["oauth"]["tokenUrl"].as_str(),
            state["credential"]["keychainAccount"].as_str(),
        ),
        (
            Some(NEW_CLIENT_ID),
            Some(token_url.as_str()),
            Some(format!("service-oauth:{NEW_CLIENT_ID}").as_str()),
        ),
        "the new client is on record, the token endpoint kept"
    );
    let old_item = sandbox.run(
        "validate",
        &[
            "--auth",
            "service-oauth",
            "--client-id",
            CLIENT_ID,
            "--token-url",
            &token_url,
        ],
        "",
    );
    assert!(
        old_item.code == 2 && old_item.stderr.contains("keychain has no credential"),
        "the replaced client's secret left the keychain: {}",
        old_item.stderr
    );
    assert_eq!(
        sandbox
            .read(".config/Claude/claude_desktop_config.json")
            .unwrap(),
        written,
        "a keychain entry needs no change"
    );

    let config: Value = serde_json::from_str(&written).unwrap();
    assert!(
        tools_through_entry(&sandbox, &config["mcpServers"]["atlassian-rovo-mcp"]) > 0,
        "the bridge mints its tokens from the new client"
    );
}

/// `rotate --auth service-oauth` with a secret the token endpoint refuses (the client ID on
/// record standing in for the flag) fails with the token endpoint's kind and changes nothing.
#[test]
fn a_refused_new_oauth_secret_changes_nothing() {
    let sandbox = sandbox_with_oauth_client();
    fs::create_dir_all(sandbox.home().join(".config/Claude")).unwrap();
    let configured = sandbox.run(
        "configure",
        &[
            "--auth",
            "service-oauth",
            "--client-id",
            CLIENT_ID,
            "--token-url",
            sandbox.server.token_url(),
            "--token-env",
            TOKEN_VARIABLE,
            "--clients",
            "claude-desktop",
            "--yes",
        ],
        leak_scan::OAUTH_CLIENT_SECRET,
    );
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    let refused = sandbox.run(
        "rotate",
        &["--auth", "service-oauth", "--token-env", TOKEN_VARIABLE],
        leak_scan::REFUSED_TOKEN,
    );
    assert_eq!(
        (refused.code, refused.json["verdict"].as_str()),
        (3, Some("oauth_client_rejected")),
        "the client ID on record with a secret the endpoint refuses: {}",
        refused.stderr
    );
    assert_eq!(
        sandbox.state().unwrap()["credential"]["oauth"]["clientId"],
        CLIENT_ID,
        "nothing changed on record"
    );
}
