//! Tera 2 templates: defaults embedded in the binary under `__herald/`, and a user's
//! `templates/` folder (beside the plans folder) overriding them file by file.
//!
//! Templates are trusted input, like a Makefile, but reading and rendering them is bounded:
//! only regular files inside the templates folder are read (a symbolic link pointing outside
//! it, a FIFO or a device is refused without being opened), each at most
//! [`MAX_TEMPLATE_BYTES`]; a rendered file stops at [`MAX_OUTPUT_BYTES`] or after
//! [`MAX_RENDER_TIME`] spent producing output, with an error naming the template.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tera::Tera;

use crate::load::templates::UserTemplate;

/// Every default template (`wiki/magicbox.md`, `slack/deadlines.md`, …) and its text,
/// embedded by `build.rs` from `templates/wiki` and `templates/slack`.
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// Prefix of the embedded defaults; a user's template of the same name wins.
pub const DEFAULT_PREFIX: &str = "__herald/";

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
    /// The user's template could not be read (see [`crate::load::templates`]).
    #[error(transparent)]
    Read(#[from] crate::load::templates::TemplateReadError),
    #[error(
        "template `{template}` stopped: {reason}; look for a loop that runs away, or a loop \
         inside a loop over large lists"
    )]
    Runaway { template: String, reason: String },
    /// A draft longer than Slack reads or accepts (see [`super::blockkit::over_budget`]).
    #[error(
        "draft `{draft}` is {reason}; shorten template `{template}` (list fewer items, or \
         link to the workbook or the site for the rest)"
    )]
    OverBudget {
        draft: String,
        template: String,
        reason: String,
    },
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
    /// The embedded defaults plus the user's templates (read by
    /// [`crate::load::templates::read_user_templates`]), which override them by name.
    pub fn new(user: &[UserTemplate]) -> Result<Templates, TemplateError> {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([DEFAULT_PREFIX])?;
        tera.autoescape_on([".html", ".svg", ".xml"]);
        super::markdown::register(&mut tera);
        super::slack::register(&mut tera);
        let defaults = EMBEDDED
            .iter()
            .map(|(name, src)| (format!("{DEFAULT_PREFIX}{name}"), *src));
        tera.add_raw_templates(defaults)?;
        tera.add_raw_templates(user.iter().map(|t| (&t.name, &t.text)))?;
        let user_paths = user
            .iter()
            .map(|t| (t.name.clone(), t.path.clone()))
            .collect();
        Ok(Templates { tera, user_paths })
    }

    /// The embedded defaults only.
    pub fn defaults() -> Result<Templates, TemplateError> {
        Templates::new(&[])
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
    pub fn display_name(&self, name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::templates::read_user_templates;
    use std::path::Path;

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
        match crate::load::templates::read_user_templates(dir)
            .map_err(TemplateError::from)
            .and_then(|u| Templates::new(&u))
        {
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
        let t =
            Templates::new(&crate::load::templates::read_user_templates(&dir).unwrap()).unwrap();
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
        let t =
            Templates::new(&crate::load::templates::read_user_templates(&dir).unwrap()).unwrap();
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
