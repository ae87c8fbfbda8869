//! Any bytes as a YAML config file: our entry's edits never panic, never touch another byte.
#![no_main]

use rovo_mcp_core::plumbing::edit::ConfigFormat;
use rovo_mcp_invariants::edits::check_entry_edits;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check_entry_edits(ConfigFormat::Yaml, data);
});
