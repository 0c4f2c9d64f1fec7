//! The plans as typed values. Checked plans hold only what was read without an error and
//! passed every rule of `check`: ids exist, dates are real, zones are known, so later stages
//! need no defensive checks.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::diag::{Loc, Sources};

/// A value with the place it was written, for diagnostics about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub loc: Loc,
}

/// A team id from `teams.yaml`: lowercase letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TeamId(pub String);

/// A manual-test id from `manual-tests.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TestId(pub String);

impl std::fmt::Display for TeamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for TestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub github: Option<String>,
    /// Slack member id (`U…`), for mentions.
    pub slack: Option<String>,
    pub team: Option<TeamId>,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub areas: Vec<String>,
    pub slack_channel: Option<String>,
    /// Slack user-group id (`S…`), for mentions.
    pub slack_group: Option<String>,
    pub scrum_master: Option<Person>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct ManualTest {
    pub id: TestId,
    pub title: String,
    pub team: TeamId,
    pub area: Option<String>,
    pub issue: Option<String>,
    /// Markdown.
    pub steps: String,
    /// Markdown.
    pub expected: String,
    pub blocking: bool,
    pub loc: Loc,
}

/// A point in time as the plan gives it: a whole day, or a time in the release's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moment {
    Day(Date),
    At(Zoned),
}

impl Moment {
    /// The calendar day in the release's zone.
    pub fn date(&self) -> Date {
        match self {
            Moment::Day(d) => *d,
            Moment::At(z) => z.date(),
        }
    }

    /// The instant it starts, for ordering: a whole day starts at midnight in `tz`.
    pub fn start(&self, tz: &TimeZone) -> jiff::Timestamp {
        match self {
            Moment::Day(d) => d
                .to_zoned(tz.clone())
                .map(|z| z.timestamp())
                .unwrap_or(jiff::Timestamp::MIN),
            Moment::At(z) => z.timestamp(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotRun,
    Passed,
    Failed,
    Blocked,
    Skipped,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::NotRun,
        Status::Passed,
        Status::Failed,
        Status::Blocked,
        Status::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotRun => "not-run",
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Blocked => "blocked",
            Status::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub name: Located<String>,
    pub date: Located<Date>,
    pub cherry_pick_deadline: Option<Located<Moment>>,
    /// When the manual-test results of this candidate are due; `None`: the Timeline's default
    /// (see `Release::results_due`).
    pub results_due: Option<Located<Moment>>,
}

#[derive(Debug, Clone)]
pub struct Event {
    /// Names its milestone (`event-<id>`); without it the title does, and renaming moves it.
    pub id: Option<String>,
    pub title: String,
    pub date: Date,
    /// Markdown.
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    /// As written; `None` means the default, the first candidate's date minus seven days.
    pub deadlines_announcement: Option<Located<Moment>>,
    pub freeze: Option<Located<Moment>>,
    pub candidates: Vec<Candidate>,
    pub release: Located<Date>,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone)]
pub struct ScrumOfScrums {
    pub first: Zoned,
    pub every_weeks: u32,
    pub duration_minutes: u32,
    /// Inclusive; `None` means the release date.
    pub until: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct TestEnvironment {
    pub url: String,
    /// Markdown.
    pub access: Option<String>,
    pub ready: Option<Moment>,
}

#[derive(Debug, Clone)]
pub struct TestResult {
    pub status: Status,
    pub tester: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PullRequest {
    pub url: String,
    pub title: String,
    pub teams: Vec<TeamId>,
    pub approved_by: Vec<TeamId>,
}

#[derive(Debug, Clone)]
pub struct FailingTest {
    pub name: String,
    pub team: TeamId,
    pub since: Moment,
    pub link: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct People {
    pub release_manager: Option<Person>,
    pub release_master: Person,
    pub scrum_master: Option<Person>,
}

#[derive(Debug, Clone)]
pub struct Channels {
    pub internal: String,
    pub community: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Release {
    pub file: PathBuf,
    pub version: Located<semver::Version>,
    /// The product the release belongs to (`Kyma`), for calendar summaries and Slack headers.
    pub product: Option<String>,
    pub codename: Option<String>,
    pub timezone: TimeZone,
    pub timezone_name: String,
    pub branch: String,
    pub people: People,
    pub channels: Channels,
    pub schedule: Schedule,
    pub scrum_of_scrums: Option<ScrumOfScrums>,
    pub test_environment: Option<TestEnvironment>,
    /// Catalogue tests not run in this release.
    pub skip: Vec<TestId>,
    /// Test id → (candidate name, result), in the plan's order: a release has a few
    /// candidates, and a list of them takes less than half the memory of a map (on 200
    /// releases of 1,000 tests and 4 candidates, the results were most of the plans' memory).
    pub results: BTreeMap<TestId, Vec<(String, TestResult)>>,
    pub pull_requests: Vec<PullRequest>,
    pub failing_tests: Vec<FailingTest>,
    /// Markdown.
    pub notes: Option<String>,
    /// Link to the release notes, for the community announcement.
    pub release_notes: Option<String>,
    /// Drafts already posted, so `herald due` stops listing them.
    pub sent: Vec<Sent>,
}

/// An entry of `sent`: `approvals` (posted, for good) or `approvals@2026-11-26` (posted on
/// that day; for a draft that repeats daily, it silences that day only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub id: String,
    pub on: Option<Date>,
}

impl Release {
    /// The first candidate; a release has at least one.
    pub fn first_candidate(&self) -> &Candidate {
        &self.schedule.candidates[0]
    }

    /// The deadlines announcement: as written, or the first candidate's date minus seven days.
    pub fn deadlines_announcement(&self) -> Moment {
        match &self.schedule.deadlines_announcement {
            Some(m) => m.value.clone(),
            None => Moment::Day(
                self.first_candidate()
                    .date
                    .value
                    .checked_sub(jiff::Span::new().days(crate::policy::DEADLINES_LEAD_DAYS))
                    .unwrap_or(self.first_candidate().date.value),
            ),
        }
    }

    pub fn result(&self, test: &TestId, candidate: &str) -> Option<&TestResult> {
        let results = self.results.get(test)?;
        results
            .iter()
            .find_map(|(name, result)| (name == candidate).then_some(result))
    }
}

/// Everything in a plans folder.
#[derive(Debug, Clone, Default)]
pub struct Plans {
    pub dir: PathBuf,
    pub teams: Vec<Team>,
    pub tests: Vec<ManualTest>,
    /// Sorted by version.
    pub releases: Vec<Release>,
    pub sources: Sources,
    /// How many files were read.
    pub files: usize,
}

impl Plans {
    pub fn team(&self, id: &TeamId) -> Option<&Team> {
        self.teams.iter().find(|t| &t.id == id)
    }

    pub fn test(&self, id: &TestId) -> Option<&ManualTest> {
        self.tests.iter().find(|t| &t.id == id)
    }

    /// The release with this version, written in full (`1.14.0`) or as a prefix (`1.14`).
    pub fn release(&self, version: &str) -> Option<&Release> {
        self.releases
            .iter()
            .find(|r| r.version.value.to_string() == version)
            .or_else(|| {
                self.releases.iter().rev().find(|r| {
                    r.version
                        .value
                        .to_string()
                        .starts_with(&format!("{version}."))
                })
            })
    }
}
