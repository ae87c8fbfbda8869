//! Issue 15's backups through the real binary on a temporary home, against the stand-in server
//! and a private Secret Service: every backup is private, in private folders, even ones that
//! were open to others before; no backup, client file, state file or log keeps a token once
//! `rotate` replaced it or `remove --forget` forgot it, in any encoding the leak scan knows;
//! and `remove` still gives a file back byte for byte after a rotation.
//!
//! Every run logs at the most verbose level; what the runs printed and left is kept for the
//! suite's final leak scan.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::leak_scan::{self, every_file_under, leaks_in};
use rovo_test_support::secret_service::SecretServiceSession;
use serde_json::Value;

const EMAIL: &str = "me@example.com";
const OLD_TOKEN: &str = leak_scan::SCOPED_TOKEN;
const NEW_TOKEN: &str = leak_scan::ROTATED_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";

/// The person's own Cursor and Codex files, with another server each, before any setup.
const CURSOR_BEFORE: &str = "{\n  // mine\n  \"mcpServers\": {\n    \"other\": { \"url\": \"https://other.example\" }\n  }\n}\n";
const CODEX_BEFORE: &str =
    "# mine\nmodel = \"o4\"\n\n[mcp_servers.other]\nurl = \"https://other.example\"\n";

fn basic(token: &str) -> String {
    let pair = format!("{EMAIL}:{token}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// A temporary home with the person's Cursor and Codex files, a private keyring, and the
/// stand-in server, which accepts the old token and the new one.
struct Sandbox {
    root: tempfile::TempDir,
    secret_service: SecretServiceSession,
    server: StandInServer,
    /// Runs the server as long as the sandbox lives.
    _runtime: tokio::runtime::Runtime,
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
        let home = root.path().join("home");
        fs::create_dir_all(home.join(".cursor")).unwrap();
        fs::create_dir_all(home.join(".codex")).unwrap();
        fs::write(home.join(".cursor/mcp.json"), CURSOR_BEFORE).unwrap();
        fs::write(home.join(".codex/config.toml"), CODEX_BEFORE).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime
            .block_on(StandInServer::start([
                (basic(OLD_TOKEN), Grant::FullScope),
                (basic(NEW_TOKEN), Grant::FullScope),
            ]))
            .unwrap();
        Self {
            root,
            secret_service: SecretServiceSession::start().expect("the private Secret Service"),
            server,
            _runtime: runtime,
        }
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    fn backups(&self) -> PathBuf {
        self.home()
            .join(".local/share/com.rovomcpsetup.desktop/backups")
    }

    fn log_path(&self) -> PathBuf {
        self.root.path().join("rovo-mcp-setup.log")
    }

    fn state_path(&self) -> PathBuf {
        self.home()
            .join(".config/com.rovomcpsetup.desktop/state.json")
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.home().join(relative)).unwrap()
    }

    /// Runs the binary with `args` and `--json`, `token` in [`TOKEN_VARIABLE`]; returns the
    /// exit code and the JSON document.
    fn run(&self, args: &[&str], token: &str) -> (i32, Value) {
        let home = self.home();
        let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
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
            .env("ROVO_MCP_LOG", "trace")
            .env("ROVO_MCP_LOG_FILE", self.log_path())
            .env(TOKEN_VARIABLE, token)
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        leak_scan::keep_output(&output);
        for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            let leaks = leaks_in(Path::new(name), bytes);
            assert!(
                leaks.is_empty(),
                "no output names a token in any encoding: {leaks:?}"
            );
        }
        let stdout = String::from_utf8(output.stdout).unwrap();
        let json = serde_json::from_str(&stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is one JSON document ({error}): {stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code().expect("a normal exit"), json)
    }

    fn configure(&self, extra: &[&str]) -> (i32, Value) {
        let mut args = vec![
            "configure",
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            TOKEN_VARIABLE,
            "--clients",
            "cursor,codex",
            "--mode",
            "inline",
            "--yes",
        ];
        args.extend_from_slice(extra);
        self.run(&args, OLD_TOKEN)
    }

    /// Every file under the sandbox (the home with its configs, backups and state file, and the
    /// log beside it) in which the leak scan finds the test secret named `secret`.
    fn files_holding(&self, secret: &str) -> Vec<PathBuf> {
        every_file_under(self.root.path())
            .into_iter()
            .filter(|path| {
                leaks_in(path, &fs::read(path).unwrap())
                    .iter()
                    .any(|leak| leak.secret == secret)
            })
            .collect()
    }

    /// Checks that the state file and the log hold no test secret at all, in any encoding.
    fn assert_state_and_log_hold_no_secret(&self, after: &str) {
        for path in [self.state_path(), self.log_path()] {
            let bytes = fs::read(&path).unwrap();
            assert!(
                !bytes.is_empty(),
                "`{}` was written, so the scan means something",
                path.display()
            );
            let leaks = leaks_in(&path, &bytes);
            assert!(
                leaks.is_empty(),
                "after {after}, the state file and the log never hold a secret: {leaks:?}"
            );
        }
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn no_file_keeps_a_token_once_rotated_or_forgotten_and_remove_still_restores() {
    let sandbox = Sandbox::new();
    let (code, _) = sandbox.configure(&[]);
    assert_eq!(
        code, 0,
        "the old token is set up inline in Cursor and Codex"
    );
    sandbox.assert_state_and_log_hold_no_secret("configure");
    // A second setup with every tool changes the URL, so its backups hold the old token.
    let (code, _) = sandbox.configure(&["--tools", "all"]);
    assert_eq!(code, 0, "the setup is changed");
    assert!(
        sandbox
            .files_holding("SCOPED_TOKEN")
            .iter()
            .any(|path| path.starts_with(sandbox.backups())),
        "before the rotation, backups hold the old token: the purge has something to do"
    );

    let (code, rotated) = sandbox.run(&["rotate", "--token-env", TOKEN_VARIABLE], NEW_TOKEN);

    assert_eq!(code, 0, "the new token rotates: {rotated}");
    assert_eq!(
        sandbox.files_holding("SCOPED_TOKEN"),
        Vec::<PathBuf>::new(),
        "no backup, config, state file or log keeps the replaced token in any encoding"
    );
    assert!(
        rotated["clients"]
            .as_array()
            .unwrap()
            .iter()
            .all(|client| client["backup"].is_null()),
        "the rotation's own backups held the old token, so none is named: {rotated}"
    );
    sandbox.assert_state_and_log_hold_no_secret("rotate");

    let (code, removed) = sandbox.run(&["remove"], "");
    assert_eq!(code, 0, "remove succeeds: {removed}");
    assert_eq!(
        sandbox.read(".cursor/mcp.json"),
        CURSOR_BEFORE,
        "the backup from before our entry held no secret, survived the rotation, and lets \
         remove give Cursor's file back byte for byte"
    );
    assert_eq!(
        sandbox.read(".codex/config.toml"),
        CODEX_BEFORE,
        "and Codex's"
    );
    assert!(
        sandbox
            .files_holding("ROTATED_TOKEN")
            .iter()
            .any(|path| path.starts_with(sandbox.backups())),
        "without --forget the token stays in use, and so do the backups holding it"
    );

    let (code, forgotten) = sandbox.run(&["remove", "--forget"], "");
    assert_eq!(code, 0, "the credential is forgotten: {forgotten}");
    assert_eq!(
        sandbox.files_holding("ROTATED_TOKEN"),
        Vec::<PathBuf>::new(),
        "once forgotten, the token is in no backup, config, state file or log"
    );
    assert!(
        every_file_under(&sandbox.backups())
            .iter()
            .any(|backup| fs::read_to_string(backup).unwrap() == CURSOR_BEFORE),
        "a backup holding no secret is kept"
    );
    sandbox.assert_state_and_log_hold_no_secret("remove --forget");
}

#[cfg(unix)]
#[test]
fn backups_are_private_even_where_the_folders_were_open_to_others() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let cursor_backups = sandbox.backups().join("cursor");
    fs::create_dir_all(&cursor_backups).unwrap();
    let older = cursor_backups.join("mcp.json.000000000001.000000000.bak");
    fs::write(&older, CURSOR_BEFORE).unwrap();
    fs::set_permissions(sandbox.backups(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&cursor_backups, fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(&older, fs::Permissions::from_mode(0o644)).unwrap();

    let (code, configured) = sandbox.configure(&[]);

    assert_eq!(code, 0, "{configured}");
    let mut folders = vec![sandbox.backups()];
    folders.extend(
        fs::read_dir(sandbox.backups())
            .unwrap()
            .map(|entry| entry.unwrap().path()),
    );
    assert_eq!(folders.len(), 3, "a folder for Cursor and one for Codex");
    for folder in folders {
        assert_eq!(
            mode(&folder),
            0o700,
            "`{}` is the person's only: backups may hold the header",
            folder.display()
        );
    }
    let backups = every_file_under(&sandbox.backups());
    assert_eq!(backups.len(), 3, "the older backup and one per client");
    for backup in backups {
        assert_eq!(
            mode(&backup),
            0o600,
            "`{}` is readable by the person only, an older one too",
            backup.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_backups_folder_of_another_user_is_refused_and_the_file_kept() {
    if running_as_root() {
        let sandbox = Sandbox::new();
        fs::create_dir_all(sandbox.backups()).unwrap();
        std::os::unix::fs::chown(sandbox.backups(), Some(65534), Some(65534)).unwrap();

        let (code, configured) = sandbox.configure(&[]);

        assert_eq!(
            code, 8,
            "a client that cannot be backed up is not written: {configured}"
        );
        let message = configured["clients"][0]["error"]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            message.contains("uid 65534") && message.contains("backups"),
            "the folder and its owner are named: {message}"
        );
        assert_eq!(
            sandbox.read(".cursor/mcp.json"),
            CURSOR_BEFORE,
            "without a private place for its backup, Cursor's file is left as it is"
        );
    } else {
        eprintln!("skipped: giving a folder to another user needs root");
    }
}

/// Whether this test runs as root, who alone can give a folder to another user.
#[cfg(unix)]
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}
