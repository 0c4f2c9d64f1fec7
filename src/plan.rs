//! The Timeline: every milestone of every release with a stable id, and the facts derived
//! from the plans and `today` (past/next, status, test counts, pending approvals, due drafts).
//! Renderers read this; they never re-decide policy.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};
use jiff::{Span, Timestamp, Zoned};
use serde::Serialize;

use crate::model::{Candidate, ManualTest, Moment, Plans, Release, Status, TeamId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseStatus {
    /// Before its first milestone.
    Planned,
    InProgress,
    Released,
}

impl ReleaseStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReleaseStatus::Planned => "planned",
            ReleaseStatus::InProgress => "in progress",
            ReleaseStatus::Released => "released",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum MilestoneKind {
    DeadlinesAnnouncement,
    Freeze,
    CherryPickDeadline { candidate: String },
    Candidate { candidate: String },
    Release,
    Event,
}

impl MilestoneKind {
    /// The kind as a word for templates and CSS classes: `cherry-pick-deadline`, `candidate`, …
    pub fn name(&self) -> &'static str {
        match self {
            MilestoneKind::DeadlinesAnnouncement => "deadlines-announcement",
            MilestoneKind::Freeze => "freeze",
            MilestoneKind::CherryPickDeadline { .. } => "cherry-pick-deadline",
            MilestoneKind::Candidate { .. } => "candidate",
            MilestoneKind::Release => "release",
            MilestoneKind::Event => "event",
        }
    }

    /// Deadlines are instants; candidates, the release and events are whole days.
    pub fn is_deadline(&self) -> bool {
        matches!(
            self,
            MilestoneKind::DeadlinesAnnouncement
                | MilestoneKind::Freeze
                | MilestoneKind::CherryPickDeadline { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct Milestone {
    /// `1.14.0/rc2`: page anchor, calendar UID, workbook group and draft name derive from it.
    pub id: String,
    /// The part after the slash: `rc2`, `cherry-pick-rc2`, `freeze`, `event-release-notes-due`.
    pub slug: String,
    pub kind: MilestoneKind,
    /// `RC2`, `Cherry-pick deadline for RC2`, …
    pub title: String,
    pub when: Moment,
    /// Where it starts, to order milestones.
    pub start: Timestamp,
    /// Its day in the release's zone is before today.
    pub past: bool,
    /// Whole days from today to its day (negative when past).
    pub days: i32,
    pub state: MilestoneState,
    /// Markdown.
    pub description: Option<String>,
}

impl Milestone {
    pub fn date(&self) -> Date {
        self.when.date()
    }

    /// `past`, `today`, `next, in 4 days`, `in 9 days`.
    pub fn state_word(&self) -> String {
        match self.state {
            MilestoneState::Past => "past".to_owned(),
            MilestoneState::Today => "today".to_owned(),
            MilestoneState::Next => format!("next, {}", relative_day(self.days)),
            MilestoneState::Later => relative_day(self.days),
        }
    }
}

/// Where a milestone stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneState {
    Past,
    /// On today (and so also the next one).
    Today,
    /// The first milestone after today.
    Next,
    Later,
}

/// `today`, `tomorrow`, `in 4 days`, `yesterday`, `3 days ago`, for a day `days` from today.
pub fn relative_day(days: i32) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 1 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// Manual-test results counted for one team (or all) and one candidate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: u32,
    pub passed: u32,
    pub failed: u32,
    pub blocked: u32,
    pub not_run: u32,
    pub skipped: u32,
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::NotRun => self.not_run += 1,
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Blocked => self.blocked += 1,
            Status::Skipped => self.skipped += 1,
        }
    }

    /// Tests that were run or deliberately skipped. Blocked tests could not run: not done.
    pub fn done(&self) -> u32 {
        self.passed + self.failed + self.skipped
    }

    /// Tests still waiting for a run: not run yet, or blocked.
    pub fn open(&self) -> u32 {
        self.not_run + self.blocked
    }

    /// Whole percent of tests done, rounded down; 100 when there are none.
    pub fn percent_done(&self) -> u32 {
        (self.done() * 100).checked_div(self.total).unwrap_or(100)
    }
}

/// One cell of the test matrix.
#[derive(Debug, Clone)]
pub struct TestRow<'p> {
    pub test: &'p ManualTest,
    /// One status per candidate, in candidate order.
    pub statuses: Vec<Status>,
}

#[derive(Debug, Clone)]
pub struct TestMatrix<'p> {
    /// The release's tests (skipped ones left out), sorted by team then id.
    pub rows: Vec<TestRow<'p>>,
    /// Team → counts per candidate, teams in id order.
    pub by_team: BTreeMap<TeamId, Vec<Counts>>,
    /// Counts per candidate over all teams.
    pub totals: Vec<Counts>,
    /// Blocking tests whose latest recorded result failed: release blockers.
    pub blockers: Vec<Blocker<'p>>,
    /// Every failed or blocked result, in row order then candidate order.
    pub problems: Vec<Problem<'p>>,
}

impl<'p> TestMatrix<'p> {
    /// The team's tests not run yet on the candidate at `candidate` (its index), in row order.
    pub fn not_run<'m>(
        &'m self,
        candidate: usize,
        team: &'m TeamId,
    ) -> impl Iterator<Item = &'m TestRow<'p>> + 'm {
        self.rows.iter().filter(move |row| {
            &row.test.team == team && row.statuses.get(candidate) == Some(&Status::NotRun)
        })
    }

    /// The team's counts on the candidate at `candidate`.
    pub fn team_counts(&self, team: &TeamId, candidate: usize) -> Counts {
        self.by_team
            .get(team)
            .and_then(|c| c.get(candidate))
            .copied()
            .unwrap_or_default()
    }
}

/// A failed or blocked result.
#[derive(Debug, Clone)]
pub struct Problem<'p> {
    pub test: &'p ManualTest,
    /// Index of the candidate.
    pub candidate: usize,
    /// `Failed` or `Blocked`.
    pub status: Status,
    /// Also listed in `blockers`: a blocking test whose latest result is this failure.
    pub blocker: bool,
}

#[derive(Debug, Clone)]
pub struct Blocker<'p> {
    pub test: &'p ManualTest,
    pub candidate: String,
}

#[derive(Debug, Clone)]
pub struct PendingApproval<'p> {
    pub pull_request: &'p crate::model::PullRequest,
    /// Teams that must approve and have not.
    pub waiting_for: Vec<TeamId>,
}

#[derive(Debug, Clone)]
pub struct Failing<'p> {
    pub test: &'p crate::model::FailingTest,
    /// Whole days from `since` to today.
    pub days: i32,
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

/// A draft on the agenda: due up to the agenda's last day or overdue, and open.
#[derive(Debug, Clone)]
pub struct Agendum<'t, 'p> {
    pub release: &'t ReleaseTimeline<'p>,
    pub draft: &'t DraftDue,
}

/// Everything derived for one release.
#[derive(Debug, Clone)]
pub struct ReleaseTimeline<'p> {
    pub release: &'p Release,
    /// `1.14.0`
    pub version: String,
    /// The day the facts were derived for: today, or the day the release settled.
    pub today: Date,
    /// Over: nothing about it depends on today any more (see [`settled_on`]).
    pub settled: bool,
    pub status: ReleaseStatus,
    /// Sorted by start, then id.
    pub milestones: Vec<Milestone>,
    /// Index into `milestones` of the first one not past.
    pub next: Option<usize>,
    pub tests: TestMatrix<'p>,
    pub pending_approvals: Vec<PendingApproval<'p>>,
    pub failing: Vec<Failing<'p>>,
    /// Every Scrum of Scrums meeting, in the release's zone.
    pub scrum_of_scrums: Vec<Zoned>,
    pub drafts: Vec<DraftDue>,
}

impl<'p> ReleaseTimeline<'p> {
    pub fn next_milestone(&self) -> Option<&Milestone> {
        self.next.map(|i| &self.milestones[i])
    }

    pub fn milestone(&self, slug: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.slug == slug)
    }

    /// The first cherry-pick deadline not past.
    pub fn next_cherry_pick(&self) -> Option<&Milestone> {
        self.milestones
            .iter()
            .find(|m| !m.past && matches!(m.kind, MilestoneKind::CherryPickDeadline { .. }))
    }

    /// Scrum of Scrums meetings today or later.
    pub fn upcoming_meetings(&self) -> &[Zoned] {
        &self.scrum_of_scrums[self.first_meeting_on(self.today)..]
    }

    /// The meetings the deadlines announcement lists: on or after its day.
    pub fn announced_meetings(&self) -> &[Zoned] {
        let day = self.release.deadlines_announcement().date();
        &self.scrum_of_scrums[self.first_meeting_on(day)..]
    }

    /// Index of the first meeting on or after `day` (meetings are in time order).
    fn first_meeting_on(&self, day: Date) -> usize {
        self.scrum_of_scrums.partition_point(|z| z.date() < day)
    }

    /// When the test environment is ready: as written, or the first candidate's day.
    pub fn environment_ready(&self) -> Option<Moment> {
        let env = self.release.test_environment.as_ref()?;
        Some(
            env.ready
                .clone()
                .unwrap_or(Moment::Day(self.release.first_candidate().date.value)),
        )
    }

    /// The candidate the test environment serves first: the first one on or after its ready
    /// day (the last candidate when it is ready later than all).
    pub fn environment_candidate(&self) -> Option<&'p Candidate> {
        let ready = self.environment_ready()?.date();
        let candidates = &self.release.schedule.candidates;
        candidates
            .iter()
            .find(|c| c.date.value >= ready)
            .or(candidates.last())
    }

    /// Whether a Scrum of Scrums meeting is before today.
    pub fn is_past_meeting(&self, meeting: &Zoned) -> bool {
        meeting.date() < self.today
    }
}

#[derive(Debug, Clone)]
pub struct Timeline<'p> {
    pub today: Date,
    /// In version order.
    pub releases: Vec<ReleaseTimeline<'p>>,
}

impl<'p> Timeline<'p> {
    pub fn release(&self, version: &str) -> Option<&ReleaseTimeline<'p>> {
        self.releases.iter().find(|r| r.version == version)
    }

    /// The morning agenda: open drafts due on or before `until` (so overdue ones too), by due
    /// day, then release version (by value: 1.9.0 before 1.10.0), then id.
    pub fn agenda(&self, until: Date) -> Vec<Agendum<'_, 'p>> {
        let mut out: Vec<Agendum> = self
            .releases
            .iter()
            .flat_map(|release| {
                release
                    .drafts
                    .iter()
                    .filter(move |d| d.open() && d.due <= until)
                    .map(move |draft| Agendum { release, draft })
            })
            .collect();
        out.sort_by(|a, b| {
            (a.draft.due, &a.release.release.version.value, &a.draft.id).cmp(&(
                b.draft.due,
                &b.release.release.version.value,
                &b.draft.id,
            ))
        });
        out
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map(|s| s.get_days()).unwrap_or(0)
}

pub fn plan(plans: &Plans, today: Date) -> Timeline<'_> {
    Timeline {
        today,
        releases: plans
            .releases
            .iter()
            .map(|r| plan_release(plans, r, today))
            .collect(),
    }
}

/// The first day on which nothing about a release depends on today any more: after its
/// last date, its release notice's week and its last meeting. A release is planned as of
/// `min(today, settled_on)`, so its pages stop changing (and are not rendered again) once
/// it is over; failing tests then show how long they had failed when it settled, and pages
/// show no today marker.
pub fn settled_on(release: &Release) -> Date {
    let s = &release.schedule;
    let mut last = s
        .release
        .value
        .saturating_add(Span::new().days(RELEASE_NOTICE_DAYS));
    let mut later = |d: Date| last = last.max(d);
    later(release.deadlines_announcement().date());
    if let Some(f) = &s.freeze {
        later(f.value.date());
    }
    for c in &s.candidates {
        later(c.date.value);
        if let Some(d) = &c.cherry_pick_deadline {
            later(d.value.date());
        }
    }
    s.events.iter().for_each(|e| later(e.date));
    if let Some(env) = release
        .test_environment
        .as_ref()
        .and_then(|e| e.ready.as_ref())
    {
        later(env.date());
    }
    release
        .failing_tests
        .iter()
        .for_each(|f| later(f.since.date()));
    release
        .sent
        .iter()
        .filter_map(|s| s.on)
        .for_each(&mut later);
    if let Some(sos) = &release.scrum_of_scrums {
        later(sos.until.unwrap_or(s.release.value));
        later(sos.first.date());
    }
    last.saturating_add(Span::new().days(1))
}

pub fn plan_release<'p>(
    plans: &'p Plans,
    release: &'p Release,
    today: Date,
) -> ReleaseTimeline<'p> {
    let settled = today >= settled_on(release);
    let today = today.min(settled_on(release));
    let version = release.version.value.to_string();
    let milestones = milestones(release, &version, today);
    let next = milestones.iter().position(|m| !m.past);
    debug_assert!(
        {
            let mut ids = BTreeSet::new();
            milestones.iter().all(|m| ids.insert(&m.id))
        },
        "milestone ids of {version} are not unique; the loader must reject names that collide"
    );
    let status = if today >= release.schedule.release.value {
        ReleaseStatus::Released
    } else if milestones.first().is_some_and(|m| m.date() <= today) {
        ReleaseStatus::InProgress
    } else {
        ReleaseStatus::Planned
    };
    let pending_approvals = release
        .pull_requests
        .iter()
        .filter_map(|pr| {
            let waiting_for: Vec<TeamId> = pr
                .teams
                .iter()
                .filter(|t| !pr.approved_by.contains(t))
                .cloned()
                .collect();
            (!waiting_for.is_empty()).then_some(PendingApproval {
                pull_request: pr,
                waiting_for,
            })
        })
        .collect();
    let mut failing: Vec<Failing> = release
        .failing_tests
        .iter()
        .map(|f| Failing {
            test: f,
            days: days_between(f.since.date(), today).max(0),
        })
        .collect();
    failing.sort_by(|a, b| (&a.test.team, &a.test.name).cmp(&(&b.test.team, &b.test.name)));
    let scrum_of_scrums = scrum_of_scrums(release);
    let tests = test_matrix(plans, release);
    let drafts = drafts(release, &milestones, today);
    ReleaseTimeline {
        release,
        version,
        today,
        settled,
        status,
        milestones,
        next,
        tests,
        pending_approvals,
        failing,
        scrum_of_scrums,
        drafts,
    }
}

fn milestones(release: &Release, version: &str, today: Date) -> Vec<Milestone> {
    let tz = &release.timezone;
    let mut out = Vec::new();
    let mut push =
        |slug: String, kind, title: String, when: Moment, description: Option<String>| {
            let start = when.start(tz);
            let days = days_between(today, when.date());
            out.push(Milestone {
                id: format!("{version}/{slug}"),
                slug,
                kind,
                title,
                past: days < 0,
                days,
                state: if days < 0 {
                    MilestoneState::Past
                } else if days == 0 {
                    MilestoneState::Today
                } else {
                    MilestoneState::Later
                },
                when,
                start,
                description,
            });
        };
    let s = &release.schedule;
    push(
        "deadlines-announcement".into(),
        MilestoneKind::DeadlinesAnnouncement,
        "Deadlines announcement".into(),
        release.deadlines_announcement(),
        None,
    );
    if let Some(freeze) = &s.freeze {
        push(
            "freeze".into(),
            MilestoneKind::Freeze,
            format!("Freeze: {} is cut", release.branch),
            freeze.value.clone(),
            None,
        );
    }
    for c in &s.candidates {
        let name = &c.name.value;
        if let Some(deadline) = &c.cherry_pick_deadline {
            push(
                format!("cherry-pick-{name}"),
                MilestoneKind::CherryPickDeadline {
                    candidate: name.clone(),
                },
                format!("Cherry-pick deadline for {}", name.to_uppercase()),
                deadline.value.clone(),
                None,
            );
        }
        push(
            name.clone(),
            MilestoneKind::Candidate {
                candidate: name.clone(),
            },
            name.to_uppercase(),
            Moment::Day(c.date.value),
            None,
        );
    }
    push(
        "release".into(),
        MilestoneKind::Release,
        format!("Release {version}"),
        Moment::Day(s.release.value),
        None,
    );
    // An event with an id is named by it; the others by their title, a repeated title
    // getting `-2`, `-3`, …, skipping any slug another event already took.
    let mut taken: BTreeSet<String> = s
        .events
        .iter()
        .filter_map(|e| e.id.as_ref().map(|id| format!("event-{id}")))
        .collect();
    for e in &s.events {
        let slug = match &e.id {
            Some(id) => format!("event-{id}"),
            None => {
                let base = format!("event-{}", slugify(&e.title));
                let mut slug = base.clone();
                let mut n = 1;
                while taken.contains(&slug) {
                    n += 1;
                    slug = format!("{base}-{n}");
                }
                taken.insert(slug.clone());
                slug
            }
        };
        push(
            slug,
            MilestoneKind::Event,
            e.title.clone(),
            Moment::Day(e.date),
            e.description.clone(),
        );
    }
    out.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    if let Some(next) = out.iter_mut().find(|m| !m.past)
        && next.state == MilestoneState::Later
    {
        next.state = MilestoneState::Next;
    }
    out
}

/// Lowercase ASCII letters and digits, everything else one dash.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("event");
    }
    out
}

/// Every meeting from the first, every n weeks, until the inclusive end date, at the same
/// wall-clock time in the release's zone (so across daylight-saving changes too).
fn scrum_of_scrums(release: &Release) -> Vec<Zoned> {
    let Some(sos) = &release.scrum_of_scrums else {
        return Vec::new();
    };
    let until = sos.until.unwrap_or(release.schedule.release.value);
    let mut out = Vec::new();
    for k in 0i64.. {
        let Ok(z) = sos
            .first
            .checked_add(Span::new().weeks(k * i64::from(sos.every_weeks)))
        else {
            break;
        };
        if z.date() > until || out.len() > 1000 {
            break;
        }
        out.push(z);
    }
    out
}

fn test_matrix<'p>(plans: &'p Plans, release: &'p Release) -> TestMatrix<'p> {
    let candidates = &release.schedule.candidates;
    let mut tests: Vec<&ManualTest> = plans
        .tests
        .iter()
        .filter(|t| !release.skip.contains(&t.id))
        .collect();
    tests.sort_by(|a, b| (&a.team, &a.id).cmp(&(&b.team, &b.id)));
    let mut by_team: BTreeMap<TeamId, Vec<Counts>> = BTreeMap::new();
    let mut totals = vec![Counts::default(); candidates.len()];
    let mut rows = Vec::new();
    let mut blockers = Vec::new();
    for test in tests {
        let statuses: Vec<Status> = candidates
            .iter()
            .map(|c| {
                release
                    .result(&test.id, &c.name.value)
                    .map_or(Status::NotRun, |r| r.status)
            })
            .collect();
        let team_counts = by_team
            .entry(test.team.clone())
            .or_insert_with(|| vec![Counts::default(); candidates.len()]);
        for (i, status) in statuses.iter().enumerate() {
            team_counts[i].add(*status);
            totals[i].add(*status);
        }
        if test.blocking
            && let Some(i) = statuses.iter().rposition(|s| *s != Status::NotRun)
            && statuses[i] == Status::Failed
        {
            blockers.push(Blocker {
                test,
                candidate: candidates[i].name.value.clone(),
            });
        }
        rows.push(TestRow { test, statuses });
    }
    let mut problems = Vec::new();
    for row in &rows {
        for (candidate, status) in row.statuses.iter().enumerate() {
            if matches!(status, Status::Failed | Status::Blocked) {
                problems.push(Problem {
                    test: row.test,
                    candidate,
                    status: *status,
                    blocker: blockers.iter().any(|b| {
                        b.test.id == row.test.id && b.candidate == candidates[candidate].name.value
                    }),
                });
            }
        }
    }
    TestMatrix {
        rows,
        by_team,
        totals,
        blockers,
        problems,
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

/// Days after the release on which its notice is still news.
const RELEASE_NOTICE_DAYS: i64 = 7;

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

fn drafts(release: &Release, milestones: &[Milestone], today: Date) -> Vec<DraftDue> {
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
                    working_days_before(m.date(), 2),
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
    use jiff::civil::date;

    #[test]
    fn working_days_skip_weekends() {
        // Monday 2020-07-20 minus two working days is Thursday 2020-07-16.
        assert_eq!(working_days_before(date(2020, 7, 20), 2), date(2020, 7, 16));
        assert_eq!(working_days_before(date(2020, 7, 22), 2), date(2020, 7, 20));
    }

    #[test]
    fn counts_percent_done() {
        let mut c = Counts::default();
        for s in [Status::Passed, Status::Failed, Status::NotRun] {
            c.add(s);
        }
        assert_eq!((c.total, c.done(), c.percent_done()), (3, 2, 66));
        assert_eq!(Counts::default().percent_done(), 100);
    }

    #[test]
    fn blocked_is_not_done_but_skipped_is() {
        let mut c = Counts::default();
        for s in [
            Status::Passed,
            Status::Blocked,
            Status::Skipped,
            Status::Failed,
        ] {
            c.add(s);
        }
        assert_eq!((c.done(), c.open(), c.percent_done()), (3, 1, 75));
    }

    #[test]
    fn relative_days_read_naturally() {
        assert_eq!(relative_day(0), "today");
        assert_eq!(relative_day(1), "tomorrow");
        assert_eq!(relative_day(4), "in 4 days");
        assert_eq!(relative_day(-1), "yesterday");
        assert_eq!(relative_day(-3), "3 days ago");
    }

    /// Loads a plans folder of one release written as `plan`.
    fn one_release(plan: &str) -> (tempfile::TempDir, Plans) {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).expect("write");
        };
        write("teams.yaml", "teams:\n  - { id: huskies, name: Huskies }\n");
        write("manual-tests.yaml", "tests: []\n");
        write("1.0.yaml", plan);
        let loaded = crate::load::load(dir.path()).expect("load");
        assert!(!loaded.diags.has_errors(), "{:?}", loaded.diags);
        (dir, loaded.plans)
    }

    const PLAN: &str = "version: 1.0.0
people: { release_master: { name: Hisar Balik } }
channels: { internal: \"#kyma-team\" }
schedule:
  candidates:
    - { name: rc1, date: 2026-12-01, cherry_pick_deadline: 2026-11-30T16:00 }
    - { name: rc2, date: 2026-12-08 }
  release: 2026-12-10
  events:
    - { title: Demo, date: 2026-12-02 }
    - { title: Demo 2, date: 2026-12-03 }
    - { title: Demo, date: 2026-12-04 }
";

    /// The slugs of a plan's event milestones, in date order.
    fn event_slugs(plan_text: &str) -> Vec<String> {
        let (_dir, plans) = one_release(plan_text);
        plan(&plans, date(2026, 11, 26)).releases[0]
            .milestones
            .iter()
            .filter(|m| m.kind == MilestoneKind::Event)
            .map(|m| m.slug.clone())
            .collect()
    }

    #[test]
    fn event_slugs_stay_unique_when_a_title_repeats() {
        assert_eq!(
            event_slugs(PLAN),
            ["event-demo", "event-demo-2", "event-demo-3"]
        );
    }

    #[test]
    fn an_event_id_names_its_milestone_whatever_the_title() {
        let with_id = PLAN.replace(
            "- { title: Demo 2, date: 2026-12-03 }",
            "- { id: demo, title: Renamed demo, date: 2026-12-03 }",
        );
        // The id wins its slug; titles step around it.
        assert_eq!(
            event_slugs(&with_id),
            ["event-demo-2", "event-demo", "event-demo-3"]
        );
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

    #[test]
    fn milestone_states_mark_past_today_and_next() {
        let (_dir, plans) = one_release(PLAN);
        let t = plan(&plans, date(2026, 12, 2));
        let words: Vec<(String, String)> = t.releases[0]
            .milestones
            .iter()
            .map(|m| (m.slug.clone(), m.state_word()))
            .collect();
        let word = |slug: &str| &words.iter().find(|(s, _)| s == slug).unwrap().1;
        assert_eq!(word("rc1"), "past");
        assert_eq!(word("event-demo"), "today");
        assert_eq!(word("event-demo-2"), "tomorrow");
        assert_eq!(word("rc2"), "in 6 days");
        let t = plan(&plans, date(2026, 12, 5));
        let next = t.releases[0].next_milestone().unwrap();
        assert_eq!(
            (next.slug.as_str(), next.state_word()),
            ("rc2", "next, in 3 days".to_owned())
        );
    }

    #[test]
    fn slugs_are_stable_ascii() {
        assert_eq!(slugify("Release notes due!"), "release-notes-due");
        assert_eq!(slugify("Ünïcode only"), "n-code-only");
        assert_eq!(slugify("???"), "event");
    }
}
