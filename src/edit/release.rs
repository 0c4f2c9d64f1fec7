//! The edits of a release file: one test result, one `sent` entry. Each is a series of
//! splices, the file parsed again after each, until it says what was asked; then the whole
//! file must read as before but for that one change.

use std::collections::BTreeMap;
use std::path::Path;

use super::text::{
    New, Splice, Style, append_item, fill_empty, insert_entry, is_flow, refuse, remove_entry,
    replace,
};
use crate::diag::Diagnostic;
use crate::load::shape;
use crate::model::Status;
use crate::yaml::{self, Key, Node, NodeKind};

/// What to do with an optional field of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldEdit {
    /// Leave it as it is, written or not.
    Keep,
    Set(String),
    /// Remove it when it is written.
    Remove,
}

/// The result of one test on one candidate, as it should read after the edit.
#[derive(Debug, Clone)]
pub struct ResultEdit {
    pub test: String,
    pub candidate: String,
    pub status: Status,
    pub tester: FieldEdit,
    pub note: FieldEdit,
}

/// More splices than any edit needs: a guard against an edit that does not converge.
const MAX_STEPS: usize = 16;

/// `text` of the release file `path` with the result set (`manual_tests.results.<test>.
/// <candidate>`), the keys on the way created when absent; `text` itself, byte for byte,
/// when the result already reads so.
pub fn set_result(path: &Path, text: &str, edit: &ResultEdit) -> Result<String, Diagnostic> {
    converge(path, text, |text, root, style| {
        result_step(path, text, root, style, edit)
    })
    .and_then(|edited| {
        verify(path, text, &edited, |value| {
            let result = value
                .map_at("manual_tests")
                .map_at("results")
                .map_at(&edit.test)
                .map_at(&edit.candidate);
            result.set("status", Value::Str(edit.status.as_str().to_owned()));
            for (name, field) in [("tester", &edit.tester), ("note", &edit.note)] {
                match field {
                    FieldEdit::Keep => {}
                    FieldEdit::Set(v) => result.set(name, Value::Str(v.clone())),
                    FieldEdit::Remove => result.remove(name),
                }
            }
        })
    })
}

/// `text` with `entry` added to `sent:` (the key created when absent); `text` itself when
/// `sent` already lists it.
pub fn add_sent(path: &Path, text: &str, entry: &str) -> Result<String, Diagnostic> {
    let edited = converge(path, text, |text, root, style| {
        sent_step(path, text, root, style, entry)
    })?;
    if edited == text {
        return Ok(edited);
    }
    verify(path, text, &edited, |value| {
        value.list_at("sent").push(Value::Str(entry.to_owned()))
    })
}

/// Applies the splices `step` asks for, one at a time, until it asks for none.
fn converge(
    path: &Path,
    text: &str,
    mut step: impl FnMut(&str, &Node, &Style) -> Result<Option<Splice>, Diagnostic>,
) -> Result<String, Diagnostic> {
    let mut current = text.to_owned();
    for _ in 0..MAX_STEPS {
        let root = yaml::parse(path, &current)?;
        let style = Style::of(&current, &root);
        match step(&current, &root, &style)? {
            Some(splice) => current = splice.apply(&current),
            None => return Ok(current),
        }
    }
    Err(refuse(
        path,
        text,
        0,
        "the edit did not settle; nothing was written".to_owned(),
    ))
}

/// A mapping on the way to the edited value, or why it cannot be edited in place.
enum Found<'n> {
    Map(&'n Node),
    /// The key is absent from `parent`.
    Absent {
        parent: &'n Node,
    },
    /// The key is written with an empty value.
    Empty {
        parent: &'n Node,
        key: &'n Key,
        value: &'n Node,
    },
}

/// The value of `name` in the mapping `map`, which must be a mapping itself (or absent, or
/// empty) and written in place: not through an alias or merge key, without an anchor.
fn child<'n>(
    path: &Path,
    text: &str,
    map: &'n Node,
    name: &str,
    what: &str,
) -> Result<Found<'n>, Diagnostic> {
    let NodeKind::Map(entries) = &map.kind else {
        return unreachable_shape(path, text, map, what);
    };
    let Some((key, value)) = entries.iter().find(|(k, _)| k.name == name) else {
        return Ok(Found::Absent { parent: map });
    };
    written_in_place(path, text, map, key, value, what)?;
    match &value.kind {
        NodeKind::Map(_) => Ok(Found::Map(value)),
        NodeKind::Null => Ok(Found::Empty {
            parent: map,
            key,
            value,
        }),
        other => Err(refuse(
            path,
            text,
            value.span.start,
            format!("{what} is {}, not a mapping", other.describe()),
        )),
    }
}

fn unreachable_shape<T>(path: &Path, text: &str, node: &Node, what: &str) -> Result<T, Diagnostic> {
    Err(refuse(
        path,
        text,
        node.span.start,
        format!("{what} is not inside a mapping"),
    ))
}

/// Refuses an entry whose bytes are not inside its mapping's (it came from an alias or a
/// merge key) or whose value carries an anchor that other places may repeat.
fn written_in_place(
    path: &Path,
    text: &str,
    map: &Node,
    key: &Key,
    value: &Node,
    what: &str,
) -> Result<(), Diagnostic> {
    let inside = |r: &std::ops::Range<usize>| map.span.start <= r.start && r.end <= map.span.end;
    if !inside(&key.span) || !inside(&value.span) || value.span.start < key.span.end {
        let at = if inside(&key.span) {
            key.span.start
        } else {
            map.span.start
        };
        return Err(refuse(
            path,
            text,
            at,
            format!(
                "{what} comes from an alias or a merge key (`<<`), so it cannot be edited in place"
            ),
        ));
    }
    let between = &text[key.span.end..value.span.start.max(key.span.end)];
    if between
        .lines()
        .any(|l| l.split('#').next().unwrap_or("").contains(['&', '*', '!']))
    {
        return Err(refuse(
            path,
            text,
            key.span.start,
            format!("{what} has an anchor or a tag, so editing it could change other places"),
        ));
    }
    Ok(())
}

/// Where a new `key` goes in `map`: after the entry at the returned index (`None`: before
/// the first), after the last key that comes before it in `order`; at the end when `order`
/// does not know it.
fn after_in_order(map: &Node, order: &[&str], key: &str) -> Option<usize> {
    let NodeKind::Map(entries) = &map.kind else {
        return None;
    };
    let rank = |k: &str| order.iter().position(|o| *o == k);
    let last = entries.len().checked_sub(1);
    let Some(own) = rank(key) else {
        return last;
    };
    if let Some(i) = entries
        .iter()
        .rposition(|(k, _)| rank(&k.name).is_some_and(|r| r < own))
    {
        return Some(i);
    }
    if entries.iter().any(|(k, _)| rank(&k.name).is_some()) {
        None
    } else {
        last
    }
}

/// Adds `name: value` to the mapping `parent`, in the order of `order`.
fn add(
    path: &Path,
    text: &str,
    style: &Style,
    parent: &Node,
    name: &str,
    value: &New,
    order: &[&str],
) -> Result<Splice, Diagnostic> {
    insert_entry(
        text,
        style,
        parent,
        after_in_order(parent, order, name),
        &quoted(name, None),
        value,
    )
    .ok_or_else(|| {
        refuse(
            path,
            text,
            parent.span.start,
            format!("cannot add `{name}` here in place"),
        )
    })
}

/// Writes `value` where `key` has an empty value.
fn fill(
    path: &Path,
    text: &str,
    style: &Style,
    parent: &Node,
    (key, empty): (&Key, &Node),
    value: &New,
) -> Result<Splice, Diagnostic> {
    fill_empty(text, style, parent, key, empty, value).ok_or_else(|| {
        refuse(
            path,
            text,
            key.span.start,
            format!("cannot write `{}` here in place", key.name),
        )
    })
}

/// Whether the file writes its results as `rc1: { status: passed }` (the default) or as
/// block mappings.
fn results_are_flow(text: &str, root: &Node) -> bool {
    let first = yaml_field(root, "manual_tests")
        .and_then(|m| yaml_field(m, "results"))
        .and_then(|r| match &r.kind {
            NodeKind::Map(tests) => tests
                .iter()
                .find_map(|(_, by_candidate)| match &by_candidate.kind {
                    NodeKind::Map(results) => results
                        .iter()
                        .map(|(_, r)| r)
                        .find(|r| matches!(r.kind, NodeKind::Map(_))),
                    _ => None,
                }),
            _ => None,
        });
    first.is_none_or(|r| is_flow(text, r))
}

pub(super) fn yaml_field<'n>(map: &'n Node, name: &str) -> Option<&'n Node> {
    match &map.kind {
        NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v),
        _ => None,
    }
}

fn new_result(edit: &ResultEdit) -> Vec<(String, New)> {
    let mut entries = vec![(
        "status".to_owned(),
        New::Scalar(edit.status.as_str().to_owned()),
    )];
    for (name, field) in [("tester", &edit.tester), ("note", &edit.note)] {
        if let FieldEdit::Set(v) = field {
            entries.push((name.to_owned(), New::Scalar(quoted(v, None))));
        }
    }
    entries
}

fn result_step(
    path: &Path,
    text: &str,
    root: &Node,
    style: &Style,
    edit: &ResultEdit,
) -> Result<Option<Splice>, Diagnostic> {
    let result = New::Map {
        entries: new_result(edit),
        flow: results_are_flow(text, root),
    };
    let top: Vec<&str> = shape::RELEASE.keys().collect();
    let manual: Vec<&str> = shape::MANUAL_TESTS.keys().collect();
    let test_what = format!("`manual_tests.results.{}`", edit.test);
    let result_what = format!("`manual_tests.results.{}.{}`", edit.test, edit.candidate);
    let steps = [
        ("manual_tests", "`manual_tests`", &top[..]),
        ("results", "`manual_tests.results`", &manual[..]),
        (edit.test.as_str(), test_what.as_str(), &[][..]),
        (edit.candidate.as_str(), result_what.as_str(), &[][..]),
    ];
    let mut map = root;
    for (depth, (name, what, order)) in steps.iter().enumerate() {
        // What is written for the keys below this one, when this one is missing.
        let below = steps[depth + 1..]
            .iter()
            .rev()
            .fold(result.clone(), |inner, (k, _, _)| New::Map {
                entries: vec![(quoted(k, None), inner)],
                flow: false,
            });
        match child(path, text, map, name, what)? {
            Found::Map(m) => map = m,
            Found::Absent { parent } => {
                return add(path, text, style, parent, name, &below, order).map(Some);
            }
            Found::Empty { parent, key, value } => {
                return fill(path, text, style, parent, (key, value), &below).map(Some);
            }
        }
    }
    let fields: Vec<&str> = shape::RESULT.keys().collect();
    let wanted = [
        ("status", FieldEdit::Set(edit.status.as_str().to_owned())),
        ("tester", edit.tester.clone()),
        ("note", edit.note.clone()),
    ];
    let NodeKind::Map(entries) = &map.kind else {
        return Ok(None);
    };
    for (name, want) in wanted {
        let at = entries.iter().position(|(k, _)| k.name == name);
        let splice = match (at, want) {
            (_, FieldEdit::Keep) | (None, FieldEdit::Remove) => None,
            (Some(i), FieldEdit::Remove) => Some(remove_entry(text, map, i).ok_or_else(|| {
                refuse(
                    path,
                    text,
                    entries[i].0.span.start,
                    format!("cannot remove `{name}` here in place"),
                )
            })?),
            (None, FieldEdit::Set(v)) => Some(add(
                path,
                text,
                style,
                map,
                name,
                &New::Scalar(quoted(&v, None)),
                &fields,
            )?),
            (Some(i), FieldEdit::Set(v)) => {
                let (key, value) = &entries[i];
                written_in_place(path, text, map, key, value, &format!("`{name}`"))?;
                match &value.kind {
                    NodeKind::Str(old) if *old == v => None,
                    NodeKind::Str(_) | NodeKind::Other(_) => {
                        Some(replace(value, quoted(&v, Some(&text[value.span.clone()]))))
                    }
                    NodeKind::Null => Some(fill(
                        path,
                        text,
                        style,
                        map,
                        (key, value),
                        &New::Scalar(quoted(&v, None)),
                    )?),
                    other => {
                        return Err(refuse(
                            path,
                            text,
                            value.span.start,
                            format!("`{name}` is {}, not a single value", other.describe()),
                        ));
                    }
                }
            }
        };
        if splice.is_some() {
            return Ok(splice);
        }
    }
    Ok(None)
}

fn sent_step(
    path: &Path,
    text: &str,
    root: &Node,
    style: &Style,
    entry: &str,
) -> Result<Option<Splice>, Diagnostic> {
    let NodeKind::Map(entries) = &root.kind else {
        return unreachable_shape(path, text, root, "`sent`");
    };
    let list = New::FlowList(vec![quoted(entry, None)]);
    let Some((key, value)) = entries.iter().find(|(k, _)| k.name == "sent") else {
        let top: Vec<&str> = shape::RELEASE.keys().collect();
        return add(path, text, style, root, "sent", &list, &top).map(Some);
    };
    written_in_place(path, text, root, key, value, "`sent`")?;
    match &value.kind {
        NodeKind::Null => fill(path, text, style, root, (key, value), &list).map(Some),
        NodeKind::Seq(items) => {
            if items
                .iter()
                .any(|i| matches!(&i.kind, NodeKind::Str(s) if s == entry))
            {
                return Ok(None);
            }
            append_item(text, style, value, &quoted(entry, None))
                .map(Some)
                .ok_or_else(|| {
                    refuse(
                        path,
                        text,
                        value.span.start,
                        "cannot add to `sent` here in place".to_owned(),
                    )
                })
        }
        other => Err(refuse(
            path,
            text,
            value.span.start,
            format!("`sent` is {}, not a list", other.describe()),
        )),
    }
}

/// A file's values without their places, to compare what two texts say.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Null,
    Str(String),
    /// A number or boolean, as written.
    Other(String),
    Seq(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    fn of(node: &Node) -> Value {
        match &node.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Str(s) => Value::Str(s.clone()),
            NodeKind::Other(s) => Value::Other(s.clone()),
            NodeKind::Seq(items) => Value::Seq(items.iter().map(Value::of).collect()),
            NodeKind::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), Value::of(v)))
                    .collect(),
            ),
        }
    }

    fn entries(&mut self) -> &mut BTreeMap<String, Value> {
        if !matches!(self, Value::Map(_)) {
            *self = Value::Map(BTreeMap::new());
        }
        match self {
            Value::Map(m) => m,
            _ => unreachable!("made a mapping above"),
        }
    }

    /// The mapping under `key`, made one when absent or empty.
    fn map_at(&mut self, key: &str) -> &mut Value {
        let value = self.entries().entry(key.to_owned()).or_insert(Value::Null);
        value.entries();
        value
    }

    fn list_at(&mut self, key: &str) -> &mut Vec<Value> {
        let value = self.entries().entry(key.to_owned()).or_insert(Value::Null);
        if !matches!(value, Value::Seq(_)) {
            *value = Value::Seq(Vec::new());
        }
        match value {
            Value::Seq(items) => items,
            _ => unreachable!("made a list above"),
        }
    }

    fn set(&mut self, key: &str, value: Value) {
        self.entries().insert(key.to_owned(), value);
    }

    fn remove(&mut self, key: &str) {
        self.entries().remove(key);
    }
}

/// Refuses `edited` unless it reads as `original` with `change` applied, and nothing else.
fn verify(
    path: &Path,
    original: &str,
    edited: &str,
    change: impl FnOnce(&mut Value),
) -> Result<String, Diagnostic> {
    let mut expected = Value::of(&yaml::parse(path, original)?);
    change(&mut expected);
    let reads = yaml::parse(path, edited).map(|n| Value::of(&n));
    if reads.as_ref().ok() != Some(&expected) {
        // Point at where the edit began: the first byte it changed.
        let at = original
            .bytes()
            .zip(edited.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        return Err(refuse(
            path,
            original,
            at,
            "the edited file would not read as asked, so nothing was written".to_owned(),
        ));
    }
    Ok(edited.to_owned())
}

/// `value` as a YAML scalar: plain when it reads back as the same text in a block mapping
/// and in a flow list; otherwise quoted, as `like` (the value it replaces) was when it was
/// quoted, else in double quotes.
pub(super) fn quoted(value: &str, like: Option<&str>) -> String {
    let control = value.chars().any(char::is_control);
    match like.and_then(|l| l.chars().next()) {
        Some('\'') if !control => return format!("'{}'", value.replace('\'', "''")),
        Some('"') => return double_quoted(value),
        _ => {}
    }
    if reads_plain(value) {
        value.to_owned()
    } else {
        double_quoted(value)
    }
}

fn reads_plain(value: &str) -> bool {
    let as_itself = |src: String, pick: fn(&Node) -> Option<&Node>| {
        yaml::parse(Path::new("value"), &src)
            .ok()
            .and_then(|n| pick(&n).map(|v| matches!(&v.kind, NodeKind::Str(s) if s == value)))
            .unwrap_or(false)
    };
    !value.is_empty()
        && value.trim() == value
        && !value.chars().any(char::is_control)
        && as_itself(format!("k: {value}\n"), |n| yaml_field(n, "k"))
        && as_itself(format!("[{value}]\n"), |n| match &n.kind {
            NodeKind::Seq(items) if items.len() == 1 => items.first(),
            _ => None,
        })
}

fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
