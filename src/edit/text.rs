//! Splicing YAML text at the bytes herald's parser located: the style of a file (line breaks,
//! indentation, padding inside brackets), new values written in that style, and the few
//! primitive edits the release edits are made of, each one set of byte replacements.

use std::ops::Range;
use std::path::Path;

use crate::diag::{Diagnostic, Loc};
use crate::yaml::{Key, Node, NodeKind};

/// Replacements of byte ranges, disjoint; applied from the last to the first.
#[derive(Debug, Default)]
pub(super) struct Splice {
    parts: Vec<(Range<usize>, String)>,
}

impl Splice {
    fn at(at: usize, text: String) -> Splice {
        Splice::replace(at..at, text)
    }

    fn replace(range: Range<usize>, text: String) -> Splice {
        Splice {
            parts: vec![(range, text)],
        }
    }

    fn and(mut self, range: Range<usize>, text: String) -> Splice {
        self.parts.push((range, text));
        self
    }

    pub(super) fn apply(mut self, text: &str) -> String {
        self.parts.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        let mut out = text.to_owned();
        for (range, with) in self.parts {
            out.replace_range(range, &with);
        }
        out
    }
}

/// A value to write that is not in the file yet.
#[derive(Debug, Clone)]
pub(super) enum New {
    /// A scalar, already quoted as it must be.
    Scalar(String),
    /// A mapping in the style of its surroundings; `flow` asks for `{ .. }` in a block
    /// mapping too (a test result written as its siblings are).
    Map {
        entries: Vec<(String, New)>,
        flow: bool,
    },
    /// A flow list `[a, b]` of scalars already quoted.
    FlowList(Vec<String>),
}

/// How a file is written, for new entries to follow it.
pub(super) struct Style {
    /// `\n`, `\r\n` or `\r`, as the file breaks its lines.
    pub newline: &'static str,
    /// Spaces per level of block indentation.
    unit: usize,
    /// A space inside braces (`{ a: 1 }`) and inside brackets (`[a]`).
    map_padding: bool,
    list_padding: bool,
}

impl Style {
    pub(super) fn of(text: &str, root: &Node) -> Style {
        let newline = match text.find(['\n', '\r']) {
            Some(at) if text[at..].starts_with("\r\n") => "\r\n",
            Some(at) if text[at..].starts_with('\r') => "\r",
            _ => "\n",
        };
        let mut style = Style {
            newline,
            unit: 0,
            map_padding: true,
            list_padding: false,
        };
        let (mut map_seen, mut list_seen) = (false, false);
        walk(root, &mut |node| match &node.kind {
            NodeKind::Map(entries) if !entries.is_empty() => {
                if is_flow(text, node) {
                    if !map_seen {
                        map_seen = true;
                        style.map_padding = text[node.span.start + 1..].starts_with([' ', '\n']);
                    }
                } else {
                    let column = column(text, entries[0].0.span.start);
                    if column > 0 && (style.unit == 0 || column < style.unit) {
                        style.unit = column;
                    }
                }
            }
            NodeKind::Seq(items) if !items.is_empty() && is_flow(text, node) && !list_seen => {
                list_seen = true;
                style.list_padding = text[node.span.start + 1..].starts_with(' ');
            }
            _ => {}
        });
        if style.unit == 0 {
            style.unit = 2;
        }
        style
    }

    /// `value` as written after `key: ` in a block mapping whose keys stand at `indent`.
    fn block(&self, value: &New, indent: &str) -> String {
        match value {
            New::Map {
                entries,
                flow: false,
            } => {
                let inner = format!("{indent}{}", " ".repeat(self.unit));
                entries
                    .iter()
                    .map(|(k, v)| format!("{}{inner}{}", self.newline, self.entry(k, v, &inner)))
                    .collect()
            }
            _ => format!(" {}", self.flow(value)),
        }
    }

    /// `key: value` in a block mapping whose keys stand at `indent`.
    fn entry(&self, key: &str, value: &New, indent: &str) -> String {
        format!("{key}:{}", self.block(value, indent))
    }

    /// A value inside brackets, or after a key that takes it on its own line.
    fn flow(&self, value: &New) -> String {
        match value {
            New::Scalar(s) => s.clone(),
            New::Map { entries, .. } => {
                let inner: Vec<String> =
                    entries.iter().map(|(k, v)| self.flow_entry(k, v)).collect();
                pad('{', &inner.join(", "), '}', self.map_padding)
            }
            New::FlowList(items) => pad('[', &items.join(", "), ']', self.list_padding),
        }
    }

    fn flow_entry(&self, key: &str, value: &New) -> String {
        format!("{key}: {}", self.flow(value))
    }
}

fn pad(open: char, inner: &str, close: char, padding: bool) -> String {
    if padding && !inner.is_empty() {
        format!("{open} {inner} {close}")
    } else {
        format!("{open}{inner}{close}")
    }
}

fn walk(node: &Node, f: &mut impl FnMut(&Node)) {
    f(node);
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().for_each(|(_, v)| walk(v, f)),
        NodeKind::Seq(items) => items.iter().for_each(|v| walk(v, f)),
        _ => {}
    }
}

/// Written with brackets: `{ .. }` or `[ .. ]`.
pub(super) fn is_flow(text: &str, node: &Node) -> bool {
    matches!(
        (&node.kind, text.as_bytes().get(node.span.start)),
        (NodeKind::Map(_), Some(b'{')) | (NodeKind::Seq(_), Some(b'['))
    )
}

/// Where the line holding `at` starts (after a byte-order mark on the first line).
fn line_start(text: &str, at: usize) -> usize {
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if start == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8().min(at)
    } else {
        start
    }
}

fn column(text: &str, at: usize) -> usize {
    text[line_start(text, at)..at].chars().count()
}

/// The indentation of the line up to `at`, as written when it is only spaces.
fn indent_before(text: &str, at: usize) -> String {
    let prefix = &text[line_start(text, at)..at];
    if prefix.bytes().all(|b| b == b' ') {
        prefix.to_owned()
    } else {
        " ".repeat(prefix.chars().count())
    }
}

/// Where the line holding the end of an entry (`at`) breaks (the end of the text when it
/// does not), after a comment on it.
fn end_of_line(text: &str, at: usize) -> usize {
    if at > 0 && matches!(text.as_bytes()[at - 1], b'\n' | b'\r') {
        return at;
    }
    text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i)
}

/// After the line break that ends the line holding `at`.
fn after_line(text: &str, at: usize) -> usize {
    let end = end_of_line(text, at);
    if end > 0 && end == at && matches!(text.as_bytes()[at - 1], b'\n' | b'\r') {
        return end;
    }
    let rest = &text[end..];
    end + if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(!rest.is_empty())
    }
}

/// Where an entry's bytes end: its value's, or its key's when the value is empty.
fn entry_end(key: &Key, value: &Node) -> usize {
    key.span.end.max(value.span.end)
}

/// Just after the `:` that follows `key`.
fn after_colon(text: &str, key: &Key) -> Option<usize> {
    let rest = &text[key.span.end..];
    let colon = rest.find(|c: char| c != ' ' && c != '\t')?;
    (rest[colon..].starts_with(':')).then_some(key.span.end + colon + 1)
}

/// Inserts `key: value` into `map` after the entry at `after` (`None`: before the first).
pub(super) fn insert_entry(
    text: &str,
    style: &Style,
    map: &Node,
    after: Option<usize>,
    key: &str,
    value: &New,
) -> Option<Splice> {
    let NodeKind::Map(entries) = &map.kind else {
        return None;
    };
    if is_flow(text, map) {
        let entry = style.flow_entry(key, value);
        return Some(match (after, entries.is_empty()) {
            (_, true) => {
                let inner = map.span.start + 1..map.span.end - 1;
                if !text[inner.clone()].trim().is_empty() {
                    return None;
                }
                Splice::replace(inner, pad_inner(&entry, style.map_padding))
            }
            (Some(i), false) => {
                let sep = separator(
                    text,
                    entries.iter().map(|(k, v)| (k.span.start, v.span.end)),
                );
                Splice::at(
                    entry_end(&entries[i].0, &entries[i].1),
                    format!("{sep}{entry}"),
                )
            }
            (None, false) => Splice::at(entries[0].0.span.start, format!("{entry}, ")),
        });
    }
    let first = &entries.first()?.0;
    let indent = indent_before(text, first.span.start);
    let entry = style.entry(key, value, &indent);
    Some(match after {
        Some(i) => line_after(
            text,
            style,
            entry_end(&entries[i].0, &entries[i].1),
            &format!("{indent}{entry}"),
        ),
        None => Splice::at(
            line_start(text, first.span.start),
            format!("{indent}{entry}{}", style.newline),
        ),
    })
}

/// Adds `line` after the line holding `at`.
fn line_after(text: &str, style: &Style, at: usize, line: &str) -> Splice {
    let end = end_of_line(text, at);
    if end == at && at > 0 && matches!(text.as_bytes()[at - 1], b'\n' | b'\r') {
        Splice::at(end, format!("{line}{}", style.newline))
    } else {
        Splice::at(end, format!("{}{line}", style.newline))
    }
}

fn pad_inner(entry: &str, padding: bool) -> String {
    if padding {
        format!(" {entry} ")
    } else {
        entry.to_owned()
    }
}

/// What separates the items of a flow collection, as written between its last two (a
/// comma and spaces, or a comma and a line break with its indentation); `, ` otherwise.
fn separator(text: &str, items: impl DoubleEndedIterator<Item = (usize, usize)>) -> String {
    let mut last = items.rev();
    if let (Some((start, _)), Some((_, end))) = (last.next(), last.next())
        && end <= start
    {
        let between = &text[end..start];
        if between.trim() == "," {
            return between.to_owned();
        }
    }
    ", ".to_owned()
}

/// Gives the empty value of `key` (in `map`) the value `value`.
pub(super) fn fill_empty(
    text: &str,
    style: &Style,
    map: &Node,
    key: &Key,
    empty: &Node,
    value: &New,
) -> Option<Splice> {
    let colon = after_colon(text, key)?;
    // An explicit `~` or `null` goes, with the spaces before it.
    let written = if empty.span.end > colon {
        colon..empty.span.end
    } else {
        colon..colon
    };
    if is_flow(text, map) {
        return Some(Splice::replace(written, format!(" {}", style.flow(value))));
    }
    let indent = indent_before(text, key.span.start);
    match value {
        New::Map { flow: false, .. } => {
            let end = end_of_line(text, written.end);
            let splice = Splice::at(end, style.block(value, &indent));
            Some(if written.is_empty() {
                splice
            } else {
                splice.and(written, String::new())
            })
        }
        _ => Some(Splice::replace(written, style.block(value, &indent))),
    }
}

/// Removes the entry at `index` of `map`, with its line when the mapping is a block one.
pub(super) fn remove_entry(text: &str, map: &Node, index: usize) -> Option<Splice> {
    let NodeKind::Map(entries) = &map.kind else {
        return None;
    };
    let (key, value) = entries.get(index)?;
    if is_flow(text, map) {
        let range = if index > 0 {
            entry_end(&entries[index - 1].0, &entries[index - 1].1)..entry_end(key, value)
        } else if let Some((next, _)) = entries.get(1) {
            key.span.start..next.span.start
        } else {
            key.span.start..entry_end(key, value)
        };
        return Some(Splice::replace(range, String::new()));
    }
    let start = line_start(text, key.span.start);
    if !text[start..key.span.start].trim().is_empty() {
        return None;
    }
    Some(Splice::replace(
        start..after_line(text, entry_end(key, value)),
        String::new(),
    ))
}

/// Replaces a scalar's text.
pub(super) fn replace(node: &Node, with: String) -> Splice {
    Splice::replace(node.span.clone(), with)
}

/// Appends an already quoted item to a list.
pub(super) fn append_item(text: &str, style: &Style, list: &Node, item: &str) -> Option<Splice> {
    let NodeKind::Seq(items) = &list.kind else {
        return None;
    };
    if is_flow(text, list) {
        return Some(match items.last() {
            None => {
                let inner = list.span.start + 1..list.span.end - 1;
                if !text[inner.clone()].trim().is_empty() {
                    return None;
                }
                Splice::replace(inner, pad_inner(item, style.list_padding))
            }
            Some(last) => {
                let sep = separator(text, items.iter().map(|n| (n.span.start, n.span.end)));
                Splice::at(last.span.end, format!("{sep}{item}"))
            }
        });
    }
    let last = items.last()?;
    let start = line_start(text, last.span.start);
    let prefix = &text[start..last.span.start];
    if !prefix.trim_start().starts_with('-') || !prefix.trim_start()[1..].trim().is_empty() {
        return None;
    }
    Some(line_after(
        text,
        style,
        last.span.end,
        &format!("{prefix}{item}"),
    ))
}

/// Why a place of the file cannot be edited in place, at that place.
pub(super) fn refuse(path: &Path, text: &str, at: usize, message: String) -> Diagnostic {
    let start = line_start(text, at.min(text.len()));
    let line = 1 + text[..start]
        .match_indices(['\n', '\r'])
        .filter(|(i, s)| !(*s == "\r" && text[i + 1..].starts_with('\n')))
        .count();
    let column = 1 + text[start..at.min(text.len())].chars().count();
    Diagnostic::error(
        path,
        Loc::new(
            line.try_into().unwrap_or(u32::MAX),
            column.try_into().unwrap_or(u32::MAX),
            1,
        ),
        message,
    )
    .with_help("edit this part of the file by hand, then run the command again")
}
