//! Edits a command asks of a plans folder: what they name is checked against the plans, the
//! edited folder must pass `check` before anything is written, and the release file is
//! replaced atomically.

use std::path::PathBuf;

use jiff::civil::Date;

use super::release::yaml_field as field;
use super::{FieldEdit, ResultEdit, add_sent, set_result};
use crate::diag::{self, Diagnostic, Diagnostics, Severity, Sources};
use crate::load::did_you_mean;
use crate::model::{Release, Status, TestId};
use crate::plan::{DraftKind, is_sent};
use crate::write::Written;
use crate::yaml::NodeKind;
use crate::{LoadError, Project};

/// A release file's text before and after an edit that passed `check`.
#[derive(Debug)]
pub struct PlanEdit {
    pub file: PathBuf,
    pub before: String,
    pub after: String,
    /// Warnings about what the edit wrote (a result for a skipped test), as `check` words them.
    pub warnings: Diagnostics,
    /// The edited plans' sources, to show the warnings with their lines.
    pub sources: Sources,
}

impl PlanEdit {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }

    /// Replaces the file atomically, unless it changed since it was read.
    pub fn write(&self) -> Result<Written, Refused> {
        let now = std::fs::read(&self.file).map_err(|e| Refused::Write {
            file: self.file.clone(),
            error: e.to_string(),
        })?;
        if now != self.before.as_bytes() {
            return Err(Refused::Write {
                file: self.file.clone(),
                error: "it changed since herald read it; run the command again".to_owned(),
            });
        }
        crate::write::write_file(&self.file, self.after.as_bytes()).map_err(|e| Refused::Write {
            file: self.file.clone(),
            error: e.to_string(),
        })
    }
}

/// Why an edit was not made; nothing was written.
#[derive(Debug)]
pub enum Refused {
    /// The command names something the release does not have (a usage error).
    Unknown(String),
    /// The file cannot be edited in place there.
    Edit {
        diag: Diagnostic,
        sources: Sources,
    },
    /// The edited plans would not pass `check`.
    Check {
        diags: Diagnostics,
        sources: Sources,
    },
    Load(LoadError),
    Write {
        file: PathBuf,
        error: String,
    },
}

impl Refused {
    /// A mistake in the command's arguments rather than in the plans.
    pub fn is_usage(&self) -> bool {
        matches!(self, Refused::Unknown(_))
    }

    /// What to tell the user, for stderr.
    pub fn report(&self) -> String {
        match self {
            Refused::Unknown(message) => format!("herald: {message}\n"),
            Refused::Edit { diag, sources } => {
                let mut diags = Diagnostics::default();
                diags.push(diag.clone());
                format!(
                    "{}herald: nothing was written\n",
                    diag::render_human(&diags, sources)
                )
            }
            Refused::Check { diags, sources } => format!(
                "{}herald: the edit would give the plans {}; nothing was written\n",
                diag::render_human(diags, sources),
                plural(diags.errors(), "error")
            ),
            Refused::Load(e) => format!("herald: {e}\n"),
            Refused::Write { file, error } => {
                format!("herald: cannot write {}: {error}\n", diag::show_path(file))
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `name` is not one of `known`: says so, with the closest one or the list.
fn unknown(what: String, name: &str, known: &[&str], listed: &str) -> Refused {
    let hint = match did_you_mean(name, known) {
        Some(close) => format!(" (did you mean `{close}`?)"),
        None => String::new(),
    };
    let list = if known.is_empty() {
        "none".to_owned()
    } else {
        known.join(", ")
    };
    Refused::Unknown(format!("{what}{hint}; {listed}: {list}"))
}

/// A draft marked as posted, or already marked.
#[derive(Debug)]
pub struct Marked {
    /// The entry of `sent`: `approvals@2026-11-26` for a draft that recurs daily, the id
    /// otherwise.
    pub entry: String,
    pub edit: PlanEdit,
}

/// Marks the draft `id` of `release` as posted on `on`.
pub fn mark_sent(
    project: &Project,
    release: &Release,
    id: &str,
    on: Date,
) -> Result<Marked, Refused> {
    let candidates: Vec<&str> = release
        .schedule
        .candidates
        .iter()
        .map(|c| c.name.value.as_str())
        .collect();
    let Some(kind) = DraftKind::parse(id, &candidates) else {
        let ids: Vec<String> = DraftKind::all(&candidates)
            .iter()
            .map(DraftKind::id)
            .collect();
        let known: Vec<&str> = ids.iter().map(String::as_str).collect();
        return Err(unknown(
            format!("release {} has no draft `{id}`", release.version.value),
            id,
            &known,
            "its drafts are",
        ));
    };
    let entry = if kind.sent_with_date() {
        format!("{}@{on}", kind.id())
    } else {
        kind.id()
    };
    let before = source(project, release)?;
    let after = if is_sent(release, &kind, on) {
        before.clone()
    } else {
        add_sent(&release.file, &before, &entry)
            .map_err(|diag| edit_refused(release, &before, diag))?
    };
    Ok(Marked {
        entry,
        edit: checked(project, release, before, after, None)?,
    })
}

/// A result recorded, with what it replaced.
#[derive(Debug)]
pub struct Recorded {
    pub previous: Option<Status>,
    pub edit: PlanEdit,
}

/// Records the result of `test` on `candidate`: the status, and the tester and note when
/// given (those not given are removed: a result is recorded whole).
pub fn record_result(
    project: &Project,
    release: &Release,
    test: &str,
    candidate: &str,
    status: &str,
    tester: Option<&str>,
    note: Option<&str>,
) -> Result<Recorded, Refused> {
    let Some(status) = Status::parse(status) else {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        return Err(unknown(
            format!("unknown status `{status}`"),
            status,
            &names,
            "a status is one of",
        ));
    };
    let plans = project.plans();
    if plans.test(&TestId(test.to_owned())).is_none() {
        let known: Vec<&str> = plans.tests.iter().map(|t| t.id.0.as_str()).collect();
        return Err(unknown(
            format!(
                "no test `{test}` in {}",
                diag::show_path(&plans.dir.join(crate::load::TESTS_FILE))
            ),
            test,
            &known,
            "the tests are",
        ));
    }
    let candidates: Vec<&str> = release
        .schedule
        .candidates
        .iter()
        .map(|c| c.name.value.as_str())
        .collect();
    if !candidates.contains(&candidate) {
        return Err(unknown(
            format!(
                "release {} has no candidate `{candidate}`",
                release.version.value
            ),
            candidate,
            &candidates,
            "its candidates are",
        ));
    }
    let given = |v: Option<&str>| match v {
        Some(v) if !v.is_empty() => FieldEdit::Set(v.to_owned()),
        _ => FieldEdit::Remove,
    };
    let wanted = ResultEdit {
        test: test.to_owned(),
        candidate: candidate.to_owned(),
        status,
        tester: given(tester),
        note: given(note),
    };
    let before = source(project, release)?;
    let after = set_result(&release.file, &before, &wanted)
        .map_err(|diag| edit_refused(release, &before, diag))?;
    // A warning about the test (it is skipped) is shown whenever one of its results is set.
    let test_line = crate::yaml::parse(&release.file, &after)
        .ok()
        .and_then(|root| {
            let results = field(field(&root, "manual_tests")?, "results")?;
            match &results.kind {
                NodeKind::Map(tests) => tests
                    .iter()
                    .find(|(k, _)| k.name == test)
                    .map(|(k, _)| k.loc.line),
                _ => None,
            }
        });
    Ok(Recorded {
        previous: release
            .result(&TestId(test.to_owned()), candidate)
            .map(|r| r.status),
        edit: checked(project, release, before, after, test_line)?,
    })
}

/// Records many results of `release` at once (a workbook's import), in place, checked as one
/// edit. The tests and candidates are the caller's to have checked.
pub fn record_results(
    project: &Project,
    release: &Release,
    edits: &[ResultEdit],
) -> Result<PlanEdit, Refused> {
    let before = source(project, release)?;
    let mut after = before.clone();
    for edit in edits {
        after = set_result(&release.file, &after, edit)
            .map_err(|diag| edit_refused(release, &after, diag))?;
    }
    checked(project, release, before, after, None)
}

fn source(project: &Project, release: &Release) -> Result<String, Refused> {
    project
        .plans()
        .sources
        .get(&release.file)
        .map(str::to_owned)
        .ok_or_else(|| Refused::Write {
            file: release.file.clone(),
            error: "its text was not read".to_owned(),
        })
}

fn edit_refused(release: &Release, text: &str, diag: Diagnostic) -> Refused {
    let mut sources = Sources::default();
    sources.insert(release.file.clone(), text.to_owned());
    Refused::Edit { diag, sources }
}

/// The lines of `after` that differ from `before`, as `check` numbers them.
fn changed_lines(before: &str, after: &str) -> std::ops::RangeInclusive<u32> {
    let prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = before[prefix..]
        .bytes()
        .rev()
        .zip(after[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let line = |at: usize| {
        let mut line = 1u32;
        let mut rest = &after[..at];
        while let Some((i, len)) = diag::next_line_break(rest) {
            line = line.saturating_add(1);
            rest = &rest[i + len..];
        }
        line
    };
    line(prefix)..=line(after.len() - suffix)
}

/// The edit, once the plans pass `check` with it, with the warnings on the lines it wrote
/// (and on `also`).
fn checked(
    project: &Project,
    release: &Release,
    before: String,
    after: String,
    also: Option<u32>,
) -> Result<PlanEdit, Refused> {
    let file = release.file.clone();
    if before == after {
        return Ok(PlanEdit {
            file,
            before,
            after,
            warnings: Diagnostics::default(),
            sources: Sources::default(),
        });
    }
    let edited = project.with_file(&file, &after).map_err(Refused::Load)?;
    let sources = edited.plans().sources.clone();
    if edited.has_errors() {
        let mut diags = Diagnostics::default();
        diags.extend(
            edited
                .diagnostics()
                .items()
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned(),
        );
        diags.finish();
        return Err(Refused::Check { diags, sources });
    }
    let lines = changed_lines(&before, &after);
    let mut warnings = Diagnostics::default();
    warnings.extend(
        edited
            .diagnostics()
            .items()
            .iter()
            .filter(|d| d.file == file && (lines.contains(&d.loc.line) || also == Some(d.loc.line)))
            .cloned(),
    );
    warnings.finish();
    Ok(PlanEdit {
        file,
        before,
        after,
        warnings,
        sources,
    })
}
