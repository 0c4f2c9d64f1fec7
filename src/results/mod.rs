//! Filled-in workbooks, read back (`herald results import`): the Tests sheet of each copy
//! (.xlsx as herald, Excel, LibreOffice or Google Sheets saved it, .ods, or a .csv export),
//! its rows matched by test id and its columns by header, merged three ways against the
//! record the workbook keeps of what it showed at export ([`crate::render::workbook::record`])
//! and against the plan as it is now. The result is a list of edits for the release file,
//! a summary per team and candidate, and findings that name the file and cell.
//!
//! Nothing here writes: applying the edits is the release-file editor's one call.

mod merge;
mod read;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diag::{escape_text, show_path};
use crate::model::{Plans, Status, TeamId, TestId};

pub use merge::merge;
pub use read::{Copy, Format, read};

/// One result to record in the release file: `manual_tests.results.<test>.<candidate>`
/// becomes `{status, tester, note}` (an absent tester or note is left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultEdit {
    pub test: TestId,
    pub candidate: String,
    pub status: Status,
    pub tester: Option<String>,
    pub note: Option<String>,
}

/// Which part of a result a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Status,
    Tester,
    Note,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Status, Field::Tester, Field::Note];

    /// `status`: the key in the release file, and the word in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Status => "status",
            Field::Tester => "tester",
            Field::Note => "note",
        }
    }
}

/// One field that an import changes, with the cell it comes from, for the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub test: TestId,
    pub team: TeamId,
    pub candidate: String,
    pub field: Field,
    /// The plan's value before (empty: none; a status as its name).
    pub from: String,
    pub to: String,
    /// Where it was read: `alpha.xlsx` and `Tests!M14`.
    pub file: PathBuf,
    pub cell: String,
}

/// What an import would change for one team and candidate: `alpha rc2: 1 passed, 1 failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSummary {
    pub team: TeamId,
    pub candidate: String,
    /// Results whose status changes, counted by their new status.
    pub statuses: Vec<(Status, u32)>,
    /// Results of which only the tester or the note changes.
    pub details: u32,
}

impl fmt::Display for TeamSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self
            .statuses
            .iter()
            .map(|(s, n)| format!("{n} {}", s.label()))
            .collect();
        if self.details > 0 {
            let noun = if self.details == 1 {
                "tester or note"
            } else {
                "testers or notes"
            };
            parts.push(format!("{} {noun}", self.details));
        }
        write!(
            f,
            "{} {}: {}",
            self.team.0,
            self.candidate,
            parts.join(", ")
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Said so the user knows how the import read a file (a CSV is a two-way import).
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A problem with a workbook, naming the file and, where there is one, the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub file: PathBuf,
    /// `Tests!M14` (`M14` in a CSV).
    pub cell: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    fn new(severity: Severity, file: &Path, cell: Option<String>, message: String) -> Finding {
        Finding {
            severity,
            file: file.to_owned(),
            cell,
            message,
            help: None,
        }
    }

    fn error(file: &Path, cell: Option<String>, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Error, file, cell, message.into())
    }

    fn warning(file: &Path, cell: Option<String>, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Warning, file, cell, message.into())
    }

    fn note(file: &Path, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Note, file, None, message.into())
    }

    fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}

/// `alpha.xlsx: Tests!M14: error: message`, then `  = help: …` when there is help.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", show_path(&self.file))?;
        if let Some(cell) = &self.cell {
            write!(f, "{cell}: ")?;
        }
        write!(
            f,
            "{}: {}",
            self.severity.as_str(),
            escape_text(&self.message)
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", escape_text(help))?;
        }
        Ok(())
    }
}

/// The release an import writes into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub version: String,
    /// The release file, as the plans name it.
    pub file: PathBuf,
}

/// What importing some copies would do.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// The release the copies are of; `None` when that could not be told.
    pub target: Option<Target>,
    /// The results to write, in the order of the workbook's rows (team, then test id), then
    /// candidate order.
    pub edits: Vec<ResultEdit>,
    /// Every field that changes, in the same order.
    pub changes: Vec<Change>,
    /// Per team (in id order) and candidate (in plan order), those with changes.
    pub summary: Vec<TeamSummary>,
    pub findings: Vec<Finding>,
}

impl Import {
    /// Errors and conflicts: nothing may be written.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Reads every file and merges them into the plans' release; `force` takes a workbook's
/// value where the plan changed the same result since the export.
pub fn import(plans: &Plans, files: &[PathBuf], force: bool) -> Import {
    let mut findings = Vec::new();
    let mut copies = Vec::new();
    for file in files {
        match read(file) {
            Ok(copy) => copies.push(copy),
            Err(finding) => findings.push(*finding),
        }
    }
    let mut import = merge(plans, &copies, force);
    findings.append(&mut import.findings);
    import.findings = findings;
    import
}
