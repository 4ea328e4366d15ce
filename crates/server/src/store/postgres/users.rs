//! User profiles, token revocation watermarks, blocks and per-user blacklists, as the SQLite
//! store keeps them.

use std::collections::HashMap;

use super::{text, PostgresStore};
use crate::store::{StoreResult, UserStore};

impl UserStore for PostgresStore {
    fn upsert_user(
        &mut self,
        user: &str,
        name: Option<&str>,
        portrait: Option<&str>,
    ) -> StoreResult<()> {
        let (name, portrait) = (name.map(text), portrait.map(text));
        self.run(|c| {
            c.execute(
                "INSERT INTO users(user_id, name, portrait) VALUES ($1, $2, $3) \
                 ON CONFLICT(user_id) DO UPDATE SET name = COALESCE($2, users.name), \
                 portrait = COALESCE($3, users.portrait)",
                &[&text(user), &name, &portrait],
            )
            .map(drop)
        })
    }

    fn set_token_watermark(&mut self, user: &str, before_ms: i64) -> StoreResult<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO users(user_id, tokens_valid_after) VALUES ($1, $2) \
                 ON CONFLICT(user_id) DO UPDATE SET tokens_valid_after = \
                 GREATEST(users.tokens_valid_after, $2)",
                &[&text(user), &before_ms],
            )
            .map(drop)
        })
    }

    fn token_watermarks(&mut self) -> StoreResult<HashMap<String, i64>> {
        self.run(|c| {
            c.query(
                "SELECT user_id, tokens_valid_after FROM users WHERE tokens_valid_after > 0",
                &[],
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
        })
    }

    fn block_users(&mut self, users: &[String], until_ms: i64) -> StoreResult<()> {
        self.atomic(|c| {
            for u in users {
                c.execute(
                    "INSERT INTO user_blocks(user_id, until_ms) VALUES ($1, $2) \
                     ON CONFLICT(user_id) DO UPDATE SET until_ms = $2",
                    &[&text(u), &until_ms],
                )?;
            }
            Ok(())
        })
    }

    fn unblock_users(&mut self, users: &[String]) -> StoreResult<()> {
        self.atomic(|c| {
            for u in users {
                c.execute("DELETE FROM user_blocks WHERE user_id = $1", &[&text(u)])?;
            }
            Ok(())
        })
    }

    fn user_blocks(&mut self, now_ms: i64) -> StoreResult<HashMap<String, i64>> {
        self.atomic(|c| {
            c.execute("DELETE FROM user_blocks WHERE until_ms <= $1", &[&now_ms])?;
            c.query("SELECT user_id, until_ms FROM user_blocks", &[])?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect()
        })
    }

    fn blacklist_add(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.atomic(|c| {
            c.pairs(
                "INSERT INTO blacklist(user_id, black_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                user,
                others,
            )
        })
    }

    fn blacklist_remove(&mut self, user: &str, others: &[String]) -> StoreResult<()> {
        self.atomic(|c| {
            c.pairs(
                "DELETE FROM blacklist WHERE user_id = $1 AND black_id = $2",
                user,
                others,
            )
        })
    }

    fn blacklist(&mut self, user: &str) -> StoreResult<Vec<String>> {
        self.run(|c| {
            c.column(
                "SELECT black_id FROM blacklist WHERE user_id = $1 ORDER BY black_id",
                &[&text(user)],
            )
        })
    }

    fn is_blacklisted(&mut self, user: &str, other: &str) -> StoreResult<bool> {
        self.run(|c| {
            c.query_opt(
                "SELECT 1 FROM blacklist WHERE user_id = $1 AND black_id = $2",
                &[&text(user), &text(other)],
            )
            .map(|r| r.is_some())
        })
    }
}
