//! What the window works on: this user's home, keychain and `ROVO_MCP_ENDPOINT`, or, with
//! `--demo`, the demo's sandbox home, an in-memory keychain and the stand-in server. Commands
//! take it from here rather than from the process, so the demo cannot reach the person's files
//! or secrets.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, TryLockError};
use std::time::{Duration, Instant};

use rovo_mcp_core::domain::clients::ClientEnvironment;
use rovo_mcp_core::domain::oauth::TOKEN_URL_ENV;
use rovo_mcp_core::domain::probe::ENDPOINT_ENV;
use rovo_mcp_core::domain::secrets::{InMemorySecretStore, OsKeychain, SecretStore};
use rovo_mcp_core::use_cases::demo::DemoWorld;
use rovo_mcp_core::{Error, ErrorKind};
use serde::Serialize;

use crate::IpcError;

/// Where the wizard reads and writes, managed as app state.
pub struct WizardContext {
    environment: Option<ClientEnvironment>,
    keychain: Arc<dyn SecretStore + Send + Sync>,
    /// The demo's stand-in endpoint, which stands where `ROVO_MCP_ENDPOINT` would.
    demo_endpoint: Option<String>,
    /// The demo's stand-in token endpoint, which stands where `ROVO_MCP_TOKEN_URL` would.
    demo_token_url: Option<String>,
    demo_home: Option<PathBuf>,
    /// The demo's server and sandbox, taken out and dropped by [`Self::end_demo`].
    demo: Mutex<Option<DemoWorld>>,
    /// Held while client files and the keychain are written, so quitting can wait for that.
    writes: Mutex<()>,
}

impl std::fmt::Debug for WizardContext {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("WizardContext")
            .field("environment", &self.environment)
            .field("demo_endpoint", &self.demo_endpoint)
            .field("demo_token_url", &self.demo_token_url)
            .field("demo_home", &self.demo_home)
            .finish_non_exhaustive()
    }
}

/// Whether the app runs as the demo.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppMode {
    /// The sandbox home folder when this is the demo; `null` for a real setup.
    pub demo_home: Option<String>,
}

impl WizardContext {
    /// This user's home (from `HOME` and friends), the OS keychain and the usual endpoint.
    pub fn for_current_user() -> Self {
        Self {
            environment: ClientEnvironment::current(),
            keychain: Arc::new(OsKeychain::new()),
            demo_endpoint: None,
            demo_token_url: None,
            demo_home: None,
            demo: Mutex::new(None),
            writes: Mutex::new(()),
        }
    }

    /// The demo's sandbox, in-memory keychain and stand-in server, which live as long as this.
    pub fn for_demo(demo: DemoWorld) -> Self {
        Self {
            environment: Some(demo.environment()),
            keychain: Arc::new(InMemorySecretStore::default()),
            demo_endpoint: Some(demo.endpoint().to_owned()),
            demo_token_url: Some(demo.token_url().to_owned()),
            demo_home: Some(demo.home().to_path_buf()),
            demo: Mutex::new(Some(demo)),
            writes: Mutex::new(()),
        }
    }

    /// Runs `write` (of client files, the keychain and the state file) as the one write in
    /// progress; [`Self::wait_for_writes`] waits for it to end.
    pub fn writing<T>(&self, write: impl FnOnce() -> T) -> T {
        let _writing = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        write()
    }

    /// Waits up to `patience` for a write in progress to end. Called when the app exits:
    /// Tauri ends the process as soon as its event loop returns, which would cut a write off
    /// between its temporary file and the rename, and leave that file beside the config.
    pub fn wait_for_writes(&self, patience: Duration) {
        let deadline = Instant::now() + patience;
        while Instant::now() < deadline {
            match self.writes.try_lock() {
                Ok(_) | Err(TryLockError::Poisoned(_)) => return,
                Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    /// Stops the demo's server and deletes its sandbox. Called when the app exits, because
    /// Tauri ends the process without dropping its managed state.
    pub fn end_demo(&self) {
        drop(
            self.demo
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
    }

    pub fn environment(&self) -> Result<ClientEnvironment, IpcError> {
        self.environment.clone().ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                "could not tell your home folder; set HOME and start the app again",
            )
            .into()
        })
    }

    pub fn keychain(&self) -> &dyn SecretStore {
        &*self.keychain
    }

    /// `ROVO_MCP_ENDPOINT` as the window sees it: the demo's stand-in server, else the
    /// process's variable. The window itself never names an endpoint.
    pub fn endpoint_variable(&self) -> Option<String> {
        self.demo_endpoint
            .clone()
            .or_else(|| std::env::var(ENDPOINT_ENV).ok())
    }

    /// `ROVO_MCP_TOKEN_URL` as the window sees it: the demo's stand-in token endpoint, else
    /// the process's variable.
    pub fn token_url_variable(&self) -> Option<String> {
        self.demo_token_url
            .clone()
            .or_else(|| std::env::var(TOKEN_URL_ENV).ok())
    }

    pub fn mode(&self) -> AppMode {
        AppMode {
            demo_home: self
                .demo_home
                .as_ref()
                .map(|home| home.display().to_string()),
        }
    }
}
