//! The schedule changes since a revision (`plan::changes`) as people read them: text for a
//! terminal, Markdown for a pull request's summary, a Slack announcement per release (mrkdwn
//! and Block Kit, through the same escaping as every draft) and JSON.

use serde::Serialize;

use super::blockkit::Payload;
use super::markdown::{escape_markdown, escape_slack, slack_link};
use crate::diag::escape_text;
use crate::plan::MilestoneKind;
use crate::plan::changes::{
    Change, Changes, FieldChange, MilestoneChange, ReleaseChange, ReleaseChanges,
};
use crate::plan::format::{
    moment_change, moment_change_utc, shift, weekday_moment, weekday_moment_with_utc,
};

/// The revision compared with: as the user named it, and the commit it named.
#[derive(Debug, Clone, Serialize)]
pub struct Since {
    pub revision: String,
    pub commit: String,
    #[serde(skip)]
    pub short: String,
}

impl Since {
    /// `HEAD~1 (abc1234)`, or the short commit alone when that is what was named.
    fn words(&self) -> String {
        if self.commit.starts_with(&self.revision) {
            self.short.clone()
        } else {
            format!("{} ({})", self.revision, self.short)
        }
    }
}

/// `Kyma 1.14.0`, or the version alone.
fn release_name(r: &ReleaseChanges) -> String {
    match &r.product {
        Some(product) => format!("{product} {}", r.version),
        None => r.version.clone(),
    }
}

fn none_or(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("(none)")
}

/// The move of a milestone in the release's zone, and its distance: `Tue 28 Jul → Thu 30 Jul 2020 (+2 days)`.
fn moved_words(r: &ReleaseChanges, change: &Change) -> Option<(String, Option<String>)> {
    let Change::Moved {
        from,
        to,
        days,
        minutes,
    } = change
    else {
        return None;
    };
    Some((
        format!(
            "{} ({})",
            moment_change(from, to, &r.tz),
            shift(*days, *minutes)
        ),
        moment_change_utc(from, to),
    ))
}

// ---------------------------------------------------------------------------------------------
// Text.

/// For a terminal: one line per change, release by release.
pub fn text(changes: &Changes, since: &Since) -> String {
    if changes.is_empty() {
        return format!("No schedule changes since {}.\n", since.words());
    }
    let mut out = format!("Schedule changes since {}:\n", since.words());
    for r in &changes.releases {
        let what = match r.change {
            ReleaseChange::Added => "new release, ",
            ReleaseChange::Removed => "removed release, ",
            ReleaseChange::Changed => "",
        };
        out.push_str(&format!(
            "\n{} ({what}times in {})\n",
            release_name(r),
            r.timezone
        ));
        for m in &r.milestones {
            let title = escape_text(&m.title);
            let line = match &m.change {
                Change::Added { when } => {
                    format!("added    {title}: {}", weekday_moment(when, &r.tz))
                }
                Change::Removed { when } => {
                    format!("removed  {title}: {}", weekday_moment(when, &r.tz))
                }
                Change::Moved { .. } => {
                    let (moved, utc) = moved_words(r, &m.change).unwrap_or_default();
                    match utc {
                        Some(utc) => format!("moved    {title}: {moved}\n           in UTC: {utc}"),
                        None => format!("moved    {title}: {moved}"),
                    }
                }
                Change::Retitled { from } => {
                    format!("renamed  {title} (was {})", escape_text(from))
                }
            };
            out.push_str(&format!("  {line}\n"));
        }
        for f in &r.fields {
            out.push_str(&format!(
                "  changed  {}: {} → {}\n",
                f.field,
                escape_text(none_or(&f.from)),
                escape_text(none_or(&f.to))
            ));
        }
    }
    for file in &changes.not_compared {
        out.push_str(&format!(
            "\n{}: did not pass `check` at {}; not compared\n",
            escape_text(file),
            since.short
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Markdown.

/// For a pull request: a heading and a table per release, to append to a CI job's summary
/// or post as a comment.
pub fn markdown(changes: &Changes, since: &Since) -> String {
    let since_words = escape_markdown(&since.words());
    if changes.is_empty() {
        return format!("### Schedule changes\n\nNo schedule changes since {since_words}.\n");
    }
    let mut out = format!("### Schedule changes since {since_words}\n");
    for r in &changes.releases {
        let what = match r.change {
            ReleaseChange::Added => ": new release",
            ReleaseChange::Removed => ": removed",
            ReleaseChange::Changed => "",
        };
        out.push_str(&format!(
            "\n**{}**{what} (times in {})\n\n| change | milestone | before | now | moved by |\n| --- | --- | --- | --- | --- |\n",
            escape_markdown(&release_name(r)),
            escape_markdown(&r.timezone)
        ));
        for m in &r.milestones {
            let title = escape_markdown(&m.title);
            let when = |w| weekday_moment_with_utc(w, &r.tz);
            let row = match &m.change {
                Change::Added { when: w } => {
                    ["added".into(), title, "—".into(), when(w), String::new()]
                }
                Change::Removed { when: w } => {
                    ["removed".into(), title, when(w), "—".into(), String::new()]
                }
                Change::Moved {
                    from,
                    to,
                    days,
                    minutes,
                } => [
                    "moved".into(),
                    title,
                    when(from),
                    when(to),
                    shift(*days, *minutes),
                ],
                Change::Retitled { from } => [
                    "renamed".into(),
                    title.clone(),
                    escape_markdown(from),
                    title,
                    String::new(),
                ],
            };
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        for f in &r.fields {
            out.push_str(&format!(
                "| changed | {} | {} | {} | |\n",
                f.field,
                escape_markdown(none_or(&f.from)),
                escape_markdown(none_or(&f.to))
            ));
        }
    }
    if !changes.not_compared.is_empty() {
        let files: Vec<String> = changes
            .not_compared
            .iter()
            .map(|f| format!("`{}`", f.replace('`', "'")))
            .collect();
        out.push_str(&format!(
            "\nNot compared: {} did not pass `check` at {}.\n",
            files.join(", "),
            escape_markdown(&since.short)
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Slack.

/// The announcement of one release's changes to its internal channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Announcement {
    pub version: String,
    pub channel: String,
    /// Slack mrkdwn, ready to paste; ends with a newline.
    pub mrkdwn: String,
    pub payload: Payload,
}

/// One announcement per release with changes, in version order. What asks teams to act sooner
/// (a deadline that is now earlier) comes first.
pub fn slack(changes: &Changes) -> Vec<Announcement> {
    changes
        .releases
        .iter()
        .map(|r| {
            let mrkdwn = announcement(r);
            Announcement {
                version: r.version.clone(),
                channel: r.channel.clone(),
                payload: Payload::new(&r.channel, &mrkdwn, &mrkdwn, None),
                mrkdwn,
            }
        })
        .collect()
}

/// The announcement of one release's changes, as mrkdwn (also the `schedule-change` draft).
pub(crate) fn announcement(r: &ReleaseChanges) -> String {
    let name = escape_slack(&release_name(r));
    let heading = match r.change {
        ReleaseChange::Added => format!("*{name} is planned*"),
        ReleaseChange::Removed => format!("*{name} is cancelled*"),
        ReleaseChange::Changed => format!("*{name}: the schedule changed*"),
    };
    let mut sections = vec![heading];
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            sections.push(format!("*{title}*\n{}", lines.join("\n")));
        }
    };
    let of = |keep: fn(&MilestoneChange) -> bool| r.milestones.iter().filter(move |m| keep(m));
    section(
        "Earlier deadlines: act sooner",
        of(MilestoneChange::is_earlier_deadline)
            .map(|m| earlier_deadline(r, m))
            .collect(),
    );
    section(
        "Moved",
        of(|m| matches!(m.change, Change::Moved { .. }) && !m.is_earlier_deadline())
            .filter_map(|m| {
                let (moved, _) = moved_words(r, &m.change)?;
                Some(format!("• *{}*: {moved}", escape_slack(&m.title)))
            })
            .collect(),
    );
    let (new, cancelled) = match r.change {
        ReleaseChange::Added => ("Dates", "Cancelled"),
        _ => ("New", "Cancelled"),
    };
    section(
        new,
        of(|m| matches!(m.change, Change::Added { .. }))
            .filter_map(|m| match &m.change {
                Change::Added { when } => Some(format!(
                    "• *{}*: {}",
                    escape_slack(&m.title),
                    weekday_moment_with_utc(when, &r.tz)
                )),
                _ => None,
            })
            .collect(),
    );
    section(
        cancelled,
        of(|m| matches!(m.change, Change::Removed { .. }))
            .filter_map(|m| match &m.change {
                Change::Removed { when } => Some(format!(
                    "• ~{}~ (was {})",
                    escape_slack(&m.title),
                    weekday_moment(when, &r.tz)
                )),
                _ => None,
            })
            .collect(),
    );
    section(
        "Renamed",
        of(|m| matches!(m.change, Change::Retitled { .. }))
            .filter_map(|m| match &m.change {
                Change::Retitled { from } => Some(format!(
                    "• *{}* (was {})",
                    escape_slack(&m.title),
                    escape_slack(from)
                )),
                _ => None,
            })
            .collect(),
    );
    section("Also changed", r.fields.iter().map(field_line).collect());
    let mut out = sections.join("\n\n");
    out.push('\n');
    out
}

/// A deadline now earlier, and what it asks of the teams.
fn earlier_deadline(r: &ReleaseChanges, m: &MilestoneChange) -> String {
    let Change::Moved {
        from,
        to,
        days,
        minutes,
    } = &m.change
    else {
        return String::new();
    };
    let by = shift(*days, *minutes);
    let by = by.trim_start_matches('-');
    let ask = match &m.kind {
        MilestoneKind::CherryPickDeadline { candidate } => format!(
            " Merge your cherry-picks for {} before then.",
            escape_slack(&candidate.to_uppercase())
        ),
        MilestoneKind::Freeze => " The release branch is cut then.".to_owned(),
        _ => String::new(),
    };
    format!(
        "• *{}* is now *{}*, {by} earlier (was {}).{ask}",
        escape_slack(&m.title),
        weekday_moment_with_utc(to, &r.tz),
        weekday_moment(from, &r.tz)
    )
}

fn field_line(f: &FieldChange) -> String {
    let value = |v: &Option<String>| match v {
        Some(v) if f.field == "test environment URL" => slack_link(v, v),
        Some(v) => escape_slack(v),
        None => "(none)".to_owned(),
    };
    let mut label = f.field.to_owned();
    if let Some(first) = label.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    format!("• {label}: {} (was {})", value(&f.to), value(&f.from))
}

/// Every announcement as mrkdwn: one message alone, several each under a line naming its
/// channel.
pub fn slack_text(changes: &Changes, since: &Since) -> String {
    let announcements = slack(changes);
    match announcements.as_slice() {
        [] => format!("No schedule changes since {}.\n", since.words()),
        [one] => one.mrkdwn.clone(),
        many => many
            .iter()
            .map(|a| format!("──── {} to {} ────\n{}", a.version, a.channel, a.mrkdwn))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Every announcement as a Block Kit payload for `chat.postMessage`: a JSON array, one per
/// release, empty when nothing changed.
pub fn slack_json(changes: &Changes) -> String {
    let payloads: Vec<Payload> = slack(changes).into_iter().map(|a| a.payload).collect();
    let mut s = serde_json::to_string_pretty(&payloads)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------------------------
// JSON.

#[derive(Serialize)]
struct Report<'a> {
    since: &'a Since,
    #[serde(flatten)]
    changes: &'a Changes,
}

/// Machine-readable: the revision, every release's changes, the files not compared.
pub fn json(changes: &Changes, since: &Since) -> String {
    let mut s = serde_json::to_string_pretty(&Report { since, changes })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
