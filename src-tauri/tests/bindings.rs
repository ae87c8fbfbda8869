//! The TypeScript bindings in `ui/src/lib/bindings.ts` are generated from the commands and
//! committed. This test regenerates them and fails when the committed file was stale, so a
//! change to a command or an IPC type cannot land without its bindings.

use std::path::Path;

use specta_typescript::Typescript;

const HEADER: &str =
    "// Regenerate with `cargo test -p rovo-mcp-setup --test bindings` and commit the result.\n";

#[test]
fn committed_bindings_match_the_commands() {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();

    rovo_mcp_setup_lib::specta_builder()
        .export(Typescript::default().header(HEADER), &committed_path)
        .expect("the bindings export");
    let generated = std::fs::read_to_string(&committed_path).expect("the export wrote the file");

    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts was stale and has been regenerated: review and commit it"
    );
}
