//! Sensitive words (server-api.md §2.6, §3 items 26–29): the Server API manages the list; a
//! client text containing a replacement word reaches receivers, history and the sender's other
//! devices with the word replaced, one containing a blocking word is refused with
//! SENSITIVE_SHIELD (21501) and reaches nobody. The list survives a restart.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, chatroom, content_of, start, text, Client};
use im_server::store::Discussion;
use im_wire::proto::{self, UpStreamMessage};
use im_wire::ServerFrame;
use serde_json::{json, Value};

const SECRET: &str = "test-app-secret-0123456789";

async fn call(server: &im_server::RunningServer, path: &str, form: &str) -> (u16, Value) {
    api(server.addr, SECRET, path, form).await
}

fn words(list: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = list["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let s = |k: &str| w[k].as_str().unwrap().to_owned();
            (s("type"), s("word"), s("replaceWord"))
        })
        .collect();
    out.sort();
    out
}

fn pair(kind: &str, word: &str, replacement: &str) -> (String, String, String) {
    (kind.into(), word.into(), replacement.into())
}

#[tokio::test]
async fn the_server_api_adds_lists_and_deletes_words_within_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.sensitive_word_limit = 3).await;

    let form = "word=%E5%B0%8F%E7%B1%B3%E6%89%8B%E6%9C%BA&replaceWord=iPhone7"; // 小米手机
    assert_eq!(call(&server, "/sensitiveword/add.json", form).await.0, 200);
    let (status, body) = call(&server, "/sensitiveword/add.json", "word=gamble").await;
    assert_eq!((status, body["code"].clone()), (200, json!(200)));
    // An empty replaceWord blocks, as the SDK sends for type 1.
    let form = "word=%E8%B5%8C%E5%8D%9A&replaceWord="; // 赌博
    assert_eq!(call(&server, "/sensitiveword/add.json", form).await.0, 200);

    for bad in [
        "word=-&replaceWord=",
        "word=",
        "replaceWord=x",
        "word=a%20b",
    ] {
        let (status, body) = call(&server, "/sensitiveword/add.json", bad).await;
        assert_eq!((status, body["code"].as_i64()), (400, Some(1002)), "{bad}");
        assert!(body["errorMessage"].is_string());
    }
    let long = format!("word={}", "x".repeat(33));
    let (_, body) = call(&server, "/sensitiveword/add.json", &long).await;
    assert_eq!(body["code"], 1002);

    let (status, body) = call(&server, "/sensitiveword/add.json", "word=fourth").await;
    assert_eq!((status, body["code"].as_i64()), (403, Some(1019)), "{body}");
    // Changing a stored word does not need room for a new one.
    let form = "word=gamble&replaceWord=play";
    assert_eq!(call(&server, "/sensitiveword/add.json", form).await.0, 200);

    let (_, all) = call(&server, "/sensitiveword/list.json", "type=2").await;
    assert_eq!(
        words(&all),
        [
            pair("0", "gamble", "play"),
            pair("0", "小米手机", "iPhone7"),
            pair("1", "赌博", ""),
        ]
    );
    let (_, replaced) = call(&server, "/sensitiveword/list.json", "type=0").await;
    assert_eq!(words(&replaced).len(), 2);
    let (_, blocking) = call(&server, "/sensitiveword/list.json", "").await;
    assert_eq!(
        words(&blocking),
        [pair("1", "赌博", "")],
        "type 1 by default"
    );
    let (_, odd) = call(&server, "/sensitiveword/list.json", "type=10").await;
    assert_eq!(words(&odd).len(), 3);

    let too_many: Vec<String> = (0..51).map(|i| format!("words=w{i}")).collect();
    let (status, body) = call(
        &server,
        "/sensitiveword/batch/delete.json",
        &too_many.join("&"),
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(1002)));
    let form = "words=gamble&words=unknown";
    assert_eq!(
        call(&server, "/sensitiveword/batch/delete.json", form)
            .await
            .0,
        200
    );
    let form = "word=%E8%B5%8C%E5%8D%9A";
    assert_eq!(
        call(&server, "/sensitiveword/delete.json", form).await.0,
        200
    );
    let (_, all) = call(&server, "/sensitiveword/list.json", "type=2").await;
    assert_eq!(words(&all), [pair("0", "小米手机", "iPhone7")]);
    server.stop().await;
}

#[tokio::test]
async fn client_texts_are_replaced_or_refused_in_every_conversation_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.devices_per_user = 2).await;
    let form = "word=%E5%B0%8F%E7%B1%B3%E6%89%8B%E6%9C%BA&replaceWord=iPhone7"; // 小米手机
    assert_eq!(call(&server, "/sensitiveword/add.json", form).await.0, 200);
    assert_eq!(
        call(
            &server,
            "/sensitiveword/add.json",
            "word=%E8%B5%8C%E5%8D%9A"
        )
        .await
        .0, // 赌博
        200
    );
    server
        .state()
        .store
        .call(|s| {
            s.add_members("g1", &["alice".into(), "bob".into()])?;
            s.save_discussion(&Discussion {
                id: "d1".into(),
                name: "d".into(),
                admin: "alice".into(),
                open_status: 0,
                members: vec!["alice".into(), "bob".into()],
            })
        })
        .await
        .unwrap();
    let mut alice = Client::connect(&server, "alice").await;
    let mut laptop = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    // Private: replaced for the receiver and for the sender's other device.
    let ack = alice.publish("ppMsgP", "bob", &text("买小米手机吗")).await;
    assert_eq!(ack.status, 0);
    let copy = laptop
        .recv_matching(|f| matches!(f, ServerFrame::Publish(p) if p.sync))
        .await;
    let ServerFrame::Publish(copy) = copy else {
        unreachable!()
    };
    let up: UpStreamMessage = proto::decode(&copy.payload).unwrap();
    let v: Value = serde_json::from_slice(&up.content).unwrap();
    assert_eq!(v["content"], "买iPhone7吗");
    assert_eq!(v["extra"], "", "the other keys stay");
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(content_of(&got[0]), "买iPhone7吗");

    // Blocked: refused, and nothing reaches bob.
    let refused = alice.publish("ppMsgP", "bob", &text("去赌博")).await;
    assert_eq!(refused.status, 21501, "SENSITIVE_SHIELD");
    assert!(refused.message_uid.is_empty());

    // Group and public service: the same review.
    let refused = alice.publish("pgMsgP", "g1", &text("群里赌博")).await;
    assert_eq!(refused.status, 21501);
    assert_eq!(
        alice
            .publish("pgMsgP", "g1", &text("小米手机"))
            .await
            .status,
        0
    );
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(got.len(), 1, "only the replaced group message arrived");
    assert_eq!(
        (got[0].r#type, content_of(&got[0])),
        (3, "iPhone7".to_owned())
    );
    let refused = alice.publish("pmpMsgN", "service", &text("赌博")).await;
    assert_eq!(refused.status, 21501);
    let refused = alice.publish("pdMsgP", "d1", &text("赌博")).await;
    assert_eq!(refused.status, 21501, "discussion");
    let refused = alice.publish("pcMsgP", "kefu", &text("赌博")).await;
    assert_eq!(refused.status, 21501, "customer service");

    // Chatroom: refused, or replaced for the members and in the room's recent messages.
    assert_eq!(chatroom::join(&mut alice, "hall", -1).await.list.len(), 0);
    let refused = alice.publish("chatMsg", "hall", &text("赌博")).await;
    assert_eq!(refused.status, 21501, "chatroom");
    assert_eq!(
        alice
            .publish("chatMsg", "hall", &text("小米手机"))
            .await
            .status,
        0
    );
    let recent = chatroom::join(&mut bob, "hall", 10).await;
    let kept: Vec<String> = recent.list.iter().map(content_of).collect();
    assert_eq!(
        kept,
        ["iPhone7"],
        "only the replaced chatroom text was kept"
    );
    chatroom::exit(&mut alice, "hall").await;
    chatroom::exit(&mut bob, "hall").await;

    // Other contents are not reviewed.
    let custom = UpStreamMessage {
        session_id: 3,
        classname: "App:Custom".into(),
        content: r#"{"content":"赌博"}"#.as_bytes().to_vec(),
        ..UpStreamMessage::default()
    };
    assert_eq!(alice.publish("ppMsgP", "bob", &custom).await.status, 0);

    // The list is stored: after a restart the words still apply.
    drop((alice, laptop, bob));
    server.stop().await;
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    assert_eq!(
        alice.publish("ppMsgP", "bob", &text("赌博")).await.status,
        21501
    );
    assert_eq!(
        alice
            .publish("ppMsgP", "bob", &text("小米手机"))
            .await
            .status,
        0
    );
    let mut bob = Client::connect(&server, "bob").await;
    let got = bob.sync().await;
    let last = got.last().unwrap();
    assert_eq!(content_of(last), "iPhone7");
    let (_, all) = call(&server, "/sensitiveword/list.json", "type=2").await;
    assert_eq!(words(&all).len(), 2);
    server.stop().await;
}
