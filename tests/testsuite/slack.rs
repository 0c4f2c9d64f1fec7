//! Slack drafts: the text of every draft of the example releases, the Block Kit payloads read
//! back as JSON and held to Slack's limits, hostile plan text, user templates, and the
//! `herald draft` and `herald due` commands.

use std::collections::BTreeMap;
use std::path::Path;

use herald::render::{paths, slack};
use jiff::civil::Date;
use serde_json::Value;

use crate::harness::{self, Project, TODAY, edit, example};

const SITE: &str = "https://org.github.io/releases";

/// What `herald build` writes for the drafts of a plans folder: path → text.
fn render(dir: &Path, site_url: Option<&str>) -> BTreeMap<String, String> {
    render_on(dir, site_url, TODAY)
}

fn render_on(dir: &Path, site_url: Option<&str>, today: Date) -> BTreeMap<String, String> {
    harness::with_context(dir, today, site_url, |ctx| {
        let mut out = BTreeMap::new();
        for release in &ctx.timeline.releases {
            let files = slack::render_release(ctx, release).expect("drafts render");
            for (path, bytes) in files.iter() {
                out.insert(
                    path.to_string_lossy().into_owned(),
                    String::from_utf8(bytes.clone()).expect("UTF-8"),
                );
            }
        }
        out
    })
}

fn file<'a>(files: &'a BTreeMap<String, String>, path: &str) -> &'a str {
    files
        .get(path)
        .unwrap_or_else(|| panic!("no file {path}; files: {:?}", files.keys()))
}

fn md<'a>(files: &'a BTreeMap<String, String>, version: &str, id: &str) -> &'a str {
    file(files, &paths::draft(version, id, "md"))
}

fn json(files: &BTreeMap<String, String>, version: &str, id: &str) -> Value {
    let text = file(files, &paths::draft(version, id, "json"));
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{version}/{id}.json: {e}\n{text}"))
}

/// The mrkdwn of every block of a payload, joined by blank lines.
fn block_text(payload: &Value) -> String {
    payload["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter_map(|b| b["text"]["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Every `<…>` token of a Slack text: links, mentions and dates.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        out.push(&rest[start..=start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

fn mentions(text: &str) -> Vec<&str> {
    tokens(text)
        .into_iter()
        .filter(|t| t.starts_with("<@") || t.starts_with("<!subteam"))
        .collect()
}

#[test]
fn every_draft_of_the_timeline_is_written_as_mrkdwn_and_json() {
    let files = render(&example(), None);
    let ids_114 = [
        "deadlines",
        "cherry-pick-rc1",
        "manual-tests-rc1",
        "test-environment",
        "approvals",
        "cherry-pick-rc2",
        "failing-tests",
        "manual-tests-rc2",
        "cherry-pick-rc3",
        "manual-tests-rc3",
        "release",
    ];
    for id in ids_114 {
        assert!(md(&files, "1.14.0", id).starts_with('*'), "{id}");
        let channel = if id == "release" {
            "#release"
        } else {
            "#kyma-team"
        };
        assert_eq!(json(&files, "1.14.0", id)["channel"], channel, "{id}");
    }
    // 1.13.0 is released: no approvals or failing-tests drafts any more.
    assert!(!files.contains_key(&paths::draft("1.13.0", "approvals", "md")));
    assert!(files.contains_key(&paths::draft("1.13.0", "release", "json")));
    // 1.15.0 has no test environment and no cherry-pick deadline for rc2.
    assert!(!files.contains_key(&paths::draft("1.15.0", "test-environment", "md")));
    assert!(!files.contains_key(&paths::draft("1.15.0", "cherry-pick-rc2", "md")));
    let count_114 = files
        .keys()
        .filter(|p| p.starts_with("releases/1.14.0/slack/"))
        .count();
    assert_eq!(count_114, 2 * ids_114.len());
}

#[test]
fn deadlines_list_every_date_in_zone_and_utc_with_people_and_links() {
    let files = render(&example(), Some(SITE));
    let d = md(&files, "1.14.0", "deadlines");
    assert!(
        d.contains("Times are in Europe/Berlin, with UTC in brackets."),
        "{d}"
    );
    for line in [
        "*:calendar: 1.14.0 \"Ulm\": release deadlines*",
        "• Freeze: release-1.14 is cut: *Mon 16 Nov 2026, 09:00 CET* (08:00 UTC)",
        "• Cherry-pick deadline for RC1: *Tue 17 Nov 2026, 16:00 CET* (15:00 UTC)",
        "• RC1: *Wed 18 Nov 2026*",
        "• Cherry-pick deadline for RC2: *Mon 30 Nov 2026, 16:00 CET* (15:00 UTC)",
        "• RC2: *Tue 1 Dec 2026*",
        "• Cherry-pick deadline for RC3: *Mon 7 Dec 2026, 12:00 CET* (11:00 UTC)",
        "• RC3: *Tue 8 Dec 2026*",
        "• Release 1.14.0: *Thu 10 Dec 2026*",
        "• Release notes due: *Tue 8 Dec 2026*. Each team adds its highlights to the *release notes* draft. See <https://kyma-project.io/docs/release-notes|the guide>.",
        "*Scrum of Scrums* (30 minutes, every 2 weeks):",
        "• *Thu 12 Nov 2026, 10:00 CET* (09:00 UTC)",
        "• *Thu 26 Nov 2026, 10:00 CET* (09:00 UTC)",
        "• *Thu 10 Dec 2026, 10:00 CET* (09:00 UTC)",
        "Release Master: <@U01HBALIK>, Scrum Master: <@U01LILITG>, Release Manager: Jose Cortina.",
    ] {
        assert!(
            d.lines().any(|l| l == line),
            "missing line {line:?} in\n{d}"
        );
    }
    // What the poster should do is not the channel's to read: it is on the drafts page.
    assert!(!d.to_lowercase().contains("pin"), "{d}");
    // Meetings before the announcement (10 Nov) are not announced.
    assert!(!d.contains("29 Oct 2026"), "{d}");
    for link in [
        "<https://org.github.io/releases/releases/1.14.0/magicbox.html|MagicBox>",
        "<https://org.github.io/releases/releases/1.14.0/manual-tests-1.14.0.xlsx|manual-test workbook>",
        "<https://org.github.io/releases/releases/1.14.0/1.14.0.ics|release calendar>",
    ] {
        assert!(d.contains(link), "missing {link} in\n{d}");
    }
    // No Markdown markers survive: Slack bold is a single star.
    assert!(!d.contains("**") && !d.contains("]("), "{d}");
    assert_eq!(mentions(d), ["<@U01HBALIK>", "<@U01LILITG>"]);

    // Block Kit: a header, and every time also as a date token in the reader's zone.
    let p = json(&files, "1.14.0", "deadlines");
    assert_eq!(p["channel"], "#kyma-team");
    assert_eq!(p["text"], "*:calendar: 1.14.0 \"Ulm\": release deadlines*");
    assert_eq!(p["blocks"][0]["type"], "header");
    assert_eq!(
        p["blocks"][0]["text"]["text"],
        ":calendar: 1.14.0 \"Ulm\": release deadlines"
    );
    let text = block_text(&p);
    assert!(
        text.contains(
            "• Cherry-pick deadline for RC2: *Mon 30 Nov 2026, 16:00 CET* (15:00 UTC; your time: <!date^1796050800^{date_short_pretty} {time}|Mon 30 Nov 2026, 15:00 UTC>)"
        ),
        "{text}"
    );
    // Four deadlines and three meetings carry tokens; whole days do not.
    assert_eq!(text.matches("<!date^").count(), 7, "{text}");
}

#[test]
fn a_release_in_new_york_shows_its_zone_and_names_people_without_slack_ids() {
    let files = render(&example(), None);
    let d = md(&files, "1.15.0", "deadlines");
    assert!(
        d.contains("• Freeze: release-1.15 is cut: *Mon 11 Jan 2027, 09:00 EST* (14:00 UTC)"),
        "{d}"
    );
    assert!(
        d.contains("• Cherry-pick deadline for RC1: *Tue 12 Jan 2027, 16:00 EST* (21:00 UTC)"),
        "{d}"
    );
    assert!(
        d.contains("• *Thu 14 Jan 2027, 10:00 EST* (15:00 UTC)"),
        "{d}"
    );
    assert!(d.contains("Release Master: Tomasz Smelcerz."), "{d}");
    assert!(mentions(d).is_empty(), "{d}");
    // Without a site URL a path from the site root means nothing in Slack: the site is named.
    assert!(
        d.contains("\nThe MagicBox, the manual-test workbook and the release calendar are on the release site. Subscribe to the calendar to keep these dates in your own.\n"),
        "{d}"
    );
    // No community channel: the release notice goes to the internal one.
    assert_eq!(json(&files, "1.15.0", "release")["channel"], "#kyma-team");
}

#[test]
fn cherry_pick_draft_gives_the_deadline_branch_and_what_qualifies() {
    let files = render(&example(), None);
    let d = md(&files, "1.14.0", "cherry-pick-rc2");
    assert!(
        d.contains(
            "Changes for *RC2* must be merged to `release-1.14` by *Mon 30 Nov 2026, 16:00 CET* (15:00 UTC). RC2 is built on *Tue 1 Dec 2026*."
        ),
        "{d}"
    );
    assert!(d.contains("*What qualifies*\n• fixes for bugs"), "{d}");
    assert!(d.contains("Ask <@U01HBALIK> (Release Master)."), "{d}");
    let rc3 = md(&files, "1.14.0", "cherry-pick-rc3");
    assert!(
        rc3.contains("by *Mon 7 Dec 2026, 12:00 CET* (11:00 UTC)"),
        "{rc3}"
    );
    let p = json(&files, "1.14.0", "cherry-pick-rc3");
    assert!(
        block_text(&p)
            .contains("<!date^1796641200^{date_short_pretty} {time}|Mon 7 Dec 2026, 11:00 UTC>"),
        "{p}"
    );
}

#[test]
fn manual_tests_draft_counts_per_team_and_mentions_the_owning_teams() {
    let files = render(&example(), None);
    let d = md(&files, "1.14.0", "manual-tests-rc2");
    assert!(
        d.contains("*9 of 9 tests* are not run yet, *5 of them blocking*."),
        "{d}"
    );
    // One line per team with its counts: passed / failed / blocked / not run.
    assert!(
        d.contains("*Per team*: passed / failed / blocked / not run\n• <!subteam^S01FRAMEF>: 0 / 0 / 0 / *1*, 1 blocking\n• <!subteam^S01GOATXX>: 0 / 0 / 0 / *2*, 1 blocking\n"),
        "{d}"
    );
    // Skydivers have no Slack group: named, not mentioned.
    assert!(
        d.contains("\n• Skydivers: 0 / 0 / 0 / *2*, 1 blocking\n"),
        "{d}"
    );
    // Only tests that need attention are named: here the five blocking ones, none other.
    assert!(d.contains("\n• :rotating_light: Kafka channel delivers events in order (<!subteam^S01GOATXX>): not run yet, blocking\n"), "{d}");
    assert_eq!(d.matches(":rotating_light:").count(), 5, "{d}");
    assert!(!d.contains("An idle function scales to zero"), "{d}");
    assert!(!d.contains("more in the"), "{d}");
    // Each team with open tests is mentioned (a listed test mentions its team again, and
    // Slack notifies once a message).
    let mut pinged = mentions(d);
    pinged.sort_unstable();
    pinged.dedup();
    assert_eq!(
        pinged,
        [
            "<!subteam^S01FRAMEF>",
            "<!subteam^S01GOATXX>",
            "<!subteam^S01GOPHER>",
            "<!subteam^S01HUSKIES>",
            "<@U01HBALIK>"
        ]
    );
    // The skipped jaeger test is not part of 1.14.0.
    assert!(!d.contains("Jaeger"), "{d}");

    let rc1 = md(&files, "1.14.0", "manual-tests-rc1");
    assert!(
        rc1.contains("All *9* tests have a result: 7 passed, 1 failed, 1 blocked, 0 skipped."),
        "{rc1}"
    );
    assert!(rc1.contains("• :rotating_light: Kafka channel delivers events in order (<!subteam^S01GOATXX>): failed, blocking the release. Events 40-45 arrive out of order after a broker restart"), "{rc1}");
    assert!(rc1.contains("\n• Pair an external application with the Application Connector (<!subteam^S01GOPHER>): blocked. "), "{rc1}");
    // Gophers still have a blocked test: theirs is the one team line.
    assert!(
        rc1.contains("\n• <!subteam^S01GOPHER>: 1 / 0 / 1 / *0*\n\n"),
        "{rc1}"
    );
    // Gophers' pairing test was blocked and Goat's Kafka test failed: both need another run,
    // so neither team is thanked yet.
    assert!(
        rc1.contains("Done, thank you: Framefrog, Huskies, Skydivers."),
        "{rc1}"
    );
    // Nobody is asked to test when everything has a result, but the owners of problems are.
    let mut pinged = mentions(rc1);
    pinged.sort_unstable();
    pinged.dedup();
    assert_eq!(
        pinged,
        [
            "<!subteam^S01GOATXX>",
            "<!subteam^S01GOPHER>",
            "<@U01HBALIK>"
        ]
    );
}

#[test]
fn manual_tests_say_by_when_results_are_due_by_default_or_as_the_plan_says() {
    let by = |text: &str| -> String {
        let line = text
            .lines()
            .find(|l| l.starts_with("Please run your manual tests"))
            .unwrap_or_else(|| panic!("{text}"));
        line.split_once(" by ")
            .map(|(_, due)| due.to_owned())
            .unwrap_or_default()
    };
    let files = render(&example(), None);
    // Before the next candidate: its cherry-pick deadline (RC3's is Mon 7 Dec, 12:00).
    assert_eq!(
        by(md(&files, "1.14.0", "manual-tests-rc2")),
        "*Mon 7 Dec 2026, 12:00 CET* (11:00 UTC)."
    );
    // The last candidate: two days before the release on Thu 10 Dec.
    assert_eq!(
        by(md(&files, "1.14.0", "manual-tests-rc3")),
        "*Tue 8 Dec 2026*."
    );
    // The test environment's call names the due time of its candidate, RC1.
    assert!(
        md(&files, "1.14.0", "test-environment")
            .contains(" by *Mon 30 Nov 2026, 16:00 CET* (15:00 UTC)."),
        "{}",
        md(&files, "1.14.0", "test-environment")
    );

    let project = Project::new();
    let dir = project.plans();
    edit(
        &dir.join("1.14.yaml"),
        "      date: 2026-12-01\n",
        "      date: 2026-12-01\n      results_due: 2026-12-04T18:00\n",
    );
    let files = render(&dir, None);
    assert_eq!(
        by(md(&files, "1.14.0", "manual-tests-rc2")),
        "*Fri 4 Dec 2026, 18:00 CET* (17:00 UTC)."
    );
    // A field the candidate does not know is still refused, naming the new one.
    edit(&dir.join("1.14.yaml"), "results_due:", "results_dew:");
    let (code, stdout, _) = harness::run(&dir, &["check", "."]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error: unknown field `results_dew` in a candidate")
            && stdout.contains("did you mean `results_due`?"),
        "{stdout}"
    );
}

#[test]
fn approvals_list_waiting_pull_requests_and_mention_only_the_teams_still_to_approve() {
    let files = render(&example(), None);
    let d = md(&files, "1.14.0", "approvals");
    assert!(
        d.contains("These 2 pull requests need your approval"),
        "{d}"
    );
    assert!(d.contains("• <https://github.com/kyma-project/kyma/pull/9342|Fix ordering in the Kafka channel dispatcher>: waiting for <!subteam^S01GOATXX>\n"), "{d}");
    assert!(d.contains("• <https://github.com/kyma-project/kyma/pull/9350|Update the upgrade guide for 1.14>: waiting for <!subteam^S01FRAMEF>, Skydivers, <!subteam^S01GOPHER>\n"), "{d}");
    // Fully approved: not listed; Huskies approved #9342 and are not pinged.
    assert!(!d.contains("9311") && !d.contains("S01HUSKIES"), "{d}");
    assert!(
        d.contains(
            "Next deadline: Cherry-pick deadline for RC2, *Mon 30 Nov 2026, 16:00 CET* (15:00 UTC)."
        ),
        "{d}"
    );
}

#[test]
fn failing_tests_are_grouped_by_team_with_their_age() {
    let files = render(&example(), None);
    let d = md(&files, "1.14.0", "failing-tests");
    // By when: the next cherry-pick deadline on 26 Nov is RC2's.
    assert!(
        d.contains("Please fix them before the next cherry-pick deadline, *Mon 30 Nov 2026, 16:00 CET* (15:00 UTC), and keep <@U01HBALIK>"),
        "{d}"
    );
    assert!(d.contains("<!subteam^S01FRAMEF>\n• <https://status.build.kyma-project.io/?job=pre-rel114-kyma-gke-upgrade|pre-rel114-kyma-gke-upgrade>: failing since *Fri 20 Nov 2026* (6 days). Times out waiting for the eventing controller\n"), "{d}");
    assert!(d.contains("<!subteam^S01GOATXX>\n• <https://status.build.kyma-project.io/?job=pre-rel114-kyma-integration|pre-rel114-kyma-integration>: failing since *Mon 23 Nov 2026* (3 days)\n"), "{d}");
    assert_eq!(
        mentions(d),
        [
            "<@U01HBALIK>",
            "<!subteam^S01FRAMEF>",
            "<!subteam^S01GOATXX>"
        ]
    );
}

#[test]
fn test_environment_draft_converts_the_access_markdown() {
    let files = render(&example(), None);
    let d = md(&files, "1.14.0", "test-environment");
    assert!(
        d.contains("The test environment for *RC1* is ready from *Wed 18 Nov 2026*:\n<https://console.rc-114.kyma.example.com|console.rc-114.kyma.example.com>"),
        "{d}"
    );
    assert!(
        d.contains("*How to get access*\n1. Join `#kyma-rc-testing`.\n2. Ask *＠hisarbalik* for a kubeconfig; it is valid for 24 hours."),
        "{d}"
    );
    // The handle from the plan reads as written, but Slack does not ping or link it: herald
    // mentions only the people and teams whose Slack ids it checked.
    assert!(!d.contains("**"), "{d}");
}

#[test]
fn urls_and_labels_are_escaped_so_no_link_breaks() {
    let project = Project::new();
    let dir = project.plans();
    edit(
        &dir.join("1.14.yaml"),
        "  url: https://console.rc-114.kyma.example.com",
        "  url: \"https://env.example/a|b)(<x>?q=1&r=2\"",
    );
    edit(
        &dir.join("1.14.yaml"),
        "title: \"Fix ordering in the Kafka channel dispatcher\"",
        "title: \"Fix <ordering> & dispatch\"",
    );
    let files = render(&dir, None);
    let env = md(&files, "1.14.0", "test-environment");
    // `|` and `>` in the URL are percent-encoded, `&` is `&amp;`; the label is the host.
    assert!(
        env.contains("\n<https://env.example/a%7Cb%29%28%3Cx%3E?q=1&amp;r=2|env.example>\n"),
        "{env}"
    );
    assert_eq!(
        links(env).first().copied(),
        Some((
            "https://env.example/a%7Cb%29%28%3Cx%3E?q=1&amp;r=2",
            "env.example"
        ))
    );
    let approvals = md(&files, "1.14.0", "approvals");
    assert!(
        approvals.contains("|Fix &lt;ordering&gt; &amp; dispatch>: waiting for"),
        "{approvals}"
    );
}

#[test]
fn release_notice_goes_to_the_community_and_mentions_nobody() {
    let files = render(&example(), None);
    let d = md(&files, "1.14.0", "release");
    assert!(d.starts_with("*:tada: 1.14.0 \"Ulm\" is out!*\n"), "{d}");
    assert!(d.contains("released on *Thu 10 Dec 2026*."), "{d}");
    assert!(
        d.contains("<https://kyma-project.io/blog/2026/12/10/release-notes-114|release notes>"),
        "{d}"
    );
    assert!(
        d.contains("Thanks to everyone who built, tested and shipped it: Huskies, Goat, Gophers, Skydivers and Framefrog!"),
        "{d}"
    );
    // Another workspace: user ids and groups of ours mean nothing there.
    assert!(mentions(d).is_empty(), "{d}");
    assert_eq!(json(&files, "1.14.0", "release")["channel"], "#release");
}

/// The draft files (`.md` and `.json`) of every release, without the drafts pages.
fn drafts(files: &BTreeMap<String, String>) -> impl Iterator<Item = (&String, &String)> {
    files.iter().filter(|(p, _)| p.contains("/slack/"))
}

#[test]
fn without_a_site_url_drafts_name_the_release_site_instead_of_giving_paths() {
    let files = render(&example(), None);
    let mut n = 0;
    for (path, text) in drafts(&files) {
        for site_path in ["releases/", ".html", ".xlsx", ".ics"] {
            assert!(
                !text.contains(site_path),
                "{path} has {site_path:?}:\n{text}"
            );
        }
        n += 1;
    }
    assert_eq!(n, 2 * 23);
    let d = md(&files, "1.14.0", "deadlines");
    assert!(
        d.contains("\n\nThe MagicBox, the manual-test workbook and the release calendar are on the release site. Subscribe to the calendar to keep these dates in your own.\n"),
        "{d}"
    );
    for id in ["manual-tests-rc2", "test-environment"] {
        let d = md(&files, "1.14.0", id);
        assert!(
            d.contains("record each result in the manual-test workbook on the release site by *"),
            "{id}:\n{d}"
        );
    }
    // Addresses the plan gives are still links.
    assert!(
        md(&files, "1.14.0", "test-environment")
            .contains("<https://console.rc-114.kyma.example.com|console.rc-114.kyma.example.com>")
    );
}

/// Every `<url|text>` link of a text, as (url, text).
fn links(text: &str) -> Vec<(&str, &str)> {
    tokens(text)
        .into_iter()
        .filter(|t| !t.starts_with("<@") && !t.starts_with("<!"))
        .map(|t| {
            t[1..t.len() - 1]
                .split_once('|')
                .unwrap_or_else(|| panic!("link without text: {t}"))
        })
        .collect()
}

#[test]
fn with_a_site_url_site_links_are_absolute_and_name_the_published_files() {
    // A trailing slash on the site URL changes nothing.
    for site in [SITE, "https://org.github.io/releases/"] {
        let files = render(&example(), Some(site));
        for (path, text) in drafts(&files) {
            for (url, _) in links(text) {
                assert!(url.starts_with("https://"), "{path}: {url}");
                assert!(!url.contains("releases//"), "{path}: {url}");
            }
        }
        for v in ["1.13.0", "1.14.0", "1.15.0"] {
            let site_link = |p: &str| format!("{SITE}/{p}");
            let magicbox = site_link(&paths::html(&paths::magicbox(v)));
            let workbook = site_link(&paths::workbook(v));
            let calendar = site_link(&paths::release_ics(v));
            let d = md(&files, v, "deadlines");
            let site_links: Vec<(&str, &str)> = links(d)
                .into_iter()
                .filter(|(url, _)| url.starts_with(SITE))
                .collect();
            assert_eq!(
                site_links,
                [
                    (magicbox.as_str(), "MagicBox"),
                    (workbook.as_str(), "manual-test workbook"),
                    (calendar.as_str(), "release calendar"),
                ],
                "{d}"
            );
            assert!(!d.contains("on the release site"), "{d}");
            let tests = md(&files, v, "manual-tests-rc1");
            assert_eq!(
                links(tests),
                [(workbook.as_str(), "manual-test workbook")],
                "{tests}"
            );
        }
        let env = md(&files, "1.14.0", "test-environment");
        assert!(
            env.contains(&format!(
                "record each result in the <{SITE}/releases/1.14.0/manual-tests-1.14.0.xlsx|manual-test workbook> by *"
            )),
            "{env}"
        );
    }
}

/// A draft as Slack shows it: links reduced to their text.
fn visible(text: &str) -> String {
    let mut out = text.to_owned();
    for t in tokens(text) {
        if let Some((_, label)) = t[1..t.len() - 1].split_once('|') {
            out = out.replacen(t, label, 1);
        }
    }
    out
}

#[test]
fn every_draft_of_1_14_reads_cleanly_as_slack_mrkdwn() {
    const DAYS: [&str; 7] = ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "];
    let mut dates = 0;
    for site in [None, Some(SITE)] {
        let files = render(&example(), site);
        for (path, text) in
            drafts(&files).filter(|(p, _)| p.starts_with("releases/1.14.0/") && p.ends_with(".md"))
        {
            let shown = visible(text);
            // Markdown that Slack would show as is.
            for marker in [
                "**", "__", "](", "\\", "&amp;", "&lt;", "<p>", "<strong>", "<br",
            ] {
                assert!(!text.contains(marker), "{path} has {marker:?}:\n{text}");
            }
            assert!(!text.lines().any(|l| l.starts_with('#')), "{path}:\n{text}");
            // Short paragraphs: a line of prose (not a list item) stays readable on a phone.
            for line in shown.lines().filter(|l| !l.starts_with("• ")) {
                assert!(line.chars().count() <= 240, "{path}: long line {line:?}");
            }
            // Every date is bold.
            for day in DAYS {
                for (i, _) in shown.match_indices(day) {
                    let next = shown[i + day.len()..].chars().next();
                    if next.is_some_and(|c| c.is_ascii_digit()) {
                        assert!(
                            shown[..i].ends_with('*'),
                            "{path}: date not bold at {:?}",
                            &shown[i..]
                        );
                        dates += 1;
                    }
                }
            }
            // Bold and code markers come in pairs on each line.
            for line in shown.lines() {
                assert_eq!(line.matches('*').count() % 2, 0, "{path}: {line:?}");
                assert_eq!(line.matches('`').count() % 2, 0, "{path}: {line:?}");
            }
        }
    }
    // Every draft shows dates, in each of the two renderings.
    assert!(dates > 2 * 20, "{dates} dates checked");
}

/// Checks a payload against the shape `chat.postMessage` accepts and Block Kit's limits.
fn assert_valid_payload(path: &str, p: &Value) {
    let keys: Vec<&String> = p.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        ["blocks", "channel", "link_names", "parse", "text"],
        "{path}"
    );
    // Slack finds nothing in the text by itself: only herald's own tokens are parsed.
    assert_eq!(p["parse"], "none", "{path}");
    assert_eq!(p["link_names"], false, "{path}");
    assert!(
        p["channel"].as_str().is_some_and(|c| !c.is_empty()),
        "{path}"
    );
    assert!(
        p["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty() && t.chars().count() <= 3000),
        "{path}"
    );
    let blocks = p["blocks"].as_array().expect("blocks");
    assert!(
        !blocks.is_empty() && blocks.len() <= 50,
        "{path}: {} blocks",
        blocks.len()
    );
    for b in blocks {
        match b["type"].as_str() {
            Some("header") => {
                assert_eq!(b["text"]["type"], "plain_text", "{path}");
                assert!(
                    b["text"]["text"].as_str().unwrap().chars().count() <= 150,
                    "{path}"
                );
            }
            Some("section") => {
                assert_eq!(b["text"]["type"], "mrkdwn", "{path}");
                assert_eq!(b["text"]["verbatim"], true, "{path}");
                let t = b["text"]["text"].as_str().unwrap();
                assert!(
                    !t.is_empty() && t.chars().count() <= 3000,
                    "{path}: {} chars",
                    t.chars().count()
                );
            }
            Some("divider") => {}
            other => panic!("{path}: unexpected block type {other:?}"),
        }
    }
}

#[test]
fn every_payload_parses_and_respects_block_kit_limits() {
    let files = render(&example(), None);
    let mut n = 0;
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".json")) {
        let p: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_valid_payload(path, &p);
        n += 1;
    }
    // 11 drafts of 1.14.0, 7 of 1.13.0 (released: no approvals, no failing tests), 5 of 1.15.0.
    assert_eq!(n, 23);
}

#[test]
fn long_lists_are_split_or_truncated_within_the_limits() {
    let project = Project::new();
    let dir = project.plans();
    let mut teams = std::fs::read_to_string(dir.join("teams.yaml")).unwrap();
    let mut tests = std::fs::read_to_string(dir.join("manual-tests.yaml")).unwrap();
    for i in 0..70 {
        teams.push_str(&format!(
            "  - {{ id: team-{i:02}, name: Team {i:02}, slack_group: S01T{i:02} }}\n"
        ));
        tests.push_str(&format!(
            "  - {{ id: t-{i:02}, title: Test of team {i:02}, team: team-{i:02}, steps: Do it., expected: It works., blocking: true }}\n"
        ));
    }
    for i in 0..300 {
        tests.push_str(&format!(
            "  - {{ id: husky-{i:03}, title: A rather long title for husky test number {i:03} that fills the line, team: huskies, steps: Do it., expected: It works. }}\n"
        ));
    }
    std::fs::write(dir.join("teams.yaml"), teams).unwrap();
    std::fs::write(dir.join("manual-tests.yaml"), tests).unwrap();
    let prs: String = (0..200)
        .map(|i| format!("  - {{ url: \"https://github.com/kyma-project/kyma/pull/{}\", title: \"Pull request number {i} with a title of some length\", teams: [goat] }}\n", 10000 + i))
        .collect();
    edit(
        &dir.join("1.14.yaml"),
        "pull_requests:\n",
        &format!("pull_requests:\n{prs}"),
    );

    let files = render(&dir, Some(SITE));
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".json")) {
        assert_valid_payload(path, &serde_json::from_str(text).unwrap());
    }
    // 202 pull requests: as many as the budget holds, the rest counted, none lost.
    let approvals = md(&files, "1.14.0", "approvals");
    let listed = approvals.matches("\n• <https://github.com").count();
    let more = number_after(
        approvals,
        "…and ",
        " more on the <https://org.github.io/releases/releases/1.14.0/magicbox.html|MagicBox>.",
    );
    assert!(listed > 10, "{approvals}");
    assert_eq!(listed + more, 202, "{approvals}");
    assert_within_budget("1.14.0/approvals", &files);

    // 75 teams with tests: a line for as many teams as fit, the rest counted.
    let tests_md = md(&files, "1.14.0", "manual-tests-rc2");
    assert!(
        tests_md.contains("*379 of 379 tests* are not run yet, *75 of them blocking*."),
        "{tests_md}"
    );
    let team_lines = tests_md
        .lines()
        .filter(|l| l.starts_with("• ") && l.contains(" / *"))
        .count();
    let more_teams = number_after(
        tests_md,
        "…and ",
        " more teams in the <https://org.github.io/releases/releases/1.14.0/manual-tests-1.14.0.xlsx|manual-test workbook>",
    );
    assert_eq!(team_lines + more_teams, 75, "{tests_md}");
    // The 75 blocking tests: named up to the cap, the rest counted.
    let named = tests_md.matches(": not run yet, blocking\n").count();
    let more_tests = number_after(
        tests_md,
        "…and ",
        " more in the <https://org.github.io/releases/releases/1.14.0/manual-tests-1.14.0.xlsx|manual-test workbook>",
    );
    assert!(named >= 5, "{tests_md}");
    assert_eq!(named + more_tests, 75, "{tests_md}");
    // The husky tests are not blocking and not run: counted, never named.
    assert!(!tests_md.contains("husky test number"), "{tests_md}");
    assert_within_budget("1.14.0/manual-tests-rc2", &files);
}

/// The number between `before` and `after` in `text`, the one `after` follows.
fn number_after(text: &str, before: &str, after: &str) -> usize {
    let end = text
        .find(after)
        .unwrap_or_else(|| panic!("no `{after}` in\n{text}"));
    let start = text[..end]
        .rfind(before)
        .unwrap_or_else(|| panic!("no `{before}` before `{after}` in\n{text}"));
    text[start + before.len()..end]
        .parse()
        .unwrap_or_else(|e| panic!("`{}`: {e}", &text[start..end]))
}

/// A draft (`VERSION/ID`) is under both of Slack's message budgets: fewer than 4,000
/// characters of mrkdwn, fewer than 11,000 characters of block text.
fn assert_within_budget(draft: &str, files: &BTreeMap<String, String>) {
    let (version, id) = draft.split_once('/').expect("VERSION/ID");
    let pasted = md(files, version, id).chars().count();
    assert!(pasted < 4000, "{draft}: {pasted} characters of mrkdwn");
    let blocks: usize = json(files, version, id)["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter_map(|b| b["text"]["text"].as_str())
        .map(|t| t.chars().count())
        .sum();
    assert!(blocks < 11000, "{draft}: {blocks} characters of block text");
}

#[test]
fn every_draft_of_a_large_organisation_is_within_both_budgets() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("releases");
    let today = TODAY;
    let (code, _, stderr) = harness::run(
        tmp.path(),
        &[
            "synth",
            "releases",
            "--releases",
            "2",
            "--teams",
            "50",
            "--tests",
            "1000",
            "--candidates",
            "4",
            "--today",
            &today.to_string(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    for site_url in [None, Some(SITE)] {
        let files = render_on(&dir, site_url, today);
        let mut drafts = 0;
        for path in files
            .keys()
            .filter(|p| p.ends_with(".md") && p.contains("/slack/"))
        {
            let (release_dir, name) = path.rsplit_once("/slack/").unwrap();
            let version = release_dir.rsplit('/').next().unwrap();
            let id = name.strip_suffix(".md").unwrap();
            assert_within_budget(&format!("{version}/{id}"), &files);
            assert_valid_payload(path, &json(&files, version, id));
            drafts += 1;
        }
        assert!(drafts >= 2 * 10, "{drafts} drafts");
        // Failed and blocked tests are named first, up to the cap; the rest is counted, with
        // a way to the workbook.
        let (mut capped, mut with_problems) = (0, 0);
        let manual = files
            .iter()
            .filter(|(p, _)| p.contains("/slack/manual-tests-") && p.ends_with(".md"));
        for (path, text) in manual {
            let named: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with("• ") && l.contains("): "))
                .map(|l| l.rsplit_once("): ").unwrap().1)
                .collect();
            let problems = named
                .iter()
                .take_while(|s| s.starts_with("failed") || s.starts_with("blocked"))
                .count();
            // Nothing not run comes before a failure or a block.
            assert!(
                named[problems..]
                    .iter()
                    .all(|s| s.starts_with("not run yet")),
                "{path}:\n{text}"
            );
            with_problems += usize::from(problems > 0);
            // Fifty teams: each still has its line (or is thanked), none is only counted.
            assert!(!text.contains(" more teams"), "{path}:\n{text}");
            let Some(more) = text
                .lines()
                .find(|l| l.starts_with("…and ") && !l.contains(" more teams "))
            else {
                continue;
            };
            capped += 1;
            assert!(named.len() >= 5, "{path}:\n{text}");
            let n: &str = more["…and ".len()..].split(' ').next().unwrap();
            assert!(n.parse::<u32>().is_ok_and(|n| n > 0), "{path}:\n{text}");
            let workbook = match site_url {
                Some(_) => " more in the <https://org.github.io/releases/releases/",
                None => " more in the manual-test workbook on the release site",
            };
            assert!(more.contains(workbook), "{path}:\n{text}");
        }
        assert!(
            with_problems > 0,
            "no manual-tests draft names a failed or blocked test"
        );
        assert!(capped > 0, "no manual-tests draft reached its cap");
    }
}

const HOSTILE: &str = "<!channel> <@U123> <https://evil|click> & {{#include ../../Cargo.toml}}";

#[test]
fn hostile_plan_text_arrives_escaped_and_pings_nobody() {
    let project = Project::new();
    let dir = project.plans();
    let quoted = format!("\"{HOSTILE}\"");
    let release = dir.join("1.14.yaml");
    edit(&release, "codename: Ulm", &format!("codename: {quoted}"));
    edit(&release, "name: Hisar Balik", &format!("name: {quoted}"));
    edit(
        &release,
        "title: Release notes due",
        &format!("title: {quoted}"),
    );
    edit(
        &release,
        "\"Framefrog runs the upgrade from 1.13 on the RC2 cluster.\"",
        &quoted,
    );
    edit(
        &release,
        "title: \"Fix ordering in the Kafka channel dispatcher\"",
        &format!("title: {quoted}"),
    );
    edit(
        &release,
        "note: \"Times out waiting for the eventing controller\"",
        &format!("note: {quoted}"),
    );
    edit(
        &release,
        "note: \"Events 40-45 arrive out of order after a broker restart\"",
        &format!("note: {quoted}"),
    );
    edit(
        &release,
        "2. Ask **@hisarbalik** for a kubeconfig",
        &format!("2. Ask {HOSTILE} **bold**"),
    );
    edit(
        &dir.join("teams.yaml"),
        "name: Skydivers",
        &format!("name: {quoted}"),
    );
    edit(
        &dir.join("manual-tests.yaml"),
        "title: Kafka channel delivers events in order",
        &format!("title: {quoted}"),
    );

    let files = render(&dir, None);
    let drafts: Vec<(&String, String)> = files
        .iter()
        .filter(|(p, _)| p.contains("/slack/"))
        .map(|(p, t)| {
            let text = if p.ends_with(".json") {
                let v: Value = serde_json::from_str(t).unwrap();
                format!("{}\n\n{}", v["text"].as_str().unwrap(), block_text(&v))
            } else {
                t.clone()
            };
            (p, text)
        })
        .collect();
    let mut escaped_seen = 0;
    for (path, text) in &drafts {
        for token in tokens(text) {
            let allowed = ["<@U01HBALIK>", "<@U01LILITG>", "<@U01KZYDEK>"].contains(&token)
                || token.starts_with("<!subteam^S01")
                || token.starts_with("<!date^")
                || token.starts_with("<https://")
                    && !token.split('|').next().unwrap().contains("evil");
            assert!(!token[1..].contains('<'), "{path}: nested token {token}");
            assert!(allowed, "{path}: token {token} in\n{text}");
        }
        if text.contains("&lt;!channel&gt; &lt;＠U123&gt; &lt;https://evil|click&gt; &amp;") {
            escaped_seen += 1;
        }
    }
    // The hostile text shows up, escaped, in drafts that quote the plan.
    for id in [
        "deadlines",
        "approvals",
        "failing-tests",
        "manual-tests-rc1",
        "manual-tests-rc2",
        "test-environment",
        "release",
    ] {
        let d = md(&files, "1.14.0", id);
        assert!(
            d.contains("&lt;!channel&gt; &lt;＠U123&gt; &lt;https://evil|click&gt; &amp;"),
            "{id}:\n{d}"
        );
    }
    assert!(escaped_seen >= 14, "{escaped_seen}");
    // Markdown from the plan is still converted around it.
    assert!(
        md(&files, "1.14.0", "test-environment")
            .contains("&amp; {{#include ../../Cargo.toml}} *bold*")
    );
    // The header of a payload is plain text, where nothing is a mention either.
    let p = json(&files, "1.14.0", "release");
    assert_eq!(
        p["blocks"][0]["type"], "section",
        "a header would unescape the title"
    );

    // The drafts page keeps the text literal for mdBook: braces as entities, which the
    // browser shows (and copies) as braces, with nothing invisible added. The `&amp;` is the
    // draft's own Slack escape, shown as written.
    let page = file(&files, &paths::drafts_page("1.14.0"));
    assert!(!page.contains("{{#include"), "{page}");
    assert!(!page.contains('\u{200B}'), "{page}");
    assert!(
        page.contains("&amp;amp; &#123;&#123;#include ../../Cargo.toml&#125;&#125; *bold*"),
        "{page}"
    );
}

#[test]
fn drafts_page_lists_every_draft_with_channel_due_date_and_state() {
    let files = render(&example(), None);
    let page = file(&files, &paths::drafts_page("1.14.0"));
    assert!(page.starts_with("# Slack drafts for 1.14.0\n"), "{page}");
    for row in [
        "| [deadlines](#deadlines) | \\#kyma-team | Tue 10 Nov 2026 | sent |",
        "| [cherry-pick-rc2](#cherry-pick-rc2) | \\#kyma-team | Thu 26 Nov 2026 | to post |",
        "| [manual-tests-rc2](#manual-tests-rc2) | \\#kyma-team | Tue 1 Dec 2026 | to post |",
        "| [approvals](#approvals) | \\#kyma-team | Thu 26 Nov 2026 | to post |",
        "| [release](#release) | \\#release | Thu 10 Dec 2026 | to post |",
    ] {
        assert!(page.lines().any(|l| l == row), "missing {row:?} in\n{page}");
    }
    assert_eq!(page.matches("\n## ").count(), 11);
    // Each draft's text, as pasted, in a preformatted block that no text can close.
    let draft = md(&files, "1.14.0", "cherry-pick-rc2");
    let html = draft
        .trim_end()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(
        page.contains(&format!(
            "<pre><code class=\"language-text\">{html}</code></pre>\n"
        )),
        "{page}"
    );
    assert!(
        page.contains("[cherry-pick-rc2.json](slack/cherry-pick-rc2.json)"),
        "{page}"
    );
    // The poster's instruction is on the page, under its draft, and in no draft's text.
    let deadlines = &page[page.find("\n## deadlines\n").expect("deadlines section")..];
    let deadlines = &deadlines[..deadlines.find("<pre>").unwrap()];
    assert!(
        deadlines.contains(
            "\nOnce posted, pin it in the channel, so that the dates stay easy to find.\n"
        ),
        "{deadlines}"
    );
    assert_eq!(page.matches("Once posted, pin it").count(), 1, "{page}");
}

#[test]
fn a_draft_whose_moment_passed_is_listed_as_missed() {
    let files = render_on(&example(), None, jiff::civil::date(2026, 12, 4));
    let page = file(&files, &paths::drafts_page("1.14.0"));
    assert!(
        page.lines().any(|l| l
            == "| [cherry-pick-rc2](#cherry-pick-rc2) | \\#kyma-team | Thu 26 Nov 2026 | missed |"),
        "{page}"
    );
    assert!(
        page.contains("To **\\#kyma-team**, due **Thu 26 Nov 2026**, missed: its moment passed on Mon 30 Nov 2026."),
        "{page}"
    );
    // Still due, three days late: RC3 has not come yet.
    assert!(
        page.lines().any(|l| l
            == "| [manual-tests-rc2](#manual-tests-rc2) | \\#kyma-team | Tue 1 Dec 2026 | to post |"),
        "{page}"
    );
    // A missed draft can still be printed.
    assert!(md(&files, "1.14.0", "cherry-pick-rc2").contains("cherry-pick deadline for RC2"));
}

#[test]
fn a_dated_sent_entry_silences_a_daily_draft_for_that_day_only() {
    let project = Project::new();
    let plan = project.plans().join("1.14.yaml");
    let plans = project.plans();
    let dir = plans.to_str().unwrap();
    let due_on = |day: &str| {
        let (code, out, err) = herald(&["due", dir, "--today", day, "--days", "0"]);
        assert_eq!((code, err.as_str()), (0, ""), "{out}");
        out
    };
    assert!(due_on("2026-11-26").contains(" approvals "));

    edit(
        &plan,
        "manual-tests-rc1]",
        "manual-tests-rc1, approvals@2026-11-26]",
    );
    assert!(!due_on("2026-11-26").contains(" approvals "));
    // The next day something may wait again: due again.
    assert!(due_on("2026-11-27").contains(" approvals "));

    edit(&plan, "approvals@2026-11-26]", "approvals]");
    assert!(!due_on("2026-11-27").contains(" approvals "));
    assert!(due_on("2026-11-27").contains(" failing-tests "));
}

#[test]
fn a_user_template_replaces_one_draft_and_keeps_the_mentions_escaped_data() {
    let project = Project::new();
    let dir = project.plans();
    let user = project.root().join("templates/slack");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(
        user.join("release.md"),
        "*{{ release.version }} shipped*\n\nBy {{ people.release_master.mention }} on {{ release.date.text }}.\n",
    )
    .unwrap();
    let files = render(&dir, None);
    assert_eq!(
        md(&files, "1.14.0", "release"),
        "*1.14.0 shipped*\n\nBy <@U01HBALIK> on *Thu 10 Dec 2026*.\n"
    );
    assert!(md(&files, "1.14.0", "deadlines").contains("release deadlines"));
}

#[test]
fn a_user_template_over_the_budget_fails_the_build_naming_draft_and_template() {
    let project = Project::new();
    let user = project.root().join("templates/slack");
    std::fs::create_dir_all(&user).unwrap();
    // 45 lines of 99 characters: within every block's limit, over the message's.
    std::fs::write(
        user.join("release.md"),
        "*{{ release.version }} shipped*\n\n{% for i in range(end=45) %}Thanks to everyone, and the Huskies, and the Goats, and the Gophers, and the Frogs, for the release. \n{% endfor %}",
    )
    .unwrap();
    let out = project.herald(&["build", "releases", "--out", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // The first release built names its draft; the count is the draft's own length.
    let line = stderr.lines().next().unwrap_or_default();
    let rest = line
        .strip_prefix("herald: draft `")
        .and_then(|r| r.split_once("/release` is "))
        .map(|(_, r)| r)
        .unwrap_or_else(|| panic!("{stderr}"));
    let (count, reason) = rest.split_once(' ').unwrap();
    assert!(count.parse::<usize>().is_ok_and(|n| n >= 4000), "{stderr}");
    assert!(
        reason.starts_with(
            "characters of mrkdwn; Slack messages must stay under 4000; shorten template `templates/slack/release.md`"
        ),
        "{stderr}"
    );
    // Nothing is cut: no draft of the failed build was written.
    assert!(
        !project
            .root()
            .join("out/wiki/releases/1.14.0/slack/release.md")
            .exists()
    );
}

/// `herald args` beside the example plans, as a user runs it in the plans' repository.
fn herald(args: &[&str]) -> (i32, String, String) {
    harness::run(example().parent().unwrap(), args)
}

#[test]
fn due_lists_the_morning_agenda_soonest_first() {
    let (code, out, err) = herald(&["due", "--today", "2026-11-26"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "5 drafts due from Thu 26 Nov 2026 to Thu 3 Dec 2026:

due                         release  draft             channel     once posted
Thu 26 Nov 2026  today      1.14.0   approvals         #kyma-team  herald sent 1.14.0 approvals --on 2026-11-26
Thu 26 Nov 2026  today      1.14.0   cherry-pick-rc2   #kyma-team  herald sent 1.14.0 cherry-pick-rc2
Thu 26 Nov 2026  today      1.14.0   failing-tests     #kyma-team  herald sent 1.14.0 failing-tests --on 2026-11-26
Tue 1 Dec 2026   in 5 days  1.14.0   manual-tests-rc2  #kyma-team  herald sent 1.14.0 manual-tests-rc2
Thu 3 Dec 2026   in 7 days  1.14.0   cherry-pick-rc3   #kyma-team  herald sent 1.14.0 cherry-pick-rc3

Print one with `herald draft 1.14.0 approvals`; once posted, run the command beside it (it adds the draft to `sent:` in the release file).
`approvals` and `failing-tests` are due daily while something waits: `approvals@2026-11-26` in `sent:` (what `--on` writes) silences one day.
"
    );

    // Overdue drafts stay on the agenda until sent or until their moment passes: the RC2
    // cherry-pick deadline (30 Nov) is over, so its reminder is missed, not overdue. RC2's
    // manual tests stay due until RC3 comes.
    let (code, out, _) = herald(&["due", "releases", "--today", "2026-12-04", "--days", "1"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "4 drafts due from Fri 4 Dec 2026 to Sat 5 Dec 2026 (2 overdue):

due                             release  draft             channel     once posted
Tue 1 Dec 2026  overdue 3 days  1.14.0   manual-tests-rc2  #kyma-team  herald sent 1.14.0 manual-tests-rc2
Thu 3 Dec 2026  overdue 1 day   1.14.0   cherry-pick-rc3   #kyma-team  herald sent 1.14.0 cherry-pick-rc3
Fri 4 Dec 2026  today           1.14.0   approvals         #kyma-team  herald sent 1.14.0 approvals --on 2026-12-04
Fri 4 Dec 2026  today           1.14.0   failing-tests     #kyma-team  herald sent 1.14.0 failing-tests --on 2026-12-04

Print one with `herald draft 1.14.0 manual-tests-rc2`; once posted, run the command beside it (it adds the draft to `sent:` in the release file).
`approvals` and `failing-tests` are due daily while something waits: `approvals@2026-12-04` in `sent:` (what `--on` writes) silences one day.
"
    );

    // What the poster should do besides posting comes after the table, not in the message.
    let (code, out, _) = herald(&["due", "releases", "--today", "2027-01-06", "--days", "0"]);
    assert_eq!(code, 0, "{out}");
    let table_end = out
        .find("\n\n1.15.0 deadlines")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(out[..table_end].contains("  1.15.0   deadlines  "), "{out}");
    assert!(
        out.contains("\n\n1.15.0 deadlines in #kyma-team: once posted, pin it in the channel, so that the dates stay easy to find.\n\nPrint one with"),
        "{out}"
    );

    // Months later nothing is due: every unsent draft of 1.14.0 and 1.15.0 was missed.
    let (code, out, _) = herald(&["due", "releases", "--today", "2027-03-01", "--days", "3"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "Nothing due from Mon 1 Mar 2027 to Thu 4 Mar 2027.\n")
    );

    // Only 1.13.0, whose drafts were all sent.
    let project = Project::new();
    std::fs::remove_file(project.plans().join("1.14.yaml")).unwrap();
    std::fs::remove_file(project.plans().join("1.15.yaml")).unwrap();
    let plans = project.plans();
    let dir = plans.to_str().unwrap();
    let (code, out, _) = herald(&["due", dir, "--today", "2026-10-09", "--days", "0"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "Nothing due from Fri 9 Oct 2026 to Fri 9 Oct 2026.\n")
    );
}

#[test]
fn the_agenda_orders_releases_by_version_value_in_due_and_on_the_overview() {
    let project = Project::new();
    let plan = std::fs::read_to_string(project.plans().join("1.14.yaml")).unwrap();
    for (file, version) in [("1.9.yaml", "1.9.0"), ("1.10.yaml", "1.10.0")] {
        std::fs::write(
            project.plans().join(file),
            plan.replace("version: 1.14.0", &format!("version: {version}")),
        )
        .unwrap();
    }
    for file in ["1.13.yaml", "1.14.yaml", "1.15.yaml"] {
        std::fs::remove_file(project.plans().join(file)).unwrap();
    }
    let plans = project.plans();
    let dir = plans.to_str().unwrap();
    let (code, out, err) = herald(&["due", dir, "--today", "2026-11-26", "--days", "0"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let releases: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("Thu 26 Nov"))
        .map(|l| l.split_whitespace().nth(5).unwrap())
        .collect();
    // 1.9.0 before 1.10.0 (by value, not as text), then by draft id.
    assert_eq!(
        releases,
        ["1.9.0", "1.9.0", "1.9.0", "1.10.0", "1.10.0", "1.10.0"],
        "{out}"
    );

    // The overview's "Drafts due this week" reads the same agenda.
    harness::with_context(&project.plans(), TODAY, None, |ctx| {
        let files = herald::render::wiki::render_shared(ctx).unwrap();
        let overview = String::from_utf8(files.get(paths::OVERVIEW).unwrap().to_vec()).unwrap();
        let rows: Vec<&str> = overview
            .lines()
            .filter(|l| l.contains("/slack.md#"))
            .map(|l| l.split(" | ").next().unwrap().trim_start_matches("| "))
            .collect();
        let agenda = ctx
            .timeline
            .agenda(TODAY.checked_add(jiff::Span::new().days(7)).unwrap());
        let expected: Vec<&str> = agenda.iter().map(|a| a.release.version.as_str()).collect();
        assert_eq!(rows, expected, "{overview}");
        assert_eq!(&rows[..2], ["1.9.0", "1.9.0"], "{overview}");
    });
}

#[test]
fn draft_prints_one_draft_or_names_the_valid_ones() {
    let (code, out, err) = herald(&["draft", "1.14", "cherry-pick-rc2", "--today", "2026-11-26"]);
    assert_eq!(code, 0);
    let files = render(&example(), None);
    assert_eq!(out, md(&files, "1.14.0", "cherry-pick-rc2"));
    // It links nothing on the site, so no site URL is missed.
    assert_eq!(err, "");

    // A draft that would link the site says how to get the links, on stderr only.
    let (code, out, err) = herald(&["draft", "1.14.0", "deadlines", "--today", "2026-11-26"]);
    assert_eq!(code, 0);
    assert_eq!(out, md(&files, "1.14.0", "deadlines"));
    assert_eq!(
        err,
        "herald: note: this draft names the release site instead of linking it; --site-url (or HERALD_SITE_URL) makes its links absolute\n"
    );
    let (code, out, err) = herald(&[
        "draft",
        "1.14.0",
        "deadlines",
        "--today",
        "2026-11-26",
        "--site-url",
        SITE,
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        md(&render(&example(), Some(SITE)), "1.14.0", "deadlines")
    );

    let (code, out, _) = herald(&[
        "draft",
        "1.14.0",
        "approvals",
        "--json",
        "--today",
        "2026-11-26",
        "--site-url",
        SITE,
    ]);
    assert_eq!(code, 0);
    let p: Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_valid_payload("stdout", &p);
    assert!(block_text(&p).contains("<!date^1796050800^"), "{out}");

    let (code, out, err) = herald(&["draft", "1.14.0", "cherry-pick", "--today", "2026-11-26"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "herald: release 1.14.0 has no draft `cherry-pick`; its drafts are: deadlines, cherry-pick-rc1, manual-tests-rc1, test-environment, approvals, cherry-pick-rc2, failing-tests, manual-tests-rc2, cherry-pick-rc3, manual-tests-rc3, release\n"
    );
    let (code, _, err) = herald(&["draft", "2.0", "release", "--today", "2026-11-26"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "herald: no release `2.0` in releases; the releases are: 1.13.0, 1.14.0, 1.15.0\n"
    );
}

/// Every ping form Slack knows: special mentions in token and plain form, in any case, user,
/// group, channel and date tokens, a look-alike, a pre-escaped token and a link token.
const PINGS: &str = "<!channel> <!here> <!everyone> <!here|here> <!CHANNEL> <!Here> <!group> \
<!subteam^S123> <!subteam^S123|@team> <@U123> <@W123> <@U123|bob> <#C123> <#C123|general> \
<!date^1392734382^{date}|Feb 18> @channel @here @everyone @Channel @HERE @EveryOne @group \
@some-team (@here) *@here* _@channel_ ＠here &lt;!here&gt; <https://evil.example|click>";

/// The same forms inside Markdown: link labels and targets, emphasis, code, autolinks.
const MARKDOWN_PINGS: &str = "[<!here> @here](https://x.example/@here?a=!channel|x) **@channel** \
_@everyone_ `@here <!here>` <https://x.example/@everyone> <mailto:@here> [x](<https://x.example/a|<!here>>)";

/// Where a draft's text holds a ping Slack would act on: every `<…>` token that herald did not
/// make, every link whose target could end early, and every `@` that starts a handle.
fn live_pings(text: &str) -> Vec<String> {
    const OWN: [&str; 7] = [
        "<@U01HBALIK>",
        "<@U01LILITG>",
        "<@U01KZYDEK>",
        "<!subteam^S01HUSKIES>",
        "<!subteam^S01GOATXX>",
        "<!subteam^S01GOPHER>",
        "<!subteam^S01FRAMEF>",
    ];
    let mut out = Vec::new();
    let mut rest = text.to_owned();
    for token in tokens(text) {
        let own_date = token
            .strip_prefix("<!date^")
            .and_then(|t| t.split_once("^{date_short_pretty} {time}|"))
            .is_some_and(|(ts, fallback)| {
                ts.bytes().all(|b| b.is_ascii_digit()) && !fallback.contains(['<', '@'])
            });
        let link = token
            .strip_prefix('<')
            .and_then(|t| t.split_once('|'))
            .filter(|(url, _)| url.starts_with("https://") || url.starts_with("mailto:"));
        let safe_link = link.is_some_and(|(url, label)| {
            !url.contains(|c: char| c.is_whitespace() || "<>\"".contains(c))
                && !url.contains("/@")
                && !label.contains('<')
        });
        if !(OWN.contains(&token) || own_date || safe_link) {
            out.push(format!("token {token}"));
        }
        rest = rest.replacen(token, " ", 1);
    }
    let chars: Vec<char> = rest.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let after = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let before = i > 0 && chars[i - 1].is_alphanumeric();
        if *c == '@' && after && !before {
            let end = (i + 12).min(chars.len());
            out.push(format!(
                "handle {}",
                chars[i..end].iter().collect::<String>()
            ));
        }
    }
    out
}

/// Every string of a JSON value.
fn json_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// `url: "https://x.example/>x<!channel><@U0VICTIM1>"` passed `check` and came out as live
/// `<!channel>` and `<@U0VICTIM1>` tokens in the test-environment draft; plain `@here` in plan
/// text stayed as it was. Every ping form, in every plan field a draft shows, comes out inert
/// in the `.md` and the `.json` of every draft, beside herald's own mentions.
#[test]
fn every_ping_form_slack_knows_is_inert_in_every_draft() {
    let project = Project::new();
    let dir = project.plans();
    let text = format!("\"{PINGS}\"");
    let markdown = format!("\"{MARKDOWN_PINGS} {PINGS}\"");
    let release = dir.join("1.14.yaml");
    edit(&release, "codename: Ulm", &format!("codename: {text}"));
    edit(
        &release,
        "release_manager: { name: Jose Cortina",
        &format!("release_manager: {{ name: {text}"),
    );
    edit(&release, "name: Hisar Balik", &format!("name: {text}"));
    edit(
        &release,
        "title: Release notes due",
        &format!("title: {text}"),
    );
    edit(
        &release,
        "\"Framefrog runs the upgrade from 1.13 on the RC2 cluster.\"",
        &markdown,
    );
    edit(
        &release,
        "url: https://console.rc-114.kyma.example.com",
        "url: \"https://x.example/>x<!channel><@U0VICTIM1>|@here\"",
    );
    edit(
        &release,
        "2. Ask **@hisarbalik** for a kubeconfig; it is valid for 24 hours.",
        &format!(
            "2. {MARKDOWN_PINGS} {PINGS}\n    3. Code:\n\n       ```\n       @here <!channel>\n       ```"
        ),
    );
    edit(
        &release,
        "title: \"Fix ordering in the Kafka channel dispatcher\"",
        &format!("title: {text}"),
    );
    edit(
        &release,
        "\"https://github.com/kyma-project/kyma/pull/9342\"",
        "\"https://github.com/kyma-project/kyma/pull/9342?x=<!here>|@channel\"",
    );
    edit(
        &release,
        "name: pre-rel114-kyma-gke-upgrade",
        &format!("name: {text}"),
    );
    edit(
        &release,
        "\"https://status.build.kyma-project.io/?job=pre-rel114-kyma-gke-upgrade\"",
        "\"https://status.example/@here?<!everyone>\"",
    );
    edit(
        &release,
        "note: \"Times out waiting for the eventing controller\"",
        &format!("note: {markdown}"),
    );
    edit(
        &release,
        "note: \"Events 40-45 arrive out of order after a broker restart\"",
        &format!("note: {markdown}"),
    );
    edit(
        &release,
        "release_notes: https://kyma-project.io/blog/2026/12/10/release-notes-114",
        "release_notes: \"https://x.example/@here/<!channel>\"",
    );
    edit(
        &dir.join("teams.yaml"),
        "name: Skydivers",
        &format!("name: {text}"),
    );
    edit(
        &dir.join("manual-tests.yaml"),
        "title: Kafka channel delivers events in order",
        &format!("title: {text}"),
    );

    let files = render(&dir, Some(SITE));
    let mut drafts = 0;
    for (path, text) in files.iter().filter(|(p, _)| p.contains("/slack/")) {
        let texts = if path.ends_with(".json") {
            let mut strings = Vec::new();
            json_strings(&serde_json::from_str(text).unwrap(), &mut strings);
            strings
        } else {
            vec![text.clone()]
        };
        for t in texts {
            assert_eq!(live_pings(&t), Vec::<String>::new(), "{path}:\n{t}");
        }
        drafts += 1;
    }
    assert_eq!(drafts, 46);

    // The corpus reached the drafts, shown as written but inert.
    let shown = "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!here|here&gt; \
                 &lt;!CHANNEL&gt; &lt;!Here&gt; &lt;!group&gt; &lt;!subteam^S123&gt; \
                 &lt;!subteam^S123|＠team&gt; &lt;＠U123&gt; &lt;＠W123&gt; &lt;＠U123|bob&gt; \
                 &lt;#C123&gt; &lt;#C123|general&gt; &lt;!date^1392734382^{date}|Feb 18&gt; \
                 ＠channel ＠here ＠everyone ＠Channel ＠HERE ＠EveryOne ＠group ＠some-team \
                 (＠here) *＠here* _＠channel_ ＠here &amp;lt;!here&amp;gt; \
                 &lt;https://evil.example|click&gt;";
    for id in [
        "deadlines",
        "approvals",
        "failing-tests",
        "manual-tests-rc1",
        "manual-tests-rc2",
        "test-environment",
        "release",
    ] {
        let d = md(&files, "1.14.0", id);
        assert!(d.contains(shown), "{id}:\n{d}");
        let payload = json(&files, "1.14.0", id);
        assert!(block_text(&payload).contains(shown), "{id}.json");
    }
    let env = md(&files, "1.14.0", "test-environment");
    assert!(
        env.contains(
            "<https://x.example/%3Ex%3C!channel%3E%3C%40U0VICTIM1%3E%7C%40here|x.example>"
        ),
        "{env}"
    );
    assert!(
        env.contains("<https://x.example/%40here?a=!channel%7Cx|&lt;!here&gt; ＠here> *＠channel*"),
        "{env}"
    );
    assert!(env.contains("```\n＠here &lt;!channel&gt;\n```"), "{env}");
    let approvals = md(&files, "1.14.0", "approvals");
    assert!(
        approvals.contains("• <https://github.com/kyma-project/kyma/pull/9342?x=%3C!here%3E%7C%40channel|&lt;!channel&gt;"),
        "{approvals}"
    );
    let failing = md(&files, "1.14.0", "failing-tests");
    assert!(
        failing.contains("<https://status.example/%40here?%3C!everyone%3E|"),
        "{failing}"
    );
    let notice = md(&files, "1.14.0", "release");
    assert!(
        notice.contains("<https://x.example/%40here/%3C!channel%3E|release notes>"),
        "{notice}"
    );
}
