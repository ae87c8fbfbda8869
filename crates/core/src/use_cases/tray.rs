//! The tray's model, without a toolkit: what its menu holds, which window an item opens, when
//! the scheduled check runs, and the lock that keeps one tray running. The tray process
//! (`crates/tray`) only shows it; what to say and when comes from [`crate::use_cases::care`].

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::domain::clients::ClientEnvironment;
use crate::domain::policy::{self, Policy};
use crate::domain::secrets::{OsKeychain, SecretStore};
use crate::plumbing::state::StateFile;
use crate::use_cases::care::{self, CareOutcome, Schedule, TrayStatus};

/// Everything the tray's actions need.
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

/// When the scheduled check runs: when it is due, except within the hour after a check that
/// could not be recorded, which the state file cannot remember and which must not be retried
/// every minute.
#[derive(Debug, Default)]
pub struct CheckTimer {
    not_before: Option<DateTime<Utc>>,
}

impl CheckTimer {
    /// Whether to check at `now`; `due` (which reads the state file) is asked only when the
    /// timer is not holding back.
    pub fn should_check(&self, now: DateTime<Utc>, due: impl FnOnce() -> bool) -> bool {
        // A `not_before` further off than the retry delay means the clock went back: not held.
        let holding = self
            .not_before
            .is_some_and(|time| now < time && time - now <= care::RETRY_AFTER_INCONCLUSIVE);
        !holding && due()
    }

    /// Notes the check just made at `now`.
    pub fn checked(&mut self, outcome: &CareOutcome, now: DateTime<Utc>) {
        self.not_before = outcome
            .recorded
            .is_none()
            .then(|| now + care::RETRY_AFTER_INCONCLUSIVE);
    }
}

/// The tray menu's entries, top to bottom, after the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuAction {
    CheckNow,
    RotateToken,
    OpenSetup,
    StartAtLogin,
    Quit,
}

impl MenuAction {
    pub const ALL: [Self; 5] = [
        Self::CheckNow,
        Self::RotateToken,
        Self::OpenSetup,
        Self::StartAtLogin,
        Self::Quit,
    ];

    /// The menu item's id.
    pub fn id(self) -> &'static str {
        match self {
            Self::CheckNow => "check-now",
            Self::RotateToken => "rotate-token",
            Self::OpenSetup => "open-setup",
            Self::StartAtLogin => "start-at-login",
            Self::Quit => "quit",
        }
    }

    /// The menu item's text.
    pub fn label(self) -> &'static str {
        match self {
            Self::CheckNow => "Check now",
            Self::RotateToken => "Rotate token…",
            Self::OpenSetup => "Open setup",
            Self::StartAtLogin => "Start at login",
            Self::Quit => "Quit",
        }
    }

    /// The action of a menu item id; `None` for the status line and separators.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.id() == id)
    }

    /// The window the item opens, if it opens one.
    pub fn window(self) -> Option<Window> {
        match self {
            Self::RotateToken => Some(Window::Rotate),
            Self::OpenSetup => Some(Window::Setup),
            Self::CheckNow | Self::StartAtLogin | Self::Quit => None,
        }
    }
}

/// A window of the app, which the tray opens by starting the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Setup,
    Rotate,
}

impl Window {
    /// The app's arguments that open this window (in the running app, if one is open).
    pub fn arguments(self) -> &'static [&'static str] {
        match self {
            Self::Setup => &[],
            Self::Rotate => &["--rotate"],
        }
    }
}

/// The lock held by the running tray for as long as it runs; the system drops it when the
/// process ends, however it ends, so a crash leaves nothing to clean up.
#[derive(Debug)]
pub struct InstanceLock {
    /// Never read: holding the open file is what holds the lock.
    _file: File,
}

impl InstanceLock {
    /// The lock file of the tray in `environment`, beside the state file.
    pub fn path(environment: &ClientEnvironment) -> PathBuf {
        environment.app_config(&[crate::APP_IDENTIFIER, "tray.lock"])
    }

    /// Takes the lock at `path`; `Ok(None)` when another process holds it.
    ///
    /// # Errors
    /// When the lock file cannot be made or locked.
    pub fn acquire(path: &Path) -> std::io::Result<Option<Self>> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(error)) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration as Span;
    use rovo_stand_in::{Grant, StandInServer};

    use super::*;
    use crate::domain::auth_method::AuthMethod;
    use crate::domain::credentials::prepare_credential;
    use crate::domain::probe::Verdict;
    use crate::domain::secrets::{InMemorySecretStore, Secret};
    use crate::plumbing::state::{CheckRecord, CredentialRecord, UnknownKeys};
    use crate::use_cases::care::TrayLevel;

    const TOKEN: &str = "ATATT3xFfGF0-stand-in-token_0123456789=ABCDEF12";

    fn care_of(root: &Path, endpoint: &str, checked_at: DateTime<Utc>) -> Care {
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
                    oauth: None,
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

    fn outcome(recorded: bool, at: DateTime<Utc>) -> CareOutcome {
        CareOutcome {
            status: TrayStatus {
                level: TrayLevel::Normal,
                line: "Rovo MCP".to_owned(),
            },
            notices: Vec::new(),
            recorded: recorded.then(|| CheckRecord {
                at,
                verdict: Verdict::Ok,
                message: None,
                unknown: UnknownKeys::new(),
            }),
        }
    }

    #[test]
    fn every_menu_id_maps_back_to_its_action() {
        for action in MenuAction::ALL {
            assert_eq!(
                MenuAction::from_id(action.id()),
                Some(action),
                "{action:?} is found by its own id"
            );
        }
        assert_eq!(
            MenuAction::from_id("status"),
            None,
            "the status line does nothing"
        );
    }

    #[test]
    fn only_rotate_and_open_setup_start_a_window() {
        assert_eq!(MenuAction::OpenSetup.window(), Some(Window::Setup));
        assert_eq!(
            Window::Setup.arguments(),
            &[] as &[&str],
            "the plain launch opens the setup"
        );
        assert_eq!(MenuAction::RotateToken.window(), Some(Window::Rotate));
        assert_eq!(Window::Rotate.arguments(), &["--rotate"]);
        for action in [
            MenuAction::CheckNow,
            MenuAction::StartAtLogin,
            MenuAction::Quit,
        ] {
            assert_eq!(action.window(), None, "{action:?} runs in the tray itself");
        }
    }

    #[test]
    fn after_a_check_that_was_not_recorded_the_timer_holds_back_an_hour() {
        let now = Utc::now();
        let mut timer = CheckTimer::default();
        assert!(
            timer.should_check(now, || true),
            "due and never held: check"
        );
        assert!(!timer.should_check(now, || false), "not due: wait");

        timer.checked(&outcome(false, now), now);
        assert!(
            !timer.should_check(now + Span::minutes(59), || true),
            "due by the state file, but held for the hour after an inconclusive check"
        );
        assert!(
            timer.should_check(now + Span::minutes(60), || true),
            "the hour is over: check again"
        );
        assert!(
            timer.should_check(now - Span::hours(3), || true),
            "the clock went back further than the delay: not held"
        );

        timer.checked(&outcome(true, now), now);
        assert!(
            timer.should_check(now + Span::minutes(1), || true),
            "a recorded check holds nothing back: the state file's schedule decides"
        );
    }

    #[test]
    fn one_process_holds_the_lock_until_it_lets_go() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("config/tray.lock");
        let first = InstanceLock::acquire(&path).unwrap();
        assert!(first.is_some(), "the first tray takes the lock");
        assert!(
            InstanceLock::acquire(&path).unwrap().is_none(),
            "a second tray finds it taken and ends quietly"
        );
        drop(first);
        assert!(
            InstanceLock::acquire(&path).unwrap().is_some(),
            "once the first ends, the next start takes it"
        );
    }

    #[tokio::test]
    async fn check_now_probes_the_setup_on_record_and_the_icon_follows() {
        let header = prepare_credential(AuthMethod::Service, None, &Secret::new(TOKEN))
            .unwrap()
            .authorization()
            .expose()
            .to_owned();
        let server = StandInServer::start([(header.clone(), Grant::FullScope)])
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
        assert_eq!(
            ok.status.level,
            TrayLevel::Normal,
            "a working token: {ok:?}"
        );
        assert_eq!(
            care.status(now),
            ok.status,
            "the status on record is what the check said"
        );

        server.revoke(header);
        let rejected = care.check_now(now + Span::minutes(1)).await;
        assert_eq!(
            rejected.status.level,
            TrayLevel::Error,
            "a revoked token turns the icon red"
        );
        assert_eq!(
            rejected.notices.len(),
            1,
            "the change is announced: {rejected:?}"
        );
        let again = care.check_now(now + Span::minutes(2)).await;
        assert!(again.notices.is_empty(), "once: {again:?}");
    }
}
