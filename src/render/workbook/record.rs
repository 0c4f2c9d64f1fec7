//! The workbook's record of what it was built from, in a hidden sheet `herald`: the release,
//! the record's format, where the results are (the Tests sheet and its column headers) and
//! every result the Tests sheet showed at export, so `herald results import` can tell what a
//! team changed (a three-way merge) and find columns by their header, wherever they were moved.
//!
//! One row per fact, tagged by its first cell; a reader skips tags it does not know. Results
//! that show nothing (not run, no tester, no note) are left out: a row without a record was
//! not run at export.

use rust_xlsxwriter::{RowNum, Worksheet, XlsxError};

use super::{CANDIDATE_COLUMNS, ID_HEADER, MAX_CELL_CHARS, TESTS_SHEET, candidate_header, cut};
use crate::model::{Candidate, Status};
use crate::plan::ReleaseTimeline;

/// The hidden sheet's name.
pub const RECORD_SHEET: &str = "herald";
/// The first cell of the record; the cell beside it holds [`RECORD_FORMAT`].
pub const RECORD_MARKER: &str = "herald workbook record";
/// The record's layout; a reader refuses a newer one.
pub const RECORD_FORMAT: u32 = 1;

/// The tags in the first column of the record, after the marker row.
pub mod tag {
    /// `release | 1.14.0`
    pub const RELEASE: &str = "release";
    /// `herald | 0.1.0`: the version that exported the workbook.
    pub const HERALD: &str = "herald";
    /// `sheet | Tests`: the sheet teams fill in.
    pub const SHEET: &str = "sheet";
    /// `id column | ID`: the header of the test id column.
    pub const ID_COLUMN: &str = "id column";
    /// `candidate | rc1 | RC1 Status | RC1 Tester | RC1 Note`
    pub const CANDIDATE: &str = "candidate";
    /// `result | loki-logs | rc1 | passed | tester | note`, as the Tests sheet showed it.
    pub const RESULT: &str = "result";
}

const EXPLANATION: &str = "What this workbook showed when herald exported it; \
`herald results import` reads it to tell what changed. Do not edit.";

/// The headers of a candidate's status, tester and note columns: `RC1 Status`, …
pub fn candidate_headers(candidate: &Candidate) -> [String; 3] {
    CANDIDATE_COLUMNS.map(|(suffix, _)| candidate_header(candidate, suffix))
}

/// Text as the Tests sheet shows it: cut to Excel's limit like the visible cell.
pub fn shown(value: &str) -> String {
    if value.encode_utf16().count() > MAX_CELL_CHARS {
        cut(value)
    } else {
        value.to_owned()
    }
}

/// The hidden record sheet of a release's workbook.
pub fn record_sheet(release: &ReleaseTimeline) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(RECORD_SHEET)?;
    // Hidden, not very hidden: LibreOffice and Google Sheets know only hidden, and keep it.
    sheet.set_hidden(true);
    sheet.write_string(0, 0, RECORD_MARKER)?;
    sheet.write_string(0, 1, RECORD_FORMAT.to_string())?;
    sheet.write_string(0, 2, EXPLANATION)?;
    let mut row: RowNum = 1;
    let mut line = |sheet: &mut Worksheet, cells: &[&str]| -> Result<(), XlsxError> {
        // Empty cells are left out: they read back as empty, and cost a string each.
        for (col, value) in cells.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            sheet.write_string(row, col as u16, *value)?;
        }
        row += 1;
        Ok(())
    };
    let version = release.version.to_string();
    line(&mut sheet, &[tag::RELEASE, &version])?;
    line(&mut sheet, &[tag::HERALD, env!("CARGO_PKG_VERSION")])?;
    line(&mut sheet, &[tag::SHEET, TESTS_SHEET])?;
    line(&mut sheet, &[tag::ID_COLUMN, ID_HEADER])?;
    let candidates = &release.release.schedule.candidates;
    for candidate in candidates {
        let headers = candidate_headers(candidate);
        line(
            &mut sheet,
            &[
                tag::CANDIDATE,
                &candidate.name.value,
                &headers[0],
                &headers[1],
                &headers[2],
            ],
        )?;
    }
    for test_row in &release.tests.rows {
        let id = &test_row.test.id;
        for (candidate, status) in candidates.iter().zip(&test_row.statuses) {
            let result = release.release.result(id, &candidate.name.value);
            let tester = shown(result.and_then(|r| r.tester.as_deref()).unwrap_or(""));
            let note = shown(result.and_then(|r| r.note.as_deref()).unwrap_or(""));
            if *status == Status::NotRun && tester.is_empty() && note.is_empty() {
                continue;
            }
            line(
                &mut sheet,
                &[
                    tag::RESULT,
                    &id.0,
                    &candidate.name.value,
                    status.as_str(),
                    &tester,
                    &note,
                ],
            )?;
        }
    }
    Ok(sheet)
}
