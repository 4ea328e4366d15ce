//! `message/history` and `message/history/delete` (server-api.md §2.2), and the download of the
//! file they name.
//!
//! `message/history` with `date=YYYYMMDDHH` (an hour in UTC) answers
//! `{"code":200,"url":…,"date":…}`. Once the hour is over, the first call writes
//! `history/{date}.zip` under the data directory: a ZIP holding `{date}.txt`, one line per
//! message of that hour — `YYYY-MM-DD HH:MM:SS {json}` with the JSON fields `appId`,
//! `fromUserId`, `targetId`, `targetType`, `GroupId`, `classname`, `content`, `dateTime`
//! (`YYYY-MM-DD HH:MM:SS.mmm`) and `msgUID`, the layout of RongCloud's own log files.
//! Conversation messages come first in time order, then chatroom messages room by room. The
//! `url` is empty while the hour is not over, when it had no message, and after
//! `message/history/delete`. The URL is served by this server on the address the call came to,
//! as `GET /history/{date}-{key}.zip`, where `key` is derived from the app secret: only holders
//! of the URL can fetch it. At most [`MAX_FILES`] files are kept; the oldest go first.

use std::io::Read;
use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::zip::ZipEntryWriter;
use super::{ApiError, ApiResult, Form};
use crate::block::format_utc;
use crate::clock::wall_ms;
use crate::messaging::is_group_like;
use crate::server::State;
use crate::store::Message;

/// Most history files kept on disk (three days of hours, as RongCloud keeps them).
pub(super) const MAX_FILES: usize = 72;
/// Messages read from the store per call while writing a file.
const PAGE: usize = 500;
const HOUR_MS: i64 = 3_600_000;

/// Year, month, day and hour of a `YYYYMMDDHH`.
type DateParts = (i64, i64, i64, i64);

pub(super) async fn handle(
    state: &State,
    path: &str,
    form: &Form,
    base: &str,
) -> Option<ApiResult> {
    Some(match path {
        "history" => url(state, form, base).await,
        "history/delete" => delete(state, form).await,
        _ => return None,
    })
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A valid `YYYYMMDDHH`: its parts and the first ms of the hour (UTC).
fn parse_date(date: &str) -> Option<(DateParts, i64)> {
    if date.len() != 10 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<i64>().ok());
    let (y, m, d, h) = (num(0..4)?, num(4..6)?, num(6..8)?, num(8..10)?);
    if y < 1970 || !(1..=12).contains(&m) || !(0..=23).contains(&h) || d < 1 {
        return None;
    }
    // The day must exist: the next day's number is one more.
    let days = days_from_civil(y, m, d);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    if days >= days_from_civil(ny, nm, 1) {
        return None;
    }
    Some(((y, m, d, h), days * 86_400_000 + h * HOUR_MS))
}

fn date_param(form: &Form) -> Result<(String, DateParts, i64), ApiError> {
    let date = form
        .get("date")
        .ok_or_else(|| ApiError::param("date is required (YYYYMMDDHH)"))?;
    let (parts, hour) =
        parse_date(date).ok_or_else(|| ApiError::param("date must be a valid YYYYMMDDHH hour"))?;
    Ok((date.to_owned(), parts, hour))
}

/// The URL key of a date's file: the first 16 bytes of HMAC-SHA256(secret, "history " + date).
fn key(secret: &str, date: &str) -> String {
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    m.update(b"history ");
    m.update(date.as_bytes());
    let full = m.finalize().into_bytes();
    hex::encode(full.get(..16).unwrap_or_default())
}

fn dir(state: &State) -> PathBuf {
    state.config.data_dir.join("history")
}

fn file_of(state: &State, date: &str) -> PathBuf {
    dir(state).join(format!("{date}.zip"))
}

async fn url(state: &State, form: &Form, base: &str) -> ApiResult {
    let (date, parts, hour) = date_param(form)?;
    let mut out = Map::new();
    let ready = hour.saturating_add(HOUR_MS) <= wall_ms()
        && !state.store.read(move |s| s.history_deleted(hour)).await?
        && ensure_file(state, &date, parts, hour).await?;
    let url = if ready {
        format!(
            "{base}/history/{date}-{}.zip",
            key(&state.app.secret, &date)
        )
    } else {
        String::new()
    };
    out.insert("url".into(), json!(url));
    out.insert("date".into(), json!(date));
    Ok(out)
}

async fn delete(state: &State, form: &Form) -> ApiResult {
    let (date, _, hour) = date_param(form)?;
    // Only hours that have begun are recorded: at most one row per past hour.
    if hour <= wall_ms() {
        state
            .store
            .call(move |s| s.set_history_deleted(hour, true))
            .await?;
    }
    match std::fs::remove_file(file_of(state, &date)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(ApiError::internal(e)),
    }
    Ok(Map::new())
}

/// One log line: `YYYY-MM-DD HH:MM:SS {json}\n`.
fn line(app_key: &str, m: &Message) -> Vec<u8> {
    let content: Value = serde_json::from_slice(&m.content)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&m.content).into_owned()));
    let time = format_utc(m.data_time);
    let group = if is_group_like(m.conv_type) {
        m.target_id.as_str()
    } else {
        ""
    };
    let json = json!({
        "appId": app_key,
        "fromUserId": m.from_user,
        "targetId": m.target_id,
        "targetType": m.conv_type,
        "GroupId": group,
        "classname": m.object_name,
        "content": content,
        "dateTime": format!("{time}.{:03}", m.data_time.rem_euclid(1000)),
        "msgUID": m.uid,
    });
    format!("{time} {json}\n").into_bytes()
}

/// Writes the file of an hour if it is not there yet; false when the hour had no message.
async fn ensure_file(
    state: &State,
    date: &str,
    parts: DateParts,
    hour: i64,
) -> Result<bool, ApiError> {
    let path = file_of(state, date);
    if path.exists() {
        return Ok(true);
    }
    let dir = dir(state);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    // A name of its own, renamed into place when complete: a concurrent call for the same hour
    // never serves half a file.
    let tmp = dir.join(format!("{date}.{}.part", crate::clock::random_token(6)));
    let result = write_file(state, &tmp, date, parts, hour).await;
    match result {
        Ok(0) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(false)
        }
        Ok(_) => {
            std::fs::rename(&tmp, &path).map_err(ApiError::internal)?;
            prune(&dir);
            Ok(true)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Streams the hour's messages into `tmp`; how many were written.
async fn write_file(
    state: &State,
    tmp: &Path,
    date: &str,
    parts: DateParts,
    hour: i64,
) -> Result<usize, ApiError> {
    let file = std::fs::File::create(tmp).map_err(ApiError::internal)?;
    let name = format!("{date}.txt");
    let mut zip = ZipEntryWriter::new(file, &name, parts).map_err(ApiError::internal)?;
    let (from, to) = (hour, hour.saturating_add(HOUR_MS));
    let app = state.app.key.clone();
    let mut written = 0usize;
    let mut full = false;
    let mut after = 0i64;
    // Conversation messages, then each chatroom's.
    while !full {
        let page = state
            .store
            .read(move |s| s.messages_between(from, to, after, PAGE))
            .await?;
        let lines: Vec<Vec<u8>> = page.iter().map(|m| line(&app, m)).collect();
        written += lines.len();
        (zip, full) = append(zip, lines).await?;
        match page.last() {
            Some(m) if page.len() == PAGE => after = m.data_time,
            _ => break,
        }
    }
    let rooms = state.store.read(|s| s.chatrooms_with_messages()).await?;
    for room in rooms {
        let mut after = 0i64;
        while !full {
            let r = room.clone();
            let page = state
                .store
                .read(move |s| s.chatroom_messages_between(&r, from, to, after, PAGE))
                .await?;
            let lines: Vec<Vec<u8>> = page.iter().map(|m| line(&app, m)).collect();
            written += lines.len();
            (zip, full) = append(zip, lines).await?;
            match page.last() {
                Some(m) if page.len() == PAGE => after = m.data_time,
                _ => break,
            }
        }
    }
    if full {
        tracing::warn!(
            date,
            "history file reached its size limit; later messages left out"
        );
    }
    tokio::task::spawn_blocking(move || zip.finish())
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(written)
}

/// Appends lines on a blocking thread; whether the entry is full.
async fn append(
    mut zip: ZipEntryWriter,
    lines: Vec<Vec<u8>>,
) -> Result<(ZipEntryWriter, bool), ApiError> {
    tokio::task::spawn_blocking(move || {
        for l in &lines {
            if !zip.append(l)? {
                return Ok((zip, true));
            }
        }
        Ok::<_, std::io::Error>((zip, false))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

/// Removes the oldest files beyond [`MAX_FILES`], and parts of files a stopped server left
/// behind more than an hour ago.
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let stale = std::time::SystemTime::now()
        .checked_sub(std::time::Duration::from_secs(3600))
        .unwrap_or(std::time::UNIX_EPOCH);
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for (modified, path) in entries
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
    {
        match path.extension().and_then(|x| x.to_str()) {
            Some("zip") => files.push((modified, path)),
            Some("part") if modified < stale => {
                let _ = std::fs::remove_file(path);
            }
            _ => {}
        }
    }
    if files.len() <= MAX_FILES {
        return;
    }
    files.sort();
    let excess = files.len() - MAX_FILES;
    for (_, path) in files.into_iter().take(excess) {
        let _ = std::fs::remove_file(path);
    }
}

/// The base URL a caller reached this server at: `scheme://host`.
pub(super) fn base_url(state: &State, headers: &HeaderMap) -> String {
    // The Server API's own address is plain HTTP; the public one has TLS when configured.
    let scheme = if state.config.api_addr.is_none() && state.config.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ']))
        .map_or_else(|| state.config.addr.to_string(), str::to_owned);
    format!("{scheme}://{host}")
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such file").into_response()
}

/// `GET …/history/{date}-{key}.zip`: the file, streamed; 404 for a wrong key, a deleted hour or
/// a file not written yet.
pub(super) async fn download(state: &State, name: &str) -> Response {
    let Some((date, given)) = name.strip_suffix(".zip").and_then(|n| n.split_once('-')) else {
        return not_found();
    };
    let Some((_, hour)) = parse_date(date) else {
        return not_found();
    };
    let expected = key(&state.app.secret, date);
    if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        return not_found();
    }
    match state.store.read(move |s| s.history_deleted(hour)).await {
        Ok(false) => {}
        Ok(true) => return not_found(),
        Err(e) => return ApiError::internal(e).into_response(),
    }
    let Ok(file) = std::fs::File::open(file_of(state, date)) else {
        return not_found();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let stream = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = tokio::task::spawn_blocking(move || {
            let mut buf = vec![0u8; 64 * 1024];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((file, buf))
        })
        .await;
        match read {
            Ok(Ok((_, buf))) if buf.is_empty() => None,
            Ok(Ok((file, buf))) => Some((Ok(Bytes::from(buf)), Some(file))),
            Ok(Err(e)) => Some((Err(e), None)),
            Err(e) => Some((Err(std::io::Error::other(e)), None)),
        }
    });
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_LENGTH, len.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{date}.zip\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_hours_in_utc() {
        assert_eq!(parse_date("1970010100").unwrap().1, 0);
        assert_eq!(parse_date("2018022710").unwrap().1, 1_519_725_600_000);
        assert!(parse_date("2024022923").is_some(), "a leap day");
        for bad in [
            "2023022900",
            "2018022724",
            "2018130110",
            "2018020010",
            "201802271011",
            "20180227",
            "２０18022710",
            "1969123123",
            "abcdefghij",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn lines_carry_the_documented_fields() {
        let m = Message {
            uid: "U1".into(),
            data_time: 1_519_725_600_123,
            conv_type: 3,
            from_user: "a".into(),
            target_id: "g".into(),
            object_name: "RC:TxtMsg".into(),
            content: br#"{"content":"hi"}"#.to_vec(),
            tag: 3,
            ..Message::default()
        };
        let text = String::from_utf8(line("k", &m)).unwrap();
        let (time, json) = text.trim_end().split_at(19);
        assert_eq!(time, "2018-02-27 10:00:00");
        let v: Value = serde_json::from_str(json.trim()).unwrap();
        assert_eq!(v["GroupId"], "g");
        assert_eq!(v["content"]["content"], "hi");
        assert_eq!(v["dateTime"], "2018-02-27 10:00:00.123");
        assert_eq!(v["msgUID"], "U1");
    }
}
