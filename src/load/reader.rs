//! The reader that turns a file's nodes into typed values, collecting every problem it meets
//! with its place instead of stopping at the first.

use std::path::Path;

use super::shape::{Presence, Shape};
use crate::diag::{Diagnostic, Loc};
use crate::model::Located;
use crate::yaml::{Key, Node, NodeKind};

/// Where a value is used, which decides the invisible characters it may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TextUse {
    /// Free text (Markdown notes, steps): prose in right-to-left scripts needs the
    /// direction marks and joiners, but nothing may override or hide text.
    Prose,
    /// A name, title or id on one line: no bidirectional or zero-width character at all,
    /// except joiners inside a word of a non-Latin script or an emoji sequence.
    Line,
}

/// The first character of `value` that can disguise text where it is used, and its index.
pub fn find_disguise(value: &str, used_as: TextUse) -> Option<(usize, char)> {
    if value.is_ascii() {
        return None;
    }
    let chars: Vec<(usize, char)> = value
        .char_indices()
        .filter(|(_, c)| !c.is_ascii())
        .collect();
    if chars.is_empty() {
        return None;
    }
    let joins = |at: usize, c: char| {
        let before = value[..at].chars().next_back();
        let after = value[at + c.len_utf8()..].chars().next();
        [before, after].iter().all(|n| {
            n.is_some_and(|n| {
                !n.is_ascii()
                    && !n.is_whitespace()
                    && !n.is_control()
                    && crate::diag::disguising_char_name(n).is_none()
            })
        })
    };
    chars.into_iter().find(|&(at, c)| match c {
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200B}'
        | '\u{2060}'
        | '\u{FEFF}' => true,
        '\u{200C}' | '\u{200D}' => used_as == TextUse::Line && !joins(at, c),
        '\u{200E}' | '\u{200F}' | '\u{061C}' => used_as == TextUse::Line,
        _ => false,
    })
}

/// Reports a disguising character in `t` at the place it is written; true when it did.
pub(crate) fn refuse_disguise(
    r: &mut Reader,
    t: &Located<String>,
    what: &str,
    used_as: TextUse,
) -> bool {
    let Some((at, c)) = find_disguise(&t.value, used_as) else {
        return false;
    };
    let name = crate::diag::disguising_char_name(c).unwrap_or("an invisible character");
    let loc = r.locate_char(t.loc, at, c);
    r.error(
        loc,
        format!(
            "{what} contains U+{:04X} {name}, which can disguise text",
            c as u32
        ),
    )
    .help = Some(
        "remove it: it is invisible, and can reorder or hide the text around it (retype the value if you cannot see it)"
            .to_owned(),
    );
    true
}

/// The byte offset of a 1-based line and column (in chars) in `source`.
fn offset_of(source: &str, loc: Loc) -> Option<usize> {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut offset = source.len() - text.len();
    let mut rest = text;
    for _ in 1..loc.line {
        let (at, len) = crate::diag::next_line_break(rest)?;
        offset += at + len;
        rest = &rest[at + len..];
    }
    let skip: usize = rest
        .chars()
        .take(loc.column.saturating_sub(1) as usize)
        .map(char::len_utf8)
        .sum();
    Some(offset + skip)
}

/// Collects the diagnostics of one file while it is read.
pub struct Reader<'a> {
    pub path: &'a Path,
    /// The file's text, to point at a character inside a value.
    source: &'a str,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(path: &'a Path, source: &'a str) -> Self {
        Reader {
            path,
            source,
            diags: Vec::new(),
        }
    }

    /// The place of `c`, found at byte `at` of a value written at `start`: the character
    /// itself when the source holds it as it is (not as an escape), else the value.
    pub fn locate_char(&self, start: Loc, at: usize, c: char) -> Loc {
        let Some(offset) = offset_of(self.source, start) else {
            return start;
        };
        // Quotes, escapes and indentation make the source longer than the value; no further.
        let mut end = offset
            .saturating_add(at.saturating_mul(3))
            .saturating_add(256)
            .min(self.source.len());
        while !self.source.is_char_boundary(end) {
            end += 1;
        }
        let Some(found) = self.source[offset..end].find(c) else {
            return start;
        };
        let mut rest = &self.source[offset..offset + found];
        let mut loc = Loc { len: 1, ..start };
        let mut column = start.column;
        while let Some((i, len)) = crate::diag::next_line_break(rest) {
            loc.line = loc.line.saturating_add(1);
            rest = &rest[i + len..];
            column = 1;
        }
        let chars: u32 = rest.chars().count().try_into().unwrap_or(u32::MAX);
        loc.column = column.saturating_add(chars);
        loc
    }

    pub fn error(&mut self, loc: Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(self.path, loc, message));
        self.diags.last_mut().expect("just pushed")
    }

    pub fn warning(&mut self, loc: Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::warning(self.path, loc, message));
        self.diags.last_mut().expect("just pushed")
    }

    pub fn has_errors(&self) -> bool {
        self.diags
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
    }

    /// A mapping of the given shape: unknown fields are reported, with a suggestion, and so
    /// are missing required ones, unless a mistyped key (reported with "did you mean") stands
    /// in for one.
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        shape: &'static Shape,
    ) -> Option<Fields<'n>> {
        let known: Vec<&'static str> = shape.keys().collect();
        let NodeKind::Map(entries) = &node.kind else {
            self.error(
                node.loc,
                format!(
                    "expected {what} (a mapping of fields), found {}",
                    node.kind.describe()
                ),
            )
            .help = Some(format!(
                "write {what} as `field: value` lines; its fields are {}",
                list(&known)
            ));
            return None;
        };
        let mut mistyped = Vec::new();
        for (key, _) in entries {
            if !known.contains(&key.name.as_str()) {
                let close = did_you_mean(&key.name, &known);
                mistyped.extend(close);
                let help = match close {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the fields of {what} are {}", list(&known)),
                };
                self.error(key.loc, format!("unknown field `{}` in {what}", key.name))
                    .help = Some(help);
            }
        }
        let fields = Fields {
            loc: node.loc,
            entries,
        };
        for name in shape
            .fields
            .iter()
            .filter(|f| f.presence == Presence::Required)
            .map(|f| f.key)
        {
            if fields.get(name).is_some() || mistyped.contains(&name) {
                continue;
            }
            let help = if entries.iter().any(|(k, _)| k.name == name) {
                format!("`{name}` is empty: give it a value")
            } else {
                format!("add `{name}:` to {what}")
            };
            self.error(
                node.loc,
                format!("missing required field `{name}` in {what}"),
            )
            .help = Some(help);
        }
        Some(fields)
    }

    /// The text of a scalar; numbers and booleans are taken as written. Text that can
    /// disguise itself (bidirectional overrides, zero-width spaces) is refused everywhere.
    pub fn text(&mut self, node: &Node, what: &str) -> Option<Located<String>> {
        match &node.kind {
            NodeKind::Str(s) | NodeKind::Other(s) => {
                let t = Located {
                    value: s.clone(),
                    loc: node.loc,
                };
                if refuse_disguise(self, &t, what, TextUse::Prose) {
                    return None;
                }
                Some(t)
            }
            other => {
                self.error(
                    node.loc,
                    format!(
                        "expected {what} (a single value), found {}",
                        other.describe()
                    ),
                );
                None
            }
        }
    }

    /// Non-empty text.
    pub fn nonempty(&mut self, node: &Node, what: &str) -> Option<Located<String>> {
        let t = self.text(node, what)?;
        if t.value.trim().is_empty() {
            self.error(node.loc, format!("{what} is empty"));
            return None;
        }
        Some(t)
    }

    pub fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Other(s) if s == "true" => Some(true),
            NodeKind::Other(s) if s == "false" => Some(false),
            _ => {
                self.error(node.loc, format!("{what} must be `true` or `false`"));
                None
            }
        }
    }

    pub fn uint(&mut self, node: &Node, what: &str, min: u32, max: u32) -> Option<u32> {
        let parsed = match &node.kind {
            NodeKind::Other(s) | NodeKind::Str(s) => s.parse::<u32>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.error(
                    node.loc,
                    format!("{what} must be a whole number from {min} to {max}"),
                );
                None
            }
        }
    }

    /// The items of a list; `~` or a missing list is empty.
    pub fn list<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            other => {
                self.error(
                    node.loc,
                    format!("expected {what} (a list), found {}", other.describe()),
                )
                .help = Some("write each item on its own line starting with `- `".to_owned());
                &[]
            }
        }
    }

    /// The entries of a mapping whose keys are names (test ids, candidate names).
    pub fn entries<'n>(&mut self, node: &'n Node, what: &str) -> &'n [(Key, Node)] {
        match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => &[],
            other => {
                self.error(
                    node.loc,
                    format!("expected {what} (a mapping), found {}", other.describe()),
                );
                &[]
            }
        }
    }
}

/// The fields of a mapping, read by name.
pub struct Fields<'n> {
    /// Where the mapping starts.
    pub loc: Loc,
    entries: &'n [(Key, Node)],
}

impl<'n> Fields<'n> {
    /// A field's node, if present and not `~`.
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v.kind, NodeKind::Null))
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Words longer than this get no suggestion: no name herald knows is that long, and the
/// comparison costs the product of the two lengths.
const MAX_SUGGESTED_CHARS: usize = 64;

/// The closest known name, if it is close enough to be a likely typo. Only names of a
/// similar length are compared, so the work stays small whatever the input.
pub fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    if word.len() > 4 * MAX_SUGGESTED_CHARS {
        return None;
    }
    let len = word.chars().count();
    if len > MAX_SUGGESTED_CHARS {
        return None;
    }
    known
        .iter()
        .filter(|k| {
            let other = k.chars().count();
            len.abs_diff(other) <= len.max(other) / 2 + 1
        })
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// A field of a mapping node as written, whatever else is wrong in the file.
pub(super) fn field<'n>(node: &'n Node, name: &str) -> Option<&'n Node> {
    let NodeKind::Map(entries) = &node.kind else {
        return None;
    };
    entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v)
}

pub(super) fn scalar_field(node: &Node, name: &str) -> Option<String> {
    match &field(node, name)?.kind {
        NodeKind::Str(s) | NodeKind::Other(s) => Some(s.clone()),
        _ => None,
    }
}

pub(super) fn list_field<'n>(node: &'n Node, name: &str) -> &'n [Node] {
    match field(node, name).map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding 12: a long unknown value is compared with nothing, and candidates of a very
    /// different length are skipped, so "did you mean" costs little whatever the input.
    #[test]
    fn suggestions_are_bounded_by_length() {
        let long = "Europe/Berlin".repeat(80_000);
        let zones: Vec<String> = (0..1000).map(|i| format!("Area/City{i}")).collect();
        let refs: Vec<&str> = zones.iter().map(String::as_str).collect();
        let started = std::time::Instant::now();
        assert_eq!(did_you_mean(&long, &refs), None);
        assert_eq!(did_you_mean(&"é".repeat(65), &["é"]), None);
        assert_eq!(did_you_mean("Area/City12x", &refs), Some("Area/City12"));
        assert!(started.elapsed().as_secs_f64() < 0.5);
        assert_eq!(did_you_mean("rc", &["a-very-long-candidate-name"]), None);
    }

    #[test]
    fn suggests_close_field_names() {
        assert_eq!(
            did_you_mean("cherry_pick_dedline", &["date", "cherry_pick_deadline"]),
            Some("cherry_pick_deadline")
        );
        assert_eq!(did_you_mean("zzz", &["date", "name"]), None);
    }
}
