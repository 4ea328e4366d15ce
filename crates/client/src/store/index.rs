//! The index key (`msgs_{user}`): reading the store at load, and writing what changed.

use std::collections::BTreeMap;

use serde_json::Value;

use super::chunk::Chunk;
use super::ids::IdMap;
use super::{chunk_key, Book, Conv, Convs, Store};

fn index_key(user: &str) -> String {
    format!("msgs_{user}")
}

/// One conversation of the index: `[type, targetId, floor, stop, [[chunk, first], …]]`.
fn read_conv(
    c: &Value,
    storage: &BTreeMap<String, String>,
    user: &str,
    book: &mut Book,
) -> Option<((i32, String), Conv)> {
    let t = c.get(0)?.as_i64().and_then(|t| i32::try_from(t).ok())?;
    let target = c.get(1)?.as_str()?;
    let mut conv = Conv {
        floor: c.get(2).and_then(Value::as_i64),
        stop: c.get(3).and_then(Value::as_i64).unwrap_or(0),
        chunks: Vec::new(),
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
            None => book.index_dirty = true,
        }
    }
    Some(((t, target.to_owned()), conv))
}

impl Store {
    /// The store of `user` as `storage` holds it. Only the index is parsed here.
    pub(crate) fn load(storage: &BTreeMap<String, String>, user: &str, budget: usize) -> Self {
        let index = storage.get(&index_key(user));
        let mut store = Self {
            user: user.to_owned(),
            budget,
            convs: Convs::default(),
            book: Book {
                next_chunk: 1,
                ids: IdMap::load(storage, user),
                removed: Vec::new(),
                index_dirty: false,
                index_bytes: index.map_or(0, String::len),
                dirty: false,
            },
        };
        let Some(v) = index.and_then(|t| im_wire::json::parse(t).ok()) else {
            return store;
        };
        let n = v.get("n").and_then(Value::as_u64);
        let n = n.and_then(|n| u32::try_from(n).ok()).unwrap_or(1);
        store.book.next_chunk = n.max(1);
        for c in v.get("c").and_then(Value::as_array).into_iter().flatten() {
            if let Some((key, conv)) = read_conv(c, storage, user, &mut store.book) {
                store.convs.insert(key, conv);
            }
        }
        store.book.dirty = store.book.index_dirty;
        store
    }

    /// The index as JSON, written directly (it is rewritten whenever a chunk comes or goes).
    fn index_text(&self) -> String {
        use std::io::Write as _;
        let mut out: Vec<u8> = Vec::with_capacity(self.book.index_bytes + 64);
        // Writing to a Vec cannot fail.
        let _ = write!(out, "{{\"n\":{},\"c\":[", self.book.next_chunk);
        for (i, ((t, target), c)) in self.convs.iter().enumerate() {
            let comma = if i > 0 { "," } else { "" };
            let _ = write!(out, "{comma}[{t},");
            let _ = serde_json::to_writer(&mut out, target);
            match c.floor {
                Some(f) => {
                    let _ = write!(out, ",{f},{},[", c.stop);
                }
                None => {
                    let _ = write!(out, ",null,{},[", c.stop);
                }
            }
            for (j, ch) in c.chunks.iter().enumerate() {
                let comma = if j > 0 { "," } else { "" };
                let _ = write!(out, "{comma}[{},{}]", ch.id, ch.first);
            }
            out.extend_from_slice(b"]]");
        }
        out.extend_from_slice(b"]}");
        String::from_utf8(out).unwrap_or_default()
    }

    /// The writes that bring storage up to date (an empty value deletes the key), after
    /// evicting the oldest messages if the store is over its budget. Empty when nothing
    /// changed.
    pub(crate) fn flush(&mut self, storage: &BTreeMap<String, String>) -> Vec<(String, String)> {
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
        if self.book.index_dirty {
            self.book.index_dirty = false;
            let text = if self.convs.is_empty() {
                String::new()
            } else {
                self.index_text()
            };
            self.book.index_bytes = text.len();
            out.push((index_key(&self.user), text));
        }
        out
    }
}
