//! `herald draft`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("herald draft: not implemented yet");
    ExitCode::from(super::EXIT_ERRORS)
}
