//! Storage of per-user settings: conversation flags (pinned, hidden, do not disturb), the
//! notification quiet hours and the offline message duration (api.md §3.3, §3.4; our additions
//! in docs/protocol-additions.md).
//!
//! Every change raises the user's settings version, a time in ms that only grows, so a device
//! told of a change can tell whether it already holds it.

use super::StoreResult;

/// Most conversations of one user with a setting other than the default.
pub const MAX_CONVERSATION_SETTINGS: usize = 1000;

/// A per-conversation flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversationFlag {
    /// Pinned to the top of the list.
    Top,
    /// Hidden from the list.
    Hidden,
    /// Do not disturb: no notification for its messages.
    Muted,
}

/// A change of one flag of one conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagUpdate {
    /// Conversation type.
    pub conv_type: i32,
    /// Conversation target.
    pub target: String,
    /// Which flag.
    pub flag: ConversationFlag,
    /// Its new value.
    pub on: bool,
}

/// One conversation's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationSettings {
    /// Conversation type.
    pub conv_type: i32,
    /// Conversation target as the user sees it.
    pub target: String,
    /// Pinned.
    pub top: bool,
    /// Hidden.
    pub hidden: bool,
    /// Do not disturb.
    pub muted: bool,
}

/// Notification quiet hours: from `start` ("HH:MM:SS") for `span_minutes` (1–1439).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuietHours {
    /// Start time of day, "HH:MM:SS".
    pub start: String,
    /// Length in minutes.
    pub span_minutes: i32,
}

/// Every setting of one user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserSettings {
    /// Conversations with a setting other than the default.
    pub conversations: Vec<ConversationSettings>,
    /// Quiet hours, if set.
    pub quiet_hours: Option<QuietHours>,
    /// Offline message duration in days, if set.
    pub offline_days: Option<i32>,
    /// Time of the newest change (ms); 0 = never changed.
    pub version: i64,
}

/// What a flag change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagChange {
    /// Stored; the user's settings version is now this.
    Changed(i64),
    /// The flag already had that value; nothing was written.
    Unchanged,
    /// The user already has [`MAX_CONVERSATION_SETTINGS`] conversations with settings.
    Full,
}

/// Settings calls of a [`super::Store`].
pub trait SettingsStore {
    /// Sets one flag of one conversation of `user` at `now_ms`.
    fn set_conversation_flag(
        &mut self,
        user: &str,
        update: &FlagUpdate,
        now_ms: i64,
    ) -> StoreResult<FlagChange>;
    /// One conversation's settings (all defaults when none are stored).
    fn conversation_settings(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
    ) -> StoreResult<ConversationSettings>;
    /// Sets (`Some`) or removes the quiet hours at `now_ms`; returns the new version.
    fn set_quiet_hours(
        &mut self,
        user: &str,
        hours: Option<&QuietHours>,
        now_ms: i64,
    ) -> StoreResult<i64>;
    /// Sets the offline message duration at `now_ms`; returns the new version.
    fn set_offline_days(&mut self, user: &str, days: i32, now_ms: i64) -> StoreResult<i64>;
    /// Every setting of `user`.
    fn user_settings(&mut self, user: &str) -> StoreResult<UserSettings>;
    /// The offline message duration of `user` in days, if set (read on every pull).
    fn offline_days(&mut self, user: &str) -> StoreResult<Option<i32>>;
    /// Records that a device of `user` has every received message up to `time` (the `syncTime`
    /// of its pulls); an older time than the one stored changes nothing.
    fn set_synced(&mut self, user: &str, time: i64) -> StoreResult<()>;
    /// Whether a received message newer than both the stored sync time of `user` and `floor`
    /// waits (`hasRemoteUnreadMessages`).
    fn unsynced(&mut self, user: &str, floor: i64) -> StoreResult<bool>;
}
