//! The tray's background care through the real binaries: a setup made by `configure`, a token
//! then revoked on the server, and `rovo-mcp-setup --tray` started as start at login starts it,
//! with a private display, a private keyring and a desktop-notification server on its bus. The
//! app hands over to the tray executable, which loads no webview library; the overdue check runs
//! on its own, says the token was rejected in one notification, and records the verdict; a
//! second `--tray` ends at once, and windows stay the app's, one instance of it. Every run logs at
//! trace level, and what it printed and left is kept for the suite's final leak scan.
//!
//! The tray executable is another package's: `make build` builds it, or
//! `cargo build -p rovo-mcp-setup-tray`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::prepare_credential;
use rovo_mcp_core::domain::secrets::Secret;
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::leak_scan;
use rovo_test_support::notifications::NotificationServer;
use rovo_test_support::secret_service::SecretServiceSession;
use rovo_test_support::virtual_display::VirtualDisplay;
use serde_json::Value;

const EMAIL: &str = "tray@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";

/// The `Authorization` value the app sends, built by the core as the app builds it.
fn basic(token: &str) -> String {
    prepare_credential(AuthMethod::Personal, Some(EMAIL), &Secret::new(token))
        .expect("a valid test credential")
        .authorization()
        .expose()
        .to_owned()
}

/// The app with this home, bus and display: `configure` or `--tray`.
fn app(home: &Path, bus: &str, display: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("DISPLAY", display)
        .env("NO_AT_BRIDGE", "1")
        .envs(leak_scan::trace_logging())
        .stdin(Stdio::null());
    command
}

/// What a run printed, kept for the suite's leak scan on the way.
fn kept(output: Output) -> Output {
    leak_scan::keep_output(&output);
    output
}

/// `configure` writes Cursor with the token and records the setup, as a person would have.
fn configure_cursor(home: &Path, bus: &str, display: &str, endpoint: &str) {
    let configured = app(home, bus, display)
        .args([
            "configure",
            "--auth",
            "personal",
            "--email",
            EMAIL,
            "--token-env",
            TOKEN_VARIABLE,
            "--clients",
            "cursor",
            "--endpoint",
            endpoint,
            "--yes",
            "--json",
        ])
        .env(TOKEN_VARIABLE, TOKEN)
        .output()
        .map(kept)
        .unwrap();
    assert_eq!(
        configured.status.code(),
        Some(0),
        "the setup is made: {}",
        String::from_utf8_lossy(&configured.stderr)
    );
}

/// Sets the last check on record `age` into the past, so the schedule finds it overdue.
fn age_last_check(state_file: &Path, age: chrono::Duration) {
    fn find_last_check(value: &mut Value) -> Option<&mut Value> {
        let object = value.as_object_mut()?;
        if object.contains_key("lastCheck") {
            return object.get_mut("lastCheck");
        }
        object.values_mut().find_map(find_last_check)
    }
    let mut state: Value = serde_json::from_slice(&std::fs::read(state_file).unwrap()).unwrap();
    let last_check = find_last_check(&mut state).expect("configure recorded its check");
    last_check["at"] = Value::String((chrono::Utc::now() - age).to_rfc3339());
    std::fs::write(state_file, serde_json::to_vec_pretty(&state).unwrap()).unwrap();
}

/// Whether process `pid` has a web content process among its children: a window is open.
fn has_web_process(pid: u32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // `pid (comm) state ppid …`; the name may hold spaces, so read after its `)`.
        let Some((name, rest)) = stat.split_once(") ") else {
            return false;
        };
        let parent = rest.split_whitespace().nth(1);
        name.contains("WebKitWebProces") && parent == Some(pid.to_string().as_str())
    })
}

/// Whether process `pid` has a webview library mapped.
fn loads_webview(pid: u32) -> bool {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    maps.contains("libwebkit2gtk") || maps.contains("libjavascriptcoregtk")
}

/// The tray executable `--tray` hands over to, beside the app.
fn tray_binary() -> PathBuf {
    let tray =
        Path::new(env!("CARGO_BIN_EXE_rovo-mcp-setup")).with_file_name("rovo-mcp-setup-tray");
    assert!(
        tray.is_file(),
        "{} is missing: build it with `cargo build -p rovo-mcp-setup-tray` (`make build` does)",
        tray.display()
    );
    tray
}

/// Waits up to `within` for `condition`.
fn eventually(within: Duration, condition: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    condition()
}

/// Stops the tray app when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A second `--tray` finds the tray running and ends at once, opening nothing; windows are the
/// app's: a plain launch opens one in a process of its own, and a launch after it hands over to
/// that one and ends.
fn second_launches_hand_over(home: &Path, bus: &str, display: &str, tray_pid: u32) {
    // A second `--tray` finds the first running and ends at once, opening nothing.
    let second_tray = app(home, bus, display)
        .arg("--tray")
        .output()
        .map(kept)
        .unwrap();
    assert!(
        second_tray.status.success(),
        "a second --tray ends at once, quietly: {}",
        String::from_utf8_lossy(&second_tray.stderr)
    );
    assert!(
        !eventually(Duration::from_secs(2), || has_web_process(tray_pid)),
        "--tray from a second launch opens no window"
    );

    // Windows are the app's: a plain launch opens one in a process of its own, and a launch
    // after it hands over to that one and ends.
    let window = app(home, bus, display)
        .stdout(leak_scan::stream_file("stdout"))
        .stderr(leak_scan::stream_file("stderr"))
        .spawn()
        .unwrap();
    let window_pid = window.id();
    let _window = Running(window);
    assert!(
        eventually(Duration::from_secs(20), || has_web_process(window_pid)),
        "a plain launch opens the window"
    );
    let second = app(home, bus, display).output().map(kept).unwrap();
    assert!(
        second.status.success(),
        "a second launch ends at once, handing over to the open window"
    );
    assert!(
        !has_web_process(tray_pid) && !loads_webview(tray_pid),
        "the window opened beside the tray, never inside it"
    );
}

#[test]
fn the_tray_checks_when_due_announces_a_revoked_token_once_and_stays_one_instance() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    std::fs::create_dir_all(home.join(".cursor")).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(StandInServer::start([(basic(TOKEN), Grant::FullScope)]))
        .unwrap();
    let secret_service = SecretServiceSession::start().expect("the private Secret Service");
    let display = VirtualDisplay::start().expect("a private X display");
    let notifications = NotificationServer::start(secret_service.bus_address())
        .expect("the notification server on the private bus");

    configure_cursor(
        &home,
        secret_service.bus_address(),
        display.display(),
        server.url(),
    );
    let state_file: PathBuf = home.join(".config/com.rovomcpsetup.desktop/state.json");
    age_last_check(&state_file, chrono::Duration::days(2));
    server.revoke(basic(TOKEN));

    let tray_binary = tray_binary();
    let tray = app(&home, secret_service.bus_address(), display.display())
        .arg("--tray")
        .stdout(leak_scan::stream_file("stdout"))
        .stderr(leak_scan::stream_file("stderr"))
        .spawn()
        .unwrap();
    let tray_pid = tray.id();
    let _tray = Running(tray);
    assert!(
        eventually(Duration::from_secs(10), || {
            std::fs::read_link(format!("/proc/{tray_pid}/exe"))
                .is_ok_and(|exe| exe == std::fs::canonicalize(&tray_binary).unwrap())
        }),
        "the app handed `--tray` over to the tray executable, in its place"
    );

    let deadline = Instant::now() + Duration::from_secs(30);
    while notifications.shown().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    // Long enough for a second notification of the same event to arrive, were there one.
    std::thread::sleep(Duration::from_secs(3));
    let shown = notifications.shown();
    assert_eq!(
        shown.len(),
        1,
        "the revoked token is announced once: {shown:#?}"
    );
    let text = format!("{} {}", shown[0].summary, shown[0].body).to_lowercase();
    assert!(
        text.contains("reject") || text.contains("refused") || text.contains("401"),
        "the notification says the token was rejected: {shown:#?}"
    );
    assert!(
        !text.contains(TOKEN),
        "the notification never carries the token"
    );
    let state = std::fs::read_to_string(&state_file).unwrap();
    assert!(
        state.contains("unauthorized"),
        "the background check's verdict is on record: {state}"
    );

    assert!(
        !has_web_process(tray_pid) && !loads_webview(tray_pid),
        "the tray keeps no webview alive and has no webview library loaded"
    );

    second_launches_hand_over(
        &home,
        secret_service.bus_address(),
        display.display(),
        tray_pid,
    );
    assert!(
        !home.join(".config/autostart").exists(),
        "without the policy's startAtLogin neither configure nor the tray adds a login entry"
    );
    leak_scan::keep_app_files(&home);
}

/// The policy's `startAtLogin: true` is kept by the app itself: started with it while the entry
/// is missing, the app puts back the same entry the tray menu's "Start at login" manages.
#[test]
fn the_app_turns_start_at_login_on_when_the_policy_says_so() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("policy.json"), r#"{ "startAtLogin": true }"#).unwrap();
    let entry = home.join(".config/autostart/Rovo MCP Setup.desktop");
    let secret_service = SecretServiceSession::start().expect("a private session bus");
    let display = VirtualDisplay::start().expect("a private X display");
    assert!(!entry.exists(), "no entry before the app starts");

    let tray = app(&home, secret_service.bus_address(), display.display())
        .env("ROVO_MCP_POLICY", home.join("policy.json"))
        .arg("--tray")
        .stdout(leak_scan::stream_file("stdout"))
        .stderr(leak_scan::stream_file("stderr"))
        .spawn()
        .unwrap();
    let _tray = Running(tray);

    // Read until whole: the entry's last line is `Terminal=false`.
    let written = || {
        std::fs::read_to_string(&entry)
            .ok()
            .filter(|text| text.contains("Terminal=false"))
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while written().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let text = written().expect("the app turned start at login on at start");
    let binary = std::fs::canonicalize(env!("CARGO_BIN_EXE_rovo-mcp-setup")).unwrap();
    assert!(
        text.lines()
            .any(|line| line == format!("Exec={} --tray", binary.display())),
        "the entry starts this binary in the tray only: {text}"
    );
}
