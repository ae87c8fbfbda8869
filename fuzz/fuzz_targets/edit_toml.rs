//! Any bytes as a TOML config file: our entry's edits never panic, never touch another byte.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rovo_mcp_fuzz::check_entry_edits(rovo_mcp_core::edit::ConfigFormat::Toml, data);
});
