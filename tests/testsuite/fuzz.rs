//! Fuzzing `check` through the library: every case of the committed corpus (tests/fuzz/corpus,
//! one plan file per case, named `ROLE-what.yaml` where ROLE says which file of a plans folder
//! it is) must give its expected diagnostic, and deterministic mutations of the corpus and of
//! the example plans must never panic, never take 2 s, and never print a raw control character.
//!
//! `HERALD_FUZZ_SECONDS` bounds the mutation run (20 s by default), `HERALD_FUZZ_SEED` picks
//! another sequence of mutants. A failing mutant is saved under target/fuzz-failures/.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use herald::diag::{render_github, render_human, render_json, summary_line};
use jiff::civil::Date;

const TODAY: Date = Date::constant(2026, 11, 26);
/// The longest a check of one small plans folder may take, even in a debug build on a
/// busy machine; quadratic work on a hostile input takes far longer.
const MAX_CHECK: Duration = Duration::from_secs(2);
const GOOD: &str = "tests/fixtures/check/good";

/// Which file of a plans folder a case is.
#[derive(Clone, Copy, Debug)]
enum Role {
    Teams,
    Tests,
    Release,
}

impl Role {
    fn of(name: &str) -> Role {
        match name {
            n if n.starts_with("teams") => Role::Teams,
            n if n.starts_with("tests") || n.starts_with("manual-tests") => Role::Tests,
            _ => Role::Release,
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Role::Teams => "teams.yaml",
            Role::Tests => "manual-tests.yaml",
            Role::Release => "1.0.yaml",
        }
    }
}

/// A plans folder holding the good fixture, where one file at a time is replaced.
struct Folder {
    dir: tempfile::TempDir,
    good: Vec<(Role, Vec<u8>)>,
}

impl Folder {
    fn new() -> Folder {
        let good = [Role::Teams, Role::Tests, Role::Release]
            .into_iter()
            .map(|role| {
                let bytes = std::fs::read(Path::new(GOOD).join(role.file_name())).expect("read");
                (role, bytes)
            })
            .collect();
        Folder {
            dir: tempfile::tempdir().expect("tempdir"),
            good,
        }
    }

    /// Writes the good folder with `bytes` as the file of `role`.
    fn with(&self, role: Role, bytes: &[u8]) -> &Path {
        for (r, good) in &self.good {
            let text: &[u8] = if r.file_name() == role.file_name() {
                bytes
            } else {
                good
            };
            std::fs::write(self.dir.path().join(r.file_name()), text).expect("write");
        }
        self.dir.path()
    }
}

/// Checks a folder as `herald check` does and renders all three formats: the human text
/// (with the folder's path cut off), how long it took, or the panic's message.
fn check(dir: &Path) -> Result<(String, Duration), String> {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let checked = herald::check(dir, TODAY, false).map_err(|e| e.to_string())?;
        let human = render_human(&checked.diags, &checked.plans.sources)
            + &summary_line(&checked.diags, checked.files());
        let github = render_github(&checked.diags);
        let json = render_json(&checked.diags);
        Ok::<_, String>((human, github, json))
    }));
    let elapsed = started.elapsed();
    let (human, github, json) = match outcome {
        Ok(Ok(texts)) => texts,
        Ok(Err(load_error)) => return Ok((format!("load error: {load_error}"), elapsed)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            return Err(format!("panicked: {message}"));
        }
    };
    for (format, text) in [("human", &human), ("github", &github), ("json", &json)] {
        if let Some(c) = text.chars().find(|&c| is_unsafe_to_print(c)) {
            return Err(format!(
                "{format} output holds U+{:04X} raw:\n{text}",
                c as u32
            ));
        }
    }
    let prefix = format!("{}/", dir.display());
    Ok((human.replace(&prefix, ""), elapsed))
}

fn is_unsafe_to_print(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{2028}' | '\u{2029}'
        )
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut cases: Vec<(String, Vec<u8>)> = std::fs::read_dir("tests/fuzz/corpus")
        .expect("corpus folder")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("read"))
        })
        .collect();
    cases.sort();
    cases
}

/// What each crafted case must report (a part of `herald check`'s output).
const EXPECTED: &[(&str, &str)] = &[
    (
        "release-alias-as-flow-key.yaml",
        "1.0.yaml:2:6: error: a key must be a single value, not a list or mapping",
    ),
    (
        "release-alias-bomb.yaml",
        "error: file is too large to be a plan (more than 250000 values, aliases expanded)",
    ),
    (
        "release-alias-list-as-key.yaml",
        "1.0.yaml:2:1: error: a key must be a single value, not a list or mapping",
    ),
    (
        "release-alias-map-as-key.yaml",
        "1.0.yaml:3:3: error: a key must be a single value, not a list or mapping",
    ),
    (
        "release-anchor-on-key.yaml",
        "1.0.yaml:24:1: error: duplicate key `version` (first on line 2)",
    ),
    (
        "release-bidi-in-notes.yaml",
        "1.0.yaml:25:7: error: notes contains U+2067 RIGHT-TO-LEFT ISOLATE, which can disguise text\n   |\n25 |   Ask \\u{2067}@evil\\u{2069} for access.\n   |       ^^^^^^^^\n",
    ),
    (
        "release-bidi-override.yaml",
        "1.0.yaml:3:17: error: a codename contains U+202E RIGHT-TO-LEFT OVERRIDE, which can disguise text",
    ),
    (
        "release-block-scalars.yaml",
        "1.0.yaml:29:3: error: release_notes must be an http(s) URL",
    ),
    ("release-bom.yaml", "0 errors, 0 warnings in 3 files"),
    (
        "release-comment-only.yaml",
        "1.0.yaml:1:1: error: file is empty",
    ),
    (
        "release-complex-key.yaml",
        "1.0.yaml:1:3: error: a key must be a single value, not a list or mapping",
    ),
    (
        "release-complex-map-key.yaml",
        "1.0.yaml:1:3: error: a key must be a single value, not a list or mapping",
    ),
    (
        "release-control-escapes.yaml",
        "1.0.yaml:5:84: error: unknown team `huskies\\u{1b}[2J\\u{7}`",
    ),
    (
        "release-cr-only.yaml",
        "1.0.yaml:3:11: error: unknown time zone `Europe/Berln`\n  |\n3 | timezone: Europe/Berln\n",
    ),
    (
        "release-crlf.yaml",
        "1.0.yaml:10:11: error: freeze 2026-12-21 is after the first candidate `rc1` (2026-12-20)",
    ),
    (
        "release-deep-maps.yaml",
        "error: file is too deeply nested to be a plan (more than 64 levels)",
    ),
    (
        "release-deep-nesting.yaml",
        "error: file is too deeply nested to be a plan",
    ),
    ("release-directive.yaml", "0 errors, 0 warnings in 3 files"),
    (
        "release-duplicate-merge.yaml",
        "1.0.yaml:1:1: error: missing required field `version` in a release plan",
    ),
    (
        "release-empty-documents.yaml",
        "1.0.yaml:1:4: error: expected a release plan (a mapping of fields), found nothing",
    ),
    (
        "release-extreme-dates.yaml",
        "1.0.yaml:9:27: error: deadlines_announcement `-009999-01-01T00:00` is not a date and time",
    ),
    (
        "release-flow-seq-key.yaml",
        "1.0.yaml:1:1: error: a key must be a single value, not a list or mapping",
    ),
    (
        "release-huge-int.yaml",
        "1.0.yaml:2:10: error: version `99999999999999999999.0.0` is not a semantic version",
    ),
    (
        "release-invalid-utf8.yaml",
        "1.0.yaml:2:11: error: file is not valid UTF-8 text",
    ),
    (
        "release-long-line.yaml",
        "1.0.yaml:3:5011: error: a codename contains U+202E RIGHT-TO-LEFT OVERRIDE",
    ),
    ("release-merge-keys.yaml", "0 errors, 0 warnings in 3 files"),
    (
        "release-merge-scalar.yaml",
        "1.0.yaml:1:1: error: missing required field `people` in a release plan",
    ),
    (
        "release-nul.yaml",
        "1.0.yaml:1:15: error: invalid YAML: unexpected character: `\\u{0}'\n  |\n1 | version: 1.0.0\\u{0}\n",
    ),
    (
        "release-null-key.yaml",
        "1.0.yaml:2:1: error: duplicate key `` (first on line 1)",
    ),
    (
        "release-raw-c1.yaml",
        "1.0.yaml:3:11: error: invalid YAML: unexpected character: `\\u{9b}'\n  |\n3 | codename: raw \\u{9b}2J\n",
    ),
    (
        "release-raw-control.yaml",
        "1.0.yaml:3:16: error: invalid YAML: unexpected character: `\\u{1b}'\n  |\n3 | codename: \"raw \\u{1b}[31m\\u{7}\"\n",
    ),
    (
        "release-self-alias.yaml",
        "1.0.yaml:1:8: error: alias to an anchor that is not defined",
    ),
    (
        "release-several-documents.yaml",
        "1.0.yaml:3:1: error: several YAML documents in one file",
    ),
    (
        "release-tabs.yaml",
        "1.0.yaml:3:2: error: invalid YAML: tabs disallowed",
    ),
    ("release-tags.yaml", "0 errors, 0 warnings in 3 files"),
    (
        "release-undefined-alias.yaml",
        "1.0.yaml:1:10: error: invalid YAML: while parsing node, found unknown anchor",
    ),
    (
        "release-zero-width-escape.yaml",
        "1.0.yaml:3:10: error: a product name contains U+200B ZERO WIDTH SPACE, which can disguise text",
    ),
    (
        "release-zero-width-team.yaml",
        "1.0.yaml:5:88: error: a team id contains U+200B ZERO WIDTH SPACE, which can disguise text",
    ),
    (
        "teams-alias-as-key.yaml",
        "teams.yaml:3:7: error: a key must be a single value, not a list or mapping",
    ),
    // A joiner inside an emoji sequence is fine; one after a Latin word is not.
    (
        "teams-emoji-joiner.yaml",
        "teams.yaml:3:28: error: a team name contains U+200D ZERO WIDTH JOINER, which can disguise text\n  |\n3 |   - { id: goat, name: \"Goat\\u{200d}\" }\n  |                            ^^^^^^^^\n  = help: remove it: it is invisible, and can reorder or hide the text around it (retype the value if you cannot see it)\n\n1 error, 0 warnings in 3 files",
    ),
    // One syntax error in the registry is one error, not one per team reference.
    (
        "teams-syntax-error.yaml",
        "teams.yaml:2:5: error: invalid YAML: unclosed bracket '{'\n  |\n2 |   - { id: huskies, name: Huskies\n  |     ^\n  = help: fix the YAML syntax at this place (indentation, quotes, brackets); team references in the release plans are not checked until it can be read\n\n1 error, 0 warnings in 3 files",
    ),
    (
        "tests-bidi-title.yaml",
        "manual-tests.yaml:2:35: error: a title contains U+202E RIGHT-TO-LEFT OVERRIDE, which can disguise text",
    ),
    (
        "tests-syntax-error.yaml",
        "manual-tests.yaml:1:8: error: invalid YAML: unclosed bracket '['\n  |\n1 | tests: [\n  |        ^\n  = help: fix the YAML syntax at this place (indentation, quotes, brackets); manual-test references in the release plans are not checked until it can be read\n\n1 error, 0 warnings in 3 files",
    ),
];

#[test]
fn every_corpus_case_gives_its_diagnostic() {
    let folder = Folder::new();
    let mut failures = Vec::new();
    for (name, bytes) in corpus() {
        let role = Role::of(&name);
        match check(folder.with(role, &bytes)) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok((text, elapsed)) => {
                if std::env::var_os("HERALD_FUZZ_SHOW").is_some() {
                    println!("=== {name}\n{text}\n");
                }
                if elapsed > MAX_CHECK {
                    failures.push(format!("{name}: took {elapsed:?}"));
                }
                match EXPECTED.iter().find(|(case, _)| *case == name) {
                    Some((_, expected)) if !text.contains(expected) => {
                        failures.push(format!("{name}: expected `{expected}` in\n{text}"))
                    }
                    Some(_) => {}
                    None => failures.push(format!("{name}: no expected diagnostic in EXPECTED")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Cases too big to commit, made at run time: each must check in well under the limit.
#[test]
fn huge_generated_cases_check_quickly() {
    let folder = Folder::new();
    let good = String::from_utf8(folder.good[2].1.clone()).expect("UTF-8");
    let mut tests = String::from("tests:\n");
    for i in 0..1000 {
        tests.push_str(&format!(
            "  - {{ id: test-{i}, title: T, team: goat, steps: s, expected: e }}\n"
        ));
    }
    let mut bomb = String::from("version: 1.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    let cases: Vec<(&str, Role, String, &str)> = vec![
        (
            "1 MB unknown time zone",
            Role::Release,
            good.replace(
                "timezone: Europe/Berlin",
                &format!("timezone: {}", "Europe/Berlin".repeat(80_000)),
            ),
            "1.0.yaml:3:11: error: unknown time zone `Europe/BerlinEurope/Berlin",
        ),
        (
            "300 KB unknown test id against 1,000 tests",
            Role::Release,
            good.replace(
                "skip: [kafka-delivery]",
                &format!("skip: [{}]", "k".repeat(300_000)),
            ),
            "1.0.yaml:16:10: error: unknown manual test `kkkk",
        ),
        (
            "300 KB unknown field",
            Role::Release,
            // An explicit key: YAML allows 1024 chars in an implicit one.
            format!("{good}? {}\n: 1\n", "x".repeat(300_000)),
            "error: unknown field `xxxx",
        ),
        (
            "50,000 brackets",
            Role::Release,
            format!("version: {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
            "error: file is too deeply nested to be a plan",
        ),
        (
            "alias bomb in the registry",
            Role::Teams,
            bomb,
            "teams.yaml:7:15: error: file is too large to be a plan",
        ),
        (
            "10,000 bidi overrides in notes",
            Role::Release,
            format!("{good}notes: \"{}\"\n", "a\u{202e}".repeat(10_000)),
            "error: notes contains U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
    ];
    for (what, role, text, expected) in cases {
        let dir = folder.with(role, text.as_bytes());
        std::fs::write(dir.join("manual-tests.yaml"), &tests).expect("write");
        let (output, elapsed) = check(dir).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            output.contains(expected),
            "{what}: expected `{expected}` in\n{}",
            &output[..output.len().min(2000)]
        );
        assert!(elapsed < MAX_CHECK, "{what} took {elapsed:?}");
    }
}

/// xorshift64*: a small deterministic generator, so a failing mutant can be made again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Bytes that change what YAML means, or that hostile plans carry.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "<<: *a",
    "? ",
    "!!str ",
    "!!map ",
    "!x ",
    "|",
    "|-\n",
    ">-\n",
    "'",
    "\"",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "  ",
    "~",
    "null",
    "true",
    "0x1F",
    "1e400",
    "-",
    "@",
    "`",
    "\\",
    "\\e",
    "\\u202E",
    "\\x9b",
    "\u{202e}",
    "\u{200b}",
    "\u{2066}",
    "\u{feff}",
    "\u{1b}[2J",
    "\u{7}",
    "\u{9b}",
    "\u{0}",
    "\u{2028}",
    "é",
    "🐐\u{200d}💻",
    "9999-12-31",
    "0000-01-01",
    "2026-02-30",
    "T25:61",
    "+99:99",
    "Z",
    "rc1",
    "huskies",
    "goat",
    "loki-logs",
    "release",
    "event-",
    "cherry-pick-",
    "https://",
    "#chan",
    "U01X",
    "S01X",
    "@2026-01-01",
];

/// One mutation of `text`, with `others` to splice from.
fn mutate(rng: &mut Rng, text: &[u8], others: &[&[u8]]) -> Vec<u8> {
    let mut out = text.to_vec();
    let line_starts = |bytes: &[u8]| -> Vec<usize> {
        std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect()
    };
    match rng.below(9) {
        // A byte changed to another, often a YAML one.
        0 if !out.is_empty() => {
            let at = rng.below(out.len());
            out[at] = if rng.below(2) == 0 {
                *rng.pick(b":-[]{},&*!|>'\"#%@?~ \n\t\r")
            } else {
                rng.next() as u8
            };
        }
        // A token inserted.
        1 | 2 => {
            let at = rng.below(out.len() + 1);
            let token = rng.pick(TOKENS).as_bytes();
            out.splice(at..at, token.iter().copied());
        }
        // A line deleted, duplicated or moved.
        3..=5 => {
            let starts = line_starts(&out);
            let i = rng.below(starts.len());
            let start = starts[i];
            let end = starts.get(i + 1).copied().unwrap_or(out.len());
            let line: Vec<u8> = out[start..end].to_vec();
            match rng.below(3) {
                0 => {
                    out.drain(start..end);
                }
                1 => {
                    out.splice(start..start, line);
                }
                _ => {
                    out.drain(start..end);
                    let starts = line_starts(&out);
                    let to = *rng.pick(&starts);
                    out.splice(to..to, line);
                }
            }
        }
        // Indentation changed.
        6 => {
            let starts = line_starts(&out);
            let at = *rng.pick(&starts);
            if rng.below(2) == 0 {
                out.splice(at..at, *b"  ");
            } else if out[at..].starts_with(b"  ") {
                out.drain(at..at + 2);
            }
        }
        // A piece of another file spliced in.
        7 => {
            let other = *rng.pick(others);
            if !other.is_empty() {
                let from = rng.below(other.len());
                let len = rng.below(400).min(other.len() - from);
                let at = rng.below(out.len() + 1);
                out.splice(at..at, other[from..from + len].iter().copied());
            }
        }
        // A value made long.
        _ => {
            let at = rng.below(out.len() + 1);
            let piece = rng
                .pick(&["x", "a\u{202e}", "[", "{a: ", "*a, ", "- ", "é"])
                .as_bytes();
            let times = 1 + rng.below(2000);
            out.splice(at..at, piece.repeat(times));
        }
    }
    out
}

/// Every file a mutant starts from: the example plans, the good fixture and the corpus.
fn seeds() -> Vec<(Role, Vec<u8>)> {
    let mut seeds = Vec::new();
    for dir in [
        "tests/fixtures/example/releases",
        GOOD,
        "tests/fixtures/check/many-mistakes",
        "tests/fixtures/check/one-line",
    ] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            seeds.push((Role::of(&name), std::fs::read(&path).expect("read")));
        }
    }
    seeds.extend(
        corpus()
            .into_iter()
            .map(|(name, bytes)| (Role::of(&name), bytes)),
    );
    seeds
}

#[test]
fn mutants_never_panic_hang_or_print_raw_controls() {
    let seconds: u64 = std::env::var("HERALD_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("HERALD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x4845_5241_4c44);
    let seeds = seeds();
    let others: Vec<&[u8]> = seeds.iter().map(|(_, b)| b.as_slice()).collect();
    let folder = Folder::new();
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut mutants = 0u64;
    let mut slowest = Duration::ZERO;
    while Instant::now() < deadline {
        let (role, start) = rng.pick(&seeds);
        let mut bytes = start.clone();
        for _ in 0..1 + rng.below(4) {
            bytes = mutate(&mut rng, &bytes, &others);
        }
        mutants += 1;
        let outcome = check(folder.with(*role, &bytes));
        let problem = match &outcome {
            Err(e) => Some(e.clone()),
            Ok((_, elapsed)) if *elapsed > MAX_CHECK => Some(format!("took {elapsed:?}")),
            Ok((_, elapsed)) => {
                slowest = slowest.max(*elapsed);
                None
            }
        };
        if let Some(problem) = problem {
            let saved = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("fuzz-failures")
                .join(format!("{seed}-{mutants}-{}", role.file_name()));
            std::fs::create_dir_all(saved.parent().expect("parent")).expect("mkdir");
            std::fs::write(&saved, &bytes).expect("save");
            panic!(
                "mutant {mutants} of seed {seed} ({}) failed: {problem}\nsaved as {}",
                role.file_name(),
                saved.display()
            );
        }
    }
    println!("{mutants} mutants checked in {seconds} s, slowest {slowest:?}");
    assert!(mutants > 10, "only {mutants} mutants in {seconds} s");
}
