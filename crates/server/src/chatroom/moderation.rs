//! What the Server API sets on chatrooms (server-api.md §2.5): mutes in one room (gag), in every
//! room (ban), kicks that keep users out (block), kept-alive rooms, low-priority and whitelisted
//! objectNames, protected members and stopped distribution. Held in memory; timed entries lapse
//! by themselves. All but the last two are also stored ([`ChatroomSetting`]) and restored at
//! start; protected members and stopped distribution belong to a room, and rooms live in memory.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::store::ChatroomSetting;

/// [`ChatroomSetting::kind`] of a gag.
pub const GAG: &str = "gag";
/// [`ChatroomSetting::kind`] of a ban.
pub const BAN: &str = "ban";
/// [`ChatroomSetting::kind`] of a block.
pub const BLOCK: &str = "block";
/// [`ChatroomSetting::kind`] of a kept-alive room.
pub const KEEPALIVE: &str = "keepalive";
/// [`ChatroomSetting::kind`] of a low-priority objectName.
pub const LOW: &str = "low";
/// [`ChatroomSetting::kind`] of a whitelisted objectName.
pub const WHITELIST: &str = "whitelist";

/// A stored setting.
pub fn setting(kind: &str, room: &str, value: &str, until: i64) -> ChatroomSetting {
    ChatroomSetting {
        kind: kind.to_owned(),
        room: room.to_owned(),
        value: value.to_owned(),
        until,
    }
}

/// `(room, user)` → end time (ms).
type PerRoom = BTreeMap<(String, String), i64>;

/// The chatroom settings of the application.
#[derive(Debug, Default)]
pub struct Moderation {
    /// Muted in one room.
    pub gags: PerRoom,
    /// Muted in every room: user → end time (ms).
    pub bans: BTreeMap<String, i64>,
    /// Kicked and kept out of one room.
    pub blocks: PerRoom,
    /// Rooms never destroyed for being idle.
    pub keepalive: BTreeSet<String>,
    /// objectNames dropped first under load.
    pub low_priority: BTreeSet<String>,
    /// objectNames never dropped under load.
    pub whitelist: BTreeSet<String>,
    /// Protected members per room.
    pub user_whitelist: HashMap<String, BTreeSet<String>>,
    /// Rooms whose messages are accepted but not delivered.
    pub stopped: HashSet<String>,
}

fn active(map: &PerRoom, room: &str, user: &str, now: i64) -> bool {
    map.get(&(room.to_owned(), user.to_owned()))
        .is_some_and(|until| *until > now)
}

/// Users of one room in a per-room map whose entries have not lapsed, with their end times.
fn listed(map: &mut PerRoom, room: &str, now: i64) -> Vec<(String, i64)> {
    map.retain(|_, until| *until > now);
    map.iter()
        .filter(|((r, _), _)| r == room)
        .map(|((_, u), until)| (u.clone(), *until))
        .collect()
}

impl Moderation {
    /// The settings restored from the store; lapsed and unknown ones are left out.
    pub fn restore(settings: &[ChatroomSetting], now: i64) -> Self {
        let mut m = Self::default();
        for c in settings {
            let pair = || (c.room.clone(), c.value.clone());
            let live = c.until > now;
            match c.kind.as_str() {
                GAG if live => {
                    m.gags.insert(pair(), c.until);
                }
                BLOCK if live => {
                    m.blocks.insert(pair(), c.until);
                }
                BAN if live => {
                    m.bans.insert(c.value.clone(), c.until);
                }
                KEEPALIVE => {
                    m.keepalive.insert(c.room.clone());
                }
                LOW => {
                    m.low_priority.insert(c.value.clone());
                }
                WHITELIST => {
                    m.whitelist.insert(c.value.clone());
                }
                _ => {}
            }
        }
        m
    }

    /// Whether `user` may not send in `room` (gagged there or banned everywhere).
    pub fn muted(&self, room: &str, user: &str, now: i64) -> bool {
        active(&self.gags, room, user, now) || self.bans.get(user).is_some_and(|u| *u > now)
    }

    /// Whether `user` is kept out of `room`.
    pub fn blocked(&self, room: &str, user: &str, now: i64) -> bool {
        active(&self.blocks, room, user, now)
    }

    /// Gagged users of `room` and their end times.
    pub fn gagged(&mut self, room: &str, now: i64) -> Vec<(String, i64)> {
        listed(&mut self.gags, room, now)
    }

    /// Blocked users of `room` and their end times.
    pub fn blocked_users(&mut self, room: &str, now: i64) -> Vec<(String, i64)> {
        listed(&mut self.blocks, room, now)
    }

    /// Banned users and their end times.
    pub fn banned(&mut self, now: i64) -> Vec<(String, i64)> {
        self.bans.retain(|_, until| *until > now);
        self.bans.iter().map(|(u, t)| (u.clone(), *t)).collect()
    }

    /// Whether `user` is a protected member of `room`.
    pub fn protected_user(&self, room: &str, user: &str) -> bool {
        self.user_whitelist
            .get(room)
            .is_some_and(|users| users.contains(user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutes_and_blocks_lapse_and_bans_cover_every_room() {
        let mut m = Moderation::default();
        m.gags.insert(("r".into(), "u".into()), 100);
        m.bans.insert("b".into(), 100);
        m.blocks.insert(("r".into(), "k".into()), 100);
        assert!(m.muted("r", "u", 50) && !m.muted("other", "u", 50));
        assert!(!m.muted("r", "u", 100));
        assert!(m.muted("any", "b", 99));
        assert!(m.blocked("r", "k", 99) && !m.blocked("r", "k", 101));
        assert_eq!(m.gagged("r", 50), [("u".to_owned(), 100)]);
        assert!(m.gagged("r", 150).is_empty() && m.banned(150).is_empty());
    }

    #[test]
    fn restored_settings_skip_lapsed_mutes_and_keep_lists() {
        let m = Moderation::restore(
            &[
                setting(GAG, "r", "u", 100),
                setting(BAN, "", "old", 10),
                setting(KEEPALIVE, "k", "", 0),
                setting(LOW, "", "App:Like", 0),
                setting("unknown", "", "x", 0),
            ],
            50,
        );
        assert!(m.muted("r", "u", 50));
        assert!(!m.muted("any", "old", 50));
        assert!(m.keepalive.contains("k"));
        assert!(m.low_priority.contains("App:Like"));
    }
}
