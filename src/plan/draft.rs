//! The Slack drafts of a release and when each is due.

use jiff::Span;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::changes::{LoggedChange, ScheduleLog};
use super::milestone::{Milestone, MilestoneId, MilestoneKind};
use crate::model::{Moment, Release};
use crate::policy::{CHERRY_PICK_REMINDER_WORKING_DAYS, RELEASE_NOTICE_DAYS};

/// What a Slack draft is about; a candidate's drafts carry the candidate's name. The id, the
/// template, the channel and whether it recurs are declared here, so a new kind of draft is a
/// new variant, its template and its tests.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DraftKind {
    Deadlines,
    TestEnvironment,
    CherryPick(String),
    ManualTests(String),
    Approvals,
    FailingTests,
    Release,
    /// The schedule changed since it was last announced (read from the plans' git history).
    ScheduleChange,
}

/// Which of a release's channels a draft is posted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftChannel {
    Internal,
    /// The community channel, or the internal one when the release names none.
    Community,
}

impl DraftKind {
    /// The prefix of a cherry-pick reminder's id, the candidate's name following: the id
    /// of the deadline's milestone.
    pub const CHERRY_PICK_PREFIX: &str = MilestoneId::CHERRY_PICK_PREFIX;
    /// The prefix of a manual-tests call's id; the candidate's name follows.
    pub const MANUAL_TESTS_PREFIX: &str = MilestoneId::MANUAL_TESTS_PREFIX;
    /// Every draft id matches this (unanchored) pattern; `sent` entries in the JSON Schema
    /// are `^{ID_PATTERN}(@YYYY-MM-DD)?$`.
    pub const ID_PATTERN: &str = "[a-z0-9][a-z0-9-]*";
    /// The kinds due every day while their cause lasts.
    pub const DAILY: [DraftKind; 2] = [DraftKind::Approvals, DraftKind::FailingTests];
    /// The kinds that do not name a candidate, in the order they are listed to people.
    const FIXED: [DraftKind; 6] = [
        DraftKind::Deadlines,
        DraftKind::TestEnvironment,
        DraftKind::Approvals,
        DraftKind::FailingTests,
        DraftKind::Release,
        DraftKind::ScheduleChange,
    ];

    /// `deadlines`, `cherry-pick-rc1`, …: the draft's file name, its anchor on the drafts
    /// page and what `sent` and `herald draft` name it by.
    pub fn id(&self) -> String {
        match self {
            DraftKind::CherryPick(c) => format!("{}{c}", DraftKind::CHERRY_PICK_PREFIX),
            DraftKind::ManualTests(c) => format!("{}{c}", DraftKind::MANUAL_TESTS_PREFIX),
            fixed => fixed.fixed_id().to_owned(),
        }
    }

    fn fixed_id(&self) -> &'static str {
        match self {
            DraftKind::Deadlines => "deadlines",
            DraftKind::TestEnvironment => "test-environment",
            DraftKind::Approvals => "approvals",
            DraftKind::FailingTests => "failing-tests",
            DraftKind::Release => "release",
            DraftKind::ScheduleChange => "schedule-change",
            DraftKind::CherryPick(_) => "cherry-pick",
            DraftKind::ManualTests(_) => "manual-tests",
        }
    }

    /// The kind an id names, for a release whose candidates are `candidate_names`; `None`
    /// when it names no draft such a release can have.
    pub fn parse(id: &str, candidate_names: &[impl AsRef<str>]) -> Option<DraftKind> {
        if let Some(kind) = DraftKind::FIXED.into_iter().find(|k| k.fixed_id() == id) {
            return Some(kind);
        }
        let candidate = |prefix: &str| {
            let name = id.strip_prefix(prefix)?;
            candidate_names
                .iter()
                .any(|c| c.as_ref() == name)
                .then(|| name.to_owned())
        };
        candidate(DraftKind::CHERRY_PICK_PREFIX)
            .map(DraftKind::CherryPick)
            .or_else(|| candidate(DraftKind::MANUAL_TESTS_PREFIX).map(DraftKind::ManualTests))
    }

    /// Every draft a release with these candidates can have: the fixed ones, then each
    /// candidate's cherry-pick reminder and manual-tests call.
    pub fn all(candidate_names: &[impl AsRef<str>]) -> Vec<DraftKind> {
        let mut out = DraftKind::FIXED.to_vec();
        for c in candidate_names {
            out.push(DraftKind::CherryPick(c.as_ref().to_owned()));
            out.push(DraftKind::ManualTests(c.as_ref().to_owned()));
        }
        out
    }

    /// The template that writes it: `slack/cherry-pick.md`, …
    pub fn template(&self) -> String {
        format!("slack/{}.md", self.fixed_id())
    }

    /// Due every day while its cause lasts; a dated `sent` entry silences one day only.
    pub fn recurs_daily(&self) -> bool {
        DraftKind::DAILY.contains(self)
    }

    /// Whether `sent` marks it with its day (`approvals@2026-11-26`): the daily kinds, and
    /// `schedule-change`, which is due again when the schedule changes after that day.
    pub fn sent_with_date(&self) -> bool {
        self.recurs_daily() || *self == DraftKind::ScheduleChange
    }

    /// Whether its shipped template links the release site (and so names it in words
    /// without a site URL). A user's template may differ: `herald draft` compares renderings.
    pub fn links_site(&self) -> bool {
        matches!(
            self,
            DraftKind::Deadlines | DraftKind::TestEnvironment | DraftKind::ManualTests(_)
        )
    }

    /// What the person posting it should do besides posting, which is not for the channel to
    /// read: shown on the drafts page and by `herald due`, never in the message.
    pub fn poster_note(&self) -> Option<&'static str> {
        match self {
            DraftKind::Deadlines => {
                Some("pin it in the channel, so that the dates stay easy to find")
            }
            _ => None,
        }
    }

    pub fn channel(&self) -> DraftChannel {
        match self {
            DraftKind::Release => DraftChannel::Community,
            _ => DraftChannel::Internal,
        }
    }

    /// The candidate a cherry-pick reminder or manual-tests call is about.
    pub fn candidate(&self) -> Option<&str> {
        match self {
            DraftKind::CherryPick(c) | DraftKind::ManualTests(c) => Some(c),
            _ => None,
        }
    }
}

impl std::fmt::Display for DraftKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.id())
    }
}

impl Serialize for DraftKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.id())
    }
}

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
    pub kind: DraftKind,
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

/// Whether `sent` marks the draft as posted, as seen on `today`.
pub fn is_sent(release: &Release, kind: &DraftKind, today: Date) -> bool {
    let id = kind.id();
    let recurring = kind.sent_with_date();
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
    let community = release.channels.community.as_deref().unwrap_or(internal);
    let schedule = &release.schedule;
    let day_before = |d: Date| d.yesterday().unwrap_or(d);
    let mut out = Vec::new();
    let mut push = |kind: DraftKind, due: Date, last_day: Option<Date>| {
        let sent = is_sent(release, &kind, today);
        let channel = match kind.channel() {
            DraftChannel::Internal => internal,
            DraftChannel::Community => community,
        };
        // Never missed before it is due, even when the plan leaves it no time.
        let last_day = last_day.map(|d| d.max(due));
        out.push(DraftDue {
            missed: !sent && last_day.is_some_and(|d| d < today),
            kind,
            channel: channel.to_owned(),
            due,
            last_day,
            sent,
        });
    };
    push(
        DraftKind::Deadlines,
        release.deadlines_announcement().date(),
        Some(release.first_candidate().date.value),
    );
    if let Some(env) = &release.test_environment {
        let due = env
            .ready
            .as_ref()
            .map_or(release.first_candidate().date.value, Moment::date);
        push(
            DraftKind::TestEnvironment,
            due,
            Some(schedule.release.value),
        );
    }
    for m in milestones {
        match &m.kind {
            MilestoneKind::CherryPickDeadline { candidate } => {
                push(
                    DraftKind::CherryPick(candidate.clone()),
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
                    DraftKind::ManualTests(candidate.clone()),
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
        push(DraftKind::Approvals, today, None);
    }
    if open && !release.failing_tests.is_empty() {
        push(DraftKind::FailingTests, today, None);
    }
    let notice_ends = schedule
        .release
        .value
        .checked_add(Span::new().days(RELEASE_NOTICE_DAYS))
        .ok();
    push(DraftKind::Release, schedule.release.value, notice_ends);
    out.sort_by_cached_key(|d| (d.due, d.kind.id()));
    out
}

/// The changes of a release the `schedule-change` draft announces, oldest first: those whose
/// commit day (in UTC, as `herald sent` dates an entry) is after the last
/// `schedule-change@DATE` entry of `sent` and not after `today`. A plain `schedule-change`
/// entry marks every change as announced, for good.
pub fn unannounced<'l>(
    release: &Release,
    log: &'l ScheduleLog,
    today: Date,
) -> Vec<&'l LoggedChange> {
    let id = DraftKind::ScheduleChange.id();
    let entries: Vec<Option<Date>> = release
        .sent
        .iter()
        .filter(|s| s.id == id)
        .map(|s| s.on)
        .collect();
    if entries.contains(&None) {
        return Vec::new();
    }
    let announced = entries.into_iter().flatten().max();
    let version = release.version.value.to_string();
    let mut out: Vec<&LoggedChange> = log
        .of_release(&version)
        .into_iter()
        .filter(|e| {
            let day = utc_day(e.at);
            day <= today && announced.is_none_or(|a| day > a)
        })
        .collect();
    out.reverse();
    out
}

fn utc_day(at: jiff::Timestamp) -> Date {
    at.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// The `schedule-change` draft of a release whose history records a change: due on the day
/// of the first change not announced; sent when every change is. `None` without changes.
pub fn schedule_change(release: &Release, log: &ScheduleLog, today: Date) -> Option<DraftDue> {
    let version = release.version.value.to_string();
    let first = log
        .of_release(&version)
        .into_iter()
        .rfind(|e| utc_day(e.at) <= today)?;
    let pending = unannounced(release, log, today);
    Some(DraftDue {
        kind: DraftKind::ScheduleChange,
        channel: release.channels.internal.clone(),
        due: pending.first().map_or(utc_day(first.at), |e| utc_day(e.at)),
        last_day: None,
        sent: pending.is_empty(),
        missed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{PLAN, one_release};
    use crate::plan::plan;
    use jiff::civil::date;

    #[test]
    fn every_kind_reads_back_from_its_id() {
        let candidates = ["rc1", "rc2"];
        let all = DraftKind::all(&candidates);
        let ids: Vec<String> = all.iter().map(DraftKind::id).collect();
        assert_eq!(
            ids,
            [
                "deadlines",
                "test-environment",
                "approvals",
                "failing-tests",
                "release",
                "schedule-change",
                "cherry-pick-rc1",
                "manual-tests-rc1",
                "cherry-pick-rc2",
                "manual-tests-rc2",
            ]
        );
        for kind in &all {
            assert_eq!(
                DraftKind::parse(&kind.id(), &candidates).as_ref(),
                Some(kind)
            );
        }
        // A candidate the release does not have names no draft.
        assert_eq!(DraftKind::parse("cherry-pick-rc3", &candidates), None);
        assert_eq!(DraftKind::parse("cherry-pick-", &candidates), None);
        assert_eq!(DraftKind::parse("deadline", &candidates), None);
    }

    #[test]
    fn kinds_name_their_template_and_channel() {
        let rc1 = || "rc1".to_owned();
        assert_eq!(
            DraftKind::CherryPick(rc1()).template(),
            "slack/cherry-pick.md"
        );
        assert_eq!(
            DraftKind::ManualTests(rc1()).template(),
            "slack/manual-tests.md"
        );
        assert_eq!(
            DraftKind::TestEnvironment.template(),
            "slack/test-environment.md"
        );
        assert_eq!(DraftKind::Release.channel(), DraftChannel::Community);
        assert_eq!(DraftKind::Approvals.channel(), DraftChannel::Internal);
        let daily: Vec<String> = DraftKind::all(&["rc1"])
            .iter()
            .filter(|k| k.recurs_daily())
            .map(DraftKind::id)
            .collect();
        assert_eq!(daily, ["approvals", "failing-tests"]);
    }

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
            let d = t.releases[0]
                .drafts
                .iter()
                .find(|d| d.kind.id() == id)
                .cloned();
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
        let ids: Vec<String> = t
            .agenda(date(2026, 12, 2))
            .iter()
            .map(|a| a.draft.kind.id())
            .collect();
        assert_eq!(ids, ["manual-tests-rc1"]);
    }
}
