//! The Server API over signed HTTP: tokens, bad signatures, groups, publishing to a connected
//! client, blacklists and error envelopes.

mod common;

use common::{api, content_of, start, Client};

#[tokio::test]
async fn a_token_from_get_token_connects_and_a_bad_signature_gets_1004() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (status, body) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/user/getToken.json",
        "userId=u1&name=U",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 200);
    assert_eq!(body["userId"], "u1");
    let token = body["token"].as_str().unwrap().to_owned();
    let (_ws, first) = common::connect_raw(&server, "testkey", &token).await;
    assert!(matches!(first, im_wire::ServerFrame::ConnAck(a) if a.status == 0));

    let (status, body) = api(server.addr, "wrong", "/user/getToken.json", "userId=u1").await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], 1004);
    assert!(body["errorMessage"].is_string());

    let long = "x".repeat(65);
    let (status, body) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/user/getToken.json",
        &format!("userId={long}"),
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(1002)));
    let (status, body) = api(
        server.addr,
        "test-app-secret-0123456789",
        "//no/such.json",
        "",
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(404)));
    server.stop().await;
}

#[tokio::test]
async fn group_and_system_messages_published_by_the_api_reach_connected_members() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let secret = "test-app-secret-0123456789";
    let (s, _) = api(
        server.addr,
        secret,
        "/group/create.json",
        "userId=a&userId=b&groupId=g&groupName=G",
    )
    .await;
    assert_eq!(s, 200);
    let (_, members) = api(server.addr, secret, "/group/user/query.json", "groupId=g").await;
    assert_eq!(
        members["users"],
        serde_json::json!([{"id": "a"}, {"id": "b"}])
    );

    let mut b = Client::connect(&server, "b").await;
    let content = "%7B%22content%22%3A%22hi%20all%22%7D";
    let (s, body) = api(
        server.addr,
        secret,
        "/message/group/publish.json",
        &format!("fromUserId=admin&toGroupId=g&objectName=RC%3ATxtMsg&content={content}"),
    )
    .await;
    assert_eq!((s, body["code"].as_i64()), (200, Some(200)));
    b.wait_notify().await;
    let got = b.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(content_of(&got[0]), "hi all");
    assert_eq!(got[0].group_id.as_deref(), Some("g"));

    let (s, _) = api(
        server.addr,
        secret,
        "/message/system/publish.json",
        &format!("fromUserId=sys&toUserId=b&objectName=RC%3ATxtMsg&content={content}"),
    )
    .await;
    assert_eq!(s, 200);
    let got = b.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].r#type, 6);

    let (s, _) = api(
        server.addr,
        secret,
        "/group/quit.json",
        "userId=b&groupId=g",
    )
    .await;
    assert_eq!(s, 200);
    let (_, members) = api(server.addr, secret, "/group/user/query.json", "groupId=g").await;
    assert_eq!(members["users"], serde_json::json!([{"id": "a"}]));
    server.stop().await;
}

#[tokio::test]
async fn an_expired_token_is_refused_on_connect() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let token = server.issue_token("u");
    let later = im_server::clock::wall_ms() + 1;
    let (s, _) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/user/token/expire.json",
        &format!("userId=u&time={later}"),
    )
    .await;
    assert_eq!(s, 200);
    let (_ws, first) = common::connect_raw(&server, "testkey", &token).await;
    assert!(matches!(first, im_wire::ServerFrame::ConnAck(a) if a.status == 4));
    server.stop().await;
}

/// A request that announces a large body and sends none of it: answered 401 at once when it is
/// not signed; a signed one would wait for its body.
#[tokio::test]
async fn an_unsigned_request_is_refused_before_its_body_is_read() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    for headers in [
        "",
        "App-Key: testkey\r\nNonce: 1\r\nTimestamp: 1\r\nSignature: 0000\r\n",
    ] {
        let mut s = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let head = format!(
            "POST /user/getToken.json HTTP/1.1\r\nHost: x\r\n{headers}\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 524288\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(common::GUARD, s.read(&mut buf))
            .await
            .expect("answered without the body")
            .unwrap();
        let text = String::from_utf8_lossy(&buf[..n]);
        assert!(text.starts_with("HTTP/1.1 401"), "{text}");
        assert!(text.contains("1004"), "{text}");
    }
    // The server is still fine.
    let (status, _) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/user/getToken.json",
        "userId=u2",
    )
    .await;
    assert_eq!(status, 200);
    server.stop().await;
}
