//! Finds out, before any window code runs, whether there is a display to open a window on, so
//! that a headless machine gets one sentence instead of a GTK panic.

/// `Ok` when a window can be shown, or the sentence that explains why not.
#[cfg(target_os = "linux")]
pub fn check_display() -> Result<(), String> {
    let display = std::env::var("DISPLAY")
        .ok()
        .filter(|value| !value.is_empty());
    let wayland = std::env::var("WAYLAND_DISPLAY")
        .ok()
        .filter(|value| !value.is_empty());
    if display.is_none() && wayland.is_none() {
        return Err(
            "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); \
             run it from a desktop session, or see `rovo-mcp-setup --help` for the headless commands"
                .to_owned(),
        );
    }
    // GTK panics inside the window library when it cannot connect; ask it first instead.
    gtk::init().map_err(|_| {
        let name = wayland.map_or_else(
            || format!("X display {}", display.unwrap_or_default()),
            |name| format!("Wayland display {name}"),
        );
        format!(
            "cannot connect to the {name}; check that the desktop session is running and \
             that this user may use it, or see `rovo-mcp-setup --help` for the headless commands"
        )
    })
}

/// macOS and Windows always have a display for a signed-in user.
#[cfg(not(target_os = "linux"))]
#[expect(
    clippy::unnecessary_wraps,
    reason = "the signature of the Linux version, which can fail"
)]
pub fn check_display() -> Result<(), String> {
    Ok(())
}
