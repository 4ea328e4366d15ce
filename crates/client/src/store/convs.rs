//! [`Convs`]: the store's conversations, a vector sorted by key. Lookups are binary searches
//! like a `BTreeMap`'s, for a fraction of its code in the wasm.

use super::{Conv, ConvKey};

/// Conversations by (type, target id), in key order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Convs(Vec<(ConvKey, Conv)>);

impl Convs {
    fn find(&self, key: &ConvKey) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub(crate) fn get(&self, key: &ConvKey) -> Option<&Conv> {
        let i = self.find(key).ok()?;
        self.0.get(i).map(|(_, c)| c)
    }

    pub(crate) fn get_mut(&mut self, key: &ConvKey) -> Option<&mut Conv> {
        let i = self.find(key).ok()?;
        self.0.get_mut(i).map(|(_, c)| c)
    }

    /// The conversation of `key`, created empty if there is none.
    pub(crate) fn get_or_default(&mut self, key: &ConvKey) -> Option<&mut Conv> {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key.clone(), Conv::default()));
                i
            }
        };
        self.0.get_mut(i).map(|(_, c)| c)
    }

    /// Adds or replaces the conversation of `key`.
    pub(crate) fn insert(&mut self, key: ConvKey, conv: Conv) {
        match self.find(&key) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = conv;
                }
            }
            Err(i) => self.0.insert(i, (key, conv)),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ConvKey, &Conv)> {
        self.0.iter().map(|(k, c)| (k, c))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&ConvKey, &mut Conv)> {
        self.0.iter_mut().map(|(k, c)| (&*k, c))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &ConvKey> {
        self.0.iter().map(|(k, _)| k)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Conv> {
        self.0.iter().map(|(_, c)| c)
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut Conv> {
        self.0.iter_mut().map(|(_, c)| c)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the conversations for which `keep` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Conv) -> bool) {
        self.0.retain(|(_, c)| keep(c));
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
