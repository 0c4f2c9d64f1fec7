//! The team registry and the manual-test catalogue, and the people they name.

use std::collections::BTreeSet;

use super::reader::{Reader, list_field, scalar_field};
use super::shape;
use super::values::*;
use crate::model::*;
use crate::yaml::Node;

/// A person; the team named is added to `team_refs`.
pub(super) fn person(
    r: &mut Reader,
    node: &Node,
    what: &str,
    team_refs: &mut Vec<Located<TeamId>>,
) -> Option<Person> {
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
        .and_then(|t| team_id(r, t));
    team_refs.extend(team.clone());
    let team = team.map(|t| t.value);
    Some(Person {
        name: name?,
        github,
        slack,
        team,
    })
}

/// The teams that read whole, duplicates included, and the team of every scrum master.
pub(super) fn read_teams(r: &mut Reader, node: &Node) -> (Vec<Team>, Vec<Located<TeamId>>) {
    let mut team_refs = Vec::new();
    let Some(f) = r.fields(node, "the team registry", &shape::TEAMS_FILE) else {
        return (Vec::new(), team_refs);
    };
    let Some(list) = f.get("teams") else {
        return (Vec::new(), team_refs);
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
            .and_then(|n| person(r, n, "the scrum master", &mut team_refs));
        let (Some(id_text), Some(name)) = (id_text, name) else {
            continue;
        };
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
    (teams, team_refs)
}

/// The tests that read whole, duplicates included, and the team of every test.
pub(super) fn read_tests(r: &mut Reader, node: &Node) -> (Vec<ManualTest>, Vec<Located<TeamId>>) {
    let mut team_refs = Vec::new();
    let Some(f) = r.fields(node, "the manual-test catalogue", &shape::TESTS_FILE) else {
        return (Vec::new(), team_refs);
    };
    let Some(list) = f.get("tests") else {
        return (Vec::new(), team_refs);
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
            .and_then(|t| team_id(r, t));
        team_refs.extend(team.clone());
        let team = team.map(|t| t.value);
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
    (tests, team_refs)
}

/// The valid ids written in the list `list` of a registry file, whatever else is wrong there.
pub(super) fn written_ids(file: &Node, list: &str) -> BTreeSet<String> {
    list_field(file, list)
        .iter()
        .filter_map(|item| scalar_field(item, "id"))
        .filter(|id| is_id(id))
        .collect()
}
