//! The one place secrets live: the redacted `Secret` type, the stores that keep it (the OS
//! keychain, and an in-memory store for unit tests), and the redaction of a secret a server
//! echoed back in any of the forms the leak scan looks for. Nothing here ever prints a secret.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret as _, SecretString};
use zeroize::Zeroizing;

use crate::{Error, ErrorKind, Result};

/// The keychain service under which the app stores its credential (design §6).
pub const KEYCHAIN_SERVICE: &str = "rovo-mcp-setup";

/// A secret value, kept in a `secrecy::SecretString`: its `Debug` is redacted, it is wiped from
/// memory on drop, and it implements neither `Display` nor `Serialize`, so it cannot end up in
/// a log, an error or an IPC payload. Reading it is one explicit call, `expose`.
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The value itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// What an echoed secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// The fewest bytes of a secret that are redacted: a shorter match would blank out ordinary
/// words, and a shorter secret is no secret.
const SHORTEST_REDACTED: usize = 8;

/// `text` with every echo of each of `secrets` replaced by [`REDACTED`], in whatever form a
/// server or a gateway in front of it wrote it back: as sent, in any letter case,
/// percent-encoded (`%3D`, `%3d`, `+` for a space), JSON-escaped (`\/`, `\u003D`) or any mix
/// of those; and the same for its base64 at each of the three byte alignments, padded or not,
/// so that the secret is found inside the base64 of a longer text (the whole header, a JSON
/// echo of the request). An echo is matched only whole — short pieces of a secret stay, as
/// text the server wrote would otherwise be cut up — except at the very end of `text`, where an
/// excerpt's limit may have cut the echo: there its first eight bytes or more go too.
pub fn redact_echoes(text: &str, secrets: &[&str]) -> String {
    let mut forms: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    for secret in secrets
        .iter()
        .filter(|secret| secret.len() >= SHORTEST_REDACTED)
    {
        forms.push(Zeroizing::new(secret.as_bytes().to_vec()));
        // The secret's own base64 goes whole, its last group and padding too.
        let encoded = Zeroizing::new(STANDARD.encode(secret));
        forms.push(Zeroizing::new(encoded.as_bytes().to_vec()));
        forms.push(Zeroizing::new(
            encoded.trim_end_matches('=').as_bytes().to_vec(),
        ));
        forms.extend(base64_cores(secret.as_bytes()));
    }
    forms.retain(|form| form.len() >= SHORTEST_REDACTED);
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms
        .iter()
        .fold(text.to_owned(), |text, form| redact_form(&text, form))
}

/// The part of `secret`'s base64 that depends on it alone, at each of the three alignments it
/// can have inside a longer base64 text: the groups holding bytes from before or after it are
/// left out, and so is the padding.
fn base64_cores(secret: &[u8]) -> Vec<Zeroizing<Vec<u8>>> {
    (0..3)
        .map(|lead| {
            let mut bytes = Zeroizing::new(vec![b'.'; lead]);
            bytes.extend_from_slice(secret);
            let encoded = Zeroizing::new(STANDARD.encode(&*bytes));
            let start = if lead == 0 { 0 } else { 4 };
            let end = (bytes.len() / 3) * 4;
            Zeroizing::new(encoded.as_bytes()[start..end.max(start)].to_vec())
        })
        .collect()
}

/// `text` with every echo of `form` replaced, and a cut one at its end.
fn redact_form(text: &str, form: &[u8]) -> String {
    let bytes = text.as_bytes();
    let mut redacted = String::with_capacity(text.len());
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        let echo = text
            .is_char_boundary(at)
            .then(|| echo_end(bytes, at, form))
            .flatten()
            .filter(|&end| text.is_char_boundary(end));
        if let Some(end) = echo {
            redacted.push_str(&text[copied..at]);
            redacted.push_str(REDACTED);
            (at, copied) = (end, end);
        } else {
            at += 1;
        }
    }
    redacted.push_str(&text[copied..]);
    redacted
}

/// Where an echo of `form` that starts at `at` ends: after all of it, or at the end of `text`
/// when at least [`SHORTEST_REDACTED`] of its bytes came before it.
fn echo_end(text: &[u8], mut at: usize, form: &[u8]) -> Option<usize> {
    for (matched, &expected) in form.iter().enumerate() {
        if at == text.len() && matched >= SHORTEST_REDACTED {
            return Some(at);
        }
        at += echoed_byte(text.get(at..)?, expected)?;
    }
    Some(at)
}

/// How many bytes at the start of `text` write the byte `expected`: itself in either letter
/// case, `%XX`, `\uXXXX`, a JSON backslash escape, or `+` for a space.
fn echoed_byte(text: &[u8], expected: u8) -> Option<usize> {
    let same = |byte: u8| byte.eq_ignore_ascii_case(&expected);
    let hex = |digits: &[u8]| {
        // `from_str_radix` would take a sign too: `%+5` is no escape.
        std::str::from_utf8(digits)
            .ok()
            .filter(|digits| digits.bytes().all(|digit| digit.is_ascii_hexdigit()))
            .and_then(|digits| u32::from_str_radix(digits, 16).ok())
            .and_then(|code| u8::try_from(code).ok())
    };
    match text {
        [b'%', high, low, ..] if hex(&[*high, *low]).is_some_and(same) => Some(3),
        [b'\\', b'u', digits @ ..]
            if digits.len() >= 4
                && hex(&digits[..4]).is_some_and(|byte| byte.is_ascii() && same(byte)) =>
        {
            Some(6)
        }
        [b'\\', escaped, ..] if *escaped == expected && matches!(expected, b'/' | b'"' | b'\\') => {
            Some(2)
        }
        [b'+', ..] if expected == b' ' => Some(1),
        [byte, ..] if same(*byte) => Some(1),
        _ => None,
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

    const TOKEN: &str = "ATATT3xFfGF0-stand_in=token+0123/ABCD";

    #[track_caller]
    fn assert_redacted(echo: &str, why: &str) {
        let text = format!("the gateway said: {echo} (end of message)");
        let redacted = redact_echoes(&text, &[TOKEN]);
        assert_eq!(
            redacted, "the gateway said: <redacted> (end of message)",
            "{why}"
        );
    }

    fn percent_encoded(text: &str) -> String {
        text.bytes()
            .map(|byte| {
                if byte.is_ascii_alphanumeric() {
                    char::from(byte).to_string()
                } else {
                    format!("%{byte:02X}")
                }
            })
            .collect()
    }

    #[test]
    fn every_form_of_an_echoed_secret_is_redacted_whole() {
        assert_redacted(TOKEN, "as sent");
        assert_redacted(&TOKEN.to_lowercase(), "lower-cased");
        assert_redacted(&TOKEN.to_uppercase(), "upper-cased");
        assert_redacted(&percent_encoded(TOKEN), "percent-encoded");
        assert_redacted(
            &percent_encoded(TOKEN).to_lowercase(),
            "percent-encoded with lower-case digits",
        );
        assert_redacted(&TOKEN.replace('/', "\\/"), "JSON-escaped with `\\/`");
        assert_redacted(
            &TOKEN.replace('+', "\\u002B").replace('=', "\\u003d"),
            "JSON-escaped with `\\u` (as .NET writes `+`)",
        );
        assert_redacted(&STANDARD.encode(TOKEN), "base64, padded");
        assert_redacted(
            STANDARD.encode(TOKEN).trim_end_matches('='),
            "base64, unpadded",
        );
    }

    #[test]
    fn a_secret_inside_a_longer_base64_text_is_redacted_at_every_alignment() {
        for before in ["", "x", "xy", "Basic me@example.com:"] {
            let encoded = STANDARD.encode(format!("{before}{TOKEN} and more"));
            let redacted = redact_echoes(&encoded, &[TOKEN]);
            assert!(
                redacted.contains(REDACTED),
                "the part of base64({before}token…) that depends on the token goes: {redacted}"
            );
            for core in base64_cores(TOKEN.as_bytes()) {
                let core = String::from_utf8(core.to_vec()).unwrap();
                assert!(
                    !redacted.contains(&core),
                    "no alignment of it stays: {redacted}"
                );
            }
        }
    }

    #[test]
    fn an_echo_cut_by_the_end_of_the_text_goes_from_its_eighth_byte() {
        let cut = format!("body: {}", &TOKEN[..20]);
        assert_eq!(
            redact_echoes(&cut, &[TOKEN]),
            "body: <redacted>",
            "the start of the token at the end of an excerpt goes"
        );
        let short = format!("body: {}", &TOKEN[..5]);
        assert_eq!(
            redact_echoes(&short, &[TOKEN]),
            short,
            "fewer than eight bytes are not a secret"
        );
    }

    #[test]
    fn ordinary_text_and_pieces_of_the_secret_stay() {
        let text =
            "ATATT3 tokens start like this; 0123 and ABCD are everywhere; 50% off + more \\/";
        assert_eq!(
            redact_echoes(text, &[TOKEN]),
            text,
            "only the whole secret is redacted"
        );
        assert_eq!(
            redact_echoes("a short secret stays: abc", &["abc"]),
            "a short secret stays: abc",
            "a secret under eight bytes would blank out ordinary words"
        );
        let accented = "ünïcödé text, then the token: ";
        assert_eq!(
            redact_echoes(&format!("{accented}{TOKEN}"), &[TOKEN]),
            format!("{accented}<redacted>"),
            "text around the echo stays as it was, multi-byte characters too"
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
