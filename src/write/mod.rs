//! The output side, from the floor up: file-system helpers (`fs`), the cache keys
//! (`keys`) and the manifest of what a build wrote (`manifest`), the lock on OUT (`lock`),
//! and the stage-and-swap tree writer (`tree`) that the wiki and the site both use.

pub mod fs;
pub mod keys;
pub mod lock;
pub mod manifest;
pub mod tree;

pub use fs::{
    EntryKind, Written, list_entries, list_files, modified_ns, rel_string, remove_if_exists,
    write_file,
};
pub use lock::{LockError, OutLock};
pub use tree::{Layout, Stage, Survey, WriteStats};

/// herald's own folder in OUT: the manifest, the lock and the staging folders.
pub const STATE_DIR: &str = ".herald";
