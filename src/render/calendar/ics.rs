//! A small RFC 5545 content-line writer: CRLF line ends, lines folded at 75 octets on UTF-8
//! character boundaries, TEXT values escaped so no value can start a property of its own.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

/// The longest content line, in octets, excluding the CRLF (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// An iCalendar stream being written, one content line at a time.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn begin(&mut self, component: &str) {
        self.line("BEGIN", &[], component);
    }

    pub fn end(&mut self, component: &str) {
        self.line("END", &[], component);
    }

    /// A property whose value is already in its value type's syntax (a date, a recurrence
    /// rule, a URI); control characters are dropped so it stays on its own line.
    pub fn line(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        self.push(name, params, &strip_controls(value));
    }

    /// A TEXT property: the value is escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.push(name, &[], &escape_text(value));
    }

    fn push(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::with_capacity(name.len() + value.len() + 16);
        line.push_str(name);
        for (key, val) in params {
            line.push(';');
            line.push_str(key);
            line.push('=');
            line.push_str(&param_value(val));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&mut self.out, &line);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\`, `;`, `,` and line breaks; other control
/// characters, which TEXT does not allow, are dropped.
pub fn escape_text(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalized.len() + 8);
    for c in normalized.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if is_forbidden_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted when it holds `:`, `;` or `,`; double quotes, which cannot be
/// escaped in a parameter, are dropped along with control characters.
pub fn param_value(value: &str) -> String {
    let clean: String = strip_controls(value)
        .chars()
        .filter(|&c| c != '"')
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Control characters TEXT does not allow (all but horizontal tab).
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// Non-TEXT values never carry line breaks; dropping control characters keeps a value on its
/// own content line whatever it holds.
fn strip_controls(value: &str) -> String {
    value
        .chars()
        .filter(|&c| !is_forbidden_control(c))
        .collect()
}

/// Appends `line` folded to `MAX_LINE_OCTETS` per physical line (continuations start with a
/// space, which counts), never splitting a UTF-8 character, each ended by CRLF.
pub fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// `20261201` (a DATE value).
pub fn date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// `20261201T100000` (a local DATE-TIME, to go with a TZID parameter).
pub fn local_date_time(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `20261201T090000Z` (a UTC DATE-TIME).
pub fn utc_date_time(ts: Timestamp) -> String {
    let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    format!("{}Z", local_date_time(dt))
}

/// `+0100`, or `+053730` when the offset has seconds (a UTC-OFFSET value).
pub fn utc_offset(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn physical_lines(s: &str) -> Vec<&str> {
        s.strip_suffix("\r\n").unwrap().split("\r\n").collect()
    }

    #[test]
    fn escapes_every_special_character_of_text() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(escape_text("tab\tok\u{0}bell\u{7}"), "tab\tokbell");
    }

    #[test]
    fn a_line_break_in_text_cannot_start_a_property() {
        let mut w = Writer::new();
        w.text(
            "SUMMARY",
            "RC2\nATTENDEE:mailto:evil@example.com\r\nEND:VEVENT",
        );
        let out = w.finish();
        assert_eq!(
            out,
            "SUMMARY:RC2\\nATTENDEE:mailto:evil@example.com\\nEND:VEVENT\r\n"
        );
        assert_eq!(out.matches("\r\n").count(), 1);
    }

    #[test]
    fn folds_at_75_octets_with_a_leading_space() {
        let mut w = Writer::new();
        w.text("DESCRIPTION", &"x".repeat(200));
        let out = w.finish();
        let lines = physical_lines(&out);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' ') && lines[2].starts_with(' '));
        let unfolded: String = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{}\r\n", "x".repeat(200)));
    }

    #[test]
    fn folding_never_splits_a_utf8_character() {
        // "SUMMARY:" is 8 octets; each "€" is 3, so 75 octets fall inside the 23rd euro sign.
        let mut w = Writer::new();
        w.text("SUMMARY", &"€".repeat(60));
        let out = w.finish();
        for line in physical_lines(&out) {
            assert!(line.len() <= MAX_LINE_OCTETS, "{} octets", line.len());
        }
        assert_eq!(physical_lines(&out)[0].len(), 8 + 22 * 3);
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "€".repeat(60))
        );
    }

    #[test]
    fn parameter_values_with_separators_are_quoted() {
        assert_eq!(param_value("Europe/Berlin"), "Europe/Berlin");
        assert_eq!(param_value("a:b;c"), "\"a:b;c\"");
        assert_eq!(param_value("say \"hi\"\n"), "say hi");
    }

    #[test]
    fn formats_dates_times_and_offsets() {
        let d = jiff::civil::date(2026, 10, 25);
        assert_eq!(date(d), "20261025");
        assert_eq!(local_date_time(d.at(3, 0, 0, 0)), "20261025T030000");
        let ts: Timestamp = "2026-10-25T01:00:00Z".parse().unwrap();
        assert_eq!(utc_date_time(ts), "20261025T010000Z");
        assert_eq!(utc_offset(Offset::constant(2)), "+0200");
        assert_eq!(utc_offset(Offset::constant(-5)), "-0500");
        assert_eq!(
            utc_offset(Offset::from_seconds(-(3600 + 30 * 60 + 15)).unwrap()),
            "-013015"
        );
    }
}
