//! Groups and their members.

use rusqlite::params;

use super::{err, SqliteStore};
use crate::store::StoreResult;

impl SqliteStore {
    pub(super) fn upsert_group(&mut self, group: &str, name: Option<&str>) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO groups(group_id, name) VALUES (?1, COALESCE(?2, '')) \
                 ON CONFLICT(group_id) DO UPDATE SET name = COALESCE(?2, name)",
                params![group, name],
            )
            .map(drop)
            .map_err(err)
    }

    pub(super) fn add_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.upsert_group(group, None)?;
        let now = crate::clock::wall_ms();
        let sp = self.conn.savepoint().map_err(err)?;
        for u in users {
            sp.execute(
                "INSERT OR IGNORE INTO group_members(group_id, user_id, joined) VALUES (?1, ?2, ?3)",
                params![group, u, now],
            )
            .map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    pub(super) fn remove_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.pairs(
            "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
            group,
            users,
        )
    }

    pub(super) fn dismiss_group(&mut self, group: &str) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        sp.execute(
            "DELETE FROM group_members WHERE group_id = ?1",
            params![group],
        )
        .map_err(err)?;
        sp.execute("DELETE FROM groups WHERE group_id = ?1", params![group])
            .map_err(err)?;
        sp.commit().map_err(err)
    }

    pub(super) fn members(&mut self, group: &str) -> StoreResult<Vec<String>> {
        self.strings(
            "SELECT user_id FROM group_members WHERE group_id = ?1 ORDER BY joined, user_id",
            group,
        )
    }

    pub(super) fn sync_user_groups(
        &mut self,
        user: &str,
        groups: &[(String, String)],
    ) -> StoreResult<()> {
        let now = crate::clock::wall_ms();
        let sp = self.conn.savepoint().map_err(err)?;
        sp.execute(
            "DELETE FROM group_members WHERE user_id = ?1",
            params![user],
        )
        .map_err(err)?;
        for (id, name) in groups {
            sp.execute(
                "INSERT INTO groups(group_id, name) VALUES (?1, ?2) \
                 ON CONFLICT(group_id) DO UPDATE SET name = ?2",
                params![id, name],
            )
            .map_err(err)?;
            sp.execute(
                "INSERT OR IGNORE INTO group_members(group_id, user_id, joined) VALUES (?1, ?2, ?3)",
                params![id, user, now],
            )
            .map_err(err)?;
        }
        sp.commit().map_err(err)
    }
}
