//! The launch-to-first-paint measurement behind design §9's "window painted under 500 ms":
//! with `ROVO_MCP_REPORT_FIRST_PAINT` set, the time from launch to the window's first painted
//! frame goes to stderr, and with the value `exit` the app then quits, so a benchmark can time
//! one start after another without a person closing the window.

use std::ffi::OsStr;
use std::time::{Duration, Instant};

/// The environment variable that turns the report on.
pub const REPORT_FIRST_PAINT_VARIABLE: &str = "ROVO_MCP_REPORT_FIRST_PAINT";

/// The value of [`REPORT_FIRST_PAINT_VARIABLE`] that quits the app after the report.
const EXIT_AFTER_REPORT: &str = "exit";

/// What the app does once its first frame is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFirstPaint {
    KeepRunning,
    Exit,
}

/// Reports the first paint on stderr when the environment asks for it, `launched` being the
/// moment `main` started; says whether the app should then quit.
pub fn report_first_paint(launched: Instant) -> AfterFirstPaint {
    let setting = std::env::var_os(REPORT_FIRST_PAINT_VARIABLE);
    let (report, after) = first_paint_report(setting.as_deref(), launched.elapsed());
    if let Some(line) = report {
        eprintln!("{line}");
    }
    after
}

/// The line to print (none when the variable is unset) and what to do next, for a variable
/// value `setting` and the time since launch `elapsed`.
fn first_paint_report(
    setting: Option<&OsStr>,
    elapsed: Duration,
) -> (Option<String>, AfterFirstPaint) {
    let Some(setting) = setting else {
        return (None, AfterFirstPaint::KeepRunning);
    };
    let line = format!(
        "rovo-mcp-setup: first paint {} ms after launch",
        elapsed.as_millis()
    );
    let after = if setting == EXIT_AFTER_REPORT {
        AfterFirstPaint::Exit
    } else {
        AfterFirstPaint::KeepRunning
    };
    (Some(line), after)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ELAPSED: Duration = Duration::from_millis(312);

    #[test]
    fn nothing_is_reported_without_the_variable() {
        assert_eq!(
            first_paint_report(None, ELAPSED),
            (None, AfterFirstPaint::KeepRunning),
            "a normal launch must print nothing and keep the window open"
        );
    }

    #[test]
    fn the_report_names_the_milliseconds_and_keeps_the_window_open() {
        assert_eq!(
            first_paint_report(Some(OsStr::new("1")), ELAPSED),
            (
                Some("rovo-mcp-setup: first paint 312 ms after launch".to_owned()),
                AfterFirstPaint::KeepRunning
            ),
            "any value but `exit` reports and leaves the app running for the person to use"
        );
    }

    #[test]
    fn exit_reports_then_quits() {
        assert_eq!(
            first_paint_report(Some(OsStr::new("exit")), ELAPSED),
            (
                Some("rovo-mcp-setup: first paint 312 ms after launch".to_owned()),
                AfterFirstPaint::Exit
            ),
            "`exit` is what the benchmark sets to time one start after another"
        );
    }
}
