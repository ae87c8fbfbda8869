//! The Windows command-line binary (`rovo-mcp-setup-cli.exe`, built for `x86_64-pc-windows-gnu`)
//! run under Wine, against the stand-in server on loopback, on a Windows-layout profile
//! (`C:\users\<user>` with `AppData\Roaming` and `AppData\Local`): the check's verdicts and exit
//! codes, configure and remove on Windows client configs (CRLF, a byte-order mark, a path with
//! spaces), the policy from the registry and `%ProgramData%`, the secret in Credential Manager
//! with the bridge serving tools, rotate, and the bad inputs of a Windows machine.
//!
//! `make test-windows` builds the executables, puts Wine's missing `bcryptprimitives.dll` beside
//! them (tests/windows/bcryptprimitives.c) and prepares one Wine prefix for the run; it passes
//! both folders in `ROVO_WINDOWS_BIN` and `WINEPREFIX`. Wine keeps one profile per prefix, so the
//! tests take turns: each points the profile folder at a fresh temporary folder of its own.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use rovo_stand_in::{ACCESS_TOKEN_PREFIX, Grant, StandInServer, TokenAnswer};
use rovo_test_support::leak_scan::{self, secret_forms};
use serde_json::Value;

const EMAIL: &str = "zoe@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const ROTATED: &str = leak_scan::ROTATED_TOKEN;
const CLASSIC: &str = leak_scan::CLASSIC_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";
const OAUTH_SECRET: &str = leak_scan::OAUTH_CLIENT_SECRET;
/// A service account's OAuth client ID, as Atlassian's look.
const OAUTH_CLIENT_ID: &str = "9fXk2bq7LmN4pR8sT1vW3yZ5aC6dE0gH";
/// The policy key Group Policy writes (docs/it-deployment.md).
const POLICY_KEY: &str = r"SOFTWARE\Policies\RovoMcpSetup";

fn basic(token: &str) -> String {
    let pair = format!("{EMAIL}:{token}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Wine's one profile per prefix: one test at a time.
static PROFILE: Mutex<()> = Mutex::new(());

/// The stand-in server on loopback, a fresh profile in the shared Wine prefix, and the runtime
/// that serves the one and drives the tests' own clients.
struct WindowsMachine {
    prefix: PathBuf,
    binaries: PathBuf,
    /// The profile's own files live here; `C:\users\<user>` points at it while the test runs.
    profile: tempfile::TempDir,
    server: StandInServer,
    runtime: tokio::runtime::Runtime,
    _turn: MutexGuard<'static, ()>,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is one JSON document ({error}): {}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl WindowsMachine {
    fn new() -> Self {
        let turn = PROFILE.lock().unwrap_or_else(PoisonError::into_inner);
        let prefix = PathBuf::from(
            std::env::var_os("WINEPREFIX")
                .expect("WINEPREFIX: run these through make test-windows"),
        );
        let binaries = PathBuf::from(
            std::env::var_os("ROVO_WINDOWS_BIN")
                .expect("ROVO_WINDOWS_BIN: run these through make test-windows"),
        );
        let profile = tempfile::tempdir().unwrap();
        for folder in ["AppData/Roaming", "AppData/Local", "Temp"] {
            fs::create_dir_all(profile.path().join(folder)).unwrap();
        }
        let users = prefix.join("drive_c/users");
        let link = users.join(unix_user());
        match fs::symlink_metadata(&link) {
            Ok(metadata) if metadata.file_type().is_symlink() => fs::remove_file(&link).unwrap(),
            Ok(_) => fs::rename(&link, users.join(format!("{}.wineboot", unix_user()))).unwrap(),
            Err(_) => {}
        }
        std::os::unix::fs::symlink(profile.path(), &link).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime
            .block_on(
                StandInServer::builder()
                    .grant(basic(TOKEN), Grant::FullScope)
                    .grant(basic(ROTATED), Grant::FullScope)
                    .grant(basic(CLASSIC), Grant::ClassicToken)
                    .oauth_client(
                        OAUTH_CLIENT_ID,
                        OAUTH_SECRET,
                        TokenAnswer::Issue {
                            grant: Grant::FullScope,
                            lifetime: std::time::Duration::from_secs(3600),
                        },
                    )
                    .start(),
            )
            .unwrap();
        let machine = Self {
            prefix,
            binaries,
            profile,
            server,
            runtime,
            _turn: turn,
        };
        machine.clear_policy();
        machine
    }

    /// Starts our bridge under Wine as a client entry says (`cli` with `args`) and returns how
    /// many tools it lists, or why it did not.
    fn tools_through_bridge(&self, cli: &Path, args: &[String]) -> Result<usize, String> {
        use rmcp::ServiceExt as _;
        use rmcp::transport::TokioChildProcess;

        self.runtime.block_on(async {
            let mut bridge = tokio::process::Command::new(wine_loader());
            bridge
                .arg(cli)
                .args(args)
                .env("WINEPREFIX", &self.prefix)
                .env("WINEDEBUG", "-all")
                .env_remove("DISPLAY")
                .env_remove(TOKEN_VARIABLE);
            let transport = TokioChildProcess::new(bridge).map_err(|error| error.to_string())?;
            let client = ().serve(transport).await.map_err(|error| error.to_string())?;
            let tools = client
                .list_all_tools()
                .await
                .map(|tools| tools.len())
                .map_err(|error| error.to_string());
            let _closed = client.cancel().await;
            tools
        })
    }

    /// Claude Desktop's config file as `configure` left it.
    fn claude_desktop_config(&self) -> String {
        fs::read_to_string(self.file(r"AppData\Roaming\Claude\claude_desktop_config.json"))
            .expect("Claude Desktop's config is written")
    }

    fn cli(&self) -> PathBuf {
        self.binaries.join("rovo-mcp-setup-cli.exe")
    }

    /// A file of the profile, by its path under `C:\users\<user>`.
    fn file(&self, relative: &str) -> PathBuf {
        self.profile.path().join(relative.replace('\\', "/"))
    }

    /// `relative` under the profile as Windows names it.
    fn windows_path(relative: &str) -> String {
        format!(r"C:\users\{}\{relative}", unix_user())
    }

    fn wine(&self) -> Command {
        let mut command = Command::new(wine_loader());
        command
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null());
        command
    }

    /// Runs `program` (a Windows executable) with `args`, the stand-in as the endpoint, and
    /// `token` in the variable `--token-env` names.
    fn run_program(
        &self,
        program: &Path,
        args: &[&str],
        token: &str,
        extra: &[(&str, &str)],
    ) -> Run {
        let output = self
            .wine()
            .arg(program)
            .args(args)
            .env("ROVO_MCP_ENDPOINT", self.server.url())
            .env("ROVO_MCP_LOG", "trace")
            .env(TOKEN_VARIABLE, token)
            .envs(extra.iter().copied())
            .output()
            .expect("Wine runs the executable");
        self.finish(&output, token)
    }

    fn run(&self, args: &[&str], token: &str) -> Run {
        self.run_program(&self.cli(), args, token, &[])
    }

    fn finish(&self, output: &Output, token: &str) -> Run {
        leak_scan::keep_output(output);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        for secret in [token, TOKEN, ROTATED, CLASSIC, OAUTH_SECRET]
            .into_iter()
            .filter(|secret| secret.len() > 8)
            .flat_map(secret_forms)
        {
            assert!(
                !stdout.contains(&secret) && !stderr.contains(&secret),
                "no secret in any output:\n{stdout}\n{stderr}"
            );
        }
        Run {
            code: output.status.code().expect("a normal exit"),
            stdout,
            stderr,
        }
    }

    fn configure(&self, args: &[&str], token: &str) -> Run {
        self.configure_with(&self.cli(), args, token, &[])
    }

    /// `configure` of a personal token by `program`, with `args` after the credential's and
    /// `extra` variables.
    fn configure_with(
        &self,
        program: &Path,
        args: &[&str],
        token: &str,
        extra: &[(&str, &str)],
    ) -> Run {
        let mut all = vec![
            "configure",
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            TOKEN_VARIABLE,
            "--yes",
            "--json",
        ];
        all.extend_from_slice(args);
        self.run_program(program, &all, token, extra)
    }

    /// `wine reg` with `args`; the registry is the prefix's.
    fn reg(&self, args: &[&str]) -> Output {
        self.wine()
            .arg("reg")
            .args(args)
            .output()
            .expect("wine reg runs")
    }

    fn set_policy_value(&self, hive: &str, name: &str, kind: &str, data: &str) {
        let key = format!(r"{hive}\{POLICY_KEY}");
        let output = self.reg(&["add", &key, "/v", name, "/t", kind, "/d", data, "/f"]);
        assert!(
            output.status.success(),
            "wine reg add {key} {name}: {output:?}"
        );
    }

    /// The policy file where Windows machines keep it, `%ProgramData%\Rovo MCP Setup`.
    fn policy_file(&self) -> PathBuf {
        self.prefix
            .join("drive_c/ProgramData/Rovo MCP Setup/policy.json")
    }

    /// No policy in either hive or in `%ProgramData%`.
    fn clear_policy(&self) {
        for hive in ["HKLM", "HKCU"] {
            // A missing key is an error of `reg delete`, and no policy is what is wanted.
            let _absent = self.reg(&["delete", &format!(r"{hive}\{POLICY_KEY}"), "/f"]);
        }
        let _absent = fs::remove_file(self.policy_file());
    }

    /// Credential Manager's item for the setup, read back through the app's own `status`.
    fn status(&self) -> Value {
        self.run(&["status", "--json"], "").json()
    }
}

impl Drop for WindowsMachine {
    fn drop(&mut self) {
        self.clear_policy();
        // The secret leaves Credential Manager, which outlives the profile in the prefix.
        let _forgotten = self
            .wine()
            .arg(self.cli())
            .args(["remove", "--forget", "--json"])
            .output();
        leak_scan::keep_app_files(self.profile.path());
    }
}

/// The arguments of a client's stdio entry.
fn arguments_of(entry: &Value) -> Vec<String> {
    entry["args"]
        .as_array()
        .expect("the entry's arguments")
        .iter()
        .map(|arg| arg.as_str().unwrap().to_owned())
        .collect()
}

fn unix_user() -> String {
    let output = Command::new("id").arg("-un").output().expect("id runs");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Wine's 64-bit loader: Debian installs it outside `PATH`.
fn wine_loader() -> PathBuf {
    ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .expect("Wine is installed (make test-windows installs it)")
}

/// A file as a Windows editor leaves it: a byte-order mark and CRLF line ends.
fn windows_text(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    bytes
}

#[test]
fn validate_gives_each_verdict_its_exit_code() {
    let machine = WindowsMachine::new();
    let credential = [
        "validate",
        "--auth",
        "personal",
        "--email",
        EMAIL,
        "--token-env",
        TOKEN_VARIABLE,
    ];
    let ok = machine.run(&[&credential[..], &["--json"]].concat(), TOKEN);
    assert_eq!(
        (ok.code, ok.json()["verdict"].as_str()),
        (0, Some("ok")),
        "a scoped token is ok: {}",
        ok.stderr
    );
    assert!(
        ok.json()["tools"]
            .as_array()
            .is_some_and(|tools| tools.len() > 10),
        "the Windows build lists the tools: {}",
        ok.stdout
    );
    let limited = machine.run(&[&credential[..], &["--json"]].concat(), CLASSIC);
    assert_eq!(
        (limited.code, limited.json()["verdict"].as_str()),
        (5, Some("limited")),
        "a classic token is limited"
    );
    let refused = machine.run(&credential, "ATATT3x-not-a-token-the-server-knows");
    assert_eq!(
        refused.code, 3,
        "a token the server refuses is exit 3: {}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("401"),
        "the human text says what the server answered: {}",
        refused.stderr
    );
    let closed = machine.run_program(
        &machine.cli(),
        &[&credential[..], &["--json"]].concat(),
        TOKEN,
        &[("ROVO_MCP_ENDPOINT", "http://127.0.0.1:9/v2/mcp")],
    );
    assert_eq!(
        (closed.code, closed.json()["error"]["kind"].as_str()),
        (6, Some("network")),
        "a closed port is a network failure"
    );
    let empty = machine.run(&credential, "");
    assert_eq!(
        empty.code, 2,
        "an empty token is invalid input: {}",
        empty.stderr
    );
}

#[test]
fn configure_and_remove_keep_a_windows_file_byte_for_byte() {
    let machine = WindowsMachine::new();
    let cursor_text = windows_text(indoc::indoc! {r#"
        {
          // Mine, with a path with spaces.
          "mcpServers": {
            "files": {
              "command": "C:\\Program Files\\nodejs\\npx.cmd",
              "args": ["-y", "@modelcontextprotocol/server-filesystem", "C:\\Users\\Zoë Doe\\Projects"]
            }
          }
        }
    "#});
    let cursor = machine.file(r".cursor\mcp.json");
    fs::create_dir_all(cursor.parent().unwrap()).unwrap();
    fs::write(&cursor, &cursor_text).unwrap();
    let claude_text = windows_text("{\n  \"theme\": \"dark\"\n}\n");
    let claude = machine.file(r"AppData\Roaming\Claude\claude_desktop_config.json");
    fs::create_dir_all(claude.parent().unwrap()).unwrap();
    fs::write(&claude, &claude_text).unwrap();

    let run = machine.configure(
        &["--clients", "cursor,claude-desktop", "--mode", "inline"],
        TOKEN,
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let written = fs::read(&cursor).unwrap();
    assert!(
        written.starts_with(&[0xEF, 0xBB, 0xBF]),
        "the byte-order mark stays"
    );
    let written = String::from_utf8_lossy(&written[3..]).into_owned();
    assert!(
        !written.replace("\r\n", "").contains('\n'),
        "every line still ends in CRLF: {written:?}"
    );
    assert!(
        written.contains(r#""C:\\Users\\Zoë Doe\\Projects""#) && written.contains("// Mine"),
        "the person's server and comment are untouched: {written}"
    );
    assert!(
        written.contains("\"atlassian-rovo-mcp\"") && written.contains(machine.server.url()),
        "our entry is in: {written}"
    );
    let claude_written = fs::read_to_string(&claude).unwrap();
    assert!(
        claude_written.contains("\"theme\": \"dark\"") && claude_written.contains("mcpServers"),
        "Claude Desktop's file in %APPDATA% holds its settings and our entry: {claude_written}"
    );
    let status = machine.status();
    let paths: Vec<&str> = status["clients"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|client| client["configPath"].as_str())
        .collect();
    assert!(
        paths.contains(&WindowsMachine::windows_path(r".cursor\mcp.json").as_str())
            && paths.contains(
                &WindowsMachine::windows_path(r"AppData\Roaming\Claude\claude_desktop_config.json")
                    .as_str()
            ),
        "status names the Windows paths: {paths:?}"
    );

    let removed = machine.run(&["remove", "--json"], "");
    assert_eq!(removed.code, 0, "{}\n{}", removed.stdout, removed.stderr);
    assert_eq!(
        fs::read(&cursor).unwrap(),
        cursor_text,
        "remove gives back Cursor's file byte for byte"
    );
    assert_eq!(
        fs::read(&claude).unwrap(),
        claude_text,
        "and Claude Desktop's"
    );
}

#[test]
fn the_registry_policy_wins_key_by_key_hklm_over_hkcu_over_the_file() {
    let machine = WindowsMachine::new();
    fs::create_dir_all(machine.file(".cursor")).unwrap();
    fs::create_dir_all(machine.file(".codex")).unwrap();
    machine.set_policy_value("HKLM", "EntryName", "REG_SZ", "acme-machine");
    machine.set_policy_value("HKCU", "EntryName", "REG_SZ", "acme-user");
    machine.set_policy_value("HKCU", "Clients", "REG_MULTI_SZ", r"cursor\0codex");
    fs::create_dir_all(machine.policy_file().parent().unwrap()).unwrap();
    fs::write(
        machine.policy_file(),
        r#"{ "entryName": "from-file", "clients": { "configure": ["vscode"] }, "secretMode": "inline" }"#,
    )
    .unwrap();

    let run = machine.configure(&[], TOKEN);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let cursor = fs::read_to_string(machine.file(r".cursor\mcp.json")).unwrap();
    assert!(
        cursor.contains("\"acme-machine\"") && !cursor.contains("acme-user"),
        "HKLM's entry name wins over HKCU's and the file's: {cursor}"
    );
    assert!(
        cursor.contains("Basic "),
        "the file's secret mode applies where no hive sets one: {cursor}"
    );
    let codex = fs::read_to_string(machine.file(r".codex\config.toml")).unwrap();
    assert!(
        codex.contains("acme-machine"),
        "HKCU's client list wins over the file's: {codex}"
    );

    machine.set_policy_value("HKLM", "ReminderDays", "REG_SZ", "fourteen");
    let wrong_type = machine.configure(&[], TOKEN);
    assert_eq!(
        wrong_type.code, 2,
        "a value of the wrong type is invalid input, as a wrong type in the file is on Linux: {}",
        wrong_type.stderr
    );
    assert!(
        wrong_type.stderr.contains("ReminderDays") && wrong_type.stderr.contains("REG_DWORD"),
        "the error names the value and the type it needs: {}",
        wrong_type.stderr
    );
    assert_eq!(
        fs::read_to_string(machine.file(r".cursor\mcp.json")).unwrap(),
        cursor,
        "nothing is written under a policy that cannot be read"
    );

    let _deleted = machine.reg(&[
        "delete",
        &format!(r"HKLM\{POLICY_KEY}"),
        "/v",
        "ReminderDays",
        "/f",
    ]);
    machine.set_policy_value("HKLM", "EntryName", "REG_SZ", "");
    let empty = machine.configure(&[], TOKEN);
    assert_eq!(
        empty.code, 2,
        "an empty value is invalid input, as an empty name in the file is on Linux: {}",
        empty.stderr
    );
    assert!(
        empty.stderr.contains("EntryName"),
        "the error names the value: {}",
        empty.stderr
    );
}

#[test]
fn keychain_mode_keeps_the_secret_in_credential_manager_and_the_bridge_serves_tools() {
    let machine = WindowsMachine::new();
    let installed = machine.prefix.join("drive_c/Program Files/Rovo MCP Setup");
    fs::create_dir_all(&installed).unwrap();
    for file in ["rovo-mcp-setup-cli.exe", "bcryptprimitives.dll"] {
        fs::copy(machine.binaries.join(file), installed.join(file)).unwrap();
    }
    let cli = installed.join("rovo-mcp-setup-cli.exe");
    fs::create_dir_all(machine.file(r"AppData\Roaming\Claude")).unwrap();
    let run = machine.configure_with(
        &cli,
        &["--clients", "claude-desktop", "--mode", "keychain"],
        TOKEN,
        &[],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let config = machine.claude_desktop_config();
    for secret in secret_forms(TOKEN) {
        assert!(!config.contains(&secret), "no secret in the file: {config}");
    }
    let entry: Value = serde_json::from_str(&config).unwrap();
    let entry = &entry["mcpServers"]["atlassian-rovo-mcp"];
    assert_eq!(
        entry["command"].as_str(),
        Some(r"C:\Program Files\Rovo MCP Setup\rovo-mcp-setup-cli.exe"),
        "the entry runs the installed binary by its Windows path, spaces and all: {entry}"
    );
    let bridge_args = arguments_of(entry);

    let tools = machine
        .tools_through_bridge(&cli, &bridge_args)
        .expect("the bridge answers initialize and lists tools");
    assert!(
        tools > 10,
        "the bridge, reading Credential Manager, serves the stand-in's tools: {tools}"
    );

    let rotate = [
        "rotate",
        "--auth",
        "personal",
        "--email",
        EMAIL,
        "--token-env",
        TOKEN_VARIABLE,
        "--json",
    ];
    let rotated = machine.run_program(&cli, &rotate, ROTATED, &[]);
    assert_eq!(rotated.code, 0, "{}\n{}", rotated.stdout, rotated.stderr);
    let status = machine.status();
    assert_eq!(
        status["lastCheck"]["verdict"], "ok",
        "the rotated token is checked and on record: {status}"
    );
    let health = machine.run_program(&cli, &["status", "--summary"], "", &[]);
    assert_eq!(
        (health.code, health.stdout.split(':').next()),
        (0, Some("healthy")),
        "the fleet's health line on Windows: {}",
        health.stdout
    );
    machine.server.revoke(basic(TOKEN));
    let after = machine.tools_through_bridge(&cli, &bridge_args);
    assert!(
        after.is_ok_and(|count| count > 10),
        "with the old token revoked the bridge serves with the rotated one from Credential Manager"
    );
}

/// A service account's OAuth client on Windows: `configure` keeps its secret in Credential
/// Manager, and the bridge of the entry exchanges it at the token endpoint on record for the
/// access token it serves with.
#[test]
fn an_oauth_client_in_credential_manager_gives_the_bridge_its_tokens() {
    let machine = WindowsMachine::new();
    fs::create_dir_all(machine.file(r"AppData\Roaming\Claude")).unwrap();
    let token_url = machine.server.token_url().to_owned();
    let args = [
        "configure",
        "--auth",
        "service-oauth",
        "--client-id",
        OAUTH_CLIENT_ID,
        "--token-env",
        TOKEN_VARIABLE,
        "--token-url",
        &token_url,
        "--yes",
        "--json",
        "--clients",
        "claude-desktop",
        "--mode",
        "keychain",
    ];
    let run = machine.run_program(&machine.cli(), &args, OAUTH_SECRET, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let config = machine.claude_desktop_config();
    assert!(
        !config.contains(OAUTH_SECRET) && !config.contains(ACCESS_TOKEN_PREFIX),
        "neither the client secret nor a token is in the file: {config}"
    );
    let entry: Value = serde_json::from_str(&config).unwrap();
    let bridge_args = arguments_of(&entry["mcpServers"]["atlassian-rovo-mcp"]);

    let issued = machine.server.access_tokens_issued();
    let tools = machine
        .tools_through_bridge(&machine.cli(), &bridge_args)
        .expect("the bridge answers initialize and lists tools");
    assert!(
        tools > 10 && machine.server.access_tokens_issued() > issued,
        "the bridge exchanged Credential Manager's secret for a token and serves the tools: {tools}"
    );
    let status = machine.status();
    assert_eq!(
        (&status["auth"], &status["clientId"]),
        (&Value::from("service-oauth"), &Value::from(OAUTH_CLIENT_ID)),
        "status names the method and the client: {status}"
    );
}

/// Setup on record, the item gone from Credential Manager (Wine keeps it under
/// `HKCU\Software\Wine\Credential Manager`): the bridge answers the client's `initialize` with
/// the reason and exits 1, as it does on Linux with the keychain item gone.
#[test]
fn a_credential_missing_from_credential_manager_is_told_to_the_client() {
    use std::io::{BufRead as _, BufReader, Write as _};

    let machine = WindowsMachine::new();
    fs::create_dir_all(machine.file(r"AppData\Roaming\Claude")).unwrap();
    let run = machine.configure(
        &["--clients", "claude-desktop", "--mode", "keychain"],
        TOKEN,
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let deleted = machine.reg(&["delete", r"HKCU\Software\Wine\Credential Manager", "/f"]);
    assert!(deleted.status.success(), "{deleted:?}");

    let mut bridge = machine
        .wine()
        .arg(machine.cli())
        .args(["bridge", "--endpoint", machine.server.url()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bridge starts under Wine");
    let mut stdin = bridge.stdin.take().unwrap();
    writeln!(
        stdin,
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"protocolVersion":"2025-06-18","capabilities":{{}},"clientInfo":{{"name":"wine-test","version":"1"}}}}}}"#
    )
    .unwrap();
    let mut answer = String::new();
    BufReader::new(bridge.stdout.take().unwrap())
        .read_line(&mut answer)
        .unwrap();
    drop(stdin);
    let output = bridge.wait_with_output().unwrap();
    let answer: Value = serde_json::from_str(&answer).expect("one JSON-RPC answer");
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("the keychain has no item") && message.contains("rotate"),
        "the client is told what is missing and what to do: {answer}"
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "the exit code is the keychain's, 1: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Codex's folder from `CODEX_HOME` with spaces, non-ASCII letters and a path past 260
/// characters: written like any other, BOM and CRLF kept.
#[test]
fn a_non_ascii_folder_past_max_path_is_written_like_any_other() {
    let machine = WindowsMachine::new();
    let deep: PathBuf = std::iter::once("Zoë Doe – projets".to_owned())
        .chain((0..12).map(|index| format!("dossier numéro {index:02}")))
        .chain(std::iter::once(".codex".to_owned()))
        .collect();
    let codex_home = machine.profile.path().join(&deep);
    fs::create_dir_all(&codex_home).unwrap();
    fs::write(
        codex_home.join("config.toml"),
        windows_text("model = \"gpt-5-codex\"\n"),
    )
    .unwrap();
    let windows_home = WindowsMachine::windows_path(&deep.to_string_lossy().replace('/', "\\"));
    assert!(
        windows_home.len() > 260,
        "the path is past MAX_PATH: {}",
        windows_home.len()
    );
    let run = machine.configure_with(
        &machine.cli(),
        &["--clients", "codex", "--mode", "inline"],
        TOKEN,
        &[("CODEX_HOME", &windows_home)],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let written = fs::read_to_string(codex_home.join("config.toml")).unwrap();
    assert!(
        written.starts_with("\u{feff}model = \"gpt-5-codex\"\r\n")
            && written.contains("[mcp_servers.atlassian-rovo-mcp]"),
        "Codex's file past MAX_PATH, in a non-ASCII folder, keeps its BOM and CRLF and gains our entry: {written:?}"
    );
}

/// The PE header's subsystem: 2 is a windowed (GUI) program, 3 a console one.
fn pe_subsystem(executable: &Path) -> u16 {
    let bytes = fs::read(executable).unwrap();
    let pe = u32::from_le_bytes(bytes[0x3C..0x40].try_into().unwrap()) as usize;
    assert_eq!(&bytes[pe..pe + 4], b"PE\0\0", "a PE file");
    // The optional header follows the 4-byte signature and the 20-byte file header; the
    // subsystem is at offset 68 in it, for PE32 and PE32+ alike.
    let subsystem = pe + 4 + 20 + 68;
    u16::from_le_bytes(bytes[subsystem..subsystem + 2].try_into().unwrap())
}

/// The app as installed is a windowed program with no console of its own; its subcommands still
/// print where they were started from, a pipe included, as cmd or PowerShell sees them.
#[test]
fn the_windowed_app_prints_its_subcommands_output() {
    let machine = WindowsMachine::new();
    let app = machine.binaries.join("rovo-mcp-setup.exe");
    assert_eq!(
        pe_subsystem(&app),
        2,
        "the app under test is the windowed build"
    );
    assert_eq!(
        pe_subsystem(&machine.cli()),
        3,
        "the lean binary is a console program"
    );

    let version = machine.run_program(&app, &["--version"], "", &[]);
    assert_eq!(
        (version.code, version.stdout.trim_end()),
        (0, concat!("rovo-mcp-setup ", env!("CARGO_PKG_VERSION"))),
        "--version reaches the caller"
    );
    let validate = machine.run_program(
        &app,
        &[
            "validate",
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            TOKEN_VARIABLE,
            "--json",
        ],
        TOKEN,
        &[],
    );
    assert_eq!(
        (validate.code, validate.json()["verdict"].as_str()),
        (0, Some("ok")),
        "validate's JSON reaches stdout: {}",
        validate.stderr
    );
    let usage = machine.run_program(&app, &["--no-such-flag"], "", &[]);
    assert_eq!(usage.code, 2, "a usage error is exit 2");
    assert!(
        usage.stderr.contains("--no-such-flag"),
        "and its message reaches stderr: {}",
        usage.stderr
    );
}
