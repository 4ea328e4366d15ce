//! The local message store of one user: what RongIMLib 2.x's local-message API reads and edits.
//! A plain data structure over the host's key-value storage; the engine glue is in
//! `crate::local`.
//!
//! Storage keys (each ends with `_{userId}`, and what comes before that `_` has no `_` of its
//! own, so two users' keys never collide):
//! - `msgs_{user}`: the index root: `{"n": next chunk number, "s": next conversation slot}`;
//! - `msgx{b}_{user}`: index block `b`, the conversations whose slot is in
//!   `b·16 ≤ slot < (b+1)·16`: `[[slot, type, targetId, floor, stop, [[chunk, first sentTime],
//!   …]], …]`, each conversation's chunks oldest first. A conversation keeps its slot for life, so
//!   a new conversation or chunk rewrites one small block, not an index of every conversation;
//! - `msgs{n}_{user}`: chunk `n`, the lines of one conversation's messages (see `line`), oldest
//!   first, one per text line, at most [`CHUNK_BYTES`] unless a single message is larger;
//! - `msgn{b}_{user}` and `msgi_{user}`: the id → chunk map and the id counter (see `ids`).
//!
//! Writes are batched: edits mark chunks dirty in memory and [`Store::flush`] returns the keys to
//! write, once per drain of the engine's outputs. An index block changes only when a chunk or a
//! conversation of it comes or goes, not per message. A chunk is parsed the first time it is needed.
//!
//! Budget: all these values together stay within the store's byte budget. A flush that finds
//! the store over it first evicts the oldest messages, whatever their conversation, down to
//! 15/16 of the budget; an evicted message raises its conversation's floor, so nothing at or
//! below it is stored again and each conversation keeps a contiguous newest part.

use im_wire::text;

mod chunk;
mod convs;
pub(crate) mod edit;
mod evict;
mod ids;
mod index;
pub(crate) mod line;
pub(crate) mod search;

use crate::storage::Storage;

use chunk::Chunk;
use convs::Convs;
use ids::IdMap;
pub(crate) use line::{ConvKey, Entry};

/// The most bytes of one chunk value. Small, because the newest chunk of a conversation is
/// rewritten whenever a drain adds to it: a live message, one per drain, costs a write of up to this
/// much (4 KiB: 4× fewer bytes per live message than 16 KiB, for 4× more keys).
pub(crate) const CHUNK_BYTES: usize = 4 * 1024;

pub(crate) fn chunk_key(n: u32, user: &str) -> String {
    text!("msgs", n, "_", user)
}

/// One conversation of the store.
#[derive(Clone, Debug, Default)]
pub(crate) struct Conv {
    /// The store holds every message of the conversation newer than this sentTime that reached
    /// this device (it is the newest contiguous part of the conversation's timeline); `None`
    /// until the first message from the server. Evicting a message raises it.
    pub(crate) floor: Option<i64>,
    /// `clearMessages` cleared everything up to this sentTime: local-first history does not
    /// fetch those from the server again (0 = never cleared).
    pub(crate) stop: i64,
    /// Oldest first; each message of a chunk is not newer than those of the next.
    pub(crate) chunks: Vec<Chunk>,
    /// Its place in the index blocks (see the module documentation), for life.
    pub(crate) slot: u32,
    /// Its index entry changed since the last flush.
    pub(crate) index_dirty: bool,
}

impl Conv {
    /// Marks the conversation's index entry for the next flush.
    pub(crate) fn touch(&mut self, book_dirty: &mut bool) {
        self.index_dirty = true;
        *book_dirty = true;
    }
}

/// The store's state besides the conversations, so that it can be borrowed apart from a chunk
/// being edited.
#[derive(Clone, Debug)]
struct Book {
    next_chunk: u32,
    ids: IdMap,
    /// Chunk keys to delete at the next flush.
    removed: Vec<u32>,
    /// Some conversation's index entry changed (see [`Conv::index_dirty`]), or the root's
    /// numbers did.
    index_dirty: bool,
    /// Bytes of each index block as last written, by block number; and of the root.
    block_bytes: Vec<usize>,
    root_bytes: usize,
    /// The root's numbers as last written.
    root_stored: (u32, u32),
    /// Something to write.
    dirty: bool,
}

impl Book {
    /// A number for a new chunk (never reused).
    fn new_chunk(&mut self) -> u32 {
        let id = self.next_chunk;
        self.next_chunk = self.next_chunk.saturating_add(1);
        self.index_dirty = true;
        id
    }
}

/// The store of one user.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    user: String,
    budget: usize,
    pub(crate) convs: Convs,
    book: Book,
}

impl Store {
    /// A new local id for a message that is not stored (a send of a type the store skips).
    pub(crate) fn next_id(&mut self) -> u64 {
        self.book.dirty = true;
        self.book.ids.next()
    }

    /// A message of `key` that was only local reached the server at `time`: if the
    /// conversation had no server message yet, its stored part begins there.
    pub(crate) fn acknowledged(&mut self, key: &ConvKey, time: i64) {
        if let Some(conv) = self.convs.get_mut(key) {
            if conv.floor.is_none() {
                conv.floor = Some(time.saturating_sub(1));
                conv.touch(&mut self.book.index_dirty);
                self.book.dirty = true;
            }
        }
    }

    /// Removes every message of `key`; local-first history will not fetch the server's
    /// messages up to the newest one removed either. Returns how many went.
    pub(crate) fn clear(&mut self, storage: &Storage, key: &ConvKey) -> usize {
        let (user, book) = (self.user.as_str(), &mut self.book);
        let Some(conv) = self.convs.get_mut(key) else {
            return 0;
        };
        let mut count = 0;
        let mut newest = conv.floor.unwrap_or(0).max(conv.stop);
        for mut chunk in conv.chunks.drain(..) {
            for e in chunk.entries(storage, user).iter() {
                book.ids.set(storage, user, e.id, 0);
                newest = newest.max(e.time);
                count += 1;
            }
            book.removed.push(chunk.id);
        }
        conv.stop = newest;
        conv.touch(&mut book.index_dirty);
        book.dirty = true;
        count
    }

    /// The user whose store this is.
    pub(crate) fn user(&self) -> &str {
        &self.user
    }

    /// Bytes the store takes in storage: chunks, index, id map and counter.
    pub(crate) fn total_bytes(&self) -> usize {
        let chunks: usize = self
            .convs
            .values()
            .flat_map(|c| c.chunks.iter())
            .map(|c| c.bytes)
            .sum();
        let index: usize = self.book.block_bytes.iter().sum();
        chunks + index + self.book.root_bytes + self.book.ids.bytes()
    }
}

#[cfg(test)]
mod tests;
