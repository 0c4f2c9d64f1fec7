//! The Timeline: every milestone of every release with a stable id, and the facts derived
//! from the plans and `today` (past/next, status, test counts, pending approvals, due drafts).
//! Renderers read this; they never re-decide policy.

pub mod changes;
mod days;
mod draft;
pub mod format;
mod manual_tests;
mod meeting;
mod milestone;
pub mod readiness;
mod status;

use std::collections::BTreeSet;

use jiff::Span;
use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Candidate, Moment, Plans, Release, TeamId};
use crate::policy::RELEASE_NOTICE_DAYS;

use draft::drafts;
use manual_tests::test_matrix;
use meeting::scrum_of_scrums;
use milestone::milestones;

pub use days::days_between;
pub use draft::{
    DraftChannel, DraftDue, DraftKind, is_sent, schedule_change, unannounced, working_days_before,
};
pub use manual_tests::{Blocker, Counts, TestMatrix, TestProblem, TestRow};
pub use meeting::Meeting;
pub use milestone::{Milestone, MilestoneId, MilestoneKind, MilestoneState, slugify};
pub use readiness::{Readiness, Verdict};

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
    /// Every Scrum of Scrums meeting, in time order.
    pub scrum_of_scrums: Vec<Meeting>,
    pub drafts: Vec<DraftDue>,
    /// Go, at risk, blocked or released: decided once, from the facts above (see
    /// [`readiness`]).
    pub readiness: Readiness,
}

impl<'p> ReleaseTimeline<'p> {
    pub fn next_milestone(&self) -> Option<&Milestone> {
        self.next.map(|i| &self.milestones[i])
    }

    pub fn milestone(&self, slug: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.slug() == slug)
    }

    /// The first cherry-pick deadline not past.
    pub fn next_cherry_pick(&self) -> Option<&Milestone> {
        self.milestones
            .iter()
            .find(|m| !m.past && matches!(m.kind, MilestoneKind::CherryPickDeadline { .. }))
    }

    /// Scrum of Scrums meetings today or later.
    pub fn upcoming_meetings(&self) -> &[Meeting] {
        &self.scrum_of_scrums[self.first_meeting_on(self.today)..]
    }

    /// The meetings the deadlines announcement lists: on or after its day.
    pub fn announced_meetings(&self) -> &[Meeting] {
        let day = self.release.deadlines_announcement().date();
        &self.scrum_of_scrums[self.first_meeting_on(day)..]
    }

    /// Index of the first meeting on or after `day` (meetings are in time order).
    fn first_meeting_on(&self, day: Date) -> usize {
        self.scrum_of_scrums.partition_point(|m| m.date() < day)
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

    /// Index of the candidate under test on `today`: the last one out by then, or the first
    /// before any is (the workbook highlights its columns).
    pub fn tested_candidate(&self) -> usize {
        let candidates = &self.release.schedule.candidates;
        candidates
            .iter()
            .rposition(|c| c.date.value <= self.today)
            .unwrap_or(0)
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
}

#[derive(Debug, Clone)]
pub struct Timeline<'p> {
    pub today: Date,
    /// In version order.
    pub releases: Vec<ReleaseTimeline<'p>>,
    /// What the plans' git history says (empty until [`Timeline::with_history`]).
    pub history: changes::ScheduleLog,
}

impl<'p> Timeline<'p> {
    /// The Timeline with the plans' history: each open release whose history records a change
    /// gets its `schedule-change` draft.
    pub fn with_history(mut self, history: changes::ScheduleLog) -> Timeline<'p> {
        for r in &mut self.releases {
            if r.settled {
                continue;
            }
            if let Some(due) = schedule_change(r.release, &history, r.today) {
                r.drafts.push(due);
                r.drafts.sort_by_cached_key(|d| (d.due, d.kind.id()));
            }
        }
        self.history = history;
        self
    }

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
        out.sort_by_cached_key(|a| {
            (
                a.draft.due,
                a.release.release.version.value.clone(),
                a.draft.kind.id(),
            )
        });
        out
    }
}

pub fn plan(plans: &Plans, today: Date) -> Timeline<'_> {
    Timeline {
        today,
        releases: plans
            .releases
            .iter()
            .map(|r| plan_release(plans, r, today))
            .collect(),
        history: changes::ScheduleLog::default(),
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
    let pending_approvals: Vec<PendingApproval> = release
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
    let scrum_of_scrums = scrum_of_scrums(release, &version, today);
    let tests = test_matrix(plans, release);
    let drafts = drafts(release, &milestones, today);
    let readiness = readiness_of(
        release,
        today,
        status,
        &milestones,
        &tests,
        &pending_approvals,
        failing.len(),
    );
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
        readiness,
    }
}

/// Gathers the facts [`readiness::decide`] judges: the candidate under test is the last one
/// out by `today` (none before the first is), the subject the first candidate not out.
fn readiness_of(
    release: &Release,
    today: Date,
    status: ReleaseStatus,
    milestones: &[Milestone],
    tests: &TestMatrix,
    pending_approvals: &[PendingApproval],
    failing_tests: usize,
) -> Readiness {
    let candidates = &release.schedule.candidates;
    let current = candidates
        .iter()
        .rposition(|c| c.date.value <= today)
        .map(|i| {
            let counts = tests.totals[i];
            readiness::CandidateFacts {
                title: candidates[i].name.value.to_uppercase(),
                failed: counts.of(crate::model::Status::Failed),
                blocked: counts.of(crate::model::Status::Blocked),
                not_run: counts.of(crate::model::Status::NotRun),
            }
        });
    let subject = candidates
        .iter()
        .find(|c| c.date.value > today)
        .map_or_else(|| "The release".to_owned(), |c| c.name.value.to_uppercase());
    let deadline_index = readiness::next_deadline(milestones);
    let deadline = deadline_index.map(|i| (milestones[i].title.as_str(), milestones[i].days));
    readiness::decide(&readiness::Facts {
        released_on: (status == ReleaseStatus::Released).then_some(release.schedule.release.value),
        subject,
        blockers: tests
            .blockers
            .iter()
            .map(|b| (b.test.title.as_str(), b.candidate.to_uppercase()))
            .collect(),
        current,
        failing_tests,
        pending_approvals: pending_approvals.len(),
        deadline,
        deadline_index,
    })
}

#[cfg(test)]
pub(crate) mod fixtures {
    use crate::model::Plans;

    /// Loads a plans folder of one release written as `plan`.
    pub fn one_release(plan: &str) -> (tempfile::TempDir, Plans) {
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

    pub const PLAN: &str = "version: 1.0.0
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
}
