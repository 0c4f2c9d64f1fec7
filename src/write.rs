//! Writes a tree of files atomically: the new tree is staged beside the old one, files whose
//! bytes did not change are carried over untouched (same inode, same modification time),
//! and the staged tree is swapped in. A tree with no change is not touched at all.

use std::io;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use crate::cache::{FileEntry, Fingerprint, Manifest};
use crate::render::Files;

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

fn sibling(root: &Path, suffix: &str) -> PathBuf {
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_owned());
    root.with_file_name(format!(".{name}.{suffix}"))
}

/// Makes `root` hold exactly `files`, with nothing known about its previous content.
pub fn write_tree(root: &Path, files: &Files) -> io::Result<WriteStats> {
    write_tree_incremental(root, files, &[], &Manifest::default()).map(|(stats, _)| stats)
}

/// Makes `root` hold exactly `files` plus the `carried` files already in it (left as they
/// are), knowing from `previous` what each existing file holds, so unchanged files need not
/// be read. Returns what it did and the manifest entry of every file now in `root`.
pub fn write_tree_incremental(
    root: &Path,
    files: &Files,
    carried: &[String],
    previous: &Manifest,
) -> io::Result<(WriteStats, BTreeMap<String, FileEntry>)> {
    let mut stats = WriteStats::default();
    let mut entries: BTreeMap<String, FileEntry> = BTreeMap::new();
    let mut copied: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    // Files whose bytes are already in `root`, carried over by hard link.
    let mut keep: Vec<&str> = Vec::new();
    let mut write: Vec<(&str, &[u8])> = Vec::new();
    for path in carried {
        let entry = previous.files.get(path).cloned().ok_or_else(|| {
            io::Error::other(format!("{path} is carried over but was never written"))
        })?;
        entries.insert(path.clone(), entry);
        keep.push(path);
        stats.unchanged += 1;
    }
    for (path, bytes) in files.iter() {
        let path = path
            .to_str()
            .ok_or_else(|| io::Error::other("output paths are UTF-8"))?;
        let hash = Fingerprint::of(bytes);
        let same = match previous.known_hash(root, path) {
            Some(known) => known == hash,
            // Nothing recorded: compare with the file itself, so its time is kept too.
            None => std::fs::read(root.join(path)).is_ok_and(|old| old == *bytes),
        };
        if same {
            keep.push(path);
            stats.unchanged += 1;
        } else {
            write.push((path, bytes));
            stats.written += 1;
        }
        entries.insert(
            path.to_owned(),
            FileEntry {
                len: bytes.len() as u64,
                hash,
                modified: 0,
            },
        );
    }
    // What is there now, also files nobody recorded (put there by hand): they go too.
    let existing: Vec<String> = list_files(root)?.iter().map(|p| rel_string(p)).collect();
    stats.removed = existing
        .iter()
        .filter(|p| !entries.contains_key(*p))
        .count();

    if stats.changed() || !root.is_dir() {
        let stage = sibling(root, "new");
        let old = sibling(root, "old");
        remove_if_exists(&stage)?;
        remove_if_exists(&old)?;
        std::fs::create_dir_all(&stage)?;
        let mut dirs = std::collections::BTreeSet::new();
        let mut ensure_parent = |target: &Path| -> io::Result<()> {
            if let Some(parent) = target.parent()
                && dirs.insert(parent.to_path_buf())
            {
                std::fs::create_dir_all(parent)?;
            }
            Ok(())
        };
        for path in &keep {
            let target = stage.join(path);
            ensure_parent(&target)?;
            if std::fs::hard_link(root.join(path), &target).is_err() {
                // No hard links here: a copy has the same bytes but a time of its own.
                std::fs::copy(root.join(path), &target)?;
                copied.insert(*path);
            }
        }
        for (path, bytes) in &write {
            let target = stage.join(path);
            ensure_parent(&target)?;
            std::fs::write(&target, bytes)?;
        }
        if root.exists() {
            std::fs::rename(root, &old)?;
        }
        if let Err(e) = std::fs::rename(&stage, root) {
            // Put the previous tree back rather than leave nothing.
            let _ = std::fs::rename(&old, root);
            return Err(e);
        }
        remove_if_exists(&old)?;
    }
    let mut fresh = copied;
    fresh.extend(write.iter().map(|(p, _)| *p));
    for (path, entry) in &mut entries {
        entry.modified = match previous.files.get(path) {
            Some(known)
                if known.hash == entry.hash
                    && known.modified != 0
                    && !fresh.contains(path.as_str()) =>
            {
                known.modified
            }
            _ => modified_ns(&root.join(path))?,
        };
    }
    Ok((stats, entries))
}

/// A file's modification time in nanoseconds since 1970, to notice a file changed by hand.
pub fn modified_ns(path: &Path) -> io::Result<u64> {
    let modified = std::fs::metadata(path)?.modified()?;
    Ok(modified
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)))
}

/// Writes one file atomically: beside it first, then renamed over it.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = sibling(path, "tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(true)
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
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

/// Every file under `root`, relative to it, sorted.
pub fn list_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if root.is_dir() {
        walk(root, root, &mut out)?;
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        let mut f = Files::default();
        for (p, b) in pairs {
            f.insert(*p, b.as_bytes());
        }
        f
    }

    #[test]
    fn unchanged_files_keep_their_modification_time() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("wiki");
        let first = write_tree(&root, &files(&[("a.md", "A"), ("r/b.md", "B")])).unwrap();
        assert_eq!((first.written, first.unchanged), (2, 0));
        let mtime = |p: &str| std::fs::metadata(root.join(p)).unwrap().modified().unwrap();
        let before = mtime("a.md");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let noop = write_tree(&root, &files(&[("a.md", "A"), ("r/b.md", "B")])).unwrap();
        assert!(!noop.changed());
        let second = write_tree(&root, &files(&[("a.md", "A"), ("r/c.md", "C")])).unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert_eq!(mtime("a.md"), before);
        assert!(!root.join("r/b.md").exists());
        assert_eq!(std::fs::read_to_string(root.join("r/c.md")).unwrap(), "C");
        assert!(!sibling(&root, "old").exists() && !sibling(&root, "new").exists());
    }
}
