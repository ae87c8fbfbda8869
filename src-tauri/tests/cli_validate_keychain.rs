//! `rovo-mcp-setup validate` with neither `--token-env` nor `--token-stdin` reads the secret
//! from the OS keychain: here a private gnome-keyring on a session bus this test starts itself.
//!
//! One test per binary: the keychain connection is made once per process, so the bus address
//! must be in place before anything touches it.

use std::process::Command;

use base64::Engine as _;
use rovo_mcp_core::domain::secrets::{OsKeychain, Secret, SecretStore};
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::leak_scan;
use rovo_test_support::secret_service::SecretServiceSession;
use serde_json::Value;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;

#[test]
fn without_a_token_flag_the_secret_comes_from_the_keychain() {
    let session = SecretServiceSession::start().expect("the private Secret Service starts");
    #[expect(
        unsafe_code,
        reason = "setting the bus address before any other thread reads the environment"
    )]
    // SAFETY: this binary holds only this test, and nothing has started a thread that reads the
    // environment yet; the keychain reads the address once, on first use below.
    unsafe {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", session.bus_address());
    }
    OsKeychain::new()
        .store(EMAIL, &Secret::new(TOKEN))
        .expect("the token is stored in the private keyring");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(StandInServer::start([(
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{TOKEN}"))
            ),
            Grant::FullScope,
        )]))
        .unwrap();
    let validate = |email: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"))
            .args([
                "validate",
                "--json",
                "--email",
                email,
                "--endpoint",
                server.url(),
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", session.bus_address())
            .envs(leak_scan::trace_logging())
            .output()
            .expect("the binary runs");
        leak_scan::keep_output(&output);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
            "the keychain's secret is never printed"
        );
        let json: Value = serde_json::from_str(&stdout).expect("stdout is JSON");
        (output.status.code(), json)
    };

    let (code, json) = validate(EMAIL);
    assert_eq!(
        json["verdict"], "ok",
        "the keychain's token signs in: {json}"
    );
    assert_eq!(code, Some(0));

    let (code, json) = validate("nobody@example.com");
    assert_eq!(
        json["error"]["kind"], "invalid_input",
        "an account with no keychain entry is told how to give a token: {json}"
    );
    assert_eq!(code, Some(2));
}
