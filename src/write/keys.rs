//! Every cache key in one place: what a build, a release and the site are made from.
//!
//! A key is a fingerprint of herald itself (its version and sources), the options, and the
//! bytes of every input; when it matches the recorded one, the output it made still holds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::fs::{EntryKind, list_entries};
use super::manifest::FileEntry;

/// herald's version and a fingerprint of its sources, templates and locked dependencies
/// (see `build.rs`): output made by any other herald is rendered again.
pub const HERALD_ID: &str = env!("HERALD_BUILD_ID");

/// FNV-1a, 64 bits: a named, stable hash for cache keys (a changed input changes the key;
/// not meant to resist deliberate collisions).
#[derive(Debug, Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        // The length first, so ("ab", "c") and ("a", "bc") differ.
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }

    pub fn of(bytes: &[u8]) -> String {
        Fingerprint::default().bytes(bytes).hex()
    }
}

/// Fingerprints every file under `dir` (sorted, names included) into `fp`; a missing
/// folder adds nothing. Links count by their target's name and special files by their
/// name alone: nothing is followed or opened that could block or be endless.
pub fn fingerprint_tree(fp: &mut Fingerprint, dir: &Path) -> std::io::Result<()> {
    for (rel, kind) in list_entries(dir)? {
        fp.text(&rel);
        match kind {
            EntryKind::File => fp.bytes(&read_capped(&dir.join(&rel))?),
            _ => fp.text(&std::fs::read_link(dir.join(&rel)).map_or_else(
                |_| String::new(),
                |target| target.to_string_lossy().into_owned(),
            )),
        };
    }
    Ok(())
}

/// A file's first bytes, up to one past the largest file herald reads: enough to tell
/// every readable file from another, and bounded for a file of any size.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let limit = crate::yaml::MAX_FILE_BYTES as u64 + 1;
    std::fs::File::open(path)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The fingerprints of a plans folder's YAML files, by path: regular files (or links to
/// them) only, so a FIFO or device named like a plan is never opened here.
pub fn fingerprint_plans(dir: &Path) -> std::io::Result<BTreeMap<PathBuf, String>> {
    use rayon::prelude::*;
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if (name.ends_with(".yaml") || name.ends_with(".yml")) && path.is_file() {
            paths.push(path);
        }
    }
    // Read as the loader reads: no special file opened, no more than the size limit.
    let root = std::fs::canonicalize(dir)?;
    paths
        .into_par_iter()
        .map(|p| match crate::load::read_plan_bytes(&p, &root) {
            Ok(b) => Ok((p, Fingerprint::of(&b))),
            Err(crate::load::Refused::Io(e)) => Err(e),
            // `check` reports why the file is refused; the key only has to change.
            Err(refused) => Ok((p, format!("refused: {refused:?}"))),
        })
        .collect()
}

/// The options and inputs a build's keys are made of.
pub struct Keys<'a> {
    pub today: String,
    pub site_url: &'a str,
    /// Whether the site is built too.
    pub site: bool,
    /// The fingerprint of the user's templates folder.
    pub templates: String,
    /// The fingerprint of what the site's look is made from (`book.toml`, theme), if built.
    pub site_inputs: String,
    /// The fingerprint of every plan file, by path.
    pub plans: BTreeMap<PathBuf, String>,
    /// The last commit of the plans folder's git history (empty outside git): a new commit
    /// may change what the history says, so the build looks again.
    pub history: String,
}

impl Keys<'_> {
    /// Everything the build reads, and the options it runs with.
    pub fn build(&self) -> String {
        let mut fp = Fingerprint::default();
        fp.text(HERALD_ID)
            .text(&self.today)
            .text(self.site_url)
            .text(&self.templates)
            .text(&self.site_inputs)
            .text(if self.site { "site" } else { "no site" })
            .text(&self.history);
        for (path, hash) in &self.plans {
            fp.text(&path.to_string_lossy()).text(hash);
        }
        fp.hex()
    }

    /// What one release's files are made from: herald, the site URL, the templates, the two
    /// registries, its own file, its own view of today and what the history says of it
    /// (`ScheduleLog::release_key`).
    pub fn release(&self, dir: &Path, file: &Path, today: &str, history: &str) -> String {
        let fingerprint_of = |path: &Path| self.plans.get(path).map_or("", String::as_str);
        let mut fp = Fingerprint::default();
        fp.text(HERALD_ID)
            .text(self.site_url)
            .text(&self.templates)
            .text(fingerprint_of(&dir.join(crate::load::TEAMS_FILE)))
            .text(fingerprint_of(&dir.join(crate::load::TESTS_FILE)))
            .text(fingerprint_of(file))
            .text(today)
            .text(history);
        fp.hex()
    }

    /// What the site is made from: herald, its look, every file of the wiki, and the pages
    /// left out of its search index.
    pub fn site(&self, wiki: &BTreeMap<String, FileEntry>, unsearched: &[String]) -> String {
        let mut fp = Fingerprint::default();
        // The site URL's path is the 404 page's `<base href>`.
        fp.text(HERALD_ID)
            .text(&self.site_inputs)
            .text(self.site_url);
        for page in unsearched {
            fp.text("unsearched").text(page);
        }
        for (path, entry) in wiki {
            fp.text(path).text(&entry.hash);
        }
        fp.hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fnv1a_with_length_prefix_and_stable() {
        assert_eq!(Fingerprint::of(b""), Fingerprint::of(b""));
        assert_ne!(Fingerprint::of(b"a"), Fingerprint::of(b"b"));
        let mut ab_c = Fingerprint::default();
        ab_c.text("ab").text("c");
        let mut a_bc = Fingerprint::default();
        a_bc.text("a").text("bc");
        assert_ne!(ab_c.hex(), a_bc.hex());
        // A fixed value: the same input gives the same key on every machine and run.
        assert_eq!(Fingerprint::of(b"herald"), "16099f96e424d179");
    }
}
