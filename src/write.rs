//! Writes a tree of files atomically: the new tree is staged beside the old one, files whose
//! bytes did not change are carried over untouched (same inode, same modification time),
//! and the staged tree is swapped in. A tree with no change is not touched at all.

use std::io;
use std::path::{Path, PathBuf};

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

/// Makes `root` hold exactly `files`.
pub fn write_tree(root: &Path, files: &Files) -> io::Result<WriteStats> {
    let mut stats = WriteStats::default();
    let existing = list_files(root)?;
    for (path, bytes) in files.iter() {
        match std::fs::read(root.join(path)) {
            Ok(old) if old == *bytes => stats.unchanged += 1,
            _ => stats.written += 1,
        }
    }
    stats.removed = existing
        .iter()
        .filter(|p| files.get(&p.to_string_lossy()).is_none())
        .count();
    if !stats.changed() && root.is_dir() {
        return Ok(stats);
    }

    let stage = sibling(root, "new");
    let old = sibling(root, "old");
    remove_if_exists(&stage)?;
    remove_if_exists(&old)?;
    for (path, bytes) in files.iter() {
        let target = stage.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let previous = root.join(path);
        let same = std::fs::read(&previous).is_ok_and(|b| b == *bytes);
        if !(same && std::fs::hard_link(&previous, &target).is_ok()) {
            std::fs::write(&target, bytes)?;
        }
    }
    std::fs::create_dir_all(&stage)?;
    if root.exists() {
        std::fs::rename(root, &old)?;
    }
    if let Err(e) = std::fs::rename(&stage, root) {
        // Put the previous tree back rather than leave nothing.
        let _ = std::fs::rename(&old, root);
        return Err(e);
    }
    remove_if_exists(&old)?;
    Ok(stats)
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
