//! [`Convs`]: the store's conversations, a vector sorted by key. Lookups are binary searches
//! like a `BTreeMap`'s, for a fraction of its code in the wasm.

use super::{Conv, ConvKey};

/// Conversations by (type, target id), in key order, with the slots they hold in the index
/// blocks (see `super::index`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Convs {
    list: Vec<(ConvKey, Conv)>,
    /// The slot of the next conversation (slots are never reused).
    pub(crate) next_slot: u32,
    /// Slots of conversations removed since the last flush.
    pub(crate) removed: Vec<u32>,
}

impl Convs {
    fn find(&self, key: &ConvKey) -> Result<usize, usize> {
        self.list.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub(crate) fn get(&self, key: &ConvKey) -> Option<&Conv> {
        let i = self.find(key).ok()?;
        self.list.get(i).map(|(_, c)| c)
    }

    pub(crate) fn get_mut(&mut self, key: &ConvKey) -> Option<&mut Conv> {
        let i = self.find(key).ok()?;
        self.list.get_mut(i).map(|(_, c)| c)
    }

    /// The conversation of `key`, created empty (with a new slot, its index entry to write) if
    /// there is none.
    pub(crate) fn get_or_default(&mut self, key: &ConvKey) -> Option<&mut Conv> {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                let conv = Conv {
                    slot: self.next_slot,
                    index_dirty: true,
                    ..Conv::default()
                };
                self.next_slot = self.next_slot.saturating_add(1);
                self.list.insert(i, (key.clone(), conv));
                i
            }
        };
        self.list.get_mut(i).map(|(_, c)| c)
    }

    /// Adds or replaces the conversation of `key` (as read from storage, with its slot).
    pub(crate) fn insert(&mut self, key: ConvKey, conv: Conv) {
        self.next_slot = self.next_slot.max(conv.slot.saturating_add(1));
        match self.find(&key) {
            Ok(i) => {
                if let Some(slot) = self.list.get_mut(i) {
                    slot.1 = conv;
                }
            }
            Err(i) => self.list.insert(i, (key, conv)),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ConvKey, &Conv)> {
        self.list.iter().map(|(k, c)| (k, c))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&ConvKey, &mut Conv)> {
        self.list.iter_mut().map(|(k, c)| (&*k, c))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &ConvKey> {
        self.list.iter().map(|(k, _)| k)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Conv> {
        self.list.iter().map(|(_, c)| c)
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut Conv> {
        self.list.iter_mut().map(|(_, c)| c)
    }

    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Keeps the conversations for which `keep` is true; the slots of the others are noted for
    /// the next flush.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Conv) -> bool) {
        let removed = &mut self.removed;
        self.list.retain(|(_, c)| {
            let kept = keep(c);
            if !kept {
                removed.push(c.slot);
            }
            kept
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversations_stay_in_key_order() {
        let mut convs = Convs::default();
        for (t, target) in [(3, "b"), (1, "z"), (3, "a"), (1, "z")] {
            if let Some(c) = convs.get_or_default(&(t, target.to_owned())) {
                c.stop += 1;
            }
        }
        let keys: Vec<(i32, &str)> = convs.keys().map(|(t, s)| (*t, s.as_str())).collect();
        assert_eq!(keys, [(1, "z"), (3, "a"), (3, "b")]);
        assert_eq!(convs.get(&(1, "z".into())).map(|c| c.stop), Some(2));
        convs.retain(|c| c.stop > 1);
        assert_eq!(convs.len(), 1);
        assert!(convs.get_mut(&(3, "a".into())).is_none());
    }
}
