//! The field names of every mapping in the format: the loader accepts exactly these, and the
//! JSON Schema (`herald schema`) describes exactly these.

pub const TEAMS_FILE: &[&str] = &["teams"];
pub const TEAM: &[&str] = &[
    "id",
    "name",
    "areas",
    "slack_channel",
    "slack_group",
    "scrum_master",
];
pub const PERSON: &[&str] = &["name", "github", "slack", "team"];
pub const TESTS_FILE: &[&str] = &["tests"];
pub const TEST: &[&str] = &[
    "id", "title", "team", "area", "issue", "steps", "expected", "blocking",
];
pub const RELEASE: &[&str] = &[
    "version",
    "product",
    "codename",
    "timezone",
    "branch",
    "people",
    "channels",
    "schedule",
    "scrum_of_scrums",
    "test_environment",
    "manual_tests",
    "pull_requests",
    "failing_tests",
    "notes",
    "release_notes",
    "sent",
];
pub const PEOPLE: &[&str] = &["release_manager", "release_master", "scrum_master"];
pub const CHANNELS: &[&str] = &["internal", "community"];
pub const SCHEDULE: &[&str] = &[
    "deadlines_announcement",
    "freeze",
    "candidates",
    "release",
    "events",
];
pub const CANDIDATE: &[&str] = &["name", "date", "cherry_pick_deadline"];
pub const EVENT: &[&str] = &["id", "title", "date", "description"];
pub const SCRUM_OF_SCRUMS: &[&str] = &["first", "every_weeks", "duration_minutes", "until"];
pub const TEST_ENVIRONMENT: &[&str] = &["url", "access", "ready"];
pub const MANUAL_TESTS: &[&str] = &["skip", "results"];
pub const RESULT: &[&str] = &["status", "tester", "note"];
pub const PULL_REQUEST: &[&str] = &["url", "title", "teams", "approved_by"];
pub const FAILING_TEST: &[&str] = &["name", "team", "since", "link", "note"];
