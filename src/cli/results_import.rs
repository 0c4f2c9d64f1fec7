//! `herald results import`: reads filled-in workbooks back into the release file.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use herald::diag::show_path;
use herald::results::{self, Import, ResultEdit};

use super::{EXIT_ERRORS, EXIT_USAGE, PlansDirOption, emit, load_valid};

#[derive(clap::Args)]
pub struct Args {
    /// Filled-in copies of one release's workbook: .xlsx, .ods, or a .csv export of its Tests sheet
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    plans: PlansDirOption,
    /// Print what would change, and write nothing
    #[arg(long)]
    dry_run: bool,
    /// Take the workbook's value where the plan changed the same result since the export
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> ExitCode {
    if let Some(missing) = args.files.iter().find(|f| !f.is_file()) {
        eprintln!("herald: no workbook {}", show_path(missing));
        return ExitCode::from(EXIT_USAGE);
    }
    // The date only decides check's warnings about past candidates; an import has none to add.
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let project = match load_valid(&args.plans.dir, today) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let import = results::import(project.plans(), &args.files, args.force);
    for finding in &import.findings {
        eprintln!("{finding}");
    }
    if import.has_errors() {
        let errors = import
            .findings
            .iter()
            .filter(|f| f.severity == results::Severity::Error)
            .count();
        eprintln!(
            "herald: {errors} {} in the workbooks; nothing written",
            if errors == 1 { "error" } else { "errors" }
        );
        return ExitCode::from(EXIT_ERRORS);
    }
    let Some(target) = &import.target else {
        return ExitCode::from(EXIT_ERRORS);
    };
    let file = show_path(&target.file);
    if import.edits.is_empty() {
        emit(&format!(
            "nothing to import: {file} already holds every result of the workbooks\n"
        ));
        return ExitCode::SUCCESS;
    }
    let mut out = report(&import, &file);
    if args.dry_run {
        out.push_str(&changes(&import));
        out.push_str("dry run: nothing written\n");
        emit(&out);
        return ExitCode::SUCCESS;
    }
    let Some(text) = project.plans().sources.get(&target.file) else {
        eprintln!("herald: {file} was not read with the plans");
        return ExitCode::from(EXIT_ERRORS);
    };
    let edited = match apply(text, &import.edits) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("herald: cannot edit {file}: {e}");
            return ExitCode::from(EXIT_ERRORS);
        }
    };
    if let Err(e) = herald::write::write_file(&target.file, edited.as_bytes()) {
        eprintln!("herald: cannot write {file}: {e}");
        return ExitCode::from(EXIT_ERRORS);
    }
    emit(&out);
    ExitCode::SUCCESS
}

/// The release-file editor's one call. APPLY: replace the body with the editor of branch
/// i12-edit (setting `manual_tests.results.<test>.<candidate>` in place) when it is merged.
fn apply(text: &str, edits: &[ResultEdit]) -> Result<String, String> {
    let _ = (text, edits);
    Err(
        "the in-place release-file editor is not part of this herald yet; \
         run with --dry-run to see the changes"
            .to_owned(),
    )
}

/// `2.0.0 (releases/2.0.yaml): 2 results` and one line per team and candidate.
fn report(import: &Import, file: &str) -> String {
    let mut out = String::new();
    let n = import.edits.len();
    let version = import.target.as_ref().map_or("", |t| t.version.as_str());
    let _ = writeln!(
        out,
        "release {version} ({file}): {n} {}",
        if n == 1 { "result" } else { "results" }
    );
    for line in &import.summary {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// Every field that changes: `  a-login rc2 status: failed -> passed (alpha.xlsx Tests!M3)`.
fn changes(import: &Import) -> String {
    let mut out = String::new();
    for c in &import.changes {
        let shown = |v: &str| {
            if v.is_empty() {
                "(none)".to_owned()
            } else {
                format!("{v:?}")
            }
        };
        let _ = writeln!(
            out,
            "  {} {} {}: {} -> {} ({} {})",
            c.test.0,
            c.candidate,
            c.field.as_str(),
            shown(&c.from),
            shown(&c.to),
            show_path(&c.file),
            c.cell
        );
    }
    out
}
