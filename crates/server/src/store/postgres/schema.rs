//! The PostgreSQL schema as an ordered list of migrations (see [`crate::store::migrate`]),
//! applied at open under a lock, so that nodes starting together migrate once, and recorded in
//! the table `schema_migrations`.

use postgres::Client;

use super::err;
use crate::store::migrate::{self, Migration, Schema};
use crate::store::StoreResult;

/// Every migration of the PostgreSQL store, oldest first.
pub(super) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "messages, inboxes, conversations and client message ids",
    sql: &[MESSAGES_V1],
}];

/// Messages, inboxes, conversations, client message ids, and the clock of message times.
const MESSAGES_V1: &str = "
CREATE TABLE messages(
  seq BIGSERIAL PRIMARY KEY, uid TEXT NOT NULL UNIQUE, data_time BIGINT NOT NULL,
  conv_type INTEGER NOT NULL, from_user TEXT NOT NULL, target_id TEXT NOT NULL,
  object_name TEXT NOT NULL, content BYTEA NOT NULL, tag SMALLINT NOT NULL,
  push_text TEXT, app_data TEXT, recalled BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE inbox(
  user_id TEXT NOT NULL, direction SMALLINT NOT NULL, data_time BIGINT NOT NULL,
  seq BIGINT NOT NULL, conv_type INTEGER NOT NULL, conv_target TEXT NOT NULL,
  mentioned BOOLEAN NOT NULL, PRIMARY KEY(user_id, direction, data_time));
CREATE INDEX inbox_conv ON inbox(user_id, conv_type, conv_target, data_time);
CREATE TABLE conversations(
  user_id TEXT NOT NULL, conv_type INTEGER NOT NULL, target_id TEXT NOT NULL,
  last_time BIGINT NOT NULL, last_direction SMALLINT NOT NULL,
  PRIMARY KEY(user_id, conv_type, target_id));
CREATE TABLE client_msg_ids(
  user_id TEXT NOT NULL, client_id TEXT NOT NULL, uid TEXT NOT NULL, data_time BIGINT NOT NULL,
  PRIMARY KEY(user_id, client_id));
CREATE INDEX client_msg_ids_time ON client_msg_ids(data_time);
-- One row: the newest message time given out. Updating it takes its row lock until the
-- commit, so the times of all nodes increase in commit order.
CREATE TABLE message_clock(
  one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), last BIGINT NOT NULL);
INSERT INTO message_clock(last) VALUES (0);
";

/// Key of the advisory lock held while migrating ('im' 'sc' 'he' 'ma').
const LOCK: i64 = 0x696d_7363_6865_6d61;

impl Schema for postgres::Transaction<'_> {
    fn version(&mut self) -> StoreResult<u32> {
        self.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations(
               version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)",
        )
        .map_err(err)?;
        let version: i32 = self
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .and_then(|r| r.try_get(0))
            .map_err(err)?;
        Ok(u32::try_from(version).unwrap_or(0))
    }

    fn apply(&mut self, m: &Migration) -> StoreResult<()> {
        for sql in m.sql {
            self.batch_execute(sql).map_err(err)?;
        }
        let version = i32::try_from(m.version).unwrap_or(i32::MAX);
        self.execute(
            "INSERT INTO schema_migrations(version, name, applied) VALUES ($1, $2, $3)",
            &[&version, &m.name, &crate::clock::wall_ms()],
        )
        .map(drop)
        .map_err(err)
    }
}

/// Brings the database to the last version of `list`, in one transaction, holding a lock that
/// nodes starting together wait for; returns the version it had.
pub(super) fn migrate(client: &mut Client, list: &[Migration]) -> StoreResult<u32> {
    let mut tx = client.transaction().map_err(err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .map_err(err)?;
    let had = migrate::run(&mut tx, list)?;
    tx.commit().map_err(err)?;
    Ok(had)
}
