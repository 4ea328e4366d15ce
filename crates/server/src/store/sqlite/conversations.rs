//! Conversation lists: one row per (user, type, target) pointing at its latest inbox entry.

use rusqlite::{params, OptionalExtension};

use super::{err, SqliteStore, ITEM_COLUMNS};
use crate::store::{ConversationStore, InboxItem, StoreResult};

/// Moves a conversation to the top of `user`'s list (called for each inbox entry written).
pub(super) fn touch(
    conn: &rusqlite::Connection,
    user: &str,
    conv_type: i32,
    target: &str,
    time: i64,
    direction: u8,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO conversations(user_id, conv_type, target_id, last_time, last_direction) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(user_id, conv_type, target_id) DO UPDATE \
         SET last_time = excluded.last_time, last_direction = excluded.last_direction",
    )?
    .execute(params![user, conv_type, target, time, direction])
    .map(drop)
}

/// Points a conversation of `user` at its newest remaining inbox entry after some were removed,
/// or drops it from the list when none remain (a list entry needs a latest message). A
/// conversation the user removed from the list stays removed.
pub(super) fn refresh(
    conn: &rusqlite::Connection,
    user: &str,
    conv_type: i32,
    target: &str,
) -> rusqlite::Result<()> {
    let newest = conn
        .prepare_cached(
            "SELECT data_time, direction FROM inbox WHERE user_id = ?1 AND conv_type = ?2 \
             AND conv_target = ?3 ORDER BY data_time DESC, direction DESC LIMIT 1",
        )?
        .query_row(params![user, conv_type, target], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, u8>(1)?))
        })
        .optional()?;
    match newest {
        Some((time, direction)) => conn
            .prepare_cached(
                "UPDATE conversations SET last_time = ?4, last_direction = ?5 \
                 WHERE user_id = ?1 AND conv_type = ?2 AND target_id = ?3",
            )?
            .execute(params![user, conv_type, target, time, direction]),
        None => conn
            .prepare_cached(
                "DELETE FROM conversations \
                 WHERE user_id = ?1 AND conv_type = ?2 AND target_id = ?3",
            )?
            .execute(params![user, conv_type, target]),
    }
    .map(drop)
}

impl ConversationStore for SqliteStore {
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
}
