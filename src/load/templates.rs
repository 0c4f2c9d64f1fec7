//! The user's templates folder (`templates/` beside the plans), read as the plans are: only
//! regular files inside it, each up to a size limit; nothing is followed outside it or
//! opened that could block.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest template file herald reads: far above any real template (the defaults are a
/// few KiB), small enough that a mistaken link to a huge file costs nothing.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TemplateReadError {
    #[error("cannot read template `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("template `{path}` is not read: {reason}")]
    Refused { path: PathBuf, reason: String },
}

/// Where a user's templates live: `templates/` beside the plans folder.
pub fn user_templates_dir(plans_dir: &Path) -> PathBuf {
    match plans_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("templates"),
        _ => PathBuf::from("templates"),
    }
}

/// The user's templates beside the plans folder, or none when there is no such folder.
pub fn read_beside(plans_dir: &Path) -> Result<Vec<UserTemplate>, TemplateReadError> {
    let dir = user_templates_dir(plans_dir);
    if dir.is_dir() {
        read_user_templates(&dir)
    } else {
        Ok(Vec::new())
    }
}

/// A template from the user's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTemplate {
    /// Its path relative to the folder, with `/`: `wiki/magicbox.md`.
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    pub text: String,
}

/// The templates of a user's folder, in name order. Only regular files inside the folder are
/// read: a symbolic link is followed only to a file inside it, and a link to a folder, a FIFO,
/// a socket or a device is refused without being opened. Each file is read up to
/// [`MAX_TEMPLATE_BYTES`], and refused beyond that.
pub fn read_user_templates(dir: &Path) -> Result<Vec<UserTemplate>, TemplateReadError> {
    let root = dir.canonicalize().map_err(|source| TemplateReadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    collect(dir, &root, dir, &mut out)?;
    Ok(out)
}

fn collect(
    dir_root: &Path,
    root: &Path,
    dir: &Path,
    out: &mut Vec<UserTemplate>,
) -> Result<(), TemplateReadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TemplateReadError::Io { path, source }
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        if meta.is_dir() {
            collect(dir_root, root, &path, out)?;
            continue;
        }
        let refused = |reason: String| TemplateReadError::Refused {
            path: path.clone(),
            reason,
        };
        let is_link = meta.file_type().is_symlink();
        // A linked folder could lead anywhere, or back to itself.
        if is_link && std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            return Err(refused(
                "it is a symbolic link to a folder, which herald does not follow; make it a \
                 real folder"
                    .to_owned(),
            ));
        }
        let is_template = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "md" | "html" | "txt" | "svg" | "json"));
        if !is_template {
            continue;
        }
        let target_meta = if is_link {
            let target = path.canonicalize().map_err(io(&path))?;
            if !target.starts_with(root) {
                return Err(refused(format!(
                    "it is a symbolic link to `{}`, outside the templates folder; copy the file \
                     into the folder instead",
                    target.display()
                )));
            }
            std::fs::metadata(&target).map_err(io(&path))?
        } else {
            meta
        };
        if !target_meta.is_file() {
            return Err(refused(format!(
                "it is {}, not a regular file; put a template file there, or remove it",
                kind_of(&target_meta)
            )));
        }
        let name = path
            .strip_prefix(dir_root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let text = read_limited(&path, MAX_TEMPLATE_BYTES)?;
        out.push(UserTemplate { name, path, text });
    }
    Ok(())
}

/// What a file that is not a regular file is, for an error message.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}

/// A text file read up to `max` bytes: a larger one is refused once the limit is passed,
/// without reading the rest.
fn read_limited(path: &Path, max: u64) -> Result<String, TemplateReadError> {
    let io = |source| TemplateReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // Checked again on the opened file: it may have been swapped since it was listed.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(TemplateReadError::Refused {
            path: path.to_path_buf(),
            reason: "it is not a regular file".to_owned(),
        });
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(TemplateReadError::Refused {
            path: path.to_path_buf(),
            reason: format!(
                "it is larger than {} MiB, the limit for a template",
                max / (1024 * 1024)
            ),
        });
    }
    String::from_utf8(bytes).map_err(|_| TemplateReadError::Refused {
        path: path.to_path_buf(),
        reason: "it is not UTF-8 text".to_owned(),
    })
}
