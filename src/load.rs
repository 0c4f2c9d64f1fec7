//! Reads a plans folder into [`Plans`], reporting every problem it meets with its place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Loc};
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

/// Loads every file of a plans folder.
pub fn load(dir: &Path) -> Result<Loaded, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::Missing(dir.display().to_string()));
    }
    let io = |path: &Path, source| LoadError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut release_files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let entry = entry.map_err(|e| io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if is_yaml && name != TEAMS_FILE && name != TESTS_FILE && entry.path().is_file() {
            release_files.push(dir.join(name));
        }
    }
    release_files.sort();

    let mut plans = Plans {
        dir: dir.to_path_buf(),
        ..Plans::default()
    };
    let mut diags = Diagnostics::default();

    // Reading and parsing is most of the work, and every file is independent. The registry
    // files come first: releases refer to their ids.
    let teams_path = dir.join(TEAMS_FILE);
    let tests_path = dir.join(TESTS_FILE);
    let (teams_read, tests_read) = rayon::join(
        || read_file(&teams_path, true),
        || read_file(&tests_path, false),
    );
    let mut keep = |path: &Path, outcome: FileRead| {
        if let Some(text) = outcome.text {
            plans.files += 1;
            plans.sources.insert(path.to_path_buf(), text);
        }
        diags.extend(outcome.diag);
        outcome.node
    };
    let teams_node = keep(&teams_path, teams_read?);
    let tests_node = keep(&tests_path, tests_read?);

    // References are checked against every id written, even in entries with other mistakes,
    // so one mistyped field in a team does not also make every mention of it an error.
    let mut team_ids = BTreeSet::new();
    if let Some(node) = teams_node {
        team_ids = written_ids(&node, "teams");
        let mut r = Reader::new(&teams_path);
        plans.teams = read_teams(&mut r, &node, &team_ids);
        diags.extend(r.diags);
    }
    let mut test_ids = BTreeSet::new();
    if let Some(node) = tests_node {
        test_ids = written_ids(&node, "tests");
        let mut r = Reader::new(&tests_path);
        plans.tests = read_tests(&mut r, &node, &team_ids);
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
            let outcome = read_file(path, true)?;
            let converted = outcome.node.as_ref().map(|node| {
                let version = written_version(node).map(|v| (v.value, path.clone(), v.loc));
                let mut r = Reader::new(path);
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
                    format!("version {version} is also planned in {}", first.display()),
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

/// Reads and parses one file.
fn read_file(path: &Path, required: bool) -> Result<FileRead, LoadError> {
    let mut out = FileRead {
        text: None,
        node: None,
        diag: None,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if required {
                out.diag = Some(
                    Diagnostic::error(path, Loc::new(1, 1, 1), "file is missing").with_help(
                        "every plans folder needs a team registry; `herald init` writes an example",
                    ),
                );
            }
            return Ok(out);
        }
        Err(source) => {
            return Err(LoadError::Io {
                path: path.display().to_string(),
                source,
            });
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = String::from_utf8_lossy(valid);
            let line = valid.matches('\n').count() as u32 + 1;
            let column = valid.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
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

struct Registry {
    teams: BTreeSet<String>,
    tests: BTreeSet<String>,
}

impl Registry {
    fn team(&self, r: &mut Reader, t: &Text) -> Option<TeamId> {
        if self.teams.contains(&t.value) {
            return Some(TeamId(t.value.clone()));
        }
        let known: Vec<&str> = self.teams.iter().map(String::as_str).collect();
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
        if self.tests.contains(&t.value) {
            return Some(TestId(t.value.clone()));
        }
        let known: Vec<&str> = self.tests.iter().map(String::as_str).collect();
        let help = match yaml::did_you_mean(&t.value, &known) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("add it to {TESTS_FILE} first"),
        };
        r.error(t.loc, format!("unknown manual test `{}`", t.value))
            .help = Some(help);
        None
    }
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
        teams: team_ids.clone(),
        tests: BTreeSet::new(),
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

fn read_tests(r: &mut Reader, node: &Node, teams: &BTreeSet<String>) -> Vec<ManualTest> {
    let registry = Registry {
        teams: teams.clone(),
        tests: BTreeSet::new(),
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
}
