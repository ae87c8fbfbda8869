//! Any HTTP reply to a probe request: a result or a failure of design §4, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rovo_mcp_invariants::replies::check_reply(data);
});
