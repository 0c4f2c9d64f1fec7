//! ICS calendar feeds (RFC 5545): one per release and one for all, for calendars to subscribe to.
//!
//! Decisions a subscriber relies on:
//! - UIDs are the milestone ids at a domain naming the project (`1.14.0/rc2` →
//!   `1.14.0-rc2@releases.org.github.io` for the site `https://org.github.io/releases/`; the
//!   Scrum of Scrums is `1.14.0-scrum-of-scrums@…`), so a re-published feed moves events instead
//!   of adding copies, and two projects' feeds in one calendar never share a UID. Without a site
//!   URL the domain is `<product>.herald.invalid` (`kyma.herald.invalid`), or `herald.invalid`
//!   when the release names no product.
//! - `SEQUENCE` is the number of times the plans' git history changed the milestone's time or
//!   title (its removal and return count too), and `DTSTAMP` and `LAST-MODIFIED` are the date
//!   of the commit that last did: a function of the history, so the same history gives
//!   byte-identical feeds and clients that keep stale copies (Google) see every change.
//! - A milestone of the history that never changed, or a plan outside git, keeps `SEQUENCE:0`
//!   and a `DTSTAMP` that is the start of the event's last occurrence, in UTC: a function of
//!   the plan alone, so the same plan gives byte-identical feeds on any day.
//! - A milestone removed from the plan stays in its release's feed as `STATUS:CANCELLED`, its
//!   `SEQUENCE` raised by the removal, until the release settles, so subscribed calendars
//!   drop it instead of keeping a ghost.
//! - Summaries are `Kyma 1.14.0: RC2` (`1.14.0: RC2` when the release names no product; the
//!   product and title alone when the title already names the version: `Kyma Release 1.14.0`).
//! - Descriptions link the MagicBox and the workbook only when the site URL is known: a path
//!   relative to a site nobody named opens nothing in a calendar.
//! - Deadlines given with a time are 15-minute events at that time, in the release's zone, with
//!   a reminder a day before; a deadline given as a date is an all-day event reminded at 09:00
//!   the day before. Candidates, the release and plan events are all-day (`DTEND` the next day).
//! - The Scrum of Scrums is one weekly recurring event whose `DTSTART` carries the release's
//!   `TZID`, with a `VTIMEZONE` built from the zone's transitions over the years the feed spans,
//!   so a 10:00 meeting stays at 10:00 local time across daylight-saving changes.

pub mod ics;

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp, Zoned};

use super::{Context, Files, markdown, paths};
use crate::model::Moment;
use crate::plan::format::{clock_time, iso_date};
use crate::plan::{Meeting, MilestoneId, ReleaseTimeline};
use crate::policy::WHOLE_DAY_REMINDER_HOUR;

pub const PRODID: &str = "-//herald//release calendar//EN";
/// The right-hand side of UIDs when neither a site URL nor a product names the project; `.invalid`
/// (RFC 2606) so it can never be someone's real domain.
pub const FALLBACK_UID_DOMAIN: &str = "herald.invalid";
/// How long a deadline with a time lasts in the calendar: short, but visible in every client.
pub const DEADLINE_MINUTES: u32 = 15;
/// How often subscribing clients should refresh the feed (RFC 7986 and its Outlook twin).
const REFRESH: &str = "PT12H";

/// When an event happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTime {
    /// A whole day: `DTSTART;VALUE=DATE` and `DTEND` the next day.
    AllDay(Date),
    /// From `start`, for `minutes`, written in `start`'s zone.
    Timed { start: Zoned, minutes: u32 },
}

/// A weekly recurrence: every `every_weeks` weeks from the event's start, the last meeting
/// starting at `last` (the `UNTIL`, inclusive); `count` meetings in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weekly {
    pub every_weeks: u32,
    pub last: Zoned,
    pub count: usize,
}

/// One event of a feed; the calendar page can list these to show the same events as the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// `1.14.0-rc2@kyma.herald.invalid`.
    pub uid: String,
    /// The milestone it comes from (`1.14.0/rc2`); `None` for the Scrum of Scrums.
    pub milestone_id: Option<MilestoneId>,
    /// `Kyma 1.14.0: RC2`.
    pub summary: String,
    /// Plain text: the milestone's description, and links to the MagicBox and the workbook when
    /// the site URL is known; may be empty.
    pub description: String,
    /// The MagicBox page, when it is an absolute URL (the site URL is known).
    pub url: Option<String>,
    pub when: EventTime,
    pub repeat: Option<Weekly>,
    /// A reminder the day before (deadlines).
    pub reminder: bool,
    /// `DTSTAMP`: the commit that last changed it, else the start of the last occurrence;
    /// derived from the plan and its history, never the clock.
    pub stamp: Timestamp,
    /// `SEQUENCE`: how often the history changed it.
    pub sequence: u32,
    /// `LAST-MODIFIED`: the commit that last changed it, when the history records one.
    pub last_modified: Option<Timestamp>,
    /// Removed from the plan: `STATUS:CANCELLED`.
    pub cancelled: bool,
}

impl CalendarEvent {
    /// The instant it starts; whole days start at midnight in the release's zone.
    pub fn start(&self, tz: &TimeZone) -> Timestamp {
        start_instant(&self.when, tz)
    }
}

/// The release's feed, at `paths::release_ics(version)`.
pub fn render_release(ctx: &Context, release: &ReleaseTimeline) -> Files {
    let mut files = Files::default();
    files.insert(paths::release_ics(&release.version), feed(ctx, &[release]));
    files
}

/// The feed of every release, at `paths::CALENDAR_ICS`.
pub fn render_shared(ctx: &Context) -> Files {
    let releases: Vec<&ReleaseTimeline> = ctx.timeline.releases.iter().collect();
    let mut files = Files::default();
    files.insert(paths::CALENDAR_ICS, feed(ctx, &releases));
    files
}

/// Every event of one release, in the order the feed lists them (by start, then UID).
pub fn events(ctx: &Context, release: &ReleaseTimeline) -> Vec<CalendarEvent> {
    let version = &release.version;
    let tz = &release.release.timezone;
    let product = release.release.product.as_deref();
    let domain = uid_domain(ctx.site_url.as_deref(), product);
    // Site-relative paths open nothing in a calendar, so links need the site URL.
    let magicbox = ctx.site_link(&paths::html(&paths::magicbox(version)));
    let workbook = ctx.site_link(&paths::workbook(version));
    let (links, url) = match magicbox.zip(workbook) {
        Some((magicbox, workbook)) => {
            let links = format!("MagicBox: {magicbox}\nManual-test workbook: {workbook}");
            (Some(links), is_absolute_url(&magicbox).then_some(magicbox))
        }
        None => (None, None),
    };
    let with_links = |text: String| match (&links, text.is_empty()) {
        (Some(links), true) => links.clone(),
        (Some(links), false) => format!("{text}\n\n{links}"),
        (None, _) => text,
    };

    let mut out: Vec<CalendarEvent> = release
        .milestones
        .iter()
        .map(|m| {
            let deadline = m.kind.is_deadline();
            let when = match &m.when {
                Moment::At(z) if deadline => EventTime::Timed {
                    start: z.with_time_zone(tz.clone()),
                    minutes: DEADLINE_MINUTES,
                },
                other => EventTime::AllDay(other.date()),
            };
            let description = with_links(
                m.description
                    .as_deref()
                    .map(markdown::to_plain)
                    .unwrap_or_default(),
            );
            let revisions = ctx.timeline.history.revisions(&m.id);
            let stamp = revisions.map_or_else(|| start_instant(&when, tz), |r| r.last);
            CalendarEvent {
                uid: uid(m.id.as_str(), &domain),
                milestone_id: Some(m.id.clone()),
                summary: summary(product, version, &m.title),
                description,
                url: url.clone(),
                when,
                repeat: None,
                reminder: deadline,
                stamp,
                sequence: revisions.map_or(0, |r| r.count),
                last_modified: revisions.map(|r| r.last),
                cancelled: false,
            }
        })
        .collect();
    if !release.settled {
        for (id, gone) in ctx.timeline.history.removed_of(version) {
            if release.milestones.iter().any(|m| &m.id == id) {
                continue;
            }
            let Some(revisions) = ctx.timeline.history.revisions(id) else {
                continue;
            };
            let when = match &gone.when {
                Moment::At(z) if gone.kind.is_deadline() => EventTime::Timed {
                    start: z.with_time_zone(tz.clone()),
                    minutes: DEADLINE_MINUTES,
                },
                other => EventTime::AllDay(other.date()),
            };
            out.push(CalendarEvent {
                uid: uid(id.as_str(), &domain),
                milestone_id: Some(id.clone()),
                summary: summary(product, version, &gone.title),
                description: with_links("Cancelled: removed from the plan.".to_owned()),
                url: url.clone(),
                when,
                repeat: None,
                reminder: false,
                stamp: revisions.last,
                sequence: revisions.count,
                last_modified: Some(revisions.last),
                cancelled: true,
            });
        }
    }

    if let (Some(sos), Some(first), Some(last)) = (
        &release.release.scrum_of_scrums,
        release.scrum_of_scrums.first().map(|m| &m.start),
        release.scrum_of_scrums.last().map(|m| &m.start),
    ) {
        let count = release.scrum_of_scrums.len();
        let every = match sos.every_weeks {
            1 => "Every week".to_owned(),
            n => format!("Every {n} weeks"),
        };
        let zone = zone_label(first.time_zone());
        let meetings = match count {
            1 => "1 meeting".to_owned(),
            n => format!("{n} meetings"),
        };
        out.push(CalendarEvent {
            uid: uid(Meeting::series_id(version).as_str(), &domain),
            milestone_id: None,
            summary: summary(product, version, "Scrum of Scrums"),
            description: with_links(format!(
                "{every} at {} {zone}, {} minutes, from {} to {} ({meetings}).",
                clock_time(first),
                sos.duration_minutes,
                iso_date(first.date()),
                iso_date(last.date()),
            )),
            url: url.clone(),
            when: EventTime::Timed {
                start: first.clone(),
                minutes: sos.duration_minutes,
            },
            repeat: Some(Weekly {
                every_weeks: sos.every_weeks,
                last: last.clone(),
                count,
            }),
            reminder: false,
            stamp: last.timestamp(),
            sequence: 0,
            last_modified: None,
            cancelled: false,
        });
    }
    out.sort_by(|a, b| (a.start(tz), &a.uid).cmp(&(b.start(tz), &b.uid)));
    out
}

/// One feed holding every event of `releases`, with one `VTIMEZONE` per zone used.
pub fn feed(ctx: &Context, releases: &[&ReleaseTimeline]) -> String {
    let per_release: Vec<Vec<CalendarEvent>> = releases.iter().map(|r| events(ctx, r)).collect();

    // Zone name → (zone, first year, last year) over every timed event written with its TZID.
    let mut zones: BTreeMap<String, (TimeZone, i16, i16)> = BTreeMap::new();
    for event in per_release.iter().flatten() {
        let EventTime::Timed { start, .. } = &event.when else {
            continue;
        };
        if let Some(name) = tzid(start.time_zone()) {
            let last = event.repeat.as_ref().map_or(start, |r| &r.last);
            let entry = zones.entry(name.to_owned()).or_insert((
                start.time_zone().clone(),
                start.year(),
                last.year(),
            ));
            entry.1 = entry.1.min(start.year());
            entry.2 = entry.2.max(last.year());
        }
    }

    let mut w = ics::Writer::new();
    w.begin("VCALENDAR");
    w.line("VERSION", &[], "2.0");
    w.line("PRODID", &[], PRODID);
    w.line("CALSCALE", &[], "GREGORIAN");
    w.line("METHOD", &[], "PUBLISH");
    let products: std::collections::BTreeSet<Option<&str>> = releases
        .iter()
        .map(|r| r.release.product.as_deref())
        .collect();
    let name = match (releases, &products.iter().collect::<Vec<_>>()[..]) {
        ([one], _) => {
            let release = match one.release.product.as_deref() {
                Some(product) => format!("{product} release {}", one.version),
                None => format!("Release {}", one.version),
            };
            match &one.release.codename {
                Some(codename) => format!("{release} ({codename})"),
                None => release,
            }
        }
        (_, [Some(product)]) => format!("{product} release calendar"),
        _ => "Release calendar".to_owned(),
    };
    w.text("X-WR-CALNAME", &name);
    w.text("NAME", &name);
    let release_zones: std::collections::BTreeSet<&str> = releases
        .iter()
        .map(|r| zone_label(&r.release.timezone))
        .collect();
    if let [zone] = release_zones.iter().collect::<Vec<_>>()[..] {
        w.text("X-WR-TIMEZONE", zone);
    }
    w.line("REFRESH-INTERVAL", &[("VALUE", "DURATION")], REFRESH);
    w.line("X-PUBLISHED-TTL", &[], REFRESH);
    for (name, (tz, from, to)) in &zones {
        write_vtimezone(&mut w, name, tz, *from, *to);
    }
    for event in per_release.iter().flatten() {
        write_event(&mut w, event);
    }
    w.end("VCALENDAR");
    w.finish()
}

/// `1.14.0/rc2` at `kyma.herald.invalid` → `1.14.0-rc2@kyma.herald.invalid`.
pub fn uid(milestone_id: &str, domain: &str) -> String {
    format!("{}@{domain}", milestone_id.replace('/', "-"))
}

/// The right-hand side of a release's UIDs: the site's host with its path in front
/// (`https://org.github.io/releases/` → `releases.org.github.io`), so two sites on one host
/// differ; else `<product>.herald.invalid`; else [`FALLBACK_UID_DOMAIN`]. Only `a-z0-9-` labels.
pub fn uid_domain(site_url: Option<&str>, product: Option<&str>) -> String {
    let from_site = site_url.and_then(|url| {
        let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split(':').next().unwrap_or_default();
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let labels: Vec<String> = path
            .split('/')
            .rev()
            .chain(host.split('.'))
            .map(domain_label)
            .filter(|label| !label.is_empty())
            .collect();
        (!host.is_empty() && !labels.is_empty()).then(|| labels.join("."))
    });
    from_site
        .or_else(|| {
            let product = domain_label(product?);
            (!product.is_empty()).then(|| format!("{product}.{FALLBACK_UID_DOMAIN}"))
        })
        .unwrap_or_else(|| FALLBACK_UID_DOMAIN.to_owned())
}

/// `Kyma Release` → `kyma-release`: lower case, runs of other characters one `-`.
fn domain_label(text: &str) -> String {
    let mut label = String::with_capacity(text.len());
    for c in text.chars() {
        match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => label.push(c),
            _ if !label.is_empty() && !label.ends_with('-') => label.push('-'),
            _ => {}
        }
    }
    label.trim_end_matches('-').to_owned()
}

/// `Kyma 1.14.0: RC2`; without a product `1.14.0: RC2`; the title alone after the product when
/// it already names the version (`Kyma Release 1.14.0`), or alone when it names both.
pub fn summary(product: Option<&str>, version: &str, title: &str) -> String {
    let product = product.filter(|p| !p.trim().is_empty() && !title.contains(p.trim()));
    match (product, title.contains(version)) {
        (Some(product), true) => format!("{} {title}", product.trim()),
        (Some(product), false) => format!("{} {version}: {title}", product.trim()),
        (None, true) => title.to_owned(),
        (None, false) => format!("{version}: {title}"),
    }
}

/// When an event starts: whole days at midnight in the release's zone.
fn start_instant(when: &EventTime, tz: &TimeZone) -> Timestamp {
    match when {
        EventTime::AllDay(d) => d
            .to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::MIN),
        EventTime::Timed { start, .. } => start.timestamp(),
    }
}

fn is_absolute_url(link: &str) -> bool {
    link.starts_with("https://") || link.starts_with("http://")
}

/// The zone's IANA name, or `UTC` for a zone without one.
fn zone_label(tz: &TimeZone) -> &str {
    tz.iana_name().unwrap_or("UTC")
}

/// The `TZID` to write times in `tz` with; `None` means write them in UTC (`…Z`): the zone is
/// UTC, or has no name a `VTIMEZONE` could carry.
fn tzid(tz: &TimeZone) -> Option<&str> {
    let never_shifts = tz.following(Timestamp::MIN).next().is_none();
    let is_utc = never_shifts && tz.to_offset(Timestamp::UNIX_EPOCH) == Offset::UTC;
    tz.iana_name().filter(|_| !is_utc)
}

fn write_time(w: &mut ics::Writer, property: &str, at: &Zoned) {
    match tzid(at.time_zone()) {
        Some(name) => w.line(
            property,
            &[("TZID", name)],
            &ics::local_date_time(at.datetime()),
        ),
        None => w.line(property, &[], &ics::utc_date_time(at.timestamp())),
    }
}

fn write_event(w: &mut ics::Writer, event: &CalendarEvent) {
    w.begin("VEVENT");
    w.line("UID", &[], &event.uid);
    w.line("DTSTAMP", &[], &ics::utc_date_time(event.stamp));
    w.line("SEQUENCE", &[], &event.sequence.to_string());
    if let Some(at) = event.last_modified {
        w.line("LAST-MODIFIED", &[], &ics::utc_date_time(at));
    }
    match &event.when {
        EventTime::AllDay(day) => {
            let next = day.tomorrow().unwrap_or(*day);
            w.line("DTSTART", &[("VALUE", "DATE")], &ics::date(*day));
            w.line("DTEND", &[("VALUE", "DATE")], &ics::date(next));
        }
        EventTime::Timed { start, minutes } => {
            let end = start
                .checked_add(Span::new().minutes(i64::from(*minutes)))
                .unwrap_or_else(|_| start.clone());
            write_time(w, "DTSTART", start);
            write_time(w, "DTEND", &end);
        }
    }
    if let Some(weekly) = &event.repeat {
        w.line(
            "RRULE",
            &[],
            &format!(
                "FREQ=WEEKLY;INTERVAL={};UNTIL={}",
                weekly.every_weeks,
                ics::utc_date_time(weekly.last.timestamp())
            ),
        );
    }
    w.text("SUMMARY", &event.summary);
    if !event.description.is_empty() {
        w.text("DESCRIPTION", &event.description);
    }
    if let Some(url) = &event.url {
        w.line("URL", &[("VALUE", "URI")], url);
    }
    let status = if event.cancelled {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    w.line("STATUS", &[], status);
    // Milestones mark days; only meetings block time in free/busy.
    let busy = event.repeat.is_some();
    w.line("TRANSP", &[], if busy { "OPAQUE" } else { "TRANSPARENT" });
    if event.reminder {
        w.begin("VALARM");
        w.line("ACTION", &[], "DISPLAY");
        // The morning before a whole-day deadline (counted back from its midnight); a day
        // before a deadline with a time.
        let trigger = match event.when {
            EventTime::AllDay(_) => format!("-PT{}H", 24 - WHOLE_DAY_REMINDER_HOUR),
            EventTime::Timed { .. } => "-P1D".to_owned(),
        };
        w.line("TRIGGER", &[], &trigger);
        w.text("DESCRIPTION", &format!("Tomorrow: {}", event.summary));
        w.end("VALARM");
    }
    w.end("VEVENT");
}

/// A `VTIMEZONE` listing every transition of `tz` from the one in effect on 1 January of
/// `from_year` to the end of `to_year`: exact for the feed's events, and reproducible since
/// it depends only on the zone data herald is built with.
fn write_vtimezone(w: &mut ics::Writer, name: &str, tz: &TimeZone, from_year: i16, to_year: i16) {
    let at_midnight = |year: i16| {
        Date::new(year, 1, 1)
            .ok()
            .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    };
    let start = at_midnight(from_year).unwrap_or(Timestamp::MIN);
    let end = to_year
        .checked_add(1)
        .and_then(at_midnight)
        .unwrap_or(Timestamp::MAX);

    w.begin("VTIMEZONE");
    w.line("TZID", &[], name);
    let mut transitions: Vec<(Timestamp, Offset, String, bool)> = tz
        .preceding(start)
        .take(1)
        .chain(tz.following(start).take_while(|t| t.timestamp() < end))
        .map(|t| {
            (
                t.timestamp(),
                t.offset(),
                t.abbreviation().to_owned(),
                t.dst().is_dst(),
            )
        })
        .collect();
    transitions.sort_by_key(|t| t.0);
    if transitions.is_empty() {
        let info = tz.to_offset_info(start);
        write_observance(
            w,
            false,
            Date::constant(1970, 1, 1).at(0, 0, 0, 0),
            info.offset(),
            info.offset(),
            info.abbreviation(),
        );
    }
    for (at, to, abbreviation, dst) in &transitions {
        let from = at
            .checked_sub(Span::new().seconds(1))
            .map_or(*to, |before| tz.to_offset(before));
        let local = at.to_zoned(TimeZone::fixed(from)).datetime();
        write_observance(w, *dst, local, from, *to, abbreviation);
    }
    w.end("VTIMEZONE");
}

fn write_observance(
    w: &mut ics::Writer,
    daylight: bool,
    local_start: jiff::civil::DateTime,
    from: Offset,
    to: Offset,
    abbreviation: &str,
) {
    let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
    w.begin(kind);
    w.line("DTSTART", &[], &ics::local_date_time(local_start));
    w.line("TZOFFSETFROM", &[], &ics::utc_offset(from));
    w.line("TZOFFSETTO", &[], &ics::utc_offset(to));
    w.text("TZNAME", abbreviation);
    w.end(kind);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_replaces_the_slash_of_the_milestone_id() {
        assert_eq!(uid("1.14.0/rc2", "a.example"), "1.14.0-rc2@a.example");
        assert_eq!(
            uid("1.14.0/cherry-pick-rc2", "a.example"),
            "1.14.0-cherry-pick-rc2@a.example"
        );
    }

    #[test]
    fn uid_domains_name_the_site_or_the_product() {
        let domain = |url, product| uid_domain(url, product);
        assert_eq!(
            domain(Some("https://org.github.io/releases/"), Some("Kyma")),
            "releases.org.github.io"
        );
        // Two sites on one host differ; user, port, query and case do not matter.
        assert_eq!(
            domain(Some("https://u:p@Org.GitHub.io:8443/a/b?x=1#y"), None),
            "b.a.org.github.io"
        );
        assert_eq!(
            domain(Some("https://kyma.example.io"), None),
            "kyma.example.io"
        );
        assert_eq!(domain(None, Some("Kyma")), "kyma.herald.invalid");
        assert_eq!(
            domain(None, Some(" Big Product; 2 ")),
            "big-product-2.herald.invalid"
        );
        assert_eq!(domain(None, Some("…")), "herald.invalid");
        assert_eq!(domain(None, None), "herald.invalid");
        assert_eq!(domain(Some("https:///x"), None), "herald.invalid");
    }

    #[test]
    fn summary_names_the_product_and_the_release_once() {
        assert_eq!(summary(None, "1.14.0", "RC2"), "1.14.0: RC2");
        assert_eq!(summary(None, "1.14.0", "Release 1.14.0"), "Release 1.14.0");
        assert_eq!(summary(Some("Kyma"), "1.14.0", "RC2"), "Kyma 1.14.0: RC2");
        assert_eq!(
            summary(Some("Kyma"), "1.14.0", "Release 1.14.0"),
            "Kyma Release 1.14.0"
        );
        assert_eq!(
            summary(Some("Kyma"), "1.14.0", "Kyma 1.14.0 ships"),
            "Kyma 1.14.0 ships"
        );
    }

    #[test]
    fn utc_needs_no_vtimezone_but_berlin_does() {
        assert_eq!(tzid(&TimeZone::UTC), None);
        assert_eq!(tzid(&TimeZone::get("Etc/UTC").unwrap()), None);
        assert_eq!(
            tzid(&TimeZone::get("Europe/Berlin").unwrap()),
            Some("Europe/Berlin")
        );
        assert_eq!(tzid(&TimeZone::fixed(Offset::constant(2))), None);
    }

    #[test]
    fn berlin_2026_has_both_changes_and_the_one_before() {
        let mut w = ics::Writer::new();
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        write_vtimezone(&mut w, "Europe/Berlin", &tz, 2026, 2026);
        let out = w.finish();
        let expected = [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin",
            "BEGIN:STANDARD",
            "DTSTART:20251026T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:20260329T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "DTSTART:20261025T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
        .join("\r\n")
            + "\r\n";
        assert_eq!(out, expected);
    }

    #[test]
    fn a_zone_without_changes_gets_one_standard_observance() {
        let mut w = ics::Writer::new();
        let tz = TimeZone::fixed(Offset::constant(5));
        write_vtimezone(&mut w, "Fixed", &tz, 2026, 2026);
        let out = w.finish();
        assert!(out.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\n"));
    }
}
