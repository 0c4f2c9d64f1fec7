//! The timeline picture: labels that never collide, legible sizes and contrast, the past
//! compressed, Scrum of Scrums meetings, and a text alternative listing the milestones.

use herald::render::svg::{self, LabelBox};
use jiff::civil::{Date, date};

use crate::harness::{TODAY, example, fixture, load};

/// The numbers of every `attr="N"` in `svg`.
fn numbers_of(svg: &str, attr: &str) -> Vec<f64> {
    let key = format!(" {attr}=\"");
    svg.match_indices(&key)
        .map(|(at, _)| {
            let rest = &svg[at + key.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

/// Every label of every example release, on every third day from before the first plans
/// start to after the last release: no two labels overlap, none leaves the picture, and no
/// leader line runs through another label.
#[test]
fn labels_never_overlap_each_other_the_edges_or_leader_lines() {
    let mut checked = 0;
    for plans in [example(), fixture("site-hostile/releases")] {
        if !plans.is_dir() {
            continue;
        }
        let mut day = date(2026, 9, 1);
        while day < date(2027, 3, 1) {
            let project = load(&plans, day);
            let timeline = project.plan();
            for release in &timeline.releases {
                let boxes = svg::timeline_label_boxes(release, day);
                assert_labels_apart(&boxes, &format!("{} on {day}", release.version));
                checked += boxes.len();
            }
            day = day.checked_add(jiff::Span::new().days(3)).unwrap();
        }
    }
    assert!(checked > 1000, "{checked} labels checked");
}

fn assert_labels_apart(boxes: &[LabelBox], what: &str) {
    for (i, a) in boxes.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.x + a.width <= 750.0 && a.y >= 0.0,
            "{what}: label {i} leaves the picture: {a:?}"
        );
        // The leader line: from the axis up to the label, at the mark (left of the text).
        let line_x = a.x - 3.0;
        for (j, b) in boxes.iter().enumerate().skip(i + 1) {
            assert!(
                !a.overlaps(b),
                "{what}: labels {i} and {j} overlap: {a:?} {b:?}"
            );
        }
        for (j, b) in boxes.iter().enumerate() {
            if j != i && b.x < line_x && line_x < b.x + b.width {
                assert!(
                    b.y + b.height <= a.y,
                    "{what}: the line of label {i} runs through label {j}: {a:?} {b:?}"
                );
            }
        }
    }
}

fn timeline_of(version: &str, today: Date) -> String {
    let project = load(&example(), today);
    let timeline = project.plan();
    let release = timeline
        .releases
        .iter()
        .find(|r| r.version == version)
        .unwrap();
    svg::timeline(release, today)
}

#[test]
fn text_is_legible_and_past_milestones_keep_their_contrast() {
    let svg = timeline_of("1.14.0", TODAY);
    let sizes = numbers_of(&svg, "font-size");
    assert!(
        !sizes.is_empty() && sizes.iter().all(|&s| s >= 12.0),
        "{sizes:?}"
    );
    // The picture is shown at its own width (750 px, mdBook's column), never shrunk.
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"750\""));
    // Past labels are dark grey (7.6:1 on white), not the light grey of before (2.5:1).
    assert!(!svg.contains("#9ca3af\">"), "{svg}");
    assert!(svg.contains("fill=\"#4b5563\">Freeze<tspan"), "{svg}");
    // Past shapes are hollow, outlined at 4.8:1; four milestones of 1.14.0 are past.
    assert_eq!(
        svg.matches("fill=\"#ffffff\" stroke=\"#6b7280\"").count(),
        4 + 1 + 1,
        "four milestones, one meeting and the legend: {svg}"
    );
}

#[test]
fn the_weeks_before_last_week_are_compressed_and_today_stays_off_the_labels() {
    let svg = timeline_of("1.14.0", TODAY);
    // The dashed axis of the compressed past, from the margin.
    let dashed = "<line x1=\"16.0\" y1=\"";
    let at = svg.find(dashed).expect("a compressed stretch of axis");
    let line = &svg[at..at + svg[at..].find("/>").unwrap()];
    assert!(line.contains("stroke-dasharray=\"3 3\""), "{line}");
    let x2 = numbers_of(line, "x2")[0];
    // 9 days (10 to 19 November) take less than a tenth of the picture.
    assert!(x2 < 16.0 + 75.0, "{line}");
    // The future, from RC2's cherry-pick deadline to the release, takes most of it.
    let x_of = |title: &str| -> f64 {
        let at = svg.find(&format!("<g><title>{title}</title>")).unwrap();
        let shape = &svg[at..];
        let key = if shape.contains("<path d=\"M")
            && shape.find("<path").unwrap() < shape.find("</g>").unwrap()
        {
            "<path d=\"M"
        } else {
            "cx=\""
        };
        let rest = &shape[shape.find(key).unwrap() + key.len()..];
        rest[..rest
            .find(|c: char| c != '.' && !c.is_ascii_digit())
            .unwrap()]
            .parse()
            .unwrap()
    };
    let span = x_of("Release 1.14.0: 10 Dec") - x_of("Cherry-pick deadline for RC2: 30 Nov 16:00");
    assert!(span > 240.0, "{span}");
    // Today's line stays below the lowest label lane: it starts 16 px above the axis.
    let today = svg
        .find("stroke=\"#b91c1c\" stroke-width=\"1.5\" stroke-dasharray")
        .unwrap();
    let line = &svg[svg[..today].rfind("<line").unwrap()..today];
    let y1 = numbers_of(line, "y1")[0];
    // The axis is the dashed line's height.
    let axis_y: f64 = svg[at + dashed.len()..]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((axis_y - y1 - 16.0).abs() < 1e-6, "{line} axis {axis_y}");
    // A release that is over is not compressed: no today, no dashed axis.
    let over = timeline_of("1.13.0", TODAY);
    assert!(!over.contains("stroke-dasharray"), "{over}");
}

#[test]
fn meetings_are_shown_and_the_text_alternative_lists_every_milestone() {
    let svg = timeline_of("1.14.0", TODAY);
    // The meetings within the axis: 12 Nov (past), 26 Nov (today) and 10 Dec.
    for day in ["12 Nov 10:00", "26 Nov 10:00", "10 Dec 10:00"] {
        assert!(
            svg.contains(&format!("<g><title>Scrum of Scrums: {day}</title><circle")),
            "{day}: {svg}"
        );
    }
    assert!(
        svg.contains(">Scrum of Scrums</text>"),
        "the legend names them"
    );
    assert!(svg.contains("role=\"img\" aria-labelledby=\"title desc\""));
    let desc = &svg[svg.find("<desc id=\"desc\">").unwrap()..svg.find("</desc>").unwrap()];
    for milestone in [
        "Deadlines announcement: Tue 2026-11-10 10:00 CET (past)",
        "Cherry-pick deadline for RC2: Mon 2026-11-30 16:00 CET (next)",
        "RC3: Tue 2026-12-08",
        "Release 1.14.0: Thu 2026-12-10",
        "Scrum of Scrums: 15 Oct 10:00, 29 Oct 10:00, 12 Nov 10:00, 26 Nov 10:00, 10 Dec 10:00.",
    ] {
        assert!(desc.contains(milestone), "{milestone} not in {desc}");
    }
}
