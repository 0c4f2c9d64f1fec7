//! herald: release communication from release plans kept in git.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod check;
pub mod diag;
pub mod edit;
pub mod files;
pub mod history;
pub mod init;
pub mod load;
pub mod model;
pub mod plan;
pub mod policy;
pub mod project;
pub mod render;
pub mod results;
pub mod schema;
pub mod site;
pub mod synth;
pub mod write;
pub mod yaml;

use std::path::Path;

use jiff::civil::Date;

pub use diag::{Diagnostic, Diagnostics, Severity, Sources};
pub use load::LoadError;
pub use model::Plans;
pub use project::Project;

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
    check_with(dir, today, strict, None)
}

/// As [`check`], as if the release file `replaced.0` held the text `replaced.1`.
pub fn check_with(
    dir: &Path,
    today: Date,
    strict: bool,
    replaced: Option<(&Path, &str)>,
) -> Result<Checked, LoadError> {
    let mut loaded = load::load_with(dir, replaced)?;
    let mut diags = std::mem::take(&mut loaded.diags);
    let (plans, found) = check::check(loaded, today);
    diags.extend(found);
    if strict {
        diags.make_strict();
    }
    diags.finish();
    Ok(Checked { plans, diags })
}
