//! Adding, finding, replacing and removing messages of the store.

use crate::storage::Storage;

use super::{Chunk, ConvKey, Entry, Store, CHUNK_BYTES};
use crate::message::Message;

/// Where a message comes from, which decides whether it may extend the store's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Received, or sent and acknowledged: it is on the server's timeline.
    Server,
    /// Only on this device: being sent, failed, or inserted by the app.
    Local,
}

/// Order of messages in a conversation: by sentTime, then by local id.
fn order(e: &Entry) -> (i64, u64) {
    (e.time, e.id)
}

impl Store {
    /// Stores `m` in conversation `key` under a new local id, or returns the id of the stored
    /// message with the same messageUId. `None` when a server message is not newer than the
    /// conversation's stored part begins (storing it could leave a gap).
    pub(crate) fn add(
        &mut self,
        storage: &Storage,
        key: &ConvKey,
        m: &Message,
        origin: Origin,
    ) -> Option<u64> {
        let conv = self.convs.get_or_default(key)?;
        if origin == Origin::Server {
            match conv.floor {
                Some(floor) if m.sent_time <= floor => return None,
                Some(_) => {}
                None => {
                    conv.floor = Some(m.sent_time.saturating_sub(1));
                    conv.touch(&mut self.book.index_dirty);
                    self.book.dirty = true;
                }
            }
        }
        if let Some(uid) = &m.message_uid {
            if let Some(id) = self.find_uid(storage, key, uid, m.sent_time) {
                return Some(id);
            }
        }
        let id = self.book.ids.next();
        self.insert(storage, key, Entry::new(id, m));
        Some(id)
    }

    /// Puts `entry` in its place in conversation `key`: appended to the newest chunk, or to a
    /// new one when that is full; an older message goes into the chunk of its time.
    fn insert(&mut self, storage: &Storage, key: &ConvKey, entry: Entry) {
        let (user, book) = (self.user.as_str(), &mut self.book);
        book.dirty = true;
        let Some(conv) = self.convs.get_mut(key) else {
            return;
        };
        // The last chunk whose oldest message is not newer than this one (else the first).
        let pos = conv
            .chunks
            .iter()
            .rposition(|c| c.first <= entry.time)
            .unwrap_or(0);
        let newest = pos + 1 >= conv.chunks.len();
        let fits = conv.chunks.get_mut(pos).is_some_and(|chunk| {
            let bytes = chunk.bytes;
            let entries = chunk.entries(storage, user);
            let appended = entries.last().is_none_or(|e| order(e) <= order(&entry));
            !(newest && appended && bytes + entry.line.len() + 1 > CHUNK_BYTES)
        });
        if !fits {
            // The conversation's first chunk, or a new newest one after a full one.
            let id = book.new_chunk();
            book.ids.set(storage, user, entry.id, id);
            conv.chunks.push(Chunk::holding(id, vec![entry]));
            conv.touch(&mut book.index_dirty);
            return;
        }
        let Some(chunk) = conv.chunks.get_mut(pos) else {
            return;
        };
        book.ids.set(storage, user, entry.id, chunk.id);
        let first = chunk.first;
        let entries = chunk.entries(storage, user);
        let at = entries.partition_point(|e| order(e) <= order(&entry));
        let len = entry.line.len();
        entries.insert(at, entry);
        if at + 1 == entries.len() && at > 0 {
            // Appended: one more line.
            chunk.bytes += len + 1;
        } else {
            chunk.recount();
        }
        chunk.dirty = true;
        let (moved, oversized) = (chunk.first != first, chunk.bytes > CHUNK_BYTES);
        if moved {
            conv.touch(&mut book.index_dirty);
        }
        if oversized {
            self.split(storage, key, pos);
        }
    }

    /// Re-packs an oversized chunk into chunks of at most [`CHUNK_BYTES`] (a single larger
    /// message keeps a chunk of its own).
    fn split(&mut self, storage: &Storage, key: &ConvKey, pos: usize) {
        let (user, book) = (self.user.as_str(), &mut self.book);
        let Some(conv) = self.convs.get_mut(key) else {
            return;
        };
        let Some(chunk) = conv.chunks.get_mut(pos) else {
            return;
        };
        let mut groups: Vec<Vec<Entry>> = Vec::new();
        let mut size = 0;
        for e in std::mem::take(chunk.entries(storage, user)) {
            let len = e.line.len() + 1;
            match groups.last_mut() {
                Some(g) if size + len <= CHUNK_BYTES + 1 => {
                    g.push(e);
                    size += len;
                }
                _ => {
                    groups.push(vec![e]);
                    size = len;
                }
            }
        }
        let mut groups = groups.into_iter();
        chunk.entries = groups.next();
        chunk.recount();
        chunk.dirty = true;
        for (i, g) in groups.enumerate() {
            let id = book.new_chunk();
            for e in &g {
                book.ids.set(storage, user, e.id, id);
            }
            let at = (pos + 1 + i).min(conv.chunks.len());
            conv.chunks.insert(at, Chunk::holding(id, g));
        }
        conv.touch(&mut book.index_dirty);
    }

    /// The conversation and position (chunk, message) of local id `id`.
    fn locate(&mut self, storage: &Storage, id: u64) -> Option<(ConvKey, usize, usize)> {
        let user = self.user.as_str();
        let chunk_id = self.book.ids.get(storage, user, id)?;
        for (key, conv) in self.convs.iter_mut() {
            let Some(pos) = conv.chunks.iter().position(|ch| ch.id == chunk_id) else {
                continue;
            };
            let chunk = conv.chunks.get_mut(pos)?;
            let at = chunk
                .entries(storage, user)
                .iter()
                .position(|e| e.id == id)?;
            return Some((key.clone(), pos, at));
        }
        None
    }

    /// The message with local id `id`, with its conversation.
    pub(crate) fn get(&mut self, storage: &Storage, id: u64) -> Option<(ConvKey, Entry)> {
        let (key, pos, at) = self.locate(storage, id)?;
        let chunk = self.convs.get(&key)?.chunks.get(pos)?;
        let entry = chunk.entries.as_ref()?.get(at)?.clone();
        Some((key, entry))
    }

    /// Removes the message with local id `id`; returns its conversation and entry.
    pub(crate) fn remove(&mut self, storage: &Storage, id: u64) -> Option<(ConvKey, Entry)> {
        let (key, pos, at) = self.locate(storage, id)?;
        let entry = self.take_at(storage, &key, pos, at)?;
        Some((key, entry))
    }

    /// Takes message `at` of chunk `pos` out of conversation `key`; an emptied chunk goes.
    pub(crate) fn take_at(
        &mut self,
        storage: &Storage,
        key: &ConvKey,
        pos: usize,
        at: usize,
    ) -> Option<Entry> {
        let (user, book) = (self.user.as_str(), &mut self.book);
        let conv = self.convs.get_mut(key)?;
        let chunk = conv.chunks.get_mut(pos)?;
        let (chunk_id, first) = (chunk.id, chunk.first);
        let entries = chunk.entries(storage, user);
        if at >= entries.len() {
            return None;
        }
        let entry = entries.remove(at);
        let emptied = entries.is_empty();
        book.ids.set(storage, user, entry.id, 0);
        book.dirty = true;
        if emptied {
            conv.chunks.remove(pos);
            book.removed.push(chunk_id);
            conv.touch(&mut book.index_dirty);
        } else {
            chunk.recount();
            chunk.dirty = true;
            if chunk.first != first {
                conv.touch(&mut book.index_dirty);
            }
        }
        Some(entry)
    }

    /// Replaces the message with local id `id` by `m`, in its conversation; `false` when there
    /// is no such message.
    pub(crate) fn replace(&mut self, storage: &Storage, id: u64, m: &Message) -> bool {
        let Some((key, pos, at)) = self.locate(storage, id) else {
            return false;
        };
        let entry = Entry::new(id, m);
        let user = self.user.clone();
        let chunk = self.convs.get_mut(&key).and_then(|c| c.chunks.get_mut(pos));
        if let Some(chunk) = chunk {
            if let Some(old) = chunk.entries(storage, &user).get_mut(at) {
                if old.time == entry.time {
                    *old = entry;
                    chunk.recount();
                    chunk.dirty = true;
                    self.book.dirty = true;
                    if chunk.bytes > CHUNK_BYTES {
                        self.split(storage, &key, pos);
                    }
                    return true;
                }
            }
        }
        // A new time may belong elsewhere in the conversation.
        if self.take_at(storage, &key, pos, at).is_none() {
            return false;
        }
        self.insert(storage, &key, entry);
        true
    }

    /// The local id of the message with messageUId `uid` and sentTime `time` in `key`.
    pub(crate) fn find_uid(
        &mut self,
        storage: &Storage,
        key: &ConvKey,
        uid: &str,
        time: i64,
    ) -> Option<u64> {
        let user = self.user.as_str();
        let conv = self.convs.get_mut(key)?;
        let pos = conv.chunks.iter().rposition(|c| c.first <= time)?;
        // Newer than the newest stored message (the usual case): nothing to compare.
        if let Some(newest) = conv.chunks.last_mut() {
            if newest
                .entries(storage, user)
                .last()
                .is_some_and(|e| e.time < time)
            {
                return None;
            }
        }
        // Messages of the same time may end the previous chunk too.
        let from = if conv.chunks.get(pos).is_some_and(|c| c.first == time) {
            pos.saturating_sub(1)
        } else {
            pos
        };
        for chunk in conv.chunks.get_mut(from..=pos)? {
            let found = chunk
                .entries(storage, user)
                .iter()
                .find(|e| e.time == time && e.uid.as_deref() == Some(uid));
            if let Some(e) = found {
                return Some(e.id);
            }
        }
        None
    }

    /// The local id of the message with messageUId `uid` in `key`, whatever its time, searched
    /// in the newest `chunks` chunks only, newest first.
    pub(crate) fn find_uid_recent(
        &mut self,
        storage: &Storage,
        key: &ConvKey,
        uid: &str,
        chunks: usize,
    ) -> Option<u64> {
        let user = self.user.as_str();
        let conv = self.convs.get_mut(key)?;
        for chunk in conv.chunks.iter_mut().rev().take(chunks) {
            let found = chunk
                .entries(storage, user)
                .iter()
                .rev()
                .find(|e| e.uid.as_deref() == Some(uid));
            if let Some(e) = found {
                return Some(e.id);
            }
        }
        None
    }

    /// Up to `limit` messages of `key` older than `before`, newest first.
    pub(crate) fn newest_before(
        &mut self,
        storage: &Storage,
        key: &ConvKey,
        before: i64,
        limit: usize,
    ) -> Vec<Entry> {
        let user = self.user.as_str();
        let mut out = Vec::new();
        let Some(conv) = self.convs.get_mut(key) else {
            return out;
        };
        for chunk in conv.chunks.iter_mut().rev() {
            if out.len() >= limit {
                break;
            }
            if chunk.first >= before {
                continue;
            }
            let older = chunk.entries(storage, user).iter().rev();
            let older = older.filter(|e| e.time < before);
            out.extend(older.take(limit - out.len()).cloned());
        }
        out
    }
}
