//! Storage of conversation lists (api.md §3.3 `qryRelation`, `delRelation`): one entry per
//! conversation of a user, pointing at its latest message. Entries are written with the
//! messages ([`super::MessageStore::insert_message`]); these calls read and remove them.

use super::{InboxItem, StoreResult};

/// Conversation list calls of a [`super::Store`].
pub trait ConversationStore {
    /// The user's conversations, most recent first, each with its latest message.
    fn conversations(&mut self, user: &str, limit: usize) -> StoreResult<Vec<InboxItem>>;
    /// Removes a conversation from the user's list (its messages stay).
    fn delete_conversation(&mut self, user: &str, conv_type: i32, target: &str) -> StoreResult<()>;
}
