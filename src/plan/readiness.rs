//! The readiness verdict of a release: can its next candidate (or the release itself, once
//! every candidate is out) go ahead as planned? Decided here, once, from the facts the
//! Timeline already holds, so that the MagicBox, the overview and the Slack drafts all say
//! the same thing.
//!
//! The rule, first match wins:
//! - **released**: the release day has come. Nothing is left to decide.
//! - **blocked**: a release blocker is open (a blocking test whose latest result failed), or
//!   a manual test failed or is blocked on the candidate under test. Someone must fix
//!   something before the next candidate can be trusted.
//! - **at risk**: an automated test is failing; or pull requests wait for approval, or manual
//!   tests of the candidate under test have not been run, and the next deadline teams must
//!   act on is at most [`AT_RISK_DAYS`] days away. Work is open and time is short.
//! - **go**: otherwise. Open work with time left to do it is the normal state of a release.
//!
//! Tests of a candidate that is not out yet cannot be run, so they never count as not run.

use jiff::civil::Date;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::format::{relative_day, weekday_date};
use super::{Milestone, MilestoneKind};
use crate::policy::AT_RISK_DAYS;

/// The verdict's word, also its CSS class (`verdict-at-risk`) and template key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    AtRisk,
    Blocked,
    Released,
}

impl Verdict {
    /// `at-risk`: the key templates and CSS classes use.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::AtRisk => "at-risk",
            Verdict::Blocked => "blocked",
            Verdict::Released => "released",
        }
    }

    /// `at risk`: the word for people.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::AtRisk => "at risk",
            Verdict::Blocked => "blocked",
            Verdict::Released => "released",
        }
    }
}

/// The verdict and why, in one line. Templates see `verdict` (the key), `label`, `subject`
/// and `reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub verdict: Verdict,
    /// What the verdict is about: `RC2`, or `The release` once every candidate is out.
    pub subject: String,
    /// One sentence: `1 release blocker: Kafka channel delivers events in order (failed on RC1).`
    pub reason: String,
    /// Index into the milestones of the next deadline teams must act on (see
    /// [`next_deadline`]), the one the verdict was judged against.
    pub deadline: Option<usize>,
}

impl Serialize for Readiness {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("verdict", self.verdict.key())?;
        map.serialize_entry("label", self.verdict.label())?;
        map.serialize_entry("subject", &self.subject)?;
        map.serialize_entry("reason", &self.reason)?;
        map.end()
    }
}

/// The candidate under test and where its manual tests stand.
#[derive(Debug, Clone, Default)]
pub struct CandidateFacts {
    /// `RC1`
    pub title: String,
    pub failed: u32,
    pub blocked: u32,
    pub not_run: u32,
}

/// What the verdict is decided from; gathered by `plan_release`.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    /// The release day, when it has come.
    pub released_on: Option<Date>,
    /// `RC2` or `The release`.
    pub subject: String,
    /// Each open release blocker: its test's title and the candidate it failed on (`RC1`).
    pub blockers: Vec<(&'a str, String)>,
    /// The candidate under test, when one is out.
    pub current: Option<CandidateFacts>,
    pub failing_tests: usize,
    pub pending_approvals: usize,
    /// The next deadline's title and the whole days until it.
    pub deadline: Option<(&'a str, i32)>,
    pub deadline_index: Option<usize>,
}

/// The next milestone teams must act on: the first freeze or cherry-pick deadline not past,
/// or the release day when none is left. Candidates (builds) and announcements are not
/// something teams act on.
pub fn next_deadline(milestones: &[Milestone]) -> Option<usize> {
    let open =
        |pick: fn(&MilestoneKind) -> bool| milestones.iter().position(|m| !m.past && pick(&m.kind));
    open(|k| {
        matches!(
            k,
            MilestoneKind::Freeze | MilestoneKind::CherryPickDeadline { .. }
        )
    })
    .or_else(|| open(|k| matches!(k, MilestoneKind::Release)))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `A, B and C`
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Applies the rule of this module's documentation.
pub fn decide(facts: &Facts) -> Readiness {
    let verdict = |verdict, reason: String| Readiness {
        verdict,
        subject: facts.subject.clone(),
        reason,
        deadline: facts.deadline_index,
    };
    if let Some(day) = facts.released_on {
        return verdict(
            Verdict::Released,
            format!("Released on {}.", weekday_date(day)),
        );
    }

    let mut blocking = Vec::new();
    match facts.blockers.as_slice() {
        [] => {}
        [(title, on)] => blocking.push(format!("1 release blocker: {title} (failed on {on})")),
        many => {
            // Three by name keep the sentence to one line; the MagicBox lists them all.
            let mut titles: Vec<String> =
                many.iter().take(3).map(|(t, _)| (*t).to_owned()).collect();
            if many.len() > 3 {
                titles.push(format!("{} more", many.len() - 3));
            }
            blocking.push(format!(
                "{} release blockers: {}",
                many.len(),
                and_list(&titles)
            ));
        }
    }
    if let Some(c) = &facts.current {
        // A failed blocking test is already named as a release blocker.
        let failed = (c.failed as usize).saturating_sub(
            facts
                .blockers
                .iter()
                .filter(|(_, on)| *on == c.title)
                .count(),
        );
        let mut on_candidate = Vec::new();
        if failed > 0 {
            on_candidate.push(format!("{} failed", plural(failed, "test", "tests")));
        }
        if c.blocked > 0 {
            on_candidate.push(format!(
                "{} blocked",
                plural(c.blocked as usize, "test", "tests")
            ));
        }
        if !on_candidate.is_empty() {
            blocking.push(format!("{} on {}", and_list(&on_candidate), c.title));
        }
    }
    if !blocking.is_empty() {
        return verdict(Verdict::Blocked, format!("{}.", blocking.join("; ")));
    }

    let mut open = Vec::new();
    if facts.pending_approvals > 0 {
        open.push(format!(
            "{} waiting for approval",
            plural(facts.pending_approvals, "pull request", "pull requests")
        ));
    }
    let not_run = facts.current.as_ref().filter(|c| c.not_run > 0);
    if let Some(c) = not_run {
        open.push(format!(
            "{} not run on {}",
            plural(c.not_run as usize, "manual test", "manual tests"),
            c.title
        ));
    }
    let soon = facts
        .deadline
        .filter(|(_, days)| *days <= AT_RISK_DAYS)
        .map(|(title, days)| format!("{title} is {}", relative_day(days)));
    let deadline_note = facts
        .deadline
        .map(|(title, days)| format!("; {title} is {}", relative_day(days)))
        .unwrap_or_default();
    if facts.failing_tests > 0 {
        let mut why = vec![format!(
            "{} failing",
            plural(facts.failing_tests, "automated test", "automated tests")
        )];
        why.extend(open);
        return verdict(
            Verdict::AtRisk,
            format!("{}{deadline_note}.", and_list(&why)),
        );
    }
    if let Some(soon) = soon.filter(|_| !open.is_empty()) {
        return verdict(Verdict::AtRisk, format!("{}, and {soon}.", and_list(&open)));
    }
    let reason = if open.is_empty() {
        format!("No blocker, no failing test, nothing waiting{deadline_note}.")
    } else {
        format!(
            "No blocker or failing test; {}{deadline_note}.",
            and_list(&open)
        )
    };
    verdict(Verdict::Go, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn facts() -> Facts<'static> {
        Facts {
            subject: "RC2".into(),
            current: Some(CandidateFacts {
                title: "RC1".into(),
                ..CandidateFacts::default()
            }),
            deadline: Some(("Cherry-pick deadline for RC2", 10)),
            deadline_index: Some(4),
            ..Facts::default()
        }
    }

    fn current(f: &mut Facts, failed: u32, blocked: u32, not_run: u32) {
        let c = f.current.as_mut().unwrap();
        (c.failed, c.blocked, c.not_run) = (failed, blocked, not_run);
    }

    #[test]
    fn nothing_open_is_go() {
        let r = decide(&facts());
        assert_eq!(r.verdict, Verdict::Go);
        assert_eq!(r.subject, "RC2");
        assert_eq!(r.deadline, Some(4));
        assert_eq!(
            r.reason,
            "No blocker, no failing test, nothing waiting; Cherry-pick deadline for RC2 is in 10 days."
        );
    }

    #[test]
    fn the_release_day_is_released_whatever_else_is_open() {
        let mut f = facts();
        f.released_on = Some(date(2026, 12, 10));
        f.blockers = vec![("Logs", "RC3".into())];
        f.failing_tests = 2;
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::Released);
        assert_eq!(r.reason, "Released on Thu 10 Dec 2026.");
    }

    #[test]
    fn an_open_release_blocker_blocks() {
        let mut f = facts();
        f.blockers = vec![("Kafka delivers in order", "RC1".into())];
        // Its failure is on the candidate under test: named once, as the blocker.
        current(&mut f, 1, 0, 0);
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::Blocked);
        assert_eq!(
            r.reason,
            "1 release blocker: Kafka delivers in order (failed on RC1)."
        );
    }

    #[test]
    fn several_blockers_are_listed_by_title() {
        let mut f = facts();
        f.blockers = vec![
            ("A", "RC1".into()),
            ("B", "RC1".into()),
            ("C", "RC1".into()),
        ];
        assert_eq!(decide(&f).reason, "3 release blockers: A, B and C.");
        let mut five = f.clone();
        five.blockers
            .extend([("D", "RC1".into()), ("E", "RC1".into())]);
        assert_eq!(
            decide(&five).reason,
            "5 release blockers: A, B, C and 2 more."
        );
    }

    #[test]
    fn a_failed_test_on_the_current_candidate_blocks() {
        let mut f = facts();
        current(&mut f, 1, 0, 3);
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::Blocked);
        assert_eq!(r.reason, "1 test failed on RC1.");
    }

    #[test]
    fn a_blocked_test_on_the_current_candidate_blocks() {
        let mut f = facts();
        f.blockers = vec![("Logs", "RC1".into())];
        current(&mut f, 3, 2, 0);
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::Blocked);
        assert_eq!(
            r.reason,
            "1 release blocker: Logs (failed on RC1); 2 tests failed and 2 tests blocked on RC1."
        );
    }

    #[test]
    fn a_blocker_from_an_earlier_candidate_still_blocks() {
        let mut f = facts();
        f.blockers = vec![("Logs", "RC1".into())];
        f.current.as_mut().unwrap().title = "RC2".into();
        current(&mut f, 0, 0, 0);
        assert_eq!(decide(&f).verdict, Verdict::Blocked);
    }

    #[test]
    fn a_failing_automated_test_is_at_risk_however_far_the_deadline() {
        let mut f = facts();
        f.failing_tests = 2;
        f.pending_approvals = 1;
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::AtRisk);
        assert_eq!(
            r.reason,
            "2 automated tests failing and 1 pull request waiting for approval; Cherry-pick deadline for RC2 is in 10 days."
        );
    }

    #[test]
    fn approvals_pending_close_to_the_deadline_are_at_risk() {
        let mut f = facts();
        f.pending_approvals = 2;
        f.deadline = Some(("Cherry-pick deadline for RC2", AT_RISK_DAYS));
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::AtRisk);
        assert_eq!(
            r.reason,
            format!(
                "2 pull requests waiting for approval, and Cherry-pick deadline for RC2 is in {AT_RISK_DAYS} days."
            )
        );
    }

    #[test]
    fn tests_not_run_on_the_deadline_day_are_at_risk() {
        let mut f = facts();
        current(&mut f, 0, 0, 4);
        f.deadline = Some(("Freeze", 0));
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::AtRisk);
        assert_eq!(
            r.reason,
            "4 manual tests not run on RC1, and Freeze is today."
        );
    }

    #[test]
    fn open_work_with_time_left_is_go() {
        let mut f = facts();
        f.pending_approvals = 1;
        current(&mut f, 0, 0, 4);
        f.deadline = Some(("Cherry-pick deadline for RC2", AT_RISK_DAYS + 1));
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::Go);
        assert!(
            r.reason.starts_with(
                "No blocker or failing test; 1 pull request waiting for approval and 4 manual tests not run on RC1;"
            ),
            "{}",
            r.reason
        );
    }

    #[test]
    fn before_any_candidate_is_out_nothing_counts_as_not_run() {
        let mut f = facts();
        f.current = None;
        f.deadline = Some(("Freeze", 1));
        assert_eq!(decide(&f).verdict, Verdict::Go);
    }

    #[test]
    fn without_a_deadline_open_work_alone_is_not_at_risk() {
        let mut f = facts();
        f.pending_approvals = 3;
        f.deadline = None;
        let r = decide(&f);
        assert_eq!(r.verdict, Verdict::Go);
        assert_eq!(
            r.reason,
            "No blocker or failing test; 3 pull requests waiting for approval."
        );
    }

    #[test]
    fn serialized_for_templates_by_key() {
        let mut f = facts();
        f.pending_approvals = 1;
        f.deadline = Some(("Freeze", 1));
        let json = serde_json::to_value(decide(&f)).unwrap();
        assert_eq!(json["verdict"], "at-risk");
        assert_eq!(json["label"], "at risk");
        assert_eq!(json["subject"], "RC2");
        assert!(
            json["reason"]
                .as_str()
                .unwrap()
                .contains("Freeze is tomorrow")
        );
    }

    #[test]
    fn the_timeline_judges_against_the_next_deadline_teams_act_on() {
        use crate::plan::fixtures::{PLAN, one_release};
        let (_dir, plans) = one_release(PLAN);
        let deadline = |day| {
            let t = crate::plan::plan(&plans, day);
            let r = &t.releases[0];
            let m = &r.milestones[r.readiness.deadline.unwrap()];
            (
                m.slug().to_owned(),
                r.readiness.subject.clone(),
                r.readiness.verdict,
            )
        };
        assert_eq!(
            deadline(date(2026, 11, 26)),
            ("cherry-pick-rc1".into(), "RC1".into(), Verdict::Go)
        );
        // RC2 has no cherry-pick deadline: the release day is what is left to act on.
        assert_eq!(
            deadline(date(2026, 12, 2)),
            ("release".into(), "RC2".into(), Verdict::Go)
        );
        assert_eq!(
            deadline(date(2026, 12, 10)),
            ("release".into(), "The release".into(), Verdict::Released)
        );
    }
}
