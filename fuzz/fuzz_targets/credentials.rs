//! Anything typed or pasted into the credential fields: cleaned or refused, never shown.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: rovo_mcp_invariants::credentials::CredentialInput| {
    rovo_mcp_invariants::credentials::check_credential(&input);
});
