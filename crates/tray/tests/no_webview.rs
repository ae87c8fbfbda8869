//! The tray executable as installers ship it: GTK for the icon (on Linux), and no webview
//! library among what it loads, so what runs all day from login stays small.

#[cfg(target_os = "linux")]
#[test]
fn it_loads_no_webview_library() {
    let output = std::process::Command::new("ldd")
        .arg(env!("CARGO_BIN_EXE_rovo-mcp-setup-tray"))
        .output()
        .expect("ldd runs (Debian's libc-bin)");
    let libraries = String::from_utf8_lossy(&output.stdout).to_lowercase();
    assert!(
        libraries.contains("libgtk-3"),
        "the ldd listing is real: the icon's toolkit is there:\n{libraries}"
    );
    for webview in ["webkit", "javascriptcore", "soup"] {
        assert!(
            !libraries.contains(webview),
            "the tray loads no {webview}; only a window does, in the app:\n{libraries}"
        );
    }
}
