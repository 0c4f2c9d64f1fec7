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
    let out = report(&import, &file);
    let Some(release) = project
        .plans()
        .releases
        .iter()
        .find(|r| r.file == target.file)
    else {
        eprintln!("herald: {file} was not read with the plans");
        return ExitCode::from(EXIT_ERRORS);
    };
    let edits: Vec<herald::edit::ResultEdit> = import.edits.iter().map(to_edit).collect();
    let edit = match herald::edit::record_results(&project, release, &edits) {
        Ok(e) => e,
        Err(refused) => {
            eprint!("{}", refused.report());
            return ExitCode::from(EXIT_ERRORS);
        }
    };
    if args.dry_run {
        let name = show_path(&target.file);
        let diff = similar::TextDiff::from_lines(&edit.before, &edit.after)
            .unified_diff()
            .header(&name, &name)
            .to_string();
        emit(&format!(
            "{out}{}{diff}dry run: nothing written\n",
            changes(&import)
        ));
        return ExitCode::SUCCESS;
    }
    if let Err(refused) = edit.write() {
        eprint!("{}", refused.report());
        return ExitCode::from(EXIT_ERRORS);
    }
    eprint!(
        "{}",
        herald::diag::render_human(&edit.warnings, &edit.sources)
    );
    emit(&out);
    ExitCode::SUCCESS
}

/// A merged result as the editor writes it: what the workbook leaves empty is removed.
fn to_edit(edit: &ResultEdit) -> herald::edit::ResultEdit {
    use herald::edit::FieldEdit;
    let field = |v: &Option<String>| match v {
        Some(v) if !v.is_empty() => FieldEdit::Set(v.clone()),
        _ => FieldEdit::Remove,
    };
    herald::edit::ResultEdit {
        test: edit.test.0.clone(),
        candidate: edit.candidate.clone(),
        status: edit.status,
        tester: field(&edit.tester),
        note: field(&edit.note),
    }
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
