//! The PostgreSQL store, for nodes that share one database (`IM_STORE=postgres://…`). It runs
//! on the store threads like the SQLite store, through the synchronous `postgres` client: one
//! connection per thread, a batch of queued calls in one transaction.
//!
//! It implements every domain trait as the SQLite store does, one file per domain with the same
//! names (see [`crate::store::sqlite`]), and answers alike: the checks of
//! `store/conformance/` run on both.
//!
//! PostgreSQL's text cannot hold the character NUL, which SQLite's can: every text this store
//! writes or looks up goes through `text()`, which puts U+FFFD in its place, so that such an
//! input (a client may send one) is stored and found again instead of failing, with the other
//! calls of its batch.
//!
//! Message times are assigned inside the transaction that stores the message, from one row
//! (`message_clock`) that every node updates: its row lock orders the nodes' commits, so times
//! increase in commit order across nodes as they do on one SQLite writer.

mod audience;
mod chatrooms;
mod groups;
mod kv;
mod messages;
mod moderation;
mod schema;
mod services;
mod settings;
mod status;
#[doc(hidden)]
pub mod testdb;
mod users;

use std::borrow::Cow;
use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use super::{Batch, StoreError, StoreResult};
use crate::clock::{Clock, NodeId};
use crate::cluster::PostgresUrl;

fn err(e: postgres::Error) -> StoreError {
    // The server's own message (e.g. which constraint failed) when there is one.
    match e.as_db_error() {
        Some(db) => StoreError(format!("postgres: {}", db.message())),
        None => StoreError(format!("postgres: {e}")),
    }
}

/// `s` as this store writes and looks up text: with U+FFFD in place of each NUL (see the
/// module docs).
fn text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Each of `list` through [`text`].
fn texts(list: &[String]) -> Vec<Cow<'_, str>> {
    list.iter().map(|s| text(s)).collect()
}

/// `n` as a BIGINT (a count or a limit).
fn bigint(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A SMALLINT as the byte it holds.
fn small(v: i16) -> u8 {
    u8::try_from(v).unwrap_or_default()
}

/// A BIGINT count as a `usize`.
fn size(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// A connection and the statements prepared on it.
pub(super) struct Conn {
    client: Client,
    prepared: HashMap<String, Statement>,
}

/// Parameters of a statement.
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl Conn {
    fn new(client: Client) -> Self {
        Self {
            client,
            prepared: HashMap::new(),
        }
    }

    /// `sql` prepared once per connection: a statement is parsed and planned once, and each
    /// run is one round trip.
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(st) = self.prepared.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql)?;
        self.prepared.insert(sql.to_owned(), st.clone());
        Ok(st)
    }

    fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.execute(&st, params)
    }

    fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.query(&st, params)
    }

    fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.query_one(&st, params)
    }

    fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.query_opt(&st, params)
    }

    /// The first column of every row.
    fn column<T: for<'a> postgres::types::FromSql<'a>>(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<T>, postgres::Error> {
        self.query(sql, params)?
            .iter()
            .map(|r| r.try_get(0))
            .collect()
    }

    /// Runs `sql` with (`first`, each of `seconds`).
    fn pairs(&mut self, sql: &str, first: &str, seconds: &[String]) -> Result<(), postgres::Error> {
        let first = text(first);
        for s in seconds {
            self.execute(sql, &[&first, &text(s)])?;
        }
        Ok(())
    }
}

/// A connection to the shared PostgreSQL database.
pub struct PostgresStore {
    conn: Conn,
    clock: Clock,
    /// Batches run in one transaction (the writing connection); a reading one runs each
    /// statement by itself, so that one failed read spoils no other.
    batches: bool,
    in_batch: bool,
    /// A statement of the open batch failed: PostgreSQL has aborted its transaction, and a
    /// COMMIT would quietly roll it back, so the batch is reported failed instead.
    failed: bool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("node", &self.clock.node())
            .field("in_batch", &self.in_batch)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to `url`, brings its schema to the current version and returns the store with
    /// the clock of `node`, started after the newest stored time.
    pub fn open(url: &PostgresUrl, node: NodeId) -> StoreResult<(Self, Clock)> {
        let mut client = Client::connect(&url.url, NoTls).map_err(err)?;
        schema::migrate(&mut client, schema::MIGRATIONS)?;
        // Chatroom messages and entries take their times from the node's clock rather than
        // from `message_clock`: the clock starts after theirs too.
        let newest: i64 = client
            .query_one(
                "SELECT GREATEST((SELECT last FROM message_clock), \
                 (SELECT COALESCE(MAX(data_time), 0) FROM chatroom_messages), \
                 (SELECT COALESCE(MAX(time), 0) FROM chatroom_entries), \
                 (SELECT COALESCE(MAX(floor), 0) FROM chatroom_entry_floors))",
                &[],
            )
            .and_then(|r| r.try_get(0))
            .map_err(err)?;
        let clock = Clock::of_node(node, newest);
        let store = Self {
            conn: Conn::new(client),
            clock: clock.clone(),
            batches: true,
            in_batch: false,
            failed: false,
        };
        Ok((store, clock))
    }

    /// A second connection (opened after [`PostgresStore::open`]) that only reads.
    pub fn open_reader(url: &PostgresUrl, clock: Clock) -> StoreResult<Self> {
        let mut client = Client::connect(&url.url, NoTls).map_err(err)?;
        client
            .batch_execute("SET default_transaction_read_only = on")
            .map_err(err)?;
        Ok(Self {
            conn: Conn::new(client),
            clock,
            batches: false,
            in_batch: false,
            failed: false,
        })
    }

    /// Runs `f`, a single statement or reads, on the connection.
    fn run<R>(
        &mut self,
        f: impl FnOnce(&mut Conn) -> Result<R, postgres::Error>,
    ) -> StoreResult<R> {
        let result = f(&mut self.conn).map_err(err);
        if result.is_err() && self.in_batch {
            self.failed = true;
        }
        result
    }

    /// Runs `f` so that its statements commit together: inside the batch, whose rollback
    /// undoes a failed call, or else in a transaction of its own.
    fn atomic<R>(
        &mut self,
        f: impl FnOnce(&mut Conn) -> Result<R, postgres::Error>,
    ) -> StoreResult<R> {
        if self.in_batch {
            return self.run(f);
        }
        let client = &mut self.conn.client;
        client.batch_execute("BEGIN").map_err(err)?;
        match f(&mut self.conn) {
            Ok(r) => self
                .conn
                .client
                .batch_execute("COMMIT")
                .map(|()| r)
                .map_err(err),
            Err(e) => {
                let _ = self.conn.client.batch_execute("ROLLBACK");
                Err(err(e))
            }
        }
    }
}

impl Batch for PostgresStore {
    fn begin_batch(&mut self) -> StoreResult<()> {
        if self.batches {
            self.conn.client.batch_execute("BEGIN").map_err(err)?;
            self.in_batch = true;
            self.failed = false;
        }
        Ok(())
    }

    fn commit_batch(&mut self) -> StoreResult<()> {
        if !std::mem::take(&mut self.in_batch) {
            return Ok(());
        }
        if std::mem::take(&mut self.failed) {
            let _ = self.conn.client.batch_execute("ROLLBACK");
            return Err(StoreError(
                "a statement of the batch failed; nothing was kept".into(),
            ));
        }
        self.conn.client.batch_execute("COMMIT").map_err(|e| {
            let _ = self.conn.client.batch_execute("ROLLBACK");
            err(e)
        })
    }

    fn rollback_batch(&mut self) {
        if std::mem::take(&mut self.in_batch) {
            let _ = self.conn.client.batch_execute("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testdb::TempPostgres;
    use super::{schema, PostgresStore};
    use crate::clock::{parts, NodeId};
    use crate::store::conformance::{self, store_text};
    use crate::store::{MessageStore, RECEIVED};

    fn node(n: u32) -> NodeId {
        NodeId::try_from(n).unwrap()
    }

    #[test]
    fn the_postgres_store_passes_the_store_checks() {
        let Some(pg) = TempPostgres::start().unwrap() else {
            return;
        };
        conformance::all(|| {
            PostgresStore::open(&pg.database().unwrap(), node(0))
                .unwrap()
                .0
        });
    }

    #[test]
    fn nodes_sharing_a_database_migrate_once_and_get_distinct_increasing_times() {
        let Some(pg) = TempPostgres::start().unwrap() else {
            return;
        };
        let url = pg.database().unwrap();
        // Nodes that start together: one migrates, the others wait for it and find it done.
        let opened: Vec<_> = (1..=3)
            .map(|n| {
                let url = url.clone();
                std::thread::spawn(move || PostgresStore::open(&url, node(n)).unwrap().0)
            })
            .collect();
        let mut stores: Vec<PostgresStore> =
            opened.into_iter().map(|t| t.join().unwrap()).collect();
        let versions = stores[0]
            .conn
            .query("SELECT version FROM schema_migrations", &[])
            .unwrap();
        let latest = crate::store::migrate::latest(schema::MIGRATIONS);
        assert_eq!(versions.len(), usize::try_from(latest).unwrap());

        let mut made = Vec::new();
        for _ in 0..50 {
            for s in &mut stores {
                made.push(store_text(s, 1, "p", "u", RECEIVED));
            }
        }
        // Times increase in the order the nodes committed, across nodes; each UId names its node.
        assert!(made.windows(2).all(|w| w[0].data_time < w[1].data_time));
        for (i, m) in made.iter().enumerate() {
            assert_eq!(usize::from(parts(&m.uid).1), i % 3 + 1);
        }
        // A node started later begins after the newest time.
        let (_, clock) = PostgresStore::open(&url, node(4)).unwrap();
        assert!(clock.next() > made.last().unwrap().data_time);

        // A reading connection sees what was committed and writes nothing.
        let mut reader = PostgresStore::open_reader(&url, clock).unwrap();
        let last = made.last().unwrap();
        assert_eq!(
            reader.find_message(&last.uid).unwrap().unwrap().uid,
            last.uid
        );
        assert!(reader.mark_recalled(&last.uid).is_err());
        assert!(!stores[0].find_message(&last.uid).unwrap().unwrap().recalled);
    }
}
