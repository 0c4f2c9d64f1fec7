//! JSON Schemas (draft-07, the draft yaml-language-server supports best) of the three kinds of
//! plan files, so editors complete field names and flag mistakes while the Release Master types.
//! `herald check` stays the authority: a schema cannot see dates that do not exist or teams
//! that are not in the registry.

use serde_json::{Value, json};

/// The three kinds of files in a plans folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Release,
    Teams,
    Tests,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Release, FileKind::Teams, FileKind::Tests];

    /// The schema's file name under `schema/`, as the `# yaml-language-server: $schema=` lines name it.
    pub fn file_name(self) -> &'static str {
        match self {
            FileKind::Release => "release.json",
            FileKind::Teams => "teams.json",
            FileKind::Tests => "tests.json",
        }
    }
}

const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const TIME_PATTERN: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$";
const MOMENT_PATTERN: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$";
const SENT_PATTERN: &str = "^[a-z0-9][a-z0-9-]*(@[0-9]{4}-[0-9]{2}-[0-9]{2})?$";
const ONE_LINE_PATTERN: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$";
/// Candidate names that would take another milestone's id.
const TAKEN_CANDIDATE_PATTERN: &str =
    "^(release|freeze|deadlines-announcement|(event|cherry-pick|manual-tests)-.*)$";
const URL_PATTERN: &str = "^https?://[^\\s]+$";
const VERSION_PATTERN: &str =
    "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";
const SLACK_MEMBER_PATTERN: &str = "^[UW][A-Z0-9]{2,}$";
const SLACK_GROUP_PATTERN: &str = "^S[A-Z0-9]{2,}$";
const SLACK_CHANNEL_PATTERN: &str = "^(#[^\\sA-Z#]+|[CG][A-Z0-9]*)$";
const GITHUB_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}$";

/// The schema of one kind of file.
pub fn schema(kind: FileKind) -> Value {
    let (title, description, properties, required) = match kind {
        FileKind::Release => (
            "herald release plan",
            "One release's plan: its schedule, people, channels, manual-test results, pull requests and failing tests. Checked by `herald check`.",
            release_properties(),
            vec!["version", "people", "channels", "schedule"],
        ),
        FileKind::Teams => (
            "herald team registry (teams.yaml)",
            "Every team that owns manual tests, approves pull requests or fixes failing tests.",
            json!({
                "teams": {
                    "description": "The teams, each with a unique id.",
                    "type": "array",
                    "items": team(),
                }
            }),
            vec!["teams"],
        ),
        FileKind::Tests => (
            "herald manual-test catalogue (manual-tests.yaml)",
            "The manual tests shared by all releases; a release skips tests or records their results.",
            json!({
                "tests": {
                    "description": "The manual tests, each with a unique id.",
                    "type": "array",
                    "items": manual_test(),
                }
            }),
            vec!["tests"],
        ),
    };
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The schema as the committed `schema/*.json` files hold it: pretty JSON and a final newline.
pub fn schema_text(kind: FileKind) -> String {
    serde_json::to_string_pretty(&schema(kind)).expect("a schema serializes to JSON") + "\n"
}

fn object(description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn text(description: &str) -> Value {
    json!({ "description": description, "type": "string", "minLength": 1 })
}

/// Text on one line: no line breaks, tabs or other control characters.
fn line(description: &str) -> Value {
    json!({ "description": description, "type": "string", "minLength": 1, "pattern": ONE_LINE_PATTERN })
}

fn markdown(description: &str) -> Value {
    text(&format!("{description} (Markdown)"))
}

fn pattern(description: &str, pattern: &str) -> Value {
    json!({ "description": description, "type": "string", "pattern": pattern })
}

fn id(description: &str) -> Value {
    pattern(
        &format!("{description}: lowercase letters, digits and dashes"),
        ID_PATTERN,
    )
}

fn date(description: &str) -> Value {
    pattern(&format!("{description}: a date YYYY-MM-DD"), DATE_PATTERN)
}

fn moment(description: &str) -> Value {
    pattern(
        &format!(
            "{description}: a date YYYY-MM-DD, or a time YYYY-MM-DDTHH:MM in the release's zone or with an offset (Z, +02:00)"
        ),
        MOMENT_PATTERN,
    )
}

/// An id that is not another milestone's: not `release`, `freeze`, `deadlines-announcement`,
/// and not starting with `event-`, `cherry-pick-` or `manual-tests-`.
fn candidate_name() -> Value {
    let mut name = id(
        "Unique candidate name (rc1, rc2, …); not release, freeze, deadlines-announcement, and not starting with event-, cherry-pick- or manual-tests-",
    );
    name["not"] = json!({ "pattern": TAKEN_CANDIDATE_PATTERN });
    name
}

fn url(description: &str) -> Value {
    pattern(&format!("{description}: an http(s) URL"), URL_PATTERN)
}

fn id_list(description: &str, item: &str) -> Value {
    json!({ "description": description, "type": "array", "items": id(item) })
}

fn person(description: &str) -> Value {
    object(
        &format!("{description}: a person"),
        json!({
            "name": line("Full name"),
            "github": pattern("GitHub login, without @", GITHUB_PATTERN),
            "slack": pattern("Slack member id (U…), used to mention the person", SLACK_MEMBER_PATTERN),
            "team": id("A team id from teams.yaml"),
        }),
        &["name"],
    )
}

fn team() -> Value {
    object(
        "A team",
        json!({
            "id": id("Unique team id"),
            "name": line("Display name"),
            "areas": { "description": "Areas the team owns", "type": "array", "items": line("An area") },
            "slack_channel": pattern("The team's Slack channel: #channel-name or a channel id (C…)", SLACK_CHANNEL_PATTERN),
            "slack_group": pattern("Slack user-group id (S…), used to mention the team", SLACK_GROUP_PATTERN),
            "scrum_master": person("The team's scrum master"),
        }),
        &["id", "name"],
    )
}

fn manual_test() -> Value {
    object(
        "A manual test",
        json!({
            "id": id("Unique test id"),
            "title": line("What the test shows, in one line"),
            "team": id("The owning team: a team id from teams.yaml"),
            "area": line("The area the test covers"),
            "issue": url("The issue that describes the test"),
            "steps": markdown("How to run the test"),
            "expected": markdown("What the tester should see"),
            "blocking": { "description": "A failure blocks the release (default false)", "type": "boolean" },
        }),
        &["id", "title", "team", "steps", "expected"],
    )
}

fn release_properties() -> Value {
    let statuses: Vec<&str> = crate::model::Status::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    json!({
        "version": pattern("Semantic version MAJOR.MINOR.PATCH", VERSION_PATTERN),
        "product": line("The product released (Kyma), shown in calendar summaries and Slack headers"),
        "codename": line("Codename of the release"),
        "timezone": text("IANA time zone (Europe/Berlin, America/New_York); times without an offset are in it. Default UTC"),
        "branch": line("The release branch; default release-MAJOR.MINOR"),
        "people": object(
            "Who runs the release",
            json!({
                "release_manager": person("The release manager"),
                "release_master": person("The Release Master, who keeps this plan"),
                "scrum_master": person("The scrum master who keeps the MagicBox current"),
            }),
            &["release_master"],
        ),
        "channels": object(
            "Slack channels of the release",
            json!({
                "internal": pattern("Where teams hear about deadlines, candidates, approvals and failures", SLACK_CHANNEL_PATTERN),
                "community": pattern("The external community channel for the release notice", SLACK_CHANNEL_PATTERN),
            }),
            &["internal"],
        ),
        "schedule": object(
            "The release's dates",
            json!({
                "deadlines_announcement": moment("When the deadlines are announced, at least seven days before the first candidate; default: the first candidate's date minus 7 days"),
                "freeze": moment("When the release branch is cut"),
                "candidates": {
                    "description": "The release candidates, at least one, in date order",
                    "type": "array",
                    "minItems": 1,
                    "items": object(
                        "A release candidate",
                        json!({
                            "name": candidate_name(),
                            "date": date("The candidate's day"),
                            "cherry_pick_deadline": moment("The last moment to cherry-pick into this candidate"),
                        }),
                        &["name", "date"],
                    ),
                },
                "release": date("The release day"),
                "events": {
                    "description": "Anything else everyone must know about",
                    "type": "array",
                    "items": object(
                        "An event",
                        json!({
                            "id": id("A stable id for its page anchor and calendar UID (default: from the title), so renaming the event moves nothing"),
                            "title": line("What happens"),
                            "date": date("The event's day"),
                            "description": markdown("Details"),
                        }),
                        &["title", "date"],
                    ),
                },
            }),
            &["candidates", "release"],
        ),
        "scrum_of_scrums": object(
            "The Scrum-of-Scrums meetings during the release",
            json!({
                "first": pattern("Date and time of the first meeting, YYYY-MM-DDTHH:MM", TIME_PATTERN),
                "every_weeks": { "description": "Weeks between meetings (default 2)", "type": "integer", "minimum": 1, "maximum": 52 },
                "duration_minutes": { "description": "Length of a meeting in minutes (default 30)", "type": "integer", "minimum": 1, "maximum": 1440 },
                "until": date("The last day with a meeting, inclusive; default the release date"),
            }),
            &["first"],
        ),
        "test_environment": object(
            "The environment teams test the candidates on",
            json!({
                "url": url("Address of the environment"),
                "access": markdown("How teams get access"),
                "ready": moment("When the environment is ready"),
            }),
            &["url"],
        ),
        "manual_tests": object(
            "Manual tests of this release",
            json!({
                "skip": id_list("Catalogue tests not run in this release", "A test id from manual-tests.yaml"),
                "results": {
                    "description": "Test id → candidate name → result",
                    "type": "object",
                    "propertyNames": { "pattern": ID_PATTERN },
                    "additionalProperties": {
                        "description": "Results of one test, by candidate name",
                        "type": "object",
                        "propertyNames": { "pattern": ID_PATTERN },
                        "additionalProperties": object(
                            "The result of one test on one candidate",
                            json!({
                                "status": { "description": "The result", "type": "string", "enum": statuses },
                                "tester": line("Who ran the test"),
                                "note": markdown("What the tester saw"),
                            }),
                            &["status"],
                        ),
                    },
                },
            }),
            &[],
        ),
        "pull_requests": {
            "description": "Release pull requests that need approvals",
            "type": "array",
            "items": object(
                "A pull request",
                json!({
                    "url": url("The pull request"),
                    "title": line("Its title"),
                    "teams": id_list("Teams that must approve it", "A team id"),
                    "approved_by": id_list("Teams that approved it", "A team id"),
                }),
                &["url", "title", "teams"],
            ),
        },
        "failing_tests": {
            "description": "Automated tests failing on the release branch",
            "type": "array",
            "items": object(
                "A failing test",
                json!({
                    "name": line("The test job's name"),
                    "team": id("The team fixing it"),
                    "since": moment("Since when it fails"),
                    "link": url("Where to see the failure"),
                    "note": markdown("What is known"),
                }),
                &["name", "team", "since"],
            ),
        },
        "notes": markdown("Notes shown on the MagicBox"),
        "release_notes": url("The release notes, linked from the community announcement"),
        "sent": {
            "description": "Slack drafts already posted; `herald due` skips them. `approvals` and `failing-tests` are due daily while something waits: `approvals@2026-11-26` silences that day only, plain `approvals` for good",
            "type": "array",
            "items": pattern("A draft id (deadlines, cherry-pick-rc1, …), optionally with the day it was posted: id@YYYY-MM-DD", SENT_PATTERN),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::fields;

    /// Every mapping the loader reads, with the path to its schema and the fields it accepts.
    fn mappings() -> Vec<(FileKind, &'static str, &'static [&'static str])> {
        vec![
            (FileKind::Teams, "", fields::TEAMS_FILE),
            (FileKind::Teams, "/properties/teams/items", fields::TEAM),
            (
                FileKind::Teams,
                "/properties/teams/items/properties/scrum_master",
                fields::PERSON,
            ),
            (FileKind::Tests, "", fields::TESTS_FILE),
            (FileKind::Tests, "/properties/tests/items", fields::TEST),
            (FileKind::Release, "", fields::RELEASE),
            (FileKind::Release, "/properties/people", fields::PEOPLE),
            (
                FileKind::Release,
                "/properties/people/properties/release_master",
                fields::PERSON,
            ),
            (FileKind::Release, "/properties/channels", fields::CHANNELS),
            (FileKind::Release, "/properties/schedule", fields::SCHEDULE),
            (
                FileKind::Release,
                "/properties/schedule/properties/candidates/items",
                fields::CANDIDATE,
            ),
            (
                FileKind::Release,
                "/properties/schedule/properties/events/items",
                fields::EVENT,
            ),
            (
                FileKind::Release,
                "/properties/scrum_of_scrums",
                fields::SCRUM_OF_SCRUMS,
            ),
            (
                FileKind::Release,
                "/properties/test_environment",
                fields::TEST_ENVIRONMENT,
            ),
            (
                FileKind::Release,
                "/properties/manual_tests",
                fields::MANUAL_TESTS,
            ),
            (
                FileKind::Release,
                "/properties/manual_tests/properties/results/additionalProperties/additionalProperties",
                fields::RESULT,
            ),
            (
                FileKind::Release,
                "/properties/pull_requests/items",
                fields::PULL_REQUEST,
            ),
            (
                FileKind::Release,
                "/properties/failing_tests/items",
                fields::FAILING_TEST,
            ),
        ]
    }

    #[test]
    fn every_mapping_has_exactly_the_fields_the_loader_accepts() {
        for (kind, pointer, accepted) in mappings() {
            let schema = schema(kind);
            let node = schema
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{pointer}"));
            let mut described: Vec<&str> = node["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{pointer} has properties"))
                .keys()
                .map(String::as_str)
                .collect();
            let mut accepted = accepted.to_vec();
            described.sort_unstable();
            accepted.sort_unstable();
            assert_eq!(described, accepted, "{kind:?} {pointer}");
            assert_eq!(node["additionalProperties"], json!(false), "{pointer}");
            for required in node["required"].as_array().expect("required") {
                assert!(accepted.contains(&required.as_str().expect("name")));
            }
            for (name, field) in node["properties"].as_object().expect("properties") {
                assert!(
                    field["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{pointer}/{name} has a description"
                );
            }
        }
    }

    #[test]
    fn statuses_are_an_enum() {
        let schema = schema(FileKind::Release);
        let status = schema
            .pointer("/properties/manual_tests/properties/results/additionalProperties/additionalProperties/properties/status/enum")
            .expect("status enum");
        assert_eq!(
            status,
            &json!(["not-run", "passed", "failed", "blocked", "skipped"])
        );
    }
}
