//! Rules that look at a whole release or across files, after loading. Each family of rules
//! has its own file and can be tested alone.

mod files;
mod results;
pub mod schedule;

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::model::Plans;

/// Runs every rule on every release that loaded without errors.
pub fn check(plans: &Plans, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for release in &plans.releases {
        out.extend(schedule::check(release));
        out.extend(files::check(release));
        out.extend(results::check(plans, release, today));
    }
    out
}
