//! `herald workbook`: writes the manual-test workbook of one release.

use std::path::PathBuf;
use std::process::ExitCode;

use herald::render::{Context, workbook};
use jiff::civil::Date;

use herald::write::Written;

use super::{
    EXIT_ERRORS, find_release, load_templates, load_valid, parse_date, report, today_or_now,
    write_output,
};

#[derive(clap::Args)]
pub struct Args {
    /// The release: its version (`1.14.0`) or a prefix of it (`1.14`)
    release: String,
    /// The plans folder
    #[arg(long, default_value = "releases")]
    dir: PathBuf,
    /// Where to write the workbook (default: manual-tests-VERSION.xlsx in the current folder; `-` for standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// The date the plans are checked against (YYYY-MM-DD; default: today in UTC)
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
}

pub fn run(args: Args) -> ExitCode {
    let today = today_or_now(args.today);
    let checked = match load_valid(&args.dir, today) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let plans = &checked.plans;
    let release = match find_release(plans, &args.release, &args.dir) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let version = release.version.value.to_string();
    let timeline = herald::plan::plan(plans, today);
    let Some(release) = timeline.release(&version) else {
        eprintln!("herald: release {version} is missing from the timeline");
        return ExitCode::from(EXIT_ERRORS);
    };
    let templates = match load_templates(&args.dir) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let ctx = Context {
        timeline: &timeline,
        plans,
        templates: &templates,
        site_url: None,
    };
    let rendered = match workbook::workbook_bytes(&ctx, release) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("herald: {e}");
            return ExitCode::from(EXIT_ERRORS);
        }
    };
    for cut in &rendered.truncated {
        eprintln!("herald: warning: {cut}");
    }
    let path = args
        .output
        .unwrap_or_else(|| PathBuf::from(format!("manual-tests-{version}.xlsx")));
    let written = match write_output(&path, &rendered.bytes) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let tests = release.tests.rows.len();
    let candidates = release.release.schedule.candidates.len();
    report(
        written,
        &format!(
            "{} {}: {tests} tests, {candidates} candidates\n",
            if written == Written::Unchanged {
                "unchanged"
            } else {
                "wrote"
            },
            path.display()
        ),
    );
    ExitCode::SUCCESS
}
