//! A client that reads too slowly is disconnected once its outbound queue holds more bytes than
//! its budget, and loses nothing that was acknowledged: after reconnecting it pulls every stored
//! message sent to it, before and after the disconnect. The server stays healthy.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{content_of, start, text, Client, GUARD};
use futures_util::{SinkExt, StreamExt};
use im_server::RunningServer;
use im_wire::frame::{ClientFrame, Qos, Query};
use im_wire::proto::{self, SyncRequestMsg};
use im_wire::ServerFrame;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// A connection with a tiny receive buffer that reads nothing until asked to.
async fn stuck_client(server: &RunningServer, user: &str) -> WebSocketStream<TcpStream> {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let tcp = socket.connect(server.addr).await.unwrap();
    let url = format!(
        "ws://{}/websocket?appId=testkey&token={}&sdkVer=2.5.3&apiVer=1",
        server.addr,
        server.issue_token(user)
    );
    let (mut ws, _) = tokio_tungstenite::client_async(url, tcp).await.unwrap();
    let Some(Ok(Message::Binary(b))) = ws.next().await else {
        panic!("CONNACK expected")
    };
    assert!(matches!(ServerFrame::decode(&b).unwrap(), ServerFrame::ConnAck(a) if a.status == 0));
    // One pull, as clients do at connect (status messages reach a connection once it has).
    let pull = ClientFrame::Query(Query {
        qos: Qos::AtLeastOnce,
        topic: "pullMsg".into(),
        target_id: user.into(),
        msg_id: 1,
        payload: proto::encode(&SyncRequestMsg::default()),
    });
    ws.send(Message::Binary(pull.encode().unwrap().into()))
        .await
        .unwrap();
    loop {
        let Some(Ok(Message::Binary(b))) = ws.next().await else {
            panic!("a pull reply expected")
        };
        if matches!(ServerFrame::decode(&b).unwrap(), ServerFrame::QueryAck(_)) {
            return ws;
        }
    }
}

#[tokio::test]
async fn a_slow_reader_over_its_byte_budget_is_disconnected_and_pulls_everything_after() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.outbound_queue_bytes = 1024 * 1024;
        // Long enough that the write timeout is not what ends the slow reader.
        c.write_timeout_secs = 60;
        c.rate_per_sec = 100_000;
        c.rate_burst = 100_000;
    })
    .await;
    let mut alice = stuck_client(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    // Stored messages (alice is told with small notifications) and large status messages
    // (sent as they come, so they wait in alice's queue), until alice is let go.
    let big = "x".repeat(100_000);
    let mut status = text(&big);
    status.session_id = 0;
    let mut sent = Vec::new();
    for i in 0..200 {
        let words = format!("m{i}");
        assert_eq!(
            bob.publish("ppMsgP", "alice", &text(&words)).await.status,
            0
        );
        sent.push(words);
        assert_eq!(bob.publish("ppMsgP", "alice", &status).await.status, 0);
        if !server.state().hub.is_online("alice") {
            break;
        }
    }
    let since = Instant::now();
    while server.state().hub.is_online("alice") {
        assert!(
            since.elapsed() < GUARD,
            "the slow reader is still connected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // At 100 KB a status message, the 1 MiB budget is reached after a dozen or so.
    assert!(sent.len() < 100, "disconnected after {} rounds", sent.len());
    for i in sent.len()..sent.len() + 3 {
        let words = format!("m{i}");
        assert_eq!(
            bob.publish("ppMsgP", "alice", &text(&words)).await.status,
            0
        );
        sent.push(words);
    }
    // The old socket ends.
    loop {
        match tokio::time::timeout(GUARD, alice.next()).await.unwrap() {
            Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            Some(Ok(_)) => {}
        }
    }

    let mut alice = Client::connect(&server, "alice").await;
    let got: Vec<String> = alice.sync().await.iter().map(content_of).collect();
    assert_eq!(got, sent, "every stored message, once, in order");

    // Healthy: a fresh user sends and receives.
    let mut carol = Client::connect(&server, "carol").await;
    assert_eq!(bob.publish("ppMsgP", "carol", &text("hi")).await.status, 0);
    carol.wait_notify().await;
    assert_eq!(carol.sync().await.len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn notifications_refused_by_a_queue_full_of_items_are_followed_by_one_when_it_drains() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.outbound_queue_items = 2;
        c.outbound_queue_bytes = 64 * 1024 * 1024;
        c.write_timeout_secs = 60;
        c.rate_per_sec = 100_000;
        c.rate_burst = 100_000;
    })
    .await;
    let mut alice = stuck_client(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    // Large status messages (sent as they come, not stored): far more than the socket buffers
    // hold, so alice's writer is stuck on one and her queue is full of them.
    let mut status = text(&"x".repeat(100_000));
    status.session_id = 0;
    for _ in 0..80 {
        assert_eq!(bob.publish("ppMsgP", "alice", &status).await.status, 0);
    }
    // Stored messages now: every notification of them is refused by the full queue.
    let mut last = 0;
    for i in 0..20 {
        let ack = bob
            .publish("ppMsgP", "alice", &text(&format!("m{i}")))
            .await;
        assert_eq!(ack.status, 0);
        last = ack.date;
    }
    // Alice reads again: the status messages that fit, then one notification for the rest.
    let mut statuses = 0;
    let notified = loop {
        let frame = match tokio::time::timeout(GUARD, alice.next()).await.unwrap() {
            Some(Ok(Message::Binary(b))) => ServerFrame::decode(&b).unwrap(),
            Some(Ok(_)) => continue,
            other => panic!("connection ended: {other:?}"),
        };
        let ServerFrame::Publish(p) = frame else {
            continue;
        };
        match p.topic.as_str() {
            "s_msg" => statuses += 1,
            "s_ntf" => break p,
            other => panic!("unexpected {other}"),
        }
    };
    assert!(
        (1..80).contains(&statuses),
        "{statuses} status messages, some refused"
    );
    let ntf: im_wire::proto::NotifyMsg = im_wire::proto::decode(&notified.payload).unwrap();
    assert!(
        ntf.time.unwrap() >= i64::from(last) * 1000,
        "the notification covers the last stored message"
    );
    // Healthy: bob still gets answers, and alice's messages are all there to pull.
    let mut again = Client::connect(&server, "alice2").await;
    assert_eq!(bob.publish("ppMsgP", "alice2", &text("hi")).await.status, 0);
    again.wait_notify().await;
    drop(alice);
    let mut alice = Client::connect(&server, "alice").await;
    assert_eq!(alice.sync().await.len(), 20);
    server.stop().await;
}
