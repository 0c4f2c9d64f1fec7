//! `herald build`: check, plan, render what changed, write the wiki atomically, build the site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::cache::{self, Fingerprint, Manifest, ReleaseEntry};
use crate::render::{self, Context, Files, RenderTimes, Templates};
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
    pub timings: Timings,
    pub elapsed: Duration,
}

/// Where the time went: wall time per stage, and CPU time per artifact while rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub fingerprint: Duration,
    pub check: Duration,
    pub plan: Duration,
    pub render: Duration,
    pub render_cpu: render::RenderTimes,
    pub write: Duration,
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

/// Where a user's templates live: `templates/` beside the plans folder.
pub fn user_templates_dir(plans_dir: &Path) -> PathBuf {
    match plans_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("templates"),
        _ => PathBuf::from("templates"),
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
    let book_root = render::site::book_root(&opts.dir);
    let inputs = [
        ("the plans folder", opts.dir.clone()),
        ("the templates folder", user_templates_dir(&opts.dir)),
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
    survey: &write::Survey,
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

/// Whether `path` is a regular file holding exactly `bytes` (links and special files are not).
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|b| b == bytes)
}

/// A release's version, what it is made from and wrote, whether it was rendered again
/// (else its files stay as they are), and how each of its files was staged.
type ReleaseOutcome = (String, ReleaseEntry, bool, Vec<write::Put>, RenderTimes);

/// Checks, plans, renders what changed since the last build, stages `OUT/wiki` and (if
/// anything it is made from changed) `OUT/site`, and swaps both in. One build at a time
/// writes into an OUT; herald's files are replaced, everything else there is kept.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut timings = Timings::default();
    if !opts.dir.is_dir() {
        return Err(LoadError::Missing(opts.dir.display().to_string()).into());
    }
    check_layout(opts)?;
    let wiki = Layout::new(&opts.out, "wiki");
    let site = Layout::new(&opts.out, "site");
    // A crash may have left a tree moved aside: put it back first, whatever this build
    // does next (renames only; nothing is deleted before the plans are known to be good).
    let mut lock = None;
    if opts.out.join(write::STATE_DIR).is_dir() {
        lock = Some(OutLock::acquire(&opts.out)?);
        for layout in [&wiki, &site] {
            layout.recover().map_err(write_error(&layout.root))?;
        }
    }
    let wiki_dir = wiki.root.clone();
    let site_dir = site.root.clone();
    let previous = Manifest::read(&opts.out);

    // What the build reads: when none of it changed and the output is intact, it is done.
    let stage = Instant::now();
    let plan_files = cache::fingerprint_plans(&opts.dir).map_err(read_error(&opts.dir))?;
    let templates_dir = user_templates_dir(&opts.dir);
    let mut templates_fp = Fingerprint::default();
    cache::fingerprint_tree(&mut templates_fp, &templates_dir)
        .map_err(read_error(&templates_dir))?;
    let site_inputs = if opts.site {
        render::site::inputs_fingerprint(&opts.dir).map_err(BuildError::Site)?
    } else {
        String::new()
    };
    let build_key = |plan_files: &BTreeMap<PathBuf, String>| {
        let mut fp = Fingerprint::default();
        fp.text(cache::HERALD_ID)
            .text(&opts.today.to_string())
            .text(opts.site_url.as_deref().unwrap_or(""))
            .text(&templates_fp.hex())
            .text(&site_inputs)
            .text(if opts.site { "site" } else { "no site" });
        for (path, hash) in plan_files {
            fp.text(&path.to_string_lossy()).text(hash);
        }
        fp.hex()
    };
    timings.fingerprint = stage.elapsed();
    let site_ok = !opts.site || previous.site_intact(&site_dir);
    if previous.build_key == build_key(&plan_files) && site_ok && previous.wiki_intact(&wiki_dir) {
        for layout in [&wiki, &site] {
            layout
                .discard_leftovers()
                .map_err(write_error(&layout.new))?;
        }
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
            timings,
            elapsed: started.elapsed(),
        });
    }

    let stage = Instant::now();
    let checked = crate::check(&opts.dir, opts.today, false)?;
    timings.check = stage.elapsed();
    if checked.diags.has_errors() {
        return Err(BuildError::Plans(Box::new(checked)));
    }
    // A first build makes OUT/.herald (and OUT); if it stops before swapping anything in,
    // it takes them away again, so a refused build leaves OUT as it found it.
    let mut made = MadeState::new(&opts.out);
    let _lock = match lock.take() {
        Some(lock) => lock,
        None => {
            let lock = OutLock::acquire(&opts.out)?;
            if Manifest::path(&opts.out).exists() {
                made.armed = false;
                return Err(BuildError::Layout(format!(
                    "another herald build wrote into {} while this one ran; build again",
                    crate::diag::show_path(&opts.out)
                )));
            }
            lock
        }
    };
    for layout in [&wiki, &site] {
        layout.recover().map_err(write_error(&layout.root))?;
        layout
            .discard_leftovers()
            .map_err(write_error(&layout.new))?;
    }
    // Keys come from the text that was parsed, so an edit while the build runs cannot be
    // recorded under the key of the text before it.
    let plan_files: BTreeMap<PathBuf, String> = plan_files
        .keys()
        .map(|path| {
            let parsed = checked.plans.sources.get(path).unwrap_or("");
            (path.clone(), Fingerprint::of(parsed.as_bytes()))
        })
        .collect();
    let build_key = build_key(&plan_files);
    let stage = Instant::now();
    let templates = Templates::load(Some(&templates_dir))?;
    let timeline = crate::plan::plan(&checked.plans, opts.today);
    let ctx = Context {
        timeline: &timeline,
        plans: &checked.plans,
        templates: &templates,
        site_url: opts.site_url.clone(),
    };
    timings.plan = stage.elapsed();

    // A release is rendered again only when something it is made from changed.
    let stage = Instant::now();
    let fingerprint_of = |path: &Path| plan_files.get(path).map_or("", String::as_str);
    let mut common = Fingerprint::default();
    common
        .text(cache::HERALD_ID)
        .text(opts.site_url.as_deref().unwrap_or(""))
        .text(&templates_fp.hex())
        .text(fingerprint_of(&opts.dir.join(crate::load::TEAMS_FILE)))
        .text(fingerprint_of(&opts.dir.join(crate::load::TESTS_FILE)));
    // Each release's files go into the staged wiki as they are rendered, so the build
    // holds a release's files at a time, not the organisation's.
    let staging = write::Stage::open(&wiki, &previous.files).map_err(write_error(&wiki.new))?;
    let put_all = |files: Files| -> Result<Vec<write::Put>, BuildError> {
        files
            .iter()
            .map(|(path, bytes)| staging.put(&write::rel_string(path), bytes))
            .collect::<std::io::Result<_>>()
            .map_err(write_error(&wiki.new))
    };
    let outcomes: Vec<Result<ReleaseOutcome, BuildError>> = timeline
        .releases
        .par_iter()
        .map(|release| {
            let mut key = common;
            key.text(fingerprint_of(&release.release.file))
                .text(&release.today.to_string());
            let key = key.hex();
            if let Some(known) = previous.releases.get(&release.version)
                && known.key == key
                && known
                    .files
                    .iter()
                    .all(|f| previous.known_hash(&wiki_dir, f).is_some())
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
            let (files, times) = render::render_release(&ctx, release)?;
            let puts = put_all(files)?;
            let entry = ReleaseEntry {
                key,
                files: puts.iter().map(|p| p.path.clone()).collect(),
            };
            Ok((release.version.clone(), entry, true, puts, times))
        })
        .collect();
    let mut puts = Vec::new();
    let mut releases = BTreeMap::new();
    let mut rendered = 0;
    for outcome in outcomes {
        let (version, entry, was_rendered, release_puts, times) = outcome?;
        rendered += usize::from(was_rendered);
        puts.extend(release_puts);
        timings.render_cpu.add(times);
        releases.insert(version, entry);
    }
    let (shared, times) = render::render_shared(&ctx)?;
    timings.render_cpu.add(times);
    puts.extend(put_all(shared)?);
    timings.render = stage.elapsed();

    // What else is in OUT/wiki: the user's files stay, and none is ever written over.
    let stage = Instant::now();
    let wanted: BTreeSet<String> = puts.iter().map(|p| p.path.clone()).collect();
    let adopted: BTreeSet<&str> = puts
        .iter()
        .filter(|p| p.adopted)
        .map(|p| p.path.as_str())
        .collect();
    let survey = write::survey(&wiki_dir, &previous.files, &wanted, |rel| {
        adopted.contains(rel)
    })
    .map_err(read_error(&wiki_dir))?;
    if let Err(e) = refuse_foreign(
        &wiki_dir,
        &survey,
        previous.files.is_empty(),
        opts.keep_foreign,
    ) {
        let _ = write::remove_if_exists(&wiki.new);
        return Err(e);
    }
    drop(adopted);
    let staged = staging
        .finish(puts, survey.removed)
        .map_err(write_error(&wiki.new))?;
    if staged.changed {
        write::carry_foreign(&wiki_dir, &wiki.new, &survey.foreign)
            .map_err(write_error(&wiki.new))?;
    }
    // Until the new tree is in, the record is of every file herald may have there and of no
    // build, so an interrupted build never looks up to date and never forgets a file.
    let mut interim = Manifest {
        files: previous.files.clone(),
        site_files: previous.site_files.clone(),
        ..Manifest::default()
    };
    for path in staged.entries.keys() {
        interim.files.entry(path.clone()).or_default();
    }
    let manifest_path = Manifest::path(&opts.out);
    interim
        .write(&opts.out)
        .map_err(write_error(&manifest_path))?;
    timings.write = stage.elapsed();
    let wiki_files: Vec<String> = staged.entries.keys().cloned().collect();
    let releases_built = timeline.releases.len();
    let warnings = checked.diags.warnings();
    // mdBook holds the whole book in memory: let go of the plans first.
    drop(timeline);
    drop(templates);
    drop(checked);

    // The site is built from the staged wiki before either is swapped in, so a broken
    // theme or book.toml leaves both as they were.
    let stage = Instant::now();
    let mut site_built = false;
    let mut site_files = BTreeMap::new();
    let mut site_key = None;
    if opts.site {
        let mut site_fp = Fingerprint::default();
        site_fp.text(cache::HERALD_ID).text(&site_inputs);
        for (path, entry) in &staged.entries {
            site_fp.text(path).text(&entry.hash);
        }
        let key = site_fp.hex();
        if previous.site_key.as_deref() != Some(key.as_str()) || !previous.site_intact(&site_dir) {
            let source = if staged.changed { &wiki.new } else { &wiki_dir };
            let names: Vec<&str> = wiki_files.iter().map(String::as_str).collect();
            render::site::stage_site(source, &names, &site, &opts.dir, &opts.allowed_commands)
                .map_err(BuildError::Site)?;
            site_files = cache::stat_tree(&site.new).map_err(read_error(&site.new))?;
            let wanted: BTreeSet<String> = site_files.keys().cloned().collect();
            let survey = write::survey(&site_dir, &previous.site_files, &wanted, |rel| {
                std::fs::read(site.new.join(rel))
                    .is_ok_and(|bytes| same_file_bytes(&site_dir.join(rel), &bytes))
            })
            .map_err(read_error(&site_dir))?;
            if let Err(e) = refuse_foreign(
                &site_dir,
                &survey,
                previous.site_files.is_empty(),
                opts.keep_foreign,
            ) {
                let _ = write::remove_if_exists(&site.new);
                return Err(e);
            }
            write::carry_foreign(&site_dir, &site.new, &survey.foreign)
                .map_err(write_error(&site.new))?;
            interim.site_files.extend(site_files.clone());
            interim
                .write(&opts.out)
                .map_err(write_error(&manifest_path))?;
            site_built = true;
        } else {
            site_files = previous.site_files.clone();
        }
        site_key = Some(key);
    }
    made.armed = false;
    if staged.changed {
        wiki.swap().map_err(write_error(&wiki_dir))?;
    }
    if site_built {
        site.swap().map_err(write_error(&site_dir))?;
    }
    let (wiki_stats, entries) = staged
        .finish(&wiki_dir, &previous.files)
        .map_err(read_error(&wiki_dir))?;
    let manifest = Manifest {
        build_key,
        releases_built,
        warnings,
        releases,
        files: entries,
        site_key,
        site_files,
        ..Manifest::default()
    };
    manifest
        .write(&opts.out)
        .map_err(write_error(&manifest_path))?;
    timings.site = stage.elapsed();

    Ok(BuildReport {
        releases: manifest.releases_built,
        rendered,
        files: manifest.files.len(),
        wiki: wiki_stats,
        site_built,
        up_to_date: false,
        warnings: manifest.warnings,
        timings,
        elapsed: started.elapsed(),
    })
}
