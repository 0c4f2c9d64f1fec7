//! Incremental builds (issue 7): every kind of input change reaches the output, a rebuild
//! renders only the releases whose inputs changed, and output files whose bytes did not change
//! keep their modification time. Each case checks the new text in the artifact, the files
//! left alone (bytes and time), the build's report, and that the result equals a build from
//! scratch — a cache that can be wrong is worse than none.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use herald::build::{BuildError, BuildReport, build};
use herald::write::keys::Fingerprint;
use herald::write::manifest::Manifest;
use jiff::civil::{Date, date};

use crate::harness::{self, Project, TODAY, Tree, bytes_of, repo, tree};

/// Long enough that a file written again would get a different modification time.
const TICK: Duration = Duration::from_millis(20);

/// What a rebuild did to a tree, as seen on disk.
#[derive(Debug, Default)]
struct Changes {
    /// Files with new bytes, or new files.
    written: BTreeSet<PathBuf>,
    removed: BTreeSet<PathBuf>,
}

impl Changes {
    fn paths(&self) -> Vec<String> {
        self.written
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    /// Every written file is under one of `prefixes` (a folder `releases/1.15.0/` or a file).
    fn assert_written_only_under(&self, prefixes: &[&str]) {
        for path in self.paths() {
            assert!(
                prefixes.iter().any(|p| path.starts_with(p)),
                "{path} was written, but only {prefixes:?} should have been: {:?}",
                self.paths()
            );
        }
    }
}

/// Compares two states of a tree: a file whose bytes did not change must keep its time.
fn compare(before: &Tree, after: &Tree) -> Changes {
    let mut changes = Changes::default();
    for (path, (bytes, modified)) in after {
        match before.get(path) {
            Some((old_bytes, old_modified)) if old_bytes == bytes => assert_eq!(
                modified,
                old_modified,
                "{} kept its bytes but was written again",
                path.display()
            ),
            _ => {
                changes.written.insert(path.clone());
            }
        }
    }
    changes.removed = before
        .keys()
        .filter(|p| !after.contains_key(*p))
        .cloned()
        .collect();
    changes
}

/// What only the incremental cases ask of the harness's project.
impl Project {
    /// Rebuilds after a pause, checks the report against what changed on disk in `OUT/wiki`
    /// and that the wiki equals one built from scratch with the same inputs.
    fn rebuild(&self) -> (BuildReport, Changes) {
        let before = tree(&self.wiki());
        std::thread::sleep(TICK);
        let report = self.build();
        let after = tree(&self.wiki());
        let changes = compare(&before, &after);
        assert_eq!(
            report.wiki.written,
            changes.written.len(),
            "{report:?}\nwritten: {:?}",
            changes.paths()
        );
        assert_eq!(report.wiki.removed, changes.removed.len(), "{report:?}");
        assert_eq!(
            report.wiki.unchanged,
            after.len() - changes.written.len(),
            "{report:?}"
        );
        assert_eq!(report.files, after.len(), "{report:?}");
        assert_eq!(
            bytes_of(&after),
            self.fresh_wiki(),
            "the rebuilt wiki differs from one built from scratch"
        );
        (report, changes)
    }

    /// `OUT/wiki` of a build from scratch with the same plans and options, without the site.
    fn fresh_wiki(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let out = tempfile::tempdir().unwrap();
        let mut opts = self.options_into(out.path());
        opts.site = false;
        build(&opts).expect("a build from scratch");
        bytes_of(&tree(&out.path().join("wiki")))
    }
}

/// Every text cell of every sheet of a workbook.
fn workbook_texts(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("calamine opens the workbook");
    let mut texts = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            if let (_, _, Data::String(s)) = cell {
                texts.push(s.clone());
            }
        }
    }
    texts
}

fn assert_contains(text: &str, needle: &str, what: &str) {
    assert!(text.contains(needle), "`{needle}` not in {what}:\n{text}");
}

fn assert_lacks(text: &str, needle: &str, what: &str) {
    assert!(
        !text.contains(needle),
        "`{needle}` still in {what}:\n{text}"
    );
}

fn release_files(tree: &Tree, version: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let dir = format!("releases/{version}/");
    tree.iter()
        .filter(|(p, _)| p.to_string_lossy().starts_with(&dir))
        .map(|(p, (b, _))| (p.clone(), b.clone()))
        .collect()
}

#[test]
fn an_unchanged_rebuild_is_up_to_date_and_touches_nothing() {
    let project = Project::new();
    let first = project.build();
    assert_eq!((first.releases, first.rendered), (3, 3));
    assert!(!first.up_to_date);
    let out_before = tree(&project.out());

    let (report, changes) = project.rebuild();
    assert!(report.up_to_date, "{report:?}");
    assert_eq!(report.rendered, 0);
    assert_eq!(report.releases, 3);
    assert_eq!((report.wiki.written, report.wiki.removed), (0, 0));
    assert_eq!(report.wiki.unchanged, first.files);
    assert!(changes.written.is_empty() && changes.removed.is_empty());
    // The manifest too: nothing under OUT was written.
    let out_after = tree(&project.out());
    assert_eq!(out_after, out_before);
}

#[test]
fn a_changed_release_file_renders_only_that_release() {
    let project = Project::new();
    project.build();
    let before = tree(&project.wiki());
    project.edit(
        "releases/1.15.yaml",
        "notes: Planning starts after 1.14.0 is out.",
        "notes: Planning starts on **4 January**, after the holidays.",
    );

    let (report, changes) = project.rebuild();
    assert!(!report.up_to_date);
    assert_eq!(report.rendered, 1, "{report:?}");
    let magicbox = project.read_out("releases/1.15.0/magicbox.md");
    assert_contains(
        &magicbox,
        "Planning starts on **4 January**, after the holidays.",
        "the 1.15.0 MagicBox",
    );
    assert_lacks(&magicbox, "Planning starts after", "the 1.15.0 MagicBox");
    assert!(
        changes
            .written
            .contains(Path::new("releases/1.15.0/magicbox.md"))
    );
    changes.assert_written_only_under(&["releases/1.15.0/"]);
    let after = tree(&project.wiki());
    for version in ["1.13.0", "1.14.0"] {
        assert_eq!(
            release_files(&after, version),
            release_files(&before, version)
        );
    }

    // A schedule change of the same release reaches its calendar too.
    project.edit(
        "releases/1.15.yaml",
        "  release: 2027-01-28",
        "  release: 2027-01-29",
    );
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 1, "{report:?}");
    assert_contains(
        &project.read_out("releases/1.15.0/1.15.0.ics"),
        "DTSTART;VALUE=DATE:20270129",
        "the 1.15.0 calendar",
    );
    changes.assert_written_only_under(&["releases/1.15.0/", "calendar.", "index.md"]);
    assert!(changes.written.contains(Path::new("calendar.ics")));
}

#[test]
fn a_changed_team_registry_renders_every_release() {
    let project = Project::new();
    project.build();
    project.edit(
        "releases/teams.yaml",
        "name: Goat\n",
        "name: Mountain Goats\n",
    );

    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    let magicbox = project.read_out("releases/1.14.0/magicbox.md");
    assert_contains(&magicbox, "| Mountain Goats |", "the 1.14.0 MagicBox");
    assert_lacks(&magicbox, "| Goat |", "the 1.14.0 MagicBox");
    assert_contains(
        &project.read_out("releases/1.13.0/magicbox.md"),
        "Mountain Goats",
        "the settled 1.13.0 MagicBox",
    );
    assert!(
        changes
            .written
            .contains(Path::new("releases/1.14.0/magicbox.md"))
    );
}

#[test]
fn a_changed_test_catalogue_reaches_workbooks_and_pages() {
    let project = Project::new();
    project.build();
    let workbook = project
        .wiki()
        .join("releases/1.14.0/manual-tests-1.14.0.xlsx");
    assert!(
        workbook_texts(&workbook)
            .iter()
            .any(|t| t.contains("Kafka channel delivers events in order"))
    );
    project.edit(
        "releases/manual-tests.yaml",
        "title: Kafka channel delivers events in order",
        "title: Kafka channel keeps the publishing order",
    );

    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    for version in ["1.13.0", "1.14.0", "1.15.0"] {
        let path = project
            .wiki()
            .join(format!("releases/{version}/manual-tests-{version}.xlsx"));
        let texts = workbook_texts(&path);
        assert!(
            texts
                .iter()
                .any(|t| t.contains("Kafka channel keeps the publishing order")),
            "{version}: {texts:?}"
        );
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("Kafka channel delivers events in order")),
            "{version}"
        );
        assert!(changes.written.contains(&PathBuf::from(format!(
            "releases/{version}/manual-tests-{version}.xlsx"
        ))));
    }
    let magicbox = project.read_out("releases/1.14.0/magicbox.md");
    assert_contains(
        &magicbox,
        "Kafka channel keeps the publishing order",
        "the 1.14.0 MagicBox",
    );
    assert_lacks(&magicbox, "delivers events in order", "the 1.14.0 MagicBox");
}

#[test]
fn a_user_template_added_then_removed_changes_pages_then_restores_the_defaults() {
    let project = Project::new();
    project.build();
    let defaults = tree(&project.wiki());
    let default_template = std::fs::read_to_string(repo().join("templates/wiki/magicbox.md"))
        .expect("the default MagicBox template");
    project.write(
        "templates/wiki/magicbox.md",
        &format!("<!-- maintained by the release desk -->\n{default_template}"),
    );

    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    for version in ["1.13.0", "1.14.0", "1.15.0"] {
        // The page and its paste-ready Markdown come from the same template.
        for page in ["magicbox.md".to_owned(), format!("MagicBox-{version}.md")] {
            let path = format!("releases/{version}/{page}");
            let text = project.read_out(&path);
            assert!(
                text.starts_with("<!-- maintained by the release desk -->")
                    && text.contains(&format!("# Release {version} “")),
                "{path}:\n{text}"
            );
            assert!(changes.written.contains(&PathBuf::from(&path)), "{path}");
        }
    }
    // Only the MagicBoxes use that template: workbooks, calendars and drafts kept their time.
    assert_eq!(changes.written.len(), 6, "{:?}", changes.paths());

    // Editing the override reaches the pages again.
    project.edit(
        "templates/wiki/magicbox.md",
        "maintained by the release desk",
        "kept by the release desk",
    );
    let (_, changes) = project.rebuild();
    assert_eq!(changes.written.len(), 6, "{:?}", changes.paths());
    assert!(
        project
            .read_out("releases/1.14.0/magicbox.md")
            .starts_with("<!-- kept by the release desk -->")
    );

    std::fs::remove_file(project.root().join("templates/wiki/magicbox.md")).unwrap();
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    assert_eq!(changes.written.len(), 6, "{:?}", changes.paths());
    assert_eq!(bytes_of(&tree(&project.wiki())), bytes_of(&defaults));
}

#[test]
fn a_user_slack_template_reaches_the_drafts() {
    let project = Project::new();
    project.build();
    let default_template = std::fs::read_to_string(repo().join("templates/slack/release.md"))
        .expect("the default release draft template");
    project.write(
        "templates/slack/release.md",
        &format!("{default_template}\nSent by the release desk.\n"),
    );
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    assert_contains(
        &project.read_out("releases/1.14.0/slack/release.md"),
        "Sent by the release desk.",
        "the 1.14.0 release draft",
    );
    assert!(
        changes
            .written
            .contains(Path::new("releases/1.14.0/slack/release.md"))
    );
    changes.assert_written_only_under(&["releases/"]);
}

#[test]
fn moving_today_renders_releases_in_progress_and_leaves_settled_ones_alone() {
    let mut project = Project::new();
    project.build();
    let before = tree(&project.wiki());
    assert_contains(
        &project.read_out("releases/1.14.0/magicbox.md"),
        "16:00 CET (in 4 days)</p>",
        "the 1.14.0 MagicBox",
    );

    project.today = date(2026, 11, 27);
    let (report, changes) = project.rebuild();
    assert!(!report.up_to_date);
    // 1.14.0 is in progress and 1.15.0 planned; 1.13.0 settled in October.
    assert_eq!(report.rendered, 2, "{report:?}");
    let magicbox = project.read_out("releases/1.14.0/magicbox.md");
    assert_contains(
        &magicbox,
        "16:00 CET (in 3 days)</p>",
        "the 1.14.0 MagicBox",
    );
    assert_contains(
        &magicbox,
        "As of Friday 27 November 2026.",
        "the 1.14.0 MagicBox",
    );
    assert!(
        changes
            .written
            .contains(Path::new("releases/1.14.0/magicbox.md"))
    );
    assert!(
        !changes
            .paths()
            .iter()
            .any(|p| p.starts_with("releases/1.13.0/")),
        "{:?}",
        changes.paths()
    );
    let after = tree(&project.wiki());
    let settled = release_files(&after, "1.13.0");
    assert!(!settled.is_empty());
    assert_eq!(settled, release_files(&before, "1.13.0"));

    // A settled release no longer depends on today: built from scratch months later, its
    // files are the same, byte for byte.
    let later = tempfile::tempdir().unwrap();
    let mut opts = project.options_into(later.path());
    opts.today = date(2027, 6, 1);
    build(&opts).expect("the plans build in June 2027");
    let later_files = release_files(&tree(&later.path().join("wiki")), "1.13.0");
    assert_eq!(
        later_files.keys().collect::<Vec<_>>(),
        settled.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &settled {
        assert!(
            later_files[path] == *bytes,
            "{} differs between --today 2026-11-27 and 2027-06-01",
            path.display()
        );
    }

    // Back to the first day: the pages are those of the first build again.
    project.today = TODAY;
    let (report, _) = project.rebuild();
    assert_eq!(report.rendered, 2, "{report:?}");
    assert_eq!(bytes_of(&tree(&project.wiki())), bytes_of(&before));
}

/// The day a release of the example plans stops depending on today.
fn settled_on(project: &Project, version: &str) -> Date {
    let loaded = harness::load(&project.plans(), TODAY);
    let release = loaded
        .plans()
        .releases
        .iter()
        .find(|r| r.version.value.to_string() == version)
        .unwrap();
    herald::plan::settled_on(release)
}

#[test]
fn a_release_is_rendered_until_the_day_it_settles_and_never_after() {
    let mut project = Project::new();
    let settles = settled_on(&project, "1.14.0");
    assert!(settles > TODAY && settles < date(2027, 1, 1), "{settles}");

    project.today = settles.yesterday().unwrap();
    project.build();
    project.today = settles;
    let (report, changes) = project.rebuild();
    // 1.14.0 settles; 1.15.0 is still planned; 1.13.0 settled long ago.
    assert_eq!(report.rendered, 2, "{report:?}");
    assert!(
        changes
            .written
            .contains(Path::new("releases/1.14.0/magicbox.md"))
    );
    let on_the_day = tree(&project.wiki());

    project.today = date(2027, 12, 24);
    let (report, changes) = project.rebuild();
    assert_eq!(
        report.rendered, 1,
        "only 1.15.0 still depends on today: {report:?}"
    );
    assert!(
        !changes
            .paths()
            .iter()
            .any(|p| p.starts_with("releases/1.13.0/") || p.starts_with("releases/1.14.0/")),
        "{:?}",
        changes.paths()
    );
    assert_eq!(
        release_files(&tree(&project.wiki()), "1.14.0"),
        release_files(&on_the_day, "1.14.0")
    );
}

#[test]
fn a_renamed_release_file_or_a_changed_version_is_built_as_from_scratch() {
    let project = Project::new();
    project.build();
    let before = tree(&project.wiki());
    std::fs::rename(
        project.plans().join("1.15.yaml"),
        project.plans().join("2027-q1.yaml"),
    )
    .unwrap();
    let (_, changes) = project.rebuild();
    assert!(changes.removed.is_empty());
    assert_eq!(
        release_files(&tree(&project.wiki()), "1.15.0"),
        release_files(&before, "1.15.0")
    );

    project.edit(
        "releases/2027-q1.yaml",
        "version: 1.15.0",
        "version: 1.15.1",
    );
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 1, "{report:?}");
    assert_eq!(
        changes.removed.len(),
        release_files(&before, "1.15.0").len()
    );
    assert!(!project.wiki().join("releases/1.15.0").exists());
    assert_contains(
        &project.read_out("releases/1.15.1/magicbox.md"),
        "# Release 1.15.1 “Vaduz”",
        "the 1.15.1 MagicBox",
    );
}

/// Rewrites the manifest as a different herald version would have left it: other keys.
fn pretend_built_by_another_version(out: &Path, manifest: &mut Manifest) {
    manifest.build_key = format!("older-{}", manifest.build_key);
    for entry in manifest.releases.values_mut() {
        entry.key = format!("older-{}", entry.key);
    }
    manifest.write(out).unwrap();
}

#[test]
fn another_herald_version_renders_everything_again() {
    let project = Project::new();
    project.build();
    let mut manifest = Manifest::read(&project.out());
    assert_eq!(manifest.releases.len(), 3);
    pretend_built_by_another_version(&project.out(), &mut manifest);

    let (report, changes) = project.rebuild();
    assert!(!report.up_to_date);
    assert_eq!(report.rendered, 3, "{report:?}");
    // Same output as before: rendered again, but no file written.
    assert!(changes.written.is_empty(), "{:?}", changes.paths());
    let rebuilt = Manifest::read(&project.out());
    assert!(
        rebuilt
            .releases
            .values()
            .all(|e| !e.key.starts_with("older-"))
    );
    assert!(project.rebuild().0.up_to_date);
}

#[test]
fn output_of_another_herald_version_is_replaced() {
    let project = Project::new();
    project.build();
    // An older herald wrote a different settled page, and recorded it honestly.
    let page = "releases/1.13.0/magicbox.md";
    let old_page = "# Release 1.13.0, as an older herald rendered it\n";
    std::fs::write(project.wiki().join(page), old_page).unwrap();
    let mut manifest = Manifest::read(&project.out());
    let entry = manifest.files.get_mut(page).unwrap();
    entry.len = old_page.len() as u64;
    entry.hash = Fingerprint::of(old_page.as_bytes());
    entry.modified = herald::write::modified_ns(&project.wiki().join(page)).unwrap();
    pretend_built_by_another_version(&project.out(), &mut manifest);

    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    assert_eq!(changes.paths(), [page]);
    assert!(
        project
            .read_out(page)
            .starts_with("# Release 1.13.0 “Tegernsee”\n")
    );
}

#[test]
fn a_manifest_of_another_format_or_unreadable_is_ignored() {
    let project = Project::new();
    project.build();
    let path = Manifest::path(&project.out());
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["format"], 2);
    json["format"] = serde_json::json!(0);
    std::fs::write(&path, serde_json::to_vec_pretty(&json).unwrap()).unwrap();

    let (report, changes) = project.rebuild();
    assert!(!report.up_to_date);
    assert_eq!(report.rendered, 3, "{report:?}");
    assert!(changes.written.is_empty(), "{:?}", changes.paths());
    assert_eq!(Manifest::read(&project.out()).releases.len(), 3);

    std::fs::write(&path, b"{ not json").unwrap();
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    assert!(changes.written.is_empty(), "{:?}", changes.paths());
    assert!(project.rebuild().0.up_to_date);
}

#[test]
fn a_changed_site_url_reaches_drafts_and_calendars() {
    let mut project = Project::new();
    project.build();
    assert_contains(
        &project.read_out("releases/1.14.0/1.14.0.ics"),
        "UID:1.14.0-rc2@kyma.herald.invalid",
        "the 1.14.0 calendar",
    );

    project.site_url = Some("https://releases.example.org/kyma/".to_owned());
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 3, "{report:?}");
    let ics = project.read_out("releases/1.14.0/1.14.0.ics");
    assert_contains(
        &ics,
        "UID:1.14.0-rc2@kyma.releases.example.org",
        "the 1.14.0 calendar",
    );
    assert_lacks(&ics, "herald.invalid", "the 1.14.0 calendar");
    assert_contains(
        &project.read_out("calendar.ics"),
        "UID:1.14.0-rc2@kyma.releases.example.org",
        "the shared calendar",
    );
    assert_contains(
        &project.read_out("releases/1.14.0/slack/deadlines.md"),
        "https://releases.example.org/kyma/releases/1.14.0/magicbox.html",
        "the 1.14.0 deadlines draft",
    );
    assert!(
        changes
            .written
            .contains(Path::new("releases/1.13.0/1.13.0.ics"))
    );

    project.site_url = Some("https://releases.example.com/kyma/".to_owned());
    project.rebuild();
    let ics = project.read_out("releases/1.14.0/1.14.0.ics");
    assert_contains(
        &ics,
        "UID:1.14.0-rc2@kyma.releases.example.com",
        "the 1.14.0 calendar",
    );

    project.site_url = None;
    project.rebuild();
    assert_contains(
        &project.read_out("releases/1.14.0/1.14.0.ics"),
        "UID:1.14.0-rc2@kyma.herald.invalid",
        "the 1.14.0 calendar",
    );
}

/// Edits one output file by hand, rebuilds, and checks the file is as a fresh build makes it.
fn assert_restored_after(project: &Project, rel: &str, damage: impl FnOnce(&Path)) {
    let path = project.wiki().join(rel);
    let good = std::fs::read(&path).unwrap();
    std::thread::sleep(TICK);
    damage(&path);
    let (report, changes) = project.rebuild();
    assert!(!report.up_to_date, "{rel}: {report:?}");
    assert_eq!(changes.paths(), [rel], "{rel}");
    assert_eq!(std::fs::read(&path).unwrap(), good, "{rel}");
}

#[test]
fn output_files_edited_or_deleted_by_hand_are_restored() {
    let project = Project::new();
    project.build();
    let page = "releases/1.14.0/magicbox.md";
    assert_restored_after(&project, page, |path| {
        let mut bytes = std::fs::read(path).unwrap();
        let at = bytes.iter().position(|b| *b == b'U').unwrap();
        bytes[at] = b'X';
        std::fs::write(path, bytes).unwrap();
    });
    assert_restored_after(&project, page, |path| {
        std::fs::write(path, "edited by hand\n").unwrap();
    });
    assert_restored_after(&project, page, |path| std::fs::remove_file(path).unwrap());
    let workbook = "releases/1.13.0/manual-tests-1.13.0.xlsx";
    assert_restored_after(&project, workbook, |path| {
        std::fs::remove_file(path).unwrap()
    });
    // A file rendered from every release at once.
    assert_restored_after(&project, "calendar.ics", |path| {
        std::fs::write(path, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").unwrap();
    });
    assert!(project.rebuild().0.up_to_date);
}

#[test]
fn a_file_added_to_the_wiki_by_hand_stays_and_the_build_is_still_up_to_date() {
    let project = Project::new();
    project.build();
    let mine = project.wiki().join("releases/1.14.0/notes.md");
    std::fs::write(&mine, "by hand\n").unwrap();
    let report = project.build();
    assert!(report.up_to_date, "{report:?}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "by hand\n");
}

/// A file nobody rendered put into `OUT/wiki`, and a release edited so the build has work.
fn file_of_the_users_and_a_change(project: &Project) -> PathBuf {
    project.build();
    let mine = project.wiki().join("releases/1.14.0/notes.md");
    std::fs::write(&mine, "by hand\n").unwrap();
    project.edit(
        "releases/1.15.yaml",
        "notes: Planning starts after 1.14.0 is out.",
        "notes: Planning starts in the new year.",
    );
    mine
}

#[test]
fn a_file_added_to_the_wiki_by_hand_stays_through_a_real_rebuild_byte_for_byte() {
    let project = Project::new();
    let mine = file_of_the_users_and_a_change(&project);
    let time = std::fs::metadata(&mine).unwrap().modified().unwrap();
    let report = project.build();
    assert!(
        report.rendered >= 1 && report.wiki.removed == 0,
        "{report:?}"
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "by hand\n");
    assert_eq!(std::fs::metadata(&mine).unwrap().modified().unwrap(), time);
    let mut expected = project.fresh_wiki();
    expected.insert(
        PathBuf::from("releases/1.14.0/notes.md"),
        b"by hand\n".to_vec(),
    );
    assert_eq!(bytes_of(&tree(&project.wiki())), expected);
    // It is not herald's: the record leaves it out, and a build never counts it.
    let manifest = Manifest::read(&project.out());
    assert!(!manifest.files.contains_key("releases/1.14.0/notes.md"));
}

#[test]
fn a_site_rebuild_leaves_unchanged_site_files_untouched() {
    let project = site_project();
    project.build();
    let before = tree(&project.site_dir());
    project.edit(
        "releases/1.15.yaml",
        "notes: Planning starts after 1.14.0 is out.",
        "notes: Planning starts in the new year.",
    );
    let (report, _) = project.rebuild();
    assert!(report.site_built, "{report:?}");
    let after = tree(&project.site_dir());
    for file in [
        "releases/1.13.0/manual-tests-1.13.0.xlsx",
        "css/general.css",
    ] {
        let (old, new) = (&before[Path::new(file)], &after[Path::new(file)]);
        assert!(old.0 == new.0, "{file} changed");
        assert_eq!(new.1, old.1, "{file} kept its bytes but was written again");
    }
}

#[test]
fn deleted_and_added_release_files_remove_and_add_their_folders() {
    let project = Project::new();
    project.build();
    let original = tree(&project.wiki());
    let release_115 = std::fs::read_to_string(project.plans().join("1.15.yaml")).unwrap();
    let files_115 = release_files(&original, "1.15.0");
    assert!(files_115.len() > 5);

    std::fs::remove_file(project.plans().join("1.15.yaml")).unwrap();
    let (report, changes) = project.rebuild();
    assert_eq!((report.releases, report.rendered), (2, 0), "{report:?}");
    assert_eq!(changes.removed.len(), files_115.len());
    assert!(changes.removed.iter().all(|p| files_115.contains_key(p)));
    assert!(!project.wiki().join("releases/1.15.0").exists());
    assert_lacks(&project.read_out("SUMMARY.md"), "1.15.0", "SUMMARY.md");
    assert_lacks(
        &project.read_out("calendar.ics"),
        "1.15.0",
        "the shared calendar",
    );
    changes.assert_written_only_under(&["SUMMARY.md", "index.md", "calendar."]);

    // Back again, and a new release beside it.
    project.write("releases/1.15.yaml", &release_115);
    project.write(
        "releases/1.16.yaml",
        &release_115
            .replace("version: 1.15.0", "version: 1.16.0")
            .replace("codename: Vaduz", "codename: Wien")
            .replace("2027-01-", "2027-03-")
            .replace("2026-12-17T10:00", "2027-02-18T10:00")
            .replace(
                "notes: Planning starts after 1.14.0 is out.",
                "notes: The first release of spring.",
            ),
    );
    let (report, changes) = project.rebuild();
    assert_eq!((report.releases, report.rendered), (4, 2), "{report:?}");
    assert!(changes.removed.is_empty());
    let after = tree(&project.wiki());
    assert_eq!(release_files(&after, "1.15.0"), files_115);
    assert_contains(
        &project.read_out("releases/1.16.0/magicbox.md"),
        "The first release of spring.",
        "the 1.16.0 MagicBox",
    );
    assert_contains(&project.read_out("SUMMARY.md"), "1.16.0", "SUMMARY.md");
    changes.assert_written_only_under(&[
        "releases/1.15.0/",
        "releases/1.16.0/",
        "SUMMARY.md",
        "index.md",
        "calendar.",
    ]);
}

#[test]
fn a_build_with_plan_errors_leaves_the_output_as_it_was() {
    let project = Project::new();
    project.build();
    let out_before = tree(&project.out());
    let release_114 = std::fs::read_to_string(project.plans().join("1.14.yaml")).unwrap();

    // A team nobody registered, then YAML that does not parse.
    project.edit(
        "releases/1.14.yaml",
        "teams: [goat, huskies], approved_by: [huskies]",
        "teams: [goat, walruses], approved_by: [huskies]",
    );
    std::thread::sleep(TICK);
    let err = project
        .try_build()
        .expect_err("an unknown team is an error");
    assert!(matches!(err, BuildError::Plans(_)), "{err:?}");
    assert_eq!(tree(&project.out()), out_before);

    project.write(
        "releases/1.14.yaml",
        &format!("{release_114}\nnotes: [unclosed\n"),
    );
    std::thread::sleep(TICK);
    project.try_build().expect_err("broken YAML is an error");
    assert_eq!(tree(&project.out()), out_before);

    // Fixed as it was: nothing to do; fixed differently: that release alone.
    project.write("releases/1.14.yaml", &release_114);
    let (report, _) = project.rebuild();
    assert!(report.up_to_date, "{report:?}");
    assert_eq!(tree(&project.out()), out_before);
    project.edit(
        "releases/1.14.yaml",
        "  - Report problems in `#kyma-team`.",
        "  - Report problems in `#kyma-rc-testing`.",
    );
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 1, "{report:?}");
    changes.assert_written_only_under(&["releases/1.14.0/"]);
    assert_contains(
        &project.read_out("releases/1.14.0/magicbox.md"),
        "Report problems in `#kyma-rc-testing`.",
        "the 1.14.0 MagicBox",
    );
}

/// A project with the example's `book.toml` beside the plans, building the site.
fn site_project() -> Project {
    let mut project = Project::new();
    std::fs::copy(
        harness::fixture("example/book.toml"),
        project.root().join("book.toml"),
    )
    .unwrap();
    project.site = true;
    project
}

/// Rebuilds with the site; the wiki is checked as in every rebuild.
fn rebuild_site(project: &Project) -> BuildReport {
    project.rebuild().0
}

#[test]
fn the_site_is_rebuilt_when_and_only_when_what_it_is_made_from_changed() {
    let project = site_project();
    let first = project.build();
    assert!(first.site_built);
    assert_contains(
        &std::fs::read_to_string(project.site_dir().join("index.html")).unwrap(),
        "<title>Overview - Kyma releases</title>",
        "the site's front page",
    );

    // Nothing changed: the site is left as it was, every file with its time.
    let site_before = tree(&project.site_dir());
    let (report, _) = project.rebuild();
    assert!(report.up_to_date && !report.site_built, "{report:?}");
    assert_eq!(tree(&project.site_dir()), site_before);

    // The book's title: the wiki is the same, the site is not.
    project.edit(
        "book.toml",
        "title = \"Kyma releases\"",
        "title = \"Kyma release desk\"",
    );
    let report = rebuild_site(&project);
    assert!(report.site_built, "{report:?}");
    assert_eq!((report.rendered, report.wiki.written), (0, 0), "{report:?}");
    let index = std::fs::read_to_string(project.site_dir().join("index.html")).unwrap();
    assert_contains(&index, "Kyma release desk", "the site's front page");
    assert_lacks(&index, "Kyma releases", "the site's front page");

    // A stylesheet in theme/, named by additional-css: added, then changed.
    project.edit(
        "book.toml",
        "no-section-label = true",
        "no-section-label = true\nadditional-css = [\"theme/custom.css\"]",
    );
    project.write("theme/custom.css", ".content { color: #123456; }\n");
    let report = rebuild_site(&project);
    assert!(report.site_built, "{report:?}");
    let css = project.site_dir().join("theme/custom.css");
    assert_contains(
        &std::fs::read_to_string(&css).unwrap(),
        "#123456",
        "the site's CSS",
    );
    assert_contains(
        &std::fs::read_to_string(project.site_dir().join("index.html")).unwrap(),
        "theme/custom.css",
        "the site's front page",
    );
    project.write("theme/custom.css", ".content { color: #abcdef; }\n");
    let report = rebuild_site(&project);
    assert!(report.site_built, "{report:?}");
    assert_eq!((report.rendered, report.wiki.written), (0, 0), "{report:?}");
    let css = std::fs::read_to_string(&css).unwrap();
    assert_contains(&css, "#abcdef", "the site's CSS");
    assert_lacks(&css, "#123456", "the site's CSS");

    // A stylesheet outside theme/ counts too.
    project.edit(
        "book.toml",
        "[\"theme/custom.css\"]",
        "[\"theme/custom.css\", \"brand.css\"]",
    );
    project.write("brand.css", "h1 { font-weight: 300; }\n");
    assert!(rebuild_site(&project).site_built);
    project.write("brand.css", "h1 { font-weight: 700; }\n");
    let report = rebuild_site(&project);
    assert!(report.site_built, "{report:?}");
    assert_contains(
        &std::fs::read_to_string(project.site_dir().join("brand.css")).unwrap(),
        "font-weight: 700",
        "the site's brand CSS",
    );

    // A changed page reaches the site.
    project.edit(
        "releases/1.15.yaml",
        "notes: Planning starts after 1.14.0 is out.",
        "notes: Planning starts in the new year.",
    );
    let report = rebuild_site(&project);
    assert!(report.site_built && report.rendered == 1, "{report:?}");
    assert_contains(
        &std::fs::read_to_string(project.site_dir().join("releases/1.15.0/magicbox.html")).unwrap(),
        "Planning starts in the new year.",
        "the 1.15.0 MagicBox page",
    );
    assert!(project.rebuild().0.up_to_date);
}

#[test]
fn turning_the_site_on_builds_it() {
    let mut project = site_project();
    project.site = false;
    project.build();
    assert!(!project.site_dir().exists());
    project.site = true;
    let (report, changes) = project.rebuild();
    assert!(report.site_built, "{report:?}");
    assert!(changes.written.is_empty(), "{:?}", changes.paths());
    assert!(
        project
            .site_dir()
            .join("releases/1.14.0/magicbox.html")
            .is_file()
    );
}

#[test]
fn a_deleted_site_is_rebuilt() {
    let project = site_project();
    project.build();
    let site = bytes_of(&tree(&project.site_dir()));
    std::fs::remove_dir_all(project.site_dir()).unwrap();

    let (report, changes) = project.rebuild();
    assert!(!report.up_to_date && report.site_built, "{report:?}");
    assert!(changes.written.is_empty(), "{:?}", changes.paths());
    assert_eq!(bytes_of(&tree(&project.site_dir())), site);

    // Only its front page gone: rebuilt as well.
    std::fs::remove_file(project.site_dir().join("index.html")).unwrap();
    let (report, _) = project.rebuild();
    assert!(report.site_built, "{report:?}");
    assert_eq!(bytes_of(&tree(&project.site_dir())), site);
}

#[test]
fn a_deleted_manifest_writes_nothing_new_and_comes_back() {
    let project = Project::new();
    project.build();
    let manifest = std::fs::read(Manifest::path(&project.out())).unwrap();
    std::fs::remove_dir_all(project.out().join(".herald")).unwrap();

    let (report, changes) = project.rebuild();
    assert!(!report.up_to_date, "{report:?}");
    assert_eq!(report.rendered, 3);
    assert!(changes.written.is_empty() && changes.removed.is_empty());
    assert_eq!(
        std::fs::read(Manifest::path(&project.out())).unwrap(),
        manifest
    );
    assert!(project.rebuild().0.up_to_date);
}

#[test]
fn a_deleted_manifest_with_the_site_rebuilds_the_same_site() {
    let project = site_project();
    project.build();
    let site = bytes_of(&tree(&project.site_dir()));
    std::fs::remove_dir_all(project.out().join(".herald")).unwrap();
    let (report, changes) = project.rebuild();
    assert!(changes.written.is_empty(), "{:?}", changes.paths());
    assert_eq!(bytes_of(&tree(&project.site_dir())), site, "{report:?}");
    assert!(project.rebuild().0.up_to_date);
}

#[test]
fn a_site_file_changed_or_deleted_by_hand_makes_the_site_build_again() {
    let project = site_project();
    project.build();
    let fresh = tree(&project.site_dir());
    let page = project.site_dir().join("releases/1.13.0/magicbox.html");
    // A download is shared with the wiki (a hard link): damage it through the site.
    let feed = project.site_dir().join("calendar.ics");
    let mut bytes = std::fs::read(&feed).unwrap();
    bytes.extend_from_slice(b"BEGIN:VEVENT\r\n");
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&feed, bytes).unwrap();
    let report = project.try_build().unwrap();
    assert!(report.site_built && !report.up_to_date, "{report:?}");
    assert_eq!(bytes_of(&tree(&project.site_dir())), bytes_of(&fresh));
    assert_eq!(
        std::fs::read(project.wiki().join("calendar.ics")).unwrap(),
        std::fs::read(&feed).unwrap()
    );
    assert!(project.try_build().unwrap().up_to_date);
}

#[test]
fn a_theme_folder_named_in_book_toml_is_part_of_the_site() {
    let project = site_project();
    project.edit(
        "book.toml",
        "no-section-label = true",
        "no-section-label = true\ntheme = \"look\"",
    );
    project.write(
        "look/css/variables.css",
        ":root { --sidebar-width: 301px; }\n",
    );
    project.build();
    let variables = project.site_dir().join("css/variables.css");
    assert_contains(
        &std::fs::read_to_string(&variables).unwrap(),
        "301px",
        "the site's CSS",
    );
    project.write(
        "look/css/variables.css",
        ":root { --sidebar-width: 302px; }\n",
    );
    let report = project.try_build().unwrap();
    assert!(report.site_built, "{report:?}");
    assert_contains(
        &std::fs::read_to_string(&variables).unwrap(),
        "302px",
        "the site's CSS",
    );
}

#[test]
fn herald_removes_its_own_staging_folders_and_never_folders_of_the_users() {
    let project = Project::new();
    project.build();
    for name in [
        "wiki.new",
        "wiki.old",
        "site.new",
        "site.pages",
        "site.build",
    ] {
        std::fs::create_dir_all(project.out().join(".herald").join(name).join("releases")).unwrap();
    }
    // Folders a user named like the staging folders of older herald versions.
    for name in [".wiki.new", ".wiki.old", ".site.old"] {
        project.write(&format!("out/{name}/keep.txt"), "the user's\n");
    }
    assert!(project.try_build().unwrap().up_to_date);
    for name in ["wiki.new", "wiki.old", "site.new"] {
        assert!(
            !project.out().join(".herald").join(name).exists(),
            "{name} is left"
        );
    }
    for name in [".wiki.new", ".wiki.old", ".site.old"] {
        let kept = project.out().join(name).join("keep.txt");
        assert_eq!(std::fs::read_to_string(kept).unwrap(), "the user's\n");
    }
}

#[test]
fn a_release_rendered_again_to_the_same_bytes_leaves_the_site_as_it_was() {
    let project = site_project();
    project.build();
    let site_before = tree(&project.site_dir());
    // A comment changes the release's key, so it is rendered again, but none of its files.
    let path = project.plans().join("1.15.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n# reviewed: nothing to change\n")).unwrap();
    let (report, changes) = project.rebuild();
    assert_eq!(report.rendered, 1, "{report:?}");
    assert!(changes.written.is_empty(), "{:?}", changes.paths());
    // No page changed, so no book is rendered beside the workbooks: the site is untouched.
    assert!(!report.site_built, "{report:?}");
    assert_eq!(tree(&project.site_dir()), site_before);
    for name in ["site.new", "site.build", "site.pages", "site.theme"] {
        let scratch = project.out().join(".herald").join(name);
        assert!(!scratch.exists(), "{name} is left");
    }
}

#[test]
fn a_site_rebuilt_after_one_release_changed_equals_one_built_from_scratch() {
    let project = site_project();
    project.build();
    project.edit(
        "releases/1.15.yaml",
        "notes: Planning starts after 1.14.0 is out.",
        "notes: Planning starts in the new year.",
    );
    let (report, _) = project.rebuild();
    assert!(report.site_built && report.rendered == 1, "{report:?}");
    let page = "releases/1.15.0/magicbox.html";
    assert_contains(
        &std::fs::read_to_string(project.site_dir().join(page)).unwrap(),
        "Planning starts in the new year.",
        "the 1.15.0 MagicBox page",
    );
    let scratch = tempfile::tempdir().unwrap();
    build(&project.options_into(scratch.path())).unwrap();
    let rebuilt = harness::snapshot(&project.site_dir());
    let from_scratch = harness::snapshot(&scratch.path().join("site"));
    assert_eq!(
        rebuilt.keys().collect::<Vec<_>>(),
        from_scratch.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &rebuilt {
        assert!(
            from_scratch[path] == *bytes,
            "{} differs from a build from scratch",
            path.display()
        );
    }
}

/// The parsed-plan cache in herald's folder of OUT.
fn parse_cache(project: &Project) -> PathBuf {
    project.out().join(".herald").join("parsed")
}

/// Whether the cache holds the text of the plan file `name` as it is now.
fn cache_holds(project: &Project, name: &str) -> bool {
    let cache = std::fs::read(parse_cache(project)).unwrap();
    let text = std::fs::read(project.plans().join(name)).unwrap();
    cache.windows(text.len()).any(|w| w == text)
}

#[test]
fn unchanged_plans_come_from_the_parse_cache_with_the_same_warnings() {
    let project = Project::new();
    // A warning the reader gives (a zone spelled in the wrong case), in a file that stays
    // unchanged, so the rebuild reads it from the cache.
    project.edit(
        "releases/1.13.yaml",
        "timezone: Europe/Berlin",
        "timezone: europe/berlin",
    );
    let first = project.build();
    assert_eq!(first.warnings, 1, "{first:?}");
    for name in [
        "teams.yaml",
        "manual-tests.yaml",
        "1.13.yaml",
        "1.14.yaml",
        "1.15.yaml",
    ] {
        assert!(cache_holds(&project, name), "{name} is not in the cache");
    }

    project.edit(
        "releases/1.15.yaml",
        "notes: Planning starts after 1.14.0 is out.",
        "notes: Planning starts in the new year.",
    );
    let (report, _) = project.rebuild();
    assert_eq!(report.rendered, 1, "{report:?}");
    assert_eq!(report.warnings, 1, "{report:?}");
    assert!(
        cache_holds(&project, "1.15.yaml"),
        "the edited file's new tree is kept"
    );
    assert!(
        cache_holds(&project, "1.13.yaml"),
        "the trees found are kept"
    );
    assert_contains(
        &project.read_out("releases/1.15.0/magicbox.md"),
        "Planning starts in the new year.",
        "the 1.15.0 MagicBox",
    );
}

#[test]
fn a_damaged_parse_cache_changes_nothing_but_the_time() {
    let project = Project::new();
    project.build();
    let good = std::fs::read(parse_cache(&project)).unwrap();
    let damages: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("cut in half", good[..good.len() / 2].to_vec()),
        (
            "not a cache",
            b"herald parsed-plan cache 1\n\xff\x00garbage".to_vec(),
        ),
        (
            "every byte of the trees flipped",
            good.iter().map(|b| b ^ 0x01).collect(),
        ),
    ];
    for (i, (what, bytes)) in damages.into_iter().enumerate() {
        std::fs::write(parse_cache(&project), bytes).unwrap();
        project.write(
            "releases/1.15.yaml",
            &format!(
                "{}\n# edit {i}\n",
                std::fs::read_to_string(project.plans().join("1.15.yaml")).unwrap()
            ),
        );
        // The rebuild equals a build from scratch (checked by `rebuild`).
        let (report, _) = project.rebuild();
        assert!(!report.up_to_date, "{what}: {report:?}");
        assert!(
            cache_holds(&project, "1.14.yaml"),
            "{what}: the cache is whole again"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_in_place_of_the_parse_cache_is_replaced_not_written_through() {
    let project = Project::new();
    project.build();
    let users = project.path("users-file.txt");
    std::fs::write(&users, "the user's own file\n").unwrap();
    std::fs::remove_file(parse_cache(&project)).unwrap();
    std::os::unix::fs::symlink(&users, parse_cache(&project)).unwrap();
    project.edit(
        "releases/1.15.yaml",
        "notes: Planning starts after 1.14.0 is out.",
        "notes: Planning starts in the new year.",
    );
    project.rebuild();
    assert_eq!(
        std::fs::read_to_string(&users).unwrap(),
        "the user's own file\n"
    );
    let meta = std::fs::symlink_metadata(parse_cache(&project)).unwrap();
    assert!(meta.is_file(), "the cache is herald's own file again");
}

/// The pages the site's search index points into.
fn searched_pages(project: &Project) -> BTreeSet<String> {
    let index = std::fs::read_to_string(project.site_dir().join("searchindex.js")).unwrap();
    let json = &index[index.find('{').unwrap()..=index.rfind('}').unwrap()];
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    index["doc_urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|url| url.as_str().unwrap().split('#').next().unwrap().to_owned())
        .collect()
}

#[test]
fn a_magicbox_leaves_the_search_index_half_a_year_after_its_release_settled() {
    let mut project = site_project();
    project.build();
    let pages = searched_pages(&project);
    for version in ["1.13.0", "1.14.0", "1.15.0"] {
        let page = format!("releases/{version}/magicbox.html");
        assert!(pages.contains(&page), "{page} is not searched: {pages:?}");
    }

    // 1.13.0 was released on 8 October 2026 and settled a week later; 1.14.0 in December.
    project.today = date(2027, 5, 1);
    let report = rebuild_site(&project);
    assert!(report.site_built, "{report:?}");
    let pages = searched_pages(&project);
    assert!(
        !pages.contains("releases/1.13.0/magicbox.html"),
        "{pages:?}"
    );
    assert!(pages.contains("releases/1.14.0/magicbox.html"), "{pages:?}");
    assert!(pages.contains("releases/1.15.0/magicbox.html"), "{pages:?}");
    // Still a page of the site, in its navigation.
    let toc = std::fs::read_to_string(project.site_dir().join("toc.js")).unwrap();
    assert!(toc.contains("releases/1.13.0/magicbox.html"));
    assert!(
        project
            .site_dir()
            .join("releases/1.13.0/magicbox.html")
            .is_file()
    );
    // As a build from scratch on that day.
    let scratch = tempfile::tempdir().unwrap();
    build(&project.options_into(scratch.path())).unwrap();
    assert_eq!(
        harness::snapshot(&project.site_dir()),
        harness::snapshot(&scratch.path().join("site")),
        "the rebuilt site differs from one built from scratch"
    );

    // Later, when nothing else on the site may change (every release settled), 1.14.0 leaves.
    project.today = date(2027, 7, 1);
    rebuild_site(&project);
    let pages = searched_pages(&project);
    assert!(
        !pages.contains("releases/1.14.0/magicbox.html"),
        "{pages:?}"
    );
    assert!(pages.contains("releases/1.15.0/magicbox.html"), "{pages:?}");

    // A setting of book.toml wins.
    let book_toml = project.root().join("book.toml");
    let mut text = std::fs::read_to_string(&book_toml).unwrap();
    text.push_str(
        "\n[output.html.search.chapter.\"releases/1.13.0/magicbox.md\"]\nenable = true\n",
    );
    std::fs::write(&book_toml, text).unwrap();
    rebuild_site(&project);
    assert!(searched_pages(&project).contains("releases/1.13.0/magicbox.html"));
}

#[test]
fn a_change_that_reaches_only_the_workbooks_still_reaches_the_site() {
    let project = site_project();
    project.build();
    // Steps are shown in the workbooks, on no page: mdBook is not run beside the workbooks,
    // and the site is staged after them, with the new workbooks.
    project.edit(
        "releases/manual-tests.yaml",
        "steps: Send a request through the API gateway to a function and search for it in Jaeger.",
        "steps: Call a function through the API gateway, then find its trace in Jaeger.",
    );
    let (report, changes) = project.rebuild();
    assert!(report.rendered > 0 && report.site_built, "{report:?}");
    assert!(
        changes
            .written
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "xlsx")),
        "{:?}",
        changes.paths()
    );
    // 1.14.0 skips the test; 1.13.0 ran it.
    let rel = "releases/1.13.0/manual-tests-1.13.0.xlsx";
    assert!(
        workbook_texts(&project.site_dir().join(rel))
            .iter()
            .any(|t| t.contains("find its trace in Jaeger"))
    );
    assert_eq!(
        std::fs::read(project.site_dir().join(rel)).unwrap(),
        std::fs::read(project.wiki().join(rel)).unwrap()
    );
    let scratch = tempfile::tempdir().unwrap();
    build(&project.options_into(scratch.path())).unwrap();
    assert_eq!(
        harness::snapshot(&project.site_dir()),
        harness::snapshot(&scratch.path().join("site"))
    );
}
