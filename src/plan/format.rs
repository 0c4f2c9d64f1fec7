//! Words for people: dates, times, zones and relative days as the artifacts show them.

use jiff::civil::Date;

/// `Tue 1 Dec 2026`: a day in Slack drafts and in `herald due`.
pub fn weekday_date(d: Date) -> String {
    d.strftime("%a %-d %b %Y").to_string()
}

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
}
