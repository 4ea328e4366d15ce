//! The SQLite schema as an ordered list of migrations (see [`crate::store::migrate`]), applied
//! at open and recorded in the table `schema_migrations`.
//!
//! Version 1 is the schema of the releases before versioning, written with `IF NOT EXISTS`
//! throughout, so that a database they created is upgraded by recording it.

use rusqlite::{params, Connection};

use super::err;
use crate::store::migrate::{self, Migration, Schema};
use crate::store::StoreResult;

/// Every migration of the SQLite store, oldest first.
pub(super) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "tables of the releases before versioning",
    sql: &[
        MESSAGES_V1,
        KV_V1,
        MODERATION_V1,
        SETTINGS_V1,
        AUDIENCE_V1,
        STATUS_V1,
        SERVICES_V1,
    ],
}];

/// Messages, inboxes, conversations, blacklists, groups, discussions, blocks, chatroom history
/// and settings, client message ids, users.
const MESSAGES_V1: &str = "
CREATE TABLE IF NOT EXISTS messages(
  seq INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, data_time INTEGER NOT NULL,
  conv_type INTEGER NOT NULL, from_user TEXT NOT NULL, target_id TEXT NOT NULL,
  object_name TEXT NOT NULL, content BLOB NOT NULL, tag INTEGER NOT NULL,
  push_text TEXT, app_data TEXT, recalled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS inbox(
  user_id TEXT NOT NULL, direction INTEGER NOT NULL, data_time INTEGER NOT NULL,
  seq INTEGER NOT NULL, conv_type INTEGER NOT NULL, conv_target TEXT NOT NULL,
  mentioned INTEGER NOT NULL, PRIMARY KEY(user_id, direction, data_time)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inbox_conv ON inbox(user_id, conv_type, conv_target, data_time);
CREATE TABLE IF NOT EXISTS conversations(
  user_id TEXT NOT NULL, conv_type INTEGER NOT NULL, target_id TEXT NOT NULL,
  last_time INTEGER NOT NULL, last_direction INTEGER NOT NULL,
  PRIMARY KEY(user_id, conv_type, target_id)) WITHOUT ROWID;
-- Sorting one user's conversations on a query is cheaper than keeping an index on last_time
-- up to date for every message.
DROP INDEX IF EXISTS conversations_recent;
CREATE TABLE IF NOT EXISTS blacklist(
  user_id TEXT NOT NULL, black_id TEXT NOT NULL, PRIMARY KEY(user_id, black_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups(group_id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS group_members(
  group_id TEXT NOT NULL, user_id TEXT NOT NULL, joined INTEGER NOT NULL,
  PRIMARY KEY(group_id, user_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_members_user ON group_members(user_id);
CREATE TABLE IF NOT EXISTS discussions(
  discussion_id TEXT PRIMARY KEY, name TEXT NOT NULL, admin TEXT NOT NULL,
  open_status INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS discussion_members(
  discussion_id TEXT NOT NULL, user_id TEXT NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY(discussion_id, user_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_blocks(
  user_id TEXT PRIMARY KEY, until_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chatroom_messages(
  room_id TEXT NOT NULL, data_time INTEGER NOT NULL, uid TEXT NOT NULL, from_user TEXT NOT NULL,
  object_name TEXT NOT NULL, content BLOB NOT NULL, tag INTEGER NOT NULL,
  PRIMARY KEY(room_id, data_time)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chatroom_settings(
  kind TEXT NOT NULL, room TEXT NOT NULL, value TEXT NOT NULL, until INTEGER NOT NULL,
  PRIMARY KEY(kind, room, value)) WITHOUT ROWID;
-- The client message ids of stored messages (protocol-additions.md §7), written with the
-- message, so a resend after a lost PUBACK is answered with the first send's UId and time.
CREATE TABLE IF NOT EXISTS client_msg_ids(
  user_id TEXT NOT NULL, client_id TEXT NOT NULL, uid TEXT NOT NULL, data_time INTEGER NOT NULL,
  PRIMARY KEY(user_id, client_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users(
  user_id TEXT PRIMARY KEY, name TEXT, portrait TEXT,
  tokens_valid_after INTEGER NOT NULL DEFAULT 0);
";

/// Chatroom entries.
const KV_V1: &str = "
-- A room holds at most the configured number of live rows and 100 (KEPT_DELETIONS) deleted ones.
CREATE TABLE IF NOT EXISTS chatroom_entries(
  room_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, owner TEXT NOT NULL,
  auto_delete INTEGER NOT NULL, deleted INTEGER NOT NULL, time INTEGER NOT NULL,
  PRIMARY KEY(room_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chatroom_entry_floors(
  room_id TEXT PRIMARY KEY, floor INTEGER NOT NULL) WITHOUT ROWID;
";

/// Sensitive words and group mutes.
const MODERATION_V1: &str = "
CREATE TABLE IF NOT EXISTS sensitive_words(
  seq INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, replacement TEXT);
CREATE TABLE IF NOT EXISTS group_gags(
  group_id TEXT NOT NULL, user_id TEXT NOT NULL, until_ms INTEGER NOT NULL,
  PRIMARY KEY(group_id, user_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_bans(group_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_ban_whitelist(
  group_id TEXT NOT NULL, user_id TEXT NOT NULL,
  PRIMARY KEY(group_id, user_id)) WITHOUT ROWID;
";

/// Per-user settings and sync marks.
const SETTINGS_V1: &str = "
-- A conversation_settings row exists only while one of its flags is set.
CREATE TABLE IF NOT EXISTS conversation_settings(
  user_id TEXT NOT NULL, conv_type INTEGER NOT NULL, target_id TEXT NOT NULL,
  top INTEGER NOT NULL, hidden INTEGER NOT NULL, muted INTEGER NOT NULL,
  PRIMARY KEY(user_id, conv_type, target_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_settings(
  user_id TEXT PRIMARY KEY, quiet_start TEXT, quiet_span INTEGER, offline_days INTEGER,
  version INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_marks(
  user_id TEXT PRIMARY KEY, synced INTEGER NOT NULL) WITHOUT ROWID;
";

/// User tags, push records, deleted history hours.
const AUDIENCE_V1: &str = "
CREATE TABLE IF NOT EXISTS user_tags(
  user_id TEXT NOT NULL, tag TEXT NOT NULL, pos INTEGER NOT NULL,
  PRIMARY KEY(user_id, tag)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_tags_tag ON user_tags(tag, user_id);
CREATE TABLE IF NOT EXISTS pushes(
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, time INTEGER NOT NULL, request TEXT NOT NULL,
  recipients INTEGER NOT NULL, message_uid TEXT);
CREATE TABLE IF NOT EXISTS history_deleted(hour INTEGER PRIMARY KEY);
";

/// User status.
const STATUS_V1: &str = "
CREATE TABLE IF NOT EXISTS user_status(
  user_id TEXT PRIMARY KEY, status INTEGER NOT NULL) WITHOUT ROWID;
";

/// Public-service accounts, follows, customer services and evaluations.
const SERVICES_V1: &str = "
CREATE TABLE IF NOT EXISTS public_accounts(
  id TEXT PRIMARY KEY, app INTEGER NOT NULL, name TEXT NOT NULL, portrait TEXT NOT NULL,
  introduction TEXT NOT NULL, menu TEXT NOT NULL, global INTEGER NOT NULL,
  time INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS public_follows(
  user_id TEXT NOT NULL, account_id TEXT NOT NULL, time INTEGER NOT NULL,
  PRIMARY KEY(user_id, account_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS public_follows_account ON public_follows(account_id);
CREATE TABLE IF NOT EXISTS customer_services(
  id TEXT PRIMARY KEY, mode INTEGER NOT NULL, greeting TEXT NOT NULL,
  agents TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cs_evaluations(
  seq INTEGER PRIMARY KEY, service TEXT NOT NULL, customer TEXT NOT NULL, sid TEXT NOT NULL,
  kind INTEGER NOT NULL, source INTEGER, resolved INTEGER, suggest TEXT NOT NULL,
  time INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS cs_evaluations_service ON cs_evaluations(service, seq);
";

impl Schema for rusqlite::Transaction<'_> {
    fn version(&mut self) -> StoreResult<u32> {
        self.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations(
               version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)",
        )
        .map_err(err)?;
        self.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(err)
    }

    fn apply(&mut self, m: &Migration) -> StoreResult<()> {
        for sql in m.sql {
            self.execute_batch(sql).map_err(err)?;
        }
        self.execute(
            "INSERT INTO schema_migrations(version, name, applied) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, crate::clock::wall_ms()],
        )
        .map(drop)
        .map_err(err)
    }
}

/// Brings the database of `conn` to the last version of `list`, in one transaction; returns
/// the version it had.
pub(super) fn migrate(conn: &mut Connection, list: &[Migration]) -> StoreResult<u32> {
    let mut tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    let had = migrate::run(&mut tx, list)?;
    tx.commit().map_err(err)?;
    Ok(had)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use crate::store::{MessageStore, UserStore};

    fn versions(conn: &Connection) -> Vec<u32> {
        let mut stmt = conn
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    /// A database as the releases before versioning left it: their tables (version 1's
    /// statements), no `schema_migrations`, and some rows.
    fn unversioned(dir: &std::path::Path) {
        let conn = Connection::open(dir.join("im.sqlite3")).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        for sql in MIGRATIONS[0].sql {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO messages(uid, data_time, conv_type, from_user, target_id, object_name, \
             content, tag) VALUES ('OLD1-UID0-0000-0000', 4102444800000, 1, 'a', 'b', \
             'RC:TxtMsg', X'7B7D', 3);
             INSERT INTO blacklist(user_id, black_id) VALUES ('a', 'c');",
        )
        .unwrap();
    }

    #[test]
    fn a_database_of_the_releases_before_versioning_opens_with_its_data_and_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        unversioned(dir.path());
        {
            let (mut s, clock) = SqliteStore::open(dir.path(), false).unwrap();
            assert_eq!(versions(&s.conn), [1]);
            let old = s.find_message("OLD1-UID0-0000-0000").unwrap().unwrap();
            assert_eq!(old.data_time, 4_102_444_800_000);
            assert_eq!(s.blacklist("a").unwrap(), ["c"]);
            assert!(
                clock.next() > old.data_time,
                "the clock starts after stored times"
            );
        }
        // Opening again applies nothing more.
        let (s, _) = SqliteStore::open(dir.path(), false).unwrap();
        assert_eq!(versions(&s.conn), [1]);
    }

    #[test]
    fn later_migrations_run_in_order_once() {
        const LIST: &[Migration] = &[
            MIGRATIONS[0],
            Migration {
                version: 2,
                name: "notes",
                sql: &["CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT NOT NULL)"],
            },
            Migration {
                version: 3,
                name: "note authors",
                sql: &["ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''"],
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        unversioned(dir.path());
        let mut conn = Connection::open(dir.path().join("im.sqlite3")).unwrap();
        assert_eq!(migrate(&mut conn, &LIST[..1]).unwrap(), 0);
        assert_eq!(migrate(&mut conn, LIST).unwrap(), 1);
        assert_eq!(migrate(&mut conn, LIST).unwrap(), 3);
        assert_eq!(versions(&conn), [1, 2, 3]);
        conn.execute("INSERT INTO notes(text, author) VALUES ('x', 'a')", [])
            .unwrap();
    }

    #[test]
    fn a_failed_migration_keeps_nothing_and_a_newer_database_is_refused() {
        const BROKEN: &[Migration] = &[
            MIGRATIONS[0],
            Migration {
                version: 2,
                name: "broken",
                sql: &["CREATE TABLE half(x)", "NOT SQL"],
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(dir.path().join("im.sqlite3")).unwrap();
        assert!(migrate(&mut conn, BROKEN).is_err());
        let tables: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('half', 'messages')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0);

        migrate(&mut conn, MIGRATIONS).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations(version, name, applied) VALUES (99, 'future', 0)",
            [],
        )
        .unwrap();
        drop(conn);
        let e = SqliteStore::open(dir.path(), false).unwrap_err();
        assert!(e.0.contains("newer"), "{e}");
    }
}
