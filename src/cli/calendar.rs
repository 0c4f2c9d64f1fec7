//! `herald calendar`: the ICS feed of every release, or of one, to stdout or a file.

use std::path::PathBuf;
use std::process::ExitCode;

use herald::plan::ReleaseTimeline;
use herald::render::{Context, calendar};
use jiff::civil::Date;

use super::{
    emit, find_release, load_templates, load_valid, parse_date, report, today_or_now, write_output,
};

#[derive(clap::Args)]
pub struct Args {
    /// The plans folder
    #[arg(default_value = "releases")]
    dir: PathBuf,
    /// Write the feed to this file (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only this release (`1.14.0`, or `1.14` for the latest 1.14.x)
    #[arg(long, value_name = "V")]
    release: Option<String>,
    /// The date the plans are checked against (YYYY-MM-DD; default: today in UTC)
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
    /// Where the site is published, for absolute links in event descriptions
    #[arg(long, env = "HERALD_SITE_URL")]
    site_url: Option<String>,
}

pub fn run(args: Args) -> ExitCode {
    let today = today_or_now(args.today);
    let checked = match load_valid(&args.dir, today) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let templates = match load_templates(&args.dir) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let timeline = herald::plan::plan(&checked.plans, today);
    let ctx = Context {
        timeline: &timeline,
        plans: &checked.plans,
        templates: &templates,
        site_url: args.site_url,
    };
    let releases: Vec<&ReleaseTimeline> = match &args.release {
        None => timeline.releases.iter().collect(),
        Some(wanted) => match find_release(&checked.plans, wanted, &args.dir) {
            Ok(r) => timeline
                .release(&r.version.value.to_string())
                .into_iter()
                .collect(),
            Err(code) => return code,
        },
    };
    let feed = calendar::feed(&ctx, &releases);
    match &args.output {
        None => emit(&feed),
        Some(path) => {
            let written = match write_output(path, feed.as_bytes()) {
                Ok(w) => w,
                Err(code) => return code,
            };
            let events: usize = releases
                .iter()
                .map(|r| calendar::events(&ctx, r).len())
                .sum();
            report(
                written,
                &format!(
                    "wrote {}: {} release{}, {events} events\n",
                    path.display(),
                    releases.len(),
                    if releases.len() == 1 { "" } else { "s" },
                ),
            );
        }
    }
    ExitCode::SUCCESS
}
