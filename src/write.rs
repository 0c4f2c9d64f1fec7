//! Writes a tree of files atomically: the new tree is staged beside the old one, files whose
//! bytes did not change are carried over untouched (same inode, same modification time),
//! and the staged tree is swapped in. A tree with no change is not touched at all.
//!
//! herald owns only what it wrote: files in the tree that no manifest records (a wiki
//! checkout's `.git`, a page of the user's) are carried into the new tree as they are, never
//! overwritten, and a first build into a folder full of them is refused. Staging folders
//! live in herald's own `OUT/.herald/`, and after a crash anywhere the next build finds the
//! old or the new tree in place (see [`Layout::recover`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use crate::cache::{FileEntry, Fingerprint};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl WriteStats {
    pub fn changed(&self) -> bool {
        self.written > 0 || self.removed > 0
    }
}

/// herald's own folder in OUT: the manifest, the lock and the staging folders.
pub const STATE_DIR: &str = ".herald";

/// Aborts the process at a named point of a swap when `HERALD_CRASH_AT` names it, so tests
/// can check that a crash there (as with kill -9: no clean-up runs) loses nothing.
pub fn crash_point(name: &str) {
    if std::env::var_os("HERALD_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

/// Where a published tree and its staging folders are: `OUT/<name>`, and
/// `OUT/.herald/<name>.new` and `.old`, names no user picks by accident.
#[derive(Debug, Clone)]
pub struct Layout {
    pub name: String,
    pub root: PathBuf,
    pub new: PathBuf,
    pub old: PathBuf,
}

impl Layout {
    pub fn new(out: &Path, name: &str) -> Layout {
        let state = out.join(STATE_DIR);
        Layout {
            name: name.to_owned(),
            root: out.join(name),
            new: state.join(format!("{name}.new")),
            old: state.join(format!("{name}.old")),
        }
    }

    /// Puts a tree back in place after a crash, by renames only: a crash between the two
    /// renames of a swap leaves `old` (the previous tree) and `new` (the complete new one,
    /// since `new` is filled before the first rename), and no root.
    pub fn recover(&self) -> io::Result<()> {
        if exists(&self.root) {
            return Ok(());
        }
        if exists(&self.old) {
            let from = if exists(&self.new) {
                &self.new
            } else {
                &self.old
            };
            std::fs::rename(from, &self.root)?;
        }
        Ok(())
    }

    /// Removes staging folders an interrupted build left (and the scratch folders a stage
    /// is made in, `<name>.build` and `<name>.pages`), once they are copies: never the
    /// previous tree while no tree is in place.
    pub fn discard_leftovers(&self) -> io::Result<()> {
        if !exists(&self.root) && exists(&self.old) {
            return Ok(());
        }
        for scratch in ["build", "pages"] {
            remove_if_exists(&self.new.with_file_name(format!("{}.{scratch}", self.name)))?;
        }
        remove_if_exists(&self.new)?;
        remove_if_exists(&self.old)
    }

    /// Swaps the staged tree `new` in. Where the system can exchange two folders in one
    /// step, there is never a moment without a tree; elsewhere the previous tree is moved
    /// to `old` first, and [`Layout::recover`] handles a crash between the two renames.
    pub fn swap(&self) -> io::Result<()> {
        let point = |step: &str| crash_point(&format!("{}-{step}", self.name));
        point("staged");
        if !exists(&self.root) {
            std::fs::rename(&self.new, &self.root)?;
            point("swapped");
            return Ok(());
        }
        if exchange(&self.new, &self.root).is_ok() {
            point("swapped");
            return remove_if_exists(&self.new);
        }
        std::fs::rename(&self.root, &self.old)?;
        point("half-swapped");
        if let Err(e) = std::fs::rename(&self.new, &self.root) {
            // Put the previous tree back rather than leave nothing.
            let _ = std::fs::rename(&self.old, &self.root);
            return Err(e);
        }
        point("swapped");
        remove_if_exists(&self.old)
    }
}

/// Exchanges two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    if std::env::var_os("HERALD_SWAP_BY_RENAME").is_some() {
        // Tests take the two-rename path too, as systems without the exchange do.
        return Err(io::Error::from(io::ErrorKind::Unsupported));
    }
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether anything is at `path`, a dangling symlink included.
fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// What is in a published tree besides the files herald writes now.
#[derive(Debug, Default)]
pub struct Survey {
    /// Entries no manifest records (files, links, empty folders): kept as they are.
    pub foreign: Vec<String>,
    /// Foreign entries where herald would now write: never overwritten.
    pub conflicts: Vec<String>,
    /// Recorded files that the new tree no longer has.
    pub removed: usize,
}

impl Survey {
    /// Foreign entries that are not under a dot-folder or dot-file (`.git`, `.nojekyll`).
    pub fn visible_foreign(&self) -> impl Iterator<Item = &String> {
        self.foreign
            .iter()
            .filter(|p| !p.split('/').any(|c| c.starts_with('.')))
    }
}

/// Sorts out what is in `root`: recorded files (`owned`), files the new tree has
/// (`wanted`, with `same_bytes` telling whether an unrecorded one already holds exactly
/// them: it is adopted), and everything else, which is foreign.
pub fn survey(
    root: &Path,
    owned: &BTreeMap<String, FileEntry>,
    wanted: &BTreeSet<String>,
    same_bytes: impl Fn(&str) -> bool,
) -> io::Result<Survey> {
    let mut out = Survey::default();
    let wanted_dirs: BTreeSet<&str> = wanted
        .iter()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    for (rel, kind) in list_entries(root)? {
        if owned.contains_key(&rel) {
            if !wanted.contains(&rel) {
                out.removed += 1;
            }
            continue;
        }
        let in_the_way = if wanted.contains(&rel) {
            if kind == EntryKind::File && same_bytes(&rel) {
                continue; // adopted: it holds exactly what herald writes there
            }
            true
        } else if wanted_dirs.contains(rel.as_str()) {
            if kind == EntryKind::Dir {
                continue; // an empty folder where herald puts files anyway
            }
            true
        } else {
            ancestors(&rel).any(|a| wanted.contains(a))
        };
        if in_the_way {
            out.conflicts.push(rel.clone());
        }
        out.foreign.push(rel);
    }
    Ok(out)
}

fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    rel.match_indices('/').map(|(i, _)| &rel[..i])
}

/// A new tree staged in [`Layout::new`], not yet swapped in.
pub struct Staged {
    pub stats: WriteStats,
    pub entries: BTreeMap<String, FileEntry>,
    /// Files staged as copies or new writes: their times are new.
    pub fresh: BTreeSet<String>,
    /// Whether the tree needs swapping (something changed, or there is no tree yet).
    pub changed: bool,
}

/// How [`Stage::put`] staged one file.
#[derive(Debug)]
pub struct Put {
    pub path: String,
    pub entry: FileEntry,
    /// New bytes (not those of the file in the published tree).
    pub written: bool,
    /// The published file already held these bytes although no manifest records it.
    pub adopted: bool,
    /// The staged file has a time of its own (written, or copied where links fail).
    pub fresh: bool,
}

/// A tree being staged, file by file, from any thread: each renderer's files go in as they
/// are made, so a build holds one release's files at a time, not the organisation's.
/// Files whose bytes did not change are hard links to the published ones.
pub struct Stage<'a> {
    layout: &'a Layout,
    owned: &'a BTreeMap<String, FileEntry>,
}

impl<'a> Stage<'a> {
    /// An empty stage, `layout.new`, made anew.
    pub fn open(layout: &'a Layout, owned: &'a BTreeMap<String, FileEntry>) -> io::Result<Self> {
        remove_if_exists(&layout.new)?;
        std::fs::create_dir_all(&layout.new)?;
        Ok(Stage { layout, owned })
    }

    /// Stages `bytes` as `path`: a link to the published file if it holds them already
    /// (known from its record, or compared when there is none), else written.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<Put> {
        let root = &self.layout.root;
        let hash = Fingerprint::of(bytes);
        let recorded = known_hash(root, self.owned, path);
        let same = match recorded {
            Some(known) => known == hash,
            // Nothing recorded: compare with the file itself, so its time is kept too.
            None => read_regular(&root.join(path)).is_some_and(|old| old == *bytes),
        };
        let target = self.layout.new.join(path);
        ensure_parent(&target)?;
        let fresh = if same {
            self.link(path, &target)?
        } else {
            std::fs::write(&target, bytes)?;
            true
        };
        Ok(Put {
            path: path.to_owned(),
            entry: FileEntry {
                len: bytes.len() as u64,
                hash,
                modified: 0,
            },
            written: !same,
            adopted: same && !self.owned.contains_key(path),
            fresh,
        })
    }

    /// Stages a recorded file of the published tree as it is (a release not rendered again).
    pub fn keep(&self, path: &str) -> io::Result<Put> {
        let entry = self.owned.get(path).cloned().ok_or_else(|| {
            io::Error::other(format!("{path} is carried over but was never written"))
        })?;
        let target = self.layout.new.join(path);
        ensure_parent(&target)?;
        let fresh = self.link(path, &target)?;
        Ok(Put {
            path: path.to_owned(),
            entry,
            written: false,
            adopted: false,
            fresh,
        })
    }

    /// A hard link to the published file; a copy where the file system has no links.
    fn link(&self, path: &str, target: &Path) -> io::Result<bool> {
        let from = self.layout.root.join(path);
        if std::fs::hard_link(&from, target).is_ok() {
            return Ok(false);
        }
        std::fs::copy(&from, target)?;
        Ok(true)
    }

    /// Everything staged: whether the tree changed (else the stage, only links, goes).
    pub fn finish(self, puts: Vec<Put>, removed: usize) -> io::Result<Staged> {
        let mut stats = WriteStats {
            removed,
            ..WriteStats::default()
        };
        let mut entries = BTreeMap::new();
        let mut fresh = BTreeSet::new();
        for put in puts {
            if put.written {
                stats.written += 1;
            } else {
                stats.unchanged += 1;
            }
            if put.fresh {
                fresh.insert(put.path.clone());
            }
            entries.insert(put.path, put.entry);
        }
        let changed = stats.changed() || !self.layout.root.is_dir();
        if !changed {
            remove_if_exists(&self.layout.new)?;
        }
        Ok(Staged {
            stats,
            entries,
            fresh,
            changed,
        })
    }
}

fn ensure_parent(target: &Path) -> io::Result<()> {
    match target.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

impl Staged {
    /// Records each file's time as it is now in `root`: unchanged files keep the one known.
    pub fn finish(
        mut self,
        root: &Path,
        owned: &BTreeMap<String, FileEntry>,
    ) -> io::Result<(WriteStats, BTreeMap<String, FileEntry>)> {
        for (path, entry) in &mut self.entries {
            entry.modified = match owned.get(path) {
                Some(known)
                    if known.hash == entry.hash
                        && known.modified != 0
                        && !self.fresh.contains(path.as_str()) =>
                {
                    known.modified
                }
                _ => modified_ns(&root.join(path))?,
            };
        }
        Ok((self.stats, self.entries))
    }
}

/// The fingerprint recorded for a file, if the file on disk is still as recorded.
pub fn known_hash<'m>(
    root: &Path,
    owned: &'m BTreeMap<String, FileEntry>,
    path: &str,
) -> Option<&'m str> {
    let entry = owned.get(path)?;
    unchanged_on_disk(&root.join(path), entry).then_some(entry.hash.as_str())
}

/// Same size and modification time as recorded: nobody touched the file since.
pub fn unchanged_on_disk(path: &Path, entry: &FileEntry) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == entry.len)
        && modified_ns(path).is_ok_and(|t| t == entry.modified)
}

/// A regular file's bytes (never a link, a FIFO or a device, which reading could block on).
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| std::fs::read(path).ok()).flatten()
}

/// Puts every foreign entry of `root` into `stage` as it is: files and links by hard link
/// (the same inode, so bytes, time and permissions are the user's), empty folders made
/// again. Nothing of the user's is read, changed or deleted.
pub fn carry_foreign(root: &Path, stage: &Path, foreign: &[String]) -> io::Result<()> {
    for rel in foreign {
        let (from, to) = (root.join(rel), stage.join(rel));
        let meta = std::fs::symlink_metadata(&from)?;
        if meta.is_dir() {
            std::fs::create_dir_all(&to)?;
            std::fs::set_permissions(&to, meta.permissions())?;
            continue;
        }
        ensure_parent(&to)?;
        if let Err(e) = std::fs::hard_link(&from, &to) {
            if meta.is_file() {
                std::fs::copy(&from, &to)?;
            } else {
                copy_link(&from, &to).map_err(|_| e)?;
            }
        }
    }
    // Folders of the user's keep their permissions too (made above with the default ones).
    for (rel, _) in list_entries(stage)?
        .into_iter()
        .filter(|(_, k)| *k == EntryKind::Dir)
    {
        if let Ok(meta) = std::fs::symlink_metadata(root.join(&rel))
            && meta.is_dir()
        {
            let _ = std::fs::set_permissions(stage.join(&rel), meta.permissions());
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(from: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
}

#[cfg(not(unix))]
fn copy_link(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// A file's modification time in nanoseconds since 1970, to notice a file changed by hand.
pub fn modified_ns(path: &Path) -> io::Result<u64> {
    let modified = std::fs::symlink_metadata(path)?.modified()?;
    Ok(modified
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)))
}

/// How [`write_file`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A regular file replaced atomically (or created).
    Replaced,
    /// The file already held these bytes.
    Unchanged,
    /// Written through to a device, FIFO or other special file (`/dev/stdout`).
    Through,
}

/// Writes one file: a regular file (or a new one) atomically, beside it first and then
/// renamed over it; a link to a regular file replaces the file it points to; a device, FIFO
/// or other special file (`/dev/stdout`) is written through, never replaced.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<Written> {
    let target = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
            file.write_all(bytes)?;
            file.flush()?;
            return Ok(Written::Through);
        }
        // A link to a regular file: replace that file, so the link stays.
        Ok(meta) if meta.is_file() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    if read_regular(&target).is_some_and(|old| old == bytes) {
        return Ok(Written::Unchanged);
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_owned());
    let tmp = target.with_file_name(format!(".{name}.herald-{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            use std::io::Write;
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|()| Written::Replaced)
}

pub fn remove_if_exists(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A relative path with `/` between its parts on every system, as output paths are written.
pub fn rel_string(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    /// A symlink, FIFO, socket or device: never followed or opened.
    Other,
    /// An empty folder (folders with entries are listed through them).
    Dir,
}

/// Every entry under `root`, relative to it with `/` separators, sorted; links are listed,
/// never followed.
pub fn list_entries(root: &Path) -> io::Result<Vec<(String, EntryKind)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, EntryKind)>) -> io::Result<()> {
        let mut any = false;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            any = true;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(root, &path, out)?;
            } else if let Ok(rel) = path.strip_prefix(root) {
                let kind = if kind.is_file() {
                    EntryKind::File
                } else {
                    EntryKind::Other
                };
                out.push((rel_string(rel), kind));
            }
        }
        if !any
            && let Ok(rel) = dir.strip_prefix(root)
            && !rel.as_os_str().is_empty()
        {
            out.push((rel_string(rel), EntryKind::Dir));
        }
        Ok(())
    }
    let mut out = Vec::new();
    if std::fs::symlink_metadata(root).is_ok_and(|m| m.is_dir()) {
        walk(root, root, &mut out)?;
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Every file under `root`, relative to it, sorted (links and special files included,
/// never followed; empty folders left out).
pub fn list_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    Ok(list_entries(root)?
        .into_iter()
        .filter(|(_, k)| *k != EntryKind::Dir)
        .map(|(p, _)| PathBuf::from(p))
        .collect())
}

/// One build at a time in an output folder: an advisory lock on `OUT/.herald/lock`,
/// released by the system when the process ends, however it ends.
pub struct OutLock {
    _file: std::fs::File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another herald build is writing into {0} (it holds {0}/.herald/lock); wait for it to finish, then build again"
    )]
    Busy(String),
    #[error("cannot lock {path}: {source}")]
    Io { path: String, source: io::Error },
}

impl OutLock {
    pub fn acquire(out: &Path) -> Result<OutLock, LockError> {
        let path = out.join(STATE_DIR).join("lock");
        let io = |source| LockError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(out.join(STATE_DIR)).map_err(io)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(OutLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(LockError::Busy(out.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Files;

    fn files(pairs: &[(&str, &str)]) -> Files {
        let mut f = Files::default();
        for (p, b) in pairs {
            f.insert(*p, b.as_bytes());
        }
        f
    }

    /// Writes `files` as a build does: survey, stage, carry, swap; returns the new record.
    fn write(
        layout: &Layout,
        files: &Files,
        owned: &BTreeMap<String, FileEntry>,
    ) -> (WriteStats, BTreeMap<String, FileEntry>, Survey) {
        let wanted = files
            .iter()
            .map(|(p, _)| rel_string(p))
            .collect::<BTreeSet<_>>();
        let survey = survey(&layout.root, owned, &wanted, |p| {
            std::fs::read(layout.root.join(p)).ok().as_deref() == files.get(p)
        })
        .unwrap();
        assert!(survey.conflicts.is_empty(), "{:?}", survey.conflicts);
        let stage = Stage::open(layout, owned).unwrap();
        let puts = files
            .iter()
            .map(|(p, b)| stage.put(&rel_string(p), b).unwrap())
            .collect();
        let staged = stage.finish(puts, survey.removed).unwrap();
        if staged.changed {
            carry_foreign(&layout.root, &layout.new, &survey.foreign).unwrap();
            layout.swap().unwrap();
        }
        let (stats, entries) = staged.finish(&layout.root, owned).unwrap();
        (stats, entries, survey)
    }

    #[test]
    fn unchanged_files_keep_their_modification_time_and_foreign_files_stay() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path(), "wiki");
        let root = layout.root.clone();
        let (first, owned, _) = write(&layout, &files(&[("a.md", "A"), ("r/b.md", "B")]), &{
            BTreeMap::new()
        });
        assert_eq!((first.written, first.unchanged), (2, 0));
        let mtime = |p: &str| std::fs::metadata(root.join(p)).unwrap().modified().unwrap();
        let before = mtime("a.md");
        std::fs::write(root.join("r/mine.txt"), "the user's").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let (noop, owned, _) = write(&layout, &files(&[("a.md", "A"), ("r/b.md", "B")]), &owned);
        assert!(!noop.changed());
        let (second, _, survey) = write(&layout, &files(&[("a.md", "A"), ("r/c.md", "C")]), &owned);
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert_eq!(survey.foreign, ["r/mine.txt"]);
        assert_eq!(mtime("a.md"), before);
        assert!(!root.join("r/b.md").exists());
        assert_eq!(std::fs::read_to_string(root.join("r/c.md")).unwrap(), "C");
        assert_eq!(
            std::fs::read_to_string(root.join("r/mine.txt")).unwrap(),
            "the user's"
        );
        assert!(!layout.old.exists() && !layout.new.exists());
    }

    #[test]
    fn a_foreign_file_where_herald_writes_is_a_conflict_unless_it_holds_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path(), "wiki");
        std::fs::create_dir_all(layout.root.join("r")).unwrap();
        std::fs::write(layout.root.join("a.md"), "A").unwrap();
        std::fs::write(layout.root.join("b.md"), "mine").unwrap();
        std::fs::write(layout.root.join("r/x"), "in the way of a folder").unwrap();
        std::fs::create_dir_all(layout.root.join(".git/objects")).unwrap();
        let wanted: BTreeSet<String> = ["a.md", "b.md", "r/x/y.md"].map(String::from).into();
        let survey = survey(&layout.root, &BTreeMap::new(), &wanted, |p| p == "a.md").unwrap();
        assert_eq!(survey.conflicts, ["b.md", "r/x"]);
        assert_eq!(survey.foreign, [".git/objects", "b.md", "r/x"]);
        assert_eq!(
            survey.visible_foreign().collect::<Vec<_>>(),
            ["b.md", "r/x"]
        );
    }

    #[test]
    fn a_crash_between_the_two_renames_is_recovered_with_the_new_tree() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path(), "wiki");
        std::fs::create_dir_all(&layout.old).unwrap();
        std::fs::write(layout.old.join("a.md"), "old").unwrap();
        std::fs::create_dir_all(&layout.new).unwrap();
        std::fs::write(layout.new.join("a.md"), "new").unwrap();
        layout.discard_leftovers().unwrap();
        assert!(
            layout.old.exists() && layout.new.exists(),
            "the only copies"
        );
        layout.recover().unwrap();
        assert_eq!(
            std::fs::read_to_string(layout.root.join("a.md")).unwrap(),
            "new"
        );
        layout.discard_leftovers().unwrap();
        assert!(!layout.old.exists() && !layout.new.exists());
    }

    #[test]
    fn a_crash_after_moving_the_old_tree_aside_with_no_new_one_puts_the_old_back() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path(), "site");
        std::fs::create_dir_all(&layout.old).unwrap();
        std::fs::write(layout.old.join("index.html"), "old").unwrap();
        layout.recover().unwrap();
        assert_eq!(
            std::fs::read_to_string(layout.root.join("index.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn special_files_are_written_through_and_links_keep_pointing() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            write_file(Path::new("/dev/null"), b"x").unwrap(),
            Written::Through
        );
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
        #[cfg(unix)]
        {
            let real = dir.path().join("real.ics");
            let link = dir.path().join("link.ics");
            std::fs::write(&real, "old").unwrap();
            std::os::unix::fs::symlink(&real, &link).unwrap();
            assert_eq!(write_file(&link, b"new").unwrap(), Written::Replaced);
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
            assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
            assert_eq!(write_file(&link, b"new").unwrap(), Written::Unchanged);
        }
    }

    #[test]
    fn a_second_lock_on_the_same_output_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutLock::acquire(dir.path()).unwrap();
        let err = OutLock::acquire(dir.path()).err().unwrap();
        assert!(
            err.to_string()
                .starts_with("another herald build is writing into")
        );
        drop(first);
        assert!(OutLock::acquire(dir.path()).is_ok());
    }
}
