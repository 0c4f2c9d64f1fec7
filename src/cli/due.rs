//! `herald due`: the Slack drafts due in the coming days or overdue, soonest first.

use std::process::ExitCode;

use herald::plan::format::{due_in, weekday_date};
use herald::plan::{Agendum, DraftKind};
use herald::policy::AGENDA_WINDOW_DAYS;
use jiff::civil::Date;

use super::{EXIT_USAGE, PlansDir, Today, emit, load_valid};

#[derive(clap::Args)]
#[command(mut_arg("today", |a| a.help(
    "The first day of the window (YYYY-MM-DD; default: today in UTC)"
)))]
pub struct Args {
    #[command(flatten)]
    plans: PlansDir,
    #[command(flatten)]
    today: Today,
    /// How many days after today the window reaches (inclusive)
    #[arg(long, default_value_t = AGENDA_WINDOW_DAYS)]
    days: u16,
}

pub fn run(args: Args) -> ExitCode {
    let today = args.today.date();
    let Ok(until) = today.checked_add(jiff::Span::new().days(i64::from(args.days))) else {
        eprintln!(
            "herald: --days {} reaches past the last date herald knows",
            args.days
        );
        return ExitCode::from(EXIT_USAGE);
    };
    let project = match load_valid(&args.plans.dir, today) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let timeline = herald::history::plan_with_history(&project);
    emit(&render(
        &timeline.agenda(until),
        today,
        until,
        &args.plans.dir,
    ));
    ExitCode::SUCCESS
}

fn render(items: &[Agendum], today: Date, until: Date, dir: &std::path::Path) -> String {
    let window = format!("{} to {}", weekday_date(today), weekday_date(until));
    if items.is_empty() {
        return format!("Nothing due from {window}.\n");
    }
    let overdue = items.iter().filter(|a| a.draft.due < today).count();
    let mut out = format!(
        "{} {} due from {window}{}:\n\n",
        items.len(),
        if items.len() == 1 { "draft" } else { "drafts" },
        match overdue {
            0 => String::new(),
            n => format!(" ({n} overdue)"),
        }
    );
    // The command that marks a draft posted; a daily one for the day it is posted.
    let dir_arg = if dir == std::path::Path::new("releases") {
        String::new()
    } else {
        format!(" --dir {}", herald::diag::show_path(dir))
    };
    let mark = |a: &Agendum| {
        let on = if a.draft.kind.sent_with_date() {
            format!(" --on {today}")
        } else {
            String::new()
        };
        format!(
            "herald sent {} {}{on}{dir_arg}",
            a.release.version, a.draft.kind
        )
    };
    let rows: Vec<[String; 6]> = items
        .iter()
        .map(|a| {
            [
                weekday_date(a.draft.due),
                due_in(today, a.draft.due),
                a.release.version.clone(),
                a.draft.kind.id(),
                a.draft.channel.clone(),
                mark(a),
            ]
        })
        .collect();
    let header = ["due", "", "release", "draft", "channel", "once posted"].map(str::to_owned);
    let mut widths = [0; 6];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    let notes: Vec<String> = items
        .iter()
        .filter_map(|a| {
            let note = a.draft.kind.poster_note()?;
            Some(format!(
                "{} {} in {}: once posted, {note}.\n",
                a.release.version, a.draft.kind, a.draft.channel
            ))
        })
        .collect();
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes.concat());
    }
    let first = &items[0];
    out.push_str(&format!(
        "\nPrint one with `herald draft {} {}`; once posted, run the command beside it (it adds the draft to `sent:` in the release file).\n",
        first.release.version, first.draft.kind
    ));
    if items.iter().any(|a| a.draft.kind.recurs_daily()) {
        let daily: Vec<String> = DraftKind::DAILY.iter().map(|k| format!("`{k}`")).collect();
        let example = &DraftKind::DAILY[0];
        out.push_str(&format!(
            "{} are due daily while something waits: `{example}@{today}` in `sent:` (what `--on` writes) silences one day.\n",
            daily.join(" and ")
        ));
    }
    out
}
