//! Chatroom history (api.md §3.6 `qryCHMsg`): one row per persisted chatroom message, keyed by
//! room and time. No inbox rows and no conversations: chatroom messages never enter a user's
//! sync, unread counts or conversation list. Also the chatroom settings of the Server API.

use rusqlite::{params, Row};

use super::{err, SqliteStore};
use crate::store::messages::Window;
use crate::store::{
    ChatroomSetting, ChatroomStore, InboxItem, Message, Page, StoreResult, RECEIVED,
};

/// Conversation type of every row (api.md §7: CHATROOM).
const CHATROOM: i32 = 4;

fn item(room: &str, row: &Row<'_>) -> rusqlite::Result<InboxItem> {
    Ok(InboxItem {
        message: Message {
            uid: row.get(0)?,
            data_time: row.get(1)?,
            conv_type: CHATROOM,
            from_user: row.get(2)?,
            target_id: room.to_owned(),
            object_name: row.get(3)?,
            content: row.get(4)?,
            tag: row.get(5)?,
            ..Message::default()
        },
        direction: RECEIVED,
        conv_target: room.to_owned(),
        mentioned: false,
    })
}

impl SqliteStore {
    /// Runs `sql` with (kind, room, value, until) of each setting, all or nothing.
    fn each_setting(&mut self, sql: &str, settings: &[ChatroomSetting]) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for c in settings {
            sp.prepare_cached(sql)
                .and_then(|mut st| st.execute(params![c.kind, c.room, c.value, c.until]))
                .map_err(err)?;
        }
        sp.commit().map_err(err)
    }
}

impl ChatroomStore for SqliteStore {
    fn insert_chatroom_message(&mut self, msg: &Message) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO chatroom_messages(room_id, data_time, uid, from_user, object_name, \
                 content, tag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(err)?
            .execute(params![
                msg.target_id,
                msg.data_time,
                msg.uid,
                msg.from_user,
                msg.object_name,
                msg.content,
                msg.tag
            ])
            .map_err(err)?;
        Ok(())
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
             WHERE room_id = ?1 AND data_time {cmp} ?2 ORDER BY data_time {order} LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(err)?;
        let rows = stmt
            .query_map(params![room, w.bound, w.fetch], |r| item(room, r))
            .map_err(err)?;
        let items = rows.collect::<Result<Vec<_>, _>>().map_err(err)?;
        Ok(w.page(items))
    }

    fn chatroom_settings(&mut self) -> StoreResult<Vec<ChatroomSetting>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, room, value, until FROM chatroom_settings")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ChatroomSetting {
                    kind: r.get(0)?,
                    room: r.get(1)?,
                    value: r.get(2)?,
                    until: r.get(3)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    fn put_chatroom_settings(&mut self, settings: &[ChatroomSetting]) -> StoreResult<()> {
        self.each_setting(
            "INSERT OR REPLACE INTO chatroom_settings(kind, room, value, until) \
             VALUES (?1, ?2, ?3, ?4)",
            settings,
        )
    }

    fn delete_chatroom_settings(&mut self, settings: &[ChatroomSetting]) -> StoreResult<()> {
        // ?4 is bound but unused, so both statements take the same parameters.
        self.each_setting(
            "DELETE FROM chatroom_settings WHERE kind = ?1 AND room = ?2 AND value = ?3 \
             AND ?4 = ?4",
            settings,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::Clock;
    use crate::store::sqlite::SqliteStore;
    use crate::store::{ChatroomStore, Message};

    fn msg(clock: &Clock, room: &str, text: &str) -> Message {
        let t = clock.next();
        Message {
            uid: clock.uid(t),
            data_time: t,
            conv_type: 4,
            from_user: "alice".into(),
            target_id: room.into(),
            object_name: "RC:TxtMsg".into(),
            content: text.as_bytes().to_vec(),
            tag: 3,
            ..Message::default()
        }
    }

    #[test]
    fn history_pages_one_room_both_ways_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let newest;
        {
            let (mut store, clock) = SqliteStore::open(dir.path(), false).unwrap();
            let (a, x, b) = (
                msg(&clock, "r1", "a"),
                msg(&clock, "r2", "x"),
                msg(&clock, "r1", "b"),
            );
            for m in [&a, &x, &b] {
                ChatroomStore::insert_chatroom_message(&mut store, m).unwrap();
            }
            newest = b.data_time;
            let page = ChatroomStore::chatroom_history(&mut store, "r1", 0, 1, false).unwrap();
            assert_eq!(page.items.len(), 1);
            assert!(page.more);
            assert_eq!(page.items[0].message.uid, b.uid);
            let page =
                ChatroomStore::chatroom_history(&mut store, "r1", a.data_time, 10, true).unwrap();
            assert_eq!(page.items.len(), 1);
            assert!(!page.more);
            assert_eq!(page.items[0].message.content, b"b");
        }
        let (mut store, _) = SqliteStore::open(dir.path(), false).unwrap();
        let page = ChatroomStore::chatroom_history(&mut store, "r1", 0, 10, false).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].message.data_time, newest);
        assert_eq!(page.items[0].conv_target, "r1");
    }
}
