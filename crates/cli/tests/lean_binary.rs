//! The lean executable as installers ship it: no webview or toolkit library among what it loads, the
//! subcommands of the app, and one clear sentence when the window or the tray is asked for and
//! its executable is not beside it.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const LEAN: &str = env!("CARGO_BIN_EXE_rovo-mcp-setup-cli");

fn run(program: &Path, arguments: &[&str], home: &Path) -> Output {
    Command::new(program)
        .args(arguments)
        .env_clear()
        .env("HOME", home)
        .stdin(Stdio::null())
        .output()
        .expect("the lean binary runs")
}

#[cfg(target_os = "linux")]
#[test]
fn it_loads_no_webview_or_toolkit_library() {
    let output = Command::new("ldd")
        .arg(LEAN)
        .output()
        .expect("ldd runs (Debian's libc-bin)");
    let libraries = String::from_utf8_lossy(&output.stdout);
    for toolkit in ["webkit", "gtk", "gdk", "glib", "javascriptcore", "soup"] {
        assert!(
            !libraries.to_lowercase().contains(toolkit),
            "the processes AI clients keep running load no {toolkit}:\n{libraries}"
        );
    }
}

#[test]
fn it_runs_the_apps_subcommands() {
    let home = tempfile::tempdir().unwrap();
    let version = run(Path::new(LEAN), &["--version"], home.path());
    assert!(version.status.success());
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with("rovo-mcp-setup "),
        "the same command line as the app"
    );
    let clients = run(Path::new(LEAN), &["clients", "--json"], home.path());
    assert!(clients.status.success(), "{clients:?}");
    let listed: serde_json::Value = serde_json::from_slice(&clients.stdout).unwrap();
    assert!(
        listed["clients"]
            .as_array()
            .is_some_and(|clients| clients.len() > 25),
        "every client is listed: {listed}"
    );
}

#[test]
fn without_the_app_or_tray_beside_it_each_is_refused_in_one_sentence() {
    let folder = tempfile::tempdir().unwrap();
    let alone = folder.path().join(format!(
        "rovo-mcp-setup-cli{}",
        std::env::consts::EXE_SUFFIX
    ));
    std::fs::copy(LEAN, &alone).unwrap();
    // The window is the app's; `--tray` goes straight to the tray, which needs no webview.
    for (arguments, needed) in [
        (&[][..], "`rovo-mcp-setup`"),
        (&["--tray"][..], "`rovo-mcp-setup-tray`"),
    ] {
        let output = run(&alone, arguments, folder.path());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{arguments:?}: {stderr}");
        assert!(output.stdout.is_empty(), "nothing on stdout: {arguments:?}");
        assert_eq!(stderr.lines().count(), 1, "one sentence: {stderr}");
        assert!(
            stderr.contains(needed) && stderr.contains("reinstall"),
            "it names the missing {needed} and what to do: {stderr}"
        );
    }
}

/// A setup on record in `home`, whose secret would be in the keychain.
#[cfg(unix)]
fn seed_setup_on_record(home: &Path) {
    let folder = home.join(".config/com.rovomcpsetup.desktop");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("state.json"),
        r#"{
  "version": 1,
  "credential": {
    "auth": "personal",
    "email": "me@example.com",
    "endpoint": "https://mcp.atlassian.com/v2/mcp",
    "keychainAccount": "me@example.com",
    "storedAt": "2026-12-01T08:00:00Z"
  },
  "clients": [],
  "remindersSent": []
}
"#,
    )
    .unwrap();
}

/// As an MCP client starts a stdio server: a scrubbed environment, and no keychain to be
/// reached, neither by `DBUS_SESSION_BUS_ADDRESS` nor where a systemd desktop puts the bus.
#[cfg(target_os = "linux")]
#[test]
fn without_a_reachable_keychain_the_helper_says_so_in_one_sentence() {
    let home = tempfile::tempdir().unwrap();
    seed_setup_on_record(home.path());
    let runtime = tempfile::tempdir().unwrap();
    let nowhere = format!("unix:path={}", runtime.path().join("no-bus").display());
    for variables in [
        vec![("XDG_RUNTIME_DIR", runtime.path().to_str().unwrap())],
        vec![("DBUS_SESSION_BUS_ADDRESS", nowhere.as_str())],
    ] {
        let output = Command::new(LEAN)
            .args(["headers", "--endpoint", "https://mcp.atlassian.com/v2/mcp"])
            .env_clear()
            .env("HOME", home.path())
            .envs(variables.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{variables:?}: the keychain's exit code, not a panic (101): {stderr}"
        );
        assert!(output.stdout.is_empty(), "{variables:?}: no half header");
        assert_eq!(
            stderr.lines().count(),
            1,
            "{variables:?}: one sentence: {stderr}"
        );
        assert!(
            stderr.to_lowercase().contains("keychain"),
            "{variables:?}: it says the keychain is the problem: {stderr}"
        );
    }
}

/// The collectors IT runs (packaging/fleet): each prints the lean binary's one health line,
/// the Linux check with `status`'s exit code, the Jamf extension attribute inside `<result>`;
/// with no binary installed they say so.
#[cfg(unix)]
#[test]
fn the_fleet_collectors_report_the_health_line_of_the_lean_binary() {
    let fleet = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/fleet");
    let home = tempfile::tempdir().unwrap();
    let user = String::from_utf8(
        Command::new("id")
            .arg("-un")
            .output()
            .expect("id runs")
            .stdout,
    )
    .unwrap();
    let collect = |script: &str, binary: &str| {
        let output = Command::new("sh")
            .arg(fleet.join(script))
            .arg(user.trim())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("ROVO_MCP_CLI", binary)
            .env("ROVO_MCP_USER", user.trim())
            .stdin(Stdio::null())
            .output()
            .expect("sh runs the collector");
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };

    let (code, line) = collect("linux-health-check.sh", LEAN);
    assert_eq!(code, Some(12), "nothing set up is status's exit 12: {line}");
    assert!(line.starts_with("not-set-up: "), "{line}");
    let (code, line) = collect("jamf-extension-attribute.sh", LEAN);
    assert_eq!(code, Some(0), "an extension attribute always exits 0");
    assert!(
        line.starts_with("<result>not-set-up: ") && line.ends_with("</result>\n"),
        "Jamf reads the value inside <result>: {line}"
    );

    seed_setup_on_record(home.path());
    let state = home
        .path()
        .join(".config/com.rovomcpsetup.desktop/state.json");
    let mut recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    recorded["credential"]["expiresOn"] = "2099-01-01".into();
    recorded["lastCheck"] = serde_json::json!({ "at": "2026-12-01T08:00:00Z", "verdict": "ok" });
    std::fs::write(&state, recorded.to_string()).unwrap();
    let (code, line) = collect("linux-health-check.sh", LEAN);
    assert_eq!(code, Some(0), "a checked, far-off token is healthy: {line}");
    assert!(
        line.starts_with("healthy: the personal API token of me@example.com, expires 2099-01-01 (")
            && line.ends_with(" days), last checked ok 2026-12-01, 0 clients\n"),
        "one line naming the credential, its expiry, the check and the clients: {line}"
    );
    let (_, line) = collect("jamf-extension-attribute.sh", LEAN);
    assert!(line.starts_with("<result>healthy: "), "{line}");

    let gone = home.path().join("rovo-mcp-setup-cli");
    for (script, expected) in [
        ("linux-health-check.sh", "not-installed: "),
        ("jamf-extension-attribute.sh", "<result>not-installed: "),
    ] {
        let (_, line) = collect(script, gone.to_str().unwrap());
        assert!(
            line.starts_with(expected),
            "{script} without the binary: {line}"
        );
    }
}
