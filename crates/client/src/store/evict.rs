//! The byte budget: the oldest messages go first, across conversations.

use std::collections::BTreeMap;

use super::{ConvKey, Store};

impl Store {
    /// Removes the oldest messages of the store until it takes at most `target` bytes (or
    /// holds nothing). A conversation keeps its newest messages: its floor rises to the newest
    /// evicted time, so nothing older is stored again; one left empty is forgotten.
    pub(crate) fn evict(&mut self, storage: &BTreeMap<String, String>, target: usize) {
        let mut total = self.total_bytes();
        while total > target {
            // The conversation whose oldest message is the oldest, and the oldest message time
            // of every other one: it gives messages up to that time before the next is picked.
            let mut oldest: Option<(&ConvKey, i64)> = None;
            let mut next = i64::MAX;
            for (key, conv) in &self.convs {
                let Some(first) = conv.chunks.first().map(|c| c.first) else {
                    continue;
                };
                match oldest {
                    Some((_, t)) if t <= first => next = next.min(first),
                    _ => {
                        if let Some((_, t)) = oldest {
                            next = next.min(t);
                        }
                        oldest = Some((key, first));
                    }
                }
            }
            let Some((key, _)) = oldest else {
                break;
            };
            let key = key.clone();
            let freed = self.evict_from(storage, &key, next, total - target);
            if freed == 0 {
                break;
            }
            total = total.saturating_sub(freed);
        }
        // Conversations with nothing left and no clear to remember are dropped from the index.
        let before = self.convs.len();
        self.convs
            .retain(|_, c| !c.chunks.is_empty() || c.stop != 0);
        self.book.index_dirty |= self.convs.len() != before;
    }

    /// Evicts the oldest messages of `key` not newer than `until` (at least one) until `excess`
    /// bytes are freed; returns the bytes freed.
    fn evict_from(
        &mut self,
        storage: &BTreeMap<String, String>,
        key: &ConvKey,
        until: i64,
        excess: usize,
    ) -> usize {
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
            }
            self.book.index_dirty = true;
        }
    }
}
