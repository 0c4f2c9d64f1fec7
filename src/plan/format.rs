//! Words for people: dates, times, zones and relative days as the artifacts show them. Every
//! page, picture, workbook, draft, calendar description and `herald due` formats through here,
//! so one pattern has one name. The value formats of a file format (ICS `DTSTART`, Excel date
//! cells) follow that format's rules and stay beside its writer.

use jiff::Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::days::days_between;
use crate::model::Moment;

// ---------------------------------------------------------------------------------------------
// Days.

/// `2026-12-01`: a day in tables, workbooks and calendar text, and for templates to compute with.
pub fn iso_date(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

/// `Tue 2026-12-01`: a day in the overview's tables.
pub fn weekday_iso_date(d: Date) -> String {
    d.strftime("%a %Y-%m-%d").to_string()
}

/// `Tue 1 Dec 2026`: a day in Slack drafts and in `herald due`.
pub fn weekday_date(d: Date) -> String {
    d.strftime("%a %-d %b %Y").to_string()
}

/// `Tuesday 1 December 2026`: a day in prose ("today is …").
pub fn long_date(d: Date) -> String {
    d.strftime("%A %-d %B %Y").to_string()
}

/// `1 Dec`: a day on a picture, where space is tight.
pub fn short_date(d: Date) -> String {
    d.strftime("%-d %b").to_string()
}

/// `Tuesday`: the weekday column beside an ISO date.
pub fn weekday(d: Date) -> String {
    d.strftime("%A").to_string()
}

/// `Tue`: the short weekday column beside an ISO date.
pub fn short_weekday(d: Date) -> String {
    d.strftime("%a").to_string()
}

/// `December 2026`: the heading of a month.
pub fn month_year(d: Date) -> String {
    d.strftime("%B %Y").to_string()
}

/// `Dec 2026`: a month on a picture's axis.
pub fn short_month_year(d: Date) -> String {
    d.strftime("%b %Y").to_string()
}

// ---------------------------------------------------------------------------------------------
// Times and zones, as the instant reads in its own zone (convert it to the release's zone first).

/// `16:00`
pub fn clock_time(z: &Zoned) -> String {
    z.strftime("%H:%M").to_string()
}

/// `CET`
pub fn zone_abbreviation(z: &Zoned) -> String {
    z.strftime("%Z").to_string()
}

/// `16:00 CET`
pub fn time_with_zone(z: &Zoned) -> String {
    z.strftime("%H:%M %Z").to_string()
}

/// `10:00–10:30 CET`: a meeting's span, in the zone of its end.
pub fn time_range_with_zone(start: &Zoned, end: &Zoned) -> String {
    format!("{}–{}", clock_time(start), time_with_zone(end))
}

/// `2026-11-30 16:00 CET`
pub fn iso_date_time_with_zone(z: &Zoned) -> String {
    z.strftime("%Y-%m-%d %H:%M %Z").to_string()
}

/// `Mon 2026-11-30 16:00 CET`
pub fn weekday_iso_date_time_with_zone(z: &Zoned) -> String {
    z.strftime("%a %Y-%m-%d %H:%M %Z").to_string()
}

/// `15:00 UTC`: the instant's time in UTC, whatever zone it is given in.
pub fn utc_time(z: &Zoned) -> String {
    z.timestamp().strftime("%H:%M UTC").to_string()
}

/// `Mon 30 Nov 2026, 15:00 UTC`: the instant's day and time in UTC.
pub fn weekday_date_utc_time(z: &Zoned) -> String {
    let utc = z.with_time_zone(TimeZone::UTC);
    format!("{}, {}", weekday_date(utc.date()), utc_time(z))
}

/// `2026-11-30 15:00 UTC`: the instant's date and time in UTC.
pub fn iso_date_utc_time(z: &Zoned) -> String {
    z.timestamp().strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// `2026-11-30T16:00+01:00`: an instant with its offset, for templates to compute with.
pub fn iso_date_time_offset(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M%:z").to_string()
}

// ---------------------------------------------------------------------------------------------
// Moments of a plan (a whole day, or an instant shown in the release's zone `tz`).

/// `2026-11-30 16:00 CET`, or `2026-11-30` for a whole day: tables and workbooks.
pub fn iso_moment(when: &Moment, tz: &TimeZone) -> String {
    match when {
        Moment::Day(d) => iso_date(*d),
        Moment::At(z) => iso_date_time_with_zone(&z.with_time_zone(tz.clone())),
    }
}

/// `Mon 2026-11-30 16:00 CET`, or `Mon 2026-11-30` for a whole day: the overview's tables.
pub fn weekday_iso_moment(when: &Moment, tz: &TimeZone) -> String {
    match when {
        Moment::Day(d) => weekday_iso_date(*d),
        Moment::At(z) => weekday_iso_date_time_with_zone(&z.with_time_zone(tz.clone())),
    }
}

/// `Monday 30 November 2026, 16:00 CET`, or the long date alone for a whole day: prose.
pub fn long_moment(when: &Moment, tz: &TimeZone) -> String {
    match when {
        Moment::Day(d) => long_date(*d),
        Moment::At(z) => {
            let z = z.with_time_zone(tz.clone());
            format!("{}, {}", long_date(z.date()), time_with_zone(&z))
        }
    }
}

/// `30 Nov 16:00`, or `30 Nov` for a whole day: a picture's labels, where space is tight.
pub fn short_moment(when: &Moment, tz: &TimeZone) -> String {
    match when {
        Moment::Day(d) => short_date(*d),
        Moment::At(z) => {
            let z = z.with_time_zone(tz.clone());
            format!("{} {}", short_date(z.date()), clock_time(&z))
        }
    }
}

/// `Mon 30 Nov 2026, 16:00 CET`, or `Mon 30 Nov 2026` for a whole day: Slack drafts and
/// change notices.
pub fn weekday_moment(when: &Moment, tz: &TimeZone) -> String {
    match when {
        Moment::Day(d) => weekday_date(*d),
        Moment::At(z) => {
            let z = z.with_time_zone(tz.clone());
            format!("{}, {}", weekday_date(z.date()), time_with_zone(&z))
        }
    }
}

/// `Mon 30 Nov 2026, 16:00 CET (15:00 UTC)`, the UTC day written when it differs
/// (`…, 00:30 CET (Sun 29 Nov 2026, 23:30 UTC)`), or the day alone for a whole day.
pub fn weekday_moment_with_utc(when: &Moment, tz: &TimeZone) -> String {
    match when {
        Moment::Day(d) => weekday_date(*d),
        Moment::At(z) => {
            let local = z.with_time_zone(tz.clone());
            let utc = z.with_time_zone(TimeZone::UTC);
            let in_utc = if utc.date() == local.date() {
                utc_time(z)
            } else {
                weekday_date_utc_time(z)
            };
            format!("{} ({in_utc})", weekday_moment(when, tz))
        }
    }
}

/// `Tue 28 Jul → Thu 30 Jul 2020`, `Mon 30 Nov, 16:00 CET → Fri 27 Nov 2026, 12:00 CET`: a
/// moment that moved, the year written once when both are in the same year.
pub fn moment_change(from: &Moment, to: &Moment, tz: &TimeZone) -> String {
    let in_zone = |m: &Moment| match m {
        Moment::Day(d) => (*d, None),
        Moment::At(z) => {
            let z = z.with_time_zone(tz.clone());
            (z.date(), Some(time_with_zone(&z)))
        }
    };
    change_of(in_zone(from), in_zone(to))
}

/// `Mon 30 Nov, 15:00 → Fri 27 Nov 2026, 11:00`: the same move in UTC, for moments with a
/// time (a whole day is the same day everywhere); `None` when neither has a time.
pub fn moment_change_utc(from: &Moment, to: &Moment) -> Option<String> {
    if matches!((from, to), (Moment::Day(_), Moment::Day(_))) {
        return None;
    }
    let in_utc = |m: &Moment| match m {
        Moment::Day(d) => (*d, None),
        Moment::At(z) => {
            let utc = z.with_time_zone(TimeZone::UTC);
            (utc.date(), Some(clock_time(&utc)))
        }
    };
    Some(change_of(in_utc(from), in_utc(to)))
}

fn change_of(from: (Date, Option<String>), to: (Date, Option<String>)) -> String {
    let day = |d: Date, year: bool| {
        if year {
            weekday_date(d)
        } else {
            d.strftime("%a %-d %b").to_string()
        }
    };
    let with_time = |d: String, t: Option<String>| match t {
        Some(t) => format!("{d}, {t}"),
        None => d,
    };
    let same_year = from.0.year() == to.0.year();
    format!(
        "{} → {}",
        with_time(day(from.0, !same_year), from.1),
        with_time(day(to.0, true), to.1)
    )
}

/// `+2 days`, `-3 days 4 hours`, `+1 hour 30 minutes`: how far something moved, in whole days
/// when `days` is given (two whole days), else from `minutes`.
pub fn shift(days: Option<i32>, minutes: i64) -> String {
    let plural = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let sign = |negative: bool| if negative { "-" } else { "+" };
    if let Some(days) = days {
        return format!("{}{}", sign(days < 0), plural(i64::from(days.abs()), "day"));
    }
    let m = minutes.abs();
    let parts: Vec<String> = [(m / 1440, "day"), (m / 60 % 24, "hour"), (m % 60, "minute")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
    if parts.is_empty() {
        return "+0 minutes".to_owned();
    }
    format!("{}{}", sign(minutes < 0), parts.join(" "))
}

// ---------------------------------------------------------------------------------------------
// Relative days.

/// `today`, `tomorrow`, `in 4 days`, `yesterday`, `3 days ago`, for a day `days` from today.
pub fn relative_day(days: i32) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 1 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// [`relative_day`] of `date`, seen from `today`.
pub fn days_away(today: Date, date: Date) -> String {
    relative_day(days_between(today, date))
}

/// `overdue 3 days`, `today`, `in 2 days`: when something is due, seen from `today`.
pub fn due_in(today: Date, due: Date) -> String {
    match days_between(today, due) {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "overdue 1 day".to_owned(),
        n if n < 0 => format!("overdue {} days", -n),
        n => format!("in {n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_days_read_naturally() {
        assert_eq!(relative_day(0), "today");
        assert_eq!(relative_day(1), "tomorrow");
        assert_eq!(relative_day(4), "in 4 days");
        assert_eq!(relative_day(-1), "yesterday");
        assert_eq!(relative_day(-3), "3 days ago");
    }

    #[test]
    fn days_away_reads_naturally() {
        let d = jiff::civil::date(2026, 11, 26);
        assert_eq!(days_away(d, d), "today");
        assert_eq!(days_away(d, jiff::civil::date(2026, 11, 30)), "in 4 days");
        assert_eq!(days_away(d, jiff::civil::date(2026, 11, 24)), "2 days ago");
    }

    #[test]
    fn due_days_say_overdue() {
        let d = jiff::civil::date(2026, 11, 26);
        assert_eq!(due_in(d, d), "today");
        assert_eq!(due_in(d, jiff::civil::date(2026, 11, 27)), "tomorrow");
        assert_eq!(due_in(d, jiff::civil::date(2026, 11, 28)), "in 2 days");
        assert_eq!(due_in(d, jiff::civil::date(2026, 11, 25)), "overdue 1 day");
        assert_eq!(due_in(d, jiff::civil::date(2026, 11, 23)), "overdue 3 days");
    }

    #[test]
    fn days_read_in_each_style() {
        let d = jiff::civil::date(2026, 12, 1);
        assert_eq!(iso_date(d), "2026-12-01");
        assert_eq!(weekday_iso_date(d), "Tue 2026-12-01");
        assert_eq!(weekday_date(d), "Tue 1 Dec 2026");
        assert_eq!(long_date(d), "Tuesday 1 December 2026");
        assert_eq!(short_date(d), "1 Dec");
        assert_eq!(weekday(d), "Tuesday");
        assert_eq!(short_weekday(d), "Tue");
        assert_eq!(month_year(d), "December 2026");
        assert_eq!(short_month_year(d), "Dec 2026");
    }

    #[test]
    fn iso_date_is_the_date_as_jiff_writes_it() {
        // Some values were written with `Date`'s `Display`; every year a plan can hold agrees.
        for d in [
            jiff::civil::date(7, 1, 2),
            jiff::civil::date(999, 12, 31),
            jiff::civil::date(2026, 12, 1),
            jiff::civil::date(9999, 12, 31),
        ] {
            assert_eq!(iso_date(d), d.to_string());
        }
    }

    #[test]
    fn instants_read_in_their_zone_and_in_utc() {
        let z: Zoned = "2026-11-30T23:30[Europe/Berlin]".parse().unwrap();
        let end: Zoned = "2026-12-01T00:15[Europe/Berlin]".parse().unwrap();
        assert_eq!(clock_time(&z), "23:30");
        assert_eq!(zone_abbreviation(&z), "CET");
        assert_eq!(time_with_zone(&z), "23:30 CET");
        assert_eq!(time_range_with_zone(&z, &end), "23:30–00:15 CET");
        assert_eq!(iso_date_time_with_zone(&z), "2026-11-30 23:30 CET");
        assert_eq!(
            weekday_iso_date_time_with_zone(&z),
            "Mon 2026-11-30 23:30 CET"
        );
        assert_eq!(utc_time(&z), "22:30 UTC");
        assert_eq!(weekday_date_utc_time(&end), "Mon 30 Nov 2026, 23:15 UTC");
        assert_eq!(iso_date_utc_time(&z), "2026-11-30 22:30 UTC");
        assert_eq!(iso_date_time_offset(&z), "2026-11-30T23:30+01:00");
    }

    #[test]
    fn moments_show_a_whole_day_without_a_time() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let day = Moment::Day(jiff::civil::date(2026, 11, 30));
        let at = Moment::At("2026-11-30T15:00[UTC]".parse().unwrap());
        assert_eq!(iso_moment(&day, &tz), "2026-11-30");
        assert_eq!(iso_moment(&at, &tz), "2026-11-30 16:00 CET");
        assert_eq!(weekday_iso_moment(&day, &tz), "Mon 2026-11-30");
        assert_eq!(weekday_iso_moment(&at, &tz), "Mon 2026-11-30 16:00 CET");
        assert_eq!(long_moment(&day, &tz), "Monday 30 November 2026");
        assert_eq!(long_moment(&at, &tz), "Monday 30 November 2026, 16:00 CET");
        assert_eq!(short_moment(&day, &tz), "30 Nov");
        assert_eq!(short_moment(&at, &tz), "30 Nov 16:00");
    }

    #[test]
    fn moves_read_with_the_year_once_and_their_distance() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let day = |m, d| Moment::Day(jiff::civil::date(2020, m, d));
        assert_eq!(
            moment_change(&day(7, 28), &day(7, 30), &tz),
            "Tue 28 Jul → Thu 30 Jul 2020"
        );
        assert_eq!(
            moment_change(
                &day(12, 31),
                &Moment::Day(jiff::civil::date(2021, 1, 4)),
                &tz
            ),
            "Thu 31 Dec 2020 → Mon 4 Jan 2021"
        );
        assert_eq!(moment_change_utc(&day(7, 28), &day(7, 30)), None);
        let from = Moment::At("2026-11-30T16:00[Europe/Berlin]".parse().unwrap());
        let to = Moment::At("2026-11-27T12:00[Europe/Berlin]".parse().unwrap());
        assert_eq!(
            moment_change(&from, &to, &tz),
            "Mon 30 Nov, 16:00 CET → Fri 27 Nov 2026, 12:00 CET"
        );
        assert_eq!(
            moment_change_utc(&from, &to).unwrap(),
            "Mon 30 Nov, 15:00 → Fri 27 Nov 2026, 11:00"
        );
        assert_eq!(weekday_moment(&from, &tz), "Mon 30 Nov 2026, 16:00 CET");
        assert_eq!(weekday_moment(&day(7, 28), &tz), "Tue 28 Jul 2020");
        assert_eq!(
            weekday_moment_with_utc(&from, &tz),
            "Mon 30 Nov 2026, 16:00 CET (15:00 UTC)"
        );
        let late = Moment::At("2026-11-30T00:30[Europe/Berlin]".parse().unwrap());
        assert_eq!(
            weekday_moment_with_utc(&late, &tz),
            "Mon 30 Nov 2026, 00:30 CET (Sun 29 Nov 2026, 23:30 UTC)"
        );
        assert_eq!(shift(Some(2), 0), "+2 days");
        assert_eq!(shift(Some(-1), 0), "-1 day");
        assert_eq!(shift(None, -(3 * 1440 + 4 * 60)), "-3 days 4 hours");
        assert_eq!(shift(None, 90), "+1 hour 30 minutes");
    }
}
