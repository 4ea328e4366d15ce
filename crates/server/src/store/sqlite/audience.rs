//! User tags, the app's users, push records and the queries behind hourly history files.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};

use super::messages::{stored_message, write_message};
use super::{err, SqliteStore};
use crate::store::audience::{AudienceStore, PushRecord, MAX_PUSH_RECORDS};
use crate::store::{Message, StoreResult, RECEIVED};

impl SqliteStore {
    /// The smallest `seq` whose message has `data_time >= t` (or one past the last): times
    /// grow with `seq`, as both are assigned in commit order on the one writing thread, so a
    /// binary search over the primary key finds it without an index on time.
    fn first_seq_at(&self, t: i64) -> StoreResult<i64> {
        let (lo, hi): (Option<i64>, Option<i64>) = self
            .conn
            .query_row("SELECT MIN(seq), MAX(seq) FROM messages", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(err)?;
        let (Some(mut lo), Some(hi)) = (lo, hi) else {
            return Ok(0);
        };
        let mut hi = hi.saturating_add(1);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, data_time FROM messages WHERE seq >= ?1 ORDER BY seq LIMIT 1",
            )
            .map_err(err)?;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let row: Option<(i64, i64)> = stmt
                .query_row(params![mid], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(err)?;
            match row {
                Some((seq, time)) if time < t => lo = seq.saturating_add(1),
                _ => hi = mid,
            }
        }
        Ok(lo)
    }
}

impl AudienceStore for SqliteStore {
    fn set_tags(&mut self, users: &[String], tags: &[String]) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for u in users {
            sp.execute("DELETE FROM user_tags WHERE user_id = ?1", params![u])
                .map_err(err)?;
            for (pos, t) in tags.iter().enumerate() {
                sp.execute(
                    "INSERT OR IGNORE INTO user_tags(user_id, tag, pos) VALUES (?1, ?2, ?3)",
                    params![u, t, i64::try_from(pos).unwrap_or(i64::MAX)],
                )
                .map_err(err)?;
            }
        }
        sp.commit().map_err(err)
    }

    fn tags(&mut self, users: &[String]) -> StoreResult<Vec<(String, Vec<String>)>> {
        users
            .iter()
            .map(|u| {
                let tags = self.strings(
                    "SELECT tag FROM user_tags WHERE user_id = ?1 ORDER BY pos",
                    u,
                )?;
                Ok((u.clone(), tags))
            })
            .collect()
    }

    fn users_tagged(&mut self, all: &[String], any: &[String]) -> StoreResult<Vec<String>> {
        let sql = "SELECT user_id FROM user_tags WHERE tag = ?1";
        let mut found: Option<HashSet<String>> = None;
        for t in all {
            let with: HashSet<String> = self.strings(sql, t)?.into_iter().collect();
            found = Some(match found {
                None => with,
                Some(f) => f.intersection(&with).cloned().collect(),
            });
        }
        if !any.is_empty() {
            let mut with_any = HashSet::new();
            for t in any {
                with_any.extend(self.strings(sql, t)?);
            }
            found = Some(match found {
                None => with_any,
                Some(f) => f.intersection(&with_any).cloned().collect(),
            });
        }
        let mut users: Vec<String> = found.unwrap_or_default().into_iter().collect();
        users.sort_unstable();
        Ok(users)
    }

    fn insert_broadcast(&mut self, msg: &mut Message, online: &[String]) -> StoreResult<usize> {
        let t = self.clock.next();
        msg.data_time = t;
        msg.uid = self.clock.uid(t);
        let sp = self.conn.savepoint().map_err(err)?;
        for u in online {
            sp.execute(
                "INSERT OR IGNORE INTO users(user_id) VALUES (?1)",
                params![u],
            )
            .map_err(err)?;
        }
        write_message(&sp, msg, &[], None).map_err(err)?;
        let seq = sp.last_insert_rowid();
        // Receivers see the conversation under the sender (a one-to-one type).
        let everyone = "(SELECT user_id FROM users UNION SELECT user_id FROM sync_marks)";
        let count = sp
            .execute(
                &format!(
                    "INSERT OR REPLACE INTO inbox(user_id, direction, data_time, seq, conv_type, \
                     conv_target, mentioned) SELECT user_id, ?1, ?2, ?3, ?4, ?5, 0 \
                     FROM {everyone} WHERE user_id <> ?5"
                ),
                params![RECEIVED, t, seq, msg.conv_type, msg.from_user],
            )
            .map_err(err)?;
        sp.execute(
            &format!(
                "INSERT INTO conversations(user_id, conv_type, target_id, last_time, \
                 last_direction) SELECT user_id, ?1, ?2, ?3, ?4 FROM {everyone} \
                 WHERE user_id <> ?2 ON CONFLICT(user_id, conv_type, target_id) DO UPDATE \
                 SET last_time = excluded.last_time, last_direction = excluded.last_direction"
            ),
            params![msg.conv_type, msg.from_user, t, RECEIVED],
        )
        .map_err(err)?;
        sp.commit().map_err(err)?;
        Ok(count)
    }

    fn record_push(&mut self, push: &PushRecord) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        sp.execute(
            "INSERT INTO pushes(id, time, request, recipients, message_uid) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                push.id,
                push.time,
                push.request,
                i64::try_from(push.recipients).unwrap_or(i64::MAX),
                push.message_uid
            ],
        )
        .map_err(err)?;
        sp.execute(
            "DELETE FROM pushes WHERE seq <= (SELECT MAX(seq) FROM pushes) - ?1",
            params![i64::try_from(MAX_PUSH_RECORDS).unwrap_or(i64::MAX)],
        )
        .map_err(err)?;
        sp.commit().map_err(err)
    }

    fn pushes(&mut self, limit: usize) -> StoreResult<Vec<PushRecord>> {
        self.rows(
            "SELECT id, time, request, recipients, message_uid FROM pushes \
             ORDER BY seq DESC LIMIT ?1",
            params![i64::try_from(limit).unwrap_or(i64::MAX)],
            |r| {
                Ok(PushRecord {
                    id: r.get(0)?,
                    time: r.get(1)?,
                    request: r.get(2)?,
                    recipients: usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                    message_uid: r.get(4)?,
                })
            },
        )
    }

    fn messages_between(
        &mut self,
        from: i64,
        to: i64,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        let start = self.first_seq_at(from.max(after.saturating_add(1)))?;
        let end = self.first_seq_at(to)?;
        self.rows(
            "SELECT uid, data_time, conv_type, from_user, target_id, object_name, content, tag, \
             recalled FROM messages WHERE seq >= ?1 AND seq < ?2 ORDER BY seq LIMIT ?3",
            params![start, end, i64::try_from(limit).unwrap_or(i64::MAX)],
            stored_message,
        )
    }

    fn chatrooms_with_messages(&mut self) -> StoreResult<Vec<String>> {
        self.rows(
            "SELECT DISTINCT room_id FROM chatroom_messages ORDER BY room_id",
            [],
            |r| r.get(0),
        )
    }

    fn chatroom_messages_between(
        &mut self,
        room: &str,
        from: i64,
        to: i64,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        self.rows(
            "SELECT uid, data_time, 4, from_user, room_id, object_name, content, tag, 0 \
             FROM chatroom_messages WHERE room_id = ?1 AND data_time >= ?2 AND data_time < ?3 \
             ORDER BY data_time LIMIT ?4",
            params![
                room,
                from.max(after.saturating_add(1)),
                to,
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            stored_message,
        )
    }

    fn set_history_deleted(&mut self, hour: i64, deleted: bool) -> StoreResult<()> {
        let sql = if deleted {
            "INSERT OR IGNORE INTO history_deleted(hour) VALUES (?1)"
        } else {
            "DELETE FROM history_deleted WHERE hour = ?1"
        };
        self.conn.execute(sql, params![hour]).map(drop).map_err(err)
    }

    fn history_deleted(&mut self, hour: i64) -> StoreResult<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM history_deleted WHERE hour = ?1)",
                params![hour],
                |r| r.get(0),
            )
            .map_err(err)
    }
}
