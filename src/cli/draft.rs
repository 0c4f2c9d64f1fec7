//! `herald draft`: one Slack draft of a release on stdout, ready to paste (or its Block Kit JSON).

use std::process::ExitCode;

use herald::plan::ReleaseTimeline;
use herald::render::{Context, slack};

use super::{
    EXIT_ERRORS, EXIT_USAGE, PlansDirOption, SiteUrl, Today, context, emit, find_release,
    load_valid, planned,
};

#[derive(clap::Args)]
#[command(
    mut_arg("today", |a| a.help(
        "The date that decides what is past and due (YYYY-MM-DD; default: today in UTC)"
    )),
    mut_arg("site_url", |a| a.help("Where the site is published, so links in the draft are absolute")),
)]
pub struct Args {
    /// The release version: `1.14.0`, or `1.14` for the latest 1.14.x
    release: String,
    /// The draft id: `deadlines`, `test-environment`, `cherry-pick-rc1`, `manual-tests-rc1`,
    /// `approvals`, `failing-tests` or `release`
    id: String,
    #[command(flatten)]
    plans: PlansDirOption,
    /// Print the Block Kit payload for `chat.postMessage` instead of the mrkdwn text
    #[arg(long)]
    json: bool,
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
    let release = match find_release(&project, &args.release) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let timeline = herald::history::plan_with_history(&project);
    let ctx = match context(&project, &timeline, args.site.site_url) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let release = match planned(&timeline, release) {
        Ok(r) => r,
        Err(code) => return code,
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
    let with_site = Context::new(
        ctx.timeline,
        ctx.plans,
        ctx.templates,
        Some("https://site.invalid".to_owned()),
    );
    slack::draft(&with_site, release, &draft.kind.id()).is_ok_and(|d| d.mrkdwn != draft.mrkdwn)
}
