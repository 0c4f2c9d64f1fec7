//! What a build may do to OUT: herald owns only what it wrote, one build at a time, a swap
//! that survives a crash anywhere, special files written through, and no command from
//! `book.toml` unless allowed. Each case runs the `herald` binary as a user would and checks
//! that every file of the user's is still there, byte for byte.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use crate::harness::{Project, copy_dir, entries};

/// `herald build releases --out out` with `extra` arguments.
fn build(project: &Project, extra: &[&str]) -> Output {
    let mut args = vec!["build", "releases", "--out", "out"];
    args.extend_from_slice(extra);
    project.herald(&args)
}

/// Changes a release so the next build has something to write.
fn change_a_release(project: &Project) {
    let path = project.path("releases/1.15.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "notes: Planning starts after 1.14.0 is out.";
    assert!(text.contains(from));
    std::fs::write(
        &path,
        text.replace(from, "notes: Planning starts in the new year."),
    )
    .unwrap();
}

/// Breaks a release file so a build stops on plan errors.
fn break_a_release(project: &Project) -> String {
    let path = project.path("releases/1.15.yaml");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replace("version: 1.15.0", "version: [1.15.0")).unwrap();
    good
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

#[test]
fn a_plans_folder_inside_out_wiki_is_refused_and_left_byte_for_byte() {
    let project = Project::new();
    copy_dir(&project.path("releases"), &project.path("o/wiki"));
    let before = entries(&project.path("o"));
    let out = project.herald(&["build", "o/wiki", "--out", "o", "--no-site"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("the plans folder o/wiki is inside the output folder o;"),
        "{}",
        stderr(&out)
    );
    assert_eq!(entries(&project.path("o")), before);
}

#[test]
fn out_inside_the_plans_folder_or_templates_inside_out_are_refused() {
    let project = Project::new();
    let out = project.herald(&["build", "releases", "--out", "releases/public"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out)
            .contains("the output folder releases/public is inside the plans folder releases")
    );
    assert!(!project.path("releases/public").exists());

    // `--out .` would put the plans (and book.toml, templates/) inside OUT.
    project.write("wiki/Home.md", "the user's wiki\n");
    let out = project.herald(&["build", "releases", "--out", "."]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("is inside the output folder ."),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(project.path("wiki/Home.md")).unwrap(),
        "the user's wiki\n"
    );
}

#[test]
fn a_first_build_into_a_folder_of_the_users_is_refused_and_keep_foreign_keeps_it() {
    let project = Project::new();
    // A cloned GitHub wiki: a git repository with a page of its own.
    project.write("out/wiki/.git/HEAD", "ref: refs/heads/master\n");
    project.write("out/wiki/.git/objects/ab/cdef", "\u{1}blob");
    project.write("out/wiki/Home.md", "# Our wiki\n");
    project.write("out/site/CNAME", "releases.example.org\n");
    let before = entries(&project.path("out"));

    let out = build(&project, &[]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("out/wiki holds files herald did not write (Home.md); herald builds into a folder it made or an empty one"),
        "{err}"
    );
    assert!(err.contains("--keep-foreign"), "{err}");
    assert_eq!(
        entries(&project.path("out")),
        before,
        "a refused build wrote"
    );

    let out = build(&project, &["--keep-foreign"]);
    assert_exit(&out, 0);
    let after = entries(&project.path("out"));
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{path} is gone or changed");
    }
    assert!(after.contains_key("wiki/releases/1.14.0/magicbox.md"));
    assert!(after.contains_key("site/releases/1.14.0/magicbox.html"));
    // The user's files are not herald's: not published with the site, not recorded.
    assert!(!after.contains_key("site/Home.md") && !after.contains_key("site/.git/HEAD"));
    let manifest = herald::write::manifest::Manifest::read(&project.path("out"));
    assert!(!manifest.files.contains_key("Home.md"));
    assert!(!manifest.site_files.contains_key("CNAME"));

    // Later builds keep them without being asked, through real changes too.
    change_a_release(&project);
    assert_exit(&build(&project, &[]), 0);
    let again = entries(&project.path("out"));
    for (path, bytes) in &before {
        assert_eq!(again.get(path), Some(bytes), "{path} is gone or changed");
    }
}

#[test]
fn a_folder_holding_only_dot_folders_needs_no_flag() {
    let project = Project::new();
    project.write("out/wiki/.git/HEAD", "ref: refs/heads/master\n");
    assert_exit(&build(&project, &["--no-site"]), 0);
    assert_eq!(
        std::fs::read_to_string(project.path("out/wiki/.git/HEAD")).unwrap(),
        "ref: refs/heads/master\n"
    );
}

#[test]
fn a_file_of_the_users_where_herald_writes_is_never_overwritten() {
    let project = Project::new();
    project.write("out/wiki/index.md", "# My own index\n");
    let out = build(&project, &["--no-site", "--keep-foreign"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("out/wiki holds files herald did not write where it would write now (index.md); herald never overwrites them"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(project.path("out/wiki/index.md")).unwrap(),
        "# My own index\n"
    );
    assert!(!project.path("out/wiki/releases").exists());
}

#[test]
fn out_wiki_that_is_a_file_is_refused_and_kept() {
    let project = Project::new();
    project.write("out/wiki", "not a folder\n");
    let out = build(&project, &["--no-site"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("out/wiki is a file, not a folder; herald writes its wiki there"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(project.path("out/wiki")).unwrap(),
        "not a folder\n"
    );
    assert!(
        !project.path("out/.wiki.old").exists() && !project.path("out/.herald/wiki.old").exists()
    );
}

#[test]
fn a_second_build_into_the_same_out_is_refused_while_the_first_holds_the_lock() {
    let project = Project::new();
    assert_exit(&build(&project, &["--no-site"]), 0);
    let lock = herald::write::OutLock::acquire(&project.path("out")).unwrap();
    change_a_release(&project);
    let out = build(&project, &["--no-site"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("another herald build is writing into out (it holds out/.herald/lock); wait for it to finish, then build again"),
        "{}",
        stderr(&out)
    );
    drop(lock);
    let out = build(&project, &["--no-site"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).starts_with("built 3 releases (1 rendered"),
        "{}",
        stdout(&out)
    );
}

/// Builds the changed plans into a fresh OUT: what a finished build leaves.
fn fresh(project: &Project, name: &str) -> BTreeMap<String, Vec<u8>> {
    let out = project.herald(&["build", "releases", "--out", "fresh"]);
    assert_exit(&out, 0);
    let tree = entries(&project.path("fresh").join(name));
    std::fs::remove_dir_all(project.path("fresh")).unwrap();
    tree
}

#[test]
fn a_crash_at_any_step_of_a_swap_leaves_a_tree_the_next_builds_keep_and_repair() {
    let steps = [
        ("wiki-staged", false),
        ("wiki-half-swapped", true),
        ("wiki-swapped", false),
        ("wiki-swapped", true),
        ("site-staged", false),
        ("site-half-swapped", true),
        ("site-swapped", false),
    ];
    for (step, by_rename) in steps {
        let project = Project::new();
        assert_exit(&build(&project, &[]), 0);
        let old_wiki = entries(&project.path("out/wiki"));
        let old_site = entries(&project.path("out/site"));
        change_a_release(&project);
        let new_wiki = fresh(&project, "wiki");
        let new_site = fresh(&project, "site");
        let mut env = vec![("HERALD_CRASH_AT", step)];
        if by_rename {
            env.push(("HERALD_SWAP_BY_RENAME", "1"));
        }
        let crashed = project.herald_with(&["build", "releases", "--out", "out"], &env);
        assert_eq!(
            crashed.status.code(),
            None,
            "{step}: the build did not crash"
        );

        // A build with plan errors puts a tree back if none is there, and deletes nothing.
        let good = break_a_release(&project);
        let before = entries(&project.path("out"));
        let failed = build(&project, &[]);
        assert_exit(&failed, 1);
        let after = entries(&project.path("out"));
        for (name, old, new) in [
            ("wiki", &old_wiki, &new_wiki),
            ("site", &old_site, &new_site),
        ] {
            let tree = entries(&project.path("out").join(name));
            assert!(
                tree == *old || tree == *new,
                "{step}: out/{name} is neither the old nor the new tree"
            );
        }
        // Every file is still there, or was moved into place from a staging folder.
        for (path, bytes) in &before {
            let moved = [
                ".herald/wiki.new/",
                ".herald/site.new/",
                ".herald/wiki.old/",
                ".herald/site.old/",
            ]
            .iter()
            .find_map(|stage| {
                let rest = path.strip_prefix(stage)?;
                Some(format!("{}/{rest}", &stage[8..12]))
            });
            let found = after
                .get(path)
                .or_else(|| moved.as_ref().and_then(|m| after.get(m)));
            assert_eq!(
                found,
                Some(bytes),
                "{step}: {path} was deleted by a build with plan errors"
            );
        }
        std::fs::write(project.path("releases/1.15.yaml"), good).unwrap();
        assert_exit(&build(&project, &[]), 0);
        assert_eq!(
            entries(&project.path("out/wiki")),
            new_wiki,
            "{step}: wiki not repaired"
        );
        assert_eq!(
            entries(&project.path("out/site")),
            new_site,
            "{step}: site not repaired"
        );
        for leftover in [
            "wiki.new",
            "wiki.old",
            "site.new",
            "site.old",
            "site.build",
            "site.pages",
        ] {
            assert!(
                !project.path("out/.herald").join(leftover).exists(),
                "{step}: {leftover} is left"
            );
        }
        let again = build(&project, &[]);
        assert!(
            stdout(&again).starts_with("up to date"),
            "{step}: {}",
            stdout(&again)
        );
    }
}

#[test]
fn a_broken_theme_fails_the_build_and_swaps_in_neither_the_wiki_nor_the_site() {
    let project = Project::new();
    assert_exit(&build(&project, &[]), 0);
    let before = entries(&project.path("out"));
    change_a_release(&project);
    project.write("theme/index.hbs", "{{#if}}\n");
    let out = build(&project, &[]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("cannot build the site"),
        "{}",
        stderr(&out)
    );
    let after = entries(&project.path("out"));
    for name in ["wiki/", "site/"] {
        let part = |t: &BTreeMap<String, Vec<u8>>| {
            t.iter()
                .filter(|(p, _)| p.starts_with(name))
                .map(|(p, b)| (p.clone(), b.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(part(&after), part(&before), "{name} changed");
    }
}

#[test]
fn book_toml_runs_no_command_unless_allowed() {
    let project = Project::new();
    project.write(
        "book.toml",
        "[book]\ntitle = \"Releases\"\n\n[preprocessor.evil]\ncommand = \"touch pwned\"\n",
    );
    let out = build(&project, &[]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("[preprocessor.evil] runs the command `touch pwned`; herald runs no command from book.toml unless allowed"),
        "{}",
        stderr(&out)
    );
    assert!(!project.path("pwned").exists() && !project.path("out/site").exists());

    let check = project.herald(&["check", "releases"]);
    assert_exit(&check, 1);
    assert!(
        stdout(&check)
            .contains("book.toml:4:1: error: [preprocessor.evil] runs the command `touch pwned`"),
        "{}",
        stdout(&check)
    );
    let allowed = project.herald(&["check", "releases", "--allow-book-command", "touch pwned"]);
    assert_exit(&allowed, 0);
    let from_env = project.herald_with(
        &["check", "releases"],
        &[("HERALD_BOOK_COMMANDS", "touch pwned")],
    );
    assert_exit(&from_env, 0);
    assert!(!project.path("pwned").exists());
}

#[test]
fn check_reports_a_broken_book_toml_and_a_broken_template() {
    let project = Project::new();
    project.write("book.toml", "[book]\ntitle = \"Releases\n");
    project.write("templates/wiki/magicbox.md", "{% if %}\n");
    let out = project.herald(&["check", "releases"]);
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(
        text.contains("book.toml:2:18: error: book.toml cannot be read: invalid basic string"),
        "{text}"
    );
    assert!(
        text.contains(
            "templates/wiki/magicbox.md:1:7: error: template: Found `%}` but expected one of"
        ),
        "{text}"
    );
}

#[test]
fn calendar_and_workbook_write_through_to_stdout_and_fifos() {
    let project = Project::new();
    for target in ["-", "/dev/stdout"] {
        let out = project.herald(&["calendar", "releases", "-o", target]);
        assert_exit(&out, 0);
        assert!(stdout(&out).starts_with("BEGIN:VCALENDAR\r\n"), "{target}");
        assert!(
            stderr(&out).starts_with("wrote "),
            "{target}: {}",
            stderr(&out)
        );
        let out = project.herald(&["workbook", "1.14", "--dir", "releases", "-o", target]);
        assert_exit(&out, 0);
        assert!(
            out.stdout.starts_with(b"PK\x03\x04"),
            "{target}: not a workbook"
        );
    }
    assert!(std::fs::symlink_metadata("/dev/stdout").is_ok_and(|m| !m.is_file()));
    #[cfg(unix)]
    {
        let fifo = project.path("feed.ics");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let reader = std::thread::spawn({
                let fifo = fifo.clone();
                move || std::fs::read(fifo).unwrap()
            });
            let out = project.herald(&["calendar", "releases", "-o", "feed.ics"]);
            assert_exit(&out, 0);
            assert!(reader.join().unwrap().starts_with(b"BEGIN:VCALENDAR\r\n"));
            assert!(
                std::fs::symlink_metadata(&fifo).is_ok_and(|m| !m.is_file()),
                "the FIFO was replaced"
            );
        }
    }
}

#[test]
fn a_fifo_or_a_link_to_a_device_among_the_templates_stops_the_build_at_once() {
    let project = Project::new();
    std::fs::create_dir_all(project.path("templates/wiki")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", project.path("templates/wiki/magicbox.md")).unwrap();
    let started = std::time::Instant::now();
    let out = build(&project, &["--no-site"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("templates/wiki/magicbox.md"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(project.path("templates/wiki/magicbox.md")).unwrap();
    let made = Command::new("mkfifo")
        .arg(project.path("templates/wiki/magicbox.md"))
        .status();
    if made.is_ok_and(|s| s.success()) {
        let out = build(&project, &["--no-site"]);
        assert_exit(&out, 1);
        assert!(
            stderr(&out).contains("templates/wiki/magicbox.md"),
            "{}",
            stderr(&out)
        );
    }
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    assert!(!project.path("out/wiki").exists());
}
