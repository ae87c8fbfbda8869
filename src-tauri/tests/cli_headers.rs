//! `rovo-mcp-setup headers`, Claude Code's `headersHelper` in keychain mode, through the real
//! binary after a real `configure`: it prints exactly the header object from the keychain, finds
//! the session bus where a systemd desktop puts it when a client scrubbed the environment, and
//! on every failure prints nothing on stdout, one sentence on stderr and the exit code of its
//! kind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::leak_scan;
use rovo_test_support::secret_service::SecretServiceSession;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;

fn authorization() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{TOKEN}"))
    )
}

/// Runs the binary on `home` with only `PATH`, `HOME` and `variables`. What it printed is kept
/// for the suite's leak scan, but for the stdout of a helper that succeeded: that is the header,
/// by design, and goes only to the client that runs it.
fn run(home: &Path, arguments: &[&str], variables: &[(&str, &str)]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
        .args(arguments)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .envs(variables.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    let printed_the_header = arguments.first() == Some(&"headers") && output.status.success();
    leak_scan::keep_output(&Output {
        status: output.status,
        stdout: if printed_the_header {
            Vec::new()
        } else {
            output.stdout.clone()
        },
        stderr: output.stderr.clone(),
    });
    output
}

/// The folder of a `unix:path=…/bus` address: where a systemd desktop's `XDG_RUNTIME_DIR` is.
fn runtime_folder(bus_address: &str) -> PathBuf {
    let path = bus_address
        .strip_prefix("unix:path=")
        .and_then(|rest| rest.split(',').next())
        .expect("the private bus listens on a socket path");
    Path::new(path).parent().unwrap().to_path_buf()
}

#[test]
fn the_helper_prints_the_keychains_header_and_nothing_else() {
    let session = SecretServiceSession::start().expect("the private Secret Service starts");
    let bus = session.bus_address().to_owned();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(StandInServer::start([(authorization(), Grant::FullScope)]))
        .unwrap();
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let configured = run(
        &home,
        &[
            "configure",
            "--clients",
            "claude-code",
            "--mode",
            "keychain",
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            "TOKEN",
            "--endpoint",
            server.url(),
            "--yes",
        ],
        &[("DBUS_SESSION_BUS_ADDRESS", &bus), ("TOKEN", TOKEN)],
    );
    assert!(
        configured.status.success(),
        "configure in keychain mode succeeds: {}",
        String::from_utf8_lossy(&configured.stderr)
    );
    let entry: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(home.join(".claude.json")).unwrap()).unwrap();
    let helper = entry["mcpServers"]["atlassian-rovo-mcp"]["headersHelper"]
        .as_str()
        .expect("Claude Code's entry names our header helper");
    assert!(
        helper.contains(" headers --endpoint ") && !helper.contains(TOKEN),
        "{helper}"
    );
    let expected = format!("{{\"Authorization\":\"{}\"}}\n", authorization());

    let printed = run(
        &home,
        &["headers", "--endpoint", server.url()],
        &[("DBUS_SESSION_BUS_ADDRESS", &bus)],
    );
    assert_eq!(printed.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&printed.stdout),
        expected,
        "one JSON object with the keychain's header, as Claude Code parses it"
    );
    assert!(printed.stderr.is_empty(), "silent but for the object");

    let runtime_dir = runtime_folder(&bus);
    let scrubbed = run(
        &home,
        &["headers", "--endpoint", server.url()],
        &[("XDG_RUNTIME_DIR", runtime_dir.to_str().unwrap())],
    );
    assert_eq!(
        String::from_utf8_lossy(&scrubbed.stdout),
        expected,
        "without DBUS_SESSION_BUS_ADDRESS the session bus is found at $XDG_RUNTIME_DIR/bus: {}",
        String::from_utf8_lossy(&scrubbed.stderr)
    );

    for (arguments, home, why) in [
        (
            vec!["headers", "--endpoint", "http://mcp.example.com/mcp"],
            home.clone(),
            "an endpoint the rule refuses",
        ),
        (
            vec!["headers", "--endpoint", server.url()],
            root.path().join("nobody"),
            "no setup on record",
        ),
    ] {
        fs::create_dir_all(&home).unwrap();
        let refused = run(&home, &arguments, &[("DBUS_SESSION_BUS_ADDRESS", &bus)]);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{why}: exit 2, {stderr}");
        assert!(
            refused.stdout.is_empty(),
            "{why}: nothing on stdout, so no half header"
        );
        assert_eq!(
            stderr.lines().count(),
            1,
            "{why}: one sentence says what to do: {stderr}"
        );
    }
}
