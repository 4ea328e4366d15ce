//! [`Chunk`]: one storage value holding consecutive messages of one conversation.

use crate::storage::Storage;

use super::{chunk_key, Entry};

/// One chunk of a conversation.
#[derive(Clone, Debug)]
pub(crate) struct Chunk {
    pub(crate) id: u32,
    /// sentTime of its oldest message, as the index records it.
    pub(crate) first: i64,
    /// Length of its value.
    pub(crate) bytes: usize,
    /// Its messages, oldest first, once read.
    pub(crate) entries: Option<Vec<Entry>>,
    pub(crate) dirty: bool,
}

impl Chunk {
    /// A chunk stored under `id` whose value is `bytes` long, read when first needed.
    pub(crate) fn stored(id: u32, first: i64, bytes: usize) -> Self {
        Self {
            id,
            first,
            bytes,
            entries: None,
            dirty: false,
        }
    }

    /// A new chunk `id` holding `entries` (oldest first), to be written.
    pub(crate) fn holding(id: u32, entries: Vec<Entry>) -> Self {
        let mut chunk = Self {
            id,
            first: entries.first().map_or(0, |e| e.time),
            bytes: 0,
            entries: Some(entries),
            dirty: true,
        };
        chunk.recount();
        chunk
    }

    /// The messages of a stored value (a line that does not read is dropped), and whether
    /// one was changed as it was read (see [`Entry::parse_stored`]).
    fn parse(text: &str) -> (Vec<Entry>, bool) {
        let mut changed = false;
        let entries = text
            .split('\n')
            .filter_map(Entry::parse_stored)
            .map(|(e, fixed)| {
                changed |= fixed;
                e
            })
            .collect();
        (entries, changed)
    }

    /// Its messages, read from storage the first time.
    pub(crate) fn entries(&mut self, storage: &Storage, user: &str) -> &mut Vec<Entry> {
        if self.entries.is_none() {
            let text = storage.get(&chunk_key(self.id, user));
            let (entries, changed) = text.map_or_else(Default::default, |t| Chunk::parse(t));
            self.entries = Some(entries);
            // A line that did not read is gone, or one was fixed: rewrite the value.
            let before = self.bytes;
            self.recount();
            self.dirty |= changed || self.bytes != before;
        }
        self.entries.get_or_insert_with(Vec::new)
    }

    /// Calls `f` on each message, newest first, until it returns `false` (then returns
    /// `false`). A chunk not in memory is read for the call only: a search must not keep the
    /// whole store in memory.
    pub(crate) fn each_newest_first(
        &self,
        storage: &Storage,
        user: &str,
        f: &mut dyn FnMut(&Entry) -> bool,
    ) -> bool {
        let parsed;
        let entries = match &self.entries {
            Some(e) => e,
            None => {
                parsed = storage
                    .get(&chunk_key(self.id, user))
                    .map_or_else(Vec::new, |t| Chunk::parse(t).0);
                &parsed
            }
        };
        entries.iter().rev().all(f)
    }

    /// Recomputes `bytes` and `first` from the messages in memory.
    pub(crate) fn recount(&mut self) {
        if let Some(entries) = &self.entries {
            let lines: usize = entries.iter().map(|e| e.line.len()).sum();
            self.bytes = lines + entries.len().saturating_sub(1);
            if let Some(e) = entries.first() {
                self.first = e.time;
            }
        }
    }

    /// Its value: the lines, oldest first.
    pub(crate) fn text(&self) -> String {
        let mut out = String::with_capacity(self.bytes);
        for (i, e) in self.entries.iter().flatten().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&e.line);
        }
        out
    }
}
