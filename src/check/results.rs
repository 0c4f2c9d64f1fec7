//! Manual tests that should have a result by now.

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::model::{Plans, Release, Status};

/// At most this many test ids are named in one warning; the rest are counted.
const NAMED: usize = 5;

pub fn check(plans: &Plans, release: &Release, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &release.schedule.candidates {
        if c.date.value >= today {
            continue;
        }
        let missing: Vec<&str> = plans
            .tests
            .iter()
            .filter(|t| !release.skip.contains(&t.id))
            .filter(|t| {
                release
                    .result(&t.id, &c.name.value)
                    .is_none_or(|r| r.status == Status::NotRun)
            })
            .map(|t| t.id.0.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut named = missing[..missing.len().min(NAMED)].join(", ");
        if missing.len() > NAMED {
            named.push_str(&format!(" and {} more", missing.len() - NAMED));
        }
        out.push(
            Diagnostic::warning(
                &release.file,
                c.name.loc,
                format!(
                    "candidate `{}` was on {}, but {} manual test{} no result: {named}",
                    c.name.value,
                    c.date.value,
                    missing.len(),
                    if missing.len() == 1 { " has" } else { "s have" }
                ),
            )
            .with_help(format!(
                "record each result under `manual_tests.results.<test>.{}`, or skip the test",
                c.name.value
            )),
        );
    }
    out
}
