//! A sent message is stored from its PUBLISH on as SENDING (10), then SENT (30) with the
//! server's messageUId and time, or FAILED (20) on an error status or no PUBACK; `onBefore`,
//! the sent message and `getMessage` share one `messageId`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

// The same scenarios run in headless Chrome when built for wasm32 (wasm-bindgen-test).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use common::*;
use im_client::wire::content::{MessageContent, TextMessage, TypingStatusMessage};
use im_client::{Event, Message, Reply, RequestError, RequestId, SendRequest};

/// Sends `content` to bob; returns the request, the `onBefore` id and the PUBLISH id.
fn send(h: &mut Harness, content: MessageContent) -> (RequestId, u64, u16) {
    h.take();
    let id = h
        .engine
        .send_message(h.now, SendRequest::new(1, "bob", content));
    h.drain();
    let outs = h.take();
    let before = events(&outs)
        .into_iter()
        .find_map(|e| match e {
            Event::SendStarted {
                id: got,
                message_id,
            } if got == id => Some(message_id),
            _ => None,
        })
        .unwrap();
    (id, before, published(&outs)[0])
}

fn outcome(h: &mut Harness, id: RequestId) -> Result<Message, RequestError> {
    match completion(&h.take(), id).unwrap() {
        Ok(Reply::Sent { message }) => Ok((*message).clone()),
        Ok(other) => panic!("{other:?}"),
        Err(e) => Err(e),
    }
}

fn text(s: &str) -> MessageContent {
    TextMessage::new(s).into()
}

#[test]
fn a_send_is_stored_as_sending_then_sent_or_failed() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(5_000);

    let (id, before, publish) = send(&mut h, text("hello"));
    let stored = h.engine.get_message(before).unwrap();
    assert_eq!(
        (stored.sent_status, stored.message_uid.as_deref()),
        (Some(10), None)
    );
    assert_eq!(stored.sent_time, 5_000, "local time until the server's");
    h.server(puback(publish, 0, 1_600_000_000_500, "UID-OK"));
    let sent = outcome(&mut h, id).unwrap();
    assert_eq!(sent.message_id, Some(before.to_string()));
    assert_eq!(h.engine.get_message(before).as_ref(), Some(&sent));
    assert_eq!(
        (
            sent.sent_status,
            sent.message_uid.as_deref(),
            sent.sent_time
        ),
        (Some(30), Some("UID-OK"), 1_600_000_000_500)
    );

    // Refused by the server: FAILED, kept.
    let (id, before2, publish) = send(&mut h, text("blocked"));
    assert!(before2 > before);
    h.server(puback(publish, 405, 1_600_000_001_000, ""));
    let err = outcome(&mut h, id).unwrap_err();
    assert_eq!(err.code, 405);
    assert_eq!(h.engine.get_message(before2).unwrap().sent_status, Some(20));

    // No PUBACK within 30 s: FAILED too.
    let (id, before3, _) = send(&mut h, text("lost"));
    h.advance(30_000);
    assert_eq!(outcome(&mut h, id).unwrap_err().code, -1);
    assert_eq!(h.engine.get_message(before3).unwrap().sent_status, Some(20));

    // A type that is not persisted gets an id of the same counter but is not stored.
    let typing = TypingStatusMessage::new("RC:TxtMsg");
    let (id, before4, publish) = send(&mut h, typing.into());
    assert!(before4 > before3);
    h.server(puback(publish, 0, 1_600_000_002_000, "UID-T"));
    assert_eq!(
        outcome(&mut h, id).unwrap().message_id,
        Some(before4.to_string())
    );
    assert_eq!(h.engine.get_message(before4), None);

    // The store remembers each status across a restart.
    let mut again = h.restarted();
    let statuses: Vec<Option<i32>> = [before, before2, before3]
        .iter()
        .map(|id| again.engine.get_message(*id).unwrap().sent_status)
        .collect();
    assert_eq!(statuses, [Some(30), Some(20), Some(20)]);
}

#[test]
fn a_send_left_sending_by_an_earlier_run_reads_as_failed() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let (_, before, _) = send(&mut h, text("in flight"));
    assert_eq!(h.engine.get_message(before).unwrap().sent_status, Some(10));
    // The app is killed before the PUBACK: a new engine on what was stored.
    let mut again = h.restarted();
    assert_eq!(
        again.engine.get_message(before).unwrap().sent_status,
        Some(20)
    );
    // And the store says so from then on.
    again.drain();
    let mut third = again.restarted();
    assert_eq!(
        third.engine.get_message(before).unwrap().sent_status,
        Some(20)
    );
}

#[test]
fn with_the_store_off_ids_are_the_signalling_ids_and_nothing_is_kept() {
    let mut c = config();
    c.store_budget = 0;
    let mut h = Harness::new(c);
    h.connect_fully();
    let (id, before, publish) = send(&mut h, text("hello"));
    assert_eq!(before, u64::from(publish));
    assert_eq!(h.engine.get_message(before), None);
    h.server(puback(publish, 0, 1_600_000_000_500, "UID-OK"));
    assert_eq!(
        outcome(&mut h, id).unwrap().message_id,
        Some(publish.to_string())
    );
    assert!(store_keys(&h.storage, USER).is_empty());
}
