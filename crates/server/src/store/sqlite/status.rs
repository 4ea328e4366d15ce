//! User status (`setUserStatus`): one row per user whose status is not 0.

use rusqlite::params;

use super::{err, SqliteStore};
use crate::store::status::StatusStore;
use crate::store::StoreResult;

impl StatusStore for SqliteStore {
    fn set_user_status(&mut self, user: &str, status: i32) -> StoreResult<()> {
        if status == 0 {
            self.conn
                .prepare_cached("DELETE FROM user_status WHERE user_id = ?1")
                .and_then(|mut s| s.execute(params![user]))
                .map_err(err)?;
        } else {
            self.conn
                .prepare_cached(
                    "INSERT INTO user_status(user_id, status) VALUES (?1, ?2) \
                     ON CONFLICT(user_id) DO UPDATE SET status = excluded.status",
                )
                .and_then(|mut s| s.execute(params![user, status]))
                .map_err(err)?;
        }
        Ok(())
    }

    fn user_statuses(&mut self, users: &[String]) -> StoreResult<Vec<(String, i32)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT status FROM user_status WHERE user_id = ?1")
            .map_err(err)?;
        let mut out = Vec::new();
        for u in users {
            let mut rows = stmt.query(params![u]).map_err(err)?;
            if let Some(row) = rows.next().map_err(err)? {
                out.push((u.clone(), row.get(0).map_err(err)?));
            }
        }
        Ok(out)
    }
}
