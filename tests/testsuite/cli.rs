//! CLI tests: the cases as data under tests/cmd (trycmd), one or more per command, on the
//! plans of tests/fixtures; cases that write run in a sandbox copy (`fs.sandbox`). Below, the
//! checks that need generated input or a scratch folder.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{self, example};

/// The cases' paths are relative to the crate's root, where `cargo test` runs.
#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

fn herald(args: &[&str]) -> (i32, String, String) {
    harness::run(&harness::repo(), args)
}

/// A plans folder with a valid registry and catalogue, for one hostile release file.
fn folder_with(release_name: &str, release: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixture = harness::fixture("check/good");
    for name in ["teams.yaml", "manual-tests.yaml"] {
        std::fs::copy(fixture.join(name), tmp.path().join(name)).expect("copy");
    }
    std::fs::write(tmp.path().join(release_name), release).expect("write");
    tmp
}

fn check(dir: &Path) -> (i32, String, Duration) {
    let started = Instant::now();
    let (code, stdout, stderr) = herald(&[
        "check",
        dir.to_str().expect("utf-8 path"),
        "--today",
        "2026-11-26",
    ]);
    (code, stdout + &stderr, started.elapsed())
}

#[test]
fn garbage_gives_errors_never_a_panic() {
    let nested_maps = (0..200).fold(String::from("x"), |inner, i| format!("{{k{i}: {inner}}}"));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "binary",
            vec![0x00, 0x9f, 0x92, 0x96, 0xff, 0xfe, 0x01],
            "1.0.yaml:1:2: error: file is not valid UTF-8 text",
        ),
        (
            "invalid UTF-8 after text",
            b"version: 1.0.0\ncodename: \xc3\x28\n".to_vec(),
            "1.0.yaml:2:11: error: file is not valid UTF-8 text",
        ),
        (
            "tabs",
            b"version: 1.0.0\npeople:\n\trelease_master: x\n".to_vec(),
            "1.0.yaml:3:2: error: invalid YAML: tabs disallowed",
        ),
        (
            "a list at the top",
            b"- version: 1.0.0\n".to_vec(),
            "1.0.yaml:1:1: error: expected a release plan (a mapping of fields), found a list",
        ),
        (
            "a scalar at the top",
            b"just some words\n".to_vec(),
            "1.0.yaml:1:1: error: expected a release plan (a mapping of fields), found a single value",
        ),
        (
            "version as a list",
            b"version: [1]\n".to_vec(),
            "1.0.yaml:1:10: error: expected a version (a single value), found a list",
        ),
        (
            "deeply nested maps",
            format!("version: {nested_maps}\n").into_bytes(),
            "error: file is too deeply nested to be a plan (more than 64 levels)",
        ),
        (
            "an anchor that refers to itself",
            b"a: &x [*x]\n".to_vec(),
            "1.0.yaml:1:",
        ),
        (
            "a NUL byte",
            b"version: 1.0.0\x00\n".to_vec(),
            "1.0.yaml:1:",
        ),
    ];
    for (what, bytes, expected) in cases {
        let dir = folder_with("1.0.yaml", &bytes);
        let (code, output, _) = check(dir.path());
        assert_eq!(code, 1, "{what}: exit code\n{output}");
        assert!(
            output.contains(expected),
            "{what}: expected `{expected}` in\n{output}"
        );
        assert!(!output.contains("internal error"), "{what}: {output}");
        assert!(!output.contains("panicked"), "{what}: {output}");
    }
}

#[test]
fn alias_bombs_and_huge_files_are_refused_quickly() {
    // Ten levels of ten aliases each: a billion nodes if expanded.
    let mut bomb = String::from("version: 1.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let deep = format!("version: {}\n", "[".repeat(50_000));
    let huge = "# padding\n".repeat(600_000);
    let cases = [
        (
            "alias bomb",
            bomb,
            "error: file is too large to be a plan (more than 250000 values, aliases expanded)",
        ),
        (
            "deep nesting",
            deep,
            "error: file is too deeply nested to be a plan",
        ),
        (
            "huge file",
            huge,
            "1.0.yaml:1:1: error: file is 6000000 bytes, more than the 4194304 a plan may have",
        ),
    ];
    for (what, text, expected) in cases {
        let dir = folder_with("1.0.yaml", text.as_bytes());
        let (code, output, elapsed) = check(dir.path());
        assert_eq!(code, 1, "{what}\n{output}");
        assert!(
            output.contains(expected),
            "{what}: expected `{expected}` in\n{output}"
        );
        // Well under a second even in a debug build on a busy machine.
        assert!(elapsed < Duration::from_secs(1), "{what} took {elapsed:?}");
    }
}

#[test]
fn init_writes_a_folder_that_check_accepts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("plans");
    let dir_arg = dir.to_str().expect("utf-8 path");
    let (code, stdout, stderr) = herald(&["init", dir_arg]);
    assert_eq!(code, 0, "{stderr}");
    for name in ["teams.yaml", "manual-tests.yaml", "1.0.yaml"] {
        let path = dir.join(name);
        assert!(
            stdout.contains(&format!("wrote {}\n", path.display())),
            "{stdout}"
        );
        let written = std::fs::read_to_string(&path).expect("read back");
        assert!(written.starts_with("# yaml-language-server: $schema=../schema/"));
    }
    let (code, stdout, stderr) = herald(&["check", dir_arg, "--strict", "--today", "2026-11-26"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "0 errors, 0 warnings in 3 files\n");

    let (code, stdout, stderr) = herald(&["init", dir_arg]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(&format!(
            "`{}` already exists",
            dir.join("teams.yaml").display()
        )),
        "{stderr}"
    );
}

#[test]
fn committed_schemas_equal_the_generated_ones() {
    for kind in herald::schema::FileKind::ALL {
        let path = Path::new("schema").join(kind.file_name());
        let committed = std::fs::read_to_string(&path).expect("committed schema");
        assert_eq!(
            committed,
            herald::schema::schema_text(kind),
            "{} is stale: run `cargo run -- schema --out schema`",
            path.display()
        );
        let (code, stdout, _) = herald(&[
            "schema",
            "--kind",
            kind.file_name().trim_end_matches(".json"),
        ]);
        assert_eq!(code, 0);
        assert_eq!(stdout, committed);
    }
}

#[test]
fn schema_out_writes_all_three_kinds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("schema");
    let (code, stdout, stderr) = herald(&["schema", "--out", out.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{stderr}");
    for kind in herald::schema::FileKind::ALL {
        let path = out.join(kind.file_name());
        assert!(stdout.contains(&format!("wrote {}", path.display())));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read back"),
            herald::schema::schema_text(kind)
        );
    }
}

/// Every key written in the example plans (the documentation's and the tests' copy) and the
/// init templates is a property the schema knows at that place (no JSON Schema validator crate is available to do more).
#[test]
fn example_plans_use_only_fields_the_schema_describes() {
    use herald::schema::{FileKind, schema};
    use herald::yaml::{Node, NodeKind};

    fn walk(node: &Node, schema: &serde_json::Value, path: &str, file: &Path, seen: &mut usize) {
        match &node.kind {
            NodeKind::Map(entries) => {
                for (key, value) in entries {
                    let sub = if let Some(props) = schema["properties"].as_object() {
                        props.get(&key.name).unwrap_or_else(|| {
                            panic!(
                                "{}: `{path}.{}` is not in the schema",
                                file.display(),
                                key.name
                            )
                        })
                    } else {
                        let extra = &schema["additionalProperties"];
                        assert!(
                            extra.is_object(),
                            "{}: `{path}` takes no fields",
                            file.display()
                        );
                        extra
                    };
                    *seen += 1;
                    walk(value, sub, &format!("{path}.{}", key.name), file, seen);
                }
            }
            NodeKind::Seq(items) => {
                for item in items {
                    walk(item, &schema["items"], &format!("{path}[]"), file, seen);
                }
            }
            _ => {}
        }
    }

    let mut seen = 0;
    // `releases/` is the documentation's example: what it shows a user must be in the schema.
    let documented = [
        harness::repo().join("releases"),
        harness::repo().join("templates/init"),
    ];
    for dir in documented.iter().chain([&example()]) {
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            let kind = match path.file_name().and_then(|n| n.to_str()) {
                Some("teams.yaml") => FileKind::Teams,
                Some("manual-tests.yaml") => FileKind::Tests,
                Some(n) if n.ends_with(".yaml") => FileKind::Release,
                _ => continue,
            };
            let text = std::fs::read_to_string(&path).expect("read");
            let node = herald::yaml::parse(&path, &text).expect("parses");
            walk(&node, &schema(kind), "", &path, &mut seen);
        }
    }
    assert!(seen > 200, "walked only {seen} keys");
}
