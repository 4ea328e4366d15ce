//! Storage behind traits, one per domain: messages and sync ([`MessageStore`], whose docs
//! hold the contract of durability and time order), conversations, users, groups and
//! discussions, chatrooms, chatroom entries, moderation, settings, audiences, user status and
//! services. A store implements each of them and [`Store`], which adds the batches. The server
//! talks to a [`StoreHandle`], which runs writes on one dedicated thread and reads on another,
//! each owning a [`Store`]; async tasks never block on I/O.

pub mod audience;
pub mod chatrooms;
#[cfg(test)]
pub(crate) mod conformance;
pub mod conversations;
pub mod groups;
mod handle;
pub mod kv;
pub mod messages;
pub mod migrate;
pub mod moderation;
pub mod postgres;
pub mod services;
pub mod settings;
pub mod sqlite;
pub mod status;
pub mod users;

pub use audience::AudienceStore;
pub use chatrooms::{ChatroomSetting, ChatroomStore};
pub use conversations::ConversationStore;
pub use groups::{Discussion, GroupStore};
pub use handle::{StoreHandle, StoreThreads};
pub use kv::ChatroomEntryStore;
pub use messages::{Delivery, InboxItem, Message, MessageRef, MessageStore, Page, RECEIVED, SENT};
pub use moderation::ModerationStore;
pub use services::ServiceStore;
pub use settings::SettingsStore;
pub use status::StatusStore;
pub use users::UserStore;

/// A storage failure; the message is logged and the client gets an error status.
#[derive(Clone, Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "store: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Batches of calls, committed together.
pub trait Batch {
    /// Starts a batch: the calls until [`Batch::commit_batch`] commit together (group commit).
    /// Without batches every call commits by itself.
    fn begin_batch(&mut self) -> StoreResult<()> {
        Ok(())
    }
    /// Commits the batch durably. On failure nothing of the batch is kept.
    fn commit_batch(&mut self) -> StoreResult<()> {
        Ok(())
    }
    /// Discards the batch: a call of it failed, perhaps half-way (calls inside a batch need not
    /// be atomic on their own; the batch is).
    fn rollback_batch(&mut self) {}
}

/// Persistent state of the server: every domain's calls, and batches of them; whatever
/// implements them all is a store. Called on one thread only; see the module docs.
pub trait Store:
    Send
    + Batch
    + MessageStore
    + ConversationStore
    + UserStore
    + GroupStore
    + ChatroomStore
    + ChatroomEntryStore
    + ModerationStore
    + SettingsStore
    + AudienceStore
    + StatusStore
    + ServiceStore
{
}

impl<T> Store for T where
    T: Send
        + Batch
        + MessageStore
        + ConversationStore
        + UserStore
        + GroupStore
        + ChatroomStore
        + ChatroomEntryStore
        + ModerationStore
        + SettingsStore
        + AudienceStore
        + StatusStore
        + ServiceStore
{
}
