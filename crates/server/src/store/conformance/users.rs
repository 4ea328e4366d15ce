//! Users: token watermarks, blocks and blacklists.

use crate::store::{Store, UserStore};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    token_watermarks_only_rise_and_profiles_keep_them(&mut fresh());
    blocks_end_by_themselves_or_when_lifted(&mut fresh());
    a_blacklist_is_kept_per_user_in_order_of_ids(&mut fresh());
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn token_watermarks_only_rise_and_profiles_keep_them(s: &mut impl UserStore) {
    s.upsert_user("a", Some("Ann"), None).unwrap();
    assert!(s.token_watermarks().unwrap().is_empty(), "none set yet");
    s.set_token_watermark("a", 200).unwrap();
    s.set_token_watermark("a", 100).unwrap();
    s.set_token_watermark("b", 50).unwrap();
    // A profile update leaves the watermark alone.
    s.upsert_user("a", None, Some("http://p")).unwrap();
    let w = s.token_watermarks().unwrap();
    assert_eq!(
        (w.len(), w.get("a"), w.get("b")),
        (2, Some(&200), Some(&50))
    );
}

fn blocks_end_by_themselves_or_when_lifted(s: &mut impl UserStore) {
    s.block_users(&ids(&["a", "b", "c"]), 1_000).unwrap();
    s.block_users(&ids(&["b"]), 3_000).unwrap();
    s.unblock_users(&ids(&["c", "nobody"])).unwrap();
    let blocks = s.user_blocks(1_000).unwrap();
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    assert_eq!(blocks.get("b"), Some(&3_000));
    assert!(s.user_blocks(3_000).unwrap().is_empty());
    // An ended block is gone, not merely hidden.
    assert!(s.user_blocks(0).unwrap().is_empty());
}

fn a_blacklist_is_kept_per_user_in_order_of_ids(s: &mut impl UserStore) {
    s.blacklist_add("u", &ids(&["zed", "Bob", "amy", "amy"]))
        .unwrap();
    s.blacklist_add("other", &ids(&["x"])).unwrap();
    // Byte order, as SQLite sorts text: upper case first.
    assert_eq!(s.blacklist("u").unwrap(), ["Bob", "amy", "zed"]);
    assert!(s.is_blacklisted("u", "amy").unwrap());
    assert!(!s.is_blacklisted("amy", "u").unwrap());
    s.blacklist_remove("u", &ids(&["amy", "nobody"])).unwrap();
    assert_eq!(s.blacklist("u").unwrap(), ["Bob", "zed"]);
    assert!(s.blacklist("nobody").unwrap().is_empty());
}
