//! Connecting: CONNACK codes, the first PINGREQ, navigation and `/ping`.

mod common;

use common::{connect_raw, http_get, start, Client};
use im_wire::frame::ConnAck;
use im_wire::{ClientFrame, ServerFrame};

#[tokio::test]
async fn a_valid_token_gets_connack_0_with_the_user_id_and_pings_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let token = server.issue_token("alice");
    let (_ws, first) = connect_raw(&server, "testkey", &token).await;
    match first {
        ServerFrame::ConnAck(ConnAck {
            status: 0,
            session: Some(s),
        }) => {
            assert_eq!(s.user_id, "alice");
            assert!(s.timestamp > 1_600_000_000_000);
        }
        other => panic!("unexpected {other:?}"),
    }
    let mut c = Client::connect(&server, "bob").await;
    c.send(ClientFrame::PingReq).await;
    assert_eq!(c.recv().await, Some(ServerFrame::PingResp));
    server.stop().await;
}

#[tokio::test]
async fn a_bad_token_gets_status_4_and_an_unknown_app_key_status_5() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (_ws, first) = connect_raw(&server, "testkey", "not-a-token").await;
    assert_eq!(
        first,
        ServerFrame::ConnAck(ConnAck {
            status: 4,
            session: None
        })
    );
    let token = server.issue_token("alice");
    let (_ws, first) = connect_raw(&server, "otherkey", &token).await;
    assert_eq!(
        first,
        ServerFrame::ConnAck(ConnAck {
            status: 5,
            session: None
        })
    );
    server.stop().await;
}

#[tokio::test]
async fn navigation_answers_jsonp_with_this_server_and_wraps_errors_in_http_200() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let token = server.issue_token("alice");
    let ok = http_get(
        server.addr,
        &format!("/navi.js?appId=testkey&token={token}&callBack=getServerEndpoint&v=2.5.3&r=1"),
    )
    .await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok
        .to_ascii_lowercase()
        .contains("access-control-allow-origin: *"));
    let body = ok.split("\r\n\r\n").nth(1).unwrap();
    let json = body
        .strip_prefix("getServerEndpoint(")
        .and_then(|b| b.strip_suffix(");"))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["code"], 200);
    assert_eq!(v["userId"], "alice");
    assert_eq!(v["server"], server.addr.to_string());
    assert!(!v["backupServer"].as_str().unwrap().is_empty());

    let bad = http_get(server.addr, "/navi.js?appId=testkey&token=x&callBack=cb").await;
    assert!(bad.starts_with("HTTP/1.1 200"));
    assert!(bad.ends_with(r#"cb({"code":401});"#), "{bad}");
    let fake = http_get(server.addr, &format!("/navi.json?appId=nope&token={token}")).await;
    assert!(fake.ends_with(r#"{"code":403}"#), "{fake}");

    let ping = http_get(server.addr, "/ping?r=1").await;
    assert!(ping.starts_with("HTTP/1.1 200"));
    assert!(ping
        .to_ascii_lowercase()
        .contains("access-control-allow-origin"));
    server.stop().await;
}
