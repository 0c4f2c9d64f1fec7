//! The `herald` command line: parses arguments and hands each command to its module in `cli/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

// The build renders 200 workbooks, pages and feeds on both cores, and glibc's allocator
// took a quarter of its CPU (malloc, free, consolidation); mimalloc keeps a heap per thread.
// On the large synthetic organisation a full build takes 0.74x the time, at a peak 150 MB
// higher (its arenas are committed ahead).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "herald",
    version,
    about = "Release communication from release plans kept in git"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a plans folder and report every problem with its file, line and column
    Check(cli::check::Args),
    /// Render the wiki (MagicBox pages, workbooks, calendars, Slack drafts) and the HTML site
    Build(cli::build::Args),
    /// Build, serve the site on localhost, and build again when a plan or template changes
    Serve(cli::serve::Args),
    /// Print a JSON Schema for the plan files, for editor completion and validation
    Schema(cli::schema::Args),
    /// Scaffold a plans folder with commented examples that pass `check` (with --ci, a whole plans repository)
    Init(cli::init::Args),
    /// Write the manual-test workbook (.xlsx) of one release
    Workbook(cli::workbook::Args),
    /// Print one Slack draft of a release, ready to paste (or its Block Kit JSON)
    Draft(cli::draft::Args),
    /// List the Slack drafts that are due or overdue: the Release Master's morning agenda
    Due(cli::due::Args),
    /// Write an ICS calendar feed of all releases, or of one
    Calendar(cli::calendar::Args),
    /// Mark a Slack draft as posted, in the release file's `sent`
    Sent(cli::sent::Args),
    /// Record manual-test results in the release file
    Results(cli::results::Args),
    /// Report what moved in the plans since a git revision (text, Markdown, Slack or JSON)
    Changes(cli::changes::Args),
    /// Write a synthetic plans folder of a given size, for benchmarks
    #[command(hide = true)]
    Synth(cli::synth::Args),
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "herald: internal error: {info}\nThis is a bug in herald, not in your plans. Please report it with the command and the plans that caused it."
        );
    }));
    match Cli::parse().command {
        Command::Check(args) => cli::check::run(args),
        Command::Build(args) => cli::build::run(args),
        Command::Serve(args) => cli::serve::run(args),
        Command::Schema(args) => cli::schema::run(args),
        Command::Init(args) => cli::init::run(args),
        Command::Workbook(args) => cli::workbook::run(args),
        Command::Draft(args) => cli::draft::run(args),
        Command::Due(args) => cli::due::run(args),
        Command::Calendar(args) => cli::calendar::run(args),
        Command::Sent(args) => cli::sent::run(args),
        Command::Results(args) => cli::results::run(args),
        Command::Changes(args) => cli::changes::run(args),
        Command::Synth(args) => cli::synth::run(args),
    }
}
