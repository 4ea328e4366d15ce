//! Per-user settings: conversation flags, quiet hours, offline message duration and the
//! settings version.

use rusqlite::{params, Connection, OptionalExtension};

use super::{err, SqliteStore};
use crate::store::settings::{
    ConversationFlag, ConversationSettings, FlagChange, FlagUpdate, QuietHours, SettingsStore,
    UserSettings, MAX_CONVERSATION_SETTINGS,
};
use crate::store::{StoreResult, RECEIVED};

/// Raises `user`'s settings version to at least `now_ms` and past its old value.
fn bump(conn: &Connection, user: &str, now_ms: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO user_settings(user_id, version) VALUES (?1, ?2) ON CONFLICT(user_id) \
         DO UPDATE SET version = MAX(version + 1, excluded.version) RETURNING version",
        params![user, now_ms],
        |r| r.get(0),
    )
}

/// Columns read by [`settings_row`].
const COLUMNS: &str = "conv_type, target_id, top, hidden, muted";

fn settings_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConversationSettings> {
    Ok(ConversationSettings {
        conv_type: r.get(0)?,
        target: r.get(1)?,
        top: r.get(2)?,
        hidden: r.get(3)?,
        muted: r.get(4)?,
    })
}

fn read_flags(
    conn: &Connection,
    user: &str,
    conv_type: i32,
    target: &str,
) -> rusqlite::Result<Option<ConversationSettings>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM conversation_settings \
         WHERE user_id = ?1 AND conv_type = ?2 AND target_id = ?3"
    ))?
    .query_row(params![user, conv_type, target], settings_row)
    .optional()
}

impl SettingsStore for SqliteStore {
    fn set_conversation_flag(
        &mut self,
        user: &str,
        update: &FlagUpdate,
        now_ms: i64,
    ) -> StoreResult<FlagChange> {
        let FlagUpdate {
            conv_type,
            ref target,
            flag,
            on,
        } = *update;
        let target = target.as_str();
        let sp = self.conn.savepoint().map_err(err)?;
        let stored = read_flags(&sp, user, conv_type, target).map_err(err)?;
        let mut s = stored.clone().unwrap_or_else(|| ConversationSettings {
            conv_type,
            target: target.to_owned(),
            ..ConversationSettings::default()
        });
        let slot = match flag {
            ConversationFlag::Top => &mut s.top,
            ConversationFlag::Hidden => &mut s.hidden,
            ConversationFlag::Muted => &mut s.muted,
        };
        if *slot == on {
            return Ok(FlagChange::Unchanged);
        }
        *slot = on;
        if !(s.top || s.hidden || s.muted) {
            sp.execute(
                "DELETE FROM conversation_settings \
                 WHERE user_id = ?1 AND conv_type = ?2 AND target_id = ?3",
                params![user, conv_type, target],
            )
            .map_err(err)?;
        } else {
            if stored.is_none() {
                let count: i64 = sp
                    .query_row(
                        "SELECT COUNT(*) FROM conversation_settings WHERE user_id = ?1",
                        params![user],
                        |r| r.get(0),
                    )
                    .map_err(err)?;
                if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_CONVERSATION_SETTINGS {
                    return Ok(FlagChange::Full);
                }
            }
            sp.execute(
                "INSERT OR REPLACE INTO conversation_settings(user_id, conv_type, target_id, top, \
                 hidden, muted) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![user, conv_type, target, s.top, s.hidden, s.muted],
            )
            .map_err(err)?;
        }
        let version = bump(&sp, user, now_ms).map_err(err)?;
        sp.commit().map_err(err)?;
        Ok(FlagChange::Changed(version))
    }

    fn conversation_settings(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
    ) -> StoreResult<ConversationSettings> {
        let stored = read_flags(&self.conn, user, conv_type, target).map_err(err)?;
        Ok(stored.unwrap_or_else(|| ConversationSettings {
            conv_type,
            target: target.to_owned(),
            ..ConversationSettings::default()
        }))
    }

    fn set_quiet_hours(
        &mut self,
        user: &str,
        hours: Option<&QuietHours>,
        now_ms: i64,
    ) -> StoreResult<i64> {
        let sp = self.conn.savepoint().map_err(err)?;
        let version = bump(&sp, user, now_ms).map_err(err)?;
        sp.execute(
            "UPDATE user_settings SET quiet_start = ?2, quiet_span = ?3 WHERE user_id = ?1",
            params![
                user,
                hours.map(|h| h.start.as_str()),
                hours.map(|h| h.span_minutes)
            ],
        )
        .map_err(err)?;
        sp.commit().map_err(err)?;
        Ok(version)
    }

    fn set_offline_days(&mut self, user: &str, days: i32, now_ms: i64) -> StoreResult<i64> {
        let sp = self.conn.savepoint().map_err(err)?;
        let version = bump(&sp, user, now_ms).map_err(err)?;
        sp.execute(
            "UPDATE user_settings SET offline_days = ?2 WHERE user_id = ?1",
            params![user, days],
        )
        .map_err(err)?;
        sp.commit().map_err(err)?;
        Ok(version)
    }

    fn user_settings(&mut self, user: &str) -> StoreResult<UserSettings> {
        let conversations = self.rows(
            &format!(
                "SELECT {COLUMNS} FROM conversation_settings WHERE user_id = ?1 \
                 ORDER BY conv_type, target_id"
            ),
            params![user],
            settings_row,
        )?;
        let row = self
            .conn
            .prepare_cached(
                "SELECT quiet_start, quiet_span, offline_days, version FROM user_settings \
                 WHERE user_id = ?1",
            )
            .and_then(|mut s| {
                s.query_row(params![user], |r| {
                    let start: Option<String> = r.get(0)?;
                    let span: Option<i32> = r.get(1)?;
                    Ok((start.zip(span), r.get(2)?, r.get(3)?))
                })
                .optional()
            })
            .map_err(err)?;
        let (quiet, offline_days, version) = row.unwrap_or((None, None, 0));
        Ok(UserSettings {
            conversations,
            quiet_hours: quiet.map(|(start, span_minutes)| QuietHours {
                start,
                span_minutes,
            }),
            offline_days,
            version,
        })
    }

    fn offline_days(&mut self, user: &str) -> StoreResult<Option<i32>> {
        self.conn
            .prepare_cached("SELECT offline_days FROM user_settings WHERE user_id = ?1")
            .and_then(|mut s| s.query_row(params![user], |r| r.get(0)).optional())
            .map(Option::flatten)
            .map_err(err)
    }

    fn set_synced(&mut self, user: &str, time: i64) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO sync_marks(user_id, synced) VALUES (?1, ?2) ON CONFLICT(user_id) \
                 DO UPDATE SET synced = MAX(synced, excluded.synced)",
            )
            .and_then(|mut s| s.execute(params![user, time]))
            .map(drop)
            .map_err(err)
    }

    fn unsynced(&mut self, user: &str, floor: i64) -> StoreResult<bool> {
        self.conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM inbox WHERE user_id = ?1 AND direction = ?2 \
                 AND data_time > MAX(?3, COALESCE((SELECT synced FROM sync_marks \
                 WHERE user_id = ?1), 0)))",
            )
            .and_then(|mut s| s.query_row(params![user, RECEIVED, floor], |r| r.get(0)))
            .map_err(err)
    }
}
