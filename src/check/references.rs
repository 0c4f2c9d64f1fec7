//! References to the registries: every team and manual test a plan names exists.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::{Diagnostic, Loc};
use crate::load::did_you_mean;
use crate::load::{TEAMS_FILE, TESTS_FILE};
use crate::model::{Located, TeamId, TestId};

/// Whether `id` is in the registry; every id is when the registry could not be read.
pub fn known(ids: Option<&BTreeSet<String>>, id: &str) -> bool {
    ids.is_none_or(|ids| ids.contains(id))
}

pub fn unknown_teams<'a>(
    file: &Path,
    refs: impl IntoIterator<Item = &'a Located<TeamId>>,
    teams: Option<&BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let refs = refs.into_iter().map(|t| (t.value.0.as_str(), t.loc));
    unknown(file, refs, teams, "team", |names| {
        format!(
            "add it to {TEAMS_FILE}, or use one of: {}",
            names.join(", ")
        )
    })
}

pub fn unknown_tests<'a>(
    file: &Path,
    refs: impl IntoIterator<Item = &'a Located<TestId>>,
    tests: Option<&BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let refs = refs.into_iter().map(|t| (t.value.0.as_str(), t.loc));
    unknown(file, refs, tests, "manual test", |_| {
        format!("add it to {TESTS_FILE} first")
    })
}

/// An error for every id of `refs` that the registry `ids` lacks (none when it could not be
/// read), with the closest id, or `otherwise` given every id.
fn unknown<'a>(
    file: &Path,
    refs: impl Iterator<Item = (&'a str, Loc)>,
    ids: Option<&BTreeSet<String>>,
    what: &str,
    otherwise: impl Fn(&[&str]) -> String,
) -> Vec<Diagnostic> {
    let Some(ids) = ids else {
        return Vec::new();
    };
    let names: Vec<&str> = ids.iter().map(String::as_str).collect();
    refs.filter(|(id, _)| !ids.contains(*id))
        .map(|(id, loc)| {
            let help = match did_you_mean(id, &names) {
                Some(close) => format!("did you mean `{close}`?"),
                None => otherwise(&names),
            };
            Diagnostic::error(file, loc, format!("unknown {what} `{id}`")).with_help(help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;

    fn team(id: &str) -> Located<TeamId> {
        Located {
            value: TeamId(id.to_owned()),
            loc: Loc::new(3, 7, id.len() as u32),
        }
    }

    #[test]
    fn unknown_teams_are_errors_with_a_suggestion() {
        let ids: BTreeSet<String> = ["goat", "huskies"].map(str::to_owned).into();
        let found = unknown_teams(
            Path::new("1.0.yaml"),
            &[team("huskies"), team("huskys"), team("zebra")],
            Some(&ids),
        );
        let messages: Vec<_> = found
            .iter()
            .map(|d| (d.message.as_str(), d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            messages,
            [
                ("unknown team `huskys`", "did you mean `huskies`?"),
                (
                    "unknown team `zebra`",
                    "add it to teams.yaml, or use one of: goat, huskies"
                )
            ]
        );
        assert!(unknown_teams(Path::new("1.0.yaml"), &[team("zebra")], None).is_empty());
        assert!(known(None, "zebra") && !known(Some(&ids), "zebra"));
    }

    #[test]
    fn unknown_tests_are_errors() {
        let ids: BTreeSet<String> = ["kafka-delivery".to_owned()].into();
        let refs = [Located {
            value: TestId("kafka-delivry".to_owned()),
            loc: Loc::new(9, 11, 13),
        }];
        let found = unknown_tests(Path::new("1.0.yaml"), &refs, Some(&ids));
        assert_eq!(found[0].message, "unknown manual test `kafka-delivry`");
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `kafka-delivery`?")
        );
        let none = BTreeSet::new();
        let found = unknown_tests(Path::new("1.0.yaml"), &refs, Some(&none));
        assert_eq!(
            found[0].help.as_deref(),
            Some("add it to manual-tests.yaml first")
        );
    }
}
