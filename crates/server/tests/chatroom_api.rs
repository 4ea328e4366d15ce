//! The chatroom Server API (server-api.md §2.5) through signed requests: answer shapes and key
//! names of every endpoint, errors, and what the queries report about members who joined over
//! the socket.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::join;
use common::{api, start, Client};
use serde_json::{json, Value};

async fn call(server: &im_server::RunningServer, path: &str, form: &str) -> (u16, Value) {
    api(
        server.addr,
        "test-app-secret-0123456789",
        &format!("/{path}.json"),
        form,
    )
    .await
}

async fn ok(server: &im_server::RunningServer, path: &str, form: &str) -> Value {
    let (status, body) = call(server, path, form).await;
    assert_eq!(
        (status, &body["code"]),
        (200, &json!(200)),
        "{path}: {body}"
    );
    body
}

async fn refused(server: &im_server::RunningServer, path: &str, form: &str) -> (u16, i64) {
    let (status, body) = call(server, path, form).await;
    assert!(body["errorMessage"].is_string(), "{path}: {body}");
    (status, body["code"].as_i64().unwrap())
}

/// The request is refused as invalid: HTTP 400, code 1002.
async fn invalid(server: &im_server::RunningServer, path: &str, form: &str) {
    assert_eq!(
        refused(server, path, form).await,
        (400, 1002),
        "{path} {form}"
    );
}

#[tokio::test]
async fn rooms_are_created_queried_and_destroyed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    ok(
        &server,
        "chatroom/create",
        "chatroom%5Br1%5D=Room%20one&chatroom%5Br2%5D=two",
    )
    .await;
    ok(&server, "chatroom/create", "chatroom%5Br1%5D=again").await;
    let body = ok(
        &server,
        "chatroom/query",
        "chatroomId=r1&chatroomId=r2&chatroomId=nope",
    )
    .await;
    let rooms = body["chatRooms"].as_array().unwrap();
    assert_eq!(rooms.len(), 2, "unknown rooms are left out");
    let r1 = rooms.iter().find(|r| r["chrmId"] == "r1").unwrap();
    assert_eq!(r1["name"], "Room one", "creating again keeps the room");
    assert_eq!(
        r1["time"].as_str().unwrap().len(),
        "YYYY-MM-DD HH:MM:SS".len()
    );

    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "r1", -1).await;
    ok(
        &server,
        "chatroom/destroy",
        "chatroomId=r1&chatroomId=never",
    )
    .await;
    let body = ok(&server, "chatroom/query", "chatroomId=r1").await;
    assert_eq!(body["chatRooms"], json!([]));
    let body = ok(&server, "chatroom/user/query", "chatroomId=r1").await;
    assert_eq!((&body["total"], &body["users"]), (&json!(0), &json!([])));

    invalid(&server, "chatroom/create", "").await;
    invalid(&server, "chatroom/destroy", "").await;
    let long = "x".repeat(65);
    let form = format!("chatroom%5B{long}%5D=n");
    invalid(&server, "chatroom/create", &form).await;
    server.stop().await;
}

#[tokio::test]
async fn member_queries_report_socket_joins_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut clients = Vec::new();
    for name in ["amy", "ben", "cat"] {
        let mut c = Client::connect(&server, name).await;
        join(&mut c, "hall", -1).await;
        clients.push(c);
    }
    let body = ok(
        &server,
        "chatroom/user/query",
        "chatroomId=hall&count=2&order=1",
    )
    .await;
    assert_eq!(body["total"], 3);
    let ids: Vec<&str> = body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["amy", "ben"]);
    let body = ok(
        &server,
        "chatroom/user/query",
        "chatroomId=hall&count=2&order=2",
    )
    .await;
    let ids: Vec<&str> = body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["cat", "ben"]);
    assert!(body["users"][0]["time"].is_string());
    invalid(&server, "chatroom/user/query", "chatroomId=hall&order=3").await;
    invalid(&server, "chatroom/user/query", "chatroomId=hall&count=x").await;

    let body = ok(
        &server,
        "chatroom/users/exist",
        "chatroomId=hall&userId=ben&userId=zed",
    )
    .await;
    assert_eq!(
        body["result"],
        json!([{"userId": "ben", "isInChrm": 1}, {"userId": "zed", "isInChrm": 0}])
    );
    let body = ok(&server, "chatroom/user/exist", "chatroomId=hall&userId=cat").await;
    assert_eq!(body["isInChrm"], json!(true));
    let body = ok(&server, "chatroom/user/exist", "chatroomId=gone&userId=cat").await;
    assert_eq!(body["isInChrm"], json!(false));
    invalid(&server, "chatroom/users/exist", "chatroomId=hall").await;
    invalid(&server, "chatroom/user/exist", "userId=cat").await;
    server.stop().await;
}

#[tokio::test]
async fn mutes_bans_and_blocks_are_listed_until_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    for (add, remove, list, room) in [
        (
            "chatroom/user/gag/add",
            "chatroom/user/gag/rollback",
            "chatroom/user/gag/list",
            "chatroomId=chatroom001&",
        ),
        (
            "chatroom/user/block/add",
            "chatroom/user/block/rollback",
            "chatroom/user/block/list",
            "chatroomId=ChartRoomId&",
        ),
        (
            "chatroom/user/ban/add",
            "chatroom/user/ban/remove",
            "chatroom/user/ban/query",
            "",
        ),
    ] {
        ok(
            &server,
            add,
            &format!("{room}userId=seal9901&userId=seal9902&minute=30"),
        )
        .await;
        let body = ok(&server, list, room.trim_end_matches('&')).await;
        let users = body["users"].as_array().unwrap();
        assert_eq!(users.len(), 2, "{list}: {body}");
        assert_eq!(users[0]["userId"], "seal9901");
        assert!(users[0]["time"].is_string());
        ok(&server, remove, &format!("{room}userId=seal9901&minute=30")).await;
        let body = ok(&server, list, room.trim_end_matches('&')).await;
        assert_eq!(body["users"].as_array().unwrap().len(), 1, "{list}");
        invalid(&server, add, &format!("{room}userId=a&minute=0")).await;
        invalid(&server, add, &format!("{room}userId=a&minute=43201")).await;
        invalid(&server, add, &format!("{room}minute=5")).await;
        let many: String = (0..21).map(|i| format!("userId=u{i}&")).collect();
        invalid(&server, add, &format!("{room}{many}minute=5")).await;
    }
    invalid(&server, "chatroom/user/gag/add", "userId=a&minute=5").await;
    server.stop().await;
}

#[tokio::test]
async fn keepalive_priority_and_whitelists_round_trip_with_their_official_keys() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    ok(&server, "chatroom/keepalive/add", "chatroomId=k1").await;
    ok(&server, "chatroom/keepalive/add", "chatroomId=k2").await;
    let body = ok(&server, "chatroom/keepalive/query", "").await;
    assert_eq!(body["chatroomIds"], json!(["k1", "k2"]));
    ok(&server, "chatroom/keepalive/remove", "chatroomId=k1").await;
    assert_eq!(
        refused(&server, "chatroom/keepalive/remove", "chatroomId=k1").await,
        (200, 1015)
    );
    invalid(&server, "chatroom/keepalive/add", "").await;

    // Low-priority and whitelisted objectNames: the same calls under their own keys.
    for (prefix, key, remove, answer) in [
        (
            "chatroom/message/priority",
            "objectName",
            "remove",
            "objectNames",
        ),
        (
            "chatroom/whitelist",
            "objectnames",
            "delete",
            "whitlistMsgType",
        ),
    ] {
        let both = format!("{key}=RC:TxtMsg&{key}=App:Gift");
        ok(&server, &format!("{prefix}/add"), &both).await;
        ok(
            &server,
            &format!("{prefix}/{remove}"),
            &format!("{key}=RC:TxtMsg"),
        )
        .await;
        let body = ok(&server, &format!("{prefix}/query"), "").await;
        assert_eq!(body[answer], json!(["App:Gift"]), "{prefix}");
        let add = format!("{prefix}/add");
        invalid(&server, &add, "").await;
        invalid(&server, &add, "other=X").await;
    }

    ok(
        &server,
        "chatroom/user/whitelist/add",
        "chatroomId=chatroom001&userId=seal9901&userId=vip",
    )
    .await;
    ok(
        &server,
        "chatroom/user/whitelist/remove",
        "chatroomId=chatroom001&userId=vip",
    )
    .await;
    let body = ok(
        &server,
        "chatroom/user/whitelist/query",
        "chatroomId=chatroom001",
    )
    .await;
    assert_eq!(body["users"], json!(["seal9901"]));
    let six: String = (0..6).map(|i| format!("&userId=u{i}")).collect();
    let form = format!("chatroomId=chatroom001{six}");
    invalid(&server, "chatroom/user/whitelist/add", &form).await;

    ok(
        &server,
        "chatroom/message/stopDistribution",
        "chatroomId=ChartRoomId",
    )
    .await;
    ok(
        &server,
        "chatroom/message/resumeDistribution",
        "chatroomId=ChartRoomId",
    )
    .await;
    invalid(&server, "chatroom/message/stopDistribution", "").await;

    let msg = "fromUserId=admin&objectName=RC:TxtMsg&content=%7B%22content%22%3A%22hi%22%7D";
    ok(
        &server,
        "message/chatroom/publish",
        &format!("toChatroomId=never-created&{msg}"),
    )
    .await;
    ok(&server, "message/chatroom/broadcast", msg).await;
    invalid(&server, "message/chatroom/publish", msg).await;
    let bad = "toChatroomId=r&fromUserId=admin&objectName=RC:TxtMsg&content=helloworld";
    invalid(&server, "message/chatroom/publish", bad).await;
    assert_eq!(refused(&server, "chatroom/nothing", "").await, (404, 404));
    server.stop().await;
}
