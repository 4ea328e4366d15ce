//! User status (api.md §3.8): set and get one's own status, `s_stat` to watchers on a change
//! and on the first and last connection, the per-connection cap, and the status after a
//! restart.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{start, Client};
use im_wire::frame::ServerPublish;
use im_wire::proto::{
    self, GetUserStatusInput, GetUserStatusOutput, SetUserStatusInput, SubUserStatusInput,
};
use im_wire::{topic, ServerFrame};
use serde_json::Value;

/// The `us` object of a `GetUserStatusOutput`, and its user.
fn us(out: &GetUserStatusOutput) -> (String, Value) {
    let json: Value = serde_json::from_str(out.status.as_deref().unwrap()).unwrap();
    (out.sub_user_id.clone().unwrap(), json["us"].clone())
}

async fn own_status(c: &mut Client) -> (String, Value) {
    us(&c
        .ask_self(topic::USER_STATUS, &GetUserStatusInput::default())
        .await)
}

async fn set(c: &mut Client, status: Option<i32>) {
    c.ask_self(topic::SET_USER_STATUS, &SetUserStatusInput { status })
        .await;
}

async fn subscribe(c: &mut Client, users: &[&str]) -> u16 {
    let req = SubUserStatusInput {
        userid: users.iter().map(|u| (*u).to_owned()).collect(),
    };
    c.status_of(topic::SUBSCRIBE_USER_STATUS, &req).await
}

/// The next `s_stat` about `user`.
async fn next_stat(c: &mut Client, user: &str) -> Value {
    let f = c
        .recv_matching(
            |f| matches!(f, ServerFrame::Publish(p) if p.topic == topic::S_STAT && p.target_id == user),
        )
        .await;
    let ServerFrame::Publish(ServerPublish { payload, .. }) = f else {
        unreachable!()
    };
    let (who, us) = us(&proto::decode(&payload).unwrap());
    assert_eq!(who, user);
    us
}

#[tokio::test]
async fn a_user_sets_and_reads_their_own_status() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let (who, us) = own_status(&mut alice).await;
    assert_eq!(who, "alice");
    assert_eq!((us["o"].as_i64(), us["s"].as_i64()), (Some(1), Some(0)));
    assert_eq!(us["p"][0], "Websocket");
    set(&mut alice, Some(7)).await;
    assert_eq!(own_status(&mut alice).await.1["s"], 7);
    set(&mut alice, None).await;
    assert_eq!(
        own_status(&mut alice).await.1["s"],
        0,
        "an omitted status is 0"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_watcher_hears_online_status_changes_and_offline() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.devices_per_user = 2).await;
    let mut alice = Client::connect(&server, "alice").await;
    assert_eq!(subscribe(&mut alice, &["bob"]).await, 0);
    let now = next_stat(&mut alice, "bob").await;
    assert_eq!(
        (now["o"].as_i64(), now["s"].as_i64()),
        (Some(0), Some(0)),
        "current status first"
    );

    let mut bob = Client::connect(&server, "bob").await;
    assert_eq!(next_stat(&mut alice, "bob").await["o"], 1);
    set(&mut bob, Some(3)).await;
    let changed = next_stat(&mut alice, "bob").await;
    assert_eq!(
        (changed["o"].as_i64(), changed["s"].as_i64()),
        (Some(1), Some(3))
    );

    // A second device is no news, nor the first leaving while it stays; only the last is.
    let mut bob2 = Client::connect(&server, "bob").await;
    drop(bob);
    for _ in 0..500 {
        if server.state().hub.connections() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    set(&mut bob2, Some(4)).await;
    let still = next_stat(&mut alice, "bob").await;
    assert_eq!(
        (still["o"].as_i64(), still["s"].as_i64()),
        (Some(1), Some(4))
    );
    drop(bob2);
    let gone = next_stat(&mut alice, "bob").await;
    assert_eq!((gone["o"].as_i64(), gone["s"].as_i64()), (Some(0), Some(4)));
    assert_eq!(gone["p"].as_array().map(Vec::len), Some(0));
    server.stop().await;
}

#[tokio::test]
async fn subscriptions_are_capped_per_connection_and_kept_for_the_user_when_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let many: Vec<String> = (0..1000).map(|i| format!("u{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(subscribe(&mut alice, &many).await, 0);
    assert_eq!(
        subscribe(&mut alice, &["u5", "u6"]).await,
        0,
        "already watched"
    );
    assert_eq!(subscribe(&mut alice, &["one-more"]).await, 39001);
    let too_long = "x".repeat(65);
    assert_eq!(subscribe(&mut alice, &[too_long.as_str()]).await, 33003);
    let presence = &server.state().presence;
    assert_eq!(presence.sizes(), (1, 1, 1000));
    drop(alice);
    // The connection's end is noticed by the server; wait for it through the table itself.
    for _ in 0..500 {
        if presence.sizes() == (0, 0, 0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(presence.sizes(), (0, 0, 0));
    let now = server.state().clock.now();
    assert_eq!(presence.parked(now), (1, 1000));
    server.stop().await;
}

/// 2.5.3 subscribes once, in `setUserStatusListener`, and not again after it reconnects: the
/// user's next connection watches what the closed one did, and hears the current status first.
#[tokio::test]
async fn a_reconnected_watcher_that_does_not_subscribe_again_still_hears_changes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut bob = Client::connect(&server, "bob").await;
    // As 2.5.3's subscribeUserStatus sends it: QUERY subUserStatus, target = self.
    assert_eq!(subscribe(&mut bob, &["alice"]).await, 0);
    assert_eq!(next_stat(&mut bob, "alice").await["o"], 0);
    drop(bob);
    // The connection's end is noticed by the server; wait for it through the table itself.
    let state = server.state();
    for _ in 0..500 {
        if state.presence.parked(state.clock.now()) == (1, 1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let mut alice = Client::connect(&server, "alice").await;
    set(&mut alice, Some(5)).await;

    // Bob is back, and asks for nothing.
    let mut bob = Client::connect(&server, "bob").await;
    let now = next_stat(&mut bob, "alice").await;
    assert_eq!((now["o"].as_i64(), now["s"].as_i64()), (Some(1), Some(5)));
    set(&mut alice, Some(6)).await;
    let changed = next_stat(&mut bob, "alice").await;
    assert_eq!(changed["s"].as_i64(), Some(6));
    // Subscribing again adds nothing new (no second current status).
    assert_eq!(subscribe(&mut bob, &["alice"]).await, 0);
    drop(alice);
    let gone = next_stat(&mut bob, "alice").await;
    assert_eq!((gone["o"].as_i64(), gone["s"].as_i64()), (Some(0), Some(6)));
    server.stop().await;
}

#[tokio::test]
async fn a_status_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    set(&mut alice, Some(42)).await;
    drop(alice);
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    let mut bob = Client::connect(&server, "bob").await;
    assert_eq!(subscribe(&mut bob, &["alice"]).await, 0);
    let offline = next_stat(&mut bob, "alice").await;
    assert_eq!(
        (offline["o"].as_i64(), offline["s"].as_i64()),
        (Some(0), Some(42))
    );
    let mut alice = Client::connect(&server, "alice").await;
    assert_eq!(own_status(&mut alice).await.1["s"], 42);
    let online = next_stat(&mut bob, "alice").await;
    assert_eq!(
        (online["o"].as_i64(), online["s"].as_i64()),
        (Some(1), Some(42))
    );
    server.stop().await;
}

#[tokio::test]
async fn malformed_requests_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    set(&mut alice, Some(9)).await;
    // A field 1 varint with its value cut off.
    let garbage = vec![0x08];
    for t in [
        topic::SET_USER_STATUS.name(),
        topic::SUBSCRIBE_USER_STATUS.name(),
        topic::USER_STATUS.name(),
    ] {
        let ack = alice
            .query(t, "alice", garbage.clone(), im_wire::frame::Qos::AtMostOnce)
            .await;
        assert_eq!(ack.status, 33003, "{t}");
    }
    assert_eq!(own_status(&mut alice).await.1["s"], 9);
    assert_eq!(server.state().presence.sizes(), (1, 0, 0));
    server.stop().await;
}
