//! The one harness of the test suite: where the fixtures are, the `herald` binary, the render
//! context as every command makes it (through `herald::Project`), a temporary project to
//! edit and build, and the trees a build leaves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

use herald::build::{BuildError, BuildOptions, BuildReport, build};
use herald::render::Context;
use jiff::civil::{Date, date};
use tempfile::TempDir;

/// The day the example plans are seen from: 1.13.0 released, 1.14.0 in progress, 1.15.0 planned.
pub const TODAY: Date = date(2026, 11, 26);

/// The crate's root, where `cargo test` runs the tests.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A folder under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// The tests' copy of the example plans; `releases/` itself is the documentation's.
pub fn example() -> PathBuf {
    fixture("example/releases")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Replaces the one occurrence of `from` in the file at `path`.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` in {}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The `herald` binary, blind to a `HERALD_SITE_URL` of the environment and without stdin.
pub fn herald() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_herald"));
    cmd.env_remove("HERALD_SITE_URL").stdin(Stdio::null());
    cmd
}

/// Runs `herald args` in the crate's root.
pub fn output(args: &[&str]) -> Output {
    herald().args(args).output().expect("herald runs")
}

/// Runs `herald args` in `cwd`: exit code, stdout and stderr.
pub fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = herald()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("herald runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Loads and checks a plans folder as every command does; the plans must have no errors.
pub fn load(dir: &Path, today: Date) -> herald::Project {
    let project = herald::Project::load(dir, today).expect("plans load");
    assert!(
        !project.has_errors(),
        "{}",
        herald::diag::render_human(project.diagnostics(), &project.plans().sources)
    );
    project
}

/// Hands `f` the render context of a plans folder as `herald build` makes it: the plans as of
/// `today`, the templates beside the folder (or the embedded ones) and `site_url`.
pub fn with_context<T>(
    dir: &Path,
    today: Date,
    site_url: Option<&str>,
    f: impl FnOnce(&Context<'_>) -> T,
) -> T {
    let project = load(dir, today);
    let timeline = project.plan();
    let ctx = project
        .context(&timeline, site_url.map(str::to_owned))
        .expect("templates load");
    f(&ctx)
}

/// A copy of a plans folder in a temporary folder, `<tmp>/releases`, so that `templates/` and
/// `book.toml` beside it belong to the copy; the output goes to `<tmp>/out`.
pub struct Project {
    tmp: TempDir,
    pub today: Date,
    pub site_url: Option<String>,
    pub site: bool,
}

impl Project {
    /// A copy of the example plans.
    pub fn new() -> Project {
        Project::of(&example())
    }

    /// A copy of the plans folder `plans`.
    pub fn of(plans: &Path) -> Project {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(plans, &tmp.path().join("releases"));
        Project {
            tmp,
            today: TODAY,
            site_url: None,
            site: false,
        }
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn plans(&self) -> PathBuf {
        self.root().join("releases")
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("out")
    }

    pub fn wiki(&self) -> PathBuf {
        self.out().join("wiki")
    }

    pub fn site_dir(&self) -> PathBuf {
        self.out().join("site")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Replaces the one occurrence of `from` in a file of the project.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        edit(&self.path(rel), from, to);
    }

    /// A file of `OUT/wiki`.
    pub fn read_out(&self, rel: &str) -> String {
        read(self.wiki().join(rel))
    }

    pub fn options_into(&self, out: &Path) -> BuildOptions {
        BuildOptions {
            dir: self.plans(),
            out: out.to_path_buf(),
            today: self.today,
            site_url: self.site_url.clone(),
            site: self.site,
            keep_foreign: false,
            allowed_commands: Vec::new(),
        }
    }

    pub fn try_build(&self) -> Result<BuildReport, BuildError> {
        build(&self.options_into(&self.out()))
    }

    pub fn build(&self) -> BuildReport {
        self.try_build().expect("the plans build")
    }

    /// Runs `herald args --today <today>` in the project's folder, as a user would.
    pub fn herald(&self, args: &[&str]) -> Output {
        self.herald_with(args, &[])
    }

    pub fn herald_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = herald();
        cmd.current_dir(self.root())
            .args(args)
            .arg("--today")
            .arg(self.today.to_string());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }
}

/// Every file under `root` (the build's cache `.herald/` included when under `root`) with its
/// bytes and modification time.
pub type Tree = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

pub fn tree(root: &Path) -> Tree {
    herald::write::list_files(root)
        .unwrap()
        .into_iter()
        .map(|rel| {
            let path = root.join(&rel);
            let bytes = std::fs::read(&path).unwrap();
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            (rel, (bytes, modified))
        })
        .collect()
}

pub fn bytes_of(tree: &Tree) -> BTreeMap<PathBuf, Vec<u8>> {
    tree.iter()
        .map(|(p, (b, _))| (p.clone(), b.clone()))
        .collect()
}

/// Every output file and its bytes; the build's cache (`.herald/`) is not output.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    herald::write::list_files(root)
        .unwrap()
        .into_iter()
        .filter(|p| !p.starts_with(".herald"))
        .map(|p| {
            let bytes = std::fs::read(root.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Every entry under `root` with its bytes (links as their target's name, other special
/// files as empty).
pub fn entries(root: &Path) -> BTreeMap<String, Vec<u8>> {
    herald::write::list_entries(root)
        .unwrap()
        .into_iter()
        .map(|(rel, _)| {
            let path = root.join(&rel);
            let bytes = match std::fs::read_link(&path) {
                Ok(target) => target.to_string_lossy().as_bytes().to_vec(),
                Err(_) => std::fs::read(&path).unwrap_or_default(),
            };
            (rel, bytes)
        })
        .collect()
}
