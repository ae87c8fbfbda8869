//! Issue 19's findings about the files the app writes and reads, through the real binary on a
//! temporary home: an inline header makes its client file private and says so, a file another
//! user owns is refused by owner, `remove` never deletes a file our setup did not create, a FIFO
//! where a file should be (client config, policy) or an endless `--token-stdin` is a clear error
//! and never a hang, and `configure --dry-run` masks other servers' secrets as well as ours.
//!
//! Every run has a deadline: a command that hangs is killed and the test fails saying so. What
//! the runs printed and left is kept for the suite's final leak scan.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use base64::Engine;
use indoc::indoc;
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::leak_scan::{self, secret_forms};
use rovo_test_support::secret_service::SecretServiceSession;
use serde_json::Value;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";

/// Long enough for a check against the stand-in server on a busy machine; a FIFO or an endless
/// stdin would hold the command forever.
const DEADLINE: Duration = Duration::from_secs(60);

/// Secrets of another server in the person's Cursor file, which no preview may show.
const OTHER_BEARER: &str = "ghp_OtherServerSecret0123456789abcdef";
const OTHER_API_KEY: &str = "xk-other-server-api-key-9876543210";

fn basic(token: &str) -> String {
    let pair = format!("{EMAIL}:{token}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// A temporary home with an empty policy beside it; the stand-in server and a private Secret
/// Service only for the tests that check a credential.
struct Sandbox {
    root: tempfile::TempDir,
    services: Option<Services>,
}

struct Services {
    secret_service: SecretServiceSession,
    server: StandInServer,
    /// Runs the server as long as the sandbox lives.
    _runtime: tokio::runtime::Runtime,
}

/// What a run of the binary fed on standard input.
enum Input {
    Nothing,
    Bytes(Vec<u8>),
    /// A device such as `/dev/zero`.
    #[cfg(unix)]
    File(PathBuf),
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

/// The app's log and state file outlive the sandbox in the suite's captures.
impl Drop for Sandbox {
    fn drop(&mut self) {
        leak_scan::keep_app_files(self.root.path());
    }
}

impl Sandbox {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("home/.cursor")).unwrap();
        fs::write(root.path().join("policy.json"), "{}\n").unwrap();
        Self {
            root,
            services: None,
        }
    }

    fn with_server() -> Self {
        let mut sandbox = Self::new();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime
            .block_on(StandInServer::start([(basic(TOKEN), Grant::FullScope)]))
            .unwrap();
        sandbox.services = Some(Services {
            secret_service: SecretServiceSession::start().expect("the private Secret Service"),
            server,
            _runtime: runtime,
        });
        sandbox
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    fn cursor_file(&self) -> PathBuf {
        self.home().join(".cursor/mcp.json")
    }

    fn state_file(&self) -> PathBuf {
        self.home()
            .join(".config/com.rovomcpsetup.desktop/state.json")
    }

    fn backups(&self) -> PathBuf {
        self.home()
            .join(".local/share/com.rovomcpsetup.desktop/backups")
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, Input::Nothing, &[])
    }

    /// Runs the binary with `args` on the sandbox's home, within the deadline.
    fn run_with(&self, args: &[&str], input: Input, extra: &[(&str, &Path)]) -> Run {
        let home = self.home();
        let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("ROVO_MCP_POLICY", self.root.path().join("policy.json"))
            .env("ROVO_MCP_LOG", "trace")
            .env(
                "ROVO_MCP_LOG_FILE",
                self.root.path().join("rovo-mcp-setup.log"),
            )
            .env(TOKEN_VARIABLE, TOKEN)
            // Nothing leaves the machine: without the stand-in server, a refused loopback port.
            .env("ROVO_MCP_ENDPOINT", "http://127.0.0.1:9/v1/mcp")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(services) = &self.services {
            command
                .env(
                    "DBUS_SESSION_BUS_ADDRESS",
                    services.secret_service.bus_address(),
                )
                .env("ROVO_MCP_ENDPOINT", services.server.url());
        }
        command.envs(extra.iter().copied());
        let bytes = match input {
            Input::Nothing => {
                command.stdin(Stdio::null());
                None
            }
            Input::Bytes(bytes) => {
                command.stdin(Stdio::piped());
                Some(bytes)
            }
            #[cfg(unix)]
            Input::File(path) => {
                command.stdin(fs::File::open(path).unwrap());
                None
            }
        };
        let output = within_deadline(&mut command, bytes, args);
        leak_scan::keep_output(&output);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        for secret in secret_forms(TOKEN) {
            assert!(
                !stdout.contains(&secret) && !stderr.contains(&secret),
                "the token never appears in any output:\n{stdout}\n{stderr}"
            );
        }
        Run {
            code: output.status.code().expect("a normal exit"),
            stdout,
            stderr,
        }
    }

    fn configure(&self, args: &[&str]) -> Run {
        let mut all = vec![
            "configure",
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            TOKEN_VARIABLE,
        ];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

/// Runs `command` to its end, or kills it at the deadline and fails: a hang is the bug.
fn within_deadline(command: &mut Command, input: Option<Vec<u8>>, args: &[&str]) -> Output {
    let mut child = command.spawn().expect("the binary starts");
    if let Some(bytes) = input {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // The binary stops reading at its limit and exits; the rest meets a closed pipe.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
    }
    let pid = child.id();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let Ok(output) = receiver.recv_timeout(DEADLINE) else {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        panic!("`rovo-mcp-setup {}` hung for {DEADLINE:?}", args.join(" "));
    };
    output.expect("the binary's output is collected")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo made `{}`", path.display());
}

fn client_result<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["clients"]
        .as_array()
        .unwrap_or_else(|| panic!("a result per client: {json}"))
        .iter()
        .find(|result| result["id"] == id)
        .unwrap_or_else(|| panic!("a result for {id}: {json}"))
}

#[cfg(unix)]
#[test]
fn inline_configure_makes_a_shared_client_file_private_and_says_so() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::with_server();
    let cursor = sandbox.cursor_file();
    fs::write(&cursor, "{\n  \"mcpServers\": {}\n}\n").unwrap();
    fs::set_permissions(&cursor, fs::Permissions::from_mode(0o644)).unwrap();

    let run = sandbox.configure(&["--clients", "cursor", "--mode", "inline", "--yes", "--json"]);

    assert_eq!(run.code, 0, "the setup succeeds: {}", run.stderr);
    assert_eq!(
        mode(&cursor),
        0o600,
        "the file holds the header now, so only the person may read it"
    );
    let note = client_result(&run.json(), "cursor")["note"]
        .as_str()
        .unwrap_or_else(|| panic!("the result says the file was made private: {}", run.stdout))
        .to_owned();
    assert!(
        note.contains("readable by you only") && note.contains("mcp.json"),
        "the note names the file and what changed: {note}"
    );

    fs::set_permissions(&cursor, fs::Permissions::from_mode(0o644)).unwrap();
    let human = sandbox.configure(&["--clients", "cursor", "--mode", "inline", "--yes"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stderr.contains("note: `") && human.stderr.contains("readable by you only"),
        "the terminal shows the note too: {}",
        human.stderr
    );
    assert_eq!(
        mode(&cursor),
        0o600,
        "an unchanged entry in a shared file is made private all the same"
    );
}

#[cfg(unix)]
#[test]
fn a_client_file_another_user_owns_is_refused_with_its_owner_and_kept() {
    use std::os::unix::fs::MetadataExt as _;
    let probe = tempfile::tempdir().unwrap();
    if fs::metadata(probe.path()).unwrap().uid() != 0 {
        eprintln!("skipped: giving a file to another user (uid 65534) needs root");
        return;
    }
    let sandbox = Sandbox::with_server();
    let cursor = sandbox.cursor_file();
    let theirs = "{\n  \"mcpServers\": {}\n}\n";
    fs::write(&cursor, theirs).unwrap();
    std::os::unix::fs::chown(&cursor, Some(65534), Some(65534)).unwrap();

    let run = sandbox.configure(&["--clients", "cursor", "--yes", "--json"]);

    assert_eq!(
        run.code, 8,
        "a client not written is exit 8: {}",
        run.stderr
    );
    let message = client_result(&run.json(), "cursor")["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("uid 65534") && message.contains("mcp.json"),
        "the error names the file and its owner: {message}"
    );
    assert_eq!(
        fs::read_to_string(&cursor).unwrap(),
        theirs,
        "their file is untouched"
    );
    assert_eq!(
        fs::metadata(&cursor).unwrap().uid(),
        65534,
        "and was not replaced by one of ours"
    );
}

#[test]
fn remove_keeps_a_persons_own_file_with_its_empty_container() {
    let sandbox = Sandbox::new();
    let cursor = sandbox.cursor_file();
    fs::write(
        &cursor,
        indoc! {r#"
            {
              "mcpServers": {
                "atlassian-rovo-mcp": { "url": "https://mcp.atlassian.com/v1/mcp" }
              }
            }
        "#},
    )
    .unwrap();
    assert!(
        !sandbox.state_file().exists(),
        "no setup is on record: the person wrote this entry"
    );

    let run = sandbox.run(&["remove", "--clients", "cursor", "--json"]);

    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(client_result(&run.json(), "cursor")["change"], "update");
    let kept = fs::read_to_string(&cursor).expect("the person's file is kept");
    let parsed: Value = serde_json::from_str(&kept).unwrap();
    assert_eq!(
        parsed,
        serde_json::json!({ "mcpServers": {} }),
        "the file keeps its empty container, as the person had it: {kept}"
    );
}

#[test]
fn remove_keeps_a_found_file_whose_backups_were_pruned_and_deletes_one_it_created() {
    let sandbox = Sandbox::with_server();
    let cursor = sandbox.cursor_file();
    let before = "{\n  \"mcpServers\": {}\n}\n";
    fs::write(&cursor, before).unwrap();
    let configured = sandbox.configure(&["--clients", "cursor", "--yes", "--json"]);
    assert_eq!(configured.code, 0, "{}", configured.stderr);
    // Ten rotations prune the backup from before our entry: the same as no backup at all.
    fs::remove_dir_all(sandbox.backups().join("cursor")).unwrap();

    let run = sandbox.run(&["remove", "--clients", "cursor", "--json"]);

    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(&cursor).ok().as_deref(),
        Some(before),
        "the file was there before our first write, so it stays as it was"
    );

    fs::remove_file(&cursor).unwrap();
    let created = sandbox.configure(&["--clients", "cursor", "--yes", "--json"]);
    assert_eq!(client_result(&created.json(), "cursor")["change"], "create");
    let removed = sandbox.run(&["remove", "--clients", "cursor", "--json"]);
    assert_eq!(client_result(&removed.json(), "cursor")["change"], "delete");
    assert!(
        !cursor.exists(),
        "a file our setup created, on record, goes with our entry"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_at_a_client_config_path_is_a_clear_error_and_no_hang() {
    let sandbox = Sandbox::new();
    make_fifo(&sandbox.cursor_file());

    let run = sandbox.run(&["remove", "--clients", "cursor", "--json"]);

    assert_eq!(run.code, 8, "the client fails alone: {}", run.stderr);
    let message = client_result(&run.json(), "cursor")["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("named pipe (FIFO), not a regular file") && message.contains("mcp.json"),
        "the error says what is wrong with which file: {message}"
    );

    let listed = sandbox.run(&["clients", "--json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(
        listed.stdout.contains("named pipe (FIFO)"),
        "the client list reports the problem: {}",
        listed.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_policy_file_is_a_clear_error_and_no_hang() {
    let sandbox = Sandbox::new();
    let policy = sandbox.root.path().join("policy.fifo");
    make_fifo(&policy);

    let run = sandbox.run_with(
        &["remove", "--clients", "cursor", "--json"],
        Input::Nothing,
        &[("ROVO_MCP_POLICY", &policy)],
    );

    assert_eq!(
        run.code, 2,
        "a policy that cannot be read stops the run: {}",
        run.stderr
    );
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "invalid_input", "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("named pipe (FIFO)") && message.contains("policy.fifo"),
        "the error names the file and what it is: {message}"
    );
}

#[test]
fn a_token_stdin_over_the_limit_is_invalid_input() {
    let sandbox = Sandbox::new();
    let validate = [
        "validate",
        "--auth",
        "personal",
        "--email",
        EMAIL,
        "--token-stdin",
        "--json",
    ];

    let flood = sandbox.run_with(&validate, Input::Bytes(vec![b'A'; 1024 * 1024]), &[]);

    assert_eq!(flood.code, 2, "{}", flood.stderr);
    let error = &flood.json()["error"];
    assert_eq!(error["kind"], "invalid_input", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("16 KiB"),
        "the limit is named: {error}"
    );

    #[cfg(unix)]
    {
        let endless = sandbox.run_with(&validate, Input::File("/dev/zero".into()), &[]);
        assert_eq!(
            endless.code, 2,
            "an endless stdin ends at the limit: {}",
            endless.stderr
        );
        assert_eq!(endless.json()["error"]["kind"], "invalid_input");
    }
}

#[test]
fn dry_run_masks_other_servers_secrets_in_the_diff() {
    let sandbox = Sandbox::with_server();
    let cursor = sandbox.cursor_file();
    fs::write(
        &cursor,
        format!(
            "{{\n  \"mcpServers\": {{\n    \"github\": {{\n      \"url\": \"https://api.githubcopilot.com/mcp/\",\n      \"headers\": {{ \"Authorization\": \"Bearer {OTHER_BEARER}\", \"X-Api-Key\": \"{OTHER_API_KEY}\" }}\n    }}\n  }}\n}}\n"
        ),
    )
    .unwrap();

    let json_run = sandbox.configure(&["--clients", "cursor", "--dry-run", "--json"]);
    let human_run = sandbox.configure(&["--clients", "cursor", "--dry-run"]);

    assert_eq!(json_run.code, 0, "{}", json_run.stderr);
    assert_eq!(human_run.code, 0, "{}", human_run.stderr);
    let plans = json_run.json()["plans"].clone();
    let diff = plans[0]["diff"].as_str().unwrap_or_default();
    assert!(
        diff.contains("\"X-Api-Key\""),
        "the other server's header line is in the hunk, so masking is what hides it: {diff}"
    );
    for (stream, text) in [
        ("the JSON on stdout", &json_run.stdout),
        ("the human text on stderr", &human_run.stderr),
    ] {
        for secret in [OTHER_BEARER, OTHER_API_KEY] {
            assert!(
                !text.contains(secret),
                "{stream} never shows another server's secret `{secret}`:\n{text}"
            );
        }
    }
    assert!(
        fs::read_to_string(&cursor).unwrap().contains(OTHER_API_KEY),
        "a dry run writes nothing"
    );
}
