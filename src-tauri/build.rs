//! Embeds the app's Tauri config and icons; the config lives at the repository root and is
//! reached through the `src-tauri/tauri.conf.json` symlink that tauri-cli also needs.

fn main() {
    // generate_context! embeds ui/dist, which cargo does not track: rebuild when it changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build();
}
