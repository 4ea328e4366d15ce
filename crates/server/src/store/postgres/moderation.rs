//! Sensitive words and group mutes, as the SQLite store keeps them.

use super::{size, text, texts, PostgresStore};
use crate::store::moderation::{GroupMutes, ModerationStore, SensitiveWord};
use crate::store::StoreResult;

impl ModerationStore for PostgresStore {
    fn sensitive_words(&mut self) -> StoreResult<Vec<SensitiveWord>> {
        self.run(|c| {
            c.query(
                "SELECT word, replacement FROM sensitive_words ORDER BY seq",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(SensitiveWord {
                    word: r.try_get(0)?,
                    replacement: r.try_get(1)?,
                })
            })
            .collect()
        })
    }

    fn add_sensitive_word(&mut self, word: &SensitiveWord, limit: usize) -> StoreResult<bool> {
        let w = text(&word.word);
        let replacement = word.replacement.as_deref().map(text);
        self.atomic(|c| {
            let row = c.query_one(
                "SELECT EXISTS(SELECT 1 FROM sensitive_words WHERE word = $1), \
                 (SELECT COUNT(*) FROM sensitive_words)",
                &[&w],
            )?;
            let (exists, count): (bool, i64) = (row.try_get(0)?, row.try_get(1)?);
            if !exists && size(count) >= limit {
                return Ok(false);
            }
            c.execute(
                "INSERT INTO sensitive_words(word, replacement) VALUES ($1, $2) \
                 ON CONFLICT(word) DO UPDATE SET replacement = $2",
                &[&w, &replacement],
            )?;
            Ok(true)
        })
    }

    fn remove_sensitive_words(&mut self, words: &[String]) -> StoreResult<()> {
        let words = texts(words);
        self.run(|c| {
            c.execute(
                "DELETE FROM sensitive_words WHERE word = ANY($1)",
                &[&words],
            )
            .map(drop)
        })
    }

    fn gag_members(&mut self, group: &str, users: &[String], until_ms: i64) -> StoreResult<()> {
        self.atomic(|c| {
            for u in users {
                c.execute(
                    "INSERT INTO group_gags(group_id, user_id, until_ms) VALUES ($1, $2, $3) \
                     ON CONFLICT(group_id, user_id) DO UPDATE SET until_ms = $3",
                    &[&text(group), &text(u), &until_ms],
                )?;
            }
            Ok(())
        })
    }

    fn ungag_members(&mut self, group: &str, users: &[String]) -> StoreResult<()> {
        self.atomic(|c| {
            c.pairs(
                "DELETE FROM group_gags WHERE group_id = $1 AND user_id = $2",
                group,
                users,
            )
        })
    }

    fn set_group_ban(&mut self, groups: &[String], banned: bool) -> StoreResult<()> {
        let sql = if banned {
            "INSERT INTO group_bans(group_id) VALUES ($1) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM group_bans WHERE group_id = $1"
        };
        self.atomic(|c| {
            for g in groups {
                c.execute(sql, &[&text(g)])?;
            }
            Ok(())
        })
    }

    fn change_ban_whitelist(
        &mut self,
        group: &str,
        users: &[String],
        add: bool,
    ) -> StoreResult<()> {
        let sql = if add {
            "INSERT INTO group_ban_whitelist(group_id, user_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM group_ban_whitelist WHERE group_id = $1 AND user_id = $2"
        };
        self.atomic(|c| c.pairs(sql, group, users))
    }

    fn group_mutes(&mut self, now_ms: i64) -> StoreResult<GroupMutes> {
        self.atomic(|c| {
            c.execute("DELETE FROM group_gags WHERE until_ms <= $1", &[&now_ms])?;
            let gags = c
                .query(
                    "SELECT group_id, user_id, until_ms FROM group_gags ORDER BY group_id, user_id",
                    &[],
                )?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
                .collect::<Result<_, postgres::Error>>()?;
            let banned = c.column("SELECT group_id FROM group_bans ORDER BY group_id", &[])?;
            let whitelist = c
                .query(
                    "SELECT group_id, user_id FROM group_ban_whitelist ORDER BY group_id, user_id",
                    &[],
                )?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_, postgres::Error>>()?;
            Ok(GroupMutes {
                gags,
                banned,
                whitelist,
            })
        })
    }
}
