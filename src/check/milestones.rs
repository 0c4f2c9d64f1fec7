//! Candidate names and event ids name milestones: each must be one milestone's alone.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::{Candidate, Located};
use crate::plan::MilestoneId;

/// A candidate name that would take another milestone's id (`1.14.0/release`), calendar UID
/// or page anchor: the milestone ids' vocabulary decides.
pub fn is_reserved(name: &str) -> bool {
    MilestoneId::is_reserved(name)
}

/// `` `release`, `freeze`, … are other milestones, and ids that start with `event-`, … ``:
/// the names [`MilestoneId::is_reserved`] refuses, in words.
fn reserved_help() -> String {
    let quoted = |names: &[&str], last_word: &str| -> String {
        let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} {last_word} {last}", rest.join(", ")),
            None => String::new(),
        }
    };
    let (fixed, prefixes) = (MilestoneId::FIXED_SLUGS, MilestoneId::DERIVED_PREFIXES);
    format!(
        "{} are other milestones, and ids that start with {} are derived from them; name candidates rc1, rc2, …",
        quoted(&fixed, "and"),
        quoted(&prefixes, "or")
    )
}

pub fn reserved_candidate_names(file: &Path, names: &[Located<String>]) -> Vec<Diagnostic> {
    names
        .iter()
        .filter(|n| is_reserved(&n.value))
        .map(|name| {
            Diagnostic::error(
                file,
                name.loc,
                format!(
                    "candidate name `{}` would give the candidate the id of another milestone",
                    name.value
                ),
            )
            .with_help(reserved_help())
        })
        .collect()
}

/// Candidates named like an earlier one; reserved names are reported by their own rule.
pub fn duplicate_candidates(file: &Path, candidates: &[Candidate]) -> Vec<Diagnostic> {
    let named: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| !is_reserved(&c.name.value))
        .collect();
    let mut out = Vec::new();
    for (i, c) in named.iter().enumerate() {
        if let Some(first) = named[..i].iter().find(|x| x.name.value == c.name.value) {
            out.push(
                Diagnostic::error(
                    file,
                    c.name.loc,
                    format!(
                        "duplicate candidate name `{}` (first on line {})",
                        c.name.value, first.name.loc.line
                    ),
                )
                .with_help("name candidates rc1, rc2, … once each"),
            );
        }
    }
    out
}

pub fn duplicate_event_ids(file: &Path, ids: &[Located<String>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].iter().any(|x| x.value == id.value) {
            out.push(
                Diagnostic::error(file, id.loc, format!("duplicate event id `{}`", id.value))
                    .with_help("give each event its own id"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use jiff::civil::date;

    fn at(name: &str, line: u32) -> Located<String> {
        Located {
            value: name.to_owned(),
            loc: Loc::new(line, 15, 3),
        }
    }

    fn candidate(name: &str, line: u32) -> Candidate {
        Candidate {
            name: at(name, line),
            date: Located {
                value: date(2026, 12, 1),
                loc: Loc::new(line, 30, 10),
            },
            cherry_pick_deadline: None,
            results_due: None,
        }
    }

    #[test]
    fn candidates_cannot_take_other_milestones_ids() {
        for taken in [
            "release",
            "freeze",
            "deadlines-announcement",
            "event-x",
            "cherry-pick-rc1",
        ] {
            assert!(is_reserved(taken), "{taken}");
        }
        assert!(!is_reserved("rc1") && !is_reserved("released"));
        let found =
            reserved_candidate_names(Path::new("1.0.yaml"), &[at("rc1", 5), at("release", 6)]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "candidate name `release` would give the candidate the id of another milestone"
        );
    }

    #[test]
    fn names_and_ids_are_given_once() {
        let file = Path::new("1.0.yaml");
        let found = duplicate_candidates(
            file,
            &[
                candidate("rc1", 5),
                candidate("freeze", 6),
                candidate("freeze", 7),
                candidate("rc1", 8),
            ],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "duplicate candidate name `rc1` (first on line 5)"
        );
        let found = duplicate_event_ids(file, &[at("demo", 9), at("demo", 10), at("demo", 11)]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].message, "duplicate event id `demo`");
    }
}
