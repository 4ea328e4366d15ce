//! `message/history` and `message/history/delete` (server-api.md §2.2): the URL of an hour's
//! log file, served by this server as a ZIP of JSON lines; empty for an hour not over, an hour
//! without messages and a deleted hour. The deletion outlives a restart.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::store::{insert_rows, Value};
use common::{api, http_get_bytes, start};
use im_server::block::format_utc;

const SECRET: &str = "test-app-secret-0123456789";
const HOUR: i64 = 3_600_000;

/// `YYYYMMDDHH` of a time.
fn date_of(ms: i64) -> String {
    let t = format_utc(ms);
    format!("{}{}{}{}", &t[0..4], &t[5..7], &t[8..10], &t[11..13])
}

/// The name and data of the single stored entry of a ZIP.
fn unzip_one(zip: &[u8]) -> (String, Vec<u8>) {
    assert_eq!(&zip[..4], b"PK\x03\x04");
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([zip[i], zip[i + 1]]));
    let size = u32::from_le_bytes(zip[18..22].try_into().unwrap()) as usize;
    let (name_len, extra) = (u16_at(26), u16_at(28));
    let name = String::from_utf8(zip[30..30 + name_len].to_vec()).unwrap();
    let start = 30 + name_len + extra;
    let data = zip[start..start + size].to_vec();
    assert_eq!(&zip[start + size..start + size + 4], b"PK\x01\x02");
    (name, data)
}

#[tokio::test]
async fn an_ended_hour_has_a_zip_of_its_messages_until_it_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    server.stop().await;
    // Messages of an hour that is over, written straight into the store's file.
    let now = im_server::clock::wall_ms();
    let hour = (now - 2 * HOUR).div_euclid(HOUR) * HOUR;
    {
        // In time order, as the store writes them; enough between "two" and "three" to take
        // several pages of the file's reads.
        let mut rows = vec![
            (hour - 1, 1, "early", "bob", "before the hour".to_owned()),
            (hour + 1_000, 1, "alice", "bob", "one".to_owned()),
            (hour + 2_000, 3, "alice", "g1", "two".to_owned()),
        ];
        rows.extend((0..1_200).map(|i| (hour + 3_000 + i, 1, "eve", "bob", format!("e{i}"))));
        rows.push((hour + HOUR - 1, 6, "__SYSTEM__", "bob", "three".to_owned()));
        rows.push((hour + HOUR, 1, "late", "bob", "after the hour".to_owned()));
        let rows: Vec<Vec<Value>> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (t, ct, from, to, text))| {
                vec![
                    Value::Text(format!("UID-{i}")),
                    Value::BigInt(t),
                    Value::Int(ct),
                    Value::Text(from.into()),
                    Value::Text(to.into()),
                    Value::Bytes(format!(r#"{{"content":"{text}"}}"#).into_bytes()),
                ]
            })
            .collect();
        insert_rows(
            dir.path(),
            "INSERT INTO messages(uid, data_time, conv_type, from_user, target_id, \
             object_name, content, tag) VALUES ($1, $2, $3, $4, $5, 'RC:TxtMsg', $6, 3)",
            &rows,
        );
        // One in a room, and enough in a second room to take several pages of the file's
        // reads.
        let room = |room: &str, t: i64, uid: String, from: &str, text: String| {
            vec![
                Value::Text(room.into()),
                Value::BigInt(t),
                Value::Text(uid),
                Value::Text(from.into()),
                Value::Bytes(format!(r#"{{"content":"{text}"}}"#).into_bytes()),
            ]
        };
        let mut rows = vec![room(
            "room1",
            hour + 1_500,
            "UID-C".into(),
            "carol",
            "in the room".into(),
        )];
        rows.extend((0..1_100).map(|i| {
            room(
                "room2",
                hour + 10_000 + i,
                format!("UID-R{i}"),
                "dan",
                format!("r{i}"),
            )
        }));
        insert_rows(
            dir.path(),
            "INSERT INTO chatroom_messages(room_id, data_time, uid, from_user, object_name, \
             content, tag) VALUES ($1, $2, $3, $4, 'RC:TxtMsg', $5, 3)",
            &rows,
        );
    }
    let server = start(dir.path(), |_| {}).await;
    let addr = server.addr;
    let date = date_of(hour);

    let (status, body) = api(
        addr,
        SECRET,
        "/message/history.json",
        &format!("date={date}"),
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)), "{body}");
    assert_eq!(body["date"], date.as_str());
    let url = body["url"].as_str().unwrap().to_owned();
    let prefix = format!("http://{addr}/history/{date}-");
    assert!(url.starts_with(&prefix) && url.ends_with(".zip"), "{url}");
    let path = url.trim_start_matches(&format!("http://{addr}"));

    let (status, zip) = http_get_bytes(addr, path).await;
    assert_eq!(status, 200);
    let (name, data) = unzip_one(&zip);
    assert_eq!(name, format!("{date}.txt"));
    let text = String::from_utf8(data).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| {
            let (time, json) = l.split_at(19);
            let v: serde_json::Value = serde_json::from_str(json.trim_start()).unwrap();
            assert!(v["dateTime"].as_str().unwrap().starts_with(time));
            v
        })
        .collect();
    let texts: Vec<&str> = lines
        .iter()
        .map(|v| v["content"]["content"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = ["one", "two"]
        .into_iter()
        .map(str::to_owned)
        .chain((0..1_200).map(|i| format!("e{i}")))
        .chain(["three", "in the room"].into_iter().map(str::to_owned))
        .chain((0..1_100).map(|i| format!("r{i}")))
        .collect();
    assert_eq!(texts, expected);
    assert_eq!(lines[1]["GroupId"], "g1");
    assert_eq!(lines[1]["targetType"], 3);
    assert_eq!(lines[1_202]["targetType"], 6);
    assert_eq!(lines[1_203]["targetType"], 4);
    assert_eq!(lines[1_203]["targetId"], "room1");
    assert_eq!(lines[0]["msgUID"], "UID-1");
    assert_eq!(lines[0]["appId"], "testkey");
    // Asked again: the same file.
    let (_, again) = api(
        addr,
        SECRET,
        "/message/history.json",
        &format!("date={date}"),
    )
    .await;
    assert_eq!(again["url"], url.as_str());

    // A wrong key is not served.
    let forged = format!("/history/{date}-{}.zip", "0".repeat(32));
    assert_eq!(http_get_bytes(addr, &forged).await.0, 404);

    // No file for an hour not over, nor for an hour without messages.
    for empty in [date_of(now), date_of(hour - 3 * HOUR)] {
        let (status, body) = api(
            addr,
            SECRET,
            "/message/history.json",
            &format!("date={empty}"),
        )
        .await;
        assert_eq!((status, body["url"].as_str()), (200, Some("")), "{empty}");
        assert_eq!(body["date"], empty.as_str());
    }

    // Malformed dates: 1002 (the SDK's own failing case sends 12 digits).
    for bad in [
        "date=201802271011",
        "date=2018022724",
        "date=20180230",
        "date=undefined",
        "",
    ] {
        for path in ["/message/history.json", "/message/history/delete.json"] {
            let (status, body) = api(addr, SECRET, path, bad).await;
            assert_eq!(
                (status, body["code"].as_i64()),
                (400, Some(1002)),
                "{path} {bad}"
            );
        }
    }

    // Deleted: no URL, no file, also after a restart.
    let (status, _) = api(
        addr,
        SECRET,
        "/message/history/delete.json",
        &format!("date={date}"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(http_get_bytes(addr, path).await.0, 404);
    let (_, body) = api(
        addr,
        SECRET,
        "/message/history.json",
        &format!("date={date}"),
    )
    .await;
    assert_eq!(body["url"], "");
    server.stop().await;
    let server = start(dir.path(), |_| {}).await;
    let (_, body) = api(
        server.addr,
        SECRET,
        "/message/history.json",
        &format!("date={date}"),
    )
    .await;
    assert_eq!(body["url"], "");
    server.stop().await;
}
