//! Diagnostics: what `check` reports, with the place in the source it points at.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

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
    #[serde(serialize_with = "serialize_path")]
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
            // The parser skips a byte-order mark, so columns count from after it.
            self.rest = text.strip_prefix('\u{feff}').unwrap_or(text);
        }
        while self.line < line {
            let (at, len) = next_line_break(self.rest)?;
            self.rest = &self.rest[at + len..];
            self.line += 1;
        }
        let end = next_line_break(self.rest).map_or(self.rest.len(), |(at, _)| at);
        Some(&self.rest[..end])
    }
}

/// The first line break of `text` and its length: `\r\n`, `\n` or a lone `\r`, as YAML 1.2
/// and the parser count them, so quoted lines agree with the line numbers.
pub fn next_line_break(text: &str) -> Option<(usize, usize)> {
    let at = text.find(['\n', '\r'])?;
    let len = if text[at..].starts_with("\r\n") { 2 } else { 1 };
    Some((at, len))
}

/// The lines of `text`, split at every kind of line break [`next_line_break`] knows.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match next_line_break(text) {
            Some((at, len)) => {
                rest = Some(&text[at + len..]);
                Some(&text[..at])
            }
            None => {
                rest = None;
                (!text.is_empty()).then_some(text)
            }
        }
    })
}

/// The Unicode name of a character that can make text look like other text: bidirectional
/// controls reorder what follows them, zero-width characters hide inside it.
pub fn disguising_char_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        _ => return None,
    })
}

/// Characters a terminal or a log viewer would act on or hide rather than show: control
/// characters (C0, DEL, C1), line and paragraph separators, and disguising characters.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || disguising_char_name(c).is_some()
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Text made safe to print: control and disguising characters written as `\u{1b}`, `\n`, ….
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path made safe to print: bytes that are not UTF-8 as `\xff`, control and disguising
/// characters escaped, so a file name cannot split a `path:line:column` line.
pub fn show_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(&escape_text(chunk.valid()));
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        escape_text(&path.to_string_lossy()).into_owned()
    }
}

/// JSON keeps a UTF-8 path as it is (serde escapes its control characters); any other path
/// is written as [`show_path`] shows it, rather than failing.
fn serialize_path<S: Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    match path.to_str() {
        Some(text) => serializer.serialize_str(text),
        None => serializer.serialize_str(&show_path(path)),
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
            show_path(&d.file),
            d.loc.line,
            d.loc.column,
            d.severity.as_str(),
            escape_text(&d.message)
        );
        if let Some(line) = lines.line(&d.file, d.loc.line) {
            let (shown, col, marks) = quote_line(line, d.loc.column as usize, d.loc.len as usize);
            let width = d.loc.line.to_string().len();
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
            let _ = writeln!(out, "  = help: {}", escape_text(help));
        }
        out.push('\n');
    }
    out
}

/// Cuts a long line to a window around `column` (1-based) and shows tabs as spaces and
/// control and disguising characters escaped, so the caret lines up and nothing is hidden.
/// Returns the text, the caret's 0-based position and how many carets mark `len` chars.
fn quote_line(line: &str, column: usize, len: usize) -> (String, usize, usize) {
    // Each char of the line as shown, and where it starts in the shown text.
    let mut shown: Vec<char> = Vec::with_capacity(line.len());
    let mut starts: Vec<usize> = Vec::with_capacity(line.len() + 1);
    let mut escaped = String::new();
    for c in line.chars() {
        starts.push(shown.len());
        if c == '\t' {
            shown.push(' ');
        } else if needs_escape(c) {
            escaped.clear();
            push_escaped(&mut escaped, c);
            shown.extend(escaped.chars());
        } else {
            shown.push(c);
        }
    }
    starts.push(shown.len());
    let first = column.saturating_sub(1).min(starts.len() - 1);
    let last = (first + len.max(1)).min(starts.len() - 1);
    let col = starts[first];
    let marks = starts[last].saturating_sub(col);
    if shown.len() <= MAX_QUOTED_CHARS {
        return (shown.into_iter().collect(), col, marks.max(1));
    }
    let start = col.saturating_sub(MAX_QUOTED_CHARS / 2);
    let end = (start + MAX_QUOTED_CHARS).min(shown.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&shown[start..end]);
    if end < shown.len() {
        text.push('…');
    }
    let prefix = usize::from(start > 0);
    let marks = marks.min(end.saturating_sub(col)).max(1);
    (text, col - start + prefix, marks)
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
        // GitHub's own escapes first (line breaks stay line breaks in the annotation), then
        // every other control or disguising character made visible.
        let file = match d.file.to_str() {
            Some(text) => escape_text(&escape_github_property(text)).into_owned(),
            None => escape_github_property(&show_path(&d.file)),
        };
        let _ = writeln!(
            out,
            "::{} file={file},line={},col={}::{}",
            d.severity.as_str(),
            d.loc.line,
            d.loc.column,
            escape_text(&escape_github_data(&message))
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
    let json = serde_json::to_string_pretty(&report).expect("diagnostics serialize to JSON");
    escape_json_more(&json) + "\n"
}

/// serde_json escapes C0 control characters only; DEL, C1 and disguising characters are
/// escaped too, as `\u009b`, so the report is safe to print. They occur only inside strings,
/// where the escape means the same character.
fn escape_json_more(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if needs_escape(c) && u32::from(c) >= 0x7f {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
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
        let (shown, col, marks) = quote_line(&line, 600, 5);
        assert_eq!(marks, 5);
        assert!(shown.chars().count() <= MAX_QUOTED_CHARS + 2);
        assert_eq!(shown.chars().nth(col), Some('x'));
    }

    /// Finding 9: ESC, BEL, CR, C1 and bidi controls from a plan never reach the terminal raw,
    /// neither in the message nor in the quoted line, and the caret still points at the value.
    #[test]
    fn control_and_bidi_characters_are_shown_escaped_in_every_format() {
        let mut sources = Sources::default();
        sources.insert(
            "a\nb\u{1b}.yaml".into(),
            "name: \"x\"\ntitle: \u{1b}]0;pwned\u{7}\u{9b}2J \u{202e}evil ok\n".into(),
        );
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::error(
                Path::new("a\nb\u{1b}.yaml"),
                Loc::new(2, 28, 2),
                "unknown `\u{1b}]0;pwned\u{7}\u{9b}2J \u{202e}evil\r`",
            )
            .with_help("not \u{200b}this"),
        );
        let human = render_human(&diags, &sources);
        // The caret stays under `ok`, after the escapes that widened the line.
        assert_eq!(
            human,
            format!(
                "a\\nb\\u{{1b}}.yaml:2:28: error: unknown `\\u{{1b}}]0;pwned\\u{{7}}\\u{{9b}}2J \\u{{202e}}evil\\r`\n  |\n\
                 2 | title: \\u{{1b}}]0;pwned\\u{{7}}\\u{{9b}}2J \\u{{202e}}evil ok\n  | {}^^\n\
                 \x20 = help: not \\u{{200b}}this\n\n",
                " ".repeat(48)
            )
        );
        let github = render_github(&diags);
        assert_eq!(
            github,
            "::error file=a%0Ab\\u{1b}.yaml,line=2,col=28::unknown `\\u{1b}]0;pwned\\u{7}\\u{9b}2J \\u{202e}evil%0D` (help: not \\u{200b}this)\n"
        );
        let json = render_json(&diags);
        assert!(json.contains(r#""file": "a\nb\u001b.yaml""#), "{json}");
        assert!(
            json.contains(r#"unknown `\u001b]0;pwned\u0007\u009b2J \u202eevil\r`"#),
            "{json}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(
            parsed["diagnostics"][0]["message"],
            "unknown `\u{1b}]0;pwned\u{7}\u{9b}2J \u{202e}evil\r`"
        );
        for text in [&human, &github, &json] {
            assert!(
                !text.chars().any(|c| needs_escape(c) && c != '\n'),
                "{text:?}"
            );
        }
    }

    #[test]
    fn lone_carriage_returns_break_lines_as_the_parser_counts_them() {
        let text = "# a\rone: 1\r\ntwo: 2\nthree: 3\r";
        assert_eq!(
            lines(text).collect::<Vec<_>>(),
            ["# a", "one: 1", "two: 2", "three: 3"]
        );
        let mut sources = Sources::default();
        sources.insert("a.yaml".into(), text.into());
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::error(
            Path::new("a.yaml"),
            Loc::new(2, 1, 3),
            "x",
        ));
        diags.push(Diagnostic::error(
            Path::new("a.yaml"),
            Loc::new(4, 1, 5),
            "y",
        ));
        let human = render_human(&diags, &sources);
        assert!(human.contains("2 | one: 1\n"), "{human}");
        assert!(human.contains("4 | three: 3\n"), "{human}");
    }

    #[cfg(unix)]
    #[test]
    fn file_names_that_are_not_utf8_are_shown_with_their_bytes_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"plans/1.\xff\xfe.yaml"));
        assert_eq!(show_path(path), "plans/1.\\xff\\xfe.yaml");
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::error(path, Loc::new(1, 1, 1), "bad name"));
        assert!(render_json(&diags).contains(r#""file": "plans/1.\\xff\\xfe.yaml""#));
        assert_eq!(
            render_github(&diags),
            "::error file=plans/1.\\xff\\xfe.yaml,line=1,col=1::bad name\n"
        );
    }
}
