//! User profiles, token revocation watermarks, blocks and per-user blacklists.

use std::collections::HashMap;

use rusqlite::params;

use super::{err, SqliteStore};
use crate::store::{StoreResult, UserStore};

impl UserStore for SqliteStore {
    fn upsert_user(
        &mut self,
        user: &str,
        name: Option<&str>,
        portrait: Option<&str>,
    ) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO users(user_id, name, portrait) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(user_id) DO UPDATE SET name = COALESCE(?2, name), \
                 portrait = COALESCE(?3, portrait)",
                params![user, name, portrait],
            )
            .map(drop)
            .map_err(err)
    }

    fn set_token_watermark(&mut self, user: &str, before_ms: i64) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO users(user_id, tokens_valid_after) VALUES (?1, ?2) \
                 ON CONFLICT(user_id) DO UPDATE SET tokens_valid_after = \
                 MAX(tokens_valid_after, ?2)",
                params![user, before_ms],
            )
            .map(drop)
            .map_err(err)
    }

    fn token_watermarks(&mut self) -> StoreResult<HashMap<String, i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT user_id, tokens_valid_after FROM users WHERE tokens_valid_after > 0")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?;
        rows.collect::<Result<HashMap<_, _>, _>>().map_err(err)
    }

    fn block_users(&mut self, users: &[String], until_ms: i64) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for u in users {
            sp.execute(
                "INSERT INTO user_blocks(user_id, until_ms) VALUES (?1, ?2) \
                 ON CONFLICT(user_id) DO UPDATE SET until_ms = ?2",
                params![u, until_ms],
            )
            .map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    fn unblock_users(&mut self, users: &[String]) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for u in users {
            sp.execute("DELETE FROM user_blocks WHERE user_id = ?1", params![u])
                .map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    fn user_blocks(&mut self, now_ms: i64) -> StoreResult<HashMap<String, i64>> {
        self.conn
            .execute(
                "DELETE FROM user_blocks WHERE until_ms <= ?1",
                params![now_ms],
            )
            .map_err(err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT user_id, until_ms FROM user_blocks")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?;
        rows.collect::<Result<HashMap<_, _>, _>>().map_err(err)
    }

    fn blacklist_add(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.pairs(
            "INSERT OR IGNORE INTO blacklist(user_id, black_id) VALUES (?1, ?2)",
            user,
            others,
        )
    }

    fn blacklist_remove(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.pairs(
            "DELETE FROM blacklist WHERE user_id = ?1 AND black_id = ?2",
            user,
            others,
        )
    }

    fn blacklist(&mut self, user: &str) -> StoreResult<Vec<String>> {
        self.strings(
            "SELECT black_id FROM blacklist WHERE user_id = ?1 ORDER BY black_id",
            user,
        )
    }

    fn is_blacklisted(&mut self, user: &str, other: &str) -> StoreResult<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM blacklist WHERE user_id = ?1 AND black_id = ?2")
            .and_then(|mut s| s.exists(params![user, other]))
            .map_err(err)
    }
}
