//! `herald build`, as the sequence it is: keys → up to date? → check → plan → render what
//! changed (into the staged wiki) → stage the site → swap both in → record what was written.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::load::ParseCache;
use crate::render::{self, Context, Files, RenderTimes, Templates};
use crate::site::SiteOptions;
use crate::write::keys::{self, Keys};
use crate::write::manifest::{FileEntry, Manifest, ReleaseEntry};
use crate::write::tree::{self, Put, Staged, Survey};
use crate::write::{self, Layout, OutLock, WriteStats};
use crate::{Checked, LoadError};

pub struct BuildOptions {
    /// The plans folder.
    pub dir: PathBuf,
    /// The output folder: `OUT/wiki/` and `OUT/site/`.
    pub out: PathBuf,
    pub today: Date,
    pub site_url: Option<String>,
    /// Build the HTML site too (`OUT/site/`).
    pub site: bool,
    /// Build into `OUT/wiki` or `OUT/site` although they hold files herald did not write
    /// (a wiki checkout): those are kept as they are, never overwritten.
    pub keep_foreign: bool,
    /// Commands `book.toml` may have mdBook run (its preprocessors and renderers).
    pub allowed_commands: Vec<String>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub releases: usize,
    /// Releases rendered again (the others were unchanged and kept as they were).
    pub rendered: usize,
    /// Files now in `OUT/wiki`.
    pub files: usize,
    pub wiki: WriteStats,
    /// Whether the site was rebuilt (it is not when nothing it is made from changed).
    pub site_built: bool,
    /// Nothing the build reads had changed since the last build: it did nothing.
    pub up_to_date: bool,
    pub warnings: usize,
    /// What the build could not do but worked around (no git history): for stderr.
    pub notes: Vec<String>,
    pub timings: Timings,
    pub elapsed: Duration,
}

/// Where the time went: wall time per stage, and CPU time per artifact while rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub fingerprint: Duration,
    /// Reading and parsing the plans.
    pub parse: Duration,
    /// The rules run over the parsed plans.
    pub check: Duration,
    pub plan: Duration,
    pub render: Duration,
    pub render_cpu: render::RenderTimes,
    pub write: Duration,
    /// The site: mdBook (beside the workbooks when releases were rendered again), the
    /// downloads linked in, and the swap.
    pub site: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The plans have errors; nothing was written.
    #[error("the plans have errors; nothing was written")]
    Plans(Box<Checked>),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error(transparent)]
    Template(#[from] render::TemplateError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot build the site: {0}")]
    Site(String),
    #[error(transparent)]
    Lock(#[from] write::LockError),
    /// The output folder overlaps what the build reads, or is not a folder herald can own.
    #[error("{0}")]
    Layout(String),
    /// Files herald did not write are where it would write, or fill a first build's folder.
    #[error("{0}")]
    Foreign(String),
}

impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("diags", &self.diags)
            .finish()
    }
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// herald's own folder in OUT, made by this build: removed again (with OUT, if this build
/// made it and it is empty) when the build stops before anything is swapped in.
struct MadeState {
    out: PathBuf,
    out_made: bool,
    armed: bool,
}

impl MadeState {
    fn new(out: &Path) -> MadeState {
        MadeState {
            out: out.to_path_buf(),
            out_made: std::fs::symlink_metadata(out).is_err(),
            armed: std::fs::symlink_metadata(out.join(write::STATE_DIR)).is_err(),
        }
    }
}

impl Drop for MadeState {
    fn drop(&mut self) {
        if self.armed {
            let _ = write::remove_if_exists(&self.out.join(write::STATE_DIR));
            if self.out_made {
                let _ = std::fs::remove_dir(&self.out);
            }
        }
    }
}

/// Refuses an OUT that overlaps what the build reads (herald replaces what it wrote in
/// OUT, so the plans must not be there, nor OUT among the plans), and an `OUT/wiki` or
/// `OUT/site` that is not a folder.
fn check_layout(opts: &BuildOptions) -> Result<(), BuildError> {
    let out = resolve(&opts.out).map_err(read_error(&opts.out))?;
    let plans = resolve(&opts.dir).map_err(read_error(&opts.dir))?;
    let shown = crate::diag::show_path;
    let choose = "herald replaces its own files in OUT, so OUT and what the build reads must not overlap: choose another --out (the default is public/)";
    if out.starts_with(&plans) {
        return Err(BuildError::Layout(format!(
            "the output folder {} is inside the plans folder {}; {choose}",
            shown(&opts.out),
            shown(&opts.dir)
        )));
    }
    let book_root = crate::site::book_root(&opts.dir);
    let inputs = [
        ("the plans folder", opts.dir.clone()),
        (
            "the templates folder",
            crate::load::templates::user_templates_dir(&opts.dir),
        ),
        ("book.toml", book_root.join("book.toml")),
        ("the theme folder", book_root.join("theme")),
    ];
    for (what, path) in inputs {
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        if resolve(&path).is_ok_and(|p| p.starts_with(&out)) {
            return Err(BuildError::Layout(format!(
                "{what} {} is inside the output folder {}; {choose}",
                shown(&path),
                shown(&opts.out)
            )));
        }
    }
    for name in ["wiki", "site"] {
        let path = opts.out.join(name);
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && !meta.is_dir()
        {
            let what = if meta.is_symlink() {
                "a link"
            } else {
                "a file"
            };
            return Err(BuildError::Layout(format!(
                "{} is {what}, not a folder; herald writes its {name} there: move it away or choose another --out",
                shown(&path)
            )));
        }
    }
    Ok(())
}

/// A path made absolute with links resolved, also when its last parts do not exist yet.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        match std::fs::canonicalize(existing) {
            Ok(real) => return Ok(rest.iter().rev().fold(real, |p, c| p.join(c))),
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent;
                }
                _ => return Ok(absolute),
            },
        }
    }
}

/// Stops before anything is written when herald would write over a file it did not write,
/// or when a first build's folder is full of files that are not herald's.
fn refuse_foreign(
    root: &Path,
    survey: &Survey,
    first_build: bool,
    keep_foreign: bool,
) -> Result<(), BuildError> {
    let list = |paths: &mut dyn Iterator<Item = &String>| {
        let paths: Vec<String> = paths
            .map(|p| crate::diag::escape_text(p).into_owned())
            .collect();
        let mut text = paths.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        if paths.len() > 3 {
            text.push_str(&format!(" and {} more", paths.len() - 3));
        }
        text
    };
    let root_shown = crate::diag::show_path(root);
    if !survey.conflicts.is_empty() {
        return Err(BuildError::Foreign(format!(
            "{root_shown} holds files herald did not write where it would write now ({}); herald never overwrites them: move them away, then build again; nothing was written",
            list(&mut survey.conflicts.iter())
        )));
    }
    if first_build && !keep_foreign && survey.visible_foreign().next().is_some() {
        return Err(BuildError::Foreign(format!(
            "{root_shown} holds files herald did not write ({}); herald builds into a folder it made or an empty one: choose another --out, or pass --keep-foreign to keep them beside herald's files (never overwritten); nothing was written",
            list(&mut survey.visible_foreign())
        )));
    }
    Ok(())
}

/// A release's version, what it is made from and wrote, whether it was rendered again
/// (else its files stay as they are), and how each of its files was staged.
type ReleaseOutcome = (String, ReleaseEntry, bool, Vec<Put>, RenderTimes);

/// The output folder of a build: its two trees, what the last build recorded, and the lock.
struct Output {
    out: PathBuf,
    wiki: Layout,
    site: Layout,
    previous: Manifest,
    lock: Option<OutLock>,
}

impl Output {
    /// Checks the layout; if herald's folder is there, locks it and puts back a tree a crash
    /// moved aside (renames only: nothing is deleted before the plans are known good).
    fn open(opts: &BuildOptions) -> Result<Output, BuildError> {
        check_layout(opts)?;
        let mut output = Output {
            out: opts.out.clone(),
            wiki: Layout::new(&opts.out, "wiki"),
            site: Layout::new(&opts.out, "site"),
            previous: Manifest::default(),
            lock: None,
        };
        if opts.out.join(write::STATE_DIR).is_dir() {
            output.lock = Some(OutLock::acquire(&opts.out)?);
            output.recover()?;
        }
        output.previous = Manifest::read(&opts.out);
        Ok(output)
    }

    fn recover(&self) -> Result<(), BuildError> {
        for layout in [&self.wiki, &self.site] {
            layout.recover().map_err(write_error(&layout.root))?;
        }
        Ok(())
    }

    fn discard_leftovers(&self) -> Result<(), BuildError> {
        for layout in [&self.wiki, &self.site] {
            layout
                .discard_leftovers()
                .map_err(write_error(&layout.new))?;
        }
        Ok(())
    }

    /// Whether the last build was made from exactly these inputs and its output is intact.
    fn up_to_date(&self, keys: &Keys) -> bool {
        let site_ok = !keys.site || self.previous.site_intact(&self.site.root);
        self.previous.build_key == keys.build()
            && site_ok
            && self.previous.wiki_intact(&self.wiki.root)
    }

    /// Locks OUT for writing (making herald's folder if this is the first build) and clears
    /// what an interrupted build left. A first build's folder is taken away again by the
    /// returned guard if the build stops before swapping anything in.
    fn prepare_to_write(&mut self) -> Result<MadeState, BuildError> {
        let mut made = MadeState::new(&self.out);
        if self.lock.is_none() {
            self.lock = Some(OutLock::acquire(&self.out)?);
            if Manifest::path(&self.out).exists() {
                made.armed = false;
                return Err(BuildError::Layout(format!(
                    "another herald build wrote into {} while this one ran; build again",
                    crate::diag::show_path(&self.out)
                )));
            }
        }
        self.recover()?;
        self.discard_leftovers()?;
        Ok(made)
    }

    fn write_manifest(&self, manifest: &Manifest) -> Result<(), BuildError> {
        manifest
            .write(&self.out)
            .map_err(write_error(&Manifest::path(&self.out)))
    }
}

/// The fingerprints of everything the build reads, with the options.
fn read_keys(opts: &BuildOptions) -> Result<Keys<'_>, BuildError> {
    let plans = keys::fingerprint_plans(&opts.dir).map_err(read_error(&opts.dir))?;
    let templates_dir = crate::load::templates::user_templates_dir(&opts.dir);
    let mut templates = keys::Fingerprint::default();
    keys::fingerprint_tree(&mut templates, &templates_dir).map_err(read_error(&templates_dir))?;
    let site_inputs = if opts.site {
        crate::site::inputs_fingerprint(&opts.dir).map_err(BuildError::Site)?
    } else {
        String::new()
    };
    Ok(Keys {
        today: opts.today.to_string(),
        site_url: opts.site_url.as_deref().unwrap_or(""),
        site: opts.site,
        templates: templates.hex(),
        site_inputs,
        plans,
        history: crate::history::last_commit(&opts.dir),
    })
}

/// The wiki rendered into its stage: each release that changed rendered again, the others'
/// files linked as they are.
struct RenderedWiki {
    puts: Vec<Put>,
    releases: BTreeMap<String, ReleaseEntry>,
    rendered: usize,
}

/// The first half of a wiki in its stage: every page, picture and drafts file (what the
/// site's book is made from), and the releases whose workbooks and feeds are still to come.
struct RenderedPages {
    wiki: RenderedWiki,
    /// Indexes into the Timeline's releases rendered again.
    pending: Vec<usize>,
}

/// Stages every file of `files`, each as it is made, so the build holds a release's files
/// at a time, not the organisation's.
fn put_all(staging: &tree::Stage, wiki: &Layout, files: Files) -> Result<Vec<Put>, BuildError> {
    files
        .iter()
        .map(|(path, bytes)| staging.put(&write::rel_string(path), bytes))
        .collect::<std::io::Result<_>>()
        .map_err(write_error(&wiki.new))
}

/// Stages the pages of each release that changed (and keeps every file of those that did
/// not), and the files about all releases.
fn render_pages(
    ctx: &Context,
    keys: &Keys,
    opts: &BuildOptions,
    output: &Output,
    staging: &tree::Stage,
    times: &mut RenderTimes,
) -> Result<RenderedPages, BuildError> {
    let (wiki, previous) = (&output.wiki, &output.previous);
    let outcomes: Vec<Result<ReleaseOutcome, BuildError>> = ctx
        .timeline
        .releases
        .par_iter()
        .map(|release| {
            let key = keys.release(
                &opts.dir,
                &release.release.file,
                &release.today.to_string(),
                &ctx.timeline.history.release_key(&release.version),
            );
            if let Some(known) = previous.releases.get(&release.version)
                && known.key == key
                && known
                    .files
                    .iter()
                    .all(|f| previous.known_hash(&wiki.root, f).is_some())
            {
                let puts = known
                    .files
                    .iter()
                    .map(|f| staging.keep(f))
                    .collect::<std::io::Result<_>>()
                    .map_err(write_error(&wiki.new))?;
                return Ok((
                    release.version.clone(),
                    known.clone(),
                    false,
                    puts,
                    RenderTimes::default(),
                ));
            }
            let (files, times) = render::render_release_pages(ctx, release)?;
            let puts = put_all(staging, wiki, files)?;
            let entry = ReleaseEntry {
                key,
                files: puts.iter().map(|p| p.path.clone()).collect(),
            };
            Ok((release.version.clone(), entry, true, puts, times))
        })
        .collect();
    let mut out = RenderedPages {
        wiki: RenderedWiki {
            puts: Vec::new(),
            releases: BTreeMap::new(),
            rendered: 0,
        },
        pending: Vec::new(),
    };
    for (index, outcome) in outcomes.into_iter().enumerate() {
        let (version, entry, was_rendered, release_puts, release_times) = outcome?;
        if was_rendered {
            out.wiki.rendered += 1;
            out.pending.push(index);
        }
        out.wiki.puts.extend(release_puts);
        times.add(release_times);
        out.wiki.releases.insert(version, entry);
    }
    let (shared, shared_times) = render::render_shared(ctx)?;
    times.add(shared_times);
    out.wiki.puts.extend(put_all(staging, wiki, shared)?);
    Ok(out)
}

/// A release (its index in the Timeline), how its downloads were staged, and their cost.
type DownloadsOutcome = (usize, Vec<Put>, RenderTimes);

/// Stages the workbooks and feeds of the releases [`render_pages`] rendered again.
fn render_downloads(
    ctx: &Context,
    output: &Output,
    staging: &tree::Stage,
    pages: RenderedPages,
    times: &mut RenderTimes,
) -> Result<RenderedWiki, BuildError> {
    let releases = &ctx.timeline.releases;
    let outcomes: Vec<Result<DownloadsOutcome, BuildError>> = pages
        .pending
        .par_iter()
        .map(|&index| {
            let (files, times) = render::render_release_downloads(ctx, &releases[index])?;
            Ok((index, put_all(staging, &output.wiki, files)?, times))
        })
        .collect();
    let mut wiki = pages.wiki;
    for outcome in outcomes {
        let (index, puts, release_times) = outcome?;
        times.add(release_times);
        if let Some(entry) = wiki.releases.get_mut(&releases[index].version) {
            entry.files.extend(puts.iter().map(|p| p.path.clone()));
            // In the order of the paths, as one renderer's files are listed.
            entry
                .files
                .sort_by_cached_key(|f| PathBuf::from(f.as_str()));
        }
        wiki.puts.extend(puts);
    }
    Ok(wiki)
}

/// Sorts out what else is in `OUT/wiki` (the user's files stay, and none is ever written
/// over), then finishes the stage and carries the user's files into it.
fn finish_wiki(
    output: &Output,
    staging: tree::Stage,
    puts: Vec<Put>,
    keep_foreign: bool,
) -> Result<Staged, BuildError> {
    let wiki = &output.wiki;
    let wanted: BTreeSet<String> = puts.iter().map(|p| p.path.clone()).collect();
    let adopted: BTreeSet<&str> = puts
        .iter()
        .filter(|p| p.adopted)
        .map(|p| p.path.as_str())
        .collect();
    let survey = tree::survey(&wiki.root, &output.previous.files, &wanted, |rel| {
        adopted.contains(rel)
    })
    .map_err(read_error(&wiki.root))?;
    let first = output.previous.files.is_empty();
    if let Err(e) = refuse_foreign(&wiki.root, &survey, first, keep_foreign) {
        let _ = write::remove_if_exists(&wiki.new);
        return Err(e);
    }
    drop(adopted);
    let staged = staging
        .finish(puts, survey.removed)
        .map_err(write_error(&wiki.new))?;
    if staged.changed {
        tree::carry_foreign(&wiki.root, &wiki.new, &survey.foreign)
            .map_err(write_error(&wiki.new))?;
    }
    Ok(staged)
}

/// Builds the site from the staged wiki (or the published one, if it did not change) into
/// its own stage, with the user's files of `OUT/site` carried in; returns what herald wrote.
/// `book` is the book already rendered from the staged pages, if it was.
fn stage_site(
    opts: &BuildOptions,
    output: &Output,
    staged_wiki: &Staged,
    book: Option<Result<crate::site::RenderedBook, String>>,
    options: &SiteOptions,
) -> Result<BTreeMap<String, FileEntry>, BuildError> {
    let (wiki, site) = (&output.wiki, &output.site);
    let source = if staged_wiki.changed {
        &wiki.new
    } else {
        &wiki.root
    };
    let names: Vec<&str> = staged_wiki.entries.keys().map(String::as_str).collect();
    match book {
        Some(book) => book.and_then(|book| book.finish(source, &names, site)),
        None => crate::site::stage_site(source, &names, site, &opts.dir, options),
    }
    .map_err(BuildError::Site)?;
    let site_files = crate::write::manifest::stat_tree(&site.new).map_err(read_error(&site.new))?;
    let wanted: BTreeSet<String> = site_files.keys().cloned().collect();
    let survey = tree::survey(&site.root, &output.previous.site_files, &wanted, |rel| {
        std::fs::read(site.new.join(rel))
            .is_ok_and(|bytes| same_file_bytes(&site.root.join(rel), &bytes))
    })
    .map_err(read_error(&site.root))?;
    let first = output.previous.site_files.is_empty();
    if let Err(e) = refuse_foreign(&site.root, &survey, first, opts.keep_foreign) {
        let _ = write::remove_if_exists(&site.new);
        return Err(e);
    }
    tree::carry_foreign(&site.root, &site.new, &survey.foreign).map_err(write_error(&site.new))?;
    Ok(site_files)
}

/// The MagicBoxes left out of the site's search index: those of releases settled more than
/// [`SEARCHED_DAYS_AFTER_SETTLED`](crate::policy::SEARCHED_DAYS_AFTER_SETTLED) days before
/// `today`.
fn unsearched_pages(timeline: &crate::plan::Timeline, today: Date) -> Vec<String> {
    let days = jiff::Span::new().days(crate::policy::SEARCHED_DAYS_AFTER_SETTLED);
    timeline
        .releases
        .iter()
        .filter(|r| crate::plan::settled_on(r.release).saturating_add(days) < today)
        .map(|r| render::paths::magicbox(&r.version.to_string()))
        .collect()
}

/// Checks, plans, renders what changed since the last build, stages `OUT/wiki` and (if
/// anything it is made from changed) `OUT/site`, and swaps both in. One build at a time
/// writes into an OUT; herald's files are replaced, everything else there is kept.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut timings = Timings::default();
    if !opts.dir.is_dir() {
        return Err(LoadError::Missing(opts.dir.display().to_string()).into());
    }
    let mut output = Output::open(opts)?;

    // What the build reads: when none of it changed and the output is intact, it is done.
    let stage = Instant::now();
    let mut keys = read_keys(opts)?;
    timings.fingerprint = stage.elapsed();
    if output.up_to_date(&keys) {
        output.discard_leftovers()?;
        let previous = &output.previous;
        return Ok(BuildReport {
            releases: previous.releases_built,
            rendered: 0,
            files: previous.files.len(),
            wiki: WriteStats {
                unchanged: previous.files.len(),
                ..WriteStats::default()
            },
            site_built: false,
            up_to_date: true,
            warnings: previous.warnings,
            notes: Vec::new(),
            timings,
            elapsed: started.elapsed(),
        });
    }

    // The trees of the plans as the last build parsed them: only changed files are parsed.
    let stage = Instant::now();
    let cache_file = ParseCache::path(&opts.out.join(write::STATE_DIR));
    let cache_bytes = ParseCache::read_bytes(&cache_file);
    let cache = ParseCache::new(&cache_bytes, cache_file.clone());
    let mut loaded = crate::load::load_cached(&opts.dir, &cache)?;
    timings.parse = stage.elapsed();
    let stage = Instant::now();
    let checked = {
        let mut diags = std::mem::take(&mut loaded.diags);
        let (plans, found) = crate::check::check(loaded, opts.today);
        diags.extend(found);
        diags.finish();
        Checked { plans, diags }
    };
    timings.check = stage.elapsed();
    if checked.diags.has_errors() {
        return Err(BuildError::Plans(Box::new(checked)));
    }
    let mut made = output.prepare_to_write()?;
    let stage = Instant::now();
    cache
        .save(&checked.plans.sources)
        .map_err(write_error(&cache_file))?;
    drop(cache_bytes);
    timings.parse += stage.elapsed();
    // Keys come from the text that was parsed, so an edit while the build runs cannot be
    // recorded under the key of the text before it.
    for (path, hash) in &mut keys.plans {
        let parsed = checked.plans.sources.get(path).unwrap_or("");
        *hash = keys::Fingerprint::of(parsed.as_bytes());
    }
    let stage = Instant::now();
    let templates = Templates::new(
        &crate::load::templates::read_beside(&opts.dir).map_err(render::TemplateError::from)?,
    )?;
    let timeline = crate::plan::plan(&checked.plans, opts.today);
    let history = crate::history::milestone_log(&opts.dir, &timeline, opts.today);
    let notes: Vec<String> = history.note.iter().cloned().collect();
    let timeline = timeline.with_history(history);
    let unsearched = unsearched_pages(&timeline, opts.today);
    let site_options = SiteOptions {
        url: opts.site_url.as_deref(),
        allowed_commands: &opts.allowed_commands,
        unsearched: &unsearched,
    };
    let ctx = Context::new(&timeline, &checked.plans, &templates, opts.site_url.clone());
    timings.plan = stage.elapsed();

    let stage = Instant::now();
    let staging = tree::Stage::open(&output.wiki, &output.previous.files)
        .map_err(write_error(&output.wiki.new))?;
    let pages = render_pages(
        &ctx,
        &keys,
        opts,
        &output,
        &staging,
        &mut timings.render_cpu,
    )?;
    // The book needs the pages, not the workbooks: when a page changed (so the site almost
    // surely does), mdBook renders on one thread while the workbooks and feeds are made on
    // the others. Should the site turn out unchanged, the book is dropped; should it change
    // although no page did (a workbook, a feed, book.toml), it is rendered after them.
    let page_changed = pages
        .wiki
        .puts
        .iter()
        .any(|put| put.written && put.path.ends_with(".md"));
    let speculative = opts.site
        && !pages.pending.is_empty()
        && (page_changed || output.previous.site_key.is_none());
    if speculative {
        let names: Vec<&str> = pages.wiki.puts.iter().map(|p| p.path.as_str()).collect();
        crate::site::link_book_pages(&output.wiki.new, &names, &output.site)
            .map_err(BuildError::Site)?;
    }
    let (wiki_done, book) = std::thread::scope(|scope| {
        let book = speculative.then(|| {
            scope.spawn(|| {
                let started = Instant::now();
                let book = crate::site::render_book(&output.site, &opts.dir, &site_options);
                (book, started.elapsed())
            })
        });
        let wiki_done = (|| {
            let rendered =
                render_downloads(&ctx, &output, &staging, pages, &mut timings.render_cpu)?;
            timings.render = stage.elapsed();
            let stage = Instant::now();
            let staged = finish_wiki(&output, staging, rendered.puts, opts.keep_foreign)?;
            timings.write = stage.elapsed();
            Ok::<_, BuildError>((rendered.releases, rendered.rendered, staged))
        })();
        let book = book.map(|job| {
            job.join()
                .unwrap_or_else(|_| (Err("mdBook stopped".to_owned()), Duration::ZERO))
        });
        (wiki_done, book)
    });
    let book = book.map(|(book, took)| {
        timings.site = took;
        book
    });
    let (releases, rendered, staged) = match wiki_done {
        Ok(done) => done,
        Err(e) => {
            if let Some(Ok(book)) = book {
                let _ = book.discard();
            }
            return Err(e);
        }
    };

    let stage = Instant::now();
    let releases_built = timeline.releases.len();
    let warnings = checked.diags.warnings();
    // mdBook holds the whole book in memory: let go of the plans first.
    drop(timeline);
    drop(templates);
    drop(checked);
    // Until the new trees are in, the record is of every file herald may have there and of
    // no build, so an interrupted build never looks up to date and never forgets a file.
    let mut interim = Manifest {
        files: output.previous.files.clone(),
        site_files: output.previous.site_files.clone(),
        ..Manifest::default()
    };
    for path in staged.entries.keys() {
        interim.files.entry(path.clone()).or_default();
    }
    output.write_manifest(&interim)?;
    timings.write += stage.elapsed();

    // The site is built from the staged wiki before either is swapped in, so a broken
    // theme or book.toml leaves both as they were.
    let stage = Instant::now();
    let site_key = opts.site.then(|| keys.site(&staged.entries, &unsearched));
    let site_changed = site_key.as_ref().is_some_and(|key| {
        output.previous.site_key.as_ref() != Some(key)
            || !output.previous.site_intact(&output.site.root)
    });
    let site_files = if site_changed {
        let files = stage_site(opts, &output, &staged, book, &site_options)?;
        interim.site_files.extend(files.clone());
        output.write_manifest(&interim)?;
        files
    } else {
        if let Some(Ok(book)) = book {
            book.discard().map_err(BuildError::Site)?;
        }
        if opts.site {
            output.previous.site_files.clone()
        } else {
            BTreeMap::new()
        }
    };
    made.armed = false;
    if staged.changed {
        output.wiki.swap().map_err(write_error(&output.wiki.root))?;
    }
    if site_changed {
        output.site.swap().map_err(write_error(&output.site.root))?;
    }
    let (wiki_stats, entries) = staged
        .finish(&output.wiki.root, &output.previous.files)
        .map_err(read_error(&output.wiki.root))?;
    let manifest = Manifest {
        build_key: keys.build(),
        releases_built,
        warnings,
        releases,
        files: entries,
        site_key,
        site_files,
        ..Manifest::default()
    };
    output.write_manifest(&manifest)?;
    timings.site += stage.elapsed();

    Ok(BuildReport {
        releases: manifest.releases_built,
        rendered,
        files: manifest.files.len(),
        wiki: wiki_stats,
        site_built: site_changed,
        up_to_date: false,
        warnings: manifest.warnings,
        notes,
        timings,
        elapsed: started.elapsed(),
    })
}

/// Whether `path` is a regular file holding exactly `bytes` (links and special files are not).
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|b| b == bytes)
}
