//! YAML → a tree of located nodes (serde-saphyr does the parsing, with budgets), and the
//! readers that turn nodes into typed values while collecting every problem they meet.

use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Options, Spanned};

use crate::diag::{Diagnostic, Loc};

/// Files larger than this are refused before parsing: a plan is a few kilobytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Null,
    /// A string scalar, quoted or plain.
    Str(String),
    /// A plain scalar YAML reads as a number or boolean, kept as its source text.
    Other(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub loc: Loc,
}

impl Kind {
    fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "nothing",
            Kind::Str(_) | Kind::Other(_) => "a single value",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// What serde-saphyr hands back: the tree before locations are turned into [`Loc`]s.
enum RawKind {
    Null,
    Str(String),
    Other,
    Seq(Vec<Spanned<RawKind>>),
    Map(Vec<(Spanned<String>, Spanned<RawKind>)>),
}

impl<'de> Deserialize<'de> for RawKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AnyVisitor;
        impl<'de> Visitor<'de> for AnyVisitor {
            type Value = RawKind;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawKind, E> {
                Ok(RawKind::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawKind, E> {
                Ok(RawKind::Str(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawKind, E> {
                Ok(RawKind::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawKind, E> {
                Ok(RawKind::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawKind, E> {
                Ok(RawKind::Other)
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<RawKind, E> {
                Ok(RawKind::Other)
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<RawKind, E> {
                Ok(RawKind::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawKind, E> {
                Ok(RawKind::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawKind, E> {
                Ok(RawKind::Other)
            }
            fn visit_char<E: de::Error>(self, v: char) -> Result<RawKind, E> {
                Ok(RawKind::Str(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawKind, E> {
                Ok(RawKind::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawKind, E> {
                Ok(RawKind::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawKind, D::Error> {
                RawKind::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawKind, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(RawKind::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawKind, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(RawKind::Map(entries))
            }
        }
        d.deserialize_any(AnyVisitor)
    }
}

fn options() -> Options {
    // Plans hardly use aliases: a small replay limit stops alias bombs early.
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 20_000;
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_nodes: 250_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
        },
        alias_limits: alias_limits,
        duplicate_keys: DuplicateKeyPolicy::Error,
    }
}

fn loc_of(location: &serde_saphyr::Location, source: &str) -> Loc {
    let span = location.span();
    let len = match (span.byte_offset(), span.byte_len()) {
        (Some(off), Some(len)) => source
            .get(off as usize..(off + len) as usize)
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count()),
        _ => 1,
    };
    Loc::new(
        location.line().try_into().unwrap_or(u32::MAX),
        location.column().try_into().unwrap_or(u32::MAX),
        len.try_into().unwrap_or(1),
    )
}

fn raw_text(location: &serde_saphyr::Location, source: &str) -> String {
    let span = location.span();
    span.byte_offset()
        .zip(span.byte_len())
        .and_then(|(off, len)| source.get(off as usize..(off + len) as usize))
        .unwrap_or("")
        .trim()
        .to_owned()
}

fn convert(raw: Spanned<RawKind>, source: &str) -> Node {
    let loc = loc_of(&raw.referenced, source);
    let kind = match raw.value {
        RawKind::Null => Kind::Null,
        RawKind::Str(s) => Kind::Str(s),
        RawKind::Other => Kind::Other(raw_text(&raw.referenced, source)),
        RawKind::Seq(items) => Kind::Seq(items.into_iter().map(|i| convert(i, source)).collect()),
        RawKind::Map(entries) => Kind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        loc: loc_of(&k.referenced, source),
                        name: k.value,
                    };
                    (key, convert(v, source))
                })
                .collect(),
        ),
    };
    Node { kind, loc }
}

/// Parses one file's text into a node tree, or one diagnostic saying why it cannot be read.
pub fn parse(path: &Path, source: &str) -> Result<Node, Diagnostic> {
    if source.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            Loc::new(1, 1, 1),
            format!(
                "file is {} bytes, more than the {} a plan may have",
                source.len(),
                MAX_FILE_BYTES
            ),
        )
        .with_help("split the file, or remove what does not belong in a release plan"));
    }
    if source.trim().is_empty()
        || source
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Diagnostic::error(path, Loc::new(1, 1, 1), "file is empty")
            .with_help("write the plan into it, or delete the file"));
    }
    match serde_saphyr::from_str_with_options::<Spanned<RawKind>>(source, options()) {
        Ok(raw) => Ok(convert(raw, source)),
        Err(e) => Err(yaml_error(path, source, &e)),
    }
}

/// Rewords serde-saphyr's errors for a Release Master rather than for a Rust developer.
fn yaml_error(path: &Path, source: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let mut loc = e
        .location()
        .map(|l| Loc::new(l.line() as u32, l.column() as u32, 1))
        .unwrap_or(Loc::new(1, 1, 1));
    let text = e.without_snippet().to_string();
    let text = match text.find(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    let (message, help) = if let Some(rest) = text.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        loc.len = key.chars().count().try_into().unwrap_or(1);
        (
            format!("duplicate key `{key}`"),
            "each key may appear once in a mapping; remove or merge the repeated one",
        )
    } else if text.starts_with("multiple YAML documents") {
        // Point at the `---` that starts the second document, the line to remove.
        if let Some(line) = source
            .lines()
            .take(loc.line as usize)
            .enumerate()
            .filter(|(_, l)| l.starts_with("---"))
            .last()
            .map(|(i, _)| i + 1)
        {
            loc = Loc::new(line.try_into().unwrap_or(u32::MAX), 1, 3);
        }
        (
            "several YAML documents in one file".to_owned(),
            "keep one document per file: remove the `---` line, or move the second document to its own file",
        )
    } else if text.starts_with("budget breached")
        || text.starts_with("recursion limit")
        || text.contains("alias replay")
    {
        (
            format!("file is too large or too deeply nested to be a plan ({text})"),
            "remove the anchors/aliases that expand it, or flatten the nesting",
        )
    } else {
        (
            format!("invalid YAML: {text}"),
            "fix the YAML syntax at this place (indentation, quotes, brackets)",
        )
    };
    Diagnostic::error(path, loc, message).with_help(help)
}

/// Collects the diagnostics of one file while it is read.
pub struct Reader<'a> {
    pub path: &'a Path,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(path: &'a Path) -> Self {
        Reader {
            path,
            diags: Vec::new(),
        }
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

    /// A mapping with exactly the given fields: unknown ones are reported, with a suggestion.
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        known: &'static [&'static str],
    ) -> Option<Fields<'n>> {
        let Kind::Map(entries) = &node.kind else {
            self.error(
                node.loc,
                format!(
                    "expected {what} (a mapping of fields), found {}",
                    node.kind.describe()
                ),
            )
            .help = Some(format!(
                "write {what} as `field: value` lines; its fields are {}",
                list(known)
            ));
            return None;
        };
        for (key, _) in entries {
            if !known.contains(&key.name.as_str()) {
                let help = match did_you_mean(&key.name, known) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the fields of {what} are {}", list(known)),
                };
                self.error(key.loc, format!("unknown field `{}` in {what}", key.name))
                    .help = Some(help);
            }
        }
        Some(Fields {
            loc: node.loc,
            what: what.to_owned(),
            known,
            entries,
        })
    }

    /// The text of a scalar; numbers and booleans are taken as written.
    pub fn text(&mut self, node: &Node, what: &str) -> Option<Text> {
        match &node.kind {
            Kind::Str(s) | Kind::Other(s) => Some(Text {
                value: s.clone(),
                loc: node.loc,
            }),
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
    pub fn nonempty(&mut self, node: &Node, what: &str) -> Option<Text> {
        let t = self.text(node, what)?;
        if t.value.trim().is_empty() {
            self.error(node.loc, format!("{what} is empty"));
            return None;
        }
        Some(t)
    }

    pub fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.kind {
            Kind::Other(s) if s == "true" => Some(true),
            Kind::Other(s) if s == "false" => Some(false),
            _ => {
                self.error(node.loc, format!("{what} must be `true` or `false`"));
                None
            }
        }
    }

    pub fn uint(&mut self, node: &Node, what: &str, min: u32, max: u32) -> Option<u32> {
        let parsed = match &node.kind {
            Kind::Other(s) | Kind::Str(s) => s.parse::<u32>().ok(),
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
            Kind::Seq(items) => items,
            Kind::Null => &[],
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
            Kind::Map(entries) => entries,
            Kind::Null => &[],
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

/// A scalar with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub loc: Loc,
}

pub struct Fields<'n> {
    pub loc: Loc,
    what: String,
    known: &'static [&'static str],
    entries: &'n [(Key, Node)],
}

impl<'n> Fields<'n> {
    /// A field's node, if present and not `~`.
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v.kind, Kind::Null))
    }

    /// A required field's node; its absence is reported at the mapping, unless a mistyped key
    /// (already reported with "did you mean") stands in for it.
    pub fn require(&self, r: &mut Reader, name: &str) -> Option<&'n Node> {
        let node = self.get(name);
        let mistyped = self.entries.iter().any(|(k, _)| {
            !self.known.contains(&k.name.as_str())
                && did_you_mean(&k.name, self.known) == Some(name)
        });
        let present_but_empty = self.entries.iter().any(|(k, _)| k.name == name);
        if node.is_none() && !mistyped {
            let help = if present_but_empty {
                format!("`{name}` is empty: give it a value")
            } else {
                format!("add `{name}:` to {}", self.what)
            };
            r.error(
                self.loc,
                format!("missing required field `{name}` in {}", self.what),
            )
            .help = Some(help);
        }
        node
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closest known name, if it is close enough to be a likely typo.
pub fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> Node {
        parse(Path::new("t.yaml"), src).expect("parses")
    }

    #[test]
    fn numbers_keep_their_source_text() {
        let node = parse_ok("version: 1.10\n");
        let Kind::Map(entries) = node.kind else {
            panic!()
        };
        assert!(matches!(&entries[0].1.kind, Kind::Other(s) if s == "1.10"));
        assert_eq!(entries[0].1.loc, Loc::new(1, 10, 4));
    }

    #[test]
    fn duplicate_keys_and_documents_are_errors() {
        let d = parse(Path::new("t.yaml"), "a: 1\na: 2\n").unwrap_err();
        assert_eq!(d.message, "duplicate key `a`");
        assert_eq!(d.loc.line, 2);
        let d = parse(Path::new("t.yaml"), "a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(d.message, "several YAML documents in one file");
    }

    #[test]
    fn empty_and_comment_only_files_are_errors() {
        for src in ["", "  \n", "# nothing here\n"] {
            let d = parse(Path::new("t.yaml"), src).unwrap_err();
            assert_eq!(d.message, "file is empty");
        }
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop_quickly() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..10 {
            bomb.push_str(&format!(
                "{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n",
                n = (b'a' + i) as char,
                p = (b'a' + i - 1) as char
            ));
        }
        let started = std::time::Instant::now();
        let d = parse(Path::new("t.yaml"), &bomb).unwrap_err();
        assert!(d.message.starts_with("file is too large"), "{}", d.message);
        let d = parse(Path::new("t.yaml"), &"[".repeat(100_000)).unwrap_err();
        assert!(d.message.contains("nested"), "{}", d.message);
        let d = parse(Path::new("t.yaml"), &"a: b\n".repeat(1_000_000)).unwrap_err();
        assert!(
            d.message.starts_with("file is 5000000 bytes"),
            "{}",
            d.message
        );
        assert!(started.elapsed().as_secs_f64() < 1.0);
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
