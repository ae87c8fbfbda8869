//! Start at login for the tray, and the policy's `startAtLogin`: the one entry `configure`, the
//! window's "Keep me reminded" and the tray's "Start at login" all read and change. On Linux it
//! is an XDG autostart file written here, its `Exec` line quoted as the Desktop Entry spec asks
//! (so a path with spaces still starts) and placed under `$XDG_CONFIG_HOME`; on macOS (a launch
//! agent) and Windows (the `Run` key) it is made by the `auto-launch` crate.
//!
//! What the policy does is decided over [`LoginItem`], so it is tested without touching the
//! desktop; [`OsLoginItem`] is the real entry.

#[cfg(target_os = "linux")]
use std::path::Path;
use std::path::PathBuf;

use serde::Serialize;

use crate::domain::clients::ClientEnvironment;
use crate::domain::policy::load_policy;
use crate::{Error, ErrorKind, Result};

/// The entry's name: the app's product name, which the plugin uses (`tauri.conf.json`'s
/// `productName`). On Linux it names `~/.config/autostart/Rovo MCP Setup.desktop`.
pub const APP_NAME: &str = "Rovo MCP Setup";

/// What start at login runs the app with: only the tray (design §7).
pub const TRAY_ARGS: [&str; 1] = ["--tray"];

/// A start-at-login entry that can be read and turned on.
pub trait LoginItem {
    /// Whether the entry is there.
    ///
    /// # Errors
    /// When the desktop's settings cannot be read.
    fn is_enabled(&self) -> Result<bool>;

    /// Adds the entry (or rewrites it with this app's path).
    ///
    /// # Errors
    /// When the desktop refused the entry.
    fn enable(&self) -> Result<()>;

    /// Removes the entry; one that is not there is fine.
    ///
    /// # Errors
    /// When the desktop refused the change.
    fn disable(&self) -> Result<()>;
}

/// This app's entry in the desktop's login items.
#[derive(Debug)]
pub struct OsLoginItem(LoginEntry);

#[derive(Debug)]
enum LoginEntry {
    /// The XDG autostart file and the `Exec` value it runs.
    #[cfg(target_os = "linux")]
    Xdg { file: PathBuf, exec: String },
    #[cfg(not(target_os = "linux"))]
    AutoLaunch(auto_launch::AutoLaunch),
}

fn unavailable(error: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("start at login is unavailable: {error}"),
    )
}

impl OsLoginItem {
    /// The entry for the running binary (the app beside it when the tray runs: see
    /// [`login_program`]), or for the file `$APPIMAGE` names when the app runs from one: the
    /// binary's own path is then a mount that is gone after logout.
    ///
    /// # Errors
    /// `internal` when this binary's path or the home folder is unknown, or the platform has no
    /// login items.
    pub fn for_this_app() -> Result<Self> {
        let exe = std::env::current_exe().map_err(|error| unavailable(&error))?;
        let exe = login_program(exe);
        #[cfg(target_os = "linux")]
        {
            let environment = ClientEnvironment::current()
                .ok_or_else(|| unavailable(&"the home folder is unknown (HOME is not set)"))?;
            let program = std::env::var_os("APPIMAGE")
                .filter(|path| !path.is_empty())
                .map_or(exe, PathBuf::from);
            Ok(Self::xdg(&environment, &program))
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut builder = auto_launch::AutoLaunchBuilder::new();
            builder.set_app_name(APP_NAME).set_args(&TRAY_ARGS);
            #[cfg(target_os = "macos")]
            {
                let exe = exe.canonicalize().map_err(|error| unavailable(&error))?;
                builder
                    .set_macos_launch_mode(auto_launch::MacOSLaunchMode::LaunchAgent)
                    .set_app_path(&exe.display().to_string());
            }
            #[cfg(not(target_os = "macos"))]
            builder.set_app_path(&exe.display().to_string());
            builder
                .build()
                .map(|entry| Self(LoginEntry::AutoLaunch(entry)))
                .map_err(|error| unavailable(&error))
        }
    }

    /// The XDG autostart entry that starts `program` in the tray, in `environment`'s
    /// `$XDG_CONFIG_HOME/autostart` (`~/.config/autostart` when that is not set).
    #[cfg(target_os = "linux")]
    pub fn xdg(environment: &ClientEnvironment, program: &Path) -> Self {
        let arguments = std::iter::once(program.to_string_lossy().into_owned())
            .chain(TRAY_ARGS.iter().map(|&argument| argument.to_owned()));
        Self(LoginEntry::Xdg {
            file: environment.xdg_config(&["autostart", &format!("{APP_NAME}.desktop")]),
            exec: arguments
                .map(|argument| exec_argument(&argument))
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

/// What the entry runs when `exe` makes it: the app beside the tray executable rather than the
/// tray itself, so the entry is the same whichever of them wrote it, and entries made before
/// the tray had its own executable stay current. The app hands `--tray` over to the tray.
pub fn login_program(exe: PathBuf) -> PathBuf {
    let is_tray = exe
        .file_stem()
        .is_some_and(|stem| stem == crate::cli::TRAY_BINARY);
    match crate::cli::sibling_binary(&exe, crate::cli::APP_BINARY) {
        Some(app) if is_tray && app.is_file() => app,
        _ => exe,
    }
}

/// One argument of a desktop entry's `Exec` key: quoted when it holds a character the
/// Desktop Entry spec reserves, with `"`, `` ` ``, `$` and `\` escaped inside the quotes; then
/// escaped once more as a string value (`\` doubled) and with `%` doubled, since `%` starts a
/// field code.
#[cfg(target_os = "linux")]
fn exec_argument(argument: &str) -> String {
    const RESERVED: &[char] = &[
        ' ', '\t', '\n', '"', '\'', '\\', '>', '<', '~', '|', '&', ';', '$', '*', '?', '#', '(',
        ')', '`',
    ];
    let quoted = if argument.is_empty() || argument.contains(RESERVED) {
        let mut quoted = String::from("\"");
        for character in argument.chars() {
            if matches!(character, '"' | '`' | '$' | '\\') {
                quoted.push('\\');
            }
            quoted.push(character);
        }
        quoted.push('"');
        quoted
    } else {
        argument.to_owned()
    };
    quoted.replace('\\', "\\\\").replace('%', "%%")
}

fn desktop_error(what: &str, error: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("start at login could not be {what}: {error}"),
    )
}

impl LoginItem for OsLoginItem {
    fn is_enabled(&self) -> Result<bool> {
        match &self.0 {
            #[cfg(target_os = "linux")]
            LoginEntry::Xdg { file, .. } => file
                .try_exists()
                .map_err(|error| desktop_error("read", &format!("`{}`: {error}", file.display()))),
            #[cfg(not(target_os = "linux"))]
            LoginEntry::AutoLaunch(entry) => entry
                .is_enabled()
                .map_err(|error| desktop_error("read", &error)),
        }
    }

    fn enable(&self) -> Result<()> {
        match &self.0 {
            #[cfg(target_os = "linux")]
            LoginEntry::Xdg { file, exec } => write_desktop_entry(file, exec).map_err(|error| {
                desktop_error("turned on", &format!("`{}`: {error}", file.display()))
            }),
            #[cfg(not(target_os = "linux"))]
            LoginEntry::AutoLaunch(entry) => entry
                .enable()
                .map_err(|error| desktop_error("turned on", &error)),
        }
    }

    fn disable(&self) -> Result<()> {
        match &self.0 {
            #[cfg(target_os = "linux")]
            LoginEntry::Xdg { file, .. } => match std::fs::remove_file(file) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(desktop_error(
                    "turned off",
                    &format!("`{}`: {error}", file.display()),
                )),
                _ => Ok(()),
            },
            #[cfg(not(target_os = "linux"))]
            LoginEntry::AutoLaunch(entry) => entry
                .disable()
                .map_err(|error| desktop_error("turned off", &error)),
        }
    }
}

/// Writes the autostart file whole or not at all: a desktop session reading it at login never
/// sees half an entry.
#[cfg(target_os = "linux")]
fn write_desktop_entry(file: &Path, exec: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let folder = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".autostart")
        .tempfile_in(folder)?;
    write!(
        temp,
        "[Desktop Entry]\n\
         Type=Application\n\
         Version=1.0\n\
         Name={APP_NAME}\n\
         Comment=Checks the Atlassian Rovo MCP token in the background and reminds before it expires\n\
         Exec={exec}\n\
         StartupNotify=false\n\
         Terminal=false\n"
    )?;
    temp.as_file().sync_all()?;
    temp.persist(file).map_err(|error| error.error)?;
    Ok(())
}

/// Who made start at login the way it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DecidedBy {
    /// The policy's `startAtLogin`: on because it is `true`, off because it is `false`.
    Policy,
    /// The person (the last step of the window, the tray menu), or nobody yet.
    User,
}

/// Start at login after [`apply_policy`], as `configure --json` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartAtLoginReport {
    /// Whether the tray starts at login now.
    pub enabled: bool,
    pub by: DecidedBy,
    /// The policy's `startAtLogin`, `None` when it does not set it.
    pub policy: Option<bool>,
    /// Whether this run turned it on.
    pub changed: bool,
    /// Why it could not be read or turned on as the policy asks.
    pub error: Option<String>,
}

impl StartAtLoginReport {
    /// One line for the human output.
    pub fn text(&self) -> String {
        if let Some(error) = &self.error {
            return format!("warning: {error}");
        }
        match (self.policy, self.enabled, self.changed) {
            (Some(true), _, true) => "start at login: turned on, as the policy asks".to_owned(),
            (Some(true), _, false) => "start at login: on, as the policy asks".to_owned(),
            (Some(false), true, _) => "start at login: on, as the person set it before; the \
                                       policy turns it on for no one, so it was left alone"
                .to_owned(),
            (Some(false), false, _) => "start at login: off, as the policy asks".to_owned(),
            (None, true, _) => "start at login: on".to_owned(),
            (None, false, _) => "start at login: off (the app's last step or tray menu turns \
                                 it on, for expiry reminders)"
                .to_owned(),
        }
    }
}

/// Applies the policy's `startAtLogin` after a setup: `true` turns the entry on when it is
/// off; `false` and no key change nothing, so neither the installers nor `configure` ever add
/// an entry nobody asked for, and an entry the person made stays theirs to remove.
pub fn apply_policy(policy: Option<bool>, item: &dyn LoginItem) -> StartAtLoginReport {
    let before = item.is_enabled();
    let (enabled, changed, error) = match (policy, before) {
        (Some(true), Ok(true)) => (true, false, None),
        // Turning on rewrites the entry whole, so it is safe even when it could not be read.
        (Some(true), Ok(false) | Err(_)) => match item.enable() {
            Ok(()) => (true, true, None),
            Err(error) => (false, false, Some(error.message().to_owned())),
        },
        (_, Ok(enabled)) => (enabled, false, None),
        (_, Err(error)) => (false, false, Some(error.message().to_owned())),
    };
    let by = if policy == Some(enabled) || (policy == Some(true) && error.is_some()) {
        DecidedBy::Policy
    } else {
        DecidedBy::User
    };
    StartAtLoginReport {
        enabled,
        by,
        policy,
        changed,
        error,
    }
}

/// [`apply_policy`] to this app's own entry; an entry that cannot even be made is reported
/// the same way, never fatal (the setup it follows is done).
pub fn apply_policy_here(policy: Option<bool>) -> StartAtLoginReport {
    match OsLoginItem::for_this_app() {
        Ok(item) => apply_policy(policy, &item),
        Err(error) => StartAtLoginReport {
            enabled: false,
            by: if policy == Some(true) {
                DecidedBy::Policy
            } else {
                DecidedBy::User
            },
            policy,
            changed: false,
            error: Some(error.message().to_owned()),
        },
    }
}

/// Whether the person may flip start at login from `enabled`, under the policy's
/// `startAtLogin`: `true` keeps it on; `false` never lets it be turned on, but an entry they made
/// before stays theirs to turn off. What [`check_change`] allows, for a checkbox to show.
pub fn person_may_change(policy: Option<bool>, enabled: bool) -> bool {
    match policy {
        None => true,
        Some(true) => false,
        Some(false) => enabled,
    }
}

/// Refuses turning start at login on or off against the policy in force: what the window's
/// "Keep me reminded" and the tray's "Start at login" ask before changing it.
///
/// # Errors
/// `invalid_input` naming the policy when it locks the other way, or cannot be read.
pub fn check_change(environment: &ClientEnvironment, enabled: bool) -> Result<()> {
    load_policy(environment)?.check_start_at_login(enabled)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    /// A login item in memory, which can be told to fail.
    struct FakeItem {
        enabled: Cell<bool>,
        enables: Cell<u32>,
        refuse: bool,
    }

    impl FakeItem {
        fn new(enabled: bool) -> Self {
            Self {
                enabled: Cell::new(enabled),
                enables: Cell::new(0),
                refuse: false,
            }
        }
    }

    impl LoginItem for FakeItem {
        fn is_enabled(&self) -> Result<bool> {
            Ok(self.enabled.get())
        }

        fn enable(&self) -> Result<()> {
            self.enables.set(self.enables.get() + 1);
            if self.refuse {
                return Err(Error::new(
                    ErrorKind::Internal,
                    "start at login could not be turned on: read-only home",
                ));
            }
            self.enabled.set(true);
            Ok(())
        }

        fn disable(&self) -> Result<()> {
            self.enabled.set(false);
            Ok(())
        }
    }

    #[test]
    fn the_tray_makes_the_entry_run_the_app_beside_it() {
        let folder = tempfile::tempdir().unwrap();
        let named = |name: &str| {
            folder
                .path()
                .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
        };
        let (tray, app) = (
            named(crate::cli::TRAY_BINARY),
            named(crate::cli::APP_BINARY),
        );
        assert_eq!(
            login_program(tray.clone()),
            tray,
            "before: no app beside the tray, so the tray itself is what can start"
        );
        std::fs::write(&app, "").unwrap();
        assert_eq!(
            login_program(tray),
            app,
            "after: the app beside it, as every other entry names it"
        );
        assert_eq!(login_program(app.clone()), app, "the app names itself");
    }

    #[test]
    fn under_a_policy_of_false_an_entry_from_before_can_be_turned_off_but_never_on() {
        assert!(person_may_change(None, false) && person_may_change(None, true));
        assert!(
            !person_may_change(Some(true), true),
            "the policy's true keeps it on"
        );
        assert!(
            person_may_change(Some(false), true),
            "the person's own entry can be turned off"
        );
        assert!(
            !person_may_change(Some(false), false),
            "and never turned on again"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_path_with_spaces_or_reserved_characters_is_quoted_in_exec() {
        for (path, exec) in [
            ("/usr/bin/rovo-mcp-setup", "/usr/bin/rovo-mcp-setup"),
            (
                "/home/me/My Apps/Rovo MCP Setup.AppImage",
                "\"/home/me/My Apps/Rovo MCP Setup.AppImage\"",
            ),
            ("/opt/a$b/app", "\"/opt/a\\\\$b/app\""),
            ("/opt/100%/app", "/opt/100%%/app"),
        ] {
            assert_eq!(
                exec_argument(path),
                exec,
                "`{path}` is written so the desktop runs exactly it"
            );
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_autostart_file_goes_under_xdg_config_home_and_is_turned_on_and_off() {
        let root = tempfile::tempdir().unwrap();
        let config = root.path().join("elsewhere");
        let config_text = config.to_string_lossy().into_owned();
        let environment = ClientEnvironment::new(
            crate::domain::clients::Os::Linux,
            root.path().join("home"),
            [("XDG_CONFIG_HOME", config_text.as_str())],
        );
        let item = OsLoginItem::xdg(&environment, Path::new("/home/me/My Apps/rovo-mcp-setup"));
        let file = config.join("autostart/Rovo MCP Setup.desktop");

        assert!(!item.is_enabled().unwrap(), "no entry before");
        item.enable().unwrap();
        let text = std::fs::read_to_string(&file).expect("the entry is under $XDG_CONFIG_HOME");
        assert!(
            text.lines()
                .any(|line| line == "Exec=\"/home/me/My Apps/rovo-mcp-setup\" --tray"),
            "the entry starts the quoted path in the tray: {text}"
        );
        assert!(item.is_enabled().unwrap(), "on after enable");
        item.disable().unwrap();
        assert!(!file.exists(), "off removes the file");
        item.disable()
            .expect("turning off what is already off is fine");
    }

    #[test]
    fn a_policy_that_says_true_turns_it_on_once() {
        let item = FakeItem::new(false);

        let first = apply_policy(Some(true), &item);
        let again = apply_policy(Some(true), &item);

        assert!(
            first.enabled && first.changed && first.by == DecidedBy::Policy,
            "off before: turned on by the policy: {first:?}"
        );
        assert!(
            again.enabled && !again.changed,
            "a second run finds it on and changes nothing: {again:?}"
        );
        assert_eq!(item.enables.get(), 1, "the entry is written once");
    }

    #[test]
    fn no_key_or_false_never_turns_it_on() {
        for policy in [None, Some(false)] {
            let item = FakeItem::new(false);

            let report = apply_policy(policy, &item);

            assert_eq!(item.enables.get(), 0, "{policy:?}: nothing is written");
            assert!(!report.enabled && !report.changed, "{report:?}");
        }
        assert_eq!(
            apply_policy(Some(false), &FakeItem::new(false)).by,
            DecidedBy::Policy,
            "off because the policy says so"
        );
        assert_eq!(
            apply_policy(None, &FakeItem::new(false)).by,
            DecidedBy::User,
            "without the key it is the person's to choose"
        );
    }

    #[test]
    fn false_leaves_an_existing_entry_alone_and_says_so() {
        let item = FakeItem::new(true);

        let report = apply_policy(Some(false), &item);

        assert!(
            report.enabled && !report.changed,
            "the person's entry stays: {report:?}"
        );
        assert_eq!(report.by, DecidedBy::User, "it is the person's entry");
        assert!(
            report.text().contains("left alone"),
            "the text says why it is still on: {}",
            report.text()
        );
    }

    #[test]
    fn a_change_is_checked_against_the_policy_in_force() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("policy.json");
        std::fs::write(
            &path,
            r#"{ "organization": { "name": "Example Corp" }, "startAtLogin": false }"#,
        )
        .unwrap();
        let path = path.to_string_lossy().into_owned();
        let environment = ClientEnvironment::new(
            crate::domain::clients::Os::Linux,
            root.path(),
            [("ROVO_MCP_POLICY", path.as_str())],
        );

        let error = check_change(&environment, true).expect_err("the policy says never");

        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(
            error.message().contains("Example Corp's policy") && error.message().contains(&path),
            "the organisation and the file are named: {error}"
        );
        assert!(
            check_change(&environment, false).is_ok(),
            "turning it off agrees with the policy"
        );
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(
            check_change(&environment, false).map_err(|error| error.kind()),
            Err(ErrorKind::InvalidInput),
            "a policy that cannot be read allows no change either"
        );
    }

    #[test]
    fn a_refused_entry_is_reported_not_hidden() {
        let item = FakeItem {
            refuse: true,
            ..FakeItem::new(false)
        };

        let report = apply_policy(Some(true), &item);

        assert!(!report.enabled, "still off: {report:?}");
        assert_eq!(
            report.error.as_deref(),
            Some("start at login could not be turned on: read-only home"),
            "the desktop's reason is kept"
        );
        assert!(report.text().starts_with("warning: "), "{}", report.text());
    }
}
