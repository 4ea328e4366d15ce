//! Direct delivery (api.md §5.1, crates/server/src/session/delivery.rs): a connection whose
//! last pull finished gets stored messages as `s_msg` with the message itself; before that, or
//! while a pull is unfinished, it is told by `s_ntf` and pulls. Either way every message arrives
//! once, in the order of its time, and stays pullable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{content_of, start, text, Client};
use im_wire::frame::Qos;
use im_wire::proto::{self, DownStreamMessage, SyncRequestMsg, UpStreamMessage};
use im_wire::ServerFrame;

/// The next `s_ntf` or `s_msg` of `c`.
async fn next_news(c: &mut Client) -> im_wire::frame::ServerPublish {
    let f = c
        .recv_matching(
            |f| matches!(f, ServerFrame::Publish(p) if p.topic == "s_ntf" || p.topic == "s_msg"),
        )
        .await;
    let ServerFrame::Publish(p) = f else {
        unreachable!()
    };
    p
}

#[tokio::test]
async fn a_caught_up_connection_gets_the_message_itself_and_others_a_notification() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    // Before bob's first pull: a notification.
    let first = alice.publish("ppMsgP", "bob", &text("one")).await;
    assert_eq!(next_news(&mut bob).await.topic, "s_ntf");
    let got: Vec<String> = bob.sync().await.iter().map(content_of).collect();
    assert_eq!(got, ["one"]);

    // Caught up: the message itself, QoS 1, as the pull would have returned it.
    let second = alice.publish("ppMsgP", "bob", &text("two")).await;
    let p = next_news(&mut bob).await;
    assert_eq!((p.topic.as_str(), p.qos), ("s_msg", Qos::AtLeastOnce));
    let m: DownStreamMessage = proto::decode(&p.payload).unwrap();
    assert_eq!(content_of(&m), "two");
    assert_eq!(m.from_user_id, "alice");
    assert_eq!(m.data_time, i64::try_from(second.timestamp()).unwrap());
    assert_eq!(m.msg_id.as_deref(), Some(second.message_uid.as_str()));
    // A pull that crossed it (the box it was asked from is older) does not bring it again.
    let stale = SyncRequestMsg {
        sync_time: i64::try_from(first.timestamp()).unwrap(),
        send_box_sync_time: Some(i64::MAX),
        ..SyncRequestMsg::default()
    };
    let ack = bob
        .query("pullMsg", "bob", proto::encode(&stale), Qos::AtLeastOnce)
        .await;
    let reply: proto::DownStreamMessages = proto::decode(&ack.payload).unwrap();
    assert!(reply.list.is_empty(), "{:?}", reply.list);
    assert_eq!(reply.finished, Some(true));

    // Still stored: a new connection pulls both.
    let mut again = Client::connect(&server, "bob").await;
    let all: Vec<String> = again.sync().await.iter().map(content_of).collect();
    assert_eq!(all, ["one", "two"]);
    server.stop().await;
}

#[tokio::test]
async fn while_a_pull_is_unfinished_messages_are_announced_and_status_messages_wait_for_the_finished_reply(
) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.pull_batch = 2).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    for i in 0..5 {
        assert_eq!(
            alice
                .publish("ppMsgP", "bob", &text(&format!("m{i}")))
                .await
                .status,
            0
        );
    }
    // Bob's first pull gets two of five and is unfinished.
    let (items, finished) = bob.pull_once().await;
    assert_eq!((items.len(), finished), (2, false));
    let newest = items[1].data_time;

    // A status message now is not sent (2.5.3 would drop an s_msg while its pull is
    // unfinished); it waits for the finished pull reply.
    let typing = UpStreamMessage {
        session_id: 0,
        classname: "RC:TypSts".into(),
        content: br#"{"typingContentType":"RC:TxtMsg"}"#.to_vec(),
        ..UpStreamMessage::default()
    };
    let typed = alice.publish("ppMsgP", "bob", &typing).await;
    assert_eq!(typed.status, 0);
    // A stored message now is announced, not sent.
    assert_eq!(alice.publish("ppMsgP", "bob", &text("m5")).await.status, 0);
    loop {
        let p = next_news(&mut bob).await;
        assert_eq!(p.topic, "s_ntf", "nothing is sent directly");
        let n: proto::NotifyMsg = proto::decode(&p.payload).unwrap();
        if n.time > Some(newest) {
            break;
        }
    }
    // The finished reply brings the status message among the stored ones, by its own time.
    let rest = bob.sync().await;
    let names: Vec<(String, String)> = rest
        .iter()
        .map(|m| (m.classname.clone(), content_of(m)))
        .collect();
    assert_eq!(
        names,
        [
            ("RC:TxtMsg".into(), "m2".into()),
            ("RC:TxtMsg".into(), "m3".into()),
            ("RC:TxtMsg".into(), "m4".into()),
            ("RC:TypSts".into(), String::new()),
            ("RC:TxtMsg".into(), "m5".into()),
        ]
    );
    assert_eq!(rest[3].data_time, i64::try_from(typed.timestamp()).unwrap());
    server.stop().await;
}

#[tokio::test]
async fn concurrent_senders_reach_a_receiver_once_each_in_time_order() {
    const SENDERS: usize = 8;
    const EACH: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.rate_per_sec = 100_000;
        c.rate_burst = 100_000;
    })
    .await;
    let mut bob = Client::connect_synced(&server, "bob").await;
    let mut senders = Vec::new();
    for s in 0..SENDERS {
        let mut c = Client::connect(&server, &format!("s{s}")).await;
        senders.push(tokio::spawn(async move {
            let mut uids = Vec::new();
            for i in 0..EACH {
                let ack = c.publish("ppMsgP", "bob", &text(&format!("{s}-{i}"))).await;
                assert_eq!(ack.status, 0);
                uids.push(ack.message_uid);
            }
            uids
        }));
    }
    // Bob behaves as a client: takes s_msg, pulls on s_ntf.
    let mut got: Vec<DownStreamMessage> = Vec::new();
    while got.len() < SENDERS * EACH {
        bob.wait_notify().await;
        got.extend(bob.sync().await);
    }
    let mut sent = Vec::new();
    for s in senders {
        sent.extend(s.await.unwrap());
    }
    let times: Vec<i64> = got.iter().map(|m| m.data_time).collect();
    assert!(
        times.windows(2).all(|w| w[0] < w[1]),
        "in time order, none twice"
    );
    let mut uids: Vec<String> = got.iter().map(|m| m.msg_id.clone().unwrap()).collect();
    uids.sort();
    sent.sort();
    assert_eq!(uids, sent, "every acknowledged message, once");
    // Per sender, in the order sent.
    for s in 0..SENDERS {
        let mine: Vec<String> = got
            .iter()
            .map(content_of)
            .filter(|c| c.starts_with(&format!("{s}-")))
            .collect();
        let expected: Vec<String> = (0..EACH).map(|i| format!("{s}-{i}")).collect();
        assert_eq!(mine, expected);
    }
    server.stop().await;
}
