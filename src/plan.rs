//! The Timeline: every milestone of every release with a stable id, and the facts derived
//! from the plans and `today` (past/next, status, test counts, pending approvals, due drafts).
//! Renderers read this; they never re-decide policy.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use jiff::{Span, Timestamp, Zoned};
use serde::Serialize;

use crate::model::{ManualTest, Moment, Plans, Release, Status, TeamId};

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
    /// Markdown.
    pub description: Option<String>,
}

impl Milestone {
    pub fn date(&self) -> Date {
        self.when.date()
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

    /// Tests with any result but `not-run`.
    pub fn done(&self) -> u32 {
        self.total - self.not_run
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftDue {
    /// `deadlines`, `cherry-pick-rc1`, …
    pub id: String,
    pub channel: String,
    pub due: Date,
    pub sent: bool,
}

/// Everything derived for one release.
#[derive(Debug, Clone)]
pub struct ReleaseTimeline<'p> {
    pub release: &'p Release,
    /// `1.14.0`
    pub version: String,
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

impl ReleaseTimeline<'_> {
    pub fn next_milestone(&self) -> Option<&Milestone> {
        self.next.map(|i| &self.milestones[i])
    }

    pub fn milestone(&self, slug: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.slug == slug)
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

pub fn plan_release<'p>(
    plans: &'p Plans,
    release: &'p Release,
    today: Date,
) -> ReleaseTimeline<'p> {
    let version = release.version.value.to_string();
    let milestones = milestones(release, &version, today);
    let next = milestones.iter().position(|m| !m.past);
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
            out.push(Milestone {
                id: format!("{version}/{slug}"),
                slug,
                kind,
                title,
                past: when.date() < today,
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
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for e in &s.events {
        let base = format!("event-{}", slugify(&e.title));
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let slug = if *n == 1 { base } else { format!("{base}-{n}") };
        push(
            slug,
            MilestoneKind::Event,
            e.title.clone(),
            Moment::Day(e.date),
            e.description.clone(),
        );
    }
    out.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
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
    TestMatrix {
        rows,
        by_team,
        totals,
        blockers,
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

fn drafts(release: &Release, milestones: &[Milestone], today: Date) -> Vec<DraftDue> {
    let internal = &release.channels.internal;
    let mut out = Vec::new();
    let mut push = |id: String, channel: &str, due: Date| {
        let sent = release.sent.contains(&id);
        out.push(DraftDue {
            id,
            channel: channel.to_owned(),
            due,
            sent,
        });
    };
    push(
        "deadlines".into(),
        internal,
        release.deadlines_announcement().date(),
    );
    if let Some(env) = &release.test_environment {
        let due = env
            .ready
            .as_ref()
            .map_or(release.first_candidate().date.value, Moment::date);
        push("test-environment".into(), internal, due);
    }
    for m in milestones {
        match &m.kind {
            MilestoneKind::CherryPickDeadline { candidate } => {
                push(
                    format!("cherry-pick-{candidate}"),
                    internal,
                    working_days_before(m.date(), 2),
                );
            }
            MilestoneKind::Candidate { candidate } => {
                push(format!("manual-tests-{candidate}"), internal, m.date());
            }
            _ => {}
        }
    }
    let open = today < release.schedule.release.value;
    if open
        && release
            .pull_requests
            .iter()
            .any(|pr| pr.teams.iter().any(|t| !pr.approved_by.contains(t)))
    {
        push("approvals".into(), internal, today);
    }
    if open && !release.failing_tests.is_empty() {
        push("failing-tests".into(), internal, today);
    }
    let community = release.channels.community.as_deref().unwrap_or(internal);
    push("release".into(), community, release.schedule.release.value);
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
    fn slugs_are_stable_ascii() {
        assert_eq!(slugify("Release notes due!"), "release-notes-due");
        assert_eq!(slugify("Ünïcode only"), "n-code-only");
        assert_eq!(slugify("???"), "event");
    }
}
