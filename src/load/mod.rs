//! Reads a plans folder: finds its files, reads each as a regular file inside the folder,
//! parses values and reads the shapes of the three kinds of files into the model, reporting
//! everything it cannot read with its place. It judges nothing: that is `check`'s part.

pub mod cache;
mod folder;
mod reader;
mod registry;
mod release;
pub mod shape;
pub mod templates;
mod values;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostics, show_path};
use crate::model::*;

pub use cache::ParseCache;
pub use folder::{Refused, read_plan_bytes};
pub use reader::did_you_mean;

use folder::{
    FileRead, RELEASE_MISSING_HELP, TEAMS_MISSING_HELP, list_folder, parsed, read_file,
    registry_path,
};
use reader::Reader;
use registry::{read_teams, read_tests, written_ids};
use release::read_release;

pub use release::{PullRequestRead, ReleaseRead};

pub const TEAMS_FILE: &str = "teams.yaml";
pub const TESTS_FILE: &str = "manual-tests.yaml";

/// Why a plans folder could not be read at all (as opposed to problems inside it).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("plans folder `{0}` does not exist (create it with `herald init {0}`)")]
    Missing(String),
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The plans as far as they read, and what could not be read. The rules of `check` have not
/// judged them yet.
pub struct Loaded {
    /// The teams and tests that read whole, and the releases that read without an error, in
    /// file order.
    pub plans: Plans,
    pub registries: Registries,
    /// Every release file that parsed, as far as it read.
    pub releases: Vec<ReleaseRead>,
    pub diags: Diagnostics,
}

/// What the registry files say, for judging the references to them.
#[derive(Debug, Default)]
pub struct Registries {
    pub teams_file: PathBuf,
    pub tests_file: PathBuf,
    /// Every valid team id written in the team registry, whatever else is wrong there.
    pub team_ids_written: BTreeSet<String>,
    /// The team ids the plans may name; `None` when the registry could not be read, so
    /// references to it are not judged (its own error says why).
    pub team_ids: Option<BTreeSet<String>>,
    /// The test ids the releases may name; `None` when the catalogue could not be read.
    pub test_ids: Option<BTreeSet<String>>,
    /// The team of every scrum master in the team registry.
    pub scrum_master_teams: Vec<Located<TeamId>>,
    /// The owning team of every test in the catalogue.
    pub test_teams: Vec<Located<TeamId>>,
}

/// Loads every file of a plans folder.
pub fn load(dir: &Path) -> Result<Loaded, LoadError> {
    load_with(dir, None)
}

/// As [`load`], with `replaced`'s text read for that release file instead of the disk's: an
/// edit is judged before it is written.
pub fn load_with(dir: &Path, replaced: Option<(&Path, &str)>) -> Result<Loaded, LoadError> {
    load_files(dir, replaced, None)
}

/// As [`load`], taking the trees of files whose text did not change from `cache` (and
/// keeping every tree in it for the next build).
pub fn load_cached(dir: &Path, cache: &ParseCache) -> Result<Loaded, LoadError> {
    load_files(dir, None, Some(cache))
}

fn load_files(
    dir: &Path,
    replaced: Option<(&Path, &str)>,
    cache: Option<&ParseCache>,
) -> Result<Loaded, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::Missing(show_path(dir)));
    }
    let io = |path: &Path, source| LoadError::Io {
        path: show_path(path),
        source,
    };
    // Files are read only when they are inside this folder, links resolved.
    let root = std::fs::canonicalize(dir).map_err(|e| io(dir, e))?;
    let listing = list_folder(dir).map_err(|e| io(dir, e))?;
    let release_files = &listing.releases;

    let mut plans = Plans {
        dir: dir.to_path_buf(),
        ..Plans::default()
    };
    let mut diags = Diagnostics::default();
    diags.extend(listing.refused.iter().cloned());

    // Reading and parsing is most of the work, and every file is independent. The registry
    // files come first: releases refer to their ids.
    let (teams_path, misnamed) = registry_path(dir, TEAMS_FILE, &listing, "team registry");
    diags.extend(misnamed);
    let (tests_path, misnamed) = registry_path(dir, TESTS_FILE, &listing, "manual-test catalogue");
    diags.extend(misnamed);
    let (teams_read, tests_read) = rayon::join(
        || read_file(&teams_path, &root, Some(TEAMS_MISSING_HELP), cache),
        || read_file(&tests_path, &root, None, cache),
    );
    let (mut teams_read, mut tests_read) = (teams_read?, tests_read?);
    // A registry that cannot be read says so once, instead of every reference to it
    // becoming an error of its own.
    for (outcome, what) in [
        (&mut teams_read, "team references"),
        (&mut tests_read, "manual-test references"),
    ] {
        if outcome.node.is_none()
            && let Some(d) = &mut outcome.diag
        {
            let help = d.help.get_or_insert_with(String::new);
            help.push_str(&format!(
                "; {what} in the release plans are not checked until it can be read"
            ));
        }
    }
    let mut keep = |path: &Path, outcome: FileRead| {
        if let Some(text) = outcome.text {
            plans.files += 1;
            plans.sources.insert(path.to_path_buf(), text);
        }
        diags.extend(outcome.diag);
        outcome.node
    };
    let tests_missing = tests_read.text.is_none() && tests_read.diag.is_none();
    let teams_node = keep(&teams_path, teams_read);
    let tests_node = keep(&tests_path, tests_read);

    // References are judged against every id written, even in entries with other mistakes,
    // so one mistyped field in a team does not also make every mention of it an error. A
    // registry whose ids cannot be found at all (`None`) is not judged against.
    let mut registries = Registries {
        teams_file: teams_path.clone(),
        tests_file: tests_path.clone(),
        ..Registries::default()
    };
    if let Some(node) = teams_node {
        let ids = written_ids(&node, "teams");
        let mut r = Reader::new(&teams_path, plans.sources.get(&teams_path).unwrap_or(""));
        (plans.teams, registries.scrum_master_teams) = read_teams(&mut r, &node);
        registries.team_ids = (!ids.is_empty() || !r.has_errors()).then(|| ids.clone());
        registries.team_ids_written = ids;
        diags.extend(r.diags);
    }
    // No catalogue at all is a catalogue without tests: a release may not name any.
    registries.test_ids = tests_missing.then(BTreeSet::new);
    if let Some(node) = tests_node {
        let ids = written_ids(&node, "tests");
        let mut r = Reader::new(&tests_path, plans.sources.get(&tests_path).unwrap_or(""));
        (plans.tests, registries.test_teams) = read_tests(&mut r, &node);
        registries.test_ids = (!ids.is_empty() || !r.has_errors()).then_some(ids);
        diags.extend(r.diags);
    }

    // Each release is parsed and converted in one go, so its node tree is dropped at once.
    let converted: Vec<_> = release_files
        .par_iter()
        .map(|path| {
            let outcome = match replaced {
                Some((file, text)) if file == path.as_path() => {
                    parsed(path, text.to_owned(), cache)
                }
                _ => read_file(path, &root, Some(RELEASE_MISSING_HELP), cache)?,
            };
            let converted = outcome.node.as_ref().map(|node| {
                let mut r = Reader::new(path, outcome.text.as_deref().unwrap_or(""));
                let (read, release) = read_release(&mut r, node);
                (read, release, r.diags)
            });
            Ok((path, outcome.text, outcome.diag, converted))
        })
        .collect::<Result<_, LoadError>>()?;
    let mut releases = Vec::new();
    for (path, text, diag, converted) in converted {
        if let Some(text) = text {
            plans.files += 1;
            plans.sources.insert(path.clone(), text);
        }
        diags.extend(diag);
        if let Some((read, release, file_diags)) = converted {
            releases.push(read);
            plans.releases.extend(release);
            diags.extend(file_diags);
        }
    }
    Ok(Loaded {
        plans,
        registries,
        releases,
        diags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::time::{Duration, Instant};

    /// A plans folder with the good fixture's registry and catalogue, then `files` on top.
    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        let good = Path::new("tests/fixtures/check/good");
        for name in ["teams.yaml", "manual-tests.yaml", "1.0.yaml"] {
            std::fs::copy(good.join(name), tmp.path().join(name)).expect("copy");
        }
        for (name, bytes) in files {
            std::fs::write(tmp.path().join(name), bytes).expect("write");
        }
        tmp
    }

    /// What `herald check` prints for the folder, with the folder's path cut off, and how
    /// long loading and checking took.
    fn human(dir: &Path) -> (String, Duration) {
        let started = Instant::now();
        let today = jiff::civil::Date::constant(2026, 11, 26);
        let checked = crate::check(dir, today, false).expect("loads");
        let elapsed = started.elapsed();
        let text = crate::diag::render_human(&checked.diags, &checked.plans.sources)
            + &crate::diag::summary_line(&checked.diags, checked.files());
        let prefix = format!("{}/", show_path(dir));
        (text.replace(&prefix, ""), elapsed)
    }

    const LINK_HELP: &str =
        "  = help: copy the file into the plans folder instead of linking to it\n";

    /// Finding 7: a plan linked to a file outside the folder is refused, and not a byte of
    /// the target reaches the output.
    #[cfg(unix)]
    #[test]
    fn links_to_files_outside_the_folder_are_refused_without_quoting_them() {
        let outside = tempfile::tempdir().expect("tempdir");
        let secret = outside.path().join("id_ed25519");
        std::fs::write(&secret, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecret\n")
            .expect("write");
        let dir = folder(&[]);
        for name in ["teams.yaml", "2.0.yaml"] {
            let link = dir.path().join(name);
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&secret, &link).expect("symlink");
        }
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            format!(
                "2.0.yaml:1:1: error: file is a symbolic link to a place outside the plans folder, so herald does not read it\n{LINK_HELP}\n\
                 teams.yaml:1:1: error: file is a symbolic link to a place outside the plans folder, so herald does not read it\n\
                 \x20 = help: copy the file into the plans folder instead of linking to it; team references in the release plans are not checked until it can be read\n\n\
                 2 errors, 0 warnings in 2 files"
            )
        );
        assert!(!text.contains("OPENSSH") && !text.contains("secret"));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_folder_are_read_and_dangling_ones_reported() {
        let dir = folder(&[(
            "teams.real",
            b"teams:\n  - { id: huskies, name: Huskies }\n  - { id: goat, name: Goat }\n",
        )]);
        let teams = dir.path().join("teams.yaml");
        std::fs::remove_file(&teams).expect("remove");
        std::os::unix::fs::symlink("teams.real", &teams).expect("symlink");
        std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("2.0.yaml")).expect("symlink");
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            "2.0.yaml:1:1: error: file is a symbolic link to a file that does not exist\n\
             \x20 = help: replace the link with the file, or point it at a file inside the plans folder\n\n\
             1 error, 0 warnings in 3 files"
        );
    }

    /// Finding 13: a FIFO named like a plan is refused without being opened (opening it for
    /// reading would wait for a writer forever), and so is a device behind a link.
    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_without_opening_them() {
        let dir = folder(&[]);
        let fifo = dir.path().join("teams.yaml");
        std::fs::remove_file(&fifo).expect("remove");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("2.0.yaml")).expect("symlink");
        let (text, elapsed) = human(dir.path());
        assert_eq!(
            text,
            format!(
                "2.0.yaml:1:1: error: file is a symbolic link to a place outside the plans folder, so herald does not read it\n{LINK_HELP}\n\
                 teams.yaml:1:1: error: file is a named pipe (FIFO), not a regular file, so herald does not read it\n\
                 \x20 = help: replace it with a regular file holding the plan, or move it out of the plans folder; team references in the release plans are not checked until it can be read\n\n\
                 2 errors, 0 warnings in 2 files"
            )
        );
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        assert!(matches!(
            read_plan_bytes(Path::new("/dev/zero"), Path::new("/")),
            Err(Refused::NotAFile("a character device"))
        ));
        assert!(matches!(
            read_plan_bytes(&root, Path::new("/")),
            Err(Refused::NotAFile("a folder"))
        ));
    }

    /// Finding 13: the size limit holds before and while reading: a 2 GB sparse file is
    /// refused from its size, without reading it.
    #[test]
    fn huge_files_are_refused_without_reading_them() {
        let dir = folder(&[]);
        let file = std::fs::File::create(dir.path().join("teams.yaml")).expect("create");
        file.set_len(2 << 30).expect("sparse file");
        let (text, elapsed) = human(dir.path());
        assert!(
            text.starts_with(
                "teams.yaml:1:1: error: file is 2147483648 bytes, more than the 4194304 a plan may have\n"
            ),
            "{text}"
        );
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }

    /// `build` fingerprints the plans before checking them: it read a 2 GB file whole (and a
    /// FIFO behind a link would block); it reads as the loader does now.
    #[cfg(unix)]
    #[test]
    fn the_build_fingerprint_reads_plans_as_the_loader_does() {
        let dir = folder(&[]);
        let file = std::fs::File::create(dir.path().join("teams.yaml")).expect("create");
        file.set_len(2 << 30).expect("sparse file");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        std::os::unix::fs::symlink(&fifo, dir.path().join("2.0.yaml")).expect("symlink");
        let started = Instant::now();
        let prints = crate::write::keys::fingerprint_plans(dir.path()).expect("fingerprints");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            prints[&dir.path().join("teams.yaml")],
            "refused: TooLarge(Some(2147483648))"
        );
        assert_eq!(prints.len(), 3, "{prints:?}");
    }

    /// A file name that is not UTF-8 was "missing" with the registry's hint; one with a line
    /// break split the `path:line:column` line.
    #[cfg(unix)]
    #[test]
    fn odd_file_names_are_named_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let dir = folder(&[("2.0\n\u{1b}[31m.yaml", b"version: 2.0.0\n")]);
        let bad = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(b"2.1\xff.yaml"));
        std::fs::write(&bad, "version: 2.1.0\n").expect("write");
        let (text, _) = human(dir.path());
        assert!(
            text.starts_with(
                "2.0\\n\\u{1b}[31m.yaml:1:1: error: missing required field `channels` in a release plan\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "2.1\\xff.yaml:1:1: error: the file name is not valid UTF-8, so herald does not read the file\n\
                 \x20 = help: rename the file using UTF-8 characters only, for example `1.14.yaml`\n"
            ),
            "{text}"
        );
        assert!(!text.contains("missing\n"), "{text}");
    }

    /// `teams.yml` was read as a release plan; it is the registry, misnamed.
    #[test]
    fn registries_named_yml_are_read_as_registries_and_reported() {
        let good = std::fs::read("tests/fixtures/check/good/teams.yaml").expect("read");
        let dir = folder(&[("teams.yml", &good)]);
        std::fs::remove_file(dir.path().join("teams.yaml")).expect("remove");
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            "teams.yml:1:1: error: the team registry must be named `teams.yaml`\n  |\n1 | teams:\n  | ^\n\
             \x20 = help: rename the file to `teams.yaml`; until then herald reads it as the team registry, so the other errors are real\n\n\
             1 error, 0 warnings in 3 files"
        );
        let dir = folder(&[("manual-tests.yml", b"tests: []\n")]);
        let (text, _) = human(dir.path());
        assert!(
            text.starts_with(
                "manual-tests.yml:1:1: error: a second manual-test catalogue: herald reads `manual-tests.yaml`, so this file is not read\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("1 error, 0 warnings in 3 files"), "{text}");
    }

    /// One syntax error in the registry gave one error per team reference in the releases.
    #[test]
    fn an_unreadable_registry_is_one_error_not_one_per_reference() {
        let dir = folder(&[(
            "teams.yaml",
            b"teams:\n  - { id: huskies, name: Huskies\n  - { id: goat }\n",
        )]);
        let (text, _) = human(dir.path());
        assert!(text.ends_with("1 error, 0 warnings in 3 files"), "{text}");
        assert!(
            text.contains(
                "team references in the release plans are not checked until it can be read"
            ),
            "{text}"
        );
        // A catalogue that cannot be read: test ids are not checked either.
        let dir = folder(&[("manual-tests.yaml", b"tests: [\n")]);
        let (text, _) = human(dir.path());
        assert!(text.ends_with("1 error, 0 warnings in 3 files"), "{text}");
        // A registry that reads, but where no id can be found at all, counts as unreadable.
        let dir = folder(&[("teams.yaml", b"team:\n  - { id: huskies, name: Huskies }\n")]);
        let (text, _) = human(dir.path());
        assert!(!text.contains("unknown team"), "{text}");
        // A missing catalogue still means a release may not name tests.
        let dir = folder(&[]);
        std::fs::remove_file(dir.path().join("manual-tests.yaml")).expect("remove");
        let (text, _) = human(dir.path());
        assert!(
            text.contains("error: unknown manual test `kafka-delivery`"),
            "{text}"
        );
    }

    /// A file with lone CR line breaks whose first line is a comment was "empty".
    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        let good = std::fs::read_to_string("tests/fixtures/check/good/1.0.yaml").expect("read");
        let cr = good
            .replace('\n', "\r")
            .replace("timezone: Europe/Berlin", "timezone: Europe/Berln");
        let dir = folder(&[("1.0.yaml", cr.as_bytes())]);
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            "1.0.yaml:3:11: error: unknown time zone `Europe/Berln`\n  |\n3 | timezone: Europe/Berln\n  |           ^^^^^^^^^^^^\n\
             \x20 = help: did you mean `Europe/Berlin`?\n\n1 error, 0 warnings in 3 files"
        );
        let dir = folder(&[("1.0.yaml", b"version: 1.0.0\rcodename: \xff\r")]);
        let (text, _) = human(dir.path());
        assert!(
            text.starts_with("1.0.yaml:2:11: error: file is not valid UTF-8 text\n"),
            "{text}"
        );
    }

    /// Finding 12: "did you mean" on huge unknown values took seconds.
    #[test]
    fn huge_unknown_values_check_quickly() {
        let good = std::fs::read_to_string("tests/fixtures/check/good/1.0.yaml").expect("read");
        let zone = "Europe/Berlin".repeat(80_000);
        let release = good.replace("timezone: Europe/Berlin", &format!("timezone: {zone}"));
        let mut tests = String::from("tests:\n");
        for i in 0..1000 {
            tests.push_str(&format!(
                "  - {{ id: test-{i}, title: T, team: goat, steps: s, expected: e }}\n"
            ));
        }
        let id = "t".repeat(300_000);
        let release = release.replace("skip: [kafka-delivery]", &format!("skip: [{id}]"));
        let dir = folder(&[
            ("1.0.yaml", release.as_bytes()),
            ("manual-tests.yaml", tests.as_bytes()),
        ]);
        let (text, elapsed) = human(dir.path());
        assert!(
            text.contains("error: unknown time zone `Europe/BerlinEurope/Berlin"),
            "{}",
            &text[..300]
        );
        assert!(
            text.contains("error: unknown manual test `ttttt"),
            "{}",
            &text[..300]
        );
        assert!(text.contains("= help: use an IANA zone name such as Europe/Berlin"));
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }
}
