//! Connection caps and the header deadline over real sockets: connections beyond the cap for
//! one address (loopback included) or in total are closed at once; sockets that never finish
//! their request line (slowloris), or stay idle after a kept-alive request, are closed after
//! `header_timeout_secs`; meanwhile `/ping` answers and fresh users still talk.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use common::health::{assert_healthy, closed, connect_from, is_closed};
use common::{start, GUARD};
use im_server::metrics::{refusals, Reason};
use tokio::io::AsyncWriteExt;

const FLOODER: &str = "127.0.0.2";

#[tokio::test]
async fn connections_over_the_per_address_cap_are_closed_at_once_and_others_still_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.connections.max_per_ip = 20;
        c.connections.header_timeout_secs = 10;
    })
    .await;
    let before = refusals(Reason::ConnectionsPerIp);
    let mut held = Vec::new();
    for _ in 0..30 {
        held.push(connect_from(FLOODER, server.addr).await);
    }
    // Ten of the thirty are closed by the server without a byte sent or read.
    let mut refused = 0;
    let deadline = Instant::now() + GUARD;
    while refused < 10 && Instant::now() < deadline {
        refused = held.iter().filter(|s| is_closed(s)).count();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(refused, 10);
    assert!(refusals(Reason::ConnectionsPerIp) >= before + 10);
    // 127.0.0.1 is another address: served while 127.0.0.2 is at its cap.
    assert_healthy(&server, "per-ip").await;
    // The twenty admitted ones are still open; closing one frees a place.
    assert_eq!(held.iter().filter(|s| is_closed(s)).count(), 10);
    held.retain(|s| !is_closed(s));
    held.pop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut again = connect_from(FLOODER, server.addr).await;
    again
        .write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut again, &mut answer)
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(held);
    server.stop().await;
}

#[tokio::test]
async fn connections_over_the_total_cap_are_closed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.connections.max_total = 5;
        c.connections.header_timeout_secs = 10;
    })
    .await;
    let before = refusals(Reason::ConnectionsTotal);
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(connect_from(FLOODER, server.addr).await);
    }
    let extra = connect_from("127.0.0.1", server.addr).await;
    tokio::time::timeout(GUARD, closed(extra)).await.unwrap();
    assert!(refusals(Reason::ConnectionsTotal) > before);
    drop(held);
    // Places come back when the holders leave.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_healthy(&server, "total").await;
    server.stop().await;
}

#[tokio::test]
async fn slowloris_sockets_are_closed_after_the_header_timeout_while_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.connections.header_timeout_secs = 1).await;
    assert_eq!(
        server.state().config.connections.max_per_ip,
        256,
        "the default cap"
    );
    let before = refusals(Reason::HeaderTimeout);
    let started = Instant::now();
    let mut waits = Vec::new();
    for _ in 0..300 {
        let mut s = connect_from(FLOODER, server.addr).await;
        // Half a request line; a closed (refused) socket may fail the write.
        let _ = s.write_all(b"GET /ping HT").await;
        waits.push(tokio::spawn(async move {
            closed(s).await;
            started.elapsed()
        }));
    }
    // Meanwhile the server serves everyone else.
    assert_healthy(&server, "slowloris").await;
    // Every socket is closed by the server: 44 over the cap at once, the others at the
    // header deadline (1 s), well within the 5 s guard.
    let mut last = Duration::ZERO;
    for w in waits {
        let took = tokio::time::timeout(GUARD, w).await.unwrap().unwrap();
        last = last.max(took);
    }
    assert!(
        last >= Duration::from_secs(1),
        "closed at the deadline, not before: {last:?}"
    );
    assert!(refusals(Reason::HeaderTimeout) >= before + 200);
    assert_healthy(&server, "after-slowloris").await;
    server.stop().await;
}

#[tokio::test]
async fn a_kept_alive_connection_idle_past_the_header_timeout_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.connections.header_timeout_secs = 1).await;
    let mut s = connect_from("127.0.0.1", server.addr).await;
    s.write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = tokio::io::AsyncReadExt::read(&mut s, &mut buf)
        .await
        .unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    // No second request: the connection is closed at the deadline instead of kept forever.
    tokio::time::timeout(GUARD, closed(s)).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn a_stop_does_not_wait_for_half_sent_requests() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.connections.header_timeout_secs = 30).await;
    let mut half = connect_from(FLOODER, server.addr).await;
    half.write_all(b"GET /ping HT").await.unwrap();
    let silent = connect_from(FLOODER, server.addr).await;
    assert_healthy(&server, "stop").await;
    // Well before the 30 s deadline.
    tokio::time::timeout(GUARD, server.stop()).await.unwrap();
    tokio::time::timeout(GUARD, closed(half)).await.unwrap();
    tokio::time::timeout(GUARD, closed(silent)).await.unwrap();
}

#[tokio::test]
async fn a_signed_server_api_request_that_trickles_its_body_is_answered_408_at_the_deadline() {
    use tokio::io::AsyncReadExt;
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.connections.header_timeout_secs = 1).await;
    let before = refusals(Reason::BodyTimeout);
    let (nonce, ts) = ("777", "1700000000");
    let sig = im_server::api::auth::signature("test-app-secret-0123456789", nonce, ts);
    let addr = server.addr;
    let started = Instant::now();
    let mut s = connect_from(FLOODER, addr).await;
    // Valid signed headers, then 10 of the 1,000 body bytes announced, then nothing.
    let head = format!(
        "POST /user/getToken.json HTTP/1.1\r\nHost: {addr}\r\nApp-Key: testkey\r\nNonce: {nonce}\r\n\
         Timestamp: {ts}\r\nSignature: {sig}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nuserId=abc"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(GUARD, s.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let took = started.elapsed();
    let res = String::from_utf8_lossy(&out);
    assert!(res.starts_with("HTTP/1.1 408"), "{res}");
    assert!(res.contains("\"code\":1002"), "{res}");
    assert!(
        took >= Duration::from_secs(1),
        "at the deadline, not before: {took:?}"
    );
    assert!(refusals(Reason::BodyTimeout) > before);
    assert_healthy(&server, "after-trickled-body").await;
    server.stop().await;
}
