//! `herald calendar`: the ICS feed of every release, or of one, to stdout or a file.

use std::path::PathBuf;
use std::process::ExitCode;

use herald::plan::ReleaseTimeline;
use herald::render::calendar;

use super::{
    PlansDir, SiteUrl, Today, context, emit, find_release, load_valid, report, write_output,
};

#[derive(clap::Args)]
#[command(mut_arg("site_url", |a| a.help(
    "Where the site is published, for absolute links in event descriptions"
)))]
pub struct Args {
    #[command(flatten)]
    plans: PlansDir,
    /// Write the feed to this file (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only this release (`1.14.0`, or `1.14` for the latest 1.14.x)
    #[arg(long, value_name = "V")]
    release: Option<String>,
    #[command(flatten)]
    today: Today,
    #[command(flatten)]
    site: SiteUrl,
}

pub fn run(args: Args) -> ExitCode {
    let project = match load_valid(&args.plans.dir, args.today.date()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let timeline = herald::history::plan_with_history(&project);
    let ctx = match context(&project, &timeline, args.site.site_url) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let releases: Vec<&ReleaseTimeline> = match &args.release {
        None => timeline.releases.iter().collect(),
        Some(wanted) => match find_release(&project, wanted) {
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
