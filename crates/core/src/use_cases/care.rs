//! Background care (issue 7): the check the tray runs on a schedule, what the tray says, and
//! which desktop notifications are due. The shell only shows what this module returns.
//!
//! Rules it keeps: every notification fires once per event (a verdict change, an expiry
//! threshold), however often the check runs; a check that could not reach a verdict (no
//! network, a server fault, a locked keychain) is recorded as "couldn't check" and never as an
//! invalid token; a missing or unreadable state file is a status line, never a panic or a new
//! file. Nothing here holds a secret beyond the probe itself.

use chrono::{DateTime, Duration, Local, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::auth_method::AuthMethod;
use crate::domain::credentials::{self, Credential};
use crate::domain::oauth::{self, ClientCredentials, TokenSource};
use crate::domain::policy::Policy;
use crate::domain::probe::endpoint::EndpointSources;
use crate::domain::probe::{ProbeOptions, Verdict};
use crate::domain::reminders::{self, DEFAULT_CHECK_INTERVAL, DEFAULT_REMINDER_DAYS, ExpiryEvent};
use crate::domain::secrets::{Secret, SecretStore};
use crate::plumbing::state::{AppState, CheckRecord, CredentialRecord, StateFile, UnknownKeys};
use crate::use_cases::check::{self, CheckRequest};
use crate::{Error, ErrorKind, Result};

/// After a check that could not reach a verdict, the next one comes this soon (or at the
/// normal interval, when that is shorter).
pub const RETRY_AFTER_INCONCLUSIVE: Duration = Duration::hours(1);

/// How the tray icon looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TrayLevel {
    Normal,
    Warning,
    Error,
}

/// What the tray shows: the icon variant and the status line of its menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrayStatus {
    pub level: TrayLevel,
    pub line: String,
}

/// Which event a notification announces; each is announced once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeEvent {
    /// The verdict differs from the last one reached (`from` is `None` on the first verdict,
    /// which is never announced, so it does not appear here).
    VerdictChanged { from: Verdict, to: Verdict },
    /// An expiry reminder (`reminders::due_expiry_reminder`).
    Expiry(ExpiryEvent),
}

/// One desktop notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub event: NoticeEvent,
    pub title: String,
    pub body: String,
}

/// The result of one background check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareOutcome {
    /// What the tray should show now.
    pub status: TrayStatus,
    /// Notifications to show, each for an event not announced before.
    pub notices: Vec<Notice>,
    /// The check as recorded in the state file; `None` when nothing was checked (no setup,
    /// an unreadable state file) or the setup changed while it ran.
    pub recorded: Option<CheckRecord>,
}

/// The check interval and reminder thresholds a policy sets, else the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub interval: Duration,
    /// Days before expiry, most distant first.
    pub reminder_days: Vec<u32>,
}

impl Schedule {
    /// The schedule of `policy`: its `checkIntervalHours` (at least one hour) and its
    /// `reminderDays`, which replaces the first (14-day) reminder.
    pub fn of(policy: &Policy) -> Self {
        let interval = policy
            .settings
            .check_interval_hours
            .map_or(DEFAULT_CHECK_INTERVAL, |hours| {
                Duration::hours(i64::from(hours.max(1)))
            });
        let mut reminder_days = DEFAULT_REMINDER_DAYS.to_vec();
        if let Some(first) = policy.settings.reminder_days {
            reminder_days[0] = first;
            reminder_days.sort_unstable_by(|a, b| b.cmp(a));
            reminder_days.dedup();
        }
        Self {
            interval,
            reminder_days,
        }
    }
}

/// The person's calendar date at `now`, which expiry dates are counted in.
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Local).date_naive()
}

/// Whether a verdict says nothing about the credential: the check could not reach the server,
/// the server failed, or the keychain could not be read.
pub fn is_inconclusive(verdict: Verdict) -> bool {
    matches!(
        verdict,
        Verdict::Failed(
            ErrorKind::Network
                | ErrorKind::Timeout
                | ErrorKind::Tls
                | ErrorKind::RateLimited
                | ErrorKind::ServerError
                | ErrorKind::KeychainUnavailable
                | ErrorKind::Internal
        )
    )
}

/// The credential on record, rebuilt from its record and the secret in `keychain`.
///
/// # Errors
/// `keychain_unavailable` when the keychain cannot be read or has no item for it (the message
/// says what to do), or the credential's own `invalid_input`.
pub fn credential_on_record(
    record: &CredentialRecord,
    keychain: &(impl SecretStore + ?Sized),
) -> Result<Credential> {
    let secret = secret_on_record(record, keychain)?;
    credentials::prepare_credential(record.auth, record.email.as_deref(), &secret)
}

/// The OAuth client of a service account's setup on record: its ID and token endpoint from the
/// record, its secret from the keychain.
///
/// # Errors
/// As [`credential_on_record`]; `invalid_input` for a record without its client.
pub fn oauth_client_on_record(
    record: &CredentialRecord,
    keychain: &(impl SecretStore + ?Sized),
) -> Result<TokenSource> {
    let client = record.oauth.as_ref().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidInput,
            "the setup on record is a service account's OAuth client without its client ID: set it up again with `rovo-mcp-setup configure --auth service-oauth --client-id ID`",
        )
    })?;
    let secret = secret_on_record(record, keychain)?;
    let endpoint = oauth::token_endpoint(client.token_url.as_deref(), None)?;
    Ok(TokenSource::new(
        endpoint,
        ClientCredentials::new(&client.client_id, &secret)?,
    ))
}

/// The secret of the setup on record, from the keychain.
fn secret_on_record(
    record: &CredentialRecord,
    keychain: &(impl SecretStore + ?Sized),
) -> Result<Secret> {
    keychain.read(&record.keychain_account)?.ok_or_else(|| {
        Error::new(
            ErrorKind::KeychainUnavailable,
            format!(
                "the keychain has no item `{}`: open Rovo MCP Setup and set the credential up \
                 again, or run `rovo-mcp-setup rotate`",
                record.keychain_account
            ),
        )
    })
}

/// Runs one background check of the setup on record at `now`: reads the keychain, probes the
/// endpoint on record, records the outcome and the reminders sent in `state`, and returns what
/// the tray should say and the notifications due. Never fails: every fault is a status line.
pub async fn background_check(
    keychain: &(impl SecretStore + Sync + ?Sized),
    state: &StateFile,
    policy: &Policy,
    now: DateTime<Utc>,
) -> CareOutcome {
    let today = local_date(now);
    let recorded = match state.load() {
        Ok(recorded) => recorded,
        Err(error) => return unreadable_state(&error),
    };
    let Some(record) = recorded.credential.clone() else {
        return CareOutcome {
            status: tray_status(&recorded, today),
            notices: Vec::new(),
            recorded: None,
        };
    };

    let request = CheckRequest {
        policy,
        method: record.auth,
        endpoint: EndpointSources {
            on_record: Some(&record.endpoint),
            ..EndpointSources::default()
        },
        all_tools: false,
        options: ProbeOptions::default(),
    };
    // The session's DELETE goes on in the background; nothing waits for it.
    let checked = if record.auth == AuthMethod::ServiceOauth {
        check_oauth_on_record(&request, &record, keychain).await
    } else {
        check::check(
            &request,
            || credential_on_record(&record, keychain),
            &mut |_| {},
        )
        .await
    };
    let check = match checked {
        Ok(checked) => CheckRecord {
            at: now,
            verdict: checked.report.verdict,
            message: checked.report.error.map(|error| error.message),
            unknown: UnknownKeys::new(),
        },
        Err(error) => CheckRecord {
            at: now,
            verdict: Verdict::Failed(error.kind()),
            message: Some(error.message().to_owned()),
            unknown: UnknownKeys::new(),
        },
    };
    record_check(state, &record, check, &Schedule::of(policy), today)
}

/// The check of a service account's OAuth client on record: an access token exchanged from it,
/// then the probe; a refused client is a failure of its own kind, a token endpoint out of reach
/// an inconclusive network fault, as for the MCP endpoint.
async fn check_oauth_on_record(
    request: &CheckRequest<'_>,
    record: &CredentialRecord,
    keychain: &(impl SecretStore + Sync + ?Sized),
) -> Result<check::Checked> {
    let client = record.oauth.as_ref();
    let token_endpoint =
        oauth::token_endpoint(client.and_then(|client| client.token_url.as_deref()), None)?;
    let client_id = client.map(|client| client.client_id.clone());
    let prepared = check::prepare_oauth(request, &token_endpoint, || {
        let client_id = client_id.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                "the setup on record is a service account's OAuth client without its client ID",
            )
        })?;
        ClientCredentials::new(&client_id, &secret_on_record(record, keychain)?)
    })
    .await?;
    Ok(prepared.run(&mut |_| {}).await)
}

/// Records `check` for the credential `checked` and works out the notifications. The state is
/// read again: when the setup changed or vanished while the check ran, nothing is written and
/// nothing is announced.
fn record_check(
    state: &StateFile,
    checked: &CredentialRecord,
    check: CheckRecord,
    schedule: &Schedule,
    today: NaiveDate,
) -> CareOutcome {
    let mut current = match state.load() {
        Ok(current) => current,
        Err(error) => return unreadable_state(&error),
    };
    if current.credential.as_ref() != Some(checked) {
        return CareOutcome {
            status: tray_status(&current, today),
            notices: Vec::new(),
            recorded: None,
        };
    }
    let mut notices = Vec::new();
    // The last verdict reached; a state written before `lastVerdict` existed has it as the
    // last check's.
    let previous = current
        .last_verdict
        .or_else(|| current.last_check.as_ref().map(|last| last.verdict))
        .filter(|verdict| !is_inconclusive(*verdict));
    current.last_verdict = previous;
    if !is_inconclusive(check.verdict) {
        if let Some(from) = previous.filter(|from| *from != check.verdict) {
            notices.push(verdict_notice(from, &check));
        }
        current.last_verdict = Some(check.verdict);
    }
    if let Some(expires_on) = checked.expires_on
        && let Some(due) = reminders::due_expiry_reminder(
            expires_on,
            today,
            &schedule.reminder_days,
            &current.reminders_sent,
        )
    {
        notices.push(expiry_notice(due.show, due.days_left, expires_on));
        current.reminders_sent.extend(due.settles);
    }
    current.last_check = Some(check.clone());
    let status = tray_status(&current, today);
    match state.save(&current) {
        Ok(()) => CareOutcome {
            status,
            notices,
            recorded: Some(check),
        },
        // Unsaved, the same events would be announced again next time: announce nothing.
        Err(error) => CareOutcome {
            status: TrayStatus {
                level: TrayLevel::Error,
                line: format!("Rovo MCP: state not saved: {}", error.message()),
            },
            notices: Vec::new(),
            recorded: None,
        },
    }
}

fn unreadable_state(error: &Error) -> CareOutcome {
    CareOutcome {
        status: TrayStatus {
            level: TrayLevel::Error,
            line: format!("Rovo MCP: {}", error.message()),
        },
        notices: Vec::new(),
        recorded: None,
    }
}

/// When the scheduler should run the next check: one interval after the last check, sooner
/// after one that could not reach a verdict, now when there was none or the clock went back.
/// `None` while nothing is set up.
pub fn next_check_due(
    state: &AppState,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    state.credential.as_ref()?;
    let last = state.last_check.as_ref();
    let interval = match last {
        Some(check) if is_inconclusive(check.verdict) => {
            schedule.interval.min(RETRY_AFTER_INCONCLUSIVE)
        }
        _ => schedule.interval,
    };
    Some(reminders::next_check_at(
        last.map(|check| check.at),
        interval,
        now,
    ))
}

/// What the tray says about `state` on `today`.
pub fn tray_status(state: &AppState, today: NaiveDate) -> TrayStatus {
    let warn = |line: String| TrayStatus {
        level: TrayLevel::Warning,
        line,
    };
    let error = |line: String| TrayStatus {
        level: TrayLevel::Error,
        line,
    };
    let Some(credential) = &state.credential else {
        return warn("Rovo MCP: not set up".to_owned());
    };
    let days_left = credential
        .expires_on
        .map(|expires_on| (expires_on, (expires_on - today).num_days()));
    if let Some((expires_on, days)) = days_left
        && days <= 0
    {
        return error(format!("Rovo MCP: token expired on {expires_on}"));
    }
    let mut expiry = match days_left {
        Some((_, 1)) => " · expires tomorrow".to_owned(),
        Some((_, days)) => format!(" · expires in {days} days"),
        None => String::new(),
    };
    // Still served, so no warning; said so the person knows a move to v2 is waiting.
    if crate::use_cases::status::endpoint_move(&credential.endpoint).is_some() {
        expiry.push_str(" · v1 endpoint");
    }
    let expiring_soon =
        days_left.is_some_and(|(_, days)| days <= i64::from(DEFAULT_REMINDER_DAYS[0]));
    match state.last_check.as_ref().map(|check| check.verdict) {
        None => warn(format!("Rovo MCP: not checked yet{expiry}")),
        Some(Verdict::Ok) if expiring_soon => warn(format!("Rovo MCP: OK{expiry}")),
        Some(Verdict::Ok) => TrayStatus {
            level: TrayLevel::Normal,
            line: format!("Rovo MCP: OK{expiry}"),
        },
        Some(Verdict::Limited) => warn(format!("Rovo MCP: limited access{expiry}")),
        Some(verdict @ Verdict::Failed(kind)) if is_inconclusive(verdict) => warn(format!(
            "Rovo MCP: couldn't check: {}{expiry}",
            reason(kind)
        )),
        Some(Verdict::Failed(kind)) => error(format!("Rovo MCP: check failed: {}", reason(kind))),
    }
}

/// A few words for a failure kind, for the status line.
fn reason(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Unauthorized => "token rejected",
        ErrorKind::ForbiddenIp => "this network is not on the IP allowlist",
        ErrorKind::ForbiddenLegacyToken => "a classic token; create a scoped one",
        ErrorKind::Forbidden => "access refused by the site admin",
        ErrorKind::Network => "no network",
        ErrorKind::Timeout => "the server did not answer in time",
        ErrorKind::Tls => "secure connection failed",
        ErrorKind::RateLimited => "rate limited",
        ErrorKind::ServerError => "server error",
        ErrorKind::NotMcp | ErrorKind::ProtocolError => "the endpoint does not answer as MCP",
        ErrorKind::OauthClientRejected => "OAuth client ID or secret rejected",
        ErrorKind::OauthGrantRefused => "the OAuth client may not use client credentials",
        ErrorKind::OauthScopeMissing => "the OAuth credential has no Rovo MCP scope",
        ErrorKind::TokenEndpointInvalid => "the token endpoint does not answer as OAuth",
        ErrorKind::KeychainUnavailable => "keychain locked or unavailable",
        ErrorKind::InvalidInput => "the setup on record is incomplete",
        ErrorKind::StateUnreadable => "state file unreadable",
        ErrorKind::ConfigInvalid | ErrorKind::ConfigWriteFailed | ErrorKind::Internal => {
            "internal error"
        }
    }
}

fn verdict_notice(from: Verdict, check: &CheckRecord) -> Notice {
    let (title, body) = match check.verdict {
        Verdict::Ok => (
            "Rovo MCP works again".to_owned(),
            "Your AI tools can reach Jira and Confluence again.".to_owned(),
        ),
        Verdict::Limited => (
            "Rovo MCP: access is limited".to_owned(),
            "The token signs in but unlocks only a few tools. Open Rovo MCP Setup to see why."
                .to_owned(),
        ),
        Verdict::Failed(kind) => (
            format!("Rovo MCP check failed: {}", reason(kind)),
            check.message.clone().unwrap_or_else(|| {
                "Your AI tools cannot reach Atlassian. Open Rovo MCP Setup.".to_owned()
            }),
        ),
    };
    Notice {
        event: NoticeEvent::VerdictChanged {
            from,
            to: check.verdict,
        },
        title,
        body,
    }
}

fn expiry_notice(event: ExpiryEvent, days_left: i64, expires_on: NaiveDate) -> Notice {
    let title = match days_left {
        ..=0 => "Your Atlassian token has expired".to_owned(),
        1 => "Your Atlassian token expires tomorrow".to_owned(),
        days => format!("Your Atlassian token expires in {days} days"),
    };
    Notice {
        event: NoticeEvent::Expiry(event),
        title,
        body: format!(
            "It expires on {expires_on}. Create a new token and rotate it with Rovo MCP Setup so \
             your AI tools keep working."
        ),
    }
}

/// What the tray says now, from the state file alone (no check): for the icon at start and
/// whenever the state file changes under it. An unreadable file is a status line.
pub fn current_status(state: &StateFile, today: NaiveDate) -> TrayStatus {
    match state.load() {
        Ok(recorded) => tray_status(&recorded, today),
        Err(error) => unreadable_state(&error).status,
    }
}
