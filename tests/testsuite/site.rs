//! `herald build`: the MagicBox, overview and calendar pages, the timeline picture and the
//! mdBook site, read back and checked for content, escaping, atomicity and determinism.

use std::path::Path;

use herald::build::{BuildError, BuildOptions, BuildReport, build};

use crate::harness::{self, Project, TODAY, example, read, snapshot};

fn options(dir: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        dir: dir.to_path_buf(),
        out: out.to_path_buf(),
        today: TODAY,
        site_url: None,
        site: true,
        keep_foreign: false,
        allowed_commands: Vec::new(),
    }
}

fn build_examples(out: &Path) -> BuildReport {
    build(&options(&example(), out)).expect("the example plans build")
}

/// Position of `needle` in `text`, failing with the text when it is missing.
fn find(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found in:\n{text}"))
}

#[test]
fn magicbox_of_a_release_in_progress_lists_everything_in_order() {
    let out = tempfile::tempdir().unwrap();
    let report = build_examples(out.path());
    assert_eq!(report.releases, 3);
    assert!(report.site_built);
    let md = read(out.path().join("wiki/releases/1.14.0/magicbox.md"));

    // 1. Version, codename, what a MagicBox is, and the first screen: the glance.
    assert!(md.starts_with("# Release 1.14.0 “Ulm”\n"), "{md}");
    find(
        &md,
        "This MagicBox holds every date and deadline of release 1.14.0 that affects all teams",
    );
    let glance = &md[find(&md, "<div class=\"herald-glance\"")..find(&md, "</div>")];
    find(
        glance,
        "<p data-glance=\"status\" class=\"status-in-progress\">",
    );
    find(
        glance,
        "<p data-glance=\"release-date\">Release <strong>Thu 10 Dec 2026</strong></p>",
    );
    find(
        glance,
        "<p data-glance=\"countdown\"><strong>14</strong> days to go</p>",
    );
    // The next deadline teams act on (not the next build), with its zone.
    find(
        glance,
        "Next deadline: <a href=\"#cherry-pick-rc2\">Cherry-pick deadline for RC2</a>, Monday 30 November 2026, 16:00 CET (in 4 days)",
    );
    find(
        glance,
        "<a data-glance=\"blockers\" class=\"glance-count is-nonzero\" href=\"#release-blockers\"><strong>1</strong> release blocker</a>",
    );
    find(
        glance,
        "<a data-glance=\"failing-tests\" class=\"glance-count is-nonzero\" href=\"#failing-tests\"><strong>2</strong> failing tests</a>",
    );
    find(
        glance,
        "<a data-glance=\"approvals\" class=\"glance-count is-nonzero\" href=\"#pull-requests-waiting-for-approval\"><strong>2</strong> pull requests",
    );
    find(
        glance,
        "<a data-glance=\"not-run\" class=\"glance-count is-zero\" href=\"#manual-testing\"><strong>0</strong> tests not run on RC1</a>",
    );
    find(
        glance,
        "<p data-glance=\"verdict\" class=\"verdict-blocked\"><strong>RC2: blocked.</strong> 1 release blocker: Kafka channel delivers events in order (failed on RC1); 1 test blocked on RC1.</p>",
    );
    assert!(
        !glance.contains("\n\n"),
        "a blank line ends the HTML block: {glance}"
    );
    find(
        &md,
        "<button class=\"herald-copy\" data-copy-src=\"MagicBox-1.14.0.md\">",
    );
    // The sections by urgency, then the reference.
    let sections = [
        "## Release blockers",
        "## Failing tests",
        "## Pull requests waiting for approval",
        "## Manual testing",
        "## Key dates",
        "## People and channels",
        "## Test environment",
        "## Scrum of Scrums",
        "## Notes",
    ];
    let positions: Vec<usize> = sections.iter().map(|s| find(&md, s)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");

    // 2. The picture, and the downloads beside the page.
    find(
        &md,
        "![Timeline of 1.14.0: Deadlines announcement Tue 10 Nov, Freeze: release-1.14 is cut Mon 16 Nov, Cherry-pick deadline for RC1 Tue 17 Nov, RC1 Wed 18 Nov, ",
    );
    find(&md, "Release 1.14.0 Thu 10 Dec](timeline.svg)");
    find(&md, "[manual-test workbook](manual-tests-1.14.0.xlsx)");
    find(&md, "[calendar feed](1.14.0.ics)");
    find(&md, "[Slack drafts](slack.md)");

    // 3. Key dates: weekday, the zone's time and UTC, past or not, an anchor per milestone.
    find(
        &md,
        "| <a id=\"cherry-pick-rc2\"></a>**Cherry-pick deadline for RC2** | Monday | 2026-11-30 16:00 CET | 2026-11-30 15:00 UTC | next, in 4 days |",
    );
    find(
        &md,
        "| <a id=\"rc2\"></a>RC2 | Tuesday | 2026-12-01 (all day) | 2026-12-01 | in 5 days |",
    );
    find(
        &md,
        "| <a id=\"freeze\"></a>Freeze: release-1.14 is cut | Monday | 2026-11-16 09:00 CET | 2026-11-16 08:00 UTC | past |",
    );
    let key_dates = &md[find(&md, "## Key dates")..find(&md, "## People")];
    // The history is reference too: last.
    assert!(!key_dates.contains("## Schedule changes"));
    assert_eq!(key_dates.matches("| past |").count(), 4, "{key_dates}");
    assert_eq!(key_dates.matches("<a id=").count(), 11, "{key_dates}");

    // 4. People with GitHub links, and channels.
    find(
        &md,
        "| Release Master | Hisar Balik | [@hisarbalik](https://github.com/hisarbalik) | Huskies |",
    );
    // A Slack member id says nothing to a reader.
    assert!(!md.contains("U01HBALIK"), "{md}");
    find(&md, "| \\#release | Community: the release announcement |");

    // 5. Test environment.
    find(
        &md,
        "- URL: [https://console.rc-114.kyma.example.com](https://console.rc-114.kyma.example.com)",
    );
    find(&md, "2. Ask **@hisarbalik** for a kubeconfig");

    // 6. Blockers first; manual testing of the candidate under test, where done is passed
    // or skipped: a failed or a blocked test is not done.
    let blockers = find(&md, "## Release blockers");
    let kafka = find(
        &md,
        "| [Kafka channel delivers events in order](https://github.com/kyma-project/kyma/issues/8102) | Goat | RC1 | mnowak | Events 40-45 arrive out of order after a broker restart |",
    );
    let rc1 = find(
        &md,
        "### RC1, 2026-11-18: 8 of 9 run, 1 failed, 1 blocked\n",
    );
    assert!(blockers < kafka && kafka < rc1);
    find(
        &md,
        "| Gophers | RC1 | blocked | — | gopher-anna | Mock commerce app image missing from the registry |",
    );
    find(
        &md,
        "![Manual tests of RC1: 8 of 9 run, 1 failed, 1 blocked](manual-tests-rc1.svg)",
    );
    find(&md, "| Goat | 1 | 1 | 0 | 0 | 0 | 1/2 (50%) |");
    find(&md, "| Gophers | 1 | 0 | 1 | 0 | 0 | 1/2 (50%) |");
    find(
        &md,
        "| **All teams** | **7** | **1** | **1** | **0** | **0** | **7/9 (77%)** |",
    );
    // Candidates not started are one line, with no chart.
    find(
        &md,
        "Not started: RC2 (Tue 1 Dec 2026), RC3 (Tue 8 Dec 2026).",
    );
    assert!(!md.contains("manual-tests-rc2.svg") && !md.contains("### RC2"));
    // A test that failed on RC1 of 1.13 and passed on RC2 says so.
    let v13 = read(out.path().join("wiki/releases/1.13.0/magicbox.md"));
    find(
        &v13,
        "| Grafana dashboards load with data | Huskies | RC1 | failed | passed on RC2 | lilitgh |",
    );
    find(
        &v13,
        "<p data-glance=\"verdict\" class=\"verdict-released\"><strong>Released on Thu 8 Oct 2026.</strong></p>",
    );

    // 7. Pull requests waiting, and who still has to approve.
    find(
        &md,
        "| [Fix ordering in the Kafka channel dispatcher](https://github.com/kyma-project/kyma/pull/9342) | Goat, Huskies | Huskies | **Goat** |",
    );
    find(&md, "2 of 3 pull requests wait for approval.");
    assert!(
        !md.contains("console login redirect"),
        "an approved PR is listed"
    );

    // 8. Failing tests by team, with days failing.
    find(
        &md,
        "| Framefrog | [pre-rel114-kyma-gke-upgrade](https://status.build.kyma-project.io/?job=pre-rel114-kyma-gke-upgrade) | 2026-11-20 | 6 | Times out waiting for the eventing controller |",
    );
    find(&md, "| 2026-11-23 | 3 |");

    // 9. The next Scrum of Scrums meetings, today's included.
    find(
        &md,
        "| 2026-11-26 | Thursday | 10:00–10:30 CET | 2026-11-26 09:00 UTC | today |",
    );
    find(&md, "2 of 5 meetings still to come");

    // 10. Notes, as Markdown.
    find(&md, "**RC2 is planned for 1 December.**");
}

#[test]
fn published_magicbox_has_anchors_pictures_and_downloads() {
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let site = out.path().join("site");
    let html = read(site.join("releases/1.14.0/magicbox.html"));
    find(
        &html,
        "<a id=\"rc2\"></a>RC2</td><td>Tuesday</td><td>2026-12-01 (all day)</td>",
    );
    find(
        &html,
        "<td>2026-11-30 16:00 CET</td><td>2026-11-30 15:00 UTC</td>",
    );
    find(
        &html,
        "<img src=\"timeline.svg\" alt=\"Timeline of 1.14.0: Deadlines announcement Tue 10 Nov,",
    );
    // The glance reaches the page as markup the site's CSS and the screenshot check read.
    find(&html, "<div class=\"herald-glance\"");
    find(&html, "data-glance=\"verdict\" class=\"verdict-blocked\"");
    find(&html, "href=\"manual-tests-1.14.0.xlsx\"");
    find(&html, "href=\"slack.html\"");
    find(&html, "href=\"https://github.com/hisarbalik\"");
    // The downloads and pictures are copied along with the pages.
    for file in [
        "timeline.svg",
        "manual-tests-rc1.svg",
        "manual-tests-1.14.0.xlsx",
        "1.14.0.ics",
    ] {
        assert_eq!(
            std::fs::read(site.join("releases/1.14.0").join(file)).unwrap(),
            std::fs::read(out.path().join("wiki/releases/1.14.0").join(file)).unwrap(),
            "{file}"
        );
    }
    // Markdown downloads (the Slack drafts) are not chapters, so mdBook leaves them out;
    // herald copies them along. Chapters and the SUMMARY are pages, not downloads.
    for file in [
        "slack/deadlines.md",
        "slack/cherry-pick-rc2.md",
        "slack/deadlines.json",
    ] {
        let published = read(site.join("releases/1.14.0").join(file));
        assert_eq!(
            published,
            read(out.path().join("wiki/releases/1.14.0").join(file)),
            "{file}"
        );
    }
    find(
        &read(site.join("releases/1.14.0/slack/deadlines.md")),
        "1.14.0 \"Ulm\": release deadlines",
    );
    for page in [
        "SUMMARY.md",
        "index.md",
        "releases/1.14.0/magicbox.md",
        "releases/1.14.0/slack.md",
    ] {
        assert!(!site.join(page).exists(), "{page} copied into the site");
    }
    // The front page is the overview; the search index holds every release, and there is
    // no whole-book print view unless book.toml asks for one (each page prints itself).
    // The overview links each due draft to its heading on the drafts page.
    find(
        &read(site.join("releases/1.14.0/slack.html")),
        "id=\"cherry-pick-rc2\"",
    );
    let index = read(site.join("index.html"));
    find(&index, "href=\"releases/1.14.0/magicbox.html\"");
    assert!(!site.join("print.html").exists());
    find(&read(site.join("searchindex.js")), "Ulm");
}

/// The x coordinate of the centre of the shape whose tooltip is `title` in a timeline SVG.
fn mark_x(svg: &str, title: &str) -> f64 {
    let group = &svg[find(svg, &format!("<g><title>{title}</title>"))..];
    let group = &group[..find(group, "</g>")];
    let number = |key: &str| -> f64 {
        let start = find(group, key) + key.len();
        let len = group[start..]
            .find(|c: char| c != '.' && !c.is_ascii_digit())
            .unwrap();
        group[start..start + len].parse().unwrap()
    };
    if group.contains("<path d=\"M") {
        number("<path d=\"M")
    } else if group.contains("<rect x=\"") {
        number("<rect x=\"") + 5.5
    } else {
        // The last circle: the next milestone has a ring drawn before its shape.
        let last = group.rfind("<circle cx=\"").unwrap();
        let start = last + "<circle cx=\"".len();
        let len = group[start..].find('"').unwrap();
        group[start..start + len].parse().unwrap()
    }
}

#[test]
fn timeline_picture_places_milestones_in_order_with_today_between() {
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let svg = read(out.path().join("wiki/releases/1.14.0/timeline.svg"));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    find(&svg, "Timeline of release 1.14.0, as of 2026-11-26");
    let order = [
        "Deadlines announcement: 10 Nov 10:00",
        "Freeze: release-1.14 is cut: 16 Nov 09:00",
        "Cherry-pick deadline for RC1: 17 Nov 16:00",
        "RC1: 18 Nov",
        "Cherry-pick deadline for RC2: 30 Nov 16:00",
        "RC2: 1 Dec",
        "Upgrade test window: 2 Dec",
        "Cherry-pick deadline for RC3: 7 Dec 12:00",
        "RC3: 8 Dec",
        "Release 1.14.0: 10 Dec",
    ];
    let xs: Vec<f64> = order.iter().map(|t| mark_x(&svg, t)).collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    // Two milestones on one day are two shapes side by side, not one hiding the other.
    let notes_due = mark_x(&svg, "Release notes due: 8 Dec");
    assert!(
        xs[7] < notes_due && notes_due + 18.0 <= xs[8] + 1e-6,
        "{notes_due} {xs:?}"
    );
    // Today's line sits between RC1 (past) and the RC2 cherry-pick deadline (next).
    let today_at = find(
        &svg,
        "stroke=\"#b91c1c\" stroke-width=\"1.5\" stroke-dasharray",
    );
    let line = &svg[svg[..today_at].rfind("<line").unwrap()..today_at];
    let today_x: f64 = line["<line x1=\"".len()..]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        xs[3] < today_x && today_x < xs[4],
        "{today_x} not in {xs:?}"
    );
    find(&svg, ">today 26 Nov</text>");
    // Four past milestones are hollow (and a past meeting, and the legend's sample); the
    // next one is ringed.
    assert_eq!(
        svg.matches("fill=\"#ffffff\" stroke=\"#6b7280\"").count(),
        4 + 1 + 1
    );
    assert_eq!(svg.matches("r=\"13.0\" fill=\"none\"").count(), 1);

    // A release that is over no longer changes with the day: no today marker.
    let released = read(out.path().join("wiki/releases/1.13.0/timeline.svg"));
    find(
        &released,
        "<title id=\"title\">Timeline of release 1.13.0</title>",
    );
    assert!(!released.contains("today"), "{released}");
    let page = read(out.path().join("wiki/releases/1.13.0/magicbox.md"));
    find(
        &page,
        "The release is over; this page is final as of Friday 16 October 2026.",
    );
}

#[test]
fn overview_and_calendar_list_every_release_and_milestone() {
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let wiki = out.path().join("wiki");
    let overview = read(wiki.join("index.md"));
    // A card per release: status and verdict in their colours, the release day, the next
    // deadline teams act on and the open work; no table wider than the column.
    assert!(!overview.contains("| Release | Status |"), "{overview}");
    let in_progress = find(
        &overview,
        "<div class=\"herald-card herald-card-in-progress\">\n\n### [1.14.0 Ulm](releases/1.14.0/magicbox.md)\n\n<span class=\"status-in-progress\">in progress</span> · <span class=\"verdict-blocked\">RC2: blocked</span> · release **Thu 10 Dec 2026** (14 days to go)\n\nNext deadline: [Cherry-pick deadline for RC2](releases/1.14.0/magicbox.md#cherry-pick-rc2), Mon 2026-11-30 16:00 CET (in 4 days)\n\n1 release blocker · 2 failing tests · 2 pull requests waiting for approval.",
    );
    let planned = find(
        &overview,
        "### [1.15.0 Vaduz](releases/1.15.0/magicbox.md)\n\n<span class=\"status-planned\">planned</span> · <span class=\"verdict-go\">RC1: go</span>",
    );
    let released = find(
        &overview,
        "### [1.13.0 Tegernsee](releases/1.13.0/magicbox.md)\n\n<span class=\"status-released\">released</span> · release **Thu 8 Oct 2026** (released)",
    );
    assert!(in_progress < planned && planned < released);
    let drafts = &overview[find(&overview, "## Drafts due this week")..];
    find(
        drafts,
        "| 1.14.0 | [cherry-pick-rc2](releases/1.14.0/slack.md#cherry-pick-rc2) | \\#kyma-team | Thu 2026-11-26 | today |",
    );
    find(
        drafts,
        "| 1.14.0 | [cherry-pick-rc3](releases/1.14.0/slack.md#cherry-pick-rc3) | \\#kyma-team | Thu 2026-12-03 | in 7 days |",
    );
    // Sent drafts and drafts due later are left out.
    assert!(
        !drafts.contains("[deadlines]") && !drafts.contains("[release]"),
        "{drafts}"
    );
    find(&overview, "[calendar feed](calendar.ics)");

    // The sidebar lists the releases in the overview's order.
    let summary = read(wiki.join("SUMMARY.md"));
    let v14 = find(&summary, "- [1.14.0 Ulm](releases/1.14.0/magicbox.md)");
    let v15 = find(
        &summary,
        "- [1.15.0 Vaduz](releases/1.15.0/magicbox.md)\n    - [Slack drafts](releases/1.15.0/slack.md)",
    );
    let v13 = find(
        &summary,
        "- [1.13.0 Tegernsee](releases/1.13.0/magicbox.md)",
    );
    assert!(v14 < v15 && v15 < v13, "{summary}");

    // The calendar lists the same events as the timeline: every milestone and every meeting.
    let calendar = read(wiki.join("calendar.md"));
    let project = harness::load(&example(), TODAY);
    let timeline = project.plan();
    let mut milestones = 0;
    let mut meetings = 0;
    for r in &timeline.releases {
        for m in &r.milestones {
            find(
                &calendar,
                &format!("](releases/{}/magicbox.md#{})", r.version, m.slug()),
            );
            milestones += 1;
        }
        meetings += r.scrum_of_scrums.len();
    }
    let rows = calendar.lines().filter(|l| l.starts_with("| 20")).count();
    assert_eq!(rows, milestones + meetings);
    assert_eq!(calendar.matches("[Scrum of Scrums](").count(), meetings);
    // Upcoming months first, past ones collapsed, the latest past first.
    let upcoming = find(&calendar, "## November 2026\n");
    let december = find(&calendar, "## December 2026\n");
    let past = find(&calendar, "<details class=\"past\">");
    assert!(upcoming < december && december < past);
    find(
        &calendar,
        "| 2026-11-26 | Thu | 10:00–10:30 CET | 1.14.0 | **today:** [Scrum of Scrums](releases/1.14.0/magicbox.md#scrum-of-scrums) |",
    );
    let past_part = &calendar[past..];
    assert!(find(past_part, "### November 2026") < find(past_part, "### September 2026"));
    find(
        past_part,
        "| 2026-09-16 | Wed | all day | 1.13.0 | [RC1](releases/1.13.0/magicbox.md#rc1) |",
    );
    // A release in New York shows its own zone.
    find(&calendar, "| 2027-01-11 | Mon | 09:00 EST | 1.15.0 |");
}

#[test]
fn the_site_url_gives_calendar_subscription_links() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = options(&example(), out.path());
    opts.site_url = Some("https://kyma.example.io/releases/".to_owned());
    opts.site = false;
    build(&opts).unwrap();
    let overview = read(out.path().join("wiki/index.md"));
    find(
        &overview,
        "[https://kyma.example.io/releases/calendar.ics](https://kyma.example.io/releases/calendar.ics)",
    );
    let md = read(out.path().join("wiki/releases/1.14.0/magicbox.md"));
    find(
        &md,
        "(https://kyma.example.io/releases/releases/1.14.0/1.14.0.ics)",
    );
    assert!(!out.path().join("site").exists(), "--no-site built a site");
}

#[test]
fn hostile_plan_text_shows_as_text_and_breaks_nothing() {
    let out = tempfile::tempdir().unwrap();
    let dir = harness::fixture("site-hostile/releases");
    build(&options(&dir, out.path())).expect("the hostile plans are valid");
    let md = read(out.path().join("wiki/releases/9.9.0/magicbox.md"));
    // Table cells: pipes and brackets escaped, one row per line.
    find(
        &md,
        "| Release Master | a &#124; b | [@a-b](https://github.com/a-b) | a &#124; b &lt;i&gt;team&lt;/i&gt; |",
    );
    find(&md, "| Scrum Master | \\[x\\](javascript:alert(1)) |");
    find(
        &md,
        "| a &#124; b second line &lt;script&gt;alert(1)&lt;/script&gt; |",
    );
    // URLs: characters that would end the link or split the cell are percent-encoded.
    find(
        &md,
        "](https://pr.example/1%7C2%29[x]%28javascript:alert%281%29%29)",
    );
    find(
        &md,
        "](https://issues.example/1%22%3E%3Cscript%3Ealert%281%29%3C/script%3E)",
    );
    // mdBook's include directive never sees plan text.
    assert!(!md.contains("{{#"), "{md}");
    // Markdown fields arrive as plain Markdown that pastes into other wikis: raw HTML as
    // text, a code block kept whole with its `[x](javascript:…)` inside, no HTML wrappers.
    find(
        &md,
        "```text\ncode\n\n[x](javascript:alert(2))\n```\n\n## People and channels",
    );
    find(
        &md,
        "How to get access:\n\n&lt;iframe src=https://evil.example&gt;&lt;/iframe&gt; \\{\\{#include /etc/passwd\\}\\}\n\n## Scrum of Scrums",
    );
    // The glance is the page's one HTML block; plan text adds none.
    assert_eq!(md.matches("<div").count(), 1, "{md}");
    let paste = read(out.path().join("wiki/releases/9.9.0/MagicBox-9.9.0.md"));
    assert!(!paste.contains("<div") && !paste.contains("<a "), "{paste}");
    let summary = read(out.path().join("wiki/SUMMARY.md"));
    find(
        &summary,
        "- [9.9.0 &lt;script&gt;alert(1)&lt;/script&gt;](releases/9.9.0/magicbox.md)",
    );

    for page in [
        "releases/9.9.0/magicbox.html",
        "index.html",
        "calendar.html",
        "toc.html",
    ] {
        let html = read(out.path().join("site").join(page));
        for bad in [
            "<script>alert",
            "href=\"javascript:",
            "<img src=x",
            "<iframe src=https://evil",
            "<div onclick",
            "<i>team</i>",
        ] {
            assert!(!html.contains(bad), "{page} contains {bad}");
        }
    }
    let html = read(out.path().join("site/releases/9.9.0/magicbox.html"));
    find(
        &html,
        "&lt;script&gt;alert(1)&lt;/script&gt; | {{#include /etc/passwd}}",
    );
    // mdBook re-serialises the HTML, so the entities come back as braces: shown, not run.
    find(&html, "<p>{{#include /etc/passwd}}</p>");
    assert!(!html.contains("root:"), "a file was included");
    // Each Markdown field reaches the page whole: a code block keeps its blank line and its
    // `[x](javascript:…)` as text, raw HTML shows as text, no link or image is made.
    let notes = &html[find(&html, "Notes</a></h2>") + 14..find(&html, "</main>")];
    for shown in [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<p>x a | b</p>",
        "<p>{{#include /etc/passwd}}</p>",
        "<p>&lt;img src=x onerror=alert(1)&gt; after the image</p>",
        "<pre><code class=\"language-text\">notes code\n\n[y](javascript:alert(3))\n</code></pre>",
        "<p>&lt;script&gt;\nalert(4)\n&lt;/script&gt;</p>",
    ] {
        find(notes, shown);
    }
    assert!(!notes.contains("<a ") && !notes.contains("<img"), "{notes}");
    find(
        &html,
        "<pre><code class=\"language-text\">code\n\n[x](javascript:alert(2))\n</code></pre>\n<h2 id=\"people-and-channels\">",
    );
    find(
        &html,
        "<p>&lt;iframe src=https://evil.example&gt;&lt;/iframe&gt; {{#include /etc/passwd}}</p>",
    );
    // The page goes on as Markdown after each block.
    find(&html, "<h2 id=\"people-and-channels\">");
    find(&html, "<td>a | b</td>");
    find(&html, "<a href=\"https://ok.example/a_b\">ok</a>");
    // The Markdown link with a javascript: target is dropped, its text kept.
    find(&html, "<p>click and <a");
    // The release master's row still has its four cells.
    let row = &html[find(&html, "<td>Release Master</td>")..];
    let row = &row[..find(row, "</tr>")];
    assert_eq!(row.matches("<td>").count(), 4, "{row}");

    let svg = read(out.path().join("wiki/releases/9.9.0/timeline.svg"));
    assert!(!svg.contains("<script>"), "{svg}");
    find(&svg, "&lt;script&gt;alert(1)&lt;/script&gt; | {{#include");
    let progress = read(out.path().join("wiki/releases/9.9.0/manual-tests-rc1.svg"));
    find(&progress, ">a | b &lt;i&gt;team&lt;/i&gt;</text>");
}

#[test]
fn mdbook_loads_the_generated_book() {
    use mdbook_driver::MDBook;
    use mdbook_driver::book::BookItem;
    use mdbook_driver::config::Config;

    let out = tempfile::tempdir().unwrap();
    let mut opts = options(&example(), out.path());
    opts.site = false;
    build(&opts).unwrap();
    let mut cfg = Config::default();
    cfg.book.src = out.path().join("wiki");
    cfg.build.create_missing = false;
    let book = MDBook::load_with_config(out.path(), cfg).expect("mdBook loads the wiki");
    let chapters: Vec<(String, String, String)> = book
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => Some((
                ch.name.clone(),
                ch.path
                    .as_ref()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default(),
                ch.content.clone(),
            )),
            _ => None,
        })
        .collect();
    let names: Vec<(&str, &str)> = chapters
        .iter()
        .map(|(n, p, _)| (n.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Overview", "index.md"),
            ("Calendar", "calendar.md"),
            ("1.14.0 Ulm", "releases/1.14.0/magicbox.md"),
            ("Slack drafts", "releases/1.14.0/slack.md"),
            ("1.15.0 Vaduz", "releases/1.15.0/magicbox.md"),
            ("Slack drafts", "releases/1.15.0/slack.md"),
            ("1.13.0 Tegernsee", "releases/1.13.0/magicbox.md"),
            ("Slack drafts", "releases/1.13.0/slack.md"),
        ]
    );
    let magicbox = &chapters[2].2;
    assert!(magicbox.starts_with("# Release 1.14.0 “Ulm”"), "{magicbox}");
}

#[test]
fn plans_with_errors_write_nothing_and_keep_the_previous_output() {
    let work = Project::new();
    let plans = work.plans();
    let out = work.root().join("public");
    build(&options(&plans, &out)).unwrap();
    let before = snapshot(&out);
    assert!(before.len() > 50, "{}", before.len());

    let file = plans.join("1.14.yaml");
    let broken = read(&file).replace("date: 2026-12-01", "date: 2026-12-32");
    std::fs::write(&file, broken).unwrap();
    match build(&options(&plans, &out)) {
        Err(BuildError::Plans(checked)) => assert!(checked.diags.has_errors()),
        other => panic!("expected plan errors, got {other:?}"),
    }
    assert_eq!(snapshot(&out), before);
    // Nothing staged is left behind either.
    let names: Vec<String> = std::fs::read_dir(work.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");

    // A first build with errors creates no output folder at all.
    let fresh = work.root().join("fresh");
    assert!(build(&options(&plans, &fresh)).is_err());
    assert!(!fresh.exists());
}

#[test]
fn builds_are_byte_identical_and_an_unchanged_rebuild_touches_nothing() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_examples(a.path());
    build_examples(b.path());
    let first = snapshot(a.path());
    assert_eq!(first, snapshot(b.path()));
    assert!(first.keys().any(|p| p.starts_with("site")));

    let again = build_examples(a.path());
    assert!(
        again.up_to_date && !again.wiki.changed() && !again.site_built,
        "{again:?}"
    );
    assert_eq!(again.wiki.unchanged, again.files);
    assert_eq!(snapshot(a.path()), first);
}

#[test]
fn a_user_template_overrides_one_page_and_a_broken_one_names_its_line() {
    let work = Project::new();
    let plans = work.plans();
    let templates = work.root().join("templates/wiki");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("overview.md"),
        "# Our releases\n{% for r in releases %}\n- {{ r.version }}: {{ r.status_label }}\n{% endfor %}\n",
    )
    .unwrap();
    let out = work.root().join("public");
    let mut opts = options(&plans, &out);
    opts.site = false;
    build(&opts).unwrap();
    let overview = read(out.join("wiki/index.md"));
    find(&overview, "# Our releases");
    find(&overview, "- 1.14.0: in progress");
    // The other pages keep the embedded defaults.
    find(&read(out.join("wiki/calendar.md")), "# Calendar");
    let before = snapshot(&out);

    std::fs::write(
        templates.join("magicbox.md"),
        "# {{ version }}\n\n{{ codename | no_such_filter }}\n",
    )
    .unwrap();
    let err = build(&opts).expect_err("a broken template fails the build");
    let message = err.to_string();
    assert!(message.contains("wiki/magicbox.md:3:"), "{message}");
    assert!(message.contains("no_such_filter"), "{message}");
    assert_eq!(snapshot(&out), before);

    std::fs::write(
        templates.join("magicbox.md"),
        "# {{ version }}\n{{ not_a_field.x }}\n",
    )
    .unwrap();
    let message = build(&opts)
        .expect_err("an undefined variable fails")
        .to_string();
    assert!(message.contains("wiki/magicbox.md:2:"), "{message}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_book_toml_beside_the_plans_configures_the_site() {
    let work = Project::new();
    let plans = work.plans();
    std::fs::write(
        work.root().join("book.toml"),
        "[book]\ntitle = \"Team <Releases>\"\nsrc = \"elsewhere\"\n\n[build]\nbuild-dir = \"book\"\n\n[output.html.print]\nenable = true\n",
    )
    .unwrap();
    let out = work.root().join("public");
    build(&options(&plans, &out)).unwrap();
    let html = read(out.join("site/releases/1.14.0/magicbox.html"));
    find(&html, "<title>1.14.0 Ulm - Team &lt;Releases&gt;</title>");
    // herald decides where the source and the output are; the user's folders stay untouched.
    assert!(!work.root().join("book").exists() && !work.root().join("elsewhere").exists());
    // Asset names are stable, so unchanged pages give unchanged files.
    assert!(out.join("site/searchindex.js").is_file());
    // The whole-book print view, off by default, is there when book.toml asks for it.
    let print = read(out.join("site/print.html"));
    for v in ["Release 1.14.0", "Release 1.15.0"] {
        find(&print, v);
    }

    std::fs::write(work.root().join("book.toml"), "[book]\nnot_a_key = 1\n").unwrap();
    std::fs::write(
        plans.join("1.15.yaml"),
        read(plans.join("1.15.yaml")).replace("Vaduz", "Vaduz2"),
    )
    .unwrap();
    let message = build(&options(&plans, &out))
        .expect_err("a bad book.toml fails")
        .to_string();
    assert!(message.contains("book.toml"), "{message}");
    // A bad book.toml is found before anything is written: the previous output stays.
    let stale = read(out.join("site/releases/1.15.0/magicbox.html"));
    assert!(stale.contains("Team &lt;Releases&gt;") && !stale.contains("Vaduz2"));
    assert!(!read(out.join("wiki/SUMMARY.md")).contains("Vaduz2"));

    // Once book.toml is fixed, the wiki and the site are rebuilt.
    std::fs::write(work.root().join("book.toml"), "[book]\ntitle = \"Fixed\"\n").unwrap();
    let report = build(&options(&plans, &out)).unwrap();
    assert!(report.wiki.changed() && report.site_built, "{report:?}");
    find(&read(out.join("wiki/SUMMARY.md")), "Vaduz2");
    // A changed book.toml alone rebuilds the site, though the wiki did not change.
    std::fs::write(
        work.root().join("book.toml"),
        "[book]\ntitle = \"Fixed again\"\n",
    )
    .unwrap();
    let report = build(&options(&plans, &out)).unwrap();
    assert!(!report.wiki.changed() && report.site_built, "{report:?}");
    std::fs::write(work.root().join("book.toml"), "[book]\ntitle = \"Fixed\"\n").unwrap();
    let report = build(&options(&plans, &out)).unwrap();
    assert!(!report.wiki.changed() && report.site_built, "{report:?}");
    let fresh = read(out.join("site/releases/1.15.0/magicbox.html"));
    assert!(
        fresh.contains("<title>1.15.0 Vaduz2 - Fixed</title>"),
        "{fresh}"
    );
}

#[test]
fn drafts_pages_are_in_the_site_but_not_in_its_search_index() {
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let drafts = read(out.path().join("site/releases/1.14.0/slack.html"));
    find(&drafts, "What qualifies");
    let index = read(out.path().join("site/searchindex.js"));
    // The MagicBox is searchable; the drafts, which repeat it, are not.
    find(&index, "Kafka channel delivers events in order");
    assert!(!index.contains("What qualifies"), "drafts are indexed");
    // Downloads reach the site byte for byte, though mdBook never saw them.
    for file in [
        "releases/1.14.0/manual-tests-1.14.0.xlsx",
        "releases/1.14.0/1.14.0.ics",
        "calendar.ics",
    ] {
        assert_eq!(
            std::fs::read(out.path().join("site").join(file)).unwrap(),
            std::fs::read(out.path().join("wiki").join(file)).unwrap(),
            "{file}"
        );
    }
}

/// The `<base href>` of a page, if it has one.
fn base_href(html: &str) -> Option<String> {
    let at = html.find("<base href=\"")? + "<base href=\"".len();
    Some(html[at..at + html[at..].find('"')?].to_owned())
}

#[test]
fn the_404_page_resolves_links_under_the_site_urls_path() {
    let mut work = Project::new();
    work.site = true;
    work.build();
    // Without a site URL the site is taken to be at the root of its host.
    let page = read(work.site_dir().join("404.html"));
    assert_eq!(base_href(&page).as_deref(), Some("/"), "{page}");

    // A GitHub Pages project site: every link of the 404 page goes through /releases/.
    work.site_url = Some("https://org.github.io/releases".to_owned());
    let report = work.build();
    assert!(report.site_built, "{report:?}");
    let page = read(work.site_dir().join("404.html"));
    assert_eq!(base_href(&page).as_deref(), Some("/releases/"), "{page}");
    find(&page, "<link rel=\"stylesheet\" href=\"css/general.css\">");
    find(
        &page,
        "<link rel=\"stylesheet\" href=\"assets/herald.css\">",
    );
    // Other pages link relatively and need no base.
    let magicbox = read(work.site_dir().join("releases/1.14.0/magicbox.html"));
    assert_eq!(base_href(&magicbox), None);

    // A site-url set in book.toml is the user's word.
    work.write(
        "book.toml",
        "[book]\ntitle = \"Releases\"\n\n[output.html]\nsite-url = \"/docs/releases/\"\n",
    );
    work.build();
    let page = read(work.site_dir().join("404.html"));
    assert_eq!(
        base_href(&page).as_deref(),
        Some("/docs/releases/"),
        "{page}"
    );
}

#[test]
fn herald_s_theme_additions_reach_every_page_and_a_users_theme_still_wins() {
    let mut work = Project::new();
    work.site = true;
    // The user's own theme: a head.hbs of theirs and a stylesheet of mdBook's they replace.
    let user_head = "<meta name=\"team\" content=\"huskies\">\n";
    let user_css = "/* the user's variables */\n:root { --content-max-width: 900px; }\n";
    work.write("theme/head.hbs", user_head);
    work.write("theme/css/variables.css", user_css);
    work.build();
    let site = work.site_dir();
    for (page, to_root) in [
        ("index.html", ""),
        ("calendar.html", ""),
        ("releases/1.14.0/magicbox.html", "../../"),
        ("releases/1.14.0/slack.html", "../../"),
    ] {
        let html = read(site.join(page));
        let meta = find(&html, "<meta name=\"team\" content=\"huskies\">");
        let css = find(
            &html,
            &format!("<link rel=\"stylesheet\" href=\"{to_root}assets/herald.css\">"),
        );
        find(
            &html,
            &format!("<script defer src=\"{to_root}assets/herald.js\"></script>"),
        );
        // The user's head comes first; mdBook's stylesheets after herald's, then any
        // additional-css of book.toml, so both can override herald's rules.
        assert!(meta < css && css < find(&html, "css/general.css"), "{page}");
    }
    assert_eq!(
        read(site.join("assets/herald.css")),
        herald::site::THEME_CSS.1
    );
    assert_eq!(
        read(site.join("assets/herald.js")),
        herald::site::THEME_JS.1
    );
    find(&read(site.join("assets/herald.css")), ".herald-glance");
    // The user's replacement is the one the site uses, and their files are as they were.
    assert_eq!(read(site.join("css/variables.css")), user_css);
    assert_eq!(read(work.path("theme/head.hbs")), user_head);
    // Nothing of the staged theme is left behind in herald's folder.
    assert!(!work.out().join(".herald/site.theme").exists());
}

/// Raw HTML a Markdown text holds, as pulldown-cmark (with GitHub's extensions) reads it.
fn raw_html(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser};
    Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .filter_map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_paste_ready_magicbox_has_no_html_and_links_to_the_site() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = options(&example(), out.path());
    opts.site_url = Some("https://kyma.example.io/releases/".to_owned());
    build(&opts).expect("the example plans build");
    for version in ["1.13.0", "1.14.0", "1.15.0"] {
        let md = read(
            out.path()
                .join(format!("wiki/releases/{version}/MagicBox-{version}.md")),
        );
        assert_eq!(raw_html(&md), Vec::<String>::new(), "{version}:\n{md}");
        find(&md, &format!("# Release {version} “"));
        // It is published beside the page, for the copy button to fetch.
        assert_eq!(
            read(
                out.path()
                    .join(format!("site/releases/{version}/MagicBox-{version}.md"))
            ),
            md
        );
    }
    let md = read(out.path().join("wiki/releases/1.14.0/MagicBox-1.14.0.md"));
    // The glance as a list, its counts linking to the sections by their headings.
    find(
        &md,
        "- **Release:** Thu 10 Dec 2026 (14 days to go)\n- **Next deadline:** [Cherry-pick deadline for RC2](#key-dates), Monday 30 November 2026, 16:00 CET (in 4 days)\n",
    );
    find(
        &md,
        "- **Open:** [1 release blocker](#release-blockers) · [2 failing tests](#failing-tests) · ",
    );
    find(&md, "- **Verdict:** **RC2: blocked.** 1 release blocker: ");
    // Another wiki has none of the site's files: links to them are absolute.
    let site = "https://kyma.example.io/releases/releases/1.14.0";
    find(&md, &format!("]({site}/timeline.svg)"));
    find(
        &md,
        &format!("[manual-test workbook]({site}/manual-tests-1.14.0.xlsx)"),
    );
    find(&md, &format!("[Slack drafts]({site}/slack.html)"));
    find(&md, &format!("]({site}/manual-tests-rc1.svg)"));
    assert!(
        !md.contains("](timeline.svg)") && !md.contains("herald-copy"),
        "{md}"
    );
    // The site's page offers it with a copy button.
    let html = read(out.path().join("site/releases/1.14.0/magicbox.html"));
    find(
        &html,
        "<button class=\"herald-copy\" data-copy-src=\"MagicBox-1.14.0.md\">",
    );
    // and a link to the file that mdBook's `.md` → `.html` rewriting leaves alone: the file is
    // in the site under the name the link decodes to.
    find(&html, "<a href=\"MagicBox-1.14.0%2Emd\">");
    assert!(!html.contains("MagicBox-1.14.0.html"), "{html}");
    assert_eq!(
        read(out.path().join("site/releases/1.14.0/MagicBox-1.14.0.md")),
        read(out.path().join("wiki/releases/1.14.0/MagicBox-1.14.0.md"))
    );

    // Without the site's URL, links stay relative to the release's folder.
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let md = read(out.path().join("wiki/releases/1.14.0/MagicBox-1.14.0.md"));
    find(&md, "](timeline.svg)");
    find(&md, "[Slack drafts](slack.md)");
    assert_eq!(raw_html(&md), Vec::<String>::new(), "{md}");
}

/// The readiness verdict is decided once, in the Timeline: the MagicBox, its paste-ready copy,
/// the overview and the drafts teams act on all carry the same verdict and reason.
#[test]
fn the_same_verdict_reaches_the_magicbox_the_overview_and_the_drafts() {
    let out = tempfile::tempdir().unwrap();
    build_examples(out.path());
    let release = out.path().join("wiki/releases/1.14.0");
    let reason = "1 release blocker: Kafka channel delivers events in order (failed on RC1); 1 test blocked on RC1.";
    let magicbox = read(release.join("magicbox.md"));
    find(
        &magicbox,
        &format!("<strong>RC2: blocked.</strong> {reason}</p>"),
    );
    let paste = read(release.join("MagicBox-1.14.0.md"));
    find(&paste, &format!("**RC2: blocked.** {reason}"));
    let overview = read(out.path().join("wiki/index.md"));
    find(
        &overview,
        "<span class=\"verdict-blocked\">RC2: blocked</span>",
    );
    find(&overview, reason);
    for draft in ["approvals", "failing-tests"] {
        let text = read(release.join(format!("slack/{draft}.md")));
        find(&text, &format!(":red_circle: *RC2: blocked.* {reason}"));
    }
}
