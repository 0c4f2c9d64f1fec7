#!/usr/bin/env python3
"""Validate herald's ICS feeds with the Python `icalendar` and `recurring-ical-events` packages.

Usage: check-calendar.py FEED.ics [FEED.ics ...]

For every feed: CRLF line ends and lines of at most 75 octets; a parse without errors; the
calendar properties (and no METHOD); per event a UID (unique), DTSTAMP, DTSTART, DTEND and SUMMARY; all-day
events ending the next day; every TZID backed by a VTIMEZONE that agrees with the IANA zone
at each occurrence. Recurring events are expanded with `recurring-ical-events` and must meet at
the same local time every INTERVAL weeks up to UNTIL; the Scrum of Scrums of the example
releases (releases/) must expand to exactly the dates listed below.

Exits 0 when every feed passes, 1 when one does not, and 0 with a "skipped" line when the
packages are not installed.
"""

import datetime as dt
import sys

try:
    import icalendar
    import recurring_ical_events
    from zoneinfo import ZoneInfo
except ImportError as missing:
    print(f"skipped: Python packages icalendar and recurring-ical-events not installed ({missing})")
    sys.exit(0)

# The example plans' meetings by UID before the `@` (the domain depends on the site URL), in
# local time: 1.14.0 crosses the end of summer time in Berlin.
EXPECTED_MEETINGS = {
    "1.13.0-scrum-of-scrums": (
        "Europe/Berlin",
        ["2026-09-03 10:00", "2026-09-17 10:00", "2026-10-01 10:00"],
    ),
    "1.14.0-scrum-of-scrums": (
        "Europe/Berlin",
        [
            "2026-10-15 10:00",
            "2026-10-29 10:00",
            "2026-11-12 10:00",
            "2026-11-26 10:00",
            "2026-12-10 10:00",
        ],
    ),
    "1.15.0-scrum-of-scrums": (
        "America/New_York",
        ["2026-12-17 10:00", "2026-12-31 10:00", "2027-01-14 10:00", "2027-01-28 10:00"],
    ),
}

WIDE_WINDOW = (dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc))


class Problems:
    def __init__(self, path):
        self.path = path
        self.items = []

    def add(self, message):
        self.items.append(f"{self.path}: {message}")


def check_lines(raw, problems):
    if not raw.endswith(b"\r\n"):
        problems.add("does not end with CRLF")
    for n, line in enumerate(raw[:-2].split(b"\r\n"), start=1):
        if b"\n" in line or b"\r" in line:
            problems.add(f"line {n}: bare line break")
        if len(line) > 75:
            problems.add(f"line {n}: {len(line)} octets")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.add(f"not UTF-8 (a fold split a character?): {e}")


def parse_errors(component):
    errors = list(getattr(component, "errors", []) or [])
    for sub in component.subcomponents:
        errors.extend(parse_errors(sub))
    return errors


def as_aware(value):
    """A DTSTART/DTEND value as an aware datetime, or a date for all-day values."""
    return value.dt if hasattr(value, "dt") else value


def check_event(event, timezones, problems):
    uid = str(event.get("UID", "?"))
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        if name not in event:
            problems.add(f"{uid}: no {name}")
    if "DTSTART" not in event or "DTEND" not in event:
        return
    start, end = as_aware(event["DTSTART"]), as_aware(event["DTEND"])
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        problems.add(f"{uid}: DTSTART and DTEND of different types")
        return
    if not isinstance(start, dt.datetime):
        if end != start + dt.timedelta(days=1):
            problems.add(f"{uid}: all-day event from {start} must end the next day, not {end}")
        return
    if start.tzinfo is None:
        problems.add(f"{uid}: floating time {start}")
        return
    if end <= start:
        problems.add(f"{uid}: ends at {end}, not after its start {start}")
    tzid = event["DTSTART"].params.get("TZID")
    if tzid is not None and tzid not in timezones:
        problems.add(f"{uid}: TZID {tzid} has no VTIMEZONE")
    if "DTSTAMP" in event and event["DTSTAMP"].dt.tzinfo is None:
        problems.add(f"{uid}: DTSTAMP is not in UTC")


def from_vtimezone(vtimezone):
    """The tzinfo the VTIMEZONE itself describes, not the IANA zone of the same name."""
    try:
        return vtimezone.to_tz(lookup_tzid=False)
    except TypeError:  # icalendar before 6 has no lookup_tzid and always reads the component
        return vtimezone.to_tz()


def vtimezone_agrees(tzid, vtimezone_tz, local):
    """The feed's VTIMEZONE and the IANA database give the same offset for a local time."""
    naive = local.replace(tzinfo=None)
    ours = naive.replace(tzinfo=vtimezone_tz).utcoffset()
    iana = naive.replace(tzinfo=ZoneInfo(tzid)).utcoffset()
    return ours == iana, ours, iana


def check_recurrence(cal, event, timezones, problems):
    uid = str(event["UID"])
    rule = event["RRULE"]
    if rule.get("FREQ") != ["WEEKLY"]:
        problems.add(f"{uid}: FREQ is {rule.get('FREQ')}, not WEEKLY")
        return []
    interval = int(rule.get("INTERVAL", [1])[0])
    until = rule.get("UNTIL", [None])[0]
    if until is None or until.tzinfo is None or until.utcoffset() != dt.timedelta(0):
        problems.add(f"{uid}: UNTIL {until} must be a UTC date-time")
        return []
    start = event["DTSTART"].dt
    tzid = event["DTSTART"].params.get("TZID")
    occurrences = sorted(
        (o for o in recurring_ical_events.of(cal).between(*WIDE_WINDOW) if str(o["UID"]) == uid),
        key=lambda o: o["DTSTART"].dt,
    )
    if not occurrences:
        problems.add(f"{uid}: the recurrence expands to nothing")
        return []
    starts = [o["DTSTART"].dt for o in occurrences]
    duration = event["DTEND"].dt - start
    for i, (occurrence, at) in enumerate(zip(occurrences, starts)):
        local = at.astimezone(ZoneInfo(tzid)) if tzid else at
        wanted_date = start.date() + dt.timedelta(weeks=interval * i)
        if (local.date(), local.time()) != (wanted_date, start.time()):
            problems.add(f"{uid}: meeting {i + 1} at {local}, expected {wanted_date} {start.time()}")
        if occurrence["DTEND"].dt - at != duration:
            problems.add(f"{uid}: meeting {i + 1} lasts {occurrence['DTEND'].dt - at}")
        if tzid in timezones:
            same, ours, iana = vtimezone_agrees(tzid, timezones[tzid], local)
            if not same:
                problems.add(f"{uid}: on {local.date()} the VTIMEZONE says {ours}, the IANA zone {iana}")
    if starts[-1] > until:
        problems.add(f"{uid}: the last meeting {starts[-1]} is after UNTIL {until}")
    following = (starts[-1].astimezone(ZoneInfo(tzid)) if tzid else starts[-1]) + dt.timedelta(weeks=interval)
    if following.astimezone(dt.timezone.utc) <= until:
        problems.add(f"{uid}: a meeting on {following} is missing before UNTIL {until}")
    if uid.split("@")[0] in EXPECTED_MEETINGS:
        zone, wanted = EXPECTED_MEETINGS[uid.split("@")[0]]
        got = [s.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") for s in starts]
        if got != wanted:
            problems.add(f"{uid}: meetings {got}, expected {wanted}")
    return starts


def check_feed(path):
    problems = Problems(path)
    with open(path, "rb") as f:
        raw = f.read()
    check_lines(raw, problems)
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except ValueError as e:
        problems.add(f"does not parse: {e}")
        return problems, ""
    for error in parse_errors(cal):
        problems.add(f"parse error: {error}")
    if str(cal.get("VERSION")) != "2.0":
        problems.add(f"VERSION is {cal.get('VERSION')}")
    if str(cal.get("PRODID")) != "-//herald//release calendar//EN":
        problems.add(f"PRODID is {cal.get('PRODID')}")
    # A feed is a snapshot, not an iTIP message: METHOD:PUBLISH would owe an ORGANIZER.
    if "METHOD" in cal:
        problems.add(f"METHOD is {cal.get('METHOD')}, expected none")

    timezones = {str(tz["TZID"]): from_vtimezone(tz) for tz in cal.walk("VTIMEZONE")}
    events = cal.walk("VEVENT")
    uids = [str(e.get("UID")) for e in events]
    duplicates = sorted({u for u in uids if uids.count(u) > 1})
    if duplicates:
        problems.add(f"duplicate UIDs: {', '.join(duplicates)}")
    meetings = 0
    recurring = 0
    for event in events:
        check_event(event, timezones, problems)
        if "RRULE" in event:
            recurring += 1
            meetings += len(check_recurrence(cal, event, timezones, problems))
        elif isinstance(as_aware(event["DTSTART"]), dt.datetime):
            tzid = event["DTSTART"].params.get("TZID")
            if tzid in timezones:
                same, ours, iana = vtimezone_agrees(tzid, timezones[tzid], event["DTSTART"].dt)
                if not same:
                    problems.add(f"{event['UID']}: the VTIMEZONE says {ours}, the IANA zone {iana}")
    summary = (
        f"{path}: {len(events)} events, {recurring} recurring ({meetings} meetings), "
        f"{len(timezones)} VTIMEZONE(s)"
    )
    return problems, summary


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        problems, summary = check_feed(path)
        for item in problems.items:
            print(item)
        if problems.items:
            failed = True
        else:
            print(f"{summary}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
