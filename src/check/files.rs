//! A release file's name should say which release it plans.

use crate::diag::Diagnostic;
use crate::model::Release;

pub fn check(release: &Release) -> Vec<Diagnostic> {
    let v = &release.version.value;
    let stem = release
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let short = format!("{}.{}", v.major, v.minor);
    if stem == v.to_string() || (v.pre.is_empty() && stem == short) {
        return Vec::new();
    }
    vec![
        Diagnostic::warning(
            &release.file,
            release.version.loc,
            format!("file `{stem}` plans version {v}; its name does not match"),
        )
        .with_help(format!("rename the file to `{short}.yaml` or `{v}.yaml`")),
    ]
}
