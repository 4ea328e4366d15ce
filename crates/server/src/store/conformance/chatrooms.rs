//! Chatroom history, chatroom settings and chatroom entries.

use crate::clock::Clock;
use crate::store::kv::{ChatroomEntry, EntryChanges, KEPT_DELETIONS};
use crate::store::{ChatroomEntryStore, ChatroomSetting, ChatroomStore, Message, Store};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    history_pages_one_room_both_ways(&mut fresh());
    settings_are_replaced_by_kind_room_and_value(&mut fresh());
    changes_since_a_time_include_deletions_and_a_full_pull_only_live_entries(&mut fresh());
    forgotten_deletions_raise_the_floor_and_older_cursors_get_the_full_list(&mut fresh());
    auto_delete_entries_go_at_once_and_dropped_rooms_keep_newer_entries(&mut fresh());
}

fn msg(clock: &Clock, room: &str, text: &str) -> Message {
    let t = clock.next();
    Message {
        uid: clock.uid(t),
        data_time: t,
        conv_type: 4,
        from_user: "alice".into(),
        target_id: room.into(),
        object_name: "RC:TxtMsg".into(),
        content: text.as_bytes().to_vec(),
        tag: 3,
        ..Message::default()
    }
}

fn history_pages_one_room_both_ways(s: &mut impl ChatroomStore) {
    let clock = Clock::starting_after(0);
    let (a, x, b) = (
        msg(&clock, "r1", "a"),
        msg(&clock, "r2", "x"),
        msg(&clock, "r1", "b"),
    );
    for m in [&a, &x, &b] {
        s.insert_chatroom_message(m).unwrap();
    }
    let page = s.chatroom_history("r1", 0, 1, false).unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.more);
    assert_eq!(page.items[0].message.uid, b.uid);
    assert_eq!(page.items[0].message.tag, 3);
    assert_eq!(page.items[0].conv_target, "r1");
    let page = s.chatroom_history("r1", a.data_time, 10, true).unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(!page.more);
    assert_eq!(page.items[0].message.content, b"b");
    let page = s.chatroom_history("r1", b.data_time, 10, false).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].message.uid, a.uid);
}

fn setting(kind: &str, room: &str, value: &str, until: i64) -> ChatroomSetting {
    ChatroomSetting {
        kind: kind.into(),
        room: room.into(),
        value: value.into(),
        until,
    }
}

fn settings_are_replaced_by_kind_room_and_value(s: &mut impl ChatroomStore) {
    s.put_chatroom_settings(&[
        setting("gag", "r", "u1", 10),
        setting("gag", "r", "u2", 20),
        setting("keepalive", "r", "", 0),
    ])
    .unwrap();
    s.put_chatroom_settings(&[setting("gag", "r", "u1", 30)])
        .unwrap();
    let mut got = s.chatroom_settings().unwrap();
    got.sort_by(|a, b| (&a.kind, &a.value).cmp(&(&b.kind, &b.value)));
    assert_eq!(
        got,
        [
            setting("gag", "r", "u1", 30),
            setting("gag", "r", "u2", 20),
            setting("keepalive", "r", "", 0)
        ]
    );
    // The end time plays no part in a deletion.
    s.delete_chatroom_settings(&[setting("gag", "r", "u1", 0), setting("ban", "r", "u2", 0)])
        .unwrap();
    assert_eq!(s.chatroom_settings().unwrap().len(), 2);
}

fn set(key: &str, owner: &str, time: i64) -> ChatroomEntry {
    ChatroomEntry {
        key: key.into(),
        value: format!("v{time}"),
        owner: owner.into(),
        auto_delete: false,
        deleted: false,
        time,
    }
}

fn deletion(key: &str, owner: &str, time: i64) -> ChatroomEntry {
    ChatroomEntry {
        value: String::new(),
        deleted: true,
        ..set(key, owner, time)
    }
}

fn keys(c: &EntryChanges) -> Vec<&str> {
    c.entries.iter().map(|e| e.key.as_str()).collect()
}

fn changes_since_a_time_include_deletions_and_a_full_pull_only_live_entries(
    s: &mut impl ChatroomEntryStore,
) {
    s.put_chatroom_entry("r", &set("a", "ann", 10)).unwrap();
    s.put_chatroom_entry("r", &set("b", "ann", 11)).unwrap();
    s.put_chatroom_entry("other", &set("x", "bo", 12)).unwrap();
    s.put_chatroom_entry("r", &deletion("a", "bo", 13)).unwrap();
    assert_eq!(s.chatroom_entry_count("r").unwrap(), 1);
    let a = s.chatroom_entry("r", "a").unwrap().unwrap();
    assert_eq!(a, deletion("a", "bo", 13));
    assert_eq!(
        s.chatroom_entry("r", "b").unwrap(),
        Some(set("b", "ann", 11))
    );

    let since = s.chatroom_entries_since("r", 10).unwrap();
    assert!(!since.full);
    assert_eq!(keys(&since), ["b", "a"]);
    assert_eq!(since.sync_time, 13);
    let full = s.chatroom_entries_since("r", 0).unwrap();
    assert!(full.full);
    assert_eq!(keys(&full), ["b"]);
    assert_eq!(full.sync_time, 13);
    let none = s.chatroom_entries_since("r", 13).unwrap();
    assert!(none.entries.is_empty() && none.sync_time == 13);
    assert_eq!(s.chatroom_entry_rooms().unwrap(), ["other", "r"]);
}

fn forgotten_deletions_raise_the_floor_and_older_cursors_get_the_full_list(
    s: &mut impl ChatroomEntryStore,
) {
    s.put_chatroom_entry("r", &set("live", "ann", 1)).unwrap();
    let n = i64::try_from(KEPT_DELETIONS).unwrap();
    for t in 0..=n {
        let key = format!("k{t}");
        s.put_chatroom_entry("r", &set(&key, "ann", 100 + 2 * t))
            .unwrap();
        s.put_chatroom_entry("r", &deletion(&key, "ann", 101 + 2 * t))
            .unwrap();
    }
    // The oldest deletion (time 101) was forgotten.
    assert!(s.chatroom_entry("r", "k0").unwrap().is_none());
    assert!(s.chatroom_entry("r", "k1").unwrap().is_some());
    let old = s.chatroom_entries_since("r", 50).unwrap();
    assert!(old.full);
    assert_eq!(keys(&old), ["live"]);
    let recent = s.chatroom_entries_since("r", 101).unwrap();
    assert!(!recent.full);
    assert_eq!(recent.entries.len(), KEPT_DELETIONS);
}

fn auto_delete_entries_go_at_once_and_dropped_rooms_keep_newer_entries(
    s: &mut impl ChatroomEntryStore,
) {
    let auto = ChatroomEntry {
        auto_delete: true,
        ..set("seat", "ann", 5)
    };
    s.put_chatroom_entry("r", &auto).unwrap();
    s.put_chatroom_entry("r", &set("topic", "ann", 6)).unwrap();
    assert_eq!(s.auto_chatroom_entries("r", "ann", 5).unwrap(), [auto]);
    assert!(s.auto_chatroom_entries("r", "ann", 4).unwrap().is_empty());
    assert!(s.auto_chatroom_entries("r", "bo", 9).unwrap().is_empty());
    assert_eq!(s.delete_all_auto_chatroom_entries(7).unwrap(), 1);
    assert_eq!(s.delete_all_auto_chatroom_entries(8).unwrap(), 0);
    let changes = s.chatroom_entries_since("r", 6).unwrap();
    assert_eq!(keys(&changes), ["seat"]);
    assert!(changes.entries[0].deleted && changes.entries[0].value.is_empty());
    assert_eq!(changes.entries[0].time, 7);

    s.put_chatroom_entry("r", &set("late", "bo", 20)).unwrap();
    s.drop_chatroom_entries("r", 10).unwrap();
    let left = s.chatroom_entries_since("r", 8).unwrap();
    assert!(left.full, "a cursor from before the drop starts over");
    assert_eq!(keys(&left), ["late"]);
    assert_eq!(left.sync_time, 20);
    s.drop_chatroom_entries("r", 30).unwrap();
    assert!(s.chatroom_entry_rooms().unwrap().is_empty());
    assert_eq!(s.chatroom_entries_since("r", 0).unwrap().sync_time, 0);
}
