//! The tray and background care (issue 7): the icon and its menu, the scheduled check, the
//! desktop notifications, start at login, one running instance. What to say and when comes
//! from `rovo_mcp_core::care`; this module only shows it. The menu's actions are plain
//! functions of a [`Care`] so they are tested without a tray.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rovo_mcp_core::care::{self, CareOutcome, Schedule, TrayLevel, TrayStatus};
use rovo_mcp_core::clients::ClientEnvironment;
use rovo_mcp_core::policy::{self, Policy};
use rovo_mcp_core::secrets::{OsKeychain, SecretStore};
use rovo_mcp_core::start_at_login::{self, LoginItem as _, OsLoginItem};
use rovo_mcp_core::state::StateFile;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{App, AppHandle, Manager, RunEvent, Wry};
use tauri_plugin_notification::NotificationExt as _;

use crate::Launch;
use crate::wizard_context::WizardContext;

const TRAY_ID: &str = "main";
const WINDOW_LABEL: &str = "main";
const ROTATE_WINDOW_LABEL: &str = "rotate";
/// The flag start at login runs the app with.
const TRAY_FLAG: &str = "--tray";
/// How often the scheduler reads the clock and the state file. Reading the wall clock each
/// minute (rather than sleeping until the due time) survives suspend and clock changes.
const TICK: Duration = Duration::from_secs(60);

/// Everything the tray's actions need, with no Tauri in it.
pub struct Care {
    pub keychain: Box<dyn SecretStore + Send + Sync>,
    pub state: StateFile,
    pub policy: Policy,
}

impl std::fmt::Debug for Care {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Care")
            .field("state", &self.state)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Care {
    /// The care of this user's setup: the OS keychain, the state file and the policy in force
    /// (a policy that cannot be read is reported and the defaults are used).
    pub fn for_current_user() -> Option<Self> {
        let environment = ClientEnvironment::current()?;
        let policy = policy::load_policy(&environment).unwrap_or_else(|error| {
            eprintln!("rovo-mcp-setup: {error}; background checks use the defaults");
            Policy::default()
        });
        Some(Self {
            keychain: Box::new(OsKeychain::new()),
            state: StateFile::for_environment(&environment),
            policy,
        })
    }

    /// The menu's "Check now", and the scheduled check.
    pub async fn check_now(&self, now: DateTime<Utc>) -> CareOutcome {
        care::background_check(&*self.keychain, &self.state, &self.policy, now).await
    }

    /// The status line and icon from what is on record, without checking.
    pub fn status(&self, now: DateTime<Utc>) -> TrayStatus {
        care::current_status(&self.state, care::local_date(now))
    }

    /// Whether the scheduled check is due at `now`.
    pub fn check_due(&self, now: DateTime<Utc>) -> bool {
        let Ok(recorded) = self.state.load() else {
            return false;
        };
        care::next_check_due(&recorded, &Schedule::of(&self.policy), now)
            .is_some_and(|due| due <= now)
    }
}

/// The tray menu's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuAction {
    CheckNow,
    RotateToken,
    OpenSetup,
    StartAtLogin,
    Quit,
}

impl MenuAction {
    const ALL: [Self; 5] = [
        Self::CheckNow,
        Self::RotateToken,
        Self::OpenSetup,
        Self::StartAtLogin,
        Self::Quit,
    ];

    fn id(self) -> &'static str {
        match self {
            Self::CheckNow => "check-now",
            Self::RotateToken => "rotate-token",
            Self::OpenSetup => "open-setup",
            Self::StartAtLogin => "start-at-login",
            Self::Quit => "quit",
        }
    }

    /// The action of a menu item id; `None` for the status line and separators.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.id() == id)
    }
}

/// The tray's live parts, managed as app state.
struct Tray {
    icon: TrayIcon<Wry>,
    status: MenuItem<Wry>,
    start_at_login: CheckMenuItem<Wry>,
    /// The policy's `startAtLogin`, which decides whether the checkbox can be clicked.
    start_at_login_policy: Option<bool>,
    shown: Mutex<Option<TrayStatus>>,
}

/// Runs the app with the tray and background care.
pub trait RunWithTray {
    /// Adds the plugins (one instance first, so a second launch hands over before anything
    /// else starts), creates the tray and the window, and runs until Quit (or until the
    /// window closes, without a tray).
    /// The demo gets none of it: only its window, which must not hand over to (or be found
    /// by) a real instance, nor start at login.
    fn run_with_tray(self, context: tauri::Context<Wry>, launch: Launch) -> tauri::Result<()>;
}

impl RunWithTray for tauri::Builder<Wry> {
    fn run_with_tray(self, context: tauri::Context<Wry>, launch: Launch) -> tauri::Result<()> {
        let builder = if launch == Launch::Demo {
            self
        } else {
            plugins(self)
        };
        let app = builder
            .setup(move |app| {
                if launch == Launch::Demo {
                    open_demo(app.handle());
                } else {
                    setup(app, launch == Launch::TrayOnly);
                }
                Ok(())
            })
            .build(context)?;
        app.run(on_run_event);
        Ok(())
    }
}

fn plugins(builder: tauri::Builder<Wry>) -> tauri::Builder<Wry> {
    builder
        .plugin(tauri_plugin_single_instance::init(
            |app, arguments, _cwd| {
                // A second launch with `--tray` asks for what is already running: nothing to do.
                if !arguments.iter().any(|argument| argument == TRAY_FLAG) {
                    open_setup(app);
                }
            },
        ))
        .plugin(tauri_plugin_notification::init())
}

/// Creates the tray (when the desktop can show one) and the window (unless `tray_only` and a
/// tray exists), and starts the scheduled check.
fn setup(app: &App, tray_only: bool) {
    match OsLoginItem::for_this_app() {
        Ok(item) => {
            app.manage(StartAtLoginEntry(item));
        }
        Err(error) => eprintln!("rovo-mcp-setup: {error}"),
    }
    let care = Care::for_current_user().map(Arc::new);
    let policy_start_at_login = care
        .as_ref()
        .and_then(|care| care.policy.settings.start_at_login);
    // The policy's `startAtLogin: true` holds at every start, so an entry removed outside the
    // app comes back; before the tray is built, so its checkbox shows it on.
    if policy_start_at_login == Some(true)
        && let Some(error) = start_at_login::apply_policy_here(Some(true)).error
    {
        eprintln!("rovo-mcp-setup: {error}");
    }
    // The library's panic is expected and answered below in one sentence: no panic message
    // and backtrace on stderr meanwhile.
    let report_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build_tray(app, policy_start_at_login)
    }));
    std::panic::set_hook(report_panic);
    let tray = match built {
        Ok(Ok(tray)) => Some(tray),
        Ok(Err(error)) => {
            eprintln!("rovo-mcp-setup: no tray icon ({error}); the window stays the way in");
            None
        }
        // tray-icon loads libayatana-appindicator3 at run time and panics when it is missing.
        Err(_) => {
            eprintln!(
                "rovo-mcp-setup: no tray icon: the libayatana-appindicator3-1 library is not \
                 installed; the window stays the way in"
            );
            None
        }
    };
    if tray.is_some() {
        warn_without_status_notifier_host();
    }
    let has_tray = tray.is_some();
    if let Some(tray) = tray {
        app.manage(tray);
    }
    if !(tray_only && has_tray) {
        open_setup(app.handle());
    }
    if let Some(care) = care {
        let handle = app.handle().clone();
        refresh(&handle, &care.status(Utc::now()));
        tauri::async_runtime::spawn(scheduler(handle, care));
    }
}

/// Keeps the app running in the tray when its last window closes, if there is a tray. When the
/// app exits, lets a write in progress finish (a window closed mid-write must not cut it off)
/// and ends the demo (its server and sandbox).
/// How long quitting waits for a write in progress: writes take milliseconds, but one may wait
/// for the keychain to be unlocked, and quitting must not hang on that for ever.
const WRITE_PATIENCE_AT_EXIT: Duration = Duration::from_secs(10);

fn on_run_event(app: &AppHandle, event: RunEvent) {
    match event {
        RunEvent::ExitRequested {
            code: None, api, ..
        } if app.try_state::<Tray>().is_some() => api.prevent_exit(),
        RunEvent::Exit => {
            if let Some(context) = app.try_state::<WizardContext>() {
                context.wait_for_writes(WRITE_PATIENCE_AT_EXIT);
                context.end_demo();
            }
        }
        _ => {}
    }
}

/// `start_at_login_policy`: the policy's `startAtLogin`, which decides whether its item can be clicked.
fn build_tray(app: &App, start_at_login_policy: Option<bool>) -> tauri::Result<Tray> {
    let status = MenuItem::with_id(app, "status", "Rovo MCP", false, None::<&str>)?;
    let check_now = MenuItem::with_id(
        app,
        MenuAction::CheckNow.id(),
        "Check now",
        true,
        None::<&str>,
    )?;
    let rotate = MenuItem::with_id(
        app,
        MenuAction::RotateToken.id(),
        "Rotate token…",
        true,
        None::<&str>,
    )?;
    let open = MenuItem::with_id(
        app,
        MenuAction::OpenSetup.id(),
        "Open setup",
        true,
        None::<&str>,
    )?;
    let enabled = start_at_login_enabled(app.handle());
    let start_at_login = CheckMenuItem::with_id(
        app,
        MenuAction::StartAtLogin.id(),
        "Start at login",
        start_at_login::person_may_change(start_at_login_policy, enabled),
        enabled,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, MenuAction::Quit.id(), "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &status,
            &PredefinedMenuItem::separator(app)?,
            &check_now,
            &rotate,
            &open,
            &start_at_login,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let icon = TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon_for(TrayLevel::Normal)?)
        .tooltip("Rovo MCP Setup")
        .menu(&menu)
        .on_menu_event(|app, event| {
            if let Some(action) = MenuAction::from_id(event.id.as_ref()) {
                on_menu(app, action);
            }
        })
        .build(app)?;
    Ok(Tray {
        icon,
        status,
        start_at_login,
        start_at_login_policy,
        shown: Mutex::new(None),
    })
}

fn icon_for(level: TrayLevel) -> tauri::Result<Image<'static>> {
    let bytes: &'static [u8] = match level {
        TrayLevel::Normal => include_bytes!("../../icons/tray/tray-normal.png"),
        TrayLevel::Warning => include_bytes!("../../icons/tray/tray-warning.png"),
        TrayLevel::Error => include_bytes!("../../icons/tray/tray-error.png"),
    };
    Image::from_bytes(bytes)
}

fn on_menu(app: &AppHandle, action: MenuAction) {
    match action {
        MenuAction::CheckNow => {
            if let Some(care) = Care::for_current_user() {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    let outcome = care.check_now(Utc::now()).await;
                    show(&app, &outcome);
                });
            }
        }
        MenuAction::RotateToken => open_rotate(app),
        MenuAction::OpenSetup => open_setup(app),
        MenuAction::StartAtLogin => {
            let enabled = !start_at_login_enabled(app);
            // The item is disabled when the policy sets it; a policy installed since the tray
            // was built is still obeyed.
            let allowed = ClientEnvironment::current()
                .map_or(Ok(()), |environment| {
                    start_at_login::check_change(&environment, enabled)
                })
                .map_err(|error| error.to_string());
            if let Err(error) = allowed.and_then(|()| set_start_at_login(app, enabled)) {
                eprintln!("rovo-mcp-setup: start at login could not be changed: {error}");
                show_start_at_login(app);
            }
        }
        MenuAction::Quit => app.exit(0),
    }
}

/// This app's start-at-login entry, managed as app state everywhere but in the demo.
#[derive(Debug)]
pub struct StartAtLoginEntry(OsLoginItem);

/// Whether the tray starts at login now; `false` when the entry cannot be read.
pub fn start_at_login_enabled(app: &AppHandle) -> bool {
    app.try_state::<StartAtLoginEntry>()
        .is_some_and(|entry| entry.0.is_enabled().unwrap_or(false))
}

/// Turns start at login on or off (the last step's "keep me reminded", the tray's checkbox),
/// and makes the tray's checkbox show how it is now.
pub fn set_start_at_login(app: &AppHandle, enabled: bool) -> Result<(), String> {
    let Some(entry) = app.try_state::<StartAtLoginEntry>() else {
        return Err("start at login is unavailable here".to_owned());
    };
    let result = if enabled {
        entry.0.enable()
    } else {
        entry.0.disable()
    };
    show_start_at_login(app);
    result.map_err(|error| error.to_string())
}

/// Makes the tray's checkbox show how start at login is (a click has toggled it already).
fn show_start_at_login(app: &AppHandle) {
    if let Some(tray) = app.try_state::<Tray>() {
        let enabled = start_at_login_enabled(app);
        let _ = tray.start_at_login.set_checked(enabled);
        let _ = tray
            .start_at_login
            .set_enabled(start_at_login::person_may_change(
                tray.start_at_login_policy,
                enabled,
            ));
    }
}

/// Opens the demo's window, titled so that it is never mistaken for a real setup.
fn open_demo(app: &AppHandle) {
    open_setup(app);
    if let Some(window) = app.get_webview_window(WINDOW_LABEL) {
        let _ = window.set_title("Rovo MCP Setup (demo)");
    }
}

/// Shows the setup window, focusing it when it is open and creating it when it is not.
pub fn open_setup(app: &AppHandle) {
    open_window(app, WINDOW_LABEL);
}

/// Shows the "Rotate token…" window, focusing it when it is open and creating it when it is not.
pub fn open_rotate(app: &AppHandle) {
    open_window(app, ROTATE_WINDOW_LABEL);
}

/// Shows the window `label` of `tauri.conf.json`, creating it when it is not open.
fn open_window(app: &AppHandle, label: &str) {
    if let Some(window) = app.get_webview_window(label) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == label)
    else {
        return;
    };
    if let Err(error) = tauri::WebviewWindowBuilder::from_config(app, config)
        .and_then(tauri::WebviewWindowBuilder::build)
    {
        eprintln!("rovo-mcp-setup: the window could not be opened: {error}");
    }
}

/// The scheduled check: each tick, reads the clock and the state, checks when due, and
/// refreshes the icon when the state changed under it (the wizard finished, a file removed).
async fn scheduler(app: AppHandle, care: Arc<Care>) {
    let mut not_before: Option<DateTime<Utc>> = None;
    loop {
        let now = Utc::now();
        let waiting = not_before
            .is_some_and(|time| now < time && time - now <= care::RETRY_AFTER_INCONCLUSIVE);
        if !waiting && care.check_due(now) {
            let outcome = care.check_now(now).await;
            // A check that could not be recorded is not retried every minute.
            not_before = outcome
                .recorded
                .is_none()
                .then(|| now + care::RETRY_AFTER_INCONCLUSIVE);
            show(&app, &outcome);
        } else {
            refresh(&app, &care.status(now));
        }
        tokio::time::sleep(TICK).await;
    }
}

/// Shows a check's status and its notifications.
fn show(app: &AppHandle, outcome: &CareOutcome) {
    refresh(app, &outcome.status);
    for notice in &outcome.notices {
        let shown = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show();
        if let Err(error) = shown {
            eprintln!("rovo-mcp-setup: a notification could not be shown: {error}");
        }
    }
}

/// Puts `status` on the tray, when it differs from what is shown.
fn refresh(app: &AppHandle, status: &TrayStatus) {
    let Some(tray) = app.try_state::<Tray>() else {
        return;
    };
    let mut shown = tray
        .shown
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if shown.as_ref() == Some(status) {
        return;
    }
    let _ = tray.status.set_text(&status.line);
    let _ = tray.icon.set_tooltip(Some(&status.line));
    if shown.as_ref().map(|shown| shown.level) != Some(status.level)
        && let Ok(icon) = icon_for(status.level)
    {
        let _ = tray.icon.set_icon(Some(icon));
    }
    *shown = Some(status.clone());
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
            "rovo-mcp-setup: this desktop shows no StatusNotifier tray icons (on GNOME, install \
             the AppIndicator extension); the icon may not be visible, and Rovo MCP Setup is \
             reached by launching it again"
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn warn_without_status_notifier_host() {}

#[cfg(test)]
mod tests {
    use chrono::Duration as Span;
    use rovo_mcp_core::auth_method::AuthMethod;
    use rovo_mcp_core::credentials::prepare_credential;
    use rovo_mcp_core::probe::Verdict;
    use rovo_mcp_core::secrets::{InMemorySecretStore, Secret};
    use rovo_mcp_core::state::{CheckRecord, CredentialRecord, UnknownKeys};
    use rovo_test_support::mcp_server::{Grant, TestMcpServer};

    use super::*;

    const TOKEN: &str = "ATATT3xFfGF0-stand-in-token_0123456789=ABCDEF12";

    fn care_of(root: &std::path::Path, endpoint: &str, checked_at: DateTime<Utc>) -> Care {
        let keychain = InMemorySecretStore::default();
        keychain.store("service", &Secret::new(TOKEN)).unwrap();
        let state = StateFile::at(root.join("state.json"), root.join("backups"));
        state
            .update(|state| {
                state.record_credential(CredentialRecord {
                    auth: AuthMethod::Service,
                    email: None,
                    endpoint: endpoint.to_owned(),
                    keychain_account: "service".to_owned(),
                    expires_on: None,
                    stored_at: checked_at,
                    unknown: UnknownKeys::new(),
                });
                state.last_check = Some(CheckRecord {
                    at: checked_at,
                    verdict: Verdict::Ok,
                    message: None,
                    unknown: UnknownKeys::new(),
                });
            })
            .unwrap();
        Care {
            keychain: Box::new(keychain),
            state,
            policy: Policy::default(),
        }
    }

    #[test]
    fn every_menu_id_maps_back_to_its_action() {
        for action in MenuAction::ALL {
            assert_eq!(MenuAction::from_id(action.id()), Some(action));
        }
        assert_eq!(
            MenuAction::from_id("status"),
            None,
            "the status line does nothing"
        );
    }

    #[tokio::test]
    async fn check_now_probes_the_setup_on_record_and_the_icon_follows() {
        let header = prepare_credential(AuthMethod::Service, None, &Secret::new(TOKEN))
            .unwrap()
            .authorization()
            .expose()
            .to_owned();
        let server = TestMcpServer::start([(header.clone(), Grant::FullScope)])
            .await
            .unwrap();
        let root = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let care = care_of(root.path(), server.url(), now);

        assert!(!care.check_due(now), "checked just now: the schedule waits");
        assert!(
            care.check_due(now + Span::hours(24)),
            "a day later it is due"
        );
        let ok = care.check_now(now).await;
        assert_eq!(ok.status.level, TrayLevel::Normal, "{ok:?}");
        assert_eq!(
            care.status(now),
            ok.status,
            "the status on record is what the check said"
        );

        server.revoke(header);
        let rejected = care.check_now(now + Span::minutes(1)).await;
        assert_eq!(rejected.status.level, TrayLevel::Error);
        assert_eq!(
            rejected.notices.len(),
            1,
            "the change is announced: {rejected:?}"
        );
        let again = care.check_now(now + Span::minutes(2)).await;
        assert!(again.notices.is_empty(), "once: {again:?}");
    }
}
