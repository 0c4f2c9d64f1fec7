//! `herald results`: manual-test results into the release file, edited in place.

use std::process::ExitCode;

use super::{PlansDirOption, find_release, load_valid, today_utc, write_plan_edit};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Read filled-in copies of a release's workbook back into its release file
    Import(super::results_import::Args),
    /// Record one result: the status, and who ran the test and what they saw
    Set(SetArgs),
}

pub fn run(args: Args) -> ExitCode {
    match args.command {
        Command::Import(args) => super::results_import::run(args),
        Command::Set(args) => set(args),
    }
}

#[derive(clap::Args)]
struct SetArgs {
    /// The release: its version (`1.14.0`) or a prefix of it (`1.14`)
    release: String,
    /// The test id, from manual-tests.yaml
    test: String,
    /// The candidate it ran on: `rc1`, `rc2`, …
    candidate: String,
    /// not-run, passed, failed, blocked or skipped
    status: String,
    /// Who ran the test (the result is recorded whole: without it, a tester written before goes)
    #[arg(long, allow_hyphen_values = true)]
    tester: Option<String>,
    /// What the tester saw (without it, a note written before goes)
    #[arg(long, allow_hyphen_values = true)]
    note: Option<String>,
    #[command(flatten)]
    plans: PlansDirOption,
}

fn set(args: SetArgs) -> ExitCode {
    let project = match load_valid(&args.plans.dir, today_utc()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let release = match find_release(&project, &args.release) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let recorded = herald::edit::record_result(
        &project,
        release,
        &args.test,
        &args.candidate,
        &args.status,
        args.tester.as_deref(),
        args.note.as_deref(),
    );
    let was = match recorded.as_ref().map(|r| r.previous) {
        Ok(Some(previous)) => format!(" (was {})", previous.as_str()),
        _ => " (none before)".to_owned(),
    };
    let what = format!("`{}` on {}", args.test, args.candidate);
    write_plan_edit(
        recorded.map(|r| r.edit),
        &format!("recorded {what}: {}{was}", args.status),
        &format!("{what} is already recorded as {}", args.status),
    )
}
