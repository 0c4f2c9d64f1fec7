//! What a manual-test status means to people: its words, whether it counts as done, and its
//! colours. `Status` itself is a model type (it is read from the plans); everything the
//! artifacts say about it lives here, so a new status is its variant and these lines.

use crate::model::Status;

impl Status {
    /// The order progress is shown in: the done statuses first, then the open ones.
    pub const BY_PROGRESS: [Status; 5] = [
        Status::Passed,
        Status::Failed,
        Status::Blocked,
        Status::Skipped,
        Status::NotRun,
    ];

    /// `not run`: the word for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotRun => "not run",
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Blocked => "blocked",
            Status::Skipped => "skipped",
        }
    }

    /// `not_run`: the key templates read a count by.
    pub fn key(self) -> &'static str {
        match self {
            Status::NotRun => "not_run",
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Blocked => "blocked",
            Status::Skipped => "skipped",
        }
    }

    /// Passed or deliberately skipped. A failed test needs a fix and a new run, and a blocked
    /// one could not run: neither is done.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Passed | Status::Skipped)
    }

    /// Its colour in pictures (progress bars).
    pub fn chart_colour(self) -> &'static str {
        match self {
            Status::Passed => "#16a34a",
            Status::Failed => "#dc2626",
            Status::Blocked => "#f59e0b",
            Status::Skipped => "#94a3b8",
            Status::NotRun => "#e5e7eb",
        }
    }

    /// The fill and font colour of a cell holding it (workbook): every status has its own.
    pub fn cell_colours(self) -> (&'static str, &'static str) {
        match self {
            Status::Passed => ("C6EFCE", "006100"),
            Status::Failed => ("FFC7CE", "9C0006"),
            Status::Blocked => ("FFEB9C", "9C5700"),
            Status::Skipped => ("D9D2E9", "3F3151"),
            Status::NotRun => ("EDEDED", "595959"),
        }
    }
}
