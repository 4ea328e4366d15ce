//! The byte budget: the oldest messages go first, across conversations.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::storage::Storage;

use super::{ConvKey, Store};

impl Store {
    /// Removes the oldest messages of the store until it takes at most `target` bytes (or
    /// holds nothing). A conversation keeps its newest messages: its floor rises to the newest
    /// evicted time, so nothing older is stored again; one left empty is forgotten.
    pub(crate) fn evict(&mut self, storage: &Storage, target: usize) {
        let mut total = self.total_bytes();
        // Conversations by the time of their oldest message, oldest on top.
        let mut heap: BinaryHeap<Reverse<(i64, ConvKey)>> = self
            .convs
            .iter()
            .filter_map(|(k, c)| Some(Reverse((c.chunks.first()?.first, k.clone()))))
            .collect();
        while total > target {
            let Some(Reverse((_, key))) = heap.pop() else {
                break;
            };
            // It gives up its messages up to the oldest of the others before the next turn.
            let next = heap.peek().map_or(i64::MAX, |Reverse((t, _))| *t);
            let freed = self.evict_from(storage, &key, next, total - target);
            total = total.saturating_sub(freed);
            if let Some(first) = self.convs.get(&key).and_then(|c| c.chunks.first()) {
                heap.push(Reverse((first.first, key)));
            }
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
