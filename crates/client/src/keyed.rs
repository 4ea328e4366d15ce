//! [`Keyed`]: a small map with string keys.

/// A map for a few keys (cursors, joined rooms, registered types): pairs searched in order,
/// which takes far less code than a `BTreeMap` per value type.
#[derive(Clone, Debug)]
pub(crate) struct Keyed<V>(Vec<(String, V)>);

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> Keyed<V> {
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key` to `value`, replacing the value it had.
    pub(crate) fn insert(&mut self, key: String, value: V) {
        match self.get_mut(&key) {
            Some(v) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    pub(crate) fn remove(&mut self, key: &str) {
        // Keys are unique: the one pair found goes (`retain` would cost code per value type).
        if let Some(i) = self.0.iter().position(|(k, _)| k == key) {
            self.0.remove(i);
        }
    }

    /// The keys, in insertion order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The greatest key (what a sorted map's last key is).
    pub(crate) fn last_key(&self) -> Option<&String> {
        self.0.iter().map(|(k, _)| k).max()
    }
}

#[cfg(test)]
mod tests {
    use super::Keyed;

    #[test]
    fn keyed_replaces_removes_and_names_the_greatest_key() {
        let mut k = Keyed::default();
        k.insert("b".to_owned(), 1);
        k.insert("c".to_owned(), 2);
        k.insert("a".to_owned(), 3);
        k.insert("b".to_owned(), 4);
        assert_eq!((k.get("b"), k.get("z")), (Some(&4), None));
        assert_eq!(k.last_key().map(String::as_str), Some("c"));
        k.remove("c");
        assert_eq!(k.last_key().map(String::as_str), Some("b"));
        if let Some(v) = k.get_mut("a") {
            *v = 5;
        }
        assert_eq!(k.get("a"), Some(&5));
    }
}
