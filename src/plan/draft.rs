//! The Slack drafts of a release and when each is due.

use jiff::Span;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::milestone::{Milestone, MilestoneKind};
use crate::model::{Moment, Release};
use crate::policy::{CHERRY_PICK_REMINDER_WORKING_DAYS, RELEASE_NOTICE_DAYS};

/// A Slack draft and when it is due.
///
/// One-off drafts are due on a day and stay due (overdue) until sent, but only while their
/// moment lasts: `deadlines` until RC1's day, `test-environment` until the release day,
/// `cherry-pick-X` until the deadline's day, `manual-tests-X` until the day before the next
/// candidate (or the release), `release` until a week after the release day. After that they
/// are `missed` and leave the agenda.
/// `approvals` and `failing-tests` are due every day while something waits and the release
/// is open; `sent: [approvals@2026-11-26]` silences one day, plain `approvals` silences it for
/// good. Any other `id` or `id@DATE` in `sent` marks a one-off draft as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftDue {
    /// `deadlines`, `cherry-pick-rc1`, …
    pub id: String,
    pub channel: String,
    pub due: Date,
    /// The last day on which posting it still makes sense; `None`: no such day.
    pub last_day: Option<Date>,
    pub sent: bool,
    /// Not sent, and its last day is past: listed on the drafts page, not on the agenda.
    pub missed: bool,
}

impl DraftDue {
    /// Waiting to be posted: neither sent nor missed.
    pub fn open(&self) -> bool {
        !self.sent && !self.missed
    }
}

/// `n` working days (Monday to Friday) before `date`.
pub fn working_days_before(date: Date, n: u32) -> Date {
    let mut d = date;
    let mut left = n;
    while left > 0 {
        d = d.yesterday().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    d
}

/// The drafts that repeat while their cause lasts; a dated `sent` entry silences one day.
const RECURRING_DRAFTS: [&str; 2] = ["approvals", "failing-tests"];

/// Whether `sent` marks the draft `id` as posted, as seen on `today`.
fn is_sent(release: &Release, id: &str, today: Date) -> bool {
    let recurring = RECURRING_DRAFTS.contains(&id);
    release.sent.iter().any(|s| {
        s.id == id
            && match s.on {
                None => true,
                Some(day) if recurring => day == today,
                Some(day) => day <= today,
            }
    })
}

pub(super) fn drafts(release: &Release, milestones: &[Milestone], today: Date) -> Vec<DraftDue> {
    let internal = &release.channels.internal;
    let schedule = &release.schedule;
    let day_before = |d: Date| d.yesterday().unwrap_or(d);
    let mut out = Vec::new();
    let mut push = |id: String, channel: &str, due: Date, last_day: Option<Date>| {
        let sent = is_sent(release, &id, today);
        // Never missed before it is due, even when the plan leaves it no time.
        let last_day = last_day.map(|d| d.max(due));
        out.push(DraftDue {
            missed: !sent && last_day.is_some_and(|d| d < today),
            id,
            channel: channel.to_owned(),
            due,
            last_day,
            sent,
        });
    };
    push(
        "deadlines".into(),
        internal,
        release.deadlines_announcement().date(),
        Some(release.first_candidate().date.value),
    );
    if let Some(env) = &release.test_environment {
        let due = env
            .ready
            .as_ref()
            .map_or(release.first_candidate().date.value, Moment::date);
        push(
            "test-environment".into(),
            internal,
            due,
            Some(schedule.release.value),
        );
    }
    for m in milestones {
        match &m.kind {
            MilestoneKind::CherryPickDeadline { candidate } => {
                push(
                    format!("cherry-pick-{candidate}"),
                    internal,
                    working_days_before(m.date(), CHERRY_PICK_REMINDER_WORKING_DAYS),
                    Some(m.date()),
                );
            }
            MilestoneKind::Candidate { candidate } => {
                let next = schedule
                    .candidates
                    .iter()
                    .map(|c| c.date.value)
                    .find(|d| *d > m.date())
                    .unwrap_or(schedule.release.value);
                push(
                    format!("manual-tests-{candidate}"),
                    internal,
                    m.date(),
                    Some(day_before(next)),
                );
            }
            _ => {}
        }
    }
    let open = today < schedule.release.value;
    if open
        && release
            .pull_requests
            .iter()
            .any(|pr| pr.teams.iter().any(|t| !pr.approved_by.contains(t)))
    {
        push("approvals".into(), internal, today, None);
    }
    if open && !release.failing_tests.is_empty() {
        push("failing-tests".into(), internal, today, None);
    }
    let community = release.channels.community.as_deref().unwrap_or(internal);
    let notice_ends = schedule
        .release
        .value
        .checked_add(Span::new().days(RELEASE_NOTICE_DAYS))
        .ok();
    push(
        "release".into(),
        community,
        schedule.release.value,
        notice_ends,
    );
    out.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{PLAN, one_release};
    use crate::plan::plan;
    use jiff::civil::date;

    #[test]
    fn working_days_skip_weekends() {
        // Monday 2020-07-20 minus two working days is Thursday 2020-07-16.
        assert_eq!(working_days_before(date(2020, 7, 20), 2), date(2020, 7, 16));
        assert_eq!(working_days_before(date(2020, 7, 22), 2), date(2020, 7, 20));
    }

    #[test]
    fn drafts_are_missed_once_their_moment_passed() {
        let (_dir, plans) = one_release(PLAN);
        let state = |today: Date, id: &str| {
            let t = plan(&plans, today);
            let d = t.releases[0].drafts.iter().find(|d| d.id == id).cloned();
            d.map(|d| (d.due, d.missed))
        };
        // Due two working days before the deadline, missed the day after it.
        assert_eq!(
            state(date(2026, 11, 30), "cherry-pick-rc1"),
            Some((date(2026, 11, 26), false))
        );
        assert_eq!(
            state(date(2026, 12, 1), "cherry-pick-rc1"),
            Some((date(2026, 11, 26), true))
        );
        // Manual tests of RC1 stay due until RC2 comes.
        assert!(!state(date(2026, 12, 7), "manual-tests-rc1").unwrap().1);
        assert!(state(date(2026, 12, 8), "manual-tests-rc1").unwrap().1);
        // The deadlines announcement is missed after RC1's day.
        assert!(!state(date(2026, 12, 1), "deadlines").unwrap().1);
        assert!(state(date(2026, 12, 2), "deadlines").unwrap().1);
        // The release notice stays news for a week.
        assert!(!state(date(2026, 12, 17), "release").unwrap().1);
        assert!(state(date(2026, 12, 18), "release").unwrap().1);
        // Missed drafts are not on the agenda.
        let t = plan(&plans, date(2026, 12, 2));
        let ids: Vec<&str> = t
            .agenda(date(2026, 12, 2))
            .iter()
            .map(|a| a.draft.id.as_str())
            .collect();
        assert_eq!(ids, ["manual-tests-rc1"]);
    }
}
