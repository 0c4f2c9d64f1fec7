//! Milestones: what happens when in a release, each with its id.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::days::days_between;
use super::format::relative_day;
use crate::model::{Moment, Release};

/// `1.14.0/rc2`: a release's version and a milestone's slug. The thread through every
/// artifact: the page anchor (the slug), the calendar UID, the workbook's key dates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct MilestoneId(String);

impl MilestoneId {
    pub const DEADLINES_ANNOUNCEMENT: &str = "deadlines-announcement";
    pub const FREEZE: &str = "freeze";
    pub const RELEASE: &str = "release";
    /// The Scrum of Scrums series (its calendar UID and MagicBox anchor).
    pub const SCRUM_OF_SCRUMS: &str = "scrum-of-scrums";
    /// A cherry-pick deadline's slug is this and its candidate's name.
    pub const CHERRY_PICK_PREFIX: &str = "cherry-pick-";
    /// An event's slug is this and its id, or its title made a slug.
    pub const EVENT_PREFIX: &str = "event-";
    /// No milestone's slug: a candidate's manual-tests draft and progress picture are
    /// named with it.
    pub const MANUAL_TESTS_PREFIX: &str = "manual-tests-";
    /// The slugs of the milestones that are not candidates.
    pub const FIXED_SLUGS: [&str; 4] = [
        MilestoneId::RELEASE,
        MilestoneId::FREEZE,
        MilestoneId::DEADLINES_ANNOUNCEMENT,
        MilestoneId::SCRUM_OF_SCRUMS,
    ];
    /// Prefixes of the slugs derived from other milestones, and of other names derived
    /// from candidates.
    pub const DERIVED_PREFIXES: [&str; 3] = [
        MilestoneId::EVENT_PREFIX,
        MilestoneId::CHERRY_PICK_PREFIX,
        MilestoneId::MANUAL_TESTS_PREFIX,
    ];

    pub fn new(version: &str, slug: &str) -> MilestoneId {
        MilestoneId(format!("{version}/{slug}"))
    }

    /// The part after the slash: `rc2`, `cherry-pick-rc2`, `freeze`, `event-release-notes-due`.
    pub fn slug(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, slug)| slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a candidate named `name` would take another milestone's id, calendar UID or
    /// page anchor.
    pub fn is_reserved(name: &str) -> bool {
        MilestoneId::FIXED_SLUGS.contains(&name)
            || MilestoneId::DERIVED_PREFIXES
                .iter()
                .any(|p| name.starts_with(p))
    }

    /// The JSON Schema pattern of the names [`MilestoneId::is_reserved`] refuses.
    pub fn reserved_pattern() -> String {
        let prefixes: Vec<&str> = MilestoneId::DERIVED_PREFIXES
            .iter()
            .map(|p| p.trim_end_matches('-'))
            .collect();
        format!(
            "^({}|({})-.*)$",
            MilestoneId::FIXED_SLUGS.join("|"),
            prefixes.join("|")
        )
    }
}

impl std::fmt::Display for MilestoneId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum MilestoneKind {
    DeadlinesAnnouncement,
    Freeze,
    CherryPickDeadline { candidate: String },
    Candidate { candidate: String },
    Release,
    Event,
}

impl MilestoneKind {
    /// The kind as a word for templates and CSS classes: `cherry-pick-deadline`, `candidate`, …
    pub fn name(&self) -> &'static str {
        match self {
            MilestoneKind::DeadlinesAnnouncement => "deadlines-announcement",
            MilestoneKind::Freeze => "freeze",
            MilestoneKind::CherryPickDeadline { .. } => "cherry-pick-deadline",
            MilestoneKind::Candidate { .. } => "candidate",
            MilestoneKind::Release => "release",
            MilestoneKind::Event => "event",
        }
    }

    /// Deadlines are instants; candidates, the release and events are whole days.
    pub fn is_deadline(&self) -> bool {
        matches!(
            self,
            MilestoneKind::DeadlinesAnnouncement
                | MilestoneKind::Freeze
                | MilestoneKind::CherryPickDeadline { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct Milestone {
    /// `1.14.0/rc2`: page anchor, calendar UID, workbook group and draft name derive from it.
    pub id: MilestoneId,
    pub kind: MilestoneKind,
    /// `RC2`, `Cherry-pick deadline for RC2`, …
    pub title: String,
    pub when: Moment,
    /// Where it starts, to order milestones.
    pub start: Timestamp,
    /// Its day in the release's zone is before today.
    pub past: bool,
    /// Whole days from today to its day (negative when past).
    pub days: i32,
    pub state: MilestoneState,
    /// Markdown.
    pub description: Option<String>,
}

impl Milestone {
    /// `rc2`: its anchor on the MagicBox.
    pub fn slug(&self) -> &str {
        self.id.slug()
    }

    pub fn date(&self) -> Date {
        self.when.date()
    }

    /// `past`, `today`, `next, in 4 days`, `in 9 days`.
    pub fn state_word(&self) -> String {
        match self.state {
            MilestoneState::Past => "past".to_owned(),
            MilestoneState::Today => "today".to_owned(),
            MilestoneState::Next => format!("next, {}", relative_day(self.days)),
            MilestoneState::Later => relative_day(self.days),
        }
    }
}

/// Where a milestone stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneState {
    Past,
    /// On today (and so also the next one).
    Today,
    /// The first milestone after today.
    Next,
    Later,
}

pub(super) fn milestones(release: &Release, version: &str, today: Date) -> Vec<Milestone> {
    let tz = &release.timezone;
    let mut out = Vec::new();
    let mut push =
        |slug: String, kind, title: String, when: Moment, description: Option<String>| {
            let start = when.start(tz);
            let days = days_between(today, when.date());
            out.push(Milestone {
                id: MilestoneId::new(version, &slug),
                kind,
                title,
                past: days < 0,
                days,
                state: if days < 0 {
                    MilestoneState::Past
                } else if days == 0 {
                    MilestoneState::Today
                } else {
                    MilestoneState::Later
                },
                when,
                start,
                description,
            });
        };
    let s = &release.schedule;
    push(
        MilestoneId::DEADLINES_ANNOUNCEMENT.into(),
        MilestoneKind::DeadlinesAnnouncement,
        "Deadlines announcement".into(),
        release.deadlines_announcement(),
        None,
    );
    if let Some(freeze) = &s.freeze {
        push(
            MilestoneId::FREEZE.into(),
            MilestoneKind::Freeze,
            format!("Freeze: {} is cut", release.branch),
            freeze.value.clone(),
            None,
        );
    }
    for c in &s.candidates {
        let name = &c.name.value;
        if let Some(deadline) = &c.cherry_pick_deadline {
            push(
                format!("{}{name}", MilestoneId::CHERRY_PICK_PREFIX),
                MilestoneKind::CherryPickDeadline {
                    candidate: name.clone(),
                },
                format!("Cherry-pick deadline for {}", name.to_uppercase()),
                deadline.value.clone(),
                None,
            );
        }
        push(
            name.clone(),
            MilestoneKind::Candidate {
                candidate: name.clone(),
            },
            name.to_uppercase(),
            Moment::Day(c.date.value),
            None,
        );
    }
    push(
        MilestoneId::RELEASE.into(),
        MilestoneKind::Release,
        format!("Release {version}"),
        Moment::Day(s.release.value),
        None,
    );
    // An event with an id is named by it; the others by their title, a repeated title
    // getting `-2`, `-3`, …, skipping any slug another event already took.
    let mut taken: BTreeSet<String> = s
        .events
        .iter()
        .filter_map(|e| e.id.as_ref().map(|id| event_slug(id)))
        .collect();
    for e in &s.events {
        let slug = match &e.id {
            Some(id) => event_slug(id),
            None => {
                let base = event_slug(&slugify(&e.title));
                let mut slug = base.clone();
                let mut n = 1;
                while taken.contains(&slug) {
                    n += 1;
                    slug = format!("{base}-{n}");
                }
                taken.insert(slug.clone());
                slug
            }
        };
        push(
            slug,
            MilestoneKind::Event,
            e.title.clone(),
            Moment::Day(e.date),
            e.description.clone(),
        );
    }
    out.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    if let Some(next) = out.iter_mut().find(|m| !m.past)
        && next.state == MilestoneState::Later
    {
        next.state = MilestoneState::Next;
    }
    out
}

fn event_slug(name: &str) -> String {
    format!("{}{name}", MilestoneId::EVENT_PREFIX)
}

/// Lowercase ASCII letters and digits, everything else one dash.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("event");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{PLAN, one_release};
    use crate::plan::plan;
    use jiff::civil::date;

    /// The slugs of a plan's event milestones, in date order.
    fn event_slugs(plan_text: &str) -> Vec<String> {
        let (_dir, plans) = one_release(plan_text);
        plan(&plans, date(2026, 11, 26)).releases[0]
            .milestones
            .iter()
            .filter(|m| m.kind == MilestoneKind::Event)
            .map(|m| m.slug().to_owned())
            .collect()
    }

    #[test]
    fn event_slugs_stay_unique_when_a_title_repeats() {
        assert_eq!(
            event_slugs(PLAN),
            ["event-demo", "event-demo-2", "event-demo-3"]
        );
    }

    #[test]
    fn an_event_id_names_its_milestone_whatever_the_title() {
        let with_id = PLAN.replace(
            "- { title: Demo 2, date: 2026-12-03 }",
            "- { id: demo, title: Renamed demo, date: 2026-12-03 }",
        );
        // The id wins its slug; titles step around it.
        assert_eq!(
            event_slugs(&with_id),
            ["event-demo-2", "event-demo", "event-demo-3"]
        );
    }

    #[test]
    fn milestone_states_mark_past_today_and_next() {
        let (_dir, plans) = one_release(PLAN);
        let t = plan(&plans, date(2026, 12, 2));
        let words: Vec<(String, String)> = t.releases[0]
            .milestones
            .iter()
            .map(|m| (m.slug().to_owned(), m.state_word()))
            .collect();
        let word = |slug: &str| &words.iter().find(|(s, _)| s == slug).unwrap().1;
        assert_eq!(word("rc1"), "past");
        assert_eq!(word("event-demo"), "today");
        assert_eq!(word("event-demo-2"), "tomorrow");
        assert_eq!(word("rc2"), "in 6 days");
        let t = plan(&plans, date(2026, 12, 5));
        let next = t.releases[0].next_milestone().unwrap();
        assert_eq!(
            (next.slug(), next.state_word()),
            ("rc2", "next, in 3 days".to_owned())
        );
    }

    #[test]
    fn reserved_names_are_the_other_milestones_and_derived_prefixes() {
        for name in [
            "release",
            "freeze",
            "deadlines-announcement",
            "scrum-of-scrums",
            "event-x",
            "cherry-pick-rc1",
            "manual-tests-rc1",
        ] {
            assert!(MilestoneId::is_reserved(name), "{name}");
        }
        for name in ["rc1", "releases", "event", "cherry-pick"] {
            assert!(!MilestoneId::is_reserved(name), "{name}");
        }
        assert_eq!(
            MilestoneId::reserved_pattern(),
            "^(release|freeze|deadlines-announcement|scrum-of-scrums|(event|cherry-pick|manual-tests)-.*)$"
        );
        let id = MilestoneId::new("1.14.0", "cherry-pick-rc2");
        assert_eq!(
            (id.as_str(), id.slug()),
            ("1.14.0/cherry-pick-rc2", "cherry-pick-rc2")
        );
    }

    #[test]
    fn slugs_are_stable_ascii() {
        assert_eq!(slugify("Release notes due!"), "release-notes-due");
        assert_eq!(slugify("Ünïcode only"), "n-code-only");
        assert_eq!(slugify("???"), "event");
    }
}
