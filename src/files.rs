//! What renderers produce and the writer consumes: files by their path in `OUT/wiki/`.
//! Below both, so neither needs the other.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Files an artifact renderer made, keyed by their path relative to `OUT/wiki/`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Files {
    map: BTreeMap<PathBuf, Vec<u8>>,
}

impl Files {
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.map.insert(path.into(), bytes.into());
    }

    pub fn extend(&mut self, other: Files) {
        self.map.extend(other.map);
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.map.get(&PathBuf::from(path)).map(Vec::as_slice)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PathBuf, &Vec<u8>)> {
        self.map.iter()
    }
}
