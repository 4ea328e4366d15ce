//! The engine against the real `im-server` on 127.0.0.1, over real sockets and a real SQLite file:
//! navigation, `/ping`, the WebSocket, sending, live delivery, offline sync exactly once and in
//! order, and a server restart between send and sync. Each scenario runs twice: over http and ws,
//! and over https and wss against the server's built-in TLS with a self-signed certificate made
//! here, trusted by the test's HTTP and WebSocket client (verification on). Real time drives the
//! engine here; waits are bounded only to turn a hang into a failure.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    // This driver is the host: real time is its input to the engine.
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use std::any::Any;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use im_client::wire::content::TextMessage;
use im_client::{Config, Engine, Event, Output, Reply, RequestId, SendRequest};
use im_server::{Config as ServerConfig, RunningServer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::Connector;

const GUARD: Duration = Duration::from_secs(10);

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// The server's built-in TLS: its certificate and key files, and a client configuration that
/// trusts that certificate only (verification stays on).
struct Tls {
    cert: PathBuf,
    key: PathBuf,
    client: Arc<ClientConfig>,
}

/// What a scenario runs on: a data directory and, for https/wss, a fresh self-signed
/// certificate for 127.0.0.1.
struct Setup {
    dir: tempfile::TempDir,
    tls: Option<Tls>,
}

impl Setup {
    /// http and ws.
    fn plain() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            tls: None,
        }
    }

    /// https and wss.
    fn tls() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        std::fs::write(&cert, made.cert.pem()).unwrap();
        std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
        let mut roots = RootCertStore::empty();
        roots.add(made.cert.der().clone()).unwrap();
        let client = ClientConfig::builder_with_provider(im_server::tls::provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        Self {
            dir,
            tls: Some(Tls {
                cert,
                key,
                client: Arc::new(client),
            }),
        }
    }

    /// The URL schemes the engine must use: (HTTP, WebSocket).
    fn schemes(&self) -> (&'static str, &'static str) {
        if self.tls.is_some() {
            ("https://", "wss://")
        } else {
            ("http://", "ws://")
        }
    }

    /// Starts the server on the data directory (the same one on every call) and `addr`.
    async fn start_server(&self, addr: SocketAddr) -> RunningServer {
        let config = ServerConfig {
            addr,
            data_dir: self.dir.path().join("data"),
            app_key: Some("testkey".into()),
            app_secret: Some("test-app-secret-0123456789".into()),
            tls_cert: self.tls.as_ref().map(|t| t.cert.clone()),
            tls_key: self.tls.as_ref().map(|t| t.key.clone()),
            ..ServerConfig::default()
        };
        let server = im_server::start(config).await.unwrap();
        assert_eq!(server.tls, self.tls.is_some());
        server
    }

    /// One SDK user of the server at `navi`, configured for this setup's schemes.
    fn device(&self, navi: SocketAddr, token: &str, storage: im_client::Storage) -> Device {
        let mut config = Config::new("testkey");
        config.navi_hosts = vec![navi.to_string()];
        config.navi_file = "navi.json".into();
        config.secure = self.tls.is_some();
        config.seed = 7;
        config.storage = storage;
        let client = self.tls.as_ref().map(|t| t.client.clone());
        Device::start(config, token, client)
    }
}

/// An HTTP/1.1 GET over plain TCP or, for `https://`, over TLS with `tls`: (status, body);
/// status 0 on a network error, a certificate that is not trusted included.
async fn http_get(url: &str, tls: Option<&Arc<ClientConfig>>) -> (u16, String) {
    let (rest, tls) = match (url.strip_prefix("https://"), tls) {
        (Some(rest), Some(tls)) => (rest, Some(tls)),
        (Some(_), None) => return (0, String::new()),
        (None, _) => (url.strip_prefix("http://").unwrap(), None),
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Ok(tcp) = TcpStream::connect(host).await else {
        return (0, String::new());
    };
    let Some(tls) = tls else {
        return http_exchange(tcp, host, path).await;
    };
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let Ok(name) = ServerName::try_from(name.to_owned()) else {
        return (0, String::new());
    };
    match tokio_rustls::TlsConnector::from(tls.clone())
        .connect(name, tcp)
        .await
    {
        Ok(stream) => http_exchange(stream, host, path).await,
        Err(_) => (0, String::new()),
    }
}

async fn http_exchange(
    mut s: impl AsyncRead + AsyncWrite + Unpin,
    host: &str,
    path: &str,
) -> (u16, String) {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).await.is_err() {
        return (0, String::new());
    }
    let mut buf = Vec::new();
    // The server may end a TLS stream without close_notify; what was read still counts.
    let _ = s.read_to_end(&mut buf).await;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Any engine call, made with the current time; its value goes back to the test.
type Call = Box<dyn FnOnce(&mut Engine, u64) -> Box<dyn Any + Send> + Send>;

enum Command {
    Send(SendRequest, tokio::sync::oneshot::Sender<RequestId>),
    Call(Call, tokio::sync::oneshot::Sender<Box<dyn Any + Send>>),
}

/// One SDK user: an engine driven by real time and real sockets in its own task.
struct Device {
    commands: mpsc::UnboundedSender<Command>,
    events: mpsc::UnboundedReceiver<Event>,
    /// Every URL the engine asked for (HTTP requests and sockets), in order.
    urls: Arc<Mutex<Vec<String>>>,
}

impl Device {
    /// `tls`: the client configuration for `https://` and `wss://` URLs.
    fn start(config: Config, token: &str, tls: Option<Arc<ClientConfig>>) -> Self {
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let (ev_tx, ev_rx) = mpsc::unbounded_channel();
        let urls = Arc::new(Mutex::new(Vec::new()));
        let host = Host {
            tls,
            urls: urls.clone(),
        };
        let token = token.to_owned();
        tokio::spawn(drive(Engine::new(config), host, token, cmd_rx, ev_tx));
        Self {
            commands: cmd_tx,
            events: ev_rx,
            urls,
        }
    }

    /// Asserts that the engine used only `(http, ws)` schemes, and both of them.
    fn assert_schemes(&self, (http, ws): (&str, &str)) {
        let urls = self.urls.lock().unwrap().clone();
        assert!(urls.iter().any(|u| u.starts_with(http)), "{urls:?}");
        assert!(urls.iter().any(|u| u.starts_with(ws)), "{urls:?}");
        assert!(
            urls.iter()
                .all(|u| u.starts_with(http) || u.starts_with(ws)),
            "{urls:?}"
        );
    }

    async fn send(&self, to: &str, text: &str) -> RequestId {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let req = SendRequest::new(1, to, TextMessage::new(text).into());
        self.commands.send(Command::Send(req, tx)).unwrap();
        rx.await.unwrap()
    }

    /// Runs `f` on the engine (with the current time) in the device's task; its value.
    async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Engine, u64) -> T + Send + 'static,
    ) -> T {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let call: Call = Box::new(move |e, now| Box::new(f(e, now)));
        self.commands.send(Command::Call(call, tx)).unwrap();
        *rx.await.unwrap().downcast::<T>().unwrap()
    }

    /// Waits (bounded) for the outcome of request `id`.
    async fn outcome(&mut self, id: RequestId) -> Result<Reply, im_client::RequestError> {
        self.wait_for(|e| match e {
            Event::RequestCompleted { id: got, result } if got == id => Some(result),
            _ => None,
        })
        .await
    }

    /// Waits (bounded) for the first event that `pick` accepts, skipping the others.
    async fn wait_for<T>(&mut self, mut pick: impl FnMut(Event) -> Option<T>) -> T {
        tokio::time::timeout(GUARD, async {
            loop {
                let ev = self.events.recv().await.expect("device stopped");
                if let Some(t) = pick(ev) {
                    return t;
                }
            }
        })
        .await
        .expect("event within the guard time")
    }

    async fn connected(&mut self) -> String {
        self.wait_for(|e| match e {
            Event::Connected { user_id } => Some(user_id),
            _ => None,
        })
        .await
    }

    async fn received_text(&mut self) -> (String, String) {
        self.wait_for(|e| match e {
            Event::MessageReceived { message, .. } => match message.content.type_name() {
                "TextMessage" => Some((
                    message
                        .content
                        .get("content")
                        .and_then(im_client::wire::value::Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    message.message_uid.clone().unwrap_or_default(),
                )),
                _ => None,
            },
            _ => None,
        })
        .await
    }

    async fn sent(&mut self, id: RequestId) -> String {
        self.wait_for(|e| match e {
            Event::RequestCompleted { id: got, result } if got == id => match result {
                Ok(Reply::Sent { message }) => {
                    Some(message.message_uid.clone().unwrap_or_default())
                }
                other => panic!("send failed: {other:?}"),
            },
            _ => None,
        })
        .await
    }
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

/// What the driver needs besides the engine: trust for TLS, and the record of URLs.
struct Host {
    tls: Option<Arc<ClientConfig>>,
    urls: Arc<Mutex<Vec<String>>>,
}

async fn drive(
    mut engine: Engine,
    host: Host,
    token: String,
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<Event>,
) {
    let mut ws: Option<Ws> = None;
    let mut deadline;
    engine.connect(now_ms(), &token);
    loop {
        // Drain, then perform what the engine asked for (HTTP is answered inline).
        loop {
            match engine.poll_output() {
                Output::Timeout { at_ms } => {
                    deadline = at_ms;
                    break;
                }
                Output::Event { event } => {
                    let _ = events.send(event);
                }
                Output::HttpGet { id, url } => {
                    host.urls.lock().unwrap().push(url.clone());
                    let (status, body) = http_get(&url, host.tls.as_ref()).await;
                    engine.handle_http_response(now_ms(), id, status, &body);
                }
                Output::OpenSocket { url } => {
                    host.urls.lock().unwrap().push(url.clone());
                    // No connector for plain ws; for wss, ours: it trusts the test's certificate.
                    let connector = host.tls.clone().map(Connector::Rustls);
                    match tokio_tungstenite::connect_async_tls_with_config(
                        url, None, false, connector,
                    )
                    .await
                    {
                        Ok((s, _)) => {
                            ws = Some(s);
                            engine.handle_socket_open(now_ms());
                        }
                        Err(_) => engine.handle_socket_close(now_ms(), 1006),
                    }
                }
                Output::SendBytes { bytes } => {
                    if let Some(s) = ws.as_mut() {
                        let _ = s.send(WsMessage::Binary(bytes.into())).await;
                    }
                }
                Output::CloseSocket => {
                    if let Some(mut s) = ws.take() {
                        let _ = s.close(None).await;
                    }
                }
                _ => {}
            }
        }
        let sleep = Duration::from_millis(deadline.saturating_sub(now_ms()).min(60_000));
        tokio::select! {
            cmd = commands.recv() => match cmd {
                Some(Command::Send(req, reply)) => {
                    let _ = reply.send(engine.send_message(now_ms(), req));
                }
                Some(Command::Call(f, reply)) => {
                    let _ = reply.send(f(&mut engine, now_ms()));
                }
                // The test dropped the device: leave like an app that disconnects.
                None => {
                    engine.disconnect(now_ms());
                    if let Some(mut s) = ws.take() {
                        let _ = s.close(None).await;
                    }
                    return;
                }
            },
            msg = async { ws.as_mut().unwrap().next().await }, if ws.is_some() => match msg {
                Some(Ok(WsMessage::Binary(b))) => engine.handle_socket_data(now_ms(), &b),
                Some(Ok(WsMessage::Close(frame))) => {
                    ws = None;
                    engine.handle_socket_close(now_ms(), frame.map_or(1005, |f| f.code.into()));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    ws = None;
                    engine.handle_socket_close(now_ms(), 1006);
                }
            },
            () = tokio::time::sleep(sleep) => engine.handle_timeout(now_ms()),
        }
    }
}

/// Two users connect through navigation (CONNACK accepted) and exchange a message each way.
async fn two_engines_exchange_messages(setup: Setup) {
    let server = setup.start_server("127.0.0.1:0".parse().unwrap()).await;
    let mut alice = setup.device(
        server.addr,
        &server.issue_token("alice"),
        Default::default(),
    );
    let mut bob = setup.device(server.addr, &server.issue_token("bob"), Default::default());
    assert_eq!(alice.connected().await, "alice");
    assert_eq!(bob.connected().await, "bob");

    let id = alice.send("bob", "hello bob").await;
    let uid = alice.sent(id).await;
    assert!(!uid.is_empty());
    let (text, got_uid) = bob.received_text().await;
    assert_eq!((text.as_str(), got_uid), ("hello bob", uid));

    let id = bob.send("alice", "hi alice").await;
    bob.sent(id).await;
    assert_eq!(alice.received_text().await.0, "hi alice");
    alice.assert_schemes(setup.schemes());
    bob.assert_schemes(setup.schemes());
    server.stop().await;
}

#[tokio::test]
async fn two_engines_exchange_messages_through_the_real_server() {
    two_engines_exchange_messages(Setup::plain()).await;
}

#[tokio::test]
async fn two_engines_exchange_messages_through_the_real_server_over_tls() {
    two_engines_exchange_messages(Setup::tls()).await;
}

/// Alice sends 30 messages to bob, who is offline, then the server restarts; bob connects and
/// pulls each of them once, in order.
async fn offline_user_gets_every_message_once_in_order_across_a_restart(setup: Setup) {
    let server = setup.start_server("127.0.0.1:0".parse().unwrap()).await;
    let addr = server.addr;
    let bob_token = server.issue_token("bob");
    let mut alice = setup.device(addr, &server.issue_token("alice"), Default::default());
    alice.connected().await;
    let mut uids = Vec::new();
    for i in 0..30 {
        let id = alice.send("bob", &format!("m{i}")).await;
        uids.push(alice.sent(id).await);
    }
    alice.assert_schemes(setup.schemes());
    drop(alice);
    // Everything acknowledged is durable: restart the server on the same data and address.
    server.stop().await;
    let server = setup.start_server(addr).await;

    let mut bob = setup.device(addr, &bob_token, Default::default());
    bob.connected().await;
    let mut got = Vec::new();
    for _ in 0..30 {
        got.push(bob.received_text().await);
    }
    let texts: Vec<_> = got.iter().map(|(t, _)| t.clone()).collect();
    let expected: Vec<_> = (0..30).map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected);
    assert_eq!(got.iter().map(|(_, u)| u.clone()).collect::<Vec<_>>(), uids);
    // Nothing more arrives: no duplicates after the batch.
    let extra = tokio::time::timeout(Duration::from_millis(500), bob.events.recv()).await;
    if let Ok(Some(Event::MessageReceived { message, .. })) = extra {
        panic!("unexpected extra message {:?}", message.message_uid);
    }
    bob.assert_schemes(setup.schemes());
    server.stop().await;
}

#[tokio::test]
async fn an_offline_user_gets_every_message_once_in_order_even_across_a_server_restart() {
    offline_user_gets_every_message_once_in_order_across_a_restart(Setup::plain()).await;
}

#[tokio::test]
async fn an_offline_user_gets_every_message_once_in_order_across_a_restart_over_tls() {
    offline_user_gets_every_message_once_in_order_across_a_restart(Setup::tls()).await;
}

/// Chatroom entries between two engines: alice sets an entry, bob sees it through `s_cmd` and
/// `pullKV`; bob cannot overwrite it without force (23424) and can with force; a removal reaches
/// alice; an auto-delete entry goes when its owner quits the room.
async fn chatroom_entries_reach_the_other_member(setup: Setup) {
    use im_client::ChatroomEntry;
    let server = setup.start_server("127.0.0.1:0".parse().unwrap()).await;
    let mut alice = setup.device(
        server.addr,
        &server.issue_token("alice"),
        Default::default(),
    );
    let mut bob = setup.device(server.addr, &server.issue_token("bob"), Default::default());
    assert_eq!(alice.connected().await, "alice");
    assert_eq!(bob.connected().await, "bob");
    for d in [&mut alice, &mut bob] {
        let id = d.call(|e, now| e.join_chatroom(now, "stage", 0)).await;
        assert_eq!(d.outcome(id).await, Ok(Reply::Done));
    }
    let entry = |key: &str, value: &str, auto_delete: bool| ChatroomEntry {
        key: key.into(),
        value: value.into(),
        auto_delete,
        ..Default::default()
    };
    /// Polls `device`'s cache (bounded) until `key` reads `want` (`None`: absent).
    async fn until(device: &Device, key: &'static str, want: Option<&str>) {
        tokio::time::timeout(GUARD, async {
            loop {
                let got = device
                    .call(move |e, _| e.chatroom_entry("stage", key).ok())
                    .await;
                if got.as_deref() == want {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the entry within the guard time");
    }

    let e = entry("topic", "rust", false);
    let id = alice
        .call(move |en, now| en.set_chatroom_entry(now, "stage", e, false))
        .await;
    assert_eq!(alice.outcome(id).await, Ok(Reply::Done));
    until(&bob, "topic", Some("rust")).await;

    let e = entry("topic", "wasm", false);
    let id = bob
        .call(move |en, now| en.set_chatroom_entry(now, "stage", e, false))
        .await;
    assert_eq!(bob.outcome(id).await.unwrap_err().code, 23424);
    let e = entry("topic", "wasm", false);
    let id = bob
        .call(move |en, now| en.set_chatroom_entry(now, "stage", e, true))
        .await;
    assert_eq!(bob.outcome(id).await, Ok(Reply::Done));
    until(&alice, "topic", Some("wasm")).await;

    let e = entry("topic", "", false);
    let id = bob
        .call(move |en, now| en.remove_chatroom_entry(now, "stage", e, false))
        .await;
    assert_eq!(bob.outcome(id).await, Ok(Reply::Done));
    until(&alice, "topic", None).await;

    let e = entry("seat", "alice", true);
    let id = alice
        .call(move |en, now| en.set_chatroom_entry(now, "stage", e, false))
        .await;
    assert_eq!(alice.outcome(id).await, Ok(Reply::Done));
    until(&bob, "seat", Some("alice")).await;
    let id = alice.call(|en, now| en.quit_chatroom(now, "stage")).await;
    assert_eq!(alice.outcome(id).await, Ok(Reply::Done));
    until(&bob, "seat", None).await;
    let gone = alice.call(|en, _| en.chatroom_entries("stage")).await;
    assert!(gone.0.is_empty(), "{gone:?}");
    server.stop().await;
}

#[tokio::test]
async fn chatroom_entries_reach_the_other_member_through_the_real_server() {
    chatroom_entries_reach_the_other_member(Setup::plain()).await;
}

#[tokio::test]
async fn chatroom_entries_reach_the_other_member_through_the_real_server_over_tls() {
    chatroom_entries_reach_the_other_member(Setup::tls()).await;
}

/// The `status` number and `online` flag of a user status value.
fn status_fields(status: &im_client::wire::value::Value) -> (Option<i64>, Option<i64>) {
    (
        status.get("status").and_then(|v| v.as_i64()),
        status.get("online").and_then(|v| v.as_i64()),
    )
}

#[tokio::test]
async fn user_status_and_file_requests_work_against_the_real_server() {
    use im_client::wire::enums::FileType;
    let setup = Setup::plain();
    let server = setup.start_server("127.0.0.1:0".parse().unwrap()).await;
    let mut alice = setup.device(
        server.addr,
        &server.issue_token("alice"),
        Default::default(),
    );
    let mut bob = setup.device(server.addr, &server.issue_token("bob"), Default::default());
    assert_eq!(alice.connected().await, "alice");
    assert_eq!(bob.connected().await, "bob");

    let id = alice
        .call(|e, now| e.subscribe_user_status(now, vec!["bob".into()]))
        .await;
    assert_eq!(alice.outcome(id).await, Ok(Reply::Done));
    let id = bob.call(|e, now| e.set_user_status(now, 6)).await;
    assert_eq!(bob.outcome(id).await, Ok(Reply::Done));
    alice
        .wait_for(|e| match e {
            Event::UserStatus { user_id, status } if user_id == "bob" => {
                (status_fields(&status) == (Some(6), Some(1))).then_some(())
            }
            _ => None,
        })
        .await;
    let id = bob.call(|e, now| e.user_status(now)).await;
    match bob.outcome(id).await {
        Ok(Reply::UserStatus { user_id, status }) => {
            assert_eq!(user_id, "bob");
            assert_eq!(status_fields(&status), (Some(6), Some(1)));
        }
        other => panic!("{other:?}"),
    }

    let id = alice
        .call(|e, now| e.file_token(now, FileType::Image))
        .await;
    match alice.outcome(id).await {
        Ok(Reply::FileToken { deadline, token }) => {
            assert!(deadline > i64::try_from(now_ms()).unwrap());
            assert!(!token.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let id = alice
        .call(|e, now| e.file_url(now, FileType::Image, "k1", None))
        .await;
    match alice.outcome(id).await {
        Ok(Reply::FileUrl { download_url }) => assert!(download_url.ends_with("/files/k1")),
        other => panic!("{other:?}"),
    }
    server.stop().await;
}
