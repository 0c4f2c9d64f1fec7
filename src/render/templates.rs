//! Tera 2 templates: defaults embedded in the binary under `__herald/`, and a user's
//! `templates/` folder (beside the plans folder) overriding them file by file.
//!
//! Templates are trusted input, like a Makefile, but reading and rendering them is bounded:
//! only regular files inside the templates folder are read (a symbolic link pointing outside
//! it, a FIFO or a device is refused without being opened), each at most
//! [`MAX_TEMPLATE_BYTES`]; a rendered file stops at [`MAX_OUTPUT_BYTES`] or after
//! [`MAX_RENDER_TIME`] spent producing output, with an error naming the template.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tera::Tera;

/// Every default template (`wiki/magicbox.md`, `slack/deadlines.md`, …) and its text,
/// embedded by `build.rs` from `templates/wiki` and `templates/slack`.
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// Prefix of the embedded defaults; a user's template of the same name wins.
pub const DEFAULT_PREFIX: &str = "__herald/";

/// The largest template file herald reads: far above any real template (the defaults are a
/// few KiB), small enough that a mistaken link to a huge file costs nothing.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The most output one rendered file may have: a runaway loop stops here instead of
/// exhausting memory. The largest default page of a large organisation is a few MiB.
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;

/// The longest one rendered file may keep producing output.
pub const MAX_RENDER_TIME: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// Tera's report already names the template, line and column, with the source.
    #[error("template error: {0}")]
    Tera(String),
    #[error("cannot read template `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("template `{path}` is not read: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error(
        "template `{template}` stopped: {reason}; look for a loop that runs away, or a loop \
         inside a loop over large lists"
    )]
    Runaway { template: String, reason: String },
}

impl From<tera::Error> for TemplateError {
    fn from(e: tera::Error) -> Self {
        TemplateError::Tera(e.to_string())
    }
}

pub struct Templates {
    tera: Tera,
    /// Where each user template was read from, by template name.
    user_paths: Vec<(String, PathBuf)>,
}

impl Templates {
    /// The embedded defaults plus the `.md`, `.html`, `.txt`, `.svg` and `.json` files under
    /// `user_dir` (if it exists), named by their path relative to it.
    pub fn load(user_dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([DEFAULT_PREFIX])?;
        tera.autoescape_on([".html", ".svg", ".xml"]);
        super::markdown::register(&mut tera);
        super::slack::register(&mut tera);
        let defaults = EMBEDDED
            .iter()
            .map(|(name, src)| (format!("{DEFAULT_PREFIX}{name}"), *src));
        tera.add_raw_templates(defaults)?;
        let mut user_paths = Vec::new();
        if let Some(dir) = user_dir.filter(|d| d.is_dir()) {
            let user = read_user_templates(dir)?;
            tera.add_raw_templates(user.iter().map(|t| (&t.name, &t.text)))?;
            user_paths = user.into_iter().map(|t| (t.name, t.path)).collect();
        }
        Ok(Templates { tera, user_paths })
    }

    /// The embedded defaults only.
    pub fn defaults() -> Result<Templates, TemplateError> {
        Templates::load(None)
    }

    pub fn render(&self, name: &str, ctx: &impl serde::Serialize) -> Result<String, TemplateError> {
        let ctx = tera::Context::from_serialize(ctx)?;
        let mut out = BoundedOutput::new(MAX_OUTPUT_BYTES, MAX_RENDER_TIME);
        if let Err(e) = self.tera.render_to(name, &ctx, &mut out) {
            return Err(match out.stopped {
                Some(reason) => TemplateError::Runaway {
                    template: self.display_name(name),
                    reason,
                },
                None => e.into(),
            });
        }
        String::from_utf8(out.bytes).map_err(|e| {
            TemplateError::Tera(format!("template `{name}` produced invalid UTF-8: {e}"))
        })
    }

    /// The file a user template came from, or the name of an embedded default.
    fn display_name(&self, name: &str) -> String {
        match self.user_paths.iter().find(|(n, _)| n == name) {
            Some((_, path)) => path.display().to_string(),
            None => format!("{name} (built in)"),
        }
    }
}

/// Rendered output that refuses to grow past a size or to keep coming past a time, so that
/// Tera stops at the first write beyond either.
struct BoundedOutput {
    bytes: Vec<u8>,
    max_bytes: usize,
    deadline: Instant,
    max_time: Duration,
    /// Why writing stopped, once it did.
    stopped: Option<String>,
}

impl BoundedOutput {
    fn new(max_bytes: usize, max_time: Duration) -> BoundedOutput {
        BoundedOutput {
            bytes: Vec::new(),
            max_bytes,
            deadline: Instant::now() + max_time,
            max_time,
            stopped: None,
        }
    }
}

impl Write for BoundedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.max_bytes {
            self.stopped = Some(format!(
                "its output passed {} MiB, the limit for one file",
                self.max_bytes / (1024 * 1024)
            ));
        } else if Instant::now() > self.deadline {
            self.stopped = Some(format!(
                "it was still producing output after {} seconds, the limit for one file",
                self.max_time.as_secs()
            ));
        }
        if self.stopped.is_some() {
            return Err(std::io::Error::other("template output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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
pub fn read_user_templates(dir: &Path) -> Result<Vec<UserTemplate>, TemplateError> {
    let root = dir.canonicalize().map_err(|source| TemplateError::Io {
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
) -> Result<(), TemplateError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TemplateError::Io { path, source }
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
        let refused = |reason: String| TemplateError::Refused {
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
fn read_limited(path: &Path, max: u64) -> Result<String, TemplateError> {
    let io = |source| TemplateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // Checked again on the opened file: it may have been swapped since it was listed.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(TemplateError::Refused {
            path: path.to_path_buf(),
            reason: "it is not a regular file".to_owned(),
        });
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(TemplateError::Refused {
            path: path.to_path_buf(),
            reason: format!(
                "it is larger than {} MiB, the limit for a template",
                max / (1024 * 1024)
            ),
        });
    }
    String::from_utf8(bytes).map_err(|_| TemplateError::Refused {
        path: path.to_path_buf(),
        reason: "it is not UTF-8 text".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = tmp.path().join("templates").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
        tmp
    }

    fn load_error(dir: &Path) -> String {
        match Templates::load(Some(dir)) {
            Ok(_) => panic!("{} loaded", dir.display()),
            Err(e) => e.to_string(),
        }
    }

    /// `templates/wiki/magicbox.md -> /proc/self/environ` once published the build's
    /// environment in the MagicBox page.
    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_templates_folder_is_refused_by_name() {
        let tmp = folder(&[("secret.txt", "")]);
        let dir = tmp.path().join("templates");
        let outside = tmp.path().join("environ");
        std::fs::write(&outside, "AWS_SECRET=1\n").unwrap();
        std::fs::create_dir_all(dir.join("wiki")).unwrap();
        let link = dir.join("wiki/magicbox.md");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert_eq!(
            load_error(&dir),
            format!(
                "template `{}` is not read: it is a symbolic link to `{}`, outside the templates \
                 folder; copy the file into the folder instead",
                link.display(),
                outside.canonicalize().unwrap().display()
            )
        );
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(
            load_error(&dir).contains("is a symbolic link to `/dev/zero`, outside"),
            "{}",
            load_error(&dir)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_the_folder_is_read() {
        let tmp = folder(&[("shared/page.md", "Shared {{ 1 + 1 }}")]);
        let dir = tmp.path().join("templates");
        std::fs::create_dir_all(dir.join("wiki")).unwrap();
        std::os::unix::fs::symlink("../shared/page.md", dir.join("wiki/page.md")).unwrap();
        let templates = read_user_templates(&dir).unwrap();
        let names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["shared/page.md", "wiki/page.md"]);
        let t = Templates::load(Some(&dir)).unwrap();
        assert_eq!(
            t.render("wiki/page.md", &serde_json::json!({})).unwrap(),
            "Shared 2"
        );
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_linked_folders_are_refused_without_opening() {
        let tmp = folder(&[]);
        let dir = tmp.path().join("templates");
        let fifo = dir.join("overview.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening a FIFO for reading would wait for a writer forever.
        assert_eq!(
            load_error(&dir),
            format!(
                "template `{}` is not read: it is a FIFO (named pipe), not a regular file; put a \
                 template file there, or remove it",
                fifo.display()
            )
        );
        std::fs::remove_file(&fifo).unwrap();
        let link = dir.join("wiki");
        std::os::unix::fs::symlink(tmp.path(), &link).unwrap();
        assert_eq!(
            load_error(&dir),
            format!(
                "template `{}` is not read: it is a symbolic link to a folder, which herald does \
                 not follow; make it a real folder",
                link.display()
            )
        );
    }

    #[test]
    fn a_template_over_the_size_limit_is_refused_without_reading_it_all() {
        let tmp = folder(&[]);
        let dir = tmp.path().join("templates");
        let big = dir.join("calendar.md");
        // Sparse: 2 GiB on paper, nothing on disk; only the first MiB and a byte are read.
        std::fs::File::create(&big)
            .unwrap()
            .set_len(2 * 1024 * 1024 * 1024)
            .unwrap();
        assert_eq!(
            load_error(&dir),
            format!(
                "template `{}` is not read: it is larger than 1 MiB, the limit for a template",
                big.display()
            )
        );
    }

    /// Nested loops once aborted the build with "memory allocation failed" and a backtrace.
    #[test]
    fn runaway_output_stops_with_an_error_naming_the_template() {
        let body = "x".repeat(1000);
        let tmp = folder(&[(
            "wiki/overview.md",
            &format!(
                "{{% for a in range(end=100000) %}}{{% for b in range(end=100000) %}}{body}{{% endfor %}}{{% endfor %}}"
            ),
        )]);
        let dir = tmp.path().join("templates");
        let t = Templates::load(Some(&dir)).unwrap();
        let started = Instant::now();
        let e = t
            .render("wiki/overview.md", &serde_json::json!({}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "template `{}` stopped: its output passed 64 MiB, the limit for one file; look \
                 for a loop that runs away, or a loop inside a loop over large lists",
                dir.join("wiki/overview.md").display()
            )
        );
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn output_that_keeps_coming_past_the_time_limit_stops() {
        let mut out = BoundedOutput::new(1024, Duration::ZERO);
        std::thread::sleep(Duration::from_millis(2));
        assert!(out.write_all(b"late").is_err());
        assert_eq!(
            out.stopped.as_deref(),
            Some("it was still producing output after 0 seconds, the limit for one file")
        );
        let mut out = BoundedOutput::new(4, Duration::from_secs(60));
        assert!(out.write_all(b"four").is_ok());
        assert!(out.write_all(b"!").is_err());
        assert_eq!(out.bytes, b"four");
    }

    #[test]
    fn built_in_templates_are_named_as_such() {
        let t = Templates::defaults().unwrap();
        assert_eq!(
            t.display_name("wiki/magicbox.md"),
            "wiki/magicbox.md (built in)"
        );
    }
}
