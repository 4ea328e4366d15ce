//! Storage behind a trait. The server talks to a [`StoreHandle`], which runs every call on one
//! dedicated thread that owns the [`Store`]; async tasks never block on I/O.
//!
//! Contract of an implementation:
//! - [`Store::insert_message`] writes the message, its inbox entries and conversation updates
//!   atomically; they are durable once the batch they belong to is committed
//!   ([`Store::commit_batch`]), and no caller hears of a result before that (a PUBACK follows);
//! - it assigns `dataTime` from a strictly increasing clock in commit order, so a client's time
//!   cursor never skips a message committed later with an earlier time (api.md §5.2).

pub mod sqlite;

use std::collections::HashMap;

use tokio::sync::oneshot;

/// A storage failure; the message is logged and the client gets an error status.
#[derive(Clone, Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "store: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// `direction` of an inbox entry: the user sent it (DownStreamMessage.direction = 1).
pub const SENT: u8 = 1;
/// `direction` of an inbox entry: the user received it.
pub const RECEIVED: u8 = 2;

/// One copy of a message in one user's inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The user whose inbox gets the copy.
    pub user_id: String,
    /// The conversation target as this user sees it (peer id, or group id).
    pub conv_target: String,
    /// [`SENT`] or [`RECEIVED`].
    pub direction: u8,
    /// The message @mentions this user (DownStreamMessage.status bit 0x40).
    pub mentioned: bool,
}

/// A message to store.
#[derive(Clone, Debug, Default)]
pub struct NewMessage {
    /// Conversation type (api.md §7).
    pub conv_type: i32,
    /// Sender.
    pub from_user: String,
    /// Target as the sender addressed it (peer, group id).
    pub target_id: String,
    /// objectName, e.g. `RC:TxtMsg`.
    pub object_name: String,
    /// Content JSON bytes.
    pub content: Vec<u8>,
    /// MessageTag flags (`UpStreamMessage.sessionId`).
    pub tag: u8,
    /// Push text, if any.
    pub push_text: Option<String>,
    /// Push data, if any.
    pub app_data: Option<String>,
    /// Inbox copies.
    pub deliveries: Vec<Delivery>,
}

/// A stored message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    /// Messages UId (`msgId`).
    pub uid: String,
    /// Server time, unique (ms).
    pub data_time: i64,
    /// Conversation type.
    pub conv_type: i32,
    /// Sender.
    pub from_user: String,
    /// Target as addressed by the sender.
    pub target_id: String,
    /// objectName.
    pub object_name: String,
    /// Content JSON bytes.
    pub content: Vec<u8>,
    /// MessageTag flags.
    pub tag: u8,
    /// Recalled (DownStreamMessage.status bit 0x02).
    pub recalled: bool,
}

/// A message as one user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxItem {
    /// The message.
    pub message: StoredMessage,
    /// [`SENT`] or [`RECEIVED`].
    pub direction: u8,
    /// Conversation target for this user.
    pub conv_target: String,
    /// The message @mentions this user.
    pub mentioned: bool,
}

/// A page of a user's messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Items, in the order the query asked for.
    pub items: Vec<InboxItem>,
    /// More items exist beyond this page.
    pub more: bool,
}

/// Persistent state of the server. Called on one thread only; see the module docs.
pub trait Store: Send {
    /// Starts a batch: the calls until [`Store::commit_batch`] commit together (group commit).
    /// Without batches every call commits by itself.
    fn begin_batch(&mut self) -> StoreResult<()> {
        Ok(())
    }
    /// Commits the batch durably. On failure nothing of the batch is kept.
    fn commit_batch(&mut self) -> StoreResult<()> {
        Ok(())
    }
    /// Discards the batch: a call of it failed, perhaps half-way (calls inside a batch need not
    /// be atomic on their own; the batch is).
    fn rollback_batch(&mut self) {}
    /// Commits a message with a fresh unique `dataTime` and UId.
    fn insert_message(&mut self, msg: &NewMessage) -> StoreResult<StoredMessage>;
    /// Messages received after `received_after` and sent after `sent_after`, ascending by time,
    /// at most `limit` items and about `max_bytes` of content.
    fn pull(
        &mut self,
        user: &str,
        received_after: i64,
        sent_after: i64,
        limit: usize,
        max_bytes: usize,
    ) -> StoreResult<Page>;
    /// One conversation's messages for `user` (the conversation with `target` of any of
    /// `conv_types`): before `time` newest first (`newer` false, `time` 0 = from the newest), or
    /// after `time` oldest first (`newer` true).
    fn history(
        &mut self,
        user: &str,
        conv_types: &[i32],
        target: &str,
        time: i64,
        count: usize,
        newer: bool,
    ) -> StoreResult<Page>;
    /// Removes `user`'s copies of a conversation's messages up to `up_to` (inclusive).
    fn clean_history(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
        up_to: i64,
    ) -> StoreResult<()>;
    /// Removes `user`'s copies of the messages with these UIds in one conversation.
    fn delete_messages(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
        uids: &[String],
    ) -> StoreResult<()>;
    /// The user's conversations, most recent first, each with its latest message.
    fn conversations(&mut self, user: &str, limit: usize) -> StoreResult<Vec<InboxItem>>;
    /// Removes a conversation from the user's list (its messages stay).
    fn delete_conversation(&mut self, user: &str, conv_type: i32, target: &str) -> StoreResult<()>;
    /// A message by UId.
    fn find_message(&mut self, uid: &str) -> StoreResult<Option<StoredMessage>>;
    /// Marks a message recalled; false if no such message exists.
    fn mark_recalled(&mut self, uid: &str) -> StoreResult<bool>;

    /// Adds users to `user`'s blacklist.
    fn blacklist_add(&mut self, user: &str, others: &[String]) -> StoreResult<()>;
    /// Removes users from `user`'s blacklist.
    fn blacklist_remove(&mut self, user: &str, others: &[String]) -> StoreResult<()>;
    /// `user`'s blacklist.
    fn blacklist(&mut self, user: &str) -> StoreResult<Vec<String>>;
    /// Whether `user` has blacklisted `other`.
    fn is_blacklisted(&mut self, user: &str, other: &str) -> StoreResult<bool>;

    /// Creates or renames a group.
    fn upsert_group(&mut self, group: &str, name: Option<&str>) -> StoreResult<()>;
    /// Adds members (creating the group if needed).
    fn add_members(&mut self, group: &str, users: &[String]) -> StoreResult<()>;
    /// Removes members.
    fn remove_members(&mut self, group: &str, users: &[String]) -> StoreResult<()>;
    /// Deletes a group and its memberships (its history stays).
    fn dismiss_group(&mut self, group: &str) -> StoreResult<()>;
    /// Members of a group, in join order.
    fn members(&mut self, group: &str) -> StoreResult<Vec<String>>;
    /// Sets exactly the groups a user belongs to, creating unknown ones with their names.
    fn sync_user_groups(&mut self, user: &str, groups: &[(String, String)]) -> StoreResult<()>;

    /// Creates or updates a user's profile.
    fn upsert_user(
        &mut self,
        user: &str,
        name: Option<&str>,
        portrait: Option<&str>,
    ) -> StoreResult<()>;
    /// Stores a token revocation watermark.
    fn set_token_watermark(&mut self, user: &str, before_ms: i64) -> StoreResult<()>;
    /// Every stored token watermark.
    fn token_watermarks(&mut self) -> StoreResult<HashMap<String, i64>>;
    /// Blocks `users` until `until_ms`.
    fn block_users(&mut self, users: &[String], until_ms: i64) -> StoreResult<()>;
    /// Ends the blocks of `users`.
    fn unblock_users(&mut self, users: &[String]) -> StoreResult<()>;
    /// Every block ending after `now_ms`: user → end time (ms).
    fn user_blocks(&mut self, now_ms: i64) -> StoreResult<HashMap<String, i64>>;
}

/// Most calls committed together in one batch.
const MAX_BATCH: usize = 256;

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
        Self::run(&self.tx, f).await
    }

    /// Runs `f`, which only reads, on the reading thread. It sees every write whose
    /// [`StoreHandle::call`] has returned.
    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> StoreResult<R> + Send + 'static,
    ) -> StoreResult<R> {
        Self::run(&self.read_tx, f).await
    }

    async fn run<R: Send + 'static>(
        tx: &std::sync::mpsc::Sender<Job>,
        f: impl FnOnce(&mut dyn Store) -> StoreResult<R> + Send + 'static,
    ) -> StoreResult<R> {
        let (reply, rx) = oneshot::channel();
        let job = Job::Run(Box::new(move |s| {
            let result = f(s);
            if let Err(e) = &result {
                tracing::error!("{e}");
            }
            let ok = result.is_ok();
            let reply: Reply = Box::new(move |committed: StoreResult<()>| {
                let _ = reply.send(committed.and(result));
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
    use super::*;
    use crate::store::sqlite::SqliteStore;

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
