//! Per-user settings shared by the socket and the Server API: conversation flags (pinned,
//! hidden, do not disturb), notification quiet hours and the offline message duration, and the
//! notice that tells a user's other devices of a change.
//!
//! The notice is an `s_cmd` PUBLISH whose `NotifyMsg.type` is [`im_wire::topic::S_CMD_SETTINGS`] and whose
//! `time` is the new settings version; a device that holds an older version asks `xQrySettings`.
//! The original client acts on `s_cmd` type 2 only, so it ignores the notice
//! (docs/protocol-additions.md).

use im_wire::enums::ConversationType;

use crate::hub::Outbound;
use crate::server::State;
use crate::store::settings::{FlagChange, FlagUpdate, QuietHours};
use crate::store::StoreError;

/// Shortest offline message duration in days (RongCloud's range).
pub const MIN_OFFLINE_DAYS: i32 = 1;
/// Longest offline message duration in days.
pub const MAX_OFFLINE_DAYS: i32 = 7;
/// Longest quiet-hours span in minutes (a day less one minute).
pub const MAX_QUIET_MINUTES: i32 = 1439;

/// Why a setting was not stored.
#[derive(Debug)]
pub enum SettingError {
    /// The user already has the most conversations with settings a user may have.
    Full,
    /// Storage failed.
    Store(StoreError),
}

impl From<StoreError> for SettingError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// Whether a conversation of this type can carry settings: every type a conversation list
/// shows (1–3, 5–8), not chatrooms, RTC or none.
pub fn settable_type(conv_type: i32) -> bool {
    matches!(
        ConversationType::from_value(conv_type),
        Some(
            ConversationType::Private
                | ConversationType::Discussion
                | ConversationType::Group
                | ConversationType::CustomerService
                | ConversationType::System
                | ConversationType::AppPublicService
                | ConversationType::PublicService
        )
    )
}

/// Quiet hours from a start time "HH:MM:SS" and a span of 1–1439 minutes.
pub fn quiet_hours(start: &str, span_minutes: i32) -> Option<QuietHours> {
    let fields: Vec<&str> = start.split(':').collect();
    let [h, m, s] = fields.as_slice() else {
        return None;
    };
    let part = |p: &str, max: u32| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    part(h, 23)?;
    part(m, 59)?;
    part(s, 59)?;
    (1..=MAX_QUIET_MINUTES)
        .contains(&span_minutes)
        .then(|| QuietHours {
            start: start.to_owned(),
            span_minutes,
        })
}

/// The oldest message time sync still delivers to `user` at `now_ms` (0 = all): messages older
/// than the user's offline message duration are no longer synced (setOfflineMsgDur, api.md
/// §3.3); history keeps them.
pub fn offline_floor(
    store: &mut dyn crate::store::Store,
    user: &str,
    now_ms: i64,
) -> Result<i64, StoreError> {
    const DAY_MS: i64 = 86_400_000;
    Ok(store
        .offline_days(user)?
        .map_or(0, |days| now_ms.saturating_sub(i64::from(days) * DAY_MS)))
}

/// The offline message duration from its text (`setOfflineMsgDur` sends `String(duration)`):
/// a whole number of days, 1–7.
pub fn offline_days(text: &str) -> Option<i32> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (MIN_OFFLINE_DAYS..=MAX_OFFLINE_DAYS).contains(d))
}

/// Tells every connection of `user` but `except` that their settings are now at `version`.
pub fn announce(state: &State, user: &str, except: Option<u64>, version: i64) {
    let out = Outbound::SettingsChanged { version };
    state.bus.send(user, &out);
    state.hub.send(user, except, out);
}

/// Stores one conversation flag and announces a change to the user's other connections.
pub async fn set_flag(
    state: &State,
    user: &str,
    except: Option<u64>,
    update: FlagUpdate,
) -> Result<(), SettingError> {
    let owner = user.to_owned();
    let now = crate::clock::wall_ms();
    let change = state
        .store
        .call(move |s| s.set_conversation_flag(&owner, &update, now))
        .await?;
    match change {
        FlagChange::Changed(version) => {
            announce(state, user, except, version);
            Ok(())
        }
        FlagChange::Unchanged => Ok(()),
        FlagChange::Full => Err(SettingError::Full),
    }
}

/// Stores (or with `None` removes) the quiet hours and announces the change.
pub async fn set_quiet_hours(
    state: &State,
    user: &str,
    except: Option<u64>,
    hours: Option<QuietHours>,
) -> Result<(), StoreError> {
    let owner = user.to_owned();
    let now = crate::clock::wall_ms();
    let version = state
        .store
        .call(move |s| s.set_quiet_hours(&owner, hours.as_ref(), now))
        .await?;
    announce(state, user, except, version);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_need_a_clock_time_and_a_span_below_a_day() {
        assert!(quiet_hours("22:30:00", 480).is_some());
        assert!(quiet_hours("00:00:00", 1).is_some());
        assert!(quiet_hours("23:59:59", 1439).is_some());
        for (start, span) in [
            ("24:00:00", 60),
            ("22:60:00", 60),
            ("22:30", 60),
            ("2:30:00", 60),
            ("22:30:00:00", 60),
            ("+1:30:00", 60),
            ("22:30:00", 0),
            ("22:30:00", 1440),
            ("", 60),
        ] {
            assert!(quiet_hours(start, span).is_none(), "{start} {span}");
        }
    }

    #[test]
    fn offline_days_are_whole_days_from_one_to_seven() {
        assert_eq!(offline_days("1"), Some(1));
        assert_eq!(offline_days("7"), Some(7));
        for bad in ["0", "8", "-1", "2.5", "", "seven", "99999999999"] {
            assert_eq!(offline_days(bad), None, "{bad}");
        }
    }

    #[test]
    fn settable_types_are_the_listed_conversation_types() {
        let ok: Vec<i32> = (-1..=14).filter(|t| settable_type(*t)).collect();
        assert_eq!(ok, [1, 2, 3, 5, 6, 7, 8]);
    }
}
