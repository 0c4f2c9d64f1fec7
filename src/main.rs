//! The `herald` command line: parses arguments, calls the library, maps results to exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

mod cli;

use cli::{EXIT_ERRORS, EXIT_USAGE, emit, parse_date, today_or_now};

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
    Check {
        /// The plans folder
        #[arg(default_value = "releases")]
        dir: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
        /// The date that decides what is past (YYYY-MM-DD; default: today in UTC)
        #[arg(long, value_parser = parse_date)]
        today: Option<Date>,
        #[command(flatten)]
        book: BookCommands,
    },
    /// Render the wiki (MagicBox pages, workbooks, calendars, Slack drafts) and the HTML site
    Build {
        /// The plans folder
        #[arg(default_value = "releases")]
        dir: PathBuf,
        /// The output folder: OUT/wiki (mdBook source) and OUT/site (HTML)
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// The date that decides what is past, next and overdue (YYYY-MM-DD; default: today in UTC)
        #[arg(long, value_parser = parse_date)]
        today: Option<Date>,
        /// Where the site is published, for absolute links in drafts and calendars
        #[arg(long, env = "HERALD_SITE_URL")]
        site_url: Option<String>,
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
    },
    /// Print a JSON Schema for the plan files, for editor completion and validation
    Schema(cli::schema::Args),
    /// Scaffold a plans folder with commented examples that pass `check`
    Init(cli::init::Args),
    /// Write the manual-test workbook (.xlsx) of one release
    Workbook(cli::workbook::Args),
    /// Print one Slack draft of a release, ready to paste (or its Block Kit JSON)
    Draft(cli::draft::Args),
    /// List the Slack drafts that are due or overdue: the Release Master's morning agenda
    Due(cli::due::Args),
    /// Write an ICS calendar feed of all releases, or of one
    Calendar(cli::calendar::Args),
    /// Write a synthetic plans folder of a given size, for benchmarks
    #[command(hide = true)]
    Synth(cli::synth::Args),
}

/// The commands `book.toml` may have mdBook run: none unless named here, so a pull
/// request that changes only `book.toml` cannot add one.
#[derive(clap::Args)]
struct BookCommands {
    /// A command book.toml may run as an mdBook preprocessor or renderer (repeatable)
    #[arg(
        long = "allow-book-command",
        value_name = "COMMAND",
        env = "HERALD_BOOK_COMMANDS",
        value_delimiter = ','
    )]
    allowed: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Github,
    Json,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "herald: internal error: {info}\nThis is a bug in herald, not in your plans. Please report it with the command and the plans that caused it."
        );
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            dir,
            format,
            strict,
            today,
            book,
        } => run_check(&dir, format, strict, today_or_now(today), &book.allowed),
        Command::Build {
            dir,
            out,
            today,
            site_url,
            no_site,
            timings,
            keep_foreign,
            book,
        } => run_build(
            herald::build::BuildOptions {
                dir,
                out,
                today: today_or_now(today),
                site_url,
                site: !no_site,
                keep_foreign,
                allowed_commands: book.allowed,
            },
            timings,
        ),
        Command::Schema(args) => cli::schema::run(args),
        Command::Init(args) => cli::init::run(args),
        Command::Workbook(args) => cli::workbook::run(args),
        Command::Draft(args) => cli::draft::run(args),
        Command::Due(args) => cli::due::run(args),
        Command::Calendar(args) => cli::calendar::run(args),
        Command::Synth(args) => cli::synth::run(args),
    }
}

fn run_check(
    dir: &std::path::Path,
    format: Format,
    strict: bool,
    today: Date,
    allowed_commands: &[String],
) -> ExitCode {
    let mut checked = match herald::check(dir, today, strict) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("herald: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // What the build reads besides the plans: the templates and book.toml.
    checked
        .diags
        .extend(herald::check_site_inputs(dir, allowed_commands));
    if strict {
        checked.diags.make_strict();
    }
    checked.diags.finish();
    let diags = &checked.diags;
    let summary = herald::diag::summary_line(diags, checked.files());
    emit(&match format {
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
    std::mem::forget(checked);
    code
}

fn run_build(opts: herald::build::BuildOptions, show_timings: bool) -> ExitCode {
    use herald::build::BuildError;
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
            if show_timings {
                let t = report.timings;
                let cpu = t.render_cpu;
                eprintln!(
                    "timings: fingerprint {:.3}s, check {:.3}s, plan {:.3}s, render {:.3}s (cpu: pages {:.3}s, workbooks {:.3}s, calendars {:.3}s, drafts {:.3}s), write {:.3}s, site {:.3}s",
                    t.fingerprint.as_secs_f64(),
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
            emit(&line);
            ExitCode::SUCCESS
        }
        Err(BuildError::Plans(checked)) => {
            eprint!(
                "{}",
                herald::diag::render_human(&checked.diags, &checked.plans.sources)
            );
            eprintln!(
                "{}\nherald: the plans have errors; nothing was written to {}",
                herald::diag::summary_line(&checked.diags, checked.files()),
                opts.out.display()
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
