//! `herald workbook`: writes the manual-test workbook of one release.

use std::path::PathBuf;
use std::process::ExitCode;

use herald::render::workbook;
use herald::write::Written;

use super::{
    EXIT_ERRORS, PlansDirOption, Today, context, find_release, load_valid, planned, report,
    write_output,
};

#[derive(clap::Args)]
pub struct Args {
    /// The release: its version (`1.14.0`) or a prefix of it (`1.14`)
    release: String,
    #[command(flatten)]
    plans: PlansDirOption,
    /// Where to write the workbook (default: manual-tests-VERSION.xlsx in the current folder; `-` for standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    today: Today,
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
    let timeline = project.plan();
    let release = match planned(&timeline, release) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let ctx = match context(&project, &timeline, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let rendered = match workbook::workbook_bytes(&ctx, release) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("herald: {e}");
            return ExitCode::from(EXIT_ERRORS);
        }
    };
    for cut in &rendered.truncated {
        eprintln!("herald: warning: {cut}");
    }
    let path = args
        .output
        .unwrap_or_else(|| PathBuf::from(format!("manual-tests-{}.xlsx", release.version)));
    let written = match write_output(&path, &rendered.bytes) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let tests = release.tests.rows.len();
    let candidates = release.release.schedule.candidates.len();
    report(
        written,
        &format!(
            "{} {}: {tests} tests, {candidates} candidates\n",
            if written == Written::Unchanged {
                "unchanged"
            } else {
                "wrote"
            },
            path.display()
        ),
    );
    ExitCode::SUCCESS
}
