//! The index key (`msgs_{user}`): reading the store at load, and writing what changed.

use crate::storage::Storage;
use im_wire::text;

use im_wire::value::Value;

use super::chunk::Chunk;
use super::ids::IdMap;
use super::{chunk_key, Book, Conv, Convs, Store};

fn index_key(user: &str) -> String {
    text!("msgs_", user)
}

fn block_key(block: u32, user: &str) -> String {
    text!("msgx", block, "_", user)
}

/// Conversations per index block.
const BLOCK: u32 = 16;

/// One conversation of the index: `[type, targetId, floor, stop, [[chunk, first], …]]`.
fn read_conv(
    c: &[Value],
    storage: &Storage,
    user: &str,
    book: &mut Book,
) -> Option<((i32, String), Conv)> {
    let t = c.first()?.as_i64().and_then(|t| i32::try_from(t).ok())?;
    let target = c.get(1)?.as_str()?;
    let mut conv = Conv {
        floor: c.get(2).and_then(Value::as_i64),
        stop: c.get(3).and_then(Value::as_i64).unwrap_or(0),
        ..Conv::default()
    };
    for ch in c.get(4).and_then(Value::as_array).into_iter().flatten() {
        let id = ch.get(0).and_then(Value::as_u64);
        let id = id.and_then(|n| u32::try_from(n).ok());
        let (Some(id), Some(first)) = (id, ch.get(1).and_then(Value::as_i64)) else {
            continue;
        };
        book.next_chunk = book.next_chunk.max(id.saturating_add(1));
        // A chunk whose value is gone is forgotten.
        match storage.get(&chunk_key(id, user)) {
            Some(text) => conv.chunks.push(Chunk::stored(id, first, text.len())),
            None => conv.touch(&mut book.index_dirty),
        }
    }
    Some(((t, target.to_owned()), conv))
}

/// The number of an index block key of `user` (`msgx{block}_{user}`).
fn block_number(key: &str, user: &str) -> Option<u32> {
    let rest = key.strip_prefix("msgx")?;
    let (digits, owner) = rest.split_once('_')?;
    (owner == user)
        .then(|| im_wire::text::u32_of(digits))
        .flatten()
}

impl Store {
    /// The store of `user` as `storage` holds it. Only the index is parsed here.
    pub(crate) fn load(storage: &Storage, user: &str, budget: usize) -> Self {
        let root = storage.get(&index_key(user));
        let mut store = Self {
            user: user.to_owned(),
            budget,
            convs: Convs::default(),
            book: Book {
                next_chunk: 1,
                ids: IdMap::load(storage, user),
                removed: Vec::new(),
                index_dirty: false,
                block_bytes: Vec::new(),
                root_bytes: root.map_or(0, String::len),
                root_stored: (0, 0),
                dirty: false,
            },
        };
        let root = root.and_then(|t| im_wire::json::parse(t).ok());
        let number = |key| {
            root.as_ref()
                .and_then(|v| v.get(key))
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
        };
        let (n, s) = (number("n").unwrap_or(1).max(1), number("s").unwrap_or(0));
        store.book.next_chunk = n;
        store.book.root_stored = (n, s);
        store.convs.next_slot = s;
        // The index blocks.
        let book = &mut store.book;
        for (key, text) in storage.from("msgx") {
            if !key.starts_with("msgx") {
                break;
            }
            let Some(block) = block_number(key, user) else {
                continue;
            };
            set_bytes(&mut book.block_bytes, block, text.len());
            let Ok(Value::Array(entries)) = im_wire::json::parse(text) else {
                continue;
            };
            for e in entries {
                let Value::Array(fields) = e else { continue };
                let slot = fields.first().and_then(Value::as_u64);
                let Some(slot) = slot.and_then(|n| u32::try_from(n).ok()) else {
                    continue;
                };
                if let Some((key, mut conv)) =
                    read_conv(fields.get(1..).unwrap_or(&[]), storage, user, book)
                {
                    conv.slot = slot;
                    store.convs.insert(key, conv);
                }
            }
        }
        // An index from before the blocks: `{"n": …, "c": [[type, targetId, …], …]}`, moved
        // into blocks at the next flush.
        let old = root
            .as_ref()
            .and_then(|v| v.get("c"))
            .and_then(Value::as_array);
        for c in old.into_iter().flatten() {
            let Some(fields) = c.as_array() else { continue };
            if let Some((key, mut conv)) = read_conv(fields, storage, user, &mut store.book) {
                conv.slot = store.convs.next_slot;
                conv.touch(&mut store.book.index_dirty);
                store.convs.insert(key, conv);
            }
        }
        store.book.dirty = store.book.index_dirty;
        store
    }

    /// The JSON text of index block `block`: its conversations, written directly.
    fn block_text(&self, block: u32) -> String {
        let mut out = String::with_capacity(1024);
        for ((t, target), c) in self.convs.iter() {
            if c.slot / BLOCK != block {
                continue;
            }
            out.push(if out.is_empty() { '[' } else { ',' });
            text!(in &mut out; "[", c.slot, ",", t, ",");
            im_wire::json_out::write_str(&mut out, target);
            match c.floor {
                Some(f) => {
                    text!(in &mut out; ",", f, ",", c.stop, ",[");
                }
                None => {
                    text!(in &mut out; ",null,", c.stop, ",[");
                }
            }
            for (j, ch) in c.chunks.iter().enumerate() {
                let comma = if j > 0 { "," } else { "" };
                text!(in &mut out; comma, "[", ch.id, ",", ch.first, "]");
            }
            out.push_str("]]");
        }
        if !out.is_empty() {
            out.push(']');
        }
        out
    }

    /// The index writes: the blocks of the conversations that changed, came or went (an empty
    /// value deletes a block), and the root when its numbers moved.
    fn flush_index(&mut self, out: &mut Vec<(String, String)>) {
        let mut blocks: Vec<u32> = self.convs.removed.drain(..).map(|s| s / BLOCK).collect();
        for c in self.convs.values_mut() {
            if c.index_dirty {
                c.index_dirty = false;
                blocks.push(c.slot / BLOCK);
            }
        }
        blocks.sort_unstable();
        blocks.dedup();
        for block in blocks {
            let text = self.block_text(block);
            set_bytes(&mut self.book.block_bytes, block, text.len());
            out.push((block_key(block, &self.user), text));
        }
        let numbers = (self.book.next_chunk, self.convs.next_slot);
        if numbers != self.book.root_stored {
            self.book.root_stored = numbers;
            let text = text!("{\"n\":", numbers.0, ",\"s\":", numbers.1, "}");
            self.book.root_bytes = text.len();
            out.push((index_key(&self.user), text));
        }
    }

    /// Whether a flush has something to write.
    pub(crate) fn is_dirty(&self) -> bool {
        self.book.dirty
    }

    /// The writes that bring storage up to date (an empty value deletes the key), after
    /// evicting the oldest messages if the store is over its budget. Empty when nothing
    /// changed.
    pub(crate) fn flush(&mut self, storage: &Storage) -> Vec<(String, String)> {
        if !self.book.dirty {
            return Vec::new();
        }
        self.book.dirty = false;
        if self.total_bytes() > self.budget {
            // Down to 15/16 of the budget, so that a full store does not evict on every drain.
            self.evict(storage, self.budget - self.budget / 16);
        }
        let mut out = Vec::new();
        for n in self.book.removed.drain(..) {
            out.push((chunk_key(n, &self.user), String::new()));
        }
        for chunk in self.convs.values_mut().flat_map(|c| c.chunks.iter_mut()) {
            if chunk.dirty {
                chunk.dirty = false;
                out.push((chunk_key(chunk.id, &self.user), chunk.text()));
            }
        }
        self.book.ids.flush(&self.user, &mut out);
        if std::mem::take(&mut self.book.index_dirty) || !self.convs.removed.is_empty() {
            self.flush_index(&mut out);
        }
        out
    }
}

/// Records the stored size of index block `block`.
fn set_bytes(sizes: &mut Vec<usize>, block: u32, bytes: usize) {
    let i = usize::try_from(block).unwrap_or(usize::MAX);
    if i >= sizes.len() {
        // Block numbers grow one by one; a damaged huge one is not worth a huge vector.
        if i > sizes.len().saturating_add(1 << 16) {
            return;
        }
        sizes.resize(i + 1, 0);
    }
    if let Some(s) = sizes.get_mut(i) {
        *s = bytes;
    }
}
