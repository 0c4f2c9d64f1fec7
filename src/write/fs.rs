//! File-system helpers at the bottom of the output side: listing a tree without following
//! links, writing one file atomically or through a special file, and small pieces the
//! tree writer and the manifest share.

use std::io;
use std::path::{Path, PathBuf};

pub(super) fn ensure_parent(target: &Path) -> io::Result<()> {
    match target.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

/// Whether anything is at `path`, a dangling symlink included.
pub(super) fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// A regular file's bytes (never a link, a FIFO or a device, which reading could block on).
pub(super) fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| std::fs::read(path).ok()).flatten()
}

#[cfg(unix)]
pub(super) fn copy_link(from: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
}

#[cfg(not(unix))]
pub(super) fn copy_link(_: &Path, _: &Path) -> io::Result<()> {
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
    // The file replaced keeps its permissions (a plan kept private stays private).
    let permissions = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            use std::io::Write;
            f.write_all(bytes)?;
            if let Some(permissions) = permissions {
                f.set_permissions(permissions)?;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.15.yaml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(write_file(&path, b"new").unwrap(), Written::Replaced);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
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
}
