//! User tags, broadcasts, push records, the queries behind hourly history files, and user
//! status.

use super::store_text;
use crate::store::audience::{PushRecord, MAX_PUSH_RECORDS};
use crate::store::{
    AudienceStore, Batch, ChatroomStore, ConversationStore, Message, MessageStore, SettingsStore,
    StatusStore, Store, UserStore, RECEIVED,
};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    tags_replace_and_match_all_and_any(&mut fresh());
    messages_between_finds_a_time_range(&mut fresh());
    chatroom_messages_between_finds_a_time_range_of_one_room(&mut fresh());
    a_broadcast_reaches_registered_synced_and_online_users_but_its_sender(&mut fresh());
    push_records_keep_the_newest(&mut fresh());
    deleted_history_hours_are_remembered(&mut fresh());
    a_status_is_stored_replaced_and_removed_by_zero(&mut fresh());
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn tags_replace_and_match_all_and_any(s: &mut impl AudienceStore) {
    s.set_tags(&ids(&["a", "b"]), &ids(&["x", "y"])).unwrap();
    s.set_tags(&ids(&["c"]), &ids(&["y", "z"])).unwrap();
    s.set_tags(&ids(&["b"]), &ids(&["y"])).unwrap();
    s.set_tags(&ids(&["e"]), &ids(&["z", "x", "z"])).unwrap();
    assert_eq!(
        s.tags(&ids(&["a", "b", "d", "e", "a"])).unwrap(),
        vec![
            ("a".to_owned(), ids(&["x", "y"])),
            ("b".to_owned(), ids(&["y"])),
            ("d".to_owned(), vec![]),
            ("e".to_owned(), ids(&["z", "x"])),
            ("a".to_owned(), ids(&["x", "y"])),
        ]
    );
    assert_eq!(s.users_tagged(&ids(&["x", "y"]), &[]).unwrap(), ["a"]);
    assert_eq!(
        s.users_tagged(&[], &ids(&["x", "z"])).unwrap(),
        ["a", "c", "e"]
    );
    assert_eq!(s.users_tagged(&ids(&["y"]), &ids(&["z"])).unwrap(), ["c"]);
    assert!(s.users_tagged(&[], &[]).unwrap().is_empty());
    s.set_tags(&ids(&["a"]), &[]).unwrap();
    assert_eq!(s.tags(&ids(&["a"])).unwrap()[0].1, Vec::<String>::new());
}

fn messages_between_finds_a_time_range(s: &mut (impl AudienceStore + MessageStore)) {
    let mut times = Vec::new();
    for _ in 0..9 {
        let m = store_text(s, 1, "a", "b", RECEIVED);
        times.push(m.data_time);
    }
    let all = s.messages_between(0, i64::MAX, 0, 100).unwrap();
    assert_eq!(all.len(), 9);
    let mid = s.messages_between(times[2], times[6], 0, 100).unwrap();
    let got: Vec<i64> = mid.iter().map(|m| m.data_time).collect();
    assert_eq!(got, times[2..6]);
    let paged = s.messages_between(times[2], times[6], times[3], 1).unwrap();
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].data_time, times[4]);
    assert_eq!((paged[0].conv_type, &*paged[0].target_id), (1, "b"));
    assert!(s
        .messages_between(times[8] + 1, i64::MAX, 0, 9)
        .unwrap()
        .is_empty());
}

fn chatroom_messages_between_finds_a_time_range_of_one_room(
    s: &mut (impl AudienceStore + ChatroomStore),
) {
    let room_message = |room: &str, t: i64| Message {
        uid: format!("UID-{room}-{t}"),
        data_time: t,
        conv_type: 4,
        from_user: "dan".into(),
        target_id: room.into(),
        object_name: "RC:TxtMsg".into(),
        content: b"{}".to_vec(),
        tag: 3,
        ..Message::default()
    };
    for t in [10, 20, 30, 40] {
        s.insert_chatroom_message(&room_message("r2", t)).unwrap();
    }
    s.insert_chatroom_message(&room_message("r1", 25)).unwrap();
    assert_eq!(s.chatrooms_with_messages().unwrap(), ["r1", "r2"]);
    let times = |v: Vec<Message>| v.iter().map(|m| m.data_time).collect::<Vec<_>>();
    let got = s.chatroom_messages_between("r2", 20, 40, 0, 10).unwrap();
    assert_eq!(got[0], room_message("r2", 20));
    assert_eq!(times(got), [20, 30]);
    let after = s.chatroom_messages_between("r2", 0, 100, 20, 1).unwrap();
    assert_eq!(times(after), [30]);
}

fn a_broadcast_reaches_registered_synced_and_online_users_but_its_sender(
    s: &mut (impl AudienceStore + UserStore + SettingsStore + MessageStore + ConversationStore),
) {
    s.upsert_user("reg", None, None).unwrap();
    s.upsert_user("sys", None, None).unwrap();
    s.set_synced("synced", 5).unwrap();
    s.set_synced("reg", 5).unwrap();
    let before = store_text(s, 1, "a", "reg", RECEIVED);
    let mut stored = Message {
        conv_type: 6,
        from_user: "sys".into(),
        object_name: "RC:TxtMsg".into(),
        content: b"{}".to_vec(),
        tag: 3,
        ..Message::default()
    };
    let count = s
        .insert_broadcast(&mut stored, &ids(&["online", "reg"]))
        .unwrap();
    assert_eq!(count, 3);
    assert!(stored.data_time > before.data_time && !stored.uid.is_empty());
    for user in ["reg", "synced", "online"] {
        let page = s.pull(user, before.data_time, 0, 10, 1 << 20).unwrap();
        assert_eq!(page.items.len(), 1, "{user}");
        assert_eq!(page.items[0].message.uid, stored.uid);
        assert_eq!(page.items[0].conv_target, "sys");
        let convs = s.conversations(user, 10).unwrap();
        assert_eq!(convs[0].message.uid, stored.uid, "{user}");
    }
    assert!(s.pull("sys", 0, 0, 10, 1 << 20).unwrap().items.is_empty());
    // "online" is a user of the app from now on.
    let mut again = stored.clone();
    assert_eq!(s.insert_broadcast(&mut again, &[]).unwrap(), 3);
}

fn push_records_keep_the_newest(s: &mut (impl AudienceStore + Batch)) {
    s.begin_batch().unwrap();
    for i in 0..(MAX_PUSH_RECORDS + 3) {
        s.record_push(&PushRecord {
            id: format!("p{i}"),
            time: 1,
            request: "{}".into(),
            recipients: i,
            message_uid: (i % 2 == 0).then(|| format!("U{i}")),
        })
        .unwrap();
    }
    s.commit_batch().unwrap();
    let all = s.pushes(usize::MAX).unwrap();
    assert_eq!(all.len(), MAX_PUSH_RECORDS);
    let newest = MAX_PUSH_RECORDS + 2;
    assert_eq!(all[0].id, format!("p{newest}"));
    assert_eq!(all[0].recipients, newest);
    assert_eq!(all[0].message_uid, Some(format!("U{newest}")));
    assert_eq!(all[1].message_uid, None);
    assert_eq!(s.pushes(2).unwrap().len(), 2);
}

fn deleted_history_hours_are_remembered(s: &mut impl AudienceStore) {
    let hour = 1_700_000_000_000 / 3_600_000 * 3_600_000;
    assert!(!s.history_deleted(hour).unwrap());
    s.set_history_deleted(hour, true).unwrap();
    s.set_history_deleted(hour, true).unwrap();
    assert!(s.history_deleted(hour).unwrap());
    assert!(!s.history_deleted(hour + 3_600_000).unwrap());
    s.set_history_deleted(hour, false).unwrap();
    assert!(!s.history_deleted(hour).unwrap());
}

fn a_status_is_stored_replaced_and_removed_by_zero(s: &mut impl StatusStore) {
    let both = ids(&["a", "b"]);
    assert!(s.user_statuses(&both).unwrap().is_empty());
    s.set_user_status("a", 5).unwrap();
    s.set_user_status("a", 7).unwrap();
    s.set_user_status("b", 1).unwrap();
    assert_eq!(
        s.user_statuses(&ids(&["b", "x", "a"])).unwrap(),
        vec![("b".to_owned(), 1), ("a".to_owned(), 7)]
    );
    s.set_user_status("a", 0).unwrap();
    assert_eq!(s.user_statuses(&both).unwrap(), vec![("b".to_owned(), 1)]);
}
