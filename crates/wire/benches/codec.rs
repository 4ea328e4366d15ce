//! Encode/decode throughput of the wire codec, printed as messages per second.
//!
//! Run with `cargo bench -p im-wire`. Two workloads: a typical private text PUBLISH (content JSON →
//! `UpStreamMessage` → frame, and back), and a 200-message `pullMsg` reply (`DownStreamMessages`
//! inside a QUERYACK, and back).

#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use im_wire::content::{MessageContent, TextMessage};
use im_wire::frame::{ClientPublish, Qos, QueryAck};
use im_wire::proto::{self, DownStreamMessage, DownStreamMessages, UpStreamMessage};
use im_wire::{ClientFrame, ServerFrame};

/// Runs `f` repeatedly for about `budget` and returns calls per second.
fn rate(budget: Duration, mut f: impl FnMut()) -> f64 {
    for _ in 0..1000 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            f();
        }
        n += 100;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn text_publish(i: u32) -> Vec<u8> {
    let content =
        MessageContent::from(TextMessage::new(format!("hello there, message number {i}")));
    let up = UpStreamMessage {
        session_id: content.tag().session_id(),
        classname: content.object_name().to_owned(),
        content: content.encode().expect("text content encodes"),
        config_flag: Some(0),
        ..Default::default()
    };
    ClientFrame::Publish(ClientPublish {
        qos: Qos::AtLeastOnce,
        topic: "ppMsgP".into(),
        target_id: "user-000042".into(),
        msg_id: (i % 65_535 + 1) as u16,
        payload: proto::encode(&up),
    })
    .encode()
    .expect("publish encodes")
}

fn decode_text_publish(bytes: &[u8]) -> usize {
    let Ok(ClientFrame::Publish(p)) = ClientFrame::decode(bytes) else {
        return 0;
    };
    let Ok(up) = proto::decode::<UpStreamMessage>(&p.payload) else {
        return 0;
    };
    match MessageContent::decode(&up.classname, &up.content) {
        Ok(MessageContent::Text(t)) => t.content.map_or(0, |c| c.len()),
        _ => 0,
    }
}

fn pull_reply() -> DownStreamMessages {
    let list = (0..200)
        .map(|i| DownStreamMessage {
            from_user_id: format!("user-{:06}", i % 17),
            r#type: 1,
            group_id: None,
            classname: "RC:TxtMsg".into(),
            content: format!(r#"{{"content":"offline message number {i}","extra":""}}"#)
                .into_bytes(),
            data_time: 1_700_000_000_000 + i,
            status: 0,
            extra: None,
            msg_id: Some(format!("BKQ2-ABCD-{i:04}-5678")),
            direction: None,
        })
        .collect();
    DownStreamMessages {
        list,
        sync_time: 1_700_000_000_199,
        finished: Some(true),
    }
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500),
    );
    println!(
        "im-wire codec throughput ({} ms per case)",
        budget.as_millis()
    );

    let mut i = 0u32;
    let enc = rate(budget, || {
        i = i.wrapping_add(1);
        black_box(text_publish(i));
    });
    println!("text PUBLISH encode (content JSON + protobuf + frame): {enc:>12.0} messages/s");

    let frame = text_publish(7);
    let dec = rate(budget, || {
        black_box(decode_text_publish(black_box(&frame)));
    });
    println!("text PUBLISH decode (frame + protobuf + content JSON): {dec:>12.0} messages/s");
    println!("  frame size: {} bytes", frame.len());

    let reply = pull_reply();
    let enc = rate(budget, || {
        let ack = ServerFrame::QueryAck(QueryAck {
            qos: Qos::AtLeastOnce,
            msg_id: 1,
            date: 1_700_000_000,
            status: 0,
            payload: proto::encode(black_box(&reply)),
        });
        black_box(ack.encode().expect("queryack encodes"));
    });
    println!("200-message pull reply encode:                        {:>12.0} messages/s ({enc:.0} replies/s)", enc * 200.0);

    let bytes = ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtLeastOnce,
        msg_id: 1,
        date: 1_700_000_000,
        status: 0,
        payload: proto::encode(&reply),
    })
    .encode()
    .expect("queryack encodes");
    let dec = rate(budget, || {
        let Ok(ServerFrame::QueryAck(a)) = ServerFrame::decode(black_box(&bytes)) else {
            return;
        };
        let Ok(d) = proto::decode::<DownStreamMessages>(&a.payload) else {
            return;
        };
        black_box(d.list.len());
    });
    println!("200-message pull reply decode (frame + protobuf):     {:>12.0} messages/s ({dec:.0} replies/s)", dec * 200.0);

    let dec_full = rate(budget, || {
        let Ok(ServerFrame::QueryAck(a)) = ServerFrame::decode(black_box(&bytes)) else {
            return;
        };
        let Ok(d) = proto::decode::<DownStreamMessages>(&a.payload) else {
            return;
        };
        let n = d
            .list
            .iter()
            .filter(|m| MessageContent::decode(&m.classname, &m.content).is_ok())
            .count();
        black_box(n);
    });
    println!(
        "200-message pull reply decode (+ content JSON):       {:>12.0} messages/s",
        dec_full * 200.0
    );
    println!("  reply size: {} bytes", bytes.len());
}
