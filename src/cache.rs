//! What the last build was made from, so the next one redoes only what changed.
//!
//! `OUT/.herald/manifest.json` records a fingerprint of every input, a key per release (its
//! file, the team registry, the catalogue, the templates, the site URL, herald's version and
//! the release's own view of today), the fingerprint of every file written to `OUT/wiki`, and
//! the key the site was built from. A build whose inputs all match and whose output is intact
//! does nothing; otherwise only releases whose key changed are rendered again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Bumped whenever the meaning of a recorded key changes, so old manifests are ignored.
const FORMAT: u32 = 2;

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub len: u64,
    pub hash: String,
    /// Modification time in nanoseconds since 1970, as last written or seen.
    pub modified: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReleaseEntry {
    pub key: String,
    /// Files the release rendered, relative to `OUT/wiki`.
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// Everything the build read, and the options it ran with.
    pub build_key: String,
    pub releases_built: usize,
    pub warnings: usize,
    /// Release version → what it was rendered from and what it wrote.
    pub releases: BTreeMap<String, ReleaseEntry>,
    /// Every file of `OUT/wiki`.
    pub files: BTreeMap<String, FileEntry>,
    /// What `OUT/site` was built from, if it was.
    pub site_key: Option<String>,
    /// Every file of `OUT/site` (size and time; its bytes are mdBook's).
    #[serde(default)]
    pub site_files: BTreeMap<String, FileEntry>,
}

impl Manifest {
    pub fn path(out: &Path) -> PathBuf {
        out.join(".herald").join("manifest.json")
    }

    /// The previous build's manifest; a missing, unreadable or older one is an empty one,
    /// which makes the build start from scratch.
    pub fn read(out: &Path) -> Manifest {
        std::fs::read(Manifest::path(out))
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .filter(|m| m.format == FORMAT)
            .unwrap_or_default()
    }

    pub fn write(&self, out: &Path) -> std::io::Result<()> {
        let mut m = self.clone();
        m.format = FORMAT;
        let bytes = serde_json::to_vec_pretty(&m).map_err(std::io::Error::other)?;
        crate::write::write_file(&Manifest::path(out), &bytes).map(|_| ())
    }

    /// Whether the wiki holds the recorded files, as they were written (files that are not
    /// herald's may be there too: they are the user's).
    pub fn wiki_intact(&self, wiki_dir: &Path) -> bool {
        !self.files.is_empty() && tree_intact(wiki_dir, &self.files)
    }

    /// Whether the site holds the recorded files, as they were built.
    pub fn site_intact(&self, site_dir: &Path) -> bool {
        self.site_key.is_some()
            && !self.site_files.is_empty()
            && tree_intact(site_dir, &self.site_files)
    }

    /// The fingerprint recorded for a wiki file, if the file on disk is still as recorded.
    pub fn known_hash(&self, wiki_dir: &Path, path: &str) -> Option<&str> {
        crate::write::known_hash(wiki_dir, &self.files, path)
    }
}

/// Each recorded file under `root`, with its recorded size and time.
fn tree_intact(root: &Path, files: &BTreeMap<String, FileEntry>) -> bool {
    files
        .iter()
        .all(|(path, entry)| crate::write::unchanged_on_disk(&root.join(path), entry))
}

/// Size and time of every file under `root`, for [`Manifest::site_intact`].
pub fn stat_tree(root: &Path) -> std::io::Result<BTreeMap<String, FileEntry>> {
    let mut out = BTreeMap::new();
    for rel in crate::write::list_files(root)? {
        let path = root.join(&rel);
        out.insert(
            crate::write::rel_string(&rel),
            FileEntry {
                len: std::fs::symlink_metadata(&path)?.len(),
                hash: String::new(),
                modified: crate::write::modified_ns(&path)?,
            },
        );
    }
    Ok(out)
}

/// Fingerprints every file under `dir` (sorted, names included) into `fp`; a missing
/// folder adds nothing. Links count by their target's name and special files by their
/// name alone: nothing is followed or opened that could block or be endless.
pub fn fingerprint_tree(fp: &mut Fingerprint, dir: &Path) -> std::io::Result<()> {
    for (rel, kind) in crate::write::list_entries(dir)? {
        fp.text(&rel);
        match kind {
            crate::write::EntryKind::File => fp.bytes(&read_capped(&dir.join(&rel))?),
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
