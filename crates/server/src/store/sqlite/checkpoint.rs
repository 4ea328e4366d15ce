//! WAL checkpoints on a thread of their own: a second connection copies committed WAL pages into
//! the database every [`PERIOD`], with the fsyncs that go with it, so that the writer does not
//! wait for them. A passive checkpoint never blocks the writer.
//!
//! Under steady writes these checkpoints never catch up completely, and only a complete one lets
//! the WAL file be reused from its start. The writer therefore still checkpoints itself when the
//! WAL passes `wal_autocheckpoint` pages; by then nearly everything has been copied and synced
//! here, so its checkpoint is short, and the WAL restarts.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// Time between checkpoints.
const PERIOD: Duration = Duration::from_millis(50);

/// The checkpoint thread; dropping it stops and joins the thread.
#[derive(Debug)]
pub(super) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` (already in WAL mode).
    pub(super) fn spawn(path: &Path) -> std::io::Result<Self> {
        let path = path.to_path_buf();
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("im-checkpoint".into())
            .spawn(move || {
                let conn = match Connection::open(&path) {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::error!("checkpoint connection: {e}");
                        return;
                    }
                };
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(PERIOD) {
                    let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    if let Err(e) = done {
                        tracing::warn!("checkpoint: {e}");
                    }
                }
            })?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
