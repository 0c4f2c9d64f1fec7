//! `herald init`: a new plans folder with commented examples that pass `herald check`.

use std::path::{Path, PathBuf};

use crate::load::{TEAMS_FILE, TESTS_FILE};

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
}
