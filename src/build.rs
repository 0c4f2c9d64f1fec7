//! `herald build`: check, plan, render every artifact, write the wiki atomically, build the site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use crate::render::{self, Context, Templates};
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
    pub files: usize,
    pub bytes: usize,
    pub wiki: WriteStats,
    /// Whether the site was rebuilt (it is not when the wiki did not change).
    pub site_built: bool,
    pub warnings: usize,
    pub elapsed: Duration,
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

pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let checked = crate::check(&opts.dir, opts.today, false)?;
    if checked.diags.has_errors() {
        return Err(BuildError::Plans(Box::new(checked)));
    }
    let templates = Templates::load(Some(&user_templates_dir(&opts.dir)))?;
    let timeline = crate::plan::plan(&checked.plans, opts.today);
    let ctx = Context {
        timeline: &timeline,
        plans: &checked.plans,
        templates: &templates,
        site_url: opts.site_url.clone(),
    };
    let files = render::render_all(&ctx)?;
    let wiki_dir = opts.out.join("wiki");
    let wiki = write::write_tree(&wiki_dir, &files).map_err(|source| BuildError::Write {
        path: wiki_dir.clone(),
        source,
    })?;
    let site_dir = opts.out.join("site");
    let site_built =
        opts.site && (wiki.changed() || !render::site::is_current(&wiki_dir, &site_dir, &opts.dir));
    if site_built {
        render::site::build_site(&wiki_dir, &site_dir, &opts.dir).map_err(BuildError::Site)?;
    }
    Ok(BuildReport {
        releases: timeline.releases.len(),
        files: files.len(),
        bytes: files.total_bytes(),
        wiki,
        site_built,
        warnings: checked.diags.warnings(),
        elapsed: started.elapsed(),
    })
}
