//! The plans folder's files: which are plans, and how each is read (regular files inside the
//! folder only, bounded in size) and parsed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::cache::ParseCache;
use super::{LoadError, TEAMS_FILE, TESTS_FILE};
use crate::diag::{Diagnostic, Loc, show_path};
use crate::yaml::{self, Node};

/// The plans folder's files, found by name.
pub(super) struct Listing {
    pub(super) releases: Vec<PathBuf>,
    /// `teams.yml` and `manual-tests.yml`, which are the registries misnamed.
    pub(super) misnamed: BTreeSet<String>,
    /// Files refused by their name alone.
    pub(super) refused: Vec<Diagnostic>,
}

fn is_yaml_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

pub(super) fn list_folder(dir: &Path) -> std::io::Result<Listing> {
    let mut listing = Listing {
        releases: Vec::new(),
        misnamed: BTreeSet::new(),
        refused: Vec::new(),
    };
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            if is_yaml_name(&entry.file_name().to_string_lossy()) {
                listing.refused.push(
                    Diagnostic::error(
                        &path,
                        Loc::new(1, 1, 1),
                        "the file name is not valid UTF-8, so herald does not read the file",
                    )
                    .with_help(
                        "rename the file using UTF-8 characters only, for example `1.14.yaml`",
                    ),
                );
            }
            continue;
        };
        if !is_yaml_name(&name) {
            continue;
        }
        // Folders named like plans are not plans; links and special files are refused by
        // `read_plan_bytes`, with the reason.
        let is_folder = match entry.file_type()? {
            t if t.is_symlink() => std::fs::metadata(&path).is_ok_and(|m| m.is_dir()),
            t => t.is_dir(),
        };
        if is_folder || name == TEAMS_FILE || name == TESTS_FILE {
            continue;
        }
        if [TEAMS_FILE, TESTS_FILE]
            .map(|f| f.replace(".yaml", ".yml"))
            .contains(&name)
        {
            listing.misnamed.insert(name);
        } else {
            listing.releases.push(path);
        }
    }
    listing.releases.sort();
    Ok(listing)
}

/// The path of a registry file: `teams.yaml`, or `teams.yml` when only that one exists, read
/// as the registry but reported so it gets its real name.
pub(super) fn registry_path(
    dir: &Path,
    name: &str,
    listing: &Listing,
    what: &str,
) -> (PathBuf, Option<Diagnostic>) {
    let proper = dir.join(name);
    let short = name.replace(".yaml", ".yml");
    if !listing.misnamed.contains(&short) {
        return (proper, None);
    }
    let misnamed = dir.join(&short);
    if std::fs::symlink_metadata(&proper).is_ok() {
        let d = Diagnostic::error(
            &misnamed,
            Loc::new(1, 1, 1),
            format!("a second {what}: herald reads `{name}`, so this file is not read"),
        )
        .with_help(format!(
            "merge what it holds into `{name}` and delete this file"
        ));
        return (proper, Some(d));
    }
    let d = Diagnostic::error(
        &misnamed,
        Loc::new(1, 1, 1),
        format!("the {what} must be named `{name}`"),
    )
    .with_help(format!(
        "rename the file to `{name}`; until then herald reads it as the {what}, so the other errors are real"
    ));
    (misnamed, Some(d))
}

/// One file read: its text (kept to quote under diagnostics), its tree, or why not.
pub(super) struct FileRead {
    pub(super) text: Option<String>,
    pub(super) node: Option<Node>,
    pub(super) diag: Option<Diagnostic>,
}

pub(super) const TEAMS_MISSING_HELP: &str =
    "every plans folder needs a team registry; `herald init` writes an example";
pub(super) const RELEASE_MISSING_HELP: &str =
    "the file went away while herald read the folder; run herald again";

/// Why a file of the plans folder is not read.
#[derive(Debug)]
pub enum Refused {
    Missing,
    /// A symbolic link whose target does not exist.
    DanglingLink,
    /// A symbolic link to a place outside the plans folder: its target is not a plan, and
    /// quoting it under a diagnostic could leak it (a key, a token) into a CI log.
    OutsideLink,
    /// A FIFO, a device, a socket or a folder: reading it could block or never end.
    NotAFile(&'static str),
    /// More than [`yaml::MAX_FILE_BYTES`]; the size when it is known.
    TooLarge(Option<u64>),
    Io(std::io::Error),
}

/// What kind of file a non-regular one is, for the error.
fn file_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Reads a file of the plans folder `root` (canonical) when it is a regular file inside it:
/// links are followed only to files inside the folder, special files are never opened, and
/// at most [`yaml::MAX_FILE_BYTES`] + 1 bytes are read, whatever the file claims.
pub fn read_plan_bytes(path: &Path, root: &Path) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => Refused::Missing,
        _ => Refused::Io(e),
    };
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    let meta = if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Refused::DanglingLink,
            _ => Refused::Io(e),
        })?;
        if !target.starts_with(root) {
            return Err(Refused::OutsideLink);
        }
        std::fs::metadata(path).map_err(io)?
    } else {
        meta
    };
    if !meta.is_file() {
        return Err(Refused::NotAFile(file_kind(meta.file_type())));
    }
    let limit = yaml::MAX_FILE_BYTES as u64;
    if meta.len() > limit {
        return Err(Refused::TooLarge(Some(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // It may have been swapped for something else since it was looked at.
    let opened = file.metadata().map_err(Refused::Io)?;
    if !opened.is_file() {
        return Err(Refused::NotAFile(file_kind(opened.file_type())));
    }
    let mut bytes = Vec::with_capacity(opened.len().min(limit) as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge(None));
    }
    Ok(bytes)
}

/// The 1-based line and column just after `text`, line breaks counted as YAML counts them.
fn end_position(text: &str) -> (u32, u32) {
    let mut line = 1u32;
    let mut rest = text;
    while let Some((at, len)) = crate::diag::next_line_break(rest) {
        line = line.saturating_add(1);
        rest = &rest[at + len..];
    }
    let column = rest.chars().count().saturating_add(1);
    (line, column.try_into().unwrap_or(u32::MAX))
}

/// Reads and parses one file. `missing_help` says what to do when it is missing; without
/// it, a missing file is no problem.
pub(super) fn read_file(
    path: &Path,
    root: &Path,
    missing_help: Option<&str>,
    cache: Option<&ParseCache>,
) -> Result<FileRead, LoadError> {
    let mut out = FileRead {
        text: None,
        node: None,
        diag: None,
    };
    let refuse = |message: String, help: &str| {
        Some(Diagnostic::error(path, Loc::new(1, 1, 1), message).with_help(help))
    };
    let bytes = match read_plan_bytes(path, root) {
        Ok(b) => b,
        Err(Refused::Missing) => {
            out.diag = missing_help.and_then(|help| refuse("file is missing".to_owned(), help));
            return Ok(out);
        }
        Err(Refused::DanglingLink) => {
            out.diag = refuse(
                "file is a symbolic link to a file that does not exist".to_owned(),
                "replace the link with the file, or point it at a file inside the plans folder",
            );
            return Ok(out);
        }
        Err(Refused::OutsideLink) => {
            out.diag = refuse(
                "file is a symbolic link to a place outside the plans folder, so herald does not read it".to_owned(),
                "copy the file into the plans folder instead of linking to it",
            );
            return Ok(out);
        }
        Err(Refused::NotAFile(kind)) => {
            out.diag = refuse(
                format!("file is {kind}, not a regular file, so herald does not read it"),
                "replace it with a regular file holding the plan, or move it out of the plans folder",
            );
            return Ok(out);
        }
        Err(Refused::TooLarge(size)) => {
            let limit = yaml::MAX_FILE_BYTES;
            let message = match size {
                Some(n) => format!("file is {n} bytes, more than the {limit} a plan may have"),
                None => format!("file is more than the {limit} bytes a plan may have"),
            };
            out.diag = refuse(
                message,
                "split the file, or remove what does not belong in a release plan",
            );
            return Ok(out);
        }
        Err(Refused::Io(source)) => {
            return Err(LoadError::Io {
                path: show_path(path),
                source,
            });
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let (line, column) = end_position(&String::from_utf8_lossy(valid));
            out.text = Some(String::from_utf8_lossy(e.as_bytes()).into_owned());
            out.diag = Some(
                Diagnostic::error(
                    path,
                    Loc::new(line, column, 1),
                    "file is not valid UTF-8 text",
                )
                .with_help("save the file as UTF-8"),
            );
            return Ok(out);
        }
    };
    Ok(parsed(path, text, cache))
}

/// A file's text, parsed (or its tree found in `cache`, parsed from the same text before).
pub(super) fn parsed(path: &Path, text: String, cache: Option<&ParseCache>) -> FileRead {
    if let Some(node) = cache.and_then(|c| c.find(path, &text)) {
        return FileRead {
            text: Some(text),
            node: Some(node),
            diag: None,
        };
    }
    let (node, diag) = match yaml::parse(path, &text) {
        Ok(node) => {
            if let Some(cache) = cache {
                cache.parsed(path, &node);
            }
            (Some(node), None)
        }
        Err(d) => (None, Some(d)),
    };
    FileRead {
        text: Some(text),
        node,
        diag,
    }
}
