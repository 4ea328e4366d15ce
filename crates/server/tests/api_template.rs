//! `message/private/publish_template` and `message/system/publish_template` (server-api.md
//! §2.2): each receiver gets the template with their own `{placeholder}` values; a bad request
//! sends nothing.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api_json, content_of, start, Client};
use serde_json::json;

const SECRET: &str = "test-app-secret-0123456789";

#[tokio::test]
async fn each_receiver_gets_the_template_filled_with_their_own_values() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let addr = server.addr;
    let mut a = Client::connect(&server, "sea9901").await;
    let mut b = Client::connect(&server, "sea9902").await;

    // Bad requests: 1002, and nobody receives anything.
    let too_many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let bad = [
        json!({"fromUserId": "s", "objectName": "RC:TxtMsg", "content": "{\"content\":\"{n}\"}",
               "toUserId": ["sea9901", "sea9902"], "values": [{"{n}": "x"}]}),
        json!({"fromUserId": "s", "objectName": "RC:TxtMsg", "content": "not json",
               "toUserId": ["sea9901"], "values": [{"{n}": "x"}]}),
        json!({"fromUserId": "s", "objectName": "RC:TxtMsg", "content": "{}",
               "toUserId": ["sea9901"], "values": ["x"]}),
        json!({"fromUserId": "s", "objectName": "RC:TxtMsg", "content": "{}",
               "toUserId": ["sea9901", "sea9902"], "values": [{}, {}], "pushContent": ["p"]}),
        json!({"fromUserId": "s", "objectName": "RC:TxtMsg", "content": "{}",
               "toUserId": ["sea9901", ""], "values": [{}, {}]}),
        json!({"objectName": "RC:TxtMsg", "content": "{}", "toUserId": ["sea9901"], "values": [{}]}),
        json!({"fromUserId": "s", "objectName": "RC:TxtMsg", "content": "{}",
               "toUserId": too_many, "values": []}),
    ];
    for body in &bad {
        let (status, answer) =
            api_json(addr, SECRET, "/message/private/publish_template.json", body).await;
        assert_eq!(
            (status, answer["code"].as_i64()),
            (400, Some(1002)),
            "{body}"
        );
    }
    assert!(a.sync().await.is_empty());
    assert!(b.sync().await.is_empty());

    // As rongcloud-sdk 3.x Message.Private.sendTemplate sends it.
    let body = json!({
        "fromUserId": "teacher",
        "objectName": "RC:TxtMsg",
        "content": "{\"content\":\"{name}, 语文成绩 {score} 分\"}",
        "toUserId": ["sea9901", "sea9902"],
        "values": [{"{name}": "小明", "{score}": "90"}, {"{name}": "小\"红", "{score}": "95"}],
        "pushContent": ["{name} 考试成绩", "{name} 考试成绩"],
        "pushData": [null, null]
    });
    let (status, answer) = api_json(
        addr,
        SECRET,
        "/message/private/publish_template.json",
        &body,
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_i64()),
        (200, Some(200)),
        "{answer}"
    );
    assert_eq!(answer["messageUIDs"].as_array().unwrap().len(), 2);
    a.wait_notify().await;
    let got = a.sync().await;
    assert_eq!(
        (got[0].r#type, got[0].from_user_id.as_str()),
        (1, "teacher")
    );
    assert_eq!(content_of(&got[0]), "小明, 语文成绩 90 分");
    b.wait_notify().await;
    let got = b.sync().await;
    assert_eq!(content_of(&got[0]), "小\"红, 语文成绩 95 分");

    // The system form: a SYSTEM conversation.
    let body = json!({
        "fromUserId": "__SYSTEM__",
        "objectName": "RC:TxtMsg",
        "content": "{\"content\":\"hi {name}\"}",
        "toUserId": ["sea9901"],
        "values": [{"{name}": "A"}],
    });
    let (status, _) = api_json(addr, SECRET, "/message/system/publish_template.json", &body).await;
    assert_eq!(status, 200);
    a.wait_notify().await;
    let got = a.sync().await;
    assert_eq!((got[0].r#type, content_of(&got[0]).as_str()), (6, "hi A"));
    let hundred_one: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let values: Vec<serde_json::Value> = (0..101).map(|_| json!({})).collect();
    let body = json!({"fromUserId": "s", "objectName": "RC:TxtMsg", "content": "{}",
                      "toUserId": hundred_one, "values": values});
    let (status, _) = api_json(addr, SECRET, "/message/system/publish_template.json", &body).await;
    assert_eq!(status, 400, "at most 100 receivers of a system template");
    server.stop().await;
}
