//! When the tray speaks up: reminders before the credential expires and the schedule of
//! background checks. Pure functions of dates and what was already said, so that a laptop asleep
//! past a reminder, or a check run twice, never produces a second notification for one event.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Days before expiry at which the person is reminded, most distant first (design §2, issue 7).
pub const DEFAULT_REMINDER_DAYS: [u32; 3] = [14, 3, 1];

/// How often the background check runs unless a policy says otherwise.
pub const DEFAULT_CHECK_INTERVAL: Duration = Duration::hours(24);

/// One expiry event the person is told about at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "event", content = "days")]
pub enum ExpiryEvent {
    /// The credential expires within this many days (one of the reminder thresholds).
    ExpiresWithin(u32),
    /// The expiry date has passed.
    Expired,
}

/// The reminder to show now, if any, and every event it settles: thresholds that were crossed
/// together (the laptop slept past the 14-day reminder and woke at 2 days) are settled by the most
/// urgent one, so the 14-day message never arrives after the 3-day one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub show: ExpiryEvent,
    /// Days left until the expiry date; zero or less once expired.
    pub days_left: i64,
    /// Events to record as sent, `show` included.
    pub settles: Vec<ExpiryEvent>,
}

/// The reminder due on `today` for a credential expiring on `expires_on`, given the events
/// already sent. `thresholds` are days before expiry, in any order.
pub fn due_expiry_reminder(
    expires_on: NaiveDate,
    today: NaiveDate,
    thresholds: &[u32],
    sent: &[ExpiryEvent],
) -> Option<DueReminder> {
    let days_left = (expires_on - today).num_days();
    let mut crossed: Vec<ExpiryEvent> = thresholds
        .iter()
        .filter(|&&days| days_left <= i64::from(days))
        .map(|&days| ExpiryEvent::ExpiresWithin(days))
        .collect();
    if days_left <= 0 {
        crossed.push(ExpiryEvent::Expired);
    }
    let most_urgent = crossed
        .iter()
        .copied()
        .min_by_key(|event| urgency_rank(*event))?;
    if sent.contains(&most_urgent) {
        return None;
    }
    let settles = crossed
        .into_iter()
        .filter(|event| !sent.contains(event))
        .collect();
    Some(DueReminder {
        show: most_urgent,
        days_left,
        settles,
    })
}

/// Lower is more urgent: expired first, then the fewest days.
fn urgency_rank(event: ExpiryEvent) -> i64 {
    match event {
        ExpiryEvent::Expired => -1,
        ExpiryEvent::ExpiresWithin(days) => i64::from(days),
    }
}

/// When the next background check is due: one interval after the last check, or now when there
/// was none or the machine slept past it (one check, not one per missed interval).
pub fn next_check_at(
    last_check: Option<DateTime<Utc>>,
    interval: Duration,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    match last_check {
        // A last check in the future means the clock was set back: check now.
        Some(last) if last <= now => (last + interval).max(now),
        _ => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a test date")
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("a test timestamp")
    }

    const EXPIRES: &str = "2027-06-30";

    #[track_caller]
    fn due(today: &str, sent: &[ExpiryEvent]) -> Option<DueReminder> {
        due_expiry_reminder(date(EXPIRES), date(today), &DEFAULT_REMINDER_DAYS, sent)
    }

    #[test]
    fn nothing_is_due_while_expiry_is_far_away() {
        assert_eq!(
            due("2027-06-15", &[]),
            None,
            "16 days left is before the first reminder"
        );
    }

    #[test]
    fn each_threshold_fires_once_on_its_day() {
        let first = due("2027-06-16", &[]).expect("14 days left crosses the first threshold");
        assert_eq!(first.show, ExpiryEvent::ExpiresWithin(14));
        assert_eq!(first.days_left, 14);

        let sent = first.settles;
        assert_eq!(
            due("2027-06-16", &sent),
            None,
            "a second check the same day says nothing"
        );
        assert_eq!(
            due("2027-06-20", &sent),
            None,
            "nor do the days between thresholds"
        );

        let third = due("2027-06-27", &sent).expect("3 days left crosses the next threshold");
        assert_eq!(third.show, ExpiryEvent::ExpiresWithin(3));
    }

    #[test]
    fn a_laptop_asleep_past_two_reminders_gets_only_the_most_urgent() {
        let woke = due("2027-06-29", &[]).expect("one day left, nothing sent yet");
        assert_eq!(
            woke.show,
            ExpiryEvent::ExpiresWithin(1),
            "the most urgent message is shown"
        );
        assert_eq!(
            woke.settles.len(),
            3,
            "the 14- and 3-day reminders are settled with it, never sent late: {woke:?}"
        );
        assert_eq!(
            due("2027-06-29", &woke.settles),
            None,
            "and nothing more that day"
        );
    }

    #[test]
    fn expiry_is_announced_once_after_the_date_passes() {
        let sent: Vec<_> = DEFAULT_REMINDER_DAYS
            .map(ExpiryEvent::ExpiresWithin)
            .to_vec();
        let expired = due("2027-07-02", &sent).expect("past the date");
        assert_eq!(expired.show, ExpiryEvent::Expired);
        assert_eq!(
            expired.days_left, -2,
            "days left goes negative after expiry"
        );

        let mut all = sent.clone();
        all.extend(expired.settles);
        assert_eq!(
            due("2027-07-10", &all),
            None,
            "expiry is not repeated every day"
        );
    }

    #[test]
    fn a_policy_lead_time_replaces_the_first_threshold() {
        let reminder = due_expiry_reminder(date(EXPIRES), date("2027-06-01"), &[30, 3, 1], &[])
            .expect("29 days left is inside a 30-day lead time");
        assert_eq!(reminder.show, ExpiryEvent::ExpiresWithin(30));
    }

    #[test]
    fn checks_run_once_per_interval_and_once_after_a_long_sleep() {
        let day = DEFAULT_CHECK_INTERVAL;
        assert_eq!(
            next_check_at(None, day, at("2027-01-01T08:00:00Z")),
            at("2027-01-01T08:00:00Z"),
            "never checked: check now"
        );
        assert_eq!(
            next_check_at(
                Some(at("2027-01-01T08:00:00Z")),
                day,
                at("2027-01-01T20:00:00Z")
            ),
            at("2027-01-02T08:00:00Z"),
            "checked this morning: next one a day later"
        );
        assert_eq!(
            next_check_at(
                Some(at("2027-01-01T08:00:00Z")),
                day,
                at("2027-01-09T08:00:00Z")
            ),
            at("2027-01-09T08:00:00Z"),
            "asleep for a week: one check now, not seven"
        );
        assert_eq!(
            next_check_at(
                Some(at("2027-03-01T08:00:00Z")),
                day,
                at("2027-01-01T08:00:00Z")
            ),
            at("2027-01-01T08:00:00Z"),
            "a last check in the future (clock set back) means check now"
        );
    }
}
