//! The rules: what the values the loader read mean together. Each family of rules has its own
//! file and can be tested alone; this module runs them all, on plans as far as they read, so
//! every mistake shows in one run.

mod duplicates;
mod files;
pub mod milestones;
mod pull_requests;
mod references;
mod results;
pub mod schedule;
mod sent;

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::diag::{Diagnostic, Severity};
use crate::load::{Loaded, ReleaseRead};
use crate::model::{Plans, Schedule};

/// Judges what was loaded (its own diagnostics are the caller's): returns the plans that
/// passed, every release with an error left out, and what the rules found.
pub fn check(loaded: Loaded, today: Date) -> (Plans, Vec<Diagnostic>) {
    let Loaded {
        mut plans,
        registries: reg,
        releases,
        ..
    } = loaded;
    let mut out = Vec::new();

    // A scrum master's team may be any team of the file, also one defined further down.
    out.extend(references::unknown_teams(
        &reg.teams_file,
        &reg.scrum_master_teams,
        Some(&reg.team_ids_written),
    ));
    out.extend(duplicates::team_ids(&reg.teams_file, &plans.teams));
    keep_first(&mut plans.teams, |t| t.id.clone());

    out.extend(references::unknown_teams(
        &reg.tests_file,
        &reg.test_teams,
        reg.team_ids.as_ref(),
    ));
    // A test owned by a team that does not exist is not in the catalogue.
    plans
        .tests
        .retain(|t| references::known(reg.team_ids.as_ref(), &t.team.0));
    out.extend(duplicates::test_ids(&reg.tests_file, &plans.tests));
    keep_first(&mut plans.tests, |t| t.id.clone());

    let mut rejected = BTreeSet::new();
    for read in &releases {
        let mut found = release_rules(read, &reg.team_ids, &reg.test_ids);
        if read.has_read_errors || found.iter().any(|d| d.severity == Severity::Error) {
            rejected.insert(read.file.clone());
            if let Some(schedule) = schedule_to_date(read) {
                found.extend(schedule::check_schedule(&read.file, &schedule));
            }
        }
        out.extend(found);
    }
    out.extend(duplicates::versions(&releases));
    plans.releases.retain(|r| !rejected.contains(&r.file));
    plans
        .releases
        .sort_by(|a, b| a.version.value.cmp(&b.version.value));
    plans
        .releases
        .dedup_by(|b, a| a.version.value == b.version.value);

    for release in &plans.releases {
        out.extend(schedule::check(release));
        out.extend(files::check(release));
        out.extend(results::missing(&plans, release, today));
    }
    (plans, out)
}

/// The rules about one release file, as far as it read.
fn release_rules(
    read: &ReleaseRead,
    team_ids: &Option<BTreeSet<String>>,
    test_ids: &Option<BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let file = &read.file;
    let mut out = references::unknown_teams(file, &read.team_refs, team_ids.as_ref());
    out.extend(references::unknown_tests(
        file,
        read.skip.iter().chain(&read.result_tests),
        test_ids.as_ref(),
    ));
    out.extend(results::skipped_with_results(read, test_ids.as_ref()));
    out.extend(pull_requests::check(
        file,
        &read.pull_requests,
        team_ids.as_ref(),
    ));
    out.extend(sent::check(file, &read.sent, &read.candidate_names));
    out.extend(milestones::reserved_candidate_names(
        file,
        &read.candidate_ids,
    ));
    out.extend(milestones::duplicate_candidates(file, &read.candidates));
    out.extend(milestones::duplicate_event_ids(file, &read.event_ids));
    out.extend(schedule::meetings_until(file, read.meetings_until.as_ref()));
    out
}

/// The schedule of a release with mistakes, as the date rules judge it: none when a candidate
/// name is reserved, and each candidate name once.
fn schedule_to_date(read: &ReleaseRead) -> Option<Schedule> {
    if read
        .candidate_ids
        .iter()
        .any(|n| milestones::is_reserved(&n.value))
    {
        return None;
    }
    let mut schedule = read.schedule.clone()?;
    keep_first(&mut schedule.candidates, |c| c.name.value.clone());
    Some(schedule)
}

/// Keeps the first item of each key.
fn keep_first<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let mut seen = BTreeSet::new();
    items.retain(|item| seen.insert(key(item)));
}
