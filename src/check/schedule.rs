//! The order of a release's dates, and the seed rule: deadlines are announced at least a week
//! before the first release candidate.

use crate::diag::Diagnostic;
use crate::model::Release;

/// Days between the deadlines announcement and the first candidate, at least.
pub const ANNOUNCEMENT_LEAD_DAYS: i32 = 7;

pub fn check(release: &Release) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = &release.file;
    let s = &release.schedule;
    let first = release.first_candidate();

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
    }
    if let Some(last) = s.candidates.last()
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
                        "deadlines announcement on {} is less than {ANNOUNCEMENT_LEAD_DAYS} days before the first candidate `{}` ({})",
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
    if let Some(sos) = &release.scrum_of_scrums
        && let Some(until) = sos.until
        && until < sos.first.date()
    {
        out.push(Diagnostic::error(
            file,
            release.version.loc,
            format!(
                "scrum_of_scrums ends on {until}, before its first meeting on {}",
                sos.first.date()
            ),
        ));
    }
    if let Some(env) = &release.test_environment
        && let Some(ready) = &env.ready
        && ready.date() > first.date.value
    {
        out.push(
            Diagnostic::warning(
                file,
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

/// The last day on which the deadlines can be announced for a candidate on `first`.
pub fn latest_announcement(first: jiff::civil::Date) -> jiff::civil::Date {
    first
        .checked_sub(jiff::Span::new().days(ANNOUNCEMENT_LEAD_DAYS))
        .unwrap_or(first)
}
