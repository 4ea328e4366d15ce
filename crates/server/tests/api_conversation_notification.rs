//! `conversation/notification/set` and `get` (server-api.md §2.4) act on the state the client
//! topics `blk?Push` / `qry?Push` use, and a change reaches the user's connected devices.

mod common;

use common::settings::blockee;
use common::{api, start, Client};
use im_wire::topic;

#[tokio::test]
async fn the_server_api_mutes_what_the_client_reads_and_reads_what_the_client_mutes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (addr, secret) = (server.addr, "test-app-secret-0123456789");
    let mut alice = Client::connect(&server, "alice").await;

    // As rongcloud-sdk 3.x Conversation.mute sends it.
    let mute = "targetId=g1&isMuted=1&conversationType=3&requestId=alice";
    let (status, body) = api(addr, secret, "/conversation/notification/set.json", mute).await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)));
    let version = alice.wait_settings_notice().await;
    assert!(version > 0);
    assert_eq!(
        alice
            .status_of(topic::PUSH_STATUS_GROUP, &blockee("g1", None))
            .await,
        0,
        "DO_NOT_DISTURB"
    );
    let get = "conversationType=3&requestId=alice&targetId=g1";
    let (_, body) = api(addr, secret, "/conversation/notification/get.json", get).await;
    assert_eq!(body, serde_json::json!({"code": 200, "isMuted": 1}));

    // The client unmutes; the Server API reads it.
    assert_eq!(
        alice
            .status_of(topic::UNBLOCK_PUSH_GROUP, &blockee("g1", None))
            .await,
        0
    );
    let (_, body) = api(addr, secret, "/conversation/notification/get.json", get).await;
    assert_eq!(body["isMuted"], 0);

    // The client mutes a private conversation; unmute through the API.
    alice
        .status_of(topic::BLOCK_PUSH_PRIVATE, &blockee("bob", None))
        .await;
    let private = "conversationType=1&requestId=alice&targetId=bob";
    let (_, body) = api(addr, secret, "/conversation/notification/get.json", private).await;
    assert_eq!(body["isMuted"], 1);
    let unmute = format!("{private}&isMuted=0");
    api(addr, secret, "/conversation/notification/set.json", &unmute).await;
    assert_eq!(
        alice
            .status_of(topic::PUSH_STATUS_PRIVATE, &blockee("bob", None))
            .await,
        1,
        "NOTIFY"
    );
    // The newer unpushLevel wins over isMuted.
    let level = format!("{private}&isMuted=0&unpushLevel=5");
    api(addr, secret, "/conversation/notification/set.json", &level).await;
    let (_, body) = api(addr, secret, "/conversation/notification/get.json", private).await;
    assert_eq!(body["isMuted"], 1);

    // Bad requests: 1002 with a message, as RongCloud answers them.
    for bad in [
        "targetId=g1&isMuted=1&conversationType=undefined&requestId=alice",
        "targetId=g1&isMuted=1&conversationType=4&requestId=alice",
        "targetId=g1&isMuted=2&conversationType=3&requestId=alice",
        "targetId=g1&conversationType=3&requestId=alice",
        "targetId=g1&isMuted=1&conversationType=3",
        "isMuted=1&conversationType=3&requestId=alice",
        "targetId=g1&isMuted=1&conversationType=3&requestId=alice&unpushLevel=9",
    ] {
        let (status, body) = api(addr, secret, "/conversation/notification/set.json", bad).await;
        assert_eq!((status, body["code"].as_i64()), (400, Some(1002)), "{bad}");
        assert!(body["errorMessage"].is_string());
    }
    let (status, _) = api(
        addr,
        secret,
        "/conversation/notification/get.json",
        "requestId=a",
    )
    .await;
    assert_eq!(status, 400);
    server.stop().await;
}
