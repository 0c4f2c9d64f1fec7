//! JSON Schemas (draft-07, the draft yaml-language-server supports best) of the three kinds of
//! plan files, so editors complete field names and flag mistakes while the Release Master types.
//! The schema is as strict as `herald check` where JSON Schema can say it: days that exist
//! (month lengths, 29 February in leap years), times of day, time zones as the list of names
//! herald knows. `herald check` stays the authority for the rest: teams that are not in the
//! registry, dates out of order, times a daylight-saving change skips.

use serde_json::{Value, json};

use crate::load::shape::{self, Presence, Shape};
use crate::plan::{DraftKind, MilestoneId};

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

    fn shape(self) -> &'static Shape {
        match self {
            FileKind::Release => &shape::RELEASE,
            FileKind::Teams => &shape::TEAMS_FILE,
            FileKind::Tests => &shape::TESTS_FILE,
        }
    }

    fn title(self) -> &'static str {
        match self {
            FileKind::Release => "herald release plan",
            FileKind::Teams => "herald team registry (teams.yaml)",
            FileKind::Tests => "herald manual-test catalogue (manual-tests.yaml)",
        }
    }

    fn description(self) -> &'static str {
        match self {
            FileKind::Release => {
                "One release's plan: its schedule, people, channels, manual-test results, pull requests and failing tests. Checked by `herald check`."
            }
            FileKind::Teams => {
                "Every team that owns manual tests, approves pull requests or fixes failing tests."
            }
            FileKind::Tests => {
                "The manual tests shared by all releases; a release skips tests or records their results."
            }
        }
    }
}

const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";
/// A day that exists: each month's length, and 29 February only in leap years (divisible by 4
/// and not by 100, or by 400), so the editor flags `2026-02-30` and `2026-13-45` as
/// `herald check` does.
const DATE_BODY: &str = concat!(
    "(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)",
);
/// A time of day as the loader reads it: hours 00–23, seconds optional (60 is a leap second),
/// a fraction of a second optional; then optionally an offset (`Z`, `+02`, `+0200`, `+02:00`).
const TIME_BODY: &str = concat!(
    "T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:[.,][0-9]{1,9})?)?",
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-5])(?::?[0-5][0-9](?::?[0-5][0-9])?)?)?",
);

fn date_pattern() -> String {
    format!("^{DATE_BODY}$")
}

fn time_pattern() -> String {
    format!("^{DATE_BODY}{TIME_BODY}$")
}

fn moment_pattern() -> String {
    format!("^{DATE_BODY}(?:{TIME_BODY})?$")
}

const ONE_LINE_PATTERN: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$";
const URL_PATTERN: &str = "^https?://[^\\s]+$";
const VERSION_PATTERN: &str =
    "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";
const SLACK_MEMBER_PATTERN: &str = "^[UW][A-Z0-9]{2,}$";
const SLACK_GROUP_PATTERN: &str = "^S[A-Z0-9]{2,}$";
const SLACK_CHANNEL_PATTERN: &str = "^(#[^\\sA-Z#]+|[CG][A-Z0-9]*)$";
const GITHUB_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}$";

/// The schema of one kind of file.
pub fn schema(kind: FileKind) -> Value {
    let mut schema = object(kind.description(), kind.shape());
    schema["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    schema["title"] = json!(kind.title());
    schema
}

/// The schema as the committed `schema/*.json` files hold it: pretty JSON and a final newline.
pub fn schema_text(kind: FileKind) -> String {
    serde_json::to_string_pretty(&schema(kind)).expect("a schema serializes to JSON") + "\n"
}

fn object(description: &str, shape: &Shape) -> Value {
    let properties: serde_json::Map<String, Value> = shape
        .fields
        .iter()
        .map(|f| (f.key.to_owned(), value(&f.value, f.description)))
        .collect();
    let required: Vec<&str> = shape
        .fields
        .iter()
        .filter(|f| f.presence != Presence::Optional)
        .map(|f| f.key)
        .collect();
    json!({
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The schema of one value of the given kind.
fn value(kind: &shape::Value, description: &str) -> Value {
    use shape::Value as V;
    let pattern = |description: &str, pattern: &str| json!({ "description": description, "type": "string", "pattern": pattern });
    let text =
        |description: &str| json!({ "description": description, "type": "string", "minLength": 1 });
    match kind {
        V::Text => text(description),
        V::Zone => {
            // The names the loader accepts, as the zone database spells them (the loader also
            // takes other cases, with a warning).
            let zones: Vec<String> = jiff::tz::db()
                .available()
                .map(|name| name.to_string())
                .collect();
            json!({ "description": description, "type": "string", "enum": zones })
        }
        V::Line => {
            json!({ "description": description, "type": "string", "minLength": 1, "pattern": ONE_LINE_PATTERN })
        }
        V::Markdown => text(&format!("{description} (Markdown)")),
        V::Id => pattern(
            &format!("{description}: lowercase letters, digits and dashes"),
            ID_PATTERN,
        ),
        V::CandidateName => {
            let mut name = value(&V::Id, description);
            name["not"] = json!({ "pattern": MilestoneId::reserved_pattern() });
            name
        }
        V::Date => pattern(
            &format!("{description}: a date YYYY-MM-DD"),
            &date_pattern(),
        ),
        V::Moment => pattern(
            &format!(
                "{description}: a date YYYY-MM-DD, or a time YYYY-MM-DDTHH:MM in the release's zone or with an offset (Z, +02:00)"
            ),
            &moment_pattern(),
        ),
        V::Time => pattern(description, &time_pattern()),
        V::Url => pattern(&format!("{description}: an http(s) URL"), URL_PATTERN),
        V::Version => pattern(description, VERSION_PATTERN),
        V::GitHubLogin => pattern(description, GITHUB_PATTERN),
        V::SlackMember => pattern(description, SLACK_MEMBER_PATTERN),
        V::SlackGroup => pattern(description, SLACK_GROUP_PATTERN),
        V::SlackChannel => pattern(description, SLACK_CHANNEL_PATTERN),
        V::SentDraft => pattern(
            description,
            &format!("^{}(@{DATE_BODY})?$", DraftKind::ID_PATTERN,),
        ),
        V::Bool => json!({ "description": description, "type": "boolean" }),
        V::Count { min, max } => {
            json!({ "description": description, "type": "integer", "minimum": min, "maximum": max })
        }
        V::Status => {
            let statuses: Vec<&str> = crate::model::Status::ALL
                .iter()
                .map(|s| s.as_str())
                .collect();
            json!({ "description": description, "type": "string", "enum": statuses })
        }
        V::Person => object(&format!("{description}: a person"), &shape::PERSON),
        V::Mapping(shape) => object(description, shape),
        V::List { item, at_least_one } => {
            let mut list = json!({
                "description": description,
                "type": "array",
                "items": value(&item.value, item.description),
            });
            if *at_least_one {
                list["minItems"] = json!(1);
            }
            list
        }
        V::ById(item) => json!({
            "description": description,
            "type": "object",
            "propertyNames": { "pattern": ID_PATTERN },
            "additionalProperties": value(&item.value, item.description),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::shape;

    /// Every mapping the loader reads, with the path to its schema and the fields it accepts.
    fn mappings() -> Vec<(FileKind, &'static str, &'static Shape)> {
        vec![
            (FileKind::Teams, "", &shape::TEAMS_FILE),
            (FileKind::Teams, "/properties/teams/items", &shape::TEAM),
            (
                FileKind::Teams,
                "/properties/teams/items/properties/scrum_master",
                &shape::PERSON,
            ),
            (FileKind::Tests, "", &shape::TESTS_FILE),
            (FileKind::Tests, "/properties/tests/items", &shape::TEST),
            (FileKind::Release, "", &shape::RELEASE),
            (FileKind::Release, "/properties/people", &shape::PEOPLE),
            (
                FileKind::Release,
                "/properties/people/properties/release_master",
                &shape::PERSON,
            ),
            (FileKind::Release, "/properties/channels", &shape::CHANNELS),
            (FileKind::Release, "/properties/schedule", &shape::SCHEDULE),
            (
                FileKind::Release,
                "/properties/schedule/properties/candidates/items",
                &shape::CANDIDATE,
            ),
            (
                FileKind::Release,
                "/properties/schedule/properties/events/items",
                &shape::EVENT,
            ),
            (
                FileKind::Release,
                "/properties/scrum_of_scrums",
                &shape::SCRUM_OF_SCRUMS,
            ),
            (
                FileKind::Release,
                "/properties/test_environment",
                &shape::TEST_ENVIRONMENT,
            ),
            (
                FileKind::Release,
                "/properties/manual_tests",
                &shape::MANUAL_TESTS,
            ),
            (
                FileKind::Release,
                "/properties/manual_tests/properties/results/additionalProperties/additionalProperties",
                &shape::RESULT,
            ),
            (
                FileKind::Release,
                "/properties/pull_requests/items",
                &shape::PULL_REQUEST,
            ),
            (
                FileKind::Release,
                "/properties/failing_tests/items",
                &shape::FAILING_TEST,
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
            let mut accepted: Vec<&str> = accepted.keys().collect();
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
