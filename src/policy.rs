//! The constants of the release process: how long before or after a milestone something
//! happens. One place, so that a change of process is one edit that every artifact follows.

/// The deadlines announcement, when the plan gives none, comes this many days before the
/// first candidate.
pub const DEADLINES_LEAD_DAYS: i64 = 7;

/// The agenda (`herald due`, the overview's drafts) reaches this many days after today.
pub const AGENDA_WINDOW_DAYS: u16 = 7;

/// Days after the release on which its notice is still news; a release settles after them.
pub const RELEASE_NOTICE_DAYS: i64 = 7;

/// The cherry-pick reminder is due this many working days (Monday to Friday) before the
/// deadline, so that teams have time to open their pull requests.
pub const CHERRY_PICK_REMINDER_WORKING_DAYS: u32 = 2;

/// The manual-test results of the last candidate are due this many days before the release,
/// so that the Release Master has time to decide on the release with every result in.
pub const LAST_RESULTS_DAYS_BEFORE_RELEASE: i64 = 2;

/// A deadline given as a whole day is reminded at this hour (local) of the day before.
pub const WHOLE_DAY_REMINDER_HOUR: u8 = 9;

/// The plans' git history is read from this many days before the first milestone of the
/// earliest release not yet settled: a plan is written and moved weeks before its first date,
/// and releases settled long ago are not walked on every build.
pub const HISTORY_MARGIN_DAYS: i64 = 180;

/// A release's MagicBox stays in the site's search index this many days after the release
/// settled. Older ones stay in the navigation, the overview and the calendar, but in the
/// index each would answer a search for a test or a team, and mdBook shows the first 30
/// results: on a site of many releases the current ones would be crowded out.
pub const SEARCHED_DAYS_AFTER_SETTLED: i64 = 180;

/// A release is at risk when pull requests wait for approval or manual tests of the candidate
/// under test are not run, and the next deadline teams must act on is this many days away or
/// closer (see `plan::readiness`).
pub const AT_RISK_DAYS: i32 = 3;
