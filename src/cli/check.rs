//! `herald check`: every problem of a plans folder with its file, line and column.

use std::process::ExitCode;

use clap::ValueEnum;
use herald::Project;

use super::{BookCommands, EXIT_ERRORS, EXIT_USAGE, PlansDir, Today, emit};

#[derive(clap::Args)]
#[command(mut_arg("today", |a| a.help(
    "The date that decides what is past (YYYY-MM-DD; default: today in UTC)"
)))]
pub struct Args {
    #[command(flatten)]
    plans: PlansDir,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    today: Today,
    #[command(flatten)]
    book: BookCommands,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Github,
    Json,
}

pub fn run(args: Args) -> ExitCode {
    let load = if args.strict {
        Project::load_strict
    } else {
        Project::load
    };
    let mut project = match load(&args.plans.dir, args.today.date()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("herald: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    project.check_site_inputs(&args.book.allowed);
    let checked = project.checked();
    let diags = &checked.diags;
    let summary = herald::diag::summary_line(diags, checked.files());
    emit(&match args.format {
        Format::Human => {
            herald::diag::render_human(diags, &checked.plans.sources) + &summary + "\n"
        }
        Format::Github => herald::diag::render_github(diags) + &summary + "\n",
        Format::Json => herald::diag::render_json(diags),
    });
    let code = if diags.has_errors() {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: the system frees the plans at once, faster than dropping them.
    std::mem::forget(project);
    code
}
