//! `user/tag/set`, `user/tag/batch/set` and `user/tags/get` (server-api.md §2.1): setting
//! replaces a user's tags, an empty list clears them, bad input is 1002 and changes nothing,
//! and tags outlive a restart.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, api_json, start};
use serde_json::json;

const SECRET: &str = "test-app-secret-0123456789";

async fn tags_of(addr: std::net::SocketAddr, users: &[&str]) -> serde_json::Value {
    let form: Vec<String> = users.iter().map(|u| format!("userIds={u}")).collect();
    let (status, body) = api(addr, SECRET, "/user/tags/get.json", &form.join("&")).await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)), "{body}");
    body["result"].clone()
}

#[tokio::test]
async fn tags_are_replaced_queried_refused_when_invalid_and_kept_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let addr = server.addr;

    // As rongcloud-sdk 3.x User.Tag.set sends it.
    let (status, body) = api_json(
        addr,
        SECRET,
        "/user/tag/set.json",
        &json!({"tags": ["IM", "北京", "IM"], "userId": "ujadk90ha"}),
    )
    .await;
    assert_eq!((status, body), (200, json!({"code": 200})));
    let (status, _) = api_json(
        addr,
        SECRET,
        "/user/tag/batch/set.json",
        &json!({"userIds": ["u1", "u2"], "tags": ["a", "b"]}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        tags_of(addr, &["ujadk90ha", "u1", "u2", "nobody"]).await,
        json!({"ujadk90ha": ["IM", "北京"], "u1": ["a", "b"], "u2": ["a", "b"], "nobody": []})
    );

    // Bad requests: 1002 with a message, and nothing changes.
    let too_many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let bad = [
        (
            "/user/tag/set.json",
            json!({"userId": "u1", "tags": too_many}),
        ),
        (
            "/user/tag/set.json",
            json!({"userId": "u1", "tags": ["x".repeat(41)]}),
        ),
        ("/user/tag/set.json", json!({"userId": "u1", "tags": [""]})),
        ("/user/tag/set.json", json!({"userId": "u1", "tags": "a"})),
        ("/user/tag/set.json", json!({"userId": "u1", "tags": [1]})),
        ("/user/tag/set.json", json!({"userId": "u1"})),
        ("/user/tag/set.json", json!({"tags": ["a"]})),
        (
            "/user/tag/set.json",
            json!({"userId": "x".repeat(65), "tags": ["a"]}),
        ),
        (
            "/user/tag/batch/set.json",
            json!({"userIds": [], "tags": ["a"]}),
        ),
        (
            "/user/tag/batch/set.json",
            json!({"userIds": ["u1", 7], "tags": ["z"]}),
        ),
        (
            "/user/tag/batch/set.json",
            json!({"userIds": (0..1001).map(|i| format!("u{i}")).collect::<Vec<_>>(), "tags": ["z"]}),
        ),
        ("/user/tag/set.json", json!(["not", "an", "object"])),
    ];
    for (path, body) in &bad {
        let (status, answer) = api_json(addr, SECRET, path, body).await;
        assert_eq!(
            (status, answer["code"].as_i64()),
            (400, Some(1002)),
            "{path} {body}"
        );
        assert!(answer["errorMessage"].is_string());
    }
    // A form body where JSON is required.
    let (status, answer) = api(addr, SECRET, "/user/tag/set.json", "userId=u1&tags=a").await;
    assert_eq!((status, answer["code"].as_i64()), (400, Some(1002)));
    let fifty_one: Vec<String> = (0..51).map(|i| format!("userIds=u{i}")).collect();
    let (status, _) = api(addr, SECRET, "/user/tags/get.json", &fifty_one.join("&")).await;
    assert_eq!(status, 400);
    let (status, _) = api(addr, SECRET, "/user/tags/get.json", "").await;
    assert_eq!(status, 400);
    assert_eq!(tags_of(addr, &["u1"]).await, json!({"u1": ["a", "b"]}));

    // User.Tag.remove sends an empty list to the same path.
    api_json(
        addr,
        SECRET,
        "/user/tag/set.json",
        &json!({"userId": "u2", "tags": []}),
    )
    .await;
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    assert_eq!(
        tags_of(server.addr, &["ujadk90ha", "u1", "u2"]).await,
        json!({"ujadk90ha": ["IM", "北京"], "u1": ["a", "b"], "u2": []})
    );
    server.stop().await;
}
