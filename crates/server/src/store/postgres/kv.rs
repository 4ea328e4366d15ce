//! Chatroom entries: one row per room and key, live or deleted, and one floor per room that
//! forgot deletions (see [`crate::store::kv`]), as the SQLite store keeps them.

use postgres::Row;

use super::{bigint, size, text, Conn, PostgresStore};
use crate::store::kv::{ChatroomEntry, ChatroomEntryStore, EntryChanges, KEPT_DELETIONS};
use crate::store::StoreResult;

/// Columns read by [`entry`].
const COLUMNS: &str = "key, value, owner, auto_delete, deleted, time";

fn entry(r: &Row) -> Result<ChatroomEntry, postgres::Error> {
    Ok(ChatroomEntry {
        key: r.try_get(0)?,
        value: r.try_get(1)?,
        owner: r.try_get(2)?,
        auto_delete: r.try_get(3)?,
        deleted: r.try_get(4)?,
        time: r.try_get(5)?,
    })
}

fn entries(rows: &[Row]) -> Result<Vec<ChatroomEntry>, postgres::Error> {
    rows.iter().map(entry).collect()
}

fn raise_floor(c: &mut Conn, room: &str, to: i64) -> Result<(), postgres::Error> {
    c.execute(
        "INSERT INTO chatroom_entry_floors(room_id, floor) VALUES ($1, $2) \
         ON CONFLICT(room_id) DO UPDATE SET \
         floor = GREATEST(chatroom_entry_floors.floor, excluded.floor)",
        &[&text(room), &to],
    )
    .map(drop)
}

/// Forgets the deletions of `room` beyond the newest [`KEPT_DELETIONS`], raising its floor to
/// the newest one forgotten.
fn prune_deletions(c: &mut Conn, room: &str) -> Result<(), postgres::Error> {
    let newest_forgotten = c.query_opt(
        "SELECT time FROM chatroom_entries WHERE room_id = $1 AND deleted \
         ORDER BY time DESC LIMIT 1 OFFSET $2",
        &[&text(room), &bigint(KEPT_DELETIONS)],
    )?;
    if let Some(row) = newest_forgotten {
        let t: i64 = row.try_get(0)?;
        c.execute(
            "DELETE FROM chatroom_entries WHERE room_id = $1 AND deleted AND time <= $2",
            &[&text(room), &t],
        )?;
        raise_floor(c, room, t)?;
    }
    Ok(())
}

impl ChatroomEntryStore for PostgresStore {
    fn chatroom_entry(&mut self, room: &str, key: &str) -> StoreResult<Option<ChatroomEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = $1 AND key = $2");
        self.run(|c| {
            c.query_opt(&sql, &[&text(room), &text(key)])?
                .map(|r| entry(&r))
                .transpose()
        })
    }

    fn chatroom_entry_count(&mut self, room: &str) -> StoreResult<usize> {
        self.run(|c| {
            c.query_one(
                "SELECT COUNT(*) FROM chatroom_entries WHERE room_id = $1 AND NOT deleted",
                &[&text(room)],
            )?
            .try_get(0)
            .map(size)
        })
    }

    fn put_chatroom_entry(&mut self, room: &str, e: &ChatroomEntry) -> StoreResult<()> {
        self.atomic(|c| {
            c.execute(
                "INSERT INTO chatroom_entries(room_id, key, value, owner, auto_delete, deleted, \
                 time) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(room_id, key) DO UPDATE \
                 SET value = excluded.value, owner = excluded.owner, \
                 auto_delete = excluded.auto_delete, deleted = excluded.deleted, \
                 time = excluded.time",
                &[
                    &text(room),
                    &text(&e.key),
                    &text(&e.value),
                    &text(&e.owner),
                    &e.auto_delete,
                    &e.deleted,
                    &e.time,
                ],
            )?;
            if e.deleted {
                prune_deletions(c, room)?;
            }
            Ok(())
        })
    }

    fn chatroom_entries_since(&mut self, room: &str, since: i64) -> StoreResult<EntryChanges> {
        let room = text(room);
        let live = format!(
            "SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = $1 AND NOT deleted \
             ORDER BY time"
        );
        let changed = format!(
            "SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = $1 AND time > $2 ORDER BY time"
        );
        self.run(|c| {
            // One statement for the floor and the newest time, so that both come from one
            // snapshot.
            let row = c.query_one(
                "SELECT COALESCE((SELECT floor FROM chatroom_entry_floors WHERE room_id = $1), 0), \
                 COALESCE((SELECT MAX(time) FROM chatroom_entries WHERE room_id = $1), 0)",
                &[&room],
            )?;
            let (floor, newest): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            let full = since <= 0 || since < floor;
            let entries = if full {
                entries(&c.query(&live, &[&room])?)?
            } else {
                entries(&c.query(&changed, &[&room, &since])?)?
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
        })
    }

    fn auto_chatroom_entries(
        &mut self,
        room: &str,
        owner: &str,
        up_to: i64,
    ) -> StoreResult<Vec<ChatroomEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM chatroom_entries WHERE room_id = $1 AND owner = $2 \
             AND auto_delete AND NOT deleted AND time <= $3 ORDER BY time"
        );
        self.run(|c| entries(&c.query(&sql, &[&text(room), &text(owner), &up_to])?))
    }

    fn delete_all_auto_chatroom_entries(&mut self, time: i64) -> StoreResult<usize> {
        self.atomic(|c| {
            let rooms: Vec<String> = c.column(
                "SELECT DISTINCT room_id FROM chatroom_entries WHERE auto_delete AND NOT deleted",
                &[],
            )?;
            let n = c.execute(
                "UPDATE chatroom_entries SET deleted = TRUE, value = '', time = $1 \
                 WHERE auto_delete AND NOT deleted",
                &[&time],
            )?;
            for room in &rooms {
                prune_deletions(c, room)?;
            }
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    fn drop_chatroom_entries(&mut self, room: &str, up_to: i64) -> StoreResult<()> {
        let key = text(room);
        self.atomic(|c| {
            c.execute(
                "DELETE FROM chatroom_entries WHERE room_id = $1 AND time <= $2",
                &[&key, &up_to],
            )?;
            let left: i64 = c
                .query_one(
                    "SELECT COUNT(*) FROM chatroom_entries WHERE room_id = $1",
                    &[&key],
                )?
                .try_get(0)?;
            if left == 0 {
                c.execute(
                    "DELETE FROM chatroom_entry_floors WHERE room_id = $1",
                    &[&key],
                )
                .map(drop)
            } else {
                raise_floor(c, room, up_to)
            }
        })
    }

    fn chatroom_entry_rooms(&mut self) -> StoreResult<Vec<String>> {
        self.run(|c| {
            c.column(
                "SELECT DISTINCT room_id FROM chatroom_entries ORDER BY room_id",
                &[],
            )
        })
    }
}
