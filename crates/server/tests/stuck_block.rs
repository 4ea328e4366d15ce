//! A block or a token revocation ends a connection that has stopped reading: its outbound
//! queue full and the server's write to it stuck, it is closed at once (not after the write
//! timeout), and what it sends after the block is never handled or delivered.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{api, start, text, Client, GUARD};
use futures_util::{SinkExt, StreamExt};
use im_server::RunningServer;
use im_wire::frame::{ClientPublish, Qos};
use im_wire::proto::{self, UpStreamMessage};
use im_wire::{ClientFrame, ServerFrame};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

const SECRET: &str = "test-app-secret-0123456789";

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
    let first = ws.next().await.unwrap().unwrap();
    let Message::Binary(b) = first else {
        panic!("CONNACK expected")
    };
    assert!(matches!(ServerFrame::decode(&b).unwrap(), ServerFrame::ConnAck(a) if a.status == 0));
    ws
}

/// Status messages (not stored, sent as they come) from `from` to `to`: a few large ones to
/// fill the socket buffers, then small ones past the outbound queue's 1,024 items.
async fn flood(from: &mut Client, to: &str) {
    let mut up = text(&"x".repeat(100_000));
    up.session_id = 0;
    for _ in 0..40 {
        assert_eq!(from.publish("ppMsgP", to, &up).await.status, 0);
    }
    let mut small = text("s");
    small.session_id = 0;
    for _ in 0..1_100 {
        assert_eq!(from.publish("ppMsgP", to, &small).await.status, 0);
    }
}

async fn stuck_user_is_closed_by(path: &str, form: impl FnOnce() -> String) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        // Long enough that the write timeout is not what ends the stuck connection.
        c.write_timeout_secs = 60;
        c.rate_per_sec = 100_000;
        c.rate_burst = 100_000;
    })
    .await;
    let mut alice = stuck_client(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;
    flood(&mut bob, "alice").await;

    let (status, _) = api(server.addr, SECRET, path, &form()).await;
    assert_eq!(status, 200, "{path}");
    // Sent after the block; the server must not handle it.
    let late = UpStreamMessage {
        session_id: 3,
        ..text("after the block")
    };
    alice
        .send(Message::Binary(
            ClientFrame::Publish(ClientPublish {
                qos: Qos::AtLeastOnce,
                topic: "ppMsgP".into(),
                target_id: "carol".into(),
                msg_id: 77,
                payload: proto::encode(&late),
            })
            .encode()
            .unwrap()
            .into(),
        ))
        .await
        .unwrap();

    let since = Instant::now();
    while server.state().hub.is_online("alice") {
        assert!(
            since.elapsed() < GUARD,
            "the stuck connection stays registered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Its socket ends after what was already written to it, with no PUBACK for the late send.
    loop {
        let next = tokio::time::timeout(GUARD, alice.next()).await.unwrap();
        match next {
            Some(Ok(Message::Binary(b))) => {
                if let Ok(ServerFrame::PubAck(a)) = ServerFrame::decode(&b) {
                    panic!("the late send was answered: {a:?}");
                }
            }
            Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            Some(Ok(_)) => {}
        }
    }
    assert!(carol.sync().await.is_empty(), "nothing reached carol");

    // The server is healthy: a fresh user sends and receives.
    let mut dave = Client::connect(&server, "dave").await;
    assert_eq!(dave.publish("ppMsgP", "carol", &text("hi")).await.status, 0);
    carol.wait_notify().await;
    assert_eq!(carol.sync().await.len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_block_closes_a_connection_whose_queue_is_full_and_ignores_its_later_sends() {
    stuck_user_is_closed_by("/user/block.json", || "userId=alice&minute=10".into()).await;
}

#[tokio::test]
async fn a_token_revocation_closes_a_connection_whose_queue_is_full() {
    stuck_user_is_closed_by("/user/token/expire.json", || {
        format!("userId=alice&time={}", im_server::clock::wall_ms() + 1)
    })
    .await;
}
