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
//!   `TZID`, so a 10:00 meeting stays at 10:00 local time across daylight-saving changes.
//! - A zone's `VTIMEZONE` comes from the zone data alone: every transition since
//!   [`ZONE_HISTORY_FROM`], then the zone's yearly rule as `RRULE` observances. Every feed of
//!   every build holds the same one for a zone, so clients that cache zones by `TZID` across
//!   feeds (vobject, Radicale) give every feed the right times.
//! - No `METHOD`: a feed is a snapshot to subscribe to or import (RFC 5545 §3.7.2), not an
//!   iTIP message. `METHOD:PUBLISH` requires an `ORGANIZER` (RFC 5546; libical, the engine of
//!   Evolution and KDE, rejects the feed without one), and the plans know no address for the
//!   Release Master; an organizer would also make Outlook and Evolution show milestones as
//!   meetings to answer. Subscriptions never read `METHOD`, and Outlook imports a file without
//!   one as `PUBLISH` ([MS-STANOICAL] V0078), as Google Calendar and Apple Calendar import it.

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

    // Every zone a timed event is written in with its TZID; its VTIMEZONE does not depend on
    // the events, so every feed holds the same one.
    let mut zones: BTreeMap<&str, &TimeZone> = BTreeMap::new();
    for event in per_release.iter().flatten() {
        if let EventTime::Timed { start, .. } = &event.when
            && let Some(name) = tzid(start.time_zone())
        {
            zones.entry(name).or_insert(start.time_zone());
        }
    }

    let mut w = ics::Writer::new();
    w.begin("VCALENDAR");
    w.line("VERSION", &[], "2.0");
    w.line("PRODID", &[], PRODID);
    w.line("CALSCALE", &[], "GREGORIAN");
    // No METHOD: a feed is a snapshot to subscribe to or import, not an iTIP message, and
    // METHOD:PUBLISH would require an ORGANIZER (RFC 5546) that the plans do not have.
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
    for (name, tz) in &zones {
        write_vtimezone(&mut w, name, tz);
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

/// A `VTIMEZONE` for `tz` that depends on the zone data alone, never on the plans: the
/// observance in effect on 1 January [`ZONE_HISTORY_FROM`], every transition since then, and
/// from the year the zone's changes follow a yearly rule one `RRULE` observance per change. Every
/// feed writes the same component for a zone, so clients that cache zones by `TZID` across feeds
/// (vobject, Radicale) stay right for every year, and incremental builds need not know which
/// years other releases use.
fn write_vtimezone(w: &mut ics::Writer, name: &str, tz: &TimeZone) {
    w.begin("VTIMEZONE");
    w.line("TZID", &[], name);
    let transitions = zone_transitions(tz);
    if transitions.is_empty() {
        let info = tz.to_offset_info(Timestamp::UNIX_EPOCH);
        write_observance(
            w,
            false,
            Date::constant(1970, 1, 1).at(0, 0, 0, 0),
            info.offset(),
            info.offset(),
            info.abbreviation(),
            None,
        );
    }
    let rules = yearly_rules(&transitions);
    for t in &transitions {
        let year = t.local.year();
        let rrule = match &rules {
            Some(rules) if year > rules.from => break,
            Some(rules) if year == rules.from => rules.rrule(t),
            _ => None,
        };
        write_observance(
            w,
            t.dst,
            t.local,
            t.from,
            t.to,
            &t.abbreviation,
            rrule.as_deref(),
        );
    }
    w.end("VTIMEZONE");
}

/// The first year a `VTIMEZONE` describes exactly; earlier times take its first observance.
pub const ZONE_HISTORY_FROM: i16 = 2000;
/// How far a zone's transitions are compared with the yearly rules that end its listing.
const ZONE_RULE_CHECKED_UNTIL: i16 = 2100;
/// The fewest years a yearly rule must hold to be written as one: a full cycle of the
/// calendar's weekdays and leap years, so each change has met every day it can fall on.
const ZONE_RULE_MIN_YEARS: i16 = 28;

/// A change of a zone's offset, with the wall-clock time it happens at (in the old offset).
#[derive(Debug, Clone)]
struct Transition {
    local: jiff::civil::DateTime,
    from: Offset,
    to: Offset,
    abbreviation: String,
    dst: bool,
}

impl Transition {
    /// What repeats when the change is yearly: all but the day of the month.
    fn yearly_change(&self) -> YearlyChange {
        YearlyChange {
            month: self.local.month(),
            weekday: self.local.weekday(),
            time: self.local.time(),
            from: self.from,
            to: self.to,
            abbreviation: self.abbreviation.clone(),
            dst: self.dst,
        }
    }
}

/// The transition in effect on 1 January [`ZONE_HISTORY_FROM`] and every one after it until
/// [`ZONE_RULE_CHECKED_UNTIL`], in order.
fn zone_transitions(tz: &TimeZone) -> Vec<Transition> {
    let at_midnight = |year: i16| {
        Date::new(year, 1, 1)
            .ok()
            .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    };
    let start = at_midnight(ZONE_HISTORY_FROM).unwrap_or(Timestamp::MIN);
    let end = at_midnight(ZONE_RULE_CHECKED_UNTIL).unwrap_or(Timestamp::MAX);
    let mut out: Vec<(Timestamp, Transition)> = tz
        .preceding(start)
        .take(1)
        .chain(tz.following(start).take_while(|t| t.timestamp() < end))
        .map(|t| {
            let at = t.timestamp();
            let from = at
                .checked_sub(Span::new().seconds(1))
                .map_or(t.offset(), |before| tz.to_offset(before));
            let transition = Transition {
                local: at.to_zoned(TimeZone::fixed(from)).datetime(),
                from,
                to: t.offset(),
                abbreviation: t.abbreviation().to_owned(),
                dst: t.dst().is_dst(),
            };
            (at, transition)
        })
        .collect();
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, t)| t).collect()
}

/// A change that happens every year in the same month, on the same weekday, at the same time,
/// on one of seven consecutive days of the month.
#[derive(Debug, Clone, PartialEq, Eq)]
struct YearlyChange {
    month: i8,
    weekday: jiff::civil::Weekday,
    time: jiff::civil::Time,
    from: Offset,
    to: Offset,
    abbreviation: String,
    dst: bool,
}

/// The changes every year has from `from` to [`ZONE_RULE_CHECKED_UNTIL`], each with the first
/// of the seven days of the month it falls on.
#[derive(Debug)]
struct YearlyRules {
    from: i16,
    changes: Vec<(YearlyChange, i8)>,
}

impl YearlyRules {
    /// The `RRULE` of the change `t` is the first of: `BYDAY=2SU` (the second Sunday),
    /// `BYDAY=-1SU` (the last), or `BYDAY=SA;BYMONTHDAY=24,…,30` (the Saturday on or after
    /// the 24th), the form fewer clients read.
    fn rrule(&self, t: &Transition) -> Option<String> {
        use jiff::civil::Weekday as W;
        let change = t.yearly_change();
        let first_day = self
            .changes
            .iter()
            .find(|(c, _)| *c == change)
            .map(|(_, day)| *day)?;
        let weekday = match change.weekday {
            W::Monday => "MO",
            W::Tuesday => "TU",
            W::Wednesday => "WE",
            W::Thursday => "TH",
            W::Friday => "FR",
            W::Saturday => "SA",
            W::Sunday => "SU",
        };
        // The month's length when it does not depend on the year.
        let days = match change.month {
            2 => None,
            month => Date::new(2001, month, 1).ok().map(|d| d.days_in_month()),
        };
        let by_day = if first_day % 7 == 1 && first_day <= 22 {
            format!("BYDAY={}{weekday}", first_day / 7 + 1)
        } else if days == Some(first_day + 6) {
            format!("BYDAY=-1{weekday}")
        } else if first_day + 6 <= days.unwrap_or(28) {
            let month_days: Vec<String> =
                (first_day..first_day + 7).map(|d| d.to_string()).collect();
            format!("BYDAY={weekday};BYMONTHDAY={}", month_days.join(","))
        } else {
            return None;
        };
        Some(format!("FREQ=YEARLY;BYMONTH={};{by_day}", change.month))
    }
}

/// The yearly rules the zone's changes follow from some year on, checked year by year up to
/// [`ZONE_RULE_CHECKED_UNTIL`]; `None` when its changes end before then or follow no such rule
/// for [`ZONE_RULE_MIN_YEARS`] (the listing then holds every transition).
fn yearly_rules(transitions: &[Transition]) -> Option<YearlyRules> {
    let mut by_year: BTreeMap<i16, Vec<(YearlyChange, i8)>> = BTreeMap::new();
    for t in transitions {
        by_year
            .entry(t.local.year())
            .or_default()
            .push((t.yearly_change(), t.local.day()));
    }
    let mut from = ZONE_RULE_CHECKED_UNTIL - 1;
    let last = by_year.get(&from)?;
    let changes: Vec<&YearlyChange> = last.iter().map(|(c, _)| c).collect();
    let mut days: Vec<(i8, i8)> = last.iter().map(|(_, d)| (*d, *d)).collect();
    while let Some(year) = by_year.get(&(from - 1)) {
        let same = year.len() == changes.len()
            && year.iter().zip(&changes).all(|((c, _), want)| c == *want);
        let widened: Vec<(i8, i8)> = year
            .iter()
            .zip(&days)
            .map(|((_, d), (lo, hi))| ((*lo).min(*d), (*hi).max(*d)))
            .collect();
        if !same || widened.iter().any(|(lo, hi)| hi - lo > 6) {
            break;
        }
        days = widened;
        from -= 1;
    }
    if ZONE_RULE_CHECKED_UNTIL - from < ZONE_RULE_MIN_YEARS {
        return None;
    }
    let rules = YearlyRules {
        from,
        changes: changes
            .into_iter()
            .cloned()
            .zip(days.into_iter().map(|(lo, _)| lo))
            .collect(),
    };
    // Every change must have a rule a client can read, or none is written.
    let first_year: Vec<&Transition> = transitions
        .iter()
        .filter(|t| t.local.year() == from)
        .collect();
    first_year
        .iter()
        .all(|t| rules.rrule(t).is_some())
        .then_some(rules)
}

fn write_observance(
    w: &mut ics::Writer,
    daylight: bool,
    local_start: jiff::civil::DateTime,
    from: Offset,
    to: Offset,
    abbreviation: &str,
    rrule: Option<&str>,
) {
    let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
    w.begin(kind);
    w.line("DTSTART", &[], &ics::local_date_time(local_start));
    if let Some(rrule) = rrule {
        w.line("RRULE", &[], rrule);
    }
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

    fn vtimezone(name: &str) -> String {
        let mut w = ics::Writer::new();
        let tz = TimeZone::get(name).unwrap();
        write_vtimezone(&mut w, name, &tz);
        w.finish()
    }

    #[test]
    fn berlin_is_the_change_before_2000_then_its_yearly_rule() {
        let expected = [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin",
            "BEGIN:STANDARD",
            "DTSTART:19991031T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:20000326T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "DTSTART:20001029T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
        .join("\r\n")
            + "\r\n";
        assert_eq!(vtimezone("Europe/Berlin"), expected);
    }

    #[test]
    fn new_york_lists_its_changes_until_the_2007_rule() {
        let out = vtimezone("America/New_York");
        let starts: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("DTSTART:"))
            .collect();
        assert_eq!(starts.len(), 1 + 7 * 2 + 2, "{out}");
        assert_eq!(starts[0], "19991031T020000");
        assert_eq!(starts[1], "20000402T020000");
        assert_eq!(starts[14], "20061029T020000");
        assert_eq!(&starts[15..], ["20070311T020000", "20071104T020000"]);
        let rules: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("RRULE:"))
            .collect();
        assert_eq!(
            rules,
            [
                "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"
            ]
        );
    }

    #[test]
    fn zones_without_changes_since_2000_keep_the_last_one() {
        let out = vtimezone("Asia/Tokyo");
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1, "{out}");
        assert!(!out.contains("RRULE"));
        assert!(out.contains("TZOFFSETTO:+0900"));
    }

    /// The day an `RRULE` of [`YearlyRules::rrule`] gives in `year`, computed here from its text.
    fn rule_day(rrule: &str, year: i16) -> Date {
        let parts: BTreeMap<&str, &str> = rrule
            .split(';')
            .map(|kv| kv.split_once('=').unwrap())
            .collect();
        let month: i8 = parts["BYMONTH"].parse().unwrap();
        let by_day = parts["BYDAY"];
        let (week, weekday) = by_day.split_at(by_day.len() - 2);
        let days: Vec<i8> = match (parts.get("BYMONTHDAY"), week) {
            (Some(list), "") => list.split(',').map(|d| d.parse().unwrap()).collect(),
            (None, "-1") => {
                let last = Date::new(year, month, 1).unwrap().days_in_month();
                (last - 6..=last).collect()
            }
            (None, n) => {
                let n: i8 = n.parse().unwrap();
                (7 * (n - 1) + 1..=7 * n).collect()
            }
            other => panic!("{other:?}"),
        };
        let names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
        let matching: Vec<Date> = days
            .iter()
            .map(|&d| Date::new(year, month, d).unwrap())
            .filter(|d| names[d.weekday().to_monday_zero_offset() as usize] == weekday)
            .collect();
        assert_eq!(matching.len(), 1, "{rrule} in {year}");
        matching[0]
    }

    /// Every zone herald knows: the yearly rules give exactly the zone's own transitions up to
    /// [`ZONE_RULE_CHECKED_UNTIL`], and the listing before them stays small.
    #[test]
    fn every_known_zone_is_exact_and_small() {
        let mut with_rules = 0;
        for name in jiff::tz::db().available() {
            let tz = TimeZone::get(name.as_str()).unwrap();
            let transitions = zone_transitions(&tz);
            let rules = yearly_rules(&transitions);
            if let Some(rules) = &rules {
                with_rules += 1;
                let first: Vec<(&Transition, String)> = transitions
                    .iter()
                    .filter(|t| t.local.year() == rules.from)
                    .map(|t| (t, rules.rrule(t).unwrap()))
                    .collect();
                for t in transitions.iter().filter(|t| t.local.year() >= rules.from) {
                    let (_, rrule) = first
                        .iter()
                        .find(|(f, _)| f.yearly_change() == t.yearly_change())
                        .unwrap_or_else(|| panic!("{name}: no rule for {t:?}"));
                    assert_eq!(rule_day(rrule, t.local.year()), t.local.date(), "{name}");
                }
            }
            let listed = transitions
                .iter()
                .filter(|t| rules.as_ref().is_none_or(|r| t.local.year() <= r.from))
                .count();
            assert!(listed <= 300, "{name}: {listed} observances");
        }
        assert!(with_rules > 100, "{with_rules} zones with yearly rules");
    }

    #[test]
    fn a_zone_without_changes_gets_one_standard_observance() {
        let mut w = ics::Writer::new();
        let tz = TimeZone::fixed(Offset::constant(5));
        write_vtimezone(&mut w, "Fixed", &tz);
        let out = w.finish();
        assert!(out.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\n"));
    }
}
