//! Sensitive words and group mutes.

use rusqlite::params;

use super::{err, SqliteStore};
use crate::store::moderation::{GroupMutes, ModerationStore, SensitiveWord};
use crate::store::StoreResult;

impl SqliteStore {
    pub(super) fn rows<T>(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        let rows = stmt.query_map(args, f).map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }
}

impl ModerationStore for SqliteStore {
    fn sensitive_words(&mut self) -> StoreResult<Vec<SensitiveWord>> {
        self.rows(
            "SELECT word, replacement FROM sensitive_words ORDER BY seq",
            [],
            |r| {
                Ok(SensitiveWord {
                    word: r.get(0)?,
                    replacement: r.get(1)?,
                })
            },
        )
    }

    fn add_sensitive_word(&mut self, word: &SensitiveWord, limit: usize) -> StoreResult<bool> {
        let sp = self.conn.savepoint().map_err(err)?;
        let exists: bool = sp
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM sensitive_words WHERE word = ?1)",
                params![word.word],
                |r| r.get(0),
            )
            .map_err(err)?;
        let count: i64 = sp
            .query_row("SELECT COUNT(*) FROM sensitive_words", [], |r| r.get(0))
            .map_err(err)?;
        if !exists && usize::try_from(count).unwrap_or(usize::MAX) >= limit {
            return Ok(false);
        }
        sp.execute(
            "INSERT INTO sensitive_words(word, replacement) VALUES (?1, ?2) \
             ON CONFLICT(word) DO UPDATE SET replacement = ?2",
            params![word.word, word.replacement],
        )
        .map_err(err)?;
        sp.commit().map_err(err)?;
        Ok(true)
    }

    fn remove_sensitive_words(&mut self, words: &[String]) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for w in words {
            sp.execute("DELETE FROM sensitive_words WHERE word = ?1", params![w])
                .map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    fn gag_members(&mut self, group: &str, users: &[String], until_ms: i64) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        for u in users {
            sp.execute(
                "INSERT INTO group_gags(group_id, user_id, until_ms) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(group_id, user_id) DO UPDATE SET until_ms = ?3",
                params![group, u, until_ms],
            )
            .map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    fn ungag_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.pairs(
            "DELETE FROM group_gags WHERE group_id = ?1 AND user_id = ?2",
            group,
            users,
        )
    }

    fn set_group_ban(&mut self, groups: &[String], banned: bool) -> StoreResult<()> {
        let sql = if banned {
            "INSERT OR IGNORE INTO group_bans(group_id) VALUES (?1)"
        } else {
            "DELETE FROM group_bans WHERE group_id = ?1"
        };
        let sp = self.conn.savepoint().map_err(err)?;
        for g in groups {
            sp.execute(sql, params![g]).map_err(err)?;
        }
        sp.commit().map_err(err)
    }

    fn change_ban_whitelist(
        &mut self,
        group: &str,
        users: &[String],
        add: bool,
    ) -> StoreResult<()> {
        let sql = if add {
            "INSERT OR IGNORE INTO group_ban_whitelist(group_id, user_id) VALUES (?1, ?2)"
        } else {
            "DELETE FROM group_ban_whitelist WHERE group_id = ?1 AND user_id = ?2"
        };
        self.pairs(sql, group, users)
    }

    fn group_mutes(&mut self, now_ms: i64) -> StoreResult<GroupMutes> {
        self.conn
            .execute(
                "DELETE FROM group_gags WHERE until_ms <= ?1",
                params![now_ms],
            )
            .map_err(err)?;
        Ok(GroupMutes {
            gags: self.rows(
                "SELECT group_id, user_id, until_ms FROM group_gags",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?,
            banned: self.rows("SELECT group_id FROM group_bans", [], |r| r.get(0))?,
            whitelist: self.rows(
                "SELECT group_id, user_id FROM group_ban_whitelist",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
        })
    }
}
