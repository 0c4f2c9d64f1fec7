//! One file per command beyond `check` and `build`; shared argument parsing and output.

pub mod calendar;
pub mod draft;
pub mod due;
pub mod init;
pub mod schema;
pub mod synth;
pub mod workbook;

use std::process::ExitCode;

use jiff::civil::Date;

/// Exit code when the plans have errors.
pub const EXIT_ERRORS: u8 = 1;
/// Exit code for usage errors: bad arguments, a missing folder (clap uses 2 as well).
pub const EXIT_USAGE: u8 = 2;

pub fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|e| format!("`{s}` is not a date YYYY-MM-DD ({e})"))
}

pub fn today_or_now(today: Option<Date>) -> Date {
    today.unwrap_or_else(|| {
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    })
}

/// Writes to stdout; a closed pipe (`herald check | head`) is not an error worth a message.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes a command's output file: `-` is standard output, a regular file is replaced
/// atomically, a device or FIFO (`/dev/stdout`) written through. Prints the error itself.
pub fn write_output(
    path: &std::path::Path,
    bytes: &[u8],
) -> Result<herald::write::Written, ExitCode> {
    use std::io::Write;
    let written = if path == std::path::Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|()| out.flush())
            .map(|()| herald::write::Written::Through)
    } else {
        herald::write::write_file(path, bytes)
    };
    written.map_err(|e| {
        eprintln!(
            "herald: cannot write {}: {e}",
            herald::diag::show_path(path)
        );
        ExitCode::from(EXIT_ERRORS)
    })
}

/// A command's report line: on stdout, unless the output itself went there.
pub fn report(written: herald::write::Written, line: &str) {
    if written == herald::write::Written::Through {
        eprint!("{line}");
    } else {
        emit(line);
    }
}

/// Loads and checks a plans folder for a command that needs valid plans. On errors, prints
/// the diagnostics to stderr and returns the exit code to stop with.
#[allow(dead_code)] // used by the commands that render one artifact
pub fn load_valid(dir: &std::path::Path, today: Date) -> Result<herald::Checked, ExitCode> {
    match herald::check(dir, today, false) {
        Err(e) => {
            eprintln!("herald: {e}");
            Err(ExitCode::from(EXIT_USAGE))
        }
        Ok(checked) if checked.diags.has_errors() => {
            eprint!(
                "{}",
                herald::diag::render_human(&checked.diags, &checked.plans.sources)
            );
            eprintln!(
                "{}\nherald: the plans have errors; run `herald check {}`",
                herald::diag::summary_line(&checked.diags, checked.files()),
                dir.display()
            );
            Err(ExitCode::from(EXIT_ERRORS))
        }
        Ok(checked) => Ok(checked),
    }
}

/// The release a command names, in full (`1.14.0`) or as a prefix (`1.14`); otherwise says
/// which releases there are and gives the usage exit code.
pub fn find_release<'p>(
    plans: &'p herald::Plans,
    wanted: &str,
    dir: &std::path::Path,
) -> Result<&'p herald::model::Release, ExitCode> {
    plans.release(wanted).ok_or_else(|| {
        let known: Vec<String> = plans
            .releases
            .iter()
            .map(|r| r.version.value.to_string())
            .collect();
        let known = if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        };
        eprintln!(
            "herald: no release `{wanted}` in {}; the releases are: {known}",
            dir.display()
        );
        ExitCode::from(EXIT_USAGE)
    })
}

/// The embedded templates, overridden by `templates/` beside the plans folder, as `build` uses.
pub fn load_templates(dir: &std::path::Path) -> Result<herald::render::Templates, ExitCode> {
    herald::render::Templates::load(Some(&herald::build::user_templates_dir(dir))).map_err(|e| {
        eprintln!("herald: {e}");
        ExitCode::from(EXIT_ERRORS)
    })
}
