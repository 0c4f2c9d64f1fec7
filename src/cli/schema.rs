//! `herald schema`: JSON Schemas of the plan files, for editors.

use std::path::PathBuf;
use std::process::ExitCode;

use herald::schema::{FileKind, schema_text};

#[derive(clap::Args)]
pub struct Args {
    /// Which kind of file to describe
    #[arg(long, value_enum, default_value_t = Kind::Release)]
    kind: Kind,
    /// Write all three schemas (release.json, teams.json, tests.json) into this folder instead
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    Release,
    Teams,
    Tests,
}

impl From<Kind> for FileKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Release => FileKind::Release,
            Kind::Teams => FileKind::Teams,
            Kind::Tests => FileKind::Tests,
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let Some(out) = args.out else {
        super::emit(&schema_text(args.kind.into()));
        return ExitCode::SUCCESS;
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("herald: cannot create `{}`: {e}", out.display());
        return ExitCode::from(super::EXIT_ERRORS);
    }
    let mut report = String::new();
    for kind in FileKind::ALL {
        let path = out.join(kind.file_name());
        if let Err(e) = std::fs::write(&path, schema_text(kind)) {
            eprintln!("herald: cannot write `{}`: {e}", path.display());
            return ExitCode::from(super::EXIT_ERRORS);
        }
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    super::emit(&report);
    ExitCode::SUCCESS
}
