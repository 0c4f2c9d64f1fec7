//! The team registry and the manual-test catalogue, and the people they name.

use std::collections::BTreeSet;

use super::TEAMS_FILE;
use super::TESTS_FILE;
use super::reader::{Reader, TextUse, did_you_mean, list_field, refuse_disguise, scalar_field};
use super::shape;
use super::values::*;
use crate::model::*;
use crate::yaml::Node;

/// The ids a release may refer to; `None` when the registry could not be read, so
/// references to it are not checked (its own error says why).
pub(super) struct Registry {
    pub(super) teams: Option<BTreeSet<String>>,
    pub(super) tests: Option<BTreeSet<String>>,
}

impl Registry {
    pub(super) fn team(&self, r: &mut Reader, t: &Located<String>) -> Option<TeamId> {
        if refuse_disguise(r, t, "a team id", TextUse::Line) {
            return None;
        }
        let Some(teams) = &self.teams else {
            return Some(TeamId(t.value.clone()));
        };
        if teams.contains(&t.value) {
            return Some(TeamId(t.value.clone()));
        }
        let known: Vec<&str> = teams.iter().map(String::as_str).collect();
        let help = match did_you_mean(&t.value, &known) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "add it to {TEAMS_FILE}, or use one of: {}",
                known.join(", ")
            ),
        };
        r.error(t.loc, format!("unknown team `{}`", t.value)).help = Some(help);
        None
    }

    pub(super) fn test(&self, r: &mut Reader, t: &Located<String>) -> Option<TestId> {
        if refuse_disguise(r, t, "a test id", TextUse::Line) {
            return None;
        }
        let Some(tests) = &self.tests else {
            return Some(TestId(t.value.clone()));
        };
        if tests.contains(&t.value) {
            return Some(TestId(t.value.clone()));
        }
        let known: Vec<&str> = tests.iter().map(String::as_str).collect();
        let help = match did_you_mean(&t.value, &known) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("add it to {TESTS_FILE} first"),
        };
        r.error(t.loc, format!("unknown manual test `{}`", t.value))
            .help = Some(help);
        None
    }
}

pub(super) fn person(r: &mut Reader, node: &Node, what: &str, teams: &Registry) -> Option<Person> {
    let f = r.fields(node, what, &shape::PERSON)?;
    let name = nonempty_line(r, &f, "name", "a name");
    let github = f.get("github").and_then(|n| {
        let t = r.nonempty(n, "a GitHub user name")?;
        let ok = t.value.len() <= 39
            && !t.value.starts_with('-')
            && t.value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            r.error(t.loc, format!("`{}` is not a GitHub user name", t.value))
                .help = Some("write the login only, without `@` or a URL".to_owned());
            return None;
        }
        Some(t.value)
    });
    let slack = f
        .get("slack")
        .and_then(|n| slack_id(r, n, "Slack member id", &['U', 'W']));
    let team = f
        .get("team")
        .and_then(|n| r.text(n, "a team id"))
        .and_then(|t| teams.team(r, &t));
    Some(Person {
        name: name?,
        github,
        slack,
        team,
    })
}

pub(super) fn read_teams(r: &mut Reader, node: &Node, team_ids: &BTreeSet<String>) -> Vec<Team> {
    let Some(f) = r.fields(node, "the team registry", &shape::TEAMS_FILE) else {
        return Vec::new();
    };
    let Some(list) = f.get("teams") else {
        return Vec::new();
    };
    // A scrum master's team may be any team of the file, also one defined further down.
    let registry = Registry {
        teams: Some(team_ids.clone()),
        tests: None,
    };
    let mut teams: Vec<Team> = Vec::new();
    for item in r.list(list, "the list of teams") {
        let Some(f) = r.fields(item, "a team", &shape::TEAM) else {
            continue;
        };
        let id_text = f.get("id").and_then(|n| id(r, n, "team id"));
        let name = nonempty_line(r, &f, "name", "a team name");
        let areas = f
            .get("areas")
            .map(|n| {
                r.list(n, "areas")
                    .iter()
                    .filter_map(|a| {
                        let t = r.nonempty(a, "an area")?;
                        one_line(r, t, "an area")
                    })
                    .map(|t| t.value)
                    .collect()
            })
            .unwrap_or_default();
        let slack_channel = f
            .get("slack_channel")
            .and_then(|n| channel(r, n, "Slack channel"));
        let slack_group = f
            .get("slack_group")
            .and_then(|n| slack_id(r, n, "Slack user-group id", &['S']));
        let scrum_master = f
            .get("scrum_master")
            .and_then(|n| person(r, n, "the scrum master", &registry));
        let (Some(id_text), Some(name)) = (id_text, name) else {
            continue;
        };
        if let Some(first) = teams.iter().find(|t| t.id.0 == id_text.value) {
            r.error(
                id_text.loc,
                format!(
                    "duplicate team id `{}` (first defined on line {})",
                    id_text.value, first.loc.line
                ),
            )
            .help = Some("team ids must be unique; rename or remove one".to_owned());
            continue;
        }
        teams.push(Team {
            id: TeamId(id_text.value),
            name,
            areas,
            slack_channel,
            slack_group,
            scrum_master,
            loc: id_text.loc,
        });
    }
    teams
}

pub(super) fn read_tests(
    r: &mut Reader,
    node: &Node,
    teams: &Option<BTreeSet<String>>,
) -> Vec<ManualTest> {
    let registry = Registry {
        teams: teams.clone(),
        tests: None,
    };
    let Some(f) = r.fields(node, "the manual-test catalogue", &shape::TESTS_FILE) else {
        return Vec::new();
    };
    let Some(list) = f.get("tests") else {
        return Vec::new();
    };
    let mut tests: Vec<ManualTest> = Vec::new();
    for item in r.list(list, "the list of tests") {
        let Some(f) = r.fields(item, "a manual test", &shape::TEST) else {
            continue;
        };
        let id_text = f.get("id").and_then(|n| id(r, n, "test id"));
        let title = nonempty_line(r, &f, "title", "a title");
        let team = f
            .get("team")
            .and_then(|n| r.nonempty(n, "a team id"))
            .and_then(|t| registry.team(r, &t));
        let area = opt_line(r, &f, "area", "an area");
        let issue = f.get("issue").and_then(|n| url(r, n, "issue"));
        let steps = nonempty_text(r, &f, "steps", "the steps");
        let expected = nonempty_text(r, &f, "expected", "the expected result");
        let blocking = f
            .get("blocking")
            .and_then(|n| r.bool(n, "blocking"))
            .unwrap_or(false);
        let (Some(id_text), Some(title), Some(team), Some(steps), Some(expected)) =
            (id_text, title, team, steps, expected)
        else {
            continue;
        };
        if let Some(first) = tests.iter().find(|t| t.id.0 == id_text.value) {
            r.error(
                id_text.loc,
                format!(
                    "duplicate test id `{}` (first defined on line {})",
                    id_text.value, first.loc.line
                ),
            )
            .help = Some("test ids must be unique; rename or remove one".to_owned());
            continue;
        }
        tests.push(ManualTest {
            id: TestId(id_text.value),
            title,
            team,
            area,
            issue,
            steps,
            expected,
            blocking,
            loc: id_text.loc,
        });
    }
    tests
}

/// The valid ids written in the list `list` of a registry file, whatever else is wrong there.
pub(super) fn written_ids(file: &Node, list: &str) -> BTreeSet<String> {
    list_field(file, list)
        .iter()
        .filter_map(|item| scalar_field(item, "id"))
        .filter(|id| is_id(id))
        .collect()
}
