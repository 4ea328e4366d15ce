//! The default [`super::Store`]: one SQLite file in WAL mode. `synchronous = NORMAL` makes a commit
//! durable against a killed process (kill -9); `durable = true` switches to `FULL` for power-loss
//! safety at the cost of an fsync per commit.
//!
//! The store thread wraps each batch of queued calls in one transaction
//! ([`Batch::begin_batch`] / [`Batch::commit_batch`]), and discards it if a call fails. Calls
//! that write several rows also run in a savepoint of their own, except the frequent
//! `insert_message`, whose savepoint would cost a statement journal: inside a batch it relies
//! on the batch rollback instead.

use std::path::Path;

mod audience;
mod chatrooms;
mod checkpoint;
mod conversations;
mod groups;
mod kv;
mod messages;
mod moderation;
mod schema;
mod services;
mod settings;
mod status;
mod users;

use rusqlite::{params, Connection, Row};

use super::{Batch, InboxItem, StoreError, StoreResult};
use crate::clock::{Clock, NodeId};

/// Prepared statements kept per connection (more than the store has).
const STATEMENT_CACHE: usize = 256;

/// WAL size (in pages) that triggers a checkpoint after a commit.
const WAL_CHECKPOINT_PAGES: i64 = 16_000;

const ITEM_COLUMNS: &str = "m.uid, m.data_time, m.conv_type, m.from_user, m.target_id, \
     m.object_name, m.content, m.tag, m.recalled, i.direction, i.conv_target, i.mentioned";

fn err(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

fn item(row: &Row<'_>) -> rusqlite::Result<InboxItem> {
    Ok(InboxItem {
        message: messages::stored_message(row)?,
        direction: row.get(9)?,
        conv_target: row.get(10)?,
        mentioned: row.get(11)?,
    })
}

/// SQLite storage in one file.
#[derive(Debug)]
pub struct SqliteStore {
    // Stopped and joined before `conn` closes the database.
    _checkpointer: Option<checkpoint::Checkpointer>,
    conn: Connection,
    clock: Clock,
}

impl SqliteStore {
    /// Opens (creating if needed, migrating to the current schema) `dir/im.sqlite3`. Returns
    /// the store and the clock of node 0 it assigns message times from, started after the
    /// newest stored time.
    pub fn open(dir: &Path, durable: bool) -> StoreResult<(Self, Clock)> {
        Self::open_on(dir, durable, NodeId::default())
    }

    /// [`SqliteStore::open`] with the clock of `node` (`IM_NODE_ID`), which is part of every
    /// message UId.
    pub fn open_on(dir: &Path, durable: bool, node: NodeId) -> StoreResult<(Self, Clock)> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError(e.to_string()))?;
        let path = dir.join("im.sqlite3");
        let mut conn = Connection::open(&path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", if durable { "FULL" } else { "NORMAL" })
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "OFF")
            .map_err(err)?;
        // 64 MiB of page cache: hot inbox and index pages stay in memory instead of being read
        // back from the file for every pull.
        conn.pragma_update(None, "cache_size", -65536)
            .map_err(err)?;
        // Every statement the store runs stays prepared: rusqlite's default cache of 16 is
        // smaller than the statements one message takes through store, route and pull, so they
        // were parsed again and again (5% of the server's CPU under load).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        // Checkpoints run on their own thread (see `checkpoint`); past this many WAL pages the
        // writer finishes one itself, so that it completes and the WAL file is reused from its
        // start instead of growing.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)
            .map_err(err)?;
        schema::migrate(&mut conn, schema::MIGRATIONS)?;
        let checkpointer =
            checkpoint::Checkpointer::spawn(&path).map_err(|e| StoreError(e.to_string()))?;

        let newest: i64 = conn
            .query_row(
                "SELECT MAX(COALESCE((SELECT MAX(data_time) FROM messages), 0), \
                 COALESCE((SELECT MAX(data_time) FROM chatroom_messages), 0))",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        let clock = Clock::of_node(node, newest.max(kv::newest_time(&conn)?));
        Ok((
            Self {
                _checkpointer: Some(checkpointer),
                conn,
                clock: clock.clone(),
            },
            clock,
        ))
    }

    /// A second connection to the store in `dir` (opened first with [`SqliteStore::open`]) that
    /// only reads: WAL readers run beside the writer, on a thread of their own.
    pub fn open_reader(dir: &Path, clock: Clock) -> StoreResult<Self> {
        let conn = Connection::open(dir.join("im.sqlite3")).map_err(err)?;
        conn.pragma_update(None, "query_only", true).map_err(err)?;
        conn.pragma_update(None, "cache_size", -65536)
            .map_err(err)?;
        // Every statement the store runs stays prepared: rusqlite's default cache of 16 is
        // smaller than the statements one message takes through store, route and pull, so they
        // were parsed again and again (5% of the server's CPU under load).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        Ok(Self {
            _checkpointer: None,
            conn,
            clock,
        })
    }

    fn items(&self, sql: &str, args: impl rusqlite::Params) -> StoreResult<Vec<InboxItem>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        let rows = stmt.query_map(args, item).map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    /// Runs `sql` with (`first`, each of `seconds`), all or nothing.
    fn pairs(&mut self, sql: &str, first: &str, seconds: &[String]) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for s in seconds {
            sp.execute(sql, params![first, s]).map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    /// The first column of every row of `sql` with one argument.
    fn strings(&mut self, sql: &str, arg: &str) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        let rows = stmt.query_map(params![arg], |r| r.get(0)).map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }
}

impl Batch for SqliteStore {
    fn begin_batch(&mut self) -> StoreResult<()> {
        self.conn.execute_batch("BEGIN").map_err(err)
    }

    fn commit_batch(&mut self) -> StoreResult<()> {
        self.conn.execute_batch("COMMIT").map_err(|e| {
            // Leave no transaction open behind a failed commit, so the next batch can begin.
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            err(e)
        })
    }

    fn rollback_batch(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
