//! herald: release communication from release plans kept in git.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod cache;
pub mod check;
pub mod diag;
pub mod init;
pub mod load;
pub mod model;
pub mod plan;
pub mod render;
pub mod schema;
pub mod synth;
pub mod write;
pub mod yaml;

use std::path::Path;

use jiff::civil::Date;

pub use diag::{Diagnostic, Diagnostics, Severity, Sources};
pub use load::LoadError;
pub use model::Plans;

/// Plans that were loaded and checked, and every diagnostic about them.
pub struct Checked {
    pub plans: Plans,
    pub diags: Diagnostics,
}

impl Checked {
    /// Files read, for the summary line.
    pub fn files(&self) -> usize {
        self.plans.files
    }
}

/// Loads a plans folder and runs every rule. `today` decides which candidates have passed.
pub fn check(dir: &Path, today: Date, strict: bool) -> Result<Checked, LoadError> {
    let mut loaded = load::load(dir)?;
    let mut diags = std::mem::take(&mut loaded.diags);
    let (plans, found) = check::check(loaded, today);
    diags.extend(found);
    if strict {
        diags.make_strict();
    }
    diags.finish();
    Ok(Checked { plans, diags })
}

/// What the build reads besides the plans, checked as `herald check` does: the templates
/// beside the plans folder compile, and `book.toml` is readable and runs no command that
/// was not allowed.
pub fn check_site_inputs(dir: &Path, allowed_commands: &[String]) -> Vec<Diagnostic> {
    let templates_dir = build::user_templates_dir(dir);
    let mut diags = Vec::new();
    if let Err(e) = render::Templates::load(Some(&templates_dir)) {
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
    diags.extend(render::site::check_book(dir, allowed_commands));
    diags
}
