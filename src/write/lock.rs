//! One build at a time in an output folder.

use std::io;
use std::path::Path;

use super::STATE_DIR;

/// One build at a time in an output folder: an advisory lock on `OUT/.herald/lock`,
/// released by the system when the process ends, however it ends.
pub struct OutLock {
    _file: std::fs::File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another herald build is writing into {0} (it holds {0}/.herald/lock); wait for it to finish, then build again"
    )]
    Busy(String),
    #[error("cannot lock {path}: {source}")]
    Io { path: String, source: io::Error },
}

impl OutLock {
    pub fn acquire(out: &Path) -> Result<OutLock, LockError> {
        let path = out.join(STATE_DIR).join("lock");
        let io = |source| LockError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(out.join(STATE_DIR)).map_err(io)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(OutLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(LockError::Busy(out.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_output_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutLock::acquire(dir.path()).unwrap();
        let err = OutLock::acquire(dir.path()).err().unwrap();
        assert!(
            err.to_string()
                .starts_with("another herald build is writing into")
        );
        drop(first);
        assert!(OutLock::acquire(dir.path()).is_ok());
    }
}
