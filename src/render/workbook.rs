//! The manual-test workbook of a release (.xlsx): the sheet "Tests" that teams fill in, a
//! "Summary" whose counts are live formulas, and "Teams". Text from the plan is always written
//! as text with a quote prefix, so it stays text even after a user edits the cell.
//!
//! Tests reads left to right as a tester works: which test (ID, team, title), then each
//! candidate's status, tester and note, the candidate under test highlighted, then how to
//! test it. Wrapped rows get heights that fit their text ([`fit`]); every sheet prints
//! landscape, fitted to the page width. Formulas use A1 ranges (`Tests!$B$4:$B$12`), which
//! every spreadsheet parses, with the Timeline's counts as cached values.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use rust_xlsxwriter::{
    ColNum, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation,
    DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    FormatUnderline, Formula, RowNum, Table, TableColumn, TableStyle, Url, Workbook, Worksheet,
    XlsxError, column_number_to_name,
};

pub mod fit;
pub mod record;

use super::markdown::{is_safe_url, to_plain};
use super::{Context, Files, RenderError, paths};
use crate::model::{Candidate, ManualTest, Person, Plans, Status, TeamId};
use crate::plan::format::iso_moment;
use crate::plan::{Counts, ReleaseTimeline};

/// The steps and expected results of the tests of `manual-tests.yaml`, as plain text for
/// the workbook: every release's workbook lists the same tests, so the Markdown of each is
/// read once per build, not once per release (on 200 releases that reading was 7% of the
/// workbooks' time).
#[derive(Default)]
pub struct PlainTests<'a>(OnceLock<HashMap<&'a str, [String; 2]>>);

impl<'a> PlainTests<'a> {
    fn get(&self, plans: &'a Plans, test: &ManualTest) -> Cow<'_, [String; 2]> {
        let all = self.0.get_or_init(|| {
            plans
                .tests
                .iter()
                .map(|t| (t.id.0.as_str(), plain(t)))
                .collect()
        });
        match all.get(test.id.0.as_str()) {
            Some(texts) => Cow::Borrowed(texts),
            None => Cow::Owned(plain(test)),
        }
    }
}

fn plain(test: &ManualTest) -> [String; 2] {
    [to_plain(&test.steps), to_plain(&test.expected)]
}

pub const TESTS_SHEET: &str = "Tests";
pub const SUMMARY_SHEET: &str = "Summary";
pub const TEAMS_SHEET: &str = "Teams";

/// Excel's limit on the characters (UTF-16 code units) in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Ends a cell that was cut to Excel's limit.
pub const TRUNCATION_MARKER: &str = "… [truncated]";

/// The columns of "Tests" before the candidate groups, which say what test a row is: header
/// and width.
pub const LEAD_COLUMNS: [(&str, f64); 3] = [("ID", 22.0), ("Team", 12.0), ("Title", 30.0)];
/// The columns of each candidate's group in "Tests": header suffix and width.
pub const CANDIDATE_COLUMNS: [(&str, f64); 3] =
    [("Status", 12.0), ("Tester", 14.0), ("Note", 24.0)];
/// The columns of "Tests" after the candidate groups: how to test, and the rest.
pub const DETAIL_COLUMNS: [(&str, f64); 6] = [
    ("Steps", 44.0),
    ("Expected result", 30.0),
    ("Blocking", 10.0),
    ("Area", 12.0),
    ("Team name", 14.0),
    ("Issue", 24.0),
];
/// The header of the test id column, by which rows are read back.
pub const ID_HEADER: &str = LEAD_COLUMNS[0].0;
/// The header of the results table in "Summary".
pub const SUMMARY_COLUMNS: [&str; 10] = [
    "Candidate",
    "Team",
    "Team name",
    "Total",
    "Passed",
    "Failed",
    "Blocked",
    "Not run",
    "Skipped",
    "Done %",
];
const SUMMARY_WIDTHS: [f64; 10] = [16.0, 24.0, 22.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0];
/// Row of the header of the Summary's counts, below the title.
const SUMMARY_HEADER_ROW: RowNum = 2;
pub const TEAMS_COLUMNS: [(&str, f64); 5] = [
    ("Team", 16.0),
    ("Name", 20.0),
    ("Slack channel", 22.0),
    ("Scrum Master", 30.0),
    ("Tests in this release", 20.0),
];

/// The name of the tests table, for filtering and sorting (formulas use A1 ranges).
const TESTS_TABLE: &str = "ManualTests";

/// Row of the instruction for testers, at the top of "Tests".
const INSTRUCTION_ROW: RowNum = 0;
/// Row of the title and the candidate group labels above the table in "Tests".
const GROUP_ROW: RowNum = 1;
/// Row of the table header in "Tests"; data starts on the next row.
const HEADER_ROW: RowNum = 2;
const FIRST_TEST_ROW: RowNum = 3;

/// Fill of the group labels and headers above tables.
const GROUP_FILL: &str = "D9E1F2";
/// Fill of the group label and header of the candidate under test.
const TESTED_FILL: &str = "9BC2E6";
/// Fill of the cells a tester fills in for the candidate under test.
const TESTED_CELL_FILL: &str = "DDEBF7";
/// Fill of the instruction row.
const INSTRUCTION_FILL: &str = "FFF2CC";

/// A workbook and the cells that had to be cut to fit Excel's limits.
#[derive(Debug, Clone)]
pub struct RenderedWorkbook {
    pub bytes: Vec<u8>,
    pub truncated: Vec<Truncated>,
}

/// A cell whose text was longer than Excel allows and was cut, ending in [`TRUNCATION_MARKER`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncated {
    /// `Tests!E5`
    pub cell: String,
    /// What the text is: `steps of test `loki-logs``.
    pub field: String,
    /// Its length in Excel characters (UTF-16 code units) before it was cut.
    pub length: usize,
}

impl std::fmt::Display for Truncated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}) has {} characters; it was cut to Excel's limit of {MAX_CELL_CHARS}",
            self.cell, self.field, self.length
        )
    }
}

pub fn render_release(ctx: &Context, release: &ReleaseTimeline) -> Result<Files, RenderError> {
    let workbook = workbook_bytes(ctx, release)?;
    let mut files = Files::default();
    files.insert(paths::workbook(&release.version), workbook.bytes);
    Ok(files)
}

/// The workbook of one release, with the cells that were cut to fit. Its hidden sheet
/// ([`record`]) records what it was built from, for `herald results import`.
pub fn workbook_bytes(
    ctx: &Context,
    release: &ReleaseTimeline,
) -> Result<RenderedWorkbook, RenderError> {
    build(ctx, release).map_err(|e| RenderError::Workbook {
        version: release.version.clone(),
        message: e.to_string(),
    })
}

fn build(ctx: &Context, release: &ReleaseTimeline) -> Result<RenderedWorkbook, XlsxError> {
    let mut cells = Cells::new();
    let tests = tests_sheet(&mut cells, ctx, release)?;
    let summary = summary_sheet(&mut cells, ctx, release)?;
    let teams = teams_sheet(&mut cells, ctx, release)?;
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(release)?);
    // Level 1 writes ~40% faster (200 books of 1,000 tests: 8.9 s to 5.5 s CPU), files ~1.6x larger.
    workbook.set_zip_compression_level(1);
    workbook.push_worksheet(tests);
    workbook.push_worksheet(summary);
    workbook.push_worksheet(teams);
    workbook.push_worksheet(record::record_sheet(release)?);
    let bytes = workbook.save_to_buffer()?;
    Ok(RenderedWorkbook {
        bytes,
        truncated: cells.truncated,
    })
}

/// Fixed document properties: the creation time is the start of the release's first
/// milestone, so the same plan always gives the same bytes.
fn properties(release: &ReleaseTimeline) -> Result<DocProperties, XlsxError> {
    let created = release
        .milestones
        .first()
        .map(|m| m.start.to_zoned(jiff::tz::TimeZone::UTC).datetime())
        .and_then(|dt| excel_datetime(dt.date(), Some(dt.time())).ok())
        .map_or_else(|| ExcelDateTime::from_ymd(2000, 1, 1), Ok)?;
    Ok(DocProperties::new()
        .set_title(heading(release))
        .set_subject(format!("Release {}", release.version))
        .set_author(release.release.people.release_master.name.clone())
        .set_keywords(format!("manual tests, release {}", release.version))
        .set_creation_datetime(&created))
}

/// `Manual tests of release 1.14.0 (Ulm)`
fn heading(release: &ReleaseTimeline) -> String {
    match &release.release.codename {
        Some(codename) => format!("Manual tests of release {} ({codename})", release.version),
        None => format!("Manual tests of release {}", release.version),
    }
}

fn excel_datetime(
    date: jiff::civil::Date,
    time: Option<jiff::civil::Time>,
) -> Result<ExcelDateTime, XlsxError> {
    let year =
        u16::try_from(date.year()).map_err(|_| XlsxError::DateTimeRangeError(String::new()))?;
    let day = ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)?;
    match time {
        Some(t) => day.and_hms(t.hour() as u16, t.minute() as u8, t.second() as u8),
        None => Ok(day),
    }
}

/// How a text cell looks; every one has a quote prefix. The marked ones are the cells of
/// the candidate under test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Wrapped,
    Title,
    MarkedText,
    MarkedWrapped,
    /// A status from the drop-down list (no quote prefix, so the list's check applies).
    Status,
    MarkedStatus,
}

impl Style {
    /// Wrapped text, whose lines decide the row's height.
    fn wraps(self) -> bool {
        matches!(self, Style::Wrapped | Style::MarkedWrapped)
    }
}

/// The formats every sheet shares, and the record of cut cells.
struct Cells {
    text: Format,
    wrapped: Format,
    marked_text: Format,
    marked_wrapped: Format,
    status: Format,
    marked_status: Format,
    link: Format,
    bold: Format,
    title: Format,
    truncated: Vec<Truncated>,
}

impl Cells {
    fn new() -> Cells {
        let text = Format::new().set_quote_prefix().set_align(FormatAlign::Top);
        let wrapped = text.clone().set_text_wrap();
        Cells {
            marked_text: text.clone().set_background_color(TESTED_CELL_FILL),
            marked_wrapped: wrapped.clone().set_background_color(TESTED_CELL_FILL),
            wrapped,
            status: Format::new().set_align(FormatAlign::Top),
            marked_status: Format::new()
                .set_align(FormatAlign::Top)
                .set_background_color(TESTED_CELL_FILL),
            link: text
                .clone()
                .set_font_color("0563C1")
                .set_underline(FormatUnderline::Single),
            bold: text.clone().set_bold(),
            title: text.clone().set_bold().set_font_size(14),
            text,
            truncated: Vec::new(),
        }
    }

    fn format(&self, style: Style) -> &Format {
        match style {
            Style::Text => &self.text,
            Style::Wrapped => &self.wrapped,
            Style::Title => &self.title,
            Style::MarkedText => &self.marked_text,
            Style::MarkedWrapped => &self.marked_wrapped,
            Style::Status => &self.status,
            Style::MarkedStatus => &self.marked_status,
        }
    }

    /// Writes plan text as text, cut to Excel's limit with a visible marker.
    fn write(
        &mut self,
        sheet: &mut Worksheet,
        at: (RowNum, ColNum),
        value: &str,
        style: Style,
        field: impl FnOnce() -> String,
    ) -> Result<(), XlsxError> {
        self.put(sheet, at, value, Some(style), field)
    }

    /// Writes plan text into the tests table, whose column gives it its format when the
    /// table is added ([`Layout::styles`]); a blank cell, which the table does not format,
    /// gets `style` here.
    fn write_in_table(
        &mut self,
        sheet: &mut Worksheet,
        (row, col): (RowNum, ColNum),
        value: &str,
        style: Style,
        field: impl FnOnce() -> String,
    ) -> Result<(), XlsxError> {
        if value.is_empty() {
            sheet.write_blank(row, col, self.format(style))?;
            return Ok(());
        }
        self.put(sheet, (row, col), value, None, field)
    }

    fn put(
        &mut self,
        sheet: &mut Worksheet,
        (row, col): (RowNum, ColNum),
        value: &str,
        style: Option<Style>,
        field: impl FnOnce() -> String,
    ) -> Result<(), XlsxError> {
        let length = value.encode_utf16().count();
        let shown = if length <= MAX_CELL_CHARS {
            std::borrow::Cow::Borrowed(value)
        } else {
            std::borrow::Cow::Owned(cut(value))
        };
        match style {
            Some(style) => {
                sheet.write_string_with_format(row, col, shown.as_ref(), self.format(style))?
            }
            None => sheet.write_string(row, col, shown.as_ref())?,
        };
        if length <= MAX_CELL_CHARS {
            return Ok(());
        }
        self.truncated.push(Truncated {
            cell: format!("{}!{}{}", sheet.name(), column_number_to_name(col), row + 1),
            field: field(),
            length,
        });
        Ok(())
    }
}

/// The longest prefix that fits in a cell together with the marker, and the marker.
fn cut(value: &str) -> String {
    let room = MAX_CELL_CHARS - TRUNCATION_MARKER.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for c in value.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(TRUNCATION_MARKER);
    out
}

fn person(p: &Person) -> String {
    match &p.github {
        Some(github) => format!("{} (@{github})", p.name),
        None => p.name.clone(),
    }
}

/// The team's display name, or nothing for a team the plans do not list.
fn team_name<'a>(ctx: &Context<'a>, team: &TeamId) -> &'a str {
    ctx.plans.team(team).map_or("", |t| t.name.as_str())
}

/// Where the columns of "Tests" are, for a number of candidates.
#[derive(Clone, Copy)]
struct Layout {
    candidates: usize,
}

impl Layout {
    /// The status column of the candidate at `candidate`; its tester and note follow.
    fn status(self, candidate: usize) -> ColNum {
        (LEAD_COLUMNS.len() + CANDIDATE_COLUMNS.len() * candidate) as ColNum
    }

    /// The first column after the candidate groups.
    fn details(self) -> ColNum {
        self.status(self.candidates)
    }

    fn last(self) -> ColNum {
        self.details() + DETAIL_COLUMNS.len() as ColNum - 1
    }

    /// How each column's data cells look, in order, `tested` being the candidate under test;
    /// `None` for the issue links, each formatted as it is written.
    fn styles(self, tested: usize) -> Vec<Option<Style>> {
        let mut out = vec![Style::Text, Style::Text, Style::Wrapped];
        for i in 0..self.candidates {
            out.extend(if i == tested {
                [Style::MarkedStatus, Style::MarkedText, Style::MarkedWrapped]
            } else {
                [Style::Status, Style::Text, Style::Wrapped]
            });
        }
        // Steps, expected result, blocking, area, team name.
        out.extend([
            Style::Wrapped,
            Style::Wrapped,
            Style::Text,
            Style::Wrapped,
            Style::Wrapped,
        ]);
        let mut out: Vec<Option<Style>> = out.into_iter().map(Some).collect();
        out.push(None);
        out
    }

    /// Every column's header and width, in order; candidates' headers are made by `header`.
    fn columns(self, candidates: &[Candidate]) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = LEAD_COLUMNS
            .iter()
            .map(|(h, w)| ((*h).to_owned(), *w))
            .collect();
        for candidate in candidates {
            for (suffix, width) in CANDIDATE_COLUMNS {
                out.push((candidate_header(candidate, suffix), width));
            }
        }
        out.extend(DETAIL_COLUMNS.iter().map(|(h, w)| ((*h).to_owned(), *w)));
        out
    }
}

/// `RC1 Status`: the header of a candidate's column in the tests table.
fn candidate_header(candidate: &Candidate, suffix: &str) -> String {
    format!("{} {suffix}", candidate.name.value.to_uppercase())
}

/// The last row of the tests table: an Excel table has at least one data row.
fn last_test_row(release: &ReleaseTimeline) -> RowNum {
    FIRST_TEST_ROW + release.tests.rows.len().max(1) as RowNum - 1
}

/// `Tests!$B$4:$B$12`: a column of the tests table's data rows, as an A1 range, which every
/// spreadsheet parses (Gnumeric cannot read table references such as `ManualTests[Team]`).
fn tests_range(col: ColNum, release: &ReleaseTimeline) -> String {
    let letters = column_number_to_name(col);
    format!(
        "{TESTS_SHEET}!${letters}${}:${letters}${}",
        FIRST_TEST_ROW + 1,
        last_test_row(release) + 1
    )
}

/// The instruction above the tests, naming the candidate under test.
fn instruction(release: &ReleaseTimeline, tested: &Candidate) -> String {
    let name = tested.name.value.to_uppercase();
    format!(
        "To fill in: for each test of your team, pick its {name} Status from the list ({name} is \
         under test, highlighted), write your name as Tester and a Note for anything not passed. \
         Sort and filter freely, but keep the ID column and the headers. Send the file back to {}.",
        release.release.people.release_master.name
    )
}

/// Landscape A4 with narrow margins, `pages_wide` pages wide and as many tall as needed, the
/// sheet's name and the page number in the footer.
fn print_setup(sheet: &mut Worksheet, pages_wide: u16) {
    const A4: u8 = 9;
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_margins(0.3, 0.3, 0.5, 0.5, 0.25, 0.25);
    sheet.set_print_fit_to_pages(pages_wide, 0);
    sheet.set_footer("&L&A&RPage &P of &N");
}

fn tests_sheet(
    cells: &mut Cells,
    ctx: &Context,
    release: &ReleaseTimeline,
) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(TESTS_SHEET)?;
    let candidates = &release.release.schedule.candidates;
    let layout = Layout {
        candidates: candidates.len(),
    };
    let tested = release.tested_candidate();
    let last_row = last_test_row(release);
    let columns = layout.columns(candidates);
    let widths: Vec<f64> = columns.iter().map(|(_, w)| *w).collect();

    let group = Format::new()
        .set_quote_prefix()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::Top)
        .set_background_color(GROUP_FILL)
        .set_border_bottom(FormatBorder::Thin);
    let tested_group = group.clone().set_background_color(TESTED_FILL);
    let width_of =
        |from: ColNum, to: ColNum| -> f64 { widths[from as usize..=to as usize].iter().sum() };
    // No merged cell starts in column A, which every printed page repeats.
    let title_format = group
        .clone()
        .set_align(FormatAlign::Left)
        .set_background_color(INSTRUCTION_FILL)
        .set_border_bottom(FormatBorder::None);
    let instruction_format = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_italic()
        .set_background_color(INSTRUCTION_FILL);
    // The Summary's title cell reports a codename too long for a cell; this one only cuts it.
    let mut title = heading(release);
    if title.encode_utf16().count() > MAX_CELL_CHARS {
        title = cut(&title);
    }
    sheet.write_string_with_format(INSTRUCTION_ROW, 0, &title, &title_format)?;
    // The instruction spans at most two candidates' columns, so it prints on the first page.
    let text = instruction(release, &candidates[tested]);
    let span_end = layout.status(candidates.len().min(2)) - 1;
    sheet.merge_range(
        INSTRUCTION_ROW,
        1,
        INSTRUCTION_ROW,
        span_end,
        &text,
        &instruction_format,
    )?;
    let lines = fit::lines(&title, widths[0]).max(fit::lines(&text, width_of(1, span_end)));
    sheet.set_row_height(INSTRUCTION_ROW, fit::row_height(lines))?;

    let lead = LEAD_COLUMNS.len() as ColNum;
    sheet.write_string_with_format(GROUP_ROW, 0, "Test", &group)?;
    sheet.merge_range(GROUP_ROW, 1, GROUP_ROW, lead - 1, "", &group)?;
    let mut group_lines = 1;
    for (i, candidate) in candidates.iter().enumerate() {
        let first = layout.status(i);
        let mut label = format!(
            "{} · {}",
            candidate.name.value.to_uppercase(),
            candidate.date.value
        );
        let format = if i == tested {
            label.push_str(" · under test");
            &tested_group
        } else {
            &group
        };
        group_lines = group_lines.max(fit::lines(&label, width_of(first, first + 2)));
        sheet.merge_range(GROUP_ROW, first, GROUP_ROW, first + 2, &label, format)?;
    }
    let details = layout.details();
    sheet.merge_range(
        GROUP_ROW,
        details,
        GROUP_ROW,
        layout.last(),
        "About the test",
        &group,
    )?;
    sheet.set_row_height(GROUP_ROW, fit::row_height(group_lines))?;

    let tested_header = Format::new()
        .set_bold()
        .set_background_color(TESTED_FILL)
        .set_border_bottom(FormatBorder::Thin);
    let tested_columns = layout.status(tested)..layout.status(tested) + 3;
    let styles = layout.styles(tested);
    let mut table_columns: Vec<TableColumn> = Vec::new();
    for (col, (header, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col as ColNum, *width)?;
        let mut column = TableColumn::new().set_header(header);
        if tested_columns.contains(&(col as ColNum)) {
            column = column.set_header_format(&tested_header);
        }
        // The table formats its data cells, a format looked up once per column rather than
        // once per cell (over a quarter of the workbooks' time): every cell but the issue
        // links'.
        if let Some(style) = styles[col] {
            column = column.set_format(cells.format(style));
        }
        table_columns.push(column);
    }

    let steps_col = details;
    for (n, row) in release.tests.rows.iter().enumerate() {
        let r = FIRST_TEST_ROW + n as RowNum;
        let test = row.test;
        let id = &test.id.0;
        let mut lines = 1;
        let mut put = |cells: &mut Cells,
                       sheet: &mut Worksheet,
                       col: ColNum,
                       value: &str,
                       field: &dyn Fn() -> String|
         -> Result<(), XlsxError> {
            let style = styles[col as usize].unwrap_or(Style::Text);
            if style.wraps() {
                lines = lines.max(fit::lines(value, widths[col as usize]));
            }
            cells.write_in_table(sheet, (r, col), value, style, field)
        };
        put(cells, &mut sheet, 0, id, &|| format!("id of test `{id}`"))?;
        put(cells, &mut sheet, 1, &test.team.0, &|| {
            format!("team of test `{id}`")
        })?;
        put(cells, &mut sheet, 2, &test.title, &|| {
            format!("title of test `{id}`")
        })?;
        for (i, (candidate, status)) in candidates.iter().zip(&row.statuses).enumerate() {
            let col = layout.status(i);
            sheet.write_string(r, col, status.as_str())?;
            let result = release.release.result(&test.id, &candidate.name.value);
            let tester = result.and_then(|res| res.tester.as_deref()).unwrap_or("");
            let name = &candidate.name.value;
            put(cells, &mut sheet, col + 1, tester, &|| {
                format!("tester of test `{id}` in {name}")
            })?;
            let note = result.and_then(|res| res.note.as_deref()).unwrap_or("");
            put(cells, &mut sheet, col + 2, note, &|| {
                format!("note on test `{id}` in {name}")
            })?;
        }
        let [steps, expected] = &*ctx.plain_tests.get(ctx.plans, test);
        put(cells, &mut sheet, steps_col, steps, &|| {
            format!("steps of test `{id}`")
        })?;
        put(cells, &mut sheet, steps_col + 1, expected, &|| {
            format!("expected result of test `{id}`")
        })?;
        let blocking = if test.blocking { "yes" } else { "no" };
        sheet.write_string(r, steps_col + 2, blocking)?;
        let area = test.area.as_deref().unwrap_or("");
        put(cells, &mut sheet, steps_col + 3, area, &|| {
            format!("area of test `{id}`")
        })?;
        let name = team_name(ctx, &test.team);
        put(cells, &mut sheet, steps_col + 4, name, &|| {
            format!("team name of test `{id}`")
        })?;
        write_issue(
            cells,
            &mut sheet,
            (r, steps_col + 5),
            test.issue.as_deref(),
            id,
        )?;
        if lines > 1 {
            sheet.set_row_height(r, fit::row_height(lines))?;
        }
    }

    let table = Table::new()
        .set_name(TESTS_TABLE)
        .set_style(TableStyle::Medium2)
        .set_autofilter(true)
        .set_columns(&table_columns);
    sheet.add_table(HEADER_ROW, 0, last_row, layout.last(), &table)?;
    sheet.set_freeze_panes(FIRST_TEST_ROW, lead)?;

    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let validation = DataValidation::new()
        .allow_list_strings(&statuses)?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Not a status")?
        .set_error_message(format!("Choose one of: {}.", statuses.join(", ")))?;
    let colours: Vec<Format> = Status::ALL
        .into_iter()
        .map(|s| {
            let (fill, font) = s.cell_colours();
            Format::new()
                .set_background_color(fill)
                .set_font_color(font)
        })
        .collect();
    for i in 0..candidates.len() {
        let col = layout.status(i);
        sheet.add_data_validation(FIRST_TEST_ROW, col, last_row, col, &validation)?;
        for (status, format) in Status::ALL.into_iter().zip(&colours) {
            let rule = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(status.as_str()))
                .set_format(format);
            sheet.add_conditional_format(FIRST_TEST_ROW, col, last_row, col, &rule)?;
        }
    }

    print_setup(&mut sheet, 2);
    sheet.set_repeat_rows(GROUP_ROW, HEADER_ROW)?;
    sheet.set_repeat_columns(0, 0)?;
    Ok(sheet)
}

/// A clickable link for a safe address that Excel accepts, else the address as text.
fn write_issue(
    cells: &mut Cells,
    sheet: &mut Worksheet,
    (row, col): (RowNum, ColNum),
    issue: Option<&str>,
    id: &str,
) -> Result<(), XlsxError> {
    let Some(url) = issue else {
        sheet.write_blank(row, col, &cells.text)?;
        return Ok(());
    };
    if is_safe_url(url) {
        let link = Url::new(url).set_text(url);
        match sheet.write_url_with_format(row, col, link, &cells.link) {
            Ok(_) => return Ok(()),
            Err(
                XlsxError::MaxUrlLengthExceeded
                | XlsxError::UnknownUrlType(_)
                | XlsxError::ParameterError(_),
            ) => {}
            Err(e) => return Err(e),
        }
    }
    cells.write(sheet, (row, col), url, Style::Text, || {
        format!("issue of test `{id}`")
    })
}

fn summary_sheet(
    cells: &mut Cells,
    ctx: &Context,
    release: &ReleaseTimeline,
) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(SUMMARY_SHEET)?;
    let r = release.release;
    let header = Format::new()
        .set_bold()
        .set_background_color(GROUP_FILL)
        .set_border_bottom(FormatBorder::Thin);
    for (col, width) in SUMMARY_WIDTHS.into_iter().enumerate() {
        sheet.set_column_width(col as ColNum, width)?;
    }
    cells.write(&mut sheet, (0, 0), &heading(release), Style::Title, || {
        "title".into()
    })?;
    sheet.set_row_height(0, 21)?;

    // The counts first, per candidate, then per team: each candidate's teams, then its total.
    let mut row: RowNum = SUMMARY_HEADER_ROW;
    for (col, label) in SUMMARY_COLUMNS.into_iter().enumerate() {
        sheet.write_string_with_format(row, col as ColNum, label, &header)?;
    }
    row += 1;
    let candidates = &release.release.schedule.candidates;
    let layout = Layout {
        candidates: candidates.len(),
    };
    let team_range = tests_range(1, release);
    let id_range = tests_range(0, release);
    let total_text = cells
        .bold
        .clone()
        .set_border_top(FormatBorder::Thin)
        .set_border_bottom(FormatBorder::Thin);
    let total_counts = Format::new()
        .set_bold()
        .set_border_top(FormatBorder::Thin)
        .set_border_bottom(FormatBorder::Thin);
    for (i, candidate) in candidates.iter().enumerate() {
        let label = candidate.name.value.to_uppercase();
        let status_range = tests_range(layout.status(i), release);
        for (team, counts) in &release.tests.by_team {
            let name = team_name(ctx, team);
            sheet.write_string_with_format(row, 0, &label, &cells.text)?;
            cells.write(&mut sheet, (row, 1), &team.0, Style::Text, || "team".into())?;
            cells.write(&mut sheet, (row, 2), name, Style::Text, || {
                format!("name of team `{}`", team.0)
            })?;
            // Team ids are lowercase letters, digits and dashes: safe inside a criterion.
            let total = format!("COUNTIFS({team_range},\"{}\")", team.0);
            let status = |s: Status| {
                format!(
                    "COUNTIFS({team_range},\"{}\",{status_range},\"{}\")",
                    team.0,
                    s.as_str()
                )
            };
            counts_row(&mut sheet, row, &total, &status, &counts[i], None)?;
            row += 1;
        }
        sheet.write_string_with_format(row, 0, &label, &total_text)?;
        sheet.write_string_with_format(row, 1, "All teams", &total_text)?;
        sheet.write_blank(row, 2, &total_text)?;
        let total = format!("COUNTA({id_range})");
        let status = |s: Status| format!("COUNTIFS({status_range},\"{}\")", s.as_str());
        let counts = &release.tests.totals[i];
        counts_row(
            &mut sheet,
            row,
            &total,
            &status,
            counts,
            Some(&total_counts),
        )?;
        row += 1;
    }

    row += 1;
    let mut people: Vec<(&str, String)> =
        vec![("Release Master", person(&r.people.release_master))];
    if let Some(p) = &r.people.release_manager {
        people.push(("Release Manager", person(p)));
    }
    if let Some(p) = &r.people.scrum_master {
        people.push(("Scrum Master", person(p)));
    }
    people.push(("Branch", r.branch.clone()));
    people.push(("Time zone", r.timezone_name.clone()));
    for (label, value) in people {
        sheet.write_string_with_format(row, 0, label, &cells.bold)?;
        cells.write(&mut sheet, (row, 1), &value, Style::Text, || label.into())?;
        row += 1;
    }

    row += 1;
    // A milestone's title runs on into the empty column beside it.
    let key_dates = [(0, "Key dates"), (2, "When"), (3, "Milestone")];
    for col in 0..SUMMARY_COLUMNS.len() as ColNum {
        match key_dates.iter().find(|(c, _)| *c == col) {
            Some((_, label)) => sheet.write_string_with_format(row, col, *label, &header)?,
            None => sheet.write_blank(row, col, &header)?,
        };
    }
    row += 1;
    for m in &release.milestones {
        cells.write(&mut sheet, (row, 0), &m.title, Style::Text, || {
            format!("title of milestone `{}`", m.id)
        })?;
        // Text, not an Excel date: a date cell cannot show the zone a deadline is in.
        let when = iso_moment(&m.when, &r.timezone);
        sheet.write_string_with_format(row, 2, &when, &cells.text)?;
        sheet.write_string_with_format(row, 3, m.id.as_str(), &cells.text)?;
        row += 1;
    }
    print_setup(&mut sheet, 1);
    sheet.set_repeat_rows(SUMMARY_HEADER_ROW, SUMMARY_HEADER_ROW)?;
    Ok(sheet)
}

/// The first column of the counts in the Summary's results table (Total).
const COUNTS_COLUMN: ColNum = 3;
/// The statuses of the Summary's count columns after Total, in their order.
const SUMMARY_STATUSES: [Status; 5] = [
    Status::Passed,
    Status::Failed,
    Status::Blocked,
    Status::NotRun,
    Status::Skipped,
];

/// Total, passed, failed, blocked, not run, skipped and done % of one row of the summary, as
/// formulas with the Timeline's counts as cached values. A blank status counts as not run;
/// done is passed, failed and skipped (a blocked test could not run), as in [`Counts::done`].
fn counts_row(
    sheet: &mut Worksheet,
    row: RowNum,
    total: &str,
    status: &dyn Fn(Status) -> String,
    counts: &Counts,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let plain = Format::new();
    let format = format.unwrap_or(&plain);
    let cell = |k: usize| {
        let col = COUNTS_COLUMN + k as ColNum;
        format!("{}{}", column_number_to_name(col), row + 1)
    };
    let t = cell(0);
    let status_cells: Vec<(Status, String)> = SUMMARY_STATUSES
        .into_iter()
        .enumerate()
        .map(|(k, s)| (s, cell(1 + k)))
        .collect();
    let mut formulas = vec![(total.to_owned(), counts.total())];
    for s in SUMMARY_STATUSES {
        let formula = if s == Status::NotRun {
            // What no other status counts, blank cells included.
            let others: String = status_cells
                .iter()
                .filter(|(other, _)| *other != s)
                .map(|(_, c)| format!("-{c}"))
                .collect();
            format!("{t}{others}")
        } else {
            status(s)
        };
        formulas.push((formula, counts.of(s)));
    }
    let done: Vec<&str> = status_cells
        .iter()
        .filter(|(s, _)| s.is_done())
        .map(|(_, c)| c.as_str())
        .collect();
    formulas.push((
        format!("IF({t}=0,100,INT(({})*100/{t}))", done.join("+")),
        counts.percent_done(),
    ));
    for (k, (formula, value)) in formulas.into_iter().enumerate() {
        let formula = Formula::new(format!("={formula}")).set_result(value.to_string());
        sheet.write_formula_with_format(row, COUNTS_COLUMN + k as ColNum, formula, format)?;
    }
    Ok(())
}

fn teams_sheet(
    cells: &mut Cells,
    ctx: &Context,
    release: &ReleaseTimeline,
) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(TEAMS_SHEET)?;
    let mut teams: Vec<&crate::model::Team> = ctx.plans.teams.iter().collect();
    teams.sort_by(|a, b| a.id.cmp(&b.id));
    let team_range = tests_range(1, release);
    let count = Format::new().set_align(FormatAlign::Top);
    for (n, team) in teams.iter().enumerate() {
        let r = 1 + n as RowNum;
        let id = &team.id.0;
        cells.write(&mut sheet, (r, 0), id, Style::Text, || "team id".into())?;
        cells.write(&mut sheet, (r, 1), &team.name, Style::Text, || {
            format!("name of team `{id}`")
        })?;
        let channel = team.slack_channel.as_deref().unwrap_or("");
        cells.write(&mut sheet, (r, 2), channel, Style::Text, || {
            format!("Slack channel of team `{id}`")
        })?;
        let scrum_master = team.scrum_master.as_ref().map(person).unwrap_or_default();
        cells.write(&mut sheet, (r, 3), &scrum_master, Style::Text, || {
            format!("Scrum Master of team `{id}`")
        })?;
        // Every candidate runs the same tests: the first one's total is the team's count.
        let owned = release.tests.team_counts(&team.id, 0).total();
        let formula =
            Formula::new(format!("=COUNTIF({team_range},\"{id}\")")).set_result(owned.to_string());
        sheet.write_formula_with_format(r, 4, formula, &count)?;
    }
    let columns: Vec<TableColumn> = TEAMS_COLUMNS
        .iter()
        .map(|(header, _)| TableColumn::new().set_header(*header))
        .collect();
    for (col, (_, width)) in TEAMS_COLUMNS.iter().enumerate() {
        sheet.set_column_width(col as ColNum, *width)?;
    }
    let table = Table::new()
        .set_name("TeamList")
        .set_style(TableStyle::Medium2)
        .set_columns(&columns);
    let last_row = teams.len().max(1) as RowNum;
    sheet.add_table(0, 0, last_row, TEAMS_COLUMNS.len() as ColNum - 1, &table)?;
    sheet.set_freeze_panes(1, 0)?;
    print_setup(&mut sheet, 1);
    sheet.set_repeat_rows(0, 0)?;
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_count_headers_name_their_statuses() {
        let headers: Vec<String> = SUMMARY_STATUSES
            .iter()
            .map(|s| {
                let label = s.label();
                label[..1].to_uppercase() + &label[1..]
            })
            .collect();
        assert_eq!(headers, SUMMARY_COLUMNS[4..9]);
    }

    #[test]
    fn cut_keeps_the_limit_and_shows_the_marker() {
        let long = "é".repeat(MAX_CELL_CHARS + 10);
        let out = cut(&long);
        assert_eq!(out.encode_utf16().count(), MAX_CELL_CHARS);
        assert!(out.ends_with(TRUNCATION_MARKER));
        // A character outside the BMP is two UTF-16 units and is never split.
        let emoji = "😀".repeat(MAX_CELL_CHARS);
        let out = cut(&emoji);
        assert!(out.encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(out.ends_with(TRUNCATION_MARKER));
    }
}
