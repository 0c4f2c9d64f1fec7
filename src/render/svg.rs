//! The pictures of a release: the timeline of its milestones with today marked, and the
//! manual-test progress bars. Hand-written SVG with fixed-precision numbers, so the bytes only
//! change when the plan or `today` does; every text from the plan is HTML-escaped.

use std::fmt::Write as _;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::markdown::escape_html;
use crate::model::{Moment, Status};
use crate::plan::format::{iso_date, short_date, short_moment, short_month_year};
use crate::plan::{Counts, MilestoneKind, ReleaseTimeline, days_between};

/// The width of mdBook's content column, so the picture shows at its own size.
const WIDTH: f64 = 750.0;
const MARGIN: f64 = 16.0;
/// Height of one lane of two-line labels above the axis.
const LANE: f64 = 30.0;
/// Rough width of one character at the label font size, to keep labels from overlapping.
const CHAR_WIDTH: f64 = 6.4;
const FONT: &str = "font-family=\"Helvetica, Arial, sans-serif\"";

/// Labels start this far right of their leader line, so lines never run through text.
const LABEL_GAP: f64 = 3.0;
const GREY: &str = "#9ca3af";
/// The least distance between the centres of two marks, so milestones on the same day stay
/// two shapes (the largest is 18 px wide).
const MIN_MARK_GAP: f64 = 18.0;

/// One shape on the timeline's axis.
struct Mark {
    x: f64,
    shape: Shape,
    color: &'static str,
    label: String,
    when: String,
    tooltip: String,
    past: bool,
    next: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Diamond,
    Circle,
    Release,
    Square,
}

/// Legend entries, in the order they are drawn.
const LEGEND: [(Shape, &str, &str); 4] = [
    (Shape::Diamond, "#d97706", "deadline"),
    (Shape::Circle, "#2563eb", "release candidate"),
    (Shape::Release, "#16a34a", "release"),
    (Shape::Square, "#7c3aed", "event"),
];

/// Days from `origin` to the moment, with the time of day as a fraction; whole days sit at noon.
fn day_offset(origin: Date, when: &Moment, tz: &TimeZone) -> f64 {
    match when {
        Moment::Day(d) => f64::from(days_between(origin, *d)) + 0.5,
        Moment::At(z) => {
            let z = z.with_time_zone(tz.clone());
            let t = z.time();
            let seconds =
                f64::from(t.hour()) * 3600.0 + f64::from(t.minute()) * 60.0 + f64::from(t.second());
            f64::from(days_between(origin, z.date())) + seconds / 86_400.0
        }
    }
}

/// The label of a milestone on the picture: short, because space is tight.
fn short_label(kind: &MilestoneKind, title: &str) -> String {
    let text = match kind {
        MilestoneKind::DeadlinesAnnouncement => "Deadlines announced".to_owned(),
        MilestoneKind::Freeze => "Freeze".to_owned(),
        MilestoneKind::CherryPickDeadline { candidate } => {
            format!("Cherry-pick {}", candidate.to_uppercase())
        }
        _ => title.to_owned(),
    };
    ellipsize(&text, 32)
}

fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Spreads sorted positions closer than [`MIN_MARK_GAP`] evenly around the mean of their
/// group, keeping their order; a milestone moves a few pixels off its instant, while its
/// label and tooltip keep the exact date.
fn spread(xs: &mut [f64]) {
    // Groups as (first index, count, sum of the original positions), merged left to right
    // whenever a group, spread around its mean, would come too close to the one before.
    let mut groups: Vec<(usize, usize, f64)> = Vec::new();
    let first_of = |&(_, count, sum): &(usize, usize, f64)| {
        sum / count as f64 - (count - 1) as f64 * MIN_MARK_GAP / 2.0
    };
    for (i, &x) in xs.iter().enumerate() {
        groups.push((i, 1, x));
        while groups.len() > 1 {
            let last = groups[groups.len() - 1];
            let before = groups[groups.len() - 2];
            let before_end = first_of(&before) + (before.1 - 1) as f64 * MIN_MARK_GAP;
            if first_of(&last) - before_end >= MIN_MARK_GAP {
                break;
            }
            groups.pop();
            let merged = groups.last_mut().expect("two groups");
            merged.1 += last.1;
            merged.2 += last.2;
        }
    }
    for group in &groups {
        let first = first_of(group);
        for k in 0..group.1 {
            xs[group.0 + k] = first + k as f64 * MIN_MARK_GAP;
        }
    }
}

fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH
}

fn shape_svg(out: &mut String, shape: Shape, x: f64, y: f64, fill: &str, stroke: &str) {
    let _ = match shape {
        Shape::Diamond => writeln!(
            out,
            "<path d=\"M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            y - 7.0,
            x + 7.0,
            y + 7.0,
            x - 7.0
        ),
        Shape::Circle => writeln!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6.5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>"
        ),
        Shape::Release => writeln!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9.0\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"3\"/>"
        ),
        Shape::Square => writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"11.0\" height=\"11.0\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            x - 5.5,
            y - 5.5
        ),
    };
}

/// The timeline of a release: every milestone on one date axis, labels stacked in lanes so
/// they never overlap, past milestones grey, the next one ringed, and today marked.
pub fn timeline(release: &ReleaseTimeline, today: Date) -> String {
    let first = release
        .milestones
        .iter()
        .map(|m| m.date())
        .min()
        .unwrap_or(today);
    let last = release
        .milestones
        .iter()
        .map(|m| m.date())
        .max()
        .unwrap_or(today);
    let origin = first.yesterday().unwrap_or(first);
    let span_days = f64::from(days_between(origin, last) + 2).max(7.0);
    let tz = &release.release.timezone;

    let mut marks: Vec<(f64, Mark)> = release
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (shape, color) = match m.kind {
                MilestoneKind::Candidate { .. } => (Shape::Circle, LEGEND[1].1),
                MilestoneKind::Release => (Shape::Release, LEGEND[2].1),
                MilestoneKind::Event => (Shape::Square, LEGEND[3].1),
                _ => (Shape::Diamond, LEGEND[0].1),
            };
            let mark = Mark {
                x: 0.0,
                shape,
                color,
                label: short_label(&m.kind, &m.title),
                when: short_moment(&m.when, tz),
                tooltip: format!("{}: {}", m.title, short_moment(&m.when, tz)),
                past: m.past,
                next: release.next == Some(i),
            };
            (day_offset(origin, &m.when, tz), mark)
        })
        .collect();
    // The scale leaves room right of the axis for the labels of the last milestones, which
    // always extend to the right of their mark.
    let label_width = |m: &Mark| text_width(&m.label).max(text_width(&m.when));
    let scale = marks
        .iter()
        .filter(|(days, _)| *days > 0.0)
        .map(|(days, m)| (WIDTH - 8.0 - MARGIN - LABEL_GAP - label_width(m)) / days)
        .fold((WIDTH - 2.0 * MARGIN) / span_days, f64::min)
        .max(1.0);
    let x_of = |days: f64| MARGIN + days * scale;
    let axis_end = x_of(span_days);
    for (days, mark) in &mut marks {
        mark.x = x_of(*days);
    }
    let mut marks: Vec<Mark> = marks.into_iter().map(|(_, m)| m).collect();
    marks.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut xs: Vec<f64> = marks.iter().map(|m| m.x).collect();
    spread(&mut xs);
    for (mark, x) in marks.iter_mut().zip(xs) {
        mark.x = x;
    }

    // Lanes, right to left: a label goes one lane above every mark it spans, so no label
    // overlaps another and no leader line crosses a label.
    let mut lanes_of = vec![0usize; marks.len()];
    for j in (0..marks.len()).rev() {
        let end = marks[j].x + LABEL_GAP + label_width(&marks[j]) + 10.0;
        lanes_of[j] = (j + 1..marks.len())
            .filter(|&i| marks[i].x < end)
            .map(|i| lanes_of[i] + 1)
            .max()
            .unwrap_or(0);
    }
    let lanes = lanes_of.iter().max().map_or(1, |l| l + 1) as f64;
    let axis_y = 12.0 + lanes * LANE + 16.0;
    let height = axis_y + 80.0;

    let version = escape_html(&release.version);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-labelledby=\"title\" {FONT} font-size=\"11\">"
    );
    let as_of = if release.settled {
        String::new()
    } else {
        format!(", as of {}", iso_date(today))
    };
    let _ = writeln!(
        out,
        "<title id=\"title\">Timeline of release {version}{as_of}</title>"
    );
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
    );

    // Today: a band over the whole day, or an arrow at the edge when it is off the axis.
    let today_offset = f64::from(days_between(origin, today));
    let today_label = format!("today {}", short_date(today));
    if release.settled {
        // Over: the picture no longer changes with the day, so it marks no today.
    } else if (0.0..span_days).contains(&today_offset) {
        let x = x_of(today_offset);
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"4.0\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#fee2e2\"/>",
            scale.max(2.0),
            axis_y + 26.0
        );
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"4.0\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#dc2626\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            axis_y + 30.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#dc2626\" font-weight=\"bold\">{today_label}</text>",
            x.max(MARGIN + 36.0),
            axis_y + 44.0
        );
    } else {
        let (x, anchor, text) = if today_offset < 0.0 {
            (MARGIN, "start", format!("← {today_label}"))
        } else {
            (axis_end, "end", format!("{today_label} →"))
        };
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"#dc2626\" font-weight=\"bold\">{text}</text>",
            axis_y + 44.0
        );
    }

    // The axis, with a tick and a date every Monday (every month on long schedules).
    let _ = writeln!(
        out,
        "<line x1=\"{MARGIN:.1}\" y1=\"{axis_y:.1}\" x2=\"{axis_end:.1}\" y2=\"{axis_y:.1}\" stroke=\"#374151\" stroke-width=\"2\"/>"
    );
    let monthly = span_days > 120.0;
    let mut day = origin;
    let mut offset = 0.0;
    while offset <= span_days {
        let tick = if monthly {
            day.day() == 1
        } else {
            day.weekday() == jiff::civil::Weekday::Monday
        };
        if tick {
            let x = x_of(offset);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#374151\"/>",
                axis_y - 4.0,
                axis_y + 4.0
            );
            let label = if monthly {
                short_month_year(day)
            } else {
                format!("Mon {}", short_date(day))
            };
            // Keep the first date inside the picture.
            let (label_x, anchor) = if x - text_width(&label) / 2.0 < 2.0 {
                (x.max(2.0), "start")
            } else {
                (x, "middle")
            };
            let _ = writeln!(
                out,
                "<text x=\"{label_x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"#4b5563\">{label}</text>",
                axis_y + 26.0
            );
        }
        let Some(next) = day.tomorrow().ok() else {
            break;
        };
        day = next;
        offset += 1.0;
    }

    // Leader lines and labels first, so the shapes sit on top of them.
    for (mark, lane) in marks.iter().zip(&lanes_of) {
        let text_x = mark.x + LABEL_GAP;
        let label_y = axis_y - 16.0 - (*lane as f64) * LANE - 14.0;
        let ink = if mark.past { GREY } else { "#111827" };
        let _ = writeln!(
            out,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"1\"/>",
            mark.x,
            label_y + 16.0,
            mark.x,
            axis_y - 8.0,
            if mark.past { "#d1d5db" } else { "#9ca3af" }
        );
        let weight = if mark.next {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<text x=\"{text_x:.1}\" y=\"{label_y:.1}\" fill=\"{ink}\"{weight}>{}<tspan x=\"{text_x:.1}\" dy=\"12\" fill=\"{}\">{}</tspan></text>",
            escape_html(&mark.label),
            if mark.past { GREY } else { "#4b5563" },
            escape_html(&mark.when),
        );
    }
    for mark in &marks {
        let fill = if mark.past { GREY } else { mark.color };
        let _ = writeln!(out, "<g><title>{}</title>", escape_html(&mark.tooltip));
        if mark.next {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{axis_y:.1}\" r=\"13.0\" fill=\"none\" stroke=\"#dc2626\" stroke-width=\"2\"/>",
                mark.x
            );
        }
        shape_svg(&mut out, mark.shape, mark.x, axis_y, fill, "#ffffff");
        out.push_str("</g>\n");
    }

    // Legend.
    let legend_y = axis_y + 68.0;
    let mut x = MARGIN + 8.0;
    for (shape, color, text) in LEGEND {
        shape_svg(&mut out, shape, x, legend_y - 4.0, color, "#ffffff");
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{legend_y:.1}\" fill=\"#374151\">{text}</text>",
            x + 14.0
        );
        x += 28.0 + text_width(text);
    }
    shape_svg(&mut out, Shape::Circle, x, legend_y - 4.0, GREY, "#ffffff");
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{legend_y:.1}\" fill=\"#374151\">past</text>",
        x + 14.0
    );
    x += 28.0 + text_width("past");
    let _ = writeln!(
        out,
        "<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"8.0\" fill=\"none\" stroke=\"#dc2626\" stroke-width=\"2\"/>",
        legend_y - 4.0
    );
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{legend_y:.1}\" fill=\"#374151\">next</text>",
        x + 14.0
    );
    out.push_str("</svg>\n");
    out
}

/// Stacked bars of manual-test results: one row per label (a team, or the total), each bar
/// split into passed, failed, blocked, skipped and not run, with `done/total` beside it.
pub fn progress(title: &str, rows: &[(String, Counts)]) -> String {
    const LABEL_W: f64 = 150.0;
    const BAR_W: f64 = 420.0;
    const ROW_H: f64 = 24.0;
    let width = LABEL_W + BAR_W + 110.0;
    let height = 34.0 + rows.len() as f64 * ROW_H + 34.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-labelledby=\"title\" {FONT} font-size=\"12\">"
    );
    let _ = writeln!(out, "<title id=\"title\">{}</title>", escape_html(title));
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"8.0\" y=\"20.0\" font-weight=\"bold\" fill=\"#111827\">{}</text>",
        escape_html(title)
    );
    for (i, (label, counts)) in rows.iter().enumerate() {
        let y = 34.0 + i as f64 * ROW_H;
        let _ = writeln!(
            out,
            "<text x=\"8.0\" y=\"{:.1}\" fill=\"#111827\">{}</text>",
            y + 15.0,
            escape_html(&ellipsize(label, 22))
        );
        let mut x = LABEL_W;
        let total = counts.total();
        for status in Status::BY_PROGRESS {
            let (n, name, color) = (counts.of(status), status.label(), status.chart_colour());
            if n == 0 || total == 0 {
                continue;
            }
            let w = BAR_W * f64::from(n) / f64::from(total);
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"16.0\" fill=\"{color}\"><title>{n} {name}</title></rect>",
                y + 3.0
            );
            x += w;
        }
        let _ = writeln!(
            out,
            "<rect x=\"{LABEL_W:.1}\" y=\"{:.1}\" width=\"{BAR_W:.1}\" height=\"16.0\" fill=\"none\" stroke=\"#6b7280\"/>",
            y + 3.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#111827\">{}/{} done</text>",
            LABEL_W + BAR_W + 8.0,
            y + 15.0,
            counts.done(),
            total
        );
    }
    let legend_y = height - 12.0;
    let mut x = 8.0;
    for status in Status::BY_PROGRESS {
        let (name, color) = (status.label(), status.chart_colour());
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12.0\" height=\"12.0\" fill=\"{color}\" stroke=\"#6b7280\" stroke-width=\"0.5\"/>",
            legend_y - 10.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{legend_y:.1}\" fill=\"#374151\">{name}</text>",
            x + 16.0
        );
        x += 34.0 + text_width(name);
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_bars_are_proportional_and_escaped() {
        let mut c = Counts::default();
        for s in [
            crate::model::Status::Passed,
            crate::model::Status::Passed,
            crate::model::Status::Failed,
            crate::model::Status::NotRun,
        ] {
            c.add(s);
        }
        let svg = progress("RC1 <b>", &[("a | <script>".to_owned(), c)]);
        assert!(
            svg.contains("width=\"210.0\" height=\"16.0\" fill=\"#16a34a\""),
            "{svg}"
        );
        assert!(
            svg.contains("width=\"105.0\" height=\"16.0\" fill=\"#dc2626\""),
            "{svg}"
        );
        assert!(svg.contains("3/4 done"), "{svg}");
        assert!(
            !svg.contains("<script>") && svg.contains("a | &lt;script&gt;"),
            "{svg}"
        );
        assert!(svg.contains("RC1 &lt;b&gt;"), "{svg}");
    }

    #[test]
    fn marks_on_the_same_day_are_spread_apart_in_order() {
        let mut xs = [100.0, 300.0, 300.0, 309.0, 500.0];
        spread(&mut xs);
        assert_eq!(xs, [100.0, 285.0, 303.0, 321.0, 500.0]);
        // A group spread into its neighbour takes it along; far marks stay where they are.
        let mut xs = [100.0, 120.0, 130.0, 130.0, 130.0];
        spread(&mut xs);
        assert!(
            xs.windows(2).all(|w| w[1] - w[0] >= MIN_MARK_GAP - 1e-9),
            "{xs:?}"
        );
        assert_eq!(xs[0] + xs[4], 2.0 * 122.0, "{xs:?}");
        let mut xs = [10.0, 40.0, 41.0];
        spread(&mut xs);
        assert_eq!(xs, [10.0, 31.5, 49.5]);
    }

    #[test]
    fn whole_days_sit_at_noon_and_times_at_their_hour() {
        let origin = jiff::civil::date(2026, 11, 1);
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(
            day_offset(
                origin,
                &Moment::Day(jiff::civil::date(2026, 11, 3)),
                &berlin
            ),
            2.5
        );
        // 17:00 UTC is 18:00 in Berlin in November.
        let z = jiff::civil::date(2026, 11, 3)
            .at(17, 0, 0, 0)
            .in_tz("UTC")
            .unwrap();
        assert_eq!(day_offset(origin, &Moment::At(z), &berlin), 2.75);
    }
}
