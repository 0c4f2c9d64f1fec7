//! The manual-test workbook, read back: with calamine for sheets, cells, formulas, tables and
//! links, and from the package's XML for what calamine does not expose (drop-down validation,
//! conditional formats, quote prefixes, frozen panes, document properties).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{CellType, Data, Range, Reader, Xlsx};
use herald::render::workbook::{self, RenderedWorkbook};
use jiff::civil::{Date, date};

use crate::harness::{self, Project, example, herald};

/// The day the workbook fixture is seen from.
const TODAY: Date = date(2030, 3, 8);

fn fixture() -> PathBuf {
    harness::fixture("workbook/releases")
}

fn render(dir: &Path, version: &str) -> RenderedWorkbook {
    harness::with_context(dir, TODAY, None, |ctx| {
        let release = ctx.timeline.release(version).expect("the release exists");
        workbook::workbook_bytes(ctx, release).expect("the workbook renders")
    })
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

/// A cell as the text a reader sees; dates as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`.
fn shown(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::DateTime(d)) => {
            let serial = d.as_f64();
            let day = date(1899, 12, 30)
                .checked_add(jiff::Span::new().days(serial.floor() as i64))
                .unwrap();
            let minutes = ((serial - serial.floor()) * 24.0 * 60.0).round() as i64;
            if minutes == 0 {
                day.to_string()
            } else {
                format!("{day} {:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
        Some(other) => format!("{other:?}"),
    }
}

/// Every cell from A1 to the last used one, row by row.
fn grid<T: CellType>(range: &Range<T>, show: impl Fn(Option<&T>) -> String) -> Vec<Vec<String>> {
    let Some((last_row, last_col)) = range.end() else {
        return Vec::new();
    };
    (0..=last_row)
        .map(|r| {
            (0..=last_col)
                .map(|c| show(range.get_value((r, c))))
                .collect()
        })
        .collect()
}

fn values(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    grid(&wb.worksheet_range(sheet).unwrap(), shown)
}

fn formulas(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    grid(&wb.worksheet_formula(sheet).unwrap(), |f| {
        f.cloned().unwrap_or_default()
    })
}

fn rows(expected: &[&[&str]]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

#[test]
fn sheets_come_in_order_with_the_record_hidden_last() {
    use calamine::SheetVisible;
    let wb = open(&render(&fixture(), "2.0.0").bytes);
    let sheets: Vec<(String, SheetVisible)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    assert_eq!(
        sheets,
        [
            ("Tests".to_owned(), SheetVisible::Visible),
            ("Summary".to_owned(), SheetVisible::Visible),
            ("Teams".to_owned(), SheetVisible::Visible),
            ("herald".to_owned(), SheetVisible::Hidden),
        ]
    );
}

#[test]
fn tests_sheet_holds_every_test_and_result() {
    let mut wb = open(&render(&fixture(), "2.0.0").bytes);
    let expected = rows(&[
        &[
            "Manual tests of release 2.0.0 (Fixture)",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "RC1 · 2030-03-05",
            "",
            "",
            "RC2 · 2030-03-12",
            "",
            "",
        ],
        &[
            "ID",
            "Team",
            "Team name",
            "Area",
            "Title",
            "Steps",
            "Expected result",
            "Blocking",
            "Issue",
            "RC1 Status",
            "RC1 Tester",
            "RC1 Note",
            "RC2 Status",
            "RC2 Tester",
            "RC2 Note",
        ],
        &[
            "a-login",
            "alpha",
            "Alpha",
            "console",
            "=HYPERLINK(\"http://evil\",\"x\")",
            "1. Open the console.\n2. Log in.",
            "The dashboard shows.",
            "yes",
            "https://example.com/issues/1",
            "passed",
            "ada",
            "",
            "failed",
            "ada",
            "=1+1",
        ],
        &[
            "a-logs",
            "alpha",
            "Alpha",
            "",
            "+cmd|' /C calc'!A0",
            "• Deploy orders.\n• Read the logs.",
            "Logs appear.",
            "no",
            "",
            "skipped",
            "-bob",
            "Not on this cluster",
            "not-run",
            "",
            "",
        ],
        &[
            "b-api",
            "beta",
            "Beta",
            "api",
            "@SUM(1)",
            "Call the API.",
            "200",
            "no",
            "",
            "blocked",
            "",
            "@waiting for access",
            "not-run",
            "",
            "",
        ],
    ]);
    assert_eq!(values(&mut wb, "Tests"), expected);
    // Nothing on the sheet is a formula, whatever the text looks like.
    let tests_formulas = formulas(&mut wb, "Tests");
    assert!(
        tests_formulas.iter().flatten().all(String::is_empty),
        "{tests_formulas:?}"
    );

    wb.load_tables().unwrap();
    assert_eq!(wb.table_names_in_sheet("Tests"), ["ManualTests"]);
    let table = wb.table_by_name("ManualTests").unwrap();
    assert_eq!(table.columns(), &expected[1][..]);

    let links = wb.hyperlinks_by_sheet_name("Tests").unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].range.start, (2, 8));
    assert_eq!(
        links[0].target.as_deref(),
        Some("https://example.com/issues/1")
    );
}

#[test]
fn summary_counts_are_formulas_with_the_plans_counts_cached() {
    let mut wb = open(&render(&fixture(), "2.0.0").bytes);
    let header = [
        "Team",
        "Team name",
        "Candidate",
        "Total",
        "Passed",
        "Failed",
        "Blocked",
        "Not run",
        "Skipped",
        "Done %",
    ];
    let pad = |cells: &[&str]| {
        let mut row: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        row.resize(header.len(), String::new());
        row
    };
    let expected: Vec<Vec<String>> = vec![
        pad(&["Manual tests of release 2.0.0 (Fixture)"]),
        pad(&[]),
        pad(&["Release Master", "Rita Master (@rita)"]),
        pad(&["Scrum Master", "Ada Lovelace (@ada)"]),
        pad(&["Branch", "release-2.0"]),
        pad(&["Time zone", "Europe/Berlin"]),
        pad(&[]),
        pad(&["Key dates", "When", "Milestone"]),
        pad(&[
            "Deadlines announcement",
            "2030-02-20 10:00 CET",
            "2.0.0/deadlines-announcement",
        ]),
        pad(&[
            "Cherry-pick deadline for RC1",
            "2030-03-04 16:00 CET",
            "2.0.0/cherry-pick-rc1",
        ]),
        pad(&["RC1", "2030-03-05", "2.0.0/rc1"]),
        pad(&["RC2", "2030-03-12", "2.0.0/rc2"]),
        pad(&["Release 2.0.0", "2030-03-14", "2.0.0/release"]),
        pad(&[]),
        header.iter().map(|h| (*h).to_owned()).collect(),
        // Blocked is not done: beta's one test was blocked on RC1, so beta is at 0 %.
        pad(&["alpha", "Alpha", "RC1", "2", "1", "0", "0", "0", "1", "100"]),
        pad(&["alpha", "Alpha", "RC2", "2", "0", "1", "0", "1", "0", "50"]),
        pad(&["beta", "Beta", "RC1", "1", "0", "0", "1", "0", "0", "0"]),
        pad(&["beta", "Beta", "RC2", "1", "0", "0", "0", "1", "0", "0"]),
        pad(&["All teams", "", "RC1", "3", "1", "0", "1", "0", "1", "66"]),
        pad(&["All teams", "", "RC2", "3", "0", "1", "0", "2", "0", "33"]),
    ];
    assert_eq!(values(&mut wb, "Summary"), expected);

    // Structured references to the tests table: rows a team adds are counted too.
    let f = formulas(&mut wb, "Summary");
    let team = "ManualTests[Team]";
    assert_eq!(f[15][3], format!("COUNTIFS({team},\"alpha\")"));
    assert_eq!(
        f[15][4],
        format!("COUNTIFS({team},\"alpha\",ManualTests[RC1 Status],\"passed\")")
    );
    assert_eq!(
        f[16][5],
        format!("COUNTIFS({team},\"alpha\",ManualTests[RC2 Status],\"failed\")")
    );
    assert_eq!(
        f[17][6],
        format!("COUNTIFS({team},\"beta\",ManualTests[RC1 Status],\"blocked\")")
    );
    assert_eq!(
        f[15][8],
        format!("COUNTIFS({team},\"alpha\",ManualTests[RC1 Status],\"skipped\")")
    );
    assert_eq!(f[15][7], "D16-E16-F16-G16-I16");
    assert_eq!(f[15][9], "IF(D16=0,100,INT((E16+F16+I16)*100/D16))");
    assert_eq!(f[19][3], "COUNTA(ManualTests[ID])");
    assert_eq!(f[20][4], "COUNTIFS(ManualTests[RC2 Status],\"passed\")");
    // Every count is a formula; the labels are not.
    for row in &f[15..=20] {
        assert!(row[..3].iter().all(String::is_empty), "{row:?}");
        assert!(row[3..].iter().all(|c| !c.is_empty()), "{row:?}");
    }
    assert!(f[..15].iter().flatten().all(String::is_empty));
}

#[test]
fn teams_sheet_lists_every_team_with_its_test_count() {
    let mut wb = open(&render(&fixture(), "2.0.0").bytes);
    assert_eq!(
        values(&mut wb, "Teams"),
        rows(&[
            &[
                "Team",
                "Name",
                "Slack channel",
                "Scrum Master",
                "Tests in this release"
            ],
            &["alpha", "Alpha", "#team-alpha", "Ada Lovelace (@ada)", "2"],
            &["beta", "Beta", "", "", "1"],
            &["gamma", "Gamma", "#team-gamma", "Grace Hopper", "0"],
        ])
    );
    let f = formulas(&mut wb, "Teams");
    assert_eq!(f[1][4], "COUNTIF(ManualTests[Team],\"alpha\")");
    assert_eq!(f[3][4], "COUNTIF(ManualTests[Team],\"gamma\")");
}

#[test]
fn status_cells_offer_exactly_the_valid_statuses_and_are_coloured() {
    let bytes = render(&fixture(), "2.0.0").bytes;
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    let validations = between(&sheet, "<dataValidations", "</dataValidations>");
    assert!(
        validations.starts_with(r#"<dataValidations count="2">"#),
        "{validations}"
    );
    for range in ["J3:J5", "M3:M5"] {
        let rule = format!(
            r#"<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorTitle="Not a status" error="Choose one of: not-run, passed, failed, blocked, skipped." sqref="{range}"><formula1>"not-run,passed,failed,blocked,skipped"</formula1></dataValidation>"#
        );
        assert!(validations.contains(&rule), "{validations}");
    }
    // No errorStyle attribute: the default, stop, rejects anything else.
    assert!(!validations.contains("errorStyle"));

    // Both candidates share the three colour formats; priorities run on across them.
    for (range, first_priority) in [("J3:J5", 1), ("M3:M5", 4)] {
        let block = between(
            &sheet,
            &format!(r#"<conditionalFormatting sqref="{range}">"#),
            "</conditionalFormatting>",
        );
        for (k, status) in ["passed", "failed", "blocked"].iter().enumerate() {
            let rule = format!(
                r#"<cfRule type="cellIs" dxfId="{k}" priority="{}" operator="equal"><formula>"{status}"</formula></cfRule>"#,
                first_priority + k
            );
            assert!(block.contains(&rule), "{block}");
        }
    }
    let styles = xlsx_part(&bytes, "xl/styles.xml");
    let dxfs = between(&styles, "<dxfs", "</dxfs>");
    let fills: Vec<&str> = dxfs
        .split(r#"<bgColor rgb="FF"#)
        .skip(1)
        .map(|rest| &rest[..6])
        .collect();
    assert_eq!(
        fills,
        ["C6EFCE", "FFC7CE", "FFEB9C"],
        "passed green, failed red, blocked amber"
    );
}

#[test]
fn formula_looking_text_has_a_quote_prefix() {
    let bytes = render(&fixture(), "2.0.0").bytes;
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "no formulas on the Tests sheet");
    let styles = xlsx_part(&bytes, "xl/styles.xml");
    let xfs: Vec<&str> = between(&styles, "<cellXfs", "</cellXfs>")
        .split("<xf ")
        .skip(1)
        .collect();
    // The titles (E3..E5), notes that look like formulas (O3, L5) and empty tester and note
    // cells that teams will fill in (N4, O4).
    for cell in ["E3", "E4", "E5", "O3", "L5", "N4", "O4"] {
        let start = format!(r#"<c r="{cell}" s=""#);
        let at = sheet
            .find(&start)
            .unwrap_or_else(|| panic!("{cell} is written"));
        let style: usize = sheet[at + start.len()..]
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            xfs[style].contains(r#"quotePrefix="1""#),
            "{cell}: {}",
            xfs[style]
        );
    }
    let summary = xlsx_part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(
        summary.contains(r#"<c r="D16"><f>COUNTIFS(ManualTests[Team],"alpha")</f><v>2</v></c>"#)
    );
}

#[test]
fn layout_freezes_the_header_and_id_and_uses_a_styled_table() {
    let bytes = render(&fixture(), "2.0.0").bytes;
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(
        r#"<pane xSplit="1" ySplit="2" topLeftCell="B3" activePane="bottomRight" state="frozen"/>"#
    ));
    assert!(sheet.contains(r#"<mergeCell ref="J1:L1"/>"#));
    assert!(sheet.contains(r#"<col min="6" max="6" width="60.7109375" customWidth="1"/>"#));
    let table = xlsx_part(&bytes, "xl/tables/table1.xml");
    assert!(table.contains(r#"ref="A2:O5""#), "{table}");
    assert!(table.contains(r#"<autoFilter ref="A2:O5"/>"#), "{table}");
    assert!(table.contains(r#"<tableStyleInfo name="TableStyleMedium2""#));
    let styles = xlsx_part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"wrapText="1""#));
}

#[test]
fn creation_time_comes_from_the_plan_and_bytes_repeat() {
    let first = render(&fixture(), "2.0.0").bytes;
    let second = render(&fixture(), "2.0.0").bytes;
    assert!(first == second, "two builds differ");
    let core = xlsx_part(&first, "docProps/core.xml");
    // The deadlines announcement, 10:00 in Berlin.
    assert!(
        core.contains(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2030-02-20T09:00:00Z</dcterms:created>"#
        ),
        "{core}"
    );
    assert!(core.contains("<dc:title>Manual tests of release 2.0.0 (Fixture)</dc:title>"));
    assert!(core.contains("<dc:creator>Rita Master</dc:creator>"));
}

#[test]
fn cells_over_excels_limit_are_cut_with_a_marker_and_reported() {
    let project = Project::of(&fixture());
    let dir = project.plans();
    let catalogue = std::fs::read_to_string(fixture().join("manual-tests.yaml")).unwrap();
    let long = "x".repeat(40_000);
    std::fs::write(
        dir.join("manual-tests.yaml"),
        format!("{catalogue}  - {{ id: b-long, title: Long, team: beta, steps: \"{long}\", expected: Done. }}\n"),
    )
    .unwrap();
    let rendered = render(&dir, "2.0.0");
    assert_eq!(
        rendered.truncated,
        [workbook::Truncated {
            cell: "Tests!F6".into(),
            field: "steps of test `b-long`".into(),
            length: 40_000,
        }]
    );
    assert_eq!(
        rendered.truncated[0].to_string(),
        "Tests!F6 (steps of test `b-long`) has 40000 characters; it was cut to Excel's limit of 32767"
    );
    let mut wb = open(&rendered.bytes);
    let tests = values(&mut wb, "Tests");
    assert_eq!(tests[5][0], "b-long");
    let steps = &tests[5][5];
    assert_eq!(steps.encode_utf16().count(), 32_767);
    assert!(steps.ends_with("x… [truncated]"));
    assert_eq!(
        values(&mut wb, "Summary")[18][3],
        "2",
        "beta owns two tests"
    );
}

#[test]
fn a_release_without_tests_still_makes_a_valid_workbook() {
    let project = Project::of(&fixture());
    let dir = project.plans();
    let plan = std::fs::read_to_string(fixture().join("2.0.yaml")).unwrap();
    let cut_at = plan.find("manual_tests:").unwrap();
    std::fs::write(dir.join("2.0.yaml"), &plan[..cut_at]).unwrap();
    std::fs::write(dir.join("manual-tests.yaml"), "tests: []\n").unwrap();
    let mut wb = open(&render(&dir, "2.0.0").bytes);
    let tests = values(&mut wb, "Tests");
    assert_eq!(tests.len(), 2, "the group row and the header: {tests:?}");
    let summary = values(&mut wb, "Summary");
    assert_eq!(summary[15][..4], ["All teams", "", "RC1", "0"]);
    assert_eq!(summary[15][9], "100");
}

#[test]
fn the_command_writes_the_same_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = herald()
        .args(["workbook", "2.0", "--today", "2030-03-08", "--dir"])
        .arg(fixture())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "wrote manual-tests-2.0.0.xlsx: 3 tests, 2 candidates\n"
    );
    let written = std::fs::read(dir.path().join("manual-tests-2.0.0.xlsx")).unwrap();
    assert!(written == render(&fixture(), "2.0.0").bytes);

    let target = dir.path().join("sub/book.xlsx");
    let again = herald()
        .args(["workbook", "2.0.0", "--today", "2030-03-08", "--dir"])
        .arg(fixture())
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(std::fs::read(&target).unwrap() == written);
    let unchanged = herald()
        .args(["workbook", "2.0.0", "--today", "2030-03-08", "--dir"])
        .arg(fixture())
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&unchanged.stdout).starts_with("unchanged "));

    let unknown = herald()
        .args(["workbook", "9.9", "--dir"])
        .arg(fixture())
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no release `9.9`"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

#[test]
fn the_example_release_matches_the_timeline() {
    let mut wb = open(&render(&example(), "1.14.0").bytes);
    let summary = values(&mut wb, "Summary");
    let totals: Vec<&Vec<String>> = summary.iter().filter(|r| r[0] == "All teams").collect();
    // 9 tests (jaeger-traces skipped); RC1: 7 passed, 1 failed, 1 blocked (not done): 8 of 9.
    assert_eq!(totals[0][2..], ["RC1", "9", "7", "1", "1", "0", "0", "88"]);
    assert_eq!(totals[1][2..], ["RC2", "9", "0", "0", "0", "9", "0", "0"]);
    assert_eq!(totals.len(), 3);
    let tests = values(&mut wb, "Tests");
    assert_eq!(tests.len(), 2 + 9);
    assert!(tests.iter().all(|r| r[0] != "jaeger-traces"));
}

/// The text of one part of the xlsx package.
fn xlsx_part(xlsx: &[u8], name: &str) -> String {
    let bytes = unzip::entry(xlsx, name).unwrap_or_else(|| panic!("{name} is in the package"));
    String::from_utf8(bytes).expect("XML is UTF-8")
}

/// The text from the first `start` to the following `end`, inclusive of `start`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let to = text[from..].find(end).map_or(text.len(), |n| from + n);
    &text[from..to]
}

/// Just enough of zip and deflate (RFC 1951) to read a part of an xlsx package: `zip` is not
/// a direct dependency, and calamine does not expose validations or cell styles' quote prefix.
mod unzip {
    fn u16_at(b: &[u8], at: usize) -> usize {
        usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
    }

    fn u32_at(b: &[u8], at: usize) -> usize {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
    }

    pub fn entry(archive: &[u8], name: &str) -> Option<Vec<u8>> {
        let end = (0..=archive.len().checked_sub(22)?)
            .rev()
            .find(|&i| archive[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])?;
        let mut at = u32_at(archive, end + 16);
        for _ in 0..u16_at(archive, end + 10) {
            let method = u16_at(archive, at + 10);
            let size = u32_at(archive, at + 20);
            let name_len = u16_at(archive, at + 28);
            let extra_len = u16_at(archive, at + 30);
            let comment_len = u16_at(archive, at + 32);
            let local = u32_at(archive, at + 42);
            if &archive[at + 46..at + 46 + name_len] == name.as_bytes() {
                let data_at =
                    local + 30 + u16_at(archive, local + 26) + u16_at(archive, local + 28);
                let data = &archive[data_at..data_at + size];
                return match method {
                    0 => Some(data.to_vec()),
                    8 => inflate(data),
                    _ => None,
                };
            }
            at += 46 + name_len + extra_len + comment_len;
        }
        None
    }

    struct Bits<'a> {
        data: &'a [u8],
        pos: usize,
        buf: u32,
        count: u32,
    }

    impl Bits<'_> {
        fn take(&mut self, n: u32) -> Option<usize> {
            while self.count < n {
                self.buf |= u32::from(*self.data.get(self.pos)?) << self.count;
                self.pos += 1;
                self.count += 8;
            }
            let value = self.buf & ((1u32 << n) - 1);
            self.buf >>= n;
            self.count -= n;
            Some(value as usize)
        }
    }

    /// A canonical Huffman code: how many codes of each length, and the symbols in code order.
    struct Huffman {
        counts: [usize; 16],
        symbols: Vec<usize>,
    }

    impl Huffman {
        fn new(lengths: &[usize]) -> Huffman {
            let mut counts = [0; 16];
            for &len in lengths {
                counts[len] += 1;
            }
            counts[0] = 0;
            let mut offsets = [0; 16];
            for len in 1..15 {
                offsets[len + 1] = offsets[len] + counts[len];
            }
            let mut symbols = vec![0; lengths.len()];
            for (symbol, &len) in lengths.iter().enumerate() {
                if len != 0 {
                    symbols[offsets[len]] = symbol;
                    offsets[len] += 1;
                }
            }
            Huffman { counts, symbols }
        }

        fn decode(&self, bits: &mut Bits) -> Option<usize> {
            let (mut code, mut first, mut index) = (0usize, 0usize, 0usize);
            for len in 1..16 {
                code |= bits.take(1)?;
                let count = self.counts[len];
                if code < first + count {
                    return self.symbols.get(index + code - first).copied();
                }
                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }
            None
        }
    }

    const LENGTH_BASE: [usize; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const LENGTH_EXTRA: [u32; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DIST_BASE: [usize; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DIST_EXTRA: [u32; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];

    pub fn inflate(data: &[u8]) -> Option<Vec<u8>> {
        let mut bits = Bits {
            data,
            pos: 0,
            buf: 0,
            count: 0,
        };
        let mut out = Vec::new();
        loop {
            let last = bits.take(1)? == 1;
            match bits.take(2)? {
                0 => {
                    bits.buf = 0;
                    bits.count = 0;
                    let len = bits.take(16)?;
                    bits.take(16)?;
                    out.extend_from_slice(data.get(bits.pos..bits.pos + len)?);
                    bits.pos += len;
                }
                1 => {
                    let mut lengths = [8; 288];
                    lengths[144..256].fill(9);
                    lengths[256..280].fill(7);
                    codes(
                        &mut bits,
                        &mut out,
                        &Huffman::new(&lengths),
                        &Huffman::new(&[5; 30]),
                    )?;
                }
                2 => {
                    let literals = bits.take(5)? + 257;
                    let distances = bits.take(5)? + 1;
                    let code_lengths = bits.take(4)? + 4;
                    const ORDER: [usize; 19] = [
                        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
                    ];
                    let mut lengths = [0; 19];
                    for &i in &ORDER[..code_lengths] {
                        lengths[i] = bits.take(3)?;
                    }
                    let code = Huffman::new(&lengths);
                    let mut all = Vec::new();
                    while all.len() < literals + distances {
                        let (value, repeat) = match code.decode(&mut bits)? {
                            s @ 0..16 => (s, 1),
                            16 => (*all.last()?, 3 + bits.take(2)?),
                            17 => (0, 3 + bits.take(3)?),
                            _ => (0, 11 + bits.take(7)?),
                        };
                        all.extend(std::iter::repeat_n(value, repeat));
                    }
                    codes(
                        &mut bits,
                        &mut out,
                        &Huffman::new(&all[..literals]),
                        &Huffman::new(&all[literals..]),
                    )?;
                }
                _ => return None,
            }
            if last {
                return Some(out);
            }
        }
    }

    fn codes(bits: &mut Bits, out: &mut Vec<u8>, lit: &Huffman, dist: &Huffman) -> Option<()> {
        loop {
            let symbol = lit.decode(bits)?;
            match symbol {
                0..256 => out.push(symbol as u8),
                256 => return Some(()),
                _ => {
                    let i = symbol - 257;
                    let len = LENGTH_BASE.get(i)? + bits.take(*LENGTH_EXTRA.get(i)?)?;
                    let d = dist.decode(bits)?;
                    let back = DIST_BASE.get(d)? + bits.take(*DIST_EXTRA.get(d)?)?;
                    let from = out.len().checked_sub(back)?;
                    for k in 0..len {
                        out.push(out[from + k]);
                    }
                }
            }
        }
    }
}
