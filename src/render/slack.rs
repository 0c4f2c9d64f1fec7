//! Slack message drafts: mrkdwn to paste and Block Kit payloads to post.
//!
//! The draft set, ids, channels and due dates come from `ReleaseTimeline::drafts`. Each draft's
//! text is a Tera template (`slack/<kind>.md`) rendered twice: once as plain mrkdwn, and once
//! for Block Kit, where dates also carry `<!date^…>` tokens. Everything taken from the plan
//! reaches the templates already escaped (or converted with `to_mrkdwn`), and mentions are
//! offered as separate fields, so only a template decides who is pinged.

use jiff::Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::blockkit::{self, ellipsize_at_word};
pub use super::blockkit::{
    Block, MAX_BLOCKS, MAX_BLOCKS_TEXT, MAX_HEADER_TEXT, MAX_MESSAGE_TEXT, MAX_SECTION_TEXT,
    Payload, TextObject,
};
pub use super::markdown::slack_link;
use super::markdown::{escape_html, escape_markdown, escape_slack, slack_url, to_mrkdwn};
use super::{Context, Files, TemplateError, paths};
use crate::model::{Moment, Person, Status, TeamId};
use crate::plan::format::{
    clock_time, iso_date, iso_date_time_offset, utc_time, weekday_date, weekday_date_utc_time,
    zone_abbreviation,
};
use crate::plan::{Counts, DraftDue, DraftKind, MilestoneKind, ReleaseTimeline, Verdict};

/// Registers the filters and functions the draft templates use:
/// `slack_link(url=…, text=…)` makes `<url|text>` for an http(s) URL, and `text (`url`)` for
/// any other address a plan gives, which Slack could not open. Both arguments are made inert
/// again, whether they come escaped (as every value of the context does) or not.
pub fn register(tera: &mut tera::Tera) {
    tera.register_function("slack_link", |kw: tera::Kwargs, _: &tera::State| {
        let url: String = kw.must_get("url")?;
        let text: String = kw.must_get("text")?;
        tera::TeraResult::Ok(slack_link(&url, &text))
    });
}

/// A URL from the plan as the templates see it: encoded for Slack when it is a web address,
/// else escaped as text. Either way it can be shown as it is, or passed to `slack_link`.
fn url_text(url: &str) -> String {
    slack_url(url).unwrap_or_else(|| escape_slack(url))
}

/// The host of a URL as written (`console.example.com` of `https://console.example.com/x`),
/// or the whole text when it names none.
fn url_host(url: &str) -> &str {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    // Credentials before the host are not for a label.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host.is_empty() { url } else { host }
}

/// One rendered draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: DraftKind,
    pub channel: String,
    pub due: Date,
    /// The last day on which posting it still makes sense.
    pub last_day: Option<Date>,
    pub sent: bool,
    /// Not sent while its moment lasted.
    pub missed: bool,
    /// Slack mrkdwn, ready to paste; ends with a newline.
    pub mrkdwn: String,
    /// What `chat.postMessage` accepts.
    pub payload: Payload,
}

impl Draft {
    /// `sent`, `missed` or `to post`.
    pub fn state_word(&self) -> &'static str {
        match (self.sent, self.missed) {
            (true, _) => "sent",
            (false, true) => "missed",
            (false, false) => "to post",
        }
    }

    /// The Block Kit payload as pretty JSON, ending with a newline.
    pub fn json(&self) -> String {
        self.payload.json()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("release {version} has no draft `{id}`; its drafts are: {}", valid.join(", "))]
    Unknown {
        version: String,
        id: String,
        valid: Vec<String>,
    },
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// Every draft of a release as `.md` and `.json`, and the drafts page.
pub fn render_release(ctx: &Context, release: &ReleaseTimeline) -> Result<Files, TemplateError> {
    let mut files = Files::default();
    let mut drafts = Vec::with_capacity(release.drafts.len());
    for due in &release.drafts {
        let draft = render_draft(ctx, release, due)?;
        let v = &release.version;
        let id = draft.kind.id();
        files.insert(paths::draft(v, &id, "md"), draft.mrkdwn.clone());
        files.insert(paths::draft(v, &id, "json"), draft.json());
        drafts.push(draft);
    }
    files.insert(
        paths::drafts_page(&release.version),
        drafts_page(release, &drafts),
    );
    Ok(files)
}

/// One draft of a release, by id (`deadlines`, `cherry-pick-rc2`, …).
pub fn draft(ctx: &Context, release: &ReleaseTimeline, id: &str) -> Result<Draft, DraftError> {
    let candidates: Vec<&str> = release
        .release
        .schedule
        .candidates
        .iter()
        .map(|c| c.name.value.as_str())
        .collect();
    let kind = DraftKind::parse(id, &candidates);
    let Some(due) = release
        .drafts
        .iter()
        .find(|d| Some(&d.kind) == kind.as_ref())
    else {
        return Err(DraftError::Unknown {
            version: release.version.clone(),
            id: id.to_owned(),
            valid: release.drafts.iter().map(|d| d.kind.id()).collect(),
        });
    };
    Ok(render_draft(ctx, release, due)?)
}

fn render_draft(
    ctx: &Context,
    release: &ReleaseTimeline,
    due: &DraftDue,
) -> Result<Draft, TemplateError> {
    let template = due.kind.template();
    let pasted = ctx
        .templates
        .render(&template, &DraftContext::new(ctx, release, due, false))?;
    let posted = ctx
        .templates
        .render(&template, &DraftContext::new(ctx, release, due, true))?;
    let mrkdwn = tidy(&pasted);
    let posted = tidy(&posted);
    let drafts_page = ctx
        .site_link(&paths::html(&paths::drafts_page(&release.version)))
        .map(|url| slack_link(&url, "drafts page"));
    let payload = Payload::new(&due.channel, &mrkdwn, &posted, drafts_page.as_deref());
    // The one place every draft passes: none is written that Slack would refuse or cut.
    if let Some(reason) = blockkit::over_budget(&mrkdwn, &payload) {
        return Err(TemplateError::OverBudget {
            draft: format!("{}/{}", release.version, due.kind),
            template: ctx.templates.display_name(&template),
            reason,
        });
    }
    Ok(Draft {
        kind: due.kind.clone(),
        channel: due.channel.clone(),
        due: due.due,
        last_day: due.last_day,
        sent: due.sent,
        missed: due.missed,
        mrkdwn,
        payload,
    })
}

/// Trailing spaces off, at most one blank line in a row, one final newline: templates may be
/// loose with whitespace and still paste cleanly.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The drafts page: every draft with its channel, due date and state, and its text in a
/// preformatted block (mdBook gives it a copy button).
fn drafts_page(release: &ReleaseTimeline, drafts: &[Draft]) -> String {
    let v = &release.version;
    let mut page = format!("# Slack drafts for {}\n\n", escape_markdown(v));
    page.push_str(
        "Each draft is ready to paste into Slack; its Block Kit payload (`.json`) can be posted \
         with `chat.postMessage`. Once a draft is posted, add its id to `sent:` in the release \
         file and `herald due` stops listing it. A draft whose moment has passed unsent is \
         missed: it stays here, but `herald due` no longer lists it.\n\n",
    );
    if drafts.is_empty() {
        page.push_str("This release has no drafts.\n");
        return page;
    }
    page.push_str("| Draft | Channel | Due | State |\n| --- | --- | --- | --- |\n");
    for d in drafts {
        page.push_str(&format!(
            "| [{id}](#{anchor}) | {channel} | {due} | {state} |\n",
            id = escape_markdown(&d.kind.id()),
            anchor = d.kind,
            channel = escape_markdown(&d.channel),
            due = weekday_date(d.due),
            state = d.state_word(),
        ));
    }
    for d in drafts {
        let json_name = format!("{}.json", d.kind);
        page.push_str(&format!(
            "\n## {id}\n\nTo **{channel}**, due **{due}**{sent}. Block Kit payload: [{json}](slack/{json}).\n\n",
            id = escape_markdown(&d.kind.id()),
            channel = escape_markdown(&d.channel),
            due = weekday_date(d.due),
            sent = match (d.sent, d.missed) {
                (true, _) => ", already sent".to_owned(),
                (false, true) => format!(
                    ", missed: its moment passed on {}",
                    d.last_day.map_or_else(String::new, weekday_date)
                ),
                (false, false) => String::new(),
            },
            json = escape_markdown(&json_name),
        ));
        if let Some(note) = d.kind.poster_note() {
            page.push_str(&format!("Once posted, {}.\n\n", escape_markdown(note)));
        }
        page.push_str(&preformatted(&d.mrkdwn));
    }
    page
}

/// A preformatted block as HTML: a fence could be closed by the text, and mdBook expands
/// `{{#include}}`-style directives even inside fences, but not in braces written as entities.
/// The text reads (and copies) exactly as pasted; mdBook still gives it a copy button.
fn preformatted(text: &str) -> String {
    let mut out = String::from("<pre><code class=\"language-text\">");
    for c in escape_html(text.trim_end()).chars() {
        match c {
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            c => out.push(c),
        }
    }
    out.push_str("</code></pre>\n");
    out
}

// ---------------------------------------------------------------------------------------------
// What the templates see. Every string from the plan is escaped for Slack here.

/// A point in time as the drafts show it.
#[derive(Debug, Clone, Serialize)]
struct DraftTime {
    /// `2026-12-01`
    iso: String,
    /// `Tue 1 Dec 2026`
    day: String,
    /// `16:00`, when it is a time rather than a whole day.
    time: Option<String>,
    /// `CET`
    zone: Option<String>,
    /// `15:00 UTC` (with the day when it differs).
    utc: Option<String>,
    /// Ready to use: `*Mon 30 Nov 2026, 16:00 CET* (15:00 UTC)`, in Block Kit with a
    /// `<!date^…>` token in the reader's own time.
    text: String,
}

impl DraftTime {
    fn day(d: Date) -> DraftTime {
        DraftTime {
            iso: iso_date(d),
            day: weekday_date(d),
            time: None,
            zone: None,
            utc: None,
            text: format!("*{}*", weekday_date(d)),
        }
    }

    fn instant(z: &Zoned, tz: &TimeZone, block_kit: bool) -> DraftTime {
        let z = z.with_time_zone(tz.clone());
        let zone = zone_abbreviation(&z);
        let time = clock_time(&z);
        let utc_text = if z.with_time_zone(TimeZone::UTC).date() == z.date() {
            utc_time(&z)
        } else {
            weekday_date_utc_time(&z)
        };
        let main = format!("*{}, {time} {zone}*", weekday_date(z.date()));
        let in_utc = zone == "UTC";
        let text = match (block_kit, in_utc) {
            (false, true) => main,
            (false, false) => format!("{main} ({utc_text})"),
            (true, _) => {
                let token = format!(
                    "<!date^{}^{{date_short_pretty}} {{time}}|{}>",
                    z.timestamp().as_second(),
                    weekday_date_utc_time(&z)
                );
                if in_utc {
                    format!("{main} (your time: {token})")
                } else {
                    format!("{main} ({utc_text}; your time: {token})")
                }
            }
        };
        DraftTime {
            iso: iso_date_time_offset(&z),
            day: weekday_date(z.date()),
            time: Some(time),
            zone: Some(zone),
            utc: Some(utc_text),
            text,
        }
    }

    fn moment(m: &Moment, tz: &TimeZone, block_kit: bool) -> DraftTime {
        match m {
            Moment::Day(d) => DraftTime::day(*d),
            Moment::At(z) => DraftTime::instant(z, tz, block_kit),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct PersonInfo {
    name: String,
    /// `<@U…>` when the person has a Slack id, else the name.
    mention: String,
}

impl PersonInfo {
    fn new(p: &Person) -> PersonInfo {
        let name = escape_slack(&p.name);
        let mention = match &p.slack {
            Some(id) if is_slack_id(id, &['U', 'W']) => format!("<@{id}>"),
            _ => name.clone(),
        };
        PersonInfo { name, mention }
    }
}

#[derive(Debug, Clone, Serialize)]
struct TeamInfo {
    id: String,
    name: String,
    /// `<!subteam^S…>` when the team has a Slack user group, else the name.
    mention: String,
}

impl TeamInfo {
    fn new(ctx: &Context, id: &TeamId) -> TeamInfo {
        let team = ctx.plans.team(id);
        let name = escape_slack(team.map_or(id.0.as_str(), |t| t.name.as_str()));
        let mention = match team.and_then(|t| t.slack_group.as_deref()) {
            Some(group) if is_slack_id(group, &['S']) => format!("<!subteam^{group}>"),
            _ => name.clone(),
        };
        TeamInfo {
            id: escape_slack(&id.0),
            name,
            mention,
        }
    }
}

/// The loader checks Slack ids; checked again here because a mention is the one place where
/// a malformed id would ping the wrong people.
fn is_slack_id(id: &str, prefixes: &[char]) -> bool {
    id.starts_with(prefixes)
        && id.len() >= 3
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[derive(Debug, Serialize)]
struct DraftInfo {
    id: String,
    channel: String,
    due: DraftTime,
}

#[derive(Debug, Serialize)]
struct ReleaseInfo {
    version: String,
    codename: Option<String>,
    /// IANA zone name.
    zone: String,
    branch: String,
    /// `1.14.0 "Ulm"`, or the version alone.
    title: String,
    date: DraftTime,
    release_notes: Option<String>,
}

/// The release's readiness verdict as the MagicBox and the overview show it (decided in
/// [`crate::plan::readiness`]); absent once the release is out.
#[derive(Debug, Serialize)]
struct ReadinessInfo {
    /// `go`, `at-risk` or `blocked`.
    verdict: &'static str,
    /// `at risk`.
    label: &'static str,
    /// `RC2` or `The release`.
    subject: String,
    /// One sentence, escaped, cut at a word so a long list of titles keeps the draft short.
    reason: String,
}

/// Longest readiness reason a draft carries. The approvals and failing-tests drafts carry it;
/// the manual-tests draft spends its budget on a line per team.
const READINESS_CHARS: usize = 200;

#[derive(Debug, Serialize)]
struct PeopleInfo {
    release_master: PersonInfo,
    release_manager: Option<PersonInfo>,
    scrum_master: Option<PersonInfo>,
}

/// Absolute site addresses, all `None` without a site URL: templates then name the release
/// site in words instead.
#[derive(Debug, Serialize)]
struct Links {
    magicbox: Option<String>,
    workbook: Option<String>,
    calendar: Option<String>,
    drafts: Option<String>,
}

#[derive(Debug, Serialize)]
struct MilestoneInfo {
    slug: String,
    /// `freeze`, `cherry-pick-deadline`, `candidate`, `release`, `event`, …
    kind: &'static str,
    title: String,
    when: DraftTime,
    past: bool,
    /// mrkdwn on one line.
    description: Option<String>,
}

#[derive(Debug, Serialize)]
struct SosInfo {
    every_weeks: u32,
    duration_minutes: u32,
    /// Meetings on or after the deadlines announcement.
    meetings: Vec<DraftTime>,
}

#[derive(Debug, Serialize)]
struct EnvInfo {
    url: String,
    /// The URL's host, escaped: a label that reads as an address without the URL's path and
    /// query, which would show percent-encoded.
    host: String,
    /// mrkdwn; may span several lines.
    access: Option<String>,
    ready: DraftTime,
    /// `RC1`: the first candidate on or after the ready date.
    candidate: String,
    /// When that candidate's manual-test results are due.
    results_due: Option<DraftTime>,
}

/// One team's line of a manual-tests draft.
#[derive(Debug, Serialize)]
struct TeamTests {
    team: TeamInfo,
    /// `total` and a count per status.
    #[serde(flatten)]
    counts: Counts,
    /// Blocking tests not passed or skipped yet: not run, failed or blocked.
    blocking_open: u32,
}

#[derive(Debug, Serialize)]
struct CandidateInfo {
    name: String,
    /// `RC2`
    label: String,
    date: DraftTime,
    cherry_pick_deadline: Option<DraftTime>,
    /// When its manual-test results are due (`Release::results_due`).
    results_due: DraftTime,
    /// `total` and a count per status.
    #[serde(flatten)]
    counts: Counts,
    blocking_not_run: u32,
    /// Teams with tests still open (not run or blocked), in team order, as many as the
    /// draft's budget holds; `teams_unlisted` counts the others.
    teams: Vec<TeamTests>,
    teams_unlisted: u32,
    /// Teams whose tests were all run or skipped (none not run, none blocked).
    done: Vec<TeamInfo>,
    /// Done teams beyond the budget, which the draft counts rather than names.
    done_unlisted: u32,
    /// The tests worth naming, most urgent first: failed, blocked, then blocking tests not
    /// run; as many as the draft's budget holds; `unlisted` counts the others.
    listed: Vec<ListedTest>,
    unlisted: u32,
}

#[derive(Debug, Serialize)]
struct ListedTest {
    title: String,
    team: TeamInfo,
    /// `failed`, `blocked` or `not-run`
    status: &'static str,
    blocking: bool,
    /// mrkdwn on one line, from the result, shortened to a line's length.
    note: Option<String>,
}

#[derive(Debug, Serialize)]
struct PullRequestInfo {
    url: String,
    title: String,
    waiting_for: Vec<TeamInfo>,
}

#[derive(Debug, Serialize)]
struct FailingInfo {
    name: String,
    link: Option<String>,
    since: DraftTime,
    days: i32,
    /// mrkdwn on one line.
    note: Option<String>,
}

#[derive(Debug, Serialize)]
struct FailingTeamInfo {
    team: TeamInfo,
    tests: Vec<FailingInfo>,
}

#[derive(Debug, Serialize)]
struct NextDeadline {
    title: String,
    when: DraftTime,
}

#[derive(Debug, Serialize)]
struct DraftContext {
    /// Rendering for the Block Kit payload (dates carry `<!date^…>` tokens).
    block_kit: bool,
    today: DraftTime,
    draft: DraftInfo,
    release: ReleaseInfo,
    readiness: Option<ReadinessInfo>,
    people: PeopleInfo,
    links: Links,
    /// Every milestone but the deadlines announcement, in order.
    milestones: Vec<MilestoneInfo>,
    scrum_of_scrums: Option<SosInfo>,
    test_environment: Option<EnvInfo>,
    /// The candidate of a `cherry-pick-…` or `manual-tests-…` draft.
    candidate: Option<CandidateInfo>,
    /// Pull requests waiting for approval, as many as the draft's budget holds.
    pull_requests: Vec<PullRequestInfo>,
    pull_requests_unlisted: u32,
    /// Failing tests grouped by team, in team order.
    failing: Vec<FailingTeamInfo>,
    /// Failing tests beyond the draft's budget.
    failing_unlisted: u32,
    /// The first cherry-pick deadline not past.
    next_cherry_pick: Option<NextDeadline>,
    /// Every team in the registry.
    teams: Vec<TeamInfo>,
    /// The `schedule-change` draft's announcement (mrkdwn, escaped): the changes not yet
    /// announced, or, all announced, every change the history records.
    schedule_change: Option<String>,
}

/// mrkdwn from a Markdown field, on one line, for use inside a list item.
fn inline_mrkdwn(md: &str) -> String {
    to_mrkdwn(md)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl DraftContext {
    fn new(
        ctx: &Context,
        release: &ReleaseTimeline,
        due: &DraftDue,
        block_kit: bool,
    ) -> DraftContext {
        let r = release.release;
        let tz = &r.timezone;
        let v = &release.version;
        let codename = r.codename.as_deref().map(escape_slack);
        let title = match &codename {
            Some(c) => format!("{v} \"{c}\""),
            None => v.clone(),
        };
        let milestones = release
            .milestones
            .iter()
            .filter(|m| m.kind != MilestoneKind::DeadlinesAnnouncement)
            .map(|m| MilestoneInfo {
                slug: escape_slack(m.slug()),
                kind: m.kind.name(),
                title: escape_slack(&m.title),
                when: DraftTime::moment(&m.when, tz, block_kit),
                past: m.past,
                description: m.description.as_deref().map(inline_mrkdwn),
            })
            .collect();
        let scrum_of_scrums = r.scrum_of_scrums.as_ref().map(|sos| SosInfo {
            every_weeks: sos.every_weeks,
            duration_minutes: sos.duration_minutes,
            meetings: release
                .announced_meetings()
                .iter()
                .map(|m| DraftTime::instant(&m.start, tz, block_kit))
                .collect(),
        });
        let test_environment = r.test_environment.as_ref().and_then(|env| {
            let ready = release.environment_ready()?;
            let env_candidate = release.environment_candidate();
            let candidate = env_candidate.map_or(String::new(), |c| {
                escape_slack(&c.name.value.to_uppercase())
            });
            let results_due = env_candidate
                .and_then(|c| {
                    r.schedule
                        .candidates
                        .iter()
                        .position(|o| o.name.value == c.name.value)
                })
                .map(|i| DraftTime::moment(&r.results_due(i), tz, block_kit));
            Some(EnvInfo {
                url: url_text(&env.url),
                host: escape_slack(url_host(&env.url)),
                access: env.access.as_deref().map(to_mrkdwn),
                ready: DraftTime::moment(&ready, tz, block_kit),
                candidate,
                results_due,
            })
        });
        let candidate = due
            .kind
            .candidate()
            .and_then(|name| {
                r.schedule
                    .candidates
                    .iter()
                    .position(|c| c.name.value == name)
            })
            .map(|i| {
                let manual = matches!(due.kind, DraftKind::ManualTests(_));
                candidate_info(ctx, release, i, block_kit, manual)
            });
        let mut pull_requests = Vec::new();
        let mut list_chars = 0;
        for p in &release.pending_approvals {
            let info = PullRequestInfo {
                url: url_text(&p.pull_request.url),
                title: escape_slack(&p.pull_request.title),
                waiting_for: p
                    .waiting_for
                    .iter()
                    .map(|t| TeamInfo::new(ctx, t))
                    .collect(),
            };
            list_chars += info.url.chars().count()
                + info.title.chars().count()
                + info
                    .waiting_for
                    .iter()
                    .map(|t| t.mention.chars().count() + 2)
                    .sum::<usize>()
                + LINE_OVERHEAD;
            if list_chars > LIST_BUDGET {
                break;
            }
            pull_requests.push(info);
        }
        let pull_requests_unlisted = (release.pending_approvals.len() - pull_requests.len()) as u32;
        let mut failing: Vec<FailingTeamInfo> = Vec::new();
        let mut failing_listed = 0;
        list_chars = 0;
        for f in &release.failing {
            let info = FailingInfo {
                name: escape_slack(&f.test.name),
                link: f.test.link.as_deref().map(url_text),
                since: DraftTime::day(f.test.since.date()),
                days: f.days,
                note: f
                    .test
                    .note
                    .as_deref()
                    .map(|n| inline_mrkdwn(&ellipsize_at_word(n, NOTE_CHARS))),
            };
            list_chars += info.name.chars().count()
                + info.link.as_ref().map_or(0, |l| l.chars().count())
                + info.note.as_ref().map_or(0, |n| n.chars().count())
                + LINE_OVERHEAD;
            if list_chars > LIST_BUDGET {
                break;
            }
            failing_listed += 1;
            match failing.last_mut() {
                Some(group) if group.team.id == escape_slack(&f.test.team.0) => {
                    group.tests.push(info)
                }
                _ => {
                    let team = TeamInfo::new(ctx, &f.test.team);
                    list_chars += team.mention.chars().count() + 1;
                    failing.push(FailingTeamInfo {
                        team,
                        tests: vec![info],
                    })
                }
            }
        }
        let failing_unlisted = (release.failing.len() - failing_listed) as u32;
        let next_cherry_pick = release.next_cherry_pick().map(|m| NextDeadline {
            title: escape_slack(&m.title),
            when: DraftTime::moment(&m.when, tz, block_kit),
        });
        let site = |path: String| ctx.site_link(&path).as_deref().map(url_text);
        DraftContext {
            block_kit,
            today: DraftTime::day(release.today),
            draft: DraftInfo {
                id: escape_slack(&due.kind.id()),
                channel: escape_slack(&due.channel),
                due: DraftTime::day(due.due),
            },
            release: ReleaseInfo {
                version: v.clone(),
                codename,
                zone: escape_slack(&r.timezone_name),
                branch: escape_slack(&r.branch),
                title,
                date: DraftTime::day(r.schedule.release.value),
                release_notes: r.release_notes.as_deref().map(url_text),
            },
            readiness: (release.readiness.verdict != Verdict::Released).then(|| ReadinessInfo {
                verdict: release.readiness.verdict.key(),
                label: release.readiness.verdict.label(),
                subject: escape_slack(&release.readiness.subject),
                reason: escape_slack(&ellipsize_at_word(
                    &release.readiness.reason,
                    READINESS_CHARS,
                )),
            }),
            people: PeopleInfo {
                release_master: PersonInfo::new(&r.people.release_master),
                release_manager: r.people.release_manager.as_ref().map(PersonInfo::new),
                scrum_master: r.people.scrum_master.as_ref().map(PersonInfo::new),
            },
            links: Links {
                magicbox: site(paths::html(&paths::magicbox(v))),
                workbook: site(paths::workbook(v)),
                calendar: site(paths::release_ics(v)),
                drafts: site(paths::html(&paths::drafts_page(v))),
            },
            milestones,
            scrum_of_scrums,
            test_environment,
            candidate,
            pull_requests,
            pull_requests_unlisted,
            failing,
            failing_unlisted,
            next_cherry_pick,
            teams: ctx
                .plans
                .teams
                .iter()
                .map(|t| TeamInfo::new(ctx, &t.id))
                .collect(),
            schedule_change: (due.kind == DraftKind::ScheduleChange)
                .then(|| schedule_change_text(ctx, release)),
        }
    }
}

/// The announcement of the changes the `schedule-change` draft is about, oldest first.
fn schedule_change_text(ctx: &Context, release: &ReleaseTimeline) -> String {
    let history = &ctx.timeline.history;
    let mut changes = crate::plan::unannounced(release.release, history, release.today);
    if changes.is_empty() {
        changes = history.of_release(&release.version);
        changes.reverse();
    }
    let milestones = changes.into_iter().map(|e| e.change.clone()).collect();
    super::changes::announcement(&crate::plan::changes::ReleaseChanges::of(
        release, milestones,
    ))
}

/// How much of a manual-tests draft its lists may take, in characters of mrkdwn: with the
/// fixed text around them (some 600 characters) the draft stays within
/// [`blockkit::MAX_MESSAGE_TEXT`] on any size of organisation, and the workbook holds the rest.
/// Fifty teams with Slack groups still get a line each.
const TEAM_LINES_BUDGET: usize = 2700;
const LISTED_TESTS_BUDGET: usize = 600;
/// The same for the list of an approvals or failing-tests draft.
const LIST_BUDGET: usize = 3000;
/// A result's note is cut to this many characters in the draft; the workbook has it whole.
const NOTE_CHARS: usize = 100;
/// What a line costs besides its names: bullet, counts, status words.
const LINE_OVERHEAD: usize = 40;
const TEAM_LINE_OVERHEAD: usize = 32;
const LISTED_LINE_OVERHEAD: usize = 50;

fn candidate_info(
    ctx: &Context,
    release: &ReleaseTimeline,
    index: usize,
    block_kit: bool,
    manual: bool,
) -> CandidateInfo {
    let r = release.release;
    let c = &r.schedule.candidates[index];
    let totals = release.tests.totals.get(index).copied().unwrap_or_default();
    let tests = &release.tests;
    let mut teams = Vec::new();
    let mut teams_unlisted = 0;
    let mut done = Vec::new();
    let mut done_unlisted = 0;
    let mut team_chars = 0;
    // Blocking tests per team, not run and open (not run, failed or blocked), in one pass:
    // a scan of every test per team costs seconds on a large organisation.
    let mut blocking: std::collections::BTreeMap<&TeamId, (u32, u32)> = Default::default();
    if manual {
        for row in tests.rows.iter().filter(|row| row.test.blocking) {
            let entry = blocking.entry(&row.test.team).or_default();
            match row.statuses.get(index) {
                Some(Status::NotRun) => {
                    entry.0 += 1;
                    entry.1 += 1;
                }
                Some(Status::Failed | Status::Blocked) => entry.1 += 1,
                _ => {}
            }
        }
    }
    let blocking_not_run = blocking.values().map(|(not_run, _)| not_run).sum();
    // Only a manual-tests draft lists teams; a cherry-pick reminder builds none of it.
    let team_ids = tests.by_team.keys().filter(|_| manual);
    for team_id in team_ids {
        let counts = tests.team_counts(team_id, index);
        // Thanked only with every test run or skipped: a blocked test still needs work.
        if counts.open() == 0 {
            let team = TeamInfo::new(ctx, team_id);
            team_chars += team.name.chars().count() + 2;
            if team_chars > TEAM_LINES_BUDGET {
                done_unlisted += 1;
            } else {
                done.push(team);
            }
            continue;
        }
        let team = TeamInfo::new(ctx, team_id);
        team_chars += team.mention.chars().count() + TEAM_LINE_OVERHEAD;
        if team_chars > TEAM_LINES_BUDGET {
            teams_unlisted += 1;
            continue;
        }
        let blocking_open = blocking.get(team_id).map_or(0, |(_, open)| *open);
        teams.push(TeamTests {
            team,
            counts,
            blocking_open,
        });
    }
    // Ranked before anything is written, so that only the tests the draft names are built.
    let urgency = |status: Status, blocking: bool| match (status, blocking) {
        (Status::Failed, true) => Some(0),
        (Status::Blocked, true) => Some(1),
        (Status::Failed, false) => Some(2),
        (Status::Blocked, false) => Some(3),
        (Status::NotRun, true) => Some(4),
        _ => None,
    };
    let mut ranked: Vec<(u8, &crate::plan::TestRow)> = if manual {
        tests
            .rows
            .iter()
            .filter_map(|row| {
                let status = *row.statuses.get(index)?;
                Some((urgency(status, row.test.blocking)?, row))
            })
            .collect()
    } else {
        Vec::new()
    };
    // Stable: within one rank, the workbook's order (team, then id).
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut listed = Vec::new();
    let mut listed_chars = 0;
    for (_, row) in &ranked {
        let status = row.statuses[index];
        let note = r
            .result(&row.test.id, &c.name.value)
            .and_then(|res| res.note.as_deref())
            // Cut before conversion: a cut link is then literal text, not a broken token.
            .map(|n| inline_mrkdwn(&ellipsize_at_word(n, NOTE_CHARS)));
        let team = TeamInfo::new(ctx, &row.test.team);
        listed_chars += row.test.title.chars().count()
            + team.mention.chars().count()
            + note.as_ref().map_or(0, |n| n.chars().count())
            + LISTED_LINE_OVERHEAD;
        if listed_chars > LISTED_TESTS_BUDGET {
            break;
        }
        listed.push(ListedTest {
            title: escape_slack(&row.test.title),
            team,
            status: status.as_str(),
            blocking: row.test.blocking,
            note,
        });
    }
    CandidateInfo {
        name: escape_slack(&c.name.value),
        label: escape_slack(&c.name.value.to_uppercase()),
        date: DraftTime::day(c.date.value),
        cherry_pick_deadline: c
            .cherry_pick_deadline
            .as_ref()
            .map(|d| DraftTime::moment(&d.value, &r.timezone, block_kit)),
        results_due: DraftTime::moment(&r.results_due(index), &r.timezone, block_kit),
        counts: totals,
        blocking_not_run,
        unlisted: (ranked.len() - listed.len()) as u32,
        teams,
        teams_unlisted,
        done,
        done_unlisted,
        listed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::blockkit::{blocks, chunks};

    #[test]
    fn long_paragraphs_split_at_line_ends_within_the_limit() {
        let line = "• ".to_owned() + &"x".repeat(98);
        let para = vec![line; 70].join("\n");
        let parts = chunks(&para, MAX_SECTION_TEXT);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_SECTION_TEXT));
        assert_eq!(parts.iter().map(|p| p.lines().count()).sum::<usize>(), 70);
    }

    #[test]
    fn too_many_blocks_end_with_and_n_more() {
        let text = (1..=60)
            .map(|i| format!("para {i}"))
            .collect::<Vec<_>>()
            .join("\n\n");
        let last = |b: &[Block]| match &b[MAX_BLOCKS - 1] {
            Block::Section { text } => text.text.clone(),
            other => panic!("last block is not a section: {other:?}"),
        };
        let b = blocks(&text, Some("<https://s.example/slack.html|drafts page>"));
        assert_eq!(b.len(), MAX_BLOCKS);
        assert_eq!(
            last(&b),
            "_…and 11 more lines: the full draft is on the <https://s.example/slack.html|drafts page>_"
        );
        // Without a site URL the page is named, not linked by a path Slack cannot open.
        let b = blocks(&text, None);
        assert_eq!(b.len(), MAX_BLOCKS);
        assert_eq!(
            last(&b),
            "_…and 11 more lines: the full draft is on the drafts page of the release site_"
        );
    }

    #[test]
    fn bold_first_line_becomes_a_plain_header_unless_escaped() {
        let b = blocks("*:tada: 1.0 is out*\n\nBody", None);
        assert_eq!(
            b[0],
            Block::Header {
                text: TextObject::plain(":tada: 1.0 is out".into())
            }
        );
        let b = blocks("*R&amp;D 1.0 is out*\n\nBody", None);
        assert!(matches!(b[0], Block::Section { .. }), "{b:?}");
    }

    #[test]
    fn preformatted_text_cannot_close_its_block_or_reach_mdbook() {
        let p = preformatted("a ```` b </code></pre> <b>\n{{#include /etc/passwd}} {{ x }}");
        assert_eq!(
            p,
            "<pre><code class=\"language-text\">a ```` b &lt;/code&gt;&lt;/pre&gt; &lt;b&gt;\n\
             &#123;&#123;#include /etc/passwd&#125;&#125; &#123;&#123; x &#125;&#125;</code></pre>\n"
        );
        assert!(!p.contains('\u{200B}'), "{p}");
    }

    #[test]
    fn kinds_that_link_the_site_are_those_whose_drafts_change_with_a_site_url() {
        let plan = format!(
            "{}test_environment: {{ url: https://console.example.com }}
pull_requests:
  - {{ url: https://github.com/o/r/pull/1, title: Fix, teams: [huskies], approved_by: [] }}
failing_tests:
  - {{ name: e2e, team: huskies, since: 2026-11-20 }}
",
            crate::plan::fixtures::PLAN
        );
        let (_dir, plans) = crate::plan::fixtures::one_release(&plan);
        let timeline = crate::plan::plan(&plans, jiff::civil::date(2026, 11, 26));
        let templates = super::super::Templates::defaults().expect("templates");
        let ctx = |site_url: Option<&str>| {
            Context::new(&timeline, &plans, &templates, site_url.map(str::to_owned))
        };
        let (without, with) = (ctx(None), ctx(Some("https://site.example")));
        let release = &timeline.releases[0];
        assert_eq!(release.drafts.len(), 8, "{:?}", release.drafts);
        for due in &release.drafts {
            let id = due.kind.id();
            let plain = draft(&without, release, &id).expect("draft").mrkdwn;
            let linked = draft(&with, release, &id).expect("draft").mrkdwn;
            assert_eq!(plain != linked, due.kind.links_site(), "{id}");
        }
    }

    #[test]
    fn every_kind_has_a_default_template() {
        for kind in DraftKind::all(&["rc1"]) {
            let template = kind.template();
            assert!(
                super::super::templates::EMBEDDED
                    .iter()
                    .any(|(name, _)| *name == template),
                "{template}"
            );
        }
    }

    #[test]
    fn links_need_an_absolute_url() {
        assert_eq!(
            slack_link("https://a.example/x|y", "X"),
            "<https://a.example/x%7Cy|X>"
        );
        // A plan may give an address without a scheme; it is shown, not linked.
        assert_eq!(
            slack_link("console.rc.example.com", "Console"),
            "Console (`console.rc.example.com`)"
        );
    }
}
