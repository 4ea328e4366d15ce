//! Storage of the status a user sets for themselves (`setUserStatus`, api.md §3.8). Whether the
//! user is online is not stored: it is the live state of their connections
//! ([`crate::hub::status`]).

use super::StoreResult;

/// Status calls of a [`super::Store`].
pub trait StatusStore {
    /// Stores `status` as `user`'s status (0, the default, removes the row).
    fn set_user_status(&mut self, user: &str, status: i32) -> StoreResult<()>;
    /// The stored status of each of `users` that has one other than 0, in no particular order.
    fn user_statuses(&mut self, users: &[String]) -> StoreResult<Vec<(String, i32)>>;
}
