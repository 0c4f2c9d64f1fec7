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
    let blank = |n: usize| vec![""; n];
    let mut instruction = vec![
        "Manual tests of release 2.0.0 (Fixture)",
        "To fill in: for each test of your team, pick its RC1 Status from the list (RC1 is under \
         test, highlighted), write your name as Tester and a Note for anything not passed. Sort \
         and filter freely, but keep the ID column and the headers. Send the file back to Rita \
         Master.",
    ];
    instruction.extend(blank(13));
    let mut groups = vec!["Test", "", "", "RC1 · 2030-03-05 · under test", "", ""];
    groups.extend(["RC2 · 2030-03-12", "", "", "About the test"]);
    groups.extend(blank(5));
    let expected = rows(&[
        &instruction,
        &groups,
        &[
            "ID",
            "Team",
            "Title",
            "RC1 Status",
            "RC1 Tester",
            "RC1 Note",
            "RC2 Status",
            "RC2 Tester",
            "RC2 Note",
            "Steps",
            "Expected result",
            "Blocking",
            "Area",
            "Team name",
            "Issue",
        ],
        &[
            "a-login",
            "alpha",
            "=HYPERLINK(\"http://evil\",\"x\")",
            "passed",
            "ada",
            "",
            "failed",
            "ada",
            "=1+1",
            "1. Open the console.\n2. Log in.",
            "The dashboard shows.",
            "yes",
            "console",
            "Alpha",
            "https://example.com/issues/1",
        ],
        &[
            "a-logs",
            "alpha",
            "+cmd|' /C calc'!A0",
            "skipped",
            "-bob",
            "Not on this cluster",
            "not-run",
            "",
            "",
            "• Deploy orders.\n• Read the logs.",
            "Logs appear.",
            "no",
            "",
            "Alpha",
            "",
        ],
        &[
            "b-api",
            "beta",
            "@SUM(1)",
            "blocked",
            "",
            "@waiting for access",
            "not-run",
            "",
            "",
            "Call the API.",
            "200",
            "no",
            "api",
            "Beta",
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
    assert_eq!(table.columns(), &expected[2][..]);

    let links = wb.hyperlinks_by_sheet_name("Tests").unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].range.start, (3, 14));
    assert_eq!(
        links[0].target.as_deref(),
        Some("https://example.com/issues/1")
    );
}
#[test]
fn summary_counts_are_formulas_with_the_plans_counts_cached() {
    let mut wb = open(&render(&fixture(), "2.0.0").bytes);
    let header = [
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
    let pad = |cells: &[&str]| {
        let mut row: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        row.resize(header.len(), String::new());
        row
    };
    let expected: Vec<Vec<String>> = vec![
        pad(&["Manual tests of release 2.0.0 (Fixture)"]),
        pad(&[]),
        header.iter().map(|h| (*h).to_owned()).collect(),
        // Per candidate, then per team. Blocked and failed are not done: beta's one test was
        // blocked on RC1, so beta is at 0 %; alpha's failed RC2 test needs a new run.
        pad(&["RC1", "alpha", "Alpha", "2", "1", "0", "0", "0", "1", "100"]),
        pad(&["RC1", "beta", "Beta", "1", "0", "0", "1", "0", "0", "0"]),
        pad(&["RC1", "All teams", "", "3", "1", "0", "1", "0", "1", "66"]),
        pad(&["RC2", "alpha", "Alpha", "2", "0", "1", "0", "1", "0", "0"]),
        pad(&["RC2", "beta", "Beta", "1", "0", "0", "0", "1", "0", "0"]),
        pad(&["RC2", "All teams", "", "3", "0", "1", "0", "2", "0", "0"]),
        pad(&[]),
        pad(&["Release Master", "Rita Master (@rita)"]),
        pad(&["Scrum Master", "Ada Lovelace (@ada)"]),
        pad(&["Branch", "release-2.0"]),
        pad(&["Time zone", "Europe/Berlin"]),
        pad(&[]),
        pad(&["Key dates", "", "When", "Milestone"]),
        pad(&[
            "Deadlines announcement",
            "",
            "2030-02-20 10:00 CET",
            "2.0.0/deadlines-announcement",
        ]),
        pad(&[
            "Cherry-pick deadline for RC1",
            "",
            "2030-03-04 16:00 CET",
            "2.0.0/cherry-pick-rc1",
        ]),
        pad(&["RC1", "", "2030-03-05", "2.0.0/rc1"]),
        pad(&["RC2", "", "2030-03-12", "2.0.0/rc2"]),
        pad(&["Release 2.0.0", "", "2030-03-14", "2.0.0/release"]),
    ];
    assert_eq!(values(&mut wb, "Summary"), expected);

    // A1 ranges over the tests table's rows (4 to 6), which every spreadsheet parses.
    let f = formulas(&mut wb, "Summary");
    let team = "Tests!$B$4:$B$6";
    let rc1 = "Tests!$D$4:$D$6";
    let rc2 = "Tests!$G$4:$G$6";
    assert_eq!(f[3][3], format!("COUNTIFS({team},\"alpha\")"));
    assert_eq!(
        f[3][4],
        format!("COUNTIFS({team},\"alpha\",{rc1},\"passed\")")
    );
    assert_eq!(
        f[6][5],
        format!("COUNTIFS({team},\"alpha\",{rc2},\"failed\")")
    );
    assert_eq!(
        f[4][6],
        format!("COUNTIFS({team},\"beta\",{rc1},\"blocked\")")
    );
    assert_eq!(
        f[3][8],
        format!("COUNTIFS({team},\"alpha\",{rc1},\"skipped\")")
    );
    assert_eq!(f[3][7], "D4-E4-F4-G4-I4");
    assert_eq!(f[3][9], "IF(D4=0,100,INT((E4+I4)*100/D4))");
    assert_eq!(f[5][3], "COUNTA(Tests!$A$4:$A$6)");
    assert_eq!(f[8][4], format!("COUNTIFS({rc2},\"passed\")"));
    // Every count is a formula; the labels are not.
    for row in &f[3..=8] {
        assert!(row[..3].iter().all(String::is_empty), "{row:?}");
        assert!(row[3..].iter().all(|c| !c.is_empty()), "{row:?}");
    }
    assert!(f[..3].iter().flatten().all(String::is_empty));
    assert!(f[9..].iter().flatten().all(String::is_empty));
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
    assert_eq!(f[1][4], "COUNTIF(Tests!$B$4:$B$6,\"alpha\")");
    assert_eq!(f[3][4], "COUNTIF(Tests!$B$4:$B$6,\"gamma\")");
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
    for range in ["D4:D6", "G4:G6"] {
        let rule = format!(
            r#"<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorTitle="Not a status" error="Choose one of: not-run, passed, failed, blocked, skipped." sqref="{range}"><formula1>"not-run,passed,failed,blocked,skipped"</formula1></dataValidation>"#
        );
        assert!(validations.contains(&rule), "{validations}");
    }
    // No errorStyle attribute: the default, stop, rejects anything else.
    assert!(!validations.contains("errorStyle"));

    // Every status has its colours; both candidates share the five formats, and priorities
    // run on across them.
    let styles = xlsx_part(&bytes, "xl/styles.xml");
    let dxfs: Vec<&str> = between(&styles, "<dxfs", "</dxfs>")
        .split("<dxf>")
        .skip(1)
        .collect();
    let fill = |id: usize| {
        let dxf = dxfs[id];
        dxf.find(r#"<bgColor rgb="FF"#)
            .map(|at| &dxf[at + 16..at + 22])
            .unwrap_or("none")
    };
    let statuses = ["not-run", "passed", "failed", "blocked", "skipped"];
    let mut ids = Vec::new();
    for (range, first_priority) in [("D4:D6", 1), ("G4:G6", 6)] {
        let block = between(
            &sheet,
            &format!(r#"<conditionalFormatting sqref="{range}">"#),
            "</conditionalFormatting>",
        );
        let mut block_ids = Vec::new();
        for (k, status) in statuses.iter().enumerate() {
            let rule = format!(
                r#"priority="{}" operator="equal"><formula>"{status}"</formula></cfRule>"#,
                first_priority + k
            );
            let at = block
                .find(&rule)
                .unwrap_or_else(|| panic!("{rule} in {block}"));
            let id = block[..at].rsplit(r#"dxfId=""#).next().unwrap();
            block_ids.push(id[..id.find('"').unwrap()].parse::<usize>().unwrap());
        }
        ids.push(block_ids);
    }
    assert_eq!(ids[0], ids[1], "both candidates share the five formats");
    let fills: Vec<&str> = ids[0].iter().map(|&id| fill(id)).collect();
    assert_eq!(
        fills,
        ["EDEDED", "C6EFCE", "FFC7CE", "FFEB9C", "D9D2E9"],
        "not run grey, passed green, failed red, blocked amber, skipped lilac"
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
    // The titles (C4..C6), notes that look like formulas (I4, F6) and empty tester and note
    // cells that teams will fill in (H5, I5).
    for cell in ["C4", "C5", "C6", "I4", "F6", "H5", "I5"] {
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
    assert!(summary.contains(r#"<c r="D4"><f>COUNTIFS(Tests!$B$4:$B$6,"alpha")</f><v>2</v></c>"#));
}

#[test]
fn layout_freezes_the_header_and_the_test_and_uses_a_styled_table() {
    let bytes = render(&fixture(), "2.0.0").bytes;
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    // ID, team and title stay in view while a tester scrolls to the candidates and steps.
    assert!(sheet.contains(
        r#"<pane xSplit="3" ySplit="3" topLeftCell="D4" activePane="bottomRight" state="frozen"/>"#
    ));
    // The instruction over the lead and candidate columns; no merge starts in column A,
    // which every printed page repeats.
    for merged in ["B1:I1", "B2:C2", "D2:F2", "G2:I2", "J2:O2"] {
        assert!(
            sheet.contains(&format!(r#"<mergeCell ref="{merged}"/>"#)),
            "{merged}"
        );
    }
    assert!(!sheet.contains(r#"<mergeCell ref="A"#));
    assert!(sheet.contains(r#"<col min="10" max="10" width="44.7109375" customWidth="1"/>"#));
    let table = xlsx_part(&bytes, "xl/tables/table1.xml");
    assert!(table.contains(r#"ref="A3:O6""#), "{table}");
    assert!(table.contains(r#"<autoFilter ref="A3:O6"/>"#), "{table}");
    assert!(table.contains(r#"<tableStyleInfo name="TableStyleMedium2""#));
    let styles = xlsx_part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"wrapText="1""#));
}

/// The fill colour of a cell of the Tests sheet, from its style.
fn fill_of(bytes: &[u8], cell: &str) -> Option<String> {
    let sheet = xlsx_part(bytes, "xl/worksheets/sheet1.xml");
    let styles = xlsx_part(bytes, "xl/styles.xml");
    let start = format!(r#"<c r="{cell}" s=""#);
    let at = sheet.find(&start)?;
    let style: usize = sheet[at + start.len()..].split('"').next()?.parse().ok()?;
    let xf = between(&styles, "<cellXfs", "</cellXfs>")
        .split("<xf ")
        .nth(style + 1)?;
    let fill: usize = xf
        .split(r#"fillId=""#)
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()?;
    let fills: Vec<&str> = between(&styles, "<fills", "</fills>")
        .split("<fill>")
        .skip(1)
        .collect();
    let rgb = fills.get(fill)?.split(r#"fgColor rgb="FF"#).nth(1)?;
    Some(rgb[..6].to_owned())
}

#[test]
fn the_candidate_under_test_is_highlighted() {
    // On 2030-03-08 RC1 (2030-03-05) is out and RC2 (2030-03-12) is not.
    let bytes = render(&fixture(), "2.0.0").bytes;
    for cell in ["D2", "D3", "E3", "F3"] {
        assert_eq!(fill_of(&bytes, cell).as_deref(), Some("9BC2E6"), "{cell}");
    }
    for cell in ["D4", "E5", "F6"] {
        assert_eq!(fill_of(&bytes, cell).as_deref(), Some("DDEBF7"), "{cell}");
    }
    for cell in ["G4", "H5", "I4", "C4"] {
        assert_eq!(fill_of(&bytes, cell), None, "{cell}");
    }
    assert_eq!(fill_of(&bytes, "G2").as_deref(), Some("D9E1F2"));

    // From RC2's day on, RC2 is.
    let later = harness::with_context(&fixture(), date(2030, 3, 12), None, |ctx| {
        let release = ctx.timeline.release("2.0.0").unwrap();
        workbook::workbook_bytes(ctx, release).unwrap().bytes
    });
    assert_eq!(fill_of(&later, "H5").as_deref(), Some("DDEBF7"));
    assert_eq!(fill_of(&later, "E5"), None);
    let mut wb = open(&later);
    let tests = values(&mut wb, "Tests");
    assert_eq!(tests[1][3], "RC1 · 2030-03-05");
    assert_eq!(tests[1][6], "RC2 · 2030-03-12 · under test");
    assert!(
        tests[0][1].contains("pick its RC2 Status"),
        "{}",
        tests[0][1]
    );
}

/// `(row, height)` of every row of a sheet's XML that has a height of its own (1-based rows).
fn row_heights(sheet: &str) -> Vec<(u32, f64)> {
    sheet
        .split("<row ")
        .skip(1)
        .filter_map(|row| {
            let tag = &row[..row.find('>')?];
            let r = tag
                .split(r#"r=""#)
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            let ht = tag
                .split(r#"ht=""#)
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            Some((r, ht))
        })
        .collect()
}

#[test]
fn wrapped_rows_are_as_tall_as_their_longest_text() {
    let project = Project::of(&fixture());
    let dir = project.plans();
    let catalogue = std::fs::read_to_string(fixture().join("manual-tests.yaml")).unwrap();
    // Six numbered steps; and a paragraph about three lines long in the 44-wide Steps column.
    let many = (1..=6)
        .map(|n| format!("{n}. Step number {n}."))
        .collect::<Vec<_>>()
        .join("\\n");
    let long = "Open the console and check that every one of the dashboards loads without any \
                error, then log out and log in again as another user";
    std::fs::write(
        dir.join("manual-tests.yaml"),
        format!(
            "{catalogue}  - {{ id: b-many, title: Many, team: beta, steps: \"{many}\", expected: Done. }}\n  \
             - {{ id: b-long, title: Long, team: beta, steps: \"{long}\", expected: Done. }}\n"
        ),
    )
    .unwrap();
    let bytes = render(&dir, "2.0.0").bytes;
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    // Row 1: the instruction (two lines beside a two-line title); 4 and 5: two-line steps;
    // 6 (b-api) one line, left at the default; 7 (b-long) three lines; 8 (b-many) six.
    assert_eq!(
        row_heights(&sheet),
        [(1, 30.0), (4, 30.0), (5, 30.0), (7, 45.0), (8, 90.0)]
    );
    let mut wb = open(&bytes);
    let tests = values(&mut wb, "Tests");
    assert_eq!(
        (tests[6][0].as_str(), tests[7][0].as_str()),
        ("b-long", "b-many")
    );
    assert_eq!(tests[7][9].lines().count(), 6);
}

#[test]
fn every_sheet_prints_landscape_fitted_to_the_width_with_its_headers_repeated() {
    let bytes = render(&fixture(), "2.0.0").bytes;
    for (part, pages_wide) in [
        ("xl/worksheets/sheet1.xml", r#" fitToWidth="2""#),
        ("xl/worksheets/sheet2.xml", ""),
        ("xl/worksheets/sheet3.xml", ""),
    ] {
        let sheet = xlsx_part(&bytes, part);
        assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{part}");
        assert!(
            sheet.contains(&format!(
                r#"<pageSetup paperSize="9"{pages_wide} fitToHeight="0" orientation="landscape""#
            )),
            "{part}: {}",
            between(&sheet, "<pageSetup ", "/>")
        );
        assert!(sheet.contains(
            r#"<pageMargins left="0.3" right="0.3" top="0.5" bottom="0.5" header="0.25" footer="0.25"/>"#
        ));
        assert!(sheet.contains("<oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter>"));
    }
    // Tests repeats its group and header rows and the ID column; the others their header.
    let book = xlsx_part(&bytes, "xl/workbook.xml");
    for title in [
        r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">Tests!$A:$A,Tests!$2:$3</definedName>"#,
        r#"<definedName name="_xlnm.Print_Titles" localSheetId="1">Summary!$3:$3</definedName>"#,
        r#"<definedName name="_xlnm.Print_Titles" localSheetId="2">Teams!$1:$1</definedName>"#,
    ] {
        assert!(book.contains(title), "{title}: {book}");
    }
}

#[test]
fn cached_counts_agree_with_the_tests_sheet() {
    // What a reader that does not recalculate shows must be what the formulas compute.
    let mut wb = open(&render(&example(), "1.14.0").bytes);
    let tests = values(&mut wb, "Tests");
    let header = &tests[2];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let summary = values(&mut wb, "Summary");
    let statuses = ["passed", "failed", "blocked", "not-run", "skipped"];
    let mut checked = 0;
    for row in summary.iter().skip(3).take_while(|r| !r[0].is_empty()) {
        let status_col = col(&format!("{} Status", row[0]));
        let counted: Vec<&Vec<String>> = tests[3..]
            .iter()
            .filter(|t| row[1] == "All teams" || t[1] == row[1])
            .collect();
        assert_eq!(row[3], counted.len().to_string(), "{row:?}");
        for (k, status) in statuses.iter().enumerate() {
            let n = counted.iter().filter(|t| t[status_col] == *status).count();
            assert_eq!(row[4 + k], n.to_string(), "{status} in {row:?}");
        }
        checked += 1;
    }
    assert_eq!(checked, 3 * 6, "3 candidates of 5 teams and all teams");
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
            cell: "Tests!J7".into(),
            field: "steps of test `b-long`".into(),
            length: 40_000,
        }]
    );
    assert_eq!(
        rendered.truncated[0].to_string(),
        "Tests!J7 (steps of test `b-long`) has 40000 characters; it was cut to Excel's limit of 32767"
    );
    let mut wb = open(&rendered.bytes);
    let tests = values(&mut wb, "Tests");
    assert_eq!(tests[6][0], "b-long");
    let steps = &tests[6][9];
    assert_eq!(steps.encode_utf16().count(), 32_767);
    assert!(steps.ends_with("x… [truncated]"));
    assert_eq!(values(&mut wb, "Summary")[4][3], "2", "beta owns two tests");
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
    assert_eq!(
        tests.len(),
        3,
        "the instruction, group and header rows: {tests:?}"
    );
    let summary = values(&mut wb, "Summary");
    assert_eq!(summary[3][..4], ["RC1", "All teams", "", "0"]);
    assert_eq!(summary[3][9], "100");
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
    let totals: Vec<&Vec<String>> = summary.iter().filter(|r| r[1] == "All teams").collect();
    // 9 tests (jaeger-traces skipped); RC1: 7 passed, 1 failed, 1 blocked (neither done): 7 of 9.
    assert_eq!(totals[0][3..], ["9", "7", "1", "1", "0", "0", "77"]);
    assert_eq!(totals[1][3..], ["9", "0", "0", "0", "9", "0", "0"]);
    assert_eq!(
        (totals[0][0].as_str(), totals[1][0].as_str()),
        ("RC1", "RC2")
    );
    assert_eq!(totals.len(), 3);
    let tests = values(&mut wb, "Tests");
    assert_eq!(tests.len(), 3 + 9);
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
