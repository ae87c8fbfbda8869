//! Background care against the stand-in server: notifications fire once per event across
//! repeated checks, a laptop asleep past reminders gets one, no network is "couldn't check",
//! a revoked token is announced once, a locked keychain and a removed state file are status
//! lines. Only loopback is used; the keychain is in memory.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::prepare_credential;
use rovo_mcp_core::domain::policy::Policy;
use rovo_mcp_core::domain::probe::Verdict;
use rovo_mcp_core::domain::reminders::ExpiryEvent;
use rovo_mcp_core::domain::secrets::{InMemorySecretStore, Secret, SecretStore};
use rovo_mcp_core::plumbing::state::{
    AppState, CheckRecord, CredentialRecord, OauthClientRecord, StateFile, UnknownKeys,
};
use rovo_mcp_core::use_cases::care::{
    CareOutcome, NoticeEvent, Schedule, TrayLevel, background_check, local_date, next_check_due,
    tray_status,
};
use rovo_stand_in::{Grant, StandInServer, TokenAnswer};
use rovo_test_support::leak_scan;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const ACCOUNT: &str = "personal:me@example.com";

struct Sandbox {
    _root: tempfile::TempDir,
    state: StateFile,
    keychain: InMemorySecretStore,
}

/// Every check in these tests logs at trace level into the suite's captures, for the final
/// leak scan; each test starts from this header.
fn header() -> String {
    rovo_mcp_core::plumbing::logging::init_with(
        Some("trace"),
        Some(leak_scan::in_process_log_file()),
        false,
    );
    prepare_credential(AuthMethod::Personal, Some(EMAIL), &Secret::new(TOKEN))
        .unwrap()
        .authorization()
        .expose()
        .to_owned()
}

fn noon(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(12, 0, 0).unwrap().and_utc()
}

/// A setup on record against `endpoint`, checked `ok` at `set_up_at`, expiring `expires_in`
/// days after that day.
fn set_up(endpoint: &str, set_up_at: DateTime<Utc>, expires_in: Option<u64>) -> Sandbox {
    let root = tempfile::tempdir().unwrap();
    let state = StateFile::at(
        root.path().join("config/state.json"),
        root.path().join("backups"),
    );
    let keychain = InMemorySecretStore::default();
    keychain.store(ACCOUNT, &Secret::new(TOKEN)).unwrap();
    state
        .update(|state| {
            state.record_credential(CredentialRecord {
                auth: AuthMethod::Personal,
                email: Some(EMAIL.to_owned()),
                endpoint: endpoint.to_owned(),
                keychain_account: ACCOUNT.to_owned(),
                expires_on: expires_in.map(|days| local_date(set_up_at) + Days::new(days)),
                stored_at: set_up_at,
                oauth: None,
                unknown: UnknownKeys::new(),
            });
            state.last_check = Some(CheckRecord {
                at: set_up_at,
                verdict: Verdict::Ok,
                message: None,
                unknown: UnknownKeys::new(),
            });
        })
        .unwrap();
    Sandbox {
        _root: root,
        state,
        keychain,
    }
}

async fn check(sandbox: &Sandbox, now: DateTime<Utc>) -> CareOutcome {
    background_check(&sandbox.keychain, &sandbox.state, &Policy::default(), now).await
}

fn events(outcome: &CareOutcome) -> Vec<NoticeEvent> {
    outcome.notices.iter().map(|notice| notice.event).collect()
}

async fn full_scope_server() -> StandInServer {
    StandInServer::start([(header(), Grant::FullScope)])
        .await
        .unwrap()
}

/// A loopback URL where nothing listens: connecting is refused at once, as with no network.
fn nowhere() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/v2/mcp")
}

#[tokio::test]
async fn a_healthy_setup_is_ok_quietly_and_its_reminders_fire_once_each() {
    let server = full_scope_server().await;
    let start = noon("2027-03-01".parse().unwrap());
    let sandbox = set_up(server.url(), start, Some(20));

    let first = check(&sandbox, start).await;
    assert_eq!(first.status.level, TrayLevel::Normal, "{first:?}");
    assert_eq!(first.status.line, "Rovo MCP: OK · expires in 20 days");
    assert!(
        first.notices.is_empty(),
        "ok after ok is no news: {first:?}"
    );
    assert_eq!(
        first.recorded.as_ref().map(|check| check.verdict),
        Some(Verdict::Ok)
    );

    // Six days later, 14 days left: the first reminder, once, however often it checks.
    let day_six = start + Duration::days(6);
    let reminded = check(&sandbox, day_six).await;
    assert_eq!(
        events(&reminded),
        [NoticeEvent::Expiry(ExpiryEvent::ExpiresWithin(14))]
    );
    assert_eq!(
        reminded.notices[0].title,
        "Your Atlassian token expires in 14 days"
    );
    assert_eq!(
        reminded.status.level,
        TrayLevel::Warning,
        "two weeks left shows as a warning"
    );
    for hours in [1, 5, 30] {
        let again = check(&sandbox, day_six + Duration::hours(hours)).await;
        assert!(
            again.notices.is_empty(),
            "a check {hours} h later announces nothing: {again:?}"
        );
    }
    let saved = sandbox.state.load().unwrap();
    assert_eq!(
        saved.reminders_sent,
        [ExpiryEvent::ExpiresWithin(14)],
        "the sent reminder is on record"
    );
}

#[tokio::test]
async fn a_laptop_asleep_past_two_reminders_is_told_once_with_the_most_urgent() {
    let server = full_scope_server().await;
    let start = noon("2027-03-01".parse().unwrap());
    let sandbox = set_up(server.url(), start, Some(20));

    let woke = check(&sandbox, start + Duration::days(18)).await;
    assert_eq!(
        events(&woke),
        [NoticeEvent::Expiry(ExpiryEvent::ExpiresWithin(3))],
        "asleep past the 14-day reminder: only the 3-day one shows"
    );
    assert!(
        check(&sandbox, start + Duration::days(18) + Duration::hours(2))
            .await
            .notices
            .is_empty(),
        "and the 14-day one never arrives late"
    );

    let expired = check(&sandbox, start + Duration::days(25)).await;
    assert_eq!(
        events(&expired),
        [NoticeEvent::Expiry(ExpiryEvent::Expired)],
        "asleep past the 1-day reminder and the date: one expiry notice"
    );
    assert_eq!(expired.status.level, TrayLevel::Error);
    assert!(
        expired
            .status
            .line
            .starts_with("Rovo MCP: token expired on"),
        "{expired:?}"
    );
}

#[tokio::test]
async fn no_network_is_couldnt_check_never_invalid_and_recovery_is_silent() {
    let start = noon("2027-03-01".parse().unwrap());
    let sandbox = set_up(&nowhere(), start, Some(120));

    let offline = check(&sandbox, start).await;
    assert_eq!(
        offline.recorded.as_ref().map(|check| check.verdict),
        Some(Verdict::Failed(ErrorKind::Network)),
        "recorded as a network failure: {offline:?}"
    );
    assert_eq!(
        offline.status.level,
        TrayLevel::Warning,
        "a warning, not an error"
    );
    assert_eq!(
        offline.status.line,
        "Rovo MCP: couldn't check: no network · expires in 120 days"
    );
    assert!(
        offline.notices.is_empty(),
        "no network is not news about the token"
    );
    let saved = sandbox.state.load().unwrap();
    assert_eq!(
        saved.last_verdict,
        Some(Verdict::Ok),
        "the last real verdict is kept"
    );
    let schedule = Schedule::of(&Policy::default());
    assert_eq!(
        next_check_due(&saved, &schedule, start),
        Some(start + Duration::hours(1)),
        "after no network it tries again within the hour, not the next day"
    );

    // Back online, the token still works: ok → (no network) → ok says nothing.
    let server = full_scope_server().await;
    sandbox
        .state
        .update(|state| state.credential.as_mut().unwrap().endpoint = server.url().to_owned())
        .unwrap();
    let back = check(&sandbox, start + Duration::hours(1)).await;
    assert_eq!(back.status.level, TrayLevel::Normal, "{back:?}");
    assert!(
        back.notices.is_empty(),
        "nothing changed for the token: {back:?}"
    );
    assert_eq!(
        next_check_due(
            &sandbox.state.load().unwrap(),
            &schedule,
            start + Duration::hours(1)
        ),
        Some(start + Duration::hours(25)),
        "then one interval after the good check"
    );
}

#[tokio::test]
async fn a_revoked_token_is_announced_once_however_often_it_is_checked() {
    let server = full_scope_server().await;
    let start = noon("2027-03-01".parse().unwrap());
    let sandbox = set_up(server.url(), start, None);
    assert!(check(&sandbox, start).await.notices.is_empty());

    server.revoke(header());
    let revoked = check(&sandbox, start + Duration::days(1)).await;
    assert_eq!(
        events(&revoked),
        [NoticeEvent::VerdictChanged {
            from: Verdict::Ok,
            to: Verdict::Failed(ErrorKind::Unauthorized)
        }]
    );
    assert_eq!(revoked.status.level, TrayLevel::Error);
    assert_eq!(
        revoked.status.line,
        "Rovo MCP: check failed: token rejected"
    );
    for day in 2..5 {
        let again = check(&sandbox, start + Duration::days(day)).await;
        assert!(
            again.notices.is_empty(),
            "day {day}: the same failure is not announced again: {again:?}"
        );
        assert_eq!(
            again.status.level,
            TrayLevel::Error,
            "but the icon keeps saying it"
        );
    }
}

#[tokio::test]
async fn a_change_across_a_network_outage_is_still_announced_once() {
    let server = full_scope_server().await;
    let start = noon("2027-03-01".parse().unwrap());
    let sandbox = set_up(&nowhere(), start, None);
    assert!(check(&sandbox, start).await.notices.is_empty(), "offline");

    server.revoke(header());
    sandbox
        .state
        .update(|state| state.credential.as_mut().unwrap().endpoint = server.url().to_owned())
        .unwrap();
    let revoked = check(&sandbox, start + Duration::hours(1)).await;
    assert_eq!(
        events(&revoked),
        [NoticeEvent::VerdictChanged {
            from: Verdict::Ok,
            to: Verdict::Failed(ErrorKind::Unauthorized)
        }],
        "ok → (no network) → rejected is one change"
    );
}

#[tokio::test]
async fn a_locked_or_empty_keychain_is_a_status_line_not_a_verdict() {
    struct Locked;
    impl SecretStore for Locked {
        fn read(&self, _: &str) -> rovo_mcp_core::Result<Option<Secret>> {
            Err(rovo_mcp_core::Error::new(
                ErrorKind::KeychainUnavailable,
                "the keychain is locked or refused access; unlock your keyring",
            ))
        }
        fn store(&self, _: &str, _: &Secret) -> rovo_mcp_core::Result<()> {
            unreachable!("a check never stores")
        }
        fn delete(&self, _: &str) -> rovo_mcp_core::Result<()> {
            unreachable!("a check never deletes")
        }
    }
    let server = full_scope_server().await;
    let start = noon("2027-03-01".parse().unwrap());
    let sandbox = set_up(server.url(), start, None);

    let locked = background_check(&Locked, &sandbox.state, &Policy::default(), start).await;
    assert_eq!(locked.status.level, TrayLevel::Warning, "{locked:?}");
    assert_eq!(
        locked.status.line,
        "Rovo MCP: couldn't check: keychain locked or unavailable"
    );
    assert!(
        locked.notices.is_empty(),
        "a locked keychain is no news about the token"
    );
    assert!(
        server.log().requests().is_empty(),
        "nothing was sent without the secret"
    );

    sandbox.keychain.delete(ACCOUNT).unwrap();
    let empty = check(&sandbox, start).await;
    assert_eq!(empty.status.level, TrayLevel::Warning);
    let message = empty.recorded.unwrap().message.unwrap();
    assert!(
        message.contains("rovo-mcp-setup rotate"),
        "a missing item says how to fix it: {message}"
    );
}

#[tokio::test]
async fn a_removed_or_corrupt_state_file_is_a_status_line_and_no_new_file() {
    let server = full_scope_server().await;
    let start = noon("2027-03-01".parse().unwrap());
    let sandbox = set_up(server.url(), start, Some(3));

    std::fs::remove_file(sandbox.state.path()).unwrap();
    let removed = check(&sandbox, start).await;
    assert_eq!(removed.status.line, "Rovo MCP: not set up");
    assert!(
        removed.notices.is_empty(),
        "nothing to remind about: {removed:?}"
    );
    assert!(
        !sandbox.state.path().exists(),
        "a check does not create a state file"
    );
    assert!(server.log().requests().is_empty(), "and probes nothing");

    std::fs::write(sandbox.state.path(), "{ not json").unwrap();
    let corrupt = check(&sandbox, start).await;
    assert_eq!(corrupt.status.level, TrayLevel::Error);
    assert!(
        corrupt.status.line.contains("state.json"),
        "the file is named: {corrupt:?}"
    );
    assert_eq!(
        std::fs::read_to_string(sandbox.state.path()).unwrap(),
        "{ not json",
        "and left as it is"
    );
}

#[test]
fn the_status_line_reads_like_a_sentence() {
    let today: NaiveDate = "2027-03-01".parse().unwrap();
    assert_eq!(
        tray_status(&AppState::default(), today).line,
        "Rovo MCP: not set up"
    );
    let mut state = AppState::default();
    state.record_credential(CredentialRecord {
        auth: AuthMethod::Service,
        email: None,
        endpoint: "https://mcp.atlassian.com/v2/mcp".to_owned(),
        keychain_account: "service".to_owned(),
        expires_on: Some(today + Days::new(1)),
        stored_at: noon(today),
        oauth: None,
        unknown: UnknownKeys::new(),
    });
    assert_eq!(
        tray_status(&state, today).line,
        "Rovo MCP: not checked yet · expires tomorrow"
    );
    state.last_check = Some(CheckRecord {
        at: noon(today),
        verdict: Verdict::Limited,
        message: None,
        unknown: UnknownKeys::new(),
    });
    let limited = tray_status(&state, today);
    assert_eq!(limited.level, TrayLevel::Warning);
    assert_eq!(limited.line, "Rovo MCP: limited access · expires tomorrow");
    if let Some(credential) = state.credential.as_mut() {
        credential.endpoint = "https://mcp.atlassian.com/v1/mcp".to_owned();
    }
    assert_eq!(
        tray_status(&state, today).line,
        "Rovo MCP: limited access · expires tomorrow · v1 endpoint",
        "a setup on v1 says so, so the move to v2 is not forgotten"
    );
}

#[test]
fn a_policy_sets_the_interval_and_the_first_reminder() {
    let mut policy = Policy::default();
    policy.settings.check_interval_hours = Some(6);
    policy.settings.reminder_days = Some(30);
    let schedule = Schedule::of(&policy);
    assert_eq!(schedule.interval, Duration::hours(6));
    assert_eq!(schedule.reminder_days, [30, 3, 1]);
    assert_eq!(
        Schedule::of(&Policy::default()).reminder_days,
        [14, 3, 1],
        "the defaults"
    );
}

/// A service account's OAuth client on record, its secret in the keychain, its token endpoint
/// `token_url`, against `endpoint`.
fn set_up_oauth_client(endpoint: &str, token_url: &str, at: DateTime<Utc>) -> Sandbox {
    let sandbox = set_up(endpoint, at, None);
    let account = "service-oauth:stand-in-client";
    sandbox
        .keychain
        .store(account, &Secret::new(leak_scan::OAUTH_CLIENT_SECRET))
        .unwrap();
    sandbox
        .state
        .update(|state| {
            let credential = state.credential.as_mut().unwrap();
            credential.auth = AuthMethod::ServiceOauth;
            credential.email = None;
            account.clone_into(&mut credential.keychain_account);
            credential.oauth = Some(OauthClientRecord {
                client_id: "stand-in-client".to_owned(),
                token_url: Some(token_url.to_owned()),
            });
        })
        .unwrap();
    sandbox
}

/// The tray's daily check of an OAuth client exchanges and probes: `ok` when both answer; a
/// client the token endpoint refuses is a failed check of its own kind; a token endpoint out of
/// reach is "couldn't check", as a network fault is for the MCP endpoint.
#[tokio::test]
async fn the_daily_check_of_an_oauth_client_exchanges_then_probes() {
    header();
    let start = noon(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
    let server = StandInServer::builder()
        .oauth_client(
            "stand-in-client",
            leak_scan::OAUTH_CLIENT_SECRET,
            TokenAnswer::Issue {
                grant: Grant::FullScope,
                lifetime: std::time::Duration::from_secs(3600),
            },
        )
        .start()
        .await
        .unwrap();
    let sandbox = set_up_oauth_client(server.url(), server.token_url(), start);
    let healthy = check(&sandbox, start + Duration::days(1)).await;
    assert_eq!(
        healthy.recorded.map(|check| check.verdict),
        Some(Verdict::Ok),
        "{}",
        healthy.status.line
    );

    sandbox
        .keychain
        .store(
            "service-oauth:stand-in-client",
            &Secret::new(leak_scan::REVOKED_TOKEN),
        )
        .unwrap();
    let refused = check(&sandbox, start + Duration::days(2)).await;
    assert_eq!(
        refused.recorded.map(|check| check.verdict),
        Some(Verdict::Failed(ErrorKind::OauthClientRejected)),
        "a secret the token endpoint refuses: {}",
        refused.status.line
    );
    assert_eq!(
        refused.status.level,
        TrayLevel::Error,
        "{}",
        refused.status.line
    );

    let offline = set_up_oauth_client(server.url(), &nowhere(), start);
    let unreachable = check(&offline, start + Duration::days(1)).await;
    assert!(
        unreachable.status.line.contains("couldn't check"),
        "a token endpoint out of reach is inconclusive: {}",
        unreachable.status.line
    );
}
