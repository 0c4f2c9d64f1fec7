//! `herald init`: scaffold a plans folder, or with `--ci` a whole plans repository.

use std::path::PathBuf;
use std::process::ExitCode;

use herald::init::Ci;

#[derive(clap::Args)]
pub struct Args {
    /// The plans folder to create; with --ci, the repository is the folder that holds it
    #[arg(default_value = "releases")]
    dir: PathBuf,
    /// Also scaffold the repository around the plans: schemas, book.toml, this CI's
    /// configuration, an editor setting, .gitignore and a README (existing files are skipped)
    #[arg(long, value_enum, value_name = "CI")]
    ci: Option<CiArg>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CiArg {
    /// .github/workflows/herald.yml, with herald's GitHub Action
    Github,
    /// .gitlab-ci.yml, with herald's container image
    Gitlab,
}

pub fn run(args: Args) -> ExitCode {
    match args.ci {
        None => plans_only(args.dir),
        Some(ci) => repository(
            args.dir,
            match ci {
                CiArg::Github => Ci::Github,
                CiArg::Gitlab => Ci::Gitlab,
            },
        ),
    }
}

fn plans_only(dir: PathBuf) -> ExitCode {
    match herald::init::init(&dir) {
        Ok(written) => {
            let mut report = String::new();
            for path in &written {
                report.push_str(&format!("wrote {}\n", path.display()));
            }
            // The files' first lines point at ../schema/ beside the plans folder.
            let schema_dir = dir
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .join("schema");
            report.push_str(&format!(
                "next: edit the examples and run `herald check {}`\nfor editor completion: `herald schema --out {}`\n",
                dir.display(),
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

fn repository(dir: PathBuf, ci: Ci) -> ExitCode {
    match herald::init::init_repository(&dir, ci) {
        Ok(done) => {
            let mut report = String::new();
            for path in &done.written {
                report.push_str(&format!("wrote {}\n", path.display()));
            }
            for path in &done.skipped {
                report.push_str(&format!(
                    "skipped {}: it exists (init never overwrites)\n",
                    path.display()
                ));
            }
            if done.skipped.iter().any(|p| p.starts_with(&dir)) {
                report.push_str(&format!(
                    "{} has plans already: none of the example plans was written beside them\n",
                    dir.display()
                ));
            }
            report.push_str(&format!(
                "next: edit the examples, run `herald check {0}` and `herald build {0}`, then commit\n",
                dir.display()
            ));
            super::emit(&report);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("herald: {e}");
            let usage = matches!(e, herald::init::InitError::NoName(_));
            ExitCode::from(if usage {
                super::EXIT_USAGE
            } else {
                super::EXIT_ERRORS
            })
        }
    }
}
