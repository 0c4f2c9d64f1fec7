//! Diagnostics: what `check` reports, with the place in the source it points at.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A place in a source file: 1-based line and column, and the length of the marked text in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub len: u32,
}

impl Loc {
    pub fn new(line: u32, column: u32, len: u32) -> Self {
        Loc { line, column, len }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in the plans, pointing at a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    #[serde(flatten)]
    pub loc: Loc,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &Path, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            loc,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: &Path, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, loc, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn sort_key(&self) -> (&Path, u32, u32, Severity, &str) {
        (
            &self.file,
            self.loc.line,
            self.loc.column,
            self.severity,
            &self.message,
        )
    }
}

/// Every diagnostic of one run, sorted by file and position.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Sorts and removes exact repeats, so output does not depend on the order rules ran in.
    pub fn finish(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
    }

    /// Turns warnings into errors (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }
}

/// The text of every file that was read, to quote the offending line under a diagnostic.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.files.insert(path, text);
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

/// Finds source lines for diagnostics sorted by file and line, scanning each file once.
struct LineCursor<'s> {
    sources: &'s Sources,
    file: Option<&'s Path>,
    /// The 1-based line that starts at `rest`.
    line: u32,
    rest: &'s str,
}

impl<'s> LineCursor<'s> {
    fn new(sources: &'s Sources) -> Self {
        LineCursor {
            sources,
            file: None,
            line: 1,
            rest: "",
        }
    }

    fn line(&mut self, path: &'s Path, line: u32) -> Option<&'s str> {
        if self.file != Some(path) || line < self.line {
            let (key, text) = self.sources.files.get_key_value(path)?;
            self.file = Some(key.as_path());
            self.line = 1;
            self.rest = text;
        }
        while self.line < line {
            let next = self.rest.find('\n')?;
            self.rest = &self.rest[next + 1..];
            self.line += 1;
        }
        let end = self.rest.find('\n').unwrap_or(self.rest.len());
        Some(self.rest[..end].trim_end_matches('\r'))
    }
}

/// The longest source line quoted under a diagnostic; longer lines are cut around the column.
const MAX_QUOTED_CHARS: usize = 200;

/// `path:line:column: error: message`, the source line, a caret under the problem, and a hint.
pub fn render_human(diags: &Diagnostics, sources: &Sources) -> String {
    let mut out = String::new();
    let mut lines = LineCursor::new(sources);
    for d in diags.items() {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {}",
            d.file.display(),
            d.loc.line,
            d.loc.column,
            d.severity.as_str(),
            d.message
        );
        if let Some(line) = lines.line(&d.file, d.loc.line) {
            let (shown, col) = quote_line(line, d.loc.column as usize);
            let width = d.loc.line.to_string().len();
            let marks =
                (d.loc.len as usize).clamp(1, shown.chars().count().saturating_sub(col).max(1));
            let _ = writeln!(out, "{:width$} |", "");
            let _ = writeln!(out, "{} | {}", d.loc.line, shown);
            let _ = writeln!(
                out,
                "{:width$} | {}{}",
                "",
                " ".repeat(col),
                "^".repeat(marks)
            );
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out.push('\n');
    }
    out
}

/// Cuts a long line to a window around `column` (1-based) and replaces tabs and control
/// characters, so the caret lines up. Returns the text and the caret's 0-based position.
fn quote_line(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let col = column.saturating_sub(1).min(chars.len());
    if chars.len() <= MAX_QUOTED_CHARS {
        return (chars.into_iter().collect(), col);
    }
    let start = col.saturating_sub(MAX_QUOTED_CHARS / 2);
    let end = (start + MAX_QUOTED_CHARS).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, col - start + usize::from(start > 0))
}

/// GitHub Actions workflow commands, one per diagnostic, so pull requests show them on the line.
pub fn render_github(diags: &Diagnostics) -> String {
    let mut out = String::new();
    for d in diags.items() {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(" (help: ");
            message.push_str(help);
            message.push(')');
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},col={}::{}",
            d.severity.as_str(),
            escape_github_property(&d.file.display().to_string()),
            d.loc.line,
            d.loc.column,
            escape_github_data(&message)
        );
    }
    out
}

fn escape_github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// A JSON document: `{"diagnostics": [...], "errors": n, "warnings": n}`.
pub fn render_json(diags: &Diagnostics) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        diagnostics: &'a [Diagnostic],
        errors: usize,
        warnings: usize,
    }
    let report = Report {
        diagnostics: diags.items(),
        errors: diags.errors(),
        warnings: diags.warnings(),
    };
    serde_json::to_string_pretty(&report).expect("diagnostics serialize to JSON") + "\n"
}

/// `N errors, M warnings in K files`.
pub fn summary_line(diags: &Diagnostics, files: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {} in {}",
        plural(diags.errors(), "error"),
        plural(diags.warnings(), "warning"),
        plural(files, "file")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_line_with_caret_under_column() {
        let mut sources = Sources::default();
        sources.insert("a.yaml".into(), "one: 1\ntwo: oops\n".into());
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::error(Path::new("a.yaml"), Loc::new(2, 6, 4), "bad value")
                .with_help("write a number"),
        );
        let text = render_human(&diags, &sources);
        assert_eq!(
            text,
            "a.yaml:2:6: error: bad value\n  |\n2 | two: oops\n  |      ^^^^\n  = help: write a number\n\n"
        );
    }

    #[test]
    fn github_annotations_escape_newlines_and_commas() {
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::warning(
            Path::new("a,b.yaml"),
            Loc::new(1, 2, 1),
            "x\ny%",
        ));
        assert_eq!(
            render_github(&diags),
            "::warning file=a%2Cb.yaml,line=1,col=2::x%0Ay%25\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(1000);
        let (shown, col) = quote_line(&line, 600);
        assert!(shown.chars().count() <= MAX_QUOTED_CHARS + 2);
        assert_eq!(shown.chars().nth(col), Some('x'));
    }
}
