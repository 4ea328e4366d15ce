//! The store threads: a [`StoreHandle`] sends calls to a writing thread (group commit) and a
//! reading thread, each owning one [`Store`].

use tokio::sync::oneshot;

use super::{Store, StoreError, StoreResult};

/// Most calls committed together in one batch.
const MAX_BATCH: usize = 1024;

/// Delivers a call's result once its batch has committed (or failed to).
type Reply = Box<dyn FnOnce(StoreResult<()>) + Send>;
/// A call: runs on the store and returns its reply and whether it succeeded.
type Task = Box<dyn FnOnce(&mut dyn Store) -> (Reply, bool) + Send>;

enum Job {
    Run(Task),
    Stop,
}

/// An async handle to the store threads. Cheap to clone.
#[derive(Clone)]
pub struct StoreHandle {
    tx: std::sync::mpsc::Sender<Job>,
    read_tx: std::sync::mpsc::Sender<Job>,
}

/// The threads behind a [`StoreHandle`].
#[derive(Debug)]
pub struct StoreThreads(Vec<std::thread::JoinHandle<()>>);

impl StoreThreads {
    /// Waits until every store thread has closed its store (after [`StoreHandle::stop`]).
    pub fn join(self) {
        for t in self.0 {
            let _ = t.join();
        }
    }
}

impl std::fmt::Debug for StoreHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreHandle")
    }
}

/// The store thread: takes every call already queued (up to [`MAX_BATCH`]), runs them in one
/// batch, commits once, and only then answers them. Under load one commit covers many
/// messages; a lone call is committed at once. On the writing thread a failed call discards
/// its whole batch, and every call of it gets an error.
fn serve(store: &mut dyn Store, rx: &std::sync::mpsc::Receiver<Job>, writer: bool) {
    let mut batch: Vec<Task> = Vec::with_capacity(MAX_BATCH);
    let mut replies: Vec<Reply> = Vec::with_capacity(MAX_BATCH);
    loop {
        let mut stop = match rx.recv() {
            Ok(Job::Run(task)) => {
                batch.push(task);
                false
            }
            Ok(Job::Stop) | Err(_) => true,
        };
        while !stop && batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Job::Run(task)) => batch.push(task),
                Ok(Job::Stop) => stop = true,
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            let started = std::time::Instant::now();
            let batched = store.begin_batch();
            if let Err(e) = &batched {
                tracing::warn!("{e}; committing calls one by one");
            }
            let mut failed = false;
            for task in batch.drain(..) {
                let (reply, ok) = task(&mut *store);
                failed |= !ok;
                replies.push(reply);
            }
            let committed = match batched {
                Ok(()) if failed && writer => {
                    store.rollback_batch();
                    Err(StoreError(
                        "a call of the batch failed; nothing was kept".into(),
                    ))
                }
                Ok(()) => store.commit_batch(),
                Err(_) => Ok(()),
            };
            crate::metrics::store_batch(writer, started.elapsed());
            for reply in replies.drain(..) {
                reply(committed.clone());
            }
        }
        if stop {
            return;
        }
    }
}

fn spawn_thread(
    name: &str,
    mut store: Box<dyn Store>,
    writer: bool,
) -> std::io::Result<(std::sync::mpsc::Sender<Job>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let thread = std::thread::Builder::new()
        .name(name.into())
        // Dropping the store at the end closes the database before the thread ends.
        .spawn(move || serve(store.as_mut(), &rx, writer))?;
    Ok((tx, thread))
}

impl StoreHandle {
    /// Moves `store` onto a dedicated thread, and `reader` (a second view of the same data
    /// that only reads) onto another, and returns a handle plus the threads. Without a reader,
    /// reads run on the writing thread.
    pub fn spawn(
        store: Box<dyn Store>,
        reader: Option<Box<dyn Store>>,
    ) -> std::io::Result<(Self, StoreThreads)> {
        let (tx, writer) = spawn_thread("im-store", store, true)?;
        let mut threads = vec![writer];
        let read_tx = match reader {
            Some(r) => {
                let (read_tx, thread) = spawn_thread("im-store-read", r, false)?;
                threads.push(thread);
                read_tx
            }
            None => tx.clone(),
        };
        Ok((Self { tx, read_tx }, StoreThreads(threads)))
    }

    /// Asks the store threads to close their stores after the calls already queued; later
    /// calls fail. Join the [`StoreThreads`] from [`StoreHandle::spawn`] to wait for it.
    pub fn stop(&self) {
        let _ = self.tx.send(Job::Stop);
        let _ = self.read_tx.send(Job::Stop);
    }

    /// Runs `f` on the writing store thread and returns its result once committed.
    pub async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> StoreResult<R> + Send + 'static,
    ) -> StoreResult<R> {
        Self::run(&self.tx, f, |_: &mut R| {}).await
    }

    /// [`StoreHandle::call`], and once the batch has committed, `then` with the result (which
    /// it may take parts of), on the writing thread: the `then` of successive calls run in the
    /// order of their commits (so in the order of the message times they assigned), before
    /// either caller hears back. Keep `then` short; it holds up the next batch.
    pub async fn call_then<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> StoreResult<R> + Send + 'static,
        then: impl FnOnce(&mut R) + Send + 'static,
    ) -> StoreResult<R> {
        Self::run(&self.tx, f, then).await
    }

    /// Runs `f`, which only reads, on the reading thread. It sees every write whose
    /// [`StoreHandle::call`] has returned.
    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> StoreResult<R> + Send + 'static,
    ) -> StoreResult<R> {
        Self::run(&self.read_tx, f, |_: &mut R| {}).await
    }

    async fn run<R: Send + 'static>(
        tx: &std::sync::mpsc::Sender<Job>,
        f: impl FnOnce(&mut dyn Store) -> StoreResult<R> + Send + 'static,
        then: impl FnOnce(&mut R) + Send + 'static,
    ) -> StoreResult<R> {
        let (reply, rx) = oneshot::channel();
        let job = Job::Run(Box::new(move |s| {
            let result = f(s);
            if let Err(e) = &result {
                tracing::error!("{e}");
            }
            let ok = result.is_ok();
            let reply: Reply = Box::new(move |committed: StoreResult<()>| {
                let mut result = committed.and(result);
                if let Ok(r) = &mut result {
                    then(r);
                }
                let _ = reply.send(result);
            });
            (reply, ok)
        }));
        tx.send(job)
            .map_err(|_| StoreError("store thread stopped".into()))?;
        rx.await
            .map_err(|_| StoreError("store thread stopped".into()))?
    }
}

#[cfg(test)]
mod tests {
    use crate::store::sqlite::SqliteStore;
    use crate::store::{StoreError, StoreHandle, StoreThreads};

    fn handle(dir: &std::path::Path) -> (StoreHandle, StoreThreads) {
        let (store, clock) = SqliteStore::open(dir, false).unwrap();
        let reader = SqliteStore::open_reader(dir, clock).unwrap();
        StoreHandle::spawn(Box::new(store), Some(Box::new(reader))).unwrap()
    }

    #[tokio::test]
    async fn a_failed_call_keeps_none_of_its_writes_and_reads_see_committed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (store, threads) = handle(dir.path());
        let failed = store
            .call(|s| {
                s.blacklist_add("a", &["b".to_owned()])?;
                Err::<(), _>(StoreError("refused half-way".into()))
            })
            .await;
        assert!(failed.is_err());
        assert!(store.read(|s| s.blacklist("a")).await.unwrap().is_empty());

        store
            .call(|s| s.blacklist_add("a", &["c".to_owned()]))
            .await
            .unwrap();
        assert_eq!(store.read(|s| s.blacklist("a")).await.unwrap(), ["c"]);
        store.stop();
        threads.join();
        assert!(store.read(|s| s.blacklist("a")).await.is_err());
    }
}
