//! Groups and their members; discussions (api.md §3.5): name, creator, invite status and
//! members in join order.

use rusqlite::{params, OptionalExtension};

use super::{err, SqliteStore};
use crate::store::{Discussion, GroupStore, StoreResult};

impl GroupStore for SqliteStore {
    fn upsert_group(&mut self, group: &str, name: Option<&str>) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO groups(group_id, name) VALUES (?1, COALESCE(?2, '')) \
                 ON CONFLICT(group_id) DO UPDATE SET name = COALESCE(?2, name)",
                params![group, name],
            )
            .map(drop)
            .map_err(err)
    }

    fn add_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
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

    fn remove_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.pairs(
            "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
            group,
            users,
        )
    }

    fn dismiss_group(&mut self, group: &str) -> StoreResult<()> {
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

    fn members(&mut self, group: &str) -> StoreResult<Vec<String>> {
        self.strings(
            "SELECT user_id FROM group_members WHERE group_id = ?1 ORDER BY joined, user_id",
            group,
        )
    }

    fn sync_user_groups(&mut self, user: &str, groups: &[(String, String)]) -> StoreResult<()> {
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

    fn discussion(&mut self, id: &str) -> StoreResult<Option<Discussion>> {
        let head = self
            .conn
            .query_row(
                "SELECT name, admin, open_status FROM discussions WHERE discussion_id = ?1",
                params![id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(err)?;
        let Some((name, admin, open_status)) = head else {
            return Ok(None);
        };
        let members = self.strings(
            "SELECT user_id FROM discussion_members WHERE discussion_id = ?1 ORDER BY seq",
            id,
        )?;
        Ok(Some(Discussion {
            id: id.to_owned(),
            name,
            admin,
            open_status,
            members,
        }))
    }

    fn save_discussion(&mut self, d: &Discussion) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        sp.execute(
            "INSERT INTO discussions(discussion_id, name, admin, open_status) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT(discussion_id) DO UPDATE SET \
             name = ?2, admin = ?3, open_status = ?4",
            params![d.id, d.name, d.admin, d.open_status],
        )
        .map_err(err)?;
        sp.execute(
            "DELETE FROM discussion_members WHERE discussion_id = ?1",
            params![d.id],
        )
        .map_err(err)?;
        for (seq, u) in d.members.iter().enumerate() {
            sp.execute(
                "INSERT OR IGNORE INTO discussion_members(discussion_id, user_id, seq) \
                 VALUES (?1, ?2, ?3)",
                params![d.id, u, i64::try_from(seq).unwrap_or(i64::MAX)],
            )
            .map_err(err)?;
        }
        sp.commit().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::sqlite::SqliteStore;
    use crate::store::{Discussion, GroupStore};

    #[test]
    fn a_saved_discussion_survives_reopening_with_its_members_in_join_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = Discussion {
            id: "d1".into(),
            name: "trip".into(),
            admin: "carol".into(),
            open_status: 1,
            members: vec!["carol".into(), "alice".into(), "bob".into()],
        };
        {
            let (mut store, _) = SqliteStore::open(dir.path(), false).unwrap();
            GroupStore::save_discussion(&mut store, &d).unwrap();
            assert_eq!(GroupStore::discussion(&mut store, "d2").unwrap(), None);
        }
        let (mut store, _) = SqliteStore::open(dir.path(), false).unwrap();
        assert_eq!(GroupStore::discussion(&mut store, "d1").unwrap(), Some(d));
    }
}
