//! Chatroom helpers: join (+ the join pull the client sends), live pulls, notifications.

use im_wire::frame::{Qos, QueryAck, ServerPubAck};
use im_wire::proto::{self, ChrmInput, ChrmPullMsg, DownStreamMessages, NotifyMsg};
use im_wire::ServerFrame;

use super::{text, Client};

/// `joinChrm`; returns its status.
pub async fn join_only(c: &mut Client, room: &str) -> u16 {
    let input = proto::encode(&ChrmInput { nothing: 1 });
    c.query("joinChrm", room, input, Qos::AtMostOnce)
        .await
        .status
}

/// `joinChrm`, then the join `chrmPull` with `count` (−1 = no history), as the client does
/// (api.md §3.6); returns the pull reply.
pub async fn join(c: &mut Client, room: &str, count: i32) -> DownStreamMessages {
    assert_eq!(join_only(c, room).await, 0, "join {room}");
    let ack = pull(c, room, 0, count).await;
    assert_eq!(ack.status, 0);
    proto::decode(&ack.payload).unwrap()
}

/// `exitChrm`; returns its status.
pub async fn exit(c: &mut Client, room: &str) -> u16 {
    let input = proto::encode(&ChrmInput { nothing: 1 });
    c.query("exitChrm", room, input, Qos::AtMostOnce)
        .await
        .status
}

/// One `chrmPull` (QoS 1, as the client sends it).
pub async fn pull(c: &mut Client, room: &str, sync_time: i64, count: i32) -> QueryAck {
    let input = proto::encode(&ChrmPullMsg { sync_time, count });
    c.query("chrmPull", room, input, Qos::AtLeastOnce).await
}

/// A live pull from `cursor`; returns the reply.
pub async fn pull_from(c: &mut Client, room: &str, cursor: i64) -> DownStreamMessages {
    let ack = pull(c, room, cursor, 0).await;
    assert_eq!(ack.status, 0);
    proto::decode(&ack.payload).unwrap()
}

/// The next chatroom `s_ntf`: (room, time).
pub async fn room_notify(c: &mut Client) -> (String, i64) {
    let f = c
        .recv_matching(|f| {
            matches!(f, ServerFrame::Publish(p) if p.topic == "s_ntf"
                && proto::decode::<NotifyMsg>(&p.payload).is_ok_and(|n| n.r#type == 2))
        })
        .await;
    let ServerFrame::Publish(p) = f else {
        unreachable!()
    };
    let n: NotifyMsg = proto::decode(&p.payload).unwrap();
    (n.chrm_id.unwrap_or_default(), n.time.unwrap_or_default())
}

/// Sends a text message on `chatMsg`.
pub async fn say(c: &mut Client, room: &str, words: &str) -> ServerPubAck {
    c.publish("chatMsg", room, &text(words)).await
}

/// PUBACK time in ms.
pub fn sent_time(a: &ServerPubAck) -> i64 {
    i64::try_from(a.timestamp()).unwrap()
}
