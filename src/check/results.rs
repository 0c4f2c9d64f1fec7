//! Manual-test results: tests that should have one by now, and results for skipped tests.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::references::known;
use crate::diag::Diagnostic;
use crate::load::ReleaseRead;
use crate::model::{Plans, Release, Status};

/// At most this many test ids are named in one warning; the rest are counted.
const NAMED: usize = 5;

/// Results recorded for a test the release skips. Tests that do not exist are left to the
/// reference rule.
pub fn skipped_with_results(
    read: &ReleaseRead,
    test_ids: Option<&BTreeSet<String>>,
) -> Vec<Diagnostic> {
    read.result_tests
        .iter()
        .filter(|t| known(test_ids, &t.value.0))
        .filter(|t| read.skip.iter().any(|s| s.value == t.value))
        .map(|t| {
            Diagnostic::warning(
                &read.file,
                t.loc,
                format!(
                    "test `{}` has results but is skipped in this release",
                    t.value
                ),
            )
            .with_help("remove it from `skip`, or remove its results")
        })
        .collect()
}

/// Tests without a result for a candidate already past.
pub fn missing(plans: &Plans, release: &Release, today: Date) -> Vec<Diagnostic> {
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
                "import the teams' workbooks (`herald results import`) or record each result under `manual_tests.results.<test>.{}`, or skip the test",
                c.name.value
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::model::{Located, TestId};
    use std::path::Path;

    #[test]
    fn results_for_skipped_tests_are_warnings() {
        let test = |id: &str, line| Located {
            value: TestId(id.to_owned()),
            loc: Loc::new(line, 7, 1),
        };
        let read = ReleaseRead {
            file: Path::new("1.0.yaml").to_path_buf(),
            skip: vec![test("kafka", 3), test("nats", 4)],
            result_tests: vec![test("kafka", 9), test("eventing", 12)],
            ..ReleaseRead::default()
        };
        let found = skipped_with_results(&read, None);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "test `kafka` has results but is skipped in this release"
        );
        assert_eq!(found[0].loc.line, 9);
        let only_nats: BTreeSet<String> = ["nats".to_owned()].into();
        assert!(skipped_with_results(&read, Some(&only_nats)).is_empty());
    }
}
