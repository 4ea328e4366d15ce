//! `api_addr` (`IM_API_ADDR`): with it, the Server API answers on that address only and the
//! public port answers 404 for it while still serving navigation, `/ping` and WebSocket
//! clients; without it, the public port serves the Server API as before.

#![allow(clippy::unwrap_used)]

mod common;

use common::health::assert_healthy;
use common::{api, http_get, start};

const SECRET: &str = "test-app-secret-0123456789";

#[tokio::test]
async fn with_an_api_address_the_public_port_answers_404_for_the_server_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.api_addr = Some("127.0.0.1:0".parse().unwrap())
    })
    .await;
    let api_addr = server.api_addr.expect("the bound API address");
    assert_ne!(api_addr, server.addr);

    let (status, body) = api(api_addr, SECRET, "/user/getToken.json", "userId=u1").await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)));
    assert!(body["token"].is_string());

    let (status, body) = api(server.addr, SECRET, "/user/getToken.json", "userId=u1").await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(404)));
    assert!(body.get("token").is_none());

    // Clients are served on the public port only.
    assert_healthy(&server, "split").await;
    let ping = http_get(api_addr, "/ping").await;
    assert!(ping.starts_with("HTTP/1.1 404"), "{ping}");
    server.stop().await;
}

#[tokio::test]
async fn without_an_api_address_the_public_port_serves_the_server_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    assert_eq!(server.api_addr, None);
    let (status, body) = api(server.addr, SECRET, "/user/getToken.json", "userId=u1").await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)));
    assert_healthy(&server, "shared").await;
    server.stop().await;
}
