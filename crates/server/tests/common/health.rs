//! "The server stays healthy": `/ping` answers and two fresh users exchange a message; and raw
//! sockets from another loopback address (Linux routes all of 127/8 to the loopback device), so
//! that a flood from one address leaves 127.0.0.1 free.

use std::net::SocketAddr;

use tokio::net::{TcpSocket, TcpStream};

use super::{content_of, http_get, text, Client};

/// `/ping` answers 200 and two users never seen before connect and exchange a message.
pub async fn assert_healthy(server: &im_server::RunningServer, tag: &str) {
    let pong = http_get(server.addr, "/ping").await;
    assert!(pong.starts_with("HTTP/1.1 200"), "{pong}");
    let (a, b) = (format!("{tag}-a"), format!("{tag}-b"));
    let mut alice = Client::connect(server, &a).await;
    let mut bob = Client::connect(server, &b).await;
    let ack = alice.publish("ppMsgP", &b, &text("still here")).await;
    assert_eq!(ack.status, 0);
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(
        got.iter().map(content_of).collect::<Vec<_>>(),
        ["still here"]
    );
}

/// A TCP connection to `to` from the loopback address `from` (any port).
pub async fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::new(from.parse().unwrap(), 0))
        .unwrap();
    socket.connect(to).await.unwrap()
}

/// Whether the peer has closed `s` (end of stream or reset) by now, without waiting.
pub fn is_closed(s: &TcpStream) -> bool {
    let mut buf = [0u8; 64];
    match s.try_read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// Waits until the peer closes `s` (reading and dropping anything it sends first).
pub async fn closed(mut s: TcpStream) {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    while let Ok(n) = s.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}
