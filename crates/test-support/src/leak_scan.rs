//! The suite-wide secret-leak scan: the secrets the tests hand the app, a captures folder where
//! every test that runs the app keeps what it wrote at the most verbose log level (its log, its
//! stdout and stderr, its state file), and the search that the last step of `make test`
//! (`tests/leak_scan.rs`) runs over all of it.
//!
//! The app writes no crash report file: a panic goes to stderr, which is captured here too.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;

/// A personal API token with every scope: the one most tests sign in with.
pub const SCOPED_TOKEN: &str = "ATATT3xFfGF0-stand-in-token_0123456789=ABCDEF12";
/// A classic (unscoped) API token.
pub const CLASSIC_TOKEN: &str = "classic-0123456789abcdef-classic";
/// The token a rotation replaces the scoped one with.
pub const ROTATED_TOKEN: &str = "ATATT3xFfGF0-rotated-test-token_0123456789=ABCDEF12";
/// A token the stand-in server refuses (401).
pub const REFUSED_TOKEN: &str = "ATATT3xFfGF0-refused-test-token_0123456789=ABCDEF12";
/// A token the stand-in server reports as revoked.
pub const REVOKED_TOKEN: &str = "ATATT3xFfGF0-revoked-test-token_0123456789=ABCDEF12";
/// A service account's API key (sent as `Bearer`).
pub const SERVICE_KEY: &str = "ATSTT3xFfGF0-service-account-key_0123456789=ABCDEF12";

/// A service account's OAuth client secret.
pub const OAUTH_CLIENT_SECRET: &str = "ATOA3xFfGF0-oauth-client-secret_0123456789=ABCDEF12";

/// Every secret above, and the start of every access token the stand-in's token endpoint
/// issues: what the scan looks for.
pub const TEST_SECRETS: [(&str, &str); 8] = [
    ("SCOPED_TOKEN", SCOPED_TOKEN),
    ("CLASSIC_TOKEN", CLASSIC_TOKEN),
    ("ROTATED_TOKEN", ROTATED_TOKEN),
    ("REFUSED_TOKEN", REFUSED_TOKEN),
    ("REVOKED_TOKEN", REVOKED_TOKEN),
    ("SERVICE_KEY", SERVICE_KEY),
    ("OAUTH_CLIENT_SECRET", OAUTH_CLIENT_SECRET),
    ("ACCESS_TOKEN", rovo_stand_in::ACCESS_TOKEN_PREFIX),
];

/// The environment variables of the app's logging (`rovo_mcp_core::plumbing::logging`).
const LOG_ENV: &str = "ROVO_MCP_LOG";
const LOG_FILE_ENV: &str = "ROVO_MCP_LOG_FILE";
/// Overrides where captures are kept.
const CAPTURES_ENV: &str = "ROVO_TEST_CAPTURES";

/// Every text a secret can travel in, written out, for a test that checks one output with
/// `contains`:
/// - as typed, lower-cased and upper-cased;
/// - percent-encoded (every byte but letters, digits and `-._~`);
/// - JSON-escaped, as escaping encoders write it (`\/`, and `\u00XX` for every byte but
///   letters and digits, as .NET does for `+`);
/// - inside base64 at each of the three byte alignments, padded or not: the token alone in
///   base64, and `base64(email:token)` whatever the email;
/// - inside the base64 of that base64: the whole `Basic` header value sent on as base64.
///
/// [`leaks_in`] finds each of these, and any mix of them, in one search.
pub fn secret_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![
        secret.to_owned(),
        secret.to_lowercase(),
        secret.to_uppercase(),
        escaped(secret, |byte| {
            let unreserved = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
            (!unreserved).then(|| format!("%{byte:02X}"))
        }),
        secret.replace('/', "\\/"),
        escaped(secret, |byte| {
            (!byte.is_ascii_alphanumeric()).then(|| format!("\\u{byte:04X}"))
        }),
    ];
    forms.extend(plain_forms(secret).into_iter().skip(1));
    forms.sort();
    forms.dedup();
    forms
}

/// `text` with each byte `escape` has an escape for replaced by it.
fn escaped(text: &str, escape: impl Fn(u8) -> Option<String>) -> String {
    text.bytes()
        .map(|byte| escape(byte).unwrap_or_else(|| char::from(byte).to_string()))
        .collect()
}

/// The forms no escaping or letter case is applied to: the secret, and the parts of base64
/// texts that depend on it alone.
fn plain_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_owned()];
    let once = base64_cores(secret.as_bytes());
    for core in &once {
        forms.extend(base64_cores(core.as_bytes()));
    }
    forms.extend(once);
    forms
}

/// The part of `bytes`' base64 that depends on them alone, at each of the three alignments
/// they can have inside a longer text: the groups holding bytes from before or after them are
/// left out, and so is the padding.
fn base64_cores(bytes: &[u8]) -> Vec<String> {
    let mut cores = Vec::new();
    for lead in 0..3 {
        let mut led = vec![b'.'; lead];
        led.extend_from_slice(bytes);
        let encoded = base64::engine::general_purpose::STANDARD.encode(&led);
        let start = if lead == 0 { 0 } else { 4 };
        let end = (led.len() / 3) * 4;
        if end > start + 8 {
            cores.push(encoded[start..end].to_owned());
        }
    }
    cores
}

/// Where captures are kept: `ROVO_TEST_CAPTURES`, or `target/test-captures` of the workspace
/// (of `CARGO_TARGET_DIR` when that is set). `make test` empties it before the suite runs.
pub fn captures_folder() -> PathBuf {
    if let Some(folder) = std::env::var_os(CAPTURES_ENV) {
        return PathBuf::from(folder);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/test-support is two folders into the workspace");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    target.join("test-captures")
}

/// A new file name in the captures folder, named after the test binary and the test (libtest
/// names each test's thread after it), so a finding leads back to the test that made it.
fn capture_path(extension: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let folder = captures_folder();
    fs::create_dir_all(&folder).expect("the captures folder can be created");
    let binary = std::env::current_exe()
        .ok()
        .and_then(|path| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .map_or_else(
            || "test".to_owned(),
            |stem| match stem.rsplit_once('-') {
                // Cargo names test binaries `name-<hash>`.
                Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => {
                    name.to_owned()
                }
                _ => stem,
            },
        );
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("main").replace("::", ".");
    let number = NEXT.fetch_add(1, Ordering::Relaxed);
    folder.join(format!(
        "{binary}--{test}--{}-{number}.{extension}",
        std::process::id()
    ))
}

/// The log file of this test process's own (in-process) logging, the same for every call.
pub fn in_process_log_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| capture_path("log"))
}

/// The environment for one run of the app that logs everything into a new captured log file.
pub fn trace_logging() -> [(&'static str, OsString); 2] {
    [
        (LOG_ENV, OsString::from("trace")),
        (LOG_FILE_ENV, capture_path("log").into_os_string()),
    ]
}

/// Keeps what a run of the app printed.
pub fn keep_output(output: &Output) {
    for (extension, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        fs::write(capture_path(extension), bytes).expect("a capture is written");
    }
}

/// A new file for a process's stdout or stderr to be written into as it runs.
pub fn stream_file(extension: &str) -> fs::File {
    fs::File::create(capture_path(extension)).expect("a capture file")
}

/// Keeps every state file and log the app left under `folder` (a temporary home), before the
/// folder is deleted. Client configs and their backups are not kept: in plain mode they hold
/// the secret by design.
pub fn keep_app_files(folder: &Path) {
    for path in every_file_under(folder) {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name == "state.json" {
            let _ = fs::copy(&path, capture_path("state.json"));
        } else if path.extension().is_some_and(|extension| extension == "log") {
            let _ = fs::copy(&path, capture_path("log"));
        }
    }
}

/// Every file below `folder`, at any depth; none when it cannot be read.
pub fn every_file_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(every_file_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// One test secret found in one captured file.
#[derive(Debug, PartialEq, Eq)]
pub struct Leak {
    pub file: PathBuf,
    pub secret: &'static str,
    pub line: usize,
}

/// Every test secret, in every form, found in `bytes`; `file` names where they came from.
/// The search runs over `bytes` with percent-encoding and JSON escapes undone and letters
/// lower-cased, for the plain forms lower-cased: so each form [`secret_forms`] lists is found,
/// and any mix of them, while a match still needs the whole secret.
pub fn leaks_in(file: &Path, bytes: &[u8]) -> Vec<Leak> {
    let searched = unescaped_lowercase(bytes);
    // One pass over the text for every form of every secret, each form tried only where the
    // text has its first byte: the suite's captures are megabytes, the forms nearly a hundred.
    let mut forms_by_first_byte: Vec<Vec<(usize, Vec<u8>)>> = vec![Vec::new(); 256];
    for (index, (_, secret)) in TEST_SECRETS.iter().enumerate() {
        for form in plain_forms(secret) {
            let form = form.to_lowercase().into_bytes();
            forms_by_first_byte[usize::from(form[0])].push((index, form));
        }
    }
    let mut first_at = [None; TEST_SECRETS.len()];
    for (at, byte) in searched.iter().enumerate() {
        for (index, form) in &forms_by_first_byte[usize::from(*byte)] {
            if first_at[*index].is_none() && searched[at..].starts_with(form) {
                first_at[*index] = Some(at);
            }
        }
    }
    TEST_SECRETS
        .iter()
        .zip(first_at)
        .filter_map(|((name, _), at)| {
            at.map(|at| Leak {
                file: file.to_path_buf(),
                secret: name,
                line: searched[..at].split(|&byte| byte == b'\n').count(),
            })
        })
        .collect()
}

/// `bytes` with `%XX`, `\uXXXX` (for ASCII) and `\/`, `\"`, `\\` written as the byte they
/// stand for, and ASCII letters lower-cased. An escaped line break stays as it was written, so
/// that lines count the same as in `bytes`.
fn unescaped_lowercase(bytes: &[u8]) -> Vec<u8> {
    let hex = |digits: &[u8]| {
        // `from_str_radix` would take a sign too: `%+5` is no escape.
        std::str::from_utf8(digits)
            .ok()
            .filter(|digits| digits.bytes().all(|digit| digit.is_ascii_hexdigit()))
            .and_then(|digits| u32::from_str_radix(digits, 16).ok())
            .and_then(|code| u8::try_from(code).ok())
            .filter(|byte| byte.is_ascii() && *byte != b'\n')
    };
    let mut plain = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        let (byte, length) = match rest {
            [b'%', high, low, ..] if hex(&[*high, *low]).is_some() => {
                (hex(&[*high, *low]).unwrap_or_default(), 3)
            }
            [b'\\', b'u', a, b, c, d, ..] if hex(&[*a, *b, *c, *d]).is_some() => {
                (hex(&[*a, *b, *c, *d]).unwrap_or_default(), 6)
            }
            [b'\\', escaped @ (b'/' | b'"' | b'\\'), ..] => (*escaped, 2),
            [byte, ..] => (*byte, 1),
            [] => break,
        };
        plain.push(byte.to_ascii_lowercase());
        at += length;
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_email_and_token_is_found_whatever_the_email() {
        for email in ["a@b.c", "ab@b.c", "abc@example.com", ""] {
            let pair = format!("{email}:{SCOPED_TOKEN}");
            let header = format!(
                "Authorization: Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            );
            let leaks = leaks_in(Path::new("log"), header.as_bytes());
            assert_eq!(
                leaks.iter().map(|leak| leak.secret).collect::<Vec<_>>(),
                ["SCOPED_TOKEN"],
                "base64(email:token) is found at any alignment: {header}"
            );
        }
    }

    #[test]
    fn a_secret_as_typed_or_percent_encoded_is_found_on_its_line() {
        let text = format!("first line\ntoken={}\n", SCOPED_TOKEN.replace('=', "%3D"));
        assert_eq!(
            leaks_in(Path::new("log"), text.as_bytes()),
            [Leak {
                file: PathBuf::from("log"),
                secret: "SCOPED_TOKEN",
                line: 2
            }],
            "a percent-encoded token is found, on the line it is on"
        );
    }

    #[test]
    fn every_listed_form_and_a_mix_of_them_is_found() {
        for form in secret_forms(SCOPED_TOKEN) {
            let text = format!("some text, then {form} and more");
            assert_eq!(
                leaks_in(Path::new("log"), text.as_bytes())
                    .iter()
                    .map(|leak| leak.secret)
                    .collect::<Vec<_>>(),
                ["SCOPED_TOKEN"],
                "each form the scan lists is found: {text}"
            );
        }
        let mixed = format!(
            "{{\"echo\":\"{}\"}}",
            SCOPED_TOKEN.to_lowercase().replace('=', "%3d")
        );
        assert_eq!(
            leaks_in(Path::new("log"), mixed.as_bytes()).len(),
            1,
            "lower-cased and percent-encoded at once: {mixed}"
        );
    }

    #[test]
    fn the_whole_basic_header_sent_on_as_base64_is_found() {
        let engine = base64::engine::general_purpose::STANDARD;
        for email in ["a@b.c", "ab@b.c", "abc@example.com"] {
            let header = format!("Basic {}", engine.encode(format!("{email}:{SERVICE_KEY}")));
            for prefix in ["", "x", "xy"] {
                let echo = engine.encode(format!("{prefix}{header}"));
                let unpadded = echo.trim_end_matches('=');
                assert_eq!(
                    leaks_in(Path::new("log"), unpadded.as_bytes())
                        .iter()
                        .map(|leak| leak.secret)
                        .collect::<Vec<_>>(),
                    ["SERVICE_KEY"],
                    "base64 of the header is found at any alignment: {unpadded}"
                );
            }
        }
    }

    #[test]
    fn text_without_a_secret_has_no_leak() {
        let text =
            "TRACE probe: POST https://mcp.example/v1/mcp 200 in 3 ms (account me@example.com)";
        assert!(
            leaks_in(Path::new("log"), text.as_bytes()).is_empty(),
            "ordinary log lines are no leak"
        );
    }

    #[test]
    fn pieces_of_a_secret_in_any_case_or_escaping_are_no_leak() {
        let pieces = format!(
            "{} %41%54%41%54%54 \\u0041TATT3 {} {}",
            &SCOPED_TOKEN[..SCOPED_TOKEN.len() - 1].to_lowercase(),
            &CLASSIC_TOKEN[1..].to_uppercase(),
            &SERVICE_KEY[..20]
        );
        assert!(
            leaks_in(Path::new("log"), pieces.as_bytes()).is_empty(),
            "a match needs the whole secret: {pieces}"
        );
    }

    #[test]
    fn an_escaped_line_break_does_not_move_the_line_of_a_leak() {
        let text = format!(
            "one%0Atwo\\u000athree\nfour {}",
            SCOPED_TOKEN.to_uppercase()
        );
        assert_eq!(
            leaks_in(Path::new("log"), text.as_bytes())
                .iter()
                .map(|leak| leak.line)
                .collect::<Vec<_>>(),
            [2],
            "only a real line break starts a line: {text}"
        );
    }
}
