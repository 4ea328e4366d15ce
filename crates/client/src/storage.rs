//! [`Storage`]: the engine's copy of the host's key-value storage, a map from key to value kept
//! as one vector sorted by key.
//!
//! Lookups are binary searches and prefix scans are a slice; a new key shifts the keys after it.
//! Keys are few (box times, counters, a few chunks per conversation of the local store), new ones
//! are rare next to reads and overwrites, and the vector is a fraction of a B-tree's code in the
//! wasm build.

use std::fmt;

/// Keys to values, in key order. See the module documentation.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Storage {
    items: Vec<(String, String)>,
}

impl Storage {
    /// An empty map.
    pub const fn new() -> Self {
        Self { items: Vec::new() }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.items.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&String> {
        let at = self.find(key).ok()?;
        self.items.get(at).map(|(_, v)| v)
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`; the value it replaced.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(at) => self
                .items
                .get_mut(at)
                .map(|(_, v)| std::mem::replace(v, value)),
            Err(at) => {
                self.items.insert(at, (key, value));
                None
            }
        }
    }

    /// Removes `key`; its value.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let at = self.find(key).ok()?;
        Some(self.items.remove(at).1)
    }

    /// Keeps only the pairs for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut String) -> bool) {
        self.items.retain_mut(|(k, v)| keep(k, v));
    }

    /// Every pair whose key is `start` or sorts after it, in key order.
    pub fn from(&self, start: &str) -> impl Iterator<Item = (&String, &String)> {
        let at = self.find(start).unwrap_or_else(|at| at);
        self.items
            .get(at..)
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k, v))
    }

    /// Every pair, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.items.iter().map(|(k, _)| k)
    }

    /// Every value, in key order.
    pub fn values(&self) -> impl Iterator<Item = &String> {
        self.items.iter().map(|(_, v)| v)
    }

    /// How many keys have a value.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no key has a value.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl FromIterator<(String, String)> for Storage {
    /// The map of `pairs`; a repeated key keeps its last value.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut items: Vec<(String, String)> = pairs.into_iter().collect();
        // Stable: among equal keys the last one given stays last, and wins below.
        items.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(items.len());
        for item in items {
            match out.last_mut() {
                Some(last) if last.0 == item.0 => *last = item,
                _ => out.push(item),
            }
        }
        Self { items: out }
    }
}

impl Extend<(String, String)> for Storage {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, pairs: I) {
        for (k, v) in pairs {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Storage {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    /// Every pair, in key order.
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Storage {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().map(|(k, v)| (k, v))
    }
}

impl<'de> serde::Deserialize<'de> for Storage {
    /// From a JSON object of strings, as the host's storage is given in a config.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = std::collections::BTreeMap::<String, String>::deserialize(d)?;
        Ok(pairs.into_iter().collect())
    }
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Storage;
    use std::collections::BTreeMap;

    fn s(x: &str) -> String {
        x.to_owned()
    }

    #[test]
    fn behaves_as_an_ordered_map() {
        let mut m = Storage::new();
        let mut reference = BTreeMap::new();
        // A fixed pseudo-random walk over a small key space: inserts, overwrites and removals.
        let mut x: u32 = 7;
        for _ in 0..2000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let key = format!("k{}", (x >> 8) % 50);
            if (x >> 20) % 3 == 0 {
                assert_eq!(m.remove(&key), reference.remove(&key));
            } else {
                let value = format!("v{x}");
                assert_eq!(
                    m.insert(key.clone(), value.clone()),
                    reference.insert(key, value)
                );
            }
            assert_eq!(m.len(), reference.len());
        }
        let ours: Vec<_> = m.iter().collect();
        let theirs: Vec<_> = reference.iter().collect();
        assert_eq!(ours, theirs);
        for k in ["k1", "k25", "k3", "k9", "zz", ""] {
            let ours: Vec<_> = m.from(k).collect();
            let theirs: Vec<_> = reference.range(s(k)..).collect();
            assert_eq!(ours, theirs, "from {k}");
            assert_eq!(m.get(k), reference.get(k));
            assert_eq!(m.contains_key(k), reference.contains_key(k));
        }
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_repeated_key() {
        let m: Storage = [(s("b"), s("1")), (s("a"), s("2")), (s("b"), s("3"))]
            .into_iter()
            .collect();
        assert_eq!(
            m.into_iter().collect::<Vec<_>>(),
            [(s("a"), s("2")), (s("b"), s("3"))]
        );
    }
}
