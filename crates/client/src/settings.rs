//! Per-user conversation settings — pinned, hidden, notification status — and notification quiet
//! hours. The server keeps them per user (docs/protocol-additions.md: `xSetTop`, `xSetHidden`,
//! `blk/unblk/qryPPush` with the conversation type, `xSetQuiet`/`xQryQuiet`/`xDelQuiet`,
//! `xQrySettings`); the engine caches them in its persisted state, so a reload shows them before
//! the server answers, and reloads them when another device changed them (`s_cmd` type 3).
//! 2.5.3 kept "top" in the page only and never sent its notification status; this does both.

use im_wire::enums::ConversationType;
use im_wire::json_out::Object;
use im_wire::proto::{self, BlockPushInput, ConversationFlagInput, QuietHours};
use im_wire::text;
use im_wire::text::Piece;
use im_wire::topic::{self, Query};
use im_wire::value::Value;

use crate::args::invalid;
use crate::conversation::Conversation;
use crate::output::{Reply, RequestError, RequestId};
use crate::typed::Kind;
use crate::Engine;

/// What one conversation has set (the defaults: not pinned, shown, NOTIFY).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub(crate) top: bool,
    pub(crate) hidden: bool,
    /// Do not disturb (ConversationNotificationStatus 0).
    pub(crate) quiet: bool,
}

impl Flags {
    /// As persisted: bit 0 pinned, bit 1 hidden, bit 2 do not disturb.
    fn bits(self) -> u8 {
        u8::from(self.top) | u8::from(self.hidden) << 1 | u8::from(self.quiet) << 2
    }

    fn from_bits(b: u64) -> Self {
        Self {
            top: b & 1 != 0,
            hidden: b & 2 != 0,
            quiet: b & 4 != 0,
        }
    }
}

/// The settings of the current user, as last loaded or changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Settings {
    /// The server's settings version (ms of the newest change) these reflect.
    pub(crate) version: i64,
    pub(crate) flags: Vec<(i32, String, Flags)>,
    /// Quiet hours: start "HH:MM:SS" and span in minutes.
    pub(crate) quiet_hours: Option<(String, i32)>,
    /// Loaded from the server on this connection (not persisted).
    pub(crate) fresh: bool,
}

impl Settings {
    /// The persisted form: `{"v": version, "c": [[type, targetId, bits]…], "q": [start, span]}`.
    fn to_json(&self) -> String {
        let flags: Vec<(i32, &str, u8)> = self
            .flags
            .iter()
            .map(|(t, id, f)| (*t, id.as_str(), f.bits()))
            .collect();
        let mut out = String::new();
        Object::new(&mut out)
            .field("v", &self.version)
            .field("c", &flags)
            .field("q", &self.quiet_hours)
            .end();
        out
    }

    /// Reads [`Self::to_json`]'s form; anything else is no settings (the server has them).
    fn from_json(text: &str) -> Self {
        let Ok(v) = im_wire::json::parse(text) else {
            return Self::default();
        };
        let at = |v: &Value, i: usize| v.get(i).cloned().unwrap_or(Value::Null);
        let flags = v
            .get("c")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|row| {
                let t = i32::try_from(at(row, 0).as_i64()?).ok()?;
                let id = at(row, 1).as_str()?.to_owned();
                Some((t, id, Flags::from_bits(at(row, 2).as_u64()?)))
            })
            .collect();
        let quiet_hours = v.get("q").and_then(|q| {
            let span = i32::try_from(at(q, 1).as_i64()?).ok()?;
            Some((at(q, 0).as_str()?.to_owned(), span))
        });
        Self {
            version: v.get("v").and_then(Value::as_i64).unwrap_or(0),
            flags,
            quiet_hours,
            fresh: false,
        }
    }

    pub(crate) fn of(&self, t: i32, target: &str) -> Flags {
        self.flags
            .iter()
            .find(|(ty, id, _)| *ty == t && id == target)
            .map(|(_, _, f)| *f)
            .unwrap_or_default()
    }

    fn set(&mut self, t: i32, target: &str, change: impl FnOnce(&mut Flags)) {
        let mut flags = self.of(t, target);
        change(&mut flags);
        // At most one entry per conversation.
        if let Some(i) = self
            .flags
            .iter()
            .position(|(ty, id, _)| *ty == t && id == target)
        {
            self.flags.remove(i);
        }
        if flags != Flags::default() {
            self.flags.push((t, target.to_owned(), flags));
        }
    }
}

/// A settings change to apply locally once the server agreed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Change {
    Top(i32, String, bool),
    Hidden(i32, String, bool),
    Quiet(i32, String, bool),
    QuietHours(Option<(String, i32)>),
}

/// The persisted key of a user's settings.
fn key(user: &str) -> String {
    text!("cset_", user)
}

/// `HH:MM:SS` within a day.
fn valid_start(s: &str) -> bool {
    let field = |p: Option<&str>, max: u32| {
        p.is_some_and(|p| p.len() == 2 && im_wire::text::u32_of(p).is_some_and(|n| n <= max))
    };
    let mut parts = s.split(':');
    field(parts.next(), 23)
        && field(parts.next(), 59)
        && field(parts.next(), 59)
        && parts.next().is_none()
}

impl Engine {
    /// The settings of the current user from the persisted state.
    pub(crate) fn load_settings(&mut self) {
        self.settings = self
            .stored(&key(&self.user_id))
            .map(Settings::from_json)
            .unwrap_or_default();
    }

    fn save_settings(&mut self) {
        let value = self.settings.to_json();
        self.persist(key(&self.user_id), value);
    }

    /// Fills a listed conversation's `isTop`, `isHidden` and `notificationStatus`.
    pub(crate) fn apply_settings(&self, c: &mut Conversation) {
        let f = self.settings.of(c.conversation_type, &c.target_id);
        c.is_top = f.top;
        c.is_hidden = f.hidden;
        c.notification_status = i32::from(!f.quiet);
    }

    /// `setConversationToTop(type, targetId, isTop)`.
    pub fn set_conversation_to_top(
        &mut self,
        now_ms: u64,
        t: ConversationType,
        target_id: &str,
        top: bool,
    ) -> RequestId {
        let input = ConversationFlagInput {
            r#type: t.value(),
            target_id: target_id.to_owned(),
            on: top,
        };
        let change = Change::Top(t.value(), target_id.to_owned(), top);
        self.setting_query(now_ms, topic::SET_TOP, &input, change)
    }

    /// `setConversationHidden(type, targetId, isHidden)`.
    pub fn set_conversation_hidden(
        &mut self,
        now_ms: u64,
        t: ConversationType,
        target_id: &str,
        hidden: bool,
    ) -> RequestId {
        let input = ConversationFlagInput {
            r#type: t.value(),
            target_id: target_id.to_owned(),
            on: hidden,
        };
        let change = Change::Hidden(t.value(), target_id.to_owned(), hidden);
        self.setting_query(now_ms, topic::SET_HIDDEN, &input, change)
    }

    /// `setConversationNotificationStatus(type, targetId, status)`: 0 DO_NOT_DISTURB, 1 NOTIFY.
    pub fn set_notification_status(
        &mut self,
        now_ms: u64,
        t: ConversationType,
        target_id: &str,
        status: i32,
    ) -> RequestId {
        let name = match status {
            0 => topic::BLOCK_PUSH_PRIVATE,
            1 => topic::UNBLOCK_PUSH_PRIVATE,
            _ => return self.reject(invalid("notificationStatus must be 0 or 1")),
        };
        let input = BlockPushInput {
            blockee_id: target_id.to_owned(),
            r#type: Some(t.value()),
        };
        let change = Change::Quiet(t.value(), target_id.to_owned(), status == 0);
        self.setting_query(now_ms, name, &input, change)
    }

    /// `getConversationNotificationStatus(type, targetId)`: asks the server; completes with
    /// `Reply::Status` 0 or 1 (and the cache follows it).
    pub fn notification_status(
        &mut self,
        now_ms: u64,
        t: ConversationType,
        target_id: &str,
    ) -> RequestId {
        let input = BlockPushInput {
            blockee_id: target_id.to_owned(),
            r#type: Some(t.value()),
        };
        let kind = Kind::NotificationStatus(t.value(), target_id.to_owned());
        let me = self.user_id.clone();
        self.typed_query(now_ms, topic::PUSH_STATUS_PRIVATE, &me, &input, kind)
    }

    /// `setNotificationQuietHours(startTime, spanMinutes)`: "HH:MM:SS", 1–1439 minutes.
    pub fn set_quiet_hours(&mut self, now_ms: u64, start: &str, span_minutes: i32) -> RequestId {
        if !valid_start(start) {
            return self.reject(invalid("startTime must be HH:MM:SS"));
        }
        if !(1..=1439).contains(&span_minutes) {
            return self.reject(invalid("spanMinutes must be an integer from 1 to 1439"));
        }
        let input = QuietHours {
            start_time: start.to_owned(),
            span_minutes,
        };
        let change = Change::QuietHours(Some((start.to_owned(), span_minutes)));
        self.setting_query(now_ms, topic::SET_QUIET_HOURS, &input, change)
    }

    /// `removeNotificationQuietHours()`.
    pub fn remove_quiet_hours(&mut self, now_ms: u64) -> RequestId {
        let change = Change::QuietHours(None);
        self.setting_query(now_ms, topic::REMOVE_QUIET_HOURS, &(), change)
    }

    /// `getNotificationQuietHours()`: from the server when connected (completes with
    /// `Reply::QuietHours`), else from the cache.
    pub fn quiet_hours(&mut self, now_ms: u64) -> RequestId {
        if !self.is_connected() {
            let id = self.out.request_id();
            let reply = quiet_reply(self.settings.quiet_hours.clone());
            self.complete(id, Ok(reply));
            return id;
        }
        let me = self.user_id.clone();
        self.typed_query(now_ms, topic::QUIET_HOURS, &me, &(), Kind::QuietHours)
    }

    /// `setOfflineMessageDuration(days)`: how long the server keeps messages for this user while
    /// offline, 1–7 days.
    pub fn set_offline_message_duration(&mut self, now_ms: u64, days: i32) -> RequestId {
        if !(1..=7).contains(&days) {
            return self.reject(invalid("duration must be an integer from 1 to 7 (days)"));
        }
        let input = proto::GetQNupTokenOutput {
            deadline: 0,
            token: days.text(),
        };
        let me = self.user_id.clone();
        let name = topic::SET_OFFLINE_DURATION;
        self.typed_query(now_ms, name, &me, &input, Kind::Done)
    }

    fn setting_query<Req: prost::Message + Default>(
        &mut self,
        now_ms: u64,
        topic: Query<Req, ()>,
        input: &Req,
        change: Change,
    ) -> RequestId {
        let me = self.user_id.clone();
        self.typed_query(now_ms, topic, &me, input, Kind::Setting(change))
    }

    /// A setting the server accepted: applied and persisted.
    pub(crate) fn setting_changed(&mut self, change: Change) {
        match change {
            Change::Top(t, id, on) => self.settings.set(t, &id, |f| f.top = on),
            Change::Hidden(t, id, on) => self.settings.set(t, &id, |f| f.hidden = on),
            Change::Quiet(t, id, on) => self.settings.set(t, &id, |f| f.quiet = on),
            Change::QuietHours(q) => self.settings.quiet_hours = q,
        }
        self.save_settings();
    }

    /// Loads every setting from the server: on `s_cmd` type 3 (another device changed one) when
    /// its version is newer than ours, and before the first conversation list of a connection
    /// (`version` `None`) unless already loaded. The connection itself starts as the original's.
    pub(crate) fn refresh_settings(&mut self, now_ms: u64, version: Option<i64>) {
        let stale = match version {
            Some(v) => v > self.settings.version,
            None => !self.settings.fresh,
        };
        if !stale || !self.is_connected() {
            return;
        }
        self.settings.fresh = true;
        let me = self.user_id.clone();
        let id = self.out.request_id();
        self.send_typed(now_ms, id, topic::SETTINGS, &me, &(), Kind::Settings);
    }

    /// The `xQrySettings` answer: replaces the cache. An error leaves the cache as it was.
    pub(crate) fn settings_loaded(&mut self, status: u16, payload: &[u8]) {
        if status != 0 {
            return;
        }
        let Ok(out) = topic::SETTINGS.decode_reply(payload) else {
            return;
        };
        self.settings = Settings {
            fresh: true,
            version: out.version,
            flags: out
                .conversations
                .into_iter()
                .map(|c| {
                    let flags = Flags {
                        top: c.is_top,
                        hidden: c.is_hidden,
                        quiet: c.notification_status == 0,
                    };
                    (c.r#type, c.target_id, flags)
                })
                .collect(),
            quiet_hours: out.quiet_hours.map(|q| (q.start_time, q.span_minutes)),
        };
        self.save_settings();
    }

    /// A `qryPPush` answer: the status is the QUERYACK status, 0 or 1 (docs/protocol-additions.md).
    pub(crate) fn notification_status_reply(
        &mut self,
        t: i32,
        target: &str,
        status: u16,
    ) -> Result<Reply, RequestError> {
        match status {
            0 | 1 => {
                let quiet = status == 0;
                if self.settings.of(t, target).quiet != quiet {
                    self.settings.set(t, target, |f| f.quiet = quiet);
                    self.save_settings();
                }
                Ok(Reply::Status {
                    status: i32::from(status),
                })
            }
            other => Err(RequestError::code(i32::from(other))),
        }
    }
}

/// The answer of `getNotificationQuietHours`.
pub(crate) fn quiet_reply(q: Option<(String, i32)>) -> Reply {
    let (start_time, span_minutes) = q.unwrap_or_default();
    Reply::QuietHours {
        start_time,
        span_minutes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_at_their_defaults_are_not_kept() {
        let mut s = Settings::default();
        s.set(1, "bob", |f| f.top = true);
        s.set(1, "bob", |f| f.quiet = true);
        assert_eq!(
            s.of(1, "bob"),
            Flags {
                top: true,
                hidden: false,
                quiet: true
            }
        );
        s.set(1, "bob", |f| f.top = false);
        s.set(1, "bob", |f| f.quiet = false);
        assert!(s.flags.is_empty());
        assert_eq!(s.of(3, "g"), Flags::default());
    }

    #[test]
    fn settings_read_back_what_they_wrote() {
        let mut s = Settings {
            version: 1_700_000_000_123,
            quiet_hours: Some(("22:00:00".into(), 480)),
            ..Settings::default()
        };
        s.set(1, "bob", |f| f.top = true);
        s.set(3, "g\"1", |f| {
            f.hidden = true;
            f.quiet = true;
        });
        assert_eq!(Settings::from_json(&s.to_json()), s);
        // The persisted text itself, as earlier versions wrote it.
        assert_eq!(
            s.to_json(),
            r#"{"v":1700000000123,"c":[[1,"bob",1],[3,"g\"1",6]],"q":["22:00:00",480]}"#
        );
        assert_eq!(Settings::default().to_json(), r#"{"v":0,"c":[],"q":null}"#);
        assert_eq!(Settings::from_json("{"), Settings::default());
        assert_eq!(
            Settings::from_json(r#"{"c":[[1,"x"]],"q":[1]}"#),
            Settings::default()
        );
    }

    #[test]
    fn start_times_are_hh_mm_ss() {
        assert!(valid_start("00:00:00") && valid_start("23:59:59"));
        for bad in [
            "24:00:00",
            "1:00:00",
            "12:60:00",
            "12:00",
            "aa:bb:cc",
            "12:00:00:00",
        ] {
            assert!(!valid_start(bad), "{bad}");
        }
    }
}
