//! `push` (server-api.md §2.7): a notification-only push is checked and recorded; a push with a
//! `message` delivers it as a SYSTEM message to the audience — named users, users by tag, or
//! everyone — and records survive a restart.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, api_json, content_of, start, Client};
use serde_json::json;

const SECRET: &str = "test-app-secret-0123456789";

fn push_message(audience: serde_json::Value, text: &str) -> serde_json::Value {
    json!({
        "platform": ["ios", "android"],
        "fromuserid": "mon888",
        "audience": audience,
        "message": {"content": json!({"content": text}).to_string(), "objectName": "RC:TxtMsg"},
        "notification": {"alert": "this is a push", "ios": {"title": "t"}, "android": {}}
    })
}

#[tokio::test]
async fn pushes_reach_their_audience_and_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let addr = server.addr;
    for u in ["u1", "u2", "u3"] {
        api(
            addr,
            SECRET,
            "/user/getToken.json",
            &format!("userId={u}&name={u}"),
        )
        .await;
    }
    for (u, tags) in [
        ("u1", json!(["女", "北京"])),
        ("u2", json!(["女", "上海"])),
        ("u3", json!(["男"])),
    ] {
        let (status, _) = api_json(
            addr,
            SECRET,
            "/user/tag/set.json",
            &json!({"userId": u, "tags": tags}),
        )
        .await;
        assert_eq!(status, 200);
    }
    let mut c: Vec<Client> = Vec::new();
    for u in ["u1", "u2", "u3"] {
        c.push(Client::connect(&server, u).await);
    }

    // As rongcloud-sdk 3.x Push.push sends it: a notification only.
    let (status, body) = api_json(
        addr,
        SECRET,
        "/push.json",
        &json!({"platform": ["ios", "android"],
                "audience": {"tag": ["女"], "tag_or": ["北京", "上海"], "userid": ["123", "456"], "is_to_all": false},
                "notification": {"alert": "this is a push"}}),
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)), "{body}");
    assert!(body["id"].as_str().is_some_and(|id| !id.is_empty()));

    // Bad requests are 1002 and deliver nothing.
    let bad = [
        json!({}),
        json!({"platform": "ios", "audience": {"is_to_all": true}, "notification": {"alert": "a"}}),
        json!({"platform": ["web"], "audience": {"is_to_all": true}, "notification": {"alert": "a"}}),
        json!({"platform": ["ios"], "audience": {"is_to_all": false}, "notification": {"alert": "a"}}),
        json!({"platform": ["ios"], "audience": {"is_to_all": true}}),
        json!({"platform": ["ios"], "audience": {"tag": (0..21).map(|i| i.to_string()).collect::<Vec<_>>()},
               "notification": {"alert": "a"}}),
        json!({"platform": ["ios"], "audience": {"is_to_all": true}, "notification": {"alert": "a"},
               "message": {"content": "not json", "objectName": "RC:TxtMsg"}, "fromuserid": "m"}),
        json!({"platform": ["ios"], "audience": {"is_to_all": true}, "notification": {"alert": "a"},
               "message": {"content": "{}", "objectName": "RC:TxtMsg"}}),
    ];
    for b in &bad {
        let (status, answer) = api_json(addr, SECRET, "/push.json", b).await;
        assert_eq!((status, answer["code"].as_i64()), (400, Some(1002)), "{b}");
        assert!(answer["errorMessage"].is_string());
    }
    for client in &mut c {
        assert!(client.sync().await.is_empty());
    }

    // Push.message by tag: every tag of `tag` and one of `tag_or`.
    let (status, _) = api_json(
        addr,
        SECRET,
        "/push.json",
        &push_message(
            json!({"tag": ["女"], "tag_or": ["北京", "上海"]}),
            "to women",
        ),
    )
    .await;
    assert_eq!(status, 200);
    for (i, client) in c.iter_mut().enumerate().take(2) {
        client.wait_notify().await;
        let got = client.sync().await;
        assert_eq!(got.len(), 1, "u{}", i + 1);
        assert_eq!((got[0].r#type, got[0].from_user_id.as_str()), (6, "mon888"));
        assert_eq!(content_of(&got[0]), "to women");
    }
    assert!(c[2].sync().await.is_empty());

    // By user id, which wins over tags; then to everyone.
    api_json(
        addr,
        SECRET,
        "/push.json",
        &push_message(json!({"userid": ["u3"], "tag": ["女"]}), "to u3"),
    )
    .await;
    c[2].wait_notify().await;
    assert_eq!(
        c[2].sync().await.iter().map(content_of).collect::<Vec<_>>(),
        ["to u3"]
    );
    assert!(c[0].sync().await.is_empty());
    api_json(
        addr,
        SECRET,
        "/push.json",
        &push_message(json!({"is_to_all": true}), "all"),
    )
    .await;
    for client in &mut c {
        client.wait_notify().await;
        assert_eq!(
            client
                .sync()
                .await
                .iter()
                .map(content_of)
                .collect::<Vec<_>>(),
            ["all"]
        );
    }
    drop(c);
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    let pushes = server.state().store.read(|s| s.pushes(10)).await.unwrap();
    assert_eq!(
        pushes.iter().map(|p| p.recipients).collect::<Vec<_>>(),
        [3, 1, 2, 2],
        "newest first: everyone, u3, two by tag, the notification-only push to two user ids"
    );
    assert!(pushes[0].message_uid.is_some());
    assert!(pushes[3].message_uid.is_none());
    server.stop().await;
}
