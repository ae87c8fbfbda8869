//! Anything typed or pasted into the credential fields: cleaned or refused, never shown.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: rovo_mcp_fuzz::CredentialInput| {
    rovo_mcp_fuzz::check_credential(&input);
});
