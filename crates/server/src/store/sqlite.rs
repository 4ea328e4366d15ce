//! The default [`Store`]: one SQLite file in WAL mode. `synchronous = NORMAL` makes a commit
//! durable against a killed process (kill -9); `durable = true` switches to `FULL` for power-loss
//! safety at the cost of an fsync per commit.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{
    Delivery, InboxItem, NewMessage, Page, Store, StoreError, StoreResult, StoredMessage, SENT,
};
use crate::clock::{message_uid, Clock};

const SCHEMA: &str = "
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
CREATE INDEX IF NOT EXISTS conversations_recent ON conversations(user_id, last_time);
CREATE TABLE IF NOT EXISTS blacklist(
  user_id TEXT NOT NULL, black_id TEXT NOT NULL, PRIMARY KEY(user_id, black_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups(group_id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS group_members(
  group_id TEXT NOT NULL, user_id TEXT NOT NULL, joined INTEGER NOT NULL,
  PRIMARY KEY(group_id, user_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_members_user ON group_members(user_id);
CREATE TABLE IF NOT EXISTS users(
  user_id TEXT PRIMARY KEY, name TEXT, portrait TEXT,
  tokens_valid_after INTEGER NOT NULL DEFAULT 0);
";

const ITEM_COLUMNS: &str = "m.uid, m.data_time, m.conv_type, m.from_user, m.target_id, \
     m.object_name, m.content, m.tag, m.recalled, i.direction, i.conv_target, i.mentioned";

fn err(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

fn item(row: &Row<'_>) -> rusqlite::Result<InboxItem> {
    Ok(InboxItem {
        message: StoredMessage {
            uid: row.get(0)?,
            data_time: row.get(1)?,
            conv_type: row.get(2)?,
            from_user: row.get(3)?,
            target_id: row.get(4)?,
            object_name: row.get(5)?,
            content: row.get(6)?,
            tag: row.get(7)?,
            recalled: row.get(8)?,
        },
        direction: row.get(9)?,
        conv_target: row.get(10)?,
        mentioned: row.get(11)?,
    })
}

/// SQLite storage in one file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    clock: Clock,
}

impl SqliteStore {
    /// Opens (creating if needed) `dir/im.sqlite3`. Returns the store and the clock it assigns
    /// message times from, started after the newest stored time.
    pub fn open(dir: &Path, durable: bool) -> StoreResult<(Self, Clock)> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError(e.to_string()))?;
        let conn = Connection::open(dir.join("im.sqlite3")).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", if durable { "FULL" } else { "NORMAL" })
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "OFF")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        let newest: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(data_time), 0) FROM messages",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        let clock = Clock::starting_after(newest);
        Ok((
            Self {
                conn,
                clock: clock.clone(),
            },
            clock,
        ))
    }

    fn items(&self, sql: &str, args: impl rusqlite::Params) -> StoreResult<Vec<InboxItem>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        let rows = stmt.query_map(args, item).map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }
}

fn insert_delivery(
    tx: &rusqlite::Transaction<'_>,
    seq: i64,
    t: i64,
    conv_type: i32,
    d: &Delivery,
    track_conversation: bool,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO inbox(user_id, direction, data_time, seq, conv_type, conv_target, \
         mentioned) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        d.user_id,
        d.direction,
        t,
        seq,
        conv_type,
        d.conv_target,
        d.mentioned
    ])?;
    if track_conversation {
        tx.prepare_cached(
            "INSERT INTO conversations(user_id, conv_type, target_id, last_time, last_direction) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(user_id, conv_type, target_id) DO UPDATE \
             SET last_time = excluded.last_time, last_direction = excluded.last_direction",
        )?
        .execute(params![d.user_id, conv_type, d.conv_target, t, d.direction])?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn insert_message(&mut self, msg: &NewMessage) -> StoreResult<StoredMessage> {
        let t = self.clock.next();
        let uid = message_uid(t);
        let tx = self.conn.transaction().map_err(err)?;
        tx.prepare_cached(
            "INSERT INTO messages(uid, data_time, conv_type, from_user, target_id, object_name, \
             content, tag, push_text, app_data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .and_then(|mut s| {
            s.execute(params![
                uid,
                t,
                msg.conv_type,
                msg.from_user,
                msg.target_id,
                msg.object_name,
                msg.content,
                msg.tag,
                msg.push_text,
                msg.app_data
            ])
        })
        .map_err(err)?;
        let seq = tx.last_insert_rowid();
        for d in &msg.deliveries {
            insert_delivery(&tx, seq, t, msg.conv_type, d, true).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(StoredMessage {
            uid,
            data_time: t,
            conv_type: msg.conv_type,
            from_user: msg.from_user.clone(),
            target_id: msg.target_id.clone(),
            object_name: msg.object_name.clone(),
            content: msg.content.clone(),
            tag: msg.tag,
            recalled: false,
        })
    }

    fn pull(
        &mut self,
        user: &str,
        received_after: i64,
        sent_after: i64,
        limit: usize,
        max_bytes: usize,
    ) -> StoreResult<Page> {
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM inbox i JOIN messages m ON m.seq = i.seq \
             WHERE i.user_id = ?1 AND i.direction = ?2 AND i.data_time > ?3 \
             ORDER BY i.data_time LIMIT ?4"
        );
        let mut all = self.items(&sql, params![user, super::RECEIVED, received_after, fetch])?;
        all.extend(self.items(&sql, params![user, SENT, sent_after, fetch])?);
        all.sort_by_key(|i| (i.message.data_time, i.direction));
        let total = all.len();
        let mut bytes = 0usize;
        let mut keep = 0usize;
        for i in &all {
            bytes = bytes.saturating_add(i.message.content.len() + 64);
            // Always return at least one message, so a single huge one cannot stall sync.
            if keep >= limit || (keep > 0 && bytes > max_bytes) {
                break;
            }
            keep += 1;
        }
        all.truncate(keep);
        Ok(Page {
            more: total > keep,
            items: all,
        })
    }

    fn history(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
        time: i64,
        count: usize,
        newer: bool,
    ) -> StoreResult<Page> {
        let fetch = i64::try_from(count.saturating_add(1)).unwrap_or(i64::MAX);
        let (cmp, order, bound) = match (newer, time) {
            (true, t) => (">", "ASC", t),
            (false, 0) => ("<", "DESC", i64::MAX),
            (false, t) => ("<", "DESC", t),
        };
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM inbox i JOIN messages m ON m.seq = i.seq \
             WHERE i.user_id = ?1 AND i.conv_type = ?2 AND i.conv_target = ?3 \
             AND i.data_time {cmp} ?4 ORDER BY i.data_time {order}, i.direction LIMIT ?5"
        );
        let mut items = self.items(&sql, params![user, conv_type, target, bound, fetch])?;
        let more = items.len() > count;
        items.truncate(count);
        Ok(Page { items, more })
    }

    fn clean_history(&mut self, user: &str, ct: i32, target: &str, up_to: i64) -> StoreResult<()> {
        self.conn
            .execute(
                "DELETE FROM inbox WHERE user_id = ?1 AND conv_type = ?2 AND conv_target = ?3 \
                 AND data_time <= ?4",
                params![user, ct, target, up_to],
            )
            .map(drop)
            .map_err(err)
    }

    fn delete_messages(
        &mut self,
        user: &str,
        ct: i32,
        target: &str,
        uids: &[String],
    ) -> StoreResult<()> {
        let tx = self.conn.transaction().map_err(err)?;
        for uid in uids {
            tx.execute(
                "DELETE FROM inbox WHERE user_id = ?1 AND conv_type = ?2 AND conv_target = ?3 \
                 AND seq = (SELECT seq FROM messages WHERE uid = ?4)",
                params![user, ct, target, uid],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn conversations(&mut self, user: &str, limit: usize) -> StoreResult<Vec<InboxItem>> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM conversations c \
             JOIN inbox i ON i.user_id = c.user_id AND i.direction = c.last_direction \
             AND i.data_time = c.last_time JOIN messages m ON m.seq = i.seq \
             WHERE c.user_id = ?1 ORDER BY c.last_time DESC LIMIT ?2"
        );
        self.items(
            &sql,
            params![user, i64::try_from(limit).unwrap_or(i64::MAX)],
        )
    }

    fn delete_conversation(&mut self, user: &str, ct: i32, target: &str) -> StoreResult<()> {
        self.conn
            .execute(
                "DELETE FROM conversations WHERE user_id = ?1 AND conv_type = ?2 AND target_id = ?3",
                params![user, ct, target],
            )
            .map(drop)
            .map_err(err)
    }

    fn find_message(&mut self, uid: &str) -> StoreResult<Option<StoredMessage>> {
        self.conn
            .query_row(
                "SELECT uid, data_time, conv_type, from_user, target_id, object_name, content, \
                 tag, recalled FROM messages WHERE uid = ?1",
                params![uid],
                |r| {
                    Ok(StoredMessage {
                        uid: r.get(0)?,
                        data_time: r.get(1)?,
                        conv_type: r.get(2)?,
                        from_user: r.get(3)?,
                        target_id: r.get(4)?,
                        object_name: r.get(5)?,
                        content: r.get(6)?,
                        tag: r.get(7)?,
                        recalled: r.get(8)?,
                    })
                },
            )
            .optional()
            .map_err(err)
    }

    fn mark_recalled(&mut self, uid: &str) -> StoreResult<bool> {
        self.conn
            .execute(
                "UPDATE messages SET recalled = 1 WHERE uid = ?1",
                params![uid],
            )
            .map(|n| n > 0)
            .map_err(err)
    }

    fn blacklist_add(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.pairs(
            "INSERT OR IGNORE INTO blacklist(user_id, black_id) VALUES (?1, ?2)",
            user,
            others,
        )
    }

    fn blacklist_remove(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.pairs(
            "DELETE FROM blacklist WHERE user_id = ?1 AND black_id = ?2",
            user,
            others,
        )
    }

    fn blacklist(&mut self, user: &str) -> StoreResult<Vec<String>> {
        self.strings(
            "SELECT black_id FROM blacklist WHERE user_id = ?1 ORDER BY black_id",
            user,
        )
    }

    fn is_blacklisted(&mut self, user: &str, other: &str) -> StoreResult<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM blacklist WHERE user_id = ?1 AND black_id = ?2")
            .and_then(|mut s| s.exists(params![user, other]))
            .map_err(err)
    }

    fn upsert_group(&mut self, group: &str, name: Option<&str>) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO groups(group_id, name) VALUES (?1, COALESCE(?2, '')) \
                 ON CONFLICT(group_id) DO UPDATE SET name = COALESCE(?2, name)",
                params![group, name],
            )
            .map(drop)
            .map_err(err)
    }

    fn add_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.upsert_group(group, None)?;
        let now = crate::clock::wall_ms();
        let tx = self.conn.transaction().map_err(err)?;
        for u in users {
            tx.execute(
                "INSERT OR IGNORE INTO group_members(group_id, user_id, joined) VALUES (?1, ?2, ?3)",
                params![group, u, now],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn remove_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.pairs(
            "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
            group,
            users,
        )
    }

    fn dismiss_group(&mut self, group: &str) -> StoreResult<()> {
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "DELETE FROM group_members WHERE group_id = ?1",
            params![group],
        )
        .map_err(err)?;
        tx.execute("DELETE FROM groups WHERE group_id = ?1", params![group])
            .map_err(err)?;
        tx.commit().map_err(err)
    }

    fn members(&mut self, group: &str) -> StoreResult<Vec<String>> {
        self.strings(
            "SELECT user_id FROM group_members WHERE group_id = ?1 ORDER BY joined, user_id",
            group,
        )
    }

    fn sync_user_groups(&mut self, user: &str, groups: &[(String, String)]) -> StoreResult<()> {
        let now = crate::clock::wall_ms();
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "DELETE FROM group_members WHERE user_id = ?1",
            params![user],
        )
        .map_err(err)?;
        for (id, name) in groups {
            tx.execute(
                "INSERT INTO groups(group_id, name) VALUES (?1, ?2) \
                 ON CONFLICT(group_id) DO UPDATE SET name = ?2",
                params![id, name],
            )
            .map_err(err)?;
            tx.execute(
                "INSERT OR IGNORE INTO group_members(group_id, user_id, joined) VALUES (?1, ?2, ?3)",
                params![id, user, now],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn upsert_user(
        &mut self,
        user: &str,
        name: Option<&str>,
        portrait: Option<&str>,
    ) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO users(user_id, name, portrait) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(user_id) DO UPDATE SET name = COALESCE(?2, name), \
                 portrait = COALESCE(?3, portrait)",
                params![user, name, portrait],
            )
            .map(drop)
            .map_err(err)
    }

    fn set_token_watermark(&mut self, user: &str, before_ms: i64) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO users(user_id, tokens_valid_after) VALUES (?1, ?2) \
                 ON CONFLICT(user_id) DO UPDATE SET tokens_valid_after = \
                 MAX(tokens_valid_after, ?2)",
                params![user, before_ms],
            )
            .map(drop)
            .map_err(err)
    }

    fn token_watermarks(&mut self) -> StoreResult<HashMap<String, i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT user_id, tokens_valid_after FROM users WHERE tokens_valid_after > 0")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?;
        rows.collect::<Result<HashMap<_, _>, _>>().map_err(err)
    }
}

impl SqliteStore {
    fn pairs(&mut self, sql: &str, first: &str, seconds: &[String]) -> StoreResult<()> {
        let tx = self.conn.transaction().map_err(err)?;
        for s in seconds {
            tx.execute(sql, params![first, s]).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn strings(&mut self, sql: &str, arg: &str) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        let rows = stmt.query_map(params![arg], |r| r.get(0)).map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }
}
