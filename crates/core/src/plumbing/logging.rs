//! Verbose logging, off unless asked for: `ROVO_MCP_LOG` (a filter such as `trace`, `debug` or
//! `rovo_mcp_core=trace,warn`) or the `--verbose` flag turns it on, to stderr; `ROVO_MCP_LOG_FILE`
//! adds (or alone turns on) a copy appended to that file. Never stdout, where `--json` prints
//! its one document and the bridge speaks MCP.
//!
//! What is logged names things (URLs, statuses, timings, paths, keychain account names), never
//! their secret contents: no header, no token, no config file's bytes. The test suite's leak
//! scans run with `ROVO_MCP_LOG=trace` to hold every line to that.

use std::fs::{File, OpenOptions};
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The environment variable holding the log filter.
pub const LOG_ENV: &str = "ROVO_MCP_LOG";
/// The environment variable naming a file that receives the log as well.
pub const LOG_FILE_ENV: &str = "ROVO_MCP_LOG_FILE";
/// The filter of `--verbose`, or of a log file asked for without `ROVO_MCP_LOG`: everything
/// this app does, and only warnings from the libraries under it.
const VERBOSE_FILTER: &str =
    "rovo_mcp_core=trace,rovo_mcp_setup=trace,rovo_mcp_setup_lib=trace,warn";

/// Starts logging as `ROVO_MCP_LOG`, `ROVO_MCP_LOG_FILE` and `verbose` (the `--verbose` flag)
/// ask; with none of them, nothing is set up and logging costs nothing. A filter that does
/// not parse or a log file that cannot be opened is said once on stderr and otherwise ignored:
/// a log must never stop the app.
pub fn init(verbose: bool) {
    let filter_text = std::env::var(LOG_ENV)
        .ok()
        .filter(|text| !text.trim().is_empty());
    let log_file = std::env::var_os(LOG_FILE_ENV).filter(|path| !path.is_empty());
    let to_stderr = verbose || filter_text.is_some();
    init_with(
        filter_text.as_deref(),
        log_file.as_deref().map(Path::new),
        to_stderr,
    );
}

/// Starts logging with `filter` (the verbose filter when `None`) to stderr when `to_stderr`,
/// and appended to `log_file` when given; with neither destination, nothing is set up. The
/// first call in a process wins: later ones change nothing, so in-process tests may each call
/// it.
pub fn init_with(filter: Option<&str>, log_file: Option<&Path>, to_stderr: bool) {
    if (!to_stderr && log_file.is_none()) || tracing::dispatcher::has_been_set() {
        return;
    }
    let filter = match filter.map(EnvFilter::try_new) {
        Some(Ok(filter)) => filter,
        Some(Err(error)) => {
            eprintln!(
                "rovo-mcp-setup: {LOG_ENV} is not a log filter ({error}); logging everything this app does instead"
            );
            EnvFilter::new(VERBOSE_FILTER)
        }
        None => EnvFilter::new(VERBOSE_FILTER),
    };
    let file = log_file.and_then(|path| match open_log_file(path) {
        Ok(file) => Some(file),
        Err(error) => {
            eprintln!(
                "rovo-mcp-setup: cannot open the log file `{}` named by {LOG_FILE_ENV}: {error}; check the folder exists and is writable",
                path.display()
            );
            None
        }
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(true);
    // Another thread may have set one since the check above; then this one is dropped.
    let _already_set = match (to_stderr, file) {
        (true, Some(file)) => builder
            .with_writer(std::io::stderr.and(Mutex::new(file)))
            .finish()
            .try_init(),
        (false, Some(file)) => builder.with_writer(Mutex::new(file)).finish().try_init(),
        (_, None) => builder.with_writer(std::io::stderr).finish().try_init(),
    };
}

/// The log file, appended to, created readable by its owner only: a log names the
/// person's email and the paths of their files.
fn open_log_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
