//! Local message ids: the per-user counter, and where each id is stored (which chunk), so that
//! `getMessage(messageId)` finds a message without reading the whole store.
//!
//! The map is cut into blocks of [`BLOCK`] ids, one storage key each (`msgn{block}_{user}`: the
//! chunk number of each id, comma-separated, 0 for none). New ids fill the newest block, so a
//! burst of messages rewrites one small block, not a map of every id.

use crate::storage::Storage;
use im_wire::text;
use im_wire::text::u32_of;
use im_wire::text::Piece;

/// Ids per block key.
pub(crate) const BLOCK: u64 = 256;

/// The counter key: the last id handed out.
pub(crate) fn counter_key(user: &str) -> String {
    text!("msgi_", user)
}

pub(crate) fn block_key(block: u64, user: &str) -> String {
    text!("msgn", block, "_", user)
}

#[derive(Clone, Debug, Default)]
struct Block {
    /// Its number: it maps ids `number × BLOCK` to `number × BLOCK + BLOCK − 1`.
    number: u64,
    /// Chunk number of each id of the block, from its first id; 0 = no message. `None` until
    /// read from storage.
    slots: Option<Vec<u32>>,
    /// Length of its value in storage (0: none).
    stored: usize,
    dirty: bool,
}

fn parse_slots(text: &str) -> Vec<u32> {
    text.split(',')
        .map(|s| u32_of(s.trim_ascii()).unwrap_or(0))
        .collect()
}

impl Block {
    fn text(&self) -> String {
        let slots = self.slots.as_deref().unwrap_or_default();
        let used = slots.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
        let mut out = String::with_capacity(used * 4);
        for (i, c) in slots.iter().take(used).enumerate() {
            if i > 0 {
                out.push(',');
            }
            if *c != 0 {
                im_wire::json_out::WriteJson::write_json(&u64::from(*c), &mut out);
            }
        }
        out
    }
}

/// The counter and the id → chunk map of one user.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdMap {
    /// The last id handed out.
    last: u64,
    /// `last` as stored.
    stored_last: u64,
    /// Every block in storage or written since, by number (a sorted vector: far less wasm than
    /// a map, and new blocks come at the end).
    blocks: Vec<Block>,
}

impl IdMap {
    /// Reads the counter and finds the block keys of `user` (their sizes only; a block is read
    /// when one of its ids is looked up).
    pub(crate) fn load(storage: &Storage, user: &str) -> Self {
        let stored_last = storage
            .get(&counter_key(user))
            .and_then(|v| v.trim_ascii().parse().ok())
            .unwrap_or(0);
        let suffix = text!("_", user);
        let mut blocks = Vec::new();
        for (key, value) in storage.from("msgn") {
            let Some(rest) = key.strip_prefix("msgn") else {
                break;
            };
            // `{block}_{user}`: the block number ends at the first `_`.
            let Some((digits, _)) = rest.split_once('_') else {
                continue;
            };
            if rest.get(digits.len()..) != Some(suffix.as_str()) {
                continue;
            }
            if let Ok(number) = digits.parse::<u64>() {
                // Keys sort as text ("msgn10" before "msgn9"): insert in number order.
                let at = blocks.partition_point(|b: &Block| b.number < number);
                let block = Block {
                    number,
                    slots: None,
                    stored: value.len(),
                    dirty: false,
                };
                blocks.insert(at, block);
            }
        }
        // Never hand out an id a block already names, even if the counter was lost.
        let floor = blocks.last().map_or(0, |b| {
            let used = storage
                .get(&block_key(b.number, user))
                .map_or(0, |t| parse_slots(t).len());
            let used = u64::try_from(used).unwrap_or(u64::MAX);
            b.number
                .saturating_mul(BLOCK)
                .saturating_add(used)
                .saturating_sub(1)
        });
        Self {
            last: stored_last.max(floor),
            stored_last,
            blocks,
        }
    }

    /// A new id, greater than every id handed out before.
    pub(crate) fn next(&mut self) -> u64 {
        self.last = self.last.saturating_add(1);
        self.last
    }

    /// The slots of block `number`, read from storage the first time.
    fn block(&mut self, storage: &Storage, user: &str, number: u64) -> Option<&mut Block> {
        let i = match self.blocks.binary_search_by_key(&number, |b| b.number) {
            Ok(i) => i,
            Err(i) => {
                let block = Block {
                    number,
                    ..Block::default()
                };
                self.blocks.insert(i, block);
                i
            }
        };
        let block = self.blocks.get_mut(i)?;
        if block.slots.is_none() {
            let text = storage.get(&block_key(number, user));
            block.slots = Some(text.map_or_else(Vec::new, |t| parse_slots(t)));
        }
        Some(block)
    }

    /// The chunk that holds `id`.
    pub(crate) fn get(&mut self, storage: &Storage, user: &str, id: u64) -> Option<u32> {
        if id == 0 || id > self.last {
            return None;
        }
        let slot = usize::try_from(id % BLOCK).ok()?;
        let block = self.block(storage, user, id / BLOCK)?;
        let slots = block.slots.as_deref()?;
        slots.get(slot).copied().filter(|&c| c != 0)
    }

    /// Records that `id` is in `chunk` (0: nowhere any more).
    pub(crate) fn set(&mut self, storage: &Storage, user: &str, id: u64, chunk: u32) {
        let Ok(slot) = usize::try_from(id % BLOCK) else {
            return;
        };
        let Some(block) = self.block(storage, user, id / BLOCK) else {
            return;
        };
        let Some(slots) = block.slots.as_mut() else {
            return;
        };
        if slots.len() <= slot {
            if chunk == 0 {
                return;
            }
            slots.resize(slot + 1, 0);
        }
        if let Some(s) = slots.get_mut(slot) {
            if *s != chunk {
                *s = chunk;
                block.dirty = true;
            }
        }
    }

    /// Stored bytes of the counter and the blocks (as last written).
    pub(crate) fn bytes(&self) -> usize {
        let counter = if self.stored_last > 0 {
            self.stored_last.text().len()
        } else {
            0
        };
        counter + self.blocks.iter().map(|b| b.stored).sum::<usize>()
    }

    /// The writes that bring storage up to date: dirty blocks (an empty one is deleted) and the
    /// counter.
    pub(crate) fn flush(&mut self, user: &str, out: &mut Vec<(String, String)>) {
        for block in &mut self.blocks {
            if !block.dirty {
                continue;
            }
            block.dirty = false;
            let text = block.text();
            block.stored = text.len();
            out.push((block_key(block.number, user), text));
        }
        if self.last != self.stored_last {
            self.stored_last = self.last;
            out.push((counter_key(user), self.last.text()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(storage: &mut Storage, writes: Vec<(String, String)>) {
        for (k, v) in writes {
            if v.is_empty() {
                storage.remove(&k);
            } else {
                storage.insert(k, v);
            }
        }
    }

    #[test]
    fn ids_map_to_chunks_across_a_reload_and_never_repeat() {
        let mut storage = Storage::new();
        let mut ids = IdMap::load(&storage, "u");
        let a = ids.next();
        let b = ids.next();
        ids.set(&storage, "u", a, 7);
        ids.set(&storage, "u", b, 9);
        let far = BLOCK * 3 + 5;
        ids.set(&storage, "u", far, 4);
        let mut writes = Vec::new();
        ids.flush("u", &mut writes);
        apply(&mut storage, writes);
        assert_eq!(storage.get("msgi_u").map(String::as_str), Some("2"));
        assert_eq!(storage.get("msgn0_u").map(String::as_str), Some(",7,9"));

        let mut again = IdMap::load(&storage, "u");
        assert_eq!(again.get(&storage, "u", a), Some(7));
        assert_eq!(again.get(&storage, "u", b), Some(9));
        // The counter says 2, but block 3 names an id up to 3 × BLOCK + 5: ids continue after it.
        assert_eq!(again.next(), far + 1);
        assert_eq!(again.get(&storage, "u", far), Some(4));
        again.set(&storage, "u", a, 0);
        again.set(&storage, "u", b, 0);
        let mut writes = Vec::new();
        again.flush("u", &mut writes);
        assert!(writes.contains(&("msgn0_u".to_owned(), String::new())));
    }

    #[test]
    fn absurd_stored_values_are_survived() {
        let mut storage = Storage::new();
        storage.insert(format!("msgn{}_u", u64::MAX), "1,2".to_owned());
        storage.insert("msgi_u".to_owned(), u64::MAX.to_string());
        let mut ids = IdMap::load(&storage, "u");
        assert_eq!(ids.next(), u64::MAX);
        assert_eq!(ids.get(&storage, "u", u64::MAX), None);
        ids.set(&storage, "u", u64::MAX, 3);
    }

    #[test]
    fn another_users_blocks_are_not_counted() {
        let mut storage = Storage::new();
        storage.insert("msgn0_u_2".to_owned(), "1,2,3".to_owned());
        storage.insert("msgn0_u".to_owned(), "1".to_owned());
        let ids = IdMap::load(&storage, "u");
        assert_eq!(ids.bytes(), 1);
        assert_eq!(IdMap::load(&storage, "u_2").bytes(), 5);
    }
}
