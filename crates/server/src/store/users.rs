//! Storage of users: profiles (`user/getToken`, `user/refresh`), token revocation watermarks
//! (`user/token/expire`), blocks (`user/block/*`) and each user's blacklist (api.md §3.7).

use std::collections::HashMap;

use super::StoreResult;

/// User calls of a [`super::Store`].
pub trait UserStore {
    /// Creates or updates a user's profile.
    fn upsert_user(
        &mut self,
        user: &str,
        name: Option<&str>,
        portrait: Option<&str>,
    ) -> StoreResult<()>;
    /// Stores a token revocation watermark.
    fn set_token_watermark(&mut self, user: &str, before_ms: i64) -> StoreResult<()>;
    /// Every stored token watermark.
    fn token_watermarks(&mut self) -> StoreResult<HashMap<String, i64>>;
    /// Blocks `users` until `until_ms`.
    fn block_users(&mut self, users: &[String], until_ms: i64) -> StoreResult<()>;
    /// Ends the blocks of `users`.
    fn unblock_users(&mut self, users: &[String]) -> StoreResult<()>;
    /// Every block ending after `now_ms`: user → end time (ms).
    fn user_blocks(&mut self, now_ms: i64) -> StoreResult<HashMap<String, i64>>;
    /// Adds users to `user`'s blacklist.
    fn blacklist_add(&mut self, user: &str, others: &[String]) -> StoreResult<()>;
    /// Removes users from `user`'s blacklist.
    fn blacklist_remove(&mut self, user: &str, others: &[String]) -> StoreResult<()>;
    /// `user`'s blacklist.
    fn blacklist(&mut self, user: &str) -> StoreResult<Vec<String>>;
    /// Whether `user` has blacklisted `other`.
    fn is_blacklisted(&mut self, user: &str, other: &str) -> StoreResult<bool>;
}
