//! `herald changes`: what moved in the plans since a git revision, for a terminal, a pull
//! request's summary, the internal Slack channel or a program.

use std::collections::BTreeSet;
use std::process::ExitCode;

use herald::Severity;
use herald::history::{Snapshot, plans_at};
use herald::plan::changes::changes;
use herald::render::changes::{Since, json, markdown, slack_json, slack_text, text};

use super::{EXIT_USAGE, PlansDir, Today, emit, load_valid};

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
    Slack,
    Json,
}

#[derive(clap::Args)]
#[command(mut_arg("today", |a| a.help(
    "The date the plans are checked against, now and at the revision (YYYY-MM-DD; default: today in UTC)"
)))]
pub struct Args {
    #[command(flatten)]
    plans: PlansDir,
    /// The git revision to compare with: a commit, branch or tag (`origin/main`, `HEAD~1`)
    #[arg(long, value_name = "REV")]
    since: String,
    /// text for a terminal, markdown for a pull request's summary, slack for each release's
    /// internal channel, json for programs
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// With `--format slack`: the Block Kit payloads for `chat.postMessage`, one per release
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    today: Today,
}

pub fn run(args: Args) -> ExitCode {
    if args.json && !matches!(args.format, Format::Slack) {
        eprintln!(
            "herald: --json goes with --format slack; for the changes as JSON, use --format json"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let today = args.today.date();
    let dir = &args.plans.dir;
    let project = match load_valid(dir, today) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let before = match plans_at(dir, &args.since, today) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("herald: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if !before.existed {
        eprintln!(
            "herald: note: {} did not exist at {}; every release in it is new",
            herald::diag::show_path(dir),
            before.short
        );
    }
    let not_compared = failed_files(&before);
    let found = changes(&before.project.plan(), &project.plan(), &not_compared);
    let since = Since {
        revision: args.since,
        commit: before.commit,
        short: before.short,
    };
    emit(&match (args.format, args.json) {
        (Format::Text, _) => text(&found, &since),
        (Format::Markdown, _) => markdown(&found, &since),
        (Format::Slack, false) => slack_text(&found, &since),
        (Format::Slack, true) => slack_json(&found),
        (Format::Json, _) => json(&found, &since),
    });
    ExitCode::SUCCESS
}

/// The names of the files that had errors at the revision.
fn failed_files(before: &Snapshot) -> Vec<String> {
    let files: BTreeSet<String> = before
        .project
        .diagnostics()
        .items()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| d.file.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    files.into_iter().collect()
}
