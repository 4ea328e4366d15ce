//! Server time and identifiers.
//!
//! Every stored message gets a `dataTime` from one [`Clock`] that never repeats a value, so the
//! time cursors of `pullMsg` (api.md §5.2) can never skip a message that shares a millisecond with
//! another. The message UId is derived from that time plus random bits (api.md §4.5).

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

/// A strictly increasing millisecond clock: each [`Clock::next`] is greater than every earlier
/// value, and never behind the wall clock. Under more than 1,000 messages per second it runs
/// ahead of the wall clock and catches up when the load falls.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    last: Arc<AtomicI64>,
}

impl Clock {
    /// A clock whose first value is greater than `floor` (e.g. the newest stored time).
    pub fn starting_after(floor: i64) -> Self {
        Self {
            last: Arc::new(AtomicI64::new(floor)),
        }
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

/// A message UId in RongCloud's shape (`XXXX-XXXX-XXXX-XXXX`): 80 bits = 48 bits of the unique
/// `dataTime` and 32 random bits, base32-encoded.
pub fn message_uid(data_time: i64) -> String {
    let mut bytes = [0u8; 10];
    let t = (data_time as u64).to_be_bytes();
    bytes[..6].copy_from_slice(&t[2..]);
    random_bytes(&mut bytes[6..]);
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
        let uid = message_uid(1_700_000_000_123);
        assert_eq!(uid.len(), 19);
        assert_eq!(uid.matches('-').count(), 3);
        assert_ne!(uid, message_uid(1_700_000_000_124));
    }
}
