//! A private Secret Service for keychain tests: its own D-Bus session bus with gnome-keyring
//! running on it, unlocked, with its keyring files in a temporary folder. The user's own
//! keyring and session are never touched, and both daemons stop when the value is dropped.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tempfile::TempDir;

/// The password the private keyring is created and unlocked with.
const KEYRING_PASSWORD: &str = "rovo-test-keyring";

/// How long the daemons get to come up before the harness gives up.
const START_DEADLINE: Duration = Duration::from_secs(10);

/// A running private session bus with an unlocked gnome-keyring on it.
#[derive(Debug)]
pub struct SecretServiceSession {
    bus_address: String,
    bus: Child,
    keyring: Child,
    _folder: TempDir,
}

impl SecretServiceSession {
    /// Starts `dbus-daemon` and `gnome-keyring-daemon` (Debian packages `dbus` and
    /// `gnome-keyring`, which `make test` installs) and waits until the Secret Service answers.
    pub fn start() -> anyhow::Result<Self> {
        let folder = tempfile::tempdir().context("creating the private keyring folder")?;
        let runtime = folder.path().join("run");
        let data = folder.path().join("data");
        for dir in [&runtime, &data] {
            std::fs::create_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
        }

        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .arg(format!(
                "--address=unix:path={}",
                runtime.join("bus").display()
            ))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting dbus-daemon (install the `dbus` package)")?;
        let mut first_line = String::new();
        BufReader::new(bus.stdout.take().context("dbus-daemon has no stdout")?)
            .read_line(&mut first_line)
            .context("reading the session bus address from dbus-daemon")?;
        let bus_address = first_line.trim().to_owned();
        if bus_address.is_empty() {
            let _ = bus.kill();
            bail!("dbus-daemon exited without printing its address");
        }

        let keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("XDG_DATA_HOME", &data)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let mut keyring = match keyring {
            Ok(child) => child,
            Err(error) => {
                let _ = bus.kill();
                return Err(error).context(
                    "starting gnome-keyring-daemon (install the `gnome-keyring` package)",
                );
            }
        };
        // --unlock reads the password from stdin up to end of file.
        if let Some(mut stdin) = keyring.stdin.take() {
            stdin
                .write_all(KEYRING_PASSWORD.as_bytes())
                .context("unlocking the keyring")?;
        }

        let session = Self {
            bus_address,
            bus,
            keyring,
            _folder: folder,
        };
        session.wait_until_secret_service_answers()?;
        Ok(session)
    }

    /// The address to put in `DBUS_SESSION_BUS_ADDRESS` for code that should use this keyring.
    pub fn bus_address(&self) -> &str {
        &self.bus_address
    }

    fn wait_until_secret_service_answers(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            let reply = Command::new("dbus-send")
                .arg(format!("--bus={}", self.bus_address))
                .args([
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .context("asking the private bus for the Secret Service (dbus-send)")?;
            if String::from_utf8_lossy(&reply.stdout).contains("boolean true") {
                return Ok(());
            }
            if started.elapsed() > START_DEADLINE {
                bail!(
                    "gnome-keyring did not register the Secret Service within {START_DEADLINE:?}"
                );
            }
            sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for SecretServiceSession {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
