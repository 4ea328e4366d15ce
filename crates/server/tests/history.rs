//! Remote history pages, the conversation list, clearing and deletion.

mod common;

use common::{content_of, start, text, Client};
use im_wire::frame::Qos;
use im_wire::proto::{
    self, CleanHisMsgInput, DeleteMsg, DeleteMsgInput, HistoryMessagesOuput, HistoryMsgInput,
    RelationsInput, RelationsOutput,
};

fn page_query(time: i64, count: i32) -> Vec<u8> {
    proto::encode(&HistoryMsgInput {
        target_id: Some("bob".into()),
        time: Some(time),
        count: Some(count),
        order: Some(0),
    })
}

#[tokio::test]
async fn history_pages_backwards_from_the_newest_with_a_cursor_and_has_msg() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut uids = Vec::new();
    for i in 0..5 {
        uids.push(
            alice
                .publish("ppMsgP", "bob", &text(&format!("h{i}")))
                .await
                .message_uid,
        );
    }
    let first = alice
        .query("qryPMsg", "bob", page_query(0, 3), Qos::AtMostOnce)
        .await;
    let first: HistoryMessagesOuput = proto::decode(&first.payload).unwrap();
    let texts: Vec<String> = first.list.iter().map(content_of).collect();
    assert_eq!(
        texts,
        ["h4", "h3", "h2"],
        "newest first; the client reverses"
    );
    assert_eq!(first.has_msg, 1);
    let second = alice
        .query(
            "qryPMsg",
            "bob",
            page_query(first.sync_time, 3),
            Qos::AtMostOnce,
        )
        .await;
    let second: HistoryMessagesOuput = proto::decode(&second.payload).unwrap();
    let texts: Vec<String> = second.list.iter().map(content_of).collect();
    assert_eq!(texts, ["h1", "h0"]);
    assert_eq!(second.has_msg, 0);

    // Conversation list: one conversation with bob, latest message h4.
    let rel = alice
        .query(
            "qryRelation",
            "alice",
            proto::encode(&RelationsInput {
                r#type: 1,
                count: Some(300),
                ..Default::default()
            }),
            Qos::AtMostOnce,
        )
        .await;
    let rel: RelationsOutput = proto::decode(&rel.payload).unwrap();
    assert_eq!(rel.info.len(), 1);
    assert_eq!(rel.info[0].user_id, "bob");
    assert_eq!(content_of(rel.info[0].msg.as_ref().unwrap()), "h4");

    // Delete one message, then clear everything up to h2.
    let del = DeleteMsgInput {
        r#type: Some(1),
        conversation_id: Some("bob".into()),
        msgs: vec![DeleteMsg {
            msg_id: Some(uids[4].clone()),
            msg_data_time: None,
            direct: Some(1),
        }],
    };
    assert_eq!(
        alice
            .query("delMsg", "bob", proto::encode(&del), Qos::AtMostOnce)
            .await
            .status,
        0
    );
    let all = alice
        .query("qryPMsg", "bob", page_query(0, 20), Qos::AtMostOnce)
        .await;
    let all: HistoryMessagesOuput = proto::decode(&all.payload).unwrap();
    assert_eq!(all.list.len(), 4);
    let h2_time = all.list[1].data_time;
    let clean = CleanHisMsgInput {
        target_id: "bob".into(),
        data_time: h2_time,
        conversation_type: None,
    };
    assert_eq!(
        alice
            .query("cleanPMsg", "bob", proto::encode(&clean), Qos::AtMostOnce)
            .await
            .status,
        0
    );
    let left = alice
        .query("qryPMsg", "bob", page_query(0, 20), Qos::AtMostOnce)
        .await;
    let left: HistoryMessagesOuput = proto::decode(&left.payload).unwrap();
    let texts: Vec<String> = left.list.iter().map(content_of).collect();
    assert_eq!(texts, ["h3"]);

    let del_rel = proto::encode(&RelationsInput {
        r#type: 1,
        ..Default::default()
    });
    assert_eq!(
        alice
            .query("delRelation", "bob", del_rel, Qos::AtMostOnce)
            .await
            .status,
        0
    );
    let rel = alice
        .query(
            "qryRelation",
            "alice",
            proto::encode(&RelationsInput {
                r#type: 1,
                ..Default::default()
            }),
            Qos::AtMostOnce,
        )
        .await;
    assert!(proto::decode::<RelationsOutput>(&rel.payload)
        .unwrap()
        .info
        .is_empty());
    server.stop().await;
}
