//! The shape of the plan files, stated once: every mapping's fields, which are required, what
//! kind of value each holds and what it means. The reader refuses unknown fields and reports
//! missing ones from it, and `herald schema` turns it into JSON Schema.

/// A mapping of the format and the fields it accepts.
#[derive(Debug)]
pub struct Shape {
    pub fields: &'static [Field],
}

#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub presence: Presence,
    pub value: Value,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Optional,
    /// Reported as missing by the reader.
    Required,
    /// Required by the schema, but an absent list reads as empty and a rule of `check/` says
    /// what is missing (a pull request's `teams`).
    RequiredByRule,
}

/// What kind of value a field holds.
#[derive(Debug)]
pub enum Value {
    Text,
    /// Text on one line: no line breaks, tabs or other control characters.
    Line,
    Markdown,
    /// Lowercase letters, digits and dashes.
    Id,
    /// An id that is not another milestone's.
    CandidateName,
    Date,
    /// A date, or a date and time.
    Moment,
    /// A date and time.
    Time,
    Url,
    Version,
    Zone,
    GitHubLogin,
    SlackMember,
    SlackGroup,
    SlackChannel,
    /// An entry of `sent`: a draft id, optionally `@YYYY-MM-DD`.
    SentDraft,
    Bool,
    Count {
        min: u32,
        max: u32,
    },
    Status,
    Person,
    Mapping(&'static Shape),
    List {
        item: &'static Item,
        at_least_one: bool,
    },
    /// A mapping whose keys are ids (test ids, candidate names).
    ById(&'static Item),
}

/// The value of a list's item or of an id-keyed mapping's entry.
#[derive(Debug)]
pub struct Item {
    pub value: Value,
    pub description: &'static str,
}

impl Shape {
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.key)
    }
}

const fn field(key: &'static str, value: Value, description: &'static str) -> Field {
    Field {
        key,
        presence: Presence::Optional,
        value,
        description,
    }
}

const fn required(key: &'static str, value: Value, description: &'static str) -> Field {
    Field {
        presence: Presence::Required,
        ..field(key, value, description)
    }
}

const fn list(item: &'static Item) -> Value {
    Value::List {
        item,
        at_least_one: false,
    }
}

pub const TEAMS_FILE: Shape = Shape {
    fields: &[required(
        "teams",
        list(&Item {
            value: Value::Mapping(&TEAM),
            description: "A team",
        }),
        "The teams, each with a unique id.",
    )],
};

pub const TEAM: Shape = Shape {
    fields: &[
        required("id", Value::Id, "Unique team id"),
        required("name", Value::Line, "Display name"),
        field(
            "areas",
            list(&Item {
                value: Value::Line,
                description: "An area",
            }),
            "Areas the team owns",
        ),
        field(
            "slack_channel",
            Value::SlackChannel,
            "The team's Slack channel: #channel-name or a channel id (C…)",
        ),
        field(
            "slack_group",
            Value::SlackGroup,
            "Slack user-group id (S…), used to mention the team",
        ),
        field("scrum_master", Value::Person, "The team's scrum master"),
    ],
};

pub const PERSON: Shape = Shape {
    fields: &[
        required("name", Value::Line, "Full name"),
        field("github", Value::GitHubLogin, "GitHub login, without @"),
        field(
            "slack",
            Value::SlackMember,
            "Slack member id (U…), used to mention the person",
        ),
        field("team", Value::Id, "A team id from teams.yaml"),
    ],
};

pub const TESTS_FILE: Shape = Shape {
    fields: &[required(
        "tests",
        list(&Item {
            value: Value::Mapping(&TEST),
            description: "A manual test",
        }),
        "The manual tests, each with a unique id.",
    )],
};

pub const TEST: Shape = Shape {
    fields: &[
        required("id", Value::Id, "Unique test id"),
        required("title", Value::Line, "What the test shows, in one line"),
        required(
            "team",
            Value::Id,
            "The owning team: a team id from teams.yaml",
        ),
        field("area", Value::Line, "The area the test covers"),
        field("issue", Value::Url, "The issue that describes the test"),
        required("steps", Value::Markdown, "How to run the test"),
        required("expected", Value::Markdown, "What the tester should see"),
        field(
            "blocking",
            Value::Bool,
            "A failure blocks the release (default false)",
        ),
    ],
};

pub const RELEASE: Shape = Shape {
    fields: &[
        required(
            "version",
            Value::Version,
            "Semantic version MAJOR.MINOR.PATCH",
        ),
        field(
            "product",
            Value::Line,
            "The product released (Kyma), shown in calendar summaries and Slack headers",
        ),
        field("codename", Value::Line, "Codename of the release"),
        field(
            "timezone",
            Value::Zone,
            "IANA time zone (Europe/Berlin, America/New_York); times without an offset are in it. Default UTC",
        ),
        field(
            "branch",
            Value::Line,
            "The release branch; default release-MAJOR.MINOR",
        ),
        required("people", Value::Mapping(&PEOPLE), "Who runs the release"),
        required(
            "channels",
            Value::Mapping(&CHANNELS),
            "Slack channels of the release",
        ),
        required("schedule", Value::Mapping(&SCHEDULE), "The release's dates"),
        field(
            "scrum_of_scrums",
            Value::Mapping(&SCRUM_OF_SCRUMS),
            "The Scrum-of-Scrums meetings during the release",
        ),
        field(
            "test_environment",
            Value::Mapping(&TEST_ENVIRONMENT),
            "The environment teams test the candidates on",
        ),
        field(
            "manual_tests",
            Value::Mapping(&MANUAL_TESTS),
            "Manual tests of this release",
        ),
        field(
            "pull_requests",
            list(&Item {
                value: Value::Mapping(&PULL_REQUEST),
                description: "A pull request",
            }),
            "Release pull requests that need approvals",
        ),
        field(
            "failing_tests",
            list(&Item {
                value: Value::Mapping(&FAILING_TEST),
                description: "A failing test",
            }),
            "Automated tests failing on the release branch",
        ),
        field("notes", Value::Markdown, "Notes shown on the MagicBox"),
        field(
            "release_notes",
            Value::Url,
            "The release notes, linked from the community announcement",
        ),
        field(
            "sent",
            list(&Item {
                value: Value::SentDraft,
                description: "A draft id (deadlines, cherry-pick-rc1, …), optionally with the day it was posted: id@YYYY-MM-DD",
            }),
            "Slack drafts already posted; `herald due` skips them. `approvals` and `failing-tests` are due daily while something waits: `approvals@2026-11-26` silences that day only, plain `approvals` for good",
        ),
    ],
};

pub const PEOPLE: Shape = Shape {
    fields: &[
        field("release_manager", Value::Person, "The release manager"),
        required(
            "release_master",
            Value::Person,
            "The Release Master, who keeps this plan",
        ),
        field(
            "scrum_master",
            Value::Person,
            "The scrum master who keeps the MagicBox current",
        ),
    ],
};

pub const CHANNELS: Shape = Shape {
    fields: &[
        required(
            "internal",
            Value::SlackChannel,
            "Where teams hear about deadlines, candidates, approvals and failures",
        ),
        field(
            "community",
            Value::SlackChannel,
            "The external community channel for the release notice",
        ),
    ],
};

pub const SCHEDULE: Shape = Shape {
    fields: &[
        field(
            "deadlines_announcement",
            Value::Moment,
            "When the deadlines are announced, at least seven days before the first candidate; default: the first candidate's date minus 7 days",
        ),
        field("freeze", Value::Moment, "When the release branch is cut"),
        required(
            "candidates",
            Value::List {
                item: &Item {
                    value: Value::Mapping(&CANDIDATE),
                    description: "A release candidate",
                },
                at_least_one: true,
            },
            "The release candidates, at least one, in date order",
        ),
        required("release", Value::Date, "The release day"),
        field(
            "events",
            list(&Item {
                value: Value::Mapping(&EVENT),
                description: "An event",
            }),
            "Anything else everyone must know about",
        ),
    ],
};

pub const CANDIDATE: Shape = Shape {
    fields: &[
        required(
            "name",
            Value::CandidateName,
            "Unique candidate name (rc1, rc2, …); not release, freeze, deadlines-announcement, and not starting with event-, cherry-pick- or manual-tests-",
        ),
        required("date", Value::Date, "The candidate's day"),
        field(
            "cherry_pick_deadline",
            Value::Moment,
            "The last moment to cherry-pick into this candidate",
        ),
        field(
            "results_due",
            Value::Moment,
            "When the manual-test results of this candidate are due (default: the next candidate's cherry-pick deadline, else the day before it; for the last candidate, 2 days before the release)",
        ),
    ],
};

pub const EVENT: Shape = Shape {
    fields: &[
        field(
            "id",
            Value::Id,
            "A stable id for its page anchor and calendar UID (default: from the title), so renaming the event moves nothing",
        ),
        required("title", Value::Line, "What happens"),
        required("date", Value::Date, "The event's day"),
        field("description", Value::Markdown, "Details"),
    ],
};

pub const SCRUM_OF_SCRUMS: Shape = Shape {
    fields: &[
        required(
            "first",
            Value::Time,
            "Date and time of the first meeting, YYYY-MM-DDTHH:MM",
        ),
        field(
            "every_weeks",
            Value::Count { min: 1, max: 52 },
            "Weeks between meetings (default 2)",
        ),
        field(
            "duration_minutes",
            Value::Count {
                min: 1,
                max: 24 * 60,
            },
            "Length of a meeting in minutes (default 30)",
        ),
        field(
            "until",
            Value::Date,
            "The last day with a meeting, inclusive; default the release date",
        ),
    ],
};

pub const TEST_ENVIRONMENT: Shape = Shape {
    fields: &[
        required("url", Value::Url, "Address of the environment"),
        field("access", Value::Markdown, "How teams get access"),
        field("ready", Value::Moment, "When the environment is ready"),
    ],
};

pub const MANUAL_TESTS: Shape = Shape {
    fields: &[
        field(
            "skip",
            list(&Item {
                value: Value::Id,
                description: "A test id from manual-tests.yaml",
            }),
            "Catalogue tests not run in this release",
        ),
        field(
            "results",
            Value::ById(&Item {
                value: Value::ById(&Item {
                    value: Value::Mapping(&RESULT),
                    description: "The result of one test on one candidate",
                }),
                description: "Results of one test, by candidate name",
            }),
            "Test id → candidate name → result",
        ),
    ],
};

pub const RESULT: Shape = Shape {
    fields: &[
        required("status", Value::Status, "The result"),
        field("tester", Value::Line, "Who ran the test"),
        field("note", Value::Markdown, "What the tester saw"),
    ],
};

const TEAM_IDS: Item = Item {
    value: Value::Id,
    description: "A team id",
};

pub const PULL_REQUEST: Shape = Shape {
    fields: &[
        required("url", Value::Url, "The pull request"),
        required("title", Value::Line, "Its title"),
        Field {
            presence: Presence::RequiredByRule,
            ..field("teams", list(&TEAM_IDS), "Teams that must approve it")
        },
        field("approved_by", list(&TEAM_IDS), "Teams that approved it"),
    ],
};

pub const FAILING_TEST: Shape = Shape {
    fields: &[
        required("name", Value::Line, "The test job's name"),
        required("team", Value::Id, "The team fixing it"),
        required("since", Value::Moment, "Since when it fails"),
        field("link", Value::Url, "Where to see the failure"),
        field("note", Value::Markdown, "What is known"),
    ],
};
