//! What the last build was made from and wrote, so the next one redoes only what changed
//! and touches only herald's own files.
//!
//! `OUT/.herald/manifest.json` records the build's key, a key per release and the files it
//! rendered, every file written to `OUT/wiki` (size, fingerprint, time), and the key and
//! files of `OUT/site`. A build whose key matches and whose output is intact does nothing;
//! otherwise only releases whose key changed are rendered again (see [`super::keys`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fs::{list_files, modified_ns, rel_string};

/// Bumped whenever the meaning of a recorded key changes, so old manifests are ignored.
const FORMAT: u32 = 2;

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
        super::fs::write_file(&Manifest::path(out), &bytes).map(|_| ())
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
        known_hash(wiki_dir, &self.files, path)
    }
}

/// Each recorded file under `root`, with its recorded size and time.
fn tree_intact(root: &Path, files: &BTreeMap<String, FileEntry>) -> bool {
    files
        .iter()
        .all(|(path, entry)| unchanged_on_disk(&root.join(path), entry))
}

/// Size and time of every file under `root`, for [`Manifest::site_intact`].
pub fn stat_tree(root: &Path) -> std::io::Result<BTreeMap<String, FileEntry>> {
    let mut out = BTreeMap::new();
    for rel in list_files(root)? {
        let path = root.join(&rel);
        out.insert(
            rel_string(&rel),
            FileEntry {
                len: std::fs::symlink_metadata(&path)?.len(),
                hash: String::new(),
                modified: modified_ns(&path)?,
            },
        );
    }
    Ok(out)
}

/// The fingerprint recorded for a file, if the file on disk is still as recorded.
pub fn known_hash<'m>(
    root: &Path,
    owned: &'m BTreeMap<String, FileEntry>,
    path: &str,
) -> Option<&'m str> {
    let entry = owned.get(path)?;
    unchanged_on_disk(&root.join(path), entry).then_some(entry.hash.as_str())
}

/// Same size and modification time as recorded: nobody touched the file since.
pub fn unchanged_on_disk(path: &Path, entry: &FileEntry) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == entry.len)
        && modified_ns(path).is_ok_and(|t| t == entry.modified)
}
