//! The Scrum of Scrums meetings of a release.

use jiff::civil::Date;
use jiff::{Span, Zoned};

use super::days::days_between;
use super::milestone::MilestoneId;
use crate::model::Release;

/// One Scrum of Scrums meeting, for the MagicBox, the calendar page, the feed and the drafts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// `1.14.0/sos-2026-12-03`: orders it among the milestones of its instant.
    pub id: MilestoneId,
    /// In the release's zone.
    pub start: Zoned,
    pub end: Zoned,
    /// Its day is before today.
    pub past: bool,
    /// Whole days from today to its day (negative when past).
    pub days: i32,
}

impl Meeting {
    /// The slug of the series: the MagicBox's section anchor and, with the version, the
    /// calendar's one recurring event. It names the series, not a meeting: a UID per meeting
    /// would duplicate the events in calendars already subscribed.
    pub const SERIES_SLUG: &str = MilestoneId::SCRUM_OF_SCRUMS;
    /// Before a meeting's day in its id.
    const SLUG_PREFIX: &str = "sos-";

    /// `1.14.0/scrum-of-scrums`: the id of a release's series of meetings.
    pub fn series_id(version: &str) -> MilestoneId {
        MilestoneId::new(version, Meeting::SERIES_SLUG)
    }

    pub fn date(&self) -> Date {
        self.start.date()
    }
}

/// Every meeting from the first, every n weeks, until the inclusive end date, at the same
/// wall-clock time in the release's zone (so across daylight-saving changes too).
pub(super) fn scrum_of_scrums(release: &Release, version: &str, today: Date) -> Vec<Meeting> {
    let Some(sos) = &release.scrum_of_scrums else {
        return Vec::new();
    };
    let until = sos.until.unwrap_or(release.schedule.release.value);
    let length = Span::new().minutes(i64::from(sos.duration_minutes));
    let mut out = Vec::new();
    for k in 0i64.. {
        let Ok(start) = sos
            .first
            .checked_add(Span::new().weeks(k * i64::from(sos.every_weeks)))
        else {
            break;
        };
        if start.date() > until || out.len() > 1000 {
            break;
        }
        let date = start.date();
        let slug = format!("{}{date}", Meeting::SLUG_PREFIX);
        out.push(Meeting {
            id: MilestoneId::new(version, &slug),
            end: start.checked_add(length).unwrap_or_else(|_| start.clone()),
            start,
            past: date < today,
            days: days_between(today, date),
        });
    }
    out
}
