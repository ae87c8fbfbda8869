//! Crash safety of `configure` (design §9): the real binary is killed with SIGKILL at many
//! moments while it writes several large client configs. Every file must then hold either its
//! old bytes or a complete new version that parses and holds our entry, never a torn mix; and
//! the temp files a killed run leaves behind are cleaned by the next run. Every run logs at
//! trace level, and what it printed and left is kept for the suite's final leak scan.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine;
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::leak_scan;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const ROUNDS: u64 = 14;

/// The clients written, with their config file under the home folder; all JSON so every
/// version can be checked by parsing it.
const CLIENTS: [(&str, &str); 5] = [
    ("cursor", ".cursor/mcp.json"),
    ("windsurf", ".codeium/windsurf/mcp_config.json"),
    ("gemini-cli", ".gemini/settings.json"),
    ("kiro", ".kiro/settings/mcp.json"),
    ("amazon-q", ".aws/amazonq/mcp.json"),
];

fn basic() -> String {
    let pair = format!("{EMAIL}:{TOKEN}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// A config of about 1.5 MB: another server and a large setting, so a write takes a while.
fn big_config() -> String {
    let padding = "x".repeat(1_500_000);
    format!(
        "{{\n  \"mcpServers\": {{ \"notes\": {{ \"command\": \"notes-mcp\" }} }},\n  \"padding\": \"{padding}\"\n}}\n"
    )
}

fn seed(home: &Path) -> Vec<(PathBuf, String)> {
    CLIENTS
        .iter()
        .map(|(_, relative)| {
            let path = home.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let original = big_config();
            fs::write(&path, &original).unwrap();
            (path, original)
        })
        .collect()
}

fn configure(home: &Path, endpoint: &str) -> Command {
    let ids: Vec<&str> = CLIENTS.iter().map(|(id, _)| *id).collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
    command
        .args([
            "configure",
            "--email",
            EMAIL,
            "--token-env",
            "ROVO_TEST_TOKEN",
            "--mode",
            "inline",
        ])
        .args(["--clients", &ids.join(","), "--yes", "--json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        // No keychain: the token is written inline, so the test needs no Secret Service.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("ROVO_MCP_ENDPOINT", endpoint)
        .env("ROVO_TEST_TOKEN", TOKEN)
        .envs(leak_scan::trace_logging())
        .stdin(Stdio::null())
        .stdout(leak_scan::stream_file("stdout"))
        .stderr(leak_scan::stream_file("stderr"));
    command
}

#[track_caller]
fn assert_old_or_complete(path: &Path, original: &str, round: u64) {
    let now = fs::read_to_string(path).expect("the config is still there and UTF-8");
    if now == original {
        return;
    }
    let parsed: serde_json::Value = serde_json::from_str(&now).unwrap_or_else(|error| {
        panic!(
            "round {round}: `{}` is torn ({} bytes): {error}",
            path.display(),
            now.len()
        )
    });
    assert!(
        parsed["mcpServers"]["atlassian-rovo-mcp"].is_object()
            && parsed["mcpServers"]["notes"].is_object(),
        "round {round}: a new version of `{}` is complete: ours and the user's server",
        path.display()
    );
}

fn leftover_temp_files(home: &Path) -> Vec<PathBuf> {
    CLIENTS
        .iter()
        .flat_map(|(_, relative)| {
            let folder = home.join(relative).parent().unwrap().to_path_buf();
            fs::read_dir(folder)
                .unwrap()
                .flatten()
                .map(|entry| entry.path())
        })
        .filter(|path| path.extension().is_some_and(|extension| extension == "tmp"))
        .collect()
}

#[test]
fn a_killed_configure_leaves_every_file_old_or_complete_and_the_next_run_cleans_up() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(StandInServer::start([(basic(), Grant::FullScope)]))
        .unwrap();
    let root = tempfile::tempdir().unwrap();

    for round in 0..ROUNDS {
        let home = root.path().join(format!("round-{round}"));
        let originals = seed(&home);
        let mut child = configure(&home, server.url())
            .spawn()
            .expect("configure starts");
        // From before the check ends to after the last write.
        std::thread::sleep(Duration::from_millis(10 + round * 25));
        child.kill().unwrap();
        child.wait().unwrap();
        for (path, original) in &originals {
            assert_old_or_complete(path, original, round);
        }

        let finished = configure(&home, server.url())
            .status()
            .expect("a second run");
        assert_eq!(
            finished.code(),
            Some(0),
            "round {round}: the next run completes"
        );
        for (path, original) in &originals {
            assert_old_or_complete(path, original, round);
            assert_ne!(
                &fs::read_to_string(path).unwrap(),
                original,
                "round {round}: written"
            );
        }
        let leftovers = leftover_temp_files(&home);
        assert!(
            leftovers.is_empty(),
            "round {round}: the next run cleaned {leftovers:?}"
        );
    }
    leak_scan::keep_app_files(root.path());
}
