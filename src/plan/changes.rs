//! What changed in the plans between two Timelines (the plans at a revision, and now),
//! release by release, milestone by milestone. Milestones are matched by id, so an event with
//! an `id` whose title changed is retitled, not removed and added again.

use std::collections::{BTreeMap, BTreeSet};

use jiff::tz::TimeZone;
use serde::{Serialize, Serializer};

use super::days::days_between;
use super::format::{iso_date, iso_date_time_offset, weekday_moment};
use super::milestone::{Milestone, MilestoneId, MilestoneKind};
use super::{ReleaseTimeline, Timeline};
use crate::model::{Moment, Person, Release};

/// Every change between two Timelines.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// In version order; only releases with a change.
    pub releases: Vec<ReleaseChanges>,
    /// Release files that did not pass `check` before, so were not compared.
    pub not_compared: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.releases.is_empty() && self.not_compared.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseChange {
    /// A release that was not there before.
    Added,
    /// A release that is gone.
    Removed,
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseChanges {
    pub version: String,
    pub product: Option<String>,
    /// The internal channel (as it is now, or as it was for a removed release).
    pub channel: String,
    /// The release's zone, in which moments are shown.
    pub timezone: String,
    #[serde(skip)]
    pub tz: TimeZone,
    pub change: ReleaseChange,
    /// By time (the new one, or the old one of a removed milestone), then id.
    pub milestones: Vec<MilestoneChange>,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneChange {
    pub id: MilestoneId,
    pub kind: MilestoneKind,
    /// Its title now (or, removed, its last title).
    pub title: String,
    #[serde(flatten)]
    pub change: Change,
}

impl MilestoneChange {
    /// A cherry-pick deadline (or freeze) that is now earlier: teams have less time.
    pub fn is_earlier_deadline(&self) -> bool {
        self.kind.is_deadline()
            && matches!(&self.change, Change::Moved { minutes, .. } if *minutes < 0)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    Added {
        #[serde(serialize_with = "moment")]
        when: Moment,
    },
    Removed {
        #[serde(serialize_with = "moment")]
        when: Moment,
    },
    Moved {
        #[serde(serialize_with = "moment")]
        from: Moment,
        #[serde(serialize_with = "moment")]
        to: Moment,
        /// Calendar days, when both are whole days.
        #[serde(skip_serializing_if = "Option::is_none")]
        days: Option<i32>,
        /// Minutes between their starts (negative: earlier).
        minutes: i64,
    },
    Retitled {
        from: String,
    },
}

/// A field of the release other than its milestones: a channel, a person, the test environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// `internal channel`, `release master`, `test environment URL`, …
    pub field: &'static str,
    /// As written in the plan (times as people read them); `None`: not given.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A moment for JSON: `2026-12-01`, or `2026-11-30T16:00+01:00`.
fn moment<S: Serializer>(when: &Moment, s: S) -> Result<S::Ok, S::Error> {
    match when {
        Moment::Day(d) => s.serialize_str(&iso_date(*d)),
        Moment::At(z) => s.serialize_str(&iso_date_time_offset(z)),
    }
}

/// What changed from `before` to `now`. `not_compared` are the names of release files that
/// did not pass `check` before: a release now in a file of that name is not reported as new.
pub fn changes(before: &Timeline, now: &Timeline, not_compared: &[String]) -> Changes {
    let by_version = |t: &'_ Timeline<'_>| -> BTreeMap<semver::Version, usize> {
        t.releases
            .iter()
            .enumerate()
            .map(|(i, r)| (r.release.version.value.clone(), i))
            .collect()
    };
    let (old, new) = (by_version(before), by_version(now));
    let versions: BTreeSet<&semver::Version> = old.keys().chain(new.keys()).collect();
    let skipped = |r: &ReleaseTimeline| {
        r.release
            .file
            .file_name()
            .is_some_and(|n| not_compared.iter().any(|c| n.to_string_lossy() == *c))
    };
    let releases = versions
        .into_iter()
        .filter_map(|v| {
            let old = old.get(v).map(|&i| &before.releases[i]);
            let new = new.get(v).map(|&i| &now.releases[i]);
            match (old, new) {
                (None, Some(new)) if skipped(new) => None,
                (old, new) => release_changes(old, new),
            }
        })
        .collect();
    Changes {
        releases,
        not_compared: not_compared.to_vec(),
    }
}

impl ReleaseChanges {
    /// `milestones`' changes of the release as it is now (a release the history changed).
    pub fn of(release: &ReleaseTimeline, milestones: Vec<MilestoneChange>) -> ReleaseChanges {
        let r = release.release;
        ReleaseChanges {
            version: release.version.clone(),
            product: r.product.clone(),
            channel: r.channels.internal.clone(),
            timezone: r.timezone_name.clone(),
            tz: r.timezone.clone(),
            change: ReleaseChange::Changed,
            milestones,
            fields: Vec::new(),
        }
    }
}

fn release_changes(
    old: Option<&ReleaseTimeline>,
    new: Option<&ReleaseTimeline>,
) -> Option<ReleaseChanges> {
    let (shown, change) = match (old, new) {
        (None, Some(new)) => (new, ReleaseChange::Added),
        (Some(old), None) => (old, ReleaseChange::Removed),
        (Some(_), Some(new)) => (new, ReleaseChange::Changed),
        (None, None) => return None,
    };
    let none: &[Milestone] = &[];
    let milestones = milestone_changes(
        old.map_or(none, |r| &r.milestones),
        new.map_or(none, |r| &r.milestones),
    );
    let fields = match (old, new) {
        (Some(old), Some(new)) => field_changes(old, new),
        _ => Vec::new(),
    };
    if change == ReleaseChange::Changed && milestones.is_empty() && fields.is_empty() {
        return None;
    }
    let release = shown.release;
    Some(ReleaseChanges {
        version: shown.version.clone(),
        product: release.product.clone(),
        channel: release.channels.internal.clone(),
        timezone: release.timezone_name.clone(),
        tz: release.timezone.clone(),
        change,
        milestones,
        fields,
    })
}

fn milestone_changes(old: &[Milestone], new: &[Milestone]) -> Vec<MilestoneChange> {
    let old_by_id: BTreeMap<&MilestoneId, &Milestone> = old.iter().map(|m| (&m.id, m)).collect();
    let new_ids: BTreeSet<&MilestoneId> = new.iter().map(|m| &m.id).collect();
    let mut out: Vec<(jiff::Timestamp, MilestoneChange)> = Vec::new();
    let mut push = |m: &Milestone, change| {
        out.push((
            m.start,
            MilestoneChange {
                id: m.id.clone(),
                kind: m.kind.clone(),
                title: m.title.clone(),
                change,
            },
        ));
    };
    for m in new {
        let Some(was) = old_by_id.get(&m.id) else {
            push(
                m,
                Change::Added {
                    when: m.when.clone(),
                },
            );
            continue;
        };
        if let Some((days, minutes)) = moved(was, m) {
            push(
                m,
                Change::Moved {
                    from: was.when.clone(),
                    to: m.when.clone(),
                    days,
                    minutes,
                },
            );
        }
        if was.title != m.title {
            push(
                m,
                Change::Retitled {
                    from: was.title.clone(),
                },
            );
        }
    }
    for m in old.iter().filter(|m| !new_ids.contains(&m.id)) {
        push(
            m,
            Change::Removed {
                when: m.when.clone(),
            },
        );
    }
    // Stable: a milestone's move comes before its new title.
    out.sort_by(|(a, x), (b, y)| (a, &x.id).cmp(&(b, &y.id)));
    out.into_iter().map(|(_, c)| c).collect()
}

/// How far a milestone moved (whole days when both are whole days, and minutes), or `None`
/// when it did not. A whole day is compared as a date, so a new zone alone moves nothing;
/// `2026-11-30` becoming `2026-11-30T00:00` is a move, from a day to a time.
fn moved(was: &Milestone, now: &Milestone) -> Option<(Option<i32>, i64)> {
    match (&was.when, &now.when) {
        (Moment::Day(a), Moment::Day(b)) => (a != b).then(|| {
            (
                Some(days_between(*a, *b)),
                i64::from(days_between(*a, *b)) * 1440,
            )
        }),
        (Moment::At(a), Moment::At(b)) if a.timestamp() == b.timestamp() => None,
        _ => Some((None, (now.start.as_second() - was.start.as_second()) / 60)),
    }
}

fn field_changes(old: &ReleaseTimeline, new: &ReleaseTimeline) -> Vec<FieldChange> {
    let (o, n) = (old.release, new.release);
    let mut out = Vec::new();
    let mut compare = |field: &'static str, from: Option<String>, to: Option<String>| {
        if from != to {
            out.push(FieldChange { field, from, to });
        }
    };
    compare(
        "time zone",
        Some(o.timezone_name.clone()),
        Some(n.timezone_name.clone()),
    );
    compare(
        "internal channel",
        Some(o.channels.internal.clone()),
        Some(n.channels.internal.clone()),
    );
    compare(
        "community channel",
        o.channels.community.clone(),
        n.channels.community.clone(),
    );
    let people = |r: &Release| {
        [
            Some(&r.people.release_master),
            r.people.release_manager.as_ref(),
            r.people.scrum_master.as_ref(),
        ]
        .map(|p| p.map(person))
    };
    let [master, manager, scrum] = people(o);
    let [master_now, manager_now, scrum_now] = people(n);
    compare("release master", master, master_now);
    compare("release manager", manager, manager_now);
    compare("scrum master", scrum, scrum_now);
    let url = |r: &Release| r.test_environment.as_ref().map(|e| e.url.clone());
    compare("test environment URL", url(o), url(n));
    let ready = |r: &ReleaseTimeline| {
        r.environment_ready()
            .map(|m| weekday_moment(&m, &r.release.timezone))
    };
    compare("test environment ready", ready(old), ready(new));
    out
}

/// `Hisar Balik (@hisarbalik)`: a person as a change notice names them.
fn person(p: &Person) -> String {
    match &p.github {
        Some(github) => format!("{} (@{github})", p.name),
        None => p.name.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// The schedule's history: `changes` folded over consecutive commits of the plans folder.

/// What the plans' git history says about each milestone, read by `history::milestone_log`:
/// every move, new title and removal that landed, with the date of its commit.
#[derive(Debug, Clone, Default)]
pub struct ScheduleLog {
    /// Every change that landed, oldest first.
    pub entries: Vec<LoggedChange>,
    /// By milestone id: how often its time or title changed, and when it last did.
    pub revisions: BTreeMap<MilestoneId, Revisions>,
    /// Milestones removed and not back, as they last were.
    pub removed: BTreeMap<MilestoneId, RemovedMilestone>,
    /// What could not be read, for the user: not a git repository, a shallow clone.
    pub note: Option<String>,
}

/// One change of a milestone, as a commit brought it.
#[derive(Debug, Clone)]
pub struct LoggedChange {
    /// The commit's date (committer date).
    pub at: jiff::Timestamp,
    pub version: String,
    pub change: MilestoneChange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revisions {
    /// Changes of its time or title (and its removal, and its return): a calendar's `SEQUENCE`.
    pub count: u32,
    /// The commit date of the last of them.
    pub last: jiff::Timestamp,
}

/// A milestone no longer in the plan: what it was, for a cancelled calendar event.
#[derive(Debug, Clone)]
pub struct RemovedMilestone {
    pub version: String,
    pub kind: MilestoneKind,
    pub title: String,
    pub when: Moment,
}

impl ScheduleLog {
    /// Folds the changes one commit (dated `at`) brought into the log. Additions are not
    /// changes of a milestone (a new release adds them all), except the return of a removed one.
    pub fn record(&mut self, at: jiff::Timestamp, changes: &Changes) {
        for r in &changes.releases {
            for m in &r.milestones {
                let returned = self.removed.remove(&m.id).is_some();
                match &m.change {
                    Change::Added { .. } if !returned => continue,
                    Change::Added { .. } => {}
                    Change::Removed { when } => {
                        self.removed.insert(
                            m.id.clone(),
                            RemovedMilestone {
                                version: r.version.clone(),
                                kind: m.kind.clone(),
                                title: m.title.clone(),
                                when: when.clone(),
                            },
                        );
                    }
                    Change::Moved { .. } | Change::Retitled { .. } => {}
                }
                let revisions = self
                    .revisions
                    .entry(m.id.clone())
                    .or_insert(Revisions { count: 0, last: at });
                revisions.count += 1;
                revisions.last = at;
                self.entries.push(LoggedChange {
                    at,
                    version: r.version.clone(),
                    change: m.clone(),
                });
            }
        }
    }

    /// How often a milestone changed, and when it last did; `None`: never in the history read.
    pub fn revisions(&self, id: &MilestoneId) -> Option<Revisions> {
        self.revisions.get(id).copied()
    }

    /// The changes of one release, newest first.
    pub fn of_release(&self, version: &str) -> Vec<&LoggedChange> {
        self.entries
            .iter()
            .rev()
            .filter(|e| e.version == version)
            .collect()
    }

    /// The removed milestones of one release, by id.
    pub fn removed_of(&self, version: &str) -> Vec<(&MilestoneId, &RemovedMilestone)> {
        self.removed
            .iter()
            .filter(|(_, m)| m.version == version)
            .collect()
    }

    /// A fingerprint-ready line per change and removal of one release: its files are rendered
    /// again when this changes.
    pub fn release_key(&self, version: &str) -> String {
        let mut key = String::new();
        for e in self.of_release(version) {
            key.push_str(&format!("{} {} {:?}\n", e.at, e.change.id, e.change.change));
        }
        for (id, m) in self.removed_of(version) {
            key.push_str(&format!("removed {id} {:?}\n", m.when));
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{PLAN, one_release};
    use crate::plan::plan;
    use jiff::civil::date;

    /// The changes from `before` to `after`, as one line each.
    fn lines(before: &str, after: &str) -> Vec<String> {
        let (_a, old) = one_release(before);
        let (_b, new) = one_release(after);
        let today = date(2026, 11, 26);
        let changes = changes(&plan(&old, today), &plan(&new, today), &[]);
        changes
            .releases
            .iter()
            .flat_map(|r| {
                let head = format!("{} {:?}", r.version, r.change);
                std::iter::once(head)
                    .chain(r.milestones.iter().map(|m| {
                        let what = match &m.change {
                            Change::Added { when } => {
                                format!("added {}", weekday_moment(when, &r.tz))
                            }
                            Change::Removed { when } => {
                                format!("removed {}", weekday_moment(when, &r.tz))
                            }
                            Change::Moved { days, minutes, .. } => {
                                format!("moved {days:?} {minutes}")
                            }
                            Change::Retitled { from } => format!("retitled from {from}"),
                        };
                        format!("{} {what}", m.id)
                    }))
                    .chain(
                        r.fields
                            .iter()
                            .map(|f| format!("{}: {:?} -> {:?}", f.field, f.from, f.to)),
                    )
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn nothing_changed_is_no_change() {
        assert!(lines(PLAN, PLAN).is_empty());
    }

    #[test]
    fn moves_additions_and_removals_are_by_milestone_id() {
        let after = PLAN
            .replace(
                "{ name: rc2, date: 2026-12-08 }",
                "{ name: rc2, date: 2026-12-10 }",
            )
            .replace("2026-11-30T16:00", "2026-11-27T12:00")
            .replace("    - { title: Demo 2, date: 2026-12-03 }\n", "")
            .replace("release: 2026-12-10", "release: 2026-12-11")
            + "    - { title: Party, date: 2026-12-12 }\n";
        assert_eq!(
            lines(PLAN, &after),
            [
                "1.0.0 Changed",
                "1.0.0/cherry-pick-rc1 moved None -4560",
                // Without ids, titles make the slugs: the third Demo took `Demo 2`'s.
                "1.0.0/event-demo-2 moved Some(1) 1440",
                "1.0.0/event-demo-2 retitled from Demo 2",
                "1.0.0/event-demo-3 removed Fri 4 Dec 2026",
                "1.0.0/rc2 moved Some(2) 2880",
                "1.0.0/release moved Some(1) 1440",
                "1.0.0/event-party added Sat 12 Dec 2026",
            ]
        );
    }

    #[test]
    fn an_event_with_an_id_is_retitled_not_replaced() {
        let with_id = PLAN.replace(
            "{ title: Demo 2, date: 2026-12-03 }",
            "{ id: demo-two, title: Demo 2, date: 2026-12-03 }",
        );
        let renamed = with_id.replace("title: Demo 2,", "title: Second demo,");
        assert_eq!(
            lines(&with_id, &renamed),
            ["1.0.0 Changed", "1.0.0/event-demo-two retitled from Demo 2"]
        );
    }

    #[test]
    fn a_deadline_given_a_time_on_its_day_is_a_move() {
        let after = PLAN.replace(
            "{ name: rc2, date: 2026-12-08 }",
            "{ name: rc2, date: 2026-12-08, cherry_pick_deadline: 2026-12-07 }",
        );
        let later = after.replace(
            "cherry_pick_deadline: 2026-12-07 ",
            "cherry_pick_deadline: 2026-12-07T00:00 ",
        );
        assert_eq!(
            lines(&after, &later),
            ["1.0.0 Changed", "1.0.0/cherry-pick-rc2 moved None 0"]
        );
    }

    #[test]
    fn channels_people_and_the_environment_are_compared() {
        let before = PLAN.to_owned()
            + "test_environment: { url: https://rc.example.com, ready: 2026-11-30 }\n";
        let after = before
            .replace("#kyma-team", "#kyma-release")
            .replace(
                "{ name: Hisar Balik }",
                "{ name: Lilit Ghazaryan, github: lilitgh }",
            )
            .replace("https://rc.example.com", "https://rc2.example.com")
            .replace("ready: 2026-11-30", "ready: 2026-11-29T10:00");
        assert_eq!(
            lines(&before, &after),
            [
                "1.0.0 Changed",
                "internal channel: Some(\"#kyma-team\") -> Some(\"#kyma-release\")",
                "release master: Some(\"Hisar Balik\") -> Some(\"Lilit Ghazaryan (@lilitgh)\")",
                "test environment URL: Some(\"https://rc.example.com\") -> Some(\"https://rc2.example.com\")",
                "test environment ready: Some(\"Mon 30 Nov 2026\") -> Some(\"Sun 29 Nov 2026, 10:00 UTC\")",
            ]
        );
    }

    #[test]
    fn new_and_removed_releases_and_files_not_compared() {
        let (_a, old) = one_release(PLAN);
        let (_b, new) = one_release(&PLAN.replace("version: 1.0.0", "version: 1.1.0"));
        let today = date(2026, 11, 26);
        let (old, new) = (plan(&old, today), plan(&new, today));
        let c = changes(&old, &new, &[]);
        let summary: Vec<(String, ReleaseChange, usize)> = c
            .releases
            .iter()
            .map(|r| (r.version.clone(), r.change, r.milestones.len()))
            .collect();
        assert_eq!(
            summary,
            [
                ("1.0.0".to_owned(), ReleaseChange::Removed, 8),
                ("1.1.0".to_owned(), ReleaseChange::Added, 8),
            ]
        );
        // The file `1.0.yaml` failed `check` before: the release in it now is not new.
        let c = changes(
            &plan(&Default::default(), today),
            &new,
            &["1.0.yaml".to_owned()],
        );
        assert!(c.releases.is_empty());
        assert_eq!(c.not_compared, ["1.0.yaml"]);
    }
}
