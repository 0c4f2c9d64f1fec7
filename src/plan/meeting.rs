//! The Scrum of Scrums meetings of a release.

use jiff::{Span, Zoned};

use crate::model::Release;

/// Every meeting from the first, every n weeks, until the inclusive end date, at the same
/// wall-clock time in the release's zone (so across daylight-saving changes too).
pub(super) fn scrum_of_scrums(release: &Release) -> Vec<Zoned> {
    let Some(sos) = &release.scrum_of_scrums else {
        return Vec::new();
    };
    let until = sos.until.unwrap_or(release.schedule.release.value);
    let mut out = Vec::new();
    for k in 0i64.. {
        let Ok(z) = sos
            .first
            .checked_add(Span::new().weeks(k * i64::from(sos.every_weeks)))
        else {
            break;
        };
        if z.date() > until || out.len() > 1000 {
            break;
        }
        out.push(z);
    }
    out
}
