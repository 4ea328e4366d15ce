//! Per-user blacklists.

use rusqlite::params;

use super::{err, SqliteStore};
use crate::store::StoreResult;

impl SqliteStore {
    pub(super) fn blacklist_add(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.pairs(
            "INSERT OR IGNORE INTO blacklist(user_id, black_id) VALUES (?1, ?2)",
            user,
            others,
        )
    }

    pub(super) fn blacklist_remove(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.pairs(
            "DELETE FROM blacklist WHERE user_id = ?1 AND black_id = ?2",
            user,
            others,
        )
    }

    pub(super) fn blacklist(&mut self, user: &str) -> StoreResult<Vec<String>> {
        self.strings(
            "SELECT black_id FROM blacklist WHERE user_id = ?1 ORDER BY black_id",
            user,
        )
    }

    pub(super) fn is_blacklisted(&mut self, user: &str, other: &str) -> StoreResult<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM blacklist WHERE user_id = ?1 AND black_id = ?2")
            .and_then(|mut s| s.exists(params![user, other]))
            .map_err(err)
    }
}
