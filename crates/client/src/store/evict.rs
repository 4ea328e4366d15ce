//! The byte budget: the oldest messages go first, across conversations.

use crate::storage::Storage;

use super::{ConvKey, Store};

impl Store {
    /// Removes the oldest messages of the store until it takes at most `target` bytes (or
    /// holds nothing). A conversation keeps its newest messages: its floor rises to the newest
    /// evicted time, so nothing older is stored again; one left empty is forgotten.
    pub(crate) fn evict(&mut self, storage: &Storage, target: usize) {
        let mut total = self.total_bytes();
        while total > target {
            // The conversation of the oldest message (by time, then key), and the time of the
            // oldest message of the others: a scan per turn, as eviction is rare and conversations
            // few (no heap code in the wasm).
            let mut oldest: Option<(i64, &ConvKey)> = None;
            let mut next = i64::MAX;
            for (k, c) in self.convs.iter() {
                let Some(first) = c.chunks.first() else {
                    continue;
                };
                let candidate = (first.first, k);
                match oldest {
                    Some(o) if o <= candidate => next = next.min(candidate.0),
                    _ => {
                        next = oldest.map_or(next, |o| next.min(o.0));
                        oldest = Some(candidate);
                    }
                }
            }
            let Some((_, key)) = oldest else {
                break;
            };
            let key = key.clone();
            // It gives up its messages up to the oldest of the others before the next turn.
            let freed = self.evict_from(storage, &key, next, total - target);
            if freed == 0 {
                break;
            }
            total = total.saturating_sub(freed);
        }
        // Conversations with nothing left and no clear to remember are dropped from the index.
        let before = self.convs.len();
        self.convs.retain(|c| !c.chunks.is_empty() || c.stop != 0);
        self.book.index_dirty |= self.convs.len() != before;
    }

    /// Evicts the oldest messages of `key` not newer than `until` (at least one) until `excess`
    /// bytes are freed; returns the bytes freed.
    fn evict_from(&mut self, storage: &Storage, key: &ConvKey, until: i64, excess: usize) -> usize {
        let mut freed = 0;
        loop {
            let Some(conv) = self.convs.get(key) else {
                return freed;
            };
            let Some(chunk) = conv.chunks.first() else {
                return freed;
            };
            if freed > 0 && (freed >= excess || chunk.first > until) {
                return freed;
            }
            let (id, before) = (chunk.id, chunk.bytes);
            let Some(entry) = self.take_at(storage, key, 0, 0) else {
                return freed;
            };
            // The chunk shrank by the line, or went with its last message.
            let first = self.convs.get(key).and_then(|c| c.chunks.first());
            freed += match first {
                Some(c) if c.id == id => before.saturating_sub(c.bytes),
                _ => before,
            };
            if let Some(conv) = self.convs.get_mut(key) {
                conv.floor = Some(conv.floor.map_or(entry.time, |f| f.max(entry.time)));
                conv.touch(&mut self.book.index_dirty);
            }
        }
    }
}
