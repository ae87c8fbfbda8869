//! The icon and its menu on tao's event loop: the status line, Check now, Rotate token…, Open
//! setup, Start at login, Quit; the icon amber for a warning and red for an error. Only this
//! thread touches the tray; the background care sends it what to show.

use std::sync::{Mutex, PoisonError};

use rovo_mcp_core::domain::clients::ClientEnvironment;
use rovo_mcp_core::plumbing::start_at_login::{self, LoginItem as _, OsLoginItem};
use rovo_mcp_core::use_cases::care::{TrayLevel, TrayStatus};
use rovo_mcp_core::use_cases::tray::{Care, InstanceLock, MenuAction};
use tao::event::{Event, StartCause};
use tao::event_loop::{ControlFlow, EventLoopBuilder};
use tray_icon::menu::{CheckMenuItem, Menu, MenuEvent, MenuId, MenuItem, PredefinedMenuItem};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder};

use crate::background::{self, CheckNow};
use crate::{NAME, app};

/// What the event loop is woken for.
#[derive(Debug)]
pub enum TrayEvent {
    /// The status to show, from the background care.
    Status(TrayStatus),
    /// A menu item was clicked.
    Menu(MenuId),
}

/// The tray's live parts.
struct Tray {
    icon: TrayIcon,
    status: MenuItem,
    start_at_login: CheckMenuItem,
    /// The policy's `startAtLogin`, which decides whether the checkbox can be clicked.
    start_at_login_policy: Option<bool>,
    shown: Option<TrayStatus>,
}

/// Runs the tray until Quit. `lock` is held for as long as it runs.
pub fn run(
    care: Option<Care>,
    start_at_login_policy: Option<bool>,
    lock: Option<InstanceLock>,
) -> ! {
    let event_loop = EventLoopBuilder::<TrayEvent>::with_user_event().build();
    let menu_proxy = Mutex::new(event_loop.create_proxy());
    MenuEvent::set_event_handler(Some(move |event: MenuEvent| {
        let _ = menu_proxy
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send_event(TrayEvent::Menu(event.id));
    }));
    let check_now = care.map(|care| background::start(care, event_loop.create_proxy()));
    let mut tray = None;
    event_loop.run(move |event, _, control_flow| {
        // Moved in here so that the lock lives as long as the loop.
        let _lock = &lock;
        *control_flow = ControlFlow::Wait;
        match event {
            // Built once the loop runs: macOS wants its status item made from within it.
            Event::NewEvents(StartCause::Init) => tray = build_guarded(start_at_login_policy),
            Event::UserEvent(TrayEvent::Status(status)) => {
                if let Some(tray) = &mut tray {
                    tray.show(status);
                    // The window and `configure` change the entry too: follow them.
                    tray.show_start_at_login();
                }
            }
            Event::UserEvent(TrayEvent::Menu(id)) => {
                if let Some(action) = MenuAction::from_id(id.as_ref()) {
                    if action == MenuAction::Quit {
                        *control_flow = ControlFlow::Exit;
                    }
                    on_menu(action, tray.as_ref(), check_now.as_ref());
                }
            }
            _ => {}
        }
    })
}

fn on_menu(action: MenuAction, tray: Option<&Tray>, check_now: Option<&CheckNow>) {
    if let Some(window) = action.window() {
        app::open(window);
        return;
    }
    match action {
        MenuAction::CheckNow => {
            if let Some(check_now) = check_now {
                check_now.ask();
            }
        }
        MenuAction::StartAtLogin => {
            if let Err(error) = toggle_start_at_login() {
                eprintln!("{NAME}: start at login could not be changed: {error}");
            }
            // The click has toggled the checkbox already: show how the entry really is.
            if let Some(tray) = tray {
                tray.show_start_at_login();
            }
        }
        MenuAction::RotateToken | MenuAction::OpenSetup | MenuAction::Quit => {}
    }
}

/// Turns start at login the other way, unless the policy locks it.
fn toggle_start_at_login() -> Result<(), String> {
    let item = OsLoginItem::for_this_app().map_err(|error| error.to_string())?;
    let enabled = !item.is_enabled().unwrap_or(false);
    // The item is disabled when the policy sets it; a policy installed since the tray was
    // built is still obeyed.
    if let Some(environment) = ClientEnvironment::current() {
        start_at_login::check_change(&environment, enabled).map_err(|error| error.to_string())?;
    }
    if enabled {
        item.enable()
    } else {
        item.disable()
    }
    .map_err(|error| error.to_string())
}

/// Whether the tray starts at login now; `false` when the entry cannot be read.
fn start_at_login_enabled() -> bool {
    OsLoginItem::for_this_app()
        .and_then(|item| item.is_enabled())
        .unwrap_or(false)
}

impl Tray {
    /// Puts `status` on the tray, when it differs from what is shown.
    fn show(&mut self, status: TrayStatus) {
        if self.shown.as_ref() == Some(&status) {
            return;
        }
        self.status.set_text(&status.line);
        let _ = self.icon.set_tooltip(Some(&status.line));
        if self.shown.as_ref().map(|shown| shown.level) != Some(status.level)
            && let Some(icon) = icon_for(status.level)
        {
            let _ = self.icon.set_icon(Some(icon));
        }
        self.shown = Some(status);
    }

    fn show_start_at_login(&self) {
        let enabled = start_at_login_enabled();
        self.start_at_login.set_checked(enabled);
        self.start_at_login
            .set_enabled(start_at_login::person_may_change(
                self.start_at_login_policy,
                enabled,
            ));
    }
}

/// Builds the tray, or says in one sentence why there is none: the checks and notifications go
/// on without it.
fn build_guarded(start_at_login_policy: Option<bool>) -> Option<Tray> {
    // The library's panic is expected and answered below in one sentence: no panic message
    // and backtrace on stderr meanwhile.
    let report_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let built = std::panic::catch_unwind(|| build(start_at_login_policy));
    std::panic::set_hook(report_panic);
    match built {
        Ok(Ok(tray)) => {
            warn_without_status_notifier_host();
            Some(tray)
        }
        Ok(Err(error)) => {
            eprintln!(
                "{NAME}: no tray icon ({error}); the checks and notifications go on, and \
                 `rovo-mcp-setup` opens the window"
            );
            None
        }
        // tray-icon loads libayatana-appindicator3 at run time and panics when it is missing.
        Err(_) => {
            eprintln!(
                "{NAME}: no tray icon: the libayatana-appindicator3-1 library is not installed; \
                 the checks and notifications go on, and `rovo-mcp-setup` opens the window"
            );
            None
        }
    }
}

fn build(start_at_login_policy: Option<bool>) -> Result<Tray, Box<dyn std::error::Error>> {
    let item = |action: MenuAction| MenuItem::with_id(action.id(), action.label(), true, None);
    let status = MenuItem::with_id("status", "Rovo MCP", false, None);
    let enabled = start_at_login_enabled();
    let start_at_login = CheckMenuItem::with_id(
        MenuAction::StartAtLogin.id(),
        MenuAction::StartAtLogin.label(),
        start_at_login::person_may_change(start_at_login_policy, enabled),
        enabled,
        None,
    );
    let menu = Menu::with_items(&[
        &status,
        &PredefinedMenuItem::separator(),
        &item(MenuAction::CheckNow),
        &item(MenuAction::RotateToken),
        &item(MenuAction::OpenSetup),
        &start_at_login,
        &PredefinedMenuItem::separator(),
        &item(MenuAction::Quit),
    ])?;
    let icon = TrayIconBuilder::new()
        .with_id("main")
        .with_icon(icon_for(TrayLevel::Normal).ok_or("the tray icon does not decode")?)
        .with_tooltip(start_at_login::APP_NAME)
        .with_menu(Box::new(menu))
        .build()?;
    Ok(Tray {
        icon,
        status,
        start_at_login,
        start_at_login_policy,
        shown: None,
    })
}

/// The PNG of `level`'s icon: the same files the app's own tray showed.
fn png_of(level: TrayLevel) -> &'static [u8] {
    match level {
        TrayLevel::Normal => include_bytes!("../../../icons/tray/tray-normal.png"),
        TrayLevel::Warning => include_bytes!("../../../icons/tray/tray-warning.png"),
        TrayLevel::Error => include_bytes!("../../../icons/tray/tray-error.png"),
    }
}

fn icon_for(level: TrayLevel) -> Option<Icon> {
    let (rgba, width, height) = decode_rgba(png_of(level))?;
    Icon::from_rgba(rgba, width, height).ok()
}

/// An 8-bit RGBA PNG's pixels and size; `None` for any other PNG.
fn decode_rgba(bytes: &[u8]) -> Option<(Vec<u8>, u32, u32)> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .ok()?;
    let mut pixels = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut pixels).ok()?;
    if frame.color_type != png::ColorType::Rgba || frame.bit_depth != png::BitDepth::Eight {
        return None;
    }
    pixels.truncate(frame.buffer_size());
    Some((pixels, frame.width, frame.height))
}

/// `Ok` when there is a display to show the icon on, or the sentence that explains why not.
#[cfg(target_os = "linux")]
pub fn check_display() -> Result<(), String> {
    let named = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|variable| std::env::var_os(variable).is_some_and(|value| !value.is_empty()));
    if !named {
        return Err(
            "no display to show the tray icon on (neither DISPLAY nor WAYLAND_DISPLAY \
                    is set); start it from a desktop session"
                .to_owned(),
        );
    }
    // tao panics when GTK cannot connect; ask GTK first instead.
    gtk::init().map_err(|_| {
        "cannot connect to the display; check that the desktop session is running and that \
         this user may use it"
            .to_owned()
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

/// Says once, on stderr, when no `StatusNotifier` host is there to show the icon (GNOME without
/// the `AppIndicator` extension, a bare X server). The icon may still show in an `XEmbed` tray.
#[cfg(target_os = "linux")]
fn warn_without_status_notifier_host() {
    let has_host = zbus::blocking::Connection::session()
        .ok()
        .and_then(|connection| {
            let bus = zbus::blocking::fdo::DBusProxy::new(&connection).ok()?;
            let name = "org.kde.StatusNotifierWatcher".try_into().ok()?;
            bus.name_has_owner(name).ok()
        });
    if has_host != Some(true) {
        eprintln!(
            "{NAME}: this desktop shows no StatusNotifier tray icons (on GNOME, install the \
             AppIndicator extension); the icon may not be visible, and Rovo MCP Setup is \
             reached by launching it again"
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn warn_without_status_notifier_host() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_has_its_own_icon() {
        let pixels: Vec<_> = [TrayLevel::Normal, TrayLevel::Warning, TrayLevel::Error]
            .into_iter()
            .map(|level| {
                let decoded =
                    decode_rgba(png_of(level)).expect("each tray icon is an 8-bit RGBA PNG");
                assert_eq!(
                    (decoded.1, decoded.2),
                    (64, 64),
                    "{level:?}: the size the app's tray showed"
                );
                decoded.0
            })
            .collect();
        assert!(
            pixels[0] != pixels[1] && pixels[1] != pixels[2] && pixels[0] != pixels[2],
            "normal, amber and red differ"
        );
    }
}
