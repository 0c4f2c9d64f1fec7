//! Tera 2 templates: defaults embedded in the binary under `__herald/`, and a user's
//! `templates/` folder (beside the plans folder) overriding them file by file.

use std::path::{Path, PathBuf};

use tera::Tera;

/// Prefix of the embedded defaults; a user's template of the same name wins.
pub const DEFAULT_PREFIX: &str = "__herald/";

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// Tera's report already names the template, line and column, with the source.
    #[error("template error: {0}")]
    Tera(String),
    #[error("cannot read template `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<tera::Error> for TemplateError {
    fn from(e: tera::Error) -> Self {
        TemplateError::Tera(e.to_string())
    }
}

pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// The embedded defaults plus the `.md`, `.html`, `.txt` and `.svg` files under `user_dir`
    /// (if it exists), named by their path relative to it.
    pub fn load(user_dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([DEFAULT_PREFIX])?;
        tera.autoescape_on([".html", ".svg", ".xml"]);
        super::markdown::register(&mut tera);
        super::slack::register(&mut tera);
        let defaults = super::wiki::TEMPLATES
            .iter()
            .chain(super::slack::TEMPLATES)
            .map(|(name, src)| (format!("{DEFAULT_PREFIX}{name}"), *src));
        tera.add_raw_templates(defaults)?;
        if let Some(dir) = user_dir.filter(|d| d.is_dir()) {
            let mut user = Vec::new();
            collect(dir, dir, &mut user)?;
            tera.add_raw_templates(user)?;
        }
        Ok(Templates { tera })
    }

    /// The embedded defaults only.
    pub fn defaults() -> Result<Templates, TemplateError> {
        Templates::load(None)
    }

    pub fn render(&self, name: &str, ctx: &impl serde::Serialize) -> Result<String, TemplateError> {
        let ctx = tera::Context::from_serialize(ctx)?;
        Ok(self.tera.render(name, &ctx)?)
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), TemplateError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TemplateError::Io { path, source }
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out)?;
            continue;
        }
        let is_template = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "md" | "html" | "txt" | "svg" | "json"));
        if !is_template {
            continue;
        }
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        out.push((name, text));
    }
    Ok(())
}
