//! `message/broadcast` (server-api.md §2.2): a system message to every user of the app
//! (registered, or connected when it is sent). Online users are told at once, offline ones find
//! it in their next sync — after a restart too — and a bad request reaches nobody.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, content_of, start, Client};

const SECRET: &str = "test-app-secret-0123456789";

#[tokio::test]
async fn a_broadcast_reaches_online_users_now_and_offline_users_at_their_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let addr = server.addr;
    for u in ["alice", "bob", "carol"] {
        let (status, _) = api(
            addr,
            SECRET,
            "/user/getToken.json",
            &format!("userId={u}&name={u}&portraitUri="),
        )
        .await;
        assert_eq!(status, 200);
    }
    let mut alice = Client::connect(&server, "alice").await;
    assert!(alice.sync().await.is_empty());
    // Connected without ever being registered: a user of the app too.
    let mut erin = Client::connect(&server, "erin").await;

    // Bad requests: 1002, and nobody receives anything.
    for bad in [
        "fromUserId=__SYSTEM__&objectName=RC:TxtMsg&content=helloworld",
        "fromUserId=__SYSTEM__&objectName=RC:TxtMsg",
        "objectName=RC:TxtMsg&content=%7B%7D",
        "fromUserId=__SYSTEM__&objectName=RC:TxtMsg&content=%7B%7D&os=web",
    ] {
        let (status, body) = api(addr, SECRET, "/message/broadcast.json", bad).await;
        assert_eq!((status, body["code"].as_i64()), (400, Some(1002)), "{bad}");
    }
    assert!(alice.sync().await.is_empty());

    // As rongcloud-sdk 3.x Message.System.broadcast sends it.
    let form = "fromUserId=__SYSTEM__&objectName=RC%3ATxtMsg&\
                content=%7B%22content%22%3A%22to%20everyone%22%7D";
    let (status, body) = api(addr, SECRET, "/message/broadcast.json", form).await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)), "{body}");
    let uid = body["messageUID"].as_str().unwrap().to_owned();

    alice.wait_notify().await;
    let got = alice.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].r#type, 6, "a SYSTEM conversation");
    assert_eq!(got[0].from_user_id, "__SYSTEM__");
    assert_eq!(got[0].msg_id.as_deref(), Some(uid.as_str()));
    assert_eq!(content_of(&got[0]), "to everyone");
    erin.wait_notify().await;
    assert_eq!(
        erin.sync().await.iter().map(content_of).collect::<Vec<_>>(),
        ["to everyone"]
    );

    // Bob connects later and finds it in his sync.
    let mut bob = Client::connect(&server, "bob").await;
    let got = bob.sync().await;
    assert_eq!(
        got.iter().map(content_of).collect::<Vec<_>>(),
        ["to everyone"]
    );
    drop((alice, bob, erin));
    server.stop().await;

    // Carol connects only after a restart.
    let server = start(dir.path(), |_| {}).await;
    let mut carol = Client::connect(&server, "carol").await;
    let got = carol.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].msg_id.as_deref(), Some(uid.as_str()));
    // Someone registered after the broadcast does not get it.
    let mut dave = Client::connect(&server, "dave").await;
    assert!(dave.sync().await.is_empty());
    server.stop().await;
}
