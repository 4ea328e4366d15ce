//! Conversation lists: one row per (user, type, target) pointing at its latest inbox entry.

use rusqlite::params;

use super::{err, SqliteStore, ITEM_COLUMNS};
use crate::store::{InboxItem, StoreResult};

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

impl SqliteStore {
    pub(super) fn conversations(
        &mut self,
        user: &str,
        limit: usize,
    ) -> StoreResult<Vec<InboxItem>> {
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

    pub(super) fn delete_conversation(
        &mut self,
        user: &str,
        ct: i32,
        target: &str,
    ) -> StoreResult<()> {
        self.conn
            .execute(
                "DELETE FROM conversations WHERE user_id = ?1 AND conv_type = ?2 AND target_id = ?3",
                params![user, ct, target],
            )
            .map(drop)
            .map_err(err)
    }
}
