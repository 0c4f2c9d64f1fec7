//! Filled-in workbooks, read back: a team's copy of a herald workbook (cells typed over,
//! rows sorted, columns moved, saved again by a spreadsheet), imported into the plans.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, SheetVisible, Xlsx};
use herald::render::workbook::{self, record::RECORD_SHEET};
use herald::render::{Context, Templates};
use herald::results::{self, Import};
use jiff::civil::{Date, date};

const TODAY: Date = date(2030, 3, 8);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbook/releases")
}

/// A working folder: `releases/` (a copy of the fixture) and `books/` for the copies.
struct Place {
    root: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        let root = tempfile::tempdir().unwrap();
        let plans = root.path().join("releases");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::create_dir_all(root.path().join("books")).unwrap();
        for file in ["teams.yaml", "manual-tests.yaml", "2.0.yaml"] {
            std::fs::copy(fixture().join(file), plans.join(file)).unwrap();
        }
        Place { root }
    }

    fn plans_dir(&self) -> PathBuf {
        self.root.path().join("releases")
    }

    fn release_file(&self) -> PathBuf {
        self.plans_dir().join("2.0.yaml")
    }

    fn plans(&self) -> herald::Plans {
        let checked = herald::check(&self.plans_dir(), TODAY, false).expect("the plans load");
        assert!(
            !checked.diags.has_errors(),
            "{}",
            herald::diag::render_human(&checked.diags, &checked.plans.sources)
        );
        checked.plans
    }

    /// The workbook herald exports, with its record.
    fn export(&self) -> Vec<u8> {
        let plans = self.plans();
        let timeline = herald::plan::plan(&plans, TODAY);
        let templates = Templates::defaults().expect("default templates");
        let ctx = Context::new(&timeline, &plans, &templates, None);
        let release = timeline.release("2.0.0").expect("the release exists");
        workbook::workbook_bytes(&ctx, release)
            .expect("the workbook renders")
            .bytes
    }

    fn edit_plan(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.release_file()).unwrap();
        assert!(text.contains(from), "`{from}` not in the plan");
        std::fs::write(self.release_file(), text.replacen(from, to, 1)).unwrap();
    }

    fn put(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.root.path().join("books").join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn import(&self, files: &[PathBuf], force: bool) -> Import {
        results::import(&self.plans(), files, force)
    }

    /// Text with the working folder left out, so messages read as they would in a repository.
    fn relative(&self, text: &str) -> String {
        text.replace(&format!("{}/", self.root.path().display()), "")
    }

    fn findings(&self, import: &Import) -> Vec<String> {
        import
            .findings
            .iter()
            .map(|f| self.relative(&f.to_string()))
            .collect()
    }
}

/// An edit as one line: `a-logs rc2: passed, tester bob, note "…"`.
fn edits(import: &Import) -> Vec<String> {
    import
        .edits
        .iter()
        .map(|e| {
            format!(
                "{} {}: {}, tester {}, note {}",
                e.test.0,
                e.candidate,
                e.status.as_str(),
                e.tester.as_deref().unwrap_or("-"),
                e.note.as_ref().map_or("-".to_owned(), |n| format!("{n:?}"))
            )
        })
        .collect()
}

fn summary(import: &Import) -> Vec<String> {
    import.summary.iter().map(ToString::to_string).collect()
}

/// A workbook as a team's spreadsheet sees it: every sheet as text, with its visibility.
struct Book {
    sheets: Vec<(String, Vec<Vec<String>>, bool)>,
}

impl Book {
    fn open(bytes: &[u8]) -> Book {
        let mut wb = Xlsx::new(Cursor::new(bytes.to_vec())).expect("calamine opens it");
        let hidden: Vec<bool> = wb
            .sheets_metadata()
            .iter()
            .map(|s| s.visible != SheetVisible::Visible)
            .collect();
        let sheets = wb
            .sheet_names()
            .into_iter()
            .zip(hidden)
            .map(|(name, hidden)| {
                let range = wb.worksheet_range(&name).unwrap();
                let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
                let cells = (0..rows)
                    .map(|r| {
                        (0..cols)
                            .map(|c| {
                                range
                                    .get_value((r, c))
                                    .map(|d| d.to_string())
                                    .unwrap_or_default()
                            })
                            .collect()
                    })
                    .collect();
                (name, cells, hidden)
            })
            .collect();
        Book { sheets }
    }

    fn sheet(&mut self, name: &str) -> &mut Vec<Vec<String>> {
        &mut self
            .sheets
            .iter_mut()
            .find(|(n, ..)| n == name)
            .expect("the sheet exists")
            .1
    }

    fn tests(&mut self) -> &mut Vec<Vec<String>> {
        self.sheet("Tests")
    }

    /// The row of the table header: the one that holds `ID`, below the title and instruction.
    fn header_row(&mut self) -> usize {
        self.tests()
            .iter()
            .position(|r| r.iter().any(|c| c == "ID"))
            .expect("a header row")
    }

    /// Types `value` into the cell of test `id` under `header`, wherever they are.
    fn set(&mut self, id: &str, header: &str, value: &str) -> &mut Book {
        let h = self.header_row();
        let tests = self.tests();
        let col = tests[h].iter().position(|c| c == header).expect("header");
        let id_col = tests[h].iter().position(|c| c == "ID").expect("ID");
        let row = tests
            .iter()
            .position(|r| r[id_col] == id)
            .expect("test row");
        tests[row][col] = value.to_owned();
        self
    }

    /// Sorts the test rows by a column, descending, as a filter's sort would.
    fn sort_by(&mut self, header: &str) -> &mut Book {
        let h = self.header_row();
        let tests = self.tests();
        let col = tests[h].iter().position(|c| c == header).expect("header");
        tests[h + 1..].sort_by(|a, b| b[col].cmp(&a[col]));
        self
    }

    /// Moves columns `from..from+n` to before column `to` (0-based, counted before the move).
    fn move_columns(&mut self, from: usize, n: usize, to: usize) -> &mut Book {
        for row in self.tests() {
            let moved: Vec<String> = row.drain(from..from + n).collect();
            let at = if to > from { to - n } else { to };
            for (k, cell) in moved.into_iter().enumerate() {
                row.insert(at + k, cell);
            }
        }
        self
    }

    fn save(&self) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (name, cells, hidden) in &self.sheets {
            let sheet = wb.add_worksheet();
            sheet.set_name(name).unwrap();
            for (r, row) in cells.iter().enumerate() {
                for (c, value) in row.iter().enumerate() {
                    if !value.is_empty() {
                        sheet.write_string(r as u32, c as u16, value).unwrap();
                    }
                }
            }
            if *hidden {
                sheet.set_hidden(true);
            }
        }
        wb.save_to_buffer().unwrap()
    }
}

/// What the team of the scenario types: a-logs passed on RC2 by bob with a note that has a
/// comma, quotes and a line break; b-api failed on RC1, typed with a capital and a space.
fn filled(export: &[u8]) -> Book {
    let mut book = Book::open(export);
    book.set("a-logs", "RC2 Status", "passed")
        .set("a-logs", "RC2 Tester", "bob")
        .set("a-logs", "RC2 Note", "fine, after \"retry\"\nsecond run")
        .set("b-api", "RC1 Status", "Failed ");
    book
}

const FILLED_EDITS: [&str; 2] = [
    "a-logs rc2: passed, tester bob, note \"fine, after \\\"retry\\\"\\nsecond run\"",
    "b-api rc1: failed, tester -, note \"@waiting for access\"",
];

#[test]
fn the_export_records_the_release_and_what_it_showed_in_a_hidden_sheet() {
    let place = Place::new();
    let book = Book::open(&place.export());
    let names: Vec<(&str, bool)> = book
        .sheets
        .iter()
        .map(|(n, _, hidden)| (n.as_str(), *hidden))
        .collect();
    assert_eq!(
        names,
        [
            ("Tests", false),
            ("Summary", false),
            ("Teams", false),
            (RECORD_SHEET, true)
        ]
    );
    let record = &book.sheets[3].1;
    let rows: Vec<String> = record
        .iter()
        .map(|r| {
            r.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" | ")
                .trim_end_matches(" | ")
                .to_owned()
        })
        .collect();
    assert_eq!(
        rows,
        [
            "herald workbook record | 1 | What this workbook showed when herald exported it; `herald results import` reads it to tell what changed. Do not edit.",
            "release | 2.0.0",
            &format!("herald | {}", env!("CARGO_PKG_VERSION")),
            "sheet | Tests",
            "id column | ID",
            "candidate | rc1 | RC1 Status | RC1 Tester | RC1 Note",
            "candidate | rc2 | RC2 Status | RC2 Tester | RC2 Note",
            "result | a-login | rc1 | passed | ada",
            "result | a-login | rc2 | failed | ada | =1+1",
            "result | a-logs | rc1 | skipped | -bob | Not on this cluster",
            "result | b-api | rc1 | blocked |  | @waiting for access",
        ]
    );
    // The record comes last and hidden; the visible sheets are the ones teams know (their
    // cells are asserted in workbook.rs).
    let shown: Vec<(&str, bool)> = book
        .sheets
        .iter()
        .map(|(n, _, h)| (n.as_str(), *h))
        .collect();
    assert_eq!(
        shown,
        [
            ("Tests", false),
            ("Summary", false),
            ("Teams", false),
            (RECORD_SHEET, true)
        ]
    );
}

#[test]
fn an_untouched_export_imports_nothing() {
    let place = Place::new();
    let file = place.put("untouched.xlsx", &place.export());
    let import = place.import(&[file], false);
    assert_eq!(place.findings(&import), Vec::<String>::new());
    assert!(import.edits.is_empty());
    assert_eq!(import.target.map(|t| t.version), Some("2.0.0".to_owned()));
}

#[test]
fn cells_a_team_changed_become_edits_after_sorting_and_moving_columns() {
    let place = Place::new();
    let mut book = filled(&place.export());
    // Newest title first; the RC2 group before RC1; the ID column moved to the end.
    book.sort_by("Title")
        .move_columns(6, 3, 3)
        .move_columns(0, 1, 15);
    let file = place.put("alpha.xlsx", &book.save());
    let import = place.import(&[file], false);
    assert_eq!(place.findings(&import), Vec::<String>::new());
    assert_eq!(edits(&import), FILLED_EDITS);
    assert_eq!(
        summary(&import),
        ["alpha rc2: 1 passed", "beta rc1: 1 failed"]
    );
    let changes: Vec<String> = import
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} {} {}: {:?} -> {:?} at {}",
                c.test.0,
                c.candidate,
                c.field.as_str(),
                c.from,
                c.to,
                c.cell
            )
        })
        .collect();
    // After the sort the rows are b-api, a-login, a-logs (by title, descending: `@`, `=`, `+`
    // sort as `@` > `=` > `+`), below the title, instruction and header rows; after the moves
    // RC2 is in C..E, RC1 in F..H, ID in O.
    assert_eq!(
        changes,
        [
            "a-logs rc2 status: \"not-run\" -> \"passed\" at Tests!C6",
            "a-logs rc2 tester: \"\" -> \"bob\" at Tests!D6",
            "a-logs rc2 note: \"\" -> \"fine, after \\\"retry\\\"\\nsecond run\" at Tests!E6",
            "b-api rc1 status: \"blocked\" -> \"failed\" at Tests!F4",
        ]
    );
}

#[test]
fn a_cell_the_plan_also_changed_since_the_export_is_a_conflict_unless_forced() {
    let place = Place::new();
    let export = place.export();
    place.edit_plan(
        "rc2: { status: failed, tester: ada",
        "rc2: { status: blocked, tester: ada",
    );
    let mut book = Book::open(&export);
    book.set("a-login", "RC2 Status", "passed");
    // The tester stays as exported: the plan's change to it is no conflict.
    let file = place.put("alpha.xlsx", &book.save());
    let import = place.import(std::slice::from_ref(&file), false);
    assert_eq!(
        place.findings(&import),
        [
            "books/alpha.xlsx: Tests!G4: error: conflict: the workbook changes the RC2 status of test `a-login` from `failed` to `passed`, but the plan changed it since the export to `blocked` (releases/2.0.yaml:23)\n  = help: fix the cell or the plan so they agree, or pass --force to take the workbook's value"
        ]
    );
    assert!(import.has_errors());

    let forced = place.import(&[file], true);
    assert_eq!(place.findings(&forced), Vec::<String>::new());
    assert_eq!(
        edits(&forced),
        ["a-login rc2: passed, tester ada, note \"=1+1\""]
    );
    assert_eq!(summary(&forced), ["alpha rc2: 1 passed"]);
}

#[test]
fn a_change_the_plan_already_holds_is_no_edit_so_a_second_import_changes_nothing() {
    let place = Place::new();
    let file = place.put("alpha.xlsx", &filled(&place.export()).save());
    assert_eq!(
        edits(&place.import(std::slice::from_ref(&file), false)),
        FILLED_EDITS
    );
    // What the release-file editor writes for those edits.
    place.edit_plan(
        "    b-api:\n      rc1: { status: blocked,",
        "      rc2: { status: passed, tester: bob, note: \"fine, after \\\"retry\\\"\\nsecond run\" }\n    b-api:\n      rc1: { status: failed,",
    );
    let again = place.import(&[file], false);
    assert_eq!(place.findings(&again), Vec::<String>::new());
    assert!(again.edits.is_empty(), "{:?}", edits(&again));
}

#[test]
fn copies_of_several_teams_merge_and_disagreeing_copies_are_a_conflict() {
    let place = Place::new();
    let export = place.export();
    let mut alpha = Book::open(&export);
    alpha.set("a-logs", "RC2 Status", "passed");
    let mut beta = Book::open(&export);
    beta.sort_by("Title").set("b-api", "RC2 Status", "passed");
    let files = [
        place.put("alpha.xlsx", &alpha.save()),
        place.put("beta.xlsx", &beta.save()),
    ];
    let import = place.import(&files, false);
    assert_eq!(place.findings(&import), Vec::<String>::new());
    assert_eq!(
        edits(&import),
        [
            "a-logs rc2: passed, tester -, note -",
            "b-api rc2: passed, tester -, note -"
        ]
    );
    assert_eq!(
        summary(&import),
        ["alpha rc2: 1 passed", "beta rc2: 1 passed"]
    );

    beta.set("a-logs", "RC2 Status", "failed");
    let files = [files[0].clone(), place.put("beta.xlsx", &beta.save())];
    let import = place.import(&files, true);
    assert_eq!(
        place.findings(&import),
        [
            "books/alpha.xlsx: Tests!G5: error: conflict: copies disagree on the RC2 status of test `a-logs`: `passed` here, `failed` in books/beta.xlsx (Tests!G6)\n  = help: agree on one value, fix the other copy, and import again"
        ]
    );
}

#[test]
fn a_status_typed_over_the_drop_down_is_an_error_naming_the_cell() {
    let place = Place::new();
    let mut book = Book::open(&place.export());
    book.set("b-api", "RC2 Status", "ok")
        .set("a-logs", "RC2 Status", "faild")
        .set("a-login", "RC1 Status", " PASSED ");
    let file = place.put("team.xlsx", &book.save());
    let import = place.import(&[file], false);
    assert_eq!(
        place.findings(&import),
        [
            "books/team.xlsx: Tests!G5: error: `faild` is not a status (test `a-logs`, RC2)\n  = help: did you mean `failed`? (choose one of: not-run, passed, failed, blocked, skipped)",
            "books/team.xlsx: Tests!G6: error: `ok` is not a status (test `b-api`, RC2)\n  = help: did you mean `passed`? (choose one of: not-run, passed, failed, blocked, skipped)",
        ]
    );
    // ` PASSED ` is `passed`, as exported: no edit.
    assert!(import.edits.is_empty());
}

#[test]
fn rows_of_unknown_or_skipped_tests_are_reported_and_ignored() {
    let place = Place::new();
    let mut book = Book::open(&place.export());
    let h = book.header_row();
    let width = book.tests()[h].len();
    let status = book.tests()[h]
        .iter()
        .position(|c| c == "RC1 Status")
        .unwrap();
    for id in ["a-logz", "b-skipped"] {
        let mut row = vec![String::new(); width];
        row[0] = id.to_owned();
        row[status] = "passed".to_owned();
        book.tests().push(row);
    }
    let file = place.put("team.xlsx", &book.save());
    let import = place.import(&[file], false);
    assert_eq!(
        place.findings(&import),
        [
            "books/team.xlsx: Tests!A7: warning: test `a-logz` is not in release 2.0.0; its row is ignored\n  = help: did you mean `a-logs`?",
            "books/team.xlsx: Tests!A8: warning: test `b-skipped` is skipped in release 2.0.0; its row is ignored",
        ]
    );
    assert!(import.edits.is_empty());
    assert!(!import.has_errors());
}

#[test]
fn a_workbook_of_another_release_or_of_none_is_refused() {
    let place = Place::new();
    let mut other = Book::open(&place.export());
    other.sheet(RECORD_SHEET)[1][1] = "3.0.0".to_owned();
    let other = place.put("other.xlsx", &other.save());
    let import = place.import(&[other], false);
    assert_eq!(
        place.findings(&import),
        [
            "books/other.xlsx: error: the workbook is of release 3.0.0, which is not in releases; the releases are: 2.0.0\n  = help: import it into the plans folder of that release (--dir)"
        ]
    );

    // A workbook of the same shape without herald's record (as another tool would write it).
    let mut plain = Book::open(&place.export());
    plain.sheets.retain(|(name, ..)| name != RECORD_SHEET);
    let plain = place.put("plain.xlsx", &plain.save());
    let import = place.import(&[plain], false);
    assert_eq!(
        place.findings(&import),
        [
            "books/plain.xlsx: error: not a workbook of a herald release: it has no sheet `herald`\n  = help: herald keeps a hidden sheet `herald` in every workbook it exports; import a copy of that workbook (`herald workbook RELEASE`), or a .csv of its Tests sheet for a two-way import"
        ]
    );
    assert!(import.target.is_none());

    let text = place.put("notes.txt", b"hello");
    assert_eq!(
        place.findings(&place.import(&[text], false)),
        [
            "books/notes.txt: error: not a workbook herald reads\n  = help: import the .xlsx or .ods the team saved, or a .csv export of its Tests sheet"
        ]
    );
}

#[test]
fn a_csv_export_is_a_two_way_import_and_says_so() {
    let place = Place::new();
    let csv = "\u{feff}Manual tests of release 2.0.0 (Fixture),,,,,,,,,RC1 · 2030-03-05,,,RC2 · 2030-03-12,,\n\
        ID,Team,Team name,Area,Title,Steps,Expected result,Blocking,Issue,RC1 Status,RC1 Tester,RC1 Note,RC2 Status,RC2 Tester,RC2 Note\n\
        b-api,beta,Beta,api,@SUM(1),Call the API.,200,no,,blocked,,@waiting for access,passed,carol,\"200, \"\"fast\"\"\nin 3 ms\"\n\
        a-login,alpha,Alpha,console,x,y,z,yes,,passed,ada,,failed,ada,=1+1\n";
    let file = place.put("tests.csv", csv.as_bytes());
    let import = place.import(&[file], false);
    assert_eq!(
        place.findings(&import),
        [
            "books/tests.csv: note: a CSV has no record of the export: two-way import; every cell that differs from the plan is taken, also where the plan changed since the export"
        ]
    );
    assert_eq!(
        edits(&import),
        ["b-api rc2: passed, tester carol, note \"200, \\\"fast\\\"\\nin 3 ms\""]
    );
}

/// Converts `file` with LibreOffice into `format` (`xlsx`, `ods`, `csv`) in `out`; `None`
/// where LibreOffice is not installed.
fn libreoffice(file: &Path, format: &str, out: &Path) -> Option<PathBuf> {
    let profile = out.join("profile");
    let filter = match format {
        "csv" => "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "xlsx" => "xlsx:Calc MS Excel 2007 XML",
        other => other,
    };
    let run = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out)
        .arg(file)
        .output();
    let Ok(run) = run else {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return None;
    };
    assert!(
        run.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let converted = out.join(file.with_extension(format).file_name().unwrap());
    assert!(
        converted.is_file(),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    Some(converted)
}

#[test]
fn copies_saved_by_libreoffice_import_the_same_edits() {
    let place = Place::new();
    let out = place.root.path().join("saved");
    std::fs::create_dir_all(&out).unwrap();
    // An untouched export, opened and saved by LibreOffice, imports nothing.
    let untouched = place.put("untouched.xlsx", &place.export());
    let Some(saved) = libreoffice(&untouched, "ods", &out) else {
        return;
    };
    let import = place.import(&[saved], false);
    assert_eq!(place.findings(&import), Vec::<String>::new());
    assert!(import.edits.is_empty(), "{:?}", edits(&import));

    let mut book = filled(&place.export());
    book.sort_by("Title").move_columns(6, 3, 3);
    let team = place.put("team.xlsx", &book.save());
    for format in ["xlsx", "ods"] {
        let dir = out.join(format);
        std::fs::create_dir_all(&dir).unwrap();
        let saved = libreoffice(&team, format, &dir).unwrap();
        let import = place.import(&[saved], false);
        assert_eq!(place.findings(&import), Vec::<String>::new(), "{format}");
        assert_eq!(edits(&import), FILLED_EDITS, "{format}");
    }
    // LibreOffice's CSV holds the first sheet, Tests.
    let saved = libreoffice(&team, "csv", &out).unwrap();
    let import = place.import(&[saved], false);
    assert_eq!(
        place.findings(&import),
        [
            "saved/team.csv: note: a CSV has no record of the export: two-way import; every cell that differs from the plan is taken, also where the plan changed since the export"
        ]
    );
    assert_eq!(edits(&import), FILLED_EDITS);
}

fn herald(place: &Place, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(args)
        .current_dir(place.root.path())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_prints_the_planned_changes_and_writes_nothing_on_errors() {
    let place = Place::new();
    let before = std::fs::read(place.release_file()).unwrap();
    place.put("alpha.xlsx", &filled(&place.export()).save());
    let (code, stdout, stderr) = herald(
        &place,
        &[
            "results",
            "import",
            "books/alpha.xlsx",
            "--dir",
            "releases",
            "--dry-run",
        ],
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "release 2.0.0 (releases/2.0.yaml): 2 results\n  \
         alpha rc2: 1 passed\n  \
         beta rc1: 1 failed\n  \
         a-logs rc2 status: \"not-run\" -> \"passed\" (books/alpha.xlsx Tests!G5)\n  \
         a-logs rc2 tester: (none) -> \"bob\" (books/alpha.xlsx Tests!H5)\n  \
         a-logs rc2 note: (none) -> \"fine, after \\\"retry\\\"\\nsecond run\" (books/alpha.xlsx Tests!I5)\n  \
         b-api rc1 status: \"blocked\" -> \"failed\" (books/alpha.xlsx Tests!D6)\n\
         --- releases/2.0.yaml\n\
         +++ releases/2.0.yaml\n\
         @@ -23,5 +23,6 @@\n       \
         rc2: { status: failed, tester: ada, note: \"=1+1\" }\n     \
         a-logs:\n       \
         rc1: { status: skipped, tester: \"-bob\", note: \"Not on this cluster\" }\n\
         +      rc2: { status: passed, tester: bob, note: \"fine, after \\\"retry\\\"\\nsecond run\" }\n     \
         b-api:\n\
         -      rc1: { status: blocked, note: \"@waiting for access\" }\n\
         +      rc1: { status: failed, note: \"@waiting for access\" }\n\
         dry run: nothing written\n"
    );

    let mut bad = Book::open(&place.export());
    bad.set("b-api", "RC2 Status", "ok");
    place.put("bad.xlsx", &bad.save());
    let (code, stdout, stderr) = herald(
        &place,
        &[
            "results",
            "import",
            "books/alpha.xlsx",
            "books/bad.xlsx",
            "--dir",
            "releases",
        ],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "books/bad.xlsx: Tests!G6: error: `ok` is not a status (test `b-api`, RC2)\n  \
         = help: did you mean `passed`? (choose one of: not-run, passed, failed, blocked, skipped)\n\
         herald: 1 error in the workbooks; nothing written\n"
    );

    let (code, stdout, stderr) = herald(
        &place,
        &["results", "import", "books/none.xlsx", "--dir", "releases"],
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr, "herald: no workbook books/none.xlsx\n");
    assert!(std::fs::read(place.release_file()).unwrap() == before);
}

/// The Release Master's round trip: export, a team fills the copy, import, check, rebuild.
#[test]
fn an_import_edits_the_plan_in_place_and_reaches_the_magicbox_and_the_draft() {
    let place = Place::new();
    let before = std::fs::read_to_string(place.release_file()).unwrap();
    place.put("alpha.xlsx", &filled(&place.export()).save());
    let (code, stdout, stderr) = herald(
        &place,
        &["results", "import", "books/alpha.xlsx", "--dir", "releases"],
    );
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(
        stdout,
        "release 2.0.0 (releases/2.0.yaml): 2 results\n  alpha rc2: 1 passed\n  beta rc1: 1 failed\n"
    );
    let after = std::fs::read_to_string(place.release_file()).unwrap();
    // One line changed and one added; every other line (comments included) as it was.
    let expected = before
        .replace(
            "      rc1: { status: blocked, note: \"@waiting for access\" }",
            "      rc1: { status: failed, note: \"@waiting for access\" }",
        )
        .replace(
            "      rc1: { status: skipped, tester: \"-bob\", note: \"Not on this cluster\" }\n",
            "      rc1: { status: skipped, tester: \"-bob\", note: \"Not on this cluster\" }\n      rc2: { status: passed, tester: bob, note: \"fine, after \\\"retry\\\"\\nsecond run\" }\n",
        );
    assert_ne!(expected, before);
    assert_eq!(after, expected);

    // The plans still pass check, and the same copy imported again changes nothing.
    let (code, _, _) = herald(&place, &["check", "releases", "--today", "2030-03-08"]);
    assert_eq!(code, 0);
    let (code, stdout, _) = herald(
        &place,
        &["results", "import", "books/alpha.xlsx", "--dir", "releases"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "nothing to import: releases/2.0.yaml already holds every result of the workbooks\n"
    );
    assert_eq!(
        std::fs::read_to_string(place.release_file()).unwrap(),
        after
    );

    // The rebuilt MagicBox and the RC2 draft count the imported pass.
    let (code, _, stderr) = herald(
        &place,
        &[
            "build",
            "releases",
            "--out",
            "out",
            "--no-site",
            "--today",
            "2030-03-12",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(
        place
            .root
            .path()
            .join("out/wiki/releases/2.0.0/magicbox.md"),
    )
    .unwrap();
    let draft = std::fs::read_to_string(
        place
            .root
            .path()
            .join("out/wiki/releases/2.0.0/slack/manual-tests-rc2.md"),
    )
    .unwrap();
    let rc2 = &page[page
        .find("### RC2, 2030-03-12: 2 of 3 run, 1 failed")
        .expect("the RC2 section")..];
    assert!(
        rc2.contains("| Alpha | 1 | 1 | 0 | 0 | 0 | 1/2 (50%) |"),
        "{rc2}"
    );
    assert!(
        page.contains("| @SUM(1) | Beta | RC1 | failed | — |  | @waiting for access |"),
        "{page}"
    );
    assert!(
        draft.contains("*1 of 3 tests* are not run yet. So far 1 failed and 0 blocked."),
        "{draft}"
    );
    // Alpha's failed test needs a fix and a new run: Alpha keeps its line and is not thanked.
    assert!(
        draft.contains("• Alpha: 1 / 1 / 0 / *0*, 1 blocking"),
        "{draft}"
    );
    assert!(!draft.contains("Done, thank you"), "{draft}");
}

/// A skipped test before others in the catalogue must not shift whose team a change counts
/// for: the summary names the team of the test that changed.
#[test]
fn a_skipped_test_earlier_in_the_catalogue_does_not_shift_the_teams_of_the_summary() {
    let place = Place::new();
    place.edit_plan("skip: [b-skipped]", "skip: [a-login, b-skipped]");
    let mut book = Book::open(&place.export());
    book.set("b-api", "RC2 Status", "failed");
    let file = place.put("beta.xlsx", &book.save());
    let import = place.import(&[file], false);
    assert_eq!(summary(&import), ["beta rc2: 1 failed"]);
}

/// The header is found by its text below the title and instruction rows, so a copy whose
/// team deleted the instruction, or added rows above the table, imports the same results.
#[test]
fn the_header_is_found_wherever_rows_above_the_table_were_added_or_removed() {
    let place = Place::new();
    let export = place.export();
    let mut book = Book::open(&export);
    assert_eq!(
        book.header_row(),
        2,
        "title and instruction, groups, header"
    );
    assert!(book.tests()[0][0].starts_with("Manual tests of release 2.0.0"));

    let mut without = filled(&export);
    without.tests().remove(0);
    let mut with_more = filled(&export);
    let width = with_more.tests()[0].len();
    for _ in 0..2 {
        with_more
            .tests()
            .insert(0, vec!["our notes".to_owned(); width]);
    }
    for (name, copy, status_cell) in [
        ("without.xlsx", &without, "Tests!G4"),
        ("more.xlsx", &with_more, "Tests!G7"),
    ] {
        let file = place.put(name, &copy.save());
        let import = place.import(&[file], false);
        assert_eq!(place.findings(&import), Vec::<String>::new(), "{name}");
        assert_eq!(edits(&import), FILLED_EDITS, "{name}");
        assert_eq!(
            import.changes[0].cell, status_cell,
            "{name}: a-logs RC2 Status"
        );
    }

    // The untouched export reads its results where the layout put them: RC1 right after the
    // title, every candidate's status, tester and note side by side.
    let header = &book.tests()[2];
    assert_eq!(
        header[..9],
        [
            "ID",
            "Team",
            "Title",
            "RC1 Status",
            "RC1 Tester",
            "RC1 Note",
            "RC2 Status",
            "RC2 Tester",
            "RC2 Note"
        ]
    );
    let file = place.put("untouched.xlsx", &export);
    assert!(place.import(&[file], false).edits.is_empty());
}
