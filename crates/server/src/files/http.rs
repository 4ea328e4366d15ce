//! `POST /upload` (also `POST /`) and `GET /files/{key}`: see the module docs of [`super`].
//!
//! Upload answers, as qiniu's form upload does: 200 `{"key","hash"}`; 400 `{"error"}` for a
//! body that is not a well-formed form, a missing file or an invalid key; 401 for a missing,
//! forged or expired token; 408 when the client stops sending for 30 s; 409 when the key
//! already holds other bytes; 413 over the type's size limit. Nothing is stored unless the
//! answer is 200.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path as AxPath, Query, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::multipart::{self, Event};
use super::{valid_key, FileMeta, Put, TokenError};
use crate::server::State;

/// Most bytes of a form field other than the file (`token`, `key`, qiniu's `x:` variables).
const MAX_FIELD: usize = 4096;
/// Most parts in one form.
const MAX_PARTS: usize = 32;
/// Bytes a form may carry beyond its file (fields, part headers, delimiters).
const FORM_OVERHEAD: u64 = 64 * 1024;
/// The longest wait for the next piece of an upload.
const IDLE: Duration = Duration::from_secs(30);
/// Bytes read from the store at a time when serving a file.
const READ_CHUNK: usize = 64 * 1024;
/// Most bytes of a refused upload read before answering.
const DRAIN_BYTES: usize = 1 << 20;
/// Longest time spent reading a refused upload before answering.
const DRAIN_TIME: Duration = Duration::from_secs(1);
/// Longest Content-Type kept from an upload.
const MAX_CONTENT_TYPE: usize = 128;

fn cors(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

fn reply(status: StatusCode, body: &serde_json::Value) -> Response {
    cors(
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
    )
}

fn error(status: StatusCode, message: &str) -> Response {
    reply(status, &json!({ "error": message }))
}

/// Runs a read of the file store off the async threads: what it found, or the response for a
/// missing file (404) or a failed read (500, logged).
async fn read_file<T: Send + 'static>(
    read: impl FnOnce() -> std::io::Result<Option<T>> + Send + 'static,
) -> Result<T, Response> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!("reading a file: {e}");
        error(StatusCode::INTERNAL_SERVER_ERROR, "cannot read")
    };
    match tokio::task::spawn_blocking(read).await {
        Ok(Ok(Some(found))) => Ok(found),
        Ok(Ok(None)) => Err(error(StatusCode::NOT_FOUND, "no such file")),
        Ok(Err(e)) => Err(failed(&e)),
        Err(e) => Err(failed(&e)),
    }
}

/// Removes an upload's staging file unless it was moved into the store.
struct Staged(std::path::PathBuf);

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The part being read.
enum Current {
    None,
    Field(String, Vec<u8>),
    File,
    Skip(usize),
}

/// A Content-Type worth keeping: short visible ASCII, else `application/octet-stream`.
fn content_type(given: Option<String>) -> String {
    given
        .filter(|t| {
            !t.is_empty()
                && t.len() <= MAX_CONTENT_TYPE
                && t.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        })
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

/// `POST /upload`: a qiniu-style form upload.
pub async fn upload(
    AxState(state): AxState<Arc<State>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut stream = body.into_data_stream();
    match receive(&state, &headers, &mut stream).await {
        Ok(res) => res,
        Err(res) => {
            drain(&mut stream).await;
            res
        }
    }
}

/// Reads (and drops) what a refused upload still sends, up to [`DRAIN_BYTES`] for at most
/// [`DRAIN_TIME`]: a client still sending when the connection closes may lose the answer.
async fn drain(stream: &mut axum::body::BodyDataStream) {
    let _ = tokio::time::timeout(DRAIN_TIME, async {
        let mut left = DRAIN_BYTES;
        while let Some(Ok(chunk)) = stream.next().await {
            left = left.saturating_sub(chunk.len());
            if left == 0 {
                break;
            }
        }
    })
    .await;
}

async fn receive(
    state: &State,
    headers: &HeaderMap,
    stream: &mut axum::body::BodyDataStream,
) -> Result<Response, Response> {
    let files = &state.files;
    let bad = |m: &str| error(StatusCode::BAD_REQUEST, m);
    let too_large = || error(StatusCode::PAYLOAD_TOO_LARGE, "file too large");
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart::boundary)
        .ok_or_else(|| bad("expected multipart/form-data"))?;
    let bound = files.config.largest().saturating_add(FORM_OVERHEAD);
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > bound) {
        return Err(too_large());
    }
    let staged = Staged(
        files
            .store
            .staging_dir()
            .join(format!("up-{}", crate::clock::random_token(12))),
    );
    let mut reader = multipart::Reader::new(&boundary);
    let mut events = Vec::new();
    let (mut received, mut parts, mut file_len) = (0u64, 0usize, 0u64);
    let mut current = Current::None;
    let (mut grant, mut key, mut file) = (None, None, None);
    let mut file_type = None;
    let mut hasher = Sha256::new();
    let now = crate::clock::wall_ms();
    loop {
        let chunk = match tokio::time::timeout(IDLE, stream.next()).await {
            Err(_) => return Err(error(StatusCode::REQUEST_TIMEOUT, "upload stalled")),
            Ok(None) => break,
            Ok(Some(Err(_))) => return Err(bad("upload interrupted")),
            Ok(Some(Ok(chunk))) => chunk,
        };
        received = received.saturating_add(chunk.len() as u64);
        if received > bound {
            return Err(too_large());
        }
        reader
            .feed(&chunk, &mut events)
            .map_err(|e| bad(&format!("malformed form: {}", e.0)))?;
        for event in events.drain(..) {
            match event {
                Event::Part {
                    name,
                    content_type: ct,
                    ..
                } => {
                    parts += 1;
                    if parts > MAX_PARTS {
                        return Err(bad("too many form fields"));
                    }
                    current = match name.as_str() {
                        "file" if file.is_some() => return Err(bad("more than one file")),
                        "file" => {
                            let f = tokio::fs::File::create(&staged.0).await.map_err(|e| {
                                tracing::error!("staging an upload: {e}");
                                error(StatusCode::INTERNAL_SERVER_ERROR, "cannot store")
                            })?;
                            file = Some(f);
                            file_type = Some(content_type(ct));
                            Current::File
                        }
                        "token" | "key" => Current::Field(name, Vec::new()),
                        _ => Current::Skip(0),
                    };
                }
                Event::Data(d) => match &mut current {
                    Current::Field(_, buf) if buf.len() + d.len() <= MAX_FIELD => buf.extend(d),
                    Current::Skip(n) if *n + d.len() <= MAX_FIELD => *n += d.len(),
                    Current::Field(..) | Current::Skip(_) => {
                        return Err(bad("form field too long"))
                    }
                    Current::File => {
                        file_len = file_len.saturating_add(d.len() as u64);
                        let limit = match &grant {
                            Some(g) => limit_of(state, g),
                            None => files.config.largest(),
                        };
                        if file_len > limit {
                            return Err(too_large());
                        }
                        hasher.update(&d);
                        if let Some(f) = file.as_mut() {
                            f.write_all(&d).await.map_err(|e| {
                                tracing::error!("writing an upload: {e}");
                                error(StatusCode::INTERNAL_SERVER_ERROR, "cannot store")
                            })?;
                        }
                    }
                    Current::None => {}
                },
                Event::PartEnd => match std::mem::replace(&mut current, Current::None) {
                    Current::Field(name, value) => {
                        let value =
                            String::from_utf8(value).map_err(|_| bad("form field not UTF-8"))?;
                        if name == "token" {
                            grant = Some(files.check(value.trim(), now).map_err(|e| {
                                error(
                                    StatusCode::UNAUTHORIZED,
                                    match e {
                                        TokenError::Invalid => "bad token",
                                        TokenError::Expired => "expired token",
                                    },
                                )
                            })?);
                        } else if !value.is_empty() {
                            key = Some(value);
                        }
                    }
                    Current::File | Current::Skip(_) | Current::None => {}
                },
            }
        }
        if reader.finished() {
            break;
        }
    }
    if !reader.finished() {
        return Err(bad("malformed form: truncated"));
    }
    let grant = grant.ok_or_else(|| error(StatusCode::UNAUTHORIZED, "no token"))?;
    let Some(mut file) = file else {
        return Err(bad("no file"));
    };
    if file_len > limit_of(state, &grant) {
        return Err(too_large());
    }
    let hash = hex::encode(hasher.finalize());
    let key = key.unwrap_or_else(|| hash.clone());
    if !valid_key(&key) {
        return Err(bad("invalid key"));
    }
    file.flush().await.map_err(|e| {
        tracing::error!("writing an upload: {e}");
        error(StatusCode::INTERNAL_SERVER_ERROR, "cannot store")
    })?;
    drop(file);
    let meta = FileMeta {
        len: file_len,
        content_type: file_type.unwrap_or_default(),
        hash: hash.clone(),
    };
    let path = staged.0.clone();
    let st = state.files.clone();
    let put_key = key.clone();
    let put = tokio::task::spawn_blocking(move || st.store.put(&put_key, &path, &meta)).await;
    match put {
        Ok(Ok(Put::Stored | Put::Same)) => {
            tracing::debug!(user = grant.user, key, bytes = file_len, "file stored");
            Ok(reply(StatusCode::OK, &json!({"key": key, "hash": hash})))
        }
        Ok(Ok(Put::Conflict)) => Err(error(StatusCode::CONFLICT, "file exists")),
        Ok(Err(e)) => {
            tracing::error!("storing an upload: {e}");
            Err(error(StatusCode::INTERNAL_SERVER_ERROR, "cannot store"))
        }
        Err(e) => {
            tracing::error!("storing an upload: {e}");
            Err(error(StatusCode::INTERNAL_SERVER_ERROR, "cannot store"))
        }
    }
}

fn limit_of(state: &State, g: &super::Grant) -> u64 {
    state.files.config.limit(g.file_type).unwrap_or(0)
}

/// The part of a file a request wants.
#[derive(Debug, PartialEq, Eq)]
enum Want {
    Whole,
    /// First and last byte.
    Part(u64, u64),
    Unsatisfiable,
}

/// Reads a single-range `Range: bytes=…` header; anything else (several ranges, another unit,
/// garbage) asks for the whole file, as RFC 9110 lets a server answer.
fn wanted(range: Option<&str>, len: u64) -> Want {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Want::Whole;
    };
    if spec.contains(',') {
        return Want::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Want::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let Some(last_byte) = len.checked_sub(1) else {
        return if first.is_empty() && last.parse::<u64>().is_err() {
            Want::Whole
        } else {
            Want::Unsatisfiable
        };
    };
    match (first.parse::<u64>(), last.parse::<u64>()) {
        (Err(_), Ok(0)) if first.is_empty() => Want::Unsatisfiable,
        (Err(_), Ok(n)) if first.is_empty() => Want::Part(len.saturating_sub(n), last_byte),
        (Ok(s), Err(_)) if last.is_empty() => {
            if s > last_byte {
                Want::Unsatisfiable
            } else {
                Want::Part(s, last_byte)
            }
        }
        (Ok(s), Ok(e)) if e >= s => {
            if s > last_byte {
                Want::Unsatisfiable
            } else {
                Want::Part(s, e.min(last_byte))
            }
        }
        _ => Want::Whole,
    }
}

/// `Content-Disposition` for `?attname=`, the name percent-encoded (RFC 6266 `filename*`).
fn disposition(name: &str) -> Option<HeaderValue> {
    if name.is_empty() || name.len() > 255 {
        return None;
    }
    let mut encoded = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!("attachment; filename*=UTF-8''{encoded}")).ok()
}

/// `GET /files/{key}`: the stored bytes, whole or one range.
pub async fn download(
    AxState(state): AxState<Arc<State>>,
    AxPath(key): AxPath<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if !valid_key(&key) {
        return error(StatusCode::BAD_REQUEST, "invalid key");
    }
    let st = state.files.clone();
    let k = key.clone();
    let meta = match read_file(move || st.store.meta(&k)).await {
        Ok(meta) => meta,
        Err(res) => return res,
    };
    let etag = format!("\"{}\"", meta.hash);
    let mut res = Response::new(Body::empty());
    let h = res.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if not_modified {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        return res;
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (start, end) = match wanted(range, meta.len) {
        Want::Unsatisfiable => {
            *res.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{}", meta.len)) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return res;
        }
        Want::Part(s, e) => {
            *res.status_mut() = StatusCode::PARTIAL_CONTENT;
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {s}-{e}/{}", meta.len)) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            (s, e.saturating_add(1))
        }
        Want::Whole => (0, meta.len),
    };
    let len = end.saturating_sub(start);
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&meta.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if let Some(v) = q.get("attname").and_then(|n| disposition(n)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    let st = state.files.clone();
    let reader = match read_file(move || st.store.get(&key, start, len)).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    *res.body_mut() = stream(reader);
    res
}

/// A body fed from a blocking reader on its own thread, a few chunks ahead of the client.
fn stream(mut reader: Box<dyn Read + Send>) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut buf = vec![0u8; READ_CHUNK];
        loop {
            let item = match reader.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => Ok(Bytes::copy_from_slice(buf.get(..n).unwrap_or_default())),
                Err(e) => Err(e),
            };
            let failed = item.is_err();
            // The client went away: stop reading.
            if tx.blocking_send(item).is_err() || failed {
                return;
            }
        }
    });
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110_for_one_range_and_fall_back_to_the_whole_file() {
        assert_eq!(wanted(None, 10), Want::Whole);
        assert_eq!(wanted(Some("bytes=0-3"), 10), Want::Part(0, 3));
        assert_eq!(wanted(Some("bytes=4-"), 10), Want::Part(4, 9));
        assert_eq!(wanted(Some("bytes=-3"), 10), Want::Part(7, 9));
        assert_eq!(wanted(Some("bytes=-30"), 10), Want::Part(0, 9));
        assert_eq!(wanted(Some("bytes=5-100"), 10), Want::Part(5, 9));
        assert_eq!(wanted(Some("bytes=10-"), 10), Want::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 10), Want::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-0"), 0), Want::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=3-1"), 10), Want::Whole);
        assert_eq!(wanted(Some("bytes=0-1,3-4"), 10), Want::Whole);
        assert_eq!(wanted(Some("items=0-1"), 10), Want::Whole);
        assert_eq!(wanted(Some("bytes=x-y"), 10), Want::Whole);
    }

    #[test]
    fn attachment_names_are_percent_encoded() {
        let v = disposition("a b/é.txt").unwrap_or_else(|| HeaderValue::from_static(""));
        assert_eq!(v, "attachment; filename*=UTF-8''a%20b%2F%C3%A9.txt");
        assert!(disposition("").is_none());
    }
}
