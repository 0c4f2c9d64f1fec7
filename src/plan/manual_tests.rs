//! The manual-test matrix of a release: every test's status per candidate, counted by team.

use std::collections::BTreeMap;

use serde::Serialize;

use jiff::Span;

use crate::model::{ManualTest, Moment, Plans, Release, Status, TeamId};
use crate::policy::LAST_RESULTS_DAYS_BEFORE_RELEASE;

impl Release {
    /// When the manual-test results of the candidate at `index` are due: its `results_due:`,
    /// else a default that leaves time to act on them. Before a next candidate, that is the
    /// next candidate's cherry-pick deadline (a failure found later can no longer be fixed in
    /// it), or, without one, the day before the next candidate is built. For the last
    /// candidate, [`LAST_RESULTS_DAYS_BEFORE_RELEASE`] days before the release, so that the
    /// release is decided with every result in. Never before the candidate's own day (`check`
    /// rejects a `results_due:` before it).
    pub fn results_due(&self, index: usize) -> Moment {
        let candidates = &self.schedule.candidates;
        let Some(candidate) = candidates.get(index) else {
            return Moment::Day(self.schedule.release.value);
        };
        if let Some(given) = &candidate.results_due {
            return given.value.clone();
        }
        let day_before = |d: jiff::civil::Date| d.yesterday().unwrap_or(d);
        let due = match candidates.get(index + 1) {
            Some(next) => match &next.cherry_pick_deadline {
                Some(deadline) => deadline.value.clone(),
                None => Moment::Day(day_before(next.date.value)),
            },
            None => Moment::Day(
                self.schedule
                    .release
                    .value
                    .checked_sub(Span::new().days(LAST_RESULTS_DAYS_BEFORE_RELEASE))
                    .unwrap_or(self.schedule.release.value),
            ),
        };
        if due.date() < candidate.date.value {
            Moment::Day(candidate.date.value)
        } else {
            due
        }
    }
}

/// Manual-test results counted for one team (or all) and one candidate, by status.
/// Templates see `total` and one count per status, by its key (`passed`, `not_run`, …).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Indexed by the status's place in `Status::ALL`.
    by_status: [u32; Status::ALL.len()],
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        self.by_status[status as usize] += 1;
    }

    /// How many tests have this status.
    pub fn of(&self, status: Status) -> u32 {
        self.by_status[status as usize]
    }

    pub fn total(&self) -> u32 {
        self.by_status.iter().sum()
    }

    /// Tests that passed or were deliberately skipped (see [`Status::is_done`]).
    pub fn done(&self) -> u32 {
        Status::ALL
            .into_iter()
            .filter(|s| s.is_done())
            .map(|s| self.of(s))
            .sum()
    }

    /// Tests still to be run: not run yet, blocked, or failed (and waiting for a new run).
    pub fn open(&self) -> u32 {
        self.total() - self.done()
    }

    /// Whole percent of tests done, rounded down; 100 when there are none.
    pub fn percent_done(&self) -> u32 {
        (self.done() * 100).checked_div(self.total()).unwrap_or(100)
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1 + Status::ALL.len()))?;
        map.serialize_entry("total", &self.total())?;
        for status in Status::ALL {
            map.serialize_entry(status.key(), &self.of(status))?;
        }
        map.end()
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
    pub problems: Vec<TestProblem<'p>>,
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
pub struct TestProblem<'p> {
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

pub(super) fn test_matrix<'p>(plans: &'p Plans, release: &'p Release) -> TestMatrix<'p> {
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
                problems.push(TestProblem {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{PLAN, one_release};
    use jiff::civil::date;

    #[test]
    fn results_are_due_before_what_they_decide_unless_the_plan_says_when() {
        // RC2 has no cherry-pick deadline: RC1's results are due the day before RC2; RC2's,
        // the last, two days before the release on 10 Dec.
        let (_dir, plans) = one_release(PLAN);
        let r = &plans.releases[0];
        assert_eq!(r.results_due(0), Moment::Day(date(2026, 12, 7)));
        assert_eq!(r.results_due(1), Moment::Day(date(2026, 12, 8)));
        // The next candidate's cherry-pick deadline, when it has one.
        let with_deadline = PLAN.replace(
            "{ name: rc2, date: 2026-12-08 }",
            "{ name: rc2, date: 2026-12-08, cherry_pick_deadline: 2026-12-04T12:00 }",
        );
        let (_dir, plans) = one_release(&with_deadline);
        let Moment::At(due) = plans.releases[0].results_due(0) else {
            panic!("a day, not the deadline's time");
        };
        assert_eq!(
            (due.date(), due.hour(), due.minute()),
            (date(2026, 12, 4), 12, 0)
        );
        // As the plan says; and never before the candidate's own day.
        let given = PLAN
            .replace(
                "{ name: rc1, date: 2026-12-01,",
                "{ name: rc1, date: 2026-12-01, results_due: 2026-12-03,",
            )
            .replace("release: 2026-12-10", "release: 2026-12-09");
        let (_dir, plans) = one_release(&given);
        let r = &plans.releases[0];
        assert_eq!(r.results_due(0), Moment::Day(date(2026, 12, 3)));
        assert_eq!(r.results_due(1), Moment::Day(date(2026, 12, 8)));
    }

    #[test]
    fn counts_percent_done() {
        let mut c = Counts::default();
        for s in [Status::Passed, Status::Failed, Status::NotRun] {
            c.add(s);
        }
        assert_eq!((c.total(), c.done(), c.percent_done()), (3, 1, 33));
        assert_eq!(Counts::default().percent_done(), 100);
    }

    #[test]
    fn failed_and_blocked_are_not_done_but_skipped_is() {
        let mut c = Counts::default();
        for s in [
            Status::Passed,
            Status::Blocked,
            Status::Skipped,
            Status::Failed,
        ] {
            c.add(s);
        }
        assert_eq!((c.done(), c.open(), c.percent_done()), (2, 2, 50));
    }
}
