//! A copy of the workbook as text: its Tests sheet as a grid of cells with their names, and
//! the record of what it showed at export, when it has one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader};
use rust_xlsxwriter::column_number_to_name;

use super::Finding;
use crate::model::TestId;
use crate::render::workbook::TESTS_SHEET;
use crate::render::workbook::record::{RECORD_FORMAT, RECORD_MARKER, RECORD_SHEET, tag};

/// How a copy was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Ods,
    Csv,
}

/// The cells of one sheet as text, with the place of the first one.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// `Tests`; `None` for a CSV, whose cells are named without a sheet.
    pub sheet: Option<String>,
    /// 0-based row and column of `cells[0][0]`.
    pub origin: (u32, u32),
    pub cells: Vec<Vec<String>>,
}

impl Grid {
    /// The text at a row and column of `cells`, empty beyond the used range.
    pub fn text(&self, row: usize, col: usize) -> &str {
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", String::as_str)
    }

    /// `Tests!M14`: the name of the cell at a row and column of `cells`.
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        let r = self.origin.0 as usize + row + 1;
        let c = self.origin.1 as usize + col;
        let letters = column_number_to_name(u16::try_from(c).unwrap_or(u16::MAX));
        match &self.sheet {
            Some(sheet) => format!("{sheet}!{letters}{r}"),
            None => format!("{letters}{r}"),
        }
    }
}

/// The headers of one candidate's columns, as the record names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCandidate {
    pub name: String,
    /// Status, tester, note.
    pub headers: [String; 3],
}

/// What a result showed at export: status name, tester and note, empty where nothing.
pub type Shown = [String; 3];

/// The hidden sheet's record of the export.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub release: String,
    /// The herald version that exported it.
    pub herald: Option<String>,
    pub sheet: String,
    pub id_header: String,
    pub candidates: Vec<RecordCandidate>,
    /// Results that showed anything; the others were not run, without tester or note.
    pub results: BTreeMap<(TestId, String), Shown>,
}

/// One copy of the workbook, read.
#[derive(Debug, Clone)]
pub struct Copy {
    pub path: PathBuf,
    pub format: Format,
    /// `None` for a CSV: it cannot carry one, so its import is two-way.
    pub record: Option<Record>,
    pub tests: Grid,
}

/// Reads a copy; a file that is not a herald workbook (or cannot be read) is one finding.
pub fn read(path: &Path) -> Result<Copy, Box<Finding>> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match extension.as_deref() {
        Some("xlsx") => Format::Xlsx,
        Some("ods") => Format::Ods,
        Some("csv") => Format::Csv,
        _ => {
            return Err(Box::new(
                Finding::error(path, None, "not a workbook herald reads").with_help(
                    "import the .xlsx or .ods the team saved, or a .csv export of its Tests sheet",
                ),
            ));
        }
    };
    if format == Format::Csv {
        return read_csv(path);
    }
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        Box::new(
            Finding::error(path, None, format!("cannot read the workbook: {e}"))
                .with_help("open it in a spreadsheet and save it again as .xlsx or .ods"),
        )
    })?;
    let names = book.sheet_names();
    if !names.iter().any(|n| n == RECORD_SHEET) {
        return Err(Box::new(
            Finding::error(
                path,
                None,
                format!("not a workbook of a herald release: it has no sheet `{RECORD_SHEET}`"),
            )
            .with_help(
                "herald keeps a hidden sheet `herald` in every workbook it exports; import a copy of \
                 that workbook (`herald workbook RELEASE`), or a .csv of its Tests sheet for a two-way import",
            ),
        ));
    }
    let range = sheet_range(&mut book, path, RECORD_SHEET)?;
    let record = parse_record(path, &grid(&range, Some(RECORD_SHEET)))?;
    if !names.contains(&record.sheet) {
        return Err(Box::new(
            Finding::error(
                path,
                None,
                format!("the workbook has no sheet `{}`", record.sheet),
            )
            .with_help(format!(
                "the results are read from the sheet `{}`; give it back its name",
                record.sheet
            )),
        ));
    }
    let range = sheet_range(&mut book, path, &record.sheet)?;
    let tests = grid(&range, Some(&record.sheet));
    Ok(Copy {
        path: path.to_owned(),
        format,
        record: Some(record),
        tests,
    })
}

fn sheet_range(
    book: &mut calamine::Sheets<std::io::BufReader<std::fs::File>>,
    path: &Path,
    name: &str,
) -> Result<Range<Data>, Box<Finding>> {
    book.worksheet_range(name).map_err(|e| {
        Box::new(Finding::error(
            path,
            None,
            format!("cannot read the sheet `{name}`: {e}"),
        ))
    })
}

fn grid(range: &Range<Data>, sheet: Option<&str>) -> Grid {
    Grid {
        sheet: sheet.map(str::to_owned),
        origin: range.start().unwrap_or((0, 0)),
        cells: range
            .rows()
            .map(|row| row.iter().map(text).collect())
            .collect(),
    }
}

/// A cell as the text a reader sees: a whole number without `.0`, a date as `YYYY-MM-DD`.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::Error(e) => e.to_string(),
    }
}

/// An Excel date serial as `YYYY-MM-DD` (with `HH:MM` when it has a time of day).
fn excel_date(serial: f64) -> String {
    let day = jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .map(|d| d.to_string())
        .unwrap_or_else(|_| serial.to_string());
    let minutes = ((serial - serial.floor()) * 24.0 * 60.0).round() as i64;
    if minutes == 0 {
        day
    } else {
        format!("{day} {:02}:{:02}", minutes / 60, minutes % 60)
    }
}

fn parse_record(path: &Path, sheet: &Grid) -> Result<Record, Box<Finding>> {
    let broken = |why: String| {
        Box::new(
            Finding::error(
                path,
                None,
                format!("the hidden sheet `{RECORD_SHEET}` is damaged: {why}"),
            )
            .with_help(
                "herald reads that sheet to tell what changed since the export; import a copy in \
                 which it is as exported, or a .csv of the Tests sheet for a two-way import",
            ),
        )
    };
    if sheet.text(0, 0) != RECORD_MARKER {
        return Err(broken(format!(
            "{} does not say `{RECORD_MARKER}`",
            sheet.cell_name(0, 0)
        )));
    }
    let format = sheet.text(0, 1);
    match format.parse::<u32>() {
        Ok(n) if n == RECORD_FORMAT => {}
        Ok(n) if n > RECORD_FORMAT => {
            return Err(Box::new(
                Finding::error(
                    path,
                    None,
                    format!(
                        "the workbook was exported by a newer herald (record format {n}; this herald reads format {RECORD_FORMAT})"
                    ),
                )
                .with_help("update herald to import it"),
            ));
        }
        _ => {
            return Err(broken(format!(
                "{} is `{format}`, not a record format",
                sheet.cell_name(0, 1)
            )));
        }
    }
    let mut record = Record {
        sheet: TESTS_SHEET.to_owned(),
        ..Record::default()
    };
    for (r, row) in sheet.cells.iter().enumerate().skip(1) {
        let at = |c: usize| sheet.text(r, c).to_owned();
        match row.first().map(String::as_str) {
            Some(tag::RELEASE) => record.release = at(1),
            Some(tag::HERALD) => record.herald = Some(at(1)),
            Some(tag::SHEET) => record.sheet = at(1),
            Some(tag::ID_COLUMN) => record.id_header = at(1),
            Some(tag::CANDIDATE) => record.candidates.push(RecordCandidate {
                name: at(1),
                headers: [at(2), at(3), at(4)],
            }),
            Some(tag::RESULT) => {
                record
                    .results
                    .insert((TestId(at(1)), at(2)), [at(3), at(4), at(5)]);
            }
            _ => {}
        }
    }
    if record.release.is_empty() {
        return Err(broken("it names no release".into()));
    }
    if record.id_header.is_empty() {
        return Err(broken("it names no id column".into()));
    }
    Ok(record)
}

/// A CSV export of the Tests sheet: every field as text, cells named as in the sheet.
fn read_csv(path: &Path) -> Result<Copy, Box<Finding>> {
    let cannot = |e: &dyn std::fmt::Display| {
        Box::new(
            Finding::error(path, None, format!("cannot read the CSV: {e}"))
                .with_help("export the Tests sheet again as CSV (UTF-8, comma-separated)"),
        )
    };
    let bytes = std::fs::read(path).map_err(|e| cannot(&e))?;
    // Excel writes a byte order mark before UTF-8 CSV.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let delimiter = sniff_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut cells = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| cannot(&e))?;
        cells.push(record.iter().map(str::to_owned).collect());
    }
    Ok(Copy {
        path: path.to_owned(),
        format: Format::Csv,
        record: None,
        tests: Grid {
            sheet: None,
            origin: (0, 0),
            cells,
        },
    })
}

/// Comma, or the semicolon that spreadsheets in locales with a decimal comma write, or a tab:
/// whichever of them the first line holds most of outside quotes.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == b) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .copied()
        .max_by_key(|&(d, n)| (n, d == b','))
        .map_or(b',', |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_from_the_grid_origin() {
        let grid = Grid {
            sheet: Some("Tests".into()),
            origin: (1, 2),
            cells: vec![],
        };
        assert_eq!(grid.cell_name(0, 0), "Tests!C2");
        assert_eq!(grid.cell_name(12, 10), "Tests!M14");
        let csv = Grid::default();
        assert_eq!(csv.cell_name(13, 12), "M14");
    }

    #[test]
    fn the_delimiter_is_the_most_common_one_outside_quotes() {
        assert_eq!(sniff_delimiter(b"ID,Team,\"a;b;c\"\n"), b',');
        assert_eq!(sniff_delimiter(b"ID;Team;Title\n1,5;2"), b';');
        assert_eq!(sniff_delimiter(b"ID\tTeam\n"), b'\t');
        assert_eq!(sniff_delimiter(b"ID\n"), b',');
    }

    #[test]
    fn numbers_and_dates_read_as_text_a_reader_sees() {
        assert_eq!(text(&Data::Float(12.0)), "12");
        assert_eq!(text(&Data::Float(1.5)), "1.5");
        assert_eq!(excel_date(47_182.0), "2029-03-05");
        assert_eq!(excel_date(47_182.5), "2029-03-05 12:00");
    }
}
