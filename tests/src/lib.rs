//! The end-to-end harness: starts a private X display and session bus, tauri-driver (which
//! starts WebKitWebDriver, which starts the app), and hands the test a WebDriver client that
//! drives the app's real webview. Everything it starts stops when the session is dropped.
//!
//! The app logs at trace level in every session; its log, what tauri-driver and the app print,
//! and the state file on the session's `HOME` are kept for the suite's final leak scan
//! (`rovo_test_support::leak_scan`), in `target/test-captures`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use rovo_test_support::leak_scan;
use rovo_test_support::secret_service::SecretServiceSession;
use rovo_test_support::virtual_display::VirtualDisplay;

/// How long the app gets to start and show its first step.
const READY_DEADLINE: Duration = Duration::from_secs(30);

/// The repository root, from this crate's folder.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The lean command-line binary beside the app under test, which client entries run.
///
/// # Errors
/// When the app binary is missing (see [`app_binary`]).
pub fn cli_binary() -> anyhow::Result<PathBuf> {
    Ok(app_binary()?.with_file_name("rovo-mcp-setup-cli"))
}

/// The app binary under test: `ROVO_APP_BIN`, or the debug build `make test` produces.
pub fn app_binary() -> anyhow::Result<PathBuf> {
    let path = std::env::var_os("ROVO_APP_BIN").map_or_else(
        || repository_root().join("target/debug/rovo-mcp-setup"),
        PathBuf::from,
    );
    let path = if path.is_relative() {
        repository_root().join(path)
    } else {
        path
    };
    path.canonicalize().with_context(|| {
        format!(
            "the app binary {} is missing: build it with `make build` first",
            path.display()
        )
    })
}

/// tauri-driver from PATH, or where `make test` installs it.
fn tauri_driver() -> PathBuf {
    let installed = repository_root().join(".tools/bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A running app in its own display and session bus, with a WebDriver client attached.
#[derive(Debug)]
pub struct AppSession {
    pub client: Client,
    driver: Child,
    /// The `HOME` the test gave the app, whose state file and logs are kept when it ends.
    home: Option<PathBuf>,
    secret_service: SecretServiceSession,
    _display: VirtualDisplay,
}

impl AppSession {
    /// Starts `command` with `args` (our bridge, as a client entry starts it) in `home`, with
    /// the app's keychain, and returns how many tools it lists.
    ///
    /// # Errors
    /// When the command does not start, initialize or list its tools.
    pub async fn tools_through_bridge(
        &self,
        command: &Path,
        args: &[&str],
        home: &Path,
    ) -> anyhow::Result<usize> {
        use rmcp::ServiceExt;
        use rmcp::transport::TokioChildProcess;

        let mut child = tokio::process::Command::new(command);
        child
            .args(args)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                self.secret_service.bus_address(),
            );
        let (transport, _stderr) = TokioChildProcess::builder(child)
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", command.display()))?;
        let client = ().serve(transport).await.context("the bridge initializes")?;
        let tools = client
            .list_all_tools()
            .await
            .context("tools through the bridge")?;
        client.cancel().await.context("closing the bridge")?;
        Ok(tools.len())
    }

    /// Starts everything and waits until the app's first step is on screen.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with_env(&[]).await
    }

    /// Like [`start`](Self::start), with `environment` set for the app: tauri-driver passes
    /// its environment down to WebKitWebDriver, which passes it to the app it starts.
    pub async fn start_with_env(environment: &[(&str, &str)]) -> anyhow::Result<Self> {
        Self::start_with(&[], environment).await
    }

    /// Like [`start_with_env`](Self::start_with_env), with command-line `arguments` for the app.
    pub async fn start_with(
        arguments: &[&str],
        environment: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let display = VirtualDisplay::start()?;
        let secret_service = SecretServiceSession::start()?;
        let application = app_binary()?;
        let port = free_port()?;
        let native_port = free_port()?;

        let mut driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", display.display())
            .env("DBUS_SESSION_BUS_ADDRESS", secret_service.bus_address())
            .env("NO_AT_BRIDGE", "1")
            .envs(leak_scan::trace_logging())
            .envs(environment.iter().copied())
            .stdin(Stdio::null())
            .stdout(leak_scan::stream_file("stdout"))
            .stderr(leak_scan::stream_file("stderr"))
            .spawn()
            .context("starting tauri-driver (`make test` installs it into .tools/bin)")?;
        if let Err(error) = wait_for_port(port).await {
            stop_driver(&mut driver);
            return Err(error);
        }

        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": application, "args": arguments },
        });
        let client = match connect_when_driver_ready(port, &capabilities).await {
            Ok(client) => client,
            Err(error) => {
                stop_driver(&mut driver);
                return Err(error);
            }
        };
        let session = Self {
            client,
            driver,
            home: environment
                .iter()
                .find(|(name, _)| *name == "HOME")
                .map(|(_, home)| PathBuf::from(home)),
            secret_service,
            _display: display,
        };
        session.wait_until_ready().await?;
        Ok(session)
    }

    /// Waits for the UI to mark itself ready. Commands that race a page load fail with
    /// `NoSuchFrame`, so errors while polling are expected and retried.
    async fn wait_until_ready(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            let ready = self
                .client
                .execute(
                    "return document.readyState === 'complete' && document.body.dataset.ready === '1';",
                    vec![],
                )
                .await;
            if matches!(ready, Ok(serde_json::Value::Bool(true))) {
                return Ok(());
            }
            if started.elapsed() > READY_DEADLINE {
                bail!("the app did not show its first step within {READY_DEADLINE:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        Ok(self.client.find(Locator::Css(css)).await?.text().await?)
    }

    /// Makes the window whose page matches `css` the one the session drives, waiting for the
    /// app to open it.
    pub async fn switch_to_window_showing(&self, css: &str) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            for handle in self.client.windows().await? {
                self.client.switch_to_window(handle).await?;
                if self.client.find(Locator::Css(css)).await.is_ok() {
                    return Ok(());
                }
            }
            if started.elapsed() > READY_DEADLINE {
                bail!("no window showed {css} within {READY_DEADLINE:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs axe-core on the page as it is now and returns its serious and critical violations,
    /// one line each: rule, impact, and the elements involved.
    pub async fn serious_accessibility_violations(&self) -> Vec<String> {
        let axe =
            std::fs::read_to_string(repository_root().join("ui/node_modules/axe-core/axe.min.js"))
                .expect(
                    "axe-core is installed with the UI's npm packages (`make test` installs them)",
                );
        // Sent as the script itself: the page's CSP forbids eval, not what WebDriver runs.
        let loaded = self
            .client
            .execute(&format!("{axe}\nreturn typeof window.axe?.run;"), vec![])
            .await
            .expect("axe-core loads into the page");
        assert_eq!(
            loaded.as_str(),
            Some("function"),
            "axe-core is ready to run"
        );
        let found = self
            .client
            .execute_async(
                "const done = arguments[0];
                 window.axe
                   .run(document)
                   .then((result) => done(result.passes.length === 0
                     ? ['axe-core checked nothing: no rule passed']
                     : result.violations
                     .filter((violation) => ['serious', 'critical'].includes(violation.impact))
                     .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes
                       .map((node) => node.target.join(' ')).join(', ')}`)))
                   .catch((error) => done([`axe failed: ${error}`]));",
                vec![],
            )
            .await
            .expect("axe-core runs");
        serde_json::from_value(found).expect("a list of strings")
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let element = self.client.find(Locator::Css(css)).await?;
        element
            .click()
            .await
            .map_err(|error| anyhow::anyhow!("clicking {css}: {error:?}"))?;
        Ok(())
    }

    /// Replaces the value of the input matching `css` with `text`, typed as a person would.
    /// WebKitWebDriver now and then answers a key press it did deliver with "unknown error"
    /// while the page re-renders the field; the field is found and typed into once more then,
    /// from empty, so the value is exactly `text` either way.
    pub async fn type_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let element = self.client.find(Locator::Css(css)).await?;
            element.clear().await?;
            match element.send_keys(text).await {
                Ok(()) => return Ok(()),
                Err(fantoccini::error::CmdError::Standard(error))
                    if attempt == 1
                        && error.error == fantoccini::error::ErrorStatus::UnknownError => {}
                Err(error) => anyhow::bail!("typing into {css}: {error:?}"),
            }
        }
    }

    /// Sets the value of the input matching `css` in one go, as a paste does, and tells the
    /// page (an `input` event): for long values that typing key by key would take minutes for.
    pub async fn paste_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        self.client
            .execute(
                "const field = document.querySelector(arguments[0]);
                 field.value = arguments[1];
                 field.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![css.into(), text.into()],
            )
            .await?;
        Ok(())
    }

    /// Waits until the element matching `css` exists and shows text containing `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> anyhow::Result<String> {
        let started = Instant::now();
        loop {
            if let Ok(text) = self.text(css).await
                && text.contains(expected)
            {
                return Ok(text);
            }
            if started.elapsed() > READY_DEADLINE {
                let shown = self
                    .text(css)
                    .await
                    .unwrap_or_else(|error| error.to_string());
                bail!(
                    "{css} did not show {expected:?} within {READY_DEADLINE:?}; it shows {shown:?}"
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a screenshot of the window as `target/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let folder = repository_root().join("target/e2e-screenshots");
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("{name}.png"));
        // Let WebKit paint what the DOM already holds before capturing the window.
        self.client
            .execute_async(
                "requestAnimationFrame(() => requestAnimationFrame(arguments[0]));",
                vec![],
            )
            .await?;
        std::fs::write(&path, self.client.screenshot().await?)?;
        Ok(path)
    }

    /// Ends the WebDriver session (which closes the app) and stops tauri-driver.
    pub async fn close(mut self) -> anyhow::Result<()> {
        let closed = self.client.clone().close().await;
        stop_driver(&mut self.driver);
        closed.context("closing the WebDriver session")
    }
}

impl Drop for AppSession {
    fn drop(&mut self) {
        stop_driver(&mut self.driver);
        if let Some(home) = &self.home {
            leak_scan::keep_app_files(home);
        }
    }
}

/// Opens the WebDriver session. tauri-driver accepts connections before the WebKitWebDriver it
/// starts is listening, and then fails the request, so transport errors are retried.
async fn connect_when_driver_ready(
    port: u16,
    capabilities: &serde_json::Value,
) -> anyhow::Result<Client> {
    use fantoccini::error::NewSessionError;
    let started = Instant::now();
    loop {
        let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(
                capabilities
                    .as_object()
                    .expect("capabilities are an object")
                    .clone(),
            )
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match attempt {
            Ok(client) => return Ok(client),
            Err(
                NewSessionError::FailedC(_) | NewSessionError::Failed(_) | NewSessionError::Lost(_),
            ) if started.elapsed() < READY_DEADLINE => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => return Err(error).context("opening a WebDriver session on the app"),
        }
    }
}

async fn wait_for_port(port: u16) -> anyhow::Result<()> {
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if started.elapsed() > READY_DEADLINE {
            bail!("tauri-driver did not listen on port {port} within {READY_DEADLINE:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Stops tauri-driver with SIGTERM: it stops WebKitWebDriver only on a signal it can catch,
/// and a SIGKILL would leave WebKitWebDriver running.
fn stop_driver(driver: &mut Child) {
    if matches!(driver.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &driver.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(driver.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = driver.kill();
    let _ = driver.wait();
}
