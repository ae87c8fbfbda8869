//! What a subcommand prints, kept apart from the printing so tests read it directly: one JSON
//! document on stdout with `--json`, human text on stderr, and the exit code (design §7).

use std::fmt::Write as _;
use std::io::Write as _;

use serde::Serialize;

/// A subcommand's result.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: u8,
}

impl Output {
    /// `value` as the one JSON document on stdout.
    pub fn json(value: &impl Serialize) -> Self {
        let mut stdout = serde_json::to_string_pretty(value)
            .expect("our reports are plain data and always serialise");
        stdout.push('\n');
        Self {
            stdout,
            ..Self::default()
        }
    }

    /// One line for a management tool, on stdout.
    pub fn line(line: &str) -> Self {
        Self {
            stdout: format!("{line}\n"),
            ..Self::default()
        }
    }

    /// Text for people, on stderr.
    pub fn human(stderr: String) -> Self {
        Self {
            stderr,
            ..Self::default()
        }
    }

    /// A failure before any work: the message on stderr and, with `--json`, an
    /// `{"error": {"kind", "message"}}` document on stdout so scripts parse every outcome.
    pub fn error(error: &crate::Error, json: bool) -> Self {
        let mut output = if json {
            Self::json(&serde_json::json!({
                "error": { "kind": error.kind(), "message": error.message() }
            }))
        } else {
            Self::default()
        };
        output.stderr = format!("error: {error}\n");
        output.with_exit_code(error.kind().exit_code())
    }

    #[must_use]
    pub fn with_exit_code(mut self, exit_code: u8) -> Self {
        self.exit_code = exit_code;
        self
    }

    /// The policy's warnings (unknown keys) first on stderr: never fatal, never silent.
    #[must_use]
    pub fn with_warnings(mut self, warnings: &[String]) -> Self {
        let mut stderr = String::new();
        for warning in warnings {
            let _ = writeln!(stderr, "warning: {warning}");
        }
        stderr.push_str(&self.stderr);
        self.stderr = stderr;
        self
    }

    /// Prints both streams and returns the exit code. A closed pipe is not worth a panic.
    pub fn print(self) -> u8 {
        let _ = std::io::stdout().lock().write_all(self.stdout.as_bytes());
        let _ = std::io::stderr().lock().write_all(self.stderr.as_bytes());
        self.exit_code
    }
}

/// The answer when neither `HOME` nor `USERPROFILE` says where the person's files are.
pub fn no_home(json: bool) -> Output {
    let error = crate::Error::new(
        crate::ErrorKind::InvalidInput,
        "neither HOME nor USERPROFILE is set, so the client configs cannot be found",
    );
    Output::error(&error, json)
}
