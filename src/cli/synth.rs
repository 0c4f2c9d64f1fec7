//! `herald synth`: writes a synthetic plans folder for benchmarks (hidden from help).

use std::path::PathBuf;
use std::process::ExitCode;

use herald::synth::Size;

#[derive(clap::Args)]
#[command(mut_arg("today", |a| a.help(
    "The date the plans are spread around (results exist for candidates before it)"
)))]
pub struct Args {
    /// The folder to write (created if missing)
    dir: PathBuf,
    /// Number of releases
    #[arg(long, default_value_t = Size::MEDIUM.releases)]
    releases: usize,
    /// Number of teams
    #[arg(long, default_value_t = Size::MEDIUM.teams)]
    teams: usize,
    /// Number of manual tests in the catalogue
    #[arg(long, default_value_t = Size::MEDIUM.tests)]
    tests: usize,
    /// Candidates per release
    #[arg(long, default_value_t = Size::MEDIUM.candidates)]
    candidates: usize,
    #[command(flatten)]
    today: super::Today,
}

pub fn run(args: Args) -> ExitCode {
    if args.teams == 0 || args.candidates == 0 || args.releases == 0 {
        eprintln!("herald synth: releases, teams and candidates must be at least 1");
        return ExitCode::from(super::EXIT_USAGE);
    }
    let size = Size {
        releases: args.releases,
        teams: args.teams,
        tests: args.tests,
        candidates: args.candidates,
    };
    match herald::synth::write(&args.dir, size, args.today.date()) {
        Ok(()) => {
            super::emit(&format!(
                "wrote {} releases, {} teams, {} tests to {}\n",
                size.releases,
                size.teams,
                size.tests,
                args.dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("herald synth: cannot write {}: {e}", args.dir.display());
            ExitCode::from(super::EXIT_ERRORS)
        }
    }
}
