//! The last step of `make test`: every log, state file and stdout/stderr capture the whole
//! suite kept in `target/test-captures` (see `rovo_test_support::leak_scan`) is searched for
//! every test secret, as typed, percent-encoded and inside base64. It must run after every
//! other test (`make leak-scan`), so a plain `cargo test` does not build it (`test = false`).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use rovo_test_support::leak_scan::{self, Leak, every_file_under};

/// The test binaries that run the app (or the core in process) with secrets: each must have
/// left a log, or the scan would pass by seeing nothing.
const LOGGING_TESTS: [&str; 11] = [
    "cli_configure",
    "cli_validate",
    "cli_validate_keychain",
    "cli_crash",
    "tray_care",
    "wizard",
    "demo_and_rotate",
    "accessibility",
    "probe",
    "care",
    "bridge",
];

/// `state.json`, `log`, `stdout` or `stderr`: what a capture is, from its name.
fn kind_of(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    if name.ends_with(".state.json") {
        "state.json".to_owned()
    } else {
        path.extension()
            .map(|extension| extension.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The test binary a capture came from: the start of its name.
fn binary_of(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.split("--").next().unwrap_or_default().to_owned()
}

#[test]
#[expect(
    clippy::print_stdout,
    reason = "the scan reports what it covered, which `make test` shows"
)]
fn no_test_secret_in_any_log_state_file_or_output_the_suite_kept() {
    let folder = leak_scan::captures_folder();
    let files = every_file_under(&folder);
    let mut count_by_kind = BTreeMap::<String, usize>::new();
    let mut bytes_scanned = 0;
    let mut trace_lines = 0;
    let mut logging_binaries = BTreeMap::<String, usize>::new();
    let mut leaks: Vec<Leak> = Vec::new();
    for path in &files {
        let bytes = fs::read(path).unwrap_or_else(|error| {
            panic!("the capture `{}` can be read: {error}", path.display())
        });
        let kind = kind_of(path);
        if kind == "log" && !bytes.is_empty() {
            *logging_binaries.entry(binary_of(path)).or_default() += 1;
            trace_lines += String::from_utf8_lossy(&bytes)
                .lines()
                .filter(|line| line.contains(" TRACE "))
                .count();
        }
        *count_by_kind.entry(kind).or_default() += 1;
        bytes_scanned += bytes.len();
        leaks.extend(leak_scan::leaks_in(path, &bytes));
    }
    println!(
        "leak scan: {} files, {bytes_scanned} bytes, {trace_lines} trace lines, in {}: {count_by_kind:?}; logs by test binary: {logging_binaries:?}",
        files.len(),
        folder.display()
    );

    for kind in ["log", "stdout", "stderr", "state.json"] {
        assert!(
            count_by_kind.get(kind).copied().unwrap_or_default() > 0,
            "the suite kept no {kind} capture in `{}`: run the whole suite (`make test`) before the scan",
            folder.display()
        );
    }
    let silent: Vec<&str> = LOGGING_TESTS
        .into_iter()
        .filter(|binary| !logging_binaries.contains_key(*binary))
        .collect();
    assert!(
        silent.is_empty(),
        "these tests left no log, so the scan could not cover them: {silent:?}"
    );
    assert!(
        trace_lines > 0,
        "the logs hold trace lines: the suite ran at the most verbose level"
    );
    assert!(
        leaks.is_empty(),
        "test secrets leaked into what the app wrote or printed:\n{}",
        leaks
            .iter()
            .map(|leak| format!(
                "  {} in `{}` line {}",
                leak.secret,
                leak.file.display(),
                leak.line
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
