//! The three-way merge: a cell counts as changed where it differs from what the workbook
//! showed at export (for a CSV, which has no record, from the plan: a two-way import); a
//! change is taken unless the plan changed the same field since the export to another
//! value, or another copy changed it to another value: those are conflicts.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::read::{Copy, Grid, RecordCandidate};
use super::{Change, Field, Finding, Import, ResultEdit, Target, TeamSummary};
use crate::diag::show_path;
use crate::model::{Plans, Release, Status, TestId};
use crate::render::workbook::ID_HEADER;
use crate::render::workbook::record::{candidate_headers, shown};
use crate::yaml::{self, Node, NodeKind};

/// How many rows from the top of the sheet the header row is looked for in.
const HEADER_SEARCH_ROWS: usize = 20;
/// The words the title of a Tests sheet starts with, followed by the version.
const TITLE_PREFIX: &str = "Manual tests of release ";

/// A field's value as compared: a status by its name; a tester or note trimmed, empty when none.
type Value = String;

/// A field a copy changed: its value, the export-time value, and the cell.
struct Proposal<'c> {
    copy: &'c Copy,
    cell: String,
    value: Value,
    /// What the copy showed at export; `None` for a two-way (CSV) copy.
    base: Option<Value>,
}

/// The result cells of one (test, candidate, field), in the order the copies were given.
type Key = (TestId, String, Field);

/// Merges the copies into the release they are of. `force` takes a workbook's value where
/// the plan changed the same field since the export.
pub fn merge(plans: &Plans, copies: &[Copy], force: bool) -> Import {
    let mut import = Import::default();
    let Some(release) = target_release(plans, copies, &mut import.findings) else {
        return import;
    };
    import.target = Some(Target {
        version: release.version.value.to_string(),
        file: release.file.clone(),
    });
    let tests: HashMap<&TestId, usize> = plans
        .tests
        .iter()
        // The index is the test's place in the catalogue (`plans.tests`), skipped ones counted.
        .enumerate()
        .filter(|(_, t)| !release.skip.contains(&t.id))
        .map(|(i, t)| (&t.id, i))
        .collect();

    let mut proposals: BTreeMap<Key, Vec<Proposal>> = BTreeMap::new();
    for copy in copies {
        if copy.record.is_none() {
            import.findings.push(Finding::note(
                &copy.path,
                "a CSV has no record of the export: two-way import; every cell that differs from \
                 the plan is taken, also where the plan changed since the export",
            ));
        }
        read_copy(release, &tests, copy, &mut proposals, &mut import.findings);
    }

    let located = plans
        .sources
        .get(&release.file)
        .and_then(|text| yaml::parse(&release.file, text).ok());
    let mut changed: BTreeMap<(usize, usize), Vec<Change>> = BTreeMap::new();
    let candidate_index = |name: &str| {
        release
            .schedule
            .candidates
            .iter()
            .position(|c| c.name.value == name)
    };
    for ((test, candidate, field), found) in &proposals {
        let current = plan_value(release, test, candidate, *field);
        let first = &found[0];
        if let Some(other) = found.iter().find(|p| p.value != first.value) {
            import.findings.push(
                Finding::error(
                    &first.copy.path,
                    Some(first.cell.clone()),
                    format!(
                        "conflict: copies disagree on the {} {} of test `{}`: `{}` here, `{}` in {} ({})",
                        candidate.to_uppercase(),
                        field.as_str(),
                        test.0,
                        first.value,
                        other.value,
                        show_path(&other.copy.path),
                        other.cell
                    ),
                )
                .with_help("agree on one value, fix the other copy, and import again"),
            );
            continue;
        }
        if first.value == shown(&current) {
            continue;
        }
        let moved = found
            .iter()
            .find(|p| p.base.as_ref().is_some_and(|b| *b != shown(&current)));
        if let (Some(p), false) = (moved, force) {
            let place = plan_place(located.as_ref(), &release.file, test, candidate, *field);
            import.findings.push(
                Finding::error(
                    &p.copy.path,
                    Some(p.cell.clone()),
                    format!(
                        "conflict: the workbook changes the {} {} of test `{}` from `{}` to `{}`, \
                         but the plan changed it since the export to `{}` ({place})",
                        candidate.to_uppercase(),
                        field.as_str(),
                        test.0,
                        p.base.as_deref().unwrap_or(""),
                        p.value,
                        current
                    ),
                )
                .with_help(
                    "fix the cell or the plan so they agree, or pass --force to take the workbook's value",
                ),
            );
            continue;
        }
        let (Some(&t), Some(c)) = (tests.get(test), candidate_index(candidate)) else {
            continue;
        };
        let team = plans.tests[t].team.clone();
        changed.entry((t, c)).or_default().push(Change {
            test: test.clone(),
            team,
            candidate: candidate.clone(),
            field: *field,
            from: current,
            to: first.value.clone(),
            file: first.copy.path.clone(),
            cell: first.cell.clone(),
        });
    }

    // In the order of the workbook's rows: team, then id, as the Tests sheet sorts them.
    let mut order: Vec<(usize, usize)> = changed.keys().copied().collect();
    order.sort_by(|a, b| {
        let (ta, tb) = (&plans.tests[a.0], &plans.tests[b.0]);
        (&ta.team, &ta.id, a.1).cmp(&(&tb.team, &tb.id, b.1))
    });
    let mut summary: BTreeMap<(crate::model::TeamId, usize), TeamSummary> = BTreeMap::new();
    for key in order {
        let fields = &changed[&key];
        let first = &fields[0];
        let mut edit = current_result(release, &first.test, &first.candidate);
        for change in fields {
            match change.field {
                Field::Status => {
                    edit.status = Status::parse(&change.to).unwrap_or(Status::NotRun);
                }
                Field::Tester => edit.tester = some(&change.to),
                Field::Note => edit.note = some(&change.to),
            }
        }
        let entry = summary
            .entry((first.team.clone(), key.1))
            .or_insert_with(|| TeamSummary {
                team: first.team.clone(),
                candidate: first.candidate.clone(),
                statuses: Vec::new(),
                details: 0,
            });
        if fields.iter().any(|c| c.field == Field::Status) {
            match entry.statuses.iter_mut().find(|(s, _)| *s == edit.status) {
                Some((_, n)) => *n += 1,
                None => entry.statuses.push((edit.status, 1)),
            }
        } else {
            entry.details += 1;
        }
        import.edits.push(edit);
        import.changes.extend(fields.iter().cloned());
    }
    import.summary = summary
        .into_values()
        .map(|mut s| {
            s.statuses
                .sort_by_key(|(status, _)| Status::BY_PROGRESS.iter().position(|p| p == status));
            s
        })
        .collect();
    import
}

fn some(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// The release every copy is of; findings for copies of no known release or of different ones.
fn target_release<'p>(
    plans: &'p Plans,
    copies: &[Copy],
    findings: &mut Vec<Finding>,
) -> Option<&'p Release> {
    let mut target: Option<(&'p Release, &Copy)> = None;
    let known: Vec<String> = plans
        .releases
        .iter()
        .map(|r| r.version.value.to_string())
        .collect();
    let mut failed = false;
    for copy in copies {
        let Some(version) = copy_release(copy, findings) else {
            failed = true;
            continue;
        };
        let Some(release) = plans
            .releases
            .iter()
            .find(|r| r.version.value.to_string() == version)
        else {
            findings.push(
                Finding::error(
                    &copy.path,
                    None,
                    format!(
                        "the workbook is of release {version}, which is not in {}; the releases are: {}",
                        show_path(&plans.dir),
                        if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                    ),
                )
                .with_help("import it into the plans folder of that release (--dir)"),
            );
            failed = true;
            continue;
        };
        match target {
            None => target = Some((release, copy)),
            Some((first, first_copy)) if first.version.value != release.version.value => {
                findings.push(
                    Finding::error(
                        &copy.path,
                        None,
                        format!(
                            "the workbook is of release {}, but {} is of release {}",
                            release.version.value,
                            show_path(&first_copy.path),
                            first.version.value
                        ),
                    )
                    .with_help("import the workbooks of one release at a time"),
                );
                failed = true;
            }
            Some(_) => {}
        }
    }
    if failed {
        return None;
    }
    target.map(|(r, _)| r)
}

/// The version a copy says it is of: its record, or for a CSV the title above the table.
fn copy_release(copy: &Copy, findings: &mut Vec<Finding>) -> Option<String> {
    if let Some(record) = &copy.record {
        return Some(record.release.clone());
    }
    let title = copy
        .tests
        .cells
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .flatten()
        .find_map(|cell| cell.trim().strip_prefix(TITLE_PREFIX));
    match title {
        Some(rest) => Some(rest.split_whitespace().next().unwrap_or("").to_owned()),
        None => {
            findings.push(
                Finding::error(
                    &copy.path,
                    None,
                    format!(
                        "cannot tell which release the CSV is of: no cell says `{TITLE_PREFIX}…`"
                    ),
                )
                .with_help(
                    "export the Tests sheet with its first row (the title herald wrote above the table)",
                ),
            );
            None
        }
    }
}

/// The columns of one candidate in a copy: status, tester and note, where found.
struct Columns<'c> {
    name: &'c str,
    at: [Option<usize>; 3],
}

/// Reads the result cells of one copy into proposals: the fields that differ from its base.
fn read_copy<'c>(
    release: &Release,
    tests: &HashMap<&TestId, usize>,
    copy: &'c Copy,
    proposals: &mut BTreeMap<Key, Vec<Proposal<'c>>>,
    findings: &mut Vec<Finding>,
) {
    let grid = &copy.tests;
    let id_header = copy
        .record
        .as_ref()
        .map_or(ID_HEADER, |r| r.id_header.as_str());
    let Some((header_row, id_col)) = find_header(grid, id_header) else {
        findings.push(
            Finding::error(
                &copy.path,
                None,
                format!(
                    "no column `{id_header}` in the first {HEADER_SEARCH_ROWS} rows{}",
                    grid.sheet
                        .as_ref()
                        .map(|s| format!(" of the sheet `{s}`"))
                        .unwrap_or_default()
                ),
            )
            .with_help("rows are matched by test id: keep the ID column and its header"),
        );
        return;
    };
    let mut headers: HashMap<String, usize> = HashMap::new();
    for (col, text) in grid.cells[header_row].iter().enumerate() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if let Some(&before) = headers.get(text) {
            findings.push(
                Finding::error(
                    &copy.path,
                    Some(grid.cell_name(header_row, col)),
                    format!(
                        "the header `{text}` is also the header of {}",
                        grid.cell_name(header_row, before)
                    ),
                )
                .with_help("columns are matched by header: rename or delete one of them"),
            );
            return;
        }
        headers.insert(text.to_owned(), col);
    }

    let in_plan: Vec<RecordCandidate> = release
        .schedule
        .candidates
        .iter()
        .map(|c| RecordCandidate {
            name: c.name.value.clone(),
            headers: candidate_headers(c),
        })
        .collect();
    let listed = copy.record.as_ref().map_or(&in_plan, |r| &r.candidates);
    let mut columns = Vec::new();
    for candidate in listed {
        if !in_plan.iter().any(|c| c.name == candidate.name) {
            findings.push(Finding::warning(
                &copy.path,
                None,
                format!(
                    "the candidate {} is not in release {} any more; its columns are ignored",
                    candidate.name, release.version.value
                ),
            ));
            continue;
        }
        let at = candidate
            .headers
            .clone()
            .map(|h| headers.get(h.trim()).copied());
        for (field, (col, header)) in Field::ALL.iter().zip(at.iter().zip(&candidate.headers)) {
            if col.is_none() {
                findings.push(Finding::warning(
                    &copy.path,
                    None,
                    format!(
                        "no column `{header}`: the {} {}s are not imported from this copy",
                        candidate.name.to_uppercase(),
                        field.as_str()
                    ),
                ));
            }
        }
        columns.push(Columns {
            name: &candidate.name,
            at,
        });
    }

    // Sorted, so that "did you mean" picks the same id on every run.
    let mut ids: Vec<&str> = tests.keys().map(|t| t.0.as_str()).collect();
    ids.sort_unstable();
    for row in header_row + 1..grid.cells.len() {
        let id = grid.text(row, id_col).trim();
        if id.is_empty() {
            continue;
        }
        let test = TestId(id.to_owned());
        if !tests.contains_key(&test) {
            let why = if release.skip.contains(&test) {
                format!("is skipped in release {}", release.version.value)
            } else {
                format!("is not in release {}", release.version.value)
            };
            let mut finding = Finding::warning(
                &copy.path,
                Some(grid.cell_name(row, id_col)),
                format!("test `{id}` {why}; its row is ignored"),
            );
            if let Some(close) = closest(id, &ids) {
                finding = finding.with_help(format!("did you mean `{close}`?"));
            }
            findings.push(finding);
            continue;
        }
        for candidate in &columns {
            let recorded = copy
                .record
                .as_ref()
                .map(|r| r.results.get(&(test.clone(), candidate.name.to_owned())));
            for (k, field) in Field::ALL.into_iter().enumerate() {
                let Some(col) = candidate.at[k] else {
                    continue;
                };
                let raw = grid.text(row, col);
                let value = match field {
                    Field::Status => match read_status(raw) {
                        Ok(status) => status.as_str().to_owned(),
                        Err(help) => {
                            findings.push(
                                Finding::error(
                                    &copy.path,
                                    Some(grid.cell_name(row, col)),
                                    format!(
                                        "`{raw}` is not a status (test `{id}`, {})",
                                        candidate.name.to_uppercase()
                                    ),
                                )
                                .with_help(help),
                            );
                            continue;
                        }
                    },
                    _ => raw.trim().to_owned(),
                };
                let base = match &recorded {
                    Some(Some(shown)) => Some(normalise(field, &shown[k])),
                    Some(None) => Some(normalise(field, "")),
                    None => None,
                };
                let differs = match &base {
                    Some(b) => *b != value,
                    None => value != shown(&plan_value(release, &test, candidate.name, field)),
                };
                if differs {
                    proposals
                        .entry((test.clone(), candidate.name.to_owned(), field))
                        .or_default()
                        .push(Proposal {
                            copy,
                            cell: grid.cell_name(row, col),
                            value,
                            base,
                        });
                }
            }
        }
    }
}

/// The row holding the id header, and its column.
fn find_header(grid: &Grid, id_header: &str) -> Option<(usize, usize)> {
    grid.cells
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(r, row)| {
            row.iter()
                .position(|c| c.trim() == id_header)
                .map(|c| (r, c))
        })
}

/// A recorded value as compared: a blank status is not run.
fn normalise(field: Field, value: &str) -> Value {
    let value = value.trim();
    match field {
        Field::Status if value.is_empty() => Status::NotRun.as_str().to_owned(),
        _ => value.to_owned(),
    }
}

/// A status cell: one of the five, trimmed and in any case (`Passed ` is `passed`); blank
/// is not run. Otherwise the help for the error: the status meant, or the five.
fn read_status(raw: &str) -> Result<Status, String> {
    let wanted = raw.trim().to_lowercase();
    if wanted.is_empty() {
        return Ok(Status::NotRun);
    }
    if let Some(status) = Status::parse(&wanted) {
        return Ok(status);
    }
    let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let one_of = format!("choose one of: {}", all.join(", "));
    let meant = match wanted.as_str() {
        "ok" | "pass" | "success" | "succeeded" | "done" | "green" | "yes" | "✓" | "✔" => {
            Some(Status::Passed)
        }
        "fail" | "ko" | "error" | "broken" | "red" | "no" | "✗" | "✘" => Some(Status::Failed),
        "block" | "blocker" | "waiting" => Some(Status::Blocked),
        "skip" | "n/a" | "na" | "not applicable" => Some(Status::Skipped),
        "not run" | "notrun" | "not_run" | "todo" | "open" | "-" => Some(Status::NotRun),
        _ => closest(&wanted, &all).and_then(Status::parse),
    };
    Err(match meant {
        Some(status) => format!("did you mean `{}`? ({one_of})", status.as_str()),
        None => one_of,
    })
}

/// The known name closest to `wanted`, when it is close enough to be a slip.
fn closest<'a>(wanted: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(wanted, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

/// The plan's result now, as an edit that changes nothing yet.
fn current_result(release: &Release, test: &TestId, candidate: &str) -> ResultEdit {
    let result = release.result(test, candidate);
    ResultEdit {
        test: test.clone(),
        candidate: candidate.to_owned(),
        status: result.map_or(Status::NotRun, |r| r.status),
        tester: result.and_then(|r| r.tester.clone()),
        note: result.and_then(|r| r.note.clone()),
    }
}

/// The plan's value of a field now.
fn plan_value(release: &Release, test: &TestId, candidate: &str, field: Field) -> Value {
    let result = release.result(test, candidate);
    match field {
        Field::Status => result
            .map_or(Status::NotRun, |r| r.status)
            .as_str()
            .to_owned(),
        Field::Tester => result
            .and_then(|r| r.tester.as_deref())
            .unwrap_or("")
            .trim()
            .to_owned(),
        Field::Note => result
            .and_then(|r| r.note.as_deref())
            .unwrap_or("")
            .trim()
            .to_owned(),
    }
}

/// `releases/2.0.yaml:31`: where the plan writes the field, or the nearest part of it.
fn plan_place(
    located: Option<&Node>,
    file: &Path,
    test: &TestId,
    candidate: &str,
    field: Field,
) -> String {
    let path = [
        "manual_tests",
        "results",
        &test.0,
        candidate,
        field.as_str(),
    ];
    let mut line = 1;
    let mut node = located;
    for key in path {
        let Some(NodeKind::Map(entries)) = node.map(|n| &n.kind) else {
            break;
        };
        match entries.iter().find(|(k, _)| k.name == key) {
            Some((k, value)) => {
                line = k.loc.line;
                node = Some(value);
            }
            None => break,
        }
    }
    format!("{}:{line}", show_path(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_trimmed_in_any_case() {
        assert_eq!(read_status("passed"), Ok(Status::Passed));
        assert_eq!(read_status("Passed "), Ok(Status::Passed));
        assert_eq!(read_status(" NOT-RUN"), Ok(Status::NotRun));
        assert_eq!(read_status(""), Ok(Status::NotRun));
    }

    #[test]
    fn other_statuses_say_what_was_meant() {
        let five = "choose one of: not-run, passed, failed, blocked, skipped";
        assert_eq!(
            read_status("ok"),
            Err(format!("did you mean `passed`? ({five})"))
        );
        assert_eq!(
            read_status("faild"),
            Err(format!("did you mean `failed`? ({five})"))
        );
        assert_eq!(
            read_status("not run"),
            Err(format!("did you mean `not-run`? ({five})"))
        );
        assert_eq!(read_status("42"), Err(five.to_owned()));
    }
}
