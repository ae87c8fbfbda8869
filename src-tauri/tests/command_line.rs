//! The `rovo-mcp-setup` binary's command-line contract outside any subcommand: help, version,
//! usage errors, and a clear sentence instead of a crash when there is no display.

use std::path::Path;
use std::process::{Command, Output};

use rovo_test_support::leak_scan;

fn app() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
    command.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `command`, keeping what it printed for the suite's final leak scan.
fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the binary runs");
    leak_scan::keep_output(&output);
    output
}

#[test]
fn help_describes_the_app_and_exits_0() {
    let output = run(app().arg("--help"));
    assert_eq!(output.status.code(), Some(0), "--help is not an error");
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("Atlassian Rovo MCP server"),
        "help says what the app is for: {stdout}"
    );
    assert!(
        stdout.contains("Usage: rovo-mcp-setup"),
        "help shows the usage: {stdout}"
    );
}

#[test]
fn version_prints_the_package_version() {
    let output = run(app().arg("--version"));
    assert_eq!(output.status.code(), Some(0), "--version is not an error");
    assert_eq!(
        text(&output.stdout).trim(),
        format!("rovo-mcp-setup {}", env!("CARGO_PKG_VERSION")),
        "--version prints name and version, nothing else"
    );
}

#[test]
fn an_unknown_flag_prints_the_usage_and_exits_2() {
    let output = run(app().arg("--frobnicate"));
    assert_eq!(output.status.code(), Some(2), "a usage error exits 2");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("'--frobnicate'"),
        "the error names the flag: {stderr}"
    );
    assert!(
        stderr.contains("Usage: rovo-mcp-setup"),
        "the usage follows: {stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "errors go to stderr, never stdout"
    );
}

#[test]
fn an_unknown_subcommand_prints_the_usage_and_exits_2() {
    let output = run(app().arg("frobnicate"));
    assert_eq!(output.status.code(), Some(2), "a usage error exits 2");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("'frobnicate'"),
        "the error names the word: {stderr}"
    );
    assert!(
        stderr.contains("Usage: rovo-mcp-setup"),
        "the usage follows: {stderr}"
    );
}

#[test]
fn without_a_display_the_window_refuses_in_one_sentence() {
    let output = run(&mut app());
    assert_eq!(
        output.status.code(),
        Some(1),
        "no display is a plain failure, not a panic (101)"
    );
    let stderr = text(&output.stderr);
    assert_eq!(
        stderr.lines().count(),
        1,
        "one sentence, no GTK backtrace: {stderr}"
    );
    assert!(
        stderr.contains("no display"),
        "it says what is missing: {stderr}"
    );
    assert!(
        stderr.contains("--help"),
        "it points at the headless commands: {stderr}"
    );
}

#[test]
fn an_unreachable_display_is_reported_by_name_not_by_a_panic() {
    let output = run(app().env("DISPLAY", ":4242"));
    assert_eq!(
        output.status.code(),
        Some(1),
        "an unreachable display is not a panic (101)"
    );
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("cannot connect to the X display :4242"),
        "it names the display it tried: {stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "no panic message reaches the person: {stderr}"
    );
}

#[test]
fn make_run_without_a_display_says_so_before_building() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = run(Command::new("make")
        .args(["--no-print-directory", "-s", "-C"])
        .arg(&root)
        .arg("display-check")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY"));
    assert_ne!(
        output.status.code(),
        Some(0),
        "make run stops when there is no display"
    );
    let said = text(&output.stdout) + &text(&output.stderr);
    assert!(
        said.contains("no display"),
        "in one sentence that says why: {said}"
    );
}

/// `clients --json` on an empty temporary home, with the environment cleared but for `extra`.
fn clients_json(home: &Path, args: &[&str], extra: &[(&str, &Path)]) -> Output {
    let mut command = app();
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .args(args);
    for (name, value) in extra {
        command.env(name, value);
    }
    run(&mut command)
}

#[test]
fn verbose_logs_to_stderr_and_leaves_stdout_to_the_json() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        ["clients", "--verbose", "--json"],
        ["clients", "--json", "-v"],
    ] {
        let output = clients_json(home.path(), &args, &[]);
        assert_eq!(output.status.code(), Some(0), "{args:?} succeeds");
        let stdout = text(&output.stdout);
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap_or_else(|error| {
            panic!("{args:?}: stdout stays one JSON document ({error}): {stdout}")
        });
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("command started") && stderr.contains("DEBUG"),
            "{args:?}: the log goes to stderr: {stderr}"
        );
    }
    let quiet = clients_json(home.path(), &["clients", "--json"], &[]);
    assert!(
        quiet.stderr.is_empty(),
        "without the switch nothing is logged: {}",
        text(&quiet.stderr)
    );
}

#[test]
fn a_log_file_alone_gets_the_log_and_is_private() {
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("app.log");
    let output = clients_json(
        home.path(),
        &["clients", "--json"],
        &[("ROVO_MCP_LOG_FILE", &log)],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "the log file changes no outcome"
    );
    assert!(
        output.stderr.is_empty(),
        "a log file alone keeps stderr quiet: {}",
        text(&output.stderr)
    );
    let logged = std::fs::read_to_string(&log).expect("the log file was written");
    assert!(
        logged.contains("command started"),
        "the file holds the log: {logged}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a log names the person's files: owner only");
    }
}
