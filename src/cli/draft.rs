//! `herald draft`: one Slack draft of a release on stdout, ready to paste (or its Block Kit JSON).

use std::path::PathBuf;
use std::process::ExitCode;

use herald::plan::ReleaseTimeline;
use herald::render::{Context, slack};
use jiff::civil::Date;

use super::{
    EXIT_ERRORS, EXIT_USAGE, emit, find_release, load_templates, load_valid, parse_date,
    today_or_now,
};

#[derive(clap::Args)]
pub struct Args {
    /// The release version: `1.14.0`, or `1.14` for the latest 1.14.x
    release: String,
    /// The draft id: `deadlines`, `test-environment`, `cherry-pick-rc1`, `manual-tests-rc1`,
    /// `approvals`, `failing-tests` or `release`
    id: String,
    /// The plans folder
    #[arg(long, default_value = "releases")]
    dir: PathBuf,
    /// Print the Block Kit payload for `chat.postMessage` instead of the mrkdwn text
    #[arg(long)]
    json: bool,
    /// The date that decides what is past and due (YYYY-MM-DD; default: today in UTC)
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
    /// Where the site is published, so links in the draft are absolute
    #[arg(long, env = "HERALD_SITE_URL")]
    site_url: Option<String>,
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
    let templates = match load_templates(&args.dir) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let timeline = herald::plan::plan(plans, today);
    let version = release.version.value.to_string();
    let Some(release) = timeline.release(&version) else {
        eprintln!("herald: release {version} is missing from the timeline");
        return ExitCode::from(EXIT_ERRORS);
    };
    let ctx = Context {
        timeline: &timeline,
        plans,
        templates: &templates,
        site_url: args.site_url,
    };
    match slack::draft(&ctx, release, &args.id) {
        Ok(draft) => {
            if ctx.site_url.is_none() && would_link_site(&ctx, release, &draft) {
                eprintln!(
                    "herald: note: this draft names the release site instead of linking it; \
                     --site-url (or HERALD_SITE_URL) makes its links absolute"
                );
            }
            if draft.missed {
                eprintln!(
                    "herald: note: `{}` was due on {}; its moment passed on {}, so `herald due` no longer lists it",
                    draft.kind,
                    draft.due,
                    draft.last_day.map_or_else(String::new, |d| d.to_string())
                );
            }
            emit(&if args.json {
                draft.json()
            } else {
                draft.mrkdwn
            });
            ExitCode::SUCCESS
        }
        Err(e @ slack::DraftError::Unknown { .. }) => {
            eprintln!("herald: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("herald: {e}");
            ExitCode::from(EXIT_ERRORS)
        }
    }
}

/// Whether the draft differs once a site URL is known, i.e. its template links the site.
fn would_link_site(ctx: &Context, release: &ReleaseTimeline, draft: &slack::Draft) -> bool {
    let with_site = Context {
        timeline: ctx.timeline,
        plans: ctx.plans,
        templates: ctx.templates,
        site_url: Some("https://site.invalid".to_owned()),
    };
    slack::draft(&with_site, release, &draft.kind.id()).is_ok_and(|d| d.mrkdwn != draft.mrkdwn)
}
