//! `herald init`: a new plans folder with commented examples that pass `herald check`, and
//! with `--ci` the whole plans repository around it: schemas, site configuration, CI, editor
//! setting and README.

use std::path::{Path, PathBuf};

use crate::load::{TEAMS_FILE, TESTS_FILE};
use crate::schema::{FileKind, schema_text};

/// The repository whose Action and container image the CI files use.
pub const HERALD_REPO: &str = "kyma-project/herald";
/// The container image the GitLab CI file runs herald in.
pub const HERALD_IMAGE: &str = "ghcr.io/kyma-project/herald";

/// The files `init` writes: name in the plans folder, and contents.
pub const FILES: [(&str, &str); 3] = [
    (TEAMS_FILE, include_str!("../templates/init/teams.yaml")),
    (
        TESTS_FILE,
        include_str!("../templates/init/manual-tests.yaml"),
    ),
    ("1.0.yaml", include_str!("../templates/init/1.0.yaml")),
];

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "`{0}` already exists; init writes nothing over existing files (remove it, or pick another folder)"
    )]
    Exists(PathBuf),
    #[error(
        "`{0}` does not name the plans folder; with --ci, give the plans folder by its name (`releases`, `new/releases`): the repository is the folder that holds it"
    )]
    NoName(PathBuf),
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes the example files into `dir`, creating it if needed, and returns the paths written.
/// Nothing is written when any of the files already exists.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let paths: Vec<PathBuf> = FILES.iter().map(|(name, _)| dir.join(name)).collect();
    if let Some(existing) = paths.iter().find(|p| p.exists()) {
        return Err(InitError::Exists(existing.clone()));
    }
    std::fs::create_dir_all(dir).map_err(|source| InitError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for (path, (_, contents)) in paths.iter().zip(FILES) {
        // create_new: a file that appeared since the check above is still not overwritten.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, contents.as_bytes()));
        written.map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => InitError::Exists(path.clone()),
            _ => InitError::Io {
                path: path.clone(),
                source,
            },
        })?;
    }
    Ok(paths)
}

/// The CI a scaffolded repository is checked and published by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ci {
    /// `.github/workflows/herald.yml`, with this repository's Action.
    Github,
    /// `.gitlab-ci.yml`, with herald's container image.
    Gitlab,
}

/// What [`init_repository`] did: files written, and files left as they were because they
/// exist, in the order they are listed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scaffold {
    pub written: Vec<PathBuf>,
    pub skipped: Vec<PathBuf>,
}

/// The files of a plans repository whose plans folder is `plans` (a name, not a path),
/// relative to the repository's root; the plan files themselves are [`FILES`].
pub fn repository_files(plans: &str, ci: Ci) -> Vec<(PathBuf, String)> {
    let fill = |text: &str| {
        text.replace("@PLANS@", plans)
            .replace("@ACTION@", HERALD_REPO)
            .replace("@IMAGE@", HERALD_IMAGE)
            .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
    };
    let mut files: Vec<(PathBuf, String)> = FileKind::ALL
        .iter()
        .map(|&kind| {
            (
                Path::new("schema").join(kind.file_name()),
                schema_text(kind),
            )
        })
        .collect();
    let ci_file = match ci {
        Ci::Github => (
            ".github/workflows/herald.yml",
            include_str!("../templates/init/repo/github-workflow.yml"),
        ),
        Ci::Gitlab => (
            ".gitlab-ci.yml",
            include_str!("../templates/init/repo/gitlab-ci.yml"),
        ),
    };
    for (name, text) in [
        (
            "book.toml",
            include_str!("../templates/init/repo/book.toml"),
        ),
        ci_file,
        (
            ".vscode/settings.json",
            include_str!("../templates/init/repo/vscode-settings.json"),
        ),
        (
            ".gitignore",
            include_str!("../templates/init/repo/gitignore"),
        ),
        (
            "README.md",
            include_str!("../templates/init/repo/README.md"),
        ),
    ] {
        files.push((PathBuf::from(name), fill(text)));
    }
    files
}

/// Scaffolds a plans repository: the example plans in `plans_dir`, and beside it, in the
/// folder that holds it (the repository), the schemas, `book.toml`, the CI file, the editor
/// setting, `.gitignore` and a README. Never overwrites: an existing file is skipped, and the
/// example plans are skipped together when the plans folder already has any of them, so
/// they never mix with plans of one's own.
pub fn init_repository(plans_dir: &Path, ci: Ci) -> Result<Scaffold, InitError> {
    let Some(plans) = plans_dir.file_name().and_then(|n| n.to_str()) else {
        return Err(InitError::NoName(plans_dir.to_path_buf()));
    };
    let root = plans_dir.parent().unwrap_or(Path::new(""));
    let mut done = Scaffold::default();
    let plan_paths: Vec<PathBuf> = FILES.iter().map(|(name, _)| plans_dir.join(name)).collect();
    if plan_paths.iter().any(|p| p.exists()) {
        done.skipped
            .extend(plan_paths.into_iter().filter(|p| p.exists()));
    } else {
        for (path, (_, text)) in plan_paths.into_iter().zip(FILES) {
            write_new(&path, text, &mut done)?;
        }
    }
    for (rel, text) in repository_files(plans, ci) {
        write_new(&root.join(rel), &text, &mut done)?;
    }
    Ok(done)
}

/// Writes a file that does not exist yet, creating its folder; an existing one is skipped.
fn write_new(path: &Path, text: &str, done: &mut Scaffold) -> Result<(), InitError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| InitError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => done.written.push(path.to_path_buf()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            done.skipped.push(path.to_path_buf())
        }
        Err(source) => {
            return Err(InitError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_pass_check_without_errors_or_warnings() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("plans");
        let written = init(&dir).expect("init");
        assert_eq!(written.len(), 3);
        let today = "2026-11-26".parse().expect("date");
        let checked = crate::check(&dir, today, true).expect("loads");
        assert_eq!(checked.diags.items(), &[], "diagnostics");
        assert_eq!(checked.plans.teams.len(), 2);
        assert_eq!(checked.plans.tests.len(), 2);
        let release = &checked.plans.releases[0];
        assert_eq!(release.version.value.to_string(), "1.0.0");
        assert_eq!(release.schedule.candidates.len(), 2);
        assert_eq!(
            std::fs::read_to_string(dir.join("teams.yaml")).expect("read"),
            FILES[0].1
        );
    }

    #[test]
    fn refuses_to_overwrite_and_writes_nothing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("manual-tests.yaml"), "mine").expect("write");
        let err = init(tmp.path()).unwrap_err();
        assert!(matches!(&err, InitError::Exists(p) if p.ends_with("manual-tests.yaml")));
        assert!(!tmp.path().join("teams.yaml").exists());
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("manual-tests.yaml")).expect("read"),
            "mine"
        );
    }

    #[test]
    fn a_repository_is_scaffolded_beside_the_plans_and_checks_clean() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("releases");
        let done = init_repository(&dir, Ci::Gitlab).expect("init");
        let names: Vec<String> = done
            .written
            .iter()
            .map(|p| {
                p.strip_prefix(tmp.path())
                    .expect("inside")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "releases/teams.yaml",
                "releases/manual-tests.yaml",
                "releases/1.0.yaml",
                "schema/release.json",
                "schema/teams.json",
                "schema/tests.json",
                "book.toml",
                ".gitlab-ci.yml",
                ".vscode/settings.json",
                ".gitignore",
                "README.md",
            ]
        );
        assert_eq!(done.skipped, Vec::<PathBuf>::new());
        let ci = std::fs::read_to_string(tmp.path().join(".gitlab-ci.yml")).expect("read");
        assert!(ci.contains("    - herald check releases\n"), "{ci}");
        assert!(
            ci.contains(&format!(
                "  name: {HERALD_IMAGE}:{}\n",
                env!("CARGO_PKG_VERSION")
            )),
            "{ci}"
        );
        let today = "2026-11-26".parse().expect("date");
        let checked = crate::check(&dir, today, true).expect("loads");
        assert_eq!(checked.diags.items(), &[], "diagnostics");
    }

    #[test]
    fn existing_files_are_skipped_and_the_examples_kept_out_of_existing_plans() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("plans");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("teams.yaml"), "mine").expect("write");
        std::fs::write(tmp.path().join("README.md"), "ours").expect("write");
        let done = init_repository(&dir, Ci::Github).expect("init");
        assert_eq!(
            done.skipped,
            [dir.join("teams.yaml"), tmp.path().join("README.md")]
        );
        assert!(!dir.join("1.0.yaml").exists());
        assert!(
            done.written
                .contains(&tmp.path().join(".github/workflows/herald.yml"))
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("README.md")).expect("read"),
            "ours"
        );
        let settings =
            std::fs::read_to_string(tmp.path().join(".vscode/settings.json")).expect("read");
        assert!(
            settings.contains(r#""./schema/teams.json": ["plans/teams.yaml", "plans/teams.yml"]"#)
        );
    }

    #[test]
    fn a_plans_folder_without_a_name_is_refused() {
        let err = init_repository(Path::new("."), Ci::Github).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`.` does not name the plans folder; with --ci, give the plans folder by its name (`releases`, `new/releases`): the repository is the folder that holds it"
        );
    }
}
