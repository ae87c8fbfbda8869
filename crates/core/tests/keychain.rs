//! The OS keychain store against a real Secret Service: gnome-keyring on a private session
//! bus that this test starts and stops itself.
//!
//! One test per binary: the keychain connection is made once per process, so the bus address
//! must be in place before anything touches it.

use rovo_mcp_core::domain::secrets::{OsKeychain, Secret, SecretStore};
use rovo_test_support::secret_service::SecretServiceSession;

#[test]
fn the_os_keychain_stores_reads_replaces_and_deletes_a_secret() {
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
    let keychain = OsKeychain::with_service("rovo-mcp-setup-test");
    let account = "me@example.com";

    assert!(
        keychain.read(account).unwrap().is_none(),
        "a new keyring has no item for us"
    );

    keychain
        .store(account, &Secret::new("ATATT3-first-ünïcode"))
        .expect("storing works");
    keychain
        .store(account, &Secret::new("ATATT3-second"))
        .expect("storing again replaces");
    let read = keychain
        .read(account)
        .unwrap()
        .expect("the stored item reads back");
    assert_eq!(
        read.expose(),
        "ATATT3-second",
        "the keychain holds the latest value"
    );

    keychain.delete(account).expect("deleting works");
    keychain
        .delete(account)
        .expect("deleting a missing item is not an error");
    assert!(
        keychain.read(account).unwrap().is_none(),
        "the item is gone after delete"
    );
}
