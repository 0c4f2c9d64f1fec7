//! Writes a tree of files atomically: the new tree is staged beside the old one, files whose
//! bytes did not change are carried over untouched (same inode, same modification time),
//! and the staged tree is swapped in. A tree with no change is not touched at all. The wiki
//! and the site are both written this way.
//!
//! herald owns only what it wrote: files in the tree that no manifest records (a wiki
//! checkout's `.git`, a page of the user's) are carried into the new tree as they are, never
//! overwritten, and a first build into a folder full of them is refused. Staging folders
//! live in herald's own `OUT/.herald/`, and after a crash anywhere the next build finds the
//! old or the new tree in place (see [`Layout::recover`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use super::STATE_DIR;
use super::fs::{
    EntryKind, copy_link, ensure_parent, exists, list_entries, modified_ns, read_regular,
    remove_if_exists,
};
use super::keys::Fingerprint;
use super::manifest::{FileEntry, known_hash};

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

/// Whether two files' metadata are of one file (a hard link of the other).
fn is_same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Replaces each file of a staged tree whose bytes equal the published one by a hard link
/// to it, so files that did not change keep their modification time when the stage is
/// swapped in (for trees another program wrote, as mdBook writes the site).
pub fn link_unchanged(staged: &Path, published: &Path) -> io::Result<()> {
    if !published.is_dir() {
        return Ok(());
    }
    for rel in super::fs::list_files(staged)? {
        let (new, old) = (staged.join(&rel), published.join(&rel));
        let (same_len, same_file) = match (std::fs::metadata(&new), std::fs::symlink_metadata(&old))
        {
            (Ok(a), Ok(b)) => (b.is_file() && a.len() == b.len(), is_same_file(&a, &b)),
            _ => (false, false),
        };
        // A download linked from a wiki file that did not change is the published file.
        if same_file {
            continue;
        }
        if same_len && std::fs::read(&new).ok() == std::fs::read(&old).ok() {
            let linked = std::fs::remove_file(&new).and_then(|()| std::fs::hard_link(&old, &new));
            if linked.is_err() {
                // Fall back to a copy: the bytes are right, only the time is new.
                std::fs::copy(&old, &new)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Files;
    use crate::write::fs::rel_string;

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
}
