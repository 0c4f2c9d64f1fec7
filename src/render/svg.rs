//! The pictures of a release: the timeline of its milestones with today marked, and the
//! manual-test progress bars. Hand-written SVG with fixed-precision numbers, so the bytes only
//! change when the plan or `today` does; every text from the plan is HTML-escaped.

use std::fmt::Write as _;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::markdown::escape_html;
use crate::model::{Moment, Status};
use crate::plan::format::{
    iso_date, short_date, short_moment, short_month_year, weekday_iso_moment,
};
use crate::plan::{Counts, MilestoneKind, ReleaseTimeline, days_between};

/// The width of mdBook's content column, so the picture shows at its own size.
const WIDTH: f64 = 750.0;
const MARGIN: f64 = 16.0;
/// The labels' font size, and the dates' below them: legible at the picture's own size,
/// at which the site shows it (scrolled sideways on a phone, not shrunk).
const FONT_SIZE: f64 = 13.0;
const DATE_SIZE: f64 = 12.0;
/// Height of one lane of two-line labels above the axis.
const LANE: f64 = 36.0;
/// The advance of an average character as a share of the font size, on the wide side:
/// DejaVu Sans, which Linux shows for Helvetica, is wider than Helvetica or Arial.
const CHAR_EM: f64 = 0.6;
/// How much wider bold text is.
const BOLD: f64 = 1.1;
/// Room kept free right of a label before the next mark's line.
const LABEL_PAD: f64 = 10.0;
const FONT: &str = "font-family=\"Helvetica, Arial, sans-serif\"";

/// Labels start this far right of their leader line, so lines never run through text.
const LABEL_GAP: f64 = 3.0;
/// Text colours, each at least 4.5:1 on white (WCAG AA), past milestones' too.
const LABEL_INK: &str = "#111827";
const PAST_INK: &str = "#4b5563";
const DATE_INK: &str = "#374151";
const AXIS_INK: &str = "#374151";
const TODAY_INK: &str = "#b91c1c";
/// The outline of a past milestone (hollow): 4.8:1 on white, above the 3:1 graphics need.
const PAST_MARK: &str = "#6b7280";
const MEETING_COLOUR: &str = "#0e7490";
/// Days before today shown at full width; the weeks before are compressed to
/// [`PAST_SCALE`] of theirs.
const FOCUS_DAYS_BEFORE: i32 = 7;
const PAST_SCALE: f64 = 0.25;
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

/// The estimated width of a text at a font size.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * CHAR_EM * size
}

impl Mark {
    /// The width of its two-line label: the title (bold when next) and the date below.
    fn label_width(&self) -> f64 {
        let title = FONT_SIZE * if self.next { BOLD } else { 1.0 };
        text_width(&self.label, title).max(text_width(&self.when, DATE_SIZE))
    }
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
/// they never overlap, past milestones hollow, the next one ringed, today marked, the weeks
/// before the last one compressed, and the Scrum of Scrums meetings on a row of their own.
pub fn timeline(release: &ReleaseTimeline, today: Date) -> String {
    let layout = TimelineLayout::of(release, today);
    layout.svg(release, today)
}

/// Where everything of a timeline goes, decided before any of it is drawn.
struct TimelineLayout {
    origin: Date,
    span_days: f64,
    /// Days from `origin` before which the axis is compressed (0: not compressed).
    compressed_until: f64,
    scale: f64,
    marks: Vec<Mark>,
    /// The lane of each mark's label (0 is nearest the axis).
    lanes_of: Vec<usize>,
    axis_y: f64,
    meetings: Vec<MeetingMark>,
}

/// A Scrum of Scrums meeting on the row below the axis.
struct MeetingMark {
    x: f64,
    past: bool,
    tooltip: String,
}

/// A box a label takes, for the tests' check that none overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl LabelBox {
    pub fn overlaps(&self, other: &LabelBox) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

impl TimelineLayout {
    fn of(release: &ReleaseTimeline, today: Date) -> TimelineLayout {
        let dates = release.milestones.iter().map(|m| m.date());
        let first = dates.clone().min().unwrap_or(today);
        let last = dates.max().unwrap_or(today);
        let origin = first.yesterday().unwrap_or(first);
        let span_days = f64::from(days_between(origin, last) + 2).max(7.0);
        let tz = &release.release.timezone;
        // The weeks that matter are from a week before today on; earlier ones are squeezed.
        let today_offset = f64::from(days_between(origin, today));
        let focus = today_offset - f64::from(FOCUS_DAYS_BEFORE);
        let compressed_until = if !release.settled && focus > 0.0 && today_offset < span_days {
            focus
        } else {
            0.0
        };
        let display = |days: f64| display_days(days, compressed_until);

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
        // The scale leaves room right of the axis for the labels of the last milestones,
        // which always extend to the right of their mark.
        let scale = marks
            .iter()
            .filter(|(days, _)| display(*days) > 0.0)
            .map(|(days, m)| (WIDTH - 8.0 - MARGIN - LABEL_GAP - m.label_width()) / display(*days))
            .fold((WIDTH - 2.0 * MARGIN) / display(span_days), f64::min)
            .max(1.0);
        for (days, mark) in &mut marks {
            mark.x = MARGIN + display(*days) * scale;
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
            let end = marks[j].x + LABEL_GAP + marks[j].label_width() + LABEL_PAD;
            lanes_of[j] = (j + 1..marks.len())
                .filter(|&i| marks[i].x < end)
                .map(|i| lanes_of[i] + 1)
                .max()
                .unwrap_or(0);
        }
        let lanes = lanes_of.iter().max().map_or(1, |l| l + 1) as f64;
        let axis_y = 14.0 + lanes * LANE + 14.0;

        let meetings = release
            .scrum_of_scrums
            .iter()
            .filter_map(|m| {
                let when = Moment::At(m.start.clone());
                let days = day_offset(origin, &when, tz);
                (0.0..=span_days).contains(&days).then(|| MeetingMark {
                    x: MARGIN + display(days) * scale,
                    past: m.past,
                    tooltip: format!("Scrum of Scrums: {}", short_moment(&when, tz)),
                })
            })
            .collect();
        TimelineLayout {
            origin,
            span_days,
            compressed_until,
            scale,
            marks,
            lanes_of,
            axis_y,
            meetings,
        }
    }

    fn x_of(&self, days: f64) -> f64 {
        MARGIN + display_days(days, self.compressed_until) * self.scale
    }

    /// The baseline of the first line of a label in `lane`.
    fn label_y(&self, lane: usize) -> f64 {
        self.axis_y - 16.0 - (lane as f64) * LANE - DATE_SIZE - 4.0
    }

    /// The boxes of the milestones' labels (title and date line), as drawn.
    fn label_boxes(&self) -> Vec<LabelBox> {
        self.marks
            .iter()
            .zip(&self.lanes_of)
            .map(|(mark, lane)| {
                let top = self.label_y(*lane) - FONT_SIZE;
                LabelBox {
                    x: mark.x + LABEL_GAP,
                    y: top,
                    width: mark.label_width(),
                    height: FONT_SIZE + 4.0 + DATE_SIZE + 3.0,
                }
            })
            .collect()
    }

    fn svg(&self, release: &ReleaseTimeline, today: Date) -> String {
        let axis_y = self.axis_y;
        let axis_end = self.x_of(self.span_days);
        let mut body = String::new();

        // Today: a band over the whole day near the axis (never through the labels above),
        // or an arrow at the edge when it is off the axis.
        let today_offset = f64::from(days_between(self.origin, today));
        let today_label = format!("today {}", short_date(today));
        let below = |row: f64| axis_y + 20.0 + row * 19.0;
        if release.settled {
            // Over: the picture no longer changes with the day, so it marks no today.
        } else if (0.0..self.span_days).contains(&today_offset) {
            let x = self.x_of(today_offset);
            let width = (self.x_of(today_offset + 1.0) - x).max(2.0);
            let _ = writeln!(
                body,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"#fee2e2\"/>",
                axis_y - 16.0,
                below(2.0) - axis_y + 12.0
            );
            let _ = writeln!(
                body,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{TODAY_INK}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                axis_y - 16.0,
                below(2.0) - 10.0
            );
            let half = text_width(&today_label, DATE_SIZE * BOLD) / 2.0;
            let _ = writeln!(
                body,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TODAY_INK}\" font-weight=\"bold\" font-size=\"{DATE_SIZE:.0}\">{today_label}</text>",
                x.clamp(MARGIN + half, WIDTH - MARGIN - half),
                below(2.0) + 4.0
            );
        } else {
            let (x, anchor, text) = if today_offset < 0.0 {
                (MARGIN, "start", format!("← {today_label}"))
            } else {
                (axis_end, "end", format!("{today_label} →"))
            };
            let _ = writeln!(
                body,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"{TODAY_INK}\" font-weight=\"bold\" font-size=\"{DATE_SIZE:.0}\">{text}</text>",
                below(2.0) + 4.0
            );
        }

        // The axis, dashed where the past is compressed.
        let split = self.x_of(self.compressed_until);
        if self.compressed_until > 0.0 {
            let _ = writeln!(
                body,
                "<line x1=\"{MARGIN:.1}\" y1=\"{axis_y:.1}\" x2=\"{split:.1}\" y2=\"{axis_y:.1}\" stroke=\"{AXIS_INK}\" stroke-width=\"2\" stroke-dasharray=\"3 3\"/>"
            );
        }
        let _ = writeln!(
            body,
            "<line x1=\"{split:.1}\" y1=\"{axis_y:.1}\" x2=\"{axis_end:.1}\" y2=\"{axis_y:.1}\" stroke=\"{AXIS_INK}\" stroke-width=\"2\"/>"
        );
        // A tick and a date every Monday (every month on long schedules), a date left out
        // where it would run into the one before (in the compressed weeks).
        let monthly = self.span_days > 120.0;
        let mut day = self.origin;
        let mut offset = 0.0;
        let mut free_from = f64::MIN;
        while offset <= self.span_days {
            let tick = if monthly {
                day.day() == 1
            } else {
                day.weekday() == jiff::civil::Weekday::Monday
            };
            if tick {
                let x = self.x_of(offset);
                let _ = writeln!(
                    body,
                    "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{AXIS_INK}\"/>",
                    axis_y - 4.0,
                    axis_y + 4.0
                );
                let label = if monthly {
                    short_month_year(day)
                } else {
                    format!("Mon {}", short_date(day))
                };
                let width = text_width(&label, DATE_SIZE);
                let (left, anchor) = if x - width / 2.0 < 2.0 {
                    (x.max(2.0), "start")
                } else {
                    (x - width / 2.0, "middle")
                };
                if left >= free_from && left + width <= WIDTH - 2.0 {
                    let label_x = if anchor == "start" { left } else { x };
                    let _ = writeln!(
                        body,
                        "<text x=\"{label_x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"{DATE_INK}\" font-size=\"{DATE_SIZE:.0}\">{label}</text>",
                        below(1.0) + 4.0
                    );
                    free_from = left + width + 8.0;
                }
            }
            let Some(next) = day.tomorrow().ok() else {
                break;
            };
            day = next;
            offset += 1.0;
        }

        // The Scrum of Scrums meetings, on their own row just below the axis.
        for meeting in &self.meetings {
            let (fill, stroke) = if meeting.past {
                ("#ffffff", PAST_MARK)
            } else {
                (MEETING_COLOUR, "#ffffff")
            };
            let _ = writeln!(
                body,
                "<g><title>{}</title><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/></g>",
                escape_html(&meeting.tooltip),
                meeting.x,
                below(0.0)
            );
        }

        // Leader lines and labels first, so the shapes sit on top of them.
        for (mark, lane) in self.marks.iter().zip(&self.lanes_of) {
            let text_x = mark.x + LABEL_GAP;
            let label_y = self.label_y(*lane);
            let _ = writeln!(
                body,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"1\"/>",
                mark.x,
                label_y - FONT_SIZE + 2.0,
                mark.x,
                axis_y - 8.0,
                if mark.past { "#9ca3af" } else { "#6b7280" }
            );
            let weight = if mark.next {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let _ = writeln!(
                body,
                "<text x=\"{text_x:.1}\" y=\"{label_y:.1}\" fill=\"{}\"{weight}>{}<tspan x=\"{text_x:.1}\" dy=\"{:.0}\" fill=\"{DATE_INK}\" font-size=\"{DATE_SIZE:.0}\">{}</tspan></text>",
                if mark.past { PAST_INK } else { LABEL_INK },
                escape_html(&mark.label),
                DATE_SIZE + 3.0,
                escape_html(&mark.when),
            );
        }
        for mark in &self.marks {
            let _ = writeln!(body, "<g><title>{}</title>", escape_html(&mark.tooltip));
            if mark.next {
                let _ = writeln!(
                    body,
                    "<circle cx=\"{:.1}\" cy=\"{axis_y:.1}\" r=\"13.0\" fill=\"none\" stroke=\"{TODAY_INK}\" stroke-width=\"2\"/>",
                    mark.x
                );
            }
            if mark.past {
                shape_svg(&mut body, mark.shape, mark.x, axis_y, "#ffffff", PAST_MARK);
            } else {
                shape_svg(&mut body, mark.shape, mark.x, axis_y, mark.color, "#ffffff");
            }
            body.push_str("</g>\n");
        }

        // Legend, in rows that fit the width.
        let mut legend_y = below(3.0) + 8.0;
        let mut x = MARGIN + 8.0;
        let mut item = |body: &mut String, text: &str, draw: &dyn Fn(&mut String, f64, f64)| {
            let width = 28.0 + text_width(text, DATE_SIZE);
            if x + width > WIDTH - MARGIN {
                x = MARGIN + 8.0;
                legend_y += 20.0;
            }
            draw(body, x, legend_y - 4.0);
            let _ = writeln!(
                body,
                "<text x=\"{:.1}\" y=\"{legend_y:.1}\" fill=\"{AXIS_INK}\" font-size=\"{DATE_SIZE:.0}\">{text}</text>",
                x + 14.0
            );
            x += width;
        };
        for (shape, color, text) in LEGEND {
            item(&mut body, text, &|b, x, y| {
                shape_svg(b, shape, x, y, color, "#ffffff")
            });
        }
        if !self.meetings.is_empty() {
            item(&mut body, "Scrum of Scrums", &|b, x, y| {
                let _ = writeln!(
                    b,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill=\"{MEETING_COLOUR}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>"
                );
            });
        }
        item(&mut body, "past", &|b, x, y| {
            shape_svg(b, Shape::Circle, x, y, "#ffffff", PAST_MARK);
        });
        item(&mut body, "next", &|b, x, y| {
            let _ = writeln!(
                b,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"8.0\" fill=\"none\" stroke=\"{TODAY_INK}\" stroke-width=\"2\"/>"
            );
        });
        if self.compressed_until > 0.0 {
            item(
                &mut body,
                "earlier weeks (dashed) compressed",
                &|b, x, y| {
                    let _ = writeln!(
                        b,
                        "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{AXIS_INK}\" stroke-width=\"2\" stroke-dasharray=\"3 3\"/>",
                        x - 7.0,
                        x + 7.0
                    );
                },
            );
        }
        let height = (legend_y + 12.0).ceil();
        // Where a narrow screen, showing part of the picture, starts it: a day before today.
        let focus = if !release.settled && (0.0..self.span_days).contains(&today_offset) {
            format!(
                " data-focus-x=\"{:.0}\"",
                (self.x_of((today_offset - 1.0).max(0.0)) - MARGIN).max(0.0)
            )
        } else {
            String::new()
        };

        let version = escape_html(&release.version);
        let as_of = if release.settled {
            String::new()
        } else {
            format!(", as of {}", iso_date(today))
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\"{focus} role=\"img\" aria-labelledby=\"title desc\" {FONT} font-size=\"{FONT_SIZE:.0}\">"
        );
        let _ = writeln!(
            out,
            "<title id=\"title\">Timeline of release {version}{as_of}</title>"
        );
        let _ = writeln!(
            out,
            "<desc id=\"desc\">{}</desc>",
            escape_html(&describe(release))
        );
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
        );
        out.push_str(&body);
        out.push_str("</svg>\n");
        out
    }
}

/// The picture's text alternative: every milestone with its time and state, then the
/// meetings.
fn describe(release: &ReleaseTimeline) -> String {
    let tz = &release.release.timezone;
    let mut parts: Vec<String> = release
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let state = if release.next == Some(i) {
                " (next)"
            } else if m.past {
                " (past)"
            } else {
                ""
            };
            format!("{}: {}{state}", m.title, weekday_iso_moment(&m.when, tz))
        })
        .collect();
    if !release.scrum_of_scrums.is_empty() {
        let days: Vec<String> = release
            .scrum_of_scrums
            .iter()
            .map(|m| short_moment(&Moment::At(m.start.clone()), tz))
            .collect();
        parts.push(format!("Scrum of Scrums: {}", days.join(", ")));
    }
    format!("Milestones: {}.", parts.join("; "))
}

/// Days from the origin as the axis shows them: those before `compressed_until` at a
/// fraction of their width.
fn display_days(days: f64, compressed_until: f64) -> f64 {
    if days < compressed_until {
        days * PAST_SCALE
    } else {
        compressed_until * PAST_SCALE + (days - compressed_until)
    }
}

/// The boxes the labels of a release's timeline take, for tests.
pub fn timeline_label_boxes(release: &ReleaseTimeline, today: Date) -> Vec<LabelBox> {
    TimelineLayout::of(release, today).label_boxes()
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
        x += 34.0 + text_width(name, 12.0);
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
        // A failed test is not done: it needs a fix and a new run.
        assert!(svg.contains("2/4 done"), "{svg}");
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
