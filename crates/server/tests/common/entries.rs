//! Chatroom entry helpers: `setKV`, `delKV` and `pullKV` as the 2.5.3 client sends them
//! (api.md §3.6), and the `s_cmd` type 2 that tells a member to pull (§5.1).

use im_wire::frame::Qos;
use im_wire::proto::{
    self, ChrmKvEntity, ChrmKvOutput, DeleteChrmKv, NotifyMsg, QueryChrmKv, SetChrmKv,
    UpStreamMessage,
};
use im_wire::ServerFrame;

use super::Client;

/// `ChrmKVEntity.status` bits.
pub const AUTO_DELETE: i32 = 0x1;
pub const OVERWRITE: i32 = 0x2;
pub const DELETE: i32 = 0x4;

/// The entry the client builds: `uid` = self, `status` only when non-zero.
pub fn entity(c: &Client, key: &str, value: &str, status: i32) -> ChrmKvEntity {
    ChrmKvEntity {
        key: key.into(),
        value: value.into(),
        status: (status != 0).then_some(status),
        timestamp: None,
        uid: Some(c.user.clone()),
    }
}

/// The `RC:chrmKVNotiMsg` the client attaches when `isSendNotification` (type 1 set, 2 delete).
pub fn notification(key: &str, value: &str, kind: i32) -> UpStreamMessage {
    UpStreamMessage {
        session_id: 0,
        classname: "RC:chrmKVNotiMsg".into(),
        content: serde_json::json!({"key": key, "value": value, "extra": "", "type": kind})
            .to_string()
            .into_bytes(),
        ..UpStreamMessage::default()
    }
}

/// `setKV` with `status` bits; returns the QUERYACK status.
pub async fn set(c: &mut Client, room: &str, key: &str, value: &str, status: i32) -> u16 {
    let req = SetChrmKv {
        entry: entity(c, key, value, status),
        ..SetChrmKv::default()
    };
    set_with(c, room, &req).await
}

/// `setKV` with a request as given.
pub async fn set_with(c: &mut Client, room: &str, req: &SetChrmKv) -> u16 {
    let ack = c
        .query("setKV", room, proto::encode(req), Qos::AtMostOnce)
        .await;
    ack.status
}

/// `delKV` (status bit 0x4, value "", as the client sends it); `force` adds 0x2.
pub async fn delete(c: &mut Client, room: &str, key: &str, force: bool) -> u16 {
    let status = DELETE | if force { OVERWRITE } else { 0 };
    let req = DeleteChrmKv {
        entry: entity(c, key, "", status),
        ..DeleteChrmKv::default()
    };
    delete_with(c, room, &req).await
}

/// `delKV` with a request as given.
pub async fn delete_with(c: &mut Client, room: &str, req: &DeleteChrmKv) -> u16 {
    let ack = c
        .query("delKV", room, proto::encode(req), Qos::AtMostOnce)
        .await;
    ack.status
}

/// `pullKV` from `since`: the status and, when 0, the reply.
pub async fn pull_status(c: &mut Client, room: &str, since: i64) -> (u16, Option<ChrmKvOutput>) {
    let req = QueryChrmKv { timestamp: since };
    let ack = c
        .query("pullKV", room, proto::encode(&req), Qos::AtMostOnce)
        .await;
    let reply = (ack.status == 0).then(|| proto::decode(&ack.payload).unwrap());
    (ack.status, reply)
}

/// `pullKV` from `since`, which must succeed.
pub async fn pull(c: &mut Client, room: &str, since: i64) -> ChrmKvOutput {
    let (status, reply) = pull_status(c, room, since).await;
    assert_eq!(status, 0, "pullKV answered {status}");
    reply.unwrap()
}

/// The live entries of a full pull as (key, value, uid).
pub fn triples(out: &ChrmKvOutput) -> Vec<(String, String, String)> {
    out.entries
        .iter()
        .map(|e| {
            (
                e.key.clone(),
                e.value.clone(),
                e.uid.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// The next `s_cmd` with type 2: (room, time).
pub async fn notice(c: &mut Client) -> (String, i64) {
    let f = c
        .recv_matching(|f| {
            matches!(f, ServerFrame::Publish(p) if p.topic == "s_cmd"
                && proto::decode::<NotifyMsg>(&p.payload).is_ok_and(|n| n.r#type == 2))
        })
        .await;
    let ServerFrame::Publish(p) = f else {
        unreachable!()
    };
    let n: NotifyMsg = proto::decode(&p.payload).unwrap();
    assert_eq!(p.target_id, n.chrm_id.clone().unwrap_or_default());
    (n.chrm_id.unwrap_or_default(), n.time.unwrap_or_default())
}
