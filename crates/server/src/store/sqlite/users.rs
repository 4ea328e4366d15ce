//! User profiles, token revocation watermarks and blocks.

use std::collections::HashMap;

use rusqlite::params;

use super::{err, SqliteStore};
use crate::store::StoreResult;

impl SqliteStore {
    pub(super) fn upsert_user(
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

    pub(super) fn set_token_watermark(&mut self, user: &str, before_ms: i64) -> StoreResult<()> {
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

    pub(super) fn token_watermarks(&mut self) -> StoreResult<HashMap<String, i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT user_id, tokens_valid_after FROM users WHERE tokens_valid_after > 0")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?;
        rows.collect::<Result<HashMap<_, _>, _>>().map_err(err)
    }

    pub(super) fn block_users(&mut self, users: &[String], until_ms: i64) -> StoreResult<()> {
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

    pub(super) fn unblock_users(&mut self, users: &[String]) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for u in users {
            sp.execute("DELETE FROM user_blocks WHERE user_id = ?1", params![u])
                .map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    pub(super) fn user_blocks(&mut self, now_ms: i64) -> StoreResult<HashMap<String, i64>> {
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
}
