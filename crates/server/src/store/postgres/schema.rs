//! The PostgreSQL schema as an ordered list of migrations (see [`crate::store::migrate`]),
//! applied at open under a lock, so that nodes starting together migrate once, and recorded in
//! the table `schema_migrations`.

use postgres::Client;

use super::err;
use crate::store::migrate::{self, Migration, Schema};
use crate::store::StoreResult;

/// Every migration of the PostgreSQL store, oldest first.
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "messages, inboxes, conversations and client message ids",
        sql: &[MESSAGES_V1],
    },
    Migration {
        version: 2,
        name: "users, groups, chatrooms, moderation, settings, audiences, status and services",
        sql: &[
            USERS_V2,
            GROUPS_V2,
            CHATROOMS_V2,
            MODERATION_V2,
            SETTINGS_V2,
            AUDIENCE_V2,
            SERVICES_V2,
        ],
    },
];

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

// From version 2 on, text columns compare byte by byte (`COLLATE "C"`), as SQLite's do: the
// orders of ids and the uniqueness of keys do not depend on the locale the database was created
// with.

/// Users and their tokens, blocks and blacklists.
const USERS_V2: &str = r#"
CREATE TABLE users(
  user_id TEXT COLLATE "C" PRIMARY KEY, name TEXT, portrait TEXT,
  tokens_valid_after BIGINT NOT NULL DEFAULT 0);
CREATE TABLE user_blocks(user_id TEXT COLLATE "C" PRIMARY KEY, until_ms BIGINT NOT NULL);
CREATE TABLE blacklist(
  user_id TEXT COLLATE "C" NOT NULL, black_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(user_id, black_id));
"#;

/// Groups, discussions and their members.
const GROUPS_V2: &str = r#"
CREATE TABLE groups(group_id TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE TABLE group_members(
  group_id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL, joined BIGINT NOT NULL,
  PRIMARY KEY(group_id, user_id));
CREATE INDEX group_members_user ON group_members(user_id);
CREATE TABLE discussions(
  discussion_id TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, admin TEXT NOT NULL,
  open_status INTEGER NOT NULL);
CREATE TABLE discussion_members(
  discussion_id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL, PRIMARY KEY(discussion_id, user_id));
"#;

/// Chatroom history, settings and entries.
const CHATROOMS_V2: &str = r#"
CREATE TABLE chatroom_messages(
  room_id TEXT COLLATE "C" NOT NULL, data_time BIGINT NOT NULL, uid TEXT NOT NULL,
  from_user TEXT NOT NULL, object_name TEXT NOT NULL, content BYTEA NOT NULL,
  tag SMALLINT NOT NULL, PRIMARY KEY(room_id, data_time));
CREATE TABLE chatroom_settings(
  kind TEXT COLLATE "C" NOT NULL, room TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL, until BIGINT NOT NULL, PRIMARY KEY(kind, room, value));
-- A room holds at most the configured number of live rows and 100 (KEPT_DELETIONS) deleted ones.
CREATE TABLE chatroom_entries(
  room_id TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, value TEXT NOT NULL,
  owner TEXT COLLATE "C" NOT NULL, auto_delete BOOLEAN NOT NULL, deleted BOOLEAN NOT NULL,
  time BIGINT NOT NULL, PRIMARY KEY(room_id, key));
CREATE TABLE chatroom_entry_floors(
  room_id TEXT COLLATE "C" PRIMARY KEY, floor BIGINT NOT NULL);
"#;

/// Sensitive words and group mutes.
const MODERATION_V2: &str = r#"
CREATE TABLE sensitive_words(
  seq BIGSERIAL PRIMARY KEY, word TEXT COLLATE "C" NOT NULL UNIQUE, replacement TEXT);
CREATE TABLE group_gags(
  group_id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  until_ms BIGINT NOT NULL, PRIMARY KEY(group_id, user_id));
CREATE TABLE group_bans(group_id TEXT COLLATE "C" PRIMARY KEY);
CREATE TABLE group_ban_whitelist(
  group_id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(group_id, user_id));
"#;

/// Per-user settings and sync marks.
const SETTINGS_V2: &str = r#"
-- A conversation_settings row exists only while one of its flags is set.
CREATE TABLE conversation_settings(
  user_id TEXT COLLATE "C" NOT NULL, conv_type INTEGER NOT NULL,
  target_id TEXT COLLATE "C" NOT NULL, top BOOLEAN NOT NULL, hidden BOOLEAN NOT NULL,
  muted BOOLEAN NOT NULL, PRIMARY KEY(user_id, conv_type, target_id));
CREATE TABLE user_settings(
  user_id TEXT COLLATE "C" PRIMARY KEY, quiet_start TEXT, quiet_span INTEGER,
  offline_days INTEGER, version BIGINT NOT NULL DEFAULT 0);
CREATE TABLE sync_marks(user_id TEXT COLLATE "C" PRIMARY KEY, synced BIGINT NOT NULL);
"#;

/// User tags, push records, deleted history hours and user status.
const AUDIENCE_V2: &str = r#"
CREATE TABLE user_tags(
  user_id TEXT COLLATE "C" NOT NULL, tag TEXT COLLATE "C" NOT NULL, pos INTEGER NOT NULL,
  PRIMARY KEY(user_id, tag));
CREATE INDEX user_tags_tag ON user_tags(tag, user_id);
CREATE TABLE pushes(
  seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL, time BIGINT NOT NULL, request TEXT NOT NULL,
  recipients BIGINT NOT NULL, message_uid TEXT);
CREATE TABLE history_deleted(hour BIGINT PRIMARY KEY);
CREATE TABLE user_status(user_id TEXT COLLATE "C" PRIMARY KEY, status INTEGER NOT NULL);
"#;

/// Public-service accounts, follows, customer services and evaluations.
const SERVICES_V2: &str = r#"
CREATE TABLE public_accounts(
  id TEXT COLLATE "C" PRIMARY KEY, app BOOLEAN NOT NULL, name TEXT COLLATE "C" NOT NULL,
  portrait TEXT NOT NULL, introduction TEXT NOT NULL, menu TEXT NOT NULL,
  global BOOLEAN NOT NULL, time BIGINT NOT NULL);
CREATE TABLE public_follows(
  user_id TEXT COLLATE "C" NOT NULL, account_id TEXT COLLATE "C" NOT NULL, time BIGINT NOT NULL,
  PRIMARY KEY(user_id, account_id));
CREATE INDEX public_follows_account ON public_follows(account_id);
CREATE TABLE customer_services(
  id TEXT COLLATE "C" PRIMARY KEY, mode INTEGER NOT NULL, greeting TEXT NOT NULL,
  agents TEXT[] NOT NULL);
CREATE TABLE cs_evaluations(
  seq BIGSERIAL PRIMARY KEY, service TEXT COLLATE "C" NOT NULL, customer TEXT NOT NULL,
  sid TEXT NOT NULL, kind BIGINT NOT NULL, source BIGINT, resolved BOOLEAN,
  suggest TEXT NOT NULL, time BIGINT NOT NULL);
CREATE INDEX cs_evaluations_service ON cs_evaluations(service, seq);
"#;

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
