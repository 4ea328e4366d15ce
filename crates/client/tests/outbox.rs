//! The outbox (`Config::outbox`): a send made while disconnected, or left without its PUBACK by a
//! lost connection, waits (persisted) and is published once a connection is back, per
//! conversation in order, with one client message id for all its publishes; it completes with
//! its PUBACK, with a refusal, or after the expiry.
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
use im_client::wire::enums::ConversationType;
use im_client::wire::frame::ClientPublish;
use im_client::wire::proto::{self, DownStreamMessage, UpStreamMessage};
use im_client::wire::ClientFrame;
use im_client::{Config, Event, Message, Output, Reply, RequestError, RequestId, SendRequest};

fn outbox_config() -> Config {
    let mut c = config();
    c.outbox = true;
    c
}

fn text(s: &str) -> MessageContent {
    TextMessage::new(s).into()
}

/// Sends `s` to `to` (private); returns the request.
fn send(h: &mut Harness, to: &str, s: &str) -> RequestId {
    let id = h
        .engine
        .send_message(h.now, SendRequest::new(1, to, text(s)));
    h.drain();
    id
}

/// The PUBLISHes in `outputs` with their decoded `UpStreamMessage`.
fn publishes(outputs: &[Output]) -> Vec<(ClientPublish, UpStreamMessage)> {
    sent_frames(outputs)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Publish(p) => {
                let up = proto::decode(&p.payload).unwrap();
                Some((p, up))
            }
            _ => None,
        })
        .collect()
}

/// The text of a published message.
fn text_in(up: &UpStreamMessage) -> String {
    let v: serde_json::Value = serde_json::from_slice(&up.content).unwrap();
    v["content"].as_str().unwrap().to_owned()
}

/// The `onBefore` ids of the sends in `outputs`, by request.
fn started(outputs: &[Output]) -> Vec<(RequestId, u64)> {
    events(outputs)
        .into_iter()
        .filter_map(|e| match e {
            Event::SendStarted { id, message_id } => Some((id, message_id)),
            _ => None,
        })
        .collect()
}

/// Every completion in `outputs`.
fn completions(outputs: &[Output]) -> Vec<(RequestId, Result<Reply, RequestError>)> {
    events(outputs)
        .into_iter()
        .filter_map(|e| match e {
            Event::RequestCompleted { id, result } => Some((id, result)),
            _ => None,
        })
        .collect()
}

fn sent(result: Result<Reply, RequestError>) -> Message {
    match result {
        Ok(Reply::Sent { message }) => (*message).clone(),
        other => panic!("{other:?}"),
    }
}

/// Connected, then the connection is lost (a reconnection is scheduled).
fn connected_then_lost(config: Config) -> Harness {
    let mut h = Harness::new(config);
    h.connect_fully();
    h.advance_to(5_000);
    h.close(1006);
    h.take();
    h
}

/// The scheduled reconnection up to CONNACK 0; returns what the engine sent meanwhile.
fn reconnect(h: &mut Harness) -> Vec<Output> {
    h.advance_to(h.deadline);
    h.answer_probe_and_accept();
    h.take()
}

/// `connect` again after a disconnect or logout, up to CONNACK 0; returns what the engine sent.
fn connect_again(h: &mut Harness) -> Vec<Output> {
    assert!(h.connect(TOKEN));
    let (id, url) = take_http(&h.outputs).into_iter().next().unwrap();
    if url.contains("/navi") {
        h.take();
        h.http(id, 200, &navi_body());
    }
    h.answer_probe_and_accept();
    h.take()
}

/// Whether the first PUBLISH in `outputs` comes before the `pullMsg` QUERY.
fn published_before_the_pull(outputs: &[Output]) -> bool {
    let frames = sent_frames(outputs);
    let first_publish = frames
        .iter()
        .position(|f| matches!(f, ClientFrame::Publish(_)));
    let pull = frames
        .iter()
        .position(|f| matches!(f, ClientFrame::Query(q) if q.topic == "pullMsg"));
    matches!((first_publish, pull), (Some(p), Some(q)) if p < q)
}

#[test]
fn sends_made_while_disconnected_wait_and_go_after_connack_in_order_per_conversation() {
    let mut h = connected_then_lost(outbox_config());
    let a = send(&mut h, "bob", "a");
    let b = send(&mut h, "bob", "b");
    let c = send(&mut h, "carol", "c");
    let outs = h.take();
    assert!(publishes(&outs).is_empty(), "nothing to send on");
    assert!(completions(&outs).is_empty(), "no 30002: they wait");
    let before = started(&outs);
    assert_eq!(
        before.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [a, b, c]
    );
    // The local store and the conversation list show them as SENDING.
    for (_, local) in &before {
        assert_eq!(h.engine.get_message(*local).unwrap().sent_status, Some(10));
    }
    let bob = h
        .engine
        .conversation(ConversationType::Private, "bob")
        .unwrap();
    assert_eq!(bob.sent_status, Some(10));
    assert_eq!(text_of(bob.latest_message.as_deref().unwrap()), "b");

    // CONNACK: the oldest of each conversation goes, before the pull.
    let outs = reconnect(&mut h);
    assert!(published_before_the_pull(&outs));
    let first = publishes(&outs);
    let texts: Vec<String> = first.iter().map(|(_, up)| text_in(up)).collect();
    assert_eq!(texts, ["a", "c"]);
    let ids: Vec<&str> = first
        .iter()
        .map(|(_, up)| up.client_msg_id.as_deref().unwrap())
        .collect();
    assert!(ids[0] != ids[1] && ids.iter().all(|id| !id.is_empty() && id.len() <= 64));

    // Each PUBACK completes its send, and lets the next of its conversation go.
    h.server(puback(first[0].0.msg_id, 0, 1_600_000_000_100, "UID-A"));
    let outs = h.take();
    let done = completions(&outs);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, a);
    let m = sent(done[0].1.clone());
    assert_eq!(
        (m.message_uid.as_deref(), m.sent_status, m.sent_time),
        (Some("UID-A"), Some(30), 1_600_000_000_100)
    );
    assert_eq!(m.message_id, Some(before[0].1.to_string()));
    let next = publishes(&outs);
    assert_eq!(next.len(), 1);
    assert_eq!(text_in(&next[0].1), "b");
    h.server(puback(first[1].0.msg_id, 0, 1_600_000_000_200, "UID-C"));
    h.server(puback(next[0].0.msg_id, 0, 1_600_000_000_300, "UID-B"));
    let done = completions(&h.take());
    assert_eq!(done.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [c, b]);
    for (_, local) in &before {
        assert_eq!(h.engine.get_message(*local).unwrap().sent_status, Some(30));
    }
    assert_eq!(
        h.engine
            .conversation(ConversationType::Private, "bob")
            .unwrap()
            .sent_status,
        Some(30)
    );
    // Sent while connected: at once, as before.
    let d = send(&mut h, "bob", "d");
    let p = publishes(&h.take());
    assert_eq!(p.len(), 1);
    h.server(puback(p[0].0.msg_id, 0, 1_600_000_000_400, "UID-D"));
    assert_eq!(completions(&h.take())[0].0, d);
}

#[test]
fn a_send_in_flight_when_the_socket_drops_is_resent_with_the_same_client_id() {
    let mut h = Harness::new(outbox_config());
    h.connect_fully();
    h.advance_to(5_000);
    let x = send(&mut h, "bob", "x");
    let outs = h.take();
    let local = started(&outs)[0].1;
    let first = publishes(&outs);
    assert_eq!(first.len(), 1);
    let cid = first[0].1.client_msg_id.clone().unwrap();

    h.close(1006);
    assert!(
        completions(&h.take()).is_empty(),
        "no −1: the outcome is unknown"
    );
    let outs = reconnect(&mut h);
    assert!(published_before_the_pull(&outs));
    let again = publishes(&outs);
    assert_eq!(again.len(), 1);
    assert_eq!(
        again[0].1, first[0].1,
        "the same message, client id included"
    );
    assert_eq!(again[0].1.client_msg_id.as_deref(), Some(cid.as_str()));
    let pull = pull_id(&outs);

    // The server had stored it: its PUBACK names the first message, and the pull that
    // brings that message back as a sent one does not deliver it again.
    h.server(puback(again[0].0.msg_id, 0, 1_600_000_000_100, "UID-X"));
    let done = completions(&h.take());
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, x);
    assert_eq!(
        sent(done[0].1.clone()).message_uid.as_deref(),
        Some("UID-X")
    );
    let own = DownStreamMessage {
        from_user_id: USER.into(),
        r#type: 1,
        group_id: Some("bob".into()),
        classname: "RC:TxtMsg".into(),
        content: br#"{"content":"x","extra":""}"#.to_vec(),
        data_time: 1_600_000_000_100,
        msg_id: Some("UID-X".into()),
        direction: Some(1),
        ..Default::default()
    };
    h.server(pull_reply(pull, vec![own], 1_600_000_000_100, true));
    assert!(received(&h.take()).is_empty());
    assert_eq!(h.engine.get_message(local).unwrap().sent_status, Some(30));

    // No PUBACK within 30 s on a live connection: published again, same id.
    send(&mut h, "bob", "y");
    let first = publishes(&h.take());
    h.advance(30_000);
    let outs = h.take();
    assert!(completions(&outs).is_empty());
    let again = publishes(&outs);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].1.client_msg_id, first[0].1.client_msg_id);
    assert_ne!(again[0].0.msg_id, first[0].0.msg_id);
    // A late PUBACK of the first publish finds nothing; the second's completes.
    h.server(puback(first[0].0.msg_id, 0, 1_600_000_000_200, "UID-Y"));
    assert!(completions(&h.take()).is_empty());
    h.server(puback(again[0].0.msg_id, 0, 1_600_000_000_200, "UID-Y"));
    assert_eq!(completions(&h.take()).len(), 1);
}

#[test]
fn a_refusal_completes_with_its_status_and_too_fast_is_tried_again_first() {
    let mut h = Harness::new(outbox_config());
    h.connect_fully();
    h.advance_to(5_000);
    let r = send(&mut h, "bob", "refused");
    let after = send(&mut h, "bob", "after");
    let outs = h.take();
    let local = started(&outs)[0].1;
    let first = publishes(&outs);
    assert_eq!(first.len(), 1, "one at a time per conversation");

    // Too fast: not an answer; the same send again after a pause, still before "after".
    h.server(puback(first[0].0.msg_id, 20604, 0, ""));
    let outs = h.take();
    assert!(completions(&outs).is_empty() && publishes(&outs).is_empty());
    h.advance(1_999);
    assert!(publishes(&h.take()).is_empty());
    h.advance(1);
    let again = publishes(&h.take());
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].1, first[0].1);

    // Blacklisted: the callback's error, FAILED in the store; then the next one goes.
    h.server(puback(again[0].0.msg_id, 405, 1_600_000_000_000, ""));
    let outs = h.take();
    let done = completions(&outs);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, r);
    let err = done[0].1.clone().unwrap_err();
    assert_eq!(err.code, 405);
    assert_eq!(err.message.unwrap().sent_status, Some(20));
    assert_eq!(h.engine.get_message(local).unwrap().sent_status, Some(20));
    let next = publishes(&outs);
    assert_eq!(next.len(), 1);
    assert_eq!(text_in(&next[0].1), "after");
    h.server(puback(next[0].0.msg_id, 0, 1_600_000_000_100, "UID"));
    assert_eq!(completions(&h.take())[0].0, after);
}

#[test]
fn a_send_that_waits_past_its_expiry_fails_with_minus_1() {
    let mut c = outbox_config();
    c.outbox_expiry_ms = 60_000;
    let mut h = Harness::new(c);
    h.connect_fully();
    h.advance_to(5_000);
    h.engine.disconnect(h.now);
    h.drain();
    h.take();
    let q = send(&mut h, "bob", "late");
    let local = started(&h.take())[0].1;
    assert_eq!(h.deadline, 65_000, "a timer for the expiry");
    h.advance(59_999);
    assert!(completions(&h.take()).is_empty());
    h.advance(1);
    let done = completions(&h.take());
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, q);
    let err = done[0].1.clone().unwrap_err();
    assert_eq!(err.code, -1);
    assert_eq!(err.message.unwrap().sent_status, Some(20));
    assert_eq!(h.engine.get_message(local).unwrap().sent_status, Some(20));

    // Gone: the next connection sends nothing.
    assert!(publishes(&connect_again(&mut h)).is_empty());
}

/// A new engine with the outbox on, on the storage this one's host kept, after `connect`.
fn restarted(h: &mut Harness) -> Harness {
    h.write_out();
    let mut c = outbox_config();
    c.storage = h.storage.clone();
    let mut again = Harness::new(c);
    again.connect(TOKEN);
    again
}

#[test]
fn the_queue_survives_a_restart_and_its_sends_complete_silently() {
    let mut h = Harness::new(outbox_config());
    h.connect_fully();
    h.advance_to(5_000);
    send(&mut h, "bob", "in flight");
    let outs = h.take();
    let in_flight = publishes(&outs);
    let first_local = started(&outs)[0].1;
    h.close(1006);
    send(&mut h, "bob", "queued");
    let second_local = started(&h.take())[0].1;

    // The page reloads: before any connection, both read as SENDING (not FAILED, which is
    // what the store makes of a send an earlier run left unanswered).
    let mut again = restarted(&mut h);
    for local in [first_local, second_local] {
        assert_eq!(
            again.engine.get_message(local).unwrap().sent_status,
            Some(10)
        );
    }
    let bob = again
        .engine
        .conversation(ConversationType::Private, "bob")
        .unwrap();
    assert_eq!(text_of(bob.latest_message.as_deref().unwrap()), "queued");
    assert_eq!(bob.sent_status, Some(10));

    // CONNACK: the send the first run had published goes again, with its client id.
    again.answer_probe_and_accept();
    let outs = again.take();
    assert!(published_before_the_pull(&outs));
    let resent = publishes(&outs);
    assert_eq!(resent.len(), 1);
    assert_eq!(resent[0].1, in_flight[0].1);
    again.server(puback(resent[0].0.msg_id, 0, 1_600_000_000_100, "UID-1"));
    let outs = again.take();
    assert!(completions(&outs).is_empty(), "no callback after a reload");
    let next = publishes(&outs);
    assert_eq!(text_in(&next[0].1), "queued");
    again.server(puback(next[0].0.msg_id, 0, 1_600_000_000_200, "UID-2"));
    assert!(completions(&again.take()).is_empty());

    // Both SENT in the store, and nothing left to send by a third run.
    for (local, uid) in [(first_local, "UID-1"), (second_local, "UID-2")] {
        let m = again.engine.get_message(local).unwrap();
        assert_eq!(
            (m.sent_status, m.message_uid.as_deref()),
            (Some(30), Some(uid))
        );
    }
    let mut third = restarted(&mut again);
    third.answer_probe_and_accept();
    assert!(publishes(&third.take()).is_empty());
    assert_eq!(
        third.engine.get_message(second_local).unwrap().sent_status,
        Some(30)
    );
}

#[test]
fn a_new_run_never_repeats_a_client_id_even_with_the_same_seed() {
    let mut h = connected_then_lost(outbox_config());
    send(&mut h, "bob", "one");
    let mut again = restarted(&mut h);
    again.answer_probe_and_accept();
    let first = publishes(&again.take());
    again.server(puback(first[0].0.msg_id, 0, 1_600_000_000_100, "UID-1"));
    again.take();
    send(&mut again, "bob", "two");
    let second = publishes(&again.take());
    assert_eq!(second.len(), 1);
    assert_ne!(second[0].1.client_msg_id, first[0].1.client_msg_id);
}

#[test]
fn what_the_outbox_does_not_take_fails_at_once_as_in_2x() {
    // Off (the default): 30002 while disconnected.
    let mut h = connected_then_lost(config());
    let id = send(&mut h, "bob", "no");
    let done = completions(&h.take());
    assert_eq!(done.len(), 1);
    assert_eq!(
        (done[0].0, done[0].1.clone().unwrap_err().code),
        (id, 30002)
    );

    // On, but a type that is not stored (typing status), a status message or a chatroom
    // message: 30002 too.
    let mut h = connected_then_lost(outbox_config());
    let typing = TypingStatusMessage::new("RC:TxtMsg");
    let mut status = SendRequest::new(1, "bob", text("s"));
    status.status = true;
    for req in [
        SendRequest::new(1, "bob", typing.into()),
        status,
        SendRequest::new(4, "room", text("r")),
    ] {
        h.engine.send_message(h.now, req);
        h.drain();
        let done = completions(&h.take());
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].1.clone().unwrap_err().code, 30002);
    }
}

#[test]
fn logout_fails_what_waits_and_nothing_of_it_is_sent_later() {
    let mut h = connected_then_lost(outbox_config());
    let id = send(&mut h, "bob", "never");
    let local = started(&h.take())[0].1;
    h.engine.logout(h.now);
    h.drain();
    let done = completions(&h.take());
    assert_eq!(done.len(), 1);
    assert_eq!(
        (done[0].0, done[0].1.clone().unwrap_err().code),
        (id, 30002)
    );
    assert!(publishes(&connect_again(&mut h)).is_empty());
    assert_eq!(h.engine.get_message(local).unwrap().sent_status, Some(20));
}

#[test]
fn at_most_32_sends_are_in_flight_and_those_perhaps_stored_go_first_after_a_drop() {
    let mut h = Harness::new(outbox_config());
    h.connect_fully();
    h.advance_to(5_000);
    for i in 0..40 {
        send(&mut h, &format!("peer{i}"), "hi");
    }
    let first = publishes(&h.take());
    assert_eq!(first.len(), 32, "one per conversation, 32 at once");

    // Dropped: the 32 may be stored already, so all 32 go again before the pull, and the
    // 8 never published still wait for room.
    h.close(1006);
    let outs = reconnect(&mut h);
    assert!(published_before_the_pull(&outs));
    let again = publishes(&outs);
    let ids = |p: &[(ClientPublish, UpStreamMessage)]| {
        p.iter()
            .map(|(_, up)| up.client_msg_id.clone().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&again), ids(&first));
    // Each PUBACK makes room for one more.
    h.server(puback(again[0].0.msg_id, 0, 1_600_000_000_000, "UID-0"));
    let more = publishes(&h.take());
    assert_eq!(more.len(), 1);
    assert_eq!(more[0].0.target_id, "peer32");
}

#[test]
fn a_full_outbox_takes_no_more_and_such_a_send_fails_as_in_2x() {
    let mut h = connected_then_lost(outbox_config());
    // 128 KB contents: four fit in the outbox's 512 KiB, the fifth does not.
    let big = "x".repeat(128 * 1024 - 40);
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(send(&mut h, "bob", &big));
    }
    let done = completions(&h.take());
    assert_eq!(done.len(), 1);
    assert_eq!(
        (done[0].0, done[0].1.clone().unwrap_err().code),
        (ids[4], 30002)
    );
}

#[test]
fn a_queued_send_is_written_with_its_own_drain_while_other_writes_may_wait() {
    // Without the outbox, a send's writes (its SENDING copy) are held for a moment.
    let mut h = Harness::new(config());
    h.connect_fully();
    h.write_out();
    h.take();
    send(&mut h, "bob", "held");
    assert!(persisted(&h.take()).is_empty());
    // With it, the queue is written at once, and what was held goes with it.
    let mut h = connected_then_lost(outbox_config());
    h.write_out();
    h.take();
    send(&mut h, "bob", "queued");
    let writes = persisted(&h.take());
    let queue = writes
        .get(&format!("obox_{USER}"))
        .expect("the queue written");
    assert!(queue.contains("queued"), "{queue}");
}
