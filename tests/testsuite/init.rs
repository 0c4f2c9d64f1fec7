//! `herald init --ci`: a new plans repository, as a new user makes it, passes `check` and
//! builds with the binary's defaults, run from the repository's root.

use std::path::Path;

use crate::harness::{read, run};

fn git(root: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Release Master",
            "-c",
            "user.email=rm@example.com",
        ])
        .args(args)
        .current_dir(root)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_scaffolded_repository_checks_and_builds_from_its_root() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    git(root, &["init", "--quiet"]);
    let (code, stdout, stderr) = run(root, &["init", "--ci", "github"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(
        stdout.starts_with("wrote releases/teams.yaml\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "wrote README.md\nnext: edit the examples, run `herald check releases` and `herald build releases`, then commit\n"
        ),
        "{stdout}"
    );

    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "Plans from herald init"]);

    let (code, stdout, stderr) = run(root, &["check", "--today", "2026-11-26"]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "0 errors, 0 warnings in 3 files\n", "")
    );

    let (code, stdout, stderr) = run(root, &["build", "--today", "2026-11-26"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(
        stdout.starts_with(
            "built 1 releases (1 rendered, 0 unchanged): 26 files in public/wiki (26 written, 0 unchanged, 0 removed), site rebuilt in public/site in "
        ),
        "{stdout}"
    );
    // The site takes its title from the book.toml init wrote.
    let index = read(root.join("public/site/index.html"));
    assert!(index.contains("<title>"), "{index}");
    assert!(index.contains("Releases"), "{index}");

    // The workflow runs this repository's Action at the version that wrote it.
    let workflow = read(root.join(".github/workflows/herald.yml"));
    let uses = format!(
        "      - uses: {}@v{}\n        with:\n          plans: releases\n",
        herald::init::HERALD_REPO,
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(workflow.matches(&uses).count(), 2, "{workflow}");

    // The build state stays in public/.herald, what the Action caches: a second build
    // renders nothing again.
    let (code, stdout, _) = run(root, &["build", "--today", "2026-11-26"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(
            "up to date: 1 releases, 26 files in public/wiki; nothing changed since the last build ("
        ),
        "{stdout}"
    );
}
