//! The plans folder as it was at a git revision. herald asks the `git` program, which is
//! present wherever plans are edited and on every CI runner, handles shallow clones, and costs
//! nothing to compile (the `gix` crate would add a large dependency tree to every build). Only
//! the one commit asked for is read: its tree listing and the blobs of the folder's YAML files,
//! in one `git cat-file --batch`, never a walk of the history.
//!
//! The files are written into a temporary folder and loaded and checked there as any plans
//! folder is, so every rule and limit of `load` and `check` applies to the past as well.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jiff::civil::Date;

use crate::LoadError;
use crate::diag::show_path;
use crate::plan::Timeline;
use crate::plan::changes::{ScheduleLog, changes};
use crate::project::Project;

/// Why the plans at a revision could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot run `git` ({0}); install git to compare plans with their history")]
    GitMissing(std::io::Error),
    #[error(
        "{dir} is not inside a git repository, so it has no history to compare with (git says: {said})"
    )]
    NotARepository { dir: String, said: String },
    #[error(
        "`{revision}` is not a revision git can read: a revision is a commit, a branch or a tag (`HEAD~1`, `origin/main`, `v1.14-plan`)"
    )]
    BadRevision { revision: String },
    #[error(
        "git knows no commit `{revision}` in {top}; check the name with `git log --oneline` or fetch it (`git fetch origin {revision}`)"
    )]
    UnknownRevision { revision: String, top: String },
    #[error(
        "`{revision}` names a {kind}, not a commit; give a commit, a branch or a tag (`HEAD~1`, `origin/main`, `v1.14-plan`)"
    )]
    NotACommit { revision: String, kind: String },
    #[error(
        "git knows no commit `{revision}`: {top} is a shallow clone, and the commit is not in the history it fetched; fetch it or more history (a branch: `git fetch --depth=1 origin main`; an older commit: `git fetch --deepen=50` or `git fetch --unshallow`; in GitHub Actions: `fetch-depth: 0` in actions/checkout)"
    )]
    Shallow { revision: String, top: String },
    #[error("`git {command}` failed: {said}")]
    Git { command: String, said: String },
    #[error("cannot write the plans at {revision} into a temporary folder: {source}")]
    Io {
        revision: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// The plans folder as it was at a commit, loaded and checked.
pub struct Snapshot {
    /// The commit the revision named, in full.
    pub commit: String,
    /// Its abbreviated name, as git shows it.
    pub short: String,
    /// Whether the folder existed at that commit at all.
    pub existed: bool,
    /// Loaded from `folder`; its file names are those of the commit.
    pub project: Project,
    /// Where the files were written; removed when the snapshot is dropped.
    _folder: TempFolder,
}

/// Reads the plans folder `dir` as it was at `revision` and checks it as of `today`.
pub fn plans_at(dir: &Path, revision: &str, today: Date) -> Result<Snapshot, HistoryError> {
    if revision.is_empty() || revision.starts_with('-') || revision.contains(['\0', '\n']) {
        return Err(HistoryError::BadRevision {
            revision: revision.to_owned(),
        });
    }
    if !dir.is_dir() {
        return Err(LoadError::Missing(show_path(dir)).into());
    }
    let git = Git { dir };
    let top = match git.run(&["rev-parse", "--show-toplevel"]) {
        Ok(top) => top,
        Err(HistoryError::Git { said, .. }) => {
            return Err(HistoryError::NotARepository {
                dir: show_path(dir),
                said,
            });
        }
        Err(e) => return Err(e),
    };
    let prefix = git.run(&["rev-parse", "--show-prefix"])?;
    // The object first, then its commit: `:/message` and `HEAD@{1}` name commits too, and a
    // tree or blob is told apart from a name git does not know.
    let commit = match git
        .run(&["rev-parse", "--verify", "--quiet", revision])
        .and_then(|object| {
            git.run(&[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{object}^{{commit}}"),
            ])
            .map_err(|_| {
                let kind = git
                    .run(&["cat-file", "-t", &object])
                    .unwrap_or_else(|_| "object".to_owned());
                HistoryError::NotACommit {
                    revision: revision.to_owned(),
                    kind,
                }
            })
        }) {
        Ok(commit) => commit,
        Err(e @ HistoryError::NotACommit { .. }) => return Err(e),
        Err(HistoryError::Git { .. }) => {
            let shallow = git.run(&["rev-parse", "--is-shallow-repository"])?;
            let (revision, top) = (revision.to_owned(), top.clone());
            return Err(if shallow == "true" {
                HistoryError::Shallow { revision, top }
            } else {
                HistoryError::UnknownRevision { revision, top }
            });
        }
        Err(e) => return Err(e),
    };
    let short = git.run(&["rev-parse", "--short", &commit])?;
    let folder = TempFolder::new().map_err(|source| HistoryError::Io {
        revision: revision.to_owned(),
        source,
    })?;
    let tree = git
        .run(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{commit}:{prefix}"),
        ])
        .ok();
    let existed = tree.is_some();
    if let Some(tree) = tree {
        let entries =
            plan_entries(&git.run_raw(&["ls-tree", "--full-tree", "-z", "-l", &tree], None)?);
        // A blob larger than the loader reads is not fetched: a file one byte over the limit
        // stands for it, so the loader refuses it with its own message.
        let too_large = |e: &&Entry| e.size > crate::yaml::MAX_FILE_BYTES as u64;
        let blobs: Vec<&Entry> = entries
            .iter()
            .filter(|e| !e.link && !too_large(e))
            .collect();
        let request: String = blobs.iter().map(|e| format!("{}\n", e.object)).collect();
        let batch = git.run_raw(&["cat-file", "--batch"], Some(request.into_bytes()))?;
        let contents = split_batch(&batch, blobs.len()).ok_or_else(|| HistoryError::Git {
            command: "cat-file --batch".to_owned(),
            said: "its output could not be read".to_owned(),
        })?;
        let io = |source| HistoryError::Io {
            revision: revision.to_owned(),
            source,
        };
        for (entry, bytes) in blobs.iter().zip(contents) {
            std::fs::write(folder.plans().join(&entry.name), bytes).map_err(io)?;
        }
        for entry in entries.iter().filter(|e| !e.link).filter(too_large) {
            let stand_in = vec![b' '; crate::yaml::MAX_FILE_BYTES + 1];
            std::fs::write(folder.plans().join(&entry.name), stand_in).map_err(io)?;
        }
        for entry in entries.iter().filter(|e| e.link) {
            let target = git.run_raw(&["cat-file", "blob", &entry.object], None)?;
            write_link(&folder.plans().join(&entry.name), &target).map_err(io)?;
        }
    }
    let project = Project::load(folder.plans(), today)?;
    Ok(Snapshot {
        commit,
        short,
        existed,
        project,
        _folder: folder,
    })
}

/// `git -C dir …`, with the user's configuration but never a pager or a prompt.
struct Git<'a> {
    dir: &'a Path,
}

impl Git<'_> {
    /// The command's output, trimmed.
    fn run(&self, args: &[&str]) -> Result<String, HistoryError> {
        let out = self.run_raw(args, None)?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    fn run_raw(&self, args: &[&str], input: Option<Vec<u8>>) -> Result<Vec<u8>, HistoryError> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(self.dir)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_PAGER", "cat")
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(HistoryError::GitMissing)?;
        // Written from another thread, so that a full stdout pipe cannot block the writer.
        let writer = input.and_then(|bytes| {
            let mut stdin = child.stdin.take()?;
            Some(std::thread::spawn(move || stdin.write_all(&bytes)))
        });
        let mut stdout = Vec::new();
        let read = child
            .stdout
            .take()
            .map_or(Ok(0), |mut s| s.read_to_end(&mut stdout));
        let out = child.wait_with_output();
        if let Some(writer) = writer {
            let _ = writer.join();
        }
        let failed = |said: String| HistoryError::Git {
            command: args.join(" "),
            said,
        };
        let out = out.map_err(|e| failed(e.to_string()))?;
        read.map_err(|e| failed(e.to_string()))?;
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            let said = said.lines().next().unwrap_or("no message").trim();
            return Err(failed(said.to_owned()));
        }
        Ok(stdout)
    }
}

/// A YAML file of the plans folder at the commit.
#[derive(Debug, PartialEq)]
struct Entry {
    name: String,
    object: String,
    /// A symbolic link: its blob is the target.
    link: bool,
    size: u64,
}

/// The entries of `git ls-tree -z -l` that the loader would look at: files named `*.yaml` or
/// `*.yml` (links included, which the loader judges); folders and submodules are not plans.
fn plan_entries(listing: &[u8]) -> Vec<Entry> {
    listing
        .split(|b| *b == 0)
        .filter_map(|record| {
            let record = std::str::from_utf8(record).ok()?;
            let (meta, name) = record.split_once('\t')?;
            let mut fields = meta.split_whitespace();
            let mode = fields.next()?;
            let kind = fields.next()?;
            let object = fields.next()?;
            let size = fields.next()?.parse().ok()?;
            let is_plan = name.ends_with(".yaml") || name.ends_with(".yml");
            (kind == "blob" && is_plan && !name.contains('/')).then(|| Entry {
                name: name.to_owned(),
                object: object.to_owned(),
                link: mode == "120000",
                size,
            })
        })
        .collect()
}

/// The contents of `count` blobs from `git cat-file --batch`: each `<oid> blob <size>\n`,
/// the bytes, and a newline.
fn split_batch(mut out: &[u8], count: usize) -> Option<Vec<&[u8]>> {
    let mut contents = Vec::with_capacity(count);
    for _ in 0..count {
        let line_end = out.iter().position(|b| *b == b'\n')?;
        let header = std::str::from_utf8(&out[..line_end]).ok()?;
        let size: usize = header.rsplit(' ').next()?.parse().ok()?;
        let start = line_end + 1;
        contents.push(out.get(start..start + size)?);
        out = out.get(start + size + 1..)?;
    }
    Some(contents)
}

#[cfg(unix)]
fn write_link(path: &Path, target: &[u8]) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), path)
}

/// Without symbolic links, the link is left out: the loader would not follow it either.
#[cfg(not(unix))]
fn write_link(_path: &Path, _target: &[u8]) -> std::io::Result<()> {
    Ok(())
}

/// A folder of its own under the system's temporary folder, removed on drop. The plans are
/// written into its `plans/`, so nothing beside them (templates, `book.toml`) is read.
struct TempFolder {
    root: PathBuf,
    plans: PathBuf,
}

impl TempFolder {
    fn new() -> std::io::Result<TempFolder> {
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0..100u32 {
            let root = base.join(format!(
                "herald-history-{}-{nanos}-{attempt}",
                std::process::id()
            ));
            // `create_dir` fails when the name is taken, so the folder is ours alone.
            match std::fs::create_dir(&root) {
                Ok(()) => {
                    let plans = root.join("plans");
                    std::fs::create_dir(&plans)?;
                    return Ok(TempFolder { root, plans });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free name for a temporary folder"))
    }

    fn plans(&self) -> &Path {
        &self.plans
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The plans folder's history as the build uses it: `changes` folded over every commit that
/// touched the folder since [`HISTORY_MARGIN_DAYS`](crate::policy::HISTORY_MARGIN_DAYS) before
/// the first milestone of the earliest release of `timeline` not yet settled, starting from
/// the state just before the first of them. Never an error: outside git, without git, or in a
/// shallow clone that lacks the history, the log is empty (or holds what was fetched) and its
/// `note` says what could not be read. A commit whose plans fail `check` is passed over.
/// Every milestone of every release of `project`, as of its `today`, with what the plans' git
/// history says (schedule changes, the `schedule-change` draft); without history, as
/// [`Project::plan`].
pub fn plan_with_history(project: &Project) -> Timeline<'_> {
    let timeline = project.plan();
    let log = milestone_log(project.dir(), &timeline, project.today());
    timeline.with_history(log)
}

pub fn milestone_log(dir: &Path, timeline: &Timeline, today: Date) -> ScheduleLog {
    let mut log = ScheduleLog::default();
    let lost = "the MagicBox shows no schedule changes, calendar events keep SEQUENCE 0 and no schedule-change draft is made";
    let git = Git { dir };
    let top = match git.run(&["rev-parse", "--show-toplevel"]) {
        Ok(top) => top,
        Err(HistoryError::GitMissing(e)) => {
            log.note = Some(format!("cannot run `git` ({e}): {lost}"));
            return log;
        }
        Err(_) => {
            log.note = Some(format!(
                "{} is not in a git repository: {lost}",
                show_path(dir)
            ));
            return log;
        }
    };
    let Some(first) = timeline
        .releases
        .iter()
        .filter(|r| !r.settled)
        .filter_map(|r| r.milestones.first().map(|m| m.date()))
        .min()
    else {
        return log;
    };
    let since = first.saturating_sub(jiff::Span::new().days(crate::policy::HISTORY_MARGIN_DAYS));
    let listing = match git.run(&[
        "log",
        "--format=%H%x00%cI",
        &format!("--since={since}T00:00:00Z"),
        "--",
        ".",
    ]) {
        Ok(listing) => listing,
        // A repository without a commit yet has no history.
        Err(_) => return log,
    };
    let mut commits: Vec<(String, jiff::Timestamp)> = listing
        .lines()
        .filter_map(|line| {
            let (commit, date) = line.split_once('\0')?;
            Some((commit.to_owned(), date.parse().ok()?))
        })
        .collect();
    commits.reverse();
    let Some((oldest, _)) = commits.first() else {
        return log;
    };
    let baseline = git
        .run(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{oldest}^{{commit}}~1"),
        ])
        .ok();
    if baseline.is_none()
        && git
            .run(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|s| s == "true")
    {
        let short = git
            .run(&["rev-parse", "--short", oldest])
            .unwrap_or_else(|_| oldest.clone());
        log.note = Some(format!(
            "{top} is a shallow clone without the history before {short}: schedule changes, calendar SEQUENCE and the schedule-change draft count only the changes after it; fetch the history (`git fetch --unshallow`; in GitHub Actions: `fetch-depth: 0` in actions/checkout)"
        ));
    }
    let load = |commit: &str| {
        plans_at(dir, commit, today)
            .ok()
            .filter(|s| !s.project.has_errors())
    };
    let mut before = baseline.as_deref().and_then(load);
    for (commit, at) in &commits {
        let Some(now) = load(commit) else {
            continue;
        };
        if let Some(before) = &before {
            let found = changes(&before.project.plan(), &now.project.plan(), &[]);
            log.record(*at, &found);
        }
        before = Some(now);
    }
    log
}

/// The last commit that touched the plans folder, and whether the clone is shallow, for the
/// build's cache key: empty outside git. A new commit of the plans, or fetching the history
/// of a shallow clone, changes it; commits elsewhere in the repository do not.
pub fn last_commit(dir: &Path) -> String {
    let git = Git { dir };
    let Ok(commit) = git.run(&["log", "-1", "--format=%H", "--", "."]) else {
        return String::new();
    };
    let shallow = git
        .run(&["rev-parse", "--is-shallow-repository"])
        .unwrap_or_default();
    format!("{commit} shallow={shallow}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_keeps_yaml_files_and_links_only() {
        let listing = b"100644 blob aaa     12\t1.14.yaml\0\
120000 blob bbb      9\tlink.yml\0\
040000 tree ccc       -\tsub.yaml\0\
100644 blob ddd     3\tREADME.md\0\
160000 commit eee       -\tmodule.yaml\0";
        assert_eq!(
            plan_entries(listing),
            [
                Entry {
                    name: "1.14.yaml".into(),
                    object: "aaa".into(),
                    link: false,
                    size: 12
                },
                Entry {
                    name: "link.yml".into(),
                    object: "bbb".into(),
                    link: true,
                    size: 9
                },
            ]
        );
    }

    #[test]
    fn a_batch_splits_into_its_blobs() {
        let out = b"aaa blob 3\nabc\nbbb blob 0\n\nccc blob 2\n\n\n\n";
        assert_eq!(
            split_batch(out, 3).unwrap(),
            [&b"abc"[..], &b""[..], &b"\n\n"[..]]
        );
        assert_eq!(split_batch(b"aaa blob 9\nabc\n", 1), None);
    }

    #[test]
    fn revisions_that_could_be_options_are_refused() {
        for revision in ["", "--output=x", "-h"] {
            let e = plans_at(Path::new("."), revision, jiff::civil::date(2026, 1, 1))
                .err()
                .unwrap();
            assert!(matches!(e, HistoryError::BadRevision { .. }), "{revision}");
        }
    }
}
