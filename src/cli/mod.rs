//! One file per command; the arguments they share, and their shared output and exit codes.

pub mod build;
pub mod calendar;
pub mod changes;
pub mod check;
pub mod draft;
pub mod due;
pub mod init;
pub mod results;
pub mod results_import;
pub mod schema;
pub mod sent;
pub mod serve;
pub mod synth;
pub mod workbook;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use herald::plan::{ReleaseTimeline, Timeline};
use herald::{Checked, Project};
use jiff::civil::Date;

/// Exit code when the plans have errors.
pub const EXIT_ERRORS: u8 = 1;
/// Exit code for usage errors: bad arguments, a missing folder (clap uses 2 as well).
pub const EXIT_USAGE: u8 = 2;

/// The plans folder as the first positional argument.
#[derive(clap::Args)]
pub struct PlansDir {
    /// The plans folder
    #[arg(default_value = "releases")]
    pub dir: PathBuf,
}

/// The plans folder as `--dir`, for commands whose positional arguments name a release.
#[derive(clap::Args)]
pub struct PlansDirOption {
    /// The plans folder
    #[arg(long, default_value = "releases")]
    pub dir: PathBuf,
}

/// `--today`; each command says what the date decides with `mut_arg("today", ..)`.
#[derive(clap::Args)]
pub struct Today {
    /// The date the plans are checked against (YYYY-MM-DD; default: today in UTC)
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
}

impl Today {
    /// The date given, or today in UTC.
    pub fn date(&self) -> Date {
        self.today.unwrap_or_else(today_utc)
    }
}

/// Today's date in UTC, what a date option defaults to.
pub fn today_utc() -> Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

/// `--site-url`; each command says what the links are for with `mut_arg("site_url", ..)`.
#[derive(clap::Args)]
pub struct SiteUrl {
    /// Where the site is published, for absolute links in drafts and calendars
    #[arg(long, env = "HERALD_SITE_URL")]
    pub site_url: Option<String>,
}

/// The commands `book.toml` may have mdBook run: none unless named here, so a pull
/// request that changes only `book.toml` cannot add one.
#[derive(clap::Args)]
pub struct BookCommands {
    /// A command book.toml may run as an mdBook preprocessor or renderer (repeatable)
    #[arg(
        long = "allow-book-command",
        value_name = "COMMAND",
        env = "HERALD_BOOK_COMMANDS",
        value_delimiter = ','
    )]
    pub allowed: Vec<String>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|e| format!("`{s}` is not a date YYYY-MM-DD ({e})"))
}

/// Writes to stdout; a closed pipe (`herald check | head`) is not an error worth a message.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes a command's output file: `-` is standard output, a regular file is replaced
/// atomically, a device or FIFO (`/dev/stdout`) written through. Prints the error itself.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<herald::write::Written, ExitCode> {
    use std::io::Write;
    let written = if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|()| out.flush())
            .map(|()| herald::write::Written::Through)
    } else {
        herald::write::write_file(path, bytes)
    };
    written.map_err(|e| {
        eprintln!(
            "herald: cannot write {}: {e}",
            herald::diag::show_path(path)
        );
        ExitCode::from(EXIT_ERRORS)
    })
}

/// A command's report line: on stdout, unless the output itself went there.
pub fn report(written: herald::write::Written, line: &str) {
    if written == herald::write::Written::Through {
        eprint!("{line}");
    } else {
        emit(line);
    }
}

/// The diagnostics of plans with errors and their summary line, for stderr; `then` says
/// what the command did instead.
pub fn plan_errors(checked: &Checked, then: &str) -> String {
    format!(
        "{}{}\nherald: the plans have errors; {then}\n",
        herald::diag::render_human(&checked.diags, &checked.plans.sources),
        herald::diag::summary_line(&checked.diags, checked.files()),
    )
}

/// Loads and checks a plans folder for a command that needs valid plans. On errors, prints
/// the diagnostics to stderr and returns the exit code to stop with.
pub fn load_valid(dir: &Path, today: Date) -> Result<Project, ExitCode> {
    let project = Project::load(dir, today).map_err(|e| {
        eprintln!("herald: {e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    if project.has_errors() {
        eprint!(
            "{}",
            plan_errors(
                project.checked(),
                &format!("run `herald check {}`", dir.display())
            )
        );
        return Err(ExitCode::from(EXIT_ERRORS));
    }
    Ok(project)
}

/// The release a command names; otherwise says which releases there are and gives the
/// usage exit code.
pub fn find_release<'p>(
    project: &'p Project,
    wanted: &str,
) -> Result<&'p herald::model::Release, ExitCode> {
    project.find_release(wanted).map_err(|e| {
        eprintln!("herald: {e}");
        ExitCode::from(EXIT_USAGE)
    })
}

/// Writes an edit of a plan that passed `check`: says what was `done`, or `unchanged` when
/// the file already said it; prints the warnings the edit brings and why an edit was refused.
pub fn write_plan_edit(
    edit: Result<herald::edit::PlanEdit, herald::edit::Refused>,
    done: &str,
    unchanged: &str,
) -> ExitCode {
    let refused = |r: herald::edit::Refused| {
        eprint!("{}", r.report());
        ExitCode::from(if r.is_usage() {
            EXIT_USAGE
        } else {
            EXIT_ERRORS
        })
    };
    let edit = match edit {
        Ok(e) => e,
        Err(r) => return refused(r),
    };
    let file = herald::diag::show_path(&edit.file);
    if !edit.changed() {
        emit(&format!("{unchanged} in {file}; nothing to do\n"));
        return ExitCode::SUCCESS;
    }
    if let Err(r) = edit.write() {
        return refused(r);
    }
    eprint!(
        "{}",
        herald::diag::render_human(&edit.warnings, &edit.sources)
    );
    emit(&format!("{done} in {file}\n"));
    ExitCode::SUCCESS
}

/// The plan of a release that `find_release` returned.
pub fn planned<'t, 'p>(
    timeline: &'t Timeline<'p>,
    release: &herald::model::Release,
) -> Result<&'t ReleaseTimeline<'p>, ExitCode> {
    let version = release.version.value.to_string();
    timeline.release(&version).ok_or_else(|| {
        eprintln!("herald: release {version} is missing from the timeline");
        ExitCode::from(EXIT_ERRORS)
    })
}

/// The render context over `timeline`; a template that does not compile stops the command.
pub fn context<'a>(
    project: &'a Project,
    timeline: &'a Timeline<'a>,
    site_url: Option<String>,
) -> Result<herald::render::Context<'a>, ExitCode> {
    project.context(timeline, site_url).map_err(|e| {
        eprintln!("herald: {e}");
        ExitCode::from(EXIT_ERRORS)
    })
}
