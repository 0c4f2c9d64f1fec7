//! A release plan: its schedule, people, channels, results, pull requests and failing tests.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::reader::{Fields, Reader, did_you_mean, field, list_field, scalar_field};
use super::registry::person;
use super::shape;
use super::values::*;
use crate::diag::Loc;
use crate::model::*;
use crate::yaml::{Node, NodeKind};

/// A release file as far as it read, its ids not yet judged. The rules of `check` judge all
/// of it, also when other parts of the file have mistakes, so every mistake shows in one run.
#[derive(Debug, Default)]
pub struct ReleaseRead {
    pub file: PathBuf,
    /// The reader met an error in the file, so its release is not complete.
    pub has_read_errors: bool,
    /// The version as written, also when the rest of the file has mistakes.
    pub version: Option<Located<semver::Version>>,
    /// The schedule, when all of it read in a known zone.
    pub schedule: Option<Schedule>,
    /// Every candidate that read whole, also when the rest of the schedule did not.
    pub candidates: Vec<Candidate>,
    /// Every candidate name that reads as an id, also when the candidate's date does not read.
    pub candidate_ids: Vec<Located<String>>,
    /// The candidate names written, whatever else is wrong there.
    pub candidate_names: Vec<String>,
    /// The ids given to events.
    pub event_ids: Vec<Located<String>>,
    /// The day of the first Scrum-of-Scrums meeting and the `until` day, when both read.
    pub meetings_until: Option<(Date, Located<Date>)>,
    /// Every team id the file names.
    pub team_refs: Vec<Located<TeamId>>,
    pub skip: Vec<Located<TestId>>,
    /// The tests that results are recorded for.
    pub result_tests: Vec<Located<TestId>>,
    pub pull_requests: Vec<PullRequestRead>,
    /// The draft ids of `sent`, without the day.
    pub sent: Vec<Located<String>>,
}

/// A pull request whose teams read, with the places they are written.
#[derive(Debug)]
pub struct PullRequestRead {
    pub loc: Loc,
    pub teams: Vec<Located<TeamId>>,
    pub approved_by: Vec<Located<TeamId>>,
}

/// Reads a release file; the release is complete when every required part read.
pub(super) fn read_release(r: &mut Reader, node: &Node) -> (ReleaseRead, Option<Release>) {
    let mut read = ReleaseRead {
        file: r.path.to_path_buf(),
        version: written_version(node),
        ..ReleaseRead::default()
    };
    let release = read_parts(r, node, &mut read);
    read.has_read_errors = r.has_errors();
    (read, release.filter(|_| !r.has_errors()))
}

fn read_parts(r: &mut Reader, node: &Node, read: &mut ReleaseRead) -> Option<Release> {
    let f = r.fields(node, "a release plan", &shape::RELEASE)?;
    let version = f.get("version").and_then(|n| version(r, n));
    let product = opt_line(r, &f, "product", "a product name");
    let codename = opt_line(r, &f, "codename", "a codename");
    let zone = optional(f.get("timezone"), |n| timezone(r, n));
    let zone_known = zone.is_some();
    let (timezone, timezone_name) = zone.flatten().unwrap_or((TimeZone::UTC, "UTC".to_owned()));
    let tz = &timezone;
    let branch = opt_line(r, &f, "branch", "a branch name");

    let people = f.get("people").and_then(|n| {
        let p = r.fields(n, "people", &shape::PEOPLE)?;
        let release_manager = p
            .get("release_manager")
            .and_then(|n| person(r, n, "the release manager", &mut read.team_refs));
        let release_master = p
            .get("release_master")
            .and_then(|n| person(r, n, "the release master", &mut read.team_refs));
        let scrum_master = p
            .get("scrum_master")
            .and_then(|n| person(r, n, "the scrum master", &mut read.team_refs));
        Some(People {
            release_manager,
            release_master: release_master?,
            scrum_master,
        })
    });

    let channels = f.get("channels").and_then(|n| {
        let c = r.fields(n, "channels", &shape::CHANNELS)?;
        let internal = c
            .get("internal")
            .and_then(|n| channel(r, n, "internal channel"));
        let community = c
            .get("community")
            .and_then(|n| channel(r, n, "community channel"));
        Some(Channels {
            internal: internal?,
            community,
        })
    });

    let schedule = f
        .get("schedule")
        .and_then(|n| read_schedule(r, n, tz, read));
    // Names as written, even when a candidate's date is wrong, so results can still be checked.
    read.candidate_names = f
        .get("schedule")
        .map(written_candidate_names)
        .unwrap_or_default();
    let candidate_names = read.candidate_names.clone();

    let scrum_of_scrums = f.get("scrum_of_scrums").and_then(|n| {
        let s = r.fields(n, "scrum_of_scrums", &shape::SCRUM_OF_SCRUMS)?;
        let first = s
            .get("first")
            .and_then(|n| r.text(n, "the first meeting"))
            .and_then(|t| zoned(r, &t, "the first meeting", tz));
        let every_weeks = s
            .get("every_weeks")
            .map_or(Some(2), |n| r.uint(n, "every_weeks", 1, 52));
        let duration_minutes = s
            .get("duration_minutes")
            .map_or(Some(30), |n| r.uint(n, "duration_minutes", 1, 24 * 60));
        let until = optional(s.get("until"), |n| date(r, n, "until"));
        let (first, until) = (first?, until?);
        read.meetings_until = until.clone().map(|until| (first.date(), until));
        Some(ScrumOfScrums {
            first,
            every_weeks: every_weeks?,
            duration_minutes: duration_minutes?,
            until: until.map(|u| u.value),
        })
    });

    let test_environment = f.get("test_environment").and_then(|n| {
        let t = r.fields(n, "test_environment", &shape::TEST_ENVIRONMENT)?;
        let url = t
            .get("url")
            .and_then(|n| url(r, n, "the test environment's url"));
        let access = opt_text(r, &t, "access", "access");
        let ready = optional(t.get("ready"), |n| {
            moment(r, n, "ready", tz).map(|m| m.value)
        });
        Some(TestEnvironment {
            url: url?,
            access,
            ready: ready?,
        })
    });

    let mut skip = Vec::new();
    let mut results: BTreeMap<TestId, Vec<(String, TestResult)>> = BTreeMap::new();
    if let Some(n) = f.get("manual_tests")
        && let Some(m) = r.fields(n, "manual_tests", &shape::MANUAL_TESTS)
    {
        if let Some(list) = m.get("skip") {
            for item in r.list(list, "skip") {
                if let Some(id) = r.text(item, "a test id").and_then(|t| test_id(r, t)) {
                    skip.push(id.value.clone());
                    read.skip.push(id);
                }
            }
        }
        if let Some(map) = m.get("results") {
            for (key, per_candidate) in r.entries(map, "results") {
                let test_text = Located {
                    value: key.name.clone(),
                    loc: key.loc,
                };
                let test = test_id(r, test_text);
                read.result_tests.extend(test.clone());
                let test = test.map(|t| t.value);
                for (cand, result) in r.entries(per_candidate, "results by candidate") {
                    if !candidate_names.is_empty() && !candidate_names.contains(&cand.name) {
                        let known: Vec<&str> = candidate_names.iter().map(String::as_str).collect();
                        let help = match did_you_mean(&cand.name, &known) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => {
                                format!("the candidates of this release are {}", known.join(", "))
                            }
                        };
                        r.error(cand.loc, format!("unknown candidate `{}`", cand.name))
                            .help = Some(help);
                        continue;
                    }
                    let Some(rf) = r.fields(result, "a test result", &shape::RESULT) else {
                        continue;
                    };
                    let status = rf.get("status").and_then(|n| {
                        let t = r.text(n, "a status")?;
                        let st = Status::parse(&t.value);
                        if st.is_none() {
                            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                            let help = match did_you_mean(&t.value, &names) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!("a status is one of {}", names.join(", ")),
                            };
                            r.error(t.loc, format!("unknown status `{}`", t.value)).help =
                                Some(help);
                        }
                        st
                    });
                    let tester = opt_line(r, &rf, "tester", "a tester");
                    let note = opt_text(r, &rf, "note", "a note");
                    if let (Some(test), Some(status)) = (&test, status) {
                        let result = TestResult {
                            status,
                            tester,
                            note,
                        };
                        let of_test = results.entry(test.clone()).or_default();
                        match of_test.iter_mut().find(|(name, _)| *name == cand.name) {
                            Some((_, earlier)) => *earlier = result,
                            None => of_test.push((cand.name.clone(), result)),
                        }
                    }
                }
            }
        }
    }

    let mut pull_requests = Vec::new();
    if let Some(list) = f.get("pull_requests") {
        for item in r.list(list, "pull_requests") {
            let Some(p) = r.fields(item, "a pull request", &shape::PULL_REQUEST) else {
                continue;
            };
            let url = p
                .get("url")
                .and_then(|n| url(r, n, "the pull request's url"));
            let title = nonempty_line(r, &p, "title", "a title");
            let teams = team_list(r, &p, "teams");
            let approved_by = team_list(r, &p, "approved_by");
            read.team_refs.extend(teams.iter().flatten().cloned());
            read.team_refs.extend(approved_by.iter().flatten().cloned());
            if let (Some(url), Some(title), Some(teams), Some(approved_by)) =
                (url, title, teams, approved_by)
            {
                let ids = |list: &[Located<TeamId>]| list.iter().map(|t| t.value.clone()).collect();
                pull_requests.push(PullRequest {
                    url,
                    title,
                    teams: ids(&teams),
                    approved_by: ids(&approved_by),
                });
                read.pull_requests.push(PullRequestRead {
                    loc: p.loc,
                    teams,
                    approved_by,
                });
            }
        }
    }

    let mut failing_tests = Vec::new();
    if let Some(list) = f.get("failing_tests") {
        for item in r.list(list, "failing_tests") {
            let Some(ft) = r.fields(item, "a failing test", &shape::FAILING_TEST) else {
                continue;
            };
            let name = nonempty_line(r, &ft, "name", "a name");
            let team = ft
                .get("team")
                .and_then(|n| r.text(n, "a team id"))
                .and_then(|t| team_id(r, t));
            read.team_refs.extend(team.clone());
            let team = team.map(|t| t.value);
            let since = ft.get("since").and_then(|n| moment(r, n, "since", tz));
            let link = ft.get("link").and_then(|n| url(r, n, "link"));
            let note = opt_text(r, &ft, "note", "a note");
            if let (Some(name), Some(team), Some(since)) = (name, team, since) {
                failing_tests.push(FailingTest {
                    name,
                    team,
                    since: since.value,
                    link,
                    note,
                });
            }
        }
    }

    let notes = opt_text(r, &f, "notes", "notes");
    let release_notes = f
        .get("release_notes")
        .and_then(|n| url(r, n, "release_notes"));
    let mut sent = Vec::new();
    if let Some(list) = f.get("sent") {
        for item in r.list(list, "sent") {
            if let Some(t) = r.nonempty(item, "a draft id")
                && let Some(entry) = sent_entry(r, &t)
            {
                read.sent.push(Located {
                    value: entry.id.clone(),
                    loc: t.loc,
                });
                sent.push(entry);
            }
        }
    }

    // Dates in an unknown zone would be judged in UTC.
    if zone_known {
        read.schedule = schedule.clone();
    }
    let version = version?;
    let schedule = schedule?;
    let branch = branch
        .unwrap_or_else(|| format!("release-{}.{}", version.value.major, version.value.minor));
    Some(Release {
        file: r.path.to_path_buf(),
        version,
        product,
        codename,
        timezone,
        timezone_name,
        branch,
        people: people?,
        channels: channels?,
        schedule,
        scrum_of_scrums,
        test_environment,
        skip,
        results,
        pull_requests,
        failing_tests,
        notes,
        release_notes,
        sent,
    })
}

/// One entry of `sent`: a draft id, optionally `@YYYY-MM-DD` for the day it was posted.
pub(super) fn sent_entry(r: &mut Reader, t: &Located<String>) -> Option<Sent> {
    let (id, on) = match t.value.split_once('@') {
        Some((id, day)) => {
            let Ok(day) = day.parse::<Date>() else {
                r.error(t.loc, format!("`{}` does not end in a date", t.value))
                    .help = Some(format!(
                    "write the day the draft was posted as `{id}@YYYY-MM-DD`, or the id alone when it is done for good"
                ));
                return None;
            };
            (id, Some(day))
        }
        None => (t.value.as_str(), None),
    };
    Some(Sent {
        id: id.to_owned(),
        on,
    })
}

/// The candidate names written under `schedule.candidates`, whatever else is wrong there.
pub(super) fn written_candidate_names(schedule: &Node) -> Vec<String> {
    list_field(schedule, "candidates")
        .iter()
        .filter_map(|item| scalar_field(item, "name"))
        .collect()
}

/// The version of a release file, if it is written and valid, whatever else is wrong there.
pub(super) fn written_version(file: &Node) -> Option<Located<semver::Version>> {
    let node = field(file, "version")?;
    let (NodeKind::Str(text) | NodeKind::Other(text)) = &node.kind else {
        return None;
    };
    Some(Located {
        value: semver::Version::parse(text).ok()?,
        loc: node.loc,
    })
}

/// A list of team ids, each with the place it was written.
pub(super) fn team_list(r: &mut Reader, f: &Fields, name: &str) -> Option<Vec<Located<TeamId>>> {
    let Some(list) = f.get(name) else {
        return Some(Vec::new());
    };
    let mut ok = true;
    let mut teams = Vec::new();
    for item in r.list(list, name) {
        match r.text(item, "a team id").and_then(|t| team_id(r, t)) {
            Some(team) => teams.push(team),
            None => ok = false,
        }
    }
    ok.then_some(teams)
}

fn read_schedule(
    r: &mut Reader,
    node: &Node,
    tz: &TimeZone,
    read: &mut ReleaseRead,
) -> Option<Schedule> {
    let f = r.fields(node, "the schedule", &shape::SCHEDULE)?;
    let deadlines_announcement = optional(f.get("deadlines_announcement"), |n| {
        moment(r, n, "deadlines_announcement", tz)
    });
    let freeze = optional(f.get("freeze"), |n| moment(r, n, "freeze", tz));
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut candidates_ok = true;
    if let Some(list) = f.get("candidates") {
        let items = r.list(list, "candidates");
        if items.is_empty() {
            r.error(list.loc, "a release needs at least one candidate")
                .help =
                Some("add `- { name: rc1, date: YYYY-MM-DD }` under `candidates:`".to_owned());
            candidates_ok = false;
        }
        for item in items {
            let Some(c) = r.fields(item, "a candidate", &shape::CANDIDATE) else {
                candidates_ok = false;
                continue;
            };
            let name = c.get("name").and_then(|n| id(r, n, "candidate name"));
            let cdate = c
                .get("date")
                .and_then(|n| date(r, n, "the candidate's date"));
            let cherry = optional(c.get("cherry_pick_deadline"), |n| {
                moment(r, n, "cherry_pick_deadline", tz)
            });
            let results_due = optional(c.get("results_due"), |n| moment(r, n, "results_due", tz));
            read.candidate_ids.extend(name.clone());
            let (Some(name), Some(cdate), Some(cherry), Some(results_due)) =
                (name, cdate, cherry, results_due)
            else {
                candidates_ok = false;
                continue;
            };
            candidates.push(Candidate {
                name,
                date: cdate,
                cherry_pick_deadline: cherry,
                results_due,
            });
        }
    } else {
        candidates_ok = false;
    }
    let release = f
        .get("release")
        .and_then(|n| date(r, n, "the release date"));
    let mut events = Vec::new();
    if let Some(list) = f.get("events") {
        for item in r.list(list, "events") {
            let Some(e) = r.fields(item, "an event", &shape::EVENT) else {
                continue;
            };
            let event_id = optional(e.get("id"), |n| id(r, n, "event id"));
            if let Some(Some(given)) = &event_id {
                read.event_ids.push(given.clone());
            }
            let title = nonempty_line(r, &e, "title", "a title");
            let edate = e.get("date").and_then(|n| date(r, n, "the event's date"));
            let description = opt_text(r, &e, "description", "a description");
            if let (Some(event_id), Some(title), Some(edate)) = (event_id, title, edate) {
                events.push(Event {
                    id: event_id.map(|t| t.value),
                    title,
                    date: edate.value,
                    description,
                });
            }
        }
    }
    read.candidates = candidates.clone();
    if !candidates_ok {
        return None;
    }
    Some(Schedule {
        deadlines_announcement: deadlines_announcement?,
        freeze: freeze?,
        candidates,
        release: release?,
        events,
    })
}
