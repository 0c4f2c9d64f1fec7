//! `herald build`: check, plan, render what changed, write the wiki atomically, build the site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::cache::{self, Fingerprint, Manifest, ReleaseEntry};
use crate::render::{self, Context, Files, RenderTimes, Templates};
use crate::write::{self, WriteStats};
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

/// A release's version, what it is made from and wrote, and its new files if it was
/// rendered again (`None`: unchanged, its files stay).
type ReleaseOutcome = (String, ReleaseEntry, Option<Files>, RenderTimes);

/// Checks, plans, renders what changed since the last build, writes `OUT/wiki` atomically
/// and rebuilds `OUT/site` if anything it is made from changed.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut timings = Timings::default();
    if !opts.dir.is_dir() {
        return Err(LoadError::Missing(opts.dir.display().to_string()).into());
    }
    let wiki_dir = opts.out.join("wiki");
    let site_dir = opts.out.join("site");
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
    cache::remove_leftovers(&opts.out);
    let site_ok = !opts.site || previous.site_intact(&site_dir);
    if previous.build_key == build_key(&plan_files) && site_ok && previous.wiki_intact(&wiki_dir) {
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
                return Ok((
                    release.version.clone(),
                    known.clone(),
                    None,
                    RenderTimes::default(),
                ));
            }
            let (files, times) = render::render_release(&ctx, release)?;
            let entry = ReleaseEntry {
                key,
                files: files
                    .iter()
                    .map(|(p, _)| p.to_string_lossy().into_owned())
                    .collect(),
            };
            Ok((release.version.clone(), entry, Some(files), times))
        })
        .collect();
    let mut files = Files::default();
    let mut carried = Vec::new();
    let mut releases = BTreeMap::new();
    let mut rendered = 0;
    for outcome in outcomes {
        let (version, entry, new_files, times) = outcome?;
        match new_files {
            Some(f) => {
                rendered += 1;
                files.extend(f);
            }
            None => carried.extend(entry.files.iter().cloned()),
        }
        timings.render_cpu.add(times);
        releases.insert(version, entry);
    }
    let (shared, times) = render::render_shared(&ctx)?;
    timings.render_cpu.add(times);
    files.extend(shared);
    timings.render = stage.elapsed();

    // The manifest goes first, so an interrupted build can never look up to date.
    let stage = Instant::now();
    let manifest_path = Manifest::path(&opts.out);
    match std::fs::remove_file(&manifest_path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(write_error(&manifest_path)(e));
        }
        _ => {}
    }
    let (wiki, entries) = write::write_tree_incremental(&wiki_dir, &files, &carried, &previous)
        .map_err(write_error(&wiki_dir))?;
    let mut manifest = Manifest {
        build_key,
        releases_built: timeline.releases.len(),
        warnings: checked.diags.warnings(),
        releases,
        files: entries,
        site_key: None,
        ..Manifest::default()
    };
    timings.write = stage.elapsed();
    // mdBook holds the whole book in memory: let go of the plans and the rendered files first.
    drop(files);
    drop(timeline);
    drop(templates);
    drop(checked);

    let stage = Instant::now();
    let mut site_built = false;
    if opts.site {
        let mut site_fp = Fingerprint::default();
        site_fp.text(cache::HERALD_ID).text(&site_inputs);
        for (path, entry) in &manifest.files {
            site_fp.text(path).text(&entry.hash);
        }
        let site_key = site_fp.hex();
        if previous.site_key.as_deref() != Some(site_key.as_str())
            || !previous.site_intact(&site_dir)
        {
            manifest
                .write(&opts.out)
                .map_err(write_error(&manifest_path))?;
            render::site::build_site(&wiki_dir, &site_dir, &opts.dir).map_err(BuildError::Site)?;
            site_built = true;
            manifest.site_files = cache::stat_tree(&site_dir).map_err(read_error(&site_dir))?;
        } else {
            manifest.site_files = previous.site_files.clone();
        }
        manifest.site_key = Some(site_key);
    }
    manifest
        .write(&opts.out)
        .map_err(write_error(&manifest_path))?;
    timings.site = stage.elapsed();

    Ok(BuildReport {
        releases: manifest.releases_built,
        rendered,
        files: manifest.files.len(),
        wiki,
        site_built,
        up_to_date: false,
        warnings: manifest.warnings,
        timings,
        elapsed: started.elapsed(),
    })
}
