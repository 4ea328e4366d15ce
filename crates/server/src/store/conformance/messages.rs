//! Messages, sync, history, deletions, recalls and conversation lists.

use super::{store_private, store_text};
use crate::store::{
    Batch, ConversationStore, Message, MessageRef, MessageStore, SettingsStore, Store, UserStore,
    RECEIVED, SENT,
};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    history_finds_a_conversation_under_any_of_the_types_of_its_topic(&mut fresh());
    a_client_id_is_recorded_in_the_transaction_of_its_message(&mut fresh());
    pulls_page_by_time_and_bytes_and_see_both_directions(&mut fresh());
    history_pages_both_ways_and_deletions_refresh_the_conversation(&mut fresh());
    a_recall_marks_the_stored_message(&mut fresh());
    unsynced_sees_received_messages_newer_than_the_stored_sync_time_and_the_floor(&mut fresh());
    text_with_a_nul_character_is_stored_and_found_again(&mut fresh());
}

fn history_finds_a_conversation_under_any_of_the_types_of_its_topic(s: &mut impl MessageStore) {
    let stored = store_text(s, 8, "service", "u", RECEIVED);
    let page = s.history("u", &[1, 7, 8], "service", 0, 20, false).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].message.uid, stored.uid);
    let none = s.history("u", &[1], "service", 0, 20, false).unwrap();
    assert!(none.items.is_empty());
}

fn a_client_id_is_recorded_in_the_transaction_of_its_message(s: &mut (impl Batch + MessageStore)) {
    let msg = Message {
        conv_type: 1,
        from_user: "p".into(),
        target_id: "u".into(),
        object_name: "RC:TxtMsg".into(),
        content: br#"{"content":"hi"}"#.to_vec(),
        tag: 3,
        ..Message::default()
    };
    let insert = |s: &mut dyn MessageStore| {
        let mut m = msg.clone();
        s.insert_message(&mut m, &[], Some("c1")).unwrap();
        m
    };
    // A batch that is discarded keeps neither the message nor its id.
    s.begin_batch().unwrap();
    let lost = insert(s);
    assert_eq!(
        s.sent_with_client_id("p", "c1").unwrap(),
        Some((lost.uid.clone(), lost.data_time)),
        "seen inside its batch"
    );
    s.rollback_batch();
    assert_eq!(s.sent_with_client_id("p", "c1").unwrap(), None);
    assert_eq!(s.find_message(&lost.uid).unwrap(), None);

    let kept = insert(s);
    let found = s.sent_with_client_id("p", "c1").unwrap();
    assert_eq!(found, Some((kept.uid.clone(), kept.data_time)));
    assert_eq!(s.sent_with_client_id("u", "c1").unwrap(), None);

    // Forgotten once older than the retention; the message itself stays.
    assert_eq!(s.forget_client_ids(kept.data_time).unwrap(), 0);
    assert!(s.sent_with_client_id("p", "c1").unwrap().is_some());
    assert_eq!(s.forget_client_ids(kept.data_time + 1).unwrap(), 1);
    assert_eq!(s.sent_with_client_id("p", "c1").unwrap(), None);
    assert!(s.find_message(&kept.uid).unwrap().is_some());
}

fn pulls_page_by_time_and_bytes_and_see_both_directions(
    s: &mut (impl MessageStore + ConversationStore),
) {
    let m: Vec<Message> = (0..6)
        .map(|i| {
            let (from, to) = if i % 2 == 0 { ("a", "b") } else { ("b", "a") };
            store_private(s, from, to, &i.to_string())
        })
        .collect();
    assert!(m.windows(2).all(|w| w[0].data_time < w[1].data_time));
    assert!(m.iter().all(|x| !x.uid.is_empty()));

    // "b" received 0, 2, 4 and sent 1, 3, 5: one pull sees them all, oldest first.
    let all = s.pull("b", 0, 0, 100, 1 << 20).unwrap();
    let times: Vec<i64> = all.items.iter().map(|i| i.message.data_time).collect();
    let expected: Vec<i64> = m.iter().map(|x| x.data_time).collect();
    assert_eq!(times, expected);
    assert!(!all.more);
    assert_eq!(all.items[0].direction, RECEIVED);
    assert_eq!(all.items[0].conv_target, "a");
    assert_eq!(all.items[1].direction, SENT);
    assert_eq!(all.items[1].message.content, br#"{"content":"1"}"#);

    // Separate cursors per direction.
    let page = s
        .pull("b", m[2].data_time, m[3].data_time, 100, 1 << 20)
        .unwrap();
    let times: Vec<i64> = page.items.iter().map(|i| i.message.data_time).collect();
    assert_eq!(times, [m[4].data_time, m[5].data_time]);

    // Limits: a count, and bytes (always at least one message).
    let two = s.pull("b", 0, 0, 2, 1 << 20).unwrap();
    assert_eq!((two.items.len(), two.more), (2, true));
    let one = s.pull("b", 0, 0, 100, 1).unwrap();
    assert_eq!((one.items.len(), one.more), (1, true));

    // The conversation list shows each conversation's newest message.
    let convs = s.conversations("b", 10).unwrap();
    let a = convs.iter().find(|c| c.conv_target == "a").unwrap();
    assert_eq!(a.message.uid, m[5].uid);
    assert_eq!(a.direction, SENT);
}

fn history_pages_both_ways_and_deletions_refresh_the_conversation(
    s: &mut (impl MessageStore + ConversationStore),
) {
    let m: Vec<Message> = (0..4)
        .map(|i| store_private(s, "a", "b", &i.to_string()))
        .collect();
    let newest = s.history("b", &[1], "a", 0, 2, false).unwrap();
    let uids: Vec<&str> = newest.items.iter().map(|i| &*i.message.uid).collect();
    assert_eq!(uids, [&*m[3].uid, &*m[2].uid]);
    assert!(newest.more);
    let after = s.history("b", &[1], "a", m[1].data_time, 10, true).unwrap();
    assert_eq!(after.items.len(), 2);
    assert_eq!(after.items[0].message.uid, m[2].uid);
    assert!(!after.more);

    // Deleting b's copy of the newest leaves a's, and b's list shows the one before.
    let refs = [MessageRef::Uid(m[3].uid.clone())];
    s.delete_messages("b", 1, "a", &refs).unwrap();
    let convs = s.conversations("b", 10).unwrap();
    assert_eq!(convs[0].message.uid, m[2].uid);
    assert_eq!(s.conversations("a", 10).unwrap()[0].message.uid, m[3].uid);
    s.delete_messages("b", 1, "a", &[MessageRef::Time(m[2].data_time)])
        .unwrap();
    assert_eq!(s.conversations("b", 10).unwrap()[0].message.uid, m[1].uid);

    // Clearing up to a time; a conversation without messages leaves the list.
    s.clean_history("b", 1, "a", m[0].data_time).unwrap();
    let left = s.history("b", &[1], "a", 0, 10, false).unwrap();
    assert_eq!(left.items.len(), 1);
    s.clean_history("b", 1, "a", m[3].data_time).unwrap();
    assert!(s.conversations("b", 10).unwrap().is_empty());

    // Removing a conversation from the list keeps its messages.
    s.delete_conversation("a", 1, "b").unwrap();
    assert!(s.conversations("a", 10).unwrap().is_empty());
    assert_eq!(
        s.history("a", &[1], "b", 0, 10, false).unwrap().items.len(),
        4
    );
}

fn a_recall_marks_the_stored_message(s: &mut impl MessageStore) {
    let m = store_private(s, "a", "b", "oops");
    assert!(!s.find_message(&m.uid).unwrap().unwrap().recalled);
    assert!(s.mark_recalled(&m.uid).unwrap());
    let found = s.find_message(&m.uid).unwrap().unwrap();
    assert!(found.recalled);
    assert_eq!(
        (found.data_time, &*found.object_name, &*found.content),
        (m.data_time, "RC:TxtMsg", &*m.content)
    );
    assert!(!s.mark_recalled("NO-SUCH-UID").unwrap());
    let pulled = s.pull("b", 0, 0, 10, 1 << 20).unwrap();
    assert!(pulled.items[0].message.recalled);
}

fn unsynced_sees_received_messages_newer_than_the_stored_sync_time_and_the_floor(
    s: &mut (impl MessageStore + SettingsStore),
) {
    fn insert(s: &mut impl MessageStore, direction: u8) -> i64 {
        store_text(s, 1, "p", "u", direction).data_time
    }
    assert!(!s.unsynced("u", 0).unwrap(), "no messages");
    insert(s, SENT);
    assert!(!s.unsynced("u", 0).unwrap(), "sent messages do not count");
    let t = insert(s, RECEIVED);
    assert!(s.unsynced("u", 0).unwrap());
    assert!(
        !s.unsynced("u", t).unwrap(),
        "not newer than the offline floor"
    );
    s.set_synced("u", t).unwrap();
    s.set_synced("u", t - 1).unwrap();
    assert!(
        !s.unsynced("u", 0).unwrap(),
        "synced up to it; an older time changes nothing"
    );
    assert!(!s.unsynced("other", 0).unwrap());
    let later = insert(s, RECEIVED);
    assert!(later > t && s.unsynced("u", 0).unwrap());
}

/// A client may send any text, NUL included: a store keeps it (PostgreSQL's text cannot hold
/// NUL, so that store puts U+FFFD in its place) rather than fail the call, and finds it again
/// under the same text.
fn text_with_a_nul_character_is_stored_and_found_again(
    s: &mut (impl Batch + MessageStore + ConversationStore + UserStore),
) {
    let odd = "a\0b";
    s.begin_batch().unwrap();
    let m = store_private(s, odd, "b", "x");
    s.blacklist_add(odd, &[odd.to_owned()]).unwrap();
    s.commit_batch().unwrap();
    assert!(s.is_blacklisted(odd, odd).unwrap());
    assert!(!s.is_blacklisted(odd, "a").unwrap());
    let page = s.history("b", &[1], odd, 0, 10, false).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].message.uid, m.uid);
    assert_eq!(s.conversations(odd, 10).unwrap().len(), 1);
}
