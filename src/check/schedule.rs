//! The order of a release's dates, and the seed rule: deadlines are announced at least a week
//! before the first release candidate.

use std::path::Path;

use crate::diag::Diagnostic;
use jiff::civil::Date;

use crate::model::{Located, Release, Schedule};

use crate::policy::DEADLINES_LEAD_DAYS;

pub fn check(release: &Release) -> Vec<Diagnostic> {
    let mut out = check_schedule(&release.file, &release.schedule);
    let first = release.first_candidate();
    if let Some(env) = &release.test_environment
        && let Some(ready) = &env.ready
        && ready.date() > first.date.value
    {
        out.push(
            Diagnostic::warning(
                &release.file,
                first.date.loc,
                format!(
                    "the test environment is ready on {}, after the first candidate ({})",
                    ready.date(),
                    first.date.value
                ),
            )
            .with_help("teams need the environment to test the candidate"),
        );
    }
    out
}

/// The rules about the dates of one schedule alone. They run on releases with other errors
/// too, so a Release Master sees date mistakes in the same run as a mistyped team.
pub fn check_schedule(file: &Path, s: &Schedule) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(first) = s.candidates.first() else {
        return out;
    };

    for pair in s.candidates.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.date.value < a.date.value {
            out.push(
                Diagnostic::error(
                    file,
                    b.date.loc,
                    format!(
                        "candidate `{}` ({}) is dated before `{}` ({})",
                        b.name.value, b.date.value, a.name.value, a.date.value
                    ),
                )
                .with_help("list candidates in date order, or fix the date"),
            );
        }
    }
    for c in &s.candidates {
        if let Some(deadline) = &c.cherry_pick_deadline
            && deadline.value.date() > c.date.value
        {
            out.push(
                Diagnostic::error(
                    file,
                    deadline.loc,
                    format!(
                        "cherry-pick deadline {} is after candidate `{}` ({})",
                        deadline.value.date(),
                        c.name.value,
                        c.date.value
                    ),
                )
                .with_help("changes must be cherry-picked before the candidate is built"),
            );
        }
        if let Some(due) = &c.results_due
            && due.value.date() < c.date.value
        {
            out.push(
                Diagnostic::error(
                    file,
                    due.loc,
                    format!(
                        "manual-test results of candidate `{}` ({}) are due on {}, before it is built",
                        c.name.value,
                        c.date.value,
                        due.value.date()
                    ),
                )
                .with_help(
                    "set `results_due` on or after the candidate's date, or remove it for the default",
                ),
            );
        }
    }
    // The latest candidate, not the last listed: an order mistake must not hide this one.
    if let Some(last) = s.candidates.iter().rev().max_by_key(|c| c.date.value)
        && s.release.value < last.date.value
    {
        out.push(
            Diagnostic::error(
                file,
                s.release.loc,
                format!(
                    "release date {} is before the last candidate `{}` ({})",
                    s.release.value, last.name.value, last.date.value
                ),
            )
            .with_help("the release follows its last candidate; move one of the dates"),
        );
    }
    if let Some(freeze) = &s.freeze
        && freeze.value.date() > first.date.value
    {
        out.push(
            Diagnostic::error(
                file,
                freeze.loc,
                format!(
                    "freeze {} is after the first candidate `{}` ({})",
                    freeze.value.date(),
                    first.name.value,
                    first.date.value
                ),
            )
            .with_help("the release branch is cut before the first candidate"),
        );
    }
    if let Some(announcement) = &s.deadlines_announcement {
        let latest = latest_announcement(first.date.value);
        if announcement.value.date() > latest {
            out.push(
                Diagnostic::error(
                    file,
                    announcement.loc,
                    format!(
                        "deadlines announcement on {} is less than {DEADLINES_LEAD_DAYS} days before the first candidate `{}` ({})",
                        announcement.value.date(),
                        first.name.value,
                        first.date.value
                    ),
                )
                .with_help(format!(
                    "teams must hear about the deadlines at least a week before RC1: announce on {latest} or earlier"
                )),
            );
        }
    }
    out
}

/// The Scrum-of-Scrums meetings end after they start: `meetings` is the first meeting's day
/// and the `until` day.
pub fn meetings_until(file: &Path, meetings: Option<&(Date, Located<Date>)>) -> Vec<Diagnostic> {
    let Some((first, until)) = meetings else {
        return Vec::new();
    };
    if until.value >= *first {
        return Vec::new();
    }
    vec![
        Diagnostic::error(
            file,
            until.loc,
            format!(
                "scrum_of_scrums ends on {}, before its first meeting on {first}",
                until.value
            ),
        )
        .with_help("move `until` after `first`, or remove it to meet until the release"),
    ]
}

/// The last day on which the deadlines can be announced for a candidate on `first`.
pub fn latest_announcement(first: jiff::civil::Date) -> jiff::civil::Date {
    first
        .checked_sub(jiff::Span::new().days(DEADLINES_LEAD_DAYS))
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::model::{Candidate, Moment};
    use jiff::civil::date;

    fn at<T>(value: T) -> Located<T> {
        Located {
            value,
            loc: Loc::new(1, 1, 1),
        }
    }

    fn schedule(announcement: Moment, first: Date) -> Schedule {
        Schedule {
            deadlines_announcement: Some(at(announcement)),
            freeze: None,
            candidates: vec![Candidate {
                name: at("rc1".to_owned()),
                date: at(first),
                cherry_pick_deadline: None,
                results_due: None,
            }],
            release: at(first),
            events: Vec::new(),
        }
    }

    fn late(announcement: &str, first: Date) -> bool {
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").expect("zone");
        let moment = match announcement.parse::<jiff::civil::DateTime>() {
            Ok(dt) => Moment::At(dt.to_zoned(tz).expect("zoned")),
            Err(_) => Moment::Day(announcement.parse().expect("date")),
        };
        !check_schedule(Path::new("1.0.yaml"), &schedule(moment, first)).is_empty()
    }

    #[test]
    fn seven_calendar_days_whatever_the_time_of_day() {
        assert!(!late("2020-07-13T23:59", date(2020, 7, 20)));
        assert!(!late("2020-07-13", date(2020, 7, 20)));
        assert!(!late("2020-07-01T00:00", date(2020, 7, 20)));
        assert!(late("2020-07-13T00:00", date(2020, 7, 19)));
        assert!(late("2020-07-13", date(2020, 7, 19)));
        assert!(late("2020-07-14T00:01", date(2020, 7, 20)));
    }

    #[test]
    fn results_cannot_be_due_before_their_candidate() {
        let file = Path::new("1.0.yaml");
        let first = date(2026, 11, 18);
        let mut s = schedule(Moment::Day(date(2026, 11, 11)), first);
        s.release = at(date(2026, 12, 10));
        assert!(check_schedule(file, &s).is_empty());
        s.candidates[0].results_due = Some(at(Moment::Day(first)));
        assert!(check_schedule(file, &s).is_empty());
        s.candidates[0].results_due = Some(at(Moment::Day(date(2026, 11, 17))));
        let found = check_schedule(file, &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "manual-test results of candidate `rc1` (2026-11-18) are due on 2026-11-17, before it is built"
        );
    }

    #[test]
    fn meetings_end_after_the_first() {
        let file = Path::new("1.0.yaml");
        let until = |d| (date(2026, 11, 3), at(d));
        assert!(meetings_until(file, Some(&until(date(2026, 11, 3)))).is_empty());
        let found = meetings_until(file, Some(&until(date(2026, 11, 2))));
        assert_eq!(
            found[0].message,
            "scrum_of_scrums ends on 2026-11-02, before its first meeting on 2026-11-03"
        );
        assert!(meetings_until(file, None).is_empty());
    }
}
