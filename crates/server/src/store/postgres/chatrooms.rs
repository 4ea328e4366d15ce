//! Chatroom history (one row per persisted chatroom message, keyed by room and time; no inbox
//! rows, no conversations) and the chatroom settings of the Server API, as the SQLite store
//! keeps them.

use postgres::Row;

use super::{small, text, PostgresStore};
use crate::store::messages::Window;
use crate::store::{
    ChatroomSetting, ChatroomStore, InboxItem, Message, Page, StoreResult, RECEIVED,
};

/// Conversation type of every row (api.md §7: CHATROOM).
const CHATROOM: i32 = 4;

fn item(room: &str, r: &Row) -> Result<InboxItem, postgres::Error> {
    Ok(InboxItem {
        message: Message {
            uid: r.try_get(0)?,
            data_time: r.try_get(1)?,
            conv_type: CHATROOM,
            from_user: r.try_get(2)?,
            target_id: room.to_owned(),
            object_name: r.try_get(3)?,
            content: r.try_get(4)?,
            tag: small(r.try_get(5)?),
            ..Message::default()
        },
        direction: RECEIVED,
        conv_target: room.to_owned(),
        mentioned: false,
    })
}

impl PostgresStore {
    /// Runs `sql` with (kind, room, value, until) of each setting, all or nothing.
    fn each_setting(&mut self, sql: &str, settings: &[ChatroomSetting]) -> StoreResult<()> {
        self.atomic(|c| {
            for s in settings {
                c.execute(
                    sql,
                    &[&text(&s.kind), &text(&s.room), &text(&s.value), &s.until],
                )?;
            }
            Ok(())
        })
    }
}

impl ChatroomStore for PostgresStore {
    fn insert_chatroom_message(&mut self, msg: &Message) -> StoreResult<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO chatroom_messages(room_id, data_time, uid, from_user, object_name, \
                 content, tag) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &text(&msg.target_id),
                    &msg.data_time,
                    &msg.uid,
                    &text(&msg.from_user),
                    &text(&msg.object_name),
                    &msg.content,
                    &i16::from(msg.tag),
                ],
            )
            .map(drop)
        })
    }

    fn chatroom_history(
        &mut self,
        room: &str,
        time: i64,
        count: usize,
        newer: bool,
    ) -> StoreResult<Page> {
        let w = Window::new(time, count, newer);
        let (cmp, order) = (w.cmp, w.order);
        let sql = format!(
            "SELECT uid, data_time, from_user, object_name, content, tag FROM chatroom_messages \
             WHERE room_id = $1 AND data_time {cmp} $2 ORDER BY data_time {order} LIMIT $3"
        );
        let items = self.run(|c| {
            c.query(&sql, &[&text(room), &w.bound, &w.fetch])?
                .iter()
                .map(|r| item(room, r))
                .collect::<Result<Vec<_>, _>>()
        })?;
        Ok(w.page(items))
    }

    fn chatroom_settings(&mut self) -> StoreResult<Vec<ChatroomSetting>> {
        self.run(|c| {
            c.query(
                "SELECT kind, room, value, until FROM chatroom_settings \
                 ORDER BY kind, room, value",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(ChatroomSetting {
                    kind: r.try_get(0)?,
                    room: r.try_get(1)?,
                    value: r.try_get(2)?,
                    until: r.try_get(3)?,
                })
            })
            .collect()
        })
    }

    fn put_chatroom_settings(&mut self, settings: &[ChatroomSetting]) -> StoreResult<()> {
        self.each_setting(
            "INSERT INTO chatroom_settings(kind, room, value, until) VALUES ($1, $2, $3, $4) \
             ON CONFLICT(kind, room, value) DO UPDATE SET until = excluded.until",
            settings,
        )
    }

    fn delete_chatroom_settings(&mut self, settings: &[ChatroomSetting]) -> StoreResult<()> {
        // $4 is bound but only compared with itself, so both statements take the same
        // parameters.
        self.each_setting(
            "DELETE FROM chatroom_settings WHERE kind = $1 AND room = $2 AND value = $3 \
             AND $4::BIGINT IS NOT NULL",
            settings,
        )
    }
}
