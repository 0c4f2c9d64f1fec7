//! `herald changes` on real git repositories in temporary folders: a plans folder committed,
//! its dates moved, an event with an id renamed, one removed, a release added, committed
//! again; the exact output in every format, and the errors. Skipped, saying so, without git.

use std::path::Path;
use std::process::Command;

use crate::harness::{Project, run};

/// Runs git in `dir` with a fixed identity and dates and none of the user's configuration, so
/// the same steps give the same commits.
fn git(dir: &Path, args: &[&str]) -> String {
    git_on(dir, "2026-11-20T10:00:00Z", args)
}

/// `git` as [`git`], its commits dated `date`.
fn git_on(dir: &Path, date: &str, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Hisar Balik")
        .env("GIT_AUTHOR_EMAIL", "hisar@example.com")
        .env("GIT_COMMITTER_NAME", "Hisar Balik")
        .env("GIT_COMMITTER_EMAIL", "hisar@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Whether git can be run; says so when it cannot, and the test stops there.
fn have_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: `git` is not installed");
    }
    found
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// The example plans committed (its release notes event given an id), then changed and
/// committed again: RC2 two days later, its cherry-pick deadline pulled in, the event
/// with an id renamed, the upgrade test window removed, 1.16.0 added.
fn changed_repository() -> Project {
    let p = Project::new();
    git(p.root(), &["init", "-q"]);
    let plan = "releases/1.14.yaml";
    p.edit(
        plan,
        "{ title: Release notes due,",
        "{ id: notes, title: Release notes due,",
    );
    commit(p.root(), "Plans for 1.14");
    p.edit(plan, "      date: 2026-12-01", "      date: 2026-12-03");
    p.edit(
        plan,
        "cherry_pick_deadline: 2026-11-30T16:00",
        "cherry_pick_deadline: 2026-11-27T12:00",
    );
    p.edit(
        plan,
        "title: Release notes due,",
        "title: Release notes ready,",
    );
    let text = crate::harness::read(p.path(plan));
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("Upgrade test window"))
        .collect();
    p.write(plan, &(kept.join("\n") + "\n"));
    let next = crate::harness::read(p.path("releases/1.15.yaml"))
        .replace("version: 1.15.0", "version: 1.16.0")
        .replace("release-1.15", "release-1.16");
    p.write("releases/1.16.yaml", &next);
    commit(
        p.root(),
        "Move RC2, pull in its cherry-pick deadline, plan 1.16",
    );
    p
}

/// `herald changes releases --since HEAD~1 ARGS` in the project: exit code, stdout, stderr,
/// with the short commit of HEAD~1 written as `<commit>` and its full name as `<full>`.
fn changes(p: &Project, args: &[&str]) -> (i32, String, String) {
    let mut all = vec![
        "changes",
        "releases",
        "--since",
        "HEAD~1",
        "--today",
        "2026-11-26",
    ];
    all.extend(args);
    let (code, out, err) = run(p.root(), &all);
    let full = git(p.root(), &["rev-parse", "HEAD~1"]);
    let short = git(p.root(), &["rev-parse", "--short", "HEAD~1"]);
    let name = |s: String| s.replace(&full, "<full>").replace(&short, "<commit>");
    (code, name(out), name(err))
}

const NEW_RELEASE_TEXT: &str = "
Kyma 1.16.0 (new release, times in America/New_York)
  added    Deadlines announcement: Wed 6 Jan 2027
  added    Freeze: release-1.16 is cut: Mon 11 Jan 2027, 09:00 EST
  added    Cherry-pick deadline for RC1: Tue 12 Jan 2027, 16:00 EST
  added    RC1: Wed 13 Jan 2027
  added    RC2: Wed 20 Jan 2027
  added    Release 1.16.0: Thu 28 Jan 2027
";

#[test]
fn text_lists_every_change_with_both_times_and_the_distance() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let (code, out, err) = changes(&p, &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "Schedule changes since HEAD~1 (<commit>):

Kyma 1.14.0 (times in Europe/Berlin)
  moved    Cherry-pick deadline for RC2: Mon 30 Nov, 16:00 CET → Fri 27 Nov 2026, 12:00 CET (-3 days 4 hours)
           in UTC: Mon 30 Nov, 15:00 → Fri 27 Nov 2026, 11:00
  removed  Upgrade test window: Wed 2 Dec 2026
  moved    RC2: Tue 1 Dec → Thu 3 Dec 2026 (+2 days)
  renamed  Release notes ready (was Release notes due)
"
        .to_owned()
            + NEW_RELEASE_TEXT
    );
}

#[test]
fn markdown_is_a_table_per_release_for_the_pull_request() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let (code, out, err) = changes(&p, &["--format", "markdown"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "### Schedule changes since HEAD\\~1 (<commit>)

**Kyma 1.14.0** (times in Europe/Berlin)

| change | milestone | before | now | moved by |
| --- | --- | --- | --- | --- |
| moved | Cherry-pick deadline for RC2 | Mon 30 Nov 2026, 16:00 CET (15:00 UTC) | Fri 27 Nov 2026, 12:00 CET (11:00 UTC) | -3 days 4 hours |
| removed | Upgrade test window | Wed 2 Dec 2026 | — |  |
| moved | RC2 | Tue 1 Dec 2026 | Thu 3 Dec 2026 | +2 days |
| renamed | Release notes ready | Release notes due | Release notes ready |  |

**Kyma 1.16.0**: new release (times in America/New\\_York)

| change | milestone | before | now | moved by |
| --- | --- | --- | --- | --- |
| added | Deadlines announcement | — | Wed 6 Jan 2027 |  |
| added | Freeze: release-1.16 is cut | — | Mon 11 Jan 2027, 09:00 EST (14:00 UTC) |  |
| added | Cherry-pick deadline for RC1 | — | Tue 12 Jan 2027, 16:00 EST (21:00 UTC) |  |
| added | RC1 | — | Wed 13 Jan 2027 |  |
| added | RC2 | — | Wed 20 Jan 2027 |  |
| added | Release 1.16.0 | — | Thu 28 Jan 2027 |  |
"
    );
}

const SLACK_1_14: &str = "*Kyma 1.14.0: the schedule changed*

*Earlier deadlines: act sooner*
• *Cherry-pick deadline for RC2* is now *Fri 27 Nov 2026, 12:00 CET (11:00 UTC)*, 3 days 4 hours earlier (was Mon 30 Nov 2026, 16:00 CET). Merge your cherry-picks for RC2 before then.

*Moved*
• *RC2*: Tue 1 Dec → Thu 3 Dec 2026 (+2 days)

*Cancelled*
• ~Upgrade test window~ (was Wed 2 Dec 2026)

*Renamed*
• *Release notes ready* (was Release notes due)
";

#[test]
fn slack_announces_the_earlier_deadline_first() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let (code, out, err) = changes(&p, &["--format", "slack"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        format!(
            "──── 1.14.0 to #kyma-team ────
{SLACK_1_14}
──── 1.16.0 to #kyma-team ────
*Kyma 1.16.0 is planned*

*Dates*
• *Deadlines announcement*: Wed 6 Jan 2027
• *Freeze: release-1.16 is cut*: Mon 11 Jan 2027, 09:00 EST (14:00 UTC)
• *Cherry-pick deadline for RC1*: Tue 12 Jan 2027, 16:00 EST (21:00 UTC)
• *RC1*: Wed 13 Jan 2027
• *RC2*: Wed 20 Jan 2027
• *Release 1.16.0*: Thu 28 Jan 2027
"
        )
    );
}

#[test]
fn slack_json_is_one_block_kit_payload_per_release() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let (code, out, err) = changes(&p, &["--format", "slack", "--json"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let payloads: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &payloads[0];
    assert_eq!(payloads.as_array().unwrap().len(), 2);
    assert_eq!(first["channel"], "#kyma-team");
    assert_eq!(first["text"], "*Kyma 1.14.0: the schedule changed*");
    assert_eq!(
        (&first["parse"], &first["link_names"]),
        (&"none".into(), &false.into())
    );
    let blocks = first["blocks"].as_array().unwrap();
    assert_eq!(
        blocks[0],
        serde_json::json!({"type": "header", "text": {"type": "plain_text", "text": "Kyma 1.14.0: the schedule changed", "emoji": true}})
    );
    let sections: Vec<&str> = blocks[1..]
        .iter()
        .map(|b| {
            assert_eq!(
                (&b["type"], &b["text"]["verbatim"]),
                (&"section".into(), &true.into())
            );
            b["text"]["text"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        sections.join("\n\n") + "\n",
        SLACK_1_14.split_once("\n\n").unwrap().1
    );
}

#[test]
fn json_names_the_commit_and_every_change() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let (code, out, err) = changes(&p, &["--format", "json"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report["since"],
        serde_json::json!({"revision": "HEAD~1", "commit": "<full>"})
    );
    let release = &report["releases"][0];
    assert_eq!(
        (
            &release["version"],
            &release["change"],
            &release["timezone"]
        ),
        (&"1.14.0".into(), &"changed".into(), &"Europe/Berlin".into())
    );
    assert_eq!(
        release["milestones"],
        serde_json::json!([
            {"id": "1.14.0/cherry-pick-rc2", "kind": {"type": "cherry-pick-deadline", "candidate": "rc2"},
             "title": "Cherry-pick deadline for RC2", "change": "moved",
             "from": "2026-11-30T16:00+01:00", "to": "2026-11-27T12:00+01:00", "minutes": -4560},
            {"id": "1.14.0/event-upgrade-test-window", "kind": {"type": "event"},
             "title": "Upgrade test window", "change": "removed", "when": "2026-12-02"},
            {"id": "1.14.0/rc2", "kind": {"type": "candidate", "candidate": "rc2"},
             "title": "RC2", "change": "moved", "from": "2026-12-01", "to": "2026-12-03",
             "days": 2, "minutes": 2880},
            {"id": "1.14.0/event-notes", "kind": {"type": "event"},
             "title": "Release notes ready", "change": "retitled", "from": "Release notes due"},
        ])
    );
    assert_eq!(release["fields"], serde_json::json!([]));
    let added = &report["releases"][1];
    assert_eq!(
        (
            &added["version"],
            &added["change"],
            added["milestones"].as_array().unwrap().len()
        ),
        (&"1.16.0".into(), &"added".into(), 6)
    );
    assert_eq!(report["not_compared"], serde_json::json!([]));
}

#[test]
fn nothing_changed_says_so() {
    if !have_git() {
        return;
    }
    let p = Project::new();
    git(p.root(), &["init", "-q"]);
    commit(p.root(), "Plans");
    let short = git(p.root(), &["rev-parse", "--short", "HEAD"]);
    for (format, said) in [
        (
            "text",
            format!("No schedule changes since HEAD ({short}).\n"),
        ),
        (
            "markdown",
            format!("### Schedule changes\n\nNo schedule changes since HEAD ({short}).\n"),
        ),
        (
            "slack",
            format!("No schedule changes since HEAD ({short}).\n"),
        ),
    ] {
        let (code, out, err) = run(
            p.root(),
            &[
                "changes",
                "releases",
                "--since",
                "HEAD",
                "--format",
                format,
                "--today",
                "2026-11-26",
            ],
        );
        assert_eq!((code, out, err), (0, said, String::new()), "{format}");
    }
    let (code, out, _) = run(
        p.root(),
        &[
            "changes", "releases", "--since", "HEAD", "--format", "slack", "--json",
        ],
    );
    assert_eq!((code, out.as_str()), (0, "[]\n"));
}

#[test]
fn a_plan_that_failed_check_then_is_reported_not_compared() {
    if !have_git() {
        return;
    }
    let p = Project::new();
    git(p.root(), &["init", "-q"]);
    p.edit("releases/1.15.yaml", "version: 1.15.0", "version: 1.15");
    commit(p.root(), "A broken plan");
    p.edit("releases/1.15.yaml", "version: 1.15", "version: 1.15.0");
    commit(p.root(), "Fixed");
    let (code, out, err) = changes(&p, &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "Schedule changes since HEAD~1 (<commit>):\n\n1.15.yaml: did not pass `check` at <commit>; not compared\n"
    );
}

#[test]
fn plans_that_fail_check_now_exit_1() {
    if !have_git() {
        return;
    }
    let p = Project::new();
    git(p.root(), &["init", "-q"]);
    commit(p.root(), "Plans");
    p.edit("releases/1.15.yaml", "version: 1.15.0", "version: 1.15");
    let (code, out, err) = run(p.root(), &["changes", "releases", "--since", "HEAD"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.ends_with("herald: the plans have errors; run `herald check releases`\n"),
        "{err}"
    );
}

#[test]
fn git_errors_are_clear_and_exit_2() {
    if !have_git() {
        return;
    }
    // Outside any repository.
    let p = Project::new();
    let (code, out, err) = run(p.root(), &["changes", "releases", "--since", "HEAD"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with(
            "herald: releases is not inside a git repository, so it has no history to compare with (git says: fatal: not a git repository"
        ),
        "{err}"
    );
    // An unknown revision.
    git(p.root(), &["init", "-q"]);
    commit(p.root(), "Plans");
    let (code, _, err) = run(p.root(), &["changes", "releases", "--since", "v9.9-plan"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("herald: git knows no commit `v9.9-plan` in ")
            && err.ends_with(
                "; check the name with `git log --oneline` or fetch it (`git fetch origin v9.9-plan`)\n"
            ),
        "{err}"
    );
    // A revision by commit message names the commit; a tree is not a commit.
    let (code, out, err) = run(p.root(), &["changes", "releases", "--since", ":/Plans"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let (code, _, err) = run(p.root(), &["changes", "releases", "--since", "HEAD^{tree}"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "herald: `HEAD^{tree}` names a tree, not a commit; give a commit, a branch or a tag (`HEAD~1`, `origin/main`, `v1.14-plan`)\n"
    );
    // Something that would be an option of git.
    let (code, _, err) = run(p.root(), &["changes", "releases", "--since=--output=x"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "herald: `--output=x` is not a revision git can read: a revision is a commit, a branch or a tag (`HEAD~1`, `origin/main`, `v1.14-plan`)\n"
    );
}

#[test]
fn a_shallow_clone_says_to_fetch_more_history() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let clone = p.path("clone");
    let url = format!("file://{}", p.root().display());
    git(p.root(), &["clone", "-q", "--depth", "1", &url, "clone"]);
    let (code, out, err) = run(&clone, &["changes", "releases", "--since", "HEAD~1"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("herald: git knows no commit `HEAD~1`: ")
            && err.ends_with(
                " is a shallow clone, and the commit is not in the history it fetched; fetch it or more history (a branch: `git fetch --depth=1 origin main`; an older commit: `git fetch --deepen=50` or `git fetch --unshallow`; in GitHub Actions: `fetch-depth: 0` in actions/checkout)\n"
            ),
        "{err}"
    );
    // After fetching more, the same command compares.
    git(&clone, &["fetch", "-q", "--deepen=1"]);
    let (code, out, _) = run(
        &clone,
        &[
            "changes",
            "releases",
            "--since",
            "HEAD~1",
            "--today",
            "2026-11-26",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("  moved    RC2: Tue 1 Dec → Thu 3 Dec 2026 (+2 days)\n"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// In `herald build`: the MagicBox, the calendars and the `schedule-change` draft follow the
// history.

/// `herald build releases --out OUT --no-site --today 2026-11-26` in the project.
fn build_into(p: &Project, out: &str) -> (i32, String, String) {
    run(
        p.root(),
        &[
            "build",
            "releases",
            "--out",
            out,
            "--no-site",
            "--today",
            "2026-11-26",
        ],
    )
}

/// The lines of a feed's event with this UID (folded lines joined), from `UID:` to `END:VEVENT`.
fn event(feed: &str, uid: &str) -> Vec<String> {
    let unfolded = feed.replace("\r\n ", "");
    let start = unfolded
        .find(&format!("UID:{uid}\r\n"))
        .unwrap_or_else(|| panic!("no event {uid} in\n{unfolded}"));
    unfolded[start..]
        .split("\r\n")
        .take_while(|l| *l != "END:VEVENT")
        .map(str::to_owned)
        .collect()
}

/// The values of `property` in an event's lines.
fn property<'a>(lines: &'a [String], property: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix(&format!("{property}:")))
        .collect()
}

#[test]
fn the_calendar_raises_sequence_only_for_what_changed_and_cancels_what_was_removed() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let (code, out, err) = build_into(&p, "out");
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let feed = crate::harness::read(p.path("out/wiki/releases/1.14.0/1.14.0.ics"));
    let at = |slug: &str| event(&feed, &format!("1.14.0-{slug}@kyma.herald.invalid"));
    let facts = |slug: &str| {
        let e = at(slug);
        (
            property(&e, "SEQUENCE").join(""),
            property(&e, "DTSTAMP").join(""),
            property(&e, "LAST-MODIFIED").join(""),
            property(&e, "STATUS").join(""),
        )
    };
    let changed = |seq: &str| {
        (
            seq.to_owned(),
            "20261120T100000Z".to_owned(),
            "20261120T100000Z".to_owned(),
            "CONFIRMED".to_owned(),
        )
    };
    assert_eq!(facts("rc2"), changed("1"));
    assert_eq!(facts("cherry-pick-rc2"), changed("1"));
    assert_eq!(facts("event-notes"), changed("1"));
    // Unchanged: as without history, DTSTAMP the event's start.
    assert_eq!(
        facts("rc1"),
        (
            "0".to_owned(),
            "20261117T230000Z".to_owned(),
            String::new(),
            "CONFIRMED".to_owned()
        )
    );
    // Removed: still in the feed, cancelled, SEQUENCE raised.
    let gone = at("event-upgrade-test-window");
    assert_eq!(
        facts("event-upgrade-test-window"),
        (
            "1".to_owned(),
            "20261120T100000Z".to_owned(),
            "20261120T100000Z".to_owned(),
            "CANCELLED".to_owned()
        )
    );
    assert_eq!(
        property(&gone, "DTSTART;VALUE=DATE"),
        ["20261202"],
        "{gone:?}"
    );
    assert_eq!(
        property(&gone, "SUMMARY"),
        ["Kyma 1.14.0: Upgrade test window"]
    );
    // Another release's feed did not change at all.
    let other = crate::harness::read(p.path("out/wiki/releases/1.15.0/1.15.0.ics"));
    assert!(!other.contains("SEQUENCE:1") && !other.contains("LAST-MODIFIED"));
    // The shared feed carries the same events.
    let all = crate::harness::read(p.path("out/wiki/calendar.ics"));
    assert_eq!(
        event(&all, "1.14.0-event-upgrade-test-window@kyma.herald.invalid"),
        gone
    );
    // The same history gives the same bytes.
    let (code, _, _) = build_into(&p, "again");
    assert_eq!(code, 0);
    let first = crate::harness::snapshot(&p.path("out/wiki"));
    let second = crate::harness::snapshot(&p.path("again/wiki"));
    assert!(first == second, "two builds of one history differ");
}

#[test]
fn a_change_moved_again_counts_twice_and_a_new_commit_renders_its_release_again() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let (code, out, _) = build_into(&p, "out");
    assert_eq!(code, 0, "{out}");
    let (_, out, _) = build_into(&p, "out");
    assert!(out.starts_with("up to date: 4 releases"), "{out}");
    p.edit(
        "releases/1.14.yaml",
        "      date: 2026-12-03",
        "      date: 2026-12-04",
    );
    git_on(p.root(), "2026-11-24T08:30:00+01:00", &["add", "-A"]);
    git_on(
        p.root(),
        "2026-11-24T08:30:00+01:00",
        &["commit", "-q", "-m", "RC2 a day later again"],
    );
    let (_, out, _) = build_into(&p, "out");
    assert!(
        out.starts_with("built 4 releases (1 rendered, 3 unchanged)"),
        "{out}"
    );
    let feed = crate::harness::read(p.path("out/wiki/releases/1.14.0/1.14.0.ics"));
    let rc2 = event(&feed, "1.14.0-rc2@kyma.herald.invalid");
    assert_eq!(property(&rc2, "SEQUENCE"), ["2"]);
    assert_eq!(property(&rc2, "LAST-MODIFIED"), ["20261124T073000Z"]);
    assert_eq!(property(&rc2, "DTSTAMP"), ["20261124T073000Z"]);
    // A commit elsewhere in the repository changes nothing.
    p.write("README.md", "Our release plans.\n");
    commit(p.root(), "A readme");
    let (_, out, _) = build_into(&p, "out");
    assert!(out.starts_with("up to date: 4 releases"), "{out}");
}

#[test]
fn the_magicbox_lists_each_change_newest_first() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    p.edit(
        "releases/1.14.yaml",
        "cherry_pick_deadline: 2026-11-27T12:00",
        "cherry_pick_deadline: 2026-11-26T12:00",
    );
    git_on(p.root(), "2026-11-21T09:00:00Z", &["add", "-A"]);
    git_on(
        p.root(),
        "2026-11-21T09:00:00Z",
        &["commit", "-q", "-m", "Pull in the deadline once more"],
    );
    let (code, out, _) = build_into(&p, "out");
    assert_eq!(code, 0, "{out}");
    let page = crate::harness::read(p.path("out/wiki/releases/1.14.0/magicbox.md"));
    // The history is the last section of the reference part.
    let start = page.find("## Schedule changes").expect("the section");
    let end = page.len();
    assert_eq!(
        &page[start..end],
        "## Schedule changes

What moved in the plans' git history, newest first, dated by the commit that changed it.

| Committed | Milestone | Change | Before | Now | Moved by |
| --- | --- | --- | --- | --- | --- |
| Sat 21 Nov 2026 | Cherry-pick deadline for RC2 | moved | Fri 27 Nov 2026, 12:00 CET | Thu 26 Nov 2026, 12:00 CET | -1 day |
| Fri 20 Nov 2026 | Release notes ready | renamed | Release notes due | Release notes ready |  |
| Fri 20 Nov 2026 | RC2 | moved | Tue 1 Dec 2026 | Thu 3 Dec 2026 | +2 days |
| Fri 20 Nov 2026 | Upgrade test window | removed | Wed 2 Dec 2026 | cancelled |  |
| Fri 20 Nov 2026 | Cherry-pick deadline for RC2 | moved | Mon 30 Nov 2026, 16:00 CET | Fri 27 Nov 2026, 12:00 CET | -3 days 4 hours |

"
    );
    // A release the history did not change has no such section.
    let other = crate::harness::read(p.path("out/wiki/releases/1.15.0/magicbox.md"));
    assert!(!other.contains("## Schedule changes"));
}

#[test]
fn the_schedule_change_draft_is_due_until_sent_and_again_after_the_next_change() {
    if !have_git() {
        return;
    }
    let p = changed_repository();
    let due = |today: &str| {
        let (code, out, err) = run(p.root(), &["due", "releases", "--today", today]);
        assert_eq!((code, err.as_str()), (0, ""));
        out.lines()
            .filter(|l| l.contains(" schedule-change "))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        due("2026-11-26"),
        [
            "Fri 20 Nov 2026 overdue 6 days 1.14.0 schedule-change #kyma-team herald sent 1.14.0 schedule-change --on 2026-11-26"
        ]
    );
    let (code, out, _) = run(
        p.root(),
        &["draft", "1.14", "schedule-change", "--today", "2026-11-26"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "*Kyma 1.14.0: the schedule changed*

*Earlier deadlines: act sooner*
• *Cherry-pick deadline for RC2* is now *Fri 27 Nov 2026, 12:00 CET (11:00 UTC)*, 3 days 4 hours earlier (was Mon 30 Nov 2026, 16:00 CET). Merge your cherry-picks for RC2 before then.

*Moved*
• *RC2*: Tue 1 Dec → Thu 3 Dec 2026 (+2 days)

*Cancelled*
• ~Upgrade test window~ (was Wed 2 Dec 2026)

*Renamed*
• *Release notes ready* (was Release notes due)
"
    );
    let (code, out, _) = run(
        p.root(),
        &[
            "sent",
            "1.14",
            "schedule-change",
            "--on",
            "2026-11-26",
            "--dir",
            "releases",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let text = crate::harness::read(p.path("releases/1.14.yaml"));
    assert!(text.contains("schedule-change@2026-11-26"), "{text}");
    commit(p.root(), "Announced");
    assert!(due("2026-11-26").is_empty());
    // The next move makes it due again, about that move alone.
    p.edit(
        "releases/1.14.yaml",
        "      date: 2026-12-08",
        "      date: 2026-12-09",
    );
    git_on(p.root(), "2026-11-27T10:00:00Z", &["add", "-A"]);
    git_on(
        p.root(),
        "2026-11-27T10:00:00Z",
        &["commit", "-q", "-m", "RC3 a day later"],
    );
    assert_eq!(
        due("2026-11-27"),
        [
            "Fri 27 Nov 2026 today 1.14.0 schedule-change #kyma-team herald sent 1.14.0 schedule-change --on 2026-11-27"
        ]
    );
    let (_, out, _) = run(
        p.root(),
        &["draft", "1.14", "schedule-change", "--today", "2026-11-27"],
    );
    assert_eq!(
        out,
        "*Kyma 1.14.0: the schedule changed*

*Moved*
• *RC3*: Tue 8 Dec → Wed 9 Dec 2026 (+1 day)
"
    );
}

#[test]
fn outside_git_and_in_a_shallow_clone_the_build_says_what_it_could_not_do() {
    if !have_git() {
        return;
    }
    // Outside git: the build works as always, and says so.
    let plain = Project::new();
    let (code, out, err) = build_into(&plain, "out");
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        err,
        "note: releases is not in a git repository: the MagicBox shows no schedule changes, calendar events keep SEQUENCE 0 and no schedule-change draft is made\n"
    );
    let feed = crate::harness::read(plain.path("out/wiki/releases/1.14.0/1.14.0.ics"));
    assert!(!feed.contains("SEQUENCE:1") && !feed.contains("LAST-MODIFIED"));
    assert!(
        !plain
            .path("out/wiki/releases/1.14.0/slack/schedule-change.md")
            .exists()
    );
    // A shallow clone of a history with changes: a note, and the build of what it has.
    let p = changed_repository();
    let url = format!("file://{}", p.root().display());
    git(p.root(), &["clone", "-q", "--depth", "1", &url, "clone"]);
    let (code, out, err) = run(
        &p.path("clone"),
        &[
            "build",
            "releases",
            "--out",
            "../shallow-out",
            "--no-site",
            "--today",
            "2026-11-26",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        err.starts_with("note: ")
            && err.contains(" is a shallow clone without the history before ")
            && err.ends_with(": schedule changes, calendar SEQUENCE and the schedule-change draft count only the changes after it; fetch the history (`git fetch --unshallow`; in GitHub Actions: `fetch-depth: 0` in actions/checkout)\n"),
        "{err}"
    );
    let feed = crate::harness::read(p.path("shallow-out/wiki/releases/1.14.0/1.14.0.ics"));
    assert!(!feed.contains("SEQUENCE:1"), "{feed}");
    // With the history fetched, the same clone counts the changes.
    git(&p.path("clone"), &["fetch", "-q", "--unshallow"]);
    let (_, _, err) = run(
        &p.path("clone"),
        &[
            "build",
            "releases",
            "--out",
            "../shallow-out",
            "--no-site",
            "--today",
            "2026-11-26",
        ],
    );
    assert_eq!(err, "");
    let feed = crate::harness::read(p.path("shallow-out/wiki/releases/1.14.0/1.14.0.ics"));
    let rc2 = event(&feed, "1.14.0-rc2@kyma.herald.invalid");
    assert_eq!(property(&rc2, "SEQUENCE"), ["1"]);
}
