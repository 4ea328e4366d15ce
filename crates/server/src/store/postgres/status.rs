//! User status (`setUserStatus`): one row per user whose status is not 0, as the SQLite store
//! keeps it.

use std::collections::HashMap;

use super::{text, texts, PostgresStore};
use crate::store::status::StatusStore;
use crate::store::StoreResult;

impl StatusStore for PostgresStore {
    fn set_user_status(&mut self, user: &str, status: i32) -> StoreResult<()> {
        self.run(|c| {
            if status == 0 {
                c.execute("DELETE FROM user_status WHERE user_id = $1", &[&text(user)])
            } else {
                c.execute(
                    "INSERT INTO user_status(user_id, status) VALUES ($1, $2) \
                     ON CONFLICT(user_id) DO UPDATE SET status = excluded.status",
                    &[&text(user), &status],
                )
            }
            .map(drop)
        })
    }

    fn user_statuses(&mut self, users: &[String]) -> StoreResult<Vec<(String, i32)>> {
        let keys = texts(users);
        let stored: HashMap<String, i32> = self.run(|c| {
            c.query(
                "SELECT user_id, status FROM user_status WHERE user_id = ANY($1)",
                &[&keys],
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
        })?;
        // In the order asked, as one lookup per user answers.
        Ok(users
            .iter()
            .zip(&keys)
            .filter_map(|(u, k)| stored.get(k.as_ref()).map(|s| (u.clone(), *s)))
            .collect())
    }
}
