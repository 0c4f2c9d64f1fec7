//! `sent` names drafts of the release.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::load::did_you_mean;
use crate::model::Located;
use crate::plan::DraftKind;

/// The draft ids of a release with these candidates, as the drafts' vocabulary lists them.
fn draft_ids(candidates: &[String]) -> Vec<String> {
    DraftKind::all(candidates)
        .iter()
        .map(DraftKind::id)
        .collect()
}

/// A warning for every entry of `sent` that is not a draft of the release.
pub fn check(file: &Path, sent: &[Located<String>], candidates: &[String]) -> Vec<Diagnostic> {
    let known = draft_ids(candidates);
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    sent.iter()
        .filter(|id| !refs.contains(&id.value.as_str()))
        .map(|id| {
            let help = match did_you_mean(&id.value, &refs) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the drafts of this release are {}", refs.join(", ")),
            };
            Diagnostic::warning(
                file,
                id.loc,
                format!(
                    "`sent` names `{}`, which is not a draft of this release",
                    id.value
                ),
            )
            .with_help(help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;

    #[test]
    fn only_drafts_of_the_release_may_be_sent() {
        let sent = ["approvals", "cherry-pick-rc1", "cherry-pick-rc3", "zzz"].map(|id| Located {
            value: id.to_owned(),
            loc: Loc::new(2, 5, 1),
        });
        let found = check(Path::new("1.0.yaml"), &sent, &["rc1".to_owned()]);
        let messages: Vec<_> = found
            .iter()
            .map(|d| (d.message.as_str(), d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "`sent` names `cherry-pick-rc3`, which is not a draft of this release",
                    "did you mean `cherry-pick-rc1`?"
                ),
                (
                    "`sent` names `zzz`, which is not a draft of this release",
                    "the drafts of this release are deadlines, test-environment, approvals, failing-tests, release, schedule-change, cherry-pick-rc1, manual-tests-rc1"
                ),
            ]
        );
    }
}
