//! The HTML site, built in-process from the wiki with mdBook, so `herald build` needs no second tool.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_driver::config::Config;

use std::collections::BTreeMap;

use super::paths::{self, SUMMARY};
use crate::cache::Fingerprint;

/// The title of a book without a `book.toml`.
const DEFAULT_TITLE: &str = "Releases";

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
    crate::cache::fingerprint_tree(&mut fp, &theme)
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

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".to_owned());
    path.with_file_name(format!(".{name}.{suffix}"))
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))
}

fn remove_dir_if_exists(path: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", path.display()))
        }
        _ => Ok(()),
    }
}

/// The configuration: the user's `book.toml` (title, theme, HTML options) if there is one,
/// with the source, build folder and the options herald relies on set here.
fn config(root: &Path, wiki_dir: &Path, stage: &Path) -> Result<Config, String> {
    let book_toml = root.join("book.toml");
    let mut cfg = if book_toml.is_file() {
        Config::from_disk(&book_toml).map_err(|e| format!("{}: {e:#}", book_toml.display()))?
    } else {
        let mut cfg = Config::default();
        cfg.book.title = Some(DEFAULT_TITLE.to_owned());
        cfg
    };
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
    cfg.set(key, chapters)
        .map_err(|e| format!("{}: {e:#}", book_toml.display()))?;
    Ok(cfg)
}

/// Replaces each staged file whose bytes equal the published one by a hard link to it, so
/// files that did not change keep their modification time when the staged site is swapped in.
fn keep_unchanged(staged: &Path, site_dir: &Path) -> Result<(), String> {
    if !site_dir.is_dir() {
        return Ok(());
    }
    let files = crate::write::list_files(staged)
        .map_err(|e| format!("cannot read {}: {e}", staged.display()))?;
    for rel in files {
        let (new, old) = (staged.join(&rel), site_dir.join(&rel));
        let same_len = match (std::fs::metadata(&new), std::fs::metadata(&old)) {
            (Ok(a), Ok(b)) => b.is_file() && a.len() == b.len(),
            _ => false,
        };
        if same_len && std::fs::read(&new).ok() == std::fs::read(&old).ok() {
            let linked = std::fs::remove_file(&new).and_then(|()| std::fs::hard_link(&old, &new));
            if linked.is_err() {
                // Fall back to a copy: the bytes are right, only the time is new.
                std::fs::copy(&old, &new)
                    .map_err(|e| format!("cannot write {}: {e}", new.display()))?;
            }
        }
    }
    Ok(())
}

/// Copies into the built site, byte for byte, every wiki file that is neither a chapter nor
/// already there: mdBook copies only files that are not `.md`, so Markdown downloads such as
/// the Slack drafts (`releases/<v>/slack/<id>.md`) would be missing. `SUMMARY.md` stays out,
/// being the book's structure, not a page or a download.
/// What mdBook needs from the wiki: the pages and the pictures they show, hard-linked into
/// `pages`. The downloads (workbooks, calendars, payloads) are linked into the site after
/// mdBook rather than copied by it.
fn link_pages(wiki_dir: &Path, pages: &Path) -> Result<(), String> {
    let files = crate::write::list_files(wiki_dir)
        .map_err(|e| format!("cannot read {}: {e}", wiki_dir.display()))?;
    for rel in files {
        let is_page = rel.extension().is_some_and(|e| e == "md" || e == "svg");
        if is_page {
            link_or_copy(&wiki_dir.join(&rel), &pages.join(&rel))?;
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

fn copy_downloads(book: &MDBook, wiki_dir: &Path, html: &Path) -> Result<(), String> {
    use mdbook_driver::book::BookItem;
    let chapters: std::collections::BTreeSet<&Path> = book
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => ch.path.as_deref(),
            _ => None,
        })
        .collect();
    let files = crate::write::list_files(wiki_dir)
        .map_err(|e| format!("cannot read {}: {e}", wiki_dir.display()))?;
    for rel in files {
        let target = html.join(&rel);
        if rel == Path::new(SUMMARY) || chapters.contains(rel.as_path()) || target.exists() {
            continue;
        }
        link_or_copy(&wiki_dir.join(&rel), &target)?;
    }
    Ok(())
}

/// Builds `site_dir` from `wiki_dir`, configured by the `book.toml` beside the plans folder.
/// mdBook empties its build folder, so it builds into a staging folder beside `site_dir`,
/// which is then swapped in; on any error the previous site stays as it was.
pub fn build_site(wiki_dir: &Path, site_dir: &Path, plans_dir: &Path) -> Result<(), String> {
    let root = absolute(&book_root(plans_dir))?;
    let stage = sibling(site_dir, "new");
    let old = sibling(site_dir, "old");
    let pages = sibling(site_dir, "pages");
    remove_dir_if_exists(&stage)?;
    remove_dir_if_exists(&old)?;
    remove_dir_if_exists(&pages)?;
    link_pages(wiki_dir, &pages)?;
    let cfg = config(&root, &pages, &stage)?;
    let book = MDBook::load_with_config(&root, cfg)
        .map_err(|e| format!("cannot load the book in {}: {e:#}", wiki_dir.display()))?;
    let built = book.build();
    remove_dir_if_exists(&pages)?;
    if let Err(e) = built {
        let _ = remove_dir_if_exists(&stage);
        return Err(format!("mdBook failed: {e:#}"));
    }
    // With several renderers in book.toml, the HTML is in its own subfolder.
    let html = book.build_dir_for("html");
    if let Err(e) = copy_downloads(&book, wiki_dir, &html) {
        let _ = remove_dir_if_exists(&stage);
        return Err(e);
    }
    if let Err(e) = keep_unchanged(&html, site_dir) {
        let _ = remove_dir_if_exists(&stage);
        return Err(e);
    }
    if site_dir.exists() {
        std::fs::rename(site_dir, &old)
            .map_err(|e| format!("cannot move the previous {} aside: {e}", site_dir.display()))?;
    }
    if let Err(e) = std::fs::rename(&html, site_dir) {
        // Put the previous site back rather than leave none.
        let _ = std::fs::rename(&old, site_dir);
        return Err(format!(
            "cannot move the new site into {}: {e}",
            site_dir.display()
        ));
    }
    remove_dir_if_exists(&old)?;
    remove_dir_if_exists(&stage)?;
    Ok(())
}
