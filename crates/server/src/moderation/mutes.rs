//! Group mutes in memory (server-api.md §2.3, §3 item 18): muted members, mute-all and its
//! whitelist. An individual mute beats the whitelist; a mute in the group id "" applies in every
//! group.

use std::collections::{HashMap, HashSet};

use crate::store::moderation::GroupMutes;

/// End time of a mute that never ends: 9999-12-31 23:59:59 UTC, in ms.
pub const PERMANENT: i64 = 253_402_300_799_000;

/// The mutes in force, keyed for the send path.
#[derive(Debug, Default)]
pub(super) struct Mutes {
    gags: HashMap<(String, String), i64>,
    banned: HashSet<String>,
    whitelist: HashMap<String, HashSet<String>>,
}

impl Mutes {
    pub(super) fn from_stored(stored: GroupMutes) -> Self {
        let mut m = Self::default();
        for (g, u, until) in stored.gags {
            m.gags.insert((g, u), until);
        }
        m.banned.extend(stored.banned);
        for (g, u) in stored.whitelist {
            m.whitelist.entry(g).or_default().insert(u);
        }
        m
    }

    fn gagged(&self, group: &str, user: &str, now_ms: i64) -> bool {
        let key = (group.to_owned(), user.to_owned());
        let all = (String::new(), user.to_owned());
        [key, all]
            .iter()
            .any(|k| self.gags.get(k).is_some_and(|until| *until > now_ms))
    }

    /// Whether `user` may not send to `group` from a client at `now_ms`.
    pub(super) fn refuses(&self, group: &str, user: &str, now_ms: i64) -> bool {
        self.gagged(group, user, now_ms)
            || (self.banned.contains(group)
                && !self.whitelist.get(group).is_some_and(|w| w.contains(user)))
    }

    pub(super) fn gag(&mut self, group: &str, users: &[String], until_ms: i64) {
        for u in users {
            self.gags.insert((group.to_owned(), u.clone()), until_ms);
        }
    }

    pub(super) fn ungag(&mut self, group: &str, users: &[String]) {
        for u in users {
            self.gags.remove(&(group.to_owned(), u.clone()));
        }
    }

    /// Members of `group` muted at `now_ms` with their end times, by user id.
    pub(super) fn gagged_in(&mut self, group: &str, now_ms: i64) -> Vec<(String, i64)> {
        self.gags.retain(|_, until| *until > now_ms);
        let mut list: Vec<(String, i64)> = self
            .gags
            .iter()
            .filter(|((g, _), _)| g == group)
            .map(|((_, u), t)| (u.clone(), *t))
            .collect();
        list.sort();
        list
    }

    pub(super) fn set_banned(&mut self, groups: &[String], banned: bool) {
        for g in groups {
            if banned {
                self.banned.insert(g.clone());
            } else {
                self.banned.remove(g);
            }
        }
    }

    pub(super) fn is_banned(&self, group: &str) -> bool {
        self.banned.contains(group)
    }

    pub(super) fn banned(&self) -> Vec<String> {
        let mut list: Vec<String> = self.banned.iter().cloned().collect();
        list.sort();
        list
    }

    pub(super) fn change_whitelist(&mut self, group: &str, users: &[String], add: bool) {
        let set = self.whitelist.entry(group.to_owned()).or_default();
        for u in users {
            if add {
                set.insert(u.clone());
            } else {
                set.remove(u);
            }
        }
    }

    pub(super) fn whitelist(&self, group: &str) -> Vec<String> {
        let mut list: Vec<String> = self
            .whitelist
            .get(group)
            .map(|w| w.iter().cloned().collect())
            .unwrap_or_default();
        list.sort();
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn member_mutes_end_by_time_and_beat_the_whitelist() {
        let mut m = Mutes::default();
        m.gag("g", &ids(&["a"]), 1_000);
        assert!(m.refuses("g", "a", 999));
        assert!(!m.refuses("g", "a", 1_000));
        assert!(!m.refuses("other", "a", 0));
        m.gag("", &ids(&["b"]), PERMANENT);
        assert!(m.refuses("any", "b", 0));

        m.set_banned(&ids(&["g"]), true);
        m.change_whitelist("g", &ids(&["c", "b"]), true);
        assert!(m.refuses("g", "d", 0));
        assert!(!m.refuses("g", "c", 0));
        assert!(m.refuses("g", "b", 0), "an individual mute wins");
        m.set_banned(&ids(&["g"]), false);
        assert!(!m.refuses("g", "d", 0));
        assert_eq!(m.gagged_in("g", 2_000), []);
    }
}
