//! YAML → a tree of located nodes (serde-saphyr's parser, with limits on size, depth and
//! aliases).

use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span};

use crate::diag::{Diagnostic, Loc};

/// Files larger than this are refused before parsing: a plan is a few kilobytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Serialized only for the parsed-plan cache (`load::cache`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub kind: NodeKind,
    #[serde(with = "whole_loc")]
    pub loc: Loc,
    /// The bytes of the source it is written in: a scalar with its quotes, a flow collection
    /// with its brackets, a block collection from its first entry to the end of its last.
    /// An alias's node keeps the span of the anchored node.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeKind {
    Null,
    /// A string scalar, quoted or plain.
    Str(String),
    /// A plain scalar YAML reads as a number or boolean, kept as its source text.
    Other(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    pub name: String,
    #[serde(with = "whole_loc")]
    pub loc: Loc,
    /// The bytes of the source it is written in, quotes included.
    pub span: Range<usize>,
}

/// A [`Loc`] with its length: `Loc`'s own serde form (for `--format json`) leaves it out.
mod whole_loc {
    use super::Loc;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(loc: &Loc, s: S) -> Result<S::Ok, S::Error> {
        (loc.line, loc.column, loc.len).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Loc, D::Error> {
        let (line, column, len) = Deserialize::deserialize(d)?;
        Ok(Loc { line, column, len })
    }
}

impl NodeKind {
    /// What the node is, for messages: "a list", "a mapping".
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "nothing",
            NodeKind::Str(_) | NodeKind::Other(_) => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// Nesting deeper than this is refused: a plan needs five or six levels.
const MAX_DEPTH: usize = 64;
/// Nodes per file, aliases expanded, beyond which a file is refused (alias bombs).
const MAX_NODES: usize = 250_000;

/// A YAML syntax or structure problem, before it becomes a [`Diagnostic`].
struct ParseError {
    loc: Loc,
    message: String,
    help: &'static str,
}

impl ParseError {
    fn new(loc: Loc, message: impl Into<String>, help: &'static str) -> Self {
        ParseError {
            loc,
            message: message.into(),
            help,
        }
    }
}

const TOO_BIG_HELP: &str = "remove the anchors/aliases that expand it, or flatten the nesting";

/// A collection being read, with the place it starts, where its bytes begin and whether it
/// is a flow collection (`[..]`, `{..}`), and its anchor id (0 when none).
enum Frame {
    Seq {
        items: Vec<Node>,
        loc: Loc,
        start: Start,
        anchor: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        loc: Loc,
        start: Start,
        anchor: usize,
        key: Option<Key>,
        /// Entries that came from merge keys (`<<`); a key written in the mapping wins.
        merged: Vec<(Key, Node)>,
    },
}

/// Where a collection's bytes begin, and whether it ends with a bracket.
#[derive(Clone, Copy)]
struct Start {
    at: usize,
    flow: bool,
}

impl Start {
    /// The collection's bytes: a flow collection's up to its closing bracket (`end`), a block
    /// collection's up to the end of its last child.
    fn span(self, end: &Span, last_child: Option<usize>) -> Range<usize> {
        let close = match (self.flow, end.byte_range()) {
            (true, Some(r)) => r.end,
            _ => last_child.unwrap_or(self.at),
        };
        self.at..close.max(self.at)
    }
}

fn loc_of(span: &Span, source: &str) -> Loc {
    let len = span
        .slice(source)
        .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
    Loc::new(
        span.start.line().try_into().unwrap_or(u32::MAX),
        (span.start.col() + 1).try_into().unwrap_or(u32::MAX),
        len.try_into().unwrap_or(1),
    )
}

/// YAML 1.2 core schema for plain scalars: null words, booleans and numbers are told apart
/// from strings, and keep their source text.
fn plain_scalar(text: &str) -> NodeKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | ".inf" | "-.inf" | "+.inf"
        | ".nan" | ".NaN" | ".NAN" => return NodeKind::Other(text.to_owned()),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let is_number = (digits.starts_with("0x")
        && digits.len() > 2
        && digits[2..].bytes().all(|b| b.is_ascii_hexdigit()))
        || (digits.starts_with("0o")
            && digits.len() > 2
            && digits[2..].bytes().all(|b| (b'0'..=b'7').contains(&b)))
        || is_decimal(digits);
    if is_number {
        NodeKind::Other(text.to_owned())
    } else {
        NodeKind::Str(text.to_owned())
    }
}

/// `12`, `1.5`, `.5`, `1e3`, `2.5E-3`.
fn is_decimal(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int)
        && digits(frac)
        && !(int.is_empty() && frac.is_empty())
        && mantissa.matches('.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

fn collection_key(loc: Loc) -> ParseError {
    ParseError::new(
        loc,
        "a key must be a single value, not a list or mapping",
        "write keys as plain names: `name: value`",
    )
}

fn node_count(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Seq(items) => items.iter().map(node_count).sum(),
        NodeKind::Map(entries) => {
            entries.iter().map(|(_, v)| node_count(v)).sum::<usize>() + entries.len()
        }
        _ => 0,
    }
}

/// Builds the node tree from the parser's events with an explicit stack, so depth, size,
/// duplicate keys and documents are checked as the events arrive.
fn build_tree(source: &str) -> Result<Node, ParseError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<Option<(Node, usize)>> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut nodes = 0usize;
    for event in Parser::new_from_str(source) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            let info = e.info();
            if info.contains("recursion limit") || info.contains("nesting limit") {
                return ParseError::new(
                    Loc::new(
                        m.line().try_into().unwrap_or(u32::MAX),
                        (m.col() + 1).try_into().unwrap_or(u32::MAX),
                        1,
                    ),
                    "file is too deeply nested to be a plan",
                    TOO_BIG_HELP,
                );
            }
            ParseError::new(
                Loc::new(
                    m.line().try_into().unwrap_or(u32::MAX),
                    (m.col() + 1).try_into().unwrap_or(u32::MAX),
                    1,
                ),
                format!("invalid YAML: {}", e.info()),
                "fix the YAML syntax at this place (indentation, quotes, brackets)",
            )
        })?;
        let loc = loc_of(&span, source);
        let bytes = span.byte_range().unwrap_or(0..0);
        let (node, anchor) = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(ParseError::new(
                        Loc::new(loc.line, 1, 3),
                        "several YAML documents in one file",
                        "keep one document per file: remove the `---` line, or move the second document to its own file",
                    ));
                }
                continue;
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                let start = Start {
                    at: bytes.start,
                    flow: source
                        .as_bytes()
                        .get(bytes.start)
                        .is_some_and(|b| b"[{".contains(b)),
                };
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError::new(
                        loc,
                        format!(
                            "file is too deeply nested to be a plan (more than {MAX_DEPTH} levels)"
                        ),
                        TOO_BIG_HELP,
                    ));
                }
                if let Some(Frame::Map { key: None, .. }) = stack.last() {
                    return Err(collection_key(loc));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        loc,
                        start,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        loc,
                        start,
                        anchor,
                        key: None,
                        merged: Vec::new(),
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    loc,
                    start,
                    anchor,
                }) => (
                    Node {
                        span: start.span(&span, items.last().map(|n| n.span.end)),
                        kind: NodeKind::Seq(items),
                        loc,
                    },
                    anchor,
                ),
                Some(Frame::Map {
                    entries,
                    loc,
                    start,
                    anchor,
                    merged,
                    ..
                }) => (
                    Node {
                        span: start.span(&span, entries.last().map(|(_, v)| v.span.end)),
                        kind: NodeKind::Map(close_map(entries, merged)?),
                        loc,
                    },
                    anchor,
                ),
                None => continue,
            },
            Event::Scalar(text, style, anchor, tag) => {
                let written = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    block_scalar_bytes(source, bytes.clone())
                } else {
                    bytes.clone()
                };
                let kind = if style == ScalarStyle::Plain && tag.is_none() {
                    plain_scalar(&text)
                } else {
                    NodeKind::Str(text.into_owned())
                };
                (
                    Node {
                        kind,
                        loc,
                        span: written,
                    },
                    anchor,
                )
            }
            Event::Alias(id) => match anchors.get(id).and_then(Option::as_ref) {
                Some((node, size)) => {
                    nodes += size;
                    (node.clone(), 0)
                }
                None => {
                    return Err(ParseError::new(
                        loc,
                        "alias to an anchor that is not defined",
                        "define `&name` before using `*name`",
                    ));
                }
            },
            _ => continue,
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(ParseError::new(
                loc,
                format!(
                    "file is too large to be a plan (more than {MAX_NODES} values, aliases expanded)"
                ),
                TOO_BIG_HELP,
            ));
        }
        if anchor != 0 {
            if anchors.len() <= anchor {
                anchors.resize(anchor + 1, None);
            }
            let size = node_count(&node);
            anchors[anchor] = Some((node.clone(), size));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                merged,
                ..
            }) => match key.take() {
                None => {
                    let name = match node.kind {
                        NodeKind::Str(s) | NodeKind::Other(s) => s,
                        NodeKind::Null => String::new(),
                        // Written collections are refused when they start; an alias to one
                        // (`*list: x`) arrives whole.
                        NodeKind::Seq(_) | NodeKind::Map(_) => return Err(collection_key(loc)),
                    };
                    // Where the key is written, also when it is an alias.
                    *key = Some(Key {
                        name,
                        loc,
                        span: bytes,
                    });
                }
                Some(k) if k.name == "<<" => merge(merged, node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(root.unwrap_or(Node {
        kind: NodeKind::Null,
        loc: Loc::new(1, 1, 1),
        span: 0..0,
    }))
}

/// A block scalar's bytes from its `|` or `>` to the end of its last line of text; the
/// parser's span runs from the text to the next token.
fn block_scalar_bytes(source: &str, text: Range<usize>) -> Range<usize> {
    let end = text.start + source[text.clone()].trim_end().len();
    let before = &source[..text.start];
    // Back over the indentation and blank lines to the header line, then its comment.
    let header_end = before.trim_end().len();
    let line = before[..header_end]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let header = &before[line..header_end];
    let header = match header.find(" #") {
        Some(i) => header[..i].trim_end(),
        None => header,
    };
    let start = header.rfind(['|', '>']).map_or(text.start, |i| line + i);
    start..end.max(start)
}

/// YAML merge keys (`<<: *defaults`): entries of the merged mappings that are not set yet.
fn merge(merged: &mut Vec<(Key, Node)>, value: Node) {
    let maps = match value.kind {
        NodeKind::Map(m) => vec![m],
        NodeKind::Seq(items) => items
            .into_iter()
            .filter_map(|n| match n.kind {
                NodeKind::Map(m) => Some(m),
                _ => None,
            })
            .collect(),
        _ => return,
    };
    merged.extend(maps.into_iter().flatten());
}

/// Refuses a key written twice (sorting, so large mappings stay fast), then adds merged
/// entries whose keys are not written in the mapping itself (the first merge wins).
fn close_map(
    mut entries: Vec<(Key, Node)>,
    merged: Vec<(Key, Node)>,
) -> Result<Vec<(Key, Node)>, ParseError> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].0.name.cmp(&entries[b].0.name).then(a.cmp(&b)));
    if let Some(pair) = order
        .windows(2)
        .filter(|w| entries[w[0]].0.name == entries[w[1]].0.name)
        .min_by_key(|w| w[1])
    {
        let (first, again) = (&entries[pair[0]].0, &entries[pair[1]].0);
        return Err(ParseError::new(
            again.loc,
            format!(
                "duplicate key `{}` (first on line {})",
                again.name, first.loc.line
            ),
            "each key may appear once in a mapping; remove or merge the repeated one",
        ));
    }
    if !merged.is_empty() {
        let mut written: std::collections::BTreeSet<String> =
            entries.iter().map(|(k, _)| k.name.clone()).collect();
        for (k, v) in merged {
            if written.insert(k.name.clone()) {
                entries.push((k, v));
            }
        }
    }
    Ok(entries)
}

/// Parses one file's text into a node tree, or one diagnostic saying why it cannot be read.
///
/// serde-saphyr's parser (granit) reads the events; the tree is built here rather than
/// through serde, which was three times slower on large plans folders.
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
    // Lines as YAML counts them: a lone CR ends a line too.
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    if crate::diag::lines(text).all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(Diagnostic::error(path, Loc::new(1, 1, 1), "file is empty")
            .with_help("write the plan into it, or delete the file"));
    }
    build_tree(source).map_err(|e| Diagnostic::error(path, e.loc, e.message).with_help(e.help))
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
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        assert!(matches!(&entries[0].1.kind, NodeKind::Other(s) if s == "1.10"));
        assert_eq!(entries[0].1.loc, Loc::new(1, 10, 4));
    }

    #[test]
    fn duplicate_keys_and_documents_are_errors() {
        let d = parse(Path::new("t.yaml"), "a: 1\na: 2\n").unwrap_err();
        assert_eq!(d.message, "duplicate key `a` (first on line 1)");
        assert_eq!(d.loc, Loc::new(2, 1, 1));
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
    fn plain_scalars_follow_the_core_schema() {
        for (text, other) in [
            ("12", true),
            ("-1.5e3", true),
            ("0x1F", true),
            ("true", true),
            ("1.14.0", false),
            ("2020-07-21", false),
            ("rc1", false),
            ("1e", false),
        ] {
            assert_eq!(
                matches!(plain_scalar(text), NodeKind::Other(_)),
                other,
                "{text}"
            );
        }
        assert!(matches!(plain_scalar("~"), NodeKind::Null));
        let node = parse_ok("a: '12'\nb: \"true\"\n");
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        assert!(
            entries
                .iter()
                .all(|(_, v)| matches!(v.kind, NodeKind::Str(_)))
        );
    }

    #[test]
    fn anchors_aliases_and_merge_keys_expand() {
        let node = parse_ok(
            "base: &b { team: goat, blocking: true }\nt1:\n  <<: *b\n  team: huskies\nt2: *b\n",
        );
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        let names = |n: &Node| match &n.kind {
            NodeKind::Map(e) => e
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        k.name,
                        match &v.kind {
                            NodeKind::Str(s) | NodeKind::Other(s) => s.clone(),
                            _ => String::new(),
                        }
                    )
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(names(&entries[1].1), ["team=huskies", "blocking=true"]);
        assert_eq!(names(&entries[2].1), ["team=goat", "blocking=true"]);
    }

    #[test]
    fn structural_mistakes_are_located_errors() {
        let d = parse(Path::new("t.yaml"), "a: *nowhere\n").unwrap_err();
        assert!(d.message.contains("anchor"), "{}", d.message);
        let d = parse(Path::new("t.yaml"), "? [a, b]\n: c\n").unwrap_err();
        assert_eq!(
            d.message,
            "a key must be a single value, not a list or mapping"
        );
        let d = parse(Path::new("t.yaml"), "a: [1, 2\n").unwrap_err();
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert_eq!(d.loc.line, 1);
    }

    /// Finding 10: an alias to a list or mapping used as a key panicked (exit 101).
    #[test]
    fn aliases_to_collections_as_keys_are_errors_not_panics() {
        for (src, line, col) in [
            ("x: &a [1]\n*a : 3\n", 2, 1),
            ("x: &a {b: 1}\ny:\n  *a : 3\n", 3, 3),
            ("x: &a [1]\ny: { *a : 3 }\n", 2, 6),
        ] {
            let d = parse(Path::new("t.yaml"), src).unwrap_err();
            assert_eq!(
                d.message, "a key must be a single value, not a list or mapping",
                "{src}"
            );
            assert_eq!((d.loc.line, d.loc.column), (line, col), "{src}");
        }
    }

    /// Every construct of YAML that a plan does not need still reads or fails cleanly.
    #[test]
    fn unusual_yaml_constructs_read_or_fail_cleanly() {
        let read = |src: &str| match parse(Path::new("t.yaml"), src) {
            Ok(node) => format!("ok {}", node.kind.describe()),
            Err(d) => format!("{}:{}: {}", d.loc.line, d.loc.column, d.message),
        };
        assert_eq!(read("&k a: 1\nb: *k\n"), "ok a mapping");
        assert_eq!(read("a: &k b\n*k : 2\n"), "ok a mapping");
        assert_eq!(
            read("a: &k b\n*k : 2\nb: 3\n"),
            "3:1: duplicate key `b` (first on line 2)"
        );
        assert_eq!(read("!!map { !!str a: !custom 1 }\n"), "ok a mapping");
        assert_eq!(read("? a\n: 1\n"), "ok a mapping");
        assert_eq!(
            read("? [a]\n: 1\n"),
            "1:3: a key must be a single value, not a list or mapping"
        );
        assert_eq!(
            read("? { a: 1 }\n: 1\n"),
            "1:3: a key must be a single value, not a list or mapping"
        );
        assert_eq!(
            read("base: &b { x: 1 }\nm: { <<: [*b, *b, 1], y: 2 }\n"),
            "ok a mapping"
        );
        assert_eq!(read("m: { <<: 3 }\n"), "ok a mapping");
        assert_eq!(read("---\n...\n"), "ok nothing");
        assert_eq!(read("--- |\n  text\n"), "ok a single value");
        assert_eq!(read("\u{feff}a: 1\n"), "ok a mapping");
        assert_eq!(read("\u{feff}# only a comment\n"), "1:1: file is empty");
        assert_eq!(
            read("a: 1\n...\n---\nb: 2\n"),
            "3:1: several YAML documents in one file"
        );
        assert_eq!(read("%YAML 1.2\n---\na: 1\n"), "ok a mapping");
        assert!(
            read("a: *\n").contains("invalid YAML"),
            "{}",
            read("a: *\n")
        );
        assert!(read("a: &\n").starts_with("1:"));
        assert!(read("[a, b]: c\n").contains("key must be a single value"));
    }

    #[test]
    fn comment_only_files_with_lone_carriage_returns_are_empty_and_others_are_read() {
        let d = parse(Path::new("t.yaml"), "# one\r# two\r").unwrap_err();
        assert_eq!(d.message, "file is empty");
        let node = parse_ok("# a comment\rversion: 1.0.0\rcodename: x\r");
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        assert_eq!(entries[1].0.name, "codename");
        assert_eq!(entries[1].0.loc, Loc::new(3, 1, 8));
    }

    /// The editor of release files splices text at these bytes.
    #[test]
    fn nodes_and_keys_know_their_bytes() {
        let src =
            "\u{feff}a: 'x'\r\nm:\r\n  f: { s: 1 }  # c\r\n  l: [b]\r\n  bl:\r\n    - y\r\nn:\r\n";
        let node = parse_ok(src);
        let NodeKind::Map(top) = &node.kind else {
            panic!()
        };
        let text = |r: &Range<usize>| &src[r.clone()];
        assert_eq!(text(&top[0].0.span), "a");
        assert_eq!(text(&top[0].1.span), "'x'");
        let NodeKind::Map(m) = &top[1].1.kind else {
            panic!()
        };
        assert_eq!(
            text(&top[1].1.span),
            "f: { s: 1 }  # c\r\n  l: [b]\r\n  bl:\r\n    - y"
        );
        assert_eq!(text(&m[0].1.span), "{ s: 1 }");
        assert_eq!(text(&m[1].1.span), "[b]");
        assert_eq!(text(&m[2].1.span), "- y");
        // An empty value sits where its key ends.
        assert_eq!(top[2].1.span, top[2].0.span.end..top[2].0.span.end);
        assert!(matches!(top[2].1.kind, NodeKind::Null));
        let src = "a: |-  # c\n  one\n\n  two\n\nb: >\n  x\n";
        let NodeKind::Map(top) = parse_ok(src).kind else {
            panic!()
        };
        assert_eq!(text_of(src, &top[0].1.span), "|-  # c\n  one\n\n  two");
        assert_eq!(text_of(src, &top[1].1.span), ">\n  x");
    }

    fn text_of<'s>(src: &'s str, r: &Range<usize>) -> &'s str {
        &src[r.clone()]
    }
}
