//! The parsed-plan cache: the node tree of every plan file a build read, kept in herald's
//! folder of OUT with the text it was parsed from, so the next build parses only the files
//! whose text changed.
//!
//! An entry serves only the herald that wrote it (its build id heads the file) and only the
//! very text it was parsed from: the text is compared whole, not by a hash. A tree that does
//! not decode or whose checksum does not match is parsed again, and a cache file that does
//! not read as this herald's is no cache: it can make a build slower, never different.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Serialize, Serializer};

use crate::diag::Sources;
use crate::write::keys::HERALD_ID;
use crate::yaml::Node;

/// The cache's file in herald's folder of OUT.
pub const CACHE_FILE: &str = "parsed";

/// The first field of the file: what it is and its layout.
const MAGIC: &str = "herald parsed-plan cache 1";

/// One file's entry as stored: its name in the plans folder, its text, the checksum of the
/// tree and the tree (postcard).
type Stored<'a> = (&'a str, &'a str, u64, &'a [u8]);

/// A tree's bytes, written as one byte string (postcard reads it back as a borrowed slice).
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    // Within one herald binary this is stable, and the file is of one herald only.
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// What a build keeps for the next one, by the file's path: an entry found still good, or
/// the tree of a file parsed anew (its text is the plans' own, see [`ParseCache::save`]).
enum Kept<'a> {
    Found(Stored<'a>),
    Parsed(Vec<u8>),
}

/// The cache a build reads from (the previous file's bytes, borrowed) and the one it writes.
pub struct ParseCache<'a> {
    file: PathBuf,
    found: HashMap<&'a str, Stored<'a>>,
    kept: Mutex<Vec<(PathBuf, Kept<'a>)>>,
}

/// The name a file is cached by: its name in the plans folder.
fn name_of(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

impl<'a> ParseCache<'a> {
    /// The cache file in `state_dir` (herald's folder of OUT).
    pub fn path(state_dir: &Path) -> PathBuf {
        state_dir.join(CACHE_FILE)
    }

    /// The bytes of the cache file at `path`; none when it is missing or unreadable (then
    /// every plan is parsed). Only a regular file is read: a link is not followed.
    pub fn read_bytes(path: &Path) -> Vec<u8> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => std::fs::read(path).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// A cache over `bytes` (from [`read_bytes`](Self::read_bytes)), to be saved to `file`.
    pub fn new(bytes: &'a [u8], file: PathBuf) -> ParseCache<'a> {
        let entries = postcard::from_bytes::<(&str, &str, Vec<Stored>)>(bytes)
            .ok()
            .filter(|(magic, herald, _)| *magic == MAGIC && *herald == HERALD_ID)
            .map(|(_, _, entries)| entries)
            .unwrap_or_default();
        ParseCache {
            file,
            found: entries.into_iter().map(|e| (e.0, e)).collect(),
            kept: Mutex::new(Vec::new()),
        }
    }

    /// The tree parsed from exactly `text` when the file at `path` was read before.
    pub(super) fn find(&self, path: &Path, text: &str) -> Option<Node> {
        let stored = *self.found.get(name_of(path))?;
        let (_, cached_text, sum, tree) = stored;
        if cached_text != text || checksum(tree) != sum {
            return None;
        }
        let node = postcard::from_bytes::<Node>(tree).ok()?;
        self.keep(path, Kept::Found(stored));
        Some(node)
    }

    /// Keeps the tree just parsed from the file at `path` for the next build.
    pub(super) fn parsed(&self, path: &Path, node: &Node) {
        if let Ok(tree) = postcard::to_allocvec(node) {
            self.keep(path, Kept::Parsed(tree));
        }
    }

    fn keep(&self, path: &Path, kept: Kept<'a>) {
        if let Ok(mut all) = self.kept.lock() {
            all.push((path.to_path_buf(), kept));
        }
    }

    /// Writes the entries of the files this build read (only those) for the next build,
    /// each tree parsed anew with its text from `sources` (the texts the build parsed):
    /// beside the cache file first, then renamed over it.
    pub fn save(self, sources: &Sources) -> std::io::Result<()> {
        let mut kept = self.kept.into_inner().unwrap_or_default();
        kept.sort_by(|a, b| name_of(&a.0).cmp(name_of(&b.0)));
        kept.dedup_by(|a, b| name_of(&a.0) == name_of(&b.0));
        let entries: Vec<_> = kept
            .iter()
            .filter_map(|(path, kept)| match kept {
                Kept::Found((name, text, sum, tree)) => Some((*name, *text, *sum, Bytes(tree))),
                Kept::Parsed(tree) => {
                    let text = sources.get(path)?;
                    Some((name_of(path), text, checksum(tree), Bytes(tree)))
                }
            })
            .collect();
        let scratch = self.file.with_extension("new");
        match std::fs::remove_file(&scratch) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let out = std::io::BufWriter::new(std::fs::File::create_new(&scratch)?);
        postcard::to_io(&(MAGIC, HERALD_ID, entries), out)
            .map_err(std::io::Error::other)?
            .into_inner()
            .map_err(|e| e.into_error())?;
        std::fs::rename(&scratch, &self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    const PLAN: &str = "version: 1.14.0\nschedule:\n  candidates:\n    - { name: rc1, date: 2026-12-01 }\nnotes: |\n  Zażółć — two lines\n  of text\n";

    fn empty() -> ParseCache<'static> {
        ParseCache::new(&[], PathBuf::new())
    }

    /// The file `cache` saves, with `texts` as the plans' texts.
    fn saved(cache: ParseCache, texts: &[(&str, &str)]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(CACHE_FILE);
        let mut sources = Sources::default();
        for (path, text) in texts {
            sources.insert(PathBuf::from(path), text.to_string());
        }
        let cache = ParseCache {
            file: file.clone(),
            ..cache
        };
        cache.save(&sources).unwrap();
        std::fs::read(&file).unwrap()
    }

    #[test]
    fn a_saved_tree_comes_back_equal_for_the_same_text_only() {
        let path = Path::new("plans/1.14.yaml");
        let node = yaml::parse(path, PLAN).unwrap();
        let first = empty();
        assert_eq!(first.find(path, PLAN), None);
        first.parsed(path, &node);
        let bytes = saved(first, &[("plans/1.14.yaml", PLAN)]);

        let second = ParseCache::new(&bytes, PathBuf::new());
        assert_eq!(second.find(path, PLAN), Some(node.clone()));
        assert_eq!(second.find(path, &PLAN.replace("rc1", "rc2")), None);
        assert_eq!(second.find(Path::new("plans/1.15.yaml"), PLAN), None);
        // Another spelling of the folder is the same file.
        assert_eq!(
            second.find(Path::new("./plans/1.14.yaml"), PLAN),
            Some(node.clone())
        );
        // What was found is kept for the next build (texts from the file itself); what was
        // not asked for is not.
        let third_bytes = saved(second, &[]);
        let third = ParseCache::new(&third_bytes, PathBuf::new());
        assert_eq!(third.find(path, PLAN), Some(node));
        assert_eq!(third.found.len(), 1);
    }

    #[test]
    fn a_damaged_or_foreign_cache_finds_nothing() {
        let path = Path::new("1.14.yaml");
        let node = yaml::parse(path, PLAN).unwrap();
        let cache = empty();
        cache.parsed(path, &node);
        let bytes = saved(cache, &[("1.14.yaml", PLAN)]);
        // Every byte flipped in turn: the entry is found whole and equal, or not at all.
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x5a;
            let found = ParseCache::new(&damaged, PathBuf::new()).find(path, PLAN);
            assert!(found.is_none() || found == Some(node.clone()), "byte {at}");
        }
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            let cache = ParseCache::new(&bytes[..cut], PathBuf::new());
            assert_eq!(cache.find(path, PLAN), None);
        }
        let foreign = postcard::to_allocvec(&(MAGIC, "another herald", Vec::<Stored>::new()));
        assert!(
            ParseCache::new(&foreign.unwrap(), PathBuf::new())
                .found
                .is_empty()
        );
    }
}
