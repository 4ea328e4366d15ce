//! User tags, the app's users, push records and the queries behind hourly history files, as
//! the SQLite store keeps them.

use std::collections::{HashMap, HashSet};

use super::messages::{message, next_time, write_message};
use super::{bigint, size, text, texts, Conn, PostgresStore};
use crate::store::audience::{AudienceStore, PushRecord, MAX_PUSH_RECORDS};
use crate::store::{Message, StoreResult, RECEIVED};

/// The users of the app: registered ones and those a client ever synced.
const EVERYONE: &str = "(SELECT user_id FROM users UNION SELECT user_id FROM sync_marks) e";

/// The smallest `seq` whose message has `data_time >= t` (or one past the last). Times grow
/// with `seq` across nodes too: a message's `seq` is drawn after its time, under the lock of
/// `message_clock` (see [`next_time`]), so a binary search over the primary key finds it
/// without an index on time.
fn first_seq_at(c: &mut Conn, t: i64) -> Result<i64, postgres::Error> {
    let row = c.query_one("SELECT MIN(seq), MAX(seq) FROM messages", &[])?;
    let (lo, hi): (Option<i64>, Option<i64>) = (row.try_get(0)?, row.try_get(1)?);
    let (Some(mut lo), Some(hi)) = (lo, hi) else {
        return Ok(0);
    };
    let mut hi = hi.saturating_add(1);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let row = c.query_opt(
            "SELECT seq, data_time FROM messages WHERE seq >= $1 ORDER BY seq LIMIT 1",
            &[&mid],
        )?;
        match row {
            Some(r) if r.try_get::<_, i64>(1)? < t => {
                lo = r.try_get::<_, i64>(0)?.saturating_add(1)
            }
            _ => hi = mid,
        }
    }
    Ok(lo)
}

/// The users carrying `tag`.
fn tagged(c: &mut Conn, tag: &str) -> Result<HashSet<String>, postgres::Error> {
    Ok(c.column::<String>(
        "SELECT user_id FROM user_tags WHERE tag = $1",
        &[&text(tag)],
    )?
    .into_iter()
    .collect())
}

impl AudienceStore for PostgresStore {
    fn set_tags(&mut self, users: &[String], tags: &[String]) -> StoreResult<()> {
        self.atomic(|c| {
            for u in users {
                let u = text(u);
                c.execute("DELETE FROM user_tags WHERE user_id = $1", &[&u])?;
                for (pos, t) in tags.iter().enumerate() {
                    let pos = i32::try_from(pos).unwrap_or(i32::MAX);
                    c.execute(
                        "INSERT INTO user_tags(user_id, tag, pos) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                        &[&u, &text(t), &pos],
                    )?;
                }
            }
            Ok(())
        })
    }

    fn tags(&mut self, users: &[String]) -> StoreResult<Vec<(String, Vec<String>)>> {
        let keys = texts(users);
        let stored = self.run(|c| {
            let mut stored: HashMap<String, Vec<String>> = HashMap::new();
            let rows = c.query(
                "SELECT user_id, tag FROM user_tags WHERE user_id = ANY($1) ORDER BY user_id, pos",
                &[&keys],
            )?;
            for r in &rows {
                stored.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
            }
            Ok(stored)
        })?;
        Ok(users
            .iter()
            .zip(&keys)
            .map(|(u, k)| {
                (
                    u.clone(),
                    stored.get(k.as_ref()).cloned().unwrap_or_default(),
                )
            })
            .collect())
    }

    fn users_tagged(&mut self, all: &[String], any: &[String]) -> StoreResult<Vec<String>> {
        self.run(|c| {
            let mut found: Option<HashSet<String>> = None;
            for t in all {
                let with = tagged(c, t)?;
                found = Some(match found {
                    None => with,
                    Some(f) => f.intersection(&with).cloned().collect(),
                });
            }
            if !any.is_empty() {
                let mut with_any = HashSet::new();
                for t in any {
                    with_any.extend(tagged(c, t)?);
                }
                found = Some(match found {
                    None => with_any,
                    Some(f) => f.intersection(&with_any).cloned().collect(),
                });
            }
            let mut users: Vec<String> = found.unwrap_or_default().into_iter().collect();
            users.sort_unstable();
            Ok(users)
        })
    }

    fn insert_broadcast(&mut self, msg: &mut Message, online: &[String]) -> StoreResult<usize> {
        let clock = self.clock.clone();
        let mut stored = std::mem::take(msg);
        let result = self.atomic(|c| {
            stored.data_time = next_time(c, &clock)?;
            stored.uid = clock.uid(stored.data_time);
            for u in online {
                c.execute(
                    "INSERT INTO users(user_id) VALUES ($1) ON CONFLICT DO NOTHING",
                    &[&text(u)],
                )?;
            }
            let seq = write_message(c, &stored, &[], None)?;
            let (t, sender) = (stored.data_time, text(&stored.from_user));
            // Receivers see the conversation under the sender (a one-to-one type).
            let count = c.execute(
                &format!(
                    "INSERT INTO inbox(user_id, direction, data_time, seq, conv_type, \
                     conv_target, mentioned) SELECT user_id, $1::SMALLINT, $2::BIGINT, \
                     $3::BIGINT, $4::INTEGER, $5::TEXT, FALSE FROM {EVERYONE} \
                     WHERE user_id <> $5::TEXT ON CONFLICT(user_id, direction, data_time) \
                     DO UPDATE SET seq = excluded.seq, conv_type = excluded.conv_type, \
                     conv_target = excluded.conv_target, mentioned = excluded.mentioned"
                ),
                &[&i16::from(RECEIVED), &t, &seq, &stored.conv_type, &sender],
            )?;
            c.execute(
                &format!(
                    "INSERT INTO conversations(user_id, conv_type, target_id, last_time, \
                     last_direction) SELECT user_id, $1::INTEGER, $2::TEXT, $3::BIGINT, \
                     $4::SMALLINT FROM {EVERYONE} WHERE user_id <> $2::TEXT \
                     ON CONFLICT(user_id, conv_type, target_id) DO UPDATE \
                     SET last_time = excluded.last_time, last_direction = excluded.last_direction"
                ),
                &[&stored.conv_type, &sender, &t, &i16::from(RECEIVED)],
            )?;
            Ok(usize::try_from(count).unwrap_or(usize::MAX))
        });
        *msg = stored;
        result
    }

    fn record_push(&mut self, push: &PushRecord) -> StoreResult<()> {
        self.atomic(|c| {
            c.execute(
                "INSERT INTO pushes(id, time, request, recipients, message_uid) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &text(&push.id),
                    &push.time,
                    &text(&push.request),
                    &bigint(push.recipients),
                    &push.message_uid.as_deref().map(text),
                ],
            )?;
            c.execute(
                "DELETE FROM pushes WHERE seq <= (SELECT MAX(seq) FROM pushes) - $1",
                &[&bigint(MAX_PUSH_RECORDS)],
            )
            .map(drop)
        })
    }

    fn pushes(&mut self, limit: usize) -> StoreResult<Vec<PushRecord>> {
        self.run(|c| {
            c.query(
                "SELECT id, time, request, recipients, message_uid FROM pushes \
                 ORDER BY seq DESC LIMIT $1",
                &[&bigint(limit)],
            )?
            .iter()
            .map(|r| {
                Ok(PushRecord {
                    id: r.try_get(0)?,
                    time: r.try_get(1)?,
                    request: r.try_get(2)?,
                    recipients: size(r.try_get(3)?),
                    message_uid: r.try_get(4)?,
                })
            })
            .collect()
        })
    }

    fn messages_between(
        &mut self,
        from: i64,
        to: i64,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        self.run(|c| {
            let start = first_seq_at(c, from.max(after.saturating_add(1)))?;
            let end = first_seq_at(c, to)?;
            c.query(
                "SELECT uid, data_time, conv_type, from_user, target_id, object_name, content, \
                 tag, recalled FROM messages WHERE seq >= $1 AND seq < $2 ORDER BY seq LIMIT $3",
                &[&start, &end, &bigint(limit)],
            )?
            .iter()
            .map(message)
            .collect()
        })
    }

    fn chatrooms_with_messages(&mut self) -> StoreResult<Vec<String>> {
        self.run(|c| {
            c.column(
                "SELECT DISTINCT room_id FROM chatroom_messages ORDER BY room_id",
                &[],
            )
        })
    }

    fn chatroom_messages_between(
        &mut self,
        room: &str,
        from: i64,
        to: i64,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        self.run(|c| {
            c.query(
                "SELECT uid, data_time, 4, from_user, room_id, object_name, content, tag, FALSE \
                 FROM chatroom_messages WHERE room_id = $1 AND data_time >= $2 \
                 AND data_time < $3 ORDER BY data_time LIMIT $4",
                &[
                    &text(room),
                    &from.max(after.saturating_add(1)),
                    &to,
                    &bigint(limit),
                ],
            )?
            .iter()
            .map(message)
            .collect()
        })
    }

    fn set_history_deleted(&mut self, hour: i64, deleted: bool) -> StoreResult<()> {
        let sql = if deleted {
            "INSERT INTO history_deleted(hour) VALUES ($1) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM history_deleted WHERE hour = $1"
        };
        self.run(|c| c.execute(sql, &[&hour]).map(drop))
    }

    fn history_deleted(&mut self, hour: i64) -> StoreResult<bool> {
        self.run(|c| {
            c.query_one(
                "SELECT EXISTS(SELECT 1 FROM history_deleted WHERE hour = $1)",
                &[&hour],
            )?
            .try_get(0)
        })
    }
}
