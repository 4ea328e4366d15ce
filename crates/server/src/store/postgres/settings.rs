//! Per-user settings: conversation flags, quiet hours, offline message duration, the settings
//! version and sync marks, as the SQLite store keeps them.

use postgres::Row;

use super::{size, text, Conn, PostgresStore};
use crate::store::settings::{
    ConversationFlag, ConversationSettings, FlagChange, FlagUpdate, QuietHours, SettingsStore,
    UserSettings, MAX_CONVERSATION_SETTINGS,
};
use crate::store::{StoreResult, RECEIVED};

/// Raises `user`'s settings version to at least `now_ms` and past its old value.
fn bump(c: &mut Conn, user: &str, now_ms: i64) -> Result<i64, postgres::Error> {
    c.query_one(
        "INSERT INTO user_settings(user_id, version) VALUES ($1, $2) ON CONFLICT(user_id) \
         DO UPDATE SET version = GREATEST(user_settings.version + 1, excluded.version) \
         RETURNING version",
        &[&text(user), &now_ms],
    )?
    .try_get(0)
}

/// Columns read by [`settings_row`].
const COLUMNS: &str = "conv_type, target_id, top, hidden, muted";

fn settings_row(r: &Row) -> Result<ConversationSettings, postgres::Error> {
    Ok(ConversationSettings {
        conv_type: r.try_get(0)?,
        target: r.try_get(1)?,
        top: r.try_get(2)?,
        hidden: r.try_get(3)?,
        muted: r.try_get(4)?,
    })
}

fn read_flags(
    c: &mut Conn,
    user: &str,
    conv_type: i32,
    target: &str,
) -> Result<Option<ConversationSettings>, postgres::Error> {
    c.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM conversation_settings \
             WHERE user_id = $1 AND conv_type = $2 AND target_id = $3"
        ),
        &[&text(user), &conv_type, &text(target)],
    )?
    .map(|r| settings_row(&r))
    .transpose()
}

impl SettingsStore for PostgresStore {
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
        self.atomic(|c| {
            let stored = read_flags(c, user, conv_type, target)?;
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
            let key: [&(dyn postgres::types::ToSql + Sync); 3] =
                [&text(user), &conv_type, &text(target)];
            if !(s.top || s.hidden || s.muted) {
                c.execute(
                    "DELETE FROM conversation_settings \
                     WHERE user_id = $1 AND conv_type = $2 AND target_id = $3",
                    &key,
                )?;
            } else {
                if stored.is_none() {
                    let count: i64 = c
                        .query_one(
                            "SELECT COUNT(*) FROM conversation_settings WHERE user_id = $1",
                            &[&text(user)],
                        )?
                        .try_get(0)?;
                    if size(count) >= MAX_CONVERSATION_SETTINGS {
                        return Ok(FlagChange::Full);
                    }
                }
                c.execute(
                    "INSERT INTO conversation_settings(user_id, conv_type, target_id, top, \
                     hidden, muted) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT(user_id, conv_type, target_id) DO UPDATE SET \
                     top = excluded.top, hidden = excluded.hidden, muted = excluded.muted",
                    &[key[0], key[1], key[2], &s.top, &s.hidden, &s.muted],
                )?;
            }
            Ok(FlagChange::Changed(bump(c, user, now_ms)?))
        })
    }

    fn conversation_settings(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
    ) -> StoreResult<ConversationSettings> {
        let stored = self.run(|c| read_flags(c, user, conv_type, target))?;
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
        self.atomic(|c| {
            let version = bump(c, user, now_ms)?;
            c.execute(
                "UPDATE user_settings SET quiet_start = $2, quiet_span = $3 WHERE user_id = $1",
                &[
                    &text(user),
                    &hours.map(|h| text(&h.start)),
                    &hours.map(|h| h.span_minutes),
                ],
            )?;
            Ok(version)
        })
    }

    fn set_offline_days(&mut self, user: &str, days: i32, now_ms: i64) -> StoreResult<i64> {
        self.atomic(|c| {
            let version = bump(c, user, now_ms)?;
            c.execute(
                "UPDATE user_settings SET offline_days = $2 WHERE user_id = $1",
                &[&text(user), &days],
            )?;
            Ok(version)
        })
    }

    fn user_settings(&mut self, user: &str) -> StoreResult<UserSettings> {
        let user = text(user);
        let conversations_sql = format!(
            "SELECT {COLUMNS} FROM conversation_settings WHERE user_id = $1 \
             ORDER BY conv_type, target_id"
        );
        self.run(|c| {
            let conversations = c
                .query(&conversations_sql, &[&user])?
                .iter()
                .map(settings_row)
                .collect::<Result<Vec<_>, _>>()?;
            let row = c.query_opt(
                "SELECT quiet_start, quiet_span, offline_days, version FROM user_settings \
                 WHERE user_id = $1",
                &[&user],
            )?;
            let (quiet, offline_days, version) = match row {
                Some(r) => {
                    let start: Option<String> = r.try_get(0)?;
                    let span: Option<i32> = r.try_get(1)?;
                    (start.zip(span), r.try_get(2)?, r.try_get(3)?)
                }
                None => (None, None, 0),
            };
            Ok(UserSettings {
                conversations,
                quiet_hours: quiet.map(|(start, span_minutes)| QuietHours {
                    start,
                    span_minutes,
                }),
                offline_days,
                version,
            })
        })
    }

    fn offline_days(&mut self, user: &str) -> StoreResult<Option<i32>> {
        self.run(|c| {
            c.query_opt(
                "SELECT offline_days FROM user_settings WHERE user_id = $1",
                &[&text(user)],
            )?
            .map(|r| r.try_get(0))
            .transpose()
            .map(Option::flatten)
        })
    }

    fn set_synced(&mut self, user: &str, time: i64) -> StoreResult<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO sync_marks(user_id, synced) VALUES ($1, $2) ON CONFLICT(user_id) \
                 DO UPDATE SET synced = GREATEST(sync_marks.synced, excluded.synced)",
                &[&text(user), &time],
            )
            .map(drop)
        })
    }

    fn unsynced(&mut self, user: &str, floor: i64) -> StoreResult<bool> {
        self.run(|c| {
            c.query_one(
                "SELECT EXISTS(SELECT 1 FROM inbox WHERE user_id = $1 AND direction = $2 \
                 AND data_time > GREATEST($3, COALESCE((SELECT synced FROM sync_marks \
                 WHERE user_id = $1), 0)))",
                &[&text(user), &i16::from(RECEIVED), &floor],
            )?
            .try_get(0)
        })
    }
}
