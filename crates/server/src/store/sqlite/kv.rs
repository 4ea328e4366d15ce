//! Chatroom entries: one row per room and key, live or deleted, and one floor per room that
//! forgot deletions (see [`crate::store::kv`]).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{err, SqliteStore};
use crate::store::kv::{ChatroomEntry, ChatroomEntryStore, EntryChanges, KEPT_DELETIONS};
use crate::store::StoreResult;

/// Columns read by [`entry`].
const COLUMNS: &str = "key, value, owner, auto_delete, deleted, time";

fn entry(r: &Row<'_>) -> rusqlite::Result<ChatroomEntry> {
    Ok(ChatroomEntry {
        key: r.get(0)?,
        value: r.get(1)?,
        owner: r.get(2)?,
        auto_delete: r.get(3)?,
        deleted: r.get(4)?,
        time: r.get(5)?,
    })
}

/// The newest time of any entry or floor: the store's clock starts after it, so a change made
/// after a restart is newer than every change a member's cursor has seen.
pub(super) fn newest_time(conn: &Connection) -> StoreResult<i64> {
    conn.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(time) FROM chatroom_entries), 0), \
         COALESCE((SELECT MAX(floor) FROM chatroom_entry_floors), 0))",
        [],
        |r| r.get(0),
    )
    .map_err(err)
}

fn floor(conn: &Connection, room: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT floor FROM chatroom_entry_floors WHERE room_id = ?1")?
        .query_row(params![room], |r| r.get(0))
        .optional()
        .map(Option::unwrap_or_default)
}

fn raise_floor(conn: &Connection, room: &str, to: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO chatroom_entry_floors(room_id, floor) VALUES (?1, ?2) \
         ON CONFLICT(room_id) DO UPDATE SET floor = MAX(floor, excluded.floor)",
    )?
    .execute(params![room, to])?;
    Ok(())
}

/// Forgets the deletions of `room` beyond the newest [`KEPT_DELETIONS`], raising its floor to
/// the newest one forgotten.
fn prune_deletions(conn: &Connection, room: &str) -> rusqlite::Result<()> {
    let kept = i64::try_from(KEPT_DELETIONS).unwrap_or(i64::MAX);
    let newest_forgotten: Option<i64> = conn
        .prepare_cached(
            "SELECT time FROM chatroom_entries WHERE room_id = ?1 AND deleted = 1 \
             ORDER BY time DESC LIMIT 1 OFFSET ?2",
        )?
        .query_row(params![room, kept], |r| r.get(0))
        .optional()?;
    if let Some(t) = newest_forgotten {
        conn.prepare_cached(
            "DELETE FROM chatroom_entries WHERE room_id = ?1 AND deleted = 1 AND time <= ?2",
        )?
        .execute(params![room, t])?;
        raise_floor(conn, room, t)?;
    }
    Ok(())
}

impl ChatroomEntryStore for SqliteStore {
    fn chatroom_entry(&mut self, room: &str, key: &str) -> StoreResult<Option<ChatroomEntry>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = ?1 AND key = ?2"
            ))
            .and_then(|mut st| st.query_row(params![room, key], entry).optional())
            .map_err(err)
    }

    fn chatroom_entry_count(&mut self, room: &str) -> StoreResult<usize> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM chatroom_entries WHERE room_id = ?1 AND deleted = 0",
            )
            .and_then(|mut st| st.query_row(params![room], |r| r.get(0)))
            .map_err(err)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn put_chatroom_entry(&mut self, room: &str, e: &ChatroomEntry) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        sp.prepare_cached(
            "INSERT OR REPLACE INTO chatroom_entries(room_id, key, value, owner, auto_delete, \
             deleted, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut st| {
            st.execute(params![
                room,
                e.key,
                e.value,
                e.owner,
                e.auto_delete,
                e.deleted,
                e.time
            ])
        })
        .map_err(err)?;
        if e.deleted {
            prune_deletions(&sp, room).map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    fn chatroom_entries_since(&mut self, room: &str, since: i64) -> StoreResult<EntryChanges> {
        let floor = floor(&self.conn, room).map_err(err)?;
        let full = since <= 0 || since < floor;
        let newest: i64 = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(MAX(time), 0) FROM chatroom_entries WHERE room_id = ?1",
            )
            .and_then(|mut st| st.query_row(params![room], |r| r.get(0)))
            .map_err(err)?;
        let entries = if full {
            self.rows(
                &format!(
                    "SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = ?1 AND deleted = 0 \
                     ORDER BY time"
                ),
                params![room],
                entry,
            )?
        } else {
            self.rows(
                &format!(
                    "SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = ?1 AND time > ?2 \
                     ORDER BY time"
                ),
                params![room, since],
                entry,
            )?
        };
        let sync_time = if full {
            newest.max(floor)
        } else {
            newest.max(floor).max(since)
        };
        Ok(EntryChanges {
            entries,
            full,
            sync_time,
        })
    }

    fn auto_chatroom_entries(
        &mut self,
        room: &str,
        owner: &str,
        up_to: i64,
    ) -> StoreResult<Vec<ChatroomEntry>> {
        self.rows(
            &format!(
                "SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = ?1 AND owner = ?2 \
                 AND auto_delete = 1 AND deleted = 0 AND time <= ?3 ORDER BY time"
            ),
            params![room, owner, up_to],
            entry,
        )
    }

    fn delete_all_auto_chatroom_entries(&mut self, time: i64) -> StoreResult<usize> {
        let sp = self.conn.savepoint().map_err(err)?;
        let rooms: Vec<String> = {
            let mut st = sp
                .prepare(
                    "SELECT DISTINCT room_id FROM chatroom_entries \
                     WHERE auto_delete = 1 AND deleted = 0",
                )
                .map_err(err)?;
            let rows = st.query_map([], |r| r.get(0)).map_err(err)?;
            rows.collect::<Result<_, _>>().map_err(err)?
        };
        let n = sp
            .execute(
                "UPDATE chatroom_entries SET deleted = 1, value = '', time = ?1 \
                 WHERE auto_delete = 1 AND deleted = 0",
                params![time],
            )
            .map_err(err)?;
        for room in &rooms {
            prune_deletions(&sp, room).map_err(err)?;
        }
        sp.commit().map_err(err)?;
        Ok(n)
    }

    fn drop_chatroom_entries(&mut self, room: &str, up_to: i64) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        sp.execute(
            "DELETE FROM chatroom_entries WHERE room_id = ?1 AND time <= ?2",
            params![room, up_to],
        )
        .map_err(err)?;
        let left: i64 = sp
            .query_row(
                "SELECT COUNT(*) FROM chatroom_entries WHERE room_id = ?1",
                params![room],
                |r| r.get(0),
            )
            .map_err(err)?;
        if left == 0 {
            sp.execute(
                "DELETE FROM chatroom_entry_floors WHERE room_id = ?1",
                params![room],
            )
            .map_err(err)?;
        } else {
            raise_floor(&sp, room, up_to).map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    fn chatroom_entry_rooms(&mut self) -> StoreResult<Vec<String>> {
        self.rows(
            "SELECT DISTINCT room_id FROM chatroom_entries ORDER BY room_id",
            [],
            |r| r.get(0),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(key: &str, owner: &str, time: i64) -> ChatroomEntry {
        ChatroomEntry {
            key: key.into(),
            value: format!("v{time}"),
            owner: owner.into(),
            auto_delete: false,
            deleted: false,
            time,
        }
    }

    fn keys(c: &EntryChanges) -> Vec<&str> {
        c.entries.iter().map(|e| e.key.as_str()).collect()
    }

    // What both stores must do is checked in store::conformance::chatrooms; this one is about
    // reopening the SQLite file.
    #[test]
    fn auto_delete_entries_go_at_start_and_dropped_rooms_keep_newer_entries() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (mut s, clock) = SqliteStore::open(dir.path(), false).unwrap();
            let auto = ChatroomEntry {
                auto_delete: true,
                ..set("seat", "ann", 5)
            };
            s.put_chatroom_entry("r", &auto).unwrap();
            s.put_chatroom_entry("r", &set("topic", "ann", 6)).unwrap();
            assert_eq!(s.auto_chatroom_entries("r", "ann", 5).unwrap().len(), 1);
            assert!(s.auto_chatroom_entries("r", "ann", 4).unwrap().is_empty());
            assert!(s.auto_chatroom_entries("r", "bo", 9).unwrap().is_empty());
            assert!(clock.next() > 0);
        }
        let (mut s, clock) = SqliteStore::open(dir.path(), false).unwrap();
        assert!(clock.now() >= 6);
        assert_eq!(s.delete_all_auto_chatroom_entries(7).unwrap(), 1);
        let changes = s.chatroom_entries_since("r", 6).unwrap();
        assert_eq!(keys(&changes), ["seat"]);
        assert!(changes.entries[0].deleted);

        s.put_chatroom_entry("r", &set("late", "bo", 20)).unwrap();
        s.drop_chatroom_entries("r", 10).unwrap();
        let left = s.chatroom_entries_since("r", 8).unwrap();
        assert!(left.full, "a cursor from before the drop starts over");
        assert_eq!(keys(&left), ["late"]);
        s.drop_chatroom_entries("r", 30).unwrap();
        assert!(s.chatroom_entry_rooms().unwrap().is_empty());
        assert_eq!(s.chatroom_entries_since("r", 0).unwrap().sync_time, 0);
    }
}
