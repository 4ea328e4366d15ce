//! Where uploaded files live: the [`FileStore`] trait, and [`DiskStore`], its implementation
//! under the data directory (`files/data/<key>`, with `files/meta/<key>` beside it). Another
//! implementation (object storage) can take its place without the HTTP side changing.
//!
//! Files are immutable: a key, once stored, keeps its bytes (downloads are cached for a year).

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// What is kept about a stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    /// Length in bytes.
    pub len: u64,
    /// Content-Type given at upload.
    pub content_type: String,
    /// Hex SHA-256 of the bytes (the upload answer's `hash`, and the ETag).
    pub hash: String,
}

/// What a [`FileStore::put`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    /// Stored.
    Stored,
    /// The key already held these very bytes; nothing changed.
    Same,
    /// The key holds other bytes; nothing changed.
    Conflict,
}

/// Storage of uploaded files by key. Calls block; the server makes them off its async threads.
pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Takes the complete file at `staged` (written in [`FileStore::staging_dir`]) as `key`.
    fn put(&self, key: &str, staged: &Path, meta: &FileMeta) -> io::Result<Put>;
    /// `len` bytes of `key` from `offset`; `None` when the key is unknown.
    fn get(&self, key: &str, offset: u64, len: u64) -> io::Result<Option<Box<dyn Read + Send>>>;
    /// What is known of `key` (its length among it), if stored.
    fn meta(&self, key: &str) -> io::Result<Option<FileMeta>>;
    /// The length of `key` in bytes, if stored.
    fn len(&self, key: &str) -> io::Result<Option<u64>> {
        Ok(self.meta(key)?.map(|m| m.len))
    }
    /// A directory for uploads in progress, on the same file system as the store when it
    /// is on disk.
    fn staging_dir(&self) -> &Path;
}

/// Files under one directory.
#[derive(Debug)]
pub struct DiskStore {
    data: PathBuf,
    meta: PathBuf,
    staging: PathBuf,
    /// Serialises the check and the rename of [`FileStore::put`].
    put: Mutex<()>,
}

impl DiskStore {
    /// The store in `dir` (created if needed); uploads interrupted before are removed.
    pub fn open(dir: &Path) -> io::Result<Self> {
        let store = Self {
            data: dir.join("data"),
            meta: dir.join("meta"),
            staging: dir.join("staging"),
            put: Mutex::new(()),
        };
        for d in [&store.data, &store.meta, &store.staging] {
            fs::create_dir_all(d)?;
        }
        for entry in fs::read_dir(&store.staging)?.flatten() {
            let _ = fs::remove_file(entry.path());
        }
        Ok(store)
    }

    fn read_meta(&self, key: &str) -> io::Result<Option<FileMeta>> {
        match fs::read(self.meta.join(key)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl FileStore for DiskStore {
    fn put(&self, key: &str, staged: &Path, meta: &FileMeta) -> io::Result<Put> {
        let _one = self
            .put
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.data.join(key).exists() {
            return Ok(match self.read_meta(key)? {
                Some(m) if m.hash == meta.hash => Put::Same,
                _ => Put::Conflict,
            });
        }
        fs::File::open(staged)?.sync_all()?;
        // The meta first: a data file is only ever visible with its meta.
        let meta_tmp = self.staging.join(format!("{key}.meta"));
        let mut f = fs::File::create(&meta_tmp)?;
        f.write_all(&serde_json::to_vec(meta).map_err(io::Error::other)?)?;
        f.sync_all()?;
        fs::rename(&meta_tmp, self.meta.join(key))?;
        fs::rename(staged, self.data.join(key))?;
        Ok(Put::Stored)
    }

    fn get(&self, key: &str, offset: u64, len: u64) -> io::Result<Option<Box<dyn Read + Send>>> {
        let mut f = match fs::File::open(self.data.join(key)) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        f.seek(SeekFrom::Start(offset))?;
        Ok(Some(Box::new(f.take(len))))
    }

    fn meta(&self, key: &str) -> io::Result<Option<FileMeta>> {
        if !self.data.join(key).exists() {
            return Ok(None);
        }
        self.read_meta(key)
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_keeps_its_bytes_and_reads_back_in_parts() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let store = DiskStore::open(dir.path())?;
        let stage = |bytes: &[u8]| -> io::Result<PathBuf> {
            let p = store.staging_dir().join(format!("t{}", bytes.len()));
            fs::write(&p, bytes)?;
            Ok(p)
        };
        let meta = |hash: &str| FileMeta {
            len: 5,
            content_type: "text/plain".into(),
            hash: hash.into(),
        };
        assert_eq!(store.put("k", &stage(b"hello")?, &meta("h1"))?, Put::Stored);
        assert_eq!(store.len("k")?, Some(5));
        let mut part = String::new();
        if let Some(mut r) = store.get("k", 1, 3)? {
            r.read_to_string(&mut part)?;
        }
        assert_eq!(part, "ell");
        assert_eq!(store.put("k", &stage(b"hello")?, &meta("h1"))?, Put::Same);
        assert_eq!(
            store.put("k", &stage(b"other")?, &meta("h2"))?,
            Put::Conflict
        );
        assert!(store.get("none", 0, 1)?.is_none() && store.len("none")?.is_none());
        drop(store);
        fs::write(dir.path().join("staging/leftover"), b"x")?;
        let store = DiskStore::open(dir.path())?;
        assert_eq!(fs::read_dir(store.staging_dir())?.count(), 0);
        Ok(())
    }
}
