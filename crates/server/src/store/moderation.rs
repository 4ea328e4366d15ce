//! Storage of moderation settings: sensitive words (server-api.md §2.6) and group mutes
//! (§2.3 `group/user/gag/*`, `group/ban/*`, `group/user/ban/whitelist/*`).
//!
//! The server keeps these in memory ([`crate::moderation::Moderation`]) and writes them through
//! here, so a send never waits for the database to learn whether it is allowed.

use super::StoreResult;

/// One sensitive word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SensitiveWord {
    /// The word as added.
    pub word: String,
    /// Its replacement; `None` blocks messages containing the word.
    pub replacement: Option<String>,
}

/// Every group mute in force, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupMutes {
    /// Muted members: (group id, user id, end time in ms). An empty group id mutes the user in
    /// every group; `i64::MAX` never ends.
    pub gags: Vec<(String, String, i64)>,
    /// Groups whose members are all muted.
    pub banned: Vec<String>,
    /// Members exempt from their group's mute-all: (group id, user id).
    pub whitelist: Vec<(String, String)>,
}

/// Moderation calls of a [`super::Store`].
pub trait ModerationStore {
    /// Every sensitive word, oldest first.
    fn sensitive_words(&mut self) -> StoreResult<Vec<SensitiveWord>>;
    /// Adds a word or changes its replacement. A new word is refused (`false`) when `limit`
    /// words are already stored.
    fn add_sensitive_word(&mut self, word: &SensitiveWord, limit: usize) -> StoreResult<bool>;
    /// Removes words; unknown ones are ignored.
    fn remove_sensitive_words(&mut self, words: &[String]) -> StoreResult<()>;
    /// Mutes `users` in `group` (empty = every group) until `until_ms`.
    fn gag_members(&mut self, group: &str, users: &[String], until_ms: i64) -> StoreResult<()>;
    /// Ends the mutes of `users` in `group` (empty = the every-group mute).
    fn ungag_members(&mut self, group: &str, users: &[String]) -> StoreResult<()>;
    /// Turns mute-all on or off for `groups`.
    fn set_group_ban(&mut self, groups: &[String], banned: bool) -> StoreResult<()>;
    /// Adds `users` to (or removes them from) `group`'s mute-all whitelist.
    fn change_ban_whitelist(&mut self, group: &str, users: &[String], add: bool)
        -> StoreResult<()>;
    /// Every mute in force at `now_ms`; ended member mutes are deleted.
    fn group_mutes(&mut self, now_ms: i64) -> StoreResult<GroupMutes>;
}
