//! `herald sent`: marks a Slack draft as posted in the release file's `sent`.

use std::process::ExitCode;

use jiff::civil::Date;

use super::{PlansDirOption, find_release, load_valid, parse_date, today_utc, write_plan_edit};

#[derive(clap::Args)]
pub struct Args {
    /// The release: its version (`1.14.0`) or a prefix of it (`1.14`)
    release: String,
    /// The draft posted, as `herald due` names it: `deadlines`, `cherry-pick-rc1`, `approvals`, …
    draft: String,
    /// The day it was posted (YYYY-MM-DD; default: today in UTC); a draft that recurs daily
    /// is marked for that day only
    #[arg(long, value_parser = parse_date)]
    on: Option<Date>,
    #[command(flatten)]
    plans: PlansDirOption,
}

pub fn run(args: Args) -> ExitCode {
    let on = args.on.unwrap_or_else(today_utc);
    let project = match load_valid(&args.plans.dir, on) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let release = match find_release(&project, &args.release) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let marked = herald::edit::mark_sent(&project, release, &args.draft, on);
    let entry = marked.as_ref().map(|m| m.entry.clone()).unwrap_or_default();
    write_plan_edit(
        marked.map(|m| m.edit),
        &format!("marked `{entry}` as sent"),
        &format!("`{entry}` is already marked as sent"),
    )
}
