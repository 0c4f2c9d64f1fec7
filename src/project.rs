//! The library's entry point, as mdBook's `MDBook::load(dir)?`: one plans folder, loaded and
//! checked, from which the Timeline and a render context follow.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::civil::Date;

use crate::diag::{self, Diagnostic, Diagnostics};
use crate::load::templates::{read_beside, user_templates_dir};
use crate::model::{Plans, Release};
use crate::plan::Timeline;
use crate::render::{Context, TemplateError, Templates};
use crate::{Checked, LoadError};

/// A plans folder that was loaded and checked, with every diagnostic about it. Plans with
/// errors load too, so that `check` can report them; commands that render ask `has_errors`.
pub struct Project {
    dir: PathBuf,
    today: Date,
    strict: bool,
    checked: Checked,
    /// Loaded on first use: commands that render nothing never read the templates folder.
    templates: OnceLock<Templates>,
}

impl Project {
    /// Loads the plans folder `dir` and runs every rule; `today` decides what is past.
    pub fn load(dir: &Path, today: Date) -> Result<Project, LoadError> {
        Self::open(dir, today, false)
    }

    /// As [`Project::load`], with every warning counted as an error (`--strict`).
    pub fn load_strict(dir: &Path, today: Date) -> Result<Project, LoadError> {
        Self::open(dir, today, true)
    }

    fn open(dir: &Path, today: Date, strict: bool) -> Result<Project, LoadError> {
        Ok(Project {
            dir: dir.to_owned(),
            today,
            strict,
            checked: crate::check(dir, today, strict)?,
            templates: OnceLock::new(),
        })
    }

    /// The same folder loaded and checked again as if the release file `file` held `text`:
    /// an edit judged before it is written.
    pub fn with_file(&self, file: &Path, text: &str) -> Result<Project, LoadError> {
        Ok(Project {
            dir: self.dir.clone(),
            today: self.today,
            strict: self.strict,
            checked: crate::check_with(&self.dir, self.today, self.strict, Some((file, text)))?,
            templates: OnceLock::new(),
        })
    }

    /// The plans folder, as it was named.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn today(&self) -> Date {
        self.today
    }

    pub fn plans(&self) -> &Plans {
        &self.checked.plans
    }

    pub fn diagnostics(&self) -> &Diagnostics {
        &self.checked.diags
    }

    /// The plans with their diagnostics, as `build` reports them too.
    pub fn checked(&self) -> &Checked {
        &self.checked
    }

    pub fn has_errors(&self) -> bool {
        self.checked.diags.has_errors()
    }

    /// Every milestone of every release, as of `today`.
    pub fn plan(&self) -> Timeline<'_> {
        crate::plan::plan(&self.checked.plans, self.today)
    }

    /// The embedded templates, overridden by `templates/` beside the plans folder, as `build`
    /// uses them.
    pub fn templates(&self) -> Result<&Templates, TemplateError> {
        if let Some(templates) = self.templates.get() {
            return Ok(templates);
        }
        let loaded = load_templates(&self.dir)?;
        Ok(self.templates.get_or_init(|| loaded))
    }

    /// What the renderers read: `timeline` (from [`Project::plan`]), the plans and the
    /// templates; `site_url` makes links in drafts and calendars absolute.
    pub fn context<'a>(
        &'a self,
        timeline: &'a Timeline<'a>,
        site_url: Option<String>,
    ) -> Result<Context<'a>, TemplateError> {
        Ok(Context::new(
            timeline,
            &self.checked.plans,
            self.templates()?,
            site_url,
        ))
    }

    /// The release a command names, in full (`1.14.0`) or as a prefix (`1.14`, the latest 1.14.x).
    pub fn find_release(&self, wanted: &str) -> Result<&Release, UnknownRelease> {
        let plans = &self.checked.plans;
        plans.release(wanted).ok_or_else(|| UnknownRelease {
            wanted: wanted.to_owned(),
            dir: self.dir.clone(),
            known: plans
                .releases
                .iter()
                .map(|r| r.version.value.to_string())
                .collect(),
        })
    }

    /// Adds what `check` reports besides the plans: the templates beside the plans folder
    /// compile, and `book.toml` is readable and runs no command that was not allowed.
    pub fn check_site_inputs(&mut self, allowed_commands: &[String]) {
        let diags = &mut self.checked.diags;
        diags.extend(site_input_diagnostics(&self.dir, allowed_commands));
        if self.strict {
            diags.make_strict();
        }
        diags.finish();
    }
}

/// A release that is not in the plans folder; names the ones that are.
#[derive(Debug)]
pub struct UnknownRelease {
    wanted: String,
    dir: PathBuf,
    known: Vec<String>,
}

impl fmt::Display for UnknownRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known = if self.known.is_empty() {
            "none".to_owned()
        } else {
            self.known.join(", ")
        };
        write!(
            f,
            "no release `{}` in {}; the releases are: {known}",
            self.wanted,
            self.dir.display()
        )
    }
}

impl std::error::Error for UnknownRelease {}

/// The embedded templates, overridden by the user's beside the plans folder.
pub fn load_templates(dir: &Path) -> Result<Templates, TemplateError> {
    Templates::new(&read_beside(dir)?)
}

fn site_input_diagnostics(dir: &Path, allowed_commands: &[String]) -> Vec<Diagnostic> {
    let templates_dir = user_templates_dir(dir);
    let mut diags = Vec::new();
    if let Err(e) = load_templates(dir) {
        let message = e.to_string();
        // Tera names the template and place as ` --> wiki/magicbox.md:1:7`.
        let place = message
            .lines()
            .find_map(|l| l.trim().strip_prefix("--> "))
            .and_then(|p| {
                let mut parts = p.rsplitn(3, ':');
                let column = parts.next()?.parse().ok()?;
                let line = parts.next()?.parse().ok()?;
                Some((
                    templates_dir.join(parts.next()?),
                    diag::Loc::new(line, column, 1),
                ))
            });
        let (file, loc) = place.unwrap_or((templates_dir.clone(), diag::Loc::new(1, 1, 1)));
        let first = message.lines().next().unwrap_or("").trim();
        let first = first
            .strip_prefix("template error: error: ")
            .unwrap_or(first);
        diags.push(
            Diagnostic::error(&file, loc, format!("template: {first}"))
                .with_help("fix the template; `herald build` would stop on it"),
        );
    }
    diags.extend(crate::site::check_book(dir, allowed_commands));
    diags
}
