//! Scalars → typed values: ids, one-line text, URLs, Slack ids and channels, dates, times,
//! zones and versions, each refused with its reason and a way to fix it.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::reader::{Fields, Reader, TextUse, did_you_mean, refuse_disguise};
use crate::model::{Located, Moment, TeamId, TestId};
use crate::yaml::Node;

/// A reference to a team: an id on one line. Whether the team exists is for `check` to say.
pub(super) fn team_id(r: &mut Reader, t: Located<String>) -> Option<Located<TeamId>> {
    if refuse_disguise(r, &t, "a team id", TextUse::Line) {
        return None;
    }
    Some(Located {
        value: TeamId(t.value),
        loc: t.loc,
    })
}

/// A reference to a manual test of the catalogue.
pub(super) fn test_id(r: &mut Reader, t: Located<String>) -> Option<Located<TestId>> {
    if refuse_disguise(r, &t, "a test id", TextUse::Line) {
        return None;
    }
    Some(Located {
        value: TestId(t.value),
        loc: t.loc,
    })
}

/// Lowercase letters, digits and dashes, starting with a letter or digit.
pub(super) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn id(r: &mut Reader, node: &Node, what: &str) -> Option<Located<String>> {
    let t = r.nonempty(node, what)?;
    if refuse_disguise(r, &t, what, TextUse::Line) {
        return None;
    }
    if !is_id(&t.value) {
        r.error(
            t.loc,
            format!(
                "{what} `{}` must be lowercase letters, digits and dashes",
                t.value
            ),
        )
        .help = Some(format!("for example `{}`", suggest_id(&t.value)));
        return None;
    }
    Some(t)
}

pub(super) fn suggest_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "my-id".to_owned()
    } else {
        out
    }
}

pub(super) fn opt_text(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    f.get(name).and_then(|n| r.text(n, what)).map(|t| t.value)
}

/// Text that may not be empty.
pub(super) fn nonempty_text(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    f.get(name)
        .and_then(|n| r.nonempty(n, what))
        .map(|t| t.value)
}

/// Text that must stay on one line: a name, a title, a codename. A line break or other
/// control character would break a Slack header, a table row or a document property.
pub(super) fn one_line(r: &mut Reader, t: Located<String>, what: &str) -> Option<Located<String>> {
    if refuse_disguise(r, &t, what, TextUse::Line) {
        return None;
    }
    let Some(bad) = t
        .value
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    else {
        return Some(t);
    };
    let found = match bad {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break".to_owned(),
        '\t' => "a tab".to_owned(),
        c => format!("the control character U+{:04X}", c as u32),
    };
    r.error(t.loc, format!("{what} must be one line, but it contains {found}"))
        .help = Some(
        "write it on one line, without tabs or other control characters (YAML `>-` folds a long value into one line)"
            .to_owned(),
    );
    None
}

pub(super) fn opt_line(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    let t = f.get(name).and_then(|n| r.text(n, what))?;
    one_line(r, t, what).map(|t| t.value)
}

/// One line that may not be empty.
pub(super) fn nonempty_line(r: &mut Reader, f: &Fields, name: &str, what: &str) -> Option<String> {
    let t = f.get(name).and_then(|n| r.nonempty(n, what))?;
    one_line(r, t, what).map(|t| t.value)
}

pub(super) fn url(r: &mut Reader, node: &Node, what: &str) -> Option<String> {
    let t = r.nonempty(node, what)?;
    if !(t.value.starts_with("https://") || t.value.starts_with("http://"))
        || t.value.contains(char::is_whitespace)
    {
        r.error(t.loc, format!("{what} must be an http(s) URL"))
            .help = Some("write the full address, starting with https://".to_owned());
        return None;
    }
    Some(t.value)
}

pub(super) fn slack_id(
    r: &mut Reader,
    node: &Node,
    what: &str,
    prefixes: &[char],
) -> Option<String> {
    let t = r.nonempty(node, what)?;
    let ok = t.value.starts_with(prefixes)
        && t.value.len() >= 3
        && t.value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !ok {
        let first: String = prefixes
            .iter()
            .map(|c| format!("`{c}…`"))
            .collect::<Vec<_>>()
            .join(" or ");
        r.error(t.loc, format!("{what} `{}` is not a Slack id", t.value))
            .help = Some(format!(
            "use the id Slack shows in the profile or group details ({first}, capital letters and digits), not a name"
        ));
        return None;
    }
    Some(t.value)
}

pub(super) fn channel(r: &mut Reader, node: &Node, what: &str) -> Option<String> {
    let t = r.nonempty(node, what)?;
    let name_ok = t.value.strip_prefix('#').is_some_and(|n| {
        !n.is_empty()
            && n.chars().all(|c| {
                c.is_lowercase()
                    || c.is_ascii_digit()
                    || "-_.".contains(c)
                    || c.is_alphabetic() && !c.is_uppercase()
            })
    });
    let id_ok = t.value.starts_with(['C', 'G'])
        && t.value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !name_ok && !id_ok {
        r.error(
            t.loc,
            format!("{what} `{}` is not a Slack channel", t.value),
        )
        .help = Some(
            "write `#channel-name` (lowercase, quoted in YAML) or a channel id such as `C01ABCDEF`"
                .to_owned(),
        );
        return None;
    }
    Some(t.value)
}

const DATE_HELP: &str = "write a date as YYYY-MM-DD, for example 2020-07-21";
const TIME_HELP: &str = "write a time as YYYY-MM-DDTHH:MM in the release's zone (2020-07-20T16:00), or with an offset (2020-07-20T14:00Z)";

pub(super) fn date(r: &mut Reader, node: &Node, what: &str) -> Option<Located<Date>> {
    let t = r.nonempty(node, what)?;
    let shaped = t.value.len() == 10
        && t.value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        let help = if t.value.contains('T') {
            format!("{what} is a whole day without a time: write it as YYYY-MM-DD")
        } else {
            DATE_HELP.to_owned()
        };
        r.error(t.loc, format!("{what} `{}` is not a date", t.value))
            .help = Some(help);
        return None;
    }
    match t.value.parse::<Date>() {
        Ok(d) => Some(Located {
            value: d,
            loc: t.loc,
        }),
        Err(e) => {
            r.error(
                t.loc,
                format!(
                    "{what} `{}` is not a real date: {}",
                    t.value,
                    root_cause(&e)
                ),
            )
            .help = Some("check the day of the month".to_owned());
            None
        }
    }
}

pub(super) fn root_cause(e: &jiff::Error) -> String {
    let text = e.to_string();
    text.rsplit(": ").next().unwrap_or(&text).to_owned()
}

/// A date (a whole day) or a date and time, in the release's zone unless it has an offset.
pub(super) fn moment(
    r: &mut Reader,
    node: &Node,
    what: &str,
    tz: &TimeZone,
) -> Option<Located<Moment>> {
    let t = r.text(node, what)?;
    if !t.value.contains('T') {
        return date(r, node, what).map(|d| Located {
            value: Moment::Day(d.value),
            loc: d.loc,
        });
    }
    zoned(r, &t, what, tz).map(|z| Located {
        value: Moment::At(z),
        loc: t.loc,
    })
}

pub(super) fn zoned(
    r: &mut Reader,
    t: &Located<String>,
    what: &str,
    tz: &TimeZone,
) -> Option<jiff::Zoned> {
    let v = t.value.trim();
    let (date_part, time_part) = v.split_once('T').unwrap_or((v, ""));
    let has_offset =
        time_part.ends_with('Z') || time_part.ends_with('z') || time_part.contains(['+', '-']);
    let shaped = date_part.len() == 10 && time_part.len() >= 5 && time_part.as_bytes()[2] == b':';
    if !shaped {
        r.error(t.loc, format!("{what} `{v}` is not a date and time"))
            .help = Some(TIME_HELP.to_owned());
        return None;
    }
    let result = if has_offset {
        v.parse::<jiff::Timestamp>()
            .map(|ts| ts.to_zoned(tz.clone()))
    } else {
        v.parse::<DateTime>().and_then(|dt| {
            let zoned = dt.to_zoned(tz.clone())?;
            warn_clock_change(r, t, dt, &zoned, tz);
            Ok(zoned)
        })
    };
    match result {
        Ok(z) => Some(z),
        Err(e) => {
            r.error(
                t.loc,
                format!(
                    "{what} `{v}` is not a real date and time: {}",
                    root_cause(&e)
                ),
            )
            .help = Some(TIME_HELP.to_owned());
            None
        }
    }
}

/// A wall-clock time that a daylight-saving change skips or repeats: say which instant herald
/// took (the later one for a skipped time, the first of a repeated one).
pub(super) fn warn_clock_change(
    r: &mut Reader,
    t: &Located<String>,
    dt: DateTime,
    used: &jiff::Zoned,
    tz: &TimeZone,
) {
    use jiff::tz::AmbiguousOffset;
    let zone = tz.iana_name().unwrap_or("the release's zone");
    let written = t.value.trim();
    let used_text = format!(
        "{} ({})",
        crate::plan::format::iso_date_time_with_zone(used),
        crate::plan::format::utc_time(used)
    );
    let with_offset = |offset: jiff::tz::Offset| {
        let seconds = offset.seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
        format!(
            "`{}{sign}{hours:02}:{minutes:02}`",
            dt.strftime("%Y-%m-%dT%H:%M")
        )
    };
    let (message, help) = match tz.to_ambiguous_zoned(dt).offset() {
        AmbiguousOffset::Unambiguous { .. } => return,
        AmbiguousOffset::Gap { .. } => (
            format!(
                "`{written}` does not exist in {zone}: the clocks skip it; herald uses {used_text}"
            ),
            format!(
                "write the time the clocks show after the change, for example `{}`",
                used.strftime("%Y-%m-%dT%H:%M")
            ),
        ),
        AmbiguousOffset::Fold { before, after } => (
            format!(
                "`{written}` happens twice in {zone}: the clocks go back; herald uses the first, {used_text}"
            ),
            format!(
                "add the offset to choose: {} for the first or {} for the second",
                with_offset(before),
                with_offset(after)
            ),
        ),
    };
    r.warning(t.loc, message).help = Some(help);
}

pub(super) fn timezone(r: &mut Reader, node: &Node) -> Option<(TimeZone, String)> {
    let t = r.nonempty(node, "a time zone")?;
    match TimeZone::get(&t.value) {
        Ok(tz) => {
            // The database's lookup ignores case; calendars and the schema do not.
            if let Some(name) = tz.iana_name().filter(|name| *name != t.value) {
                r.warning(
                    t.loc,
                    format!("time zone `{}` is spelled `{name}`", t.value),
                )
                .help = Some(format!("write `{name}`, as calendars and editors expect"));
            }
            Some((tz, t.value))
        }
        Err(_) => {
            let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let help = match did_you_mean(&t.value, &refs) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "use an IANA zone name such as Europe/Berlin, America/New_York or UTC"
                    .to_owned(),
            };
            r.error(t.loc, format!("unknown time zone `{}`", t.value))
                .help = Some(help);
            None
        }
    }
}

pub(super) fn version(r: &mut Reader, node: &Node) -> Option<Located<semver::Version>> {
    let t = r.nonempty(node, "a version")?;
    match semver::Version::parse(&t.value) {
        Ok(v) => Some(Located {
            value: v,
            loc: t.loc,
        }),
        Err(e) => {
            let help = if t.value.matches('.').count() == 1 {
                format!("write all three parts, for example `{}.0`", t.value)
            } else {
                "write a semantic version MAJOR.MINOR.PATCH, for example 1.14.0".to_owned()
            };
            r.error(
                t.loc,
                format!("version `{}` is not a semantic version: {e}", t.value),
            )
            .help = Some(help);
            None
        }
    }
}

/// An optional field: `Some(None)` when absent, `None` when present but wrong.
pub(super) fn optional<T>(
    node: Option<&Node>,
    read: impl FnOnce(&Node) -> Option<T>,
) -> Option<Option<T>> {
    match node {
        Some(n) => read(n).map(Some),
        None => Some(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_letters_digits_and_dashes() {
        assert!(is_id("kafka-channel-2"));
        assert!(!is_id("Huskies"));
        assert!(!is_id("a b"));
        assert!(!is_id("-x"));
        assert_eq!(suggest_id("Team Huskies!"), "team-huskies");
    }
}
