//! `herald build`: the wiki (MagicBox pages, workbooks, calendars, Slack drafts) and the HTML site.

use std::path::PathBuf;
use std::process::ExitCode;

use herald::build::{BuildError, BuildOptions};

use super::{BookCommands, EXIT_ERRORS, EXIT_USAGE, PlansDir, SiteUrl, Today, emit, plan_errors};

#[derive(clap::Args)]
#[command(mut_arg("today", |a| a.help(
    "The date that decides what is past, next and overdue (YYYY-MM-DD; default: today in UTC)"
)))]
pub struct Args {
    #[command(flatten)]
    plans: PlansDir,
    /// The output folder: OUT/wiki (mdBook source) and OUT/site (HTML)
    #[arg(long, default_value = "public")]
    out: PathBuf,
    #[command(flatten)]
    today: Today,
    #[command(flatten)]
    site: SiteUrl,
    /// Write the wiki only, not the HTML site
    #[arg(long)]
    no_site: bool,
    /// Print where the time went, to stderr
    #[arg(long)]
    timings: bool,
    /// Build into OUT/wiki or OUT/site although they hold files herald did not write
    /// (a wiki checkout); those files are kept, never overwritten
    #[arg(long)]
    keep_foreign: bool,
    #[command(flatten)]
    book: BookCommands,
}

pub fn run(args: Args) -> ExitCode {
    let opts = BuildOptions {
        dir: args.plans.dir,
        out: args.out,
        today: args.today.date(),
        site_url: args.site.site_url,
        site: !args.no_site,
        keep_foreign: args.keep_foreign,
        allowed_commands: args.book.allowed,
    };
    match herald::build::build(&opts) {
        Ok(report) => {
            let wiki = opts.out.join("wiki");
            let warnings = match report.warnings {
                0 => String::new(),
                1 => " (1 warning: run `herald check`)".to_owned(),
                n => format!(" ({n} warnings: run `herald check`)"),
            };
            let line = if report.up_to_date {
                format!(
                    "up to date: {} releases, {} files in {}; nothing changed since the last build ({:.2}s){warnings}\n",
                    report.releases,
                    report.files,
                    wiki.display(),
                    report.elapsed.as_secs_f64(),
                )
            } else {
                let site = if report.site_built {
                    format!(", site rebuilt in {}", opts.out.join("site").display())
                } else if opts.site {
                    ", site unchanged".to_owned()
                } else {
                    String::new()
                };
                format!(
                    "built {} releases ({} rendered, {} unchanged): {} files in {} ({} written, {} unchanged, {} removed){site} in {:.2}s{warnings}\n",
                    report.releases,
                    report.rendered,
                    report.releases - report.rendered,
                    report.files,
                    wiki.display(),
                    report.wiki.written,
                    report.wiki.unchanged,
                    report.wiki.removed,
                    report.elapsed.as_secs_f64(),
                )
            };
            if args.timings {
                let t = report.timings;
                let cpu = t.render_cpu;
                eprintln!(
                    "timings: fingerprint {:.3}s, parse {:.3}s, check {:.3}s, plan {:.3}s, render {:.3}s (cpu: pages {:.3}s, workbooks {:.3}s, calendars {:.3}s, drafts {:.3}s), write {:.3}s, site {:.3}s",
                    t.fingerprint.as_secs_f64(),
                    t.parse.as_secs_f64(),
                    t.check.as_secs_f64(),
                    t.plan.as_secs_f64(),
                    t.render.as_secs_f64(),
                    cpu.pages.as_secs_f64(),
                    cpu.workbooks.as_secs_f64(),
                    cpu.calendars.as_secs_f64(),
                    cpu.drafts.as_secs_f64(),
                    t.write.as_secs_f64(),
                    t.site.as_secs_f64(),
                );
            }
            for note in &report.notes {
                eprintln!("note: {}", herald::diag::escape_text(note));
            }
            emit(&line);
            ExitCode::SUCCESS
        }
        Err(BuildError::Plans(checked)) => {
            eprint!(
                "{}",
                plan_errors(
                    &checked,
                    &format!("nothing was written to {}", opts.out.display())
                )
            );
            ExitCode::from(EXIT_ERRORS)
        }
        Err(e @ BuildError::Load(_)) => {
            eprintln!("herald: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("herald: {e}");
            ExitCode::from(EXIT_ERRORS)
        }
    }
}
