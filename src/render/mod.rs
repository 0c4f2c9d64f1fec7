//! One module per artifact; each is a pure function of the Timeline, the plans and the
//! templates, returning the files it makes (paths relative to `OUT/wiki/`).

pub mod blockkit;
pub mod calendar;
pub mod changes;
pub mod markdown;
pub mod slack;
pub mod svg;
pub mod templates;
pub mod wiki;
pub mod workbook;

use std::time::{Duration, Instant};

pub use crate::files::Files;
use crate::model::Plans;
use crate::plan::{ReleaseTimeline, Timeline};
pub use templates::{TemplateError, Templates};

/// Everything a renderer may read.
pub struct Context<'a> {
    pub timeline: &'a Timeline<'a>,
    pub plans: &'a Plans,
    pub templates: &'a Templates,
    /// Where the site is published (`https://org.github.io/releases/`), for links in drafts
    /// and calendars; without it those carry no links (a site-relative path opens nothing
    /// in Slack or a calendar app).
    pub site_url: Option<String>,
    /// The tests' steps and expected results as plain text, made once per build.
    pub plain_tests: workbook::PlainTests<'a>,
}

impl<'a> Context<'a> {
    pub fn new(
        timeline: &'a Timeline<'a>,
        plans: &'a Plans,
        templates: &'a Templates,
        site_url: Option<String>,
    ) -> Context<'a> {
        Context {
            timeline,
            plans,
            templates,
            site_url,
            plain_tests: workbook::PlainTests::default(),
        }
    }

    /// The absolute URL of a file of the site, when the site URL is known.
    pub fn site_link(&self, site_path: &str) -> Option<String> {
        let base = self.site_url.as_ref()?;
        Some(format!("{}/{}", base.trim_end_matches('/'), site_path))
    }
}

/// Where each artifact lives, relative to `OUT/wiki/` (and to the site root, with `.md` pages
/// becoming `.html`). These names are part of the published contract.
pub mod paths {
    pub const SUMMARY: &str = "SUMMARY.md";
    pub const OVERVIEW: &str = "index.md";
    pub const CALENDAR_PAGE: &str = "calendar.md";
    pub const CALENDAR_ICS: &str = "calendar.ics";

    pub fn release_dir(version: &str) -> String {
        format!("releases/{version}")
    }

    pub fn magicbox(version: &str) -> String {
        format!("releases/{version}/magicbox.md")
    }

    /// The MagicBox as Markdown without HTML, for pasting into another wiki; named by the
    /// version, as a wiki with one flat namespace of pages (GitHub's) needs.
    pub fn paste_ready_magicbox(version: &str) -> String {
        format!("releases/{version}/MagicBox-{version}.md")
    }

    pub fn timeline_svg(version: &str) -> String {
        format!("releases/{version}/timeline.svg")
    }

    pub fn workbook(version: &str) -> String {
        format!("releases/{version}/manual-tests-{version}.xlsx")
    }

    pub fn release_ics(version: &str) -> String {
        format!("releases/{version}/{version}.ics")
    }

    pub fn drafts_page(version: &str) -> String {
        format!("releases/{version}/slack.md")
    }

    pub fn draft(version: &str, id: &str, ext: &str) -> String {
        format!("releases/{version}/slack/{id}.{ext}")
    }

    /// The published page for a Markdown source path.
    pub fn html(md_path: &str) -> String {
        match md_path.strip_suffix(".md") {
            Some(stem) => format!("{stem}.html"),
            None => md_path.to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("cannot write the workbook of {version}: {message}")]
    Workbook { version: String, message: String },
}

/// CPU time spent per artifact, summed over the threads that rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderTimes {
    pub pages: Duration,
    pub workbooks: Duration,
    pub calendars: Duration,
    pub drafts: Duration,
}

impl RenderTimes {
    pub fn add(&mut self, other: RenderTimes) {
        self.pages += other.pages;
        self.workbooks += other.workbooks;
        self.calendars += other.calendars;
        self.drafts += other.drafts;
    }
}

fn timed<T>(slot: &mut Duration, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = work();
    *slot += started.elapsed();
    out
}

/// Every artifact of one release: its pages, workbook, calendar and drafts.
pub fn render_release(
    ctx: &Context,
    release: &ReleaseTimeline,
) -> Result<(Files, RenderTimes), RenderError> {
    let (mut files, mut times) = render_release_pages(ctx, release)?;
    let (downloads, download_times) = render_release_downloads(ctx, release)?;
    files.extend(downloads);
    times.add(download_times);
    Ok((files, times))
}

/// What the site's book is made from, of one release: its pages and pictures, and the
/// drafts (whose page is a chapter), so mdBook can start before the workbooks are made.
pub fn render_release_pages(
    ctx: &Context,
    release: &ReleaseTimeline,
) -> Result<(Files, RenderTimes), RenderError> {
    let mut times = RenderTimes::default();
    let mut files = Files::default();
    files.extend(timed(&mut times.pages, || {
        wiki::render_release(ctx, release)
    })?);
    files.extend(timed(&mut times.drafts, || {
        slack::render_release(ctx, release)
    })?);
    Ok((files, times))
}

/// The downloads of one release that no page of the book is made from: its workbook and
/// calendar feed.
pub fn render_release_downloads(
    ctx: &Context,
    release: &ReleaseTimeline,
) -> Result<(Files, RenderTimes), RenderError> {
    let mut times = RenderTimes::default();
    let mut files = Files::default();
    files.extend(timed(&mut times.workbooks, || {
        workbook::render_release(ctx, release)
    })?);
    files.extend(timed(&mut times.calendars, || {
        calendar::render_release(ctx, release)
    }));
    Ok((files, times))
}

/// The files about all releases: SUMMARY, overview, calendar page and feed.
pub fn render_shared(ctx: &Context) -> Result<(Files, RenderTimes), RenderError> {
    let mut times = RenderTimes::default();
    let mut files = timed(&mut times.pages, || wiki::render_shared(ctx))?;
    files.extend(timed(&mut times.calendars, || calendar::render_shared(ctx)));
    Ok((files, times))
}
