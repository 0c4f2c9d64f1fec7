//! The HTML site, built in-process from the wiki with mdBook, so `herald build` needs no second tool.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_driver::config::Config;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Loc};
use crate::render::paths::{self, SUMMARY};
use crate::write::Layout;
use crate::write::keys::{Fingerprint, fingerprint_tree};

/// The title of a book without a `book.toml`.
const DEFAULT_TITLE: &str = "Releases";

/// herald's additions to mdBook's theme (the MagicBox dashboard, tables on a phone, print,
/// the copy buttons), as files of the site beside mdBook's own.
pub const THEME_CSS: (&str, &str) = (
    "assets/herald.css",
    include_str!("../templates/site/herald.css"),
);
pub const THEME_JS: (&str, &str) = (
    "assets/herald.js",
    include_str!("../templates/site/herald.js"),
);

/// What herald adds to the theme's `head.hbs` (after the user's own, if any): its
/// stylesheet and script. `path_to_root` keeps them working from every page, and under the
/// 404 page's `<base href>`.
fn theme_head() -> String {
    format!(
        "\n<!-- herald -->\n<link rel=\"stylesheet\" href=\"{{{{ path_to_root }}}}{}\">\n<script defer src=\"{{{{ path_to_root }}}}{}\"></script>\n",
        THEME_CSS.0, THEME_JS.0
    )
}

/// A fingerprint of what the site's look is made from besides the wiki: `book.toml`, the
/// `theme/` folder beside it, and every file its `additional-css`/`additional-js` name.
pub fn inputs_fingerprint(plans_dir: &Path) -> Result<String, String> {
    let root = book_root(plans_dir);
    let mut fp = Fingerprint::default();
    let mut theme = root.join("theme");
    let book_toml = root.join("book.toml");
    if let Ok(bytes) = std::fs::read(&book_toml) {
        fp.bytes(&bytes);
        let cfg =
            Config::from_disk(&book_toml).map_err(|e| format!("{}: {e:#}", book_toml.display()))?;
        for key in ["output.html.additional-css", "output.html.additional-js"] {
            let files: Vec<String> = cfg.get(key).ok().flatten().unwrap_or_default();
            for file in files {
                fp.text(&file);
                fp.bytes(&std::fs::read(root.join(&file)).unwrap_or_default());
            }
        }
        // The theme folder mdBook uses: `output.html.theme`, else `theme/` beside book.toml.
        if let Some(dir) = cfg.get::<PathBuf>("output.html.theme").ok().flatten() {
            theme = root.join(dir);
        }
    }
    fingerprint_tree(&mut fp, &theme)
        .map_err(|e| format!("cannot read {}: {e}", theme.display()))?;
    Ok(fp.hex())
}

/// The folder of the `book.toml` that configures the site: beside the plans folder, where
/// `templates/` is too.
pub fn book_root(plans_dir: &Path) -> PathBuf {
    match plans_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))
}

/// The configuration: the user's `book.toml` (title, theme, HTML options) if there is one,
/// with the source, build folder and the options herald relies on set here.
fn config(
    root: &Path,
    wiki_dir: &Path,
    stage: &Path,
    site: &SiteOptions,
) -> Result<Config, String> {
    let (site_url, allowed_commands) = (site.url, site.allowed_commands);
    let book_toml = root.join("book.toml");
    let mut cfg = if book_toml.is_file() {
        Config::from_disk(&book_toml).map_err(|e| format!("{}: {e:#}", book_toml.display()))?
    } else {
        let mut cfg = Config::default();
        cfg.book.title = Some(DEFAULT_TITLE.to_owned());
        cfg
    };
    // book.toml is trusted like a Makefile, but the commands it runs must be named by the
    // one who runs herald too, so a pull request that edits book.toml cannot add one.
    let commands = book_commands(&cfg).map_err(|e| format!("{}: {e}", book_toml.display()))?;
    if let Some(c) = commands
        .iter()
        .find(|c| !allowed_commands.contains(&c.command))
    {
        return Err(format!(
            "{}: [{}] runs the command `{}`; herald runs no command from book.toml unless allowed (`--allow-book-command '{}'` or HERALD_BOOK_COMMANDS)",
            book_toml.display(),
            c.table,
            c.command,
            c.command
        ));
    }
    cfg.book.src = absolute(wiki_dir)?;
    cfg.build.build_dir = absolute(stage)?;
    // A chapter missing from the wiki is a bug to report, not a page to invent in OUT/wiki.
    cfg.build.create_missing = false;
    // Stable asset names, so an unchanged wiki gives a byte-identical site.
    cfg.set("output.html.hash-files", false)
        .map_err(|e| format!("{}: {e:#}", book_toml.display()))?;
    // The Slack drafts pages repeat what the MagicBox says; leaving them out of the search
    // index keeps results to the point, and on 200 releases cuts the index from 37 MB to
    // 8.5 MB, a second of build time and 300 MB of memory. Settings in book.toml win.
    type ChapterSettings = BTreeMap<String, BTreeMap<String, bool>>;
    let key = "output.html.search.chapter";
    let mut chapters: ChapterSettings = cfg.get(key).ok().flatten().unwrap_or_default();
    let releases = wiki_dir.join("releases");
    if let Ok(entries) = std::fs::read_dir(&releases) {
        for entry in entries.flatten() {
            let version = entry.file_name().to_string_lossy().into_owned();
            let page = paths::drafts_page(&version);
            if wiki_dir.join(&page).is_file() {
                chapters
                    .entry(page)
                    .or_insert_with(|| BTreeMap::from([("enable".to_owned(), false)]));
            }
        }
    }
    // So are the MagicBoxes of releases settled long ago (`policy::SEARCHED_DAYS_AFTER_SETTLED`).
    for page in site.unsearched {
        chapters
            .entry(page.clone())
            .or_insert_with(|| BTreeMap::from([("enable".to_owned(), false)]));
    }
    cfg.set(key, chapters)
        .map_err(|e| format!("{}: {e:#}", book_toml.display()))?;
    // The whole-book print view is one page of every release, rendered on every build, that
    // nobody prints (each MagicBox prints from its own page): off unless book.toml sets it.
    let key = "output.html.print.enable";
    if cfg.get::<bool>(key).ok().flatten().is_none() {
        cfg.set(key, false)
            .map_err(|e| format!("{}: {e:#}", book_toml.display()))?;
    }
    // The 404 page is served at any depth, so its links go through `<base href>`, which
    // mdBook takes from `site-url`: the path the site is published under (a GitHub Pages
    // project site is under `/<repository>/`). A `site-url` of book.toml's wins.
    let key = "output.html.site-url";
    let configured: Option<String> = cfg.get(key).ok().flatten();
    if let (None, Some(url)) = (configured, site_url) {
        cfg.set(key, site_path(url))
            .map_err(|e| format!("{}: {e:#}", book_toml.display()))?;
    }
    Ok(cfg)
}

/// How the site is built besides its `book.toml`.
#[derive(Debug, Clone, Copy)]
pub struct SiteOptions<'a> {
    /// Where the site is published, for the 404 page's `<base href>`.
    pub url: Option<&'a str>,
    /// The commands book.toml may run.
    pub allowed_commands: &'a [String],
    /// Pages left out of the search index (each a `.md` path of the wiki).
    pub unsearched: &'a [String],
}

/// The path of a site URL, as `<base href>` needs it: `https://org.github.io/releases` is
/// `/releases/`; a URL without a path is `/`.
pub fn site_path(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None => url,
    };
    let path = path.trim_matches('/');
    if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{path}/")
    }
}

/// The theme mdBook builds with, in herald's own folder: every file of the user's theme
/// folder (`output.html.theme`, else `theme/` beside book.toml), linked as it is, with
/// herald's stylesheet and script added to its `head.hbs`. The user's files still win:
/// their `index.hbs`, CSS and fonts are the ones used, and `additional-css` loads after
/// herald's stylesheet.
fn stage_theme(root: &Path, cfg: &mut Config, staged: &Path) -> Result<(), String> {
    let key = "output.html.theme";
    let user_theme = match cfg.get::<PathBuf>(key).ok().flatten() {
        Some(dir) => root.join(dir),
        None => root.join("theme"),
    };
    std::fs::create_dir_all(staged)
        .map_err(|e| format!("cannot create {}: {e}", staged.display()))?;
    let head = Path::new("head.hbs");
    if user_theme.is_dir() {
        link_tree(&user_theme, staged, &|rel| rel != head)?;
    }
    let mut head_text = match std::fs::read_to_string(user_theme.join(head)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(format!(
                "cannot read {}: {e}",
                user_theme.join(head).display()
            ));
        }
    };
    head_text.push_str(&theme_head());
    let head_path = staged.join(head);
    std::fs::write(&head_path, head_text)
        .map_err(|e| format!("cannot write {}: {e}", head_path.display()))?;
    cfg.set(key, staged)
        .map_err(|e| format!("cannot set {key}: {e:#}"))?;
    Ok(())
}

/// Links (or copies) every file under `from` into `to`, keeping the folders, except those
/// `keep` refuses (by their path relative to `from`).
fn link_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<(), String> {
    fn walk(
        base: &Path,
        dir: &Path,
        to: &Path,
        keep: &dyn Fn(&Path) -> bool,
    ) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            let path = entry.path();
            let rel = path.strip_prefix(base).unwrap_or(&path);
            if path.is_dir() {
                walk(base, &path, to, keep)?;
            } else if keep(rel) {
                link_or_copy(&path, &to.join(rel))?;
            }
        }
        Ok(())
    }
    walk(from, from, to, keep)
}

/// herald's theme files, written into the pages mdBook copies into the site.
fn write_theme_assets(pages: &Path) -> Result<(), String> {
    for (rel, text) in [THEME_CSS, THEME_JS] {
        let path = pages.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// What mdBook may read from the wiki: the Markdown files (of herald's own `wiki_files`,
/// never a file of the user's), hard-linked into `pages`, so that a `SUMMARY.md` template
/// may list any of them. Everything else (pictures, workbooks, calendars, payloads) is
/// linked into the site after mdBook, which would copy each file byte by byte.
fn link_pages(wiki_dir: &Path, wiki_files: &[&str], pages: &Path) -> Result<(), String> {
    for rel in wiki_files {
        if rel.ends_with(".md") {
            link_or_copy(&wiki_dir.join(rel), &pages.join(rel))?;
        }
    }
    Ok(())
}

/// A hard link where the file system allows one (no bytes copied), else a copy.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Links into the built site, byte for byte, every wiki file of herald's that is neither a
/// chapter nor already there: mdBook is given only the Markdown files (see [`link_pages`])
/// and copies none of them, so the pictures and every download, Markdown ones such as the
/// Slack drafts (`releases/<v>/slack/<id>.md`) included, come from here. `SUMMARY.md` stays
/// out, being the book's structure, not a page or a download.
fn copy_downloads(
    chapters: &BTreeSet<PathBuf>,
    wiki_dir: &Path,
    wiki_files: &[&str],
    html: &Path,
) -> Result<(), String> {
    for rel in wiki_files {
        let target = html.join(rel);
        if *rel == SUMMARY || chapters.contains(Path::new(rel)) || target.exists() {
            continue;
        }
        link_or_copy(&wiki_dir.join(rel), &target)?;
    }
    Ok(())
}

/// A book mdBook rendered into `OUT/.herald/site.build`, waiting for the downloads.
pub struct RenderedBook {
    build: PathBuf,
    html: PathBuf,
    chapters: BTreeSet<PathBuf>,
}

/// Links the Markdown files of herald's `wiki_files` in `wiki_dir` into herald's
/// scratch folder, so the book can be rendered while the wiki's other files are still
/// being written (or after its folder is gone).
pub fn link_book_pages(wiki_dir: &Path, wiki_files: &[&str], site: &Layout) -> Result<(), String> {
    let build = site.new.with_file_name("site.build");
    let pages = site.new.with_file_name("site.pages");
    let theme = site.new.with_file_name("site.theme");
    for dir in [&site.new, &build, &pages, &theme] {
        remove_dir_if_exists(dir)?;
    }
    link_pages(wiki_dir, wiki_files, &pages)?;
    write_theme_assets(&pages)
}

/// Renders the pages [`link_book_pages`] linked, configured by the `book.toml` beside the
/// plans folder, into `OUT/.herald/site.build` (mdBook empties its build folder, so it is
/// herald's own): nothing outside herald's folder is touched.
pub fn render_book(
    site: &Layout,
    plans_dir: &Path,
    options: &SiteOptions,
) -> Result<RenderedBook, String> {
    let root = absolute(&book_root(plans_dir))?;
    let build = site.new.with_file_name("site.build");
    let pages = site.new.with_file_name("site.pages");
    let theme = absolute(&site.new.with_file_name("site.theme"))?;
    let rendered = (|| {
        let mut cfg = config(&root, &pages, &build, options)?;
        stage_theme(&root, &mut cfg, &theme)?;
        let book = MDBook::load_with_config(&root, cfg)
            .map_err(|e| format!("cannot load the book in {}: {e:#}", pages.display()))?;
        book.build().map_err(|e| format!("mdBook failed: {e:#}"))?;
        use mdbook_driver::book::BookItem;
        let chapters = book
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(ch) => ch.path.clone(),
                _ => None,
            })
            .collect();
        // With several renderers in book.toml, the HTML is in its own subfolder.
        let html = book.build_dir_for("html");
        Ok(RenderedBook {
            build: build.clone(),
            html,
            chapters,
        })
    })();
    remove_dir_if_exists(&pages)?;
    remove_dir_if_exists(&theme)?;
    if rendered.is_err() {
        remove_dir_if_exists(&build)?;
    }
    rendered
}

impl RenderedBook {
    /// Adds the downloads of herald's `wiki_files` in `wiki_dir` (the staged wiki, or the
    /// published one when it did not change) and stages the site in `site.new`, ready to be
    /// swapped in; unchanged files are links to the published ones.
    pub fn finish(self, wiki_dir: &Path, wiki_files: &[&str], site: &Layout) -> Result<(), String> {
        let staged = copy_downloads(&self.chapters, wiki_dir, wiki_files, &self.html)
            .and_then(|()| {
                crate::write::tree::link_unchanged(&self.html, &site.root)
                    .map_err(|e| format!("cannot stage the site in {}: {e}", self.html.display()))
            })
            .and_then(|()| {
                std::fs::rename(&self.html, &site.new)
                    .map_err(|e| format!("cannot stage the site in {}: {e}", site.new.display()))
            });
        let build = self.discard();
        if staged.is_err() {
            let _ = remove_dir_if_exists(&site.new);
        }
        staged.and(build)
    }

    /// Removes the rendered book (the site did not change after all, or the build stopped).
    pub fn discard(self) -> Result<(), String> {
        remove_dir_if_exists(&self.build)
    }
}

/// Builds the site from herald's `wiki_files` in `wiki_dir` (the staged wiki, or the
/// published one when it did not change), configured by the `book.toml` beside the plans
/// folder, into `site.new`, ready to be swapped in.
pub fn stage_site(
    wiki_dir: &Path,
    wiki_files: &[&str],
    site: &Layout,
    plans_dir: &Path,
    options: &SiteOptions,
) -> Result<(), String> {
    link_book_pages(wiki_dir, wiki_files, site)?;
    render_book(site, plans_dir, options)?.finish(wiki_dir, wiki_files, site)
}

fn remove_dir_if_exists(path: &Path) -> Result<(), String> {
    crate::write::remove_if_exists(path)
        .map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

/// Preprocessors and renderers of mdBook's own: everything else runs a command.
const BUILTIN_PREPROCESSORS: &[&str] = &["links", "index"];
const BUILTIN_RENDERERS: &[&str] = &["html", "markdown"];

/// A `[preprocessor.X]` or `[output.X]` table of `book.toml` that runs a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookCommand {
    /// `preprocessor.mermaid`, `output.pdf`.
    pub table: String,
    /// What mdBook would run: the table's `command`, else `mdbook-<name>`.
    pub command: String,
}

#[derive(serde::Deserialize)]
struct CommandTable {
    command: Option<String>,
}

/// Every command the book's configuration would have mdBook run.
pub fn book_commands(cfg: &Config) -> Result<Vec<BookCommand>, String> {
    let mut out = Vec::new();
    let preprocessors = cfg
        .preprocessors::<CommandTable>()
        .map_err(|e| format!("{e:#}"))?;
    for (name, table) in preprocessors {
        if !BUILTIN_PREPROCESSORS.contains(&name.as_str()) {
            let command = table.command.unwrap_or_else(|| format!("mdbook-{name}"));
            out.push(BookCommand {
                table: format!("preprocessor.{name}"),
                command,
            });
        }
    }
    let outputs = cfg
        .outputs::<CommandTable>()
        .map_err(|e| format!("{e:#}"))?;
    for (name, table) in outputs {
        if !BUILTIN_RENDERERS.contains(&name.as_str()) {
            let command = table.command.unwrap_or_else(|| format!("mdbook-{name}"));
            out.push(BookCommand {
                table: format!("output.{name}"),
                command,
            });
        }
    }
    Ok(out)
}

/// What `herald check` says about the `book.toml` beside the plans folder: whether mdBook
/// can read it, and every command it would run that was not allowed (`--allow-book-command`).
pub fn check_book(plans_dir: &Path, allowed_commands: &[String]) -> Vec<Diagnostic> {
    let root = book_root(plans_dir);
    // `book.toml`, not `./book.toml`, when it is in the current folder.
    let book_toml = if root == Path::new(".") {
        PathBuf::from("book.toml")
    } else {
        root.join("book.toml")
    };
    let Ok(text) = std::fs::read_to_string(&book_toml) else {
        return Vec::new();
    };
    let cfg = match text.parse::<Config>() {
        Ok(cfg) => cfg,
        Err(e) => {
            let message = format!("{e:#}");
            return vec![
                Diagnostic::error(
                    &book_toml,
                    toml_error_loc(&message),
                    format!("book.toml cannot be read: {}", last_line(&message)),
                )
                .with_help("fix book.toml: it configures the site (see mdBook's documentation)"),
            ];
        }
    };
    match book_commands(&cfg) {
        Err(message) => vec![Diagnostic::error(&book_toml, Loc::new(1, 1, 1), one_line(&message))],
        Ok(commands) => commands
            .into_iter()
            .filter(|c| !allowed_commands.contains(&c.command))
            .map(|c| {
                Diagnostic::error(
                    &book_toml,
                    table_loc(&text, &c.table),
                    format!("[{}] runs the command `{}`", c.table, c.command),
                )
                .with_help(format!(
                    "herald runs no command from book.toml unless allowed: pass `--allow-book-command '{}'` (or set HERALD_BOOK_COMMANDS) in your workflow, where a change to book.toml alone cannot add it",
                    c.command
                ))
            })
            .collect(),
    }
}

/// The message itself, after toml's quote of the source.
fn last_line(message: &str) -> String {
    message
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(message)
        .to_owned()
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where toml's error message says the mistake is (`at line 3, column 5`), else the start.
fn toml_error_loc(message: &str) -> Loc {
    let number_after = |key: &str| -> Option<u32> {
        let at = message.find(key)? + key.len();
        let digits: String = message[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    match (number_after("line "), number_after("column ")) {
        (Some(line), Some(column)) => Loc::new(line, column, 1),
        _ => Loc::new(1, 1, 1),
    }
}

/// The line of a table's header (`[preprocessor.mermaid]`) in `book.toml`.
fn table_loc(text: &str, table: &str) -> Loc {
    let header = format!("[{table}]");
    text.lines()
        .position(|line| line.trim().replace(' ', "") == header)
        .map_or(Loc::new(1, 1, 1), |i| {
            Loc::new(i as u32 + 1, 1, header.len() as u32)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_path_is_the_urls_path_between_slashes() {
        assert_eq!(site_path("https://org.github.io/releases/"), "/releases/");
        assert_eq!(site_path("https://org.github.io/releases"), "/releases/");
        assert_eq!(site_path("https://org.github.io/a/b?x=1#y"), "/a/b/");
        assert_eq!(site_path("https://releases.example.com"), "/");
        assert_eq!(site_path("https://releases.example.com/"), "/");
        assert_eq!(site_path("/releases"), "/releases/");
    }

    #[test]
    fn the_head_links_herald_s_files_from_every_depth() {
        let head = theme_head();
        assert!(
            head.contains("href=\"{{ path_to_root }}assets/herald.css\""),
            "{head}"
        );
        assert!(
            head.contains("<script defer src=\"{{ path_to_root }}assets/herald.js\"></script>"),
            "{head}"
        );
    }

    /// `#rrggbb` as WCAG's relative luminance.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// The `--herald-*` colours of the rule whose selector starts with `selector`.
    fn colours(selector: &str) -> BTreeMap<String, String> {
        let css = THEME_CSS.1;
        let start = css.find(selector).expect("the rule is in herald.css");
        let body = &css[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
        body.lines()
            .filter_map(|line| {
                let (name, value) = line.trim().strip_prefix("--herald-")?.split_once(':')?;
                Some((
                    name.to_owned(),
                    value.trim().trim_end_matches(';').to_owned(),
                ))
            })
            .collect()
    }

    #[test]
    fn status_colours_pass_wcag_aa_in_light_and_dark_themes() {
        // The page backgrounds of mdBook's themes (variables.css), for the card borders.
        let themes = [
            ("html,\nhtml.light", ["#ffffff", "#e1e1db"]),
            ("html.coal,", ["#131516", "#161923"]),
            ("html:not(.light)", ["#131516", "#0f1419"]),
        ];
        for (selector, pages) in themes {
            let c = colours(selector);
            for role in ["ok", "warn", "bad", "info", "muted"] {
                let (fg, bg) = (&c[&format!("{role}-fg")], &c[&format!("{role}-bg")]);
                let ratio = contrast(fg, bg);
                assert!(
                    ratio >= 4.5,
                    "{selector} {role}: {fg} on {bg} is {ratio:.2}:1"
                );
            }
            // A card's edge is a graphic: 3:1 against the page (WCAG 1.4.11).
            for page in pages {
                let ratio = contrast(&c["card-border"], page);
                assert!(ratio >= 3.0, "{selector} border on {page}: {ratio:.2}:1");
            }
        }
        // The dark themes use the same colours, whether chosen or from the system.
        assert_eq!(colours("html.coal,"), colours("html:not(.light)"));
    }
}
