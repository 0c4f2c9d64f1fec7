#!/usr/bin/env python3
"""Check herald's ICS feeds with libical and with vobject, the engines of many calendar clients.

Usage: check-libical.py [--libical] [--vobject] FEED.ics [FEED.ics ...]

--libical  libical (Evolution, KDE, Cyrus) through its GObject bindings (gir1.2-ical-3.0 with
           python3-gi): every feed parses without an X-LIC-ERROR, passes libical's restriction
           check (icalrestriction_check: RFC 5546's rules for the feed's METHOD, RFC 5545's
           without one), holds every VEVENT of its text, and each timed event, and each meeting
           of a recurring one as libical expands it, starts at the instant the IANA zone gives
           its local time (libical reads the times with the feed's own VTIMEZONE).
--vobject  vobject (Radicale and other servers) keeps the first VTIMEZONE it reads for a TZID
           for the rest of the process: reading every feed in one process, in either order,
           must give every event the same start times (every meeting of recurring ones) as
           reading each feed alone in a fresh process.

Without a flag, both run. A part whose package is missing prints a "skipped" line; the script
exits 0 unless a part that ran found a problem (then 1).
"""

import datetime as dt
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


def libical():
    try:
        import gi

        gi.require_version("ICalGLib", "3.0")
        from gi.repository import ICalGLib
    except (ImportError, ValueError) as missing:
        return None, missing
    return ICalGLib, None


def lic_errors(ical, component):
    """Every X-LIC-ERROR libical attached to the component and its subcomponents."""
    kind = ical.PropertyKind.XLICERROR_PROPERTY
    out = []
    prop = component.get_first_property(kind)
    while prop:
        out.append(prop.get_xlicerror())
        prop = component.get_next_property(kind)
    sub = component.get_first_component(ical.ComponentKind.ANY_COMPONENT)
    while sub:
        out.extend(lic_errors(ical, sub))
        sub = component.get_next_component(ical.ComponentKind.ANY_COMPONENT)
    return out


def ical_to_datetime(ical_text):
    """`20261015T080000Z` → an aware UTC datetime."""
    return dt.datetime.strptime(ical_text.rstrip("Z"), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)


def check_libical(ical, path):
    problems = []
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    cal = ical.Component.new_from_string(text)
    if cal is None or cal.isa() != ical.ComponentKind.VCALENDAR_COMPONENT:
        return [f"{path}: libical does not read a VCALENDAR"], ""
    problems += [f"{path}: parse: {e}" for e in lic_errors(ical, cal)]
    if not ical.restriction_check(cal):
        problems += [f"{path}: restriction check: {e}" for e in lic_errors(ical, cal)]
        problems.append(f"{path}: fails libical's restriction check")
    events = cal.count_components(ical.ComponentKind.VEVENT_COMPONENT)
    written = text.count("\r\nBEGIN:VEVENT\r\n")
    if events != written:
        problems.append(f"{path}: libical reads {events} VEVENTs of {written}")

    utc = ical.Timezone.get_utc_timezone()
    starts = 0
    event = cal.get_first_component(ical.ComponentKind.VEVENT_COMPONENT)
    while event:
        uid = event.get_uid()
        start = event.get_dtstart()
        # Whole days and UTC times need no zone.
        tzid = start.get_tzid() if not (start.is_date() or start.is_utc()) else None
        if tzid:
            occurrences = [start]
            rrule = event.get_first_property(ical.PropertyKind.RRULE_PROPERTY)
            if rrule:
                occurrences = []
                iterator = ical.RecurIterator.new(rrule.get_rrule(), start)
                at = iterator.next()
                while at and not at.is_null_time() and len(occurrences) < 1000:
                    occurrences.append(at)
                    at = iterator.next()
            for at in occurrences:
                zone = at.get_timezone()
                if zone is None or zone.get_location():
                    problems.append(f"{uid}: {at.as_ical_string()} is not read with the feed's VTIMEZONE")
                    continue
                local = dt.datetime.strptime(at.as_ical_string(), "%Y%m%dT%H%M%S")
                want = local.replace(tzinfo=ZoneInfo(tzid)).astimezone(UTC)
                got = ical_to_datetime(ical.Time.convert_to_zone(at, utc).as_ical_string())
                if got != want:
                    problems.append(f"{path}: {uid}: {local} {tzid} is {got} for libical, {want} for the IANA zone")
                starts += 1
        event = cal.get_next_component(ical.ComponentKind.VEVENT_COMPONENT)
    return problems, f"{path}: libical: {events} events, {starts} timed starts in their zones"


def vobject_starts(paths):
    """UID (with the feed's path) → every start, in UTC, as vobject reads the feeds one after
    another in this process."""
    import vobject

    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            cal = vobject.readOne(f.read())
        for event in cal.vevent_list:
            uid = f"{path} {event.uid.value}"
            rules = event.getrruleset(addRDate=True)
            starts = list(rules) if rules is not None else [event.dtstart.value]
            out[uid] = [
                s.astimezone(UTC).isoformat() if isinstance(s, dt.datetime) else s.isoformat()
                for s in starts
            ]
    return out


def dump_in_fresh_process(paths):
    done = subprocess.run(
        [sys.executable, __file__, "--vobject-dump", *paths],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def check_vobject(paths):
    alone = {}
    for path in paths:
        alone.update(dump_in_fresh_process([path]))
    problems = []
    for order, name in ((list(paths), "in order"), (list(reversed(paths)), "in reverse order")):
        together = dump_in_fresh_process(order)
        for uid in sorted(set(alone) | set(together)):
            if alone.get(uid) != together.get(uid):
                problems.append(
                    f"{uid}: read alone {alone.get(uid)}, with the other feeds ({name}) {together.get(uid)}"
                )
    starts = sum(len(s) for s in alone.values())
    return problems, f"vobject: {len(paths)} feeds, {len(alone)} events, {starts} starts, the same read alone and together"


def main(argv):
    if argv[:1] == ["--vobject-dump"]:
        print(json.dumps(vobject_starts(argv[1:])))
        return 0
    flags = {a for a in argv if a.startswith("--")}
    paths = [a for a in argv if not a.startswith("--")]
    unknown = flags - {"--libical", "--vobject"}
    if unknown or not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    parts = flags or {"--libical", "--vobject"}
    failed = False
    if "--libical" in parts:
        ical, missing = libical()
        if ical is None:
            print(f"skipped: libical's GObject bindings not available to {sys.executable} ({missing}); install gir1.2-ical-3.0 and python3-gi")
        else:
            for path in paths:
                problems, summary = check_libical(ical, path)
                for p in problems:
                    print(p)
                failed |= bool(problems)
                if not problems:
                    print(f"{summary}: ok")
    if "--vobject" in parts:
        try:
            import vobject  # noqa: F401
        except ImportError as missing:
            print(f"skipped: vobject not available to {sys.executable} ({missing}); pip install vobject")
        else:
            problems, summary = check_vobject(paths)
            for p in problems:
                print(p)
            failed |= bool(problems)
            if not problems:
                print(f"{summary}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
