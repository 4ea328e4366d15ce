//! Messages, inboxes and conversation lists, as the SQLite store keeps them (see
//! [`crate::store::sqlite`]'s files of the same names), with times from `message_clock`.

use postgres::types::ToSql;
use postgres::Row;

use super::{small, text, Conn, PostgresStore};
use crate::clock::Clock;
use crate::store::messages::{pull_page, Window};
use crate::store::{
    ConversationStore, Delivery, InboxItem, Message, MessageRef, MessageStore, Page, StoreResult,
    RECEIVED, SENT,
};

/// Columns read by [`item`].
const ITEM_COLUMNS: &str = "m.uid, m.data_time, m.conv_type, m.from_user, m.target_id, \
     m.object_name, m.content, m.tag, m.recalled, i.direction, i.conv_target, i.mentioned";

/// A message from the first nine columns of [`ITEM_COLUMNS`].
pub(super) fn message(r: &Row) -> Result<Message, postgres::Error> {
    Ok(Message {
        uid: r.try_get(0)?,
        data_time: r.try_get(1)?,
        conv_type: r.try_get(2)?,
        from_user: r.try_get(3)?,
        target_id: r.try_get(4)?,
        object_name: r.try_get(5)?,
        content: r.try_get(6)?,
        tag: small(r.try_get(7)?),
        recalled: r.try_get(8)?,
        ..Message::default()
    })
}

fn item(r: &Row) -> Result<InboxItem, postgres::Error> {
    Ok(InboxItem {
        message: message(r)?,
        direction: small(r.try_get(9)?),
        conv_target: r.try_get(10)?,
        mentioned: r.try_get(11)?,
    })
}

fn items(rows: &[Row]) -> Result<Vec<InboxItem>, postgres::Error> {
    rows.iter().map(item).collect()
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Moves a conversation to the top of `user`'s list.
fn touch(c: &mut Conn, d: &Delivery, conv_type: i32, time: i64) -> Result<(), postgres::Error> {
    c.execute(
        "INSERT INTO conversations(user_id, conv_type, target_id, last_time, last_direction) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT(user_id, conv_type, target_id) DO UPDATE \
         SET last_time = excluded.last_time, last_direction = excluded.last_direction",
        &[
            &text(&d.user_id),
            &conv_type,
            &text(&d.conv_target),
            &time,
            &i16::from(d.direction),
        ],
    )
    .map(drop)
}

/// Points a conversation of `user` at its newest remaining inbox entry, or drops it from the
/// list when none remain (as the SQLite store's `conversations::refresh`).
fn refresh(c: &mut Conn, user: &str, conv_type: i32, target: &str) -> Result<(), postgres::Error> {
    let (user, target) = (text(user), text(target));
    let newest = c.query_opt(
        "SELECT data_time, direction FROM inbox WHERE user_id = $1 AND conv_type = $2 \
         AND conv_target = $3 ORDER BY data_time DESC, direction DESC LIMIT 1",
        &[&user, &conv_type, &target],
    )?;
    match newest {
        Some(row) => {
            let (time, direction): (i64, i16) = (row.try_get(0)?, row.try_get(1)?);
            c.execute(
                "UPDATE conversations SET last_time = $4, last_direction = $5 \
                 WHERE user_id = $1 AND conv_type = $2 AND target_id = $3",
                &[&user, &conv_type, &target, &time, &direction],
            )
        }
        None => c.execute(
            "DELETE FROM conversations WHERE user_id = $1 AND conv_type = $2 AND target_id = $3",
            &[&user, &conv_type, &target],
        ),
    }
    .map(drop)
}

/// The next message time, from `message_clock`: after every time given out by any node, and
/// after every time `clock` gave out on this one, which from then on gives out later ones only
/// (so that a message this node does not store never shares a stored one's time). The row lock
/// taken here is held until the commit: times increase in commit order, and so do the `seq`s of
/// the messages written after it, which [`super::audience`] relies on.
pub(super) fn next_time(c: &mut Conn, clock: &Clock) -> Result<i64, postgres::Error> {
    let time: i64 = c
        .query_one(
            "UPDATE message_clock SET last = GREATEST(last + 1, $1) RETURNING last",
            &[&clock.next()],
        )?
        .try_get(0)?;
    clock.observe(time);
    Ok(time)
}

/// The message row, its inbox entries and its client id, under the UId and time of `msg`;
/// returns the row's `seq`.
pub(super) fn write_message(
    c: &mut Conn,
    msg: &Message,
    deliveries: &[Delivery],
    client_id: Option<&str>,
) -> Result<i64, postgres::Error> {
    let seq: i64 = c
        .query_one(
            "INSERT INTO messages(uid, data_time, conv_type, from_user, target_id, object_name, \
             content, tag, push_text, app_data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING seq",
            &[
                &msg.uid,
                &msg.data_time,
                &msg.conv_type,
                &text(&msg.from_user),
                &text(&msg.target_id),
                &text(&msg.object_name),
                &msg.content,
                &i16::from(msg.tag),
                &msg.push_text.as_deref().map(text),
                &msg.app_data.as_deref().map(text),
            ],
        )?
        .try_get(0)?;
    for d in deliveries {
        c.execute(
            "INSERT INTO inbox(user_id, direction, data_time, seq, conv_type, conv_target, \
             mentioned) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT(user_id, direction, data_time) DO UPDATE SET seq = excluded.seq, \
             conv_type = excluded.conv_type, conv_target = excluded.conv_target, \
             mentioned = excluded.mentioned",
            &[
                &text(&d.user_id),
                &i16::from(d.direction),
                &msg.data_time,
                &seq,
                &msg.conv_type,
                &text(&d.conv_target),
                &d.mentioned,
            ],
        )?;
        touch(c, d, msg.conv_type, msg.data_time)?;
    }
    if let Some(client_id) = client_id {
        c.execute(
            "INSERT INTO client_msg_ids(user_id, client_id, uid, data_time) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[
                &text(&msg.from_user),
                &text(client_id),
                &msg.uid,
                &msg.data_time,
            ],
        )?;
    }
    Ok(seq)
}

impl MessageStore for PostgresStore {
    fn insert_message(
        &mut self,
        msg: &mut Message,
        deliveries: &[Delivery],
        client_id: Option<&str>,
    ) -> StoreResult<()> {
        let clock = self.clock.clone();
        let mut stored = std::mem::take(msg);
        let result = self.atomic(|c| {
            stored.data_time = next_time(c, &clock)?;
            stored.uid = clock.uid(stored.data_time);
            write_message(c, &stored, deliveries, client_id).map(drop)
        });
        *msg = stored;
        result
    }

    fn sent_with_client_id(
        &mut self,
        user: &str,
        client_id: &str,
    ) -> StoreResult<Option<(String, i64)>> {
        self.run(|c| {
            c.query_opt(
                "SELECT uid, data_time FROM client_msg_ids WHERE user_id = $1 AND client_id = $2",
                &[&text(user), &text(client_id)],
            )?
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .transpose()
        })
    }

    fn forget_client_ids(&mut self, before: i64) -> StoreResult<usize> {
        self.run(|c| {
            c.execute(
                "DELETE FROM client_msg_ids WHERE data_time < $1",
                &[&before],
            )
        })
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn pull(
        &mut self,
        user: &str,
        received_after: i64,
        sent_after: i64,
        limit: usize,
        max_bytes: usize,
    ) -> StoreResult<Page> {
        let user = text(user);
        let fetch = count(limit.saturating_add(1));
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM inbox i JOIN messages m ON m.seq = i.seq \
             WHERE i.user_id = $1 AND i.direction = $2 AND i.data_time > $3 \
             ORDER BY i.data_time LIMIT $4"
        );
        let all = self.run(|c| {
            let mut all = items(&c.query(
                &sql,
                &[&user, &i16::from(RECEIVED), &received_after, &fetch],
            )?)?;
            all.extend(items(
                &c.query(&sql, &[&user, &i16::from(SENT), &sent_after, &fetch])?,
            )?);
            Ok(all)
        })?;
        Ok(pull_page(all, limit, max_bytes))
    }

    fn history(
        &mut self,
        user: &str,
        conv_types: &[i32],
        target: &str,
        time: i64,
        n: usize,
        newer: bool,
    ) -> StoreResult<Page> {
        let (user, target) = (text(user), text(target));
        let w = Window::new(time, n, newer);
        let (cmp, order) = (w.cmp, w.order);
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM inbox i JOIN messages m ON m.seq = i.seq \
             WHERE i.user_id = $1 AND i.conv_type = ANY($2) AND i.conv_target = $3 \
             AND i.data_time {cmp} $4 ORDER BY i.data_time {order}, i.direction LIMIT $5"
        );
        let args: [&(dyn ToSql + Sync); 5] = [&user, &conv_types, &target, &w.bound, &w.fetch];
        let rows = self.run(|c| items(&c.query(&sql, &args)?))?;
        Ok(w.page(rows))
    }

    fn clean_history(&mut self, user: &str, ct: i32, target: &str, up_to: i64) -> StoreResult<()> {
        let (user, target) = (text(user), text(target));
        self.atomic(|c| {
            c.execute(
                "DELETE FROM inbox WHERE user_id = $1 AND conv_type = $2 AND conv_target = $3 \
                 AND data_time <= $4",
                &[&user, &ct, &target, &up_to],
            )?;
            refresh(c, &user, ct, &target)
        })
    }

    fn delete_messages(
        &mut self,
        user: &str,
        ct: i32,
        target: &str,
        messages: &[MessageRef],
    ) -> StoreResult<()> {
        let (user, target) = (text(user), text(target));
        self.atomic(|c| {
            for m in messages {
                match m {
                    MessageRef::Uid(uid) => c.execute(
                        "DELETE FROM inbox WHERE user_id = $1 AND conv_type = $2 \
                         AND conv_target = $3 \
                         AND seq = (SELECT seq FROM messages WHERE uid = $4)",
                        &[&user, &ct, &target, &text(uid)],
                    ),
                    MessageRef::Time(time) => c.execute(
                        "DELETE FROM inbox WHERE user_id = $1 AND conv_type = $2 \
                         AND conv_target = $3 AND data_time = $4",
                        &[&user, &ct, &target, time],
                    ),
                }?;
            }
            refresh(c, &user, ct, &target)
        })
    }

    fn find_message(&mut self, uid: &str) -> StoreResult<Option<Message>> {
        let uid = text(uid);
        self.run(|c| {
            c.query_opt(
                "SELECT uid, data_time, conv_type, from_user, target_id, object_name, content, \
                 tag, recalled FROM messages WHERE uid = $1",
                &[&uid],
            )?
            .map(|r| message(&r))
            .transpose()
        })
    }

    fn mark_recalled(&mut self, uid: &str) -> StoreResult<bool> {
        let uid = text(uid);
        self.run(|c| {
            c.execute(
                "UPDATE messages SET recalled = TRUE WHERE uid = $1",
                &[&uid],
            )
        })
        .map(|n| n > 0)
    }
}

impl ConversationStore for PostgresStore {
    fn conversations(&mut self, user: &str, limit: usize) -> StoreResult<Vec<InboxItem>> {
        let user = text(user);
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM conversations c \
             JOIN inbox i ON i.user_id = c.user_id AND i.direction = c.last_direction \
             AND i.data_time = c.last_time JOIN messages m ON m.seq = i.seq \
             WHERE c.user_id = $1 ORDER BY c.last_time DESC LIMIT $2"
        );
        self.run(|c| items(&c.query(&sql, &[&user, &count(limit)])?))
    }

    fn delete_conversation(&mut self, user: &str, ct: i32, target: &str) -> StoreResult<()> {
        let (user, target) = (text(user), text(target));
        self.run(|c| {
            c.execute(
                "DELETE FROM conversations WHERE user_id = $1 AND conv_type = $2 \
                 AND target_id = $3",
                &[&user, &ct, &target],
            )
            .map(drop)
        })
    }
}
