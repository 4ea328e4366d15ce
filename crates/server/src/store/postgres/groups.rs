//! Groups and their members; discussions with their members in join order, as the SQLite store
//! keeps them.

use super::{bigint, text, Conn, PostgresStore};
use crate::store::{Discussion, GroupStore, StoreResult};

fn upsert_group(c: &mut Conn, group: &str, name: Option<&str>) -> Result<(), postgres::Error> {
    c.execute(
        "INSERT INTO groups(group_id, name) VALUES ($1, COALESCE($2, '')) \
         ON CONFLICT(group_id) DO UPDATE SET name = COALESCE($2, groups.name)",
        &[&text(group), &name.map(text)],
    )
    .map(drop)
}

impl GroupStore for PostgresStore {
    fn upsert_group(&mut self, group: &str, name: Option<&str>) -> StoreResult<()> {
        self.run(|c| upsert_group(c, group, name))
    }

    fn add_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        let now = crate::clock::wall_ms();
        self.atomic(|c| {
            upsert_group(c, group, None)?;
            for u in users {
                c.execute(
                    "INSERT INTO group_members(group_id, user_id, joined) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                    &[&text(group), &text(u), &now],
                )?;
            }
            Ok(())
        })
    }

    fn remove_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.atomic(|c| {
            c.pairs(
                "DELETE FROM group_members WHERE group_id = $1 AND user_id = $2",
                group,
                users,
            )
        })
    }

    fn dismiss_group(&mut self, group: &str) -> StoreResult<()> {
        let group = text(group);
        self.atomic(|c| {
            c.execute("DELETE FROM group_members WHERE group_id = $1", &[&group])?;
            c.execute("DELETE FROM groups WHERE group_id = $1", &[&group])
                .map(drop)
        })
    }

    fn members(&mut self, group: &str) -> StoreResult<Vec<String>> {
        self.run(|c| {
            c.column(
                "SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY joined, user_id",
                &[&text(group)],
            )
        })
    }

    fn sync_user_groups(&mut self, user: &str, groups: &[(String, String)]) -> StoreResult<()> {
        let now = crate::clock::wall_ms();
        let user = text(user);
        self.atomic(|c| {
            c.execute("DELETE FROM group_members WHERE user_id = $1", &[&user])?;
            for (id, name) in groups {
                let id = text(id);
                c.execute(
                    "INSERT INTO groups(group_id, name) VALUES ($1, $2) \
                     ON CONFLICT(group_id) DO UPDATE SET name = $2",
                    &[&id, &text(name)],
                )?;
                c.execute(
                    "INSERT INTO group_members(group_id, user_id, joined) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                    &[&id, &user, &now],
                )?;
            }
            Ok(())
        })
    }

    fn discussion(&mut self, id: &str) -> StoreResult<Option<Discussion>> {
        let key = text(id);
        self.run(|c| {
            let Some(head) = c.query_opt(
                "SELECT name, admin, open_status FROM discussions WHERE discussion_id = $1",
                &[&key],
            )?
            else {
                return Ok(None);
            };
            let members = c.column(
                "SELECT user_id FROM discussion_members WHERE discussion_id = $1 ORDER BY seq",
                &[&key],
            )?;
            Ok(Some(Discussion {
                id: id.to_owned(),
                name: head.try_get(0)?,
                admin: head.try_get(1)?,
                open_status: head.try_get(2)?,
                members,
            }))
        })
    }

    fn save_discussion(&mut self, d: &Discussion) -> StoreResult<()> {
        let id = text(&d.id);
        self.atomic(|c| {
            c.execute(
                "INSERT INTO discussions(discussion_id, name, admin, open_status) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT(discussion_id) DO UPDATE SET \
                 name = $2, admin = $3, open_status = $4",
                &[&id, &text(&d.name), &text(&d.admin), &d.open_status],
            )?;
            c.execute(
                "DELETE FROM discussion_members WHERE discussion_id = $1",
                &[&id],
            )?;
            for (seq, u) in d.members.iter().enumerate() {
                c.execute(
                    "INSERT INTO discussion_members(discussion_id, user_id, seq) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&id, &text(u), &bigint(seq)],
                )?;
            }
            Ok(())
        })
    }
}
