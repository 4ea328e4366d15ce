//! Files (api.md §3.8 `getFileToken` / `getFileUrl`, served by this server): a token from
//! `qnTkn`, a multipart upload over real HTTP, the URL from `qnUrl`, and downloads whole and in
//! ranges; refusals of forged and expired tokens, files over the limit, bad keys and broken
//! forms, with nothing stored; and the files after a restart.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::net::SocketAddr;

use common::{start, Client, GUARD};
use im_wire::proto::{GetQNdownloadUrlInput, GetQNupTokenInput};
use im_wire::topic;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Res {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Res {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One HTTP/1.1 exchange over a fresh connection.
async fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> Res {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut request = head.as_bytes().to_vec();
    request.extend_from_slice(body);
    // A refused upload may be answered before all of it is sent.
    let _ = s.write_all(&request).await;
    let mut out = Vec::new();
    tokio::time::timeout(GUARD, s.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(out[..split].to_vec()).unwrap();
    Res {
        status: head[9..12].parse().unwrap(),
        head,
        body: out[split + 4..].to_vec(),
    }
}

async fn get(addr: SocketAddr, path: &str, extra: &str) -> Res {
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n");
    exchange(addr, &head, b"").await
}

const BOUNDARY: &str = "----form7MA4YWxkTrZu0gW";

/// A multipart body as a browser builds it: each field, then the file.
fn form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut b = Vec::new();
    for (name, value) in fields {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((content_type, bytes)) = file {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                 filename=\"pic.png\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// Moves the closing delimiter of a form whose parts were appended after it to the end.
fn close_last(form: &[u8]) -> Vec<u8> {
    let close = format!("--{BOUNDARY}--\r\n");
    let at = form
        .windows(close.len())
        .position(|w| w == close.as_bytes())
        .unwrap();
    let mut out = form[..at].to_vec();
    out.extend_from_slice(&form[at + close.len()..]);
    out.extend_from_slice(close.as_bytes());
    out
}

async fn post(addr: SocketAddr, path: &str, body: &[u8]) -> Res {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    exchange(addr, &head, body).await
}

async fn token(c: &mut Client, file_type: i32) -> String {
    let out = c
        .ask_self(topic::FILE_TOKEN, &GetQNupTokenInput { r#type: file_type })
        .await;
    assert!(out.deadline > 0);
    out.token
}

async fn url(c: &mut Client, file_type: i32, key: &str, name: Option<&str>) -> String {
    let req = GetQNdownloadUrlInput {
        r#type: file_type,
        key: key.into(),
        file_name: name.map(str::to_owned),
    };
    c.ask_self(topic::FILE_URL, &req).await.download_url
}

/// Bytes that would trip a careless multipart reader: CRLFs, dashes, part of the boundary.
fn tricky(n: usize) -> Vec<u8> {
    let pattern = format!("\r\n--{}\r\n\0\u{ff}", &BOUNDARY[..10]);
    pattern.bytes().cycle().take(n).collect()
}

fn path_of(url: &str, addr: SocketAddr) -> String {
    url.strip_prefix(&format!("http://{addr}"))
        .unwrap()
        .to_owned()
}

/// Files under the store's data directory.
fn stored(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join("files/data")).unwrap().count()
        + std::fs::read_dir(dir.join("files/staging"))
            .unwrap()
            .count()
}

#[tokio::test]
async fn an_upload_is_served_back_whole_and_in_ranges_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let addr = server.addr;
    let mut alice = Client::connect(&server, "alice").await;

    let bytes = tricky(5000);
    let tk = token(&mut alice, 1).await;
    let up = post(
        addr,
        "/upload",
        &form(
            &[("token", &tk), ("key", "img-1.png")],
            Some(("image/png", &bytes)),
        ),
    )
    .await;
    assert_eq!(up.status, 200, "{}", String::from_utf8_lossy(&up.body));
    let answer = up.json();
    assert_eq!(answer["key"], "img-1.png");
    let hash = answer["hash"].as_str().unwrap().to_owned();

    let link = url(&mut alice, 1, "img-1.png", None).await;
    let path = path_of(&link, addr);
    assert_eq!(path, "/files/img-1.png");
    let whole = get(addr, &path, "").await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, bytes);
    assert_eq!(whole.header("content-type").as_deref(), Some("image/png"));
    assert_eq!(whole.header("accept-ranges").as_deref(), Some("bytes"));
    assert_eq!(
        whole.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let etag = whole.header("etag").unwrap();
    assert!(etag.contains(&hash));
    let again = get(addr, &path, &format!("If-None-Match: {etag}\r\n")).await;
    assert_eq!(again.status, 304);

    let part = get(addr, &path, "Range: bytes=10-19\r\n").await;
    assert_eq!(part.status, 206);
    assert_eq!(part.body, bytes[10..20]);
    assert_eq!(
        part.header("content-range").as_deref(),
        Some("bytes 10-19/5000")
    );
    let tail = get(addr, &path, "Range: bytes=-7\r\n").await;
    assert_eq!((tail.status, tail.body.as_slice()), (206, &bytes[4993..]));
    let beyond = get(addr, &path, "Range: bytes=5000-\r\n").await;
    assert_eq!(beyond.status, 416);
    assert_eq!(
        beyond.header("content-range").as_deref(),
        Some("bytes */5000")
    );

    // Without a key the hash names the file (2.5.3 reads `hash` as the key); at qiniu's path.
    // Bigger than the default body limit of the HTTP stack, to show it streams.
    let video = tricky(3 << 20);
    let tk = token(&mut alice, 3).await;
    let up = post(
        addr,
        "/",
        &form(&[("token", &tk)], Some(("video/mp4", &video))),
    )
    .await;
    assert_eq!(up.status, 200, "{}", String::from_utf8_lossy(&up.body));
    let key = up.json()["key"].as_str().unwrap().to_owned();
    assert_eq!(up.json()["hash"], key.as_str());

    let named = url(&mut alice, 3, &key, Some("holiday film.mp4")).await;
    assert!(named.ends_with("?attname=holiday+film.mp4"), "{named}");
    let film = get(addr, &path_of(&named, addr), "").await;
    assert_eq!(film.body.len(), video.len());
    assert!(film.body == video);
    assert_eq!(
        film.header("content-disposition").as_deref(),
        Some("attachment; filename*=UTF-8''holiday%20film.mp4")
    );
    drop(alice);
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    let whole = get(server.addr, "/files/img-1.png", "").await;
    assert_eq!((whole.status, whole.body == bytes), (200, true));
    assert_eq!(whole.header("etag"), Some(etag));
    server.stop().await;
}

#[tokio::test]
async fn refused_uploads_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.files.max_image_bytes = 1000).await;
    let addr = server.addr;
    let mut alice = Client::connect(&server, "alice").await;
    let small = tricky(100);
    let image = Some(("image/png", small.as_slice()));

    let tk = token(&mut alice, 1).await;
    let (policy, mac) = tk.split_once('.').unwrap();
    let flipped = if mac.starts_with('A') { "B" } else { "A" };
    let forged = format!("{policy}.{flipped}{}", &mac[1..]);
    let up = post(addr, "/upload", &form(&[("token", &forged)], image)).await;
    assert_eq!(
        (up.status, up.json()["error"].as_str()),
        (401, Some("bad token"))
    );

    let now = im_server::clock::wall_ms();
    let (_, old) = server.state().files.token("alice", 1, now - 3_700_000);
    let up = post(addr, "/upload", &form(&[("token", &old)], image)).await;
    assert_eq!(
        (up.status, up.json()["error"].as_str()),
        (401, Some("expired token"))
    );

    let up = post(addr, "/upload", &form(&[], image)).await;
    assert_eq!(up.status, 401, "no token");

    let big = tricky(2000);
    let up = post(
        addr,
        "/upload",
        &form(&[("token", &tk)], Some(("image/png", &big))),
    )
    .await;
    assert_eq!(up.status, 413);
    // The limit is the token's type's: a file token takes the same bytes.
    let file_tk = token(&mut alice, 4).await;
    let up = post(
        addr,
        "/upload",
        &form(&[("token", &file_tk)], Some(("text/plain", &big))),
    )
    .await;
    assert_eq!(up.status, 200);
    let file_key = up.json()["key"].as_str().unwrap().to_owned();

    for key in ["../escape", "a/b", ".hidden", "x y", &"k".repeat(129)] {
        let up = post(
            addr,
            "/upload",
            &form(&[("token", &tk), ("key", key)], image),
        )
        .await;
        assert_eq!(
            (up.status, up.json()["error"].as_str()),
            (400, Some("invalid key")),
            "{key}"
        );
    }
    // The file before the token (qiniu wants it last, but a form may not): the type's limit
    // still holds once the token is read.
    let file_first = close_last(
        &[
            &form(&[], Some(("image/png", &big)))[..],
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{tk}\r\n"
            )
            .as_bytes(),
        ]
        .concat(),
    );
    let up = post(addr, "/upload", &file_first).await;
    assert_eq!(up.status, 413, "{}", String::from_utf8_lossy(&up.body));
    let up = post(addr, "/upload", &form(&[("token", &tk)], None)).await;
    assert_eq!(up.status, 400, "no file");
    let mut cut = form(&[("token", &tk)], image);
    cut.truncate(cut.len() - 20);
    let up = post(addr, "/upload", &cut).await;
    assert_eq!(up.status, 400, "truncated form");
    let head = format!(
        "POST /upload HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: 2\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(exchange(addr, &head, b"{}").await.status, 400, "not a form");

    // Only the file token's upload is there; the staging directory is empty.
    assert_eq!(stored(dir.path()), 1);
    // The same key cannot be given other bytes: downloads are cached as immutable.
    let up = post(
        addr,
        "/upload",
        &form(
            &[("token", &file_tk), ("key", &file_key)],
            Some(("text/plain", &small)),
        ),
    )
    .await;
    assert_eq!(up.status, 409);
    assert_eq!(get(addr, "/files/..", "").await.status, 400);
    assert_eq!(get(addr, "/files/nothing-here", "").await.status, 404);

    for t in [topic::FILE_TOKEN.name(), topic::FILE_URL.name()] {
        let ack = alice
            .query(t, "alice", vec![0x08], im_wire::frame::Qos::AtMostOnce)
            .await;
        assert_eq!(ack.status, 33003, "{t}: malformed request");
    }
    let bad_type = GetQNupTokenInput { r#type: 9 };
    assert_eq!(alice.status_of(topic::FILE_TOKEN, &bad_type).await, 41001);
    let bad_key = GetQNdownloadUrlInput {
        r#type: 1,
        key: "../x".into(),
        file_name: None,
    };
    assert_eq!(alice.status_of(topic::FILE_URL, &bad_key).await, 33003);
    server.stop().await;
}
