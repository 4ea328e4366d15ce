//! Group mutes (server-api.md §2.3, §3 item 18): a member muted with `group/user/gag/add`, or
//! any member of a group muted with `group/ban/add` who is not on its whitelist, gets
//! FORBIDDEN_IN_GROUP (22408) for `pgMsgP`; mutes end by time or rollback, an individual mute
//! beats the whitelist, Server API messages ignore mutes, and everything survives a restart.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, start, text, Client};
use im_server::clock::wall_ms;
use im_server::RunningServer;
use serde_json::{json, Value};

const SECRET: &str = "test-app-secret-0123456789";
const FORBIDDEN_IN_GROUP: u16 = 22408;

async fn call(server: &RunningServer, path: &str, form: &str) -> (u16, Value) {
    api(server.addr, SECRET, path, form).await
}

async fn ok(server: &RunningServer, path: &str, form: &str) -> Value {
    let (status, body) = call(server, path, form).await;
    assert_eq!(
        (status, body["code"].clone()),
        (200, json!(200)),
        "{path} {form}: {body}"
    );
    body
}

async fn send(c: &mut Client, group: &str) -> u16 {
    c.publish("pgMsgP", group, &text("hi")).await.status
}

fn listed_users(body: &Value) -> Vec<String> {
    body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn muted_members_cannot_send_until_the_mute_ends_or_is_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    ok(
        &server,
        "/group/create.json",
        "groupId=g1&groupName=G&userId=alice&userId=bob",
    )
    .await;
    ok(
        &server,
        "/group/create.json",
        "groupId=g2&groupName=H&userId=bob",
    )
    .await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    ok(
        &server,
        "/group/user/gag/add.json",
        "userId=bob&groupId=g1&minute=10",
    )
    .await;
    assert_eq!(send(&mut bob, "g1").await, FORBIDDEN_IN_GROUP);
    assert_eq!(
        send(&mut bob, "g2").await,
        0,
        "other groups are not affected"
    );
    assert_eq!(send(&mut alice, "g1").await, 0);
    let list = ok(&server, "/group/user/gag/list.json", "groupId=g1").await;
    assert_eq!(listed_users(&list), ["bob"]);
    let end = list["users"][0]["time"].as_str().unwrap();
    assert_eq!(end.len(), "YYYY-MM-DD HH:MM:SS".len());

    // Server API messages ignore mutes.
    let form =
        "fromUserId=bob&toGroupId=g1&objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22x%22%7D";
    ok(&server, "/message/group/publish.json", form).await;

    ok(
        &server,
        "/group/user/gag/rollback.json",
        "userId=bob&groupId=g1",
    )
    .await;
    assert_eq!(send(&mut bob, "g1").await, 0);
    let list = ok(&server, "/group/user/gag/list.json", "groupId=g1").await;
    assert_eq!(list["users"], json!([]));

    // A mute whose end has come no longer refuses (set directly: the API counts in minutes).
    let state = server.state();
    ok(
        &server,
        "/group/user/gag/add.json",
        "userId=bob&groupId=g1&minute=1",
    )
    .await;
    assert_eq!(send(&mut bob, "g1").await, FORBIDDEN_IN_GROUP);
    state
        .moderation
        .gag(&state.store, "g1", &["bob".into()], wall_ms())
        .await
        .unwrap();
    assert_eq!(send(&mut bob, "g1").await, 0, "the mute has ended");
    let list = ok(&server, "/group/user/gag/list.json", "groupId=g1").await;
    assert_eq!(list["users"], json!([]));

    // minute=0 mutes until rolled back; no groupId mutes in every group.
    ok(
        &server,
        "/group/user/gag/add.json",
        "userId=alice&groupId=g1&minute=0",
    )
    .await;
    let list = ok(&server, "/group/user/gag/list.json", "groupId=g1").await;
    assert_eq!(list["users"][0]["time"], "9999-12-31 23:59:59");
    ok(&server, "/group/user/gag/add.json", "userId=bob&minute=5").await;
    assert_eq!(send(&mut bob, "g2").await, FORBIDDEN_IN_GROUP);
    ok(&server, "/group/user/gag/rollback.json", "userId=bob").await;
    assert_eq!(send(&mut bob, "g2").await, 0);

    let users: Vec<String> = (0..21).map(|i| format!("userId=u{i}")).collect();
    for bad in [
        "userId=bob&groupId=g1&minute=43201".to_owned(),
        "userId=bob&groupId=g1&minute=-1".to_owned(),
        "userId=bob&groupId=g1".to_owned(),
        "groupId=g1&minute=5".to_owned(),
        format!("{}&groupId=g1&minute=5", users.join("&")),
    ] {
        let (status, body) = call(&server, "/group/user/gag/add.json", &bad).await;
        assert_eq!((status, body["code"].as_i64()), (400, Some(1002)), "{bad}");
    }

    // Stored: alice's permanent mute outlives a restart.
    drop((alice, bob));
    server.stop().await;
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    assert_eq!(send(&mut alice, "g1").await, FORBIDDEN_IN_GROUP);
    let list = ok(&server, "/group/user/gag/list.json", "groupId=g1").await;
    assert_eq!(listed_users(&list), ["alice"]);
    server.stop().await;
}

#[tokio::test]
async fn mute_all_spares_the_whitelist_but_not_muted_members() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    ok(
        &server,
        "/group/create.json",
        "groupId=g1&groupName=G&userId=alice&userId=bob&userId=carol",
    )
    .await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;

    ok(&server, "/group/ban/add.json", "groupId=g1").await;
    for c in [&mut alice, &mut bob, &mut carol] {
        assert_eq!(send(c, "g1").await, FORBIDDEN_IN_GROUP);
    }
    let q = ok(&server, "/group/ban/query.json", "").await;
    assert_eq!(q["groupinfo"], json!([{"groupId": "g1", "stat": 1}]));
    let q = ok(&server, "/group/ban/query.json", "groupId=g1&groupId=g9").await;
    assert_eq!(
        q["groupinfo"],
        json!([{"groupId": "g1", "stat": 1}, {"groupId": "g9", "stat": 0}])
    );

    ok(
        &server,
        "/group/user/ban/whitelist/add.json",
        "groupId=g1&userId=alice&userId=bob",
    )
    .await;
    assert_eq!(send(&mut alice, "g1").await, 0, "whitelisted");
    assert_eq!(send(&mut carol, "g1").await, FORBIDDEN_IN_GROUP);
    ok(
        &server,
        "/group/user/gag/add.json",
        "userId=bob&groupId=g1&minute=10",
    )
    .await;
    assert_eq!(
        send(&mut bob, "g1").await,
        FORBIDDEN_IN_GROUP,
        "a member mute wins"
    );
    let q = ok(
        &server,
        "/group/user/ban/whitelist/query.json",
        "groupId=g1",
    )
    .await;
    assert_eq!(q["userIds"], json!(["alice", "bob"]));

    let (status, body) = call(&server, "/group/ban/add.json", "").await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(1002)));
    let (_, body) = call(&server, "/group/user/ban/whitelist/add.json", "userId=x").await;
    assert_eq!(body["code"], 1002, "groupId is required");

    // Stored: mute-all and the whitelist outlive a restart.
    drop((alice, bob, carol));
    server.stop().await;
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut carol = Client::connect(&server, "carol").await;
    assert_eq!(send(&mut alice, "g1").await, 0);
    assert_eq!(send(&mut carol, "g1").await, FORBIDDEN_IN_GROUP);

    ok(
        &server,
        "/group/user/ban/whitelist/rollback.json",
        "groupId=g1&userId=alice",
    )
    .await;
    assert_eq!(send(&mut alice, "g1").await, FORBIDDEN_IN_GROUP);
    ok(&server, "/group/ban/rollback.json", "groupId=g1").await;
    assert_eq!(send(&mut carol, "g1").await, 0);
    assert_eq!(send(&mut alice, "g1").await, 0);
    let q = ok(&server, "/group/ban/query.json", "").await;
    assert_eq!(q["groupinfo"], json!([]));
    let q = ok(
        &server,
        "/group/user/ban/whitelist/query.json",
        "groupId=g1",
    )
    .await;
    assert_eq!(
        q["userIds"],
        json!(["bob"]),
        "the whitelist is kept for the next mute-all"
    );
    server.stop().await;
}
