//! Messages and inboxes: insert with one inbox entry per recipient, pull, history, clearing,
//! deletion and recall marks.

use rusqlite::{params, OptionalExtension};

use super::{err, SqliteStore, ITEM_COLUMNS};
use crate::store::messages::{pull_page, Window};
use crate::store::{
    Delivery, Message, MessageRef, MessageStore, Page, StoreResult, RECEIVED, SENT,
};

/// A message from a row of `uid, data_time, conv_type, from_user, target_id, object_name,
/// content, tag, recalled`.
pub(super) fn stored_message(r: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        uid: r.get(0)?,
        data_time: r.get(1)?,
        conv_type: r.get(2)?,
        from_user: r.get(3)?,
        target_id: r.get(4)?,
        object_name: r.get(5)?,
        content: r.get(6)?,
        tag: r.get(7)?,
        recalled: r.get(8)?,
        push_text: None,
        app_data: None,
    })
}

fn insert_delivery(
    conn: &rusqlite::Connection,
    seq: i64,
    t: i64,
    conv_type: i32,
    d: &Delivery,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
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
    super::conversations::touch(conn, &d.user_id, conv_type, &d.conv_target, t, d.direction)
}

/// The message row (under its UId and time), its inbox entries and its client id.
pub(super) fn write_message(
    conn: &rusqlite::Connection,
    msg: &Message,
    deliveries: &[Delivery],
    client_id: Option<&str>,
) -> rusqlite::Result<()> {
    let (uid, t) = (&msg.uid, msg.data_time);
    conn.prepare_cached(
        "INSERT INTO messages(uid, data_time, conv_type, from_user, target_id, object_name, \
         content, tag, push_text, app_data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
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
    ])?;
    let seq = conn.last_insert_rowid();
    for d in deliveries {
        insert_delivery(conn, seq, t, msg.conv_type, d)?;
    }
    if let Some(client_id) = client_id {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO client_msg_ids(user_id, client_id, uid, data_time) \
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![msg.from_user, client_id, uid, t])?;
    }
    Ok(())
}

impl MessageStore for SqliteStore {
    fn insert_message(
        &mut self,
        msg: &mut Message,
        deliveries: &[Delivery],
        client_id: Option<&str>,
    ) -> StoreResult<()> {
        msg.data_time = self.clock.next();
        msg.uid = self.clock.uid(msg.data_time);
        if self.conn.is_autocommit() {
            // Not inside a batch: the savepoint makes the rows commit together.
            let sp = self.conn.savepoint().map_err(err)?;
            write_message(&sp, msg, deliveries, client_id).map_err(err)?;
            sp.commit().map_err(err)
        } else {
            // Inside a batch, which is discarded if this fails half-way.
            write_message(&self.conn, msg, deliveries, client_id).map_err(err)
        }
    }

    fn sent_with_client_id(
        &mut self,
        user: &str,
        client_id: &str,
    ) -> StoreResult<Option<(String, i64)>> {
        self.conn
            .prepare_cached(
                "SELECT uid, data_time FROM client_msg_ids WHERE user_id = ?1 AND client_id = ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![user, client_id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(err)
    }

    fn forget_client_ids(&mut self, before: i64) -> StoreResult<usize> {
        self.conn
            .prepare_cached("DELETE FROM client_msg_ids WHERE data_time < ?1")
            .and_then(|mut stmt| stmt.execute(params![before]))
            .map_err(err)
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
        let mut all = self.items(&sql, params![user, RECEIVED, received_after, fetch])?;
        all.extend(self.items(&sql, params![user, SENT, sent_after, fetch])?);
        Ok(pull_page(all, limit, max_bytes))
    }

    fn history(
        &mut self,
        user: &str,
        conv_types: &[i32],
        target: &str,
        time: i64,
        count: usize,
        newer: bool,
    ) -> StoreResult<Page> {
        let w = Window::new(time, count, newer);
        let (cmp, order) = (w.cmp, w.order);
        // Integers only, so they can be part of the statement text.
        let types = conv_types
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM inbox i JOIN messages m ON m.seq = i.seq \
             WHERE i.user_id = ?1 AND i.conv_type IN ({types}) AND i.conv_target = ?2 \
             AND i.data_time {cmp} ?3 ORDER BY i.data_time {order}, i.direction LIMIT ?4"
        );
        let items = self.items(&sql, params![user, target, w.bound, w.fetch])?;
        Ok(w.page(items))
    }

    fn clean_history(&mut self, user: &str, ct: i32, target: &str, up_to: i64) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        sp.execute(
            "DELETE FROM inbox WHERE user_id = ?1 AND conv_type = ?2 AND conv_target = ?3 \
             AND data_time <= ?4",
            params![user, ct, target, up_to],
        )
        .map_err(err)?;
        super::conversations::refresh(&sp, user, ct, target).map_err(err)?;
        sp.commit().map_err(err)
    }

    fn delete_messages(
        &mut self,
        user: &str,
        ct: i32,
        target: &str,
        messages: &[MessageRef],
    ) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for m in messages {
            match m {
                MessageRef::Uid(uid) => sp.execute(
                    "DELETE FROM inbox WHERE user_id = ?1 AND conv_type = ?2 \
                     AND conv_target = ?3 AND seq = (SELECT seq FROM messages WHERE uid = ?4)",
                    params![user, ct, target, uid],
                ),
                MessageRef::Time(time) => sp.execute(
                    "DELETE FROM inbox WHERE user_id = ?1 AND conv_type = ?2 \
                     AND conv_target = ?3 AND data_time = ?4",
                    params![user, ct, target, time],
                ),
            }
            .map_err(err)?;
        }
        super::conversations::refresh(&sp, user, ct, target).map_err(err)?;
        sp.commit().map_err(err)
    }

    fn find_message(&mut self, uid: &str) -> StoreResult<Option<Message>> {
        self.conn
            .query_row(
                "SELECT uid, data_time, conv_type, from_user, target_id, object_name, content, \
                 tag, recalled FROM messages WHERE uid = ?1",
                params![uid],
                stored_message,
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
}

#[cfg(test)]
mod tests {
    use crate::store::conformance::{self, store_text};
    use crate::store::sqlite::SqliteStore;
    use crate::store::RECEIVED;

    #[test]
    fn the_sqlite_store_passes_the_store_checks() {
        let mut dirs = Vec::new();
        conformance::all(|| {
            let dir = tempfile::tempdir().unwrap();
            let (store, _) = SqliteStore::open(dir.path(), false).unwrap();
            dirs.push(dir);
            store
        });
    }

    #[test]
    fn stores_of_different_nodes_make_different_uids_at_the_same_times() {
        use crate::clock::{parts, NodeId};
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let mut stores = [1, 2].map(|n| {
            let node = NodeId::try_from(n).unwrap();
            SqliteStore::open_on(dirs[n as usize - 1].path(), false, node)
                .unwrap()
                .0
        });
        let mut made = std::collections::HashSet::new();
        for _ in 0..200 {
            for (i, s) in stores.iter_mut().enumerate() {
                let m = store_text(s, 1, "p", "u", RECEIVED);
                assert_eq!(usize::from(parts(&m.uid).1), i + 1);
                assert!(made.insert(m.uid));
            }
        }
    }
}
