//! The one place secrets live: the redacted `Secret` type and the stores that keep it (the OS
//! keychain, and an in-memory store for unit tests). Nothing here ever prints a secret.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::{Error, ErrorKind, Result};

/// The keychain service under which the app stores its credential (design §6).
pub const KEYCHAIN_SERVICE: &str = "rovo-mcp-setup";

/// A secret value: its `Debug` is redacted, it is wiped from memory on drop, and it implements
/// neither `Display` nor `Serialize`, so it cannot end up in a log, an error or an IPC payload.
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The value itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Somewhere a secret can be kept under an account name.
pub trait SecretStore {
    /// The secret stored for `account`, or `None` when there is none.
    fn read(&self, account: &str) -> Result<Option<Secret>>;
    /// Stores `secret` for `account`, replacing any previous one.
    fn store(&self, account: &str, secret: &Secret) -> Result<()>;
    /// Deletes the secret for `account`; deleting a missing secret is not an error.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The operating system's keychain: macOS Keychain, Windows Credential Manager, or a Linux
/// Secret Service (gnome-keyring, KWallet) reached over D-Bus.
#[derive(Debug, Clone)]
pub struct OsKeychain {
    service: String,
}

impl OsKeychain {
    /// The keychain under the app's own service name.
    pub fn new() -> Self {
        Self::with_service(KEYCHAIN_SERVICE)
    }

    /// The keychain under another service name, so tests never touch the app's real item.
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(|error| keychain_error(&error))
    }
}

impl Default for OsKeychain {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for OsKeychain {
    fn read(&self, account: &str) -> Result<Option<Secret>> {
        let result = match self.entry(account)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(keychain_error(&error)),
        };
        log_keychain(
            "read",
            &self.service,
            account,
            &result.as_ref().map(Option::is_some),
        );
        result
    }

    fn store(&self, account: &str, secret: &Secret) -> Result<()> {
        let result = self
            .entry(account)?
            .set_password(secret.expose())
            .map_err(|error| keychain_error(&error));
        log_keychain(
            "store",
            &self.service,
            account,
            &result.as_ref().map(|()| true),
        );
        result
    }

    fn delete(&self, account: &str) -> Result<()> {
        let result = match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(keychain_error(&error)),
        };
        log_keychain(
            "delete",
            &self.service,
            account,
            &result.as_ref().map(|()| true),
        );
        result
    }
}

/// One line per keychain operation: the service and account it concerned and how it went
/// (`found` is whether a secret was there to read), never the secret.
fn log_keychain(
    operation: &str,
    service: &str,
    account: &str,
    outcome: &std::result::Result<bool, &Error>,
) {
    match outcome {
        Ok(found) => tracing::debug!(operation, service, account, found, "keychain"),
        Err(error) => {
            tracing::warn!(operation, service, account, kind = ?error.kind(), "keychain failed");
        }
    }
}

/// Turns a keychain failure into an error a person can act on. The keyring error's own text is
/// never used: some variants carry the bytes of the value they could not decode.
fn keychain_error(error: &keyring::Error) -> Error {
    let what = match error {
        keyring::Error::NoStorageAccess(_) => "the keychain is locked or refused access",
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) => {
            "no keychain could be reached"
        }
        _ => "the keychain could not store or read the credential",
    };
    Error::new(
        ErrorKind::KeychainUnavailable,
        format!("{what}; {}", keychain_hint()),
    )
}

fn keychain_hint() -> &'static str {
    if cfg!(target_os = "macos") {
        "unlock the login keychain in Keychain Access and try again"
    } else if cfg!(windows) {
        "sign in to Windows with your own account so Credential Manager is available, then try again"
    } else {
        "unlock your keyring (GNOME Keyring or KWallet), or install a Secret Service such as gnome-keyring, then try again"
    }
}

/// A store that lives only as long as the process: for unit tests and the `--demo` sandbox,
/// never for real credentials.
#[derive(Debug, Default)]
pub struct InMemorySecretStore {
    secrets: Mutex<HashMap<String, Secret>>,
}

impl SecretStore for InMemorySecretStore {
    fn read(&self, account: &str) -> Result<Option<Secret>> {
        Ok(self
            .lock()
            .get(account)
            .map(|secret| Secret::new(secret.expose())))
    }

    fn store(&self, account: &str, secret: &Secret) -> Result<()> {
        self.lock()
            .insert(account.to_owned(), Secret::new(secret.expose()));
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.lock().remove(account);
        Ok(())
    }
}

impl InMemorySecretStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        // A panic while holding the lock cannot leave the map half-written: every operation is
        // a single insert, remove or clone, so the poisoned data is still consistent.
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_value() {
        let secret = Secret::new("ATATT3-very-secret");
        let printed = format!("{secret:?} {:?}", Some(&secret));
        assert!(
            !printed.contains("very-secret"),
            "Debug must redact the value, got {printed}"
        );
    }

    #[test]
    fn in_memory_store_round_trips_replaces_and_deletes() {
        let store = InMemorySecretStore::default();
        assert!(
            store.read("me").unwrap().is_none(),
            "a fresh store holds nothing"
        );

        store.store("me", &Secret::new("first")).unwrap();
        store.store("me", &Secret::new("second")).unwrap();
        let read = store
            .read("me")
            .unwrap()
            .expect("a stored secret reads back");
        assert_eq!(read.expose(), "second", "storing again replaces the value");

        store.delete("me").unwrap();
        store.delete("me").unwrap();
        assert!(
            store.read("me").unwrap().is_none(),
            "delete removes it and is idempotent"
        );
    }
}
