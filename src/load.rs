//! Reads a plans folder into [`Plans`], reporting every problem it meets with its place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Loc, show_path};
use crate::model::*;
use crate::yaml::{self, Fields, Kind, Node, Reader, Text};

pub const TEAMS_FILE: &str = "teams.yaml";
pub const TESTS_FILE: &str = "manual-tests.yaml";

/// The field names of every mapping in the format: the loader accepts exactly these, and the
/// JSON Schema (`herald schema`) describes exactly these.
pub mod fields {
    pub const TEAMS_FILE: &[&str] = &["teams"];
    pub const TEAM: &[&str] = &[
        "id",
        "name",
        "areas",
        "slack_channel",
        "slack_group",
        "scrum_master",
    ];
    pub const PERSON: &[&str] = &["name", "github", "slack", "team"];
    pub const TESTS_FILE: &[&str] = &["tests"];
    pub const TEST: &[&str] = &[
        "id", "title", "team", "area", "issue", "steps", "expected", "blocking",
    ];
    pub const RELEASE: &[&str] = &[
        "version",
        "product",
        "codename",
        "timezone",
        "branch",
        "people",
        "channels",
        "schedule",
        "scrum_of_scrums",
        "test_environment",
        "manual_tests",
        "pull_requests",
        "failing_tests",
        "notes",
        "release_notes",
        "sent",
    ];
    pub const PEOPLE: &[&str] = &["release_manager", "release_master", "scrum_master"];
    pub const CHANNELS: &[&str] = &["internal", "community"];
    pub const SCHEDULE: &[&str] = &[
        "deadlines_announcement",
        "freeze",
        "candidates",
        "release",
        "events",
    ];
    pub const CANDIDATE: &[&str] = &["name", "date", "cherry_pick_deadline"];
    pub const EVENT: &[&str] = &["id", "title", "date", "description"];
    pub const SCRUM_OF_SCRUMS: &[&str] = &["first", "every_weeks", "duration_minutes", "until"];
    pub const TEST_ENVIRONMENT: &[&str] = &["url", "access", "ready"];
    pub const MANUAL_TESTS: &[&str] = &["skip", "results"];
    pub const RESULT: &[&str] = &["status", "tester", "note"];
    pub const PULL_REQUEST: &[&str] = &["url", "title", "teams", "approved_by"];
    pub const FAILING_TEST: &[&str] = &["name", "team", "since", "link", "note"];
}

/// Why a plans folder could not be read at all (as opposed to problems inside it).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("plans folder `{0}` does not exist (create it with `herald init {0}`)")]
    Missing(String),
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The plans, and what was wrong with them. Releases with errors are left out of the plans.
pub struct Loaded {
    pub plans: Plans,
    pub diags: Diagnostics,
}

/// The plans folder's files, found by name.
struct Listing {
    releases: Vec<PathBuf>,
    /// `teams.yml` and `manual-tests.yml`, which are the registries misnamed.
    misnamed: BTreeSet<String>,
    /// Files refused by their name alone.
    refused: Vec<Diagnostic>,
}

fn is_yaml_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn list_folder(dir: &Path) -> std::io::Result<Listing> {
    let mut listing = Listing {
        releases: Vec::new(),
        misnamed: BTreeSet::new(),
        refused: Vec::new(),
    };
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            if is_yaml_name(&entry.file_name().to_string_lossy()) {
                listing.refused.push(
                    Diagnostic::error(
                        &path,
                        Loc::new(1, 1, 1),
                        "the file name is not valid UTF-8, so herald does not read the file",
                    )
                    .with_help(
                        "rename the file using UTF-8 characters only, for example `1.14.yaml`",
                    ),
                );
            }
            continue;
        };
        if !is_yaml_name(&name) {
            continue;
        }
        // Folders named like plans are not plans; links and special files are refused by
        // `read_plan_bytes`, with the reason.
        let is_folder = match entry.file_type()? {
            t if t.is_symlink() => std::fs::metadata(&path).is_ok_and(|m| m.is_dir()),
            t => t.is_dir(),
        };
        if is_folder || name == TEAMS_FILE || name == TESTS_FILE {
            continue;
        }
        if [TEAMS_FILE, TESTS_FILE]
            .map(|f| f.replace(".yaml", ".yml"))
            .contains(&name)
        {
            listing.misnamed.insert(name);
        } else {
            listing.releases.push(path);
        }
    }
    listing.releases.sort();
    Ok(listing)
}

/// The path of a registry file: `teams.yaml`, or `teams.yml` when only that one exists, read
/// as the registry but reported so it gets its real name.
fn registry_path(
    dir: &Path,
    name: &str,
    listing: &Listing,
    what: &str,
) -> (PathBuf, Option<Diagnostic>) {
    let proper = dir.join(name);
    let short = name.replace(".yaml", ".yml");
    if !listing.misnamed.contains(&short) {
        return (proper, None);
    }
    let misnamed = dir.join(&short);
    if std::fs::symlink_metadata(&proper).is_ok() {
        let d = Diagnostic::error(
            &misnamed,
            Loc::new(1, 1, 1),
            format!("a second {what}: herald reads `{name}`, so this file is not read"),
        )
        .with_help(format!(
            "merge what it holds into `{name}` and delete this file"
        ));
        return (proper, Some(d));
    }
    let d = Diagnostic::error(
        &misnamed,
        Loc::new(1, 1, 1),
        format!("the {what} must be named `{name}`"),
    )
    .with_help(format!(
        "rename the file to `{name}`; until then herald reads it as the {what}, so the other errors are real"
    ));
    (misnamed, Some(d))
}

/// Loads every file of a plans folder.
pub fn load(dir: &Path) -> Result<Loaded, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::Missing(show_path(dir)));
    }
    let io = |path: &Path, source| LoadError::Io {
        path: show_path(path),
        source,
    };
    // Files are read only when they are inside this folder, links resolved.
    let root = std::fs::canonicalize(dir).map_err(|e| io(dir, e))?;
    let listing = list_folder(dir).map_err(|e| io(dir, e))?;
    let release_files = &listing.releases;

    let mut plans = Plans {
        dir: dir.to_path_buf(),
        ..Plans::default()
    };
    let mut diags = Diagnostics::default();
    diags.extend(listing.refused.iter().cloned());

    // Reading and parsing is most of the work, and every file is independent. The registry
    // files come first: releases refer to their ids.
    let (teams_path, misnamed) = registry_path(dir, TEAMS_FILE, &listing, "team registry");
    diags.extend(misnamed);
    let (tests_path, misnamed) = registry_path(dir, TESTS_FILE, &listing, "manual-test catalogue");
    diags.extend(misnamed);
    let (teams_read, tests_read) = rayon::join(
        || read_file(&teams_path, &root, Some(TEAMS_MISSING_HELP)),
        || read_file(&tests_path, &root, None),
    );
    let (mut teams_read, mut tests_read) = (teams_read?, tests_read?);
    // A registry that cannot be read says so once, instead of every reference to it
    // becoming an error of its own.
    for (outcome, what) in [
        (&mut teams_read, "team references"),
        (&mut tests_read, "manual-test references"),
    ] {
        if outcome.node.is_none()
            && let Some(d) = &mut outcome.diag
        {
            let help = d.help.get_or_insert_with(String::new);
            help.push_str(&format!(
                "; {what} in the release plans are not checked until it can be read"
            ));
        }
    }
    let mut keep = |path: &Path, outcome: FileRead| {
        if let Some(text) = outcome.text {
            plans.files += 1;
            plans.sources.insert(path.to_path_buf(), text);
        }
        diags.extend(outcome.diag);
        outcome.node
    };
    let tests_missing = tests_read.text.is_none() && tests_read.diag.is_none();
    let teams_node = keep(&teams_path, teams_read);
    let tests_node = keep(&tests_path, tests_read);

    // References are checked against every id written, even in entries with other mistakes,
    // so one mistyped field in a team does not also make every mention of it an error. A
    // registry whose ids cannot be found at all (`None`) is not checked against.
    let mut team_ids = None;
    if let Some(node) = teams_node {
        let ids = written_ids(&node, "teams");
        let mut r = Reader::new(&teams_path, plans.sources.get(&teams_path).unwrap_or(""));
        plans.teams = read_teams(&mut r, &node, &ids);
        team_ids = (!ids.is_empty() || !r.has_errors()).then_some(ids);
        diags.extend(r.diags);
    }
    // No catalogue at all is a catalogue without tests: a release may not name any.
    let mut test_ids = tests_missing.then(BTreeSet::new);
    if let Some(node) = tests_node {
        let ids = written_ids(&node, "tests");
        let mut r = Reader::new(&tests_path, plans.sources.get(&tests_path).unwrap_or(""));
        plans.tests = read_tests(&mut r, &node, &team_ids);
        test_ids = (!ids.is_empty() || !r.has_errors()).then_some(ids);
        diags.extend(r.diags);
    }
    let registry = Registry {
        teams: team_ids,
        tests: test_ids,
    };

    // Each release is parsed and converted in one go, so its node tree is dropped at once.
    let converted: Vec<_> = release_files
        .par_iter()
        .map(|path| {
            let outcome = read_file(path, &root, Some(RELEASE_MISSING_HELP))?;
            let converted = outcome.node.as_ref().map(|node| {
                let version = written_version(node).map(|v| (v.value, path.clone(), v.loc));
                let mut r = Reader::new(path, outcome.text.as_deref().unwrap_or(""));
                let release = read_release(&mut r, node, &registry);
                let release = release.filter(|_| !r.has_errors());
                (version, release, r.diags)
            });
            Ok((path, outcome.text, outcome.diag, converted))
        })
        .collect::<Result<_, LoadError>>()?;
    let mut releases = Vec::new();
    // Every version written, also in files with other mistakes, to find a version planned twice.
    let mut versions: Vec<(semver::Version, std::path::PathBuf, Loc)> = Vec::new();
    for (path, text, diag, converted) in converted {
        if let Some(text) = text {
            plans.files += 1;
            plans.sources.insert(path.clone(), text);
        }
        diags.extend(diag);
        if let Some((version, release, file_diags)) = converted {
            versions.extend(version);
            releases.extend(release);
            diags.extend(file_diags);
        }
    }
    versions.sort();
    for pair in versions.windows(2) {
        let ((version, first, _), (again, file, loc)) = (&pair[0], &pair[1]);
        if version == again {
            diags.push(
                Diagnostic::error(
                    file,
                    *loc,
                    format!("version {version} is also planned in {}", show_path(first)),
                )
                .with_help("each release has one plan file; merge them or change the version"),
            );
        }
    }
    releases.sort_by(|a: &Release, b: &Release| a.version.value.cmp(&b.version.value));
    releases.dedup_by(|b, a| a.version.value == b.version.value);
    plans.releases = releases;
    Ok(Loaded { plans, diags })
}

/// One file read: its text (kept to quote under diagnostics), its tree, or why not.
struct FileRead {
    text: Option<String>,
    node: Option<Node>,
    diag: Option<Diagnostic>,
}

const TEAMS_MISSING_HELP: &str =
    "every plans folder needs a team registry; `herald init` writes an example";
const RELEASE_MISSING_HELP: &str =
    "the file went away while herald read the folder; run herald again";

/// Why a file of the plans folder is not read.
#[derive(Debug)]
pub enum Refused {
    Missing,
    /// A symbolic link whose target does not exist.
    DanglingLink,
    /// A symbolic link to a place outside the plans folder: its target is not a plan, and
    /// quoting it under a diagnostic could leak it (a key, a token) into a CI log.
    OutsideLink,
    /// A FIFO, a device, a socket or a folder: reading it could block or never end.
    NotAFile(&'static str),
    /// More than [`yaml::MAX_FILE_BYTES`]; the size when it is known.
    TooLarge(Option<u64>),
    Io(std::io::Error),
}

/// What kind of file a non-regular one is, for the error.
fn file_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Reads a file of the plans folder `root` (canonical) when it is a regular file inside it:
/// links are followed only to files inside the folder, special files are never opened, and
/// at most [`yaml::MAX_FILE_BYTES`] + 1 bytes are read, whatever the file claims.
pub fn read_plan_bytes(path: &Path, root: &Path) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => Refused::Missing,
        _ => Refused::Io(e),
    };
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    let meta = if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Refused::DanglingLink,
            _ => Refused::Io(e),
        })?;
        if !target.starts_with(root) {
            return Err(Refused::OutsideLink);
        }
        std::fs::metadata(path).map_err(io)?
    } else {
        meta
    };
    if !meta.is_file() {
        return Err(Refused::NotAFile(file_kind(meta.file_type())));
    }
    let limit = yaml::MAX_FILE_BYTES as u64;
    if meta.len() > limit {
        return Err(Refused::TooLarge(Some(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // It may have been swapped for something else since it was looked at.
    let opened = file.metadata().map_err(Refused::Io)?;
    if !opened.is_file() {
        return Err(Refused::NotAFile(file_kind(opened.file_type())));
    }
    let mut bytes = Vec::with_capacity(opened.len().min(limit) as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge(None));
    }
    Ok(bytes)
}

/// The 1-based line and column just after `text`, line breaks counted as YAML counts them.
fn end_position(text: &str) -> (u32, u32) {
    let mut line = 1u32;
    let mut rest = text;
    while let Some((at, len)) = crate::diag::next_line_break(rest) {
        line = line.saturating_add(1);
        rest = &rest[at + len..];
    }
    let column = rest.chars().count().saturating_add(1);
    (line, column.try_into().unwrap_or(u32::MAX))
}

/// Reads and parses one file. `missing_help` says what to do when it is missing; without
/// it, a missing file is no problem.
fn read_file(path: &Path, root: &Path, missing_help: Option<&str>) -> Result<FileRead, LoadError> {
    let mut out = FileRead {
        text: None,
        node: None,
        diag: None,
    };
    let refuse = |message: String, help: &str| {
        Some(Diagnostic::error(path, Loc::new(1, 1, 1), message).with_help(help))
    };
    let bytes = match read_plan_bytes(path, root) {
        Ok(b) => b,
        Err(Refused::Missing) => {
            out.diag = missing_help.and_then(|help| refuse("file is missing".to_owned(), help));
            return Ok(out);
        }
        Err(Refused::DanglingLink) => {
            out.diag = refuse(
                "file is a symbolic link to a file that does not exist".to_owned(),
                "replace the link with the file, or point it at a file inside the plans folder",
            );
            return Ok(out);
        }
        Err(Refused::OutsideLink) => {
            out.diag = refuse(
                "file is a symbolic link to a place outside the plans folder, so herald does not read it".to_owned(),
                "copy the file into the plans folder instead of linking to it",
            );
            return Ok(out);
        }
        Err(Refused::NotAFile(kind)) => {
            out.diag = refuse(
                format!("file is {kind}, not a regular file, so herald does not read it"),
                "replace it with a regular file holding the plan, or move it out of the plans folder",
            );
            return Ok(out);
        }
        Err(Refused::TooLarge(size)) => {
            let limit = yaml::MAX_FILE_BYTES;
            let message = match size {
                Some(n) => format!("file is {n} bytes, more than the {limit} a plan may have"),
                None => format!("file is more than the {limit} bytes a plan may have"),
            };
            out.diag = refuse(
                message,
                "split the file, or remove what does not belong in a release plan",
            );
            return Ok(out);
        }
        Err(Refused::Io(source)) => {
            return Err(LoadError::Io {
                path: show_path(path),
                source,
            });
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let (line, column) = end_position(&String::from_utf8_lossy(valid));
            out.text = Some(String::from_utf8_lossy(e.as_bytes()).into_owned());
            out.diag = Some(
                Diagnostic::error(
                    path,
                    Loc::new(line, column, 1),
                    "file is not valid UTF-8 text",
                )
                .with_help("save the file as UTF-8"),
            );
            return Ok(out);
        }
    };
    match yaml::parse(path, &text) {
        Ok(node) => out.node = Some(node),
        Err(d) => out.diag = Some(d),
    }
    out.text = Some(text);
    Ok(out)
}

/// The ids a release may refer to; `None` when the registry could not be read, so
/// references to it are not checked (its own error says why).
struct Registry {
    teams: Option<BTreeSet<String>>,
    tests: Option<BTreeSet<String>>,
}

impl Registry {
    fn team(&self, r: &mut Reader, t: &Text) -> Option<TeamId> {
        if refuse_disguise(r, t, "a team id", Field::Line) {
            return None;
        }
        let Some(teams) = &self.teams else {
            return Some(TeamId(t.value.clone()));
        };
        if teams.contains(&t.value) {
            return Some(TeamId(t.value.clone()));
        }
        let known: Vec<&str> = teams.iter().map(String::as_str).collect();
        let help = match yaml::did_you_mean(&t.value, &known) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "add it to {TEAMS_FILE}, or use one of: {}",
                known.join(", ")
            ),
        };
        r.error(t.loc, format!("unknown team `{}`", t.value)).help = Some(help);
        None
    }

    fn test(&self, r: &mut Reader, t: &Text) -> Option<TestId> {
        if refuse_disguise(r, t, "a test id", Field::Line) {
            return None;
        }
        let Some(tests) = &self.tests else {
            return Some(TestId(t.value.clone()));
        };
        if tests.contains(&t.value) {
            return Some(TestId(t.value.clone()));
        }
        let known: Vec<&str> = tests.iter().map(String::as_str).collect();
        let help = match yaml::did_you_mean(&t.value, &known) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("add it to {TESTS_FILE} first"),
        };
        r.error(t.loc, format!("unknown manual test `{}`", t.value))
            .help = Some(help);
        None
    }
}

/// Where a value is used, which decides the invisible characters it may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Free text (Markdown notes, steps): prose in right-to-left scripts needs the
    /// direction marks and joiners, but nothing may override or hide text.
    Text,
    /// A name, title or id on one line: no bidirectional or zero-width character at all,
    /// except joiners inside a word of a non-Latin script or an emoji sequence.
    Line,
}

/// The first character of `value` that can disguise text where it is used, and its index.
pub fn find_disguise(value: &str, field: Field) -> Option<(usize, char)> {
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
        '\u{200C}' | '\u{200D}' => field == Field::Line && !joins(at, c),
        '\u{200E}' | '\u{200F}' | '\u{061C}' => field == Field::Line,
        _ => false,
    })
}

/// Reports a disguising character in `t` at the place it is written; true when it did.
pub(crate) fn refuse_disguise(r: &mut Reader, t: &Text, what: &str, field: Field) -> bool {
    let Some((at, c)) = find_disguise(&t.value, field) else {
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

/// Lowercase letters, digits and dashes, starting with a letter or digit.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn id(r: &mut Reader, node: &Node, what: &str) -> Option<Text> {
    let t = r.nonempty(node, what)?;
    if refuse_disguise(r, &t, what, Field::Line) {
        return None;
    }
    if !is_id(&t.value) {
        r.error(
            t.loc,
            format!(
                "{what} `{}` must be lowercase letters, digits and dashes",
                t.value
            ),
        )
        .help = Some(format!("for example `{}`", suggest_id(&t.value)));
        return None;
    }
    Some(t)
}

fn suggest_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "my-id".to_owned()
    } else {
        out
    }
}

fn opt_text(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    f.get(name).and_then(|n| r.text(n, what)).map(|t| t.value)
}

fn req_text(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    f.require(r, name)
        .and_then(|n| r.nonempty(n, what))
        .map(|t| t.value)
}

/// Text that must stay on one line: a name, a title, a codename. A line break or other
/// control character would break a Slack header, a table row or a document property.
fn one_line(r: &mut Reader, t: Text, what: &str) -> Option<Text> {
    if refuse_disguise(r, &t, what, Field::Line) {
        return None;
    }
    let Some(bad) = t
        .value
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    else {
        return Some(t);
    };
    let found = match bad {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break".to_owned(),
        '\t' => "a tab".to_owned(),
        c => format!("the control character U+{:04X}", c as u32),
    };
    r.error(t.loc, format!("{what} must be one line, but it contains {found}"))
        .help = Some(
        "write it on one line, without tabs or other control characters (YAML `>-` folds a long value into one line)"
            .to_owned(),
    );
    None
}

fn opt_line(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    let t = f.get(name).and_then(|n| r.text(n, what))?;
    one_line(r, t, what).map(|t| t.value)
}

fn req_line(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    let t = f.require(r, name).and_then(|n| r.nonempty(n, what))?;
    one_line(r, t, what).map(|t| t.value)
}

fn url(r: &mut Reader, node: &Node, what: &str) -> Option<String> {
    let t = r.nonempty(node, what)?;
    if !(t.value.starts_with("https://") || t.value.starts_with("http://"))
        || t.value.contains(char::is_whitespace)
    {
        r.error(t.loc, format!("{what} must be an http(s) URL"))
            .help = Some("write the full address, starting with https://".to_owned());
        return None;
    }
    Some(t.value)
}

fn slack_id(r: &mut Reader, node: &Node, what: &str, prefixes: &[char]) -> Option<String> {
    let t = r.nonempty(node, what)?;
    let ok = t.value.starts_with(prefixes)
        && t.value.len() >= 3
        && t.value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !ok {
        let first: String = prefixes
            .iter()
            .map(|c| format!("`{c}…`"))
            .collect::<Vec<_>>()
            .join(" or ");
        r.error(t.loc, format!("{what} `{}` is not a Slack id", t.value))
            .help = Some(format!(
            "use the id Slack shows in the profile or group details ({first}, capital letters and digits), not a name"
        ));
        return None;
    }
    Some(t.value)
}

fn channel(r: &mut Reader, node: &Node, what: &str) -> Option<String> {
    let t = r.nonempty(node, what)?;
    let name_ok = t.value.strip_prefix('#').is_some_and(|n| {
        !n.is_empty()
            && n.chars().all(|c| {
                c.is_lowercase()
                    || c.is_ascii_digit()
                    || "-_.".contains(c)
                    || c.is_alphabetic() && !c.is_uppercase()
            })
    });
    let id_ok = t.value.starts_with(['C', 'G'])
        && t.value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !name_ok && !id_ok {
        r.error(
            t.loc,
            format!("{what} `{}` is not a Slack channel", t.value),
        )
        .help = Some(
            "write `#channel-name` (lowercase, quoted in YAML) or a channel id such as `C01ABCDEF`"
                .to_owned(),
        );
        return None;
    }
    Some(t.value)
}

fn person(r: &mut Reader, node: &Node, what: &str, teams: &Registry) -> Option<Person> {
    let f = r.fields(node, what, fields::PERSON)?;
    let name = req_line(r, &f, "name", "a name");
    let github = f.get("github").and_then(|n| {
        let t = r.nonempty(n, "a GitHub user name")?;
        let ok = t.value.len() <= 39
            && !t.value.starts_with('-')
            && t.value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            r.error(t.loc, format!("`{}` is not a GitHub user name", t.value))
                .help = Some("write the login only, without `@` or a URL".to_owned());
            return None;
        }
        Some(t.value)
    });
    let slack = f
        .get("slack")
        .and_then(|n| slack_id(r, n, "Slack member id", &['U', 'W']));
    let team = f
        .get("team")
        .and_then(|n| r.text(n, "a team id"))
        .and_then(|t| teams.team(r, &t));
    Some(Person {
        name: name?,
        github,
        slack,
        team,
    })
}

fn read_teams(r: &mut Reader, node: &Node, team_ids: &BTreeSet<String>) -> Vec<Team> {
    let Some(f) = r.fields(node, "the team registry", fields::TEAMS_FILE) else {
        return Vec::new();
    };
    let Some(list) = f.require(r, "teams") else {
        return Vec::new();
    };
    // A scrum master's team may be any team of the file, also one defined further down.
    let registry = Registry {
        teams: Some(team_ids.clone()),
        tests: None,
    };
    let mut teams: Vec<Team> = Vec::new();
    for item in r.list(list, "the list of teams") {
        let Some(f) = r.fields(item, "a team", fields::TEAM) else {
            continue;
        };
        let id_text = f.require(r, "id").and_then(|n| id(r, n, "team id"));
        let name = req_line(r, &f, "name", "a team name");
        let areas = f
            .get("areas")
            .map(|n| {
                r.list(n, "areas")
                    .iter()
                    .filter_map(|a| {
                        let t = r.nonempty(a, "an area")?;
                        one_line(r, t, "an area")
                    })
                    .map(|t| t.value)
                    .collect()
            })
            .unwrap_or_default();
        let slack_channel = f
            .get("slack_channel")
            .and_then(|n| channel(r, n, "Slack channel"));
        let slack_group = f
            .get("slack_group")
            .and_then(|n| slack_id(r, n, "Slack user-group id", &['S']));
        let scrum_master = f
            .get("scrum_master")
            .and_then(|n| person(r, n, "the scrum master", &registry));
        let (Some(id_text), Some(name)) = (id_text, name) else {
            continue;
        };
        if let Some(first) = teams.iter().find(|t| t.id.0 == id_text.value) {
            r.error(
                id_text.loc,
                format!(
                    "duplicate team id `{}` (first defined on line {})",
                    id_text.value, first.loc.line
                ),
            )
            .help = Some("team ids must be unique; rename or remove one".to_owned());
            continue;
        }
        teams.push(Team {
            id: TeamId(id_text.value),
            name,
            areas,
            slack_channel,
            slack_group,
            scrum_master,
            loc: id_text.loc,
        });
    }
    teams
}

fn read_tests(r: &mut Reader, node: &Node, teams: &Option<BTreeSet<String>>) -> Vec<ManualTest> {
    let registry = Registry {
        teams: teams.clone(),
        tests: None,
    };
    let Some(f) = r.fields(node, "the manual-test catalogue", fields::TESTS_FILE) else {
        return Vec::new();
    };
    let Some(list) = f.require(r, "tests") else {
        return Vec::new();
    };
    let mut tests: Vec<ManualTest> = Vec::new();
    for item in r.list(list, "the list of tests") {
        let Some(f) = r.fields(item, "a manual test", fields::TEST) else {
            continue;
        };
        let id_text = f.require(r, "id").and_then(|n| id(r, n, "test id"));
        let title = req_line(r, &f, "title", "a title");
        let team = f
            .require(r, "team")
            .and_then(|n| r.nonempty(n, "a team id"))
            .and_then(|t| registry.team(r, &t));
        let area = opt_line(r, &f, "area", "an area");
        let issue = f.get("issue").and_then(|n| url(r, n, "issue"));
        let steps = req_text(r, &f, "steps", "the steps");
        let expected = req_text(r, &f, "expected", "the expected result");
        let blocking = f
            .get("blocking")
            .and_then(|n| r.bool(n, "blocking"))
            .unwrap_or(false);
        let (Some(id_text), Some(title), Some(team), Some(steps), Some(expected)) =
            (id_text, title, team, steps, expected)
        else {
            continue;
        };
        if let Some(first) = tests.iter().find(|t| t.id.0 == id_text.value) {
            r.error(
                id_text.loc,
                format!(
                    "duplicate test id `{}` (first defined on line {})",
                    id_text.value, first.loc.line
                ),
            )
            .help = Some("test ids must be unique; rename or remove one".to_owned());
            continue;
        }
        tests.push(ManualTest {
            id: TestId(id_text.value),
            title,
            team,
            area,
            issue,
            steps,
            expected,
            blocking,
            loc: id_text.loc,
        });
    }
    tests
}

const DATE_HELP: &str = "write a date as YYYY-MM-DD, for example 2020-07-21";
const TIME_HELP: &str = "write a time as YYYY-MM-DDTHH:MM in the release's zone (2020-07-20T16:00), or with an offset (2020-07-20T14:00Z)";

fn date(r: &mut Reader, node: &Node, what: &str) -> Option<Located<Date>> {
    let t = r.nonempty(node, what)?;
    let shaped = t.value.len() == 10
        && t.value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        let help = if t.value.contains('T') {
            format!("{what} is a whole day without a time: write it as YYYY-MM-DD")
        } else {
            DATE_HELP.to_owned()
        };
        r.error(t.loc, format!("{what} `{}` is not a date", t.value))
            .help = Some(help);
        return None;
    }
    match t.value.parse::<Date>() {
        Ok(d) => Some(Located {
            value: d,
            loc: t.loc,
        }),
        Err(e) => {
            r.error(
                t.loc,
                format!(
                    "{what} `{}` is not a real date: {}",
                    t.value,
                    root_cause(&e)
                ),
            )
            .help = Some("check the day of the month".to_owned());
            None
        }
    }
}

fn root_cause(e: &jiff::Error) -> String {
    let text = e.to_string();
    text.rsplit(": ").next().unwrap_or(&text).to_owned()
}

/// A date (a whole day) or a date and time, in the release's zone unless it has an offset.
fn moment(r: &mut Reader, node: &Node, what: &str, tz: &TimeZone) -> Option<Located<Moment>> {
    let t = r.text(node, what)?;
    if !t.value.contains('T') {
        return date(r, node, what).map(|d| Located {
            value: Moment::Day(d.value),
            loc: d.loc,
        });
    }
    zoned(r, &t, what, tz).map(|z| Located {
        value: Moment::At(z),
        loc: t.loc,
    })
}

fn zoned(r: &mut Reader, t: &Text, what: &str, tz: &TimeZone) -> Option<jiff::Zoned> {
    let v = t.value.trim();
    let (date_part, time_part) = v.split_once('T').unwrap_or((v, ""));
    let has_offset =
        time_part.ends_with('Z') || time_part.ends_with('z') || time_part.contains(['+', '-']);
    let shaped = date_part.len() == 10 && time_part.len() >= 5 && time_part.as_bytes()[2] == b':';
    if !shaped {
        r.error(t.loc, format!("{what} `{v}` is not a date and time"))
            .help = Some(TIME_HELP.to_owned());
        return None;
    }
    let result = if has_offset {
        v.parse::<jiff::Timestamp>()
            .map(|ts| ts.to_zoned(tz.clone()))
    } else {
        v.parse::<DateTime>().and_then(|dt| {
            let zoned = dt.to_zoned(tz.clone())?;
            warn_clock_change(r, t, dt, &zoned, tz);
            Ok(zoned)
        })
    };
    match result {
        Ok(z) => Some(z),
        Err(e) => {
            r.error(
                t.loc,
                format!(
                    "{what} `{v}` is not a real date and time: {}",
                    root_cause(&e)
                ),
            )
            .help = Some(TIME_HELP.to_owned());
            None
        }
    }
}

/// A wall-clock time that a daylight-saving change skips or repeats: say which instant herald
/// took (the later one for a skipped time, the first of a repeated one).
fn warn_clock_change(r: &mut Reader, t: &Text, dt: DateTime, used: &jiff::Zoned, tz: &TimeZone) {
    use jiff::tz::AmbiguousOffset;
    let zone = tz.iana_name().unwrap_or("the release's zone");
    let written = t.value.trim();
    let used_text = format!(
        "{} ({})",
        used.strftime("%Y-%m-%d %H:%M %Z"),
        used.timestamp().strftime("%H:%M UTC")
    );
    let with_offset = |offset: jiff::tz::Offset| {
        let seconds = offset.seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
        format!(
            "`{}{sign}{hours:02}:{minutes:02}`",
            dt.strftime("%Y-%m-%dT%H:%M")
        )
    };
    let (message, help) = match tz.to_ambiguous_zoned(dt).offset() {
        AmbiguousOffset::Unambiguous { .. } => return,
        AmbiguousOffset::Gap { .. } => (
            format!(
                "`{written}` does not exist in {zone}: the clocks skip it; herald uses {used_text}"
            ),
            format!(
                "write the time the clocks show after the change, for example `{}`",
                used.strftime("%Y-%m-%dT%H:%M")
            ),
        ),
        AmbiguousOffset::Fold { before, after } => (
            format!(
                "`{written}` happens twice in {zone}: the clocks go back; herald uses the first, {used_text}"
            ),
            format!(
                "add the offset to choose: {} for the first or {} for the second",
                with_offset(before),
                with_offset(after)
            ),
        ),
    };
    r.warning(t.loc, message).help = Some(help);
}

fn timezone(r: &mut Reader, node: &Node) -> Option<(TimeZone, String)> {
    let t = r.nonempty(node, "a time zone")?;
    match TimeZone::get(&t.value) {
        Ok(tz) => Some((tz, t.value)),
        Err(_) => {
            let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let help = match yaml::did_you_mean(&t.value, &refs) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "use an IANA zone name such as Europe/Berlin, America/New_York or UTC"
                    .to_owned(),
            };
            r.error(t.loc, format!("unknown time zone `{}`", t.value))
                .help = Some(help);
            None
        }
    }
}

fn version(r: &mut Reader, node: &Node) -> Option<Located<semver::Version>> {
    let t = r.nonempty(node, "a version")?;
    match semver::Version::parse(&t.value) {
        Ok(v) => Some(Located {
            value: v,
            loc: t.loc,
        }),
        Err(e) => {
            let help = if t.value.matches('.').count() == 1 {
                format!("write all three parts, for example `{}.0`", t.value)
            } else {
                "write a semantic version MAJOR.MINOR.PATCH, for example 1.14.0".to_owned()
            };
            r.error(
                t.loc,
                format!("version `{}` is not a semantic version: {e}", t.value),
            )
            .help = Some(help);
            None
        }
    }
}

fn read_release(r: &mut Reader, node: &Node, reg: &Registry) -> Option<Release> {
    let f = r.fields(node, "a release plan", fields::RELEASE)?;
    let version = f.require(r, "version").and_then(|n| version(r, n));
    let product = opt_line(r, &f, "product", "a product name");
    let codename = opt_line(r, &f, "codename", "a codename");
    let zone = optional(f.get("timezone"), |n| timezone(r, n));
    let zone_known = zone.is_some();
    let (timezone, timezone_name) = zone.flatten().unwrap_or((TimeZone::UTC, "UTC".to_owned()));
    let tz = &timezone;
    let branch = opt_line(r, &f, "branch", "a branch name");

    let people = f.require(r, "people").and_then(|n| {
        let p = r.fields(n, "people", fields::PEOPLE)?;
        let release_manager = p
            .get("release_manager")
            .and_then(|n| person(r, n, "the release manager", reg));
        let release_master = p
            .require(r, "release_master")
            .and_then(|n| person(r, n, "the release master", reg));
        let scrum_master = p
            .get("scrum_master")
            .and_then(|n| person(r, n, "the scrum master", reg));
        Some(People {
            release_manager,
            release_master: release_master?,
            scrum_master,
        })
    });

    let channels = f.require(r, "channels").and_then(|n| {
        let c = r.fields(n, "channels", fields::CHANNELS)?;
        let internal = c
            .require(r, "internal")
            .and_then(|n| channel(r, n, "internal channel"));
        let community = c
            .get("community")
            .and_then(|n| channel(r, n, "community channel"));
        Some(Channels {
            internal: internal?,
            community,
        })
    });

    let schedule = f
        .require(r, "schedule")
        .and_then(|n| read_schedule(r, n, tz));
    // Names as written, even when a candidate's date is wrong, so results can still be checked.
    let candidate_names = f
        .get("schedule")
        .map(written_candidate_names)
        .unwrap_or_default();

    let scrum_of_scrums = f.get("scrum_of_scrums").and_then(|n| {
        let s = r.fields(n, "scrum_of_scrums", fields::SCRUM_OF_SCRUMS)?;
        let first = s
            .require(r, "first")
            .and_then(|n| r.text(n, "the first meeting"))
            .and_then(|t| zoned(r, &t, "the first meeting", tz));
        let every_weeks = s
            .get("every_weeks")
            .map_or(Some(2), |n| r.uint(n, "every_weeks", 1, 52));
        let duration_minutes = s
            .get("duration_minutes")
            .map_or(Some(30), |n| r.uint(n, "duration_minutes", 1, 24 * 60));
        let until = optional(s.get("until"), |n| date(r, n, "until"));
        let (first, until) = (first?, until?);
        if let Some(until) = &until
            && until.value < first.date()
        {
            r.error(
                until.loc,
                format!(
                    "scrum_of_scrums ends on {}, before its first meeting on {}",
                    until.value,
                    first.date()
                ),
            )
            .help = Some(
                "move `until` after `first`, or remove it to meet until the release".to_owned(),
            );
            return None;
        }
        Some(ScrumOfScrums {
            first,
            every_weeks: every_weeks?,
            duration_minutes: duration_minutes?,
            until: until.map(|u| u.value),
        })
    });

    let test_environment = f.get("test_environment").and_then(|n| {
        let t = r.fields(n, "test_environment", fields::TEST_ENVIRONMENT)?;
        let url = t
            .require(r, "url")
            .and_then(|n| url(r, n, "the test environment's url"));
        let access = opt_text(r, &t, "access", "access");
        let ready = optional(t.get("ready"), |n| {
            moment(r, n, "ready", tz).map(|m| m.value)
        });
        Some(TestEnvironment {
            url: url?,
            access,
            ready: ready?,
        })
    });

    let mut skip = Vec::new();
    let mut results: BTreeMap<TestId, BTreeMap<String, TestResult>> = BTreeMap::new();
    if let Some(n) = f.get("manual_tests")
        && let Some(m) = r.fields(n, "manual_tests", fields::MANUAL_TESTS)
    {
        if let Some(list) = m.get("skip") {
            for item in r.list(list, "skip") {
                if let Some(id) = r.text(item, "a test id").and_then(|t| reg.test(r, &t)) {
                    skip.push(id);
                }
            }
        }
        if let Some(map) = m.get("results") {
            for (key, per_candidate) in r.entries(map, "results") {
                let test_text = Text {
                    value: key.name.clone(),
                    loc: key.loc,
                };
                let test = reg.test(r, &test_text);
                if let Some(test) = &test
                    && skip.contains(test)
                {
                    r.warning(
                        key.loc,
                        format!("test `{test}` has results but is skipped in this release"),
                    )
                    .help = Some("remove it from `skip`, or remove its results".to_owned());
                }
                for (cand, result) in r.entries(per_candidate, "results by candidate") {
                    if !candidate_names.is_empty() && !candidate_names.contains(&cand.name) {
                        let known: Vec<&str> = candidate_names.iter().map(String::as_str).collect();
                        let help = match yaml::did_you_mean(&cand.name, &known) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => {
                                format!("the candidates of this release are {}", known.join(", "))
                            }
                        };
                        r.error(cand.loc, format!("unknown candidate `{}`", cand.name))
                            .help = Some(help);
                        continue;
                    }
                    let Some(rf) = r.fields(result, "a test result", fields::RESULT) else {
                        continue;
                    };
                    let status = rf.require(r, "status").and_then(|n| {
                        let t = r.text(n, "a status")?;
                        let st = Status::parse(&t.value);
                        if st.is_none() {
                            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                            let help = match yaml::did_you_mean(&t.value, &names) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!("a status is one of {}", names.join(", ")),
                            };
                            r.error(t.loc, format!("unknown status `{}`", t.value)).help =
                                Some(help);
                        }
                        st
                    });
                    let tester = opt_line(r, &rf, "tester", "a tester");
                    let note = opt_text(r, &rf, "note", "a note");
                    if let (Some(test), Some(status)) = (&test, status) {
                        results.entry(test.clone()).or_default().insert(
                            cand.name.clone(),
                            TestResult {
                                status,
                                tester,
                                note,
                            },
                        );
                    }
                }
            }
        }
    }

    let mut pull_requests = Vec::new();
    if let Some(list) = f.get("pull_requests") {
        for item in r.list(list, "pull_requests") {
            let Some(p) = r.fields(item, "a pull request", fields::PULL_REQUEST) else {
                continue;
            };
            let url = p
                .require(r, "url")
                .and_then(|n| url(r, n, "the pull request's url"));
            let title = req_line(r, &p, "title", "a title");
            let teams = team_list(r, &p, "teams", reg);
            let approved_by = team_list(r, &p, "approved_by", reg);
            if let (Some(url), Some(title), Some(teams), Some(approved_by)) =
                (url, title, teams, approved_by)
            {
                if teams.is_empty() {
                    r.error(
                        p.loc,
                        "a pull request needs the `teams` that must approve it",
                    );
                }
                let teams: Vec<TeamId> = teams.into_iter().map(|t| t.value).collect();
                for approved in &approved_by {
                    if !teams.contains(&approved.value) {
                        r.warning(
                            approved.loc,
                            format!(
                                "`{}` approved, but is not among the pull request's teams",
                                approved.value
                            ),
                        )
                        .help = Some(
                            "add it to `teams` if its approval is needed, or remove it from `approved_by`"
                                .to_owned(),
                        );
                    }
                }
                pull_requests.push(PullRequest {
                    url,
                    title,
                    teams,
                    approved_by: approved_by.into_iter().map(|t| t.value).collect(),
                });
            }
        }
    }

    let mut failing_tests = Vec::new();
    if let Some(list) = f.get("failing_tests") {
        for item in r.list(list, "failing_tests") {
            let Some(ft) = r.fields(item, "a failing test", fields::FAILING_TEST) else {
                continue;
            };
            let name = req_line(r, &ft, "name", "a name");
            let team = ft
                .require(r, "team")
                .and_then(|n| r.text(n, "a team id"))
                .and_then(|t| reg.team(r, &t));
            let since = ft
                .require(r, "since")
                .and_then(|n| moment(r, n, "since", tz));
            let link = ft.get("link").and_then(|n| url(r, n, "link"));
            let note = opt_text(r, &ft, "note", "a note");
            if let (Some(name), Some(team), Some(since)) = (name, team, since) {
                failing_tests.push(FailingTest {
                    name,
                    team,
                    since: since.value,
                    link,
                    note,
                });
            }
        }
    }

    let notes = opt_text(r, &f, "notes", "notes");
    let release_notes = f
        .get("release_notes")
        .and_then(|n| url(r, n, "release_notes"));
    let mut sent = Vec::new();
    if let Some(list) = f.get("sent") {
        for item in r.list(list, "sent") {
            if let Some(t) = r.nonempty(item, "a draft id") {
                sent.extend(sent_entry(r, &t, &candidate_names));
            }
        }
    }

    // The date rules need only the schedule: run them here too when other mistakes keep this
    // release from the checked plans, so every mistake shows in one run.
    if r.has_errors()
        && zone_known
        && let Some(s) = &schedule
    {
        let found = crate::check::schedule::check_schedule(r.path, s);
        r.diags.extend(found);
    }
    let version = version?;
    let schedule = schedule?;
    let branch = branch
        .unwrap_or_else(|| format!("release-{}.{}", version.value.major, version.value.minor));
    Some(Release {
        file: r.path.to_path_buf(),
        version,
        product,
        codename,
        timezone,
        timezone_name,
        branch,
        people: people?,
        channels: channels?,
        schedule,
        scrum_of_scrums,
        test_environment,
        skip,
        results,
        pull_requests,
        failing_tests,
        notes,
        release_notes,
        sent,
    })
}

/// One entry of `sent`: a draft id, optionally `@YYYY-MM-DD` for the day it was posted.
fn sent_entry(r: &mut Reader, t: &Text, candidates: &[String]) -> Option<Sent> {
    let (id, on) = match t.value.split_once('@') {
        Some((id, day)) => {
            let Ok(day) = day.parse::<Date>() else {
                r.error(t.loc, format!("`{}` does not end in a date", t.value))
                    .help = Some(format!(
                    "write the day the draft was posted as `{id}@YYYY-MM-DD`, or the id alone when it is done for good"
                ));
                return None;
            };
            (id, Some(day))
        }
        None => (t.value.as_str(), None),
    };
    let mut known: Vec<String> = [
        "deadlines",
        "test-environment",
        "approvals",
        "failing-tests",
        "release",
    ]
    .map(str::to_owned)
    .to_vec();
    for c in candidates {
        known.push(format!("cherry-pick-{c}"));
        known.push(format!("manual-tests-{c}"));
    }
    if !known.iter().any(|k| k == id) {
        let refs: Vec<&str> = known.iter().map(String::as_str).collect();
        let help = match yaml::did_you_mean(id, &refs) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("the drafts of this release are {}", refs.join(", ")),
        };
        r.warning(
            t.loc,
            format!("`sent` names `{id}`, which is not a draft of this release"),
        )
        .help = Some(help);
    }
    Some(Sent {
        id: id.to_owned(),
        on,
    })
}

/// An optional field: `Some(None)` when absent, `None` when present but wrong.
fn optional<T>(node: Option<&Node>, read: impl FnOnce(&Node) -> Option<T>) -> Option<Option<T>> {
    match node {
        Some(n) => read(n).map(Some),
        None => Some(None),
    }
}

/// The candidate names written under `schedule.candidates`, whatever else is wrong there.
fn written_candidate_names(schedule: &Node) -> Vec<String> {
    list_field(schedule, "candidates")
        .iter()
        .filter_map(|item| scalar_field(item, "name"))
        .collect()
}

/// The valid ids written in the list `list` of a registry file, whatever else is wrong there.
fn written_ids(file: &Node, list: &str) -> BTreeSet<String> {
    list_field(file, list)
        .iter()
        .filter_map(|item| scalar_field(item, "id"))
        .filter(|id| is_id(id))
        .collect()
}

/// The version of a release file, if it is written and valid, whatever else is wrong there.
fn written_version(file: &Node) -> Option<Located<semver::Version>> {
    let node = field(file, "version")?;
    let (Kind::Str(text) | Kind::Other(text)) = &node.kind else {
        return None;
    };
    Some(Located {
        value: semver::Version::parse(text).ok()?,
        loc: node.loc,
    })
}

fn field<'n>(node: &'n Node, name: &str) -> Option<&'n Node> {
    let Kind::Map(entries) = &node.kind else {
        return None;
    };
    entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v)
}

fn scalar_field(node: &Node, name: &str) -> Option<String> {
    match &field(node, name)?.kind {
        Kind::Str(s) | Kind::Other(s) => Some(s.clone()),
        _ => None,
    }
}

fn list_field<'n>(node: &'n Node, name: &str) -> &'n [Node] {
    match field(node, name).map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items,
        _ => &[],
    }
}

/// A list of team ids, each with the place it was written.
fn team_list(
    r: &mut Reader,
    f: &Fields,
    name: &str,
    reg: &Registry,
) -> Option<Vec<Located<TeamId>>> {
    let Some(list) = f.get(name) else {
        return Some(Vec::new());
    };
    let mut ok = true;
    let mut teams = Vec::new();
    for item in r.list(list, name) {
        match r.text(item, "a team id").and_then(|t| reg.team(r, &t)) {
            Some(value) => teams.push(Located {
                value,
                loc: item.loc,
            }),
            None => ok = false,
        }
    }
    ok.then_some(teams)
}

/// Milestone slugs that are not candidates; a candidate's name is its slug.
pub const FIXED_SLUGS: [&str; 3] = ["release", "freeze", "deadlines-announcement"];
/// Prefixes of the slugs and draft ids derived from other milestones.
pub const DERIVED_PREFIXES: [&str; 3] = ["event-", "cherry-pick-", "manual-tests-"];

/// A candidate name that cannot take another milestone's id (`1.14.0/release`), calendar
/// UID or page anchor.
fn candidate_name(r: &mut Reader, name: Text) -> Option<Text> {
    let taken = FIXED_SLUGS.contains(&name.value.as_str())
        || DERIVED_PREFIXES.iter().any(|p| name.value.starts_with(p));
    if !taken {
        return Some(name);
    }
    r.error(
        name.loc,
        format!(
            "candidate name `{}` would give the candidate the id of another milestone",
            name.value
        ),
    )
    .help = Some(
        "`release`, `freeze` and `deadlines-announcement` are other milestones, and ids that \
         start with `event-`, `cherry-pick-` or `manual-tests-` are derived from them; name \
         candidates rc1, rc2, …"
            .to_owned(),
    );
    None
}

fn read_schedule(r: &mut Reader, node: &Node, tz: &TimeZone) -> Option<Schedule> {
    let f = r.fields(node, "the schedule", fields::SCHEDULE)?;
    let deadlines_announcement = optional(f.get("deadlines_announcement"), |n| {
        moment(r, n, "deadlines_announcement", tz)
    });
    let freeze = optional(f.get("freeze"), |n| moment(r, n, "freeze", tz));
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut candidates_ok = true;
    if let Some(list) = f.require(r, "candidates") {
        let items = r.list(list, "candidates");
        if items.is_empty() {
            r.error(list.loc, "a release needs at least one candidate")
                .help =
                Some("add `- { name: rc1, date: YYYY-MM-DD }` under `candidates:`".to_owned());
            candidates_ok = false;
        }
        for item in items {
            let Some(c) = r.fields(item, "a candidate", fields::CANDIDATE) else {
                candidates_ok = false;
                continue;
            };
            let name = c
                .require(r, "name")
                .and_then(|n| id(r, n, "candidate name"));
            let cdate = c
                .require(r, "date")
                .and_then(|n| date(r, n, "the candidate's date"));
            let cherry = optional(c.get("cherry_pick_deadline"), |n| {
                moment(r, n, "cherry_pick_deadline", tz)
            });
            let name = name.and_then(|n| candidate_name(r, n));
            let (Some(name), Some(cdate), Some(cherry)) = (name, cdate, cherry) else {
                candidates_ok = false;
                continue;
            };
            if let Some(first) = candidates.iter().find(|x| x.name.value == name.value) {
                r.error(
                    name.loc,
                    format!(
                        "duplicate candidate name `{}` (first on line {})",
                        name.value, first.name.loc.line
                    ),
                )
                .help = Some("name candidates rc1, rc2, … once each".to_owned());
                continue;
            }
            candidates.push(Candidate {
                name: Located {
                    value: name.value,
                    loc: name.loc,
                },
                date: cdate,
                cherry_pick_deadline: cherry,
            });
        }
    } else {
        candidates_ok = false;
    }
    let release = f
        .require(r, "release")
        .and_then(|n| date(r, n, "the release date"));
    let mut events = Vec::new();
    let mut event_ids: Vec<String> = Vec::new();
    if let Some(list) = f.get("events") {
        for item in r.list(list, "events") {
            let Some(e) = r.fields(item, "an event", fields::EVENT) else {
                continue;
            };
            let event_id = optional(e.get("id"), |n| id(r, n, "event id"));
            if let Some(Some(given)) = &event_id {
                if event_ids.contains(&given.value) {
                    r.error(given.loc, format!("duplicate event id `{}`", given.value))
                        .help = Some("give each event its own id".to_owned());
                }
                event_ids.push(given.value.clone());
            }
            let title = req_line(r, &e, "title", "a title");
            let edate = e
                .require(r, "date")
                .and_then(|n| date(r, n, "the event's date"));
            let description = opt_text(r, &e, "description", "a description");
            if let (Some(event_id), Some(title), Some(edate)) = (event_id, title, edate) {
                events.push(Event {
                    id: event_id.map(|t| t.value),
                    title,
                    date: edate.value,
                    description,
                });
            }
        }
    }
    if !candidates_ok {
        return None;
    }
    Some(Schedule {
        deadlines_announcement: deadlines_announcement?,
        freeze: freeze?,
        candidates,
        release: release?,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_letters_digits_and_dashes() {
        assert!(is_id("kafka-channel-2"));
        assert!(!is_id("Huskies"));
        assert!(!is_id("a b"));
        assert!(!is_id("-x"));
        assert_eq!(suggest_id("Team Huskies!"), "team-huskies");
    }

    use std::time::{Duration, Instant};

    /// A plans folder with the good fixture's registry and catalogue, then `files` on top.
    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        let good = Path::new("tests/fixtures/check/good");
        for name in ["teams.yaml", "manual-tests.yaml", "1.0.yaml"] {
            std::fs::copy(good.join(name), tmp.path().join(name)).expect("copy");
        }
        for (name, bytes) in files {
            std::fs::write(tmp.path().join(name), bytes).expect("write");
        }
        tmp
    }

    /// What `herald check` prints for the folder, with the folder's path cut off, and how
    /// long loading and checking took.
    fn human(dir: &Path) -> (String, Duration) {
        let started = Instant::now();
        let today = Date::constant(2026, 11, 26);
        let checked = crate::check(dir, today, false).expect("loads");
        let elapsed = started.elapsed();
        let text = crate::diag::render_human(&checked.diags, &checked.plans.sources)
            + &crate::diag::summary_line(&checked.diags, checked.files());
        let prefix = format!("{}/", show_path(dir));
        (text.replace(&prefix, ""), elapsed)
    }

    const LINK_HELP: &str =
        "  = help: copy the file into the plans folder instead of linking to it\n";

    /// Finding 7: a plan linked to a file outside the folder is refused, and not a byte of
    /// the target reaches the output.
    #[cfg(unix)]
    #[test]
    fn links_to_files_outside_the_folder_are_refused_without_quoting_them() {
        let outside = tempfile::tempdir().expect("tempdir");
        let secret = outside.path().join("id_ed25519");
        std::fs::write(&secret, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecret\n")
            .expect("write");
        let dir = folder(&[]);
        for name in ["teams.yaml", "2.0.yaml"] {
            let link = dir.path().join(name);
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&secret, &link).expect("symlink");
        }
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            format!(
                "2.0.yaml:1:1: error: file is a symbolic link to a place outside the plans folder, so herald does not read it\n{LINK_HELP}\n\
                 teams.yaml:1:1: error: file is a symbolic link to a place outside the plans folder, so herald does not read it\n\
                 \x20 = help: copy the file into the plans folder instead of linking to it; team references in the release plans are not checked until it can be read\n\n\
                 2 errors, 0 warnings in 2 files"
            )
        );
        assert!(!text.contains("OPENSSH") && !text.contains("secret"));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_folder_are_read_and_dangling_ones_reported() {
        let dir = folder(&[(
            "teams.real",
            b"teams:\n  - { id: huskies, name: Huskies }\n  - { id: goat, name: Goat }\n",
        )]);
        let teams = dir.path().join("teams.yaml");
        std::fs::remove_file(&teams).expect("remove");
        std::os::unix::fs::symlink("teams.real", &teams).expect("symlink");
        std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("2.0.yaml")).expect("symlink");
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            "2.0.yaml:1:1: error: file is a symbolic link to a file that does not exist\n\
             \x20 = help: replace the link with the file, or point it at a file inside the plans folder\n\n\
             1 error, 0 warnings in 3 files"
        );
    }

    /// Finding 13: a FIFO named like a plan is refused without being opened (opening it for
    /// reading would wait for a writer forever), and so is a device behind a link.
    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_without_opening_them() {
        let dir = folder(&[]);
        let fifo = dir.path().join("teams.yaml");
        std::fs::remove_file(&fifo).expect("remove");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("2.0.yaml")).expect("symlink");
        let (text, elapsed) = human(dir.path());
        assert_eq!(
            text,
            format!(
                "2.0.yaml:1:1: error: file is a symbolic link to a place outside the plans folder, so herald does not read it\n{LINK_HELP}\n\
                 teams.yaml:1:1: error: file is a named pipe (FIFO), not a regular file, so herald does not read it\n\
                 \x20 = help: replace it with a regular file holding the plan, or move it out of the plans folder; team references in the release plans are not checked until it can be read\n\n\
                 2 errors, 0 warnings in 2 files"
            )
        );
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        assert!(matches!(
            read_plan_bytes(Path::new("/dev/zero"), Path::new("/")),
            Err(Refused::NotAFile("a character device"))
        ));
        assert!(matches!(
            read_plan_bytes(&root, Path::new("/")),
            Err(Refused::NotAFile("a folder"))
        ));
    }

    /// Finding 13: the size limit holds before and while reading: a 2 GB sparse file is
    /// refused from its size, without reading it.
    #[test]
    fn huge_files_are_refused_without_reading_them() {
        let dir = folder(&[]);
        let file = std::fs::File::create(dir.path().join("teams.yaml")).expect("create");
        file.set_len(2 << 30).expect("sparse file");
        let (text, elapsed) = human(dir.path());
        assert!(
            text.starts_with(
                "teams.yaml:1:1: error: file is 2147483648 bytes, more than the 4194304 a plan may have\n"
            ),
            "{text}"
        );
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }

    /// `build` fingerprints the plans before checking them: it read a 2 GB file whole (and a
    /// FIFO behind a link would block); it reads as the loader does now.
    #[cfg(unix)]
    #[test]
    fn the_build_fingerprint_reads_plans_as_the_loader_does() {
        let dir = folder(&[]);
        let file = std::fs::File::create(dir.path().join("teams.yaml")).expect("create");
        file.set_len(2 << 30).expect("sparse file");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        std::os::unix::fs::symlink(&fifo, dir.path().join("2.0.yaml")).expect("symlink");
        let started = Instant::now();
        let prints = crate::write::keys::fingerprint_plans(dir.path()).expect("fingerprints");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            prints[&dir.path().join("teams.yaml")],
            "refused: TooLarge(Some(2147483648))"
        );
        assert_eq!(prints.len(), 3, "{prints:?}");
    }

    /// A file name that is not UTF-8 was "missing" with the registry's hint; one with a line
    /// break split the `path:line:column` line.
    #[cfg(unix)]
    #[test]
    fn odd_file_names_are_named_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let dir = folder(&[("2.0\n\u{1b}[31m.yaml", b"version: 2.0.0\n")]);
        let bad = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(b"2.1\xff.yaml"));
        std::fs::write(&bad, "version: 2.1.0\n").expect("write");
        let (text, _) = human(dir.path());
        assert!(
            text.starts_with(
                "2.0\\n\\u{1b}[31m.yaml:1:1: error: missing required field `channels` in a release plan\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "2.1\\xff.yaml:1:1: error: the file name is not valid UTF-8, so herald does not read the file\n\
                 \x20 = help: rename the file using UTF-8 characters only, for example `1.14.yaml`\n"
            ),
            "{text}"
        );
        assert!(!text.contains("missing\n"), "{text}");
    }

    /// `teams.yml` was read as a release plan; it is the registry, misnamed.
    #[test]
    fn registries_named_yml_are_read_as_registries_and_reported() {
        let good = std::fs::read("tests/fixtures/check/good/teams.yaml").expect("read");
        let dir = folder(&[("teams.yml", &good)]);
        std::fs::remove_file(dir.path().join("teams.yaml")).expect("remove");
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            "teams.yml:1:1: error: the team registry must be named `teams.yaml`\n  |\n1 | teams:\n  | ^\n\
             \x20 = help: rename the file to `teams.yaml`; until then herald reads it as the team registry, so the other errors are real\n\n\
             1 error, 0 warnings in 3 files"
        );
        let dir = folder(&[("manual-tests.yml", b"tests: []\n")]);
        let (text, _) = human(dir.path());
        assert!(
            text.starts_with(
                "manual-tests.yml:1:1: error: a second manual-test catalogue: herald reads `manual-tests.yaml`, so this file is not read\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("1 error, 0 warnings in 3 files"), "{text}");
    }

    /// One syntax error in the registry gave one error per team reference in the releases.
    #[test]
    fn an_unreadable_registry_is_one_error_not_one_per_reference() {
        let dir = folder(&[(
            "teams.yaml",
            b"teams:\n  - { id: huskies, name: Huskies\n  - { id: goat }\n",
        )]);
        let (text, _) = human(dir.path());
        assert!(text.ends_with("1 error, 0 warnings in 3 files"), "{text}");
        assert!(
            text.contains(
                "team references in the release plans are not checked until it can be read"
            ),
            "{text}"
        );
        // A catalogue that cannot be read: test ids are not checked either.
        let dir = folder(&[("manual-tests.yaml", b"tests: [\n")]);
        let (text, _) = human(dir.path());
        assert!(text.ends_with("1 error, 0 warnings in 3 files"), "{text}");
        // A registry that reads, but where no id can be found at all, counts as unreadable.
        let dir = folder(&[("teams.yaml", b"team:\n  - { id: huskies, name: Huskies }\n")]);
        let (text, _) = human(dir.path());
        assert!(!text.contains("unknown team"), "{text}");
        // A missing catalogue still means a release may not name tests.
        let dir = folder(&[]);
        std::fs::remove_file(dir.path().join("manual-tests.yaml")).expect("remove");
        let (text, _) = human(dir.path());
        assert!(
            text.contains("error: unknown manual test `kafka-delivery`"),
            "{text}"
        );
    }

    /// A file with lone CR line breaks whose first line is a comment was "empty".
    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        let good = std::fs::read_to_string("tests/fixtures/check/good/1.0.yaml").expect("read");
        let cr = good
            .replace('\n', "\r")
            .replace("timezone: Europe/Berlin", "timezone: Europe/Berln");
        let dir = folder(&[("1.0.yaml", cr.as_bytes())]);
        let (text, _) = human(dir.path());
        assert_eq!(
            text,
            "1.0.yaml:3:11: error: unknown time zone `Europe/Berln`\n  |\n3 | timezone: Europe/Berln\n  |           ^^^^^^^^^^^^\n\
             \x20 = help: did you mean `Europe/Berlin`?\n\n1 error, 0 warnings in 3 files"
        );
        let dir = folder(&[("1.0.yaml", b"version: 1.0.0\rcodename: \xff\r")]);
        let (text, _) = human(dir.path());
        assert!(
            text.starts_with("1.0.yaml:2:11: error: file is not valid UTF-8 text\n"),
            "{text}"
        );
    }

    /// Finding 12: "did you mean" on huge unknown values took seconds.
    #[test]
    fn huge_unknown_values_check_quickly() {
        let good = std::fs::read_to_string("tests/fixtures/check/good/1.0.yaml").expect("read");
        let zone = "Europe/Berlin".repeat(80_000);
        let release = good.replace("timezone: Europe/Berlin", &format!("timezone: {zone}"));
        let mut tests = String::from("tests:\n");
        for i in 0..1000 {
            tests.push_str(&format!(
                "  - {{ id: test-{i}, title: T, team: goat, steps: s, expected: e }}\n"
            ));
        }
        let id = "t".repeat(300_000);
        let release = release.replace("skip: [kafka-delivery]", &format!("skip: [{id}]"));
        let dir = folder(&[
            ("1.0.yaml", release.as_bytes()),
            ("manual-tests.yaml", tests.as_bytes()),
        ]);
        let (text, elapsed) = human(dir.path());
        assert!(
            text.contains("error: unknown time zone `Europe/BerlinEurope/Berlin"),
            "{}",
            &text[..300]
        );
        assert!(
            text.contains("error: unknown manual test `ttttt"),
            "{}",
            &text[..300]
        );
        assert!(text.contains("= help: use an IANA zone name such as Europe/Berlin"));
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }
}
