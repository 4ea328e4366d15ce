//! User blocks (server-api.md §2.1 `user/block`, §3 item 8): a blocked user gets CONNACK 9
//! BLOCK until the block ends, and online sessions are ended with DISCONNECT 5. Blocks live in
//! memory, loaded from the store at start and written through, so a login needs no database read.

use std::collections::HashMap;
use std::sync::RwLock;

/// Block end times (ms) by user.
#[derive(Debug, Default)]
pub struct Blocks {
    until: RwLock<HashMap<String, i64>>,
}

impl Blocks {
    /// Blocks as stored: user → end time (ms).
    pub fn new(stored: HashMap<String, i64>) -> Self {
        Self {
            until: RwLock::new(stored),
        }
    }

    /// Whether `user` is blocked at `now_ms`.
    pub fn is_blocked(&self, user: &str, now_ms: i64) -> bool {
        self.until
            .read()
            .ok()
            .and_then(|m| m.get(user).copied())
            .is_some_and(|until| until > now_ms)
    }

    /// Blocks `user` until `until_ms`.
    pub fn block(&self, user: &str, until_ms: i64) {
        if let Ok(mut m) = self.until.write() {
            m.insert(user.to_owned(), until_ms);
        }
    }

    /// Ends `user`'s block.
    pub fn unblock(&self, user: &str) {
        if let Ok(mut m) = self.until.write() {
            m.remove(user);
        }
    }

    /// Users blocked at `now_ms` with their end times, by user id; ended blocks are forgotten.
    pub fn current(&self, now_ms: i64) -> Vec<(String, i64)> {
        let Ok(mut m) = self.until.write() else {
            return Vec::new();
        };
        m.retain(|_, until| *until > now_ms);
        let mut list: Vec<(String, i64)> = m.iter().map(|(u, t)| (u.clone(), *t)).collect();
        list.sort();
        list
    }
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of a time in ms since the Unix epoch.
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_lasts_until_its_end_time() {
        let b = Blocks::default();
        b.block("u", 1_000);
        assert!(b.is_blocked("u", 999));
        assert!(!b.is_blocked("u", 1_000));
        assert!(!b.is_blocked("other", 0));
        assert_eq!(b.current(500), [("u".to_owned(), 1_000)]);
        assert!(b.current(2_000).is_empty());
        b.block("u", 5_000);
        b.unblock("u");
        assert!(!b.is_blocked("u", 0));
    }

    #[test]
    fn times_format_as_utc_date_and_time() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(1_700_000_000_123), "2023-11-14 22:13:20");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00:00");
    }
}
