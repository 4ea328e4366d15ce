//! Unit tests of the store as a data structure: chunks, id map, flush and reload, eviction.

use crate::storage::Storage;

use im_wire::content::{JsonContent, MessageContent, TextMessage};

use super::edit::Origin;
use super::*;
use crate::message::{Message, Registry};

const USER: &str = "u1";

fn text(key: &ConvKey, body: &str, uid: Option<&str>, time: i64) -> Message {
    Message {
        conversation_type: key.0,
        target_id: key.1.clone(),
        sender_user_id: key.1.clone(),
        content: JsonContent::from(MessageContent::from(TextMessage::new(body))),
        object_name: "RC:TxtMsg".into(),
        message_type: "TextMessage".into(),
        message_direction: 2,
        message_uid: uid.map(str::to_owned),
        sent_time: time,
        received_time: Some(time),
        received_status: Some(1),
        sent_status: None,
        message_id: None,
        off_line_message: None,
        extra: None,
        receipt_response: None,
    }
}

fn apply(storage: &mut Storage, writes: Vec<(String, String)>) -> usize {
    let n = writes.len();
    for (k, v) in writes {
        if v.is_empty() {
            storage.remove(&k);
        } else {
            storage.insert(k, v);
        }
    }
    n
}

fn flush(store: &mut Store, storage: &mut Storage) {
    let writes = store.flush(storage);
    apply(storage, writes);
}

fn body(store: &mut Store, storage: &Storage, id: u64) -> Option<String> {
    let (key, e) = store.get(storage, id)?;
    let m = e.message(&key, &Registry::default())?;
    m.content.get("content")?.as_str().map(str::to_owned)
}

#[test]
fn messages_survive_a_flush_and_a_reload_in_time_order() {
    let mut storage = Storage::new();
    let mut store = Store::load(&storage, USER, 1 << 20);
    let bob: ConvKey = (1, "bob".into());
    let a = store.add(
        &storage,
        &bob,
        &text(&bob, "two", Some("U2"), 200),
        Origin::Server,
    );
    let b = store.add(
        &storage,
        &bob,
        &text(&bob, "three", Some("U3"), 300),
        Origin::Server,
    );
    // Older than the first server message: the stored part begins at 200.
    assert_eq!(
        store.add(
            &storage,
            &bob,
            &text(&bob, "one", Some("U1"), 100),
            Origin::Server
        ),
        None
    );
    // A local message may be older; it goes in its place.
    let c = store.add(
        &storage,
        &bob,
        &text(&bob, "local", None, 150),
        Origin::Local,
    );
    // The same messageUId again is the same message.
    assert_eq!(
        store.add(
            &storage,
            &bob,
            &text(&bob, "two", Some("U2"), 200),
            Origin::Server
        ),
        a
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert!(a < b && b < c, "ids increase: {a} {b} {c}");
    flush(&mut store, &mut storage);
    assert!(store.flush(&storage).is_empty(), "nothing left to write");

    let mut again = Store::load(&storage, USER, 1 << 20);
    assert_eq!(body(&mut again, &storage, b).as_deref(), Some("three"));
    let times: Vec<i64> = again
        .newest_before(&storage, &bob, i64::MAX, 10)
        .iter()
        .map(|e| e.time)
        .collect();
    assert_eq!(times, [300, 200, 150]);
    assert_eq!(again.convs.get(&bob).and_then(|c| c.floor), Some(199));
    assert_eq!(
        again.add(
            &storage,
            &bob,
            &text(&bob, "four", None, 400),
            Origin::Local
        ),
        Some(c + 1)
    );
}

#[test]
fn a_burst_fills_chunks_of_bounded_size_and_writes_each_once() {
    let mut storage = Storage::new();
    let mut store = Store::load(&storage, USER, 1 << 24);
    let g: ConvKey = (3, "g".into());
    for i in 0..1000 {
        let m = text(
            &g,
            &format!("message number {i} {}", "x".repeat(100)),
            None,
            i,
        );
        store.add(&storage, &g, &m, Origin::Server);
    }
    let writes = store.flush(&storage);
    let chunks = store.convs.get(&g).map_or(0, |c| c.chunks.len());
    assert!(chunks > 5, "{chunks} chunks");
    // Every chunk, the id blocks, the counter, the index root and its block: once each.
    let keys: std::collections::BTreeSet<&String> = writes.iter().map(|(k, _)| k).collect();
    assert_eq!(keys.len(), writes.len());
    assert!(
        writes.len() <= chunks + 1000 / 256 + 1 + 1 + 2,
        "{} writes",
        writes.len()
    );
    assert!(writes.iter().all(|(_, v)| v.len() <= CHUNK_BYTES));
    apply(&mut storage, writes);
    let mut again = Store::load(&storage, USER, 1 << 24);
    assert_eq!(
        again.newest_before(&storage, &g, i64::MAX, 2000).len(),
        1000
    );
}

#[test]
fn replacing_removing_and_splitting_keep_the_map_right() {
    let mut storage = Storage::new();
    let mut store = Store::load(&storage, USER, 1 << 24);
    let k: ConvKey = (1, "k".into());
    let ids: Vec<u64> = (0..40)
        .filter_map(|i| store.add(&storage, &k, &text(&k, "small", None, i), Origin::Local))
        .collect();
    // A message grown past the chunk size splits its chunk; every id still resolves.
    let big = text(&k, &"y".repeat(CHUNK_BYTES), None, 5);
    let id5 = ids.get(5).copied().unwrap_or_default();
    assert!(store.replace(&storage, id5, &big));
    for &id in &ids {
        assert!(store.get(&storage, id).is_some(), "{id}");
    }
    // A new time moves the message.
    let id0 = ids.first().copied().unwrap_or_default();
    assert!(store.replace(&storage, id0, &text(&k, "moved", None, 1000)));
    let newest = store.newest_before(&storage, &k, i64::MAX, 1);
    assert_eq!(newest.first().map(|e| e.id), Some(id0));
    assert_eq!(store.remove(&storage, id0).map(|(_, e)| e.id), Some(id0));
    assert!(store.get(&storage, id0).is_none());
    assert!(!store.replace(&storage, id0, &big));
    flush(&mut store, &mut storage);
    let mut again = Store::load(&storage, USER, 1 << 24);
    assert_eq!(
        body(&mut again, &storage, id5).map(|b| b.len()),
        Some(CHUNK_BYTES)
    );
    assert!(again.get(&storage, id0).is_none());
}

#[test]
fn over_budget_the_oldest_messages_of_any_conversation_go_first() {
    let mut storage = Storage::new();
    let budget = 6_000;
    let mut store = Store::load(&storage, USER, budget);
    let convs: Vec<ConvKey> = (0..3).map(|i| (1, format!("c{i}"))).collect();
    let mut ids = Vec::new();
    for t in 0..120i64 {
        let Some(key) = convs.get(usize::try_from(t % 3).unwrap_or(0)) else {
            continue;
        };
        let m = text(
            key,
            &format!("m{t:03} {}", "z".repeat(40)),
            Some(&format!("U{t}")),
            1000 + t,
        );
        ids.extend(
            store
                .add(&storage, key, &m, Origin::Server)
                .map(|id| (id, t)),
        );
        flush(&mut store, &mut storage);
    }
    assert!(store.total_bytes() <= budget, "{}", store.total_bytes());
    let stored: usize = storage.values().map(String::len).sum();
    assert!(stored <= budget, "storage holds {stored} bytes");
    let kept: Vec<i64> = ids
        .iter()
        .filter(|(id, _)| store.get(&storage, *id).is_some())
        .map(|(_, t)| *t)
        .collect();
    assert!(!kept.is_empty() && kept.len() < 120);
    // The newest messages stay, across conversations.
    let oldest_kept = kept.first().copied().unwrap_or_default();
    assert_eq!(kept, (oldest_kept..120).collect::<Vec<_>>());
    // An evicted message does not come back.
    let late = text(&convs[0], "late", Some("U0"), 1000);
    assert_eq!(store.add(&storage, &convs[0], &late, Origin::Server), None);
}

#[test]
fn clearing_removes_every_message_and_remembers_the_time() {
    let mut storage = Storage::new();
    let mut store = Store::load(&storage, USER, 1 << 20);
    let k: ConvKey = (3, "g".into());
    for t in [10, 20, 30] {
        store.add(&storage, &k, &text(&k, "x", None, t), Origin::Server);
    }
    flush(&mut store, &mut storage);
    assert_eq!(store.clear(&storage, &k), 3);
    flush(&mut store, &mut storage);
    assert!(!storage.keys().any(|k| k.starts_with("msgs1_")));
    let again = Store::load(&storage, USER, 1 << 20);
    assert_eq!(
        again.convs.get(&k).map(|c| (c.stop, c.chunks.len())),
        Some((30, 0))
    );
}

#[test]
fn damaged_values_are_dropped_and_the_rest_still_works() {
    let mut storage = Storage::new();
    let index = r#"{"n":"x","c":[[1,"bob",null,0,[[1,5],[2,"x"],[99,1]]],"junk",[1]]}"#;
    storage.insert(format!("msgs_{USER}"), index.to_owned());
    let chunk = "not json\n{\"i\":1,\"t\":5,\"s\":\"bob\",\"d\":2,\"o\":\"RC:TxtMsg\",\"c\":{\"content\":\"ok\"}}\n{}";
    storage.insert(format!("msgs1_{USER}"), chunk.to_owned());
    storage.insert(format!("msgn0_{USER}"), ",1,zz".to_owned());
    storage.insert(format!("msgi_{USER}"), "nope".to_owned());
    let mut store = Store::load(&storage, USER, 1 << 20);
    assert_eq!(body(&mut store, &storage, 1).as_deref(), Some("ok"));
    let bob: ConvKey = (1, "bob".into());
    let id = store.add(&storage, &bob, &text(&bob, "new", None, 10), Origin::Local);
    assert!(
        id.is_some_and(|id| id > 2),
        "after the ids the map names: {id:?}"
    );
    flush(&mut store, &mut storage);
    let mut again = Store::load(&storage, USER, 1 << 20);
    assert_eq!(again.newest_before(&storage, &bob, i64::MAX, 10).len(), 2);
}

#[test]
fn a_new_conversation_rewrites_one_index_block_not_the_whole_index() {
    let mut storage = Storage::new();
    let mut store = Store::load(&storage, USER, 1 << 24);
    for i in 0..100 {
        let k: ConvKey = (1, format!("peer{i:03}"));
        store.add(&storage, &k, &text(&k, "hi", None, 10 + i), Origin::Server);
    }
    flush(&mut store, &mut storage);
    let k: ConvKey = (1, "newcomer".into());
    store.add(&storage, &k, &text(&k, "hello", None, 500), Origin::Server);
    let writes = store.flush(&storage);
    let index: Vec<&(String, String)> = writes
        .iter()
        .filter(|(key, _)| key.starts_with("msgx") || key.starts_with("msgs_"))
        .collect();
    // Its block (slot 100: block 6) and the root, whose chunk and slot numbers moved.
    let keys: Vec<&str> = index.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, [format!("msgx6_{USER}"), format!("msgs_{USER}")]);
    assert!(index.iter().all(|(_, v)| v.len() < 600), "{index:?}");
    apply(&mut storage, writes);
    let mut again = Store::load(&storage, USER, 1 << 24);
    assert_eq!(again.convs.len(), 101);
    assert_eq!(again.newest_before(&storage, &k, i64::MAX, 10).len(), 1);
}

#[test]
fn an_index_from_before_the_blocks_is_read_and_moved_into_blocks() {
    let mut storage = Storage::new();
    let index = r#"{"n":2,"c":[[1,"bob",4,0,[[1,5]]]]}"#;
    storage.insert(format!("msgs_{USER}"), index.to_owned());
    let chunk =
        "{\"i\":1,\"t\":5,\"s\":\"bob\",\"d\":2,\"o\":\"RC:TxtMsg\",\"c\":{\"content\":\"old\"}}";
    storage.insert(format!("msgs1_{USER}"), chunk.to_owned());
    storage.insert(format!("msgn0_{USER}"), ",1".to_owned());
    let mut store = Store::load(&storage, USER, 1 << 20);
    assert_eq!(body(&mut store, &storage, 1).as_deref(), Some("old"));
    flush(&mut store, &mut storage);
    assert_eq!(
        storage.get(&format!("msgs_{USER}")).map(String::as_str),
        Some(r#"{"n":2,"s":1}"#)
    );
    assert!(storage.contains_key(&format!("msgx0_{USER}")));
    let mut again = Store::load(&storage, USER, 1 << 20);
    assert_eq!(body(&mut again, &storage, 1).as_deref(), Some("old"));
    let bob: ConvKey = (1, "bob".into());
    assert_eq!(again.convs.get(&bob).and_then(|c| c.floor), Some(4));
}
