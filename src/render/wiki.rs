//! The mdBook source: SUMMARY, overview, calendar page, and each release's MagicBox with its
//! timeline and progress pictures.
//!
//! Templates receive plan text raw and escape it for its place: `md_escape` in Markdown and
//! table cells, `md_url` in link destinations, `markdown` for Markdown fields (safe HTML that
//! stays one block in an mdBook page). Dates, counts and page links are prepared here, so
//! templates hold layout only.

use jiff::Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::markdown::{escape_html, md_url};
use super::{Context, Files, TemplateError, paths, svg};
use crate::model::{Moment, Person, Plans, Status, TeamId};
use crate::plan::changes::Change;
use crate::plan::format::{
    days_away, iso_date, iso_date_time_with_zone, iso_date_utc_time, iso_moment, long_date,
    long_moment, month_year, relative_day, short_weekday, time_range_with_zone, time_with_zone,
    weekday, weekday_iso_date, weekday_iso_moment,
};
use crate::plan::format::{shift, weekday_date, weekday_moment};
use crate::plan::{Counts, Meeting, Readiness, ReleaseStatus, ReleaseTimeline, days_between};
use crate::policy::AGENDA_WINDOW_DAYS;

/// The progress picture of one candidate's manual tests, beside the MagicBox.
pub fn progress_svg(version: &str, candidate: &str) -> String {
    format!("releases/{version}/manual-tests-{candidate}.svg")
}

/// How many upcoming Scrum of Scrums meetings a MagicBox lists.
const NEXT_MEETINGS: usize = 3;

pub fn render_release(ctx: &Context, release: &ReleaseTimeline) -> Result<Files, TemplateError> {
    let today = release.today;
    let mut files = Files::default();
    files.insert(
        paths::magicbox(&release.version),
        ctx.templates
            .render("wiki/magicbox.md", &MagicBox::new(ctx, release, false))?,
    );
    // The same page without HTML, for pasting into another wiki.
    files.insert(
        paths::paste_ready_magicbox(&release.version),
        ctx.templates
            .render("wiki/magicbox.md", &MagicBox::new(ctx, release, true))?,
    );
    files.insert(
        paths::timeline_svg(&release.version),
        svg::timeline(release, today),
    );
    for (i, candidate) in release.release.schedule.candidates.iter().enumerate() {
        let name = &candidate.name.value;
        let rows: Vec<(String, Counts)> = release
            .tests
            .by_team
            .iter()
            .map(|(team, counts)| (team_name(ctx.plans, team), counts[i]))
            .chain(std::iter::once((
                "All teams".to_owned(),
                release.tests.totals[i],
            )))
            .collect();
        let title = format!(
            "Manual tests of {} {}",
            release.version,
            name.to_uppercase()
        );
        files.insert(
            progress_svg(&release.version, name),
            svg::progress(&title, &rows),
        );
    }
    Ok(files)
}

pub fn render_shared(ctx: &Context) -> Result<Files, TemplateError> {
    let mut files = Files::default();
    let summary = Summary::new(ctx);
    files.insert(
        paths::SUMMARY,
        ctx.templates.render("wiki/SUMMARY.md", &summary)?,
    );
    files.insert(
        paths::OVERVIEW,
        ctx.templates
            .render("wiki/overview.md", &Overview::new(ctx))?,
    );
    files.insert(
        paths::CALENDAR_PAGE,
        ctx.templates
            .render("wiki/calendar.md", &CalendarPage::new(ctx))?,
    );
    Ok(files)
}

// ---------------------------------------------------------------------------------------------
// Escaping and formatting shared by the pages.

fn in_zone(z: &Zoned, tz: &TimeZone) -> Zoned {
    z.with_time_zone(tz.clone())
}

fn team_name(plans: &Plans, id: &TeamId) -> String {
    plans
        .team(id)
        .map_or_else(|| id.0.clone(), |t| t.name.clone())
}

/// Plan text for an HTML block of an mdBook page: escaped for HTML, and brackets and braces
/// as character references, so that mdBook finds no link and no directive in it.
fn html_text(text: &str) -> String {
    escape_html(text)
        .replace('[', "&#91;")
        .replace(']', "&#93;")
        .replace('{', "&#123;")
        .replace('}', "&#125;")
}

/// A page path relative to the release's folder (`releases/1.14.0/x` → `x`).
fn beside(version: &str, path: &str) -> String {
    let dir = format!("{}/", paths::release_dir(version));
    path.strip_prefix(&dir).unwrap_or(path).to_owned()
}

// ---------------------------------------------------------------------------------------------
// The MagicBox.

#[derive(Serialize)]
struct MagicBox {
    /// The Markdown to paste into another wiki: no HTML, absolute links when the site URL is
    /// known (the same template renders both pages).
    paste_ready: bool,
    /// The paste-ready file, beside the page (for the copy button).
    paste_file: String,
    version: String,
    codename: Option<String>,
    /// `planned`, `in-progress` or `released`.
    status: ReleaseStatus,
    status_label: &'static str,
    timezone: String,
    branch: String,
    today: String,
    /// The release is over: the page says so instead of "as of today".
    settled: bool,
    next: Option<NextMilestone>,
    glance: Glance,
    /// The timeline picture's text alternative: each milestone and its day.
    timeline_alt: String,
    /// Sibling files, relative to the page (absolute in the paste-ready page when the site
    /// URL is known).
    timeline_svg: String,
    workbook: String,
    calendar_ics: String,
    calendar_subscribe: Option<String>,
    drafts_page: String,
    milestones: Vec<MilestoneRow>,
    /// Milestones (events) with a Markdown description.
    descriptions: Vec<Description>,
    people: Vec<PersonRow>,
    channels: Vec<ChannelRow>,
    test_environment: Option<TestEnvironmentView>,
    manual_tests: ManualTests,
    pull_requests: PullRequests,
    failing: Vec<FailingTeamGroup>,
    failing_count: usize,
    scrum_of_scrums: ScrumOfScrums,
    /// Markdown.
    notes: Option<String>,
    /// What the plans' git history records, newest first; empty without history.
    schedule_changes: Vec<ScheduleChangeRow>,
}

/// One change that landed: when its commit was made, and what it changed.
#[derive(Serialize)]
struct ScheduleChangeRow {
    /// The commit's day, in the release's zone: `Fri 20 Nov 2026`.
    date: String,
    title: String,
    /// `moved`, `renamed` or `removed`.
    change: &'static str,
    before: String,
    now: String,
    /// How far it moved (`+2 days`); empty for other changes.
    shift: String,
}

fn schedule_change_rows(
    ctx: &Context,
    r: &ReleaseTimeline,
    tz: &TimeZone,
) -> Vec<ScheduleChangeRow> {
    ctx.timeline
        .history
        .of_release(&r.version)
        .into_iter()
        .map(|e| {
            let m = &e.change;
            let (change, before, now, moved) = match &m.change {
                Change::Moved {
                    from,
                    to,
                    days,
                    minutes,
                } => (
                    "moved",
                    weekday_moment(from, tz),
                    weekday_moment(to, tz),
                    shift(*days, *minutes),
                ),
                Change::Retitled { from } => {
                    ("renamed", from.clone(), m.title.clone(), String::new())
                }
                Change::Removed { when } => (
                    "removed",
                    weekday_moment(when, tz),
                    "cancelled".to_owned(),
                    String::new(),
                ),
                Change::Added { when } => (
                    "added back",
                    "cancelled".to_owned(),
                    weekday_moment(when, tz),
                    String::new(),
                ),
            };
            ScheduleChangeRow {
                date: weekday_date(e.at.to_zoned(tz.clone()).date()),
                title: m.title.clone(),
                change,
                before,
                now,
                shift: moved,
            }
        })
        .collect()
}

/// The first screen: where the release stands, what is open and the verdict. Fields ending
/// in `_html` are escaped for the page's HTML block; the others go through `md_escape`.
#[derive(Serialize)]
struct Glance {
    /// `Thu 10 Dec 2026`
    release_date: String,
    /// Whole days from today to the release day (negative once released).
    days_to_release: i32,
    /// `14 days to go`, `release day`, `released 3 days ago`.
    countdown: String,
    deadline: Option<GlanceDeadline>,
    /// The next milestone is that deadline: the status line need not name it again.
    next_is_deadline: bool,
    /// Release blockers, failing tests, approvals, tests not run: in that order.
    counts: Vec<GlanceCount>,
    readiness: Readiness,
    reason_html: String,
}

#[derive(Serialize)]
struct GlanceDeadline {
    title: String,
    title_html: String,
    /// The page anchor: the milestone's row on the page, the key dates in the paste-ready one.
    anchor: String,
    /// `Monday 30 November 2026, 16:00 CET`
    when: String,
    /// `in 4 days`
    days_away: String,
}

#[derive(Serialize)]
struct GlanceCount {
    /// `blockers`, `failing-tests`, `approvals`, `not-run`: its `data-glance` name.
    key: &'static str,
    count: usize,
    /// The count as shown: none when there is nothing to count (no candidate out yet).
    number: Option<usize>,
    /// `release blockers`, or the whole text when there is no number (`RC1 not out yet`).
    label: String,
    /// The section's heading anchor.
    anchor: &'static str,
}

/// Heading anchors of the sections the counts link to, as mdBook, GitHub and GitLab derive
/// them from the headings' text.
const BLOCKERS_ANCHOR: &str = "release-blockers";
const FAILING_ANCHOR: &str = "failing-tests";
const APPROVALS_ANCHOR: &str = "pull-requests-waiting-for-approval";
const MANUAL_TESTS_ANCHOR: &str = "manual-testing";
const KEY_DATES_ANCHOR: &str = "key-dates";

impl Glance {
    fn new(r: &ReleaseTimeline, paste_ready: bool) -> Glance {
        let tz = &r.release.timezone;
        let release_day = r.release.schedule.release.value;
        let days = days_between(r.today, release_day);
        let countdown = match days {
            1 => "1 day to go".to_owned(),
            d if d > 1 => format!("{d} days to go"),
            0 => "release day".to_owned(),
            // A settled release is planned as of the day it settled: "8 days ago" would be
            // true of that day only.
            _ if r.settled => "released".to_owned(),
            d => format!("released {}", relative_day(d)),
        };
        let deadline = r.readiness.deadline.map(|i| {
            let m = &r.milestones[i];
            GlanceDeadline {
                title: m.title.clone(),
                title_html: html_text(&m.title),
                anchor: if paste_ready {
                    KEY_DATES_ANCHOR.to_owned()
                } else {
                    m.slug().to_owned()
                },
                when: long_moment(&m.when, tz),
                days_away: relative_day(m.days),
            }
        });
        let candidates = &r.release.schedule.candidates;
        let tested = r.tested_candidate();
        let not_run = match candidates.get(tested) {
            Some(c) if c.date.value <= r.today => {
                let n = r.tests.totals[tested].of(Status::NotRun) as usize;
                let title = c.name.value.to_uppercase();
                (
                    Some(n),
                    format!(
                        "{} on {title}",
                        plural_word(n, "test not run", "tests not run")
                    ),
                )
            }
            Some(c) => (None, format!("{} not out yet", c.name.value.to_uppercase())),
            None => (None, "no candidate planned".to_owned()),
        };
        let count = |key, n: usize, one, many, anchor| GlanceCount {
            key,
            count: n,
            number: Some(n),
            label: plural_word(n, one, many).to_owned(),
            anchor,
        };
        Glance {
            release_date: weekday_date(release_day),
            days_to_release: days,
            countdown,
            deadline,
            next_is_deadline: r.next.is_some() && r.next == r.readiness.deadline,
            counts: vec![
                count(
                    "blockers",
                    r.tests.blockers.len(),
                    "release blocker",
                    "release blockers",
                    BLOCKERS_ANCHOR,
                ),
                count(
                    "failing-tests",
                    r.failing.len(),
                    "failing test",
                    "failing tests",
                    FAILING_ANCHOR,
                ),
                count(
                    "approvals",
                    r.pending_approvals.len(),
                    "pull request waiting for approval",
                    "pull requests waiting for approval",
                    APPROVALS_ANCHOR,
                ),
                GlanceCount {
                    key: "not-run",
                    count: not_run.0.unwrap_or(0),
                    number: not_run.0,
                    label: not_run.1,
                    anchor: MANUAL_TESTS_ANCHOR,
                },
            ],
            reason_html: html_text(&r.readiness.reason),
            readiness: r.readiness.clone(),
        }
    }
}

fn plural_word<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `Timeline of 1.14.0: Freeze Mon 16 Nov, RC1 Wed 18 Nov, …`: what the picture shows, for
/// readers who cannot see it.
fn timeline_alt(r: &ReleaseTimeline) -> String {
    let tz = &r.release.timezone;
    let days: Vec<String> = r
        .milestones
        .iter()
        .map(|m| {
            let day = match &m.when {
                Moment::Day(d) => *d,
                Moment::At(z) => in_zone(z, tz).date(),
            };
            format!("{} {}", m.title, day.strftime("%a %-d %b"))
        })
        .collect();
    format!("Timeline of {}: {}", r.version, days.join(", "))
}

#[derive(Serialize)]
struct NextMilestone {
    title: String,
    title_html: String,
    anchor: String,
    when: String,
    days: i32,
    days_away: String,
}

#[derive(Serialize)]
struct MilestoneRow {
    /// Anchor on the page: the slug of the milestone id (`rc2`).
    anchor: String,
    id: String,
    kind: &'static str,
    title: String,
    weekday: String,
    /// In the release's zone; whole days say `all day`.
    local: String,
    utc: String,
    past: bool,
    next: bool,
    /// `past`, `today`, `next`, or `in N days`.
    state: String,
}

#[derive(Serialize)]
struct Description {
    anchor: String,
    title: String,
    date: String,
    /// Markdown.
    description: String,
}

#[derive(Serialize)]
struct PersonRow {
    role: &'static str,
    name: String,
    github: Option<String>,
    github_href: Option<String>,
    team: Option<String>,
}

#[derive(Serialize)]
struct ChannelRow {
    purpose: &'static str,
    name: String,
}

#[derive(Serialize)]
struct TestEnvironmentView {
    url: String,
    /// Markdown.
    access: Option<String>,
    ready: Option<String>,
    ready_days_away: Option<String>,
}

#[derive(Serialize)]
struct ManualTests {
    /// Tests in this release (skipped ones left out).
    tests: usize,
    skipped_in_release: usize,
    blockers: Vec<ResultRow>,
    /// Failed and blocked results that are not release blockers.
    problems: Vec<ResultRow>,
    /// The candidate under test once it is out, then the others with results, latest first.
    shown: Vec<CandidateTests>,
    /// Candidates without any result, in order: one line on the page.
    not_started: Vec<NotStarted>,
}

#[derive(Serialize)]
struct NotStarted {
    title: String,
    /// `Tue 1 Dec 2026`
    date: String,
}

#[derive(Serialize)]
struct ResultRow {
    test: String,
    title: String,
    team: String,
    candidate: String,
    status: &'static str,
    /// A later candidate's result: `passed on RC2`.
    later: Option<String>,
    tester: Option<String>,
    note: Option<String>,
    issue: Option<String>,
}

#[derive(Serialize)]
struct CandidateTests {
    name: String,
    title: String,
    date: String,
    /// `8 of 9 run, 1 failed`
    summary: String,
    progress_svg: String,
    teams: Vec<TeamCounts>,
    total: Counts,
    done: u32,
    percent_done: u32,
}

#[derive(Serialize)]
struct TeamCounts {
    team: String,
    id: String,
    counts: Counts,
    /// Passed or skipped.
    done: u32,
    percent_done: u32,
}

#[derive(Serialize)]
struct PullRequests {
    pending: Vec<PullRequestRow>,
    total: usize,
    approved: usize,
}

#[derive(Serialize)]
struct PullRequestRow {
    title: String,
    url: String,
    teams: Vec<String>,
    approved_by: Vec<String>,
    waiting_for: Vec<String>,
}

#[derive(Serialize)]
struct FailingTeamGroup {
    team: String,
    id: String,
    tests: Vec<FailingRow>,
}

#[derive(Serialize)]
struct FailingRow {
    name: String,
    link: Option<String>,
    since: String,
    days: i32,
    note: Option<String>,
}

#[derive(Serialize)]
struct ScrumOfScrums {
    /// The next meetings, today's included.
    next: Vec<MeetingRow>,
    total: usize,
    remaining: usize,
    every_weeks: Option<u32>,
}

#[derive(Serialize)]
struct MeetingRow {
    date: String,
    weekday: String,
    time: String,
    utc: String,
    days_away: String,
}

fn person_row(plans: &Plans, role: &'static str, person: &Person) -> PersonRow {
    let github = person.github.clone();
    let github_href = github
        .as_deref()
        .filter(|login| {
            !login.is_empty()
                && login
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .and_then(|login| md_url(&format!("https://github.com/{login}")));
    // A Slack member id means nothing to a reader; it stands in only for a missing name.
    let name = if person.name.trim().is_empty() {
        person.slack.clone().unwrap_or_default()
    } else {
        person.name.clone()
    };
    PersonRow {
        role,
        name,
        github,
        github_href,
        team: person.team.as_ref().map(|t| team_name(plans, t)),
    }
}

/// A milestone's date and time in the release's zone and in UTC. A whole day has no UTC
/// instant: it is the same date everywhere, so the UTC column shows the date alone.
fn milestone_times(when: &Moment, tz: &TimeZone) -> (String, String, String) {
    match when {
        Moment::Day(d) => {
            let date = iso_date(*d);
            (weekday(*d), format!("{date} (all day)"), date)
        }
        Moment::At(z) => {
            let z = in_zone(z, tz);
            (
                weekday(z.date()),
                iso_date_time_with_zone(&z),
                iso_date_utc_time(&z),
            )
        }
    }
}

impl MagicBox {
    fn new(ctx: &Context, r: &ReleaseTimeline, paste_ready: bool) -> MagicBox {
        let today = r.today;
        let plans = ctx.plans;
        let release = r.release;
        let tz = &release.timezone;
        let v = &r.version;

        let next = r.next_milestone().map(|m| NextMilestone {
            title: m.title.clone(),
            title_html: html_text(&m.title),
            anchor: m.slug().to_owned(),
            when: long_moment(&m.when, tz),
            days: m.days,
            days_away: relative_day(m.days),
        });
        let milestones = r
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let (weekday, local, utc) = milestone_times(&m.when, tz);
                let is_next = r.next == Some(i);
                MilestoneRow {
                    anchor: m.slug().to_owned(),
                    id: m.id.to_string(),
                    kind: m.kind.name(),
                    title: m.title.clone(),
                    weekday,
                    local,
                    utc,
                    past: m.past,
                    next: is_next,
                    state: m.state_word(),
                }
            })
            .collect();
        let descriptions = r
            .milestones
            .iter()
            .filter_map(|m| {
                let md = m.description.as_deref()?;
                Some(Description {
                    anchor: m.slug().to_owned(),
                    title: m.title.clone(),
                    date: long_moment(&m.when, tz),
                    description: md.to_owned(),
                })
            })
            .collect();

        let people_cfg = &release.people;
        let mut people = Vec::new();
        if let Some(p) = &people_cfg.release_manager {
            people.push(person_row(plans, "Release Manager", p));
        }
        people.push(person_row(
            plans,
            "Release Master",
            &people_cfg.release_master,
        ));
        if let Some(p) = &people_cfg.scrum_master {
            people.push(person_row(plans, "Scrum Master", p));
        }
        let mut channels = vec![ChannelRow {
            purpose: "Internal: deadlines, candidates, approvals, failing tests",
            name: release.channels.internal.clone(),
        }];
        if let Some(c) = &release.channels.community {
            channels.push(ChannelRow {
                purpose: "Community: the release announcement",
                name: c.clone(),
            });
        }

        let test_environment = release
            .test_environment
            .as_ref()
            .map(|env| TestEnvironmentView {
                url: env.url.clone(),
                access: env.access.clone(),
                ready: env.ready.as_ref().map(|m| long_moment(m, tz)),
                ready_days_away: env.ready.as_ref().map(|m| days_away(today, m.date())),
            });

        let scrum_of_scrums = {
            let upcoming = r.upcoming_meetings();
            ScrumOfScrums {
                next: upcoming
                    .iter()
                    .take(NEXT_MEETINGS)
                    .map(|m| meeting_row(m, tz))
                    .collect(),
                total: r.scrum_of_scrums.len(),
                remaining: upcoming.len(),
                every_weeks: release.scrum_of_scrums.as_ref().map(|s| s.every_weeks),
            }
        };

        let mut failing: Vec<FailingTeamGroup> = Vec::new();
        for f in &r.failing {
            let row = FailingRow {
                name: f.test.name.clone(),
                link: f.test.link.clone(),
                since: iso_moment(&f.test.since, tz),
                days: f.days,
                note: f.test.note.clone(),
            };
            match failing.last_mut() {
                Some(t) if t.id == f.test.team.0 => t.tests.push(row),
                _ => failing.push(FailingTeamGroup {
                    team: team_name(plans, &f.test.team),
                    id: f.test.team.0.clone(),
                    tests: vec![row],
                }),
            }
        }

        // The paste-ready page lands in another wiki: its links to the site's files are
        // absolute when the site's URL is known.
        let link = |path: &str, site_path: &str| match ctx.site_link(site_path) {
            Some(url) if paste_ready => url,
            _ => beside(v, path),
        };
        let paste_file = beside(v, &paths::paste_ready_magicbox(v));
        MagicBox {
            paste_ready,
            paste_file,
            version: v.clone(),
            codename: release.codename.clone(),
            status: r.status,
            status_label: r.status.label(),
            timezone: release.timezone_name.clone(),
            branch: release.branch.clone(),
            today: long_date(today),
            settled: r.settled,
            next,
            glance: Glance::new(r, paste_ready),
            timeline_alt: timeline_alt(r),
            timeline_svg: link(&paths::timeline_svg(v), &paths::timeline_svg(v)),
            workbook: link(&paths::workbook(v), &paths::workbook(v)),
            calendar_ics: link(&paths::release_ics(v), &paths::release_ics(v)),
            calendar_subscribe: ctx.site_link(&paths::release_ics(v)),
            drafts_page: link(&paths::drafts_page(v), &paths::html(&paths::drafts_page(v))),
            milestones,
            descriptions,
            people,
            channels,
            test_environment,
            manual_tests: manual_tests(plans, r, &link),
            pull_requests: pull_requests(plans, r),
            failing_count: r.failing.len(),
            failing,
            scrum_of_scrums,
            notes: release.notes.clone(),
            schedule_changes: schedule_change_rows(ctx, r, tz),
        }
    }
}

fn meeting_row(m: &Meeting, tz: &TimeZone) -> MeetingRow {
    let (z, end) = (in_zone(&m.start, tz), in_zone(&m.end, tz));
    MeetingRow {
        date: iso_date(z.date()),
        weekday: weekday(z.date()),
        time: time_range_with_zone(&z, &end),
        utc: iso_date_utc_time(&z),
        days_away: relative_day(m.days),
    }
}

fn manual_tests(
    plans: &Plans,
    r: &ReleaseTimeline,
    link: &dyn Fn(&str, &str) -> String,
) -> ManualTests {
    let candidates = &r.release.schedule.candidates;
    let blockers: Vec<ResultRow> = r
        .tests
        .blockers
        .iter()
        .map(|b| {
            let result = r.release.result(&b.test.id, &b.candidate);
            ResultRow {
                test: b.test.id.0.clone(),
                title: b.test.title.clone(),
                team: team_name(plans, &b.test.team),
                candidate: b.candidate.to_uppercase(),
                status: Status::Failed.label(),
                later: None,
                tester: result.and_then(|x| x.tester.clone()),
                note: result.and_then(|x| x.note.clone()),
                issue: b.test.issue.clone(),
            }
        })
        .collect();
    let problems = r
        .tests
        .problems
        .iter()
        .filter(|p| !p.blocker)
        .map(|p| {
            let name = &candidates[p.candidate].name.value;
            let result = r.release.result(&p.test.id, name);
            // What became of it on a later candidate: the latest result recorded there.
            let later = r
                .tests
                .rows
                .iter()
                .find(|row| row.test.id == p.test.id)
                .and_then(|row| {
                    let (i, status) = row
                        .statuses
                        .iter()
                        .enumerate()
                        .skip(p.candidate + 1)
                        .rfind(|(_, s)| **s != Status::NotRun)?;
                    Some(format!(
                        "{} on {}",
                        status.label(),
                        candidates[i].name.value.to_uppercase()
                    ))
                });
            ResultRow {
                test: p.test.id.0.clone(),
                title: p.test.title.clone(),
                team: team_name(plans, &p.test.team),
                candidate: name.to_uppercase(),
                status: p.status.label(),
                later,
                tester: result.and_then(|x| x.tester.clone()),
                note: result.and_then(|x| x.note.clone()),
                issue: p.test.issue.clone(),
            }
        })
        .collect();
    let v = &r.version;
    let tested = r.tested_candidate();
    let mut current = None;
    let mut earlier = Vec::new();
    let mut not_started = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let name = &c.name.value;
        let total = r.tests.totals[i];
        let out = c.date.value <= r.today;
        let started = total.of(Status::NotRun) < total.total();
        let is_current = i == tested && out;
        if !started && !is_current {
            not_started.push(NotStarted {
                title: name.to_uppercase(),
                date: weekday_date(c.date.value),
            });
            continue;
        }
        let progress = progress_svg(v, name);
        let view = CandidateTests {
            name: name.clone(),
            title: name.to_uppercase(),
            date: iso_date(c.date.value),
            summary: run_summary(&total),
            progress_svg: link(&progress, &progress),
            teams: r
                .tests
                .by_team
                .iter()
                .map(|(team, counts)| TeamCounts {
                    team: team_name(plans, team),
                    id: team.0.clone(),
                    counts: counts[i],
                    done: counts[i].done(),
                    percent_done: counts[i].percent_done(),
                })
                .collect(),
            total,
            done: total.done(),
            percent_done: total.percent_done(),
        };
        if is_current {
            current = Some(view);
        } else {
            earlier.push(view);
        }
    }
    // The latest first: that is the one people compare with.
    earlier.reverse();
    let shown = current.into_iter().chain(earlier).collect();
    ManualTests {
        tests: r.tests.rows.len(),
        skipped_in_release: r.release.skip.len(),
        blockers,
        problems,
        shown,
        not_started,
    }
}

/// `8 of 9 run, 1 failed, 1 blocked`: run is passed or failed; the other statuses follow
/// when there are any.
fn run_summary(c: &Counts) -> String {
    let run = c.of(Status::Passed) + c.of(Status::Failed);
    let mut out = format!("{run} of {} run", c.total());
    for status in [Status::Failed, Status::Blocked, Status::Skipped] {
        let n = c.of(status);
        if n > 0 {
            out.push_str(&format!(", {n} {}", status.label()));
        }
    }
    out
}

fn pull_requests(plans: &Plans, r: &ReleaseTimeline) -> PullRequests {
    let names = |ids: &[TeamId]| ids.iter().map(|t| team_name(plans, t)).collect();
    PullRequests {
        pending: r
            .pending_approvals
            .iter()
            .map(|p| PullRequestRow {
                title: p.pull_request.title.clone(),
                url: p.pull_request.url.clone(),
                teams: names(&p.pull_request.teams),
                approved_by: names(&p.pull_request.approved_by),
                waiting_for: names(&p.waiting_for),
            })
            .collect(),
        total: r.release.pull_requests.len(),
        approved: r.release.pull_requests.len() - r.pending_approvals.len(),
    }
}

// ---------------------------------------------------------------------------------------------
// SUMMARY, overview and calendar.

/// The order releases are listed in, in the sidebar and on the overview alike: in progress,
/// then planned (soonest first), then released (latest first). Active releases are what
/// people come for.
fn display_order<'t, 'p>(ctx: &'t Context) -> Vec<&'t ReleaseTimeline<'p>>
where
    't: 'p,
{
    let mut ordered: Vec<&ReleaseTimeline> = ctx.timeline.releases.iter().collect();
    ordered.sort_by(|a, b| {
        let rank = |r: &ReleaseTimeline| match r.status {
            ReleaseStatus::InProgress => 0,
            ReleaseStatus::Planned => 1,
            ReleaseStatus::Released => 2,
        };
        rank(a).cmp(&rank(b)).then_with(|| {
            if a.status == ReleaseStatus::Released {
                b.release.version.value.cmp(&a.release.version.value)
            } else {
                a.release.version.value.cmp(&b.release.version.value)
            }
        })
    });
    ordered
}

#[derive(Serialize)]
struct Summary {
    overview: &'static str,
    calendar: &'static str,
    releases: Vec<SummaryRelease>,
}

#[derive(Serialize)]
struct SummaryRelease {
    version: String,
    codename: Option<String>,
    magicbox: String,
    drafts_page: String,
}

impl Summary {
    fn new(ctx: &Context) -> Summary {
        Summary {
            overview: paths::OVERVIEW,
            calendar: paths::CALENDAR_PAGE,
            releases: display_order(ctx)
                .into_iter()
                .map(|r| SummaryRelease {
                    version: r.version.clone(),
                    codename: r.release.codename.clone(),
                    magicbox: paths::magicbox(&r.version),
                    drafts_page: paths::drafts_page(&r.version),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Overview {
    today: String,
    releases: Vec<OverviewRow>,
    drafts: Vec<DraftRow>,
    drafts_window_days: u16,
    calendar_ics: &'static str,
    calendar_subscribe: Option<String>,
    calendar_page: &'static str,
}

#[derive(Serialize)]
struct OverviewRow {
    version: String,
    codename: Option<String>,
    status: ReleaseStatus,
    status_label: &'static str,
    magicbox: String,
    next: Option<String>,
    next_anchor: Option<String>,
    next_when: Option<String>,
    next_days_away: Option<String>,
    release_date: String,
    /// `14 days to go`, `released 3 days ago`.
    countdown: String,
    /// The next deadline teams act on, with its anchor on the MagicBox.
    deadline: Option<String>,
    deadline_anchor: Option<String>,
    deadline_when: Option<String>,
    readiness: Readiness,
    blockers: usize,
    pending_approvals: usize,
    failing_tests: usize,
}

#[derive(Serialize)]
struct DraftRow {
    version: String,
    /// Also the anchor of the draft on the drafts page (its heading).
    id: String,
    channel: String,
    due: String,
    days_away: String,
    overdue: bool,
    drafts_page: String,
}

impl Overview {
    fn new(ctx: &Context) -> Overview {
        let today = ctx.timeline.today;
        let ordered = display_order(ctx);
        let releases = ordered
            .iter()
            .map(|r| {
                let next = r.next_milestone();
                let deadline = r.readiness.deadline.map(|i| &r.milestones[i]);
                OverviewRow {
                    version: r.version.clone(),
                    codename: r.release.codename.clone(),
                    status: r.status,
                    status_label: r.status.label(),
                    magicbox: paths::magicbox(&r.version),
                    next: next.map(|m| m.title.clone()),
                    next_anchor: next.map(|m| m.slug().to_owned()),
                    next_when: next.map(|m| weekday_iso_moment(&m.when, &r.release.timezone)),
                    next_days_away: next.map(|m| days_away(today, m.date())),
                    release_date: weekday_date(r.release.schedule.release.value),
                    countdown: Glance::new(r, false).countdown,
                    deadline: deadline.map(|m| m.title.clone()),
                    deadline_anchor: deadline.map(|m| m.slug().to_owned()),
                    deadline_when: deadline.map(|m| {
                        format!(
                            "{} ({})",
                            weekday_iso_moment(&m.when, &r.release.timezone),
                            days_away(today, m.date())
                        )
                    }),
                    readiness: r.readiness.clone(),
                    blockers: r.tests.blockers.len(),
                    pending_approvals: r.pending_approvals.len(),
                    failing_tests: r.failing.len(),
                }
            })
            .collect();
        let until = today
            .checked_add(jiff::Span::new().days(AGENDA_WINDOW_DAYS))
            .unwrap_or(today);
        let drafts = ctx
            .timeline
            .agenda(until)
            .into_iter()
            .map(|a| (a.release, a.draft))
            .map(|(r, d)| DraftRow {
                version: r.version.clone(),
                id: d.kind.id(),
                channel: d.channel.clone(),
                due: weekday_iso_date(d.due),
                days_away: days_away(today, d.due),
                overdue: d.due < today,
                drafts_page: paths::drafts_page(&r.version),
            })
            .collect();
        Overview {
            today: long_date(today),
            releases,
            drafts,
            drafts_window_days: AGENDA_WINDOW_DAYS,
            calendar_ics: paths::CALENDAR_ICS,
            calendar_subscribe: ctx.site_link(paths::CALENDAR_ICS),
            calendar_page: paths::CALENDAR_PAGE,
        }
    }
}

#[derive(Serialize)]
struct CalendarPage {
    today: String,
    calendar_ics: &'static str,
    calendar_subscribe: Option<String>,
    upcoming: Vec<Month>,
    past: Vec<Month>,
    past_count: usize,
}

#[derive(Serialize)]
struct Month {
    title: String,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    date: String,
    weekday: String,
    time: String,
    version: String,
    title: String,
    kind: &'static str,
    /// The MagicBox, with the milestone's anchor when it has one.
    link: String,
    past: bool,
    today: bool,
}

impl CalendarPage {
    fn new(ctx: &Context) -> CalendarPage {
        let today = ctx.timeline.today;
        // (start instant, version order, id): one order for every zone.
        let mut all: Vec<(jiff::Timestamp, usize, String, Date, Entry)> = Vec::new();
        for (ri, r) in ctx.timeline.releases.iter().enumerate() {
            let tz = &r.release.timezone;
            let page = paths::magicbox(&r.version);
            for m in &r.milestones {
                let (date, time) = match &m.when {
                    Moment::Day(d) => (*d, "all day".to_owned()),
                    Moment::At(z) => {
                        let z = in_zone(z, tz);
                        (z.date(), time_with_zone(&z))
                    }
                };
                all.push((
                    m.start,
                    ri,
                    m.id.to_string(),
                    date,
                    Entry {
                        date: iso_date(date),
                        weekday: short_weekday(date),
                        time,
                        version: r.version.clone(),
                        title: m.title.clone(),
                        kind: m.kind.name(),
                        link: format!("{page}#{}", m.slug()),
                        past: m.past,
                        today: date == today,
                    },
                ));
            }
            for m in &r.scrum_of_scrums {
                let row = meeting_row(m, tz);
                let date = in_zone(&m.start, tz).date();
                all.push((
                    m.start.timestamp(),
                    ri,
                    m.id.to_string(),
                    date,
                    Entry {
                        date: row.date,
                        weekday: short_weekday(date),
                        time: row.time,
                        version: r.version.clone(),
                        title: "Scrum of Scrums".to_owned(),
                        kind: Meeting::SERIES_SLUG,
                        link: format!("{page}#{}", Meeting::SERIES_SLUG),
                        past: m.past,
                        today: date == today,
                    },
                ));
            }
        }
        all.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        let mut upcoming: Vec<Month> = Vec::new();
        let mut past: Vec<Month> = Vec::new();
        let mut past_count = 0;
        for (_, _, _, date, entry) in all {
            let title = month_year(date);
            let months = if entry.past {
                past_count += 1;
                &mut past
            } else {
                &mut upcoming
            };
            match months.last_mut() {
                Some(m) if m.title == title => m.entries.push(entry),
                _ => months.push(Month {
                    title,
                    entries: vec![entry],
                }),
            }
        }
        // The most recent past month first: that is what people look back at.
        past.reverse();
        for m in &mut past {
            m.entries.reverse();
        }
        CalendarPage {
            today: long_date(today),
            calendar_ics: paths::CALENDAR_ICS,
            calendar_subscribe: ctx.site_link(paths::CALENDAR_ICS),
            upcoming,
            past,
            past_count,
        }
    }
}
