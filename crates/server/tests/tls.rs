//! Built-in TLS (`tls_cert`, `tls_key`) with a self-signed certificate made here: `/ping` over
//! https, two users over wss authenticate and exchange a message; plain HTTP to the TLS port and
//! a client that never starts its handshake are closed and counted.

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::health::closed;
use common::{content_of, start, text, Client, GUARD};
use im_server::metrics::{refusals, Reason};
use im_server::RunningServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::{pki_types::ServerName, ClientConfig, RootCertStore};

/// Starts a TLS server with a fresh self-signed certificate for 127.0.0.1; returns it and a
/// client configuration that trusts that certificate only.
async fn tls_server(dir: &std::path::Path) -> (RunningServer, Arc<ClientConfig>) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    let server = start(&dir.join("data"), |c| {
        c.tls_cert = Some(cert);
        c.tls_key = Some(key);
        c.connections.header_timeout_secs = 1;
    })
    .await;
    assert!(server.tls);
    let mut roots = RootCertStore::empty();
    roots.add(made.cert.der().clone()).unwrap();
    let client = ClientConfig::builder_with_provider(im_server::tls::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    (server, Arc::new(client))
}

async fn https_get(addr: SocketAddr, client: Arc<ClientConfig>, path: &str) -> String {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = ServerName::IpAddress(addr.ip().into());
    let mut tls = tokio_rustls::TlsConnector::from(client)
        .connect(name, tcp)
        .await
        .unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tls.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    // The server may end without a TLS close_notify; what was read still counts.
    let _ = tokio::time::timeout(GUARD, tls.read_to_end(&mut out))
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

async fn wss_client(server: &RunningServer, client: &Arc<ClientConfig>, user: &str) -> Client {
    let token = server.issue_token(user);
    let url = format!(
        "wss://{}/websocket?appId={}&token={token}&sdkVer=2.5.3&apiVer=1",
        server.addr, server.app.key
    );
    let connector = tokio_tungstenite::Connector::Rustls(client.clone());
    Client::connect_url(&url, Some(connector), user).await
}

#[tokio::test]
async fn https_ping_and_a_message_between_two_wss_users() {
    let dir = tempfile::tempdir().unwrap();
    let (server, client) = tls_server(dir.path()).await;

    let pong = https_get(server.addr, client.clone(), "/ping").await;
    assert!(pong.starts_with("HTTP/1.1 200"), "{pong}");

    let mut alice = wss_client(&server, &client, "alice").await;
    let mut bob = wss_client(&server, &client, "bob").await;
    let ack = alice.publish("ppMsgP", "bob", &text("over tls")).await;
    assert_eq!(ack.status, 0);
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(got.iter().map(content_of).collect::<Vec<_>>(), ["over tls"]);
    server.stop().await;
}

#[tokio::test]
async fn plain_http_and_a_silent_client_on_the_tls_port_are_closed_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (server, client) = tls_server(dir.path()).await;
    let (failed, timed_out) = (
        refusals(Reason::TlsHandshake),
        refusals(Reason::HeaderTimeout),
    );

    let mut plain = TcpStream::connect(server.addr).await.unwrap();
    plain
        .write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    tokio::time::timeout(GUARD, closed(plain)).await.unwrap();
    assert!(refusals(Reason::TlsHandshake) > failed);

    // Sends nothing at all: closed at the 1 s deadline.
    let silent = TcpStream::connect(server.addr).await.unwrap();
    tokio::time::timeout(GUARD, closed(silent)).await.unwrap();
    assert!(refusals(Reason::HeaderTimeout) > timed_out);

    let pong = https_get(server.addr, client, "/ping").await;
    assert!(pong.starts_with("HTTP/1.1 200"), "{pong}");
    server.stop().await;
}

#[tokio::test]
async fn a_certificate_without_its_key_is_a_start_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = im_server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_path_buf(),
        store: common::store::store_url(dir.path()),
        tls_cert: Some(dir.path().join("cert.pem")),
        ..im_server::Config::default()
    };
    let err = im_server::start(config).await.unwrap_err();
    assert!(err.0.contains("tls_key"), "{err}");
}
