//! `herald workbook`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("herald workbook: not implemented yet");
    ExitCode::from(super::EXIT_ERRORS)
}
