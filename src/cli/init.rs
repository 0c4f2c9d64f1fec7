//! `herald init`: scaffold a plans folder.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The plans folder to create
    #[arg(default_value = "releases")]
    dir: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    match herald::init::init(&args.dir) {
        Ok(written) => {
            let mut report = String::new();
            for path in &written {
                report.push_str(&format!("wrote {}\n", path.display()));
            }
            // The files' first lines point at ../schema/ beside the plans folder.
            let schema_dir = args
                .dir
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .join("schema");
            report.push_str(&format!(
                "next: edit the examples and run `herald check {}`\nfor editor completion: `herald schema --out {}`\n",
                args.dir.display(),
                schema_dir.display()
            ));
            super::emit(&report);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("herald: {e}");
            ExitCode::from(super::EXIT_ERRORS)
        }
    }
}
