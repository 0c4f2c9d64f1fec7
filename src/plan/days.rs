//! Counting days between dates, which every fact about "how soon" starts from.

use jiff::civil::Date;

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map(|s| s.get_days()).unwrap_or(0)
}
