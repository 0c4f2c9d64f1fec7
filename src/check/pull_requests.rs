//! A pull request names the teams that must approve it, and only they approve it.

use std::collections::BTreeSet;
use std::path::Path;

use super::references::known;
use crate::diag::Diagnostic;
use crate::load::PullRequestRead;

/// Pull requests naming a team that does not exist are left to the reference rule.
pub fn check(
    file: &Path,
    pull_requests: &[PullRequestRead],
    team_ids: Option<&BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for pr in pull_requests {
        if !pr
            .teams
            .iter()
            .chain(&pr.approved_by)
            .all(|t| known(team_ids, &t.value.0))
        {
            continue;
        }
        if pr.teams.is_empty() {
            out.push(Diagnostic::error(
                file,
                pr.loc,
                "a pull request needs the `teams` that must approve it",
            ));
        }
        for approved in &pr.approved_by {
            if !pr.teams.iter().any(|t| t.value == approved.value) {
                out.push(
                    Diagnostic::warning(
                        file,
                        approved.loc,
                        format!(
                            "`{}` approved, but is not among the pull request's teams",
                            approved.value
                        ),
                    )
                    .with_help(
                        "add it to `teams` if its approval is needed, or remove it from `approved_by`",
                    ),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Loc, Severity};
    use crate::model::{Located, TeamId};

    fn teams(ids: &[&str]) -> Vec<Located<TeamId>> {
        ids.iter()
            .map(|id| Located {
                value: TeamId((*id).to_owned()),
                loc: Loc::new(5, 3, 1),
            })
            .collect()
    }

    fn pr(asked: &[&str], approved: &[&str]) -> PullRequestRead {
        PullRequestRead {
            loc: Loc::new(4, 5, 1),
            teams: teams(asked),
            approved_by: teams(approved),
        }
    }

    #[test]
    fn teams_are_needed_and_approvals_come_from_them() {
        let file = Path::new("1.0.yaml");
        let found = check(file, &[pr(&[], &[])], None);
        assert_eq!(
            found[0].message,
            "a pull request needs the `teams` that must approve it"
        );
        let found = check(file, &[pr(&["goat"], &["goat", "huskies"])], None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(
            found[0].message,
            "`huskies` approved, but is not among the pull request's teams"
        );
        let ids: BTreeSet<String> = ["goat".to_owned()].into();
        assert!(check(file, &[pr(&["goat"], &["huskies"])], Some(&ids)).is_empty());
    }
}
