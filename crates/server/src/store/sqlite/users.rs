//! User profiles and token revocation watermarks.

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
}
