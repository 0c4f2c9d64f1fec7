//! Ids that must be unique: team ids, test ids, and the version each release file plans.

use std::path::Path;

use crate::diag::{Diagnostic, show_path};
use crate::load::ReleaseRead;
use crate::model::{ManualTest, Team};

/// Every team whose id an earlier team already has.
pub fn team_ids(file: &Path, teams: &[Team]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, team) in teams.iter().enumerate() {
        if let Some(first) = teams[..i].iter().find(|t| t.id == team.id) {
            out.push(
                Diagnostic::error(
                    file,
                    team.loc,
                    format!(
                        "duplicate team id `{}` (first defined on line {})",
                        team.id, first.loc.line
                    ),
                )
                .with_help("team ids must be unique; rename or remove one"),
            );
        }
    }
    out
}

/// Every test whose id an earlier test already has.
pub fn test_ids(file: &Path, tests: &[ManualTest]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, test) in tests.iter().enumerate() {
        if let Some(first) = tests[..i].iter().find(|t| t.id == test.id) {
            out.push(
                Diagnostic::error(
                    file,
                    test.loc,
                    format!(
                        "duplicate test id `{}` (first defined on line {})",
                        test.id, first.loc.line
                    ),
                )
                .with_help("test ids must be unique; rename or remove one"),
            );
        }
    }
    out
}

/// A version planned in two files, reported in the later one. Every version written counts,
/// also in files with other mistakes.
pub fn versions(releases: &[ReleaseRead]) -> Vec<Diagnostic> {
    let mut versions: Vec<_> = releases
        .iter()
        .filter_map(|r| r.version.as_ref().map(|v| (&v.value, &r.file, v.loc)))
        .collect();
    versions.sort();
    let mut out = Vec::new();
    for pair in versions.windows(2) {
        let ((version, first, _), (again, file, loc)) = (&pair[0], &pair[1]);
        if version == again {
            out.push(
                Diagnostic::error(
                    file,
                    *loc,
                    format!("version {version} is also planned in {}", show_path(first)),
                )
                .with_help("each release has one plan file; merge them or change the version"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::model::{Located, TeamId};

    fn team(id: &str, line: u32) -> Team {
        Team {
            id: TeamId(id.to_owned()),
            name: id.to_owned(),
            areas: Vec::new(),
            slack_channel: None,
            slack_group: None,
            scrum_master: None,
            loc: Loc::new(line, 9, 1),
        }
    }

    #[test]
    fn a_repeated_team_id_names_the_first() {
        let teams = [team("goat", 2), team("huskies", 3), team("goat", 4)];
        let found = team_ids(Path::new("teams.yaml"), &teams);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "duplicate team id `goat` (first defined on line 2)"
        );
        assert_eq!(found[0].loc.line, 4);
    }

    #[test]
    fn a_version_planned_twice_is_reported_in_the_later_file() {
        let read = |file: &str, line| ReleaseRead {
            file: file.into(),
            version: Some(Located {
                value: semver::Version::new(1, 0, 0),
                loc: Loc::new(line, 10, 5),
            }),
            ..ReleaseRead::default()
        };
        let found = versions(&[read("b.yaml", 2), read("a.yaml", 1)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].file, Path::new("b.yaml"));
        assert_eq!(found[0].message, "version 1.0.0 is also planned in a.yaml");
    }
}
