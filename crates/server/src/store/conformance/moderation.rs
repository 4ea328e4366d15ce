//! Sensitive words and group mutes.

use crate::store::moderation::SensitiveWord;
use crate::store::{ModerationStore, Store};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    the_word_limit_counts_new_words_only(&mut fresh());
    ended_member_mutes_are_dropped_and_the_rest_kept(&mut fresh());
}

fn word(w: &str) -> SensitiveWord {
    SensitiveWord {
        word: w.into(),
        replacement: None,
    }
}

fn the_word_limit_counts_new_words_only(s: &mut impl ModerationStore) {
    assert!(s.add_sensitive_word(&word("a"), 3).unwrap());
    assert!(s.add_sensitive_word(&word("b"), 3).unwrap());
    assert!(s.add_sensitive_word(&word("c"), 3).unwrap());
    assert!(!s.add_sensitive_word(&word("d"), 3).unwrap());
    let changed = SensitiveWord {
        word: "a".into(),
        replacement: Some("*".into()),
    };
    assert!(s.add_sensitive_word(&changed, 3).unwrap());
    s.remove_sensitive_words(&["b".into(), "zz".into()])
        .unwrap();
    // Oldest first; a changed word keeps its place.
    assert_eq!(s.sensitive_words().unwrap(), [changed, word("c")]);
}

fn ended_member_mutes_are_dropped_and_the_rest_kept(s: &mut impl ModerationStore) {
    s.gag_members("g", &["old".into()], 100).unwrap();
    s.gag_members("g", &["new".into(), "gone".into()], 300)
        .unwrap();
    s.gag_members("", &["everywhere".into()], i64::MAX).unwrap();
    s.ungag_members("g", &["gone".into()]).unwrap();
    s.set_group_ban(&["g".into(), "h".into()], true).unwrap();
    s.set_group_ban(&["g".into()], true).unwrap();
    s.set_group_ban(&["h".into()], false).unwrap();
    s.change_ban_whitelist("g", &["w".into(), "x".into()], true)
        .unwrap();
    s.change_ban_whitelist("g", &["x".into()], false).unwrap();
    let mut m = s.group_mutes(200).unwrap();
    m.gags.sort();
    assert_eq!(
        m.gags,
        [
            (String::new(), "everywhere".to_owned(), i64::MAX),
            ("g".to_owned(), "new".to_owned(), 300)
        ]
    );
    assert_eq!(m.banned, ["g"]);
    assert_eq!(m.whitelist, [("g".to_owned(), "w".to_owned())]);
    assert_eq!(s.group_mutes(400).unwrap().gags.len(), 1);
}
