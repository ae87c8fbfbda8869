//! A private X display (Xvfb) for tests that open windows, so they run on a machine without a
//! desktop and never draw on a developer's screen. It stops when the value is dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};

/// A running Xvfb server.
#[derive(Debug)]
pub struct VirtualDisplay {
    display: String,
    server: Child,
}

impl VirtualDisplay {
    /// Starts Xvfb (Debian package `xvfb`, which `make test` installs) on the first free display
    /// number, 1280x800 in 24-bit colour, without listening on TCP.
    pub fn start() -> anyhow::Result<Self> {
        // With -displayfd Xvfb picks a free display itself and writes its number to that file
        // descriptor once it accepts connections: stdout here, which it otherwise leaves unused.
        let mut server = Command::new("Xvfb")
            .args([
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
                "-displayfd",
                "1",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting Xvfb (install the `xvfb` package)")?;
        let stdout = server.stdout.take().context("Xvfb has no stdout")?;
        let mut number = String::new();
        BufReader::new(stdout)
            .read_line(&mut number)
            .context("reading Xvfb's display number")?;
        let number = number.trim();
        if number.is_empty() {
            let _ = server.kill();
            let _ = server.wait();
            bail!("Xvfb exited before it reported a display number");
        }
        Ok(Self {
            display: format!(":{number}"),
            server,
        })
    }

    /// The value for `DISPLAY`, such as `:1`.
    pub fn display(&self) -> &str {
        &self.display
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
