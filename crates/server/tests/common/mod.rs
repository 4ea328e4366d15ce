//! Shared helpers for the integration tests: a server on 127.0.0.1 with a real SQLite file in a
//! temp dir, or a PostgreSQL database with `IM_TEST_STORE=postgres` (see [`store`]), and a
//! minimal protocol client built on `im-wire`. Waits are bounded (5 s) only to
//! turn a hang into a failure; no test measures time.

#![allow(dead_code, unreachable_pub)]
// Test support: failing loudly is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod chatroom;
pub mod entries;
pub mod health;
pub mod process;
pub mod settings;
pub mod store;
pub mod testbus;

use std::collections::VecDeque;
use std::path::Path;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use im_server::{Config, RunningServer};
use im_wire::frame::{ClientPublish, ConnAck, Qos, Query, QueryAck, ServerPubAck, ServerPublish};
use im_wire::proto::{
    self, DownStreamMessage, DownStreamMessages, SyncRequestMsg, UpStreamMessage,
};
use im_wire::{ClientFrame, ServerFrame};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const GUARD: Duration = Duration::from_secs(5);

/// A server with its data in `dir` (and in the database of `dir` on PostgreSQL), configured
/// by `tweak`.
pub async fn start(dir: &Path, tweak: impl FnOnce(&mut Config)) -> RunningServer {
    let mut config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        store: store::store_url(dir),
        app_key: Some("testkey".into()),
        app_secret: Some("test-app-secret-0123456789".into()),
        ..Config::default()
    };
    tweak(&mut config);
    im_server::start(config).await.unwrap()
}

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u16,
    pending: VecDeque<ServerFrame>,
    pub user: String,
    pub recv_box: i64,
    pub send_box: i64,
    /// `finished` of the last pull reply (`None` before the first): `s_msg` is taken only
    /// when it is `Some(true)`, as the original client does (api.md §5.1).
    pub finished: Option<bool>,
    /// Messages taken from `s_msg` and not yet returned by [`Client::sync`].
    pub direct: Vec<DownStreamMessage>,
}

pub fn text(s: &str) -> UpStreamMessage {
    UpStreamMessage {
        session_id: 3,
        classname: "RC:TxtMsg".into(),
        content: format!(r#"{{"content":"{s}","extra":""}}"#).into_bytes(),
        config_flag: Some(0),
        ..UpStreamMessage::default()
    }
}

pub fn content_of(m: &DownStreamMessage) -> String {
    let v: serde_json::Value = serde_json::from_slice(&m.content).unwrap();
    v["content"].as_str().unwrap_or_default().to_owned()
}

pub async fn connect_raw(
    server: &RunningServer,
    app: &str,
    token: &str,
) -> (WebSocketStream<MaybeTlsStream<TcpStream>>, ServerFrame) {
    let url = format!(
        "ws://{}/websocket?appId={app}&token={token}&sdkVer=2.5.3&apiVer=1",
        server.addr
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let first = next_frame(&mut ws).await.expect("a first frame");
    (ws, first)
}

async fn next_frame(ws: &mut WebSocketStream<MaybeTlsStream<TcpStream>>) -> Option<ServerFrame> {
    loop {
        let msg = tokio::time::timeout(GUARD, ws.next())
            .await
            .expect("the server answered within the guard time");
        match msg {
            Some(Ok(Message::Binary(b))) => return Some(ServerFrame::decode(&b).unwrap()),
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

impl Client {
    pub async fn connect(server: &RunningServer, user: &str) -> Self {
        let token = server.issue_token(user);
        Self::connect_with(server.addr, &server.app.key, &token, user).await
    }

    /// Connects and pulls once, as clients do at connect (`s_msg` reaches it from then on).
    pub async fn connect_synced(server: &RunningServer, user: &str) -> Self {
        let mut c = Self::connect(server, user).await;
        c.sync().await;
        c
    }

    /// Connects to any server address with an app key and token.
    pub async fn connect_with(
        addr: std::net::SocketAddr,
        app: &str,
        token: &str,
        user: &str,
    ) -> Self {
        let url = format!("ws://{addr}/websocket?appId={app}&token={token}&sdkVer=2.5.3&apiVer=1");
        Self::connect_url(&url, None, user).await
    }

    /// Connects to a `ws://` or `wss://` URL (TLS through `connector`) and expects CONNACK 0.
    pub async fn connect_url(
        url: &str,
        connector: Option<tokio_tungstenite::Connector>,
        user: &str,
    ) -> Self {
        let (mut ws, _) =
            tokio_tungstenite::connect_async_tls_with_config(url, None, false, connector)
                .await
                .unwrap();
        let first = next_frame(&mut ws).await.expect("a first frame");
        match first {
            ServerFrame::ConnAck(ConnAck { status: 0, .. }) => {}
            other => panic!("expected CONNACK 0, got {other:?}"),
        }
        Self {
            ws,
            next_id: 0,
            pending: VecDeque::new(),
            user: user.to_owned(),
            recv_box: 0,
            send_box: 0,
            finished: None,
            direct: Vec::new(),
        }
    }

    pub fn id(&mut self) -> u16 {
        self.next_id = self.next_id % 65535 + 1;
        self.next_id
    }

    pub async fn send(&mut self, frame: ClientFrame) {
        self.send_raw(frame.encode().unwrap()).await;
    }

    pub async fn send_raw(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::Binary(bytes.into())).await.unwrap();
    }

    /// The next frame (buffered ones first); `None` when the server closed the connection.
    pub async fn recv(&mut self) -> Option<ServerFrame> {
        if let Some(f) = self.pending.pop_front() {
            return Some(f);
        }
        self.read().await
    }

    /// The next frame from the socket. An `s_msg` is handled as it arrives, as the original
    /// client does (see [`Client::take_direct`]), and still returned.
    async fn read(&mut self) -> Option<ServerFrame> {
        let f = next_frame(&mut self.ws).await?;
        if let ServerFrame::Publish(p) = &f {
            if p.topic == "s_msg" {
                self.take_direct(p).await;
            }
        }
        Some(f)
    }

    /// Whether a server PUBLISH of `topic` was read and is still buffered.
    pub fn pending_publish(&self, topic: &str) -> bool {
        self.pending
            .iter()
            .any(|f| matches!(f, ServerFrame::Publish(p) if p.topic == topic))
    }

    /// The first frame matching `pred`; others stay buffered in order.
    pub async fn recv_matching(&mut self, pred: impl Fn(&ServerFrame) -> bool) -> ServerFrame {
        if let Some(i) = self.pending.iter().position(&pred) {
            return self.pending.remove(i).unwrap();
        }
        loop {
            let f = self.read().await.expect("connection open");
            if pred(&f) {
                return f;
            }
            self.pending.push_back(f);
        }
    }

    pub async fn publish(
        &mut self,
        topic: &str,
        target: &str,
        up: &UpStreamMessage,
    ) -> ServerPubAck {
        let msg_id = self.id();
        self.send(ClientFrame::Publish(ClientPublish {
            qos: Qos::AtLeastOnce,
            topic: topic.into(),
            target_id: target.into(),
            msg_id,
            payload: proto::encode(up),
        }))
        .await;
        match self
            .recv_matching(|f| matches!(f, ServerFrame::PubAck(a) if a.msg_id == msg_id))
            .await
        {
            ServerFrame::PubAck(a) => a,
            _ => unreachable!(),
        }
    }

    pub async fn query(
        &mut self,
        topic: &str,
        target: &str,
        payload: Vec<u8>,
        qos: Qos,
    ) -> QueryAck {
        let msg_id = self.id();
        self.send(ClientFrame::Query(Query {
            qos,
            topic: topic.into(),
            target_id: target.into(),
            msg_id,
            payload,
        }))
        .await;
        match self
            .recv_matching(|f| matches!(f, ServerFrame::QueryAck(a) if a.msg_id == msg_id))
            .await
        {
            ServerFrame::QueryAck(a) => a,
            _ => unreachable!(),
        }
    }

    /// One `pullMsg` with the client's current boxes; advances them as the original client
    /// does (api.md §5.2) and returns the processed items and `finished`.
    pub async fn pull_once(&mut self) -> (Vec<DownStreamMessage>, bool) {
        let req = SyncRequestMsg {
            sync_time: self.recv_box,
            ispolling: false,
            is_pull_send: Some(true),
            send_box_sync_time: Some(self.send_box),
            ..SyncRequestMsg::default()
        };
        let user = self.user.clone();
        let ack = self
            .query("pullMsg", &user, proto::encode(&req), Qos::AtLeastOnce)
            .await;
        assert_eq!(ack.status, 0);
        assert_eq!(ack.qos, Qos::AtLeastOnce, "pull replies ask for QUERYCON");
        self.send(ClientFrame::QueryCon(im_wire::frame::QueryCon {
            msg_id: ack.msg_id,
        }))
        .await;
        let reply: DownStreamMessages = proto::decode(&ack.payload).unwrap();
        self.finished = reply.finished;
        let mut out = Vec::new();
        for m in reply.list {
            if m.direction == Some(1) {
                if m.data_time > self.send_box {
                    self.send_box = m.data_time;
                    out.push(m);
                }
            } else if m.data_time > self.recv_box {
                self.recv_box = m.data_time;
                out.push(m);
            }
        }
        (out, reply.finished.expect("finished is always set"))
    }

    /// Pulls until finished, waiting for the `s_ntf` the server sends after a truncated batch.
    /// Messages already taken from `s_msg` come first.
    pub async fn sync(&mut self) -> Vec<DownStreamMessage> {
        let mut all = std::mem::take(&mut self.direct);
        loop {
            let (items, finished) = self.pull_once().await;
            // Taken from s_msg frames read before the reply.
            all.append(&mut self.direct);
            all.extend(items);
            if finished {
                return all;
            }
            self.wait_notify().await;
        }
    }

    /// The objectNames of what [`Client::sync`] gets, in order.
    pub async fn synced_object_names(&mut self) -> Vec<String> {
        self.sync().await.into_iter().map(|m| m.classname).collect()
    }

    /// Waits for news of stored messages: an `s_ntf`, or an `s_msg` of a stored message that
    /// the client took (see [`Client::take_direct`]). Returns the publish.
    pub async fn wait_notify(&mut self) -> ServerPublish {
        loop {
            let f = self
                .recv_matching(
                    |f| matches!(f, ServerFrame::Publish(p) if p.topic == "s_ntf" || p.topic == "s_msg"),
                )
                .await;
            let ServerFrame::Publish(p) = f else {
                unreachable!()
            };
            if p.topic == "s_ntf" || (p.qos == Qos::AtLeastOnce && !self.direct.is_empty()) {
                return p;
            }
        }
    }

    /// Handles an `s_msg` as the original client does: acknowledged when QoS 1, dropped while
    /// the last pull is unfinished, else it moves the box of its direction. A stored message
    /// (im-server sends those with QoS 1) is kept for [`Client::sync`].
    async fn take_direct(&mut self, p: &ServerPublish) {
        if p.qos == Qos::AtLeastOnce {
            self.send(ClientFrame::PubAck(im_wire::frame::ClientPubAck {
                msg_id: p.msg_id,
            }))
            .await;
        }
        if self.finished != Some(true) {
            return;
        }
        let m: DownStreamMessage = proto::decode(&p.payload).unwrap();
        if m.direction == Some(1) {
            self.send_box = m.data_time;
        } else {
            self.recv_box = m.data_time;
        }
        if p.qos == Qos::AtLeastOnce {
            self.direct.push(m);
        }
    }
}

/// Whether `p` announces or carries the stored message of time `time`: an `s_ntf` of that
/// time, or an `s_msg` of that message.
pub fn announces(p: &ServerPublish, time: u64) -> bool {
    let time = i64::try_from(time).unwrap();
    match p.topic.as_str() {
        "s_ntf" => proto::decode::<im_wire::proto::NotifyMsg>(&p.payload)
            .is_ok_and(|n| n.time == Some(time)),
        "s_msg" => {
            proto::decode::<DownStreamMessage>(&p.payload).is_ok_and(|m| m.data_time == time)
        }
        _ => false,
    }
}

/// One connection per user, in order.
pub async fn connect_all<const N: usize>(server: &RunningServer, users: [&str; N]) -> [Client; N] {
    let mut out = Vec::with_capacity(N);
    for u in users {
        out.push(Client::connect(server, u).await);
    }
    out.try_into().ok().unwrap()
}

/// Stores discussion `id` named "trip", created by the first of `members`.
pub async fn save_discussion(server: &RunningServer, id: &str, members: &[&str]) {
    let d = im_server::store::Discussion {
        id: id.into(),
        name: "trip".into(),
        admin: members[0].into(),
        open_status: 0,
        members: members.iter().map(|m| (*m).to_owned()).collect(),
    };
    server
        .state()
        .store
        .call(move |s| s.save_discussion(&d))
        .await
        .unwrap();
}

/// A raw HTTP/1.1 request over a fresh connection; returns the whole response text.
pub async fn http(addr: std::net::SocketAddr, head: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = String::new();
    tokio::time::timeout(GUARD, s.read_to_string(&mut out))
        .await
        .unwrap()
        .unwrap();
    out
}

pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    http(addr, &head, b"").await
}

/// A signed Server API call (server-api.md §1.3); returns (HTTP status, JSON body).
pub async fn api(
    addr: std::net::SocketAddr,
    secret: &str,
    path: &str,
    form: &str,
) -> (u16, serde_json::Value) {
    api_signed(addr, secret, path, form, "12345", "1700000000").await
}

/// A Server API call with a chosen Nonce and Timestamp.
pub async fn api_signed(
    addr: std::net::SocketAddr,
    secret: &str,
    path: &str,
    form: &str,
    nonce: &str,
    ts: &str,
) -> (u16, serde_json::Value) {
    let sig = im_server::api::auth::signature(secret, nonce, ts);
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nApp-Key: testkey\r\nNonce: {nonce}\r\n\
         Timestamp: {ts}\r\nSignature: {sig}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        form.len()
    );
    let res = http(addr, &head, form.as_bytes()).await;
    let status: u16 = res[9..12].parse().unwrap();
    let body = res.split("\r\n\r\n").nth(1).unwrap();
    (status, serde_json::from_str(body).unwrap())
}

/// The texts of the newest page (up to 10) of one conversation's remote history, newest first,
/// from a history topic such as `qryPMsg` (api.md §3.3).
pub async fn history_texts(c: &mut Client, topic: &str, target: &str) -> Vec<String> {
    let query = proto::encode(&im_wire::proto::HistoryMsgInput {
        target_id: Some(target.into()),
        time: Some(0),
        count: Some(10),
        order: Some(0),
    });
    let ack = c.query(topic, target, query, Qos::AtMostOnce).await;
    assert_eq!(ack.status, 0);
    let page: im_wire::proto::HistoryMessagesOuput = proto::decode(&ack.payload).unwrap();
    page.list.iter().map(content_of).collect()
}

/// A signed Server API call with a JSON body (the endpoints of server-api.md §1.4 that take
/// one); returns (HTTP status, JSON body).
pub async fn api_json(
    addr: std::net::SocketAddr,
    secret: &str,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let (nonce, ts) = ("12345", "1700000000");
    let sig = im_server::api::auth::signature(secret, nonce, ts);
    let body = body.to_string();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nApp-Key: testkey\r\nNonce: {nonce}\r\n\
         Timestamp: {ts}\r\nSignature: {sig}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let res = http(addr, &head, body.as_bytes()).await;
    let status: u16 = res[9..12].parse().unwrap();
    let body = res.split("\r\n\r\n").nth(1).unwrap();
    (status, serde_json::from_str(body).unwrap())
}

/// A GET over a fresh connection; returns (status, body bytes).
pub async fn http_get_bytes(addr: std::net::SocketAddr, path: &str) -> (u16, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(GUARD, s.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status: u16 = std::str::from_utf8(&out[9..12]).unwrap().parse().unwrap();
    let head = String::from_utf8_lossy(&out[..split]).to_ascii_lowercase();
    let mut body = out[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}
