//! The release calendar: every generated feed is parsed with the `icalendar` crate's parser and
//! checked event by event against the example plans (the tests' copy).

use std::path::Path;

use herald::render::{calendar, paths};
use icalendar::parser::{Component, read_calendar, unfold};
use jiff::civil::{Date, DateTime};
use jiff::{Span, Timestamp};

use crate::harness::{self, Project, TODAY, example};

/// The feeds `herald build` writes for a plans folder: path → text.
fn feeds(dir: &Path, today: Date, site_url: Option<&str>) -> Vec<(String, String)> {
    harness::with_context(dir, today, site_url, |ctx| {
        let mut files = calendar::render_shared(ctx);
        for release in &ctx.timeline.releases {
            files.extend(calendar::render_release(ctx, release));
        }
        files
            .iter()
            .map(|(path, bytes)| {
                (
                    path.to_string_lossy().into_owned(),
                    String::from_utf8(bytes.clone()).expect("UTF-8"),
                )
            })
            .collect()
    })
}

fn feed<'a>(all: &'a [(String, String)], path: &str) -> &'a str {
    &all.iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no feed {path}"))
        .1
}

/// A parsed feed with the unfolded text kept alive beside it.
struct Parsed {
    root: Component<'static>,
}

fn parse(text: &str) -> Parsed {
    // The parser borrows the unfolded text; tests parse a few small feeds, so it may live on.
    let unfolded: &'static str = Box::leak(unfold(text).into_boxed_str());
    let cal = read_calendar(unfolded).unwrap_or_else(|e| panic!("unparsable feed: {e}"));
    assert!(
        cal.properties.iter().any(|p| p.name == "VERSION"),
        "VCALENDAR root expected"
    );
    Parsed {
        root: Component {
            name: "VCALENDAR".into(),
            properties: cal.properties,
            components: cal.components,
        },
    }
}

impl Parsed {
    fn prop(&self, name: &str) -> Option<String> {
        prop(&self.root, name)
    }

    fn events(&self) -> Vec<&Component<'static>> {
        self.root
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect()
    }

    fn event(&self, uid: &str) -> &Component<'static> {
        self.events()
            .into_iter()
            .find(|e| prop(e, "UID").as_deref() == Some(uid))
            .unwrap_or_else(|| panic!("no event {uid}"))
    }

    fn timezones(&self) -> Vec<&Component<'static>> {
        self.root
            .components
            .iter()
            .filter(|c| c.name == "VTIMEZONE")
            .collect()
    }
}

/// A property's raw value (still escaped).
fn prop(c: &Component, name: &str) -> Option<String> {
    c.find_prop(name).map(|p| p.val.as_str().to_owned())
}

fn props<'a>(c: &'a Component, name: &str) -> Vec<&'a icalendar::parser::Property<'a>> {
    c.properties.iter().filter(|p| p.name == name).collect()
}

/// `DTSTART;TZID=Europe/Berlin:20261110T100000` → `TZID=Europe/Berlin:20261110T100000`; the
/// parameters in written order, then the value.
fn when(c: &Component, name: &str) -> String {
    let p = c
        .find_prop(name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", prop(c, "UID")));
    let params: Vec<String> = p
        .params
        .iter()
        .map(|param| {
            format!(
                "{}={}",
                param.key.as_str(),
                param.val.as_ref().map_or("", |v| v.as_str())
            )
        })
        .collect();
    format!("{}:{}", params.join(";"), p.val.as_str())
}

/// RFC 5545 TEXT unescaping, done here independently of any crate, one escape at a time.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A TEXT property's value; the parser unescapes the RFC 5545 TEXT properties itself.
fn text(c: &Component, name: &str) -> String {
    prop(c, name).unwrap_or_else(|| panic!("no {name}"))
}

/// What one expected event looks like: UID, summary, DTSTART and DTEND as `when` renders them,
/// and whether it has a reminder (with its trigger). Without a site URL, UIDs are at
/// `<product>.herald.invalid` and the examples' product is Kyma.
struct Expected {
    uid: &'static str,
    summary: &'static str,
    start: &'static str,
    end: &'static str,
    alarm: Option<&'static str>,
}

const fn ev(
    uid: &'static str,
    summary: &'static str,
    start: &'static str,
    end: &'static str,
    alarm: Option<&'static str>,
) -> Expected {
    Expected {
        uid,
        summary,
        start,
        end,
        alarm,
    }
}

const DAY_BEFORE: Option<&str> = Some("-P1D");

fn expected_113() -> Vec<Expected> {
    vec![
        ev(
            "1.13.0-scrum-of-scrums@kyma.herald.invalid",
            "Kyma 1.13.0: Scrum of Scrums",
            "TZID=Europe/Berlin:20260903T100000",
            "TZID=Europe/Berlin:20260903T103000",
            None,
        ),
        ev(
            "1.13.0-deadlines-announcement@kyma.herald.invalid",
            "Kyma 1.13.0: Deadlines announcement",
            "TZID=Europe/Berlin:20260907T100000",
            "TZID=Europe/Berlin:20260907T101500",
            DAY_BEFORE,
        ),
        ev(
            "1.13.0-freeze@kyma.herald.invalid",
            "Kyma 1.13.0: Freeze: release-1.13 is cut",
            "TZID=Europe/Berlin:20260914T090000",
            "TZID=Europe/Berlin:20260914T091500",
            DAY_BEFORE,
        ),
        ev(
            "1.13.0-cherry-pick-rc1@kyma.herald.invalid",
            "Kyma 1.13.0: Cherry-pick deadline for RC1",
            "TZID=Europe/Berlin:20260915T160000",
            "TZID=Europe/Berlin:20260915T161500",
            DAY_BEFORE,
        ),
        ev(
            "1.13.0-rc1@kyma.herald.invalid",
            "Kyma 1.13.0: RC1",
            "VALUE=DATE:20260916",
            "VALUE=DATE:20260917",
            None,
        ),
        ev(
            "1.13.0-cherry-pick-rc2@kyma.herald.invalid",
            "Kyma 1.13.0: Cherry-pick deadline for RC2",
            "TZID=Europe/Berlin:20260929T160000",
            "TZID=Europe/Berlin:20260929T161500",
            DAY_BEFORE,
        ),
        ev(
            "1.13.0-rc2@kyma.herald.invalid",
            "Kyma 1.13.0: RC2",
            "VALUE=DATE:20260930",
            "VALUE=DATE:20261001",
            None,
        ),
        ev(
            "1.13.0-event-release-notes-due@kyma.herald.invalid",
            "Kyma 1.13.0: Release notes due",
            "VALUE=DATE:20261006",
            "VALUE=DATE:20261007",
            None,
        ),
        ev(
            "1.13.0-release@kyma.herald.invalid",
            "Kyma Release 1.13.0",
            "VALUE=DATE:20261008",
            "VALUE=DATE:20261009",
            None,
        ),
    ]
}

fn expected_114() -> Vec<Expected> {
    vec![
        ev(
            "1.14.0-scrum-of-scrums@kyma.herald.invalid",
            "Kyma 1.14.0: Scrum of Scrums",
            "TZID=Europe/Berlin:20261015T100000",
            "TZID=Europe/Berlin:20261015T103000",
            None,
        ),
        ev(
            "1.14.0-deadlines-announcement@kyma.herald.invalid",
            "Kyma 1.14.0: Deadlines announcement",
            "TZID=Europe/Berlin:20261110T100000",
            "TZID=Europe/Berlin:20261110T101500",
            DAY_BEFORE,
        ),
        ev(
            "1.14.0-freeze@kyma.herald.invalid",
            "Kyma 1.14.0: Freeze: release-1.14 is cut",
            "TZID=Europe/Berlin:20261116T090000",
            "TZID=Europe/Berlin:20261116T091500",
            DAY_BEFORE,
        ),
        ev(
            "1.14.0-cherry-pick-rc1@kyma.herald.invalid",
            "Kyma 1.14.0: Cherry-pick deadline for RC1",
            "TZID=Europe/Berlin:20261117T160000",
            "TZID=Europe/Berlin:20261117T161500",
            DAY_BEFORE,
        ),
        ev(
            "1.14.0-rc1@kyma.herald.invalid",
            "Kyma 1.14.0: RC1",
            "VALUE=DATE:20261118",
            "VALUE=DATE:20261119",
            None,
        ),
        ev(
            "1.14.0-cherry-pick-rc2@kyma.herald.invalid",
            "Kyma 1.14.0: Cherry-pick deadline for RC2",
            "TZID=Europe/Berlin:20261130T160000",
            "TZID=Europe/Berlin:20261130T161500",
            DAY_BEFORE,
        ),
        ev(
            "1.14.0-rc2@kyma.herald.invalid",
            "Kyma 1.14.0: RC2",
            "VALUE=DATE:20261201",
            "VALUE=DATE:20261202",
            None,
        ),
        ev(
            "1.14.0-event-upgrade-test-window@kyma.herald.invalid",
            "Kyma 1.14.0: Upgrade test window",
            "VALUE=DATE:20261202",
            "VALUE=DATE:20261203",
            None,
        ),
        ev(
            "1.14.0-cherry-pick-rc3@kyma.herald.invalid",
            "Kyma 1.14.0: Cherry-pick deadline for RC3",
            "TZID=Europe/Berlin:20261207T120000",
            "TZID=Europe/Berlin:20261207T121500",
            DAY_BEFORE,
        ),
        ev(
            "1.14.0-event-release-notes-due@kyma.herald.invalid",
            "Kyma 1.14.0: Release notes due",
            "VALUE=DATE:20261208",
            "VALUE=DATE:20261209",
            None,
        ),
        ev(
            "1.14.0-rc3@kyma.herald.invalid",
            "Kyma 1.14.0: RC3",
            "VALUE=DATE:20261208",
            "VALUE=DATE:20261209",
            None,
        ),
        ev(
            "1.14.0-release@kyma.herald.invalid",
            "Kyma Release 1.14.0",
            "VALUE=DATE:20261210",
            "VALUE=DATE:20261211",
            None,
        ),
    ]
}

fn expected_115() -> Vec<Expected> {
    vec![
        ev(
            "1.15.0-scrum-of-scrums@kyma.herald.invalid",
            "Kyma 1.15.0: Scrum of Scrums",
            "TZID=America/New_York:20261217T100000",
            "TZID=America/New_York:20261217T104500",
            None,
        ),
        // No announcement in the plan: the default, RC1 minus seven days, is a whole day.
        ev(
            "1.15.0-deadlines-announcement@kyma.herald.invalid",
            "Kyma 1.15.0: Deadlines announcement",
            "VALUE=DATE:20270106",
            "VALUE=DATE:20270107",
            Some("-PT15H"),
        ),
        ev(
            "1.15.0-freeze@kyma.herald.invalid",
            "Kyma 1.15.0: Freeze: release-1.15 is cut",
            "TZID=America/New_York:20270111T090000",
            "TZID=America/New_York:20270111T091500",
            DAY_BEFORE,
        ),
        ev(
            "1.15.0-cherry-pick-rc1@kyma.herald.invalid",
            "Kyma 1.15.0: Cherry-pick deadline for RC1",
            "TZID=America/New_York:20270112T160000",
            "TZID=America/New_York:20270112T161500",
            DAY_BEFORE,
        ),
        ev(
            "1.15.0-rc1@kyma.herald.invalid",
            "Kyma 1.15.0: RC1",
            "VALUE=DATE:20270113",
            "VALUE=DATE:20270114",
            None,
        ),
        ev(
            "1.15.0-rc2@kyma.herald.invalid",
            "Kyma 1.15.0: RC2",
            "VALUE=DATE:20270120",
            "VALUE=DATE:20270121",
            None,
        ),
        ev(
            "1.15.0-release@kyma.herald.invalid",
            "Kyma Release 1.15.0",
            "VALUE=DATE:20270128",
            "VALUE=DATE:20270129",
            None,
        ),
    ]
}

fn check_events(parsed: &Parsed, expected: &[Expected], version: &str) {
    let events: Vec<_> = parsed
        .events()
        .into_iter()
        .filter(|e| prop(e, "UID").is_some_and(|u| u.starts_with(&format!("{version}-"))))
        .collect();
    let uids: Vec<String> = events.iter().map(|e| prop(e, "UID").unwrap()).collect();
    let want: Vec<&str> = expected.iter().map(|e| e.uid).collect();
    assert_eq!(uids, want, "events of {version}, in feed order");
    for (event, want) in events.iter().zip(expected) {
        let uid = want.uid;
        assert_eq!(text(event, "SUMMARY"), want.summary, "{uid}");
        assert_eq!(when(event, "DTSTART"), want.start, "{uid}");
        assert_eq!(when(event, "DTEND"), want.end, "{uid}");
        assert_eq!(prop(event, "SEQUENCE").as_deref(), Some("0"), "{uid}");
        let alarms: Vec<_> = event
            .components
            .iter()
            .filter(|c| c.name == "VALARM")
            .collect();
        match want.alarm {
            None => assert!(alarms.is_empty(), "{uid} has no reminder"),
            Some(trigger) => {
                assert_eq!(alarms.len(), 1, "{uid}");
                assert_eq!(
                    prop(alarms[0], "TRIGGER").as_deref(),
                    Some(trigger),
                    "{uid}"
                );
                assert_eq!(prop(alarms[0], "ACTION").as_deref(), Some("DISPLAY"));
                assert_eq!(
                    text(alarms[0], "DESCRIPTION"),
                    format!("Tomorrow: {}", want.summary)
                );
            }
        }
        // Without a site URL, no site-relative path: it would open nothing in a calendar.
        let description = prop(event, "DESCRIPTION").map(|_| text(event, "DESCRIPTION"));
        let description = description.unwrap_or_default();
        assert!(
            !description.contains("releases/") && !description.contains("MagicBox"),
            "{uid}: {description}"
        );
        assert_eq!(prop(event, "URL"), None, "{uid}");
        let busy = prop(event, "RRULE").is_some();
        assert_eq!(
            prop(event, "TRANSP").as_deref(),
            Some(if busy { "OPAQUE" } else { "TRANSPARENT" }),
            "{uid}"
        );
    }
}

#[test]
fn every_event_of_every_example_release_is_in_its_feeds() {
    let all = feeds(&example(), TODAY, None);
    let shared = parse(feed(&all, paths::CALENDAR_ICS));
    let per_release = [
        ("1.13.0", expected_113()),
        ("1.14.0", expected_114()),
        ("1.15.0", expected_115()),
    ];
    for (version, expected) in &per_release {
        let own = parse(feed(&all, &paths::release_ics(version)));
        check_events(&own, expected, version);
        assert_eq!(
            own.events().len(),
            expected.len(),
            "{version}: nothing else"
        );
        check_events(&shared, expected, version);
    }
    let total: usize = per_release.iter().map(|(_, e)| e.len()).sum();
    assert_eq!(shared.events().len(), total);

    // Events the plan describes carry that description as plain text.
    let own = parse(feed(&all, &paths::release_ics("1.14.0")));
    let notes = text(
        own.event("1.14.0-event-release-notes-due@kyma.herald.invalid"),
        "DESCRIPTION",
    );
    assert_eq!(
        notes,
        "Each team adds its highlights to the release notes draft. See the guide \
         (https://kyma-project.io/docs/release-notes)."
    );
    // Events without a description of their own have none: no links to offer either.
    assert_eq!(
        prop(own.event("1.14.0-rc2@kyma.herald.invalid"), "DESCRIPTION"),
        None
    );
    let sos = text(
        own.event("1.14.0-scrum-of-scrums@kyma.herald.invalid"),
        "DESCRIPTION",
    );
    assert_eq!(
        sos,
        "Every 2 weeks at 10:00 Europe/Berlin, 30 minutes, from 2026-10-15 to 2026-12-10 (5 meetings)."
    );
}

#[test]
fn feed_headers_say_what_the_feed_is() {
    let all = feeds(&example(), TODAY, None);
    let shared = parse(feed(&all, paths::CALENDAR_ICS));
    assert_eq!(shared.prop("VERSION").as_deref(), Some("2.0"));
    assert_eq!(
        shared.prop("PRODID").as_deref(),
        Some("-//herald//release calendar//EN")
    );
    // A snapshot to subscribe to, not an iTIP message: no METHOD, so no ORGANIZER is owed.
    assert_eq!(shared.prop("METHOD"), None);
    assert_eq!(
        shared.prop("X-WR-CALNAME").as_deref(),
        Some("Kyma release calendar")
    );
    // Two zones among the releases: no single default zone to announce.
    assert_eq!(shared.prop("X-WR-TIMEZONE"), None);
    let zones: Vec<String> = shared
        .timezones()
        .iter()
        .map(|z| prop(z, "TZID").unwrap())
        .collect();
    assert_eq!(zones, ["America/New_York", "Europe/Berlin"], "one per zone");

    let own = parse(feed(&all, &paths::release_ics("1.14.0")));
    assert_eq!(
        own.prop("X-WR-CALNAME").as_deref(),
        Some("Kyma release 1.14.0 (Ulm)")
    );
    assert_eq!(own.prop("X-WR-TIMEZONE").as_deref(), Some("Europe/Berlin"));
    let zones: Vec<String> = own
        .timezones()
        .iter()
        .map(|z| prop(z, "TZID").unwrap())
        .collect();
    assert_eq!(zones, ["Europe/Berlin"]);
    // DTSTAMP comes from the plan: the start of the event's last occurrence, in UTC (whole
    // days start at midnight in Berlin).
    let stamp = |uid: &str| prop(own.event(uid), "DTSTAMP");
    for (uid, stamp_utc) in [
        ("1.14.0-rc2@kyma.herald.invalid", "20261130T230000Z"),
        (
            "1.14.0-cherry-pick-rc2@kyma.herald.invalid",
            "20261130T150000Z",
        ),
        ("1.14.0-freeze@kyma.herald.invalid", "20261116T080000Z"),
        (
            "1.14.0-scrum-of-scrums@kyma.herald.invalid",
            "20261210T090000Z",
        ),
    ] {
        assert_eq!(stamp(uid).as_deref(), Some(stamp_utc), "{uid}");
    }
}

/// The offset the feed's own VTIMEZONE gives for a local time, resolved here without jiff's
/// zone data: the latest onset before the instant wins; an observance with a yearly `RRULE`
/// (`BYMONTH`, and `BYDAY` with an ordinal or with `BYMONTHDAY`) has an onset every year.
fn offset_from_vtimezone(vtz: &Component, local: DateTime) -> i32 {
    let onsets = vtimezone_onsets(vtz, local.year() + 1);
    let mut offset = onsets.first().map(|o| o.1).unwrap();
    for (onset, to) in &onsets {
        if utc_of(local, *to) >= *onset {
            offset = *to;
        }
    }
    offset
}

/// The offset the feed's own VTIMEZONE gives at an instant.
fn offset_at_instant(vtz: &Component, at: Timestamp) -> i32 {
    let year = at.to_zoned(jiff::tz::TimeZone::UTC).year();
    let onsets = vtimezone_onsets(vtz, year + 1);
    let mut offset = onsets.first().map(|o| o.1).unwrap();
    for (onset, to) in &onsets {
        if at >= *onset {
            offset = *to;
        }
    }
    offset
}

/// Every onset of a VTIMEZONE's observances up to the end of `until_year`, in order, with the
/// offset it starts.
fn vtimezone_onsets(vtz: &Component, until_year: i16) -> Vec<(Timestamp, i32)> {
    let parse_offset = |s: &str| -> i32 {
        let sign = if s.starts_with('-') { -1 } else { 1 };
        let h: i32 = s[1..3].parse().unwrap();
        let m: i32 = s[3..5].parse().unwrap();
        sign * (h * 3600 + m * 60)
    };
    let mut onsets: Vec<(Timestamp, i32)> = Vec::new();
    for obs in &vtz.components {
        let start: DateTime = parse_local(&prop(obs, "DTSTART").unwrap());
        let from = parse_offset(&prop(obs, "TZOFFSETFROM").unwrap());
        let to = parse_offset(&prop(obs, "TZOFFSETTO").unwrap());
        onsets.push((utc_of(start, from), to));
        let Some(rule) = prop(obs, "RRULE") else {
            continue;
        };
        for year in start.year() + 1..=until_year {
            let day = yearly_rule_day(&rule, year);
            onsets.push((utc_of(day.to_datetime(start.time()), from), to));
        }
    }
    onsets.sort();
    onsets
}

/// The day a VTIMEZONE observance's yearly `RRULE` gives in `year`.
fn yearly_rule_day(rule: &str, year: i16) -> Date {
    let parts: std::collections::BTreeMap<&str, &str> = rule
        .split(';')
        .map(|kv| kv.split_once('=').unwrap())
        .collect();
    assert_eq!(parts["FREQ"], "YEARLY", "{rule}");
    let month: i8 = parts["BYMONTH"].parse().unwrap();
    let by_day = parts["BYDAY"];
    let (ordinal, weekday) = by_day.split_at(by_day.len() - 2);
    let weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        .iter()
        .position(|d| *d == weekday)
        .unwrap_or_else(|| panic!("{rule}"));
    let in_month = Date::new(year, month, 1).unwrap().days_in_month();
    let days: Vec<i8> = match (parts.get("BYMONTHDAY"), ordinal) {
        (Some(list), "") => list.split(',').map(|d| d.parse().unwrap()).collect(),
        (None, "-1") => (in_month - 6..=in_month).collect(),
        (None, n) => {
            let n: i8 = n.parse().unwrap();
            (7 * (n - 1) + 1..=7 * n).collect()
        }
        _ => panic!("unexpected rule {rule}"),
    };
    let found: Vec<Date> = days
        .into_iter()
        .filter_map(|d| Date::new(year, month, d).ok())
        .filter(|d| d.weekday().to_monday_zero_offset() as usize == weekday)
        .collect();
    assert_eq!(found.len(), 1, "{rule} in {year}");
    found[0]
}

fn parse_local(s: &str) -> DateTime {
    let s = s.trim_end_matches('Z');
    format!(
        "{}-{}-{}T{}:{}:{}",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    )
    .parse()
    .unwrap()
}

fn utc_of(local: DateTime, offset_seconds: i32) -> Timestamp {
    local
        .to_zoned(jiff::tz::TimeZone::fixed(
            jiff::tz::Offset::from_seconds(offset_seconds).unwrap(),
        ))
        .unwrap()
        .timestamp()
}

/// Expands `FREQ=WEEKLY;INTERVAL=n;UNTIL=…` from a TZID'd DTSTART, using the feed's VTIMEZONE.
fn expand_weekly(parsed: &Parsed, event: &Component) -> Vec<(DateTime, Timestamp)> {
    let start = event.find_prop("DTSTART").unwrap();
    let tzid = start
        .params
        .iter()
        .find(|p| p.key == "TZID")
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str().to_owned())
        .expect("the meeting is in a named zone");
    let vtz = parsed
        .timezones()
        .into_iter()
        .find(|z| prop(z, "TZID").as_deref() == Some(tzid.as_str()))
        .expect("a VTIMEZONE for the meeting's TZID");
    let rule = prop(event, "RRULE").expect("a recurrence");
    let parts: std::collections::BTreeMap<&str, &str> = rule
        .split(';')
        .map(|kv| kv.split_once('=').unwrap())
        .collect();
    assert_eq!(parts["FREQ"], "WEEKLY");
    assert_eq!(parts.len(), 3, "FREQ, INTERVAL and UNTIL only: {rule}");
    let interval: i64 = parts["INTERVAL"].parse().unwrap();
    let until = parts["UNTIL"];
    assert!(
        until.ends_with('Z'),
        "UNTIL is in UTC with a TZID'd DTSTART"
    );
    let until = utc_of(parse_local(until), 0);
    let first = parse_local(start.val.as_str());
    let mut out = Vec::new();
    for k in 0.. {
        let local = first.checked_add(Span::new().weeks(k * interval)).unwrap();
        let at = utc_of(local, offset_from_vtimezone(vtz, local));
        if at > until {
            break;
        }
        out.push((local, at));
    }
    out
}

#[test]
fn scrum_of_scrums_keeps_its_local_time_across_the_daylight_saving_change() {
    let all = feeds(&example(), TODAY, None);
    let own = parse(feed(&all, &paths::release_ics("1.14.0")));
    let sos = own.event("1.14.0-scrum-of-scrums@kyma.herald.invalid");
    assert_eq!(
        prop(sos, "RRULE").as_deref(),
        Some("FREQ=WEEKLY;INTERVAL=2;UNTIL=20261210T090000Z")
    );
    let meetings = expand_weekly(&own, sos);
    let utc: Vec<String> = meetings.iter().map(|(_, at)| at.to_string()).collect();
    // 10:00 in Berlin: 08:00 UTC in summer time, 09:00 UTC after 25 October.
    assert_eq!(
        utc,
        [
            "2026-10-15T08:00:00Z",
            "2026-10-29T09:00:00Z",
            "2026-11-12T09:00:00Z",
            "2026-11-26T09:00:00Z",
            "2026-12-10T09:00:00Z",
        ]
    );
    assert!(meetings.iter().all(|(local, _)| local.hour() == 10));
    assert!(text(sos, "DESCRIPTION").starts_with(
        "Every 2 weeks at 10:00 Europe/Berlin, 30 minutes, from 2026-10-15 to 2026-12-10 (5 meetings)."
    ));

    let older = parse(feed(&all, &paths::release_ics("1.13.0")));
    let meetings = expand_weekly(
        &older,
        older.event("1.13.0-scrum-of-scrums@kyma.herald.invalid"),
    );
    let utc: Vec<String> = meetings.iter().map(|(_, at)| at.to_string()).collect();
    assert_eq!(
        utc,
        [
            "2026-09-03T08:00:00Z",
            "2026-09-17T08:00:00Z",
            "2026-10-01T08:00:00Z",
        ]
    );

    let newer = parse(feed(&all, &paths::release_ics("1.15.0")));
    let meetings = expand_weekly(
        &newer,
        newer.event("1.15.0-scrum-of-scrums@kyma.herald.invalid"),
    );
    let utc: Vec<String> = meetings.iter().map(|(_, at)| at.to_string()).collect();
    assert_eq!(
        utc,
        [
            "2026-12-17T15:00:00Z",
            "2026-12-31T15:00:00Z",
            "2027-01-14T15:00:00Z",
            "2027-01-28T15:00:00Z",
        ]
    );
}

#[test]
fn the_recurrence_matches_the_timeline_meeting_by_meeting() {
    let project = harness::load(&example(), TODAY);
    let timeline = project.plan();
    let all = feeds(&example(), TODAY, None);
    let shared = parse(feed(&all, paths::CALENDAR_ICS));
    for release in &timeline.releases {
        let uid = format!("{}-scrum-of-scrums@kyma.herald.invalid", release.version);
        let meetings = expand_weekly(&shared, shared.event(&uid));
        let from_feed: Vec<Timestamp> = meetings.iter().map(|m| m.1).collect();
        let from_plan: Vec<Timestamp> = release
            .scrum_of_scrums
            .iter()
            .map(|m| m.start.timestamp())
            .collect();
        assert_eq!(from_feed, from_plan, "{uid}");
    }
}

#[test]
fn every_feed_holds_the_same_full_vtimezone_per_zone() {
    let all = feeds(&example(), TODAY, None);
    // Zone → the VTIMEZONE's lines, from every feed that has it.
    let mut seen: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for (path, text) in &all {
        let unfolded = unfold(text);
        let mut lines = unfolded.split("\r\n");
        while let Some(line) = lines.next() {
            if line != "BEGIN:VTIMEZONE" {
                continue;
            }
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| *l != "END:VTIMEZONE")
                .collect();
            let tzid = body[0].strip_prefix("TZID:").unwrap().to_owned();
            seen.entry(tzid)
                .or_default()
                .push((path.clone(), body.join("\n")));
        }
    }
    assert_eq!(
        seen.keys().collect::<Vec<_>>(),
        ["America/New_York", "Europe/Berlin"]
    );
    // calendar.ics and 1.13.0, 1.14.0 (Berlin); calendar.ics and 1.15.0 (New York).
    assert_eq!(seen["Europe/Berlin"].len(), 3);
    assert_eq!(seen["America/New_York"].len(), 2);
    for (zone, copies) in &seen {
        for (path, body) in copies {
            assert_eq!(
                body, &copies[0].1,
                "{zone} in {path} differs from {}",
                copies[0].0
            );
        }
    }

    // The zone's yearly rules: Berlin since 1996, New York since 2007.
    let shared = parse(feed(&all, paths::CALENDAR_ICS));
    let zone = |name: &str| {
        shared
            .timezones()
            .into_iter()
            .find(|z| prop(z, "TZID").as_deref() == Some(name))
            .unwrap()
    };
    let rules = |name: &str| -> Vec<(String, String, String)> {
        zone(name)
            .components
            .iter()
            .filter(|o| o.find_prop("RRULE").is_some())
            .map(|o| {
                (
                    o.name.as_str().to_owned(),
                    prop(o, "DTSTART").unwrap(),
                    prop(o, "RRULE").unwrap(),
                )
            })
            .collect()
    };
    let owned = |rows: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    };
    assert_eq!(
        rules("Europe/Berlin"),
        owned(&[
            (
                "DAYLIGHT",
                "20000326T020000",
                "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
            ),
            (
                "STANDARD",
                "20001029T030000",
                "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
            ),
        ])
    );
    assert_eq!(
        rules("America/New_York"),
        owned(&[
            (
                "DAYLIGHT",
                "20070311T020000",
                "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"
            ),
            (
                "STANDARD",
                "20071104T020000",
                "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"
            ),
        ])
    );

    // Read with this test's own resolver, each VTIMEZONE gives the zone's offset an hour before
    // and after every change from 2000 to 2060, and at noon on the 1st of every month.
    for name in ["Europe/Berlin", "America/New_York"] {
        let vtz = zone(name);
        let tz = jiff::tz::TimeZone::get(name).unwrap();
        let start: Timestamp = "2000-01-01T00:00:00Z".parse().unwrap();
        let end: Timestamp = "2060-01-01T00:00:00Z".parse().unwrap();
        let mut instants: Vec<Timestamp> = Vec::new();
        for t in tz.following(start).take_while(|t| t.timestamp() < end) {
            instants.push(t.timestamp() - Span::new().hours(1));
            instants.push(t.timestamp() + Span::new().hours(1));
        }
        let mut day = jiff::civil::date(2000, 1, 1);
        while day.year() < 2060 {
            instants.push(tz.to_timestamp(day.at(12, 0, 0, 0)).unwrap());
            day = day.checked_add(Span::new().months(1)).unwrap();
        }
        for at in instants {
            let want = tz.to_offset(at).seconds();
            assert_eq!(offset_at_instant(vtz, at), want, "{name} at {at}");
        }
    }
}

#[test]
fn every_line_is_crlf_terminated_and_at_most_75_octets() {
    let all = feeds(
        &example(),
        TODAY,
        Some("https://example.github.io/releases"),
    );
    assert_eq!(all.len(), 4, "the shared feed and one per release");
    for (path, text) in &all {
        assert!(text.ends_with("\r\n"), "{path}");
        let body = text.strip_suffix("\r\n").unwrap();
        for (n, line) in body.split("\r\n").enumerate() {
            assert!(
                !line.contains('\n') && !line.contains('\r'),
                "{path}:{n}: bare line break"
            );
            assert!(
                line.len() <= 75,
                "{path}:{n}: {} octets: {line}",
                line.len()
            );
        }
        // Long descriptions with absolute links do get folded.
        assert!(text.contains("\r\n "), "{path} has folded lines");
    }
    let shared = parse(feed(&all, paths::CALENDAR_ICS));
    // With a site URL the UIDs are at its host, with its path in front.
    let rc2 = shared.event("1.14.0-rc2@releases.example.github.io");
    assert_eq!(text(rc2, "SUMMARY"), "Kyma 1.14.0: RC2");
    assert_eq!(
        prop(rc2, "URL").as_deref(),
        Some("https://example.github.io/releases/releases/1.14.0/magicbox.html")
    );
    assert_eq!(
        text(rc2, "DESCRIPTION"),
        "MagicBox: https://example.github.io/releases/releases/1.14.0/magicbox.html\n\
         Manual-test workbook: https://example.github.io/releases/releases/1.14.0/manual-tests-1.14.0.xlsx"
    );
    let notes = shared.event("1.14.0-event-release-notes-due@releases.example.github.io");
    assert!(
        text(notes, "DESCRIPTION").starts_with(
            "Each team adds its highlights to the release notes draft. See the guide \
             (https://kyma-project.io/docs/release-notes).\n\n\
             MagicBox: https://example.github.io/releases/releases/1.14.0/magicbox.html\n"
        ),
        "{}",
        text(notes, "DESCRIPTION")
    );
}

#[test]
fn two_projects_in_one_calendar_never_share_a_uid() {
    // Only 1.14.yaml is edited below: compare that release's feed.
    let uids = |all: &[(String, String)]| -> Vec<String> {
        parse(feed(all, &paths::release_ics("1.14.0")))
            .events()
            .iter()
            .map(|e| prop(e, "UID").unwrap())
            .collect()
    };
    let kyma = uids(&feeds(&example(), TODAY, None));
    // Another product's plans with the same versions and milestones.
    let other = edited_examples(|t| t.replace("product: Kyma", "product: Open Cluster"));
    let other_all = feeds(&other.plans(), TODAY, None);
    let other_uids = uids(&other_all);
    assert!(
        other_uids.contains(&"1.14.0-rc2@open-cluster.herald.invalid".to_owned()),
        "{other_uids:?}"
    );
    let own = parse(feed(&other_all, &paths::release_ics("1.14.0")));
    assert_eq!(
        text(
            own.event("1.14.0-rc2@open-cluster.herald.invalid"),
            "SUMMARY"
        ),
        "Open Cluster 1.14.0: RC2"
    );
    assert_eq!(
        own.prop("X-WR-CALNAME").as_deref(),
        Some("Open Cluster release 1.14.0 (Ulm)")
    );
    // Two sites on one host.
    let site_a = uids(&feeds(&example(), TODAY, Some("https://org.github.io/a/")));
    let site_b = uids(&feeds(&example(), TODAY, Some("https://org.github.io/b")));
    assert!(
        site_a.contains(&"1.14.0-rc2@a.org.github.io".to_owned()),
        "{site_a:?}"
    );
    for (one, two) in [(&kyma, &other_uids), (&kyma, &site_a), (&site_a, &site_b)] {
        assert!(one.iter().all(|uid| !two.contains(uid)), "{one:?} {two:?}");
    }
    // A release without a product keeps a summary without one, at the fallback domain.
    let bare = edited_examples(|t| t.replace("product: Kyma\n", ""));
    let all = feeds(&bare.plans(), TODAY, None);
    let own = parse(feed(&all, &paths::release_ics("1.14.0")));
    assert_eq!(
        text(own.event("1.14.0-rc2@herald.invalid"), "SUMMARY"),
        "1.14.0: RC2"
    );
    assert_eq!(
        text(own.event("1.14.0-release@herald.invalid"), "SUMMARY"),
        "Release 1.14.0"
    );
}

#[test]
fn builds_are_byte_identical_and_uids_do_not_depend_on_the_day() {
    let first = feeds(&example(), TODAY, None);
    let second = feeds(&example(), TODAY, None);
    assert_eq!(first, second);
    // A later day changes what is past, not the calendar.
    let later = feeds(&example(), jiff::civil::date(2027, 3, 1), None);
    assert_eq!(first, later);
    let uids = |all: &[(String, String)]| -> Vec<String> {
        parse(feed(all, paths::CALENDAR_ICS))
            .events()
            .iter()
            .map(|e| prop(e, "UID").unwrap())
            .collect()
    };
    let all_uids = uids(&first);
    let mut unique = all_uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all_uids.len(), "UIDs are unique");
}

/// A copy of the example plans, with `edit` applied to `1.14.yaml`.
fn edited_examples(edit: impl FnOnce(String) -> String) -> Project {
    edited_example("1.14.yaml", edit)
}

/// A copy of the example plans, with `edit` applied to one file.
fn edited_example(name: &str, edit: impl FnOnce(String) -> String) -> Project {
    let project = Project::new();
    let file = project.plans().join(name);
    let text = harness::read(&file);
    std::fs::write(&file, edit(text)).unwrap();
    project
}

#[test]
fn a_moved_candidate_keeps_its_uid_and_moves() {
    let dir = edited_examples(|t| t.replace("date: 2026-12-01", "date: 2026-12-02"));
    let all = feeds(&dir.plans(), TODAY, None);
    let own = parse(feed(&all, &paths::release_ics("1.14.0")));
    let rc2 = own.event("1.14.0-rc2@kyma.herald.invalid");
    assert_eq!(when(rc2, "DTSTART"), "VALUE=DATE:20261202");
    assert_eq!(when(rc2, "DTEND"), "VALUE=DATE:20261203");
    // Moving the event moves its DTSTAMP, so a client comparing stamps takes the new copy;
    // the other events keep theirs.
    assert_eq!(prop(rc2, "DTSTAMP").as_deref(), Some("20261201T230000Z"));
    let original = feeds(&example(), TODAY, None);
    let original = parse(feed(&original, &paths::release_ics("1.14.0")));
    for event in original.events() {
        let uid = prop(event, "UID").unwrap();
        let moved = own.event(&uid);
        if uid.starts_with("1.14.0-rc2@") {
            assert_ne!(prop(moved, "DTSTAMP"), prop(event, "DTSTAMP"));
        } else {
            assert_eq!(prop(moved, "DTSTAMP"), prop(event, "DTSTAMP"), "{uid}");
        }
    }
    let before = parse(feed(
        &feeds(&example(), TODAY, None),
        &paths::release_ics("1.14.0"),
    ))
    .events()
    .iter()
    .map(|e| prop(e, "UID").unwrap())
    .collect::<Vec<_>>();
    let mut after: Vec<String> = own
        .events()
        .iter()
        .map(|e| prop(e, "UID").unwrap())
        .collect();
    let mut before_sorted = before.clone();
    before_sorted.sort();
    after.sort();
    assert_eq!(after, before_sorted, "the same events, none duplicated");
}

#[test]
fn hostile_text_is_escaped_and_cannot_inject_a_property() {
    // Titles are one line (`check` rejects line breaks), so the line breaks come through a
    // Markdown description's code block, which keeps them.
    let hostile_title = "Evil; one, two \\\\ back — ünïcödé ✓ €€€€€€€€€€€€€€€€€€€€€€€€€€€€€";
    let hostile_description =
        "```\\nATTENDEE:mailto:x@example.com\\r\\nEND:VEVENT\\nBEGIN:VEVENT; x, y \\\\\\n```";
    let dir = edited_examples(|t| {
        t.replace(
            "{ title: Upgrade test window, date: 2026-12-02, description: \"Framefrog runs the upgrade from 1.13 on the RC2 cluster.\" }",
            &format!(
                "{{ title: \"{hostile_title}\", date: 2026-12-02, description: \"{hostile_description}\" }}"
            ),
        )
    });
    let all = feeds(&dir.plans(), TODAY, None);
    let raw = feed(&all, &paths::release_ics("1.14.0"));
    let own = parse(raw);
    let expected_title = "Evil; one, two \\ back — ünïcödé ✓ €€€€€€€€€€€€€€€€€€€€€€€€€€€€€";
    let event = own
        .events()
        .into_iter()
        .find(|e| text(e, "SUMMARY").contains("Evil"))
        .expect("the hostile event");
    assert_eq!(
        text(event, "SUMMARY"),
        format!("Kyma 1.14.0: {expected_title}")
    );
    // CRLF inside a value is written as one escaped newline.
    assert_eq!(
        text(event, "DESCRIPTION"),
        "ATTENDEE:mailto:x@example.com\nEND:VEVENT\nBEGIN:VEVENT; x, y \\"
    );
    assert!(props(event, "ATTENDEE").is_empty());
    // The exact escaped form, and its unescaping done here without the parser.
    let unfolded = unfold(raw);
    let line = |prefix: &str| {
        unfolded
            .split("\r\n")
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("one {prefix} line"))
            .to_owned()
    };
    let summary_line = line("SUMMARY:Kyma 1.14.0: Evil");
    assert_eq!(
        summary_line,
        "SUMMARY:Kyma 1.14.0: Evil\\; one\\, two \\\\ back — ünïcödé ✓ €€€€€€€€€€€€€€€€€€€€€€€€€€€€€"
    );
    assert_eq!(
        format!("Kyma 1.14.0: {expected_title}"),
        unescape(summary_line.strip_prefix("SUMMARY:").unwrap())
    );
    assert_eq!(
        line("DESCRIPTION:ATTENDEE"),
        "DESCRIPTION:ATTENDEE:mailto:x@example.com\\nEND:VEVENT\\nBEGIN:VEVENT\\; x\\, y \\\\"
    );
    assert_eq!(
        own.events().len(),
        expected_114().len(),
        "no event was split or added"
    );
    for line in raw.split("\r\n") {
        assert!(!line.starts_with("ATTENDEE"), "injected: {line}");
        assert!(line.len() <= 75);
    }
    // Folding kept the UTF-8 intact: the raw feed is valid UTF-8 and unfolds to the title.
    assert!(unfolded.contains("ünïcödé ✓ €€€€€€€€€€€€€€€€€€€€€€€€€€€€€"));
}

#[test]
fn a_release_in_utc_is_written_in_utc_without_a_vtimezone() {
    let dir = edited_example("1.15.yaml", |t| {
        t.replace("timezone: America/New_York\n", "")
    });
    let all = feeds(&dir.plans(), TODAY, None);
    let own = parse(feed(&all, &paths::release_ics("1.15.0")));
    assert!(own.timezones().is_empty());
    assert_eq!(own.prop("X-WR-TIMEZONE").as_deref(), Some("UTC"));
    let freeze = own.event("1.15.0-freeze@kyma.herald.invalid");
    assert_eq!(when(freeze, "DTSTART"), ":20270111T090000Z");
    assert_eq!(when(freeze, "DTEND"), ":20270111T091500Z");
    let sos = own.event("1.15.0-scrum-of-scrums@kyma.herald.invalid");
    assert_eq!(when(sos, "DTSTART"), ":20261217T100000Z");
    assert_eq!(
        prop(sos, "RRULE").as_deref(),
        Some("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270128T100000Z")
    );
    // The shared feed still describes Berlin, once.
    let shared = parse(feed(&all, paths::CALENDAR_ICS));
    let zones: Vec<String> = shared
        .timezones()
        .iter()
        .map(|z| prop(z, "TZID").unwrap())
        .collect();
    assert_eq!(zones, ["Europe/Berlin"]);
}

#[test]
fn the_calendar_command_prints_or_writes_the_same_feed_as_the_build() {
    let all = feeds(&example(), TODAY, None);
    let dir = example();
    let dir = dir.to_str().unwrap();

    let out = harness::output(&["calendar", dir, "--today", "2026-11-26"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        feed(&all, paths::CALENDAR_ICS)
    );

    let out = harness::output(&[
        "calendar",
        dir,
        "--release",
        "1.14",
        "--today",
        "2026-11-26",
    ]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        feed(&all, &paths::release_ics("1.14.0"))
    );

    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("feeds/1.15.ics");
    let out = harness::output(&[
        "calendar",
        dir,
        "-o",
        target.to_str().unwrap(),
        "--release",
        "1.15.0",
        "--today",
        "2026-11-26",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("wrote {}: 1 release, 7 events\n", target.display())
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        feed(&all, &paths::release_ics("1.15.0"))
    );

    let out = harness::output(&["calendar", dir, "--release", "9.9", "--today", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("herald: no release `9.9` in {dir}; the releases are: 1.13.0, 1.14.0, 1.15.0\n")
    );
}

#[test]
fn the_calendar_command_refuses_plans_with_errors() {
    let dir = edited_examples(|t| t.replace("release: 2026-12-10", "release: 2026-13-40"));
    let out = harness::output(&[
        "calendar",
        dir.plans().to_str().unwrap(),
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no feed on errors");
    assert!(String::from_utf8_lossy(&out.stderr).contains("the plans have errors"));
}
