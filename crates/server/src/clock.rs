//! Server time and identifiers.
//!
//! Every stored message gets a `dataTime` from one [`Clock`] that never repeats a value, so the
//! time cursors of `pullMsg` (api.md §5.2) can never skip a message that shares a millisecond with
//! another. The message UId is derived from that time, the [`NodeId`] of the server that made it
//! and random bits (api.md §4.5): a node never makes the same UId twice (its times are unique),
//! and two nodes with different ids never make the same one.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Wall-clock milliseconds since the Unix epoch.
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The id of one server among those that share a store (`IM_NODE_ID`): 0–1023, distinct per
/// node. It is part of every message UId the node makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(try_from = "u32")]
pub struct NodeId(u16);

impl NodeId {
    /// The largest node id (10 bits of the UId).
    pub const MAX: u16 = 1023;

    /// The id as a number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u32> for NodeId {
    type Error = String;

    fn try_from(v: u32) -> Result<Self, String> {
        u16::try_from(v)
            .ok()
            .filter(|v| *v <= Self::MAX)
            .map(Self)
            .ok_or_else(|| format!("a node id is 0 to {}, not {v}", Self::MAX))
    }
}

impl std::str::FromStr for NodeId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let v: u32 = s
            .trim()
            .parse()
            .map_err(|_| format!("a node id is 0 to {}, not {s:?}", Self::MAX))?;
        Self::try_from(v)
    }
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A strictly increasing millisecond clock of one node: each [`Clock::next`] is greater than
/// every earlier value, and never behind the wall clock. Under more than 1,000 messages per
/// second it runs ahead of the wall clock and catches up when the load falls.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    last: Arc<AtomicI64>,
    node: NodeId,
}

impl Clock {
    /// A clock of node 0 whose first value is greater than `floor` (e.g. the newest stored
    /// time).
    pub fn starting_after(floor: i64) -> Self {
        Self::of_node(NodeId::default(), floor)
    }

    /// A clock of `node` whose first value is greater than `floor`.
    pub fn of_node(node: NodeId, floor: i64) -> Self {
        Self {
            last: Arc::new(AtomicI64::new(floor)),
            node,
        }
    }

    /// The node whose clock this is.
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The UId of a message this node gives `time` (a value of [`Clock::next`]).
    pub fn uid(&self, time: i64) -> String {
        message_uid(time, self.node)
    }

    /// The next unique time.
    pub fn next(&self) -> i64 {
        let now = wall_ms();
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let candidate = now.max(last.saturating_add(1));
            match self.last.compare_exchange_weak(
                last,
                candidate,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return candidate,
                Err(seen) => last = seen,
            }
        }
    }

    /// Makes every later [`Clock::next`] greater than `time`, a time given out elsewhere (by a
    /// store that nodes share).
    pub fn observe(&self, time: i64) {
        self.last.fetch_max(time, Ordering::AcqRel);
    }

    /// The newest time handed out (or the wall clock if that is later), without using a value.
    pub fn now(&self) -> i64 {
        wall_ms().max(self.last.load(Ordering::Acquire))
    }
}

/// Fills `buf` with random bytes; falls back to time-derived bytes if the OS source fails.
pub fn random_bytes(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        let mut x = wall_ms() as u64 | 1;
        for b in buf.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
    }
}

/// A random lowercase base32 string of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    random_bytes(&mut buf);
    base32(&buf).to_ascii_lowercase()
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn symbol(v: u32) -> char {
    char::from(ALPHABET.get((v & 31) as usize).copied().unwrap_or(b'A'))
}

/// RFC 4648 base32 without padding.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = acc << 8 | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(symbol(acc >> bits));
        }
    }
    if bits > 0 {
        out.push(symbol(acc << (5 - bits)));
    }
    out
}

/// Random bits at the end of a UId.
const RANDOM_BITS: u32 = 22;

/// A message UId in RongCloud's shape (`XXXX-XXXX-XXXX-XXXX`): 80 bits = 48 bits of the unique
/// `dataTime`, 10 bits of the node that made it and 22 random bits, base32-encoded.
pub fn message_uid(data_time: i64, node: NodeId) -> String {
    let mut random = [0u8; 4];
    random_bytes(&mut random);
    let low = (u32::from(node.0) << RANDOM_BITS) | (u32::from_be_bytes(random) >> 10);
    let mut bytes = [0u8; 10];
    let t = (data_time as u64).to_be_bytes();
    bytes[..6].copy_from_slice(&t[2..]);
    bytes[6..].copy_from_slice(&low.to_be_bytes());
    let s = base32(&bytes);
    let mut out = String::with_capacity(19);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// The time and node of a UId made by [`message_uid`] (its random bits aside).
#[cfg(test)]
pub(crate) fn parts(uid: &str) -> (i64, u16) {
    let bits = uid.chars().filter(|c| *c != '-').fold(0u128, |acc, c| {
        let v = ALPHABET
            .iter()
            .position(|a| char::from(*a) == c)
            .unwrap_or(0);
        acc << 5 | v as u128
    });
    ((bits >> 32) as i64, (bits >> RANDOM_BITS & 0x3ff) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_never_repeats_a_value() {
        let c = Clock::starting_after(wall_ms() + 10_000);
        let mut prev = 0;
        for _ in 0..10_000 {
            let t = c.next();
            assert!(t > prev);
            prev = t;
        }
    }

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b""), "");
    }

    #[test]
    fn message_uids_look_like_rongcloud_ones() {
        let node = NodeId::try_from(7).unwrap();
        let uid = message_uid(1_700_000_000_123, node);
        assert_eq!(uid.len(), 19);
        assert_eq!(uid.matches('-').count(), 3);
        assert_eq!(parts(&uid), (1_700_000_000_123, 7));
        assert_ne!(uid, message_uid(1_700_000_000_124, node));
    }

    #[test]
    fn two_nodes_never_make_the_same_uid_even_at_the_same_times() {
        let floor = wall_ms();
        let nodes = [0, 1, 512, NodeId::MAX].map(|n| NodeId::try_from(u32::from(n)).unwrap());
        let mut seen = std::collections::HashSet::new();
        for node in nodes {
            // Clocks started together hand out the same times on every node.
            let clock = Clock::of_node(node, floor);
            for _ in 0..5_000 {
                let uid = clock.uid(clock.next());
                assert_eq!(parts(&uid).1, node.get(), "{uid}");
                assert!(seen.insert(uid), "a uid made twice");
            }
        }
    }

    #[test]
    fn node_ids_are_0_to_1023() {
        assert_eq!("1023".parse::<NodeId>().unwrap().get(), 1023);
        assert_eq!(" 0 ".parse::<NodeId>().unwrap(), NodeId::default());
        for bad in ["1024", "-1", "x", "", "70000"] {
            assert!(bad.parse::<NodeId>().is_err(), "{bad}");
        }
        assert!(NodeId::try_from(1024).is_err());
    }
}
